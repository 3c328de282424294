//! Reading a `WWW-Authenticate` header (RFC 9110 §11.6.1) for what a
//! Bearer resource server says is wrong with the token (RFC 6750 §3):
//! `Bearer realm="x", error="insufficient_scope", scope="a b"` means the
//! token is valid but lacks a scope, which only a new authorization with
//! more scopes mends.
//!
//! The parser is lenient in what it skips (other schemes, token68
//! credentials, unknown parameters) and never fails: a header it cannot
//! read is one that says nothing it knows.

/// The scopes a `WWW-Authenticate` value says the request needs, when a
/// Bearer challenge has `error="insufficient_scope"`; an empty list when
/// it names none. `None` when no challenge says `insufficient_scope`.
pub fn insufficient_scope(header: &str) -> Option<Vec<String>> {
    challenges(header)
        .into_iter()
        .filter(|c| c.scheme.eq_ignore_ascii_case("bearer"))
        .find(|c| c.param("error") == Some("insufficient_scope"))
        .map(|c| {
            c.param("scope")
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_string)
                .collect()
        })
}

/// One challenge: its scheme and its `name=value` parameters.
#[derive(Debug, Default, PartialEq, Eq)]
struct Challenge {
    scheme: String,
    params: Vec<(String, String)>,
}

impl Challenge {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Splits a header value into challenges. A comma separates both
/// challenges and parameters: a word followed by a blank and no `=` starts
/// a new challenge.
fn challenges(header: &str) -> Vec<Challenge> {
    let mut found: Vec<Challenge> = Vec::new();
    let mut rest = header;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
        if rest.is_empty() {
            return found;
        }
        let word_end = rest
            .find(|c: char| c == '=' || c == ',' || c.is_whitespace())
            .unwrap_or(rest.len());
        let word = &rest[..word_end];
        let after = rest[word_end..].trim_start_matches([' ', '\t']);
        if let Some(value_text) = after.strip_prefix('=')
            && !value_text.starts_with('=')
            && let Some(current) = found.last_mut()
        {
            let (value, next) = value(value_text.trim_start());
            current.params.push((word.to_string(), value));
            rest = next;
        } else if after.starts_with('=') {
            // token68 (`Basic abc==`) or a parameter before any scheme:
            // skip to the next comma.
            rest = after.find(',').map_or("", |at| &after[at..]);
        } else {
            found.push(Challenge {
                scheme: word.to_string(),
                params: Vec::new(),
            });
            rest = after;
        }
    }
}

/// A parameter value at the start of `text` (a quoted string with `\`
/// escapes, or a token) and what follows it.
fn value(text: &str) -> (String, &str) {
    let Some(quoted) = text.strip_prefix('"') else {
        let end = text
            .find(|c: char| c == ',' || c.is_whitespace())
            .unwrap_or(text.len());
        return (text[..end].to_string(), &text[end..]);
    };
    let mut out = String::new();
    let mut chars = quoted.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    out.push(escaped);
                }
            }
            '"' => return (out, &quoted[at + 1..]),
            c => out.push(c),
        }
    }
    // An unterminated string runs to the end.
    (out, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_missing_scopes() {
        assert_eq!(
            insufficient_scope(
                r#"Bearer realm="api", error="insufficient_scope", error_description="needs \"write\"", scope="read write""#
            ),
            Some(vec!["read".to_string(), "write".to_string()])
        );
        assert_eq!(
            insufficient_scope(r#"bearer error=insufficient_scope"#),
            Some(vec![])
        );
    }

    #[test]
    fn other_errors_and_schemes_say_nothing() {
        assert_eq!(insufficient_scope(r#"Bearer error="invalid_token""#), None);
        assert_eq!(insufficient_scope("Bearer"), None);
        assert_eq!(insufficient_scope(""), None);
        assert_eq!(
            insufficient_scope(r#"Basic realm="x", error="insufficient_scope""#),
            None
        );
        assert_eq!(insufficient_scope(r#"error="insufficient_scope""#), None);
    }

    #[test]
    fn several_challenges_in_one_header() {
        assert_eq!(
            insufficient_scope(
                r#"Basic abc==, Newauth realm="apps", type=1, Bearer error="insufficient_scope", scope="admin""#
            ),
            Some(vec!["admin".to_string()])
        );
        assert_eq!(
            challenges(r#"Basic realm="a, b", Bearer"#),
            vec![
                Challenge {
                    scheme: "Basic".into(),
                    params: vec![("realm".into(), "a, b".into())],
                },
                Challenge {
                    scheme: "Bearer".into(),
                    params: vec![],
                },
            ]
        );
    }

    #[test]
    fn broken_headers_do_not_panic() {
        for header in ["\"", "Bearer scope=\"", "=", "Bearer ,,=,", "Bearer a=\"\\"] {
            let _ = insufficient_scope(header);
        }
    }
}
