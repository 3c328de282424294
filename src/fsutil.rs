//! Small file-system helpers with the guarantees tether promises: atomic
//! writes (a `tempfile` in the same folder, fsync, rename), private folders
//! (0700) and private files (0600) for anything that may hold a secret,
//! and cross-process file locks. Every error names its path.
//!
//! Invariants:
//!
//! * A write that dies before its rename leaves the old file in place and a
//!   temp file `.NAME.XXXXXX.tmp` beside it (NAME is the target's file
//!   name), so a leftover says what it belongs to. The writer holds a lock
//!   on its temp file until the rename, so [`leftovers`] hands out only the
//!   temp files whose writer is gone, never one being written.
//! * A lock ([`lock`]) is an advisory OS file lock (`flock` on Unix,
//!   `LockFileEx` on Windows, through `std::fs::File::lock`): it belongs to
//!   the open file, so the OS drops it when the process dies, and a crashed
//!   tether never leaves anything locked. Lock files are never deleted:
//!   removing one while another process waits on it would let two
//!   processes "hold" two different files.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::{Error, Result};

/// How long [`lock`] sleeps between two attempts. Short, because a holder
/// is a token request or a config edit, which usually takes milliseconds.
const LOCK_POLL: Duration = Duration::from_millis(25);

/// How often [`write_atomic`] starts again with a new temp file when a
/// cleaner removed its temp file in the instant before the writer locked
/// it. Once is already a rare race; three in a row means something else
/// deletes files in that folder.
const TEMP_ATTEMPTS: usize = 3;

/// Who may read a file written by [`write_atomic`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// 0600: the file holds secrets.
    Private,
    /// Keep the permissions of the file being replaced; 0600 for a new file
    /// (a config file is private until its owner says otherwise).
    KeepExisting,
}

/// Creates `dir` and its parents; the folders created are 0700.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| Error::io(dir, e))
}

/// The file `path` names: the target of a symlink, else `path` itself. A
/// config kept in a dotfiles repository is often a symlink: writes replace
/// the file it points at, not the link.
fn resolve_link(path: &Path) -> Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            fs::canonicalize(path).map_err(|e| Error::io(path, e))
        }
        _ => Ok(path.to_path_buf()),
    }
}

/// The folder of `path` (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// The file name of `path`, as text.
fn file_name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Writes `bytes` to `path` atomically: a reader sees the old file or the
/// new one, never a mix, and a crash leaves the old file in place (and a
/// temp file beside it: see the module docs).
pub fn write_atomic(path: &Path, bytes: &[u8], mode: Mode) -> Result<()> {
    let path = &resolve_link(path)?;
    let dir = folder_of(path);
    create_private_dir(dir)?;

    let existing = fs::metadata(path).ok();
    let mut file = locked_temp_file(dir, &file_name_of(path))?;
    let tmp = file.path().to_path_buf();
    if let (Mode::KeepExisting, Some(meta)) = (mode, &existing) {
        file.as_file()
            .set_permissions(meta.permissions())
            .map_err(|e| Error::io(&tmp, e))?;
    }
    file.write_all(bytes).map_err(|e| Error::io(&tmp, e))?;
    file.as_file().sync_all().map_err(|e| Error::io(&tmp, e))?;
    // The lock on the temp file goes with the handle, after the rename.
    file.persist(path).map_err(|e| Error::io(path, e.error))?;
    // Make the rename itself durable.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// A new temp file `.NAME.XXXXXX.tmp` in `dir`, locked by this process.
/// tempfile creates it 0600 and removes it again on any error.
fn locked_temp_file(dir: &Path, name: &str) -> Result<tempfile::NamedTempFile> {
    for _ in 0..TEMP_ATTEMPTS {
        let file = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| Error::io(dir, e))?;
        file.as_file()
            .lock()
            .map_err(|e| Error::io(file.path(), e))?;
        // A cleaner that met the file before it was locked took it for a
        // dead writer's and removed it: then start again.
        if file.path().exists() {
            return Ok(file);
        }
    }
    Err(Error::io(dir, std::io::ErrorKind::NotFound.into()))
}

/// A temp file that [`write_atomic`] left beside its target when its
/// process died before the rename. It is held locked, so no writer can be
/// using it, until it is dropped or removed.
#[derive(Debug)]
pub struct Leftover {
    path: PathBuf,
    file: File,
}

impl Leftover {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Everything it holds (a write that died midway left only a part).
    pub fn read(&mut self) -> Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.file
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(&self.path, e))?;
        Ok(bytes)
    }

    /// When it was last written, when the system says.
    pub fn modified(&self) -> Option<SystemTime> {
        self.file.metadata().and_then(|m| m.modified()).ok()
    }

    /// Deletes it; one already gone is fine.
    pub fn remove(self) -> Result<()> {
        match fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io(&self.path, e)),
        }
    }
}

/// The temp files that writes of `path` left behind and whose writers are
/// gone, oldest name first. A temp file that a running [`write_atomic`]
/// holds is not among them; neither is a temp file of another target
/// whose name merely starts the same (`.a.json.json.XXXXXX.tmp` is not a
/// leftover of `a.json`).
pub fn leftovers(path: &Path) -> Result<Vec<Leftover>> {
    let path = &resolve_link(path)?;
    let dir = folder_of(path);
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let name = file_name_of(path);
    let mut names: Vec<String> = entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|candidate| is_temp_of(&name, candidate))
        .collect();
    names.sort();
    let mut found = Vec::new();
    for candidate in names {
        let path = dir.join(candidate);
        let file = match File::open(&path) {
            Ok(file) => file,
            // Renamed or cleaned up since the folder was read.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(Error::io(&path, e)),
        };
        match file.try_lock() {
            Ok(()) => found.push(Leftover { path, file }),
            // Its writer is alive and still writing.
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
    }
    Ok(found)
}

/// Whether `candidate` is the name [`write_atomic`] gives a temp file for
/// the file called `name`: `.NAME.` + random letters and digits + `.tmp`.
fn is_temp_of(name: &str, candidate: &str) -> bool {
    candidate
        .strip_prefix('.')
        .and_then(|rest| rest.strip_prefix(name))
        .and_then(|rest| rest.strip_prefix('.'))
        .and_then(|rest| rest.strip_suffix(".tmp"))
        .is_some_and(|random| {
            !random.is_empty() && random.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// An exclusive lock on a file, held until dropped.
#[derive(Debug)]
pub struct FileLock {
    file: File,
    path: PathBuf,
}

impl FileLock {
    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        // Closing the file releases the lock too; unlocking first makes the
        // release immediate even if a duplicate handle exists somewhere.
        let _ = self.file.unlock();
    }
}

/// Takes an exclusive lock on the file at `path`, created 0600 (in a 0700
/// folder) when missing, waiting up to `timeout` for another process to
/// let go. `Ok(None)` when it did not within `timeout`.
pub fn lock(path: &Path, timeout: Duration) -> Result<Option<FileLock>> {
    create_private_dir(folder_of(path))?;
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path).map_err(|e| Error::io(path, e))?;

    let deadline = Instant::now() + timeout;
    loop {
        match file.try_lock() {
            Ok(()) => {
                return Ok(Some(FileLock {
                    file,
                    path: path.to_path_buf(),
                }));
            }
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(e)) => return Err(Error::io(path, e)),
        }
        let now = Instant::now();
        if now >= deadline {
            return Ok(None);
        }
        std::thread::sleep(LOCK_POLL.min(deadline - now));
    }
}

/// Reads a file to a string; `Ok(None)` when it does not exist.
pub fn read_optional(path: &Path) -> Result<Option<String>> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/cfg.toml");
        write_atomic(&path, b"one", Mode::KeepExisting).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "one");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let dir_mode = fs::metadata(path.parent().unwrap())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(dir_mode & 0o777, 0o700);
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
            write_atomic(&path, b"two", Mode::KeepExisting).unwrap();
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o640
            );
            write_atomic(&path, b"three", Mode::Private).unwrap();
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        assert_eq!(fs::read_to_string(&path).unwrap(), "three");
        let leftovers: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temp file left behind");
    }

    #[test]
    fn temp_names_belong_to_one_file() {
        assert!(is_temp_of("a.json", ".a.json.x7Yz01.tmp"));
        assert!(!is_temp_of("a.json", ".a.json.json.x7Yz01.tmp"));
        assert!(!is_temp_of("a.json", ".a.json..tmp"));
        assert!(!is_temp_of("a.json", "a.json.x7Yz01.tmp"));
        assert!(!is_temp_of("a.json", ".a.json.x7Yz01.tmp.bak"));
        assert!(!is_temp_of("a", ".ab.json.x7Yz01.tmp"));
    }

    #[test]
    fn leftovers_are_the_temp_files_no_writer_holds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gh.json");
        write_atomic(&path, b"stored", Mode::Private).unwrap();
        assert!(leftovers(&path).unwrap().is_empty(), "a write leaves none");

        let dead = dir.path().join(".gh.json.AAAAAA.tmp");
        fs::write(&dead, b"half a rec").unwrap();
        let other = dir.path().join(".gh.json.json.BBBBBB.tmp");
        fs::write(&other, b"another file's").unwrap();
        // A writer that is still at it holds a lock on its temp file.
        let live = dir.path().join(".gh.json.CCCCCC.tmp");
        let writing = File::create(&live).unwrap();
        writing.lock().unwrap();

        let mut found = leftovers(&path).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path(), dead);
        assert_eq!(found[0].read().unwrap(), b"half a rec");
        assert!(found[0].modified().is_some());
        found.pop().unwrap().remove().unwrap();
        assert!(!dead.exists());
        assert!(other.exists() && live.exists());

        drop(writing);
        assert_eq!(leftovers(&path).unwrap().len(), 1, "its writer died");
        assert!(
            leftovers(&dir.path().join("none/x.json"))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn a_lock_is_held_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/x.lock");
        let held = lock(&path, Duration::ZERO).unwrap().unwrap();
        assert_eq!(held.path(), path);
        let started = Instant::now();
        assert!(lock(&path, Duration::from_millis(60)).unwrap().is_none());
        assert!(started.elapsed() >= Duration::from_millis(60));
        drop(held);
        assert!(lock(&path, Duration::ZERO).unwrap().is_some());
        assert!(path.exists(), "the lock file stays");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("dotfiles/tether.toml");
        write_atomic(&target, b"old", Mode::KeepExisting).unwrap();
        let link = dir.path().join("config/tether.toml");
        fs::create_dir_all(link.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write_atomic(&link, b"new", Mode::KeepExisting).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
    }
}
