//! `tether connect NAME`: create the connection when absent, then
//! authorize it and store its tokens.
//!
//! OAuth services authorize through [`flow`] (the browser and the loopback
//! listener, a pasted redirect, another machine, or the device grant);
//! client credentials ask the token endpoint at once; an API key, a
//! password or a token is read from stdin or a hidden prompt. `--var`
//! sets the connection's own vars, which fill the service's endpoints for
//! it (a tenant, a shop) and are kept in its config entry; the vars the
//! redirect carries go to its record. The old
//! tokens are replaced only after the new ones arrive; the config entry is
//! written only after success, so a failed connect leaves nothing half
//! made. `Terminal` is the flow's prompt on this terminal.

use std::io::{BufRead, Read};
use std::time::{Duration, Instant};

use super::Ctx;
use crate::cli::{AuthorizeArgs, ConnectArgs};
use crate::config::edit::{self, Change, Section, value};
use crate::config::template::{Vars, is_var_name, parse_var};
use crate::config::validate::check_name;
use crate::config::{AuthKind, Config, StoreChoice};
use crate::error::{NeedsUser, StaticSecret};
use crate::oauth::browser::{self, OpenFailed};
use crate::oauth::flow::{self, Prompt};
use crate::oauth::{Grant, token};
use crate::oauth1::TokenCredentials;
use crate::secret::Secret;
use crate::store::Record;
use crate::{Error, Result, ui};

pub fn run(args: &ConnectArgs, ctx: &Ctx) -> Result<()> {
    check_name(&args.name).map_err(Error::InvalidValue)?;
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
    let chosen_store = chosen_store(args, config)?;
    let given = args
        .vars
        .iter()
        .map(|kv| parse_var(kv))
        .collect::<Result<Vars>>()?;
    let mut vars = existing.map(|c| c.vars.clone()).unwrap_or_default();
    vars.extend(given.clone());
    let scopes: Vec<String> = if args.scope.is_empty() {
        existing
            .and_then(|c| c.scopes.clone())
            .unwrap_or_else(|| service.scopes.clone())
    } else {
        args.scope.clone()
    };

    let now = ui::now();
    let record = match service.auth {
        AuthKind::Oauth2 | AuthKind::Device => {
            let grant = Grant {
                name: &args.name,
                service_name: &service_name,
                service,
                vars: &vars,
                scopes: &scopes,
            };
            let options = flow_options(args);
            let (store, net) = (ctx.store()?, ctx.net_for(service));
            let flow::Authorized { tokens, learnt } =
                flow::authorize(grant, &options, store, net, &mut Terminal, &Instant::now)?;
            let mut record =
                tokens.into_record(&service_name, service.auth, ui::now(), &scopes, None);
            record.vars.extend(learnt);
            record
        }
        AuthKind::ClientCredentials => {
            let service = &service.for_connection(&service_name, &vars, &Vars::new())?;
            let endpoint = token::Endpoint::for_code(ctx.store()?, &service_name, service)?;
            let net = ctx.net_for(service);
            let tokens = net.block_on(token::client_credentials(net, &endpoint, &scopes))?;
            tokens.into_record(&service_name, service.auth, ui::now(), &scopes, None)
        }
        AuthKind::ApiKey | AuthKind::Basic | AuthKind::Bearer => {
            static_record(args, &service_name, service.auth, now)?
        }
        AuthKind::Oauth1 => {
            let grant = Grant {
                name: &args.name,
                service_name: &service_name,
                service,
                vars: &vars,
                scopes: &scopes,
            };
            let options = flow_options(args);
            let (store, net) = (ctx.store()?, ctx.net());
            let credentials = crate::oauth::oauth1::authorize(
                grant,
                &options,
                store,
                net,
                &mut Terminal,
                &Instant::now,
            )?;
            oauth1_record(credentials, &service_name, ui::now())
        }
    };

    let store = ctx.store()?;
    match &chosen_store {
        Some(choice) => store.save_to(choice, &args.name, &record)?,
        None => store.save(&args.name, &record)?,
    }

    // Remember the connection (and the scopes, vars and store given).
    if needs_entry(args, existing, &given) {
        edit::update(&ctx.paths, |doc, current| {
            // Decided again on the file as it is now.
            let current = current.connections.get(&args.name);
            if needs_entry(args, current, &given) {
                let mut changes = vec![("service", Change::Set(value::string(&service_name)))];
                if !args.scope.is_empty() {
                    changes.push(("scopes", Change::Set(value::strings(&args.scope))));
                }
                if !given.is_empty() {
                    let mut vars = current.map(|c| c.vars.clone()).unwrap_or_default();
                    vars.extend(given.clone());
                    changes.push(("vars", Change::Set(value::map(&vars))));
                }
                if let Some(choice) = &chosen_store {
                    changes.push(("store", Change::Set(value::string(choice.as_str()))));
                }
                doc.apply(Section::Connections, &args.name, &changes);
            }
            Ok(())
        })?;
    }

    // From when the tokens arrived, not from the start of `connect`: the
    // browser step may have taken minutes.
    let expires = match record.expires_at {
        Some(at) => format!("expires {}", ui::relative(at, record.obtained_at)),
        None if record.secret.is_some() || record.token_secret.is_some() => {
            "never expires".to_string()
        }
        None => "no expiry given".to_string(),
    };
    let refresh = if record.refresh_token.is_some() {
        "refreshable"
    } else if record.refreshable() {
        "renewed when due"
    } else if record.token_secret.is_some() {
        "signed per request"
    } else if record.secret.is_some() {
        "static credential"
    } else {
        "no refresh token"
    };
    ui::note(&format!(
        "Connected `{}` ({service_name}): {expires}, {refresh}; tokens in {}",
        args.name,
        match &chosen_store {
            Some(choice) => store.location_in(choice)?,
            None => store.location_of(&args.name)?,
        }
    ));
    ui::note(&format!("Try it: tether invoke {} GET /", args.name));
    Ok(())
}

/// The store `--store` names: one that exists, and for a connection that
/// already keeps its tokens somewhere, that same one (moving them is
/// `connection move`'s job, which copies before it deletes).
fn chosen_store(args: &ConnectArgs, config: &Config) -> Result<Option<StoreChoice>> {
    let Some(name) = &args.store else {
        return Ok(None);
    };
    let choice = StoreChoice::parse(name);
    if let Some(shared) = choice.shared()
        && !config.stores.contains_key(shared)
    {
        return Err(Error::usage(
            format!(
                "no store named `{shared}`: not `auto`, `keyring`, `file` nor a `[stores.NAME]` table"
            ),
            Some(format!(
                "define it as `[stores.{shared}]`, with `kind`, `url` and `key`"
            )),
        ));
    }
    let current = config.store_of(&args.name);
    if config.connections.contains_key(&args.name) && current != choice {
        return Err(Error::usage(
            format!(
                "connection `{}` keeps its tokens in `{current}`, not `{choice}`",
                args.name
            ),
            Some(format!(
                "move them first: `tether connection move {} --to {choice}`",
                args.name
            )),
        ));
    }
    Ok(Some(choice))
}

/// Whether the config must get (or change) the entry of the connection:
/// it is new, or the scopes asked for are not the ones it names.
fn needs_entry(
    args: &ConnectArgs,
    existing: Option<&crate::config::Connection>,
    given: &Vars,
) -> bool {
    let scopes_changed =
        !args.scope.is_empty() && existing.and_then(|c| c.scopes.as_ref()) != Some(&args.scope);
    let vars_changed = given
        .iter()
        .any(|(k, v)| existing.is_none_or(|c| c.vars.get(k) != Some(v)));
    existing.is_none() || scopes_changed || vars_changed
}

/// The record of a static credential: an API key, a password or a token,
/// read from stdin (`--stdin`) or a hidden prompt.
fn static_record(
    args: &ConnectArgs,
    service_name: &str,
    auth: AuthKind,
    now: u64,
) -> Result<Record> {
    let what = StaticSecret::of(auth);
    let username = if auth == AuthKind::Basic {
        match &args.username {
            Some(user) => Some(user.clone()),
            None if ui::interactive() && !args.stdin => Some(
                dialoguer::Input::<String>::new()
                    .with_prompt("User name")
                    .interact_text()
                    .map_err(prompt_failed)?,
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
            .map_err(prompt_failed)?
    } else {
        return Err(Error::NeedsAuthorization {
            name: args.name.clone(),
            why: NeedsUser::NoTerminal { secret: what },
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

/// The record of OAuth 1.0a token credentials: the token and its secret,
/// and the other fields of the token response (`user_id`,
/// `screen_name`, …) as the connection's vars. Extra `oauth_…` fields (a
/// session handle) may be secrets: they are not kept.
fn oauth1_record(credentials: TokenCredentials, service_name: &str, now: u64) -> Record {
    let vars = credentials
        .extra
        .into_iter()
        .filter(|(name, _)| !name.starts_with("oauth_") && is_var_name(name))
        .collect();
    Record {
        service: service_name.to_string(),
        auth: AuthKind::Oauth1,
        access_token: Some(Secret::new(credentials.token.key)),
        token_secret: Some(credentials.token.secret),
        obtained_at: now,
        vars,
        ..Record::default()
    }
}

/// The error of a question the terminal could not ask or read.
fn prompt_failed(e: impl std::fmt::Display) -> Error {
    Error::PromptFailed {
        detail: e.to_string(),
    }
}

/// What `connect`'s flags ask of the flow.
fn flow_options(args: &ConnectArgs) -> flow::Options {
    flow::Options {
        device: args.device,
        manual: args.manual,
        remote: args.remote,
        no_browser: args.no_browser,
        port: args.port,
        timeout: Duration::from_secs(args.timeout),
    }
}

/// `tether authorize URL`: the browser half of `connect --remote`. Prints
/// the redirect URL (code and state) for the headless machine.
pub fn authorize_for_remote(args: &AuthorizeArgs) -> Result<()> {
    let timeout = Duration::from_secs(args.timeout);
    let line = flow::catch_for_remote(
        &args.url,
        args.no_browser,
        timeout,
        &mut Terminal,
        &Instant::now,
    )?;
    ui::print_out(&format!("{line}\n"))?;
    ui::note("Paste the line above where `tether connect --remote` waits.");
    Ok(())
}

/// The flow's prompt on this terminal: notes and warnings on stderr, a
/// spinner while waiting, a line prompt for pastes, and the browser.
#[derive(Debug)]
struct Terminal;

impl Prompt for Terminal {
    fn note(&mut self, text: &str) {
        ui::note(text);
    }

    fn warn(&mut self, text: &str) {
        ui::warn(text);
    }

    fn interactive(&self) -> bool {
        ui::interactive()
    }

    fn paste(&mut self, question: &str) -> Result<String> {
        if ui::interactive() {
            return dialoguer::Input::<String>::new()
                .with_prompt(question)
                .interact_text()
                .map_err(prompt_failed);
        }
        ui::note(&format!("{question}, then press Enter:"));
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Error::io("<stdin>", e))?;
        Ok(line)
    }

    fn open(&mut self, url: &str) -> std::result::Result<(), OpenFailed> {
        browser::open(url)
    }

    fn waiting<T>(&mut self, what: &str, work: impl FnOnce() -> T) -> T {
        let _spinner = ui::Spinner::start(what);
        work()
    }
}
