//! `tether invoke NAME METHOD URL [ITEM]...`: one HTTP request through a
//! connection.
//!
//! The order matters and is cheap first: parse the method and the items,
//! fill the URL, check the host against the allow-list, and only then
//! touch the token store and the network. A token that is due is refreshed
//! before the call; a 401 on a token that was not just refreshed triggers
//! one refresh and one retry. Exit codes follow DESIGN §5.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Read};
use std::path::Path;

use super::Ctx;
use crate::cli::InvokeArgs;
use crate::config::Connection;
use crate::http::client::Net;
use crate::http::credential::Credential;
use crate::http::items::{self, Body};
use crate::http::send::{self, Request, Response};
use crate::http::target::{self, AllowList};
use crate::http::{print, target::REDACTED};
use crate::oauth::refresh::Reason;
use crate::store::Record;
use crate::{Error, Result, exit, ui};

pub fn run(args: &InvokeArgs, ctx: &Ctx) -> Result<u8> {
    let method = target::parse_method(&args.method)?;
    let connection = ctx.connection(&args.name)?;
    let service = ctx.service(&connection.service)?;
    let parsed = items::parse(&args.items, read_bytes)?;
    let mut body = parsed.body(args.form)?;
    if let Some(source) = &args.body {
        if !matches!(body, Body::None) {
            return Err(Error::usage(
                "`--body` sends a raw body; it cannot be combined with body items",
                Some("drop the `field=value` items or `--body`".into()),
            ));
        }
        body = Body::Raw(read_body(source)?);
    }
    let cli_vars = args
        .vars
        .iter()
        .map(|kv| target::parse_var(kv))
        .collect::<Result<BTreeMap<_, _>>>()?;

    // The record is needed for its vars (e.g. `api_domain`) and its token.
    let store = ctx.store()?;
    let net = ctx.net();
    let stored = store.load(&args.name)?;

    // An absolute URL needs no base_url; the base then only widens the
    // allow-list, when its placeholders can be filled.
    let absolute = args.url.starts_with("http://") || args.url.starts_with("https://");
    let base = match &service.base_url {
        Some(base) if absolute => fill_base(base, &cli_vars, connection, stored.as_ref()).ok(),
        Some(base) => Some(fill_base(base, &cli_vars, connection, stored.as_ref())?),
        None => None,
    };
    let empty = BTreeMap::new();
    let learnt = stored.as_ref().map_or(&empty, |r| &r.vars);
    let path = target::fill(&args.url, &[&cli_vars, &connection.vars, learnt])?;
    let mut url = target::resolve_url(&path, base.as_deref())?;
    parsed.apply_query(&mut url);
    let base = base
        .map(|b| url::Url::parse(&b))
        .transpose()
        .map_err(|e| Error::usage(format!("base_url is invalid: {e}"), None))?;
    AllowList::new(base.as_ref(), &service.allowed_hosts, &args.allow_host)
        .check(&args.name, &url)?;

    let headers = parsed.headers(body.default_headers());
    let request = Request {
        method,
        url,
        headers,
        body: body.bytes().map(<[u8]>::to_vec),
    };

    if args.dry_run || args.curl {
        let text = if args.curl {
            crate::http::curl::command(&args.name, &request, service)
        } else {
            dry_run(&request, &Credential::placeholder(service, REDACTED))
        };
        ui::print_out(&text)?;
        return Ok(exit::OK);
    }

    let crate::oauth::refresh::Fresh { record, refreshed } =
        ctx.fresh_record(&args.name, &Reason::BeforeUse)?;
    let credential = Credential::for_connection(&args.name, service, &record)?;
    let mut response = call(net, &request, &credential, args)?;

    if response.status == 401 && !refreshed && record.refreshable() {
        let rejected = Reason::Rejected(credential.secret().clone());
        let crate::oauth::refresh::Fresh { record, refreshed } =
            ctx.fresh_record(&args.name, &rejected)?;
        if refreshed || record.access_token.as_ref() != Some(credential.secret()) {
            if args.verbose {
                ui::note("tether: HTTP 401: the token was refreshed; sending again\n");
            }
            let credential = Credential::for_connection(&args.name, service, &record)?;
            response = call(net, &request, &credential, args)?;
        }
    }
    output(args, &response)?;
    Ok(exit_code(response.status, args.no_fail))
}

/// The base_url with its placeholders filled (`--var`, then the
/// connection's vars, then those learnt at connect). A value may not move
/// the request elsewhere: a placeholder that starts the URL takes an origin
/// (`https://host[:port]`, as `{api_domain}` does), any other takes only
/// the characters of a host label or a path segment.
fn fill_base(
    base: &str,
    cli_vars: &BTreeMap<String, String>,
    connection: &Connection,
    record: Option<&Record>,
) -> Result<String> {
    let empty = BTreeMap::new();
    let learnt = record.map_or(&empty, |r| &r.vars);
    let mut out = String::new();
    let mut rest = base;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + len];
        let value = [cli_vars, &connection.vars, learnt]
            .iter()
            .find_map(|layer| layer.get(name));
        let Some(value) = value.filter(|_| !name.is_empty()) else {
            return Err(Error::usage(
                format!("base_url needs a value for `{{{name}}}`"),
                Some(format!(
                    "pass `--var {name}=…`, or set it in the connection's vars"
                )),
            ));
        };
        let whole_origin = out.is_empty() && start == 0;
        out.push_str(&rest[..start]);
        out.push_str(&checked_var(name, value, whole_origin)?);
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A var's value, checked for its place in base_url.
fn checked_var(name: &str, value: &str, whole_origin: bool) -> Result<String> {
    let refuse = |what: &str| {
        Error::usage(
            format!("the value of `{name}` is not {what}"),
            Some(format!("`{{{name}}}` in base_url takes {what}")),
        )
    };
    if whole_origin {
        let url =
            url::Url::parse(value).map_err(|_| refuse("an origin like https://api.example.com"))?;
        let bare = matches!(url.path(), "" | "/")
            && url.query().is_none()
            && url.fragment().is_none()
            && url.username().is_empty()
            && url.password().is_none()
            && matches!(url.scheme(), "http" | "https");
        if !bare {
            return Err(refuse("an origin like https://api.example.com"));
        }
        return Ok(url.origin().ascii_serialization());
    }
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~'));
    if plain {
        Ok(value.to_string())
    } else {
        Err(refuse("made of letters, digits, `-`, `.`, `_` and `~`"))
    }
}

fn call(
    net: &Net,
    request: &Request,
    credential: &Credential,
    args: &InvokeArgs,
) -> Result<Response> {
    let secret_headers = credential.secret_headers();
    let secret_params = credential.secret_params();
    let verbose = args.verbose;
    let mut trace = |event: send::Event<'_>| {
        if verbose {
            print::trace(
                &mut std::io::stderr().lock(),
                &event,
                &secret_headers,
                &secret_params,
            );
        }
    };
    net.block_on(send::send(
        net,
        request,
        Some(credential),
        args.retries,
        &mut trace,
    ))
}

fn output(args: &InvokeArgs, response: &Response) -> Result<()> {
    if args.json {
        let text = serde_json::to_string_pretty(&print::envelope(response))
            .map_err(|e| Error::Other(format!("cannot encode JSON: {e}")))?;
        return ui::print_out(&format!("{text}\n"));
    }
    if let Some(path) = &args.output {
        return std::fs::write(path, &response.body).map_err(|e| Error::io(path, e));
    }
    if std::io::stdout().is_terminal() {
        let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        print::stdout(&print::pretty(response, color))
    } else {
        print::stdout(&response.body)
    }
}

/// DESIGN §5: 0 for 1xx–2xx, 3 for an unfollowed 3xx, 4 for 4xx, 5 for 5xx.
pub fn exit_code(status: u16, no_fail: bool) -> u8 {
    if no_fail {
        return exit::OK;
    }
    match status {
        300..=399 => exit::HTTP_3XX,
        400..=499 => exit::HTTP_4XX,
        500..=599 => exit::HTTP_5XX,
        _ => exit::OK,
    }
}

fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io(path, e))
}

/// `--body @FILE` or `--body -` (standard input).
fn read_body(source: &str) -> Result<Vec<u8>> {
    if source == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io("<stdin>", e))?;
        return Ok(bytes);
    }
    let Some(path) = source.strip_prefix('@') else {
        return Err(Error::usage(
            format!("`--body {source}` names no source"),
            Some("use `--body @FILE` or `--body -` for standard input".into()),
        ));
    };
    std::fs::read(path).map_err(|e| Error::io(path, e))
}

/// The request as `--dry-run` prints it, the credential redacted.
fn dry_run(request: &Request, credential: &Credential) -> String {
    let mut headers = request.headers.clone();
    let mut url = request.url.clone();
    credential.apply(&mut headers, &mut url);
    let mut out = Vec::new();
    print::trace(
        &mut out,
        &send::Event::Sent {
            method: request.method,
            url: &url,
            headers: &headers,
            body: None,
        },
        &credential.secret_headers(),
        &credential.secret_params(),
    );
    let mut text = String::from_utf8_lossy(&out).trim_end().to_string();
    text.push('\n');
    if let Some(body) = &request.body {
        text.push('\n');
        text.push_str(&String::from_utf8_lossy(body));
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes() {
        assert_eq!(exit_code(200, false), 0);
        assert_eq!(exit_code(101, false), 0);
        assert_eq!(exit_code(304, false), 3);
        assert_eq!(exit_code(404, false), 4);
        assert_eq!(exit_code(503, false), 5);
        assert_eq!(exit_code(503, true), 0);
    }

    #[test]
    fn base_url_vars_cannot_move_the_request() {
        assert_eq!(checked_var("dc", "us21", false).unwrap(), "us21");
        for bad in [
            "evil.example.net#",
            "evil.example.net/",
            "a@b",
            "x:1",
            "",
            "a b",
        ] {
            assert!(checked_var("dc", bad, false).is_err(), "{bad:?}");
        }
        assert_eq!(
            checked_var("api_domain", "https://www.zohoapis.eu", true).unwrap(),
            "https://www.zohoapis.eu"
        );
        for bad in [
            "https://evil.example/path",
            "https://u@h.example",
            "ftp://h.example",
            "h.example",
        ] {
            assert!(checked_var("api_domain", bad, true).is_err(), "{bad:?}");
        }
    }
}
