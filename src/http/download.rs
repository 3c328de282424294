//! `invoke -o FILE` and `invoke --download`: the response body written to
//! a file as it arrives, never held in memory.
//!
//! The body goes to `FILE.part` beside FILE, which replaces FILE by a
//! rename once the whole body is in, so FILE is never half written. A
//! download that fails leaves FILE as it was and the `.part` file with
//! what arrived. A FILE that exists and is not a regular file (`/dev/null`,
//! a pipe) is written in place. The `.part` file is created when the first
//! response begins, so a request that gets no answer leaves nothing.
//!
//! Beside the `.part` file, `FILE.part.tether` keeps the answer's strong
//! `ETag` (else its `Last-Modified`), so that `--continue` resumes the
//! kept bytes with `Range` and `If-Range` (RFC 9110 §14.2, §13.1.5): a
//! `206` whose `Content-Range` starts where the kept bytes end is
//! appended; any other answer (the resource changed: `200`) starts over.
//!
//! `--download` names FILE after the answer: the base name of its
//! `Content-Disposition` file name (RFC 6266), else the last segment of
//! the URL, in the current folder; a name that exists gets `.1`, `.2`, …,
//! and the final link refuses to replace a file that appeared meanwhile,
//! so no existing file is ever overwritten.
//!
//! On a terminal, a progress bar shows the size, the rate and the time
//! left.

use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use url::Url;

use super::send::BodySink;
use crate::{Error, Result};

/// The body of a response on its way to a file.
#[derive(Debug)]
pub struct Download {
    /// The FILE asked for (a symlink's target, so the rename replaces the
    /// file it points to and not the link); `None` until the answer names
    /// it (`--download`).
    target: Option<PathBuf>,
    /// `--download`: the folder, and the URL that names the file when the
    /// answer does not.
    naming: Option<(PathBuf, Url)>,
    /// FILE is written in place: it exists and is not a regular file.
    in_place: bool,
    file: Option<BufWriter<File>>,
    /// Bytes an earlier download left in the `.part` file (`--continue`).
    kept: Option<Kept>,
    /// The current response's body goes nowhere: a redirect's, before
    /// `--download` has a name.
    discarding: bool,
    /// Draw a progress bar on stderr.
    show_progress: bool,
    progress: Option<ProgressBar>,
}

/// What an interrupted download left to resume.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Kept {
    len: u64,
    /// `If-Range`'s value: the ETag or Last-Modified of the kept bytes.
    validator: String,
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
        Download {
            target: Some(target),
            in_place,
            ..Download::unnamed(None)
        }
    }

    fn unnamed(naming: Option<(PathBuf, Url)>) -> Download {
        Download {
            target: None,
            naming,
            in_place: false,
            file: None,
            kept: None,
            discarding: false,
            show_progress: false,
            progress: None,
        }
    }

    /// A download to `path` that resumes what an interrupted one kept in
    /// `path.part`, when it kept the validator to resume it with.
    pub fn resuming(path: &Path) -> Download {
        let mut download = Download::to(path);
        if let Some(part) = download.part() {
            let len = std::fs::metadata(&part).map_or(0, |m| m.len());
            let validator = std::fs::read_to_string(validator_path(&part)).ok();
            if let (true, Some(validator)) = (len > 0, validator) {
                download.kept = Some(Kept {
                    len,
                    validator: validator.trim().to_string(),
                });
            }
        }
        download
    }

    /// A download named after the answer, in `dir` (`--download`); `url`
    /// names it when the answer does not.
    pub fn named_by_answer(dir: &Path, url: &Url) -> Download {
        Download::unnamed(Some((dir.to_path_buf(), url.clone())))
    }

    /// Draws a progress bar on stderr while the body arrives.
    pub fn with_progress(mut self, show: bool) -> Download {
        self.show_progress = show;
        self
    }

    /// The headers that ask for the rest of the kept bytes, if any.
    pub fn resume_headers(&self) -> Vec<(String, String)> {
        match &self.kept {
            Some(kept) => vec![
                ("Range".into(), format!("bytes={}-", kept.len)),
                ("If-Range".into(), kept.validator.clone()),
            ],
            None => Vec::new(),
        }
    }

    /// Where the body went (once it began).
    pub fn target(&self) -> Option<&Path> {
        self.target.as_deref()
    }

    /// `FILE.part`, unless FILE is written in place.
    fn part(&self) -> Option<PathBuf> {
        match (&self.target, self.in_place) {
            (Some(target), false) => Some(part_path(target)),
            _ => None,
        }
    }

    /// Where the bytes go now.
    fn writing(&self) -> PathBuf {
        self.part()
            .or_else(|| self.target.clone())
            .unwrap_or_default()
    }

    /// Puts the complete body in place; returns where.
    pub fn finish(mut self) -> Result<PathBuf> {
        if self.target.is_none() {
            self.name(None);
        }
        if self.file.is_none() {
            self.restart()?;
        }
        if let Some(file) = self.file.take() {
            let written = self.writing();
            file.into_inner()
                .map_err(|e| Error::io(&written, e.into_error()))?;
        }
        if let Some(progress) = self.progress.take() {
            progress.finish_and_clear();
        }
        let target = self.target.clone().unwrap_or_default();
        let Some(part) = self.part() else {
            return Ok(target);
        };
        let target = if self.naming.is_some() {
            self.link_new(&part, target)?
        } else {
            std::fs::rename(&part, &target).map_err(|e| Error::io(&target, e))?;
            target
        };
        let _ = std::fs::remove_file(validator_path(&part));
        Ok(target)
    }

    /// `--download`: moves `part` to `target`, or to the next free name
    /// when a file took `target` meanwhile; an existing file is never
    /// replaced.
    fn link_new(&mut self, part: &Path, mut target: PathBuf) -> Result<PathBuf> {
        loop {
            match std::fs::hard_link(part, &target) {
                Ok(()) => {
                    std::fs::remove_file(part).map_err(|e| Error::io(part, e))?;
                    return Ok(target);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    target = free_name(&target);
                }
                Err(e) => return Err(Error::io(&target, e)),
            }
        }
    }

    /// `--download`: the file the answer names (its `Content-Disposition`),
    /// else the URL's, that does not exist yet.
    fn name(&mut self, content_disposition: Option<&str>) {
        let Some((dir, url)) = &self.naming else {
            return;
        };
        let name = content_disposition
            .and_then(disposition_name)
            .or_else(|| url_name(url))
            .unwrap_or_else(|| "download".into());
        let mut target = dir.join(name);
        while target.exists() || part_path(&target).exists() {
            target = free_name(&target);
        }
        self.target = Some(target);
    }

    /// Starts the progress bar for a body of `len` bytes (when known),
    /// `done` of them already in the file.
    fn start_progress(&mut self, len: Option<u64>, done: u64) {
        if !self.show_progress {
            return;
        }
        let bar = match len {
            Some(len) => {
                ProgressBar::with_draw_target(Some(len + done), ProgressDrawTarget::stderr())
                    .with_style(
                        ProgressStyle::with_template(
                            "{bytes}/{total_bytes} [{wide_bar}] {bytes_per_sec}, {eta} left",
                        )
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("=> "),
                    )
            }
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
                ProgressStyle::with_template("{spinner} {bytes} {bytes_per_sec}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            ),
        };
        bar.set_position(done);
        self.progress = Some(bar);
    }
}

impl BodySink for Download {
    /// Opens the file at the first response; at a later one (after a
    /// redirect, a retry), empties the `.part` file. A file written in
    /// place cannot be emptied: what an earlier response wrote stays.
    fn restart(&mut self) -> Result<()> {
        let path = self.writing();
        let failed = |e| Error::io(&path, e);
        let part = self.part();
        match (&mut self.file, part) {
            (None, Some(part)) => {
                self.file = Some(BufWriter::new(File::create(part).map_err(failed)?));
            }
            (None, None) => {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&path)
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

    /// Names the file (`--download`), appends to the kept bytes when the
    /// answer continues them, else starts over; keeps the validator of a
    /// successful answer for a later `--continue`.
    fn begin(&mut self, status: u16, headers: &[(String, String)]) -> Result<()> {
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        let redirect = matches!(status, 301 | 302 | 303 | 307 | 308);
        self.discarding = self.target.is_none() && redirect;
        if self.discarding {
            return Ok(());
        }
        if self.target.is_none() {
            self.name(header("content-disposition"));
        }
        let kept = self.kept.take();
        let resumed = kept.as_ref().filter(|kept| {
            status == 206 && header("content-range").and_then(range_start) == Some(kept.len)
        });
        let done = match (resumed, self.part()) {
            (Some(kept), Some(part)) if self.file.is_none() => {
                let file = std::fs::OpenOptions::new()
                    .append(true)
                    .open(&part)
                    .map_err(|e| Error::io(&part, e))?;
                self.file = Some(BufWriter::new(file));
                kept.len
            }
            _ => {
                self.restart()?;
                0
            }
        };
        if let (true, Some(part)) = ((200..300).contains(&status), self.part())
            && done == 0
        {
            // A failure to keep it only costs the resumption.
            let _ = match validator(header("etag"), header("last-modified")) {
                Some(validator) => std::fs::write(validator_path(&part), validator),
                None => std::fs::remove_file(validator_path(&part)),
            };
        }
        if (200..300).contains(&status) {
            let len = header("content-length").and_then(|v| v.trim().parse().ok());
            self.start_progress(len, done);
        }
        Ok(())
    }

    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        if self.discarding {
            return Ok(());
        }
        let path = self.writing();
        if let Some(progress) = &self.progress {
            progress.inc(bytes.len() as u64);
        }
        match &mut self.file {
            Some(file) => file.write_all(bytes).map_err(|e| Error::io(path, e)),
            None => Err(Error::io(path, std::io::ErrorKind::NotConnected.into())),
        }
    }
}

/// `FILE.part`, beside FILE.
fn part_path(target: &Path) -> PathBuf {
    with_suffix(target, ".part")
}

/// Where the validator of `FILE.part` is kept.
fn validator_path(part: &Path) -> PathBuf {
    with_suffix(part, ".tether")
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// `NAME.1` for `NAME`, `NAME.2` for `NAME.1`, …
fn free_name(taken: &Path) -> PathBuf {
    let name = taken
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let next = match name.rsplit_once('.') {
        Some((stem, n)) if !stem.is_empty() && n.parse::<u32>().is_ok() => {
            format!("{stem}.{}", n.parse::<u32>().unwrap_or(0) + 1)
        }
        _ => format!("{name}.1"),
    };
    taken.with_file_name(next)
}

/// What `If-Range` may carry: a strong ETag (a weak one may not be
/// used, RFC 9110 §13.1.5), else a Last-Modified date.
fn validator(etag: Option<&str>, last_modified: Option<&str>) -> Option<String> {
    etag.map(str::trim)
        .filter(|e| e.starts_with('"'))
        .or(last_modified.map(str::trim))
        .filter(|v| !v.is_empty() && !v.contains(['\r', '\n']))
        .map(str::to_string)
}

/// The first byte of a `Content-Range: bytes FIRST-LAST/LENGTH`.
fn range_start(value: &str) -> Option<u64> {
    let range = value.trim().strip_prefix("bytes")?.trim_start();
    range.split_once('-')?.0.trim().parse().ok()
}

/// The file name of a `Content-Disposition` (RFC 6266): `filename*`
/// (RFC 8187, UTF-8) over `filename`, as a safe base name.
pub(crate) fn disposition_name(value: &str) -> Option<String> {
    let params = split_params(value);
    let extended = params.iter().find_map(|(name, value)| {
        let (charset, rest) = value.split_once('\'')?;
        let (_, encoded) = rest.split_once('\'')?;
        (name.eq_ignore_ascii_case("filename*") && charset.eq_ignore_ascii_case("utf-8")).then(
            || {
                percent_encoding::percent_decode_str(encoded)
                    .decode_utf8_lossy()
                    .into_owned()
            },
        )
    });
    let plain = || {
        params
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("filename"))
            .map(|(_, value)| value.clone())
    };
    extended.or_else(plain).and_then(|name| safe_name(&name))
}

/// The `;`-separated `name=value` parameters of a header value, quoted
/// strings unquoted.
fn split_params(value: &str) -> Vec<(String, String)> {
    let mut params = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut escaped = false;
    let mut pieces = Vec::new();
    for c in value.chars() {
        match c {
            _ if escaped => {
                current.push(c);
                escaped = false;
            }
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => pieces.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    pieces.push(current);
    for piece in pieces {
        if let Some((name, value)) = piece.split_once('=') {
            params.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    params
}

/// The last segment of the URL's path, as a safe base name.
fn url_name(url: &Url) -> Option<String> {
    let last = url.path_segments()?.rev().find(|s| !s.is_empty())?;
    let decoded = percent_encoding::percent_decode_str(last).decode_utf8_lossy();
    safe_name(&decoded)
}

/// `name` as a file name in the current folder: its base name only (no
/// folder, in either slash), no leading dots (no hidden or parent
/// names), no control characters; `None` when nothing is left.
fn safe_name(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    // Dots and spaces may alternate at the start (". .profile"): both go,
    // so the name neither hides nor starts with a space.
    let cleaned: String = base
        .trim_start_matches(|c: char| c == '.' || c.is_whitespace())
        .trim_end()
        .chars()
        .map(|c| if c.is_control() { '_' } else { c })
        .collect();
    (!cleaned.is_empty()).then_some(cleaned)
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
        assert_eq!(download.part(), None);
        let mut download = download;
        download.restart().unwrap();
        download.write(b"gone").unwrap();
        download.finish().unwrap();
        assert_eq!(part_path(Path::new("/a/b.bin")), Path::new("/a/b.bin.part"));
    }

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn kept_bytes_resume_when_the_answer_continues_them() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("f.bin");
        let mut first = Download::to(&target);
        first
            .begin(
                200,
                &headers(&[("ETag", "\"v1\""), ("Content-Length", "6")]),
            )
            .unwrap();
        first.write(b"abc").unwrap();
        drop(first); // interrupted
        assert!(!target.exists());

        let resumed = Download::resuming(&target);
        assert_eq!(
            resumed.resume_headers(),
            headers(&[("Range", "bytes=3-"), ("If-Range", "\"v1\"")])
        );
        let mut resumed = resumed;
        resumed
            .begin(206, &headers(&[("Content-Range", "bytes 3-5/6")]))
            .unwrap();
        resumed.write(b"def").unwrap();
        resumed.finish().unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"abcdef");
        assert!(!dir.path().join("f.bin.part").exists());
        assert!(!dir.path().join("f.bin.part.tether").exists());

        // The resource changed: a 200 starts over.
        std::fs::write(dir.path().join("f.bin.part"), b"old").unwrap();
        std::fs::write(dir.path().join("f.bin.part.tether"), "\"v1\"").unwrap();
        let mut changed = Download::resuming(&target);
        changed.begin(200, &headers(&[("ETag", "\"v2\"")])).unwrap();
        changed.write(b"new body").unwrap();
        changed.finish().unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new body");

        // Without a kept validator, nothing is resumed.
        std::fs::write(dir.path().join("f.bin.part"), b"old").unwrap();
        assert_eq!(Download::resuming(&target).resume_headers(), []);
    }

    #[test]
    fn validators_are_strong_etags_or_dates() {
        assert_eq!(
            validator(Some("\"x\""), Some("d")).as_deref(),
            Some("\"x\"")
        );
        assert_eq!(validator(Some("W/\"x\""), Some("d")).as_deref(), Some("d"));
        assert_eq!(validator(Some("W/\"x\""), None), None);
        assert_eq!(range_start("bytes 100-199/200"), Some(100));
        assert_eq!(range_start("bytes */200"), None);
    }

    #[test]
    fn names_come_from_the_answer_or_the_url_as_base_names() {
        let name = |value: &str| disposition_name(value);
        assert_eq!(
            name("attachment; filename=\"report.csv\"").as_deref(),
            Some("report.csv")
        );
        assert_eq!(
            name("attachment; filename=\"../../etc/passwd\"").as_deref(),
            Some("passwd")
        );
        assert_eq!(
            name("attachment; filename=\"a;b\\\".txt\"").as_deref(),
            Some("a;b\".txt")
        );
        assert_eq!(
            name("attachment; filename=x.txt; filename*=UTF-8''na%C3%AFve%20r%C3%A9sum%C3%A9.pdf")
                .as_deref(),
            Some("naïve résumé.pdf")
        );
        assert_eq!(
            name("attachment; filename=\"..\\\\..\\\\win.ini\"").as_deref(),
            Some("win.ini")
        );
        assert_eq!(
            name("attachment; filename=\".bashrc\"").as_deref(),
            Some("bashrc")
        );
        assert_eq!(
            name("attachment; filename=\". .profile \"").as_deref(),
            Some("profile"),
            "dots and spaces alternate"
        );
        assert_eq!(name("attachment; filename=\"..\"").as_deref(), None);
        assert_eq!(name("inline").as_deref(), None);
        let url = |u: &str| url_name(&Url::parse(u).unwrap());
        assert_eq!(
            url("https://x.example/files/a%20b.zip?x=1").as_deref(),
            Some("a b.zip")
        );
        assert_eq!(url("https://x.example/dir/").as_deref(), Some("dir"));
        assert_eq!(url("https://x.example/").as_deref(), None);
    }

    #[test]
    fn an_answer_named_file_never_replaces_one_that_exists() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("r.csv"), b"mine").unwrap();
        std::fs::write(dir.path().join("r.csv.1"), b"mine too").unwrap();
        let url = Url::parse("https://x.example/r.csv").unwrap();
        let mut download = Download::named_by_answer(dir.path(), &url);
        download
            .begin(302, &headers(&[("Location", "/elsewhere")]))
            .unwrap();
        download.write(b"redirect body").unwrap();
        download.begin(200, &[]).unwrap();
        download.write(b"new").unwrap();
        // A file that appears meanwhile is not replaced either.
        std::fs::write(dir.path().join("r.csv.2"), b"raced").unwrap();
        download.finish().unwrap();
        assert_eq!(std::fs::read(dir.path().join("r.csv")).unwrap(), b"mine");
        assert_eq!(std::fs::read(dir.path().join("r.csv.2")).unwrap(), b"raced");
        assert_eq!(std::fs::read(dir.path().join("r.csv.3")).unwrap(), b"new");
        assert_eq!(free_name(Path::new("/a/x.9")), Path::new("/a/x.10"));
    }
}
