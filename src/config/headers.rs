//! A service's `default_headers`: headers sent on every `invoke` of the
//! service (Notion's `Notion-Version`, GitHub's `X-GitHub-Api-Version`).
//!
//! They are defaults in the HTTPie sense: a header item of the call
//! replaces one of the same name (compared without case) and `Name:`
//! removes it. They are never a credential: a header tether treats as
//! secret ([`is_secret_header`], plus the service's `api_key_header` and
//! `token_header`) is refused when the config is loaded, because a
//! dotfile-safe config holds no secret and a credential comes from
//! `tether connect`.

use super::model::Service;
use super::validate::Problem;
use crate::secret::is_secret_header;

/// Checks the default headers of service `name`: each a valid header name
/// and value, none a credential.
pub fn check_default_headers(name: &str, service: &Service) -> Result<(), Problem> {
    let at = |header: &str, message: String, hint: Option<String>| Problem {
        key: vec![
            "services".into(),
            name.into(),
            "default_headers".into(),
            header.into(),
        ],
        message,
        hint,
    };
    let own: Vec<&str> = [&service.api_key_header, &service.token_header]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    for (header, value) in &service.default_headers {
        if http::HeaderName::from_bytes(header.as_bytes()).is_err() {
            return Err(at(header, format!("{header:?} is not a header name"), None));
        }
        if http::HeaderValue::from_str(value).is_err() {
            return Err(at(
                header,
                format!("the value of `{header}` is not a header value"),
                None,
            ));
        }
        if is_secret_header(header, &own) {
            return Err(at(
                header,
                format!("`{header}` carries a credential, which a default header may not"),
                Some(
                    "credentials come from `tether connect`; remove it from default_headers".into(),
                ),
            ));
        }
    }
    Ok(())
}

/// The headers a request starts from before its header items: `first`
/// (the body's `Content-Type` and `Accept`), then the service's default
/// headers in name order, each replacing one of `first` of the same name.
pub fn defaults<'a>(first: &[(&'a str, &'a str)], service: &'a Service) -> Vec<(&'a str, &'a str)> {
    let mut out = first.to_vec();
    for (name, value) in &service.default_headers {
        out.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        out.push((name, value));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(headers: &[(&str, &str)]) -> Service {
        Service {
            default_headers: headers
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect(),
            ..Service::default()
        }
    }

    #[test]
    fn version_headers_pass_and_credentials_do_not() {
        assert!(check_default_headers("n", &with(&[("Notion-Version", "2026-03-11")])).is_ok());
        for header in [
            "Authorization",
            "cookie",
            "X-API-Key",
            "Proxy-Authorization",
        ] {
            let problem = check_default_headers("n", &with(&[(header, "x")])).unwrap_err();
            assert_eq!(problem.key, ["services", "n", "default_headers", header]);
            assert_eq!(
                problem.message,
                format!("`{header}` carries a credential, which a default header may not")
            );
        }
        let mut keyed = with(&[("X-Goog-Api-Key", "k")]);
        keyed.api_key_header = Some("x-goog-api-key".into());
        assert!(
            check_default_headers("g", &keyed).is_err(),
            "the service's own key header"
        );
        let mut shop = with(&[("X-Shopify-Access-Token", "t")]);
        shop.token_header = Some("X-Shopify-Access-Token".into());
        assert!(
            check_default_headers("s", &shop).is_err(),
            "the token header"
        );
    }

    #[test]
    fn names_and_values_must_be_http() {
        let problem = check_default_headers("n", &with(&[("Bad Name", "x")])).unwrap_err();
        assert_eq!(problem.message, "\"Bad Name\" is not a header name");
        let problem = check_default_headers("n", &with(&[("X-A", "line\nbreak")])).unwrap_err();
        assert_eq!(problem.message, "the value of `X-A` is not a header value");
    }

    #[test]
    fn the_service_s_defaults_follow_the_body_s_and_replace_them() {
        let service = with(&[
            ("X-B", "2"),
            ("accept", "application/vnd.x+json"),
            ("X-A", "1"),
        ]);
        let body = [("Content-Type", "application/json"), ("Accept", "*/*")];
        assert_eq!(
            defaults(&body, &service),
            [
                ("Content-Type", "application/json"),
                ("X-A", "1"),
                ("X-B", "2"),
                ("accept", "application/vnd.x+json"),
            ]
        );
        assert_eq!(defaults(&[], &Service::default()), []);
    }
}
