//! The protocols through which other programs ask tether for a credential,
//! parsed and written as pure functions: git's credential helpers, the
//! kubectl `ExecCredential` of client-go exec plugins, docker's credential
//! helpers, netrc lines, the SASL initial responses of mail clients, and
//! the environment `tether exec` hands to a command. Which connection
//! answers for a host is [`hosts`].
//!
//! Nothing here reads a store or the network: `cmd::credential`,
//! `cmd::exec` and `cmd::token` fetch the fresh token and hand it over
//! through these.

pub mod docker;
pub mod environment;
pub mod git;
pub mod hosts;
pub mod kube;
pub mod netrc;
pub mod sasl;

use std::fmt;

/// A value a line-based format cannot carry: one with a line break, a
/// NUL, or (for whitespace-separated formats) a space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unwritable {
    /// The format: `git credential`, `netrc`.
    pub format: &'static str,
    /// The field: `password`, `login`.
    pub field: &'static str,
}

impl fmt::Display for Unwritable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} cannot be written as {}: it holds a character that format cannot carry",
            self.field, self.format
        )
    }
}
