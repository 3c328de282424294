//! OAuth 1.0a end to end, against oauthlib's provider endpoints
//! (`tests/oauth1/provider.py`): connect through the loopback callback and
//! through `oob` for the HMAC-SHA1, RSA-SHA1 and PLAINTEXT clients, signed
//! calls of every shape, the nonce check, a forged callback, a revoked
//! token, `token --header` used by curl, and no secret anywhere tether
//! writes or prints.

use std::process::Command;

use serde_json::Value;

use crate::util::oauth1::{
    self, Consent, HMAC_KEY, HMAC_SECRET, PLAIN_KEY, PLAIN_SECRET, Provider, RSA_KEY,
};
use crate::util::{Env, Output, http};

/// An environment with one service per signature method on `provider`:
/// `hmac` (HMAC-SHA1), `hmac256`, `rsa` (RSA-SHA1, its key in a 0600 file
/// beside the config) and `plain` (PLAINTEXT). The secrets come from the
/// environment.
fn env_with_services(provider: &Provider) -> Env {
    let mut env = Env::new();
    env.set("HMAC_SECRET", HMAC_SECRET);
    env.set("PLAIN_SECRET", PLAIN_SECRET);
    let config = [
        provider.service(
            "hmac",
            HMAC_KEY,
            "client_secret = { env = \"HMAC_SECRET\" }",
        ),
        provider.service(
            "hmac256",
            HMAC_KEY,
            "signature_method = \"HMAC-SHA256\"\nclient_secret = { env = \"HMAC_SECRET\" }",
        ),
        provider.service(
            "rsa",
            RSA_KEY,
            "signature_method = \"RSA-SHA1\"\nprivate_key = { file = \"rsa.pem\" }",
        ),
        provider.service(
            "plain",
            PLAIN_KEY,
            "signature_method = \"PLAINTEXT\"\nclient_secret = { env = \"PLAIN_SECRET\" }",
        ),
    ]
    .join("\n");
    env.write_config(&config);
    let key = env.config_path().with_file_name("rsa.pem");
    std::fs::copy(oauth1::dir().join("rsa_private_pkcs8.pem"), &key).unwrap();
    set_mode(&key, 0o600);
    env
}

/// [`env_with_services`] and one more HMAC-SHA1 service `name` with the
/// `extra` keys.
fn with_hmac_service(provider: &Provider, name: &str, extra: &str) -> Env {
    let env = env_with_services(provider);
    let keys = format!("client_secret = {{ env = \"HMAC_SECRET\" }}\n{extra}");
    env.write_config(&format!(
        "{}\n{}",
        env.read_config(),
        provider.service(name, HMAC_KEY, &keys)
    ));
    env
}

#[cfg(unix)]
fn set_mode(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// What `connect` prints before the user acts.
fn opened(name: &str, service: &str) -> String {
    format!(
        "Open this URL to authorize `{name}` ({service}):\n\n  {}/oauth/authorize?oauth_token=[..]\n\n",
        oauth1::provider().unwrap().url
    )
}

/// What `connect` prints once the token credentials are stored.
fn stored(env: &Env, name: &str, service: &str) -> String {
    format!(
        "Connected `{name}` ({service}): never expires, signed per request; tokens in file ({})\n\
         Try it: tether invoke {name} GET /\n",
        env.tokens_dir().display()
    )
}

/// Reads stderr up to the authorization URL tether prints.
fn authorization_url(run: &mut crate::util::Running<'_>) -> String {
    loop {
        let line = run.read_stderr_line();
        assert!(!line.is_empty(), "tether printed no authorization URL");
        if let Some(url) = line.trim().strip_prefix("http") {
            return format!("http{url}");
        }
    }
}

/// Connects `name` to `service` through the loopback callback; with
/// `forge`, a callback for another request token reaches the listener
/// first and is turned away.
fn connect_loopback(env: &Env, name: &str, service: &str, forge: bool) -> Output {
    let mut run = env
        .cmd(&["connect", name, "--service", service, "--no-browser"])
        .stderr(opened(name, service) + &stored(env, name, service))
        .spawn();
    let url = authorization_url(&mut run);
    let Consent::Redirect(callback) = oauth1::allow(&url) else {
        panic!("a loopback callback was asked for");
    };
    if forge {
        let token = query_value(&callback, "oauth_token");
        let forged = callback.replace(&token, "forgedrequesttoken000000000000");
        let reply = http::send("GET", &forged, &[], None);
        assert_eq!(reply.status, 400, "a forged callback is turned away");
    }
    let reply = http::send("GET", &callback, &[], None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.body.contains("Connected"), "{}", reply.body);
    run.ok()
}

/// Connects `name` with `--manual`: `oob`, the verifier typed on stdin.
fn connect_oob(env: &Env, name: &str, service: &str) -> Output {
    let mut run = env
        .cmd(&["connect", name, "--service", service, "--manual"])
        // A browser that opens nothing and says it did.
        .env("BROWSER", "true")
        .stdin_piped()
        .stderr(
            opened(name, service)
                + "Type the verification code the provider shows, then press Enter:\n"
                + &stored(env, name, service),
        )
        .spawn();
    let url = authorization_url(&mut run);
    let Consent::Verifier(verifier) = oauth1::allow(&url) else {
        panic!("oob was asked for");
    };
    run.write_stdin(&format!("{verifier}\n"));
    run.ok()
}

fn query_value(url: &str, name: &str) -> String {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// `invoke NAME ARGS…` with exit 0, its stdout as the provider's echo.
fn call(env: &Env, name: &str, args: &[&str]) -> Value {
    let mut argv = vec!["invoke", name];
    argv.extend_from_slice(args);
    env.cmd(&argv).ok().json()
}

/// The secrets no output may hold: the consumer secrets, the RSA key's
/// lines, and every token secret the provider issued.
fn secrets(provider: &Provider) -> Vec<String> {
    let key = std::fs::read_to_string(oauth1::dir().join("rsa_private_pkcs8.pem")).unwrap();
    let mut all: Vec<String> = key
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .map(str::to_string)
        .collect();
    all.push(HMAC_SECRET.into());
    all.push(PLAIN_SECRET.into());
    all.push(url::form_urlencoded::byte_serialize(PLAIN_SECRET.as_bytes()).collect());
    all.extend(provider.issued_secrets());
    all
}

/// Nothing tether wrote holds a secret: the config names where they live.
fn assert_no_secret_written(env: &Env, provider: &Provider) {
    let config = env.read_config();
    for secret in secrets(provider).iter().filter(|s| s.len() >= 8) {
        assert!(!config.contains(secret.as_str()), "a secret in the config");
    }
    env.assert_never_printed(&secrets(provider));
}

#[test]
fn every_signature_method_connects_through_the_callback_and_signs_calls() {
    let Some(provider) = oauth1::provider() else {
        return;
    };
    let env = env_with_services(provider);
    for (name, service, key, method) in [
        ("h", "hmac", HMAC_KEY, "HMAC-SHA1"),
        ("h256", "hmac256", HMAC_KEY, "HMAC-SHA256"),
        ("r", "rsa", RSA_KEY, "RSA-SHA1"),
        ("p", "plain", PLAIN_KEY, "PLAINTEXT"),
    ] {
        connect_loopback(&env, name, service, false);
        let record = env.record(name).unwrap();
        assert_eq!(record["auth"], "oauth1");
        // The token response's other fields are the connection's vars.
        assert_eq!(record["vars"]["user_id"], "1001", "{record}");
        assert_eq!(record["vars"]["screen_name"], "alice");
        let echo = call(&env, name, &["GET", "/me", "a==1", "b==two words"]);
        assert_eq!(echo["signature_method"], method);
        assert_eq!(echo["client_key"], key);
        assert_eq!(echo["token"], record["access_token"]);
        assert_eq!(echo["screen_name"], "alice");
        assert_eq!(
            echo["query"],
            serde_json::json!([["a", "1"], ["b", "two words"]])
        );
    }
    assert_no_secret_written(&env, provider);
}

#[test]
fn every_signature_method_connects_out_of_band() {
    let Some(provider) = oauth1::provider() else {
        return;
    };
    let env = env_with_services(provider);
    for (name, service) in [("h", "hmac"), ("r", "rsa"), ("p", "plain")] {
        connect_oob(&env, name, service);
        let echo = call(&env, name, &["GET", "/oob"]);
        assert_eq!(echo["path"], "/api/oob");
    }
    assert_no_secret_written(&env, provider);
}

#[test]
fn forms_are_signed_json_is_not_and_every_method_passes() {
    let Some(provider) = oauth1::provider() else {
        return;
    };
    let env = env_with_services(provider);
    connect_loopback(&env, "c", "hmac", false);
    let form = call(
        &env,
        "c",
        &[
            "POST",
            "/items",
            "--form",
            "name=a b+c",
            "sym=~*&é",
            "empty=",
        ],
    );
    assert_eq!(form["method"], "POST");
    assert_eq!(
        form["form"],
        serde_json::json!([["name", "a b+c"], ["sym", "~*&é"], ["empty", ""]])
    );
    let json = call(&env, "c", &["POST", "/items", "name=a", "n:=1"]);
    assert_eq!(json["form"], Value::Null);
    assert_eq!(json["body"], r#"{"name":"a","n":1}"#);
    let put = call(&env, "c", &["PUT", "/items/1", "--form", "name=b"]);
    assert_eq!(put["method"], "PUT");
    let delete = call(&env, "c", &["DELETE", "/items/1", "force==yes"]);
    assert_eq!(delete["method"], "DELETE");
    assert_eq!(delete["query"], serde_json::json!([["force", "yes"]]));
    // Every one of them passed oauthlib's signature check.
    let requests = provider.stats()["resource_requests"].clone();
    let mine: Vec<&Value> = requests
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["token"] == env.record("c").unwrap()["access_token"])
        .collect();
    assert_eq!(mine.len(), 4);
    assert!(mine.iter().all(|r| r["ok"] == true), "{mine:?}");
    assert_no_secret_written(&env, provider);
}

#[test]
fn identical_calls_at_once_each_carry_their_own_nonce() {
    let Some(provider) = oauth1::provider() else {
        return;
    };
    let env = env_with_services(provider);
    connect_loopback(&env, "c", "hmac", false);
    let runs: Vec<_> = (0..2)
        .map(|_| env.cmd(&["invoke", "c", "GET", "/same"]).spawn())
        .collect();
    for run in runs {
        run.ok();
    }
    let token = env.record("c").unwrap()["access_token"].clone();
    let stats = provider.stats();
    let same: Vec<&Value> = stats["resource_requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["token"] == token && r["path"] == "/api/same")
        .collect();
    assert_eq!(same.len(), 2);
    assert!(same.iter().all(|r| r["ok"] == true), "{same:?}");
    assert_ne!(same[0]["nonce"], same[1]["nonce"]);
}

#[test]
fn a_forged_callback_is_ignored_and_the_real_one_completes() {
    let Some(provider) = oauth1::provider() else {
        return;
    };
    let env = env_with_services(provider);
    connect_loopback(&env, "c", "hmac", true);
    assert_eq!(call(&env, "c", &["GET", "/after"])["path"], "/api/after");
}

#[test]
fn a_revoked_token_needs_authorization_and_other_refusals_are_http_errors() {
    let Some(provider) = oauth1::provider() else {
        return;
    };
    let env = env_with_services(provider);
    connect_loopback(&env, "c", "hmac", false);
    // A wrong consumer secret: the signature is refused, exit 4, and the
    // connection is not marked.
    env.cmd(&["invoke", "c", "GET", "/x"])
        .env("HMAC_SECRET", "not the consumer secret")
        .stderr(
            "tether: the provider refused the signed request: oauth_problem=signature_invalid\n\
             tether: HTTP 401 Unauthorized\n",
        )
        .fails(4);
    assert_eq!(env.record("c").unwrap().get("needs_authorization"), None);
    let token = env.record("c").unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    provider.revoke(&token);
    env.cmd(&["invoke", "c", "GET", "/x"])
        .stderr(
            "tether: error: connection `c` needs authorization again: the provider refused its token (token_revoked)\n\
             hint: run `tether connect c`\n",
        )
        .fails(7);
    assert_eq!(env.record("c").unwrap()["needs_authorization"], true);
    let status = env.cmd(&["status", "--json"]).ok().json();
    assert_eq!(status[0]["status"], "needs authorization");
    env.cmd(&["invoke", "c", "GET", "/x"])
        .stderr(
            "tether: error: connection `c` needs authorization: the provider refused its token\n\
             hint: run `tether connect c`\n",
        )
        .fails(7);
}

#[test]
fn a_token_header_works_for_curl() {
    let Some(provider) = oauth1::provider() else {
        return;
    };
    let env = env_with_services(provider);
    connect_loopback(&env, "c", "hmac", false);
    let url = format!("{}/api/curl?x=1", provider.url);
    let header = env
        .cmd(&["token", "c", "--header", "--method", "GET", "--url", &url])
        .ok()
        .stdout;
    assert!(header.starts_with("Authorization: OAuth "), "{header}");
    let out = Command::new("curl")
        .args(["-sS", "--fail", "-H", header.trim_end(), &url])
        .output()
        .expect("curl runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let echo: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(echo["path"], "/api/curl");
    // A URL off the allow-list gets no header.
    env.cmd(&[
        "token",
        "c",
        "--header",
        "--url",
        "https://elsewhere.example/x",
    ])
    .stderr(
        "tether: error: refusing to send the credential of `c` to elsewhere.example: not an allowed host\n\
         hint: if `elsewhere.example` is really this service's, pass `--allow-host elsewhere.example` or add it to `allowed_hosts`\n",
    )
    .fails(2);
    // Without a request, there is nothing to print.
    env.cmd(&["token", "c"])
        .stderr(
            "tether: error: connection `c` uses OAuth 1.0a: every request carries its own signature, so there is no token to print on its own\n\
             hint: print the header for one request with `tether token c --header --method GET --url URL`, or call the API with `tether invoke`\n",
        )
        .fails(2);
    let json = env.cmd(&["token", "c", "--json"]).ok().json();
    assert_eq!(json["token"], env.record("c").unwrap()["access_token"]);
    assert_eq!(json["signature_method"], "HMAC-SHA1");
    assert_eq!(json.get("token_secret"), None);
    let shown = env
        .cmd(&["token", "c", "--json", "--show-secrets"])
        .ok()
        .json();
    assert_eq!(
        shown["token_secret"],
        env.record("c").unwrap()["token_secret"]
    );
}

#[test]
fn verbose_dry_run_and_curl_show_no_secret() {
    let Some(provider) = oauth1::provider() else {
        return;
    };
    let env = env_with_services(provider);
    connect_loopback(&env, "p", "plain", false);
    let (status, out) = env.cmd(&["invoke", "p", "GET", "/v", "-v"]).spawn().end();
    assert!(status.success(), "{out}");
    assert!(out.stderr.contains("Authorization: "), "{}", out.stderr);
    let dry = env
        .cmd(&["invoke", "p", "POST", "/v", "--form", "a=b", "--dry-run"])
        .ok();
    assert!(dry.stdout.contains("Authorization: "), "{}", dry.stdout);
    let curl = env.cmd(&["invoke", "p", "GET", "/v", "--curl"]).ok();
    assert!(curl.stdout.starts_with("curl "), "{}", curl.stdout);
    // PLAINTEXT sends both secrets as its signature: none reached an output.
    assert_no_secret_written(&env, provider);
}

#[test]
fn remote_and_device_are_usage_errors() {
    let Some(provider) = oauth1::provider() else {
        return;
    };
    let env = env_with_services(provider);
    for flag in ["--remote", "--device"] {
        env.cmd(&["connect", "c", "--service", "hmac", flag])
            .stderr(format!(
                "tether: error: `{flag}` does not work with an OAuth 1.0a service\n\
                 hint: connect through the browser here, or pass `--manual` to type the code the provider shows\n"
            ))
            .fails(2);
    }
    assert_eq!(env.record("c"), None);
}

#[test]
fn disconnect_forgets_and_export_carries_an_oauth1_connection() {
    let Some(provider) = oauth1::provider() else {
        return;
    };
    let env = env_with_services(provider);
    connect_loopback(&env, "c", "rsa", false);
    let blob = env
        .cmd(&["connection", "export", "c"])
        .stderr("That line holds the tokens of `c`: keep it in a secret store, as `TETHER_CONNECTION_C`.\n")
        .ok()
        .stdout;
    let record = crate::util::blob_record(&blob);
    assert_eq!(record["auth"], "oauth1");
    assert!(record["token_secret"].is_string());
    // The blob alone, in CI: a new home with the config and the variable.
    let ci = env_with_services(provider);
    ci.write_config(&format!(
        "{}\n[connections.c]\nservice = \"rsa\"\n",
        ci.read_config()
    ));
    let echo = ci
        .cmd(&["invoke", "c", "GET", "/from-ci"])
        .env_remove("TETHER_STORE")
        .env("CI", "true")
        .env("TETHER_CONNECTION_C", blob.trim())
        .ok()
        .json();
    assert_eq!(echo["path"], "/api/from-ci");
    env.cmd(&["disconnect", "c"])
        .stderr(format!(
            "Service `rsa` has no revoke_url: the tokens stay valid at the provider until they expire\n\
             Deleted the tokens of `c` from file ({})\n",
            env.tokens_dir().display()
        ))
        .ok();
    assert_eq!(env.record("c"), None);
}

#[test]
fn a_service_added_with_flags_signs_with_a_private_key_file_only_its_owner_reads() {
    let Some(provider) = oauth1::provider() else {
        return;
    };
    let env = Env::new();
    let url = |path: &str| format!("{}{path}", provider.url);
    let key = env.root().join("keys/jira.pem");
    std::fs::create_dir_all(key.parent().unwrap()).unwrap();
    std::fs::copy(oauth1::dir().join("rsa_private_pkcs1.pem"), &key).unwrap();
    set_mode(&key, 0o644);
    env.cmd(&[
        "service",
        "add",
        "jira",
        "--auth",
        "oauth1",
        "--client-id",
        RSA_KEY,
        "--signature-method",
        "RSA-SHA1",
        "--private-key-file",
        "~/keys/jira.pem",
        "--request-token-url",
        &url("/oauth/request_token"),
        "--authorize-url",
        &url("/oauth/authorize"),
        "--access-token-url",
        &url("/oauth/access_token"),
        "--base-url",
        &url("/api"),
    ])
    .stderr(format!(
        "Added service `jira` (oauth1) to {}\nConnect it with `tether connect NAME --service jira`\n",
        env.config_path().display()
    ))
    .ok();
    assert!(
        env.read_config()
            .contains("private_key = { file = \"~/keys/jira.pem\" }"),
        "{}",
        env.read_config()
    );
    // Others may read the key: refused before anything is sent.
    env.cmd(&["connect", "j", "--service", "jira", "--no-browser"])
        .stderr(format!(
            "tether: error: could not read the private key of service `jira`: {0} is not private (mode 0644); refusing to read it (`chmod 600 {0}`)\n",
            key.display()
        ))
        .fails(1);
    set_mode(&key, 0o600);
    connect_loopback(&env, "j", "jira", false);
    let echo = call(&env, "j", &["GET", "/issues"]);
    assert_eq!(echo["signature_method"], "RSA-SHA1");
    assert_eq!(echo["client_key"], RSA_KEY);
    assert_no_secret_written(&env, provider);
}

#[test]
fn disconnect_revokes_the_token_credentials_where_the_service_has_a_revoke_url() {
    let Some(provider) = oauth1::provider() else {
        return;
    };
    let env = with_hmac_service(
        provider,
        "revoking",
        &format!("revoke_url = \"{}/oauth/invalidate_token\"", provider.url),
    );
    connect_loopback(&env, "c", "revoking", false);
    let blob = env
        .cmd(&["connection", "export", "c"])
        .stderr("[..]\n")
        .ok()
        .stdout;
    let deleted = format!(
        "Deleted the tokens of `c` from file ({})\n",
        env.tokens_dir().display()
    );
    env.cmd(&["disconnect", "c"])
        .stderr(format!(
            "Revoked the token credentials at the provider\n{deleted}"
        ))
        .ok();
    assert_eq!(env.record("c"), None);
    // The provider ended them: a copy made before no longer works.
    env.cmd(&["invoke", "c", "GET", "/after"])
        .env("TETHER_CONNECTION_C", blob.trim())
        .stderr(
            "tether: error: connection `c` needs authorization again: the provider refused its token (token_revoked)\n\
             hint: run `tether connect c`\n",
        )
        .fails(7);
    // A refused revocation is reported, and the local tokens go anyway.
    connect_loopback(&env, "c", "revoking", false);
    let token = env.record("c").unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    provider.revoke(&token);
    env.cmd(&["disconnect", "c"])
        .stderr(format!(
            "tether: warning: could not revoke the token credentials: the provider refused the revoke request of service `revoking` (HTTP 401): oauth_problem=token_revoked\n{deleted}"
        ))
        .ok();
    assert_eq!(env.record("c"), None);
    assert_eq!(
        provider.stats()["counts"]["invalidate_token"],
        serde_json::json!({ "ok": 1, "rejected": 1 })
    );
    assert_no_secret_written(&env, provider);
}

#[test]
fn a_body_hash_signs_a_json_body_where_the_provider_requires_one() {
    let Some(provider) = oauth1::provider() else {
        return;
    };
    let env = with_hmac_service(provider, "hashing", "body_hash = true");
    connect_loopback(&env, "plain", "hmac", false);
    connect_loopback(&env, "hashed", "hashing", false);
    // Without the hash, the endpoint that requires one refuses the call.
    env.cmd(&["invoke", "plain", "POST", "/hashed/items", "name=a"])
        .stderr(
            "tether: the provider refused the signed request: oauth_problem=parameter_absent\n\
             tether: HTTP 401 Unauthorized\n",
        )
        .fails(4);
    let json = call(&env, "hashed", &["POST", "/hashed/items", "name=a"]);
    assert_eq!(json["body_hash"], "valid");
    assert_eq!(json["body"], r#"{"name":"a"}"#);
    // A form body is signed as parameters, never hashed (the extension
    // leaves form bodies to RFC 5849 §3.4.1.3).
    let form = call(&env, "hashed", &["POST", "/items", "--form", "name=a"]);
    assert_eq!(form["body_hash"], "absent");
    assert_eq!(form["form"], serde_json::json!([["name", "a"]]));
}
