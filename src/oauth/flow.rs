//! How `tether connect` authorizes a connection: which way the code comes
//! back, how long tether waits for it, and what the user is told on the
//! way.
//!
//! [`choose`] picks the [`Mode`] from the service and the command line,
//! with no side effect:
//!
//! * [`Mode::Device`] — the device authorization grant (RFC 8628), when
//!   asked for (`--device`) or when the service has no browser flow;
//! * [`Mode::Remote`] — another machine catches the redirect with
//!   `tether authorize` ([`catch_for_remote`]) and the user pastes the line
//!   it prints (`--remote`);
//! * [`Mode::Paste`] — the user pastes the address the browser ends on,
//!   when asked for (`--manual`) or when the redirect URI is https, which
//!   nothing local can catch;
//! * [`Mode::Listener`] — the loopback listener catches the redirect (RFC
//!   8252); when no browser opens and a person is at the terminal, the
//!   user pastes instead.
//!
//! [`authorize()`] runs it. What the user sees and types goes through a
//! [`Prompt`] and the time comes from a clock passed in, so the flow is
//! tested without a terminal. The PKCE verifier and the client secret
//! never leave this machine, even with `--remote`: the other machine only
//! sees the authorization URL and sends back the redirect, all of it.
//!
//! The service's endpoints are filled for the connection first
//! ([`Grant::endpoints`]); the parameters of the redirect that the service
//! names in `redirect_vars` (Zoho's `accounts-server`) are learnt, and the
//! code goes to the token endpoint they point at, when they are allowed
//! to ([`crate::config::endpoints`]). [`Authorized`] hands them back for
//! the connection's record.

use std::time::{Duration, Instant};

use oauth2::PkceCodeVerifier;
use url::Url;

use super::browser::OpenFailed;
use super::callback::{self, ErrorCode, Response};
use super::listener::{self, Listener, Waited};
use super::token::{self, Endpoint, Tokens};
use super::{Grant, MissingKeys};
use super::{authorize, device};
use crate::config::template::Vars;
use crate::config::{AuthKind, Service};
use crate::error::NeedsUser;
use crate::http::client::Net;
use crate::http::curl::quote;
use crate::store::Store;
use crate::{Error, Result};

/// The path of the default loopback redirect URI.
const CALLBACK_PATH: &str = "/callback";

/// What the person at the terminal sees and types, and the browser.
pub trait Prompt {
    /// Tells the user something: a URL to open, what to do next.
    fn note(&mut self, text: &str);
    /// Says that something went wrong without ending the flow.
    fn warn(&mut self, text: &str);
    /// Whether a person answers, who can correct a wrong paste.
    fn interactive(&self) -> bool;
    /// Shows `question` and reads the line the user pastes.
    fn paste(&mut self, question: &str) -> Result<String>;
    /// Opens `url` in a browser; `Err` says why it could not be.
    fn open(&mut self, url: &str) -> std::result::Result<(), OpenFailed>;
    /// Runs `work`, showing meanwhile that tether waits for `what`.
    fn waiting<T>(&mut self, what: &str, work: impl FnOnce() -> T) -> T;
}

/// What the command line asks of the flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `--device`: the device grant even where a browser flow exists.
    pub device: bool,
    /// `--manual`: paste the redirect instead of listening for it.
    pub manual: bool,
    /// `--remote`: another machine catches the redirect.
    pub remote: bool,
    /// `--no-browser`: print the URL, open nothing.
    pub no_browser: bool,
    /// `--port`, over the service's `redirect_port`.
    pub port: Option<u16>,
    /// `--timeout`: how long to wait for the browser or the device's user.
    pub timeout: Duration,
}

/// A loopback redirect URI: `http://{host}:{port}{path}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loopback {
    /// The loopback host as the provider knows it (`127.0.0.1` unless a
    /// pinned redirect_uri says `localhost` or `[::1]`).
    host: String,
    /// The port; 0 for any free one.
    port: u16,
    path: String,
}

impl Loopback {
    fn uri(&self, port: u16) -> String {
        format!("http://{}:{port}{}", self.host, self.path)
    }

    /// The fixed port, or a free one here. Nothing listens on it: a
    /// browser sent there shows an error page whose address bar holds the
    /// URL to paste.
    fn port_or_free(&self) -> Result<u16> {
        match self.port {
            0 => Ok(listener::bind(0, &self.path)?.port()),
            fixed => Ok(fixed),
        }
    }
}

/// Where the provider sends the browser back to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redirect {
    Loopback(Loopback),
    /// A pinned https redirect URI, for providers that accept nothing
    /// else: nothing local can catch it.
    Https(String),
}

/// How the authorization comes back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// The loopback listener catches the redirect.
    Listener(Loopback),
    /// The user pastes the address the browser ends on.
    Paste(Redirect),
    /// `tether authorize` on another machine catches the redirect; the
    /// user pastes what it prints.
    Remote(Loopback),
    /// The device grant, at the service's `device_authorization_url`.
    Device { url: String },
}

/// Picks the mode for `service` and the command line.
pub fn choose(service_name: &str, service: &Service, options: &Options) -> Result<Mode> {
    let device = options.device
        || service.auth == AuthKind::Device
        || (service.authorize_url.is_none() && service.device_authorization_url.is_some());
    if device {
        return match &service.device_authorization_url {
            Some(url) => Ok(Mode::Device { url: url.clone() }),
            None => Err(Error::IncompleteService {
                service: service_name.to_string(),
                missing: MissingKeys::DeviceAuthorizationUrl,
            }),
        };
    }
    match (redirect(service, options.port)?, options.remote) {
        (Redirect::Https(uri), true) => Err(Error::usage(
            format!("the redirect URI {uri} is https, which no tether can catch"),
            Some("connect without `--remote`, and paste the address the browser ends on".into()),
        )),
        (Redirect::Loopback(loopback), true) => Ok(Mode::Remote(loopback)),
        (Redirect::Loopback(loopback), false) if !options.manual => Ok(Mode::Listener(loopback)),
        (redirect, false) => Ok(Mode::Paste(redirect)),
    }
}

/// The redirect of `service`, with `port` over its fixed port.
fn redirect(service: &Service, port: Option<u16>) -> Result<Redirect> {
    let mut loopback = Loopback {
        host: "127.0.0.1".into(),
        port: 0,
        path: CALLBACK_PATH.into(),
    };
    if let Some(uri) = &service.redirect_uri {
        let url = Url::parse(uri)
            .map_err(|e| Error::usage(format!("redirect_uri is invalid: {e}"), None))?;
        if url.scheme() == "https" {
            return Ok(Redirect::Https(uri.clone()));
        }
        loopback.host = url.host_str().unwrap_or("127.0.0.1").to_string();
        loopback.port = url.port().unwrap_or(80);
        loopback.path = url.path().to_string();
    }
    if let Some(port) = port.or(service.redirect_port) {
        loopback.port = port;
    }
    Ok(Redirect::Loopback(loopback))
}

/// What an authorization brought back.
#[derive(Debug)]
pub struct Authorized {
    pub tokens: Tokens,
    /// The vars the redirect carried (the service's `redirect_vars`), for
    /// the connection's record.
    pub learnt: Vars,
}

/// Authorizes `grant` the way [`choose`] picks and returns its tokens.
/// `now` is the clock the deadline is read from.
pub fn authorize(
    grant: Grant<'_>,
    options: &Options,
    store: &Store,
    net: &Net,
    prompt: &mut impl Prompt,
    now: &dyn Fn() -> Instant,
) -> Result<Authorized> {
    // The endpoints of this connection; an unfilled placeholder (a shop, a
    // tenant) fails here, before the browser opens.
    let service = grant.endpoints(&Vars::new())?;
    let mode = choose(grant.service_name, &service, options)?;
    // Resolve the client secret before anything else: a missing secret
    // should fail before the user has gone through the consent screen.
    let endpoint = Endpoint::for_code(store, grant.service_name, &service)?;
    let flow = Flow {
        grant,
        service: &service,
        options,
        endpoint: &endpoint,
        net,
    };
    match mode {
        Mode::Device { url } => flow.on_a_device(&url, prompt).map(|tokens| Authorized {
            tokens,
            learnt: Vars::new(),
        }),
        Mode::Remote(loopback) => flow.remotely(&loopback, prompt),
        Mode::Listener(loopback) => {
            flow.through_browser(&Redirect::Loopback(loopback), true, prompt, now)
        }
        Mode::Paste(redirect) => flow.through_browser(&redirect, false, prompt, now),
    }
}

/// One authorization under way.
struct Flow<'a> {
    grant: Grant<'a>,
    /// The service with its endpoints filled for the connection.
    service: &'a Service,
    options: &'a Options,
    endpoint: &'a Endpoint,
    net: &'a Net,
}

impl Flow<'_> {
    /// The device grant: the user enters a code on any device while
    /// tether polls, until `--timeout` or the code's expiry.
    fn on_a_device(&self, device_url: &str, prompt: &mut impl Prompt) -> Result<Tokens> {
        let (net, endpoint) = (self.net, self.endpoint);
        let pending = net.block_on(device::start(net, endpoint, device_url, self.grant.scopes))?;
        prompt.note(&format!(
            "To authorize `{}` ({}), open {} and enter the code:\n\n  {}\n",
            self.grant.name, self.grant.service_name, pending.verification_uri, pending.user_code
        ));
        let page = pending
            .verification_uri_complete
            .as_deref()
            .unwrap_or(&pending.verification_uri);
        if !self.options.no_browser
            && let Err(why) = prompt.open(page)
        {
            prompt.warn(&format!("{why}; open the page above on any device"));
        }
        prompt.waiting("Waiting for approval…", || {
            net.block_on(device::poll(
                net,
                endpoint,
                device_url,
                &pending,
                self.options.timeout,
            ))
        })
    }

    /// The code flow through a browser on this machine: the listener
    /// catches the redirect when `listen`, else the user pastes it.
    fn through_browser(
        &self,
        redirect: &Redirect,
        listen: bool,
        prompt: &mut impl Prompt,
        now: &dyn Fn() -> Instant,
    ) -> Result<Authorized> {
        let grant = self.grant;
        let (listener, redirect_uri) = catcher(redirect, listen, prompt)?;
        let auth = authorize::start(
            grant.service_name,
            self.service,
            &redirect_uri,
            grant.scopes,
        )?;
        prompt.note(&format!(
            "Open this URL to authorize `{}` ({}):\n\n  {}\n",
            grant.name, grant.service_name, auth.url
        ));
        let listener = self.open_browser(auth.url.as_str(), listener, prompt)?;
        let deadline = now() + self.options.timeout;
        let Some(listener) = listener else {
            let (code, query) = read_pasted_code(prompt, &auth.state, grant)?;
            return self.exchange(code, &query, &redirect_uri, auth.verifier);
        };
        let waited = prompt.waiting("Waiting for the browser…", || {
            listener.wait(&auth.state, deadline, now)
        })?;
        let (callback, code) = match waited {
            Waited::Code(callback, code) => (callback, code),
            Waited::Refused { code, description } => {
                return Err(refused(Some(grant.service_name), code, description));
            }
            Waited::TimedOut => {
                return Err(Error::NotAuthorizedInTime {
                    name: grant.name.to_string(),
                    seconds: self.options.timeout.as_secs(),
                });
            }
        };
        let result = self.exchange(code, &callback.query(), &redirect_uri, auth.verifier);
        match &result {
            Ok(_) => callback.show_outcome(Ok(&format!("{} ({})", grant.name, grant.service_name))),
            Err(e) => callback.show_outcome(Err(&format!("tether could not finish: {e}"))),
        }
        result
    }

    /// Opens the browser at `url`, unless `--no-browser`. When none opens,
    /// a person at the terminal pastes the redirect instead of `listener`
    /// waiting for it; with nobody there, only the user can help.
    fn open_browser(
        &self,
        url: &str,
        listener: Option<Listener>,
        prompt: &mut impl Prompt,
    ) -> Result<Option<Listener>> {
        if self.options.no_browser {
            return Ok(listener);
        }
        let Err(why) = prompt.open(url) else {
            return Ok(listener);
        };
        prompt.warn(&why.to_string());
        if listener.is_none() {
            return Ok(None);
        }
        if !prompt.interactive() {
            return Err(Error::NeedsAuthorization {
                name: self.grant.name.to_string(),
                why: NeedsUser::NoBrowserNoTerminal,
            });
        }
        prompt.note("Open the URL on any device, then paste the address the browser ends on.");
        // Dropping the listener closes the port: a browser that still gets
        // there shows an error page whose address holds the URL to paste.
        Ok(None)
    }

    /// The headless half of `--remote`: the authorization URL goes to
    /// another machine, which catches the redirect on its own loopback
    /// port with `tether authorize` and sends back only the redirect URL.
    /// The state is checked here.
    fn remotely(&self, loopback: &Loopback, prompt: &mut impl Prompt) -> Result<Authorized> {
        let grant = self.grant;
        // The other machine listens on this port; one that is free here is
        // as good a guess as any for there.
        let redirect_uri = loopback.uri(loopback.port_or_free()?);
        let auth = authorize::start(
            grant.service_name,
            self.service,
            &redirect_uri,
            grant.scopes,
        )?;
        prompt.note(&format!(
            "On a machine with a browser, run:\n\n  tether authorize {}\n\nthen paste the line it prints here.",
            quote(auth.url.as_str())
        ));
        let (code, query) = read_pasted_code(prompt, &auth.state, grant)?;
        self.exchange(code, &query, &redirect_uri, auth.verifier)
    }

    /// Exchanges the code for tokens, with the verifier of its request, at
    /// the token endpoint the redirect's `query` points at.
    fn exchange(
        &self,
        code: String,
        query: &[(String, String)],
        redirect_uri: &str,
        verifier: Option<PkceCodeVerifier>,
    ) -> Result<Authorized> {
        let learnt = callback::redirect_vars(query, &self.service.redirect_vars);
        let endpoint = self.endpoint_after(&learnt)?;
        let tokens = self.net.block_on(token::exchange_code(
            self.net,
            &endpoint,
            code,
            redirect_uri,
            verifier,
        ))?;
        Ok(Authorized { tokens, learnt })
    }

    /// The token endpoint once the redirect has told `learnt`: its URLs
    /// filled again with them, which must stay on the service's
    /// `token_hosts`.
    fn endpoint_after(&self, learnt: &Vars) -> Result<Endpoint> {
        let mut endpoint = self.endpoint.clone();
        if learnt.is_empty() {
            return Ok(endpoint);
        }
        let service = self.grant.endpoints(learnt)?;
        endpoint.url = service.token_url.unwrap_or_default();
        if let (Some(metadata), Some(url)) = (endpoint.metadata.as_mut(), service.metadata_url) {
            metadata.url = url;
        }
        Ok(endpoint)
    }
}

/// What catches the redirect — the listener, bound now, when `listen` —
/// and the redirect URI the provider is given.
fn catcher(
    redirect: &Redirect,
    listen: bool,
    prompt: &mut impl Prompt,
) -> Result<(Option<Listener>, String)> {
    Ok(match redirect {
        Redirect::Https(uri) => {
            prompt.note(&format!(
                "The provider sends the browser to {uri}, which tether cannot receive: \
                 after consenting, copy the address the browser shows and paste it here."
            ));
            (None, uri.clone())
        }
        Redirect::Loopback(loopback) if listen => {
            let listener = listener::bind(loopback.port, &loopback.path)?;
            let uri = loopback.uri(listener.port());
            (Some(listener), uri)
        }
        Redirect::Loopback(loopback) => (None, loopback.uri(loopback.port_or_free()?)),
    })
}

/// Reads the redirect URL (or the bare code) the user pastes, asking
/// again while a person can correct it; the code, and the redirect's query.
fn read_pasted_code(
    prompt: &mut impl Prompt,
    state: &str,
    grant: Grant<'_>,
) -> Result<(String, Vec<(String, String)>)> {
    let interactive = prompt.interactive();
    loop {
        let text = prompt.paste("Paste the URL the browser ended on (or the code)")?;
        match callback::read_pasted(&text, state) {
            Response::Code(code) => return Ok((code, callback::pasted_query(&text))),
            Response::Error { code, description } => {
                return Err(refused(Some(grant.service_name), code, description));
            }
            Response::WrongState if interactive => prompt.warn(
                "that URL belongs to another authorization (its state differs); paste the newest one",
            ),
            Response::Malformed if interactive => {
                prompt.warn("that is neither a redirect URL with a code nor a code");
            }
            Response::WrongState | Response::Malformed => {
                return Err(Error::NeedsAuthorization {
                    name: grant.name.to_string(),
                    why: NeedsUser::NotThisRedirect,
                });
            }
        }
    }
}

/// The error for a provider's answer to the redirect.
fn refused(service: Option<&str>, code: ErrorCode, description: Option<String>) -> Error {
    Error::AuthorizationRefused {
        service: service.map(str::to_string),
        code,
        description,
    }
}

/// The browser half of `connect --remote` (`tether authorize URL`): opens
/// `url`, catches the redirect on the loopback port it names, and returns
/// the redirect URL with the code and the state, for the headless machine.
/// Needs no config and learns no secret.
pub fn catch_for_remote(
    url: &str,
    no_browser: bool,
    timeout: Duration,
    prompt: &mut impl Prompt,
    now: &dyn Fn() -> Instant,
) -> Result<Url> {
    let url = Url::parse(url.trim()).map_err(|e| {
        Error::usage(
            format!("that is not a URL ({e})"),
            Some("paste the whole `tether authorize '…'` line `connect --remote` printed".into()),
        )
    })?;
    let query: std::collections::HashMap<String, String> = url.query_pairs().into_owned().collect();
    let (Some(redirect), Some(state)) = (query.get("redirect_uri"), query.get("state")) else {
        return Err(Error::usage(
            "that URL has no redirect_uri or state: it is not an authorization URL from `tether connect --remote`",
            None,
        ));
    };
    let redirect = Url::parse(redirect)
        .map_err(|e| Error::usage(format!("its redirect_uri is not a URL ({e})"), None))?;
    if redirect.scheme() != "http" || !crate::config::hosts::is_loopback(&redirect) {
        return Err(Error::usage(
            format!(
                "its redirect_uri ({redirect}) is not a loopback address, so tether will not catch it"
            ),
            None,
        ));
    }
    let listener = listener::bind(redirect.port().unwrap_or(80), redirect.path())?;
    prompt.note(&format!("Open this URL to authorize:\n\n  {url}\n"));
    if !no_browser && let Err(why) = prompt.open(url.as_str()) {
        prompt.warn(&why.to_string());
    }
    let deadline = now() + timeout;
    let waited = prompt.waiting("Waiting for the browser…", || {
        listener.wait(state, deadline, now)
    })?;
    let (callback, code) = match waited {
        Waited::Code(callback, code) => (callback, code),
        Waited::Refused { code, description } => return Err(refused(None, code, description)),
        Waited::TimedOut => return Err(Error::RemoteNotAuthorizedInTime { waited: timeout }),
    };
    // The rest of the redirect goes too: the headless machine may need
    // what the provider said there (Zoho's `accounts-server`).
    let rest: Vec<(String, String)> = callback
        .query()
        .into_iter()
        .filter(|(key, _)| !matches!(key.as_str(), "code" | "state"))
        .collect();
    let mut result = redirect;
    result
        .query_pairs_mut()
        .clear()
        .append_pair("code", &code)
        .extend_pairs(rest)
        .append_pair("state", state);
    callback.show_handed_off();
    Ok(result)
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::collections::VecDeque;
    use std::io::{Read, Write};

    use super::*;
    use crate::config::Paths;
    use crate::exit;

    /// What the scripted browser does with a URL besides remembering it.
    type OnOpen = Box<dyn FnMut(&str)>;

    /// A prompt that answers from a script and keeps what it was told.
    /// `STATE` in a paste stands for the state of the URL last opened.
    #[derive(Default)]
    struct Script {
        interactive: bool,
        pastes: VecDeque<&'static str>,
        no_browser: bool,
        on_open: Option<OnOpen>,
        opened: Vec<String>,
        notes: Vec<String>,
        warnings: Vec<String>,
    }

    impl Prompt for Script {
        fn note(&mut self, text: &str) {
            self.notes.push(text.to_string());
        }

        fn warn(&mut self, text: &str) {
            self.warnings.push(text.to_string());
        }

        fn interactive(&self) -> bool {
            self.interactive
        }

        fn paste(&mut self, _question: &str) -> Result<String> {
            let state = self
                .opened
                .last()
                .and_then(|url| Url::parse(url).ok())
                .and_then(|url| {
                    url.query_pairs()
                        .find(|(k, _)| k == "state")
                        .map(|(_, v)| v.into_owned())
                })
                .unwrap_or_default();
            let text = self.pastes.pop_front().expect("a paste was asked for");
            Ok(text.replace("STATE", &state))
        }

        fn open(&mut self, url: &str) -> std::result::Result<(), OpenFailed> {
            self.opened.push(url.to_string());
            if let Some(on_open) = &mut self.on_open {
                on_open(url);
            }
            if self.no_browser {
                Err(OpenFailed::NoOpener {
                    detail: "no browser here".into(),
                })
            } else {
                Ok(())
            }
        }

        fn waiting<T>(&mut self, _what: &str, work: impl FnOnce() -> T) -> T {
            work()
        }
    }

    fn options() -> Options {
        Options {
            device: false,
            manual: false,
            remote: false,
            no_browser: false,
            port: None,
            timeout: Duration::from_secs(5),
        }
    }

    fn oauth2() -> Service {
        Service {
            auth: AuthKind::Oauth2,
            client_id: Some("id".into()),
            authorize_url: Some("https://auth.example/authorize".into()),
            token_url: Some("https://auth.example/token".into()),
            ..Service::default()
        }
    }

    fn loopback(host: &str, port: u16, path: &str) -> Loopback {
        Loopback {
            host: host.into(),
            port,
            path: path.into(),
        }
    }

    const NO_VARS: &Vars = &Vars::new();

    fn grant(service: &Service) -> Grant<'_> {
        Grant {
            name: "c",
            service_name: "svc",
            service,
            vars: NO_VARS,
            scopes: &[],
        }
    }

    /// Runs [`authorize`] with a file store in a fresh folder.
    fn run(
        service: &Service,
        options: &Options,
        script: &mut Script,
        now: &dyn Fn() -> Instant,
    ) -> Error {
        let root = tempfile::tempdir().unwrap();
        let store = Store::file(&Paths {
            config_file: root.path().join("tether.toml"),
            data_dir: root.path().join("data"),
            state_dir: root.path().join("state"),
        });
        let net = Net::new(Duration::from_secs(1));
        authorize(grant(service), options, &store, &net, script, now).unwrap_err()
    }

    fn get(url: &str) -> String {
        let url = Url::parse(url).unwrap();
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", url.port().unwrap())).unwrap();
        write!(
            stream,
            "GET {}?{} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            url.path(),
            url.query().unwrap_or("")
        )
        .unwrap();
        let mut text = String::new();
        stream.read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn the_listener_is_the_default_and_flags_pick_the_others() {
        let service = oauth2();
        let at = loopback("127.0.0.1", 0, "/callback");
        assert_eq!(
            choose("svc", &service, &options()).unwrap(),
            Mode::Listener(at.clone())
        );
        let manual = Options {
            manual: true,
            ..options()
        };
        assert_eq!(
            choose("svc", &service, &manual).unwrap(),
            Mode::Paste(Redirect::Loopback(at))
        );
        let remote = Options {
            remote: true,
            port: Some(8400),
            ..options()
        };
        assert_eq!(
            choose("svc", &service, &remote).unwrap(),
            Mode::Remote(loopback("127.0.0.1", 8400, "/callback"))
        );
    }

    #[test]
    fn a_pinned_redirect_decides_host_port_and_path_and_port_flags_win() {
        let pinned = Service {
            redirect_uri: Some("http://localhost:9000/cb".into()),
            ..oauth2()
        };
        assert_eq!(
            choose("svc", &pinned, &options()).unwrap(),
            Mode::Listener(loopback("localhost", 9000, "/cb"))
        );
        let fixed = Service {
            redirect_port: Some(7000),
            ..oauth2()
        };
        assert_eq!(
            choose("svc", &fixed, &options()).unwrap(),
            Mode::Listener(loopback("127.0.0.1", 7000, "/callback"))
        );
        let flag = Options {
            port: Some(7001),
            ..options()
        };
        assert_eq!(
            choose("svc", &fixed, &flag).unwrap(),
            Mode::Listener(loopback("127.0.0.1", 7001, "/callback"))
        );
    }

    #[test]
    fn an_https_redirect_is_pasted_and_cannot_go_remote() {
        let service = Service {
            redirect_uri: Some("https://example.com/cb".into()),
            ..oauth2()
        };
        assert_eq!(
            choose("svc", &service, &options()).unwrap(),
            Mode::Paste(Redirect::Https("https://example.com/cb".into()))
        );
        let remote = Options {
            remote: true,
            ..options()
        };
        let err = choose("svc", &service, &remote).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the redirect URI https://example.com/cb is https, which no tether can catch"
        );
        assert_eq!(err.exit_code(), exit::USAGE);
    }

    #[test]
    fn the_device_grant_when_asked_or_when_there_is_no_browser_flow() {
        let url = "https://auth.example/device".to_string();
        let both = Service {
            device_authorization_url: Some(url.clone()),
            ..oauth2()
        };
        assert!(matches!(
            choose("tv", &both, &options()).unwrap(),
            Mode::Listener(_)
        ));
        let device = Options {
            device: true,
            ..options()
        };
        let mode = Mode::Device { url };
        assert_eq!(choose("tv", &both, &device).unwrap(), mode);
        let no_browser_flow = Service {
            authorize_url: None,
            ..both.clone()
        };
        assert_eq!(choose("tv", &no_browser_flow, &options()).unwrap(), mode);
        let device_kind = Service {
            auth: AuthKind::Device,
            ..both
        };
        let manual = Options {
            manual: true,
            ..options()
        };
        assert_eq!(choose("tv", &device_kind, &manual).unwrap(), mode);

        let err = choose("tv", &oauth2(), &device).unwrap_err();
        assert_eq!(
            err.to_string(),
            "service `tv` has no device_authorization_url"
        );
        assert!(err.hint().unwrap().contains("--device-authorization-url"));
    }

    #[test]
    fn a_wrong_paste_is_asked_again_only_of_a_person() {
        let service = oauth2();
        let mut person = Script {
            interactive: true,
            pastes: VecDeque::from([
                "http://127.0.0.1:9/callback?code=x&state=other",
                "not a code at all",
                "http://127.0.0.1:9/callback?code=good&state=s",
            ]),
            ..Script::default()
        };
        let (code, query) = read_pasted_code(&mut person, "s", grant(&service)).unwrap();
        assert_eq!(code, "good");
        assert_eq!(
            query,
            [
                ("code".to_string(), "good".to_string()),
                ("state".to_string(), "s".to_string())
            ],
            "the whole redirect, for redirect_vars"
        );
        assert_eq!(person.warnings.len(), 2, "{:?}", person.warnings);

        let mut pipe = Script {
            pastes: VecDeque::from(["http://127.0.0.1:9/callback?code=x&state=other"]),
            ..Script::default()
        };
        let err = read_pasted_code(&mut pipe, "s", grant(&service)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "connection `c` was not authorized: what was pasted is not this authorization's redirect"
        );
        assert_eq!(err.exit_code(), exit::NEEDS_USER);
    }

    #[test]
    fn a_pasted_error_is_the_providers_refusal_with_the_key_to_change() {
        let service = oauth2();
        let mut script = Script {
            pastes: VecDeque::from([
                "http://127.0.0.1:9/callback?error=invalid_scope&error_description=bad&state=s",
            ]),
            ..Script::default()
        };
        let err = read_pasted_code(&mut script, "s", grant(&service)).unwrap_err();
        assert_eq!(err.to_string(), "the provider refused: invalid_scope (bad)");
        assert_eq!(err.exit_code(), exit::FAILURE);
        assert_eq!(
            err.hint().unwrap(),
            "the provider does not accept these scopes: change `scopes` with `tether service edit svc --scope SCOPE`"
        );
    }

    #[test]
    fn no_browser_and_no_terminal_needs_the_user_before_any_wait() {
        let mut script = Script {
            no_browser: true,
            ..Script::default()
        };
        let err = run(&oauth2(), &options(), &mut script, &Instant::now);
        assert_eq!(
            err.to_string(),
            "connection `c` cannot be authorized here: no browser could be opened and there is no terminal to paste into"
        );
        assert_eq!(err.exit_code(), exit::NEEDS_USER);
        assert!(
            script.notes[0].starts_with(
                "Open this URL to authorize `c` (svc):\n\n  https://auth.example/authorize?"
            ),
            "{:?}",
            script.notes
        );
        assert_eq!(
            script.warnings,
            ["could not open a browser: no browser here"]
        );
    }

    #[test]
    fn a_person_whose_browser_does_not_open_pastes_instead() {
        let mut script = Script {
            interactive: true,
            no_browser: true,
            pastes: VecDeque::from(["http://127.0.0.1:9/callback?error=access_denied&state=STATE"]),
            ..Script::default()
        };
        let err = run(&oauth2(), &options(), &mut script, &Instant::now);
        assert_eq!(err.to_string(), "the provider refused: access_denied");
        assert_eq!(err.exit_code(), exit::NEEDS_USER);
        assert_eq!(
            script.notes.last().unwrap(),
            "Open the URL on any device, then paste the address the browser ends on."
        );
    }

    #[test]
    fn no_redirect_before_the_deadline_times_out_after_the_seconds_given() {
        // The first reading sets the deadline; every later one is an hour
        // on, so the listener gives up at once.
        let start = Instant::now();
        let readings = Cell::new(0);
        let clock = || {
            readings.set(readings.get() + 1);
            if readings.get() == 1 {
                start
            } else {
                start + Duration::from_secs(3600)
            }
        };
        let mut script = Script::default();
        let err = run(&oauth2(), &options(), &mut script, &clock);
        assert_eq!(
            err.to_string(),
            "connection `c` was not authorized within 5s"
        );
        assert_eq!(err.exit_code(), exit::NEEDS_USER);
        assert_eq!(err.hint().unwrap(), "run `tether connect c`");
        assert_eq!(script.opened.len(), 1);
        assert!(start.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn the_remote_line_is_quoted_for_the_shell() {
        let remote = Options {
            remote: true,
            ..options()
        };
        let mut script = Script {
            pastes: VecDeque::from(["http://127.0.0.1:9/callback?error=access_denied&state=x"]),
            ..Script::default()
        };
        let err = run(&oauth2(), &remote, &mut script, &Instant::now);
        assert_eq!(err.exit_code(), exit::NEEDS_USER);
        assert!(
            script.opened.is_empty(),
            "the browser is on the other machine"
        );
        let note = &script.notes[0];
        assert!(
            note.starts_with("On a machine with a browser, run:\n\n  tether authorize 'https://auth.example/authorize?")
                && note.ends_with("'\n\nthen paste the line it prints here."),
            "{note}"
        );
    }

    /// `catch_for_remote` with a browser that comes back to the listener
    /// with `query`: the port, the line handed back and the browser's page.
    fn remote_round_trip(query: &'static str) -> (u16, String, String) {
        let port = {
            let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            free.local_addr().unwrap().port()
        };
        let url = format!(
            "https://auth.example/authorize?client_id=id&state=s1&redirect_uri=http%3A%2F%2F127.0.0.1%3A{port}%2Fcb"
        );
        let browser = std::rc::Rc::new(std::cell::RefCell::new(None));
        let seen = browser.clone();
        let mut script = Script {
            on_open: Some(Box::new(move |_| {
                let redirect = format!("http://127.0.0.1:{port}/cb?{query}");
                *seen.borrow_mut() = Some(std::thread::spawn(move || get(&redirect)));
            })),
            ..Script::default()
        };
        let line = catch_for_remote(
            &url,
            false,
            Duration::from_secs(10),
            &mut script,
            &Instant::now,
        )
        .unwrap();
        let page = browser.borrow_mut().take().unwrap().join().unwrap();
        (port, line.to_string(), page)
    }

    #[test]
    fn the_remote_half_hands_back_the_code_and_the_state() {
        let (port, line, page) = remote_round_trip("code=abc&state=s1");
        assert_eq!(
            line,
            format!("http://127.0.0.1:{port}/cb?code=abc&state=s1")
        );
        assert!(page.contains("Authorized. Paste the line"), "{page}");
    }

    #[test]
    fn the_remote_half_hands_back_what_else_the_redirect_said() {
        let (port, line, page) = remote_round_trip(
            "state=s1&location=eu&accounts-server=https%3A%2F%2Faccounts.zoho.eu&code=abc",
        );
        assert_eq!(
            line,
            format!(
                "http://127.0.0.1:{port}/cb?code=abc&location=eu&accounts-server=https%3A%2F%2Faccounts.zoho.eu&state=s1"
            ),
            "the code first and the state last, as without them"
        );
        assert!(page.contains("Authorized. Paste the line"), "{page}");
    }

    #[test]
    fn the_remote_half_refuses_what_is_not_a_local_authorization() {
        let mut script = Script::default();
        let mut catch = |url: &str| {
            catch_for_remote(
                url,
                true,
                Duration::from_secs(1),
                &mut script,
                &Instant::now,
            )
            .unwrap_err()
            .to_string()
        };
        assert!(catch("not a url").starts_with("that is not a URL"));
        assert!(
            catch("https://auth.example/authorize?state=s")
                .starts_with("that URL has no redirect_uri or state")
        );
        assert!(
            catch(
                "https://auth.example/authorize?state=s&redirect_uri=http%3A%2F%2Fevil.example%2Fcb"
            )
            .contains("is not a loopback address")
        );
    }
}
