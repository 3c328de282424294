//! Finding a provider's endpoints from its issuer: OpenID Connect
//! Discovery (`/.well-known/openid-configuration`), falling back to OAuth
//! 2.0 Authorization Server Metadata (RFC 8414 §3,
//! `/.well-known/oauth-authorization-server`, inserted before the issuer's
//! path). The document's `issuer` must be the one asked for (RFC 8414
//! §3.3): metadata for another issuer is refused.

use serde::Deserialize;
use url::Url;

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
}

/// The two places a metadata document may be, in the order tried.
pub fn candidates(issuer: &str) -> Result<Vec<Url>> {
    let url = Url::parse(issuer)
        .map_err(|e| Error::usage(format!("the issuer {issuer:?} is not a URL ({e})"), None))?;
    crate::config::validate::check_url(issuer)
        .map_err(|m| Error::usage(format!("the issuer {m}"), None))?;
    let path = url.path().trim_end_matches('/').to_string();
    let mut oidc = url.clone();
    oidc.set_path(&format!("{path}/.well-known/openid-configuration"));
    let mut oauth = url;
    oauth.set_path(&format!("/.well-known/oauth-authorization-server{path}"));
    oidc.set_query(None);
    oauth.set_query(None);
    Ok(vec![oidc, oauth])
}

/// Reads a metadata document and checks that it belongs to `issuer`.
pub fn parse(issuer: &str, body: &[u8]) -> Result<Metadata> {
    let metadata: Metadata = serde_json::from_slice(body).map_err(|e| {
        Error::Other(format!(
            "the metadata of {issuer} is not valid JSON metadata ({e})"
        ))
    })?;
    if metadata.issuer.trim_end_matches('/') != issuer.trim_end_matches('/') {
        return Err(Error::Other(format!(
            "the metadata found for {issuer} names another issuer ({}); refusing it",
            metadata.issuer
        )));
    }
    Ok(metadata)
}

/// Fetches and checks the metadata of `issuer`.
pub fn discover(net: &Net, issuer: &str) -> Result<Metadata> {
    let mut last = None;
    for url in candidates(issuer)? {
        let client = net.client()?;
        let response = net.block_on(async {
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
            let body = response.bytes().await.map_err(|e| Error::Network {
                what: format!("reading {url}"),
                reason: crate::http::client::failure_reason(e),
            })?;
            Ok((status, body))
        })?;
        match response {
            (status, body) if status.is_success() => return parse(issuer, &body),
            (status, _) => last = Some(format!("{url} answered {status}")),
        }
    }
    Err(Error::Other(format!(
        "no metadata found for the issuer {issuer}: {}",
        last.unwrap_or_default()
    )))
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
