//! The credential seam: how a connection's secret goes onto a request,
//! keyed on the service's auth kind.
//!
//! `invoke` asks for a [`Credential`] and applies it; it never looks at the
//! auth kind itself. OAuth 2.0 kinds send `Authorization: Bearer` (RFC 6750
//! §2.1), or the service's `token_scheme`; `api_key` a header of the service's choosing or a query
//! parameter; `basic` HTTP Basic (RFC 7617); `bearer` a static token.
//!
//! OAuth 1.0a signs every request anew (RFC 5849 §3.4): its method, its
//! URL and its form body, with a fresh timestamp and nonce, through
//! [`Credential::apply_to`], which `send` calls for every attempt, retry
//! and redirect hop.
//!
//! Before anything is sent, [`Credential::check_items`] refuses request
//! items that would undo where the credential goes ([`ItemRefusal`]): an
//! item for its own header or query parameter, which the credential would
//! silently replace, and a `Host` item, which would make the server take
//! the credential for another host, unless `--allow-host` names that host.

use std::time::SystemTime;

use base64::Engine;
use url::{Url, form_urlencoded};

use super::items::RequestItems;
use super::target::Method;
use crate::config::hosts::HostPattern;
use crate::config::{AuthKind, Service};
use crate::error::NeedsUser;
use crate::oauth1::{self, Consumer, Credentials, Freshness, SignatureLocation, Token};
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
    /// OAuth 1.0a: the consumer and the connection's token credentials,
    /// which sign each request; `service` names the service in errors.
    OAuth1 {
        service: String,
        credentials: Box<Credentials>,
    },
}

impl Credential {
    /// The credential of a connection, from its service and its record;
    /// `consumer` gives an OAuth 1.0a service's consumer (its secret or
    /// key read from where the service keeps it), asked only for one.
    pub fn for_connection(
        name: &str,
        service: &Service,
        record: &Record,
        consumer: impl FnOnce() -> Result<Consumer>,
    ) -> Result<Credential> {
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
            AuthKind::Oauth1 => {
                let (Some(key), Some(secret)) = (&record.access_token, &record.token_secret) else {
                    return Err(missing());
                };
                let token = Token::new(key.expose(), secret.clone());
                Credential::OAuth1 {
                    service: record.service.clone(),
                    credentials: Box::new(Credentials::new(consumer()?, token)),
                }
            }
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
            // A signature in the header or the query, where `-v` and
            // `--dry-run` show it redacted.
            AuthKind::Oauth1 => match service.signature_location.unwrap_or_default() {
                SignatureLocation::Header => Credential::Header {
                    name: "Authorization".into(),
                    prefix: "OAuth ".into(),
                    key: secret,
                },
                SignatureLocation::Query => Credential::Query {
                    name: "oauth_signature".into(),
                    key: secret,
                },
            },
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

    /// Puts the credential on one request as it is sent: `method` to `url`
    /// with these headers and `body`. An OAuth 1.0a credential signs it,
    /// with a new timestamp and nonce each time (RFC 5849 §3.3): a form
    /// body's fields are signed, another body is not (§3.4.1.3.1).
    pub fn apply_to(
        &self,
        method: Method,
        headers: &mut Vec<(String, String)>,
        url: &mut Url,
        body: Option<&[u8]>,
    ) -> Result<()> {
        let Credential::OAuth1 {
            service,
            credentials,
        } = self
        else {
            self.apply(headers, url);
            return Ok(());
        };
        let failed = |problem| Error::Signing {
            service: service.clone(),
            problem,
        };
        let form = body.filter(|_| is_form(headers)).map(|bytes| {
            form_urlencoded::parse(bytes)
                .map(|(n, v)| (n.into_owned(), v.into_owned()))
                .collect::<Vec<_>>()
        });
        let body = match (&form, body) {
            (Some(pairs), _) => oauth1::Body::Form(pairs),
            (None, Some(bytes)) => oauth1::Body::Other(bytes),
            (None, None) => oauth1::Body::Empty,
        };
        let method = ::http::Method::from_bytes(method.as_str().as_bytes())
            .expect("every method tether sends is a valid HTTP method");
        let fresh = Freshness::generate(SystemTime::now()).map_err(failed)?;
        let signed = credentials
            .sign(&method, url, body, &fresh)
            .map_err(failed)?;
        if let Some(value) = signed.authorization() {
            headers.retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
            headers.push(("Authorization".into(), value.expose().to_string()));
        }
        *url = signed.url(url);
        Ok(())
    }

    /// Puts the credential on a request's headers and URL. An OAuth 1.0a
    /// credential signs each request and goes through
    /// [`Credential::apply_to`] alone.
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

    /// The name of the header the credential travels in.
    fn header_name(&self) -> Option<&str> {
        match self {
            Credential::Bearer(_) | Credential::Basic { .. } => Some("Authorization"),
            Credential::Header { name, .. } => Some(name),
            Credential::Query { .. } => None,
            Credential::OAuth1 { credentials, .. } => match credentials.consumer.location() {
                SignatureLocation::Header => Some("Authorization"),
                SignatureLocation::Query => None,
            },
        }
    }

    /// Refuses request `items` that would undo where the credential goes
    /// on a request to `url`: an item for the credential's header or query
    /// parameter, and a `Host` item for a host other than the URL's that
    /// no `--allow-host` pattern (`allow_host`) names. Items without the
    /// credential (`--no-auth`) are not checked.
    pub fn check_items(
        &self,
        connection: &str,
        items: &RequestItems,
        url: &Url,
        allow_host: &[String],
    ) -> Result<()> {
        let refuse = |why: ItemRefusal| Error::RefusedItem {
            connection: connection.to_string(),
            why,
        };
        let own = self.header_name();
        for (name, value) in &items.headers {
            if own.is_some_and(|own| own.eq_ignore_ascii_case(name)) {
                return Err(refuse(ItemRefusal::Header { name: name.clone() }));
            }
            if let (true, Some(host)) = (name.eq_ignore_ascii_case("host"), value)
                && !host_allowed(host, url, allow_host)
            {
                return Err(refuse(ItemRefusal::Host { host: host.clone() }));
            }
        }
        if let Credential::Query { name: param, .. } = self
            && let Some((name, _)) = items.query.iter().find(|(name, _)| name == param)
        {
            return Err(refuse(ItemRefusal::Param { name: name.clone() }));
        }
        Ok(())
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
            Credential::Query { .. } | Credential::OAuth1 { .. } => None,
        }
    }

    /// The secret itself (the token, key or password; OAuth 1.0a's token
    /// secret).
    pub fn secret(&self) -> &Secret {
        match self {
            Credential::Bearer(s) => s,
            Credential::Header { key, .. } | Credential::Query { key, .. } => key,
            Credential::Basic { password, .. } => password,
            Credential::OAuth1 { credentials, .. } => &credentials.token.secret,
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

/// Whether `headers` say the body is `application/x-www-form-urlencoded`.
fn is_form(headers: &[(String, String)]) -> bool {
    headers.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case("content-type") && super::media_type(value) == FORM
    })
}

const FORM: &str = "application/x-www-form-urlencoded";

/// Whether a `Host` item's `host` may go with the credential to `url`:
/// it names the URL's own host and port, or what an `allow_host` pattern
/// allows. Anything but a bare `host[:port]` is refused.
fn host_allowed(host: &str, url: &Url, allow_host: &[String]) -> bool {
    if host.contains(['/', '?', '#', '@', '\\']) {
        return false;
    }
    let Ok(named) = Url::parse(&format!("{}://{host}/", url.scheme())) else {
        return false;
    };
    let Some(named_host) = named.host() else {
        return false;
    };
    let port = named.port_or_known_default();
    if url.host() == Some(named_host.clone()) && url.port_or_known_default() == port {
        return true;
    }
    allow_host
        .iter()
        .filter_map(|pattern| HostPattern::parse(pattern).ok())
        .any(|pattern| pattern.matches_host(&named_host) && pattern.matches_port(&named))
}

/// A request item that would undo where the credential goes
/// ([`Error::RefusedItem`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemRefusal {
    /// An item for the header the credential travels in.
    Header { name: String },
    /// A query item for the parameter the credential travels in.
    Param { name: String },
    /// A `Host` item for a host that `--allow-host` does not name.
    Host { host: String },
}

impl ItemRefusal {
    /// The message, for the credential of `connection`. It names the
    /// item, never its value: that may be a secret of the user's.
    pub fn message(&self, connection: &str) -> String {
        match self {
            ItemRefusal::Header { name } => format!(
                "the `{name}` item would be replaced by the credential of `{connection}`, which goes in that header"
            ),
            ItemRefusal::Param { name } => format!(
                "the `{name}==` item would be replaced by the credential of `{connection}`, which goes in that query parameter"
            ),
            ItemRefusal::Host { host } => format!(
                "the `Host: {host}` item would send the credential of `{connection}` to {host}"
            ),
        }
    }

    pub fn hint(&self) -> String {
        const NO_AUTH: &str = "pass `--no-auth` to send the request without the credential";
        match self {
            ItemRefusal::Header { .. } | ItemRefusal::Param { .. } => {
                format!("drop the item, or {NO_AUTH}")
            }
            ItemRefusal::Host { host } if HostPattern::parse(host).is_ok() => format!(
                "if `{host}` is really this service's, pass `--allow-host {host}`; or {NO_AUTH}"
            ),
            ItemRefusal::Host { .. } => NO_AUTH.to_string(),
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

    fn oauth1(location: SignatureLocation) -> Credential {
        let secret = oauth1::ClientSecret::HmacSha1(Secret::new("consumer secret"));
        let consumer = Consumer::new("ck", secret).with_location(location);
        let token = Token::new("tk", Secret::new("token secret"));
        Credential::OAuth1 {
            service: "s".into(),
            credentials: Box::new(Credentials::new(consumer, token)),
        }
    }

    /// The value of `name` in an `Authorization: OAuth …` value.
    fn oauth_param(headers: &[(String, String)], name: &str) -> String {
        let (_, value) = headers.iter().find(|(n, _)| n == "Authorization").unwrap();
        let start = value.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        value[start..][..value[start..].find('"').unwrap()].to_string()
    }

    #[test]
    fn every_oauth1_attempt_is_signed_anew() {
        let credential = oauth1(SignatureLocation::Header);
        let url = Url::parse("https://api.example.com/x?a=1").unwrap();
        let sign = |headers: &mut Vec<(String, String)>, body: Option<&[u8]>| {
            let mut wire = url.clone();
            credential
                .apply_to(Method::Post, headers, &mut wire, body)
                .unwrap();
            assert_eq!(wire, url, "header signing leaves the URL alone");
        };
        let form = vec![(
            "Content-Type".to_string(),
            "application/x-www-form-urlencoded".to_string(),
        )];
        let (mut first, mut second) = (form.clone(), form);
        sign(&mut first, Some(b"b=2"));
        sign(&mut second, Some(b"b=2"));
        assert_eq!(oauth_param(&first, "oauth_token"), "tk");
        assert_ne!(
            oauth_param(&first, "oauth_nonce"),
            oauth_param(&second, "oauth_nonce"),
            "a retry or a redirect hop has its own nonce"
        );
        // That the form's fields are signed and a JSON body's are not,
        // oauthlib checks in the integration tests.
        assert_eq!(first.len(), 2, "the user's Content-Type stays");
        let mut json = vec![("Content-Type".to_string(), "application/json".to_string())];
        sign(&mut json, Some(b"{}"));
        assert_eq!(oauth_param(&json, "oauth_signature_method"), "HMAC-SHA1");
    }

    #[test]
    fn an_oauth1_query_signature_goes_in_the_url() {
        let credential = oauth1(SignatureLocation::Query);
        let mut url = Url::parse("https://api.example.com/x?a=1").unwrap();
        let mut headers = Vec::new();
        credential
            .apply_to(Method::Get, &mut headers, &mut url, None)
            .unwrap();
        assert!(headers.is_empty());
        let names: Vec<String> = url.query_pairs().map(|(n, _)| n.into_owned()).collect();
        assert_eq!(names[0], "a");
        assert!(names.contains(&"oauth_signature".to_string()), "{url}");
        assert_eq!(credential.header_name(), None);
        assert_eq!(
            oauth1(SignatureLocation::Header).header_name(),
            Some("Authorization")
        );
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
    fn items_that_would_undo_the_credential_are_refused() {
        let url = Url::parse("https://api.example.com/x").unwrap();
        let items = |list: &[&str]| {
            let list: Vec<String> = list.iter().map(|s| (*s).to_string()).collect();
            crate::http::items::parse(&list, |_| unreachable!()).unwrap()
        };
        let check = |credential: &Credential, list: &[&str], allow: &[&str]| {
            let allow: Vec<String> = allow.iter().map(|s| (*s).to_string()).collect();
            match credential.check_items("c", &items(list), &url, &allow) {
                Ok(()) => None,
                Err(Error::RefusedItem { why, .. }) => Some(why),
                Err(other) => panic!("{other}"),
            }
        };
        let bearer = Credential::Bearer(Secret::new("t"));
        let header = |name: &str| Some(ItemRefusal::Header { name: name.into() });
        let host = |host: &str| Some(ItemRefusal::Host { host: host.into() });
        assert_eq!(
            check(&bearer, &["authorization:x"], &[]),
            header("authorization")
        );
        assert_eq!(
            check(&bearer, &["Authorization:"], &[]),
            header("Authorization")
        );
        assert_eq!(check(&bearer, &["X-Key:x", "key==v"], &[]), None);

        let mut keyed = service(AuthKind::ApiKey);
        keyed.api_key_header = Some("X-Key".into());
        let keyed = Credential::placeholder(&keyed, "K");
        assert_eq!(check(&keyed, &["x-key;"], &[]), header("x-key"));
        assert_eq!(check(&keyed, &["Authorization:mine"], &[]), None);

        let mut query = service(AuthKind::ApiKey);
        query.api_key_query = Some("key".into());
        let query = Credential::placeholder(&query, "K");
        assert_eq!(
            check(&query, &["Key==other", "key==mine"], &[]),
            Some(ItemRefusal::Param { name: "key".into() })
        );
        assert_eq!(check(&query, &["Authorization:mine"], &[]), None);

        // Host: the URL's own, or what `--allow-host` names.
        for own in ["api.example.com", "API.example.com", "api.example.com:443"] {
            assert_eq!(
                check(&bearer, &[&format!("Host:{own}")], &[]),
                None,
                "{own}"
            );
        }
        assert_eq!(
            check(&bearer, &["Host:api.example.com:8443"], &[]),
            host("api.example.com:8443")
        );
        assert_eq!(
            check(&bearer, &["Host:evil.com"], &["api.example.com"]),
            host("evil.com")
        );
        assert_eq!(check(&bearer, &["Host:evil.com"], &["evil.com"]), None);
        assert_eq!(check(&bearer, &["Host:a.evil.com"], &["*.evil.com"]), None);
        assert_eq!(
            check(&bearer, &["Host:evil.com:8443"], &["evil.com"]),
            host("evil.com:8443")
        );
        assert_eq!(
            check(&bearer, &["Host:evil.com:8443"], &["evil.com:8443"]),
            None
        );
        assert_eq!(check(&bearer, &["Host:[::1]:9"], &["[::1]:9"]), None);
        for odd in ["evil.com@api.example.com", "api.example.com/x", "a b"] {
            let item = format!("Host:{odd}");
            assert_eq!(
                check(&bearer, &[&item], &["*.example.com"]),
                host(odd),
                "{odd}"
            );
        }
        assert_eq!(check(&bearer, &["Host;"], &[]), host(""));
        // Removing a header is not naming a host.
        assert_eq!(check(&bearer, &["Host:"], &[]), None);
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
