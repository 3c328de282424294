//! `doctor NAME` checks one connection live: against the real
//! authorization server it passes; against a provider whose discovery
//! document does not list the service's client authentication, or whose
//! clock is 10 minutes off, it names the problem and exits 1. `doctor`
//! alone lists connections that need attention soon, as warnings.

use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use crate::connect::{approve, env_with_service};
use crate::status_forecast::{add_service, connect_to};
use crate::util::Env;
use crate::util::oidc::{self, Oidc, OidcOptions};
use crate::util::server::{Reply, TestServer};

/// The checks of a `doctor --json` run, by name.
fn check<'a>(checks: &'a Value, name: &str) -> &'a Value {
    checks
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no check `{name}` in {checks:#}"))
}

fn names(checks: &Value) -> Vec<&str> {
    checks
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect()
}

#[test]
fn doctor_name_passes_against_the_test_authorization_server() {
    let server = Oidc::start();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    approve(&server, &env, "me");
    let checks = env.cmd(&["doctor", "me", "--json"]).ok().json();
    assert_eq!(
        names(&checks),
        [
            "service",
            "discovery",
            "endpoints",
            "pkce",
            "grant types",
            "client auth",
            "redirect",
            "clock skew",
            "token",
            "refresh token",
            "scopes",
            "userinfo",
            "introspection",
        ]
    );
    assert!(
        checks.as_array().unwrap().iter().all(|c| c["ok"] == true),
        "{checks:#}"
    );
    assert_eq!(
        check(&checks, "introspection")["detail"],
        format!(
            "{}/token/introspection: the access token is active, scopes: openid read",
            server.issuer
        )
    );
    assert_eq!(
        check(&checks, "discovery")["detail"],
        format!("the provider's document, issuer {}", server.issuer)
    );
    assert_eq!(
        check(&checks, "client auth")["detail"],
        "none (`client_auth = \"basic\"`), which the provider lists"
    );
    assert_eq!(
        check(&checks, "userinfo")["detail"],
        format!("{}/me knows the token (sub `alice`)", server.issuer)
    );
    assert_eq!(check(&checks, "scopes")["detail"], "granted: openid read");
    assert_eq!(server.grants("refresh_token"), 0);

    // The table for people, and a real refresh.
    let out = env.cmd(&["doctor", "me", "--refresh"]).ok();
    assert!(
        out.stdout.contains(
            "\nrefresh        ok  the provider issued new tokens; the access token expires in 1h\n"
        ),
        "{}",
        out.stdout
    );
    assert_eq!(server.grants("refresh_token"), 1);
    env.assert_never_printed(&server.secrets());

    // A refresh that fails keeps the old tokens and fails the check.
    server.expire("refresh");
    let before = env.record("me").unwrap();
    let checks = env
        .cmd(&["doctor", "me", "--refresh", "--json"])
        .fails(1)
        .json();
    let refresh = check(&checks, "refresh");
    assert_eq!(refresh["ok"], false);
    assert!(
        refresh["detail"]
            .as_str()
            .unwrap()
            .contains("invalid_grant"),
        "{refresh}"
    );
    let after = env.record("me").unwrap();
    assert_eq!(after["access_token"], before["access_token"]);
    assert_eq!(after["refresh_token"], before["refresh_token"]);
}

#[test]
fn doctor_name_names_a_client_auth_the_provider_does_not_list() {
    let server = Oidc::start_with(
        OidcOptions::default().client_auth_methods(&["none", "client_secret_basic"]),
    );
    let env = env_with_service(&server, &oidc::CONFIDENTIAL, &["--client-auth", "body"]);
    let config = env.read_config() + "\n[connections.me]\nservice = \"oidc\"\n";
    env.write_config(&config);
    let checks = env.cmd(&["doctor", "me", "--json"]).fails(1).json();
    assert_eq!(
        check(&checks, "client auth"),
        &json!({
            "name": "client auth",
            "ok": false,
            "detail": "the service authenticates with client_secret_post (`client_auth = \"body\"`), which the provider does not list (it lists none, client_secret_basic)",
            "hint": "`tether service edit oidc --client-auth basic`",
        })
    );
    assert_eq!(
        check(&checks, "token"),
        &json!({
            "name": "token",
            "ok": false,
            "detail": "`me` is not connected",
            "hint": "run `tether connect me`",
        })
    );
    assert_eq!(check(&checks, "endpoints")["ok"], true);
}

/// A token endpoint whose clock is 10 minutes ahead: every answer's `Date`
/// says so. It has no discovery document.
fn token_endpoint_ten_minutes_ahead() -> TestServer {
    TestServer::start(
        "a token endpoint whose clock is 10 minutes off",
        |received| {
            let ahead = SystemTime::now() + Duration::from_secs(600);
            let status = if received.path.starts_with("/.well-known/") {
                404
            } else {
                400
            };
            Reply::json(status, &json!({"error": "invalid_request"}))
                .header("Date", httpdate::fmt_http_date(ahead))
        },
    )
}

#[test]
fn doctor_name_names_a_clock_10_minutes_off() {
    let api = token_endpoint_ten_minutes_ahead();
    let base = format!("http://127.0.0.1:{}", api.port);
    let env = Env::new();
    env.write_config(&format!(
        "[services.skewed]\nclient_id = \"c\"\nauthorize_url = \"{base}/authorize\"\ntoken_url = \"{base}/token\"\n\n\
         [connections.me]\nservice = \"skewed\"\n"
    ));
    let checks = env.cmd(&["doctor", "me", "--json"]).fails(1).json();
    let clock = check(&checks, "clock skew");
    assert_eq!(clock["ok"], false, "{clock}");
    assert!(
        crate::util::line_matches(
            "the token endpoint's clock is 10m ahead of this machine's ([..]Z by its Date header)",
            clock["detail"].as_str().unwrap()
        ),
        "{clock}"
    );
    assert_eq!(
        clock["hint"],
        "set this machine's clock (NTP); tokens expire by both clocks"
    );
    assert_eq!(
        check(&checks, "discovery")["detail"],
        "the provider publishes no discovery document: its checks are skipped"
    );
    assert_eq!(check(&checks, "redirect")["ok"], true);
}

#[test]
fn doctor_lists_connections_that_need_attention_soon_as_warnings() {
    let server = Oidc::start();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    add_service(&env, &server, "idle", &["--refresh-token-idle", "20d"]);
    connect_to(&env, "soon", "idle");
    connect_to(&env, "fine", "idle");
    env.age_record("soon", 10 * 86_400 + 43_200);
    let checks = env.cmd(&["doctor", "--json"]).ok().json();
    let soon = check(&checks, "`soon`");
    assert_eq!(
        soon,
        &json!({
            "name": "`soon`",
            "ok": true,
            "warning": true,
            "detail": "refresh token lapses in 9d unless used",
            "hint": "run `tether keepalive soon`, or schedule it (`tether keepalive --print-systemd`)",
        })
    );
    assert!(
        checks
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["name"] != "`fine`"),
        "{checks:#}"
    );
    let out = env.cmd(&["doctor"]).ok();
    assert!(
        out.stdout.contains("\n`soon`      warn  refresh token lapses in 9d unless used — run `tether keepalive soon`"),
        "{}",
        out.stdout
    );
}

#[test]
fn the_browser_check_looks_for_a_display() {
    let env = Env::new();
    let bin = env.root().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let opener = bin.join("xdg-open");
    std::fs::write(&opener, "#!/bin/sh\nexit 0\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:/usr/bin:/bin", bin.display());
    let browser = |display: Option<&str>, ssh: bool| {
        let mut cmd = env
            .cmd(&["doctor", "--json"])
            .env("PATH", &path)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("SSH_CONNECTION")
            .env_remove("SSH_TTY")
            .env_remove("SSH_CLIENT");
        if let Some(display) = display {
            cmd = cmd.env("DISPLAY", display);
        }
        if ssh {
            cmd = cmd.env("SSH_CONNECTION", "10.0.0.1 50000 10.0.0.2 22");
        }
        check(&cmd.ok().json(), "browser").clone()
    };
    assert_eq!(
        browser(None, true),
        json!({
            "name": "browser",
            "ok": true,
            "detail": "`xdg-open` is installed, but there is no display here (an SSH session without DISPLAY or WAYLAND_DISPLAY): no browser can open",
            "hint": "use `connect --remote` (a browser on another machine) or `--device`",
        })
    );
    assert_eq!(
        browser(None, false)["detail"],
        "`xdg-open` is installed, but there is no display here (no DISPLAY or WAYLAND_DISPLAY): no browser can open"
    );
    assert_eq!(
        browser(Some(":0"), true),
        json!({"name": "browser", "ok": true, "detail": "opened with `xdg-open` (DISPLAY :0)"})
    );
}

#[test]
fn doctor_name_asks_introspection_whether_the_token_still_lives() {
    let server = Oidc::start();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    approve(&server, &env, "me");
    // The record still says "valid for an hour"; the provider knows better.
    assert_eq!(server.expire("access"), 1);
    let checks = env.cmd(&["doctor", "me", "--json"]).fails(1).json();
    let introspection = check(&checks, "introspection");
    assert_eq!(introspection["ok"], false);
    assert_eq!(
        introspection["detail"],
        format!(
            "{}/token/introspection says the access token is not active",
            server.issuer
        )
    );
    assert_eq!(
        introspection["hint"],
        "`tether doctor me --refresh` refreshes it; if that fails, `tether connect me`"
    );
    assert_eq!(check(&checks, "token")["ok"], true);
    // Its own refresh mends it.
    let checks = env
        .cmd(&["doctor", "me", "--refresh", "--json"])
        .ok()
        .json();
    assert_eq!(check(&checks, "introspection")["ok"], true, "{checks:#}");
}
