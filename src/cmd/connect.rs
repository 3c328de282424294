//! `tether connect NAME`: create the connection when absent, then
//! authorize it and store its tokens.
//!
//! For `auth = "oauth2"` this is the authorization code flow with PKCE
//! through the browser and the loopback listener (RFC 8252), or a pasted
//! redirect URL with `--manual`. The old tokens are replaced only after the
//! new ones arrive; the config entry is written only after success, so a
//! failed connect leaves nothing half made.

use std::io::{BufRead, Read};
use std::time::{Duration, Instant};

use super::Ctx;
use crate::cli::ConnectArgs;
use crate::config::edit::{Change, ConfigDoc, Section, value};
use crate::config::validate::check_name;
use crate::config::{AuthKind, Service};
use crate::http::client::Net;
use crate::oauth::callback::{self, Response};
use crate::oauth::token::{self, Tokens};
use crate::oauth::{authorize, browser, device, listener};
use crate::secret::Secret;
use crate::store::Record;
use crate::{Error, Result, ui};

/// The path of the default loopback redirect URI.
const CALLBACK_PATH: &str = "/callback";

/// How long a token request may take before tether gives up.
const TOKEN_TIMEOUT: Duration = Duration::from_secs(30);

pub fn run(args: &ConnectArgs, ctx: &Ctx) -> Result<()> {
    check_name(&args.name).map_err(|m| Error::usage(m, None))?;
    let config = ctx.config()?;
    let existing = config.connections.get(&args.name);
    let service_name = match (existing, &args.service) {
        (Some(c), Some(s)) if c.service != *s => {
            return Err(Error::usage(
                format!(
                    "connection `{}` uses service `{}`, not `{s}`",
                    args.name, c.service
                ),
                Some(format!(
                    "pick another name, or remove it first with `tether connection remove {}`",
                    args.name
                )),
            ));
        }
        (Some(c), _) => c.service.clone(),
        (None, Some(s)) => s.clone(),
        (None, None) if config.services.contains_key(&args.name) => args.name.clone(),
        (None, None) => {
            return Err(Error::usage(
                format!(
                    "connection `{}` is new: which service does it connect?",
                    args.name
                ),
                Some(format!(
                    "run `tether connect {} --service SERVICE`",
                    args.name
                )),
            ));
        }
    };
    let service = ctx.service(&service_name)?;
    let scopes: Vec<String> = if args.scope.is_empty() {
        existing
            .and_then(|c| c.scopes.clone())
            .unwrap_or_else(|| service.scopes.clone())
    } else {
        args.scope.clone()
    };

    let now = ui::now();
    let device = args.device
        || service.auth == AuthKind::Device
        || (service.authorize_url.is_none() && service.device_authorization_url.is_some());
    let record = match service.auth {
        AuthKind::Oauth2 | AuthKind::Device if device => {
            let tokens = authorize_on_a_device(ctx, args, &service_name, service, &scopes)?;
            tokens.into_record(&service_name, service.auth, ui::now(), &scopes, None)
        }
        AuthKind::Oauth2 => {
            let tokens = authorize_in_browser(ctx, args, &service_name, service, &scopes)?;
            tokens.into_record(&service_name, service.auth, ui::now(), &scopes, None)
        }
        AuthKind::ClientCredentials => {
            let endpoint = token::Endpoint::for_code(ctx.store()?, &service_name, service)?;
            let net = Net::new(TOKEN_TIMEOUT);
            let tokens =
                net.block_on(token::client_credentials(net.client()?, &endpoint, &scopes))?;
            tokens.into_record(&service_name, service.auth, ui::now(), &scopes, None)
        }
        AuthKind::ApiKey | AuthKind::Basic | AuthKind::Bearer => {
            static_record(args, &service_name, service.auth, now)?
        }
        AuthKind::Device => unreachable!("a device service always takes the device flow"),
    };

    let store = ctx.store()?;
    store.save(&args.name, &record)?;

    // Remember the connection (and the scopes asked for, when given).
    let scopes_changed =
        !args.scope.is_empty() && existing.and_then(|c| c.scopes.as_ref()) != Some(&args.scope);
    if existing.is_none() || scopes_changed {
        let mut changes = vec![("service", Change::Set(value::string(&service_name)))];
        if !args.scope.is_empty() {
            changes.push(("scopes", Change::Set(value::strings(&args.scope))));
        }
        let mut doc = ConfigDoc::open(&ctx.paths.config_file)?;
        doc.apply(Section::Connections, &args.name, &changes);
        doc.save()?;
    }

    let expires = match record.expires_at {
        Some(at) => format!("expires {}", ui::relative(at, now)),
        None if record.secret.is_some() => "never expires".to_string(),
        None => "no expiry given".to_string(),
    };
    let refresh = if record.refresh_token.is_some() {
        "refreshable"
    } else if record.refreshable() {
        "renewed when due"
    } else if record.secret.is_some() {
        "static credential"
    } else {
        "no refresh token"
    };
    ui::note(&format!(
        "Connected `{}` ({service_name}): {expires}, {refresh}; tokens in {}",
        args.name,
        store.describe()?
    ));
    ui::note(&format!("Try it: tether invoke {} GET /", args.name));
    Ok(())
}

/// The record of a static credential: an API key, a password or a token,
/// read from stdin (`--stdin`) or a hidden prompt.
fn static_record(
    args: &ConnectArgs,
    service_name: &str,
    auth: AuthKind,
    now: u64,
) -> Result<Record> {
    let what = match auth {
        AuthKind::ApiKey => "API key",
        AuthKind::Basic => "password",
        _ => "token",
    };
    let username = if auth == AuthKind::Basic {
        match &args.username {
            Some(user) => Some(user.clone()),
            None if ui::interactive() && !args.stdin => Some(
                dialoguer::Input::<String>::new()
                    .with_prompt("User name")
                    .interact_text()
                    .map_err(|e| Error::Other(format!("cannot read the answer: {e}")))?,
            ),
            None => {
                return Err(Error::MissingValue {
                    what: format!("the user name of `{}`", args.name),
                    flag: "--username USER".into(),
                });
            }
        }
    } else {
        None
    };
    let secret = if args.stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::io("<stdin>", e))?;
        Secret::new(text.trim_end_matches(['\n', '\r']))
    } else if ui::interactive() {
        dialoguer::Password::new()
            .with_prompt(format!("{what} for `{}`", args.name))
            .interact()
            .map(Secret::new)
            .map_err(|e| Error::Other(format!("cannot read the answer: {e}")))?
    } else {
        return Err(Error::NeedsAuthorization {
            name: args.name.clone(),
            reason: format!("needs its {what}, and there is no terminal to ask on"),
        });
    };
    if secret.is_empty() {
        return Err(Error::usage(format!("the {what} is empty"), None));
    }
    Ok(Record {
        service: service_name.to_string(),
        auth,
        obtained_at: now,
        username,
        secret: Some(secret),
        ..Record::default()
    })
}

/// Runs the device authorization grant (RFC 8628) and returns the tokens.
fn authorize_on_a_device(
    ctx: &Ctx,
    args: &ConnectArgs,
    service_name: &str,
    service: &Service,
    scopes: &[String],
) -> Result<Tokens> {
    let Some(device_url) = &service.device_authorization_url else {
        return Err(Error::usage(
            format!("service `{service_name}` has no device_authorization_url"),
            Some(format!(
                "set it with `tether service edit {service_name} --device-authorization-url URL`"
            )),
        ));
    };
    let endpoint = token::Endpoint::for_code(ctx.store()?, service_name, service)?;
    let net = Net::new(TOKEN_TIMEOUT);
    let pending = net.block_on(device::start(net.client()?, &endpoint, device_url, scopes))?;
    ui::note(&format!(
        "To authorize `{}` ({service_name}), open {} and enter the code:\n\n  {}\n",
        args.name, pending.verification_uri, pending.user_code
    ));
    let page = pending
        .verification_uri_complete
        .as_deref()
        .unwrap_or(&pending.verification_uri);
    if !args.no_browser
        && let Err(why) = browser::open(page)
    {
        ui::warn(&format!("{why}; open the page above on any device"));
    }
    let _spinner = ui::Spinner::start("Waiting for approval…");
    let timeout = Duration::from_secs(args.timeout);
    net.block_on(device::finish(
        net.client()?,
        &endpoint,
        device_url,
        &pending,
        timeout,
    ))
}

/// Runs the authorization code flow and returns the tokens.
fn authorize_in_browser(
    ctx: &Ctx,
    args: &ConnectArgs,
    service_name: &str,
    service: &Service,
    scopes: &[String],
) -> Result<Tokens> {
    // Resolve the secret first: a missing secret should fail before the
    // user has gone through the consent screen.
    let endpoint = token::Endpoint::for_code(ctx.store()?, service_name, service)?;
    let target = redirect_target(args, service)?;
    let https_redirect = target.https.clone();
    if let Some(uri) = &https_redirect {
        if args.remote {
            return Err(Error::usage(
                format!("the redirect URI {uri} is https, which no tether can catch"),
                Some(
                    "connect without `--remote`, and paste the address the browser ends on".into(),
                ),
            ));
        }
        ui::note(&format!(
            "The provider sends the browser to {uri}, which tether cannot receive: \
             after consenting, copy the address the browser shows and paste it here."
        ));
    }
    let (port, path) = (target.port, target.path.clone());

    if args.remote {
        return authorize_remotely(args, service_name, service, scopes, &endpoint, &target);
    }
    let listener = if args.manual || https_redirect.is_some() {
        None
    } else {
        Some(listener::bind(port, &path)?)
    };
    let port = match &listener {
        Some(l) => l.port(),
        None if port != 0 => port,
        // A port nobody listens on: the browser shows an error page whose
        // address bar holds the URL to paste.
        None => listener::bind(0, &path)?.port(),
    };
    let redirect_uri = target.uri(port);
    let auth = authorize::start(service_name, service, &redirect_uri, scopes)?;

    ui::note(&format!(
        "Open this URL to authorize `{}` ({service_name}):\n\n  {}\n",
        args.name, auth.url
    ));
    let mut manual = args.manual || https_redirect.is_some();
    if !args.no_browser
        && let Err(why) = browser::open(auth.url.as_str())
    {
        ui::warn(&why);
        if !manual {
            if !ui::interactive() {
                return Err(Error::NeedsAuthorization {
                    name: args.name.clone(),
                    reason: "cannot be authorized here: no browser could be opened and there is no terminal to paste into".into(),
                });
            }
            ui::note("Open the URL on any device, then paste the address the browser ends on.");
            manual = true;
        }
    }

    let deadline = Instant::now() + Duration::from_secs(args.timeout);
    let net = Net::new(TOKEN_TIMEOUT);
    let verifier = auth.verifier;
    let exchange = |code: String| {
        net.block_on(token::exchange_code(
            net.client()?,
            &endpoint,
            code,
            &redirect_uri,
            verifier,
        ))
    };

    match (&listener, manual) {
        (Some(listener), false) => {
            let waited = {
                let _spinner = ui::Spinner::start("Waiting for the browser…");
                listener.wait(&auth.state, deadline, &args.name)
            };
            let (callback, code) = waited.map_err(|e| timeout_hint(e, args.timeout))?;
            let result = exchange(code);
            let what = format!("{} ({service_name})", args.name);
            match &result {
                Ok(_) => callback.finish(Ok(&what)),
                Err(e) => callback.finish(Err(&format!("tether could not finish: {e}"))),
            }
            result
        }
        _ => {
            drop(listener);
            let code = read_pasted_code(&auth.state, &args.name)?;
            exchange(code)
        }
    }
}

/// The headless half of `--remote`: the authorization URL goes to another
/// machine, which catches the redirect on its own loopback port with
/// `tether authorize` and sends back only the redirect URL. The PKCE
/// verifier and the client secret never leave this machine; the state is
/// checked here.
fn authorize_remotely(
    args: &ConnectArgs,
    service_name: &str,
    service: &Service,
    scopes: &[String],
    endpoint: &token::Endpoint,
    target: &RedirectTarget,
) -> Result<Tokens> {
    // The other machine listens on this port; pick one that is free here,
    // which is as good a guess as any for there.
    let port = match target.port {
        0 => listener::bind(0, &target.path)?.port(),
        fixed => fixed,
    };
    let redirect_uri = target.uri(port);
    let auth = authorize::start(service_name, service, &redirect_uri, scopes)?;
    ui::note(&format!(
        "On a machine with a browser, run:\n\n  tether authorize '{}'\n\nthen paste the line it prints here.",
        auth.url
    ));
    let code = read_pasted_code(&auth.state, &args.name)?;
    let net = Net::new(TOKEN_TIMEOUT);
    net.block_on(token::exchange_code(
        net.client()?,
        endpoint,
        code,
        &redirect_uri,
        auth.verifier,
    ))
}

/// `tether authorize URL`: the browser half of `connect --remote`. Opens
/// the URL, catches the redirect on the loopback port it names, and prints
/// the redirect URL (code and state) for the headless machine. Needs no
/// config and learns no secret.
pub fn authorize_for_remote(args: &crate::cli::AuthorizeArgs) -> Result<()> {
    let url = url::Url::parse(args.url.trim()).map_err(|e| {
        Error::usage(
            format!("that is not a URL ({e})"),
            Some("paste the whole `tether authorize '…'` line `connect --remote` printed".into()),
        )
    })?;
    let query: std::collections::HashMap<String, String> = url.query_pairs().into_owned().collect();
    let (Some(redirect), Some(state)) = (query.get("redirect_uri"), query.get("state")) else {
        return Err(Error::usage(
            "that URL has no redirect_uri or state: it is not an authorization URL from `tether connect --remote`",
            None,
        ));
    };
    let redirect = url::Url::parse(redirect)
        .map_err(|e| Error::usage(format!("its redirect_uri is not a URL ({e})"), None))?;
    if redirect.scheme() != "http" || !crate::config::hosts::is_loopback(&redirect) {
        return Err(Error::usage(
            format!(
                "its redirect_uri ({redirect}) is not a loopback address, so tether will not catch it"
            ),
            None,
        ));
    }
    let listener = listener::bind(redirect.port().unwrap_or(80), redirect.path())?;
    ui::note(&format!("Open this URL to authorize:\n\n  {url}\n"));
    if !args.no_browser
        && let Err(why) = browser::open(url.as_str())
    {
        ui::warn(&why);
    }
    let deadline = Instant::now() + Duration::from_secs(args.timeout);
    let (callback, code) = {
        let _spinner = ui::Spinner::start("Waiting for the browser…");
        listener.wait(state, deadline, "the remote connection")?
    };
    let mut result = redirect;
    result
        .query_pairs_mut()
        .clear()
        .append_pair("code", &code)
        .append_pair("state", state);
    callback.finish_handed_off();
    ui::print_out(&format!("{result}\n"))?;
    ui::note("Paste the line above where `tether connect --remote` waits.");
    Ok(())
}

/// Where the provider sends the browser back to.
#[derive(Debug, Clone)]
struct RedirectTarget {
    /// The loopback host as the provider knows it (`127.0.0.1` unless a
    /// pinned redirect_uri says `localhost` or `[::1]`).
    host: String,
    /// The port (0: any free one).
    port: u16,
    path: String,
    /// A pinned https redirect URI: nothing local can catch it, so the
    /// user pastes where the browser ended.
    https: Option<String>,
}

impl RedirectTarget {
    fn uri(&self, port: u16) -> String {
        match &self.https {
            Some(uri) => uri.clone(),
            None => format!("http://{}:{port}{}", self.host, self.path),
        }
    }
}

/// The redirect target of `service`, with `--port` over its fixed port.
fn redirect_target(args: &ConnectArgs, service: &Service) -> Result<RedirectTarget> {
    let mut target = RedirectTarget {
        host: "127.0.0.1".into(),
        port: 0,
        path: CALLBACK_PATH.into(),
        https: None,
    };
    if let Some(uri) = &service.redirect_uri {
        let url = url::Url::parse(uri)
            .map_err(|e| Error::usage(format!("redirect_uri is invalid: {e}"), None))?;
        if url.scheme() == "https" {
            target.https = Some(uri.clone());
        } else {
            target.host = url.host_str().unwrap_or("127.0.0.1").to_string();
            target.port = url.port().unwrap_or(80);
            target.path = url.path().to_string();
        }
    }
    if let Some(port) = args.port.or(service.redirect_port) {
        target.port = port;
    }
    Ok(target)
}

/// Reads the redirect URL (or the bare code) the user pastes.
fn read_pasted_code(state: &str, name: &str) -> Result<String> {
    let interactive = ui::interactive();
    loop {
        let text = if interactive {
            dialoguer::Input::<String>::new()
                .with_prompt("Paste the URL the browser ended on (or the code)")
                .interact_text()
                .map_err(|e| Error::Other(format!("cannot read the answer: {e}")))?
        } else {
            ui::note("Paste the URL the browser ended on (or the code), then press Enter:");
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| Error::io("<stdin>", e))?;
            line
        };
        match callback::read_pasted(&text, state) {
            Response::Code(code) => return Ok(code),
            Response::Error { code, description } => {
                return Err(Error::Provider {
                    code,
                    description,
                    needs_user: true,
                });
            }
            Response::WrongState if interactive => {
                ui::warn(
                    "that URL belongs to another authorization (its state differs); paste the newest one",
                );
            }
            Response::Malformed if interactive => {
                ui::warn("that is neither a redirect URL with a code nor a code");
            }
            Response::WrongState | Response::Malformed => {
                return Err(Error::NeedsAuthorization {
                    name: name.to_string(),
                    reason:
                        "was not authorized: what was pasted is not this authorization's redirect"
                            .into(),
                });
            }
        }
    }
}

fn timeout_hint(err: Error, timeout: u64) -> Error {
    match err {
        Error::NeedsAuthorization { name, reason } if reason.contains("in time") => {
            Error::NeedsAuthorization {
                name,
                reason: format!("was not authorized within {timeout}s"),
            }
        }
        other => other,
    }
}
