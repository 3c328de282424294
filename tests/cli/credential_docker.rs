//! `docker-credential-tether`: docker's credential-helper protocol as the
//! docker CLI drives it — the program found through its link name, the
//! action as its one argument, the registry on stdin, JSON on stdout, and
//! the exact "not found" text docker looks for.

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::credential_git::set_connection_key;
use crate::exec::{connected, oauth1_env, stored};
use crate::util::Env;
use crate::util::oidc::Oidc;

/// `docker-credential-tether`, a link to tether in the test's home, as
/// an install puts it on `PATH`.
fn linked(env: &Env) -> PathBuf {
    let dir = env.root().join("bin");
    std::fs::create_dir_all(&dir).unwrap();
    let link = dir.join("docker-credential-tether");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_tether"), &link).unwrap();
    link
}

#[test]
fn docker_gets_credentials_per_registry_through_the_link() {
    let server = Oidc::start();
    let env = connected(&server);
    set_connection_key(
        &env,
        "me",
        "docker_hosts = [\"us-docker.pkg.dev\", \"index.docker.io\", \"*.pkg.example\"]",
    );
    let helper = linked(&env);
    let access = stored(&env, "me", "access_token");
    let get = |registry: &str| {
        env.program(&helper, &["get"])
            .stdin(format!("{registry}\n"))
            .ok()
            .json()
    };
    assert_eq!(
        get("us-docker.pkg.dev"),
        json!({"ServerURL": "us-docker.pkg.dev", "Username": "oauth2accesstoken", "Secret": access})
    );
    assert_eq!(
        get("https://index.docker.io/v1/"),
        json!({"ServerURL": "https://index.docker.io/v1/", "Username": "oauth2accesstoken", "Secret": access})
    );
    assert_eq!(get("eu.pkg.example")["Secret"], access.as_str());

    env.program(&helper, &["get"])
        .stdin("ghcr.io\n")
        .stdout("credentials not found in native keychain\n")
        .stderr(
            "tether: error: no connection gives docker credentials for ghcr.io\n\
             hint: list the registry in a connection's `docker_hosts`\n",
        )
        .fails(1);

    env.cmd(&["service", "edit", "oidc", "--docker-username", "robot"])
        .stderr("[..]\n")
        .ok();
    env.program(&helper, &["list"])
        .stdout("{\"index.docker.io\":\"robot\",\"us-docker.pkg.dev\":\"robot\"}\n")
        .ok();

    let refused = |action: &'static str| {
        format!(
            "tether: error: tether keeps no docker credentials of its own: `{action}` is refused\n\
             hint: name tether per registry under `credHelpers` in ~/.docker/config.json, not as `credsStore`\n"
        )
    };
    env.program(&helper, &["store"])
        .stdin(r#"{"ServerURL":"ghcr.io","Username":"u","Secret":"s"}"#)
        .stdout("tether keeps no docker credentials of its own: `store` is refused\n")
        .stderr(refused("store"))
        .fails(2);
    env.program(&helper, &["erase"])
        .stdin("us-docker.pkg.dev\n")
        .stdout("tether keeps no docker credentials of its own: `erase` is refused\n")
        .stderr(refused("erase"))
        .fails(2);
    // The same helper under its own name.
    env.cmd(&["credential", "docker", "get"])
        .stdin("us-docker.pkg.dev")
        .stdout(format!(
            "{{\"ServerURL\":\"us-docker.pkg.dev\",\"Username\":\"robot\",\"Secret\":\"{access}\"}}\n"
        ))
        .ok();
    env.program(&helper, &["version"])
        .stdout(format!("tether {}\n", env!("CARGO_PKG_VERSION")))
        .ok();
    assert!(Path::new(&helper).exists());
}

#[test]
fn a_connection_that_needs_the_user_fails_docker_with_the_hint() {
    let server = Oidc::start();
    let env = connected(&server);
    set_connection_key(&env, "me", "docker_hosts = [\"us-docker.pkg.dev\"]");
    std::fs::remove_file(env.record_path("me")).unwrap();
    env.program(&linked(&env), &["get"])
        .stdin("us-docker.pkg.dev\n")
        .stdout("connection `me` is not connected\n")
        .stderr("tether: error: connection `me` is not connected\nhint: run `tether connect me`\n")
        .fails(7);
}

#[test]
fn an_oauth1_connection_gives_docker_nothing() {
    let env = oauth1_env();
    env.program(&linked(&env), &["get"])
        .stdin("bb.example\n")
        .stdout("[..]\n")
        .stderr(crate::exec::NO_BEARER)
        .fails(2);
}
