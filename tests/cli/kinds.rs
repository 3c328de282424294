//! The other ways in: client credentials, the device grant, discovery from
//! an issuer, and revocation on disconnect — each against the real
//! authorization server.

use crate::connect::{PASTE, approve, authorize_url, env_with_service, prompt, stored};
use crate::util::oidc::{self, BrowserMode, Oidc, OidcOptions};
use crate::util::{Env, line_matches};

/// What `disconnect` and `connection remove` say after revoking both
/// tokens at the provider and deleting them from the file store.
fn revoked_and_deleted(env: &Env) -> String {
    format!(
        "Revoked the refresh token at the provider\n\
         Revoked the access token at the provider\n\
         Deleted the tokens of `me` from file ({})\n",
        env.tokens_dir().display()
    )
}

#[test]
fn client_credentials_connect_without_a_browser_and_renew_when_due() {
    const TTL: u64 = 4;
    let server = Oidc::start_with(OidcOptions::default().access_token_ttl(TTL));
    let env = Env::new();
    let resource = server.resource_url("");
    env.add_client_credentials(
        "m2m",
        oidc::MACHINE.id,
        &server.token_url(),
        &[
            "--client-secret-stdin",
            "--base-url",
            resource.trim_end_matches('/'),
        ],
    )
    .stdin(oidc::MACHINE.secret.unwrap())
    .stderr(format!(
        "Added service `m2m` (client_credentials) to {}\n\
         Connect it with `tether connect NAME --service m2m`\n",
        env.config_path().display()
    ))
    .ok();
    // No browser: the grant needs none.
    env.cmd(&["connect", "robot", "--service", "m2m"])
        .env("BROWSER", "/nonexistent/browser")
        .stderr(format!(
            "Connected `robot` (m2m): expires in [..]s, renewed when due; tokens in file ({})\n\
             Try it: tether invoke robot GET /\n",
            env.tokens_dir().display()
        ))
        .ok();
    assert_eq!(server.grants("client_credentials"), 1);
    let jobs = format!(
        "{{\"method\":\"GET\",\"path\":\"/jobs\",\"query\":{{}},\"client_id\":\"{}\",\"sub\":null,\"scope\":\"\"}}",
        oidc::MACHINE.id
    );
    env.cmd(&["invoke", "robot", "GET", "/jobs"])
        .stdout(&jobs)
        .ok();
    // Once the token is due, a new one is granted.
    env.age_record("robot", TTL);
    env.cmd(&["invoke", "robot", "GET", "/jobs"])
        .stdout(&jobs)
        .ok();
    assert_eq!(
        server.grants("client_credentials"),
        2,
        "a new grant, no refresh token"
    );
    assert_eq!(server.grants("refresh_token"), 0);
    env.assert_never_printed(&server.secrets());
}

#[test]
fn the_device_grant_completes_when_the_user_approves_elsewhere() {
    let server = Oidc::start();
    let env = Env::new();
    env.cmd(&[
        "service",
        "add",
        "tv",
        "--auth",
        "device",
        "--client-id",
        oidc::NATIVE.id,
        "--device-authorization-url",
        &server.device_url(),
        "--token-url",
        &server.token_url(),
        "--scope",
        "openid",
        "--scope",
        "read",
    ])
    .stderr(format!(
        "Added service `tv` (device) to {}\n\
         Connect it with `tether connect NAME --service tv`\n",
        env.config_path().display()
    ))
    .ok();
    let device_prompt = |name: &str| {
        format!(
            "To authorize `{name}` (tv), open {}/device and enter the code:\n\
             \n  [..]-[..]\n\
             \n",
            server.issuer
        )
    };
    env.cmd(&[
        "connect",
        "living-room",
        "--service",
        "tv",
        "--timeout",
        "60",
    ])
    .envs(oidc::browser_env(BrowserMode::Approve))
    .env("TEST_BROWSER_LOG", env.root().join("browser.log"))
    .stderr(
        device_prompt("living-room")
            + &format!(
                "Connected `living-room` (tv): expires in 1h, refreshable; tokens in file ({})\n\
                 Try it: tether invoke living-room GET /\n",
                env.tokens_dir().display()
            ),
    )
    .ok();
    let status = env.cmd(&["status", "--json"]).ok().json();
    assert_eq!(status[0]["status"], "connected");
    assert_eq!(status[0]["refreshable"], true);
    assert_eq!(
        server.grants("urn:ietf:params:oauth:grant-type:device_code"),
        1
    );

    // A user who says no: exit 7.
    env.cmd(&["connect", "den", "--service", "tv", "--timeout", "60"])
        .envs(oidc::browser_env(BrowserMode::Deny))
        .env("TEST_BROWSER_LOG", env.root().join("browser.log"))
        .stderr(
            device_prompt("den")
                + "tether: error: the provider refused: access_denied (End-User aborted interaction)\n",
        )
        .fails(7);
    env.assert_never_printed(&server.secrets());
}

#[test]
fn discovery_fills_a_service_that_then_connects() {
    let server = Oidc::start();
    let env = Env::new();
    env.cmd(&[
        "service",
        "add",
        "oidc",
        "--issuer",
        &server.issuer,
        "--client-id",
        oidc::NATIVE.id,
        "--scope",
        "openid",
    ])
    .stderr(format!(
        "Found the metadata of {0}:\n  \
               authorize_url             {0}/auth\n  \
               token_url                 {0}/token\n  \
               revoke_url                {0}/token/revocation\n  \
               device_authorization_url  {0}/device/auth\n\
             Added service `oidc` (oauth2) to {1}\n\
             Connect it with `tether connect NAME --service oidc`\n",
        server.issuer,
        env.config_path().display()
    ))
    .ok();
    let show = env.cmd(&["service", "show", "oidc", "--json"]).ok().json();
    assert_eq!(show["authorize_url"], server.authorize_url());
    assert_eq!(show["token_url"], server.token_url());
    assert_eq!(show["revoke_url"], server.revocation_url());
    assert_eq!(show["device_authorization_url"], server.device_url());
    // The service asks for `openid` alone.
    crate::connect::connect(&env, "me", BrowserMode::Approve, &[])
        .stderr(
            prompt(&server, oidc::NATIVE.id, "me").replace("scope=openid+read", "scope=openid")
                + &stored(&env, "me", "in 1h"),
        )
        .ok();

    // An issuer with no metadata is an error that says so.
    env.cmd(&[
        "service",
        "add",
        "nope",
        "--issuer",
        &format!("{}/nothing", server.issuer),
        "--client-id",
        "x",
    ])
    .stderr(format!(
        "tether: error: no metadata found for the issuer {0}/nothing: {0}/.well-known/oauth-authorization-server/nothing answered 404 Not Found\n",
        server.issuer
    ))
    .fails(1);
}

#[test]
fn disconnect_revokes_at_the_provider_and_forgets_the_tokens() {
    let server = Oidc::start();
    let env = env_with_service(
        &server,
        &oidc::NATIVE,
        &["--revoke-url", &server.revocation_url()],
    );
    let service_only = env.read_config();
    approve(&server, &env, "me");
    let record = env.record("me").unwrap();
    let access = record["access_token"].as_str().unwrap().to_string();
    let refresh = record["refresh_token"].as_str().unwrap().to_string();
    assert_eq!(server.introspect(&access)["active"], true);

    env.cmd(&["disconnect", "me"])
        .stderr(revoked_and_deleted(&env))
        .ok();
    assert_eq!(server.introspect(&access)["active"], false);
    assert_eq!(server.introspect(&refresh)["active"], false);
    assert!(!env.tokens_dir().join("me.json").exists());
    assert_eq!(
        env.cmd(&["status", "--json"]).ok().json()[0]["status"],
        "not connected"
    );

    // `connection remove` revokes too, then drops the config entry.
    approve(&server, &env, "me");
    env.cmd(&["connection", "remove", "me"])
        .stderr(revoked_and_deleted(&env) + "Removed connection `me` from the config\n")
        .ok();
    assert_eq!(env.read_config(), service_only);
    env.assert_never_printed(&server.secrets());
}

#[test]
fn remote_hand_off_between_a_headless_machine_and_one_with_a_browser() {
    let server = Oidc::start();
    // The headless machine holds the client secret.
    let headless = env_with_service(&server, &oidc::CONFIDENTIAL, &[]);
    // A port outside the ephemeral range: between the two commands no
    // other test's `bind(0)` can take it.
    let port = crate::util::free_fixed_port().to_string();
    let mut headless_run = headless
        .cmd(&[
            "connect",
            "me",
            "--service",
            "oidc",
            "--remote",
            "--port",
            &port,
        ])
        .stdin_piped()
        .stderr(format!(
            "On a machine with a browser, run:\n\
             \n  tether authorize '{}'\n\
             \n\
             then paste the line it prints here.\n\
             {PASTE}{}",
            authorize_url(&server, oidc::CONFIDENTIAL.id),
            stored(&headless, "me", "in 1h")
        ))
        .spawn();
    let mut printed = String::new();
    let command = loop {
        let line = headless_run.read_stderr_line();
        assert!(!line.is_empty(), "no command printed:\n{printed}");
        printed.push_str(&line);
        if let Some(rest) = line.trim().strip_prefix("tether authorize '") {
            break rest.trim_end_matches('\'').to_string();
        }
    };
    assert!(
        line_matches(&authorize_url(&server, oidc::CONFIDENTIAL.id), &command),
        "{command}"
    );
    assert!(!command.contains(oidc::CONFIDENTIAL.secret.unwrap()));

    // The machine with a browser: another home, no config, no secret.
    let laptop = Env::new();
    let out = laptop
        .cmd(&["authorize", &command])
        .envs(oidc::browser_env(BrowserMode::Approve))
        .env("TEST_BROWSER_LOG", laptop.root().join("browser.log"))
        .stderr(format!(
            "Open this URL to authorize:\n\
             \n  {command}\n\
             \n\
             Paste the line above where `tether connect --remote` waits.\n"
        ))
        .stdout("http://127.0.0.1:[..]/callback?code=[..]&state=[..]\n")
        .ok();
    let result = out.stdout.trim().to_string();
    let state = command
        .split(['?', '&'])
        .find_map(|pair| pair.strip_prefix("state="))
        .unwrap();
    assert!(result.ends_with(&format!("&state={state}")), "{out}");
    assert!(!laptop.config_path().exists(), "the laptop needs no config");
    assert_eq!(
        server.grants("authorization_code"),
        0,
        "the laptop exchanged nothing"
    );

    headless_run.write_stdin(&format!("{result}\n"));
    let headless_out = headless_run.ok();
    assert_eq!(server.grants("authorization_code"), 1);
    assert_eq!(
        headless.cmd(&["status", "--json"]).ok().json()[0]["status"],
        "connected"
    );
    // Neither the client secret nor any token reached the laptop's output
    // (the single-use code did, on purpose: it is useless without the
    // verifier and the secret, which stayed on the headless machine).
    let mut secrets = server.issued_tokens();
    secrets.push(oidc::CONFIDENTIAL.secret.unwrap().to_string());
    laptop.assert_never_printed(&secrets);
    for token in server.issued_tokens() {
        assert!(!headless_out.stderr.contains(&token));
    }
}

#[test]
fn authorize_that_nobody_finishes_says_what_to_run_again() {
    let port = crate::util::free_fixed_port();
    let url = format!(
        "https://id.example/authorize?client_id=c&response_type=code&state=s1&redirect_uri=http%3A%2F%2F127.0.0.1%3A{port}%2Fcallback"
    );
    let laptop = Env::new();
    laptop
        .cmd(&["authorize", &url, "--no-browser", "--timeout", "1"])
        .stderr(format!(
            "Open this URL to authorize:\n\
             \n  {url}\n\
             \n\
             tether: error: no redirect reached this machine within 1 s: the remote connection was not authorized\n\
             hint: run `tether connect NAME --remote` on the other machine again, then `tether authorize` with the URL it prints\n"
        ))
        .fails(7);
}
