//! The credential seam: how a connection's secret goes onto a request,
//! keyed on the service's auth kind.
//!
//! `invoke` asks for a [`Credential`] and applies it; it never looks at the
//! auth kind itself. OAuth 2.0 kinds send `Authorization: Bearer` (RFC 6750
//! §2.1), or the service's `token_scheme`; `api_key` a header of the service's choosing or a query
//! parameter; `basic` HTTP Basic (RFC 7617); `bearer` a static token.

use base64::Engine;
use url::Url;

use crate::config::{AuthKind, Service};
use crate::error::NeedsUser;
use crate::secret::Secret;
use crate::store::Record;
use crate::{Error, Result};

/// What goes onto a request.
#[derive(Debug, Clone)]
pub enum Credential {
    /// `Authorization: Bearer TOKEN`.
    Bearer(Secret),
    /// `NAME: PREFIX KEY`.
    Header {
        name: String,
        prefix: String,
        key: Secret,
    },
    /// `?NAME=KEY`.
    Query { name: String, key: Secret },
    /// `Authorization: Basic base64(user:password)`.
    Basic { username: String, password: Secret },
}

impl Credential {
    /// The credential of a connection, from its service and its record.
    pub fn for_connection(name: &str, service: &Service, record: &Record) -> Result<Credential> {
        let missing = || Error::NeedsAuthorization {
            name: name.to_string(),
            why: NeedsUser::NoCredential,
        };
        Ok(match service.auth {
            AuthKind::Oauth2 | AuthKind::ClientCredentials | AuthKind::Device => {
                Credential::access_token(service, record.access_token.clone().ok_or_else(missing)?)
            }
            AuthKind::Bearer => Credential::Bearer(record.secret.clone().ok_or_else(missing)?),
            AuthKind::ApiKey => {
                Credential::api_key(service, record.secret.clone().ok_or_else(missing)?)
            }
            AuthKind::Basic => Credential::Basic {
                username: record.username.clone().unwrap_or_default(),
                password: record.secret.clone().ok_or_else(missing)?,
            },
        })
    }

    /// A stand-in with the right shape and no secret, for `--dry-run` and
    /// `--curl`: `value` takes the secret's place.
    pub fn placeholder(service: &Service, value: &str) -> Credential {
        let secret = Secret::new(value);
        match service.auth {
            AuthKind::ApiKey => Credential::api_key(service, secret),
            AuthKind::Basic => Credential::Basic {
                username: "USER".into(),
                password: secret,
            },
            AuthKind::Bearer => Credential::Bearer(secret),
            _ => Credential::access_token(service, secret),
        }
    }

    /// An OAuth access token: `Bearer`, or the service's `token_scheme`;
    /// in the service's `token_header` instead of `Authorization`, bare
    /// unless a `token_scheme` is set.
    fn access_token(service: &Service, token: Secret) -> Credential {
        match (&service.token_header, &service.token_scheme) {
            (Some(header), scheme) => Credential::Header {
                name: header.clone(),
                prefix: scheme.as_ref().map(|s| format!("{s} ")).unwrap_or_default(),
                key: token,
            },
            (None, Some(scheme)) => Credential::Header {
                name: "Authorization".into(),
                prefix: format!("{scheme} "),
                key: token,
            },
            (None, None) => Credential::Bearer(token),
        }
    }

    fn api_key(service: &Service, key: Secret) -> Credential {
        match (&service.api_key_header, &service.api_key_query) {
            (_, Some(query)) => Credential::Query {
                name: query.clone(),
                key,
            },
            (header, None) => Credential::Header {
                name: header.clone().unwrap_or_else(|| "Authorization".into()),
                prefix: service.api_key_prefix.clone().unwrap_or_default(),
                key,
            },
        }
    }

    /// Puts the credential on a request's headers and URL.
    pub fn apply(&self, headers: &mut Vec<(String, String)>, url: &mut Url) {
        if let Some((name, value)) = self.header() {
            headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
            headers.push((name, value));
        }
        if let Credential::Query { name, key } = self {
            let kept: Vec<(String, String)> = url
                .query_pairs()
                .filter(|(k, _)| k != name)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            url.set_query(None);
            let mut pairs = url.query_pairs_mut();
            pairs.extend_pairs(kept);
            pairs.append_pair(name, key.expose());
        }
    }

    /// The header the credential travels in, with its value.
    pub fn header(&self) -> Option<(String, String)> {
        match self {
            Credential::Bearer(token) => {
                Some(("Authorization".into(), format!("Bearer {}", token.expose())))
            }
            Credential::Header { name, prefix, key } => {
                Some((name.clone(), format!("{prefix}{}", key.expose())))
            }
            Credential::Basic { username, password } => {
                let pair = format!("{username}:{}", password.expose());
                let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
                Some(("Authorization".into(), format!("Basic {encoded}")))
            }
            Credential::Query { .. } => None,
        }
    }

    /// The secret itself (the token, key or password).
    pub fn secret(&self) -> &Secret {
        match self {
            Credential::Bearer(s) => s,
            Credential::Header { key, .. } | Credential::Query { key, .. } => key,
            Credential::Basic { password, .. } => password,
        }
    }

    /// Header names whose values must be redacted besides the usual ones.
    pub fn secret_headers(&self) -> Vec<&str> {
        match self {
            Credential::Header { name, .. } => vec![name.as_str()],
            _ => Vec::new(),
        }
    }

    /// Query parameters whose values must be redacted.
    pub fn secret_params(&self) -> Vec<&str> {
        match self {
            Credential::Query { name, .. } => vec![name.as_str()],
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(auth: AuthKind) -> Service {
        Service {
            auth,
            ..Service::default()
        }
    }

    #[test]
    fn each_kind_goes_where_it_belongs() {
        let mut url = Url::parse("https://api.example.com/x?a=1&key=old").unwrap();
        let mut headers = vec![("authorization".to_string(), "user's".to_string())];
        Credential::Bearer(Secret::new("t0k")).apply(&mut headers, &mut url);
        assert_eq!(
            headers,
            [("Authorization".to_string(), "Bearer t0k".to_string())]
        );

        let mut s = service(AuthKind::ApiKey);
        s.api_key_query = Some("key".into());
        let c = Credential::placeholder(&s, "K");
        c.apply(&mut headers, &mut url);
        assert_eq!(url.query(), Some("a=1&key=K"));
        assert_eq!(c.secret_params(), ["key"]);

        let mut s = service(AuthKind::ApiKey);
        s.api_key_header = Some("X-Api-Key".into());
        s.api_key_prefix = Some("Token ".into());
        let c = Credential::placeholder(&s, "K");
        assert_eq!(c.header(), Some(("X-Api-Key".into(), "Token K".into())));

        let basic = Credential::Basic {
            username: "me".into(),
            password: Secret::new("pw"),
        };
        assert_eq!(basic.header().unwrap().1, "Basic bWU6cHc=");
    }

    #[test]
    fn an_access_token_goes_in_the_service_s_token_header() {
        let mut s = service(AuthKind::Oauth2);
        s.token_header = Some("X-Shopify-Access-Token".into());
        let c = Credential::placeholder(&s, "T");
        assert_eq!(
            c.header(),
            Some(("X-Shopify-Access-Token".into(), "T".into()))
        );
        assert_eq!(
            c.secret_headers(),
            ["X-Shopify-Access-Token"],
            "redacted by -v"
        );
        s.token_scheme = Some("Token".into());
        let c = Credential::placeholder(&s, "T");
        assert_eq!(
            c.header(),
            Some(("X-Shopify-Access-Token".into(), "Token T".into()))
        );
    }
}
