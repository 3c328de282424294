//! The kill campaign: tether killed with SIGKILL, SIGTERM or SIGINT at
//! random points while it refreshes an expired connection, against the real
//! authorization server (which rotates refresh tokens and revokes the whole
//! grant when a rotated one is presented again), for the file store and the
//! keyring store. What must hold:
//!
//! * no record is ever corrupt;
//! * SIGINT and SIGTERM never lose the grant: tether holds them from just
//!   before the refresh request until the new record is saved, then dies of
//!   the signal;
//! * SIGKILL loses a grant only in flight: tether had sent the refresh
//!   request and died before the answer was anywhere in the store (the old
//!   refresh token still stored, no complete temp file with a new one), so
//!   the provider spent the stored token on an answer nobody kept. A
//!   complete temp file left by a kill is recovered by the next refresh.
//!
//! The token endpoint is reached through a [`Relay`] that holds each answer
//! back for [`ANSWER_DELAY`], as a provider across the internet does, and
//! says when a request came in. Kill points are drawn from three moments:
//! half from the request's arrival at the relay, a quarter from tether's
//! opening of the connection's lock file (seen in `/proc`), a quarter from
//! the start; each up to the time uninterrupted refreshes took from there
//! to the release of the lock (the new record saved). SIGKILL, which loses
//! a grant whenever it lands in flight (and each lost grant costs a
//! browser sign-in), is drawn from the request half as often.
//!
//! After each kill, the stored record must parse; when the killed run saved
//! nothing, `tether token` must then either work or say that the connection
//! needs authorization (exit 7); the test server's introspection (RFC 7662)
//! tells whether the grant is alive.
//!
//! Each campaign prints its figure on stderr (`cargo test -- --nocapture`
//! shows it): `kill campaign (file): 60 runs, SIGKILL lost 3 grants in
//! flight, SIGINT 0, SIGTERM 0, …`. `TETHER_FAULT_RUNS` sets the runs per
//! signal (20 by default); `TETHER_FAULT_SEED` replays the kill points of
//! a printed seed.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rustix::process::{Pid, Signal, kill_process};
use serde_json::Value;

use crate::connect::{self, prompt};
use crate::util::keyring::SecretService;
use crate::util::oidc::{self, BrowserMode, Oidc, OidcOptions};
use crate::util::{Env, Output, age_blob, blob_record};

/// Lifetime of access tokens: tether refreshes once half of it has passed,
/// and the campaign ages the stored record by all of it before each run.
const TTL: u64 = 4;

/// Runs per signal and store, unless `TETHER_FAULT_RUNS` says otherwise:
/// enough to land kills all over the refresh, few enough to take seconds.
const RUNS_PER_SIGNAL: usize = 20;

/// How long the relay holds each answer of the token endpoint back: a
/// provider across the internet answers in tens of milliseconds, and the
/// kills need a refresh that is in flight for a while.
const ANSWER_DELAY: Duration = Duration::from_millis(25);

/// How long tether may take to reach a [`Moment`] in a watched run; far
/// above what it takes, so only a tether that never gets there reaches it.
const MOMENT_DEADLINE: Duration = Duration::from_secs(30);

/// How often a watched process is looked at.
const POLL: Duration = Duration::from_micros(200);

/// Uninterrupted refreshes timed before the campaign.
const CALIBRATION_RUNS: usize = 3;

const SIGNALS: [(Signal, &str); 3] = [
    (Signal::KILL, "SIGKILL"),
    (Signal::INT, "SIGINT"),
    (Signal::TERM, "SIGTERM"),
];

/// The connection every run refreshes.
const NAME: &str = "me";

#[test]
fn kills_during_a_refresh_lose_no_grant_to_sigint_or_sigterm_file_store() {
    let server = Oidc::start_with(OidcOptions::default().access_token_ttl(TTL));
    let relay = Relay::start(server.port, ANSWER_DELAY);
    let env = env_with_relayed_service(&server, &relay);
    Campaign::new("file", &server, &relay, &env, Store::File).run();
}

#[test]
fn kills_during_a_refresh_lose_no_grant_to_sigint_or_sigterm_keyring_store() {
    let Some(keyring) = SecretService::start_or_skip() else {
        return;
    };
    let server = Oidc::start_with(OidcOptions::default().access_token_ttl(TTL));
    let relay = Relay::start(server.port, ANSWER_DELAY);
    let mut env = env_with_relayed_service(&server, &relay);
    env.set("DBUS_SESSION_BUS_ADDRESS", &keyring.bus_address);
    env.set("TETHER_STORE", "keyring");
    Campaign::new("keyring", &server, &relay, &env, Store::Keyring).run();
}

#[test]
fn sigint_and_sigterm_wait_for_the_refresh_they_interrupt_to_be_saved() {
    let server = Oidc::start_with(OidcOptions::default().access_token_ttl(TTL));
    // An answer slow enough to signal tether while it waits for it.
    let relay = Relay::start(server.port, Duration::from_millis(600));
    let env = env_with_relayed_service(&server, &relay);
    connect_file(&server, &env);
    for signal in [Signal::INT, Signal::TERM] {
        env.age_record(NAME, TTL);
        let spent = refresh_token(&env.record(NAME).unwrap());
        let grants = server.grants("refresh_token");
        relay.forget_requests();
        let run = env.cmd(&["token", NAME]).spawn();
        let watch = Watch::new(run.id(), env.locks_dir().join(format!("{NAME}.lock")));
        assert!(watch.until(Moment::Request, &relay).is_some());
        let target = Pid::from_raw(i32::try_from(run.id()).unwrap()).unwrap();
        kill_process(target, signal).unwrap();
        let (status, output) = run.end();
        // It died of the signal, once the new tokens were stored, and
        // printed nothing.
        assert_eq!(status.signal(), Some(signal.as_raw()), "{output}");
        assert_eq!((output.stdout.as_str(), output.stderr.as_str()), ("", ""));
        assert_eq!(server.grants("refresh_token"), grants + 1);
        let stored = refresh_token(&env.record(NAME).unwrap());
        assert_ne!(stored, spent);
        assert_eq!(server.introspect(&stored)["active"], true);
        assert!(temp_files(&env.tokens_dir()).is_empty());
    }
}

#[test]
fn the_next_refresh_recovers_a_record_that_a_kill_left_in_a_temp_file() {
    let server = Oidc::start_with(OidcOptions::default().access_token_ttl(TTL));
    let relay = Relay::start(server.port, Duration::ZERO);
    let env = env_with_relayed_service(&server, &relay);
    connect_file(&server, &env);
    env.age_record(NAME, TTL);
    let path = env.tokens_dir().join(format!("{NAME}.json"));
    let spent = std::fs::read(&path).unwrap();
    env.cmd(&["token", NAME]).ok();
    // As a kill between the temp file and its rename leaves things: the
    // new record (whose refresh token alone is alive) in a temp file, the
    // old one in place, and an earlier write cut short beside them.
    let temp = env.tokens_dir().join(format!(".{NAME}.json.Kd93xQ.tmp"));
    std::fs::rename(&path, &temp).unwrap();
    std::fs::write(&path, &spent).unwrap();
    // Written by tether, it would be private; the store reads nothing else.
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let cut_short = env.tokens_dir().join(format!(".{NAME}.json.a0B1c2.tmp"));
    std::fs::write(&cut_short, &spent[..spent.len() / 2]).unwrap();
    // Another connection's temp file is not this one's.
    let other = env
        .tokens_dir()
        .join(format!(".{NAME}.json.json.Zz9Yy8.tmp"));
    std::fs::write(&other, b"{}").unwrap();
    let recovered: Value = serde_json::from_slice(&std::fs::read(&temp).unwrap()).unwrap();
    let grants = server.grants("refresh_token");

    // The old record is due: the refresh recovers the new one instead of
    // presenting the spent refresh token, which would revoke the grant.
    env.age_record(NAME, TTL);
    env.cmd(&["token", NAME])
        .stdout(format!("{}\n", recovered["access_token"].as_str().unwrap()))
        .ok();
    assert_eq!(server.grants("refresh_token"), grants);
    assert_eq!(env.record(NAME).unwrap(), recovered);
    assert_eq!(temp_files(&env.tokens_dir()), Vec::<PathBuf>::new());
    assert!(other.exists());
    assert_eq!(server.stats()["grants_revoked"], 0);
    // And the grant goes on.
    env.age_record(NAME, TTL);
    env.cmd(&["token", NAME]).ok();
    assert_eq!(server.grants("refresh_token"), grants + 1);

    // Disconnecting deletes such copies of the tokens too.
    std::fs::write(&temp, &spent).unwrap();
    env.cmd(&["disconnect", NAME])
        .stderr(format!(
            "Service `oidc` has no revoke_url: the tokens stay valid at the provider until they expire\n\
             Deleted the tokens of `{NAME}` from file ({})\n",
            env.tokens_dir().display()
        ))
        .ok();
    assert!(!temp.exists());
}

/// Connects `me` in the browser, into the file store.
fn connect_file(server: &Oidc, env: &Env) {
    connect::connect(env, NAME, BrowserMode::Approve, &[])
        .stderr(format!(
            "{}Connected `{NAME}` (oidc): expires in [..], refreshable; tokens in file ({})\n\
             Try it: tether invoke {NAME} GET /\n",
            prompt(server, oidc::NATIVE.id, NAME),
            env.tokens_dir().display()
        ))
        .ok();
}

/// An env with a service `oidc` for [`oidc::NATIVE`] whose token endpoint
/// is reached through `relay`.
fn env_with_relayed_service(server: &Oidc, relay: &Relay) -> Env {
    let env = Env::new();
    let token_url = server.token_url().replace(
        &format!("127.0.0.1:{}", server.port),
        &format!("127.0.0.1:{}", relay.port),
    );
    let resource = server.resource_url("");
    env.cmd(&[
        "service",
        "add",
        "oidc",
        "--client-id",
        oidc::NATIVE.id,
        "--authorize-url",
        &server.authorize_url(),
        "--token-url",
        &token_url,
        "--scope",
        "openid",
        "--scope",
        "read",
        "--base-url",
        resource.trim_end_matches('/'),
    ])
    .stderr(format!(
        "Added service `oidc` (oauth2) to {}\n\
         Connect it with `tether connect NAME --service oidc`\n",
        env.config_path().display()
    ))
    .ok();
    env
}

/// The store a campaign runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Store {
    File,
    Keyring,
}

/// What the kills of one signal did.
#[derive(Debug, Default)]
struct Tally {
    runs: usize,
    /// Grants lost, in flight or not.
    lost: usize,
    /// tether died of the signal after the provider had rotated the
    /// refresh token: the kill landed in (or after) the refresh.
    mid_refresh: usize,
}

/// A moment in a refresh run that kill points are drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Moment {
    /// tether was started.
    Start,
    /// It opened the connection's lock file: it is about to load the
    /// record again and refresh.
    Lock,
    /// Its refresh request reached the relay: the provider is answering.
    Request,
}

/// For each [`Moment`], the longest time uninterrupted refreshes took from
/// it to the release of the lock.
#[derive(Debug, Default)]
struct Spans {
    start: Duration,
    lock: Duration,
    request: Duration,
}

struct Campaign<'a> {
    store_name: &'static str,
    server: &'a Oidc,
    relay: &'a Relay,
    env: &'a Env,
    store: Store,
    rng: Rng,
    seed: u64,
    spans: Spans,
    corrupt: usize,
    /// Every loss that the rules above do not allow, described.
    violations: Vec<String>,
    /// The last `connection export` of the keyring record, still current.
    last_export: Option<String>,
}

impl<'a> Campaign<'a> {
    fn new(
        store_name: &'static str,
        server: &'a Oidc,
        relay: &'a Relay,
        env: &'a Env,
        store: Store,
    ) -> Self {
        let (rng, seed) = Rng::seeded();
        Campaign {
            store_name,
            server,
            relay,
            env,
            store,
            rng,
            seed,
            spans: Spans::default(),
            corrupt: 0,
            violations: Vec::new(),
            last_export: None,
        }
    }

    fn run(mut self) {
        self.connect();
        self.calibrate();
        let runs = runs_per_signal();
        let mut tallies: Vec<Tally> = SIGNALS.iter().map(|_| Tally::default()).collect();
        for round in 0..runs {
            for (index, (signal, signal_name)) in SIGNALS.iter().enumerate() {
                self.kill_once(round, *signal, signal_name, &mut tallies[index]);
            }
        }
        // At the end, one more refresh works and leaves nothing behind.
        self.make_due();
        self.env.cmd(&["token", NAME]).ok();
        let left = temp_files(&self.env.tokens_dir());
        if !left.is_empty() {
            self.violations
                .push(format!("temp files stay after the last refresh: {left:?}"));
        }

        let total: usize = tallies.iter().map(|t| t.runs).sum();
        let mid: usize = tallies.iter().map(|t| t.mid_refresh).sum();
        let lost = |i: usize| tallies[i].lost;
        eprintln!(
            "kill campaign ({}): {total} runs, SIGKILL lost {} grants in flight, SIGINT {}, SIGTERM {} \
             ({mid} killed mid-refresh, {} corrupt records, {} losses outside the window, seed {})",
            self.store_name,
            lost(0),
            lost(1),
            lost(2),
            self.corrupt,
            self.violations.len(),
            self.seed,
        );
        assert!(
            self.violations.is_empty(),
            "grants lost outside the provider-in-flight window (seed {}):\n{}",
            self.seed,
            self.violations.join("\n")
        );
        assert_eq!(self.corrupt, 0, "corrupt records (seed {})", self.seed);
        assert_eq!(
            (lost(1), lost(2)),
            (0, 0),
            "SIGINT and SIGTERM lose nothing"
        );
        assert!(mid > 0, "no kill landed in a refresh (seed {})", self.seed);
    }

    /// Connects `me` in the browser: at the start, and after a lost grant.
    fn connect(&mut self) {
        self.last_export = None;
        let location = match self.store {
            Store::File => format!("file ({})", self.env.tokens_dir().display()),
            Store::Keyring => "keyring (Secret Service)".to_string(),
        };
        connect::connect(self.env, NAME, BrowserMode::Approve, &[])
            .stderr(format!(
                "{}Connected `{NAME}` (oidc): expires in [..], refreshable; tokens in {location}\n\
                 Try it: tether invoke {NAME} GET /\n",
                prompt(self.server, oidc::NATIVE.id, NAME)
            ))
            .ok();
    }

    /// Times uninterrupted refreshes, for the kill points.
    fn calibrate(&mut self) {
        for _ in 0..CALIBRATION_RUNS {
            self.make_due();
            self.relay.forget_requests();
            let run = self.env.cmd(&["token", NAME]).spawn();
            let watch = Watch::new(run.id(), self.lock_path());
            let locked = watch.until(Moment::Lock, self.relay);
            let requested = watch.until(Moment::Request, self.relay);
            let released = watch.released();
            let output = run.ok();
            let (Some(locked), Some(requested)) = (locked, requested) else {
                panic!("tether was not seen locking and refreshing:\n{output}");
            };
            let spans = &mut self.spans;
            spans.start = spans.start.max(released);
            spans.lock = spans.lock.max(released.saturating_sub(locked));
            spans.request = spans.request.max(released.saturating_sub(requested));
        }
    }

    fn lock_path(&self) -> PathBuf {
        self.env.locks_dir().join(format!("{NAME}.lock"))
    }

    /// One run killed with `signal`, then the verdict on the grant.
    fn kill_once(&mut self, round: usize, signal: Signal, signal_name: &str, tally: &mut Tally) {
        tally.runs += 1;
        let spent = self.make_due();
        let args: &[&str] = if round.is_multiple_of(2) {
            &["token", NAME]
        } else {
            &["invoke", NAME, "GET", "/killed"]
        };
        let (status, killed) = self.run_killed(args, signal);
        assert!(
            ended_as_expected(status, signal),
            "{signal_name} run ended with {status}:\n{killed}"
        );
        if status.signal() == Some(signal.as_raw()) && !self.active(&spent) {
            tally.mid_refresh += 1;
        }

        // What the killed run left: the stored refresh token (`None` for a
        // corrupt record) and whether a complete temp file holds another.
        let (stored, saved_in_temp) = match self.store {
            Store::File => self.inspect_files(&spent),
            Store::Keyring => (self.exported_refresh_token(), false),
        };
        let Some(stored) = stored else {
            self.corrupt += 1;
            self.connect();
            return;
        };
        if stored != spent {
            // The killed run saved the new record: the grant lives if the
            // provider still takes its refresh token, which the next run
            // spends.
            if !self.active(&stored) {
                tally.lost += 1;
                self.violations.push(format!(
                    "{signal_name} {args:?}: the saved refresh token is dead; killed run:\n{killed}"
                ));
                self.connect();
            }
            return;
        }

        let (status, checked) = self.env.cmd(&["token", NAME]).spawn().end();
        match status.code() {
            Some(0 | 7) => {}
            Some(1) if checked.stderr.contains("token store") => {
                self.corrupt += 1;
                self.connect();
                return;
            }
            _ => panic!("`tether token` after a {signal_name} run:\n{checked}"),
        }
        if self.store == Store::File {
            let left = temp_files(&self.env.tokens_dir());
            if !left.is_empty() {
                self.violations
                    .push(format!("temp files stay after a refresh: {left:?}"));
            }
        }
        let after = self.exported_refresh_token().expect("a readable record");
        if status.code() == Some(0) && self.active(&after) {
            return;
        }
        tally.lost += 1;
        // The killed run saved nothing (the old refresh token is still
        // stored), so its request was the one in flight: the provider spent
        // the stored token on it, and the next run's copy revoked the grant
        // (or raced it). A lost grant whose new record was in a temp file,
        // or any loss to SIGINT or SIGTERM, is tether's fault.
        if signal != Signal::KILL || saved_in_temp {
            self.violations.push(format!(
                "{signal_name} {args:?}: new record in a temp file: {saved_in_temp}; \
                 killed run:\n{killed}\nthen:\n{checked}"
            ));
        }
        self.connect();
    }

    /// Runs tether with `args` and kills it with `signal` at a point drawn
    /// as the module docs say.
    fn run_killed(&mut self, args: &[&str], signal: Signal) -> (ExitStatus, Output) {
        // A SIGKILL in flight costs a grant and a browser sign-in: it is
        // drawn from the request half as often.
        let moment = match (self.rng.below(4), signal == Signal::KILL) {
            (0, _) => Moment::Start,
            (1, _) | (2, true) => Moment::Lock,
            _ => Moment::Request,
        };
        let span = match moment {
            Moment::Start => self.spans.start,
            Moment::Lock => self.spans.lock,
            Moment::Request => self.spans.request,
        };
        let wait = self.rng.up_to(span);
        self.relay.forget_requests();
        let run = self.env.cmd(args).spawn();
        let pid = run.id();
        if Watch::new(pid, self.lock_path())
            .until(moment, self.relay)
            .is_some()
        {
            std::thread::sleep(wait);
        }
        // The child is not reaped before `end`, so its pid cannot have been
        // reused: at worst the signal reaches a zombie.
        let target = Pid::from_raw(i32::try_from(pid).unwrap()).unwrap();
        let _ = kill_process(target, signal);
        run.end()
    }

    /// Ages the stored record so that its access token is due; returns its
    /// refresh token, which the next refresh spends.
    fn make_due(&mut self) -> String {
        match self.store {
            Store::File => {
                self.env.age_record(NAME, TTL);
                refresh_token(&self.env.record(NAME).unwrap())
            }
            Store::Keyring => {
                let blob = self.last_export.take().unwrap_or_else(|| self.export());
                self.env
                    .cmd(&["connection", "import", NAME])
                    .stdin(age_blob(&blob, TTL))
                    .stderr(format!(
                        "Imported `{NAME}` (oidc) into keyring (Secret Service)\n"
                    ))
                    .ok();
                refresh_token(&blob_record(&blob))
            }
        }
    }

    fn export(&self) -> String {
        self.env
            .cmd(&["connection", "export", NAME])
            .stderr(format!(
                "That line holds the tokens of `{NAME}`: keep it in a secret store, as `TETHER_CONNECTION_ME`.\n"
            ))
            .ok()
            .stdout
    }

    /// The stored refresh token: from the file, or `connection export`
    /// (kept for the next [`Campaign::make_due`]). `None` when the record
    /// is not one.
    fn exported_refresh_token(&mut self) -> Option<String> {
        match self.store {
            Store::File => self.inspect_files("").0,
            Store::Keyring => {
                let (status, output) = self.env.cmd(&["connection", "export", NAME]).spawn().end();
                if !status.success() {
                    assert!(output.stderr.contains("token store"), "{output}");
                    return None;
                }
                let token = refresh_token(&blob_record(&output.stdout));
                self.last_export = Some(output.stdout);
                Some(token)
            }
        }
    }

    /// The refresh token of the stored record (`None` when it does not
    /// parse as one), and whether a complete temp file holds another
    /// refresh token than `spent`.
    fn inspect_files(&self, spent: &str) -> (Option<String>, bool) {
        let path = self.env.tokens_dir().join(format!("{NAME}.json"));
        let stored = std::fs::read_to_string(&path)
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
            .and_then(|record| Some(record["refresh_token"].as_str()?.to_string()));
        let saved_in_temp = temp_files(&self.env.tokens_dir()).iter().any(|temp| {
            std::fs::read_to_string(temp)
                .ok()
                .and_then(|text| serde_json::from_str::<Value>(&text).ok())
                .is_some_and(|record| record["refresh_token"] != spent)
        });
        (stored, saved_in_temp)
    }

    /// Whether the test server still takes `token` (introspection, RFC 7662).
    fn active(&self, token: &str) -> bool {
        self.server.introspect(token)["active"] == true
    }
}

/// How a killed run may end: done before the signal came, dead of it, or
/// (where re-raising failed) exited with 128 + its number.
fn ended_as_expected(status: ExitStatus, signal: Signal) -> bool {
    status.success()
        || status.signal() == Some(signal.as_raw())
        || status.code() == Some(128 + signal.as_raw())
}

fn refresh_token(record: &Value) -> String {
    record["refresh_token"]
        .as_str()
        .expect("a record with a refresh token")
        .to_string()
}

/// The temp files of `me.json` in the token folder:
/// `.me.json.XXXXXX.tmp`, the X letters and digits.
fn temp_files(dir: &Path) -> Vec<PathBuf> {
    let prefix = format!(".{NAME}.json.");
    let is_temp = |name: &str| {
        name.strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .is_some_and(|random| {
                !random.is_empty() && random.chars().all(|c| c.is_ascii_alphanumeric())
            })
    };
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|entry| entry.path())
                .filter(|path| is_temp(&path.file_name().unwrap().to_string_lossy()))
                .collect()
        })
        .unwrap_or_default()
}

/// A tether process watched through `/proc` (and the relay), without
/// reaping it.
struct Watch {
    pid: u32,
    lock: PathBuf,
    started: Instant,
}

impl Watch {
    fn new(pid: u32, lock: PathBuf) -> Watch {
        Watch {
            pid,
            lock,
            started: Instant::now(),
        }
    }

    /// Waits for `moment`; returns when it came, from the start, or `None`
    /// when tether ended first.
    fn until(&self, moment: Moment, relay: &Relay) -> Option<Duration> {
        let deadline = Instant::now() + MOMENT_DEADLINE;
        while Instant::now() < deadline {
            let seen = match moment {
                Moment::Start => true,
                Moment::Lock => open_files(self.pid).contains(&self.lock),
                Moment::Request => relay.request_came(POLL),
            };
            if seen {
                return Some(self.started.elapsed());
            }
            if ended(self.pid) {
                return None;
            }
            if moment == Moment::Lock {
                std::thread::sleep(POLL);
            }
        }
        panic!(
            "tether {} did not reach {moment:?} nor end within {MOMENT_DEADLINE:?}",
            self.pid
        );
    }

    /// Waits until tether has let go of the lock file (or ended); returns
    /// when, from the start.
    fn released(&self) -> Duration {
        let deadline = Instant::now() + MOMENT_DEADLINE;
        while Instant::now() < deadline {
            if !open_files(self.pid).contains(&self.lock) || ended(self.pid) {
                return self.started.elapsed();
            }
            std::thread::sleep(POLL);
        }
        panic!("tether {} held its lock for {MOMENT_DEADLINE:?}", self.pid);
    }
}

/// What process `pid` has open: the targets of its `/proc` fd links.
fn open_files(pid: u32) -> Vec<PathBuf> {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return Vec::new();
    };
    fds.flatten()
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .collect()
}

/// Whether process `pid` has ended (a zombie waiting to be reaped, or gone).
fn ended(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the command name in parentheses.
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with(['Z', 'X'])),
        Err(_) => true,
    }
}

/// A TCP relay on loopback to the authorization server that passes each
/// request on at once and holds each answer back for a while, as the
/// network to a distant provider does; it says when a request came in.
struct Relay {
    port: u16,
    requests: Receiver<()>,
    stop: Arc<AtomicBool>,
}

impl Relay {
    fn start(upstream: u16, delay: Duration) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let (came, requests) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        std::thread::spawn(move || {
            for client in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                let came = came.clone();
                std::thread::spawn(move || relay(client, upstream, delay, &came));
            }
        });
        Relay {
            port,
            requests,
            stop,
        }
    }

    /// Drops the news of earlier requests.
    fn forget_requests(&self) {
        while self.requests.try_recv().is_ok() {}
    }

    /// Whether a request comes in within `wait`.
    fn request_came(&self, wait: Duration) -> bool {
        match self.requests.recv_timeout(wait) {
            Ok(()) => true,
            Err(RecvTimeoutError::Timeout) => false,
            Err(RecvTimeoutError::Disconnected) => panic!("the relay stopped"),
        }
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the listener up to see it.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Relays one connection: the client's bytes at once (saying when the
/// first came), the server's after `delay`.
fn relay(client: TcpStream, upstream: u16, delay: Duration, came: &Sender<()>) {
    let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else {
        return;
    };
    let (Ok(mut from_client), Ok(mut to_server)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    let came = came.clone();
    std::thread::spawn(move || {
        let mut buf = [0; 16 * 1024];
        let mut first = true;
        while let Ok(n @ 1..) = from_client.read(&mut buf) {
            if to_server.write_all(&buf[..n]).is_err() {
                break;
            }
            if std::mem::take(&mut first) {
                let _ = came.send(());
            }
        }
        let _ = to_server.shutdown(Shutdown::Write);
    });
    let (mut from_server, mut to_client) = (server, client);
    let mut buf = [0; 16 * 1024];
    let mut first = true;
    while let Ok(n @ 1..) = from_server.read(&mut buf) {
        if std::mem::take(&mut first) {
            std::thread::sleep(delay);
        }
        if to_client.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to_client.shutdown(Shutdown::Write);
}

/// The runs per signal: `TETHER_FAULT_RUNS`, else [`RUNS_PER_SIGNAL`].
fn runs_per_signal() -> usize {
    std::env::var("TETHER_FAULT_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(RUNS_PER_SIGNAL)
}

/// A small xorshift generator: the kill points need spread, not quality,
/// and a printed seed replays them.
struct Rng(u64);

impl Rng {
    /// Seeded from `TETHER_FAULT_SEED`, else the clock; returns the seed.
    fn seeded() -> (Rng, u64) {
        let seed = std::env::var("TETHER_FAULT_SEED")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| {
                let nanos = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .unwrap()
                    .subsec_nanos();
                u64::from(nanos) ^ u64::from(std::process::id())
            });
        (Rng(seed.max(1)), seed)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// A duration from zero to `most`, to the microsecond.
    fn up_to(&mut self, most: Duration) -> Duration {
        let micros = u64::try_from(most.as_micros()).unwrap_or(u64::MAX);
        Duration::from_micros(self.below(micros.saturating_add(1)))
    }
}
