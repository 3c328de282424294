//! `tether man [SUBCOMMAND]...`: prints a manual page in roff, generated
//! with clap_mangen from the clap definition alone, as `rg --generate man`
//! does: `tether.1` for tether itself, `tether-invoke.1` for
//! `tether man invoke`, `tether-service-add.1` for `tether man service add`.
//! Packagers and users install a page with one redirect.

use clap::CommandFactory;

use crate::cli::{Cli, ManArgs};
use crate::{Error, Result, config, ui};

pub fn run(args: &ManArgs) -> Result<()> {
    let page = render(&args.command)?;
    ui::print_out(&page)
}

/// The roff page of the command at `path` (tether itself when empty).
pub fn render(path: &[String]) -> Result<String> {
    // As clap_mangen's own `generate_to`: no `help` subcommand in the pages,
    // and a built command, so each subcommand knows its full name.
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let mut command = &root;
    for (depth, name) in path.iter().enumerate() {
        command = command
            .find_subcommand(name)
            .filter(|sub| !sub.is_hide_set())
            .ok_or_else(|| unknown(command, &path[..=depth]))?;
    }
    let mut out = Vec::new();
    let source = format!("tether {}", env!("CARGO_PKG_VERSION"));
    clap_mangen::Man::new(command.clone())
        .source(source)
        .render(&mut out)
        .map_err(|e| Error::io("<man page>", e))?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// `path` names no command; its last word is not a subcommand of `parent`.
fn unknown(parent: &clap::Command, path: &[String]) -> Error {
    let names: Vec<String> = parent
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set())
        .map(|sub| sub.get_name().to_string())
        .collect();
    let last = path.last().map_or("", String::as_str);
    Error::UnknownCommand {
        path: path.to_vec(),
        suggestion: config::suggest(last, &names),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_for_tether_and_for_each_subcommand() {
        let page = render(&[]).unwrap();
        assert!(page.starts_with(".ie \\n(.g .ds Aq \\(aq\n"), "{page}");
        assert!(page.contains("\n.TH tether 1  \"tether "), "{page}");
        assert!(page.contains(
            "\n.SH NAME\ntether \\- Named, authorized connections to third\\-party APIs\n"
        ));
        assert!(
            page.contains("tether\\-invoke(1)"),
            "the subcommands are listed"
        );
        assert!(!page.contains("tether\\-help(1)"));

        let page = render(&["invoke".into()]).unwrap();
        assert!(page.contains("\n.TH tether-invoke 1 "), "{page}");
        assert!(page.contains("\\-\\-jq"), "{page}");

        let page = render(&["service".into(), "ls".into()]).unwrap();
        assert!(page.contains("\n.TH tether-service-list 1 "), "{page}");
    }

    #[test]
    fn an_unknown_command_is_named_with_a_suggestion() {
        let error = render(&["service".into(), "lst".into()]).unwrap_err();
        assert_eq!(error.to_string(), "no command `tether service lst`");
        assert_eq!(error.hint().as_deref(), Some("did you mean `list`?"));
        let error = render(&["help".into()]).unwrap_err();
        assert_eq!(error.to_string(), "no command `tether help`");
    }
}
