//! A git smart-HTTP server for the git credential helper's tests: `git
//! http-backend` (the machine's git, run as a CGI program) behind a
//! loopback [`TestServer`] that demands a valid access token of the test
//! authorization server on every request, as GitHub or GitLab demand
//! theirs.
//!
//! A token counts when introspection ([`TokenCheck`]) says it is active,
//! so an expired or revoked one is refused as a real host would. It may
//! come as `Authorization: Bearer TOKEN` (git's `authtype` credentials)
//! or as the password of HTTP Basic (older gits). A refusal is a 401 with
//! `WWW-Authenticate`, which is what makes git ask its credential helper.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use base64::Engine;

use super::server::{Received, Reply, TestServer};

/// Asks the test authorization server whether an access token is active
/// (RFC 7662), as the `api` resource server.
#[derive(Debug, Clone)]
pub struct TokenCheck {
    pub introspection_url: String,
}

impl TokenCheck {
    pub fn active(&self, token: &str) -> bool {
        let basic = super::base64(b"api:api-secret-0123456789");
        let reply = super::http::send(
            "POST",
            &self.introspection_url,
            &[
                ("Authorization", format!("Basic {basic}")),
                (
                    "Content-Type",
                    "application/x-www-form-urlencoded".to_string(),
                ),
            ],
            Some(format!("token={}", super::form_encode(token))),
        );
        reply.status == 200
            && serde_json::from_str::<serde_json::Value>(&reply.body)
                .is_ok_and(|v| v["active"] == true)
    }
}

/// How a request carried its token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carried {
    Bearer,
    Basic,
}

/// The bearer token or Basic password of a request, and how it came.
pub fn presented(request: &Received) -> Option<(String, Carried)> {
    let header = request.header("authorization")?;
    let (scheme, value) = header.split_once(' ')?;
    if scheme.eq_ignore_ascii_case("bearer") {
        return Some((value.trim().to_string(), Carried::Bearer));
    }
    if scheme.eq_ignore_ascii_case("basic") {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(value.trim())
            .ok()?;
        let pair = String::from_utf8(bytes).ok()?;
        let (_, password) = pair.split_once(':')?;
        return Some((password.to_string(), Carried::Basic));
    }
    None
}

/// A running git server with bare repositories under its root.
pub struct GitServer {
    server: TestServer,
    root: tempfile::TempDir,
    /// How each accepted request carried its token, in order.
    accepted: Arc<Mutex<Vec<Carried>>>,
    /// Requests refused with 401.
    refused: Arc<Mutex<usize>>,
}

impl GitServer {
    pub fn start(check: TokenCheck) -> GitServer {
        let root = tempfile::Builder::new()
            .prefix("git-srv")
            .tempdir()
            .unwrap();
        let accepted = Arc::new(Mutex::new(Vec::new()));
        let refused = Arc::new(Mutex::new(0));
        let server = {
            let (project_root, accepted, refused) = (
                root.path().to_path_buf(),
                Arc::clone(&accepted),
                Arc::clone(&refused),
            );
            TestServer::start("git http-backend", move |request| {
                match presented(request).filter(|(token, _)| check.active(token)) {
                    Some((_, carried)) => {
                        accepted.lock().unwrap().push(carried);
                        backend(&project_root, request)
                    }
                    None => {
                        *refused.lock().unwrap() += 1;
                        Reply::bytes(401, "text/plain", b"a valid token is needed\n".to_vec())
                            .header("WWW-Authenticate", "Basic realm=\"tether test\"")
                    }
                }
            })
        };
        GitServer {
            server,
            root,
            accepted,
            refused,
        }
    }

    /// Makes an empty bare repository `NAME.git` that takes pushes.
    pub fn bare_repo(&self, name: &str) -> PathBuf {
        let path = self.root.path().join(format!("{name}.git"));
        run_git(
            self.root.path(),
            &["init", "--quiet", "--bare", "--initial-branch=main"],
            &path,
        );
        run_git(
            &path,
            &["config", "http.receivepack", "true"],
            Path::new(""),
        );
        path
    }

    /// `http://127.0.0.1:PORT/NAME.git`
    pub fn url(&self, name: &str) -> String {
        format!("http://127.0.0.1:{}/{name}.git", self.server.port)
    }

    /// `127.0.0.1:PORT`, the host git names in its credential requests.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.server.port)
    }

    pub fn accepted(&self) -> Vec<Carried> {
        self.accepted.lock().unwrap().clone()
    }

    pub fn refused(&self) -> usize {
        *self.refused.lock().unwrap()
    }
}

fn run_git(dir: &Path, args: &[&str], last: &Path) {
    let mut command = Command::new("git");
    command.current_dir(dir).args(args);
    if !last.as_os_str().is_empty() {
        command.arg(last);
    }
    let output = command.output().expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Runs `git http-backend` for one request (RFC 3875 CGI).
fn backend(project_root: &Path, request: &Received) -> Reply {
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&request.query)
        .finish();
    let mut command = Command::new("git");
    command
        .arg("http-backend")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("GIT_PROJECT_ROOT", project_root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("REMOTE_USER", "tether-test")
        .env("REMOTE_ADDR", "127.0.0.1")
        .env("REQUEST_METHOD", &request.method)
        .env("PATH_INFO", &request.path)
        .env("QUERY_STRING", query)
        .env("CONTENT_LENGTH", request.body.len().to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (header, var) in [
        ("content-type", "CONTENT_TYPE"),
        ("content-encoding", "HTTP_CONTENT_ENCODING"),
        ("git-protocol", "GIT_PROTOCOL"),
    ] {
        if let Some(value) = request.header(header) {
            command.env(var, value);
        }
    }
    let mut child = command.spawn().expect("git http-backend runs");
    let mut stdin = child.stdin.take().unwrap();
    let body = request.body.clone();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&body);
    });
    let output = child.wait_with_output().expect("git http-backend ends");
    let _ = writer.join();
    cgi_reply(&output.stdout)
}

/// A CGI program's output as a reply: its header lines (`Status:` among
/// them), a blank line, the body.
fn cgi_reply(output: &[u8]) -> Reply {
    let split = output
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|at| (at, 4))
        .or_else(|| {
            output
                .windows(2)
                .position(|w| w == b"\n\n")
                .map(|at| (at, 2))
        });
    let Some((at, gap)) = split else {
        return Reply::bytes(500, "text/plain", b"no CGI header\n".to_vec());
    };
    let head = String::from_utf8_lossy(&output[..at]).into_owned();
    let mut status = 200;
    let mut content_type = "text/plain".to_string();
    let mut headers = Vec::new();
    for line in head.lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().to_string();
        match name.to_ascii_lowercase().as_str() {
            "status" => status = value[..3].parse().unwrap_or(500),
            "content-type" => content_type = value,
            _ => headers.push((name.to_string(), value)),
        }
    }
    let mut reply = Reply::bytes(status, &content_type, output[at + gap..].to_vec());
    for (name, value) in headers {
        reply = reply.header(&name, value);
    }
    reply
}
