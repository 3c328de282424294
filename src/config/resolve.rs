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
//! * a key the service sets replaces the template's, except the parameter
//!   and var tables (`auth_params`, `token_params`, `refresh_params`,
//!   `vars`, `metadata_vars`), which are merged key by key, the service's
//!   value winning;
//! * then the service's `vars` fill the `{var}` placeholders of its
//!   endpoints; `base_url` keeps its own, filled per request from `--var`,
//!   the connection's vars, the vars learnt at connect and, last, the
//!   service's (see [`super::template`]).

use super::model::{Config, SERVICE_KEYS, Service};
use super::template::UrlTemplate;
use super::validate::Problem;
use crate::providers;

/// Resolves every service of `config`, parsed from `text` (which says
/// which keys each service sets itself).
pub fn resolve_config(config: &mut Config, text: &str) -> Result<(), Problem> {
    let raw: Option<toml::Table> = if config.services.values().any(|s| s.template.is_some()) {
        toml::from_str(text).ok()
    } else {
        None
    };
    for (name, service) in &mut config.services {
        let written: Vec<String> = raw
            .as_ref()
            .and_then(|t| t.get("services"))
            .and_then(|s| s.get(name))
            .and_then(toml::Value::as_table)
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default();
        *service = resolve(name, service, &|key| written.iter().any(|k| k == key))?;
    }
    Ok(())
}

/// The service `user` completed from its template, with its vars filled
/// in. `written` says whether the user set a key (it matters for keys
/// whose unset value looks like a set one: `auth`, `scopes`,
/// `allowed_hosts`).
pub fn resolve(
    name: &str,
    user: &Service,
    written: &dyn Fn(&str) -> bool,
) -> Result<Service, Problem> {
    let mut out = match &user.template {
        Some(template) => inherit(name, template, user, written)?,
        None => user.clone(),
    };
    fill_vars(name, &mut out)?;
    Ok(out)
}

fn inherit(
    name: &str,
    template_name: &str,
    user: &Service,
    written: &dyn Fn(&str) -> bool,
) -> Result<Service, Problem> {
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
    let t = &template.service;
    let mut out = user.clone();
    let mut inherited: Vec<&'static str> = Vec::new();

    if !written("auth") {
        out.auth = t.auth;
        inherited.push("auth");
    }
    macro_rules! optional {
        ($($field:ident),*) => {$(
            if user.$field.is_none() && t.$field.is_some() {
                out.$field = t.$field.clone();
                inherited.push(stringify!($field));
            }
        )*};
    }
    macro_rules! list {
        ($($field:ident),*) => {$(
            if !written(stringify!($field)) && !t.$field.is_empty() {
                out.$field = t.$field.clone();
                inherited.push(stringify!($field));
            }
        )*};
    }
    macro_rules! merged {
        ($($field:ident),*) => {$(
            if !t.$field.is_empty() {
                let mut map = t.$field.clone();
                map.extend(user.$field.clone());
                out.$field = map;
                inherited.push(stringify!($field));
            }
        )*};
    }
    // Templates never hold client credentials: those are the user's.
    optional!(
        authorize_url,
        token_url,
        refresh_url,
        revoke_url,
        device_authorization_url,
        scope_separator,
        scope_param,
        base_url,
        redirect_port,
        redirect_uri,
        pkce,
        client_auth,
        token_path,
        token_vars,
        token_scheme,
        metadata_url,
        metadata_auth_scheme,
        api_key_header,
        api_key_query,
        api_key_prefix
    );
    list!(scopes, allowed_hosts);
    merged!(
        auth_params,
        token_params,
        refresh_params,
        vars,
        metadata_vars
    );
    inherited.sort_by_key(|key| SERVICE_KEYS.iter().position(|k| k == key));
    out.inherited = inherited;
    Ok(out)
}

/// Fills the service's own vars into its endpoints. `base_url` keeps its
/// placeholders: it is filled per request, where `--var`, the
/// connection's vars and the vars learnt at connect come before the
/// service's.
fn fill_vars(name: &str, s: &mut Service) -> Result<(), Problem> {
    if s.vars.is_empty() {
        return Ok(());
    }
    let vars = s.vars.clone();
    for url in [
        &mut s.authorize_url,
        &mut s.token_url,
        &mut s.refresh_url,
        &mut s.revoke_url,
        &mut s.device_authorization_url,
        &mut s.metadata_url,
    ]
    .into_iter()
    .flatten()
    {
        *url = UrlTemplate::url(url)
            .fill_known(&[&vars])
            .map_err(|err| match &err {
                crate::Error::InvalidVarValue { name: var, .. } => Problem {
                    key: vec!["services".into(), name.into(), "vars".into(), var.clone()],
                    message: err.to_string(),
                    hint: err.hint(),
                },
                _ => Problem {
                    key: vec!["services".into(), name.into(), "vars".into()],
                    message: err.to_string(),
                    hint: err.hint(),
                },
            })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::load::parse;

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
        assert!(g.inherited.contains(&"authorize_url"));
        assert!(!g.inherited.contains(&"scopes"));
        assert!(!g.inherited.contains(&"client_id"));
    }

    #[test]
    fn service_vars_fill_endpoints() {
        let text = "[services.ms]\ntemplate = \"microsoft\"\nclient_id = \"id\"\nvars = { tenant = \"contoso.onmicrosoft.com\" }\n";
        let config = parse(Path::new("t.toml"), text).unwrap();
        assert_eq!(
            config.services["ms"].token_url.as_deref(),
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
        assert_eq!(
            config.services["ms"].token_url.as_deref(),
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
