//! The quirk knobs, each through a full connect → invoke → refresh cycle
//! against a fake provider that copies one real provider's behaviour
//! (`util::fake_provider`). The services inherit the real templates and
//! only point their URLs at the fake, so these tests also show that the
//! templates' quirk settings work together.

use serde_json::Value;

use crate::util::fake_provider::{CLIENT_ID, CLIENT_SECRET, FakeProvider, Quirk, TTL};
use crate::util::{Env, Output};

/// An env whose config has service `svc` from `template`, its endpoints on
/// `fake`, plus `extra` lines.
fn env_with(fake: &FakeProvider, template: &str, extra: &str) -> Env {
    let mut env = Env::new();
    env.set("FAKE_SECRET", CLIENT_SECRET);
    // The fake approves at once; following its redirect is all a browser
    // has to do.
    env.set("BROWSER", "curl -sL -o /dev/null");
    env.write_config(&format!(
        "[services.svc]\n\
         template = \"{template}\"\n\
         client_id = \"{CLIENT_ID}\"\n\
         client_secret = {{ env = \"FAKE_SECRET\" }}\n\
         authorize_url = \"{}\"\n\
         token_url = \"{}\"\n\
         {extra}",
        fake.url("/authorize"),
        fake.url("/token"),
    ));
    env
}

/// The start of every authorization query: what tether sends to any
/// provider, the port of its listener left open.
const CLIENT_AND_REDIRECT: &str = "response_type=code&client_id=fake-client&redirect_uri=http%3A%2F%2F127.0.0.1%3A[..]%2Fcallback";

/// `connect c --service svc`, which must print the fake's authorization
/// URL with `query` after [`CLIENT_AND_REDIRECT`] (`[..]` where tether
/// picks the value), then, when `outcome` is `Ok`, the connected summary
/// that starts with it ("expires in 2s, refreshable"); an `Err` is the
/// error tether ends on, and exit 1.
fn connect(env: &Env, fake: &FakeProvider, query: &str, outcome: Result<&str, &str>) -> Output {
    let prompt = format!(
        "Open this URL to authorize `c` (svc):\n\n  {}?{CLIENT_AND_REDIRECT}{query}\n\n",
        fake.url("/authorize")
    );
    let cmd = env.cmd(&["connect", "c", "--service", "svc", "--timeout", "20"]);
    match outcome {
        Ok(summary) => cmd
            .stderr(format!(
                "{prompt}Connected `c` (svc): {summary}; tokens in file ({})\n\
                 Try it: tether invoke c GET /\n",
                env.tokens_dir().display()
            ))
            .ok(),
        Err(error) => cmd
            .stderr(format!("{prompt}tether: error: {error}\n"))
            .fails(1),
    }
}

fn record(env: &Env) -> Value {
    let text = std::fs::read_to_string(env.tokens_dir().join("c.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `invoke c GET PATH`: the fake's API answers with the path it got.
fn invoke(env: &Env, path: &str) -> Value {
    let out = env.cmd(&["invoke", "c", "GET", path]).ok();
    let answer = out.json();
    assert_eq!(
        out.stdout,
        format!("{{\"path\":{},\"query\":{{}}}}", answer["path"]),
        "the API's whole answer"
    );
    answer
}

/// The names of a token request's form, in order.
fn names(form: &std::collections::BTreeMap<String, String>) -> Vec<&str> {
    form.keys().map(String::as_str).collect()
}

/// Lets the stored tokens get due for refresh: their record ages by
/// their lifetime, the way it would if the test waited that long.
fn make_due(env: &Env) {
    env.age_record("c", TTL);
}

#[test]
fn github_like_form_encoded_token_responses_with_extra_params() {
    let fake = FakeProvider::start(Quirk::GitHubLikeTokenEndpoint);
    let env = env_with(
        &fake,
        "github",
        &format!(
            "base_url = \"{}\"\n\
             auth_params = {{ allow_signup = \"false\" }}\n\
             token_params = {{ exchange_marker = \"code\" }}\n\
             refresh_params = {{ refresh_marker = \"refresh\" }}\n",
            fake.url("/api")
        ),
    );
    connect(
        &env,
        &fake,
        "&scope=read%3Auser&state=[..]&code_challenge=[..]&code_challenge_method=S256&allow_signup=false",
        Ok("expires in [..]s, refreshable"),
    );
    {
        let seen = fake.seen();
        let query = &seen.authorizations[0];
        assert_eq!(query["allow_signup"], "false", "auth_params");
        assert_eq!(query["scope"], "read:user", "the template's scopes");
        assert_eq!(query["code_challenge_method"], "S256", "PKCE stays on");
        let exchange = &seen.token_requests[0].form;
        assert_eq!(exchange["grant_type"], "authorization_code");
        assert_eq!(exchange["exchange_marker"], "code", "token_params");
        assert_eq!(
            names(exchange),
            [
                "client_id",
                "client_secret",
                "code",
                "code_verifier",
                "exchange_marker",
                "grant_type",
                "redirect_uri"
            ],
            "no refresh_params"
        );
        assert_eq!(
            exchange["code_verifier"].len(),
            43,
            "PKCE verifier sent: 32 random bytes in base64url"
        );
        assert_eq!(
            exchange["client_secret"], CLIENT_SECRET,
            "client_auth = body"
        );
    }
    // The form-encoded answer was read: token, lifetime and refresh token.
    let stored = record(&env);
    assert_eq!(stored["access_token"], "ghu_access1");
    assert_eq!(stored["refresh_token"], "ghr_refresh1");
    assert_eq!(
        stored["expires_at"].as_u64().unwrap() - stored["obtained_at"].as_u64().unwrap(),
        TTL
    );

    assert_eq!(invoke(&env, "/user")["path"], "/api/user");
    assert_eq!(fake.grants("refresh_token"), 0);

    make_due(&env);
    assert_eq!(invoke(&env, "/user")["path"], "/api/user");
    assert_eq!(fake.grants("refresh_token"), 1);
    {
        let seen = fake.seen();
        let refresh = &seen.token_requests[1].form;
        assert_eq!(refresh["refresh_token"], "ghr_refresh1");
        assert_eq!(refresh["refresh_marker"], "refresh", "refresh_params");
        assert_eq!(
            names(refresh),
            [
                "client_id",
                "client_secret",
                "grant_type",
                "refresh_marker",
                "refresh_token"
            ],
            "no token_params"
        );
    }
    assert_eq!(record(&env)["refresh_token"], "ghr_refresh2", "rotated");
    env.assert_never_printed(&fake.secrets());
}

#[test]
fn slack_like_nested_user_tokens_with_basic_client_auth() {
    let fake = FakeProvider::start(Quirk::SlackLikeNestedTokens);
    let env = env_with(
        &fake,
        "slack",
        &format!(
            "base_url = \"{}\"\n\
             scopes = [\"users:read\", \"chat:write\"]\n\
             client_auth = \"basic\"\n",
            fake.url("/api")
        ),
    );
    connect(
        &env,
        &fake,
        "&user_scope=users%3Aread%2Cchat%3Awrite&state=[..]",
        Ok("expires in [..]s, refreshable"),
    );
    {
        let seen = fake.seen();
        let query = &seen.authorizations[0];
        assert_eq!(
            query["user_scope"], "users:read,chat:write",
            "scope_param and the comma separator"
        );
        assert!(!query.contains_key("scope"));
        assert!(!query.contains_key("code_challenge"), "pkce = false");
        let exchange = &seen.token_requests[0];
        assert_eq!(
            exchange.authorization,
            Some(format!(
                "Basic {}",
                crate::util::base64(format!("{CLIENT_ID}:{CLIENT_SECRET}").as_bytes())
            )),
            "client_auth = basic"
        );
        assert_eq!(
            names(&exchange.form),
            ["code", "grant_type", "redirect_uri"],
            "no client_secret, no code_verifier"
        );
    }
    // The user token from authed_user, not the bot token next to it.
    let stored = record(&env);
    assert_eq!(stored["access_token"], "xoxp-user1");
    assert_eq!(stored["refresh_token"], "xoxe-1-refresh1");
    assert_eq!(
        stored["token_type"].as_str().unwrap().to_lowercase(),
        "user"
    );
    assert_eq!(stored["vars"]["app_id"], "A0KRD7HC3");
    assert!(!stored.to_string().contains("xoxb"), "{stored}");

    assert_eq!(invoke(&env, "/users.list")["path"], "/api/users.list");

    // Refresh answers are not nested: the top level is used.
    make_due(&env);
    assert_eq!(invoke(&env, "/users.list")["path"], "/api/users.list");
    assert_eq!(fake.grants("refresh_token"), 1);
    assert_eq!(record(&env)["access_token"], "xoxp-user2");
    assert_eq!(record(&env)["vars"]["app_id"], "A0KRD7HC3", "vars survive");
    env.assert_never_printed(&fake.secrets());
}

#[test]
fn mailchimp_like_metadata_fills_the_data_centre() {
    let fake = FakeProvider::start(Quirk::MailchimpLikeMetadata);
    let env = env_with(
        &fake,
        "mailchimp",
        &format!(
            "metadata_url = \"{}\"\nbase_url = \"{}\"\n",
            fake.url("/metadata"),
            fake.url("/{dc}/3.0")
        ),
    );
    connect(
        &env,
        &fake,
        "&state=[..]",
        Ok("no expiry given, no refresh token"),
    );
    assert_eq!(
        fake.seen().metadata_requests,
        ["OAuth mc-access1"],
        "metadata_auth_scheme from the template"
    );
    let stored = record(&env);
    assert_eq!(stored["vars"]["dc"], "us21");
    assert!(
        stored.get("expires_at").is_none(),
        "expires_in 0 means no expiry: {stored}"
    );

    assert_eq!(invoke(&env, "/lists")["path"], "/us21/3.0/lists");

    // Never expires, nothing to refresh: still good later, no token request.
    make_due(&env);
    assert_eq!(invoke(&env, "/lists")["path"], "/us21/3.0/lists");
    env.assert_never_printed(&fake.secrets());
    // `token` prints the token on purpose.
    env.cmd(&["token", "c"]).stdout("mc-access1\n").ok();
    assert_eq!(fake.seen().token_requests.len(), 1);
}

#[test]
fn mailchimp_like_metadata_failure_fails_the_connect() {
    let fake = FakeProvider::start(Quirk::MailchimpLikeMetadata);
    let env = env_with(
        &fake,
        "mailchimp",
        &format!(
            "metadata_url = \"{}\"\nmetadata_vars = {{ dc = \"datacenter\" }}\nbase_url = \"{}\"\n",
            fake.url("/metadata"),
            fake.url("/{dc}/3.0")
        ),
    );
    connect(
        &env,
        &fake,
        "&state=[..]",
        Err("the metadata answer has no `datacenter` for the var `dc`"),
    );
    assert!(!env.tokens_dir().join("c.json").exists());
}

#[test]
fn zoho_like_api_domain_string_lifetimes_and_no_new_refresh_token() {
    let fake = FakeProvider::start(Quirk::ZohoLikeApiDomain);
    let env = env_with(
        &fake,
        "zoho",
        "scopes = [\"ZohoCRM.modules.ALL\", \"ZohoCRM.settings.READ\"]\n",
    );
    connect(
        &env,
        &fake,
        "&scope=ZohoCRM.modules.ALL%2CZohoCRM.settings.READ&state=[..]&access_type=offline&prompt=consent",
        Ok("expires in [..]s, refreshable"),
    );
    {
        let seen = fake.seen();
        let query = &seen.authorizations[0];
        assert_eq!(query["scope"], "ZohoCRM.modules.ALL,ZohoCRM.settings.READ");
        assert_eq!(query["access_type"], "offline");
        assert_eq!(query["prompt"], "consent");
        assert!(!query.contains_key("code_challenge"));
    }
    let stored = record(&env);
    assert_eq!(
        stored["vars"],
        serde_json::json!({ "api_domain": fake.url("") }),
        "token_vars keeps api_domain only"
    );
    assert_eq!(
        stored["expires_at"].as_u64().unwrap() - stored["obtained_at"].as_u64().unwrap(),
        TTL,
        "expires_in as a string"
    );

    // base_url = "{api_domain}", token_scheme = "Zoho-oauthtoken".
    assert_eq!(invoke(&env, "/crm/v7/Leads")["path"], "/crm/v7/Leads");

    for round in 1..=2 {
        make_due(&env);
        assert_eq!(invoke(&env, "/crm/v7/Leads")["path"], "/crm/v7/Leads");
        assert_eq!(fake.grants("refresh_token"), round);
        let seen = fake.seen();
        let refresh = &seen.token_requests.last().unwrap().form;
        assert_eq!(
            refresh["refresh_token"], "1000.refresh1",
            "the first refresh token is kept and used again"
        );
    }
    assert_eq!(record(&env)["refresh_token"], "1000.refresh1");
    assert_eq!(
        fake.seen()
            .api_requests
            .iter()
            .filter(|(_, s)| *s == 401)
            .count(),
        0
    );
    env.assert_never_printed(&fake.secrets());
}
