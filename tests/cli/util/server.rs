//! The HTTP machinery under the test servers ([`super::api`],
//! [`super::fake_provider`]): `tiny_http` on an ephemeral loopback port, a
//! handler that turns a [`Received`] request into a [`Reply`], and the
//! checks that make a test server notice what a test missed.
//!
//! Each request runs on a thread of its own, so a slow answer holds up no
//! other request. When a [`TestServer`] is dropped (and the test is not
//! already failing), it fails the test when
//!
//! * a handler panicked: the panic is raised again here, so an assertion
//!   inside a handler cannot vanish into a 500 the client shrugs off;
//! * it was never called, unless the test said so with
//!   [`TestServer::expect_no_calls`] (then it fails when it *was* called).

use std::io::Read;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use serde_json::Value;

/// One request as a server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    /// The path as sent, without the query.
    pub path: String,
    /// Decoded query parameters, in order.
    pub query: Vec<(String, String)>,
    /// Headers in order, names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    /// The first value of a header (`name` in lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        first(&self.headers, name)
    }

    /// The first value of a query parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        first(&self.query, name)
    }

    fn read(request: &mut tiny_http::Request) -> Received {
        let target = request.url().to_string();
        let (path, query) = target.split_once('?').unwrap_or((&target, ""));
        let mut body = Vec::new();
        request
            .as_reader()
            .read_to_end(&mut body)
            .expect("the request body can be read");
        Received {
            method: request.method().as_str().to_string(),
            path: path.to_string(),
            query: super::form_decode(query.as_bytes()),
            headers: request
                .headers()
                .iter()
                .map(|h| {
                    (
                        h.field.as_str().as_str().to_ascii_lowercase(),
                        h.value.as_str().to_string(),
                    )
                })
                .collect(),
            body,
        }
    }
}

/// An answer about to be sent. `tiny_http` adds `Server`, `Date` and
/// `Content-Length`, and sends no body to `HEAD` or with 1xx, 204 and 304.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// A body made while it is sent, instead of `body`.
    stream: Option<Stream>,
}

/// A body read as it is sent, for answers too big or too slow to hold:
/// with a length, sent as it is read after that `Content-Length`; without
/// one, chunked.
struct Stream {
    length: Option<usize>,
    reader: Box<dyn Read + Send>,
}

impl std::fmt::Debug for Stream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stream")
            .field("length", &self.length)
            .finish_non_exhaustive()
    }
}

impl Reply {
    pub fn json(status: u16, value: &Value) -> Reply {
        Reply::bytes(status, "application/json", value.to_string().into_bytes())
    }

    pub fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".to_string(), content_type.to_string())],
            body,
            stream: None,
        }
    }

    /// A body read from `reader` while it is sent: after `Content-Length:
    /// length` when given, else chunked. With a length, each piece `reader`
    /// yields goes out at once when it is 1 KiB or more (a shorter one
    /// waits in tiny_http's buffer for the next). The client may leave
    /// before the end, or the end may never come.
    pub fn stream(
        status: u16,
        content_type: &str,
        length: Option<usize>,
        reader: impl Read + Send + 'static,
    ) -> Reply {
        Reply {
            stream: Some(Stream {
                length,
                reader: Box::new(reader),
            }),
            ..Reply::bytes(status, content_type, Vec::new())
        }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Reply {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    fn send(self, request: tiny_http::Request) {
        let headers: Vec<tiny_http::Header> = self
            .headers
            .iter()
            .map(|(name, value)| {
                tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
                    .expect("an ASCII header")
            })
            .collect();
        // The client may have gone (a test of time-outs): nothing to tell.
        if let Some(stream) = self.stream {
            let response = tiny_http::Response::new(
                self.status.into(),
                headers,
                stream.reader,
                stream.length,
                None,
            );
            let _ = request.respond(response);
            return;
        }
        // No body where HTTP allows none (tiny_http would still count it).
        let body = match self.status {
            100..=199 | 204 | 304 => Vec::new(),
            _ => self.body,
        };
        let mut response = tiny_http::Response::from_data(body).with_status_code(self.status);
        for header in headers {
            response.add_header(header);
        }
        let _ = request.respond(response);
    }
}

type Handler = dyn Fn(&Received) -> Reply + Send + Sync;

/// A running server; see the module docs for what its drop checks.
pub struct TestServer {
    pub port: u16,
    /// What the drop checks call it.
    name: &'static str,
    server: Arc<tiny_http::Server>,
    stopping: Arc<AtomicBool>,
    dispatcher: Option<JoinHandle<()>>,
    handlers: Arc<Mutex<Vec<JoinHandle<()>>>>,
    hits: Arc<AtomicUsize>,
    expect_no_calls: AtomicBool,
}

impl std::fmt::Debug for TestServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestServer")
            .field("name", &self.name)
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl TestServer {
    /// Serves `handler` on 127.0.0.1 until dropped.
    pub fn start(
        name: &'static str,
        handler: impl Fn(&Received) -> Reply + Send + Sync + 'static,
    ) -> TestServer {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("a loopback port"));
        let port = server.server_addr().to_ip().expect("an IP listener").port();
        let handler: Arc<Handler> = Arc::new(handler);
        let stopping = Arc::new(AtomicBool::new(false));
        let handlers = Arc::new(Mutex::new(Vec::new()));
        let hits = Arc::new(AtomicUsize::new(0));
        let dispatcher = {
            let (server, stopping) = (Arc::clone(&server), Arc::clone(&stopping));
            let (handlers, hits) = (Arc::clone(&handlers), Arc::clone(&hits));
            std::thread::spawn(move || {
                loop {
                    let mut request = match server.recv() {
                        Ok(request) => request,
                        Err(_) if stopping.load(Ordering::SeqCst) => break,
                        Err(_) => continue, // a failed accept
                    };
                    hits.fetch_add(1, Ordering::SeqCst);
                    let handler = Arc::clone(&handler);
                    let thread = std::thread::spawn(move || {
                        let received = Received::read(&mut request);
                        // A panic drops the request: tiny_http answers 500.
                        handler(&received).send(request);
                    });
                    handlers.lock().unwrap().push(thread);
                }
            })
        };
        TestServer {
            port,
            name,
            server,
            stopping,
            dispatcher: Some(dispatcher),
            handlers,
            hits,
            expect_no_calls: AtomicBool::new(false),
        }
    }

    /// Requests received since the start.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    /// Declares that this server must receive no request at all: a
    /// destination tether must not reach.
    pub fn expect_no_calls(&self) {
        self.expect_no_calls.store(true, Ordering::SeqCst);
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        self.server.unblock();
        if let Some(dispatcher) = self.dispatcher.take() {
            let _ = dispatcher.join();
        }
        let threads = std::mem::take(&mut *self.handlers.lock().unwrap());
        let panics: Vec<String> = threads
            .into_iter()
            .filter_map(|thread| thread.join().err())
            .map(|payload| panic_message(payload.as_ref()))
            .collect();
        if std::thread::panicking() {
            return;
        }
        let name = self.name;
        assert!(
            panics.is_empty(),
            "a handler of the {name} panicked: {}",
            panics.join("; ")
        );
        let hits = self.hits();
        if self.expect_no_calls.load(Ordering::SeqCst) {
            assert_eq!(hits, 0, "the {name} expected no call");
        } else {
            assert!(
                hits > 0,
                "the {name} was never called (say `expect_no_calls()` if that is the point)"
            );
        }
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(a panic without a message)".to_string())
}

pub fn first<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(server: &TestServer, path: &str) -> super::super::http::Reply {
        super::super::http::send(
            "GET",
            &format!("http://127.0.0.1:{}{path}", server.port),
            &[],
            None,
        )
    }

    #[test]
    fn a_handler_panic_fails_the_test_when_the_server_is_dropped() {
        let server = TestServer::start("test server", |received| {
            assert_eq!(received.path, "/expected", "a handler's own check");
            Reply::json(200, &serde_json::json!({}))
        });
        assert_eq!(get(&server, "/unexpected").status, 500);
        let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(server)));
        assert_eq!(
            panic_message(dropped.unwrap_err().as_ref()),
            "a handler of the test server panicked: assertion `left == right` failed: a handler's own check\n  \
             left: \"/unexpected\"\n \
             right: \"/expected\""
        );
    }

    #[test]
    fn a_server_never_called_fails_the_test_unless_that_was_expected() {
        let server = TestServer::start("idle server", |_| unreachable!());
        let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(server)));
        assert_eq!(
            panic_message(dropped.unwrap_err().as_ref()),
            "the idle server was never called (say `expect_no_calls()` if that is the point)"
        );

        let server = TestServer::start("idle server", |_| unreachable!());
        server.expect_no_calls();
        drop(server);

        let server = TestServer::start("quiet server", |_| Reply::json(204, &Value::Null));
        server.expect_no_calls();
        assert_eq!(get(&server, "/").status, 204);
        let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(server)));
        assert_eq!(
            panic_message(dropped.unwrap_err().as_ref()),
            "assertion `left == right` failed: the quiet server expected no call\n  left: 1\n right: 0"
        );
    }
}
