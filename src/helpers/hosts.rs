//! Which connection answers a credential helper for a host.
//!
//! A connection claims hosts for a tool explicitly, with host patterns in
//! its `git_hosts` or `docker_hosts` (the syntax of `allowed_hosts`), or
//! implicitly, with the host of its service's `base_url` (filled with the
//! connection's and the service's vars). An explicit claim wins over an
//! implicit one; two claims of the same strength for one host are an
//! error, since the helper could only guess. A host nobody claims has no
//! connection: the helper stays silent and the tool asks elsewhere.

use std::fmt;

use url::Url;

use crate::config::hosts::HostPattern;
use crate::config::template::UrlTemplate;
use crate::config::{Config, Connection};
use crate::{Error, Result};

/// The tool whose helper asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Git,
    Docker,
}

impl Tool {
    /// The connection key listing the tool's hosts.
    pub fn key(self) -> &'static str {
        match self {
            Tool::Git => "git_hosts",
            Tool::Docker => "docker_hosts",
        }
    }

    /// The patterns `connection` lists for this tool.
    pub fn hosts(self, connection: &Connection) -> &[String] {
        match self {
            Tool::Git => &connection.git_hosts,
            Tool::Docker => &connection.docker_hosts,
        }
    }
}

impl fmt::Display for Tool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Tool::Git => "git",
            Tool::Docker => "docker",
        })
    }
}

/// The connection that answers `tool` for `url`'s host and port, if any.
pub fn pick<'a>(config: &'a Config, tool: Tool, url: &Url) -> Result<Option<&'a str>> {
    let explicit: Vec<&str> = config
        .connections
        .iter()
        .filter(|(_, c)| claims(tool, c, url))
        .map(|(name, _)| name.as_str())
        .collect();
    let claimants = if explicit.is_empty() {
        config
            .connections
            .iter()
            .filter(|(_, c)| same_origin_host(&base_url(config, c), url))
            .map(|(name, _)| name.as_str())
            .collect()
    } else {
        explicit
    };
    match claimants.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        many => Err(Error::HostClaimedTwice {
            host: HostPattern::exact_for(url).unwrap_or_default(),
            tool,
            connections: many.iter().map(|s| s.to_string()).collect(),
        }),
    }
}

/// Whether `connection` lists a pattern for `tool` that allows `url`.
fn claims(tool: Tool, connection: &Connection, url: &Url) -> bool {
    let Some(host) = url.host() else {
        return false;
    };
    tool.hosts(connection)
        .iter()
        .filter_map(|p| HostPattern::parse(p).ok())
        .any(|p| p.matches_host(&host) && p.matches_port(url))
}

/// The `base_url` of `connection`'s service, filled with the vars the
/// config holds; `None` when it has none or cannot be filled here.
pub fn base_url(config: &Config, connection: &Connection) -> Option<Url> {
    let service = config.services.get(&connection.service)?;
    let base = service.base_url.as_deref()?;
    let filled = UrlTemplate::url(base)
        .fill(&[&connection.vars, &service.vars])
        .ok()?;
    Url::parse(&filled).ok()
}

/// Whether `base` has `url`'s host and the same port once defaults are
/// taken into account (git asks for `https://host`; `base_url` may say
/// `https://host/api/v4`).
fn same_origin_host(base: &Option<Url>, url: &Url) -> bool {
    base.as_ref().is_some_and(|base| {
        base.host() == url.host() && base.port_or_known_default() == url.port_or_known_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Config {
        toml::from_str(text).unwrap()
    }

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    const CONFIG: &str = r#"
[services.gh]
auth = "bearer"
base_url = "https://api.github.com"
[services.lab]
auth = "bearer"
base_url = "https://{host}/api/v4"
[connections.work]
service = "gh"
git_hosts = ["github.com", "*.ghe.example"]
[connections.home]
service = "gh"
[connections.lab]
service = "lab"
vars = { host = "gitlab.example:8443" }
"#;

    #[test]
    fn explicit_hosts_win() {
        let config = config(CONFIG);
        let pick = |u: &str| pick(&config, Tool::Git, &url(u)).map_err(|e| e.to_string());
        assert_eq!(pick("https://github.com/"), Ok(Some("work")));
        assert_eq!(pick("https://code.ghe.example/"), Ok(Some("work")));
        assert_eq!(pick("https://github.com:444/"), Ok(None));
        assert_eq!(pick("https://gitlab.example:8443/"), Ok(Some("lab")));
        assert_eq!(pick("https://gitlab.example/"), Ok(None));
        assert_eq!(pick("https://bitbucket.org/"), Ok(None));
        // Docker has its own list.
        assert_eq!(
            super::pick(&config, Tool::Docker, &url("https://github.com/")).unwrap(),
            None
        );
    }

    #[test]
    fn two_implicit_claims_are_an_error() {
        let config = config(CONFIG);
        let err = pick(&config, Tool::Git, &url("https://api.github.com/")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "connections `home`, `work` both give git credentials for api.github.com"
        );
    }
}
