//! The test harness: runs the real `tether` binary in an isolated HOME with
//! its own XDG folders, and captures status, stdout and stderr together.
//!
//! Every output captured through an [`Env`] is kept, so a test can check at
//! the end that no secret it learned appears in anything tether printed.

#![allow(dead_code)] // each test module uses a different part of the harness

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tempfile::TempDir;

pub mod api;
pub mod fake_provider;
pub mod keyring;
pub mod oidc;

/// An isolated home for one test.
pub struct Env {
    pub home: TempDir,
    vars: Vec<(String, String)>,
    outputs: Mutex<Vec<String>>,
}

/// What one run of tether did.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Env {
    pub fn new() -> Env {
        let home = tempfile::Builder::new()
            .prefix("tether-test")
            .tempdir()
            .unwrap();
        Env {
            home,
            vars: Vec::new(),
            outputs: Mutex::new(Vec::new()),
        }
    }

    /// Sets an environment variable for every later run.
    pub fn set(&mut self, key: &str, value: &str) -> &mut Env {
        self.vars.push((key.to_string(), value.to_string()));
        self
    }

    pub fn root(&self) -> &Path {
        self.home.path()
    }

    pub fn config_path(&self) -> PathBuf {
        self.root().join(".config/tether/tether.toml")
    }

    pub fn tokens_dir(&self) -> PathBuf {
        self.root().join(".local/share/tether/tokens")
    }

    pub fn write_config(&self, text: &str) {
        let path = self.config_path();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read_config(&self) -> String {
        std::fs::read_to_string(self.config_path()).unwrap_or_default()
    }

    /// A tether command in this home.
    pub fn cmd(&self, args: &[&str]) -> Cmd<'_> {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tether"));
        command.args(args);
        for var in [
            "TETHER_CONFIG",
            "TETHER_STORE",
            "XDG_CONFIG_HOME",
            "XDG_DATA_HOME",
            "XDG_STATE_HOME",
            "XDG_RUNTIME_DIR",
            "DBUS_SESSION_BUS_ADDRESS",
            "BROWSER",
            "CI",
            "NO_COLOR",
            "RUST_BACKTRACE",
        ] {
            command.env_remove(var);
        }
        command.env("HOME", self.root());
        command.env("TETHER_STORE", "file");
        // No D-Bus session: the keyring is only there when a test starts one.
        command.env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/tether-test-bus",
        );
        for (k, v) in &self.vars {
            command.env(k, v);
        }
        command.current_dir(self.root());
        Cmd {
            env: self,
            command,
            stdin: None,
        }
    }

    /// Every stdout and stderr captured so far, joined.
    pub fn all_output(&self) -> String {
        self.outputs.lock().unwrap().join("\n")
    }

    /// Fails when any of `secrets` appears in anything tether printed.
    pub fn assert_never_printed(&self, secrets: &[String]) {
        let all = self.all_output();
        for secret in secrets.iter().filter(|s| s.len() >= 8) {
            assert!(
                !all.contains(secret.as_str()),
                "a secret appeared in tether's output"
            );
        }
    }
}

/// One tether invocation being built.
pub struct Cmd<'a> {
    env: &'a Env,
    pub command: Command,
    stdin: Option<Vec<u8>>,
}

impl Cmd<'_> {
    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Self {
        self.command.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: &str) -> Self {
        self.command.env_remove(key);
        self
    }

    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    /// Runs to completion (stdin closed unless given).
    pub fn run(mut self) -> Output {
        let started = Instant::now();
        self.command
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = self.command.spawn().expect("tether runs");
        if let Some(bytes) = self.stdin.take() {
            use std::io::Write;
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(&bytes).unwrap();
        }
        let out = child.wait_with_output().unwrap();
        let output = Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            elapsed: started.elapsed(),
        };
        let mut outputs = self.env.outputs.lock().unwrap();
        outputs.push(output.stdout.clone());
        outputs.push(output.stderr.clone());
        output
    }

    /// Runs and asserts exit 0; returns the output.
    pub fn ok(self) -> Output {
        let out = self.run();
        assert_eq!(out.code, 0, "expected success:\n{out}");
        out
    }

    /// Runs and asserts the exit code.
    pub fn fails(self, code: i32) -> Output {
        let out = self.run();
        assert_eq!(out.code, code, "expected exit {code}:\n{out}");
        out
    }
}

/// The keys of a JSON object, in order.
pub fn keys(value: &serde_json::Value) -> Vec<&str> {
    value
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

impl Env {
    /// `service add NAME --auth client-credentials --client-id ID
    /// --token-url URL EXTRA…`.
    pub fn add_client_credentials(
        &self,
        name: &str,
        client_id: &str,
        token_url: &str,
        extra: &[&str],
    ) -> Cmd<'_> {
        let base = [
            "service",
            "add",
            name,
            "--auth",
            "client-credentials",
            "--client-id",
            client_id,
            "--token-url",
            token_url,
        ];
        self.cmd(&[&base[..], extra].concat())
    }
}

impl Output {
    /// The `tether: warning:` lines of stderr.
    pub fn warnings(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("tether: warning:"))
            .collect()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{self}"))
    }
}

impl std::fmt::Display for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// `application/x-www-form-urlencoded` for one value.
pub fn form_encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Form-encoded pairs, decoded, in order.
pub fn form_decode(bytes: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(bytes).into_owned().collect()
}

/// Form-encoded pairs as a map (the last of a repeated name wins).
pub fn form_map(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
    form_decode(bytes).into_iter().collect()
}

/// Standard base64 with padding, for HTTP Basic credentials.
pub fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
