//! The text of the `OAuth` HTTP authentication scheme: writing an
//! `Authorization` value (RFC 5849 §3.5.1), reading the auth-params of an
//! `Authorization` or `WWW-Authenticate` value (RFC 7235 §2.1), and hiding
//! the signature for output.

use super::encode::encode;

/// What stands in for a hidden value.
pub const REDACTED: &str = "(redacted)";

/// `OAuth realm="…", name="value", …` from unencoded protocol parameters:
/// names and values encoded per §3.6 and quoted; the realm is an RFC 2617
/// quoted-string.
pub fn authorization(realm: Option<&str>, params: &[(String, String)]) -> String {
    write(realm, &encoded(params))
}

/// The parameters with names and values encoded per §3.6.
pub fn encoded(params: &[(String, String)]) -> Vec<(String, String)> {
    params.iter().map(|(n, v)| (encode(n), encode(v))).collect()
}

/// `params` (already encoded) with the value of `oauth_signature` hidden.
pub fn hide_signature(params: Vec<(String, String)>) -> Vec<(String, String)> {
    params
        .into_iter()
        .map(|(n, v)| match n.as_str() {
            "oauth_signature" => (n, REDACTED.to_string()),
            _ => (n, v),
        })
        .collect()
}

/// The header value from a realm and parameters already encoded.
pub fn write(realm: Option<&str>, params: &[(String, String)]) -> String {
    let realm = realm.map(|realm| format!("realm={}", quote(realm)));
    let params = params.iter().map(|(n, v)| format!("{n}={}", quote(v)));
    let parts: Vec<String> = realm.into_iter().chain(params).collect();
    format!("OAuth {}", parts.join(", "))
}

/// An RFC 7230 quoted-string: `"`, with `\` before `"` and `\`.
fn quote(value: &str) -> String {
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('"');
    for c in value.chars() {
        if matches!(c, '"' | '\\') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

/// The `name=value` auth-params of an `Authorization` or `WWW-Authenticate`
/// value, in order, quoted-strings unquoted and nothing percent-decoded.
/// Scheme names (`OAuth`, `Bearer`) and anything else without `=` are
/// skipped, so every challenge of a `WWW-Authenticate` contributes its
/// params. Lenient: whatever does not parse is left out.
pub fn auth_params(value: &str) -> Vec<(String, String)> {
    let is_separator = |c: char| c.is_whitespace() || c == ',';
    let mut params = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(is_separator);
        let name_len = rest
            .find(|c: char| is_separator(c) || c == '=' || c == '"')
            .unwrap_or(rest.len());
        let (name, after) = rest.split_at(name_len);
        if name.is_empty() {
            let mut chars = after.chars();
            if chars.next().is_none() {
                return params;
            }
            rest = chars.as_str();
            continue;
        }
        let after = after.trim_start();
        let Some(after) = after.strip_prefix('=') else {
            rest = after;
            continue;
        };
        let after = after.trim_start();
        let (value, after) = match after.strip_prefix('"') {
            Some(quoted) => unquote(quoted),
            None => {
                let end = after.find(is_separator).unwrap_or(after.len());
                (after[..end].to_string(), &after[end..])
            }
        };
        params.push((name.to_string(), value));
        rest = after;
    }
}

/// The content of a quoted-string whose opening `"` is already consumed,
/// and the text after its closing one.
fn unquote(text: &str) -> (String, &str) {
    let mut value = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (value, &text[i + 1..]),
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    value.push(escaped);
                }
            }
            c => value.push(c),
        }
    }
    (value, "")
}

/// An `Authorization: OAuth …` value with its signature hidden, for output.
/// A value of another scheme is hidden whole.
pub fn redact_authorization(value: &str) -> String {
    let Some((scheme, _)) = value.trim_start().split_once(' ') else {
        return REDACTED.to_string();
    };
    if !scheme.eq_ignore_ascii_case("OAuth") {
        return REDACTED.to_string();
    }
    let params = auth_params(value);
    let (realm, others): (Vec<_>, Vec<_>) = params.into_iter().partition(|(n, _)| n == "realm");
    let realm = realm.into_iter().next().map(|(_, v)| v);
    write(realm.as_deref(), &hide_signature(others))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth1::tests::pairs;

    #[test]
    fn writes_encoded_quoted_params_after_the_realm() {
        let params = pairs(&[("oauth_token", "a b"), ("oauth_signature", "x+/=")]);
        assert_eq!(
            authorization(Some("Photos \"R\" \\"), &params),
            r#"OAuth realm="Photos \"R\" \\", oauth_token="a%20b", oauth_signature="x%2B%2F%3D""#
        );
        assert_eq!(
            authorization(None, &params[..1]),
            r#"OAuth oauth_token="a%20b""#
        );
    }

    #[test]
    fn reads_params_of_every_challenge() {
        let value = r#"OAuth realm="Ex \"1\"", oauth_problem="token_revoked",Bearer error=invalid_token , x = "a,b""#;
        assert_eq!(
            auth_params(value),
            pairs(&[
                ("realm", r#"Ex "1""#),
                ("oauth_problem", "token_revoked"),
                ("error", "invalid_token"),
                ("x", "a,b"),
            ])
        );
        assert_eq!(auth_params(""), pairs(&[]));
        assert_eq!(
            auth_params(r#"OAuth a="unterminated"#),
            pairs(&[("a", "unterminated")])
        );
        assert_eq!(auth_params(r#"= "x" ,, b=1"#), pairs(&[("b", "1")]));
    }

    #[test]
    fn written_values_read_back() {
        let params = pairs(&[("oauth_nonce", "n"), ("oauth_signature", "s%26t")]);
        let value = authorization(Some("r\"q"), &params);
        assert_eq!(
            auth_params(&value),
            pairs(&[
                ("realm", "r\"q"),
                ("oauth_nonce", "n"),
                ("oauth_signature", "s%2526t")
            ])
        );
    }

    #[test]
    fn redaction_hides_the_signature_and_other_schemes() {
        assert_eq!(
            redact_authorization(
                r#"OAuth realm="Example", oauth_consumer_key="k", oauth_signature="c%26t""#
            ),
            r#"OAuth realm="Example", oauth_consumer_key="k", oauth_signature="(redacted)""#
        );
        assert_eq!(redact_authorization("Bearer abc"), "(redacted)");
        assert_eq!(redact_authorization("OAuthabc"), "(redacted)");
    }
}
