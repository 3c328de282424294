//! Host patterns: which hosts a credential may be sent to.
//!
//! One parser for the one syntax, used by the config check of
//! `allowed_hosts`, by `invoke --allow-host`, by the allow-list that
//! decides each request, and by the hint that names a pattern when a host
//! is refused — so the hint always names a value the other three accept.
//!
//! A pattern is a host name (`api.example.com`), `*.` and a domain
//! (`*.example.com`: any name under it at any depth, not the domain
//! itself), or an IP address (`10.0.0.1`, `::1`, `[::1]`), each optionally
//! followed by `:port` (`[::1]:8080` for IPv6). Without a port a pattern
//! allows the scheme's default port only (443 for https, 80 for http).
//! Names compare after the URL parser's normalisation (lower case, IDNA),
//! so `Bücher.example` and `xn--bcher-kva.example` are one host; a
//! trailing dot is not stripped.
//!
//! A `*.` pattern over a public suffix (`*.com`, `*.co.uk`, `*.github.io`)
//! is refused: it would allow every site anyone can register there. The
//! suffixes are those of the Public Suffix List (the `psl` crate), less
//! [`ONE_OPERATOR_SUFFIXES`]; a name the list does not know (`*.corp`) is
//! taken as a private domain.

use std::fmt;
use std::net::IpAddr;

use url::{Host, Url};

/// A parsed host pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPattern {
    host: HostMatch,
    /// `None`: the URL scheme's default port only.
    port: Option<u16>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum HostMatch {
    Exact(Host<String>),
    /// `*.suffix`: any name that ends in `.suffix`.
    Subdomains(String),
}

/// A string that is not a host pattern tether accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidHostPattern {
    /// Not a host name, a `*.` pattern or `host:port`: the string.
    Syntax(String),
    /// `*.` over a public suffix: the pattern and the suffix.
    PublicSuffix { pattern: String, suffix: String },
}

impl InvalidHostPattern {
    /// What to write instead, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            InvalidHostPattern::Syntax(_) => None,
            InvalidHostPattern::PublicSuffix { .. } => {
                Some("name the service's own domain, such as `*.example.com`".into())
            }
        }
    }
}

impl fmt::Display for InvalidHostPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidHostPattern::Syntax(pattern) => write!(
                f,
                "`{pattern}` is not a host name, a `*.example.com` pattern or `host:port`"
            ),
            InvalidHostPattern::PublicSuffix { pattern, suffix } => write!(
                f,
                "`{pattern}` would allow every site under the public suffix `{suffix}`"
            ),
        }
    }
}

impl HostPattern {
    /// Parses a pattern (surrounding spaces ignored).
    pub fn parse(pattern: &str) -> Result<HostPattern, InvalidHostPattern> {
        let parsed = Self::parse_inner(pattern.trim())
            .ok_or_else(|| InvalidHostPattern::Syntax(pattern.to_string()))?;
        match &parsed.host {
            HostMatch::Subdomains(domain) if is_public_suffix(domain) => {
                Err(InvalidHostPattern::PublicSuffix {
                    pattern: pattern.trim().to_string(),
                    suffix: domain.clone(),
                })
            }
            _ => Ok(parsed),
        }
    }

    fn parse_inner(pattern: &str) -> Option<HostPattern> {
        let (host, port) = split_port(pattern)?;
        let host = match host.strip_prefix("*.") {
            Some(suffix) => match Host::parse(suffix).ok()? {
                Host::Domain(d) if !d.contains('*') => HostMatch::Subdomains(d),
                _ => return None,
            },
            None => match host.parse::<IpAddr>() {
                Ok(IpAddr::V4(ip)) => HostMatch::Exact(Host::Ipv4(ip)),
                Ok(IpAddr::V6(ip)) => HostMatch::Exact(Host::Ipv6(ip)),
                Err(_) => match Host::parse(host).ok()? {
                    Host::Domain(d) if d.contains('*') => return None,
                    h => HostMatch::Exact(h),
                },
            },
        };
        Some(HostPattern { host, port })
    }

    /// The pattern that allows exactly `url`'s host and port, as a user
    /// would write it: `host`, or `host:port` when the port is not the
    /// scheme's default. `None` for a URL without a host.
    pub fn exact_for(url: &Url) -> Option<String> {
        let host = url.host_str()?;
        Some(match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        })
    }

    /// Whether the pattern names `host`, whatever the port.
    pub fn matches_host(&self, host: &Host<&str>) -> bool {
        match (&self.host, host) {
            (HostMatch::Exact(want), got) => want == got,
            (HostMatch::Subdomains(suffix), Host::Domain(d)) => d
                .strip_suffix(suffix.as_str())
                .is_some_and(|sub| sub.len() > 1 && sub.ends_with('.')),
            (HostMatch::Subdomains(_), _) => false,
        }
    }

    /// Whether the pattern allows `url`'s port.
    pub fn matches_port(&self, url: &Url) -> bool {
        match self.port {
            Some(port) => url.port_or_known_default() == Some(port),
            None => url.port().is_none(),
        }
    }
}

/// Suffixes of the list's private section whose every host is served by
/// one operator, the provider whose credential tether sends there: the
/// names under them are not registered by others, so a wildcard over them
/// reaches that provider alone. Google's APIs live under `googleapis.com`
/// (`gmail.googleapis.com`, `sheets.googleapis.com`, …), which the
/// built-in Google template allows as `*.googleapis.com`.
const ONE_OPERATOR_SUFFIXES: [&str; 1] = ["googleapis.com"];

/// Whether `domain` (normalised by the URL parser) is a suffix of the
/// Public Suffix List, under which others may have names.
fn is_public_suffix(domain: &str) -> bool {
    !ONE_OPERATOR_SUFFIXES.contains(&domain)
        && psl::suffix(domain.as_bytes())
            .is_some_and(|suffix| suffix.is_known() && suffix.as_bytes() == domain.as_bytes())
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

/// Whether a URL's host is a loopback address or `localhost`, where plain
/// http may carry a credential (RFC 8252 §8.3 reasons the same way).
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn what_parses() {
        for good in [
            "x.com",
            "*.x.com",
            "x.com:8443",
            "*.x.com:8443",
            "127.0.0.1",
            "127.0.0.1:8080",
            "::1",
            "[::1]",
            "[::1]:80",
            "bücher.example",
            " padded.example ",
        ] {
            assert!(HostPattern::parse(good).is_ok(), "{good:?}");
        }
        for bad in [
            "",
            "*",
            "*.",
            "a.*.com",
            "*x.com",
            "x.com:port",
            "x.com:99999",
            "[::1",
            "https://x.com",
            "bad pattern",
            "x.com/path",
        ] {
            assert_eq!(
                HostPattern::parse(bad).unwrap_err().to_string(),
                format!("`{bad}` is not a host name, a `*.example.com` pattern or `host:port`"),
            );
        }
    }

    #[test]
    fn a_wildcard_over_a_public_suffix_is_refused() {
        for (pattern, suffix) in [
            ("*.com", "com"),
            ("*.uk", "uk"),
            ("*.co.uk", "co.uk"),
            ("*.github.io", "github.io"),
            ("*.GitHub.IO", "github.io"),
            ("*.s3.amazonaws.com", "s3.amazonaws.com"),
            ("*.appspot.com", "appspot.com"),
            ("*.herokuapp.com", "herokuapp.com"),
            ("*.com:8443", "com"),
            (" *.co.uk ", "co.uk"),
        ] {
            let err = HostPattern::parse(pattern).unwrap_err();
            assert_eq!(
                err,
                InvalidHostPattern::PublicSuffix {
                    pattern: pattern.trim().into(),
                    suffix: suffix.into()
                },
                "{pattern}"
            );
            assert_eq!(
                err.to_string(),
                format!(
                    "`{}` would allow every site under the public suffix `{suffix}`",
                    pattern.trim()
                )
            );
            assert_eq!(
                err.hint().unwrap(),
                "name the service's own domain, such as `*.example.com`"
            );
        }
        // A registrable domain under a suffix, and names the list does not
        // know (a private network's), are the user's to allow.
        for good in [
            "*.googleapis.com",
            "*.example.com",
            "*.example.co.uk",
            "*.me.github.io",
            "*.corp",
            "*.internal.example",
            "com",
            "github.io",
        ] {
            assert!(HostPattern::parse(good).is_ok(), "{good}");
        }
        let pattern = HostPattern::parse("*.example.co.uk").unwrap();
        assert!(pattern.matches_host(&Host::Domain("api.example.co.uk")));
        assert!(!pattern.matches_host(&Host::Domain("evil.co.uk")));
    }

    #[test]
    fn the_exact_pattern_of_a_url_parses_and_matches_it() {
        for (target, want) in [
            ("https://api.x.com/a", "api.x.com"),
            ("https://api.x.com:443/a", "api.x.com"),
            ("https://api.x.com:8443/a", "api.x.com:8443"),
            ("http://127.0.0.1:9000/a", "127.0.0.1:9000"),
            ("http://[::1]:9000/a", "[::1]:9000"),
            ("https://user:pw@h.example/", "h.example"),
        ] {
            let target = url(target);
            let exact = HostPattern::exact_for(&target).unwrap();
            assert_eq!(exact, want);
            let pattern = HostPattern::parse(&exact).unwrap();
            assert!(pattern.matches_host(&target.host().unwrap()), "{exact}");
            assert!(pattern.matches_port(&target), "{exact}");
        }
    }

    #[test]
    fn loopback() {
        for (u, want) in [
            ("http://127.0.0.1/", true),
            ("http://127.9.9.9/", true),
            ("http://[::1]/", true),
            ("http://LOCALHOST:8/", true),
            ("http://10.0.0.1/", false),
            ("http://localhost.example/", false),
        ] {
            assert_eq!(is_loopback(&url(u)), want, "{u}");
        }
    }
}
