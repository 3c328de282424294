//! Shared stores on a real PostgreSQL (Debian's, in a throwaway cluster:
//! [`Postgres`]): records sealed at rest, one refresh across machines
//! through the row lock, a database that is down, restarting or hung, and
//! moving connections between stores.
//!
//! A "machine" is an [`Env`] of its own (HOME, XDG folders): machines share
//! nothing but the database and the store key.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::connect::{connect, env_with_service, prompt};
use crate::util::Env;
use crate::util::oidc::{self, BrowserMode, Oidc, OidcOptions};
use crate::util::postgres::{self, Postgres};

/// A `[stores.team]` on the cluster, its URL and key from the
/// environment.
const STORES: &str = "[stores.team]\nkind = \"postgres\"\nurl = { env = \"TETHER_PG_URL\" }\nkey = { env = \"TETHER_STORE_KEY\" }\n";

/// A static bearer service and a connection `ci` kept in `team`.
const BEARER: &str = "[services.api]\nauth = \"bearer\"\nbase_url = \"https://api.example.com\"\n\n[connections.ci]\nservice = \"api\"\nstore = \"team\"\n\n";

/// A machine that reaches `url` with `key`, with `config`.
fn machine(config: &str, url: &str, key: &str) -> Env {
    let mut env = Env::new();
    env.set("TETHER_PG_URL", url).set("TETHER_STORE_KEY", key);
    env.write_config(config);
    env
}

/// What `connect NAME --stdin` of a bearer token into `team` says.
fn connected_shared(name: &str, place: &str) -> String {
    format!(
        "Connected `{name}` (api): never expires, static credential; tokens in store `team` (postgres {place})\n\
         Try it: tether invoke {name} GET /\n"
    )
}

fn socket_place(pg: &Postgres) -> String {
    format!("{}:{}/postgres", pg.socket_dir().display(), pg.port)
}

#[test]
fn records_are_sealed_at_rest_and_bound_to_their_name() {
    let Some(pg) = Postgres::start() else { return };
    let key = postgres::new_key();
    let env = machine(&format!("{BEARER}{STORES}"), &pg.socket_url(), &key);
    let token = "tok-Sealed-4f1e9a";
    env.cmd(&["connect", "ci", "--stdin"])
        .stdin(format!("{token}\n"))
        .stderr(connected_shared("ci", &socket_place(&pg)))
        .ok();
    env.cmd(&["token", "ci"]).stdout(format!("{token}\n")).ok();
    // Nothing in this machine's files; the row names its writer.
    assert!(!env.tokens_dir().exists());
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    assert_eq!(
        pg.psql("SELECT name, format, version, updated_by FROM tether.records"),
        format!("ci|1|1|{}", host.trim())
    );
    assert_eq!(
        pg.psql("SELECT max(version) FROM tether.schema_version"),
        "1"
    );

    // The dump holds neither the token, nor the key, nor the password.
    let dump = pg.dump();
    for secret in [token, &key, postgres::PASSWORD] {
        assert!(
            !dump.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "`{secret}` is in the dump"
        );
    }
    assert!(String::from_utf8_lossy(&dump).contains("CREATE TABLE tether.records"));

    // A row renamed to another connection does not open.
    pg.psql("UPDATE tether.records SET name = 'ci2' WHERE name = 'ci'");
    env.write_config(&format!(
        "{BEARER}[connections.ci2]\nservice = \"api\"\nstore = \"team\"\n\n{STORES}"
    ));
    env.cmd(&["token", "ci2"])
        .stderr(
            "tether: error: the record of `ci2` in store `team` does not open: it was sealed for another connection or altered\n\
             hint: connect it again with `tether connect ci2`, which replaces the record\n",
        )
        .fails(1);
    pg.psql("UPDATE tether.records SET name = 'ci' WHERE name = 'ci2'");

    // Another key: a clear error, and nothing overwritten.
    let stranger = machine(
        &format!("{BEARER}{STORES}"),
        &pg.socket_url(),
        &postgres::new_key(),
    );
    let wrong_key = "tether: error: the key of store `team` is not the key its records are sealed with; nothing was written\n\
         hint: set `key` of `[stores.team]` to the store's key; during a rotation, give the old one as `previous_key`\n";
    stranger.cmd(&["token", "ci"]).stderr(wrong_key).fails(2);
    let before = pg.psql("SELECT encode(sealed, 'hex'), version FROM tether.records");
    stranger
        .cmd(&["connect", "ci", "--stdin"])
        .stdin("tok-overwrite\n")
        .stderr(wrong_key)
        .fails(2);
    assert_eq!(
        pg.psql("SELECT encode(sealed, 'hex'), version FROM tether.records"),
        before
    );
    env.cmd(&["token", "ci"]).stdout(format!("{token}\n")).ok();
}

#[test]
fn a_key_that_is_not_32_bytes_is_a_configuration_error() {
    let Some(pg) = Postgres::start() else { return };
    let env = machine(
        &format!("{BEARER}{STORES}"),
        &pg.socket_url(),
        "hunter2hunter2",
    );
    env.cmd(&["token", "ci"])
        .stderr(
            "tether: error: store `team` cannot be used: its `key` is neither 64 hex digits nor base64 of 32 bytes\n\
             hint: fix `[stores.team]` in the config: `url` takes a postgresql:// URL or key=value string, `key` 32 random bytes as hex or base64 (`openssl rand -hex 32`)\n",
        )
        .fails(2);
    let env = machine(
        &format!("{BEARER}{STORES}"),
        &format!("{}?sslmode=prefer", pg.tcp_url()),
        &postgres::new_key(),
    );
    let out = env.cmd(&["token", "ci"]).stderr("[..]\n[..]\n").fails(2);
    assert!(out.stderr.contains("`sslmode=prefer`"), "{}", out.stderr);
    assert!(!out.stderr.contains(postgres::PASSWORD), "{}", out.stderr);
}

#[test]
fn scram_over_loopback_tcp_and_store_init_check_and_rekey() {
    let Some(pg) = Postgres::start() else { return };
    let key = postgres::new_key();
    let env = machine(&format!("{BEARER}{STORES}"), &pg.tcp_url(), &key);
    let place = format!("127.0.0.1:{}/postgres", pg.port);

    // --print touches nothing.
    let ddl = env.cmd(&["store", "init", "team", "--print"]).ok().stdout;
    assert!(ddl.starts_with("-- tether store `team`: schema version 1\nBEGIN;\nCREATE SCHEMA IF NOT EXISTS tether;\n"), "{ddl}");
    assert!(ddl.ends_with("COMMIT;\n"));
    assert_eq!(
        pg.psql("SELECT count(*) FROM pg_namespace WHERE nspname = 'tether'"),
        "0"
    );
    // The printed DDL is what init runs.
    env.cmd(&["store", "init", "team"])
        .stderr(format!(
            "Store `team` (postgres {place}) is ready: schema `tether` at version 1, and its key checks out\n"
        ))
        .ok();
    assert_eq!(pg.psql("SELECT count(*) FROM tether.canary"), "1");

    env.cmd(&["connect", "ci", "--stdin"])
        .stdin("tok-scram\n")
        .stderr(connected_shared("ci", &place))
        .ok();
    let check = env.cmd(&["store", "check", "team", "--json"]).ok().json();
    assert_eq!(check["reachable"], true);
    assert_eq!(check["schema_version"], 1);
    assert_eq!(check["key"], "opens");
    assert_eq!(check["records"], 1);
    assert!(check["round_trip_ms"].as_f64().unwrap() > 0.0);

    // Rekey: every row and the canary under the new key, in one go.
    let new = postgres::new_key();
    env.cmd(&["store", "rekey", "team", "--new-key-env", "NEW_KEY"])
        .env("NEW_KEY", &new)
        .stderr("Re-encrypted 1 record of store `team` under the new key. Give every machine the new key as `key` and the old one as `previous_key`; drop `previous_key` once all have it.\n")
        .ok();
    env.cmd(&["token", "ci"])
        .stderr("tether: error: the key of store `team` is not the key its records are sealed with; nothing was written\n[..]\n")
        .fails(2);
    let rotated = format!("{BEARER}{STORES}previous_key = {{ env = \"OLD_KEY\" }}\n");
    env.write_config(&rotated);
    env.cmd(&["token", "ci"])
        .env("TETHER_STORE_KEY", &new)
        .env("OLD_KEY", &key)
        .stdout("tok-scram\n")
        .ok();
    let check = env
        .cmd(&["store", "check", "team", "--json"])
        .env("TETHER_STORE_KEY", &key)
        .env("OLD_KEY", &new)
        .ok()
        .json();
    assert_eq!(check["key"], "previous_key");
    // A bad new key changes nothing.
    env.cmd(&["store", "rekey", "team", "--new-key-env", "NEW_KEY"])
        .env("NEW_KEY", "short")
        .env("TETHER_STORE_KEY", &new)
        .env("OLD_KEY", &key)
        .stderr("tether: error: store `team` cannot be used: its `new key` is neither 64 hex digits nor base64 of 32 bytes\n[..]\n")
        .fails(2);
}

/// Accepts TCP connections and never answers, like a stopped server
/// whose kernel still completes the handshake.
fn silent_listener() -> (u16, std::thread::JoinHandle<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let thread = std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(4) {
            held.push(stream);
        }
        std::thread::sleep(Duration::from_secs(20));
    });
    (port, thread)
}

#[test]
fn a_hung_server_fails_within_the_timeout_and_local_stores_are_untouched() {
    let (port, _listener) = silent_listener();
    let config =
        format!("{BEARER}[connections.local]\nservice = \"api\"\n\n{STORES}timeout = \"1s\"\n");
    let env = machine(
        &config,
        &format!(
            "postgresql://tether:{}@127.0.0.1:{port}/x",
            postgres::PASSWORD
        ),
        &postgres::new_key(),
    );
    env.cmd(&["connect", "local", "--stdin"])
        .stdin("tok-local\n")
        .stderr(env.connected_static("local", "api"))
        .ok();
    let local = std::fs::read(env.record_path("local")).unwrap();
    let out = env
        .cmd(&["token", "ci"])
        .stderr(format!(
            "tether: error: store `team` (127.0.0.1:{port}/x) did not answer within 1s\n\
             hint: check that the database is up and reachable (`tether store check team`), then try again; tokens in local stores were not touched\n"
        ))
        .fails(6);
    assert!(out.elapsed < Duration::from_secs(3), "{:?}", out.elapsed);
    env.cmd(&["token", "local"]).stdout("tok-local\n").ok();
    assert_eq!(std::fs::read(env.record_path("local")).unwrap(), local);
    env.assert_never_printed(&[postgres::PASSWORD.to_string()]);
}

#[test]
fn a_restarted_or_stopped_database_fails_with_exit_6_and_loses_nothing() {
    let Some(pg) = Postgres::start() else { return };
    let config = format!("{BEARER}{STORES}timeout = \"2s\"\n");
    let env = machine(&config, &pg.tcp_url(), &postgres::new_key());
    let place = format!("127.0.0.1:{}/postgres", pg.port);
    env.cmd(&["connect", "ci", "--stdin"])
        .stdin("tok-restart\n")
        .stderr(connected_shared("ci", &place))
        .ok();

    // Invokes while the database restarts: each works or fails with 6.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let runner = {
        let (env, place) = (&env, &place);
        std::thread::scope(|scope| {
            let stopping = std::sync::Arc::clone(&stop);
            let handle = scope.spawn(move || {
                let stop = stopping;
                let mut outcomes = (0, 0);
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    let (status, out) = env.cmd(&["token", "ci"]).stderr("[..]").spawn().end();
                    match status.code() {
                        Some(0) => {
                            assert_eq!(out.stdout, "tok-restart\n");
                            outcomes.0 += 1;
                        }
                        Some(6) => {
                            assert!(
                                out.stderr.starts_with(&format!("tether: error: store `team` ({place}) "))
                                    && out.stderr.contains("\nhint: check that the database is up and reachable (`tether store check team`), then try again; tokens in local stores were not touched\n"),
                                "{}",
                                out.stderr
                            );
                            outcomes.1 += 1;
                        }
                        other => panic!("exit {other:?}: {}", out.stderr),
                    }
                }
                outcomes
            });
            std::thread::sleep(Duration::from_millis(300));
            pg.stop();
            std::thread::sleep(Duration::from_millis(800));
            pg.start_again();
            std::thread::sleep(Duration::from_millis(500));
            stop.store(true, std::sync::atomic::Ordering::SeqCst);
            handle.join().unwrap()
        })
    };
    let (worked, failed) = runner;
    eprintln!("during the restart: {worked} worked, {failed} failed with exit 6");
    assert!(worked > 0 && failed > 0, "{worked} worked, {failed} failed");
    env.cmd(&["token", "ci"]).stdout("tok-restart\n").ok();

    // A stopped server still completes the TCP handshake.
    let pid = pg.pid();
    let signal = |sig: &str| {
        std::process::Command::new("kill")
            .args([sig, &pid.to_string()])
            .status()
            .unwrap()
    };
    assert!(signal("-STOP").success());
    let out = env
        .cmd(&["token", "ci"])
        .stderr(format!(
            "tether: error: store `team` ({place}) did not answer within 2s\n[..]\n"
        ))
        .fails(6);
    assert!(signal("-CONT").success());
    assert!(out.elapsed < Duration::from_secs(4), "{:?}", out.elapsed);
    env.cmd(&["token", "ci"]).stdout("tok-restart\n").ok();
    assert_eq!(pg.psql("SELECT version FROM tether.records"), "1");
}

/// Machines in the fleet test, and processes on each.
const MACHINES: usize = 4;
const PER_MACHINE: usize = 16;
/// The access tokens' lifetime there: long enough that the refreshed one
/// is not due again before 64 processes on a busy machine are done.
const TTL: u64 = 12;

#[test]
fn four_machines_times_sixteen_processes_make_one_refresh() {
    let Some(pg) = Postgres::start() else { return };
    let server = Oidc::start_with(OidcOptions::default().access_token_ttl(TTL));
    let resource = server.resource_url("");
    let first = env_with_service(
        &server,
        &oidc::NATIVE,
        &["--base-url", resource.trim_end_matches('/')],
    );
    let key = postgres::new_key();
    let config = format!(
        "{}\n[connections.me]\nservice = \"oidc\"\nstore = \"team\"\n\n{STORES}",
        first.read_config()
    );
    let machines: Vec<Env> = (0..MACHINES)
        .map(|_| machine(&config, &pg.socket_url(), &key))
        .collect();
    connect(&machines[0], "me", BrowserMode::Approve, &[])
        .stderr(format!(
            "{}Connected `me` (oidc): expires [..], refreshable; tokens in store `team` (postgres {})\n\
             Try it: tether invoke me GET /\n",
            prompt(&server, oidc::NATIVE.id, "me"),
            socket_place(&pg)
        ))
        .ok();
    // Due once half of the token's lifetime has passed.
    std::thread::sleep(Duration::from_millis(TTL * 1000 / 2 + 500));
    let started = Instant::now();
    let running: Vec<_> = machines
        .iter()
        .flat_map(|env| {
            (0..PER_MACHINE).map(move |i| {
                let path = format!("/n/{i}");
                let answer = json!({
                    "method": "GET",
                    "path": path,
                    "query": {},
                    "client_id": oidc::NATIVE.id,
                    "sub": "alice",
                    "scope": "openid read",
                })
                .to_string();
                env.cmd(&["invoke", "me", "GET", &path])
                    .stdout(answer)
                    .spawn()
            })
        })
        .collect();
    let outputs: Vec<_> = running.into_iter().map(|run| run.ok()).collect();
    let successes = outputs.iter().filter(|out| out.code == 0).count();
    eprintln!(
        "{successes} invokes on {MACHINES} machines in {:?}",
        started.elapsed()
    );
    assert_eq!(successes, MACHINES * PER_MACHINE);
    assert_eq!(server.grants("refresh_token"), 1, "{}", server.log());
    assert!(!server.log().contains("invalid_grant"), "{}", server.log());
    assert_eq!(pg.psql("SELECT version FROM tether.records"), "2");
}

#[test]
fn connection_move_goes_file_to_postgres_to_keyring_free_file() {
    let Some(pg) = Postgres::start() else { return };
    let key = postgres::new_key();
    let config = format!(
        "[services.api]\nauth = \"bearer\"\nbase_url = \"https://api.example.com\"\n\n[connections.gh]\nservice = \"api\"\n\n{STORES}"
    );
    let env = machine(&config, &pg.socket_url(), &key);
    env.cmd(&["connect", "gh", "--stdin"])
        .stdin("tok-move\n")
        .stderr(env.connected_static("gh", "api"))
        .ok();
    let place = socket_place(&pg);
    env.cmd(&["connection", "move", "gh", "--to", "team"])
        .stderr(format!(
            "Moved the tokens of `gh` from file ({}) to store `team` (postgres {place})\n",
            env.tokens_dir().display()
        ))
        .ok();
    assert!(
        env.read_config()
            .contains("[connections.gh]\nservice = \"api\"\nstore = \"team\"\n")
    );
    assert!(env.record("gh").is_none(), "the source is gone");
    assert_eq!(pg.psql("SELECT name, version FROM tether.records"), "gh|1");
    env.cmd(&["token", "gh"]).stdout("tok-move\n").ok();

    // Export warns that a second copy of a shared grant is risky only
    // for a refreshable one: a bearer token has nothing to rotate.
    env.cmd(&["connection", "export", "gh"])
        .stdout("tether1.[..]\n")
        .stderr("That line holds the tokens of `gh`: keep it in a secret store, as `TETHER_CONNECTION_GH`.\n")
        .ok();

    env.cmd(&["connection", "move", "gh", "--to", "team"])
        .stderr(format!(
            "`gh` is already kept in store `team` (postgres {place})\n"
        ))
        .ok();
    env.cmd(&["connection", "move", "gh", "--to", "vault"])
        .stderr("tether: error: no store named `vault`\nhint: `[stores.NAME]` tables in the config define the shared stores\n")
        .fails(2);
    env.cmd(&["connection", "move", "gh", "--to", "file"])
        .stderr(format!(
            "Moved the tokens of `gh` from store `team` (postgres {place}) to file ({})\n",
            env.tokens_dir().display()
        ))
        .ok();
    assert_eq!(pg.psql("SELECT count(*) FROM tether.records"), "0");
    assert!(env.read_config().contains("store = \"file\""));
    env.cmd(&["token", "gh"]).stdout("tok-move\n").ok();
}

/// Rounds of the kill test.
const KILL_ROUNDS: u32 = 20;

/// The grant of a provider that rotates refresh tokens and, like
/// oidc-provider and many others, revokes the whole grant when a rotated
/// refresh token comes back.
#[derive(Default)]
struct RotatingGrant {
    round: u32,
    current: String,
    generation: u32,
    revoked: bool,
    refreshes: u32,
}

/// A request the test holds at the provider: the provider says when it
/// arrived, waits to be told whether to process it (rotating the grant)
/// or to drop it unprocessed, says when that is done, and answers only a
/// while later: the test kills the client in between.
type Hold = (
    std::sync::mpsc::Sender<()>,
    std::sync::mpsc::Receiver<bool>,
    std::sync::mpsc::Sender<()>,
);

/// How long a held request's answer waits after its outcome is decided.
const HELD_ANSWER: Duration = Duration::from_millis(1500);

fn rotating_provider(
    grant: std::sync::Arc<std::sync::Mutex<RotatingGrant>>,
    hold: std::sync::Arc<std::sync::Mutex<Option<Hold>>>,
) -> crate::util::server::TestServer {
    use crate::util::server::{Reply, TestServer};
    TestServer::start("rotating provider", move |request| {
        let form = crate::util::form_map(&request.body);
        assert_eq!(
            form.get("grant_type").map(String::as_str),
            Some("refresh_token")
        );
        let presented = form.get("refresh_token").cloned().unwrap_or_default();
        let held = hold.lock().unwrap().take();
        let mut done = None;
        if let Some((arrived, decide, decided)) = held {
            arrived.send(()).unwrap();
            if !decide.recv().unwrap() {
                decided.send(()).unwrap();
                std::thread::sleep(HELD_ANSWER);
                return Reply::json(503, &json!({"error": "temporarily_unavailable"}));
            }
            done = Some(decided);
        }
        let reply = rotate(&mut grant.lock().unwrap(), &presented);
        if let Some(decided) = done {
            decided.send(()).unwrap();
            std::thread::sleep(HELD_ANSWER);
        }
        reply
    })
}

/// The provider's answer to a refresh that presents `presented`.
fn rotate(grant: &mut RotatingGrant, presented: &str) -> crate::util::server::Reply {
    use crate::util::server::Reply;
    let refused = || Reply::json(400, &json!({"error": "invalid_grant"}));
    if grant.revoked {
        return refused();
    }
    if presented != grant.current {
        // A rotated refresh token came back: the grant is revoked.
        grant.revoked = true;
        return refused();
    }
    grant.generation += 1;
    grant.refreshes += 1;
    grant.current = format!("r{}-{}", grant.round, grant.generation);
    Reply::json(
        200,
        &json!({
            "access_token": format!("a{}-{}", grant.round, grant.generation),
            "refresh_token": grant.current,
            "token_type": "Bearer",
            "expires_in": 3600,
        }),
    )
}

/// What `connection export` prints for an expired record of service
/// `rot` holding `refresh_token`.
fn expired_blob(refresh_token: &str) -> String {
    use base64::Engine;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let record = json!({
        "service": "rot",
        "auth": "oauth2",
        "access_token": "a-expired",
        "refresh_token": refresh_token,
        "token_type": "Bearer",
        "expires_at": now - 10,
        "obtained_at": now - 3610,
    });
    let body = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(record.to_string());
    format!("tether1.{body}\n")
}

#[test]
fn kill_9_of_the_row_lock_holder_mid_refresh_never_tears_the_record() {
    use std::sync::{Arc, Mutex, mpsc};
    let Some(pg) = Postgres::start() else { return };
    let grant = Arc::new(Mutex::new(RotatingGrant::default()));
    let hold = Arc::new(Mutex::new(None));
    let provider = rotating_provider(Arc::clone(&grant), Arc::clone(&hold));
    let token_url = format!("http://127.0.0.1:{}/token", provider.port);
    let config = format!(
        "[services.rot]\nauth = \"oauth2\"\nclient_id = \"fleet\"\nauthorize_url = \"http://127.0.0.1:{}/authorize\"\ntoken_url = \"{token_url}\"\n\n[connections.me]\nservice = \"rot\"\nstore = \"team\"\n\n{STORES}",
        provider.port
    );
    let env = machine(&config, &pg.socket_url(), &postgres::new_key());
    let version = || -> u64 {
        pg.psql("SELECT version FROM tether.records")
            .parse()
            .unwrap()
    };
    let mut lost = 0;
    let mut last_version = 0;
    for round in 0..KILL_ROUNDS {
        {
            let mut grant = grant.lock().unwrap();
            *grant = RotatingGrant {
                round,
                current: format!("r{round}-0"),
                refreshes: grant.refreshes,
                ..RotatingGrant::default()
            };
        }
        env.cmd(&["connection", "import", "me"])
            .stdin(expired_blob(&format!("r{round}-0")))
            .stderr(format!(
                "Imported `me` (rot) into store `team` (postgres {})\n",
                socket_place(&pg)
            ))
            .ok();
        let imported = version();
        assert!(
            imported > last_version,
            "round {round}: {imported} after {last_version}"
        );

        // The first process takes the row and sends its refresh, which the
        // provider holds; three more wait for the row.
        let (arrived, on_arrival) = mpsc::channel();
        let (decide, decision) = mpsc::channel();
        let (decided, on_decided) = mpsc::channel();
        *hold.lock().unwrap() = Some((arrived, decision, decided));
        let holder = env.cmd(&["token", "me"]).stderr("[..]").spawn();
        on_arrival
            .recv_timeout(Duration::from_secs(30))
            .expect("the refresh reaches the provider");
        let waiters: Vec<_> = (0..3)
            .map(|_| env.cmd(&["token", "me"]).stderr("[..]").spawn())
            .collect();
        std::thread::sleep(Duration::from_millis(300));
        // Even rounds: the refresh has reached the provider, which rotates
        // the grant before the kill. Odd rounds: it is dropped unprocessed.
        let processed = round % 2 == 0;
        decide.send(processed).unwrap();
        on_decided.recv().unwrap();
        let status = std::process::Command::new("kill")
            .args(["-9", &holder.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let (killed, _) = holder.end();
        assert_eq!(
            std::os::unix::process::ExitStatusExt::signal(&killed),
            Some(9)
        );

        let outcomes: Vec<_> = waiters.into_iter().map(|w| w.end()).collect();
        let status = env.cmd(&["status", "--json"]).ok().json()[0]["status"].clone();
        if processed {
            for (status, out) in &outcomes {
                assert_eq!(status.code(), Some(7), "round {round}: {}", out.stderr);
                assert!(
                    out.stderr
                        .starts_with("tether: error: connection `me` needs authorization"),
                    "round {round}: {}",
                    out.stderr
                );
            }
            assert_eq!(status, "needs authorization", "round {round}");
            lost += 1;
        } else {
            let fresh = format!("a{round}-1\n");
            for (status, out) in &outcomes {
                assert_eq!(status.code(), Some(0), "round {round}: {}", out.stderr);
                assert_eq!(out.stdout, fresh, "round {round}");
            }
            assert_eq!(status, "connected", "round {round}");
            env.cmd(&["token", "me"]).stdout(fresh).ok();
        }
        // One write after the import: the refresh or the mark.
        last_version = version();
        assert_eq!(last_version, imported + 1, "round {round}");
    }
    eprintln!(
        "lost rounds: {lost} of {KILL_ROUNDS} (the killed refresh had rotated the grant); {} refreshes made it",
        grant.lock().unwrap().refreshes
    );
    assert_eq!(lost, KILL_ROUNDS / 2);
}

#[test]
fn status_names_the_shared_store_and_doctor_checks_it() {
    let Some(pg) = Postgres::start() else { return };
    let key = postgres::new_key();
    let env = machine(&format!("{BEARER}{STORES}"), &pg.socket_url(), &key);
    env.cmd(&["connect", "ci", "--stdin"])
        .stdin("tok-Status-1\n")
        .stderr(connected_shared("ci", &socket_place(&pg)))
        .ok();
    let status = env.cmd(&["status", "--json"]).ok().json();
    assert_eq!(status[0]["store"], "team");
    let show = env.cmd(&["connection", "show", "ci"]).ok().stdout;
    assert!(
        show.contains(&format!(
            "store     store `team` (postgres {})",
            socket_place(&pg)
        )),
        "{show}"
    );
    let store_check = |env: &Env, code: i32| {
        let run = env.cmd(&["doctor", "--json"]).stderr("[..]");
        let out = if code == 0 { run.ok() } else { run.fails(code) };
        let checks = out.json();
        checks
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "store team")
            .cloned()
            .expect("a check of store team")
    };
    let healthy = store_check(&env, 0);
    assert_eq!(healthy["ok"], true, "{healthy}");
    let detail = healthy["detail"].as_str().unwrap();
    assert!(detail.starts_with(&socket_place(&pg)), "{detail}");
    assert!(detail.contains("schema version 1"), "{detail}");
    assert!(detail.ends_with("key opens the canary"), "{detail}");
    // Another key fails the check, and says which key to set.
    let stranger = machine(
        &format!("{BEARER}{STORES}"),
        &pg.socket_url(),
        &postgres::new_key(),
    );
    let wrong = store_check(&stranger, 1);
    assert_eq!(wrong["ok"], false);
    assert!(
        wrong["detail"]
            .as_str()
            .unwrap()
            .ends_with("its key does not open the canary"),
        "{wrong}"
    );
    // A database that does not answer fails it within the store's timeout.
    let hung = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = hung.local_addr().unwrap().port();
    let unreachable = machine(
        &format!("{BEARER}{STORES}timeout = \"1s\"\n"),
        &format!("postgresql://tether@127.0.0.1:{port}/postgres"),
        &key,
    );
    let started = Instant::now();
    let down = store_check(&unreachable, 1);
    assert!(started.elapsed() < Duration::from_secs(4));
    assert_eq!(down["ok"], false);
    assert!(
        down["hint"]
            .as_str()
            .unwrap()
            .contains("tether store check team"),
        "{down}"
    );
}

#[test]
fn verify_full_speaks_tls_and_trusts_only_its_root_certificate() {
    let Some(pg) = Postgres::start() else { return };
    let ca = crate::util::tls::TestCa::new();
    pg.require_tls(&ca.cert_pem, &ca.key_pem);
    let key = postgres::new_key();
    let url = |root: &std::path::Path| {
        format!(
            "{}?sslmode=verify-full&sslrootcert={}",
            pg.tcp_url(),
            root.display()
        )
    };
    let env = machine(&format!("{BEARER}{STORES}"), &url(&ca.ca_pem), &key);
    env.cmd(&["connect", "ci", "--stdin"])
        .stdin("tok-Tls-9c2e\n")
        .stderr("Connected `ci` (api): never expires, static credential; tokens in store `team` (postgres 127.0.0.1:[..]/postgres)\n[..]\n")
        .ok();
    env.cmd(&["token", "ci"]).stdout("tok-Tls-9c2e\n").ok();
    // The server takes no TCP session without TLS: the one above had it.
    let plain = machine(
        &format!("{BEARER}{STORES}"),
        &format!("{}?sslmode=disable", pg.tcp_url()),
        &key,
    );
    let refused = plain.cmd(&["token", "ci"]).stderr("[..]\n[..]\n").fails(1);
    assert!(
        refused.stderr.contains("store `team`"),
        "{}",
        refused.stderr
    );
    // A server whose certificate another CA signed is not trusted.
    let other = crate::util::tls::TestCa::new();
    let stranger = machine(&format!("{BEARER}{STORES}"), &url(&other.ca_pem), &key);
    let untrusted = stranger
        .cmd(&["token", "ci"])
        .stderr("[..]\n[..]\n")
        .fails(6);
    assert!(
        untrusted
            .stderr
            .contains("error performing TLS handshake: invalid peer certificate"),
        "{}",
        untrusted.stderr
    );
    assert!(!untrusted.stderr.contains(postgres::PASSWORD));
}

#[test]
fn connect_store_puts_a_new_connection_in_a_shared_store() {
    let Some(pg) = Postgres::start() else { return };
    let key = postgres::new_key();
    let services = "[services.api]\nauth = \"bearer\"\nbase_url = \"https://api.example.com\"\n\n";
    let env = machine(&format!("{services}{STORES}"), &pg.socket_url(), &key);
    env.cmd(&[
        "connect",
        "team-ci",
        "--service",
        "api",
        "--store",
        "team",
        "--stdin",
    ])
    .stdin("tok-Chosen-77\n")
    .stderr(connected_shared("team-ci", &socket_place(&pg)))
    .ok();
    assert!(
        env.read_config()
            .contains("[connections.team-ci]\nservice = \"api\"\nstore = \"team\"\n"),
        "{}",
        env.read_config()
    );
    assert_eq!(pg.psql("SELECT name FROM tether.records"), "team-ci");
    assert!(!env.tokens_dir().exists(), "nothing in the file store");
    // Another machine with the same config reads it from the database.
    let other = machine(&env.read_config(), &pg.socket_url(), &key);
    other
        .cmd(&["token", "team-ci"])
        .stdout("tok-Chosen-77\n")
        .ok();
    // Its tokens are not moved by a connect: that is `connection move`.
    env.cmd(&["connect", "team-ci", "--store", "file", "--stdin"])
        .stdin("tok-Other\n")
        .stderr(
            "tether: error: connection `team-ci` keeps its tokens in `team`, not `file`\n\
             hint: move them first: `tether connection move team-ci --to file`\n",
        )
        .fails(2);
    env.cmd(&["connect", "x", "--service", "api", "--store", "nowhere", "--stdin"])
        .stdin("tok\n")
        .stderr(
            "tether: error: no store named `nowhere`: not `auto`, `keyring`, `file` nor a `[stores.NAME]` table\n\
             hint: define it as `[stores.nowhere]`, with `kind`, `url` and `key`\n",
        )
        .fails(2);
    other
        .cmd(&["token", "team-ci"])
        .stdout("tok-Chosen-77\n")
        .ok();
}
