//! Changing the config file in place.
//!
//! Edits go through `toml_edit`, so everything the user wrote outside the
//! keys being changed — comments, key order, blank lines, quoting — stays
//! byte for byte. A changed key keeps its comments and its place; a new key
//! goes at the end of its table; a new table goes at the end of the file.
//!
//! Every edit goes through [`update`], which makes it safe against other
//! tether processes editing the same file: it takes the config lock
//! (`config.lock` in the state folder, not the config itself, which the
//! atomic rename replaces), reads the file as it is now, applies the edit,
//! checks the new text like any config on load (so an edit never leaves an
//! invalid file) and writes it atomically, keeping the file's permissions.
//! So no edit ever drops another.

use std::path::{Path, PathBuf};
use std::time::Duration;

use toml_edit::{DocumentMut, Item, Table, Value};

use super::load::{parse, read_text};
use super::location::{Located, line_column};
use super::model::Config;
use super::paths::Paths;
use crate::fsutil::{self, Mode};
use crate::{Error, Result};

/// How long an edit waits for another process's edit of the config. An
/// edit holds the lock for a read, a parse and a write (and, for a client
/// secret, one keyring write), so this is reached only when a process is
/// stuck holding it.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(45);

/// Edits the config of `paths` under the config lock: reads the file as it
/// is now (a missing file is empty), hands it to `edit` with the config it
/// holds, then checks the edited text like a config on load and writes it
/// atomically. Nothing is written when `edit` or the check fails, nor when
/// the edit changed nothing. Returns what `edit` returned.
///
/// `edit` runs under the lock: it decides from what the file holds now, not
/// from what the command read at its start, and it must not wait for a
/// person (prompts come before).
pub fn update<T>(
    paths: &Paths,
    edit: impl FnOnce(&mut ConfigDoc, &Config) -> Result<T>,
) -> Result<T> {
    update_within(paths, LOCK_TIMEOUT, edit)
}

/// [`update`], waiting up to `timeout` for the lock.
fn update_within<T>(
    paths: &Paths,
    timeout: Duration,
    edit: impl FnOnce(&mut ConfigDoc, &Config) -> Result<T>,
) -> Result<T> {
    // Beside the `locks` folder of the connections, so that no connection
    // name can collide with it.
    let lock_path = paths.state_dir.join("config.lock");
    let _held = fsutil::lock(&lock_path, timeout)?.ok_or(Error::ConfigLockTimeout {
        waited: timeout,
        path: lock_path,
    })?;
    let path = &paths.config_file;
    // An edit that died before its rename left a temp file beside the
    // config; what it held never became the config, so it goes.
    for leftover in fsutil::leftovers(path)? {
        leftover.remove()?;
    }
    let text = read_text(path)?;
    let current = parse(path, &text)?;
    let mut doc = ConfigDoc::from_text(path, &text)?;
    let out = edit(&mut doc, &current)?;
    if doc.text() != text {
        doc.save()?;
    }
    Ok(out)
}

/// The top-level tables tether edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Services,
    Connections,
}

impl Section {
    fn key(self) -> &'static str {
        match self {
            Section::Services => "services",
            Section::Connections => "connections",
        }
    }
}

/// One change to a key of a table.
#[derive(Debug, Clone)]
pub enum Change {
    Set(Value),
    Unset,
}

/// A config file opened for editing.
#[derive(Debug)]
pub struct ConfigDoc {
    path: PathBuf,
    doc: DocumentMut,
}

impl ConfigDoc {
    /// Parses `text` for editing; `path` is where it will be saved.
    pub fn from_text(path: &Path, text: &str) -> Result<ConfigDoc, Located> {
        let doc = text.parse::<DocumentMut>().map_err(|err| {
            let (line, column) = line_column(text, err.span().map_or(0, |s| s.start));
            Located {
                path: path.to_path_buf(),
                line,
                column,
                key: None,
                message: err.message().trim_end().to_string(),
                hint: None,
            }
        })?;
        Ok(ConfigDoc {
            path: path.to_path_buf(),
            doc,
        })
    }

    /// Whether `[section.name]` exists.
    pub fn contains(&self, section: Section, name: &str) -> bool {
        self.doc
            .get(section.key())
            .and_then(Item::as_table_like)
            .is_some_and(|t| t.contains_key(name))
    }

    /// Applies `changes` to `[section.name]`, creating the table at the end
    /// of the file when it does not exist.
    pub fn apply(&mut self, section: Section, name: &str, changes: &[(&str, Change)]) {
        let starts_empty = self.doc.as_table().is_empty();
        // Comments after the last table belong to the document's trailing
        // text; a new table goes after them, so they keep their place.
        let trailing = self.doc.trailing().as_str().unwrap_or("").to_string();
        let is_new = !self.contains(section, name);
        if is_new && !starts_empty {
            self.doc.set_trailing("");
        }
        let parent = self.doc.entry(section.key()).or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        });
        // Loading checked the file, so `services` and `connections` are
        // tables, standard (`[services.x]`) or inline (`x = { … }`).
        let inline_parent = parent.is_inline_table();
        let Some(parent) = parent.as_table_like_mut() else {
            return;
        };
        if !parent.contains_key(name) {
            let item = if inline_parent {
                Item::Value(Value::InlineTable(toml_edit::InlineTable::new()))
            } else {
                let mut table = Table::new();
                if !starts_empty {
                    table.decor_mut().set_prefix(format!("{trailing}\n"));
                }
                Item::Table(table)
            };
            parent.insert(name, item);
        }
        let Some(table) = parent.get_mut(name).and_then(Item::as_table_like_mut) else {
            return;
        };
        for (key, change) in changes {
            match change {
                Change::Set(value) => set(table, key, value.clone()),
                Change::Unset => {
                    table.remove(key);
                }
            }
        }
    }

    /// Removes `[section.name]` and everything in it.
    pub fn remove(&mut self, section: Section, name: &str) -> bool {
        self.doc
            .get_mut(section.key())
            .and_then(Item::as_table_like_mut)
            .is_some_and(|t| t.remove(name).is_some())
    }

    /// The edited text.
    pub fn text(&self) -> String {
        self.doc.to_string()
    }

    /// Checks the edited text like a config on load and writes it
    /// atomically; nothing is written when the check fails. Only
    /// [`update`] saves, under the config lock.
    fn save(&self) -> Result<()> {
        self.check()?;
        fsutil::write_atomic(&self.path, self.text().as_bytes(), Mode::KeepExisting)
    }

    /// Checks the edited text like a config on load, without writing.
    pub fn check(&self) -> Result<Config> {
        parse(&self.path, &self.text()).map_err(|located| {
            // The problem is in what the edit would write, not in the file
            // on disk: say what is wrong without a line number.
            let what = located.key.map(|k| format!("`{k}`: ")).unwrap_or_default();
            Error::usage(format!("{what}{}", located.message), located.hint)
        })
    }
}

/// Sets `key` in `table`, keeping the key's comments and position and the
/// value's surrounding whitespace when it already exists.
fn set(table: &mut dyn toml_edit::TableLike, key: &str, mut value: Value) {
    match table.get_mut(key) {
        Some(item) => {
            if let Some(old) = item.as_value() {
                *value.decor_mut() = old.decor().clone();
            }
            *item = Item::Value(value);
        }
        None => {
            table.insert(key, Item::Value(value));
        }
    }
}

/// Builders for the values tether writes.
pub mod value {
    use std::collections::BTreeMap;

    use toml_edit::{Array, InlineTable, Value};

    use crate::config::SecretRef;

    pub fn string(s: &str) -> Value {
        Value::from(s)
    }

    pub fn boolean(b: bool) -> Value {
        Value::from(b)
    }

    pub fn integer(i: i64) -> Value {
        Value::from(i)
    }

    pub fn strings(items: &[String]) -> Value {
        let mut array = Array::new();
        for item in items {
            array.push(item.as_str());
        }
        Value::Array(array)
    }

    pub fn map(map: &BTreeMap<String, String>) -> Value {
        let mut table = InlineTable::new();
        for (k, v) in map {
            table.insert(k, Value::from(v.as_str()));
        }
        Value::InlineTable(table)
    }

    pub fn secret(reference: &SecretRef) -> Value {
        let mut table = InlineTable::new();
        match reference {
            SecretRef::Env(var) => {
                table.insert("env", Value::from(var.as_str()));
            }
            SecretRef::Command(argv) => {
                table.insert("command", strings(argv));
            }
            SecretRef::Keyring => {
                table.insert("keyring", Value::from(true));
            }
            SecretRef::Value(v) => {
                table.insert("value", Value::from(v.as_str()));
            }
            SecretRef::File(path) => {
                table.insert("file", Value::from(path.as_str()));
            }
        }
        Value::InlineTable(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HAND_WRITTEN: &str = r#"# my services
store = "file"   # no keyring on this box

[connections.gh-work]   # the work account
service = "gh"

# GitHub, registered at work
[services.gh]
token_url = 'https://github.com/login/oauth/access_token'  # odd order on purpose
client_id = "abc"     # keep this comment
authorize_url = "https://github.com/login/oauth/authorize"

# trailing comment
"#;

    #[test]
    fn editing_a_key_keeps_every_other_byte() {
        let mut doc = ConfigDoc::from_text(Path::new("t.toml"), HAND_WRITTEN).unwrap();
        doc.apply(
            Section::Services,
            "gh",
            &[("client_id", Change::Set(value::string("xyz")))],
        );
        let expected = HAND_WRITTEN.replace("client_id = \"abc\"", "client_id = \"xyz\"");
        assert_eq!(doc.text(), expected);
    }

    #[test]
    fn adding_a_table_appends_it() {
        let mut doc = ConfigDoc::from_text(Path::new("t.toml"), HAND_WRITTEN).unwrap();
        doc.apply(
            Section::Services,
            "openai",
            &[
                ("auth", Change::Set(value::string("api_key"))),
                (
                    "api_key_header",
                    Change::Set(value::string("Authorization")),
                ),
            ],
        );
        let text = doc.text();
        assert!(text.starts_with(HAND_WRITTEN), "{text}");
        assert_eq!(
            &text[HAND_WRITTEN.len()..],
            "\n[services.openai]\nauth = \"api_key\"\napi_key_header = \"Authorization\"\n"
        );
    }

    #[test]
    fn unset_and_remove() {
        let mut doc = ConfigDoc::from_text(Path::new("t.toml"), HAND_WRITTEN).unwrap();
        doc.apply(Section::Services, "gh", &[("token_url", Change::Unset)]);
        assert!(!doc.text().contains("token_url"));
        assert!(doc.remove(Section::Connections, "gh-work"));
        assert!(!doc.text().contains("gh-work"));
        assert!(doc.text().contains("# GitHub, registered at work"));
    }

    #[test]
    fn inline_tables_are_edited_too() {
        let text = "[services]\na = { auth = \"bearer\", base_url = \"https://a.example\" }\n";
        let mut doc = ConfigDoc::from_text(Path::new("t.toml"), text).unwrap();
        doc.apply(
            Section::Services,
            "a",
            &[("base_url", Change::Set(value::string("https://b.example")))],
        );
        assert_eq!(
            doc.text(),
            "[services]\na = { auth = \"bearer\", base_url = \"https://b.example\" }\n"
        );
        doc.apply(
            Section::Services,
            "n",
            &[("auth", Change::Set(value::string("bearer")))],
        );
        assert!(
            doc.text().ends_with("\n[services.n]\nauth = \"bearer\"\n"),
            "{}",
            doc.text()
        );
        assert!(
            ConfigDoc::from_text(Path::new("t.toml"), &doc.text())
                .unwrap()
                .check()
                .is_ok()
        );
    }

    fn paths(root: &Path) -> Paths {
        Paths {
            config_file: root.join("config/tether.toml"),
            data_dir: root.join("data"),
            state_dir: root.join("state"),
        }
    }

    fn add_bearer(doc: &mut ConfigDoc, name: &str) {
        doc.apply(
            Section::Services,
            name,
            &[("auth", Change::Set(value::string("bearer")))],
        );
    }

    #[test]
    fn update_reads_the_file_as_it_is_under_the_lock() {
        let root = tempfile::tempdir().unwrap();
        let paths = paths(root.path());
        update(&paths, |doc, current| {
            assert!(current.services.is_empty());
            add_bearer(doc, "a");
            Ok(())
        })
        .unwrap();
        // Changed behind tether's back, as another process would.
        let text = std::fs::read_to_string(&paths.config_file).unwrap();
        std::fs::write(&paths.config_file, format!("# mine\n{text}")).unwrap();
        let seen = update(&paths, |doc, current| {
            add_bearer(doc, "b");
            Ok(current.services.keys().cloned().collect::<Vec<_>>())
        })
        .unwrap();
        assert_eq!(seen, ["a"]);
        assert_eq!(
            std::fs::read_to_string(&paths.config_file).unwrap(),
            "# mine\n[services.a]\nauth = \"bearer\"\n\n[services.b]\nauth = \"bearer\"\n"
        );
        assert!(paths.state_dir.join("config.lock").is_file());
    }

    #[test]
    fn update_writes_nothing_when_the_edit_fails_or_changes_nothing() {
        let root = tempfile::tempdir().unwrap();
        let paths = paths(root.path());
        let err = update(&paths, |doc, _| {
            add_bearer(doc, "a");
            Err::<(), _>(Error::usage("no", None))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "no");
        assert!(!paths.config_file.exists());

        // An edit that would leave an invalid file is refused.
        let err = update(&paths, |doc, _| {
            doc.apply(
                Section::Services,
                "a",
                &[("auth", Change::Set(value::string("telepathy")))],
            );
            Ok(())
        })
        .unwrap_err();
        assert_eq!(err.exit_code(), crate::exit::USAGE);
        assert!(!paths.config_file.exists());

        update(&paths, |_, _| Ok(())).unwrap();
        assert!(!paths.config_file.exists(), "nothing to write");
    }

    #[test]
    fn update_refuses_a_config_that_is_invalid_on_disk() {
        let root = tempfile::tempdir().unwrap();
        let paths = paths(root.path());
        std::fs::create_dir_all(paths.config_file.parent().unwrap()).unwrap();
        std::fs::write(&paths.config_file, "[services.a\n").unwrap();
        let err = update(&paths, |doc, _| {
            add_bearer(doc, "b");
            Ok(())
        })
        .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        assert_eq!(
            std::fs::read_to_string(&paths.config_file).unwrap(),
            "[services.a\n"
        );
    }

    #[test]
    fn update_waits_for_the_lock_and_gives_up_in_time() {
        let root = tempfile::tempdir().unwrap();
        let paths = paths(root.path());
        let lock_path = paths.state_dir.join("config.lock");
        let held = fsutil::lock(&lock_path, Duration::ZERO).unwrap().unwrap();
        let err = update_within(&paths, Duration::from_millis(100), |doc, _| {
            add_bearer(doc, "a");
            Ok(())
        })
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "gave up after 0.1 s waiting for another tether process to finish editing the config (lock file {})",
                lock_path.display()
            )
        );
        assert!(!paths.config_file.exists());
        drop(held);
        update_within(&paths, Duration::ZERO, |doc, _| {
            add_bearer(doc, "a");
            Ok(())
        })
        .unwrap();
        assert!(paths.config_file.exists());
    }

    #[test]
    fn update_removes_what_a_killed_edit_left_behind() {
        let root = tempfile::tempdir().unwrap();
        let paths = paths(root.path());
        let dir = paths.config_file.parent().unwrap();
        std::fs::create_dir_all(dir).unwrap();
        let leftover = dir.join(".tether.toml.Ab12Cd.tmp");
        std::fs::write(&leftover, "[services.half").unwrap();
        update(&paths, |doc, _| {
            add_bearer(doc, "a");
            Ok(())
        })
        .unwrap();
        assert!(!leftover.exists());
    }

    #[test]
    fn first_write_has_no_leading_blank_line() {
        let mut doc = ConfigDoc::from_text(Path::new("t.toml"), "").unwrap();
        doc.apply(
            Section::Services,
            "x",
            &[("auth", Change::Set(value::string("bearer")))],
        );
        assert_eq!(doc.text(), "[services.x]\nauth = \"bearer\"\n");
    }
}
