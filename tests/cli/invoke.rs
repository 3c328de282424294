//! `tether invoke` against a local API server that records what arrives:
//! methods and request items, URLs and vars, redirects, retries, exit codes
//! and output forms, and the rule that a credential goes only where it may.

use crate::util::Env;
use crate::util::api::{Api, ApiOptions};
use crate::util::oidc::{self, Oidc};

const TOKEN: &str = "tok-7f3a9c2e1b";

/// An env with a bearer service whose base_url is `api`'s `/echo`, and a
/// connection `c` holding [`TOKEN`].
fn bearer_env(api: &Api) -> Env {
    let env = Env::new();
    env.write_config(&format!(
        "[services.api]\nauth = \"bearer\"\nbase_url = \"{}/echo\"\n\n[connections.c]\nservice = \"api\"\n",
        api.base
    ));
    env.cmd(&["connect", "c", "--stdin"])
        .stdin(format!("{TOKEN}\n"))
        .ok();
    env
}

#[test]
fn every_method_and_kind_of_item_arrives_exactly_as_sent() {
    let api = Api::start();
    let env = bearer_env(&api);
    for method in ["GET", "post", "PUT", "Patch", "DELETE", "HEAD"] {
        env.cmd(&[
            "invoke",
            "c",
            method,
            "/things/{id}",
            "--var",
            "id=42",
            "q==a b",
            "X-Trace:abc",
        ])
        .ok();
        let got = api.last();
        assert_eq!(got.method, method.to_ascii_uppercase());
        assert_eq!(got.path, "/echo/things/42");
        assert_eq!(got.param("q"), Some("a b"));
        assert_eq!(got.header("x-trace"), Some("abc"));
        assert_eq!(
            got.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert!(got.body.is_empty());
    }

    // JSON fields: strings, raw JSON, from files; escapes.
    std::fs::write(env.root().join("note.txt"), "from a file").unwrap();
    std::fs::write(env.root().join("list.json"), "[1, 2]").unwrap();
    env.cmd(&[
        "invoke",
        "c",
        "POST",
        "/new",
        "name=ann",
        "age:=30",
        "tags:=[\"a\",\"b\"]",
        "ok:=true",
        "note=@note.txt",
        "nums:=@list.json",
        r"a\=b=c",
    ])
    .ok();
    let got = api.last();
    assert_eq!(got.header("content-type"), Some("application/json"));
    assert_eq!(got.header("accept"), Some("application/json, */*;q=0.5"));
    assert_eq!(
        String::from_utf8(got.body).unwrap(),
        r#"{"name":"ann","age":30,"tags":["a","b"],"ok":true,"note":"from a file","nums":[1,2],"a=b":"c"}"#
    );

    // Form encoding, and removing a default header.
    env.cmd(&[
        "invoke", "c", "POST", "/form", "--form", "a=1", "b=x y", "c=&=",
    ])
    .ok();
    let got = api.last();
    assert_eq!(
        got.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(got.body, b"a=1&b=x+y&c=%26%3D");
    env.cmd(&["invoke", "c", "PUT", "/json", "k=v", "Accept:"])
        .ok();
    assert_ne!(
        api.last().header("accept"),
        Some("application/json, */*;q=0.5")
    );

    // A raw body from a file and from stdin.
    std::fs::write(env.root().join("raw.bin"), b"\x00raw\xff").unwrap();
    env.cmd(&[
        "invoke",
        "c",
        "POST",
        "/raw",
        "--body",
        "@raw.bin",
        "Content-Type:application/octet-stream",
    ])
    .ok();
    assert_eq!(api.last().body, b"\x00raw\xff");
    env.cmd(&["invoke", "c", "POST", "/raw", "@raw.bin"]).ok();
    assert_eq!(api.last().body, b"\x00raw\xff");
    env.cmd(&["invoke", "c", "PATCH", "/raw", "--body", "-"])
        .stdin("piped in")
        .ok();
    assert_eq!(api.last().body, b"piped in");

    // Bad items are usage errors that reach no server.
    let hits = api.hits();
    let out = env
        .cmd(&["invoke", "c", "POST", "/x", "n:=not json"])
        .fails(2);
    assert!(out.stderr.contains("n:=not json"), "{out}");
    env.cmd(&["invoke", "c", "POST", "/x", "plain"]).fails(2);
    env.cmd(&["invoke", "c", "FETCH", "/x"]).fails(2);
    env.cmd(&["invoke", "c", "GET", "/x/{missing}"]).fails(2);
    assert_eq!(api.hits(), hits);
}

#[test]
fn urls_resolve_against_base_url_and_vars() {
    let api = Api::start();
    let env = Env::new();
    env.write_config(&format!(
        "[services.api]\nauth = \"bearer\"\nbase_url = \"{}/{{area}}/v1\"\n\n\
         [connections.c]\nservice = \"api\"\nvars = {{ area = \"echo\", team = \"blue\" }}\n",
        api.base
    ));
    env.cmd(&["connect", "c", "--stdin"]).stdin(TOKEN).ok();
    env.cmd(&["invoke", "c", "GET", "teams/{team}/members"])
        .ok();
    assert_eq!(api.last().path, "/echo/v1/teams/blue/members");
    env.cmd(&["invoke", "c", "GET", "/teams/{team}", "--var", "team=red"])
        .ok();
    assert_eq!(api.last().path, "/echo/v1/teams/red");
    env.cmd(&["invoke", "c", "GET", &api.url("/echo/absolute?x=1")])
        .ok();
    assert_eq!(api.last().path, "/echo/absolute");
    assert_eq!(api.last().param("x"), Some("1"));
}

#[test]
fn exit_codes_follow_the_status_and_the_body_is_still_printed() {
    let api = Api::start();
    let env = Env::new();
    env.write_config(&format!(
        "[services.api]\nauth = \"bearer\"\nbase_url = \"{}\"\n\n[connections.c]\nservice = \"api\"\n",
        api.base
    ));
    env.cmd(&["connect", "c", "--stdin"]).stdin(TOKEN).ok();
    let out = env.cmd(&["invoke", "c", "GET", "/status/404"]).fails(4);
    assert_eq!(out.stdout, r#"{"status":404}"#);
    env.cmd(&["invoke", "c", "GET", "/status/500"]).fails(5);
    env.cmd(&["invoke", "c", "GET", "/status/302"]).fails(3);
    env.cmd(&["invoke", "c", "GET", "/status/503", "--no-fail"])
        .ok();
    let envelope = env
        .cmd(&["invoke", "c", "GET", "/status/418", "--json"])
        .fails(4)
        .json();
    assert_eq!(envelope["status"], 418);
    assert_eq!(envelope["body"]["status"], 418);

    // Retries for idempotent methods honour Retry-After.
    env.cmd(&["invoke", "c", "GET", "/flaky/2/a"]).fails(5);
    let before = api.hits();
    env.cmd(&["invoke", "c", "GET", "/flaky/2/b", "--retries", "3"])
        .ok();
    assert_eq!(api.hits() - before, 3);
    env.cmd(&["invoke", "c", "POST", "/flaky/1/c", "--retries", "3"])
        .fails(5);

    // -o writes the bytes as they came.
    let out_file = env.root().join("out.bin");
    env.cmd(&[
        "invoke",
        "c",
        "GET",
        "/bytes",
        "-o",
        out_file.to_str().unwrap(),
    ])
    .ok();
    assert_eq!(std::fs::read(&out_file).unwrap(), crate::util::api::BYTES);
    let out = env.cmd(&["invoke", "c", "GET", "/bytes"]).ok();
    assert!(out.stdout.contains("bin"), "raw bytes to a pipe:\n{out}");

    // Nothing listening: a network failure.
    let out = env
        .cmd(&[
            "invoke",
            "c",
            "GET",
            "http://127.0.0.1:1/x",
            "--allow-host",
            "127.0.0.1:1",
        ])
        .fails(6);
    assert!(out.stderr.contains("could not connect"), "{out}");
}

#[test]
fn credentials_go_only_where_they_may() {
    let api = Api::start();
    let other = Api::start();
    let env = bearer_env(&api);

    // A foreign host is refused before anything is sent.
    let out = env
        .cmd(&["invoke", "c", "GET", "https://api.example.com/x"])
        .fails(2);
    assert!(
        out.stderr
            .contains("refusing to send the credential of `c` to api.example.com"),
        "{out}"
    );
    assert!(out.stderr.contains("--allow-host api.example.com"), "{out}");
    let out = env
        .cmd(&["invoke", "c", "GET", &other.url("/echo/x")])
        .fails(2);
    assert!(
        out.stderr.contains("refusing"),
        "another port is another origin:\n{out}"
    );
    let out = env
        .cmd(&[
            "invoke",
            "c",
            "GET",
            "http://api.example.com/x",
            "--allow-host",
            "api.example.com",
        ])
        .fails(2);
    assert!(out.stderr.contains("plain http"), "{out}");
    assert_eq!(api.hits() + other.hits(), 0);

    // Same-origin redirects keep it; a cross-origin one drops it.
    env.cmd(&[
        "invoke",
        "c",
        "GET",
        &api.url("/redirect/same?to=/echo/landed"),
    ])
    .ok();
    assert_eq!(api.last().path, "/echo/landed");
    assert_eq!(
        api.last().header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    let target = other.url("/echo/elsewhere");
    let out = env
        .cmd(&[
            "invoke",
            "c",
            "GET",
            &api.url(&format!("/redirect/cross?to={target}")),
            "-v",
            "Cookie:a=b",
        ])
        .ok();
    assert_eq!(other.last().path, "/echo/elsewhere");
    assert_eq!(
        other.last().header("authorization"),
        None,
        "no credential across origins"
    );
    assert_eq!(other.last().header("cookie"), None);
    assert!(out.stderr.contains("the credential stays behind"), "{out}");
    // 303 turns a POST into a GET without a body.
    env.cmd(&["invoke", "c", "POST", &api.url("/redirect/303"), "a=1"])
        .ok();
    assert_eq!(
        (api.last().method.as_str(), api.last().path.as_str()),
        ("GET", "/echo/after-303")
    );
    assert!(api.last().body.is_empty());

    // -v shows the heads with the credential redacted.
    let out = env.cmd(&["invoke", "c", "POST", "/v", "a=1", "-v"]).ok();
    assert!(
        out.stderr.contains("Authorization: Bearer (redacted)"),
        "{out}"
    );
    assert!(out.stderr.contains("HTTP/1.1 200"), "{out}");
    let dry = env.cmd(&["invoke", "c", "DELETE", "/d", "--dry-run"]).ok();
    assert!(
        dry.stdout
            .starts_with(&format!("DELETE {}/echo/d HTTP/1.1\n", api.base)),
        "{dry}"
    );
    assert!(
        dry.stdout.contains("Authorization: Bearer (redacted)"),
        "{dry}"
    );
    let curl = env.cmd(&["invoke", "c", "DELETE", "/d", "--curl"]).ok();
    assert!(
        curl.stdout
            .contains("-H 'Authorization: Bearer '\"$(tether token c)\""),
        "{curl}"
    );
    // The echo server prints the header back in its bodies; on stderr, in
    // -v output, dry runs and curl commands the token never appears.
    assert!(!out.stderr.contains(TOKEN), "{out}");
    assert!(!dry.stdout.contains(TOKEN) && !curl.stdout.contains(TOKEN));
}

#[test]
fn api_keys_basic_and_bearer_arrive_exactly_right() {
    let api = Api::start();
    let env = Env::new();
    env.write_config(&format!(
        "[services.header]\nauth = \"api_key\"\napi_key_header = \"X-Api-Key\"\napi_key_prefix = \"Key \"\nbase_url = \"{0}\"\n\n\
         [services.query]\nauth = \"api_key\"\napi_key_query = \"key\"\nbase_url = \"{0}\"\n\n\
         [services.basic]\nauth = \"basic\"\nbase_url = \"{0}\"\n\n\
         [services.bearer]\nauth = \"bearer\"\nbase_url = \"{0}\"\n\n\
         [connections.h]\nservice = \"header\"\n\n[connections.q]\nservice = \"query\"\n\n\
         [connections.b]\nservice = \"basic\"\n\n[connections.t]\nservice = \"bearer\"\n",
        api.base
    ));
    for (name, extra) in [
        ("h", &[][..]),
        ("q", &[][..]),
        ("b", &["--username", "ann"][..]),
        ("t", &[][..]),
    ] {
        env.cmd(&[&["connect", name, "--stdin"], extra].concat())
            .stdin("s3cret-k3y-value\n")
            .ok();
    }
    env.cmd(&["invoke", "h", "GET", "/apikey"]).ok();
    assert_eq!(api.last().header("x-api-key"), Some("Key s3cret-k3y-value"));
    assert_eq!(api.last().header("authorization"), None);
    env.cmd(&["invoke", "q", "GET", "/apikey", "page==2"]).ok();
    assert_eq!(api.last().param("key"), Some("s3cret-k3y-value"));
    assert_eq!(api.last().param("page"), Some("2"));
    let out = env.cmd(&["invoke", "b", "GET", "/basic"]).ok();
    let echoed: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(echoed["basic_user"], "ann");
    assert_eq!(echoed["basic_password"], "s3cret-k3y-value");
    env.cmd(&["invoke", "t", "GET", "/apikey"]).ok();
    assert_eq!(
        api.last().header("authorization"),
        Some("Bearer s3cret-k3y-value")
    );

    // Each is refused for a foreign host, and redacted in -v.
    let hits = api.hits();
    for name in ["h", "q", "b", "t"] {
        let out = env
            .cmd(&["invoke", name, "GET", "https://evil.example.net/x"])
            .fails(2);
        assert!(out.stderr.contains("refusing"), "{name}: {out}");
        let out = env.cmd(&["invoke", name, "GET", "/status/204", "-v"]).ok();
        assert!(out.stderr.contains("(redacted)"), "{name}: {out}");
        assert!(!out.stderr.contains("s3cret"), "{name}: {out}");
        let base64_basic = "YW5uOnMzY3JldC1rM3ktdmFsdWU=";
        assert!(!out.stderr.contains(base64_basic), "{name}: {out}");
    }
    assert_eq!(api.hits() - hits, 4, "the refused requests were never sent");
    assert_eq!(env.cmd(&["token", "q"]).ok().stdout, "s3cret-k3y-value\n");
    let status = env.cmd(&["status", "--json"]).ok().json();
    assert!(
        status
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] == "connected")
    );
}

#[test]
fn an_api_validating_tokens_by_introspection_sees_the_connections_token() {
    let server = Oidc::start();
    let api = Api::start_with(ApiOptions::introspect(
        &server.introspection_url(),
        oidc::API.id,
        oidc::API.secret.unwrap(),
    ));
    let env = crate::connect::env_with_service(
        &server,
        &oidc::NATIVE,
        &["--base-url", &api.url("/protected")],
    );
    assert_eq!(
        crate::connect::connect(&env, "me", oidc::BrowserMode::Approve, &[]).code,
        0
    );
    let out = env.cmd(&["invoke", "me", "GET", "/whoami"]).ok();
    let echoed: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(echoed["sub"], "alice");
    assert_eq!(echoed["path"], "/protected/whoami");
    assert!(!out.stderr.contains(&server.issued_tokens()[0]));
}

#[test]
fn an_api_key_in_the_query_reaches_no_message_and_no_proxy() {
    let api = Api::start();
    let proxy = Api::start();
    let env = Env::new();
    env.write_config(&format!(
        "[services.q]\nauth = \"api_key\"\napi_key_query = \"key\"\nbase_url = \"{}\"\n\n[connections.q]\nservice = \"q\"\n",
        api.base
    ));
    env.cmd(&["connect", "q", "--stdin"])
        .stdin("k3y-in-the-query")
        .ok();
    // The envelope names the URL without the key.
    let envelope = env
        .cmd(&["invoke", "q", "GET", "/echo/x", "--json"])
        .ok()
        .json();
    assert_eq!(envelope["url"], format!("{}/echo/x", api.base));
    // A network failure names the URL without the key.
    let out = env
        .cmd(&[
            "invoke",
            "q",
            "GET",
            "http://127.0.0.1:1/x",
            "--allow-host",
            "127.0.0.1:1",
        ])
        .fails(6);
    assert!(!out.stderr.contains("k3y-in-the-query"), "{out}");
    // A proxy from the environment never sees a loopback request.
    env.cmd(&["invoke", "q", "GET", "/echo/y"])
        .env("HTTP_PROXY", &proxy.base)
        .env("http_proxy", &proxy.base)
        .ok();
    assert_eq!(proxy.hits(), 0);
    assert_eq!(api.last().path, "/echo/y");
    let out = env
        .cmd(&[
            "invoke",
            "q",
            "GET",
            "/x",
            "--timeout",
            "18446744073709551615",
        ])
        .fails(2);
    assert!(out.stderr.contains("--timeout"), "{out}");
}

#[test]
fn a_base_url_var_cannot_move_the_request_to_another_host() {
    let api = Api::start();
    let env = Env::new();
    env.write_config(&format!(
        "[services.mc]\nauth = \"bearer\"\nbase_url = \"https://{{dc}}.api.example.com/3.0\"\n\n\
         [services.local]\nauth = \"bearer\"\nbase_url = \"{}\"\n\n\
         [connections.mc]\nservice = \"mc\"\n\n[connections.l]\nservice = \"local\"\n",
        api.base
    ));
    env.cmd(&["connect", "mc", "--stdin"]).stdin(TOKEN).ok();
    for evil in [
        "dc=evil.example.net#",
        "dc=evil.example.net/",
        "dc=x@evil.example.net",
    ] {
        let out = env
            .cmd(&["invoke", "mc", "GET", "/lists", "--var", evil, "--dry-run"])
            .fails(2);
        assert!(out.stderr.contains("the value of `dc`"), "{evil}: {out}");
    }
    let out = env
        .cmd(&[
            "invoke",
            "mc",
            "GET",
            "/lists",
            "--var",
            "dc=us21",
            "--dry-run",
        ])
        .ok();
    assert!(
        out.stdout
            .starts_with("GET https://us21.api.example.com/3.0/lists "),
        "{out}"
    );
    // An absolute URL needs no base vars; it still meets the allow-list.
    let out = env
        .cmd(&[
            "invoke",
            "mc",
            "GET",
            "https://api.example.org/x",
            "--dry-run",
        ])
        .fails(2);
    assert!(out.stderr.contains("refusing to send"), "{out}");

    // Tokens of one service never go to another the config now names.
    let edited = env.read_config().replace(
        "[connections.mc]\nservice = \"mc\"",
        "[connections.mc]\nservice = \"local\"",
    );
    env.write_config(&edited);
    let out = env.cmd(&["invoke", "mc", "GET", "/echo/x"]).fails(7);
    assert!(out.stderr.contains("holds tokens of service `mc`"), "{out}");
    assert_eq!(api.hits(), 0);
}
