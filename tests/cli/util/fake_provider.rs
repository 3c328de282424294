//! Small OAuth 2.0 providers on loopback, each copying one real provider's
//! way of bending the standard, for the quirk knobs that the certified
//! test server cannot show.
//!
//! One server plays every part of its provider: the authorization endpoint
//! (which approves at once: it redirects to `redirect_uri` with a code and
//! the `state`, so any client that follows redirects is the browser), the
//! token endpoint (code and refresh grants, counted by grant type), the
//! MailChimp-like metadata endpoint, and an API that accepts only the
//! newest access token, with the provider's `Authorization` scheme.
//!
//! It runs on a [`TestServer`]: on drop the test fails when the fake was
//! never called or one of its handlers panicked.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::server::{Received, Reply, TestServer};

/// The client every fake provider knows.
pub const CLIENT_ID: &str = "fake-client";
pub const CLIENT_SECRET: &str = "fake-secret-7c1e9b";

/// Which provider's behaviour a fake copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quirk {
    /// GitHub: token responses form-encoded
    /// (`access_token=…&expires_in=…`), client credentials in the body,
    /// PKCE, expiring user tokens with refresh tokens.
    GitHubLikeTokenEndpoint,
    /// Slack: comma-separated scopes in `user_scope`, the user token nested
    /// in `authed_user` next to a bot token, client credentials by HTTP
    /// Basic, refresh answers at the top level.
    SlackLikeNestedTokens,
    /// MailChimp: a token that never expires (`expires_in: 0`), no refresh
    /// token, and the data centre from a metadata call authorized with
    /// `Authorization: OAuth TOKEN`.
    MailchimpLikeMetadata,
    /// Zoho: comma-separated scopes, `expires_in` as a string, the API host
    /// as `api_domain` in the token response, no refresh token in refresh
    /// answers, and `Authorization: Zoho-oauthtoken TOKEN` on API calls.
    ZohoLikeApiDomain,
}

/// Lifetime of the access tokens that expire, in seconds: tether
/// refreshes them once half of it has passed. Tests make a token due by
/// ageing its record, so it is long enough that a slow run on a loaded
/// machine never makes one due by itself.
pub const TTL: u64 = 50;

/// One token request as the fake received it.
#[derive(Debug, Clone)]
pub struct TokenRequest {
    pub form: BTreeMap<String, String>,
    /// The `Authorization` header, when there was one.
    pub authorization: Option<String>,
}

/// What the fake has seen and issued.
#[derive(Debug, Default)]
pub struct Seen {
    /// The query of each authorization request.
    pub authorizations: Vec<BTreeMap<String, String>>,
    pub token_requests: Vec<TokenRequest>,
    /// Access tokens in the order issued; only the last one is valid.
    pub access_tokens: Vec<String>,
    /// Refresh tokens in the order issued; all stay valid.
    pub refresh_tokens: Vec<String>,
    /// Codes issued and not yet spent.
    codes: Vec<String>,
    /// The `Authorization` header of each metadata request.
    pub metadata_requests: Vec<String>,
    /// Path and status of each API request.
    pub api_requests: Vec<(String, u16)>,
    /// Codes issued so far.
    counter: u64,
    /// Token answers issued so far: the N in `ghu_accessN`.
    issued: u64,
}

/// A running fake provider.
pub struct FakeProvider {
    pub quirk: Quirk,
    pub port: u16,
    seen: Arc<Mutex<Seen>>,
    _server: TestServer,
}

impl FakeProvider {
    pub fn start(quirk: Quirk) -> FakeProvider {
        let seen = Arc::new(Mutex::new(Seen::default()));
        // Known once the server listens, before anyone can call it.
        let own_port = Arc::new(OnceLock::new());
        let server = {
            let (seen, own_port) = (Arc::clone(&seen), Arc::clone(&own_port));
            TestServer::start("fake provider", move |received| {
                let port = *own_port.get().expect("the port is set at start");
                respond(
                    &Request::from(received),
                    quirk,
                    port,
                    &mut seen.lock().unwrap(),
                )
            })
        };
        own_port.set(server.port).unwrap();
        FakeProvider {
            quirk,
            port: server.port,
            seen,
            _server: server,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// What the fake has seen so far.
    pub fn seen(&self) -> std::sync::MutexGuard<'_, Seen> {
        self.seen.lock().unwrap()
    }

    /// How many token requests had this `grant_type`.
    pub fn grants(&self, grant_type: &str) -> usize {
        self.seen()
            .token_requests
            .iter()
            .filter(|r| r.form.get("grant_type").map(String::as_str) == Some(grant_type))
            .count()
    }

    /// Every token the fake issued, for leak checks.
    pub fn secrets(&self) -> Vec<String> {
        let seen = self.seen();
        let mut all = seen.access_tokens.clone();
        all.extend(seen.refresh_tokens.iter().cloned());
        all.push(CLIENT_SECRET.to_string());
        all
    }
}

/// A request, with its query and headers as maps.
struct Request {
    method: String,
    path: String,
    query: BTreeMap<String, String>,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl From<&Received> for Request {
    fn from(received: &Received) -> Request {
        Request {
            method: received.method.clone(),
            path: received.path.clone(),
            query: received.query.iter().cloned().collect(),
            headers: received.headers.iter().cloned().collect(),
            body: received.body.clone(),
        }
    }
}

fn respond(request: &Request, quirk: Quirk, port: u16, seen: &mut Seen) -> Reply {
    match (request.method.as_str(), request.path.as_str()) {
        ("GET", "/authorize") => authorize(request, seen),
        ("POST", "/token") => token(request, quirk, port, seen),
        ("GET", "/metadata") => metadata(request, seen),
        _ => api(request, quirk, seen),
    }
}

/// Approves at once: back to the client with a code and its state.
fn authorize(request: &Request, seen: &mut Seen) -> Reply {
    seen.authorizations.push(request.query.clone());
    seen.counter += 1;
    let code = format!("code-{}", seen.counter);
    seen.codes.push(code.clone());
    let redirect = request
        .query
        .get("redirect_uri")
        .cloned()
        .unwrap_or_default();
    let state = request.query.get("state").cloned().unwrap_or_default();
    Reply::bytes(302, "text/plain", Vec::new()).header(
        "Location",
        format!(
            "{redirect}?code={code}&state={}",
            super::form_encode(&state)
        ),
    )
}

fn token(request: &Request, quirk: Quirk, port: u16, seen: &mut Seen) -> Reply {
    let form = super::form_map(&request.body);
    let authorization = request.headers.get("authorization").cloned();
    seen.token_requests.push(TokenRequest {
        form: form.clone(),
        authorization: authorization.clone(),
    });
    let error = |code: &str| Reply::json(400, &serde_json::json!({ "error": code }));

    // Client authentication, the way the provider wants it.
    let basic = format!(
        "Basic {}",
        super::base64(format!("{CLIENT_ID}:{CLIENT_SECRET}").as_bytes())
    );
    let authenticated = match quirk {
        Quirk::SlackLikeNestedTokens => authorization.as_deref() == Some(basic.as_str()),
        _ => {
            authorization.is_none()
                && form.get("client_id").map(String::as_str) == Some(CLIENT_ID)
                && form.get("client_secret").map(String::as_str) == Some(CLIENT_SECRET)
        }
    };
    if !authenticated {
        return Reply::json(401, &serde_json::json!({ "error": "invalid_client" }));
    }

    let refresh = match form.get("grant_type").map(String::as_str) {
        Some("authorization_code") => {
            let code = form.get("code").cloned().unwrap_or_default();
            let Some(i) = seen.codes.iter().position(|c| *c == code) else {
                return error("invalid_grant");
            };
            seen.codes.remove(i);
            false
        }
        Some("refresh_token") => {
            let token = form.get("refresh_token").cloned().unwrap_or_default();
            if !seen.refresh_tokens.contains(&token) {
                return error("invalid_grant");
            }
            true
        }
        _ => return error("unsupported_grant_type"),
    };

    seen.issued += 1;
    let n = seen.issued;
    let (access, refresh_token) = match quirk {
        Quirk::GitHubLikeTokenEndpoint => {
            (format!("ghu_access{n}"), Some(format!("ghr_refresh{n}")))
        }
        Quirk::SlackLikeNestedTokens => {
            (format!("xoxp-user{n}"), Some(format!("xoxe-1-refresh{n}")))
        }
        Quirk::MailchimpLikeMetadata => (format!("mc-access{n}"), None),
        // Zoho sends a refresh token with the code only.
        Quirk::ZohoLikeApiDomain => (
            format!("1000.access{n}"),
            (!refresh).then(|| format!("1000.refresh{n}")),
        ),
    };
    seen.access_tokens.push(access.clone());
    if let Some(token) = &refresh_token {
        seen.refresh_tokens.push(token.clone());
    }

    match quirk {
        Quirk::GitHubLikeTokenEndpoint => Reply::bytes(
            200,
            "application/x-www-form-urlencoded",
            format!(
                "access_token={access}&expires_in={TTL}&refresh_token={}&refresh_token_expires_in=15811200&scope=&token_type=bearer",
                refresh_token.unwrap_or_default()
            )
            .into_bytes(),
        ),
        Quirk::SlackLikeNestedTokens if !refresh => Reply::json(
            200,
            &serde_json::json!({
                "ok": true,
                "app_id": "A0KRD7HC3",
                "access_token": "xoxb-bot-token-not-for-users",
                "token_type": "bot",
                "scope": "",
                "bot_user_id": "U0KRQLJ9H",
                "team": { "id": "T9TK3CUKW", "name": "Softball Team" },
                "authed_user": {
                    "id": "U1234",
                    "scope": "users:read,chat:write",
                    "access_token": access,
                    "token_type": "user",
                    "expires_in": TTL,
                    "refresh_token": refresh_token,
                },
            }),
        ),
        Quirk::SlackLikeNestedTokens => Reply::json(
            200,
            &serde_json::json!({
                "ok": true,
                "access_token": access,
                "token_type": "user",
                "expires_in": TTL,
                "refresh_token": refresh_token,
            }),
        ),
        Quirk::MailchimpLikeMetadata => Reply::json(
            200,
            &serde_json::json!({ "access_token": access, "expires_in": 0, "scope": null }),
        ),
        Quirk::ZohoLikeApiDomain => {
            let mut body = serde_json::json!({
                "access_token": access,
                "api_domain": format!("http://127.0.0.1:{port}"),
                "token_type": "Bearer",
                "expires_in": TTL.to_string(),
                "location": "us",
            });
            if let Some(token) = refresh_token {
                body["refresh_token"] = token.into();
            }
            Reply::json(200, &body)
        }
    }
}

/// MailChimp's metadata call: `Authorization: OAuth TOKEN`.
fn metadata(request: &Request, seen: &mut Seen) -> Reply {
    let authorization = request
        .headers
        .get("authorization")
        .cloned()
        .unwrap_or_default();
    seen.metadata_requests.push(authorization.clone());
    let valid = seen
        .access_tokens
        .last()
        .is_some_and(|t| authorization == format!("OAuth {t}"));
    if !valid {
        return Reply::json(401, &serde_json::json!({ "error": "invalid_token" }));
    }
    Reply::json(
        200,
        &serde_json::json!({
            "dc": "us21",
            "role": "owner",
            "accountname": "Fake Shop",
            "api_endpoint": "https://us21.api.mailchimp.com",
            "login": { "login_id": 42 },
        }),
    )
}

/// The API: only the newest access token, with the provider's scheme.
fn api(request: &Request, quirk: Quirk, seen: &mut Seen) -> Reply {
    let scheme = match quirk {
        Quirk::ZohoLikeApiDomain => "Zoho-oauthtoken",
        _ => "Bearer",
    };
    let authorization = request
        .headers
        .get("authorization")
        .cloned()
        .unwrap_or_default();
    let valid = seen
        .access_tokens
        .last()
        .is_some_and(|t| authorization == format!("{scheme} {t}"));
    let status = if valid { 200 } else { 401 };
    seen.api_requests.push((request.path.clone(), status));
    if valid {
        Reply::json(
            200,
            &serde_json::json!({ "path": request.path, "query": request.query }),
        )
    } else {
        Reply::json(401, &serde_json::json!({ "error": "invalid_token" }))
    }
}
