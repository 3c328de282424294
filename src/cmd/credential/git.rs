//! `tether credential git [NAME] ACTION`: git's credential helper
//! (protocol in `helpers::git`).
//!
//! * `get`: the connection named, else the one that claims the request's
//!   host (`helpers::hosts`); a host nobody claims gets no answer and exit
//!   0, so git asks its next helper. Plain http is refused for a host that
//!   is not loopback. Once a connection answers for the host, any failure
//!   answers `quit=1` too, so git neither asks another helper nor prompts:
//!   the error and its hint are on stderr, where git shows them.
//! * `erase` with the connection's current token (git's "this was
//!   refused") refreshes it now, through the refresh path of an API's 401
//!   (`Reason::Rejected`): under the connection's lock, and only if the
//!   token is still the stored one. The next `get` hands the new token;
//!   a refused refresh marks the connection, and the next `get` quits
//!   with the hint.
//! * `store` and actions of later gits do nothing.

use super::{Ctx, hand, read_request, username};
use crate::cli::GitHelperArgs;
use crate::config::AuthKind;
use crate::config::hosts::is_loopback;
use crate::error::{HelperRequestProblem, HelperTool};
use crate::helpers::git::{Action, Answer, QUIT, Request};
use crate::helpers::hosts;
use crate::oauth::refresh::Reason;
use crate::secret::Secret;
use crate::{Error, Result, exit, ui};

pub fn run(args: &GitHelperArgs, ctx: &Ctx) -> Result<u8> {
    let (name, action) = match args.words.as_slice() {
        [action] => (None, action),
        [name, action] => (Some(name.as_str()), action),
        _ => unreachable!("clap takes one or two words"),
    };
    let action = Action::parse(action);
    let text = read_request(HelperTool::Git)?;
    if !matches!(action, Action::Get | Action::Erase) {
        return Ok(exit::OK);
    }
    let request = Request::parse(&text).map_err(|problem| Error::HelperRequest {
        tool: HelperTool::Git,
        problem: HelperRequestProblem::Git(problem),
    })?;
    let Some(origin) = request
        .origin()
        .filter(|o| matches!(o.scheme(), "http" | "https"))
    else {
        return Ok(exit::OK);
    };
    let name = match name {
        Some(name) => name,
        None => match ctx
            .config()
            .and_then(|config| hosts::pick(config, HelperTool::Git, &origin))
        {
            Ok(Some(name)) => name,
            Ok(None) => return Ok(exit::OK),
            Err(err) => return quit(&action, err),
        },
    };
    let outcome = match action {
        Action::Get => get(ctx, name, &request, &origin),
        _ => erase(ctx, name, &request),
    };
    match outcome {
        Ok(()) => Ok(exit::OK),
        Err(err) => quit(&action, err),
    }
}

/// Fails `action`, after telling git (for `get`) to ask nobody else.
fn quit(action: &Action, err: Error) -> Result<u8> {
    if *action == Action::Get {
        ui::print_out(QUIT)?;
    }
    Err(err)
}

fn get(ctx: &Ctx, name: &str, request: &Request, origin: &url::Url) -> Result<()> {
    if origin.scheme() == "http" && !is_loopback(origin) {
        return Err(Error::PlainHttpOffLoopback {
            host: origin.host_str().unwrap_or_default().to_string(),
        });
    }
    let handed = hand(ctx, name, &Reason::BeforeUse)?;
    let username = username(ctx, name, HelperTool::Git, Some(&handed.record))?;
    let answer = Answer {
        protocol: request.get("protocol").unwrap_or_default(),
        host: request.get("host").unwrap_or_default(),
        username: &username,
        token: handed.token.expose(),
        expires_at: handed.expires_at,
        authtype: request.takes_authtype(),
    };
    ui::print_out(&answer.to_lines().map_err(Error::Unwritable)?)
}

fn erase(ctx: &Ctx, name: &str, request: &Request) -> Result<()> {
    let Some(refused) = request.secret() else {
        return Ok(());
    };
    let connection = ctx.connection(name)?;
    if ctx.service(&connection.service)?.auth == AuthKind::Oauth1 {
        return Ok(());
    }
    ctx.fresh_record(name, &Reason::Rejected(Secret::new(refused)), None)?;
    Ok(())
}
