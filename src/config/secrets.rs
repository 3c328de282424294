//! Turning a secret reference into the secret.
//!
//! `{ env = "VAR" }` reads the variable; `{ command = [...] }` runs the
//! command and takes its trimmed stdout (a failure names the command and
//! its status, never its output); `{ keyring = true }` reads the token
//! store through the closure the caller passes, so this module needs no
//! store; `{ value = "…" }` is the value itself; `{ file = "PATH" }` reads
//! a file only its owner may read, as ssh reads a private key: the mode
//! and owner are checked on the opened file (not on the path, which could
//! be swapped in between), and one trailing newline is dropped. A relative
//! path or one starting with `~` is anchored when the config loads
//! ([`anchor`]).

use std::io::Read;
use std::path::{Path, PathBuf};
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
        SecretRef::File(path) => read_private_file(Path::new(path)).map_err(fail)?,
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
    /// A `{ file = }` that cannot be opened or read; `detail` is the OS's
    /// reason.
    FileUnreadable {
        path: PathBuf,
        detail: String,
    },
    /// A `{ file = }` its group or other users may use: its mode.
    FileNotPrivate {
        path: PathBuf,
        mode: u32,
    },
    /// A `{ file = }` another user owns: that user's id.
    FileNotOwned {
        path: PathBuf,
        owner: u32,
    },
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
            SecretProblem::FileUnreadable { path, detail } => {
                write!(f, "cannot read {}: {detail}", path.display())
            }
            SecretProblem::FileNotPrivate { path, mode } => write!(
                f,
                "{} is not private (mode {mode:04o}); refusing to read it (`chmod 600 {}`)",
                path.display(),
                path.display()
            ),
            SecretProblem::FileNotOwned { path, owner } => write!(
                f,
                "{} is owned by uid {owner}, not by you; refusing to read it",
                path.display()
            ),
        }
    }
}

/// The path of a `{ file = }` reference as written in the config at
/// `config_file`: `~/…` in the home folder, a relative path in the config
/// file's folder, an absolute one as it is.
pub fn anchor(path: &str, config_file: &Path) -> PathBuf {
    let home = || std::env::var_os("HOME").map(PathBuf::from);
    if path == "~" {
        return home().unwrap_or_else(|| PathBuf::from(path));
    }
    if let Some(rest) = path.strip_prefix("~/")
        && let Some(home) = home()
    {
        return home.join(rest);
    }
    let path = Path::new(path);
    match config_file.parent() {
        Some(folder) if path.is_relative() => folder.join(path),
        _ => path.to_path_buf(),
    }
}

/// The text of a file only its owner can use, less one trailing newline.
fn read_private_file(path: &Path) -> std::result::Result<Secret, SecretProblem> {
    let unreadable = |e: std::io::Error| SecretProblem::FileUnreadable {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    check_private(path, &file.metadata().map_err(unreadable)?)?;
    let mut text = String::new();
    file.read_to_string(&mut text).map_err(unreadable)?;
    let trimmed = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(&text);
    Ok(Secret::new(trimmed))
}

/// Refuses a file another user owns or that its group or others may use.
#[cfg(unix)]
fn check_private(path: &Path, meta: &std::fs::Metadata) -> std::result::Result<(), SecretProblem> {
    use std::os::unix::fs::MetadataExt;
    let me = rustix::process::geteuid().as_raw();
    if meta.uid() != me {
        return Err(SecretProblem::FileNotOwned {
            path: path.to_path_buf(),
            owner: meta.uid(),
        });
    }
    if meta.mode() & 0o077 != 0 {
        return Err(SecretProblem::FileNotPrivate {
            path: path.to_path_buf(),
            mode: meta.mode() & 0o7777,
        });
    }
    Ok(())
}

/// Elsewhere the file's ACL is the user's business.
#[cfg(not(unix))]
fn check_private(_: &Path, _: &std::fs::Metadata) -> std::result::Result<(), SecretProblem> {
    Ok(())
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

    #[cfg(unix)]
    #[test]
    fn a_file_must_be_private_and_loses_one_newline() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key.pem");
        std::fs::write(&path, "-----KEY-----\n\n").unwrap();
        let reference = SecretRef::File(path.to_string_lossy().into_owned());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        assert_eq!(
            resolve(&reference, "private key", none)
                .unwrap_err()
                .to_string(),
            format!(
                "could not read the private key: {0} is not private (mode 0640); refusing to read it (`chmod 600 {0}`)",
                path.display()
            )
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let secret = resolve(&reference, "private key", none).unwrap();
        assert_eq!(secret.expose(), "-----KEY-----\n");
        let missing = SecretRef::File(dir.path().join("nope").to_string_lossy().into_owned());
        assert!(
            resolve(&missing, "x", none)
                .unwrap_err()
                .to_string()
                .starts_with("could not read the x: cannot read ")
        );
    }

    #[test]
    fn file_paths_are_anchored_at_the_config_folder() {
        let config = Path::new("/c/tether/tether.toml");
        assert_eq!(anchor("key.pem", config), Path::new("/c/tether/key.pem"));
        assert_eq!(anchor("/k/key.pem", config), Path::new("/k/key.pem"));
        if let Some(home) = std::env::var_os("HOME") {
            assert_eq!(anchor("~/k.pem", config), Path::new(&home).join("k.pem"));
        }
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
