//! `status` forecasts when a refresh token lapses — from the provider's
//! `refresh_token_expires_in`, or from the service's policy — and says
//! which; `status --check --for` turns the forecast into an exit code.
//!
//! Against the real authorization server, its refresh tokens living 10
//! days and their life stated in each token response.

use serde_json::{Value, json};

use crate::connect::{approve, env_with_service};
use crate::util::oidc::{self, BrowserMode, Oidc, OidcOptions};
use crate::util::{Env, line_matches};

const DAY: u64 = 86_400;

/// The server of these tests: refresh tokens live 10 days, and say so.
pub fn server() -> Oidc {
    Oidc::start_with(
        OidcOptions::default()
            .refresh_token_ttl(10 * DAY)
            .refresh_token_expires_in(),
    )
}

/// Adds service `name` on `server` (the native client, scopes openid and
/// read) with the extra flags.
pub fn add_service(env: &Env, server: &Oidc, name: &str, extra: &[&str]) {
    let (authorize, token) = (server.authorize_url(), server.token_url());
    let args = [
        &[
            "service",
            "add",
            name,
            "--client-id",
            oidc::NATIVE.id,
            "--authorize-url",
            &authorize,
            "--token-url",
            &token,
            "--scope",
            "openid",
            "--scope",
            "read",
        ][..],
        extra,
    ]
    .concat();
    env.cmd(&args)
        .stderr(format!(
            "Added service `{name}` (oauth2) to {}\n\
             Connect it with `tether connect NAME --service {name}`\n",
            env.config_path().display()
        ))
        .ok();
}

/// Connects `name` to `service` with the approving browser.
pub fn connect_to(env: &Env, name: &str, service: &str) {
    env.cmd(&["connect", name, "--service", service, "--timeout", "30"])
        .env("TEST_BROWSER_LOG", env.root().join("browser.log"))
        .envs(oidc::browser_env(BrowserMode::Approve))
        .stderr(format!(
            "Open this URL to authorize `{name}` ({service}):\n\n  [..]\n\n\
             Connected `{name}` ({service}): expires in [..], refreshable; tokens in file ({})\n\
             Try it: tether invoke {name} GET /\n",
            env.tokens_dir().display()
        ))
        .ok();
}

fn entry<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no `{name}` in {list}"))
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[test]
fn status_forecasts_from_the_provider_and_from_a_policy() {
    let server = server();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    approve(&server, &env, "said");
    add_service(&env, &server, "idle", &["--refresh-token-idle", "3d"]);
    connect_to(&env, "policy", "idle");
    add_service(
        &env,
        &server,
        "testing",
        &["--refresh-token-lifetime", "2d"],
    );
    connect_to(&env, "absolute", "testing");

    let list = env.cmd(&["status", "--json"]).ok().json();
    // The provider said 10 days when it issued the refresh token.
    let said = entry(&list, "said");
    let record = env.record("said").unwrap();
    assert_eq!(said["refresh_basis"], "provider");
    assert_eq!(
        said["refresh_expires_at"],
        record["refresh_token_expires_at"]
    );
    let at = said["refresh_expires_at"].as_u64().unwrap();
    assert!(at.abs_diff(now() + 10 * DAY) < 60, "{said}");
    assert_eq!(said["last_used_at"], Value::Null);
    assert_eq!(said["missing_scopes"], json!([]));
    // The idle policy (3 days) comes before the provider's 10.
    let policy = entry(&list, "policy");
    let issued = env.record("policy").unwrap()["refresh_token_issued_at"]
        .as_u64()
        .unwrap();
    assert_eq!(policy["refresh_basis"], "policy");
    assert_eq!(policy["refresh_expires_at"], issued + 3 * DAY);
    let absolute = entry(&list, "absolute");
    assert_eq!(absolute["refresh_basis"], "policy");
    assert_eq!(
        absolute["refresh_expires_at"],
        env.record("absolute").unwrap()["authorized_at"]
            .as_u64()
            .unwrap()
            + 2 * DAY
    );

    // The table says it for people.
    let table = env.cmd(&["status"]).ok().stdout;
    let line = |name: &str| {
        table
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no `{name}` in\n{table}"))
            .to_string()
    };
    assert!(table.starts_with("NAME"), "{table}");
    assert!(table.lines().next().unwrap().contains("REFRESH"), "{table}");
    assert!(
        line_matches("said [..] lapses in [..]d unless used [..]", &line("said ")),
        "{table}"
    );
    assert!(
        line_matches(
            "policy [..] lapses in [..]d unless used [..]",
            &line("policy ")
        ),
        "{table}"
    );
    assert!(
        line_matches(
            "absolute [..] lapses in [..]d (absolute) [..]",
            &line("absolute ")
        ),
        "{table}"
    );

    // A refresh is a use: the idle lifetime starts again from it, and the
    // provider states the new refresh token's life.
    env.age_record("policy", 2 * DAY);
    let before = env.cmd(&["status", "policy", "--json"]).ok().json()[0]["refresh_expires_at"]
        .as_u64()
        .unwrap();
    assert!(before.abs_diff(now() + DAY) < 60);
    env.age_record("policy", 3_600);
    env.cmd(&["token", "policy"]).stdout("[..]\n").ok();
    assert_eq!(server.grants("refresh_token"), 1);
    let after = &env.cmd(&["status", "policy", "--json"]).ok().json()[0];
    let used = after["last_used_at"].as_u64().unwrap();
    assert!(used.abs_diff(now()) < 60, "{after}");
    assert_eq!(after["refresh_expires_at"], used + 3 * DAY);
    assert_eq!(after["refresh_basis"], "policy");

    // `show` explains the basis.
    env.cmd(&["connection", "show", "policy"])
        .stdout(
            "[..]\n[..]\n[..]\n[..]\n[..]\n[..]\n[..]\n\
             refresh token  lapses in [..]d unless used (`refresh_token_idle = \"3d\"` of service `idle`, from its last use [..]; `tether keepalive` extends it)\n\
             last used      [..] ([..])\n\
             store          file ([..])\n\
             [..]\n[..]\n[..]\n[..]\n[..]\n[..]\n[..]\n[..]\n[..]\n[..]\n[..]\n",
        )
        .ok();
    env.cmd(&["connection", "show", "said"])
        .stdout(
            "[..]\n[..]\n[..]\n[..]\n[..]\n[..]\n[..]\n\
             refresh token  lapses in [..]d unless used (the provider said so (`refresh_token_expires_in`) when it issued it)\n\
             store          file ([..])\n\
             [..]\n[..]\n[..]\n[..]\n[..]\n[..]\n[..]\n[..]\n[..]\n[..]\n[..]\n",
        )
        .ok();
}

#[test]
fn a_record_of_an_older_tether_still_loads_with_no_forecast() {
    let server = Oidc::start();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    approve(&server, &env, "old");
    // What an older tether wrote: none of the lifetime facts.
    let path = env.record_path("old");
    let mut record: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for field in [
        "authorized_at",
        "refresh_token_expires_at",
        "refresh_token_used_at",
    ] {
        record.as_object_mut().unwrap().remove(field);
    }
    std::fs::write(&path, record.to_string()).unwrap();
    let old = &env.cmd(&["status", "--json"]).ok().json()[0];
    assert_eq!(old["status"], "connected");
    assert_eq!(old["refresh_basis"], "unknown");
    assert_eq!(old["refresh_expires_at"], Value::Null);
    env.cmd(&["status", "--check", "--for", "30d"]).ok();
}

#[test]
fn status_check_for_exits_7_naming_what_will_not_last() {
    let server = server();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    approve(&server, &env, "valid");
    add_service(&env, &server, "short", &["--refresh-token-lifetime", "1d"]);
    connect_to(&env, "soon", "short");
    // Its absolute lifetime ends in 30 minutes.
    env.age_record("soon", DAY - 1_800);
    env.cmd(&["status", "--check", "--for", "1h"])
        .stderr(
            "tether: error: not usable for 1h: `soon` has a refresh token that lapses at [..]Z\n\
             hint: run `tether connect soon`\n",
        )
        .fails(7);
    env.cmd(&["status", "--check", "--for", "10m"]).ok();
    env.cmd(&["status", "valid", "--check", "--for", "1h"]).ok();
    env.cmd(&["status", "soon", "--check", "--for", "1h"])
        .stderr("tether: error: not usable for 1h: `soon` [..]\nhint: run `tether connect soon`\n")
        .fails(7);

    // An access token with nothing to renew it.
    let path = env.record_path("valid");
    let mut record: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    record.as_object_mut().unwrap().remove("refresh_token");
    record["expires_at"] = json!(now() + 1_800);
    std::fs::write(&path, record.to_string()).unwrap();
    env.cmd(&["status", "valid", "--check", "--for", "1h"])
        .stderr(
            "tether: error: not usable for 1h: `valid` expires at [..]Z and cannot be refreshed\n\
             hint: run `tether connect valid`\n",
        )
        .fails(7);
    env.cmd(&["status", "valid", "--check"]).ok();

    // Broken: a refused refresh, and no connection at all.
    server.expire("all");
    env.age_record("soon", 3_600);
    env.cmd(&["token", "soon"])
        .stderr("tether: error: connection `soon` needs authorization again: the provider refused: invalid_grant[..]\nhint: run `tether connect soon`\n")
        .fails(7);
    let config = env.read_config() + "\n[connections.nothing]\nservice = \"oidc\"\n";
    env.write_config(&config);
    env.cmd(&["status", "--check", "--for", "1h"])
        .stderr(
            "tether: error: not usable for 1h: `nothing` is not connected; `soon` needs authorization; `valid` expires at [..]Z and cannot be refreshed\n\
             hint: run `tether connect nothing`\n",
        )
        .fails(7);
    env.cmd(&["status", "nope", "--check"])
        .stderr("tether: error: no connection named `nope`\nhint: [..]\n")
        .fails(2);
}
