//! Sending one request through a connection: redirects, retries, and the
//! rule that a credential never leaves the origin it was meant for.
//!
//! The client never follows redirects by itself. Here each hop is checked:
//! the credential goes on a hop only when its origin is the original
//! request's (scheme, host and port, DESIGN §6), and so do user-given
//! headers whose values are secret, whatever the 3xx:
//! [`SECRET_HEADERS`](super::target::SECRET_HEADERS) and the caller's (a
//! service's `api_key_header`). 303, and 301/302 after a POST, become a
//! GET without a body (RFC 9110 §15.4); 307 and 308 keep method and body.
//! A redirect to plain http on a host that is not loopback is not followed
//! ([`Route`]).
//! Idempotent requests are retried on 429, 502, 503 and 504 when asked,
//! honouring `Retry-After` (seconds) up to a cap.
//! A response's body is read into memory, or handed to a [`BodySink`] as
//! it arrives (`invoke -o FILE`).

use std::time::Duration;

use url::Url;

use super::client::{Net, Route};
use super::credential::Credential;
use super::target::{Method, is_secret_header, same_origin};
use crate::{Error, Result};

/// The most redirects followed (DESIGN §4).
pub const MAX_REDIRECTS: usize = 10;

/// The longest `Retry-After` honoured; a server asking for more is not
/// waited for.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// A request, before the credential.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    pub url: Url,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

/// A response, body read.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub reason: String,
    pub version: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The URL that answered (after redirects).
    pub url: Url,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What happened on the wire, for `-v`.
#[derive(Debug)]
pub enum Event<'a> {
    /// A request as sent (credential included; the printer redacts).
    Sent {
        method: Method,
        url: &'a Url,
        headers: &'a [(String, String)],
        body: Option<&'a [u8]>,
    },
    /// A response's status line and headers.
    Received(&'a Response),
    /// A note: a retry, a redirect whose credential was dropped.
    Note(String),
}

/// Where the body of each response goes as it arrives, instead of
/// [`Response::body`] (`invoke -o FILE`). Every response of one exchange —
/// a redirect, a retried 503, the final answer — restarts it, so it ends
/// up with the body of the last.
pub trait BodySink {
    /// A response begins: what earlier ones wrote is dropped.
    fn restart(&mut self) -> Result<()>;
    /// A response begins, with its status and headers: by default
    /// [`BodySink::restart`]. A sink that resumes a body or names its
    /// file after the answer looks at them.
    fn begin(&mut self, status: u16, headers: &[(String, String)]) -> Result<()> {
        let _ = (status, headers);
        self.restart()
    }
    /// The next bytes of its body.
    fn write(&mut self, bytes: &[u8]) -> Result<()>;
}

/// Sends `request`, following redirects and retrying as asked.
/// `secret_headers` names headers whose values are secret besides
/// [`SECRET_HEADERS`](super::target::SECRET_HEADERS); they stay behind on
/// a hop to another origin.
pub async fn send(
    net: &Net,
    request: &Request,
    credential: Option<&Credential>,
    secret_headers: &[&str],
    retries: u32,
    trace: &mut dyn FnMut(Event<'_>),
) -> Result<Response> {
    send_to(
        net,
        request,
        credential,
        secret_headers,
        retries,
        trace,
        None,
    )
    .await
}

/// Like [`send`], with each response's body going to `sink` (when given)
/// as it arrives; the [`Response::body`] returned is then empty.
pub async fn send_to(
    net: &Net,
    request: &Request,
    credential: Option<&Credential>,
    secret_headers: &[&str],
    retries: u32,
    trace: &mut dyn FnMut(Event<'_>),
    mut sink: Option<&mut dyn BodySink>,
) -> Result<Response> {
    let mut attempt = 0;
    loop {
        let response = follow(
            net,
            request,
            credential,
            secret_headers,
            trace,
            reborrow(&mut sink),
        )
        .await?;
        let retryable = matches!(response.status, 429 | 502 | 503 | 504);
        if !retryable || attempt >= retries || !request.method.is_idempotent() {
            return Ok(response);
        }
        let wait = retry_after(&response).unwrap_or_else(|| backoff(attempt));
        if wait > MAX_RETRY_AFTER {
            return Ok(response);
        }
        attempt += 1;
        trace(Event::Note(format!(
            "HTTP {}: retry {attempt} of {retries} in {}s",
            response.status,
            wait.as_secs_f32()
        )));
        tokio::time::sleep(wait).await;
    }
}

/// Sends and follows redirects.
async fn follow(
    net: &Net,
    request: &Request,
    credential: Option<&Credential>,
    secret_headers: &[&str],
    trace: &mut dyn FnMut(Event<'_>),
    mut sink: Option<&mut dyn BodySink>,
) -> Result<Response> {
    let origin = request.url.clone();
    let mut method = request.method;
    let mut url = request.url.clone();
    let mut body = request.body.clone();
    let mut hops = 0;
    loop {
        let same = same_origin(&origin, &url);
        let mut headers = request.headers.clone();
        let mut wire_url = url.clone();
        if same {
            if let Some(credential) = credential {
                // Signed anew on every hop and attempt (OAuth 1.0a).
                credential.apply_to(method, &mut headers, &mut wire_url, body.as_deref())?;
            }
        } else {
            headers.retain(|(name, _)| !is_secret_header(name, secret_headers));
        }
        if body.is_none() {
            headers.retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
        }
        trace(Event::Sent {
            method,
            url: &wire_url,
            headers: &headers,
            body: body.as_deref(),
        });
        let client = net.client_for(wire_url.as_str())?;
        // Messages and the response name `url`, the URL without the
        // credential: a query-parameter key must not reach an error line.
        let response = exchange(
            client,
            method,
            &wire_url,
            &url,
            &headers,
            body.as_deref(),
            reborrow(&mut sink),
        )
        .await?;
        trace(Event::Received(&response));

        let redirect = matches!(response.status, 301 | 302 | 303 | 307 | 308);
        let Some(location) = response.header("location").filter(|_| redirect) else {
            return Ok(response);
        };
        if hops == MAX_REDIRECTS {
            trace(Event::Note(format!(
                "stopped after {MAX_REDIRECTS} redirects"
            )));
            return Ok(response);
        }
        let Ok(next) = url.join(location) else {
            trace(Event::Note("the redirect's Location is not a URL".into()));
            return Ok(response);
        };
        if !matches!(next.scheme(), "http" | "https") {
            return Ok(response);
        }
        if Route::of(&next).is_none() {
            trace(Event::Note(format!(
                "not following the redirect to plain http on {}: tether sends plain http only to loopback hosts",
                next.host_str().unwrap_or_default()
            )));
            return Ok(response);
        }
        if response.status == 303
            || (matches!(response.status, 301 | 302) && method == Method::Post)
        {
            if method != Method::Head {
                method = Method::Get;
            }
            body = None;
        }
        if same && !same_origin(&origin, &next) && credential.is_some() {
            trace(Event::Note(format!(
                "redirected to another origin ({}): the credential stays behind",
                next.origin().ascii_serialization()
            )));
        }
        url = next;
        hops += 1;
    }
}

/// `sink` again, for one more response.
fn reborrow<'a>(sink: &'a mut Option<&mut dyn BodySink>) -> Option<&'a mut dyn BodySink> {
    sink.as_mut().map(|sink| &mut **sink as &mut dyn BodySink)
}

/// One HTTP exchange; the answer's body goes to `sink` when given.
async fn exchange(
    client: &reqwest::Client,
    method: Method,
    wire_url: &Url,
    url: &Url,
    headers: &[(String, String)],
    body: Option<&[u8]>,
    sink: Option<&mut dyn BodySink>,
) -> Result<Response> {
    let mut builder = client.request(reqwest::Method::from(method), wire_url.as_str());
    for (name, value) in headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    if let Some(body) = body {
        builder = builder.body(body.to_vec());
    }
    let failed = |e: reqwest::Error| Error::Network {
        what: format!("{method} {}", super::target::redact_url(url, &[])),
        reason: super::client::failure_reason(e),
    };
    let response = builder.send().await.map_err(failed)?;
    let status = response.status();
    let version = format!("{:?}", response.version());
    let headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = match sink {
        None => response.bytes().await.map_err(failed)?.to_vec(),
        Some(sink) => {
            let mut response = response;
            sink.begin(status.as_u16(), &headers)?;
            while let Some(chunk) = response.chunk().await.map_err(failed)? {
                sink.write(&chunk)?;
            }
            Vec::new()
        }
    };
    Ok(Response {
        status: status.as_u16(),
        reason: status.canonical_reason().unwrap_or("").to_string(),
        version,
        headers,
        body,
        url: url.clone(),
    })
}

/// A response's `Retry-After`, in seconds.
pub fn retry_after(response: &Response) -> Option<Duration> {
    response
        .header("retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}

/// 0.5 s, 1 s, 2 s, … up to 8 s.
pub fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(500 * 2u64.pow(attempt.min(4)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(0), Duration::from_millis(500));
        assert_eq!(backoff(2), Duration::from_secs(2));
        assert_eq!(backoff(9), Duration::from_secs(8));
    }
}
