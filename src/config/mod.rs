//! The config file (DESIGN §2): one TOML file, safe to commit to a dotfiles
//! repository because it never holds a secret, only where a secret lives.
//!
//! * [`model`] — the types, one per table, rejecting unknown keys
//! * [`keys`] — the keys of a service, each described once
//! * [`load`] — reading and checking, errors placed at line and column
//! * [`resolve`] — completing a service from its template
//! * [`validate`] — the checks a type cannot express
//! * [`template`] — `{var}` placeholders in URLs, parsed once, filled by slot
//! * [`endpoints`] — a service's endpoints as one connection uses them
//! * [`headers`] — a service's default headers, never a credential
//! * [`hosts`] — host patterns (`allowed_hosts`, `--allow-host`) and loopback
//! * [`edit`] — changes made in place with `toml_edit`, written atomically
//! * [`paths`] — where the config, token and lock files live
//! * [`location`] — turning spans and key paths into `path:line:column`
//! * [`secrets`] — resolving a secret reference to the secret

pub mod edit;
pub mod endpoints;
pub mod headers;
pub mod hosts;
pub mod keys;
pub mod load;
pub mod location;
pub mod model;
pub mod paths;
pub mod resolve;
pub mod secrets;
pub mod template;
pub mod validate;

pub use load::{Loaded, load};
pub use location::Located;
pub use model::RefreshPolicy;
pub use model::{
    AuthKind, ClientAuth, Config, Connection, NextPage, Pagination, SecretRef, Service, StoreChoice,
};
pub use model::{SharedKind, SharedStore};
pub use paths::Paths;

/// The closest of `candidates` to `name`, for "did you mean" hints: a
/// small edit distance (a typo) or a strong prefix likeness.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a String>) -> Option<String> {
    let allowed = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| {
            let distance = strsim::damerau_levenshtein(name, c);
            let likeness = strsim::jaro_winkler(name, c);
            (distance, likeness, c)
        })
        .filter(|(distance, likeness, _)| *distance <= allowed || *likeness > 0.88)
        .min_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)))
        .map(|(_, _, c)| c.clone())
}

#[cfg(test)]
mod tests {
    #[test]
    fn suggests_close_names_only() {
        let names = vec!["mailchimp".to_string(), "github".to_string()];
        assert_eq!(
            super::suggest("mailchmp", &names).as_deref(),
            Some("mailchimp")
        );
        assert_eq!(super::suggest("githb", &names).as_deref(), Some("github"));
        assert_eq!(super::suggest("zzz", &names), None);
        let short = vec!["gh".to_string()];
        assert_eq!(super::suggest("gx", &short).as_deref(), Some("gh"));
    }
}
