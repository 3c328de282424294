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
//! OpenSSL a hundred). On Linux and the BSDs the platform's roots are the
//! system bundle, or `SSL_CERT_FILE` and `SSL_CERT_DIR` when set, as
//! OpenSSL reads them. When the platform has no usable roots, the build
//! falls back to the bundled webpki roots rather than failing. A client is
//! built only by commands that make a request, so `service list` never
//! pays for TLS.
//!
//! A service's `ca_file` (PEM) adds its certificates to those roots for
//! that service only: the command that talks to a service says so with
//! [`Net::trust`], and every https request it then makes — discovery,
//! token, refresh, revocation, API — takes a client built with them, kept
//! per file.

use std::cell::{OnceCell, RefCell};
use std::path::{Path, PathBuf};
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

/// Builds the client of `route`, with this request timeout; an https
/// client trusts `extra` besides the platform's roots.
fn build(timeout: Duration, route: Route, extra: &[Vec<u8>]) -> Result<reqwest::Client> {
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
    let merged = extra.iter().map(|der| reqwest::Certificate::from_der(der));
    let merged = merged
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| setup_failed(NetPart::Tls, e))?;
    match builder().tls_certs_merge(merged).build() {
        Ok(client) => Ok(client),
        Err(_) => {
            let mut roots = rustls::RootCertStore::empty();
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            for der in extra {
                roots
                    .add(rustls::pki_types::CertificateDer::from(der.clone()))
                    .map_err(|e| setup_failed(NetPart::Tls, e))?;
            }
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

/// The certificates of a PEM file (`ca_file`), in DER.
pub fn read_ca_file(path: &Path) -> Result<Vec<Vec<u8>>> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let pem = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let invalid = |detail: String| Error::InvalidCaFile {
        path: path.to_path_buf(),
        detail,
    };
    let certs = CertificateDer::pem_slice_iter(&pem)
        .map(|cert| cert.map(|c| c.to_vec()))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| invalid(format!("{e:?}")))?;
    if certs.is_empty() {
        return Err(invalid("it holds no PEM certificate".into()));
    }
    Ok(certs)
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
    /// The `ca_file` of the service this run talks to ([`Net::trust`]).
    ca_file: RefCell<Option<PathBuf>>,
    tls: OnceCell<reqwest::Client>,
    /// The https client that trusts a `ca_file` too, and that file: a
    /// command talks to one service, so one is kept.
    tls_with: OnceCell<(PathBuf, reqwest::Client)>,
    loopback: OnceCell<reqwest::Client>,
    runtime: OnceCell<tokio::runtime::Runtime>,
}

impl Net {
    /// `timeout` bounds each request.
    pub fn new(timeout: Duration) -> Net {
        Net {
            timeout,
            ca_file: RefCell::new(None),
            tls: OnceCell::new(),
            tls_with: OnceCell::new(),
            loopback: OnceCell::new(),
            runtime: OnceCell::new(),
        }
    }

    /// Trusts the certificates of `ca_file` (PEM) besides the platform's
    /// roots for the https requests that follow, or only the platform's
    /// with `None`: the `ca_file` of the service the command talks to.
    pub fn trust(&self, ca_file: Option<&Path>) {
        *self.ca_file.borrow_mut() = ca_file.map(Path::to_path_buf);
    }

    /// The client for a request to `url`, by [`Route::of`], trusting the
    /// `ca_file` of [`Net::trust`] for https. A URL that does not parse
    /// gets the TLS client, which refuses it as reqwest does, before
    /// sending anything.
    pub fn client_for(&self, url: &str) -> Result<&reqwest::Client> {
        let route = match Url::parse(url) {
            Ok(parsed) => Route::of(&parsed).ok_or_else(|| Error::PlainHttpOffLoopback {
                host: parsed.host_str().unwrap_or_default().to_string(),
            })?,
            Err(_) => Route::Tls,
        };
        let ca_file = self.ca_file.borrow().clone();
        let cell = match (route, ca_file) {
            (Route::Loopback, _) => &self.loopback,
            (Route::Tls, None) => &self.tls,
            (Route::Tls, Some(ca_file)) => return self.client_trusting(&ca_file),
        };
        if let Some(client) = cell.get() {
            return Ok(client);
        }
        let client = build(self.timeout, route, &[])?;
        Ok(cell.get_or_init(|| client))
    }

    /// The https client that trusts `ca_file` too, built on first use.
    fn client_trusting(&self, ca_file: &Path) -> Result<&reqwest::Client> {
        if let Some((trusted, client)) = self.tls_with.get() {
            return match trusted == ca_file {
                true => Ok(client),
                false => Err(setup_failed(
                    NetPart::Tls,
                    "one run trusts the `ca_file` of one service",
                )),
            };
        }
        let client = build(self.timeout, Route::Tls, &read_ca_file(ca_file)?)?;
        Ok(&self
            .tls_with
            .get_or_init(|| (ca_file.to_path_buf(), client))
            .1)
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
