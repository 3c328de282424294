//! The other ways in: client credentials, the device grant, discovery from
//! an issuer, and revocation on disconnect — each against the real
//! authorization server.

use std::time::Duration;

use crate::connect::{connect, env_with_service};
use crate::util::Env;
use crate::util::oidc::{self, BrowserMode, Oidc, OidcOptions};

#[test]
fn client_credentials_connect_without_a_browser_and_renew_when_due() {
    let server = Oidc::start_with(OidcOptions::default().access_token_ttl(4));
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
    .ok();
    let out = env
        .cmd(&["connect", "robot", "--service", "m2m"])
        .env("BROWSER", "/nonexistent/browser")
        .ok();
    assert!(out.stderr.contains("renewed when due"), "{out}");
    assert_eq!(server.grants("client_credentials"), 1);
    let out = env.cmd(&["invoke", "robot", "GET", "/jobs"]).ok();
    assert!(
        out.stdout
            .contains(&format!("\"client_id\":\"{}\"", oidc::MACHINE.id)),
        "{out}"
    );
    std::thread::sleep(Duration::from_secs(3));
    env.cmd(&["invoke", "robot", "GET", "/jobs"]).ok();
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
    .ok();
    let mut cmd = env.cmd(&[
        "connect",
        "living-room",
        "--service",
        "tv",
        "--timeout",
        "60",
    ]);
    for (k, v) in oidc::browser_env(BrowserMode::Approve) {
        cmd = cmd.env(k, v);
    }
    let out = cmd
        .env("TEST_BROWSER_LOG", env.root().join("browser.log"))
        .run();
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stderr.contains("and enter the code"), "{out}");
    let status = env.cmd(&["status", "--json"]).ok().json();
    assert_eq!(status[0]["status"], "connected");
    assert_eq!(status[0]["refreshable"], true);
    assert_eq!(
        server.grants("urn:ietf:params:oauth:grant-type:device_code"),
        1
    );

    // A user who says no: exit 7.
    let mut cmd = env.cmd(&["connect", "den", "--service", "tv", "--timeout", "60"]);
    for (k, v) in oidc::browser_env(BrowserMode::Deny) {
        cmd = cmd.env(k, v);
    }
    let out = cmd
        .env("TEST_BROWSER_LOG", env.root().join("browser.log"))
        .run();
    assert_eq!(out.code, 7, "{out}");
    assert!(out.stderr.contains("access_denied"), "{out}");
    env.assert_never_printed(&server.secrets());
}

#[test]
fn discovery_fills_a_service_that_then_connects() {
    let server = Oidc::start();
    let env = Env::new();
    let out = env
        .cmd(&[
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
        .ok();
    assert!(
        out.stderr
            .contains(&format!("Found the metadata of {}", server.issuer)),
        "{out}"
    );
    let show = env.cmd(&["service", "show", "oidc", "--json"]).ok().json();
    assert_eq!(show["authorize_url"], server.authorize_url());
    assert_eq!(show["token_url"], server.token_url());
    assert_eq!(show["revoke_url"], server.revocation_url());
    assert_eq!(show["device_authorization_url"], server.device_url());
    assert_eq!(connect(&env, "me", BrowserMode::Approve, &[]).code, 0);

    // An issuer with no metadata is an error that says so.
    let out = env
        .cmd(&[
            "service",
            "add",
            "nope",
            "--issuer",
            &format!("{}/nothing", server.issuer),
            "--client-id",
            "x",
        ])
        .fails(1);
    assert!(out.stderr.contains("no metadata found"), "{out}");
}

#[test]
fn disconnect_revokes_at_the_provider_and_forgets_the_tokens() {
    let server = Oidc::start();
    let env = env_with_service(
        &server,
        &oidc::NATIVE,
        &["--revoke-url", &server.revocation_url()],
    );
    assert_eq!(connect(&env, "me", BrowserMode::Approve, &[]).code, 0);
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(env.tokens_dir().join("me.json")).unwrap())
            .unwrap();
    let access = record["access_token"].as_str().unwrap().to_string();
    let refresh = record["refresh_token"].as_str().unwrap().to_string();
    assert_eq!(server.introspect(&access)["active"], true);

    let out = env.cmd(&["disconnect", "me"]).ok();
    assert!(
        out.stderr
            .contains("Revoked the refresh token at the provider"),
        "{out}"
    );
    assert!(
        out.stderr
            .contains("Revoked the access token at the provider"),
        "{out}"
    );
    assert_eq!(server.introspect(&access)["active"], false);
    assert_eq!(server.introspect(&refresh)["active"], false);
    assert!(!env.tokens_dir().join("me.json").exists());
    assert_eq!(
        env.cmd(&["status", "--json"]).ok().json()[0]["status"],
        "not connected"
    );

    // `connection remove` revokes too, then drops the config entry.
    assert_eq!(connect(&env, "me", BrowserMode::Approve, &[]).code, 0);
    let out = env.cmd(&["connection", "remove", "me"]).ok();
    assert!(out.stderr.contains("Revoked the refresh token"), "{out}");
    assert!(!env.read_config().contains("[connections.me]"));
    env.assert_never_printed(&server.secrets());
}

#[test]
fn remote_hand_off_between_a_headless_machine_and_one_with_a_browser() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::Stdio;

    let server = Oidc::start();
    // The headless machine holds the client secret.
    let headless = env_with_service(&server, &oidc::CONFIDENTIAL, &[]);
    let mut cmd = headless.cmd(&["connect", "me", "--service", "oidc", "--remote"]);
    cmd.command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.command.spawn().unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut printed = String::new();
    let command = loop {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "no command printed:\n{printed}"
        );
        printed.push_str(&line);
        if let Some(rest) = line.trim().strip_prefix("tether authorize '") {
            break rest.trim_end_matches('\'').to_string();
        }
    };
    assert!(command.contains("code_challenge="), "{command}");
    assert!(!command.contains(oidc::CONFIDENTIAL.secret.unwrap()));

    // The machine with a browser: another home, no config, no secret.
    let laptop = Env::new();
    let mut run = laptop.cmd(&["authorize", &command]);
    for (k, v) in oidc::browser_env(BrowserMode::Approve) {
        run = run.env(k, v);
    }
    let out = run
        .env("TEST_BROWSER_LOG", laptop.root().join("browser.log"))
        .ok();
    let result = out.stdout.trim().to_string();
    assert!(
        result.contains("code=") && result.contains("state="),
        "{out}"
    );
    assert!(!laptop.config_path().exists(), "the laptop needs no config");
    assert_eq!(
        server.grants("authorization_code"),
        0,
        "the laptop exchanged nothing"
    );

    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{result}").unwrap();
    drop(stdin);
    let status = child.wait().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(status.success(), "{printed}{rest}");
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
        assert!(!printed.contains(&token) && !rest.contains(&token));
    }
}
