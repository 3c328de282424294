//! One module per command group. A command resolves its arguments, calls
//! the domain modules and prints; protocol logic lives elsewhere.
//!
//! [`Ctx`] holds what every command may need, built lazily: the paths are
//! resolved up front (cheap), the config is read on first use, and the
//! token store (which may talk to the OS keyring) is opened only by
//! commands that touch a secret.

pub mod completions;
pub mod connect;
pub mod connection;
pub mod doctor;
pub mod invoke;
pub mod service;
pub mod token;

use std::cell::OnceCell;

use crate::cli::{Cli, Command, ConnectionCommand};
use crate::config::{self, Config, Loaded, Paths};
use crate::http::client::Net;
use crate::oauth::refresh::{self, Deps, Reason, Target};
use crate::store::{Record, Store};
use crate::{Error, Kind, Result, exit, ui};

/// What a command runs with.
#[derive(Debug)]
pub struct Ctx {
    pub paths: Paths,
    config: OnceCell<Loaded>,
    store: OnceCell<Store>,
}

impl Ctx {
    pub fn new(paths: Paths) -> Ctx {
        Ctx {
            paths,
            config: OnceCell::new(),
            store: OnceCell::new(),
        }
    }

    /// The config, read and checked on first use.
    pub fn loaded(&self) -> Result<&Loaded> {
        if let Some(loaded) = self.config.get() {
            return Ok(loaded);
        }
        let loaded = config::load(&self.paths.config_file)?;
        Ok(self.config.get_or_init(|| loaded))
    }

    pub fn config(&self) -> Result<&Config> {
        Ok(&self.loaded()?.config)
    }

    /// The token store, opened on first use (`TETHER_STORE` over the
    /// config's `store`).
    pub fn store(&self) -> Result<&Store> {
        if let Some(store) = self.store.get() {
            return Ok(store);
        }
        let choice = self.config()?.store;
        let env = std::env::var("TETHER_STORE").ok();
        let store = Store::open(choice, env.as_deref(), &self.paths)?;
        Ok(self.store.get_or_init(|| store))
    }

    /// The service called `name`, or an error with a suggestion.
    pub fn service(&self, name: &str) -> Result<&config::Service> {
        let config = self.config()?;
        config
            .services
            .get(name)
            .ok_or_else(|| unknown(Kind::Service, name, config.services.keys()))
    }

    /// The connection called `name`, or an error with a suggestion.
    pub fn connection(&self, name: &str) -> Result<&config::Connection> {
        let config = self.config()?;
        config
            .connections
            .get(name)
            .ok_or_else(|| unknown(Kind::Connection, name, config.connections.keys()))
    }
}

/// The record of connection `name`, refreshed first when due (or when the
/// API `reason` says so). A connection from `TETHER_CONNECTION_<NAME>` whose
/// refresh token the provider rotated is handed to its `on_rotate` hook.
pub fn fresh_record(ctx: &Ctx, name: &str, net: &Net, reason: &Reason) -> Result<(Record, bool)> {
    let connection = ctx.connection(name)?;
    let service = ctx.service(&connection.service)?;
    let scopes = ctx.config()?.scopes_of(connection).to_vec();
    let store = ctx.store()?;
    let now = ui::now;
    let deps = Deps {
        store,
        paths: &ctx.paths,
        net,
        now: &now,
    };
    let target = Target {
        name,
        service_name: &connection.service,
        service,
        scopes: &scopes,
    };
    let (record, refreshed) = refresh::fresh(target, &deps, reason)?;
    if refreshed && let Some(rotated) = store.rotated_env_record(name) {
        hand_over_rotated(name, connection.on_rotate.as_deref(), &rotated);
    }
    Ok((record, refreshed))
}

/// Gives the new CI blob to the `on_rotate` hook, or warns that the one in
/// the environment is now stale. Never fails the command: the request was
/// made; the warning says what to do.
fn hand_over_rotated(name: &str, hook: Option<&[String]>, record: &Record) {
    use std::io::Write;
    use std::process::{Command, Stdio};

    let var = crate::store::env::var_name(name);
    let Some((program, args)) = hook.and_then(<[String]>::split_first) else {
        ui::warn(&format!(
            "the provider rotated the refresh token of `{name}`: `{var}` is now stale; \
             set `on_rotate` on the connection to store the new one (see `tether connection export`)"
        ));
        return;
    };
    let blob = crate::store::env::encode(record);
    let result = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::from(std::io::stderr()))
        .spawn()
        .and_then(|mut child| {
            if let Some(mut stdin) = child.stdin.take() {
                stdin.write_all(blob.expose().as_bytes())?;
                stdin.write_all(b"\n")?;
            }
            child.wait()
        });
    match result {
        Ok(status) if status.success() => {}
        Ok(status) => ui::warn(&format!(
            "the on_rotate hook of `{name}` failed ({status}): `{var}` is now stale"
        )),
        Err(e) => ui::warn(&format!(
            "could not run the on_rotate hook of `{name}` (`{program}`: {e}): `{var}` is now stale"
        )),
    }
}

/// An unknown-name error with a "did you mean" from `known`.
pub fn unknown<'a>(kind: Kind, name: &str, known: impl IntoIterator<Item = &'a String>) -> Error {
    Error::UnknownName {
        kind,
        name: name.to_string(),
        suggestion: config::suggest(name, known),
    }
}

/// Runs a parsed command line and returns the exit code.
pub fn run(cli: Cli) -> Result<u8> {
    if let Command::Completions(args) = &cli.command {
        completions::run(args)?;
        return Ok(exit::OK);
    }
    let ctx = Ctx::new(Paths::resolve(cli.config.as_deref())?);
    match cli.command {
        Command::Service(command) => service::run(command, &ctx)?,
        Command::Connect(args) => connect::run(&args, &ctx)?,
        Command::Connection(ConnectionCommand::List(args)) | Command::Status(args) => {
            connection::list(args.json, &ctx)?;
        }
        Command::Connection(ConnectionCommand::Show(args)) => {
            connection::show(&args.name, args.json, &ctx)?;
        }
        Command::Connection(ConnectionCommand::Remove(args)) => {
            connection::remove(&args.name, &ctx)?;
        }
        Command::Connection(ConnectionCommand::Export(args)) => {
            connection::export(&args.name, &ctx)?;
        }
        Command::Connection(ConnectionCommand::Import(args)) => {
            connection::import(&args.name, &ctx)?;
        }
        Command::Disconnect(args) => connection::disconnect(&args.name, &ctx)?,
        Command::Authorize(args) => connect::authorize_for_remote(&args)?,
        Command::Doctor(args) => return doctor::run(args.json, &ctx),
        Command::Completions(_) => unreachable!("handled above"),
        Command::Invoke(args) => return invoke::run(&args, &ctx),
        Command::Token(args) => token::run(&args, &ctx)?,
    }
    Ok(exit::OK)
}
