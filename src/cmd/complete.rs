//! Completion of names at the shell's request: connection, service and
//! template names complete in every shell clap_complete knows, as `gh` and
//! `rclone` complete theirs.
//!
//! The shell registers once (`source <(COMPLETE=bash tether)`) and then
//! runs `COMPLETE=bash tether -- tether invoke gh-<TAB>` for each
//! completion: [`respond`] answers such a run before anything else, from
//! the command line of `cli` with the completers attached here, so `cli`
//! stays clap-only and the static scripts in `completions/` stay as they
//! are. The names come from the config file (`TETHER_CONFIG` or the
//! default path); a config that cannot be read completes no names.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use clap::{Arg, CommandFactory};
use clap_complete::CompleteEnv;
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};

use crate::cli::Cli;
use crate::config::{self, Config, Paths};
use crate::{exit, providers};

/// Answers a shell's completion request (`COMPLETE` is set): writes the
/// registration script or the candidates and returns the exit code.
/// `None` when this run is not a completion request.
pub fn respond(args: &[OsString]) -> Option<u8> {
    let current_dir = std::env::current_dir().ok();
    match CompleteEnv::with_factory(command).try_complete(args.to_vec(), current_dir.as_deref()) {
        Ok(true) => Some(exit::OK),
        Ok(false) => None,
        Err(e) => {
            // As clap words its errors, with the final newline its I/O
            // errors (an unknown shell) lack.
            let _ = writeln!(std::io::stderr(), "{}", e.to_string().trim_end());
            Some(u8::try_from(e.exit_code()).unwrap_or(exit::USAGE))
        }
    }
}

/// The command line with a completer on every argument that names a
/// connection, a service or a template.
pub fn command() -> clap::Command {
    // In place: `mut_arg` would move a positional argument to the end.
    let on = |id: &'static str, completer: fn(Arg) -> Arg| {
        move |command: clap::Command| {
            command.mut_args(|arg| match arg.get_id() == id {
                true => completer(arg),
                false => arg,
            })
        }
    };
    Cli::command()
        .mut_subcommand("connect", |c| {
            on("service", services)(on("name", connections)(c))
        })
        .mut_subcommand("connection", |c| {
            ["show", "remove", "export", "import"]
                .into_iter()
                .fold(c, |c, sub| c.mut_subcommand(sub, on("name", connections)))
        })
        .mut_subcommand("disconnect", on("name", connections))
        .mut_subcommand("invoke", on("name", connections))
        .mut_subcommand("token", on("name", connections))
        .mut_subcommand("service", |c| {
            ["show", "edit", "remove"]
                .into_iter()
                .fold(c, |c, sub| c.mut_subcommand(sub, on("name", services)))
                .mut_subcommand("add", on("from", templates))
                .mut_subcommand("templates", |t| {
                    t.mut_subcommand("show", on("name", templates))
                })
        })
}

fn connections(arg: Arg) -> Arg {
    arg.add(ArgValueCandidates::new(connection_names))
}

fn services(arg: Arg) -> Arg {
    arg.add(ArgValueCandidates::new(service_names))
}

fn templates(arg: Arg) -> Arg {
    arg.add(ArgValueCandidates::new(template_names))
}

/// Each connection, with its service as the description.
fn connection_names() -> Vec<CompletionCandidate> {
    let Some(config) = read_config() else {
        return Vec::new();
    };
    config
        .connections
        .iter()
        .map(|(name, connection)| candidate(name, format!("service {}", connection.service)))
        .collect()
}

/// Each service, with its auth kind as the description.
fn service_names() -> Vec<CompletionCandidate> {
    let Some(config) = read_config() else {
        return Vec::new();
    };
    config
        .services
        .iter()
        .map(|(name, service)| candidate(name, service.auth.to_string()))
        .collect()
}

/// Each built-in template, with the provider's name as the description.
fn template_names() -> Vec<CompletionCandidate> {
    providers::all()
        .iter()
        .map(|template| candidate(template.name, template.display_name.clone()))
        .collect()
}

fn candidate(name: &str, help: String) -> CompletionCandidate {
    CompletionCandidate::new(name).help(Some(help.into()))
}

/// The config the command would read, when it reads without error.
fn read_config() -> Option<Config> {
    let flag = std::env::var_os("TETHER_CONFIG").map(PathBuf::from);
    let paths = Paths::resolve(flag.as_deref()).ok()?;
    config::load(&paths.config_file)
        .ok()
        .map(|loaded| loaded.config)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The argument `arg` of the command at `path`.
    fn arg<'a>(command: &'a clap::Command, path: &[&str], arg: &str) -> &'a Arg {
        let mut command = command;
        for name in path {
            command = command.find_subcommand(name).expect(name);
        }
        command
            .get_arguments()
            .find(|a| a.get_id() == arg)
            .unwrap_or_else(|| panic!("{path:?} has no {arg}"))
    }

    #[test]
    fn every_name_argument_has_a_completer() {
        let command = command();
        command.clone().debug_assert();
        for (path, name) in [
            (&["connect"][..], "name"),
            (&["connect"], "service"),
            (&["connection", "show"], "name"),
            (&["connection", "remove"], "name"),
            (&["connection", "export"], "name"),
            (&["connection", "import"], "name"),
            (&["disconnect"], "name"),
            (&["invoke"], "name"),
            (&["token"], "name"),
            (&["service", "show"], "name"),
            (&["service", "edit"], "name"),
            (&["service", "remove"], "name"),
            (&["service", "add"], "from"),
            (&["service", "templates", "show"], "name"),
        ] {
            assert!(
                arg(&command, path, name)
                    .get::<ArgValueCandidates>()
                    .is_some(),
                "{path:?} {name}"
            );
        }
        assert!(
            arg(&command, &["service", "add"], "name")
                .get::<ArgValueCandidates>()
                .is_none(),
            "a new service's name is the user's to choose"
        );
    }

    #[test]
    fn templates_complete_with_their_display_names() {
        let names = template_names();
        let github = names
            .iter()
            .find(|c| c.get_value() == "github")
            .expect("the github template");
        assert_eq!(github.get_help().unwrap().to_string(), "GitHub");
    }
}
