//! A real, private Secret Service for tests: a D-Bus session bus of its own
//! and `gnome-keyring-daemon` on it, with a fresh, unlocked keyring in a
//! temporary folder.
//!
//! [`SecretService::start`] returns `None` when `dbus-daemon`,
//! `gnome-keyring-daemon` or `dbus-send` is not installed;
//! [`SecretService::start_or_skip`] is what tests call: it lets a test skip
//! then, except under `CI`, where a missing keyring fails the test instead
//! of passing it unseen. Give the child processes under test
//! `DBUS_SESSION_BUS_ADDRESS = bus_address`; the test process's own
//! environment is left alone.
//!
//! Why it is built this way (DESIGN §7):
//!
//! * The bus config lists no service folders, so D-Bus cannot auto-start a
//!   second, locked keyring daemon behind the test's back.
//! * `gnome-keyring-daemon --unlock` reads the keyring password on stdin,
//!   and is usable only once `org.freedesktop.secrets` has an owner on the
//!   bus: `start` waits for that.
//! * The daemon's HOME and XDG folders point into the temporary folder, so
//!   no test touches the keyring of the person running it.
//! * [`SecretService::freeze`] makes it a service that never answers.
//! * Both processes are killed when the value is dropped.
//!
//! Self-contained (std and tempfile only), so that unit tests can include
//! it with `#[path]` as well.

#![allow(dead_code)] // each user needs a different part

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long the daemon may take to claim its bus name; it takes ~100 ms.
const READY_TIMEOUT: Duration = Duration::from_secs(10);

/// A running private Secret Service.
pub struct SecretService {
    /// The value for `DBUS_SESSION_BUS_ADDRESS`.
    pub bus_address: String,
    /// The password of the keyring (`login`, the default collection).
    pub password: String,
    bus: Child,
    keyring: Child,
    dir: tempfile::TempDir,
}

impl std::fmt::Debug for SecretService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretService")
            .field("bus_address", &self.bus_address)
            .field("dir", &self.dir.path())
            .finish_non_exhaustive()
    }
}

impl SecretService {
    /// Starts a bus and a keyring daemon on it; `None` when the programs
    /// are not installed. Panics when they are installed but do not work,
    /// so a broken setup is not mistaken for a skipped test.
    pub fn start() -> Option<SecretService> {
        let dbus_daemon = find_program("dbus-daemon")?;
        let keyring_daemon = find_program("gnome-keyring-daemon")?;
        find_program("dbus-send")?;

        let dir = tempfile::Builder::new()
            .prefix("tether-secret-service")
            .tempdir()
            .expect("a temporary folder");
        let home = dir.path().join("home");
        let runtime = dir.path().join("run");
        for folder in [&home, &runtime] {
            std::fs::create_dir_all(folder).unwrap();
            private(folder);
        }
        let socket = dir.path().join("bus");
        let config = dir.path().join("bus.conf");
        std::fs::write(&config, bus_config(&socket)).unwrap();

        let mut bus = Command::new(dbus_daemon)
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon starts");
        let mut line = String::new();
        let read = BufReader::new(bus.stdout.take().unwrap()).read_line(&mut line);
        let bus_address = line.trim().to_string();
        if read.is_err() || bus_address.is_empty() {
            let _ = bus.kill();
            let _ = bus.wait();
            panic!("dbus-daemon printed no address");
        }

        let password = "tether-test-keyring".to_string();
        let mut keyring = Command::new(keyring_daemon)
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &bus_address)
            .env("HOME", &home)
            .env("XDG_RUNTIME_DIR", &runtime)
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon starts");
        {
            // The password, then end of input.
            let mut stdin = keyring.stdin.take().unwrap();
            stdin.write_all(password.as_bytes()).unwrap();
        }

        let service = SecretService {
            bus_address,
            password,
            bus,
            keyring,
            dir,
        };
        service.wait_until_ready();
        Some(service)
    }

    /// [`SecretService::start`] for a test: `None` (and a note on stderr)
    /// when the programs are missing, so the test returns early; under
    /// `CI` a missing program fails the test, since CI must run it.
    pub fn start_or_skip() -> Option<SecretService> {
        let service = SecretService::start();
        if service.is_none() {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must run the keyring tests: install gnome-keyring and dbus"
            );
            eprintln!("skipped: dbus-daemon or gnome-keyring-daemon is not installed");
        }
        service
    }

    /// The temporary folder that holds the bus socket and the keyring.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Stops the keyring daemon (SIGSTOP) while it keeps its bus name: a
    /// Secret Service that never answers, as a hung desktop keyring does.
    pub fn freeze(&self) {
        self.signal("-STOP");
    }

    /// Lets a frozen daemon run again.
    pub fn thaw(&self) {
        self.signal("-CONT");
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.keyring.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill {signal} failed");
    }

    fn wait_until_ready(&self) {
        let deadline = Instant::now() + READY_TIMEOUT;
        while Instant::now() < deadline {
            let out = Command::new("dbus-send")
                .env("DBUS_SESSION_BUS_ADDRESS", &self.bus_address)
                .args([
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .stdin(Stdio::null())
                .output()
                .expect("dbus-send runs");
            if String::from_utf8_lossy(&out.stdout).contains("boolean true") {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "gnome-keyring-daemon did not claim org.freedesktop.secrets within {READY_TIMEOUT:?}"
        );
    }
}

impl Drop for SecretService {
    fn drop(&mut self) {
        for child in [&mut self.keyring, &mut self.bus] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A session bus listening on `socket` only, with no service folders:
/// nothing is started on demand.
fn bus_config(socket: &Path) -> String {
    format!(
        r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={}</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
        socket.display()
    )
}

/// `dbus-monitor` watching the calls of one method on a test bus.
pub struct CallMonitor {
    child: Child,
    lines: std::sync::mpsc::Receiver<String>,
}

impl SecretService {
    /// Starts counting the calls of `member` (a Secret Service method such
    /// as `SearchItems`) on this bus; returns once the monitor listens.
    pub fn monitor(&self, member: &str) -> CallMonitor {
        let program =
            find_program("dbus-monitor").expect("dbus-monitor (package dbus) is installed");
        let mut child = Command::new(program)
            .args([
                "--address",
                &self.bus_address,
                &format!("type='method_call',member='{member}'"),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-monitor starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // It announces itself with a NameAcquired signal once it listens.
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match lines.recv_timeout(left) {
                Ok(line) if line.contains("NameAcquired") => break,
                Ok(_) => {}
                Err(_) => panic!("dbus-monitor did not start listening"),
            }
        }
        CallMonitor { child, lines }
    }
}

impl CallMonitor {
    /// Stops the monitor and returns the calls it saw whose arguments
    /// mention `needle` (an attribute value such as `connection:c`).
    pub fn calls_mentioning(mut self, needle: &str) -> usize {
        // dbus-monitor flushes each message as it arrives; give the last
        // one a moment to come through the pipe, then stop it.
        std::thread::sleep(Duration::from_millis(200));
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut calls = 0;
        let mut in_call = false;
        let mut mentioned = false;
        for line in self.lines.try_iter() {
            if line.starts_with("method call") {
                calls += usize::from(in_call && mentioned);
                in_call = true;
                mentioned = false;
            } else if line.contains(needle) {
                mentioned = true;
            }
        }
        calls + usize::from(in_call && mentioned)
    }
}

/// The program's path when it is on `PATH`.
fn find_program(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}

#[cfg(unix)]
fn private(folder: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700)).unwrap();
}

#[cfg(not(unix))]
fn private(_: &Path) {}
