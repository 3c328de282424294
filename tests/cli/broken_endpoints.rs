//! Refreshing against a token endpoint that misbehaves: one small server
//! per test, named after what its token endpoint does wrong. Each test
//! starts from a connection whose access token is due, runs `tether
//! token`, and checks the whole outcome: the exit code of DESIGN §5, the
//! exact message, and the stored record, which a failed refresh must leave
//! byte for byte as it was; its peak memory is measured too
//! ([`MemoryWatch`]). Answers tether accepts with a warning (an unreadable
//! `expires_in`) are here too, with what they store.

use std::io::Read;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use serde_json::json;

use crate::util::Env;
use crate::util::memory::MemoryWatch;
use crate::util::server::{Reply, TestServer};

/// The tokens of the connection before any refresh.
const OLD_ACCESS: &str = "old-access-token-4a7c";
const OLD_REFRESH: &str = "old-refresh-token-9d2e";

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// An answer that never ends: `{"access_token":"aaaa…` for as long as
/// the client reads.
struct Endless {
    started: bool,
}

impl Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let start: &[u8] = br#"{"access_token":""#;
        if !self.started && buf.len() >= start.len() {
            self.started = true;
            buf[..start.len()].copy_from_slice(start);
            return Ok(start.len());
        }
        buf.fill(b'a');
        Ok(buf.len())
    }
}

/// A token endpoint whose refresh answers are broken in one way, and a
/// stand-in for the rest of its provider (nothing else is ever called).
struct BrokenTokenEndpoint {
    server: TestServer,
}

impl BrokenTokenEndpoint {
    /// Serves `answer` to every token request.
    fn start(name: &'static str, answer: impl Fn() -> Reply + Send + Sync + 'static) -> Self {
        let server = TestServer::start(name, move |received| {
            assert_eq!(received.path, "/token", "only the token endpoint is called");
            let form = crate::util::form_map(&received.body);
            assert_eq!(
                form.get("grant_type").map(String::as_str),
                Some("refresh_token")
            );
            assert_eq!(
                form.get("refresh_token").map(String::as_str),
                Some(OLD_REFRESH)
            );
            answer()
        });
        BrokenTokenEndpoint { server }
    }

    /// Answers `value` as JSON with `status`.
    fn json(name: &'static str, status: u16, value: serde_json::Value) -> Self {
        BrokenTokenEndpoint::start(name, move || Reply::json(status, &value))
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.server.port)
    }

    /// An env with connection `me` of this provider, its access token
    /// expired a minute ago and a refresh token at hand.
    fn due_connection(&self) -> Env {
        let env = Env::new();
        env.write_config(&format!(
            "[services.prov]\n\
             auth = \"oauth2\"\n\
             client_id = \"tether-test\"\n\
             authorize_url = \"{}\"\n\
             token_url = \"{}\"\n\
             base_url = \"{}\"\n\n\
             [connections.me]\n\
             service = \"prov\"\n",
            self.url("/authorize"),
            self.url("/token"),
            self.url("/api"),
        ));
        let now = now();
        let record = json!({
            "service": "prov",
            "auth": "oauth2",
            "access_token": OLD_ACCESS,
            "refresh_token": OLD_REFRESH,
            "token_type": "Bearer",
            "expires_at": now - 60,
            "scopes": ["read"],
            "obtained_at": now - 3660,
        });
        let blob = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(record.to_string());
        env.cmd(&["connection", "import", "me"])
            .stdin(format!("tether1.{blob}\n"))
            .stderr("Imported `me` (prov) into [..]\n")
            .ok();
        env
    }
}

/// The stored record of `me`, as bytes.
fn stored(env: &Env) -> Vec<u8> {
    std::fs::read(env.tokens_dir().join("me.json")).expect("a stored record")
}

/// `tether token me` fails with `code` and `message` (and, when given,
/// `hint`), and the stored record is what it was.
fn refresh_fails(endpoint: &BrokenTokenEndpoint, code: i32, message: &str, hint: Option<&str>) {
    let env = endpoint.due_connection();
    let before = stored(&env);
    let hint = hint.map(|h| format!("hint: {h}\n")).unwrap_or_default();
    let running = env
        .cmd(&["token", "me"])
        .stderr(format!("tether: error: {message}\n{hint}"))
        .spawn();
    let memory = MemoryWatch::start(running.id());
    memory.peak();
    running.fails(code);
    assert_eq!(stored(&env), before, "the stored record is untouched");
    env.assert_never_printed(&[OLD_ACCESS.into(), OLD_REFRESH.into()]);
}

/// An answer that never ends is read up to 1 MiB, in bounded memory.
#[test]
fn an_endless_answer_is_cut_at_one_mebibyte() {
    let endpoint = BrokenTokenEndpoint::start("token endpoint that never ends its answer", || {
        Reply::stream(200, "application/json", None, Endless { started: false })
    });
    refresh_fails(
        &endpoint,
        1,
        "the token refresh got an answer larger than 1 MiB",
        None,
    );
}

#[test]
fn a_line_break_in_the_access_token_is_refused_and_never_stored() {
    let endpoint = BrokenTokenEndpoint::json(
        "token endpoint that puts a header in its access token",
        200,
        json!({"access_token": "new\r\nX-Injected: 1", "refresh_token": "new-refresh", "expires_in": 3600}),
    );
    refresh_fails(
        &endpoint,
        1,
        "the token refresh returned an access token with a control character in it",
        None,
    );
}

#[test]
fn a_terminal_escape_in_the_refresh_token_is_refused() {
    let endpoint = BrokenTokenEndpoint::json(
        "token endpoint that puts an escape in its refresh token",
        200,
        json!({"access_token": "new-access", "refresh_token": "r\u{1b}]0;owned\u{7}", "expires_in": 3600}),
    );
    refresh_fails(
        &endpoint,
        1,
        "the token refresh returned a refresh token with a control character in it",
        None,
    );
}

#[test]
fn a_blank_access_token_is_refused() {
    let endpoint = BrokenTokenEndpoint::json(
        "token endpoint that answers a blank access token",
        200,
        json!({"access_token": " ", "expires_in": 3600}),
    );
    refresh_fails(
        &endpoint,
        1,
        "the token refresh returned an empty access token",
        None,
    );
}

/// An `expires_in` that is no lifetime is taken as one hour, with a
/// warning: never as "never expires".
#[test]
fn an_unreadable_lifetime_expires_within_the_hour() {
    for (name, expires_in) in [
        (
            "token endpoint that answers a negative lifetime",
            json!(-100),
        ),
        (
            "token endpoint that answers a lifetime in words",
            json!("soon"),
        ),
        (
            "token endpoint that answers a lifetime of the wrong type",
            json!({"s": 1}),
        ),
    ] {
        let endpoint = BrokenTokenEndpoint::json(
            name,
            200,
            json!({"access_token": "new-access", "expires_in": expires_in}),
        );
        let env = endpoint.due_connection();
        let before = now();
        env.cmd(&["token", "me"])
            .stderr(
                "tether: warning: the token refresh gave an `expires_in` that is not a number of seconds; the token counts as expiring in an hour\n",
            )
            .stdout("new-access\n")
            .ok();
        let record = env.record("me").unwrap();
        let expires_at = record["expires_at"].as_u64().expect("an expiry");
        assert!(
            (before + 3600..=now() + 3600).contains(&expires_at),
            "{expires_at} is an hour after the refresh"
        );
        assert_eq!(record["refresh_token"], OLD_REFRESH, "the old one is kept");
    }
}

/// What tether says when the provider's server fails: its status, and the
/// provider's error code when it sent one.
const TRY_AGAIN: Option<&str> = Some("the provider's server failed: try again later");

#[test]
fn a_server_error_names_its_status_and_code() {
    let endpoint = BrokenTokenEndpoint::json(
        "token endpoint that answers 500 with an error code",
        500,
        json!({"error": "server_error", "error_description": "database down"}),
    );
    refresh_fails(
        &endpoint,
        1,
        "the token refresh failed: the token endpoint answered 500 Internal Server Error: server_error (database down)",
        TRY_AGAIN,
    );
}

#[test]
fn an_html_server_error_names_its_status() {
    let endpoint = BrokenTokenEndpoint::start("token endpoint that answers an HTML 500", || {
        Reply::bytes(
            500,
            "text/html",
            b"<html><body>Internal error</body></html>".to_vec(),
        )
    });
    refresh_fails(
        &endpoint,
        1,
        "the token refresh failed: the token endpoint answered 500 Internal Server Error",
        TRY_AGAIN,
    );
}

#[test]
fn an_unavailable_endpoint_names_its_status() {
    let endpoint = BrokenTokenEndpoint::start("token endpoint that answers 503", || {
        Reply::bytes(503, "text/plain", b"come back later".to_vec()).header("Retry-After", "120")
    });
    refresh_fails(
        &endpoint,
        1,
        "the token refresh failed: the token endpoint answered 503 Service Unavailable",
        TRY_AGAIN,
    );
}

/// A refusal in an error status that is not the provider's server failing
/// and carries no error response: the status is all there is to say.
#[test]
fn an_error_status_without_an_error_response_names_its_status() {
    let endpoint = BrokenTokenEndpoint::start("token endpoint that answers an empty 404", || {
        Reply::bytes(404, "text/plain", Vec::new())
    });
    refresh_fails(
        &endpoint,
        1,
        "the token refresh failed: the token endpoint answered 404 Not Found",
        None,
    );
}
