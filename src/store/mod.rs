//! Token stores (DESIGN §3): where connection records and stored client
//! secrets live.
//!
//! * [`record`] — the connection record and its lifecycle ([`TokenState`])
//! * [`keyring`] — the OS keyring (default where one answers)
//! * [`file`] — 0600 JSON files in a 0700 folder (headless machines)
//! * [`env`] — `TETHER_CONNECTION_<NAME>`: a connection exported for CI,
//!   read-only, refreshed in memory
//! * [`lock`] — the per-connection lock that serializes refreshes
//! * [`postgres`] — a shared store on PostgreSQL (`[stores.NAME]`), whose
//!   row lock is the refresh lock of its connections
//! * [`seal`] — the AEAD that seals records before they reach a shared store
//!
//! A connection's record lives in the store it chooses (`store = "team"`
//! in its table), else in the config's `store`; client secrets stay in the
//! local store (`auto` when the config's `store` names a shared one).
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
pub mod postgres;
pub mod record;
pub mod seal;
#[cfg(all(unix, not(target_os = "macos")))]
pub mod secret_service;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::Duration;

use crate::config::{Config, Paths, SharedKind, SharedStore, StoreChoice};
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
    /// A shared store on PostgreSQL.
    Postgres,
}

impl StoreKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StoreKind::Keyring => "keyring",
            StoreKind::File => "file",
            StoreKind::Postgres => "postgres",
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
    /// The row of a connection in a shared store.
    Row {
        store: String,
        connection: String,
    },
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::KeyringEntry(account) => EntryName(account).fmt(f),
            Place::File(path) => path.display().fmt(f),
            Place::Row { store, connection } => {
                write!(f, "the row of `{connection}` in store `{store}`")
            }
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

/// The token stores of this run: the config's, and those connections
/// choose, each opened on first use.
#[derive(Debug)]
pub struct Store {
    /// The store of connections that choose none.
    choice: StoreChoice,
    paths: Paths,
    /// Connections that choose their own store.
    routes: BTreeMap<String, StoreChoice>,
    /// The `[stores.NAME]` tables.
    shared: BTreeMap<String, SharedStore>,
    /// Opened on first use: a run that only reads `TETHER_CONNECTION_*`
    /// never probes the keyring, and one that touches no shared connection
    /// never connects to a database.
    backends: RefCell<BTreeMap<StoreChoice, Rc<Backend>>>,
    env: env::EnvRecords,
}

#[derive(Debug)]
enum Backend {
    Keyring(keyring::KeyringStore),
    File(file::FileStore),
    Postgres(Rc<postgres::PgStore>),
}

impl Backend {
    fn kind(&self) -> StoreKind {
        match self {
            Backend::Keyring(_) => StoreKind::Keyring,
            Backend::File(_) => StoreKind::File,
            Backend::Postgres(_) => StoreKind::Postgres,
        }
    }
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
        Store::open_shared(choice, BTreeMap::new(), BTreeMap::new(), env, paths)
    }

    /// The stores of `config`: its `store`, the `store` of each connection
    /// that has one, and its `[stores.NAME]` tables. `env` overrides the
    /// config's `store` (not a connection's own).
    pub fn open_config(config: &Config, env: Option<&str>, paths: &Paths) -> Result<Store> {
        let routes = config
            .connections
            .iter()
            .filter_map(|(name, c)| Some((name.clone(), c.store.clone()?)))
            .collect();
        Store::open_shared(
            config.store.clone(),
            routes,
            config.stores.clone(),
            env,
            paths,
        )
    }

    fn open_shared(
        choice: StoreChoice,
        routes: BTreeMap<String, StoreChoice>,
        shared: BTreeMap<String, SharedStore>,
        env: Option<&str>,
        paths: &Paths,
    ) -> Result<Store> {
        let choice = match env.filter(|v| !v.is_empty()) {
            Some(value) => parse_choice(value, &shared)?,
            None => choice,
        };
        Ok(Store {
            choice,
            paths: paths.clone(),
            routes,
            shared,
            backends: RefCell::new(BTreeMap::new()),
            env: env::EnvRecords::from_process(),
        })
    }

    /// The file store in `paths`, with no probing; for tests and tools.
    pub fn file(paths: &Paths) -> Store {
        let store = Store {
            choice: StoreChoice::File,
            paths: paths.clone(),
            routes: BTreeMap::new(),
            shared: BTreeMap::new(),
            backends: RefCell::new(BTreeMap::new()),
            env: env::EnvRecords::default(),
        };
        store.backends.borrow_mut().insert(
            StoreChoice::File,
            Rc::new(Backend::File(file::FileStore::new(paths))),
        );
        store
    }

    /// The store that holds the record of `connection`.
    pub fn choice_of(&self, connection: &str) -> &StoreChoice {
        self.routes.get(connection).unwrap_or(&self.choice)
    }

    /// The store of client secrets and of this run's messages: the
    /// config's, or `auto` when that is a shared store.
    fn local(&self) -> StoreChoice {
        match &self.choice {
            StoreChoice::Named(_) => StoreChoice::Auto,
            other => other.clone(),
        }
    }

    /// The store `choice`, opened on first use.
    fn backend_of(&self, choice: &StoreChoice) -> Result<Rc<Backend>> {
        if let Some(backend) = self.backends.borrow().get(choice) {
            return Ok(Rc::clone(backend));
        }
        let backend = Rc::new(match choice {
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
            StoreChoice::Named(name) => {
                let def = self
                    .shared
                    .get(name)
                    .ok_or_else(|| Error::InvalidStoreChoice {
                        value: name.clone(),
                    })?;
                Backend::Postgres(Rc::new(postgres::PgStore::new(pg_settings(name, def)?)?))
            }
        });
        self.backends
            .borrow_mut()
            .insert(choice.clone(), Rc::clone(&backend));
        Ok(backend)
    }

    fn backend(&self) -> Result<Rc<Backend>> {
        self.backend_of(&self.local())
    }

    /// The shared store called `name`, opened (not yet connected).
    pub fn shared(&self, name: &str) -> Result<Rc<postgres::PgStore>> {
        match &*self.backend_of(&StoreChoice::Named(name.to_string()))? {
            Backend::Postgres(pg) => Ok(Rc::clone(pg)),
            _ => unreachable!("a named store is a shared one"),
        }
    }

    /// The kind of this run's local store (see [`Store::kind_of`] for a
    /// connection's).
    pub fn kind(&self) -> Result<StoreKind> {
        Ok(self.backend()?.kind())
    }

    /// The kind of the store that holds the record of `connection`.
    pub fn kind_of(&self, connection: &str) -> Result<StoreKind> {
        Ok(self.backend_of(self.choice_of(connection))?.kind())
    }

    /// Where the record of `connection` is held: the environment when it
    /// comes from `TETHER_CONNECTION_<NAME>`, else its store.
    pub fn held_in(&self, connection: &str) -> Result<HeldIn> {
        if self.env.has(connection) {
            return Ok(HeldIn::Env);
        }
        Ok(HeldIn::Store(self.kind_of(connection)?))
    }

    /// Whether the OS keyring answers, within the `auto` probe's bound;
    /// `Err` says why not. Does not change which store this one is.
    pub fn keyring_answers() -> std::result::Result<(), KeyringFailure> {
        keyring::KeyringStore::new().probe(keyring::PROBE_TIMEOUT)
    }

    /// Where this run's local store keeps tokens, for people: `keyring
    /// (Secret Service)`, `file (/path)`.
    pub fn location(&self) -> Result<String> {
        Ok(describe(&*self.backend()?))
    }

    /// Where the record of `connection` is kept, for people: as
    /// [`Store::location`], or `store team (postgres 10.0.0.5:5432/db)`.
    pub fn location_of(&self, connection: &str) -> Result<String> {
        Ok(describe(&*self.backend_of(self.choice_of(connection))?))
    }

    /// Where the store `choice` keeps tokens, for people.
    pub fn location_in(&self, choice: &StoreChoice) -> Result<String> {
        Ok(describe(&*self.backend_of(choice)?))
    }

    /// The record of `connection`; `None` when it has none. A record in
    /// `TETHER_CONNECTION_<NAME>` comes first.
    pub fn load(&self, connection: &str) -> Result<Option<Record>> {
        if let Some(record) = self.env.load(connection)? {
            return Ok(Some(record));
        }
        self.load_from(self.choice_of(connection), connection)
    }

    /// The record of `connection` in the store `choice`.
    pub fn load_from(&self, choice: &StoreChoice, connection: &str) -> Result<Option<Record>> {
        match &*self.backend_of(choice)? {
            Backend::Keyring(k) => match k.load(connection)? {
                Some(record) => Ok(Some(record)),
                None => self
                    .fallback_files(choice)
                    .map_or(Ok(None), |f| f.load(connection)),
            },
            Backend::File(f) => f.load(connection),
            Backend::Postgres(pg) => match pg.load(connection)? {
                Some(json) => row_record(pg, connection, &json).map(Some),
                None => Ok(None),
            },
        }
    }

    /// With `auto`, a run whose keyring probe failed keeps tokens in files;
    /// later runs that reach the keyring still find them there. `None`
    /// unless `choice` is `auto` and the keyring answered.
    fn fallback_files(&self, choice: &StoreChoice) -> Option<file::FileStore> {
        (*choice == StoreChoice::Auto).then(|| file::FileStore::new(&self.paths))
    }

    /// Stores the record of `connection`, replacing any earlier one in
    /// one step. A connection from the environment is kept in memory for
    /// the rest of the run: the environment is read-only.
    pub fn save(&self, connection: &str, record: &Record) -> Result<()> {
        if self.env.save(connection, record) {
            return Ok(());
        }
        self.save_to(self.choice_of(connection), connection, record)
    }

    /// Stores the record of `connection` in the store `choice`.
    pub fn save_to(&self, choice: &StoreChoice, connection: &str, record: &Record) -> Result<()> {
        match &*self.backend_of(choice)? {
            Backend::Keyring(k) => k.save(connection, record),
            Backend::File(f) => f.save(connection, record),
            Backend::Postgres(pg) => pg.save(connection, &Secret::new(record.to_json())),
        }
    }

    /// Takes the refresh lock of `connection`, waiting up to `timeout` for
    /// another process: the row lock of its shared store (which waits as
    /// that store's `lock_timeout` says), else [`lock::lock`].
    pub fn lock(&self, connection: &str, timeout: Duration) -> Result<ConnectionLock> {
        if self.env.has(connection) {
            return lock::lock(&self.paths, connection, timeout);
        }
        self.lock_in(self.choice_of(connection), connection, timeout)
    }

    /// Takes the refresh lock of `connection` in the store `choice`.
    pub fn lock_in(
        &self,
        choice: &StoreChoice,
        connection: &str,
        timeout: Duration,
    ) -> Result<ConnectionLock> {
        check_name(connection)?;
        if choice.shared().is_some()
            && let Backend::Postgres(pg) = &*self.backend_of(choice)?
        {
            pg.lock(connection)?;
            return Ok(ConnectionLock::row(Rc::clone(pg), connection));
        }
        lock::lock(&self.paths, connection, timeout)
    }

    /// Puts back the newer record of `connection` that a write killed
    /// before its end left behind, and clears what such writes left; call
    /// it under the connection's [`lock`]. Only the file store leaves
    /// anything behind ([`file::FileStore::recover`]): a keyring replaces an
    /// entry in one step, a shared store commits or aborts a transaction,
    /// and a connection from the environment is held in memory.
    pub fn recover(&self, connection: &str) -> Result<()> {
        if self.env.has(connection) {
            return Ok(());
        }
        match &*self.backend_of(self.choice_of(connection))? {
            Backend::File(f) => f.recover(connection).map(drop),
            Backend::Keyring(_) | Backend::Postgres(_) => Ok(()),
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

    /// Deletes the record of `connection` from the store `choice` alone
    /// (with `auto`, not the file a fallback left: that may be where the
    /// record is going).
    pub fn delete_from(&self, choice: &StoreChoice, connection: &str) -> Result<bool> {
        let entry = Entry::Connection(connection);
        match &*self.backend_of(choice)? {
            Backend::Keyring(k) => k.delete_secret(entry),
            Backend::File(f) => f.delete_secret(entry),
            Backend::Postgres(pg) => pg.delete(connection),
        }
    }

    /// The store an entry lives in.
    fn choice_for(&self, entry: Entry<'_>) -> StoreChoice {
        match entry {
            Entry::Connection(name) => self.choice_of(name).clone(),
            Entry::ClientSecret(_) => self.local(),
        }
    }

    /// The value of an entry; for [`Entry::Connection`], the record's JSON.
    pub fn get_secret(&self, entry: Entry<'_>) -> Result<Option<Secret>> {
        let choice = self.choice_for(entry);
        match &*self.backend_of(&choice)? {
            Backend::Keyring(k) => match k.get_secret(entry)? {
                Some(secret) => Ok(Some(secret)),
                None => self
                    .fallback_files(&choice)
                    .map_or(Ok(None), |f| f.get_secret(entry)),
            },
            Backend::File(f) => f.get_secret(entry),
            Backend::Postgres(pg) => match entry {
                Entry::Connection(name) => pg.load(name),
                Entry::ClientSecret(_) => unreachable!("client secrets stay local"),
            },
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
        match &*self.backend_of(&self.choice_for(entry))? {
            Backend::Keyring(k) => k.set_secret(entry, value),
            Backend::File(f) => f.set_secret(entry, value),
            Backend::Postgres(pg) => match entry {
                Entry::Connection(name) => pg.save(name, value),
                Entry::ClientSecret(_) => unreachable!("client secrets stay local"),
            },
        }
    }

    /// Deletes an entry; `false` when there was none. With `auto`, a copy
    /// left in the file store by an earlier fallback goes too.
    pub fn delete_secret(&self, entry: Entry<'_>) -> Result<bool> {
        let choice = self.choice_for(entry);
        match &*self.backend_of(&choice)? {
            Backend::Keyring(k) => {
                let deleted = k.delete_secret(entry)?;
                let stale = match self.fallback_files(&choice) {
                    Some(files) => files.delete_secret(entry)?,
                    None => false,
                };
                Ok(deleted || stale)
            }
            Backend::File(f) => f.delete_secret(entry),
            Backend::Postgres(pg) => match entry {
                Entry::Connection(name) => pg.delete(name),
                Entry::ClientSecret(_) => unreachable!("client secrets stay local"),
            },
        }
    }
}

/// A backend as people read it.
fn describe(backend: &Backend) -> String {
    match backend {
        Backend::Keyring(_) => format!("keyring ({})", keyring::PLATFORM_NAME),
        Backend::File(files) => format!("file ({})", files.dir().display()),
        Backend::Postgres(pg) => format!("store `{}` (postgres {})", pg.name(), pg.place()),
    }
}

/// The record in a shared store's row, whose JSON opened.
fn row_record(pg: &postgres::PgStore, connection: &str, json: &Secret) -> Result<Record> {
    Record::parse(json.expose()).map_err(|problem| Error::Store {
        store: StoreKind::Postgres,
        problem: StoreProblem::UnreadableRecord {
            place: Place::Row {
                store: pg.name().to_string(),
                connection: connection.to_string(),
            },
            problem,
            connection: connection.to_string(),
        },
    })
}

/// What a `[stores.NAME]` table resolves to: its URL and keys read from
/// where they live.
fn pg_settings(name: &str, def: &SharedStore) -> Result<postgres::PgSettings> {
    let SharedKind::Postgres = def.kind;
    let invalid = |problem| Error::InvalidSharedStore {
        store: name.to_string(),
        problem,
    };
    let read = |reference, field: &str| {
        crate::config::secrets::resolve(reference, &format!("`{field}` of store `{name}`"), || {
            Ok(None)
        })
    };
    let url = read(&def.url, "url")?;
    let info = postgres::conninfo::ConnInfo::parse(&url)
        .map_err(|p| invalid(postgres::SharedStoreProblem::Url(p)))?;
    let key = |reference, field: &'static str| -> Result<seal::StoreKey> {
        seal::StoreKey::parse(&read(reference, field)?)
            .map_err(|problem| invalid(postgres::SharedStoreProblem::Key { field, problem }))
    };
    Ok(postgres::PgSettings {
        name: name.to_string(),
        info,
        key: key(&def.key, "key")?,
        previous_key: match &def.previous_key {
            Some(reference) => Some(key(reference, "previous_key")?),
            None => None,
        },
        schema: def.schema.clone().unwrap_or_else(|| "tether".to_string()),
        timeout: def
            .timeout
            .map_or(postgres::TIMEOUT, |s| Duration::from_secs(s.as_secs())),
        lock_timeout: def
            .lock_timeout
            .map_or(postgres::LOCK_TIMEOUT, |s| Duration::from_secs(s.as_secs())),
    })
}

/// Reads the value of `TETHER_STORE`: a built-in store or one of
/// `shared`.
fn parse_choice(value: &str, shared: &BTreeMap<String, SharedStore>) -> Result<StoreChoice> {
    match StoreChoice::parse(value) {
        StoreChoice::Named(name) if !shared.contains_key(&name) => {
            Err(Error::InvalidStoreChoice { value: name })
        }
        choice => Ok(choice),
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
