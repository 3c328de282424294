//! Entry points for fuzzing: each takes raw bytes, hands them to tether's
//! own parser for one kind of untrusted input, and panics when an
//! invariant breaks. The `cargo fuzz` targets in `tests/fuzz` (nightly) and
//! the corpus replay in `tests/cli/corpus.rs` (stable) call these same
//! functions, so every corpus file stays a regression test.
//!
//! The invariants, beyond "no panic":
//!
//! * an error never shows a secret the input held: a client secret in the
//!   config, a token in a token response or a stored record;
//! * a `{var}` in a path slot never moves a URL to another origin;
//! * what a parser accepted is fit for its use: a validated config's host
//!   patterns parse and its endpoints are URLs, a header item is a valid
//!   header, a parsed record reads back the same from its own JSON.
//!
//! Inputs that carry more than one thing use a small text layout, so that
//! corpus files can be written by hand:
//!
//! * [`config`]: the file's bytes, those that are not UTF-8 replaced (the
//!   file reader refuses such a file before it parses anything);
//! * [`items`]: one item per line, or per NUL byte when the input holds
//!   one (an item may then contain a newline);
//! * [`token_response`], [`device_response`]: an HTTP answer, `STATUS`
//!   on the first line, `Name: value` header lines, an empty line, then the
//!   body; a `Token-Path` header sets the service's `token_path`. Input
//!   that does not start with a three-digit status is a body answered with
//!   200 and `application/json`;
//! * [`discovery`], [`url_template`]: the issuer or the URL template on the
//!   first line; then the metadata document, or `name=value` vars (the
//!   `--var` syntax), one per line.
//! * [`answer_headers`]: a `Link` value on the first line, a
//!   `Content-Disposition` value on the second, a dotted JSON path on the
//!   third, then a JSON document (what pagination and downloads read of an
//!   answer);
//! * [`batch`]: `invoke --batch` input, one request per line;
//! * [`oauth1_answer`]: `WWW-Authenticate` values (or any `Authorization:
//!   OAuth …` value), one per line, an empty line, then a form-encoded
//!   body, read as a refusal and as a token response.

use std::future::Future;
use std::path::Path;
use std::task::{Context, Poll, Waker};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use url::Url;

use crate::config::template::{UrlTemplate, Vars, parse_var};
use crate::config::validate::{missing_fields, validate};
use crate::config::{AuthKind, ClientAuth, Config};
use crate::http::items::{self, Body, FieldValue};
use crate::http::target::{AllowList, resolve_url};
use crate::http::{batch, download, paginate};
use crate::oauth::callback::{self, ErrorCode, Response};
use crate::oauth::token::{self, Endpoint, HttpError, Tokens};
use crate::oauth::{discovery as metadata, listener};
use crate::oauth1::token as oauth1_token;
use crate::oauth1::{Problem, header, problem};
use crate::secret::Secret;
use crate::store::keyring::chunks;
use crate::store::{Record, env};
use crate::{Error, Result};

/// The shortest string the leak checks look for. A secret-looking string
/// also has a letter and a digit and no whitespace: shorter or plainer
/// ones can occur in a message's own words by chance.
const SECRET_MIN_LEN: usize = 12;

/// The `state` the callback checks expect.
const STATE: &str = "state-0123456789";

/// The clock of the token checks, in unix seconds.
const NOW: u64 = 1_800_000_000;

/// The `base_url` relative URL templates are joined to.
const BASE_URL: &str = "https://api.example.com/v1/";

/// Parses config text, places an error at its line, and checks that what
/// validation accepts is usable.
pub fn config(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let (secrets, public) = config_strings(&text);
    match crate::config::load::parse(Path::new("tether.toml"), &text) {
        Err(located) => {
            let lines = text.split('\n').count();
            assert!(
                (1..=lines).contains(&located.line) && located.column >= 1,
                "config error placed at {}:{} in a text of {lines} lines",
                located.line,
                located.column
            );
            let shown = format!("{located}\n{}", located.hint.as_deref().unwrap_or_default());
            assert_no_leak("config error", &shown, &secrets, &public);
        }
        Ok(config) => accepted_config(&config),
    }
}

/// What a config that passed validation promises to the code that uses it.
fn accepted_config(config: &Config) {
    if let Err(problem) = validate(config) {
        panic!("a loaded config fails its own validation: {problem:?}");
    }
    for (name, service) in &config.services {
        if let Some(header) = &service.api_key_header {
            assert!(
                http::HeaderName::from_bytes(header.as_bytes()).is_ok(),
                "service `{name}`: api_key_header {header:?} is no header name"
            );
        }
        if let Some(id) = &service.client_id {
            assert!(
                !id.chars().any(char::is_control),
                "service `{name}`: a client_id with a control character"
            );
        }
        assert!(
            missing_fields(service).is_empty(),
            "service `{name}` lacks {:?}",
            missing_fields(service)
        );
        if let Err(e) = AllowList::new(&service.allowed_hosts, &[]) {
            panic!("service `{name}`: a validated allowed_hosts does not parse: {e}");
        }
        let endpoints = [
            &service.authorize_url,
            &service.token_url,
            &service.refresh_url,
            &service.revoke_url,
            &service.device_authorization_url,
            &service.metadata_url,
        ];
        // An endpoint may keep placeholders that each connection fills
        // (`{accounts_server}/oauth/v2/token`): the rest must be a URL.
        for url in endpoints.into_iter().flatten() {
            let sample = UrlTemplate::url(url).sample();
            let parsed = Url::parse(&sample)
                .unwrap_or_else(|e| panic!("service `{name}`: endpoint {url:?} is no URL: {e}"));
            assert!(
                matches!(parsed.scheme(), "http" | "https"),
                "service `{name}`: endpoint {url:?} is not http(s)"
            );
            assert!(
                parsed.username().is_empty() && parsed.password().is_none(),
                "service `{name}`: endpoint {url:?} carries a user name or password"
            );
        }
        if let Some(base) = &service.base_url {
            let sample = UrlTemplate::url(base).sample();
            assert!(
                Url::parse(&sample).is_ok(),
                "service `{name}`: base_url {base:?} gives {sample:?}, no URL"
            );
        }
    }
    for (name, connection) in &config.connections {
        assert!(
            config.services.contains_key(&connection.service),
            "connection `{name}` names a missing service"
        );
    }
}

/// The strings of a config text that are secrets (what a `client_secret`
/// holds, bare or as `value`/`keyring`) and every other string and key,
/// which an error may quote.
fn config_strings(text: &str) -> (Vec<String>, Vec<String>) {
    let mut secrets = Vec::new();
    let mut public = Vec::new();
    if let Ok(table) = text.parse::<toml::Table>() {
        walk_toml(&toml::Value::Table(table), false, &mut secrets, &mut public);
    }
    (secrets, public)
}

fn walk_toml(
    value: &toml::Value,
    secret: bool,
    secrets: &mut Vec<String>,
    public: &mut Vec<String>,
) {
    match value {
        toml::Value::String(s) if secret => secrets.push(s.clone()),
        toml::Value::String(s) => public.push(s.clone()),
        toml::Value::Array(values) => {
            for v in values {
                walk_toml(v, secret, secrets, public);
            }
        }
        toml::Value::Table(table) => {
            for (key, v) in table {
                public.push(key.clone());
                let inner = match key.as_str() {
                    "client_secret" => true,
                    // A reference names where the secret lives, not the secret.
                    "env" | "command" => false,
                    _ => secret,
                };
                walk_toml(v, inner, secrets, public);
            }
        }
        other => public.push(other.to_string()),
    }
}

/// Parses request items (a file item reads its own path as its content)
/// and checks that headers stay headers and bodies are well formed.
pub fn items(bytes: &[u8]) {
    let separator = if bytes.contains(&0) { b'\0' } else { b'\n' };
    let items: Vec<String> = bytes
        .split(|b| *b == separator)
        .filter(|item| !item.is_empty())
        .map(|item| String::from_utf8_lossy(item).into_owned())
        .collect();
    let read_file = |path: &Path| -> Result<Vec<u8>> {
        match path.to_str() {
            Some("missing") => Err(Error::io(path, std::io::ErrorKind::NotFound.into())),
            _ => Ok(path.as_os_str().as_encoded_bytes().to_vec()),
        }
    };
    let Ok(parsed) = items::parse(&items, read_file) else {
        return;
    };
    for (name, value) in &parsed.headers {
        assert!(
            HeaderName::from_bytes(name.as_bytes()).is_ok(),
            "header item name {name:?} is not a header name"
        );
        if let Some(value) = value {
            assert_header_value(value);
        }
    }
    for form in [false, true] {
        let Ok(body) = parsed.body(form) else {
            continue;
        };
        match &body {
            Body::Json(bytes) => {
                let value: serde_json::Value = serde_json::from_slice(bytes)
                    .unwrap_or_else(|e| panic!("a JSON body is not JSON: {e}"));
                let object = value.as_object().expect("a JSON body is an object");
                assert_eq!(object.len(), parsed.fields.len(), "a field got lost");
            }
            Body::Form(bytes) => {
                let pairs: Vec<(String, String)> =
                    url::form_urlencoded::parse(bytes).into_owned().collect();
                let fields: Vec<(String, String)> = parsed
                    .fields
                    .iter()
                    .map(|(name, value)| match value {
                        FieldValue::String(s) => (name.clone(), s.clone()),
                        FieldValue::Json(_) => panic!("a JSON field in a form body"),
                    })
                    .collect();
                assert_eq!(pairs, fields, "form fields do not read back");
            }
            Body::Raw(_) | Body::None => {}
        }
        for (name, value) in parsed.headers(body.default_headers()) {
            assert!(HeaderName::from_bytes(name.as_bytes()).is_ok(), "{name:?}");
            assert_header_value(&value);
        }
    }
    let mut url = Url::parse(BASE_URL).expect("the base URL parses");
    parsed.apply_query(&mut url);
    let base = Url::parse(BASE_URL).expect("the base URL parses");
    assert_eq!(
        (url.origin(), url.path()),
        (base.origin(), base.path()),
        "a query item moved the request"
    );
}

fn assert_header_value(value: &str) {
    assert!(
        HeaderValue::from_str(value).is_ok() && !value.chars().any(|c| c.is_control() && c != '\t'),
        "header value {value:?} could start another header line"
    );
}

/// Reads a redirect to the loopback listener (the request target), a
/// pasted URL or code, and a bare query, and checks that only the right
/// `state` ends the flow.
pub fn callback(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);

    // As the listener reads a request for `text`.
    if let Ok(url) = Url::parse(&format!("http://127.0.0.1{text}")) {
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        check_callback(&pairs, callback::read(pairs.clone().into_iter(), STATE));
    }
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(bytes).into_owned().collect();
    check_callback(&pairs, callback::read(pairs.clone().into_iter(), STATE));

    // As `connect --manual` reads what the user pasted.
    let pasted = callback::read_pasted(&text, STATE);
    match Url::parse(text.trim()) {
        Ok(url) if url.query().is_some() => {
            let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
            check_callback(&pairs, pasted);
        }
        _ => {
            if let Response::Code(code) = pasted {
                assert!(
                    !code.is_empty() && !code.contains(char::is_whitespace) && !code.contains('?'),
                    "pasted text {text:?} read as the code {code:?}"
                );
            }
        }
    }

    // The browser's page escapes whatever the provider said.
    let plain = listener::page::error("");
    let page = listener::page::error(&text);
    assert_eq!(
        page.matches('<').count(),
        plain.matches('<').count(),
        "the error page lets markup through"
    );
}

/// Checks a read redirect against what its query pairs say: without the
/// right `state` nothing is answered, and an answer is one the redirect
/// carried. When a parameter repeats, which of its values counts is the
/// reader's choice; the exact checks are for redirects without repeats.
fn check_callback(pairs: &[(String, String)], response: Response) {
    let values = |key: &str| -> Vec<&str> {
        pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let (states, codes, errors) = (values("state"), values("code"), values("error"));
    if !states.contains(&STATE) {
        assert_eq!(response, Response::WrongState, "a wrong state got through");
        return;
    }
    let single = |values: &[&str]| values.len() <= 1;
    let plain = single(&states) && single(&codes) && single(&errors);
    let plain = plain && single(&values("error_description"));
    match response {
        Response::WrongState => assert!(!plain, "the right state was refused: {pairs:?}"),
        Response::Error { code, description } => {
            assert!(
                errors.contains(&code.as_str()),
                "the error `{code}` is not one the redirect sent"
            );
            assert_eq!(code, ErrorCode::parse(code.as_str()));
            if plain {
                assert_eq!(
                    description.as_deref(),
                    values("error_description").first().copied()
                );
            }
        }
        Response::Code(code) => {
            assert!(!code.is_empty(), "an empty code");
            assert!(
                codes.contains(&code.as_str()),
                "a code the redirect did not send"
            );
            assert!(
                !plain || errors.is_empty(),
                "an error answer read as a code"
            );
        }
        Response::Malformed => assert!(
            !plain || (errors.is_empty() && codes.iter().all(|c| c.is_empty())),
            "a code or an error read as malformed: {pairs:?}"
        ),
    }
}

/// A token endpoint's answer, as the client credentials grant reads it
/// (every grant reads answers alike); a success becomes a record.
pub fn token_response(bytes: &[u8]) {
    let answer = Answer::read(bytes);
    let endpoint = endpoint(answer.token_path.clone());
    let client = token::client(&endpoint).expect("the fuzzing endpoint is valid");
    let http = |_request: oauth2::HttpRequest| std::future::ready(answer.as_received(&endpoint));
    let result = ready(client.exchange_client_credentials().request_async(&http));
    let (secrets, public) = answer.strings();
    match token::tokens_or_error(
        result,
        crate::oauth::token_error::TokenRequest::ClientCredentials,
        &endpoint,
    ) {
        Err(e) => assert_no_leak("token error", &error_text(&e), &secrets, &public),
        Ok(tokens) => accepted_tokens(&tokens),
    }
}

/// What a parsed token response promises: a usable access token, and a
/// record that keeps no credential among its vars or extras.
fn accepted_tokens(tokens: &Tokens) {
    assert!(
        !tokens.access_token.secret().is_empty(),
        "empty access token"
    );
    // It goes into an Authorization header and is printed by `token`.
    assert!(
        http::HeaderValue::from_str(tokens.access_token.secret()).is_ok(),
        "an access token that is no header value was accepted"
    );
    let requested = ["openid".to_string()];
    let previous = Record {
        service: "fuzz".into(),
        auth: AuthKind::Oauth2,
        access_token: Some(Secret::new("previous-access-0123456789")),
        refresh_token: Some(Secret::new("previous-refresh-0123456789")),
        vars: Vars::from([("region".into(), "eu".into())]),
        ..Record::default()
    };
    for previous in [None, Some(&previous)] {
        let record =
            tokens
                .clone()
                .into_record("fuzz", AuthKind::Oauth2, NOW, &requested, previous);
        assert!(
            record.expires_at.is_none_or(|at| at > NOW),
            "expired at once"
        );
        assert!(record.refresh_token.is_some() || previous.is_none());
        for key in record.vars.keys().chain(record.extras.keys()) {
            let key = key.to_ascii_lowercase();
            assert!(
                !["token", "secret", "password", "code", "key", "signature"]
                    .iter()
                    .any(|word| key.contains(word)),
                "the credential-like field `{key}` was kept"
            );
        }
        assert_record_round_trip(&record);
    }
}

/// A device authorization answer (RFC 8628 §3.2), as `connect --device`
/// reads it before it shows the user code.
pub fn device_response(bytes: &[u8]) {
    let answer = Answer::read(bytes);
    let endpoint = endpoint(answer.token_path.clone());
    let device_url = oauth2::DeviceAuthorizationUrl::new("https://auth.example.com/device".into())
        .expect("the device URL parses");
    let client = token::client(&endpoint)
        .expect("the fuzzing endpoint is valid")
        .set_device_authorization_url(device_url);
    let http = |_request: oauth2::HttpRequest| std::future::ready(answer.as_received(&endpoint));
    let result: std::result::Result<oauth2::StandardDeviceAuthorizationResponse, _> =
        ready(client.exchange_device_code().request_async(&http));
    let (secrets, public) = answer.strings();
    match result {
        // `start` shows the user code and the page as the provider sent
        // them.
        Ok(_) => {}
        Err(oauth2::RequestTokenError::ServerResponse(r)) => {
            let shown = format!("{} {:?}", r.error().as_ref(), r.error_description());
            assert_no_leak("device error", &shown, &secrets, &public);
        }
        Err(other) => assert_no_leak("device error", &other.to_string(), &secrets, &public),
    }
}

/// An issuer and a metadata document (RFC 8414 §3): where tether looks,
/// and that it takes only metadata of the issuer asked for.
pub fn discovery(bytes: &[u8]) {
    let (first, body) = split_line(bytes);
    let issuer = String::from_utf8_lossy(first);
    if let Ok(urls) = metadata::candidates(&issuer) {
        let asked = Url::parse(&issuer).expect("a candidate's issuer is a URL");
        for url in urls {
            assert_eq!(url.origin(), asked.origin(), "{url} left the issuer");
            assert!(url.query().is_none(), "{url} keeps a query");
            assert!(url.path().contains("/.well-known/"), "{url}");
        }
    }
    if let Ok(found) = metadata::parse(&issuer, body) {
        assert_eq!(
            found.issuer.trim_end_matches('/'),
            issuer.trim_end_matches('/'),
            "metadata of another issuer was taken"
        );
    }
}

/// A stored record, as the file store and the keyring read it, as
/// `TETHER_CONNECTION_*` carries it, and split into keyring entries.
pub fn record(bytes: &[u8]) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        let secrets = quoted(text);
        match Record::from_json(text) {
            Ok(record) => assert_record_round_trip(&record),
            Err(e) => assert_no_leak("record error", &error_text(&e), &secrets, &[]),
        }
        if let Err(why) = env::decode(text) {
            assert_no_leak("blob error", &why.to_string(), &secrets, &[]);
        }
    }
    let blob = format!("tether1.{}", URL_SAFE_NO_PAD.encode(bytes));
    match env::decode(&blob) {
        Ok(record) => assert_record_round_trip(&record),
        Err(why) => {
            let secrets = quoted(&String::from_utf8_lossy(bytes));
            assert_no_leak("blob error", &why.to_string(), &secrets, &[]);
        }
    }
    keyring_chunks(bytes);
}

/// A record reads back equal from its own JSON and from its export line.
fn assert_record_round_trip(record: &Record) {
    let json = record.to_json();
    let again = Record::from_json(&json)
        .unwrap_or_else(|e| panic!("a record's own JSON does not read back: {e}"));
    assert_eq!(&again, record, "a record changed through its JSON {json}");
    assert_eq!(again.to_json(), json, "a record's JSON is not stable");
    let exported = env::decode(env::encode(record).expose())
        .unwrap_or_else(|why| panic!("an exported record does not read back: {why}"));
    assert_eq!(
        &exported, record,
        "a record changed through its export line"
    );
}

/// A value split across keyring entries joins back to itself, and a
/// first entry that is not a chunk header is the whole value.
fn keyring_chunks(bytes: &[u8]) {
    if let Ok(chunks::Head::Chunked { count, .. }) = chunks::parse_head(bytes) {
        assert!((1..=9999).contains(&count), "a chunk count of {count}");
    }
    for limit in [None, Some(chunks::HEADER_LEN + 1), Some(64), Some(2560)] {
        let Ok(parts) = chunks::split(bytes, limit) else {
            continue;
        };
        assert!(
            parts.iter().all(|p| limit.is_none_or(|l| p.len() <= l)),
            "a part is over the limit {limit:?}"
        );
        let joined = match chunks::parse_head(&parts[0]) {
            Ok(chunks::Head::Plain) => parts[0].clone(),
            Ok(chunks::Head::Chunked { count, data }) => {
                assert_eq!(count, parts.len(), "the header counts the parts wrong");
                chunks::join(data.to_vec(), parts[1..].to_vec())
            }
            Err(why) => panic!("a header tether wrote does not read: {why}"),
        };
        assert_eq!(
            joined, bytes,
            "a value split with limit {limit:?} joins back changed"
        );
    }
}

/// A URL template with `name=value` vars: an absolute one as a service
/// endpoint and as `invoke`'s URL, a relative one under a `base_url`.
/// A value in a path slot never changes where the request goes.
pub fn url_template(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let mut lines = text.split('\n');
    let template = lines.next().unwrap_or_default();
    let vars: Vars = lines.filter_map(|kv| parse_var(kv).ok()).collect();

    // As a service's endpoint or base_url. Only panics are looked for
    // in the check and the partial fill; their answers are the unit
    // tests' business.
    let as_endpoint = UrlTemplate::url(template);
    let _ = crate::config::validate::check_url(template);
    let _ = as_endpoint.fill_known(&[&vars]);
    for name in as_endpoint.placeholders() {
        assert!(
            template.contains(&format!("{{{name}}}")),
            "the placeholder `{name}` is not in {template:?}"
        );
    }

    // As `invoke` reads its URL argument.
    let absolute = template.starts_with("http://") || template.starts_with("https://");
    let parsed = if absolute {
        as_endpoint
    } else {
        UrlTemplate::path(template)
    };
    let target = |layer: &Vars| -> Option<Url> {
        let filled = parsed.fill(&[layer]).ok()?;
        resolve_url(&filled, Some(BASE_URL)).ok()
    };
    let benign = |value: &str| -> Vars {
        parsed
            .placeholders()
            .into_iter()
            .map(|name| (name.to_string(), value.to_string()))
            .collect()
    };
    // Two harmless fillings that go to the same place show that no
    // placeholder sits in the host: then no value may move the request.
    let (Some(one), Some(two)) = (target(&benign("a0")), target(&benign("b1"))) else {
        return;
    };
    if where_to(&one) != where_to(&two) {
        return;
    }
    let Some(url) = target(&vars) else {
        return;
    };
    assert_eq!(
        where_to(&url),
        where_to(&one),
        "a value moved {template:?} to {url}"
    );
    let base = Url::parse(BASE_URL).expect("the base URL parses");
    if url.origin() == base.origin() {
        let allow = AllowList::default().with_base(Some(&base));
        if let Err(e) = allow.check("fuzz", &url) {
            panic!("{url} under base_url is refused: {e}");
        }
    }
}

/// Where a request goes and as whom: origin and userinfo.
fn where_to(url: &Url) -> (url::Origin, String, Option<String>) {
    (
        url.origin(),
        url.username().to_string(),
        url.password().map(str::to_string),
    )
}

/// An HTTP answer read from fuzz input (see the module doc).
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    token_path: Option<String>,
    body: Vec<u8>,
}

impl Answer {
    fn read(bytes: &[u8]) -> Answer {
        let head = bytes
            .get(..3)
            .and_then(|digits| std::str::from_utf8(digits).ok())
            .filter(|digits| digits.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|digits| StatusCode::from_bytes(digits.as_bytes()).ok());
        let Some(status) = head else {
            let mut headers = HeaderMap::new();
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            return Answer {
                status: StatusCode::OK,
                headers,
                token_path: None,
                body: bytes.to_vec(),
            };
        };
        let mut answer = Answer {
            status,
            headers: HeaderMap::new(),
            token_path: None,
            body: Vec::new(),
        };
        // The rest of the status line is ignored; header lines run to
        // the first empty line.
        let (_, mut rest) = split_line(&bytes[3..]);
        while !rest.is_empty() {
            let (line, after) = split_line(rest);
            rest = after;
            if line.is_empty() {
                break;
            }
            answer.header(line);
        }
        answer.body = rest.to_vec();
        answer
    }

    fn header(&mut self, line: &[u8]) {
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            return;
        };
        let value = line[colon + 1..].trim_ascii();
        let Ok(name) = HeaderName::from_bytes(line[..colon].trim_ascii()) else {
            return;
        };
        if name.as_str() == "token-path" {
            self.token_path = Some(String::from_utf8_lossy(value).into_owned());
        } else if let Ok(value) = HeaderValue::from_bytes(value) {
            self.headers.append(name, value);
        }
    }

    /// The answer as tether's HTTP client hands it to the `oauth2` crate.
    fn as_received(
        &self,
        endpoint: &Endpoint,
    ) -> std::result::Result<oauth2::HttpResponse, HttpError> {
        token::shaped_answer(
            self.status,
            &self.headers,
            self.body.clone(),
            endpoint.token_path.as_deref(),
        )
    }

    /// The credentials the answer holds (values of token-like fields) and
    /// every other string it holds, which an error may quote.
    fn strings(&self) -> (Vec<String>, Vec<String>) {
        let mut secrets = Vec::new();
        let mut public: Vec<String> = self
            .headers
            .values()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect();
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&self.body) {
            walk_json(&value, false, &mut secrets, &mut public);
        }
        for (key, value) in url::form_urlencoded::parse(&self.body) {
            if is_credential(&key) {
                secrets.push(value.into_owned());
            } else {
                public.push(value.into_owned());
            }
            public.push(key.into_owned());
        }
        (secrets, public)
    }
}

fn walk_json(
    value: &serde_json::Value,
    secret: bool,
    secrets: &mut Vec<String>,
    public: &mut Vec<String>,
) {
    match value {
        serde_json::Value::String(s) if secret => secrets.push(s.clone()),
        serde_json::Value::String(s) => public.push(s.clone()),
        serde_json::Value::Array(values) => {
            for v in values {
                walk_json(v, secret, secrets, public);
            }
        }
        serde_json::Value::Object(object) => {
            for (key, v) in object {
                public.push(key.clone());
                walk_json(v, secret || is_credential(key), secrets, public);
            }
        }
        other => public.push(other.to_string()),
    }
}

/// A field of a token or device answer that holds a credential.
fn is_credential(key: &str) -> bool {
    matches!(
        key,
        "access_token" | "refresh_token" | "id_token" | "device_code"
    ) || key.contains("secret")
        || key.contains("password")
}

/// The first line of `bytes` (without its CR LF or LF) and the rest.
fn split_line(bytes: &[u8]) -> (&[u8], &[u8]) {
    let (line, rest) = match bytes.iter().position(|b| *b == b'\n') {
        Some(at) => (&bytes[..at], &bytes[at + 1..]),
        None => (bytes, &[][..]),
    };
    (line.strip_suffix(b"\r").unwrap_or(line), rest)
}

/// The token endpoint the answers come from.
fn endpoint(token_path: Option<String>) -> Endpoint {
    Endpoint {
        url: "https://auth.example.com/token".into(),
        client_id: "fuzz-client".into(),
        client_secret: Some(Secret::new("client-secret-0123456789")),
        client_auth: ClientAuth::Basic,
        extra: Default::default(),
        scope_separator: " ".into(),
        token_path,
        token_vars: None,
        metadata: None,
    }
}

/// Runs a future that cannot wait: the canned answers are ready at once.
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("a request with a canned answer waited"),
    }
}

/// What a user sees of an error: the message and the hint.
fn error_text(e: &Error) -> String {
    format!("{e}\n{}", e.hint().unwrap_or_default())
}

/// What pagination and downloads read of an answer's headers and body:
/// the `Link` targets, a safe file name from `Content-Disposition`, a value
/// at a dotted path. A file name never leaves the download folder: it is
/// a non-empty base name, no separator, no control character, no leading
/// dot.
pub fn answer_headers(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let mut lines = text.splitn(4, '\n');
    let (link, disposition) = (lines.next().unwrap_or(""), lines.next().unwrap_or(""));
    let (path, document) = (lines.next().unwrap_or(""), lines.next().unwrap_or(""));
    for (target, _) in paginate::links(link) {
        assert!(!target.contains('>'), "a Link target runs past its `>`");
    }
    if let Some(name) = download::disposition_name(disposition) {
        assert!(!name.is_empty(), "an empty file name");
        assert!(
            !name.contains(['/', '\\']) && !name.starts_with('.'),
            "the file name {name:?} could leave the download folder or hide"
        );
        assert!(
            !name.contains(char::is_control),
            "a control character in {name:?}"
        );
        assert_eq!(name.trim(), name, "surrounding whitespace in {name:?}");
    }
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(document) {
        let found = paginate::JsonPath::parse(path).find(&value);
        if path.is_empty() {
            assert_eq!(found, Some(&value), "the empty path is the value itself");
        }
    }
}

/// `invoke --batch` input: each line parses, or fails with an error that
/// names its line; a parsed line's items and body are built without a
/// panic, and a JSON body is the line's `json` value.
pub fn batch(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        match batch::Line::parse(number, line) {
            Err(Error::BatchLine { line, .. }) => assert_eq!(line, number),
            Err(other) => panic!("line {number} failed without its number: {other}"),
            Ok(parsed) => {
                let _ = parsed.items();
                if let Ok(Body::Json(body)) = parsed.body() {
                    let value: serde_json::Value =
                        serde_json::from_slice(&body).expect("a JSON body tether wrote parses");
                    let line: serde_json::Value = serde_json::from_str(line).unwrap();
                    assert_eq!(Some(&value), line.get("json"));
                }
            }
        }
    }
}

/// An OAuth 1.0a provider's answers: the refusal read from the
/// `WWW-Authenticate` values and the body, a header shown redacted, and
/// the body read as temporary and as token credentials. A redacted header
/// holds no signature; neither an error nor a `{:?}` shows a token secret.
pub fn oauth1_answer(bytes: &[u8]) {
    let (head, body) = match bytes.windows(2).position(|w| w == b"\n\n") {
        Some(at) => (&bytes[..at], &bytes[at + 2..]),
        None => (bytes, &b""[..]),
    };
    let head = String::from_utf8_lossy(head);
    let values: Vec<&str> = head.lines().collect();
    let report = problem::report(values.iter().copied(), body);
    assert_eq!(
        problem::token_is_dead(values.iter().copied(), body),
        report.as_ref().is_some_and(|r| r.problem.token_is_dead())
    );
    // A problem's name reads back as the same problem (RFC 6750's
    // `invalid_token` is an `error`, not an `oauth_problem` name).
    if let Some(report) = report.filter(|r| r.problem != Problem::InvalidToken) {
        assert_eq!(Problem::from_name(report.problem.name()), report.problem);
    }
    // A redacted header read back holds no signature but the marker (a
    // substring check would trip over values that merely repeat it).
    for value in &values {
        let shown = header::redact_authorization(value);
        for (name, signature) in header::auth_params(&shown) {
            if name == "oauth_signature" {
                assert_eq!(signature, header::REDACTED, "a signature shows in {shown}");
            }
        }
    }
    let secrets: Vec<String> = url::form_urlencoded::parse(body.trim_ascii())
        .filter(|(name, _)| name == "oauth_token_secret")
        .map(|(_, secret)| secret.into_owned())
        .collect();
    // What the body says besides the secret may be quoted.
    let public: Vec<String> = url::form_urlencoded::parse(body.trim_ascii())
        .filter(|(name, _)| name != "oauth_token_secret")
        .flat_map(|(name, value)| [name.into_owned(), value.into_owned()])
        .collect();
    match oauth1_token::parse_temporary_credentials(body) {
        Ok(token) => assert_no_leak("temporary token", &format!("{token:?}"), &secrets, &public),
        Err(e) => assert_no_leak("request-token error", &e.to_string(), &secrets, &public),
    }
    match oauth1_token::parse_token_credentials(body) {
        Ok(credentials) => {
            assert!(!credentials.token.key.is_empty(), "a token without a key");
            assert_no_leak(
                "token credentials",
                &format!("{credentials:?}"),
                &secrets,
                &public,
            );
        }
        Err(e) => assert_no_leak("access-token error", &e.to_string(), &secrets, &public),
    }
}

/// Whether `s` looks like a secret that a message cannot hold by chance.
fn secret_looking(s: &str) -> bool {
    s.chars().count() >= SECRET_MIN_LEN
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars().any(char::is_alphabetic)
        && !s.contains(char::is_whitespace)
}

/// Panics when `shown` holds one of `secrets`, unless the input also holds
/// it in a place tether may quote (one of `public`).
fn assert_no_leak(what: &str, shown: &str, secrets: &[String], public: &[String]) {
    for secret in secrets.iter().filter(|s| secret_looking(s)) {
        if shown.contains(secret.as_str()) && !public.iter().any(|p| p.contains(secret.as_str())) {
            panic!("a {what} shows the secret {secret:?}: {shown}");
        }
    }
}

/// The text between each pair of double quotes: the strings of a JSON
/// text, even one that does not parse.
fn quoted(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    let mut escaped = false;
    for c in text.chars() {
        match (&mut current, c) {
            (None, '"') => current = Some(String::new()),
            (None, _) => {}
            (Some(s), _) if escaped => {
                s.push(c);
                escaped = false;
            }
            (Some(_), '\\') => escaped = true,
            (Some(_), '"') => out.extend(current.take()),
            (Some(s), _) => s.push(c),
        }
    }
    out.extend(current);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_read_status_headers_and_body() {
        let answer = Answer::read(
            b"500 Internal\nContent-Type: text/html\nToken-Path: authed_user\n\n<html>oops</html>",
        );
        assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(answer.headers[CONTENT_TYPE], "text/html");
        assert_eq!(answer.token_path.as_deref(), Some("authed_user"));
        assert_eq!(answer.body, b"<html>oops</html>");
        let bare = Answer::read(br#"{"access_token":"a"}"#);
        assert_eq!(bare.status, StatusCode::OK);
        assert_eq!(bare.body, br#"{"access_token":"a"}"#);
    }

    #[test]
    fn leaks_are_caught_unless_the_input_shows_the_secret_elsewhere() {
        let secrets = vec!["tok-0123456789abc".to_string(), "short1".to_string()];
        assert_no_leak("t", "short1 is fine", &secrets, &[]);
        let public = vec!["said tok-0123456789abc".to_string()];
        assert_no_leak("t", "tok-0123456789abc", &secrets, &public);
        let caught = std::panic::catch_unwind(|| {
            assert_no_leak("t", "got tok-0123456789abc", &secrets, &[]);
        });
        assert!(caught.is_err());
    }

    #[test]
    fn quoted_strings_are_found_in_broken_json() {
        assert_eq!(
            quoted(r#"{"a":"b\"c", "d"#),
            ["a", "b\"c", "d"].map(String::from)
        );
    }

    #[test]
    fn config_secrets_are_what_client_secret_holds() {
        let (secrets, public) = config_strings(
            "[services.a]\nclient_secret = \"bare-0123456789\"\n[services.b]\nclient_secret = { env = \"VAR\" }\n[services.c]\nclient_secret = { keyring = \"typo-0123456789\" }\n",
        );
        assert_eq!(secrets, ["bare-0123456789", "typo-0123456789"]);
        assert!(public.contains(&"VAR".to_string()));
    }
}
