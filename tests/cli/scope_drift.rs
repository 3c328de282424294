//! Scope drift: a connection granted fewer scopes than it asks for is
//! flagged by `status`, and an API's `403` with `error="insufficient_scope"`
//! (RFC 6750 §3.1) exits 4 with the `connect` that asks for every scope.

use serde_json::json;

use crate::connect::{approve, env_with_service};
use crate::status_forecast::{add_service, connect_to};
use crate::util::oidc::{self, Oidc};
use crate::util::server::{Reply, TestServer};

#[test]
fn a_connection_granted_fewer_scopes_than_asked_is_flagged() {
    let server = Oidc::start();
    let env = env_with_service(&server, &oidc::NATIVE, &[]);
    // The server does not know `admin`: it grants the others.
    add_service(&env, &server, "wide", &["--scope", "admin"]);
    connect_to(&env, "me", "wide");
    let entry = &env.cmd(&["status", "--json"]).ok().json()[0];
    assert_eq!(entry["scopes"], json!(["openid", "read"]));
    assert_eq!(entry["missing_scopes"], json!(["admin"]));
    let table = env.cmd(&["status"]).ok().stdout;
    assert!(
        table.contains("  connected (missing scopes: admin)  "),
        "{table}"
    );
    let show = env.cmd(&["connection", "show", "me"]).ok().stdout;
    assert!(show.contains("\nmissing scopes  admin\n"), "{show}");
    // A connection granted what it asks for has none missing.
    approve(&server, &env, "all");
    let list = env.cmd(&["status", "all", "--json"]).ok().json();
    assert_eq!(list[0]["missing_scopes"], json!([]));
}

/// An API that wants a scope the token lacks, as GitHub and most OAuth
/// resource servers say it (RFC 6750 §3.1).
fn insufficient_scope_api(scope: &'static str) -> TestServer {
    TestServer::start("an API that wants another scope", move |_| {
        Reply::json(403, &json!({"message": "insufficient scope"})).header(
            "WWW-Authenticate",
            format!("Bearer realm=\"api\", error=\"insufficient_scope\", scope=\"{scope}\""),
        )
    })
}

#[test]
fn an_insufficient_scope_403_exits_4_with_every_scope_in_the_hint() {
    let server = Oidc::start();
    let api = insufficient_scope_api("read write");
    let base = format!("http://127.0.0.1:{}", api.port);
    let env = env_with_service(&server, &oidc::NATIVE, &["--base-url", &base]);
    approve(&server, &env, "me");
    env.cmd(&["invoke", "me", "GET", "/repos"])
        .stdout("{\"message\":\"insufficient scope\"}")
        .stderr(
            "tether: HTTP 403 Forbidden\n\
             hint: the API wants scope `write`, which `me` does not ask for; authorize it again with `tether connect me --scope openid --scope read --scope write`\n",
        )
        .fails(4);
    // `--paginate` says the same of its first page.
    env.cmd(&["invoke", "me", "GET", "/repos", "--paginate"])
        .stdout("{\"message\":\"insufficient scope\"}")
        .stderr(
            "tether: HTTP 403 Forbidden\n\
             hint: the API wants scope `write`, which `me` does not ask for; authorize it again with `tether connect me --scope openid --scope read --scope write`\n",
        )
        .fails(4);
    // A plain 403 gets no scope hint.
    let plain = TestServer::start("an API that forbids", |_| {
        Reply::json(403, &json!({"message": "no"}))
    });
    let url = format!("http://127.0.0.1:{}/x", plain.port);
    env.cmd(&[
        "invoke",
        "me",
        "GET",
        &url,
        "--allow-host",
        &format!("127.0.0.1:{}", plain.port),
    ])
    .stdout("{\"message\":\"no\"}")
    .stderr("tether: HTTP 403 Forbidden\n")
    .fails(4);
    env.assert_never_printed(&server.secrets());
}
