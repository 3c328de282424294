//! A shared store's `url`: a libpq connection URL
//! (`postgresql://user:pw@host:5432/db?sslmode=verify-full`) or
//! `key=value` string, read into a `tokio_postgres::Config` and a TLS
//! policy.
//!
//! tether reads `sslmode` and `sslrootcert` itself, as libpq does, and
//! hands the rest to tokio-postgres:
//!
//! * `disable` is accepted only when every host is loopback or a Unix
//!   socket: a password or a record never crosses a network in clear;
//! * `require`, `verify-ca` and `verify-full` all mean TLS with the server's
//!   certificate verified, chain and host name, against `sslrootcert` (a PEM
//!   file) or the bundled Mozilla roots: tether never sends a password to a
//!   server it has not verified;
//! * `prefer` and `allow` are refused: an attacker who answers "no TLS"
//!   silently downgrades them;
//! * unset, it is `disable` for loopback and sockets and `verify-full`
//!   otherwise.
//!
//! No host means the Debian socket folder, no user the login name, as
//! libpq would have it. A parse error never quotes the string (it may hold
//! a password), and [`ConnInfo::place`] names the server without user or
//! password: that is how every message shows a store's URL.

use std::net::IpAddr;
use std::path::PathBuf;
use std::str::FromStr;

use tokio_postgres::config::Host;

use crate::secret::Secret;

/// The socket folder libpq uses on Debian when a string names no host.
const DEFAULT_SOCKET_DIR: &str = "/var/run/postgresql";

/// A parsed `url`.
#[derive(Clone)]
pub struct ConnInfo {
    pub config: tokio_postgres::Config,
    pub tls: Tls,
}

impl std::fmt::Debug for ConnInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnInfo")
            .field("place", &self.place())
            .field("tls", &self.tls)
            .finish_non_exhaustive()
    }
}

/// How the connection is protected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tls {
    /// No TLS: loopback or a Unix socket only.
    Off,
    /// TLS, the server verified against these roots (a PEM file), or the
    /// bundled roots when `None`.
    Verified { root_cert: Option<PathBuf> },
}

/// Why a `url` cannot be used. Never quotes the string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlProblem {
    /// Not a URL nor a `key=value` string tokio-postgres reads.
    Unreadable,
    /// An `sslmode` that an attacker can downgrade (`prefer`, `allow`).
    Downgradable { mode: String },
    /// An `sslmode` libpq does not have.
    UnknownSslMode,
    /// `sslmode=disable` to a host that is not loopback.
    ClearOffLoopback { host: String },
}

/// Reads after "the `url` of store `x` ".
impl std::fmt::Display for UrlProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UrlProblem::Unreadable => {
                f.write_str("is neither a postgresql:// URL nor a key=value connection string")
            }
            UrlProblem::Downgradable { mode } => write!(
                f,
                "has `sslmode={mode}`, which a man in the middle can silently turn into no TLS"
            ),
            UrlProblem::UnknownSslMode => f.write_str(
                "has an `sslmode` that is not `disable`, `require`, `verify-ca` or `verify-full`",
            ),
            UrlProblem::ClearOffLoopback { host } => write!(
                f,
                "has `sslmode=disable` for `{host}`, which is not loopback: a password and the records would cross the network in clear"
            ),
        }
    }
}

impl ConnInfo {
    /// Reads `url` (see the module's doc).
    pub fn parse(url: &Secret) -> Result<ConnInfo, UrlProblem> {
        let text = url.expose().trim();
        let (rest, ssl) = if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            split_url(text)
        } else {
            split_pairs(text)?
        };
        let mut config =
            tokio_postgres::Config::from_str(&rest).map_err(|_| UrlProblem::Unreadable)?;
        if config.get_hosts().is_empty() && config.get_hostaddrs().is_empty() {
            config.host_path(DEFAULT_SOCKET_DIR);
        }
        if config.get_user().is_none()
            && let Some(user) = login_name()
        {
            config.user(user);
        }
        config.application_name("tether");
        let local = all_local(&config);
        let tls = match ssl.mode.as_deref() {
            None if local.is_ok() => Tls::Off,
            Some("disable") => match local {
                Ok(()) => Tls::Off,
                Err(host) => return Err(UrlProblem::ClearOffLoopback { host }),
            },
            None | Some("require" | "verify-ca" | "verify-full") => Tls::Verified {
                root_cert: ssl.root_cert.filter(|p| p != "system").map(PathBuf::from),
            },
            Some(mode @ ("prefer" | "allow")) => {
                return Err(UrlProblem::Downgradable {
                    mode: mode.to_string(),
                });
            }
            Some(_) => return Err(UrlProblem::UnknownSslMode),
        };
        // tether does TLS itself, after the startup: tokio-postgres must
        // ask for it whenever it is on, and never fall back to clear.
        config.ssl_mode(match tls {
            Tls::Off => tokio_postgres::config::SslMode::Disable,
            Tls::Verified { .. } => tokio_postgres::config::SslMode::Require,
        });
        Ok(ConnInfo { config, tls })
    }

    /// The server as messages name it: `host:port/db` or
    /// `socket folder:port/db`; never the user or the password.
    pub fn place(&self) -> String {
        let host = match (
            self.config.get_hosts().first(),
            self.config.get_hostaddrs().first(),
        ) {
            (Some(Host::Tcp(host)), _) => host.clone(),
            (Some(Host::Unix(path)), _) => path.display().to_string(),
            (None, Some(addr)) => addr.to_string(),
            (None, None) => DEFAULT_SOCKET_DIR.to_string(),
        };
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        let db = self
            .config
            .get_dbname()
            .or(self.config.get_user())
            .unwrap_or("");
        format!("{host}:{port}/{db}")
    }
}

/// `sslmode` and `sslrootcert`, taken out of the string.
#[derive(Debug, Default, PartialEq, Eq)]
struct Ssl {
    mode: Option<String>,
    root_cert: Option<String>,
}

impl Ssl {
    /// Keeps `key`'s value when it is one of ours; `false` for any other key.
    fn take(&mut self, key: &str, value: String) -> bool {
        match key {
            "sslmode" => self.mode = Some(value),
            "sslrootcert" => self.root_cert = Some(value),
            _ => return false,
        }
        true
    }
}

/// A URL without its `sslmode` and `sslrootcert` query parameters.
fn split_url(text: &str) -> (String, Ssl) {
    let mut ssl = Ssl::default();
    let Some((base, query)) = text.split_once('?') else {
        return (text.to_string(), ssl);
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_encoding::percent_decode_str(value)
                .decode_utf8_lossy()
                .into_owned();
            !ssl.take(key, value)
        })
        .collect();
    let rest = match kept.is_empty() {
        true => base.to_string(),
        false => format!("{base}?{}", kept.join("&")),
    };
    (rest, ssl)
}

/// A `key=value` string without its `sslmode` and `sslrootcert`; the other
/// pairs are kept as written.
fn split_pairs(text: &str) -> Result<(String, Ssl), UrlProblem> {
    let mut ssl = Ssl::default();
    let mut kept = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let key_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .ok_or(UrlProblem::Unreadable)?;
        let key = &rest[..key_end];
        let after = rest[key_end..].trim_start();
        let after = after.strip_prefix('=').ok_or(UrlProblem::Unreadable)?;
        let after = after.trim_start();
        let (value, raw_len) = read_value(after)?;
        let raw = &after[..raw_len];
        if !ssl.take(key, value) {
            kept.push(format!("{key}={raw}"));
        }
        rest = after[raw_len..].trim_start();
    }
    Ok((kept.join(" "), ssl))
}

/// One value of a `key=value` string, unquoted, and how many bytes it
/// took: `'quoted \' value'` or a bare word, `\` escaping in both.
fn read_value(text: &str) -> Result<(String, usize), UrlProblem> {
    let mut value = String::new();
    let quoted = text.starts_with('\'');
    let mut chars = text.char_indices().skip(usize::from(quoted));
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, escaped)) => value.push(escaped),
                None => return Err(UrlProblem::Unreadable),
            },
            '\'' if quoted => return Ok((value, i + 1)),
            c if !quoted && c.is_whitespace() => return Ok((value, i)),
            c => value.push(c),
        }
    }
    match quoted {
        true => Err(UrlProblem::Unreadable),
        false => Ok((value, text.len())),
    }
}

/// `Ok` when every host is loopback or a socket; else the first that is
/// not.
fn all_local(config: &tokio_postgres::Config) -> Result<(), String> {
    for host in config.get_hosts() {
        if let Host::Tcp(name) = host
            && !is_loopback_name(name)
        {
            return Err(name.clone());
        }
    }
    for addr in config.get_hostaddrs() {
        if !addr.is_loopback() {
            return Err(addr.to_string());
        }
    }
    Ok(())
}

fn is_loopback_name(name: &str) -> bool {
    let bare = name.trim_start_matches('[').trim_end_matches(']');
    name.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Who this process runs as, libpq's default user.
fn login_name() -> Option<String> {
    ["PGUSER", "USER", "LOGNAME", "USERNAME"]
        .into_iter()
        .find_map(|var| std::env::var(var).ok().filter(|v| !v.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ConnInfo, UrlProblem> {
        ConnInfo::parse(&Secret::new(text))
    }

    #[test]
    fn loopback_and_sockets_go_in_clear_by_default_and_others_verified() {
        let info = parse("postgresql://tether:pw@127.0.0.1:5433/teams").unwrap();
        assert_eq!(info.tls, Tls::Off);
        assert_eq!(info.place(), "127.0.0.1:5433/teams");
        assert_eq!(info.config.get_password(), Some(&b"pw"[..]));
        let info = parse("host=/tmp/pg port=5999 user=ci dbname=x").unwrap();
        assert_eq!(info.tls, Tls::Off);
        assert_eq!(info.place(), "/tmp/pg:5999/x");
        let info = parse("postgresql://db.example.com/x").unwrap();
        assert_eq!(info.tls, Tls::Verified { root_cert: None });
    }

    #[test]
    fn sslmode_and_sslrootcert_are_read_by_tether() {
        let info =
            parse("postgresql://u:p@db.example.com/x?sslmode=verify-full&sslrootcert=%2Fca.pem&connect_timeout=3")
                .unwrap();
        assert_eq!(
            info.tls,
            Tls::Verified {
                root_cert: Some("/ca.pem".into())
            }
        );
        let info =
            parse("host=db.example.com sslmode = require sslrootcert='/a b.pem' password='it''s'")
                .map(|i| i.tls);
        // A doubled quote is not an escape in libpq: the string is broken.
        assert!(info.is_err());
        let info =
            parse(r"host=db.example.com sslmode=require sslrootcert='/a b.pem' password='it\'s'")
                .unwrap();
        assert_eq!(
            info.tls,
            Tls::Verified {
                root_cert: Some("/a b.pem".into())
            }
        );
        assert_eq!(info.config.get_password(), Some(&b"it's"[..]));
        let info = parse("postgresql://localhost/x?sslmode=require").unwrap();
        assert!(matches!(info.tls, Tls::Verified { .. }));
    }

    #[test]
    fn downgradable_and_clear_remote_modes_are_refused() {
        for mode in ["prefer", "allow"] {
            assert_eq!(
                parse(&format!("postgresql://127.0.0.1/x?sslmode={mode}")).unwrap_err(),
                UrlProblem::Downgradable { mode: mode.into() }
            );
        }
        assert_eq!(
            parse("host=db.example.com sslmode=disable").unwrap_err(),
            UrlProblem::ClearOffLoopback {
                host: "db.example.com".into()
            }
        );
        assert_eq!(
            parse("postgresql://[::1]/x?sslmode=disable").unwrap().tls,
            Tls::Off
        );
        assert_eq!(
            parse("host=x sslmode=bogus").unwrap_err(),
            UrlProblem::UnknownSslMode
        );
    }

    #[test]
    fn errors_never_quote_the_string() {
        let err = parse("host=x password='hunter2").unwrap_err();
        assert_eq!(err, UrlProblem::Unreadable);
        assert!(!err.to_string().contains("hunter2"));
        let err = parse("postgresql://u:hunter2@h/x?bogus_option=1").unwrap_err();
        assert!(!err.to_string().contains("hunter2"));
        let info = parse("postgresql://u:hunter2@127.0.0.1/x").unwrap();
        assert!(!format!("{info:?}").contains("hunter2"));
        assert!(!info.place().contains("hunter2") && !info.place().contains('u'));
    }
}
