//! Where a request goes, and whether a credential may go with it.
//!
//! This module owns the decisions `invoke` makes before anything is sent:
//!
//! * the method ([`parse_method`]): GET, POST, PUT, PATCH, DELETE or HEAD;
//! * the URL ([`resolve_url`]): absolute, or a path under `base_url`;
//! * the host allow-list ([`AllowList`]) and the redirect rule
//!   ([`same_origin`]) of DESIGN §6;
//! * what `-v` and `--dry-run` may print ([`redact_headers`],
//!   [`redact_url`]).
//!
//! Invariants, all fail-closed:
//!
//! * A credential goes only over https, or plain http to a loopback host
//!   (`127.0.0.0/8`, `::1`, `localhost`; RFC 8252 §8.3 reasons the same way
//!   for redirect URIs), and only to an allowed host:
//!   - `base_url` allows its own **origin**: the same host and port
//!     (RFC 6454), so a token for `http://127.0.0.1:8080` does not go to
//!     another program on `127.0.0.1:9090`;
//!   - a pattern (`allowed_hosts`, `--allow-host`) is parsed by
//!     [`HostPattern`], whose module doc gives the rule: a host, `*.domain`
//!     or an IP address, with an optional `:port`, the default port
//!     otherwise; `*.x.com` is not `x.com` itself.
//! * Redirects carry a credential only to the same origin (scheme, host
//!   and port); an https to http downgrade is another origin.
//! * `{var}` placeholders are filled before this module sees the URL, by
//!   [`UrlTemplate`](crate::config::template::UrlTemplate), whose slot
//!   rules keep a value from moving a request to another host.
//! * A URL without a scheme (`//host/path`) is refused rather than guessed.

use std::borrow::Cow;
use std::fmt;

use url::{Host, Url};

use crate::config::hosts::{HostPattern, is_loopback};
use crate::{Error, Refusal, Result};

/// What redaction leaves in place of a secret.
pub const REDACTED: &str = "(redacted)";

pub use crate::secret::{SECRET_HEADERS, is_secret_header};

/// Query parameters that are always secret: the bearer token in a URI
/// (RFC 6750 §2.3).
pub const SECRET_PARAMS: [&str; 1] = ["access_token"];

/// Authorization schemes that may be shown before a redacted credential
/// (`Bearer (redacted)`). Only these: a value of another shape could be a
/// bare key whose first word is secret.
const SHOWN_SCHEMES: [&str; 5] = ["Basic", "Bearer", "Digest", "Token", "Bot"];

/// An HTTP method `invoke` sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
}

impl Method {
    pub const ALL: [Method; 6] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
        Method::Head,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
        }
    }

    /// Whether sending the request twice has the effect of sending it once
    /// (RFC 9110 §9.2.2), so it may be retried.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<Method> for reqwest::Method {
    fn from(method: Method) -> reqwest::Method {
        match method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
            Method::Head => reqwest::Method::HEAD,
        }
    }
}

/// Parses a method name, in any case.
pub fn parse_method(s: &str) -> Result<Method> {
    Method::ALL
        .into_iter()
        .find(|m| m.as_str().eq_ignore_ascii_case(s))
        .ok_or_else(|| {
            Error::usage(
                format!("`{s}` is not a method tether sends"),
                Some(
                    "use GET, POST, PUT, PATCH, DELETE or HEAD, before the URL: `tether invoke NAME GET /path`"
                        .into(),
                ),
            )
        })
}

/// The URL a request goes to. An `http://` or `https://` URL is taken as
/// it is; anything else is a path (with an optional `?query`) under
/// `base_url`, joined so that the base's path is kept:
/// `https://x/api/v1` with `/users` or `users` gives `https://x/api/v1/users`.
/// The base's own query comes first; its fragment is dropped. Dot segments
/// are resolved as the URL parser does, so `..` can leave the base path
/// but never the base's host.
pub fn resolve_url(url: &str, base_url: Option<&str>) -> Result<Url> {
    if starts_with_ignore_case(url, "http://") || starts_with_ignore_case(url, "https://") {
        return Url::parse(url)
            .map_err(|e| Error::usage(format!("`{url}` is not a valid URL ({e})"), None));
    }
    if url.starts_with("//") {
        return Err(Error::usage(
            format!("`{url}` has no scheme"),
            Some(format!("write it in full: `https:{url}`")),
        ));
    }
    if let Some((scheme, _)) = url.split_once("://")
        && !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return Err(Error::usage(
            format!("`{url}` is not an http or https URL"),
            None,
        ));
    }
    let Some(base) = base_url else {
        return Err(Error::usage(
            format!("`{url}` is a relative URL and the service has no `base_url`"),
            Some(
                "pass a full `https://` URL, or set one with `tether service edit SERVICE --base-url URL`"
                    .into(),
            ),
        ));
    };
    let mut joined = Url::parse(base).map_err(|e| {
        Error::usage(
            format!("the service's `base_url` `{base}` is not a valid URL ({e})"),
            None,
        )
    })?;
    if !matches!(joined.scheme(), "http" | "https") {
        return Err(Error::usage(
            format!("the service's `base_url` `{base}` is not an http or https URL"),
            None,
        ));
    }

    let (before_fragment, fragment) = match url.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (url, None),
    };
    let (path, query) = match before_fragment.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (before_fragment, None),
    };
    if !path.is_empty() {
        let base_path = joined.path().trim_end_matches('/');
        let new_path = format!("{base_path}/{}", path.trim_start_matches('/'));
        joined.set_path(&new_path);
    }
    let query = match (joined.query(), query) {
        (Some(a), Some(b)) if !a.is_empty() && !b.is_empty() => Some(format!("{a}&{b}")),
        (Some(a), Some("")) | (Some(a), None) => Some(a.to_string()),
        (_, Some(b)) => Some(b.to_string()),
        (None, None) => None,
    };
    joined.set_query(query.as_deref());
    joined.set_fragment(fragment);
    Ok(joined)
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// The hosts a connection's credential may be sent to.
#[derive(Debug, Clone, Default)]
pub struct AllowList {
    /// `base_url`'s host and port.
    base: Option<(Host<String>, u16)>,
    patterns: Vec<HostPattern>,
}

impl AllowList {
    /// The allow-list of a connection: the service's `allowed_hosts`
    /// patterns and the `--allow-host` extras. A pattern that does not
    /// parse is an error (the config check has already refused those in
    /// `allowed_hosts`).
    pub fn new(patterns: &[String], extra: &[String]) -> Result<AllowList> {
        let patterns = patterns
            .iter()
            .chain(extra)
            .map(|p| HostPattern::parse(p).map_err(Error::InvalidHostPattern))
            .collect::<Result<_>>()?;
        Ok(AllowList {
            base: None,
            patterns,
        })
    }

    /// Also allows `base_url`'s origin.
    #[must_use]
    pub fn with_base(mut self, base_url: Option<&Url>) -> AllowList {
        self.base =
            base_url.and_then(|url| Some((url.host()?.to_owned(), url.port_or_known_default()?)));
        self
    }

    /// Whether the credential of `connection` may be sent to `url`; the
    /// error says why not.
    pub fn check(&self, connection: &str, url: &Url) -> Result<()> {
        let refuse = |why: Refusal| Error::RefusedHost {
            connection: connection.to_string(),
            host: HostPattern::exact_for(url).unwrap_or_else(|| "(no host)".into()),
            why,
        };
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(url) => {}
            "http" => return Err(refuse(Refusal::PlainHttp)),
            _ => return Err(refuse(Refusal::NotHttp)),
        }
        let Some(host) = url.host() else {
            return Err(refuse(Refusal::NoHost));
        };
        let base_host = self.base.as_ref().is_some_and(|(h, _)| *h == host);
        if base_host
            && self
                .base
                .as_ref()
                .is_some_and(|(_, port)| url.port_or_known_default() == Some(*port))
        {
            return Ok(());
        }
        let mut host_listed = base_host;
        for pattern in &self.patterns {
            if pattern.matches_host(&host) {
                if pattern.matches_port(url) {
                    return Ok(());
                }
                host_listed = true;
            }
        }
        if host_listed {
            Err(refuse(Refusal::NotAllowedPort))
        } else {
            Err(refuse(Refusal::NotAllowedHost))
        }
    }
}

/// Whether two URLs share an origin: scheme, host and port (RFC 6454).
/// A redirect may carry the credential only when this holds (DESIGN §6).
pub fn same_origin(a: &Url, b: &Url) -> bool {
    matches!(a.scheme(), "http" | "https")
        && a.scheme() == b.scheme()
        && a.host().is_some()
        && a.host() == b.host()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// A header's value as `-v` may print it. For `Authorization` and
/// `Proxy-Authorization` a well-known scheme stays visible.
pub fn redact_header<'a>(name: &str, value: &'a str, extra: &[&str]) -> Cow<'a, str> {
    if !is_secret_header(name, extra) {
        return Cow::Borrowed(value);
    }
    let is_authorization = ["authorization", "proxy-authorization"]
        .iter()
        .any(|n| n.eq_ignore_ascii_case(name));
    if is_authorization
        && let Some((scheme, _)) = value.split_once(' ')
        && let Some(known) = SHOWN_SCHEMES
            .iter()
            .find(|s| s.eq_ignore_ascii_case(scheme))
    {
        return Cow::Owned(format!("{known} {REDACTED}"));
    }
    Cow::Borrowed(REDACTED)
}

/// Headers as `-v` and `--dry-run` may print them.
pub fn redact_headers<'a>(
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    extra: &[&str],
) -> Vec<(String, String)> {
    headers
        .into_iter()
        .map(|(name, value)| {
            (
                name.to_string(),
                redact_header(name, value, extra).into_owned(),
            )
        })
        .collect()
}

/// A URL as `-v` and `--dry-run` may print it: the values of the query
/// parameters named in `secret_params` (a service's `api_key_query`) and
/// [`SECRET_PARAMS`] are replaced, names compared case-insensitively after
/// decoding, and so is any user name or password in the URL. The rest of
/// the query is kept byte for byte.
pub fn redact_url(url: &Url, secret_params: &[&str]) -> String {
    let mut shown = url.clone();
    // A user name in a URL is often a token (`https://TOKEN@host`), so the
    // whole user-info goes. Neither call fails on a URL with a host, and a
    // URL without one has no user-info.
    if !shown.username().is_empty() {
        let _ = shown.set_username(REDACTED);
    }
    if shown.password().is_some() {
        let _ = shown.set_password(Some(REDACTED));
    }
    if let Some(query) = url.query() {
        let redacted: Vec<String> = query
            .split('&')
            .map(|pair| {
                let (raw_name, has_value) = match pair.split_once('=') {
                    Some((name, _)) => (name, true),
                    None => (pair, false),
                };
                let name: String = url::form_urlencoded::parse(raw_name.as_bytes())
                    .map(|(k, _)| k.into_owned())
                    .next()
                    .unwrap_or_default();
                let secret = SECRET_PARAMS
                    .iter()
                    .chain(secret_params)
                    .any(|s| s.eq_ignore_ascii_case(&name));
                if secret && has_value {
                    format!("{raw_name}={REDACTED}")
                } else {
                    pair.to_string()
                }
            })
            .collect();
        shown.set_query(Some(&redacted.join("&")));
    }
    shown.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn usage(result: Result<impl fmt::Debug>) -> (String, Option<String>) {
        match result {
            Err(e @ Error::Usage { .. }) => (e.to_string(), e.hint()),
            other => panic!("expected a usage error, got {other:?}"),
        }
    }

    #[test]
    fn methods_in_any_case() {
        let cases = [
            ("GET", Method::Get, true),
            ("get", Method::Get, true),
            ("Post", Method::Post, false),
            ("put", Method::Put, true),
            ("PATCH", Method::Patch, false),
            ("delete", Method::Delete, true),
            ("hEaD", Method::Head, true),
        ];
        for (text, method, idempotent) in cases {
            let parsed = parse_method(text).unwrap();
            assert_eq!(parsed, method, "{text}");
            assert_eq!(parsed.is_idempotent(), idempotent, "{text}");
            assert_eq!(parsed.as_str(), text.to_ascii_uppercase());
            assert_eq!(parsed.to_string(), text.to_ascii_uppercase());
            assert_eq!(reqwest::Method::from(parsed).as_str(), parsed.as_str());
        }
        for text in ["OPTIONS", "TRACE", "CONNECT", "", "/users", "GETS"] {
            let (message, hint) = usage(parse_method(text));
            assert_eq!(message, format!("`{text}` is not a method tether sends"));
            assert!(
                hint.unwrap()
                    .contains("GET, POST, PUT, PATCH, DELETE or HEAD")
            );
        }
    }

    #[test]
    fn urls_join_under_the_base_path() {
        let cases = [
            (
                "https://x.example/api/v1",
                "/users",
                "https://x.example/api/v1/users",
            ),
            (
                "https://x.example/api/v1",
                "users",
                "https://x.example/api/v1/users",
            ),
            (
                "https://x.example/api/v1/",
                "/users",
                "https://x.example/api/v1/users",
            ),
            (
                "https://x.example/api/v1/",
                "users",
                "https://x.example/api/v1/users",
            ),
            (
                "https://x.example/api/v1//",
                "/users",
                "https://x.example/api/v1/users",
            ),
            (
                "https://x.example/api/v1",
                "users/",
                "https://x.example/api/v1/users/",
            ),
            (
                "https://x.example/api/v1",
                "/a/b/c",
                "https://x.example/api/v1/a/b/c",
            ),
            ("https://x.example", "/users", "https://x.example/users"),
            ("https://x.example/", "users", "https://x.example/users"),
            ("https://x.example/api", "", "https://x.example/api"),
            ("https://x.example/api", "/", "https://x.example/api/"),
            (
                "https://x.example/api/v1",
                "/users?page=2&q=a b",
                "https://x.example/api/v1/users?page=2&q=a%20b",
            ),
            (
                "https://x.example/api/v1",
                "?page=2",
                "https://x.example/api/v1?page=2",
            ),
            (
                "https://x.example/api?key=1",
                "/users?page=2",
                "https://x.example/api/users?key=1&page=2",
            ),
            (
                "https://x.example/api?key=1",
                "/users",
                "https://x.example/api/users?key=1",
            ),
            (
                "https://x.example/api#top",
                "/users#x",
                "https://x.example/api/users#x",
            ),
            (
                "https://x.example/api/v1",
                "/a%2Fb",
                "https://x.example/api/v1/a%2Fb",
            ),
            (
                "https://x.example/api/v1",
                "/a b",
                "https://x.example/api/v1/a%20b",
            ),
            (
                "https://x.example/api/v1",
                "/v1/projects/p:run",
                "https://x.example/api/v1/v1/projects/p:run",
            ),
            (
                "https://x.example/api/v1",
                "../admin",
                "https://x.example/api/admin",
            ),
            (
                "https://x.example/api/v1",
                "/../../../etc",
                "https://x.example/etc",
            ),
            (
                "http://127.0.0.1:8080/base",
                "x",
                "http://127.0.0.1:8080/base/x",
            ),
            // Not a scheme: a relative path that happens to hold a colon.
            (
                "https://x.example/api",
                "localhost:8080/x",
                "https://x.example/api/localhost:8080/x",
            ),
        ];
        for (base, path, want) in cases {
            let got =
                resolve_url(path, Some(base)).unwrap_or_else(|e| panic!("{base} + {path}: {e}"));
            assert_eq!(got.as_str(), want, "{base} + {path}");
        }
    }

    #[test]
    fn absolute_urls_are_taken_as_they_are() {
        let cases = [
            ("https://other.example/a?b=1", "https://other.example/a?b=1"),
            ("http://localhost:9/a", "http://localhost:9/a"),
            ("HTTPS://X.Example/A", "https://x.example/A"),
            ("https://x.example:443/a", "https://x.example/a"),
        ];
        for (input, want) in cases {
            for base in [None, Some("https://base.example/api")] {
                assert_eq!(resolve_url(input, base).unwrap().as_str(), want, "{input}");
            }
        }
    }

    #[test]
    fn urls_that_are_refused() {
        let base = Some("https://x.example/api");
        let cases = [
            ("//evil.example/x", base, "`//evil.example/x` has no scheme"),
            (
                "ftp://x.example/f",
                base,
                "`ftp://x.example/f` is not an http or https URL",
            ),
            (
                "file:///etc/passwd",
                base,
                "`file:///etc/passwd` is not an http or https URL",
            ),
            (
                "https://",
                base,
                "`https://` is not a valid URL (empty host)",
            ),
            (
                "http://a b/",
                base,
                "`http://a b/` is not a valid URL (invalid international domain name)",
            ),
            (
                "/users",
                None,
                "`/users` is a relative URL and the service has no `base_url`",
            ),
            (
                "/users",
                Some("not a url"),
                "the service's `base_url` `not a url` is not a valid URL (relative URL without a base)",
            ),
            (
                "/users",
                Some("mailto:a@x.example"),
                "the service's `base_url` `mailto:a@x.example` is not an http or https URL",
            ),
        ];
        for (input, base, want) in cases {
            let (message, _) = usage(resolve_url(input, base));
            assert_eq!(message, want, "{input}");
        }
        let (_, hint) = usage(resolve_url("users", None));
        assert!(hint.unwrap().contains("--base-url"));
        let (_, hint) = usage(resolve_url("//evil.example/x", base));
        assert_eq!(hint.unwrap(), "write it in full: `https://evil.example/x`");
    }

    fn list(base: Option<&str>, patterns: &[&str], extra: &[&str]) -> AllowList {
        let base = base.map(url);
        let strings = |v: &[&str]| v.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
        AllowList::new(&strings(patterns), &strings(extra))
            .unwrap()
            .with_base(base.as_ref())
    }

    /// `None` when allowed, else the refusal's reason.
    fn verdict(list: &AllowList, target: &str) -> Option<String> {
        match list.check("conn", &url(target)) {
            Ok(()) => None,
            Err(Error::RefusedHost {
                why, connection, ..
            }) => {
                assert_eq!(connection, "conn");
                Some(why.to_string())
            }
            Err(other) => panic!("{target}: {other:?}"),
        }
    }

    const NOT_ALLOWED: Option<&str> = Some("not an allowed host");
    const BAD_PORT: Option<&str> = Some("not an allowed port for this host");
    const PLAIN_HTTP: Option<&str> = Some("plain http to a non-loopback host");

    #[test]
    fn base_url_allows_its_own_origin() {
        let allow = list(Some("https://api.x.com/v1"), &[], &[]);
        let cases = [
            ("https://api.x.com/v1/users", None),
            ("https://api.x.com/other/path", None),
            ("https://API.X.COM/v1", None),
            ("https://api.x.com:443/v1", None),
            ("https://api.x.com:8443/v1", BAD_PORT),
            ("https://x.com/v1", NOT_ALLOWED),
            ("https://sub.api.x.com/v1", NOT_ALLOWED),
            ("https://api.x.com.evil.example/v1", NOT_ALLOWED),
            ("https://api.x.com./v1", NOT_ALLOWED),
            ("http://api.x.com/v1", PLAIN_HTTP),
        ];
        for (target, want) in cases {
            assert_eq!(verdict(&allow, target).as_deref(), want, "{target}");
        }
    }

    #[test]
    fn loopback_base_urls_match_host_and_port() {
        let allow = list(Some("http://127.0.0.1:8080/api"), &[], &[]);
        let cases = [
            ("http://127.0.0.1:8080/api/x", None),
            ("https://127.0.0.1:8080/api/x", None),
            ("http://127.0.0.1:9090/api/x", BAD_PORT),
            ("http://127.0.0.1/api/x", BAD_PORT),
            ("http://127.0.0.2:8080/api/x", NOT_ALLOWED),
            ("http://localhost:8080/api/x", NOT_ALLOWED),
        ];
        for (target, want) in cases {
            assert_eq!(verdict(&allow, target).as_deref(), want, "{target}");
        }

        let allow = list(Some("http://[::1]:7000"), &[], &[]);
        assert_eq!(verdict(&allow, "http://[::1]:7000/x"), None);
        assert_eq!(verdict(&allow, "http://[0:0:0:0:0:0:0:1]:7000/x"), None);
        assert_eq!(verdict(&allow, "http://[::1]:7001/x").as_deref(), BAD_PORT);

        let allow = list(Some("http://localhost:3000"), &[], &[]);
        assert_eq!(verdict(&allow, "http://LOCALHOST:3000/x"), None);
    }

    #[test]
    fn patterns_allow_hosts_on_the_default_port() {
        let allow = list(
            Some("https://us21.api.mc.com/3.0"),
            &[
                "*.api.mc.com",
                "login.mc.com",
                "10.0.0.1",
                "*.files.mc.com:8443",
            ],
            &["cdn.example", "[::1]:9000", "localhost:5000", "::2"],
        );
        let cases = [
            ("https://us21.api.mc.com/3.0", None),
            ("https://us1.api.mc.com/3.0", None),
            ("https://a.b.api.mc.com/", None),
            ("https://US1.Api.Mc.Com/", None),
            // `*.x` is not `x` itself, nor a name that merely ends in it.
            ("https://api.mc.com/", NOT_ALLOWED),
            ("https://evilapi.mc.com/", NOT_ALLOWED),
            ("https://us1.api.mc.com.evil.example/", NOT_ALLOWED),
            ("https://login.mc.com/x", None),
            ("https://a.login.mc.com/x", NOT_ALLOWED),
            // A pattern without a port allows the default port only.
            ("https://login.mc.com:8443/x", BAD_PORT),
            ("https://us1.api.mc.com:444/", BAD_PORT),
            // A pattern with a port allows that port only.
            ("https://a.files.mc.com:8443/", None),
            ("https://a.files.mc.com/", BAD_PORT),
            ("https://10.0.0.1/", None),
            ("https://10.0.0.2/", NOT_ALLOWED),
            ("http://10.0.0.1/", PLAIN_HTTP),
            ("https://cdn.example/", None),
            ("http://[::1]:9000/", None),
            ("http://[::1]:9001/", BAD_PORT),
            ("http://localhost:5000/", None),
            ("https://[::2]/", None),
            ("http://[::2]/", PLAIN_HTTP),
            ("https://elsewhere.example/", NOT_ALLOWED),
        ];
        for (target, want) in cases {
            assert_eq!(verdict(&allow, target).as_deref(), want, "{target}");
        }
    }

    #[test]
    fn only_https_or_loopback_http() {
        let allow = list(
            None,
            &[
                "api.x.com",
                "localhost",
                "127.0.0.1",
                "127.9.9.9",
                "::1",
                "10.1.1.1",
            ],
            &[],
        );
        let cases = [
            ("https://api.x.com/", None),
            ("http://api.x.com/", PLAIN_HTTP),
            ("http://localhost/", None),
            ("http://127.0.0.1/", None),
            ("http://127.9.9.9/", None),
            ("http://[::1]/", None),
            ("http://10.1.1.1/", PLAIN_HTTP),
            // Loopback but not listed.
            ("http://127.0.0.2/", NOT_ALLOWED),
            // The plain-http rule is checked first, even for unknown hosts.
            ("http://unknown.example/", PLAIN_HTTP),
            ("ftp://api.x.com/", Some("not an http or https URL")),
        ];
        for (target, want) in cases {
            assert_eq!(verdict(&allow, target).as_deref(), want, "{target}");
        }
        // With nothing listed, nothing is allowed.
        assert_eq!(
            verdict(&list(None, &[], &[]), "https://api.x.com/").as_deref(),
            NOT_ALLOWED
        );
    }

    #[test]
    fn malformed_patterns_are_refused() {
        // What parses is `HostPattern`'s to test; here, that a bad
        // `--allow-host` is a usage error rather than allowing nothing.
        let err = AllowList::new(&[], &["bad pattern".to_string()]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`bad pattern` is not a host name, a `*.example.com` pattern or `host:port`"
        );
        assert_eq!(err.exit_code(), crate::exit::USAGE);
        // International names match in their ASCII form.
        let allow = list(None, &["*.bücher.example"], &[]);
        assert_eq!(verdict(&allow, "https://shop.xn--bcher-kva.example/"), None);
        assert_eq!(verdict(&allow, "https://shop.bücher.example/"), None);
    }

    #[test]
    fn the_hint_names_a_pattern_that_allows_the_refused_url() {
        let allow = list(Some("https://api.x.com"), &[], &[]);
        for target in [
            "https://files.x.com/a",
            "https://api.x.com:8443/a",
            "http://127.0.0.1:9000/a",
            "http://[::1]:9000/a",
        ] {
            let err = allow.check("gh", &url(target)).unwrap_err();
            let Error::RefusedHost { host, .. } = &err else {
                panic!("{err:?}");
            };
            assert_eq!(
                err.hint().unwrap(),
                format!(
                    "if `{host}` is really this service's, pass `--allow-host {host}` or add it to `allowed_hosts`"
                )
            );
            let widened = list(Some("https://api.x.com"), &[host], &[]);
            assert_eq!(verdict(&widened, target), None, "{target}");
            let by_flag = list(Some("https://api.x.com"), &[], &[host]);
            assert_eq!(verdict(&by_flag, target), None, "{target}");
        }
    }

    #[test]
    fn the_refusal_names_host_and_port_but_no_user_info() {
        let allow = list(Some("https://api.x.com"), &[], &[]);
        let err = allow
            .check(
                "gh",
                &url("https://user:hunter2@evil.example:8443/x?token=abc"),
            )
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "refusing to send the credential of `gh` to evil.example:8443: not an allowed host"
        );
        assert_eq!(err.exit_code(), crate::exit::USAGE);
        let err = allow.check("gh", &url("http://api.x.com/x")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "refusing to send the credential of `gh` to api.x.com: plain http to a non-loopback host"
        );
    }

    #[test]
    fn origins() {
        let cases = [
            ("https://a.example/x", "https://a.example/y?z", true),
            ("https://a.example/x", "https://A.EXAMPLE:443/", true),
            ("http://127.0.0.1:80/", "http://127.0.0.1/", true),
            ("https://a.example/", "http://a.example/", false),
            ("https://a.example/", "https://a.example:8443/", false),
            ("https://a.example/", "https://b.a.example/", false),
            ("https://a.example/", "https://a.example.evil/", false),
            ("http://[::1]:8/", "http://[::1]:8/", true),
            ("http://[::1]:8/", "http://127.0.0.1:8/", false),
            ("ftp://a.example/", "ftp://a.example/", false),
        ];
        for (a, b, want) in cases {
            assert_eq!(same_origin(&url(a), &url(b)), want, "{a} {b}");
            assert_eq!(same_origin(&url(b), &url(a)), want, "{b} {a}");
        }
    }

    #[test]
    fn secret_headers_are_redacted() {
        let extra = ["X-Service-Key"];
        let cases = [
            ("Authorization", "Bearer abc.def", "Bearer (redacted)"),
            ("authorization", "bearer abc", "Bearer (redacted)"),
            ("Authorization", "Basic dXNlcjpwYXNz", "Basic (redacted)"),
            ("Authorization", "sk-secret", "(redacted)"),
            ("Authorization", "sk-secret and-more", "(redacted)"),
            ("Authorization", "", "(redacted)"),
            ("Proxy-Authorization", "Digest x=1", "Digest (redacted)"),
            ("Cookie", "session=abc", "(redacted)"),
            ("Set-Cookie", "Bearer x", "(redacted)"),
            ("X-API-Key", "k", "(redacted)"),
            ("x-service-key", "Bearer k", "(redacted)"),
            ("Accept", "application/json", "application/json"),
            ("X-Request-Id", "42", "42"),
        ];
        for (name, value, want) in cases {
            assert_eq!(redact_header(name, value, &extra), want, "{name}: {value}");
        }
        let got = redact_headers(
            [
                ("Authorization", "Bearer t"),
                ("Accept", "*/*"),
                ("X-Service-Key", "k"),
            ],
            &extra,
        );
        assert_eq!(
            got,
            vec![
                ("Authorization".to_string(), "Bearer (redacted)".to_string()),
                ("Accept".to_string(), "*/*".to_string()),
                ("X-Service-Key".to_string(), "(redacted)".to_string()),
            ]
        );
        // Without the service's header name, it is not a secret.
        assert_eq!(redact_header("X-Service-Key", "k", &[]), "k");
    }

    #[test]
    fn secret_query_parameters_and_user_info_are_redacted() {
        let cases = [
            (
                "https://x.example/a?key=s3cret&page=2",
                &["key"][..],
                "https://x.example/a?key=(redacted)&page=2",
            ),
            (
                "https://x.example/a?KEY=s3cret",
                &["key"][..],
                "https://x.example/a?KEY=(redacted)",
            ),
            (
                "https://x.example/a?k%65y=s3cret",
                &["key"][..],
                "https://x.example/a?k%65y=(redacted)",
            ),
            (
                "https://x.example/a?key=1&key=2",
                &["key"][..],
                "https://x.example/a?key=(redacted)&key=(redacted)",
            ),
            (
                "https://x.example/a?access_token=t&q=a+b%20c",
                &[][..],
                "https://x.example/a?access_token=(redacted)&q=a+b%20c",
            ),
            (
                "https://x.example/a?keyring=1&monkey=2",
                &["key"][..],
                "https://x.example/a?keyring=1&monkey=2",
            ),
            (
                "https://x.example/a?key&x=",
                &["key"][..],
                "https://x.example/a?key&x=",
            ),
            ("https://x.example/a", &["key"][..], "https://x.example/a"),
            (
                "https://tok@x.example/a",
                &[][..],
                "https://(redacted)@x.example/a",
            ),
            (
                "https://u:p@x.example/a?key=1",
                &["key"][..],
                "https://(redacted):(redacted)@x.example/a?key=(redacted)",
            ),
        ];
        for (input, params, want) in cases {
            let got = redact_url(&url(input), params);
            assert_eq!(got, want, "{input}");
            assert!(!got.contains("s3cret"));
        }
    }

    #[test]
    fn api_key_and_token_headers_are_secret_in_any_case() {
        for name in [
            "Authorization",
            "proxy-authorization",
            "Cookie",
            "X-Api-Key",
            "API-KEY",
            "X-Auth-Token",
            "Private-Token",
            "x-access-token",
        ] {
            assert!(is_secret_header(name, &[]), "{name}");
            assert_eq!(redact_header(name, "v", &[]), REDACTED, "{name}");
        }
        assert!(is_secret_header("x-service-key", &["X-Service-Key"]));
        assert!(!is_secret_header("X-Trace", &[]));
        assert!(!is_secret_header("X-Service-Key", &[]));
    }
}
