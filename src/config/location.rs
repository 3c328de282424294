//! Config errors that point at the file: `path:line:column: key: message`.
//!
//! Syntax and type errors come from the TOML parser with a byte span;
//! semantic errors (a bad URL, a missing field) come from validation with a
//! key path, which [`locate`] turns into a span by walking the parsed
//! document. Either way the user sees a line and a column.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A config error with its place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The dotted key the error is about, e.g. `services.gh.token_url`.
    pub key: Option<String>,
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.path.display(), self.line, self.column)?;
        if let Some(key) = &self.key {
            write!(f, "`{key}`: ")?;
        }
        f.write_str(&self.message)
    }
}

/// 1-based line and column of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Finds the span of the value at `path` (or, when the last keys are
/// absent, of the nearest table that exists) in the TOML `text`. Returns
/// `0..0` when nothing matches, which reads as line 1, column 1.
pub fn locate(text: &str, path: &[&str]) -> Range<usize> {
    use toml_edit::{Item, Value};

    #[derive(Clone, Copy)]
    enum Node<'a> {
        Item(&'a Item),
        Value(&'a Value),
    }

    let Ok(doc) = toml_edit::Document::parse(text) else {
        return 0..0;
    };
    let mut best = 0..0;
    let mut node = Node::Item(doc.as_item());
    for segment in path {
        let (key, child) = match node {
            Node::Item(Item::Table(t)) => (t.key(segment), t.get(segment).map(Node::Item)),
            Node::Item(Item::Value(Value::InlineTable(t))) | Node::Value(Value::InlineTable(t)) => {
                (t.key(segment), t.get(segment).map(Node::Value))
            }
            _ => (None, None),
        };
        if let Some(span) = key.and_then(|k| k.span()) {
            best = span;
        }
        let Some(child) = child else { break };
        let span = match child {
            Node::Item(Item::Value(v)) | Node::Value(v) => v.span(),
            Node::Item(Item::Table(t)) => t.span(),
            Node::Item(_) => None,
        };
        if let Some(span) = span {
            best = span;
        }
        node = child;
    }
    best
}

/// Builds a [`Located`] for `path` in `text`.
pub fn at_key(
    file: &Path,
    text: &str,
    key: &[&str],
    message: impl Into<String>,
    hint: Option<String>,
) -> Located {
    let span = locate(text, key);
    let (line, column) = line_column(text, span.start);
    Located {
        path: file.to_path_buf(),
        line,
        column,
        key: Some(key.join(".")),
        message: message.into(),
        hint,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        assert_eq!(line_column(text, text.find('=').unwrap()), (1, 3));
        let second_eq = text.rfind('=').unwrap();
        assert_eq!(line_column(text, second_eq), (2, 4));
    }

    #[test]
    fn finds_values_in_tables_and_inline_tables() {
        let text = "# c\n[services.gh]\nauth = \"oauth2\"\ntoken_url = \"ftp://x\"\nclient_secret = { env = 3 }\n";
        let span = locate(text, &["services", "gh", "token_url"]);
        assert_eq!(line_column(text, span.start), (4, 13));
        let span = locate(text, &["services", "gh", "client_secret", "env"]);
        assert_eq!(line_column(text, span.start), (5, 25));
        // A key that is absent points at its table.
        let span = locate(text, &["services", "gh", "client_id"]);
        assert_eq!(line_column(text, span.start).0, 2);
    }
}
