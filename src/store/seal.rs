//! Sealing records for a shared store: XChaCha20-Poly1305 (RustCrypto)
//! under a 32-byte store key that the database never sees.
//!
//! A sealed value is `[FORMAT][24-byte nonce][ciphertext and 16-byte tag]`.
//! The nonce is drawn from the OS for every seal: 192 bits make a random
//! nonce safe for any number of writes, so machines need no counter kept in
//! step. The associated data binds the seal format, the store's schema and
//! the connection's name ([`Binding`]), never the local name of the store
//! (machines may call the same database `team` or `shared`): a sealed row
//! copied to another connection's name, or into another schema, does not
//! open.
//!
//! What is sealed is opaque here: a record's JSON, whatever fields it has.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::secret::Secret;

/// The layout of a sealed value; the first byte of every one, and part of
/// what it is bound to.
pub const FORMAT: u8 = 1;

const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;

/// A store key: 32 random bytes. Debug never shows it.
#[derive(Clone)]
pub struct StoreKey([u8; 32]);

impl std::fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoreKey(redacted)")
    }
}

/// Why a text is not a store key. Never quotes the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyProblem {
    /// Neither 64 hex digits nor base64 of 32 bytes.
    NotHexOrBase64,
    /// Decodes, but to this many bytes instead of 32.
    WrongLength(usize),
}

/// Reads after "the key ".
impl std::fmt::Display for KeyProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyProblem::NotHexOrBase64 => {
                f.write_str("is neither 64 hex digits nor base64 of 32 bytes")
            }
            KeyProblem::WrongLength(n) => write!(f, "holds {n} bytes, not 32"),
        }
    }
}

impl StoreKey {
    /// Reads a key written as 64 hex digits or as base64 (standard or
    /// URL-safe, padded or not) of exactly 32 bytes; surrounding
    /// whitespace is ignored.
    pub fn parse(text: &Secret) -> Result<StoreKey, KeyProblem> {
        use base64::Engine;
        use base64::engine::general_purpose::{
            STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD,
        };
        let text = text.expose().trim();
        let bytes = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            hex_decode(text)
        } else {
            [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
                .iter()
                .find_map(|engine| engine.decode(text).ok())
                .ok_or(KeyProblem::NotHexOrBase64)?
        };
        let key: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| KeyProblem::WrongLength(bytes.len()))?;
        Ok(StoreKey(key))
    }

    /// A new random key, for tests and `store init`'s advice.
    pub fn generate() -> std::io::Result<StoreKey> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(std::io::Error::other)?;
        Ok(StoreKey(key))
    }

    /// The key as 64 hex digits, the form `store init` suggests.
    pub fn to_hex(&self) -> Secret {
        Secret::new(
            self.0
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>(),
        )
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&self.0.into())
    }
}

fn hex_decode(text: &str) -> Vec<u8> {
    text.as_bytes()
        .chunks(2)
        .map(|pair| {
            let digit = |b: u8| match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => 0,
            };
            digit(pair[0]) << 4 | digit(pair[1])
        })
        .collect()
}

/// What a sealed value is bound to: it opens only for the same binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding<'a> {
    /// The record of connection `name` in the schema `schema`.
    Record { schema: &'a str, name: &'a str },
    /// The store's canary, which says whether a key is the store's.
    Canary { schema: &'a str },
}

impl Binding<'_> {
    /// The associated data: what, format, schema and name, each ended by
    /// a NUL (which none of them may contain), so that no two bindings
    /// share their bytes.
    fn associated_data(&self) -> Vec<u8> {
        let (what, schema, name) = match self {
            Binding::Record { schema, name } => ("record", *schema, *name),
            Binding::Canary { schema } => ("canary", *schema, ""),
        };
        let mut data = Vec::new();
        for part in ["tether", what, &FORMAT.to_string(), schema, name] {
            data.extend_from_slice(part.as_bytes());
            data.push(0);
        }
        data
    }
}

/// The text every canary holds.
pub const CANARY: &str = "tether store canary";

/// Seals `plain` for `binding` under `key`.
pub fn seal(key: &StoreKey, binding: Binding<'_>, plain: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut nonce).map_err(std::io::Error::other)?;
    let aad = binding.associated_data();
    let sealed = key
        .cipher()
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: plain,
                aad: &aad,
            },
        )
        .map_err(|_| std::io::Error::other("the record is too long to seal"))?;
    let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
    out.push(FORMAT);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Which of the keys tried opened a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opener {
    Key,
    PreviousKey,
}

/// Opens `sealed` for `binding` with `key`, then `previous` (during a
/// rotation); `None` when neither opens it, when it is bound to something
/// else, or when it is not a sealed value at all.
pub fn open(
    key: &StoreKey,
    previous: Option<&StoreKey>,
    binding: Binding<'_>,
    sealed: &[u8],
) -> Option<(Vec<u8>, Opener)> {
    if sealed.len() < 1 + NONCE_LEN + TAG_LEN || sealed[0] != FORMAT {
        return None;
    }
    let nonce = XNonce::try_from(&sealed[1..=NONCE_LEN]).ok()?;
    let aad = binding.associated_data();
    let payload = || Payload {
        msg: &sealed[1 + NONCE_LEN..],
        aad: &aad,
    };
    if let Ok(plain) = key.cipher().decrypt(&nonce, payload()) {
        return Some((plain, Opener::Key));
    }
    let previous = previous?;
    let plain = previous.cipher().decrypt(&nonce, payload()).ok()?;
    Some((plain, Opener::PreviousKey))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> StoreKey {
        StoreKey([byte; 32])
    }

    const RECORD: Binding<'static> = Binding::Record {
        schema: "tether",
        name: "gh",
    };

    #[test]
    fn keys_are_hex_or_base64_of_32_bytes() {
        let hex = "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF";
        let parsed = StoreKey::parse(&Secret::new(hex)).unwrap();
        assert_eq!(parsed.to_hex().expose(), hex.to_lowercase());
        let b64 = "ABEiM0RVZneImaq7zN3u/wARIjNEVWZ3iJmqu8zd7v8=";
        assert_eq!(StoreKey::parse(&Secret::new(b64)).unwrap().0, parsed.0);
        let url = "ABEiM0RVZneImaq7zN3u_wARIjNEVWZ3iJmqu8zd7v8";
        assert_eq!(
            StoreKey::parse(&Secret::new(format!(" {url}\n")))
                .unwrap()
                .0,
            parsed.0
        );
        for (text, problem) in [
            ("hunter2!", KeyProblem::NotHexOrBase64),
            ("", KeyProblem::WrongLength(0)),
            ("aGVsbG8=", KeyProblem::WrongLength(5)),
            (&hex[..62], KeyProblem::NotHexOrBase64),
        ] {
            assert_eq!(
                StoreKey::parse(&Secret::new(text)).unwrap_err(),
                problem,
                "{text}"
            );
        }
        assert_eq!(format!("{parsed:?}"), "StoreKey(redacted)");
    }

    #[test]
    fn a_sealed_record_opens_only_with_its_key_and_binding() {
        let plain = br#"{"access_token":"tok"}"#;
        let sealed = seal(&key(1), RECORD, plain).unwrap();
        assert_eq!(sealed[0], FORMAT);
        assert!(!sealed.windows(3).any(|w| w == b"tok"), "no plain text");
        assert_eq!(
            open(&key(1), None, RECORD, &sealed),
            Some((plain.to_vec(), Opener::Key))
        );
        // Another key, another name, another schema, the canary: no.
        assert_eq!(open(&key(2), None, RECORD, &sealed), None);
        let renamed = Binding::Record {
            schema: "tether",
            name: "gh2",
        };
        assert_eq!(open(&key(1), None, renamed, &sealed), None);
        let moved = Binding::Record {
            schema: "other",
            name: "gh",
        };
        assert_eq!(open(&key(1), None, moved, &sealed), None);
        let canary = Binding::Canary { schema: "tether" };
        assert_eq!(open(&key(1), None, canary, &sealed), None);
        // A flipped bit, a cut value, another format byte: no.
        let mut flipped = sealed.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert_eq!(open(&key(1), None, RECORD, &flipped), None);
        assert_eq!(open(&key(1), None, RECORD, &sealed[..20]), None);
        let mut format = sealed;
        format[0] = 2;
        assert_eq!(open(&key(1), None, RECORD, &format), None);
    }

    #[test]
    fn the_previous_key_opens_during_a_rotation() {
        let sealed = seal(&key(1), RECORD, b"x").unwrap();
        assert_eq!(
            open(&key(2), Some(&key(1)), RECORD, &sealed),
            Some((b"x".to_vec(), Opener::PreviousKey))
        );
        assert_eq!(open(&key(2), Some(&key(3)), RECORD, &sealed), None);
    }

    #[test]
    fn two_seals_of_one_value_differ() {
        let a = seal(&key(1), RECORD, b"same").unwrap();
        let b = seal(&key(1), RECORD, b"same").unwrap();
        assert_ne!(a, b, "a fresh nonce each time");
    }

    #[test]
    fn bindings_do_not_share_bytes() {
        let a = Binding::Record {
            schema: "ab",
            name: "c",
        };
        let b = Binding::Record {
            schema: "a",
            name: "bc",
        };
        assert_ne!(a.associated_data(), b.associated_data());
    }
}
