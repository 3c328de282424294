//! `tether credential …`: the credential helpers of other programs (git,
//! kubectl, docker, netrc readers), each answering in its program's
//! protocol (`helpers`) with a token refreshed first when due.
//!
//! Every helper is non-interactive: with no valid credential it fails at
//! once with the hint on stderr, and it never writes a token to stderr.
//! An OAuth 1.0a connection has no token to hand over and is refused
//! (exit 2).

pub mod docker;
pub mod git;
pub mod kubectl;
pub mod netrc;

use std::io::Read;

use super::Ctx;
use crate::cli::CredentialCommand;
use crate::config::AuthKind;
use crate::duration::Span;
use crate::error::{HelperRequestProblem, HelperTool};
use crate::oauth::refresh::Reason;
use crate::secret::Secret;
use crate::store::Record;
use crate::{Error, Result, exit};

/// The most a helper reads from stdin: a request is a few short lines.
const MAX_REQUEST: u64 = 64 * 1024;

/// The user name a helper gives when the service names none: GitHub's
/// convention for tokens, which hosts that ignore the name accept too.
pub const DEFAULT_GIT_USERNAME: &str = "x-access-token";

/// The user name docker gets when the service names none: the one Google
/// Artifact Registry and Container Registry want with an access token.
pub const DEFAULT_DOCKER_USERNAME: &str = "oauth2accesstoken";

pub fn run(command: &CredentialCommand, ctx: &Ctx) -> Result<u8> {
    match command {
        CredentialCommand::Git(args) => git::run(args, ctx),
        CredentialCommand::Kubectl(args) => kubectl::run(args, ctx).map(|()| exit::OK),
        CredentialCommand::Docker(args) => docker::run(args, ctx),
        CredentialCommand::Netrc(args) => netrc::run(args, ctx).map(|()| exit::OK),
    }
}

/// A connection's credential, ready to hand to another program.
#[derive(Debug)]
pub struct Handed {
    /// The access token, or the static secret.
    pub token: Secret,
    /// When the token expires, in unix seconds, when known.
    pub expires_at: Option<u64>,
    /// The record it came from, after any refresh.
    pub record: Record,
}

/// The credential of connection `name`, refreshed first as `reason` asks;
/// refused for OAuth 1.0a, which has no token to hand over.
pub fn hand(ctx: &Ctx, name: &str, reason: &Reason) -> Result<Handed> {
    let connection = ctx.connection(name)?;
    if ctx.service(&connection.service)?.auth == AuthKind::Oauth1 {
        return Err(Error::NoBearerToken {
            connection: name.to_string(),
        });
    }
    let record = ctx.fresh_record(name, reason, None)?.record;
    let token = ctx.credential(name, &record)?.secret().clone();
    Ok(Handed {
        token,
        expires_at: record.expires_at.filter(|_| record.auth.is_oauth()),
        record,
    })
}

/// Why a token is fetched: before use, or `--min-valid`.
pub fn reason(min_valid: Option<Span>) -> Reason {
    min_valid.map_or(Reason::BeforeUse, |span| Reason::ValidFor(span.as_secs()))
}

/// The user name `tool` gets with connection `name`'s token: the record's
/// own (HTTP Basic), else the service's `git_username`/`docker_username`,
/// else the default.
pub fn username(
    ctx: &Ctx,
    name: &str,
    tool: HelperTool,
    record: Option<&Record>,
) -> Result<String> {
    if let Some(user) = record.and_then(|r| r.username.clone()) {
        return Ok(user);
    }
    let service = ctx.service(&ctx.connection(name)?.service)?;
    Ok(match tool {
        HelperTool::Git => service
            .git_username
            .as_deref()
            .unwrap_or(DEFAULT_GIT_USERNAME),
        HelperTool::Docker => service
            .docker_username
            .as_deref()
            .unwrap_or(DEFAULT_DOCKER_USERNAME),
    }
    .to_string())
}

/// A helper's request on stdin: all of it, as text, at most
/// [`MAX_REQUEST`] bytes.
fn read_request(tool: HelperTool) -> Result<String> {
    let unreadable = || Error::HelperRequest {
        tool,
        problem: HelperRequestProblem::Unreadable,
    };
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(MAX_REQUEST + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("<stdin>", e))?;
    if bytes.len() as u64 > MAX_REQUEST {
        return Err(unreadable());
    }
    String::from_utf8(bytes).map_err(|_| unreadable())
}
