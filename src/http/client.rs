//! The one place that builds the HTTP client.
//!
//! TLS is rustls with the `ring` provider and the platform's certificate
//! verifier (DESIGN §8: aws-lc-rs costs tens of milliseconds of start-up,
//! OpenSSL a hundred). When the platform has no usable roots, `build`
//! falls back to the bundled webpki roots rather than failing, even for
//! plain-http loopback calls. The client is built only by commands that
//! make a request, so `service list` never pays for TLS.

use std::sync::Arc;
use std::time::Duration;

use crate::{Error, Result};

/// How a client treats redirects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redirects {
    /// Never follow (token endpoints: a redirect there is a misconfiguration,
    /// and following it could send a code or a secret elsewhere).
    None,
    /// Follow at most this many; tether strips credentials on cross-origin
    /// hops itself.
    Follow(usize),
}

/// Whether a client can speak TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    /// Verify servers with the platform's roots (the webpki roots when the
    /// platform has none).
    Verify,
    /// No roots loaded at all: for plain-http loopback requests, which is
    /// where start-up time shows. An https URL fails with such a client.
    None,
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

/// Builds the HTTP client with this request timeout and redirect policy.
pub fn build(timeout: Duration, redirects: Redirects) -> Result<reqwest::Client> {
    build_with(timeout, redirects, Tls::Verify)
}

fn build_with(timeout: Duration, redirects: Redirects, tls: Tls) -> Result<reqwest::Client> {
    // Installing fails only when a provider is already installed, which is
    // what we want either way.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let policy = || match redirects {
        Redirects::None => reqwest::redirect::Policy::none(),
        Redirects::Follow(n) => reqwest::redirect::Policy::limited(n),
    };
    let builder = || {
        reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .redirect(policy())
            .user_agent(concat!("tether/", env!("CARGO_PKG_VERSION")))
    };
    if tls == Tls::None {
        // Plain http goes only to loopback hosts, which never need a proxy;
        // a proxy from `HTTP_PROXY` would see the credential in cleartext.
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

/// The network, built on first use: the HTTP client and the runtime that
/// drives it. Commands that find a valid token and make no request never
/// pay for either.
#[derive(Debug)]
pub struct Net {
    timeout: Duration,
    client: std::cell::OnceCell<reqwest::Client>,
    plain: std::cell::OnceCell<reqwest::Client>,
    runtime: std::cell::OnceCell<tokio::runtime::Runtime>,
}

impl Net {
    /// `timeout` bounds each request.
    pub fn new(timeout: Duration) -> Net {
        Net {
            timeout,
            client: std::cell::OnceCell::new(),
            plain: std::cell::OnceCell::new(),
            runtime: std::cell::OnceCell::new(),
        }
    }

    /// The client. It never follows redirects by itself: token endpoints
    /// must not redirect, and `invoke` follows them itself so that a
    /// credential never crosses to another origin.
    pub fn client(&self) -> Result<&reqwest::Client> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        let client = build(self.timeout, Redirects::None)?;
        Ok(self.client.get_or_init(|| client))
    }

    /// The client for `url`: one without TLS roots for plain http (only
    /// loopback hosts get plain http), so a local call does not pay for
    /// loading the platform's certificates.
    pub fn client_for(&self, url: &url::Url) -> Result<&reqwest::Client> {
        if url.scheme() != "http" {
            return self.client();
        }
        if let Some(client) = self.plain.get() {
            return Ok(client);
        }
        let client = build_with(self.timeout, Redirects::None, Tls::None)?;
        Ok(self.plain.get_or_init(|| client))
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
