//! Built-in service templates: one TOML file per provider in this folder,
//! embedded in the binary.
//!
//! A template is a service definition without client credentials (the
//! `[service]` table, the same keys as `[services.NAME]`) plus what a
//! person needs to register an app: a display name, the provider's page for
//! registering one, and the redirect URI rule the provider enforces. Each
//! file says in a comment which documentation it was checked against.
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
    ("atlassian", include_str!("atlassian.toml")),
    ("box", include_str!("box.toml")),
    ("discord", include_str!("discord.toml")),
    ("dropbox", include_str!("dropbox.toml")),
    ("github", include_str!("github.toml")),
    ("gitlab", include_str!("gitlab.toml")),
    ("google", include_str!("google.toml")),
    ("hubspot", include_str!("hubspot.toml")),
    ("intuit", include_str!("intuit.toml")),
    ("linkedin", include_str!("linkedin.toml")),
    ("mailchimp", include_str!("mailchimp.toml")),
    ("microsoft", include_str!("microsoft.toml")),
    ("notion", include_str!("notion.toml")),
    ("openai", include_str!("openai.toml")),
    ("reddit", include_str!("reddit.toml")),
    ("salesforce", include_str!("salesforce.toml")),
    ("slack", include_str!("slack.toml")),
    ("spotify", include_str!("spotify.toml")),
    ("stripe", include_str!("stripe.toml")),
    ("x", include_str!("x.toml")),
    ("xero", include_str!("xero.toml")),
    ("zoho", include_str!("zoho.toml")),
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
    /// Only https redirect URIs are accepted. tether's redirect URI is
    /// always `http://127.0.0.1:PORT/...`, so the provider refuses it: the
    /// template documents the endpoints, but `connect` cannot finish until
    /// tether supports an https redirect URI.
    HttpsOnly,
}

impl RedirectRule {
    pub fn as_str(self) -> &'static str {
        match self {
            RedirectRule::AnyLoopbackPort => "any_loopback_port",
            RedirectRule::FixedPort => "fixed_port",
            RedirectRule::HttpsOnly => "https_only",
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
        }
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

#[cfg(test)]
mod tests;
