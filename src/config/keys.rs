//! The keys of a `[services.NAME]` table, each described once.
//!
//! [`KEYS`] says, for every key, which auth kinds may use it, how a
//! template's value meets the user's, the shape of its value, the
//! `service add`/`service edit` flag that sets it and what it means.
//! Everything that walks the keys reads this table:
//!
//! * validation: a key set on a service whose kind the key does not list
//!   "has no meaning" there; what each kind cannot do without is [`needs`];
//! * template inheritance merges the template's table into the user's by
//!   each key's [`Merge`] rule, before the service is deserialized;
//! * `service add/edit` turn flags into keys and check `--unset KEY`;
//!   `service show`, `--json` and the written file list keys in table order.
//!
//! To add a key:
//! 1. a field of the same name in [`Service`] (`model.rs`);
//! 2. a row in [`KEYS`], at the place `service show` should list it;
//! 3. its flag in `ServiceFields` (`cli.rs`), whose help is the row's `doc`,
//!    and one line in `Flags::read` (`cmd/service.rs`) that reads it;
//! 4. a row in the README's `[services.NAME]` table;
//! 5. if an auth kind cannot do without it, a [`Need`] in [`needs`].
//!
//! Unit tests fail until the table, the struct, the flags, `Flags::read`
//! and the README agree. A new auth kind is a variant of [`AuthKind`] (and
//! of the command line's), an arm of [`needs`], and its name in the `kinds`
//! of every key it uses: a second browser flow lists itself beside
//! `oauth2` on `authorize_url`, and its own keys name it alone.

use std::sync::OnceLock;

use self::Merge::{ByKey, Replace, UserOnly};
use self::Shape::{KeyFile, List, One, Pairs, Secret};
use super::model::{AuthKind, Service};

/// One key of a `[services.NAME]` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key as written in the file: `token_url`.
    pub name: &'static str,
    /// The auth kinds that use it; set on a service of another kind, it is
    /// an error.
    pub kinds: &'static [AuthKind],
    /// How a template's value meets the user's.
    pub merge: Merge,
    /// The shape of its value, on the command line and in the file.
    pub shape: Shape,
    /// The `service add`/`service edit` flag that sets it.
    pub flag: Option<Flag>,
    /// What it means, in one line: the help of its flag.
    pub doc: &'static str,
}

/// How a template's value of a key meets the value the user wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merge {
    /// The user's value when written, else the template's. A list is
    /// replaced whole: a user's `scopes = []` asks for none.
    Replace,
    /// A table merged key by key, the user's entries winning.
    ByKey,
    /// Never from a template: client credentials are the user's own, and a
    /// template that sets such a key does not load.
    UserOnly,
}

/// The shape of a key's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One value, given once: a string, a number, `true`/`false` or a word.
    One,
    /// A list of strings, one per flag given: `--scope a --scope b`.
    List,
    /// A table of strings, one `K=V` per flag given: `--auth-param k=v`.
    Pairs,
    /// A secret reference (`{ env = "VAR" }`, …), given by the four flags
    /// `--NAME-env VAR`, `--NAME-command CMD…`, `--NAME-stdin` and
    /// `--NAME-prompt`.
    Secret,
    /// A secret reference to a key kept out of the token store (a PEM
    /// private key), given by `--NAME-file PATH`, `--NAME-env VAR` or
    /// `--NAME-command CMD…`.
    KeyFile,
}

impl Shape {
    /// Whether the value is a secret reference, never a value.
    pub fn is_secret(self) -> bool {
        matches!(self, Shape::Secret | Shape::KeyFile)
    }

    /// The suffixes of a secret key's flags (`--NAME-env`, …); none for a
    /// key set by one flag of its own name. The first is the one whose
    /// value name the key's [`Flag`] gives.
    pub fn forms(self) -> &'static [&'static str] {
        match self {
            Shape::Secret => &["env", "command", "stdin", "prompt"],
            Shape::KeyFile => &["file", "env", "command"],
            Shape::One | Shape::List | Shape::Pairs => &[],
        }
    }
}

/// A `service add`/`service edit` flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag {
    /// The long name without its dashes (`token-url`); for a secret, the
    /// stem of its four flags (`client-secret`).
    pub long: &'static str,
    /// The name of its value in help (`URL`); for a secret, that of its
    /// first form (`--NAME-env`, `--NAME-file`).
    pub value: &'static str,
}

const fn flag(long: &'static str, value: &'static str) -> Option<Flag> {
    Some(Flag { long, value })
}

/// Every kind.
const ALL: &[AuthKind] = &AuthKind::ALL;
/// The OAuth 2.0 kinds, which talk to a token endpoint.
const OAUTH: &[AuthKind] = &[
    AuthKind::Oauth2,
    AuthKind::ClientCredentials,
    AuthKind::Device,
];
/// The kinds with a registered client: OAuth 2.0 and OAuth 1.0a.
const CLIENT: &[AuthKind] = &[
    AuthKind::Oauth2,
    AuthKind::ClientCredentials,
    AuthKind::Device,
    AuthKind::Oauth1,
];
/// The OAuth 2.0 kinds with a browser and a redirect.
const BROWSER: &[AuthKind] = &[AuthKind::Oauth2];
/// The kinds that send the user to an authorization page and catch the
/// browser on the loopback listener.
const REDIRECT: &[AuthKind] = &[AuthKind::Oauth2, AuthKind::Oauth1];
const OAUTH1: &[AuthKind] = &[AuthKind::Oauth1];
/// The OAuth 2.0 kinds that hold a refresh token.
const REFRESHED: &[AuthKind] = &[AuthKind::Oauth2, AuthKind::Device];
const API_KEY: &[AuthKind] = &[AuthKind::ApiKey];

/// Every key, in the order tether lists and writes them.
pub const KEYS: &[Key] = &[
    Key {
        name: "auth",
        kinds: ALL,
        merge: Replace,
        shape: One,
        flag: flag("auth", "AUTH"),
        doc: "How the service authenticates",
    },
    Key {
        name: "template",
        kinds: ALL,
        merge: UserOnly,
        shape: One,
        // `service add --from TEMPLATE`.
        flag: None,
        doc: "A built-in template this service inherits every key from that it does not set itself",
    },
    Key {
        name: "client_id",
        kinds: CLIENT,
        merge: UserOnly,
        shape: One,
        flag: flag("client-id", "ID"),
        doc: "The OAuth client ID",
    },
    Key {
        name: "client_secret",
        kinds: CLIENT,
        merge: UserOnly,
        shape: Secret,
        flag: flag("client-secret", "VAR"),
        doc: "Where the OAuth client secret lives",
    },
    Key {
        name: "private_key",
        kinds: OAUTH1,
        merge: UserOnly,
        shape: KeyFile,
        flag: flag("private-key", "PATH"),
        doc: "Where the client's PEM private key lives (OAuth 1.0a RSA-SHA1); the file must be 0600",
    },
    Key {
        name: "signature_method",
        kinds: OAUTH1,
        merge: Replace,
        shape: One,
        flag: flag("signature-method", "METHOD"),
        doc: "How OAuth 1.0a requests are signed: HMAC-SHA1, HMAC-SHA256, RSA-SHA1 or PLAINTEXT [default: HMAC-SHA1]",
    },
    Key {
        name: "signature_location",
        kinds: OAUTH1,
        merge: Replace,
        shape: One,
        flag: flag("signature-location", "WHERE"),
        doc: "Where the OAuth 1.0a parameters travel: header or query [default: header]",
    },
    Key {
        name: "body_hash",
        kinds: OAUTH1,
        merge: Replace,
        shape: One,
        flag: flag("body-hash", "BOOL"),
        doc: "Send oauth_body_hash on OAuth 1.0a requests whose body is not a form [default: false]",
    },
    Key {
        name: "request_token_url",
        kinds: OAUTH1,
        merge: Replace,
        shape: One,
        flag: flag("request-token-url", "URL"),
        doc: "The OAuth 1.0a temporary-credentials (request token) endpoint",
    },
    Key {
        name: "authorize_url",
        kinds: REDIRECT,
        merge: Replace,
        shape: One,
        flag: flag("authorize-url", "URL"),
        doc: "The authorization endpoint",
    },
    Key {
        name: "access_token_url",
        kinds: OAUTH1,
        merge: Replace,
        shape: One,
        flag: flag("access-token-url", "URL"),
        doc: "The OAuth 1.0a token-credentials (access token) endpoint",
    },
    Key {
        name: "token_url",
        kinds: OAUTH,
        merge: Replace,
        shape: One,
        flag: flag("token-url", "URL"),
        doc: "The token endpoint",
    },
    Key {
        name: "refresh_url",
        kinds: OAUTH,
        merge: Replace,
        shape: One,
        flag: flag("refresh-url", "URL"),
        doc: "The endpoint for refresh requests [default: token_url]",
    },
    Key {
        name: "revoke_url",
        kinds: CLIENT,
        merge: Replace,
        shape: One,
        flag: flag("revoke-url", "URL"),
        doc: "The token revocation endpoint (RFC 7009; for OAuth 1.0a, a signed POST)",
    },
    Key {
        name: "device_authorization_url",
        kinds: OAUTH,
        merge: Replace,
        shape: One,
        flag: flag("device-authorization-url", "URL"),
        doc: "The device authorization endpoint (RFC 8628)",
    },
    Key {
        name: "token_hosts",
        kinds: OAUTH,
        merge: Replace,
        shape: List,
        flag: flag("token-host", "HOST"),
        doc: "A host a value learnt from the provider may point an endpoint at (repeatable), e.g. accounts.zoho.eu",
    },
    Key {
        name: "scopes",
        kinds: OAUTH,
        merge: Replace,
        shape: List,
        flag: flag("scope", "SCOPE"),
        doc: "A default scope (repeatable)",
    },
    Key {
        name: "scope_separator",
        kinds: OAUTH,
        merge: Replace,
        shape: One,
        flag: flag("scope-separator", "SEP"),
        doc: "What joins scopes in requests [default: \" \"]",
    },
    Key {
        name: "scope_param",
        kinds: BROWSER,
        merge: Replace,
        shape: One,
        flag: flag("scope-param", "NAME"),
        doc: "The authorization parameter that carries the scopes [default: scope]",
    },
    Key {
        name: "auth_params",
        kinds: REDIRECT,
        merge: ByKey,
        shape: Pairs,
        flag: flag("auth-param", "K=V"),
        doc: "An extra authorization-request parameter (repeatable)",
    },
    Key {
        name: "request_token_params",
        kinds: OAUTH1,
        merge: ByKey,
        shape: Pairs,
        flag: flag("request-token-param", "K=V"),
        doc: "An extra parameter of the OAuth 1.0a request-token request (repeatable)",
    },
    Key {
        name: "token_params",
        kinds: OAUTH,
        merge: ByKey,
        shape: Pairs,
        flag: flag("token-param", "K=V"),
        doc: "An extra token-request parameter (repeatable)",
    },
    Key {
        name: "refresh_params",
        kinds: OAUTH,
        merge: ByKey,
        shape: Pairs,
        flag: flag("refresh-param", "K=V"),
        doc: "An extra refresh-request parameter (repeatable)",
    },
    Key {
        name: "base_url",
        kinds: ALL,
        merge: Replace,
        shape: One,
        flag: flag("base-url", "URL"),
        doc: "The API's base URL; relative `invoke` URLs start here. `{var}` allowed",
    },
    Key {
        name: "allowed_hosts",
        kinds: ALL,
        merge: Replace,
        shape: List,
        flag: flag("allowed-host", "HOST"),
        doc: "A host a credential may be sent to besides base_url's (repeatable; `*.example.com`)",
    },
    Key {
        name: "default_headers",
        kinds: ALL,
        merge: ByKey,
        shape: Pairs,
        flag: flag("default-header", "NAME=VALUE"),
        doc: "A header sent on every `invoke` (repeatable), e.g. Notion-Version=2026-03-11; a header item of the call overrides it",
    },
    Key {
        name: "vars",
        kinds: ALL,
        merge: ByKey,
        shape: Pairs,
        flag: flag("var", "K=V"),
        doc: "A value for `{K}` in the service's URLs (repeatable), e.g. tenant=common",
    },
    Key {
        name: "redirect_port",
        kinds: REDIRECT,
        merge: Replace,
        shape: One,
        flag: flag("redirect-port", "PORT"),
        doc: "A fixed loopback port for the redirect [default: any free port]",
    },
    Key {
        name: "redirect_uri",
        kinds: REDIRECT,
        merge: Replace,
        shape: One,
        flag: flag("redirect-uri", "URI"),
        doc: "A fixed loopback redirect URI, e.g. http://127.0.0.1:8400/cb",
    },
    Key {
        name: "redirect_vars",
        kinds: BROWSER,
        merge: ByKey,
        shape: Pairs,
        flag: flag("redirect-var", "VAR=PARAM"),
        doc: "Keep a query parameter of the redirect as a connection var (repeatable), e.g. realm_id=realmId",
    },
    Key {
        name: "pkce",
        kinds: BROWSER,
        merge: Replace,
        shape: One,
        flag: flag("pkce", "BOOL"),
        doc: "Use PKCE (S256) [default: true]",
    },
    Key {
        name: "client_auth",
        kinds: OAUTH,
        merge: Replace,
        shape: One,
        flag: flag("client-auth", "CLIENT_AUTH"),
        doc: "How the client authenticates at the token endpoint [default: basic]",
    },
    Key {
        name: "token_path",
        kinds: OAUTH,
        merge: Replace,
        shape: One,
        flag: flag("token-path", "PATH"),
        doc: "The object of the token response holding the token fields, e.g. authed_user",
    },
    Key {
        name: "token_vars",
        kinds: OAUTH,
        merge: Replace,
        shape: List,
        flag: flag("token-var", "FIELD"),
        doc: "A token-response field to keep as a connection var (repeatable) [default: every non-secret string]",
    },
    Key {
        name: "token_scheme",
        kinds: OAUTH,
        merge: Replace,
        shape: One,
        flag: flag("token-scheme", "SCHEME"),
        doc: "The Authorization scheme for API calls [default: Bearer]",
    },
    Key {
        name: "token_header",
        kinds: OAUTH,
        merge: Replace,
        shape: One,
        flag: flag("token-header", "NAME"),
        doc: "The header that carries the access token in API calls instead of Authorization, e.g. X-Shopify-Access-Token",
    },
    Key {
        name: "metadata_url",
        kinds: OAUTH,
        merge: Replace,
        shape: One,
        flag: flag("metadata-url", "URL"),
        doc: "A URL fetched with the new token after connecting; see --metadata-var",
    },
    Key {
        name: "metadata_auth_scheme",
        kinds: OAUTH,
        merge: Replace,
        shape: One,
        flag: flag("metadata-auth-scheme", "SCHEME"),
        doc: "The Authorization scheme of the metadata request [default: Bearer]",
    },
    Key {
        name: "metadata_vars",
        kinds: OAUTH,
        merge: ByKey,
        shape: Pairs,
        flag: flag("metadata-var", "VAR=PATH"),
        doc: "Keep a field of the metadata answer as a connection var (repeatable), e.g. dc=dc or cloud_id=0.id",
    },
    Key {
        name: "api_key_header",
        kinds: API_KEY,
        merge: Replace,
        shape: One,
        flag: flag("api-key-header", "NAME"),
        doc: "The header that carries the API key, e.g. Authorization",
    },
    Key {
        name: "api_key_query",
        kinds: API_KEY,
        merge: Replace,
        shape: One,
        flag: flag("api-key-query", "NAME"),
        doc: "The query parameter that carries the API key, e.g. key",
    },
    Key {
        name: "api_key_prefix",
        kinds: API_KEY,
        merge: Replace,
        shape: One,
        flag: flag("api-key-prefix", "TEXT"),
        doc: "Text before the key in the header, e.g. \"Bearer \"",
    },
    Key {
        name: "ca_file",
        kinds: ALL,
        merge: Replace,
        shape: One,
        flag: flag("ca-file", "PATH"),
        doc: "A PEM file of CA certificates trusted besides the platform's for every request of this service",
    },
    Key {
        name: "pagination",
        kinds: ALL,
        merge: ByKey,
        shape: Pairs,
        flag: flag("pagination", "K=V"),
        doc: "How `invoke --paginate` finds the next page (repeatable): next=link|cursor|next_url|page, items=PATH, cursor=PATH, param=NAME, has_more=PATH",
    },
    Key {
        name: "env",
        kinds: HANDED,
        merge: Replace,
        shape: One,
        flag: flag("env", "VAR"),
        doc: "The variable `tether exec -c` puts the token in, e.g. GITHUB_TOKEN [default: TETHER_TOKEN]",
    },
    Key {
        name: "git_username",
        kinds: HANDED,
        merge: Replace,
        shape: One,
        flag: flag("git-username", "NAME"),
        doc: "The user name `tether credential git` gives with the token, e.g. oauth2 [default: x-access-token]",
    },
    Key {
        name: "docker_username",
        kinds: HANDED,
        merge: Replace,
        shape: One,
        flag: flag("docker-username", "NAME"),
        doc: "The user name `tether credential docker` gives with the token [default: oauth2accesstoken]",
    },
    Key {
        name: "refresh_token_lifetime",
        kinds: REFRESHED,
        merge: Replace,
        shape: One,
        flag: flag("refresh-token-lifetime", "DURATION"),
        doc: "How long the provider's refresh tokens live from the authorization, whatever their use, e.g. 7d",
    },
    Key {
        name: "refresh_token_idle",
        kinds: REFRESHED,
        merge: Replace,
        shape: One,
        flag: flag("refresh-token-idle", "DURATION"),
        doc: "How long the provider's refresh tokens live unused (each refresh starts it again), e.g. 90d",
    },
    Key {
        name: "include_granted_scopes",
        kinds: BROWSER,
        merge: Replace,
        shape: One,
        flag: flag("include-granted-scopes", "BOOL"),
        doc: "Send include_granted_scopes=true, so a new consent adds to the scopes granted before [default: false]",
    },
    Key {
        name: "on_needs_authorization",
        kinds: CLIENT,
        merge: UserOnly,
        shape: List,
        flag: flag("on-needs-authorization", "CMD"),
        doc: "A command run with a JSON description on stdin when a connection needs authorization or lapses soon",
    },
];

/// The kinds whose credential can be handed to another program as it is:
/// every kind but OAuth 1.0a, which signs each request instead.
const HANDED: &[AuthKind] = &[
    AuthKind::Oauth2,
    AuthKind::ClientCredentials,
    AuthKind::Device,
    AuthKind::ApiKey,
    AuthKind::Basic,
    AuthKind::Bearer,
];

/// The key called `name`.
pub fn get(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|key| key.name == name)
}

impl Key {
    /// Whether a service of kind `auth` may set this key.
    pub fn is_for(&self, auth: AuthKind) -> bool {
        self.kinds.contains(&auth)
    }

    /// Whether a service of kind `auth` may set this key, or a kind of
    /// the same family may: an OAuth 2.0 key on a device service is a
    /// sibling's setting, an OAuth 2.0 key on a bearer service is foreign.
    pub fn is_for_family_of(&self, auth: AuthKind) -> bool {
        self.kinds.iter().any(|k| k.family() == auth.family())
    }
}

impl Merge {
    /// The value of a key in a service whose user wrote `user` and whose
    /// template wrote `template`, when the template's value is used;
    /// `None` when the user's value (or its absence) stands.
    pub fn merge(self, template: &toml::Value, user: Option<&toml::Value>) -> Option<toml::Value> {
        match (self, template, user) {
            (Merge::UserOnly, _, _) | (Merge::Replace, _, Some(_)) => None,
            (Merge::Replace, template, None) => Some(template.clone()),
            (Merge::ByKey, toml::Value::Table(template), user) => {
                let mut merged = template.clone();
                if let Some(toml::Value::Table(user)) = user {
                    merged.extend(user.clone());
                }
                Some(toml::Value::Table(merged))
            }
            // Not a table: a type error the user's table reports on load.
            (Merge::ByKey, _, _) => None,
        }
    }
}

/// The keys `service` sets, in table order: those whose value differs
/// from a service that sets nothing (so `auth = "oauth2"`, the default,
/// counts as unset, and so does an empty list of scopes).
pub fn set_in(service: &Service) -> Vec<&'static Key> {
    static UNSET: OnceLock<serde_json::Value> = OnceLock::new();
    let unset = UNSET.get_or_init(|| json(&Service::default()));
    let values = json(service);
    KEYS.iter()
        .filter(|key| values[key.name] != unset[key.name])
        .collect()
}

fn json(service: &Service) -> serde_json::Value {
    // A struct of strings, lists and string maps always serializes.
    serde_json::to_value(service).unwrap_or_default()
}

/// Something an auth kind cannot work without.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Need {
    /// The keys that meet it: one, or alternatives (a header or a query
    /// parameter for an API key).
    pub keys: &'static [&'static str],
    /// The question that asks for it on a terminal; the answer sets the
    /// first key.
    pub prompt: &'static str,
}

impl Need {
    /// The key a prompt or a hint sets.
    pub fn key(&self) -> &'static Key {
        get(self.keys[0]).expect("a need names a key of the table (a unit test checks it)")
    }

    /// The keys, for a message: "`api_key_header` or `api_key_query`".
    pub fn describe(&self) -> String {
        let quoted: Vec<String> = self.keys.iter().map(|k| format!("`{k}`")).collect();
        quoted.join(" or ")
    }
}

/// What a service of kind `auth` needs, in the order a person fills it in.
pub fn needs(auth: AuthKind) -> &'static [Need] {
    const CLIENT_ID: Need = Need {
        keys: &["client_id"],
        prompt: "Client ID",
    };
    const CLIENT_SECRET: Need = Need {
        keys: &["client_secret"],
        prompt: "Client secret",
    };
    const AUTHORIZE_URL: Need = Need {
        keys: &["authorize_url"],
        prompt: "Authorization URL",
    };
    const TOKEN_URL: Need = Need {
        keys: &["token_url"],
        prompt: "Token URL",
    };
    const DEVICE_URL: Need = Need {
        keys: &["device_authorization_url"],
        prompt: "Device authorization URL",
    };
    const REQUEST_TOKEN_URL: Need = Need {
        keys: &["request_token_url"],
        prompt: "Request token URL",
    };
    const ACCESS_TOKEN_URL: Need = Need {
        keys: &["access_token_url"],
        prompt: "Access token URL",
    };
    const API_KEY_PLACE: Need = Need {
        keys: &["api_key_header", "api_key_query"],
        prompt: "Header that carries the API key",
    };
    match auth {
        AuthKind::Oauth2 => &[CLIENT_ID, AUTHORIZE_URL, TOKEN_URL],
        AuthKind::ClientCredentials => &[CLIENT_ID, TOKEN_URL, CLIENT_SECRET],
        AuthKind::Device => &[CLIENT_ID, DEVICE_URL, TOKEN_URL],
        AuthKind::ApiKey => &[API_KEY_PLACE],
        AuthKind::Basic | AuthKind::Bearer => &[],
        // The consumer secret or the private key, by the signature
        // method: `validate` asks for the one the method signs with.
        AuthKind::Oauth1 => &[
            CLIENT_ID,
            REQUEST_TOKEN_URL,
            AUTHORIZE_URL,
            ACCESS_TOKEN_URL,
        ],
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn names_and_flags_are_unique() {
        let names: BTreeSet<&str> = KEYS.iter().map(|k| k.name).collect();
        assert_eq!(names.len(), KEYS.len());
        let flags: Vec<&str> = KEYS.iter().filter_map(|k| k.flag).map(|f| f.long).collect();
        let unique: BTreeSet<&str> = flags.iter().copied().collect();
        assert_eq!(unique.len(), flags.len());
    }

    #[test]
    fn the_table_holds_exactly_the_fields_of_a_service() {
        let object = json(&Service::default());
        let fields: BTreeSet<&str> = object
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let names: BTreeSet<&str> = KEYS.iter().map(|k| k.name).collect();
        assert_eq!(fields, names);
    }

    #[test]
    fn every_need_is_a_key_its_kind_uses() {
        for auth in AuthKind::ALL {
            for need in needs(auth) {
                for name in need.keys {
                    let key = get(name).unwrap_or_else(|| panic!("{auth}: no key `{name}`"));
                    assert!(key.is_for(auth), "{auth} needs `{name}` it cannot use");
                    assert!(key.flag.is_some(), "`{name}` is needed: it has a flag");
                }
            }
        }
    }

    #[test]
    fn the_readme_documents_every_key() {
        let readme = include_str!("../../README.md");
        let section = readme
            .split_once("### `[services.NAME]`")
            .and_then(|(_, rest)| rest.split_once("\n#"))
            .map(|(section, _)| section)
            .unwrap();
        let documented: BTreeSet<&str> = section
            .lines()
            .filter_map(|line| line.strip_prefix("| `")?.split_once('`'))
            .map(|(key, _)| key)
            .filter(|key| key.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            .collect();
        let names: BTreeSet<&str> = KEYS.iter().map(|k| k.name).collect();
        assert_eq!(documented, names);
    }

    #[test]
    fn set_keys_are_those_that_differ_from_unset() {
        let service = Service {
            auth: AuthKind::Device,
            token_url: Some("https://x.example/t".into()),
            token_vars: Some(vec![]),
            pkce: Some(true),
            ..Service::default()
        };
        let names: Vec<&str> = set_in(&service).iter().map(|k| k.name).collect();
        assert_eq!(names, ["auth", "token_url", "pkce", "token_vars"]);
        assert_eq!(set_in(&Service::default()), Vec::<&Key>::new());
    }

    #[test]
    fn merge_rules() {
        let text = |s: &str| toml::Value::String(s.into());
        let table = |pairs: &[(&str, &str)]| {
            toml::Value::Table(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), text(v)))
                    .collect(),
            )
        };
        assert_eq!(Replace.merge(&text("t"), None), Some(text("t")));
        assert_eq!(Replace.merge(&text("t"), Some(&text("u"))), None);
        let list = toml::Value::Array(vec![]);
        assert_eq!(Replace.merge(&text("t"), Some(&list)), None);
        assert_eq!(UserOnly.merge(&text("t"), None), None);
        assert_eq!(
            ByKey.merge(
                &table(&[("a", "t"), ("b", "t")]),
                Some(&table(&[("b", "u"), ("c", "u")]))
            ),
            Some(table(&[("a", "t"), ("b", "u"), ("c", "u")]))
        );
        assert_eq!(
            ByKey.merge(&table(&[("a", "t")]), None),
            Some(table(&[("a", "t")]))
        );
    }
}
