//! `tether token NAME`: a valid access token on stdout and nothing else,
//! refreshed first when due, for `$(tether token NAME)` in scripts.
//!
//! `--header --url URL` prints the header for one request to that URL,
//! once the URL has passed the connection's allow-list, as `invoke`'s
//! would. An OAuth 1.0a connection has no token to print on its own:
//! every request carries its own signature, so it prints only such a
//! header (signed for `--method` and `--url`), or its token and signature
//! method with `--json` (the token secret only with `--show-secrets`).
//!
//! `--sasl xoauth2|oauthbearer` prints the SASL initial response a mail
//! client sends (`helpers::sasl`), for clients that take a ready one.

use serde_json::json;
use url::Url;

use super::{Ctx, credential};
use crate::cli::{SaslMechanism, TokenArgs};
use crate::config::template::UrlTemplate;
use crate::helpers::sasl;
use crate::http::credential::Credential;
use crate::http::target::{self, AllowList};
use crate::oauth::refresh::Reason;
use crate::oauth1::{Credentials, SignatureLocation};
use crate::store::Record;
use crate::{Error, Result, ui};

pub fn run(args: &TokenArgs, ctx: &Ctx) -> Result<()> {
    if let Some(mechanism) = args.sasl {
        return sasl(args, mechanism, ctx);
    }
    let method = target::parse_method(&args.method)?;
    let record = ctx
        .fresh_record(&args.name, &Reason::BeforeUse, None)?
        .record;
    let url = args
        .url
        .as_deref()
        .map(|url| allowed_url(args, ctx, &record, url))
        .transpose()?;
    let credential = ctx.credential(&args.name, &record)?;
    if let Credential::OAuth1 {
        service,
        credentials,
    } = &credential
    {
        return oauth1(args, service, credentials, method, url);
    }
    if args.json {
        return ui::print_json(&json!({
            "access_token": credential.secret().expose(),
            "token_type": record.token_type.as_deref().unwrap_or("Bearer"),
            "expires_at": record.expires_at,
            "expires": record.expires_at.map(ui::rfc3339),
            "scopes": record.scopes,
        }));
    }
    if args.header {
        let (name, value) = credential.header().unwrap_or_else(|| {
            (
                "Authorization".into(),
                format!("Bearer {}", credential.secret().expose()),
            )
        });
        return ui::print_out(&format!("{name}: {value}\n"));
    }
    ui::print_out(&format!("{}\n", credential.secret().expose()))
}

/// `--sasl`: the SASL initial response of `mechanism` for the user of
/// `--user`, else the connection's `email` var (its own, then the ones it
/// learnt, then its service's).
fn sasl(args: &TokenArgs, mechanism: SaslMechanism, ctx: &Ctx) -> Result<()> {
    let handed = credential::hand(ctx, &args.name, &Reason::BeforeUse)?;
    let user = match &args.user {
        Some(user) => user.clone(),
        None => {
            let connection = ctx.connection(&args.name)?;
            let service = ctx.service(&connection.service)?;
            [&connection.vars, &handed.record.vars, &service.vars]
                .into_iter()
                .find_map(|vars| vars.get("email").cloned())
                .ok_or_else(|| Error::NoSaslUser {
                    connection: args.name.clone(),
                })?
        }
    };
    let mechanism = match mechanism {
        SaslMechanism::Xoauth2 => sasl::Mechanism::Xoauth2,
        SaslMechanism::Oauthbearer => sasl::Mechanism::Oauthbearer,
    };
    let response = sasl::initial_response(mechanism, &user, handed.token.expose())
        .map_err(|_| Error::BadSaslUser)?;
    ui::print_out(&format!("{response}\n"))
}

/// `--url` as a URL the connection's credential may go to: absolute, or
/// relative to the service's `base_url`, and allowed as `invoke` allows.
fn allowed_url(args: &TokenArgs, ctx: &Ctx, record: &Record, url: &str) -> Result<Url> {
    let connection = ctx.connection(&args.name)?;
    let service = ctx.service(&connection.service)?;
    let layers = [&connection.vars, &record.vars, &service.vars];
    let base = service
        .base_url
        .as_deref()
        .and_then(|base| UrlTemplate::url(base).fill(&layers).ok());
    let url = target::resolve_url(url, base.as_deref())?;
    let base = base.and_then(|b| Url::parse(&b).ok());
    AllowList::new(&service.allowed_hosts, &[])?
        .with_base(base.as_ref())
        .check(&args.name, &url)?;
    Ok(url)
}

/// What `token` prints for an OAuth 1.0a connection.
fn oauth1(
    args: &TokenArgs,
    service: &str,
    credentials: &Credentials,
    method: target::Method,
    url: Option<Url>,
) -> Result<()> {
    if args.json {
        let mut out = json!({
            "token": credentials.token.key,
            "signature_method": credentials.consumer.method().as_str(),
            "signature_location": credentials.consumer.location().as_str(),
        });
        if args.show_secrets {
            out["token_secret"] = json!(credentials.token.secret.expose());
        }
        return ui::print_json(&out);
    }
    let Some(mut url) = url.filter(|_| args.header) else {
        return Err(Error::usage(
            format!(
                "connection `{}` uses OAuth 1.0a: every request carries its own signature, so there is no token to print on its own",
                args.name
            ),
            Some(format!(
                "print the header for one request with `tether token {} --header --method GET --url URL`, or call the API with `tether invoke`",
                args.name
            )),
        ));
    };
    // The header is what is asked for, wherever the service sends it.
    let signer = Credential::OAuth1 {
        service: service.to_string(),
        credentials: Box::new(Credentials::new(
            credentials
                .consumer
                .clone()
                .with_location(SignatureLocation::Header),
            credentials.token.clone(),
        )),
    };
    let mut headers = Vec::new();
    signer.apply_to(method, &mut headers, &mut url, None)?;
    for (name, value) in headers {
        ui::print_out(&format!("{name}: {value}\n"))?;
    }
    Ok(())
}
