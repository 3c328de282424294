//! The redirection-based authorization of RFC 5849 §2, as pure steps for
//! `connect`: the signed temporary-credentials request (§2.1), the
//! resource-owner authorization URL (§2.2), the callback (§2.2), the signed
//! token request (§2.3), and the form-encoded responses of both requests.
//!
//! Sending the requests, opening the browser and listening for the callback
//! belong to the callers; nothing here touches the network.

use std::fmt;

use http::Method;
use url::{Url, form_urlencoded};

use super::header::REDACTED;
use super::signer::{Body, Consumer, Freshness, Signed, Token};
use super::{FlowProblem, SigningProblem};
use crate::secret::Secret;

/// The method of both credential requests: RFC 5849 §2.1 and §2.3 say POST,
/// and they are sent with an empty body.
pub const CREDENTIALS_METHOD: Method = Method::POST;

/// Where the provider sends the resource owner after authorization
/// (`oauth_callback`, §2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    /// "Out of band": the provider shows the verifier and the user types it.
    Oob,
    /// A URL, such as tether's loopback listener.
    Url(Url),
}

impl Callback {
    /// The value of `oauth_callback`.
    pub fn as_str(&self) -> &str {
        match self {
            Callback::Oob => "oob",
            Callback::Url(url) => url.as_str(),
        }
    }
}

impl Consumer {
    /// Signs the temporary-credentials request (§2.1): a `POST` to `url`
    /// with `oauth_callback` and no token.
    pub fn sign_temporary_credentials_request(
        &self,
        url: &Url,
        callback: &Callback,
        fresh: &Freshness,
    ) -> Result<Signed, SigningProblem> {
        let extra = vec![("oauth_callback".to_string(), callback.as_str().to_string())];
        self.sign_with(None, &CREDENTIALS_METHOD, url, Body::Empty, fresh, extra)
    }

    /// Signs the token request (§2.3): a `POST` to `url` with the temporary
    /// credentials and the verifier the callback brought.
    pub fn sign_token_request(
        &self,
        url: &Url,
        temporary: &Token,
        verifier: &Secret,
        fresh: &Freshness,
    ) -> Result<Signed, SigningProblem> {
        let extra = vec![("oauth_verifier".to_string(), verifier.expose().to_string())];
        self.sign_with(
            Some(temporary),
            &CREDENTIALS_METHOD,
            url,
            Body::Empty,
            fresh,
            extra,
        )
    }
}

/// The resource-owner authorization URL (§2.2): `authorize` with the
/// temporary token as `oauth_token`.
pub fn authorization_url(authorize: &Url, temporary: &Token) -> Url {
    let mut url = authorize.clone();
    url.query_pairs_mut()
        .append_pair("oauth_token", &temporary.key);
    url
}

/// The verifier from the query of the callback (§2.2), after checking that
/// it answers `temporary`: its `oauth_token` must be that token. A `denied`
/// parameter (how providers such as X say "no") or an `oauth_problem` is a
/// refusal.
pub fn callback_verifier(query: &str, temporary: &Token) -> Result<Secret, FlowProblem> {
    let pairs = form_pairs(query.as_bytes());
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    if get("denied").is_some() || get("oauth_problem").is_some() {
        return Err(FlowProblem::Denied);
    }
    match get("oauth_token") {
        Some(token) if token == temporary.key => {}
        Some(_) => return Err(FlowProblem::TokenMismatch),
        None => {
            return Err(FlowProblem::MissingField {
                field: "oauth_token",
            });
        }
    }
    match get("oauth_verifier") {
        Some(verifier) if !verifier.is_empty() => Ok(Secret::new(verifier)),
        _ => Err(FlowProblem::MissingField {
            field: "oauth_verifier",
        }),
    }
}

/// The temporary credentials from the body of a successful §2.1 response.
/// The provider must confirm the callback (`oauth_callback_confirmed=true`):
/// a provider that does not speaks OAuth 1.0 without the "a", whose flow is
/// open to session fixation.
pub fn parse_temporary_credentials(body: &[u8]) -> Result<Token, FlowProblem> {
    let pairs = form_pairs(body);
    let token = token_of(&pairs)?;
    match value(&pairs, "oauth_callback_confirmed") {
        Some("true") => Ok(token),
        _ => Err(FlowProblem::CallbackNotConfirmed),
    }
}

/// What a token request (§2.3) returns: the token credentials, and any other
/// fields the provider adds (`user_id`, `screen_name`, …) in their order.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenCredentials {
    pub token: Token,
    pub extra: Vec<(String, String)>,
}

impl fmt::Debug for TokenCredentials {
    /// Extra `oauth_…` fields (a session handle, say) may be secrets: their
    /// values are hidden.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let extra: Vec<(&str, &str)> = self
            .extra
            .iter()
            .map(|(n, v)| match n.starts_with("oauth_") {
                true => (n.as_str(), REDACTED),
                false => (n.as_str(), v.as_str()),
            })
            .collect();
        f.debug_struct("TokenCredentials")
            .field("token", &self.token)
            .field("extra", &extra)
            .finish()
    }
}

/// The token credentials from the body of a successful §2.3 response.
pub fn parse_token_credentials(body: &[u8]) -> Result<TokenCredentials, FlowProblem> {
    let pairs = form_pairs(body);
    let token = token_of(&pairs)?;
    let extra = pairs
        .into_iter()
        .filter(|(n, _)| !matches!(n.as_str(), "oauth_token" | "oauth_token_secret"))
        .collect();
    Ok(TokenCredentials { token, extra })
}

fn token_of(pairs: &[(String, String)]) -> Result<Token, FlowProblem> {
    let key = value(pairs, "oauth_token")
        .filter(|key| !key.is_empty())
        .ok_or(FlowProblem::MissingField {
            field: "oauth_token",
        })?;
    let secret = value(pairs, "oauth_token_secret").ok_or(FlowProblem::MissingField {
        field: "oauth_token_secret",
    })?;
    Ok(Token::new(key, Secret::new(secret)))
}

fn value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// `application/x-www-form-urlencoded` pairs, surrounding whitespace (a
/// trailing newline from some providers) ignored.
fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body.trim_ascii())
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth1::signer::ClientSecret;

    /// RFC 5849 §1.2's example: printer.example.com asks photos.example.net.
    fn printer() -> Consumer {
        Consumer::new(
            "dpf43f3p2l4k3l03",
            ClientSecret::HmacSha1(Secret::new("kd94hf93k423kf44")),
        )
        .with_realm("Photos")
    }

    #[test]
    fn temporary_credentials_request_carries_the_callback_and_no_token() {
        let url = Url::parse("https://photos.example.net/initiate").unwrap();
        let callback = Callback::Url(Url::parse("http://printer.example.com/ready").unwrap());
        let signed = printer()
            .sign_temporary_credentials_request(
                &url,
                &callback,
                &Freshness::new(137131200, "wIjqoS"),
            )
            .unwrap();
        assert_eq!(
            signed.base_string(),
            "POST&https%3A%2F%2Fphotos.example.net%2Finitiate&oauth_callback%3Dhttp%253A%252F%252F\
             printer.example.com%252Fready%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D\
             wIjqoS%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131200%26\
             oauth_version%3D1.0"
        );
        assert_eq!(signed.param("oauth_token"), None);
        let oob = printer()
            .sign_temporary_credentials_request(&url, &Callback::Oob, &Freshness::new(1, "n"))
            .unwrap();
        assert_eq!(oob.param("oauth_callback"), Some("oob"));
    }

    #[test]
    fn token_request_carries_the_verifier_and_signs_with_the_temporary_secret() {
        let url = Url::parse("https://photos.example.net/token").unwrap();
        let temporary = Token::new("hh5s93j4hdidpola", Secret::new("hdhd0244k9j7ao03"));
        let fresh = Freshness::new(137131201, "walatlh");
        let verifier = Secret::new("hfdp7dh39dks9884");
        let signed = printer()
            .sign_token_request(&url, &temporary, &verifier, &fresh)
            .unwrap();
        assert_eq!(signed.param("oauth_token"), Some("hh5s93j4hdidpola"));
        assert_eq!(signed.param("oauth_verifier"), Some("hfdp7dh39dks9884"));
        let other_secret = Token::new("hh5s93j4hdidpola", Secret::new("other"));
        let other = printer()
            .sign_token_request(&url, &other_secret, &verifier, &fresh)
            .unwrap();
        assert_eq!(signed.base_string(), other.base_string());
        assert_ne!(
            signed.param("oauth_signature"),
            other.param("oauth_signature")
        );
    }

    #[test]
    fn authorization_url_adds_the_temporary_token() {
        let authorize = Url::parse("https://photos.example.net/authorize?lang=en").unwrap();
        let temporary = Token::new("hh5s93j4hdidpola", Secret::new("s"));
        assert_eq!(
            authorization_url(&authorize, &temporary).as_str(),
            "https://photos.example.net/authorize?lang=en&oauth_token=hh5s93j4hdidpola"
        );
    }

    #[test]
    fn callback_gives_the_verifier_of_its_own_request_only() {
        let temporary = Token::new("hh5s93j4hdidpola", Secret::new("s"));
        let verifier = callback_verifier(
            "oauth_token=hh5s93j4hdidpola&oauth_verifier=hfdp7dh39dks9884",
            &temporary,
        );
        assert_eq!(verifier.unwrap().expose(), "hfdp7dh39dks9884");
        for (query, problem) in [
            (
                "oauth_token=other&oauth_verifier=v",
                FlowProblem::TokenMismatch,
            ),
            (
                "oauth_verifier=v",
                FlowProblem::MissingField {
                    field: "oauth_token",
                },
            ),
            (
                "oauth_token=hh5s93j4hdidpola&oauth_verifier=",
                FlowProblem::MissingField {
                    field: "oauth_verifier",
                },
            ),
            ("denied=hh5s93j4hdidpola", FlowProblem::Denied),
            ("oauth_problem=user_refused", FlowProblem::Denied),
        ] {
            assert_eq!(
                callback_verifier(query, &temporary).unwrap_err(),
                problem,
                "{query}"
            );
        }
    }

    /// RFC 5849 §2.1's example response.
    #[test]
    fn temporary_credentials_need_the_callback_confirmed() {
        let token = parse_temporary_credentials(
            b"oauth_token=hh5s93j4hdidpola&oauth_token_secret=hdhd0244k9j7ao03&oauth_callback_confirmed=true\n",
        )
        .unwrap();
        assert_eq!(
            token,
            Token::new("hh5s93j4hdidpola", Secret::new("hdhd0244k9j7ao03"))
        );
        assert_eq!(
            parse_temporary_credentials(b"oauth_token=a&oauth_token_secret=b").unwrap_err(),
            FlowProblem::CallbackNotConfirmed
        );
        assert_eq!(
            parse_temporary_credentials(b"oauth_token_secret=b&oauth_callback_confirmed=true")
                .unwrap_err(),
            FlowProblem::MissingField {
                field: "oauth_token"
            }
        );
    }

    #[test]
    fn token_credentials_keep_the_extra_fields_and_hide_secrets() {
        let credentials = parse_token_credentials(
            b"oauth_token=nnch734d00sl2jdk&oauth_token_secret=pfkkdhi9sl3r4s00\
              &user_id=1001&screen_name=alice%20b&oauth_session_handle=sess1",
        )
        .unwrap();
        assert_eq!(credentials.token.key, "nnch734d00sl2jdk");
        assert_eq!(credentials.token.secret.expose(), "pfkkdhi9sl3r4s00");
        assert_eq!(
            credentials.extra,
            vec![
                ("user_id".to_string(), "1001".to_string()),
                ("screen_name".to_string(), "alice b".to_string()),
                ("oauth_session_handle".to_string(), "sess1".to_string()),
            ]
        );
        let shown = format!("{credentials:?}");
        assert!(
            !shown.contains("pfkkdhi9sl3r4s00") && !shown.contains("sess1"),
            "{shown}"
        );
        assert!(shown.contains("alice b"), "{shown}");
        assert_eq!(
            parse_token_credentials(b"oauth_token=a").unwrap_err(),
            FlowProblem::MissingField {
                field: "oauth_token_secret"
            }
        );
    }
}
