//! The config file (DESIGN §2): one TOML file, safe to commit to a dotfiles
//! repository because it never holds a secret, only where a secret lives.
//!
//! * [`model`] — the types, one per table, rejecting unknown keys
//! * [`load`] — reading and checking, errors placed at line and column
//! * [`validate`] — the checks a type cannot express
//! * [`edit`] — changes made in place with `toml_edit`, written atomically
//! * [`paths`] — where the config, token and lock files live
//! * [`location`] — turning spans and key paths into `path:line:column`
//! * [`secrets`] — resolving a secret reference to the secret

pub mod edit;
pub mod load;
pub mod location;
pub mod model;
pub mod paths;
pub mod secrets;
pub mod validate;

pub use load::{Loaded, load};
pub use location::Located;
pub use model::{AuthKind, ClientAuth, Config, Connection, SecretRef, Service, StoreChoice};
pub use paths::Paths;

/// The closest of `candidates` to `name`, for "did you mean" hints.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a String>) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.clone())
}

#[cfg(test)]
mod tests {
    #[test]
    fn suggests_close_names_only() {
        let names = vec!["mailchimp".to_string(), "github".to_string()];
        assert_eq!(super::suggest("mailchmp", &names).as_deref(), Some("mailchimp"));
        assert_eq!(super::suggest("zzz", &names), None);
    }
}
