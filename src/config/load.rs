//! Reading the config file: parse, complete each service from its
//! template, then validate, each error placed at its
//! line and column. [`parse`] is pure; [`load`] adds the file read. No key
//! takes a TOML date-time, and one is named as such where it is found.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;
use toml::de::DeValue;

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
    let at = |offset: usize, message: String, hint: Option<String>| {
        let (line, column) = line_column(text, offset);
        Located {
            path: path.to_path_buf(),
            line,
            column,
            key: None,
            hint,
            message,
        }
    };
    let from_toml = |err: toml::de::Error| {
        let offset = err.span().map_or(0, |s| s.start);
        let message = err.message().trim_end().to_string();
        match err.span().and_then(|span| date_time_at(text, span)) {
            Some(value) => at(
                offset,
                date_time_message(&message, value),
                Some(DATE_TIME_HINT.into()),
            ),
            None => {
                let hint = syntax_hint(&message);
                at(offset, message, hint)
            }
        }
    };
    let document = toml::de::DeTable::parse(text).map_err(from_toml)?;
    let date_time = first_date_time(document.get_ref());
    let mut config =
        Config::deserialize(toml::de::Deserializer::from(document)).map_err(from_toml)?;
    // A date-time that got this far was read as a table (the TOML reader
    // hands one over as a map), where no key takes one.
    if let Some(span) = date_time {
        let value = text.get(span.clone()).unwrap_or_default().trim();
        return Err(at(
            span.start,
            format!("invalid type: date-time `{value}`, expected a table"),
            Some(DATE_TIME_HINT.into()),
        ));
    }
    resolve_config(&mut config, text)
        .and_then(|()| validate(&config))
        .map_err(|problem| {
            let key: Vec<&str> = problem.key.iter().map(String::as_str).collect();
            at_key(path, text, &key, problem.message, problem.hint)
        })?;
    anchor_secret_files(&mut config, path);
    Ok(config)
}

/// Anchors every `{ file = "PATH" }` reference at the config file `path`
/// (`~` and relative paths), so that whoever reads the secret reads the
/// file the config means, whatever the working directory.
fn anchor_secret_files(config: &mut Config, path: &Path) {
    use super::model::SecretRef;
    for service in config.services.values_mut() {
        for reference in [&mut service.client_secret, &mut service.private_key]
            .into_iter()
            .flatten()
        {
            if let SecretRef::File(file) = reference {
                *file = super::secrets::anchor(file, path)
                    .to_string_lossy()
                    .into_owned();
            }
        }
    }
    // Shared stores: the URL and the keys may live in files too.
    for store in config.stores.values_mut() {
        for reference in [Some(&mut store.url), Some(&mut store.key)]
            .into_iter()
            .chain([store.previous_key.as_mut()])
            .flatten()
        {
            if let SecretRef::File(file) = reference {
                *file = super::secrets::anchor(file, path)
                    .to_string_lossy()
                    .into_owned();
            }
        }
    }
}

const DATE_TIME_HINT: &str = "no key takes a date-time: put it in quotes if it is meant as text";

/// The span of the first TOML date-time in `table`, at any depth.
fn first_date_time(table: &toml::de::DeTable<'_>) -> Option<std::ops::Range<usize>> {
    fn in_value(value: &Spanned<DeValue<'_>>) -> Option<std::ops::Range<usize>> {
        match value.get_ref() {
            DeValue::Datetime(_) => Some(value.span()),
            DeValue::Array(items) => items.iter().filter_map(in_value).min_by_key(|s| s.start),
            DeValue::Table(table) => first_date_time(table),
            _ => None,
        }
    }
    table.values().filter_map(in_value).min_by_key(|s| s.start)
}

/// The TOML date-time literal (RFC 3339: `1979-05-27`, `07:32:00`,
/// `1979-05-27T07:32:00Z`) at `span` of `text`, if that is what is there.
fn date_time_at(text: &str, span: std::ops::Range<usize>) -> Option<&str> {
    let value = text.get(span)?.trim();
    value.parse::<toml::value::Datetime>().ok().map(|_| value)
}

/// The message for a date-time where the config wants another type. The
/// TOML reader hands a date-time over as a map, so serde's "invalid type:
/// map, expected a string" names the wrong type; the type it expected is
/// kept.
fn date_time_message(message: &str, value: &str) -> String {
    match message.strip_prefix("invalid type: map") {
        Some(expected) => format!("invalid type: date-time `{value}`{expected}"),
        None => format!("invalid type: date-time `{value}`"),
    }
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
    fn a_date_time_is_named_with_the_type_expected() {
        for (value, column) in [
            ("1979-05-27T07:32:00Z", 12),
            ("1979-05-27", 12),
            ("07:32:00", 12),
        ] {
            let text = format!("[services.gh]\nauth = \"bearer\"\nbase_url = {value}\n");
            let err = parse(Path::new("t.toml"), &text).unwrap_err();
            assert_eq!(
                err.message,
                format!("invalid type: date-time `{value}`, expected a string"),
            );
            assert_eq!((err.line, err.column), (3, column));
            assert_eq!(err.hint.as_deref(), Some(DATE_TIME_HINT));
        }
        let in_a_list = "[services.gh]\nauth = \"bearer\"\nscopes = [\"a\", 2024-01-01]\n";
        let err = parse(Path::new("t.toml"), in_a_list).unwrap_err();
        assert_eq!(
            err.message,
            "invalid type: date-time `2024-01-01`, expected a string"
        );
        assert_eq!((err.line, err.column), (3, 16));
        let as_a_port = "[services.gh]\nauth = \"oauth2\"\nredirect_port = 2024-01-01\n";
        let err = parse(Path::new("t.toml"), as_a_port).unwrap_err();
        assert_eq!(
            err.message,
            "invalid type: date-time `2024-01-01`, expected u16"
        );
        // Where a table is taken, the reader's map would pass unnoticed.
        let as_a_table = "[services.gh]\nauth = \"oauth2\"\nauth_params = 2024-01-01\n";
        let err = parse(Path::new("t.toml"), as_a_table).unwrap_err();
        assert_eq!(
            err.message,
            "invalid type: date-time `2024-01-01`, expected a table"
        );
        assert_eq!((err.line, err.column), (3, 15));
        let as_a_secret = "[services.gh]\nauth = \"oauth2\"\nclient_secret = 2024-01-01\n";
        let err = parse(Path::new("t.toml"), as_a_secret).unwrap_err();
        assert_eq!(err.message, "invalid type: date-time `2024-01-01`");
        assert_eq!((err.line, err.column), (3, 17));
    }

    #[test]
    fn semantic_error_is_located() {
        let text = "[services.gh]\nclient_id = \"x\"\nauthorize_url = \"https://a.example/auth\"\ntoken_url = \"http://a.example/token\"\n";
        let err = parse(Path::new("t.toml"), text).unwrap_err();
        assert_eq!((err.line, err.column), (4, 13));
        assert_eq!(err.key.as_deref(), Some("services.gh.token_url"));
    }
}
