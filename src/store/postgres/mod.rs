//! A shared token store on PostgreSQL (`[stores.NAME] kind = "postgres"`):
//! many machines, one row per connection, one refresh at a time.
//!
//! * [`conninfo`] — the `url`: libpq syntax, TLS policy, redaction
//! * [`schema`] — the tables, their migrations and the statements
//!
//! Records are sealed ([`seal`](super::seal)) before they leave the
//! process: the database holds ciphertext, a version, `updated_at` and
//! `updated_by`. What is sealed is the record's JSON, opaque here.
//!
//! Invariants:
//!
//! * Every use of the store — connecting, authenticating and its queries —
//!   is bounded by one deadline ([`PgSettings::timeout`], 5 s by default): a
//!   server that is down, restarting or stopped (which still completes the
//!   TCP handshake) fails the command with exit 6 in that time, and nothing
//!   else is touched.
//! * A plain read takes no lock: readers that find a valid token never
//!   wait for a refresh.
//! * A refresh runs in a transaction that holds the connection's row
//!   ([`PgStore::lock`]: `SELECT … FOR UPDATE`, waited for in slices of a
//!   server-side `lock_timeout` so that a hung server is still noticed in
//!   one timeout). The row read under the lock is what `load` returns until
//!   the lock ends; `save` writes it with `version + 1` and commits; an
//!   unsaved lock rolls back. A process that dies mid-transaction loses its
//!   connection, and the server aborts the transaction and frees the row.
//! * Every write is compare-and-set: under the lock, on the version locked;
//!   after a read, on the version read; a write that replaces a record it
//!   never read (connect, import) inserts or bumps the version.
//! * Nothing is written with a key before the key has opened the store's
//!   canary: a wrong key is an error that overwrites nothing.
//!
//! The store runs tokio-postgres on a current-thread tokio runtime of its
//! own, driven only while one of its calls runs.

pub mod conninfo;
pub mod schema;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::Future;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio_postgres::error::SqlState;
use tokio_postgres::types::Type;
use tokio_postgres::{Client, Row};

use self::conninfo::{ConnInfo, Tls};
use self::schema::Statements;
use super::seal::{self, Binding, Opener, StoreKey};
use crate::secret::Secret;
use crate::{Error, Result};

/// How long one use of a store may take by default.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// How long a refresh waits for another machine's by default: as long as
/// one waits for another process's file lock (`refresh::LOCK_TIMEOUT`).
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(45);

/// The longest a lock wait is left to the server at a time; the client
/// checks its own deadline between slices.
const LOCK_SLICE: Duration = Duration::from_secs(1);

/// What a PostgreSQL store is, read from its `[stores.NAME]` table.
#[derive(Debug, Clone)]
pub struct PgSettings {
    /// The store's name in this config, for messages.
    pub name: String,
    pub info: ConnInfo,
    pub key: StoreKey,
    pub previous_key: Option<StoreKey>,
    pub schema: String,
    pub timeout: Duration,
    pub lock_timeout: Duration,
}

/// Why the database could not do what was asked. Holds no URL and no
/// password: tokio-postgres names neither in its messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PgFailure {
    /// The deadline passed: the server did not answer.
    TimedOut { after: Duration },
    /// No connection, or it broke.
    Unreachable { detail: String },
    /// The server answered with an error.
    Database { code: String, message: String },
}

impl PgFailure {
    /// Whether this is the network's or the server's availability (exit
    /// 6), rather than a refusal (exit 1).
    pub fn is_availability(&self) -> bool {
        match self {
            PgFailure::TimedOut { .. } | PgFailure::Unreachable { .. } => true,
            // connection_exception, operator intervention (shutdown,
            // starting up), too_many_connections.
            PgFailure::Database { code, .. } => {
                code.starts_with("08") || code.starts_with("57P") || code == "53300"
            }
        }
    }

    fn of(e: &tokio_postgres::Error) -> PgFailure {
        match e.as_db_error() {
            Some(db) => PgFailure::Database {
                code: db.code().code().to_string(),
                message: db.message().to_string(),
            },
            None => PgFailure::Unreachable {
                detail: with_causes(e),
            },
        }
    }
}

/// An error and what caused it, each once: "error performing TLS
/// handshake" alone would not say that the certificate was not trusted.
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(next) = cause {
        let said = next.to_string();
        if !text.contains(&said) {
            text = format!("{text}: {said}");
        }
        cause = next.source();
    }
    text
}

/// Reads after "store `x` (place) ".
impl std::fmt::Display for PgFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PgFailure::TimedOut { after } => write!(
                f,
                "did not answer within {}",
                crate::duration::Span::from_secs(after.as_secs().max(1))
            ),
            PgFailure::Unreachable { detail } => write!(f, "cannot be reached: {detail}"),
            PgFailure::Database { code, message } => {
                write!(f, "refused: {message} (SQLSTATE {code})")
            }
        }
    }
}

/// What `store check` and `doctor` report about a store.
#[derive(Debug)]
pub struct StoreHealth {
    /// The server, redacted.
    pub place: String,
    /// Connecting and authenticating took this long, or failed.
    pub connected: Result<Duration>,
    /// The schema's version; `None` when it has none yet (or the store
    /// could not be reached).
    pub schema_version: Option<i32>,
    /// Whether the configured key opens the canary.
    pub key: Option<KeyCheck>,
    /// One query's round trip on the open connection.
    pub round_trip: Option<Duration>,
    pub records: Option<i64>,
}

/// What the store's canary says about the configured keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyCheck {
    Opens,
    /// Only `previous_key` opens it: a rotation is half done.
    OpensWithPreviousKey,
    DoesNotOpen,
    /// The store has no canary yet (no schema, or never written).
    NoCanary,
}

/// The row of a connection as read under its lock.
#[derive(Debug)]
struct Held {
    name: String,
    /// `None` when there is no row (nothing is locked then).
    row: Option<(Secret, i64)>,
}

/// A PostgreSQL store, connected on first use.
pub struct PgStore {
    settings: PgSettings,
    sql: Statements,
    /// `updated_by`.
    host: String,
    runtime: tokio::runtime::Runtime,
    client: RefCell<Option<Rc<Client>>>,
    held: RefCell<Option<Held>>,
    /// The version of each record as this process last read or wrote it.
    seen: RefCell<HashMap<String, i64>>,
    /// The key has opened the canary in this process.
    key_checked: Cell<bool>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("name", &self.settings.name)
            .field("place", &self.settings.info.place())
            .finish_non_exhaustive()
    }
}

/// One decoded `records` row: format, sealed bytes, version.
type Sealed = (i16, Vec<u8>, i64);

impl PgStore {
    /// Prepares the store; nothing is connected yet.
    pub fn new(settings: PgSettings) -> Result<PgStore> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::NetSetup {
                part: crate::http::client::NetPart::Runtime,
                detail: e.to_string(),
            })?;
        Ok(PgStore {
            sql: Statements::new(&settings.schema),
            settings,
            host: host_name(),
            runtime,
            client: RefCell::new(None),
            held: RefCell::new(None),
            seen: RefCell::new(HashMap::new()),
            key_checked: Cell::new(false),
        })
    }

    pub fn name(&self) -> &str {
        &self.settings.name
    }

    /// The server, as messages name it (no user, no password).
    pub fn place(&self) -> String {
        self.settings.info.place()
    }

    pub fn schema(&self) -> &str {
        &self.settings.schema
    }

    /// A fresh deadline for one use of the store.
    fn deadline(&self) -> Instant {
        Instant::now() + self.settings.timeout
    }

    fn fail(&self, failure: PgFailure) -> Error {
        if failure.is_availability() {
            // The connection may be half-open or gone: start afresh.
            self.client.replace(None);
            self.held.replace(None);
        }
        Error::SharedStore {
            store: self.settings.name.clone(),
            place: self.place(),
            failure,
        }
    }

    /// Runs `future` on the store's runtime until `deadline`.
    fn block<T>(
        &self,
        deadline: Instant,
        future: impl Future<Output = std::result::Result<T, tokio_postgres::Error>>,
    ) -> Result<T> {
        let deadline = tokio::time::Instant::from_std(deadline);
        let outcome = self
            .runtime
            .block_on(async { tokio::time::timeout_at(deadline, future).await });
        match outcome {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(self.fail(PgFailure::of(&e))),
            Err(_) => Err(self.fail(PgFailure::TimedOut {
                after: self.settings.timeout,
            })),
        }
    }

    /// The open connection, opened now if needed, before `deadline`.
    fn client(&self, deadline: Instant) -> Result<Rc<Client>> {
        if let Some(client) = self.client.borrow().as_ref()
            && !client.is_closed()
        {
            return Ok(Rc::clone(client));
        }
        let tls = match &self.settings.info.tls {
            Tls::Off => None,
            Tls::Verified { root_cert } => {
                Some(tls_config(&self.settings.name, root_cert.as_deref())?)
            }
        };
        let config = self.settings.info.config.clone();
        let client = self.block(deadline, async move {
            match tls {
                None => {
                    let (client, connection) = config.connect(tokio_postgres::NoTls).await?;
                    tokio::spawn(connection);
                    Ok(client)
                }
                Some(tls) => {
                    let tls = tokio_postgres_rustls::MakeRustlsConnect::new(tls);
                    let (client, connection) = config.connect(tls).await?;
                    tokio::spawn(connection);
                    Ok(client)
                }
            }
        })?;
        let client = Rc::new(client);
        self.client.replace(Some(Rc::clone(&client)));
        Ok(client)
    }

    /// Runs `sql` with `params` on the connection, before `deadline`.
    fn query(
        &self,
        deadline: Instant,
        sql: &str,
        params: &[(&(dyn tokio_postgres::types::ToSql + Sync), Type)],
    ) -> Result<Vec<Row>> {
        let client = self.client(deadline)?;
        self.block(deadline, client.query_typed(sql, params))
    }

    fn execute(&self, deadline: Instant, sql: &str) -> Result<()> {
        let client = self.client(deadline)?;
        self.block(deadline, client.batch_execute(sql))
    }

    /// Like [`PgStore::query`], creating or migrating the schema once when
    /// it is missing.
    fn query_migrating(
        &self,
        deadline: Instant,
        sql: &str,
        params: &[(&(dyn tokio_postgres::types::ToSql + Sync), Type)],
    ) -> Result<Vec<Row>> {
        match self.query(deadline, sql, params) {
            Err(e) if is_missing_schema(&e) => {
                self.migrate(deadline)?;
                self.query(deadline, sql, params)
            }
            other => other,
        }
    }

    /// The schema's version, `None` when it has no tables yet.
    fn schema_version(&self, deadline: Instant) -> Result<Option<i32>> {
        let table = format!("{}.schema_version", self.settings.schema);
        let rows = self.query(
            deadline,
            "SELECT to_regclass($1) IS NOT NULL",
            &[(&table, Type::TEXT)],
        )?;
        if !rows.first().is_some_and(|r| r.get::<_, bool>(0)) {
            return Ok(None);
        }
        let rows = self.query(deadline, &schema::version_sql(&self.settings.schema), &[])?;
        Ok(Some(
            rows.first()
                .and_then(|r| r.get::<_, Option<i32>>(0))
                .unwrap_or(0),
        ))
    }

    /// Brings the schema to [`schema::CURRENT`], in one transaction under
    /// an advisory lock; refuses a schema newer than that.
    pub fn migrate(&self, deadline: Instant) -> Result<i32> {
        self.execute(
            deadline,
            &format!(
                "BEGIN; {}",
                schema::migration_lock_sql(&self.settings.schema)
            ),
        )?;
        let outcome = (|| {
            let from = self.schema_version(deadline)?.unwrap_or(0);
            self.refuse_newer(from)?;
            if from < schema::CURRENT {
                self.execute(deadline, &schema::ddl(&self.settings.schema, from))?;
            }
            self.execute(deadline, "COMMIT")?;
            Ok(schema::CURRENT)
        })();
        if outcome.is_err() {
            let _ = self.execute(deadline, "ROLLBACK");
        }
        outcome
    }

    fn refuse_newer(&self, found: i32) -> Result<()> {
        if found > schema::CURRENT {
            return Err(Error::SchemaTooNew {
                store: self.settings.name.clone(),
                found,
                known: schema::CURRENT,
            });
        }
        Ok(())
    }

    /// The record of `name`, as JSON; `None` when it has none. Under the
    /// lock of `name`, the row read when the lock was taken.
    pub fn load(&self, name: &str) -> Result<Option<Secret>> {
        if let Some(held) = self.held.borrow().as_ref()
            && held.name == name
        {
            return Ok(held.row.as_ref().map(|(json, _)| json.clone()));
        }
        let deadline = self.deadline();
        let rows = self.query_migrating(deadline, &self.sql.load, &[(&name, Type::TEXT)])?;
        let row = rows.first();
        let version = row.and_then(|r| r.get::<_, Option<i32>>(0)).unwrap_or(0);
        if version < schema::CURRENT {
            self.migrate(deadline)?;
        }
        self.refuse_newer(version)?;
        let Some(row) = row else { return Ok(None) };
        let sealed: Option<Sealed> = row
            .get::<_, Option<i64>>(3)
            .map(|v| (row.get(1), row.get(2), v));
        let Some(sealed) = sealed else {
            return Ok(None);
        };
        let (json, version) = self.open_record(deadline, name, &sealed)?;
        self.seen.borrow_mut().insert(name.to_string(), version);
        Ok(Some(json))
    }

    /// Opens a row of `name`; an error that says whether the key or the
    /// row is wrong when it does not open.
    fn open_record(&self, deadline: Instant, name: &str, row: &Sealed) -> Result<(Secret, i64)> {
        let binding = Binding::Record {
            schema: &self.settings.schema,
            name,
        };
        let opened = u8::try_from(row.0)
            .ok()
            .filter(|format| *format == seal::FORMAT)
            .and_then(|_| {
                seal::open(
                    &self.settings.key,
                    self.settings.previous_key.as_ref(),
                    binding,
                    &row.1,
                )
            });
        match opened.and_then(|(plain, _)| String::from_utf8(plain).ok()) {
            Some(json) => Ok((Secret::new(json), row.2)),
            None => {
                // Whose fault: the key's, or the row's?
                self.check_key(deadline)?;
                Err(Error::UnopenableRecord {
                    store: self.settings.name.clone(),
                    connection: name.to_string(),
                })
            }
        }
    }

    /// Makes sure the key opens the store's canary, writing the canary
    /// first when the store has none. Once per process.
    fn check_key(&self, deadline: Instant) -> Result<()> {
        if self.key_checked.get() {
            return Ok(());
        }
        match self.canary(deadline, true)? {
            KeyCheck::Opens | KeyCheck::OpensWithPreviousKey => {
                self.key_checked.set(true);
                Ok(())
            }
            KeyCheck::DoesNotOpen | KeyCheck::NoCanary => Err(Error::WrongStoreKey {
                store: self.settings.name.clone(),
            }),
        }
    }

    /// What the canary says of the keys; with `create`, one is written
    /// first when there is none.
    fn canary(&self, deadline: Instant, create: bool) -> Result<KeyCheck> {
        let read = |store: &PgStore| -> Result<Option<(i16, Vec<u8>)>> {
            let rows = store.query_migrating(deadline, &store.sql.canary, &[])?;
            Ok(rows.first().map(|r| (r.get(0), r.get(1))))
        };
        let mut found = read(self)?;
        if found.is_none() && create {
            let sealed = self.seal_canary(&self.settings.key)?;
            let format = i16::from(seal::FORMAT);
            self.query(
                deadline,
                &self.sql.put_canary,
                &[(&format, Type::INT2), (&sealed, Type::BYTEA)],
            )?;
            found = read(self)?;
        }
        let Some((_, sealed)) = found else {
            return Ok(KeyCheck::NoCanary);
        };
        let binding = Binding::Canary {
            schema: &self.settings.schema,
        };
        Ok(
            match seal::open(
                &self.settings.key,
                self.settings.previous_key.as_ref(),
                binding,
                &sealed,
            ) {
                Some((plain, opener)) if plain == seal::CANARY.as_bytes() => match opener {
                    Opener::Key => KeyCheck::Opens,
                    Opener::PreviousKey => KeyCheck::OpensWithPreviousKey,
                },
                _ => KeyCheck::DoesNotOpen,
            },
        )
    }

    fn seal_canary(&self, key: &StoreKey) -> Result<Vec<u8>> {
        let binding = Binding::Canary {
            schema: &self.settings.schema,
        };
        seal::seal(key, binding, seal::CANARY.as_bytes()).map_err(|e| Error::io("<random>", e))
    }

    fn seal_record(&self, key: &StoreKey, name: &str, json: &Secret) -> Result<Vec<u8>> {
        let binding = Binding::Record {
            schema: &self.settings.schema,
            name,
        };
        seal::seal(key, binding, json.expose().as_bytes()).map_err(|e| Error::io("<random>", e))
    }

    /// Stores the record of `name` (its JSON). Under the lock of `name`,
    /// compare-and-set on the locked version, then commit; after a read,
    /// compare-and-set on the version read; else insert or replace.
    pub fn save(&self, name: &str, json: &Secret) -> Result<()> {
        let deadline = self.deadline();
        let held = {
            let held = self.held.borrow();
            held.as_ref()
                .filter(|h| h.name == name)
                .map(|h| h.row.as_ref().map(|(_, version)| *version))
        };
        if held.is_none() {
            // Under the lock, opening the row proved the key.
            self.check_key(deadline)?;
        }
        let sealed = self.seal_record(&self.settings.key, name, json)?;
        let expected = match held {
            Some(locked) => locked,
            None => self.seen.borrow().get(name).copied(),
        };
        let format = i16::from(seal::FORMAT);
        let rows = match expected {
            Some(version) => self.query(
                deadline,
                &self.sql.update,
                &[
                    (&name, Type::TEXT),
                    (&format, Type::INT2),
                    (&sealed, Type::BYTEA),
                    (&self.host, Type::TEXT),
                    (&version, Type::INT8),
                ],
            )?,
            None => self.query_migrating(
                deadline,
                &self.sql.upsert,
                &[
                    (&name, Type::TEXT),
                    (&format, Type::INT2),
                    (&sealed, Type::BYTEA),
                    (&self.host, Type::TEXT),
                ],
            )?,
        };
        let Some(version) = rows.first().map(|r| r.get::<_, i64>(0)) else {
            if held.is_some() {
                self.release(name);
            }
            return Err(Error::StoreConflict {
                store: self.settings.name.clone(),
                connection: name.to_string(),
            });
        };
        if held.is_some() {
            self.commit(deadline)?;
        }
        self.seen.borrow_mut().insert(name.to_string(), version);
        Ok(())
    }

    fn commit(&self, deadline: Instant) -> Result<()> {
        self.held.replace(None);
        self.execute(deadline, "COMMIT")
    }

    /// Deletes the record of `name`; `false` when it had none. Under the
    /// lock of `name`, in its transaction, which then commits.
    pub fn delete(&self, name: &str) -> Result<bool> {
        let deadline = self.deadline();
        let held = self.held.borrow().as_ref().is_some_and(|h| h.name == name);
        let deleted = !self
            .query_migrating(deadline, &self.sql.delete, &[(&name, Type::TEXT)])?
            .is_empty();
        if held {
            self.commit(deadline)?;
        }
        self.seen.borrow_mut().remove(name);
        Ok(deleted)
    }

    /// Whether a record of `name` exists, without opening it.
    pub fn has(&self, name: &str) -> Result<bool> {
        let deadline = self.deadline();
        let sql = format!(
            "SELECT 1 FROM {}.records WHERE name = $1",
            self.settings.schema
        );
        Ok(!self
            .query_migrating(deadline, &sql, &[(&name, Type::TEXT)])?
            .is_empty())
    }

    /// Takes the row lock of `name`: a transaction that holds the row until
    /// [`PgStore::save`] or [`PgStore::delete`] commits, or
    /// [`PgStore::release`] rolls back. Waits for another machine's up to
    /// the store's `lock_timeout`.
    pub fn lock(&self, name: &str) -> Result<()> {
        let started = Instant::now();
        let slice = LOCK_SLICE
            .min(self.settings.timeout / 2)
            .max(Duration::from_millis(10));
        let idle = self.settings.lock_timeout + self.settings.timeout;
        let begin = format!(
            "BEGIN; SET LOCAL lock_timeout = {}; SET LOCAL idle_in_transaction_session_timeout = {}",
            slice.as_millis(),
            idle.as_millis()
        );
        loop {
            let deadline = self.deadline();
            self.execute(deadline, &begin)?;
            match self.query(deadline, &self.sql.lock, &[(&name, Type::TEXT)]) {
                Ok(rows) => {
                    let row: Option<Sealed> = rows.first().map(|r| (r.get(0), r.get(1), r.get(2)));
                    let opened = match &row {
                        Some(row) => match self.open_record(deadline, name, row) {
                            Ok(opened) => Some(opened),
                            Err(e) => {
                                let _ = self.execute(deadline, "ROLLBACK");
                                return Err(e);
                            }
                        },
                        None => None,
                    };
                    if let Some((_, version)) = &opened {
                        self.seen.borrow_mut().insert(name.to_string(), *version);
                    }
                    self.held.replace(Some(Held {
                        name: name.to_string(),
                        row: opened,
                    }));
                    return Ok(());
                }
                Err(e) => {
                    let _ = self.execute(deadline, "ROLLBACK");
                    if is_missing_schema(&e) {
                        self.migrate(deadline)?;
                    } else if !is_lock_not_available(&e) {
                        return Err(e);
                    } else if started.elapsed() >= self.settings.lock_timeout {
                        return Err(Error::RowLockTimeout {
                            store: self.settings.name.clone(),
                            connection: name.to_string(),
                            waited: self.settings.lock_timeout,
                        });
                    }
                }
            }
        }
    }

    /// Ends the lock of `name` without writing: the transaction rolls back.
    pub fn release(&self, name: &str) {
        let held = self.held.borrow().as_ref().is_some_and(|h| h.name == name);
        if held {
            self.held.replace(None);
            // A failure drops the connection, and the server then rolls
            // back by itself.
            let _ = self.execute(self.deadline(), "ROLLBACK");
        }
    }

    /// Creates or migrates the schema and writes the canary: what `store
    /// init` does. Returns the schema version.
    pub fn init(&self) -> Result<i32> {
        let deadline = self.deadline();
        let version = self.migrate(deadline)?;
        self.check_key(deadline)?;
        Ok(version)
    }

    /// Re-seals every record and the canary under `new`, in one
    /// transaction that keeps writers out (readers go on). Refuses, and
    /// changes nothing, when a record does not open with the store's keys.
    pub fn rekey(&self, new: &StoreKey) -> Result<usize> {
        // Writers may hold rows for a refresh: wait as a refresh would.
        let deadline = Instant::now() + self.settings.timeout + self.settings.lock_timeout;
        self.check_key(deadline)?;
        self.execute(deadline, "BEGIN")?;
        let outcome = (|| {
            self.execute(deadline, &self.sql.lock_records)?;
            let rows = self.query(deadline, &self.sql.all, &[])?;
            let mut count = 0;
            for row in rows {
                let name: String = row.get(0);
                let sealed: Sealed = (row.get(1), row.get(2), 0);
                let (json, _) = self.open_record(deadline, &name, &sealed)?;
                let resealed = self.seal_record(new, &name, &json)?;
                let format = i16::from(seal::FORMAT);
                self.query(
                    deadline,
                    &self.sql.reseal,
                    &[
                        (&name, Type::TEXT),
                        (&format, Type::INT2),
                        (&resealed, Type::BYTEA),
                    ],
                )?;
                count += 1;
            }
            let canary = self.seal_canary(new)?;
            let format = i16::from(seal::FORMAT);
            self.query(
                deadline,
                &self.sql.replace_canary,
                &[(&format, Type::INT2), (&canary, Type::BYTEA)],
            )?;
            self.execute(deadline, "COMMIT")?;
            Ok(count)
        })();
        if outcome.is_err() {
            let _ = self.execute(deadline, "ROLLBACK");
        }
        outcome
    }

    /// Reachability, schema version, whether the key opens the canary, and
    /// one round trip; never writes.
    pub fn check(&self) -> StoreHealth {
        let mut health = StoreHealth {
            place: self.place(),
            connected: Err(Error::Other(String::new())),
            schema_version: None,
            key: None,
            round_trip: None,
            records: None,
        };
        let deadline = self.deadline();
        let started = Instant::now();
        match self.client(deadline) {
            Ok(_) => health.connected = Ok(started.elapsed()),
            Err(e) => {
                health.connected = Err(e);
                return health;
            }
        }
        let started = Instant::now();
        if self.query(deadline, "SELECT 1", &[]).is_ok() {
            health.round_trip = Some(started.elapsed());
        }
        health.schema_version = self.schema_version(deadline).ok().flatten();
        if health.schema_version.is_some() {
            health.key = self.canary(deadline, false).ok();
            health.records = self
                .query(deadline, &self.sql.count, &[])
                .ok()
                .and_then(|rows| rows.first().map(|r| r.get::<_, i64>(0)));
        } else {
            health.key = Some(KeyCheck::NoCanary);
        }
        health
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        if let Some(name) = self.held.borrow().as_ref().map(|h| h.name.clone()) {
            self.release(&name);
        }
    }
}

fn is_missing_schema(e: &Error) -> bool {
    matches!(e, Error::SharedStore { failure: PgFailure::Database { code, .. }, .. }
        if code == SqlState::UNDEFINED_TABLE.code() || code == SqlState::INVALID_SCHEMA_NAME.code())
}

fn is_lock_not_available(e: &Error) -> bool {
    matches!(e, Error::SharedStore { failure: PgFailure::Database { code, .. }, .. }
        if code == SqlState::LOCK_NOT_AVAILABLE.code())
}

/// The rustls client config of a `verify-full` connection: `root_cert`
/// (PEM) alone when given, else the bundled Mozilla roots.
fn tls_config(store: &str, root_cert: Option<&std::path::Path>) -> Result<rustls::ClientConfig> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    match root_cert {
        Some(path) => {
            let bad = || Error::InvalidSharedStore {
                store: store.to_string(),
                problem: SharedStoreProblem::RootCert {
                    path: path.to_path_buf(),
                },
            };
            let text = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            let certs = CertificateDer::pem_slice_iter(&text)
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|_| bad())?;
            if certs.is_empty() {
                return Err(bad());
            }
            for cert in certs {
                roots.add(cert).map_err(|_| bad())?;
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::NetSetup {
            part: crate::http::client::NetPart::Tls,
            detail: e.to_string(),
        })?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(config)
}

/// Why a `[stores.NAME]` table cannot be used as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SharedStoreProblem {
    Url(conninfo::UrlProblem),
    /// `key` or `previous_key` is not a key.
    Key {
        field: &'static str,
        problem: seal::KeyProblem,
    },
    /// `sslrootcert` holds no certificate tether can read.
    RootCert {
        path: std::path::PathBuf,
    },
}

/// Reads after "store `x` ".
impl std::fmt::Display for SharedStoreProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SharedStoreProblem::Url(problem) => write!(f, "cannot be used: its `url` {problem}"),
            SharedStoreProblem::Key { field, problem } => {
                write!(f, "cannot be used: its `{field}` {problem}")
            }
            SharedStoreProblem::RootCert { path } => write!(
                f,
                "cannot be used: its `sslrootcert` {} holds no PEM certificate",
                path.display()
            ),
        }
    }
}

/// This machine's name, for `updated_by`.
fn host_name() -> String {
    #[cfg(unix)]
    {
        rustix::system::uname()
            .nodename()
            .to_string_lossy()
            .into_owned()
    }
    #[cfg(not(unix))]
    {
        std::env::var("COMPUTERNAME").unwrap_or_default()
    }
}
