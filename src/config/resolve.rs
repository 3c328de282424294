//! Template inheritance: a service that names a `template` takes every key
//! it does not set from that built-in template (`src/providers/`).
//!
//! This is the one place where a service is completed. It runs when the
//! config is parsed, before validation, so every command (`connect`,
//! `invoke`, refresh, `service show`) sees the resolved service and
//! validation checks what will really be used. The file keeps only the
//! `template` key and the user's own settings, so a fixed template reaches
//! every user on upgrade.
//!
//! Rules:
//! * the template's `[service]` table is merged into the user's table key
//!   by key, each key by its [`Merge`](super::keys::Merge) rule in
//!   [`KEYS`]: a key the user writes replaces the template's, except the
//!   parameter and var tables, which merge entry by entry, the user's
//!   winning; client credentials never come from a template. The merged
//!   table is then deserialized, so what the user did not write is told
//!   apart from what they wrote empty (`scopes = []`);
//! * the service's `vars` are checked against every place they fill, but
//!   nothing is filled here: an endpoint is filled for each connection
//!   ([`super::endpoints`]) and `base_url` for each request, the
//!   connection's vars and the vars it learnt coming before the service's
//!   (see [`super::template`]).

use super::keys::KEYS;
use super::model::{Config, Service};
use super::validate::Problem;
use crate::providers;

/// Resolves every service of `config`, parsed from `text` (whose tables
/// say which keys each service writes itself).
pub fn resolve_config(config: &mut Config, text: &str) -> Result<(), Problem> {
    let raw: Option<toml::Table> = if config.services.values().any(|s| s.template.is_some()) {
        Some(toml::from_str(text).map_err(|e| Problem {
            key: vec!["services".into()],
            message: e.message().to_string(),
            hint: None,
        })?)
    } else {
        None
    };
    for (name, service) in &mut config.services {
        if let (Some(template), Some(raw)) = (&service.template, &raw) {
            let user = raw
                .get("services")
                .and_then(|s| s.get(name))
                .and_then(toml::Value::as_table)
                .cloned()
                .unwrap_or_default();
            *service = inherit(name, template, user)?;
        }
        check_vars(name, service)?;
    }
    Ok(())
}

/// The service whose table is `user` (the keys as they would be written),
/// completed from its template, its vars checked.
pub fn resolve(name: &str, user: &toml::Table) -> Result<Service, Problem> {
    let service = match user.get("template").and_then(toml::Value::as_str) {
        Some(template) => inherit(name, template, user.clone())?,
        None => deserialize(name, user.clone())?,
    };
    check_vars(name, &service)?;
    Ok(service)
}

/// Merges the template's table into `user` by the rules of [`KEYS`] and
/// deserializes the result, noting which keys came from the template.
fn inherit(name: &str, template_name: &str, mut user: toml::Table) -> Result<Service, Problem> {
    let Some(template) = providers::get(template_name) else {
        let names: Vec<String> = providers::all()
            .iter()
            .map(|t| t.name.to_string())
            .collect();
        return Err(Problem {
            key: vec!["services".into(), name.into(), "template".into()],
            message: format!("no template named `{template_name}`"),
            hint: Some(match super::suggest(template_name, &names) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "`tether service templates` lists them".into(),
            }),
        });
    };
    let mut inherited = Vec::new();
    for key in KEYS {
        let Some(theirs) = template.table.get(key.name) else {
            continue;
        };
        if let Some(value) = key.merge.merge(theirs, user.get(key.name)) {
            user.insert(key.name.to_string(), value);
            inherited.push(key.name);
        }
    }
    let mut service = deserialize(name, user)?;
    service.inherited = inherited;
    Ok(service)
}

/// A service from its table. The user's keys and the template's were each
/// checked on their own, so this fails only if they disagree on a type.
fn deserialize(name: &str, table: toml::Table) -> Result<Service, Problem> {
    table.try_into().map_err(|e: toml::de::Error| Problem {
        key: vec!["services".into(), name.into()],
        message: e.message().to_string(),
        hint: None,
    })
}

/// Checks the service's own vars against the places they fill; the
/// endpoints keep their placeholders, filled per connection
/// ([`Service::for_connection`](super::model::Service::for_connection)).
fn check_vars(name: &str, s: &Service) -> Result<(), Problem> {
    super::endpoints::check_service_vars(name, s)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::load::parse;
    use crate::config::template::Vars;

    #[test]
    fn a_service_inherits_what_it_does_not_set() {
        let text = "[services.g]\ntemplate = \"google\"\nclient_id = \"id\"\nscopes = [\"email\"]\nauth_params = { login_hint = \"me@example.com\" }\n";
        let config = parse(Path::new("t.toml"), text).unwrap();
        let g = &config.services["g"];
        assert_eq!(g.client_id.as_deref(), Some("id"));
        assert_eq!(
            g.scopes,
            ["email"],
            "the user's scopes replace the template's"
        );
        assert_eq!(
            g.authorize_url.as_deref(),
            Some("https://accounts.google.com/o/oauth2/v2/auth")
        );
        assert_eq!(g.auth_params["access_type"], "offline", "tables merge");
        assert_eq!(g.auth_params["login_hint"], "me@example.com");
        assert_eq!(
            g.inherited,
            [
                "auth",
                "authorize_url",
                "token_url",
                "revoke_url",
                "auth_params",
                "base_url",
                "allowed_hosts",
                "client_auth",
                "docker_username",
                "include_granted_scopes",
            ],
            "in table order; not the user's scopes, never the client ID"
        );
    }

    #[test]
    fn an_empty_list_written_by_the_user_replaces_the_template_list() {
        let text = "[services.g]\ntemplate = \"google\"\nclient_id = \"id\"\nscopes = []\nallowed_hosts = []\n";
        let config = parse(Path::new("t.toml"), text).unwrap();
        let g = &config.services["g"];
        assert_eq!(g.scopes, Vec::<String>::new());
        assert_eq!(g.allowed_hosts, Vec::<String>::new());
        assert_eq!(
            g.inherited,
            [
                "auth",
                "authorize_url",
                "token_url",
                "revoke_url",
                "auth_params",
                "base_url",
                "client_auth",
                "docker_username",
                "include_granted_scopes",
            ]
        );
    }

    #[test]
    fn resolving_a_table_without_a_template_changes_nothing_else() {
        let user: toml::Table = toml::from_str(
            "auth = \"bearer\"\nbase_url = \"https://{region}.x.example\"\nvars = { region = \"eu\" }\n",
        )
        .unwrap();
        let service = super::resolve("s", &user).unwrap();
        // base_url keeps its placeholders: `--var` and connection vars come
        // before the service's when a request fills it.
        assert_eq!(
            service.base_url.as_deref(),
            Some("https://{region}.x.example")
        );
        assert_eq!(service.inherited, Vec::<&str>::new());
    }

    #[test]
    fn service_vars_fill_endpoints() {
        let text = "[services.ms]\ntemplate = \"microsoft\"\nclient_id = \"id\"\nvars = { tenant = \"contoso.onmicrosoft.com\" }\n";
        let config = parse(Path::new("t.toml"), text).unwrap();
        let ms = &config.services["ms"];
        assert_eq!(
            ms.token_url.as_deref(),
            Some("https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"),
            "filled per connection, not at load"
        );
        let none = Vars::new();
        assert_eq!(
            ms.for_connection("ms", &none, &none)
                .unwrap()
                .token_url
                .as_deref(),
            Some("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token")
        );
    }

    #[test]
    fn an_unknown_template_is_located_with_a_suggestion() {
        let text = "[services.g]\nclient_id = \"id\"\ntemplate = \"gogle\"\n";
        let err = parse(Path::new("t.toml"), text).unwrap_err();
        assert_eq!((err.line, err.column), (3, 12));
        assert_eq!(err.message, "no template named `gogle`");
        assert_eq!(err.hint.as_deref(), Some("did you mean `google`?"));
    }

    #[test]
    fn the_resolved_service_is_validated() {
        let text = "[services.g]\ntemplate = \"google\"\n";
        let err = parse(Path::new("t.toml"), text).unwrap_err();
        assert_eq!(err.message, "auth = \"oauth2\" needs `client_id`");
        let text = "[services.g]\ntemplate = \"google\"\nclient_id = \"x\"\ntoken_url = \"http://evil.example/t\"\n";
        let err = parse(Path::new("t.toml"), text).unwrap_err();
        assert_eq!(err.line, 4);
    }

    #[test]
    fn a_service_var_unfit_for_its_place_is_located() {
        let text = "[services.ms]\ntemplate = \"microsoft\"\nclient_id = \"id\"\nvars = { tenant = \"a/b\" }\n";
        let config = parse(Path::new("t.toml"), text).unwrap();
        let none = Vars::new();
        assert_eq!(
            config.services["ms"]
                .for_connection("ms", &none, &none)
                .unwrap()
                .token_url
                .as_deref(),
            Some("https://login.microsoftonline.com/a%2Fb/oauth2/v2.0/token"),
            "a path value is encoded, not refused"
        );
        let text = "[services.gl]\ntemplate = \"gitlab\"\nclient_id = \"id\"\nvars = { host = \"evil.example/x\" }\n";
        let err = parse(Path::new("t.toml"), text).unwrap_err();
        assert_eq!(
            err.message,
            "the value of `host` is not a host name, optionally with `:port`"
        );
        assert_eq!((err.line, err.column), (4, 17));
    }
}
