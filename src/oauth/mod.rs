//! OAuth 2.0 for a command-line client.
//!
//! * [`attention`] — the `on_needs_authorization` command: telling someone
//!   that a connection needs its user
//! * [`authorize`] — the authorization request with state and PKCE
//!   (RFC 6749 §4.1.1, RFC 7636)
//! * [`listener`] — the loopback redirect listener (RFC 8252 §7.3)
//! * [`callback`] — reading the authorization response, from the listener
//!   or pasted (RFC 6749 §4.1.2, §10.12)
//! * [`browser`] — the one place that opens a browser
//! * [`device`] — the device authorization grant (RFC 8628)
//! * [`discovery`] — endpoints from an issuer (OIDC Discovery, RFC 8414)
//! * [`flow`] — how `connect` authorizes: the choice among the listener,
//!   a pasted redirect, another machine and the device grant, the
//!   deadlines, and what the user is told, through a [`flow::Prompt`]
//! * [`refresh`] — keeping tokens fresh under a cross-process lock, and
//!   handing a rotated CI record to `on_rotate`
//! * [`token`] — token endpoint requests through the `oauth2` crate
//!   (RFC 6749 §4.1.3, §4.4, §6)
//! * [`token_error`] — how those requests fail, as data: the provider's
//!   error code and which refusals only the user can undo (RFC 6749 §5.2)
//! * [`oauth1`] — OAuth 1.0a's authorization (RFC 5849 §2) on the same
//!   listener and prompt, and the consumer its requests are signed with
//!
//! These modules take plain values ([`Grant`], a store, a [`Net`], a
//! clock) and never the command layer's context.
//!
//! [`Net`]: crate::http::client::Net

pub mod attention;
pub mod authorize;
pub mod browser;
pub mod callback;
pub mod device;
pub mod discovery;
pub mod flow;
pub mod listener;
pub mod oauth1;
pub mod refresh;
pub mod token;
pub mod token_error;

use std::fmt;

use crate::Result;
use crate::config::Service;
use crate::config::template::Vars;

/// A connection as OAuth sees it: what it asks of which service.
#[derive(Debug, Clone, Copy)]
pub struct Grant<'a> {
    /// The connection's name.
    pub name: &'a str,
    pub service_name: &'a str,
    /// The service as configured; its endpoints may hold placeholders
    /// that [`Grant::endpoints`] fills.
    pub service: &'a Service,
    /// The connection's own vars.
    pub vars: &'a Vars,
    /// The scopes the connection asks for.
    pub scopes: &'a [String],
}

impl Grant<'_> {
    /// The service with its endpoints filled for this connection, once the
    /// provider has told it `learnt` (the vars of its record, or of the
    /// redirect just received).
    pub fn endpoints(&self, learnt: &Vars) -> Result<Service> {
        self.service
            .for_connection(self.service_name, self.vars, learnt)
    }
}

/// Service keys an OAuth flow needs and the service lacks
/// ([`Error::IncompleteService`](crate::Error::IncompleteService)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingKeys {
    /// The code flow needs both `authorize_url` and `client_id`.
    AuthorizeUrlOrClientId,
    /// The device grant needs `device_authorization_url`.
    DeviceAuthorizationUrl,
}

impl MissingKeys {
    /// The `service edit` command that sets the keys of `service`.
    pub fn hint(self, service: &str) -> String {
        match self {
            MissingKeys::AuthorizeUrlOrClientId => format!(
                "set them with `tether service edit {service} --authorize-url URL --client-id ID`"
            ),
            MissingKeys::DeviceAuthorizationUrl => format!(
                "set it with `tether service edit {service} --device-authorization-url URL`"
            ),
        }
    }
}

impl fmt::Display for MissingKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MissingKeys::AuthorizeUrlOrClientId => "authorize_url or client_id",
            MissingKeys::DeviceAuthorizationUrl => "device_authorization_url",
        })
    }
}
