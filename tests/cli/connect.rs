//! `tether connect` against a real authorization server (oidc-provider on
//! loopback), with a test browser that signs in and consents, and the token
//! stores it writes to: the 0600 file store always, the Secret Service
//! where gnome-keyring is installed.

use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::util::Env;
use crate::util::keyring::SecretService;
use crate::util::oidc::{self, BrowserMode, Oidc, OidcOptions};

/// An env with a service `oidc` for `client` of `server`.
pub fn env_with_service(server: &Oidc, client: &oidc::Client, extra: &[&str]) -> Env {
    let env = Env::new();
    let authorize = server.authorize_url();
    let token = server.token_url();
    let mut args = vec![
        "service",
        "add",
        "oidc",
        "--client-id",
        client.id,
        "--authorize-url",
        &authorize,
        "--token-url",
        &token,
        "--scope",
        "openid",
        "--scope",
        "read",
    ];
    args.extend_from_slice(extra);
    let mut cmd = env.cmd(&args);
    if let Some(secret) = client.secret {
        cmd = env
            .cmd(&[args.as_slice(), &["--client-secret-stdin"]].concat())
            .stdin(format!("{secret}\n"));
    }
    cmd.ok();
    env
}

/// Runs `tether connect NAME --service oidc` with the test browser.
pub fn connect(env: &Env, name: &str, mode: BrowserMode, extra: &[&str]) -> crate::util::Output {
    let log = env.root().join("browser.log");
    let timeout: &[&str] = if extra.contains(&"--timeout") {
        &[]
    } else {
        &["--timeout", "30"]
    };
    let mut cmd = env
        .cmd(&[&["connect", name, "--service", "oidc"], timeout, extra].concat())
        .env("TEST_BROWSER_LOG", &log);
    for (k, v) in oidc::browser_env(mode) {
        cmd = cmd.env(k, v);
    }
    cmd.run()
}

fn record(env: &Env, name: &str) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(env.tokens_dir().join(format!("{name}.json"))).ok()?;
    Some(serde_json::from_str(&text).unwrap())
}

#[test]
fn connect_in_the_browser_stores_tokens_and_lists_the_connection() {
    let server = Oidc::start();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    let out = connect(&env, "me", BrowserMode::Approve, &[]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stderr
            .contains("Open this URL to authorize `me` (oidc)"),
        "{out}"
    );
    assert!(
        out.stderr.contains("code_challenge_method=S256"),
        "the URL is printed:\n{out}"
    );
    assert!(out.stderr.contains("Connected `me` (oidc)"), "{out}");
    assert!(out.stdout.is_empty(), "{out}");

    let list = env.cmd(&["connection", "list", "--json"]).ok().json();
    let me = &list[0];
    assert_eq!(me["name"], "me");
    assert_eq!(me["service"], "oidc");
    assert_eq!(me["auth"], "oauth2");
    assert_eq!(me["status"], "connected");
    assert_eq!(me["refreshable"], true, "a refresh token is stored");
    assert_eq!(me["store"], "file");
    assert_eq!(me["scopes"], serde_json::json!(["openid", "read"]));
    assert!(me["expires_at"].as_u64().unwrap() > 0);

    // The record holds the tokens the server issued, in a private file.
    let stored = record(&env, "me").unwrap();
    let issued = server.issued_tokens();
    assert!(issued.contains(&stored["access_token"].as_str().unwrap().to_string()));
    assert!(issued.contains(&stored["refresh_token"].as_str().unwrap().to_string()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&env.tokens_dir()), 0o700);
        assert_eq!(mode(&env.tokens_dir().join("me.json")), 0o600);
    }
    // The config gained the connection; `status` is the same listing.
    assert!(
        env.read_config()
            .contains("[connections.me]\nservice = \"oidc\"\n")
    );
    let status = env.cmd(&["status"]).ok();
    assert!(
        status
            .stdout
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("me    oidc     oauth2  connected"),
        "{status}"
    );
    let show = env.cmd(&["connection", "show", "me"]).ok();
    assert!(
        show.stdout
            .contains("-H 'Authorization: Bearer '\"$(tether token me)\""),
        "{show}"
    );
    assert!(show.stdout.contains("tether invoke me GET /"), "{show}");
    assert!(
        show.stdout.contains("export TETHER_CONNECTION_ME="),
        "{show}"
    );
    let snippets = env.cmd(&["connection", "show", "me", "--json"]).ok().json()["snippets"].clone();
    assert!(
        snippets["ci"]
            .as_str()
            .unwrap()
            .contains("tether connection export me")
    );
    assert_eq!(server.grants("authorization_code"), 1);
    env.assert_never_printed(&server.secrets());
}

#[test]
fn confidential_clients_authenticate_as_configured() {
    let server = Oidc::start();
    // client_secret_basic, secret in the store.
    let env = env_with_service(&server, &oidc::CONFIDENTIAL, &[]);
    let out = connect(&env, "basic", BrowserMode::Approve, &[]);
    assert_eq!(out.code, 0, "{out}");
    // client_secret_post: the server refuses Basic for this client.
    let env2 = env_with_service(&server, &oidc::POST, &["--client-auth", "body"]);
    let out = connect(&env2, "post", BrowserMode::Approve, &[]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(server.grants("authorization_code"), 2);
    env.assert_never_printed(&server.secrets());
    env2.assert_never_printed(&server.secrets());
}

#[test]
fn a_forged_redirect_is_ignored_and_the_real_one_completes() {
    let server = Oidc::start();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    let out = connect(&env, "me", BrowserMode::WrongStateFirst, &[]);
    assert_eq!(out.code, 0, "{out}");
    let log = std::fs::read_to_string(env.root().join("browser.log")).unwrap();
    assert!(log.contains("favicon.ico -> 404"), "{log}");
    assert!(
        log.contains("-> 400"),
        "the wrong state got an error page:\n{log}"
    );
    assert_eq!(
        env.cmd(&["status", "--json"]).ok().json()[0]["status"],
        "connected"
    );
}

#[test]
fn denied_consent_exits_7_with_the_providers_message_and_stores_nothing() {
    let server = Oidc::start();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    let out = connect(&env, "me", BrowserMode::Deny, &[]);
    assert_eq!(out.code, 7, "{out}");
    assert!(
        out.stderr.contains("the provider refused: access_denied"),
        "{out}"
    );
    assert!(record(&env, "me").is_none());
    assert!(
        !env.read_config().contains("connections"),
        "no half-made connection"
    );
}

#[test]
fn no_redirect_in_time_exits_7() {
    let server = Oidc::start();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    let out = connect(&env, "me", BrowserMode::Nothing, &["--timeout", "1"]);
    assert_eq!(out.code, 7, "{out}");
    assert!(out.stderr.contains("was not authorized within 1s"), "{out}");
    assert!(
        out.stderr.contains("hint: run `tether connect me`"),
        "{out}"
    );
    assert!(out.elapsed < Duration::from_secs(10));
}

#[test]
fn a_busy_fixed_port_is_a_clear_error() {
    let server = Oidc::start();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let env = env_with_service(&server, &oidc::NATIVE, &["--redirect-port", &port]);
    let out = connect(&env, "me", BrowserMode::Approve, &[]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .contains(&format!("port {port} on 127.0.0.1 is busy")),
        "{out}"
    );
}

#[test]
fn with_no_browser_and_no_terminal_connect_fails_fast_with_the_url() {
    let server = Oidc::start();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    let out = env
        .cmd(&["connect", "me", "--service", "oidc"])
        .env("BROWSER", "/nonexistent/browser")
        .run();
    assert_eq!(out.code, 7, "{out}");
    assert!(
        out.stderr.contains(&server.authorize_url()),
        "the URL is printed:\n{out}"
    );
    assert!(out.stderr.contains("no browser could be opened"), "{out}");
    assert!(out.elapsed < Duration::from_secs(5));
}

/// Runs `connect me --service oidc EXTRA…` with the test browser printing
/// the redirect instead of loading it, and pastes that into tether's stdin.
/// Returns tether's stderr.
fn connect_by_pasting(env: &Env, extra: &[&str]) -> String {
    let url_file = env.root().join("redirect.txt");
    let mut cmd = env
        .cmd(&[&["connect", "me", "--service", "oidc"], extra].concat())
        .env("TEST_BROWSER_OUT", &url_file)
        .env("TEST_BROWSER_LOG", env.root().join("browser.log"));
    for (k, v) in oidc::browser_env(BrowserMode::Print) {
        cmd = cmd.env(k, v);
    }
    cmd.command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.command.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let pasted = loop {
        if let Ok(text) = std::fs::read_to_string(&url_file)
            && text.contains("code=")
        {
            break text;
        }
        assert!(
            Instant::now() < deadline,
            "the browser never printed the redirect"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(pasted.contains("state="), "{pasted}");
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{}", pasted.trim()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("Paste the URL"), "{stderr}");
    assert_eq!(
        env.cmd(&["status", "--json"]).ok().json()[0]["status"],
        "connected"
    );
    stderr
}

#[test]
fn manual_paste_of_the_redirect_url() {
    let server = Oidc::start();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    connect_by_pasting(&env, &["--manual"]);
}

#[test]
fn an_https_redirect_uri_is_pasted_back() {
    // Like Slack: the provider accepts only an https redirect URI.
    let server = Oidc::start_with(OidcOptions::default().client(serde_json::json!({
        "client_id": "tether-web",
        "application_type": "web",
        "token_endpoint_auth_method": "none",
        "redirect_uris": ["https://app.example.com/tether"],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
    })));
    let web = oidc::Client {
        id: "tether-web",
        secret: None,
    };
    let env = env_with_service(
        &server,
        &web,
        &["--redirect-uri", "https://app.example.com/tether"],
    );
    let stderr = connect_by_pasting(&env, &[]);
    assert!(stderr.contains("which tether cannot receive"), "{stderr}");
    assert!(
        stderr.contains("redirect_uri=https%3A%2F%2Fapp.example.com%2Ftether"),
        "{stderr}"
    );
}

#[test]
fn a_failed_reconnect_keeps_the_old_tokens() {
    let server = Oidc::start();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    assert_eq!(connect(&env, "me", BrowserMode::Approve, &[]).code, 0);
    let before = std::fs::read(env.tokens_dir().join("me.json")).unwrap();
    let out = connect(&env, "me", BrowserMode::Deny, &[]);
    assert_eq!(out.code, 7, "{out}");
    assert_eq!(
        std::fs::read(env.tokens_dir().join("me.json")).unwrap(),
        before
    );
    // A successful re-connect replaces them.
    assert_eq!(connect(&env, "me", BrowserMode::Approve, &[]).code, 0);
    assert_ne!(
        std::fs::read(env.tokens_dir().join("me.json")).unwrap(),
        before
    );
    env.assert_never_printed(&server.secrets());
}

#[test]
fn connect_needs_a_service_for_a_new_connection() {
    let server = Oidc::start();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    let out = env.cmd(&["connect", "me"]).fails(2);
    assert!(
        out.stderr
            .contains("hint: run `tether connect me --service SERVICE`"),
        "{out}"
    );
    let out = env.cmd(&["connect", "me", "--service", "oidcc"]).fails(2);
    assert!(out.stderr.contains("did you mean `oidc`?"), "{out}");
}

fn secret_service_or_skip() -> Option<SecretService> {
    let service = SecretService::start();
    if service.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the keyring tests: install gnome-keyring and dbus"
        );
        eprintln!("skipped: gnome-keyring-daemon is not installed");
    }
    service
}

#[test]
fn the_keyring_store_holds_tokens_in_a_real_secret_service() {
    let Some(keyring) = secret_service_or_skip() else {
        return;
    };
    let server = Oidc::start();
    let mut env = env_with_service(&server, &oidc::CONFIDENTIAL, &[]);
    env.set("DBUS_SESSION_BUS_ADDRESS", &keyring.bus_address);
    env.set("TETHER_STORE", "keyring");
    // The client secret went to the file store above; put it in the keyring.
    env.cmd(&["service", "edit", "oidc", "--client-secret-stdin"])
        .stdin(format!("{}\n", oidc::CONFIDENTIAL.secret.unwrap()))
        .ok();
    let out = connect(&env, "me", BrowserMode::Approve, &[]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stderr.contains("tokens in keyring"), "{out}");
    assert!(
        !env.tokens_dir().join("me.json").exists(),
        "nothing in the file store"
    );
    let list = env.cmd(&["status", "--json"]).ok().json();
    assert_eq!(list[0]["status"], "connected");
    assert_eq!(list[0]["store"], "keyring");
    env.cmd(&["connection", "remove", "me"]).ok();
    assert_eq!(
        env.cmd(&["status", "--json"]).ok().json(),
        serde_json::json!([])
    );
    env.assert_never_printed(&server.secrets());
}

#[test]
fn auto_falls_back_to_the_file_store_within_a_second_and_says_so() {
    let env = Env::new();
    env.write_config("[services.s]\nauth = \"bearer\"\n\n[connections.c]\nservice = \"s\"\n");
    let out = env
        .cmd(&["status", "--json"])
        .env_remove("TETHER_STORE")
        .ok();
    assert!(
        out.elapsed < Duration::from_secs(1),
        "took {:?}",
        out.elapsed
    );
    let warnings = out.warnings();
    assert_eq!(warnings.len(), 1, "{out}");
    assert!(
        warnings[0].contains(&env.tokens_dir().display().to_string()),
        "{out}"
    );
    assert_eq!(out.json()[0]["store"], "file");
    assert_eq!(out.json()[0]["status"], "not connected");
}

#[test]
fn auto_still_finds_tokens_an_earlier_fallback_left_in_files() {
    let Some(keyring) = secret_service_or_skip() else {
        return;
    };
    let env = Env::new();
    env.write_config("[services.s]\nauth = \"bearer\"\n\n[connections.c]\nservice = \"s\"\n");
    // A run that found no keyring kept the token in a file...
    env.cmd(&["connect", "c", "--stdin"])
        .stdin("f1le-t0ken")
        .ok();
    assert!(env.tokens_dir().join("c.json").exists());
    // ...and a later run that reaches the keyring still uses it.
    let auto = |args: &[&str]| {
        env.cmd(args)
            .env_remove("TETHER_STORE")
            .env("DBUS_SESSION_BUS_ADDRESS", &keyring.bus_address)
    };
    assert_eq!(auto(&["token", "c"]).ok().stdout, "f1le-t0ken\n");
    auto(&["disconnect", "c"]).ok();
    assert!(
        !env.tokens_dir().join("c.json").exists(),
        "the stale copy goes too"
    );
    auto(&["token", "c"]).fails(7);
}
