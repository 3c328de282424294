//! The API server of the invoke tests: a small HTTP/1.1 server on loopback
//! that records every request and answers by route, so a test can check both
//! what tether sent and how it reacts to what an API answers.
//!
//! [`Api::start`] serves on an ephemeral port of 127.0.0.1 (a
//! [`TestServer`]: a thread per request, and on drop the test fails when
//! the server was never called or a route panicked; see
//! [`Api::expect_no_calls`]). The server stops when the value is dropped.
//!
//! Routes (any method; `{…}` is a path segment):
//!
//! | route | answer |
//! | --- | --- |
//! | `/echo`, `/echo/…` | 200 and the request as JSON: see [`echo`] |
//! | `/protected/…` | with [`ApiOptions::introspect`]: 401 without a Bearer token or for an inactive one (RFC 6750 §3.1), else the echo with the token's `sub`, `scope` and `client_id` |
//! | `/status/{code}` | that status, body `{"status": code}` (none for 1xx, 204, 304), no `Location` |
//! | `/redirect/same?to=P`, `/redirect/cross?to=URL` | 302 to `to` (a path here, or another server) |
//! | `/redirect/{code}?to=…` | that 3xx to `to`, by default `/echo/after-{code}` |
//! | `/flaky/{n}…` | 503 with `Retry-After: 0` to the first `n` requests for the path, then the echo |
//! | `/ratelimit…` | 429 with `Retry-After: 1` to the first request for the path, then the echo |
//! | `/unauthorized-once…` | 401 to the first request of each `Authorization` value, then the echo: an API that dropped a token early |
//! | `/basic` | the echo with `basic_user` and `basic_password` (null without Basic) |
//! | `/apikey` | the echo |
//! | `/slow?ms=N` | the echo after N milliseconds |
//! | `/bytes` | [`BYTES`] as `application/octet-stream` |
//! | anything else | 404 `{"status": 404, "error": "no route", "path": …}` |
//!
//! The route memories (flaky, ratelimit, unauthorized-once) count per path,
//! so one server can serve several such tests: `/flaky/2/a`, `/flaky/2/b`.
//! Nothing about tokens is cached: a revoked token is refused at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

pub use super::server::Received as Recorded;
use super::server::{Reply, TestServer};

/// The body of `/bytes`: not UTF-8, with a NUL and a newline in it.
pub const BYTES: &[u8] = &[0x00, 0xff, 0xfe, 0x80, b'b', b'i', b'n', b'\n', 0xc3, 0x28];

/// How a server differs from the default one.
#[derive(Debug, Clone, Default)]
pub struct ApiOptions {
    introspection: Option<Introspection>,
}

#[derive(Debug, Clone)]
struct Introspection {
    url: String,
    client_id: String,
    client_secret: String,
}

impl ApiOptions {
    /// Validates the Bearer token of `/protected/…` requests at an RFC 7662
    /// introspection endpoint (`http://` only), as the client `client_id`
    /// with HTTP Basic: `oidc.introspection_url()` with [`super::oidc::API`].
    pub fn introspect(url: &str, client_id: &str, client_secret: &str) -> ApiOptions {
        ApiOptions {
            introspection: Some(Introspection {
                url: url.to_string(),
                client_id: client_id.to_string(),
                client_secret: client_secret.to_string(),
            }),
        }
    }
}

/// A running API server.
#[derive(Debug)]
pub struct Api {
    pub port: u16,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    state: Arc<State>,
    server: TestServer,
}

#[derive(Debug, Default)]
struct State {
    options: ApiOptions,
    requests: Mutex<Vec<Recorded>>,
    /// How often each route memory has been hit, by key.
    seen: Mutex<HashMap<String, u32>>,
}

impl Api {
    pub fn start() -> Api {
        Api::start_with(ApiOptions::default())
    }

    pub fn start_with(options: ApiOptions) -> Api {
        let state = Arc::new(State {
            options,
            ..State::default()
        });
        let server = {
            let state = Arc::clone(&state);
            TestServer::start("API server", move |request| {
                state.requests.lock().unwrap().push(request.clone());
                route(&state, request)
            })
        };
        Api {
            port: server.port,
            base: format!("http://127.0.0.1:{}", server.port),
            state,
            server,
        }
    }

    /// `base` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Every request received since the start or the last [`Api::reset`].
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.requests.lock().unwrap().clone()
    }

    /// The last request received; panics when there is none.
    pub fn last(&self) -> Recorded {
        self.requests().pop().expect("the API received a request")
    }

    pub fn hits(&self) -> usize {
        self.state.requests.lock().unwrap().len()
    }

    /// Forgets the recorded requests. The route memories stay: a flaky path
    /// that has recovered stays recovered.
    pub fn reset(&self) {
        self.state.requests.lock().unwrap().clear();
    }

    /// Declares that no request may reach this server: it stands for a
    /// destination tether must not send to, and fails the test on drop
    /// if anything arrived.
    pub fn expect_no_calls(&self) {
        self.server.expect_no_calls();
    }
}

fn route(state: &State, request: &Recorded) -> Reply {
    let path = request.path.as_str();
    let mut segments = path.trim_start_matches('/').split('/');
    match segments.next().unwrap_or("") {
        "echo" => Reply::json(200, &echo(request)),
        "protected" => protected(state, request),
        "status" => {
            let code = segments.next().and_then(|s| s.parse().ok()).unwrap_or(400);
            Reply::json(code, &json!({ "status": code }))
        }
        "redirect" => {
            let code = match segments.next() {
                Some("same" | "cross") => 302,
                other => other.and_then(|s| s.parse().ok()).unwrap_or(302),
            };
            let default = format!("/echo/after-{code}");
            let to = request.param("to").unwrap_or(&default);
            Reply::json(code, &json!({ "status": code })).header("Location", to)
        }
        "flaky" => {
            let failures = segments.next().and_then(|s| s.parse().ok()).unwrap_or(1);
            if state.count(path) <= failures {
                Reply::json(503, &json!({ "status": 503 })).header("Retry-After", "0")
            } else {
                Reply::json(200, &echo(request))
            }
        }
        "ratelimit" => {
            if state.count(path) == 1 {
                Reply::json(429, &json!({ "status": 429 })).header("Retry-After", "1")
            } else {
                Reply::json(200, &echo(request))
            }
        }
        "unauthorized-once" => {
            let authorization = request.header("authorization").unwrap_or("");
            if state.count(&format!("{path} {authorization}")) == 1 {
                Reply::json(401, &json!({ "status": 401 }))
                    .header("WWW-Authenticate", r#"Bearer error="invalid_token""#)
            } else {
                Reply::json(200, &echo(request))
            }
        }
        "basic" => {
            let (user, password) = basic_credentials(request).unzip();
            let mut value = echo(request);
            value["basic_user"] = json!(user);
            value["basic_password"] = json!(password);
            Reply::json(200, &value)
        }
        "slow" => {
            let ms = request
                .param("ms")
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            // An API that takes its time: the wait is the point.
            std::thread::sleep(Duration::from_millis(ms));
            Reply::json(200, &echo(request))
        }
        "bytes" => Reply::bytes(200, "application/octet-stream", BYTES.to_vec()),
        "apikey" => Reply::json(200, &echo(request)),
        _ => Reply::json(
            404,
            &json!({ "status": 404, "error": "no route", "path": path }),
        ),
    }
}

impl State {
    /// Counts one more request for `key`; returns the new count.
    fn count(&self, key: &str) -> u32 {
        let mut seen = self.seen.lock().unwrap();
        let n = seen.entry(key.to_string()).or_insert(0);
        *n += 1;
        *n
    }
}

/// The request as JSON: `{"method", "path", "query", "headers", "body",
/// "authorization"}`. `query` and `headers` are objects whose values are
/// strings, or lists when a name repeats; `body` is the JSON body parsed,
/// else the body as a (lossy UTF-8) string, or null when empty;
/// `authorization` is the header's value or null.
fn echo(request: &Recorded) -> Value {
    let body = if request.body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&request.body)
            .unwrap_or_else(|_| String::from_utf8_lossy(&request.body).into())
    };
    json!({
        "method": request.method,
        "path": request.path,
        "query": group(&request.query),
        "headers": group(&request.headers),
        "body": body,
        "authorization": request.header("authorization"),
    })
}

fn protected(state: &State, request: &Recorded) -> Reply {
    let Some(introspection) = &state.options.introspection else {
        let error = "the Api was started without ApiOptions::introspect";
        return Reply::json(500, &json!({ "error": error }));
    };
    let Some(token) = request
        .header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return Reply::json(401, &json!({ "status": 401 })).header("WWW-Authenticate", "Bearer");
    };
    let answer = match introspect(introspection, token) {
        Ok(answer) => answer,
        Err(error) => return Reply::json(502, &json!({ "error": error })),
    };
    if answer["active"] != true {
        return Reply::json(401, &json!({ "status": 401 }))
            .header("WWW-Authenticate", r#"Bearer error="invalid_token""#);
    }
    let mut value = echo(request);
    for field in ["sub", "scope", "client_id"] {
        value[field] = answer[field].clone();
    }
    Reply::json(200, &value)
}

/// One introspection request (RFC 7662 §2.1), as the resource server.
fn introspect(introspection: &Introspection, token: &str) -> Result<Value, String> {
    let credentials = format!(
        "{}:{}",
        introspection.client_id, introspection.client_secret
    );
    let reply = super::http::send(
        "POST",
        &introspection.url,
        &[
            (
                "Authorization",
                format!("Basic {}", STANDARD.encode(credentials)),
            ),
            (
                "Content-Type",
                "application/x-www-form-urlencoded".to_string(),
            ),
            ("Accept", "application/json".to_string()),
        ],
        Some(format!("token={}", super::form_encode(token))),
    );
    if reply.status != 200 {
        return Err(format!(
            "introspection answered {}: {}",
            reply.status, reply.body
        ));
    }
    serde_json::from_str(&reply.body).map_err(|e| format!("introspection answered no JSON: {e}"))
}

/// The Basic user and password of the request, when it has them.
fn basic_credentials(request: &Recorded) -> Option<(String, String)> {
    let encoded = request.header("authorization")?.strip_prefix("Basic ")?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}

/// Name-value pairs as a JSON object; a repeated name gets a list.
fn group(pairs: &[(String, String)]) -> Value {
    let mut object = Map::new();
    for (name, value) in pairs {
        match object.get_mut(name) {
            None => {
                object.insert(name.clone(), json!(value));
            }
            Some(Value::Array(values)) => values.push(json!(value)),
            Some(single) => *single = json!([single.take(), value]),
        }
    }
    Value::Object(object)
}
