//! The one function that opens a browser.
//!
//! `$BROWSER` wins when set, read the way other tools read it: a list of
//! commands separated by `:`, tried in order; in each, `%s` stands for the
//! URL, or the URL is appended as the last argument; words are split on
//! white space. Otherwise the `open` crate asks the desktop. The caller
//! has already printed the URL, so a browser that cannot be opened is a
//! warning, not a failure.

use std::fmt;
use std::process::{Command, Stdio};

/// Why no browser opened. The caller shows it as a warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenFailed {
    /// `$BROWSER` holds no command.
    EmptyCommand,
    /// A `$BROWSER` command could not be started; `detail` is the OS's
    /// reason.
    CannotRun { program: String, detail: String },
    /// The desktop could not open the URL; `detail` is the `open` crate's
    /// reason.
    NoOpener { detail: String },
}

impl fmt::Display for OpenFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenFailed::EmptyCommand => f.write_str("$BROWSER is empty"),
            OpenFailed::CannotRun { program, detail } => {
                write!(f, "could not run $BROWSER (`{program}`): {detail}")
            }
            OpenFailed::NoOpener { detail } => write!(f, "could not open a browser: {detail}"),
        }
    }
}

/// Opens `url`; `Err` says why it could not be: with `$BROWSER`, why its
/// last command failed.
pub fn open(url: &str) -> Result<(), OpenFailed> {
    match std::env::var("BROWSER") {
        Ok(list) if !list.trim().is_empty() => {
            let mut last = OpenFailed::EmptyCommand;
            for command in list.split(':').filter(|c| !c.trim().is_empty()) {
                match spawn(&argv(command, url)) {
                    Ok(()) => return Ok(()),
                    Err(failed) => last = failed,
                }
            }
            Err(last)
        }
        _ => open::that_detached(url).map_err(|e| OpenFailed::NoOpener {
            detail: e.to_string(),
        }),
    }
}

/// The words of one `$BROWSER` command with the URL in place.
fn argv(command: &str, url: &str) -> Vec<String> {
    let mut words: Vec<String> = command.split_whitespace().map(str::to_string).collect();
    if words.iter().any(|w| w.contains("%s")) {
        for word in &mut words {
            *word = word.replace("%s", url);
        }
    } else {
        words.push(url.to_string());
    }
    words
}

fn spawn(argv: &[String]) -> Result<(), OpenFailed> {
    let Some((program, args)) = argv.split_first() else {
        return Err(OpenFailed::EmptyCommand);
    };
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| OpenFailed::CannotRun {
            program: program.clone(),
            detail: e.to_string(),
        })?;
    // Reap the browser when it exits, without waiting for it here.
    std::thread::spawn(move || child.wait());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_commands_take_the_url_where_they_say() {
        assert_eq!(
            argv("firefox --new-tab", "U"),
            ["firefox", "--new-tab", "U"]
        );
        assert_eq!(argv("chromium --app=%s", "U"), ["chromium", "--app=U"]);
    }
}
