//! The test harness: runs the real `tether` binary in an isolated HOME with
//! its own XDG folders, and checks status, stderr and stdout together.
//!
//! A run says what it expects before it runs, as `just`'s test builder does:
//!
//! ```ignore
//! env.cmd(&["service", "add", "gh", "--auth", "bearer"])
//!     .stderr("Added service `gh` (bearer) to [..]\n")
//!     .ok();
//! ```
//!
//! * The exit code: [`Cmd::ok`] (0) or [`Cmd::fails`] (that code).
//! * stderr: empty unless [`Cmd::stderr`] gives it, so a new warning or
//!   note fails every test that did not expect it.
//! * stdout: checked when [`Cmd::stdout`] gives it.
//!
//! Expected text is compared line by line, the final newline included. In
//! an expected line, `[..]` matches any run of characters: for what a test
//! cannot know (a random `state`, a port tether picked, a time).
//!
//! Every output captured through an [`Env`] is kept, so a test can check at
//! the end that no secret it learned appears in anything tether printed.

#![allow(dead_code)] // each test module uses a different part of the harness

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tempfile::TempDir;

pub mod api;
pub mod copies;
pub mod dovecot;
pub mod fake_provider;
pub mod git_server;
pub mod http;
pub mod keyring;
pub mod kube_api;
pub mod memory;
pub mod oauth1;
pub mod oidc;
pub mod postgres;
pub mod server;
pub mod tls;

/// How long one run of tether may take before the harness kills it and
/// fails the test: far above the slowest flow (a device grant that polls
/// for a few seconds), so only a hang reaches it.
const RUN_TIMEOUT: Duration = Duration::from_secs(120);

/// An isolated home for one test.
pub struct Env {
    pub home: TempDir,
    vars: Vec<(String, String)>,
    outputs: Mutex<Vec<String>>,
}

/// What one run of tether did.
#[derive(Debug)]
pub struct Output {
    /// The arguments, for messages.
    pub args: Vec<String>,
    pub code: i32,
    /// stdout as text (lossy UTF-8); the bytes are in `stdout_bytes`.
    pub stdout: String,
    pub stdout_bytes: Vec<u8>,
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

    /// The root as text, for expected messages that name a path.
    pub fn root_str(&self) -> String {
        self.root().display().to_string()
    }

    pub fn config_path(&self) -> PathBuf {
        self.root().join(".config/tether/tether.toml")
    }

    pub fn tokens_dir(&self) -> PathBuf {
        self.root().join(".local/share/tether/tokens")
    }

    /// The per-connection refresh lock files.
    pub fn locks_dir(&self) -> PathBuf {
        self.root().join(".local/state/tether/locks")
    }

    pub fn write_config(&self, text: &str) {
        let path = self.config_path();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read_config(&self) -> String {
        std::fs::read_to_string(self.config_path()).unwrap_or_default()
    }

    /// The file-store record of `connection`, parsed.
    pub fn record(&self, connection: &str) -> Option<serde_json::Value> {
        let path = self.tokens_dir().join(format!("{connection}.json"));
        let text = std::fs::read_to_string(path).ok()?;
        Some(serde_json::from_str(&text).unwrap())
    }

    /// Moves every timestamp of the file-store record of `connection` back
    /// by `seconds`, as if that much time had passed since tether stored
    /// it: the clock of the record moves instead of the test waiting.
    pub fn age_record(&self, connection: &str, seconds: u64) {
        age_record_file(&self.record_path(connection), seconds);
    }

    /// The file-store record of `connection`, for a server thread that
    /// ages it with [`age_record_file`] while tether runs.
    pub fn record_path(&self, connection: &str) -> PathBuf {
        self.tokens_dir().join(format!("{connection}.json"))
    }

    /// What `connect NAME --stdin` says for a static credential of
    /// `service` kept in the file store.
    pub fn connected_static(&self, connection: &str, service: &str) -> String {
        format!(
            "Connected `{connection}` ({service}): never expires, static credential; tokens in file ({})\n\
             Try it: tether invoke {connection} GET /\n",
            self.tokens_dir().display()
        )
    }

    /// A tether command in this home.
    pub fn cmd(&self, args: &[&str]) -> Cmd<'_> {
        self.program(Path::new(env!("CARGO_BIN_EXE_tether")), args)
    }

    /// Another program (git, kubectl, tether through a link) run in this
    /// home as tether runs, and checked the same way.
    pub fn program(&self, program: &Path, args: &[&str]) -> Cmd<'_> {
        let mut command = Command::new(program);
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
            args: args.iter().map(|a| a.to_string()).collect(),
            stdin: Stdin::Null,
            stderr: Expected::new(""),
            stdout: None,
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

/// [`Env::age_record`] for the record file at `path`.
pub fn age_record_file(path: &Path, seconds: u64) {
    let text = std::fs::read_to_string(path).expect("a stored record");
    let mut record: serde_json::Value = serde_json::from_str(&text).unwrap();
    age(&mut record, seconds);
    std::fs::write(path, record.to_string()).unwrap();
}

/// Moves every top-level `…_at` timestamp of a record back by `seconds`.
fn age(record: &mut serde_json::Value, seconds: u64) {
    let fields = record.as_object_mut().expect("a record is an object");
    for (name, value) in fields.iter_mut() {
        if let (true, Some(at)) = (name.ends_with("_at"), value.as_u64()) {
            *value = at.checked_sub(seconds).expect("a time after 1970").into();
        }
    }
}

/// The record in a blob of `tether connection export`.
pub fn blob_record(blob: &str) -> serde_json::Value {
    use base64::Engine;
    let body = blob
        .trim()
        .strip_prefix("tether1.")
        .expect("a tether1. blob");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(body)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("a JSON record")
}

/// The blob of `tether connection export` with its record aged like
/// [`Env::age_record`].
pub fn age_blob(blob: &str, seconds: u64) -> String {
    use base64::Engine;
    let mut record = blob_record(blob);
    age(&mut record, seconds);
    let body = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(record.to_string());
    format!("tether1.{body}")
}

/// What a stream must hold: compared line by line, `[..]` matching any
/// run of characters within a line.
#[derive(Debug, Clone)]
struct Expected(String);

impl Expected {
    fn new(text: impl Into<String>) -> Expected {
        Expected(text.into())
    }

    fn matches(&self, actual: &str) -> bool {
        let expected: Vec<&str> = self.0.split('\n').collect();
        let actual: Vec<&str> = actual.split('\n').collect();
        expected.len() == actual.len()
            && expected
                .iter()
                .zip(&actual)
                .all(|(pattern, line)| line_matches(pattern, line))
    }

    /// Panics, showing both texts and the first line that differs, when
    /// `actual` does not match.
    fn check(&self, stream: &str, output: &Output) {
        let actual = match stream {
            "stderr" => &output.stderr,
            _ => &output.stdout,
        };
        if self.matches(actual) {
            return;
        }
        let first_difference = self
            .0
            .split('\n')
            .zip(actual.split('\n'))
            .position(|(pattern, line)| !line_matches(pattern, line))
            .unwrap_or_else(|| self.0.split('\n').count().min(actual.split('\n').count()));
        panic!(
            "unexpected {stream} (line {} differs)\n--- expected {stream}\n{}\n{output}",
            first_difference + 1,
            self.0
        );
    }
}

/// One line against one expected line, where `[..]` matches anything.
pub fn line_matches(pattern: &str, line: &str) -> bool {
    let mut parts = pattern.split("[..]");
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = line.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// What a run reads on stdin.
#[derive(Debug)]
enum Stdin {
    Null,
    Bytes(Vec<u8>),
    /// Open, for [`Running::write_stdin`].
    Piped,
}

/// One tether invocation being built.
pub struct Cmd<'a> {
    env: &'a Env,
    command: Command,
    args: Vec<String>,
    stdin: Stdin,
    stderr: Expected,
    stdout: Option<Expected>,
}

impl<'a> Cmd<'a> {
    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Self {
        self.command.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: &str) -> Self {
        self.command.env_remove(key);
        self
    }

    /// Sets `envs` (such as [`oidc::browser_env`]) for this run.
    pub fn envs<K: AsRef<OsStr>, V: AsRef<OsStr>>(
        mut self,
        envs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.command.envs(envs);
        self
    }

    /// Bytes on stdin, then end of input (stdin is closed otherwise).
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Stdin::Bytes(bytes.into());
        self
    }

    /// Keeps stdin open for [`Running::write_stdin`].
    pub fn stdin_piped(mut self) -> Self {
        self.stdin = Stdin::Piped;
        self
    }

    /// What stderr must be (empty by default): see the module docs.
    pub fn stderr(mut self, expected: impl Into<String>) -> Self {
        self.stderr = Expected::new(expected);
        self
    }

    /// What stdout must be: see the module docs.
    pub fn stdout(mut self, expected: impl Into<String>) -> Self {
        self.stdout = Some(Expected::new(expected));
        self
    }

    /// Runs to completion; asserts exit 0 and the expected output.
    pub fn ok(self) -> Output {
        self.spawn().ok()
    }

    /// Runs to completion; asserts the exit code and the expected output.
    pub fn fails(self, code: i32) -> Output {
        self.spawn().fails(code)
    }

    /// Starts tether, for a test that talks to it while it runs.
    pub fn spawn(mut self) -> Running<'a> {
        let started = Instant::now();
        self.command
            .stdin(match self.stdin {
                Stdin::Null => Stdio::null(),
                Stdin::Bytes(_) | Stdin::Piped => Stdio::piped(),
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = self.command.spawn().expect("tether runs");
        let mut stdin = child.stdin.take();
        if let Stdin::Bytes(bytes) = &self.stdin {
            stdin.take().unwrap().write_all(bytes).unwrap();
        }
        let stdout = child.stdout.take().unwrap();
        let stdout = std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = BufReader::new(stdout).read_to_end(&mut bytes);
            bytes
        });
        let stderr = child.stderr.take().unwrap();
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stderr);
            loop {
                let mut line = Vec::new();
                match reader.read_until(b'\n', &mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        if send.send(line).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        Running {
            env: self.env,
            args: self.args,
            child,
            stdin,
            stdout: Some(stdout),
            lines,
            stderr_bytes: Vec::new(),
            expected_stderr: self.stderr,
            expected_stdout: self.stdout,
            started,
        }
    }
}

/// A tether process started by [`Cmd::spawn`]. Finish it with
/// [`Running::ok`] or [`Running::fails`], which check it like [`Cmd::ok`].
pub struct Running<'a> {
    env: &'a Env,
    args: Vec<String>,
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: Option<JoinHandle<Vec<u8>>>,
    lines: Receiver<Vec<u8>>,
    stderr_bytes: Vec<u8>,
    expected_stderr: Expected,
    expected_stdout: Option<Expected>,
    started: Instant,
}

impl Running<'_> {
    /// The next line of stderr (kept for the final check); empty at the
    /// end. Fails the test when none comes within the run's time limit.
    pub fn read_stderr_line(&mut self) -> String {
        let deadline = self.started + RUN_TIMEOUT;
        let line = match self
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            Ok(line) => line,
            Err(RecvTimeoutError::Disconnected) => Vec::new(),
            Err(RecvTimeoutError::Timeout) => self.hung(),
        };
        self.stderr_bytes.extend_from_slice(&line);
        String::from_utf8_lossy(&line).into_owned()
    }

    /// tether's process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Whether tether has not exited yet.
    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// Writes `text` to tether's stdin and closes it.
    pub fn write_stdin(&mut self, text: &str) {
        let mut stdin = self
            .stdin
            .take()
            .expect("stdin is open: build the run with `stdin_piped`");
        stdin.write_all(text.as_bytes()).unwrap();
    }

    pub fn ok(self) -> Output {
        self.finish(0)
    }

    pub fn fails(self, code: i32) -> Output {
        self.finish(code)
    }

    /// Waits for the end and returns how it ended, judging nothing: for a
    /// test that killed the process and cannot know when it died.
    pub fn end(mut self) -> (std::process::ExitStatus, Output) {
        let status = self.wait();
        let output = self.output(status);
        (status, output)
    }

    fn finish(mut self, code: i32) -> Output {
        let status = self.wait();
        let output = self.output(status);
        assert_eq!(output.code, code, "expected exit {code}:\n{output}");
        self.expected_stderr.check("stderr", &output);
        if let Some(expected) = &self.expected_stdout {
            expected.check("stdout", &output);
        }
        output
    }

    /// Waits for the end: all of stderr, then the exit status.
    fn wait(&mut self) -> std::process::ExitStatus {
        drop(self.stdin.take());
        let deadline = self.started + RUN_TIMEOUT;
        loop {
            match self
                .lines
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(line) => self.stderr_bytes.extend_from_slice(&line),
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => self.hung(),
            }
        }
        self.child.wait().unwrap()
    }

    /// What the run printed, kept for [`Env::assert_never_printed`].
    fn output(&mut self, status: std::process::ExitStatus) -> Output {
        let stdout = self.stdout.take().unwrap().join().unwrap();
        let output = Output {
            args: std::mem::take(&mut self.args),
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stdout_bytes: stdout,
            stderr: String::from_utf8_lossy(&self.stderr_bytes).into_owned(),
            elapsed: self.started.elapsed(),
        };
        {
            let mut outputs = self.env.outputs.lock().unwrap();
            outputs.push(output.stdout.clone());
            outputs.push(output.stderr.clone());
        }
        output
    }

    /// Kills a run that outlived [`RUN_TIMEOUT`] and fails the test.
    fn hung(&mut self) -> ! {
        let _ = self.child.kill();
        let _ = self.child.wait();
        panic!(
            "tether {} did not finish within {RUN_TIMEOUT:?}; its stderr so far:\n{}",
            self.args.join(" "),
            String::from_utf8_lossy(&self.stderr_bytes)
        );
    }
}

/// The keys of a JSON object, in order.
pub fn keys(value: &serde_json::Value) -> Vec<&str> {
    value
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

impl Output {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{self}"))
    }
}

impl std::fmt::Display for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "tether {}\nexit {}\n--- stdout\n{}\n--- stderr\n{}\n--- end",
            self.args.join(" "),
            self.code,
            self.stdout,
            self.stderr
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

/// A free loopback port below the kernel's ephemeral range (which starts
/// at 32768 on Linux), for a test that must name a port before something
/// binds it: a port from that range could be handed to another test's
/// `bind(0)` in between. Each call in this process gets another one.
pub fn free_fixed_port() -> u16 {
    use std::sync::atomic::{AtomicU16, Ordering};
    static NEXT: AtomicU16 = AtomicU16::new(0);
    // Start where this process's id says, so two test processes rarely meet.
    let base = 20_000 + u16::try_from(std::process::id() % 6_000).unwrap_or(0);
    for _ in 0..6_000 {
        let offset = NEXT.fetch_add(1, Ordering::Relaxed) % 12_000;
        let port = 20_000 + (base - 20_000 + offset) % 12_000;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port between 20000 and 32000");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_lines_match_exactly_or_around_wildcards() {
        assert!(line_matches("abc", "abc"));
        assert!(!line_matches("abc", "abcd"));
        assert!(line_matches("port [..] is busy", "port 4242 is busy"));
        assert!(line_matches("[..]", ""));
        assert!(line_matches("a[..]b[..]c", "a1b2b3c"));
        assert!(!line_matches("a[..]bc", "abc-"));
        assert!(!line_matches("ab[..]ba", "aba"), "no overlap");
        assert!(Expected::new("").matches(""));
        assert!(!Expected::new("").matches("tether: warning: x\n"));
        assert!(
            !Expected::new("a\n").matches("a"),
            "the final newline counts"
        );
        assert!(!Expected::new("a\n[..]\n").matches("a\n"));
    }
}
