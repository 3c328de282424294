//! Printing an exchange: the body on stdout (pretty, coloured JSON on a
//! terminal; the bytes as they came otherwise), `-v` headers on stderr with
//! every credential redacted, and the `--json` envelope.

use std::io::Write;

use anstyle::{AnsiColor, Style};
use serde_json::{Map, Value};

use super::send::{Event, Response};
use super::target::{redact_headers, redact_url};
use crate::{Error, Result};

/// Writes one `-v` event to `out`. `secret_headers` and `secret_params`
/// name what the credential adds besides the usual secret headers.
pub fn trace(
    out: &mut dyn Write,
    event: &Event<'_>,
    secret_headers: &[&str],
    secret_params: &[&str],
) {
    let _ = match event {
        Event::Sent {
            method,
            url,
            headers,
            body,
        } => {
            let mut text = format!("{method} {} HTTP/1.1\n", redact_url(url, secret_params));
            for (name, value) in redact_headers(
                headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
                secret_headers,
            ) {
                text.push_str(&format!("{name}: {value}\n"));
            }
            match body.map(|b| (b, std::str::from_utf8(b))) {
                // The body is what the user typed or chose to send.
                Some((b, Ok(body))) if b.len() <= 4096 => text.push_str(&format!("\n{body}\n")),
                Some((b, _)) => text.push_str(&format!("\n({} bytes of body)\n", b.len())),
                None => {}
            }
            writeln!(out, "{text}")
        }
        Event::Received(response) => {
            let mut text = format!(
                "{} {} {}\n",
                response.version, response.status, response.reason
            );
            for (name, value) in redact_headers(
                response
                    .headers
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str())),
                secret_headers,
            ) {
                text.push_str(&format!("{name}: {value}\n"));
            }
            writeln!(out, "{text}")
        }
        Event::Note(note) => writeln!(out, "tether: {note}\n"),
    };
}

/// Whether the response says its body is JSON.
pub fn is_json(response: &Response) -> bool {
    response
        .header("content-type")
        .map(super::media_type)
        .is_some_and(|t| t == "application/json" || t.ends_with("+json"))
}

/// The body for a terminal: indented JSON, coloured unless `color` is
/// false; anything else as (lossy) text.
pub fn pretty(response: &Response, color: bool) -> Vec<u8> {
    if is_json(response)
        && let Ok(value) = serde_json::from_slice::<Value>(&response.body)
    {
        let mut out = String::new();
        write_json(&mut out, &value, 0, color);
        out.push('\n');
        return out.into_bytes();
    }
    let mut body = response.body.clone();
    if !body.is_empty() && !body.ends_with(b"\n") {
        body.push(b'\n');
    }
    body
}

/// `{status, headers, body}`: the body as JSON when it is JSON, else as a
/// string.
pub fn envelope(response: &Response) -> Value {
    let mut headers = Map::new();
    for (name, value) in &response.headers {
        headers.insert(name.to_ascii_lowercase(), Value::String(value.clone()));
    }
    let body = if is_json(response) {
        serde_json::from_slice(&response.body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&response.body).into_owned()))
    } else if response.body.is_empty() {
        Value::Null
    } else {
        Value::String(String::from_utf8_lossy(&response.body).into_owned())
    };
    serde_json::json!({
        "status": response.status,
        "url": redact_url(&response.url, &[]),
        "headers": headers,
        "body": body,
    })
}

/// Writes `bytes` to stdout; a closed pipe is not an error.
pub fn stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::io("<stdout>", e)),
        _ => Ok(()),
    }
}

/// The palette of JSON on a terminal (`--jq` output uses it too).
pub(crate) const KEY: Style = AnsiColor::Blue.on_default().bold();
pub(crate) const STRING: Style = AnsiColor::Green.on_default();
pub(crate) const LITERAL: Style = AnsiColor::Yellow.on_default();
pub(crate) const NULL: Style = AnsiColor::BrightBlack.on_default();

/// `value` as indented JSON at `depth`, coloured when `color`.
pub(crate) fn write_json(out: &mut String, value: &Value, depth: usize, color: bool) {
    let paint = |out: &mut String, style: Style, text: &str| {
        if color {
            out.push_str(&format!("{style}{text}{style:#}"));
        } else {
            out.push_str(text);
        }
    };
    let indent = |out: &mut String, depth: usize| out.push_str(&"  ".repeat(depth));
    match value {
        Value::Null => paint(out, NULL, "null"),
        Value::Bool(b) => paint(out, LITERAL, &b.to_string()),
        Value::Number(n) => paint(out, LITERAL, &n.to_string()),
        Value::String(s) => paint(out, STRING, &Value::String(s.clone()).to_string()),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                indent(out, depth + 1);
                write_json(out, item, depth + 1, color);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            indent(out, depth);
            out.push(']');
        }
        Value::Object(map) => {
            out.push_str("{\n");
            for (i, (key, item)) in map.iter().enumerate() {
                indent(out, depth + 1);
                paint(out, KEY, &Value::String(key.clone()).to_string());
                out.push_str(": ");
                write_json(out, item, depth + 1, color);
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            indent(out, depth);
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(content_type: &str, body: &str) -> Response {
        Response {
            status: 200,
            reason: "OK".into(),
            version: "HTTP/1.1".into(),
            headers: vec![("content-type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
            url: url::Url::parse("https://x.example/a?access_token=t").unwrap(),
        }
    }

    #[test]
    fn pretty_json_matches_serde_layout_without_colour() {
        let r = response(
            "application/json; charset=utf-8",
            r#"{"a":[1,{"b":null}],"c":"x","d":{},"e":[]}"#,
        );
        let value: Value = serde_json::from_slice(&r.body).unwrap();
        let expected = serde_json::to_string_pretty(&value).unwrap() + "\n";
        assert_eq!(String::from_utf8(pretty(&r, false)).unwrap(), expected);
        let coloured = String::from_utf8(pretty(&r, true)).unwrap();
        assert_eq!(
            coloured.lines().nth(1).unwrap(),
            "  \x1b[1m\x1b[34m\"a\"\x1b[0m: ["
        );
        assert_eq!(coloured.lines().nth(2).unwrap(), "    \x1b[33m1\x1b[0m,");
    }

    #[test]
    fn envelope_redacts_the_url_and_keeps_text_bodies() {
        let e = envelope(&response("text/plain", "hi"));
        assert_eq!(e["body"], "hi");
        assert_eq!(e["url"], "https://x.example/a?access_token=(redacted)");
        let e = envelope(&response("application/problem+json", r#"{"title":"x"}"#));
        assert_eq!(e["body"]["title"], "x");
    }
}
