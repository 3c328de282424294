//! Small loopback copies of one provider's behaviour each, for the knobs
//! of the templates (`knobs.rs`): what [`super::fake_provider`] is for the
//! quirks, but each copy is a handler of its test, built from the pieces
//! here, so the test reads what the provider does.
//!
//! A [`Copy`] is a [`TestServer`] that keeps every request it received. Its
//! handler usually answers three paths with the pieces below: an
//! authorization endpoint that approves at once ([`approve`]: back to the
//! client's `redirect_uri` with a code, the state and whatever else the
//! provider adds), a token endpoint ([`token_answer`]) and an API.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::server::{Received, Reply, TestServer};

/// A running copy; on drop, the test fails when it was never called or
/// a handler panicked (see [`TestServer`]).
pub struct Copy {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    server: TestServer,
}

impl Copy {
    /// Serves `handler`, which gets each request and the copy's own port.
    pub fn start(
        name: &'static str,
        handler: impl Fn(&Received, u16) -> Reply + Send + Sync + 'static,
    ) -> Copy {
        let received = Arc::new(Mutex::new(Vec::new()));
        let own_port = Arc::new(OnceLock::new());
        let server = {
            let (received, own_port) = (Arc::clone(&received), Arc::clone(&own_port));
            TestServer::start(name, move |request| {
                received.lock().unwrap().push(request.clone());
                handler(request, *own_port.get().expect("the port is set at start"))
            })
        };
        own_port.set(server.port).unwrap();
        Copy {
            port: server.port,
            received,
            server,
        }
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// `127.0.0.1:PORT`, as a host var or a host pattern.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Every request so far, in order.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// The form of every POST to `path`, with its `Authorization` header.
    pub fn posts(&self, path: &str) -> Vec<(BTreeMap<String, String>, Option<String>)> {
        self.received()
            .iter()
            .filter(|r| r.method == "POST" && r.path == path)
            .map(|r| {
                (
                    super::form_map(&r.body),
                    r.header("authorization").map(str::to_string),
                )
            })
            .collect()
    }

    /// The POSTs to `path` with this `grant_type`.
    pub fn grants(&self, path: &str, grant_type: &str) -> usize {
        self.posts(path)
            .iter()
            .filter(|(form, _)| form.get("grant_type").map(String::as_str) == Some(grant_type))
            .count()
    }

    /// Declares that this copy must receive no request.
    pub fn expect_no_calls(&self) {
        self.server.expect_no_calls();
    }
}

/// The authorization endpoint: approves at once and sends the browser back
/// to the client's `redirect_uri` with `code`, its `state` and `extra`.
pub fn approve(request: &Received, code: &str, extra: &[(&str, &str)]) -> Reply {
    let redirect = request.param("redirect_uri").unwrap_or_default();
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query
        .append_pair("code", code)
        .append_pair("state", request.param("state").unwrap_or_default());
    for (key, value) in extra {
        query.append_pair(key, value);
    }
    Reply::bytes(302, "text/plain", Vec::new())
        .header("Location", format!("{redirect}?{}", query.finish()))
}

/// A token answer that lives an hour, with a refresh token.
pub fn token_answer(access: &str, refresh: &str) -> Reply {
    Reply::json(
        200,
        &serde_json::json!({
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": 3600,
            "refresh_token": refresh,
        }),
    )
}

/// An OAuth error answer (RFC 6749 §5.2).
pub fn oauth_error(status: u16, code: &str) -> Reply {
    Reply::json(status, &serde_json::json!({ "error": code }))
}

/// `Basic base64(user:password)`.
pub fn basic(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        super::base64(format!("{user}:{password}").as_bytes())
    )
}

/// Which of a copy's tokens an API call carried, so that its answer can
/// say so without echoing the token: `PREFIX1` is the `first`, `PREFIX2`
/// the `refreshed` one.
pub fn which(token: &str, prefix: &str) -> Option<&'static str> {
    match token.strip_prefix(prefix)? {
        "1" => Some("first"),
        "2" => Some("refreshed"),
        _ => None,
    }
}
