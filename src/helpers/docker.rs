//! docker's credential-helper protocol (the `docker-credential-helpers`
//! programs): docker runs `docker-credential-NAME ACTION` and talks JSON.
//!
//! * `get`: the registry's server URL on stdin (`us-docker.pkg.dev`,
//!   `https://index.docker.io/v1/`); stdout `{"ServerURL", "Username",
//!   "Secret"}`. A registry the helper knows nothing about is the line
//!   [`NOT_FOUND`] on stdout with a non-zero exit: docker compares that
//!   text to tell "no credentials" from a failure.
//! * `list`: `{"SERVER_URL": "USERNAME", …}`.
//! * `store` (JSON on stdin) and `erase` (a server URL): tether keeps no
//!   docker credentials of its own, so it refuses both.
//!
//! Errors go to stdout as one line, which is where docker reads them.

use std::collections::BTreeMap;

use serde_json::json;
use url::Url;

/// What docker prints for "no credentials for this registry", compared
/// by docker as text.
pub const NOT_FOUND: &str = "credentials not found in native keychain";

/// What docker asks of the helper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Get,
    List,
    Store,
    Erase,
    Version,
}

impl Action {
    pub fn parse(word: &str) -> Option<Action> {
        Some(match word {
            "get" => Action::Get,
            "list" => Action::List,
            "store" => Action::Store,
            "erase" => Action::Erase,
            "version" => Action::Version,
            _ => return None,
        })
    }
}

/// The registry a server URL names, as a URL to match hosts against: a
/// bare `host[:port][/path]` is taken as https. `None` when it names no
/// host.
pub fn registry(server_url: &str) -> Option<Url> {
    let text = server_url.trim();
    let url = if text.contains("://") {
        Url::parse(text).ok()?
    } else {
        Url::parse(&format!("https://{text}")).ok()?
    };
    url.host_str().filter(|h| !h.is_empty())?;
    Some(url)
}

/// The answer to `get`, with a final newline.
pub fn credentials(server_url: &str, username: &str, secret: &str) -> String {
    let answer = json!({
        "ServerURL": server_url.trim(),
        "Username": username,
        "Secret": secret,
    });
    format!("{answer}\n")
}

/// The answer to `list`, with a final newline.
pub fn listing(entries: &BTreeMap<String, String>) -> String {
    format!("{}\n", json!(entries))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registry_is_a_host_or_a_url() {
        let url = registry("us-docker.pkg.dev\n").unwrap();
        assert_eq!(url.scheme(), "https");
        assert_eq!(url.host_str(), Some("us-docker.pkg.dev"));
        let hub = registry("https://index.docker.io/v1/").unwrap();
        assert_eq!(hub.host_str(), Some("index.docker.io"));
        let local = registry("localhost:5000").unwrap();
        assert_eq!(local.port(), Some(5000));
        assert_eq!(registry(""), None);
        assert_eq!(registry("https://"), None);
    }

    #[test]
    fn get_and_list_answers() {
        assert_eq!(
            credentials("us-docker.pkg.dev\n", "oauth2accesstoken", "ya29.t"),
            "{\"ServerURL\":\"us-docker.pkg.dev\",\"Username\":\"oauth2accesstoken\",\"Secret\":\"ya29.t\"}\n"
        );
        let entries = BTreeMap::from([("ghcr.io".to_string(), "x".to_string())]);
        assert_eq!(listing(&entries), "{\"ghcr.io\":\"x\"}\n");
        assert_eq!(listing(&BTreeMap::new()), "{}\n");
    }

    #[test]
    fn actions() {
        assert_eq!(Action::parse("get"), Some(Action::Get));
        assert_eq!(Action::parse("lst"), None);
    }
}
