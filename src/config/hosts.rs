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

/// A string that is not a host pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidHostPattern(pub String);

impl fmt::Display for InvalidHostPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a host name, a `*.example.com` pattern or `host:port`",
            self.0
        )
    }
}

impl HostPattern {
    /// Parses a pattern (surrounding spaces ignored).
    pub fn parse(pattern: &str) -> Result<HostPattern, InvalidHostPattern> {
        Self::parse_inner(pattern.trim()).ok_or_else(|| InvalidHostPattern(pattern.to_string()))
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
