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
//!
//! From just before the refresh request is sent until its outcome is saved,
//! Ctrl-C and SIGTERM wait ([`interrupt::hold`]): a provider that rotated
//! the refresh token has spent the stored one, so the answer must reach the
//! store. A kill that cannot wait (SIGKILL, a crash) between the file
//! store's temp file and its rename leaves the new record in that temp
//! file: the next refresh, under the lock, recovers it
//! ([`Store::recover`]).
//!
//! A connection read from `TETHER_CONNECTION_<NAME>` keeps its refreshed
//! record in memory only; when the provider rotated its refresh token, the
//! new record goes to the connection's `on_rotate` command
//! ([`env::hand_over`]), or a warning says the variable is now stale.
//!
//! A refresh that succeeds records the refresh token's use
//! (`refresh_token_used_at`, which an idle lifetime counts from); nothing
//! else writes it, so a valid token costs one read and no write. A refused
//! one runs `on_needs_authorization` ([`attention::tell`]) once: the mark
//! it leaves stops every later refresh before a request.

use std::time::Duration;

use super::Grant;
use super::attention::{self, Attention, Event};
use super::token::{self, Endpoint, Tokens};
use crate::config::{AuthKind, Paths};
use crate::error::NeedsUser;
use crate::http::client::Net;
use crate::secret::Secret;
use crate::store::{Record, Store, TokenState, env};
use crate::{Error, Result, interrupt, ui};

/// Refresh this long before expiry, so a token does not die in flight
/// (shortened for tokens that live less than twice as long).
pub const MARGIN: u64 = 60;

/// How long to wait for another process's refresh before giving up. A
/// refresh is one HTTP request bounded by [`token::TIMEOUT`]; a lock held
/// longer than this belongs to a stuck process.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(45);

/// Why a fresh token is wanted.
#[derive(Debug, Clone)]
pub enum Reason {
    /// Before a request: refresh only if due.
    BeforeUse,
    /// The API refused this access token (HTTP 401): refresh unless another
    /// process has already replaced it.
    Rejected(Secret),
    /// Before handing the token to another program that needs it valid
    /// for this many seconds (`exec --min-valid`): refresh when less
    /// remains, if it can be refreshed.
    ValidFor(u64),
    /// `keepalive`: use the refresh token now, to keep it alive, unless
    /// another process has replaced this access token (`None`: there was
    /// none) since.
    Renew(Option<Secret>),
}

/// The commands a refresh may run: `on_rotate` (a connection from the
/// environment whose refresh token rotated) and `on_needs_authorization`
/// (a refused refresh). Each an argv.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hooks<'a> {
    pub on_rotate: Option<&'a [String]>,
    pub on_needs_authorization: Option<&'a [String]>,
}

/// A connection's record, ready to use.
#[derive(Debug, Clone)]
pub struct Fresh {
    pub record: Record,
    /// Whether this call refreshed it (a second refresh for the same
    /// request would be pointless).
    pub refreshed: bool,
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

/// The record of `grant`, refreshed first when due (or when `reason` says
/// the API refused it). `read` is the record when the caller has already
/// read it from the store, so that a valid token costs one read. A refresh
/// that rotated the refresh token of a connection from the environment is
/// handed to `hooks.on_rotate`; a refused one is told to
/// `hooks.on_needs_authorization`.
pub fn fresh(
    grant: Grant<'_>,
    hooks: Hooks<'_>,
    deps: &Deps<'_>,
    reason: &Reason,
    read: Option<Record>,
) -> Result<Fresh> {
    let fresh = match refresh_if_due(grant, deps, reason, read) {
        Ok(fresh) => fresh,
        Err(err) => {
            if let Error::NeedsAuthorization {
                why: why @ NeedsUser::RefreshRefused { .. },
                ..
            } = &err
            {
                let attention = Attention::new(
                    Event::NeedsAuthorization,
                    grant.name,
                    grant.service_name,
                    format!("connection `{}` {why}", grant.name),
                );
                attention::tell(hooks.on_needs_authorization, &attention);
            }
            return Err(err);
        }
    };
    if fresh.refreshed
        && let Some(rotated) = deps.store.rotated_env_record(grant.name)
        && let Some(warning) = env::hand_over(hooks.on_rotate, &rotated).warning(grant.name)
    {
        ui::warn(&warning);
    }
    Ok(fresh)
}

/// The record of `grant`, refreshed under the lock when due.
fn refresh_if_due(
    grant: Grant<'_>,
    deps: &Deps<'_>,
    reason: &Reason,
    read: Option<Record>,
) -> Result<Fresh> {
    let record = match read {
        Some(record) => belongs_to(grant, record)?,
        None => load(grant, deps.store)?,
    };
    if !needs_refresh(grant.name, &record, (deps.now)(), reason)? {
        return Ok(Fresh {
            record,
            refreshed: false,
        });
    }

    let seen = record.access_token;
    // The lock file, or the row lock of a shared store.
    let _lock = deps.store.lock(grant.name, LOCK_TIMEOUT)?;
    // A refresh killed while saving may have left its new record behind.
    deps.store.recover(grant.name)?;
    // Another process may have refreshed while we waited for the lock: then
    // its token is the one to use, even if it is short-lived.
    let record = load(grant, deps.store)?;
    if record.access_token != seen || !needs_refresh(grant.name, &record, (deps.now)(), reason)? {
        return Ok(Fresh {
            record,
            refreshed: false,
        });
    }
    let request = prepare(grant, deps, &record)?;
    // Dropped after the outcome is saved (declared after the lock, so
    // dropped before it): a signal that came meanwhile ends the process then.
    let _held = interrupt::hold();
    match send(&request, deps.net) {
        Ok(tokens) => {
            let now = (deps.now)();
            let mut new = tokens.into_record(
                grant.service_name,
                grant.service.auth,
                now,
                grant.scopes,
                Some(&record),
            );
            if matches!(request.how, How::RefreshToken(_)) {
                new.refresh_token_used_at = Some(now);
            }
            deps.store.save(grant.name, &new)?;
            Ok(Fresh {
                record: new,
                refreshed: true,
            })
        }
        Err(Error::Provider {
            request,
            code,
            description,
        }) if code.needs_user(request) => {
            let mut marked = record;
            marked.needs_authorization = true;
            deps.store.save(grant.name, &marked)?;
            Err(needs_user(
                grant.name,
                NeedsUser::RefreshRefused { code, description },
            ))
        }
        Err(err) => Err(err),
    }
}

fn load(grant: Grant<'_>, store: &Store) -> Result<Record> {
    let record = store
        .load(grant.name)?
        .ok_or_else(|| needs_user(grant.name, NeedsUser::NotConnected))?;
    belongs_to(grant, record)
}

fn needs_user(name: &str, why: NeedsUser) -> Error {
    Error::NeedsAuthorization {
        name: name.to_string(),
        why,
    }
}

/// `record`, when it holds tokens of the service the config names and
/// everything tether writes in a record. `status` decides with this too.
pub(crate) fn belongs_to(grant: Grant<'_>, record: Record) -> Result<Record> {
    if let Some(gap) = record.gap() {
        return Err(needs_user(grant.name, NeedsUser::UnreadableRecord { gap }));
    }
    if !record.service.is_empty() && record.service != grant.service_name {
        // The config now points the connection at another service: its
        // tokens belong to the old one and must go neither to the new
        // one's API nor to its token endpoint.
        return Err(needs_user(
            grant.name,
            NeedsUser::ServiceChanged {
                stored: record.service,
                configured: grant.service_name.to_string(),
            },
        ));
    }
    Ok(record)
}

/// Whether `record` must be refreshed now; an error when only the user
/// can help. `status` decides with this too.
pub(crate) fn needs_refresh(
    name: &str,
    record: &Record,
    now: u64,
    reason: &Reason,
) -> Result<bool> {
    match (record.state(now, margin(record)), reason) {
        // OAuth 1.0a has no refresh: the mark is a dead token's.
        (TokenState::NeedsAuthorization, _) if record.auth == AuthKind::Oauth1 => {
            Err(needs_user(name, NeedsUser::TokenWasRefused))
        }
        (TokenState::NeedsAuthorization, _) => Err(needs_user(name, NeedsUser::LastRefreshRefused)),
        (TokenState::Expired, _) => Err(needs_user(name, NeedsUser::Expired)),
        (TokenState::Static, _) | (TokenState::Valid { .. }, Reason::BeforeUse) => Ok(false),
        (TokenState::Due, _) => Ok(true),
        (TokenState::Valid { expires_at }, Reason::ValidFor(seconds)) => {
            Ok(record.refreshable()
                && expires_at.is_some_and(|at| now.saturating_add(*seconds) >= at))
        }
        (TokenState::Valid { .. }, Reason::Rejected(token)) => {
            Ok(record.refreshable() && record.access_token.as_ref() == Some(token))
        }
        (TokenState::Valid { .. }, Reason::Renew(seen)) => {
            Ok(record.refreshable() && record.access_token == *seen)
        }
    }
}

/// The refresh margin for `record`: [`MARGIN`], or half the token's
/// lifetime when that is shorter, so a short-lived token is used for a
/// while before it is refreshed again.
fn margin(record: &Record) -> u64 {
    match record.expires_at {
        Some(at) => MARGIN.min(at.saturating_sub(record.obtained_at) / 2),
        None => MARGIN,
    }
}

/// A refresh request, ready to be sent.
struct Request<'a> {
    endpoint: Endpoint,
    how: How<'a>,
}

/// Which grant a refresh uses.
enum How<'a> {
    /// The refresh token (RFC 6749 §6).
    RefreshToken(&'a Secret),
    /// The client's own credentials again (§4.4), which issue no refresh
    /// token.
    ClientCredentials(&'a [String]),
}

/// Everything a refresh request needs, read before it is sent: the token
/// endpoint (and the client secret from the store), with its HTTP client
/// built.
fn prepare<'a>(grant: Grant<'a>, deps: &Deps<'a>, record: &'a Record) -> Result<Request<'a>> {
    let service = &grant.endpoints(&record.vars)?;
    let endpoint = Endpoint::for_refresh(deps.store, grant.service_name, service)?;
    let (endpoint, how) = match (service.auth, &record.refresh_token) {
        (_, Some(refresh_token)) => (endpoint, How::RefreshToken(refresh_token)),
        (AuthKind::ClientCredentials, None) => (
            Endpoint::for_code(deps.store, grant.service_name, service)?,
            How::ClientCredentials(grant.scopes),
        ),
        _ => {
            return Err(needs_user(grant.name, NeedsUser::NoRefreshToken));
        }
    };
    // The client (TLS roots and all) is built now, before the request's
    // held window begins; `Net` keeps it for the send.
    deps.net.client_for(&endpoint.url)?;
    Ok(Request { endpoint, how })
}

/// Asks the provider for new tokens.
fn send(request: &Request<'_>, net: &Net) -> Result<Tokens> {
    let endpoint = &request.endpoint;
    match request.how {
        How::RefreshToken(refresh_token) => {
            net.block_on(token::refresh(net, endpoint, refresh_token))
        }
        How::ClientCredentials(scopes) => {
            net.block_on(token::client_credentials(net, endpoint, scopes))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::AuthKind;

    fn record(obtained_at: u64, expires_at: u64) -> Record {
        Record {
            auth: AuthKind::Oauth2,
            access_token: Some(Secret::new("a")),
            refresh_token: Some(Secret::new("r")),
            obtained_at,
            expires_at: Some(expires_at),
            ..Record::default()
        }
    }

    #[test]
    fn margin_shrinks_for_short_lived_tokens() {
        assert_eq!(margin(&record(0, 3600)), MARGIN);
        assert_eq!(margin(&record(100, 130)), 15);
        let r = record(100, 130);
        assert!(!needs_refresh("c", &r, 110, &Reason::BeforeUse).unwrap());
        assert!(needs_refresh("c", &r, 116, &Reason::BeforeUse).unwrap());
    }

    #[test]
    fn a_rejected_token_is_refreshed_only_if_it_is_still_the_stored_one() {
        let r = record(0, 3600);
        assert!(needs_refresh("c", &r, 10, &Reason::Rejected(Secret::new("a"))).unwrap());
        assert!(!needs_refresh("c", &r, 10, &Reason::Rejected(Secret::new("old"))).unwrap());
    }

    #[test]
    fn a_token_wanted_for_longer_than_it_lives_is_refreshed() {
        let r = record(0, 3600);
        assert!(!needs_refresh("c", &r, 10, &Reason::ValidFor(600)).unwrap());
        assert!(needs_refresh("c", &r, 3100, &Reason::ValidFor(600)).unwrap());
        let mut unrefreshable = r;
        unrefreshable.refresh_token = None;
        assert!(!needs_refresh("c", &unrefreshable, 3100, &Reason::ValidFor(600)).unwrap());
    }

    #[test]
    fn a_renewal_refreshes_a_valid_token_unless_it_was_replaced() {
        let r = record(0, 3600);
        assert!(needs_refresh("c", &r, 10, &Reason::Renew(Some(Secret::new("a")))).unwrap());
        assert!(!needs_refresh("c", &r, 10, &Reason::Renew(Some(Secret::new("old")))).unwrap());
        let mut no_refresh = r;
        no_refresh.refresh_token = None;
        assert!(
            !needs_refresh("c", &no_refresh, 10, &Reason::Renew(Some(Secret::new("a")))).unwrap()
        );
    }

    #[test]
    fn a_refused_refresh_needs_the_user() {
        let mut r = record(0, 3600);
        r.needs_authorization = true;
        let err = needs_refresh("c", &r, 10, &Reason::BeforeUse).unwrap_err();
        assert_eq!(err.exit_code(), crate::exit::NEEDS_USER);
    }
}
