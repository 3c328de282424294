//! The file token store (DESIGN §3): for machines without an OS keyring.
//!
//! Layout, under [`Paths::tokens_dir`]:
//!
//! * `NAME.json` — the record of connection NAME ([`Record::to_json`])
//! * `client-secrets/SERVICE.json` — `{"client_secret": "…"}` for service
//!   SERVICE; a folder of its own so that no connection name can collide
//!   with a client secret's file
//!
//! Invariants (DESIGN §6): folders are 0700, files 0600, every write is
//! atomic ([`fsutil::write_atomic`]), so a reader sees the old record or
//! the new one, never half of each. A file that cannot be parsed is an
//! error naming the file, never quoting it.
//!
//! A token file that is not private — its group or other users have any
//! permission on it, or another user owns it — is refused, as ssh refuses
//! such a private key: the check is made on the opened file, so the file
//! checked is the file read. [`FileStore::exposed`] and [`make_private`]
//! let `tether doctor` find and repair such files and folders.
//!
//! A write killed before its rename leaves `.NAME.json.XXXXXX.tmp` beside
//! the record, which may hold the only copy of a rotated refresh token.
//! [`FileStore::recover`] (run under the connection's lock before a
//! refresh) puts a newer complete one in place and removes them all;
//! deleting a record removes them too.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::config::Paths;
use crate::fsutil::{self, Mode};
use crate::secret::Secret;
use crate::{Error, Result};

use super::record::Record;
use super::{Entry, Place, StoreKind, StoreProblem};

/// Tokens in 0600 files under one folder.
#[derive(Debug, Clone)]
pub(crate) struct FileStore {
    dir: PathBuf,
}

/// The file of a stored client secret.
#[derive(Serialize, Deserialize)]
struct ClientSecretFile {
    client_secret: String,
}

impl FileStore {
    pub(crate) fn new(paths: &Paths) -> FileStore {
        FileStore {
            dir: paths.tokens_dir(),
        }
    }

    /// The folder that holds the token files.
    pub(crate) fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    fn record_path(&self, connection: &str) -> Result<PathBuf> {
        super::check_name(connection)?;
        Ok(self.dir.join(format!("{connection}.json")))
    }

    fn entry_path(&self, entry: Entry<'_>) -> Result<PathBuf> {
        match entry {
            Entry::Connection(name) => self.record_path(name),
            Entry::ClientSecret(service) => {
                super::check_name(service)?;
                Ok(self
                    .dir
                    .join("client-secrets")
                    .join(format!("{service}.json")))
            }
        }
    }

    fn corrupt(problem: StoreProblem) -> Error {
        Error::Store {
            store: StoreKind::File,
            problem,
        }
    }

    pub(crate) fn load(&self, connection: &str) -> Result<Option<Record>> {
        let path = self.record_path(connection)?;
        let Some(text) = read_private(&path)? else {
            return Ok(None);
        };
        Record::parse(&text).map(Some).map_err(|problem| {
            FileStore::corrupt(StoreProblem::UnreadableRecord {
                place: Place::File(path),
                problem,
                connection: connection.to_string(),
            })
        })
    }

    /// Recovers the record of `connection` from the temp files that
    /// writes killed before their rename left behind: the newest one that
    /// holds a complete record of the same service, obtained no earlier
    /// than the stored one, replaces it. Then every such temp file goes,
    /// complete or not. A connection with no stored record (deleted) gets
    /// nothing back. Returns whether the record was replaced. Call it under
    /// the connection's lock: a temp file still being written is left
    /// alone ([`fsutil::leftovers`]), but two recoveries must not race.
    pub(crate) fn recover(&self, connection: &str) -> Result<bool> {
        let path = self.record_path(connection)?;
        let mut leftovers = fsutil::leftovers(&path)?;
        if leftovers.is_empty() {
            return Ok(false);
        }
        let stored = self.load(connection)?;
        let mut newest: Option<(Record, Option<SystemTime>)> = None;
        for leftover in &mut leftovers {
            let Some(candidate) = complete_record(leftover)? else {
                continue;
            };
            let modified = leftover.modified();
            let replaces = stored.as_ref().is_some_and(|stored| {
                candidate.service == stored.service
                    && candidate.obtained_at >= stored.obtained_at
                    && candidate != *stored
            });
            let newer = newest.as_ref().is_none_or(|(best, best_modified)| {
                (candidate.obtained_at, modified) > (best.obtained_at, *best_modified)
            });
            if replaces && newer {
                newest = Some((candidate, modified));
            }
        }
        if let Some((record, _)) = &newest {
            self.save(connection, record)?;
        }
        for leftover in leftovers {
            leftover.remove()?;
        }
        Ok(newest.is_some())
    }

    pub(crate) fn save(&self, connection: &str, record: &Record) -> Result<()> {
        let path = self.record_path(connection)?;
        self.write(&path, record.to_json())
    }

    pub(crate) fn get_secret(&self, entry: Entry<'_>) -> Result<Option<Secret>> {
        match entry {
            Entry::Connection(name) => {
                let path = self.record_path(name)?;
                let text = read_private(&path)?;
                Ok(text.map(|t| Secret::new(t.trim_end().to_string())))
            }
            Entry::ClientSecret(_) => {
                let path = self.entry_path(entry)?;
                let Some(text) = read_private(&path)? else {
                    return Ok(None);
                };
                let file: ClientSecretFile = serde_json::from_str(&text)
                    .map_err(|_| FileStore::corrupt(StoreProblem::NotClientSecret { path }))?;
                Ok(Some(Secret::new(file.client_secret)))
            }
        }
    }

    pub(crate) fn set_secret(&self, entry: Entry<'_>, value: &Secret) -> Result<()> {
        let path = self.entry_path(entry)?;
        match entry {
            // A connection's entry is its record (`Store` checks it).
            Entry::Connection(_) => self.write(&path, value.expose().to_string()),
            Entry::ClientSecret(_) => {
                let file = ClientSecretFile {
                    client_secret: value.expose().to_string(),
                };
                let text = serde_json::to_string(&file).expect("a string serializes to JSON");
                self.write(&path, text)
            }
        }
    }

    pub(crate) fn delete_secret(&self, entry: Entry<'_>) -> Result<bool> {
        let path = self.entry_path(entry)?;
        // Copies that killed writes left behind hold tokens too.
        for leftover in fsutil::leftovers(&path)? {
            leftover.remove()?;
        }
        remove(&path)
    }

    /// Everything under the token folder that is not private: the folder
    /// first, then what it holds, in name order. Empty when the folder does
    /// not exist (and on systems without Unix permissions).
    pub(crate) fn exposed(&self) -> Result<Vec<Exposed>> {
        let mut found = Vec::new();
        #[cfg(unix)]
        match std::fs::metadata(&self.dir) {
            Ok(meta) => {
                if let Some(exposure) = exposure(&meta) {
                    found.push(Exposed {
                        path: self.dir.clone(),
                        exposure,
                    });
                }
                exposed_within(&self.dir, &mut found)?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&self.dir, e)),
        }
        Ok(found)
    }

    fn write(&self, path: &std::path::Path, mut text: String) -> Result<()> {
        // The token folder is created 0700 even when `path` is in a
        // sub-folder of it.
        fsutil::create_private_dir(&self.dir)?;
        text.push('\n');
        fsutil::write_atomic(path, text.as_bytes(), Mode::Private)
    }
}

/// Why a token file or folder is not private to the user running tether.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exposure {
    /// Its group or other users have permissions on it: its mode.
    Mode(u32),
    /// Another user owns it: that user's id.
    Owner(u32),
}

impl Exposure {
    /// What makes a file of `mode` owned by `owner` not private to user
    /// `me`: another owner first (no `chmod` mends that), then any
    /// permission of the group or others.
    pub fn of(mode: u32, owner: u32, me: u32) -> Option<Exposure> {
        if owner != me {
            Some(Exposure::Owner(owner))
        } else if mode & 0o077 != 0 {
            Some(Exposure::Mode(mode & 0o7777))
        } else {
            None
        }
    }
}

/// Reads after a path, in parentheses: "mode 0644", "owned by uid 1001".
impl fmt::Display for Exposure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Exposure::Mode(mode) => write!(f, "mode {mode:04o}"),
            Exposure::Owner(uid) => write!(f, "owned by uid {uid}"),
        }
    }
}

/// A file or folder of the token store that is not private.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Exposed {
    pub path: PathBuf,
    pub exposure: Exposure,
}

/// What makes the file or folder of `meta` not private to this process's
/// user.
#[cfg(unix)]
pub(crate) fn exposure(meta: &std::fs::Metadata) -> Option<Exposure> {
    use std::os::unix::fs::MetadataExt;
    Exposure::of(meta.mode(), meta.uid(), rustix::process::geteuid().as_raw())
}

/// Adds what is not private under `dir` to `found`, in name order; a
/// symlinked folder is checked but not entered.
#[cfg(unix)]
fn exposed_within(dir: &Path, found: &mut Vec<Exposed>) -> Result<()> {
    let mut entries = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .map(|entry| entry.map_err(|e| Error::io(dir, e)))
        .collect::<Result<Vec<_>>>()?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        // The file a read would open: through a symlink.
        let meta = std::fs::metadata(&path).map_err(|e| Error::io(&path, e))?;
        if let Some(exposure) = exposure(&meta) {
            found.push(Exposed {
                path: path.clone(),
                exposure,
            });
        }
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            exposed_within(&path, found)?;
        }
    }
    Ok(())
}

/// Takes every permission of the group and others away from `path`
/// (`chmod go-rwx`); the owner's stay. Returns the mode it had.
#[cfg(unix)]
pub(crate) fn make_private(path: &Path) -> Result<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|e| Error::io(path, e))?
        .permissions()
        .mode();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & !0o077))
        .map_err(|e| Error::io(path, e))?;
    Ok(mode & 0o7777)
}

/// Reads a token file; `Ok(None)` when it does not exist. A file that is
/// not private is refused before a byte of it is read.
fn read_private(path: &Path) -> Result<Option<String>> {
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
    };
    #[cfg(unix)]
    {
        let meta = file.metadata().map_err(|e| Error::io(path, e))?;
        if let Some(exposure) = exposure(&meta) {
            return Err(Error::ExposedTokenFile {
                path: path.to_path_buf(),
                exposure,
            });
        }
    }
    let mut text = String::new();
    file.read_to_string(&mut text)
        .map_err(|e| Error::io(path, e))?;
    Ok(Some(text))
}

/// The record a temp file holds, when it holds a whole one; `None` for a
/// write cut short (or anything else that is not a record).
fn complete_record(leftover: &mut fsutil::Leftover) -> Result<Option<Record>> {
    let bytes = leftover.read()?;
    Ok(std::str::from_utf8(&bytes)
        .ok()
        .and_then(|text| Record::parse(text).ok()))
}

/// Removes a file; `Ok(false)` when it was not there.
fn remove(path: &std::path::Path) -> Result<bool> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Error::io(path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::AuthKind;

    fn store(root: &std::path::Path) -> FileStore {
        FileStore::new(&Paths {
            config_file: root.join("config/tether.toml"),
            data_dir: root.join("data/tether"),
            state_dir: root.join("state/tether"),
        })
    }

    fn record() -> Record {
        Record {
            service: "gh".into(),
            auth: AuthKind::Oauth2,
            access_token: Some(Secret::new("gho_secret_access")),
            refresh_token: Some(Secret::new("ghr_secret_refresh")),
            expires_at: Some(1_700_000_000),
            obtained_at: 1_699_990_000,
            ..Record::default()
        }
    }

    #[test]
    fn record_round_trip_and_delete() {
        let root = tempfile::tempdir().unwrap();
        let store = store(root.path());
        assert_eq!(store.load("gh-work").unwrap(), None);
        assert!(!store.delete_secret(Entry::Connection("gh-work")).unwrap());

        store.save("gh-work", &record()).unwrap();
        assert_eq!(store.load("gh-work").unwrap(), Some(record()));
        assert!(store.dir().join("gh-work.json").is_file());

        let mut changed = record();
        changed.access_token = Some(Secret::new("gho_new"));
        store.save("gh-work", &changed).unwrap();
        assert_eq!(store.load("gh-work").unwrap(), Some(changed));

        assert!(store.delete_secret(Entry::Connection("gh-work")).unwrap());
        assert_eq!(store.load("gh-work").unwrap(), None);
    }

    #[cfg(unix)]
    #[test]
    fn folders_are_0700_and_files_0600() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let store = store(root.path());
        store.save("gh", &record()).unwrap();
        store
            .set_secret(Entry::ClientSecret("gh"), &Secret::new("cs"))
            .unwrap();
        let mode = |p: PathBuf| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(root.path().join("data/tether")), 0o700);
        assert_eq!(mode(store.dir().to_path_buf()), 0o700);
        assert_eq!(mode(store.dir().join("client-secrets")), 0o700);
        assert_eq!(mode(store.dir().join("gh.json")), 0o600);
        assert_eq!(mode(store.dir().join("client-secrets/gh.json")), 0o600);
    }

    #[test]
    fn a_file_is_private_when_its_owner_alone_may_use_it() {
        assert_eq!(Exposure::of(0o100600, 1000, 1000), None);
        assert_eq!(Exposure::of(0o40700, 1000, 1000), None);
        assert_eq!(Exposure::of(0o400, 1000, 1000), None);
        for mode in [0o644, 0o640, 0o604, 0o620, 0o602, 0o610, 0o755] {
            assert_eq!(
                Exposure::of(0o100000 | mode, 1000, 1000),
                Some(Exposure::Mode(mode)),
                "{mode:o}"
            );
        }
        // Another owner comes first: no chmod mends it.
        assert_eq!(
            Exposure::of(0o100644, 1001, 1000),
            Some(Exposure::Owner(1001))
        );
        assert_eq!(Exposure::of(0o100600, 0, 1000), Some(Exposure::Owner(0)));
        assert_eq!(Exposure::Mode(0o644).to_string(), "mode 0644");
        assert_eq!(Exposure::Owner(1001).to_string(), "owned by uid 1001");
    }

    #[cfg(unix)]
    #[test]
    fn a_token_file_others_can_read_is_refused_unread() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let store = store(root.path());
        store.save("gh", &record()).unwrap();
        store
            .set_secret(Entry::ClientSecret("gh"), &Secret::new("cs"))
            .unwrap();
        let chmod = |path: &Path, mode: u32| {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
        };
        let record_path = store.dir().join("gh.json");
        let secret_path = store.dir().join("client-secrets/gh.json");
        for mode in [0o644, 0o640, 0o660, 0o606] {
            chmod(&record_path, mode);
            let err = store.load("gh").unwrap_err();
            assert_eq!(
                err.to_string(),
                format!(
                    "token store (file): {} is not private (mode {mode:04o}); refusing to read it",
                    record_path.display()
                )
            );
            assert_eq!(
                err.hint().unwrap(),
                format!(
                    "run `tether doctor --fix`, or `chmod 600 {}`",
                    record_path.display()
                )
            );
            assert_eq!(err.exit_code(), crate::exit::FAILURE);
            assert!(store.get_secret(Entry::Connection("gh")).is_err());
        }
        chmod(&secret_path, 0o644);
        assert!(matches!(
            store.get_secret(Entry::ClientSecret("gh")),
            Err(Error::ExposedTokenFile {
                exposure: Exposure::Mode(0o644),
                ..
            })
        ));

        // What doctor finds, and what it mends.
        chmod(store.dir(), 0o755);
        let found = store.exposed().unwrap();
        let found: Vec<(&Path, Exposure)> = found
            .iter()
            .map(|e| (e.path.as_path(), e.exposure))
            .collect();
        assert_eq!(
            found,
            [
                (store.dir(), Exposure::Mode(0o755)),
                (secret_path.as_path(), Exposure::Mode(0o644)),
                (record_path.as_path(), Exposure::Mode(0o606)),
            ]
        );
        for (path, _) in &found {
            make_private(path).unwrap();
        }
        assert_eq!(store.exposed().unwrap(), []);
        assert_eq!(store.load("gh").unwrap(), Some(record()));
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&record_path), 0o600);
        assert_eq!(mode(store.dir()), 0o700);
    }

    #[test]
    fn client_secrets_do_not_collide_with_connections() {
        let root = tempfile::tempdir().unwrap();
        let store = store(root.path());
        store.save("gh", &record()).unwrap();
        assert_eq!(store.get_secret(Entry::ClientSecret("gh")).unwrap(), None);
        store
            .set_secret(Entry::ClientSecret("gh"), &Secret::new("client-s3cret"))
            .unwrap();
        let got = store
            .get_secret(Entry::ClientSecret("gh"))
            .unwrap()
            .unwrap();
        assert_eq!(got.expose(), "client-s3cret");
        assert_eq!(store.load("gh").unwrap(), Some(record()));

        assert!(store.delete_secret(Entry::ClientSecret("gh")).unwrap());
        assert!(!store.delete_secret(Entry::ClientSecret("gh")).unwrap());
        assert_eq!(store.load("gh").unwrap(), Some(record()));
    }

    #[test]
    fn connection_entry_is_the_record() {
        let root = tempfile::tempdir().unwrap();
        let store = store(root.path());
        let json = Secret::new(record().to_json());
        store.set_secret(Entry::Connection("gh"), &json).unwrap();
        assert_eq!(store.load("gh").unwrap(), Some(record()));
        assert_eq!(
            store.get_secret(Entry::Connection("gh")).unwrap(),
            Some(json)
        );
    }

    #[test]
    fn corrupt_file_is_named_not_quoted() {
        let root = tempfile::tempdir().unwrap();
        let store = store(root.path());
        store.save("gh", &record()).unwrap();
        let path = store.dir().join("gh.json");
        std::fs::write(
            &path,
            r#"{"access_token": "gho_leak", "expires_at": "gho_leak2"}"#,
        )
        .unwrap();
        assert_eq!(
            store.load("gh").unwrap_err().to_string(),
            format!(
                "token store (file): {} has a value of the wrong type (line 1, column 54)",
                path.display()
            )
        );

        let secret_path = store.dir().join("client-secrets/gh.json");
        store
            .set_secret(Entry::ClientSecret("gh"), &Secret::new("cs"))
            .unwrap();
        // Overwritten in place, so the file stays private.
        std::fs::write(&secret_path, "cs_leak").unwrap();
        assert_eq!(
            store
                .get_secret(Entry::ClientSecret("gh"))
                .unwrap_err()
                .to_string(),
            format!(
                "token store (file): {} is not a stored client secret ({{\"client_secret\": \"…\"}})",
                secret_path.display()
            )
        );
    }

    /// Writes `text` to a temp file of `gh.json` as a killed write leaves it.
    fn leave_temp(store: &FileStore, random: &str, text: &str) -> PathBuf {
        let path = store.dir().join(format!(".gh.json.{random}.tmp"));
        std::fs::write(&path, text).unwrap();
        path
    }

    fn temps(store: &FileStore) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(store.dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.starts_with('.'))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn recovery_puts_back_the_newest_complete_record_and_clears_the_rest() {
        let root = tempfile::tempdir().unwrap();
        let store = store(root.path());
        store.save("gh", &record()).unwrap();
        let mut rotated = record();
        rotated.access_token = Some(Secret::new("gho_new"));
        rotated.refresh_token = Some(Secret::new("ghr_rotated"));
        rotated.obtained_at += 3600;
        let mut older = record();
        older.obtained_at -= 3600;
        older.refresh_token = Some(Secret::new("ghr_spent_long_ago"));
        let mut foreign = rotated.clone();
        foreign.service = "gitlab".into();
        foreign.obtained_at += 60;
        let json = rotated.to_json();
        leave_temp(&store, "AAAAAA", &json[..json.len() / 2]);
        leave_temp(&store, "BBBBBB", &format!("{json}\n"));
        leave_temp(&store, "CCCCCC", &older.to_json());
        leave_temp(&store, "DDDDDD", &foreign.to_json());
        leave_temp(&store, "EEEEEE", "{}");
        // Not a temp file of `gh.json`.
        leave_temp(&store, "json.FFFFFF", &foreign.to_json());

        assert!(store.recover("gh").unwrap());
        assert_eq!(store.load("gh").unwrap(), Some(rotated.clone()));
        assert_eq!(temps(&store), [".gh.json.json.FFFFFF.tmp"]);
        assert!(!store.recover("gh").unwrap(), "nothing left to recover");
        assert_eq!(store.load("gh").unwrap(), Some(rotated));
    }

    #[test]
    fn recovery_keeps_a_newer_stored_record_and_what_a_live_writer_holds() {
        let root = tempfile::tempdir().unwrap();
        let store = store(root.path());
        store.save("gh", &record()).unwrap();
        let mut older = record();
        older.obtained_at -= 1;
        older.refresh_token = Some(Secret::new("ghr_older"));
        leave_temp(&store, "AAAAAA", &older.to_json());
        let mut newer = record();
        newer.obtained_at += 1;
        let live = leave_temp(&store, "BBBBBB", &newer.to_json());
        let writing = std::fs::File::open(&live).unwrap();
        writing.lock().unwrap();

        assert!(!store.recover("gh").unwrap());
        assert_eq!(store.load("gh").unwrap(), Some(record()));
        assert_eq!(temps(&store), [".gh.json.BBBBBB.tmp"]);
    }

    #[test]
    fn a_deleted_record_is_not_brought_back_and_its_copies_go_with_it() {
        let root = tempfile::tempdir().unwrap();
        let store = store(root.path());
        store.save("gh", &record()).unwrap();
        let mut newer = record();
        newer.obtained_at += 1;
        leave_temp(&store, "AAAAAA", &newer.to_json());
        assert!(store.delete_secret(Entry::Connection("gh")).unwrap());
        assert_eq!(temps(&store), Vec::<String>::new());

        leave_temp(&store, "BBBBBB", &newer.to_json());
        assert!(!store.recover("gh").unwrap());
        assert_eq!(store.load("gh").unwrap(), None);
        assert_eq!(temps(&store), Vec::<String>::new());
    }

    #[test]
    fn refuses_names_that_would_leave_the_folder() {
        let root = tempfile::tempdir().unwrap();
        let store = store(root.path());
        let refused = |name: &str| {
            format!(
                "`{name}` is not a valid name: use letters, digits, `-`, `_` and `.`, starting with a letter or digit (64 at most)"
            )
        };
        assert_eq!(
            store.save("../escape", &record()).unwrap_err().to_string(),
            refused("../escape")
        );
        assert_eq!(store.load("a/b").unwrap_err().to_string(), refused("a/b"));
        assert_eq!(
            store
                .get_secret(Entry::ClientSecret(".."))
                .unwrap_err()
                .to_string(),
            refused("..")
        );
        assert!(!root.path().join("escape.json").exists());
    }
}
