//! Refreshing against a token endpoint that misbehaves: one small server
//! per test, named after what its token endpoint does wrong — a 500 with
//! or without an error code, a 503, an empty 404, no answer at all, an
//! answer that drips, one that never ends, malformed JSON, a huge token,
//! fields of the wrong type, tokens with control characters, a blank
//! token. Each test starts from a connection whose access token is due,
//! runs `tether token`, and checks the whole outcome: the exit code of
//! DESIGN §5 (6 for the network and time-outs, 1 for the provider's
//! failures, 7 for a refused grant), the exact message, and the stored
//! record, which a failed refresh must leave byte for byte as it was; its
//! peak memory is measured too ([`MemoryWatch`]). Answers tether accepts
//! with a warning (an unreadable `expires_in`) are here too, with what
//! they store.

use std::io::Read;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use serde_json::json;

use crate::util::Env;
use crate::util::memory::MemoryWatch;
use crate::util::server::{Reply, TestServer};

/// The tokens of the connection before any refresh.
const OLD_ACCESS: &str = "old-access-token-4a7c";
const OLD_REFRESH: &str = "old-refresh-token-9d2e";

/// How long a stalling endpoint stalls at most: far past tether's 30 s for
/// one request to a provider, so tether always gives up first.
const STALL: Duration = Duration::from_secs(90);

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Where a stalling endpoint waits until the test ends (or [`STALL`]
/// passes), so that the server's drop, which joins its handlers, never
/// waits for a stall.
#[derive(Clone, Default)]
struct Gate(Arc<(Mutex<bool>, Condvar)>);

impl Gate {
    fn open(&self) {
        *self.0.0.lock().unwrap() = true;
        self.0.1.notify_all();
    }

    /// Waits up to `wait` for the gate to open; whether it is open.
    fn wait(&self, wait: Duration) -> bool {
        let (open, opened) = &*self.0;
        let guard = open.lock().unwrap();
        let (guard, _) = opened
            .wait_timeout_while(guard, wait, |open| !*open)
            .unwrap();
        *guard
    }
}

/// A token answer that comes 1 KiB every 200 ms (of a 10 MiB answer, so
/// it would take nine minutes), until the gate opens.
struct Drip(Gate);

impl Read for Drip {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.0.wait(Duration::from_millis(200)) {
            return Err(std::io::Error::other("the test is over"));
        }
        // 1 KiB at once: shorter pieces would wait in the server's buffer.
        let n = buf.len().min(1024);
        buf[..n].fill(b' ');
        Ok(n)
    }
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
    /// Opened when the test ends.
    gate: Gate,
}

impl BrokenTokenEndpoint {
    /// Serves `answer` to every token request; `answer` may wait at the
    /// gate it is given.
    fn start(name: &'static str, answer: impl Fn(&Gate) -> Reply + Send + Sync + 'static) -> Self {
        let gate = Gate::default();
        let server_gate = gate.clone();
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
            answer(&server_gate)
        });
        BrokenTokenEndpoint { server, gate }
    }

    /// Answers `value` as JSON with `status`.
    fn json(name: &'static str, status: u16, value: serde_json::Value) -> Self {
        BrokenTokenEndpoint::start(name, move |_| Reply::json(status, &value))
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

impl Drop for BrokenTokenEndpoint {
    fn drop(&mut self) {
        // Before the server's own drop joins its handlers.
        self.gate.open();
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
    let peak = memory.peak();
    running.fails(code);
    eprintln!("peak RSS under that answer: {} KiB", peak.kib);
    assert_eq!(stored(&env), before, "the stored record is untouched");
    env.assert_never_printed(&[OLD_ACCESS.into(), OLD_REFRESH.into()]);
}

/// An answer that never ends is read up to 1 MiB, in bounded memory.
#[test]
fn an_endless_answer_is_cut_at_one_mebibyte() {
    let endpoint = BrokenTokenEndpoint::start("token endpoint that never ends its answer", |_| {
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
    let endpoint = BrokenTokenEndpoint::start("token endpoint that answers an HTML 500", |_| {
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
    let endpoint = BrokenTokenEndpoint::start("token endpoint that answers 503", |_| {
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
    let endpoint = BrokenTokenEndpoint::start("token endpoint that answers an empty 404", |_| {
        Reply::bytes(404, "text/plain", Vec::new())
    });
    refresh_fails(
        &endpoint,
        1,
        "the token refresh failed: the token endpoint answered 404 Not Found",
        None,
    );
}

/// What tether says when the provider takes longer than its 30 s.
const TIMED_OUT: &str = "the token refresh failed: timed out: operation timed out";
const CHECK_THE_NETWORK: Option<&str> = Some("check the network and the URL, then try again");

#[test]
fn a_hanging_endpoint_times_out() {
    let endpoint = BrokenTokenEndpoint::start("token endpoint that never answers", |gate| {
        gate.wait(STALL);
        Reply::json(200, &json!({"access_token": "too-late"}))
    });
    refresh_fails(&endpoint, 6, TIMED_OUT, CHECK_THE_NETWORK);
}

#[test]
fn a_dripping_answer_times_out() {
    let endpoint = BrokenTokenEndpoint::start("token endpoint that drips its answer", |gate| {
        Reply::stream(200, "application/json", Some(10 << 20), Drip(gate.clone()))
    });
    refresh_fails(
        &endpoint,
        6,
        "the token refresh failed: timed out: request or response body error: operation timed out",
        CHECK_THE_NETWORK,
    );
}

#[test]
fn a_malformed_answer_is_no_token_response() {
    let endpoint = BrokenTokenEndpoint::start("token endpoint that cuts its JSON short", |_| {
        Reply::bytes(
            200,
            "application/json",
            br#"{"access_token": "new-access", "expires_in": 36"#.to_vec(),
        )
    });
    refresh_fails(
        &endpoint,
        1,
        "the token refresh got an answer that is not a token response",
        None,
    );
}

#[test]
fn a_huge_access_token_is_refused() {
    let endpoint = BrokenTokenEndpoint::json(
        "token endpoint that answers a 512 KiB access token",
        200,
        json!({"access_token": "t".repeat(512 * 1024), "expires_in": 3600}),
    );
    refresh_fails(
        &endpoint,
        1,
        "the token refresh returned an access token longer than 64 KiB",
        None,
    );
}

#[test]
fn fields_of_the_wrong_type_are_no_token_response() {
    for (name, answer) in [
        (
            "token endpoint that answers a number for a token",
            json!({"access_token": 12345, "expires_in": 3600}),
        ),
        (
            "token endpoint that answers a list for a token type",
            json!({"access_token": "new-access", "token_type": ["bearer"]}),
        ),
        (
            "token endpoint that answers an object for a refresh token",
            json!({"access_token": "new-access", "refresh_token": {"value": "r"}}),
        ),
    ] {
        let endpoint = BrokenTokenEndpoint::json(name, 200, answer);
        refresh_fails(
            &endpoint,
            1,
            "the token refresh got an answer that is not a token response",
            None,
        );
    }
}

/// A refusal of the grant is the one failure that changes the record: it
/// keeps its tokens and is marked as needing the user.
#[test]
fn a_refused_grant_needs_the_user() {
    let endpoint = BrokenTokenEndpoint::json(
        "token endpoint that refuses the grant",
        400,
        json!({"error": "invalid_grant", "error_description": "revoked"}),
    );
    let env = endpoint.due_connection();
    let mut before = env.record("me").unwrap();
    env.cmd(&["token", "me"])
        .stderr(
            "tether: error: connection `me` needs authorization again: the provider refused: invalid_grant (revoked)\n\
             hint: run `tether connect me`\n",
        )
        .fails(7);
    before["needs_authorization"] = json!(true);
    assert_eq!(env.record("me").unwrap(), before);
}
