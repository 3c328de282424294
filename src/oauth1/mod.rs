//! OAuth 1.0a (RFC 5849) for a command-line client: signing requests and
//! the steps of the redirection-based authorization, as pure functions.
//!
//! * [`encode`] — the one percent-encoding of the protocol (§3.6)
//! * [`signature`] — the signature base string (§3.4.1) and the signature
//!   methods HMAC-SHA1, HMAC-SHA256, RSA-SHA1 and PLAINTEXT (§3.4.2–3.4.4),
//!   and the body hash of the OAuth Request Body Hash extension
//! * [`signer`] — one signed request: the protocol parameters (§3.1), fresh
//!   timestamp and nonce (§3.3), and where they travel (§3.5), with the
//!   redaction of what `-v` shows
//! * [`token`] — temporary credentials, authorization and token requests
//!   (§2) and their form-encoded responses
//! * [`problem`] — why a provider refused a request (the OAuth Problem
//!   Reporting extension), and whether the token is dead
//!
//! Nothing here sends a request or reads a clock or a config: callers pass
//! the time, the nonce (or take one from the OS RNG with
//! [`signer::os_nonce`]) and the secrets in, so every output is a function
//! of its inputs. Secrets travel as [`Secret`](crate::secret::Secret) and never
//! print through `Debug`; a signature is treated as one, since a PLAINTEXT
//! signature is the client and token secrets themselves.

pub mod encode;
pub(crate) mod header;
pub mod problem;
pub mod signature;
pub mod signer;
pub mod token;

#[cfg(test)]
pub(crate) mod tests;

pub use problem::{Problem, Report};
pub use signature::{RsaKey, SignatureMethod, UnknownName};
pub use signer::{
    Body, ClientSecret, Consumer, Credentials, Freshness, SignatureLocation, Signed, Token,
    redact_authorization, redact_url,
};
pub use token::{Callback, TokenCredentials};

/// Why a request could not be signed. Never holds a secret or a key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigningProblem {
    /// Only http and https requests are signed (§3.4.1.2).
    #[error("only http and https URLs can be signed, not `{scheme}:`")]
    NotHttp { scheme: String },
    /// HMAC and PLAINTEXT sign with the client's shared secret.
    #[error("{method} needs the client secret")]
    MissingSecret { method: signature::SignatureMethod },
    /// RSA-SHA1 signs with the client's RSA private key.
    #[error("RSA-SHA1 needs the client's RSA private key")]
    MissingRsaKey,
    /// `detail` is the PEM or DER parser's reason, which quotes no key.
    #[error("the RSA private key is not a PKCS#1 or PKCS#8 PEM key: {detail}")]
    InvalidRsaKey { detail: String },
    #[error("the RSA private key is encrypted: give it unencrypted (PKCS#1 or PKCS#8)")]
    EncryptedRsaKey,
    #[error("cannot sign with the RSA key: {detail}")]
    RsaSign { detail: String },
    /// The OS RNG gave no nonce.
    #[error("cannot make a nonce: {detail}")]
    Random { detail: String },
    #[error("the system clock is before 1970: a request cannot carry a timestamp")]
    ClockBeforeEpoch,
}

/// What is wrong with a step of the authorization (§2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlowProblem {
    /// A response or callback lacks a field it must carry.
    #[error("the provider's answer has no `{field}`")]
    MissingField { field: &'static str },
    /// The temporary-credentials response did not say
    /// `oauth_callback_confirmed=true` (§2.1).
    #[error(
        "the provider did not confirm the callback (`oauth_callback_confirmed`): it may speak OAuth 1.0, not 1.0a"
    )]
    CallbackNotConfirmed,
    /// The resource owner refused.
    #[error("the authorization was denied")]
    Denied,
    /// The callback's `oauth_token` is not the one this flow asked for.
    #[error(
        "the callback answers another authorization request (its `oauth_token` does not match)"
    )]
    TokenMismatch,
}
