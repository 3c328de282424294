//! The OS keyring store (DESIGN §3): the Secret Service on Linux and the
//! BSDs (tether's own plain-session store, see [`super::secret_service`]),
//! the Keychain on macOS, the Credential Manager on Windows, all behind
//! `keyring-core`.
//!
//! Entries: service `tether`, account `connection:NAME` holding the
//! connection's record as JSON, and `client-secret:SERVICE` holding a
//! service's client secret as it is.
//!
//! Invariants:
//!
//! * The platform store is created lazily, on the first call that needs
//!   it, and once per process (creating it opens a D-Bus session: a few
//!   milliseconds that commands without secrets should not pay).
//! * No call waits unbounded: every keyring call runs on a helper thread
//!   and is abandoned after a deadline ([`CALL_TIMEOUT`], or the shorter
//!   bounds of [`KeyringStore::probe`] and [`KeyringStore::connect`]). A
//!   Secret Service that never answers would otherwise hold tether until
//!   the D-Bus timeout of 25 s.
//! * An error names the entry and the store, never a value; values are
//!   read and written as bytes so that no library error carries them.
//!
//! # Chunks
//!
//! Windows' Credential Manager holds at most 2560 bytes per credential, and
//! a record with an ID token is often longer. Where a store has such a
//! limit ([`CHUNK_LIMIT`]), a long value is split across entries: the first
//! (`connection:NAME`) starts with a header `\0tether-chunks:NNNN\n` giving
//! the number of entries, and the rest follow in `connection:NAME#1`,
//! `connection:NAME#2`, …. A value that fits and does not itself start with
//! the header's marker is stored as it is, so short values look the same on
//! every platform. Continuations are written before the first entry, so the
//! header never points at chunks that are not there yet; leftovers of a
//! longer earlier value are removed after it.

use std::sync::{Arc, OnceLock, mpsc};
use std::time::{Duration, Instant};

use keyring_core::{CredentialStore, Entry as KeyringEntry, Error as KeyringError};

use crate::secret::Secret;
use crate::{Error, Result};

use super::record::Record;
use super::{Entry, KeyringOp, Place, StoreKind, StoreProblem};

/// The keyring service of every tether entry.
pub const SERVICE: &str = "tether";

/// How long the `auto` store choice waits for a keyring before it falls
/// back to files. A working Secret Service connects and answers a lookup
/// in ~20 ms; a missing bus fails in under 10 ms; what is left is a bus
/// whose keyring never answers, and half a second is as long as a command
/// line should stall on that.
pub const PROBE_TIMEOUT: Duration = Duration::from_millis(500);

/// How long an explicitly chosen keyring may take to connect: long enough
/// for D-Bus to start a keyring daemon on demand.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long one read, write or delete may take once connected. Far above
/// what an answering keyring needs; long enough for a person to answer the
/// unlock prompt a locked keyring shows; shorter than the 25 s a D-Bus
/// client would otherwise wait for a keyring that never answers.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(15);

/// The largest value one entry may hold, where the platform has a limit.
#[cfg(windows)]
pub const CHUNK_LIMIT: Option<usize> = Some(2560);
/// The largest value one entry may hold, where the platform has a limit.
#[cfg(not(windows))]
pub const CHUNK_LIMIT: Option<usize> = None;

/// What the keyring is called on this platform, for people.
#[cfg(all(unix, not(target_os = "macos")))]
pub const PLATFORM_NAME: &str = "Secret Service";
#[cfg(target_os = "macos")]
pub const PLATFORM_NAME: &str = "macOS Keychain";
#[cfg(windows)]
pub const PLATFORM_NAME: &str = "Windows Credential Manager";
#[cfg(not(any(unix, windows)))]
pub const PLATFORM_NAME: &str = "no keyring";

#[cfg(all(unix, not(target_os = "macos")))]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    super::secret_service::Store::connect()
}

#[cfg(target_os = "macos")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = apple_native_keyring_store::keychain::Store::new()?;
    Ok(store)
}

#[cfg(windows)]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = windows_native_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(not(any(unix, windows)))]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(KeyringError::NotSupportedByStore(
        "tether knows no OS keyring on this platform".into(),
    ))
}

/// The account of an entry.
pub fn account(entry: Entry<'_>) -> String {
    match entry {
        Entry::Connection(name) => format!("connection:{name}"),
        Entry::ClientSecret(service) => format!("client-secret:{service}"),
    }
}

type PlatformResult = std::result::Result<Arc<CredentialStore>, KeyringFailure>;

/// Why a keyring call failed, or why the keyring cannot be used. Never
/// holds a value read or written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyringFailure {
    /// `keyring-core` failed; `detail` is what `failure_text` makes of its
    /// error.
    Platform { detail: String },
    /// The call did not finish within its bound.
    NoAnswer { within: Duration },
    /// The helper thread of the call could not be started.
    NoThread { detail: String },
    /// The helper thread ended without an answer.
    Lost,
    /// A part of a chunked value is missing.
    MissingChunk { account: String },
    /// The first entry of a chunked value has a header tether does not
    /// write.
    MalformedChunkHeader,
    /// An entry of `limit` bytes cannot hold a chunk header and data.
    LimitTooSmall { limit: usize },
    /// A value of `len` bytes needs more chunks than a header can count.
    TooLong { len: usize },
}

impl KeyringFailure {
    fn platform(e: &KeyringError) -> KeyringFailure {
        KeyringFailure::Platform {
            detail: failure_text(e),
        }
    }
}

impl std::fmt::Display for KeyringFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyringFailure::Platform { detail } => f.write_str(detail),
            KeyringFailure::NoAnswer { within } => write!(f, "no answer within {}", human(*within)),
            KeyringFailure::NoThread { detail } => write!(f, "cannot start a thread: {detail}"),
            KeyringFailure::Lost => f.write_str("the keyring call failed unexpectedly"),
            KeyringFailure::MissingChunk { account } => {
                write!(f, "its part `{account}` is missing")
            }
            KeyringFailure::MalformedChunkHeader => f.write_str("its chunk header is malformed"),
            KeyringFailure::LimitTooSmall { limit } => {
                write!(f, "an entry of {limit} bytes is too small to split a value")
            }
            KeyringFailure::TooLong { len } => write!(f, "the value is too long ({len} bytes)"),
        }
    }
}

/// Entries in the OS keyring.
#[derive(Debug)]
pub(crate) struct KeyringStore {
    /// The platform store, or why it could not be created; set once.
    platform: OnceLock<PlatformResult>,
    /// Creates the platform store (replaced in tests).
    create: fn() -> keyring_core::Result<Arc<CredentialStore>>,
    chunk_limit: Option<usize>,
    call_timeout: Duration,
}

impl KeyringStore {
    /// The keyring of this platform; nothing is contacted yet.
    pub(crate) fn new() -> KeyringStore {
        KeyringStore {
            platform: OnceLock::new(),
            create: platform_store,
            chunk_limit: CHUNK_LIMIT,
            call_timeout: CALL_TIMEOUT,
        }
    }

    /// Connects to the keyring and looks an entry up, all within `bound`.
    /// `Err` says why the keyring is not usable.
    pub(crate) fn probe(&self, bound: Duration) -> std::result::Result<(), KeyringFailure> {
        let started = Instant::now();
        let platform = self.platform_within(bound)?;
        let left = bound.saturating_sub(started.elapsed());
        let account = "probe".to_string();
        let found = bounded(left, move || {
            entry(&platform, &account).and_then(|e| e.get_secret())
        })?;
        match found {
            Ok(_) | Err(KeyringError::NoEntry) => Ok(()),
            Err(e) => Err(KeyringFailure::platform(&e)),
        }
    }

    /// Connects to the keyring within `bound` (if not connected yet).
    pub(crate) fn connect(&self, bound: Duration) -> Result<()> {
        self.platform_within(bound).map(drop).map_err(unavailable)
    }

    fn platform_within(&self, bound: Duration) -> PlatformResult {
        let create = self.create;
        self.platform
            .get_or_init(|| match bounded(bound, create) {
                Ok(Ok(store)) => Ok(store),
                Ok(Err(e)) => Err(KeyringFailure::platform(&e)),
                Err(failure) => Err(failure),
            })
            .clone()
    }

    fn platform(&self) -> Result<Arc<CredentialStore>> {
        self.platform_within(CONNECT_TIMEOUT).map_err(unavailable)
    }

    /// Runs `job` against the platform store on a helper thread, within
    /// the call timeout. `op` on `account` is what the error names.
    fn call<T: Send + 'static>(
        &self,
        op: KeyringOp,
        account: &str,
        job: impl FnOnce(&Arc<CredentialStore>, Option<usize>) -> Outcome<T> + Send + 'static,
    ) -> Result<T> {
        let platform = self.platform()?;
        let limit = self.chunk_limit;
        bounded(self.call_timeout, move || job(&platform, limit))
            .and_then(|done| done)
            .map_err(|failure| {
                store_error(StoreProblem::KeyringCall {
                    op,
                    account: account.to_string(),
                    failure,
                })
            })
    }

    /// The value of an entry, reassembled from its chunks.
    pub(crate) fn read(&self, account: &str) -> Result<Option<Vec<u8>>> {
        let owned = account.to_string();
        self.call(KeyringOp::Read, account, move |store, _| {
            read_value(store, &owned)
        })
    }

    /// Stores a value, in chunks where the platform needs them.
    pub(crate) fn write(&self, account: &str, value: Vec<u8>) -> Result<()> {
        let owned = account.to_string();
        self.call(KeyringOp::Write, account, move |store, limit| {
            write_value(store, &owned, &value, limit)
        })
    }

    /// Removes an entry and its chunks; `false` when there was none.
    pub(crate) fn remove(&self, account: &str) -> Result<bool> {
        let owned = account.to_string();
        self.call(KeyringOp::Delete, account, move |store, _| {
            remove_value(store, &owned)
        })
    }

    pub(crate) fn load(&self, connection: &str) -> Result<Option<Record>> {
        super::check_name(connection)?;
        let account = account(Entry::Connection(connection));
        let Some(bytes) = self.read(&account)? else {
            return Ok(None);
        };
        let text = String::from_utf8(bytes).map_err(|_| not_text(&account))?;
        Record::parse(&text).map(Some).map_err(|problem| {
            store_error(StoreProblem::UnreadableRecord {
                place: Place::KeyringEntry(account),
                problem,
                connection: connection.to_string(),
            })
        })
    }

    pub(crate) fn save(&self, connection: &str, record: &Record) -> Result<()> {
        super::check_name(connection)?;
        self.write(
            &account(Entry::Connection(connection)),
            record.to_json().into_bytes(),
        )
    }

    pub(crate) fn get_secret(&self, entry: Entry<'_>) -> Result<Option<Secret>> {
        check_entry(entry)?;
        let account = account(entry);
        match self.read(&account)? {
            None => Ok(None),
            Some(bytes) => String::from_utf8(bytes)
                .map(|text| Some(Secret::new(text)))
                .map_err(|_| not_text(&account)),
        }
    }

    pub(crate) fn set_secret(&self, entry: Entry<'_>, value: &Secret) -> Result<()> {
        check_entry(entry)?;
        self.write(&account(entry), value.expose().as_bytes().to_vec())
    }

    pub(crate) fn delete_secret(&self, entry: Entry<'_>) -> Result<bool> {
        check_entry(entry)?;
        self.remove(&account(entry))
    }
}

fn check_entry(entry: Entry<'_>) -> Result<()> {
    match entry {
        Entry::Connection(name) | Entry::ClientSecret(name) => super::check_name(name),
    }
}

fn store_error(problem: StoreProblem) -> Error {
    Error::Store {
        store: StoreKind::Keyring,
        problem,
    }
}

fn not_text(account: &str) -> Error {
    store_error(StoreProblem::NotText {
        account: account.to_string(),
    })
}

/// The error of a keyring that cannot be used at all.
fn unavailable(failure: KeyringFailure) -> Error {
    store_error(StoreProblem::KeyringUnavailable(failure))
}

/// What a keyring job returns: its result, or why it failed.
type Outcome<T> = std::result::Result<T, KeyringFailure>;

/// Runs `job` on a helper thread and waits at most `bound` for it. On
/// timeout the thread is left to finish (or not) on its own: the process
/// does not wait for it at exit.
fn bounded<T: Send + 'static>(
    bound: Duration,
    job: impl FnOnce() -> T + Send + 'static,
) -> Outcome<T> {
    let (tx, rx) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("tether-keyring".into())
        .spawn(move || {
            let _ = tx.send(job());
        })
        .map_err(|e| KeyringFailure::NoThread {
            detail: e.to_string(),
        })?;
    rx.recv_timeout(bound).map_err(|e| match e {
        mpsc::RecvTimeoutError::Timeout => KeyringFailure::NoAnswer { within: bound },
        mpsc::RecvTimeoutError::Disconnected => KeyringFailure::Lost,
    })
}

/// `500 ms`, `15 s`.
fn human(d: Duration) -> String {
    if d.subsec_millis() == 0 && d.as_secs() > 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// The words for a `keyring-core` error, never with the value it may
/// carry: the library's own text only where it describes the platform's
/// failure.
fn failure_text(e: &KeyringError) -> String {
    match e {
        KeyringError::PlatformFailure(err) => err.to_string(),
        KeyringError::NoStorageAccess(err) => {
            format!("the keyring refused access; is it locked? ({err})")
        }
        KeyringError::NoEntry => "no such entry".into(),
        KeyringError::BadEncoding(_) | KeyringError::BadDataFormat(..) => {
            "the stored value is malformed".into()
        }
        KeyringError::BadStoreFormat(why) => format!("the keyring is malformed: {why}"),
        KeyringError::TooLong(what, limit) => {
            format!("the {what} is longer than the keyring allows ({limit})")
        }
        KeyringError::Invalid(what, why) => format!("the {what} is invalid: {why}"),
        KeyringError::Ambiguous(items) => format!(
            "{} keyring items match; remove all but one of them",
            items.len()
        ),
        KeyringError::NoDefaultStore => "no keyring is configured".into(),
        KeyringError::NotSupportedByStore(why) => format!("not supported: {why}"),
        _ => "the keyring failed".into(),
    }
}

fn entry(store: &Arc<CredentialStore>, account: &str) -> keyring_core::Result<KeyringEntry> {
    KeyringEntry::new_in_store(store, SERVICE, account)
}

/// The account of chunk `index` (0 is the first, which holds the header).
fn chunk_account(account: &str, index: usize) -> String {
    if index == 0 {
        account.to_string()
    } else {
        format!("{account}#{index}")
    }
}

fn get(store: &Arc<CredentialStore>, account: &str) -> Outcome<Option<Vec<u8>>> {
    match entry(store, account).and_then(|e| e.get_secret()) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(KeyringError::NoEntry) => Ok(None),
        Err(e) => Err(KeyringFailure::platform(&e)),
    }
}

fn set(store: &Arc<CredentialStore>, account: &str, bytes: &[u8]) -> Outcome<()> {
    entry(store, account)
        .and_then(|e| e.set_secret(bytes))
        .map_err(|e| KeyringFailure::platform(&e))
}

fn del(store: &Arc<CredentialStore>, account: &str) -> Outcome<bool> {
    match entry(store, account).and_then(|e| e.delete_credential()) {
        Ok(()) => Ok(true),
        Err(KeyringError::NoEntry) => Ok(false),
        Err(e) => Err(KeyringFailure::platform(&e)),
    }
}

fn read_value(store: &Arc<CredentialStore>, account: &str) -> Outcome<Option<Vec<u8>>> {
    let Some(first) = get(store, account)? else {
        return Ok(None);
    };
    let (count, head) = match chunks::parse_head(&first)? {
        chunks::Head::Plain => return Ok(Some(first)),
        chunks::Head::Chunked { count, data } => (count, data.to_vec()),
    };
    let mut rest = Vec::with_capacity(count - 1);
    for index in 1..count {
        let name = chunk_account(account, index);
        match get(store, &name)? {
            Some(bytes) => rest.push(bytes),
            None => return Err(KeyringFailure::MissingChunk { account: name }),
        }
    }
    Ok(Some(chunks::join(head, rest)))
}

fn write_value(
    store: &Arc<CredentialStore>,
    account: &str,
    value: &[u8],
    limit: Option<usize>,
) -> Outcome<()> {
    let parts = chunks::split(value, limit)?;
    for (index, part) in parts.iter().enumerate().skip(1) {
        set(store, &chunk_account(account, index), part)?;
    }
    set(store, account, &parts[0])?;
    if limit.is_some() {
        // Leftovers of a longer earlier value.
        let mut index = parts.len();
        while del(store, &chunk_account(account, index))? {
            index += 1;
        }
    }
    Ok(())
}

fn remove_value(store: &Arc<CredentialStore>, account: &str) -> Outcome<bool> {
    let count = match get(store, account)? {
        None => return Ok(false),
        Some(first) => match chunks::parse_head(&first) {
            Ok(chunks::Head::Chunked { count, .. }) => count,
            _ => 1,
        },
    };
    for index in 1..count {
        del(store, &chunk_account(account, index))?;
    }
    del(store, account)
}

/// Splitting a value across entries and joining it back; pure.
pub(crate) mod chunks {
    use super::KeyringFailure;

    /// Starts the first entry of a chunked value. The NUL byte keeps it
    /// from ever being the start of a record or of a textual secret.
    pub const MARKER: &[u8] = b"\0tether-chunks:";
    /// The marker, four digits of entry count and a newline.
    pub const HEADER_LEN: usize = MARKER.len() + 4 + 1;
    const MAX_COUNT: usize = 9999;

    /// What the first entry of a value says.
    #[derive(Debug, PartialEq, Eq)]
    pub enum Head<'a> {
        /// The entry is the whole value.
        Plain,
        /// The value spans `count` entries; `data` is the first part.
        Chunked { count: usize, data: &'a [u8] },
    }

    /// The entries to store `value` in, first one first. `limit` is the
    /// most one entry may hold; `None` for no limit.
    pub fn split(value: &[u8], limit: Option<usize>) -> Result<Vec<Vec<u8>>, KeyringFailure> {
        let fits = limit.is_none_or(|l| value.len() <= l);
        if fits && !value.starts_with(MARKER) {
            return Ok(vec![value.to_vec()]);
        }
        let limit = limit.unwrap_or(usize::MAX);
        if limit <= HEADER_LEN {
            return Err(KeyringFailure::LimitTooSmall { limit });
        }
        let first_len = value.len().min(limit - HEADER_LEN);
        let (first, rest) = value.split_at(first_len);
        let count = 1 + rest.len().div_ceil(limit);
        if count > MAX_COUNT {
            return Err(KeyringFailure::TooLong { len: value.len() });
        }
        let mut head = Vec::with_capacity(HEADER_LEN + first.len());
        head.extend_from_slice(MARKER);
        head.extend_from_slice(format!("{count:04}\n").as_bytes());
        head.extend_from_slice(first);
        let mut parts = vec![head];
        parts.extend(rest.chunks(limit).map(<[u8]>::to_vec));
        Ok(parts)
    }

    /// Reads the first entry of a value.
    pub fn parse_head(first: &[u8]) -> Result<Head<'_>, KeyringFailure> {
        let Some(after) = first.strip_prefix(MARKER) else {
            return Ok(Head::Plain);
        };
        let malformed = || KeyringFailure::MalformedChunkHeader;
        if after.len() < 5 || after[4] != b'\n' {
            return Err(malformed());
        }
        let count = std::str::from_utf8(&after[..4])
            .ok()
            .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|d| d.parse::<usize>().ok())
            .filter(|&n| n >= 1)
            .ok_or_else(malformed)?;
        Ok(Head::Chunked {
            count,
            data: &after[5..],
        })
    }

    /// The value from its first part and the following entries.
    pub fn join(first: Vec<u8>, rest: Vec<Vec<u8>>) -> Vec<u8> {
        let mut value = first;
        for part in rest {
            value.extend_from_slice(&part);
        }
        value
    }
}

#[cfg(all(test, unix, not(target_os = "macos")))]
#[path = "../../tests/cli/util/keyring.rs"]
mod secret_service;

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Mutex;

    use keyring_core::api::{CredentialApi, CredentialStoreApi};

    use super::chunks::{HEADER_LEN, Head, MARKER, join, parse_head, split};
    use super::*;
    use crate::config::AuthKind;

    fn reassemble(parts: &[Vec<u8>]) -> Vec<u8> {
        match parse_head(&parts[0]).unwrap() {
            Head::Plain => parts[0].clone(),
            Head::Chunked { count, data } => {
                assert_eq!(count, parts.len());
                join(data.to_vec(), parts[1..].to_vec())
            }
        }
    }

    #[test]
    fn short_values_are_stored_as_they_are() {
        assert_eq!(
            split(b"{\"a\":1}", Some(32)).unwrap(),
            vec![b"{\"a\":1}".to_vec()]
        );
        assert_eq!(split(b"", Some(32)).unwrap(), vec![Vec::<u8>::new()]);
        let long = vec![b'x'; 100_000];
        assert_eq!(split(&long, None).unwrap(), vec![long.clone()]);
        assert_eq!(parse_head(b"{}").unwrap(), Head::Plain);
    }

    #[test]
    fn long_values_split_within_the_limit_and_join_back() {
        let limit = HEADER_LEN + 4;
        for len in [limit + 1, limit + HEADER_LEN, 3 * limit, 3 * limit + 1, 500] {
            let value: Vec<u8> = (0..len)
                .map(|i| b"abcdefghijklmnopqrstuvwxyz"[i % 26])
                .collect();
            let parts = split(&value, Some(limit)).unwrap();
            assert!(parts.len() > 1);
            assert!(parts.iter().all(|p| p.len() <= limit), "len {len}");
            assert!(parts[0].starts_with(MARKER));
            assert_eq!(reassemble(&parts), value, "len {len}");
        }
        let parts = split(&[b'z'; 60], Some(limit)).unwrap();
        assert_eq!(&parts[0][..HEADER_LEN], b"\0tether-chunks:0004\n");
        assert_eq!(
            parts.iter().map(Vec::len).collect::<Vec<_>>(),
            [limit, limit, limit, 60 - 4 - 2 * limit]
        );
    }

    #[test]
    fn a_value_that_looks_like_a_header_is_still_read_back() {
        let mut value = MARKER.to_vec();
        value.extend_from_slice(b"0009\nnot really");
        for limit in [None, Some(256), Some(HEADER_LEN + 3)] {
            let parts = split(&value, limit).unwrap();
            assert_eq!(reassemble(&parts), value);
        }
    }

    #[test]
    fn bad_headers_and_limits_are_errors() {
        let malformed = Err(KeyringFailure::MalformedChunkHeader);
        assert_eq!(parse_head(b"\0tether-chunks:12"), malformed);
        assert_eq!(parse_head(b"\0tether-chunks:00x1\n"), malformed);
        assert_eq!(parse_head(b"\0tether-chunks:0000\n"), malformed);
        assert_eq!(
            KeyringFailure::MalformedChunkHeader.to_string(),
            "its chunk header is malformed"
        );
        let small = split(&[0; 30], Some(HEADER_LEN)).unwrap_err();
        assert_eq!(
            small.to_string(),
            format!("an entry of {HEADER_LEN} bytes is too small to split a value")
        );
        let long = split(&[0; 300_000], Some(HEADER_LEN + 1)).unwrap_err();
        assert_eq!(
            long.to_string(),
            "the value is too long (300000 bytes)",
            "over 9999 chunks"
        );
    }

    #[test]
    fn accounts() {
        assert_eq!(account(Entry::Connection("mc")), "connection:mc");
        assert_eq!(account(Entry::ClientSecret("gh")), "client-secret:gh");
        assert_eq!(chunk_account("connection:mc", 0), "connection:mc");
        assert_eq!(chunk_account("connection:mc", 2), "connection:mc#2");
    }

    // An in-memory keyring shared by every entry of one store, which can
    // also play a keyring that never answers.

    type Items = Arc<Mutex<HashMap<String, Vec<u8>>>>;

    /// What a silent keyring's calls wait on: an answer that never comes
    /// while the test holds the sending end.
    type Silence = Arc<Mutex<mpsc::Receiver<()>>>;

    #[derive(Debug, Default)]
    struct MemoryStore {
        items: Items,
        silence: Option<Silence>,
    }

    #[derive(Debug)]
    struct MemoryCred {
        items: Items,
        account: String,
        silence: Option<Silence>,
    }

    impl MemoryCred {
        fn wait(&self) {
            if let Some(silence) = &self.silence {
                // Returns once the test is over and drops the sender.
                let _ = silence.lock().unwrap().recv();
            }
        }
    }

    impl CredentialApi for MemoryCred {
        fn set_secret(&self, secret: &[u8]) -> keyring_core::Result<()> {
            self.wait();
            self.items
                .lock()
                .unwrap()
                .insert(self.account.clone(), secret.to_vec());
            Ok(())
        }
        fn get_secret(&self) -> keyring_core::Result<Vec<u8>> {
            self.wait();
            self.items
                .lock()
                .unwrap()
                .get(&self.account)
                .cloned()
                .ok_or(KeyringError::NoEntry)
        }
        fn delete_credential(&self) -> keyring_core::Result<()> {
            self.wait();
            self.items
                .lock()
                .unwrap()
                .remove(&self.account)
                .map(drop)
                .ok_or(KeyringError::NoEntry)
        }
        fn get_credential(&self) -> keyring_core::Result<Option<Arc<keyring_core::Credential>>> {
            Ok(None)
        }
        fn get_specifiers(&self) -> Option<(String, String)> {
            Some((SERVICE.into(), self.account.clone()))
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }

    impl CredentialStoreApi for MemoryStore {
        fn vendor(&self) -> String {
            "memory".into()
        }
        fn id(&self) -> String {
            "memory".into()
        }
        fn build(
            &self,
            service: &str,
            user: &str,
            _: Option<&HashMap<&str, &str>>,
        ) -> keyring_core::Result<KeyringEntry> {
            assert_eq!(service, SERVICE);
            Ok(KeyringEntry::new_with_credential(Arc::new(MemoryCred {
                items: self.items.clone(),
                account: user.into(),
                silence: self.silence.clone(),
            })))
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }

    fn keyring_over(memory: MemoryStore, chunk_limit: Option<usize>) -> KeyringStore {
        let platform: Arc<CredentialStore> = Arc::new(memory);
        KeyringStore {
            platform: OnceLock::from(Ok(platform)),
            create: || unreachable!("the platform store is given"),
            chunk_limit,
            call_timeout: Duration::from_millis(200),
        }
    }

    fn memory_store(chunk_limit: Option<usize>) -> (KeyringStore, Items) {
        let memory = MemoryStore::default();
        let items = memory.items.clone();
        (keyring_over(memory, chunk_limit), items)
    }

    /// A keyring whose calls never answer while the returned sender lives.
    fn silent_store() -> (KeyringStore, mpsc::Sender<()>) {
        let (sender, silence) = mpsc::channel();
        let memory = MemoryStore {
            silence: Some(Arc::new(Mutex::new(silence))),
            ..MemoryStore::default()
        };
        (keyring_over(memory, None), sender)
    }

    fn record() -> Record {
        Record {
            service: "gh".into(),
            auth: AuthKind::Oauth2,
            access_token: Some(Secret::new("gho_".repeat(40))),
            id_token: Some(Secret::new("eyJ".repeat(60))),
            ..Record::default()
        }
    }

    #[test]
    fn records_round_trip_through_chunked_entries() {
        let (store, items) = memory_store(Some(64));
        store.save("gh", &record()).unwrap();
        let stored = items.lock().unwrap().len();
        assert_eq!(stored, 7, "{} bytes in 7 entries", record().to_json().len());
        assert!(items.lock().unwrap().values().all(|v| v.len() <= 64));
        assert_eq!(store.load("gh").unwrap(), Some(record()));

        // A shorter value leaves no stale chunks behind.
        let short = Record {
            service: "gh".into(),
            ..Record::default()
        };
        store.save("gh", &short).unwrap();
        assert_eq!(items.lock().unwrap().len(), 1);
        assert_eq!(store.load("gh").unwrap(), Some(short));

        store.save("gh", &record()).unwrap();
        assert!(store.delete_secret(Entry::Connection("gh")).unwrap());
        assert!(items.lock().unwrap().is_empty());
        assert!(!store.delete_secret(Entry::Connection("gh")).unwrap());
        assert_eq!(store.load("gh").unwrap(), None);
    }

    #[test]
    fn missing_chunk_is_an_error_naming_the_entry() {
        let (store, items) = memory_store(Some(64));
        store.save("gh", &record()).unwrap();
        items.lock().unwrap().remove("connection:gh#2");
        assert_eq!(
            store.load("gh").unwrap_err().to_string(),
            "token store (keyring): cannot read keyring entry `connection:gh` (service `tether`): its part `connection:gh#2` is missing"
        );
    }

    #[test]
    fn secrets_and_corrupt_records() {
        let (store, items) = memory_store(None);
        store
            .set_secret(Entry::ClientSecret("gh"), &Secret::new("cs-value"))
            .unwrap();
        assert_eq!(items.lock().unwrap()["client-secret:gh"], b"cs-value");
        let got = store
            .get_secret(Entry::ClientSecret("gh"))
            .unwrap()
            .unwrap();
        assert_eq!(got.expose(), "cs-value");
        assert_eq!(
            store.get_secret(Entry::ClientSecret("other")).unwrap(),
            None
        );

        items.lock().unwrap().insert(
            "connection:gh".into(),
            br#"{"access_token": 7, "x": "tok_leak"}"#.to_vec(),
        );
        // Named, not quoted.
        assert_eq!(
            store.load("gh").unwrap_err().to_string(),
            "token store (keyring): keyring entry `connection:gh` (service `tether`) has a value of the wrong type (line 1, column 18)"
        );
    }

    #[test]
    fn a_keyring_that_never_answers_does_not_hang() {
        let (store, _silence) = silent_store();
        let started = Instant::now();
        let err = store.load("gh").unwrap_err().to_string();
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(
            err,
            "token store (keyring): cannot read keyring entry `connection:gh` (service `tether`): no answer within 200 ms"
        );

        let started = Instant::now();
        // What is left of the bound once the platform is there: 100 ms
        // or a little less.
        let why = store
            .probe(Duration::from_millis(100))
            .unwrap_err()
            .to_string();
        let left: u64 = why
            .strip_prefix("no answer within ")
            .and_then(|rest| rest.strip_suffix(" ms"))
            .and_then(|ms| ms.parse().ok())
            .unwrap_or_else(|| panic!("{why}"));
        assert!(left <= 100, "{why}");
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn a_platform_that_cannot_be_created_is_reported_once() {
        let store = KeyringStore {
            create: || Err(KeyringError::NoStorageAccess("locked".into())),
            ..KeyringStore::new()
        };
        let why = "the keyring refused access; is it locked? (locked)";
        assert_eq!(
            store
                .probe(Duration::from_millis(500))
                .unwrap_err()
                .to_string(),
            why
        );
        // Later calls give the same reason without trying again.
        assert_eq!(
            store.load("gh").unwrap_err().to_string(),
            format!(
                "token store (keyring): the {PLATFORM_NAME} is not available ({why}); to keep tokens in files instead, set `store = \"file\"` in the config or `TETHER_STORE=file`"
            )
        );
    }

    // Against a real Secret Service. The bus address comes from the
    // environment, which a test cannot change safely in its own process:
    // each of these tests runs itself again in a child process that has
    // the right `DBUS_SESSION_BUS_ADDRESS`.
    #[cfg(all(unix, not(target_os = "macos")))]
    mod on_a_real_bus {
        use super::super::secret_service::SecretService;
        use super::*;

        const CHILD: &str = "TETHER_TEST_KEYRING_CHILD";
        /// The folder the child keeps its files in, made by the parent.
        const CHILD_ROOT: &str = "TETHER_TEST_KEYRING_ROOT";

        /// In the parent, runs `test` in a child on the bus at `address`,
        /// with `root` for its files, and returns its stderr; in the child,
        /// returns `None`.
        fn rerun_on_bus(test: &str, address: &str, root: &std::path::Path) -> Option<String> {
            if std::env::var_os(CHILD).is_some() {
                return None;
            }
            let out = std::process::Command::new(std::env::current_exe().unwrap())
                .args([test, "--exact", "--nocapture", "--test-threads=1"])
                .env(CHILD, "1")
                .env(CHILD_ROOT, root)
                .env("DBUS_SESSION_BUS_ADDRESS", address)
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            assert!(
                out.status.success() && stdout.lines().any(|l| l == format!("test {test} ... ok")),
                "child test failed:\n{stdout}\n{stderr}"
            );
            Some(stderr)
        }

        fn temp_paths(root: &std::path::Path) -> crate::config::Paths {
            crate::config::Paths {
                config_file: root.join("config/tether.toml"),
                data_dir: root.join("data/tether"),
                state_dir: root.join("state/tether"),
            }
        }

        /// Checks, in the parent, that the child warned exactly once, for
        /// `why`, naming the folder of the file store under `root`, and
        /// said nothing else but how long the fallback took.
        fn assert_one_warning(stderr: &str, why: &str, root: &std::path::Path) {
            let lines: Vec<&str> = stderr.lines().collect();
            assert_eq!(lines.len(), 2, "{stderr}");
            assert_eq!(
                lines[0],
                format!(
                    "tether: warning: no OS keyring answered ({why}); keeping tokens in files under {} instead (set `store = \"file\"` in the config to choose this and silence this warning)",
                    root.join("data/tether/tokens").display()
                )
            );
            assert!(lines[1].starts_with("auto store fell back in "), "{stderr}");
        }

        /// Opens the `auto` store in the child's root, which must fall
        /// back to files within `bound`.
        fn assert_auto_falls_back(bound: Duration) {
            use crate::config::StoreChoice;
            use crate::store::{Store, StoreKind};
            let root = std::env::var_os(CHILD_ROOT).expect("the parent gives the root");
            let paths = temp_paths(std::path::Path::new(&root));
            let started = Instant::now();
            let store = Store::open(StoreChoice::Auto, None, &paths).unwrap();
            let kind = store.kind().unwrap();
            let took = started.elapsed();
            assert_eq!(kind, StoreKind::File);
            assert!(took < bound, "took {took:?}");
            eprintln!("auto store fell back in {took:?}");
        }

        #[test]
        fn auto_falls_back_to_files_fast_without_a_bus() {
            let test =
                "store::keyring::tests::on_a_real_bus::auto_falls_back_to_files_fast_without_a_bus";
            let address = "unix:path=/nonexistent/tether-test-bus";
            if std::env::var_os(CHILD).is_none() {
                let root = tempfile::tempdir().unwrap();
                let stderr = rerun_on_bus(test, address, root.path()).unwrap();
                let why = format!(
                    "zbus error: Failed to connect to address `{address}`: No such file or directory (os error 2)"
                );
                return assert_one_warning(&stderr, &why, root.path());
            }
            // No bus fails in milliseconds: no need to wait for the bound.
            assert_auto_falls_back(PROBE_TIMEOUT / 2);

            use crate::config::StoreChoice;
            let root = tempfile::tempdir().unwrap();
            let err =
                crate::store::Store::open(StoreChoice::Keyring, None, &temp_paths(root.path()))
                    .unwrap()
                    .kind()
                    .unwrap_err()
                    .to_string();
            assert_eq!(
                err,
                format!(
                    "token store (keyring): the Secret Service is not available (zbus error: Failed to connect to address `{address}`: No such file or directory (os error 2)); to keep tokens in files instead, set `store = \"file\"` in the config or `TETHER_STORE=file`"
                )
            );
        }

        #[test]
        fn auto_falls_back_when_the_secret_service_never_answers() {
            let test = "store::keyring::tests::on_a_real_bus::auto_falls_back_when_the_secret_service_never_answers";
            if std::env::var_os(CHILD).is_none() {
                let Some(service) = SecretService::start_or_skip() else {
                    return;
                };
                service.freeze();
                let root = tempfile::tempdir().unwrap();
                let stderr = rerun_on_bus(test, &service.bus_address, root.path()).unwrap();
                assert_one_warning(&stderr, "no answer within 500 ms", root.path());
                return;
            }
            assert_auto_falls_back(PROBE_TIMEOUT + Duration::from_millis(400));
        }

        #[test]
        fn real_secret_service_round_trip() {
            let test = "store::keyring::tests::on_a_real_bus::real_secret_service_round_trip";
            if std::env::var_os(CHILD).is_none() {
                let Some(service) = SecretService::start_or_skip() else {
                    return;
                };
                let root = tempfile::tempdir().unwrap();
                let stderr = rerun_on_bus(test, &service.bus_address, root.path()).unwrap();
                assert_eq!(stderr, "", "no warning, no note");
                return;
            }
            use crate::config::StoreChoice;
            use crate::store::{Store, StoreKind};
            let root = std::env::var_os(CHILD_ROOT).expect("the parent gives the root");
            let root = std::path::Path::new(&root);
            let paths = temp_paths(root);

            let store = Store::open(StoreChoice::Keyring, None, &paths).unwrap();
            assert_eq!(store.kind().unwrap(), StoreKind::Keyring);
            assert_eq!(store.location().unwrap(), "keyring (Secret Service)");
            assert_eq!(store.load("gh").unwrap(), None);
            store.save("gh", &record()).unwrap();
            assert_eq!(store.load("gh").unwrap(), Some(record()));
            let mut changed = record();
            changed.refresh_token = Some(Secret::new("ghr_rotated"));
            store.save("gh", &changed).unwrap();

            // Another store (another connection to the daemon) sees the same.
            let auto = Store::open(StoreChoice::Auto, None, &paths).unwrap();
            assert_eq!(auto.kind().unwrap(), StoreKind::Keyring);
            assert_eq!(auto.load("gh").unwrap(), Some(changed));

            let client = Entry::ClientSecret("gh");
            assert_eq!(store.get_secret(client).unwrap(), None);
            store.set_secret(client, &Secret::new("cs-1")).unwrap();
            assert_eq!(auto.get_secret(client).unwrap().unwrap().expose(), "cs-1");
            assert!(store.delete_secret(client).unwrap());
            assert!(!store.delete_secret(client).unwrap());

            assert!(store.delete("gh").unwrap());
            assert!(!store.delete("gh").unwrap());
            assert_eq!(auto.load("gh").unwrap(), None);
            assert!(!root.join("data").exists(), "nothing went to files");

            // Chunks, as on Windows, against the real service.
            let chunked = KeyringStore {
                chunk_limit: Some(64),
                ..KeyringStore::new()
            };
            chunked.save("big", &record()).unwrap();
            let unlimited = KeyringStore::new();
            let second = unlimited.read("connection:big#1").unwrap().unwrap();
            assert!(!second.is_empty() && second.len() <= 64);
            assert_eq!(chunked.load("big").unwrap(), Some(record()));
            assert_eq!(unlimited.load("big").unwrap(), Some(record()));
            assert!(chunked.delete_secret(Entry::Connection("big")).unwrap());
            assert_eq!(unlimited.read("connection:big#1").unwrap(), None);
        }
    }
}
