//! Why a provider refused a request: the OAuth Problem Reporting extension
//! (`oauth_problem` and `oauth_problem_advice`, in a `WWW-Authenticate:
//! OAuth …` challenge or a form-encoded body) and RFC 6750 §3.1's
//! `error="invalid_token"`, which some OAuth 1.0a providers send too.
//!
//! What `invoke` needs to know from a 401 is one thing: is the token itself
//! dead (the user must `connect` again), or is it something else (a clock
//! off, a signature the provider computes differently, a permission)?
//! [`Problem::token_is_dead`] answers it.

use url::form_urlencoded;

use super::header::auth_params;

/// A problem a provider reports, by the extension's names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    VersionRejected,
    ParameterAbsent,
    ParameterRejected,
    TimestampRefused,
    NonceUsed,
    SignatureMethodRejected,
    SignatureInvalid,
    ConsumerKeyUnknown,
    ConsumerKeyRejected,
    ConsumerKeyRefused,
    TokenUsed,
    TokenExpired,
    TokenRevoked,
    TokenRejected,
    AdditionalAuthorizationRequired,
    PermissionUnknown,
    PermissionDenied,
    UserRefused,
    /// RFC 6750 §3.1 `error="invalid_token"`.
    InvalidToken,
    /// A name this list does not know.
    Other(String),
}

/// The extension's problem names, each with its variant.
const NAMES: [(&str, Problem); 18] = [
    ("version_rejected", Problem::VersionRejected),
    ("parameter_absent", Problem::ParameterAbsent),
    ("parameter_rejected", Problem::ParameterRejected),
    ("timestamp_refused", Problem::TimestampRefused),
    ("nonce_used", Problem::NonceUsed),
    (
        "signature_method_rejected",
        Problem::SignatureMethodRejected,
    ),
    ("signature_invalid", Problem::SignatureInvalid),
    ("consumer_key_unknown", Problem::ConsumerKeyUnknown),
    ("consumer_key_rejected", Problem::ConsumerKeyRejected),
    ("consumer_key_refused", Problem::ConsumerKeyRefused),
    ("token_used", Problem::TokenUsed),
    ("token_expired", Problem::TokenExpired),
    ("token_revoked", Problem::TokenRevoked),
    ("token_rejected", Problem::TokenRejected),
    (
        "additional_authorization_required",
        Problem::AdditionalAuthorizationRequired,
    ),
    ("permission_unknown", Problem::PermissionUnknown),
    ("permission_denied", Problem::PermissionDenied),
    ("user_refused", Problem::UserRefused),
];

impl Problem {
    /// The problem an `oauth_problem` value names.
    pub fn from_name(name: &str) -> Problem {
        NAMES
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, problem)| problem.clone())
            .unwrap_or_else(|| Problem::Other(name.to_string()))
    }

    /// The name as the provider sent it.
    pub fn name(&self) -> &str {
        match self {
            Problem::InvalidToken => "invalid_token",
            Problem::Other(name) => name,
            known => NAMES
                .iter()
                .find(|(_, problem)| problem == known)
                .map_or("", |(name, _)| name),
        }
    }

    /// Whether the token can never work again, so the connection needs a new
    /// authorization: revoked, rejected, expired, or consumed (`token_used`:
    /// the extension's word for a token that "may not be used any more").
    /// Everything else — a refused timestamp, a bad signature, a missing
    /// permission — is not cured by connecting again.
    pub fn token_is_dead(&self) -> bool {
        matches!(
            self,
            Problem::TokenRevoked
                | Problem::TokenRejected
                | Problem::TokenExpired
                | Problem::TokenUsed
                | Problem::InvalidToken
        )
    }
}

/// A reported problem and the provider's advice for a person, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub problem: Problem,
    pub advice: Option<String>,
}

/// The problem a refusal reports: from the `WWW-Authenticate` values first
/// (`oauth_problem`, then `error`), else from a form-encoded `body`
/// (`oauth_problem`). None when neither names one.
pub fn report<'a>(
    www_authenticate: impl IntoIterator<Item = &'a str>,
    body: &[u8],
) -> Option<Report> {
    let header: Vec<(String, String)> =
        www_authenticate.into_iter().flat_map(auth_params).collect();
    let body: Vec<(String, String)> = form_urlencoded::parse(body.trim_ascii())
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    let get = |pairs: &[(String, String)], name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let oauth_problem = |pairs: &[(String, String)]| {
        get(pairs, "oauth_problem").map(|name| Report {
            problem: Problem::from_name(&name),
            advice: get(pairs, "oauth_problem_advice"),
        })
    };
    let bearer_error = |pairs: &[(String, String)]| {
        get(pairs, "error").map(|error| Report {
            problem: match error.as_str() {
                "invalid_token" => Problem::InvalidToken,
                _ => Problem::Other(error),
            },
            advice: get(pairs, "error_description"),
        })
    };
    oauth_problem(&header)
        .or_else(|| bearer_error(&header))
        .or_else(|| oauth_problem(&body))
}

/// Whether a 401 with these `WWW-Authenticate` values and this body says
/// the token is dead; see [`Problem::token_is_dead`].
pub fn token_is_dead<'a>(www_authenticate: impl IntoIterator<Item = &'a str>, body: &[u8]) -> bool {
    report(www_authenticate, body).is_some_and(|r| r.problem.token_is_dead())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `WWW-Authenticate` values, body, the problem found, token dead.
    type Case = (
        &'static [&'static str],
        &'static [u8],
        Option<&'static str>,
        bool,
    );

    #[test]
    fn which_refusals_mean_the_token_is_dead() {
        let cases: &[Case] = &[
            (
                &[r#"OAuth realm="api", oauth_problem="token_revoked""#],
                b"",
                Some("token_revoked"),
                true,
            ),
            (
                &[r#"OAuth oauth_problem=token_rejected"#],
                b"",
                Some("token_rejected"),
                true,
            ),
            (
                &[],
                b"oauth_problem=token_expired&oauth_problem_advice=again",
                Some("token_expired"),
                true,
            ),
            (&[], b"oauth_problem=token_used\n", Some("token_used"), true),
            (
                &[r#"Bearer realm="api", error="invalid_token""#],
                b"",
                Some("invalid_token"),
                true,
            ),
            (
                &[
                    "Basic realm=\"x\"",
                    r#"OAuth oauth_problem="token_revoked""#,
                ],
                b"",
                Some("token_revoked"),
                true,
            ),
            (
                &[r#"OAuth oauth_problem="timestamp_refused""#],
                b"",
                Some("timestamp_refused"),
                false,
            ),
            (
                &[r#"OAuth oauth_problem="signature_invalid""#],
                b"oauth_problem=token_revoked",
                Some("signature_invalid"),
                false,
            ),
            (&[], b"oauth_problem=nonce_used", Some("nonce_used"), false),
            (
                &[],
                b"oauth_problem=consumer_key_rejected",
                Some("consumer_key_rejected"),
                false,
            ),
            (
                &[],
                b"oauth_problem=permission_denied",
                Some("permission_denied"),
                false,
            ),
            (
                &[r#"Bearer error="insufficient_scope""#],
                b"",
                Some("insufficient_scope"),
                false,
            ),
            (
                &[r#"OAuth oauth_problem="something_new""#],
                b"",
                Some("something_new"),
                false,
            ),
            (&[r#"OAuth realm="api""#], b"", None, false),
            (
                &[],
                br#"{"errors":[{"code":89,"message":"Invalid or expired token."}]}"#,
                None,
                false,
            ),
            (&[], b"", None, false),
        ];
        for (headers, body, name, dead) in cases {
            let found = report(headers.iter().copied(), body);
            assert_eq!(
                found.as_ref().map(|r| r.problem.name()),
                *name,
                "{headers:?} {body:?}"
            );
            assert_eq!(
                token_is_dead(headers.iter().copied(), body),
                *dead,
                "{headers:?} {body:?}"
            );
        }
    }

    #[test]
    fn advice_comes_with_its_problem() {
        let found = report(
            [r#"OAuth oauth_problem="timestamp_refused", oauth_problem_advice="check the clock""#],
            b"",
        );
        assert_eq!(
            found,
            Some(Report {
                problem: Problem::TimestampRefused,
                advice: Some("check the clock".into()),
            })
        );
    }

    #[test]
    fn every_name_round_trips() {
        for (name, problem) in NAMES {
            assert_eq!(Problem::from_name(name), problem);
            assert_eq!(problem.name(), name);
        }
    }
}
