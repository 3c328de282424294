//! `tether credential git`: the machine's git clones, pushes and fetches
//! over smart HTTP from a `git http-backend` server that demands a valid
//! access token, through tether as its credential helper; refreshes when
//! the token expires or the server refuses it; and stops with tether's
//! hint, not a prompt, when the grant is gone. The protocol's edges are
//! tested on the helper alone, with git's own request lines.

use std::path::Path;

use crate::exec::{NO_BEARER, connected, oauth1_env, stored};
use crate::util::git_server::{Carried, GitServer, TokenCheck};
use crate::util::oidc::Oidc;
use crate::util::{Cmd, Env};

const BIN: &str = env!("CARGO_BIN_EXE_tether");

/// Adds `key = value` to the `[connections.NAME]` table of the config.
pub fn set_connection_key(env: &Env, name: &str, line: &str) {
    let config = env.read_config();
    let header = format!("[connections.{name}]\n");
    let at = config.find(&header).expect("the connection's table") + header.len();
    env.write_config(&format!("{}{line}\n{}", &config[..at], &config[at..]));
}

/// git in the test's home, with tether as its only credential helper.
fn git<'a>(env: &'a Env, dir: &Path, args: &[&str]) -> Cmd<'a> {
    let helper = format!("credential.helper=!'{BIN}' credential git");
    let base = [
        "-C",
        dir.to_str().unwrap(),
        "-c",
        "credential.helper=",
        "-c",
        &helper,
        "-c",
        "user.name=Test",
        "-c",
        "user.email=test@example.com",
        "-c",
        "init.defaultBranch=main",
    ];
    env.program(Path::new("git"), &[&base[..], args].concat())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_ASKPASS")
        .env_remove("SSH_ASKPASS")
}

#[test]
fn git_clones_pushes_and_fetches_through_refreshes_until_the_grant_is_gone() {
    let server = Oidc::start();
    let env = connected(&server);
    let git_server = GitServer::start(TokenCheck {
        introspection_url: server.introspection_url(),
    });
    git_server.bare_repo("repo");
    let host = git_server.host();
    set_connection_key(&env, "me", &format!("git_hosts = [\"{host}\"]"));
    let url = git_server.url("repo");
    let root = env.root().to_path_buf();

    git(&env, &root, &["clone", "--quiet", &url, "work"])
        .stderr("warning: You appear to have cloned an empty repository.\n")
        .ok();
    let work = root.join("work");
    std::fs::write(work.join("README"), "hello\n").unwrap();
    git(&env, &work, &["add", "README"]).ok();
    git(&env, &work, &["commit", "--quiet", "-m", "first"]).ok();
    git(&env, &work, &["push", "--quiet", "origin", "main"]).ok();
    let refused_at_first = git_server.refused();
    assert!(refused_at_first >= 1, "git asks its helper after a 401");
    assert!(
        git_server.accepted().contains(&Carried::Bearer),
        "git {:?} takes the ready `authtype` credential",
        git_server.accepted()
    );

    // The token expires: the next fetch gets a refreshed one.
    assert!(server.expire("access") >= 1);
    env.age_record("me", 3600);
    let old = stored(&env, "me", "access_token");
    git(&env, &work, &["fetch", "--quiet", "origin"]).ok();
    assert_eq!(server.grants("refresh_token"), 1);
    assert_ne!(stored(&env, "me", "access_token"), old);

    // The server refuses a token tether still thinks valid: git erases
    // it, which refreshes it, and the next fetch works.
    assert!(server.expire("access") >= 1);
    git(&env, &work, &["fetch", "--quiet", "origin"])
        .stderr(format!(
            "remote: a valid token is needed\nfatal: Authentication failed for '{url}/'\n"
        ))
        .fails(128);
    assert_eq!(
        server.grants("refresh_token"),
        2,
        "erase refreshed the token"
    );
    git(&env, &work, &["fetch", "--quiet", "origin"]).ok();
    assert_eq!(server.grants("refresh_token"), 2);

    // The grant is gone: git stops with tether's hint and asks nobody.
    server.expire("all");
    env.age_record("me", 3600);
    let output = git(&env, &work, &["fetch", "--quiet", "origin"])
        .stderr(
            "tether: error: connection `me` needs authorization again: the provider refused: invalid_grant ([..])\n\
             hint: run `tether connect me`\n\
             fatal: credential helper '[..]' told us to quit\n",
        )
        .fails(128);
    assert!(!output.stderr.contains("Username"));
    env.assert_never_printed(&crate::exec::never_handed(&server));
}

/// `tether credential git [NAME] ACTION` with git's request lines.
fn helper<'a>(env: &'a Env, args: &[&str], request: &str) -> Cmd<'a> {
    env.cmd(&[&["credential", "git"][..], args].concat())
        .stdin(request.to_string())
}

#[test]
fn the_helper_speaks_gits_protocol() {
    let server = Oidc::start();
    let env = connected(&server);
    set_connection_key(
        &env,
        "me",
        "git_hosts = [\"git.example\", \"127.0.0.1:9418\"]",
    );
    let access = stored(&env, "me", "access_token");
    let expires = env.record("me").unwrap()["expires_at"].as_u64().unwrap();

    // A git without `authtype`: a user name and the token as password.
    helper(&env, &["get"], "protocol=https\nhost=git.example\npath=a/b.git\n\n")
        .stdout(format!(
            "protocol=https\nhost=git.example\nusername=x-access-token\npassword={access}\npassword_expiry_utc={expires}\n"
        ))
        .ok();
    // The service's convention names the user.
    env.cmd(&["service", "edit", "oidc", "--git-username", "oauth2"])
        .stderr("[..]\n")
        .ok();
    helper(
        &env,
        &["get"],
        "capability[]=authtype\ncapability[]=state\nprotocol=http\nhost=127.0.0.1:9418\n",
    )
    .stdout(format!(
        "capability[]=authtype\nprotocol=http\nhost=127.0.0.1:9418\nusername=oauth2\npassword={access}\npassword_expiry_utc={expires}\nauthtype=Bearer\ncredential={access}\nephemeral=true\n"
    ))
    .ok();

    // Hosts nobody claims, and protocols that are not http: silence, so
    // git asks its next helper.
    helper(&env, &["get"], "protocol=https\nhost=elsewhere.example\n")
        .stdout("")
        .ok();
    helper(&env, &["get"], "protocol=https\nhost=git.example:444\n")
        .stdout("")
        .ok();
    helper(&env, &["get"], "protocol=cert\nhost=\npath=/x.pem\n")
        .stdout("")
        .ok();
    // `store` keeps nothing; unknown actions are ignored.
    helper(
        &env,
        &["store"],
        &format!("protocol=https\nhost=git.example\npassword={access}\n"),
    )
    .stdout("")
    .ok();
    helper(&env, &["capability"], "").stdout("").ok();
    // erase of a token that is not the current one changes nothing.
    helper(
        &env,
        &["erase"],
        "protocol=https\nhost=git.example\npassword=old\n",
    )
    .stdout("")
    .ok();
    assert_eq!(server.grants("refresh_token"), 0);

    // Plain http only to loopback, even for a named connection.
    helper(&env, &["me", "get"], "protocol=http\nhost=git.example\n")
        .stdout("quit=1\n")
        .stderr(
            "tether: error: refusing plain http to git.example: it is not a loopback host\n\
             hint: use https: tether sends plain http only to loopback hosts\n",
        )
        .fails(2);
    // A named connection answers for any https host.
    helper(&env, &["me", "get"], "protocol=https\nhost=other.example\n")
        .stdout("[..]\nhost=other.example\n[..]\n[..]\n[..]\n")
        .ok();
    helper(&env, &["get"], "protocol=https\nhunter2\n")
        .stderr(
            "tether: error: the git credential request cannot be read: line 2 is not `key=value`\n",
        )
        .fails(2);
    env.assert_never_printed(&crate::exec::never_handed(&server));
}

#[test]
fn a_connection_that_needs_the_user_makes_git_quit() {
    let server = Oidc::start();
    let env = connected(&server);
    set_connection_key(&env, "me", "git_hosts = [\"git.example\"]");
    std::fs::remove_file(env.record_path("me")).unwrap();
    helper(&env, &["get"], "protocol=https\nhost=git.example\n")
        .stdout("quit=1\n")
        .stderr("tether: error: connection `me` is not connected\nhint: run `tether connect me`\n")
        .fails(7);
}

#[test]
fn two_connections_for_one_host_are_a_config_error() {
    let env = Env::new();
    env.write_config(
        "[services.gh]\nauth = \"bearer\"\nbase_url = \"https://api.github.com\"\n\
         [connections.work]\nservice = \"gh\"\ngit_hosts = [\"github.com\"]\n\
         [connections.home]\nservice = \"gh\"\ngit_hosts = [\"GitHub.com\"]\n",
    );
    helper(&env, &["get"], "protocol=https\nhost=github.com\n")
        .stdout("quit=1\n")
        .stderr(format!(
            "tether: error: {}:6:13: `connections.work.git_hosts`: `github.com` is also in the `git_hosts` of connection `home`\n\
             hint: a host gets its credentials from one connection: remove it from `home` or from `work`\n",
            env.config_path().display()
        ))
        .fails(2);
    // Two connections of one service claim its base_url host alike.
    env.write_config(
        "[services.gh]\nauth = \"bearer\"\nbase_url = \"https://api.github.com\"\n\
         [connections.work]\nservice = \"gh\"\n[connections.home]\nservice = \"gh\"\n",
    );
    helper(&env, &["get"], "protocol=https\nhost=api.github.com\n")
        .stdout("quit=1\n")
        .stderr(
            "tether: error: connections `home`, `work` both give git credentials for api.github.com\n\
             hint: list the host in the `git_hosts` of one connection, or name the connection: `tether credential git NAME …`\n",
        )
        .fails(2);
}

#[test]
fn an_oauth1_connection_gives_git_nothing() {
    let env = oauth1_env();
    helper(&env, &["get"], "protocol=https\nhost=bb.example\n")
        .stdout("quit=1\n")
        .stderr(NO_BEARER)
        .fails(2);
}

#[test]
fn curl_reads_the_netrc_lines() {
    let server = Oidc::start();
    let env = connected(&server);
    let git_server = GitServer::start(TokenCheck {
        introspection_url: server.introspection_url(),
    });
    git_server.bare_repo("repo");
    set_connection_key(
        &env,
        "me",
        &format!("git_hosts = [\"{}\", \"*.example.com\"]", git_server.host()),
    );
    let access = stored(&env, "me", "access_token");
    env.cmd(&["credential", "netrc", "me"])
        .stdout(format!(
            "machine 127.0.0.1 login x-access-token password {access}\n"
        ))
        .ok();
    let script = format!(
        "curl --silent --fail --netrc-file <('{BIN}' credential netrc me) '{}/info/refs?service=git-upload-pack'",
        git_server.url("repo")
    );
    let output = env.program(Path::new("bash"), &["-c", &script]).ok();
    assert!(
        output.stdout.starts_with("001e# service=git-upload-pack\n"),
        "{output}"
    );
    assert_eq!(git_server.accepted(), [Carried::Basic]);
    env.cmd(&["credential", "netrc", "me", "nobody"])
        .stdout("")
        .stderr("tether: error: no connection named `nobody`\nhint: `tether connection list` shows the connections\n")
        .fails(2);
    crate::exec::oauth1_env()
        .cmd(&["credential", "netrc", "bb"])
        .stderr(NO_BEARER)
        .fails(2);
}
