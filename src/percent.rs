//! The strict percent-encoding of RFC 3986 §2: every byte of the UTF-8
//! text but the unreserved characters (ALPHA, DIGIT, `-`, `.`, `_`, `~`)
//! becomes `%XX` in upper-case hex — a space is `%20`, never `+`.
//!
//! Two places need exactly this and must agree: a `{var}` value in the path
//! of a URL template (so it stays data inside one segment), and OAuth 1.0a
//! signatures (RFC 5849 §3.6 defines its encoding as this one).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// The bytes that are encoded: all but RFC 3986's unreserved characters.
pub const ENCODED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `text`, percent-encoded with [`ENCODED`].
pub fn encode(text: &str) -> String {
    utf8_percent_encode(text, ENCODED).to_string()
}
