//! Custom trust: a service's `ca_file` adds a private CA to the platform's
//! roots for every request of that service — token, refresh, API,
//! revocation, discovery — and for no other service; `SSL_CERT_FILE`
//! replaces the platform's roots as OpenSSL reads it.

use serde_json::json;

use crate::util::Env;
use crate::util::server::Reply;
use crate::util::tls::{TestCa, TlsServer};

/// A self-hosted provider and API behind a private CA: a token endpoint
/// (client credentials, then refreshes), a revocation endpoint, a
/// discovery document, and an API that says which token it got.
fn corp_server(ca: &TestCa) -> TlsServer {
    TlsServer::start(
        ca,
        std::time::Duration::ZERO,
        |request, port| match request.path.as_str() {
            "/token" => {
                let form = crate::util::form_map(&request.body);
                let access = match form["grant_type"].as_str() {
                    "client_credentials" => "corp_at_1",
                    _ => "corp_at_2",
                };
                Reply::json(
                    200,
                    &json!({ "access_token": access, "token_type": "Bearer", "expires_in": 3600, "refresh_token": "corp_rt" }),
                )
            }
            "/revoke" => Reply::json(200, &json!({})),
            "/.well-known/openid-configuration" => {
                let base = format!("https://127.0.0.1:{port}");
                Reply::json(
                    200,
                    &json!({
                        "issuer": base,
                        "authorization_endpoint": format!("{base}/authorize"),
                        "token_endpoint": format!("{base}/token"),
                        "revocation_endpoint": format!("{base}/revoke"),
                    }),
                )
            }
            path => Reply::json(
                200,
                &json!({ "path": path, "authorization": request.header("authorization") }),
            ),
        },
    )
}

#[test]
fn a_service_s_ca_file_is_trusted_for_every_request_of_that_service_only() {
    let ca = TestCa::new();
    let server = corp_server(&ca);
    let mut env = Env::new();
    env.set("CORP_SECRET", "corp-secret-19af");
    env.write_config(&format!(
        "[services.corp]\nauth = \"client_credentials\"\nclient_id = \"tether\"\n\
         client_secret = {{ env = \"CORP_SECRET\" }}\ntoken_url = \"{token}\"\n\
         revoke_url = \"{revoke}\"\nbase_url = \"{api}\"\nca_file = \"corp-ca.pem\"\n\n\
         [services.other]\nauth = \"bearer\"\nbase_url = \"{api}\"\n",
        token = server.url("/token"),
        revoke = server.url("/revoke"),
        api = server.url("/api"),
    ));
    // Relative to the config file's folder.
    std::fs::copy(&ca.ca_pem, env.config_path().with_file_name("corp-ca.pem")).unwrap();

    env.cmd(&["connect", "c", "--service", "corp"])
        .stderr("Connected `c` (corp): expires [..]\nTry it: tether invoke c GET /\n")
        .ok();
    env.cmd(&["invoke", "c", "GET", "/things"])
        .stdout(r#"{"path":"/api/things","authorization":"Bearer corp_at_1"}"#)
        .ok();
    env.age_record("c", 3600);
    env.cmd(&["invoke", "c", "GET", "/things"])
        .stdout(r#"{"path":"/api/things","authorization":"Bearer corp_at_2"}"#)
        .ok();

    // Another service on the same host does not trust the CA.
    env.cmd(&["connect", "o", "--service", "other", "--stdin"])
        .stdin("other-token-7731")
        .stderr(env.connected_static("o", "other"))
        .ok();
    let hits = server.received().len();
    env.cmd(&["invoke", "o", "GET", "/things"])
        .stderr(
            "tether: error: GET https://127.0.0.1:[..]/api/things: [..]certificate[..]\n\
             hint: check the network and the URL, then try again\n",
        )
        .fails(6);
    assert_eq!(server.received().len(), hits, "no request got through");

    env.cmd(&["disconnect", "c"])
        .stderr(format!(
            "Revoked the refresh token at the provider\n\
             Revoked the access token at the provider\n\
             Deleted the tokens of `c` from file ({})\n",
            env.tokens_dir().display()
        ))
        .ok();
    let paths: Vec<String> = server.received().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        paths,
        [
            "/token",
            "/api/things",
            "/token",
            "/api/things",
            "/revoke",
            "/revoke"
        ]
    );
}

#[test]
fn discovery_trusts_the_ca_file_given_with_the_issuer() {
    let ca = TestCa::new();
    let server = corp_server(&ca);
    let env = Env::new();
    let ca_pem = ca.ca_pem.display().to_string();
    env.cmd(&[
        "service",
        "add",
        "corp",
        "--issuer",
        &server.url(""),
        "--client-id",
        "tether",
        "--ca-file",
        &ca_pem,
    ])
    .stderr(format!(
        "Found the metadata of {base}:\n  \
         authorize_url             {base}/authorize\n  \
         token_url                 {base}/token\n  \
         revoke_url                {base}/revoke\n  \
         device_authorization_url  (none)\n\
         Added service `corp` (oauth2) to {}\n\
         Connect it with `tether connect NAME --service corp`\n",
        env.config_path().display(),
        base = server.url(""),
    ))
    .ok();
    let config = env.read_config();
    assert!(
        config.contains(&format!("token_url = \"{}\"", server.url("/token"))),
        "{config}"
    );
    assert!(
        config.contains(&format!("ca_file = \"{ca_pem}\"")),
        "{config}"
    );
}

#[test]
fn ssl_cert_file_replaces_the_platform_roots() {
    let ca = TestCa::new();
    let server = corp_server(&ca);
    let env = Env::new();
    env.write_config(&format!(
        "[services.api]\nauth = \"bearer\"\nbase_url = \"{}\"\n",
        server.url("/api")
    ));
    env.cmd(&["connect", "c", "--service", "api", "--stdin"])
        .stdin("api-token-5512")
        .stderr(env.connected_static("c", "api"))
        .ok();
    env.cmd(&["invoke", "c", "GET", "/x"])
        .env("SSL_CERT_FILE", &ca.ca_pem)
        .stdout(r#"{"path":"/api/x","authorization":"Bearer api-token-5512"}"#)
        .ok();
}

#[test]
fn a_ca_file_without_certificates_is_refused() {
    let env = Env::new();
    let pem = env.root().join("empty.pem");
    std::fs::write(&pem, "not a certificate\n").unwrap();
    env.write_config(&format!(
        "[services.api]\nauth = \"bearer\"\nbase_url = \"https://127.0.0.1:1/api\"\nca_file = \"{}\"\n",
        pem.display()
    ));
    env.cmd(&["connect", "c", "--service", "api", "--stdin"])
        .stdin("api-token-5512")
        .stderr(env.connected_static("c", "api"))
        .ok();
    env.cmd(&["invoke", "c", "GET", "/x"])
        .stderr(format!(
            "tether: error: {}: not a PEM file of certificates: it holds no PEM certificate\n\
             hint: `ca_file` names a file of `-----BEGIN CERTIFICATE-----` blocks (PEM)\n",
            pem.display()
        ))
        .fails(2);
}
