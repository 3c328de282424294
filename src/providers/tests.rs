//! Every template parses, validates as a user's service, and builds the
//! authorization URL its provider documents.

use std::collections::BTreeMap;

use super::*;
use crate::config::AuthKind;
use crate::config::model::Presentation;
use crate::config::model::SignatureMethod;
use crate::config::resolve::resolve;
use crate::config::template::Vars;
use crate::config::validate::check_service;
use crate::oauth::authorize::authorization_url;
use RedirectRule::{AnyLoopbackPort, FixedPort, HttpsOnly, LocalhostOnly};

/// What a provider's documentation says about one template: its
/// authorization request (host, path, the parameters that matter, PKCE),
/// the redirect URIs it accepts, and where its API is.
struct Row {
    name: &'static str,
    /// The authorization request of a browser flow; `None` for the others.
    authorize: Option<Authorize>,
    redirect: Option<RedirectRule>,
    /// `base_url` as the template writes it.
    base_url: &'static str,
    /// The connection's vars the endpoints need (a shop, a host).
    vars: &'static [(&'static str, &'static str)],
    /// The headers sent on every call (an API version).
    headers: &'static [(&'static str, &'static str)],
    /// How a client without a secret meets the token endpoint: in the
    /// body, as public clients of X, Spotify or Xero do, unless the
    /// provider asks for Basic with an empty password (Reddit).
    public_client: Presentation,
    /// The OAuth 1.0a flow, for `oauth1` templates.
    oauth1: Option<OAuth1>,
}

/// An OAuth 1.0a template's endpoints, filled for the row's vars, its
/// signature method and its authorization-page parameters.
struct OAuth1 {
    method: SignatureMethod,
    request_token: &'static str,
    authorize: &'static str,
    access_token: &'static str,
    auth_params: &'static [(&'static str, &'static str)],
}

/// An authorization request: the host and path, the parameters that
/// matter, and whether PKCE is sent.
struct Authorize {
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
) -> Option<Authorize> {
    Some(Authorize {
        host,
        path,
        params,
        pkce,
    })
}

/// A row's defaults: a static credential with no browser flow.
const ROW: Row = Row {
    name: "",
    authorize: None,
    redirect: None,
    base_url: "",
    vars: &[],
    headers: &[],
    public_client: Presentation::Body,
    oauth1: None,
};

/// The application-link endpoints of an Atlassian Data Center product on
/// `host`.
const fn atlassian_dc(host_urls: [&'static str; 3]) -> Option<OAuth1> {
    Some(OAuth1 {
        method: SignatureMethod::RsaSha1,
        request_token: host_urls[0],
        authorize: host_urls[1],
        access_token: host_urls[2],
        auth_params: &[],
    })
}

/// The table: every template, in name order.
const TABLE: &[Row] = &[
    Row {
        name: "airtable",
        authorize: oauth(
            "airtable.com",
            "/oauth2/v1/authorize",
            &[("scope", "data.records:read schema.bases:read")],
            true,
        ),
        redirect: Some(LocalhostOnly),
        base_url: "https://api.airtable.com/v0",
        ..ROW
    },
    Row {
        name: "anthropic",
        base_url: "https://api.anthropic.com/v1",
        headers: &[("anthropic-version", "2023-06-01")],
        ..ROW
    },
    Row {
        name: "asana",
        authorize: oauth(
            "app.asana.com",
            "/-/oauth_authorize",
            &[("scope", "users:read tasks:read projects:read")],
            false,
        ),
        redirect: Some(FixedPort),
        base_url: "https://app.asana.com/api/1.0",
        ..ROW
    },
    Row {
        name: "atlassian",
        authorize: oauth(
            "auth.atlassian.com",
            "/authorize",
            &[
                ("audience", "api.atlassian.com"),
                ("prompt", "consent"),
                ("scope", "read:jira-work read:jira-user offline_access"),
            ],
            false,
        ),
        redirect: Some(FixedPort),
        base_url: "https://api.atlassian.com/ex/jira/{cloud_id}",
        ..ROW
    },
    Row {
        name: "auth0",
        authorize: oauth(
            "acme.eu.auth0.com",
            "/authorize",
            &[("scope", "openid profile email offline_access")],
            true,
        ),
        redirect: Some(FixedPort),
        base_url: "https://{host}",
        vars: &[("host", "acme.eu.auth0.com")],
        ..ROW
    },
    Row {
        name: "bitbucket",
        authorize: oauth("bitbucket.org", "/site/oauth2/authorize", &[], false),
        redirect: Some(FixedPort),
        base_url: "https://api.bitbucket.org/2.0",
        ..ROW
    },
    Row {
        name: "bitbucket-server",
        base_url: "https://{host}/rest/api/1.0",
        vars: &[("host", "bitbucket.example.com")],
        oauth1: atlassian_dc([
            "https://bitbucket.example.com/plugins/servlet/oauth/request-token",
            "https://bitbucket.example.com/plugins/servlet/oauth/authorize",
            "https://bitbucket.example.com/plugins/servlet/oauth/access-token",
        ]),
        ..ROW
    },
    Row {
        name: "box",
        authorize: oauth("account.box.com", "/api/oauth2/authorize", &[], false),
        redirect: Some(FixedPort),
        base_url: "https://api.box.com/2.0",
        ..ROW
    },
    Row {
        name: "calendly",
        authorize: oauth("auth.calendly.com", "/oauth/authorize", &[], true),
        redirect: Some(LocalhostOnly),
        base_url: "https://api.calendly.com",
        ..ROW
    },
    Row {
        name: "clickup",
        authorize: oauth("app.clickup.com", "/api", &[], false),
        redirect: Some(FixedPort),
        base_url: "https://api.clickup.com/api/v2",
        ..ROW
    },
    Row {
        name: "cloudflare",
        base_url: "https://api.cloudflare.com/client/v4",
        ..ROW
    },
    Row {
        name: "confluence-datacenter",
        base_url: "https://{host}/rest/api",
        vars: &[("host", "wiki.example.com")],
        oauth1: atlassian_dc([
            "https://wiki.example.com/plugins/servlet/oauth/request-token",
            "https://wiki.example.com/plugins/servlet/oauth/authorize",
            "https://wiki.example.com/plugins/servlet/oauth/access-token",
        ]),
        ..ROW
    },
    Row {
        name: "discord",
        authorize: oauth(
            "discord.com",
            "/oauth2/authorize",
            &[("scope", "identify")],
            true,
        ),
        redirect: Some(FixedPort),
        base_url: "https://discord.com/api/v10",
        ..ROW
    },
    Row {
        name: "docusign",
        authorize: oauth(
            "account-d.docusign.com",
            "/oauth/auth",
            &[("scope", "signature extended")],
            true,
        ),
        redirect: Some(FixedPort),
        base_url: "{base_uri}/restapi/v2.1/accounts/{account_id}",
        ..ROW
    },
    Row {
        name: "dropbox",
        authorize: oauth(
            "www.dropbox.com",
            "/oauth2/authorize",
            &[("token_access_type", "offline")],
            true,
        ),
        redirect: Some(FixedPort),
        base_url: "https://api.dropboxapi.com/2",
        ..ROW
    },
    Row {
        name: "figma",
        authorize: oauth(
            "www.figma.com",
            "/oauth",
            &[("scope", "current_user:read file_content:read")],
            false,
        ),
        redirect: Some(FixedPort),
        base_url: "https://api.figma.com/v1",
        ..ROW
    },
    Row {
        name: "flickr",
        base_url: "https://api.flickr.com/services/rest",
        oauth1: Some(OAuth1 {
            method: SignatureMethod::HmacSha1,
            request_token: "https://www.flickr.com/services/oauth/request_token",
            authorize: "https://www.flickr.com/services/oauth/authorize",
            access_token: "https://www.flickr.com/services/oauth/access_token",
            auth_params: &[("perms", "read")],
        }),
        ..ROW
    },
    Row {
        name: "garmin",
        base_url: "https://apis.garmin.com",
        oauth1: Some(OAuth1 {
            method: SignatureMethod::HmacSha1,
            request_token: "https://connectapi.garmin.com/oauth-service/oauth/request_token",
            authorize: "https://connect.garmin.com/oauthConfirm",
            access_token: "https://connectapi.garmin.com/oauth-service/oauth/access_token",
            auth_params: &[],
        }),
        ..ROW
    },
    Row {
        name: "gemini",
        base_url: "https://generativelanguage.googleapis.com/v1beta",
        ..ROW
    },
    Row {
        name: "github",
        authorize: oauth(
            "github.com",
            "/login/oauth/authorize",
            &[("scope", "read:user")],
            true,
        ),
        redirect: Some(AnyLoopbackPort),
        base_url: "https://api.github.com",
        headers: &[("X-GitHub-Api-Version", "2022-11-28")],
        ..ROW
    },
    Row {
        name: "gitlab",
        authorize: oauth(
            "gitlab.com",
            "/oauth/authorize",
            &[("scope", "read_user")],
            true,
        ),
        redirect: Some(FixedPort),
        base_url: "https://{host}/api/v4",
        ..ROW
    },
    Row {
        name: "google",
        authorize: oauth(
            "accounts.google.com",
            "/o/oauth2/v2/auth",
            &[
                ("access_type", "offline"),
                ("prompt", "consent"),
                ("scope", "openid email"),
            ],
            true,
        ),
        redirect: Some(AnyLoopbackPort),
        base_url: "https://www.googleapis.com",
        ..ROW
    },
    Row {
        name: "hubspot",
        authorize: oauth(
            "app.hubspot.com",
            "/oauth/authorize",
            &[("scope", "oauth")],
            false,
        ),
        redirect: Some(LocalhostOnly),
        base_url: "https://api.hubapi.com",
        ..ROW
    },
    Row {
        name: "intercom",
        authorize: oauth("app.intercom.com", "/oauth", &[], false),
        redirect: Some(HttpsOnly),
        base_url: "https://api.intercom.io",
        headers: &[("Intercom-Version", "2.14")],
        ..ROW
    },
    Row {
        name: "intuit",
        authorize: oauth(
            "appcenter.intuit.com",
            "/connect/oauth2",
            &[("scope", "com.intuit.quickbooks.accounting")],
            false,
        ),
        redirect: Some(FixedPort),
        base_url: "https://quickbooks.api.intuit.com/v3/company/{realm_id}",
        ..ROW
    },
    Row {
        name: "jira-datacenter",
        base_url: "https://{host}/rest/api/2",
        vars: &[("host", "jira.example.com")],
        oauth1: atlassian_dc([
            "https://jira.example.com/plugins/servlet/oauth/request-token",
            "https://jira.example.com/plugins/servlet/oauth/authorize",
            "https://jira.example.com/plugins/servlet/oauth/access-token",
        ]),
        ..ROW
    },
    Row {
        name: "keycloak",
        authorize: oauth(
            "sso.example.com",
            "/realms/staff/protocol/openid-connect/auth",
            &[("scope", "openid profile email offline_access")],
            true,
        ),
        redirect: Some(FixedPort),
        base_url: "https://{host}/realms/{realm}/protocol/openid-connect",
        vars: &[("host", "sso.example.com"), ("realm", "staff")],
        ..ROW
    },
    Row {
        name: "linear",
        authorize: oauth("linear.app", "/oauth/authorize", &[("scope", "read")], true),
        redirect: Some(FixedPort),
        base_url: "https://api.linear.app/graphql",
        ..ROW
    },
    Row {
        name: "linkedin",
        authorize: oauth(
            "www.linkedin.com",
            "/oauth/v2/authorization",
            &[("scope", "openid profile email")],
            false,
        ),
        redirect: Some(FixedPort),
        base_url: "https://api.linkedin.com",
        ..ROW
    },
    Row {
        name: "mailchimp",
        authorize: oauth("login.mailchimp.com", "/oauth2/authorize", &[], false),
        redirect: Some(FixedPort),
        base_url: "https://{dc}.api.mailchimp.com/3.0",
        ..ROW
    },
    Row {
        name: "microsoft",
        authorize: oauth(
            "login.microsoftonline.com",
            "/common/oauth2/v2.0/authorize",
            &[("scope", "offline_access User.Read")],
            true,
        ),
        redirect: Some(AnyLoopbackPort),
        base_url: "https://graph.microsoft.com/v1.0",
        ..ROW
    },
    Row {
        name: "miro",
        authorize: oauth("miro.com", "/oauth/authorize", &[], false),
        redirect: Some(FixedPort),
        base_url: "https://api.miro.com/v2",
        ..ROW
    },
    Row {
        name: "monday",
        authorize: oauth(
            "auth.monday.com",
            "/oauth2/authorize",
            &[("scope", "me:read boards:read")],
            true,
        ),
        redirect: Some(FixedPort),
        base_url: "https://api.monday.com/v2",
        headers: &[("API-Version", "2026-10")],
        ..ROW
    },
    Row {
        name: "notion",
        authorize: oauth(
            "api.notion.com",
            "/v1/oauth/authorize",
            &[("owner", "user")],
            false,
        ),
        redirect: Some(FixedPort),
        base_url: "https://api.notion.com/v1",
        headers: &[("Notion-Version", "2026-03-11")],
        ..ROW
    },
    Row {
        name: "okta",
        authorize: oauth(
            "acme.okta.com",
            "/oauth2/default/v1/authorize",
            &[("scope", "openid profile email offline_access")],
            true,
        ),
        redirect: Some(FixedPort),
        base_url: "https://{host}",
        vars: &[("host", "acme.okta.com")],
        ..ROW
    },
    Row {
        name: "openai",
        base_url: "https://api.openai.com/v1",
        ..ROW
    },
    Row {
        name: "pipedrive",
        authorize: oauth("oauth.pipedrive.com", "/oauth/authorize", &[], false),
        redirect: Some(FixedPort),
        base_url: "{api_domain}/api/v1",
        ..ROW
    },
    Row {
        name: "reddit",
        authorize: oauth(
            "www.reddit.com",
            "/api/v1/authorize",
            &[("duration", "permanent"), ("scope", "identity read")],
            false,
        ),
        redirect: Some(FixedPort),
        base_url: "https://oauth.reddit.com",
        public_client: Presentation::BasicEmptyPassword,
        ..ROW
    },
    Row {
        name: "salesforce",
        authorize: oauth(
            "login.salesforce.com",
            "/services/oauth2/authorize",
            &[("scope", "api refresh_token")],
            true,
        ),
        redirect: Some(FixedPort),
        base_url: "{instance_url}/services/data/v62.0",
        ..ROW
    },
    Row {
        name: "sendgrid",
        base_url: "https://api.sendgrid.com/v3",
        ..ROW
    },
    Row {
        name: "shopify",
        authorize: oauth(
            "acme.myshopify.com",
            "/admin/oauth/authorize",
            &[("scope", "read_products")],
            false,
        ),
        redirect: Some(FixedPort),
        base_url: "https://{shop}.myshopify.com/admin/api/{api_version}",
        vars: &[("shop", "acme")],
        ..ROW
    },
    Row {
        name: "slack",
        authorize: oauth(
            "slack.com",
            "/oauth/v2/authorize",
            &[("user_scope", "users:read")],
            false,
        ),
        redirect: Some(HttpsOnly),
        base_url: "https://slack.com/api",
        ..ROW
    },
    Row {
        name: "slack-pkce",
        authorize: oauth(
            "slack.com",
            "/oauth/v2/authorize",
            &[("user_scope", "users:read")],
            true,
        ),
        redirect: Some(LocalhostOnly),
        base_url: "https://slack.com/api",
        ..ROW
    },
    Row {
        name: "spotify",
        authorize: oauth(
            "accounts.spotify.com",
            "/authorize",
            &[("scope", "user-read-private user-read-email")],
            true,
        ),
        redirect: Some(AnyLoopbackPort),
        base_url: "https://api.spotify.com/v1",
        ..ROW
    },
    Row {
        name: "strava",
        authorize: oauth(
            "www.strava.com",
            "/oauth/authorize",
            &[("approval_prompt", "auto"), ("scope", "read,activity:read")],
            false,
        ),
        redirect: Some(AnyLoopbackPort),
        base_url: "https://www.strava.com/api/v3",
        ..ROW
    },
    Row {
        name: "stripe",
        base_url: "https://api.stripe.com/v1",
        ..ROW
    },
    Row {
        name: "trello",
        base_url: "https://api.trello.com/1",
        oauth1: Some(OAuth1 {
            method: SignatureMethod::HmacSha1,
            request_token: "https://trello.com/1/OAuthGetRequestToken",
            authorize: "https://trello.com/1/OAuthAuthorizeToken",
            access_token: "https://trello.com/1/OAuthGetAccessToken",
            auth_params: &[
                ("expiration", "30days"),
                ("name", "tether"),
                ("scope", "read,write"),
            ],
        }),
        ..ROW
    },
    Row {
        name: "tumblr",
        base_url: "https://api.tumblr.com/v2",
        oauth1: Some(OAuth1 {
            method: SignatureMethod::HmacSha1,
            request_token: "https://www.tumblr.com/oauth/request_token",
            authorize: "https://www.tumblr.com/oauth/authorize",
            access_token: "https://www.tumblr.com/oauth/access_token",
            auth_params: &[],
        }),
        ..ROW
    },
    Row {
        name: "twilio",
        base_url: "https://api.twilio.com/2010-04-01",
        ..ROW
    },
    Row {
        name: "twitch",
        authorize: oauth(
            "id.twitch.tv",
            "/oauth2/authorize",
            &[("scope", "user:read:email")],
            false,
        ),
        redirect: Some(FixedPort),
        base_url: "https://api.twitch.tv/helix",
        ..ROW
    },
    Row {
        name: "typeform",
        authorize: oauth(
            "api.typeform.com",
            "/oauth/authorize",
            &[("scope", "accounts:read forms:read responses:read offline")],
            false,
        ),
        redirect: Some(FixedPort),
        base_url: "https://api.typeform.com",
        ..ROW
    },
    Row {
        name: "x",
        authorize: oauth(
            "x.com",
            "/i/oauth2/authorize",
            &[("scope", "tweet.read users.read offline.access")],
            true,
        ),
        redirect: Some(FixedPort),
        base_url: "https://api.x.com/2",
        ..ROW
    },
    Row {
        name: "x-oauth1",
        base_url: "https://api.x.com/1.1",
        oauth1: Some(OAuth1 {
            method: SignatureMethod::HmacSha1,
            request_token: "https://api.x.com/oauth/request_token",
            authorize: "https://api.x.com/oauth/authorize",
            access_token: "https://api.x.com/oauth/access_token",
            auth_params: &[],
        }),
        ..ROW
    },
    Row {
        name: "xero",
        authorize: oauth(
            "login.xero.com",
            "/identity/connect/authorize",
            &[(
                "scope",
                "openid profile email accounting.invoices.read accounting.payments.read accounting.banktransactions.read accounting.settings.read accounting.contacts.read offline_access",
            )],
            true,
        ),
        redirect: Some(FixedPort),
        base_url: "https://api.xero.com/api.xro/2.0",
        ..ROW
    },
    Row {
        name: "zendesk",
        authorize: oauth(
            "acme.zendesk.com",
            "/oauth/authorizations/new",
            &[("scope", "read")],
            true,
        ),
        redirect: Some(FixedPort),
        base_url: "https://{subdomain}.zendesk.com/api/v2",
        vars: &[("subdomain", "acme")],
        ..ROW
    },
    Row {
        name: "zoho",
        authorize: oauth(
            "accounts.zoho.com",
            "/oauth/v2/auth",
            &[
                ("access_type", "offline"),
                ("prompt", "consent"),
                ("scope", "ZohoCRM.modules.ALL"),
            ],
            false,
        ),
        redirect: Some(FixedPort),
        base_url: "{api_domain}",
        ..ROW
    },
    Row {
        name: "zoom",
        authorize: oauth("zoom.us", "/oauth/authorize", &[], true),
        redirect: Some(AnyLoopbackPort),
        base_url: "https://api.zoom.us/v2",
        ..ROW
    },
];

/// The service a user gets from `tether service add NAME --from T
/// --client-id dummy` (no client ID for the static kinds).
fn user_service(template: &Template) -> Service {
    let mut user = toml::Table::new();
    user.insert("template".into(), template.name.into());
    if template.service.auth.has_client() {
        user.insert("client_id".into(), "dummy-client".into());
    }
    if template.service.auth == AuthKind::Oauth1 {
        let (key, reference) = match template.service.signature_method() {
            SignatureMethod::RsaSha1 => ("private_key", ("file", "key.pem")),
            _ => ("client_secret", ("env", "CONSUMER_SECRET")),
        };
        let reference = toml::Table::from_iter([(reference.0.to_string(), reference.1.into())]);
        user.insert(key.into(), reference.into());
    }
    resolve("svc", &user).unwrap_or_else(|p| panic!("{}: {p:?}", template.name))
}

#[test]
fn the_table_covers_every_template() {
    let names: Vec<&str> = all().iter().map(|t| t.name).collect();
    let table: Vec<&str> = TABLE.iter().map(|row| row.name).collect();
    assert_eq!(names, table);
    assert!(names.len() >= 57);
}

#[test]
fn every_template_is_what_its_provider_documents() {
    for row in TABLE {
        let name = row.name;
        let template = get(name).unwrap_or_else(|| panic!("no template `{name}`"));
        assert!(!template.display_name.is_empty(), "{name}");
        assert!(!template.tags.is_empty(), "{name}: tags to find it by");
        assert!(
            template.docs_url.starts_with("https://"),
            "{name}: {}",
            template.docs_url
        );
        let service = user_service(template);
        check_service("svc", &service).unwrap_or_else(|p| panic!("{name}: {p:?}"));
        let vars: Vars = row
            .vars
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect();
        let service = service
            .for_connection("svc", &vars, &Vars::new())
            .unwrap_or_else(|e| panic!("{name}: the endpoints of a connection: {e}"));
        assert_eq!(template.redirect, row.redirect, "{name}: the redirect rule");
        let headers: Vec<(&str, &str)> = service
            .default_headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(headers, row.headers, "{name}: the default headers");
        if service.auth.is_oauth() {
            assert_eq!(
                service.client_auth().presentation(false),
                row.public_client,
                "{name}: a client without a secret"
            );
        }
        assert_eq!(
            service.base_url.as_deref(),
            Some(row.base_url),
            "{name}: base_url"
        );
        assert_eq!(
            service.auth == AuthKind::Oauth2,
            row.authorize.is_some(),
            "{name}: only browser flows have an authorization URL"
        );
        assert_eq!(
            template.redirect.is_some(),
            row.authorize.is_some(),
            "{name}: a redirect rule exactly for browser flows"
        );
        assert_eq!(
            service.auth == AuthKind::Oauth1,
            row.oauth1.is_some(),
            "{name}: OAuth 1.0a rows"
        );
        if let Some(expected) = &row.oauth1 {
            assert_eq!(service.signature_method(), expected.method, "{name}");
            assert_eq!(
                [
                    service.request_token_url.as_deref(),
                    service.authorize_url.as_deref(),
                    service.access_token_url.as_deref(),
                ],
                [
                    Some(expected.request_token),
                    Some(expected.authorize),
                    Some(expected.access_token),
                ],
                "{name}: the OAuth 1.0a endpoints"
            );
            let params: Vec<(&str, &str)> = service
                .auth_params
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            assert_eq!(params, expected.auth_params, "{name}: auth_params");
        }
        let Some(expected) = &row.authorize else {
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
        let expected = serde_json::to_value(&template.service).unwrap();
        let resolved = serde_json::to_value(user_service(template)).unwrap();
        // Endpoints and base_url keep their placeholders: a connection's
        // vars come before the service's when they are filled.
        for (key, value) in expected.as_object().unwrap() {
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
fn every_template_s_pagination_is_a_whole_strategy() {
    let mut paged = Vec::new();
    for template in all() {
        let service = user_service(template);
        crate::http::paginate::Strategy::new(&service.pagination)
            .unwrap_or_else(|e| panic!("{}: {e}", template.name));
        if service.pagination != crate::config::Pagination::default() {
            paged.push(template.name);
        }
    }
    assert_eq!(
        paged,
        [
            "hubspot",
            "microsoft",
            "notion",
            "salesforce",
            "slack",
            "zoho"
        ]
    );
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
        "unknown field `colour`, expected one of `display_name`, `docs_url`, `redirect`, `tags`, `notes`, `service`"
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
    let none = Vars::new();
    assert_eq!(
        zoho.for_connection("z", &none, &none)
            .unwrap()
            .token_url
            .as_deref(),
        Some("https://accounts.zoho.com/oauth/v2/token")
    );
    let x = user_service(get("x").unwrap());
    assert_eq!(x.client_auth(), crate::config::ClientAuth::Basic);
    let reddit = user_service(get("reddit").unwrap());
    assert_eq!(
        reddit.client_auth(),
        crate::config::ClientAuth::BasicAlways,
        "installed apps: Basic with an empty password"
    );
    assert_eq!(
        reddit.client_auth().presentation(true),
        Presentation::Basic,
        "web apps: Basic with their secret"
    );
    // Zoho learns the data centre from the redirect and sends the code
    // there, on a listed host only.
    assert_eq!(zoho.redirect_vars["accounts_server"], "accounts-server");
    let eu: Vars = [(
        "accounts_server".to_string(),
        "https://accounts.zoho.eu".to_string(),
    )]
    .into();
    assert_eq!(
        zoho.for_connection("z", &none, &eu)
            .unwrap()
            .token_url
            .as_deref(),
        Some("https://accounts.zoho.eu/oauth/v2/token")
    );
    let evil: Vars = [(
        "accounts_server".to_string(),
        "https://zoho.evil.example".to_string(),
    )]
    .into();
    assert!(zoho.for_connection("z", &none, &evil).is_err());
    let intuit = user_service(get("intuit").unwrap());
    assert_eq!(intuit.redirect_vars["realm_id"], "realmId");
    let shopify = user_service(get("shopify").unwrap());
    assert_eq!(
        shopify.token_header.as_deref(),
        Some("X-Shopify-Access-Token")
    );
    assert_eq!(shopify.token_params["expiring"], "1");
}

#[test]
fn git_and_docker_hosts_get_their_user_name_convention() {
    let user = |name: &str| user_service(get(name).unwrap());
    assert_eq!(
        user("github").git_username.as_deref(),
        Some("x-access-token")
    );
    assert_eq!(user("gitlab").git_username.as_deref(), Some("oauth2"));
    assert_eq!(
        user("bitbucket").git_username.as_deref(),
        Some("x-token-auth")
    );
    assert_eq!(
        user("google").docker_username.as_deref(),
        Some("oauth2accesstoken")
    );
    for (name, scope) in [
        ("google", "https://mail.google.com/"),
        ("microsoft", "IMAP.AccessAsUser.All"),
        ("microsoft", "SMTP.Send"),
    ] {
        assert!(
            get(name)
                .unwrap()
                .notes
                .as_deref()
                .unwrap_or_default()
                .contains(scope),
            "{name}: {scope}"
        );
    }
}

#[test]
fn a_redirect_that_breaks_the_providers_rule_is_named() {
    assert_eq!(AnyLoopbackPort.misfit(None, None), None);
    assert_eq!(
        FixedPort.misfit(None, None),
        Some(RedirectMisfit::NoFixedPort)
    );
    assert_eq!(FixedPort.misfit(None, Some(8400)), None);
    assert_eq!(
        FixedPort.misfit(Some("http://127.0.0.1:8400/callback"), None),
        None
    );
    assert_eq!(
        HttpsOnly.misfit(Some("http://127.0.0.1:8400/cb"), None),
        Some(RedirectMisfit::NotHttps)
    );
    assert_eq!(HttpsOnly.misfit(Some("https://example.com/t"), None), None);
    assert_eq!(
        LocalhostOnly.misfit(Some("http://127.0.0.1:8400/callback"), None),
        Some(RedirectMisfit::NotLocalhost)
    );
    assert_eq!(
        LocalhostOnly.misfit(Some("http://localhost:8400/callback"), None),
        None
    );
    assert_eq!(
        RedirectMisfit::NoFixedPort.to_string(),
        "the provider matches the redirect port, and the service pins none"
    );
}

#[test]
fn refresh_token_policies_of_the_templates() {
    let policy = |name: &str| get(name).unwrap().service.refresh_policy();
    let days = |d: u64| Some(crate::duration::Span::from_days(d));
    assert_eq!(policy("microsoft").idle, days(90));
    assert_eq!(policy("xero").idle, days(60));
    assert_eq!(policy("slack-pkce").lifetime, days(30));
    // Only the app's owner knows whether it is in testing.
    assert_eq!(policy("google"), crate::config::RefreshPolicy::default());
}
