//! The one percent-encoding of OAuth 1.0a (RFC 5849 §3.6).
//!
//! Every name and value that goes into a signature base string, a signing
//! key or an `Authorization: OAuth` header is encoded here: the UTF-8 bytes
//! of the text, with everything but RFC 3986's unreserved characters
//! (ALPHA, DIGIT, `-`, `.`, `_`, `~`) written as `%XX` in upper-case hex.
//! This is stricter than form encoding (a space is `%20`, never `+`; `*`
//! and `~` differ too), and both ends of a signature must agree on it byte
//! for byte.

pub use crate::percent::{ENCODED, encode};

/// `text` with `%XX` sequences decoded (not `+`: header values use §3.6,
/// where a space is always `%20`). Invalid UTF-8 is replaced.
pub fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_only_unreserved_characters_alone() {
        let unreserved = "ABCXYZabcxyz0189-._~";
        assert_eq!(encode(unreserved), unreserved);
        assert_eq!(encode(" "), "%20");
        assert_eq!(encode("+"), "%2B");
        assert_eq!(encode("*"), "%2A");
        assert_eq!(encode("%"), "%25");
        assert_eq!(encode("&=/?#!'()"), "%26%3D%2F%3F%23%21%27%28%29");
    }

    #[test]
    fn encodes_utf8_bytes_in_upper_case_hex() {
        assert_eq!(encode("é"), "%C3%A9");
        assert_eq!(encode("\u{2603}"), "%E2%98%83");
        assert_eq!(encode("\u{1F600}"), "%F0%9F%98%80");
    }

    #[test]
    fn decode_reverses_encode() {
        for text in ["a b+c", "é&=~*", "", "%"] {
            assert_eq!(decode(&encode(text)), text);
        }
        assert_eq!(decode("a+b"), "a+b");
    }
}
