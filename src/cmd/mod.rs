//! One module per command group. A command resolves its arguments, calls
//! the domain modules and prints; protocol logic lives elsewhere.
//!
//! [`Ctx`] holds what every command may need, built lazily: the paths are
//! resolved up front (cheap), the config is read on first use, the token
//! store (which may talk to the OS keyring) is opened only by commands
//! that touch a secret, and the network ([`Ctx::net`], one per run, with
//! one timeout) is set up only by commands that make a request.

pub mod batch;
pub mod complete;
pub mod completions;
pub mod connect;
pub mod connection;
pub mod doctor;
pub mod invoke;
pub mod keepalive;
pub mod man;
pub mod service;
pub mod token;

pub mod credential;
pub mod exec;
pub mod store;

use std::cell::OnceCell;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::cli::{Cli, Command, ConnectionCommand};
use crate::config::{self, Config, Loaded, Paths};
use crate::http::client::Net;
use crate::http::credential::Credential;
use crate::oauth::Grant;
use crate::oauth::refresh::{self, Deps, Fresh, Reason};
use crate::oauth::token::TIMEOUT as TOKEN_TIMEOUT;
use crate::store::{Record, Store};
use crate::{Error, Kind, Result, exit, ui};

/// What a command runs with.
#[derive(Debug)]
pub struct Ctx {
    pub paths: Paths,
    config: OnceCell<Loaded>,
    store: OnceCell<Store>,
    /// Bounds each request of [`Ctx::net`].
    timeout: Duration,
    net: OnceCell<Net>,
}

impl Ctx {
    /// `timeout` bounds each request the command makes.
    pub fn new(paths: Paths, timeout: Duration) -> Ctx {
        Ctx {
            paths,
            config: OnceCell::new(),
            store: OnceCell::new(),
            timeout,
            net: OnceCell::new(),
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
        let env = std::env::var(crate::store::ENV_VAR).ok();
        let store = Store::open_config(self.config()?, env.as_deref(), &self.paths)?;
        Ok(self.store.get_or_init(|| store))
    }

    /// The network of this run: the HTTP client and the runtime, each
    /// built on first use.
    pub fn net(&self) -> &Net {
        self.net.get_or_init(|| Net::new(self.timeout))
    }

    /// The network, trusting the `ca_file` of `service` for the https
    /// requests that follow (only the platform's roots when it has none).
    pub fn net_for(&self, service: &config::Service) -> &Net {
        let net = self.net();
        net.trust(self.ca_file(service.ca_file.as_deref()).as_deref());
        net
    }

    /// A `ca_file` as written in the config: relative to its folder.
    pub fn ca_file(&self, written: Option<&str>) -> Option<PathBuf> {
        let path = Path::new(written?);
        let folder = self.paths.config_file.parent().unwrap_or(Path::new(""));
        Some(folder.join(path))
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

    /// The connections `names` picks, all of them when it is empty, in
    /// config order; a name that is not a connection is an error.
    pub fn chosen(&self, names: &[String]) -> Result<Vec<(&String, &config::Connection)>> {
        for name in names {
            self.connection(name)?;
        }
        Ok(self
            .config()?
            .connections
            .iter()
            .filter(|(name, _)| names.is_empty() || names.contains(name))
            .collect())
    }

    /// The credential of connection `name` for `record`: an OAuth 1.0a
    /// one reads its service's consumer secret or private key here.
    pub fn credential(&self, name: &str, record: &Record) -> Result<Credential> {
        let connection = self.connection(name)?;
        let service = self.service(&connection.service)?;
        Credential::for_connection(name, service, record, || {
            crate::oauth::oauth1::consumer(self.store()?, &connection.service, service)
        })
    }

    /// The record of connection `name`, refreshed first when due (or when
    /// the API `reason` says so); `read` is the record when the caller has
    /// already read it. See [`refresh::fresh`].
    pub fn fresh_record(&self, name: &str, reason: &Reason, read: Option<Record>) -> Result<Fresh> {
        let connection = self.connection(name)?;
        let grant = Grant {
            name,
            service_name: &connection.service,
            service: self.service(&connection.service)?,
            vars: &connection.vars,
            scopes: self.config()?.scopes_of(connection),
        };
        let deps = Deps {
            store: self.store()?,
            paths: &self.paths,
            net: self.net_for(grant.service),
            now: &ui::now,
        };
        let hooks = refresh::Hooks {
            on_rotate: connection.on_rotate.as_deref(),
            on_needs_authorization: self.config()?.on_needs_authorization(grant.service),
        };
        refresh::fresh(grant, hooks, &deps, reason, read)
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

/// How long one request of `command` may take: `invoke --timeout`, else
/// [`TOKEN_TIMEOUT`].
fn request_timeout(command: &Command) -> Duration {
    match command {
        Command::Invoke(args) => Duration::from_secs(args.timeout),
        _ => TOKEN_TIMEOUT,
    }
}

/// Runs a parsed command line and returns the exit code.
pub fn run(cli: Cli) -> Result<u8> {
    if let Command::Completions(args) = &cli.command {
        completions::run(args)?;
        return Ok(exit::OK);
    }
    if let Command::Man(args) = &cli.command {
        man::run(args)?;
        return Ok(exit::OK);
    }
    let ctx = Ctx::new(
        Paths::resolve(cli.config.as_deref())?,
        request_timeout(&cli.command),
    );
    match cli.command {
        Command::Service(command) => service::run(command, &ctx)?,
        Command::Connect(args) => connect::run(&args, &ctx)?,
        Command::Connection(ConnectionCommand::List(args)) | Command::Status(args) => {
            connection::list(&args, &ctx)?;
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
        Command::Doctor(args) => return doctor::run(&args, &ctx),
        Command::Completions(_) | Command::Man(_) => unreachable!("handled above"),
        Command::Invoke(args) => return invoke::run(&args, &ctx),
        Command::Token(args) => token::run(&args, &ctx)?,
        Command::Exec(args) => return exec::run(&args, &ctx),
        Command::Credential(command) => return credential::run(&command, &ctx),
        Command::Keepalive(args) => return keepalive::run(&args, &ctx),
        Command::Connection(ConnectionCommand::Move(args)) => {
            connection::move_to(&args.name, &args.to, &ctx)?;
        }
        Command::Store(command) => store::run(command, &ctx)?,
    }
    Ok(exit::OK)
}
