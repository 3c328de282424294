//! Semantic checks on a parsed config, before any network call.
//!
//! Parsing already rejected unknown keys and wrong types. This module checks
//! what a type cannot say: URLs that parse and use https (plain http only
//! for loopback hosts, RFC 8252 §8.3), hold no user name or password and
//! put `{var}` placeholders only where a value cannot move the host; a
//! redirect URI without a fragment (RFC 6749 §3.1.2); header names and
//! values that HTTP can carry (RFC 9110 §5); the fields each auth kind
//! needs, parameters that would override the flow's own (RFC 6749 §4.1.1,
//! RFC 7636 §4.3), and connections that name a service that exists. It is
//! pure: it returns a [`Problem`] with a key path, which `load` turns into
//! a line and a column.

use url::Url;

use super::hosts::{HostPattern, is_loopback};
use super::keys::{self, Key, Need, Shape};
use super::model::{Config, Service};
use super::template::{MISPLACED_HINT, UrlTemplate, is_var_name};

/// One thing wrong with the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The key path, e.g. `["services", "gh", "token_url"]`.
    pub key: Vec<String>,
    pub message: String,
    pub hint: Option<String>,
}

impl Problem {
    fn new(key: &[&str], message: impl Into<String>) -> Problem {
        Problem {
            key: key.iter().map(|s| (*s).to_string()).collect(),
            message: message.into(),
            hint: None,
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> Problem {
        self.hint = Some(hint.into());
        self
    }
}

/// Authorization-request parameters that the flow itself sets; a service's
/// `auth_params` may not override them.
pub const RESERVED_AUTH_PARAMS: [&str; 6] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "state",
    "code_challenge",
    "code_challenge_method",
];

/// Checks a name given to a service or a connection: it becomes a file name,
/// a keyring account and part of an environment variable.
pub fn check_name(name: &str) -> Result<(), ValueFault> {
    let valid = !name.is_empty()
        && name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if valid {
        Ok(())
    } else {
        Err(ValueFault::Name {
            name: name.to_string(),
        })
    }
}

/// Checks the whole config; the first problem found, in file order of
/// services then connections.
pub fn validate(config: &Config) -> Result<(), Problem> {
    for (name, service) in &config.services {
        if let Err(message) = check_name(name) {
            return Err(Problem::new(&["services", name], message));
        }
        check_service(name, service)?;
    }
    for (name, connection) in &config.connections {
        if let Err(message) = check_name(name) {
            return Err(Problem::new(&["connections", name], message));
        }
        if !config.services.contains_key(&connection.service) {
            let mut problem = Problem::new(
                &["connections", name, "service"],
                format!("no service named `{}`", connection.service),
            );
            problem.hint = Some(
                match super::suggest(&connection.service, config.services.keys()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "add it with `tether service add`".to_string(),
                },
            );
            return Err(problem);
        }
        if let Some(argv) = &connection.on_rotate
            && argv.first().is_none_or(|p| p.is_empty())
        {
            return Err(Problem::new(
                &["connections", name, "on_rotate"],
                "needs a program, e.g. [\"gh\", \"secret\", \"set\", \"TETHER_CONNECTION_X\"]",
            ));
        }
        for var in connection.vars.keys() {
            check_var_name(var)
                .map_err(|m| Problem::new(&["connections", name, "vars", var], m))?;
        }
    }
    check_handed(config)?;
    check_stores(config)
}

/// The keys that hand a connection's credential to other programs: an
/// `env` that is a variable name, and `git_hosts`/`docker_hosts` that are
/// host patterns, each claimed by one connection only (a credential
/// helper asked for that host could not choose).
fn check_handed(config: &Config) -> Result<(), Problem> {
    for (name, service) in &config.services {
        if let Some(var) = &service.env
            && !is_env_name(var)
        {
            return Err(Problem::new(
                &["services", name, "env"],
                format!(
                    "`{var}` is not a variable name: use letters, digits and `_`, not starting with a digit"
                ),
            ));
        }
    }
    for key in ["git_hosts", "docker_hosts"] {
        let mut claimed: Vec<(HostPattern, &str)> = Vec::new();
        for (name, connection) in &config.connections {
            let hosts = match key {
                "git_hosts" => &connection.git_hosts,
                _ => &connection.docker_hosts,
            };
            for host in hosts {
                let at = ["connections".to_string(), name.clone(), key.to_string()];
                let pattern = HostPattern::parse(host).map_err(|e| Problem {
                    key: at.to_vec(),
                    message: e.to_string(),
                    hint: e.hint(),
                })?;
                if let Some((_, other)) = claimed.iter().find(|(p, _)| *p == pattern) {
                    return Err(Problem {
                        key: at.to_vec(),
                        message: format!("`{host}` is also in the `{key}` of connection `{other}`"),
                        hint: Some(format!(
                            "a host gets its credentials from one connection: remove it from `{other}` or from `{name}`"
                        )),
                    });
                }
                claimed.push((pattern, name));
            }
        }
    }
    Ok(())
}

/// Shared stores: their names and schemas, and every `store` that names
/// one names one that exists.
fn check_stores(config: &Config) -> Result<(), Problem> {
    for (name, store) in &config.stores {
        if let Err(message) = check_name(name) {
            return Err(Problem::new(&["stores", name], message));
        }
        if crate::config::StoreChoice::BUILT_IN.contains(&name.as_str()) || name == "env" {
            return Err(Problem::new(
                &["stores", name],
                format!("`{name}` is the name of a built-in store; call this one otherwise"),
            ));
        }
        if let Some(schema) = &store.schema
            && !is_sql_name(schema)
        {
            return Err(Problem::new(
                &["stores", name, "schema"],
                "a schema is lowercase letters, digits and `_`, starting with a letter or `_` (63 at most)",
            ));
        }
    }
    let wanted = std::iter::once((vec!["store".to_string()], &config.store)).chain(
        config.connections.iter().filter_map(|(name, c)| {
            let key = vec!["connections".to_string(), name.clone(), "store".to_string()];
            c.store.as_ref().map(|store| (key, store))
        }),
    );
    for (key, choice) in wanted {
        if let Some(name) = choice.shared()
            && !config.stores.contains_key(name)
        {
            let key: Vec<&str> = key.iter().map(String::as_str).collect();
            let mut problem = Problem::new(
                &key,
                format!(
                    "no store named `{name}`: not `auto`, `keyring`, `file` nor a `[stores.NAME]` table"
                ),
            );
            problem.hint = Some(match super::suggest(name, config.stores.keys()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("define it as `[stores.{name}]`, with `kind`, `url` and `key`"),
            });
            return Err(problem);
        }
    }
    Ok(())
}

/// Whether `name` is a portable environment variable name.
pub fn is_env_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether `name` can be a PostgreSQL identifier without quoting rules to
/// get wrong: lowercase ASCII letters, digits and `_`, not starting with a
/// digit, 63 bytes at most.
pub fn is_sql_name(name: &str) -> bool {
    (1..=63).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// What `s.auth` needs that `s` lacks, in the order a person would fill
/// it in.
pub fn missing_fields(s: &Service) -> Vec<&'static Need> {
    let set = keys::set_in(s);
    keys::needs(s.auth)
        .iter()
        .filter(|need| !set.iter().any(|key| need.keys.contains(&key.name)))
        .collect()
}

/// Checks one service on its own.
pub fn check_service(name: &str, s: &Service) -> Result<(), Problem> {
    let key = |k: &str| vec!["services".to_string(), name.to_string(), k.to_string()];
    let at = |k: &str, message: String| Problem {
        key: key(k),
        message,
        hint: None,
    };

    // Every URL parses and uses https, or http on a loopback host.
    let urls = [
        ("request_token_url", &s.request_token_url),
        ("authorize_url", &s.authorize_url),
        ("access_token_url", &s.access_token_url),
        ("token_url", &s.token_url),
        ("refresh_url", &s.refresh_url),
        ("revoke_url", &s.revoke_url),
        ("device_authorization_url", &s.device_authorization_url),
        ("metadata_url", &s.metadata_url),
        ("base_url", &s.base_url),
    ];
    for (k, value) in urls {
        if let Some(value) = value {
            if has_userinfo(value) {
                return Err(at(k, USERINFO.into()).hint(USERINFO_HINT));
            }
            check_url(value).map_err(|m| at(k, m.into()))?;
            let template = UrlTemplate::url(value);
            if let Some(var) = template.misplaced() {
                return Err(at(
                    k,
                    format!("`{{{var}}}` is not a whole part of the host name"),
                )
                .hint(MISPLACED_HINT));
            }
        }
    }
    check_quirks(name, s)?;
    super::endpoints::check_endpoint_keys(name, s)?;
    super::headers::check_default_headers(name, s)?;
    if let Some(uri) = &s.redirect_uri {
        if has_userinfo(uri) {
            return Err(at("redirect_uri", USERINFO.into()).hint(USERINFO_HINT));
        }
        check_redirect_uri(uri).map_err(|m| at("redirect_uri", m.into()))?;
        if let (Some(port), Ok(url)) = (s.redirect_port, Url::parse(uri))
            && url.port() != Some(port)
        {
            return Err(at(
                "redirect_port",
                format!("{port} differs from the port of redirect_uri"),
            ));
        }
    }
    if s.redirect_port == Some(0) {
        return Err(at(
            "redirect_port",
            "0 is not a port; remove the key to use any free port".into(),
        ));
    }
    for host in &s.allowed_hosts {
        HostPattern::parse(host).map_err(|e| Problem {
            hint: e.hint(),
            ..at("allowed_hosts", e.to_string())
        })?;
    }
    if s.scope_separator.as_deref() == Some("") {
        return Err(at("scope_separator", "must not be empty".into()));
    }
    for scope in &s.scopes {
        if scope.is_empty() || scope.chars().any(char::is_whitespace) {
            return Err(at(
                "scopes",
                format!("{scope:?} is not a scope (no spaces, not empty)"),
            ));
        }
    }
    if let Some(reserved) = s
        .auth_params
        .keys()
        .find(|k| RESERVED_AUTH_PARAMS.contains(&k.as_str()))
    {
        return Err(Problem {
            key: vec![
                "services".into(),
                name.into(),
                "auth_params".into(),
                reserved.clone(),
            ],
            message: format!("`{reserved}` is set by tether itself and cannot be overridden"),
            hint: Some(format!("remove `{reserved}` from auth_params")),
        });
    }
    if let Some(id) = &s.client_id {
        if id.trim().is_empty() {
            return Err(at("client_id", "must not be empty".into()));
        }
        if id.chars().any(char::is_control) {
            return Err(at(
                "client_id",
                format!("{id:?} holds a control character or a line break"),
            ));
        }
    }
    if let Some(name) = &s.api_key_header
        && !is_header_name(name)
    {
        return Err(at(
            "api_key_header",
            format!("{name:?} is not a header name (letters, digits and `-`; RFC 9110 §5.1)"),
        ));
    }
    if let Some(prefix) = &s.api_key_prefix
        && prefix.chars().any(char::is_control)
    {
        return Err(at(
            "api_key_prefix",
            format!(
                "{prefix:?} cannot go in a header: it holds a control character or a line break"
            ),
        ));
    }

    // What each kind needs, and what it cannot use.
    if let Some(missing) = missing_fields(s).first() {
        return Err(Problem {
            key: vec!["services".into(), name.into()],
            message: format!("auth = \"{}\" needs {}", s.auth, missing.describe()),
            hint: Some(set_hint(name, missing.key())),
        });
    }
    check_oauth1(name, s)?;
    if s.api_key_header.is_some() && s.api_key_query.is_some() {
        return Err(at(
            "api_key_query",
            "set either api_key_header or api_key_query, not both".into(),
        ));
    }
    if let Some(k) = unused_key(s) {
        return Err(
            at(k, format!("has no meaning for auth = \"{}\"", s.auth)).hint(format!(
                "remove it with `tether service edit {name} --unset {k}`"
            )),
        );
    }
    Ok(())
}

/// What the signature method of an OAuth 1.0a service asks: RSA-SHA1 a
/// private key and no consumer secret (it would never be used), the others
/// the consumer secret. PLAINTEXT, which sends both secrets as they are,
/// needs https or a loopback host (RFC 5849 §3.4.4): every URL of a service
/// is held to that already ([`check_url`]), and `invoke` sends a credential
/// nowhere else.
fn check_oauth1(name: &str, s: &Service) -> Result<(), Problem> {
    use super::model::{AuthKind, SignatureMethod};
    if s.auth != AuthKind::Oauth1 {
        return Ok(());
    }
    let at = |k: &str, message: String| Problem::new(&["services", name, k], message);
    let method = s.signature_method();
    let needs = |key: &str| Problem {
        key: vec!["services".into(), name.into()],
        message: format!("signature_method = \"{method}\" needs `{key}`"),
        hint: keys::get(key).map(|key| set_hint(name, key)),
    };
    if s.private_key == Some(super::model::SecretRef::Keyring) {
        return Err(at(
            "private_key",
            "cannot live in the token store; keep the PEM key in a file only you can read".into(),
        )
        .hint(format!(
            "set it with `tether service edit {name} --private-key-file PATH`"
        )));
    }
    match method {
        SignatureMethod::RsaSha1 => {
            if s.private_key.is_none() {
                return Err(needs("private_key"));
            }
            if s.client_secret.is_some() {
                return Err(at(
                    "client_secret",
                    "has no meaning for signature_method = \"RSA-SHA1\", which signs with `private_key`".into(),
                )
                .hint(format!(
                    "remove it with `tether service edit {name} --unset client_secret`"
                )));
            }
        }
        _ if s.client_secret.is_none() => return Err(needs("client_secret")),
        _ if s.private_key.is_some() => {
            return Err(at(
                "private_key",
                format!("has no meaning for signature_method = \"{method}\", which signs with `client_secret`"),
            )
            .hint(format!(
                "remove it with `tether service edit {name} --unset private_key`"
            )));
        }
        _ => {}
    }
    Ok(())
}

/// The first key `s` sets that its kind does not use. A key of the other
/// family (an API key setting on an OAuth service) is named before a key
/// of a sibling kind (a browser setting on a device service).
fn unused_key(s: &Service) -> Option<&'static str> {
    let unused: Vec<&Key> = keys::set_in(s)
        .into_iter()
        .filter(|key| !key.is_for(s.auth))
        .collect();
    unused
        .iter()
        .find(|key| !key.is_for_family_of(s.auth))
        .or(unused.first())
        .map(|key| key.name)
}

/// How to set a key that is missing, as a hint.
fn set_hint(name: &str, key: &Key) -> String {
    let long = key.flag.map_or(key.name, |f| f.long);
    match (key.shape, key.flag) {
        (Shape::Secret, Some(flag)) => format!(
            "set it with `tether service edit {name} --{long}-env {}` (or --{long}-command, --{long}-stdin)",
            flag.value
        ),
        (Shape::KeyFile, Some(flag)) => format!(
            "set it with `tether service edit {name} --{long}-file {}` (or --{long}-env, --{long}-command)",
            flag.value
        ),
        _ => format!("set it with `tether service edit {name} --{long} …`"),
    }
}

/// Checks the keys that adapt tether to providers that bend the standard.
fn check_quirks(name: &str, s: &Service) -> Result<(), Problem> {
    let at = |k: &[&str], message: String| {
        let mut key = vec!["services", name];
        key.extend_from_slice(k);
        Problem::new(&key, message)
    };
    for var in s.vars.keys() {
        check_var_name(var).map_err(|m| at(&["vars", var], m.into()))?;
    }
    if let Some(param) = &s.scope_param
        && (param.is_empty() || RESERVED_AUTH_PARAMS.contains(&param.as_str()))
    {
        return Err(at(
            &["scope_param"],
            format!("{param:?} cannot carry the scopes"),
        ));
    }
    if let Some(path) = &s.token_path
        && path.split('.').any(str::is_empty)
    {
        return Err(at(
            &["token_path"],
            format!("{path:?} is not a dotted path such as \"authed_user\""),
        ));
    }
    for field in s.token_vars.iter().flatten() {
        check_var_name(field).map_err(|m| at(&["token_vars"], m.into()))?;
    }
    for (k, scheme) in [
        ("token_scheme", &s.token_scheme),
        ("metadata_auth_scheme", &s.metadata_auth_scheme),
    ] {
        if let Some(scheme) = scheme
            && (scheme.is_empty() || !scheme.chars().all(|c| c.is_ascii_graphic()))
        {
            return Err(at(
                &[k],
                format!("{scheme:?} is not an authorization scheme such as \"Bearer\""),
            ));
        }
    }
    for (var, path) in &s.metadata_vars {
        check_var_name(var).map_err(|m| at(&["metadata_vars", var], m.into()))?;
        if path.split('.').any(str::is_empty) {
            return Err(at(
                &["metadata_vars", var],
                format!("{path:?} is not a dotted path such as \"dc\" or \"0.id\""),
            ));
        }
    }
    match (&s.metadata_url, s.metadata_vars.is_empty()) {
        (Some(_), true) => Err(at(
            &["metadata_url"],
            "needs `metadata_vars`: which fields of the answer to keep".into(),
        )),
        (None, false) => Err(at(
            &["metadata_vars"],
            "needs `metadata_url`: where to fetch them".into(),
        )),
        _ => Ok(()),
    }
}

/// A URL tether may send a credential to or fetch a token from: absolute,
/// https, or http on a loopback host, with no user name or password (which
/// `service show` and `--curl` would print, so the message does not quote
/// the URL). `{var}` placeholders are allowed and checked as if filled.
pub fn check_url(value: &str) -> Result<(), ValueFault> {
    let filled = UrlTemplate::url(value).sample();
    let url = Url::parse(&filled).map_err(|e| not_url(value, &e))?;
    check_no_userinfo(&url)?;
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(&url) => Ok(()),
        "http" => Err(ValueFault::PlainHttp {
            value: value.to_string(),
        }),
        other => Err(ValueFault::NotHttp {
            value: value.to_string(),
            scheme: other.to_string(),
        }),
    }
}

fn not_url(value: &str, e: &url::ParseError) -> ValueFault {
    ValueFault::NotUrl {
        value: value.to_string(),
        detail: e.to_string(),
    }
}

/// A redirect URI is loopback http (tether listens there, RFC 8252 §7.3)
/// or https (for providers that accept nothing else; the user then pastes
/// the address the browser ends on).
fn check_redirect_uri(value: &str) -> Result<(), ValueFault> {
    let url = Url::parse(value).map_err(|e| not_url(value, &e))?;
    check_no_userinfo(&url)?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        _ => {
            return Err(ValueFault::RedirectUri {
                value: value.to_string(),
            });
        }
    }
    if url.fragment().is_some() {
        return Err(ValueFault::RedirectFragment {
            value: value.to_string(),
        });
    }
    Ok(())
}

/// Refuses a URL with a user name or password before its host.
fn check_no_userinfo(url: &Url) -> Result<(), ValueFault> {
    if url.username().is_empty() && url.password().is_none() {
        Ok(())
    } else {
        Err(ValueFault::UserInfo)
    }
}

/// Whether a URL of the config (its placeholders filled with samples) has
/// a user name or password before its host.
fn has_userinfo(value: &str) -> bool {
    Url::parse(&UrlTemplate::url(value).sample()).is_ok_and(|url| check_no_userinfo(&url).is_err())
}

/// Why a URL with `user:password@` is refused; it names no part of it.
const USERINFO: &str = "has a user name or password before the host, which tether would print (`service show`, `--curl`)";
const USERINFO_HINT: &str =
    "remove it; a client secret goes in `client_secret`, a credential in the token store";

/// Whether `name` can be an HTTP header name: an RFC 9110 §5.1 token.
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c))
}

fn check_var_name(name: &str) -> Result<(), ValueFault> {
    if is_var_name(name) {
        Ok(())
    } else {
        Err(ValueFault::VarName {
            name: name.to_string(),
        })
    }
}

/// What is wrong with one value of the config, before a [`Problem`] places
/// it at its key (or a command names it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueFault {
    /// A service or connection name that cannot be a file name, a keyring
    /// account and part of an environment variable.
    Name {
        name: String,
    },
    NotUrl {
        value: String,
        detail: String,
    },
    /// A user name or password before the host; never quoted.
    UserInfo,
    PlainHttp {
        value: String,
    },
    NotHttp {
        value: String,
        scheme: String,
    },
    RedirectUri {
        value: String,
    },
    RedirectFragment {
        value: String,
    },
    VarName {
        name: String,
    },
}

/// A fault becomes a [`Problem`]'s message where the config is checked.
impl From<ValueFault> for String {
    fn from(fault: ValueFault) -> String {
        fault.to_string()
    }
}

impl std::fmt::Display for ValueFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ValueFault::Name { name } => write!(
                f,
                "`{name}` is not a valid name: use letters, digits, `-`, `_` and `.`, starting with a letter or digit (64 at most)"
            ),
            ValueFault::NotUrl { value, detail } => {
                write!(f, "{value:?} is not a valid URL ({detail})")
            }
            ValueFault::UserInfo => f.write_str(USERINFO),
            ValueFault::PlainHttp { value } => write!(
                f,
                "{value:?} uses plain http on a host that is not loopback; use https"
            ),
            ValueFault::NotHttp { value, scheme } => {
                write!(f, "{value:?} is not an http(s) URL (scheme `{scheme}`)")
            }
            ValueFault::RedirectUri { value } => write!(
                f,
                "{value:?} must be http on a loopback host, e.g. http://127.0.0.1:8400/callback (RFC 8252 §7.3), or https"
            ),
            ValueFault::RedirectFragment { value } => write!(
                f,
                "{value:?} has a fragment, which a redirect URI cannot have (RFC 6749 §3.1.2)"
            ),
            ValueFault::VarName { name } => {
                write!(
                    f,
                    "`{name}` is not a variable name (letters, digits and `_`)"
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::model::SignatureMethod;
    use crate::config::{AuthKind, SecretRef};

    fn oauth() -> Service {
        Service {
            client_id: Some("id".into()),
            authorize_url: Some("https://a.example/authorize".into()),
            token_url: Some("https://a.example/token".into()),
            ..Service::default()
        }
    }

    fn oauth1(method: Option<SignatureMethod>) -> Service {
        Service {
            auth: AuthKind::Oauth1,
            client_id: Some("consumer".into()),
            request_token_url: Some("https://a.example/request".into()),
            authorize_url: Some("https://a.example/authorize".into()),
            access_token_url: Some("https://a.example/access".into()),
            signature_method: method,
            ..Service::default()
        }
    }

    #[test]
    fn oauth1_signs_with_what_its_method_needs() {
        let message = |s: &Service| check_service("t", s).map_err(|p| (p.key.join("."), p.message));
        let mut hmac = oauth1(None);
        assert_eq!(
            message(&hmac),
            Err((
                "services.t".into(),
                "signature_method = \"HMAC-SHA1\" needs `client_secret`".into()
            ))
        );
        hmac.client_secret = Some(SecretRef::Env("S".into()));
        assert_eq!(message(&hmac), Ok(()));
        hmac.private_key = Some(SecretRef::File("k.pem".into()));
        assert_eq!(
            message(&hmac).unwrap_err().0,
            "services.t.private_key",
            "a key HMAC never uses"
        );
        let mut rsa = oauth1(Some(SignatureMethod::RsaSha1));
        assert_eq!(
            message(&rsa),
            Err((
                "services.t".into(),
                "signature_method = \"RSA-SHA1\" needs `private_key`".into()
            ))
        );
        rsa.private_key = Some(SecretRef::Keyring);
        assert_eq!(
            message(&rsa).unwrap_err().1,
            "cannot live in the token store; keep the PEM key in a file only you can read"
        );
        rsa.private_key = Some(SecretRef::File("~/k.pem".into()));
        assert_eq!(message(&rsa), Ok(()));
        rsa.client_secret = Some(SecretRef::Env("S".into()));
        assert_eq!(message(&rsa).unwrap_err().0, "services.t.client_secret");
        rsa.client_secret = None;
        rsa.pkce = Some(true);
        assert_eq!(
            message(&rsa),
            Err((
                "services.t.pkce".into(),
                "has no meaning for auth = \"oauth1\"".into()
            ))
        );
        let mut missing = oauth1(Some(SignatureMethod::Plaintext));
        missing.access_token_url = None;
        assert_eq!(
            message(&missing).unwrap_err().1,
            "auth = \"oauth1\" needs `access_token_url`"
        );
    }

    #[test]
    fn urls() {
        assert!(check_url("https://x.example/a").is_ok());
        assert!(check_url("http://127.0.0.1:9/a").is_ok());
        assert!(check_url("http://localhost/a").is_ok());
        assert!(check_url("http://[::1]/a").is_ok());
        assert!(check_url("https://{dc}.api.mailchimp.com/3.0").is_ok());
        assert!(check_url("{api_domain}/crm/v5").is_ok());
        assert_eq!(
            check_url("http://x.example/a"),
            Err(ValueFault::PlainHttp {
                value: "http://x.example/a".into()
            })
        );
        assert_eq!(
            check_url("ftp://x.example"),
            Err(ValueFault::NotHttp {
                value: "ftp://x.example".into(),
                scheme: "ftp".into()
            })
        );
        assert_eq!(
            check_url("/relative").unwrap_err().to_string(),
            "\"/relative\" is not a valid URL (relative URL without a base)"
        );
    }

    #[test]
    fn kinds_need_their_fields() {
        assert!(check_service("s", &oauth()).is_ok());
        let mut s = oauth();
        s.token_url = None;
        let p = check_service("s", &s).unwrap_err();
        assert_eq!(p.message, "auth = \"oauth2\" needs `token_url`");
        assert_eq!(p.key, ["services", "s"]);

        let key = Service {
            auth: AuthKind::ApiKey,
            api_key_header: Some("X-Key".into()),
            ..Service::default()
        };
        assert!(check_service("k", &key).is_ok());
        let mut wrong = key;
        wrong.token_url = Some("https://x.example/t".into());
        assert_eq!(
            check_service("k", &wrong).unwrap_err().key,
            ["services", "k", "token_url"]
        );
    }

    /// The problem `check_service` finds, as (key, message, hint).
    fn problem(s: &Service) -> (String, String, Option<String>) {
        let p = check_service("s", s).unwrap_err();
        (p.key.join("."), p.message, p.hint)
    }

    #[test]
    fn what_each_kind_needs_is_named_with_its_flag() {
        let mut s = oauth();
        s.client_id = None;
        s.authorize_url = None;
        assert_eq!(
            problem(&s),
            (
                "services.s".into(),
                "auth = \"oauth2\" needs `client_id`".into(),
                Some("set it with `tether service edit s --client-id …`".into())
            )
        );
        let cc = Service {
            auth: AuthKind::ClientCredentials,
            client_id: Some("id".into()),
            token_url: Some("https://a.example/token".into()),
            ..Service::default()
        };
        assert_eq!(
            problem(&cc),
            (
                "services.s".into(),
                "auth = \"client_credentials\" needs `client_secret`".into(),
                Some("set it with `tether service edit s --client-secret-env VAR` (or --client-secret-command, --client-secret-stdin)".into())
            )
        );
        let device = Service {
            auth: AuthKind::Device,
            client_id: Some("id".into()),
            ..Service::default()
        };
        let missing: Vec<&str> = missing_fields(&device).iter().map(|n| n.keys[0]).collect();
        assert_eq!(missing, ["device_authorization_url", "token_url"]);
        let key = Service {
            auth: AuthKind::ApiKey,
            ..Service::default()
        };
        assert_eq!(
            problem(&key),
            (
                "services.s".into(),
                "auth = \"api_key\" needs `api_key_header` or `api_key_query`".into(),
                Some("set it with `tether service edit s --api-key-header …`".into())
            )
        );
        let query = Service {
            api_key_query: Some("key".into()),
            ..key
        };
        assert!(check_service("s", &query).is_ok());
        let bearer = Service {
            auth: AuthKind::Bearer,
            ..Service::default()
        };
        assert_eq!(missing_fields(&bearer), Vec::<&Need>::new());
    }

    #[test]
    fn a_key_of_another_family_is_named_before_a_sibling_kinds_key() {
        let unused = |k: &str, auth: &str| {
            (
                format!("services.s.{k}"),
                format!("has no meaning for auth = \"{auth}\""),
                Some(format!(
                    "remove it with `tether service edit s --unset {k}`"
                )),
            )
        };
        let device = Service {
            auth: AuthKind::Device,
            client_id: Some("id".into()),
            device_authorization_url: Some("https://a.example/device".into()),
            token_url: Some("https://a.example/token".into()),
            authorize_url: Some("https://a.example/authorize".into()),
            ..Service::default()
        };
        assert_eq!(problem(&device), unused("authorize_url", "device"));
        let with_key = Service {
            api_key_prefix: Some("Key ".into()),
            ..device
        };
        assert_eq!(problem(&with_key), unused("api_key_prefix", "device"));

        let bearer = Service {
            auth: AuthKind::Bearer,
            api_key_header: Some("X-Key".into()),
            pkce: Some(false),
            client_secret: Some(SecretRef::Env("S".into())),
            ..Service::default()
        };
        assert_eq!(problem(&bearer), unused("client_secret", "bearer"));
        let bearer = Service {
            client_secret: None,
            pkce: None,
            ..bearer
        };
        assert_eq!(problem(&bearer), unused("api_key_header", "bearer"));

        let oauth2 = Service {
            api_key_query: Some("key".into()),
            ..oauth()
        };
        assert_eq!(problem(&oauth2), unused("api_key_query", "oauth2"));
        // An empty list is no setting; an empty `token_vars` is one.
        let basic = Service {
            auth: AuthKind::Basic,
            scopes: vec![],
            ..Service::default()
        };
        assert!(check_service("s", &basic).is_ok());
        let basic = Service {
            token_vars: Some(vec![]),
            ..basic
        };
        assert_eq!(problem(&basic), unused("token_vars", "basic"));
    }

    #[test]
    fn reserved_auth_params() {
        let mut s = oauth();
        s.auth_params.insert("state".into(), "x".into());
        assert_eq!(
            check_service("s", &s).unwrap_err(),
            Problem {
                key: vec![
                    "services".into(),
                    "s".into(),
                    "auth_params".into(),
                    "state".into()
                ],
                message: "`state` is set by tether itself and cannot be overridden".into(),
                hint: Some("remove `state` from auth_params".into()),
            }
        );
        let mut s = oauth();
        s.auth_params.insert("access_type".into(), "offline".into());
        assert!(check_service("s", &s).is_ok());
    }

    #[test]
    fn urls_hold_no_user_name_or_password() {
        for url in [
            "https://me:hunter2@x.example/t",
            "https://hunter2@x.example/t",
            "https://:hunter2@x.example/t",
            "https://me:hunter2@{dc}.x.example/t",
        ] {
            let err = check_url(url).unwrap_err();
            assert_eq!(err, ValueFault::UserInfo, "{url}");
            assert_eq!(err.to_string(), USERINFO, "{url}");
            assert!(!err.to_string().contains("hunter2"));
            let mut s = oauth();
            s.token_url = Some(url.into());
            assert_eq!(
                problem(&s),
                (
                    "services.s.token_url".into(),
                    USERINFO.into(),
                    Some(USERINFO_HINT.into())
                ),
                "{url}"
            );
        }
        let base = Service {
            auth: AuthKind::Bearer,
            base_url: Some("https://u:p@api.example/{v}".into()),
            ..Service::default()
        };
        assert_eq!(problem(&base).0, "services.s.base_url");
        let mut s = oauth();
        s.redirect_uri = Some("http://u:p@127.0.0.1:8400/cb".into());
        assert_eq!(problem(&s).0, "services.s.redirect_uri");
        // An `@` in the path is no user name.
        assert!(check_url("https://x.example/users/@me").is_ok());
    }

    #[test]
    fn a_redirect_uri_has_no_fragment() {
        let mut s = oauth();
        s.redirect_uri = Some("http://127.0.0.1:8400/callback#".into());
        assert_eq!(
            problem(&s),
            (
                "services.s.redirect_uri".into(),
                "\"http://127.0.0.1:8400/callback#\" has a fragment, which a redirect URI cannot have (RFC 6749 §3.1.2)".into(),
                None
            )
        );
        s.redirect_uri = Some("http://127.0.0.1:8400/callback?x=1".into());
        assert!(check_service("s", &s).is_ok());
    }

    #[test]
    fn a_client_id_holds_no_control_characters() {
        for id in ["a\r\nb", "a\nb", "a\0", "\tid", "id\u{7f}"] {
            let mut s = oauth();
            s.client_id = Some(id.into());
            assert_eq!(
                problem(&s),
                (
                    "services.s.client_id".into(),
                    format!("{id:?} holds a control character or a line break"),
                    None
                ),
                "{id:?}"
            );
        }
        let mut s = oauth();
        s.client_id = Some("123-abc.apps.googleusercontent.com".into());
        assert!(check_service("s", &s).is_ok());
    }

    #[test]
    fn api_key_headers_are_names_and_values_http_can_carry() {
        let key = |header: &str, prefix: Option<&str>| Service {
            auth: AuthKind::ApiKey,
            api_key_header: Some(header.into()),
            api_key_prefix: prefix.map(str::to_string),
            ..Service::default()
        };
        for good in ["X-Api-Key", "x_key", "Private-Token", "X.Key!"] {
            assert!(
                check_service("s", &key(good, Some("Key "))).is_ok(),
                "{good}"
            );
        }
        for bad in [
            "X Api Key",
            "X-Key\r\nEvil: 1",
            "X-Key:",
            "",
            "Ключ",
            "X\tKey",
        ] {
            assert_eq!(
                problem(&key(bad, None)),
                (
                    "services.s.api_key_header".into(),
                    format!(
                        "{bad:?} is not a header name (letters, digits and `-`; RFC 9110 §5.1)"
                    ),
                    None
                ),
                "{bad:?}"
            );
        }
        for bad in ["Key\r\n", "Key\n", "\0"] {
            assert_eq!(
                problem(&key("X-Key", Some(bad))).0,
                "services.s.api_key_prefix",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_placeholder_glued_to_the_host_is_named_with_its_key() {
        let base = Service {
            auth: AuthKind::Bearer,
            base_url: Some("https://api.example.com{sfx}/v1".into()),
            ..Service::default()
        };
        assert_eq!(
            problem(&base),
            (
                "services.s.base_url".into(),
                "`{sfx}` is not a whole part of the host name".into(),
                Some(MISPLACED_HINT.into())
            )
        );
        let mut s = oauth();
        s.token_url = Some("https://x{n}.example/t".into());
        assert_eq!(problem(&s).0, "services.s.token_url");
        let fine = Service {
            base_url: Some("https://{dc}.api.example.com/{v}".into()),
            ..base
        };
        assert!(check_service("s", &fine).is_ok());
    }

    #[test]
    fn allowed_hosts_cannot_open_a_public_suffix() {
        let mut s = Service {
            auth: AuthKind::Bearer,
            allowed_hosts: vec!["api.example.com".into(), "*.co.uk".into()],
            ..Service::default()
        };
        assert_eq!(
            problem(&s),
            (
                "services.s.allowed_hosts".into(),
                "`*.co.uk` would allow every site under the public suffix `co.uk`".into(),
                Some("name the service's own domain, such as `*.example.com`".into())
            )
        );
        s.allowed_hosts = vec!["*.example.co.uk".into()];
        assert!(check_service("s", &s).is_ok());
    }

    #[test]
    fn names() {
        assert!(check_name("mc-prod").is_ok());
        assert!(check_name("gh.work_2").is_ok());
        assert!(check_name("").is_err());
        assert!(check_name("-x").is_err());
        assert!(check_name("a/b").is_err());
        assert!(check_name("a b").is_err());
    }
}
