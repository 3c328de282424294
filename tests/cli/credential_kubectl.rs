//! `tether credential kubectl`: the machine's kubectl runs it from a
//! kubeconfig `exec` stanza and calls a loopback https API server that
//! demands a valid bearer token, in both versions of the protocol; the
//! plugin's answers are checked on their own too.

use std::path::Path;

use serde_json::json;

use crate::exec::{NO_BEARER, connected, oauth1_env, stored};
use crate::util::git_server::TokenCheck;
use crate::util::kube_api::{GIT_VERSION, KubeApi};
use crate::util::oidc::{BrowserMode, Oidc, OidcOptions};

const BIN: &str = env!("CARGO_BIN_EXE_tether");

fn kubectl_installed() -> bool {
    let found = std::process::Command::new("kubectl")
        .args(["version", "--client"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the kubectl tests: install kubernetes-client (scripts/test.sh does, as root)"
        );
        eprintln!("skipped: kubectl is not installed");
    }
    found
}

#[test]
fn kubectl_calls_the_api_with_the_token_tether_hands_it() {
    if !kubectl_installed() {
        return;
    }
    let server = Oidc::start_with(OidcOptions::default().access_token_ttl(600));
    let env = connected(&server);
    let api = KubeApi::start(TokenCheck {
        introspection_url: server.introspection_url(),
    });
    for version in ["v1", "v1beta1"] {
        let kubeconfig = env.root().join(format!("kubeconfig-{version}"));
        std::fs::write(
            &kubeconfig,
            api.kubeconfig(version, BIN, &["credential", "kubectl", "me"]),
        )
        .unwrap();
        let output = env
            .program(
                Path::new("kubectl"),
                &[
                    "--kubeconfig",
                    kubeconfig.to_str().unwrap(),
                    "get",
                    "--raw",
                    "/version",
                ],
            )
            .ok();
        assert_eq!(output.json()["gitVersion"], GIT_VERSION, "{version}");
    }
    let access = stored(&env, "me", "access_token");
    assert!(!api.tokens().is_empty());
    assert!(api.tokens().iter().all(|t| *t == access));

    // The token expired at the provider and for tether: kubectl gets a
    // refreshed one.
    server.expire("access");
    env.age_record("me", 600);
    let kubeconfig = env.root().join("kubeconfig-v1");
    let output = env
        .program(
            Path::new("kubectl"),
            &[
                "--kubeconfig",
                kubeconfig.to_str().unwrap(),
                "get",
                "--raw",
                "/version",
            ],
        )
        .ok();
    assert_eq!(output.json()["gitVersion"], GIT_VERSION);
    assert_eq!(server.grants("refresh_token"), 1);
    assert_eq!(
        api.tokens().last(),
        Some(&stored(&env, "me", "access_token"))
    );
    env.assert_never_printed(&crate::exec::never_handed(&server));
}

#[test]
fn the_plugin_answers_in_the_version_kubectl_asks_for() {
    let server = Oidc::start();
    let env = connected(&server);
    let record = env.record("me").unwrap();
    let access = record["access_token"].as_str().unwrap().to_string();
    let expires = {
        let at = env.cmd(&["token", "me", "--json"]).ok().json()["expires"].clone();
        at.as_str().unwrap().to_string()
    };
    let v1beta1 = env.cmd(&["credential", "kubectl", "me"]).ok().json();
    assert_eq!(
        v1beta1,
        json!({
            "apiVersion": "client.authentication.k8s.io/v1beta1",
            "kind": "ExecCredential",
            "status": {"token": access, "expirationTimestamp": expires},
        })
    );
    let info = r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#;
    let v1 = env
        .cmd(&["credential", "kubectl", "me"])
        .env("KUBERNETES_EXEC_INFO", info)
        .ok()
        .json();
    assert_eq!(v1["apiVersion"], "client.authentication.k8s.io/v1");
    assert_eq!(v1["status"]["token"], access.as_str());

    // The ID token, as kubelogin hands it, with its own expiry.
    let id = env
        .cmd(&["credential", "kubectl", "me", "--id-token"])
        .ok()
        .json();
    assert_eq!(id["status"]["token"], record["id_token"]);
    assert_ne!(id["status"]["token"], access.as_str());
    assert_eq!(
        id["status"]["expirationTimestamp"]
            .as_str()
            .map(|s| s.ends_with('Z')),
        Some(true)
    );

    env.cmd(&["credential", "kubectl", "me"])
        .env("KUBERNETES_EXEC_INFO", r#"{"apiVersion":"client.authentication.k8s.io/v1alpha1"}"#)
        .stderr(
            "tether: error: `KUBERNETES_EXEC_INFO` cannot be answered: it asks for `client.authentication.k8s.io/v1alpha1`; tether writes `client.authentication.k8s.io/v1` and `client.authentication.k8s.io/v1beta1`\n\
             hint: set `apiVersion: client.authentication.k8s.io/v1` in the kubeconfig's `exec` stanza\n",
        )
        .stdout("")
        .fails(2);

    // Not connected: nothing on stdout, the hint on stderr, at once.
    std::fs::remove_file(env.record_path("me")).unwrap();
    env.cmd(&["credential", "kubectl", "me"])
        .stdout("")
        .stderr("tether: error: connection `me` is not connected\nhint: run `tether connect me`\n")
        .fails(7);
    env.assert_never_printed(&crate::exec::never_handed(&server));
}

#[test]
fn a_connection_without_an_id_token_says_how_to_get_one() {
    let server = Oidc::start();
    let env = crate::connect::env_with_service(&server, &crate::util::oidc::NATIVE, &[]);
    env.cmd(&["service", "edit", "oidc", "--scope", "read"])
        .stderr("[..]\n")
        .ok();
    crate::connect::connect(&env, "me", BrowserMode::Approve, &[])
        .stderr(
            "Open this URL to authorize `me` (oidc):\n\n  [..]&scope=read&[..]\n\n\
             Connected `me` (oidc): [..]\nTry it: tether invoke me GET /\n",
        )
        .ok();
    env.cmd(&["credential", "kubectl", "me", "--id-token"])
        .stdout("")
        .stderr(
            "tether: error: connection `me` holds no ID token\n\
             hint: ask for the `openid` scope: `tether connect me --scope openid …`\n",
        )
        .fails(7);
}

#[test]
fn an_oauth1_connection_gives_kubectl_nothing() {
    oauth1_env()
        .cmd(&["credential", "kubectl", "bb"])
        .stderr(NO_BEARER)
        .fails(2);
}
