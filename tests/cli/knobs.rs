//! The knobs the templates' second edition added, each against a small
//! loopback copy of the provider whose behaviour it is for
//! (`util::copies`): values from the redirect choosing the token host
//! (Zoho's data centres), endpoints per connection (Shopify's shops,
//! Microsoft's tenants), default headers (an API that wants its version
//! header), and HTTP Basic with an empty password (Reddit's installed
//! apps) next to public clients that keep sending their id in the body
//! (X). The services inherit the real templates and only point their
//! URLs at the copies.

use serde_json::json;

use crate::util::copies::{self, Copy, approve, basic, oauth_error, token_answer};
use crate::util::server::Reply;
use crate::util::{Env, base64};

/// An env whose browser follows the copy's redirect at once.
fn env() -> Env {
    let mut env = Env::new();
    env.set("BROWSER", "curl -sL -o /dev/null");
    env
}

/// What `connect NAME --service SVC [EXTRA…]` prints when the browser is
/// sent to `authorize` (`[..]` in it where tether picks values) and the
/// connection succeeds with a refresh token that lives an hour.
fn connected(env: &Env, name: &str, service: &str, authorize: &str) -> String {
    format!(
        "Open this URL to authorize `{name}` ({service}):\n\n  {authorize}\n\n\
         Connected `{name}` ({service}): expires [..], refreshable; tokens in file ({})\n\
         Try it: tether invoke {name} GET /\n",
        env.tokens_dir().display()
    )
}

/// The start of every authorization query, the listener's port left open.
fn client_and_redirect(client_id: &str) -> String {
    format!(
        "response_type=code&client_id={client_id}&redirect_uri=http%3A%2F%2F127.0.0.1%3A[..]%2Fcallback"
    )
}

const ZOHO_ID: &str = "zoho-client";
const ZOHO_SECRET: &str = "zoho-secret-4b1d";

/// A Zoho-like data centre's accounts server: the token endpoint for codes
/// and refreshes (client credentials in the body), and an API that takes
/// only its newest access token with the `Zoho-oauthtoken` scheme.
fn zoho_like_data_centre(name: &'static str, tag: &'static str) -> Copy {
    Copy::start(name, move |request, port| {
        match (request.method.as_str(), request.path.as_str()) {
            ("POST", "/oauth/v2/token") => {
                let form = crate::util::form_map(&request.body);
                if form.get("client_id").map(String::as_str) != Some(ZOHO_ID)
                    || form.get("client_secret").map(String::as_str) != Some(ZOHO_SECRET)
                {
                    return oauth_error(401, "invalid_client");
                }
                match form.get("grant_type").map(String::as_str) {
                    Some("authorization_code") if form["code"] == format!("code-{tag}") => {
                        Reply::json(
                            200,
                            &json!({
                                "access_token": format!("1000.{tag}-access1"),
                                "refresh_token": format!("1000.{tag}-refresh"),
                                "api_domain": format!("http://127.0.0.1:{port}"),
                                "token_type": "Bearer",
                                "expires_in": 3600,
                            }),
                        )
                    }
                    Some("refresh_token")
                        if form["refresh_token"] == format!("1000.{tag}-refresh") =>
                    {
                        Reply::json(
                            200,
                            &json!({
                                "access_token": format!("1000.{tag}-access2"),
                                "api_domain": format!("http://127.0.0.1:{port}"),
                                "token_type": "Bearer",
                                "expires_in": 3600,
                            }),
                        )
                    }
                    _ => oauth_error(400, "invalid_grant"),
                }
            }
            ("GET", "/crm/v7/Leads") => {
                let authorization = request.header("authorization").unwrap_or_default();
                match authorization
                    .strip_prefix("Zoho-oauthtoken ")
                    .and_then(|token| copies::which(token, &format!("1000.{tag}-access")))
                {
                    Some(which) => Reply::json(200, &json!({ "data_centre": tag, "token": which })),
                    None => Reply::json(401, &json!({ "code": "INVALID_TOKEN" })),
                }
            }
            (method, path) => panic!("the {tag} data centre got {method} {path}"),
        }
    })
}

/// A Zoho-like accounts server where the user signs in: it sends the
/// browser back with the user's data centre in `accounts-server`, and
/// must see no token request itself.
fn zoho_like_sign_in(accounts_server: String) -> Copy {
    Copy::start(
        "Zoho-like sign-in accounts server",
        move |request, _| match (request.method.as_str(), request.path.as_str()) {
            ("GET", "/oauth/v2/auth") => approve(
                request,
                "code-eu",
                &[("location", "eu"), ("accounts-server", &accounts_server)],
            ),
            (method, path) => panic!("the sign-in server got {method} {path}"),
        },
    )
}

fn zoho_env(sign_in: &Copy, listed: &[String]) -> Env {
    let mut env = env();
    env.set("ZOHO_SECRET", ZOHO_SECRET);
    let hosts: Vec<String> = listed.iter().map(|h| format!("\"{h}\"")).collect();
    env.write_config(&format!(
        "[services.z]\n\
         template = \"zoho\"\n\
         client_id = \"{ZOHO_ID}\"\n\
         client_secret = {{ env = \"ZOHO_SECRET\" }}\n\
         authorize_url = \"{}\"\n\
         vars = {{ accounts_server = \"{}\" }}\n\
         token_hosts = [{}]\n",
        sign_in.url("/oauth/v2/auth"),
        sign_in.url(""),
        hosts.join(", "),
    ));
    env
}

#[test]
fn zoho_like_redirect_names_the_data_centre_where_the_code_and_refreshes_go() {
    let eu = zoho_like_data_centre("Zoho-like EU accounts server", "eu");
    let sign_in = zoho_like_sign_in(eu.url(""));
    let env = zoho_env(&sign_in, &[sign_in.host(), eu.host()]);

    let authorize = format!(
        "{}?{}&scope=ZohoCRM.modules.ALL&state=[..]&access_type=offline&prompt=consent",
        sign_in.url("/oauth/v2/auth"),
        client_and_redirect(ZOHO_ID)
    );
    env.cmd(&["connect", "c", "--service", "z", "--timeout", "20"])
        .stderr(connected(&env, "c", "z", &authorize))
        .ok();
    // The code went to the data centre the redirect named, not to the
    // server the user signed in on (whose handler refuses any token
    // request).
    assert_eq!(eu.grants("/oauth/v2/token", "authorization_code"), 1);
    let record = env.record("c").unwrap();
    assert_eq!(
        record["vars"],
        json!({ "accounts_server": eu.url(""), "api_domain": eu.url("") }),
        "learnt from the redirect and from the token answer"
    );

    let call = |which: &str| {
        let out = env.cmd(&["invoke", "c", "GET", "/crm/v7/Leads"]).ok();
        assert_eq!(out.json(), json!({ "data_centre": "eu", "token": which }));
    };
    call("first");

    // Later refreshes go to the learnt data centre too.
    env.age_record("c", 3600);
    call("refreshed");
    let refreshes = eu.posts("/oauth/v2/token");
    assert_eq!(eu.grants("/oauth/v2/token", "refresh_token"), 1);
    assert_eq!(refreshes[1].0["refresh_token"], "1000.eu-refresh");
    assert_eq!(
        sign_in.received().len(),
        1,
        "the sign-in server saw the authorization request only"
    );
    env.assert_never_printed(&[
        ZOHO_SECRET.to_string(),
        "1000.eu-access1".into(),
        "1000.eu-access2".into(),
        "1000.eu-refresh".into(),
        "code-eu".into(),
    ]);
}

#[test]
fn zoho_like_redirect_naming_an_unlisted_host_is_refused_before_the_code_leaves() {
    let elsewhere = zoho_like_data_centre("unlisted accounts server", "elsewhere");
    elsewhere.expect_no_calls();
    let sign_in = zoho_like_sign_in(elsewhere.url(""));
    let env = zoho_env(&sign_in, &[sign_in.host()]);

    let authorize = format!(
        "{}?{}&scope=ZohoCRM.modules.ALL&state=[..]&access_type=offline&prompt=consent",
        sign_in.url("/oauth/v2/auth"),
        client_and_redirect(ZOHO_ID)
    );
    let host = elsewhere.host();
    env.cmd(&["connect", "c", "--service", "z", "--timeout", "20"])
        .stderr(format!(
            "Open this URL to authorize `c` (z):\n\n  {authorize}\n\n\
             tether: error: refusing to send the credentials of service `z` to {host}: the provider named it in `accounts_server`, and it is not one of the service's `token_hosts`\n\
             hint: if `{host}` is really the provider's, add it with `tether service edit z --token-host {host}`\n"
        ))
        .fails(2);
    assert!(env.record("c").is_none(), "nothing stored");
    assert!(
        !env.read_config().contains("[connections.c]"),
        "no connection written"
    );
}

const SHOP_ID: &str = "shop-client";
const SHOP_SECRET: &str = "shpss_5e1f";

/// A Shopify-like store: its own authorization and token endpoints (an
/// expiring offline token only when `expiring=1` is asked), and an Admin
/// API that takes the token in `X-Shopify-Access-Token` only.
fn shopify_like_store(name: &'static str, shop: &'static str) -> Copy {
    Copy::start(name, move |request, _| {
        match (request.method.as_str(), request.path.as_str()) {
            ("GET", "/admin/oauth/authorize") => {
                assert_eq!(request.param("scope"), Some("read_products,read_orders"));
                approve(request, &format!("code-{shop}"), &[("shop", shop)])
            }
            ("POST", "/admin/oauth/access_token") => {
                let form = crate::util::form_map(&request.body);
                let client = form.get("client_id").map(String::as_str) == Some(SHOP_ID)
                    && form.get("client_secret").map(String::as_str) == Some(SHOP_SECRET);
                if !client {
                    return oauth_error(401, "invalid_client");
                }
                match form.get("grant_type").map(String::as_str) {
                    Some("authorization_code")
                        if form["code"] == format!("code-{shop}")
                            && form.get("expiring").map(String::as_str) == Some("1") =>
                    {
                        token_answer(&format!("shpat_{shop}1"), &format!("shprt_{shop}"))
                    }
                    Some("refresh_token") if form["refresh_token"] == format!("shprt_{shop}") => {
                        token_answer(&format!("shpat_{shop}2"), &format!("shprt_{shop}"))
                    }
                    _ => oauth_error(400, "invalid_grant"),
                }
            }
            ("GET", "/admin/api/2026-10/shop.json") => {
                if request.header("authorization").is_some() {
                    return Reply::json(
                        400,
                        &json!({ "errors": "Authorization is not used here" }),
                    );
                }
                // The answer names which token it took, never the token.
                let token = request.header("x-shopify-access-token").unwrap_or_default();
                match copies::which(token, &format!("shpat_{shop}")) {
                    Some(which) => {
                        Reply::json(200, &json!({ "shop": { "name": shop, "token": which } }))
                    }
                    None => {
                        Reply::json(401, &json!({ "errors": "Invalid API key or access token" }))
                    }
                }
            }
            (method, path) => panic!("the {shop} store got {method} {path}"),
        }
    })
}

#[test]
fn shopify_like_store_per_connection_chosen_by_var_shop() {
    let acme = shopify_like_store("Shopify-like store acme", "acme");
    let globex = shopify_like_store("Shopify-like store globex", "globex");
    let mut env = env();
    env.set("SHOP_SECRET", SHOP_SECRET);
    // One service for every store: the store is the connection's `shop`.
    env.write_config(&format!(
        "[services.shop]\n\
         template = \"shopify\"\n\
         client_id = \"{SHOP_ID}\"\n\
         client_secret = {{ env = \"SHOP_SECRET\" }}\n\
         authorize_url = \"{{shop}}/admin/oauth/authorize\"\n\
         token_url = \"{{shop}}/admin/oauth/access_token\"\n\
         base_url = \"{{shop}}/admin/api/{{api_version}}\"\n\
         scopes = [\"read_products\", \"read_orders\"]\n"
    ));

    // Without a shop, connect says which var it needs before any request.
    env.cmd(&["connect", "nowhere", "--service", "shop"])
        .stderr(
            "tether: error: `{shop}/admin/oauth/authorize` has no value for `{shop}`\n\
             hint: pass `--var shop=…`, or set it in the connection's `vars`\n",
        )
        .fails(2);

    for (name, store) in [("acme", &acme), ("globex", &globex)] {
        let authorize = format!(
            "{}?{}&scope=read_products%2Cread_orders&state=[..]",
            store.url("/admin/oauth/authorize"),
            client_and_redirect(SHOP_ID)
        );
        env.cmd(&[
            "connect",
            name,
            "--service",
            "shop",
            "--var",
            &format!("shop={}", store.url("")),
            "--timeout",
            "20",
        ])
        .stderr(connected(&env, name, "shop", &authorize))
        .ok();
    }
    let config = env.read_config();
    assert!(
        config.ends_with(&format!(
            "\n[connections.acme]\nservice = \"shop\"\nvars = {{ shop = \"{}\" }}\n\n\
             [connections.globex]\nservice = \"shop\"\nvars = {{ shop = \"{}\" }}\n",
            acme.url(""),
            globex.url("")
        )),
        "{config}"
    );
    // Each store saw its own code exchange, and nothing of the other's.
    assert_eq!(
        acme.grants("/admin/oauth/access_token", "authorization_code"),
        1
    );
    assert_eq!(
        globex.grants("/admin/oauth/access_token", "authorization_code"),
        1
    );

    for name in ["acme", "globex"] {
        let out = env.cmd(&["invoke", name, "GET", "/shop.json"]).ok();
        assert_eq!(
            out.json(),
            json!({ "shop": { "name": name, "token": "first" } })
        );
    }
    // A refresh goes to the connection's own store.
    env.age_record("globex", 3600);
    let out = env.cmd(&["invoke", "globex", "GET", "/shop.json"]).ok();
    assert_eq!(out.json()["shop"]["token"], "refreshed");
    assert_eq!(
        globex.grants("/admin/oauth/access_token", "refresh_token"),
        1
    );
    assert_eq!(acme.grants("/admin/oauth/access_token", "refresh_token"), 0);

    // `status` shows each connection's vars; its JSON has them too.
    let out = env.cmd(&["status"]).ok();
    let header: Vec<&str> = out
        .stdout
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(
        header,
        [
            "NAME", "SERVICE", "AUTH", "STATUS", "EXPIRES", "REFRESH", "SCOPES", "STORE", "VARS"
        ]
    );
    assert!(
        out.stdout
            .lines()
            .nth(1)
            .unwrap()
            .ends_with(&format!("shop={}", acme.url(""))),
        "{out}"
    );
    let status = env.cmd(&["status", "--json"]).ok().json();
    assert_eq!(status[1]["vars"]["shop"], globex.url(""));
    env.assert_never_printed(&[
        SHOP_SECRET.to_string(),
        "shpat_acme1".into(),
        "shpat_globex1".into(),
        "shpat_globex2".into(),
        "shprt_globex".into(),
    ]);
}

/// A Microsoft-like identity platform: one host, one authority per tenant
/// (`/{tenant}/oauth2/v2.0/...`); a refresh token works at its own
/// tenant's token endpoint only.
fn microsoft_like_tenants() -> Copy {
    Copy::start("Microsoft-like identity platform", |request, _| {
        let mut parts = request.path.trim_start_matches('/').splitn(2, '/');
        let (tenant, rest) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        match (request.method.as_str(), rest) {
            ("GET", "oauth2/v2.0/authorize") => approve(request, &format!("code-{tenant}"), &[]),
            ("POST", "oauth2/v2.0/token") => {
                let form = crate::util::form_map(&request.body);
                match form.get("grant_type").map(String::as_str) {
                    Some("authorization_code") if form["code"] == format!("code-{tenant}") => {
                        token_answer(&format!("at-{tenant}-1"), &format!("rt-{tenant}"))
                    }
                    Some("refresh_token") if form["refresh_token"] == format!("rt-{tenant}") => {
                        token_answer(&format!("at-{tenant}-2"), &format!("rt-{tenant}"))
                    }
                    _ => oauth_error(400, "invalid_grant"),
                }
            }
            (method, _) => panic!("the identity platform got {method} {}", request.path),
        }
    })
}

#[test]
fn microsoft_like_connections_of_one_service_refresh_at_their_own_tenant() {
    let platform = microsoft_like_tenants();
    let env = env();
    env.write_config(&format!(
        "[services.ms]\n\
         template = \"microsoft\"\n\
         client_id = \"ms-public-client\"\n\
         authorize_url = \"{}\"\n\
         token_url = \"{}\"\n\
         base_url = \"{}\"\n",
        platform.url("/{tenant}/oauth2/v2.0/authorize"),
        platform.url("/{tenant}/oauth2/v2.0/token"),
        platform.url("/graph/v1.0"),
    ));
    for tenant in ["contoso", "fabrikam"] {
        let authorize = format!(
            "{}?{}&scope=offline_access+User.Read&state=[..]&code_challenge=[..]&code_challenge_method=S256",
            platform.url(&format!("/{tenant}/oauth2/v2.0/authorize")),
            client_and_redirect("ms-public-client")
        );
        env.cmd(&[
            "connect",
            tenant,
            "--service",
            "ms",
            "--var",
            &format!("tenant={tenant}"),
            "--timeout",
            "20",
        ])
        .stderr(connected(&env, tenant, "ms", &authorize))
        .ok();
    }
    for tenant in ["contoso", "fabrikam"] {
        env.age_record(tenant, 3600);
        env.cmd(&["token", tenant])
            .stdout(format!("at-{tenant}-2\n"))
            .ok();
    }
    let refreshes: Vec<(String, String)> = platform
        .received()
        .iter()
        .filter(|r| r.method == "POST")
        .map(|r| {
            let form = crate::util::form_map(&r.body);
            (r.path.clone(), form["grant_type"].clone())
        })
        .filter(|(_, grant)| grant == "refresh_token")
        .collect();
    assert_eq!(
        refreshes,
        [
            (
                "/contoso/oauth2/v2.0/token".to_string(),
                "refresh_token".to_string()
            ),
            (
                "/fabrikam/oauth2/v2.0/token".to_string(),
                "refresh_token".to_string()
            ),
        ]
    );
    // A public client: its id in the body, no Authorization header.
    for (form, authorization) in platform.posts("/contoso/oauth2/v2.0/token") {
        assert_eq!(form["client_id"], "ms-public-client");
        assert_eq!(authorization, None);
    }
}

const ANTHROPIC_KEY: &str = "sk-ant-test-9f2c";

/// An Anthropic-like API: it refuses a call without `anthropic-version`
/// (as the real one answers 400) and echoes the version it got.
fn anthropic_like_api() -> Copy {
    Copy::start("Anthropic-like API", |request, _| {
        if request.header("x-api-key") != Some(ANTHROPIC_KEY) {
            return Reply::json(
                401,
                &json!({ "type": "error", "error": { "type": "authentication_error" } }),
            );
        }
        match request.header("anthropic-version") {
            None => Reply::json(
                400,
                &json!({ "type": "error", "error": { "type": "invalid_request_error", "message": "anthropic-version: header is required" } }),
            ),
            Some(version) => Reply::json(
                200,
                &json!({ "path": request.path, "anthropic-version": version }),
            ),
        }
    })
}

#[test]
fn a_version_header_the_api_requires_is_sent_by_default_and_overridable() {
    let api = anthropic_like_api();
    let env = env();
    env.write_config(&format!(
        "[services.a]\ntemplate = \"anthropic\"\nbase_url = \"{}\"\n",
        api.url("/v1")
    ));
    env.cmd(&["connect", "a", "--stdin"])
        .stdin(ANTHROPIC_KEY)
        .stderr(env.connected_static("a", "a"))
        .ok();

    let version = |extra: &[&str]| {
        let mut args = vec!["invoke", "a", "GET", "/models"];
        args.extend(extra);
        env.cmd(&args).ok().json()
    };
    assert_eq!(
        version(&[]),
        json!({ "path": "/v1/models", "anthropic-version": "2023-06-01" })
    );
    // An item of the call replaces the default ...
    assert_eq!(
        version(&["anthropic-version:2099-01-01"]),
        json!({ "path": "/v1/models", "anthropic-version": "2099-01-01" })
    );
    // ... or removes it, and the API refuses the call.
    let refused = env
        .cmd(&["invoke", "a", "GET", "/models", "anthropic-version:"])
        .stderr("tether: HTTP 400 Bad Request\n")
        .fails(4);
    assert_eq!(
        refused.json()["error"]["message"],
        "anthropic-version: header is required"
    );
    // `--dry-run` shows it as it would be sent.
    env.cmd(&["invoke", "a", "GET", "/models", "--dry-run"])
        .stdout(format!(
            "GET {} HTTP/1.1\nanthropic-version: 2023-06-01\nx-api-key: (redacted)\n",
            api.url("/v1/models")
        ))
        .ok();

    // A service may set its own default header, on top of the template's.
    env.cmd(&[
        "service",
        "edit",
        "a",
        "--default-header",
        "anthropic-beta=tools-2026",
    ])
    .stderr("Updated service `a`\n")
    .ok();
    let show = env.cmd(&["service", "show", "a", "--json"]).ok().json();
    assert_eq!(
        show["default_headers"],
        json!({ "anthropic-beta": "tools-2026", "anthropic-version": "2023-06-01" })
    );
    env.assert_never_printed(&[ANTHROPIC_KEY.to_string()]);
}

#[test]
fn a_credential_is_never_a_default_header() {
    let env = env();
    env.cmd(&[
        "service",
        "add",
        "n",
        "--auth",
        "bearer",
        "--base-url",
        "https://api.example.com",
        "--default-header",
        "Authorization=Bearer leaked",
    ])
    .stderr(
        "tether: error: `services.n.default_headers.Authorization`: `Authorization` carries a credential, which a default header may not\n\
         hint: credentials come from `tether connect`; remove it from default_headers\n",
    )
    .fails(2);
    assert_eq!(env.read_config(), "", "nothing written");
    // The service's own key header is a credential too.
    env.write_config(
        "[services.g]\ntemplate = \"gemini\"\ndefault_headers = { X-Goog-Api-Key = \"k\" }\n",
    );
    env.cmd(&["service", "show", "g"])
        .stderr(format!(
            "tether: error: {}:3:38: `services.g.default_headers.X-Goog-Api-Key`: `X-Goog-Api-Key` carries a credential, which a default header may not\n\
             hint: credentials come from `tether connect`; remove it from default_headers\n",
            env.config_path().display()
        ))
        .fails(2);
}

const REDDIT_ID: &str = "installed-app-id";
const X_ID: &str = "x-public-client";

/// A Reddit-like provider: the token endpoint wants HTTP Basic with the
/// client id and an empty password from an installed app, and nothing of
/// the client in the body.
fn reddit_like() -> Copy {
    Copy::start("Reddit-like provider", |request, _| {
        match (request.method.as_str(), request.path.as_str()) {
            ("GET", "/api/v1/authorize") => {
                assert_eq!(request.param("duration"), Some("permanent"));
                approve(request, "reddit-code", &[])
            }
            ("POST", "/api/v1/access_token") => {
                let form = crate::util::form_map(&request.body);
                if request.header("authorization") != Some(basic(REDDIT_ID, "").as_str())
                    || form.contains_key("client_id")
                    || form.contains_key("client_secret")
                {
                    return oauth_error(401, "invalid_client");
                }
                match form.get("grant_type").map(String::as_str) {
                    Some("authorization_code") if form["code"] == "reddit-code" => {
                        token_answer("reddit-at-1", "reddit-rt")
                    }
                    Some("refresh_token") if form["refresh_token"] == "reddit-rt" => {
                        token_answer("reddit-at-2", "reddit-rt")
                    }
                    _ => oauth_error(400, "invalid_grant"),
                }
            }
            (method, path) => panic!("the Reddit-like provider got {method} {path}"),
        }
    })
}

/// An X-like provider: a public client (no secret) sends its id in the
/// body and no Authorization header.
fn x_like() -> Copy {
    Copy::start("X-like provider", |request, _| {
        match (request.method.as_str(), request.path.as_str()) {
            ("GET", "/i/oauth2/authorize") => approve(request, "x-code", &[]),
            ("POST", "/2/oauth2/token") => {
                let form = crate::util::form_map(&request.body);
                if request.header("authorization").is_some()
                    || form.get("client_id").map(String::as_str) != Some(X_ID)
                    || form.contains_key("client_secret")
                {
                    return oauth_error(401, "invalid_client");
                }
                token_answer("x-at-1", "x-rt")
            }
            (method, path) => panic!("the X-like provider got {method} {path}"),
        }
    })
}

#[test]
fn reddit_like_basic_with_an_empty_secret_while_public_clients_stay_in_the_body() {
    let reddit = reddit_like();
    let x = x_like();
    let env = env();
    env.write_config(&format!(
        "[services.r]\n\
         template = \"reddit\"\n\
         client_id = \"{REDDIT_ID}\"\n\
         authorize_url = \"{}\"\n\
         token_url = \"{}\"\n\
         revoke_url = \"{}\"\n\
         \n\
         [services.x]\n\
         template = \"x\"\n\
         client_id = \"{X_ID}\"\n\
         authorize_url = \"{}\"\n\
         token_url = \"{}\"\n",
        reddit.url("/api/v1/authorize"),
        reddit.url("/api/v1/access_token"),
        reddit.url("/api/v1/revoke_token"),
        x.url("/i/oauth2/authorize"),
        x.url("/2/oauth2/token"),
    ));

    let authorize = format!(
        "{}?{}&scope=identity+read&state=[..]&duration=permanent",
        reddit.url("/api/v1/authorize"),
        client_and_redirect(REDDIT_ID)
    );
    env.cmd(&["connect", "r", "--service", "r", "--timeout", "20"])
        .stderr(connected(&env, "r", "r", &authorize))
        .ok();
    env.age_record("r", 3600);
    env.cmd(&["token", "r"]).stdout("reddit-at-2\n").ok();
    let posts = reddit.posts("/api/v1/access_token");
    assert_eq!(posts.len(), 2, "the code, then one refresh");
    for (form, authorization) in &posts {
        assert_eq!(
            authorization.as_deref(),
            Some(format!("Basic {}", base64(b"installed-app-id:")).as_str())
        );
        assert!(!form.contains_key("client_id"), "{form:?}");
    }

    // X sets `basic` for its confidential clients; a public one is unchanged.
    let authorize = format!(
        "{}?{}&scope=tweet.read+users.read+offline.access&state=[..]&code_challenge=[..]&code_challenge_method=S256",
        x.url("/i/oauth2/authorize"),
        client_and_redirect(X_ID)
    );
    env.cmd(&["connect", "x", "--service", "x", "--timeout", "20"])
        .stderr(connected(&env, "x", "x", &authorize))
        .ok();
    assert_eq!(x.posts("/2/oauth2/token")[0].0["client_id"], X_ID);
}
