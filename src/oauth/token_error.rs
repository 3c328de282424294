//! How a request to a provider's token endpoint (or its neighbours: the
//! device authorization, revocation and metadata endpoints) fails, as data.
//!
//! * [`TokenRequest`] — which request was made; it names the request in
//!   messages and, with the code, decides who can mend a refusal.
//! * [`TokenErrorCode`] — the `error` of an error response (RFC 6749
//!   §5.2, RFC 8628 §3.5, RFC 7009 §2.2.1), read once into a type.
//!   [`TokenErrorCode::needs_user`] is the one place that says which
//!   refusals only the user can undo (exit 7).
//! * [`AnswerProblem`], [`MetadataProblem`] — answers that are neither
//!   tokens nor an error response, or tokens that cannot be kept
//!   ([`TokenField`], [`FieldFault`]).
//!
//! None of these ever holds a token or a response body: only the
//! provider's `error` code, and what the `oauth2` crate or the HTTP status
//! says went wrong.

use std::fmt;

use oauth2::{ErrorResponseType, StandardErrorResponse};

/// A request tether makes of a provider, as messages name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRequest {
    /// An authorization code for tokens (RFC 6749 §4.1.3).
    CodeExchange,
    /// A refresh token for new tokens (RFC 6749 §6).
    Refresh,
    /// The client's own credentials for a token (RFC 6749 §4.4).
    ClientCredentials,
    /// A device code and a user code (RFC 8628 §3.1).
    DeviceCode,
    /// Polling for the tokens of a device code (RFC 8628 §3.4).
    DevicePoll,
    /// Revoking a token (RFC 7009 §2.1).
    Revocation,
    /// Asking the provider what it knows of a token (RFC 7662 §2.1).
    Introspection,
}

impl TokenRequest {
    /// The endpoint the request goes to, for people.
    fn endpoint(self) -> &'static str {
        match self {
            TokenRequest::CodeExchange
            | TokenRequest::Refresh
            | TokenRequest::ClientCredentials
            | TokenRequest::DevicePoll => "token endpoint",
            TokenRequest::DeviceCode => "device authorization endpoint",
            TokenRequest::Revocation => "revocation endpoint",
            TokenRequest::Introspection => "introspection endpoint",
        }
    }
}

impl fmt::Display for TokenRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TokenRequest::CodeExchange => "code exchange",
            TokenRequest::Refresh => "token refresh",
            TokenRequest::ClientCredentials => "client credentials request",
            TokenRequest::DeviceCode => "device authorization request",
            TokenRequest::DevicePoll => "device authorization",
            TokenRequest::Revocation => "revocation request",
            TokenRequest::Introspection => "introspection request",
        })
    }
}

/// The `error` of a token endpoint's error response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenErrorCode {
    /// A parameter is missing, repeated or wrong (§5.2).
    InvalidRequest,
    /// The client's authentication failed (§5.2).
    InvalidClient,
    /// The code or refresh token is spent, expired or revoked (§5.2).
    InvalidGrant,
    /// This client may not use this grant (§5.2).
    UnauthorizedClient,
    /// The provider does not know this grant (§5.2).
    UnsupportedGrantType,
    /// A scope asked for is unknown or not allowed (§5.2).
    InvalidScope,
    /// The user said no (RFC 8628 §3.5; some providers send it to a code
    /// exchange too).
    AccessDenied,
    /// The device code expired before the user approved (RFC 8628 §3.5).
    ExpiredToken,
    /// A code this list does not know, as the provider sent it.
    Other(String),
}

impl TokenErrorCode {
    /// The code a provider sent; one this list does not know is kept as
    /// [`shown`] makes it.
    pub fn parse(code: &str) -> TokenErrorCode {
        match code {
            "invalid_request" => TokenErrorCode::InvalidRequest,
            "invalid_client" => TokenErrorCode::InvalidClient,
            "invalid_grant" => TokenErrorCode::InvalidGrant,
            "unauthorized_client" => TokenErrorCode::UnauthorizedClient,
            "unsupported_grant_type" => TokenErrorCode::UnsupportedGrantType,
            "invalid_scope" => TokenErrorCode::InvalidScope,
            "access_denied" => TokenErrorCode::AccessDenied,
            "expired_token" => TokenErrorCode::ExpiredToken,
            other => TokenErrorCode::Other(shown(other, MAX_CODE)),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            TokenErrorCode::InvalidRequest => "invalid_request",
            TokenErrorCode::InvalidClient => "invalid_client",
            TokenErrorCode::InvalidGrant => "invalid_grant",
            TokenErrorCode::UnauthorizedClient => "unauthorized_client",
            TokenErrorCode::UnsupportedGrantType => "unsupported_grant_type",
            TokenErrorCode::InvalidScope => "invalid_scope",
            TokenErrorCode::AccessDenied => "access_denied",
            TokenErrorCode::ExpiredToken => "expired_token",
            TokenErrorCode::Other(code) => code,
        }
    }

    /// Whether only the user can mend this refusal of `request`, by
    /// connecting again. A spent or revoked grant and a "no" are the
    /// user's; so is a code exchange the provider found malformed, since
    /// its code or verifier cannot be sent again. A device code that
    /// expired needs the user to start over. The first request of the
    /// device grant and a revocation are never the user's: connecting again
    /// would repeat them.
    pub fn needs_user(&self, request: TokenRequest) -> bool {
        use TokenErrorCode as Code;
        match request {
            TokenRequest::DeviceCode | TokenRequest::Revocation | TokenRequest::Introspection => {
                false
            }
            TokenRequest::DevicePoll => matches!(self, Code::AccessDenied | Code::ExpiredToken),
            TokenRequest::CodeExchange => matches!(
                self,
                Code::InvalidGrant | Code::AccessDenied | Code::InvalidRequest
            ),
            TokenRequest::Refresh | TokenRequest::ClientCredentials => {
                matches!(self, Code::InvalidGrant | Code::AccessDenied)
            }
        }
    }
}

impl fmt::Display for TokenErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The most characters of a provider's `error` code shown; the codes of
/// RFC 6749 §5.2 are a few words long.
const MAX_CODE: usize = 64;

/// The most characters of a provider's `error_description` shown: a
/// sentence or two.
const MAX_DESCRIPTION: usize = 300;

/// A provider's text as tether shows it on a terminal: control characters
/// (a CR/LF, an escape sequence) become spaces, and it stops after `max`
/// characters.
pub fn shown(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .take(max)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

/// The code and description of a provider's error response (RFC 6749
/// §5.2), as tether shows them.
pub fn error_fields<T: ErrorResponseType + AsRef<str>>(
    response: &StandardErrorResponse<T>,
) -> (TokenErrorCode, Option<String>) {
    (
        TokenErrorCode::parse(response.error().as_ref()),
        response
            .error_description()
            .map(|d| shown(d, MAX_DESCRIPTION)),
    )
}

/// An answer to a token request that is neither tokens nor an error
/// response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerProblem {
    /// A token response whose `access_token` is empty.
    EmptyAccessToken,
    /// A success status with a body that is no token response.
    NotTokens,
    /// An error status with no error response (revocation, RFC 7009 §2.2).
    Status { status: u16 },
    /// The `oauth2` crate could not make or read the request; `detail` is
    /// its words.
    Failed { detail: String },
    /// A token response with a field that cannot be sent or stored as it
    /// is.
    BadField {
        field: TokenField,
        fault: FieldFault,
    },
    /// An answer longer than [`super::token::MAX_ANSWER`].
    TooLarge,
    /// An error status the `oauth2` crate would misread: a server error
    /// (5xx), with the provider's error code and description when it sent
    /// an error response, or any error status without one (an HTML page,
    /// an empty body).
    ErrorStatus {
        status: u16,
        code: Option<TokenErrorCode>,
        description: Option<String>,
    },
}

/// A field of a token response, as messages name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenField {
    AccessToken,
    RefreshToken,
    IdToken,
    TokenType,
    Scope,
}

impl fmt::Display for TokenField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TokenField::AccessToken => "an access token",
            TokenField::RefreshToken => "a refresh token",
            TokenField::IdToken => "an ID token",
            TokenField::TokenType => "a token type",
            TokenField::Scope => "a scope",
        })
    }
}

/// Why a token field cannot be kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldFault {
    /// A CR, LF, escape or other control character: in a header it would
    /// start a header of its own, on a terminal a command.
    ControlCharacter,
    /// Longer than [`super::token::MAX_TOKEN_LEN`].
    TooLong,
}

/// Reads after the field: "an access token …".
impl fmt::Display for FieldFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldFault::ControlCharacter => f.write_str("with a control character in it"),
            FieldFault::TooLong => {
                write!(f, "longer than {}", size_text(super::token::MAX_TOKEN_LEN))
            }
        }
    }
}

/// `64 KiB`, `1 MiB`: a limit in the unit that makes it a whole number.
pub(crate) fn size_text(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * KIB;
    match bytes {
        b if b >= MIB && b % MIB == 0 => format!("{} MiB", b / MIB),
        b if b >= KIB && b % KIB == 0 => format!("{} KiB", b / KIB),
        b => format!("{b} bytes"),
    }
}

impl AnswerProblem {
    /// The message for this problem with `request`.
    pub fn message(&self, request: TokenRequest) -> String {
        match self {
            AnswerProblem::EmptyAccessToken => {
                format!("the {request} returned an empty access token")
            }
            AnswerProblem::NotTokens => {
                format!("the {request} got an answer that is not a token response")
            }
            AnswerProblem::Status { status } => {
                format!(
                    "the {} answered {}",
                    request.endpoint(),
                    status_text(*status)
                )
            }
            AnswerProblem::Failed { detail } => format!("the {request} failed: {detail}"),
            AnswerProblem::BadField { field, fault } => {
                format!("the {request} returned {field} {fault}")
            }
            AnswerProblem::TooLarge => format!(
                "the {request} got an answer larger than {}",
                size_text(super::token::MAX_ANSWER)
            ),
            AnswerProblem::ErrorStatus {
                status,
                code,
                description,
            } => {
                let mut text = format!(
                    "the {request} failed: the {} answered {}",
                    request.endpoint(),
                    status_text(*status)
                );
                if let Some(code) = code {
                    text.push_str(&format!(": {code}"));
                    if let Some(description) = description {
                        text.push_str(&format!(" ({description})"));
                    }
                }
                text
            }
        }
    }

    /// What to do about it, when there is something.
    pub fn hint(&self) -> Option<String> {
        match self {
            AnswerProblem::ErrorStatus { status, .. } if *status >= 500 => {
                Some("the provider's server failed: try again later".into())
            }
            _ => None,
        }
    }
}

/// How the metadata request after a code exchange (a service's
/// `metadata_url`) failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetadataProblem {
    /// The answer's status was not a success.
    Status { status: u16 },
    /// The answer is not JSON.
    NotJson,
    /// The answer is longer than [`super::token::MAX_ANSWER`].
    TooLarge,
    /// The answer has nothing at `path`, which `metadata_vars` maps to
    /// the var `var`.
    NoValue { path: String, var: String },
}

impl fmt::Display for MetadataProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MetadataProblem::Status { status } => {
                write!(f, "the metadata request answered HTTP {status}")
            }
            MetadataProblem::NotJson => {
                f.write_str("the metadata request answered something other than JSON")
            }
            MetadataProblem::TooLarge => write!(
                f,
                "the metadata request got an answer larger than {}",
                size_text(super::token::MAX_ANSWER)
            ),
            MetadataProblem::NoValue { path, var } => {
                write!(f, "the metadata answer has no `{path}` for the var `{var}`")
            }
        }
    }
}

/// `400 Bad Request`: the status with its reason phrase, as `http` writes
/// it.
fn status_text(status: u16) -> String {
    match http::StatusCode::from_u16(status) {
        Ok(code) => code.to_string(),
        Err(_) => status.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_as_they_were_sent() {
        for code in [
            "invalid_request",
            "invalid_client",
            "invalid_grant",
            "unauthorized_client",
            "unsupported_grant_type",
            "invalid_scope",
            "access_denied",
            "expired_token",
            "slow_down",
            "something_new",
        ] {
            assert_eq!(TokenErrorCode::parse(code).as_str(), code);
        }
        assert_eq!(
            TokenErrorCode::parse("something_new"),
            TokenErrorCode::Other("something_new".into())
        );
    }

    #[test]
    fn only_the_users_refusals_need_the_user() {
        use TokenErrorCode as Code;
        use TokenRequest as Request;
        let cases = [
            (Code::InvalidGrant, Request::Refresh, true),
            (Code::AccessDenied, Request::Refresh, true),
            (Code::InvalidRequest, Request::Refresh, false),
            (Code::InvalidClient, Request::Refresh, false),
            (Code::InvalidGrant, Request::ClientCredentials, true),
            (Code::InvalidScope, Request::ClientCredentials, false),
            (Code::InvalidRequest, Request::CodeExchange, true),
            (Code::InvalidGrant, Request::CodeExchange, true),
            (Code::UnauthorizedClient, Request::CodeExchange, false),
            (Code::AccessDenied, Request::DevicePoll, true),
            (Code::ExpiredToken, Request::DevicePoll, true),
            (Code::InvalidGrant, Request::DevicePoll, false),
            (Code::AccessDenied, Request::DeviceCode, false),
            (Code::InvalidGrant, Request::Revocation, false),
        ];
        for (code, request, needs_user) in cases {
            assert_eq!(code.needs_user(request), needs_user, "{code} {request}");
        }
    }

    #[test]
    fn answers_name_the_request() {
        assert_eq!(
            AnswerProblem::NotTokens.message(TokenRequest::Refresh),
            "the token refresh got an answer that is not a token response"
        );
        assert_eq!(
            AnswerProblem::Status { status: 503 }.message(TokenRequest::Revocation),
            "the revocation endpoint answered 503 Service Unavailable"
        );
        assert_eq!(
            AnswerProblem::BadField {
                field: TokenField::Scope,
                fault: FieldFault::TooLong
            }
            .message(TokenRequest::CodeExchange),
            "the code exchange returned a scope longer than 64 KiB"
        );
    }

    #[test]
    fn a_status_names_the_code_that_came_with_it() {
        let status =
            |status, code: Option<&str>, description: Option<&str>| AnswerProblem::ErrorStatus {
                status,
                code: code.map(TokenErrorCode::parse),
                description: description.map(str::to_string),
            };
        let failed = status(502, Some("server_error"), Some("upstream"));
        assert_eq!(
            failed.message(TokenRequest::ClientCredentials),
            "the client credentials request failed: the token endpoint answered 502 Bad Gateway: server_error (upstream)"
        );
        assert!(failed.hint().is_some());
        let missing = status(404, None, None);
        assert_eq!(
            missing.message(TokenRequest::DeviceCode),
            "the device authorization request failed: the device authorization endpoint answered 404 Not Found"
        );
        assert_eq!(missing.hint(), None);
    }

    #[test]
    fn a_providers_text_is_shown_without_control_characters_and_cut_short() {
        assert_eq!(shown("bad\r\nX: 1\u{1b}[2J", 100), "bad  X: 1 [2J");
        assert_eq!(shown("abcdef", 3), "abc…");
        assert_eq!(shown("abc", 3), "abc");
        let response: oauth2::basic::BasicErrorResponse = serde_json::from_str(&format!(
            r#"{{"error":"odd\u0007code","error_description":"{}"}}"#,
            "d".repeat(1000)
        ))
        .unwrap();
        let (code, description) = error_fields(&response);
        assert_eq!(code.as_str(), "odd code");
        assert_eq!(description.unwrap().chars().count(), MAX_DESCRIPTION + 1);
    }

    #[test]
    fn sizes_read_in_whole_units() {
        assert_eq!(size_text(1024 * 1024), "1 MiB");
        assert_eq!(size_text(64 * 1024), "64 KiB");
        assert_eq!(size_text(1000), "1000 bytes");
    }
}
