//! Running a hook: a command from the config (`on_rotate`,
//! `on_needs_authorization`) that gets one message on its stdin.
//!
//! The hook's stdout goes to tether's stderr, so that it never mixes with
//! what tether prints. A hook is judged by its exit status alone: one that
//! exits without reading all of its stdin (it decided it did not need it)
//! has still run, and the broken pipe is not a failure to run it.

use std::io::{ErrorKind, Write};
use std::process::{Command, ExitStatus, Stdio};

/// Runs `program` with `args`, writes `message` and a newline to its
/// stdin, closes it, and waits. An error is a hook that could not be
/// started, or whose stdin could not be written for another reason than
/// the hook having closed it.
pub fn run(program: &str, args: &[String], message: &[u8]) -> std::io::Result<ExitStatus> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::from(std::io::stderr()))
        .spawn()?;
    let written = match child.stdin.take() {
        // Dropped at the end of this arm: the hook sees the end of input.
        Some(mut stdin) => stdin
            .write_all(message)
            .and_then(|()| stdin.write_all(b"\n")),
        None => Ok(()),
    };
    let status = child.wait()?;
    match written {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => Err(e),
        _ => Ok(status),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> (String, Vec<String>) {
        ("sh".into(), vec!["-c".into(), script.into()])
    }

    #[test]
    fn the_message_reaches_the_hook_and_its_status_decides() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("got");
        let (program, args) = sh(&format!("cat > '{}'", out.display()));
        assert!(run(&program, &args, b"hello").unwrap().success());
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "hello\n");
        let (program, args) = sh("cat >/dev/null; exit 3");
        assert_eq!(run(&program, &args, b"x").unwrap().code(), Some(3));
    }

    #[test]
    fn a_hook_that_does_not_read_its_input_has_still_run() {
        // More than a pipe holds, so the write meets the closed pipe.
        let message = vec![b'x'; 1 << 20];
        let (program, args) = sh("exit 0");
        assert!(run(&program, &args, &message).unwrap().success());
        let (program, args) = sh("exit 5");
        assert_eq!(run(&program, &args, &message).unwrap().code(), Some(5));
    }

    #[test]
    fn a_missing_program_is_an_error() {
        let error = run("/nonexistent/tether-hook", &[], b"x").unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotFound);
    }
}
