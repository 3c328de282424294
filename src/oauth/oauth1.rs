//! OAuth 1.0a for a connection (RFC 5849): the consumer a service signs
//! with, the redirection-based authorization `connect` runs (§2), and what
//! a refusal of a signed call means.
//!
//! [`authorize`] sends the signed temporary-credentials request with the
//! loopback listener as `oauth_callback` (or `oob` with `--manual`),
//! requires `oauth_callback_confirmed=true`, sends the browser to the
//! authorization page, and waits for the callback whose `oauth_token` is
//! the temporary token: that token plays the part of OAuth 2.0's `state`,
//! so a callback with another one is ignored and the wait goes on. With
//! `oob` the user types the verifier the provider shows. The signed token
//! request then trades the verifier for the token credentials.
//!
//! The signing itself is [`crate::oauth1`]'s; this module sends and
//! listens. `--remote` and `--device` have no OAuth 1.0a counterpart: they
//! are refused before anything is sent.

use std::time::Instant;

use url::Url;

use super::Grant;
use super::callback::{ErrorCode, Response};
use super::flow::{Options, Prompt};
use super::listener::{self, Waited};
use crate::config::Service;
use crate::config::template::Vars;
use crate::error::{NeedsUser, Oauth1Step};
use crate::http::client::Net;
use crate::http::credential::Credential;
use crate::http::send::{Request, Response as HttpResponse, send};
use crate::http::target::Method;
use crate::oauth1::token::{self as steps, TokenCredentials};
use crate::oauth1::{
    Callback, ClientSecret, Consumer, FlowProblem, Freshness, RsaKey, Signed, Token, problem,
    redact_url,
};
use crate::secret::Secret;
use crate::store::{Record, Store};
use crate::{Error, Result};

/// The path of the loopback callback, as for OAuth 2.0's redirect.
const CALLBACK_PATH: &str = "/callback";

/// The consumer of `service`: its key, and the shared secret or the RSA
/// key its signature method signs with, read from where the service keeps
/// them (`{ keyring = true }`: the token store).
pub fn consumer(store: &Store, service_name: &str, service: &Service) -> Result<Consumer> {
    let signing = |problem| Error::Signing {
        service: service_name.to_string(),
        problem,
    };
    let method = service.signature_method();
    let shared = super::token::client_secret(store, service_name, service)?;
    let rsa_key = match &service.private_key {
        Some(reference) => {
            let what = format!("private key of service `{service_name}`");
            let pem = crate::config::secrets::resolve(reference, &what, || Ok(None))?;
            Some(RsaKey::from_pem(pem.expose()).map_err(signing)?)
        }
        None => None,
    };
    let secret = ClientSecret::new(method, shared, rsa_key).map_err(signing)?;
    Ok(configured(service, secret))
}

/// A consumer with `service`'s settings and a secret that signs nothing
/// real, for what only needs the shape of the credential (`status`).
pub fn stand_in(service: &Service) -> Consumer {
    configured(service, ClientSecret::Plaintext(Secret::default()))
}

fn configured(service: &Service, secret: ClientSecret) -> Consumer {
    let key = service.client_id.clone().unwrap_or_default();
    Consumer::new(key, secret)
        .with_location(service.signature_location.unwrap_or_default())
        .with_body_hash(service.body_hash.unwrap_or(false))
}

/// Refuses the `connect` flags OAuth 1.0a has no flow for.
pub fn check_options(options: &Options) -> Result<()> {
    let flag = match (options.remote, options.device) {
        (true, _) => "--remote",
        (_, true) => "--device",
        _ => return Ok(()),
    };
    Err(Error::usage(
        format!("`{flag}` does not work with an OAuth 1.0a service"),
        Some(
            "connect through the browser here, or pass `--manual` to type the code the provider shows"
                .into(),
        ),
    ))
}

/// Runs the authorization of RFC 5849 §2 for `grant` and returns the token
/// credentials, with whatever else the token response carried.
pub fn authorize(
    grant: Grant<'_>,
    options: &Options,
    store: &Store,
    net: &Net,
    prompt: &mut impl Prompt,
    now: &dyn Fn() -> Instant,
) -> Result<TokenCredentials> {
    check_options(options)?;
    let service = grant.endpoints(&Vars::new())?;
    let urls = Urls::of(grant.service_name, &service)?;
    // The secrets first: a missing one fails before the browser opens.
    let consumer = consumer(store, grant.service_name, &service)?;
    let flow = Flow {
        grant,
        consumer: &consumer,
        net,
    };
    let listener = match options.manual {
        true => None,
        false => Some(bind(&service, options)?),
    };
    let callback = listener
        .as_ref()
        .map_or(Callback::Oob, |(_, uri)| Callback::Url(uri.clone()));
    let temporary = flow.temporary_credentials(&urls.request_token, &callback)?;
    let page = steps::authorization_url(&urls.authorize, &temporary);
    prompt.note(&format!(
        "Open this URL to authorize `{}` ({}):\n\n  {page}\n",
        grant.name, grant.service_name
    ));
    if !options.no_browser
        && let Err(why) = prompt.open(page.as_str())
    {
        prompt.warn(&why.to_string());
    }
    let Some((listener, _)) = listener else {
        let verifier = read_verifier(prompt, &temporary, grant)?;
        return flow.token_credentials(&urls.access_token, &temporary, &verifier);
    };
    let deadline = now() + options.timeout;
    let judge = |query: &[(String, String)]| judge(query, &temporary);
    let waited = prompt.waiting("Waiting for the browser…", || {
        listener.wait_for(&judge, deadline, now)
    })?;
    let (callback, verifier) = match waited {
        Waited::Code(callback, verifier) => (callback, Secret::new(verifier)),
        Waited::Refused { .. } => return Err(flow.problem(FlowProblem::Denied)),
        Waited::TimedOut => {
            return Err(Error::NotAuthorizedInTime {
                name: grant.name.to_string(),
                seconds: options.timeout.as_secs(),
            });
        }
    };
    let result = flow.token_credentials(&urls.access_token, &temporary, &verifier);
    match &result {
        Ok(_) => callback.show_outcome(Ok(&format!("{} ({})", grant.name, grant.service_name))),
        Err(e) => callback.show_outcome(Err(&format!("tether could not finish: {e}"))),
    }
    result
}

/// The three endpoints of the flow, filled for the connection; the
/// authorization page with the service's `auth_params`.
struct Urls {
    request_token: Url,
    authorize: Url,
    access_token: Url,
}

impl Urls {
    fn of(service_name: &str, service: &Service) -> Result<Urls> {
        let url = |value: &Option<String>, key: &str| -> Result<Url> {
            let text = value.as_deref().ok_or_else(|| {
                Error::usage(
                    format!("service `{service_name}` has no `{key}`"),
                    Some(format!(
                        "set it with `tether service edit {service_name} --{} URL`",
                        key.replace('_', "-")
                    )),
                )
            })?;
            Url::parse(text)
                .map_err(|e| Error::usage(format!("`{key}` of `{service_name}`: {e}"), None))
        };
        let mut request_token = url(&service.request_token_url, "request_token_url")?;
        if !service.request_token_params.is_empty() {
            request_token
                .query_pairs_mut()
                .extend_pairs(&service.request_token_params);
        }
        let mut authorize = url(&service.authorize_url, "authorize_url")?;
        if !service.auth_params.is_empty() {
            authorize
                .query_pairs_mut()
                .extend_pairs(&service.auth_params);
        }
        Ok(Urls {
            request_token,
            authorize,
            access_token: url(&service.access_token_url, "access_token_url")?,
        })
    }
}

/// Binds the loopback listener where the service's `redirect_uri`,
/// `redirect_port` or `--port` say, and the callback URL it serves.
fn bind(service: &Service, options: &Options) -> Result<(listener::Listener, Url)> {
    let fixed = service
        .redirect_uri
        .as_deref()
        .and_then(|uri| Url::parse(uri).ok());
    let host = fixed
        .as_ref()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "127.0.0.1".into());
    let path = fixed
        .as_ref()
        .map_or(CALLBACK_PATH.to_string(), |u| u.path().to_string());
    let port = options
        .port
        .or(service.redirect_port)
        .or_else(|| fixed.as_ref().and_then(Url::port))
        .unwrap_or(0);
    let listener = listener::bind(port, &path)?;
    let uri = format!("http://{host}:{}{path}", listener.port());
    let uri = Url::parse(&uri)
        .map_err(|e| Error::usage(format!("the callback {uri} is not a URL: {e}"), None))?;
    Ok((listener, uri))
}

/// Reads a callback's query for the flow of `temporary`: its verifier
/// when its `oauth_token` is that token, a refusal when it denies that
/// token, and anything else is another flow's (ignored).
fn judge(query: &[(String, String)], temporary: &Token) -> Response {
    let get = |name: &str| {
        query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    if get("denied") == Some(temporary.key.as_str()) {
        return Response::Error {
            code: ErrorCode::AccessDenied,
            description: None,
        };
    }
    if get("oauth_token") != Some(temporary.key.as_str()) {
        return Response::WrongState;
    }
    let text = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(query)
        .finish();
    match steps::callback_verifier(&text, temporary) {
        Ok(verifier) => Response::Code(verifier.expose().to_string()),
        Err(FlowProblem::Denied) => Response::Error {
            code: ErrorCode::AccessDenied,
            description: None,
        },
        Err(_) => Response::Malformed,
    }
}

/// Reads the verifier the provider showed (`oob`): typed, pasted, or the
/// whole callback URL; asks again while a person can correct it.
fn read_verifier(prompt: &mut impl Prompt, temporary: &Token, grant: Grant<'_>) -> Result<Secret> {
    loop {
        let text = prompt.paste("Type the verification code the provider shows")?;
        let text = text.trim();
        let response = match Url::parse(text) {
            Ok(url) if url.query().is_some() => {
                let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
                judge(&query, temporary)
            }
            _ if !text.is_empty() && !text.contains(char::is_whitespace) => {
                Response::Code(text.to_string())
            }
            _ => Response::Malformed,
        };
        match response {
            Response::Code(verifier) => return Ok(Secret::new(verifier)),
            Response::Error { .. } => {
                return Err(Error::Oauth1Flow {
                    service: grant.service_name.to_string(),
                    problem: FlowProblem::Denied,
                });
            }
            _ if prompt.interactive() => {
                prompt.warn("that is not a verification code of this authorization");
            }
            _ => {
                return Err(Error::NeedsAuthorization {
                    name: grant.name.to_string(),
                    why: NeedsUser::NotThisRedirect,
                });
            }
        }
    }
}

/// One authorization under way.
struct Flow<'a> {
    grant: Grant<'a>,
    consumer: &'a Consumer,
    net: &'a Net,
}

impl Flow<'_> {
    fn problem(&self, problem: FlowProblem) -> Error {
        Error::Oauth1Flow {
            service: self.grant.service_name.to_string(),
            problem,
        }
    }

    fn signing(&self, problem: crate::oauth1::SigningProblem) -> Error {
        Error::Signing {
            service: self.grant.service_name.to_string(),
            problem,
        }
    }

    fn fresh(&self) -> Result<Freshness> {
        Freshness::generate(std::time::SystemTime::now()).map_err(|p| self.signing(p))
    }

    /// §2.1: the temporary credentials for `callback`.
    fn temporary_credentials(&self, url: &Url, callback: &Callback) -> Result<Token> {
        let signed = self
            .consumer
            .sign_temporary_credentials_request(url, callback, &self.fresh()?)
            .map_err(|p| self.signing(p))?;
        let body = self.post(url, &signed, Oauth1Step::RequestToken)?;
        steps::parse_temporary_credentials(&body).map_err(|p| self.problem(p))
    }

    /// §2.3: the token credentials for the verifier of `temporary`.
    fn token_credentials(
        &self,
        url: &Url,
        temporary: &Token,
        verifier: &Secret,
    ) -> Result<TokenCredentials> {
        let signed = self
            .consumer
            .sign_token_request(url, temporary, verifier, &self.fresh()?)
            .map_err(|p| self.signing(p))?;
        let body = self.post(url, &signed, Oauth1Step::AccessToken)?;
        steps::parse_token_credentials(&body).map_err(|p| self.problem(p))
    }

    /// POSTs a signed credentials request with an empty body; the body of
    /// a 200 answer, else the provider's refusal.
    fn post(&self, url: &Url, signed: &Signed, step: Oauth1Step) -> Result<Vec<u8>> {
        let net = self.net;
        let wire = signed.url(url);
        let failed = |e: reqwest::Error| Error::Network {
            what: format!("POST {}", redact_url(&wire)),
            reason: crate::http::client::failure_reason(e),
        };
        let (status, challenges, body) = net.block_on(async {
            let mut request = net
                .client_for(wire.as_str())?
                .post(wire.as_str())
                .header("Content-Length", "0");
            if let Some(value) = signed.authorization() {
                request = request.header("Authorization", value.expose());
            }
            let response = request.send().await.map_err(failed)?;
            let status = response.status().as_u16();
            let challenges: Vec<String> = response
                .headers()
                .get_all("www-authenticate")
                .iter()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .collect();
            let body = response.bytes().await.map_err(failed)?.to_vec();
            Ok((status, challenges, body))
        })?;
        if status == 200 {
            return Ok(body);
        }
        let report = problem::report(challenges.iter().map(String::as_str), &body);
        Err(Error::Oauth1Refused {
            service: self.grant.service_name.to_string(),
            step,
            status,
            problem: report.map(|r| r.problem.name().to_string()),
        })
    }
}

/// Ends the token credentials that `credential` signs with at the
/// provider: a signed `POST` with no body to `revoke_url` (as X's
/// `oauth/invalidate_token`); any 2xx answer means done. RFC 5849 has no
/// revocation of its own, so a refusal names the provider's
/// `oauth_problem` when it gave one.
pub async fn revoke(
    net: &Net,
    service: &str,
    credential: &Credential,
    revoke_url: &str,
) -> Result<()> {
    let request = Request {
        method: Method::Post,
        url: Url::parse(revoke_url)
            .map_err(|e| Error::usage(format!("`revoke_url` of `{service}`: {e}"), None))?,
        headers: vec![("Accept".into(), "application/json".into())],
        body: None,
    };
    let response = send(net, &request, Some(credential), &[], 0, &mut |_| {}).await?;
    if (200..300).contains(&response.status) {
        return Ok(());
    }
    let challenges = response
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("www-authenticate"))
        .map(|(_, v)| v.as_str());
    Err(Error::Oauth1Refused {
        service: service.to_string(),
        step: Oauth1Step::Revoke,
        status: response.status,
        problem: problem::report(challenges, &response.body).map(|r| r.problem.name().to_string()),
    })
}

/// What `invoke` makes of a 401 to a signed request of connection
/// `name`, sent with the token of `used`: when the provider says the token itself is dead (revoked,
/// expired, rejected), the stored record is marked and the connection
/// needs the user (exit 7); any other refusal (a signature, a clock, a
/// nonce) is an HTTP error like any other, and the note returned names its
/// `oauth_problem`.
pub fn after_refusal(
    store: &Store,
    name: &str,
    used: &Record,
    response: &HttpResponse,
) -> Result<Option<String>> {
    let challenges = response
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("www-authenticate"))
        .map(|(_, v)| v.as_str());
    let Some(report) = problem::report(challenges, &response.body) else {
        return Ok(None);
    };
    if !report.problem.token_is_dead() {
        return Ok(Some(refusal_note(&report)));
    }
    // Marked only while it still holds the refused token: a `connect`
    // that ran meanwhile brought a new one.
    if let Some(mut record) = store.load(name)?
        && record.access_token == used.access_token
    {
        record.needs_authorization = true;
        store.save(name, &record)?;
    }
    Err(Error::NeedsAuthorization {
        name: name.to_string(),
        why: NeedsUser::TokenRefused {
            problem: report.problem.name().to_string(),
        },
    })
}

/// The line that says why a provider refused a signed request.
fn refusal_note(report: &problem::Report) -> String {
    let name = report.problem.name();
    match &report.advice {
        Some(advice) => {
            format!("the provider refused the signed request: oauth_problem={name} ({advice})")
        }
        None => format!("the provider refused the signed request: oauth_problem={name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth1::tests::pairs;

    #[test]
    fn only_the_callback_of_this_token_ends_the_wait() {
        let temporary = Token::new("tmp-token", Secret::new("tmp-secret"));
        let ours = pairs(&[("oauth_token", "tmp-token"), ("oauth_verifier", "v1")]);
        assert_eq!(judge(&ours, &temporary), Response::Code("v1".into()));
        let forged = pairs(&[("oauth_token", "other"), ("oauth_verifier", "evil")]);
        assert_eq!(judge(&forged, &temporary), Response::WrongState);
        assert_eq!(judge(&[], &temporary), Response::WrongState);
        let forged_denial = pairs(&[("denied", "other")]);
        assert_eq!(judge(&forged_denial, &temporary), Response::WrongState);
        let denied = pairs(&[("denied", "tmp-token")]);
        assert!(matches!(
            judge(&denied, &temporary),
            Response::Error {
                code: ErrorCode::AccessDenied,
                ..
            }
        ));
        let no_verifier = pairs(&[("oauth_token", "tmp-token")]);
        assert_eq!(judge(&no_verifier, &temporary), Response::Malformed);
    }

    #[test]
    fn a_refusal_note_names_the_problem_and_its_advice() {
        let report = problem::report([r#"OAuth oauth_problem="signature_invalid""#], b"").unwrap();
        assert_eq!(
            refusal_note(&report),
            "the provider refused the signed request: oauth_problem=signature_invalid"
        );
        let report =
            problem::report([], b"oauth_problem=nonce_used&oauth_problem_advice=again").unwrap();
        assert_eq!(
            refusal_note(&report),
            "the provider refused the signed request: oauth_problem=nonce_used (again)"
        );
    }

    #[test]
    fn remote_and_device_are_usage_errors() {
        let options = |remote, device| Options {
            device,
            manual: false,
            remote,
            no_browser: false,
            port: None,
            timeout: std::time::Duration::from_secs(1),
        };
        assert!(check_options(&options(false, false)).is_ok());
        for (remote, device, flag) in [(true, false, "--remote"), (false, true, "--device")] {
            let err = check_options(&options(remote, device)).unwrap_err();
            assert_eq!(err.exit_code(), crate::exit::USAGE);
            assert_eq!(
                err.to_string(),
                format!("`{flag}` does not work with an OAuth 1.0a service")
            );
        }
    }
}
