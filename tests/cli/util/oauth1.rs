//! The OAuth 1.0a provider of the tests: `tests/oauth1/provider.py`,
//! oauthlib's own RFC 5849 endpoints on loopback, started once for the
//! whole test binary; and the browser's part, played with plain HTTP
//! requests (the authorization page with `decision=allow`, then its
//! redirect to tether's listener).
//!
//! It runs from the venv `tests/oauth1/setup.sh` makes. Without one a test
//! says so and passes, except under `CI`, where a missing provider fails.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};

use super::http;

/// The consumer keys and secrets the provider knows (test values).
pub const HMAC_KEY: &str = "tetherhmacconsumerkey01";
pub const HMAC_SECRET: &str = "hmac consumer secret ~*+&é";
pub const RSA_KEY: &str = "tetherrsaconsumerkey001";
pub const PLAIN_KEY: &str = "tetherplainconsumerkey1";
pub const PLAIN_SECRET: &str = "plain consumer secret&+~ %";

/// How long Python and oauthlib may take to start on a busy machine.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// The running provider. It exits when the test binary does: its stdin,
/// held here, closes.
#[derive(Debug)]
pub struct Provider {
    pub url: String,
    _child: Child,
    _stdin: ChildStdin,
}

fn ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// The folder of the provider and its keys.
pub fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oauth1")
}

/// The provider, or `None` (and a note) when its venv is missing.
pub fn provider() -> Option<&'static Provider> {
    static PROVIDER: OnceLock<Option<Provider>> = OnceLock::new();
    PROVIDER.get_or_init(start).as_ref()
}

fn start() -> Option<Provider> {
    let python = dir().join(".venv/bin/python");
    if !python.exists() {
        assert!(
            !ci(),
            "the OAuth 1.0a test provider is not installed: run tests/oauth1/setup.sh"
        );
        eprintln!("note: skipping an OAuth 1.0a test: run tests/oauth1/setup.sh to enable it");
        return None;
    }
    let mut child = Command::new(&python)
        .arg(dir().join("provider.py"))
        .arg("--until-stdin-closes")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = send.send(line);
    });
    let line = receive.recv_timeout(START_TIMEOUT).unwrap_or_default();
    let started: Value = serde_json::from_str(&line)
        .unwrap_or_else(|_| panic!("the OAuth 1.0a provider did not start (printed {line:?})"));
    Some(Provider {
        url: started["url"].as_str().unwrap().to_string(),
        _child: child,
        _stdin: stdin,
    })
}

impl Provider {
    /// What the provider has seen (`/__test/stats`).
    pub fn stats(&self) -> Value {
        let reply = http::send("GET", &format!("{}/__test/stats", self.url), &[], None);
        assert_eq!(reply.status, 200, "{}", reply.body);
        serde_json::from_str(&reply.body).unwrap()
    }

    /// Revokes the access token `token`: its next call answers 401
    /// `oauth_problem=token_revoked`.
    pub fn revoke(&self, token: &str) {
        let body = json!({ "token": token }).to_string();
        let reply = http::send(
            "POST",
            &format!("{}/__test/revoke", self.url),
            &[("Content-Type", "application/json".into())],
            Some(body),
        );
        assert_eq!(reply.status, 200, "{}", reply.body);
    }

    /// Every secret the provider issued (request and access token
    /// secrets), for `assert_never_printed`.
    pub fn issued_secrets(&self) -> Vec<String> {
        self.stats()["issued"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["secret"].as_str().unwrap().to_string())
            .collect()
    }

    /// The `[services.NAME]` table of a service on this provider.
    pub fn service(&self, name: &str, client_key: &str, extra: &str) -> String {
        let url = &self.url;
        format!(
            "[services.{name}]\n\
             auth = \"oauth1\"\n\
             client_id = \"{client_key}\"\n\
             request_token_url = \"{url}/oauth/request_token\"\n\
             authorize_url = \"{url}/oauth/authorize\"\n\
             access_token_url = \"{url}/oauth/access_token\"\n\
             base_url = \"{url}/api\"\n\
             {extra}\n"
        )
    }
}

/// The browser's consent: opens the authorization page `url` with
/// `decision=allow`. For a loopback callback, returns the redirect the
/// provider sends the browser to; for `oob`, the verifier the page shows.
pub fn allow(url: &str) -> Consent {
    let reply = http::send("GET", &format!("{url}&decision=allow"), &[], None);
    match reply.status {
        302 => Consent::Redirect(reply.location.expect("a redirect has a Location")),
        200 => {
            let start = reply
                .body
                .find("<code id=\"oauth_verifier\">")
                .expect("the oob page shows the verifier")
                + "<code id=\"oauth_verifier\">".len();
            let end = start + reply.body[start..].find("</code>").unwrap();
            Consent::Verifier(reply.body[start..end].to_string())
        }
        status => panic!("the authorization page answered {status}: {}", reply.body),
    }
}

/// What the provider's authorization page gave the browser.
#[derive(Debug)]
pub enum Consent {
    /// The callback URL, with `oauth_token` and `oauth_verifier`.
    Redirect(String),
    /// The verifier the user types (`oob`).
    Verifier(String),
}
