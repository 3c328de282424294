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

/// Unix seconds as RFC 3339 UTC (`2026-11-27T21:30:00Z`).
pub fn rfc3339(secs: u64) -> String {
    let days = secs / 86_400;
    let rest = secs % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// `at` relative to `now`, for people: `in 59m`, `3h ago`.
pub fn relative(at: u64, now: u64) -> String {
    let (delta, future) = if at >= now {
        (at - now, true)
    } else {
        (now - at, false)
    };
    let amount = match delta {
        0..60 => format!("{delta}s"),
        60..3600 => format!("{}m", delta / 60),
        3600..86_400 => format!("{}h", delta / 3600),
        _ => format!("{}d", delta / 86_400),
    };
    if future {
        format!("in {amount}")
    } else {
        format!("{amount} ago")
    }
}

/// The current time in unix seconds. Commands read it once and pass it on.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A spinner on stderr while a person waits; nothing when stderr is not a
/// terminal. Stops and clears its line when dropped.
#[derive(Debug)]
pub struct Spinner {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Spinner {
    pub fn start(message: &str) -> Spinner {
        use std::sync::atomic::{AtomicBool, Ordering};
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let thread = std::io::stderr().is_terminal().then(|| {
            let stop = stop.clone();
            let message = message.to_string();
            std::thread::spawn(move || {
                const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
                let started = std::time::Instant::now();
                let mut frame = 0;
                while !stop.load(Ordering::Relaxed) {
                    let elapsed = started.elapsed().as_secs();
                    let _ = write!(
                        std::io::stderr(),
                        "\r{} {message} {elapsed}s (Ctrl-C to cancel)\x1b[K",
                        FRAMES[frame % FRAMES.len()]
                    );
                    frame += 1;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                let _ = write!(std::io::stderr(), "\r\x1b[K");
            })
        });
        Spinner { stop, thread }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_for_people_and_machines() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_795_815_000), "2026-11-27T21:30:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(relative(1000 + 3599, 1000), "in 59m");
        assert_eq!(relative(1000, 1000 + 7200), "2h ago");
        assert_eq!(relative(5, 5), "in 0s");
    }
}
