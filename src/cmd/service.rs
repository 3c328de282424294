//! `tether service add|list|show|edit|remove|templates`: the
//! `[services.NAME]` tables of the config, and the built-in templates they
//! may inherit from.
//!
//! Flags map onto keys through the key table (`config::keys`):
//! `--token-url` sets `token_url`, `--scope` (repeated) `scopes`. `add` and
//! `edit` turn the flags into the keys they set, then write only those
//! keys, in place; a secret given on stdin or at a prompt goes to the token
//! store and the file gets `{ keyring = true }`. With no terminal nothing
//! prompts: a missing required field is a usage error. `add --from T`
//! writes only `template = "T"` and the keys given; `show` prints the
//! resolved service, key by key in table order, and marks what comes from
//! the template.

use std::io::Read;

use serde_json::json;
use toml_edit::Value;

use super::Ctx;
use crate::cli::{self, ServiceCommand, ServiceFields, TemplatesCommand};
use crate::config::edit::{self, Change, Section};
use crate::config::keys::{self, KEYS, Key, Need, Shape};
use crate::config::resolve::resolve;
use crate::config::validate::{check_name, missing_fields};
use crate::config::{AuthKind, ClientAuth, SecretRef, Service};
use crate::oauth1::{SignatureLocation, SignatureMethod};
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
            None => templates(args.filter.as_deref(), args.json),
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
    check_name(name).map_err(Error::InvalidValue)?;
    let config = ctx.config()?;
    if config.services.contains_key(name) {
        return Err(Error::AlreadyExists {
            kind: Kind::Service,
            name: name.to_string(),
        });
    }

    let template = from.map(template).transpose()?;
    let flags = Flags::read(fields);
    let mut set = keys_from_flags(&flags)?;
    if let Some(t) = template {
        set.insert("template".into(), t.name.into());
    }
    let device_only = match issuer {
        Some(issuer) => discovered(ctx, issuer, &mut set)?,
        None => false,
    };
    // The template's auth kind is inherited unless `--auth` was given.
    if template.is_none() && !set.contains_key("auth") {
        // A provider with a device endpoint and no browser flow is a device one.
        let auth = if device_only {
            AuthKind::Device
        } else {
            AuthKind::default()
        };
        set.insert("auth".into(), auth.as_str().into());
    }
    let secret = secret_from_flags(client_secret(), &flags)?;
    if let Some((reference, _)) = &secret {
        set.insert(client_secret().name.into(), reference.to_toml());
    }
    if let Some((reference, _)) = secret_from_flags(private_key(), &flags)? {
        set.insert(private_key().name.into(), reference.to_toml());
    }
    let resolved = resolve(name, &set).map_err(|p| Error::usage(p.message, p.hint))?;
    let asked = ask_missing(name, &mut set, &resolved)?;

    edit::update(&ctx.paths, |doc, current| {
        // Another process may have added it since this one started.
        if current.services.contains_key(name) {
            return Err(Error::AlreadyExists {
                kind: Kind::Service,
                name: name.to_string(),
            });
        }
        doc.apply(Section::Services, name, &changes(&set, &[]));
        doc.check()?;
        store_secret(ctx, name, secret.or(asked))
    })?;
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
    if resolved.auth.has_client() {
        ui::note(&format!(
            "Connect it with `tether connect NAME --service {name}`"
        ));
    }
    Ok(())
}

/// Fills the endpoints the flags did not give from `issuer`'s metadata,
/// and says what was found. Returns whether the provider has a device
/// endpoint and no browser flow.
fn discovered(ctx: &Ctx, issuer: &str, set: &mut toml::Table) -> Result<bool> {
    // The issuer may sit behind the private CA the new service names.
    let ca_file = ctx.ca_file(set.get("ca_file").and_then(toml::Value::as_str));
    let net = ctx.net();
    net.trust(ca_file.as_deref());
    let metadata = crate::oauth::discovery::discover(net, issuer)?;
    let found = [
        ("authorize_url", metadata.authorization_endpoint),
        ("token_url", metadata.token_endpoint),
        ("revoke_url", metadata.revocation_endpoint),
        (
            "device_authorization_url",
            metadata.device_authorization_endpoint,
        ),
    ];
    ui::note(&format!("Found the metadata of {}:", metadata.issuer));
    for (key, value) in found {
        match (set.contains_key(key), value) {
            (false, Some(value)) => {
                ui::note(&format!("  {key:<25} {value}"));
                set.insert(key.into(), value.into());
            }
            (true, _) => ui::note(&format!("  {key:<25} (kept the one given)")),
            (false, None) => ui::note(&format!("  {key:<25} (none)")),
        }
    }
    Ok(!set.contains_key("authorize_url") && set.contains_key("device_authorization_url"))
}

fn edit(name: &str, fields: &ServiceFields, unset: &[String], ctx: &Ctx) -> Result<()> {
    ctx.service(name)?;
    let flags = Flags::read(fields);
    let mut set = keys_from_flags(&flags)?;
    let secret = secret_from_flags(client_secret(), &flags)?;
    if let Some((reference, _)) = &secret {
        set.insert(client_secret().name.into(), reference.to_toml());
    }
    if let Some((reference, _)) = secret_from_flags(private_key(), &flags)? {
        set.insert(private_key().name.into(), reference.to_toml());
    }
    let mut unset_keys = Vec::new();
    for key in unset {
        let Some(known) = keys::get(key) else {
            let names: Vec<&str> = KEYS.iter().map(|k| k.name).collect();
            return Err(Error::usage(
                format!("`{key}` is not a service key"),
                Some(format!("the keys are: {}", names.join(", "))),
            ));
        };
        if set.contains_key(known.name) {
            return Err(Error::usage(format!("`{key}` is both set and unset"), None));
        }
        unset_keys.push(known.name);
    }
    if set.is_empty() && unset_keys.is_empty() {
        return Err(Error::usage(
            "nothing to change",
            Some(format!(
                "pass the flags to change, e.g. `tether service edit {name} --client-id ID`"
            )),
        ));
    }

    let old_secret = edit::update(&ctx.paths, |doc, current| {
        // As the file is now: another process may have changed it.
        let old_secret = match current.services.get(name) {
            Some(service) => service.client_secret.clone(),
            None => return Err(super::unknown(Kind::Service, name, current.services.keys())),
        };
        doc.apply(Section::Services, name, &changes(&set, &unset_keys));
        doc.check()?;
        store_secret(ctx, name, secret)?;
        Ok(old_secret)
    })?;
    if old_secret == Some(SecretRef::Keyring) {
        forget_unused_secret(ctx, name)?;
    }
    ui::note(&format!("Updated service `{name}`"));
    Ok(())
}

fn remove(name: &str, force: bool, ctx: &Ctx) -> Result<()> {
    ctx.service(name)?;
    let users = edit::update(&ctx.paths, |doc, current| {
        // As the file is now: another process may have changed it.
        let Some(service) = current.services.get(name) else {
            return Err(super::unknown(Kind::Service, name, current.services.keys()));
        };
        let users = current.connections_of(name);
        if !users.is_empty() && !force {
            return Err(Error::ServiceInUse {
                service: name.to_string(),
                connections: users,
            });
        }
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
        Ok(users)
    })?;
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
    // The endpoints with the service's own vars filled in; the
    // placeholders only a connection fills stay.
    let service = &ctx.service(name)?.with_own_vars();
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
    let values = serde_json::to_value(service).unwrap_or_default();
    let mut rows = vec![("name", name.to_string())];
    for key in KEYS {
        let value = &values[key.name];
        let text = match key.shape {
            // A reference says where the secret lives, never a value.
            Shape::Secret | Shape::KeyFile => serde_json::from_value::<SecretRef>(value.clone())
                .ok()
                .map(|reference| reference.summary()),
            _ => text(value),
        };
        if let Some(text) = text {
            rows.push((key.name, format!("{text}{}", from_template(key.name))));
        }
    }
    if !connections.is_empty() {
        rows.push(("connections", connections.join(", ")));
    }
    ui::print_out(&ui::pairs(&rows))
}

/// How a value reads in `show`: lists joined by spaces, tables as `k=v`;
/// `None` when unset (null, or an empty list or table).
fn text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Array(a) if a.is_empty() => None,
        serde_json::Value::Object(o) if o.is_empty() => None,
        serde_json::Value::Array(a) => Some(
            a.iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        serde_json::Value::Object(o) => Some(
            o.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        other => Some(other.to_string()),
    }
}

/// The JSON of one service: every key in table order, resolved from its
/// template (null when unset), the secret as a reference (a plain-text
/// value is redacted), the keys that come from the template, and its
/// connections.
fn service_json(name: &str, service: &Service, connections: &[String]) -> serde_json::Value {
    let values = serde_json::to_value(service.with_own_vars()).unwrap_or_default();
    let mut object = serde_json::Map::new();
    object.insert("name".into(), json!(name));
    for key in KEYS {
        object.insert(key.name.into(), values[key.name].clone());
    }
    object.insert("inherited".into(), json!(service.inherited));
    object.insert("connections".into(), json!(connections));
    serde_json::Value::Object(object)
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

/// `service templates [FILTER]`: every template (that matches), one line
/// each.
fn templates(filter: Option<&str>, json: bool) -> Result<()> {
    let all: Vec<&Template> = providers::all()
        .iter()
        .filter(|t| filter.is_none_or(|f| t.matches(f)))
        .collect();
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
                    "tags": t.tags,
                })
            })
            .collect();
        return ui::print_json(&list);
    }
    if all.is_empty() {
        ui::note(&format!(
            "No template matches `{}`. `tether service templates` lists them all.",
            filter.unwrap_or_default()
        ));
        return Ok(());
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
    // Only the keys the template sets, in table order.
    let set: Vec<(&str, serde_json::Value)> = KEYS
        .iter()
        .filter_map(|key| {
            let value = serde_json::to_value(t.table.get(key.name)?).ok()?;
            Some((key.name, value))
        })
        .collect();
    if json {
        let service: serde_json::Map<String, serde_json::Value> = set
            .into_iter()
            .map(|(key, value)| (key.to_string(), value))
            .collect();
        return ui::print_json(&json!({
            "name": t.name,
            "display_name": t.display_name,
            "auth": t.service.auth.as_str(),
            "docs_url": t.docs_url,
            "redirect": t.redirect.map(|r| r.as_str()),
            "tags": t.tags,
            "notes": t.notes,
            "service": service,
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
    if !t.tags.is_empty() {
        rows.push(("tags", t.tags.join(" ")));
    }
    if let Some(notes) = &t.notes {
        rows.push(("notes", notes.clone()));
    }
    for (key, value) in &set {
        rows.push((key, text(value).unwrap_or_default()));
    }
    let client = match t.service.auth {
        AuthKind::Oauth1 if t.service.signature_method() == SignatureMethod::RsaSha1 => {
            " --client-id KEY --private-key-file PATH"
        }
        AuthKind::Oauth1 => " --client-id KEY --client-secret-env VAR",
        auth if auth.is_oauth() => " --client-id ID",
        _ => "",
    };
    rows.push((
        "use it",
        format!("tether service add NAME --from {}{client}", t.name),
    ));
    ui::print_out(&ui::pairs(&rows))
}

/// What a flag of `service add/edit` was given.
#[derive(Debug)]
enum Given<'a> {
    /// Not given.
    Absent,
    /// A value, given once.
    One(toml::Value),
    /// The values of a repeated flag, or the words of one with several.
    Many(&'a [String]),
    /// A flag without a value.
    Switch,
}

/// The flags of [`ServiceFields`] by long name, with what each was given.
#[derive(Debug)]
struct Flags<'a>(Vec<(&'static str, Given<'a>)>);

impl<'a> Flags<'a> {
    /// Reads the clap struct: the one place that names its fields. The key
    /// table says which key each flag sets; a test checks that every flag
    /// of the command line is read here, into its key.
    fn read(f: &'a ServiceFields) -> Flags<'a> {
        fn one<T: Into<toml::Value>>(value: Option<T>) -> Given<'static> {
            value.map_or(Given::Absent, |v| Given::One(v.into()))
        }
        fn many(items: &[String]) -> Given<'_> {
            if items.is_empty() {
                Given::Absent
            } else {
                Given::Many(items)
            }
        }
        fn switch(on: bool) -> Given<'static> {
            if on { Given::Switch } else { Given::Absent }
        }
        Flags(vec![
            ("auth", one(f.auth.map(|a| auth_kind(a).as_str()))),
            ("client-id", one(f.client_id.as_deref())),
            ("base-url", one(f.base_url.as_deref())),
            ("allowed-host", many(&f.allowed_host)),
            ("default-header", many(&f.default_header)),
            ("var", many(&f.var)),
            ("client-secret-env", one(f.client_secret_env.as_deref())),
            (
                "client-secret-command",
                many(f.client_secret_command.as_deref().unwrap_or_default()),
            ),
            ("client-secret-stdin", switch(f.client_secret_stdin)),
            ("client-secret-prompt", switch(f.client_secret_prompt)),
            ("private-key-file", one(f.private_key_file.as_deref())),
            ("private-key-env", one(f.private_key_env.as_deref())),
            (
                "private-key-command",
                many(f.private_key_command.as_deref().unwrap_or_default()),
            ),
            (
                "signature-method",
                one(f.signature_method.map(signature_method)),
            ),
            (
                "signature-location",
                one(f.signature_location.map(signature_location)),
            ),
            ("body-hash", one(f.body_hash)),
            ("request-token-url", one(f.request_token_url.as_deref())),
            ("access-token-url", one(f.access_token_url.as_deref())),
            ("request-token-param", many(&f.request_token_param)),
            ("authorize-url", one(f.authorize_url.as_deref())),
            ("token-url", one(f.token_url.as_deref())),
            ("refresh-url", one(f.refresh_url.as_deref())),
            ("revoke-url", one(f.revoke_url.as_deref())),
            (
                "device-authorization-url",
                one(f.device_authorization_url.as_deref()),
            ),
            ("token-host", many(&f.token_host)),
            ("scope", many(&f.scope)),
            ("scope-separator", one(f.scope_separator.as_deref())),
            ("auth-param", many(&f.auth_param)),
            ("token-param", many(&f.token_param)),
            ("refresh-param", many(&f.refresh_param)),
            ("redirect-port", one(f.redirect_port.map(i64::from))),
            ("redirect-uri", one(f.redirect_uri.as_deref())),
            ("redirect-var", many(&f.redirect_var)),
            ("pkce", one(f.pkce)),
            (
                "client-auth",
                one(f.client_auth.map(|c| client_auth_kind(c).as_str())),
            ),
            ("scope-param", one(f.scope_param.as_deref())),
            ("token-path", one(f.token_path.as_deref())),
            ("token-var", many(&f.token_var)),
            ("token-scheme", one(f.token_scheme.as_deref())),
            ("token-header", one(f.token_header.as_deref())),
            ("metadata-url", one(f.metadata_url.as_deref())),
            (
                "metadata-auth-scheme",
                one(f.metadata_auth_scheme.as_deref()),
            ),
            ("metadata-var", many(&f.metadata_var)),
            ("api-key-header", one(f.api_key_header.as_deref())),
            ("api-key-query", one(f.api_key_query.as_deref())),
            ("api-key-prefix", one(f.api_key_prefix.as_deref())),
            // A path on the command line is the shell's: relative to
            // the current folder, so it is kept absolute.
            (
                "ca-file",
                one(f.ca_file.as_deref().map(|path| {
                    std::path::absolute(path)
                        .map_or_else(|_| path.to_string(), |p| p.display().to_string())
                })),
            ),
            ("pagination", many(&f.pagination)),
            ("env", one(f.env.as_deref())),
            ("git-username", one(f.git_username.as_deref())),
            ("docker-username", one(f.docker_username.as_deref())),
            (
                "refresh-token-lifetime",
                one(f.refresh_token_lifetime.map(|s| s.to_string())),
            ),
            (
                "refresh-token-idle",
                one(f.refresh_token_idle.map(|s| s.to_string())),
            ),
            ("include-granted-scopes", one(f.include_granted_scopes)),
            (
                "on-needs-authorization",
                many(f.on_needs_authorization.as_deref().unwrap_or_default()),
            ),
        ])
    }

    fn get(&self, long: &str) -> &Given<'a> {
        self.0
            .iter()
            .find(|(name, _)| *name == long)
            .map_or(&Given::Absent, |(_, given)| given)
    }
}

fn auth_kind(auth: cli::AuthKind) -> AuthKind {
    match auth {
        cli::AuthKind::Oauth2 => AuthKind::Oauth2,
        cli::AuthKind::ClientCredentials => AuthKind::ClientCredentials,
        cli::AuthKind::Device => AuthKind::Device,
        cli::AuthKind::ApiKey => AuthKind::ApiKey,
        cli::AuthKind::Basic => AuthKind::Basic,
        cli::AuthKind::Bearer => AuthKind::Bearer,
        cli::AuthKind::Oauth1 => AuthKind::Oauth1,
    }
}

fn signature_method(method: cli::SignatureMethod) -> &'static str {
    match method {
        cli::SignatureMethod::HmacSha1 => SignatureMethod::HmacSha1,
        cli::SignatureMethod::HmacSha256 => SignatureMethod::HmacSha256,
        cli::SignatureMethod::RsaSha1 => SignatureMethod::RsaSha1,
        cli::SignatureMethod::Plaintext => SignatureMethod::Plaintext,
    }
    .as_str()
}

fn signature_location(location: cli::SignatureLocation) -> &'static str {
    match location {
        cli::SignatureLocation::Header => SignatureLocation::Header,
        cli::SignatureLocation::Query => SignatureLocation::Query,
    }
    .as_str()
}

fn client_auth_kind(auth: cli::ClientAuth) -> ClientAuth {
    match auth {
        cli::ClientAuth::Basic => ClientAuth::Basic,
        cli::ClientAuth::Body => ClientAuth::Body,
        cli::ClientAuth::BasicAlways => ClientAuth::BasicAlways,
    }
}

/// The keys the flags set, as the file will hold them; a secret key's
/// flags are read by [`secret_from_flags`].
fn keys_from_flags(flags: &Flags) -> Result<toml::Table> {
    let mut set = toml::Table::new();
    for key in KEYS {
        let Some(flag) = key.flag else {
            continue;
        };
        let value = match (key.shape, flags.get(flag.long)) {
            (Shape::One, Given::One(value)) => value.clone(),
            (Shape::List, Given::Many(items)) => {
                toml::Value::Array(items.iter().map(|i| i.as_str().into()).collect())
            }
            (Shape::Pairs, Given::Many(items)) => toml::Value::Table(pairs(flag.long, items)?),
            _ => continue,
        };
        set.insert(key.name.into(), value);
    }
    Ok(set)
}

/// `K=V` items of the flag `--long`, as a table.
fn pairs(long: &str, items: &[String]) -> Result<toml::Table> {
    items
        .iter()
        .map(|item| match item.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.into())),
            _ => Err(Error::usage(
                format!("`--{long} {item}` is not KEY=VALUE"),
                Some(format!("for example `--{long} access_type=offline`")),
            )),
        })
        .collect()
}

/// The key whose secret `--client-secret-stdin` and
/// `--client-secret-prompt` put in the token store, as
/// `Entry::ClientSecret`.
fn client_secret() -> &'static Key {
    keys::get("client_secret").expect("`client_secret` is a key of the table")
}

/// The key whose reference `--private-key-file`, `-env` and `-command`
/// set; it never goes to the token store.
fn private_key() -> &'static Key {
    keys::get("private_key").expect("`private_key` is a key of the table")
}

/// The secret reference the flags of the secret `key` ask for, with the
/// secret itself when it is to be stored (stdin or prompt).
fn secret_from_flags(key: &Key, flags: &Flags) -> Result<Option<(SecretRef, Option<Secret>)>> {
    let Some(flag) = key.flag else {
        return Ok(None);
    };
    let long = flag.long;
    let what = key.name.replace('_', " ");
    if let Given::One(toml::Value::String(path)) = flags.get(&format!("{long}-file")) {
        return Ok(Some((SecretRef::File(path.clone()), None)));
    }
    if let Given::One(toml::Value::String(var)) = flags.get(&format!("{long}-env")) {
        return Ok(Some((SecretRef::Env(var.clone()), None)));
    }
    if let Given::Many(argv) = flags.get(&format!("{long}-command")) {
        return Ok(Some((SecretRef::Command(argv.to_vec()), None)));
    }
    if let Given::Switch = flags.get(&format!("{long}-stdin")) {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::io("<stdin>", e))?;
        let secret = text.trim_end_matches(['\n', '\r']);
        if secret.is_empty() {
            return Err(Error::usage(format!("standard input held no {what}"), None));
        }
        return Ok(Some((SecretRef::Keyring, Some(Secret::new(secret)))));
    }
    if let Given::Switch = flags.get(&format!("{long}-prompt")) {
        if !ui::interactive() {
            return Err(Error::usage(
                format!("--{long}-prompt needs a terminal"),
                Some(format!("pipe the secret to `--{long}-stdin` instead")),
            ));
        }
        return Ok(Some((
            SecretRef::Keyring,
            Some(ask_secret(&capitalized(&what))?),
        )));
    }
    Ok(None)
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Asks for the fields the service still needs (judged on `resolved`, the
/// service completed from its template) and adds them to `set`, on a
/// terminal; without one, a missing field is a usage error. Returns a
/// secret that was asked for.
fn ask_missing(
    name: &str,
    set: &mut toml::Table,
    resolved: &Service,
) -> Result<Option<(SecretRef, Option<Secret>)>> {
    let missing = missing_fields(resolved);
    let Some(first) = missing.first() else {
        return Ok(None);
    };
    if !ui::interactive() {
        return Err(Error::MissingValue {
            what: format!(
                "`{}` (service `{name}`, auth = \"{}\")",
                first.key().name,
                resolved.auth
            ),
            flag: flag_hint(first),
        });
    }
    let mut secret = None;
    for need in missing {
        let key = need.key();
        let value = if key.shape == Shape::Secret {
            secret = Some((SecretRef::Keyring, Some(ask_secret(need.prompt)?)));
            SecretRef::Keyring.to_toml()
        } else {
            ask(need.prompt)?.into()
        };
        set.insert(key.name.into(), value);
    }
    Ok(secret)
}

/// The flags that would meet `need`, for a hint that says "pass `…`".
fn flag_hint(need: &Need) -> String {
    let key = need.key();
    let flag = key.flag.map_or(key.name, |f| f.long);
    if key.shape == Shape::Secret {
        let var = key.flag.map_or("VAR", |f| f.value);
        return format!("--{flag}-env {var}` or `--{flag}-stdin");
    }
    if need.keys.len() == 1 {
        return format!("--{flag} …");
    }
    let each: Vec<String> = need
        .keys
        .iter()
        .filter_map(|name| keys::get(name)?.flag)
        .map(|f| format!("--{} {}", f.long, f.value))
        .collect();
    each.join("` or `")
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

/// Deletes the stored client secret of `service` unless the config, as it
/// is now, still points at it: under the config lock, so that a secret
/// another process has just pointed the file at again stays.
fn forget_unused_secret(ctx: &Ctx, service: &str) -> Result<()> {
    edit::update(&ctx.paths, |_, current| {
        let used = current
            .services
            .get(service)
            .is_some_and(|s| s.client_secret == Some(SecretRef::Keyring));
        if !used {
            ctx.store()?.delete_secret(Entry::ClientSecret(service))?;
        }
        Ok(())
    })
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

/// The edits that write the keys of `set` and remove `unset`, in table
/// order.
fn changes(set: &toml::Table, unset: &[&str]) -> Vec<(&'static str, Change)> {
    KEYS.iter()
        .filter_map(|key| {
            if unset.contains(&key.name) {
                Some((key.name, Change::Unset))
            } else {
                let value = set.get(key.name)?;
                Some((key.name, Change::Set(editable(value))))
            }
        })
        .collect()
}

/// A value as `toml_edit` writes it in place: arrays and tables inline.
fn editable(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::from(s.as_str()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => Value::from(*f),
        toml::Value::Boolean(b) => Value::from(*b),
        toml::Value::Datetime(d) => Value::from(*d),
        toml::Value::Array(items) => {
            let mut array = toml_edit::Array::new();
            for item in items {
                array.push(editable(item));
            }
            Value::Array(array)
        }
        toml::Value::Table(table) => {
            let mut inline = toml_edit::InlineTable::new();
            for (k, v) in table {
                inline.insert(k, editable(v));
            }
            Value::InlineTable(inline)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use clap::{CommandFactory, Parser};

    use super::*;
    use crate::cli::{Cli, Command};
    use crate::config::edit::ConfigDoc;

    /// The flags `ServiceFields` adds to `service edit`, by long name.
    fn service_fields() -> Vec<clap::Arg> {
        let cli = Cli::command();
        let edit = cli
            .find_subcommand("service")
            .and_then(|s| s.find_subcommand("edit"))
            .unwrap();
        edit.get_arguments()
            .filter(|a| !a.is_positional() && a.get_long() != Some("unset"))
            .cloned()
            .collect()
    }

    /// Every flag the table claims: one per key, one per form of a secret
    /// key (four for a client secret).
    fn table_flags() -> BTreeSet<String> {
        let mut flags = BTreeSet::new();
        for key in KEYS {
            let Some(flag) = key.flag else { continue };
            if key.shape.is_secret() {
                for form in key.shape.forms() {
                    flags.insert(format!("{}-{form}", flag.long));
                }
            } else {
                flags.insert(flag.long.to_string());
            }
        }
        flags
    }

    fn value_name(arg: &clap::Arg) -> String {
        arg.get_value_names().map_or_else(
            || arg.get_id().as_str().to_uppercase(),
            |names| {
                names
                    .iter()
                    .map(|n| n.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            },
        )
    }

    #[test]
    fn every_key_has_its_flag_and_every_flag_its_key() {
        let args = service_fields();
        let clap_flags: BTreeSet<String> = args
            .iter()
            .filter_map(|a| a.get_long())
            .map(str::to_string)
            .collect();
        assert_eq!(clap_flags, table_flags());
        let read: BTreeSet<String> = Flags::read(&ServiceFields::default())
            .0
            .iter()
            .map(|(long, _)| long.to_string())
            .collect();
        assert_eq!(read, table_flags(), "`Flags::read` reads every flag");

        let arg = |long: &str| {
            args.iter()
                .find(|a| a.get_long() == Some(long))
                .unwrap_or_else(|| panic!("no flag --{long}"))
        };
        for key in KEYS {
            let Some(flag) = key.flag else { continue };
            if key.shape.is_secret() {
                let first = arg(&format!("{}-{}", flag.long, key.shape.forms()[0]));
                assert_eq!(value_name(first), flag.value, "{}", key.name);
                continue;
            }
            let arg = arg(flag.long);
            assert_eq!(value_name(arg), flag.value, "{}", key.name);
            assert_eq!(
                arg.get_help().map(ToString::to_string).as_deref(),
                Some(key.doc),
                "the help of --{} is the doc of `{}`",
                flag.long,
                key.name
            );
            let repeated = matches!(arg.get_action(), clap::ArgAction::Append);
            assert_eq!(
                repeated,
                matches!(key.shape, Shape::List | Shape::Pairs),
                "--{} is repeatable exactly when `{}` holds several values",
                flag.long,
                key.name
            );
        }
    }

    /// `service edit s` with every flag of the table given a value that
    /// names the flag, as parsed by clap.
    fn edit_with_every_flag() -> ServiceFields {
        let args = service_fields();
        let mut argv = vec![
            "tether".to_string(),
            "service".into(),
            "edit".into(),
            "s".into(),
        ];
        for key in KEYS {
            let (Some(flag), false) = (key.flag, key.shape.is_secret()) else {
                continue;
            };
            let arg = args
                .iter()
                .find(|a| a.get_long() == Some(flag.long))
                .unwrap();
            argv.push(format!("--{}", flag.long));
            argv.push(sample(key, arg));
        }
        let Command::Service(ServiceCommand::Edit(edit)) = Cli::parse_from(argv).command else {
            panic!("not `service edit`");
        };
        edit.fields
    }

    /// A value for the flag of `key` that clap accepts.
    fn sample(key: &Key, arg: &clap::Arg) -> String {
        let long = key.flag.unwrap().long;
        if let Some(first) = arg.get_possible_values().first() {
            return first.get_name().to_string();
        }
        match (key.shape, key.flag.unwrap().value) {
            // A table of known fields: the one that takes any text.
            (Shape::Pairs, _) if key.name == "pagination" => format!("items={long}"),
            (Shape::Pairs, _) => format!("k={long}"),
            (_, "PORT") => "8400".into(),
            (_, "DURATION") => "7d".into(),
            _ => long.to_string(),
        }
    }

    #[test]
    fn every_flag_sets_its_key() {
        let fields = edit_with_every_flag();
        let set = keys_from_flags(&Flags::read(&fields)).unwrap();
        let args = service_fields();
        for key in KEYS {
            let Some(flag) = key.flag else { continue };
            if key.shape.is_secret() {
                assert_eq!(set.get(key.name), None);
                continue;
            }
            let arg = args
                .iter()
                .find(|a| a.get_long() == Some(flag.long))
                .unwrap();
            let sample = sample(key, arg);
            let expected = match key.shape {
                Shape::List => toml::Value::Array(vec![sample.as_str().into()]),
                Shape::Pairs => {
                    let (k, v) = sample.split_once('=').unwrap();
                    toml::Value::Table(toml::Table::from_iter([(k.to_string(), v.into())]))
                }
                // A path is kept absolute.
                _ if key.name == "ca_file" => std::path::absolute(&sample)
                    .unwrap()
                    .display()
                    .to_string()
                    .into(),
                _ => match set.get(key.name) {
                    Some(toml::Value::String(_)) | None => sample.as_str().into(),
                    Some(other) => {
                        assert_eq!(other.to_string(), sample, "{}", key.name);
                        other.clone()
                    }
                },
            };
            assert_eq!(set.get(key.name), Some(&expected), "--{}", flag.long);
        }
        // The parsed service takes every value.
        let table: toml::Table = set.into_iter().collect();
        let service: Service = table.try_into().unwrap();
        assert_eq!(service.token_url.as_deref(), Some("token-url"));
        assert_eq!(service.redirect_port, Some(8400));
    }

    #[test]
    fn secret_flags_give_a_reference() {
        let parse = |extra: &[&str]| {
            let mut argv = vec!["tether", "service", "edit", "s"];
            argv.extend_from_slice(extra);
            let Command::Service(ServiceCommand::Edit(edit)) = Cli::parse_from(argv).command else {
                panic!("not `service edit`");
            };
            let flags = Flags::read(&edit.fields);
            secret_from_flags(client_secret(), &flags).unwrap()
        };
        assert_eq!(
            parse(&["--client-secret-env", "MC_SECRET"]).map(|(r, _)| r),
            Some(SecretRef::Env("MC_SECRET".into()))
        );
        assert_eq!(
            parse(&["--client-secret-command", "pass", "show", "mc"]).map(|(r, _)| r),
            Some(SecretRef::Command(vec![
                "pass".into(),
                "show".into(),
                "mc".into()
            ]))
        );
        assert_eq!(parse(&["--token-url", "https://x.example/t"]), None);
    }

    #[test]
    fn pairs_name_their_flag() {
        let items = ["a=1".to_string(), "b=".to_string()];
        let table = pairs("auth-param", &items).unwrap();
        assert_eq!(
            table,
            toml::Table::from_iter([("a".to_string(), "1".into()), ("b".to_string(), "".into())])
        );
        let err = pairs("token-param", &["novalue".to_string()]).unwrap_err();
        assert_eq!(err.to_string(), "`--token-param novalue` is not KEY=VALUE");
        assert_eq!(
            err.hint().as_deref(),
            Some("for example `--token-param access_type=offline`")
        );
    }

    #[test]
    fn keys_are_written_in_table_order_as_the_file_spells_them() {
        let set: toml::Table = toml::from_str(
            r#"
            pkce = false
            scopes = ["repo", "read:org"]
            client_secret = { command = ["pass", "show", "gh"] }
            auth_params = { prompt = "consent", access_type = "offline" }
            redirect_port = 8400
            template = "github"
            "#,
        )
        .unwrap();
        let changes = changes(&set, &["base_url"]);
        let names: Vec<&str> = changes.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            names,
            [
                "template",
                "client_secret",
                "scopes",
                "auth_params",
                "base_url",
                "redirect_port",
                "pkce"
            ]
        );
        let mut doc = ConfigDoc::from_text(
            std::path::Path::new("t.toml"),
            "[services.gh]\nbase_url = \"https://api.github.com\"\n",
        )
        .unwrap();
        doc.apply(Section::Services, "gh", &changes);
        assert_eq!(
            doc.text(),
            "[services.gh]\ntemplate = \"github\"\nclient_secret = { command = [\"pass\", \"show\", \"gh\"] }\nscopes = [\"repo\", \"read:org\"]\nauth_params = { access_type = \"offline\", prompt = \"consent\" }\nredirect_port = 8400\npkce = false\n"
        );
    }

    #[test]
    fn hints_name_the_flags_of_the_table() {
        let hint = |auth| flag_hint(&keys::needs(auth)[0]);
        assert_eq!(hint(AuthKind::Oauth2), "--client-id …");
        assert_eq!(
            hint(AuthKind::ApiKey),
            "--api-key-header NAME` or `--api-key-query NAME"
        );
        assert_eq!(
            flag_hint(&keys::needs(AuthKind::ClientCredentials)[2]),
            "--client-secret-env VAR` or `--client-secret-stdin"
        );
    }

    #[test]
    fn json_lists_every_key_in_table_order() {
        let service = Service {
            client_secret: Some(SecretRef::Value("s3cr3t".into())),
            ..Service::default()
        };
        let value = service_json("x", &service, &["c".to_string()]);
        let names: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = vec!["name"];
        expected.extend(KEYS.iter().map(|k| k.name));
        expected.extend(["inherited", "connections"]);
        assert_eq!(names, expected);
        assert_eq!(value["client_secret"], json!({ "value": "(redacted)" }));
        assert_eq!(value["scopes"], json!([]));
        assert_eq!(value["token_url"], serde_json::Value::Null);
    }

    #[test]
    fn values_read_as_text() {
        assert_eq!(text(&json!(null)), None);
        assert_eq!(text(&json!([])), None);
        assert_eq!(text(&json!({})), None);
        assert_eq!(text(&json!("x")).as_deref(), Some("x"));
        assert_eq!(text(&json!(["a", "b"])).as_deref(), Some("a b"));
        assert_eq!(
            text(&json!({"a": "1", "b": "2"})).as_deref(),
            Some("a=1 b=2")
        );
        assert_eq!(text(&json!(8400)).as_deref(), Some("8400"));
        assert_eq!(text(&json!(false)).as_deref(), Some("false"));
    }
}
