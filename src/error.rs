//! The one error type of tether.
//!
//! Every failure a user can meet is a variant here. A variant carries data
//! (a name, a path, a status), not a preformatted sentence, and knows two
//! things about itself: the exit code of DESIGN §5 and the hint that tells
//! the user which command to run next. Messages are lowercase and never
//! contain a secret: values that could be secret are not stored in variants.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::config::hosts::InvalidHostPattern;
use crate::config::secrets::SecretProblem;
use crate::config::template::Slot;
use crate::config::{AuthKind, Located, NextPage};
use crate::duration::Span;
use crate::http::batch::LineProblem;
use crate::http::client::NetPart;
use crate::http::credential::ItemRefusal;
use crate::http::input::InputProblem;
use crate::http::items::{BodyProblem, ItemProblem};
use crate::http::jq::{FilterFailure, InvalidFilter};
use crate::http::paginate::PageProblem;
use crate::oauth::MissingKeys;
use crate::oauth::callback::ErrorCode;
use crate::oauth::discovery::DiscoveryProblem;
use crate::oauth::listener::ListenerProblem;
use crate::oauth::token_error::{AnswerProblem, MetadataProblem, TokenErrorCode, TokenRequest};
use crate::oauth1::{FlowProblem, SigningProblem};
use crate::store::KeyringFailure;
use crate::store::env::{BlobProblem, BlobSource};
use crate::store::file::Exposure;
use crate::store::postgres::{PgFailure, SharedStoreProblem};
use crate::store::record::{RecordGap, Shortfall};
use crate::store::{RecordProblem, StoreKind, StoreProblem};

use crate::helpers::Unwritable;
use crate::helpers::git::RequestProblem as GitRequestProblem;
pub use crate::helpers::hosts::Tool as HelperTool;
use crate::helpers::kube::ExecInfoProblem;

/// The result type used across tether.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Exit codes (DESIGN §5). `invoke` also exits 3, 4 and 5 for HTTP
/// statuses; those are outcomes, not errors, and live in `cmd::invoke`.
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// Any other failure: provider error, I/O.
    pub const FAILURE: u8 = 1;
    /// Usage or configuration error, refused host.
    pub const USAGE: u8 = 2;
    /// `invoke`: HTTP 3xx that was not followed.
    pub const HTTP_3XX: u8 = 3;
    /// `invoke`: HTTP 4xx.
    pub const HTTP_4XX: u8 = 4;
    /// `invoke`: HTTP 5xx.
    pub const HTTP_5XX: u8 = 5;
    /// Network failure or timeout.
    pub const NETWORK: u8 = 6;
    /// The connection needs the user: not connected, refresh refused,
    /// consent denied, no credential in CI.
    pub const NEEDS_USER: u8 = 7;
    /// `exec`: the command could not be run (as `env` and shells exit).
    pub const COMMAND_NOT_RUN: u8 = 126;
    /// `exec`: the command was not found (as `env` and shells exit).
    pub const COMMAND_NOT_FOUND: u8 = 127;
}

/// What kind of thing a name on the command line refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Service,
    Connection,
    Template,
    /// A shared store (`[stores.NAME]`).
    Store,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Service => "service",
            Kind::Connection => "connection",
            Kind::Template => "template",
            Kind::Store => "store",
        }
    }
}

/// Every way tether can fail.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line is wrong in a way clap cannot see.
    #[error("{message}")]
    Usage {
        message: String,
        hint: Option<String>,
    },

    /// A required value was not given and there is no terminal to ask on.
    #[error("{what} is required")]
    MissingValue { what: String, flag: String },

    /// The config file is not valid TOML, or a key or value in it is wrong.
    #[error("{}", .0)]
    Config(Box<Located>),

    /// A service or connection name that the config does not hold.
    #[error("no {} named `{name}`", .kind.noun())]
    UnknownName {
        kind: Kind,
        name: String,
        suggestion: Option<String>,
    },

    /// A name that is already taken.
    #[error("a {} named `{name}` already exists", .kind.noun())]
    AlreadyExists { kind: Kind, name: String },

    /// A service cannot be removed while connections use it.
    #[error("service `{service}` is used by {}", list_names(.connections))]
    ServiceInUse {
        service: String,
        connections: Vec<String>,
    },

    /// A secret reference could not be resolved.
    #[error("could not read the {what}: {problem}")]
    Secret {
        what: String,
        problem: SecretProblem,
    },

    /// The connection has no usable credential and needs the user.
    #[error("connection `{name}` {why}")]
    NeedsAuthorization { name: String, why: NeedsUser },

    /// The token endpoint (or the device or revocation endpoint) answered
    /// `request` with an error response: its code and description, never
    /// a token.
    #[error("the provider refused: {code}{}", in_parentheses(.description))]
    Provider {
        request: TokenRequest,
        code: TokenErrorCode,
        description: Option<String>,
    },

    /// A URL's host is not one the credential may be sent to.
    #[error("refusing to send the credential of `{connection}` to {host}: {why}")]
    RefusedHost {
        connection: String,
        /// `host` or `host:port`, as a host pattern would name it.
        host: String,
        why: Refusal,
    },

    /// The network failed or timed out.
    #[error("{what}: {reason}")]
    Network { what: String, reason: String },

    /// The token store failed.
    #[error("token store ({store}): {problem}")]
    Store {
        store: StoreKind,
        problem: StoreProblem,
    },

    /// A file could not be read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Something else; the message says what.
    #[error("{0}")]
    Other(String),

    /// `{var}` placeholders of a URL that no layer of vars fills.
    #[error("`{template}` has no value for {}", quote_vars(.names))]
    UnfilledPlaceholders {
        template: String,
        names: Vec<String>,
    },

    /// A var's value does not fit its place in a URL.
    #[error("the value of `{name}` is not {}", .slot.takes())]
    InvalidVarValue { name: String, slot: Slot },

    /// A `--allow-host` value that is not a host pattern.
    #[error("{0}")]
    InvalidHostPattern(InvalidHostPattern),

    /// A request item of `invoke` that cannot be sent.
    #[error("{}", .problem.message(.item))]
    InvalidItem { item: String, problem: ItemProblem },

    /// Request items that make no body together.
    #[error("{0}")]
    InvalidBody(BodyProblem),

    /// No redirect reached tether before `connect --timeout` ran out.
    #[error("connection `{name}` was not authorized within {seconds}s")]
    NotAuthorizedInTime { name: String, seconds: u64 },

    /// The provider sent an error to the redirect instead of a code (RFC
    /// 6749 §4.1.2.1). `service` is `None` where no config is at hand
    /// (`tether authorize`).
    #[error("the provider refused: {code}{}", in_parentheses(.description))]
    AuthorizationRefused {
        service: Option<String>,
        code: ErrorCode,
        description: Option<String>,
    },

    /// Another tether process held the connection's refresh lock for all
    /// of `waited`.
    #[error(
        "gave up after {:.1} s waiting for another tether process to finish with connection `{connection}` (lock file {})",
        .waited.as_secs_f64(),
        .path.display()
    )]
    LockTimeout {
        connection: String,
        waited: Duration,
        path: PathBuf,
    },

    /// `TETHER_STORE` names no token store.
    #[error("`{}` is `{value}`, which is not a token store", crate::store::ENV_VAR)]
    InvalidStoreChoice { value: String },

    /// A text that should be a connection record is not one. `connection`
    /// is the connection it was given for, if any.
    #[error("{}", not_a_record(.connection.as_deref(), .problem))]
    NotARecord {
        connection: Option<String>,
        problem: RecordProblem,
    },

    /// What should be a line of `tether connection export` is not one.
    #[error("{from} does not hold a connection: {problem}")]
    InvalidExport {
        from: BlobSource,
        problem: BlobProblem,
    },

    /// The connection comes from `TETHER_CONNECTION_<NAME>`, which tether
    /// can read but not change.
    #[error("`{connection}` comes from `{}`, which tether cannot delete", crate::store::env::var_name(.connection))]
    HeldInEnv { connection: String },

    /// The loopback listener could not catch the redirect.
    #[error("{0}")]
    Listener(ListenerProblem),

    /// An issuer's metadata could not be found or used.
    #[error("{}", .problem.message(.issuer))]
    Discovery {
        issuer: String,
        problem: DiscoveryProblem,
    },

    /// A provider's answer to `request` is neither tokens nor an error
    /// response.
    #[error("{}", .problem.message(*.request))]
    TokenAnswer {
        request: TokenRequest,
        problem: AnswerProblem,
    },

    /// The metadata request after a code exchange failed.
    #[error("{0}")]
    Metadata(MetadataProblem),

    /// The HTTP client or its runtime could not be set up; `detail` is the
    /// library's reason.
    #[error("cannot {part}: {detail}")]
    NetSetup { part: NetPart, detail: String },

    /// A question on the terminal could not be asked or answered; `detail`
    /// is the terminal library's reason.
    #[error("cannot read the answer: {detail}")]
    PromptFailed { detail: String },

    /// A service lacks the keys the OAuth flow asked for needs.
    #[error("service `{service}` has no {missing}")]
    IncompleteService {
        service: String,
        missing: MissingKeys,
    },

    /// A token file that others could read or change, or that another user
    /// owns: refused unread, as ssh refuses such a private key.
    #[error("token store (file): {} is not private ({exposure}); refusing to read it", .path.display())]
    ExposedTokenFile { path: PathBuf, exposure: Exposure },

    /// A URL placeholder in the host that is not whole labels of it: a
    /// value there could move the request to another host.
    #[error("`{template}`: `{{{name}}}` is not a whole part of the host name")]
    MisplacedPlaceholder { template: String, name: String },

    /// A file (or standard input) a request would send cannot be sent.
    #[error("{}: {problem}", .path.display())]
    RequestInput {
        path: PathBuf,
        problem: InputProblem,
    },

    /// A request to plain http on a host that is not loopback: tether
    /// sends plain http only to loopback hosts (`http::client::Route`).
    #[error("refusing plain http to {host}: it is not a loopback host")]
    PlainHttpOffLoopback { host: String },

    /// A request item that would undo where the credential of
    /// `connection` goes.
    #[error("{}", .why.message(.connection))]
    RefusedItem {
        connection: String,
        why: ItemRefusal,
    },
    /// Another tether process held the config lock for all of `waited`.
    #[error(
        "gave up after {:.1} s waiting for another tether process to finish editing the config (lock file {})",
        .waited.as_secs_f64(),
        .path.display()
    )]
    ConfigLockTimeout { waited: Duration, path: PathBuf },

    /// An endpoint of a service, filled for a connection, is one tether
    /// does not send the client credentials, a code or a token to.
    #[error("refusing to send the credentials of service `{service}` to {host}: {why}")]
    EndpointRefused {
        service: String,
        /// `host` or `host:port`; the URL itself when it has no host.
        host: String,
        why: EndpointRefusal,
    },

    /// An `invoke --jq` expression that does not compile.
    #[error("{0}")]
    InvalidFilter(Box<InvalidFilter>),

    /// An `invoke --jq` filter that failed on the response.
    #[error("{0}")]
    Filter(FilterFailure),

    /// `tether man` of a command that does not exist; `path` is the
    /// command's words after `tether`.
    #[error("no command `tether {}`", .path.join(" "))]
    UnknownCommand {
        path: Vec<String>,
        suggestion: Option<String>,
    },

    /// An OAuth 1.0a request could not be signed (a key that does not
    /// parse, no nonce from the OS).
    #[error("cannot sign the request for service `{service}`: {problem}")]
    Signing {
        service: String,
        problem: SigningProblem,
    },

    /// A step of the OAuth 1.0a authorization went wrong on the way back
    /// (RFC 5849 §2): a callback or an answer that is not what it must be.
    #[error("service `{service}`: {problem}")]
    Oauth1Flow {
        service: String,
        problem: FlowProblem,
    },

    /// The provider answered an OAuth 1.0a credentials request (§2.1,
    /// §2.3) with an error status, and `oauth_problem` when it said one.
    #[error("the provider refused the {step} request of service `{service}` (HTTP {status}){}", problem_suffix(.problem))]
    Oauth1Refused {
        service: String,
        step: Oauth1Step,
        status: u16,
        problem: Option<String>,
    },

    /// A page of `invoke --paginate` that tether cannot read on from.
    #[error("{}", .problem.message(*.page))]
    Pagination { page: u32, problem: PageProblem },

    /// A pagination strategy without the part it needs.
    #[error("pagination with `next = \"{next}\"` needs `{key}`")]
    PaginationNeeds { next: NextPage, key: &'static str },

    /// A line of `invoke --batch` that cannot become a request: what is
    /// wrong with it, whatever error that is.
    #[error("line {line} of the batch: {error}")]
    BatchLine { line: usize, error: Box<Error> },

    /// A batch line that is not a request as the batch reads them.
    #[error("{0}")]
    InvalidBatchLine(LineProblem),

    /// A service's `ca_file` that holds no usable certificate.
    #[error("{}: not a PEM file of certificates: {detail}", .path.display())]
    InvalidCaFile { path: PathBuf, detail: String },

    /// A value given on the command line that the config could not hold
    /// either (a connection or service name).
    #[error("{0}")]
    InvalidValue(crate::config::validate::ValueFault),

    /// An OAuth 1.0a connection asked for a token to hand to another
    /// program: it has none, each request carries its own signature.
    #[error(
        "connection `{connection}` uses OAuth 1.0a: every request carries its own signature, so there is no token to hand to another program"
    )]
    NoBearerToken { connection: String },

    /// More than one connection claims a host for a credential helper.
    #[error("connections {} both give {tool} credentials for {host}", quote_names(.connections))]
    HostClaimedTwice {
        host: String,
        tool: HelperTool,
        connections: Vec<String>,
    },

    /// `tether exec` could not start its command.
    #[error("cannot run `{program}`: {source}")]
    ExecFailed {
        program: String,
        #[source]
        source: std::io::Error,
    },

    /// Two connections of `tether exec` would set the same variable.
    #[error("connections {} would both set `{var}`", quote_names(.connections))]
    SameVariable {
        var: String,
        connections: Vec<String>,
    },

    /// An ID token was asked for and the connection has no usable one.
    #[error("connection `{connection}` {why}")]
    NoIdToken { connection: String, why: IdTokenGap },

    /// `KUBERNETES_EXEC_INFO` is not something tether can answer.
    #[error("`KUBERNETES_EXEC_INFO` cannot be answered: {0}")]
    ExecInfo(ExecInfoProblem),

    /// A SASL response was asked for and nothing says whose it is.
    #[error("no user to log in as: connection `{connection}` has no `email` var")]
    NoSaslUser { connection: String },

    /// A user name the SASL response cannot carry.
    #[error(
        "the user name cannot go into a SASL response: it is empty or holds a control character"
    )]
    BadSaslUser,

    /// docker asked tether to keep or forget a credential of its own.
    #[error("tether keeps no docker credentials of its own: `{action}` is refused")]
    DockerReadOnly { action: &'static str },

    /// docker asked for a registry no connection gives credentials for.
    #[error("no connection gives docker credentials for {registry}")]
    RegistryNotMapped { registry: String },

    /// A credential helper's request that is not one.
    #[error("the {tool} credential request cannot be read: {problem}")]
    HelperRequest {
        tool: HelperTool,
        problem: HelperRequestProblem,
    },

    /// A value the helper's output format cannot carry.
    #[error("{0}")]
    Unwritable(Unwritable),

    /// `tether authorize` waited its whole timeout and no browser came
    /// back to this machine's listener.
    #[error("no redirect reached this machine within {} s: the remote connection was not authorized", .waited.as_secs())]
    RemoteNotAuthorizedInTime { waited: Duration },

    /// `status --check`: connections that will not be usable for `within`.
    #[error("{}", not_usable(*.within, .connections))]
    NotUsable {
        within: Span,
        connections: Vec<(String, Shortfall)>,
    },

    /// `keepalive` with a store that may fall back to files, and a keyring
    /// that does not answer: it refreshes nothing rather than write tokens
    /// where the next interactive run would not look.
    #[error(
        "the {} does not answer ({failure}): keepalive refreshes nothing rather than fall back to the file store",
        crate::store::keyring::PLATFORM_NAME
    )]
    KeepaliveWithoutKeyring { failure: KeyringFailure },

    /// A shared store's database could not do what was asked: down,
    /// restarting, hung (`failure` says which), or refusing. `place` is its
    /// server without user or password.
    #[error("store `{store}` ({place}) {failure}")]
    SharedStore {
        store: String,
        place: String,
        failure: PgFailure,
    },

    /// A `[stores.NAME]` table whose URL or key cannot be used.
    #[error("store `{store}` {problem}")]
    InvalidSharedStore {
        store: String,
        problem: SharedStoreProblem,
    },

    /// The configured key does not open the store's canary: it is not the
    /// key the store's records are sealed with. Nothing was written.
    #[error(
        "the key of store `{store}` is not the key its records are sealed with; nothing was written"
    )]
    WrongStoreKey { store: String },

    /// A row the store's key does not open although the key is right: the
    /// row was sealed for another connection, or altered.
    #[error(
        "the record of `{connection}` in store `{store}` does not open: it was sealed for another connection or altered"
    )]
    UnopenableRecord { store: String, connection: String },

    /// A compare-and-set write found another version than the one read.
    #[error(
        "the record of `{connection}` in store `{store}` changed on another machine meanwhile; nothing was written"
    )]
    StoreConflict { store: String, connection: String },

    /// The store's schema is newer than this tether knows.
    #[error("store `{store}` has schema version {found}; this tether knows up to {known}")]
    SchemaTooNew {
        store: String,
        found: i32,
        known: i32,
    },

    /// Another machine held the connection's row for all of `waited`.
    #[error(
        "another machine is refreshing connection `{connection}` (store `{store}`): gave up after {} s waiting for it",
        .waited.as_secs()
    )]
    RowLockTimeout {
        store: String,
        connection: String,
        waited: Duration,
    },

    /// `connection move` to a store that already holds a record of the
    /// connection.
    #[error("{store} already holds a record of `{connection}`")]
    RecordExists { store: String, connection: String },
}

/// Why an ID token cannot be handed over ([`Error::NoIdToken`]); reads
/// after "connection `NAME` ".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdTokenGap {
    /// The provider sent none: the `openid` scope was not asked for.
    Missing,
    /// It has expired and a refresh did not bring a new one.
    Expired,
}

impl fmt::Display for IdTokenGap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IdTokenGap::Missing => "holds no ID token",
            IdTokenGap::Expired => "holds an expired ID token, and a refresh brought no new one",
        })
    }
}

/// What is wrong with a credential helper's request
/// ([`Error::HelperRequest`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelperRequestProblem {
    /// A git line that is not `key=value`.
    Git(GitRequestProblem),
    /// Not UTF-8, or larger than any request.
    Unreadable,
    /// A docker server URL that names no host.
    NoRegistry,
}

impl fmt::Display for HelperRequestProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HelperRequestProblem::Git(problem) => problem.fmt(f),
            HelperRequestProblem::Unreadable => f.write_str("it is not short UTF-8 text"),
            HelperRequestProblem::NoRegistry => f.write_str("it names no registry host"),
        }
    }
}

/// `a`, `b` in backticks.
fn quote_names(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(", ")
}

/// "not usable for 1h: `a` is not connected; `b` needs authorization".
fn not_usable(within: Span, connections: &[(String, Shortfall)]) -> String {
    let each: Vec<String> = connections
        .iter()
        .map(|(name, why)| format!("`{name}` {why}"))
        .collect();
    match within.as_secs() {
        0 => format!("not usable now: {}", each.join("; ")),
        _ => format!("not usable for {within}: {}", each.join("; ")),
    }
}

/// Which OAuth 1.0a credentials request a provider refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Oauth1Step {
    /// The temporary-credentials (request token) request, §2.1.
    RequestToken,
    /// The token-credentials (access token) request, §2.3.
    AccessToken,
    /// The signed request to a service's `revoke_url` that ends the token
    /// credentials at the provider.
    Revoke,
}

impl fmt::Display for Oauth1Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Oauth1Step::RequestToken => "request-token",
            Oauth1Step::AccessToken => "access-token",
            Oauth1Step::Revoke => "revoke",
        })
    }
}

/// `: oauth_problem=NAME`, or nothing.
fn problem_suffix(problem: &Option<String>) -> String {
    problem
        .as_deref()
        .map(|p| format!(": oauth_problem={p}"))
        .unwrap_or_default()
}

/// Why a connection needs the user ([`Error::NeedsAuthorization`]). Each
/// reads after "connection `NAME` ".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NeedsUser {
    /// The store holds no record of it.
    NotConnected,
    /// `connection export` of a connection that has no record.
    NothingToExport,
    /// Its record holds no credential of its auth kind.
    NoCredential,
    /// The provider refused a refresh just now (RFC 6749 §5.2).
    RefreshRefused {
        code: TokenErrorCode,
        description: Option<String>,
    },
    /// Its record is marked: an earlier refresh was refused, or nothing can
    /// renew what it holds.
    LastRefreshRefused,
    /// The access token expired and nothing can renew it.
    Expired,
    /// The access token is due and there is no refresh token to renew it.
    NoRefreshToken,
    /// The record holds tokens of another service than the config names.
    ServiceChanged { stored: String, configured: String },
    /// A static credential must be typed and there is no terminal.
    NoTerminal { secret: StaticSecret },
    /// No browser opened and nobody is at the terminal to paste.
    NoBrowserNoTerminal,
    /// What was pasted is not this authorization's redirect.
    NotThisRedirect,
    /// `tether authorize`: no redirect reached the listener in time.
    NoRedirectInTime,
    /// Its record lacks what tether always writes: `status` calls it
    /// unreadable.
    UnreadableRecord { gap: RecordGap },
    /// An OAuth 1.0a provider said the token itself is dead (revoked,
    /// expired, rejected): `problem` is the name it gave.
    TokenRefused { problem: String },
    /// An OAuth 1.0a record without its token credentials, or marked by
    /// an earlier refusal of its token.
    TokenWasRefused,
}

impl fmt::Display for NeedsUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NeedsUser::NotConnected => f.write_str("is not connected"),
            NeedsUser::NothingToExport => {
                f.write_str("is not connected, so there is nothing to export")
            }
            NeedsUser::NoCredential => f.write_str("holds no credential"),
            NeedsUser::RefreshRefused { code, description } => write!(
                f,
                "needs authorization again: the provider refused: {code}{}",
                in_parentheses(description)
            ),
            NeedsUser::LastRefreshRefused => {
                f.write_str("needs authorization: the provider refused the last refresh")
            }
            NeedsUser::Expired => f.write_str("has expired and cannot be refreshed"),
            NeedsUser::NoRefreshToken => f.write_str("has expired and holds no refresh token"),
            NeedsUser::ServiceChanged { stored, configured } => write!(
                f,
                "holds tokens of service `{stored}`, but the config now says `{configured}`"
            ),
            NeedsUser::NoTerminal { secret } => {
                write!(f, "needs its {secret}, and there is no terminal to ask on")
            }
            NeedsUser::NoBrowserNoTerminal => f.write_str(
                "cannot be authorized here: no browser could be opened and there is no terminal to paste into",
            ),
            NeedsUser::NotThisRedirect => f.write_str(
                "was not authorized: what was pasted is not this authorization's redirect",
            ),
            NeedsUser::NoRedirectInTime => {
                f.write_str("was not authorized in time: no redirect reached tether")
            }
            NeedsUser::UnreadableRecord { gap } => {
                write!(f, "has an unreadable token record: it {gap}")
            }
            NeedsUser::TokenRefused { problem } => write!(
                f,
                "needs authorization again: the provider refused its token ({problem})"
            ),
            NeedsUser::TokenWasRefused => {
                f.write_str("needs authorization: the provider refused its token")
            }

        }
    }
}

/// What the static credential of an auth kind is called where tether asks
/// for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaticSecret {
    ApiKey,
    Password,
    Token,
}

impl StaticSecret {
    /// The secret of `auth`: an API key, a Basic password, or a token.
    pub fn of(auth: AuthKind) -> StaticSecret {
        match auth {
            AuthKind::ApiKey => StaticSecret::ApiKey,
            AuthKind::Basic => StaticSecret::Password,
            _ => StaticSecret::Token,
        }
    }
}

impl fmt::Display for StaticSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StaticSecret::ApiKey => "API key",
            StaticSecret::Password => "password",
            StaticSecret::Token => "token",
        })
    }
}

/// Why a credential may not go to a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    PlainHttp,
    NotHttp,
    NoHost,
    NotAllowedHost,
    NotAllowedPort,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Refusal::PlainHttp => "plain http to a non-loopback host",
            Refusal::NotHttp => "not an http or https URL",
            Refusal::NoHost => "the URL has no host",
            Refusal::NotAllowedHost => "not an allowed host",
            Refusal::NotAllowedPort => "not an allowed port for this host",
        })
    }
}

/// Why an endpoint filled for a connection is refused
/// ([`Error::EndpointRefused`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointRefusal {
    /// A value the provider sent (`var`, from the redirect or a token
    /// answer) chose a host the service's `token_hosts` does not list.
    UnlistedTokenHost { var: String },
    /// Plain http to a host that is not loopback.
    PlainHttp,
    /// Not an http or https URL.
    NotHttp,
}

impl std::fmt::Display for EndpointRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EndpointRefusal::UnlistedTokenHost { var } => write!(
                f,
                "the provider named it in `{var}`, and it is not one of the service's `token_hosts`"
            ),
            EndpointRefusal::PlainHttp => f.write_str("plain http to a non-loopback host"),
            EndpointRefusal::NotHttp => f.write_str("not an http or https URL"),
        }
    }
}

/// ` (description)`, or nothing.
fn in_parentheses(description: &Option<String>) -> String {
    description
        .as_deref()
        .map(|d| format!(" ({d})"))
        .unwrap_or_default()
}

fn not_a_record(connection: Option<&str>, problem: &RecordProblem) -> String {
    match connection {
        Some(name) => {
            format!("the value for connection `{name}` is not a token record: it {problem}")
        }
        None => format!("the token record {problem}"),
    }
}

fn quote_vars(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{{{n}}}`")).collect();
    quoted.join(", ")
}

fn list_names(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.len() {
        1 => format!("connection {}", quoted[0]),
        _ => format!("connections {}", quoted.join(", ")),
    }
}

impl Error {
    /// A usage error with a hint.
    pub fn usage(message: impl Into<String>, hint: Option<String>) -> Error {
        Error::Usage {
            message: message.into(),
            hint,
        }
    }

    /// An I/O error that names its path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The exit code of DESIGN §5.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage { .. }
            | Error::MissingValue { .. }
            | Error::Config(_)
            | Error::UnknownName { .. }
            | Error::AlreadyExists { .. }
            | Error::ServiceInUse { .. }
            | Error::RefusedHost { .. }
            | Error::UnfilledPlaceholders { .. }
            | Error::InvalidVarValue { .. }
            | Error::InvalidHostPattern(_)
            | Error::InvalidItem { .. }
            | Error::InvalidBody(_) => exit::USAGE,
            Error::NeedsAuthorization { .. } => exit::NEEDS_USER,
            Error::Provider { request, code, .. } => {
                if code.needs_user(*request) {
                    exit::NEEDS_USER
                } else {
                    exit::FAILURE
                }
            }
            Error::Network { .. } => exit::NETWORK,
            Error::Secret { .. } | Error::Store { .. } | Error::Io { .. } | Error::Other(_) => {
                exit::FAILURE
            }
            Error::NotAuthorizedInTime { .. } => exit::NEEDS_USER,
            // Only the user's "no" is theirs to undo; any other error is
            // in the request, which connecting again would repeat.
            Error::AuthorizationRefused { code, .. } => {
                if *code == ErrorCode::AccessDenied {
                    exit::NEEDS_USER
                } else {
                    exit::FAILURE
                }
            }
            Error::InvalidStoreChoice { .. }
            | Error::InvalidExport { .. }
            | Error::HeldInEnv { .. } => exit::USAGE,
            Error::Listener(problem) => problem.exit_code(),
            Error::Discovery { problem, .. } => problem.exit_code(),
            Error::LockTimeout { .. }
            | Error::NotARecord { .. }
            | Error::TokenAnswer { .. }
            | Error::Metadata(_)
            | Error::NetSetup { .. }
            | Error::PromptFailed { .. } => exit::FAILURE,
            Error::IncompleteService { .. } => exit::USAGE,
            Error::ExposedTokenFile { .. } => exit::FAILURE,
            Error::MisplacedPlaceholder { .. } => exit::USAGE,
            Error::RequestInput { .. } => exit::USAGE,
            Error::PlainHttpOffLoopback { .. } => exit::USAGE,
            Error::RefusedItem { .. } => exit::USAGE,
            Error::ConfigLockTimeout { .. } => exit::FAILURE,
            Error::EndpointRefused { .. } => exit::USAGE,
            Error::InvalidFilter(_) => exit::USAGE,
            Error::Filter(_) => exit::FAILURE,
            Error::UnknownCommand { .. } => exit::USAGE,
            Error::Signing { .. } => exit::FAILURE,
            Error::Oauth1Flow { problem, .. } => match problem {
                FlowProblem::Denied => exit::NEEDS_USER,
                _ => exit::FAILURE,
            },
            Error::Oauth1Refused { .. } => exit::FAILURE,
            Error::Pagination { .. } => exit::FAILURE,
            Error::PaginationNeeds { .. } => exit::USAGE,
            Error::BatchLine { error, .. } => error.exit_code(),
            Error::InvalidBatchLine(_) => exit::USAGE,
            Error::InvalidValue(_) => exit::USAGE,
            Error::InvalidCaFile { .. } => exit::USAGE,
            Error::NoBearerToken { .. }
            | Error::HostClaimedTwice { .. }
            | Error::SameVariable { .. }
            | Error::ExecInfo(_)
            | Error::NoSaslUser { .. }
            | Error::BadSaslUser
            | Error::DockerReadOnly { .. }
            | Error::HelperRequest { .. } => exit::USAGE,
            Error::ExecFailed { source, .. } => {
                if source.kind() == std::io::ErrorKind::NotFound {
                    exit::COMMAND_NOT_FOUND
                } else {
                    exit::COMMAND_NOT_RUN
                }
            }
            Error::NoIdToken { .. } => exit::NEEDS_USER,
            Error::RegistryNotMapped { .. } | Error::Unwritable(_) => exit::FAILURE,
            Error::RemoteNotAuthorizedInTime { .. } => exit::NEEDS_USER,
            Error::NotUsable { .. } => exit::NEEDS_USER,
            Error::KeepaliveWithoutKeyring { .. } => exit::FAILURE,
            Error::SharedStore { failure, .. } => {
                if failure.is_availability() {
                    exit::NETWORK
                } else {
                    exit::FAILURE
                }
            }
            Error::InvalidSharedStore { .. } | Error::WrongStoreKey { .. } => exit::USAGE,
            Error::UnopenableRecord { .. }
            | Error::StoreConflict { .. }
            | Error::SchemaTooNew { .. }
            | Error::RowLockTimeout { .. }
            | Error::RecordExists { .. } => exit::FAILURE,
        }
    }

    /// The next thing the user could do, with names in backticks.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Usage { hint, .. } => hint.clone(),
            Error::MissingValue { flag, .. } => Some(format!(
                "pass `{flag}`, or run the command in a terminal to be asked"
            )),
            Error::Config(located) => located.hint.clone(),
            Error::UnknownName {
                kind, suggestion, ..
            } => match suggestion {
                Some(s) => Some(format!("did you mean `{s}`?")),
                None => Some(match kind {
                    Kind::Service => "`tether service list` shows the services".into(),
                    Kind::Connection => "`tether connection list` shows the connections".into(),
                    Kind::Template => "`tether service templates` shows the templates".into(),
                    Kind::Store => {
                        "`[stores.NAME]` tables in the config define the shared stores".into()
                    }
                }),
            },
            Error::AlreadyExists { kind, name } => Some(match kind {
                Kind::Service => format!("change it with `tether service edit {name}`"),
                _ => format!("pick another name, or remove `{name}` first"),
            }),
            Error::ServiceInUse { service, .. } => Some(format!(
                "remove those connections first, or run `tether service remove {service} --force`"
            )),
            Error::NeedsAuthorization { name, .. } => Some(format!("run `tether connect {name}`")),
            Error::RefusedHost {
                why: Refusal::PlainHttp,
                ..
            } => Some(
                "use https: tether sends credentials over plain http only to loopback hosts".into(),
            ),
            Error::RefusedHost {
                why: Refusal::NotAllowedHost | Refusal::NotAllowedPort,
                host,
                ..
            } => Some(format!(
                "if `{host}` is really this service's, pass `--allow-host {host}` or add it to `allowed_hosts`"
            )),
            Error::UnfilledPlaceholders { names, .. } => {
                let flags: Vec<String> = names.iter().map(|n| format!("--var {n}=…")).collect();
                Some(format!(
                    "pass `{}`, or set it in the connection's `vars`",
                    flags.join(" ")
                ))
            }
            Error::InvalidItem { problem, .. } => problem.hint(),
            Error::InvalidBody(problem) => Some(problem.hint()),
            Error::InvalidVarValue { name, slot } => Some(format!(
                "`{{{name}}}` at that place of the URL takes {}",
                slot.takes()
            )),
            Error::Network { .. } => Some("check the network and the URL, then try again".into()),
            Error::NotAuthorizedInTime { name, .. } => Some(format!("run `tether connect {name}`")),
            Error::AuthorizationRefused { service, code, .. } => {
                refused_hint(service.as_deref(), code)
            }
            Error::InvalidStoreChoice { .. } => Some(format!(
                "set `{0}` to `keyring`, `file` or `auto`, or unset it",
                crate::store::ENV_VAR
            )),
            Error::InvalidExport { from, .. } => Some(match from {
                BlobSource::Var { connection } => {
                    format!("set it to what `tether connection export {connection}` prints")
                }
                BlobSource::Stdin => "pipe in what `tether connection export NAME` printed".into(),
            }),
            Error::HeldInEnv { .. } => {
                Some("unset the variable (and delete the secret it came from)".into())
            }
            Error::Listener(problem) => problem.hint(),
            Error::IncompleteService { service, missing } => Some(missing.hint(service)),
            Error::ExposedTokenFile { path, exposure } => Some(match exposure {
                Exposure::Mode(_) => format!(
                    "run `tether doctor --fix`, or `chmod 600 {}`",
                    path.display()
                ),
                Exposure::Owner(_) => {
                    "it is not yours: remove it and connect again, or `chown` it to yourself".into()
                }
            }),
            Error::InvalidHostPattern(invalid) => invalid.hint(),
            Error::Store {
                problem: StoreProblem::UnreadableRecord { connection, .. },
                ..
            } => Some(format!("run `tether connect {connection}`")),
            Error::MisplacedPlaceholder { .. } => {
                Some(crate::config::template::MISPLACED_HINT.into())
            }
            Error::RequestInput { problem, .. } => Some(problem.hint()),
            Error::TokenAnswer { problem, .. } => problem.hint(),
            Error::PlainHttpOffLoopback { .. } => {
                Some("use https: tether sends plain http only to loopback hosts".into())
            }
            Error::RefusedItem { why, .. } => Some(why.hint()),
            Error::EndpointRefused {
                service,
                host,
                why: EndpointRefusal::UnlistedTokenHost { .. },
            } => Some(format!(
                "if `{host}` is really the provider's, add it with `tether service edit {service} --token-host {host}`"
            )),
            Error::EndpointRefused {
                why: EndpointRefusal::PlainHttp,
                ..
            } => Some(
                "use https: tether sends credentials over plain http only to loopback hosts".into(),
            ),
            Error::Filter(FilterFailure::NotJson { .. }) => {
                Some("add `--json` to filter the envelope, whose `body` holds the text".into())
            }
            Error::UnknownCommand { path, suggestion } => Some(match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => {
                    let parent = &path[..path.len().saturating_sub(1)];
                    let words: Vec<&str> = std::iter::once("tether")
                        .chain(parent.iter().map(String::as_str))
                        .collect();
                    format!("`{} --help` lists the commands", words.join(" "))
                }
            }),
            Error::Signing {
                service,
                problem:
                    SigningProblem::InvalidRsaKey { .. }
                    | SigningProblem::EncryptedRsaKey
                    | SigningProblem::MissingRsaKey,
            } => Some(format!(
                "point `private_key` at an unencrypted PEM key: `tether service edit {service} --private-key-file PATH`"
            )),
            Error::Oauth1Refused {
                service,
                problem: Some(problem),
                ..
            } if problem == "timestamp_refused" => Some(format!(
                "check this machine's clock (`tether doctor`), then `tether connect` with service `{service}` again"
            )),
            Error::Oauth1Refused { service, .. } => Some(format!(
                "check `client_id`, the secret and the signature method of service `{service}` (`tether service show {service}`)"
            )),
            Error::Pagination { problem, .. } => problem.hint(),
            Error::PaginationNeeds { key, .. } => Some(format!(
                "pass `--{} …`, or set `{key}` in the service's `pagination`",
                key.replace('_', "-")
            )),
            Error::BatchLine { error, .. } => error.hint(),
            Error::InvalidBatchLine(problem) => Some(problem.hint()),
            Error::InvalidCaFile { .. } => {
                Some("`ca_file` names a file of `-----BEGIN CERTIFICATE-----` blocks (PEM)".into())
            }
            Error::NoBearerToken { connection } => Some(format!(
                "call the API with `tether invoke {connection}`, or sign one request with `tether token {connection} --header --url URL`"
            )),
            Error::HostClaimedTwice { tool, .. } => Some(format!(
                "list the host in the `{}` of one connection, or name the connection: `tether credential {tool} NAME …`",
                tool.key()
            )),
            Error::ExecFailed { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                Some("check the command's name and `PATH`".into())
            }
            Error::SameVariable { .. } => Some(
                "name each variable with `--env VAR=NAME`, or set the service's `env`".into(),
            ),
            Error::NoIdToken {
                connection,
                why: IdTokenGap::Missing,
            } => Some(format!(
                "ask for the `openid` scope: `tether connect {connection} --scope openid …`"
            )),
            Error::NoIdToken { connection, .. } => {
                Some(format!("run `tether connect {connection}`"))
            }
            Error::ExecInfo(_) => Some(
                "set `apiVersion: client.authentication.k8s.io/v1` in the kubeconfig's `exec` stanza"
                    .into(),
            ),
            Error::NoSaslUser { connection } => Some(format!(
                "pass `--user ADDRESS`, or set `vars = {{ email = \"…\" }}` in connection `{connection}`"
            )),
            Error::DockerReadOnly { .. } => Some(
                "name tether per registry under `credHelpers` in ~/.docker/config.json, not as `credsStore`"
                    .into(),
            ),
            Error::RegistryNotMapped { .. } => {
                Some("list the registry in a connection's `docker_hosts`".into())
            }
            Error::RemoteNotAuthorizedInTime { .. } => Some(
                "run `tether connect NAME --remote` on the other machine again, then `tether authorize` with the URL it prints"
                    .into(),
            ),
            Error::NotUsable {
                within,
                connections,
            } => Some(
                match connections.iter().find(|(_, why)| {
                    !matches!(why, Shortfall::RefreshLapses { renewable: true, .. })
                }) {
                    Some((name, _)) => format!("run `tether connect {name}`"),
                    None => format!("run `tether keepalive --within {within}`"),
                },
            ),
            Error::KeepaliveWithoutKeyring { .. } => Some(
                "run it where the session bus is (a systemd user timer, a desktop session), or set `store = \"file\"` if the tokens live in files"
                    .into(),
            ),
            Error::SharedStore { store, failure, .. } => Some(if failure.is_availability() {
                format!(
                    "check that the database is up and reachable (`tether store check {store}`), then try again; tokens in local stores were not touched"
                )
            } else {
                format!("`tether store check {store}` shows what the database accepts")
            }),
            Error::InvalidSharedStore { store, .. } => Some(format!(
                "fix `[stores.{store}]` in the config: `url` takes a postgresql:// URL or key=value string, `key` 32 random bytes as hex or base64 (`openssl rand -hex 32`)"
            )),
            Error::WrongStoreKey { store } => Some(format!(
                "set `key` of `[stores.{store}]` to the store's key; during a rotation, give the old one as `previous_key`"
            )),
            Error::UnopenableRecord { connection, .. } => Some(format!(
                "connect it again with `tether connect {connection}`, which replaces the record"
            )),
            Error::StoreConflict { .. } => Some("run the command again".into()),
            Error::SchemaTooNew { .. } => Some("upgrade tether on this machine".into()),
            Error::RowLockTimeout { .. } => Some(
                "try again; if no machine is refreshing, raise the store's `lock_timeout`".into(),
            ),
            Error::RecordExists { connection, .. } => Some(format!(
                "remove it there first, or use the copy there: set `store` of `[connections.{connection}]`"
            )),
            _ => None,
        }
    }
}

/// What to change when the provider refused the authorization request
/// itself: the config key at fault (in the service, when it is known) and
/// the `service edit` flag that sets it.
fn refused_hint(service: Option<&str>, code: &ErrorCode) -> Option<String> {
    let key = code.config_key()?;
    let (why, flag) = match code {
        ErrorCode::InvalidScope => ("the provider does not accept these scopes", "--scope SCOPE"),
        ErrorCode::InvalidRequest => (
            "the provider found the authorization request malformed",
            "--auth-param KEY=VALUE",
        ),
        ErrorCode::UnauthorizedClient => (
            "the provider does not let this client ask for a code",
            "--client-id ID",
        ),
        _ => (
            "the provider does not issue codes to this client",
            "--client-id ID",
        ),
    };
    Some(match service {
        Some(s) => format!("{why}: change `{key}` with `tether service edit {s} {flag}`"),
        None => format!("{why}: change the service's `{key}`"),
    })
}

impl From<Located> for Error {
    fn from(located: Located) -> Error {
        Error::Config(Box::new(located))
    }
}

/// Prints an error the way tether prints every error, and returns the exit
/// code to use: `tether: error: <message>` then `hint: <hint>`.
pub fn report(err: &Error) -> u8 {
    use std::io::Write;
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "tether: error: {err}");
    if let Some(hint) = err.hint() {
        let _ = writeln!(stderr, "hint: {hint}");
    }
    err.exit_code()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::jq::FilterProblem;
    use crate::oauth::token_error::{FieldFault, TokenField};
    use crate::store::keyring::KeyringFailure;
    use crate::store::record::JsonFault;
    use crate::store::{KeyringOp, Place};

    #[test]
    fn exit_codes_follow_the_design() {
        let unknown = Error::UnknownName {
            kind: Kind::Service,
            name: "mailchimp".into(),
            suggestion: Some("mailchimp2".into()),
        };
        assert_eq!(unknown.exit_code(), exit::USAGE);
        assert_eq!(unknown.to_string(), "no service named `mailchimp`");
        assert_eq!(unknown.hint().unwrap(), "did you mean `mailchimp2`?");

        let needs = Error::NeedsAuthorization {
            name: "mc".into(),
            why: NeedsUser::NotConnected,
        };
        assert_eq!(needs.exit_code(), exit::NEEDS_USER);
        assert_eq!(needs.hint().unwrap(), "run `tether connect mc`");

        let net = Error::Network {
            what: "token request".into(),
            reason: "connection refused".into(),
        };
        assert_eq!(net.exit_code(), exit::NETWORK);
    }

    #[test]
    fn in_use_lists_connections() {
        let err = Error::ServiceInUse {
            service: "gh".into(),
            connections: vec!["a".into(), "b".into()],
        };
        assert_eq!(
            err.to_string(),
            "service `gh` is used by connections `a`, `b`"
        );
    }

    fn refused(code: &str) -> Error {
        Error::AuthorizationRefused {
            service: Some("gh".into()),
            code: ErrorCode::parse(code),
            description: None,
        }
    }

    #[test]
    fn access_denied_is_the_users_to_undo() {
        let err = refused("access_denied");
        assert_eq!(err.to_string(), "the provider refused: access_denied");
        assert_eq!(err.exit_code(), exit::NEEDS_USER);
        assert_eq!(err.hint(), None);
    }

    #[test]
    fn invalid_scope_names_the_scopes() {
        let err = refused("invalid_scope");
        assert_eq!(err.exit_code(), exit::FAILURE);
        assert_eq!(
            err.hint().unwrap(),
            "the provider does not accept these scopes: change `scopes` with `tether service edit gh --scope SCOPE`"
        );
    }

    #[test]
    fn invalid_request_names_the_auth_params() {
        let err = refused("invalid_request");
        assert_eq!(err.exit_code(), exit::FAILURE);
        assert_eq!(
            err.hint().unwrap(),
            "the provider found the authorization request malformed: change `auth_params` with `tether service edit gh --auth-param KEY=VALUE`"
        );
    }

    #[test]
    fn unauthorized_client_names_the_client_id() {
        let err = refused("unauthorized_client");
        assert_eq!(err.exit_code(), exit::FAILURE);
        assert_eq!(
            err.hint().unwrap(),
            "the provider does not let this client ask for a code: change `client_id` with `tether service edit gh --client-id ID`"
        );
    }

    #[test]
    fn unsupported_response_type_names_the_client_id() {
        let err = refused("unsupported_response_type");
        assert_eq!(err.exit_code(), exit::FAILURE);
        assert_eq!(
            err.hint().unwrap(),
            "the provider does not issue codes to this client: change `client_id` with `tether service edit gh --client-id ID`"
        );
    }

    #[test]
    fn provider_failures_and_unknown_codes_are_failures_without_a_key() {
        for code in [
            "server_error",
            "temporarily_unavailable",
            "interaction_required",
        ] {
            let err = refused(code);
            assert_eq!(err.to_string(), format!("the provider refused: {code}"));
            assert_eq!(err.exit_code(), exit::FAILURE, "{code}");
            assert_eq!(err.hint(), None, "{code}");
        }
    }

    #[test]
    fn without_a_service_the_hint_names_only_the_key() {
        let err = Error::AuthorizationRefused {
            service: None,
            code: ErrorCode::InvalidScope,
            description: Some("unknown scope `x`".into()),
        };
        assert_eq!(
            err.to_string(),
            "the provider refused: invalid_scope (unknown scope `x`)"
        );
        assert_eq!(
            err.hint().unwrap(),
            "the provider does not accept these scopes: change the service's `scopes`"
        );
    }

    #[test]
    fn a_timed_out_authorization_says_how_long_it_waited() {
        let err = Error::NotAuthorizedInTime {
            name: "me".into(),
            seconds: 300,
        };
        assert_eq!(
            err.to_string(),
            "connection `me` was not authorized within 300s"
        );
        assert_eq!(err.exit_code(), exit::NEEDS_USER);
        assert_eq!(err.hint().unwrap(), "run `tether connect me`");
    }

    /// One error as the user meets it.
    struct Row {
        error: Error,
        message: String,
        hint: Option<String>,
        code: u8,
    }

    fn row(error: Error, message: impl Into<String>, hint: Option<&str>, code: u8) -> Row {
        Row {
            error,
            message: message.into(),
            hint: hint.map(str::to_string),
            code,
        }
    }

    fn needs(why: NeedsUser) -> Error {
        Error::NeedsAuthorization {
            name: "mc".into(),
            why,
        }
    }

    fn store(store: StoreKind, problem: StoreProblem) -> Error {
        Error::Store { store, problem }
    }

    fn keyring_call(failure: KeyringFailure) -> Error {
        store(
            StoreKind::Keyring,
            StoreProblem::KeyringCall {
                op: KeyringOp::Read,
                account: "connection:gh".into(),
                failure,
            },
        )
    }

    fn refused_host(host: &str, why: Refusal) -> Error {
        Error::RefusedHost {
            connection: "gh".into(),
            host: host.into(),
            why,
        }
    }

    fn item(item: &str, problem: ItemProblem) -> Error {
        Error::InvalidItem {
            item: item.into(),
            problem,
        }
    }

    fn refused_item(why: ItemRefusal) -> Error {
        Error::RefusedItem {
            connection: "gh".into(),
            why,
        }
    }

    fn provider(request: TokenRequest, code: &str, description: Option<&str>) -> Error {
        Error::Provider {
            request,
            code: TokenErrorCode::parse(code),
            description: description.map(str::to_string),
        }
    }

    fn discovery(problem: DiscoveryProblem) -> Error {
        Error::Discovery {
            issuer: "https://id.example".into(),
            problem,
        }
    }

    fn record_problem() -> RecordProblem {
        RecordProblem {
            fault: JsonFault::WrongType,
            line: 1,
            column: 32,
        }
    }

    const CONNECT_MC: Option<&str> = Some("run `tether connect mc`");
    const ITEM_FORMS: &str = "items look like `Header:value`, `Header:` (remove), `Header;` (empty), \
`name==query`, `field=string`, `field:=json`, `field=@file`, `field:=@file`, or `@file` for a raw body";

    /// Every variant of [`Error`], and every variant of a reason that has
    /// its own message, hint or exit code, as the user sees it.
    fn table() -> Vec<Row> {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "permission denied");
        let unavailable = format!(
            "token store (keyring): the {} is not available (no answer within 5 s); to keep tokens in files instead, set `store = \"file\"` in the config or `TETHER_STORE=file`",
            crate::store::keyring::PLATFORM_NAME
        );
        vec![
            row(
                Error::usage(
                    "`--body` names no source",
                    Some("use `--body @FILE`".into()),
                ),
                "`--body` names no source",
                Some("use `--body @FILE`"),
                exit::USAGE,
            ),
            row(
                Error::MissingValue {
                    what: "the user name of `mc`".into(),
                    flag: "--username USER".into(),
                },
                "the user name of `mc` is required",
                Some("pass `--username USER`, or run the command in a terminal to be asked"),
                exit::USAGE,
            ),
            row(
                Error::from(Located {
                    path: "/c/tether.toml".into(),
                    line: 3,
                    column: 5,
                    key: Some("services.gh.token_url".into()),
                    message: "is not a URL".into(),
                    hint: Some("write an https URL".into()),
                }),
                "/c/tether.toml:3:5: `services.gh.token_url`: is not a URL",
                Some("write an https URL"),
                exit::USAGE,
            ),
            row(
                Error::UnknownName {
                    kind: Kind::Connection,
                    name: "gh".into(),
                    suggestion: None,
                },
                "no connection named `gh`",
                Some("`tether connection list` shows the connections"),
                exit::USAGE,
            ),
            row(
                Error::UnknownName {
                    kind: Kind::Template,
                    name: "dropbx".into(),
                    suggestion: Some("dropbox".into()),
                },
                "no template named `dropbx`",
                Some("did you mean `dropbox`?"),
                exit::USAGE,
            ),
            row(
                Error::AlreadyExists {
                    kind: Kind::Service,
                    name: "gh".into(),
                },
                "a service named `gh` already exists",
                Some("change it with `tether service edit gh`"),
                exit::USAGE,
            ),
            row(
                Error::AlreadyExists {
                    kind: Kind::Connection,
                    name: "gh".into(),
                },
                "a connection named `gh` already exists",
                Some("pick another name, or remove `gh` first"),
                exit::USAGE,
            ),
            row(
                Error::ServiceInUse {
                    service: "gh".into(),
                    connections: vec!["a".into()],
                },
                "service `gh` is used by connection `a`",
                Some("remove those connections first, or run `tether service remove gh --force`"),
                exit::USAGE,
            ),
            row(
                Error::Secret {
                    what: "client secret of service `gh`".into(),
                    problem: SecretProblem::EnvUnset {
                        var: "GH_SECRET".into(),
                    },
                },
                "could not read the client secret of service `gh`: the environment variable `GH_SECRET` is not set",
                None,
                exit::FAILURE,
            ),
            row(
                needs(NeedsUser::NotConnected),
                "connection `mc` is not connected",
                CONNECT_MC,
                exit::NEEDS_USER,
            ),
            row(
                needs(NeedsUser::NothingToExport),
                "connection `mc` is not connected, so there is nothing to export",
                CONNECT_MC,
                exit::NEEDS_USER,
            ),
            row(
                needs(NeedsUser::NoCredential),
                "connection `mc` holds no credential",
                CONNECT_MC,
                exit::NEEDS_USER,
            ),
            row(
                needs(NeedsUser::RefreshRefused {
                    code: TokenErrorCode::InvalidGrant,
                    description: Some("token revoked".into()),
                }),
                "connection `mc` needs authorization again: the provider refused: invalid_grant (token revoked)",
                CONNECT_MC,
                exit::NEEDS_USER,
            ),
            row(
                needs(NeedsUser::LastRefreshRefused),
                "connection `mc` needs authorization: the provider refused the last refresh",
                CONNECT_MC,
                exit::NEEDS_USER,
            ),
            row(
                needs(NeedsUser::Expired),
                "connection `mc` has expired and cannot be refreshed",
                CONNECT_MC,
                exit::NEEDS_USER,
            ),
            row(
                needs(NeedsUser::NoRefreshToken),
                "connection `mc` has expired and holds no refresh token",
                CONNECT_MC,
                exit::NEEDS_USER,
            ),
            row(
                needs(NeedsUser::ServiceChanged {
                    stored: "mc".into(),
                    configured: "mc2".into(),
                }),
                "connection `mc` holds tokens of service `mc`, but the config now says `mc2`",
                CONNECT_MC,
                exit::NEEDS_USER,
            ),
            row(
                needs(NeedsUser::NoTerminal {
                    secret: StaticSecret::of(AuthKind::ApiKey),
                }),
                "connection `mc` needs its API key, and there is no terminal to ask on",
                CONNECT_MC,
                exit::NEEDS_USER,
            ),
            row(
                needs(NeedsUser::NoTerminal {
                    secret: StaticSecret::of(AuthKind::Basic),
                }),
                "connection `mc` needs its password, and there is no terminal to ask on",
                CONNECT_MC,
                exit::NEEDS_USER,
            ),
            row(
                needs(NeedsUser::NoTerminal {
                    secret: StaticSecret::of(AuthKind::Bearer),
                }),
                "connection `mc` needs its token, and there is no terminal to ask on",
                CONNECT_MC,
                exit::NEEDS_USER,
            ),
            row(
                needs(NeedsUser::NoBrowserNoTerminal),
                "connection `mc` cannot be authorized here: no browser could be opened and there is no terminal to paste into",
                CONNECT_MC,
                exit::NEEDS_USER,
            ),
            row(
                needs(NeedsUser::NotThisRedirect),
                "connection `mc` was not authorized: what was pasted is not this authorization's redirect",
                CONNECT_MC,
                exit::NEEDS_USER,
            ),
            row(
                needs(NeedsUser::NoRedirectInTime),
                "connection `mc` was not authorized in time: no redirect reached tether",
                CONNECT_MC,
                exit::NEEDS_USER,
            ),
            row(
                needs(NeedsUser::UnreadableRecord {
                    gap: RecordGap::Credential,
                }),
                "connection `mc` has an unreadable token record: it holds no credential",
                CONNECT_MC,
                exit::NEEDS_USER,
            ),
            row(
                needs(NeedsUser::UnreadableRecord {
                    gap: RecordGap::ObtainedAt,
                }),
                "connection `mc` has an unreadable token record: it does not say when it was obtained",
                CONNECT_MC,
                exit::NEEDS_USER,
            ),
            row(
                needs(NeedsUser::TokenRefused {
                    problem: "token_revoked".into(),
                }),
                "connection `mc` needs authorization again: the provider refused its token (token_revoked)",
                CONNECT_MC,
                exit::NEEDS_USER,
            ),
            row(
                needs(NeedsUser::TokenWasRefused),
                "connection `mc` needs authorization: the provider refused its token",
                CONNECT_MC,
                exit::NEEDS_USER,
            ),
            row(
                provider(TokenRequest::Refresh, "invalid_grant", None),
                "the provider refused: invalid_grant",
                None,
                exit::NEEDS_USER,
            ),
            row(
                provider(
                    TokenRequest::CodeExchange,
                    "invalid_request",
                    Some("bad verifier"),
                ),
                "the provider refused: invalid_request (bad verifier)",
                None,
                exit::NEEDS_USER,
            ),
            row(
                provider(TokenRequest::Refresh, "invalid_request", None),
                "the provider refused: invalid_request",
                None,
                exit::FAILURE,
            ),
            row(
                provider(TokenRequest::DevicePoll, "expired_token", None),
                "the provider refused: expired_token",
                None,
                exit::NEEDS_USER,
            ),
            row(
                provider(TokenRequest::Revocation, "unsupported_token_type", None),
                "the provider refused: unsupported_token_type",
                None,
                exit::FAILURE,
            ),
            row(
                refused_host("api.example:80", Refusal::PlainHttp),
                "refusing to send the credential of `gh` to api.example:80: plain http to a non-loopback host",
                Some("use https: tether sends credentials over plain http only to loopback hosts"),
                exit::USAGE,
            ),
            row(
                refused_host("evil.example", Refusal::NotAllowedHost),
                "refusing to send the credential of `gh` to evil.example: not an allowed host",
                Some(
                    "if `evil.example` is really this service's, pass `--allow-host evil.example` or add it to `allowed_hosts`",
                ),
                exit::USAGE,
            ),
            row(
                refused_host("api.example:8443", Refusal::NotAllowedPort),
                "refusing to send the credential of `gh` to api.example:8443: not an allowed port for this host",
                Some(
                    "if `api.example:8443` is really this service's, pass `--allow-host api.example:8443` or add it to `allowed_hosts`",
                ),
                exit::USAGE,
            ),
            row(
                refused_host("ftp.example", Refusal::NotHttp),
                "refusing to send the credential of `gh` to ftp.example: not an http or https URL",
                None,
                exit::USAGE,
            ),
            row(
                refused_host("", Refusal::NoHost),
                "refusing to send the credential of `gh` to : the URL has no host",
                None,
                exit::USAGE,
            ),
            row(
                Error::Network {
                    what: "the token refresh failed".into(),
                    reason: "timed out".into(),
                },
                "the token refresh failed: timed out",
                Some("check the network and the URL, then try again"),
                exit::NETWORK,
            ),
            row(
                store(
                    StoreKind::Keyring,
                    StoreProblem::KeyringUnavailable(KeyringFailure::NoAnswer {
                        within: Duration::from_secs(5),
                    }),
                ),
                unavailable,
                None,
                exit::FAILURE,
            ),
            row(
                keyring_call(KeyringFailure::Platform {
                    detail: "the keyring refused access; is it locked? (locked)".into(),
                }),
                "token store (keyring): cannot read keyring entry `connection:gh` (service `tether`): the keyring refused access; is it locked? (locked)",
                None,
                exit::FAILURE,
            ),
            row(
                keyring_call(KeyringFailure::NoAnswer {
                    within: Duration::from_millis(200),
                }),
                "token store (keyring): cannot read keyring entry `connection:gh` (service `tether`): no answer within 200 ms",
                None,
                exit::FAILURE,
            ),
            row(
                keyring_call(KeyringFailure::MissingChunk {
                    account: "connection:gh#2".into(),
                }),
                "token store (keyring): cannot read keyring entry `connection:gh` (service `tether`): its part `connection:gh#2` is missing",
                None,
                exit::FAILURE,
            ),
            row(
                store(
                    StoreKind::Keyring,
                    StoreProblem::KeyringCall {
                        op: KeyringOp::Write,
                        account: "connection:gh".into(),
                        failure: KeyringFailure::TooLong { len: 30_000_000 },
                    },
                ),
                "token store (keyring): cannot write keyring entry `connection:gh` (service `tether`): the value is too long (30000000 bytes)",
                None,
                exit::FAILURE,
            ),
            row(
                store(
                    StoreKind::Keyring,
                    StoreProblem::NotText {
                        account: "client-secret:gh".into(),
                    },
                ),
                "token store (keyring): keyring entry `client-secret:gh` (service `tether`) is not text",
                None,
                exit::FAILURE,
            ),
            row(
                store(
                    StoreKind::Keyring,
                    StoreProblem::UnreadableRecord {
                        place: Place::KeyringEntry("connection:gh".into()),
                        problem: record_problem(),
                        connection: "gh".into(),
                    },
                ),
                "token store (keyring): keyring entry `connection:gh` (service `tether`) has a value of the wrong type (line 1, column 32)",
                Some("run `tether connect gh`"),
                exit::FAILURE,
            ),
            row(
                store(
                    StoreKind::File,
                    StoreProblem::UnreadableRecord {
                        place: Place::File("/d/tokens/gh.json".into()),
                        problem: RecordProblem {
                            fault: JsonFault::NotJson,
                            line: 1,
                            column: 1,
                        },
                        connection: "gh".into(),
                    },
                ),
                "token store (file): /d/tokens/gh.json is not valid JSON (line 1, column 1)",
                Some("run `tether connect gh`"),
                exit::FAILURE,
            ),
            row(
                store(
                    StoreKind::File,
                    StoreProblem::NotClientSecret {
                        path: "/d/tokens/client-secrets/gh.json".into(),
                    },
                ),
                "token store (file): /d/tokens/client-secrets/gh.json is not a stored client secret ({\"client_secret\": \"…\"})",
                None,
                exit::FAILURE,
            ),
            row(
                Error::io("/d/tokens/gh.json", io),
                "/d/tokens/gh.json: permission denied",
                None,
                exit::FAILURE,
            ),
            row(
                Error::Other("something else".into()),
                "something else",
                None,
                exit::FAILURE,
            ),
            row(
                Error::UnfilledPlaceholders {
                    template: "https://{dc}.api.example/{v}".into(),
                    names: vec!["dc".into(), "v".into()],
                },
                "`https://{dc}.api.example/{v}` has no value for `{dc}`, `{v}`",
                Some("pass `--var dc=… --var v=…`, or set it in the connection's `vars`"),
                exit::USAGE,
            ),
            row(
                Error::InvalidVarValue {
                    name: "dc".into(),
                    slot: Slot::Host { whole: false },
                },
                "the value of `dc` is not a host name part (letters, digits, `-`, `.`, `_` and `~`)",
                Some(
                    "`{dc}` at that place of the URL takes a host name part (letters, digits, `-`, `.`, `_` and `~`)",
                ),
                exit::USAGE,
            ),
            row(
                Error::InvalidHostPattern(InvalidHostPattern::Syntax("a b".into())),
                "`a b` is not a host name, a `*.example.com` pattern or `host:port`",
                None,
                exit::USAGE,
            ),
            row(
                Error::InvalidHostPattern(InvalidHostPattern::PublicSuffix {
                    pattern: "*.co.uk".into(),
                    suffix: "co.uk".into(),
                }),
                "`*.co.uk` would allow every site under the public suffix `co.uk`",
                Some("name the service's own domain, such as `*.example.com`"),
                exit::USAGE,
            ),
            row(
                item("@", ItemProblem::NoFile),
                "`@` needs a file name: `@data.json`",
                Some(ITEM_FORMS),
                exit::USAGE,
            ),
            row(
                item("f=@", ItemProblem::NoFile),
                "`f=@` names no file",
                Some(ITEM_FORMS),
                exit::USAGE,
            ),
            row(
                item("@b", ItemProblem::SecondRawBody),
                "`@b`: only one raw body (`@file`) can be sent",
                None,
                exit::USAGE,
            ),
            row(
                item("x", ItemProblem::NotAnItem),
                "`x` is not a request item",
                Some(ITEM_FORMS),
                exit::USAGE,
            ),
            row(
                item("=v", ItemProblem::NoName { separator: "=" }),
                "`=v` has no name before `=`",
                Some(ITEM_FORMS),
                exit::USAGE,
            ),
            row(
                item("a b:c", ItemProblem::HeaderName { name: "a b".into() }),
                "`a b:c`: `a b` is not a valid header name",
                Some(
                    "header names are letters, digits and `-` (RFC 9110 tokens); for a field write `name=value`",
                ),
                exit::USAGE,
            ),
            row(
                item("X:a\nb", ItemProblem::HeaderValue),
                "`X:a\\nb`: a header value cannot hold control characters or line breaks",
                None,
                exit::USAGE,
            ),
            row(
                item("f=@bin", ItemProblem::FileNotText { path: "bin".into() }),
                "`f=@bin`: the file `bin` is not UTF-8 text",
                Some("send it as a raw body with `@bin` or `--body @bin`"),
                exit::USAGE,
            ),
            row(
                item(
                    "n:=x",
                    ItemProblem::NotJson {
                        detail: "expected value at line 1 column 1".into(),
                    },
                ),
                "`n:=x`: the value after `:=` is not valid JSON (expected value at line 1 column 1)",
                Some(
                    "a JSON string needs quotes (`name:='\"text\"'`); for a plain string write `name=text`",
                ),
                exit::USAGE,
            ),
            row(
                item(
                    "n:=@b.json",
                    ItemProblem::FileNotJson {
                        path: "b.json".into(),
                        detail: "EOF while parsing".into(),
                    },
                ),
                "`n:=@b.json`: the file `b.json` is not valid JSON (EOF while parsing)",
                Some("to send the file's text as a string, write `name=@file`"),
                exit::USAGE,
            ),
            row(
                Error::InvalidBody(BodyProblem::RawWithFields),
                "a raw body (`@file`) cannot be mixed with body fields",
                Some("send either the file or the fields"),
                exit::USAGE,
            ),
            row(
                Error::InvalidBody(BodyProblem::FormWithRaw),
                "`--form` encodes fields; a raw body (`@file`) is sent as is",
                Some("drop `--form`, or give the fields as `name=value` items"),
                exit::USAGE,
            ),
            row(
                Error::InvalidBody(BodyProblem::JsonInForm { field: "n".into() }),
                "the raw JSON field `n` cannot be sent with `--form`",
                Some("write `n=value` for a form field, or drop `--form` to send JSON"),
                exit::USAGE,
            ),
            row(
                Error::InvalidBody(BodyProblem::FieldTwice { field: "t".into() }),
                "the field `t` is given twice",
                Some("for a list write `t:='[\"a\",\"b\"]'`; with `--form` a name may repeat"),
                exit::USAGE,
            ),
            row(
                Error::NotAuthorizedInTime {
                    name: "mc".into(),
                    seconds: 300,
                },
                "connection `mc` was not authorized within 300s",
                CONNECT_MC,
                exit::NEEDS_USER,
            ),
            row(
                Error::AuthorizationRefused {
                    service: Some("gh".into()),
                    code: ErrorCode::AccessDenied,
                    description: None,
                },
                "the provider refused: access_denied",
                None,
                exit::NEEDS_USER,
            ),
            row(
                Error::AuthorizationRefused {
                    service: Some("gh".into()),
                    code: ErrorCode::InvalidScope,
                    description: Some("unknown scope".into()),
                },
                "the provider refused: invalid_scope (unknown scope)",
                Some(
                    "the provider does not accept these scopes: change `scopes` with `tether service edit gh --scope SCOPE`",
                ),
                exit::FAILURE,
            ),
            row(
                Error::LockTimeout {
                    connection: "mc".into(),
                    waited: Duration::from_secs(45),
                    path: "/s/locks/mc.lock".into(),
                },
                "gave up after 45.0 s waiting for another tether process to finish with connection `mc` (lock file /s/locks/mc.lock)",
                None,
                exit::FAILURE,
            ),
            row(
                Error::InvalidStoreChoice {
                    value: "vault".into(),
                },
                "`TETHER_STORE` is `vault`, which is not a token store",
                Some("set `TETHER_STORE` to `keyring`, `file` or `auto`, or unset it"),
                exit::USAGE,
            ),
            row(
                Error::NotARecord {
                    connection: None,
                    problem: record_problem(),
                },
                "the token record has a value of the wrong type (line 1, column 32)",
                None,
                exit::FAILURE,
            ),
            row(
                Error::NotARecord {
                    connection: Some("gh".into()),
                    problem: RecordProblem {
                        fault: JsonFault::EndsEarly,
                        line: 1,
                        column: 12,
                    },
                },
                "the value for connection `gh` is not a token record: it ends too early (line 1, column 12)",
                None,
                exit::FAILURE,
            ),
            row(
                Error::InvalidExport {
                    from: BlobSource::Var {
                        connection: "ci-bot".into(),
                    },
                    problem: BlobProblem::NoMagic,
                },
                "`TETHER_CONNECTION_CI_BOT` does not hold a connection: it does not start with `tether1.`",
                Some("set it to what `tether connection export ci-bot` prints"),
                exit::USAGE,
            ),
            row(
                Error::InvalidExport {
                    from: BlobSource::Stdin,
                    problem: BlobProblem::NotBase64,
                },
                "standard input does not hold a connection: it is not valid base64url",
                Some("pipe in what `tether connection export NAME` printed"),
                exit::USAGE,
            ),
            row(
                Error::InvalidExport {
                    from: BlobSource::Stdin,
                    problem: BlobProblem::NotUtf8,
                },
                "standard input does not hold a connection: it is not UTF-8",
                Some("pipe in what `tether connection export NAME` printed"),
                exit::USAGE,
            ),
            row(
                Error::InvalidExport {
                    from: BlobSource::Stdin,
                    problem: BlobProblem::NotARecord(record_problem()),
                },
                "standard input does not hold a connection: has a value of the wrong type (line 1, column 32)",
                Some("pipe in what `tether connection export NAME` printed"),
                exit::USAGE,
            ),
            row(
                Error::HeldInEnv {
                    connection: "ci-bot".into(),
                },
                "`ci-bot` comes from `TETHER_CONNECTION_CI_BOT`, which tether cannot delete",
                Some("unset the variable (and delete the secret it came from)"),
                exit::USAGE,
            ),
            row(
                Error::Listener(ListenerProblem::Busy { port: 8400 }),
                "port 8400 on 127.0.0.1 is busy, so the redirect cannot be received",
                Some(
                    "stop what uses it, or connect with `--port N` if the provider allows another port",
                ),
                exit::USAGE,
            ),
            row(
                Error::Listener(ListenerProblem::CannotListen {
                    port: 80,
                    detail: "permission denied".into(),
                }),
                "cannot listen on 127.0.0.1:80: permission denied",
                None,
                exit::FAILURE,
            ),
            row(
                Error::Listener(ListenerProblem::NoTcpAddress),
                "the listener has no TCP address",
                None,
                exit::FAILURE,
            ),
            row(
                Error::Listener(ListenerProblem::Failed {
                    detail: "interrupted".into(),
                }),
                "the redirect listener failed: interrupted",
                None,
                exit::FAILURE,
            ),
            row(
                discovery(DiscoveryProblem::NotAUrl {
                    detail: "relative URL without a base".into(),
                }),
                "the issuer \"https://id.example\" is not a URL (relative URL without a base)",
                None,
                exit::USAGE,
            ),
            row(
                discovery(DiscoveryProblem::RefusedUrl {
                    reason: crate::config::validate::ValueFault::PlainHttp {
                        value: "http://id.example".into(),
                    },
                }),
                "the issuer \"http://id.example\" uses plain http on a host that is not loopback; use https",
                None,
                exit::USAGE,
            ),
            row(
                discovery(DiscoveryProblem::NotMetadata {
                    detail: "missing field `issuer`".into(),
                }),
                "the metadata of https://id.example is not valid JSON metadata (missing field `issuer`)",
                None,
                exit::FAILURE,
            ),
            row(
                discovery(DiscoveryProblem::OtherIssuer {
                    found: "https://evil.example".into(),
                }),
                "the metadata found for https://id.example names another issuer (https://evil.example); refusing it",
                None,
                exit::FAILURE,
            ),
            row(
                discovery(DiscoveryProblem::NotFound {
                    url: "https://id.example/.well-known/oauth-authorization-server".into(),
                    status: 404,
                }),
                "no metadata found for the issuer https://id.example: https://id.example/.well-known/oauth-authorization-server answered 404 Not Found",
                None,
                exit::FAILURE,
            ),
            row(
                Error::TokenAnswer {
                    request: TokenRequest::CodeExchange,
                    problem: AnswerProblem::EmptyAccessToken,
                },
                "the code exchange returned an empty access token",
                None,
                exit::FAILURE,
            ),
            row(
                Error::TokenAnswer {
                    request: TokenRequest::ClientCredentials,
                    problem: AnswerProblem::NotTokens,
                },
                "the client credentials request got an answer that is not a token response",
                None,
                exit::FAILURE,
            ),
            row(
                Error::TokenAnswer {
                    request: TokenRequest::Revocation,
                    problem: AnswerProblem::Status { status: 400 },
                },
                "the revocation endpoint answered 400 Bad Request",
                None,
                exit::FAILURE,
            ),
            row(
                Error::TokenAnswer {
                    request: TokenRequest::DeviceCode,
                    problem: AnswerProblem::Failed {
                        detail: "no device code".into(),
                    },
                },
                "the device authorization request failed: no device code",
                None,
                exit::FAILURE,
            ),
            row(
                Error::TokenAnswer {
                    request: TokenRequest::DevicePoll,
                    problem: AnswerProblem::EmptyAccessToken,
                },
                "the device authorization returned an empty access token",
                None,
                exit::FAILURE,
            ),
            row(
                Error::Metadata(MetadataProblem::Status { status: 500 }),
                "the metadata request answered HTTP 500",
                None,
                exit::FAILURE,
            ),
            row(
                Error::Metadata(MetadataProblem::NotJson),
                "the metadata request answered something other than JSON",
                None,
                exit::FAILURE,
            ),
            row(
                Error::Metadata(MetadataProblem::NoValue {
                    path: "0.id".into(),
                    var: "cloud_id".into(),
                }),
                "the metadata answer has no `0.id` for the var `cloud_id`",
                None,
                exit::FAILURE,
            ),
            row(
                Error::NetSetup {
                    part: NetPart::HttpClient,
                    detail: "no TLS backend".into(),
                },
                "cannot set up the HTTP client: no TLS backend",
                None,
                exit::FAILURE,
            ),
            row(
                Error::NetSetup {
                    part: NetPart::Tls,
                    detail: "no protocol versions".into(),
                },
                "cannot set up TLS: no protocol versions",
                None,
                exit::FAILURE,
            ),
            row(
                Error::NetSetup {
                    part: NetPart::Runtime,
                    detail: "too many open files".into(),
                },
                "cannot start the async runtime: too many open files",
                None,
                exit::FAILURE,
            ),
            row(
                Error::PromptFailed {
                    detail: "not a terminal".into(),
                },
                "cannot read the answer: not a terminal",
                None,
                exit::FAILURE,
            ),
            row(
                Error::IncompleteService {
                    service: "gh".into(),
                    missing: MissingKeys::AuthorizeUrlOrClientId,
                },
                "service `gh` has no authorize_url or client_id",
                Some("set them with `tether service edit gh --authorize-url URL --client-id ID`"),
                exit::USAGE,
            ),
            row(
                Error::IncompleteService {
                    service: "tv".into(),
                    missing: MissingKeys::DeviceAuthorizationUrl,
                },
                "service `tv` has no device_authorization_url",
                Some("set it with `tether service edit tv --device-authorization-url URL`"),
                exit::USAGE,
            ),
            row(
                Error::ExposedTokenFile {
                    path: "/d/tokens/gh.json".into(),
                    exposure: Exposure::Mode(0o644),
                },
                "token store (file): /d/tokens/gh.json is not private (mode 0644); refusing to read it",
                Some("run `tether doctor --fix`, or `chmod 600 /d/tokens/gh.json`"),
                exit::FAILURE,
            ),
            row(
                Error::ExposedTokenFile {
                    path: "/d/tokens/gh.json".into(),
                    exposure: Exposure::Owner(1001),
                },
                "token store (file): /d/tokens/gh.json is not private (owned by uid 1001); refusing to read it",
                Some("it is not yours: remove it and connect again, or `chown` it to yourself"),
                exit::FAILURE,
            ),
            row(
                Error::MisplacedPlaceholder {
                    template: "https://api.example.com{sfx}/v1".into(),
                    name: "sfx".into(),
                },
                "`https://api.example.com{sfx}/v1`: `{sfx}` is not a whole part of the host name",
                Some(
                    "in the host, a placeholder is a whole label between dots, as in `https://{dc}.api.example.com`",
                ),
                exit::USAGE,
            ),
            row(
                Error::TokenAnswer {
                    request: TokenRequest::Refresh,
                    problem: AnswerProblem::BadField {
                        field: TokenField::AccessToken,
                        fault: FieldFault::ControlCharacter,
                    },
                },
                "the token refresh returned an access token with a control character in it",
                None,
                exit::FAILURE,
            ),
            row(
                Error::RequestInput {
                    path: "/dev/zero".into(),
                    problem: InputProblem::NotAFile,
                },
                "/dev/zero: is not a regular file",
                Some("`@` reads regular files; pipe anything else to `--body -`"),
                exit::USAGE,
            ),
            row(
                Error::RequestInput {
                    path: "<stdin>".into(),
                    problem: InputProblem::TooLarge,
                },
                "<stdin>: holds more than 64 MiB, the most tether sends",
                Some("for a larger body, use curl with `$(tether token NAME)`"),
                exit::USAGE,
            ),
            row(
                Error::TokenAnswer {
                    request: TokenRequest::Refresh,
                    problem: AnswerProblem::TooLarge,
                },
                "the token refresh got an answer larger than 1 MiB",
                None,
                exit::FAILURE,
            ),
            row(
                Error::Metadata(MetadataProblem::TooLarge),
                "the metadata request got an answer larger than 1 MiB",
                None,
                exit::FAILURE,
            ),
            row(
                discovery(DiscoveryProblem::TooLarge {
                    url: "https://id.example/.well-known/openid-configuration".into(),
                }),
                "the metadata of https://id.example at https://id.example/.well-known/openid-configuration is larger than 1 MiB",
                None,
                exit::FAILURE,
            ),
            row(
                Error::TokenAnswer {
                    request: TokenRequest::Refresh,
                    problem: AnswerProblem::ErrorStatus {
                        status: 503,
                        code: Some(TokenErrorCode::parse("temporarily_unavailable")),
                        description: None,
                    },
                },
                "the token refresh failed: the token endpoint answered 503 Service Unavailable: temporarily_unavailable",
                Some("the provider's server failed: try again later"),
                exit::FAILURE,
            ),
            row(
                Error::TokenAnswer {
                    request: TokenRequest::CodeExchange,
                    problem: AnswerProblem::ErrorStatus {
                        status: 404,
                        code: None,
                        description: None,
                    },
                },
                "the code exchange failed: the token endpoint answered 404 Not Found",
                None,
                exit::FAILURE,
            ),
            row(
                Error::Listener(ListenerProblem::Closed),
                "the redirect listener has closed: the redirect already came",
                None,
                exit::FAILURE,
            ),
            row(
                Error::PlainHttpOffLoopback {
                    host: "api.example.com".into(),
                },
                "refusing plain http to api.example.com: it is not a loopback host",
                Some("use https: tether sends plain http only to loopback hosts"),
                exit::USAGE,
            ),
            row(
                item("Content-Length:5", ItemProblem::ContentLength),
                "`Content-Length:5`: the body decides `Content-Length`, not an item",
                None,
                exit::USAGE,
            ),
            row(
                refused_item(ItemRefusal::Header {
                    name: "Authorization".into(),
                }),
                "the `Authorization` item would be replaced by the credential of `gh`, which goes in that header",
                Some(
                    "drop the item, or pass `--no-auth` to send the request without the credential",
                ),
                exit::USAGE,
            ),
            row(
                refused_item(ItemRefusal::Param { name: "key".into() }),
                "the `key==` item would be replaced by the credential of `gh`, which goes in that query parameter",
                Some(
                    "drop the item, or pass `--no-auth` to send the request without the credential",
                ),
                exit::USAGE,
            ),
            row(
                refused_item(ItemRefusal::Host {
                    host: "evil.example:8443".into(),
                }),
                "the `Host: evil.example:8443` item would send the credential of `gh` to evil.example:8443",
                Some(
                    "if `evil.example:8443` is really this service's, pass `--allow-host evil.example:8443`; or pass `--no-auth` to send the request without the credential",
                ),
                exit::USAGE,
            ),
            row(
                refused_item(ItemRefusal::Host { host: "a/b".into() }),
                "the `Host: a/b` item would send the credential of `gh` to a/b",
                Some("pass `--no-auth` to send the request without the credential"),
                exit::USAGE,
            ),
            row(
                Error::ConfigLockTimeout {
                    waited: Duration::from_secs(45),
                    path: "/s/config.lock".into(),
                },
                "gave up after 45.0 s waiting for another tether process to finish editing the config (lock file /s/config.lock)",
                None,
                exit::FAILURE,
            ),
            row(
                Error::EndpointRefused {
                    service: "zoho".into(),
                    host: "accounts.evil.example".into(),
                    why: EndpointRefusal::UnlistedTokenHost {
                        var: "accounts_server".into(),
                    },
                },
                "refusing to send the credentials of service `zoho` to accounts.evil.example: the provider named it in `accounts_server`, and it is not one of the service's `token_hosts`",
                Some(
                    "if `accounts.evil.example` is really the provider's, add it with `tether service edit zoho --token-host accounts.evil.example`",
                ),
                exit::USAGE,
            ),
            row(
                Error::EndpointRefused {
                    service: "shop".into(),
                    host: "acme.example".into(),
                    why: EndpointRefusal::PlainHttp,
                },
                "refusing to send the credentials of service `shop` to acme.example: plain http to a non-loopback host",
                Some("use https: tether sends credentials over plain http only to loopback hosts"),
                exit::USAGE,
            ),
            row(
                Error::EndpointRefused {
                    service: "shop".into(),
                    host: "ftp://acme.example/token".into(),
                    why: EndpointRefusal::NotHttp,
                },
                "refusing to send the credentials of service `shop` to ftp://acme.example/token: not an http or https URL",
                None,
                exit::USAGE,
            ),
            row(
                Error::InvalidFilter(Box::new(InvalidFilter {
                    line_text: ".items[] | | .id".into(),
                    line: 1,
                    column: 12,
                    multiline: false,
                    problem: FilterProblem::Expected {
                        expected: "term".into(),
                        found: Some("|".into()),
                    },
                })),
                "invalid `--jq` filter at column 12: expected term, found `|`\n  .items[] | | .id\n             ^",
                None,
                exit::USAGE,
            ),
            row(
                Error::Filter(FilterFailure::NotJson {
                    detail: "expected value at line 1 column 1".into(),
                }),
                "`--jq` needs a JSON body, and this one is not: expected value at line 1 column 1",
                Some("add `--json` to filter the envelope, whose `body` holds the text"),
                exit::FAILURE,
            ),
            row(
                Error::Filter(FilterFailure::Runtime {
                    detail: "cannot index 2 with \"a\"".into(),
                }),
                "`--jq` failed: cannot index 2 with \"a\"",
                None,
                exit::FAILURE,
            ),
            row(
                Error::Filter(FilterFailure::Halted { code: 5 }),
                "`--jq` halted with exit code 5",
                None,
                exit::FAILURE,
            ),
            row(
                Error::UnknownCommand {
                    path: vec!["service".into(), "lst".into()],
                    suggestion: Some("list".into()),
                },
                "no command `tether service lst`",
                Some("did you mean `list`?"),
                exit::USAGE,
            ),
            row(
                Error::UnknownCommand {
                    path: vec!["service".into(), "zap".into()],
                    suggestion: None,
                },
                "no command `tether service zap`",
                Some("`tether service --help` lists the commands"),
                exit::USAGE,
            ),
            row(
                Error::UnknownCommand {
                    path: vec!["zap".into()],
                    suggestion: None,
                },
                "no command `tether zap`",
                Some("`tether --help` lists the commands"),
                exit::USAGE,
            ),
            row(
                Error::Signing {
                    service: "jira".into(),
                    problem: SigningProblem::EncryptedRsaKey,
                },
                "cannot sign the request for service `jira`: the RSA private key is encrypted: give it unencrypted (PKCS#1 or PKCS#8)",
                Some(
                    "point `private_key` at an unencrypted PEM key: `tether service edit jira --private-key-file PATH`",
                ),
                exit::FAILURE,
            ),
            row(
                Error::Signing {
                    service: "trello".into(),
                    problem: SigningProblem::ClockBeforeEpoch,
                },
                "cannot sign the request for service `trello`: the system clock is before 1970: a request cannot carry a timestamp",
                None,
                exit::FAILURE,
            ),
            row(
                Error::Oauth1Flow {
                    service: "trello".into(),
                    problem: FlowProblem::Denied,
                },
                "service `trello`: the authorization was denied",
                None,
                exit::NEEDS_USER,
            ),
            row(
                Error::Oauth1Flow {
                    service: "trello".into(),
                    problem: FlowProblem::CallbackNotConfirmed,
                },
                "service `trello`: the provider did not confirm the callback (`oauth_callback_confirmed`): it may speak OAuth 1.0, not 1.0a",
                None,
                exit::FAILURE,
            ),
            row(
                Error::Oauth1Refused {
                    service: "trello".into(),
                    step: Oauth1Step::RequestToken,
                    status: 401,
                    problem: Some("signature_invalid".into()),
                },
                "the provider refused the request-token request of service `trello` (HTTP 401): oauth_problem=signature_invalid",
                Some(
                    "check `client_id`, the secret and the signature method of service `trello` (`tether service show trello`)",
                ),
                exit::FAILURE,
            ),
            row(
                Error::Oauth1Refused {
                    service: "trello".into(),
                    step: Oauth1Step::AccessToken,
                    status: 401,
                    problem: Some("timestamp_refused".into()),
                },
                "the provider refused the access-token request of service `trello` (HTTP 401): oauth_problem=timestamp_refused",
                Some(
                    "check this machine's clock (`tether doctor`), then `tether connect` with service `trello` again",
                ),
                exit::FAILURE,
            ),
            row(
                Error::Pagination {
                    page: 3,
                    problem: PageProblem::NoItems {
                        path: Some("data".into()),
                    },
                },
                "page 3 of the listing has no array at `data`",
                Some(
                    "name the array of items with `--items PATH`, or `items` in the service's `pagination`",
                ),
                exit::FAILURE,
            ),
            row(
                Error::Pagination {
                    page: 1,
                    problem: PageProblem::NoItems { path: None },
                },
                "page 1 of the listing is not an array",
                Some(
                    "name the array of items with `--items PATH`, or `items` in the service's `pagination`",
                ),
                exit::FAILURE,
            ),
            row(
                Error::Pagination {
                    page: 2,
                    problem: PageProblem::NotJson {
                        detail: "expected value at line 1 column 1".into(),
                    },
                },
                "page 2 of the listing is not JSON: expected value at line 1 column 1",
                None,
                exit::FAILURE,
            ),
            row(
                Error::Pagination {
                    page: 4,
                    problem: PageProblem::Repeats,
                },
                "page 4 of the listing names a page already fetched as the next",
                Some("the API repeats itself; `--max-pages N` stops after N pages"),
                exit::FAILURE,
            ),
            row(
                Error::PaginationNeeds {
                    next: NextPage::NextUrl,
                    key: "cursor",
                },
                "pagination with `next = \"next_url\"` needs `cursor`",
                Some("pass `--cursor …`, or set `cursor` in the service's `pagination`"),
                exit::USAGE,
            ),
            row(
                Error::BatchLine {
                    line: 12,
                    error: Box::new(Error::RefusedHost {
                        connection: "gh".into(),
                        host: "evil.example".into(),
                        why: Refusal::NotAllowedHost,
                    }),
                },
                "line 12 of the batch: refusing to send the credential of `gh` to evil.example: not an allowed host",
                Some(
                    "if `evil.example` is really this service's, pass `--allow-host evil.example` or add it to `allowed_hosts`",
                ),
                exit::USAGE,
            ),
            row(
                Error::InvalidBatchLine(LineProblem::NotARequest {
                    detail: "missing field `url`".into(),
                }),
                "not a request: missing field `url`",
                Some(
                    "each line is an object such as {\"id\": 1, \"method\": \"GET\", \"url\": \"/items/1\", \"query\": {\"k\": \"v\"}}",
                ),
                exit::USAGE,
            ),
            row(
                Error::InvalidBatchLine(LineProblem::TwoBodies),
                "more than one of `json`, `form` and `body`",
                Some("send one body: `json`, `form` or `body`"),
                exit::USAGE,
            ),
            row(
                Error::InvalidBatchLine(LineProblem::NotText {
                    field: "query.q".into(),
                }),
                "`query.q` is not text, a number or a boolean",
                Some("query, header and form values are text, numbers or booleans"),
                exit::USAGE,
            ),
            row(
                Error::InvalidCaFile {
                    path: "/etc/corp-ca.pem".into(),
                    detail: "it holds no PEM certificate".into(),
                },
                "/etc/corp-ca.pem: not a PEM file of certificates: it holds no PEM certificate",
                Some("`ca_file` names a file of `-----BEGIN CERTIFICATE-----` blocks (PEM)"),
                exit::USAGE,
            ),
            row(
                Error::InvalidValue(crate::config::validate::ValueFault::Name {
                    name: "a/b".into(),
                }),
                "`a/b` is not a valid name: use letters, digits, `-`, `_` and `.`, starting with a letter or digit (64 at most)",
                None,
                exit::USAGE,
            ),
            row(
                Error::NoBearerToken {
                    connection: "bb".into(),
                },
                "connection `bb` uses OAuth 1.0a: every request carries its own signature, so there is no token to hand to another program",
                Some(
                    "call the API with `tether invoke bb`, or sign one request with `tether token bb --header --url URL`",
                ),
                exit::USAGE,
            ),
            row(
                Error::HostClaimedTwice {
                    host: "github.com".into(),
                    tool: HelperTool::Git,
                    connections: vec!["home".into(), "work".into()],
                },
                "connections `home`, `work` both give git credentials for github.com",
                Some(
                    "list the host in the `git_hosts` of one connection, or name the connection: `tether credential git NAME …`",
                ),
                exit::USAGE,
            ),
            row(
                Error::ExecFailed {
                    program: "nope".into(),
                    source: std::io::Error::from(std::io::ErrorKind::NotFound),
                },
                "cannot run `nope`: entity not found",
                Some("check the command's name and `PATH`"),
                exit::COMMAND_NOT_FOUND,
            ),
            row(
                Error::ExecFailed {
                    program: "./x".into(),
                    source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
                },
                "cannot run `./x`: permission denied",
                None,
                exit::COMMAND_NOT_RUN,
            ),
            row(
                Error::SameVariable {
                    var: "TETHER_TOKEN".into(),
                    connections: vec!["a".into(), "b".into()],
                },
                "connections `a`, `b` would both set `TETHER_TOKEN`",
                Some("name each variable with `--env VAR=NAME`, or set the service's `env`"),
                exit::USAGE,
            ),
            row(
                Error::NoIdToken {
                    connection: "k8s".into(),
                    why: IdTokenGap::Missing,
                },
                "connection `k8s` holds no ID token",
                Some("ask for the `openid` scope: `tether connect k8s --scope openid …`"),
                exit::NEEDS_USER,
            ),
            row(
                Error::NoIdToken {
                    connection: "k8s".into(),
                    why: IdTokenGap::Expired,
                },
                "connection `k8s` holds an expired ID token, and a refresh brought no new one",
                Some("run `tether connect k8s`"),
                exit::NEEDS_USER,
            ),
            row(
                Error::ExecInfo(ExecInfoProblem::NotExecCredential),
                "`KUBERNETES_EXEC_INFO` cannot be answered: it is not an ExecCredential with an `apiVersion`",
                Some(
                    "set `apiVersion: client.authentication.k8s.io/v1` in the kubeconfig's `exec` stanza",
                ),
                exit::USAGE,
            ),
            row(
                Error::NoSaslUser {
                    connection: "mail".into(),
                },
                "no user to log in as: connection `mail` has no `email` var",
                Some(
                    "pass `--user ADDRESS`, or set `vars = { email = \"…\" }` in connection `mail`",
                ),
                exit::USAGE,
            ),
            row(
                Error::BadSaslUser,
                "the user name cannot go into a SASL response: it is empty or holds a control character",
                None,
                exit::USAGE,
            ),
            row(
                Error::DockerReadOnly { action: "store" },
                "tether keeps no docker credentials of its own: `store` is refused",
                Some(
                    "name tether per registry under `credHelpers` in ~/.docker/config.json, not as `credsStore`",
                ),
                exit::USAGE,
            ),
            row(
                Error::RegistryNotMapped {
                    registry: "ghcr.io".into(),
                },
                "no connection gives docker credentials for ghcr.io",
                Some("list the registry in a connection's `docker_hosts`"),
                exit::FAILURE,
            ),
            row(
                Error::HelperRequest {
                    tool: HelperTool::Git,
                    problem: HelperRequestProblem::Git(GitRequestProblem::NotKeyValue { line: 2 }),
                },
                "the git credential request cannot be read: line 2 is not `key=value`",
                None,
                exit::USAGE,
            ),
            row(
                Error::Unwritable(Unwritable {
                    format: "netrc",
                    field: "login",
                }),
                "the login cannot be written as netrc: it holds a character that format cannot carry",
                None,
                exit::FAILURE,
            ),
            row(
                Error::RemoteNotAuthorizedInTime {
                    waited: Duration::from_secs(300),
                },
                "no redirect reached this machine within 300 s: the remote connection was not authorized",
                Some(
                    "run `tether connect NAME --remote` on the other machine again, then `tether authorize` with the URL it prints",
                ),
                exit::NEEDS_USER,
            ),
            row(
                Error::NotUsable {
                    within: Span::from_secs(3_600),
                    connections: vec![
                        (
                            "a".into(),
                            Shortfall::RefreshLapses {
                                at: 86_400,
                                renewable: true,
                            },
                        ),
                        ("b".into(), Shortfall::NeedsAuthorization),
                    ],
                },
                "not usable for 1h: `a` has a refresh token that lapses at 1970-01-02T00:00:00Z unless used; `b` needs authorization",
                Some("run `tether connect b`"),
                exit::NEEDS_USER,
            ),
            row(
                Error::NotUsable {
                    within: Span::from_secs(0),
                    connections: vec![(
                        "a".into(),
                        Shortfall::RefreshLapses {
                            at: 0,
                            renewable: true,
                        },
                    )],
                },
                "not usable now: `a` has a refresh token that lapses at 1970-01-01T00:00:00Z unless used",
                Some("run `tether keepalive --within 0s`"),
                exit::NEEDS_USER,
            ),
            row(
                Error::KeepaliveWithoutKeyring {
                    failure: KeyringFailure::NoAnswer {
                        within: Duration::from_secs(5),
                    },
                },
                format!(
                    "the {} does not answer (no answer within 5 s): keepalive refreshes nothing rather than fall back to the file store",
                    crate::store::keyring::PLATFORM_NAME
                ),
                Some(
                    "run it where the session bus is (a systemd user timer, a desktop session), or set `store = \"file\"` if the tokens live in files",
                ),
                exit::FAILURE,
            ),
            row(
                Error::SharedStore {
                    store: "team".into(),
                    place: "db.example.com:5432/ops".into(),
                    failure: PgFailure::TimedOut {
                        after: Duration::from_secs(5),
                    },
                },
                "store `team` (db.example.com:5432/ops) did not answer within 5s",
                Some(
                    "check that the database is up and reachable (`tether store check team`), then try again; tokens in local stores were not touched",
                ),
                exit::NETWORK,
            ),
            row(
                Error::SharedStore {
                    store: "team".into(),
                    place: "/run/pg:5432/ops".into(),
                    failure: PgFailure::Database {
                        code: "42501".into(),
                        message: "permission denied for schema tether".into(),
                    },
                },
                "store `team` (/run/pg:5432/ops) refused: permission denied for schema tether (SQLSTATE 42501)",
                Some("`tether store check team` shows what the database accepts"),
                exit::FAILURE,
            ),
            row(
                Error::InvalidSharedStore {
                    store: "team".into(),
                    problem: SharedStoreProblem::Key {
                        field: "key",
                        problem: crate::store::seal::KeyProblem::WrongLength(16),
                    },
                },
                "store `team` cannot be used: its `key` holds 16 bytes, not 32",
                Some(
                    "fix `[stores.team]` in the config: `url` takes a postgresql:// URL or key=value string, `key` 32 random bytes as hex or base64 (`openssl rand -hex 32`)",
                ),
                exit::USAGE,
            ),
            row(
                Error::WrongStoreKey {
                    store: "team".into(),
                },
                "the key of store `team` is not the key its records are sealed with; nothing was written",
                Some(
                    "set `key` of `[stores.team]` to the store's key; during a rotation, give the old one as `previous_key`",
                ),
                exit::USAGE,
            ),
            row(
                Error::UnopenableRecord {
                    store: "team".into(),
                    connection: "ci".into(),
                },
                "the record of `ci` in store `team` does not open: it was sealed for another connection or altered",
                Some("connect it again with `tether connect ci`, which replaces the record"),
                exit::FAILURE,
            ),
            row(
                Error::StoreConflict {
                    store: "team".into(),
                    connection: "ci".into(),
                },
                "the record of `ci` in store `team` changed on another machine meanwhile; nothing was written",
                Some("run the command again"),
                exit::FAILURE,
            ),
            row(
                Error::SchemaTooNew {
                    store: "team".into(),
                    found: 3,
                    known: 1,
                },
                "store `team` has schema version 3; this tether knows up to 1",
                Some("upgrade tether on this machine"),
                exit::FAILURE,
            ),
            row(
                Error::RowLockTimeout {
                    store: "team".into(),
                    connection: "ci".into(),
                    waited: Duration::from_secs(45),
                },
                "another machine is refreshing connection `ci` (store `team`): gave up after 45 s waiting for it",
                Some("try again; if no machine is refreshing, raise the store's `lock_timeout`"),
                exit::FAILURE,
            ),
            row(
                Error::RecordExists {
                    store: "store `team`".into(),
                    connection: "ci".into(),
                },
                "store `team` already holds a record of `ci`",
                Some(
                    "remove it there first, or use the copy there: set `store` of `[connections.ci]`",
                ),
                exit::FAILURE,
            ),
        ]
    }

    #[test]
    fn every_error_has_its_message_hint_and_exit_code() {
        for Row {
            error,
            message,
            hint,
            code,
        } in table()
        {
            assert_eq!(error.to_string(), message, "message of {error:?}");
            assert_eq!(error.hint(), hint, "hint of {error:?}");
            assert_eq!(error.exit_code(), code, "exit code of {error:?}");
        }
    }

    /// Lists every variant in an exhaustive `match`: a new variant does not
    /// compile until it is named here, and then fails
    /// [`every_variant_has_a_row`] until [`table`] has a row for it.
    macro_rules! variants {
        ($($name:ident),* $(,)?) => {
            fn variant(error: &Error) -> &'static str {
                match error {
                    $(Error::$name { .. } => stringify!($name),)*
                }
            }

            const VARIANTS: &[&str] = &[$(stringify!($name)),*];
        };
    }

    variants!(
        Usage,
        MissingValue,
        Config,
        UnknownName,
        AlreadyExists,
        ServiceInUse,
        Secret,
        NeedsAuthorization,
        Provider,
        RefusedHost,
        Network,
        Store,
        Io,
        Other,
        UnfilledPlaceholders,
        InvalidVarValue,
        InvalidHostPattern,
        InvalidItem,
        InvalidBody,
        NotAuthorizedInTime,
        AuthorizationRefused,
        LockTimeout,
        InvalidStoreChoice,
        NotARecord,
        InvalidExport,
        HeldInEnv,
        Listener,
        Discovery,
        TokenAnswer,
        Metadata,
        NetSetup,
        PromptFailed,
        IncompleteService,
        ExposedTokenFile,
        MisplacedPlaceholder,
        RequestInput,
        PlainHttpOffLoopback,
        RefusedItem,
        ConfigLockTimeout,
        EndpointRefused,
        InvalidFilter,
        Filter,
        UnknownCommand,
        Signing,
        Oauth1Flow,
        Oauth1Refused,
        Pagination,
        PaginationNeeds,
        BatchLine,
        InvalidBatchLine,
        InvalidCaFile,
        InvalidValue,
        NoBearerToken,
        HostClaimedTwice,
        ExecFailed,
        SameVariable,
        NoIdToken,
        ExecInfo,
        NoSaslUser,
        BadSaslUser,
        DockerReadOnly,
        RegistryNotMapped,
        HelperRequest,
        Unwritable,
        RemoteNotAuthorizedInTime,
        NotUsable,
        KeepaliveWithoutKeyring,
        SharedStore,
        InvalidSharedStore,
        WrongStoreKey,
        UnopenableRecord,
        StoreConflict,
        SchemaTooNew,
        RowLockTimeout,
        RecordExists,
    );

    #[test]
    fn every_variant_has_a_row() {
        let rows: std::collections::BTreeSet<&str> =
            table().iter().map(|row| variant(&row.error)).collect();
        let missing: Vec<&str> = VARIANTS
            .iter()
            .copied()
            .filter(|name| !rows.contains(name))
            .collect();
        assert!(missing.is_empty(), "no row in `table` for {missing:?}");
    }
}
