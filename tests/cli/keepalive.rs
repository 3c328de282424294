//! `tether keepalive` against the real authorization server: it refreshes
//! exactly the connections whose refresh token lapses within `--within`
//! (counted at the server), reports a lapse no refresh moves, exits 7 and
//! tells `on_needs_authorization` once when one needs the user, and never
//! falls back from the keyring to the file store.

use std::path::Path;

use serde_json::Value;

use crate::connect::{approve, env_with_service, prompt};
use crate::status_forecast::{add_service, connect_to, server};
use crate::util::Env;
use crate::util::keyring::SecretService;
use crate::util::oidc::{self, BrowserMode, Oidc};

const DAY: u64 = 86_400;

/// The lines the hook was given, one JSON object each.
fn told(file: &Path) -> Vec<Value> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// Puts a top-level `on_needs_authorization` that appends its stdin to
/// `file` in front of the config.
fn hook(env: &Env, file: &Path) {
    let config = format!(
        "on_needs_authorization = [\"sh\", \"-c\", \"cat >> '{}'\"]\n\n{}",
        file.display(),
        env.read_config()
    );
    env.write_config(&config);
}

/// `said` (the provider says 10 days) and `policy` (idle 3 days).
fn two_connections(server: &Oidc) -> Env {
    let env = env_with_service(server, &oidc::NATIVE, &[]);
    approve(server, &env, "said");
    add_service(&env, server, "idle", &["--refresh-token-idle", "3d"]);
    connect_to(&env, "policy", "idle");
    env
}

fn used_at(env: &Env, name: &str) -> Value {
    env.record(name).unwrap()["refresh_token_used_at"].clone()
}

#[test]
fn keepalive_refreshes_exactly_the_connections_inside_the_window() {
    let server = server();
    let env = two_connections(&server);

    env.cmd(&["keepalive", "--within", "5d", "--dry-run"])
        .stdout(
            "NAME    DONE           DETAIL\n\
             policy  would refresh  refresh token lapses in [..]d unless used\n\
             said    alive          access token expires in [..]; refresh token lapses in [..]d unless used\n",
        )
        .ok();
    assert_eq!(
        server.grants("refresh_token"),
        0,
        "a dry run refreshes nothing"
    );

    env.cmd(&["keepalive", "--within", "5d"])
        .stdout(
            "NAME    DONE       DETAIL\n\
             policy  refreshed  refresh token lapses in [..]d unless used; now access token expires in [..]; refresh token lapses in 3d unless used\n\
             said    alive      access token expires in [..]; refresh token lapses in [..]d unless used\n",
        )
        .ok();
    assert_eq!(server.grants("refresh_token"), 1);
    assert!(used_at(&env, "policy").is_u64());
    assert_eq!(used_at(&env, "said"), Value::Null);

    // Named connections only; a wider window takes the provider's 10 days in.
    let out = env
        .cmd(&["keepalive", "said", "--within", "11d", "--json"])
        .ok();
    assert_eq!(out.json()[0]["name"], "said", "{}", out.stdout);
    assert_eq!(out.json()[0]["done"], "refreshed");
    assert_eq!(server.grants("refresh_token"), 2);
    assert!(used_at(&env, "said").is_u64());

    // An access token that is due is refreshed whatever the window.
    env.age_record("said", 3_600);
    let out = env.cmd(&["keepalive", "--within", "1h", "--json"]).ok();
    let done: Vec<(String, String)> = out
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["name"].as_str().unwrap().into(),
                o["done"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        done,
        [
            ("policy".to_string(), "alive".to_string()),
            ("said".to_string(), "refreshed".to_string())
        ]
    );
    assert_eq!(server.grants("refresh_token"), 3);
    env.assert_never_printed(&server.secrets());
}

#[test]
fn a_lapsed_connection_exits_7_and_runs_the_hook_once() {
    let server = server();
    let env = two_connections(&server);
    let file = env.root().join("told.ndjson");
    hook(&env, &file);
    // The provider forgets `said`'s refresh token before its time.
    server.expire("refresh");
    // `policy`'s was refused too; only `said` is inside the window.
    env.cmd(&["keepalive", "said", "--within", "11d"])
        .stdout("NAME  DONE       DETAIL\nsaid  needs you  connection `said` needs authorization again: the provider refused: invalid_grant[..]\n")
        .stderr("tether: `said` needs you: connection `said` needs authorization again: the provider refused: invalid_grant[..] — run `tether connect said`\n")
        .fails(7);
    let lines = told(&file);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["event"], "needs_authorization");
    assert_eq!(lines[0]["connection"], "said");
    assert_eq!(lines[0]["service"], "oidc");
    assert_eq!(lines[0]["run"], "tether connect said");
    assert!(lines[0]["reason"].as_str().unwrap().starts_with(
        "connection `said` needs authorization again: the provider refused: invalid_grant"
    ));

    // Once: the next run still exits 7, the hook is not told again.
    env.cmd(&["keepalive", "said"])
        .stdout("NAME  DONE       DETAIL\nsaid  needs you  connection `said` needs authorization: the provider refused the last refresh\n")
        .stderr("tether: `said` needs you: connection `said` needs authorization: the provider refused the last refresh — run `tether connect said`\n")
        .fails(7);
    assert_eq!(told(&file).len(), 1);
    assert_eq!(server.grants("refresh_token"), 0);
    env.assert_never_printed(&server.secrets());
    let all = std::fs::read_to_string(&file).unwrap();
    for secret in server.secrets().iter().filter(|s| s.len() >= 8) {
        assert!(
            !all.contains(secret.as_str()),
            "the hook was given a secret"
        );
    }
}

#[test]
fn an_absolute_lapse_is_reported_not_refreshed_and_told_once() {
    let server = server();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    add_service(
        &env,
        &server,
        "testing",
        &["--refresh-token-lifetime", "7d"],
    );
    connect_to(&env, "weekly", "testing");
    let file = env.root().join("told.ndjson");
    hook(&env, &file);
    env.cmd(&["keepalive"])
        .stdout("NAME    DONE       DETAIL\nweekly  needs you  `weekly` refresh token lapses in [..]d (absolute): no refresh extends it; connect again before then\n")
        .stderr("tether: `weekly` needs you: `weekly` refresh token lapses in [..]d (absolute): no refresh extends it; connect again before then — run `tether connect weekly`\n")
        .fails(7);
    assert_eq!(server.grants("refresh_token"), 0);
    let lines = told(&file);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["event"], "lapsing");
    assert_eq!(
        lines[0]["refresh_expires_at"],
        env.record("weekly").unwrap()["authorized_at"]
            .as_u64()
            .unwrap()
            + 7 * DAY
    );
    env.cmd(&["keepalive"])
        .stdout("[..]\n[..]\n")
        .stderr("[..]\n")
        .fails(7);
    assert_eq!(told(&file).len(), 1, "told once");
    // Outside the window: alive.
    env.cmd(&["keepalive", "--within", "1d"])
        .stdout("NAME    DONE   DETAIL\nweekly  alive  access token expires in [..]; refresh token lapses in [..]d (absolute)\n")
        .ok();
}

#[test]
fn keepalive_prints_units_for_timers_and_installs_nothing() {
    let env = Env::new();
    let out = env.cmd(&["keepalive", "--print-systemd"]).ok();
    let exe = env!("CARGO_BIN_EXE_tether");
    let config = env.config_path();
    assert!(
        out.stdout.contains(&format!(
            "\nExecStart={exe} --config {} keepalive\n",
            config.display()
        )),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("\nOnCalendar=daily\n"));
    assert!(out.stdout.contains("\nWantedBy=timers.target\n"));
    let out = env.cmd(&["keepalive", "--print-launchd"]).ok();
    assert!(out.stdout.contains(&format!("<string>{exe}</string>")));
    assert!(out.stdout.contains("<string>keepalive</string>"));
    assert!(!env.root().join(".config/systemd").exists());
}

#[test]
fn keepalive_never_falls_back_from_the_keyring_to_files() {
    let server = server();
    let mut env = two_connections(&server);
    let file = env.root().join("told.ndjson");
    hook(&env, &file);
    // With the default `auto` store and no session bus: refuse, refresh
    // nothing, tell nobody — even though the tokens are in files.
    let out = env
        .cmd(&["keepalive", "--within", "30d"])
        .env_remove("TETHER_STORE")
        .stderr(format!(
            "tether: error: the Secret Service does not answer ({}): keepalive refreshes nothing rather than fall back to the file store\n\
             hint: run it where the session bus is (a systemd user timer, a desktop session), or set `store = \"file\"` if the tokens live in files\n",
            "zbus error: Failed to connect to address `unix:path=/nonexistent/tether-test-bus`: No such file or directory (os error 2)"
        ))
        .fails(1);
    assert!(out.elapsed < std::time::Duration::from_secs(5));
    assert_eq!(server.grants("refresh_token"), 0);
    assert!(!file.exists(), "no hook was run");
    // `store = "file"` says the files are the store.
    env.cmd(&["keepalive", "--within", "30d"])
        .stdout("[..]\n[..]\n[..]\n")
        .ok();
    assert_eq!(server.grants("refresh_token"), 2);

    let Some(keyring) = SecretService::start_or_skip() else {
        return;
    };
    env.set("DBUS_SESSION_BUS_ADDRESS", &keyring.bus_address);
    env.set("TETHER_STORE", "");
    crate::connect::connect(&env, "kept", BrowserMode::Approve, &[])
        .stderr(
            prompt(&server, oidc::NATIVE.id, "kept")
                + "Connected `kept` (oidc): expires in 1h, refreshable; tokens in keyring (Secret Service)\n\
                   Try it: tether invoke kept GET /\n",
        )
        .ok();
    assert!(env.record("kept").is_none(), "in the keyring, not in files");
    env.cmd(&["keepalive", "kept", "--within", "30d"])
        .stdout("NAME  DONE       DETAIL\nkept  refreshed  refresh token lapses in [..]d unless used; now access token expires in [..]; refresh token lapses in [..]d unless used\n")
        .ok();
    assert_eq!(server.grants("refresh_token"), 3);
    assert!(env.record("kept").is_none());

    // A Secret Service that never answers: the same refusal, in bounded time.
    keyring.freeze();
    let out = env
        .cmd(&["keepalive", "kept", "--within", "30d"])
        .stderr("tether: error: the Secret Service does not answer ([..]): keepalive refreshes nothing rather than fall back to the file store\nhint: [..]\n")
        .fails(1);
    keyring.thaw();
    assert!(
        out.elapsed < std::time::Duration::from_secs(10),
        "{:?}",
        out.elapsed
    );
    assert_eq!(server.grants("refresh_token"), 3);
    assert!(!file.exists());
}
