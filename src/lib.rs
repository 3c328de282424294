//! tether: a command-line connection manager.
//!
//! A *service* says how to authenticate with an API; a *connection* is a
//! named authorization of one service whose tokens live in a token store.
//! The modules are named for what they own:
//!
//! * [`cli`] — the command line (clap types only)
//! * [`cmd`] — one module per command group; orchestration, no protocol
//! * [`config`] — the TOML file: model, loading with locations, in-place edits
//! * [`store`] — where secrets live: OS keyring, 0600 files, environment, shared PostgreSQL
//! * [`oauth`] — OAuth 2.0 flows, the loopback listener, the browser
//! * [`oauth1`] — OAuth 1.0a (RFC 5849): request signing and the token steps
//! * [`http`] — the HTTP client, request items, sending through a connection
//! * [`helpers`] — the protocols other programs ask for credentials in (git, kubectl, docker, SASL)
//! * [`providers`] — built-in service templates, one data file per provider
//! * [`duration`] — the one duration syntax (`30m`, `14d`) of flags and keys
//! * [`percent`] — the strict percent-encoding URL templates and OAuth 1.0a share
//! * [`ui`] — what people see: tables, JSON, warnings, prompts
//!
//! [`run`] parses the command line first and builds expensive things (TLS,
//! the async runtime, the keyring connection) only when a command needs them.

pub mod cli;
pub mod cmd;
pub mod config;
pub mod duration;
mod error;
pub mod fsutil;
#[doc(hidden)]
pub mod fuzzing;
pub mod helpers;
mod hook;
pub mod http;
mod interrupt;
pub mod oauth;
pub mod oauth1;
pub mod percent;
pub mod providers;
pub mod secret;
pub mod store;
pub mod ui;

use std::ffi::OsString;

use clap::Parser;

pub use error::{Error, Kind, NeedsUser, Refusal, Result, StaticSecret, exit, report};

/// Runs tether with these arguments (the first is the program name) and
/// returns the exit code. Errors are returned, not printed: the caller
/// prints them with [`report`].
pub fn run<I, T>(args: I) -> Result<u8>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let args = cmd::credential::docker::as_invoked(args);
    // A shell asking for completions (`COMPLETE=bash tether …`) is answered
    // before the command line is parsed.
    if let Some(code) = cmd::complete::respond(&args) {
        return Ok(code);
    }
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help and version to stdout and errors to stderr,
            // with its own exit codes (0 for help, 2 for usage).
            let code = err.exit_code();
            let _ = err.print();
            return Ok(u8::try_from(code).unwrap_or(exit::USAGE));
        }
    };
    cmd::run(cli)
}
