//! The loopback redirect listener (RFC 8252 §7.3, §8.3).
//!
//! It binds 127.0.0.1 only — never a wildcard address — on the service's
//! fixed port or an ephemeral one. It answers stray requests (a favicon,
//! another path) with 404 and keeps waiting; it answers a request with a
//! missing or wrong `state` with an error page and keeps waiting; the first
//! request with the right state ends the wait, and so does the deadline
//! ([`Waited`]). A request with a code is held open until the code has been
//! exchanged, so the page the browser shows says what really happened.
//!
//! Any local process can connect to the port, so the listener reads
//! requests itself, as a small HTTP/1.1 server built to outlast a flood of
//! connections that never send anything:
//!
//! * one accept loop, on a current-thread runtime of its own that runs only
//!   while [`Listener::wait`] waits: no thread per connection;
//! * at most [`MAX_READING`] connections that have not sent a whole request
//!   head; a new one closes the oldest of them;
//! * each has [`HEAD_TIMEOUT`] to send its head, of at most [`MAX_HEAD`]
//!   bytes (431 beyond);
//! * an accept error, running out of file descriptors (EMFILE) among them,
//!   closes the oldest of those connections and pauses [`ACCEPT_PAUSE`]
//!   before the next accept: never a panic, and the wait goes on;
//! * GET only (405 otherwise); every answer ends its connection
//!   (`Connection: close`).
//!
//! When the right state comes, every other connection and the port are
//! closed, so the code exchange that follows has descriptors to spare.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::Write;
use std::net::Shutdown;
use std::time::{Duration, Instant};

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use super::callback::{self, ErrorCode, Response};
use crate::{Error, Result};

/// How often the wait loop wakes up to check the deadline and cancellation.
const POLL: Duration = Duration::from_millis(100);

/// The most connections still sending their request head. A browser opens
/// a handful; 64 leaves room for several tabs and stays well below the
/// smallest common limit on open files (128 on some systems, 1024 on most
/// Linux distributions), together with what tether itself has open.
pub const MAX_READING: usize = 64;

/// How long a connection may take to send its request head. A browser
/// sends it at once; an idle connection only holds a descriptor.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(5);

/// The largest request head read: a redirect with a code and a state is a
/// few hundred bytes, and 8 KB is what common servers allow.
pub const MAX_HEAD: usize = 8 * 1024;

/// The pause after a failed accept: out of file descriptors, accepting
/// again at once would fail again at once.
pub const ACCEPT_PAUSE: Duration = Duration::from_millis(10);

/// Requests read but not yet answered by [`Listener::wait`], which takes
/// them before it lets the accept loop run again: room for as many as may
/// be reading, so that one that sent its head does not wait for room
/// while newer connections push it out.
const QUEUE: usize = MAX_READING;

/// How long writing an answer may take; a page fits in the socket's
/// buffer, so only a peer that reads nothing and a full buffer reach it.
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);

/// A bound listener.
pub struct Listener {
    port: u16,
    path: String,
    /// The accept loop and what it read; `None` once the redirect came.
    serving: RefCell<Option<Serving>>,
}

impl std::fmt::Debug for Listener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listener")
            .field("port", &self.port)
            .finish()
    }
}

/// The runtime that runs the accept loop, and the requests it read.
struct Serving {
    runtime: tokio::runtime::Runtime,
    requests: mpsc::Receiver<Incoming>,
}

/// A connection that sent a whole request head.
struct Incoming {
    stream: std::net::TcpStream,
    /// The request target (`/callback?code=…`), or why there is none.
    head: std::result::Result<String, Rejected>,
}

/// Why a request head is answered with an error and nothing more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rejected {
    /// Not `GET TARGET HTTP/1.x` with an origin-form target.
    Malformed,
    /// Another method than GET.
    NotGet,
    /// More than [`MAX_HEAD`] bytes without the blank line that ends it.
    TooLarge,
}

impl Rejected {
    fn status(self) -> u16 {
        match self {
            Rejected::Malformed => 400,
            Rejected::NotGet => 405,
            Rejected::TooLarge => 431,
        }
    }

    fn page(self) -> String {
        page::error(match self {
            Rejected::Malformed => "That request was not understood.",
            Rejected::NotGet => "tether only answers GET requests here.",
            Rejected::TooLarge => "That request was too large.",
        })
    }
}

/// What reads a redirect's decoded query into a [`Response`]: whether it
/// is the one a flow waits for ([`Listener::wait_for`]).
pub type Judge<'a> = dyn Fn(&[(String, String)]) -> Response + 'a;

/// How waiting for the redirect ended.
#[derive(Debug)]
pub enum Waited {
    /// The right state and a code; the browser waits for its page.
    Code(Callback, String),
    /// The right state and the provider's error; the browser has its page.
    Refused {
        code: ErrorCode,
        description: Option<String>,
    },
    /// The deadline passed with no redirect.
    TimedOut,
}

/// The request that carried the right state, still waiting for its page.
pub struct Callback {
    stream: std::net::TcpStream,
    /// The query of the redirect, decoded, in order.
    query: Vec<(String, String)>,
}

impl Callback {
    /// The query of the redirect, decoded, in order: the code and the
    /// state, and whatever else the provider added (`accounts-server`).
    pub fn query(&self) -> Vec<(String, String)> {
        self.query.clone()
    }
}

impl std::fmt::Debug for Callback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Callback")
    }
}

/// Why the listener could not catch a redirect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListenerProblem {
    /// Something else listens on the port.
    Busy { port: u16 },
    /// Binding failed otherwise; `detail` is the OS's reason.
    CannotListen { port: u16, detail: String },
    /// The bound server has no TCP address to send the browser to.
    NoTcpAddress,
    /// Receiving a request failed; `detail` says how.
    Failed { detail: String },
    /// Waiting again after the redirect came: the listener has closed.
    Closed,
}

impl ListenerProblem {
    /// A busy port is the user's to free or change; the rest are failures.
    pub fn exit_code(&self) -> u8 {
        match self {
            ListenerProblem::Busy { .. } => crate::exit::USAGE,
            _ => crate::exit::FAILURE,
        }
    }

    pub fn hint(&self) -> Option<String> {
        match self {
            ListenerProblem::Busy { .. } => Some(
                "stop what uses it, or connect with `--port N` if the provider allows another port"
                    .into(),
            ),
            _ => None,
        }
    }
}

impl std::fmt::Display for ListenerProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ListenerProblem::Busy { port } => write!(
                f,
                "port {port} on 127.0.0.1 is busy, so the redirect cannot be received"
            ),
            ListenerProblem::CannotListen { port, detail } => {
                write!(f, "cannot listen on 127.0.0.1:{port}: {detail}")
            }
            ListenerProblem::NoTcpAddress => f.write_str("the listener has no TCP address"),
            ListenerProblem::Failed { detail } => {
                write!(f, "the redirect listener failed: {detail}")
            }
            ListenerProblem::Closed => {
                f.write_str("the redirect listener has closed: the redirect already came")
            }
        }
    }
}

/// Binds 127.0.0.1:`port` (0: any free port), serving `path`.
pub fn bind(port: u16, path: &str) -> Result<Listener> {
    let cannot = |e: std::io::Error| {
        Error::Listener(if e.kind() == std::io::ErrorKind::AddrInUse {
            ListenerProblem::Busy { port }
        } else {
            ListenerProblem::CannotListen {
                port,
                detail: e.to_string(),
            }
        })
    };
    let socket = std::net::TcpListener::bind(("127.0.0.1", port)).map_err(cannot)?;
    let port = socket
        .local_addr()
        .map_err(|_| Error::Listener(ListenerProblem::NoTcpAddress))?
        .port();
    socket.set_nonblocking(true).map_err(cannot)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(cannot)?;
    let socket = {
        let _context = runtime.enter();
        TcpListener::from_std(socket).map_err(cannot)?
    };
    let (send, requests) = mpsc::channel(QUEUE);
    runtime.spawn(accept_loop(socket, send));
    Ok(Listener {
        port,
        path: path.to_string(),
        serving: RefCell::new(Some(Serving { runtime, requests })),
    })
}

impl Listener {
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Waits for the redirect carrying `state` until `deadline`, as the
    /// clock `now` tells the time.
    pub fn wait(
        &self,
        state: &str,
        deadline: Instant,
        now: &dyn Fn() -> Instant,
    ) -> Result<Waited> {
        self.wait_for(
            &|query| callback::read(query.iter().cloned(), state),
            deadline,
            now,
        )
    }

    /// Waits until `deadline` for the redirect that `judge` finds is this
    /// flow's: it reads each request's decoded query into a [`Response`],
    /// and [`Response::WrongState`] (not ours) or
    /// [`Response::Malformed`] keep the wait going. OAuth 1.0a judges by
    /// `oauth_token` what OAuth 2.0 judges by `state`.
    pub fn wait_for(
        &self,
        judge: &Judge<'_>,
        deadline: Instant,
        now: &dyn Fn() -> Instant,
    ) -> Result<Waited> {
        let mut serving = self.serving.borrow_mut();
        let Some(live) = serving.as_mut() else {
            return Err(Error::Listener(ListenerProblem::Closed));
        };
        loop {
            let Some(left) = deadline
                .checked_duration_since(now())
                .filter(|d| !d.is_zero())
            else {
                return Ok(Waited::TimedOut);
            };
            let Some(Incoming { stream, head }) = live.next(POLL.min(left))? else {
                continue;
            };
            let target = match head {
                Ok(target) => target,
                Err(rejected) => {
                    respond(stream, rejected.status(), &rejected.page());
                    continue;
                }
            };
            let Ok(url) = url::Url::parse(&format!("http://127.0.0.1{target}")) else {
                respond(stream, 400, &Rejected::Malformed.page());
                continue;
            };
            if url.path() != self.path {
                respond(stream, 404, &page::not_found());
                continue;
            }
            let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
            match judge(&query) {
                Response::Code(code) => {
                    // Closes the port and every other connection.
                    *serving = None;
                    return Ok(Waited::Code(Callback { stream, query }, code));
                }
                Response::Error { code, description } => {
                    let message = match &description {
                        Some(d) => format!("The provider refused: {code} ({d})."),
                        None => format!("The provider refused: {code}."),
                    };
                    respond(stream, 200, &page::error(&message));
                    return Ok(Waited::Refused { code, description });
                }
                Response::WrongState => respond(
                    stream,
                    400,
                    &page::error(
                        "This response does not belong to the authorization tether is waiting for. It was ignored.",
                    ),
                ),
                Response::Malformed => respond(
                    stream,
                    400,
                    &page::error(
                        "The provider's response carried neither a code nor an error. It was ignored.",
                    ),
                ),
            }
        }
    }
}

impl Serving {
    /// The next request read, waiting at most `timeout` for one; `None`
    /// when none came. One already read is taken before the accept loop
    /// runs again, so requests are answered as fast as they come.
    fn next(&mut self, timeout: Duration) -> Result<Option<Incoming>> {
        let stopped = || {
            Error::Listener(ListenerProblem::Failed {
                detail: "it stopped accepting connections".into(),
            })
        };
        match self.requests.try_recv() {
            Ok(incoming) => return Ok(Some(incoming)),
            Err(mpsc::error::TryRecvError::Disconnected) => return Err(stopped()),
            Err(mpsc::error::TryRecvError::Empty) => {}
        }
        let requests = &mut self.requests;
        // The timer is made inside the runtime, which it needs.
        match self
            .runtime
            .block_on(async { tokio::time::timeout(timeout, requests.recv()).await })
        {
            Ok(Some(incoming)) => Ok(Some(incoming)),
            Ok(None) => Err(stopped()),
            Err(_elapsed) => Ok(None),
        }
    }
}

/// Accepts connections until the runtime is dropped, each read by a task
/// of its own; see the module doc for the bounds.
async fn accept_loop(socket: TcpListener, requests: mpsc::Sender<Incoming>) {
    // Connections still reading their head, oldest first.
    let mut reading: VecDeque<AbortHandle> = VecDeque::new();
    loop {
        let accepted = socket.accept().await;
        reading.retain(|task| !task.is_finished());
        match accepted {
            Ok((stream, _)) => {
                if reading.len() >= MAX_READING {
                    close_oldest(&mut reading);
                }
                let task = tokio::spawn(read_request(stream, requests.clone()));
                reading.push_back(task.abort_handle());
                // The new connection reads what it has sent before the
                // next accept, so a browser's request is in before a
                // flood of later connections could push it out.
                tokio::task::yield_now().await;
            }
            // The connection died in the queue: nothing to free.
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionAborted => {}
            Err(_) => {
                close_oldest(&mut reading);
                tokio::time::sleep(ACCEPT_PAUSE).await;
            }
        }
    }
}

/// Closes the connection that has waited longest for its head.
fn close_oldest(reading: &mut VecDeque<AbortHandle>) {
    if let Some(oldest) = reading.pop_front() {
        oldest.abort();
    }
}

/// Reads one request head from `stream` and hands it to the wait loop. A
/// connection that ends or errs first, or sends no whole head within
/// [`HEAD_TIMEOUT`], is closed unanswered.
async fn read_request(stream: TcpStream, requests: mpsc::Sender<Incoming>) {
    let Ok(Ok(head)) = tokio::time::timeout(HEAD_TIMEOUT, read_head(&stream)).await else {
        return;
    };
    let Ok(stream) = stream.into_std() else {
        return;
    };
    let _ = requests.send(Incoming { stream, head }).await;
}

/// Reads up to the blank line that ends a request head (RFC 9112 §2.1);
/// the request target, or why it is refused.
async fn read_head(stream: &TcpStream) -> std::io::Result<std::result::Result<String, Rejected>> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        stream.readable().await?;
        let read = match stream.try_read(&mut chunk) {
            Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(read) => read,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
            Err(e) => return Err(e),
        };
        head.extend_from_slice(&chunk[..read]);
        if let Some(end) = head_end(&head) {
            return Ok(request_target(&head[..end]));
        }
        if head.len() > MAX_HEAD {
            return Ok(Err(Rejected::TooLarge));
        }
    }
}

/// Where the head in `bytes` ends: its blank line, CRLF or (leniently, RFC
/// 9112 §2.2) a bare LF.
fn head_end(bytes: &[u8]) -> Option<usize> {
    let crlf = bytes.windows(4).position(|w| w == b"\r\n\r\n");
    let lf = bytes.windows(2).position(|w| w == b"\n\n");
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The target of a `GET TARGET HTTP/1.x` request line (RFC 9112 §3), in
/// origin form (`/path?query`).
fn request_target(head: &[u8]) -> std::result::Result<String, Rejected> {
    let line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let line = std::str::from_utf8(line).map_err(|_| Rejected::Malformed)?;
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Rejected::Malformed);
    };
    if !version.starts_with("HTTP/1.") || !target.starts_with('/') {
        return Err(Rejected::Malformed);
    }
    if method != "GET" {
        return Err(Rejected::NotGet);
    }
    Ok(target.to_string())
}

impl Callback {
    /// Shows the browser the outcome of the code exchange: `Ok` with what
    /// was connected, `Err` with why not.
    pub fn show_outcome(self, outcome: std::result::Result<&str, &str>) {
        match outcome {
            Ok(what) => respond(self.stream, 200, &page::success(what)),
            Err(why) => respond(self.stream, 200, &page::error(why)),
        }
    }

    /// Tells the browser that the code went to the terminal, for
    /// `tether authorize`: the exchange happens on another machine.
    pub fn show_handed_off(self) {
        respond(self.stream, 200, &page::handed_off());
    }
}

/// Answers with `html` and ends the connection. The browser may have gone;
/// nothing to do about it.
fn respond(mut stream: std::net::TcpStream, status: u16, html: &str) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = stream.write_all(&answer(status, html));
    let _ = stream.shutdown(Shutdown::Write);
}

/// The bytes of an answer with `html` as its body.
fn answer(status: u16, html: &str) -> Vec<u8> {
    let reason = http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let allow = if status == 405 { "Allow: GET\r\n" } else { "" };
    let mut bytes = format!(
        "HTTP/1.1 {status} {reason}\r\n\
Content-Type: text/html; charset=utf-8\r\n\
Content-Length: {}\r\n\
{allow}Connection: close\r\n\r\n",
        html.len()
    )
    .into_bytes();
    bytes.extend_from_slice(html.as_bytes());
    bytes
}

/// The pages the browser sees. Small, styled, no external resources.
pub mod page {
    const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;display:flex;min-height:90vh;\
align-items:center;justify-content:center;background:#f6f7f9;color:#1d2330}\
main{background:#fff;padding:2rem 2.5rem;border-radius:12px;box-shadow:0 2px 12px #0001;max-width:32rem}\
h1{font-size:1.25rem;margin:0 0 .5rem}.ok h1{color:#137333}.err h1{color:#b3261e}p{margin:0}";

    fn escape(text: &str) -> String {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    }

    fn render(class: &str, title: &str, body: &str) -> String {
        format!(
            "<!doctype html><html lang=en><meta charset=utf-8><title>tether: {title}</title>\
<style>{STYLE}</style><main class={class}><h1>{title}</h1><p>{}</p></main></html>",
            escape(body)
        )
    }

    /// "Connected NAME (service) — you can close this tab".
    pub fn success(what: &str) -> String {
        render(
            "ok",
            "tether",
            &format!("Connected {what} — you can close this tab."),
        )
    }

    /// The page `tether authorize` shows.
    pub fn handed_off() -> String {
        render(
            "ok",
            "tether",
            "Authorized. Paste the line tether printed into the terminal that runs `tether connect --remote`, then close this tab.",
        )
    }

    pub fn error(message: &str) -> String {
        render("err", "tether: not connected", message)
    }

    pub fn not_found() -> String {
        render(
            "err",
            "tether: not found",
            "Nothing here: tether only waits for the authorization redirect.",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    fn get(port: u16, path: &str) -> String {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut text = String::new();
        stream.read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn ignores_strays_and_forgeries_then_takes_the_right_state() {
        let listener = bind(0, "/callback").unwrap();
        let port = listener.port();
        let browser = std::thread::spawn(move || {
            let favicon = get(port, "/favicon.ico");
            let forged = get(port, "/callback?code=evil&state=wrong");
            let real = get(port, "/callback?code=good&state=s1");
            (favicon, forged, real)
        });
        let deadline = Instant::now() + Duration::from_secs(10);
        let Waited::Code(callback, code) = listener.wait("s1", deadline, &Instant::now).unwrap()
        else {
            panic!("no code");
        };
        assert_eq!(code, "good");
        callback.show_outcome(Ok("c (svc)"));
        let (favicon, forged, real) = browser.join().unwrap();
        assert!(favicon.starts_with("HTTP/1.1 404"), "{favicon}");
        assert!(forged.starts_with("HTTP/1.1 400"), "{forged}");
        assert!(
            real.starts_with("HTTP/1.1 200") && real.contains("Connected c (svc)"),
            "{real}"
        );
    }

    #[test]
    fn provider_error_ends_the_wait_and_is_shown_to_the_browser() {
        let listener = bind(0, "/cb").unwrap();
        let port = listener.port();
        let browser = std::thread::spawn(move || {
            get(
                port,
                "/cb?error=access_denied&error_description=nope&state=s",
            )
        });
        let waited = listener
            .wait("s", Instant::now() + Duration::from_secs(10), &Instant::now)
            .unwrap();
        let Waited::Refused { code, description } = waited else {
            panic!("{waited:?}");
        };
        assert_eq!(code, ErrorCode::AccessDenied);
        assert_eq!(description.as_deref(), Some("nope"));
        let page = browser.join().unwrap();
        assert!(
            page.contains("The provider refused: access_denied (nope)."),
            "{page}"
        );
    }

    #[test]
    fn the_deadline_is_read_from_the_clock_given() {
        let listener = bind(0, "/cb").unwrap();
        let start = Instant::now();
        // A clock already past the deadline: no wait at all.
        let late = || start + Duration::from_secs(3600);
        let waited = listener
            .wait("s", start + Duration::from_secs(60), &late)
            .unwrap();
        assert!(matches!(waited, Waited::TimedOut), "{waited:?}");

        // A clock that jumps a minute per reading runs out after a few
        // polls, long before a minute of real time.
        let ticks = std::cell::Cell::new(0u64);
        let jumping = || {
            ticks.set(ticks.get() + 1);
            start + Duration::from_secs(60 * ticks.get())
        };
        let waited = listener
            .wait("s", start + Duration::from_secs(150), &jumping)
            .unwrap();
        assert!(matches!(waited, Waited::TimedOut), "{waited:?}");
        assert_eq!(ticks.get(), 3);
        assert!(start.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn busy_port_is_named() {
        let first = bind(0, "/cb").unwrap();
        let err = bind(first.port(), "/cb").unwrap_err();
        assert!(
            err.to_string()
                .contains(&format!("port {} on 127.0.0.1 is busy", first.port())),
            "{err}"
        );
        assert_eq!(err.exit_code(), crate::exit::USAGE);
    }

    #[test]
    fn a_request_line_is_get_an_origin_form_target_and_http_1() {
        let cases: [(&[u8], std::result::Result<&str, Rejected>); 9] = [
            (b"GET /cb?code=1 HTTP/1.1\r\nHost: x", Ok("/cb?code=1")),
            (b"GET / HTTP/1.0", Ok("/")),
            (b"GET /cb HTTP/1.1\nHost: x", Ok("/cb")),
            (b"POST /cb HTTP/1.1", Err(Rejected::NotGet)),
            (b"get /cb HTTP/1.1", Err(Rejected::NotGet)),
            (b"GET http://evil/cb HTTP/1.1", Err(Rejected::Malformed)),
            (b"GET /cb HTTP/2", Err(Rejected::Malformed)),
            (b"GET  /cb HTTP/1.1", Err(Rejected::Malformed)),
            (b"GET /\xff HTTP/1.1", Err(Rejected::Malformed)),
        ];
        for (line, want) in cases {
            let got = request_target(line);
            assert_eq!(
                got.as_deref().map_err(|r| *r),
                want,
                "{}",
                String::from_utf8_lossy(line)
            );
        }
    }

    #[test]
    fn a_head_ends_at_its_blank_line() {
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n\r\nbody"), Some(20));
        assert_eq!(head_end(b"GET / HTTP/1.1\n\n"), Some(14));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n"), None);
    }

    #[test]
    fn an_answer_says_its_length_and_closes() {
        let text = String::from_utf8(answer(405, "<p>x</p>")).unwrap();
        assert_eq!(
            text,
            "HTTP/1.1 405 Method Not Allowed\r\n\
             Content-Type: text/html; charset=utf-8\r\n\
             Content-Length: 8\r\n\
             Allow: GET\r\n\
             Connection: close\r\n\r\n<p>x</p>"
        );
    }

    fn send(port: u16, bytes: &[u8]) -> String {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.write_all(bytes).unwrap();
        let mut text = String::new();
        stream.read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn other_methods_and_huge_heads_are_refused_and_the_wait_goes_on() {
        let listener = bind(0, "/cb").unwrap();
        let port = listener.port();
        let browser = std::thread::spawn(move || {
            let post = send(port, b"POST /cb?code=c&state=s HTTP/1.1\r\n\r\n");
            let mut huge = b"GET /cb?code=c&state=s HTTP/1.1\r\n".to_vec();
            huge.extend(std::iter::repeat_n(b'a', MAX_HEAD + 1));
            let huge = send(port, &huge);
            let garbage = send(port, b"\x16\x03\x01 hello\r\n\r\n");
            let real = get(port, "/cb?code=c&state=s");
            (post, huge, garbage, real)
        });
        let waited = listener
            .wait("s", Instant::now() + Duration::from_secs(30), &Instant::now)
            .unwrap();
        let Waited::Code(callback, code) = waited else {
            panic!("{waited:?}");
        };
        assert_eq!(code, "c");
        callback.show_outcome(Ok("c (svc)"));
        let (post, huge, garbage, real) = browser.join().unwrap();
        assert!(
            post.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"),
            "{post}"
        );
        assert!(post.contains("\r\nAllow: GET\r\n"), "{post}");
        assert!(huge.starts_with("HTTP/1.1 431 "), "{huge}");
        assert!(garbage.starts_with("HTTP/1.1 400 "), "{garbage}");
        assert!(real.starts_with("HTTP/1.1 200 OK\r\n"), "{real}");
    }

    #[test]
    fn idle_connections_beyond_the_bound_do_not_keep_the_redirect_out() {
        let listener = bind(0, "/cb").unwrap();
        let port = listener.port();
        let browser = std::thread::spawn(move || {
            let idle: Vec<std::net::TcpStream> = (0..MAX_READING + 16)
                .map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).unwrap())
                .collect();
            let page = get(port, "/cb?code=c&state=s");
            (idle, page)
        });
        let waited = listener
            .wait("s", Instant::now() + Duration::from_secs(30), &Instant::now)
            .unwrap();
        let Waited::Code(callback, _) = waited else {
            panic!("{waited:?}");
        };
        // The redirect came: the port and every other connection close
        // before the code is exchanged.
        let refused = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap_err();
        assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
        callback.show_outcome(Ok("c (svc)"));
        let (idle, page) = browser.join().unwrap();
        assert!(page.contains("Connected c (svc)"), "{page}");
        for mut connection in idle {
            let mut rest = Vec::new();
            assert!(matches!(connection.read_to_end(&mut rest), Ok(0) | Err(_)));
        }
        let again = listener.wait("s", Instant::now() + Duration::from_secs(1), &Instant::now);
        assert!(
            matches!(again, Err(Error::Listener(ListenerProblem::Closed))),
            "{again:?}"
        );
    }
}
