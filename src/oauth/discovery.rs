//! Finding a provider's endpoints from its issuer: OpenID Connect
//! Discovery (`/.well-known/openid-configuration`), falling back to OAuth
//! 2.0 Authorization Server Metadata (RFC 8414 §3,
//! `/.well-known/oauth-authorization-server`, inserted before the issuer's
//! path). The document's `issuer` must be the one asked for (RFC 8414
//! §3.3): metadata for another issuer is refused. A document is read up to
//! [`MAX_ANSWER`] bytes.
//!
//! `doctor NAME` holds a service against its provider's document: the
//! issuer is guessed from the origins of the service's endpoints
//! ([`issuer_guesses`]), the lists the document omits take RFC 8414 §2's
//! defaults, and [`server_clock`] reads the token endpoint's `Date` header
//! (RFC 9110 §6.6.1) to measure clock skew.

use serde::Deserialize;
use url::Url;

use super::token::{MAX_ANSWER, ReadFailure, read_answer};
use super::token_error::size_text;
use crate::http::client::Net;
use crate::{Error, Result};

/// The endpoints tether uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Metadata {
    pub issuer: String,
    pub authorization_endpoint: Option<String>,
    pub token_endpoint: Option<String>,
    pub revocation_endpoint: Option<String>,
    pub device_authorization_endpoint: Option<String>,
    #[serde(default)]
    pub scopes_supported: Vec<String>,
    pub userinfo_endpoint: Option<String>,
    /// RFC 8414 §2 (from RFC 7662): where a token's state can be asked.
    pub introspection_endpoint: Option<String>,
    pub code_challenge_methods_supported: Option<Vec<String>>,
    pub grant_types_supported: Option<Vec<String>>,
    pub token_endpoint_auth_methods_supported: Option<Vec<String>>,
}

/// The grant type of RFC 8628 §3.4.
pub const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

impl Metadata {
    /// The grant types the server supports; RFC 8414 §2: when omitted,
    /// `authorization_code` and `implicit`.
    pub fn grant_types(&self) -> Vec<&str> {
        match &self.grant_types_supported {
            Some(list) => list.iter().map(String::as_str).collect(),
            None => vec!["authorization_code", "implicit"],
        }
    }

    /// The client authentication methods of the token endpoint; RFC 8414
    /// §2: when omitted, `client_secret_basic`.
    pub fn token_auth_methods(&self) -> Vec<&str> {
        match &self.token_endpoint_auth_methods_supported {
            Some(list) => list.iter().map(String::as_str).collect(),
            None => vec!["client_secret_basic"],
        }
    }
}

/// The registered name (RFC 7591 §2) of how a client presents itself.
pub fn auth_method(
    presentation: crate::config::model::Presentation,
    has_secret: bool,
) -> &'static str {
    use crate::config::model::Presentation;
    match (presentation, has_secret) {
        (Presentation::Basic | Presentation::BasicEmptyPassword, _) => "client_secret_basic",
        (Presentation::Body, true) => "client_secret_post",
        (Presentation::Body, false) => "none",
    }
}

/// The grant types a service of kind `auth` uses; with `refresh`, the
/// refresh grant too.
pub fn grants_used(auth: crate::config::AuthKind, refresh: bool) -> Vec<&'static str> {
    use crate::config::AuthKind;
    let mut grants = match auth {
        AuthKind::Oauth2 => vec!["authorization_code"],
        AuthKind::Device => vec![DEVICE_GRANT],
        AuthKind::ClientCredentials => vec!["client_credentials"],
        _ => vec![],
    };
    if refresh {
        grants.push("refresh_token");
    }
    grants
}

/// The issuers a service's endpoints suggest, most likely first: the
/// origins of its authorization and token endpoints.
pub fn issuer_guesses(endpoints: &[Option<&str>]) -> Vec<String> {
    let mut guesses: Vec<String> = Vec::new();
    for url in endpoints.iter().flatten() {
        if let Ok(url) = Url::parse(url) {
            let origin = url.origin().ascii_serialization();
            if origin != "null" && !guesses.contains(&origin) {
                guesses.push(origin);
            }
        }
    }
    guesses
}

/// The metadata of the first of `guesses` that has a document; `None`
/// when none has one.
pub fn find(net: &Net, guesses: &[String]) -> Result<Option<Metadata>> {
    for issuer in guesses {
        match discover(net, issuer) {
            Ok(metadata) => return Ok(Some(metadata)),
            Err(Error::Discovery {
                problem: DiscoveryProblem::NotFound { .. } | DiscoveryProblem::NotMetadata { .. },
                ..
            }) => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(None)
}

/// The time of the server at `url` by its `Date` header (unix seconds),
/// from a plain GET that carries no credential; `None` when it sends none
/// or one that is no HTTP date.
pub fn server_clock(net: &Net, url: &str) -> Result<Option<u64>> {
    let client = net.client_for(url)?;
    net.block_on(async {
        let response = client.get(url).send().await.map_err(|e| Error::Network {
            what: format!("asking {url} for the time"),
            reason: crate::http::client::failure_reason(e),
        })?;
        Ok(response
            .headers()
            .get("date")
            .and_then(|v| v.to_str().ok())
            .and_then(|text| httpdate::parse_http_date(text).ok())
            .and_then(|at| at.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_secs()))
    })
}

/// Why an issuer's metadata could not be found or used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiscoveryProblem {
    /// The issuer is not a URL; `detail` is the URL parser's reason.
    NotAUrl { detail: String },
    /// The issuer is a URL tether will not fetch; `reason` says why, as the
    /// config's URL check words it.
    RefusedUrl {
        reason: crate::config::validate::ValueFault,
    },
    /// A document was found but is not metadata; `detail` is the JSON
    /// parser's reason, which quotes no value of a metadata document.
    NotMetadata { detail: String },
    /// The document found names another issuer (RFC 8414 §3.3).
    OtherIssuer { found: String },
    /// No candidate URL answered with a success; the last one tried and
    /// its status.
    NotFound { url: String, status: u16 },
    /// The document at `url` is longer than [`MAX_ANSWER`].
    TooLarge { url: String },
}

impl DiscoveryProblem {
    /// The message, for metadata of `issuer`.
    pub fn message(&self, issuer: &str) -> String {
        match self {
            DiscoveryProblem::NotAUrl { detail } => {
                format!("the issuer {issuer:?} is not a URL ({detail})")
            }
            DiscoveryProblem::RefusedUrl { reason } => format!("the issuer {reason}"),
            DiscoveryProblem::NotMetadata { detail } => {
                format!("the metadata of {issuer} is not valid JSON metadata ({detail})")
            }
            DiscoveryProblem::OtherIssuer { found } => format!(
                "the metadata found for {issuer} names another issuer ({found}); refusing it"
            ),
            DiscoveryProblem::NotFound { url, status } => {
                let status = http::StatusCode::from_u16(*status)
                    .map_or_else(|_| status.to_string(), |code| code.to_string());
                format!("no metadata found for the issuer {issuer}: {url} answered {status}")
            }
            DiscoveryProblem::TooLarge { url } => format!(
                "the metadata of {issuer} at {url} is larger than {}",
                size_text(MAX_ANSWER)
            ),
        }
    }

    /// An issuer that is no URL to fetch is the user's to correct; the
    /// rest are the provider's.
    pub fn exit_code(&self) -> u8 {
        match self {
            DiscoveryProblem::NotAUrl { .. } | DiscoveryProblem::RefusedUrl { .. } => {
                crate::exit::USAGE
            }
            _ => crate::exit::FAILURE,
        }
    }
}

fn problem(issuer: &str, problem: DiscoveryProblem) -> Error {
    Error::Discovery {
        issuer: issuer.to_string(),
        problem,
    }
}

/// The two places a metadata document may be, in the order tried.
pub fn candidates(issuer: &str) -> Result<[Url; 2]> {
    let url = Url::parse(issuer).map_err(|e| {
        problem(
            issuer,
            DiscoveryProblem::NotAUrl {
                detail: e.to_string(),
            },
        )
    })?;
    crate::config::validate::check_url(issuer)
        .map_err(|reason| problem(issuer, DiscoveryProblem::RefusedUrl { reason }))?;
    let path = url.path().trim_end_matches('/').to_string();
    let mut oidc = url.clone();
    oidc.set_path(&format!("{path}/.well-known/openid-configuration"));
    let mut oauth = url;
    oauth.set_path(&format!("/.well-known/oauth-authorization-server{path}"));
    oidc.set_query(None);
    oauth.set_query(None);
    Ok([oidc, oauth])
}

/// Reads a metadata document and checks that it belongs to `issuer`.
pub fn parse(issuer: &str, body: &[u8]) -> Result<Metadata> {
    let metadata: Metadata = serde_json::from_slice(body).map_err(|e| {
        problem(
            issuer,
            DiscoveryProblem::NotMetadata {
                detail: e.to_string(),
            },
        )
    })?;
    if metadata.issuer.trim_end_matches('/') != issuer.trim_end_matches('/') {
        return Err(problem(
            issuer,
            DiscoveryProblem::OtherIssuer {
                found: metadata.issuer,
            },
        ));
    }
    Ok(metadata)
}

/// Fetches and checks the metadata of `issuer`: the OpenID document,
/// else the RFC 8414 one.
pub fn discover(net: &Net, issuer: &str) -> Result<Metadata> {
    let [oidc, oauth] = candidates(issuer)?;
    if let Fetched::Metadata(metadata) = fetch(net, issuer, &oidc)? {
        return Ok(*metadata);
    }
    match fetch(net, issuer, &oauth)? {
        Fetched::Metadata(metadata) => Ok(*metadata),
        Fetched::Status(status) => Err(problem(
            issuer,
            DiscoveryProblem::NotFound {
                url: oauth.to_string(),
                status,
            },
        )),
    }
}

/// What one candidate URL gave.
enum Fetched {
    Metadata(Box<Metadata>),
    /// It answered this status, not a success.
    Status(u16),
}

/// Fetches one candidate URL of `issuer`'s metadata.
fn fetch(net: &Net, issuer: &str, url: &Url) -> Result<Fetched> {
    let client = net.client_for(url.as_str())?;
    net.block_on(async {
        let response = client
            .get(url.as_str())
            .header("Accept", "application/json")
            .send()
            .await
            .map_err(|e| Error::Network {
                what: format!("fetching {url}"),
                reason: crate::http::client::failure_reason(e),
            })?;
        let status = response.status();
        if !status.is_success() {
            return Ok(Fetched::Status(status.as_u16()));
        }
        let body = read_answer(response)
            .await
            .map_err(|failure| match failure {
                ReadFailure::Transport(e) => Error::Network {
                    what: format!("reading {url}"),
                    reason: crate::http::client::failure_reason(e),
                },
                ReadFailure::TooLarge => problem(
                    issuer,
                    DiscoveryProblem::TooLarge {
                        url: url.to_string(),
                    },
                ),
            })?;
        parse(issuer, &body).map(|m| Fetched::Metadata(Box::new(m)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn where_metadata_lives() {
        let urls = candidates("https://id.example.com/tenant/").unwrap();
        assert_eq!(
            urls[0].as_str(),
            "https://id.example.com/tenant/.well-known/openid-configuration"
        );
        assert_eq!(
            urls[1].as_str(),
            "https://id.example.com/.well-known/oauth-authorization-server/tenant"
        );
        assert!(
            candidates("http://id.example.com").is_err(),
            "plain http off loopback"
        );
    }

    #[test]
    fn issuer_must_match() {
        let body = br#"{"issuer":"https://a.example","token_endpoint":"https://a.example/t"}"#;
        assert_eq!(
            parse("https://a.example/", body)
                .unwrap()
                .token_endpoint
                .as_deref(),
            Some("https://a.example/t")
        );
        assert!(
            parse("https://b.example", body)
                .unwrap_err()
                .to_string()
                .contains("another issuer")
        );
    }
}
