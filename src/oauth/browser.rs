//! The one function that opens a browser.
//!
//! `$BROWSER` wins when set: it is a command (words split on white space)
//! and the URL is appended as its last argument. Otherwise the `open` crate
//! asks the desktop. The caller has already printed the URL, so a browser
//! that cannot be opened is a warning, not a failure.

use std::process::{Command, Stdio};

/// Opens `url`; `Err` says why it could not be.
pub fn open(url: &str) -> Result<(), String> {
    match std::env::var("BROWSER") {
        Ok(command) if !command.trim().is_empty() => {
            let mut words = command.split_whitespace();
            let program = words.next().unwrap_or_default();
            let mut child = Command::new(program)
                .args(words)
                .arg(url)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| format!("could not run $BROWSER (`{program}`): {e}"))?;
            // Reap the browser when it exits, without waiting for it here.
            std::thread::spawn(move || child.wait());
            Ok(())
        }
        _ => open::that_detached(url).map_err(|e| format!("could not open a browser: {e}")),
    }
}
