//! `invoke -o FILE`: the response body written to a file as it arrives,
//! never held in memory.
//!
//! The body goes to `FILE.part` beside FILE, which replaces FILE by a
//! rename once the whole body is in, so FILE is never half written. A
//! download that fails leaves FILE as it was and the `.part` file with
//! what arrived. A FILE that exists and is not a regular file (`/dev/null`,
//! a pipe) is written in place. The `.part` file is created when the first
//! response begins, so a request that gets no answer leaves nothing.

use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::{Path, PathBuf};

use super::send::BodySink;
use crate::{Error, Result};

/// The body of a response on its way to a file.
#[derive(Debug)]
pub struct Download {
    /// The FILE asked for (a symlink's target, so the rename replaces the
    /// file it points to and not the link).
    target: PathBuf,
    /// Where the body goes until it is complete; `None` to write `target`
    /// in place.
    part: Option<PathBuf>,
    file: Option<BufWriter<File>>,
}

impl Download {
    /// A download to `path`; nothing is created yet.
    pub fn to(path: &Path) -> Download {
        let target = match std::fs::symlink_metadata(path) {
            Ok(link) if link.is_symlink() => {
                std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
            }
            _ => path.to_path_buf(),
        };
        let in_place = std::fs::metadata(&target).is_ok_and(|m| !m.is_file());
        let part = (!in_place).then(|| part_path(&target));
        Download {
            target,
            part,
            file: None,
        }
    }

    /// Where the bytes go now.
    fn writing(&self) -> &Path {
        self.part.as_deref().unwrap_or(&self.target)
    }

    /// Puts the complete body in place.
    pub fn finish(mut self) -> Result<()> {
        if self.file.is_none() {
            self.restart()?;
        }
        if let Some(file) = self.file.take() {
            let written = self.writing().to_path_buf();
            file.into_inner()
                .map_err(|e| Error::io(&written, e.into_error()))?;
        }
        if let Some(part) = &self.part {
            std::fs::rename(part, &self.target).map_err(|e| Error::io(&self.target, e))?;
        }
        Ok(())
    }
}

impl BodySink for Download {
    /// Opens the file at the first response; at a later one (after a
    /// redirect, a retry), empties the `.part` file. A file written in
    /// place cannot be emptied: what an earlier response wrote stays.
    fn restart(&mut self) -> Result<()> {
        let path = self.writing().to_path_buf();
        let failed = |e| Error::io(&path, e);
        match (&mut self.file, &self.part) {
            (None, Some(part)) => {
                self.file = Some(BufWriter::new(File::create(part).map_err(failed)?));
            }
            (None, None) => {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&self.target)
                    .map_err(failed)?;
                self.file = Some(BufWriter::new(file));
            }
            (Some(file), Some(_)) => {
                file.flush().map_err(failed)?;
                file.get_mut().set_len(0).map_err(failed)?;
                file.get_mut().rewind().map_err(failed)?;
            }
            (Some(_), None) => {}
        }
        Ok(())
    }

    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        let path = self.writing().to_path_buf();
        match &mut self.file {
            Some(file) => file.write_all(bytes).map_err(|e| Error::io(path, e)),
            None => Err(Error::io(path, std::io::ErrorKind::NotConnected.into())),
        }
    }
}

/// `FILE.part`, beside FILE.
fn part_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    target.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_goes_to_a_part_file_until_it_is_complete() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.json");
        std::fs::write(&target, b"old").unwrap();
        let mut download = Download::to(&target);
        download.restart().unwrap();
        download.write(b"a redirect's body").unwrap();
        download.restart().unwrap();
        download.write(b"{\"a\":").unwrap();
        download.write(b"1}").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        assert!(dir.path().join("out.json.part").exists());
        download.finish().unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"{\"a\":1}");
        assert!(!dir.path().join("out.json.part").exists());
    }

    #[test]
    fn an_empty_body_makes_an_empty_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("empty");
        Download::to(&target).finish().unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_keeps_pointing_at_the_downloaded_file() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        let link = dir.path().join("link");
        std::fs::write(&real, b"old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let mut download = Download::to(&link);
        download.restart().unwrap();
        download.write(b"new").unwrap();
        download.finish().unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn what_is_not_a_regular_file_is_written_in_place() {
        let download = Download::to(Path::new("/dev/null"));
        assert_eq!(download.part, None);
        let mut download = download;
        download.restart().unwrap();
        download.write(b"gone").unwrap();
        download.finish().unwrap();
        assert_eq!(part_path(Path::new("/a/b.bin")), Path::new("/a/b.bin.part"));
    }
}
