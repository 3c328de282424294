//! URL templates: `{name}` placeholders in a service's URLs and in the URL
//! given to `invoke`, parsed once and filled from ordered layers of vars.
//!
//! A placeholder is `{`, a var name (ASCII letters, digits, `_`), `}`; any
//! other brace is text (`{}`, `{a b}`, a lone `{`). Layers are searched in
//! order and the first that has a name wins; callers pass them as
//! `--var`, the connection's vars, the vars learnt at connect, the
//! service's vars.
//!
//! Where a placeholder sits decides what its value may be, so that no value
//! can move a request — and the credential it carries — elsewhere:
//!
//! * [`Slot::Origin`]: the URL starts with it (`{api_domain}/crm/v5`); the
//!   value is a bare origin, `http(s)://host[:port]`;
//! * [`Slot::Host`]: inside the authority (`https://{dc}.api.example.com`);
//!   the value is made of host characters (letters, digits, `-`, `.`, `_`,
//!   `~`), plus `:port` when the placeholder is the whole authority
//!   (`https://{host}/api`). There a placeholder must be whole labels of
//!   the host: right after `://` or `.`, and right before `.`, `:`, `/`,
//!   `?`, `#` or the end. Anywhere else in the authority (or the scheme)
//!   it is misplaced — `https://api.example.com{sfx}/v1` with
//!   `sfx=.evil.com` would send the credential to another host — and the
//!   template cannot be filled ([`UrlTemplate::misplaced`]);
//! * [`Slot::Path`]: after the authority, or anywhere in a relative path;
//!   the value is percent-encoded (all but RFC 3986's unreserved
//!   characters), so it stays data inside one segment.

use std::collections::BTreeMap;
use std::fmt;

use crate::{Error, Result};

/// A layer of var values.
pub type Vars = BTreeMap<String, String>;

/// Where a placeholder sits, which decides what its value may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The start of a URL: the value is a whole origin.
    Origin,
    /// Inside the host; `whole` when it is the entire authority.
    Host { whole: bool },
    /// In the path, query or fragment: the value is percent-encoded.
    Path,
}

impl Slot {
    /// What a value in this slot must look like, for messages.
    pub fn takes(self) -> &'static str {
        match self {
            Slot::Origin => "an origin like https://api.example.com",
            Slot::Host { whole: false } => {
                "a host name part (letters, digits, `-`, `.`, `_` and `~`)"
            }
            Slot::Host { whole: true } => "a host name, optionally with `:port`",
            Slot::Path => "any text",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Text(String),
    Var {
        name: String,
        slot: Slot,
    },
    /// A placeholder in the authority that is not whole labels of the host.
    Misplaced(String),
}

/// A URL (or a path) with `{name}` placeholders, parsed once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlTemplate {
    text: String,
    segments: Vec<Segment>,
}

impl fmt::Display for UrlTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Whether `name` can be a var name: ASCII letters, digits and `_`.
pub fn is_var_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl UrlTemplate {
    /// A template for an absolute URL, which may start with an origin
    /// placeholder: a service's endpoints and `base_url`, or an absolute
    /// URL given to `invoke`.
    pub fn url(text: &str) -> UrlTemplate {
        UrlTemplate::parse(text, true)
    }

    /// A template for a path (with an optional query) joined to a
    /// `base_url`: every placeholder is a [`Slot::Path`].
    pub fn path(text: &str) -> UrlTemplate {
        UrlTemplate::parse(text, false)
    }

    fn parse(text: &str, absolute: bool) -> UrlTemplate {
        let mut pieces: Vec<(bool, &str)> = Vec::new(); // (is_var, text)
        let mut rest = text;
        let mut literal_start = 0;
        let mut offset = 0;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) if is_var_name(&after[..close]) => {
                    pieces.push((false, &text[literal_start..offset + open]));
                    pieces.push((true, &after[..close]));
                    offset += open + close + 2;
                    literal_start = offset;
                    rest = &after[close + 1..];
                }
                _ => {
                    offset += open + 1;
                    rest = after;
                }
            }
        }
        pieces.push((false, &text[literal_start..]));
        pieces.retain(|(is_var, piece)| *is_var || !piece.is_empty());

        // Walk the pieces, knowing whether we are before the authority,
        // inside it, or past it.
        #[derive(PartialEq)]
        enum Part {
            Scheme,
            Authority,
            Rest,
        }
        let mut part = if absolute { Part::Scheme } else { Part::Rest };
        let mut segments = Vec::with_capacity(pieces.len());
        for (index, (is_var, piece)) in pieces.iter().enumerate() {
            if !is_var {
                let mut tail = *piece;
                while let Some(c) = tail.chars().next() {
                    match part {
                        Part::Scheme if tail.starts_with("://") => {
                            part = Part::Authority;
                            tail = &tail[3..];
                            continue;
                        }
                        Part::Authority if matches!(c, '/' | '?' | '#') => part = Part::Rest,
                        _ => {}
                    }
                    tail = &tail[c.len_utf8()..];
                }
                segments.push(Segment::Text((*piece).to_string()));
                continue;
            }
            let name = (*piece).to_string();
            let slot = match part {
                Part::Scheme if index == 0 => {
                    part = Part::Rest;
                    Slot::Origin
                }
                Part::Scheme => {
                    segments.push(Segment::Misplaced(name));
                    continue;
                }
                Part::Authority => {
                    let before = index.checked_sub(1).map(|i| pieces[i]);
                    let after = pieces.get(index + 1).copied();
                    let text_before = |ends: &[&str]| {
                        before.is_some_and(|(is_var, text)| {
                            !is_var && ends.iter().any(|end| text.ends_with(end))
                        })
                    };
                    let text_after = |starts: &[char]| {
                        after.is_none_or(|(is_var, text)| !is_var && text.starts_with(starts))
                    };
                    if !(text_before(&["://", "."]) && text_after(&['.', ':', '/', '?', '#'])) {
                        segments.push(Segment::Misplaced(name));
                        continue;
                    }
                    Slot::Host {
                        whole: text_before(&["://"]) && text_after(&['/', '?', '#']),
                    }
                }
                Part::Rest => Slot::Path,
            };
            segments.push(Segment::Var { name, slot });
        }
        UrlTemplate {
            text: text.to_string(),
            segments,
        }
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The placeholders, in order, each once.
    pub fn placeholders(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for segment in &self.segments {
            if let Segment::Var { name, .. } | Segment::Misplaced(name) = segment
                && !names.contains(&name.as_str())
            {
                names.push(name);
            }
        }
        names
    }

    /// The first placeholder in the authority that is not whole labels of
    /// the host (`{sfx}` in `https://api.example.com{sfx}/v1`): no value
    /// may fill it.
    pub fn misplaced(&self) -> Option<&str> {
        self.segments.iter().find_map(|segment| match segment {
            Segment::Misplaced(name) => Some(name.as_str()),
            _ => None,
        })
    }

    /// Fills every placeholder from `layers` (the first layer that has a
    /// name wins). A misplaced placeholder is an error whatever the
    /// layers hold; a placeholder with no value is an error naming all of
    /// them; a value unfit for its slot is an error naming it.
    pub fn fill(&self, layers: &[&Vars]) -> Result<String> {
        if let Some(name) = self.misplaced() {
            return Err(Error::MisplacedPlaceholder {
                template: self.text.clone(),
                name: name.to_string(),
            });
        }
        let (text, missing) = self.fill_with(layers)?;
        if missing.is_empty() {
            Ok(text)
        } else {
            Err(Error::UnfilledPlaceholders {
                template: self.text.clone(),
                names: missing,
            })
        }
    }

    /// Fills the placeholders `layers` have values for and keeps the
    /// others as `{name}`: those without a value and misplaced ones, which
    /// the config check then names with their key.
    pub fn fill_known(&self, layers: &[&Vars]) -> Result<String> {
        self.fill_with(layers).map(|(text, _)| text)
    }

    /// The template with every placeholder replaced by a sample value fit
    /// for its slot, so a URL parser can check the rest.
    pub fn sample(&self) -> String {
        let mut out = String::with_capacity(self.text.len());
        for segment in &self.segments {
            match segment {
                Segment::Text(text) => out.push_str(text),
                Segment::Var {
                    slot: Slot::Origin, ..
                } => out.push_str("https://origin.example"),
                Segment::Var { name, .. } | Segment::Misplaced(name) => out.push_str(name),
            }
        }
        out
    }

    fn fill_with(&self, layers: &[&Vars]) -> Result<(String, Vec<String>)> {
        let mut out = String::with_capacity(self.text.len());
        let mut missing: Vec<String> = Vec::new();
        for segment in &self.segments {
            let (name, slot) = match segment {
                Segment::Text(text) => {
                    out.push_str(text);
                    continue;
                }
                Segment::Misplaced(name) => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                    continue;
                }
                Segment::Var { name, slot } => (name, *slot),
            };
            match layers.iter().find_map(|layer| layer.get(name)) {
                Some(value) => out.push_str(&checked(name, value, slot)?),
                None => {
                    if !missing.contains(name) {
                        missing.push(name.clone());
                    }
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            }
        }
        Ok((out, missing))
    }
}

/// `value` as it goes into `slot`, or an error when it could move the
/// request elsewhere.
fn checked(name: &str, value: &str, slot: Slot) -> Result<String> {
    let refuse = || Error::InvalidVarValue {
        name: name.to_string(),
        slot,
    };
    match slot {
        Slot::Path => Ok(crate::percent::encode(value)),
        Slot::Origin => {
            let url = url::Url::parse(value).map_err(|_| refuse())?;
            let bare = matches!(url.path(), "" | "/")
                && url.query().is_none()
                && url.fragment().is_none()
                && url.username().is_empty()
                && url.password().is_none()
                && matches!(url.scheme(), "http" | "https");
            if bare {
                Ok(url.origin().ascii_serialization())
            } else {
                Err(refuse())
            }
        }
        Slot::Host { whole } => {
            let host_chars = |s: &str| {
                s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c))
            };
            let (host, port) = match value.rsplit_once(':') {
                Some((host, port)) if whole => (host, Some(port)),
                _ => (value, None),
            };
            let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0));
            if !host.is_empty() && host_chars(host) && port_ok {
                Ok(value.to_string())
            } else {
                Err(refuse())
            }
        }
    }
}

/// What a misplaced placeholder should be, for hints.
pub const MISPLACED_HINT: &str = "in the host, a placeholder is a whole label between dots, as in `https://{dc}.api.example.com`";

/// Parses a `--var` value: `name=value` (the value may be empty or hold
/// `=`).
pub fn parse_var(kv: &str) -> Result<(String, String)> {
    match kv.split_once('=') {
        Some((name, value)) if is_var_name(name) => Ok((name.to_string(), value.to_string())),
        _ => Err(Error::usage(
            format!("`--var {kv}` is not NAME=VALUE"),
            Some("names are letters, digits and `_`, e.g. `--var dc=us21`".into()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vars {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    fn slots(template: &UrlTemplate) -> Vec<(&str, Slot)> {
        template
            .segments
            .iter()
            .filter_map(|s| match s {
                Segment::Var { name, slot } => Some((name.as_str(), *slot)),
                Segment::Text(_) | Segment::Misplaced(_) => None,
            })
            .collect()
    }

    #[test]
    fn each_placeholder_knows_its_slot() {
        let host = Slot::Host { whole: false };
        let whole = Slot::Host { whole: true };
        let cases: [(UrlTemplate, Vec<(&str, Slot)>); 9] = [
            (
                UrlTemplate::url("https://{dc}.api.x.com/{v}/lists/{list}?q={q}#{f}"),
                vec![
                    ("dc", host),
                    ("v", Slot::Path),
                    ("list", Slot::Path),
                    ("q", Slot::Path),
                    ("f", Slot::Path),
                ],
            ),
            (
                UrlTemplate::url("{api_domain}/crm/{v}"),
                vec![("api_domain", Slot::Origin), ("v", Slot::Path)],
            ),
            (
                UrlTemplate::url("https://{host}/api/v4"),
                vec![("host", whole)],
            ),
            (UrlTemplate::url("https://{host}"), vec![("host", whole)]),
            (
                UrlTemplate::url("https://{host}:8443/x"),
                vec![("host", host)],
            ),
            (
                UrlTemplate::url("https://api.{region}.x.com?q={q}"),
                vec![("region", host), ("q", Slot::Path)],
            ),
            (
                UrlTemplate::url("https://{a}.{b}.x.com#{f}"),
                vec![("a", host), ("b", host), ("f", Slot::Path)],
            ),
            (
                UrlTemplate::path("{x}/users/{id}"),
                vec![("x", Slot::Path), ("id", Slot::Path)],
            ),
            (UrlTemplate::url("https://x.com/{}/{a b}"), vec![]),
        ];
        for (template, want) in cases {
            assert_eq!(slots(&template), want, "{template}");
        }
    }

    #[test]
    fn a_placeholder_in_the_host_must_be_whole_labels() {
        for (text, name) in [
            ("https://api.x.com{sfx}/v1", "sfx"),
            ("https://api.x.com{sfx}", "sfx"),
            ("https://{pre}api.x.com/v1", "pre"),
            ("https://api{n}.x.com/v1", "n"),
            ("https://{a}{b}/x", "a"),
            ("https://a.{b}{c}.x.com", "b"),
            ("https://{user}@api.x.com/", "user"),
            ("https://user@{host}/", "host"),
            ("https://x.com:{port}/", "port"),
            ("http{s}://x.com/", "s"),
        ] {
            let template = UrlTemplate::url(text);
            assert_eq!(template.misplaced(), Some(name), "{text}");
            assert!(template.placeholders().contains(&name), "{text}");
            // No value fills it, not even a harmless one.
            let layer = vars(&[(name, "a"), ("a", "a"), ("b", "b"), ("c", "c")]);
            let err = template.fill(&[&layer]).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("`{text}`: `{{{name}}}` is not a whole part of the host name")
            );
            assert_eq!(
                err.hint().unwrap(),
                "in the host, a placeholder is a whole label between dots, as in `https://{dc}.api.example.com`"
            );
            assert_eq!(err.exit_code(), crate::exit::USAGE);
            // Filling what is known keeps it, for the config check to name.
            assert!(
                template
                    .fill_known(&[&layer])
                    .unwrap()
                    .contains(&format!("{{{name}}}")),
                "{text}"
            );
        }
        for text in [
            "https://{dc}.api.x.com/3.0",
            "https://api.{region}.x.com",
            "https://{host}",
            "https://{host}:8443/x",
            "https://{a}.{b}.x.com?{q}",
            "{api_domain}/crm/v5",
            "https://x.com/{a}{b}",
        ] {
            assert_eq!(UrlTemplate::url(text).misplaced(), None, "{text}");
        }
        assert_eq!(UrlTemplate::path("{a}{b}.x.com").misplaced(), None);
    }

    #[test]
    fn placeholders_fill_from_the_first_layer_that_has_them() {
        let cli = vars(&[("dc", "us1")]);
        let connection = vars(&[("dc", "us21"), ("list", "abc")]);
        let service = vars(&[("dc", "us99"), ("list", "zzz"), ("v", "3.0")]);
        let all = [&cli, &connection, &service];
        let cases = [
            (
                UrlTemplate::url("https://{dc}.api.x.com/{v}/lists/{list}"),
                &all[..],
                "https://us1.api.x.com/3.0/lists/abc",
            ),
            (
                UrlTemplate::url("https://{dc}.api.x.com/{v}"),
                &all[1..],
                "https://us21.api.x.com/3.0",
            ),
            (
                UrlTemplate::url("https://{dc}.api.x.com/{v}"),
                &all[2..],
                "https://us99.api.x.com/3.0",
            ),
            (
                UrlTemplate::path("/lists/{list}/{list}"),
                &all[..],
                "/lists/abc/abc",
            ),
            (
                UrlTemplate::path("/no/placeholders"),
                &[][..],
                "/no/placeholders",
            ),
            // Braces around something that is not a name stay.
            (
                UrlTemplate::path("/a/{}/{not a var}/{x-y}/{"),
                &all[..],
                "/a/{}/{not a var}/{x-y}/{",
            ),
            (UrlTemplate::path("/{{dc}}"), &all[..], "/{us1}"),
            (UrlTemplate::path("/{a{dc}"), &all[..], "/{aus1"),
        ];
        for (template, layers, want) in cases {
            assert_eq!(template.fill(layers).unwrap(), want, "{template}");
        }
    }

    #[test]
    fn path_values_are_percent_encoded() {
        let cases = [
            ("a b", "/x/a%20b"),
            ("a/b", "/x/a%2Fb"),
            ("evil.com/x?", "/x/evil.com%2Fx%3F"),
            ("u@h:1#f", "/x/u%40h%3A1%23f"),
            ("é", "/x/%C3%A9"),
            ("a-b.c_d~e9", "/x/a-b.c_d~e9"),
            ("", "/x/"),
        ];
        for (value, want) in cases {
            let layer = vars(&[("v", value)]);
            let template = UrlTemplate::path("/x/{v}");
            assert_eq!(template.fill(&[&layer]).unwrap(), want, "{value}");
            let template = UrlTemplate::url("https://h.example/x/{v}");
            assert_eq!(
                template.fill(&[&layer]).unwrap(),
                format!("https://h.example{want}"),
                "{value}"
            );
        }
    }

    /// `Err` holds the message and hint of the refusal.
    fn refusal(template: &UrlTemplate, name: &str, value: &str) -> Option<(String, String)> {
        let layer = vars(&[(name, value)]);
        match template.fill(&[&layer]) {
            Ok(_) => None,
            Err(e) => Some((e.to_string(), e.hint().unwrap())),
        }
    }

    #[test]
    fn host_values_cannot_move_the_request() {
        let template = UrlTemplate::url("https://{dc}.api.x.com/3.0");
        assert_eq!(
            template.fill(&[&vars(&[("dc", "us21")])]).unwrap(),
            "https://us21.api.x.com/3.0"
        );
        for bad in [
            "evil.example.net#",
            "evil.example.net/",
            "evil.example/",
            "a@b",
            "x:1",
            "",
            "a b",
            "é",
        ] {
            assert_eq!(
                refusal(&template, "dc", bad),
                Some((
                    "the value of `dc` is not a host name part (letters, digits, `-`, `.`, `_` and `~`)".into(),
                    "`{dc}` at that place of the URL takes a host name part (letters, digits, `-`, `.`, `_` and `~`)"
                        .into()
                )),
                "{bad:?}"
            );
        }
        let whole = UrlTemplate::url("https://{host}/api/v4");
        for good in [
            "gitlab.example.com",
            "gitlab.example.com:8443",
            "127.0.0.1:9",
        ] {
            assert_eq!(refusal(&whole, "host", good), None, "{good:?}");
        }
        for bad in [
            "h.example:0",
            "h.example:x",
            "u@h.example",
            "h/x",
            ":443",
            "",
        ] {
            assert!(refusal(&whole, "host", bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn origin_values_are_bare_origins() {
        let template = UrlTemplate::url("{api_domain}/crm/v5");
        let filled = template
            .fill(&[&vars(&[("api_domain", "https://www.zohoapis.eu")])])
            .unwrap();
        assert_eq!(filled, "https://www.zohoapis.eu/crm/v5");
        for bad in [
            "https://evil.example/path",
            "https://u@h.example",
            "ftp://h.example",
            "h.example",
            "https://h.example?x=1",
        ] {
            assert_eq!(
                refusal(&template, "api_domain", bad).map(|(m, _)| m),
                Some(
                    "the value of `api_domain` is not an origin like https://api.example.com"
                        .into()
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn unfilled_placeholders_are_named_with_a_hint() {
        let layer = vars(&[("v", "1")]);
        let err = UrlTemplate::url("https://{dc}.x.com/{v}/{id}/{dc}")
            .fill(&[&layer])
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "`https://{dc}.x.com/{v}/{id}/{dc}` has no value for `{dc}`, `{id}`"
        );
        assert_eq!(
            err.hint().unwrap(),
            "pass `--var dc=… --var id=…`, or set it in the connection's `vars`"
        );
        assert_eq!(err.exit_code(), crate::exit::USAGE);
        let err = UrlTemplate::path("/{x}").fill(&[]).unwrap_err();
        assert_eq!(err.to_string(), "`/{x}` has no value for `{x}`");
    }

    #[test]
    fn known_values_fill_and_the_rest_stay() {
        let template = UrlTemplate::url("https://{host}/{tenant}/{dc}/{host}");
        let service = vars(&[("host", "h.example"), ("tenant", "a b")]);
        assert_eq!(
            template.fill_known(&[&service]).unwrap(),
            "https://h.example/a%20b/{dc}/h.example"
        );
        assert_eq!(template.placeholders(), ["host", "tenant", "dc"]);
    }

    #[test]
    fn samples_parse_as_urls() {
        for text in [
            "https://{dc}.api.mailchimp.com/3.0",
            "{api_domain}/crm/v5",
            "https://{host}/api/v4",
            "https://login.example.com/{tenant}/token",
        ] {
            let sample = UrlTemplate::url(text).sample();
            assert!(url::Url::parse(&sample).is_ok(), "{text} → {sample}");
        }
    }

    #[test]
    fn var_flags() {
        let cases = [
            ("dc=us21", ("dc", "us21")),
            ("a=b=c", ("a", "b=c")),
            ("empty=", ("empty", "")),
            ("snake_Case9=x y", ("snake_Case9", "x y")),
        ];
        for (kv, (k, v)) in cases {
            assert_eq!(
                parse_var(kv).unwrap(),
                (k.to_string(), v.to_string()),
                "{kv}"
            );
        }
        for kv in ["noequals", "=v", "a-b=c", "a b=c", "{dc}=x"] {
            let err = parse_var(kv).unwrap_err();
            assert_eq!(err.to_string(), format!("`--var {kv}` is not NAME=VALUE"));
            assert_eq!(
                err.hint().unwrap(),
                "names are letters, digits and `_`, e.g. `--var dc=us21`"
            );
        }
    }
}
