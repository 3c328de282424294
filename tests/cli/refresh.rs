//! Refresh through `invoke` and `token` against the real authorization
//! server: due tokens are refreshed once, even by 16 processes at a time;
//! a process that finds the connection's lock held waits for it; a rotated
//! refresh token is the one stored; a 401 gets one refresh and one retry;
//! a refused refresh asks for the user (exit 7); a failed one keeps the old
//! tokens.
//!
//! The tests do not wait for tokens to get due: they age the stored
//! record by the token's lifetime ([`Env::age_record`]), which is what
//! tether sees after that much time.

use std::fs::File;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::connect::{approve, env_with_service};
use crate::util::Env;
use crate::util::oidc::{self, Oidc, OidcOptions};

/// Lifetime of access tokens in these tests. tether refreshes a token
/// this short-lived once half of its life has passed.
const TTL: u64 = 4;

fn connected(server: &Oidc) -> Env {
    let resource = server.resource_url("");
    let env = env_with_service(
        server,
        &oidc::NATIVE,
        &["--base-url", resource.trim_end_matches('/')],
    );
    approve(server, &env, "me");
    env
}

fn stored(env: &Env, field: &str) -> String {
    env.record("me").unwrap()[field]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// What the test server's resource answers to `path` for alice's token.
fn resource_answer(path: &str, query: &serde_json::Value) -> String {
    json!({
        "method": "GET",
        "path": path,
        "query": query,
        "client_id": oidc::NATIVE.id,
        "sub": "alice",
        "scope": "openid read",
    })
    .to_string()
}

#[test]
fn a_due_token_is_refreshed_and_the_rotated_refresh_token_is_stored() {
    let server = Oidc::start_with(OidcOptions::default().access_token_ttl(TTL));
    let env = connected(&server);
    let first_refresh = stored(&env, "refresh_token");

    // Fresh: no refresh.
    env.cmd(&["invoke", "me", "GET", "/hello", "x==1"])
        .stdout(resource_answer("/hello", &json!({ "x": "1" })))
        .ok();
    assert_eq!(server.grants("refresh_token"), 0);

    env.age_record("me", TTL);
    env.cmd(&["invoke", "me", "GET", "/again"])
        .stdout(resource_answer("/again", &json!({})))
        .ok();
    assert_eq!(server.grants("refresh_token"), 1);
    // The provider rotated the refresh token; the newest tokens are stored.
    let rotated = stored(&env, "refresh_token");
    let issued = server.issued_tokens();
    assert_eq!(issued.len(), 4, "{issued:?}");
    assert_eq!(issued[1], first_refresh);
    assert_eq!(issued[2..], [stored(&env, "access_token"), rotated.clone()]);
    assert_eq!(server.introspect(&rotated)["active"], true);
    assert_eq!(server.introspect(&first_refresh)["active"], false);

    // `token` prints the stored, valid access token and nothing else.
    let access = stored(&env, "access_token");
    env.cmd(&["token", "me"]).stdout(format!("{access}\n")).ok();
    let json = env.cmd(&["token", "me", "--json"]).ok().json();
    let record = env.record("me").unwrap();
    assert_eq!(
        json,
        json!({
            "access_token": access,
            "token_type": "Bearer",
            "expires_at": record["expires_at"],
            "expires": json["expires"],
            "scopes": ["openid", "read"],
        })
    );
    assert!(
        crate::util::line_matches(
            "[..]-[..]-[..]T[..]:[..]:[..]Z",
            json["expires"].as_str().unwrap()
        ),
        "{json}"
    );
    env.cmd(&["token", "me", "--header"])
        .stdout(format!("Authorization: Bearer {access}\n"))
        .ok();
}

#[test]
fn sixteen_processes_after_expiry_make_one_refresh() {
    let server = Oidc::start_with(OidcOptions::default().access_token_ttl(TTL));
    let env = connected(&server);
    env.age_record("me", TTL);
    let running: Vec<_> = (0..16)
        .map(|i| {
            let path = format!("/n/{i}");
            env.cmd(&["invoke", "me", "GET", &path])
                .stdout(resource_answer(&path, &json!({})))
                .spawn()
        })
        .collect();
    for run in running {
        run.ok();
    }
    assert_eq!(
        server.grants("refresh_token"),
        1,
        "one refresh between them"
    );
    assert_eq!(server.stats()["resource"]["ok"], 16);
    assert_eq!(server.stats()["grant_errors"], json!({}));
}

/// Whether process `pid` has `path` open (Linux: its `/proc` fd links).
#[cfg(target_os = "linux")]
fn has_open(pid: u32, path: &std::path::Path) -> bool {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return false;
    };
    fds.flatten()
        .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|target| target == path))
}

#[cfg(target_os = "linux")]
#[test]
fn a_process_that_finds_the_lock_held_waits_for_it() {
    let server = Oidc::start_with(OidcOptions::default().access_token_ttl(TTL));
    let env = connected(&server);
    env.age_record("me", TTL);

    // Another holder: this test, on the lock file tether uses.
    std::fs::create_dir_all(env.locks_dir()).unwrap();
    let path = env.locks_dir().join("me.lock");
    let lock = File::create(&path).unwrap();
    lock.lock().unwrap();

    let mut waiting = env.cmd(&["token", "me"]).spawn();
    // tether is a process of its own: poll until it has the lock file open.
    let deadline = Instant::now() + Duration::from_secs(30);
    while !has_open(waiting.id(), &path) {
        assert!(waiting.is_running(), "tether ended without waiting");
        assert!(Instant::now() < deadline, "tether never opened {path:?}");
        std::thread::sleep(Duration::from_millis(10));
    }
    // It tries the lock every 25 ms; many tries later it still waits, and
    // has asked the server for nothing.
    std::thread::sleep(Duration::from_millis(500));
    assert!(waiting.is_running(), "tether went on without the lock");
    assert_eq!(server.grants("refresh_token"), 0);

    // Released: it takes the lock, refreshes once and prints the token.
    lock.unlock().unwrap();
    let out = waiting.ok();
    assert_eq!(server.grants("refresh_token"), 1);
    assert_eq!(out.stdout, format!("{}\n", stored(&env, "access_token")));
}

#[test]
fn a_401_triggers_exactly_one_refresh_and_one_retry() {
    let server = Oidc::start();
    let env = connected(&server);
    // The server forgets the access token early: the API answers 401.
    server.expire("access");
    let url = server.resource_url("/after-401");
    let head = |status: &str| {
        format!(
            "HTTP/1.1 {status}\n\
             content-type: application/json\n\
             {}date: [..]\n\
             connection: keep-alive\n\
             keep-alive: timeout=5\n\
             transfer-encoding: chunked\n",
            if status.starts_with("401") {
                "www-authenticate: Bearer error=\"invalid_token\"\n"
            } else {
                ""
            }
        )
    };
    env.cmd(&["invoke", "me", "GET", "/after-401", "-v"])
        .stdout(resource_answer("/after-401", &json!({})))
        .stderr(format!(
            "GET {url} HTTP/1.1\n\
             Authorization: Bearer (redacted)\n\
             \n\
             {}\
             \n\
             tether: HTTP 401: the token was refreshed; sending again\n\
             \n\
             GET {url} HTTP/1.1\n\
             Authorization: Bearer (redacted)\n\
             \n\
             {}\
             \n",
            head("401 Unauthorized"),
            head("200 OK")
        ))
        .ok();
    assert_eq!(server.grants("refresh_token"), 1);
    let resource = &server.stats()["resource"];
    assert_eq!(
        (resource["rejected"].as_u64(), resource["ok"].as_u64()),
        (Some(1), Some(1))
    );
    env.assert_never_printed(&server.secrets());
}

#[test]
fn a_refused_refresh_exits_7_and_marks_the_connection() {
    let server = Oidc::start();
    let env = connected(&server);
    server.expire("all");
    env.cmd(&["invoke", "me", "GET", "/x"])
        .stderr(
            "tether: error: connection `me` needs authorization again: the provider refused: invalid_grant (grant request is invalid)\n\
             hint: run `tether connect me`\n",
        )
        .fails(7);
    let status = env.cmd(&["status", "--json"]).ok().json();
    assert_eq!(status[0]["status"], "needs authorization");
    // And `token` says the same without asking the server again.
    let grants = server.stats()["grant_errors"].clone();
    env.cmd(&["token", "me"])
        .stderr(
            "tether: error: connection `me` needs authorization: the provider refused the last refresh\n\
             hint: run `tether connect me`\n",
        )
        .fails(7);
    assert_eq!(server.stats()["grant_errors"], grants);
}

#[test]
fn a_failed_refresh_keeps_the_old_tokens() {
    let server = Oidc::start_with(OidcOptions::default().access_token_ttl(TTL));
    let env = connected(&server);
    drop(server);
    env.age_record("me", TTL);
    let before = std::fs::read(env.tokens_dir().join("me.json")).unwrap();
    env.cmd(&["token", "me"])
        .stderr(
            "tether: error: the token refresh failed: could not connect: client error (Connect): tcp connect error: Connection refused (os error [..])\n\
             hint: check the network and the URL, then try again\n",
        )
        .fails(6);
    assert_eq!(
        std::fs::read(env.tokens_dir().join("me.json")).unwrap(),
        before
    );
}

#[test]
fn not_connected_is_exit_7() {
    let env = Env::new();
    env.write_config("[services.s]\nauth = \"bearer\"\nbase_url = \"https://api.example.com\"\n\n[connections.c]\nservice = \"s\"\n");
    let not_connected =
        "tether: error: connection `c` is not connected\nhint: run `tether connect c`\n";
    env.cmd(&["invoke", "c", "GET", "/x"])
        .stderr(not_connected)
        .fails(7);
    env.cmd(&["token", "c"]).stderr(not_connected).fails(7);
    env.cmd(&["invoke", "cc", "GET", "/x"])
        .stderr("tether: error: no connection named `cc`\nhint: did you mean `c`?\n")
        .fails(2);
}
