//! A service's endpoints as one connection uses them.
//!
//! The endpoints of a service (`authorize_url`, `token_url`, `refresh_url`,
//! `revoke_url`, `device_authorization_url`, `metadata_url`, and OAuth
//! 1.0a's `request_token_url` and `access_token_url`) may hold
//! `{var}` placeholders, so that one service serves many tenants, data
//! centres or shops. They are filled where they are used, never when the
//! config is loaded, from three layers, the first that has a name winning:
//!
//! 1. the connection's `vars` (`tether connect NAME --var shop=acme`);
//! 2. the vars the provider told this connection: values of the redirect
//!    the service names in `redirect_vars` (Zoho's `accounts-server`), and
//!    the fields of earlier token answers;
//! 3. the service's own `vars`.
//!
//! A value of the second layer comes from the provider, not from the
//! user: when it fills an endpoint, the client credentials, the code and
//! the tokens would follow it. So an endpoint filled with such a value must
//! stay on a host the service lists in `token_hosts` ([`HostPattern`]
//! syntax), or the connection refuses to use it. And whatever filled it,
//! an endpoint is https, or plain http to a loopback host (RFC 8252 §8.3),
//! as the config check asks of the endpoints as written
//! ([`Error::EndpointRefused`]).
//!
//! [`Service::for_connection`] is the one place that fills them; every
//! caller that talks to an endpoint goes through it.

use url::Url;

use super::hosts::{HostPattern, is_loopback};
use super::model::Service;
use super::template::{UrlTemplate, Vars, is_var_name};
use super::validate::Problem;
use crate::error::EndpointRefusal;
use crate::{Error, Result};

impl Service {
    /// This service as the connection whose vars are `connection` uses it,
    /// once the provider has told it `learnt`: every endpoint filled.
    /// `name` is the service's, for errors.
    pub fn for_connection(&self, name: &str, connection: &Vars, learnt: &Vars) -> Result<Service> {
        let mut service = self.clone();
        let layers = [connection, learnt, &self.vars];
        for endpoint in service.endpoints_mut() {
            let Some(text) = endpoint else { continue };
            let template = UrlTemplate::url(text);
            let filled = template.fill(&layers)?;
            let url = self.check_scheme(name, &filled)?;
            if let Some(var) = template
                .placeholders()
                .into_iter()
                .find(|var| !connection.contains_key(*var) && learnt.contains_key(*var))
            {
                self.check_token_host(name, var, &url)?;
            }
            *text = filled;
        }
        Ok(service)
    }

    /// The service as `service show` prints it: its endpoints with its own
    /// vars filled in, the placeholders only a connection can fill kept.
    pub fn with_own_vars(&self) -> Service {
        let mut service = self.clone();
        for endpoint in service.endpoints_mut() {
            if let Some(text) = endpoint
                && let Ok(filled) = UrlTemplate::url(text).fill_known(&[&self.vars])
            {
                *text = filled;
            }
        }
        service
    }

    /// The filled endpoint `text` as a URL: https, or http to a loopback
    /// host.
    fn check_scheme(&self, name: &str, text: &str) -> Result<Url> {
        let refused = |host: String, why| Error::EndpointRefused {
            service: name.to_string(),
            host,
            why,
        };
        let url =
            Url::parse(text).map_err(|_| refused(text.to_string(), EndpointRefusal::NotHttp))?;
        let host = || HostPattern::exact_for(&url).unwrap_or_else(|| text.to_string());
        match url.scheme() {
            "https" => Ok(url),
            "http" if is_loopback(&url) => Ok(url),
            "http" => Err(refused(host(), EndpointRefusal::PlainHttp)),
            _ => Err(refused(host(), EndpointRefusal::NotHttp)),
        }
    }

    /// Refuses an endpoint that a value learnt from the provider (`var`)
    /// moved to a host `token_hosts` does not list.
    fn check_token_host(&self, name: &str, var: &str, url: &Url) -> Result<()> {
        let listed = self.token_hosts.iter().any(|pattern| {
            HostPattern::parse(pattern).is_ok_and(|pattern| {
                url.host()
                    .is_some_and(|host| pattern.matches_host(&host) && pattern.matches_port(url))
            })
        });
        if listed {
            return Ok(());
        }
        Err(Error::EndpointRefused {
            service: name.to_string(),
            host: HostPattern::exact_for(url).unwrap_or_else(|| url.to_string()),
            why: EndpointRefusal::UnlistedTokenHost {
                var: var.to_string(),
            },
        })
    }

    fn endpoints_mut(&mut self) -> [&mut Option<String>; 8] {
        [
            &mut self.request_token_url,
            &mut self.authorize_url,
            &mut self.access_token_url,
            &mut self.token_url,
            &mut self.refresh_url,
            &mut self.revoke_url,
            &mut self.device_authorization_url,
            &mut self.metadata_url,
        ]
    }
}

/// Checks the keys that steer endpoints with what the provider says:
/// `redirect_vars` names vars and parameters, `token_hosts` holds host
/// patterns.
pub fn check_endpoint_keys(name: &str, service: &Service) -> std::result::Result<(), Problem> {
    let at = |key: &[&str], message: String| Problem {
        key: ["services", name]
            .iter()
            .chain(key)
            .map(|k| (*k).to_string())
            .collect(),
        message,
        hint: None,
    };
    for (var, param) in &service.redirect_vars {
        if !is_var_name(var) {
            return Err(at(
                &["redirect_vars", var],
                format!("`{var}` is not a variable name (letters, digits and `_`)"),
            ));
        }
        if param.is_empty() || matches!(param.as_str(), "code" | "state") {
            return Err(at(
                &["redirect_vars", var],
                format!("{param:?} is not a parameter of the redirect to keep"),
            ));
        }
    }
    for pattern in &service.token_hosts {
        HostPattern::parse(pattern).map_err(|e| at(&["token_hosts"], e.to_string()))?;
    }
    Ok(())
}

/// Checks, when the config is loaded, that each of the service's own vars
/// fits every place it fills in its endpoints (a host var is a host name),
/// so that a bad value is reported at its line in the file. The endpoints
/// stay as written.
pub fn check_service_vars(name: &str, service: &Service) -> std::result::Result<(), Problem> {
    let mut service = service.clone();
    let vars = service.vars.clone();
    for endpoint in service.endpoints_mut() {
        let Some(text) = endpoint else { continue };
        UrlTemplate::url(text)
            .fill_known(&[&vars])
            .map_err(|err| match &err {
                Error::InvalidVarValue { name: var, .. } => Problem {
                    key: vec!["services".into(), name.into(), "vars".into(), var.clone()],
                    message: err.to_string(),
                    hint: err.hint(),
                },
                _ => Problem {
                    key: vec!["services".into(), name.into(), "vars".into()],
                    message: err.to_string(),
                    hint: err.hint(),
                },
            })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vars {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    fn tenanted() -> Service {
        Service {
            authorize_url: Some("https://login.example.com/{tenant}/oauth2/v2.0/authorize".into()),
            token_url: Some("https://login.example.com/{tenant}/oauth2/v2.0/token".into()),
            vars: vars(&[("tenant", "common")]),
            ..Service::default()
        }
    }

    #[test]
    fn the_connection_s_vars_come_before_the_service_s() {
        let service = tenanted();
        let own = service
            .for_connection("ms", &Vars::new(), &Vars::new())
            .unwrap();
        assert_eq!(
            own.token_url.as_deref(),
            Some("https://login.example.com/common/oauth2/v2.0/token")
        );
        let contoso = service
            .for_connection("ms", &vars(&[("tenant", "contoso")]), &Vars::new())
            .unwrap();
        assert_eq!(
            contoso.authorize_url.as_deref(),
            Some("https://login.example.com/contoso/oauth2/v2.0/authorize")
        );
        assert_eq!(
            contoso.token_url.as_deref(),
            Some("https://login.example.com/contoso/oauth2/v2.0/token")
        );
        assert_eq!(
            service.token_url.as_deref(),
            Some("https://login.example.com/{tenant}/oauth2/v2.0/token"),
            "the service itself keeps its placeholders"
        );
    }

    #[test]
    fn a_path_value_is_encoded_and_an_unfilled_one_is_named() {
        let service = tenanted();
        let odd = service
            .for_connection("ms", &vars(&[("tenant", "a/b")]), &Vars::new())
            .unwrap();
        assert_eq!(
            odd.token_url.as_deref(),
            Some("https://login.example.com/a%2Fb/oauth2/v2.0/token")
        );
        let shop = Service {
            token_url: Some("https://{shop}.myshop.example/admin/oauth/access_token".into()),
            ..Service::default()
        };
        let err = shop
            .for_connection("s", &Vars::new(), &Vars::new())
            .unwrap_err();
        assert!(matches!(
            &err,
            Error::UnfilledPlaceholders { names, .. } if names == &["shop"]
        ));
        assert_eq!(
            err.hint().as_deref(),
            Some("pass `--var shop=…`, or set it in the connection's `vars`")
        );
    }

    fn zoho_like() -> Service {
        Service {
            authorize_url: Some("https://accounts.zoho.com/oauth/v2/auth".into()),
            token_url: Some("{accounts_server}/oauth/v2/token".into()),
            vars: vars(&[("accounts_server", "https://accounts.zoho.com")]),
            token_hosts: vec!["accounts.zoho.com".into(), "accounts.zoho.eu".into()],
            ..Service::default()
        }
    }

    #[test]
    fn a_learnt_host_must_be_a_listed_token_host() {
        let service = zoho_like();
        let eu = vars(&[("accounts_server", "https://accounts.zoho.eu")]);
        let resolved = service.for_connection("z", &Vars::new(), &eu).unwrap();
        assert_eq!(
            resolved.token_url.as_deref(),
            Some("https://accounts.zoho.eu/oauth/v2/token")
        );

        let evil = vars(&[("accounts_server", "https://accounts.evil.example")]);
        let err = service
            .for_connection("z", &Vars::new(), &evil)
            .unwrap_err();
        assert!(matches!(
            &err,
            Error::EndpointRefused { service, host, why: EndpointRefusal::UnlistedTokenHost { var } }
                if service == "z" && var == "accounts_server" && host == "accounts.evil.example"
        ));
        assert_eq!(err.exit_code(), crate::exit::USAGE);

        // The user's own value is trusted: they typed it.
        let own = vars(&[("accounts_server", "https://accounts.evil.example")]);
        assert!(service.for_connection("z", &own, &evil).is_ok());
        // A port counts: a listed host on another port is another host.
        let port = vars(&[("accounts_server", "https://accounts.zoho.eu:8443")]);
        assert!(service.for_connection("z", &Vars::new(), &port).is_err());
    }

    #[test]
    fn a_filled_endpoint_is_https_or_loopback_http() {
        let shop = Service {
            token_url: Some("{shop}/admin/oauth/access_token".into()),
            ..Service::default()
        };
        let fill = |origin: &str| {
            shop.for_connection("s", &vars(&[("shop", origin)]), &Vars::new())
                .map(|s| s.token_url.unwrap())
        };
        assert_eq!(
            fill("https://acme.example").unwrap(),
            "https://acme.example/admin/oauth/access_token"
        );
        assert_eq!(
            fill("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080/admin/oauth/access_token"
        );
        let err = fill("http://acme.example").unwrap_err();
        assert!(matches!(
            &err,
            Error::EndpointRefused { host, why: EndpointRefusal::PlainHttp, .. } if host == "acme.example"
        ));
    }

    #[test]
    fn redirect_vars_and_token_hosts_are_checked() {
        let mut service = zoho_like();
        service
            .redirect_vars
            .insert("accounts_server".into(), "accounts-server".into());
        assert!(check_endpoint_keys("z", &service).is_ok());
        service.redirect_vars.insert("bad-name".into(), "x".into());
        let problem = check_endpoint_keys("z", &service).unwrap_err();
        assert_eq!(problem.key, ["services", "z", "redirect_vars", "bad-name"]);
        service.redirect_vars.remove("bad-name");
        service.redirect_vars.insert("c".into(), "code".into());
        let problem = check_endpoint_keys("z", &service).unwrap_err();
        assert_eq!(
            problem.message,
            "\"code\" is not a parameter of the redirect to keep"
        );
        service.redirect_vars.remove("c");
        service.token_hosts.push("a b".into());
        let problem = check_endpoint_keys("z", &service).unwrap_err();
        assert_eq!(problem.key, ["services", "z", "token_hosts"]);
    }

    #[test]
    fn show_fills_only_the_service_s_own_vars() {
        let service = Service {
            authorize_url: Some("https://{shop}.example/{version}/authorize".into()),
            vars: vars(&[("version", "v2")]),
            ..Service::default()
        };
        assert_eq!(
            service.with_own_vars().authorize_url.as_deref(),
            Some("https://{shop}.example/v2/authorize")
        );
    }

    #[test]
    fn a_service_var_unfit_for_its_place_is_a_problem_at_load() {
        let service = Service {
            token_url: Some("https://{host}/oauth/token".into()),
            vars: vars(&[("host", "evil.example/x")]),
            ..Service::default()
        };
        let problem = check_service_vars("gl", &service).unwrap_err();
        assert_eq!(problem.key, ["services", "gl", "vars", "host"]);
        assert_eq!(
            problem.message,
            "the value of `host` is not a host name, optionally with `:port`"
        );
        assert!(check_service_vars("ms", &tenanted()).is_ok());
    }
}
