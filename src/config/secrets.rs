//! Turning a secret reference into the secret.
//!
//! `{ env = "VAR" }` reads the variable; `{ command = [...] }` runs the
//! command and takes its trimmed stdout (a failure names the command and
//! its status, never its output); `{ keyring = true }` reads the token
//! store through the closure the caller passes, so this module needs no
//! store; `{ value = "…" }` is the value itself.

use std::process::{Command, Stdio};

use super::model::SecretRef;
use crate::secret::Secret;
use crate::{Error, Result};

/// Resolves `reference`; `what` names the secret in errors ("client secret
/// of service `gh`"); `from_store` reads a `{ keyring = true }` secret.
pub fn resolve(
    reference: &SecretRef,
    what: &str,
    from_store: impl FnOnce() -> Result<Option<Secret>>,
) -> Result<Secret> {
    let fail = |problem: SecretProblem| Error::Secret {
        what: what.to_string(),
        problem,
    };
    let secret = match reference {
        SecretRef::Env(var) => match std::env::var(var) {
            Ok(value) => Secret::new(value),
            Err(std::env::VarError::NotPresent) => {
                return Err(fail(SecretProblem::EnvUnset { var: var.clone() }));
            }
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(fail(SecretProblem::EnvNotUtf8 { var: var.clone() }));
            }
        },
        SecretRef::Command(argv) => run_command(argv).map_err(fail)?,
        SecretRef::Keyring => from_store()?.ok_or_else(|| fail(SecretProblem::NotInStore))?,
        SecretRef::Value(value) => Secret::new(value.clone()),
    };
    if secret.expose().is_empty() {
        return Err(fail(SecretProblem::Empty));
    }
    Ok(secret)
}

/// Why a secret reference gave no secret. Never holds the secret, nor a
/// command's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretProblem {
    EnvUnset {
        var: String,
    },
    EnvNotUtf8 {
        var: String,
    },
    EmptyCommand,
    /// The command could not be started; `detail` is the OS's reason.
    CannotRun {
        command: String,
        detail: String,
    },
    CommandFailed {
        command: String,
        status: String,
    },
    CommandNotUtf8 {
        command: String,
    },
    NotInStore,
    Empty,
}

impl std::fmt::Display for SecretProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SecretProblem::EnvUnset { var } => {
                write!(f, "the environment variable `{var}` is not set")
            }
            SecretProblem::EnvNotUtf8 { var } => {
                write!(f, "the environment variable `{var}` is not UTF-8")
            }
            SecretProblem::EmptyCommand => f.write_str("the command is empty"),
            SecretProblem::CannotRun { command, detail } => {
                write!(f, "could not run `{command}`: {detail}")
            }
            SecretProblem::CommandFailed { command, status } => {
                write!(f, "`{command}` failed ({status})")
            }
            SecretProblem::CommandNotUtf8 { command } => {
                write!(f, "`{command}` printed something that is not UTF-8")
            }
            SecretProblem::NotInStore => f.write_str(
                "it is not in the token store; set it with `tether service edit NAME --client-secret-prompt`",
            ),
            SecretProblem::Empty => f.write_str("it is empty"),
        }
    }
}

fn run_command(argv: &[String]) -> std::result::Result<Secret, SecretProblem> {
    let Some((program, args)) = argv.split_first() else {
        return Err(SecretProblem::EmptyCommand);
    };
    let command = argv.join(" ");
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .output();
    let output = match output {
        Ok(output) => output,
        Err(e) => {
            return Err(SecretProblem::CannotRun {
                command,
                detail: e.to_string(),
            });
        }
    };
    if !output.status.success() {
        return Err(SecretProblem::CommandFailed {
            command,
            status: output.status.to_string(),
        });
    }
    match String::from_utf8(output.stdout) {
        Ok(text) => Ok(Secret::new(text.trim().to_string())),
        Err(_) => Err(SecretProblem::CommandNotUtf8 { command }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> Result<Option<Secret>> {
        Ok(None)
    }

    #[test]
    fn command_output_is_trimmed_and_failures_hide_output() {
        let ok = SecretRef::Command(vec!["printf".into(), "  s3cr3t\n".into()]);
        assert_eq!(resolve(&ok, "x", none).unwrap().expose(), "s3cr3t");

        let bad = SecretRef::Command(vec!["sh".into(), "-c".into(), "echo leaked; exit 3".into()]);
        let err = resolve(&bad, "client secret", none)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "could not read the client secret: `sh -c echo leaked; exit 3` failed (exit status: 3)"
        );
    }

    #[test]
    fn missing_env_and_store() {
        let env = SecretRef::Env("TETHER_TEST_SURELY_UNSET".into());
        assert_eq!(
            resolve(&env, "x", none).unwrap_err().to_string(),
            "could not read the x: the environment variable `TETHER_TEST_SURELY_UNSET` is not set"
        );
        assert_eq!(
            resolve(&SecretRef::Keyring, "x", none)
                .unwrap_err()
                .to_string(),
            "could not read the x: it is not in the token store; set it with `tether service edit NAME --client-secret-prompt`"
        );
        let stored = || Ok(Some(Secret::new("v")));
        assert_eq!(
            resolve(&SecretRef::Keyring, "x", stored).unwrap().expose(),
            "v"
        );
    }
}
