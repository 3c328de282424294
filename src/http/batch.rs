//! `invoke --batch`: many requests through one connection in one process,
//! over the client's pooled keep-alive connections.
//!
//! The input is NDJSON, one request a line ([`Line`]); the output is one
//! NDJSON result a line: the `invoke --json` envelope with the line's `id`
//! first, or `{id, url, error}` when no response came. [`Batch`] runs the
//! requests `parallel` at a time on the current-thread runtime of
//! [`Net`], as futures polled together, so no thread is spawned.
//!
//! The requests share one credential. [`Auth`] is what the batch asks for
//! it: between two `block_on`s, never inside one, since a refresh drives
//! the runtime itself. When the credential comes due, the batch stops
//! starting requests, takes the fresh one (one refresh under the
//! connection's lock) and goes on; the requests in flight finish with the
//! token they were sent with, which is still valid within the refresh
//! margin. A 401 on the current credential asks for a refresh once, and
//! the requests it refused are sent again with the new one.
//!
//! A 429 (any method) or a 503 (idempotent methods) pauses every request
//! to that host for its `Retry-After` (or a growing backoff), and the
//! request is sent again, up to the batch's retries. `--rate` spaces the
//! starts of requests evenly.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::future::Future;
use std::io::{IsTerminal, Write};
use std::pin::Pin;
use std::rc::Rc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use serde::Deserialize;
use serde_json::{Map, Value};
use url::Url;

use super::client::Net;
use super::credential::Credential;
use super::items::{Body, RequestItems};
use super::send::{self, Request, Response};
use super::target::redact_url;
use crate::secret::Secret;
use crate::{Error, Result, exit};

/// How many times a request is sent again after a 429 or 503 when
/// `--retries` does not say.
pub const RETRIES: u32 = 8;

/// How often the progress line is redrawn.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// One request line of the input.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// Echoed in the result; the line's number when absent.
    #[serde(default)]
    pub id: Option<Value>,
    /// [default: GET]
    #[serde(default)]
    pub method: Option<String>,
    /// Absolute, or a path joined to the service's `base_url`.
    pub url: String,
    /// Query parameters: text, numbers and booleans, or lists of them.
    #[serde(default)]
    pub query: Map<String, Value>,
    /// Headers: text, or null to remove a default one.
    #[serde(default)]
    pub headers: Map<String, Value>,
    /// Values for `{var}` placeholders of this line's URL, before
    /// `--var` and the connection's.
    #[serde(default)]
    pub vars: BTreeMap<String, String>,
    /// A JSON body.
    pub json: Option<Value>,
    /// A form body: text, numbers and booleans.
    pub form: Option<Map<String, Value>>,
    /// A raw body: UTF-8 text.
    pub body: Option<String>,
}

/// Why a line cannot become a request ([`Error::BatchLine`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineProblem {
    /// Not a JSON request object.
    NotARequest { detail: String },
    /// More than one of `json`, `form` and `body`.
    TwoBodies,
    /// A value where text was wanted: `query.limit`, `headers.Accept`.
    NotText { field: String },
}

impl std::fmt::Display for LineProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LineProblem::NotARequest { detail } => write!(f, "not a request: {detail}"),
            LineProblem::TwoBodies => f.write_str("more than one of `json`, `form` and `body`"),
            LineProblem::NotText { field } => {
                write!(f, "`{field}` is not text, a number or a boolean")
            }
        }
    }
}

impl LineProblem {
    pub fn hint(&self) -> String {
        match self {
            LineProblem::NotARequest { .. } => "each line is an object such as \
                {\"id\": 1, \"method\": \"GET\", \"url\": \"/items/1\", \"query\": {\"k\": \"v\"}}"
                .into(),
            LineProblem::TwoBodies => "send one body: `json`, `form` or `body`".into(),
            LineProblem::NotText { .. } => {
                "query, header and form values are text, numbers or booleans".into()
            }
        }
    }
}

impl Line {
    /// Parses line `number` (from 1) of the input.
    pub fn parse(number: usize, text: &str) -> Result<Line> {
        let problem = |detail: String| Error::BatchLine {
            line: number,
            error: Box::new(Error::InvalidBatchLine(LineProblem::NotARequest { detail })),
        };
        match serde_json::from_str::<Value>(text) {
            Ok(value @ Value::Object(_)) => {
                serde_json::from_value(value).map_err(|e| problem(e.to_string()))
            }
            Ok(_) => Err(problem("a request is a JSON object".into())),
            Err(e) => Err(problem(e.to_string())),
        }
    }

    /// The headers and query parameters of the line, as request items.
    pub fn items(&self) -> Result<RequestItems> {
        let mut items = RequestItems::default();
        for (name, value) in &self.query {
            let field = || format!("query.{name}");
            match value {
                Value::Array(values) => {
                    for value in values {
                        items.query.push((name.clone(), text(value, field)?));
                    }
                }
                Value::Null => {}
                value => items.query.push((name.clone(), text(value, field)?)),
            }
        }
        for (name, value) in &self.headers {
            let value = match value {
                Value::Null => None,
                value => Some(text(value, || format!("headers.{name}"))?),
            };
            items.headers.push((name.clone(), value));
        }
        Ok(items)
    }

    /// The body of the line.
    pub fn body(&self) -> Result<Body> {
        match (&self.json, &self.form, &self.body) {
            (None, None, None) => Ok(Body::None),
            (Some(json), None, None) => serde_json::to_vec(json)
                .map(Body::Json)
                .map_err(|e| Error::Other(format!("could not encode the JSON body: {e}"))),
            (None, Some(form), None) => {
                let mut encoder = url::form_urlencoded::Serializer::new(String::new());
                for (name, value) in form {
                    encoder.append_pair(name, &text(value, || format!("form.{name}"))?);
                }
                Ok(Body::Form(encoder.finish().into_bytes()))
            }
            (None, None, Some(body)) => Ok(Body::Raw(body.clone().into_bytes())),
            _ => Err(Error::InvalidBatchLine(LineProblem::TwoBodies)),
        }
    }
}

/// A scalar as text; anything else names `field`.
fn text(value: &Value, field: impl Fn() -> String) -> Result<String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(Error::InvalidBatchLine(LineProblem::NotText {
            field: field(),
        })),
    }
}

/// `--rate N/s`: the most requests started per second (or per minute).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// The time between two starts.
    pub interval: Duration,
}

impl Rate {
    /// `10/s`, `600/m`, or a bare `10` (per second).
    pub fn parse(text: &str) -> Result<Rate> {
        let (count, per) = match text.split_once('/') {
            Some((count, "s")) => (count, 1.0),
            Some((count, "m")) => (count, 60.0),
            Some(_) => (text, f64::NAN),
            None => (text, 1.0),
        };
        match count.trim().parse::<f64>() {
            Ok(count) if count > 0.0 && count.is_finite() && per.is_finite() => Ok(Rate {
                interval: Duration::from_secs_f64(per / count),
            }),
            _ => Err(Error::usage(
                format!("`--rate {text}` is not a rate"),
                Some(
                    "give requests per second or per minute, e.g. `--rate 10/s` or `--rate 600/m`"
                        .into(),
                ),
            )),
        }
    }
}

/// A request of the batch, ready to send.
#[derive(Debug)]
pub struct Job {
    /// Its place in the input, from 0.
    pub index: usize,
    pub id: Value,
    pub request: Request,
    /// Sent again after a 429 or 503 this many times.
    attempts: u32,
    /// Sent again after a 401 already.
    reauthorized: bool,
    /// The 401 kept while the credential is being refreshed: the answer,
    /// should the refresh bring no new token.
    refused: Option<Response>,
}

impl Job {
    pub fn new(index: usize, id: Value, request: Request) -> Job {
        Job {
            index,
            id,
            request,
            attempts: 0,
            reauthorized: false,
            refused: None,
        }
    }

    /// `host:port` of the request: what a 429 pauses.
    fn host(&self) -> String {
        host_of(&self.request.url)
    }
}

fn host_of(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or_default()
    )
}

/// Where the batch gets its credential. Called between runs of the
/// runtime, never inside one.
pub trait Auth {
    /// The credential for the requests to come, refreshed first when due;
    /// `None` sends requests without one.
    fn credential(&mut self) -> Result<Option<Credential>>;
    /// Whether the credential is due for a refresh now (a clock check).
    fn due(&self) -> bool;
    /// The API refused `secret` (a 401): the new credential after a
    /// refresh, or `None` when there is none to be had.
    fn rejected(&mut self, secret: &Secret) -> Result<Option<Credential>>;
}

/// How the batch runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Requests in flight at once.
    pub parallel: usize,
    /// Results in input order instead of completion order.
    pub ordered: bool,
    pub rate: Option<Rate>,
    /// Sends again after a 429 or 503, per request.
    pub retries: u32,
    /// Every HTTP status counts as success (`--no-fail`).
    pub no_fail: bool,
    /// Headers whose values are secret besides the usual ones.
    pub secret_headers: Vec<String>,
    /// Draw a progress line on stderr.
    pub progress: bool,
}

/// How a batch ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub total: usize,
    /// Results with each exit code other than 0.
    pub failed: BTreeMap<u8, usize>,
}

impl Summary {
    /// 0 when every request succeeded, else the highest code a request
    /// would have had on its own.
    pub fn exit_code(&self) -> u8 {
        self.failed.keys().copied().max().unwrap_or(exit::OK)
    }

    /// The line for stderr when some request did not succeed.
    pub fn line(&self) -> Option<String> {
        let failed: usize = self.failed.values().sum();
        if failed == 0 {
            return None;
        }
        let parts: Vec<String> = self
            .failed
            .iter()
            .map(|(code, n)| format!("{n} {}", what_failed(*code)))
            .collect();
        Some(format!(
            "tether: {failed} of {} requests did not succeed: {}",
            self.total,
            parts.join(", ")
        ))
    }
}

fn what_failed(code: u8) -> &'static str {
    match code {
        exit::HTTP_3XX => "with HTTP 3xx",
        exit::HTTP_4XX => "with HTTP 4xx",
        exit::HTTP_5XX => "with HTTP 5xx",
        exit::NETWORK => "without a response",
        exit::NEEDS_USER => "needing the user",
        exit::USAGE => "refused",
        _ => "failed",
    }
}

/// What the runtime stopped for.
enum Phase {
    /// Every request has its result.
    Finished,
    /// The credential is due: refresh before sending more.
    Due,
    /// The API refused this credential.
    Rejected(Secret),
}

/// A request in flight, as the future that sends it.
type Flight<'a> = Pin<Box<dyn Future<Output = Done> + 'a>>;

/// A request that came back.
struct Done {
    job: Job,
    /// The credential generation it was sent with.
    generation: u64,
    outcome: Result<Response>,
}

/// Until when requests to each host wait.
#[derive(Debug, Default)]
struct Pauses(HashMap<String, Instant>);

/// A batch under way.
pub struct Batch<'a> {
    net: &'a Net,
    options: Options,
    queue: VecDeque<Job>,
    in_flight: FuturesUnordered<Flight<'a>>,
    pauses: Rc<RefCell<Pauses>>,
    /// When the next request may start, under `--rate`.
    next_start: Instant,
    credential: Option<Rc<Credential>>,
    /// Counts credential changes, so a 401 on an old one refreshes nothing.
    generation: u64,
    /// A credential the API refused, to refresh.
    refused: Option<Secret>,
    out: &'a mut dyn Write,
    /// Results waiting for an earlier one (`ordered`), by index.
    waiting: BTreeMap<usize, String>,
    next_index: usize,
    /// stdout was closed: nothing more is written, nothing more is sent.
    closed: bool,
    summary: Summary,
    done: usize,
    started: Instant,
    /// When the progress line was last drawn.
    drawn_at: Instant,
    /// A progress line is on stderr, to clear before a result goes to
    /// the same terminal.
    drawn: bool,
    /// stdout is that terminal.
    shared_terminal: bool,
}

impl std::fmt::Debug for Batch<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch")
            .field("options", &self.options)
            .field("queued", &self.queue.len())
            .field("in_flight", &self.in_flight.len())
            .finish_non_exhaustive()
    }
}

impl<'a> Batch<'a> {
    pub fn new(
        net: &'a Net,
        jobs: Vec<Job>,
        options: Options,
        out: &'a mut dyn Write,
    ) -> Batch<'a> {
        let now = Instant::now();
        Batch {
            net,
            summary: Summary {
                total: jobs.len(),
                failed: BTreeMap::new(),
            },
            options,
            queue: jobs.into(),
            in_flight: FuturesUnordered::new(),
            pauses: Rc::default(),
            next_start: now,
            credential: None,
            generation: 0,
            refused: None,
            out,
            waiting: BTreeMap::new(),
            next_index: 0,
            closed: false,
            done: 0,
            started: now,
            drawn_at: now,
            drawn: false,
            shared_terminal: std::io::stdout().is_terminal(),
        }
    }

    /// Runs every request and writes every result.
    pub fn run(mut self, auth: &mut dyn Auth) -> Result<Summary> {
        match auth.credential() {
            Ok(credential) => self.credential = credential.map(Rc::new),
            Err(err) => self.fail_queued(&err),
        }
        loop {
            let net = self.net;
            let phase = net.block_on(async { Ok(self.drive(&*auth).await) })?;
            match phase {
                Phase::Finished => break,
                Phase::Due => match auth.credential() {
                    Ok(credential) => self.renew(credential),
                    Err(err) => self.fail_queued(&err),
                },
                Phase::Rejected(secret) => match auth.rejected(&secret) {
                    Ok(Some(credential)) => self.renew(Some(credential)),
                    Ok(None) => self.release_refused(),
                    Err(err) => {
                        self.release_refused();
                        self.fail_queued(&err);
                    }
                },
            }
        }
        if self.drawn {
            eprint!("\r\x1b[2K");
        }
        let _ = self.out.flush();
        Ok(self.summary)
    }

    fn renew(&mut self, credential: Option<Credential>) {
        self.credential = credential.map(Rc::new);
        self.generation += 1;
    }

    /// Starts requests and settles their results until all are done or
    /// the credential needs the caller.
    async fn drive(&mut self, auth: &dyn Auth) -> Phase {
        loop {
            if let Some(secret) = self.refused.take() {
                return Phase::Rejected(secret);
            }
            if !self.queue.is_empty() && auth.due() {
                return Phase::Due;
            }
            while self.in_flight.len() < self.options.parallel.max(1) {
                let Some(job) = self.queue.pop_front() else {
                    break;
                };
                let start = self.start_time();
                let flight = self.launch(job, start);
                self.in_flight.push(flight);
            }
            if self.in_flight.is_empty() {
                return Phase::Finished;
            }
            if !self.options.progress {
                if let Some(done) = self.in_flight.next().await {
                    self.settle(done);
                }
                continue;
            }
            if let Ok(Some(done)) =
                tokio::time::timeout(PROGRESS_EVERY, self.in_flight.next()).await
            {
                self.settle(done);
            }
            if self.drawn_at.elapsed() >= PROGRESS_EVERY {
                self.draw();
            }
        }
    }

    /// When the next request may start: now, or later under `--rate`.
    fn start_time(&mut self) -> Instant {
        let now = Instant::now();
        match self.options.rate {
            None => now,
            Some(rate) => {
                let start = self.next_start.max(now);
                self.next_start = start + rate.interval;
                start
            }
        }
    }

    /// The future that sends `job` at `start`, after any pause of its host.
    fn launch(&self, job: Job, start: Instant) -> Flight<'a> {
        let net = self.net;
        let credential = self.credential.clone();
        let generation = self.generation;
        let pauses = Rc::clone(&self.pauses);
        let secret_headers = self.options.secret_headers.clone();
        Box::pin(async move {
            tokio::time::sleep_until(start.into()).await;
            let host = job.host();
            loop {
                let until = pauses.borrow().0.get(&host).copied();
                match until {
                    Some(until) if until > Instant::now() => {
                        tokio::time::sleep_until(until.into()).await;
                    }
                    _ => break,
                }
            }
            let names: Vec<&str> = secret_headers.iter().map(String::as_str).collect();
            let mut quiet = |_: send::Event<'_>| {};
            let outcome = send::send(
                net,
                &job.request,
                credential.as_deref(),
                &names,
                0,
                &mut quiet,
            )
            .await;
            Done {
                job,
                generation,
                outcome,
            }
        })
    }

    /// A request came back: sent again (after a pause, or with a fresh
    /// credential), or its result written.
    fn settle(&mut self, done: Done) {
        let Done {
            mut job,
            generation,
            outcome,
        } = done;
        let response = match outcome {
            Ok(response) => response,
            Err(err) => return self.emit(&job, Err(&err)),
        };
        let status = response.status;
        let throttled = status == 429 || (status == 503 && job.request.method.is_idempotent());
        if throttled && job.attempts < self.options.retries && !self.closed {
            let wait = send::retry_after(&response).unwrap_or_else(|| send::backoff(job.attempts));
            if wait <= send::MAX_RETRY_AFTER {
                let until = Instant::now() + wait;
                let mut pauses = self.pauses.borrow_mut();
                let paused = pauses.0.entry(job.host()).or_insert(until);
                *paused = (*paused).max(until);
                drop(pauses);
                job.attempts += 1;
                self.queue.push_front(job);
                return;
            }
        }
        if let (401, Some(credential), false) = (status, &self.credential, job.reauthorized) {
            job.reauthorized = true;
            if generation == self.generation {
                self.refused = Some(credential.secret().clone());
                job.refused = Some(response);
            }
            self.queue.push_front(job);
            return;
        }
        self.emit(&job, Ok(&response));
    }

    /// The refresh brought no new credential: the 401s it was for are
    /// their requests' results.
    fn release_refused(&mut self) {
        let (refused, kept): (Vec<Job>, Vec<Job>) =
            self.queue.drain(..).partition(|job| job.refused.is_some());
        self.queue = kept.into();
        for job in refused {
            if let Some(response) = &job.refused {
                self.emit(&job, Ok(response));
            }
        }
    }

    /// Every request not yet sent gets `err` as its result.
    fn fail_queued(&mut self, err: &Error) {
        let queued: Vec<Job> = self.queue.drain(..).collect();
        for job in queued {
            self.emit(&job, Err(err));
        }
    }

    /// Writes the result of `job`.
    fn emit(&mut self, job: &Job, outcome: std::result::Result<&Response, &Error>) {
        let (line, code) = result_line(&job.id, &job.request.url, outcome, self.options.no_fail);
        self.done += 1;
        if code != exit::OK {
            *self.summary.failed.entry(code).or_default() += 1;
        }
        if self.options.ordered {
            self.waiting.insert(job.index, line);
            while let Some(line) = self.waiting.remove(&self.next_index) {
                self.next_index += 1;
                self.write(&line);
            }
        } else {
            self.write(&line);
        }
    }

    fn write(&mut self, line: &str) {
        if self.closed {
            return;
        }
        if self.drawn && self.shared_terminal {
            eprint!("\r\x1b[2K");
            self.drawn = false;
        }
        if self.out.write_all(line.as_bytes()).is_err() {
            // A closed pipe: nobody reads what the rest would say.
            self.closed = true;
            self.queue.clear();
        }
    }

    /// The progress line: done/total, rate, errors.
    fn draw(&mut self) {
        let _ = self.out.flush();
        let seconds = self.started.elapsed().as_secs_f64().max(0.001);
        let errors: usize = self.summary.failed.values().sum();
        #[allow(clippy::cast_precision_loss)] // a count of requests
        let rate = self.done as f64 / seconds;
        eprint!(
            "\r\x1b[2K{}/{}  {rate:.1}/s  {errors} error{}",
            self.done,
            self.summary.total,
            if errors == 1 { "" } else { "s" }
        );
        self.drawn = true;
        self.drawn_at = Instant::now();
    }
}

/// The result line of a request, and the exit code it would have had.
fn result_line(
    id: &Value,
    url: &Url,
    outcome: std::result::Result<&Response, &Error>,
    no_fail: bool,
) -> (String, u8) {
    let mut object = Map::new();
    object.insert("id".into(), id.clone());
    let code = match outcome {
        Ok(response) => {
            if let Value::Object(envelope) = super::print::envelope(response) {
                object.extend(envelope);
            }
            super::exit_code(response.status, no_fail)
        }
        Err(err) => {
            object.insert("url".into(), Value::String(redact_url(url, &[])));
            object.insert("error".into(), Value::String(err.to_string()));
            err.exit_code()
        }
    };
    (format!("{}\n", Value::Object(object)), code)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn lines_become_items_and_bodies() {
        let line = Line::parse(
            1,
            r#"{"id": "a", "url": "/x", "query": {"q": "a b", "n": 2, "tag": ["x", true], "skip": null}, "headers": {"X-T": "1", "Accept": null}, "json": {"k": [1]}}"#,
        )
        .unwrap();
        let items = line.items().unwrap();
        assert_eq!(
            items.query,
            [
                ("q".to_string(), "a b".to_string()),
                ("n".into(), "2".into()),
                ("tag".into(), "x".into()),
                ("tag".into(), "true".into())
            ]
        );
        assert_eq!(
            items.headers,
            [
                ("X-T".to_string(), Some("1".to_string())),
                ("Accept".into(), None)
            ]
        );
        assert_eq!(line.body().unwrap(), Body::Json(br#"{"k":[1]}"#.to_vec()));

        let form = Line::parse(2, r#"{"url": "/f", "form": {"a": "1 2", "b": false}}"#).unwrap();
        assert_eq!(form.body().unwrap(), Body::Form(b"a=1+2&b=false".to_vec()));
        let raw = Line::parse(3, r#"{"url": "/r", "body": "text"}"#).unwrap();
        assert_eq!(raw.body().unwrap(), Body::Raw(b"text".to_vec()));
    }

    #[test]
    fn a_line_that_is_no_request_names_its_number() {
        let err = Line::parse(7, r#"{"url": "/x", "metod": "GET"}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 7 of the batch: not a request: unknown field `metod`, expected one of `id`, `method`, `url`, `query`, `headers`, `vars`, `json`, `form`, `body`"
        );
        assert_eq!(err.exit_code(), exit::USAGE);
        let two = Line::parse(1, r#"{"url": "/x", "json": 1, "body": "b"}"#).unwrap();
        assert_eq!(
            two.body().unwrap_err().to_string(),
            "more than one of `json`, `form` and `body`"
        );
        let nested = Line::parse(1, r#"{"url": "/x", "query": {"q": {"a": 1}}}"#).unwrap();
        assert_eq!(
            nested.items().unwrap_err().to_string(),
            "`query.q` is not text, a number or a boolean"
        );
    }

    #[test]
    fn rates_per_second_and_minute() {
        assert_eq!(
            Rate::parse("10/s").unwrap().interval,
            Duration::from_millis(100)
        );
        assert_eq!(
            Rate::parse("120/m").unwrap().interval,
            Duration::from_millis(500)
        );
        assert_eq!(
            Rate::parse("4").unwrap().interval,
            Duration::from_millis(250)
        );
        for bad in ["0/s", "x/s", "10/h", "-1", "inf"] {
            assert_eq!(
                Rate::parse(bad).unwrap_err().exit_code(),
                exit::USAGE,
                "{bad}"
            );
        }
    }

    #[test]
    fn results_carry_the_id_first_and_codes_add_up() {
        let response = Response {
            status: 404,
            reason: "Not Found".into(),
            version: "HTTP/1.1".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: br#"{"e":1}"#.to_vec(),
            url: Url::parse("https://api.example.com/x?key=k").unwrap(),
        };
        let url = response.url.clone();
        let (line, code) = result_line(&json!(3), &url, Ok(&response), false);
        let value: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(
            value.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["id", "status", "url", "headers", "body"]
        );
        assert_eq!((value["id"].clone(), code), (json!(3), exit::HTTP_4XX));
        assert_eq!(
            result_line(&json!(3), &url, Ok(&response), true).1,
            exit::OK
        );
        let err = Error::Network {
            what: "GET https://api.example.com/x".into(),
            reason: "timed out".into(),
        };
        let (line, code) = result_line(&json!("a"), &url, Err(&err), false);
        assert_eq!(
            line,
            "{\"id\":\"a\",\"url\":\"https://api.example.com/x?key=k\",\"error\":\"GET https://api.example.com/x: timed out\"}\n"
        );
        assert_eq!(code, exit::NETWORK);

        let mut summary = Summary {
            total: 10,
            ..Summary::default()
        };
        assert_eq!((summary.exit_code(), summary.line()), (exit::OK, None));
        summary.failed.insert(exit::HTTP_4XX, 2);
        summary.failed.insert(exit::NETWORK, 1);
        assert_eq!(summary.exit_code(), exit::NETWORK);
        assert_eq!(
            summary.line().as_deref(),
            Some("tether: 3 of 10 requests did not succeed: 2 with HTTP 4xx, 1 without a response")
        );
    }
}
