//! One module per command group. A command resolves its arguments, calls
//! the domain modules and prints; protocol logic lives elsewhere.

use crate::Result;
use crate::cli::Cli;

/// Runs a parsed command line and returns the exit code.
pub fn run(cli: Cli) -> Result<u8> {
    let _ = cli;
    Ok(crate::exit::OK)
}
