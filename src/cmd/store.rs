//! `tether store init|rekey|check NAME`: setting up and looking after a
//! shared store (`[stores.NAME]`). The work is the store's
//! ([`PgStore`](crate::store::postgres::PgStore)); this module picks the
//! store, reads the new key and prints.

use serde_json::json;

use super::Ctx;
use crate::cli::{StoreCheckArgs, StoreCommand, StoreInitArgs, StoreRekeyArgs};
use crate::config::SharedStore;
use crate::store::postgres::{KeyCheck, SharedStoreProblem, StoreHealth, schema};
use crate::store::seal::StoreKey;
use crate::{Error, Kind, Result, ui};

pub fn run(command: StoreCommand, ctx: &Ctx) -> Result<()> {
    match command {
        StoreCommand::Init(args) => init(&args, ctx),
        StoreCommand::Rekey(args) => rekey(&args, ctx),
        StoreCommand::Check(args) => check(&args, ctx),
    }
}

/// The `[stores.NAME]` table called `name`.
fn definition<'a>(name: &str, ctx: &'a Ctx) -> Result<&'a SharedStore> {
    let config = ctx.config()?;
    config
        .stores
        .get(name)
        .ok_or_else(|| super::unknown(Kind::Store, name, config.stores.keys()))
}

fn init(args: &StoreInitArgs, ctx: &Ctx) -> Result<()> {
    let definition = definition(&args.store, ctx)?;
    if args.print {
        let schema = definition.schema.as_deref().unwrap_or("tether");
        let ddl = schema::ddl(schema, 0);
        return ui::print_out(&format!(
            "-- tether store `{}`: schema version {}\nBEGIN;\n{ddl}COMMIT;\n",
            args.store,
            schema::CURRENT
        ));
    }
    let store = ctx.store()?.shared(&args.store)?;
    let version = store.init()?;
    ui::note(&format!(
        "Store `{}` (postgres {}) is ready: schema `{}` at version {version}, and its key checks out",
        args.store,
        store.place(),
        store.schema()
    ));
    Ok(())
}

fn rekey(args: &StoreRekeyArgs, ctx: &Ctx) -> Result<()> {
    definition(&args.store, ctx)?;
    let what = format!("new key of store `{}`", args.store);
    let new = crate::config::secrets::resolve(
        &crate::config::SecretRef::Env(args.new_key_env.clone()),
        &what,
        || Ok(None),
    )?;
    let new = StoreKey::parse(&new).map_err(|problem| Error::InvalidSharedStore {
        store: args.store.clone(),
        problem: SharedStoreProblem::Key {
            field: "new key",
            problem,
        },
    })?;
    let store = ctx.store()?.shared(&args.store)?;
    let count = store.rekey(&new)?;
    ui::note(&format!(
        "Re-encrypted {count} record{} of store `{}` under the new key. Give every machine the new key as `key` and the old one as `previous_key`; drop `previous_key` once all have it.",
        if count == 1 { "" } else { "s" },
        args.store
    ));
    Ok(())
}

fn check(args: &StoreCheckArgs, ctx: &Ctx) -> Result<()> {
    definition(&args.store, ctx)?;
    let store = ctx.store()?.shared(&args.store)?;
    let health = store.check();
    if args.json {
        ui::print_json(&health_json(&args.store, &health))?;
    } else {
        ui::print_out(&ui::pairs(&health_rows(&args.store, &health)))?;
    }
    match (health.connected, health.key) {
        (Err(e), _) => Err(e),
        (Ok(_), Some(KeyCheck::DoesNotOpen)) => Err(Error::WrongStoreKey {
            store: args.store.clone(),
        }),
        _ => Ok(()),
    }
}

pub(super) fn millis(d: std::time::Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn key_text(key: Option<KeyCheck>) -> &'static str {
    match key {
        Some(KeyCheck::Opens) => "opens the canary",
        Some(KeyCheck::OpensWithPreviousKey) => "only `previous_key` opens the canary",
        Some(KeyCheck::DoesNotOpen) => "does not open the canary",
        Some(KeyCheck::NoCanary) => "no canary yet (written on first use)",
        None => "-",
    }
}

fn health_rows(name: &str, health: &StoreHealth) -> Vec<(&'static str, String)> {
    let mut rows = vec![
        ("store", name.to_string()),
        ("server", health.place.clone()),
        (
            "reachable",
            match &health.connected {
                Ok(took) => format!("yes (connected in {})", millis(*took)),
                Err(e) => format!("no: {e}"),
            },
        ),
    ];
    if health.connected.is_ok() {
        rows.push((
            "schema",
            match health.schema_version {
                Some(v) => format!("version {v} (this tether writes {})", schema::CURRENT),
                None => "none yet (created on first use, or `tether store init`)".into(),
            },
        ));
        rows.push(("key", key_text(health.key).to_string()));
        rows.push((
            "round trip",
            health.round_trip.map_or_else(|| "-".into(), millis),
        ));
        rows.push((
            "records",
            health.records.map_or_else(|| "-".into(), |n| n.to_string()),
        ));
    }
    rows
}

fn health_json(name: &str, health: &StoreHealth) -> serde_json::Value {
    json!({
        "store": name,
        "server": health.place,
        "reachable": health.connected.is_ok(),
        "error": health.connected.as_ref().err().map(ToString::to_string),
        "connect_ms": health.connected.as_ref().ok().map(|d| d.as_secs_f64() * 1000.0),
        "schema_version": health.schema_version,
        "key": health.key.map(|k| match k {
            KeyCheck::Opens => "opens",
            KeyCheck::OpensWithPreviousKey => "previous_key",
            KeyCheck::DoesNotOpen => "does_not_open",
            KeyCheck::NoCanary => "no_canary",
        }),
        "round_trip_ms": health.round_trip.map(|d| d.as_secs_f64() * 1000.0),
        "records": health.records,
    })
}
