//! Reading the authorization response (RFC 6749 §4.1.2): from the loopback
//! listener's request, or from a URL the user pastes.
//!
//! A response whose `state` is missing or wrong is *ignored*, not fatal: a
//! forged request must not cancel the user's flow (RFC 6749 §10.12). Only a
//! response carrying the right state ends the flow, with a code or with the
//! provider's `error`, read into an [`ErrorCode`].

use std::collections::BTreeMap;
use std::fmt;

use url::Url;

use crate::config::template::Vars;

/// What one request to the redirect URI said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// The right state and a code.
    Code(String),
    /// The right state and an error from the provider.
    Error {
        code: ErrorCode,
        description: Option<String>,
    },
    /// No state, or another state: not ours.
    WrongState,
    /// The right state but neither a code nor an error.
    Malformed,
}

/// Reads the query pairs of a redirect.
pub fn read<'a>(
    pairs: impl Iterator<Item = (String, String)> + 'a,
    expected_state: &str,
) -> Response {
    let mut state = None;
    let mut code = None;
    let mut error = None;
    let mut description = None;
    for (key, value) in pairs {
        match key.as_str() {
            "state" => state = Some(value),
            "code" => code = Some(value),
            "error" => error = Some(value),
            "error_description" => description = Some(value),
            _ => {}
        }
    }
    if !state.is_some_and(|s| constant_time_eq(s.as_bytes(), expected_state.as_bytes())) {
        return Response::WrongState;
    }
    match (code, error) {
        (_, Some(code)) => Response::Error {
            code: ErrorCode::parse(&code),
            description,
        },
        (Some(code), None) if !code.is_empty() => Response::Code(code),
        _ => Response::Malformed,
    }
}

/// Reads what a user pasted: the whole redirect URL (checked like the
/// listener checks it) or the bare code.
pub fn read_pasted(text: &str, expected_state: &str) -> Response {
    let text = text.trim();
    match Url::parse(text) {
        Ok(url) if url.query().is_some() => read(url.query_pairs().into_owned(), expected_state),
        _ if !text.is_empty() && !text.contains(char::is_whitespace) && !text.contains('?') => {
            Response::Code(text.to_string())
        }
        _ => Response::Malformed,
    }
}

/// The query of a pasted redirect URL, decoded, in order; none for a bare
/// code.
pub fn pasted_query(text: &str) -> Vec<(String, String)> {
    Url::parse(text.trim())
        .map(|url| url.query_pairs().into_owned().collect())
        .unwrap_or_default()
}

/// The vars a redirect carries: for each var ← parameter of `wanted` (a
/// service's `redirect_vars`), the parameter's value. A parameter the
/// redirect lacks gives no var; a repeated one, its first value.
pub fn redirect_vars(query: &[(String, String)], wanted: &BTreeMap<String, String>) -> Vars {
    wanted
        .iter()
        .filter_map(|(var, param)| {
            let (_, value) = query.iter().find(|(key, _)| key == param)?;
            Some((var.clone(), value.clone()))
        })
        .collect()
}

/// The `error` of an authorization response (RFC 6749 §4.1.2.1).
///
/// Only [`AccessDenied`](ErrorCode::AccessDenied) is the user's to undo
/// by connecting again; the codes that fault the request name the config
/// key to change ([`ErrorCode::config_key`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorCode {
    /// The user (or the provider's policy) said no.
    AccessDenied,
    /// A parameter is missing, repeated or wrong: tether's own are right,
    /// so it is one of the service's `auth_params`.
    InvalidRequest,
    /// This client may not use the authorization code flow.
    UnauthorizedClient,
    /// The provider gives this client no codes.
    UnsupportedResponseType,
    /// A scope asked for is unknown or not allowed.
    InvalidScope,
    /// The provider failed (`server_error`, `temporarily_unavailable`).
    ProviderFailed(String),
    /// A code this list does not know, as the provider sent it.
    Other(String),
}

impl ErrorCode {
    pub fn parse(code: &str) -> ErrorCode {
        match code {
            "access_denied" => ErrorCode::AccessDenied,
            "invalid_request" => ErrorCode::InvalidRequest,
            "unauthorized_client" => ErrorCode::UnauthorizedClient,
            "unsupported_response_type" => ErrorCode::UnsupportedResponseType,
            "invalid_scope" => ErrorCode::InvalidScope,
            "server_error" | "temporarily_unavailable" => {
                ErrorCode::ProviderFailed(code.to_string())
            }
            other => ErrorCode::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            ErrorCode::AccessDenied => "access_denied",
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::UnauthorizedClient => "unauthorized_client",
            ErrorCode::UnsupportedResponseType => "unsupported_response_type",
            ErrorCode::InvalidScope => "invalid_scope",
            ErrorCode::ProviderFailed(code) | ErrorCode::Other(code) => code,
        }
    }

    /// The service's config key to change when the request itself is at
    /// fault; `None` when changing the config would not help.
    pub fn config_key(&self) -> Option<&'static str> {
        match self {
            ErrorCode::InvalidScope => Some("scopes"),
            ErrorCode::InvalidRequest => Some("auth_params"),
            ErrorCode::UnauthorizedClient | ErrorCode::UnsupportedResponseType => Some("client_id"),
            ErrorCode::AccessDenied | ErrorCode::ProviderFailed(_) | ErrorCode::Other(_) => None,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &str) -> impl Iterator<Item = (String, String)> {
        url::form_urlencoded::parse(q.as_bytes())
            .into_owned()
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn state_decides_first() {
        assert_eq!(
            read(pairs("code=c&state=s"), "s"),
            Response::Code("c".into())
        );
        assert_eq!(read(pairs("code=c&state=x"), "s"), Response::WrongState);
        assert_eq!(read(pairs("code=c"), "s"), Response::WrongState);
        assert_eq!(
            read(pairs("error=access_denied"), "s"),
            Response::WrongState
        );
        assert_eq!(
            read(
                pairs("error=access_denied&error_description=no+way&state=s"),
                "s"
            ),
            Response::Error {
                code: ErrorCode::AccessDenied,
                description: Some("no way".into())
            }
        );
        assert_eq!(read(pairs("state=s"), "s"), Response::Malformed);
    }

    #[test]
    fn pasted_url_or_code() {
        assert_eq!(
            read_pasted(" http://127.0.0.1:9/callback?code=abc&state=s \n", "s"),
            Response::Code("abc".into())
        );
        assert_eq!(
            read_pasted("http://127.0.0.1:9/callback?code=abc&state=t", "s"),
            Response::WrongState
        );
        assert_eq!(
            read_pasted("abc-123", "s"),
            Response::Code("abc-123".into())
        );
        assert_eq!(read_pasted("", "s"), Response::Malformed);
    }

    #[test]
    fn redirect_vars_are_the_parameters_the_service_names() {
        let query: Vec<(String, String)> = pairs(
            "code=c&state=s&location=eu&accounts-server=https%3A%2F%2Faccounts.zoho.eu&realmId=123",
        )
        .collect();
        let wanted: BTreeMap<String, String> = [
            ("accounts_server", "accounts-server"),
            ("realm_id", "realmId"),
            ("absent", "not-there"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let vars = redirect_vars(&query, &wanted);
        assert_eq!(vars.len(), 2, "{vars:?}");
        assert_eq!(vars["accounts_server"], "https://accounts.zoho.eu");
        assert_eq!(vars["realm_id"], "123");
        assert_eq!(
            pasted_query(" http://127.0.0.1:9/cb?code=c&realmId=9 \n"),
            [
                ("code".to_string(), "c".to_string()),
                ("realmId".to_string(), "9".to_string())
            ]
        );
        assert!(pasted_query("just-a-code").is_empty());
    }

    #[test]
    fn error_codes_read_and_print_as_the_provider_sent_them() {
        for (text, code, key) in [
            ("access_denied", ErrorCode::AccessDenied, None),
            (
                "invalid_request",
                ErrorCode::InvalidRequest,
                Some("auth_params"),
            ),
            (
                "unauthorized_client",
                ErrorCode::UnauthorizedClient,
                Some("client_id"),
            ),
            (
                "unsupported_response_type",
                ErrorCode::UnsupportedResponseType,
                Some("client_id"),
            ),
            ("invalid_scope", ErrorCode::InvalidScope, Some("scopes")),
            (
                "server_error",
                ErrorCode::ProviderFailed("server_error".into()),
                None,
            ),
            (
                "temporarily_unavailable",
                ErrorCode::ProviderFailed("temporarily_unavailable".into()),
                None,
            ),
            (
                "login_required",
                ErrorCode::Other("login_required".into()),
                None,
            ),
        ] {
            assert_eq!(ErrorCode::parse(text), code);
            assert_eq!(code.to_string(), text);
            assert_eq!(code.config_key(), key, "{text}");
        }
    }
}
