//! tether's OAuth 1.0a against oauthlib, the reference it is pinned to:
//!
//! * every vector of `tests/oauth1/vectors.json` (made offline by
//!   `tests/oauth1/make_vectors.py` with oauthlib's client) is signed again
//!   here, and its base string, signature and header or URL must match;
//! * the test provider (`tests/oauth1/provider.py`, oauthlib's server
//!   endpoints) must accept what tether signs, through the whole
//!   three-legged flow and for every signature method. It runs when
//!   `tests/oauth1/setup.sh` has made its venv; without one the test says so
//!   and passes, except under `CI`, where a missing provider fails it.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

use http::Method;
use serde::Deserialize;
use serde_json::{Value, json};
use url::{Position, Url, form_urlencoded};

use super::encode::decode;
use super::header::auth_params;
use super::problem::{self, Problem};
use super::token::{self, Callback};
use super::*;
use crate::secret::Secret;

#[derive(Debug, Deserialize)]
struct Vectors {
    generator: String,
    vectors: Vec<Vector>,
}

/// One request as `make_vectors.py` describes it, and what oauthlib made.
#[derive(Debug, Deserialize)]
struct Vector {
    name: String,
    signature_method: String,
    location: String,
    http_method: String,
    url: String,
    form: Option<Vec<(String, String)>>,
    body: Option<String>,
    body_hash: bool,
    consumer_key: String,
    consumer_secret: Option<String>,
    rsa_key: Option<String>,
    token: Option<String>,
    token_secret: Option<String>,
    callback: Option<String>,
    verifier: Option<String>,
    realm: Option<String>,
    timestamp: String,
    nonce: String,
    base_string: String,
    signature: String,
    authorization: Option<String>,
    signed_url: Option<String>,
}

const RSA_PKCS1: &str = include_str!("../../tests/oauth1/rsa_private_pkcs1.pem");
const RSA_PKCS8: &str = include_str!("../../tests/oauth1/rsa_private_pkcs8.pem");

impl Vector {
    fn consumer(&self) -> Consumer {
        let method: SignatureMethod = self.signature_method.parse().unwrap();
        let rsa_key = self.rsa_key.as_deref().map(|file| {
            let pem = match file {
                "rsa_private_pkcs1.pem" => RSA_PKCS1,
                "rsa_private_pkcs8.pem" => RSA_PKCS8,
                other => panic!("{}: unknown key file {other}", self.name),
            };
            RsaKey::from_pem(pem).unwrap()
        });
        let secret = ClientSecret::new(
            method,
            self.consumer_secret.clone().map(Secret::new),
            rsa_key,
        );
        let mut consumer = Consumer::new(&self.consumer_key, secret.unwrap())
            .with_location(self.location.parse().unwrap())
            .with_body_hash(self.body_hash);
        if let Some(realm) = &self.realm {
            consumer = consumer.with_realm(realm);
        }
        consumer
    }

    fn token(&self) -> Option<Token> {
        let secret = Secret::new(self.token_secret.clone().unwrap_or_default());
        self.token.as_ref().map(|key| Token::new(key, secret))
    }

    /// Signs the vector's request the way `connect` or `invoke` would.
    fn sign(&self) -> Signed {
        let consumer = self.consumer();
        let url = Url::parse(&self.url).unwrap();
        let fresh = Freshness::new(self.timestamp.parse().unwrap(), &self.nonce);
        let signed = if let Some(callback) = &self.callback {
            let callback = match callback.as_str() {
                "oob" => Callback::Oob,
                url => Callback::Url(Url::parse(url).unwrap()),
            };
            consumer.sign_temporary_credentials_request(&url, &callback, &fresh)
        } else if let Some(verifier) = &self.verifier {
            let temporary = self.token().unwrap();
            consumer.sign_token_request(&url, &temporary, &Secret::new(verifier), &fresh)
        } else {
            let body = match (&self.form, &self.body) {
                (Some(form), _) => Body::Form(form),
                (None, Some(body)) => Body::Other(body.as_bytes()),
                (None, None) => Body::Empty,
            };
            let method = Method::from_bytes(self.http_method.as_bytes()).unwrap();
            consumer.sign(self.token().as_ref(), &method, &url, body, &fresh)
        };
        signed.unwrap_or_else(|e| panic!("{}: {e}", self.name))
    }
}

/// Header params with values decoded, as a set: order is free (§3.5.1).
fn header_params(value: &str) -> BTreeSet<(String, String)> {
    auth_params(value)
        .into_iter()
        .map(|(n, v)| match n.as_str() {
            "realm" => (n, v),
            _ => (decode(&n), decode(&v)),
        })
        .collect()
}

fn query_params(url: &Url) -> BTreeSet<(String, String)> {
    url.query_pairs()
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect()
}

#[test]
fn oauthlib_vectors_are_reproduced_exactly() {
    let vectors: Vectors =
        serde_json::from_str(include_str!("../../tests/oauth1/vectors.json")).unwrap();
    assert!(
        vectors.generator.contains("oauthlib 4.0.1"),
        "{}",
        vectors.generator
    );
    let mut methods = BTreeSet::new();
    for vector in &vectors.vectors {
        let signed = vector.sign();
        assert_eq!(
            signed.base_string(),
            vector.base_string,
            "{}: base string",
            vector.name
        );
        assert_eq!(
            signed.param("oauth_signature"),
            Some(vector.signature.as_str()),
            "{}: signature",
            vector.name
        );
        match (&vector.authorization, &vector.signed_url) {
            (Some(expected), None) => {
                let ours = signed.authorization().expect("a header-signed request");
                assert_eq!(
                    header_params(ours.expose()),
                    header_params(expected),
                    "{}: Authorization",
                    vector.name
                );
            }
            (None, Some(expected)) => {
                assert_eq!(signed.authorization(), None, "{}", vector.name);
                let ours = signed.url(&Url::parse(&vector.url).unwrap());
                assert_eq!(
                    query_params(&ours),
                    query_params(&Url::parse(expected).unwrap()),
                    "{}: signed URL",
                    vector.name
                );
            }
            _ => panic!("{}: a vector has a header or a signed URL", vector.name),
        }
        methods.insert(vector.signature_method.clone());
    }
    assert_eq!(methods.len(), 4, "every method has vectors: {methods:?}");
    assert!(
        vectors.vectors.len() >= 70,
        "{} vectors",
        vectors.vectors.len()
    );
}

// ---- against the oauthlib provider --------------------------------------------------

const HMAC_KEY: &str = "tetherhmacconsumerkey01";
const HMAC_SECRET: &str = "hmac consumer secret ~*+&é";
const RSA_KEY: &str = "tetherrsaconsumerkey001";
const PLAIN_KEY: &str = "tetherplainconsumerkey1";
const PLAIN_SECRET: &str = "plain consumer secret&+~ %";

/// How long the provider may take to print its line: Python and oauthlib
/// load in ~0.3 s, but tests share 2 cores with the build.
const START_TIMEOUT: Duration = Duration::from_secs(30);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The provider, started once for all these tests. It exits when the test
/// binary does: its stdin, held here, closes.
#[derive(Debug)]
struct Provider {
    base: Url,
    _child: Child,
    _stdin: ChildStdin,
}

fn ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// The running provider, or None (and a note) when its venv is not there.
fn provider() -> Option<&'static Provider> {
    static PROVIDER: OnceLock<Option<Provider>> = OnceLock::new();
    PROVIDER.get_or_init(start_provider).as_ref()
}

fn start_provider() -> Option<Provider> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oauth1");
    // The venv's python is the real interpreter, not pyenv's forking shim.
    let python = dir.join(".venv/bin/python");
    if !python.exists() {
        assert!(
            !ci(),
            "the OAuth 1.0a test provider is not installed: run tests/oauth1/setup.sh"
        );
        eprintln!(
            "note: skipping the oauthlib provider test: run tests/oauth1/setup.sh to enable it"
        );
        return None;
    }
    let mut child = Command::new(&python)
        .arg(dir.join("provider.py"))
        .arg("--until-stdin-closes")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = send.send(line);
    });
    let line = receive.recv_timeout(START_TIMEOUT).unwrap_or_default();
    let started: Value = serde_json::from_str(&line).unwrap_or_else(|_| {
        panic!("the OAuth 1.0a test provider did not start (printed {line:?})")
    });
    Some(Provider {
        base: Url::parse(started["url"].as_str().unwrap()).unwrap(),
        _child: child,
        _stdin: stdin,
    })
}

/// One HTTP/1.1 exchange, enough for a loopback test server.
#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("not JSON: {self:?}"))
    }
}

fn exchange(method: &Method, url: &Url, headers: &[(&str, &str)], body: &[u8]) -> Response {
    let host = url.host_str().unwrap();
    let port = url.port_or_known_default().unwrap();
    let mut stream = TcpStream::connect((host, port)).unwrap();
    stream.set_read_timeout(Some(REQUEST_TIMEOUT)).unwrap();
    let target = &url[Position::BeforePath..Position::AfterQuery];
    let mut request = format!(
        "{method} {target} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8(raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.to_string(), v.trim().to_string()))
        .collect();
    Response {
        status,
        headers,
        body: body.to_string(),
    }
}

/// Sends `method url` signed by `signed`, with this body.
fn send_signed(
    signed: &Signed,
    method: &Method,
    url: &Url,
    content_type: Option<&str>,
    body: &[u8],
) -> Response {
    let authorization = signed.authorization();
    let mut headers = Vec::new();
    if let Some(value) = &authorization {
        headers.push(("Authorization", value.expose()));
    }
    if let Some(content_type) = content_type {
        headers.push(("Content-Type", content_type));
    }
    exchange(method, &signed.url(url), &headers, body)
}

fn fresh() -> Freshness {
    Freshness::generate(SystemTime::now()).unwrap()
}

fn form_body(pairs: &[(String, String)]) -> Vec<u8> {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
        .into_bytes()
}

/// Name-value pairs from string slices, for the tests of this module's
/// parts.
pub(crate) fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

impl Provider {
    fn url(&self, path: &str) -> Url {
        self.base.join(path).unwrap()
    }

    fn admin(&self, path: &str, value: &Value) -> Value {
        let body = value.to_string();
        let response = exchange(&Method::POST, &self.url(path), &[], body.as_bytes());
        assert_eq!(response.status, 200, "{path}: {response:?}");
        response.json()
    }

    /// Credentials with a token minted by the provider, skipping the flow.
    fn credentials(&self, consumer: Consumer) -> Credentials {
        let minted = self.admin("/__test/tokens", &json!({ "client_key": consumer.key() }));
        let token = Token::new(
            minted["oauth_token"].as_str().unwrap(),
            Secret::new(minted["oauth_token_secret"].as_str().unwrap()),
        );
        Credentials::new(consumer, token)
    }

    /// GET with a tricky query and POST with a tricky form: both 200, and
    /// the provider saw the values tether signed.
    fn assert_accepts(&self, credentials: &Credentials) {
        let url = self.url("/api/items/1?q=a+b%20c&star=*&t=~&e=caf%C3%A9&rep=2&rep=1&empty=&flag");
        let signed = credentials
            .sign(&Method::GET, &url, Body::Empty, &fresh())
            .unwrap();
        let response = send_signed(&signed, &Method::GET, &url, None, b"");
        assert_eq!(
            response.status,
            200,
            "{} GET: {response:?}",
            credentials.consumer.method()
        );
        let query = response.json()["query"].clone();
        assert!(
            query.as_array().unwrap().contains(&json!(["e", "café"])),
            "{query}"
        );

        let form = pairs(&[
            ("space", "a b"),
            ("plus", "1+1=2"),
            ("star", "*"),
            ("rep", "b"),
            ("rep", "a"),
            ("é", "Zoë ☃"),
            ("empty", ""),
        ]);
        let url = self.url("/api/items?rep=c");
        let signed = credentials
            .sign(&Method::POST, &url, Body::Form(&form), &fresh())
            .unwrap();
        let content_type = Some("application/x-www-form-urlencoded");
        let response = send_signed(
            &signed,
            &Method::POST,
            &url,
            content_type,
            &form_body(&form),
        );
        assert_eq!(
            response.status,
            200,
            "{} POST: {response:?}",
            credentials.consumer.method()
        );
        let seen: Vec<(String, String)> =
            serde_json::from_value(response.json()["form"].clone()).unwrap();
        assert_eq!(seen, form);
    }
}

fn hmac_consumer() -> Consumer {
    Consumer::new(HMAC_KEY, ClientSecret::HmacSha1(Secret::new(HMAC_SECRET)))
}

#[test]
fn oauthlib_provider_completes_the_flow_and_accepts_resource_requests() {
    let Some(provider) = provider() else { return };
    let consumer = hmac_consumer().with_realm("tether-test");

    // §2.1: temporary credentials for a loopback callback.
    let callback = Callback::Url(Url::parse("http://127.0.0.1:9/callback?state=x").unwrap());
    let request_token_url = provider.url("/oauth/request_token");
    let signed = consumer
        .sign_temporary_credentials_request(&request_token_url, &callback, &fresh())
        .unwrap();
    let response = send_signed(
        &signed,
        &token::CREDENTIALS_METHOD,
        &request_token_url,
        None,
        b"",
    );
    assert_eq!(response.status, 200, "{response:?}");
    let temporary = token::parse_temporary_credentials(response.body.as_bytes()).unwrap();

    // §2.2: the "browser" approves with one GET and is sent to the callback.
    let mut authorize = token::authorization_url(&provider.url("/oauth/authorize"), &temporary);
    authorize.query_pairs_mut().append_pair("decision", "allow");
    let response = exchange(&Method::GET, &authorize, &[], b"");
    assert_eq!(response.status, 302, "{response:?}");
    let location = Url::parse(response.header("Location").unwrap()).unwrap();
    assert_eq!(
        &location[..Position::AfterPath],
        "http://127.0.0.1:9/callback"
    );
    let verifier = token::callback_verifier(location.query().unwrap(), &temporary).unwrap();

    // §2.3: token credentials, with the provider's extra fields.
    let access_token_url = provider.url("/oauth/access_token");
    let signed = consumer
        .sign_token_request(&access_token_url, &temporary, &verifier, &fresh())
        .unwrap();
    let response = send_signed(
        &signed,
        &token::CREDENTIALS_METHOD,
        &access_token_url,
        None,
        b"",
    );
    assert_eq!(response.status, 200, "{response:?}");
    let granted = token::parse_token_credentials(response.body.as_bytes()).unwrap();
    assert!(
        granted.extra.contains(&("user_id".into(), "1001".into())),
        "{granted:?}"
    );
    assert!(
        granted
            .extra
            .contains(&("screen_name".into(), "alice".into())),
        "{granted:?}"
    );

    let credentials = Credentials::new(consumer, granted.token);
    provider.assert_accepts(&credentials);

    // PUT and DELETE; a JSON body is not signed, and its hash is checked.
    let hashed = Credentials::new(
        credentials.consumer.clone().with_body_hash(true),
        credentials.token.clone(),
    );
    let url = provider.url("/api/hashed/7");
    let json_body = br#"{"title": "a=b&c"}"#;
    let signed = hashed
        .sign(&Method::PUT, &url, Body::Other(json_body), &fresh())
        .unwrap();
    let response = send_signed(
        &signed,
        &Method::PUT,
        &url,
        Some("application/json"),
        json_body,
    );
    assert_eq!(response.status, 200, "{response:?}");
    assert_eq!(response.json()["body_hash"], "valid");
    let url = provider.url("/api/items/7");
    let signed = credentials
        .sign(&Method::DELETE, &url, Body::Empty, &fresh())
        .unwrap();
    assert_eq!(
        send_signed(&signed, &Method::DELETE, &url, None, b"").status,
        200
    );
}

#[test]
fn oauthlib_provider_accepts_every_signature_method_and_location() {
    let Some(provider) = provider() else { return };
    let rsa = RsaKey::from_pem(RSA_PKCS8).unwrap();
    for consumer in [
        hmac_consumer(),
        Consumer::new(HMAC_KEY, ClientSecret::HmacSha256(Secret::new(HMAC_SECRET))),
        Consumer::new(RSA_KEY, ClientSecret::RsaSha1(rsa)),
        Consumer::new(
            PLAIN_KEY,
            ClientSecret::Plaintext(Secret::new(PLAIN_SECRET)),
        ),
        hmac_consumer().with_location(SignatureLocation::Query),
    ] {
        provider.assert_accepts(&provider.credentials(consumer));
    }
}

#[test]
fn oauthlib_provider_refuses_replays_and_revoked_tokens_as_reported() {
    let Some(provider) = provider() else { return };
    let credentials = provider.credentials(hmac_consumer());
    let url = provider.url("/api/me");
    let get = |fresh: &Freshness| {
        let signed = credentials
            .sign(&Method::GET, &url, Body::Empty, fresh)
            .unwrap();
        send_signed(&signed, &Method::GET, &url, None, b"")
    };
    let report = |response: &Response| {
        let header = response.header("WWW-Authenticate");
        problem::report(header, response.body.as_bytes()).map(|r| r.problem)
    };

    // Two requests in the same second with their own nonces pass; the same
    // nonce again is a replay.
    let first = fresh();
    let second = Freshness::new(first.timestamp, super::signer::os_nonce().unwrap());
    assert_eq!(get(&first).status, 200);
    assert_eq!(get(&second).status, 200);
    let replay = get(&first);
    assert_eq!(replay.status, 401);
    assert_eq!(report(&replay), Some(Problem::NonceUsed));
    assert!(!problem::token_is_dead(
        replay.header("WWW-Authenticate"),
        replay.body.as_bytes()
    ));

    provider.admin("/__test/revoke", &json!({ "token": credentials.token.key }));
    let revoked = get(&fresh());
    assert_eq!(revoked.status, 401);
    assert_eq!(report(&revoked), Some(Problem::TokenRevoked));
    assert!(problem::token_is_dead(
        revoked.header("WWW-Authenticate"),
        revoked.body.as_bytes()
    ));
}
