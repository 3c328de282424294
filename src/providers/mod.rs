//! Built-in service templates: one TOML file per provider in this folder,
//! embedded in the binary.
//!
//! A template is a service definition without client credentials (the
//! `[service]` table, the same keys as `[services.NAME]`) plus what a
//! person needs to register an app: a display name, the provider's page for
//! registering one, the redirect URI rule the provider enforces, and tags
//! to find it by (`service templates mail`). Each file says in a comment
//! which documentation pages it was checked against, what they said, and
//! when; what could not be verified is said there too.
//!
//! Parsing is pure ([`parse`]); [`all`] parses the embedded files once. A
//! unit test checks that every file parses and validates, so a broken file
//! never ships. A template keeps its `[service]` table as written too:
//! inheritance merges that table into the user's (`config::resolve`).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::config::Service;
use crate::config::keys::{KEYS, Merge};

/// The embedded files, by template name (the file's stem).
const FILES: &[(&str, &str)] = &[
    ("airtable", include_str!("airtable.toml")),
    ("anthropic", include_str!("anthropic.toml")),
    ("asana", include_str!("asana.toml")),
    ("atlassian", include_str!("atlassian.toml")),
    ("auth0", include_str!("auth0.toml")),
    ("bitbucket", include_str!("bitbucket.toml")),
    ("bitbucket-server", include_str!("bitbucket-server.toml")),
    ("box", include_str!("box.toml")),
    ("calendly", include_str!("calendly.toml")),
    ("clickup", include_str!("clickup.toml")),
    ("cloudflare", include_str!("cloudflare.toml")),
    (
        "confluence-datacenter",
        include_str!("confluence-datacenter.toml"),
    ),
    ("discord", include_str!("discord.toml")),
    ("docusign", include_str!("docusign.toml")),
    ("dropbox", include_str!("dropbox.toml")),
    ("figma", include_str!("figma.toml")),
    ("flickr", include_str!("flickr.toml")),
    ("garmin", include_str!("garmin.toml")),
    ("gemini", include_str!("gemini.toml")),
    ("github", include_str!("github.toml")),
    ("gitlab", include_str!("gitlab.toml")),
    ("google", include_str!("google.toml")),
    ("hubspot", include_str!("hubspot.toml")),
    ("intercom", include_str!("intercom.toml")),
    ("intuit", include_str!("intuit.toml")),
    ("jira-datacenter", include_str!("jira-datacenter.toml")),
    ("keycloak", include_str!("keycloak.toml")),
    ("linear", include_str!("linear.toml")),
    ("linkedin", include_str!("linkedin.toml")),
    ("mailchimp", include_str!("mailchimp.toml")),
    ("microsoft", include_str!("microsoft.toml")),
    ("miro", include_str!("miro.toml")),
    ("monday", include_str!("monday.toml")),
    ("notion", include_str!("notion.toml")),
    ("okta", include_str!("okta.toml")),
    ("openai", include_str!("openai.toml")),
    ("pipedrive", include_str!("pipedrive.toml")),
    ("reddit", include_str!("reddit.toml")),
    ("salesforce", include_str!("salesforce.toml")),
    ("sendgrid", include_str!("sendgrid.toml")),
    ("shopify", include_str!("shopify.toml")),
    ("slack", include_str!("slack.toml")),
    ("slack-pkce", include_str!("slack-pkce.toml")),
    ("spotify", include_str!("spotify.toml")),
    ("strava", include_str!("strava.toml")),
    ("stripe", include_str!("stripe.toml")),
    ("trello", include_str!("trello.toml")),
    ("tumblr", include_str!("tumblr.toml")),
    ("twilio", include_str!("twilio.toml")),
    ("twitch", include_str!("twitch.toml")),
    ("typeform", include_str!("typeform.toml")),
    ("x", include_str!("x.toml")),
    ("x-oauth1", include_str!("x-oauth1.toml")),
    ("xero", include_str!("xero.toml")),
    ("zendesk", include_str!("zendesk.toml")),
    ("zoho", include_str!("zoho.toml")),
    ("zoom", include_str!("zoom.toml")),
];

/// Which redirect URIs a provider accepts for a loopback client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RedirectRule {
    /// `http://127.0.0.1/callback` registered once works on any port
    /// (RFC 8252 §7.3): tether picks a free one.
    AnyLoopbackPort,
    /// The registered URI must match exactly, port included: register
    /// `http://127.0.0.1:PORT/callback` and set `redirect_port = PORT`.
    FixedPort,
    /// Only https redirect URIs are accepted: register an https page,
    /// pin it with `redirect_uri`, and paste the address the browser ends
    /// on.
    HttpsOnly,
    /// Plain http is accepted for `localhost` only, not for a loopback IP
    /// address, and the registered URI must match exactly: register
    /// `http://localhost:PORT/callback` and pin it with `redirect_uri`.
    LocalhostOnly,
}

impl RedirectRule {
    pub fn as_str(self) -> &'static str {
        match self {
            RedirectRule::AnyLoopbackPort => "any_loopback_port",
            RedirectRule::FixedPort => "fixed_port",
            RedirectRule::HttpsOnly => "https_only",
            RedirectRule::LocalhostOnly => "localhost_only",
        }
    }

    /// Whether a service's `redirect_uri` and `redirect_port` follow this
    /// rule; the problem when they do not.
    pub fn misfit(
        self,
        redirect_uri: Option<&str>,
        redirect_port: Option<u16>,
    ) -> Option<RedirectMisfit> {
        let uri = redirect_uri.and_then(|u| url::Url::parse(u).ok());
        let scheme = uri.as_ref().map(url::Url::scheme);
        let host = uri.as_ref().and_then(url::Url::host_str);
        let pinned = uri.as_ref().and_then(url::Url::port).or(redirect_port);
        match self {
            RedirectRule::AnyLoopbackPort => None,
            RedirectRule::FixedPort if pinned.is_none() => Some(RedirectMisfit::NoFixedPort),
            RedirectRule::FixedPort => None,
            RedirectRule::HttpsOnly if scheme != Some("https") => Some(RedirectMisfit::NotHttps),
            RedirectRule::HttpsOnly => None,
            RedirectRule::LocalhostOnly if host != Some("localhost") || pinned.is_none() => {
                Some(RedirectMisfit::NotLocalhost)
            }
            RedirectRule::LocalhostOnly => None,
        }
    }

    /// What to register at the provider, in one sentence.
    pub fn advice(self) -> &'static str {
        match self {
            RedirectRule::AnyLoopbackPort => {
                "register the redirect URI http://127.0.0.1/callback (any port is accepted)"
            }
            RedirectRule::FixedPort => {
                "register http://127.0.0.1:PORT/callback and set the same port with `--redirect-port PORT`"
            }
            RedirectRule::HttpsOnly => {
                "the provider accepts only https redirect URIs: register one (any page of yours, e.g. https://example.com/tether), set it with `--redirect-uri URI`, and paste the address the browser ends on when `connect` asks"
            }
            RedirectRule::LocalhostOnly => {
                "register http://localhost:PORT/callback (plain http is accepted for localhost only) and set the same URI with `--redirect-uri http://localhost:PORT/callback`"
            }
        }
    }
}

/// How a service's redirect breaks its provider's [`RedirectRule`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectMisfit {
    /// The provider matches the port, and the service pins none.
    NoFixedPort,
    /// The provider wants https, and the redirect is not.
    NotHttps,
    /// The provider wants `http://localhost:PORT/…` pinned.
    NotLocalhost,
}

impl std::fmt::Display for RedirectMisfit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RedirectMisfit::NoFixedPort => {
                "the provider matches the redirect port, and the service pins none"
            }
            RedirectMisfit::NotHttps => "the provider accepts only https redirect URIs",
            RedirectMisfit::NotLocalhost => {
                "the provider accepts plain http for a pinned http://localhost:PORT redirect only"
            }
        })
    }
}

/// One built-in template.
#[derive(Debug, Clone)]
pub struct Template {
    /// The name used by `template = "…"` and `--from`.
    pub name: &'static str,
    pub display_name: String,
    /// Where to register an app and get a client ID.
    pub docs_url: String,
    /// The redirect URI rule (browser flows only).
    pub redirect: Option<RedirectRule>,
    /// What else a user should know (shown by `templates show`).
    pub notes: Option<String>,
    /// Words to find it by: what the provider is (`crm`, `mail`, `ai`, …).
    pub tags: Vec<String>,
    /// The service the template describes.
    pub service: Service,
    /// Its `[service]` table as written: the keys the template sets.
    pub table: toml::Table,
}

/// A template file's shape.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    display_name: String,
    docs_url: String,
    redirect: Option<RedirectRule>,
    #[serde(default)]
    tags: Vec<String>,
    notes: Option<String>,
    service: toml::Table,
}

/// Why a template file does not load.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// Not TOML, or a key or a value that a template or a service does not
    /// have.
    #[error("template `{name}`: {source}")]
    Toml {
        name: &'static str,
        #[source]
        source: toml::de::Error,
    },
    /// A key only the user's service may set ([`Merge::UserOnly`]).
    #[error("template `{name}`: `{key}` belongs to the user's service")]
    UserKey {
        name: &'static str,
        key: &'static str,
    },
}

/// Parses one template file.
pub fn parse(name: &'static str, text: &str) -> Result<Template, ParseError> {
    let toml = |source| ParseError::Toml { name, source };
    let file: File = toml::from_str(text).map_err(toml)?;
    if let Some(key) = KEYS
        .iter()
        .find(|k| k.merge == Merge::UserOnly && file.service.contains_key(k.name))
    {
        return Err(ParseError::UserKey {
            name,
            key: key.name,
        });
    }
    let service = file.service.clone().try_into().map_err(toml)?;
    Ok(Template {
        name,
        display_name: file.display_name,
        docs_url: file.docs_url,
        redirect: file.redirect,
        notes: file.notes,
        tags: file.tags,
        service,
        table: file.service,
    })
}

/// Every template, sorted by name.
pub fn all() -> &'static [Template] {
    static ALL: OnceLock<Vec<Template>> = OnceLock::new();
    ALL.get_or_init(|| {
        FILES
            .iter()
            // The files are part of the binary and checked by the tests.
            .map(|(name, text)| parse(name, text).unwrap_or_else(|e| panic!("{e}")))
            .collect()
    })
}

/// The template called `name`.
pub fn get(name: &str) -> Option<&'static Template> {
    all().iter().find(|t| t.name == name)
}

impl Template {
    /// Whether `filter` names this template: a part of its name or display
    /// name, or of one of its tags, compared in lower case.
    pub fn matches(&self, filter: &str) -> bool {
        let filter = filter.to_lowercase();
        std::iter::once(self.name)
            .chain(std::iter::once(self.display_name.as_str()))
            .chain(self.tags.iter().map(String::as_str))
            .any(|text| text.to_lowercase().contains(&filter))
    }
}

#[cfg(test)]
mod tests;
