//! The one function that opens a browser.
//!
//! `$BROWSER` wins when set, read the way other tools read it: a list of
//! commands separated by `:`, tried in order; in each, `%s` stands for the
//! URL, or the URL is appended as the last argument; words are split on
//! white space. Otherwise the `open` crate asks the desktop. The caller
//! has already printed the URL, so a browser that cannot be opened is a
//! warning, not a failure.

use std::process::{Command, Stdio};

/// Opens `url`; `Err` says why it could not be.
pub fn open(url: &str) -> Result<(), String> {
    match std::env::var("BROWSER") {
        Ok(list) if !list.trim().is_empty() => {
            let mut last = String::new();
            for command in list.split(':').filter(|c| !c.trim().is_empty()) {
                match spawn(&argv(command, url)) {
                    Ok(()) => return Ok(()),
                    Err(why) => last = why,
                }
            }
            Err(last)
        }
        _ => open::that_detached(url).map_err(|e| format!("could not open a browser: {e}")),
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

fn spawn(argv: &[String]) -> Result<(), String> {
    let Some((program, args)) = argv.split_first() else {
        return Err("$BROWSER is empty".into());
    };
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("could not run $BROWSER (`{program}`): {e}"))?;
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
