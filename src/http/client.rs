//! The one place that builds the HTTP client, and the one rule that picks
//! it for every request tether makes — token, refresh, revocation, device,
//! discovery, metadata and `invoke` alike ([`Route`]):
//!
//! * https goes through a client that verifies servers; a proxy from the
//!   environment (`HTTPS_PROXY`, `ALL_PROXY`, …) may carry it, inside a TLS
//!   tunnel it cannot read;
//! * plain http goes only to loopback hosts, straight there: never through
//!   a proxy, which would read the client secret, the code or the tokens in
//!   cleartext, and without loading TLS roots, which is where the start-up
//!   time of a local call goes;
//! * plain http to any other host is refused.
//!
//! [`Net::client_for`] is the only way to a client, and it takes the URL
//! the request goes to, so a request cannot take another route than its
//! URL's. No client follows redirects by itself: token endpoints must not
//! redirect, and `invoke` follows them itself (`send`).
//!
//! TLS is rustls with the `ring` provider and the platform's certificate
//! verifier (DESIGN §8: aws-lc-rs costs tens of milliseconds of start-up,
//! OpenSSL a hundred). When the platform has no usable roots, the build
//! falls back to the bundled webpki roots rather than failing. A client is
//! built only by commands that make a request, so `service list` never
//! pays for TLS.

use std::cell::OnceCell;
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use crate::config::hosts::is_loopback;
use crate::{Error, Result};

/// How a request travels, by its URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Verified TLS; a proxy from the environment may carry it.
    Tls,
    /// Plain http to a loopback host: no proxy, no TLS roots.
    Loopback,
}

impl Route {
    /// The route of a request to `url`; `None` for plain http to a host
    /// that is not loopback, which tether never sends. Another scheme
    /// takes [`Route::Tls`], whose client refuses it before sending.
    pub fn of(url: &Url) -> Option<Route> {
        match url.scheme() {
            "http" if is_loopback(url) => Some(Route::Loopback),
            "http" => None,
            _ => Some(Route::Tls),
        }
    }
}

/// What part of the network could not be set up ([`Error::NetSetup`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetPart {
    HttpClient,
    Tls,
    Runtime,
}

/// Reads after "cannot ".
impl std::fmt::Display for NetPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            NetPart::HttpClient => "set up the HTTP client",
            NetPart::Tls => "set up TLS",
            NetPart::Runtime => "start the async runtime",
        })
    }
}

fn setup_failed(part: NetPart, e: impl std::fmt::Display) -> Error {
    Error::NetSetup {
        part,
        detail: e.to_string(),
    }
}

/// Builds the client of `route`, with this request timeout.
fn build(timeout: Duration, route: Route) -> Result<reqwest::Client> {
    // Installing fails only when a provider is already installed, which is
    // what we want either way.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let builder = || {
        reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("tether/", env!("CARGO_PKG_VERSION")))
    };
    if route == Route::Loopback {
        return builder()
            .no_proxy()
            .tls_certs_only(Vec::new())
            .build()
            .map_err(|e| setup_failed(NetPart::HttpClient, e));
    }
    match builder().build() {
        Ok(client) => Ok(client),
        Err(_) => {
            let mut roots = rustls::RootCertStore::empty();
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let tls = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map_err(|e| setup_failed(NetPart::Tls, e))?
                .with_root_certificates(roots)
                .with_no_client_auth();
            builder()
                .use_preconfigured_tls(tls)
                .build()
                .map_err(|e| setup_failed(NetPart::HttpClient, e))
        }
    }
}

/// A current-thread runtime: tether makes one request at a time, and a
/// multi-threaded runtime would only add start-up cost.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| setup_failed(NetPart::Runtime, e))
}

/// Why a request failed, in words: the reqwest error without its URL
/// (whose query may hold a key) and with its causes; the caller says what
/// was being done.
pub fn failure_reason(err: reqwest::Error) -> String {
    let err = err.without_url();
    let mut text = if err.is_timeout() {
        "timed out".to_string()
    } else if err.is_connect() {
        "could not connect".to_string()
    } else {
        err.to_string()
    };
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// The network, built on first use: a client per [`Route`] and the
/// runtime that drives them. Commands that find a valid token and make no
/// request never pay for either.
#[derive(Debug)]
pub struct Net {
    timeout: Duration,
    tls: OnceCell<reqwest::Client>,
    loopback: OnceCell<reqwest::Client>,
    runtime: OnceCell<tokio::runtime::Runtime>,
}

impl Net {
    /// `timeout` bounds each request.
    pub fn new(timeout: Duration) -> Net {
        Net {
            timeout,
            tls: OnceCell::new(),
            loopback: OnceCell::new(),
            runtime: OnceCell::new(),
        }
    }

    /// The client for a request to `url`, by [`Route::of`]. A URL that
    /// does not parse gets the TLS client, which refuses it as reqwest
    /// does, before sending anything.
    pub fn client_for(&self, url: &str) -> Result<&reqwest::Client> {
        let route = match Url::parse(url) {
            Ok(parsed) => Route::of(&parsed).ok_or_else(|| Error::PlainHttpOffLoopback {
                host: parsed.host_str().unwrap_or_default().to_string(),
            })?,
            Err(_) => Route::Tls,
        };
        let cell = match route {
            Route::Tls => &self.tls,
            Route::Loopback => &self.loopback,
        };
        if let Some(client) = cell.get() {
            return Ok(client);
        }
        let client = build(self.timeout, route)?;
        Ok(cell.get_or_init(|| client))
    }

    /// Runs `future` to completion.
    pub fn block_on<T>(&self, future: impl std::future::Future<Output = Result<T>>) -> Result<T> {
        let runtime = match self.runtime.get() {
            Some(runtime) => runtime,
            None => {
                let runtime = runtime()?;
                self.runtime.get_or_init(|| runtime)
            }
        };
        runtime.block_on(future)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_goes_only_to_loopback_and_never_through_a_proxy() {
        let route = |url: &str| Route::of(&Url::parse(url).unwrap());
        assert_eq!(route("https://api.example.com/x"), Some(Route::Tls));
        assert_eq!(route("https://127.0.0.1/x"), Some(Route::Tls));
        assert_eq!(route("http://127.0.0.1:8080/token"), Some(Route::Loopback));
        assert_eq!(route("http://localhost/x"), Some(Route::Loopback));
        assert_eq!(route("http://[::1]:9/x"), Some(Route::Loopback));
        assert_eq!(route("http://api.example.com/x"), None);
        assert_eq!(route("http://10.0.0.1/x"), None);

        let net = Net::new(Duration::from_secs(1));
        let loopback = net.client_for("http://127.0.0.1:1/token").unwrap();
        let tls = net.client_for("https://example.com/token").unwrap();
        assert!(!std::ptr::eq(loopback, tls), "one client per route");
        assert!(std::ptr::eq(
            loopback,
            net.client_for("http://localhost:2/revoke").unwrap()
        ));
        let refused = net.client_for("http://example.com/token").unwrap_err();
        assert!(
            matches!(&refused, Error::PlainHttpOffLoopback { host } if host == "example.com"),
            "{refused:?}"
        );
    }
}
