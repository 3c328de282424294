//! The config file's data model: `store`, `[services.NAME]` and
//! `[connections.NAME]` (DESIGN §2).
//!
//! These types mirror the file one to one and reject unknown keys, so a
//! typo never silently drops a setting. A secret is never a literal here: it
//! is a [`SecretRef`] saying where the secret lives.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::duration::Span;
pub use crate::oauth1::{SignatureLocation, SignatureMethod};

/// The whole config file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where tokens live: `auto` (keyring, else file), `keyring` or `file`.
    #[serde(default)]
    pub store: StoreChoice,
    #[serde(default)]
    pub services: BTreeMap<String, Service>,
    #[serde(default)]
    pub connections: BTreeMap<String, Connection>,
    /// A command run when a connection turns "needs authorization" or
    /// `keepalive` finds it lapsing soon, for services that set none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_needs_authorization: Option<Vec<String>>,
    /// Shared token stores, by the name connections choose them with.
    #[serde(default)]
    pub stores: BTreeMap<String, SharedStore>,
}

/// The `store` key, at the top (the default of every connection) or in a
/// connection: `auto` (keyring, else file), `keyring`, `file`, or the name
/// of a `[stores.NAME]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StoreChoice {
    /// The OS keyring when one answers, else the file store with a warning.
    #[default]
    Auto,
    Keyring,
    File,
    /// A shared store defined in `[stores.NAME]`.
    Named(String),
}

impl StoreChoice {
    /// The built-in stores, by the names the config gives them.
    pub const BUILT_IN: [&'static str; 3] = ["auto", "keyring", "file"];

    /// Reads a store's name: a built-in one, else the name of a shared
    /// store (which the config check makes sure exists).
    pub fn parse(name: &str) -> StoreChoice {
        match name {
            "auto" => StoreChoice::Auto,
            "keyring" => StoreChoice::Keyring,
            "file" => StoreChoice::File,
            other => StoreChoice::Named(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            StoreChoice::Auto => "auto",
            StoreChoice::Keyring => "keyring",
            StoreChoice::File => "file",
            StoreChoice::Named(name) => name,
        }
    }

    /// The name of the shared store, when this is one.
    pub fn shared(&self) -> Option<&str> {
        match self {
            StoreChoice::Named(name) => Some(name),
            _ => None,
        }
    }
}

impl fmt::Display for StoreChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for StoreChoice {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for StoreChoice {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        if name.is_empty() {
            return Err(serde::de::Error::custom(
                "a store is `auto`, `keyring`, `file` or the name of a `[stores.NAME]` table",
            ));
        }
        Ok(StoreChoice::parse(&name))
    }
}

/// How a service authenticates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    /// OAuth 2.0 authorization code (RFC 6749 §4.1) with PKCE.
    #[default]
    Oauth2,
    /// OAuth 2.0 client credentials (RFC 6749 §4.4).
    ClientCredentials,
    /// OAuth 2.0 device authorization (RFC 8628).
    Device,
    /// A static API key in a header or a query parameter.
    ApiKey,
    /// HTTP Basic with a username and password.
    Basic,
    /// A static bearer token.
    Bearer,
    /// OAuth 1.0a (RFC 5849): temporary credentials, the browser, token
    /// credentials, and every request signed.
    Oauth1,
}

impl AuthKind {
    pub const ALL: [AuthKind; 7] = [
        AuthKind::Oauth2,
        AuthKind::ClientCredentials,
        AuthKind::Device,
        AuthKind::ApiKey,
        AuthKind::Basic,
        AuthKind::Bearer,
        AuthKind::Oauth1,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuthKind::Oauth2 => "oauth2",
            AuthKind::ClientCredentials => "client_credentials",
            AuthKind::Device => "device",
            AuthKind::ApiKey => "api_key",
            AuthKind::Basic => "basic",
            AuthKind::Bearer => "bearer",
            AuthKind::Oauth1 => "oauth1",
        }
    }

    /// OAuth 2.0 kinds talk to a token endpoint; the others hold a static
    /// credential the user gives at `connect`.
    pub fn is_oauth(self) -> bool {
        matches!(
            self,
            AuthKind::Oauth2 | AuthKind::ClientCredentials | AuthKind::Device
        )
    }

    /// Kinds whose credential a provider issues to a registered client
    /// (OAuth 2.0 and OAuth 1.0a), as opposed to one the user types.
    pub fn has_client(self) -> bool {
        self.is_oauth() || self == AuthKind::Oauth1
    }

    /// The family of kinds that share keys: the OAuth 2.0 grants, OAuth
    /// 1.0a, and the static credentials.
    pub fn family(self) -> Family {
        match self {
            AuthKind::Oauth1 => Family::Oauth1,
            kind if kind.is_oauth() => Family::Oauth2,
            _ => Family::Static,
        }
    }
}

/// A family of [`AuthKind`]s: a key of a sibling kind is a setting of the
/// wrong grant, a key of another family a setting of another world.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Oauth2,
    Oauth1,
    Static,
}

impl fmt::Display for AuthKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the client authenticates at the token endpoint (RFC 6749 §2.3.1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuth {
    /// HTTP Basic: `client_secret_basic`, which every server must support.
    #[default]
    Basic,
    /// Form body: `client_secret_post`.
    Body,
    /// HTTP Basic even without a client secret: `client_id:` with an empty
    /// password, as Reddit wants from its installed apps.
    BasicAlways,
}

/// How a client presents itself at the token endpoint (RFC 6749 §2.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presentation {
    /// `Authorization: Basic base64(client_id:client_secret)`.
    Basic,
    /// `Authorization: Basic base64(client_id:)`: no secret, asked for.
    BasicEmptyPassword,
    /// `client_id` (and `client_secret`, when there is one) in the body.
    Body,
}

impl ClientAuth {
    pub fn as_str(self) -> &'static str {
        match self {
            ClientAuth::Basic => "basic",
            ClientAuth::Body => "body",
            ClientAuth::BasicAlways => "basic_always",
        }
    }

    /// How a client with or without a secret presents itself. `basic`
    /// falls back to the body for a public client (no secret), which is
    /// what providers that want Basic from their confidential clients
    /// (X, Spotify, Xero) want from their public ones; only `basic_always`
    /// sends Basic with an empty password.
    pub fn presentation(self, has_secret: bool) -> Presentation {
        match (self, has_secret) {
            (ClientAuth::Basic | ClientAuth::BasicAlways, true) => Presentation::Basic,
            (ClientAuth::BasicAlways, false) => Presentation::BasicEmptyPassword,
            (ClientAuth::Basic, false) | (ClientAuth::Body, _) => Presentation::Body,
        }
    }
}

/// Where a secret lives. Never the secret itself, unless the user opts in
/// with `{ value = "…" }`, which is unfit for a dotfiles repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretRef {
    /// `{ env = "VAR" }`: an environment variable.
    Env(String),
    /// `{ command = ["pass", "show", "x"] }`: a command's trimmed stdout.
    Command(Vec<String>),
    /// `{ keyring = true }`: an entry in the token store.
    Keyring,
    /// `{ value = "…" }`: the secret in plain text.
    Value(String),
    /// `{ file = "PATH" }`: a file only its owner can read (a PEM key);
    /// `~` and a path relative to the config file's folder are resolved
    /// when it is read.
    File(String),
}

impl SecretRef {
    /// How the reference reads in `service show` (never the value).
    pub fn summary(&self) -> String {
        match self {
            SecretRef::Env(var) => format!("env {var}"),
            SecretRef::Command(argv) => format!("command {}", argv.join(" ")),
            SecretRef::Keyring => "keyring".into(),
            SecretRef::Value(_) => "plain text in the config (redacted)".into(),
            SecretRef::File(path) => format!("file {path}"),
        }
    }

    /// The reference as the file holds it: `{ env = "VAR" }`, …
    pub fn to_toml(&self) -> toml::Value {
        let (key, value) = match self {
            SecretRef::Env(var) => ("env", toml::Value::from(var.as_str())),
            SecretRef::Command(argv) => ("command", toml::Value::from(argv.clone())),
            SecretRef::Keyring => ("keyring", toml::Value::from(true)),
            SecretRef::Value(value) => ("value", toml::Value::from(value.as_str())),
            SecretRef::File(path) => ("file", toml::Value::from(path.as_str())),
        };
        toml::Value::Table(toml::Table::from_iter([(key.to_string(), value)]))
    }
}

/// Serializes the reference as it is written in the file, except that a
/// plain-text value prints as `(redacted)`.
impl Serialize for SecretRef {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1))?;
        match self {
            SecretRef::Env(var) => map.serialize_entry("env", var)?,
            SecretRef::Command(argv) => map.serialize_entry("command", argv)?,
            SecretRef::Keyring => map.serialize_entry("keyring", &true)?,
            SecretRef::Value(_) => map.serialize_entry("value", "(redacted)")?,
            SecretRef::File(path) => map.serialize_entry("file", path)?,
        }
        map.end()
    }
}

/// The message for a secret written as a bare string.
pub const BARE_SECRET: &str = "a secret cannot be a plain string; write where it lives: \
{ env = \"VAR\" }, { command = [\"pass\", \"show\", \"name\"] } or { keyring = true } \
(or { value = \"...\" } to keep it in this file on purpose)";

impl<'de> Deserialize<'de> for SecretRef {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = SecretRef;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a secret reference: { env = \"VAR\" }, { command = [...] } or { keyring = true }")
            }

            fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<SecretRef, E> {
                Err(E::custom(BARE_SECRET))
            }

            // A number or a boolean where a reference belongs may be the
            // secret itself: refuse it without quoting it, as serde would.
            fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<SecretRef, E> {
                Err(E::custom(BARE_SECRET))
            }

            fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<SecretRef, E> {
                Err(E::custom(BARE_SECRET))
            }

            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<SecretRef, E> {
                Err(E::custom(BARE_SECRET))
            }

            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<SecretRef, E> {
                Err(E::custom(BARE_SECRET))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _: A) -> Result<SecretRef, A::Error> {
                use serde::de::Error;
                Err(A::Error::custom(BARE_SECRET))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<SecretRef, A::Error> {
                use serde::de::Error;
                let mut found: Option<SecretRef> = None;
                while let Some(key) = map.next_key::<String>()? {
                    let value = match key.as_str() {
                        "env" => {
                            let var: String = map.next_value()?;
                            if var.is_empty() {
                                return Err(A::Error::custom("`env` needs a variable name"));
                            }
                            SecretRef::Env(var)
                        }
                        "command" => {
                            let argv: Vec<String> = map.next_value()?;
                            if argv.first().is_none_or(|p| p.is_empty()) {
                                return Err(A::Error::custom(
                                    "`command` needs a program, e.g. [\"pass\", \"show\", \"name\"]",
                                ));
                            }
                            SecretRef::Command(argv)
                        }
                        "keyring" => {
                            if !map.next_value::<Quiet<bool>>()?.0 {
                                return Err(A::Error::custom(
                                    "`keyring = false` names no secret; remove the key instead",
                                ));
                            }
                            SecretRef::Keyring
                        }
                        "value" => SecretRef::Value(map.next_value::<Quiet<String>>()?.0),
                        "file" => {
                            let path: String = map.next_value()?;
                            if path.is_empty() {
                                return Err(A::Error::custom("`file` needs a path"));
                            }
                            SecretRef::File(path)
                        }
                        other => {
                            return Err(A::Error::unknown_field(
                                other,
                                &["env", "command", "keyring", "value", "file"],
                            ));
                        }
                    };
                    if found.is_some() {
                        return Err(A::Error::custom(
                            "a secret reference holds exactly one of env, command, keyring, value, file",
                        ));
                    }
                    found = Some(value);
                }
                found.ok_or_else(|| {
                    A::Error::custom("an empty secret reference; use { env = \"VAR\" }, { command = [...] } or { keyring = true }")
                })
            }
        }

        deserializer.deserialize_any(Visitor)
    }
}

/// A value inside a secret reference that, when of the wrong type, is
/// refused without being quoted: `{ keyring = "hunter2" }` or
/// `{ value = 1234 }` may hold the secret by mistake.
struct Quiet<T>(T);

impl<'de> Deserialize<'de> for Quiet<bool> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = bool;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`true`")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<bool, E> {
                Ok(v)
            }
        }
        quietly(
            deserializer.deserialize_any(Visitor),
            "`keyring` takes `true`",
        )
        .map(Quiet)
    }
}

impl<'de> Deserialize<'de> for Quiet<String> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = String;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
                Ok(v.to_string())
            }
        }
        quietly(
            deserializer.deserialize_any(Visitor),
            "`value` takes the secret as a string",
        )
        .map(Quiet)
    }
}

/// `result` with any error replaced by `message`, which quotes nothing.
fn quietly<T, E: serde::de::Error>(result: Result<T, E>, message: &str) -> Result<T, E> {
    result.map_err(|_| E::custom(message))
}

/// A `[services.NAME]` table. Each field is a key of
/// [`keys::KEYS`](super::keys::KEYS), which says who may set it and how.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    #[serde(default)]
    pub auth: AuthKind,
    /// A built-in template (`tether service templates`) this service
    /// inherits every key from that it does not set itself.
    pub template: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<SecretRef>,
    /// OAuth 1.0a RSA-SHA1: where the client's PEM private key lives.
    pub private_key: Option<SecretRef>,
    /// OAuth 1.0a: how requests are signed [default: HMAC-SHA1].
    #[serde(default, with = "by_name")]
    pub signature_method: Option<SignatureMethod>,
    /// OAuth 1.0a: where the protocol parameters travel [default: the
    /// `Authorization` header].
    #[serde(default, with = "by_name")]
    pub signature_location: Option<SignatureLocation>,
    /// OAuth 1.0a: send `oauth_body_hash` on requests whose body is not a
    /// form.
    pub body_hash: Option<bool>,
    /// OAuth 1.0a: the temporary-credentials endpoint (RFC 5849 §2.1).
    pub request_token_url: Option<String>,
    pub authorize_url: Option<String>,
    /// OAuth 1.0a: the token-credentials endpoint (RFC 5849 §2.3).
    pub access_token_url: Option<String>,
    pub token_url: Option<String>,
    /// Defaults to `token_url`.
    pub refresh_url: Option<String>,
    pub revoke_url: Option<String>,
    pub device_authorization_url: Option<String>,
    /// Hosts an endpoint may move to when a value learnt from the provider
    /// fills its placeholder (Zoho's data centres): `accounts.zoho.eu`,
    /// `*.example.com` (see `endpoints`).
    #[serde(default)]
    pub token_hosts: Vec<String>,
    #[serde(default)]
    pub scopes: Vec<String>,
    /// What joins scopes in requests; a space unless the provider bends
    /// RFC 6749 §3.3 (some use commas).
    pub scope_separator: Option<String>,
    /// The authorization-request parameter that carries the scopes;
    /// `scope` unless the provider wants another (Slack's user tokens:
    /// `user_scope`).
    pub scope_param: Option<String>,
    /// Extra authorization-request parameters.
    #[serde(default)]
    pub auth_params: BTreeMap<String, String>,
    /// OAuth 1.0a: extra parameters of the temporary-credentials request,
    /// signed with it (Google's old `scope`, Trello's none).
    #[serde(default)]
    pub request_token_params: BTreeMap<String, String>,
    /// Extra token-request parameters.
    #[serde(default)]
    pub token_params: BTreeMap<String, String>,
    /// Extra refresh-request parameters.
    #[serde(default)]
    pub refresh_params: BTreeMap<String, String>,
    pub base_url: Option<String>,
    /// Hosts a credential may be sent to besides base_url's: `api.x.com`
    /// or `*.x.com`.
    #[serde(default)]
    pub allowed_hosts: Vec<String>,
    /// Headers sent on every `invoke` (Notion-Version); a header item of
    /// the call replaces or removes one. Never a credential.
    #[serde(default)]
    pub default_headers: BTreeMap<String, String>,
    /// Values for `{var}` placeholders in this service's URLs, the last
    /// layer: a connection's vars and the vars it learnt come first (see
    /// `endpoints`).
    #[serde(default)]
    pub vars: BTreeMap<String, String>,
    /// A fixed loopback port for the redirect listener.
    pub redirect_port: Option<u16>,
    /// A fixed loopback redirect URI (its port and path are used).
    pub redirect_uri: Option<String>,
    /// Connection var ← query parameter of the redirect (Zoho's
    /// `accounts-server`, Intuit's `realmId`).
    #[serde(default)]
    pub redirect_vars: BTreeMap<String, String>,
    /// PKCE S256 (RFC 7636); on unless a provider rejects it.
    pub pkce: Option<bool>,
    pub client_auth: Option<ClientAuth>,
    /// A dotted path to an object of the token response that holds the
    /// token fields (Slack's `authed_user`); used when the response has it.
    pub token_path: Option<String>,
    /// The token-response fields kept as connection vars; unset: every
    /// string field that is not a credential.
    pub token_vars: Option<Vec<String>>,
    /// The scheme before the access token in API calls' `Authorization`
    /// header [default: `Bearer`] (Zoho: `Zoho-oauthtoken`).
    pub token_scheme: Option<String>,
    /// The header that carries the access token in API calls instead of
    /// `Authorization` (Shopify: `X-Shopify-Access-Token`); it carries the
    /// bare token unless `token_scheme` is set.
    pub token_header: Option<String>,
    /// A URL fetched with the new access token after authorization; the
    /// fields named by `metadata_vars` become connection vars (MailChimp's
    /// data centre).
    pub metadata_url: Option<String>,
    /// The scheme of the metadata request's `Authorization` header
    /// [default: `Bearer`].
    pub metadata_auth_scheme: Option<String>,
    /// Connection var ← dotted path into the metadata response (`dc`,
    /// `0.id` for the first item of an array).
    #[serde(default)]
    pub metadata_vars: BTreeMap<String, String>,
    pub api_key_header: Option<String>,
    pub api_key_query: Option<String>,
    pub api_key_prefix: Option<String>,
    /// A PEM file of CA certificates trusted besides the platform's roots
    /// for every request of this service; relative to the config file's
    /// folder.
    pub ca_file: Option<String>,
    /// How `invoke --paginate` finds the next page and the items of each.
    #[serde(default)]
    pub pagination: Pagination,
    /// `tether exec -c`: the environment variable that carries this
    /// service's token [default: `TETHER_TOKEN`].
    pub env: Option<String>,
    /// The user name the git credential helper hands with the token, by
    /// the host's convention (GitHub `x-access-token`, GitLab `oauth2`).
    pub git_username: Option<String>,
    /// The user name the docker credential helper hands with the token
    /// (Google Artifact Registry: `oauth2accesstoken`).
    pub docker_username: Option<String>,
    /// The provider's absolute refresh-token lifetime, counted from the
    /// authorization (Google apps in testing: `7d`).
    pub refresh_token_lifetime: Option<Span>,
    /// The provider's sliding refresh-token lifetime, reset by each use
    /// (Microsoft: `90d`, Xero: `60d`).
    pub refresh_token_idle: Option<Span>,
    /// Send `include_granted_scopes=true` in authorization requests, so
    /// that a new consent adds to the scopes granted before (Google).
    pub include_granted_scopes: Option<bool>,
    /// A command (argv) run with a JSON description on stdin when a
    /// connection of this service turns "needs authorization" or
    /// `keepalive` finds it lapsing soon; never given a token.
    pub on_needs_authorization: Option<Vec<String>>,
    /// The keys whose value comes from the template, in the order of
    /// [`KEYS`](super::keys::KEYS); filled when the config is loaded.
    #[serde(skip)]
    pub inherited: Vec<&'static str>,
}

impl Service {
    /// The scope separator, a space by default (RFC 6749 §3.3).
    pub fn scope_separator(&self) -> &str {
        self.scope_separator.as_deref().unwrap_or(" ")
    }

    /// Where refresh requests go: `refresh_url`, else `token_url`.
    pub fn refresh_url(&self) -> Option<&str> {
        self.refresh_url.as_deref().or(self.token_url.as_deref())
    }

    pub fn pkce(&self) -> bool {
        self.pkce.unwrap_or(true)
    }

    pub fn client_auth(&self) -> ClientAuth {
        self.client_auth.unwrap_or_default()
    }

    /// The authorization-request parameter that carries the scopes.
    pub fn scope_param(&self) -> &str {
        self.scope_param.as_deref().unwrap_or("scope")
    }

    /// How an OAuth 1.0a service signs, HMAC-SHA1 unless it says.
    pub fn signature_method(&self) -> SignatureMethod {
        self.signature_method.unwrap_or_default()
    }

    /// What the service says of its provider's refresh tokens.
    pub fn refresh_policy(&self) -> RefreshPolicy {
        RefreshPolicy {
            lifetime: self.refresh_token_lifetime,
            idle: self.refresh_token_idle,
        }
    }

    pub fn include_granted_scopes(&self) -> bool {
        self.include_granted_scopes.unwrap_or(false)
    }
}

/// Serde for an optional value written as its name (`"HMAC-SHA1"`,
/// `"query"`): `Display` out, `FromStr` in.
mod by_name {
    use std::fmt::Display;
    use std::str::FromStr;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<T: Display, S: Serializer>(
        value: &Option<T>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => s.collect_str(value),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, T, D>(d: D) -> Result<Option<T>, D::Error>
    where
        T: FromStr,
        T::Err: Display,
        D: Deserializer<'de>,
    {
        let name = String::deserialize(d)?;
        name.parse().map(Some).map_err(serde::de::Error::custom)
    }
}

/// A service's `pagination` table: how `invoke --paginate` walks the
/// pages of a listing, as data. Each field is optional here; `invoke`
/// flags of the same names override them one by one, and
/// `http::paginate` says what a strategy still needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    /// Where the next page is named [default: `link`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<NextPage>,
    /// A dotted path to the array of items in each page (`data`,
    /// `value`); unset, the page itself is the array.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<String>,
    /// A dotted path to the cursor (`cursor`) or the next URL
    /// (`next_url`) in the body: `response_metadata.next_cursor`,
    /// `@odata.nextLink`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// The query parameter that carries the cursor (`cursor`) or the page
    /// number (`page`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
    /// A dotted path to a boolean that says whether more pages follow
    /// (`has_more`, `info.more_records`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub has_more: Option<String>,
}

/// Where a page names the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NextPage {
    /// An RFC 8288 `Link: <…>; rel="next"` header (GitHub, GitLab).
    Link,
    /// A cursor in the body, sent back in a query parameter (Slack,
    /// Notion, HubSpot).
    Cursor,
    /// A URL in the body (Microsoft Graph, Salesforce).
    NextUrl,
    /// A page number in a query parameter, counted up (Zoho).
    Page,
}

impl NextPage {
    pub fn as_str(self) -> &'static str {
        match self {
            NextPage::Link => "link",
            NextPage::Cursor => "cursor",
            NextPage::NextUrl => "next_url",
            NextPage::Page => "page",
        }
    }
}

impl fmt::Display for NextPage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a service says of its provider's refresh tokens: the `service`
/// keys `refresh_token_lifetime` and `refresh_token_idle`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RefreshPolicy {
    /// An absolute lifetime from the authorization, which no refresh
    /// extends (Google apps in testing: 7 days).
    pub lifetime: Option<Span>,
    /// A sliding lifetime, reset by each use (Microsoft: 90 days, Xero: 60
    /// days).
    pub idle: Option<Span>,
}

/// A `[connections.NAME]` table.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Connection {
    pub service: String,
    /// Overrides the service's default scopes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    /// Values for `{var}` placeholders in URLs.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub vars: BTreeMap<String, String>,
    /// A command that receives the new `connection export` blob on stdin
    /// when the provider rotates the refresh token of a connection that
    /// came from `TETHER_CONNECTION_<NAME>` (CI).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_rotate: Option<Vec<String>>,
    /// Hosts whose git credentials this connection gives
    /// (`tether credential git`): host patterns, `github.com`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub git_hosts: Vec<String>,
    /// Registries whose docker credentials this connection gives
    /// (`tether credential docker`): host patterns, `us-docker.pkg.dev`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub docker_hosts: Vec<String>,
    /// Where this connection's record lives, when not in the config's
    /// `store`: `keyring`, `file` or a `[stores.NAME]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store: Option<StoreChoice>,
}

impl Config {
    /// The scopes a connection asks for: its own, else its service's.
    pub fn scopes_of<'a>(&'a self, connection: &'a Connection) -> &'a [String] {
        match &connection.scopes {
            Some(scopes) => scopes,
            None => self
                .services
                .get(&connection.service)
                .map(|s| s.scopes.as_slice())
                .unwrap_or(&[]),
        }
    }

    /// The `on_needs_authorization` command for connections of `service`:
    /// the service's, else the top-level one.
    pub fn on_needs_authorization<'a>(&'a self, service: &'a Service) -> Option<&'a [String]> {
        service
            .on_needs_authorization
            .as_deref()
            .or(self.on_needs_authorization.as_deref())
            .filter(|argv| !argv.is_empty())
    }

    /// The connections that use `service`, by name.
    pub fn connections_of(&self, service: &str) -> Vec<String> {
        self.connections
            .iter()
            .filter(|(_, c)| c.service == service)
            .map(|(name, _)| name.clone())
            .collect()
    }
}

impl Config {
    /// The environment variables that secret references of this config
    /// name (`{ env = "VAR" }`): `tether exec` keeps them from the
    /// programs it runs.
    pub fn secret_vars(&self) -> Vec<&str> {
        let services = self
            .services
            .values()
            .flat_map(|s| [s.client_secret.as_ref(), s.private_key.as_ref()]);
        // A shared store's URL (it may hold a password) and its keys.
        let stores = self
            .stores
            .values()
            .flat_map(|s| [Some(&s.url), Some(&s.key), s.previous_key.as_ref()]);
        let mut vars: Vec<&str> = services
            .chain(stores)
            .filter_map(|reference| match reference {
                Some(SecretRef::Env(var)) => Some(var.as_str()),
                _ => None,
            })
            .collect();
        vars.sort_unstable();
        vars.dedup();
        vars
    }
}

/// A `[stores.NAME]` table: a token store that many machines share.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SharedStore {
    pub kind: SharedKind,
    /// Where the database is: a libpq-style URL or `key=value` string,
    /// which may hold a password, so it is a secret reference.
    pub url: SecretRef,
    /// The 32-byte key records are sealed with, as hex or base64.
    pub key: SecretRef,
    /// The key before a rotation, tried when `key` does not open a record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_key: Option<SecretRef>,
    /// The database schema of tether's tables [default: `tether`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Bounds connecting, authenticating and the queries of one use of the
    /// store [default: 5s].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<crate::duration::Span>,
    /// How long a refresh waits for another machine's [default: 45s].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lock_timeout: Option<crate::duration::Span>,
}

/// The engine of a shared store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SharedKind {
    Postgres,
}

impl SharedKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SharedKind::Postgres => "postgres",
        }
    }
}

impl Config {
    /// The store that holds the record of connection `name`: its own
    /// `store`, else the config's.
    pub fn store_of(&self, name: &str) -> StoreChoice {
        self.connections
            .get(name)
            .and_then(|c| c.store.clone())
            .unwrap_or_else(|| self.store.clone())
    }
}
