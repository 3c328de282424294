//! The authorization server and the browser of the flow tests.
//!
//! [`Oidc::start`] runs `tests/oidc/server.mjs` — oidc-provider, a certified
//! OpenID/OAuth 2.0 implementation — on an ephemeral loopback port, one per
//! test, and kills it on drop (the server also exits when its stdin, held
//! here, closes: a test binary that dies leaves no orphan). Its test-only
//! endpoints tell what the token endpoint saw and which tokens it issued, so
//! a test can prove "exactly one refresh" and scan tether's output for every
//! secret.
//!
//! The browser is `tests/oidc/browser.mjs`, run by tether as `$BROWSER`: it
//! signs in and consents like a person and loads the redirect back to
//! tether's loopback listener (RFC 8252), in the [`BrowserMode`] a test asks
//! for.
//!
//! What the server does (details in `server.mjs`): PKCE S256 required for
//! every client (RFC 7636); a refresh token for every code or device grant of
//! a client allowed `refresh_token`, no `offline_access` needed (see
//! [`OidcOptions::offline_access_only`] for the Google-like rule); refresh
//! tokens rotate, and presenting a rotated one revokes the whole grant;
//! clients must authenticate with their registered method.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};

/// How long the server may take to print its line: node and oidc-provider
/// load in ~0.3 s, but a test run on 2 cores competes with the build.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// A client registered on the test server. The secrets are test values, but
/// tether must treat them as secrets: see [`Oidc::secrets`].
#[derive(Debug, Clone, Copy)]
pub struct Client {
    pub id: &'static str,
    pub secret: Option<&'static str>,
}

/// Public native client: no secret, PKCE, `http://127.0.0.1:ANY/callback`,
/// code + refresh + device grants.
pub const NATIVE: Client = Client {
    id: "tether-native",
    secret: None,
};
/// Like [`NATIVE`] with a secret sent as HTTP Basic (`client_secret_basic`).
pub const CONFIDENTIAL: Client = Client {
    id: "tether-confidential",
    secret: Some("confidential-secret-0123456789"),
};
/// Like [`NATIVE`] with a secret sent in the form body (`client_secret_post`).
pub const POST: Client = Client {
    id: "tether-post",
    secret: Some("post-secret-0123456789"),
};
/// `client_credentials` only, `client_secret_basic`.
pub const MACHINE: Client = Client {
    id: "tether-machine",
    secret: Some("machine-secret-0123456789"),
};
/// A resource server: no grants, may call introspection.
pub const API: Client = Client {
    id: "api",
    secret: Some("api-secret-0123456789"),
};

/// The redirect URI registered for the native clients; any port is accepted.
pub const REDIRECT_PATH: &str = "/callback";

/// How a test server differs from the default one.
#[derive(Debug, Clone, Default)]
pub struct OidcOptions {
    access_token_ttl: Option<u64>,
    refresh_token_ttl: Option<u64>,
    no_rotation: bool,
    offline_access_only: bool,
    extra_clients: Vec<Value>,
    extra_scopes: Vec<String>,
    refresh_token_expires_in: bool,
    client_auth_methods: Vec<String>,
}

impl OidcOptions {
    /// Seconds an access token (and a client-credentials token) lives; 3600
    /// by default.
    pub fn access_token_ttl(mut self, seconds: u64) -> Self {
        self.access_token_ttl = Some(seconds);
        self
    }

    /// Seconds a refresh token lives; 14 days by default.
    pub fn refresh_token_ttl(mut self, seconds: u64) -> Self {
        self.refresh_token_ttl = Some(seconds);
        self
    }

    /// Refresh tokens are not rotated: a refresh returns the same one again.
    pub fn no_rotation(mut self) -> Self {
        self.no_rotation = true;
        self
    }

    /// oidc-provider's stock (and Google's) rule: a refresh token only for
    /// scope `offline_access` requested with `prompt=consent`.
    pub fn offline_access_only(mut self) -> Self {
        self.offline_access_only = true;
        self
    }

    /// Registers one more client (oidc-provider client metadata), replacing a
    /// default one with the same `client_id`. For a fixed redirect URI:
    /// `json!({"client_id": "fixed", "token_endpoint_auth_method": "none",
    /// "redirect_uris": ["http://127.0.0.1:8765/cb"], "grant_types":
    /// ["authorization_code", "refresh_token"], "response_types": ["code"]})`.
    pub fn client(mut self, metadata: Value) -> Self {
        self.extra_clients.push(metadata);
        self
    }

    /// Accepts one more scope besides `openid offline_access profile email
    /// read write`; scopes the server does not know are dropped from grants.
    pub fn scope(mut self, scope: &str) -> Self {
        self.extra_scopes.push(scope.to_string());
        self
    }

    /// Token responses with a refresh token say how long it lives
    /// (`refresh_token_expires_in`), as GitHub Apps and Microsoft do.
    pub fn refresh_token_expires_in(mut self) -> Self {
        self.refresh_token_expires_in = true;
        self
    }

    /// The token endpoint supports (and its discovery document lists) only
    /// these client authentication methods, e.g. `none` and
    /// `client_secret_basic`.
    pub fn client_auth_methods(mut self, methods: &[&str]) -> Self {
        self.client_auth_methods = methods.iter().map(|m| m.to_string()).collect();
        self
    }

    fn into_env(self) -> Vec<(&'static str, String)> {
        let mut env = Vec::new();
        env.push((
            "REFRESH_TOKEN_EXPIRES_IN",
            self.refresh_token_expires_in.to_string(),
        ));
        env.push(("CLIENT_AUTH_METHODS", self.client_auth_methods.join(" ")));
        if let Some(ttl) = self.access_token_ttl {
            env.push(("ACCESS_TOKEN_TTL", ttl.to_string()));
        }
        if let Some(ttl) = self.refresh_token_ttl {
            env.push(("REFRESH_TOKEN_TTL", ttl.to_string()));
        }
        env.push(("ROTATE_REFRESH_TOKENS", (!self.no_rotation).to_string()));
        let policy = if self.offline_access_only {
            "offline_access"
        } else {
            "always"
        };
        env.push(("REFRESH_TOKEN_POLICY", policy.to_string()));
        if !self.extra_clients.is_empty() {
            env.push(("EXTRA_CLIENTS", Value::from(self.extra_clients).to_string()));
        }
        env.push(("EXTRA_SCOPES", self.extra_scopes.join(" ")));
        env
    }
}

/// A running test authorization server.
#[derive(Debug)]
pub struct Oidc {
    /// `http://127.0.0.1:PORT`
    pub issuer: String,
    pub port: u16,
    child: Child,
    /// Held open: the server exits when it closes.
    _stdin: Option<ChildStdin>,
    log: tempfile::NamedTempFile,
    discovery: Value,
}

impl Oidc {
    /// The default server: see the module docs.
    pub fn start() -> Oidc {
        Oidc::start_with(OidcOptions::default())
    }

    pub fn start_with(options: OidcOptions) -> Oidc {
        let dir = oidc_dir();
        if !dir.join("node_modules/oidc-provider").is_dir() {
            panic!(
                "the test authorization server is not installed: run `npm ci --prefix tests/oidc` \
                 (or `scripts/test.sh`, which does it)"
            );
        }
        let log = tempfile::Builder::new()
            .prefix("oidc-server")
            .suffix(".log")
            .tempfile()
            .unwrap();
        let mut command = Command::new("node");
        command
            .arg(dir.join("server.mjs"))
            .arg("0")
            .env_remove("KEEP_ALIVE")
            .envs(options.into_env())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log.reopen().unwrap());
        for var in ["PORT", "CLIENTS"] {
            command.env_remove(var);
        }
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run `node` for the test authorization server: {e}"));
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().unwrap();

        // The first line, read on a thread so that a server that hangs
        // fails the test instead of blocking it.
        let (send, receive) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = send.send(line);
        });
        let line = receive.recv_timeout(START_TIMEOUT).unwrap_or_default();
        let started: Value = match serde_json::from_str(&line) {
            Ok(value) => value,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "the test authorization server did not start (printed {line:?});\n\
                     if node_modules is stale, run `npm ci --prefix tests/oidc`\n--- its log\n{}",
                    std::fs::read_to_string(log.path()).unwrap_or_default()
                );
            }
        };
        let mut oidc = Oidc {
            issuer: started["issuer"].as_str().unwrap().to_string(),
            port: u16::try_from(started["port"].as_u64().unwrap()).unwrap(),
            child,
            _stdin: stdin,
            log,
            discovery: Value::Null,
        };
        oidc.discovery = oidc.get_json("/.well-known/openid-configuration");
        oidc
    }

    fn endpoint(&self, name: &str) -> String {
        self.discovery[name]
            .as_str()
            .unwrap_or_else(|| panic!("discovery has no {name}"))
            .to_string()
    }

    pub fn authorize_url(&self) -> String {
        self.endpoint("authorization_endpoint")
    }

    pub fn token_url(&self) -> String {
        self.endpoint("token_endpoint")
    }

    pub fn revocation_url(&self) -> String {
        self.endpoint("revocation_endpoint")
    }

    pub fn introspection_url(&self) -> String {
        self.endpoint("introspection_endpoint")
    }

    /// The device authorization endpoint (RFC 8628 §3.1).
    pub fn device_url(&self) -> String {
        self.endpoint("device_authorization_endpoint")
    }

    /// A protected resource on the test server: any method and path under
    /// it answers 200 with `{"method","path","query","client_id","sub",
    /// "scope"}` for a valid Bearer token, else 401 with `WWW-Authenticate`.
    pub fn resource_url(&self, path: &str) -> String {
        format!("{}/__test/resource{path}", self.issuer)
    }

    /// What the server saw since it started (or since [`Oidc::reset`]):
    /// `{"grants": {"authorization_code": n, "refresh_token": n,
    /// "client_credentials": n, "urn:ietf:params:oauth:grant-type:device_code":
    /// n}, "grant_errors": {grant_type: n}, "errors": [{"grant_type", "error",
    /// "description"}], "issued": [access and refresh tokens], "tokens":
    /// [{"type", "grant_type", "client_id", "value"}], "codes": [authorization
    /// and device codes], "revoked": n, "grants_revoked": n, "introspections":
    /// n, "device_authorizations": n, "resource": {"ok": n, "rejected": n}}`.
    pub fn stats(&self) -> Value {
        self.get_json("/__test/stats")
    }

    /// Successful token responses for one grant type.
    pub fn grants(&self, grant_type: &str) -> u64 {
        self.stats()["grants"][grant_type].as_u64().unwrap_or(0)
    }

    /// Every access and refresh token issued, in order.
    pub fn issued_tokens(&self) -> Vec<String> {
        strings(&self.stats()["issued"])
    }

    /// Everything tether must never print: issued tokens, ID tokens,
    /// authorization and device codes, and the clients' secrets.
    pub fn secrets(&self) -> Vec<String> {
        let stats = self.stats();
        let mut secrets = strings(&stats["issued"]);
        secrets.extend(
            stats["tokens"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["value"].as_str().unwrap().to_string()),
        );
        secrets.extend(strings(&stats["codes"]));
        secrets.extend(
            [CONFIDENTIAL, POST, MACHINE, API]
                .iter()
                .filter_map(|c| c.secret.map(String::from)),
        );
        secrets
    }

    /// Token introspection (RFC 7662) as the `api` resource server:
    /// `{"active": false}` or `{"active": true, "client_id", "scope", "exp",
    /// "token_type", …}`.
    pub fn introspect(&self, token: &str) -> Value {
        let body = format!("token={}", super::form_encode(token));
        let (status, text) =
            self.request("POST", &self.introspection_url(), Some(&body), Some(API));
        assert_eq!(status, 200, "introspection failed: {text}");
        serde_json::from_str(&text).unwrap()
    }

    /// Makes every live token of `kind` expired now: "access" (access and
    /// client-credentials tokens), "refresh" or "all". Returns how many.
    pub fn expire(&self, kind: &str) -> u64 {
        let (status, text) = self.request(
            "POST",
            &format!("/__test/expire?kind={kind}"),
            Some(""),
            None,
        );
        assert_eq!(status, 200, "expire failed: {text}");
        serde_json::from_str::<Value>(&text).unwrap()["expired"]
            .as_u64()
            .unwrap()
    }

    /// Zeroes the counters; tokens stay valid.
    pub fn reset(&self) {
        let (status, _) = self.request("POST", "/__test/reset", Some(""), None);
        assert_eq!(status, 200);
    }

    /// The server's stderr so far: one line per token request, no secrets.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }

    fn get_json(&self, target: &str) -> Value {
        let (status, text) = self.request("GET", target, None, None);
        assert_eq!(status, 200, "GET {target} answered {status}: {text}");
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("GET {target}: not JSON ({e}): {text}"))
    }

    /// One request to the server. `target` is a path or a URL on the
    /// server; a form `body` is sent urlencoded.
    fn request(
        &self,
        method: &str,
        target: &str,
        body: Option<&str>,
        auth: Option<Client>,
    ) -> (u16, String) {
        let path = target.strip_prefix(&self.issuer).unwrap_or(target);
        let mut headers = vec![("Accept", "application/json".to_string())];
        if let Some(Client {
            id,
            secret: Some(secret),
        }) = auth
        {
            let pair = super::base64(format!("{id}:{secret}").as_bytes());
            headers.push(("Authorization", format!("Basic {pair}")));
        }
        if body.is_some() {
            headers.push((
                "Content-Type",
                "application/x-www-form-urlencoded".to_string(),
            ));
        }
        let reply = super::http::send(
            method,
            &format!("{}{path}", self.issuer),
            &headers,
            body.map(String::from),
        );
        (reply.status, reply.body)
    }
}

impl Drop for Oidc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn oidc_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc")
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// What the test browser does with the authorization URL tether opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrowserMode {
    /// Sign in, consent, load the redirect to tether's listener.
    Approve,
    /// Cancel at the sign-in page: the redirect carries `error=access_denied`.
    Deny,
    /// Before the real redirect, load `/favicon.ico` and the redirect with a
    /// wrong `state` on tether's listener.
    WrongStateFirst,
    /// Do not load the redirect: write its URL (with the code) to
    /// `TEST_BROWSER_OUT`, or stdout. For the paste-the-URL flow.
    Print,
    /// Do nothing: for time-out tests.
    Nothing,
}

impl BrowserMode {
    pub fn as_str(self) -> &'static str {
        match self {
            BrowserMode::Approve => "approve",
            BrowserMode::Deny => "deny",
            BrowserMode::WrongStateFirst => "wrong-state-first",
            BrowserMode::Print => "print",
            BrowserMode::Nothing => "none",
        }
    }
}

/// `tests/oidc/browser.mjs`, an executable node script (`#!/usr/bin/env node`).
pub fn browser_script() -> PathBuf {
    oidc_dir().join("browser.mjs")
}

/// The value for `$BROWSER`: one executable path with no space in it, so it
/// works whether tether runs `$BROWSER` as a program or splits it like a
/// shell. When the checkout's path has a space, a wrapper script in the
/// temporary folder stands in.
pub fn browser_command() -> String {
    static COMMAND: OnceLock<String> = OnceLock::new();
    COMMAND
        .get_or_init(|| {
            let script = browser_script();
            let text = script.to_str().expect("a UTF-8 checkout path");
            if !text.contains(char::is_whitespace) {
                return text.to_string();
            }
            let wrapper =
                std::env::temp_dir().join(format!("tether-test-browser-{}", std::process::id()));
            std::fs::write(&wrapper, format!("#!/bin/sh\nexec node '{text}' \"$@\"\n")).unwrap();
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
            wrapper.to_str().unwrap().to_string()
        })
        .clone()
}

/// The environment that makes tether open the test browser in `mode`:
/// `BROWSER` and `TEST_BROWSER_MODE`. Add `TEST_BROWSER_LOG` (a file) to keep
/// the browser's log out of tether's stderr, `TEST_BROWSER_OUT` for
/// [`BrowserMode::Print`], `TEST_BROWSER_LOGIN` for another account than
/// `alice`.
pub fn browser_env(mode: BrowserMode) -> [(&'static str, String); 2] {
    [
        ("BROWSER", browser_command()),
        ("TEST_BROWSER_MODE", mode.as_str().to_string()),
    ]
}

/// Runs the browser on `url` to completion, outside tether: approves a
/// device (`verification_uri_complete`, or `verification_uri` with
/// `TEST_BROWSER_USER_CODE` in `env`), or prints the redirect of a `--no-browser`
/// run ([`BrowserMode::Print`]: the redirect URL is the returned stdout).
pub fn run_browser(url: &str, mode: BrowserMode, env: &[(&str, &str)]) -> std::process::Output {
    let output = Command::new("node")
        .arg(browser_script())
        .arg(url)
        .env("TEST_BROWSER_MODE", mode.as_str())
        .env_remove("TEST_BROWSER_OUT")
        .env_remove("TEST_BROWSER_LOG")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("node runs the test browser");
    assert!(
        output.status.success(),
        "the test browser failed on {url}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Approves a device code as the user would at `verification_uri_complete`.
pub fn approve_device(verification_uri_complete: &str) {
    run_browser(verification_uri_complete, BrowserMode::Approve, &[]);
}

/// The JSON client metadata of a public native client like [`NATIVE`] with
/// another id, for [`OidcOptions::client`].
pub fn native_client(id: &str) -> Value {
    json!({
        "client_id": id,
        "application_type": "native",
        "token_endpoint_auth_method": "none",
        "redirect_uris": ["http://127.0.0.1/callback"],
        "grant_types": ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"],
        "response_types": ["code"],
    })
}
