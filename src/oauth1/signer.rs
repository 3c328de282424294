//! Signing one request (RFC 5849 §3.1): which protocol parameters it
//! carries, the signature over them, and where they travel (§3.5).
//!
//! A [`Consumer`] is the client's side of the bargain: its key, how it signs
//! ([`ClientSecret`]), the `realm` and the parameter location a provider asks
//! for. [`Credentials`] pair it with the token of a connection, for `invoke`;
//! the temporary-credentials and token requests of `connect` sign with the
//! consumer and the token of the moment (see [`super::token`]).
//!
//! Every signing takes a [`Freshness`] — the timestamp and nonce of §3.3 —
//! from the caller, so tests are deterministic and every retry or redirect
//! hop is signed anew with fresh ones. [`Freshness::generate`] makes the
//! real thing from the clock and the OS RNG.

use std::fmt;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use http::Method;
use url::Url;

use super::SigningProblem;
use super::encode::encode;
use super::header;
use super::signature::{self, RsaKey, SignatureMethod, UnknownName};
use crate::secret::Secret;

/// How many characters an OS nonce has. oauthlib-based providers accept 20
/// to 30 by default (`RequestValidator.nonce_length`); 24 characters of
/// `[A-Za-z0-9]` carry 142 bits, far more than a replay window needs.
pub const NONCE_LEN: usize = 24;

/// The value every request sends as `oauth_version` (§3.1: optional, and
/// "1.0" when present).
const VERSION: &str = "1.0";

/// How the client signs: a shared secret with its method, or an RSA key.
#[derive(Debug, Clone)]
pub enum ClientSecret {
    HmacSha1(Secret),
    HmacSha256(Secret),
    Plaintext(Secret),
    RsaSha1(RsaKey),
}

impl ClientSecret {
    /// The client secret for `method`, from what a service configures: the
    /// shared secret for HMAC and PLAINTEXT, the RSA key for RSA-SHA1. The
    /// one the method does not use may be absent.
    pub fn new(
        method: SignatureMethod,
        shared: Option<Secret>,
        rsa_key: Option<RsaKey>,
    ) -> Result<ClientSecret, SigningProblem> {
        let shared = || shared.ok_or(SigningProblem::MissingSecret { method });
        Ok(match method {
            SignatureMethod::HmacSha1 => ClientSecret::HmacSha1(shared()?),
            SignatureMethod::HmacSha256 => ClientSecret::HmacSha256(shared()?),
            SignatureMethod::Plaintext => ClientSecret::Plaintext(shared()?),
            SignatureMethod::RsaSha1 => {
                ClientSecret::RsaSha1(rsa_key.ok_or(SigningProblem::MissingRsaKey)?)
            }
        })
    }

    pub fn method(&self) -> SignatureMethod {
        match self {
            ClientSecret::HmacSha1(_) => SignatureMethod::HmacSha1,
            ClientSecret::HmacSha256(_) => SignatureMethod::HmacSha256,
            ClientSecret::Plaintext(_) => SignatureMethod::Plaintext,
            ClientSecret::RsaSha1(_) => SignatureMethod::RsaSha1,
        }
    }

    fn sign(
        &self,
        base_string: &str,
        token_secret: Option<&Secret>,
    ) -> Result<Secret, SigningProblem> {
        let none = Secret::default();
        let (shared, rsa_key) = match self {
            ClientSecret::HmacSha1(s)
            | ClientSecret::HmacSha256(s)
            | ClientSecret::Plaintext(s) => (s, None),
            ClientSecret::RsaSha1(key) => (&none, Some(key)),
        };
        signature::sign(self.method(), base_string, shared, token_secret, rsa_key)
    }
}

/// A token and its secret: temporary credentials during `connect`, token
/// credentials after (RFC 5849 §1.1). The identifier is no secret (every
/// request carries it as `oauth_token`, and `-v` may show it); the secret
/// is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub key: String,
    pub secret: Secret,
}

impl Token {
    pub fn new(key: impl Into<String>, secret: Secret) -> Token {
        Token {
            key: key.into(),
            secret,
        }
    }
}

/// Where the protocol parameters travel (RFC 5849 §3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignatureLocation {
    /// The `Authorization: OAuth …` header (§3.5.1), which every provider
    /// must accept.
    #[default]
    Header,
    /// The request URI's query (§3.5.3), for providers that need it.
    Query,
}

impl SignatureLocation {
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureLocation::Header => "header",
            SignatureLocation::Query => "query",
        }
    }
}

impl fmt::Display for SignatureLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SignatureLocation {
    type Err = UnknownName;

    fn from_str(name: &str) -> Result<SignatureLocation, UnknownName> {
        [SignatureLocation::Header, SignatureLocation::Query]
            .into_iter()
            .find(|location| location.as_str() == name)
            .ok_or_else(|| UnknownName {
                what: "signature location",
                name: name.to_string(),
                expected: &["header", "query"],
            })
    }
}

/// What makes one signed request unique (RFC 5849 §3.3): its timestamp in
/// seconds since the epoch and its nonce. A new one for every request,
/// retry and redirect hop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Freshness {
    pub timestamp: u64,
    pub nonce: String,
}

impl Freshness {
    pub fn new(timestamp: u64, nonce: impl Into<String>) -> Freshness {
        Freshness {
            timestamp,
            nonce: nonce.into(),
        }
    }

    /// `now` as the timestamp and a nonce from the OS RNG ([`os_nonce`]).
    pub fn generate(now: SystemTime) -> Result<Freshness, SigningProblem> {
        let timestamp = now
            .duration_since(UNIX_EPOCH)
            .map_err(|_| SigningProblem::ClockBeforeEpoch)?
            .as_secs();
        Ok(Freshness::new(timestamp, os_nonce()?))
    }
}

/// [`NONCE_LEN`] characters of `[A-Za-z0-9]` from the OS RNG. Letters and
/// digits only, because some providers refuse anything else in a nonce.
pub fn os_nonce() -> Result<String, SigningProblem> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    // 248 = 4 × 62: bytes at or above it would favour the first letters,
    // so they are drawn again.
    const LIMIT: u8 = 248;
    let mut nonce = String::with_capacity(NONCE_LEN);
    let mut bytes = [0u8; 2 * NONCE_LEN];
    while nonce.len() < NONCE_LEN {
        getrandom::fill(&mut bytes).map_err(|e| SigningProblem::Random {
            detail: e.to_string(),
        })?;
        nonce.extend(
            bytes
                .iter()
                .filter(|&&b| b < LIMIT)
                .map(|&b| char::from(ALPHABET[usize::from(b) % ALPHABET.len()]))
                .take(NONCE_LEN - nonce.len()),
        );
    }
    Ok(nonce)
}

/// The body of a request, as far as signing cares (RFC 5849 §3.4.1.3.1).
#[derive(Debug, Clone, Copy)]
pub enum Body<'a> {
    /// No body.
    Empty,
    /// An `application/x-www-form-urlencoded` body, as its decoded pairs in
    /// the order sent: they are signed.
    Form(&'a [(String, String)]),
    /// Any other body (JSON, raw bytes): not signed, but hashed into
    /// `oauth_body_hash` when the consumer asks for it.
    Other(&'a [u8]),
}

/// The client side of OAuth 1.0a for one service.
#[derive(Debug, Clone)]
pub struct Consumer {
    key: String,
    secret: ClientSecret,
    realm: Option<String>,
    location: SignatureLocation,
    body_hash: bool,
}

impl Consumer {
    /// A consumer (RFC 5849 "client") with this key and secret, sending its
    /// parameters in the `Authorization` header with no realm and no body
    /// hash.
    pub fn new(key: impl Into<String>, secret: ClientSecret) -> Consumer {
        Consumer {
            key: key.into(),
            secret,
            realm: None,
            location: SignatureLocation::Header,
            body_hash: false,
        }
    }

    /// The `realm` of the `Authorization` header (§3.5.1; never signed).
    pub fn with_realm(mut self, realm: impl Into<String>) -> Consumer {
        self.realm = Some(realm.into());
        self
    }

    pub fn with_location(mut self, location: SignatureLocation) -> Consumer {
        self.location = location;
        self
    }

    /// Sends `oauth_body_hash` on requests whose body is not form-encoded.
    pub fn with_body_hash(mut self, on: bool) -> Consumer {
        self.body_hash = on;
        self
    }

    /// The consumer key (`oauth_consumer_key`).
    pub fn key(&self) -> &str {
        &self.key
    }

    pub fn method(&self) -> SignatureMethod {
        self.secret.method()
    }

    /// Where the protocol parameters travel.
    pub fn location(&self) -> SignatureLocation {
        self.location
    }

    /// Signs a request to a protected resource with `token` (or with none,
    /// for two-legged requests). `url` is the URL as sent, query included.
    pub fn sign(
        &self,
        token: Option<&Token>,
        method: &Method,
        url: &Url,
        body: Body<'_>,
        fresh: &Freshness,
    ) -> Result<Signed, SigningProblem> {
        self.sign_with(token, method, url, body, fresh, Vec::new())
    }

    /// Signs `method url` with `token` and these extra protocol parameters
    /// (`oauth_callback`, `oauth_verifier`).
    pub(crate) fn sign_with(
        &self,
        token: Option<&Token>,
        method: &Method,
        url: &Url,
        body: Body<'_>,
        fresh: &Freshness,
        extra: Vec<(String, String)>,
    ) -> Result<Signed, SigningProblem> {
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(SigningProblem::NotHttp {
                scheme: url.scheme().to_string(),
            });
        }
        let mut params = self.protocol_params(token, fresh);
        params.extend(extra);
        let form: &[(String, String)] = match body {
            Body::Form(pairs) => pairs,
            Body::Empty | Body::Other(_) => &[],
        };
        if self.body_hash {
            // The extension forbids the hash on form bodies, which are
            // signed already.
            match body {
                Body::Form(_) => {}
                Body::Empty => params.push(body_hash_param(b"")),
                Body::Other(bytes) => params.push(body_hash_param(bytes)),
            }
        }
        let base_string = signature::base_string(method.as_str(), url, form, &params);
        let token_secret = token.map(|t| &t.secret);
        let signature = self.secret.sign(&base_string, token_secret)?;
        params.push(("oauth_signature".into(), signature.expose().to_string()));
        Ok(Signed {
            base_string,
            params,
            realm: self.realm.clone(),
            location: self.location,
        })
    }

    /// The protocol parameters of §3.1, before the signature.
    fn protocol_params(&self, token: Option<&Token>, fresh: &Freshness) -> Vec<(String, String)> {
        let mut params = vec![("oauth_consumer_key".to_string(), self.key.clone())];
        if let Some(token) = token {
            params.push(("oauth_token".into(), token.key.clone()));
        }
        params.extend([
            ("oauth_signature_method".into(), self.method().to_string()),
            ("oauth_timestamp".into(), fresh.timestamp.to_string()),
            ("oauth_nonce".into(), fresh.nonce.clone()),
            ("oauth_version".into(), VERSION.into()),
        ]);
        params
    }
}

fn body_hash_param(body: &[u8]) -> (String, String) {
    ("oauth_body_hash".into(), signature::body_hash(body))
}

/// A consumer and the token of a connection: what `invoke` signs with.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub consumer: Consumer,
    pub token: Token,
}

impl Credentials {
    pub fn new(consumer: Consumer, token: Token) -> Credentials {
        Credentials { consumer, token }
    }

    /// Signs one request; see [`Consumer::sign`].
    pub fn sign(
        &self,
        method: &Method,
        url: &Url,
        body: Body<'_>,
        fresh: &Freshness,
    ) -> Result<Signed, SigningProblem> {
        self.consumer
            .sign(Some(&self.token), method, url, body, fresh)
    }
}

/// The protocol parameters of one signed request, `oauth_signature`
/// included, and where they go. Its `Debug` hides the signature.
#[derive(Clone)]
pub struct Signed {
    base_string: String,
    /// Unencoded names and values, `oauth_signature` last.
    params: Vec<(String, String)>,
    realm: Option<String>,
    location: SignatureLocation,
}

impl Signed {
    /// The signature base string (§3.4.1.1). It holds no secret, so `-v`
    /// may show it when a provider refuses a signature.
    pub fn base_string(&self) -> &str {
        &self.base_string
    }

    pub fn location(&self) -> SignatureLocation {
        self.location
    }

    /// The protocol parameter `name`, unencoded. Test-only: a PLAINTEXT
    /// `oauth_signature` is the secrets, and leaves only as a [`Secret`].
    #[cfg(test)]
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The `Authorization` header value (§3.5.1) when the parameters go in
    /// the header: `OAuth realm="…", oauth_consumer_key="…", …`.
    pub fn authorization(&self) -> Option<Secret> {
        (self.location == SignatureLocation::Header)
            .then(|| Secret::new(header::authorization(self.realm.as_deref(), &self.params)))
    }

    /// The URL to send: `url` itself when the parameters go in the header,
    /// else `url` with them appended to its query (§3.5.3). The URL then
    /// holds the signature: print it only through [`redact_url`].
    pub fn url(&self, url: &Url) -> Url {
        let mut url = url.clone();
        if self.location == SignatureLocation::Query {
            let ours: Vec<String> = self
                .params
                .iter()
                .map(|(n, v)| format!("{}={}", encode(n), encode(v)))
                .collect();
            let query = match url.query() {
                Some(query) if !query.is_empty() => format!("{query}&{}", ours.join("&")),
                _ => ours.join("&"),
            };
            url.set_query(Some(&query));
        }
        url
    }

    /// What `-v` and `--dry-run` may show: the header value, or the query
    /// parameters, with the signature hidden.
    pub fn redacted(&self) -> String {
        let params = header::hide_signature(header::encoded(&self.params));
        match self.location {
            SignatureLocation::Header => header::write(self.realm.as_deref(), &params),
            SignatureLocation::Query => {
                let pairs: Vec<String> = params.iter().map(|(n, v)| format!("{n}={v}")).collect();
                pairs.join("&")
            }
        }
    }
}

impl fmt::Debug for Signed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signed")
            .field("location", &self.location)
            .field("params", &self.redacted())
            .finish_non_exhaustive()
    }
}

/// An `Authorization: OAuth …` value fit for `-v` output: every parameter
/// as sent but `oauth_signature`, whose whole value is replaced (a
/// PLAINTEXT signature is the client and token secrets). A value that is
/// not an OAuth one is hidden entirely.
pub fn redact_authorization(value: &str) -> String {
    header::redact_authorization(value)
}

/// `url` as text with the value of any `oauth_signature` query parameter
/// hidden, for a request signed with [`SignatureLocation::Query`].
pub fn redact_url(url: &Url) -> String {
    let Some(query) = url.query() else {
        return url.to_string();
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|part| match part.split_once('=') {
            Some(("oauth_signature", _)) => format!("oauth_signature={}", header::REDACTED),
            _ => part.to_string(),
        })
        .collect();
    let mut shown = url.clone();
    shown.set_query(Some(&parts.join("&")));
    shown.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// OAuth Core 1.0 Appendix A.5: the photos.example.net request.
    fn photos() -> Credentials {
        let consumer = Consumer::new(
            "dpf43f3p2l4k3l03",
            ClientSecret::HmacSha1(Secret::new("kd94hf93k423kf44")),
        )
        .with_realm("http://photos.example.net/");
        let token = Token::new("nnch734d00sl2jdk", Secret::new("pfkkdhi9sl3r4s00"));
        Credentials::new(consumer, token)
    }

    fn photos_url() -> Url {
        Url::parse("http://photos.example.net/photos?file=vacation.jpg&size=original").unwrap()
    }

    fn photos_fresh() -> Freshness {
        Freshness::new(1191242096, "kllo9940pd9333jh")
    }

    #[test]
    fn oauth_core_appendix_a5_signature() {
        let signed = photos()
            .sign(&Method::GET, &photos_url(), Body::Empty, &photos_fresh())
            .unwrap();
        assert_eq!(
            signed.base_string(),
            "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26\
             oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26\
             oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26\
             oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal"
        );
        assert_eq!(
            signed.param("oauth_signature"),
            Some("tR3+Ty81lMeYAr/Fid0kMTYa/WM=")
        );
        assert_eq!(
            signed.authorization().unwrap().expose(),
            "OAuth realm=\"http://photos.example.net/\", \
             oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", \
             oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1191242096\", \
             oauth_nonce=\"kllo9940pd9333jh\", oauth_version=\"1.0\", \
             oauth_signature=\"tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D\""
        );
        assert_eq!(signed.url(&photos_url()), photos_url());
    }

    #[test]
    fn query_location_appends_the_parameters_to_the_query() {
        let mut credentials = photos();
        credentials.consumer = credentials.consumer.with_location(SignatureLocation::Query);
        let signed = credentials
            .sign(&Method::GET, &photos_url(), Body::Empty, &photos_fresh())
            .unwrap();
        assert_eq!(signed.authorization(), None);
        let url = signed.url(&photos_url());
        assert_eq!(
            url.as_str(),
            "http://photos.example.net/photos?file=vacation.jpg&size=original\
             &oauth_consumer_key=dpf43f3p2l4k3l03&oauth_token=nnch734d00sl2jdk\
             &oauth_signature_method=HMAC-SHA1&oauth_timestamp=1191242096\
             &oauth_nonce=kllo9940pd9333jh&oauth_version=1.0\
             &oauth_signature=tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D"
        );
        // The realm belongs to the header only (§3.5.1); in the query it
        // would become a signed parameter.
        assert!(!url.as_str().contains("realm"));
        assert_eq!(
            redact_url(&url),
            "http://photos.example.net/photos?file=vacation.jpg&size=original\
             &oauth_consumer_key=dpf43f3p2l4k3l03&oauth_token=nnch734d00sl2jdk\
             &oauth_signature_method=HMAC-SHA1&oauth_timestamp=1191242096\
             &oauth_nonce=kllo9940pd9333jh&oauth_version=1.0&oauth_signature=(redacted)"
        );
    }

    #[test]
    fn nothing_that_prints_shows_the_signature_or_a_secret() {
        let consumer = Consumer::new("key", ClientSecret::Plaintext(Secret::new("cs-value")));
        let credentials = Credentials::new(consumer, Token::new("tok", Secret::new("ts-value")));
        let signed = credentials
            .sign(&Method::GET, &photos_url(), Body::Empty, &photos_fresh())
            .unwrap();
        let header = signed.authorization().unwrap();
        assert!(header.expose().contains("cs-value%26ts-value"));
        for shown in [
            format!("{credentials:?}"),
            format!("{signed:?}"),
            signed.redacted(),
            redact_authorization(header.expose()),
            format!("{header:?}"),
        ] {
            assert!(!shown.contains("-value"), "{shown}");
        }
        assert_eq!(
            signed.redacted(),
            "OAuth oauth_consumer_key=\"key\", oauth_token=\"tok\", \
             oauth_signature_method=\"PLAINTEXT\", oauth_timestamp=\"1191242096\", \
             oauth_nonce=\"kllo9940pd9333jh\", oauth_version=\"1.0\", \
             oauth_signature=\"(redacted)\""
        );
    }

    #[test]
    fn form_bodies_are_signed_and_other_bodies_are_not() {
        let credentials = photos();
        let url = Url::parse("https://api.example.com/statuses").unwrap();
        let sign = |body| {
            credentials
                .sign(&Method::POST, &url, body, &photos_fresh())
                .unwrap()
        };
        let form = vec![("status".to_string(), "a b+c".to_string())];
        assert!(
            sign(Body::Form(&form))
                .base_string()
                .contains("status%3Da%2520b%252Bc")
        );
        let json = sign(Body::Other(br#"{"status":"x"}"#));
        assert!(!json.base_string().contains("status%3D"));
        assert_eq!(json.param("oauth_body_hash"), None);
        assert_eq!(
            json.base_string(),
            sign(Body::Empty).base_string(),
            "a JSON body is not a parameter"
        );
    }

    #[test]
    fn body_hash_is_sent_and_signed_for_non_form_bodies_only() {
        let mut credentials = photos();
        credentials.consumer = credentials.consumer.with_body_hash(true);
        let url = Url::parse("https://api.example.com/statuses").unwrap();
        let sign = |body| {
            credentials
                .sign(&Method::POST, &url, body, &photos_fresh())
                .unwrap()
        };
        let text = sign(Body::Other(b"Hello World!"));
        assert_eq!(
            text.param("oauth_body_hash"),
            Some("Lve95gjOVATpfV8EL5X4nxwjKHE=")
        );
        assert!(
            text.base_string()
                .contains("oauth_body_hash%3DLve95gjOVATpfV8EL5X4nxwjKHE%253D")
        );
        assert_eq!(
            sign(Body::Empty).param("oauth_body_hash"),
            Some("2jmj7l5rSw0yVb/vlWAYkK/YBwk=")
        );
        let form = vec![("a".to_string(), "b".to_string())];
        assert_eq!(sign(Body::Form(&form)).param("oauth_body_hash"), None);
    }

    #[test]
    fn only_http_urls_are_signed() {
        let url = Url::parse("ftp://example.com/file").unwrap();
        let err = photos()
            .sign(&Method::GET, &url, Body::Empty, &photos_fresh())
            .unwrap_err();
        assert_eq!(
            err,
            SigningProblem::NotHttp {
                scheme: "ftp".into()
            }
        );
    }

    #[test]
    fn client_secret_needs_what_its_method_uses() {
        assert_eq!(
            ClientSecret::new(SignatureMethod::HmacSha256, None, None).unwrap_err(),
            SigningProblem::MissingSecret {
                method: SignatureMethod::HmacSha256
            }
        );
        assert_eq!(
            ClientSecret::new(SignatureMethod::RsaSha1, Some(Secret::new("s")), None).unwrap_err(),
            SigningProblem::MissingRsaKey
        );
        let plaintext = ClientSecret::new(SignatureMethod::Plaintext, Some(Secret::new("s")), None);
        assert_eq!(plaintext.unwrap().method(), SignatureMethod::Plaintext);
    }

    #[test]
    fn os_nonces_are_alphanumeric_and_differ() {
        let a = os_nonce().unwrap();
        let b = os_nonce().unwrap();
        assert_eq!(a.len(), NONCE_LEN);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()), "{a}");
        assert_ne!(a, b);
        let fresh = Freshness::generate(UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000))
            .unwrap();
        assert_eq!(fresh.timestamp, 1_700_000_000);
        assert_eq!(
            Freshness::generate(UNIX_EPOCH - std::time::Duration::from_secs(1)).unwrap_err(),
            SigningProblem::ClockBeforeEpoch
        );
    }

    #[test]
    fn location_names_parse_and_print() {
        assert_eq!("query".parse(), Ok(SignatureLocation::Query));
        assert_eq!(SignatureLocation::Header.to_string(), "header");
        assert_eq!(
            "body".parse::<SignatureLocation>().unwrap_err().to_string(),
            "unknown signature location `body`: expected `header` or `query`"
        );
    }
}
