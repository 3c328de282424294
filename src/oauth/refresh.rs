//! Keeping a connection's access token fresh (RFC 6749 §6, §4.4), safely
//! across processes.
//!
//! A token that expires within the margin is refreshed under the
//! connection's cross-process lock: take the lock, read the store again,
//! refresh only if still due, persist, release. So N processes that find
//! the same expired token make one refresh request between them, and a
//! rotated refresh token is stored before anyone uses the new access token
//! (presenting a rotated refresh token again would revoke the whole grant
//! at many providers). A refused refresh (`invalid_grant`) marks the record
//! as needing authorization; any other failure leaves the old tokens as
//! they were.

use std::time::Duration;

use super::token::{self, Endpoint};
use crate::config::{AuthKind, Paths, Service};
use crate::http::client::Net;
use crate::secret::Secret;
use crate::store::{Record, Store, TokenState};
use crate::{Error, Result};

/// Refresh this long before expiry, so a token does not die in flight.
pub const MARGIN: u64 = 60;

/// How long to wait for another process's refresh before giving up. A
/// refresh is one HTTP request with its own 30 s timeout; a lock held
/// longer than this belongs to a stuck process.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(45);

/// The connection being kept fresh.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub name: &'a str,
    pub service_name: &'a str,
    pub service: &'a Service,
    /// The scopes the connection asks for (client credentials send them).
    pub scopes: &'a [String],
}

/// Why a fresh token is wanted.
#[derive(Debug, Clone)]
pub enum Reason {
    /// Before a request: refresh only if due.
    BeforeUse,
    /// The API refused this access token (HTTP 401): refresh unless another
    /// process has already replaced it.
    Rejected(Secret),
}

/// The token store and network a refresh needs.
pub struct Deps<'a> {
    pub store: &'a Store,
    pub paths: &'a Paths,
    pub net: &'a Net,
    /// The current time in unix seconds; read when needed, passed in so
    /// that the logic does not read the clock itself.
    pub now: &'a dyn Fn() -> u64,
}

impl std::fmt::Debug for Deps<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deps")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

/// The record of `target`, refreshed when due. Returns the record and
/// whether this call refreshed it.
pub fn fresh(target: Target<'_>, deps: &Deps<'_>, reason: &Reason) -> Result<(Record, bool)> {
    let record = load(target, deps.store)?;
    if !needs_refresh(target.name, &record, (deps.now)(), reason)? {
        return Ok((record, false));
    }

    let _lock = crate::store::lock(deps.paths, target.name, LOCK_TIMEOUT)?;
    // Another process may have refreshed while we waited for the lock.
    let record = load(target, deps.store)?;
    if !needs_refresh(target.name, &record, (deps.now)(), reason)? {
        return Ok((record, false));
    }
    let refreshed = refresh(target, deps, &record);
    match refreshed {
        Ok(new) => {
            deps.store.save(target.name, &new)?;
            Ok((new, true))
        }
        Err(
            err @ Error::Provider {
                needs_user: true, ..
            },
        ) => {
            let mut marked = record;
            marked.needs_authorization = true;
            deps.store.save(target.name, &marked)?;
            Err(Error::NeedsAuthorization {
                name: target.name.to_string(),
                reason: format!("needs authorization again: {err}"),
            })
        }
        Err(err) => Err(err),
    }
}

fn load(target: Target<'_>, store: &Store) -> Result<Record> {
    store
        .load(target.name)?
        .ok_or_else(|| Error::NeedsAuthorization {
            name: target.name.to_string(),
            reason: "is not connected".into(),
        })
}

/// Whether `record` must be refreshed now; an error when only the user
/// can help.
fn needs_refresh(name: &str, record: &Record, now: u64, reason: &Reason) -> Result<bool> {
    match (record.state(now, MARGIN), reason) {
        (TokenState::NeedsAuthorization, _) => Err(Error::NeedsAuthorization {
            name: name.to_string(),
            reason: "needs authorization: the provider refused the last refresh".into(),
        }),
        (TokenState::Expired, _) => Err(Error::NeedsAuthorization {
            name: name.to_string(),
            reason: "has expired and cannot be refreshed".into(),
        }),
        (TokenState::Static, _) | (TokenState::Valid { .. }, Reason::BeforeUse) => Ok(false),
        (TokenState::Due, _) => Ok(true),
        (TokenState::Valid { .. }, Reason::Rejected(token)) => {
            Ok(record.refreshable() && record.access_token.as_ref() == Some(token))
        }
    }
}

/// Asks the provider for new tokens.
fn refresh(target: Target<'_>, deps: &Deps<'_>, record: &Record) -> Result<Record> {
    let service = target.service;
    let mut endpoint = Endpoint::for_refresh(deps.store, target.service_name, service)?;
    let http = deps.net.client()?;
    let tokens = match (service.auth, &record.refresh_token) {
        (_, Some(refresh_token)) => {
            deps.net
                .block_on(token::refresh(http, &endpoint, refresh_token))?
        }
        (AuthKind::ClientCredentials, None) => {
            endpoint = Endpoint::for_code(deps.store, target.service_name, service)?;
            deps.net
                .block_on(token::client_credentials(http, &endpoint, target.scopes))?
        }
        _ => {
            return Err(Error::NeedsAuthorization {
                name: target.name.to_string(),
                reason: "has expired and holds no refresh token".into(),
            });
        }
    };
    Ok(tokens.into_record(
        target.service_name,
        service.auth,
        (deps.now)(),
        target.scopes,
        Some(record),
    ))
}
