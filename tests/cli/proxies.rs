//! One client policy for every request tether makes: plain http goes only
//! to loopback hosts, straight there, never through a proxy, which would
//! read client secrets, codes and tokens in cleartext.
//!
//! A recording proxy stands behind every proxy variable while tether
//! discovers a provider, connects three ways (code, device, client
//! credentials), calls an API, refreshes and revokes, all against the
//! loopback authorization server: the proxy must see nothing.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::connect::{connect, prompt, stored};
use crate::util::Env;
use crate::util::api::Api;
use crate::util::oidc::{self, BrowserMode, Oidc};

/// A proxy that records the request line of each request it gets (never
/// a header or body, which may hold a secret) and answers 502.
struct RecordingProxy {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

impl RecordingProxy {
    fn start() -> RecordingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        // Lives until the test binary ends: it only ever blocks in accept.
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let line = request_line(&stream);
                record.lock().unwrap().push(line);
                let _ = (&stream).write_all(
                    b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
            }
        });
        RecordingProxy { url, seen }
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

fn request_line(stream: &TcpStream) -> String {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut line = String::new();
    let _ = BufReader::new(stream).read_line(&mut line);
    line.trim_end().to_string()
}

/// The variables reqwest, curl and most tools read a proxy from; the
/// `NO_PROXY` ones are emptied so that nothing exempts loopback but tether.
fn behind(env: &mut Env, proxy: &RecordingProxy) {
    for var in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        env.set(var, &proxy.url);
    }
    env.set("NO_PROXY", "");
    env.set("no_proxy", "");
}

#[test]
fn no_request_to_a_loopback_provider_goes_through_a_proxy() {
    let server = Oidc::start();
    let proxy = RecordingProxy::start();
    let mut env = Env::new();
    behind(&mut env, &proxy);

    let steps = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        every_kind_of_request(&server, &env)
    }));
    let seen = proxy.seen();
    assert!(seen.is_empty(), "the proxy saw {seen:?}");
    if let Err(panic) = steps {
        std::panic::resume_unwind(panic);
    }
    env.assert_never_printed(&server.secrets());
}

/// Discovery, the code flow of a confidential client, a call, a refresh,
/// the device grant, client credentials and revocation.
fn every_kind_of_request(server: &Oidc, env: &Env) {
    let resource = server.resource_url("");
    env.cmd(&[
        "service",
        "add",
        "oidc",
        "--issuer",
        &server.issuer,
        "--client-id",
        oidc::CONFIDENTIAL.id,
        "--client-secret-stdin",
        "--scope",
        "openid",
        "--scope",
        "read",
        "--base-url",
        resource.trim_end_matches('/'),
    ])
    .stdin(oidc::CONFIDENTIAL.secret.unwrap())
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

    connect(env, "me", BrowserMode::Approve, &[])
        .stderr(prompt(server, oidc::CONFIDENTIAL.id, "me") + &stored(env, "me", "in [..]"))
        .ok();
    let called = env.cmd(&["invoke", "me", "GET", "/hello"]).ok().json();
    assert_eq!(called["path"], "/hello");

    env.age_record("me", 3600);
    let called = env.cmd(&["invoke", "me", "GET", "/again"]).ok().json();
    assert_eq!(called["path"], "/again");
    assert_eq!(server.grants("refresh_token"), 1);

    env.cmd(&[
        "connect",
        "tv",
        "--service",
        "oidc",
        "--device",
        "--timeout",
        "60",
    ])
    .envs(oidc::browser_env(BrowserMode::Approve))
    .env("TEST_BROWSER_LOG", env.root().join("browser.log"))
    .stderr(format!(
        "To authorize `tv` (oidc), open {}/device and enter the code:\n\
             \n  [..]-[..]\n\
             \n{}",
        server.issuer,
        stored(env, "tv", "in [..]")
    ))
    .ok();
    assert_eq!(
        server.grants("urn:ietf:params:oauth:grant-type:device_code"),
        1
    );

    env.add_client_credentials(
        "m2m",
        oidc::MACHINE.id,
        &server.token_url(),
        &["--client-secret-stdin"],
    )
    .stdin(oidc::MACHINE.secret.unwrap())
    .stderr(format!(
        "Added service `m2m` (client_credentials) to {}\n\
         Connect it with `tether connect NAME --service m2m`\n",
        env.config_path().display()
    ))
    .ok();
    env.cmd(&["connect", "robot", "--service", "m2m"])
        .stderr(format!(
            "Connected `robot` (m2m): expires in [..], renewed when due; tokens in file ({})\n\
             Try it: tether invoke robot GET /\n",
            env.tokens_dir().display()
        ))
        .ok();

    env.cmd(&["disconnect", "me"])
        .stderr(format!(
            "Revoked the refresh token at the provider\n\
             Revoked the access token at the provider\n\
             Deleted the tokens of `me` from file ({})\n",
            env.tokens_dir().display()
        ))
        .ok();
}

/// Plain http to a host that is not loopback is never sent, not even as
/// a hop of a redirect that carries no credential: `invoke` stops at the
/// redirect (exit 3) and `-v` says why.
#[test]
fn a_redirect_to_plain_http_off_loopback_is_not_followed() {
    let api = Api::start();
    let env = Env::new();
    env.write_config(&format!(
        "[services.api]\nauth = \"bearer\"\nbase_url = \"{}/echo\"\n\n[connections.c]\nservice = \"api\"\n",
        api.base
    ));
    env.cmd(&["connect", "c", "--stdin"])
        .stdin("tok-0123456789\n")
        .stderr(env.connected_static("c", "api"))
        .ok();
    let first = api.url("/redirect/cross?to=http://api.example.com/x");
    env.cmd(&["invoke", "c", "GET", &first, "-v"])
        .stderr(format!(
            "GET {first} HTTP/1.1\n\
             Authorization: Bearer (redacted)\n\
             \n\
             HTTP/1.1 302 Found\n\
             server: tiny-http (Rust)\n\
             date: [..]\n\
             content-type: application/json\n\
             location: http://api.example.com/x\n\
             content-length: [..]\n\
             \n\
             tether: not following the redirect to plain http on api.example.com: tether sends plain http only to loopback hosts\n\n"
        ))
        .fails(3);
    assert_eq!(api.hits(), 1);
}
