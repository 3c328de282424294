//! Request items that would change how a request is framed or where its
//! credential goes: `Content-Length` (the body decides it), an item for
//! the header or query parameter the credential travels in (the
//! credential would replace it), and `Host` (the server would take the
//! credential for the host it names). Each is refused before anything is
//! sent; `--no-auth` sends the request without the credential, items and
//! all.

use crate::util::Env;
use crate::util::api::Api;

const TOKEN: &str = "tok-2b8e4f6a0c";

/// An env with a service per credential shape on `api`'s `/echo` —
/// `bearer` (in `Authorization`), `keyed` (`api_key` in `X-Service-Key`),
/// `query` (`api_key` in `?key=`) — and a connection of each, named after
/// its service, holding [`TOKEN`].
fn env_with_connections(api: &Api) -> Env {
    let env = Env::new();
    let echo = format!("{}/echo", api.base);
    env.write_config(&format!(
        "[services.bearer]\nauth = \"bearer\"\nbase_url = \"{echo}\"\n\n\
         [services.keyed]\nauth = \"api_key\"\napi_key_header = \"X-Service-Key\"\nbase_url = \"{echo}\"\n\n\
         [services.query]\nauth = \"api_key\"\napi_key_query = \"key\"\nbase_url = \"{echo}\"\n\n\
         [connections.bearer]\nservice = \"bearer\"\n\n\
         [connections.keyed]\nservice = \"keyed\"\n\n\
         [connections.query]\nservice = \"query\"\n"
    ));
    for name in ["bearer", "keyed", "query"] {
        env.cmd(&["connect", name, "--stdin"])
            .stdin(format!("{TOKEN}\n"))
            .stderr(env.connected_static(name, name))
            .ok();
    }
    env
}

const NO_AUTH_HINT: &str =
    "hint: drop the item, or pass `--no-auth` to send the request without the credential\n";

#[test]
fn content_length_items_are_refused() {
    let api = Api::start();
    let env = env_with_connections(&api);
    for item in ["Content-Length:5", "content-length:", "Content-Length;"] {
        env.cmd(&["invoke", "bearer", "POST", "/x", item, "a=1"])
            .stderr(format!(
                "tether: error: `{item}`: the body decides `Content-Length`, not an item\n"
            ))
            .fails(2);
    }
    api.expect_no_calls();
}

#[test]
fn an_item_the_credential_would_replace_is_refused_unless_no_auth() {
    let api = Api::start();
    let env = env_with_connections(&api);
    env.cmd(&["invoke", "bearer", "GET", "/x", "authorization:Bearer mine"])
        .stderr(format!(
            "tether: error: the `authorization` item would be replaced by the credential of `bearer`, which goes in that header\n{NO_AUTH_HINT}"
        ))
        .fails(2);
    env.cmd(&["invoke", "keyed", "GET", "/x", "X-Service-Key:mine"])
        .stderr(format!(
            "tether: error: the `X-Service-Key` item would be replaced by the credential of `keyed`, which goes in that header\n{NO_AUTH_HINT}"
        ))
        .fails(2);
    env.cmd(&["invoke", "query", "GET", "/x", "key==mine"])
        .stderr(format!(
            "tether: error: the `key==` item would be replaced by the credential of `query`, which goes in that query parameter\n{NO_AUTH_HINT}"
        ))
        .fails(2);
    assert_eq!(api.hits(), 0);

    // Where the credential goes elsewhere, an `Authorization` item is the
    // user's own and goes as given.
    env.cmd(&["invoke", "keyed", "GET", "/x", "Authorization:Bearer mine"])
        .ok();
    let got = api.last();
    assert_eq!(got.header("authorization"), Some("Bearer mine"));
    assert_eq!(got.header("x-service-key"), Some(TOKEN));

    // `--no-auth`: the items as given, no credential.
    env.cmd(&[
        "invoke",
        "bearer",
        "GET",
        "/x",
        "Authorization:Bearer mine",
        "--no-auth",
    ])
    .ok();
    assert_eq!(api.last().header("authorization"), Some("Bearer mine"));
    env.cmd(&["invoke", "query", "GET", "/x", "key==mine", "--no-auth"])
        .ok();
    assert_eq!(api.last().query, [("key".to_string(), "mine".to_string())]);
    env.cmd(&["invoke", "keyed", "GET", "/y", "--no-auth"]).ok();
    let got = api.last();
    assert_eq!(got.path, "/echo/y");
    assert_eq!(got.header("x-service-key"), None);
    assert_eq!(got.header("authorization"), None);
}

#[test]
fn a_host_item_needs_allow_host_for_that_host() {
    let api = Api::start();
    let env = env_with_connections(&api);
    env.cmd(&["invoke", "bearer", "GET", "/x", "Host:evil.example"])
        .stderr(
            "tether: error: the `Host: evil.example` item would send the credential of `bearer` to evil.example\n\
             hint: if `evil.example` is really this service's, pass `--allow-host evil.example`; or pass `--no-auth` to send the request without the credential\n",
        )
        .fails(2);
    env.cmd(&["invoke", "bearer", "GET", "/x", "Host:a/b@c"])
        .stderr(
            "tether: error: the `Host: a/b@c` item would send the credential of `bearer` to a/b@c\n\
             hint: pass `--no-auth` to send the request without the credential\n",
        )
        .fails(2);
    // Another host of the allow-list is not enough: only `--allow-host`.
    env.cmd(&[
        "invoke",
        "bearer",
        "GET",
        "/x",
        "Host:evil.example",
        "--allow-host",
        "*.example",
    ])
    .ok();
    assert_eq!(api.last().header("host"), Some("evil.example"));
    assert_eq!(
        api.last().header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    // The URL's own host and port change nothing.
    let own = api.base.trim_start_matches("http://").to_string();
    env.cmd(&["invoke", "bearer", "GET", "/x", &format!("Host:{own}")])
        .ok();
    assert_eq!(api.last().header("host"), Some(own.as_str()));
    // Without the credential, any Host goes.
    env.cmd(&[
        "invoke",
        "bearer",
        "GET",
        "/x",
        "Host:other.example",
        "--no-auth",
    ])
    .ok();
    assert_eq!(api.last().header("host"), Some("other.example"));
    assert_eq!(api.last().header("authorization"), None);
    assert_eq!(api.hits(), 3);
}

#[test]
fn no_auth_needs_no_stored_credential_and_shows_none() {
    let api = Api::start();
    let env = Env::new();
    env.write_config(&format!(
        "[services.keyed]\nauth = \"api_key\"\napi_key_header = \"X-Service-Key\"\nbase_url = \"{}/echo\"\n\n\
         [connections.never]\nservice = \"keyed\"\n",
        api.base
    ));
    env.cmd(&["invoke", "never", "GET", "/open", "--no-auth"])
        .ok();
    assert_eq!(api.last().path, "/echo/open");
    // The service's key header, given by hand, is still a secret to `-v`.
    env.cmd(&[
        "invoke",
        "never",
        "GET",
        "/open",
        "X-Service-Key:by-hand",
        "--no-auth",
        "--dry-run",
    ])
    .stdout(format!(
        "GET {}/echo/open HTTP/1.1\nX-Service-Key: (redacted)\n",
        api.base
    ))
    .ok();
    env.cmd(&["invoke", "never", "GET", "/open", "--no-auth", "--curl"])
        .stderr(
            "error: the argument '--no-auth' cannot be used with '--curl'\n\
             \n\
             Usage: tether invoke --no-auth <NAME> <METHOD> <URL> [ITEM]...\n\
             \n\
             For more information, try '--help'.\n",
        )
        .fails(2);
}
