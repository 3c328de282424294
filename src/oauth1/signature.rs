//! Signatures (RFC 5849 §3.4): the signature base string and the four
//! signature methods tether speaks.
//!
//! Everything here is pure: a base string is a function of the request and
//! its protocol parameters, a signature a function of the base string and
//! the keys. Which parameters a request carries, and where they go, is
//! [`super::signer`]'s business.
//!
//! * [`base_string`] — §3.4.1: method, base string URI (§3.4.1.2), and the
//!   normalized parameters (§3.4.1.3) from the query, a form body and the
//!   protocol parameters.
//! * [`sign`] — HMAC-SHA1 (§3.4.2), HMAC-SHA256 (the same construction over
//!   SHA-256, as providers and oauthlib define it), RSA-SHA1 (§3.4.3:
//!   RSASSA-PKCS1-v1_5 over SHA-1) and PLAINTEXT (§3.4.4).
//! * [`body_hash`] — `oauth_body_hash` from the OAuth Request Body Hash
//!   extension, for bodies that are not form-encoded.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{KeyInit, Mac};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use sha1::{Digest, Sha1};
use sha2::Sha256;
use url::Url;

use super::SigningProblem;
use super::encode::encode;
use crate::secret::Secret;

/// A signature method (RFC 5849 §3.4), by the name a service configures and
/// `oauth_signature_method` carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SignatureMethod {
    /// HMAC-SHA1 over the base string with the shared secrets (§3.4.2).
    #[default]
    HmacSha1,
    /// Like HMAC-SHA1 with SHA-256.
    HmacSha256,
    /// RSASSA-PKCS1-v1_5 with SHA-1 and the client's RSA key (§3.4.3).
    RsaSha1,
    /// The shared secrets themselves, for TLS-only providers (§3.4.4).
    Plaintext,
}

impl SignatureMethod {
    /// Every method, in the order help texts list them.
    pub const ALL: [SignatureMethod; 4] = [
        SignatureMethod::HmacSha1,
        SignatureMethod::HmacSha256,
        SignatureMethod::RsaSha1,
        SignatureMethod::Plaintext,
    ];

    /// The name in `oauth_signature_method` and in the config.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureMethod::HmacSha1 => "HMAC-SHA1",
            SignatureMethod::HmacSha256 => "HMAC-SHA256",
            SignatureMethod::RsaSha1 => "RSA-SHA1",
            SignatureMethod::Plaintext => "PLAINTEXT",
        }
    }
}

impl fmt::Display for SignatureMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SignatureMethod {
    type Err = UnknownName;

    /// Names are matched without regard to case (`hmac-sha1` is HMAC-SHA1),
    /// since provider documentation spells them both ways.
    fn from_str(name: &str) -> Result<SignatureMethod, UnknownName> {
        SignatureMethod::ALL
            .into_iter()
            .find(|method| method.as_str().eq_ignore_ascii_case(name))
            .ok_or_else(|| UnknownName {
                what: "signature method",
                name: name.to_string(),
                expected: &["HMAC-SHA1", "HMAC-SHA256", "RSA-SHA1", "PLAINTEXT"],
            })
    }
}

/// A name that is not one of a fixed set (a signature method, a signature
/// location).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{name}`: expected {}", expected_list(.expected))]
pub struct UnknownName {
    pub what: &'static str,
    pub name: String,
    pub expected: &'static [&'static str],
}

fn expected_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(|n| format!("`{n}`")).collect();
            format!("{} or `{last}`", init.join(", "))
        }
    }
}

/// The base string URI of RFC 5849 §3.4.1.2: scheme and host in lower case,
/// the port only when it is not the scheme's default, the path, and no
/// query or fragment.
pub fn base_string_uri(url: &Url) -> String {
    let scheme = url.scheme().to_ascii_lowercase();
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    // `Url` already drops a port that is the scheme's default.
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let path = match url.path() {
        "" => "/",
        path => path,
    };
    format!("{scheme}://{host}{port}{path}")
}

/// The normalized request parameters of RFC 5849 §3.4.1.3.2: the query of
/// `url` (decoded as `application/x-www-form-urlencoded`, §3.4.1.3.1), the
/// `form` body pairs and the `protocol` parameters, without
/// `oauth_signature` (and without `realm` among the protocol parameters),
/// each name and value encoded, sorted by name and then value, joined as
/// `name=value&…`.
pub fn normalized_parameters(
    url: &Url,
    form: &[(String, String)],
    protocol: &[(String, String)],
) -> String {
    let query = url
        .query_pairs()
        .map(|(n, v)| (n.into_owned(), v.into_owned()));
    let body = form.iter().cloned();
    let oauth = protocol.iter().filter(|(n, _)| n != "realm").cloned();
    let mut pairs: Vec<(String, String)> = query
        .chain(body)
        .chain(oauth)
        .filter(|(n, _)| n != "oauth_signature")
        .map(|(n, v)| (encode(&n), encode(&v)))
        .collect();
    pairs.sort();
    let parts: Vec<String> = pairs.iter().map(|(n, v)| format!("{n}={v}")).collect();
    parts.join("&")
}

/// The signature base string of RFC 5849 §3.4.1.1 for a request with this
/// `method` and `url` (its query included), these form body pairs (empty
/// when the body is not `application/x-www-form-urlencoded`) and these
/// protocol parameters, all unencoded.
pub fn base_string(
    method: &str,
    url: &Url,
    form: &[(String, String)],
    protocol: &[(String, String)],
) -> String {
    format!(
        "{}&{}&{}",
        encode(&method.to_ascii_uppercase()),
        encode(&base_string_uri(url)),
        encode(&normalized_parameters(url, form, protocol)),
    )
}

/// A client's RSA private key for RSA-SHA1, parsed once; clones share it.
#[derive(Clone)]
pub struct RsaKey {
    key: Arc<rsa::pkcs1v15::SigningKey<Sha1>>,
    bits: usize,
}

impl RsaKey {
    /// Parses a PEM private key: PKCS#1 (`BEGIN RSA PRIVATE KEY`) or
    /// unencrypted PKCS#8 (`BEGIN PRIVATE KEY`). The problem never quotes
    /// the key.
    pub fn from_pem(pem: &str) -> Result<RsaKey, SigningProblem> {
        let pem = pem.trim();
        if pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            return Err(SigningProblem::EncryptedRsaKey);
        }
        let key = if pem.starts_with("-----BEGIN RSA PRIVATE KEY-----") {
            rsa::PrivateKey::from_pkcs1_pem(pem).map_err(|e| e.to_string())
        } else {
            rsa::PrivateKey::from_pkcs8_pem(pem).map_err(|e| e.to_string())
        }
        .map_err(|detail| SigningProblem::InvalidRsaKey { detail })?;
        let bits = key.size() * 8;
        Ok(RsaKey {
            key: Arc::new(rsa::pkcs1v15::SigningKey::new(key)),
            bits,
        })
    }

    /// The RSASSA-PKCS1-v1_5 SHA-1 signature of `message`, blinded with the
    /// OS RNG (which does not change the signature).
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SigningProblem> {
        self.key
            .try_sign(message)
            .map(|signature| signature.to_vec())
            .map_err(|e| SigningProblem::RsaSign {
                detail: e.to_string(),
            })
    }
}

impl fmt::Debug for RsaKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RsaKey({} bits, redacted)", self.bits)
    }
}

/// The `oauth_signature` of `base_string` (RFC 5849 §3.4.2–3.4.4).
///
/// HMAC and PLAINTEXT use `consumer_secret` and `token_secret` (none for
/// a temporary-credentials request); RSA-SHA1 uses `rsa_key` alone. The
/// signature is a [`Secret`]: a PLAINTEXT one is the two secrets.
pub fn sign(
    method: SignatureMethod,
    base_string: &str,
    consumer_secret: &Secret,
    token_secret: Option<&Secret>,
    rsa_key: Option<&RsaKey>,
) -> Result<Secret, SigningProblem> {
    let key = || {
        format!(
            "{}&{}",
            encode(consumer_secret.expose()),
            encode(token_secret.map(Secret::expose).unwrap_or_default())
        )
    };
    let signature = match method {
        SignatureMethod::HmacSha1 => STANDARD.encode(hmac::<Sha1>(&key(), base_string)),
        SignatureMethod::HmacSha256 => STANDARD.encode(hmac::<Sha256>(&key(), base_string)),
        SignatureMethod::RsaSha1 => {
            let rsa_key = rsa_key.ok_or(SigningProblem::MissingRsaKey)?;
            STANDARD.encode(rsa_key.sign(base_string.as_bytes())?)
        }
        SignatureMethod::Plaintext => key(),
    };
    Ok(Secret::new(signature))
}

fn hmac<D>(key: &str, message: &str) -> Vec<u8>
where
    hmac::Hmac<D>: KeyInit + Mac,
    D: hmac::EagerHash,
{
    let mut mac = <hmac::Hmac<D> as KeyInit>::new_from_slice(key.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(message.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// The `oauth_body_hash` of a request body that is not form-encoded (OAuth
/// Request Body Hash §3.1): base64 of its SHA-1 digest. The extension
/// defines SHA-1 for HMAC-SHA1 and RSA-SHA1 and nothing else; tether, like
/// oauthlib, uses SHA-1 for every method. An absent body hashes as the
/// empty one.
pub fn body_hash(body: &[u8]) -> String {
    STANDARD.encode(Sha1::digest(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth1::tests::pairs;

    /// RFC 5849 §3.4.1.1, the example request and its base string.
    #[test]
    fn rfc5849_example_base_string_is_reproduced_byte_for_byte() {
        let url = Url::parse("http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b").unwrap();
        // The body `c2&a3=2+q`, decoded.
        let form = pairs(&[("c2", ""), ("a3", "2 q")]);
        let protocol = pairs(&[
            ("realm", "Example"),
            ("oauth_consumer_key", "9djdj82h48djs9d2"),
            ("oauth_token", "kkk9d7dh3k39sjv7"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "137131201"),
            ("oauth_nonce", "7d8f3e4a"),
            ("oauth_signature", "bYT5CMsGcbgUdFHObYMEfcx6bsw="),
        ]);
        assert_eq!(
            base_string("POST", &url, &form, &protocol),
            "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q\
             %26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_\
             key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m\
             ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk\
             9d7dh3k39sjv7"
        );
    }

    /// RFC 5849 §3.4.1.2's examples, and what `Url` does with case and ports.
    #[test]
    fn base_string_uri_lowercases_and_drops_default_ports() {
        for (url, expected) in [
            (
                "HTTP://EXAMPLE.COM:80/r%20v/X?id=123",
                "http://example.com/r%20v/X",
            ),
            (
                "https://www.example.net:8080/?q=1",
                "https://www.example.net:8080/",
            ),
            (
                "https://Example.com:443/Path#frag",
                "https://example.com/Path",
            ),
            ("http://example.com:443/", "http://example.com:443/"),
            ("http://127.0.0.1:8000", "http://127.0.0.1:8000/"),
            ("http://[::1]:8000/a", "http://[::1]:8000/a"),
        ] {
            assert_eq!(
                base_string_uri(&Url::parse(url).unwrap()),
                expected,
                "{url}"
            );
        }
    }

    #[test]
    fn signature_and_header_realm_are_not_parameters_but_a_query_realm_is() {
        let url = Url::parse("http://example.com/?realm=q&oauth_signature=x").unwrap();
        let protocol = pairs(&[
            ("realm", "r"),
            ("oauth_signature", "y"),
            ("oauth_nonce", "n"),
        ]);
        assert_eq!(
            normalized_parameters(&url, &[], &protocol),
            "oauth_nonce=n&realm=q"
        );
    }

    #[test]
    fn parameters_sort_by_encoded_name_then_value() {
        let url = Url::parse("http://example.com/?a=2&a=10&a=1&b=x&A=z&a%20b=1").unwrap();
        assert_eq!(
            normalized_parameters(&url, &pairs(&[("a", "")]), &[]),
            "A=z&a=&a=1&a=10&a=2&a%20b=1&b=x"
        );
    }

    /// RFC 5849 §3.4.4: PLAINTEXT is the encoded secrets joined by `&`.
    #[test]
    fn plaintext_is_the_encoded_secrets() {
        let sign = |cs: &str, ts: Option<&str>| {
            let ts = ts.map(Secret::new);
            sign(
                SignatureMethod::Plaintext,
                "ignored",
                &Secret::new(cs),
                ts.as_ref(),
                None,
            )
            .unwrap()
            .expose()
            .to_string()
        };
        assert_eq!(
            sign("djr9rjt0jd78jf88", Some("jjd99$tj88uiths3")),
            "djr9rjt0jd78jf88&jjd99%24tj88uiths3"
        );
        assert_eq!(sign("a b&c", None), "a%20b%26c&");
    }

    #[test]
    fn rsa_sha1_needs_a_key() {
        let result = sign(
            SignatureMethod::RsaSha1,
            "base",
            &Secret::default(),
            None,
            None,
        );
        assert_eq!(result.unwrap_err(), SigningProblem::MissingRsaKey);
    }

    #[test]
    fn rsa_keys_load_from_pkcs1_and_pkcs8_and_never_print() {
        let pkcs1 =
            RsaKey::from_pem(include_str!("../../tests/oauth1/rsa_private_pkcs1.pem")).unwrap();
        let pkcs8 =
            RsaKey::from_pem(include_str!("../../tests/oauth1/rsa_private_pkcs8.pem")).unwrap();
        assert_eq!(format!("{pkcs1:?}"), "RsaKey(2048 bits, redacted)");
        // PKCS#1 v1.5 signatures are deterministic: one key, one signature.
        assert_eq!(pkcs1.sign(b"base").unwrap(), pkcs8.sign(b"base").unwrap());
    }

    #[test]
    fn bad_rsa_keys_are_refused_without_quoting_them() {
        let garbage = "-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0IGtleSBtYXRlcmlhbA==\n-----END RSA PRIVATE KEY-----";
        match RsaKey::from_pem(garbage) {
            Err(SigningProblem::InvalidRsaKey { detail }) => {
                assert!(!detail.contains("c2VjcmV0"), "{detail}")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            RsaKey::from_pem(
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----"
            )
            .unwrap_err(),
            SigningProblem::EncryptedRsaKey
        );
        assert!(matches!(
            RsaKey::from_pem("not a key"),
            Err(SigningProblem::InvalidRsaKey { .. })
        ));
    }

    #[test]
    fn method_names_parse_and_print() {
        for method in SignatureMethod::ALL {
            assert_eq!(method.to_string().parse::<SignatureMethod>(), Ok(method));
        }
        assert_eq!("hmac-sha256".parse(), Ok(SignatureMethod::HmacSha256));
        assert_eq!(SignatureMethod::default(), SignatureMethod::HmacSha1);
        assert_eq!(
            "HMAC-MD5"
                .parse::<SignatureMethod>()
                .unwrap_err()
                .to_string(),
            "unknown signature method `HMAC-MD5`: expected `HMAC-SHA1`, `HMAC-SHA256`, `RSA-SHA1` or `PLAINTEXT`"
        );
    }

    /// OAuth Request Body Hash, Appendix A.1: `Hello World!` as text/plain.
    #[test]
    fn body_hash_matches_the_extension_example() {
        assert_eq!(body_hash(b"Hello World!"), "Lve95gjOVATpfV8EL5X4nxwjKHE=");
        assert_eq!(body_hash(b""), "2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
    }
}
