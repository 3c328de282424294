//! The loopback redirect listener (RFC 8252 §7.3, §8.3).
//!
//! It binds 127.0.0.1 only — never a wildcard address — on the service's
//! fixed port or an ephemeral one. It answers stray requests (a favicon,
//! another path) with 404 and keeps waiting; it answers a request with a
//! missing or wrong `state` with an error page and keeps waiting; the first
//! request with the right state ends the wait, and so does the deadline
//! ([`Waited`]). A request with a code is held open until the code has been
//! exchanged, so the page the browser shows says what really happened.

use std::time::{Duration, Instant};

use tiny_http::{Header, Request, Response as HttpResponse, Server};

use super::callback::{self, ErrorCode, Response};
use crate::{Error, Result};

/// How often the wait loop wakes up to check the deadline and cancellation.
const POLL: Duration = Duration::from_millis(100);

/// A bound listener.
pub struct Listener {
    server: Server,
    port: u16,
    path: String,
}

impl std::fmt::Debug for Listener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listener")
            .field("port", &self.port)
            .finish()
    }
}

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
    request: Request,
}

impl Callback {
    /// The query of the redirect, decoded, in order: the code and the
    /// state, and whatever else the provider added (`accounts-server`).
    pub fn query(&self) -> Vec<(String, String)> {
        url::Url::parse(&format!("http://127.0.0.1{}", self.request.url()))
            .map(|url| url.query_pairs().into_owned().collect())
            .unwrap_or_default()
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
    /// Receiving a request failed; `detail` is the OS's reason.
    Failed { detail: String },
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
        }
    }
}

/// Binds 127.0.0.1:`port` (0: any free port), serving `path`.
pub fn bind(port: u16, path: &str) -> Result<Listener> {
    let server = Server::http(("127.0.0.1", port)).map_err(|e| {
        let busy = e
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::AddrInUse);
        Error::Listener(if busy {
            ListenerProblem::Busy { port }
        } else {
            ListenerProblem::CannotListen {
                port,
                detail: e.to_string(),
            }
        })
    })?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .ok_or(Error::Listener(ListenerProblem::NoTcpAddress))?;
    Ok(Listener {
        server,
        port,
        path: path.to_string(),
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
        loop {
            let Some(left) = deadline
                .checked_duration_since(now())
                .filter(|d| !d.is_zero())
            else {
                return Ok(Waited::TimedOut);
            };
            let request = match self.server.recv_timeout(POLL.min(left)) {
                Ok(Some(request)) => request,
                Ok(None) => continue,
                Err(e) => {
                    return Err(Error::Listener(ListenerProblem::Failed {
                        detail: e.to_string(),
                    }));
                }
            };
            let Ok(url) = url::Url::parse(&format!("http://127.0.0.1{}", request.url())) else {
                respond(
                    request,
                    400,
                    &page::error("That request was not understood."),
                );
                continue;
            };
            if url.path() != self.path {
                respond(request, 404, &page::not_found());
                continue;
            }
            match callback::read(url.query_pairs().into_owned(), state) {
                Response::Code(code) => return Ok(Waited::Code(Callback { request }, code)),
                Response::Error { code, description } => {
                    let message = match &description {
                        Some(d) => format!("The provider refused: {code} ({d})."),
                        None => format!("The provider refused: {code}."),
                    };
                    respond(request, 200, &page::error(&message));
                    return Ok(Waited::Refused { code, description });
                }
                Response::WrongState => respond(
                    request,
                    400,
                    &page::error(
                        "This response does not belong to the authorization tether is waiting for. It was ignored.",
                    ),
                ),
                Response::Malformed => respond(
                    request,
                    400,
                    &page::error(
                        "The provider's response carried neither a code nor an error. It was ignored.",
                    ),
                ),
            }
        }
    }
}

impl Callback {
    /// Shows the browser the outcome of the code exchange: `Ok` with what
    /// was connected, `Err` with why not.
    pub fn show_outcome(self, outcome: std::result::Result<&str, &str>) {
        match outcome {
            Ok(what) => respond(self.request, 200, &page::success(what)),
            Err(why) => respond(self.request, 200, &page::error(why)),
        }
    }

    /// Tells the browser that the code went to the terminal, for
    /// `tether authorize`: the exchange happens on another machine.
    pub fn show_handed_off(self) {
        respond(self.request, 200, &page::handed_off());
    }
}

fn respond(request: Request, status: u16, html: &str) {
    let header = Header::from_bytes("Content-Type", "text/html; charset=utf-8")
        .expect("a static header is valid");
    let response = HttpResponse::from_string(html)
        .with_status_code(status)
        .with_header(header);
    // The browser may have gone; nothing to do about it.
    let _ = request.respond(response);
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
}
