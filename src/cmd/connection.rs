//! `tether connection list|show|remove` and `tether status`: what each
//! connection is, whether it works, and how to use it.
//!
//! Nothing here prints a token. `show` prints ready-to-paste snippets, the
//! way the connection page of a hosted CRM shows the code that calls it.
//!
//! A status is what `token` would do with the record now, decided by the
//! same functions (`refresh::belongs_to`, `refresh::needs_refresh`,
//! `Credential::for_connection`), so `status` and `token` cannot disagree.

use serde_json::{Value, json};

use std::io::Read;

use super::Ctx;
use crate::cli::StatusArgs;
use crate::config;
use crate::config::AuthKind;
use crate::config::RefreshPolicy;
use crate::config::edit::{self, ConfigDoc, Section};
use crate::config::template::{UrlTemplate, Vars};
use crate::config::{Config, Connection};
use crate::error::NeedsUser;
use crate::http::credential::Credential;
use crate::http::curl::{self, quote};
use crate::oauth::refresh::{self, Reason};
use crate::oauth::token::{self, Endpoint, TokenKind};
use crate::oauth::{Grant, oauth1};
use crate::store::env::BlobSource;
use crate::store::record::{Basis, Forecast, Lapse, Record, Shortfall};
use crate::store::{HeldIn, Store};
use crate::{Error, Result, ui};
use crate::{Kind, config::StoreChoice};

/// A connection's status, as `connection list` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Connected,
    ExpiredRefreshable,
    NeedsAuthorization,
    NotConnected,
    /// The store could not read the record, or it lacks what tether
    /// always writes.
    Unreadable,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Connected => "connected",
            Status::ExpiredRefreshable => "expired, refreshable",
            Status::NeedsAuthorization => "needs authorization",
            Status::NotConnected => "not connected",
            Status::Unreadable => "unreadable",
        }
    }

    /// The status of the connection of `grant` holding `record`, at `now`:
    /// what `token` would do. It uses the token as it is (connected),
    /// refreshes it first (expired, refreshable), or needs the user.
    pub fn of(grant: Grant<'_>, record: Option<&Record>, now: u64) -> Status {
        let Some(record) = record else {
            return Status::NotConnected;
        };
        let decided = refresh::belongs_to(grant, record.clone()).and_then(|record| {
            let due = refresh::needs_refresh(grant.name, &record, now, &Reason::BeforeUse)?;
            if !due {
                Credential::for_connection(grant.name, grant.service, &record, || {
                    Ok(crate::oauth::oauth1::stand_in(grant.service))
                })?;
            }
            Ok(due)
        });
        match decided {
            Ok(false) => Status::Connected,
            Ok(true) => Status::ExpiredRefreshable,
            Err(Error::NeedsAuthorization {
                why: NeedsUser::UnreadableRecord { .. },
                ..
            }) => Status::Unreadable,
            Err(_) => Status::NeedsAuthorization,
        }
    }
}

/// `tether status` / `connection list`: a table, JSON, or with `--check`
/// only an exit code.
pub fn list(args: &StatusArgs, ctx: &Ctx) -> Result<()> {
    let config = ctx.config()?;
    let chosen = ctx.chosen(&args.names)?;
    if chosen.is_empty() {
        if args.json {
            return ui::print_json(&json!([]));
        }
        if !args.check {
            ui::note(
                "No connections yet. Create one with `tether connect NAME --service SERVICE`.",
            );
        }
        return Ok(());
    }
    let store = ctx.store()?;
    let now = ui::now();
    let mut entries = Vec::new();
    let mut short = Vec::new();
    let deadline = now.saturating_add(args.for_at_least.unwrap_or_default().as_secs());
    for (name, connection) in &chosen {
        // One damaged record must not hide the others.
        let (record, unreadable) = match store.load(name) {
            Ok(record) => (record, false),
            Err(e) => {
                ui::warn(&format!("cannot read the tokens of `{name}`: {e}"));
                (None, true)
            }
        };
        let held_in = store_label(store, name)?;
        let status = match unreadable {
            true => Status::Unreadable,
            false => status_of(name, connection, config, record.as_ref(), now),
        };
        let forecast = forecast_of(connection, config, record.as_ref());
        let entry = connection_json(
            name,
            connection,
            config,
            record.as_ref(),
            &held_in,
            (status, forecast),
        );
        if let Some(shortfall) = shortfall(status, forecast, record.as_ref(), deadline) {
            short.push(((*name).clone(), shortfall));
        }
        entries.push((entry, forecast));
    }
    if args.check {
        return match short.is_empty() {
            true => Ok(()),
            false => Err(Error::NotUsable {
                within: args.for_at_least.unwrap_or_default(),
                connections: short,
            }),
        };
    }
    if args.json {
        let entries: Vec<&Value> = entries.iter().map(|(entry, _)| entry).collect();
        return ui::print_json(&entries);
    }
    // The connections' own vars (a tenant, a shop) get a column when any
    // connection has some.
    let with_vars = chosen.iter().any(|(_, c)| !c.vars.is_empty());
    let rows = entries
        .iter()
        .zip(chosen.iter().map(|(_, c)| c))
        .map(|((e, forecast), connection)| {
            let mut status = text(&e["status"]);
            if let Some(missing) = e["missing_scopes"].as_array().filter(|m| !m.is_empty()) {
                let missing: Vec<String> = missing.iter().map(text).collect();
                status.push_str(&format!(" (missing scopes: {})", missing.join(" ")));
            }
            let mut row = vec![
                text(&e["name"]),
                text(&e["service"]),
                text(&e["auth"]),
                status,
                e["expires_at"]
                    .as_u64()
                    .map_or_else(|| "-".to_string(), |at| ui::relative(at, now)),
                match forecast {
                    Forecast::NoRefreshToken => "-".to_string(),
                    forecast => forecast.describe(now),
                },
                e["scopes"]
                    .as_array()
                    .map(|a| a.iter().map(text).collect::<Vec<_>>().join(" "))
                    .unwrap_or_default(),
                text(&e["store"]),
            ];
            if with_vars {
                row.push(own_vars(connection));
            }
            row
        })
        .collect();
    let mut header = vec![
        "NAME", "SERVICE", "AUTH", "STATUS", "EXPIRES", "REFRESH", "SCOPES", "STORE",
    ];
    if with_vars {
        header.push("VARS");
    }
    ui::print_out(&ui::table(&header, rows))
}

/// What keeps a connection of `status` and `forecast` from being usable
/// until `deadline`, if anything.
fn shortfall(
    status: Status,
    forecast: Forecast,
    record: Option<&Record>,
    deadline: u64,
) -> Option<Shortfall> {
    match status {
        Status::NotConnected => Some(Shortfall::NotConnected),
        Status::NeedsAuthorization => Some(Shortfall::NeedsAuthorization),
        Status::Unreadable => Some(Shortfall::Unreadable),
        Status::Connected | Status::ExpiredRefreshable => {
            record.and_then(|record| record.shortfall(forecast, deadline))
        }
    }
}

/// The status of connection `name` holding `record`, at `now`.
pub(super) fn status_of(
    name: &str,
    connection: &Connection,
    config: &Config,
    record: Option<&Record>,
    now: u64,
) -> Status {
    // The config check made sure the service exists.
    config
        .services
        .get(&connection.service)
        .map_or(Status::NeedsAuthorization, |service| {
            let grant = Grant {
                name,
                service_name: &connection.service,
                service,
                vars: &connection.vars,
                scopes: config.scopes_of(connection),
            };
            Status::of(grant, record, now)
        })
}

/// When the refresh token of `record` lapses, by its service's policy.
pub fn forecast_of(connection: &Connection, config: &Config, record: Option<&Record>) -> Forecast {
    let policy = config
        .services
        .get(&connection.service)
        .map(config::Service::refresh_policy)
        .unwrap_or_default();
    record.map_or(Forecast::NoRefreshToken, |r| r.forecast(policy))
}

/// A connection's own vars as `status` shows them: `k=v k=v`, or `-`.
fn own_vars(connection: &Connection) -> String {
    if connection.vars.is_empty() {
        return "-".into();
    }
    connection
        .vars
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn show(name: &str, json: bool, ctx: &Ctx) -> Result<()> {
    let connection = ctx.connection(name)?;
    let config = ctx.config()?;
    let store = ctx.store()?;
    let record = store.load(name)?;
    let now = ui::now();
    let held_in = store.held_in(name)?;
    let status = status_of(name, connection, config, record.as_ref(), now);
    let forecast = forecast_of(connection, config, record.as_ref());
    let mut entry = connection_json(
        name,
        connection,
        config,
        record.as_ref(),
        &store_label(store, name)?,
        (status, forecast),
    );
    let snippets = snippets(name, config, connection, record.as_ref());
    if json {
        entry["snippets"] = json!(snippets);
        return ui::print_json(&entry);
    }
    let mut rows = vec![
        ("name", name.to_string()),
        (
            "service",
            format!("{} ({})", text(&entry["service"]), text(&entry["auth"])),
        ),
        ("status", text(&entry["status"])),
    ];
    if let Some(at) = entry["expires_at"].as_u64() {
        rows.push((
            "expires",
            format!("{} ({})", ui::relative(at, now), ui::rfc3339(at)),
        ));
    }
    if let Some(at) = entry["obtained_at"].as_u64() {
        rows.push((
            "obtained",
            format!("{} ({})", ui::relative(at, now), ui::rfc3339(at)),
        ));
    }
    let scopes: Vec<String> = entry["scopes"]
        .as_array()
        .map(|a| a.iter().map(text).collect())
        .unwrap_or_default();
    rows.push((
        "scopes",
        if scopes.is_empty() {
            "-".into()
        } else {
            scopes.join(" ")
        },
    ));
    if let Some(missing) = entry["missing_scopes"].as_array().filter(|m| !m.is_empty()) {
        let missing: Vec<String> = missing.iter().map(text).collect();
        rows.push(("missing scopes", missing.join(" ")));
    }
    rows.push((
        "refresh",
        if entry["refreshable"] == true {
            "yes".into()
        } else {
            "no".into()
        },
    ));
    if let (Some(record), Some(service)) = (&record, config.services.get(&connection.service)) {
        if forecast != Forecast::NoRefreshToken {
            rows.push((
                "refresh token",
                explain(forecast, &connection.service, service, record, now),
            ));
        }
        if let Some(at) = record.refresh_token_used_at {
            rows.push((
                "last used",
                format!("{} ({})", ui::relative(at, now), ui::rfc3339(at)),
            ));
        }
    }
    if let Some(vars) = entry["vars"].as_object().filter(|v| !v.is_empty()) {
        let vars: Vec<String> = vars
            .iter()
            .map(|(k, v)| format!("{k}={}", text(v)))
            .collect();
        rows.push(("vars", vars.join(" ")));
    }
    rows.push((
        "store",
        match held_in {
            HeldIn::Env => format!("env ({})", crate::store::env::var_name(name)),
            HeldIn::Store(_) => store.location_of(name)?,
        },
    ));
    let mut out = ui::pairs(&rows);
    out.push_str("\nUse it:\n");
    for (label, snippet) in [
        ("tether", &snippets.invoke),
        ("curl", &snippets.curl),
        ("script", &snippets.token),
        ("CI", &snippets.ci),
    ] {
        out.push_str(&format!("  # {label}\n  {snippet}\n"));
    }
    ui::print_out(&out)
}

/// The refresh-token forecast with what it rests on, for `show`.
fn explain(
    forecast: Forecast,
    service_name: &str,
    service: &config::Service,
    record: &Record,
    now: u64,
) -> String {
    let said = forecast.describe(now);
    let Forecast::Lapses { basis, lapse, .. } = forecast else {
        return format!(
            "{said}: the provider does not say, and service `{service_name}` sets no \
             `refresh_token_lifetime` or `refresh_token_idle`"
        );
    };
    let why = match (basis, lapse, service.refresh_policy()) {
        (Basis::Provider, _, _) => {
            "the provider said so (`refresh_token_expires_in`) when it issued it".to_string()
        }
        (
            _,
            Lapse::Absolute,
            RefreshPolicy {
                lifetime: Some(span),
                ..
            },
        ) => format!(
            "`refresh_token_lifetime = \"{span}\"` of service `{service_name}`, from the authorization{}; a refresh does not extend it",
            record
                .authorized_at
                .map(|at| format!(" {}", ui::relative(at, now)))
                .unwrap_or_default()
        ),
        (
            _,
            _,
            RefreshPolicy {
                idle: Some(span), ..
            },
        ) => format!(
            "`refresh_token_idle = \"{span}\"` of service `{service_name}`, from its last use {}; `tether keepalive` extends it",
            ui::relative(record.refresh_token_last_use(), now)
        ),
        _ => "the service's policy".to_string(),
    };
    format!("{said} ({why})")
}

/// `tether disconnect NAME`: revoke at the provider where possible, then
/// delete the local tokens whatever the provider said.
pub fn disconnect(name: &str, ctx: &Ctx) -> Result<()> {
    ctx.connection(name)?;
    revoke_and_forget(name, ctx)
}

/// `tether connection remove NAME`: disconnect, then delete the config entry.
pub fn remove(name: &str, ctx: &Ctx) -> Result<()> {
    ctx.connection(name)?;
    // The edit must be possible before anything is revoked; it is made
    // under the config lock afterwards, without holding the lock through
    // the revocation requests.
    let mut doc = ConfigDoc::from_text(&ctx.paths.config_file, &ctx.loaded()?.text)?;
    doc.remove(Section::Connections, name);
    doc.check()?;
    revoke_and_forget(name, ctx)?;
    edit::update(&ctx.paths, |doc, _| {
        doc.remove(Section::Connections, name);
        Ok(())
    })?;
    ui::note(&format!("Removed connection `{name}` from the config"));
    Ok(())
}

/// Revokes the refresh token, then the access token (RFC 7009 §2: revoking
/// the refresh token first stops new access tokens), and deletes the
/// record. Says what happened to each.
fn revoke_and_forget(name: &str, ctx: &Ctx) -> Result<()> {
    let connection = ctx.connection(name)?;
    let service = ctx.service(&connection.service)?;
    let store = ctx.store()?;
    let Some(record) = store.load(name)? else {
        ui::note(&format!("`{name}` has no tokens here; nothing to revoke"));
        return Ok(());
    };
    if store.held_in(name)? == HeldIn::Env {
        return Err(Error::HeldInEnv {
            connection: name.to_string(),
        });
    }
    let tokens: Vec<(TokenKind, &crate::secret::Secret, &str)> = [
        (
            TokenKind::Refresh,
            record.refresh_token.as_ref(),
            "refresh token",
        ),
        (
            TokenKind::Access,
            record.access_token.as_ref(),
            "access token",
        ),
    ]
    .into_iter()
    .filter_map(|(kind, token, what)| token.map(|t| (kind, t, what)))
    .collect();
    // The endpoints of this connection; when they cannot be filled, the
    // tokens are still deleted here.
    let resolved = match service.for_connection(&connection.service, &connection.vars, &record.vars)
    {
        Ok(service) => Some(service),
        Err(e) => {
            ui::warn(&format!("cannot revoke the tokens of `{name}`: {e}"));
            None
        }
    };
    let revoke_url = resolved.as_ref().map(|s| &s.revoke_url);
    match (revoke_url, tokens.is_empty()) {
        (_, true) | (None, _) => {}
        (Some(None), false) => ui::note(&format!(
            "Service `{}` has no revoke_url: the tokens stay valid at the provider until they expire",
            connection.service
        )),
        (Some(Some(url)), false) if service.auth == AuthKind::Oauth1 => {
            let net = ctx.net_for(service);
            let revoked = ctx.credential(name, &record).and_then(|credential| {
                net.block_on(oauth1::revoke(net, &connection.service, &credential, url))
            });
            match revoked {
                Ok(()) => ui::note("Revoked the token credentials at the provider"),
                Err(e) => ui::warn(&format!("could not revoke the token credentials: {e}")),
            }
        }
        (Some(Some(url)), false) => {
            let endpoint = Endpoint::for_code(store, &connection.service, service)?;
            let net = ctx.net_for(service);
            for (kind, token, what) in tokens {
                let revoked = net.block_on(token::revoke(net, &endpoint, url, token, kind));
                match revoked {
                    Ok(()) => ui::note(&format!("Revoked the {what} at the provider")),
                    Err(e) => ui::warn(&format!("could not revoke the {what}: {e}")),
                }
            }
        }
    }
    store.delete(name)?;
    ui::note(&format!(
        "Deleted the tokens of `{name}` from {}",
        store.location_of(name)?
    ));
    Ok(())
}

/// Where the record of connection `name` is, as `status` shows it: `env`,
/// `keyring`, `file`, or the name of the shared store that holds it.
fn store_label(store: &Store, name: &str) -> Result<String> {
    Ok(
        match (store.held_in(name)?, store.choice_of(name).shared()) {
            (HeldIn::Store(_), Some(shared)) => shared.to_string(),
            (held_in, _) => held_in.as_str().to_string(),
        },
    )
}

/// The stable JSON shape of one connection (documented in the README).
fn connection_json(
    name: &str,
    connection: &Connection,
    config: &Config,
    record: Option<&Record>,
    store: &str,
    (status, forecast): (Status, Forecast),
) -> Value {
    let service = config.services.get(&connection.service);
    let granted = record.map(|r| r.scopes.clone()).filter(|s| !s.is_empty());
    let asked = config.scopes_of(connection);
    let missing = record.map(|r| r.missing_scopes(asked)).unwrap_or_default();
    let scopes = granted.unwrap_or_else(|| asked.to_vec());
    let mut vars = service.map(|_| connection.vars.clone()).unwrap_or_default();
    if let Some(record) = record {
        for (k, v) in &record.vars {
            vars.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    json!({
        "name": name,
        "service": connection.service,
        "auth": service.map(|s| s.auth.as_str()),
        "status": status.as_str(),
        "expires_at": record.and_then(|r| r.expires_at),
        "expires": record.and_then(|r| r.expires_at).map(ui::rfc3339),
        // 0 is no time: a record without it is unreadable.
        "obtained_at": record.map(|r| r.obtained_at).filter(|at| *at > 0),
        "refreshable": record.is_some_and(Record::refreshable),
        "refresh_expires_at": forecast.at(),
        "refresh_expires": forecast.at().map(ui::rfc3339),
        "refresh_basis": forecast.basis().map(|b| b.as_str()),
        "last_used_at": record.and_then(|r| r.refresh_token_used_at),
        "scopes": scopes,
        "missing_scopes": missing,
        "vars": vars,
        "store": store,
    })
}

/// Ready-to-paste commands that use a connection.
#[derive(Debug, serde::Serialize)]
struct Snippets {
    invoke: String,
    curl: String,
    token: String,
    /// How a CI job gets the connection: the secret to store, then the
    /// variable the job sets.
    ci: String,
}

fn snippets(
    name: &str,
    config: &Config,
    connection: &Connection,
    record: Option<&Record>,
) -> Snippets {
    let service = config.services.get(&connection.service);
    // The base_url filled as `invoke` would fill it without `--var`; a
    // placeholder nothing fills stays as `{name}`.
    let empty = Vars::new();
    let learnt = record.map_or(&empty, |r| &r.vars);
    let base = service
        .and_then(|s| {
            let base = UrlTemplate::url(s.base_url.as_deref()?);
            base.fill_known(&[&connection.vars, learnt, &s.vars]).ok()
        })
        .unwrap_or_else(|| "https://API".to_string());
    let quoted = quote(name);
    let url = url::Url::parse(&format!("{}/", base.trim_end_matches('/')));
    let curl = match (service, url) {
        (Some(service), Ok(url)) => {
            let request = crate::http::send::Request {
                method: crate::http::target::Method::Get,
                url,
                headers: Vec::new(),
                body: None,
            };
            curl::command(name, &request, service)
                .replace(" \\\n  ", " ")
                .trim_end()
                .to_string()
        }
        // A base_url with {vars} is not a URL yet.
        _ => format!("curl -H \"Authorization: Bearer $(tether token {quoted})\" {base}/"),
    };
    Snippets {
        invoke: format!("tether invoke {quoted} GET /"),
        curl,
        // OAuth 1.0a signs each request: a script asks for the header of
        // the one it sends.
        token: match service.map(|s| s.auth) {
            Some(crate::config::AuthKind::Oauth1) => format!(
                "HEADER=\"$(tether token {quoted} --header --method GET --url {})\"",
                quote(&format!("{}/", base.trim_end_matches('/')))
            ),
            _ => format!("TOKEN=\"$(tether token {quoted})\""),
        },
        ci: format!(
            "tether connection export {quoted}   # once; store the line as the CI secret {var}\n  \
             export {var}=\"$SECRET\"; tether invoke {quoted} GET /   # in the job",
            var = crate::store::env::var_name(name)
        ),
    }
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "-".to_string(),
        other => other.to_string(),
    }
}

/// Prints the connection as one line for `TETHER_CONNECTION_<NAME>`.
pub fn export(name: &str, ctx: &Ctx) -> Result<()> {
    ctx.connection(name)?;
    let record = ctx
        .store()?
        .load(name)?
        .ok_or_else(|| Error::NeedsAuthorization {
            name: name.to_string(),
            why: NeedsUser::NothingToExport,
        })?;
    warn_if_shared(name, &record, ctx)?;
    let blob = crate::store::env::encode(&record);
    ui::print_out(&format!("{}\n", blob.expose()))?;
    ui::note(&format!(
        "That line holds the tokens of `{name}`: keep it in a secret store, as `{}`.",
        crate::store::env::var_name(name)
    ));
    Ok(())
}

/// Reads an exported line from stdin into the local store, creating the
/// connection in the config when it is new.
pub fn import(name: &str, ctx: &Ctx) -> Result<()> {
    crate::config::validate::check_name(name).map_err(Error::InvalidValue)?;
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| Error::io("<stdin>", e))?;
    let record = crate::store::env::decode(&text).map_err(|problem| Error::InvalidExport {
        from: BlobSource::Stdin,
        problem,
    })?;
    let config = ctx.config()?;
    match config.connections.get(name) {
        Some(existing) if existing.service != record.service => {
            return Err(Error::usage(
                format!(
                    "connection `{name}` uses service `{}`, the imported one `{}`",
                    existing.service, record.service
                ),
                None,
            ));
        }
        Some(_) => {}
        None => {
            ctx.service(&record.service)?;
            edit::update(&ctx.paths, |doc, current| {
                // Another process may have made it since.
                if !current.connections.contains_key(name) {
                    doc.apply(
                        Section::Connections,
                        name,
                        &[(
                            "service",
                            edit::Change::Set(edit::value::string(&record.service)),
                        )],
                    );
                }
                Ok(())
            })?;
        }
    }
    let store = ctx.store()?;
    store.save(name, &record)?;
    ui::note(&format!(
        "Imported `{name}` ({}) into {}",
        record.service,
        store.location_of(name)?
    ));
    Ok(())
}

/// `tether connection move NAME --to STORE`: copies the record to `to`
/// under the connection's refresh lock (its store's: the lock file, or the
/// row lock of a shared store), points the connection's `store` at `to`,
/// and deletes the source only after the destination has committed. A
/// kill in between leaves a copy in each store, never none.
pub fn move_to(name: &str, to: &str, ctx: &Ctx) -> Result<()> {
    ctx.connection(name)?;
    let config = ctx.config()?;
    let target = StoreChoice::parse(to);
    match &target {
        StoreChoice::Auto => {
            return Err(Error::usage(
                "`--to` takes a store, not `auto`",
                Some("name `keyring`, `file` or a `[stores.NAME]`".into()),
            ));
        }
        StoreChoice::Named(shared) if !config.stores.contains_key(shared) => {
            return Err(super::unknown(Kind::Store, shared, config.stores.keys()));
        }
        _ => {}
    }
    let store = ctx.store()?;
    if store.held_in(name)? == HeldIn::Env {
        return Err(Error::HeldInEnv {
            connection: name.to_string(),
        });
    }
    let source = store.choice_of(name).clone();
    let (from, into) = (store.location_of(name)?, store.location_in(&target)?);
    if source == target || from == into {
        ui::note(&format!("`{name}` is already kept in {into}"));
        return Ok(());
    }
    let _lock = store.lock_in(&source, name, refresh::LOCK_TIMEOUT)?;
    if source.shared().is_none() {
        store.recover(name)?;
    }
    let record = store
        .load_from(&source, name)?
        .ok_or_else(|| Error::NeedsAuthorization {
            name: name.to_string(),
            why: NeedsUser::NotConnected,
        })?;
    if store.load_from(&target, name)?.is_some() {
        return Err(Error::RecordExists {
            store: into,
            connection: name.to_string(),
        });
    }
    store.save_to(&target, name, &record)?;
    edit::update(&ctx.paths, |doc, _| {
        doc.apply(
            Section::Connections,
            name,
            &[("store", edit::Change::Set(edit::value::string(to)))],
        );
        Ok(())
    })?;
    store.delete_from(&source, name)?;
    ui::note(&format!(
        "Moved the tokens of `{name}` from {from} to {into}"
    ));
    Ok(())
}

/// `connection export` of a connection in a shared store whose grant can
/// be refreshed: a second copy refreshing on its own presents a refresh
/// token the store's copy may already have rotated, and many providers
/// then revoke the whole grant, for every machine.
fn warn_if_shared(name: &str, record: &Record, ctx: &Ctx) -> Result<()> {
    let store = ctx.store()?;
    if let Some(shared) = store.choice_of(name).shared()
        && record.refresh_token.is_some()
    {
        ui::warn(&format!(
            "`{name}` is shared through store `{shared}`: a second copy of a rotating grant can revoke it for every machine the first time either copy refreshes; let jobs reach the store instead where they can"
        ));
    }
    Ok(())
}
