//! The redirect listener under a flood: any local process can open
//! connections to the loopback port `connect` listens on. However many it
//! opens and leaves idle, with tether's descriptors limited or not, the
//! real browser's redirect still gets through and the flow completes.
//!
//! tether runs with its soft `RLIMIT_NOFILE` lowered by `prlimit(1)` (the
//! test crate forbids `unsafe`, so no `setrlimit` in `pre_exec`). The test
//! browser is held back by a wrapper until the flood is in place; then it
//! signs in, consents and loads the redirect while the flood goes on: a
//! connection tether closes is opened again, so the listener stays full.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::connect::{connected, env_with_service};
use crate::util::oidc::{self, Oidc};
use crate::util::{Env, Running, line_matches};

/// How often the flood looks for connections tether closed and opens new
/// ones in their place.
const ROUND: Duration = Duration::from_millis(50);

/// The most connections the flood opens again in one round, once it is in
/// place: enough to keep the listener full, not so many that the test
/// spends both cores on it.
const REOPEN_PER_ROUND: usize = 8;

/// How long the flood may take to open all its connections, and the
/// browser to wait for the signal to go.
const SETUP_TIMEOUT: Duration = Duration::from_secs(60);

/// Idle connections that send nothing, and half-sent requests that never
/// end their head, held open to tether's listener and opened again when
/// tether closes them.
/// It stops when dropped, so a failing test leaves no flood behind.
struct Flood {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<usize>>,
}

impl Flood {
    /// Opens `count` connections to `port` and keeps them open. Returns
    /// once all `count` are open, or after [`SETUP_TIMEOUT`] (a tether that
    /// died of the flood is then reported by its run).
    fn start(port: u16, count: usize) -> Flood {
        let stop = Arc::new(AtomicBool::new(false));
        let (in_place, wait) = mpsc::channel();
        let thread = std::thread::spawn({
            let stop = stop.clone();
            move || flood(port, count, &stop, &in_place)
        });
        let _ = wait.recv_timeout(SETUP_TIMEOUT);
        Flood {
            stop,
            thread: Some(thread),
        }
    }

    /// Ends the flood; returns how many connections it opened in all.
    fn stop(mut self) -> usize {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.take().unwrap().join().unwrap()
    }
}

impl Drop for Flood {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn flood(port: u16, count: usize, stop: &AtomicBool, in_place: &mpsc::Sender<()>) -> usize {
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let mut open: Vec<TcpStream> = Vec::new();
    let mut opened = 0;
    while !stop.load(Ordering::Relaxed) {
        let budget = if opened < count {
            count
        } else {
            REOPEN_PER_ROUND
        };
        for _ in 0..budget.min(count - open.len()) {
            let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_secs(1))
            else {
                break;
            };
            if opened % 2 == 1 {
                // A request whose head never ends.
                let _ = stream.write_all(b"GET /callback?state=");
            }
            stream.set_nonblocking(true).unwrap();
            open.push(stream);
            opened += 1;
            if opened == count {
                let _ = in_place.send(());
            }
        }
        open.retain_mut(still_open);
        std::thread::sleep(ROUND);
    }
    opened
}

/// Whether tether still holds `stream` open: reads (and drops) whatever it
/// sent, without waiting.
fn still_open(stream: &mut TcpStream) -> bool {
    let mut buffer = [0u8; 1024];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return false,
            Ok(_) => continue,
            Err(e) if e.kind() == ErrorKind::WouldBlock => return true,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return false,
        }
    }
}

/// A `$BROWSER` that waits until `go` exists, then runs the test browser
/// with its descriptor limit raised back (it inherits tether's).
fn held_browser(env: &Env, go: &Path) -> PathBuf {
    let script = env.root().join("held-browser");
    let tries = SETUP_TIMEOUT.as_millis() / 100;
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n\
             i=0\n\
             while [ ! -e '{go}' ] && [ $i -lt {tries} ]; do sleep 0.1; i=$((i+1)); done\n\
             ulimit -S -n \"$(ulimit -H -n)\" 2>/dev/null || :\n\
             exec node '{browser}' \"$@\"\n",
            go = go.display(),
            browser = oidc::browser_script().display(),
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

/// Lowers the soft limit on open files of process `pid` to `limit`.
fn limit_open_files(pid: u32, limit: u32) {
    let status = Command::new("prlimit")
        .arg(format!("--pid={pid}"))
        .arg(format!("--nofile={limit}:"))
        .status()
        .expect("prlimit (util-linux) runs");
    assert!(status.success(), "prlimit failed: {status}");
}

/// The listener's port, from the authorization URL tether prints.
fn listener_port(run: &mut Running<'_>) -> u16 {
    loop {
        let line = run.read_stderr_line();
        assert!(!line.is_empty(), "tether ended before printing the URL");
        let Some((_, rest)) = line.split_once("redirect_uri=http%3A%2F%2F127.0.0.1%3A") else {
            continue;
        };
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        return digits.parse().unwrap();
    }
}

/// `connect` with at most `limit` open files, while `count` connections
/// flood its listener: it exits 0, connected, and the browser saw the page
/// of success.
fn connect_through_a_flood(limit: u32, count: usize) {
    let server = Oidc::start();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    let go = env.root().join("go");
    let log = env.root().join("browser.log");
    let mut run = env
        .cmd(&["connect", "me", "--service", "oidc", "--timeout", "120"])
        .env("BROWSER", held_browser(&env, &go))
        .env("TEST_BROWSER_MODE", oidc::BrowserMode::Approve.as_str())
        .env("TEST_BROWSER_LOG", &log)
        .stderr(connected(&server, &env, "me", "in [..]"))
        .spawn();
    limit_open_files(run.id(), limit);
    let port = listener_port(&mut run);
    let flood = Flood::start(port, count);
    std::fs::write(&go, "").unwrap();
    run.ok();
    let opened = flood.stop();

    // A connection is opened again only after tether closed it, and the
    // port closes once the redirect came: more than `count` means tether
    // closed idle connections while it listened.
    assert!(
        opened > count,
        "tether closed none of {count} idle connections: nothing bounds them"
    );
    // The browser writes its line once it has read the page, which may be
    // after tether has exited.
    let success = format!(
        "browser: GET http://127.0.0.1:{port}/callback?code=(redacted)&state=[..] -> 200 [..]"
    );
    let deadline = Instant::now() + SETUP_TIMEOUT;
    let log = loop {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if text.lines().any(|line| line_matches(&success, line)) || Instant::now() > deadline {
            break text;
        }
        std::thread::sleep(ROUND);
    };
    assert!(
        log.lines().any(|line| line_matches(&success, line)),
        "the browser did not get the page of success:\n{log}"
    );
    assert_eq!(
        env.cmd(&["status", "--json"]).ok().json()[0]["status"],
        "connected"
    );
    env.assert_never_printed(&server.secrets());
}

#[test]
fn the_listener_flood_with_a_low_fd_limit_completes_the_real_flow() {
    // More idle connections than tether may open files.
    connect_through_a_flood(128, 130);
    // The common default limit, and a flood that once aborted the flow.
    connect_through_a_flood(1024, 600);
    // So few files that accepting fails (EMFILE) long before the
    // listener's own bound on connections.
    connect_through_a_flood(40, 80);
}
