//! `tether credential netrc NAME…`: netrc lines for the hosts each
//! connection's credential may go to, on stdout only, for programs that
//! read one (`curl --netrc-file <(tether credential netrc gh)`, Python's
//! `requests` through `NETRC`).
//!
//! A connection's hosts are its service's `base_url` host, the names (not
//! the wildcards) of its `allowed_hosts`, and its `git_hosts`; netrc has
//! no ports, so a port is dropped. The login is the one git gets.

use super::{Ctx, hand, username};
use crate::cli::NetrcArgs;
use crate::config::hosts::HostPattern;
use crate::error::HelperTool;
use crate::helpers::{hosts, netrc};
use crate::oauth::refresh::Reason;
use crate::{Error, Result, ui};

pub fn run(args: &NetrcArgs, ctx: &Ctx) -> Result<()> {
    let mut out = String::new();
    for name in &args.names {
        let machines = machines(ctx, name)?;
        let handed = hand(ctx, name, &Reason::BeforeUse)?;
        let login = username(ctx, name, HelperTool::Git, Some(&handed.record))?;
        for machine in machines {
            let line =
                netrc::line(&machine, &login, handed.token.expose()).map_err(Error::Unwritable)?;
            out.push_str(&line);
        }
    }
    ui::print_out(&out)
}

/// The host names connection `name`'s credential may go to.
fn machines(ctx: &Ctx, name: &str) -> Result<Vec<String>> {
    let config = ctx.config()?;
    let connection = ctx.connection(name)?;
    let service = ctx.service(&connection.service)?;
    let mut names: Vec<String> = hosts::base_url(config, connection)
        .and_then(|url| url.host_str().map(String::from))
        .into_iter()
        .collect();
    let patterns = service.allowed_hosts.iter().chain(&connection.git_hosts);
    for pattern in patterns.filter(|p| !p.contains('*')) {
        if HostPattern::parse(pattern).is_err() {
            continue;
        }
        let host = without_port(pattern.trim()).to_string();
        if !names.contains(&host) {
            names.push(host);
        }
    }
    if names.is_empty() {
        return Err(Error::usage(
            format!("connection `{name}` names no host for a netrc line"),
            Some(format!(
                "set the service's `base_url`, or the connection's `git_hosts`, for `{name}`"
            )),
        ));
    }
    Ok(names)
}

/// A host pattern's host: `[::1]:8080` is `::1`, `api.example.com:8443`
/// is `api.example.com`, a bare IPv6 address is itself.
fn without_port(pattern: &str) -> &str {
    if let Some(rest) = pattern.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match pattern.split_once(':') {
        Some((host, port)) if !port.contains(':') => host,
        _ => pattern,
    }
}

#[cfg(test)]
mod tests {
    use super::without_port;

    #[test]
    fn ports_are_dropped() {
        assert_eq!(without_port("api.example.com"), "api.example.com");
        assert_eq!(without_port("api.example.com:8443"), "api.example.com");
        assert_eq!(without_port("[::1]:8080"), "::1");
        assert_eq!(without_port("::1"), "::1");
    }
}
