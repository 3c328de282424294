//! The API server of the invoke tests: a small HTTP/1.1 server on loopback
//! that records every request and answers by route, so a test can check both
//! what tether sent and how it reacts to what an API answers.
//!
//! [`Api::start`] binds an ephemeral port on 127.0.0.1; one thread accepts,
//! one thread serves each connection, and every response closes the
//! connection (`Connection: close`), so no request waits behind another.
//! The server stops when the value is dropped.
//!
//! Routes (any method; `{…}` is a path segment):
//!
//! | route | answer |
//! | --- | --- |
//! | `/echo`, `/echo/…` | 200 and the request as JSON: see [`echo`] |
//! | `/protected/…` | with [`ApiOptions::introspect`]: 401 without a Bearer token or for an inactive one (RFC 6750 §3.1), else the echo with the token's `sub`, `scope` and `client_id` |
//! | `/status/{code}` | that status, body `{"status": code}` (none for 1xx, 204, 304), no `Location` |
//! | `/redirect/same?to=P`, `/redirect/cross?to=URL` | 302 to `to` (a path here, or another server) |
//! | `/redirect/{code}?to=…` | that 3xx to `to`, by default `/echo/after-{code}` |
//! | `/flaky/{n}…` | 503 with `Retry-After: 0` to the first `n` requests for the path, then the echo |
//! | `/ratelimit…` | 429 with `Retry-After: 1` to the first request for the path, then the echo |
//! | `/unauthorized-once…` | 401 to the first request of each `Authorization` value, then the echo: an API that dropped a token early |
//! | `/basic` | the echo with `basic_user` and `basic_password` (null without Basic) |
//! | `/apikey` | the echo |
//! | `/slow?ms=N` | the echo after N milliseconds |
//! | `/bytes` | [`BYTES`] as `application/octet-stream` |
//! | anything else | 404 `{"status": 404, "error": "no route", "path": …}` |
//!
//! The route memories (flaky, ratelimit, unauthorized-once) count per path,
//! so one server can serve several such tests: `/flaky/2/a`, `/flaky/2/b`.
//! Nothing about tokens is cached: a revoked token is refused at once.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

/// The body of `/bytes`: not UTF-8, with a NUL and a newline in it.
pub const BYTES: &[u8] = &[0x00, 0xff, 0xfe, 0x80, b'b', b'i', b'n', b'\n', 0xc3, 0x28];

/// A bound on reading one request and on the introspection call, so a
/// client or server that hangs ends its thread instead of leaking it.
const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// How a server differs from the default one.
#[derive(Debug, Clone, Default)]
pub struct ApiOptions {
    introspection: Option<Introspection>,
}

#[derive(Debug, Clone)]
struct Introspection {
    url: String,
    client_id: String,
    client_secret: String,
}

impl ApiOptions {
    /// Validates the Bearer token of `/protected/…` requests at an RFC 7662
    /// introspection endpoint (`http://` only), as the client `client_id`
    /// with HTTP Basic: `oidc.introspection_url()` with [`super::oidc::API`].
    pub fn introspect(url: &str, client_id: &str, client_secret: &str) -> ApiOptions {
        ApiOptions {
            introspection: Some(Introspection {
                url: url.to_string(),
                client_id: client_id.to_string(),
                client_secret: client_secret.to_string(),
            }),
        }
    }
}

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The path as sent, without the query.
    pub path: String,
    /// Decoded query parameters, in order.
    pub query: Vec<(String, String)>,
    /// Headers in order, names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    /// The first value of a header (`name` in lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        first(&self.headers, name)
    }

    /// The first value of a query parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        first(&self.query, name)
    }
}

/// A running API server.
#[derive(Debug)]
pub struct Api {
    pub port: u16,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    state: Arc<State>,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

#[derive(Debug, Default)]
struct State {
    options: ApiOptions,
    requests: Mutex<Vec<Recorded>>,
    /// How often each route memory has been hit, by key.
    seen: Mutex<HashMap<String, u32>>,
}

impl Api {
    pub fn start() -> Api {
        Api::start_with(ApiOptions::default())
    }

    pub fn start_with(options: ApiOptions) -> Api {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(State {
            options,
            ..State::default()
        });
        let stop = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let (state, stop) = (Arc::clone(&state), Arc::clone(&stop));
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    if let Ok(stream) = stream {
                        let state = Arc::clone(&state);
                        std::thread::spawn(move || serve(&state, stream));
                    }
                }
            })
        };
        Api {
            port,
            base: format!("http://127.0.0.1:{port}"),
            state,
            stop,
            acceptor: Some(acceptor),
        }
    }

    /// `base` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Every request received since the start or the last [`Api::reset`].
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.requests.lock().unwrap().clone()
    }

    /// The last request received; panics when there is none.
    pub fn last(&self) -> Recorded {
        self.requests().pop().expect("the API received a request")
    }

    pub fn hits(&self) -> usize {
        self.state.requests.lock().unwrap().len()
    }

    /// Forgets the recorded requests. The route memories stay: a flaky path
    /// that has recovered stays recovered.
    pub fn reset(&self) {
        self.state.requests.lock().unwrap().clear();
    }
}

impl Drop for Api {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // The acceptor sees the flag once `accept` returns.
        if TcpStream::connect(("127.0.0.1", self.port)).is_ok()
            && let Some(acceptor) = self.acceptor.take()
        {
            let _ = acceptor.join();
        }
    }
}

/// An answer about to be written.
struct Response {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    fn json(status: u16, value: &Value) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", "application/json".to_string())],
            body: value.to_string().into_bytes(),
        }
    }

    fn header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }
}

fn serve(state: &State, stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
    let Ok(writer) = stream.try_clone() else {
        return;
    };
    // A connection that sends no request (the one of `Drop`) is not one.
    let Some(request) = read_request(&mut BufReader::new(stream)) else {
        return;
    };
    state.requests.lock().unwrap().push(request.clone());
    let response = route(state, &request);
    let _ = write_response(writer, &request.method, &response);
}

fn route(state: &State, request: &Recorded) -> Response {
    let path = request.path.as_str();
    let mut segments = path.trim_start_matches('/').split('/');
    match segments.next().unwrap_or("") {
        "echo" => Response::json(200, &echo(request)),
        "protected" => protected(state, request),
        "status" => {
            let code = segments.next().and_then(|s| s.parse().ok()).unwrap_or(400);
            Response::json(code, &json!({ "status": code }))
        }
        "redirect" => {
            let code = match segments.next() {
                Some("same" | "cross") => 302,
                other => other.and_then(|s| s.parse().ok()).unwrap_or(302),
            };
            let default = format!("/echo/after-{code}");
            let to = request.param("to").unwrap_or(&default);
            Response::json(code, &json!({ "status": code })).header("Location", to)
        }
        "flaky" => {
            let failures = segments.next().and_then(|s| s.parse().ok()).unwrap_or(1);
            if state.count(path) <= failures {
                Response::json(503, &json!({ "status": 503 })).header("Retry-After", "0")
            } else {
                Response::json(200, &echo(request))
            }
        }
        "ratelimit" => {
            if state.count(path) == 1 {
                Response::json(429, &json!({ "status": 429 })).header("Retry-After", "1")
            } else {
                Response::json(200, &echo(request))
            }
        }
        "unauthorized-once" => {
            let authorization = request.header("authorization").unwrap_or("");
            if state.count(&format!("{path} {authorization}")) == 1 {
                Response::json(401, &json!({ "status": 401 }))
                    .header("WWW-Authenticate", r#"Bearer error="invalid_token""#)
            } else {
                Response::json(200, &echo(request))
            }
        }
        "basic" => {
            let (user, password) = basic_credentials(request).unzip();
            let mut value = echo(request);
            value["basic_user"] = json!(user);
            value["basic_password"] = json!(password);
            Response::json(200, &value)
        }
        "slow" => {
            let ms = request
                .param("ms")
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            std::thread::sleep(Duration::from_millis(ms));
            Response::json(200, &echo(request))
        }
        "bytes" => Response {
            status: 200,
            headers: vec![("Content-Type", "application/octet-stream".to_string())],
            body: BYTES.to_vec(),
        },
        "apikey" => Response::json(200, &echo(request)),
        _ => Response::json(
            404,
            &json!({ "status": 404, "error": "no route", "path": path }),
        ),
    }
}

impl State {
    /// Counts one more request for `key`; returns the new count.
    fn count(&self, key: &str) -> u32 {
        let mut seen = self.seen.lock().unwrap();
        let n = seen.entry(key.to_string()).or_insert(0);
        *n += 1;
        *n
    }
}

/// The request as JSON: `{"method", "path", "query", "headers", "body",
/// "authorization"}`. `query` and `headers` are objects whose values are
/// strings, or lists when a name repeats; `body` is the JSON body parsed,
/// else the body as a (lossy UTF-8) string, or null when empty;
/// `authorization` is the header's value or null.
fn echo(request: &Recorded) -> Value {
    let body = if request.body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&request.body)
            .unwrap_or_else(|_| String::from_utf8_lossy(&request.body).into())
    };
    json!({
        "method": request.method,
        "path": request.path,
        "query": group(&request.query),
        "headers": group(&request.headers),
        "body": body,
        "authorization": request.header("authorization"),
    })
}

fn protected(state: &State, request: &Recorded) -> Response {
    let Some(introspection) = &state.options.introspection else {
        let error = "the Api was started without ApiOptions::introspect";
        return Response::json(500, &json!({ "error": error }));
    };
    let Some(token) = request
        .header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return Response::json(401, &json!({ "status": 401 })).header("WWW-Authenticate", "Bearer");
    };
    let answer = match introspect(introspection, token) {
        Ok(answer) => answer,
        Err(error) => return Response::json(502, &json!({ "error": error })),
    };
    if answer["active"] != true {
        return Response::json(401, &json!({ "status": 401 }))
            .header("WWW-Authenticate", r#"Bearer error="invalid_token""#);
    }
    let mut value = echo(request);
    for field in ["sub", "scope", "client_id"] {
        value[field] = answer[field].clone();
    }
    Response::json(200, &value)
}

/// One introspection request (RFC 7662 §2.1). HTTP/1.0, so the answer is
/// never chunked and ends when the server closes the connection.
fn introspect(introspection: &Introspection, token: &str) -> Result<Value, String> {
    let rest = introspection
        .url
        .strip_prefix("http://")
        .ok_or("not an http:// URL")?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let body = format!("token={}", super::form_encode(token));
    let credentials = format!(
        "{}:{}",
        introspection.client_id, introspection.client_secret
    );
    let head = format!(
        "POST {path} HTTP/1.0\r\nHost: {authority}\r\nAuthorization: Basic {}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\n\
         Content-Length: {}\r\n\r\n",
        STANDARD.encode(credentials),
        body.len()
    );
    let mut stream = TcpStream::connect(authority).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(IO_TIMEOUT))
        .map_err(|e| e.to_string())?;
    stream
        .write_all(format!("{head}{body}").as_bytes())
        .map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&raw);
    let (status_line, rest) = text.split_once("\r\n").ok_or("no status line")?;
    let (_, body) = rest.split_once("\r\n\r\n").ok_or("no end of headers")?;
    if status_line.split(' ').nth(1) != Some("200") {
        return Err(format!("introspection answered {status_line}: {body}"));
    }
    serde_json::from_str(body).map_err(|e| format!("introspection answered no JSON: {e}"))
}

/// Reads one request: the head, then a `Content-Length` or chunked body.
fn read_request(reader: &mut impl BufRead) -> Option<Recorded> {
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next()?.to_string(), parts.next()?);
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let (path, query) = (path.to_string(), super::form_decode(query.as_bytes()));
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).ok()?;
        let Some((name, value)) = line.trim_end().split_once(':') else {
            break;
        };
        headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
    }
    let mut body = Vec::new();
    if first(&headers, "transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        loop {
            line.clear();
            reader.read_line(&mut line).ok()?;
            let size = usize::from_str_radix(line.trim().split(';').next()?, 16).ok()?;
            let mut chunk = vec![0; size + 2]; // and its CRLF
            reader.read_exact(&mut chunk).ok()?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(length) = first(&headers, "content-length") {
        body = vec![0; length.parse().ok()?];
        reader.read_exact(&mut body).ok()?;
    }
    Some(Recorded {
        method,
        path,
        query,
        headers,
        body,
    })
}

fn write_response(mut stream: TcpStream, method: &str, response: &Response) -> std::io::Result<()> {
    let status = response.status;
    let bodiless = status < 200 || status == 204 || status == 304;
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nConnection: close\r\n",
        reason(status)
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !bodiless {
        head.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !bodiless && method != "HEAD" {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// The Basic user and password of the request, when it has them.
fn basic_credentials(request: &Recorded) -> Option<(String, String)> {
    let encoded = request.header("authorization")?.strip_prefix("Basic ")?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}

fn first<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Name-value pairs as a JSON object; a repeated name gets a list.
fn group(pairs: &[(String, String)]) -> Value {
    let mut object = Map::new();
    for (name, value) in pairs {
        match object.get_mut(name) {
            None => {
                object.insert(name.clone(), json!(value));
            }
            Some(Value::Array(values)) => values.push(json!(value)),
            Some(single) => *single = json!([single.take(), value]),
        }
    }
    Value::Object(object)
}
