//! Telling someone that a connection needs its user: the
//! `on_needs_authorization` command (a service's, else the config's).
//!
//! It runs once per event — when a refresh is refused and the record is
//! marked "needs authorization" (a marked record is never refreshed again,
//! so the mark happens once), or when `keepalive` finds a lapse that no
//! refresh can move inside its window (the record remembers the lapse it
//! told about). It receives one JSON object on stdin ([`Attention`]) and
//! never a token; its stdout goes to tether's stderr so that it never mixes
//! with what tether prints. A hook that fails is a warning: the event it
//! reports has already happened.

use serde::Serialize;

use crate::ui;

/// What happened to a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// The provider refused a refresh: only `connect` mends it.
    NeedsAuthorization,
    /// The refresh token lapses soon and no refresh can prevent it.
    Lapsing,
}

/// The JSON a hook reads on stdin.
#[derive(Debug, Clone, Serialize)]
pub struct Attention {
    pub event: Event,
    pub connection: String,
    pub service: String,
    /// Why, in words: the error or the forecast.
    pub reason: String,
    /// When the refresh token lapses (unix seconds), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_expires_at: Option<u64>,
    /// The same as RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_expires: Option<String>,
    /// The command that mends it.
    pub run: String,
}

impl Attention {
    pub fn new(event: Event, connection: &str, service: &str, reason: String) -> Attention {
        Attention {
            event,
            connection: connection.to_string(),
            service: service.to_string(),
            reason,
            refresh_expires_at: None,
            refresh_expires: None,
            run: format!("tether connect {}", crate::http::curl::quote(connection)),
        }
    }

    /// With the lapse at `at`.
    pub fn lapsing_at(mut self, at: u64) -> Attention {
        self.refresh_expires_at = Some(at);
        self.refresh_expires = Some(ui::rfc3339(at));
        self
    }
}

/// What became of a hook run.
#[derive(Debug)]
pub enum Told {
    /// The command ran and succeeded.
    Told,
    /// There is no command to run.
    NoHook,
    /// The command failed or could not be run: the warning says which.
    Failed(String),
}

/// Runs `hook` (an argv) with `attention` as JSON on stdin, and warns
/// when it fails.
pub fn tell(hook: Option<&[String]>, attention: &Attention) -> Told {
    let Some((program, args)) = hook.and_then(<[String]>::split_first) else {
        return Told::NoHook;
    };
    // A struct of strings and numbers always serializes.
    let json = serde_json::to_string(attention).unwrap_or_default();
    let result = crate::hook::run(program, args, json.as_bytes());
    let connection = &attention.connection;
    let told = match result {
        Ok(status) if status.success() => Told::Told,
        Ok(status) => Told::Failed(format!(
            "the on_needs_authorization hook of `{connection}` failed ({status})"
        )),
        Err(error) => Told::Failed(format!(
            "could not run the on_needs_authorization hook of `{connection}` (`{program}`: {error})"
        )),
    };
    if let Told::Failed(warning) = &told {
        ui::warn(warning);
    }
    told
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_description_names_the_connection_and_no_token() {
        let attention = Attention::new(
            Event::Lapsing,
            "gh work",
            "github",
            "lapses in 3d (absolute)".into(),
        )
        .lapsing_at(86_400);
        assert_eq!(
            serde_json::to_value(&attention).unwrap(),
            serde_json::json!({
                "event": "lapsing",
                "connection": "gh work",
                "service": "github",
                "reason": "lapses in 3d (absolute)",
                "refresh_expires_at": 86_400,
                "refresh_expires": "1970-01-02T00:00:00Z",
                "run": "tether connect 'gh work'",
            })
        );
    }

    #[test]
    fn no_hook_and_a_failing_hook() {
        let attention = Attention::new(Event::NeedsAuthorization, "c", "s", "refused".into());
        assert!(matches!(tell(None, &attention), Told::NoHook));
        assert!(matches!(tell(Some(&[]), &attention), Told::NoHook));
        let missing = ["/nonexistent/hook".to_string()];
        assert!(matches!(tell(Some(&missing), &attention), Told::Failed(_)));
    }
}
