//! Every template parses, validates as a user's service, and builds the
//! authorization URL its provider documents.

use std::collections::BTreeMap;

use super::*;
use crate::config::AuthKind;
use crate::config::resolve::resolve;
use crate::config::validate::check_service;
use crate::oauth::authorize::authorization_url;

/// What a provider's documentation says its authorization request looks
/// like: the host and path, the parameters that matter, and whether PKCE
/// is sent.
struct Expected {
    host: &'static str,
    path: &'static str,
    params: &'static [(&'static str, &'static str)],
    pkce: bool,
}

const fn oauth(
    host: &'static str,
    path: &'static str,
    params: &'static [(&'static str, &'static str)],
    pkce: bool,
) -> Option<Expected> {
    Some(Expected {
        host,
        path,
        params,
        pkce,
    })
}

/// The table: every template, `None` for those without a browser flow.
const TABLE: &[(&str, Option<Expected>)] = &[
    (
        "atlassian",
        oauth(
            "auth.atlassian.com",
            "/authorize",
            &[
                ("audience", "api.atlassian.com"),
                ("prompt", "consent"),
                ("scope", "read:jira-work read:jira-user offline_access"),
            ],
            false,
        ),
    ),
    (
        "box",
        oauth("account.box.com", "/api/oauth2/authorize", &[], false),
    ),
    (
        "discord",
        oauth(
            "discord.com",
            "/oauth2/authorize",
            &[("scope", "identify")],
            false,
        ),
    ),
    (
        "dropbox",
        oauth(
            "www.dropbox.com",
            "/oauth2/authorize",
            &[("token_access_type", "offline")],
            true,
        ),
    ),
    (
        "github",
        oauth(
            "github.com",
            "/login/oauth/authorize",
            &[("scope", "read:user")],
            true,
        ),
    ),
    (
        "gitlab",
        oauth(
            "gitlab.com",
            "/oauth/authorize",
            &[("scope", "read_user")],
            true,
        ),
    ),
    (
        "google",
        oauth(
            "accounts.google.com",
            "/o/oauth2/v2/auth",
            &[
                ("access_type", "offline"),
                ("prompt", "consent"),
                ("scope", "openid email"),
            ],
            true,
        ),
    ),
    (
        "hubspot",
        oauth(
            "app.hubspot.com",
            "/oauth/authorize",
            &[("scope", "oauth")],
            false,
        ),
    ),
    (
        "intuit",
        oauth(
            "appcenter.intuit.com",
            "/connect/oauth2",
            &[("scope", "com.intuit.quickbooks.accounting")],
            false,
        ),
    ),
    (
        "linkedin",
        oauth(
            "www.linkedin.com",
            "/oauth/v2/authorization",
            &[("scope", "openid profile email")],
            false,
        ),
    ),
    (
        "mailchimp",
        oauth("login.mailchimp.com", "/oauth2/authorize", &[], false),
    ),
    (
        "microsoft",
        oauth(
            "login.microsoftonline.com",
            "/common/oauth2/v2.0/authorize",
            &[("scope", "offline_access User.Read")],
            true,
        ),
    ),
    (
        "notion",
        oauth(
            "api.notion.com",
            "/v1/oauth/authorize",
            &[("owner", "user")],
            false,
        ),
    ),
    ("openai", None),
    (
        "reddit",
        oauth(
            "www.reddit.com",
            "/api/v1/authorize",
            &[("duration", "permanent"), ("scope", "identity read")],
            false,
        ),
    ),
    (
        "salesforce",
        oauth(
            "login.salesforce.com",
            "/services/oauth2/authorize",
            &[("scope", "api refresh_token")],
            true,
        ),
    ),
    (
        "slack",
        oauth(
            "slack.com",
            "/oauth/v2/authorize",
            &[("user_scope", "users:read")],
            false,
        ),
    ),
    (
        "spotify",
        oauth(
            "accounts.spotify.com",
            "/authorize",
            &[("scope", "user-read-private user-read-email")],
            true,
        ),
    ),
    ("stripe", None),
    (
        "x",
        oauth(
            "x.com",
            "/i/oauth2/authorize",
            &[("scope", "tweet.read users.read offline.access")],
            true,
        ),
    ),
    (
        "xero",
        oauth(
            "login.xero.com",
            "/identity/connect/authorize",
            &[(
                "scope",
                "openid profile email accounting.transactions offline_access",
            )],
            true,
        ),
    ),
    (
        "zoho",
        oauth(
            "accounts.zoho.com",
            "/oauth/v2/auth",
            &[
                ("access_type", "offline"),
                ("prompt", "consent"),
                ("scope", "ZohoCRM.modules.ALL"),
            ],
            false,
        ),
    ),
];

/// The service a user gets from `tether service add NAME --from T
/// --client-id dummy` (no client ID for the static kinds).
fn user_service(template: &Template) -> Service {
    let mut user = toml::Table::new();
    user.insert("template".into(), template.name.into());
    if template.service.auth.is_oauth() {
        user.insert("client_id".into(), "dummy-client".into());
    }
    resolve("svc", &user).unwrap_or_else(|p| panic!("{}: {p:?}", template.name))
}

#[test]
fn the_table_covers_every_template_and_at_least_twenty() {
    let names: Vec<&str> = all().iter().map(|t| t.name).collect();
    let table: Vec<&str> = TABLE.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, table);
    assert!(names.len() >= 20);
}

#[test]
fn every_template_parses_validates_and_builds_its_documented_authorization_url() {
    for (name, expected) in TABLE {
        let template = get(name).unwrap_or_else(|| panic!("no template `{name}`"));
        assert!(!template.display_name.is_empty(), "{name}");
        assert!(
            template.docs_url.starts_with("https://"),
            "{name}: {}",
            template.docs_url
        );
        let service = user_service(template);
        check_service("svc", &service).unwrap_or_else(|p| panic!("{name}: {p:?}"));
        assert_eq!(
            service.auth == AuthKind::Oauth2,
            expected.is_some(),
            "{name}: only browser flows have an authorization URL"
        );
        assert_eq!(
            template.redirect.is_some(),
            expected.is_some(),
            "{name}: a redirect rule exactly for browser flows"
        );
        let Some(expected) = expected else {
            assert!(service.base_url.is_some(), "{name}");
            continue;
        };
        let challenge = service.pkce().then_some("ch4llenge");
        let url = authorization_url(
            "svc",
            &service,
            "http://127.0.0.1:4000/callback",
            &service.scopes,
            "st4te",
            challenge,
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(url.scheme(), "https", "{name}");
        assert_eq!(url.host_str(), Some(expected.host), "{name}");
        assert_eq!(url.path(), expected.path, "{name}");
        let query: BTreeMap<String, String> = url.query_pairs().into_owned().collect();
        assert_eq!(query["response_type"], "code", "{name}");
        assert_eq!(query["client_id"], "dummy-client", "{name}");
        assert_eq!(query["state"], "st4te", "{name}");
        for (key, value) in expected.params {
            assert_eq!(
                query.get(*key).map(String::as_str),
                Some(*value),
                "{name}: `{key}` in {url}"
            );
        }
        assert_eq!(
            query.get("code_challenge_method").map(String::as_str),
            expected.pkce.then_some("S256"),
            "{name}: PKCE"
        );
    }
}

#[test]
fn every_key_a_template_sets_reaches_the_service_that_uses_it() {
    for template in all() {
        let mut expected = serde_json::to_value(&template.service).unwrap();
        let resolved = serde_json::to_value(user_service(template)).unwrap();
        let vars = template.service.vars.clone();
        for (key, value) in expected.as_object_mut().unwrap() {
            // The template's vars are filled into its endpoints; base_url
            // keeps its placeholders, filled per request with `--var` and
            // the connection's vars before the service's.
            if let serde_json::Value::String(text) = value
                && key != "base_url"
            {
                for (name, var) in &vars {
                    *text = text.replace(&format!("{{{name}}}"), var);
                }
            }
            let unset = value.is_null()
                || value.as_array().is_some_and(Vec::is_empty)
                || value.as_object().is_some_and(serde_json::Map::is_empty);
            if !unset {
                assert_eq!(&resolved[key], value, "{}: `{key}`", template.name);
            }
        }
    }
}

#[test]
fn templates_hold_no_client_credentials() {
    let text = "display_name = \"X\"\ndocs_url = \"https://x.example\"\n[service]\nauth = \"oauth2\"\nclient_id = \"leaked\"\n";
    let err = parse("x", text).unwrap_err();
    assert_eq!(
        err.to_string(),
        "template `x`: `client_id` belongs to the user's service"
    );
    assert!(matches!(
        err,
        ParseError::UserKey {
            name: "x",
            key: "client_id"
        }
    ));
    let text = "display_name = \"X\"\ndocs_url = \"https://x.example\"\ncolour = 1\n[service]\n";
    let ParseError::Toml { name, source } = parse("x", text).unwrap_err() else {
        panic!("a TOML error");
    };
    assert_eq!(name, "x");
    assert_eq!(
        source.message(),
        "unknown field `colour`, expected one of `display_name`, `docs_url`, `redirect`, `notes`, `service`"
    );
    let text = "display_name = \"X\"\ndocs_url = \"https://x.example\"\n[service]\ntokn_url = \"https://x.example/t\"\n";
    let ParseError::Toml { source, .. } = parse("x", text).unwrap_err() else {
        panic!("a TOML error");
    };
    let keys: Vec<String> = KEYS.iter().map(|k| format!("`{}`", k.name)).collect();
    assert_eq!(
        source.message(),
        format!(
            "unknown field `tokn_url`, expected one of {}",
            keys.join(", ")
        )
    );
}

#[test]
fn provider_quirks_are_in_the_data() {
    let slack = user_service(get("slack").unwrap());
    assert_eq!(slack.token_path.as_deref(), Some("authed_user"));
    let mailchimp = user_service(get("mailchimp").unwrap());
    assert_eq!(mailchimp.metadata_vars["dc"], "dc");
    assert_eq!(mailchimp.metadata_auth_scheme.as_deref(), Some("OAuth"));
    let zoho = user_service(get("zoho").unwrap());
    assert_eq!(
        zoho.token_vars.as_deref(),
        Some(&["api_domain".to_string()][..])
    );
    assert_eq!(
        zoho.token_url.as_deref(),
        Some("https://accounts.zoho.com/oauth/v2/token")
    );
    let x = user_service(get("x").unwrap());
    assert_eq!(x.client_auth(), crate::config::ClientAuth::Basic);
    let reddit = user_service(get("reddit").unwrap());
    assert_eq!(reddit.client_auth(), crate::config::ClientAuth::Basic);
}
