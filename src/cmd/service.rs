//! `tether service add|list|show|edit|remove|templates`: the
//! `[services.NAME]` tables of the config, and the built-in templates they
//! may inherit from.
//!
//! Flags map one to one onto keys (`--token-url` → `token_url`). `add` and
//! `edit` change the model, then write only the keys they touched, in place;
//! a secret given on stdin or at a prompt goes to the token store and the
//! file gets `{ keyring = true }`. With no terminal nothing prompts: a
//! missing required field is a usage error. `add --from T` writes only
//! `template = "T"` and the keys given; `show` prints the resolved service
//! and marks what comes from the template.

use std::collections::BTreeMap;
use std::io::Read;

use serde_json::json;
use toml_edit::Value;

use super::Ctx;
use crate::cli::{self, ServiceCommand, ServiceFields, TemplatesCommand};
use crate::config::edit::{Change, ConfigDoc, Section, value};
use crate::config::model::SERVICE_KEYS;
use crate::config::resolve::resolve;
use crate::config::validate::{check_name, missing_fields};
use crate::config::{AuthKind, ClientAuth, SecretRef, Service};
use crate::providers::{self, Template};
use crate::secret::Secret;
use crate::store::Entry;
use crate::{Error, Kind, Result, ui};

pub fn run(command: ServiceCommand, ctx: &Ctx) -> Result<()> {
    match command {
        ServiceCommand::Add(args) => add(
            &args.name,
            args.from.as_deref(),
            args.issuer.as_deref(),
            &args.fields,
            ctx,
        ),
        ServiceCommand::List(args) => list(args.json, ctx),
        ServiceCommand::Show(args) => show(&args.name, args.json, ctx),
        ServiceCommand::Edit(args) => edit(&args.name, &args.fields, &args.unset, ctx),
        ServiceCommand::Remove(args) => remove(&args.name, args.force, ctx),
        ServiceCommand::Templates(args) => match args.command {
            None => templates(args.json),
            Some(TemplatesCommand::Show(show)) => template_show(&show.name, show.json),
        },
    }
}

fn add(
    name: &str,
    from: Option<&str>,
    issuer: Option<&str>,
    fields: &ServiceFields,
    ctx: &Ctx,
) -> Result<()> {
    check_name(name).map_err(|m| Error::usage(m, None))?;
    let config = ctx.config()?;
    if config.services.contains_key(name) {
        return Err(Error::AlreadyExists {
            kind: Kind::Service,
            name: name.to_string(),
        });
    }

    let template = from.map(template).transpose()?;
    let mut service = Service::default();
    let mut touched = apply_fields(&mut service, fields)?;
    match template {
        // The template's auth kind is inherited unless `--auth` was given.
        Some(t) => {
            service.template = Some(t.name.to_string());
            touched.push("template");
        }
        None if !touched.contains(&"auth") => touched.push("auth"),
        None => {}
    }
    if let Some(issuer) = issuer {
        discovered(
            ctx,
            issuer,
            &mut service,
            &mut touched,
            fields.auth.is_some(),
        )?;
    }
    let secret = secret_from_flags(fields)?;
    if let Some((reference, _)) = &secret {
        service.client_secret = Some(reference.clone());
        touched.push("client_secret");
    }
    let resolved = resolve(name, &service, &|key| touched.contains(&key))
        .map_err(|p| Error::usage(p.message, p.hint))?;
    let asked = ask_missing(name, &mut service, &resolved, &mut touched)?;

    let mut doc = ConfigDoc::open(&ctx.paths.config_file)?;
    doc.apply(Section::Services, name, &changes(&service, &touched, &[]));
    doc.check()?;
    store_secret(ctx, name, secret.or(asked))?;
    doc.save()?;
    let from = template.map_or_else(String::new, |t| {
        format!(", from the {} template", t.display_name)
    });
    ui::note(&format!(
        "Added service `{name}` ({}{from}) to {}",
        resolved.auth,
        ctx.paths.config_file.display()
    ));
    if let Some(rule) = template.and_then(|t| t.redirect)
        && resolved.auth == AuthKind::Oauth2
    {
        ui::note(&format!("At the provider, {}", rule.advice()));
    }
    if resolved.auth.is_oauth() {
        ui::note(&format!(
            "Connect it with `tether connect NAME --service {name}`"
        ));
    }
    Ok(())
}

/// Fills the endpoints the flags did not give from `issuer`'s metadata,
/// and says what was found.
fn discovered(
    ctx: &Ctx,
    issuer: &str,
    service: &mut Service,
    touched: &mut Vec<&'static str>,
    auth_given: bool,
) -> Result<()> {
    let metadata = crate::oauth::discovery::discover(ctx.net(), issuer)?;
    let found = [
        (
            "authorize_url",
            &mut service.authorize_url,
            metadata.authorization_endpoint,
        ),
        ("token_url", &mut service.token_url, metadata.token_endpoint),
        (
            "revoke_url",
            &mut service.revoke_url,
            metadata.revocation_endpoint,
        ),
        (
            "device_authorization_url",
            &mut service.device_authorization_url,
            metadata.device_authorization_endpoint,
        ),
    ];
    ui::note(&format!("Found the metadata of {}:", metadata.issuer));
    for (key, slot, value) in found {
        match (slot.is_some(), value) {
            (false, Some(value)) => {
                ui::note(&format!("  {key:<25} {value}"));
                *slot = Some(value);
                touched.push(key);
            }
            (true, _) => ui::note(&format!("  {key:<25} (kept the one given)")),
            (false, None) => ui::note(&format!("  {key:<25} (none)")),
        }
    }
    // A provider with a device endpoint and no browser flow is a device one.
    if service.authorize_url.is_none() && service.device_authorization_url.is_some() && !auth_given
    {
        service.auth = AuthKind::Device;
    }
    Ok(())
}

fn edit(name: &str, fields: &ServiceFields, unset: &[String], ctx: &Ctx) -> Result<()> {
    let old = ctx.service(name)?.clone();
    let mut service = old.clone();
    let mut touched = apply_fields(&mut service, fields)?;
    let secret = secret_from_flags(fields)?;
    if let Some((reference, _)) = &secret {
        service.client_secret = Some(reference.clone());
        touched.push("client_secret");
    }
    let mut unset_keys = Vec::new();
    for key in unset {
        let Some(known) = SERVICE_KEYS.iter().find(|k| **k == key.as_str()) else {
            return Err(Error::usage(
                format!("`{key}` is not a service key"),
                Some(format!("the keys are: {}", SERVICE_KEYS.join(", "))),
            ));
        };
        if touched.contains(known) {
            return Err(Error::usage(format!("`{key}` is both set and unset"), None));
        }
        unset_keys.push(*known);
    }
    if touched.is_empty() && unset_keys.is_empty() {
        return Err(Error::usage(
            "nothing to change",
            Some(format!(
                "pass the flags to change, e.g. `tether service edit {name} --client-id ID`"
            )),
        ));
    }

    let mut doc = ConfigDoc::open(&ctx.paths.config_file)?;
    doc.apply(
        Section::Services,
        name,
        &changes(&service, &touched, &unset_keys),
    );
    doc.check()?;
    store_secret(ctx, name, secret)?;
    doc.save()?;
    // A secret the file no longer points at is deleted from the store.
    let still_stored =
        service.client_secret == Some(SecretRef::Keyring) && !unset_keys.contains(&"client_secret");
    if old.client_secret == Some(SecretRef::Keyring) && !still_stored {
        ctx.store()?.delete_secret(Entry::ClientSecret(name))?;
    }
    ui::note(&format!("Updated service `{name}`"));
    Ok(())
}

fn remove(name: &str, force: bool, ctx: &Ctx) -> Result<()> {
    let service = ctx.service(name)?.clone();
    let users = ctx.config()?.connections_of(name);
    if !users.is_empty() && !force {
        return Err(Error::ServiceInUse {
            service: name.to_string(),
            connections: users,
        });
    }
    let mut doc = ConfigDoc::open(&ctx.paths.config_file)?;
    doc.remove(Section::Services, name);
    for connection in &users {
        doc.remove(Section::Connections, connection);
    }
    doc.check()?;
    if service.client_secret == Some(SecretRef::Keyring) || !users.is_empty() {
        let store = ctx.store()?;
        for connection in &users {
            store.delete(connection)?;
        }
        store.delete_secret(Entry::ClientSecret(name))?;
    }
    doc.save()?;
    ui::note(&format!("Removed service `{name}`"));
    for connection in &users {
        ui::note(&format!("Removed connection `{connection}` and its tokens"));
    }
    Ok(())
}

fn list(json: bool, ctx: &Ctx) -> Result<()> {
    let config = ctx.config()?;
    if json {
        let all: Vec<_> = config
            .services
            .iter()
            .map(|(name, s)| service_json(name, s, &config.connections_of(name)))
            .collect();
        return ui::print_json(&all);
    }
    if config.services.is_empty() {
        ui::note("No services yet. Add one with `tether service add NAME`.");
        return Ok(());
    }
    let rows = config
        .services
        .iter()
        .map(|(name, s)| {
            vec![
                name.clone(),
                s.auth.to_string(),
                s.client_id.clone().unwrap_or_default(),
                s.base_url.clone().unwrap_or_default(),
                config.connections_of(name).join(", "),
            ]
        })
        .collect();
    ui::print_out(&ui::table(
        &["NAME", "AUTH", "CLIENT ID", "BASE URL", "CONNECTIONS"],
        rows,
    ))
}

fn show(name: &str, json: bool, ctx: &Ctx) -> Result<()> {
    let service = ctx.service(name)?;
    let connections = ctx.config()?.connections_of(name);
    if json {
        return ui::print_json(&service_json(name, service, &connections));
    }
    let from_template = |key: &str| {
        service
            .template
            .as_ref()
            .filter(|_| service.inherited.contains(&key))
            .map_or_else(String::new, |t| format!("  (template {t})"))
    };
    let mut rows = vec![
        ("name", name.to_string()),
        ("auth", format!("{}{}", service.auth, from_template("auth"))),
    ];
    let object = serde_json::to_value(service).unwrap_or_default();
    for key in SERVICE_KEYS.iter().skip(1) {
        let text = match (*key, &object[*key]) {
            ("client_secret", _) => service.client_secret.as_ref().map(SecretRef::summary),
            (_, serde_json::Value::Null) => None,
            (_, serde_json::Value::String(s)) => Some(s.clone()),
            (_, serde_json::Value::Array(a)) if a.is_empty() => None,
            (_, serde_json::Value::Object(o)) if o.is_empty() => None,
            (_, serde_json::Value::Array(a)) => Some(
                a.iter()
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            (_, serde_json::Value::Object(o)) => Some(
                o.iter()
                    .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            (_, other) => Some(other.to_string()),
        };
        if let Some(text) = text {
            rows.push((key, format!("{text}{}", from_template(key))));
        }
    }
    if !connections.is_empty() {
        rows.push(("connections", connections.join(", ")));
    }
    ui::print_out(&ui::pairs(&rows))
}

/// The JSON of one service: every key, resolved from its template (null
/// when unset), the secret as a reference (a plain-text value is
/// redacted), the keys that come from the template, and its connections.
fn service_json(name: &str, service: &Service, connections: &[String]) -> serde_json::Value {
    let mut object = json!({ "name": name });
    if let (Some(map), Ok(serde_json::Value::Object(fields))) =
        (object.as_object_mut(), serde_json::to_value(service))
    {
        map.extend(fields);
        map.insert("inherited".into(), json!(service.inherited));
        map.insert("connections".into(), json!(connections));
    }
    object
}

/// The template called `name`, or an error with a suggestion.
fn template(name: &str) -> Result<&'static Template> {
    providers::get(name).ok_or_else(|| {
        let names: Vec<String> = providers::all()
            .iter()
            .map(|t| t.name.to_string())
            .collect();
        super::unknown(Kind::Template, name, &names)
    })
}

/// `service templates`: every template, one line each.
fn templates(json: bool) -> Result<()> {
    let all = providers::all();
    if json {
        let list: Vec<_> = all
            .iter()
            .map(|t| {
                json!({
                    "name": t.name,
                    "display_name": t.display_name,
                    "auth": t.service.auth.as_str(),
                    "docs_url": t.docs_url,
                    "redirect": t.redirect.map(|r| r.as_str()),
                })
            })
            .collect();
        return ui::print_json(&list);
    }
    let rows = all
        .iter()
        .map(|t| {
            vec![
                t.name.to_string(),
                t.display_name.clone(),
                t.service.auth.to_string(),
                t.docs_url.clone(),
            ]
        })
        .collect();
    ui::print_out(&ui::table(&["NAME", "DISPLAY NAME", "AUTH", "DOCS"], rows))
}

/// `service templates show T`: what the template sets, and how to use it.
fn template_show(name: &str, json: bool) -> Result<()> {
    let t = template(name)?;
    // Only the keys the template sets, in the order of SERVICE_KEYS.
    let mut set = serde_json::Map::new();
    if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(&t.service) {
        for key in SERVICE_KEYS {
            match fields.get(key) {
                None | Some(serde_json::Value::Null) => {}
                Some(serde_json::Value::Array(a)) if a.is_empty() => {}
                Some(serde_json::Value::Object(o)) if o.is_empty() => {}
                Some(value) => {
                    set.insert(key.to_string(), value.clone());
                }
            }
        }
    }
    if json {
        return ui::print_json(&json!({
            "name": t.name,
            "display_name": t.display_name,
            "auth": t.service.auth.as_str(),
            "docs_url": t.docs_url,
            "redirect": t.redirect.map(|r| r.as_str()),
            "notes": t.notes,
            "service": set,
        }));
    }
    let mut rows: Vec<(&str, String)> = vec![
        ("name", t.name.to_string()),
        ("display name", t.display_name.clone()),
        ("register an app", t.docs_url.clone()),
    ];
    if let Some(rule) = t.redirect {
        rows.push(("redirect", format!("{}: {}", rule.as_str(), rule.advice())));
    }
    if let Some(notes) = &t.notes {
        rows.push(("notes", notes.clone()));
    }
    for (key, value) in &set {
        let text = match value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Array(a) => a
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                .collect::<Vec<_>>()
                .join(" "),
            serde_json::Value::Object(o) => o
                .iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join(" "),
            other => other.to_string(),
        };
        let key = SERVICE_KEYS
            .iter()
            .find(|k| *k == key)
            .copied()
            .unwrap_or("");
        rows.push((key, text));
    }
    let client = if t.service.auth.is_oauth() {
        " --client-id ID"
    } else {
        ""
    };
    rows.push((
        "use it",
        format!("tether service add NAME --from {}{client}", t.name),
    ));
    ui::print_out(&ui::pairs(&rows))
}

/// Sets the given flags on `service`; returns the keys it set.
fn apply_fields(service: &mut Service, f: &ServiceFields) -> Result<Vec<&'static str>> {
    let mut touched = Vec::new();
    let mut set_str = |key: &'static str, slot: &mut Option<String>, from: &Option<String>| {
        if let Some(v) = from {
            *slot = Some(v.clone());
            touched.push(key);
        }
    };
    set_str("client_id", &mut service.client_id, &f.client_id);
    set_str(
        "authorize_url",
        &mut service.authorize_url,
        &f.authorize_url,
    );
    set_str("token_url", &mut service.token_url, &f.token_url);
    set_str("refresh_url", &mut service.refresh_url, &f.refresh_url);
    set_str("revoke_url", &mut service.revoke_url, &f.revoke_url);
    set_str(
        "device_authorization_url",
        &mut service.device_authorization_url,
        &f.device_authorization_url,
    );
    set_str(
        "scope_separator",
        &mut service.scope_separator,
        &f.scope_separator,
    );
    set_str("base_url", &mut service.base_url, &f.base_url);
    set_str("redirect_uri", &mut service.redirect_uri, &f.redirect_uri);
    set_str(
        "api_key_header",
        &mut service.api_key_header,
        &f.api_key_header,
    );
    set_str(
        "api_key_query",
        &mut service.api_key_query,
        &f.api_key_query,
    );
    set_str(
        "api_key_prefix",
        &mut service.api_key_prefix,
        &f.api_key_prefix,
    );
    set_str("scope_param", &mut service.scope_param, &f.scope_param);
    set_str("token_path", &mut service.token_path, &f.token_path);
    set_str("token_scheme", &mut service.token_scheme, &f.token_scheme);
    set_str("metadata_url", &mut service.metadata_url, &f.metadata_url);
    set_str(
        "metadata_auth_scheme",
        &mut service.metadata_auth_scheme,
        &f.metadata_auth_scheme,
    );

    if let Some(auth) = f.auth {
        service.auth = match auth {
            cli::AuthKind::Oauth2 => AuthKind::Oauth2,
            cli::AuthKind::ClientCredentials => AuthKind::ClientCredentials,
            cli::AuthKind::Device => AuthKind::Device,
            cli::AuthKind::ApiKey => AuthKind::ApiKey,
            cli::AuthKind::Basic => AuthKind::Basic,
            cli::AuthKind::Bearer => AuthKind::Bearer,
        };
        touched.push("auth");
    }
    if let Some(auth) = f.client_auth {
        service.client_auth = Some(match auth {
            cli::ClientAuth::Basic => ClientAuth::Basic,
            cli::ClientAuth::Body => ClientAuth::Body,
        });
        touched.push("client_auth");
    }
    if let Some(pkce) = f.pkce {
        service.pkce = Some(pkce);
        touched.push("pkce");
    }
    if let Some(port) = f.redirect_port {
        service.redirect_port = Some(port);
        touched.push("redirect_port");
    }
    if !f.scope.is_empty() {
        service.scopes = f.scope.clone();
        touched.push("scopes");
    }
    if !f.allowed_host.is_empty() {
        service.allowed_hosts = f.allowed_host.clone();
        touched.push("allowed_hosts");
    }
    if !f.token_var.is_empty() {
        service.token_vars = Some(f.token_var.clone());
        touched.push("token_vars");
    }
    for (key, flag, items, slot) in [
        (
            "auth_params",
            "--auth-param",
            &f.auth_param,
            &mut service.auth_params,
        ),
        (
            "token_params",
            "--token-param",
            &f.token_param,
            &mut service.token_params,
        ),
        (
            "refresh_params",
            "--refresh-param",
            &f.refresh_param,
            &mut service.refresh_params,
        ),
        ("vars", "--var", &f.var, &mut service.vars),
        (
            "metadata_vars",
            "--metadata-var",
            &f.metadata_var,
            &mut service.metadata_vars,
        ),
    ] {
        if !items.is_empty() {
            *slot = parse_pairs(flag, items)?;
            touched.push(key);
        }
    }
    Ok(touched)
}

fn parse_pairs(flag: &str, items: &[String]) -> Result<BTreeMap<String, String>> {
    items
        .iter()
        .map(|item| match item.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
            _ => Err(Error::usage(
                format!("`{flag} {item}` is not KEY=VALUE"),
                Some(format!("for example `{flag} access_type=offline`")),
            )),
        })
        .collect()
}

/// The secret reference the flags ask for, with the secret itself when it
/// is to be stored (stdin or prompt).
fn secret_from_flags(f: &ServiceFields) -> Result<Option<(SecretRef, Option<Secret>)>> {
    if let Some(var) = &f.client_secret_env {
        return Ok(Some((SecretRef::Env(var.clone()), None)));
    }
    if let Some(argv) = &f.client_secret_command {
        return Ok(Some((SecretRef::Command(argv.clone()), None)));
    }
    if f.client_secret_stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::io("<stdin>", e))?;
        let secret = text.trim_end_matches(['\n', '\r']);
        if secret.is_empty() {
            return Err(Error::usage("standard input held no client secret", None));
        }
        return Ok(Some((SecretRef::Keyring, Some(Secret::new(secret)))));
    }
    if f.client_secret_prompt {
        if !ui::interactive() {
            return Err(Error::usage(
                "--client-secret-prompt needs a terminal",
                Some("pipe the secret to `--client-secret-stdin` instead".into()),
            ));
        }
        return Ok(Some((
            SecretRef::Keyring,
            Some(ask_secret("Client secret")?),
        )));
    }
    Ok(None)
}

/// Asks for the fields `service` still needs (judged on `resolved`, the
/// service completed from its template), on a terminal; without one, a
/// missing field is a usage error. Returns a secret that was asked for.
fn ask_missing(
    name: &str,
    service: &mut Service,
    resolved: &Service,
    touched: &mut Vec<&'static str>,
) -> Result<Option<(SecretRef, Option<Secret>)>> {
    let missing = missing_fields(resolved);
    let Some(first) = missing.first() else {
        return Ok(None);
    };
    if !ui::interactive() {
        let flag = match *first {
            "api_key_header" => "--api-key-header NAME` or `--api-key-query NAME".to_string(),
            "client_secret" => "--client-secret-env VAR` or `--client-secret-stdin".to_string(),
            key => format!("--{} …", key.replace('_', "-")),
        };
        return Err(Error::MissingValue {
            what: format!("`{first}` (service `{name}`, auth = \"{}\")", resolved.auth),
            flag,
        });
    }
    let mut secret = None;
    for key in missing {
        match key {
            "client_id" => service.client_id = Some(ask("Client ID")?),
            "authorize_url" => service.authorize_url = Some(ask("Authorization URL")?),
            "token_url" => service.token_url = Some(ask("Token URL")?),
            "device_authorization_url" => {
                service.device_authorization_url = Some(ask("Device authorization URL")?);
            }
            "api_key_header" => {
                service.api_key_header = Some(ask("Header that carries the API key")?);
            }
            "client_secret" => {
                service.client_secret = Some(SecretRef::Keyring);
                secret = Some((SecretRef::Keyring, Some(ask_secret("Client secret")?)));
            }
            _ => continue,
        }
        touched.push(key);
    }
    Ok(secret)
}

fn ask(prompt: &str) -> Result<String> {
    dialoguer::Input::<String>::new()
        .with_prompt(prompt)
        .interact_text()
        .map_err(|e| Error::Other(format!("cannot read the answer: {e}")))
}

fn ask_secret(prompt: &str) -> Result<Secret> {
    dialoguer::Password::new()
        .with_prompt(prompt)
        .interact()
        .map(Secret::new)
        .map_err(|e| Error::Other(format!("cannot read the answer: {e}")))
}

/// Puts a secret given on stdin or at a prompt into the token store.
fn store_secret(
    ctx: &Ctx,
    service: &str,
    secret: Option<(SecretRef, Option<Secret>)>,
) -> Result<()> {
    if let Some((_, Some(value))) = secret {
        ctx.store()?
            .set_secret(Entry::ClientSecret(service), &value)?;
    }
    Ok(())
}

/// The edits that write `touched` keys from `service` and remove `unset`,
/// in the order of [`SERVICE_KEYS`].
fn changes(service: &Service, touched: &[&str], unset: &[&str]) -> Vec<(&'static str, Change)> {
    SERVICE_KEYS
        .iter()
        .filter_map(|key| {
            if unset.contains(key) {
                Some((*key, Change::Unset))
            } else if touched.contains(key) {
                value_of(service, key).map(|v| (*key, Change::Set(v)))
            } else {
                None
            }
        })
        .collect()
}

/// The TOML value of one key of `service`.
fn value_of(s: &Service, key: &str) -> Option<Value> {
    let text = |v: &Option<String>| v.as_deref().map(value::string);
    match key {
        "auth" => Some(value::string(s.auth.as_str())),
        "template" => text(&s.template),
        "client_id" => text(&s.client_id),
        "client_secret" => s.client_secret.as_ref().map(value::secret),
        "authorize_url" => text(&s.authorize_url),
        "token_url" => text(&s.token_url),
        "refresh_url" => text(&s.refresh_url),
        "revoke_url" => text(&s.revoke_url),
        "device_authorization_url" => text(&s.device_authorization_url),
        "scopes" => Some(value::strings(&s.scopes)),
        "scope_separator" => text(&s.scope_separator),
        "auth_params" => Some(value::map(&s.auth_params)),
        "token_params" => Some(value::map(&s.token_params)),
        "refresh_params" => Some(value::map(&s.refresh_params)),
        "base_url" => text(&s.base_url),
        "allowed_hosts" => Some(value::strings(&s.allowed_hosts)),
        "redirect_port" => s.redirect_port.map(|p| value::integer(i64::from(p))),
        "redirect_uri" => text(&s.redirect_uri),
        "pkce" => s.pkce.map(value::boolean),
        "client_auth" => s.client_auth.map(|c| value::string(c.as_str())),
        "api_key_header" => text(&s.api_key_header),
        "api_key_query" => text(&s.api_key_query),
        "api_key_prefix" => text(&s.api_key_prefix),
        "scope_param" => text(&s.scope_param),
        "vars" => Some(value::map(&s.vars)),
        "token_path" => text(&s.token_path),
        "token_vars" => s.token_vars.as_deref().map(value::strings),
        "token_scheme" => text(&s.token_scheme),
        "metadata_url" => text(&s.metadata_url),
        "metadata_auth_scheme" => text(&s.metadata_auth_scheme),
        "metadata_vars" => Some(value::map(&s.metadata_vars)),
        _ => None,
    }
}
