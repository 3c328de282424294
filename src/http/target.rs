//! Where a request goes, and whether a credential may go with it.
//!
//! This module owns the decisions `invoke` makes before anything is sent:
//!
//! * the method ([`parse_method`]): GET, POST, PUT, PATCH, DELETE or HEAD;
//! * `{var}` placeholders ([`fill`]), filled from `--var`, then the
//!   connection's vars, then the service's;
//! * the URL ([`resolve_url`]): absolute, or a path under `base_url`;
//! * the host allow-list ([`AllowList`]) and the redirect rule
//!   ([`same_origin`]) of DESIGN §6;
//! * what `-v` and `--dry-run` may print ([`redact_headers`],
//!   [`redact_url`]).
//!
//! Invariants, all fail-closed:
//!
//! * A credential goes only over https, or plain http to a loopback host
//!   (`127.0.0.0/8`, `::1`, `localhost`; RFC 8252 §8.3 reasons the same way
//!   for redirect URIs), and only to an allowed host:
//!   - `base_url` allows its own **origin**: the same host and port
//!     (RFC 6454), so a token for `http://127.0.0.1:8080` does not go to
//!     another program on `127.0.0.1:9090`;
//!   - a pattern (`allowed_hosts`, `--allow-host`) is `host`, `*.domain`,
//!     or either with `:port`. Without a port it allows only the scheme's
//!     default port (443 for https, 80 for http); `*.x.com` allows
//!     `a.x.com` and `a.b.x.com` but not `x.com` itself, which must be
//!     listed on its own. Hosts compare after the URL parser's
//!     normalisation (lower case, IDNA); a trailing dot is not stripped, so
//!     `x.com.` is refused where `x.com` is allowed.
//! * Redirects carry a credential only to the same origin (scheme, host
//!   and port); an https to http downgrade is another origin.
//! * A placeholder's value is data, not URL syntax: it is percent-encoded
//!   (everything but letters, digits and `-._~`), so no value can move a
//!   request to another host or path.
//! * A URL without a scheme (`//host/path`) is refused rather than guessed.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

use url::{Host, Url};

use crate::config::validate::is_loopback;
use crate::{Error, Result};

/// What redaction leaves in place of a secret.
pub const REDACTED: &str = "(redacted)";

/// Headers whose values are always secret, lower case.
pub const SECRET_HEADERS: [&str; 5] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
];

/// Query parameters that are always secret: the bearer token in a URI
/// (RFC 6750 §2.3).
pub const SECRET_PARAMS: [&str; 1] = ["access_token"];

/// Authorization schemes that may be shown before a redacted credential
/// (`Bearer (redacted)`). Only these: a value of another shape could be a
/// bare key whose first word is secret.
const SHOWN_SCHEMES: [&str; 5] = ["Basic", "Bearer", "Digest", "Token", "Bot"];

/// An HTTP method `invoke` sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
}

impl Method {
    pub const ALL: [Method; 6] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
        Method::Head,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
        }
    }

    /// Whether sending the request twice has the effect of sending it once
    /// (RFC 9110 §9.2.2), so it may be retried.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<Method> for reqwest::Method {
    fn from(method: Method) -> reqwest::Method {
        match method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
            Method::Head => reqwest::Method::HEAD,
        }
    }
}

/// Parses a method name, in any case.
pub fn parse_method(s: &str) -> Result<Method> {
    Method::ALL
        .into_iter()
        .find(|m| m.as_str().eq_ignore_ascii_case(s))
        .ok_or_else(|| {
            Error::usage(
                format!("`{s}` is not a method tether sends"),
                Some(
                    "use GET, POST, PUT, PATCH, DELETE or HEAD, before the URL: `tether invoke NAME GET /path`"
                        .into(),
                ),
            )
        })
}

/// Fills `{name}` placeholders from `layers`, the first layer that has a
/// name winning: pass `--var` values, then the connection's vars, then the
/// service's. Values are percent-encoded. Braces around anything that is
/// not a variable name (letters, digits, `_`) are left as they are.
/// Placeholders with no value are a usage error naming all of them.
pub fn fill(template: &str, layers: &[&BTreeMap<String, String>]) -> Result<String> {
    let mut out = String::with_capacity(template.len());
    let mut missing: Vec<&str> = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if is_var_name(&after[..close]) => {
                let name = &after[..close];
                match layers.iter().find_map(|layer| layer.get(name)) {
                    Some(value) => encode_into(&mut out, value),
                    None if !missing.contains(&name) => missing.push(name),
                    None => {}
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    if missing.is_empty() {
        return Ok(out);
    }
    let names: Vec<String> = missing.iter().map(|n| format!("`{{{n}}}`")).collect();
    let flags: Vec<String> = missing.iter().map(|n| format!("--var {n}=…")).collect();
    Err(Error::usage(
        format!("`{template}` has no value for {}", names.join(", ")),
        Some(format!(
            "pass `{}`, or set it in the connection's `vars`",
            flags.join(" ")
        )),
    ))
}

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

fn is_var_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Appends `value` percent-encoded, keeping only RFC 3986 unreserved
/// characters.
fn encode_into(out: &mut String, value: &str) {
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
}

/// The URL a request goes to. An `http://` or `https://` URL is taken as
/// it is; anything else is a path (with an optional `?query`) under
/// `base_url`, joined so that the base's path is kept:
/// `https://x/api/v1` with `/users` or `users` gives `https://x/api/v1/users`.
/// The base's own query comes first; its fragment is dropped. Dot segments
/// are resolved as the URL parser does, so `..` can leave the base path
/// but never the base's host.
pub fn resolve_url(url: &str, base_url: Option<&str>) -> Result<Url> {
    if starts_with_ignore_case(url, "http://") || starts_with_ignore_case(url, "https://") {
        return Url::parse(url)
            .map_err(|e| Error::usage(format!("`{url}` is not a valid URL ({e})"), None));
    }
    if url.starts_with("//") {
        return Err(Error::usage(
            format!("`{url}` has no scheme"),
            Some(format!("write it in full: `https:{url}`")),
        ));
    }
    if let Some((scheme, _)) = url.split_once("://")
        && !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return Err(Error::usage(
            format!("`{url}` is not an http or https URL"),
            None,
        ));
    }
    let Some(base) = base_url else {
        return Err(Error::usage(
            format!("`{url}` is a relative URL and the service has no `base_url`"),
            Some(
                "pass a full `https://` URL, or set one with `tether service edit SERVICE --base-url URL`"
                    .into(),
            ),
        ));
    };
    let mut joined = Url::parse(base).map_err(|e| {
        Error::usage(
            format!("the service's `base_url` `{base}` is not a valid URL ({e})"),
            None,
        )
    })?;
    if !matches!(joined.scheme(), "http" | "https") {
        return Err(Error::usage(
            format!("the service's `base_url` `{base}` is not an http or https URL"),
            None,
        ));
    }

    let (before_fragment, fragment) = match url.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (url, None),
    };
    let (path, query) = match before_fragment.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (before_fragment, None),
    };
    if !path.is_empty() {
        let base_path = joined.path().trim_end_matches('/');
        let new_path = format!("{base_path}/{}", path.trim_start_matches('/'));
        joined.set_path(&new_path);
    }
    let query = match (joined.query(), query) {
        (Some(a), Some(b)) if !a.is_empty() && !b.is_empty() => Some(format!("{a}&{b}")),
        (Some(a), Some("")) | (Some(a), None) => Some(a.to_string()),
        (_, Some(b)) => Some(b.to_string()),
        (None, None) => None,
    };
    joined.set_query(query.as_deref());
    joined.set_fragment(fragment);
    Ok(joined)
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// The hosts a connection's credential may be sent to.
#[derive(Debug, Clone, Default)]
pub struct AllowList {
    /// `base_url`'s host and port.
    base: Option<(Host<String>, u16)>,
    patterns: Vec<Pattern>,
}

#[derive(Debug, Clone, PartialEq)]
struct Pattern {
    host: HostPattern,
    /// `None`: the URL scheme's default port only.
    port: Option<u16>,
}

#[derive(Debug, Clone, PartialEq)]
enum HostPattern {
    Exact(Host<String>),
    /// `*.suffix`: any name that ends in `.suffix`.
    Subdomains(String),
}

impl Pattern {
    fn parse(pattern: &str) -> Option<Pattern> {
        let (host, port) = split_port(pattern.trim())?;
        let host = match host.strip_prefix("*.") {
            Some(suffix) => match Host::parse(suffix).ok()? {
                Host::Domain(d) if !d.contains('*') => HostPattern::Subdomains(d),
                _ => return None,
            },
            None => match host.parse::<IpAddr>() {
                Ok(IpAddr::V4(ip)) => HostPattern::Exact(Host::Ipv4(ip)),
                Ok(IpAddr::V6(ip)) => HostPattern::Exact(Host::Ipv6(ip)),
                Err(_) => match Host::parse(host).ok()? {
                    Host::Domain(d) if d.contains('*') => return None,
                    h => HostPattern::Exact(h),
                },
            },
        };
        Some(Pattern { host, port })
    }

    fn matches_host(&self, host: &Host<&str>) -> bool {
        match (&self.host, host) {
            (HostPattern::Exact(want), got) => want == got,
            (HostPattern::Subdomains(suffix), Host::Domain(d)) => d
                .strip_suffix(suffix.as_str())
                .is_some_and(|sub| sub.len() > 1 && sub.ends_with('.')),
            (HostPattern::Subdomains(_), _) => false,
        }
    }

    fn matches_port(&self, url: &Url) -> bool {
        match self.port {
            Some(port) => url.port_or_known_default() == Some(port),
            None => url.port().is_none(),
        }
    }
}

/// Splits `host:port`, `[v6]:port`, `[v6]` or a bare IPv6 address.
fn split_port(s: &str) -> Option<(&str, Option<u16>)> {
    if let Some(rest) = s.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        return match after {
            "" => Some((inside, None)),
            _ => Some((inside, Some(after.strip_prefix(':')?.parse().ok()?))),
        };
    }
    match s.matches(':').count() {
        0 => Some((s, None)),
        1 => {
            let (host, port) = s.split_once(':')?;
            Some((host, Some(port.parse().ok()?)))
        }
        _ => Some((s, None)),
    }
}

/// Checks an `--allow-host` value: a host, `*.domain`, either with
/// `:port`, or an IP address.
pub fn check_host_pattern(pattern: &str) -> Result<()> {
    match Pattern::parse(pattern) {
        Some(_) => Ok(()),
        None => Err(Error::usage(
            format!("`{pattern}` is not a host, `*.example.com` or `host:port`"),
            None,
        )),
    }
}

impl AllowList {
    /// The allow-list of a connection: `base_url`'s origin, the service's
    /// `allowed_hosts` patterns and the `--allow-host` extras. A pattern
    /// that does not parse allows nothing (the config check and
    /// [`check_host_pattern`] report those).
    pub fn new(base_url: Option<&Url>, patterns: &[String], extra: &[String]) -> AllowList {
        let base =
            base_url.and_then(|url| Some((url.host()?.to_owned(), url.port_or_known_default()?)));
        let patterns = patterns
            .iter()
            .chain(extra)
            .filter_map(|p| Pattern::parse(p))
            .collect();
        AllowList { base, patterns }
    }

    /// Whether the credential of `connection` may be sent to `url`; the
    /// error says why not.
    pub fn check(&self, connection: &str, url: &Url) -> Result<()> {
        let refuse = |reason: &str| Error::RefusedHost {
            connection: connection.to_string(),
            host: host_and_port(url),
            reason: reason.to_string(),
        };
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(url) => {}
            "http" => return Err(refuse("plain http to a non-loopback host")),
            _ => return Err(refuse("not an http or https URL")),
        }
        let Some(host) = url.host() else {
            return Err(refuse("the URL has no host"));
        };
        let base_host = self.base.as_ref().is_some_and(|(h, _)| *h == host);
        if base_host
            && self
                .base
                .as_ref()
                .is_some_and(|(_, port)| url.port_or_known_default() == Some(*port))
        {
            return Ok(());
        }
        let mut host_listed = base_host;
        for pattern in &self.patterns {
            if pattern.matches_host(&host) {
                if pattern.matches_port(url) {
                    return Ok(());
                }
                host_listed = true;
            }
        }
        if host_listed {
            Err(refuse("not an allowed port for this host"))
        } else {
            Err(refuse("not an allowed host"))
        }
    }
}

/// `host` or `host:port` when the port is not the scheme's default; never
/// the user-info part of a URL.
fn host_and_port(url: &Url) -> String {
    let host = url.host_str().unwrap_or("(no host)");
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// Whether two URLs share an origin: scheme, host and port (RFC 6454).
/// A redirect may carry the credential only when this holds (DESIGN §6).
pub fn same_origin(a: &Url, b: &Url) -> bool {
    matches!(a.scheme(), "http" | "https")
        && a.scheme() == b.scheme()
        && a.host().is_some()
        && a.host() == b.host()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Whether a header's value is secret: one of [`SECRET_HEADERS`] or one of
/// `extra` (a service's `api_key_header`), compared case-insensitively.
pub fn is_secret_header(name: &str, extra: &[&str]) -> bool {
    SECRET_HEADERS
        .iter()
        .chain(extra)
        .any(|secret| secret.eq_ignore_ascii_case(name))
}

/// A header's value as `-v` may print it. For `Authorization` and
/// `Proxy-Authorization` a well-known scheme stays visible.
pub fn redact_header<'a>(name: &str, value: &'a str, extra: &[&str]) -> Cow<'a, str> {
    if !is_secret_header(name, extra) {
        return Cow::Borrowed(value);
    }
    let is_authorization = ["authorization", "proxy-authorization"]
        .iter()
        .any(|n| n.eq_ignore_ascii_case(name));
    if is_authorization
        && let Some((scheme, _)) = value.split_once(' ')
        && let Some(known) = SHOWN_SCHEMES
            .iter()
            .find(|s| s.eq_ignore_ascii_case(scheme))
    {
        return Cow::Owned(format!("{known} {REDACTED}"));
    }
    Cow::Borrowed(REDACTED)
}

/// Headers as `-v` and `--dry-run` may print them.
pub fn redact_headers<'a>(
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    extra: &[&str],
) -> Vec<(String, String)> {
    headers
        .into_iter()
        .map(|(name, value)| {
            (
                name.to_string(),
                redact_header(name, value, extra).into_owned(),
            )
        })
        .collect()
}

/// A URL as `-v` and `--dry-run` may print it: the values of the query
/// parameters named in `secret_params` (a service's `api_key_query`) and
/// [`SECRET_PARAMS`] are replaced, names compared case-insensitively after
/// decoding, and so is any user name or password in the URL. The rest of
/// the query is kept byte for byte.
pub fn redact_url(url: &Url, secret_params: &[&str]) -> String {
    let mut shown = url.clone();
    // A user name in a URL is often a token (`https://TOKEN@host`), so the
    // whole user-info goes. Neither call fails on a URL with a host, and a
    // URL without one has no user-info.
    if !shown.username().is_empty() {
        let _ = shown.set_username(REDACTED);
    }
    if shown.password().is_some() {
        let _ = shown.set_password(Some(REDACTED));
    }
    if let Some(query) = url.query() {
        let redacted: Vec<String> = query
            .split('&')
            .map(|pair| {
                let (raw_name, has_value) = match pair.split_once('=') {
                    Some((name, _)) => (name, true),
                    None => (pair, false),
                };
                let name: String = url::form_urlencoded::parse(raw_name.as_bytes())
                    .map(|(k, _)| k.into_owned())
                    .next()
                    .unwrap_or_default();
                let secret = SECRET_PARAMS
                    .iter()
                    .chain(secret_params)
                    .any(|s| s.eq_ignore_ascii_case(&name));
                if secret && has_value {
                    format!("{raw_name}={REDACTED}")
                } else {
                    pair.to_string()
                }
            })
            .collect();
        shown.set_query(Some(&redacted.join("&")));
    }
    shown.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn usage(result: Result<impl fmt::Debug>) -> (String, Option<String>) {
        match result {
            Err(e @ Error::Usage { .. }) => (e.to_string(), e.hint()),
            other => panic!("expected a usage error, got {other:?}"),
        }
    }

    #[test]
    fn methods_in_any_case() {
        let cases = [
            ("GET", Method::Get, true),
            ("get", Method::Get, true),
            ("Post", Method::Post, false),
            ("put", Method::Put, true),
            ("PATCH", Method::Patch, false),
            ("delete", Method::Delete, true),
            ("hEaD", Method::Head, true),
        ];
        for (text, method, idempotent) in cases {
            let parsed = parse_method(text).unwrap();
            assert_eq!(parsed, method, "{text}");
            assert_eq!(parsed.is_idempotent(), idempotent, "{text}");
            assert_eq!(parsed.as_str(), text.to_ascii_uppercase());
            assert_eq!(parsed.to_string(), text.to_ascii_uppercase());
            assert_eq!(reqwest::Method::from(parsed).as_str(), parsed.as_str());
        }
        for text in ["OPTIONS", "TRACE", "CONNECT", "", "/users", "GETS"] {
            let (message, hint) = usage(parse_method(text));
            assert_eq!(message, format!("`{text}` is not a method tether sends"));
            assert!(
                hint.unwrap()
                    .contains("GET, POST, PUT, PATCH, DELETE or HEAD")
            );
        }
    }

    #[test]
    fn placeholders_fill_from_the_first_layer_that_has_them() {
        let cli = vars(&[("dc", "us1")]);
        let connection = vars(&[("dc", "us21"), ("list", "abc")]);
        let service = vars(&[("dc", "us99"), ("list", "zzz"), ("v", "3.0")]);
        let all = [&cli, &connection, &service];
        let cases = [
            (
                "https://{dc}.api.x.com/{v}/lists/{list}",
                &all[..],
                "https://us1.api.x.com/3.0/lists/abc",
            ),
            (
                "https://{dc}.api.x.com/{v}",
                &all[1..],
                "https://us21.api.x.com/3.0",
            ),
            (
                "https://{dc}.api.x.com/{v}",
                &all[2..],
                "https://us99.api.x.com/3.0",
            ),
            ("/lists/{list}/{list}", &all[..], "/lists/abc/abc"),
            ("/no/placeholders", &[][..], "/no/placeholders"),
            // Braces around something that is not a name stay.
            (
                "/a/{}/{not a var}/{x-y}/{",
                &all[..],
                "/a/{}/{not a var}/{x-y}/{",
            ),
            ("/{{dc}}", &all[..], "/{us1}"),
            ("/{a{dc}", &all[..], "/{aus1"),
        ];
        for (template, layers, want) in cases {
            assert_eq!(fill(template, layers).unwrap(), want, "{template}");
        }
    }

    #[test]
    fn placeholder_values_are_percent_encoded() {
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
            assert_eq!(fill("/x/{v}", &[&layer]).unwrap(), want, "{value}");
        }
        // A value cannot move the request to another host.
        let layer = vars(&[("dc", "evil.example/")]);
        let filled = fill("https://{dc}.api.x.com/3.0", &[&layer]).unwrap();
        assert_eq!(filled, "https://evil.example%2F.api.x.com/3.0");
        assert!(Url::parse(&filled).is_err(), "{filled}");
    }

    #[test]
    fn unfilled_placeholders_are_named_with_a_hint() {
        let layer = vars(&[("v", "1")]);
        let (message, hint) = usage(fill("https://{dc}.x.com/{v}/{id}/{dc}", &[&layer]));
        assert_eq!(
            message,
            "`https://{dc}.x.com/{v}/{id}/{dc}` has no value for `{dc}`, `{id}`"
        );
        assert_eq!(
            hint.unwrap(),
            "pass `--var dc=… --var id=…`, or set it in the connection's `vars`"
        );
        let (message, hint) = usage(fill("/{x}", &[]));
        assert_eq!(message, "`/{x}` has no value for `{x}`");
        assert_eq!(
            hint.unwrap(),
            "pass `--var x=…`, or set it in the connection's `vars`"
        );
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
            let (message, hint) = usage(parse_var(kv));
            assert_eq!(message, format!("`--var {kv}` is not NAME=VALUE"));
            assert!(hint.unwrap().contains("--var dc=us21"));
        }
    }

    #[test]
    fn urls_join_under_the_base_path() {
        let cases = [
            (
                "https://x.example/api/v1",
                "/users",
                "https://x.example/api/v1/users",
            ),
            (
                "https://x.example/api/v1",
                "users",
                "https://x.example/api/v1/users",
            ),
            (
                "https://x.example/api/v1/",
                "/users",
                "https://x.example/api/v1/users",
            ),
            (
                "https://x.example/api/v1/",
                "users",
                "https://x.example/api/v1/users",
            ),
            (
                "https://x.example/api/v1//",
                "/users",
                "https://x.example/api/v1/users",
            ),
            (
                "https://x.example/api/v1",
                "users/",
                "https://x.example/api/v1/users/",
            ),
            (
                "https://x.example/api/v1",
                "/a/b/c",
                "https://x.example/api/v1/a/b/c",
            ),
            ("https://x.example", "/users", "https://x.example/users"),
            ("https://x.example/", "users", "https://x.example/users"),
            ("https://x.example/api", "", "https://x.example/api"),
            ("https://x.example/api", "/", "https://x.example/api/"),
            (
                "https://x.example/api/v1",
                "/users?page=2&q=a b",
                "https://x.example/api/v1/users?page=2&q=a%20b",
            ),
            (
                "https://x.example/api/v1",
                "?page=2",
                "https://x.example/api/v1?page=2",
            ),
            (
                "https://x.example/api?key=1",
                "/users?page=2",
                "https://x.example/api/users?key=1&page=2",
            ),
            (
                "https://x.example/api?key=1",
                "/users",
                "https://x.example/api/users?key=1",
            ),
            (
                "https://x.example/api#top",
                "/users#x",
                "https://x.example/api/users#x",
            ),
            (
                "https://x.example/api/v1",
                "/a%2Fb",
                "https://x.example/api/v1/a%2Fb",
            ),
            (
                "https://x.example/api/v1",
                "/a b",
                "https://x.example/api/v1/a%20b",
            ),
            (
                "https://x.example/api/v1",
                "/v1/projects/p:run",
                "https://x.example/api/v1/v1/projects/p:run",
            ),
            (
                "https://x.example/api/v1",
                "../admin",
                "https://x.example/api/admin",
            ),
            (
                "https://x.example/api/v1",
                "/../../../etc",
                "https://x.example/etc",
            ),
            (
                "http://127.0.0.1:8080/base",
                "x",
                "http://127.0.0.1:8080/base/x",
            ),
            // Not a scheme: a relative path that happens to hold a colon.
            (
                "https://x.example/api",
                "localhost:8080/x",
                "https://x.example/api/localhost:8080/x",
            ),
        ];
        for (base, path, want) in cases {
            let got =
                resolve_url(path, Some(base)).unwrap_or_else(|e| panic!("{base} + {path}: {e}"));
            assert_eq!(got.as_str(), want, "{base} + {path}");
        }
    }

    #[test]
    fn absolute_urls_are_taken_as_they_are() {
        let cases = [
            ("https://other.example/a?b=1", "https://other.example/a?b=1"),
            ("http://localhost:9/a", "http://localhost:9/a"),
            ("HTTPS://X.Example/A", "https://x.example/A"),
            ("https://x.example:443/a", "https://x.example/a"),
        ];
        for (input, want) in cases {
            for base in [None, Some("https://base.example/api")] {
                assert_eq!(resolve_url(input, base).unwrap().as_str(), want, "{input}");
            }
        }
    }

    #[test]
    fn urls_that_are_refused() {
        let base = Some("https://x.example/api");
        let cases = [
            ("//evil.example/x", base, "`//evil.example/x` has no scheme"),
            (
                "ftp://x.example/f",
                base,
                "`ftp://x.example/f` is not an http or https URL",
            ),
            (
                "file:///etc/passwd",
                base,
                "`file:///etc/passwd` is not an http or https URL",
            ),
            (
                "https://",
                base,
                "`https://` is not a valid URL (empty host)",
            ),
            (
                "http://a b/",
                base,
                "`http://a b/` is not a valid URL (invalid international domain name)",
            ),
            (
                "/users",
                None,
                "`/users` is a relative URL and the service has no `base_url`",
            ),
            (
                "/users",
                Some("not a url"),
                "the service's `base_url` `not a url` is not a valid URL (relative URL without a base)",
            ),
            (
                "/users",
                Some("mailto:a@x.example"),
                "the service's `base_url` `mailto:a@x.example` is not an http or https URL",
            ),
        ];
        for (input, base, want) in cases {
            let (message, _) = usage(resolve_url(input, base));
            assert_eq!(message, want, "{input}");
        }
        let (_, hint) = usage(resolve_url("users", None));
        assert!(hint.unwrap().contains("--base-url"));
        let (_, hint) = usage(resolve_url("//evil.example/x", base));
        assert_eq!(hint.unwrap(), "write it in full: `https://evil.example/x`");
    }

    fn list(base: Option<&str>, patterns: &[&str], extra: &[&str]) -> AllowList {
        let base = base.map(url);
        let strings = |v: &[&str]| v.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
        AllowList::new(base.as_ref(), &strings(patterns), &strings(extra))
    }

    /// `None` when allowed, else the refusal's reason.
    fn verdict(list: &AllowList, target: &str) -> Option<String> {
        match list.check("conn", &url(target)) {
            Ok(()) => None,
            Err(Error::RefusedHost {
                reason, connection, ..
            }) => {
                assert_eq!(connection, "conn");
                Some(reason)
            }
            Err(other) => panic!("{target}: {other:?}"),
        }
    }

    const NOT_ALLOWED: Option<&str> = Some("not an allowed host");
    const BAD_PORT: Option<&str> = Some("not an allowed port for this host");
    const PLAIN_HTTP: Option<&str> = Some("plain http to a non-loopback host");

    #[test]
    fn base_url_allows_its_own_origin() {
        let allow = list(Some("https://api.x.com/v1"), &[], &[]);
        let cases = [
            ("https://api.x.com/v1/users", None),
            ("https://api.x.com/other/path", None),
            ("https://API.X.COM/v1", None),
            ("https://api.x.com:443/v1", None),
            ("https://api.x.com:8443/v1", BAD_PORT),
            ("https://x.com/v1", NOT_ALLOWED),
            ("https://sub.api.x.com/v1", NOT_ALLOWED),
            ("https://api.x.com.evil.example/v1", NOT_ALLOWED),
            ("https://api.x.com./v1", NOT_ALLOWED),
            ("http://api.x.com/v1", PLAIN_HTTP),
        ];
        for (target, want) in cases {
            assert_eq!(verdict(&allow, target).as_deref(), want, "{target}");
        }
    }

    #[test]
    fn loopback_base_urls_match_host_and_port() {
        let allow = list(Some("http://127.0.0.1:8080/api"), &[], &[]);
        let cases = [
            ("http://127.0.0.1:8080/api/x", None),
            ("https://127.0.0.1:8080/api/x", None),
            ("http://127.0.0.1:9090/api/x", BAD_PORT),
            ("http://127.0.0.1/api/x", BAD_PORT),
            ("http://127.0.0.2:8080/api/x", NOT_ALLOWED),
            ("http://localhost:8080/api/x", NOT_ALLOWED),
        ];
        for (target, want) in cases {
            assert_eq!(verdict(&allow, target).as_deref(), want, "{target}");
        }

        let allow = list(Some("http://[::1]:7000"), &[], &[]);
        assert_eq!(verdict(&allow, "http://[::1]:7000/x"), None);
        assert_eq!(verdict(&allow, "http://[0:0:0:0:0:0:0:1]:7000/x"), None);
        assert_eq!(verdict(&allow, "http://[::1]:7001/x").as_deref(), BAD_PORT);

        let allow = list(Some("http://localhost:3000"), &[], &[]);
        assert_eq!(verdict(&allow, "http://LOCALHOST:3000/x"), None);
    }

    #[test]
    fn patterns_allow_hosts_on_the_default_port() {
        let allow = list(
            Some("https://us21.api.mc.com/3.0"),
            &[
                "*.api.mc.com",
                "login.mc.com",
                "10.0.0.1",
                "*.files.mc.com:8443",
            ],
            &["cdn.example", "[::1]:9000", "localhost:5000", "::2"],
        );
        let cases = [
            ("https://us21.api.mc.com/3.0", None),
            ("https://us1.api.mc.com/3.0", None),
            ("https://a.b.api.mc.com/", None),
            ("https://US1.Api.Mc.Com/", None),
            // `*.x` is not `x` itself, nor a name that merely ends in it.
            ("https://api.mc.com/", NOT_ALLOWED),
            ("https://evilapi.mc.com/", NOT_ALLOWED),
            ("https://us1.api.mc.com.evil.example/", NOT_ALLOWED),
            ("https://login.mc.com/x", None),
            ("https://a.login.mc.com/x", NOT_ALLOWED),
            // A pattern without a port allows the default port only.
            ("https://login.mc.com:8443/x", BAD_PORT),
            ("https://us1.api.mc.com:444/", BAD_PORT),
            // A pattern with a port allows that port only.
            ("https://a.files.mc.com:8443/", None),
            ("https://a.files.mc.com/", BAD_PORT),
            ("https://10.0.0.1/", None),
            ("https://10.0.0.2/", NOT_ALLOWED),
            ("http://10.0.0.1/", PLAIN_HTTP),
            ("https://cdn.example/", None),
            ("http://[::1]:9000/", None),
            ("http://[::1]:9001/", BAD_PORT),
            ("http://localhost:5000/", None),
            ("https://[::2]/", None),
            ("http://[::2]/", PLAIN_HTTP),
            ("https://elsewhere.example/", NOT_ALLOWED),
        ];
        for (target, want) in cases {
            assert_eq!(verdict(&allow, target).as_deref(), want, "{target}");
        }
    }

    #[test]
    fn only_https_or_loopback_http() {
        let allow = list(
            None,
            &[
                "api.x.com",
                "localhost",
                "127.0.0.1",
                "127.9.9.9",
                "::1",
                "10.1.1.1",
            ],
            &[],
        );
        let cases = [
            ("https://api.x.com/", None),
            ("http://api.x.com/", PLAIN_HTTP),
            ("http://localhost/", None),
            ("http://127.0.0.1/", None),
            ("http://127.9.9.9/", None),
            ("http://[::1]/", None),
            ("http://10.1.1.1/", PLAIN_HTTP),
            // Loopback but not listed.
            ("http://127.0.0.2/", NOT_ALLOWED),
            // The plain-http rule is checked first, even for unknown hosts.
            ("http://unknown.example/", PLAIN_HTTP),
            ("ftp://api.x.com/", Some("not an http or https URL")),
        ];
        for (target, want) in cases {
            assert_eq!(verdict(&allow, target).as_deref(), want, "{target}");
        }
        // With nothing listed, nothing is allowed.
        assert_eq!(
            verdict(&list(None, &[], &[]), "https://api.x.com/").as_deref(),
            NOT_ALLOWED
        );
    }

    #[test]
    fn malformed_patterns_allow_nothing() {
        let bad = [
            "",
            "*",
            "*.",
            "a.*.com",
            "*x.com",
            "x.com:port",
            "x.com:99999",
            "[::1",
            "https://x.com",
        ];
        for pattern in bad {
            assert!(check_host_pattern(pattern).is_err(), "{pattern:?}");
            let allow = list(None, &[pattern], &[]);
            assert_eq!(
                verdict(&allow, "https://x.com/").as_deref(),
                NOT_ALLOWED,
                "{pattern:?}"
            );
        }
        for pattern in [
            "x.com",
            "*.x.com",
            "x.com:8443",
            "127.0.0.1",
            "::1",
            "[::1]:80",
            "bücher.example",
        ] {
            assert!(check_host_pattern(pattern).is_ok(), "{pattern:?}");
        }
        // International names match in their ASCII form.
        let allow = list(None, &["*.bücher.example"], &[]);
        assert_eq!(verdict(&allow, "https://shop.xn--bcher-kva.example/"), None);
        assert_eq!(verdict(&allow, "https://shop.bücher.example/"), None);
    }

    #[test]
    fn the_refusal_names_host_and_port_but_no_user_info() {
        let allow = list(Some("https://api.x.com"), &[], &[]);
        let err = allow
            .check(
                "gh",
                &url("https://user:hunter2@evil.example:8443/x?token=abc"),
            )
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "refusing to send the credential of `gh` to evil.example:8443: not an allowed host"
        );
        assert_eq!(err.exit_code(), crate::exit::USAGE);
        let err = allow.check("gh", &url("http://api.x.com/x")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "refusing to send the credential of `gh` to api.x.com: plain http to a non-loopback host"
        );
    }

    #[test]
    fn origins() {
        let cases = [
            ("https://a.example/x", "https://a.example/y?z", true),
            ("https://a.example/x", "https://A.EXAMPLE:443/", true),
            ("http://127.0.0.1:80/", "http://127.0.0.1/", true),
            ("https://a.example/", "http://a.example/", false),
            ("https://a.example/", "https://a.example:8443/", false),
            ("https://a.example/", "https://b.a.example/", false),
            ("https://a.example/", "https://a.example.evil/", false),
            ("http://[::1]:8/", "http://[::1]:8/", true),
            ("http://[::1]:8/", "http://127.0.0.1:8/", false),
            ("ftp://a.example/", "ftp://a.example/", false),
        ];
        for (a, b, want) in cases {
            assert_eq!(same_origin(&url(a), &url(b)), want, "{a} {b}");
            assert_eq!(same_origin(&url(b), &url(a)), want, "{b} {a}");
        }
    }

    #[test]
    fn secret_headers_are_redacted() {
        let extra = ["X-Service-Key"];
        let cases = [
            ("Authorization", "Bearer abc.def", "Bearer (redacted)"),
            ("authorization", "bearer abc", "Bearer (redacted)"),
            ("Authorization", "Basic dXNlcjpwYXNz", "Basic (redacted)"),
            ("Authorization", "sk-secret", "(redacted)"),
            ("Authorization", "sk-secret and-more", "(redacted)"),
            ("Authorization", "", "(redacted)"),
            ("Proxy-Authorization", "Digest x=1", "Digest (redacted)"),
            ("Cookie", "session=abc", "(redacted)"),
            ("Set-Cookie", "Bearer x", "(redacted)"),
            ("X-API-Key", "k", "(redacted)"),
            ("x-service-key", "Bearer k", "(redacted)"),
            ("Accept", "application/json", "application/json"),
            ("X-Request-Id", "42", "42"),
        ];
        for (name, value, want) in cases {
            assert_eq!(redact_header(name, value, &extra), want, "{name}: {value}");
        }
        let got = redact_headers(
            [
                ("Authorization", "Bearer t"),
                ("Accept", "*/*"),
                ("X-Service-Key", "k"),
            ],
            &extra,
        );
        assert_eq!(
            got,
            vec![
                ("Authorization".to_string(), "Bearer (redacted)".to_string()),
                ("Accept".to_string(), "*/*".to_string()),
                ("X-Service-Key".to_string(), "(redacted)".to_string()),
            ]
        );
        // Without the service's header name, it is not a secret.
        assert_eq!(redact_header("X-Service-Key", "k", &[]), "k");
    }

    #[test]
    fn secret_query_parameters_and_user_info_are_redacted() {
        let cases = [
            (
                "https://x.example/a?key=s3cret&page=2",
                &["key"][..],
                "https://x.example/a?key=(redacted)&page=2",
            ),
            (
                "https://x.example/a?KEY=s3cret",
                &["key"][..],
                "https://x.example/a?KEY=(redacted)",
            ),
            (
                "https://x.example/a?k%65y=s3cret",
                &["key"][..],
                "https://x.example/a?k%65y=(redacted)",
            ),
            (
                "https://x.example/a?key=1&key=2",
                &["key"][..],
                "https://x.example/a?key=(redacted)&key=(redacted)",
            ),
            (
                "https://x.example/a?access_token=t&q=a+b%20c",
                &[][..],
                "https://x.example/a?access_token=(redacted)&q=a+b%20c",
            ),
            (
                "https://x.example/a?keyring=1&monkey=2",
                &["key"][..],
                "https://x.example/a?keyring=1&monkey=2",
            ),
            (
                "https://x.example/a?key&x=",
                &["key"][..],
                "https://x.example/a?key&x=",
            ),
            ("https://x.example/a", &["key"][..], "https://x.example/a"),
            (
                "https://tok@x.example/a",
                &[][..],
                "https://(redacted)@x.example/a",
            ),
            (
                "https://u:p@x.example/a?key=1",
                &["key"][..],
                "https://(redacted):(redacted)@x.example/a?key=(redacted)",
            ),
        ];
        for (input, params, want) in cases {
            let got = redact_url(&url(input), params);
            assert_eq!(got, want, "{input}");
            assert!(!got.contains("s3cret"));
        }
    }
}
