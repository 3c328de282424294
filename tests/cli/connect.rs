//! `tether connect` against a real authorization server (oidc-provider on
//! loopback), with a test browser that signs in and consents, and the token
//! stores it writes to: the 0600 file store always, the Secret Service
//! where gnome-keyring is installed.

use std::time::{Duration, Instant};

use crate::util::keyring::SecretService;
use crate::util::oidc::{self, BrowserMode, Oidc, OidcOptions};
use crate::util::{Cmd, Env, Output, line_matches};

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
    cmd.stderr(format!(
        "Added service `oidc` (oauth2) to {}\n\
         Connect it with `tether connect NAME --service oidc`\n",
        env.config_path().display()
    ))
    .ok();
    env
}

/// `tether connect NAME --service oidc` with the test browser in `mode`
/// (its log goes to `browser.log` in the home), ready to say what it
/// expects.
pub fn connect<'a>(env: &'a Env, name: &str, mode: BrowserMode, extra: &[&str]) -> Cmd<'a> {
    let log = env.root().join("browser.log");
    let timeout: &[&str] = if extra.contains(&"--timeout") {
        &[]
    } else {
        &["--timeout", "30"]
    };
    env.cmd(&[&["connect", name, "--service", "oidc"], timeout, extra].concat())
        .env("TEST_BROWSER_LOG", &log)
        .envs(oidc::browser_env(mode))
}

/// The authorization URL tether sends `client_id` to on `server`, with
/// the values tether picks (the listener's port, `state`, the PKCE
/// challenge) left open.
pub fn authorize_url(server: &Oidc, client_id: &str) -> String {
    format!(
        "{}?response_type=code&client_id={client_id}&redirect_uri=http%3A%2F%2F127.0.0.1%3A[..]%2Fcallback&scope=openid+read&state=[..]&code_challenge=[..]&code_challenge_method=S256",
        server.authorize_url()
    )
}

/// What a browser connect of `name` prints first: [`authorize_url`].
pub fn prompt(server: &Oidc, client_id: &str, name: &str) -> String {
    format!(
        "Open this URL to authorize `{name}` (oidc):\n\n  {}\n\n",
        authorize_url(server, client_id)
    )
}

/// What a connect of `name` says once the tokens are stored in the file
/// store, for a token that `expires` ("in 1h", or `[..]` for a short one).
pub fn stored(env: &Env, name: &str, expires: &str) -> String {
    format!(
        "Connected `{name}` (oidc): expires {expires}, refreshable; tokens in file ({})\n\
         Try it: tether invoke {name} GET /\n",
        env.tokens_dir().display()
    )
}

/// The whole stderr of a browser connect of [`oidc::NATIVE`] that succeeds.
pub fn connected(server: &Oidc, env: &Env, name: &str, expires: &str) -> String {
    prompt(server, oidc::NATIVE.id, name) + &stored(env, name, expires)
}

/// Connects `name` with the approving browser; the token's lifetime is
/// not this step's business.
pub fn approve(server: &Oidc, env: &Env, name: &str) -> Output {
    connect(env, name, BrowserMode::Approve, &[])
        .stderr(connected(server, env, name, "in [..]"))
        .ok()
}

/// What a connect says when the user refuses at the provider.
pub fn denied(server: &Oidc, name: &str) -> String {
    prompt(server, oidc::NATIVE.id, name)
        + "tether: error: the provider refused: access_denied (End-User aborted interaction)\n"
}

#[test]
fn connect_in_the_browser_stores_tokens_and_lists_the_connection() {
    let server = Oidc::start();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    let config_before = env.read_config();
    // The URL is printed; talk goes to stderr.
    connect(&env, "me", BrowserMode::Approve, &[])
        .stderr(connected(&server, &env, "me", "in 1h"))
        .stdout("")
        .ok();

    let list = env.cmd(&["connection", "list", "--json"]).ok().json();
    let me = &list[0];
    assert_eq!(me["name"], "me");
    assert_eq!(me["service"], "oidc");
    assert_eq!(me["auth"], "oauth2");
    assert_eq!(me["status"], "connected");
    assert_eq!(me["refreshable"], true, "a refresh token is stored");
    assert_eq!(me["store"], "file");
    assert_eq!(me["scopes"], serde_json::json!(["openid", "read"]));
    assert_eq!(
        me["expires_at"].as_u64().unwrap() - me["obtained_at"].as_u64().unwrap(),
        3600
    );

    // The record holds the tokens the server issued, in a private file.
    let stored = env.record("me").unwrap();
    assert_eq!(
        server.issued_tokens(),
        [
            stored["access_token"].as_str().unwrap(),
            stored["refresh_token"].as_str().unwrap()
        ]
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&env.tokens_dir()), 0o700);
        assert_eq!(mode(&env.tokens_dir().join("me.json")), 0o600);
    }
    // The config gained the connection; `status` is the same listing.
    assert_eq!(
        env.read_config(),
        format!("{config_before}\n[connections.me]\nservice = \"oidc\"\n")
    );
    // (How soon it expires depends on the second the test reaches it.)
    env.cmd(&["status"])
        .stdout(
            "NAME  SERVICE  AUTH    STATUS     EXPIRES[..]REFRESH        SCOPES       STORE\n\
             me    oidc     oauth2  connected  in [..]lapse unknown  openid read  file\n",
        )
        .ok();
    env.cmd(&["connection", "show", "me"])
        .stdout(format!(
            "name           me\n\
             service        oidc (oauth2)\n\
             status         connected\n\
             expires        in [..] ([..]Z)\n\
             obtained       [..] ([..]Z)\n\
             scopes         openid read\n\
             refresh        yes\n\
             refresh token  lapse unknown: the provider does not say, and service `oidc` sets no `refresh_token_lifetime` or `refresh_token_idle`\n\
             store          file ({})\n\
             \n\
             Use it:\n  \
               # tether\n  \
               tether invoke me GET /\n  \
               # curl\n  \
               curl https://api/ -H 'Authorization: Bearer '\"$(tether token me)\"\n  \
               # script\n  \
               TOKEN=\"$(tether token me)\"\n  \
               # CI\n  \
               tether connection export me   # once; store the line as the CI secret TETHER_CONNECTION_ME\n  \
               export TETHER_CONNECTION_ME=\"$SECRET\"; tether invoke me GET /   # in the job\n",
            env.tokens_dir().display()
        ))
        .ok();
    let snippets = env.cmd(&["connection", "show", "me", "--json"]).ok().json()["snippets"].clone();
    assert_eq!(
        snippets,
        serde_json::json!({
            "invoke": "tether invoke me GET /",
            "curl": "curl https://api/ -H 'Authorization: Bearer '\"$(tether token me)\"",
            "token": "TOKEN=\"$(tether token me)\"",
            "ci": "tether connection export me   # once; store the line as the CI secret TETHER_CONNECTION_ME\n  export TETHER_CONNECTION_ME=\"$SECRET\"; tether invoke me GET /   # in the job",
        })
    );
    assert_eq!(server.grants("authorization_code"), 1);
    env.assert_never_printed(&server.secrets());
}

#[test]
fn confidential_clients_authenticate_as_configured() {
    let server = Oidc::start();
    // client_secret_basic, secret in the store.
    let env = env_with_service(&server, &oidc::CONFIDENTIAL, &[]);
    connect(&env, "basic", BrowserMode::Approve, &[])
        .stderr(prompt(&server, oidc::CONFIDENTIAL.id, "basic") + &stored(&env, "basic", "in 1h"))
        .ok();
    // client_secret_post: the server refuses Basic for this client.
    let env2 = env_with_service(&server, &oidc::POST, &["--client-auth", "body"]);
    connect(&env2, "post", BrowserMode::Approve, &[])
        .stderr(prompt(&server, oidc::POST.id, "post") + &stored(&env2, "post", "in 1h"))
        .ok();
    assert_eq!(server.grants("authorization_code"), 2);
    env.assert_never_printed(&server.secrets());
    env2.assert_never_printed(&server.secrets());
}

#[test]
fn a_forged_redirect_is_ignored_and_the_real_one_completes() {
    let server = Oidc::start();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    connect(&env, "me", BrowserMode::WrongStateFirst, &[])
        .stderr(connected(&server, &env, "me", "in 1h"))
        .ok();
    // What the browser got from tether's listener: a 404 for the icon, an
    // error page for the wrong state, then the page of success.
    let log = std::fs::read_to_string(env.root().join("browser.log")).unwrap();
    let provider = format!("browser: GET {}/", server.issuer);
    let at_listener: Vec<&str> = log
        .lines()
        .filter(|line| line.starts_with("browser: GET http://") && !line.starts_with(&provider))
        .collect();
    let iss = crate::util::form_encode(&server.issuer);
    let expected = [
        "browser: GET http://127.0.0.1:[..]/favicon.ico -> 404 [..]".to_string(),
        format!(
            "browser: GET http://127.0.0.1:[..]/callback?code=(redacted)&state=not-the-state-tether-sent&iss={iss} -> 400 [..]"
        ),
        format!(
            "browser: GET http://127.0.0.1:[..]/callback?code=(redacted)&state=[..]&iss={iss} -> 200 [..]"
        ),
    ];
    assert_eq!(at_listener.len(), expected.len(), "{log}");
    for (line, pattern) in at_listener.iter().zip(&expected) {
        assert!(
            line_matches(pattern, line),
            "`{line}` is not `{pattern}`:\n{log}"
        );
    }
    assert_eq!(
        env.cmd(&["status", "--json"]).ok().json()[0]["status"],
        "connected"
    );
}

#[test]
fn denied_consent_exits_7_with_the_providers_message_and_stores_nothing() {
    let server = Oidc::start();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    let config_before = env.read_config();
    connect(&env, "me", BrowserMode::Deny, &[])
        .stderr(denied(&server, "me"))
        .fails(7);
    assert_eq!(env.record("me"), None);
    assert_eq!(env.read_config(), config_before, "no half-made connection");
}

#[test]
fn no_redirect_in_time_exits_7() {
    let server = Oidc::start();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    let out = connect(&env, "me", BrowserMode::Nothing, &["--timeout", "1"])
        .stderr(
            prompt(&server, oidc::NATIVE.id, "me")
                + "tether: error: connection `me` was not authorized within 1s\n\
                   hint: run `tether connect me`\n",
        )
        .fails(7);
    assert!(out.elapsed < Duration::from_secs(10));
}

#[test]
fn a_busy_fixed_port_is_a_clear_error() {
    let server = Oidc::start();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let env = env_with_service(&server, &oidc::NATIVE, &["--redirect-port", &port]);
    connect(&env, "me", BrowserMode::Approve, &[])
        .stderr(format!(
            "tether: error: port {port} on 127.0.0.1 is busy, so the redirect cannot be received\n\
             hint: stop what uses it, or connect with `--port N` if the provider allows another port\n"
        ))
        .fails(2);
}

#[test]
fn with_no_browser_and_no_terminal_connect_fails_fast_with_the_url() {
    let server = Oidc::start();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    let out = env
        .cmd(&["connect", "me", "--service", "oidc"])
        .env("BROWSER", "/nonexistent/browser")
        .stderr(
            prompt(&server, oidc::NATIVE.id, "me")
                + "tether: warning: could not run $BROWSER (`/nonexistent/browser`): No such file or directory (os error 2)\n\
                   tether: error: connection `me` cannot be authorized here: no browser could be opened and there is no terminal to paste into\n\
                   hint: run `tether connect me`\n",
        )
        .fails(7);
    assert!(out.elapsed < Duration::from_secs(5));
}

/// What tether asks when the redirect comes back by hand.
pub const PASTE: &str = "Paste the URL the browser ended on (or the code), then press Enter:\n";

/// Runs `connect me --service oidc EXTRA…` with the test browser printing
/// the redirect instead of loading it, and pastes that into tether's stdin;
/// tether must say `expected` on stderr.
fn connect_by_pasting(env: &Env, extra: &[&str], expected: String) {
    let url_file = env.root().join("redirect.txt");
    let mut running = env
        .cmd(&[&["connect", "me", "--service", "oidc"], extra].concat())
        .env("TEST_BROWSER_OUT", &url_file)
        .env("TEST_BROWSER_LOG", env.root().join("browser.log"))
        .envs(oidc::browser_env(BrowserMode::Print))
        .stdin_piped()
        .stderr(expected)
        .spawn();
    // The browser is a process of its own: poll for what it writes.
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
    running.write_stdin(&format!("{}\n", pasted.trim()));
    running.ok();
    assert_eq!(
        env.cmd(&["status", "--json"]).ok().json()[0]["status"],
        "connected"
    );
}

#[test]
fn manual_paste_of_the_redirect_url() {
    let server = Oidc::start();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    connect_by_pasting(
        &env,
        &["--manual"],
        prompt(&server, oidc::NATIVE.id, "me") + PASTE + &stored(&env, "me", "in 1h"),
    );
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
    connect_by_pasting(
        &env,
        &[],
        format!(
            "The provider sends the browser to https://app.example.com/tether, which tether cannot receive: after consenting, copy the address the browser shows and paste it here.\n\
             Open this URL to authorize `me` (oidc):\n\
             \n  {}?response_type=code&client_id=tether-web&redirect_uri=https%3A%2F%2Fapp.example.com%2Ftether&scope=openid+read&state=[..]&code_challenge=[..]&code_challenge_method=S256\n\
             \n\
             {PASTE}",
            server.authorize_url()
        ) + &stored(&env, "me", "in 1h"),
    );
}

#[test]
fn a_failed_reconnect_keeps_the_old_tokens() {
    let server = Oidc::start();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    approve(&server, &env, "me");
    let before = std::fs::read(env.tokens_dir().join("me.json")).unwrap();
    connect(&env, "me", BrowserMode::Deny, &[])
        .stderr(denied(&server, "me"))
        .fails(7);
    assert_eq!(
        std::fs::read(env.tokens_dir().join("me.json")).unwrap(),
        before
    );
    // A successful re-connect replaces them with the newest tokens issued.
    approve(&server, &env, "me");
    let issued = server.issued_tokens();
    let after = env.record("me").unwrap();
    assert_eq!(
        [&after["access_token"], &after["refresh_token"]],
        [&issued[issued.len() - 2], &issued[issued.len() - 1]]
    );
    env.assert_never_printed(&server.secrets());
}

#[test]
fn connect_needs_a_service_for_a_new_connection() {
    let server = Oidc::start();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    env.cmd(&["connect", "me"])
        .stderr(
            "tether: error: connection `me` is new: which service does it connect?\n\
             hint: run `tether connect me --service SERVICE`\n",
        )
        .fails(2);
    env.cmd(&["connect", "me", "--service", "oidcc"])
        .stderr("tether: error: no service named `oidcc`\nhint: did you mean `oidc`?\n")
        .fails(2);
    // The server is there for the service's URLs; nothing reached it.
    assert_eq!(server.grants("authorization_code"), 0);
}

/// What the `auto` store says when no keyring answers, for this home.
pub fn no_keyring_warning(env: &Env) -> String {
    format!(
        "tether: warning: no OS keyring answered (zbus error: Failed to connect to address `unix:path=/nonexistent/tether-test-bus`: No such file or directory (os error 2)); keeping tokens in files under {} instead (set `store = \"file\"` in the config to choose this and silence this warning)\n",
        env.tokens_dir().display()
    )
}

#[test]
fn the_keyring_store_holds_tokens_in_a_real_secret_service() {
    let Some(keyring) = SecretService::start_or_skip() else {
        return;
    };
    let server = Oidc::start();
    let mut env = env_with_service(&server, &oidc::CONFIDENTIAL, &[]);
    env.set("DBUS_SESSION_BUS_ADDRESS", &keyring.bus_address);
    env.set("TETHER_STORE", "keyring");
    // The client secret went to the file store above; put it in the keyring.
    env.cmd(&["service", "edit", "oidc", "--client-secret-stdin"])
        .stdin(format!("{}\n", oidc::CONFIDENTIAL.secret.unwrap()))
        .stderr("Updated service `oidc`\n")
        .ok();
    connect(&env, "me", BrowserMode::Approve, &[])
        .stderr(
            prompt(&server, oidc::CONFIDENTIAL.id, "me")
                + "Connected `me` (oidc): expires in 1h, refreshable; tokens in keyring (Secret Service)\n\
                   Try it: tether invoke me GET /\n",
        )
        .ok();
    assert!(
        !env.tokens_dir().join("me.json").exists(),
        "nothing in the file store"
    );
    let list = env.cmd(&["status", "--json"]).ok().json();
    assert_eq!(list[0]["status"], "connected");
    assert_eq!(list[0]["store"], "keyring");
    env.cmd(&["connection", "remove", "me"])
        .stderr(
            "Service `oidc` has no revoke_url: the tokens stay valid at the provider until they expire\n\
             Deleted the tokens of `me` from keyring (Secret Service)\n\
             Removed connection `me` from the config\n",
        )
        .ok();
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
        .stderr(no_keyring_warning(&env))
        .ok();
    assert!(
        out.elapsed < Duration::from_secs(1),
        "took {:?}",
        out.elapsed
    );
    assert_eq!(out.json()[0]["store"], "file");
    assert_eq!(out.json()[0]["status"], "not connected");
}

#[test]
fn auto_still_finds_tokens_an_earlier_fallback_left_in_files() {
    let Some(keyring) = SecretService::start_or_skip() else {
        return;
    };
    let env = Env::new();
    env.write_config("[services.s]\nauth = \"bearer\"\n\n[connections.c]\nservice = \"s\"\n");
    // A run that found no keyring kept the token in a file...
    env.cmd(&["connect", "c", "--stdin"])
        .stdin("f1le-t0ken")
        .stderr(env.connected_static("c", "s"))
        .ok();
    assert!(env.tokens_dir().join("c.json").exists());
    // ...and a later run that reaches the keyring still uses it.
    let auto = |args: &[&str]| {
        env.cmd(args)
            .env_remove("TETHER_STORE")
            .env("DBUS_SESSION_BUS_ADDRESS", &keyring.bus_address)
    };
    auto(&["token", "c"]).stdout("f1le-t0ken\n").ok();
    auto(&["disconnect", "c"])
        .stderr("Deleted the tokens of `c` from keyring (Secret Service)\n")
        .ok();
    assert!(
        !env.tokens_dir().join("c.json").exists(),
        "the stale copy goes too"
    );
    auto(&["token", "c"])
        .stderr("tether: error: connection `c` is not connected\nhint: run `tether connect c`\n")
        .fails(7);
}
