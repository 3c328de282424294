//! Refresh through `invoke` and `token` against the real authorization
//! server: due tokens are refreshed once, even by 16 processes at a time;
//! a rotated refresh token is the one stored; a 401 gets one refresh and
//! one retry; a refused refresh asks for the user (exit 7); a failed one
//! keeps the old tokens.

use std::time::Duration;

use crate::connect::{connect, env_with_service};
use crate::util::Env;
use crate::util::oidc::{self, BrowserMode, Oidc, OidcOptions};

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
    let out = connect(&env, "me", BrowserMode::Approve, &[]);
    assert_eq!(out.code, 0, "{out}");
    env
}

fn stored(env: &Env, field: &str) -> String {
    let text = std::fs::read_to_string(env.tokens_dir().join("me.json")).unwrap();
    let record: serde_json::Value = serde_json::from_str(&text).unwrap();
    record[field].as_str().unwrap_or_default().to_string()
}

fn wait_until_due() {
    std::thread::sleep(Duration::from_secs(TTL / 2 + 1));
}

#[test]
fn a_due_token_is_refreshed_and_the_rotated_refresh_token_is_stored() {
    let server = Oidc::start_with(OidcOptions::default().access_token_ttl(TTL));
    let env = connected(&server);
    let first_refresh = stored(&env, "refresh_token");

    // Fresh: no refresh.
    let out = env.cmd(&["invoke", "me", "GET", "/hello", "x==1"]).ok();
    let body: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(body["path"], "/hello");
    assert_eq!(body["query"]["x"], "1");
    assert_eq!(server.grants("refresh_token"), 0);

    wait_until_due();
    env.cmd(&["invoke", "me", "GET", "/again"]).ok();
    assert_eq!(server.grants("refresh_token"), 1);
    let rotated = stored(&env, "refresh_token");
    assert_ne!(rotated, first_refresh, "the provider rotated it");
    assert_eq!(
        server.issued_tokens().last(),
        Some(&rotated),
        "the newest one is stored"
    );
    assert_eq!(server.introspect(&rotated)["active"], true);

    // `token` prints the stored, valid access token and nothing else.
    let out = env.cmd(&["token", "me"]).ok();
    assert_eq!(out.stdout.trim(), stored(&env, "access_token"));
    assert!(out.stderr.is_empty(), "{out}");
    let json = env.cmd(&["token", "me", "--json"]).ok().json();
    assert_eq!(
        json["token_type"].as_str().unwrap().to_ascii_lowercase(),
        "bearer"
    );
    assert!(json["expires_at"].as_u64().is_some());
    let header = env.cmd(&["token", "me", "--header"]).ok();
    assert_eq!(
        header.stdout,
        format!("Authorization: Bearer {}", out.stdout)
    );
}

#[test]
fn sixteen_processes_after_expiry_make_one_refresh() {
    let server = Oidc::start_with(OidcOptions::default().access_token_ttl(TTL));
    let env = connected(&server);
    wait_until_due();
    let children: Vec<_> = (0..16)
        .map(|i| {
            let mut cmd = env.cmd(&["invoke", "me", "GET", &format!("/n/{i}")]);
            cmd.command
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            cmd.command.spawn().unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(
        server.grants("refresh_token"),
        1,
        "one refresh between them"
    );
    assert_eq!(server.stats()["resource"]["ok"], 16);
    assert_eq!(server.stats()["grant_errors"], serde_json::json!({}));
}

#[test]
fn a_401_triggers_exactly_one_refresh_and_one_retry() {
    let server = Oidc::start();
    let env = connected(&server);
    // The server forgets the access token early: the API answers 401.
    server.expire("access");
    let out = env.cmd(&["invoke", "me", "GET", "/after-401", "-v"]).ok();
    assert!(out.stderr.contains("401"), "{out}");
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
    let out = env.cmd(&["invoke", "me", "GET", "/x"]).fails(7);
    assert!(out.stderr.contains("invalid_grant"), "{out}");
    assert!(
        out.stderr.contains("hint: run `tether connect me`"),
        "{out}"
    );
    let status = env.cmd(&["status", "--json"]).ok().json();
    assert_eq!(status[0]["status"], "needs authorization");
    // And `token` says the same without asking the server again.
    let grants = server.stats()["grant_errors"].clone();
    env.cmd(&["token", "me"]).fails(7);
    assert_eq!(server.stats()["grant_errors"], grants);
}

#[test]
fn a_failed_refresh_keeps_the_old_tokens() {
    let server = Oidc::start_with(OidcOptions::default().access_token_ttl(TTL));
    let env = connected(&server);
    let before = std::fs::read(env.tokens_dir().join("me.json")).unwrap();
    drop(server);
    wait_until_due();
    let out = env.cmd(&["token", "me"]).fails(6);
    assert!(out.stderr.contains("token refresh failed"), "{out}");
    assert_eq!(
        std::fs::read(env.tokens_dir().join("me.json")).unwrap(),
        before
    );
}

#[test]
fn not_connected_is_exit_7() {
    let env = Env::new();
    env.write_config("[services.s]\nauth = \"bearer\"\nbase_url = \"https://api.example.com\"\n\n[connections.c]\nservice = \"s\"\n");
    let out = env.cmd(&["invoke", "c", "GET", "/x"]).fails(7);
    assert_eq!(
        out.stderr,
        "tether: error: connection `c` is not connected\nhint: run `tether connect c`\n"
    );
    env.cmd(&["token", "c"]).fails(7);
    let out = env.cmd(&["invoke", "cc", "GET", "/x"]).fails(2);
    assert!(out.stderr.contains("did you mean `c`?"), "{out}");
}
