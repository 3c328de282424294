//! What a request sends from outside the command line, bounded: the file
//! of an `@file`, `field=@file` or `field:=@file` item or of `--body
//! @FILE`, and standard input for `--body -`.
//!
//! A request's body is held in memory (it is sent again after a 307 or
//! 308), so tether reads at most [`MAX_INPUT`] bytes. Files must be
//! regular files: a device such as `/dev/zero` never ends, and a pipe
//! belongs on standard input. A file that grows past the limit while it is
//! read is refused like one that was too big to begin with.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::oauth::token_error::size_text;
use crate::{Error, Result};

/// The most a request sends from a file or standard input: far above the
/// JSON documents and form uploads an API takes in one request, small
/// enough to hold in memory a few times over.
pub const MAX_INPUT: usize = 64 * 1024 * 1024;

/// Why a file or standard input cannot be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputProblem {
    /// A device, a pipe, a directory: anything but a regular file.
    NotAFile,
    /// More than [`MAX_INPUT`] bytes.
    TooLarge,
}

/// Reads after the path: "/dev/zero: is not a regular file".
impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputProblem::NotAFile => f.write_str("is not a regular file"),
            InputProblem::TooLarge => write!(
                f,
                "holds more than {}, the most tether sends",
                size_text(MAX_INPUT)
            ),
        }
    }
}

impl InputProblem {
    pub fn hint(self) -> String {
        match self {
            InputProblem::NotAFile => {
                "`@` reads regular files; pipe anything else to `--body -`".into()
            }
            InputProblem::TooLarge => {
                "for a larger body, use curl with `$(tether token NAME)`".into()
            }
        }
    }
}

fn refused(path: impl Into<PathBuf>, problem: InputProblem) -> Error {
    Error::RequestInput {
        path: path.into(),
        problem,
    }
}

/// The bytes of the regular file at `path`, at most [`MAX_INPUT`] of them.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    let metadata = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !metadata.is_file() {
        return Err(refused(path, InputProblem::NotAFile));
    }
    if metadata.len() > MAX_INPUT as u64 {
        return Err(refused(path, InputProblem::TooLarge));
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    read_bounded(file, path)
}

/// Standard input, at most [`MAX_INPUT`] bytes of it.
pub fn read_stdin() -> Result<Vec<u8>> {
    read_bounded(std::io::stdin().lock(), Path::new("<stdin>"))
}

/// All of `source` when it holds at most [`MAX_INPUT`] bytes; `name` names
/// it in errors.
fn read_bounded(source: impl Read, name: &Path) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    source
        .take(MAX_INPUT as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(name, e))?;
    if bytes.len() > MAX_INPUT {
        return Err(refused(name, InputProblem::TooLarge));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(result: Result<Vec<u8>>) -> Option<InputProblem> {
        match result {
            Err(Error::RequestInput { problem, .. }) => Some(problem),
            Err(other) => panic!("{other}"),
            Ok(_) => None,
        }
    }

    #[test]
    fn a_source_is_read_up_to_the_limit_and_not_past_it() {
        let name = Path::new("<stdin>");
        let exactly = std::io::repeat(7).take(MAX_INPUT as u64);
        assert_eq!(read_bounded(exactly, name).unwrap().len(), MAX_INPUT);
        assert_eq!(
            problem(read_bounded(std::io::repeat(0), name)),
            Some(InputProblem::TooLarge),
            "an endless source stops one byte past the limit"
        );
    }

    #[test]
    fn only_regular_files_are_read() {
        assert_eq!(
            problem(read_file(Path::new("/dev/zero"))),
            Some(InputProblem::NotAFile)
        );
        assert_eq!(
            problem(read_file(Path::new("/"))),
            Some(InputProblem::NotAFile)
        );
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(MAX_INPUT as u64 + 1)
            .unwrap();
        assert_eq!(problem(read_file(&big)), Some(InputProblem::TooLarge));
        let small = dir.path().join("small");
        std::fs::write(&small, b"{}").unwrap();
        assert_eq!(read_file(&small).unwrap(), b"{}");
    }
}
