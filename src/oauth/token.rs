//! Token endpoint requests (RFC 6749 §4.1.3, §4.4, §6) through the `oauth2`
//! crate, over tether's single reqwest client.
//!
//! What real providers send is tolerated here: `expires_in` as a string or
//! missing, no refresh token, `scope` missing (the requested scopes then
//! count as granted, §5.1) or comma-separated, a missing `token_type`, extra
//! fields (kept; string ones become connection vars, or only those the
//! service's `token_vars` names), token responses that are form-encoded
//! instead of JSON, token fields nested in an object (`token_path`, Slack's
//! `authed_user`), `expires_in` of 0 for "never expires" (MailChimp), and
//! an error object answered with HTTP 200. After a code exchange, a
//! service's `metadata_url` is fetched with the new token and the fields
//! its `metadata_vars` names become connection vars. Errors carry the
//! provider's `error` and `error_description`, never a token or a response
//! body.
//!
//! What no request could carry is refused before anything is stored
//! ([`checked`]): a blank access token, a token, token type or scope with
//! a control character in it (a CR/LF would become a header of its own),
//! one longer than [`MAX_TOKEN_LEN`]. No answer is read past
//! [`MAX_ANSWER`]. An `expires_in` that is no lifetime
//! (`-100`, `"soon"`) counts as [`UNKNOWN_LIFETIME`], with a warning,
//! never as "never expires".

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AccessToken, AuthType, AuthorizationCode, ClientId, ClientSecret, EndpointNotSet, EndpointSet,
    ErrorResponseType, PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError, Scope,
    StandardErrorResponse, StandardRevocableToken, TokenUrl,
};
use serde::{Deserialize, Deserializer, Serialize};

use super::token_error::{
    AnswerProblem, FieldFault, MetadataProblem, TokenErrorCode, TokenField, TokenRequest,
    error_fields, size_text,
};
use crate::config::model::Presentation;
use crate::config::{AuthKind, ClientAuth, Service};
use crate::http::client::{Net, failure_reason};
use crate::secret::Secret;
use crate::store::{Entry, Record, Store};
use crate::{Error, Result, ui};

/// The longest token, token type or scope tether keeps: far above any
/// real one (a JWT full of claims runs to a few KiB), far below what could
/// fill memory or a keyring entry.
pub const MAX_TOKEN_LEN: usize = 64 * 1024;

/// The most tether reads of a provider's answer — tokens, a device code,
/// metadata, an error — before giving up on it: real ones are a few KiB,
/// and an answer that never ends must not fill memory.
pub const MAX_ANSWER: usize = 1024 * 1024;

/// How long an access token lives when its `expires_in` cannot be read:
/// an hour, what most providers give, so it is renewed (or found expired)
/// soon rather than trusted forever.
pub const UNKNOWN_LIFETIME: u64 = 3600;

/// How long one request to the provider may take — token, refresh,
/// device, revocation or discovery — unless the command line says
/// otherwise (`invoke --timeout`): a slow provider gets half a minute, a
/// dead one is noticed before a script's user gives up.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// How to reach and authenticate at one token endpoint.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub url: String,
    pub client_id: String,
    pub client_secret: Option<Secret>,
    pub client_auth: ClientAuth,
    /// Extra form parameters (the service's token_params or refresh_params).
    pub extra: BTreeMap<String, String>,
    /// What joins scopes in the `scope` parameter.
    pub scope_separator: String,
    /// The object of the response that holds the token fields, when the
    /// provider nests them (`authed_user`).
    pub token_path: Option<String>,
    /// The response fields kept as vars; `None`: every non-secret string.
    pub token_vars: Option<Vec<String>>,
    /// Fetched after a code exchange: its fields become vars.
    pub metadata: Option<Metadata>,
}

/// A service's post-authorization metadata request.
#[derive(Debug, Clone)]
pub struct Metadata {
    pub url: String,
    /// The `Authorization` scheme, e.g. `Bearer` or MailChimp's `OAuth`.
    pub scheme: String,
    /// Var name ← dotted path into the JSON answer.
    pub vars: BTreeMap<String, String>,
}

impl Endpoint {
    /// The token endpoint of `service` for a code exchange or a client
    /// credentials grant (its `token_url` and `token_params`).
    pub fn for_code(store: &Store, service_name: &str, service: &Service) -> Result<Endpoint> {
        Ok(Endpoint {
            url: service.token_url.clone().unwrap_or_default(),
            client_id: service.client_id.clone().unwrap_or_default(),
            client_secret: client_secret(store, service_name, service)?,
            client_auth: service.client_auth(),
            extra: service.token_params.clone(),
            scope_separator: service.scope_separator().to_string(),
            token_path: service.token_path.clone(),
            token_vars: service.token_vars.clone(),
            metadata: service.metadata_url.as_ref().map(|url| Metadata {
                url: url.clone(),
                scheme: service
                    .metadata_auth_scheme
                    .clone()
                    .unwrap_or_else(|| "Bearer".into()),
                vars: service.metadata_vars.clone(),
            }),
        })
    }

    /// The endpoint for refresh requests (`refresh_url`, `refresh_params`).
    pub fn for_refresh(store: &Store, service_name: &str, service: &Service) -> Result<Endpoint> {
        Ok(Endpoint {
            url: service.refresh_url().unwrap_or_default().to_string(),
            extra: service.refresh_params.clone(),
            ..Endpoint::for_code(store, service_name, service)?
        })
    }
}

/// The client secret of `service`, when it has one, from wherever its
/// reference points (`{ keyring = true }`: the token store).
pub fn client_secret(
    store: &Store,
    service_name: &str,
    service: &Service,
) -> Result<Option<Secret>> {
    let Some(reference) = &service.client_secret else {
        return Ok(None);
    };
    let what = format!("client secret of service `{service_name}`");
    crate::config::secrets::resolve(reference, &what, || {
        store.get_secret(Entry::ClientSecret(service_name))
    })
    .map(Some)
}

/// A successful token response, tolerant of what providers really send.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tokens {
    pub access_token: AccessToken,
    #[serde(default = "bearer")]
    pub token_type: BasicTokenType,
    #[serde(default, deserialize_with = "lenient_seconds")]
    pub expires_in: Lifetime,
    #[serde(default)]
    pub refresh_token: Option<RefreshToken>,
    /// How long the refresh token lives, when the provider says (GitHub
    /// Apps, Microsoft); not in RFC 6749, read as leniently as `expires_in`.
    #[serde(default, deserialize_with = "lenient_seconds")]
    pub refresh_token_expires_in: Lifetime,
    #[serde(default, deserialize_with = "lenient_scopes")]
    pub scope: Option<Vec<String>>,
    #[serde(default)]
    pub id_token: Option<String>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
    /// Keeps `scopes()` borrowable as oauth2 wants it.
    #[serde(skip)]
    parsed_scopes: Option<Vec<Scope>>,
    /// The fields of `extra` that become vars (the service's
    /// `token_vars`); `None`: every non-secret string.
    #[serde(skip)]
    var_fields: Option<Vec<String>>,
    /// Vars learnt from the metadata request.
    #[serde(skip)]
    metadata_vars: BTreeMap<String, String>,
}

fn bearer() -> BasicTokenType {
    BasicTokenType::Bearer
}

impl oauth2::TokenResponse for Tokens {
    type TokenType = BasicTokenType;

    fn access_token(&self) -> &AccessToken {
        &self.access_token
    }

    fn token_type(&self) -> &BasicTokenType {
        &self.token_type
    }

    fn expires_in(&self) -> Option<Duration> {
        self.expires_in.seconds().map(Duration::from_secs)
    }

    fn refresh_token(&self) -> Option<&RefreshToken> {
        self.refresh_token.as_ref()
    }

    fn scopes(&self) -> Option<&Vec<Scope>> {
        self.parsed_scopes.as_ref()
    }
}

/// What a token response says of its access token's lifetime (RFC 6749
/// §5.1 `expires_in`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lifetime {
    /// No `expires_in`, or 0, which MailChimp sends for a token that never
    /// expires: no expiry is known.
    #[default]
    Unstated,
    /// This many seconds from when the answer came.
    Seconds(u64),
    /// An `expires_in` that is no lifetime (`-100`, `"soon"`, `true`):
    /// taken as [`UNKNOWN_LIFETIME`].
    Unreadable,
}

impl Lifetime {
    /// A lifetime of `seconds` as a provider wrote it: whole seconds (a
    /// fraction is dropped), 0 for "never expires".
    fn of(seconds: f64) -> Lifetime {
        if !seconds.is_finite() || seconds < 0.0 {
            return Lifetime::Unreadable;
        }
        // Finite and not negative: the cast saturates at u64::MAX, which
        // is "never" by another name.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        match seconds as u64 {
            0 => Lifetime::Unstated,
            whole => Lifetime::Seconds(whole),
        }
    }

    /// The lifetime in seconds, when one is known or assumed.
    pub fn seconds(self) -> Option<u64> {
        match self {
            Lifetime::Unstated => None,
            Lifetime::Seconds(seconds) => Some(seconds),
            Lifetime::Unreadable => Some(UNKNOWN_LIFETIME),
        }
    }

    /// When a token that arrived at `now` expires.
    pub fn expires_at(self, now: u64) -> Option<u64> {
        self.seconds().map(|seconds| now.saturating_add(seconds))
    }
}

/// As `expires_in` would be written: seconds, or nothing.
impl Serialize for Lifetime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.seconds().serialize(s)
    }
}

/// `expires_in` as a number, a numeric string, or anything else (which is
/// [`Lifetime::Unreadable`] rather than a response that cannot be read).
fn lenient_seconds<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Lifetime, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Seconds {
        Number(f64),
        Text(String),
        Other(serde::de::IgnoredAny),
    }
    Ok(match Option::<Seconds>::deserialize(d)? {
        None => Lifetime::Unstated,
        Some(Seconds::Number(n)) => Lifetime::of(n),
        // A form-encoded answer may say `expires_in=` for "not said".
        Some(Seconds::Text(t)) if t.trim().is_empty() => Lifetime::Unstated,
        Some(Seconds::Text(t)) => t
            .trim()
            .parse::<f64>()
            .map_or(Lifetime::Unreadable, Lifetime::of),
        Some(Seconds::Other(_)) => Lifetime::Unreadable,
    })
}

fn lenient_scopes<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Scopes {
        Text(String),
        List(Vec<String>),
    }
    Ok(match Option::<Scopes>::deserialize(d)? {
        Some(Scopes::Text(t)) => Some(
            t.split(|c: char| c.is_whitespace() || c == ',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        ),
        Some(Scopes::List(list)) => Some(list),
        None => None,
    })
}

pub(crate) type OauthClient = oauth2::Client<
    BasicErrorResponse,
    Tokens,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// A client for `endpoint`'s token URL, authenticating as it says.
pub(crate) fn client(endpoint: &Endpoint) -> Result<OauthClient> {
    let url = TokenUrl::new(endpoint.url.clone())
        .map_err(|e| Error::usage(format!("token URL is invalid: {e}"), None))?;
    let secret = endpoint.client_secret.as_ref().map(Secret::expose);
    let (auth_type, secret) = match endpoint.client_auth.presentation(secret.is_some()) {
        Presentation::Basic => (AuthType::BasicAuth, secret),
        // The `oauth2` crate sends Basic only with a secret: an empty one.
        Presentation::BasicEmptyPassword => (AuthType::BasicAuth, Some("")),
        Presentation::Body => (AuthType::RequestBody, secret),
    };
    let mut client = oauth2::Client::new(ClientId::new(endpoint.client_id.clone()))
        .set_token_uri(url)
        .set_auth_type(auth_type);
    if let Some(secret) = secret {
        client = client.set_client_secret(ClientSecret::new(secret.to_string()));
    }
    Ok(client)
}

/// Exchanges an authorization code (RFC 6749 §4.1.3, RFC 7636 §4.5).
pub async fn exchange_code(
    net: &Net,
    endpoint: &Endpoint,
    code: String,
    redirect_uri: &str,
    verifier: Option<PkceCodeVerifier>,
) -> Result<Tokens> {
    let redirect = RedirectUrl::new(redirect_uri.to_string())
        .map_err(|e| Error::Other(format!("redirect URI is invalid: {e}")))?;
    let client = client(endpoint)?;
    let mut request = client
        .exchange_code(AuthorizationCode::new(code))
        .set_redirect_uri(std::borrow::Cow::Owned(redirect));
    if let Some(verifier) = verifier {
        request = request.set_pkce_verifier(verifier);
    }
    for (k, v) in &endpoint.extra {
        request = request.add_extra_param(k.clone(), v.clone());
    }
    let mut tokens = tokens_or_error(
        request
            .request_async(&Http::new(net.client_for(&endpoint.url)?, endpoint))
            .await,
        TokenRequest::CodeExchange,
        endpoint,
    )?;
    if let Some(metadata) = &endpoint.metadata {
        tokens.metadata_vars = fetch_metadata(net, metadata, tokens.access_token.secret()).await?;
    }
    Ok(tokens)
}

/// Refreshes an access token (RFC 6749 §6). An `invalid_grant` answer
/// means the user must authorize again.
pub async fn refresh(net: &Net, endpoint: &Endpoint, refresh_token: &Secret) -> Result<Tokens> {
    let client = client(endpoint)?;
    let token = RefreshToken::new(refresh_token.expose().to_string());
    let mut request = client.exchange_refresh_token(&token);
    for (k, v) in &endpoint.extra {
        request = request.add_extra_param(k.clone(), v.clone());
    }
    tokens_or_error(
        request
            .request_async(&Http::new(net.client_for(&endpoint.url)?, endpoint))
            .await,
        TokenRequest::Refresh,
        endpoint,
    )
}

/// Client credentials grant (RFC 6749 §4.4).
pub async fn client_credentials(
    net: &Net,
    endpoint: &Endpoint,
    scopes: &[String],
) -> Result<Tokens> {
    let client = client(endpoint)?;
    let mut request = client.exchange_client_credentials();
    if let Some(scope) = with_scopes(scopes, &endpoint.scope_separator) {
        request = request.add_extra_param("scope", scope);
    }
    for (k, v) in &endpoint.extra {
        request = request.add_extra_param(k.clone(), v.clone());
    }
    tokens_or_error(
        request
            .request_async(&Http::new(net.client_for(&endpoint.url)?, endpoint))
            .await,
        TokenRequest::ClientCredentials,
        endpoint,
    )
}

/// A token response that carries a usable access token, its scopes
/// parsed: refused when a field could not be sent or stored as it is (see
/// the module docs); a blank refresh or ID token counts as none.
pub(crate) fn checked(
    mut tokens: Tokens,
    request: TokenRequest,
    endpoint: &Endpoint,
) -> Result<Tokens> {
    let refused = |problem| Error::TokenAnswer { request, problem };
    tokens.var_fields.clone_from(&endpoint.token_vars);
    if tokens.access_token.secret().trim().is_empty() {
        return Err(refused(AnswerProblem::EmptyAccessToken));
    }
    if tokens
        .refresh_token
        .as_ref()
        .is_some_and(|t| t.secret().trim().is_empty())
    {
        tokens.refresh_token = None;
    }
    if tokens
        .id_token
        .as_ref()
        .is_some_and(|t| t.trim().is_empty())
    {
        tokens.id_token = None;
    }
    if let Some((field, fault)) = tokens.faulty_field() {
        return Err(refused(AnswerProblem::BadField { field, fault }));
    }
    if tokens.expires_in == Lifetime::Unreadable {
        ui::warn(&format!(
            "the {request} gave an `expires_in` that is not a number of seconds; the token counts as expiring in an hour"
        ));
    }
    tokens.parsed_scopes = tokens
        .scope
        .as_ref()
        .map(|s| s.iter().cloned().map(Scope::new).collect());
    Ok(tokens)
}

/// What is wrong with a token field's `text`, if anything.
fn field_fault(text: &str) -> Option<FieldFault> {
    if text.len() > MAX_TOKEN_LEN {
        Some(FieldFault::TooLong)
    } else if text.chars().any(char::is_control) {
        Some(FieldFault::ControlCharacter)
    } else {
        None
    }
}

/// The `scope` parameter for `scopes`, if any.
pub(crate) fn with_scopes(scopes: &[String], separator: &str) -> Option<String> {
    (!scopes.is_empty()).then(|| scopes.join(separator))
}

/// Which token to revoke (RFC 7009 §2.1 `token_type_hint`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Access,
    Refresh,
}

/// Revokes a token at `revoke_url` (RFC 7009 §2.1), authenticating like
/// the token endpoint. Written by hand rather than with the `oauth2` crate,
/// whose revocation refuses plain-http loopback endpoints that tether
/// otherwise allows (RFC 8252 §8.3).
pub async fn revoke(
    net: &Net,
    endpoint: &Endpoint,
    revoke_url: &str,
    token: &Secret,
    kind: TokenKind,
) -> Result<()> {
    let hint = match kind {
        TokenKind::Access => "access_token",
        TokenKind::Refresh => "refresh_token",
    };
    let request = TokenRequest::Revocation;
    let fields = [("token", token.expose()), ("token_type_hint", hint)];
    client_post(net, endpoint, revoke_url, &fields, request).await?;
    Ok(())
}

/// What an introspection endpoint says of a token (RFC 7662 §2.2).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Introspection {
    pub active: bool,
    /// The scopes the token carries, space-separated.
    #[serde(default)]
    pub scope: Option<String>,
}

/// Asks `introspection_url` about an access token (RFC 7662 §2.1),
/// authenticating like the token endpoint.
pub async fn introspect(
    net: &Net,
    endpoint: &Endpoint,
    introspection_url: &str,
    token: &Secret,
) -> Result<Introspection> {
    let request = TokenRequest::Introspection;
    let fields = [
        ("token", token.expose()),
        ("token_type_hint", "access_token"),
    ];
    let body = client_post(net, endpoint, introspection_url, &fields, request).await?;
    serde_json::from_slice(&body).map_err(|_| Error::TokenAnswer {
        request,
        problem: AnswerProblem::Failed {
            detail: "its answer has no `active` (RFC 7662 §2.2)".into(),
        },
    })
}

/// POSTs the form `fields` to `url` with the client's authentication as
/// the token endpoint takes it (RFC 6749 §2.3.1); the body of a 2xx
/// answer, or the error the answer means.
async fn client_post(
    net: &Net,
    endpoint: &Endpoint,
    url: &str,
    fields: &[(&str, &str)],
    request: TokenRequest,
) -> Result<Vec<u8>> {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.extend_pairs(fields);
    let mut builder = net
        .client_for(url)?
        .post(url)
        .header(
            http::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .header(http::header::ACCEPT, "application/json");
    let secret = endpoint.client_secret.as_ref();
    match endpoint.client_auth.presentation(secret.is_some()) {
        Presentation::Basic | Presentation::BasicEmptyPassword => {
            // RFC 6749 §2.3.1: both parts form-encoded before Basic.
            let id: String =
                url::form_urlencoded::byte_serialize(endpoint.client_id.as_bytes()).collect();
            let secret: String =
                url::form_urlencoded::byte_serialize(secret.map_or("", |s| s.expose()).as_bytes())
                    .collect();
            builder = builder.basic_auth(id, Some(secret));
        }
        Presentation::Body => {
            form.append_pair("client_id", &endpoint.client_id);
            if let Some(secret) = secret {
                form.append_pair("client_secret", secret.expose());
            }
        }
    }
    let response = builder
        .body(form.finish())
        .send()
        .await
        .map_err(|e| Error::Network {
            what: format!("the {request} failed"),
            reason: failure_reason(e),
        })?;
    let status = response.status();
    // An answer that cannot be read is one without an error code.
    let body = read_answer(response).await.unwrap_or_default();
    if status.is_success() {
        return Ok(body);
    }
    let error: Option<BasicErrorResponse> = serde_json::from_slice(&body).ok();
    Err(match error {
        Some(error) => refused(request, &error),
        None => Error::TokenAnswer {
            request,
            problem: AnswerProblem::Status {
                status: status.as_u16(),
            },
        },
    })
}

/// The tokens of a token endpoint's answer to `request`, or the error it
/// means.
pub(crate) fn tokens_or_error(
    result: std::result::Result<Tokens, RequestTokenError<HttpError, BasicErrorResponse>>,
    request: TokenRequest,
    endpoint: &Endpoint,
) -> Result<Tokens> {
    let answer = |problem| Error::TokenAnswer { request, problem };
    match result {
        Ok(tokens) => checked(tokens, request, endpoint),
        Err(RequestTokenError::ServerResponse(response)) => Err(refused(request, &response)),
        Err(RequestTokenError::Request(failure)) => {
            Err(failure.into_error(request, || format!("the {request} failed")))
        }
        Err(RequestTokenError::Parse(_, _)) => Err(answer(AnswerProblem::NotTokens)),
        Err(RequestTokenError::Other(detail)) => Err(answer(AnswerProblem::Failed { detail })),
    }
}

/// The provider's refusal of `request`, its error response read.
pub(crate) fn refused<T: ErrorResponseType + AsRef<str>>(
    request: TokenRequest,
    response: &StandardErrorResponse<T>,
) -> Error {
    let (code, description) = error_fields(response);
    Error::Provider {
        request,
        code,
        description,
    }
}

/// Why the exchange with a provider's endpoint failed before the `oauth2`
/// crate could read an answer.
#[derive(Debug)]
pub enum HttpError {
    /// The request or the answer failed on the way; already described
    /// without any URL or secret.
    Transport(String),
    /// The answer is longer than [`MAX_ANSWER`].
    TooLarge,
    /// See [`AnswerProblem::ErrorStatus`].
    Status {
        status: u16,
        code: Option<TokenErrorCode>,
        description: Option<String>,
    },
}

impl HttpError {
    /// The failure an answer of `status` with `body` is before the `oauth2`
    /// crate reads it, if it is one the crate would misread: a server
    /// error (5xx), or an error status without an error response (RFC 6749
    /// §5.2), which the crate calls no token response.
    fn of_status(status: http::StatusCode, body: &[u8]) -> Option<HttpError> {
        if status.is_success() {
            return None;
        }
        let error = serde_json::from_slice::<BasicErrorResponse>(body).ok();
        if error.is_some() && !status.is_server_error() {
            return None;
        }
        let (code, description) = error.as_ref().map(error_fields).unzip();
        Some(HttpError::Status {
            status: status.as_u16(),
            code,
            description: description.flatten(),
        })
    }

    /// The error this failure of `request` is; `network` says what failed
    /// when the network did.
    pub(crate) fn into_error(
        self,
        request: TokenRequest,
        network: impl FnOnce() -> String,
    ) -> Error {
        match self {
            HttpError::Transport(reason) => Error::Network {
                what: network(),
                reason,
            },
            HttpError::TooLarge => Error::TokenAnswer {
                request,
                problem: AnswerProblem::TooLarge,
            },
            HttpError::Status {
                status,
                code,
                description,
            } => Error::TokenAnswer {
                request,
                problem: AnswerProblem::ErrorStatus {
                    status,
                    code,
                    description,
                },
            },
        }
    }
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HttpError::Transport(reason) => f.write_str(reason),
            HttpError::TooLarge => write!(f, "an answer larger than {}", size_text(MAX_ANSWER)),
            HttpError::Status { status, .. } => write!(f, "HTTP {status}"),
        }
    }
}

impl std::error::Error for HttpError {}

/// Why an answer's body could not be read.
#[derive(Debug)]
pub(crate) enum ReadFailure {
    Transport(reqwest::Error),
    /// It is longer than [`MAX_ANSWER`].
    TooLarge,
}

/// The body of a provider's `response`, read piece by piece and given up
/// on as soon as it passes [`MAX_ANSWER`] (or says it will).
pub(crate) async fn read_answer(
    mut response: reqwest::Response,
) -> std::result::Result<Vec<u8>, ReadFailure> {
    if response
        .content_length()
        .is_some_and(|length| length > MAX_ANSWER as u64)
    {
        return Err(ReadFailure::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(piece) = response.chunk().await.map_err(ReadFailure::Transport)? {
        if body.len() + piece.len() > MAX_ANSWER {
            return Err(ReadFailure::TooLarge);
        }
        body.extend_from_slice(&piece);
    }
    Ok(body)
}

impl From<ReadFailure> for HttpError {
    fn from(failure: ReadFailure) -> HttpError {
        match failure {
            ReadFailure::Transport(e) => HttpError::Transport(failure_reason(e)),
            ReadFailure::TooLarge => HttpError::TooLarge,
        }
    }
}

/// Fetches a service's metadata URL with the new access token and picks
/// the vars it names (MailChimp's `dc`, Atlassian's cloud id).
async fn fetch_metadata(
    net: &Net,
    metadata: &Metadata,
    access_token: &str,
) -> Result<BTreeMap<String, String>> {
    let failed = |reason: String| Error::Network {
        what: "the metadata request failed".into(),
        reason,
    };
    let response = net
        .client_for(&metadata.url)?
        .get(&metadata.url)
        .header(
            http::header::AUTHORIZATION,
            format!("{} {access_token}", metadata.scheme),
        )
        .header(http::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(|e| failed(failure_reason(e)))?;
    let status = response.status();
    if !status.is_success() {
        return Err(Error::Metadata(MetadataProblem::Status {
            status: status.as_u16(),
        }));
    }
    let body = read_answer(response)
        .await
        .map_err(|failure| match failure {
            ReadFailure::Transport(e) => failed(failure_reason(e)),
            ReadFailure::TooLarge => Error::Metadata(MetadataProblem::TooLarge),
        })?;
    let value: serde_json::Value =
        serde_json::from_slice(&body).map_err(|_| Error::Metadata(MetadataProblem::NotJson))?;
    pick_vars(&value, &metadata.vars)
}

/// The vars `paths` names, read from `value`.
fn pick_vars(
    value: &serde_json::Value,
    paths: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>> {
    paths
        .iter()
        .map(|(var, path)| {
            let text = match at_path(value, path) {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) => {
                    v.to_string()
                }
                _ => {
                    return Err(Error::Metadata(MetadataProblem::NoValue {
                        path: path.clone(),
                        var: var.clone(),
                    }));
                }
            };
            Ok((var.clone(), text))
        })
        .collect()
}

/// The value at a dotted path: object keys, or array indexes (`0.id`).
fn at_path<'v>(value: &'v serde_json::Value, path: &str) -> Option<&'v serde_json::Value> {
    path.split('.').try_fold(value, |v, segment| match v {
        serde_json::Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => v.get(segment),
    })
}

/// The `oauth2` crate's HTTP client, over tether's reqwest client.
pub(crate) struct Http<'a> {
    client: &'a reqwest::Client,
    /// Where the token fields are nested, if the provider nests them.
    token_path: Option<&'a str>,
}

impl<'a> Http<'a> {
    pub(crate) fn new(client: &'a reqwest::Client, endpoint: &'a Endpoint) -> Http<'a> {
        Http {
            client,
            token_path: endpoint.token_path.as_deref(),
        }
    }
}

impl<'c> oauth2::AsyncHttpClient<'c> for Http<'_> {
    type Error = HttpError;
    type Future =
        Pin<Box<dyn Future<Output = std::result::Result<oauth2::HttpResponse, HttpError>> + 'c>>;

    fn call(&'c self, request: oauth2::HttpRequest) -> Self::Future {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let response = self
                .client
                .request(parts.method, parts.uri.to_string())
                .headers(parts.headers)
                .body(body)
                .send()
                .await
                .map_err(|e| HttpError::Transport(failure_reason(e)))?;
            let status = response.status();
            if status.is_redirection() {
                return Err(redirect_refused(status));
            }
            let headers = response.headers().clone();
            let body = read_answer(response).await?;
            shaped_answer(status, &headers, body, self.token_path)
        })
    }
}

/// A token endpoint that redirects: tether does not follow it there.
fn redirect_refused(status: http::StatusCode) -> HttpError {
    HttpError::Transport(format!(
        "the endpoint answered a redirect ({status}); tether does not follow redirects there: check the URL"
    ))
}

/// A token endpoint's answer as the `oauth2` crate should read it: form or
/// text bodies made JSON, nested tokens moved up (`token_path`), and the
/// answers the crate would misread turned into errors first. Pure: the
/// HTTP adapter calls it with what arrived, the fuzzer with what it makes.
pub(crate) fn shaped_answer(
    status: http::StatusCode,
    headers: &http::HeaderMap,
    body: Vec<u8>,
    token_path: Option<&str>,
) -> std::result::Result<oauth2::HttpResponse, HttpError> {
    if status.is_redirection() {
        return Err(redirect_refused(status));
    }
    let (content_type, body) = json_body(headers.get(http::header::CONTENT_TYPE), body);
    let (status, body) = reshape(status, body, token_path);
    if let Some(failure) = HttpError::of_status(status, &body) {
        return Err(failure);
    }
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        if name != http::header::CONTENT_TYPE {
            builder = builder.header(name, value);
        }
    }
    if let Some(content_type) = content_type {
        builder = builder.header(http::header::CONTENT_TYPE, content_type);
    }
    builder
        .body(body)
        .map_err(|e| HttpError::Transport(e.to_string()))
}

/// Some providers answer token requests form-encoded (`a=1&b=2`) or as
/// `text/plain`; the `oauth2` crate reads JSON only, so such bodies are
/// turned into the JSON object they mean.
pub(crate) fn json_body(
    content_type: Option<&http::HeaderValue>,
    body: Vec<u8>,
) -> (Option<http::HeaderValue>, Vec<u8>) {
    let kind = content_type
        .and_then(|v| v.to_str().ok())
        .map(crate::http::media_type)
        .unwrap_or_default();
    let looks_like_json = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if kind.ends_with("json") || (kind.is_empty() || kind == "text/plain") && looks_like_json {
        return (
            Some(http::HeaderValue::from_static("application/json")),
            body,
        );
    }
    if kind == "application/x-www-form-urlencoded" || kind == "text/plain" {
        let object: serde_json::Map<String, serde_json::Value> = url::form_urlencoded::parse(&body)
            .into_owned()
            .map(|(k, v)| (k, serde_json::Value::String(v)))
            .collect();
        let json = serde_json::to_vec(&object).unwrap_or_default();
        return (
            Some(http::HeaderValue::from_static("application/json")),
            json,
        );
    }
    (content_type.cloned(), body)
}

/// Makes a JSON token response standard: the fields of the object at
/// `token_path` move to the top level (over the ones there) when that
/// object holds an access token, and an error object answered with a
/// success status gets status 400, as RFC 6749 §5.2 wants.
pub(crate) fn reshape(
    status: http::StatusCode,
    body: Vec<u8>,
    token_path: Option<&str>,
) -> (http::StatusCode, Vec<u8>) {
    let Ok(serde_json::Value::Object(mut object)) = serde_json::from_slice(&body) else {
        return (status, body);
    };
    let mut changed = false;
    if let Some(path) = token_path
        && let Some(serde_json::Value::Object(nested)) =
            at_path(&serde_json::Value::Object(object.clone()), path).cloned()
        && nested.contains_key("access_token")
    {
        if let Some(top) = path.split('.').next() {
            object.remove(top);
        }
        object.extend(nested);
        changed = true;
    }
    let status = if status.is_success()
        && object.contains_key("error")
        && !object.contains_key("access_token")
    {
        http::StatusCode::BAD_REQUEST
    } else {
        status
    };
    if changed {
        (status, serde_json::to_vec(&object).unwrap_or(body))
    } else {
        (status, body)
    }
}

/// The token-response fields that become connection vars: short strings
/// without control characters that are not credentials (`api_domain`,
/// `instance_url`, …).
pub fn vars_from_extra(extra: &BTreeMap<String, serde_json::Value>) -> BTreeMap<String, String> {
    extra
        .iter()
        .filter(|(key, _)| !is_secret_field(key))
        .filter_map(|(key, value)| value.as_str().map(|v| (key.clone(), v.to_string())))
        .filter(|(key, value)| {
            key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && value.len() <= 512
                && !value.chars().any(char::is_control)
        })
        .collect()
}

/// The extra fields kept as connection metadata: everything that is not a
/// credential.
pub fn metadata_from_extra(
    extra: &BTreeMap<String, serde_json::Value>,
) -> BTreeMap<String, serde_json::Value> {
    extra
        .iter()
        .filter(|(key, _)| !is_secret_field(key))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn is_secret_field(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["token", "secret", "password", "code", "key", "signature"]
        .iter()
        .any(|word| key.contains(word))
}

impl Tokens {
    /// The first field that cannot be kept as it is, and why.
    fn faulty_field(&self) -> Option<(TokenField, FieldFault)> {
        let fields = [
            (TokenField::AccessToken, Some(self.access_token.secret())),
            (
                TokenField::RefreshToken,
                self.refresh_token.as_ref().map(RefreshToken::secret),
            ),
            (TokenField::IdToken, self.id_token.as_ref()),
            (
                TokenField::TokenType,
                Some(&self.token_type.as_ref().to_string()),
            ),
        ];
        let scopes = self
            .scope
            .iter()
            .flatten()
            .map(|s| (TokenField::Scope, Some(s)));
        fields
            .into_iter()
            .chain(scopes)
            .find_map(|(field, text)| Some((field, field_fault(text?)?)))
    }

    /// The connection record for freshly issued tokens. `previous` is the
    /// record being refreshed: its refresh token is kept when the provider
    /// sends none (RFC 6749 §6), and its vars survive, and so do the
    /// lifetime facts of a refresh token that was not replaced. Only a
    /// stated `refresh_token_expires_in` counts: an unreadable one says
    /// nothing of the refresh token.
    pub fn into_record(
        self,
        service: &str,
        auth: AuthKind,
        now: u64,
        requested: &[String],
        previous: Option<&Record>,
    ) -> Record {
        let rotated = self.refresh_token.is_some();
        let mut vars = previous.map(|p| p.vars.clone()).unwrap_or_default();
        let from_extra = vars_from_extra(&self.extra);
        match &self.var_fields {
            Some(fields) => vars.extend(
                from_extra
                    .into_iter()
                    .filter(|(key, _)| fields.contains(key)),
            ),
            None => vars.extend(from_extra),
        }
        vars.extend(self.metadata_vars);
        let mut extras = previous.map(|p| p.extras.clone()).unwrap_or_default();
        extras.extend(metadata_from_extra(&self.extra));
        Record {
            service: service.to_string(),
            auth,
            access_token: Some(Secret::new(self.access_token.secret().clone())),
            refresh_token: match self.refresh_token {
                Some(t) => Some(Secret::new(t.secret().clone())),
                None => previous.and_then(|p| p.refresh_token.clone()),
            },
            token_type: Some(self.token_type.as_ref().to_string()),
            expires_at: self.expires_in.expires_at(now),
            scopes: self
                .scope
                .or_else(|| previous.map(|p| p.scopes.clone()))
                .unwrap_or_else(|| requested.to_vec()),
            obtained_at: now,
            refresh_token_issued_at: if rotated {
                Some(now)
            } else {
                previous.and_then(|p| p.refresh_token_issued_at)
            },
            authorized_at: Some(previous.map_or(now, |p| {
                p.authorized_at
                    .or(p.refresh_token_issued_at)
                    .unwrap_or(p.obtained_at)
            })),
            refresh_token_expires_at: match self.refresh_token_expires_in {
                Lifetime::Seconds(seconds) => Some(now.saturating_add(seconds)),
                _ if rotated => None,
                _ => previous.and_then(|p| p.refresh_token_expires_at),
            },
            refresh_token_used_at: previous.and_then(|p| p.refresh_token_used_at),
            notified_lapse_at: previous.and_then(|p| p.notified_lapse_at),
            id_token: self
                .id_token
                .map(Secret::new)
                .or_else(|| previous.and_then(|p| p.id_token.clone())),
            username: previous.and_then(|p| p.username.clone()),
            secret: None,
            token_secret: None,
            extras,
            vars,
            needs_authorization: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Tokens {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn tolerant_token_responses() {
        let t = parse(
            r#"{"access_token":"a","token_type":"bearer","expires_in":"3600","scope":"read,write"}"#,
        );
        assert_eq!(t.expires_in, Lifetime::Seconds(3600));
        assert_eq!(
            t.scope.as_deref(),
            Some(&["read".to_string(), "write".to_string()][..])
        );
        let t = parse(r#"{"access_token":"a"}"#);
        assert_eq!(t.token_type, BasicTokenType::Bearer);
        assert_eq!(t.expires_in, Lifetime::Unstated);
        assert!(t.refresh_token.is_none() && t.scope.is_none());
        let t = parse(
            r#"{"access_token":"a","expires_in":3599.6,"api_domain":"https://www.zohoapis.eu","refresh_token_expires_in":7200,"id_token":"x.y.z"}"#,
        );
        assert_eq!(t.expires_in, Lifetime::Seconds(3599));
        assert_eq!(t.id_token.as_deref(), Some("x.y.z"));
        let vars = vars_from_extra(&t.extra);
        assert_eq!(
            vars.get("api_domain").map(String::as_str),
            Some("https://www.zohoapis.eu")
        );
        assert!(!vars.contains_key("refresh_token_expires_in"));
    }

    #[test]
    fn answers_are_read_up_to_the_limit_and_not_past_it() {
        let runtime = crate::http::client::runtime().unwrap();
        let read = |body: Vec<u8>| {
            runtime.block_on(read_answer(reqwest::Response::from(http::Response::new(
                body,
            ))))
        };
        assert_eq!(read(vec![b'a'; MAX_ANSWER]).unwrap().len(), MAX_ANSWER);
        assert!(matches!(
            read(vec![b'a'; MAX_ANSWER + 1]),
            Err(ReadFailure::TooLarge)
        ));
    }

    #[test]
    fn form_encoded_bodies_become_json() {
        let form =
            http::HeaderValue::from_static("application/x-www-form-urlencoded; charset=utf-8");
        let (ct, body) = json_body(
            Some(&form),
            b"access_token=abc&token_type=bearer&scope=repo%2Cgist".to_vec(),
        );
        assert_eq!(ct.unwrap(), "application/json");
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(value["access_token"], "abc");
        assert_eq!(value["scope"], "repo,gist");
        let plain = http::HeaderValue::from_static("text/plain");
        let (_, body) = json_body(Some(&plain), br#"{"access_token":"x"}"#.to_vec());
        assert_eq!(body, br#"{"access_token":"x"}"#);
    }

    #[test]
    fn nested_tokens_move_to_the_top_and_errors_in_a_200_become_400() {
        let ok = http::StatusCode::OK;
        let slack = br#"{"ok":true,"access_token":"xoxb-bot","token_type":"bot","app_id":"A1","authed_user":{"id":"U1","access_token":"xoxp-user","token_type":"user","refresh_token":"r"}}"#;
        let (status, body) = reshape(ok, slack.to_vec(), Some("authed_user"));
        assert_eq!(status, ok);
        let t = parse(std::str::from_utf8(&body).unwrap());
        assert_eq!(t.access_token.secret(), "xoxp-user");
        assert_eq!(t.refresh_token.unwrap().secret(), "r");
        assert_eq!(t.extra["app_id"], "A1");
        assert!(!t.extra.contains_key("authed_user"));
        // A bot-only answer: nothing nested to take, the top level stays.
        let bot = br#"{"access_token":"xoxb-bot","authed_user":{"id":"U1"}}"#;
        let (_, body) = reshape(ok, bot.to_vec(), Some("authed_user"));
        assert_eq!(body, bot);
        let (status, _) = reshape(ok, br#"{"ok":false,"error":"invalid_code"}"#.to_vec(), None);
        assert_eq!(status, http::StatusCode::BAD_REQUEST);
    }

    #[test]
    fn zero_lifetime_means_no_expiry() {
        assert_eq!(
            parse(r#"{"access_token":"a","expires_in":0}"#).expires_in,
            Lifetime::Unstated
        );
        assert_eq!(
            parse(r#"{"access_token":"a","expires_in":"0"}"#).expires_in,
            Lifetime::Unstated
        );
    }

    #[test]
    fn a_lifetime_that_is_no_number_of_seconds_is_unreadable_never_unstated() {
        let lifetime = |value: &str| {
            parse(&format!(r#"{{"access_token":"a","expires_in":{value}}}"#)).expires_in
        };
        for value in [
            "-100",
            r#""-100""#,
            r#""soon""#,
            "true",
            "{}",
            "[3600]",
            r#""NaN""#,
        ] {
            assert_eq!(lifetime(value), Lifetime::Unreadable, "{value}");
        }
        assert_eq!(lifetime(r#""1e3""#), Lifetime::Seconds(1000));
        assert_eq!(lifetime(r#"" 60 ""#), Lifetime::Seconds(60));
        assert_eq!(lifetime(r#""""#), Lifetime::Unstated, "an empty form value");
        assert_eq!(lifetime("null"), Lifetime::Unstated);
        assert_eq!(
            Lifetime::Unreadable.expires_at(1_000),
            Some(1_000 + UNKNOWN_LIFETIME)
        );
        assert_eq!(Lifetime::Unstated.expires_at(1_000), None);
        assert_eq!(
            Lifetime::Seconds(u64::MAX).expires_at(1_000),
            Some(u64::MAX)
        );
    }

    fn endpoint() -> Endpoint {
        Endpoint {
            url: "https://id.example/token".into(),
            client_id: "c".into(),
            client_secret: None,
            client_auth: ClientAuth::Body,
            extra: BTreeMap::new(),
            scope_separator: " ".into(),
            token_path: None,
            token_vars: None,
            metadata: None,
        }
    }

    fn problem(json: &str) -> Option<AnswerProblem> {
        match checked(parse(json), TokenRequest::Refresh, &endpoint()) {
            Ok(_) => None,
            Err(Error::TokenAnswer { problem, .. }) => Some(problem),
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn fields_no_request_could_carry_are_refused() {
        let bad = |field, fault| Some(AnswerProblem::BadField { field, fault });
        let control = FieldFault::ControlCharacter;
        assert_eq!(
            problem(r#"{"access_token":"a\r\nX-Injected: 1"}"#),
            bad(TokenField::AccessToken, control)
        );
        assert_eq!(
            problem(r#"{"access_token":"a","refresh_token":"r\u001b[2J"}"#),
            bad(TokenField::RefreshToken, control)
        );
        assert_eq!(
            problem(r#"{"access_token":"a","id_token":"x\u0000"}"#),
            bad(TokenField::IdToken, control)
        );
        assert_eq!(
            problem(r#"{"access_token":"a","token_type":"Bearer\nX: 1"}"#),
            bad(TokenField::TokenType, control)
        );
        assert_eq!(
            problem(r#"{"access_token":"a","scope":["read","wr\tite"]}"#),
            bad(TokenField::Scope, control)
        );
        let long = "t".repeat(MAX_TOKEN_LEN + 1);
        assert_eq!(
            problem(&format!(r#"{{"access_token":"{long}"}}"#)),
            bad(TokenField::AccessToken, FieldFault::TooLong)
        );
        let longest = "t".repeat(MAX_TOKEN_LEN);
        assert_eq!(problem(&format!(r#"{{"access_token":"{longest}"}}"#)), None);
        for blank in ["", " ", "\\t"] {
            assert_eq!(
                problem(&format!(r#"{{"access_token":"{blank}"}}"#)),
                Some(AnswerProblem::EmptyAccessToken),
                "{blank:?}"
            );
        }
        assert_eq!(problem(r#"{"access_token":"a b~+/=é"}"#), None);
    }

    #[test]
    fn a_blank_refresh_or_id_token_counts_as_none() {
        let tokens = checked(
            parse(r#"{"access_token":"a","refresh_token":" ","id_token":""}"#),
            TokenRequest::Refresh,
            &endpoint(),
        )
        .unwrap();
        assert!(tokens.refresh_token.is_none() && tokens.id_token.is_none());
    }

    #[test]
    fn metadata_vars_follow_dotted_paths() {
        let paths: BTreeMap<String, String> = [
            ("dc".to_string(), "dc".to_string()),
            ("cloud_id".to_string(), "0.id".to_string()),
        ]
        .into();
        let answer = serde_json::json!({"dc": "us21"});
        let err = pick_vars(&answer, &paths).unwrap_err();
        assert!(err.to_string().contains("no `0.id`"), "{err}");
        let answer = serde_json::json!([{"id": "c1d2"}]);
        assert_eq!(
            pick_vars(
                &answer,
                &[("cloud_id".to_string(), "0.id".to_string())].into()
            )
            .unwrap()["cloud_id"],
            "c1d2"
        );
        let answer =
            serde_json::json!({"dc": "us21", "api_endpoint": "https://us21.api.mailchimp.com"});
        assert_eq!(
            pick_vars(&answer, &[("dc".to_string(), "dc".to_string())].into()).unwrap()["dc"],
            "us21"
        );
    }

    #[test]
    fn token_vars_choose_the_vars() {
        let mut t =
            parse(r#"{"access_token":"a","api_domain":"https://www.zohoapis.eu","location":"eu"}"#);
        t.var_fields = Some(vec!["api_domain".into()]);
        let record = t.into_record("z", AuthKind::Oauth2, 0, &[], None);
        assert_eq!(record.vars.keys().collect::<Vec<_>>(), ["api_domain"]);
        let t =
            parse(r#"{"access_token":"a","api_domain":"https://www.zohoapis.eu","location":"eu"}"#);
        let record = t.into_record("z", AuthKind::Oauth2, 0, &[], None);
        assert_eq!(record.vars.len(), 2, "unset: every non-secret string");
    }

    #[test]
    fn secret_fields_never_become_vars() {
        let mut extra = BTreeMap::new();
        extra.insert(
            "instance_url".to_string(),
            serde_json::json!("https://na1.salesforce.com"),
        );
        extra.insert("signature".to_string(), serde_json::json!("sig"));
        extra.insert(
            "authed_user".to_string(),
            serde_json::json!({"access_token": "x"}),
        );
        extra.insert(
            "instance_domain".to_string(),
            serde_json::json!("evil.example\r\nX: 1"),
        );
        let vars = vars_from_extra(&extra);
        assert_eq!(vars.len(), 1, "{vars:?}");
        assert!(vars.contains_key("instance_url"));
    }

    #[test]
    fn the_refresh_tokens_stated_life_is_kept_until_it_is_replaced() {
        let t = parse(
            r#"{"access_token":"a","refresh_token":"r1","refresh_token_expires_in":"15897600"}"#,
        );
        assert_eq!(t.refresh_token_expires_in, Lifetime::Seconds(15_897_600));
        let first = t.into_record("gh", AuthKind::Oauth2, 1_000, &[], None);
        assert_eq!(first.refresh_token_expires_at, Some(15_898_600));
        assert_eq!(first.authorized_at, Some(1_000));
        assert!(
            !first.to_json().contains("15897600"),
            "kept as a time, not a length"
        );

        // A refresh without a new refresh token keeps the old one's facts.
        let mut used = first;
        used.refresh_token_used_at = Some(1_500);
        let kept = parse(r#"{"access_token":"b"}"#).into_record(
            "gh",
            AuthKind::Oauth2,
            2_000,
            &[],
            Some(&used),
        );
        assert_eq!(kept.refresh_token_expires_at, Some(15_898_600));
        assert_eq!(kept.refresh_token_used_at, Some(1_500));
        assert_eq!(kept.authorized_at, Some(1_000));

        // A new refresh token without a stated life has none known.
        let rotated =
            parse(r#"{"access_token":"c","refresh_token":"r2","refresh_token_expires_in":"soon"}"#)
                .into_record("gh", AuthKind::Oauth2, 3_000, &[], Some(&kept));
        assert_eq!(rotated.refresh_token_expires_at, None);
        assert_eq!(rotated.authorized_at, Some(1_000));
    }
}
