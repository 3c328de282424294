//! Token stores (DESIGN §3): where connection records and stored client
//! secrets live.
//!
//! * [`record`] — the connection record and its lifecycle ([`TokenState`])
//! * [`keyring`] — the OS keyring (default where one answers)
//! * [`file`] — 0600 JSON files in a 0700 folder (headless machines)
//! * [`env`] — `TETHER_CONNECTION_<NAME>`: a connection exported for CI,
//!   read-only, refreshed in memory
//! * [`lock`] — the per-connection lock that serializes refreshes
//!
//! [`Store::open`] picks the store once per run: `TETHER_STORE`, else the
//! config's `store`, and opens it on first use. With `auto` it asks the
//! keyring once, within
//! [`keyring::PROBE_TIMEOUT`], and falls back to files with one warning
//! line when nothing answers: a locked, absent or silent keyring never
//! makes tether hang. Every name given to a store is checked with
//! [`check_name`](crate::config::validate::check_name) first, so it can
//! become a file name or a keyring account without escaping either.
//!
//! Reading a record is only reading: refreshing is the caller's, under
//! [`lock::lock`] — take the lock, load again, refresh if still due, save,
//! drop the lock.

pub mod env;
pub mod file;
pub mod keyring;
pub mod lock;
pub mod record;
#[cfg(all(unix, not(target_os = "macos")))]
pub mod secret_service;

use std::fmt;
use std::path::PathBuf;

use crate::config::{Paths, StoreChoice};
use crate::secret::Secret;
use crate::{Error, Result, ui};

pub use keyring::KeyringFailure;
pub use lock::{ConnectionLock, lock};
pub use record::{Record, RecordProblem, TokenState};

/// The environment variable that overrides the config's `store`.
pub const ENV_VAR: &str = "TETHER_STORE";

/// Which store a [`Store`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreKind {
    Keyring,
    File,
}

impl StoreKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StoreKind::Keyring => "keyring",
            StoreKind::File => "file",
        }
    }
}

impl fmt::Display for StoreKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What went wrong in a token store. Names the entry or the file, never a
/// value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreProblem {
    /// The OS keyring cannot be used at all.
    KeyringUnavailable(KeyringFailure),
    /// A read, write or delete of one keyring entry failed.
    KeyringCall {
        op: KeyringOp,
        account: String,
        failure: KeyringFailure,
    },
    /// A keyring entry holds bytes that are not UTF-8.
    NotText { account: String },
    /// A keyring entry or a token file holds no readable record: that of
    /// `connection`, which connecting again replaces.
    UnreadableRecord {
        place: Place,
        problem: RecordProblem,
        connection: String,
    },
    /// A client-secret file is not what tether writes there.
    NotClientSecret { path: PathBuf },
}

impl fmt::Display for StoreProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreProblem::KeyringUnavailable(failure) => write!(
                f,
                "the {} is not available ({failure}); to keep tokens in files instead, set `store = \"file\"` in the config or `{ENV_VAR}=file`",
                keyring::PLATFORM_NAME
            ),
            StoreProblem::KeyringCall {
                op,
                account,
                failure,
            } => write!(f, "cannot {op} {}: {failure}", EntryName(account)),
            StoreProblem::NotText { account } => write!(f, "{} is not text", EntryName(account)),
            StoreProblem::UnreadableRecord { place, problem, .. } => {
                write!(f, "{place} {problem}")
            }
            StoreProblem::NotClientSecret { path } => write!(
                f,
                "{} is not a stored client secret ({{\"client_secret\": \"…\"}})",
                path.display()
            ),
        }
    }
}

/// What a keyring call was doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyringOp {
    Read,
    Write,
    Delete,
}

impl fmt::Display for KeyringOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyringOp::Read => "read",
            KeyringOp::Write => "write",
            KeyringOp::Delete => "delete",
        })
    }
}

/// Where a store keeps one value, as errors name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The keyring entry of this account (service [`keyring::SERVICE`]).
    KeyringEntry(String),
    File(PathBuf),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::KeyringEntry(account) => EntryName(account).fmt(f),
            Place::File(path) => path.display().fmt(f),
        }
    }
}

/// How messages name a keyring entry: by account and service.
struct EntryName<'a>(&'a str);

impl fmt::Display for EntryName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "keyring entry `{}` (service `{}`)",
            self.0,
            keyring::SERVICE
        )
    }
}

/// Where the record of one connection is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeldIn {
    /// `TETHER_CONNECTION_<NAME>`: read-only, refreshed in memory.
    Env,
    /// The store of this run.
    Store(StoreKind),
}

impl HeldIn {
    /// As `connection list --json` prints it: `env`, `keyring` or `file`.
    pub fn as_str(self) -> &'static str {
        match self {
            HeldIn::Env => "env",
            HeldIn::Store(kind) => kind.as_str(),
        }
    }
}

/// A secret-holding entry of a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry<'a> {
    /// The record of a connection, as JSON text.
    Connection(&'a str),
    /// The client secret of a service (`client_secret = { keyring = true }`).
    ClientSecret(&'a str),
}

/// The token store of this run.
#[derive(Debug)]
pub struct Store {
    choice: StoreChoice,
    paths: Paths,
    /// Opened on first use: a run that only reads `TETHER_CONNECTION_*`
    /// never probes the keyring.
    backend: std::cell::OnceCell<Backend>,
    env: env::EnvRecords,
}

#[derive(Debug)]
enum Backend {
    Keyring(keyring::KeyringStore),
    File(file::FileStore),
}

impl Store {
    /// Prepares the store: `env` (the value of `TETHER_STORE`, when set and
    /// not empty) overrides `choice` (the config's `store`). Nothing is
    /// opened yet.
    ///
    /// On first use, `auto` probes the keyring within
    /// [`keyring::PROBE_TIMEOUT`] and falls back to the file store with one
    /// warning on stderr. An explicitly chosen keyring that does not answer
    /// within [`keyring::CONNECT_TIMEOUT`] is an error.
    pub fn open(choice: StoreChoice, env: Option<&str>, paths: &Paths) -> Result<Store> {
        let choice = match env.filter(|v| !v.is_empty()) {
            Some(value) => parse_choice(value)?,
            None => choice,
        };
        Ok(Store {
            choice,
            paths: paths.clone(),
            backend: std::cell::OnceCell::new(),
            env: env::EnvRecords::from_process(),
        })
    }

    /// The file store in `paths`, with no probing; for tests and tools.
    pub fn file(paths: &Paths) -> Store {
        Store {
            choice: StoreChoice::File,
            paths: paths.clone(),
            backend: std::cell::OnceCell::from(Backend::File(file::FileStore::new(paths))),
            env: env::EnvRecords::default(),
        }
    }

    fn backend(&self) -> Result<&Backend> {
        if let Some(backend) = self.backend.get() {
            return Ok(backend);
        }
        let backend = match self.choice {
            StoreChoice::File => Backend::File(file::FileStore::new(&self.paths)),
            StoreChoice::Keyring => {
                let keyring = keyring::KeyringStore::new();
                keyring.connect(keyring::CONNECT_TIMEOUT)?;
                Backend::Keyring(keyring)
            }
            StoreChoice::Auto => {
                let keyring = keyring::KeyringStore::new();
                match keyring.probe(keyring::PROBE_TIMEOUT) {
                    Ok(()) => Backend::Keyring(keyring),
                    Err(failure) => {
                        let files = file::FileStore::new(&self.paths);
                        ui::warn(&fallback_warning(&failure, files.dir()));
                        Backend::File(files)
                    }
                }
            }
        };
        Ok(self.backend.get_or_init(|| backend))
    }

    pub fn kind(&self) -> Result<StoreKind> {
        Ok(match self.backend()? {
            Backend::Keyring(_) => StoreKind::Keyring,
            Backend::File(_) => StoreKind::File,
        })
    }

    /// Where the record of `connection` is held: the environment when it
    /// comes from `TETHER_CONNECTION_<NAME>`, else this store.
    pub fn held_in(&self, connection: &str) -> Result<HeldIn> {
        if self.env.has(connection) {
            return Ok(HeldIn::Env);
        }
        Ok(HeldIn::Store(self.kind()?))
    }

    /// Whether the OS keyring answers, within the `auto` probe's bound;
    /// `Err` says why not. Does not change which store this one is.
    pub fn keyring_answers() -> std::result::Result<(), KeyringFailure> {
        keyring::KeyringStore::new().probe(keyring::PROBE_TIMEOUT)
    }

    /// Where this store keeps tokens, for people: `keyring (Secret
    /// Service)`, `file (/path)`.
    pub fn location(&self) -> Result<String> {
        Ok(match self.backend()? {
            Backend::Keyring(_) => format!("keyring ({})", keyring::PLATFORM_NAME),
            Backend::File(files) => format!("file ({})", files.dir().display()),
        })
    }

    /// The record of `connection`; `None` when it has none. A record in
    /// `TETHER_CONNECTION_<NAME>` comes first.
    pub fn load(&self, connection: &str) -> Result<Option<Record>> {
        if let Some(record) = self.env.load(connection)? {
            return Ok(Some(record));
        }
        match self.backend()? {
            Backend::Keyring(k) => match k.load(connection)? {
                Some(record) => Ok(Some(record)),
                None => self
                    .fallback_files()
                    .map_or(Ok(None), |f| f.load(connection)),
            },
            Backend::File(f) => f.load(connection),
        }
    }

    /// With `auto`, a run whose keyring probe failed keeps tokens in files;
    /// later runs that reach the keyring still find them there. `None`
    /// unless this store is `auto` and the keyring answered.
    fn fallback_files(&self) -> Option<file::FileStore> {
        (self.choice == StoreChoice::Auto).then(|| file::FileStore::new(&self.paths))
    }

    /// Stores the record of `connection`, replacing any earlier one in
    /// one step. A connection from the environment is kept in memory for
    /// the rest of the run: the environment is read-only.
    pub fn save(&self, connection: &str, record: &Record) -> Result<()> {
        if self.env.save(connection, record) {
            return Ok(());
        }
        match self.backend()? {
            Backend::Keyring(k) => k.save(connection, record),
            Backend::File(f) => f.save(connection, record),
        }
    }

    /// Puts back the newer record of `connection` that a write killed
    /// before its end left behind, and clears what such writes left; call
    /// it under the connection's [`lock`]. Only the file store leaves
    /// anything behind ([`file::FileStore::recover`]): a keyring replaces an
    /// entry in one step, and a connection from the environment is held in
    /// memory.
    pub fn recover(&self, connection: &str) -> Result<()> {
        if self.env.has(connection) {
            return Ok(());
        }
        match self.backend()? {
            Backend::File(f) => f.recover(connection).map(drop),
            Backend::Keyring(_) => Ok(()),
        }
    }

    /// For a connection from the environment whose refresh token the
    /// provider rotated during this run: the record as it is now.
    pub fn rotated_env_record(&self, connection: &str) -> Option<Record> {
        self.env.rotated(connection)
    }

    /// Deletes the record of `connection`; `false` when it had none.
    pub fn delete(&self, connection: &str) -> Result<bool> {
        self.delete_secret(Entry::Connection(connection))
    }

    /// The value of an entry; for [`Entry::Connection`], the record's JSON.
    pub fn get_secret(&self, entry: Entry<'_>) -> Result<Option<Secret>> {
        match self.backend()? {
            Backend::Keyring(k) => match k.get_secret(entry)? {
                Some(secret) => Ok(Some(secret)),
                None => self
                    .fallback_files()
                    .map_or(Ok(None), |f| f.get_secret(entry)),
            },
            Backend::File(f) => f.get_secret(entry),
        }
    }

    /// Sets the value of an entry; for [`Entry::Connection`], the value
    /// must be a record's JSON.
    pub fn set_secret(&self, entry: Entry<'_>, value: &Secret) -> Result<()> {
        if let Entry::Connection(name) = entry {
            // Keep every record loadable.
            Record::parse(value.expose()).map_err(|problem| Error::NotARecord {
                connection: Some(name.to_string()),
                problem,
            })?;
        }
        match self.backend()? {
            Backend::Keyring(k) => k.set_secret(entry, value),
            Backend::File(f) => f.set_secret(entry, value),
        }
    }

    /// Deletes an entry; `false` when there was none. With `auto`, a copy
    /// left in the file store by an earlier fallback goes too.
    pub fn delete_secret(&self, entry: Entry<'_>) -> Result<bool> {
        match self.backend()? {
            Backend::Keyring(k) => {
                let deleted = k.delete_secret(entry)?;
                let stale = match self.fallback_files() {
                    Some(files) => files.delete_secret(entry)?,
                    None => false,
                };
                Ok(deleted || stale)
            }
            Backend::File(f) => f.delete_secret(entry),
        }
    }
}

/// Reads the value of `TETHER_STORE`.
fn parse_choice(value: &str) -> Result<StoreChoice> {
    match value {
        "auto" => Ok(StoreChoice::Auto),
        "keyring" => Ok(StoreChoice::Keyring),
        "file" => Ok(StoreChoice::File),
        other => Err(Error::InvalidStoreChoice {
            value: other.to_string(),
        }),
    }
}

fn fallback_warning(failure: &KeyringFailure, dir: &std::path::Path) -> String {
    format!(
        "no OS keyring answered ({failure}); keeping tokens in files under {} instead (set `store = \"file\"` in the config to choose this and silence this warning)",
        dir.display()
    )
}

/// Checks a connection or service name before it becomes a file name or a
/// keyring account.
pub(crate) fn check_name(name: &str) -> Result<()> {
    crate::config::validate::check_name(name).map_err(Error::InvalidValue)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(root: &std::path::Path) -> Paths {
        Paths {
            config_file: root.join("config/tether.toml"),
            data_dir: root.join("data/tether"),
            state_dir: root.join("state/tether"),
        }
    }

    #[test]
    fn env_overrides_the_config_and_is_checked() {
        let root = tempfile::tempdir().unwrap();
        let paths = paths(root.path());
        let store = Store::open(StoreChoice::Keyring, Some("file"), &paths).unwrap();
        assert_eq!(store.kind().unwrap(), StoreKind::File);
        assert_eq!(
            store.location().unwrap(),
            format!(
                "file ({})",
                root.path().join("data/tether/tokens").display()
            )
        );

        let err = Store::open(StoreChoice::File, Some("vault"), &paths).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`TETHER_STORE` is `vault`, which is not a token store"
        );
        assert_eq!(err.exit_code(), crate::error::exit::USAGE);
        assert!(err.hint().unwrap().contains("`file`"));

        // Empty counts as unset.
        let store = Store::open(StoreChoice::File, Some(""), &paths).unwrap();
        assert_eq!(store.kind().unwrap(), StoreKind::File);
    }

    #[test]
    fn store_round_trip_through_the_facade() {
        let root = tempfile::tempdir().unwrap();
        let store = Store::file(&paths(root.path()));
        let record = Record {
            service: "gh".into(),
            access_token: Some(Secret::new("tok")),
            ..Record::default()
        };
        store.save("gh", &record).unwrap();
        assert_eq!(store.load("gh").unwrap(), Some(record.clone()));
        let err = store
            .set_secret(Entry::Connection("gh"), &Secret::new("tok-leak"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`gh` is not a token record") && !err.contains("tok-leak"),
            "{err}"
        );
        assert_eq!(store.load("gh").unwrap(), Some(record), "left as it was");
        assert!(store.delete("gh").unwrap());
        assert!(!store.delete("gh").unwrap());
        assert_eq!(store.load("gh").unwrap(), None);
    }

    #[test]
    fn kinds_print_as_their_config_names() {
        assert_eq!(StoreKind::Keyring.to_string(), "keyring");
        assert_eq!(StoreKind::File.as_str(), "file");
        assert_eq!(HeldIn::Env.as_str(), "env");
        assert_eq!(HeldIn::Store(StoreKind::File).as_str(), "file");
    }

    #[test]
    fn a_connection_from_the_environment_is_held_there() {
        let root = tempfile::tempdir().unwrap();
        let mut store = Store::file(&paths(root.path()));
        let record = Record {
            service: "gh".into(),
            ..Record::default()
        };
        store.env = env::EnvRecords::with_var("ci", &record);
        assert_eq!(store.held_in("ci").unwrap(), HeldIn::Env);
        assert_eq!(
            store.held_in("local").unwrap(),
            HeldIn::Store(StoreKind::File)
        );
    }
}
