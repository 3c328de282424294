//! The per-connection refresh lock (DESIGN §3): one tether process at a
//! time renews a connection's tokens.
//!
//! The lock is a [`fsutil::lock`] on `LOCKS/NAME.lock`, where LOCKS is
//! [`Paths::locks_dir`] (0700): the OS drops it when the process dies, and
//! the lock file is never deleted. A holder takes the lock, reads the store
//! again, refreshes only if the token is still due, saves, and drops the
//! lock; so N processes that find the same expired token make one refresh
//! between them, and a rotated refresh token is stored before anyone uses
//! the new access token.
//!
//! A connection kept in a shared store is locked by its store instead
//! ([`Store::lock`](super::Store::lock)): the row lock of a database
//! transaction, which serializes refreshes across machines as the lock
//! file does across the processes of one. A [`ConnectionLock`] is either;
//! dropping a row lock whose record was not saved rolls its transaction
//! back.

use std::path::Path;
use std::rc::Rc;
use std::time::Duration;

use crate::config::Paths;
use crate::fsutil::{self, FileLock};
use crate::{Error, Result};

/// A held lock on one connection; released when dropped.
#[derive(Debug)]
pub struct ConnectionLock(Held);

#[derive(Debug)]
enum Held {
    File(FileLock),
    /// The row of `connection` in a shared store, held by its open
    /// transaction.
    Row {
        store: Rc<super::postgres::PgStore>,
        connection: String,
    },
}

impl ConnectionLock {
    /// The lock of a row that `store` has just locked.
    pub(super) fn row(store: Rc<super::postgres::PgStore>, connection: &str) -> ConnectionLock {
        ConnectionLock(Held::Row {
            store,
            connection: connection.to_string(),
        })
    }

    /// The lock file; `None` for a row lock.
    pub fn path(&self) -> Option<&Path> {
        match &self.0 {
            Held::File(lock) => Some(lock.path()),
            Held::Row { .. } => None,
        }
    }
}

impl Drop for ConnectionLock {
    fn drop(&mut self) {
        if let Held::Row { store, connection } = &self.0 {
            // Nothing when a save or delete has already committed.
            store.release(connection);
        }
    }
}

/// Takes the lock on `connection`, waiting up to `timeout` for another
/// process to release it.
pub fn lock(paths: &Paths, connection: &str, timeout: Duration) -> Result<ConnectionLock> {
    super::check_name(connection)?;
    let path = paths.locks_dir().join(format!("{connection}.lock"));
    match fsutil::lock(&path, timeout)? {
        Some(held) => Ok(ConnectionLock(Held::File(held))),
        None => Err(Error::LockTimeout {
            connection: connection.to_string(),
            waited: timeout,
            path,
        }),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::mpsc::{self, RecvTimeoutError};
    use std::time::Instant;

    use super::*;

    fn paths(root: &Path) -> Paths {
        Paths {
            config_file: root.join("config/tether.toml"),
            data_dir: root.join("data"),
            state_dir: root.join("state"),
        }
    }

    #[test]
    fn second_attempt_times_out_until_the_first_is_dropped() {
        let root = tempfile::tempdir().unwrap();
        let paths = paths(root.path());
        let first = lock(&paths, "mc-prod", Duration::ZERO).unwrap();

        let started = Instant::now();
        let err = lock(&paths, "mc-prod", Duration::from_millis(120)).unwrap_err();
        assert!(started.elapsed() >= Duration::from_millis(120));
        assert_eq!(
            err.to_string(),
            format!(
                "gave up after 0.1 s waiting for another tether process to finish with connection `mc-prod` (lock file {})",
                first.path().unwrap().display()
            )
        );

        // Another connection is not blocked.
        let _other = lock(&paths, "other", Duration::ZERO).unwrap();

        drop(first);
        let again = lock(&paths, "mc-prod", Duration::ZERO).unwrap();
        assert!(again.path().unwrap().exists(), "the lock file stays");
    }

    #[test]
    fn waiter_gets_the_lock_when_the_holder_lets_go() {
        let root = tempfile::tempdir().unwrap();
        let paths = paths(root.path());
        let first = lock(&paths, "gh", Duration::ZERO).unwrap();
        let released = Arc::new(AtomicBool::new(false));

        let (started, has_started) = mpsc::channel();
        let (acquired, has_acquired) = mpsc::channel();
        let (release, on_release) = mpsc::channel::<()>();
        let waiter = {
            let (paths, released) = (paths.clone(), Arc::clone(&released));
            std::thread::spawn(move || {
                started.send(()).unwrap();
                let second = lock(&paths, "gh", Duration::from_secs(30)).unwrap();
                // Whether the first holder had let go when this one got in.
                acquired.send(released.load(Ordering::SeqCst)).unwrap();
                let _ = on_release.recv();
                drop(second);
            })
        };

        // The second holder waits while the first one holds the lock (it
        // tries every 25 ms, so it had a dozen chances here)...
        has_started.recv().unwrap();
        assert_eq!(
            has_acquired.recv_timeout(Duration::from_millis(300)),
            Err(RecvTimeoutError::Timeout)
        );
        // ...and gets it once the first one lets go, not before.
        released.store(true, Ordering::SeqCst);
        drop(first);
        assert_eq!(has_acquired.recv_timeout(Duration::from_secs(10)), Ok(true));

        // It really holds it: nobody else gets in until it lets go.
        assert!(lock(&paths, "gh", Duration::ZERO).is_err());
        release.send(()).unwrap();
        waiter.join().unwrap();
        lock(&paths, "gh", Duration::ZERO).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn lock_folder_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let paths = paths(root.path());
        let held = lock(&paths, "gh", Duration::ZERO).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&paths.locks_dir()), 0o700);
        assert_eq!(mode(held.path().unwrap()), 0o600);
    }

    #[test]
    fn refuses_names_that_are_not_file_names() {
        let root = tempfile::tempdir().unwrap();
        let err = lock(&paths(root.path()), "../x", Duration::ZERO).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`../x` is not a valid name: use letters, digits, `-`, `_` and `.`, starting with a letter or digit (64 at most)"
        );
        assert!(!root.path().join("state").exists(), "no lock folder made");
    }
}
