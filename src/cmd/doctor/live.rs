//! `doctor NAME`: one connection checked against its provider, live; and
//! the connections `doctor` lists as needing attention soon.
//!
//! Each check is a line. What the provider's discovery document says is
//! compared with the service ([`discovery`] decides the defaults of what
//! a document leaves out); a service whose provider has no document skips
//! those checks. No token goes anywhere but to the token endpoint (with
//! `--refresh`) and to the userinfo and introspection endpoints (RFC 7662)
//! the document names, when they are on the host of the service's own
//! endpoints. Introspection says what the record cannot: whether the
//! provider still holds the access token active, and which scopes it
//! carries.

use crate::cmd::Ctx;
use crate::cmd::connection::{Status, forecast_of, status_of};
use crate::config::{AuthKind, Connection, Service};
use crate::duration::Span;
use crate::oauth::discovery::{self, Metadata};
use crate::oauth::refresh::Reason;
use crate::oauth::token::{self, Endpoint};
use crate::store::record::{Forecast, Lapse, Record};
use crate::{Error, Result, ui};

use super::Check;

/// How far apart this machine's clock and the provider's may be. Tokens
/// are checked against the clock at both ends; a minute covers the
/// one-second grain of `Date` and a slow answer, and is within every
/// provider's leeway (oidc-provider's is 15 s for what it checks itself,
/// most allow a few minutes).
const MAX_SKEW: u64 = 60;

/// How soon a lapse must come for `doctor` to mention it.
const SOON: Span = Span::from_days(14);

pub(super) fn checks(name: &str, refresh: bool, ctx: &Ctx) -> Result<Vec<Check>> {
    let connection = ctx.connection(name)?;
    let service_name = connection.service.as_str();
    let service = ctx.service(service_name)?;
    let mut checks = Vec::new();
    let record = match ctx.store()?.load(name) {
        Ok(record) => record,
        Err(e) => {
            checks.push(failed("token", &e));
            None
        }
    };
    let learnt = record.as_ref().map(|r| r.vars.clone()).unwrap_or_default();
    let endpoints = match service.for_connection(service_name, &connection.vars, &learnt) {
        Ok(endpoints) => endpoints,
        Err(e) => {
            checks.push(failed("service", &e));
            return Ok(checks);
        }
    };
    checks.push(Check::pass(
        "service",
        format!(
            "`{service_name}` ({}){}",
            endpoints.auth,
            endpoints
                .token_url
                .as_deref()
                .map(|url| format!(", token endpoint {url}"))
                .unwrap_or_default()
        ),
    ));
    let mut metadata = None;
    if endpoints.auth.is_oauth() {
        let net = ctx.net_for(service);
        let has_refresh = record.as_ref().is_some_and(|r| r.refresh_token.is_some());
        match discovered(net, &endpoints) {
            Ok(Some(found)) => {
                checks.push(Check::pass(
                    "discovery",
                    format!("the provider's document, issuer {}", found.issuer),
                ));
                checks.extend(against(service_name, &endpoints, &found, has_refresh));
                metadata = Some(found);
            }
            Ok(None) => checks.push(Check::pass(
                "discovery",
                "the provider publishes no discovery document: its checks are skipped".into(),
            )),
            Err(e) => checks.push(failed("discovery", &e)),
        }
        if endpoints.auth == AuthKind::Oauth2 {
            checks.push(redirect(service_name, &endpoints));
        }
        if let Some(url) = endpoints.token_url.as_deref() {
            checks.push(clock(net, url));
        }
    }
    let Some(record) = record else {
        checks.push(Check::fail(
            "token",
            format!("`{name}` is not connected"),
            Some(format!("run `tether connect {name}`")),
        ));
        return Ok(checks);
    };
    checks.extend(tokens(name, connection, ctx, &record));
    let mut record = record;
    if refresh {
        let check = renew(name, ctx, &record);
        if check.ok
            && let Some(fresh) = ctx.store()?.load(name)?
        {
            record = fresh;
        }
        checks.push(check);
    }
    if let Some(url) = metadata
        .as_ref()
        .and_then(|m| m.userinfo_endpoint.as_deref())
    {
        checks.push(userinfo(ctx, service, &endpoints, url, &record));
    }
    if let Some(url) = metadata
        .as_ref()
        .and_then(|m| m.introspection_endpoint.as_deref())
    {
        let asked = ctx.config()?.scopes_of(connection);
        let at = Introspect {
            name,
            service_name,
            service,
            endpoints: &endpoints,
            url,
        };
        checks.push(introspection(ctx, &at, &record, asked));
    }
    Ok(checks)
}

fn failed(name: &'static str, e: &Error) -> Check {
    Check::fail(name, e.to_string(), e.hint())
}

/// The provider's discovery document, found from the service's endpoints.
fn discovered(net: &crate::http::client::Net, service: &Service) -> Result<Option<Metadata>> {
    let guesses = discovery::issuer_guesses(&[
        service.authorize_url.as_deref(),
        service.token_url.as_deref(),
        service.device_authorization_url.as_deref(),
    ]);
    discovery::find(net, &guesses)
}

/// The service against the document: endpoints, PKCE, grant types and
/// client authentication.
fn against(name: &str, service: &Service, doc: &Metadata, has_refresh: bool) -> Vec<Check> {
    let mut checks = Vec::new();
    let pairs = [
        (
            "authorize_url",
            service.authorize_url.as_deref(),
            doc.authorization_endpoint.as_deref(),
        ),
        (
            "token_url",
            service.token_url.as_deref(),
            doc.token_endpoint.as_deref(),
        ),
        (
            "device_authorization_url",
            service.device_authorization_url.as_deref(),
            doc.device_authorization_endpoint.as_deref(),
        ),
    ];
    let differ: Vec<String> = pairs
        .iter()
        .filter_map(|(key, ours, theirs)| match (ours, theirs) {
            (Some(ours), Some(theirs))
                if ours.trim_end_matches('/') != theirs.trim_end_matches('/') =>
            {
                Some(format!("`{key}` is {ours}, the provider says {theirs}"))
            }
            _ => None,
        })
        .collect();
    checks.push(match differ.is_empty() {
        true => Check::pass("endpoints", "as the provider publishes them".into()),
        false => Check::fail(
            "endpoints",
            differ.join("; "),
            Some(format!(
                "correct them with `tether service edit {name} --token-url URL …`"
            )),
        ),
    });
    if service.auth == AuthKind::Oauth2 && service.pkce() {
        checks.push(match &doc.code_challenge_methods_supported {
            Some(methods) if !methods.iter().any(|m| m == "S256") => Check::fail(
                "pkce",
                format!("the provider lists {} but not S256", methods.join(", ")),
                Some(format!(
                    "if it takes no PKCE, `tether service edit {name} --pkce false`"
                )),
            ),
            Some(_) => Check::pass("pkce", "S256, which the provider lists".into()),
            None => Check::pass("pkce", "S256; the provider lists no methods".into()),
        });
    }
    let supported = doc.grant_types();
    let missing: Vec<&str> = discovery::grants_used(service.auth, has_refresh)
        .into_iter()
        .filter(|g| !supported.contains(g))
        .collect();
    checks.push(match missing.is_empty() {
        true => Check::pass(
            "grant types",
            format!("the provider lists {}", supported.join(", ")),
        ),
        false => Check::fail(
            "grant types",
            format!(
                "the provider does not list {} (it lists {})",
                missing.join(", "),
                supported.join(", ")
            ),
            None,
        ),
    });
    let has_secret = service.client_secret.is_some();
    let method = discovery::auth_method(service.client_auth().presentation(has_secret), has_secret);
    let methods = doc.token_auth_methods();
    checks.push(match methods.contains(&method) {
        true => Check::pass(
            "client auth",
            format!("{method} (`client_auth = \"{}\"`), which the provider lists", service.client_auth().as_str()),
        ),
        false => Check::fail(
            "client auth",
            format!(
                "the service authenticates with {method} (`client_auth = \"{}\"`), which the provider does not list (it lists {})",
                service.client_auth().as_str(),
                methods.join(", ")
            ),
            Some(match methods.iter().find_map(|m| client_auth_for(m, has_secret)) {
                Some(value) => format!("`tether service edit {name} --client-auth {value}`"),
                None => "the provider wants a client authentication tether does not make".into(),
            }),
        ),
    });
    checks
}

/// The `client_auth` value that makes `method` for a client with or
/// without a secret, if tether makes it.
fn client_auth_for(method: &str, has_secret: bool) -> Option<&'static str> {
    match (method, has_secret) {
        ("client_secret_basic", true) => Some("basic"),
        ("client_secret_basic", false) => Some("basic_always"),
        ("client_secret_post", true) | ("none", false) => Some("body"),
        _ => None,
    }
}

/// The redirect tether will use, against the provider's rule when the
/// service has a template.
fn redirect(name: &str, service: &Service) -> Check {
    let uri = service.redirect_uri.clone().unwrap_or_else(|| {
        let port = service
            .redirect_port
            .map_or_else(|| "ANY-PORT".to_string(), |p| p.to_string());
        format!("http://127.0.0.1:{port}/callback")
    });
    let rule = service
        .template
        .as_deref()
        .and_then(crate::providers::get)
        .and_then(|t| t.redirect);
    if let Some(rule) = rule
        && let Some(misfit) = rule.misfit(service.redirect_uri.as_deref(), service.redirect_port)
    {
        return Check::fail(
            "redirect",
            format!("{uri}: {misfit}"),
            Some(rule.advice().into()),
        );
    }
    if let Ok(url) = url::Url::parse(&uri)
        && url.scheme() == "http"
        && !matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"))
    {
        return Check::fail(
            "redirect",
            format!("{uri} is plain http off loopback (RFC 8252 §7.3)"),
            Some(format!("`tether service edit {name} --unset redirect_uri`")),
        );
    }
    Check::pass(
        "redirect",
        match rule {
            Some(rule) => format!("{uri}, as the provider's rule ({}) wants", rule.as_str()),
            None => format!("{uri} (RFC 8252 §7.3 loopback)"),
        },
    )
}

/// This machine's clock against the token endpoint's `Date`.
fn clock(net: &crate::http::client::Net, url: &str) -> Check {
    let now = ui::now();
    match discovery::server_clock(net, url) {
        Ok(Some(theirs)) => {
            let skew = Span::from_secs(theirs.abs_diff(now));
            if skew.as_secs() <= MAX_SKEW {
                Check::pass(
                    "clock skew",
                    format!("{skew} from the token endpoint's clock"),
                )
            } else {
                let way = if theirs > now { "ahead of" } else { "behind" };
                Check::fail(
                    "clock skew",
                    format!(
                        "the token endpoint's clock is {skew} {way} this machine's ({} by its Date header)",
                        ui::rfc3339(theirs)
                    ),
                    Some("set this machine's clock (NTP); tokens expire by both clocks".into()),
                )
            }
        }
        Ok(None) => Check::pass(
            "clock skew",
            "unknown: the token endpoint sends no Date header".into(),
        ),
        Err(e) => failed("clock skew", &e),
    }
}

/// The connection's tokens: usable, their refresh forecast, their scopes.
fn tokens(name: &str, connection: &Connection, ctx: &Ctx, record: &Record) -> Vec<Check> {
    let Ok(config) = ctx.config() else {
        return Vec::new();
    };
    let now = ui::now();
    let mut checks = Vec::new();
    let expires = record
        .expires_at
        .map(|at| format!("; access token expires {}", ui::relative(at, now)))
        .unwrap_or_default();
    checks.push(
        match status_of(name, connection, config, Some(record), now) {
            Status::Connected => Check::pass("token", format!("connected{expires}")),
            Status::ExpiredRefreshable => Check::pass(
                "token",
                "the access token is due; the next use refreshes it".into(),
            ),
            status => Check::fail(
                "token",
                format!("`{name}` {}", status.as_str()),
                Some(format!("run `tether connect {name}`")),
            ),
        },
    );
    let forecast = forecast_of(connection, config, Some(record));
    if forecast != Forecast::NoRefreshToken {
        checks.push(refresh_token(name, forecast, now));
    }
    if record.auth.is_oauth() {
        let asked = config.scopes_of(connection);
        let missing = record.missing_scopes(asked);
        checks.push(match missing.is_empty() {
            true => Check::pass("scopes", format!("granted: {}", record.scopes.join(" "))),
            false => Check::fail(
                "scopes",
                format!(
                    "missing scopes: {} (granted: {})",
                    missing.join(" "),
                    record.scopes.join(" ")
                ),
                Some(format!("run `{}`", reconnect(name, asked))),
            ),
        });
    }
    checks
}

/// `tether connect NAME --scope a --scope b`.
fn reconnect(name: &str, scopes: &[String]) -> String {
    let quote = crate::http::curl::quote;
    let flags: Vec<String> = scopes
        .iter()
        .map(|s| format!(" --scope {}", quote(s)))
        .collect();
    format!("tether connect {}{}", quote(name), flags.concat())
}

/// The forecast as a check: lapsed fails, soon warns.
fn refresh_token(name: &str, forecast: Forecast, now: u64) -> Check {
    let said = format!(
        "{} (basis: {})",
        forecast.describe(now),
        forecast.basis().map_or("unknown", |b| b.as_str())
    );
    match forecast {
        Forecast::Lapses { at, .. } if at <= now => Check::fail(
            "refresh token",
            said,
            Some(format!("run `tether connect {name}`")),
        ),
        Forecast::Lapses { at, lapse, .. } if at <= now.saturating_add(SOON.as_secs()) => {
            Check::warn("refresh token", said, Some(soon_hint(name, lapse)))
        }
        _ => Check::pass("refresh token", said),
    }
}

fn soon_hint(name: &str, lapse: Lapse) -> String {
    match lapse {
        Lapse::Renewable => format!(
            "run `tether keepalive {name}`, or schedule it (`tether keepalive --print-systemd`)"
        ),
        Lapse::Absolute => {
            format!("no refresh extends it: run `tether connect {name}` before then")
        }
    }
}

/// `--refresh`: a real refresh, as `keepalive` makes it.
fn renew(name: &str, ctx: &Ctx, record: &Record) -> Check {
    if !record.refreshable() {
        return Check::fail(
            "refresh",
            "nothing to refresh with: no refresh token".into(),
            None,
        );
    }
    match ctx.fresh_record(name, &Reason::Renew(record.access_token.clone()), None) {
        Ok(fresh) => {
            let expires = fresh
                .record
                .expires_at
                .map(|at| format!("; the access token expires {}", ui::relative(at, ui::now())))
                .unwrap_or_default();
            Check::pass(
                "refresh",
                format!("the provider issued new tokens{expires}"),
            )
        }
        Err(e) => Check::fail(
            "refresh",
            format!("{e} (the old tokens are kept)"),
            e.hint(),
        ),
    }
}

/// Whether `url` is on the host of the service's token or authorization
/// endpoint: a token is shown to no other.
fn on_service_host(endpoints: &Service, url: &str) -> bool {
    let host = |u: &str| {
        url::Url::parse(u)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
    };
    [
        endpoints.token_url.as_deref(),
        endpoints.authorize_url.as_deref(),
    ]
    .iter()
    .flatten()
    .any(|u| host(u).is_some() && host(u) == host(url))
}

/// Where to introspect a connection's token, and as which client.
struct Introspect<'a> {
    name: &'a str,
    service_name: &'a str,
    service: &'a Service,
    endpoints: &'a Service,
    url: &'a str,
}

/// An introspection of the access token (RFC 7662), when the provider's
/// document names an endpoint on the service's host: is the token active,
/// and does it carry the scopes the connection asks for.
fn introspection(ctx: &Ctx, at: &Introspect<'_>, record: &Record, asked: &[String]) -> Check {
    let url = at.url;
    if !on_service_host(at.endpoints, url) {
        return Check::pass(
            "introspection",
            format!("skipped: {url} is not on the host of the service's endpoints"),
        );
    }
    let Some(token) = &record.access_token else {
        return Check::pass("introspection", "skipped: no access token".into());
    };
    let net = ctx.net_for(at.service);
    let answer = ctx.store().and_then(|store| {
        let endpoint = Endpoint::for_code(store, at.service_name, at.service)?;
        net.block_on(token::introspect(net, &endpoint, url, token))
    });
    let introspected = match answer {
        Ok(introspected) => introspected,
        Err(e) => return failed("introspection", &e),
    };
    if !introspected.active {
        return Check::fail(
            "introspection",
            format!("{url} says the access token is not active"),
            Some(format!(
                "`tether doctor {} --refresh` refreshes it; if that fails, `tether connect {}`",
                at.name, at.name
            )),
        );
    }
    let carried = Record {
        scopes: introspected
            .scope
            .as_deref()
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_string)
            .collect(),
        ..record.clone()
    };
    let missing = match introspected.scope {
        Some(_) => carried.missing_scopes(asked),
        None => Vec::new(),
    };
    match missing.is_empty() {
        true => Check::pass(
            "introspection",
            format!(
                "{url}: the access token is active{}",
                introspected
                    .scope
                    .map(|scope| format!(", scopes: {scope}"))
                    .unwrap_or_default()
            ),
        ),
        false => Check::fail(
            "introspection",
            format!(
                "{url}: the access token lacks scopes: {}",
                missing.join(" ")
            ),
            Some(format!("run `{}`", reconnect(at.name, asked))),
        ),
    }
}

/// A userinfo call with the access token, when the endpoint is on the host
/// of the service's own endpoints (a token goes nowhere else).
fn userinfo(
    ctx: &Ctx,
    service: &Service,
    endpoints: &Service,
    url: &str,
    record: &Record,
) -> Check {
    if !on_service_host(endpoints, url) {
        return Check::pass(
            "userinfo",
            format!("skipped: {url} is not on the host of the service's endpoints"),
        );
    }
    let Some(token) = &record.access_token else {
        return Check::pass("userinfo", "skipped: no access token".into());
    };
    let net = ctx.net_for(service);
    let answer = net.client_for(url).and_then(|client| {
        net.block_on(async {
            let response = client
                .get(url)
                .bearer_auth(token.expose())
                .header("Accept", "application/json")
                .send()
                .await
                .map_err(|e| Error::Network {
                    what: format!("calling {url}"),
                    reason: crate::http::client::failure_reason(e),
                })?;
            let status = response.status().as_u16();
            let body = response.bytes().await.unwrap_or_default();
            let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
            Ok((status, body))
        })
    });
    match answer {
        Ok((200, body)) => Check::pass(
            "userinfo",
            match body["sub"].as_str() {
                Some(sub) => format!("{url} knows the token (sub `{sub}`)"),
                None => format!("{url} accepts the token"),
            },
        ),
        Ok((status, _)) => Check::fail(
            "userinfo",
            format!("{url} answered {status} to the access token"),
            None,
        ),
        Err(e) => failed("userinfo", &e),
    }
}

/// `doctor` without a name: the connections that need attention soon, as
/// warnings.
pub(super) fn attention(ctx: &Ctx) -> Vec<Check> {
    let Ok(config) = ctx.config() else {
        return Vec::new();
    };
    if config.connections.is_empty() {
        return Vec::new();
    }
    let store = match ctx.store() {
        Ok(store) => store,
        Err(e) => return vec![Check::warn("connections", e.to_string(), e.hint())],
    };
    let now = ui::now();
    let mut checks = Vec::new();
    for (name, connection) in &config.connections {
        let label = format!("`{name}`");
        let record = match store.load(name) {
            Ok(record) => record,
            Err(e) => {
                checks.push(Check::warn(label, e.to_string(), e.hint()));
                continue;
            }
        };
        let connect = Some(format!("run `tether connect {name}`"));
        match status_of(name, connection, config, record.as_ref(), now) {
            Status::Connected | Status::ExpiredRefreshable => {}
            status => {
                checks.push(Check::warn(label, status.as_str().into(), connect));
                continue;
            }
        }
        let Some(record) = record else { continue };
        let missing = record.missing_scopes(config.scopes_of(connection));
        if !missing.is_empty() {
            checks.push(Check::warn(
                label.clone(),
                format!("missing scopes: {}", missing.join(" ")),
                Some(format!(
                    "run `{}`",
                    reconnect(name, config.scopes_of(connection))
                )),
            ));
        }
        let forecast = forecast_of(connection, config, Some(&record));
        if let Forecast::Lapses { at, lapse, .. } = forecast
            && at <= now.saturating_add(SOON.as_secs())
        {
            checks.push(Check::warn(
                label,
                format!("refresh token {}", forecast.describe(now)),
                Some(soon_hint(name, lapse)),
            ));
        }
    }
    checks
}
