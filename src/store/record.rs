//! The connection record: everything tether keeps about one connection in
//! its token store, as one JSON document.
//!
//! [`Record::from_json`] and [`Record::to_json`] are pure; the stores only
//! move the text. Invariants:
//!
//! * Reading is tolerant: fields this version does not know are ignored and
//!   missing ones take their defaults, so a record written by a newer or
//!   older tether still loads.
//! * A parse error never quotes the text (it may hold tokens): it says what
//!   kind of problem was found and where (line and column), nothing more.
//! * Secrets are [`Secret`]s in memory and plain strings in the JSON; the
//!   JSON itself is only ever handed to a store, never printed.
//! * The lifecycle is computed, not stored: [`Record::state`] takes `now`
//!   from the caller (RFC 6749 §5.1 `expires_in` is turned into the
//!   absolute `expires_at` when the token arrives).
//! * So is the refresh token's forecast ([`Record::forecast`]): the record
//!   keeps only facts — when the grant was authorized, when the current
//!   refresh token was issued and last used, and when the provider said it
//!   expires — and the service's policy ([`RefreshPolicy`]) is applied when
//!   asked. Every time is a `…_at` field in unix seconds.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::config::{AuthKind, RefreshPolicy};
use crate::secret::Secret;
use crate::{Error, Result};

/// What tether keeps about one connection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Record {
    /// The service the connection was made with, at the time of connect.
    pub service: String,
    pub auth: AuthKind,
    #[serde(with = "secret_opt", skip_serializing_if = "Option::is_none")]
    pub access_token: Option<Secret>,
    #[serde(with = "secret_opt", skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    /// When the access token expires, in unix seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<u64>,
    /// The scopes the server granted (RFC 6749 §5.1), not those asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    /// When the tokens arrived, in unix seconds.
    pub obtained_at: u64,
    /// When the current refresh token arrived, in unix seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token_issued_at: Option<u64>,
    #[serde(with = "secret_opt", skip_serializing_if = "Option::is_none")]
    pub id_token: Option<Secret>,
    /// The user name of HTTP Basic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The static credential: an API key, a password or a bearer token.
    #[serde(with = "secret_opt", skip_serializing_if = "Option::is_none")]
    pub secret: Option<Secret>,
    /// OAuth 1.0a: the token secret of the token credentials (RFC 5849
    /// §2.3), whose identifier is `access_token`.
    #[serde(with = "secret_opt", skip_serializing_if = "Option::is_none")]
    pub token_secret: Option<Secret>,
    /// Other fields of the token response; never a token-like one.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extras: BTreeMap<String, serde_json::Value>,
    /// Values learnt at connect (`api_domain`, `instance_url`, …), usable
    /// as `{name}` placeholders.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub vars: BTreeMap<String, String>,
    /// The server refused a refresh (`invalid_grant`, RFC 6749 §5.2): only
    /// the user can mend this connection, by connecting again.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub needs_authorization: bool,
    /// When the user authorized the grant (the `connect`), in unix seconds;
    /// refreshes keep it. An absolute refresh-token lifetime counts from
    /// here. Records written before it was kept lack it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorized_at: Option<u64>,
    /// When the provider said the current refresh token expires
    /// (`refresh_token_expires_in`, as GitHub Apps and Microsoft send it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token_expires_at: Option<u64>,
    /// When the refresh token was last used: the last refresh. Set by a
    /// refresh only, so that reading a valid token never writes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token_used_at: Option<u64>,
    /// The lapse `on_needs_authorization` was last told about, so that a
    /// daily `keepalive` tells it once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notified_lapse_at: Option<u64>,
}

/// Where a refresh-token forecast comes from (`refresh_basis` in JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// The provider said so (`refresh_token_expires_in`).
    Provider,
    /// The service's `refresh_token_lifetime` or `refresh_token_idle`.
    Policy,
    /// Nothing says when the refresh token lapses.
    Unknown,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Provider => "provider",
            Basis::Policy => "policy",
            Basis::Unknown => "unknown",
        }
    }
}

/// Whether using the refresh token moves its lapse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lapse {
    /// A refresh pushes the lapse back: an idle policy, or a provider
    /// that states each new refresh token's life.
    Renewable,
    /// No refresh can: only connecting again can.
    Absolute,
}

/// When a connection's refresh token stops working, as far as tether knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forecast {
    /// The record holds no refresh token: nothing to forecast.
    NoRefreshToken,
    /// Nothing says when it lapses.
    Unknown,
    /// It lapses at `at` (unix seconds) by `basis`.
    Lapses { at: u64, basis: Basis, lapse: Lapse },
}

impl Forecast {
    /// When it lapses, if known.
    pub fn at(self) -> Option<u64> {
        match self {
            Forecast::Lapses { at, .. } => Some(at),
            _ => None,
        }
    }

    /// `refresh_basis` in JSON; `None` without a refresh token.
    pub fn basis(self) -> Option<Basis> {
        match self {
            Forecast::NoRefreshToken => None,
            Forecast::Unknown => Some(Basis::Unknown),
            Forecast::Lapses { basis, .. } => Some(basis),
        }
    }

    /// For people, at `now`: "lapses in 12d unless used", "lapses in 5d
    /// (absolute)", "lapsed 2d ago".
    pub fn describe(self, now: u64) -> String {
        match self {
            Forecast::NoRefreshToken => "no refresh token".into(),
            Forecast::Unknown => "lapse unknown".into(),
            Forecast::Lapses { at, .. } if at <= now => {
                format!("lapsed {}", crate::ui::relative(at, now))
            }
            Forecast::Lapses {
                at,
                lapse: Lapse::Renewable,
                ..
            } => format!("lapses {} unless used", crate::ui::relative(at, now)),
            Forecast::Lapses {
                at,
                lapse: Lapse::Absolute,
                ..
            } => format!("lapses {} (absolute)", crate::ui::relative(at, now)),
        }
    }
}

/// Where a connection's credential is in its life, at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenState {
    /// The access token can be used as it is. `expires_at` is `None` when
    /// the server did not say when it expires.
    Valid { expires_at: Option<u64> },
    /// The access token expires within the margin (or has expired, or is
    /// missing) and tether can get a new one without the user.
    Due,
    /// The access token has expired and there is no way to renew it
    /// without the user.
    Expired,
    /// A refresh was refused, or there is no credential at all: the user
    /// must connect again.
    NeedsAuthorization,
    /// A static credential (API key, Basic, bearer token): it never expires
    /// as far as tether knows.
    Static,
}

/// Why a connection will not be usable for as long as asked
/// (`status --check --for`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortfall {
    NotConnected,
    NeedsAuthorization,
    Unreadable,
    /// The access token expires at `at` and nothing can renew it.
    AccessExpires {
        at: u64,
    },
    /// The refresh token lapses at `at`; `renewable` when a refresh
    /// (`keepalive`) would push it back.
    RefreshLapses {
        at: u64,
        renewable: bool,
    },
}

/// Reads after the connection's name: "`gh` is not connected".
impl std::fmt::Display for Shortfall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Shortfall::NotConnected => f.write_str("is not connected"),
            Shortfall::NeedsAuthorization => f.write_str("needs authorization"),
            Shortfall::Unreadable => f.write_str("has an unreadable token record"),
            Shortfall::AccessExpires { at } => write!(
                f,
                "expires at {} and cannot be refreshed",
                crate::ui::rfc3339(*at)
            ),
            Shortfall::RefreshLapses { at, renewable } => write!(
                f,
                "has a refresh token that lapses at {}{}",
                crate::ui::rfc3339(*at),
                if *renewable { " unless used" } else { "" }
            ),
        }
    }
}

impl Record {
    /// What stops this record's connection from being usable until
    /// `deadline` (unix seconds), given its refresh `forecast`; `None` when
    /// nothing does. The caller has already decided that it is usable now.
    pub fn shortfall(&self, forecast: Forecast, deadline: u64) -> Option<Shortfall> {
        if !self.auth.is_oauth() {
            return None;
        }
        if self.refresh_token.is_some() {
            return match forecast {
                Forecast::Lapses { at, lapse, .. } if at <= deadline => {
                    Some(Shortfall::RefreshLapses {
                        at,
                        renewable: lapse == Lapse::Renewable,
                    })
                }
                _ => None,
            };
        }
        if self.refreshable() {
            return None;
        }
        match self.expires_at {
            Some(at) if at <= deadline => Some(Shortfall::AccessExpires { at }),
            _ => None,
        }
    }
}

/// What a record lacks that every record tether writes has: such a record
/// was not written by a `connect`, and only a new one can mend it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordGap {
    /// No credential of its auth kind: no access or refresh token for an
    /// OAuth kind, no secret for a static one.
    Credential,
    /// No `obtained_at`, so nothing can say how old its tokens are.
    ObtainedAt,
}

/// Reads after "it ": "holds no credential".
impl std::fmt::Display for RecordGap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RecordGap::Credential => "holds no credential",
            RecordGap::ObtainedAt => "does not say when it was obtained",
        })
    }
}

impl Record {
    /// Reads a record. The error says what is wrong and where, never what
    /// the text holds.
    pub fn from_json(text: &str) -> Result<Record> {
        Record::parse(text).map_err(|problem| Error::NotARecord {
            connection: None,
            problem,
        })
    }

    /// Like [`Record::from_json`], with the problem alone, so that a store
    /// can name the file or entry it read.
    pub(crate) fn parse(text: &str) -> Result<Record, RecordProblem> {
        serde_json::from_str(text).map_err(|e| RecordProblem::of(&e))
    }

    /// The record as compact JSON.
    pub fn to_json(&self) -> String {
        // Every field is a string, a number, a list or a map with string
        // keys: serialization cannot fail.
        serde_json::to_string(self).expect("a record always serializes to JSON")
    }

    /// What the record lacks that tether always writes, if anything.
    pub fn gap(&self) -> Option<RecordGap> {
        let credential = if self.auth.is_oauth() {
            self.access_token.is_some() || self.refresh_token.is_some()
        } else if self.auth == AuthKind::Oauth1 {
            self.access_token.is_some() && self.token_secret.is_some()
        } else {
            self.secret.is_some()
        };
        if !credential {
            Some(RecordGap::Credential)
        } else if self.obtained_at == 0 {
            Some(RecordGap::ObtainedAt)
        } else {
            None
        }
    }

    /// Whether tether can renew the access token without the user: with a
    /// refresh token (RFC 6749 §6), or by asking again with the client's
    /// own credentials (§4.4, which issues no refresh token).
    pub fn refreshable(&self) -> bool {
        self.refresh_token.is_some() || self.auth == AuthKind::ClientCredentials
    }

    /// When the refresh token was last used, or issued when never used
    /// since (the start of an idle lifetime).
    pub fn refresh_token_last_use(&self) -> u64 {
        [
            self.refresh_token_used_at,
            self.refresh_token_issued_at,
            Some(self.obtained_at),
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(0)
    }

    /// When the refresh token lapses, from what the provider said and the
    /// service's `policy`: the earliest of them, with its basis.
    pub fn forecast(&self, policy: RefreshPolicy) -> Forecast {
        if self.refresh_token.is_none() {
            return Forecast::NoRefreshToken;
        }
        let authorized = self
            .authorized_at
            .or(self.refresh_token_issued_at)
            .unwrap_or(self.obtained_at);
        let candidates = [
            self.refresh_token_expires_at
                .map(|at| (at, Basis::Provider, Lapse::Renewable)),
            policy.lifetime.map(|span| {
                (
                    authorized.saturating_add(span.as_secs()),
                    Basis::Policy,
                    Lapse::Absolute,
                )
            }),
            policy.idle.map(|span| {
                (
                    self.refresh_token_last_use().saturating_add(span.as_secs()),
                    Basis::Policy,
                    Lapse::Renewable,
                )
            }),
        ];
        // The earliest wins; on a tie, the absolute one, which no refresh
        // can move.
        candidates
            .into_iter()
            .flatten()
            .min_by_key(|(at, _, lapse)| (*at, *lapse == Lapse::Renewable))
            .map_or(Forecast::Unknown, |(at, basis, lapse)| Forecast::Lapses {
                at,
                basis,
                lapse,
            })
    }

    /// The scopes of `asked` the provider did not grant, in `asked`'s
    /// order. A provider that says nothing of scopes granted what was asked
    /// (RFC 6749 §5.1), which the record then holds. Two habits of real
    /// providers are not drift: `offline_access` is granted by the refresh
    /// token it brings, and not always echoed (Microsoft); and a short
    /// scope may come back as its full name (Google's `email` as
    /// `https://www.googleapis.com/auth/userinfo.email`).
    pub fn missing_scopes(&self, asked: &[String]) -> Vec<String> {
        if !self.auth.is_oauth() || self.gap().is_some() {
            return Vec::new();
        }
        asked
            .iter()
            .filter(|scope| !self.grants(scope))
            .cloned()
            .collect()
    }

    /// Whether the record holds `scope`, by name or by a full name that
    /// ends with it.
    fn grants(&self, scope: &str) -> bool {
        if scope == "offline_access" && self.refresh_token.is_some() {
            return true;
        }
        self.scopes.iter().any(|granted| {
            granted == scope
                || (granted.contains("://")
                    && granted
                        .strip_suffix(scope)
                        .is_some_and(|rest| rest.ends_with(['/', '.'])))
        })
    }

    /// The lifecycle state at `now` (unix seconds). A token that expires
    /// within `margin` seconds is due for a refresh when one is possible;
    /// when none is, it stays usable until it actually expires.
    pub fn state(&self, now: u64, margin: u64) -> TokenState {
        if self.needs_authorization {
            return TokenState::NeedsAuthorization;
        }
        // OAuth 1.0a token credentials last until the provider says they
        // are dead (a 401 marks the record).
        if self.auth == AuthKind::Oauth1 {
            return match (&self.access_token, &self.token_secret) {
                (Some(_), Some(_)) => TokenState::Valid { expires_at: None },
                _ => TokenState::NeedsAuthorization,
            };
        }
        if !self.auth.is_oauth() {
            return match self.secret {
                Some(_) => TokenState::Static,
                None => TokenState::NeedsAuthorization,
            };
        }
        let refreshable = self.refreshable();
        if self.access_token.is_none() {
            return if refreshable {
                TokenState::Due
            } else {
                TokenState::NeedsAuthorization
            };
        }
        match self.expires_at {
            None => TokenState::Valid { expires_at: None },
            Some(at) if refreshable && now.saturating_add(margin) >= at => TokenState::Due,
            Some(at) if !refreshable && now >= at => TokenState::Expired,
            Some(at) => TokenState::Valid {
                expires_at: Some(at),
            },
        }
    }
}

/// Why a text is not a record: the kind of fault and where it is. It
/// cannot contain the input: serde_json's own messages quote offending
/// values ("invalid type: string \"…\""), which could be a token, so only
/// its classification and position are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordProblem {
    pub fault: JsonFault,
    /// 1-based.
    pub line: usize,
    /// 1-based.
    pub column: usize,
}

/// What kind of fault made a text not a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonFault {
    /// Reading the text failed.
    Unreadable,
    /// The text is not JSON.
    NotJson,
    /// The JSON stops in the middle.
    EndsEarly,
    /// A field has a value of another type than a record's.
    WrongType,
}

impl RecordProblem {
    fn of(e: &serde_json::Error) -> RecordProblem {
        use serde_json::error::Category;
        RecordProblem {
            fault: match e.classify() {
                Category::Io => JsonFault::Unreadable,
                Category::Syntax => JsonFault::NotJson,
                Category::Eof => JsonFault::EndsEarly,
                Category::Data => JsonFault::WrongType,
            },
            line: e.line(),
            column: e.column(),
        }
    }
}

/// Reads after the text's name: "is not valid JSON (line 1, column 1)".
impl std::fmt::Display for RecordProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.fault {
            JsonFault::Unreadable => "could not be read",
            JsonFault::NotJson => "is not valid JSON",
            JsonFault::EndsEarly => "ends too early",
            JsonFault::WrongType => "has a value of the wrong type",
        };
        write!(f, "{what} (line {}, column {})", self.line, self.column)
    }
}

/// Serde helpers for `Option<Secret>`: the secret is written as a plain
/// string. `Secret` itself stays free of serde so that no other type can
/// serialize one by accident.
mod secret_opt {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::secret::Secret;

    pub fn serialize<S: Serializer>(value: &Option<Secret>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(secret) => s.serialize_some(secret.expose()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
        Ok(Option::<String>::deserialize(d)?.map(Secret::new))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duration::Span;

    fn oauth(access: bool, refresh: bool, expires_at: Option<u64>) -> Record {
        Record {
            service: "gh".into(),
            auth: AuthKind::Oauth2,
            access_token: access.then(|| Secret::new("at-123")),
            refresh_token: refresh.then(|| Secret::new("rt-456")),
            expires_at,
            ..Record::default()
        }
    }

    #[test]
    fn json_round_trip_keeps_every_field() {
        let mut record = oauth(true, true, Some(2_000));
        record.token_type = Some("Bearer".into());
        record.scopes = vec!["repo".into(), "read:org".into()];
        record.obtained_at = 1_000;
        record.refresh_token_issued_at = Some(900);
        record.id_token = Some(Secret::new("id.jwt.sig"));
        record.username = Some("ann".into());
        record.secret = Some(Secret::new("pw"));
        record
            .extras
            .insert("resource".into(), serde_json::json!({"a": 1}));
        record
            .vars
            .insert("api_domain".into(), "eu.example.com".into());
        record.needs_authorization = true;
        record.authorized_at = Some(800);
        record.refresh_token_expires_at = Some(90_000);
        record.refresh_token_used_at = Some(1_000);
        record.notified_lapse_at = Some(90_000);

        let text = record.to_json();
        assert_eq!(Record::from_json(&text).unwrap(), record);
        assert_eq!(
            text,
            r#"{"service":"gh","auth":"oauth2","access_token":"at-123","refresh_token":"rt-456","token_type":"Bearer","expires_at":2000,"scopes":["repo","read:org"],"obtained_at":1000,"refresh_token_issued_at":900,"id_token":"id.jwt.sig","username":"ann","secret":"pw","extras":{"resource":{"a":1}},"vars":{"api_domain":"eu.example.com"},"needs_authorization":true,"authorized_at":800,"refresh_token_expires_at":90000,"refresh_token_used_at":1000,"notified_lapse_at":90000}"#
        );
    }

    #[test]
    fn empty_fields_are_left_out() {
        let text = Record::default().to_json();
        assert_eq!(text, r#"{"service":"","auth":"oauth2","obtained_at":0}"#);
    }

    #[test]
    fn unknown_and_missing_fields_do_not_break_loading() {
        let text = r#"{"service":"gh","auth":"bearer","secret":"s3","from_the_future":[1,2]}"#;
        let record = Record::from_json(text).unwrap();
        assert_eq!(record.auth, AuthKind::Bearer);
        assert_eq!(record.secret.unwrap().expose(), "s3");
        assert_eq!(record.obtained_at, 0);
        assert_eq!(Record::from_json("{}").unwrap(), Record::default());
    }

    #[test]
    fn parse_errors_never_quote_the_text() {
        let wrong_type = r#"{"expires_at": "tok-very-secret"}"#;
        let err = Record::from_json(wrong_type).unwrap_err().to_string();
        assert!(!err.contains("tok-very-secret"), "{err}");
        assert_eq!(
            err,
            "the token record has a value of the wrong type (line 1, column 32)"
        );

        let bad_variant = r#"{"auth": "tok-very-secret"}"#;
        assert_eq!(
            Record::parse(bad_variant).unwrap_err().to_string(),
            "has a value of the wrong type (line 1, column 26)"
        );

        assert_eq!(
            Record::parse("{\"service\": ").unwrap_err().to_string(),
            "ends too early (line 1, column 12)"
        );
        assert_eq!(
            Record::parse("tok-very-secret").unwrap_err().to_string(),
            "is not valid JSON (line 1, column 2)"
        );
    }

    #[test]
    fn debug_output_redacts_secrets() {
        let mut record = oauth(true, true, None);
        record.id_token = Some(Secret::new("id.jwt.sig"));
        record.secret = Some(Secret::new("pw"));
        // Every field shown, so a new one is noticed here; no secret shown.
        assert_eq!(
            format!("{record:?}"),
            "Record { service: \"gh\", auth: Oauth2, access_token: Some((redacted)), \
             refresh_token: Some((redacted)), token_type: None, expires_at: None, scopes: [], \
             obtained_at: 0, refresh_token_issued_at: None, id_token: Some((redacted)), \
             username: None, secret: Some((redacted)), token_secret: None, extras: {}, \
             vars: {}, needs_authorization: false, authorized_at: None, \
             refresh_token_expires_at: None, refresh_token_used_at: None, notified_lapse_at: None }"
        );
    }

    #[test]
    fn state_of_oauth_tokens_follows_the_clock() {
        let margin = 60;
        let record = oauth(true, true, Some(1_000));
        assert_eq!(
            record.state(900, margin),
            TokenState::Valid {
                expires_at: Some(1_000)
            }
        );
        assert_eq!(
            record.state(939, margin),
            TokenState::Valid {
                expires_at: Some(1_000)
            }
        );
        assert_eq!(record.state(940, margin), TokenState::Due);
        assert_eq!(record.state(5_000, margin), TokenState::Due);

        // Without a refresh token, the token is used until it expires.
        let record = oauth(true, false, Some(1_000));
        assert_eq!(
            record.state(950, margin),
            TokenState::Valid {
                expires_at: Some(1_000)
            }
        );
        assert_eq!(record.state(1_000, margin), TokenState::Expired);

        // No expiry known: valid until the server says otherwise.
        let record = oauth(true, true, None);
        assert_eq!(
            record.state(u64::MAX, margin),
            TokenState::Valid { expires_at: None }
        );

        // No margin overflow at the end of time.
        let record = oauth(true, true, Some(u64::MAX));
        assert_eq!(record.state(u64::MAX - 1, margin), TokenState::Due);
    }

    #[test]
    fn state_without_an_access_token() {
        assert_eq!(oauth(false, true, None).state(0, 0), TokenState::Due);
        assert_eq!(
            oauth(false, false, None).state(0, 0),
            TokenState::NeedsAuthorization
        );

        let mut client_credentials = oauth(false, false, None);
        client_credentials.auth = AuthKind::ClientCredentials;
        assert_eq!(client_credentials.state(0, 0), TokenState::Due);
        client_credentials.access_token = Some(Secret::new("at"));
        client_credentials.expires_at = Some(100);
        assert_eq!(client_credentials.state(100, 0), TokenState::Due);
    }

    #[test]
    fn a_record_lacks_a_credential_or_the_time_it_was_obtained() {
        assert_eq!(Record::default().gap(), Some(RecordGap::Credential));
        let mut record = oauth(false, false, Some(1_000));
        record.obtained_at = 900;
        assert_eq!(record.gap(), Some(RecordGap::Credential));
        record.auth = AuthKind::ClientCredentials;
        assert_eq!(record.gap(), Some(RecordGap::Credential));
        for (access, refresh) in [(true, false), (false, true), (true, true)] {
            let mut record = oauth(access, refresh, None);
            assert_eq!(record.gap(), Some(RecordGap::ObtainedAt));
            record.obtained_at = 1;
            assert_eq!(record.gap(), None);
        }
        for auth in [AuthKind::ApiKey, AuthKind::Basic, AuthKind::Bearer] {
            let mut record = Record {
                auth,
                obtained_at: 1,
                access_token: Some(Secret::new("not this kind's")),
                ..Record::default()
            };
            assert_eq!(record.gap(), Some(RecordGap::Credential));
            record.secret = Some(Secret::new("k"));
            assert_eq!(record.gap(), None);
            record.obtained_at = 0;
            assert_eq!(record.gap(), Some(RecordGap::ObtainedAt));
        }
        assert_eq!(RecordGap::Credential.to_string(), "holds no credential");
        assert_eq!(
            RecordGap::ObtainedAt.to_string(),
            "does not say when it was obtained"
        );
    }

    #[test]
    fn oauth1_token_credentials_need_both_halves_and_never_expire() {
        let mut record = Record {
            auth: AuthKind::Oauth1,
            obtained_at: 1,
            access_token: Some(Secret::new("token")),
            ..Record::default()
        };
        assert_eq!(record.gap(), Some(RecordGap::Credential));
        assert_eq!(record.state(0, 0), TokenState::NeedsAuthorization);
        record.token_secret = Some(Secret::new("token secret"));
        assert_eq!(record.gap(), None);
        assert_eq!(
            record.state(u64::MAX, 60),
            TokenState::Valid { expires_at: None }
        );
        assert!(!record.refreshable());
        let text = record.to_json();
        assert_eq!(
            text,
            r#"{"service":"","auth":"oauth1","access_token":"token","obtained_at":1,"token_secret":"token secret"}"#
        );
        assert_eq!(Record::from_json(&text).unwrap(), record);
        assert!(!format!("{record:?}").contains("token secret"));
        record.needs_authorization = true;
        assert_eq!(record.state(0, 0), TokenState::NeedsAuthorization);
    }

    #[test]
    fn refused_refresh_and_static_credentials() {
        let mut record = oauth(true, true, Some(1_000));
        record.needs_authorization = true;
        assert_eq!(record.state(0, 0), TokenState::NeedsAuthorization);

        for auth in [AuthKind::ApiKey, AuthKind::Basic, AuthKind::Bearer] {
            let mut record = Record {
                auth,
                ..Record::default()
            };
            assert_eq!(record.state(0, 0), TokenState::NeedsAuthorization);
            record.secret = Some(Secret::new("k"));
            assert_eq!(record.state(u64::MAX, 60), TokenState::Static);
        }
    }

    fn policy(lifetime: Option<&str>, idle: Option<&str>) -> RefreshPolicy {
        RefreshPolicy {
            lifetime: lifetime.map(|s| Span::parse(s).unwrap()),
            idle: idle.map(|s| Span::parse(s).unwrap()),
        }
    }

    #[test]
    fn the_forecast_takes_the_earliest_known_lapse() {
        const DAY: u64 = 86_400;
        let mut record = oauth(true, true, Some(10 * DAY));
        record.obtained_at = 10 * DAY;
        record.authorized_at = Some(DAY);
        record.refresh_token_issued_at = Some(5 * DAY);
        assert_eq!(record.forecast(policy(None, None)), Forecast::Unknown);
        assert_eq!(
            record.forecast(policy(None, None)).basis(),
            Some(Basis::Unknown)
        );

        // Idle: from the last use, which defaults to the latest of issue
        // and receipt.
        assert_eq!(
            record.forecast(policy(None, Some("90d"))),
            Forecast::Lapses {
                at: 100 * DAY,
                basis: Basis::Policy,
                lapse: Lapse::Renewable
            }
        );
        record.refresh_token_used_at = Some(20 * DAY);
        assert_eq!(
            record.forecast(policy(None, Some("90d"))).at(),
            Some(110 * DAY)
        );

        // Absolute: from the authorization, whatever the refreshes.
        assert_eq!(
            record.forecast(policy(Some("7d"), Some("90d"))),
            Forecast::Lapses {
                at: 8 * DAY,
                basis: Basis::Policy,
                lapse: Lapse::Absolute
            }
        );

        // The provider's word, when it is the earliest.
        record.refresh_token_expires_at = Some(30 * DAY);
        assert_eq!(
            record.forecast(policy(None, Some("90d"))),
            Forecast::Lapses {
                at: 30 * DAY,
                basis: Basis::Provider,
                lapse: Lapse::Renewable
            }
        );
        assert_eq!(
            record.forecast(policy(Some("7d"), None)).basis(),
            Some(Basis::Policy)
        );

        // An old record without `authorized_at` counts from its refresh
        // token's issue.
        record.authorized_at = None;
        assert_eq!(
            record.forecast(policy(Some("7d"), None)).at(),
            Some(12 * DAY)
        );

        record.refresh_token = None;
        assert_eq!(
            record.forecast(policy(Some("7d"), None)),
            Forecast::NoRefreshToken
        );
        assert_eq!(Forecast::NoRefreshToken.basis(), None);
    }

    #[test]
    fn forecasts_read_for_people() {
        let renewable = Forecast::Lapses {
            at: 13 * 86_400,
            basis: Basis::Policy,
            lapse: Lapse::Renewable,
        };
        assert_eq!(renewable.describe(86_400), "lapses in 12d unless used");
        assert_eq!(renewable.describe(14 * 86_400), "lapsed 1d ago");
        let absolute = Forecast::Lapses {
            at: 7_200,
            basis: Basis::Provider,
            lapse: Lapse::Absolute,
        };
        assert_eq!(absolute.describe(0), "lapses in 2h (absolute)");
        assert_eq!(Forecast::Unknown.describe(0), "lapse unknown");
    }

    #[test]
    fn missing_scopes_are_those_asked_and_not_granted() {
        let mut record = oauth(true, true, None);
        record.obtained_at = 1;
        record.scopes = vec!["openid".into(), "read".into()];
        let asked: Vec<String> = ["openid", "read", "write"].map(String::from).to_vec();
        assert_eq!(record.missing_scopes(&asked), ["write"]);
        assert!(record.missing_scopes(&asked[..2]).is_empty());

        // What real providers echo is not drift.
        record.scopes = vec![
            "openid".into(),
            "https://www.googleapis.com/auth/userinfo.email".into(),
            "https://www.googleapis.com/auth/drive.readonly".into(),
        ];
        let asked: Vec<String> = ["openid", "email", "offline_access", "drive"]
            .map(String::from)
            .to_vec();
        assert_eq!(record.missing_scopes(&asked), ["drive"]);
        record.refresh_token = None;
        assert_eq!(record.missing_scopes(&asked), ["offline_access", "drive"]);
        record.auth = AuthKind::ApiKey;
        assert!(record.missing_scopes(&asked).is_empty());
    }
}
