//! `tether invoke` against a local API server that records what arrives:
//! methods and request items, URLs and vars, redirects, retries, exit codes
//! and output forms, and the rule that a credential goes only where it may.

use crate::util::api::{Api, ApiOptions};
use crate::util::keyring::SecretService;
use crate::util::oidc::{self, Oidc};
use crate::util::{Env, keys};

const TOKEN: &str = "tok-7f3a9c2e1b";

/// What `invoke` says when nothing listens at 127.0.0.1:1.
const NOT_LISTENING: &str = "tether: error: GET http://127.0.0.1:1/x: could not connect: client error (Connect): tcp connect error: Connection refused (os error [..])\n\
    hint: check the network and the URL, then try again\n";

/// The `Accept` header that arrives when a request removes tether's.
const ACCEPT_AFTER_REMOVAL: Option<&str> = Some("*/*");

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
        .stderr(env.connected_static("c", "api"))
        .ok();
    env
}

/// What tether says when it refuses to send `connection`'s credential to
/// `host`, for `why`.
fn refusal(connection: &str, host: &str, why: &str) -> String {
    format!(
        "tether: error: refusing to send the credential of `{connection}` to {host}: {why}\n\
         hint: if `{host}` is really this service's, pass `--allow-host {host}` or add it to `allowed_hosts`\n"
    )
}

/// The head of a response of the test API server in `-v` output.
fn response_head(status: &str, headers: &str) -> String {
    format!("HTTP/1.1 {status}\nserver: tiny-http (Rust)\ndate: [..]\n{headers}")
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
    assert_eq!(api.last().header("accept"), ACCEPT_AFTER_REMOVAL);

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
    env.cmd(&["invoke", "c", "POST", "/x", "n:=not json"])
        .stderr(
            "tether: error: `n:=not json`: the value after `:=` is not valid JSON (expected ident at line 1 column 2)\n\
             hint: a JSON string needs quotes (`name:='\"text\"'`); for a plain string write `name=text`\n",
        )
        .fails(2);
    env.cmd(&["invoke", "c", "POST", "/x", "plain"])
        .stderr(
            "tether: error: `plain` is not a request item\n\
             hint: items look like `Header:value`, `Header:` (remove), `Header;` (empty), `name==query`, `field=string`, `field:=json`, `field=@file`, `field:=@file`, or `@file` for a raw body\n",
        )
        .fails(2);
    env.cmd(&["invoke", "c", "FETCH", "/x"])
        .stderr(
            "tether: error: `FETCH` is not a method tether sends\n\
             hint: use GET, POST, PUT, PATCH, DELETE or HEAD, before the URL: `tether invoke NAME GET /path`\n",
        )
        .fails(2);
    env.cmd(&["invoke", "c", "GET", "/x/{missing}"])
        .stderr(
            "tether: error: `/x/{missing}` has no value for `{missing}`\n\
             hint: pass `--var missing=…`, or set it in the connection's `vars`\n",
        )
        .fails(2);
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
    env.cmd(&["connect", "c", "--stdin"])
        .stdin(TOKEN)
        .stderr(env.connected_static("c", "api"))
        .ok();
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
    env.cmd(&["connect", "c", "--stdin"])
        .stdin(TOKEN)
        .stderr(env.connected_static("c", "api"))
        .ok();
    // stdout is not a terminal here: an HTTP error status also gets one
    // line on stderr, so a script's log says why it stopped.
    env.cmd(&["invoke", "c", "GET", "/status/404"])
        .stdout(r#"{"status":404}"#)
        .stderr("tether: HTTP 404 Not Found\n")
        .fails(4);
    env.cmd(&["invoke", "c", "GET", "/status/500"])
        .stdout(r#"{"status":500}"#)
        .stderr("tether: HTTP 500 Internal Server Error\n")
        .fails(5);
    env.cmd(&["invoke", "c", "GET", "/status/302"])
        .stdout(r#"{"status":302}"#)
        .fails(3);
    env.cmd(&["invoke", "c", "GET", "/status/503", "--no-fail"])
        .stdout(r#"{"status":503}"#)
        .ok();
    let envelope = env
        .cmd(&["invoke", "c", "GET", "/status/418", "--json"])
        .stderr("tether: HTTP 418 I'm a teapot\n")
        .fails(4)
        .json();
    assert_eq!(keys(&envelope), ["status", "url", "headers", "body"]);
    assert_eq!(envelope["status"], 418);
    assert_eq!(envelope["url"], api.url("/status/418"));
    assert_eq!(envelope["body"], serde_json::json!({ "status": 418 }));
    assert_eq!(
        keys(&envelope["headers"]),
        ["server", "date", "content-type", "content-length"]
    );
    assert_eq!(envelope["headers"]["content-type"], "application/json");
    assert_eq!(envelope["headers"]["content-length"], "14");

    // Retries for idempotent methods honour Retry-After.
    env.cmd(&["invoke", "c", "GET", "/flaky/2/a"])
        .stdout(r#"{"status":503}"#)
        .stderr("tether: HTTP 503 Service Unavailable\n")
        .fails(5);
    let before = api.hits();
    env.cmd(&["invoke", "c", "GET", "/flaky/2/b", "--retries", "3"])
        .ok();
    assert_eq!(api.hits() - before, 3);
    env.cmd(&["invoke", "c", "POST", "/flaky/1/c", "--retries", "3"])
        .stdout(r#"{"status":503}"#)
        .stderr("tether: HTTP 503 Service Unavailable\n")
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
    // With -o the body is not on stdout: the status line says why it failed.
    let error_file = env.root().join("error.json");
    env.cmd(&[
        "invoke",
        "c",
        "GET",
        "/status/404",
        "-o",
        error_file.to_str().unwrap(),
    ])
    .stderr("tether: HTTP 404 Not Found\n")
    .fails(4);
    let out = env.cmd(&["invoke", "c", "GET", "/bytes"]).ok();
    assert_eq!(
        out.stdout_bytes,
        crate::util::api::BYTES,
        "raw bytes to a pipe"
    );

    // Nothing listening: a network failure.
    env.cmd(&[
        "invoke",
        "c",
        "GET",
        "http://127.0.0.1:1/x",
        "--allow-host",
        "127.0.0.1:1",
    ])
    .stderr(NOT_LISTENING)
    .fails(6);
}

#[test]
fn credentials_go_only_where_they_may() {
    let api = Api::start();
    let other = Api::start();
    let env = bearer_env(&api);

    // A foreign host is refused before anything is sent.
    env.cmd(&["invoke", "c", "GET", "https://api.example.com/x"])
        .stderr(refusal("c", "api.example.com", "not an allowed host"))
        .fails(2);
    // Another port is another origin.
    env.cmd(&["invoke", "c", "GET", &other.url("/echo/x")])
        .stderr(refusal(
            "c",
            &format!("127.0.0.1:{}", other.port),
            "not an allowed port for this host",
        ))
        .fails(2);
    env.cmd(&[
        "invoke",
        "c",
        "GET",
        "http://api.example.com/x",
        "--allow-host",
        "api.example.com",
    ])
    .stderr(
        "tether: error: refusing to send the credential of `c` to api.example.com: plain http to a non-loopback host\n\
         hint: use https: tether sends credentials over plain http only to loopback hosts\n",
    )
    .fails(2);
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
    let first = api.url(&format!("/redirect/cross?to={target}"));
    env.cmd(&["invoke", "c", "GET", &first, "-v", "Cookie:a=b"])
        .stderr(format!(
            "GET {first} HTTP/1.1\n\
             Cookie: (redacted)\n\
             Authorization: Bearer (redacted)\n\
             \n\
             {}\
             \n\
             tether: redirected to another origin ({}): the credential stays behind\n\
             \n\
             GET {target} HTTP/1.1\n\
             \n\
             {}\
             \n",
            response_head(
                "302 Found",
                &format!(
                    "content-type: application/json\nlocation: {target}\ncontent-length: 14\n"
                )
            ),
            other.base,
            response_head(
                "200 OK",
                "content-type: application/json\ncontent-length: [..]\n"
            ),
        ))
        .ok();
    assert_eq!(other.last().path, "/echo/elsewhere");
    assert_eq!(
        other.last().header("authorization"),
        None,
        "no credential across origins"
    );
    assert_eq!(other.last().header("cookie"), None);
    // 303 turns a POST into a GET without a body.
    env.cmd(&["invoke", "c", "POST", &api.url("/redirect/303"), "a=1"])
        .ok();
    assert_eq!(
        (api.last().method.as_str(), api.last().path.as_str()),
        ("GET", "/echo/after-303")
    );
    assert!(api.last().body.is_empty());

    // -v shows the heads with the credential redacted.
    let out = env
        .cmd(&["invoke", "c", "POST", "/v", "a=1", "-v"])
        .stderr(format!(
            "POST {}/echo/v HTTP/1.1\n\
             Content-Type: application/json\n\
             Accept: application/json, */*;q=0.5\n\
             Authorization: Bearer (redacted)\n\
             \n\
             {{\"a\":\"1\"}}\n\
             \n\
             {}\
             \n",
            api.base,
            response_head(
                "200 OK",
                "content-type: application/json\ncontent-length: [..]\n"
            )
        ))
        .ok();
    let dry = env
        .cmd(&["invoke", "c", "DELETE", "/d", "--dry-run"])
        .stdout(format!(
            "DELETE {}/echo/d HTTP/1.1\nAuthorization: Bearer (redacted)\n",
            api.base
        ))
        .ok();
    let curl = env
        .cmd(&["invoke", "c", "DELETE", "/d", "--curl"])
        .stdout(format!(
            "curl \\\n  -X DELETE \\\n  {}/echo/d \\\n  -H 'Authorization: Bearer '\"$(tether token c)\"\n",
            api.base
        ))
        .ok();
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
    for (name, service, extra) in [
        ("h", "header", &[][..]),
        ("q", "query", &[][..]),
        ("b", "basic", &["--username", "ann"][..]),
        ("t", "bearer", &[][..]),
    ] {
        env.cmd(&[&["connect", name, "--stdin"], extra].concat())
            .stdin("s3cret-k3y-value\n")
            .stderr(env.connected_static(name, service))
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
    for (name, query, header) in [
        ("h", "", "X-Api-Key: (redacted)\n"),
        ("q", "?key=(redacted)", ""),
        ("b", "", "Authorization: Basic (redacted)\n"),
        ("t", "", "Authorization: Bearer (redacted)\n"),
    ] {
        env.cmd(&["invoke", name, "GET", "https://evil.example.net/x"])
            .stderr(refusal(name, "evil.example.net", "not an allowed host"))
            .fails(2);
        let out = env
            .cmd(&["invoke", name, "GET", "/status/204", "-v"])
            .stderr(format!(
                "GET {}/status/204{query} HTTP/1.1\n{header}\n{}\n",
                api.base,
                response_head(
                    "204 No Content",
                    "content-type: application/json\ncontent-length: 0\n"
                )
            ))
            .ok();
        assert!(!out.stderr.contains("s3cret"), "{name}: {out}");
        let base64_basic = "YW5uOnMzY3JldC1rM3ktdmFsdWU=";
        assert!(!out.stderr.contains(base64_basic), "{name}: {out}");
    }
    assert_eq!(api.hits() - hits, 4, "the refused requests were never sent");
    assert_eq!(env.cmd(&["token", "q"]).ok().stdout, "s3cret-k3y-value\n");
    let status = env.cmd(&["status", "--json"]).ok().json();
    let statuses: Vec<(&str, &str)> = status
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap(), c["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("b", "connected"),
            ("h", "connected"),
            ("q", "connected"),
            ("t", "connected")
        ]
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
    crate::connect::connect(&env, "me", oidc::BrowserMode::Approve, &[])
        .stderr(crate::connect::connected(&server, &env, "me", "in 1h"))
        .ok();
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
    proxy.expect_no_calls();
    let env = Env::new();
    env.write_config(&format!(
        "[services.q]\nauth = \"api_key\"\napi_key_query = \"key\"\nbase_url = \"{}\"\n\n[connections.q]\nservice = \"q\"\n",
        api.base
    ));
    env.cmd(&["connect", "q", "--stdin"])
        .stdin("k3y-in-the-query")
        .stderr(env.connected_static("q", "q"))
        .ok();
    // The envelope names the URL without the key.
    let envelope = env
        .cmd(&["invoke", "q", "GET", "/echo/x", "--json"])
        .ok()
        .json();
    assert_eq!(envelope["url"], format!("{}/echo/x", api.base));
    // A network failure names the URL without the key.
    env.cmd(&[
        "invoke",
        "q",
        "GET",
        "http://127.0.0.1:1/x",
        "--allow-host",
        "127.0.0.1:1",
    ])
    .stderr(NOT_LISTENING)
    .fails(6);
    // A proxy from the environment never sees a loopback request.
    env.cmd(&["invoke", "q", "GET", "/echo/y"])
        .env("HTTP_PROXY", &proxy.base)
        .env("http_proxy", &proxy.base)
        .ok();
    assert_eq!(proxy.hits(), 0);
    assert_eq!(api.last().path, "/echo/y");
    env.cmd(&[
        "invoke",
        "q",
        "GET",
        "/x",
        "--timeout",
        "18446744073709551615",
    ])
    .stderr(
        "error: invalid value '18446744073709551615' for '--timeout <SECS>': 18446744073709551615 is not in 1..=86400\n\
         \n\
         For more information, try '--help'.\n",
    )
    .fails(2);
}

#[test]
fn a_base_url_var_cannot_move_the_request_to_another_host() {
    let api = Api::start();
    api.expect_no_calls();
    let env = Env::new();
    env.write_config(&format!(
        "[services.mc]\nauth = \"bearer\"\nbase_url = \"https://{{dc}}.api.example.com/3.0\"\n\n\
         [services.local]\nauth = \"bearer\"\nbase_url = \"{}\"\n\n\
         [connections.mc]\nservice = \"mc\"\n\n[connections.l]\nservice = \"local\"\n",
        api.base
    ));
    env.cmd(&["connect", "mc", "--stdin"])
        .stdin(TOKEN)
        .stderr(env.connected_static("mc", "mc"))
        .ok();
    for evil in [
        "dc=evil.example.net#",
        "dc=evil.example.net/",
        "dc=x@evil.example.net",
    ] {
        env.cmd(&["invoke", "mc", "GET", "/lists", "--var", evil, "--dry-run"])
            .stderr(
                "tether: error: the value of `dc` is not a host name part (letters, digits, `-`, `.`, `_` and `~`)\n\
                 hint: `{dc}` at that place of the URL takes a host name part (letters, digits, `-`, `.`, `_` and `~`)\n",
            )
            .fails(2);
    }
    env.cmd(&[
        "invoke",
        "mc",
        "GET",
        "/lists",
        "--var",
        "dc=us21",
        "--dry-run",
    ])
    .stdout(
        "GET https://us21.api.example.com/3.0/lists HTTP/1.1\n\
         Authorization: Bearer (redacted)\n",
    )
    .ok();
    // An absolute URL needs no base vars; it still meets the allow-list.
    env.cmd(&[
        "invoke",
        "mc",
        "GET",
        "https://api.example.org/x",
        "--dry-run",
    ])
    .stderr(refusal("mc", "api.example.org", "not an allowed host"))
    .fails(2);

    // Tokens of one service never go to another the config now names.
    let edited = env.read_config().replace(
        "[connections.mc]\nservice = \"mc\"",
        "[connections.mc]\nservice = \"local\"",
    );
    env.write_config(&edited);
    env.cmd(&["invoke", "mc", "GET", "/echo/x"])
        .stderr(
            "tether: error: connection `mc` holds tokens of service `mc`, but the config now says `local`\n\
             hint: run `tether connect mc`\n",
        )
        .fails(7);
    assert_eq!(api.hits(), 0);
}

#[test]
fn a_bad_allow_host_pattern_is_a_usage_error() {
    let api = Api::start();
    api.expect_no_calls();
    let env = bearer_env(&api);
    env.cmd(&["invoke", "c", "GET", "/x", "--allow-host", "bad pattern"])
        .stderr(
            "tether: error: `bad pattern` is not a host name, a `*.example.com` pattern or `host:port`\n",
        )
        .fails(2);
}

#[test]
fn the_refused_host_hint_names_a_pattern_the_config_accepts_and_that_works() {
    let api = Api::start();
    api.expect_no_calls();
    let other = Api::start();
    let env = bearer_env(&api);
    let host = format!("127.0.0.1:{}", other.port);
    let target = other.url("/echo/x");
    env.cmd(&["invoke", "c", "GET", &target])
        .stderr(refusal("c", &host, "not an allowed port for this host"))
        .fails(2);
    // The hint's `--allow-host` value works as it is...
    env.cmd(&["invoke", "c", "GET", &target, "--allow-host", &host])
        .ok();
    assert_eq!(
        other.last().header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    // ...and so does the same value in `allowed_hosts`.
    env.cmd(&["service", "edit", "api", "--allowed-host", &host])
        .stderr("Updated service `api`\n")
        .ok();
    env.cmd(&["invoke", "c", "GET", &target]).ok();
    assert_eq!(other.hits(), 2);
}

#[test]
fn a_valid_token_costs_one_keyring_read() {
    let Some(keyring) = SecretService::start_or_skip() else {
        return;
    };
    let api = Api::start();
    let mut env = Env::new();
    env.set("DBUS_SESSION_BUS_ADDRESS", &keyring.bus_address);
    env.set("TETHER_STORE", "keyring");
    env.write_config(&format!(
        "[services.api]\nauth = \"bearer\"\nbase_url = \"{}/echo\"\n\n[connections.c]\nservice = \"api\"\n",
        api.base
    ));
    env.cmd(&["connect", "c", "--stdin"])
        .stdin(format!("{TOKEN}\n"))
        .stderr(
            "Connected `c` (api): never expires, static credential; tokens in keyring (Secret Service)\n\
             Try it: tether invoke c GET /\n",
        )
        .ok();
    // Each read of a keyring entry is one SearchItems call naming it.
    let monitor = keyring.monitor("SearchItems");
    env.cmd(&["invoke", "c", "GET", "/one-read"]).ok();
    assert_eq!(monitor.calls_mentioning("connection:c"), 1);
    assert_eq!(
        api.last().header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}
