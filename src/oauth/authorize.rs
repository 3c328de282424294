//! The authorization request (RFC 6749 §4.1.1) with PKCE (RFC 7636 §4.3).
//!
//! [`authorization_url`] is pure: state and the code challenge are passed
//! in, so tests can pin them. The service's `authorize_url` keeps any query
//! it already has; the flow's own parameters come next, then the service's
//! `auth_params` (which validation has already stopped from overriding
//! them).

use oauth2::{CsrfToken, PkceCodeChallenge, PkceCodeVerifier};
use url::Url;

use super::MissingKeys;
use crate::config::Service;
use crate::{Error, Result};

/// What the browser is sent to, and what must come back.
#[derive(Debug)]
pub struct Authorization {
    pub url: Url,
    /// The `state` the callback must carry (128 random bits).
    pub state: String,
    /// The PKCE verifier, kept here and sent only to the token endpoint.
    pub verifier: Option<PkceCodeVerifier>,
}

/// Starts an authorization: fresh state and, unless the service turns it
/// off, a fresh PKCE S256 pair.
pub fn start(
    service_name: &str,
    service: &Service,
    redirect_uri: &str,
    scopes: &[String],
) -> Result<Authorization> {
    // CsrfToken::new_random draws 16 bytes (128 bits) from the OS RNG.
    let state = CsrfToken::new_random().secret().clone();
    let (challenge, verifier) = if service.pkce() {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        (Some(challenge.as_str().to_string()), Some(verifier))
    } else {
        (None, None)
    };
    let url = authorization_url(
        service_name,
        service,
        redirect_uri,
        scopes,
        &state,
        challenge.as_deref(),
    )?;
    Ok(Authorization {
        url,
        state,
        verifier,
    })
}

/// Builds the authorization URL.
pub fn authorization_url(
    service_name: &str,
    service: &Service,
    redirect_uri: &str,
    scopes: &[String],
    state: &str,
    code_challenge: Option<&str>,
) -> Result<Url> {
    let (Some(base), Some(client_id)) = (&service.authorize_url, &service.client_id) else {
        return Err(Error::IncompleteService {
            service: service_name.to_string(),
            missing: MissingKeys::AuthorizeUrlOrClientId,
        });
    };
    let mut url = Url::parse(base).map_err(|e| {
        Error::usage(
            format!("authorize_url of `{service_name}` is invalid: {e}"),
            None,
        )
    })?;
    {
        let mut query = url.query_pairs_mut();
        query
            .append_pair("response_type", "code")
            .append_pair("client_id", client_id)
            .append_pair("redirect_uri", redirect_uri);
        if !scopes.is_empty() {
            query.append_pair(
                service.scope_param(),
                &scopes.join(service.scope_separator()),
            );
        }
        query.append_pair("state", state);
        if let Some(challenge) = code_challenge {
            query
                .append_pair("code_challenge", challenge)
                .append_pair("code_challenge_method", "S256");
        }
        // Google's incremental authorization: the new grant keeps the
        // scopes of the earlier ones, so a `connect --scope` that adds one
        // does not lose the rest.
        if service.include_granted_scopes()
            && !service.auth_params.contains_key("include_granted_scopes")
        {
            query.append_pair("include_granted_scopes", "true");
        }
        for (key, value) in &service.auth_params {
            query.append_pair(key, value);
        }
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service() -> Service {
        Service {
            client_id: Some("my app".into()),
            authorize_url: Some("https://id.example.com/authorize?tenant=acme".into()),
            token_url: Some("https://id.example.com/token".into()),
            scope_separator: Some(",".into()),
            ..Service::default()
        }
    }

    #[test]
    fn keeps_the_existing_query_and_adds_the_flow() {
        let mut s = service();
        s.auth_params.insert("access_type".into(), "offline".into());
        let url = authorization_url(
            "x",
            &s,
            "http://127.0.0.1:4000/callback",
            &["read".into(), "write".into()],
            "st4te",
            Some("ch4llenge"),
        )
        .unwrap();
        assert_eq!(
            url.as_str(),
            "https://id.example.com/authorize?tenant=acme&response_type=code&client_id=my+app\
             &redirect_uri=http%3A%2F%2F127.0.0.1%3A4000%2Fcallback&scope=read%2Cwrite\
             &state=st4te&code_challenge=ch4llenge&code_challenge_method=S256&access_type=offline"
        );
    }

    #[test]
    fn include_granted_scopes_is_sent_when_the_service_says() {
        let url = |s: &Service| {
            authorization_url("x", s, "http://127.0.0.1:4000/callback", &[], "st", None)
                .unwrap()
                .to_string()
        };
        let mut s = service();
        assert!(!url(&s).contains("include_granted_scopes"));
        s.include_granted_scopes = Some(true);
        assert!(
            url(&s).ends_with("&state=st&include_granted_scopes=true"),
            "{}",
            url(&s)
        );
        // An auth_param of the same name is the user's word.
        s.auth_params
            .insert("include_granted_scopes".into(), "false".into());
        assert!(
            url(&s).ends_with("&include_granted_scopes=false"),
            "{}",
            url(&s)
        );
        let google = crate::providers::get("google").unwrap();
        assert!(google.service.include_granted_scopes());
    }

    #[test]
    fn fresh_state_and_pkce_each_time() {
        let s = service();
        let a = start("x", &s, "http://127.0.0.1/callback", &[]).unwrap();
        let b = start("x", &s, "http://127.0.0.1/callback", &[]).unwrap();
        assert_ne!(a.state, b.state);
        assert!(a.state.len() >= 22, "128 bits, base64url");
        assert!(a.verifier.is_some());
        let pairs: Vec<(String, String)> = a.url.query_pairs().into_owned().collect();
        assert!(
            pairs
                .iter()
                .any(|(k, v)| k == "code_challenge_method" && v == "S256")
        );
        assert!(!pairs.iter().any(|(k, _)| k == "scope"), "no empty scope");

        let mut no_pkce = s;
        no_pkce.pkce = Some(false);
        let c = start("x", &no_pkce, "http://127.0.0.1/callback", &[]).unwrap();
        assert!(c.verifier.is_none());
        assert!(!c.url.as_str().contains("code_challenge"));
    }
}
