//! OAuth 2.0 for a command-line client.
//!
//! * [`authorize`] — the authorization request with state and PKCE
//!   (RFC 6749 §4.1.1, RFC 7636)
//! * [`listener`] — the loopback redirect listener (RFC 8252 §7.3)
//! * [`callback`] — reading the authorization response, from the listener
//!   or pasted (RFC 6749 §4.1.2, §10.12)
//! * [`browser`] — the one place that opens a browser
//! * [`device`] — the device authorization grant (RFC 8628)
//! * [`discovery`] — endpoints from an issuer (OIDC Discovery, RFC 8414)
//! * [`refresh`] — keeping tokens fresh under a cross-process lock
//! * [`token`] — token endpoint requests through the `oauth2` crate
//!   (RFC 6749 §4.1.3, §4.4, §6)

pub mod authorize;
pub mod browser;
pub mod callback;
pub mod device;
pub mod discovery;
pub mod listener;
pub mod refresh;
pub mod token;
