//! The `tether` binary: parse the command line, run it, turn the outcome
//! into an exit code. Everything else lives in the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    match tether::run(std::env::args_os()) {
        Ok(code) => ExitCode::from(code),
        Err(err) => ExitCode::from(tether::report(&err)),
    }
}
