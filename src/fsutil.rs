//! Small file-system helpers with the guarantees tether promises: atomic
//! writes (a `tempfile` in the same folder, fsync, rename), private folders
//! (0700) and private files (0600) for anything that may hold a secret.
//! Every error names its path.

use std::fs::{self, File};
use std::io::Write;
use std::path::Path;

use crate::{Error, Result};

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

/// Writes `bytes` to `path` atomically: a reader sees the old file or the
/// new one, never a mix, and a crash leaves the old file in place.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: Mode) -> Result<()> {
    // A config kept in a dotfiles repository is often a symlink: replace
    // the file it points at, not the link.
    let resolved = match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            Some(fs::canonicalize(path).map_err(|e| Error::io(path, e))?)
        }
        _ => None,
    };
    let path = resolved.as_deref().unwrap_or(path);
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_private_dir(dir)?;

    let existing = fs::metadata(path).ok();
    // The temp file is named after the file it replaces, so one left by a
    // crash says what it belongs to; tempfile creates it 0600 and removes
    // it again on any error.
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut file = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    let tmp = file.path().to_path_buf();
    if let (Mode::KeepExisting, Some(meta)) = (mode, &existing) {
        file.as_file()
            .set_permissions(meta.permissions())
            .map_err(|e| Error::io(&tmp, e))?;
    }
    file.write_all(bytes).map_err(|e| Error::io(&tmp, e))?;
    file.as_file().sync_all().map_err(|e| Error::io(&tmp, e))?;
    file.persist(path).map_err(|e| Error::io(path, e.error))?;
    // Make the rename itself durable.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
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
