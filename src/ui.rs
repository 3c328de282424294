//! What people see: tables for terminals, JSON for pipes and `--json`,
//! one-line warnings on stderr, and prompts only where a person can answer.
//!
//! Data goes to stdout, talk to stderr. Nothing here prompts when stdin is
//! not a terminal or `CI` is set: callers ask [`interactive`] first.

use std::io::{IsTerminal, Write};

use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

use crate::{Error, Result};

/// Whether a person can answer a prompt: stdin and stderr are terminals and
/// `CI` is not set.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal() && !ci()
}

/// Whether this is a CI job (`CI` set to anything but `false` or empty).
pub fn ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Prints a one-line warning on stderr.
pub fn warn(message: &str) {
    let _ = writeln!(std::io::stderr(), "tether: warning: {message}");
}

/// Prints a line of talk on stderr.
pub fn note(message: &str) {
    let _ = writeln!(std::io::stderr(), "{message}");
}

/// Writes `value` as pretty JSON to stdout, with a final newline.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::Other(format!("cannot encode JSON: {e}")))?;
    print_out(&format!("{text}\n"))
}

/// Writes `text` to stdout. A closed pipe (`tether … | head`) is not an
/// error: the reader has what it wanted.
pub fn print_out(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::io("<stdout>", e)),
    }
}

/// A table for people: a header row, then one row per item.
pub fn table(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.to_vec());
    for row in rows {
        table.add_row(row);
    }
    // Columns separated by two spaces, the first flush left, no trailing
    // blanks: output that diffs and greps cleanly.
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
    let mut text = table.to_string();
    text = text
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    text.push('\n');
    text
}

/// Aligned `key  value` lines for one item, for people.
pub fn pairs(rows: &[(&str, String)]) -> String {
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut text = String::new();
    for (key, value) in rows {
        text.push_str(&format!("{key:<width$}  {value}\n"));
    }
    text
}
