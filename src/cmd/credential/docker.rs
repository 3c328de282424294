//! `tether credential docker ACTION`, also run as `docker-credential-tether
//! ACTION`: docker's credential helper (protocol in `helpers::docker`).
//!
//! The registry on stdin picks the connection as for git, from the
//! connections' `docker_hosts` (or their service's `base_url`). Errors are
//! written to stdout, where docker reads them, and as usual to stderr.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::Path;

use super::{Ctx, hand, read_request, username};
use crate::cli::DockerHelperArgs;
use crate::error::{HelperRequestProblem, HelperTool};
use crate::helpers::docker::{self, Action, NOT_FOUND};
use crate::helpers::hosts;
use crate::oauth::refresh::Reason;
use crate::{Error, Result, exit, ui};

/// The name docker runs a helper called `tether` by.
pub const LINK_NAME: &str = "docker-credential-tether";

/// The arguments as tether reads them: run through a link named
/// [`LINK_NAME`], `docker-credential-tether get` is
/// `tether credential docker get`.
pub fn as_invoked(args: Vec<OsString>) -> Vec<OsString> {
    let invoked = args
        .first()
        .and_then(|program| Path::new(program).file_stem())
        .is_some_and(|stem| stem == LINK_NAME);
    if !invoked {
        return args;
    }
    ["tether", "credential", "docker"]
        .into_iter()
        .map(OsString::from)
        .chain(args.into_iter().skip(1))
        .collect()
}

pub fn run(args: &DockerHelperArgs, ctx: &Ctx) -> Result<u8> {
    let Some(action) = Action::parse(&args.action) else {
        return Err(Error::usage(
            format!("`{}` is not a docker credential action", args.action),
            Some("docker runs helpers with get, list, store, erase or version".into()),
        ));
    };
    let outcome = match action {
        Action::Get => get(ctx),
        Action::List => list(ctx),
        Action::Version => ui::print_out(&format!("tether {}\n", env!("CARGO_PKG_VERSION"))),
        Action::Store => Err(Error::DockerReadOnly { action: "store" }),
        Action::Erase => Err(Error::DockerReadOnly { action: "erase" }),
    };
    match outcome {
        Ok(()) => Ok(exit::OK),
        Err(err) => {
            let line = match err {
                Error::RegistryNotMapped { .. } => NOT_FOUND.to_string(),
                ref other => other.to_string(),
            };
            ui::print_out(&format!("{line}\n"))?;
            Err(err)
        }
    }
}

fn get(ctx: &Ctx) -> Result<()> {
    let server_url = read_request(HelperTool::Docker)?;
    let registry = docker::registry(&server_url).ok_or(Error::HelperRequest {
        tool: HelperTool::Docker,
        problem: HelperRequestProblem::NoRegistry,
    })?;
    let Some(name) = hosts::pick(ctx.config()?, HelperTool::Docker, &registry)? else {
        return Err(Error::RegistryNotMapped {
            registry: server_url.trim().to_string(),
        });
    };
    let handed = hand(ctx, name, &Reason::BeforeUse)?;
    let username = username(ctx, name, HelperTool::Docker, Some(&handed.record))?;
    ui::print_out(&docker::credentials(
        &server_url,
        &username,
        handed.token.expose(),
    ))
}

/// Every registry a connection names in `docker_hosts` (wildcard
/// patterns name no one registry), with its user name. Reads no secret.
fn list(ctx: &Ctx) -> Result<()> {
    let mut entries = BTreeMap::new();
    for (name, connection) in &ctx.config()?.connections {
        for host in connection.docker_hosts.iter().filter(|h| !h.contains('*')) {
            entries.insert(host.clone(), username(ctx, name, HelperTool::Docker, None)?);
        }
    }
    ui::print_out(&docker::listing(&entries))
}
