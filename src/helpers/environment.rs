//! The environment `tether exec` gives a command: the parent's, less
//! what only tether should see, plus the tokens.
//!
//! Taken away, unless `--keep-env` names them: every
//! `TETHER_CONNECTION_<NAME>` (a whole exported connection, refresh token
//! included) and every variable a secret reference of the config names
//! (`client_secret = { env = "VAR" }`). The tokens are set last, so a
//! token variable always holds the token, whatever the parent had there.

use std::ffi::{OsStr, OsString};

use crate::secret::Secret;
use crate::store::env::PREFIX;

/// What the command's environment is made of.
#[derive(Debug, Default)]
pub struct Plan<'a> {
    /// Variables named by secret references of the config.
    pub secret_vars: Vec<&'a str>,
    /// `--keep-env`: variables passed through even so.
    pub keep: Vec<&'a str>,
    /// Variable ← token.
    pub tokens: Vec<(String, Secret)>,
}

impl Plan<'_> {
    /// Whether the parent's variable `name` is taken away.
    pub fn drops(&self, name: &OsStr) -> bool {
        let Some(name) = name.to_str() else {
            return false;
        };
        if self.keep.contains(&name) {
            return false;
        }
        name.starts_with(PREFIX) || self.secret_vars.contains(&name)
    }

    /// The variables to take away from `parent`, then to set, in order.
    pub fn apply(
        &self,
        parent: impl IntoIterator<Item = (OsString, OsString)>,
    ) -> (Vec<OsString>, Vec<(&str, &str)>) {
        let removed = parent
            .into_iter()
            .map(|(name, _)| name)
            .filter(|name| self.drops(name))
            .collect();
        let set = self
            .tokens
            .iter()
            .map(|(name, token)| (name.as_str(), token.expose()))
            .collect();
        (removed, set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(pairs: &[(&str, &str)]) -> Vec<(OsString, OsString)> {
        pairs
            .iter()
            .map(|(k, v)| (OsString::from(k), OsString::from(v)))
            .collect()
    }

    #[test]
    fn exported_connections_and_secret_references_are_dropped() {
        let plan = Plan {
            secret_vars: vec!["GH_CLIENT_SECRET", "KEEP_ME"],
            keep: vec!["KEEP_ME", "TETHER_CONNECTION_CI"],
            tokens: vec![("GITHUB_TOKEN".into(), Secret::new("t"))],
        };
        let (removed, set) = plan.apply(os(&[
            ("PATH", "/bin"),
            ("TETHER_CONNECTION_GH", "tether1.x"),
            ("TETHER_CONNECTION_CI", "tether1.y"),
            ("GH_CLIENT_SECRET", "s"),
            ("KEEP_ME", "k"),
            ("TETHER_CONFIG", "/c"),
        ]));
        assert_eq!(removed, ["TETHER_CONNECTION_GH", "GH_CLIENT_SECRET"]);
        assert_eq!(set, [("GITHUB_TOKEN", "t")]);
    }
}
