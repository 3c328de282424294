//! `tether invoke NAME --batch FILE|-`: the requests of an NDJSON file
//! through one connection, in one process.
//!
//! Every line is read and checked before anything is sent — its method,
//! its URL filled and checked against the allow-list, its items against
//! the credential — so a mistake on line 900 stops the batch before line 1
//! goes out. The connection's record is read (and refreshed when due)
//! once; [`Batch`] then runs the requests and asks [`Connection`] for a
//! fresh credential when the token comes due or the API refuses it.

use std::io::IsTerminal;
use std::path::Path;

use super::Ctx;
use super::invoke::{cli_vars, place};
use crate::cli::InvokeArgs;
use crate::config::template::{UrlTemplate, Vars};
use crate::config::{Service, headers};
use crate::http::batch::{self, Auth, Batch, Job, Line, Options, Rate};
use crate::http::credential::Credential;
use crate::http::input;
use crate::http::send::Request;
use crate::http::target::{self, AllowList, REDACTED};
use crate::oauth::refresh::{Reason, needs_refresh};
use crate::secret::Secret;
use crate::store::Record;
use crate::{Error, Result, ui};

pub fn run(args: &InvokeArgs, ctx: &Ctx, source: &str) -> Result<u8> {
    let connection = ctx.connection(&args.name)?;
    let service = ctx.service(&connection.service)?;
    let rate = args.rate.as_deref().map(Rate::parse).transpose()?;
    let lines = read_lines(source)?;
    let record = match args.no_auth {
        true => None,
        false => {
            let stored = ctx.store()?.load(&args.name)?;
            Some(
                ctx.fresh_record(&args.name, &Reason::BeforeUse, stored)?
                    .record,
            )
        }
    };

    let shape = Credential::placeholder(service, REDACTED);
    let requests = Requests {
        args,
        service,
        cli_vars: cli_vars(args)?,
        connection_vars: &connection.vars,
        learnt: record.as_ref().map(|r| r.vars.clone()).unwrap_or_default(),
        base: service.base_url.as_deref().map(UrlTemplate::url),
        allow: AllowList::new(&service.allowed_hosts, &args.allow_host)?,
        shape: &shape,
    };
    let mut jobs = Vec::with_capacity(lines.len());
    for (index, (number, line)) in lines.into_iter().enumerate() {
        let request = requests.prepare(&line).map_err(|error| Error::BatchLine {
            line: number,
            error: Box::new(error),
        })?;
        let id = line.id.unwrap_or_else(|| number.into());
        jobs.push(Job::new(index, id, request));
    }

    let options = Options {
        parallel: usize::from(args.parallel),
        ordered: args.ordered,
        rate,
        retries: args.retries.unwrap_or(batch::RETRIES),
        no_fail: args.no_fail,
        secret_headers: shape
            .secret_headers()
            .into_iter()
            .map(str::to_string)
            .collect(),
        progress: std::io::stderr().is_terminal(),
    };
    let mut out = std::io::LineWriter::new(std::io::stdout().lock());
    let batch = Batch::new(ctx.net_for(service), jobs, options, &mut out);
    let summary = match record {
        None => batch.run(&mut NoAuth)?,
        Some(record) => batch.run(&mut Connection {
            ctx,
            name: &args.name,
            record,
        })?,
    };
    if let Some(line) = summary.line() {
        ui::note(&line);
    }
    Ok(summary.exit_code())
}

/// The non-blank lines of the batch, parsed, with their numbers (from 1).
fn read_lines(source: &str) -> Result<Vec<(usize, Line)>> {
    let bytes = match source {
        "-" => input::read_stdin()?,
        path => input::read_file(Path::new(path))?,
    };
    let text = String::from_utf8_lossy(&bytes);
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| Ok((i + 1, Line::parse(i + 1, line)?)))
        .collect()
}

/// What turns a line into a request, as `invoke` would make it.
struct Requests<'a> {
    args: &'a InvokeArgs,
    service: &'a Service,
    cli_vars: Vars,
    connection_vars: &'a Vars,
    learnt: Vars,
    base: Option<UrlTemplate>,
    allow: AllowList,
    shape: &'a Credential,
}

impl Requests<'_> {
    /// The request of `line`: its vars first, then `--var`, the
    /// connection's, the learnt ones and the service's.
    fn prepare(&self, line: &Line) -> Result<Request> {
        let method = target::parse_method(line.method.as_deref().unwrap_or("GET"))?;
        let items = line.items()?;
        let body = line.body()?;
        let layers = [
            &line.vars,
            &self.cli_vars,
            self.connection_vars,
            &self.learnt,
            &self.service.vars,
        ];
        let (mut url, base) = place(&line.url, self.base.as_ref(), &layers)?;
        items.apply_query(&mut url);
        let args = self.args;
        if !args.no_auth {
            let allow = self.allow.clone().with_base(base.as_ref());
            allow.check(&args.name, &url)?;
            self.shape
                .check_items(&args.name, &items, &url, &args.allow_host)?;
        }
        let headers = items.headers(&headers::defaults(body.default_headers(), self.service));
        Ok(Request {
            method,
            url,
            headers,
            body: body.bytes().map(<[u8]>::to_vec),
        })
    }
}

/// The credential of a connection, for the batch: refreshed under the
/// lock when its record comes due.
struct Connection<'a> {
    ctx: &'a Ctx,
    name: &'a str,
    record: Record,
}

impl Auth for Connection<'_> {
    fn credential(&mut self) -> Result<Option<Credential>> {
        let fresh =
            self.ctx
                .fresh_record(self.name, &Reason::BeforeUse, Some(self.record.clone()))?;
        self.record = fresh.record;
        self.ctx.credential(self.name, &self.record).map(Some)
    }

    fn due(&self) -> bool {
        // A record that only the user can help is "due" too: asking for
        // the credential then says why.
        needs_refresh(self.name, &self.record, ui::now(), &Reason::BeforeUse).unwrap_or(true)
    }

    fn rejected(&mut self, secret: &Secret) -> Result<Option<Credential>> {
        if !self.record.refreshable() {
            return Ok(None);
        }
        let fresh = self
            .ctx
            .fresh_record(self.name, &Reason::Rejected(secret.clone()), None)?;
        if !fresh.refreshed && fresh.record.access_token.as_ref() == Some(secret) {
            return Ok(None);
        }
        self.record = fresh.record;
        self.ctx.credential(self.name, &self.record).map(Some)
    }
}

/// `--no-auth`: no credential.
struct NoAuth;

impl Auth for NoAuth {
    fn credential(&mut self) -> Result<Option<Credential>> {
        Ok(None)
    }

    fn due(&self) -> bool {
        false
    }

    fn rejected(&mut self, _: &Secret) -> Result<Option<Credential>> {
        Ok(None)
    }
}
