//! What crosses a redirect. `invoke` follows redirects itself: a hop to
//! the same origin keeps every header; a hop to another origin drops the
//! credential and every header tether treats as secret, whatever the 3xx.

use crate::util::Env;
use crate::util::api::{Api, Recorded};

const KEY: &str = "key-5d1e0c9a7b";

/// The header the service's credential travels in (`api_key_header`).
const SERVICE_KEY_HEADER: &str = "X-Service-Key";

/// Request items whose headers must not reach another origin.
const SECRET_ITEMS: [&str; 8] = [
    "Authorization:Bearer item-authorization",
    "X-Auth-Token:item-auth-token",
    "Private-Token:item-private-token",
    "X-Api-Key:item-x-api-key",
    "Api-Key:item-api-key",
    "X-Access-Token:item-access-token",
    "Proxy-Authorization:Basic item-proxy",
    "Cookie:session=item-cookie",
];

/// Every redirect status that `invoke` follows.
const REDIRECTS: [u16; 5] = [301, 302, 303, 307, 308];

/// An env with an `api_key` service on `api`'s `/echo` whose key goes in
/// [`SERVICE_KEY_HEADER`], and a connection `c` holding [`KEY`].
fn keyed_env(api: &Api) -> Env {
    let env = Env::new();
    env.write_config(&format!(
        "[services.keyed]\nauth = \"api_key\"\napi_key_header = \"{SERVICE_KEY_HEADER}\"\nbase_url = \"{}/echo\"\n\n[connections.c]\nservice = \"keyed\"\n",
        api.base
    ));
    env.cmd(&["connect", "c", "--stdin"])
        .stdin(format!("{KEY}\n"))
        .stderr(env.connected_static("c", "keyed"))
        .ok();
    env
}

/// The secret headers of `got`, by name.
fn secrets_in(got: &Recorded) -> Vec<(String, String)> {
    let names: Vec<String> = SECRET_ITEMS
        .iter()
        .map(|item| item.split_once(':').unwrap().0.to_ascii_lowercase())
        .chain([SERVICE_KEY_HEADER.to_ascii_lowercase()])
        .collect();
    got.headers
        .iter()
        .filter(|(name, _)| names.contains(name))
        .cloned()
        .collect()
}

#[test]
fn secret_headers_stay_behind_on_every_cross_origin_hop() {
    let api = Api::start();
    let other = Api::start();
    let env = keyed_env(&api);
    for code in REDIRECTS {
        let target = other.url(&format!("/echo/landed-{code}"));
        let first = api.url(&format!("/redirect/{code}?to={target}"));
        let args = [
            &["invoke", "c", "GET", first.as_str(), "X-Trace:t"],
            &SECRET_ITEMS[..],
        ]
        .concat();
        env.cmd(&args).ok();
        let got = other.last();
        assert_eq!(got.path, format!("/echo/landed-{code}"));
        assert_eq!(
            got.header("x-trace"),
            Some("t"),
            "{code}: a plain header crosses"
        );
        assert_eq!(
            secrets_in(&got),
            [],
            "{code}: secrets crossed to another origin"
        );
    }
    assert_eq!(other.hits(), REDIRECTS.len());
}

#[test]
fn same_origin_hops_keep_every_header() {
    let api = Api::start();
    let env = keyed_env(&api);
    for code in REDIRECTS {
        let first = api.url(&format!("/redirect/{code}?to=/echo/same-{code}"));
        let args = [&["invoke", "c", "GET", first.as_str()], &SECRET_ITEMS[..]].concat();
        env.cmd(&args).ok();
        let got = api.last();
        assert_eq!(got.path, format!("/echo/same-{code}"));
        let mut expected: Vec<(String, String)> = SECRET_ITEMS
            .iter()
            .map(|item| {
                let (name, value) = item.split_once(':').unwrap();
                (name.to_ascii_lowercase(), value.to_string())
            })
            .collect();
        expected.push((SERVICE_KEY_HEADER.to_ascii_lowercase(), KEY.to_string()));
        let mut got = secrets_in(&got);
        got.sort();
        expected.sort();
        assert_eq!(got, expected, "{code}");
    }
}

/// With `--no-auth` the service's key header, given by hand, is still a
/// secret: it reaches the first origin and stays behind on the hop.
#[test]
fn without_the_credential_the_services_key_header_still_stays_behind() {
    let api = Api::start();
    let other = Api::start();
    let env = keyed_env(&api);
    let target = other.url("/echo/landed");
    let first = api.url(&format!("/redirect/307?to={target}"));
    env.cmd(&[
        "invoke",
        "c",
        "GET",
        &first,
        "X-Service-Key:by-hand",
        "X-Trace:t",
        "--no-auth",
    ])
    .ok();
    assert_eq!(api.last().header("x-service-key"), Some("by-hand"));
    let got = other.last();
    assert_eq!(got.header("x-trace"), Some("t"));
    assert_eq!(got.header("x-service-key"), None);
}
