//! A Dovecot IMAP server that checks OAuth 2.0 bearer tokens (XOAUTH2 and
//! OAUTHBEARER) against the test authorization server, for the mail tests.
//!
//! Debian's `dovecot-imapd` runs from a config in a temporary folder, in
//! the foreground, on a loopback port, without TLS (plain text is allowed
//! on loopback), as an unprivileged user: the test's own, or `nobody`
//! when the tests run as root (Dovecot's processes then run as `nobody`,
//! and the folder is given to it). Its `oauth2` passdb asks the
//! authorization server's introspection endpoint (RFC 7662) about each
//! token, as the `api` resource server, and logs in the user the answer's
//! `sub` names when it matches the one the client gave.
//!
//! [`Dovecot::start_or_skip`] skips (returns `None`) where Dovecot is not
//! installed, except under `CI`, where that fails the test.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long Dovecot may take to listen.
const START_TIMEOUT: Duration = Duration::from_secs(20);

/// Where Debian installs the server.
const BINARIES: [&str; 2] = ["/usr/sbin/dovecot", "/usr/local/sbin/dovecot"];

/// The unprivileged user Dovecot runs as when the tests run as root.
const NOBODY: (u32, u32, &str, &str) = (65_534, 65_534, "nobody", "nogroup");

pub struct Dovecot {
    pub port: u16,
    child: Child,
    dir: tempfile::TempDir,
}

impl Dovecot {
    /// Starts Dovecot checking tokens at `introspection_url`, or skips.
    pub fn start_or_skip(introspection_url: &str) -> Option<Dovecot> {
        let Some(binary) = BINARIES.iter().map(Path::new).find(|p| p.exists()) else {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must run the mail tests: install dovecot-imapd (scripts/test.sh does, as root)"
            );
            eprintln!("skipped: dovecot is not installed (apt-get install dovecot-imapd)");
            return None;
        };
        Some(Dovecot::start(binary, introspection_url))
    }

    fn start(binary: &Path, introspection_url: &str) -> Dovecot {
        let dir = tempfile::Builder::new()
            .prefix("dovecot")
            .tempdir()
            .unwrap();
        let port = super::free_fixed_port();
        let root = is_root();
        let (user, group) = if root {
            (NOBODY.2.to_string(), NOBODY.3.to_string())
        } else {
            (whoami("-un"), whoami("-gn"))
        };
        for sub in ["run", "state", "home"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        let path = |name: &str| dir.path().join(name).display().to_string();
        let introspection = with_client(introspection_url);
        std::fs::write(
            dir.path().join("oauth2.conf.ext"),
            format!(
                "introspection_mode = post\n\
                 introspection_url = {introspection}\n\
                 username_attribute = sub\n\
                 active_attribute = active\n\
                 active_value = true\n"
            ),
        )
        .unwrap();
        let config = format!(
            "base_dir = {run}\n\
             state_dir = {state}\n\
             log_path = {log}\n\
             protocols = imap\n\
             listen = 127.0.0.1\n\
             ssl = no\n\
             disable_plaintext_auth = no\n\
             auth_mechanisms = xoauth2 oauthbearer\n\
             auth_verbose = yes\n\
             default_internal_user = {user}\n\
             default_internal_group = {group}\n\
             default_login_user = {user}\n\
             first_valid_uid = 1\n\
             mail_location = maildir:~/Maildir\n\
             service imap-login {{\n  chroot =\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n  inet_listener imaps {{\n    port = 0\n  }}\n}}\n\
             service anvil {{\n  chroot =\n}}\n\
             service stats {{\n  unix_listener stats-reader {{\n    mode = 0666\n  }}\n  unix_listener stats-writer {{\n    mode = 0666\n  }}\n}}\n\
             passdb {{\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = {oauth2}\n}}\n\
             userdb {{\n  driver = static\n  args = uid={user} gid={group} home={home}/%u\n}}\n",
            run = path("run"),
            state = path("state"),
            log = path("dovecot.log"),
            oauth2 = path("oauth2.conf.ext"),
            home = path("home"),
        );
        std::fs::write(dir.path().join("dovecot.conf"), config).unwrap();
        let mut command = if root {
            give_to_nobody(dir.path());
            let mut command = Command::new("setpriv");
            command.args(["--reuid", NOBODY.2, "--regid", NOBODY.3, "--clear-groups"]);
            command.arg(binary);
            command
        } else {
            Command::new(binary)
        };
        command
            .args(["-F", "-c"])
            .arg(dir.path().join("dovecot.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let child = command.spawn().expect("dovecot runs");
        let dovecot = Dovecot { port, child, dir };
        dovecot.wait_for_greeting();
        dovecot
    }

    fn wait_for_greeting(&self) {
        let deadline = Instant::now() + START_TIMEOUT;
        while Instant::now() < deadline {
            if let Ok(stream) = TcpStream::connect(("127.0.0.1", self.port)) {
                let mut line = String::new();
                let _ = BufReader::new(stream).read_line(&mut line);
                if line.starts_with("* OK") {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("dovecot did not start; its log:\n{}", self.log());
    }

    /// `imap://127.0.0.1:PORT/`
    pub fn url(&self) -> String {
        format!("imap://127.0.0.1:{}/", self.port)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default()
    }

    /// Sends `AUTHENTICATE MECHANISM RESPONSE` (SASL-IR, RFC 4959) as a
    /// mail client that takes a ready response does, and returns the
    /// tagged answer line (`a OK …` or `a NO …`).
    pub fn authenticate(&self, mechanism: &str, response: &str) -> String {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut writer = stream;
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("* OK"), "greeting: {line}");
        writeln!(writer, "a AUTHENTICATE {mechanism} {response}\r").unwrap();
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap() == 0 {
                return String::new();
            }
            if line.starts_with("+ ") {
                // A failure's challenge (RFC 7628 §3.2.3): end the exchange.
                writer.write_all(b"AQ==\r\n").unwrap();
            } else if line.starts_with("a ") {
                let _ = writer.write_all(b"z LOGOUT\r\n");
                return line.trim_end().to_string();
            }
        }
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The introspection URL with the `api` client's credentials in it, which
/// Dovecot sends as HTTP Basic.
fn with_client(introspection_url: &str) -> String {
    introspection_url.replacen("http://", "http://api:api-secret-0123456789@", 1)
}

fn is_root() -> bool {
    whoami("-u") == "0"
}

/// `id ARG`, trimmed.
fn whoami(arg: &str) -> String {
    let output = Command::new("id").arg(arg).output().expect("id runs");
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// Makes `dir` and what it holds belong to `nobody`.
fn give_to_nobody(dir: &Path) {
    fn walk(path: &Path, out: &mut Vec<PathBuf>) {
        out.push(path.to_path_buf());
        if let Ok(entries) = std::fs::read_dir(path) {
            for entry in entries.flatten() {
                walk(&entry.path(), out);
            }
        }
    }
    let mut paths = Vec::new();
    walk(dir, &mut paths);
    for path in paths {
        std::os::unix::fs::chown(&path, Some(NOBODY.0), Some(NOBODY.1)).unwrap();
    }
}
