//! `tether man [SUBCOMMAND]...` prints a manual page that `man` can show:
//! the roff text is checked, and rendered with groff where it is installed
//! (Debian `groff-base`, which `scripts/test.sh` installs when it runs as
//! root).

use std::io::Write;
use std::process::{Command, Stdio};

use crate::util::Env;

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The page rendered as plain text by groff, or `None` without groff.
fn render(roff: &str) -> Option<String> {
    let mut child = Command::new("groff")
        // Plain text: no SGR, bold or underline sequences.
        .args(["-man", "-Tutf8", "-P-c", "-P-b", "-P-o", "-P-u"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(roff.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success() && output.stderr.is_empty(),
        "groff: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8(output.stdout).unwrap())
}

/// Asserts that `text` holds each of `parts`.
fn holds(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "no {part:?} in:\n{text}");
    }
}

#[test]
fn the_page_of_tether_names_it_and_lists_the_subcommands() {
    let env = Env::new();
    let page = env.cmd(&["man"]).ok().stdout;
    assert!(page.starts_with(".ie \\n(.g .ds Aq \\(aq\n"), "{page}");
    holds(
        &page,
        &[
            &format!("\n.TH tether 1  \"tether {VERSION}\" \n"),
            "\n.SH NAME\ntether \\- Named, authorized connections to third\\-party APIs\n",
            "\n.SH SYNOPSIS\n\\fBtether\\fR [\\fB\\-\\-config\\fR]",
            "\n.SH SUBCOMMANDS\n",
            "tether\\-invoke(1)",
            "tether\\-man(1)",
        ],
    );
    assert!(!page.contains("tether\\-help(1)"), "no page for `help`");
    let Some(text) = render(&page) else {
        return;
    };
    holds(
        &text,
        &[
            "NAME\n       tether - Named, authorized connections to third-party APIs\n",
            "SYNOPSIS\n       tether [--config] [-h|--help] [-V|--version] <subcommands>\n",
            "SUBCOMMANDS\n       tether-service(1)\n              Define the services tether can connect to\n",
        ],
    );
}

#[test]
fn a_subcommand_has_its_own_page() {
    let env = Env::new();
    let page = env.cmd(&["man", "invoke"]).ok().stdout;
    holds(
        &page,
        &[
            &format!("\n.TH tether-invoke 1  \"tether {VERSION}\" \n"),
            "\n.SH NAME\ntether\\-invoke \\- Call an API through a connection\n",
            "\n.SH SYNOPSIS\n\\fBtether invoke\\fR",
            "\\fB\\-\\-jq\\fR \\fI<EXPR>\\fR",
        ],
    );
    if let Some(text) = render(&page) {
        holds(
            &text,
            &[
                "NAME\n       tether-invoke - Call an API through a connection\n",
                "SYNOPSIS\n       tether  invoke  [--config]",
                "       --jq <EXPR>\n              Filter ",
                "tether invoke gh-work GET /user/repos --jq '.[].full_name' -r",
            ],
        );
    }

    // A nested command by its words, aliases included.
    let page = env.cmd(&["man", "service", "ls"]).ok().stdout;
    holds(
        &page,
        &[
            "\n.TH tether-service-list 1 ",
            "tether\\-service\\-list \\- List the services\n",
        ],
    );
}

#[test]
fn an_unknown_command_has_no_page() {
    let env = Env::new();
    env.cmd(&["man", "invok"])
        .stderr("tether: error: no command `tether invok`\nhint: did you mean `invoke`?\n")
        .fails(2);
    env.cmd(&["man", "service", "zap"])
        .stderr(
            "tether: error: no command `tether service zap`\n\
             hint: `tether service --help` lists the commands\n",
        )
        .fails(2);
}
