//! Reading the config file: parse, complete each service from its
//! template, then validate, each error placed at its
//! line and column. [`parse`] is pure; [`load`] adds the file read.

use std::path::{Path, PathBuf};

use super::location::{Located, at_key, line_column};
use super::model::Config;
use super::resolve::resolve_config;
use super::validate::validate;
use crate::Result;

/// A config as loaded from its file.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
    /// The file's path (it may not exist yet).
    pub path: PathBuf,
    /// The file's text, empty when it does not exist.
    pub text: String,
}

/// Reads and checks the config at `path`. A missing file is an empty config.
pub fn load(path: &Path) -> Result<Loaded> {
    let text = read_text(path)?;
    let config = parse(path, &text)?;
    Ok(Loaded {
        config,
        path: path.to_path_buf(),
        text,
    })
}

/// Reads the config file as UTF-8 text (empty when it does not exist); a
/// file that is not UTF-8 is a config error placed at its first bad byte.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(String::new()),
        Err(e) => return Err(crate::Error::io(path, e)),
    };
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let text = String::from_utf8_lossy(valid);
        let (line, column) = line_column(&text, text.len());
        crate::Error::from(Located {
            path: path.to_path_buf(),
            line,
            column,
            key: None,
            message: "the file is not UTF-8 text".into(),
            hint: Some("save it as UTF-8".into()),
        })
    })
}

/// Parses and checks config `text`; `path` is only used in errors.
pub fn parse(path: &Path, text: &str) -> Result<Config, Located> {
    let config: Config = toml::from_str(text).map_err(|err| {
        let (line, column) = line_column(text, err.span().map_or(0, |s| s.start));
        let message = err.message().trim_end().to_string();
        Located {
            path: path.to_path_buf(),
            line,
            column,
            key: None,
            hint: syntax_hint(&message),
            message,
        }
    })?;
    let mut config = config;
    resolve_config(&mut config, text)
        .and_then(|()| validate(&config))
        .map_err(|problem| {
            let key: Vec<&str> = problem.key.iter().map(String::as_str).collect();
            at_key(path, text, &key, problem.message, problem.hint)
        })?;
    Ok(config)
}

fn syntax_hint(message: &str) -> Option<String> {
    if message.starts_with("unknown field") {
        Some("the keys are listed in the README under \"Configuration\"".into())
    } else if message.contains("a secret cannot be a plain string") {
        Some("for example: client_secret = { keyring = true }".into())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_text_is_an_empty_config() {
        let config = parse(Path::new("t.toml"), "").unwrap();
        assert!(config.services.is_empty() && config.connections.is_empty());
    }

    #[test]
    fn unknown_key_is_located() {
        let text = "[services.gh]\nclient_id = \"x\"\ntokn_url = \"https://x\"\n";
        let err = parse(Path::new("t.toml"), text).unwrap_err();
        assert_eq!((err.line, err.column), (3, 1));
        assert!(
            err.message.contains("unknown field `tokn_url`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn bare_secret_is_refused() {
        let text = "[services.gh]\nclient_id = \"x\"\nclient_secret = \"s3cr3t\"\n";
        let err = parse(Path::new("t.toml"), text).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("{ env = \"VAR\" }"));
        assert!(!err.to_string().contains("s3cr3t"));
    }

    #[test]
    fn a_secret_of_the_wrong_type_is_refused_without_quoting_it() {
        let head = "[services.gh]\nclient_id = \"x\"\nclient_secret = ";
        let cases = [
            ("1234567890123", super::super::model::BARE_SECRET),
            ("true", super::super::model::BARE_SECRET),
            ("[\"s3cr3t\"]", super::super::model::BARE_SECRET),
            ("{ keyring = \"s3cr3t\" }", "`keyring` takes `true`"),
            ("{ keyring = 1234567890123 }", "`keyring` takes `true`"),
            (
                "{ value = 1234567890123 }",
                "`value` takes the secret as a string",
            ),
        ];
        for (value, message) in cases {
            let err = parse(Path::new("t.toml"), &format!("{head}{value}\n")).unwrap_err();
            assert_eq!(err.message, message, "{value}");
            assert_eq!(err.line, 3, "{value}");
            let shown = err.to_string();
            assert!(
                !shown.contains("s3cr3t") && !shown.contains("1234567890123"),
                "{shown}"
            );
        }
    }

    #[test]
    fn semantic_error_is_located() {
        let text = "[services.gh]\nclient_id = \"x\"\nauthorize_url = \"https://a.example/auth\"\ntoken_url = \"http://a.example/token\"\n";
        let err = parse(Path::new("t.toml"), text).unwrap_err();
        assert_eq!((err.line, err.column), (4, 13));
        assert_eq!(err.key.as_deref(), Some("services.gh.token_url"));
    }
}
