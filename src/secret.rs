//! The `Secret` type: a string that never prints itself.
//!
//! Tokens, client secrets, API keys and passwords travel through tether as
//! `Secret`. Its `Debug` and `Display` print `(redacted)`, so a secret that
//! reaches a log line or an error message by mistake still does not leak.
//! The value is read only through [`Secret::expose`], which makes every use
//! easy to find.
//!
//! The headers tether treats as credentials are named here too, below the
//! config and the HTTP layer, which both need them: `-v` redacts them and
//! a service's `default_headers` may not set them.

use std::fmt;

/// Headers whose values are always secret, lower case: redacted by `-v`
/// and `--dry-run`, dropped on a redirect to another origin, refused in
/// `default_headers`. Besides HTTP's own credentials and cookies, the
/// API-key and token headers of common APIs (GitLab's `Private-Token`,
/// `X-Auth-Token`, `X-Api-Key`, …).
pub const SECRET_HEADERS: [&str; 9] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
    "api-key",
    "x-auth-token",
    "private-token",
    "x-access-token",
];

/// Whether a header's value is secret: one of [`SECRET_HEADERS`] or one of
/// `extra` (a service's `api_key_header`), compared case-insensitively.
pub fn is_secret_header(name: &str, extra: &[&str]) -> bool {
    SECRET_HEADERS
        .iter()
        .chain(extra)
        .any(|secret| secret.eq_ignore_ascii_case(name))
}

/// A secret value. Prints as `(redacted)`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself. Every call site is a place a secret leaves tether.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(redacted)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(redacted)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_itself() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s} {s:?}"), "(redacted) (redacted)");
        assert_eq!(s.expose(), "hunter2");
    }
}
