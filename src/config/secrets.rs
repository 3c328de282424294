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
    let fail = |reason: String| Error::Secret {
        what: what.to_string(),
        reason,
    };
    let secret = match reference {
        SecretRef::Env(var) => match std::env::var(var) {
            Ok(value) => Secret::new(value),
            Err(std::env::VarError::NotPresent) => {
                return Err(fail(format!("the environment variable `{var}` is not set")));
            }
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(fail(format!("the environment variable `{var}` is not UTF-8")));
            }
        },
        SecretRef::Command(argv) => run_command(argv).map_err(fail)?,
        SecretRef::Keyring => from_store()?.ok_or_else(|| {
            fail("it is not in the token store; set it with `tether service edit NAME --client-secret-prompt`".into())
        })?,
        SecretRef::Value(value) => Secret::new(value.clone()),
    };
    if secret.expose().is_empty() {
        return Err(fail("it is empty".into()));
    }
    Ok(secret)
}

fn run_command(argv: &[String]) -> std::result::Result<Secret, String> {
    let Some((program, args)) = argv.split_first() else {
        return Err("the command is empty".into());
    };
    let shown = argv.join(" ");
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("could not run `{shown}`: {e}"))?;
    if !output.status.success() {
        return Err(format!("`{shown}` failed ({})", output.status));
    }
    let text = String::from_utf8(output.stdout)
        .map_err(|_| format!("`{shown}` printed something that is not UTF-8"))?;
    Ok(Secret::new(text.trim().to_string()))
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
        assert!(err.contains("`sh -c echo leaked; exit 3` failed"), "{err}");
        assert!(!err.contains("leaked\n"));
    }

    #[test]
    fn missing_env_and_store() {
        let env = SecretRef::Env("TETHER_TEST_SURELY_UNSET".into());
        assert!(
            resolve(&env, "x", none)
                .unwrap_err()
                .to_string()
                .contains("is not set")
        );
        assert!(resolve(&SecretRef::Keyring, "x", none).is_err());
        let stored = || Ok(Some(Secret::new("v")));
        assert_eq!(
            resolve(&SecretRef::Keyring, "x", stored).unwrap().expose(),
            "v"
        );
    }
}
