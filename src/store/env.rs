//! Connections carried in the environment, for CI (DESIGN §3).
//!
//! `tether connection export NAME` prints one line: `tether1.` followed by
//! the record's JSON in unpadded base64url. A job puts it in
//! `TETHER_CONNECTION_<NAME>` (the name upper-cased, `-` and `.` as `_`)
//! and tether uses it with no keyring and no token file. The environment
//! is read-only: a refreshed record lives in memory for the rest of the
//! run, and [`EnvRecords::rotated`] tells the caller when the provider
//! rotated the refresh token, so that the job can store the new blob:
//! [`hand_over`] gives it to the connection's `on_rotate` command.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::process::ExitStatus;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::Record;
use super::record::RecordProblem;
use crate::secret::Secret;
use crate::{Error, Result};

/// The prefix of the variables.
pub const PREFIX: &str = "TETHER_CONNECTION_";

/// What starts every blob; the version lets a later format coexist.
const MAGIC: &str = "tether1.";

/// The variable that carries `connection`.
pub fn var_name(connection: &str) -> String {
    let name: String = connection
        .chars()
        .map(|c| match c {
            '-' | '.' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect();
    format!("{PREFIX}{name}")
}

/// The one-line blob of `record`. It holds the tokens: it is a secret.
pub fn encode(record: &Record) -> Secret {
    Secret::new(format!(
        "{MAGIC}{}",
        URL_SAFE_NO_PAD.encode(record.to_json())
    ))
}

/// Reads a blob; the error never quotes it.
pub fn decode(blob: &str) -> std::result::Result<Record, BlobProblem> {
    let body = blob
        .trim()
        .strip_prefix(MAGIC)
        .ok_or(BlobProblem::NoMagic)?;
    let bytes = URL_SAFE_NO_PAD
        .decode(body.trim_end_matches('='))
        .map_err(|_| BlobProblem::NotBase64)?;
    let text = String::from_utf8(bytes).map_err(|_| BlobProblem::NotUtf8)?;
    Record::parse(&text).map_err(BlobProblem::NotARecord)
}

/// Why a text is not an exported connection. Never quotes the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlobProblem {
    /// It does not start with `tether1.`.
    NoMagic,
    NotBase64,
    NotUtf8,
    /// The decoded text is not a record.
    NotARecord(RecordProblem),
}

impl std::fmt::Display for BlobProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BlobProblem::NoMagic => write!(f, "it does not start with `{MAGIC}`"),
            BlobProblem::NotBase64 => f.write_str("it is not valid base64url"),
            BlobProblem::NotUtf8 => f.write_str("it is not UTF-8"),
            BlobProblem::NotARecord(problem) => problem.fmt(f),
        }
    }
}

/// Where an exported connection was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobSource {
    /// `TETHER_CONNECTION_<NAME>` of this connection.
    Var { connection: String },
    /// `tether connection import`.
    Stdin,
}

impl std::fmt::Display for BlobSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BlobSource::Var { connection } => write!(f, "`{}`", var_name(connection)),
            BlobSource::Stdin => f.write_str("standard input"),
        }
    }
}

/// The `TETHER_CONNECTION_*` variables of this process, and the records
/// refreshed from them during the run.
#[derive(Debug, Default)]
pub struct EnvRecords {
    vars: BTreeMap<String, Secret>,
    memory: RefCell<BTreeMap<String, Record>>,
}

impl EnvRecords {
    /// Reads the variables of this process.
    pub fn from_process() -> EnvRecords {
        let vars = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .filter(|(k, v)| k.starts_with(PREFIX) && !v.is_empty())
            .map(|(k, v)| (k, Secret::new(v)))
            .collect();
        EnvRecords {
            vars,
            memory: RefCell::default(),
        }
    }

    /// Records as if `connection`'s variable held `record`.
    #[cfg(test)]
    pub(crate) fn with_var(connection: &str, record: &Record) -> EnvRecords {
        EnvRecords {
            vars: BTreeMap::from([(var_name(connection), encode(record))]),
            memory: RefCell::default(),
        }
    }

    /// Whether `connection` comes from the environment.
    pub fn has(&self, connection: &str) -> bool {
        self.vars.contains_key(&var_name(connection))
    }

    fn original(&self, connection: &str) -> Result<Option<Record>> {
        let Some(blob) = self.vars.get(&var_name(connection)) else {
            return Ok(None);
        };
        decode(blob.expose())
            .map(Some)
            .map_err(|problem| Error::InvalidExport {
                from: BlobSource::Var {
                    connection: connection.to_string(),
                },
                problem,
            })
    }

    /// The record of `connection` from the environment, as refreshed
    /// during this run.
    pub fn load(&self, connection: &str) -> Result<Option<Record>> {
        if let Some(record) = self.memory.borrow().get(connection) {
            return Ok(Some(record.clone()));
        }
        self.original(connection)
    }

    /// Keeps `record` in memory when `connection` comes from the
    /// environment; `false` when it does not.
    pub fn save(&self, connection: &str, record: &Record) -> bool {
        if !self.has(connection) {
            return false;
        }
        self.memory
            .borrow_mut()
            .insert(connection.to_string(), record.clone());
        true
    }

    /// The record as it is now, when the provider rotated the refresh token
    /// the environment holds.
    pub fn rotated(&self, connection: &str) -> Option<Record> {
        let now = self.memory.borrow().get(connection).cloned()?;
        let original = self.original(connection).ok().flatten()?;
        (now.refresh_token.is_some() && now.refresh_token != original.refresh_token).then_some(now)
    }
}

/// What became of a rotated record.
#[derive(Debug)]
pub enum HandOver {
    /// The `on_rotate` command took the new blob and succeeded.
    Stored,
    /// The connection has no `on_rotate` command.
    NoHook,
    /// The command ran and failed.
    HookFailed(ExitStatus),
    /// The command could not be run.
    HookNotRun {
        program: String,
        error: std::io::Error,
    },
}

impl HandOver {
    /// The warning for `connection` when the variable is now stale.
    pub fn warning(&self, connection: &str) -> Option<String> {
        let var = var_name(connection);
        match self {
            HandOver::Stored => None,
            HandOver::NoHook => Some(format!(
                "the provider rotated the refresh token of `{connection}`: `{var}` is now stale; \
                 set `on_rotate` on the connection to store the new one (see `tether connection export`)"
            )),
            HandOver::HookFailed(status) => Some(format!(
                "the on_rotate hook of `{connection}` failed ({status}): `{var}` is now stale"
            )),
            HandOver::HookNotRun { program, error } => Some(format!(
                "could not run the on_rotate hook of `{connection}` (`{program}`: {error}): `{var}` is now stale"
            )),
        }
    }
}

/// Gives the new blob of `record` to the `on_rotate` command `hook` (an
/// argv) on its stdin; the command's stdout goes to tether's stderr, so
/// that it never mixes with what tether prints. Never fails: the request
/// was made, and the caller warns when the variable is now stale.
pub fn hand_over(hook: Option<&[String]>, record: &Record) -> HandOver {
    let Some((program, args)) = hook.and_then(<[String]>::split_first) else {
        return HandOver::NoHook;
    };
    let blob = encode(record);
    let result = crate::hook::run(program, args, blob.expose().as_bytes());
    match result {
        Ok(status) if status.success() => HandOver::Stored,
        Ok(status) => HandOver::HookFailed(status),
        Err(error) => HandOver::HookNotRun {
            program: program.clone(),
            error,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::AuthKind;

    #[test]
    fn names_and_round_trip() {
        assert_eq!(var_name("mc-prod.eu"), "TETHER_CONNECTION_MC_PROD_EU");
        let record = Record {
            service: "gh".into(),
            auth: AuthKind::Oauth2,
            refresh_token: Some(Secret::new("r1")),
            obtained_at: 5,
            ..Record::default()
        };
        let blob = encode(&record);
        // `{"service":"gh","auth":"oauth2","refresh_token":"r1","obtained_at":5}`
        assert_eq!(
            blob.expose(),
            "tether1.eyJzZXJ2aWNlIjoiZ2giLCJhdXRoIjoib2F1dGgyIiwicmVmcmVzaF90b2tlbiI6InIxIiwib2J0YWluZWRfYXQiOjV9"
        );
        assert_eq!(decode(blob.expose()).unwrap(), record);
        assert_eq!(
            decode(&format!("  {}=\n", blob.expose())).unwrap(),
            record,
            "padding and blanks around it are forgiven"
        );
        assert_eq!(
            decode("tether1.!!!").unwrap_err().to_string(),
            "it is not valid base64url"
        );
        assert_eq!(
            decode("hunter2").unwrap_err().to_string(),
            "it does not start with `tether1.`"
        );
    }

    #[test]
    fn rotation_is_noticed_in_memory_only() {
        let record = Record {
            service: "gh".into(),
            auth: AuthKind::Oauth2,
            refresh_token: Some(Secret::new("r1")),
            ..Record::default()
        };
        let mut env = EnvRecords::default();
        env.vars.insert(var_name("c"), encode(&record));
        assert!(env.has("c") && !env.has("d"));
        assert!(!env.save("d", &record));
        assert!(env.save("c", &record));
        assert_eq!(env.rotated("c"), None);
        let mut rotated = record;
        rotated.refresh_token = Some(Secret::new("r2"));
        assert!(env.save("c", &rotated));
        assert_eq!(env.load("c").unwrap(), Some(rotated.clone()));
        assert_eq!(env.rotated("c"), Some(rotated));
        // The variable itself is not touched.
        assert_eq!(
            decode(env.vars[&var_name("c")].expose())
                .unwrap()
                .refresh_token,
            Some(Secret::new("r1"))
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_rotated_record_goes_to_the_hook_on_stdin() {
        let record = Record {
            service: "gh".into(),
            refresh_token: Some(Secret::new("r2")),
            ..Record::default()
        };
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("blob");
        let hook = [
            "sh".to_string(),
            "-c".to_string(),
            format!("cat > '{}'", out.display()),
        ];
        let handed = hand_over(Some(&hook), &record);
        assert!(matches!(handed, HandOver::Stored), "{handed:?}");
        assert!(handed.warning("ci-bot").is_none());
        let blob = std::fs::read_to_string(&out).unwrap();
        assert_eq!(blob, format!("{}\n", encode(&record).expose()));
        assert_eq!(decode(&blob).unwrap(), record);
    }

    #[cfg(unix)]
    #[test]
    fn a_stale_variable_is_warned_about_without_the_blob() {
        let record = Record {
            refresh_token: Some(Secret::new("r2-secret")),
            ..Record::default()
        };
        let none = hand_over(None, &record);
        assert!(matches!(none, HandOver::NoHook), "{none:?}");
        assert_eq!(
            none.warning("ci-bot").unwrap(),
            "the provider rotated the refresh token of `ci-bot`: `TETHER_CONNECTION_CI_BOT` is now stale; \
             set `on_rotate` on the connection to store the new one (see `tether connection export`)"
        );
        let empty: [String; 0] = [];
        assert!(matches!(hand_over(Some(&empty), &record), HandOver::NoHook));

        let reads_then_fails = ["sh", "-c", "cat > /dev/null; exit 3"].map(String::from);
        let failed = hand_over(Some(&reads_then_fails), &record);
        let warning = failed.warning("ci-bot").unwrap();
        assert!(
            warning.starts_with("the on_rotate hook of `ci-bot` failed (")
                && warning.ends_with("): `TETHER_CONNECTION_CI_BOT` is now stale"),
            "{warning}"
        );

        let missing = hand_over(Some(&["/nonexistent/hook".to_string()]), &record);
        let warning = missing.warning("ci-bot").unwrap();
        assert!(
            warning
                .starts_with("could not run the on_rotate hook of `ci-bot` (`/nonexistent/hook`: "),
            "{warning}"
        );
        for warning in [failed.warning("ci-bot"), missing.warning("ci-bot")] {
            assert!(!warning.unwrap().contains("r2-secret"));
        }
    }
}
