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
use std::time::Duration;

use super::Ctx;
use crate::cli::InvokeArgs;
use crate::config::{Connection, Service};
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
    let parsed = items::parse(&args.items, read_text)?;
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
    let net = Net::new(Duration::from_secs(args.timeout.max(1)));
    let stored = store.load(&args.name)?;

    let url = request_url(args, connection, service, &cli_vars, stored.as_ref())?;
    let mut url = url;
    parsed.apply_query(&mut url);
    let base = match &service.base_url {
        Some(base) => Some(
            url::Url::parse(&fill_base(base, &cli_vars, connection, stored.as_ref())?)
                .map_err(|e| Error::usage(format!("base_url is invalid: {e}"), None))?,
        ),
        None => None,
    };
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
        let credential =
            Credential::placeholder(service, if args.curl { "$TOKEN" } else { REDACTED });
        let text = if args.curl {
            curl_command(&args.name, &request, &credential)
        } else {
            dry_run(&request, &credential)
        };
        ui::print_out(&text)?;
        return Ok(exit::OK);
    }

    let (record, refreshed) = super::fresh_record(ctx, &args.name, &net, &Reason::BeforeUse)?;
    let credential = Credential::for_connection(&args.name, service, &record)?;
    let mut response = call(&net, &request, &credential, args)?;

    if response.status == 401 && !refreshed && record.refreshable() {
        let rejected = Reason::Rejected(credential.secret().clone());
        let (record, refreshed) = super::fresh_record(ctx, &args.name, &net, &rejected)?;
        if refreshed || record.access_token.as_ref() != Some(credential.secret()) {
            if args.verbose {
                ui::note("tether: HTTP 401: the token was refreshed; sending again\n");
            }
            let credential = Credential::for_connection(&args.name, service, &record)?;
            response = call(&net, &request, &credential, args)?;
        }
    }
    output(args, &response)?;
    Ok(exit_code(response.status, args.no_fail))
}

/// The request URL: placeholders filled (`--var`, then the connection's
/// vars, then those learnt at connect), joined to the service's base_url.
fn request_url(
    args: &InvokeArgs,
    connection: &Connection,
    service: &Service,
    cli_vars: &BTreeMap<String, String>,
    record: Option<&Record>,
) -> Result<url::Url> {
    let empty = BTreeMap::new();
    let learnt = record.map_or(&empty, |r| &r.vars);
    let path = target::fill(&args.url, &[cli_vars, &connection.vars, learnt])?;
    let base = match &service.base_url {
        Some(base) => Some(fill_base(base, cli_vars, connection, record)?),
        None => None,
    };
    target::resolve_url(&path, base.as_deref())
}

/// The base_url with its placeholders filled. Its values are part of the
/// host or path the user configured, so they are not percent-encoded.
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
        match value {
            Some(value) if !name.is_empty() => {
                out.push_str(&rest[..start]);
                out.push_str(value);
            }
            _ => {
                return Err(Error::usage(
                    format!("base_url needs a value for `{{{name}}}`"),
                    Some(format!(
                        "pass `--var {name}=…`, or set it in the connection's vars"
                    )),
                ));
            }
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    Ok(out)
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

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io(path, e))
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

/// An equivalent curl command that asks tether for the token instead of
/// embedding it.
pub(crate) fn curl_command(name: &str, request: &Request, credential: &Credential) -> String {
    let token = format!("$(tether token {})", quote(name));
    let mut url = request.url.clone();
    let mut parts = vec!["curl".to_string()];
    if request.method != target::Method::Get {
        parts.push(format!("-X {}", request.method));
    }
    let mut url_text = quote(url.as_str());
    if let Credential::Query { .. } = credential {
        credential.apply(&mut Vec::new(), &mut url);
        url_text = format!("\"{}\"", url.as_str().replace("%24TOKEN", &token));
    }
    parts.push(url_text);
    for (name, value) in &request.headers {
        parts.push(format!("-H {}", quote(&format!("{name}: {value}"))));
    }
    match credential {
        Credential::Bearer(_) => parts.push(format!("-H \"Authorization: Bearer {token}\"")),
        Credential::Header { name, prefix, .. } => {
            parts.push(format!("-H \"{name}: {prefix}{token}\""))
        }
        Credential::Basic { .. } => parts.push(format!("-u \"USER:{token}\"")),
        Credential::Query { .. } => {}
    }
    if let Some(body) = &request.body {
        parts.push(format!(
            "--data-binary {}",
            quote(&String::from_utf8_lossy(body))
        ));
    }
    format!("{}\n", parts.join(" \\\n  "))
}

/// Single-quotes `text` for a POSIX shell when it needs it.
fn quote(text: &str) -> String {
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@%+=,".contains(c))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
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
    fn shell_quoting() {
        assert_eq!(quote("mc-prod"), "mc-prod");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("a b"), "'a b'");
    }
}
