//! `tether exec`: runs a command with fresh tokens in its environment.
//!
//! Each token is refreshed first when due (or when less than
//! `--min-valid` remains), and goes in its variable: `--env VAR=NAME`, or
//! for `-c NAME` the service's `env`, else `TETHER_TOKEN`. Two connections
//! for one variable are a usage error. What the command does not see is
//! `helpers::environment`'s to decide.
//!
//! On Unix tether then replaces itself with the command (exec(2)), so the
//! command's stdin, stdout and stderr, its signals and its exit status are
//! its own, and the tokens are only in its environment, never in its
//! arguments. Elsewhere tether runs it and exits with its status.

use std::process::Command;

use super::Ctx;
use super::credential::{hand, reason};
use crate::cli::ExecArgs;
use crate::config::validate::is_env_name;
use crate::helpers::environment::Plan;
use crate::{Error, Result};

/// The variable of `-c NAME` when the service names none.
pub const DEFAULT_VAR: &str = "TETHER_TOKEN";

pub fn run(args: &ExecArgs, ctx: &Ctx) -> Result<u8> {
    let wanted = assignments(args, ctx)?;
    let reason = reason(args.min_valid);
    let mut tokens = Vec::new();
    for (var, name) in &wanted {
        tokens.push((var.clone(), hand(ctx, name, &reason)?.token));
    }
    let plan = Plan {
        secret_vars: ctx.config()?.secret_vars(),
        keep: args.keep_env.iter().map(String::as_str).collect(),
        tokens,
    };
    let (program, rest) = args.command.split_first().expect("clap requires a command");
    let mut command = Command::new(program);
    command.args(rest);
    let (removed, set) = plan.apply(std::env::vars_os());
    for name in removed {
        command.env_remove(name);
    }
    command.envs(set);
    replace_with(command, &program.to_string_lossy())
}

/// Variable ← connection, for every `-c` and `--env`, checked.
fn assignments(args: &ExecArgs, ctx: &Ctx) -> Result<Vec<(String, String)>> {
    let mut wanted: Vec<(String, String)> = Vec::new();
    for name in &args.connections {
        let service = ctx.service(&ctx.connection(name)?.service)?;
        let var = service.env.as_deref().unwrap_or(DEFAULT_VAR);
        wanted.push((var.to_string(), name.clone()));
    }
    for pair in &args.env {
        let Some((var, name)) = pair
            .split_once('=')
            .filter(|(v, n)| is_env_name(v) && !n.is_empty())
        else {
            return Err(Error::usage(
                format!("`{pair}` is not VAR=NAME"),
                Some(
                    "write the variable, `=`, then the connection: `--env GITHUB_TOKEN=gh-work`"
                        .into(),
                ),
            ));
        };
        ctx.connection(name)?;
        wanted.push((var.to_string(), name.to_string()));
    }
    if wanted.is_empty() {
        return Err(Error::usage(
            "no connection to take a token from",
            Some("name one with `-c NAME` or `--env VAR=NAME`".into()),
        ));
    }
    for (index, (var, _)) in wanted.iter().enumerate() {
        let same: Vec<String> = wanted
            .iter()
            .filter(|(v, _)| v == var)
            .map(|(_, name)| name.clone())
            .collect();
        if same.len() > 1 && wanted.iter().position(|(v, _)| v == var) == Some(index) {
            return Err(Error::SameVariable {
                var: var.clone(),
                connections: same,
            });
        }
    }
    Ok(wanted)
}

/// Becomes `command` (exec(2)); returns only when that fails.
#[cfg(unix)]
fn replace_with(mut command: Command, program: &str) -> Result<u8> {
    use std::os::unix::process::CommandExt;
    let source = command.exec();
    Err(Error::ExecFailed {
        program: program.to_string(),
        source,
    })
}

/// Runs `command` and returns its exit status.
#[cfg(not(unix))]
fn replace_with(mut command: Command, program: &str) -> Result<u8> {
    let status = command.status().map_err(|source| Error::ExecFailed {
        program: program.to_string(),
        source,
    })?;
    Ok(status
        .code()
        .and_then(|c| u8::try_from(c).ok())
        .unwrap_or(crate::exit::FAILURE))
}
