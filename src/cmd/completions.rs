//! `tether completions SHELL`: prints a completion script generated from
//! the clap definition alone. The scripts in `completions/` are these
//! outputs, kept current by a test.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::{Error, Result};

pub fn run(args: &CompletionsArgs) -> Result<()> {
    let mut buffer = Vec::new();
    write(args.shell, &mut buffer);
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(&buffer) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::io("<stdout>", e)),
        _ => Ok(()),
    }
}

/// Writes the completion script for `shell`.
pub fn write(shell: clap_complete::Shell, out: &mut dyn Write) {
    clap_complete::generate(shell, &mut Cli::command(), "tether", out);
}
