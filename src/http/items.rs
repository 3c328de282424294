//! Request items: the words after the URL in `tether invoke`, in the
//! HTTPie/xh convention that users of those tools already know.
//!
//! This module owns turning `Header:value`, `name==value`, `field=value`,
//! `field:=json`, `field=@file`, `field:=@file` and `@file` into a typed
//! [`RequestItems`], and that into the bytes of a [`Body`]. It is pure apart
//! from reading `@file` items, which goes through a closure the caller
//! passes in.
//!
//! Rules, as in HTTPie and xh:
//!
//! * An item splits at its **first** separator; where several separators
//!   start at that position the longest wins (`a:=1` is a JSON field, not a
//!   header `a` with the value `=1`). The separators are `==`, `:=@`, `=@`,
//!   `:=`, `=` and `:`, plus `;` at the very end of an item (`Header;`).
//! * A backslash before `=`, `:`, `;`, `@` or `\` in the name makes that
//!   character literal: `a\=b=c` is the field `a=b` with the value `c`.
//!   The value after the separator is taken as typed, backslashes and all,
//!   so JSON and Windows paths need no extra escaping.
//! * `Header:` with nothing after it removes a header the request would
//!   otherwise carry; `Header;` sends the header with an empty value.
//!   Header names must be tokens (RFC 9110 §5.6.2); values lose their
//!   surrounding whitespace (RFC 9110 §5.5) and may not hold control
//!   characters, so an item cannot smuggle in a second header line.
//!   `Content-Length` is refused: the body decides it, and an item that
//!   disagreed would cut the body short or leave the server waiting.
//!   (Items that concern the credential — its own header, `Host` — are
//!   checked where the credential is: `Credential::check_items`.)
//! * Fields make a JSON object (`Content-Type: application/json`), or with
//!   `--form` an `application/x-www-form-urlencoded` body. A raw JSON field
//!   (`:=`) cannot be form-encoded, and a JSON body cannot hold one name
//!   twice: both are usage errors rather than a silent choice.
//! * `@file` sends the file as the body, as is; it cannot be mixed with
//!   fields.
//!
//! Not supported: HTTPie's nested JSON paths. `a[b]=c` sets the key `a[b]`
//! literally; write `a:='{"b":"c"}'` instead. Also not supported: multipart
//! uploads (`field@file`) and headers or query values read from files.
//!
//! Items are typed by the user, so error messages quote them; they never
//! quote what a file held.

use std::path::Path;

use serde_json::{Map, Value};

use crate::{Error, Result};

/// The `Content-Type` of a JSON body.
pub const JSON_CONTENT_TYPE: &str = "application/json";

/// The `Accept` sent with a JSON body: JSON preferred, anything taken (as
/// HTTPie and xh do, so an API that answers in another type still works).
pub const JSON_ACCEPT: &str = "application/json, */*;q=0.5";

/// The `Content-Type` of a form body (`--form`).
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// What the hint of a malformed item shows.
const FORMS: &str = "items look like `Header:value`, `Header:` (remove), `Header;` (empty), \
`name==query`, `field=string`, `field:=json`, `field=@file`, `field:=@file`, or `@file` for a raw body";

/// The request items of one `invoke`, in the order given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestItems {
    /// Headers; `None` removes a header the request would otherwise carry.
    pub headers: Vec<(String, Option<String>)>,
    /// Query parameters, appended to the URL's own.
    pub query: Vec<(String, String)>,
    /// Body fields.
    pub fields: Vec<(String, FieldValue)>,
    /// A raw body (`@file`), sent as is (any bytes).
    pub raw_body: Option<Vec<u8>>,
}

/// The value of a body field.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    /// `field=value` or `field=@file`: a JSON string, or a form value.
    String(String),
    /// `field:=json` or `field:=@file`: any JSON value.
    Json(Value),
}

/// A request body, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    None,
    /// A JSON object made of the fields.
    Json(Vec<u8>),
    /// The fields, form-encoded.
    Form(Vec<u8>),
    /// A raw body, as the user gave it.
    Raw(Vec<u8>),
}

impl Body {
    /// The `Content-Type` this body is sent with, if tether sets one.
    pub fn content_type(&self) -> Option<&'static str> {
        match self {
            Body::Json(_) => Some(JSON_CONTENT_TYPE),
            Body::Form(_) => Some(FORM_CONTENT_TYPE),
            Body::None | Body::Raw(_) => None,
        }
    }

    /// The headers this body brings, before the user's header items apply.
    pub fn default_headers(&self) -> &'static [(&'static str, &'static str)] {
        match self {
            Body::Json(_) => &[("Content-Type", JSON_CONTENT_TYPE), ("Accept", JSON_ACCEPT)],
            Body::Form(_) => &[("Content-Type", FORM_CONTENT_TYPE)],
            Body::None | Body::Raw(_) => &[],
        }
    }

    /// The bytes to send, if any.
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            Body::None => None,
            Body::Json(b) | Body::Form(b) | Body::Raw(b) => Some(b),
        }
    }
}

/// The separators, longest first among those that start with the same
/// character: at any position the first entry that matches wins.
const SEPARATORS: [(&str, Sep); 6] = [
    ("==", Sep::Query),
    (":=@", Sep::JsonFile),
    ("=@", Sep::StringFile),
    (":=", Sep::Json),
    ("=", Sep::String),
    (":", Sep::Header),
];

/// Characters a backslash makes literal in an item's name.
const ESCAPABLE: [char; 5] = ['=', ':', ';', '@', '\\'];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sep {
    Query,
    JsonFile,
    StringFile,
    Json,
    String,
    Header,
    /// `Header;`: a header with an empty value.
    EmptyHeader,
}

impl Sep {
    fn as_str(self) -> &'static str {
        match self {
            Sep::Query => "==",
            Sep::JsonFile => ":=@",
            Sep::StringFile => "=@",
            Sep::Json => ":=",
            Sep::String => "=",
            Sep::Header => ":",
            Sep::EmptyHeader => ";",
        }
    }
}

/// A field file's bytes as text: a field is a JSON string or JSON, so
/// its file must be UTF-8 (a raw `@file` body may be anything).
fn text_of(bytes: Vec<u8>, item: &str, path: &str) -> Result<String> {
    String::from_utf8(bytes).map_err(|_| {
        invalid(
            item,
            ItemProblem::FileNotText {
                path: path.to_string(),
            },
        )
    })
}

/// Parses request items. `read_file` reads the file of an `=@`, `:=@` or
/// `@` item; it should return an error that names the path.
pub fn parse(
    items: &[String],
    read_file: impl Fn(&Path) -> Result<Vec<u8>>,
) -> Result<RequestItems> {
    let mut out = RequestItems::default();
    for item in items {
        if let Some(path) = item.strip_prefix('@') {
            if path.is_empty() {
                return Err(invalid(item, ItemProblem::NoFile));
            }
            if out.raw_body.is_some() {
                return Err(invalid(item, ItemProblem::SecondRawBody));
            }
            out.raw_body = Some(read_file(Path::new(path))?);
            continue;
        }

        let Some((name, sep, value)) = split(item) else {
            return Err(invalid(item, ItemProblem::NotAnItem));
        };
        if name.is_empty() {
            return Err(invalid(
                item,
                ItemProblem::NoName {
                    separator: sep.as_str(),
                },
            ));
        }
        match sep {
            Sep::Header => {
                check_header_name(&name, item)?;
                check_not_framing(&name, item)?;
                let value = value.trim();
                check_header_value(value, item)?;
                let value = (!value.is_empty()).then(|| value.to_string());
                out.headers.push((name, value));
            }
            Sep::EmptyHeader => {
                check_header_name(&name, item)?;
                check_not_framing(&name, item)?;
                out.headers.push((name, Some(String::new())));
            }
            Sep::Query => out.query.push((name, value.to_string())),
            Sep::String => out
                .fields
                .push((name, FieldValue::String(value.to_string()))),
            Sep::StringFile => {
                let text = text_of(read_file(file_path(value, item)?)?, item, value)?;
                out.fields.push((name, FieldValue::String(text)));
            }
            Sep::Json => {
                let json = serde_json::from_str(value).map_err(|e| {
                    invalid(
                        item,
                        ItemProblem::NotJson {
                            detail: e.to_string(),
                        },
                    )
                })?;
                out.fields.push((name, FieldValue::Json(json)));
            }
            Sep::JsonFile => {
                let text = text_of(read_file(file_path(value, item)?)?, item, value)?;
                let json = serde_json::from_str(&text).map_err(|e| {
                    invalid(
                        item,
                        ItemProblem::FileNotJson {
                            path: value.to_string(),
                            detail: e.to_string(),
                        },
                    )
                })?;
                out.fields.push((name, FieldValue::Json(json)));
            }
        }
    }
    if out.raw_body.is_some() && !out.fields.is_empty() {
        return Err(Error::InvalidBody(BodyProblem::RawWithFields));
    }
    Ok(out)
}

impl RequestItems {
    /// The body: the fields as a JSON object, or form-encoded with `form`;
    /// the raw body if one was given; [`Body::None`] when there is nothing.
    pub fn body(&self, form: bool) -> Result<Body> {
        if let Some(raw) = &self.raw_body {
            if form {
                return Err(Error::InvalidBody(BodyProblem::FormWithRaw));
            }
            return Ok(Body::Raw(raw.clone()));
        }
        if self.fields.is_empty() {
            return Ok(Body::None);
        }
        if form {
            let mut encoder = url::form_urlencoded::Serializer::new(String::new());
            for (name, value) in &self.fields {
                match value {
                    FieldValue::String(s) => encoder.append_pair(name, s),
                    FieldValue::Json(_) => {
                        return Err(Error::InvalidBody(BodyProblem::JsonInForm {
                            field: name.clone(),
                        }));
                    }
                };
            }
            return Ok(Body::Form(encoder.finish().into_bytes()));
        }
        let mut object = Map::new();
        for (name, value) in &self.fields {
            if object.contains_key(name) {
                return Err(Error::InvalidBody(BodyProblem::FieldTwice {
                    field: name.clone(),
                }));
            }
            let value = match value {
                FieldValue::String(s) => Value::String(s.clone()),
                FieldValue::Json(v) => v.clone(),
            };
            object.insert(name.clone(), value);
        }
        let bytes = serde_json::to_vec(&Value::Object(object))
            .map_err(|e| Error::Other(format!("could not encode the JSON body: {e}")))?;
        Ok(Body::Json(bytes))
    }

    /// The headers to send: `defaults` (the body's, the client's) with the
    /// header items applied in order. An item with a value replaces the
    /// defaults of the same name (names compare case-insensitively) and
    /// adds to earlier items, so a header can repeat; an item without one
    /// removes every earlier header of that name.
    pub fn headers(&self, defaults: &[(&str, &str)]) -> Vec<(String, String)> {
        // (name, value, from an item)
        let mut out: Vec<(String, String, bool)> = defaults
            .iter()
            .map(|(n, v)| ((*n).to_string(), (*v).to_string(), false))
            .collect();
        for (name, value) in &self.headers {
            match value {
                Some(value) => {
                    out.retain(|(n, _, item)| *item || !n.eq_ignore_ascii_case(name));
                    out.push((name.clone(), value.clone(), true));
                }
                None => out.retain(|(n, _, _)| !n.eq_ignore_ascii_case(name)),
            }
        }
        out.into_iter().map(|(n, v, _)| (n, v)).collect()
    }

    /// Appends the query items to `url`, form-encoded as browsers and
    /// HTTPie do; the URL's own query is kept in front.
    pub fn apply_query(&self, url: &mut url::Url) {
        if !self.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&self.query);
        }
    }
}

/// Splits an item at its first unescaped separator: the name (escapes
/// removed), the separator, and the value as typed.
fn split(item: &str) -> Option<(String, Sep, &str)> {
    let mut name = String::new();
    let mut chars = item.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some(&(_, next)) if ESCAPABLE.contains(&next) => {
                    name.push(next);
                    chars.next();
                }
                _ => name.push(c),
            }
            continue;
        }
        let rest = &item[i..];
        if let Some((text, sep)) = SEPARATORS.iter().find(|(text, _)| rest.starts_with(text)) {
            return Some((name, *sep, &rest[text.len()..]));
        }
        if rest == ";" {
            return Some((name, Sep::EmptyHeader, ""));
        }
        name.push(c);
    }
    None
}

fn file_path<'a>(value: &'a str, item: &str) -> Result<&'a Path> {
    if value.is_empty() {
        return Err(invalid(item, ItemProblem::NoFile));
    }
    Ok(Path::new(value))
}

/// A header name is a token (RFC 9110 §5.6.2), as the `http` crate checks.
fn check_header_name(name: &str, item: &str) -> Result<()> {
    match http::HeaderName::from_bytes(name.as_bytes()) {
        Ok(_) => Ok(()),
        Err(_) => Err(invalid(
            item,
            ItemProblem::HeaderName {
                name: name.to_string(),
            },
        )),
    }
}

/// `Content-Length` comes from the body: an item that said otherwise would
/// cut the body short or leave the server waiting for more.
fn check_not_framing(name: &str, item: &str) -> Result<()> {
    if name.eq_ignore_ascii_case("content-length") {
        return Err(invalid(item, ItemProblem::ContentLength));
    }
    Ok(())
}

/// A header value holds no control characters but tab, as the `http`
/// crate checks: a CR or LF would start another header line.
fn check_header_value(value: &str, item: &str) -> Result<()> {
    // The crate lets UTF-8 through as opaque bytes; its C1 controls are
    // refused here too.
    let c1_control = value.chars().any(|c| c.is_control() && c != '\t');
    match http::HeaderValue::from_str(value) {
        Ok(_) if !c1_control => Ok(()),
        _ => Err(invalid(item, ItemProblem::HeaderValue)),
    }
}

fn invalid(item: &str, problem: ItemProblem) -> Error {
    Error::InvalidItem {
        item: item.to_string(),
        problem,
    }
}

/// What is wrong with one request item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemProblem {
    /// `@` or `field=@` with no file name.
    NoFile,
    /// A second `@file`.
    SecondRawBody,
    /// No separator at all.
    NotAnItem,
    /// Nothing before the separator.
    NoName {
        separator: &'static str,
    },
    HeaderName {
        name: String,
    },
    /// A control character or line break in a header value.
    HeaderValue,
    /// A field file that is not UTF-8.
    FileNotText {
        path: String,
    },
    /// The value after `:=` is not JSON; `detail` is the parser's.
    NotJson {
        detail: String,
    },
    FileNotJson {
        path: String,
        detail: String,
    },
    /// A `Content-Length` item: the body decides it.
    ContentLength,
}

impl ItemProblem {
    /// The message for `item`.
    pub fn message(&self, item: &str) -> String {
        match self {
            ItemProblem::NoFile if item == "@" => "`@` needs a file name: `@data.json`".into(),
            ItemProblem::NoFile => format!("`{item}` names no file"),
            ItemProblem::SecondRawBody => {
                format!("`{item}`: only one raw body (`@file`) can be sent")
            }
            ItemProblem::NotAnItem => format!("`{item}` is not a request item"),
            ItemProblem::NoName { separator } => {
                format!("`{item}` has no name before `{separator}`")
            }
            ItemProblem::HeaderName { name } => {
                format!("`{item}`: `{name}` is not a valid header name")
            }
            ItemProblem::HeaderValue => format!(
                "`{}`: a header value cannot hold control characters or line breaks",
                item.escape_debug()
            ),
            ItemProblem::FileNotText { path } => {
                format!("`{item}`: the file `{path}` is not UTF-8 text")
            }
            ItemProblem::NotJson { detail } => {
                format!("`{item}`: the value after `:=` is not valid JSON ({detail})")
            }
            ItemProblem::FileNotJson { path, detail } => {
                format!("`{item}`: the file `{path}` is not valid JSON ({detail})")
            }
            ItemProblem::ContentLength => {
                format!("`{item}`: the body decides `Content-Length`, not an item")
            }
        }
    }

    pub fn hint(&self) -> Option<String> {
        match self {
            ItemProblem::NoFile | ItemProblem::NotAnItem | ItemProblem::NoName { .. } => {
                Some(FORMS.into())
            }
            ItemProblem::SecondRawBody | ItemProblem::HeaderValue => None,
            ItemProblem::HeaderName { .. } => Some(
                "header names are letters, digits and `-` (RFC 9110 tokens); for a field write `name=value`"
                    .into(),
            ),
            ItemProblem::FileNotText { path } => Some(format!(
                "send it as a raw body with `@{path}` or `--body @{path}`"
            )),
            ItemProblem::NotJson { .. } => Some(
                "a JSON string needs quotes (`name:='\"text\"'`); for a plain string write `name=text`"
                    .into(),
            ),
            ItemProblem::FileNotJson { .. } => {
                Some("to send the file's text as a string, write `name=@file`".into())
            }
            ItemProblem::ContentLength => None,
        }
    }
}

/// What is wrong with the body the items make together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyProblem {
    RawWithFields,
    FormWithRaw,
    JsonInForm { field: String },
    FieldTwice { field: String },
}

impl std::fmt::Display for BodyProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BodyProblem::RawWithFields => {
                f.write_str("a raw body (`@file`) cannot be mixed with body fields")
            }
            BodyProblem::FormWithRaw => {
                f.write_str("`--form` encodes fields; a raw body (`@file`) is sent as is")
            }
            BodyProblem::JsonInForm { field } => write!(
                f,
                "the raw JSON field `{field}` cannot be sent with `--form`"
            ),
            BodyProblem::FieldTwice { field } => write!(f, "the field `{field}` is given twice"),
        }
    }
}

impl BodyProblem {
    pub fn hint(&self) -> String {
        match self {
            BodyProblem::RawWithFields => "send either the file or the fields".into(),
            BodyProblem::FormWithRaw => {
                "drop `--form`, or give the fields as `name=value` items".into()
            }
            BodyProblem::JsonInForm { field } => {
                format!("write `{field}=value` for a form field, or drop `--form` to send JSON")
            }
            BodyProblem::FieldTwice { field } => format!(
                "for a list write `{field}:='[\"a\",\"b\"]'`; with `--form` a name may repeat"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A file system of two files; anything else is not found.
    fn fake_read(path: &Path) -> Result<Vec<u8>> {
        match path.to_str() {
            Some("bio.txt") => Ok(b"line one\nline two\n".to_vec()),
            Some("tags.json") => Ok(b"[\"a\", \"b\"]\n".to_vec()),
            Some("broken.json") => Ok(b"{\"a\": ".to_vec()),
            Some("body.xml") => Ok(b"<a>1</a>".to_vec()),
            Some("binary.bin") => Ok(vec![0, 0xff, 0xfe]),
            _ => Err(Error::io(
                path,
                std::io::Error::from(std::io::ErrorKind::NotFound),
            )),
        }
    }

    fn parse_all(items: &[&str]) -> Result<RequestItems> {
        let items: Vec<String> = items.iter().map(|s| (*s).to_string()).collect();
        parse(&items, fake_read)
    }

    fn one(item: &str) -> RequestItems {
        parse_all(&[item]).unwrap_or_else(|e| panic!("{item}: {e}"))
    }

    fn usage_message(items: &[&str]) -> (String, Option<String>) {
        match parse_all(items) {
            Err(e @ (Error::InvalidItem { .. } | Error::InvalidBody(_))) => {
                assert_eq!(e.exit_code(), crate::exit::USAGE);
                (e.to_string(), e.hint())
            }
            other => panic!("{items:?}: expected a usage error, got {other:?}"),
        }
    }

    fn header(name: &str, value: Option<&str>) -> RequestItems {
        RequestItems {
            headers: vec![(name.into(), value.map(String::from))],
            ..RequestItems::default()
        }
    }

    fn query(name: &str, value: &str) -> RequestItems {
        RequestItems {
            query: vec![(name.into(), value.into())],
            ..RequestItems::default()
        }
    }

    fn field(name: &str, value: FieldValue) -> RequestItems {
        RequestItems {
            fields: vec![(name.into(), value)],
            ..RequestItems::default()
        }
    }

    fn string(s: &str) -> FieldValue {
        FieldValue::String(s.into())
    }

    #[test]
    fn every_separator() {
        let cases: Vec<(&str, RequestItems)> = vec![
            ("X-Trace:abc", header("X-Trace", Some("abc"))),
            ("X-Trace: abc ", header("X-Trace", Some("abc"))),
            (
                "Referer:https://a.example/x?y=1",
                header("Referer", Some("https://a.example/x?y=1")),
            ),
            ("Accept:", header("Accept", None)),
            ("Accept:   ", header("Accept", None)),
            ("X-Empty;", header("X-Empty", Some(""))),
            ("count==10", query("count", "10")),
            ("q==a=b", query("q", "a=b")),
            ("q==", query("q", "")),
            ("url==https://x.example", query("url", "https://x.example")),
            ("name=Ada", field("name", string("Ada"))),
            ("name=", field("name", string(""))),
            ("eq=a==b", field("eq", string("a==b"))),
            (
                "url=https://x.example/a:b",
                field("url", string("https://x.example/a:b")),
            ),
            ("count:=10", field("count", FieldValue::Json(json!(10)))),
            ("ok:=true", field("ok", FieldValue::Json(json!(true)))),
            (
                "tags:=[\"a\",1]",
                field("tags", FieldValue::Json(json!(["a", 1]))),
            ),
            (
                "obj:={\"a\":{\"b\":null}}",
                field("obj", FieldValue::Json(json!({"a": {"b": null}}))),
            ),
            ("bio=@bio.txt", field("bio", string("line one\nline two\n"))),
            (
                "tags:=@tags.json",
                field("tags", FieldValue::Json(json!(["a", "b"]))),
            ),
            // Nested paths are not interpreted.
            ("a[b]=c", field("a[b]", string("c"))),
            // `;` separates only at the very end.
            ("a;b=c", field("a;b", string("c"))),
        ];
        for (item, want) in cases {
            assert_eq!(one(item), want, "{item}");
        }
    }

    #[test]
    fn the_first_separator_wins_and_the_longest_at_that_place() {
        let cases: Vec<(&str, RequestItems)> = vec![
            // `:=` beats `:` at the same position.
            ("a:=1", field("a", FieldValue::Json(json!(1)))),
            // `:=@` beats `:=`.
            (
                "a:=@tags.json",
                field("a", FieldValue::Json(json!(["a", "b"]))),
            ),
            // `==` beats `=`; `=@` beats `=`.
            ("a==1", query("a", "1")),
            ("a=@bio.txt", field("a", string("line one\nline two\n"))),
            // The earliest position wins over a longer separator later on.
            ("a=b:=c", field("a", string("b:=c"))),
            ("H:a==b", header("H", Some("a==b"))),
            ("a==b:c", query("a", "b:c")),
            ("H:x;", header("H", Some("x;"))),
            // `=` then `@` later is not `=@`.
            ("email=me@x.example", field("email", string("me@x.example"))),
        ];
        for (item, want) in cases {
            assert_eq!(one(item), want, "{item}");
        }
    }

    #[test]
    fn backslash_escapes_a_separator_in_the_name() {
        let cases: Vec<(&str, RequestItems)> = vec![
            (r"a\=b=c", field("a=b", string("c"))),
            (r"a\:b=c", field("a:b", string("c"))),
            (r"a\:b:=1", field("a:b", FieldValue::Json(json!(1)))),
            (r"a\=\=b==c", query("a==b", "c")),
            (r"\@at=c", field("@at", string("c"))),
            (r"semi\;=c", field("semi;", string("c"))),
            (r"back\\slash=c", field(r"back\slash", string("c"))),
            // A backslash before anything else stays.
            (r"a\b=c", field(r"a\b", string("c"))),
            // An escaped backslash does not escape what follows.
            (r"a\\=b", field(r"a\", string("b"))),
            // The value is taken as typed.
            (r"path=C:\dir\=x", field("path", string(r"C:\dir\=x"))),
            (r#"s:="a\"b""#, field("s", FieldValue::Json(json!("a\"b")))),
        ];
        for (item, want) in cases {
            assert_eq!(one(item), want, "{item}");
        }
    }

    #[test]
    fn items_keep_their_order_and_kind() {
        let items = parse_all(&["A:1", "q==1", "f=1", "B:", "q==2", "g:=2"]).unwrap();
        assert_eq!(
            items.headers,
            vec![("A".into(), Some("1".into())), ("B".into(), None)]
        );
        assert_eq!(
            items.query,
            vec![("q".into(), "1".into()), ("q".into(), "2".into())]
        );
        assert_eq!(
            items.fields,
            vec![
                ("f".into(), string("1")),
                ("g".into(), FieldValue::Json(json!(2)))
            ]
        );
        assert_eq!(items.raw_body, None);
    }

    #[test]
    fn malformed_items_are_usage_errors_with_the_forms() {
        let cases: &[(&[&str], &str)] = &[
            (&["justaword"], "`justaword` is not a request item"),
            (&[r"a\=b"], r"`a\=b` is not a request item"),
            (&["=value"], "`=value` has no name before `=`"),
            (&[":value"], "`:value` has no name before `:`"),
            (&["==x"], "`==x` has no name before `==`"),
            (&[":=1"], "`:=1` has no name before `:=`"),
            (&[";"], "`;` has no name before `;`"),
            (&["@"], "`@` needs a file name: `@data.json`"),
        ];
        for (items, message) in cases {
            let (got, hint) = usage_message(items);
            assert_eq!(got, *message, "{items:?}");
            assert_eq!(hint.as_deref(), Some(FORMS), "{items:?}");
        }
    }

    #[test]
    fn header_names_are_tokens_and_values_have_no_line_breaks() {
        for item in ["X Trace:1", "X(a):1", "Ä:1", "X\"y;", "a/b:c"] {
            let (message, _) = usage_message(&[item]);
            assert!(
                message.contains("is not a valid header name"),
                "{item}: {message}"
            );
        }
        for item in ["X-Ok-!#$%&'*+.^_`|~:1", "x:1"] {
            assert!(parse_all(&[item]).is_ok(), "{item}");
        }
        for item in ["X:a\r\nEvil: 1", "X:a\nb", "X:a\u{0}"] {
            let (message, _) = usage_message(&[item]);
            assert!(message.contains("control characters"), "{item}: {message}");
            assert!(!message.contains('\n'), "{message}");
        }
        // A tab inside a value is allowed.
        assert_eq!(one("X:a\tb"), header("X", Some("a\tb")));
    }

    #[test]
    fn the_body_decides_content_length() {
        for item in ["Content-Length:5", "content-length:", "CONTENT-LENGTH;"] {
            let (message, hint) = usage_message(&[item]);
            assert_eq!(
                message,
                format!("`{item}`: the body decides `Content-Length`, not an item")
            );
            assert_eq!(hint, None);
        }
        assert!(parse_all(&["Content-Type:text/plain", "Content-Length2:1"]).is_ok());
    }

    #[test]
    fn invalid_json_names_the_item_and_where_it_broke() {
        let cases = [
            (
                "a:=[1,",
                "`a:=[1,`: the value after `:=` is not valid JSON (EOF while parsing a value at line 1 column 3)",
            ),
            (
                "a:=hello",
                "`a:=hello`: the value after `:=` is not valid JSON (expected value at line 1 column 1)",
            ),
            (
                "a:=",
                "`a:=`: the value after `:=` is not valid JSON (EOF while parsing a value at line 1 column 0)",
            ),
            (
                "a:={\"x\":1}}",
                "`a:={\"x\":1}}`: the value after `:=` is not valid JSON (trailing characters at line 1 column 8)",
            ),
        ];
        for (item, message) in cases {
            let (got, hint) = usage_message(&[item]);
            assert_eq!(got, message);
            assert!(hint.unwrap().contains("`name=text`"));
        }
        let (got, _) = usage_message(&["a:=@broken.json"]);
        assert_eq!(
            got,
            "`a:=@broken.json`: the file `broken.json` is not valid JSON (EOF while parsing a value at line 1 column 6)"
        );
    }

    #[test]
    fn file_items_read_through_the_closure() {
        let read = |path: &Path| -> Result<Vec<u8>> {
            assert_eq!(path, Path::new("dir/some file.txt"));
            Ok(b"content".to_vec())
        };
        let items = parse(&["a=@dir/some file.txt".to_string()], read).unwrap();
        assert_eq!(items, field("a", string("content")));

        // The closure's error comes back as it is (it names the path).
        let err = parse_all(&["a=@missing.txt"]).unwrap_err();
        assert!(matches!(err, Error::Io { ref path, .. } if path == Path::new("missing.txt")));
        let err = parse_all(&["a:=@missing.json"]).unwrap_err();
        assert!(matches!(err, Error::Io { .. }));
        let err = parse_all(&["@missing.bin"]).unwrap_err();
        assert!(matches!(err, Error::Io { .. }));

        for item in ["a=@", "a:=@"] {
            let (message, _) = usage_message(&[item]);
            assert_eq!(message, format!("`{item}` names no file"));
        }
    }

    #[test]
    fn raw_body_from_a_file() {
        let items = parse_all(&["@body.xml", "Content-Type:application/xml", "v==1"]).unwrap();
        assert_eq!(items.raw_body.as_deref(), Some(&b"<a>1</a>"[..]));
        let binary = parse_all(&["@binary.bin"]).unwrap();
        assert_eq!(binary.body(false).unwrap(), Body::Raw(vec![0, 0xff, 0xfe]));
        let (message, _) = usage_message(&["a=@binary.bin"]);
        assert_eq!(
            message,
            "`a=@binary.bin`: the file `binary.bin` is not UTF-8 text"
        );
        assert_eq!(items.body(false).unwrap(), Body::Raw(b"<a>1</a>".to_vec()));
        assert_eq!(Body::Raw(vec![]).content_type(), None);

        let (message, _) = usage_message(&["@body.xml", "a=1"]);
        assert_eq!(
            message,
            "a raw body (`@file`) cannot be mixed with body fields"
        );
        let (message, _) = usage_message(&["@body.xml", "@bio.txt"]);
        assert_eq!(
            message,
            "`@bio.txt`: only one raw body (`@file`) can be sent"
        );
        let err = items.body(true).unwrap_err();
        assert_eq!(err.exit_code(), crate::exit::USAGE);
    }

    #[test]
    fn json_body_bytes() {
        let cases: &[(&[&str], &str)] = &[
            (&["name=Ada"], r#"{"name":"Ada"}"#),
            (
                &[
                    "name=Ada",
                    "age:=36",
                    "tags:=[\"x\"]",
                    "ok:=false",
                    "n:=null",
                ],
                r#"{"name":"Ada","age":36,"tags":["x"],"ok":false,"n":null}"#,
            ),
            // Order is the order typed, not sorted.
            (&["z=1", "a=2"], r#"{"z":"1","a":"2"}"#),
            (&["q=\"quoted\" ü\n"], r#"{"q":"\"quoted\" ü\n"}"#),
            (&["num=10"], r#"{"num":"10"}"#),
            (&["bio=@bio.txt"], r#"{"bio":"line one\nline two\n"}"#),
            (&["a\\=b=c"], r#"{"a=b":"c"}"#),
            // Headers and query items do not make a body field.
            (&["H:1", "q==1", "f=1"], r#"{"f":"1"}"#),
        ];
        for (items, want) in cases {
            let body = parse_all(items).unwrap().body(false).unwrap();
            assert_eq!(body, Body::Json(want.as_bytes().to_vec()), "{items:?}");
            assert_eq!(body.content_type(), Some("application/json"));
            assert_eq!(
                body.default_headers(),
                &[
                    ("Content-Type", "application/json"),
                    ("Accept", "application/json, */*;q=0.5")
                ]
            );
        }
    }

    #[test]
    fn form_body_bytes() {
        let cases: &[(&[&str], &str)] = &[
            (&["name=Ada"], "name=Ada"),
            (
                &["name=Ada Lovelace", "x=a&b=c"],
                "name=Ada+Lovelace&x=a%26b%3Dc",
            ),
            (&["tag=a", "tag=b"], "tag=a&tag=b"),
            (&["ü=é", "e="], "%C3%BC=%C3%A9&e="),
            (&["a[b]=c"], "a%5Bb%5D=c"),
            (&["bio=@bio.txt"], "bio=line+one%0Aline+two%0A"),
        ];
        for (items, want) in cases {
            let body = parse_all(items).unwrap().body(true).unwrap();
            assert_eq!(body, Body::Form(want.as_bytes().to_vec()), "{items:?}");
            assert_eq!(
                body.content_type(),
                Some("application/x-www-form-urlencoded")
            );
            assert_eq!(
                body.default_headers(),
                &[("Content-Type", "application/x-www-form-urlencoded")]
            );
            assert_eq!(body.bytes(), Some(want.as_bytes()));
        }
    }

    #[test]
    fn no_fields_no_body() {
        for form in [false, true] {
            let body = parse_all(&["H:1", "q==1"]).unwrap().body(form).unwrap();
            assert_eq!(body, Body::None);
            assert_eq!(body.content_type(), None);
            assert!(body.default_headers().is_empty());
            assert_eq!(body.bytes(), None);
        }
    }

    #[test]
    fn raw_json_fields_refuse_form_and_json_refuses_repeats() {
        let items = parse_all(&["a=1", "n:=2"]).unwrap();
        let err = items.body(true).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the raw JSON field `n` cannot be sent with `--form`"
        );
        assert_eq!(
            err.hint().unwrap(),
            "write `n=value` for a form field, or drop `--form` to send JSON"
        );

        let items = parse_all(&["tag=a", "tag:=1"]).unwrap();
        let err = items.body(false).unwrap_err();
        assert_eq!(err.to_string(), "the field `tag` is given twice");
        assert_eq!(err.exit_code(), crate::exit::USAGE);
    }

    #[test]
    fn header_items_apply_over_defaults() {
        let defaults = [
            ("Content-Type", JSON_CONTENT_TYPE),
            ("Accept", JSON_ACCEPT),
            ("User-Agent", "tether/0.1"),
        ];
        let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(n, v)| ((*n).to_string(), (*v).to_string()))
                .collect()
        };
        type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);
        let cases: &[Case] = &[
            (&[], &defaults),
            (
                &["accept:text/html"],
                &[
                    ("Content-Type", JSON_CONTENT_TYPE),
                    ("User-Agent", "tether/0.1"),
                    ("accept", "text/html"),
                ],
            ),
            (
                &["Accept:", "User-Agent:"],
                &[("Content-Type", JSON_CONTENT_TYPE)],
            ),
            (
                &["X-A:1", "X-A:2", "Accept;"],
                &[
                    ("Content-Type", JSON_CONTENT_TYPE),
                    ("User-Agent", "tether/0.1"),
                    ("X-A", "1"),
                    ("X-A", "2"),
                    ("Accept", ""),
                ],
            ),
            (
                &["X-A:1", "x-a:", "X-A:3"],
                &[
                    ("Content-Type", JSON_CONTENT_TYPE),
                    ("Accept", JSON_ACCEPT),
                    ("User-Agent", "tether/0.1"),
                    ("X-A", "3"),
                ],
            ),
        ];
        for (items, want) in cases {
            let got = parse_all(items).unwrap().headers(&defaults);
            assert_eq!(got, pairs(want), "{items:?}");
        }
    }

    #[test]
    fn query_items_append_to_the_url() {
        let cases = [
            (
                "https://x.example/a",
                &["q==1"][..],
                "https://x.example/a?q=1",
            ),
            (
                "https://x.example/a?v=2",
                &["q==a b", "q==&"][..],
                "https://x.example/a?v=2&q=a+b&q=%26",
            ),
            ("https://x.example/a", &[][..], "https://x.example/a"),
            ("https://x.example/a", &["H:1"][..], "https://x.example/a"),
        ];
        for (base, items, want) in cases {
            let mut url = url::Url::parse(base).unwrap();
            parse_all(items).unwrap().apply_query(&mut url);
            assert_eq!(url.as_str(), want, "{items:?}");
        }
    }
}
