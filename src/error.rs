//! The one error type of tether.
//!
//! Every failure a user can meet is a variant here. A variant carries data
//! (a name, a path, a status), not a preformatted sentence, and knows two
//! things about itself: the exit code of DESIGN §5 and the hint that tells
//! the user which command to run next. Messages are lowercase and never
//! contain a secret: values that could be secret are not stored in variants.

use std::path::PathBuf;

use crate::config::Located;
use crate::config::hosts::InvalidHostPattern;
use crate::config::secrets::SecretProblem;
use crate::config::template::Slot;
use crate::http::items::{BodyProblem, ItemProblem};
use crate::oauth::callback::ErrorCode;

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
}

/// What kind of thing a name on the command line refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Service,
    Connection,
    Template,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Service => "service",
            Kind::Connection => "connection",
            Kind::Template => "template",
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
    #[error("connection `{name}` {reason}")]
    NeedsAuthorization { name: String, reason: String },

    /// The authorization server said no (error code and description from
    /// the provider, never a token).
    #[error("the provider refused: {code}{}", .description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Provider {
        code: String,
        description: Option<String>,
        needs_user: bool,
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
    #[error("token store ({store}): {reason}")]
    Store { store: String, reason: String },

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
    #[error("the provider refused: {code}{}", .description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    AuthorizationRefused {
        service: Option<String>,
        code: ErrorCode,
        description: Option<String>,
    },
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
            Error::Provider { needs_user, .. } => {
                if *needs_user {
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
            reason: "is not connected".into(),
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
}
