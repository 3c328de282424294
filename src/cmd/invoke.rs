//! `tether invoke NAME METHOD URL [ITEM]...`: one HTTP request through a
//! connection.
//!
//! The order matters and is cheap first: parse the method, the items and
//! the host patterns, fill the URL, check the host against the allow-list,
//! and only then touch the token store and the network. The one exception
//! is a URL that needs a var learnt at connect (`{api_domain}`): its record
//! is read first, once, and is the record the request then uses. A token
//! that is due is refreshed before the call; a 401 on a token that was not
//! just refreshed triggers one refresh and one retry. `--no-auth` sends the
//! request without the credential: no allow-list, no check of the items
//! against the credential, no token. Exit codes follow DESIGN §5. What a
//! request sends from files and standard input is bounded ([`input`]);
//! `-o FILE` streams the body to the file ([`Download`]).

use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::Path;

use super::Ctx;
use crate::cli::{self, InvokeArgs};
use crate::config::template::{UrlTemplate, Vars, parse_var};
use crate::config::{NextPage, Pagination, Service, headers};
use crate::http::client::Net;
use crate::http::credential::Credential;
use crate::http::download::Download;
use crate::http::input;
use crate::http::items::{self, Body};
use crate::http::jq::{self, Jq, RunError};
use crate::http::paginate::{ItemWriter, Layout, PageProblem, Strategy};
use crate::http::send::{self, BodySink, Request, Response};
use crate::http::target::{self, AllowList};
use crate::http::{print, target::REDACTED};
use crate::oauth::oauth1;
use crate::oauth::refresh::Reason;
use crate::store::Record;
use crate::{Error, Result, exit, ui};

pub fn run(args: &InvokeArgs, ctx: &Ctx) -> Result<u8> {
    if let Some(source) = &args.batch {
        return super::batch::run(args, ctx, source);
    }
    let (Some(method), Some(url_text)) = (&args.method, &args.url) else {
        return Err(Error::usage(
            "`invoke` needs a METHOD and a URL, or `--batch FILE`",
            Some("for example `tether invoke NAME GET /path`".into()),
        ));
    };
    let method = target::parse_method(method)?;
    let filter = jq_filter(args)?;
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
    let cli_vars = cli_vars(args)?;
    let allow = AllowList::new(&service.allowed_hosts, &args.allow_host)?;
    let url_template = url_template(url_text);
    let base_template = service.base_url.as_deref().map(UrlTemplate::url);

    // Vars learnt at connect (`api_domain`) live in the record: read it
    // here only when a placeholder needs one, and then only once.
    let known = [&cli_vars, &connection.vars, &service.vars];
    let needs_record = std::iter::once(&url_template)
        .chain(&base_template)
        .flat_map(UrlTemplate::placeholders)
        .any(|name| !known.iter().any(|layer| layer.contains_key(name)));
    let stored = match needs_record {
        true => ctx.store()?.load(&args.name)?,
        false => None,
    };
    let empty = Vars::new();
    let learnt = stored.as_ref().map_or(&empty, |r| &r.vars);
    let layers = [&cli_vars, &connection.vars, learnt, &service.vars];
    let (mut url, base) = place(url_text, base_template.as_ref(), &layers)?;
    parsed.apply_query(&mut url);
    // What the credential looks like, without its secret: where it goes,
    // and what `-v` redacts even when `--no-auth` leaves it out.
    let shape = Credential::placeholder(service, REDACTED);
    let allow = allow.with_base(base.as_ref());
    if !args.no_auth {
        allow.check(&args.name, &url)?;
        shape.check_items(&args.name, &parsed, &url, &args.allow_host)?;
    }

    // The service's default headers (an API version) start the list; a
    // header item replaces or removes one.
    let headers = parsed.headers(&headers::defaults(body.default_headers(), service));
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
            dry_run(&request, &shape, args.no_auth)
        };
        ui::print_out(&text)?;
        return Ok(exit::OK);
    }
    if args.paginate {
        let pages = Pages {
            args,
            ctx,
            service,
            shape: &shape,
            allow: &allow,
        };
        return pages.run(request, stored, filter.as_ref());
    }
    let mut download = download(args, &request.url);
    let mut request = request;
    if let Some(download) = &download {
        request.headers.extend(download.resume_headers());
    }
    let response = send_through(
        args,
        ctx,
        service,
        &shape,
        &request,
        stored,
        download.as_mut(),
    )?;
    let code = finish(args, &response, download, filter.as_ref())?;
    if !args.no_auth {
        note_scope(&args.name, ctx, &response)?;
    }
    Ok(code)
}

/// After a 403 whose challenge says `insufficient_scope` (RFC 6750 §3.1):
/// a hint with the `connect` that asks for every scope the connection
/// needs, the ones it asks for and the new, since `--scope` replaces.
pub(super) fn note_scope(name: &str, ctx: &Ctx, response: &Response) -> Result<()> {
    if response.status != 403 {
        return Ok(());
    }
    let Some(wanted) = response
        .header("www-authenticate")
        .and_then(crate::http::challenge::insufficient_scope)
    else {
        return Ok(());
    };
    let connection = ctx.connection(name)?;
    let asked = ctx.config()?.scopes_of(connection);
    let new: Vec<&String> = wanted.iter().filter(|s| !asked.contains(s)).collect();
    let quoted = crate::http::curl::quote(name);
    let flags: Vec<String> = asked
        .iter()
        .chain(new.iter().copied())
        .map(|s| format!("--scope {}", crate::http::curl::quote(s)))
        .collect();
    let command = format!("tether connect {quoted} {}", flags.join(" "));
    let hint = match new.is_empty() {
        true if wanted.is_empty() => format!(
            "the token of `{name}` lacks a scope this request needs, and the API did not say which; add it with `{command} --scope SCOPE`"
        ),
        true => format!(
            "the API wants scope {}, which `{name}` asks for but was not granted; authorize it again with `{command}`",
            quote_list(&wanted)
        ),
        false => format!(
            "the API wants scope {}, which `{name}` does not ask for; authorize it again with `{command}`",
            quote_list(&new.into_iter().cloned().collect::<Vec<_>>())
        ),
    };
    ui::note(&format!("hint: {hint}"));
    Ok(())
}

/// "`a`, `b`".
fn quote_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{s}`")).collect();
    quoted.join(", ")
}

/// The `--var K=V` values.
pub(super) fn cli_vars(args: &InvokeArgs) -> Result<Vars> {
    args.vars.iter().map(|kv| parse_var(kv)).collect()
}

/// The template of an `invoke` URL: absolute, or a path to join to the
/// base URL.
pub(super) fn url_template(text: &str) -> UrlTemplate {
    if is_absolute(text) {
        UrlTemplate::url(text)
    } else {
        UrlTemplate::path(text)
    }
}

fn is_absolute(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://")
}

/// Where a request for `url` goes, its placeholders filled from `layers`:
/// the URL, and the filled base URL, which widens the allow-list. An
/// absolute URL needs no base URL; the base then only widens the
/// allow-list, when its placeholders can be filled.
pub(super) fn place(
    url: &str,
    base: Option<&UrlTemplate>,
    layers: &[&Vars],
) -> Result<(url::Url, Option<url::Url>)> {
    let absolute = is_absolute(url);
    let url = url_template(url);
    let base = match base {
        Some(base) if absolute => base.fill(layers).ok(),
        Some(base) => Some(base.fill(layers)?),
        None => None,
    };
    let resolved = target::resolve_url(&url.fill(layers)?, base.as_deref())?;
    let base = base
        .map(|b| url::Url::parse(&b))
        .transpose()
        .map_err(|e| Error::usage(format!("base_url is invalid: {e}"), None))?;
    Ok((resolved, base))
}

/// Sends `request` through the connection (or without its credential,
/// with `--no-auth`): its token refreshed first when due, and once more
/// after a 401 on a token that was not just refreshed, when the request
/// is sent again. `stored` is the record when it has been read already.
fn send_through(
    args: &InvokeArgs,
    ctx: &Ctx,
    service: &Service,
    shape: &Credential,
    request: &Request,
    stored: Option<Record>,
    mut download: Option<&mut Download>,
) -> Result<Response> {
    let net = ctx.net_for(service);
    if args.no_auth {
        return call(net, request, None, shape, args, download);
    }
    let crate::oauth::refresh::Fresh { record, refreshed } =
        ctx.fresh_record(&args.name, &Reason::BeforeUse, stored)?;
    let credential = ctx.credential(&args.name, &record)?;
    let response = call(
        net,
        request,
        Some(&credential),
        shape,
        args,
        download.as_deref_mut(),
    )?;
    if response.status == 401 && matches!(credential, Credential::OAuth1 { .. }) {
        // No refresh for OAuth 1.0a: only a token the provider says is
        // dead needs the user.
        let note = oauth1::after_refusal(ctx.store()?, &args.name, &record, &response)?;
        if let Some(note) = note {
            ui::note(&format!("tether: {note}"));
        }
        return Ok(response);
    }
    if response.status != 401 || refreshed || !record.refreshable() {
        return Ok(response);
    }
    let rejected = Reason::Rejected(credential.secret().clone());
    let crate::oauth::refresh::Fresh { record, refreshed } =
        ctx.fresh_record(&args.name, &rejected, None)?;
    if !refreshed && record.access_token.as_ref() == Some(credential.secret()) {
        return Ok(response);
    }
    if args.verbose {
        ui::note("tether: HTTP 401: the token was refreshed; sending again\n");
    }
    let credential = ctx.credential(&args.name, &record)?;
    call(net, request, Some(&credential), shape, args, download)
}

/// `--paginate`: the pages of one listing, each sent through the
/// connection like a single request (allow-list, refresh, retries).
struct Pages<'a> {
    args: &'a InvokeArgs,
    ctx: &'a Ctx,
    service: &'a Service,
    shape: &'a Credential,
    /// The hosts the credential may go to: a next page elsewhere is
    /// refused like any URL.
    allow: &'a AllowList,
}

impl Pages<'_> {
    /// Sends `request`, then each next page its strategy names, and
    /// writes the items as they come. The first page may use `stored`;
    /// each later one reads the record again, so a token that came due
    /// (or that another process refreshed) meanwhile is handled as
    /// before any request.
    fn run(&self, mut request: Request, stored: Option<Record>, filter: Option<&Jq>) -> Result<u8> {
        let args = self.args;
        let strategy = Strategy::new(&pagination(args, &self.service.pagination))?;
        let stdout = std::io::stdout();
        let color = anstream::AutoStream::choice(&stdout) != anstream::ColorChoice::Never;
        let layout = match args.ndjson {
            true => Layout::Lines,
            false => Layout::Array {
                pretty: stdout.is_terminal() || color,
                color,
            },
        };
        let mut out = std::io::BufWriter::new(stdout.lock());
        let mut items = ItemWriter::new(&mut out, layout, filter);
        let mut fetched = HashSet::from([request.url.clone()]);
        let mut stored = stored;
        for number in 1..=args.max_pages.unwrap_or(u32::MAX) {
            let response = send_through(
                args,
                self.ctx,
                self.service,
                self.shape,
                &request,
                stored.take(),
                None,
            )?;
            if !(200..300).contains(&response.status) {
                // The first page's error shows as a single request's does;
                // after items, the array is closed and stderr says why.
                if number == 1 {
                    output(args, &response, None)?;
                    note_status(args, &response);
                    if !args.no_auth {
                        note_scope(&args.name, self.ctx, &response)?;
                    }
                    return Ok(exit_code(response.status, args.no_fail));
                }
                if !written(items.finish())? {
                    return Ok(exit::OK);
                }
                // That page's body is not shown, on a terminal either.
                if let (Some(line), false) =
                    (status_line(response.status, &response.reason), args.no_fail)
                {
                    ui::note(&format!("{line} (page {number})"));
                }
                return Ok(exit_code(response.status, args.no_fail));
            }
            let page = strategy.page(number, &request.url, &response)?;
            if !written(items.page(&page.items))? {
                return Ok(exit::OK);
            }
            let Some(next) = page.next else {
                break;
            };
            if !args.no_auth {
                self.allow.check(&args.name, &next)?;
            }
            if !fetched.insert(next.clone()) {
                return Err(Error::Pagination {
                    page: number,
                    problem: PageProblem::Repeats,
                });
            }
            request.url = next;
        }
        written(items.finish())?;
        Ok(exit::OK)
    }
}

/// The service's `pagination` with the `invoke` flags of the same names
/// over it, field by field.
fn pagination(args: &InvokeArgs, service: &Pagination) -> Pagination {
    let mut pagination = service.clone();
    if let Some(next) = args.next {
        pagination.next = Some(match next {
            cli::NextPage::Link => NextPage::Link,
            cli::NextPage::Cursor => NextPage::Cursor,
            cli::NextPage::NextUrl => NextPage::NextUrl,
            cli::NextPage::Page => NextPage::Page,
        });
    }
    let flags = [
        (&args.items_at, &mut pagination.items),
        (&args.cursor, &mut pagination.cursor),
        (&args.param, &mut pagination.param),
        (&args.has_more, &mut pagination.has_more),
    ];
    for (flag, field) in flags {
        if let Some(value) = flag {
            *field = Some(value.clone());
        }
    }
    pagination
}

/// Whether output may go on: `false` when stdout was closed (a pipe to
/// `head`), which is no error; a filter's failure is one.
fn written(result: std::result::Result<(), RunError>) -> Result<bool> {
    match result {
        Ok(()) | Err(RunError::Halted) => Ok(true),
        Err(RunError::Write(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(RunError::Write(e)) => Err(Error::io("<stdout>", e)),
        Err(RunError::Filter(failure)) => Err(Error::Filter(failure)),
    }
}

/// Prints the response (through `filter`), or completes its download,
/// says an HTTP error on stderr where a script's log needs it, and gives
/// the exit code of its status.
fn finish(
    args: &InvokeArgs,
    response: &Response,
    download: Option<Download>,
    filter: Option<&Jq>,
) -> Result<u8> {
    match download {
        Some(download) => {
            let path = download.finish()?;
            if args.download {
                ui::note(&format!("tether: saved to {}", path.display()));
            }
        }
        None => output(args, response, filter)?,
    }
    note_status(args, response);
    Ok(exit_code(response.status, args.no_fail))
}

/// Where the body goes instead of stdout: `-o FILE` (resuming what an
/// interrupted download kept, with `--continue`), or a file named after
/// the answer (`--download`). A progress bar shows on a terminal.
fn download(args: &InvokeArgs, url: &url::Url) -> Option<Download> {
    let download = if args.download {
        Download::named_by_answer(Path::new(""), url)
    } else {
        let path = args.output.as_deref().filter(|_| !args.json)?;
        match args.resume {
            true => Download::resuming(path),
            false => Download::to(path),
        }
    };
    Some(download.with_progress(std::io::stderr().is_terminal()))
}

/// Sends `request` with `credential`, if any; `shape` says which headers
/// and parameters are secret. The body goes to `download` when there is
/// one.
fn call(
    net: &Net,
    request: &Request,
    credential: Option<&Credential>,
    shape: &Credential,
    args: &InvokeArgs,
    download: Option<&mut Download>,
) -> Result<Response> {
    let secret_headers = shape.secret_headers();
    let secret_params = shape.secret_params();
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
    net.block_on(send::send_to(
        net,
        request,
        credential,
        &secret_headers,
        args.retries.unwrap_or(0),
        &mut trace,
        download.map(|d| d as &mut dyn BodySink),
    ))
}

fn output(args: &InvokeArgs, response: &Response, filter: Option<&Jq>) -> Result<()> {
    if args.json {
        if let Some(filter) = filter {
            return filter.print(&print::envelope(response));
        }
        let text = serde_json::to_string_pretty(&print::envelope(response))
            .map_err(|e| Error::Other(format!("cannot encode JSON: {e}")))?;
        return ui::print_out(&format!("{text}\n"));
    }
    // As `gh api --jq`: the body of an HTTP error is shown as it came.
    if let Some(filter) = filter.filter(|_| response.status < 400) {
        return filter.print_bytes(&response.body);
    }
    // anstream decides colour as other tools do: a terminal, unless
    // `NO_COLOR`, `CLICOLOR=0` or `TERM=dumb`; always with `CLICOLOR_FORCE`.
    let color = anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never;
    if std::io::stdout().is_terminal() || color {
        print::stdout(&print::pretty(response, color))
    } else {
        print::stdout(&response.body)
    }
}

/// The `--jq` filter, compiled before anything is read or sent.
fn jq_filter(args: &InvokeArgs) -> Result<Option<Jq>> {
    let Some(expr) = &args.jq else {
        return Ok(None);
    };
    let format = jq::Format {
        raw: args.raw_output,
        color: anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never,
    };
    match Jq::compile(expr, format) {
        Ok(filter) => Ok(Some(filter)),
        Err(invalid) => Err(Error::InvalidFilter(Box::new(invalid))),
    }
}

/// As xh does: when the body is not on a terminal (stdout is redirected,
/// or `-o` wrote it to a file), an HTTP error status that sets the exit
/// code also gets one line on stderr, so a script's log says why it stopped.
fn note_status(args: &InvokeArgs, response: &Response) {
    let seen = std::io::stdout().is_terminal() && args.output.is_none();
    if let Some(line) = status_line(response.status, &response.reason)
        && !seen
        && !args.no_fail
    {
        ui::note(&line);
    }
}

/// `tether: HTTP 404 Not Found` for a 4xx or 5xx status.
fn status_line(status: u16, reason: &str) -> Option<String> {
    (400..=599).contains(&status).then(|| match reason {
        "" => format!("tether: HTTP {status}"),
        _ => format!("tether: HTTP {status} {reason}"),
    })
}

/// DESIGN §5: 0 for 1xx–2xx, 3 for an unfollowed 3xx, 4 for 4xx, 5 for 5xx.
pub use crate::http::exit_code;

/// The file of an `@file`, `field=@file` or `field:=@file` item.
fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    input::read_file(path)
}

/// `--body @FILE` or `--body -` (standard input).
fn read_body(source: &str) -> Result<Vec<u8>> {
    if source == "-" {
        return input::read_stdin();
    }
    let Some(path) = source.strip_prefix('@') else {
        return Err(Error::usage(
            format!("`--body {source}` names no source"),
            Some("use `--body @FILE` or `--body -` for standard input".into()),
        ));
    };
    input::read_file(Path::new(path))
}

/// The request as `--dry-run` prints it, the credential redacted (and
/// left out with `no_auth`).
fn dry_run(request: &Request, credential: &Credential, no_auth: bool) -> String {
    let mut headers = request.headers.clone();
    let mut url = request.url.clone();
    if !no_auth {
        credential.apply(&mut headers, &mut url);
    }
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
    fn only_error_statuses_get_a_line() {
        assert_eq!(
            status_line(404, "Not Found").as_deref(),
            Some("tether: HTTP 404 Not Found")
        );
        assert_eq!(status_line(599, "").as_deref(), Some("tether: HTTP 599"));
        assert_eq!(status_line(399, "").as_deref(), None);
        assert_eq!(status_line(200, "OK").as_deref(), None);
    }
}
