//! SASL initial responses that carry an OAuth 2.0 bearer token, for mail
//! clients that take a ready string: OAUTHBEARER (RFC 7628 §3.1) and
//! Google's and Microsoft's XOAUTH2.
//!
//! Both are base64 (RFC 4648 §4, padded) of key-value pairs separated by
//! `0x01`: OAUTHBEARER starts with a GS2 header naming the user
//! (`n,a=USER,`, RFC 5801 §4, where `,` and `=` in the name are written
//! `=2C` and `=3D`); XOAUTH2 with `user=USER`. `host` and `port`, which
//! RFC 7628 makes optional, are not sent: the response is made before the
//! client has chosen a server.

use base64::Engine;

/// Which SASL mechanism the response is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mechanism {
    /// Google's and Microsoft's `XOAUTH2`.
    Xoauth2,
    /// `OAUTHBEARER`, RFC 7628.
    Oauthbearer,
}

/// A user name that cannot be put in the response: it holds `0x01`, the
/// separator, or another control character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadUser;

/// The initial client response of `mechanism` for `user` and `token`,
/// base64-encoded.
pub fn initial_response(mechanism: Mechanism, user: &str, token: &str) -> Result<String, BadUser> {
    if user.is_empty() || user.chars().any(char::is_control) {
        return Err(BadUser);
    }
    let text = match mechanism {
        Mechanism::Xoauth2 => format!("user={user}\x01auth=Bearer {token}\x01\x01"),
        Mechanism::Oauthbearer => {
            let user = user.replace('=', "=3D").replace(',', "=2C");
            format!("n,a={user},\x01auth=Bearer {token}\x01\x01")
        }
    };
    Ok(base64::engine::general_purpose::STANDARD.encode(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(text: &str) -> String {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text)
            .unwrap();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn xoauth2_is_user_then_bearer() {
        let response = initial_response(Mechanism::Xoauth2, "ann@example.com", "ya29.t").unwrap();
        assert_eq!(
            decoded(&response),
            "user=ann@example.com\x01auth=Bearer ya29.t\x01\x01"
        );
        // The example of Google's XOAUTH2 page, byte for byte.
        assert_eq!(
            initial_response(
                Mechanism::Xoauth2,
                "someuser@example.com",
                "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg"
            )
            .unwrap(),
            "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ=="
        );
    }

    #[test]
    fn oauthbearer_has_a_gs2_header_with_the_user_escaped() {
        let response = initial_response(Mechanism::Oauthbearer, "a,b=c", "tok").unwrap();
        assert_eq!(
            decoded(&response),
            "n,a=a=2Cb=3Dc,\x01auth=Bearer tok\x01\x01"
        );
    }

    #[test]
    fn a_user_with_a_separator_is_refused() {
        assert_eq!(
            initial_response(Mechanism::Xoauth2, "a\x01auth=x", "t"),
            Err(BadUser)
        );
        assert_eq!(
            initial_response(Mechanism::Oauthbearer, "", "t"),
            Err(BadUser)
        );
    }
}
