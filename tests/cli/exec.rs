//! `tether exec`: the command runs in tether's place (exec(2)) with fresh
//! tokens in its environment, never in its arguments; its exit status and
//! the signal that ends it are its own; what only tether should see stays
//! behind.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::connect::{approve, env_with_service};
use crate::util::Env;
use crate::util::oidc::{self, Oidc, OidcOptions};

const BIN: &str = env!("CARGO_BIN_EXE_tether");

pub fn connected(server: &Oidc) -> Env {
    let env = env_with_service(server, &oidc::NATIVE, &[]);
    approve(server, &env, "me");
    env
}

/// What no helper may ever print: the refresh tokens the server issued
/// and the clients' secrets (the access and ID tokens are what helpers
/// hand over).
pub fn never_handed(server: &Oidc) -> Vec<String> {
    let stats = server.stats();
    let mut secrets: Vec<String> = stats["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["type"] == "refresh_token")
        .map(|t| t["value"].as_str().unwrap().to_string())
        .collect();
    secrets.extend(
        server
            .secrets()
            .into_iter()
            .filter(|s| s.ends_with("-0123456789")),
    );
    secrets
}

pub fn stored(env: &Env, connection: &str, field: &str) -> String {
    env.record(connection).unwrap()[field]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn the_command_gets_the_token_in_its_environment_and_its_exit_status() {
    let server = Oidc::start();
    let env = connected(&server);
    let access = stored(&env, "me", "access_token");
    env.cmd(&[
        "exec",
        "-c",
        "me",
        "--",
        "sh",
        "-c",
        "printf '%s\\n' \"$TETHER_TOKEN\"",
    ])
    .stdout(format!("{access}\n"))
    .ok();
    env.cmd(&["exec", "-c", "me", "--", "true"]).stdout("").ok();
    env.cmd(&[
        "exec",
        "-c",
        "me",
        "--",
        "sh",
        "-c",
        "echo out; echo err >&2; exit 3",
    ])
    .stdout("out\n")
    .stderr("err\n")
    .fails(3);
    // stdin is the command's own.
    env.cmd(&["exec", "-c", "me", "--", "cat"])
        .stdin("piped through\n")
        .stdout("piped through\n")
        .ok();
    // A shell sees 137 for a command that SIGKILL ends: the outer exec
    // becomes `sh`, which runs an inner `tether exec` that becomes a
    // shell killing itself.
    let inner = format!("'{BIN}' exec -c me -- sh -c 'kill -9 $$'; echo \"status $?\"");
    env.cmd(&["exec", "-c", "me", "--", "sh", "-c", &inner])
        .stdout("status 137\n")
        .stderr("[..]Killed[..]\n")
        .ok();
    assert_eq!(
        server.grants("refresh_token"),
        0,
        "a fresh token is used as it is"
    );
    env.assert_never_printed(&crate::exec::never_handed(&server));
}

#[cfg(target_os = "linux")]
#[test]
fn tether_becomes_the_command_and_the_token_is_not_in_its_arguments() {
    use std::os::unix::process::ExitStatusExt;

    let server = Oidc::start();
    let env = connected(&server);
    let access = stored(&env, "me", "access_token");
    let running = env.cmd(&["exec", "-c", "me", "--", "sleep", "60"]).spawn();
    let pid = running.id();
    let proc = Path::new("/proc").join(pid.to_string());
    // The same process becomes `sleep`: no tether stays behind as its parent.
    let deadline = Instant::now() + Duration::from_secs(20);
    let cmdline = loop {
        let cmdline = std::fs::read(proc.join("cmdline")).unwrap_or_default();
        if cmdline.starts_with(b"sleep\0") || Instant::now() > deadline {
            break cmdline;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(
        cmdline, b"sleep\x0060\x00",
        "what `ps` shows of the command"
    );
    assert_eq!(
        std::fs::read_to_string(proc.join("comm")).unwrap(),
        "sleep\n"
    );
    let environ = std::fs::read(proc.join("environ")).unwrap();
    let wanted = format!("TETHER_TOKEN={access}");
    assert!(
        environ
            .split(|b| *b == 0)
            .any(|var| var == wanted.as_bytes()),
        "the token is in the command's environment"
    );
    assert!(
        !String::from_utf8_lossy(&cmdline).contains(&access),
        "the token is not in its arguments"
    );
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let (status, output) = running.end();
    assert_eq!(status.signal(), Some(9), "{output}");
    assert_eq!(output.stderr, "");
}

#[test]
fn variables_are_named_by_flag_or_by_the_service_and_may_not_collide() {
    let server = Oidc::start();
    let env = connected(&server);
    let access = stored(&env, "me", "access_token");
    env.cmd(&[
        "exec",
        "--env",
        "GITHUB_TOKEN=me",
        "--env",
        "OTHER=me",
        "--",
        "sh",
        "-c",
        "echo \"$GITHUB_TOKEN $OTHER ${TETHER_TOKEN:-unset}\"",
    ])
    .stdout(format!("{access} {access} unset\n"))
    .ok();
    env.cmd(&["exec", "-c", "me", "-c", "me", "--", "true"])
        .stderr(
            "tether: error: connections `me`, `me` would both set `TETHER_TOKEN`\n\
             hint: name each variable with `--env VAR=NAME`, or set the service's `env`\n",
        )
        .fails(2);
    env.cmd(&["exec", "--env", "1X=me", "--", "true"])
        .stderr(
            "tether: error: `1X=me` is not VAR=NAME\n\
             hint: write the variable, `=`, then the connection: `--env GITHUB_TOKEN=gh-work`\n",
        )
        .fails(2);
    env.cmd(&["exec", "--", "true"])
        .stderr(
            "tether: error: no connection to take a token from\n\
             hint: name one with `-c NAME` or `--env VAR=NAME`\n",
        )
        .fails(2);

    // The service's `env` names the variable of `-c`.
    env.cmd(&["service", "edit", "oidc", "--env", "OIDC_TOKEN"])
        .stderr("[..]\n")
        .ok();
    env.cmd(&[
        "exec",
        "-c",
        "me",
        "--",
        "sh",
        "-c",
        "echo \"$OIDC_TOKEN ${TETHER_TOKEN:-unset}\"",
    ])
    .stdout(format!("{access} unset\n"))
    .ok();
    env.cmd(&["exec", "-c", "me", "--env", "OIDC_TOKEN=me", "--", "true"])
        .stderr(
            "tether: error: connections `me`, `me` would both set `OIDC_TOKEN`\n\
             hint: name each variable with `--env VAR=NAME`, or set the service's `env`\n",
        )
        .fails(2);
    env.cmd(&["exec", "-c", "me", "--", "/nonexistent/tool"])
        .stderr(
            "tether: error: cannot run `/nonexistent/tool`: No such file or directory (os error 2)\n\
             hint: check the command's name and `PATH`\n",
        )
        .fails(127);
}

#[test]
fn exported_connections_and_referenced_secrets_stay_behind() {
    let server = Oidc::start();
    let mut env = connected(&server);
    env.cmd(&[
        "service",
        "add",
        "machine",
        "--auth",
        "client-credentials",
        "--client-id",
        "tether-machine",
        "--token-url",
        &server.token_url(),
        "--client-secret-env",
        "MACHINE_SECRET",
    ])
    .stderr("[..]\n[..]\n")
    .ok();
    env.set("MACHINE_SECRET", "machine-secret-0123456789")
        .set("TETHER_CONNECTION_ELSEWHERE", "tether1.e30")
        .set("KEPT_SECRET", "kept")
        .set("PLAIN", "plain");
    let show = "echo \"${MACHINE_SECRET:-gone} ${TETHER_CONNECTION_ELSEWHERE:-gone} ${PLAIN:-gone} ${TETHER_STORE:-gone}\"";
    env.cmd(&["exec", "-c", "me", "--", "sh", "-c", show])
        .stdout("gone gone plain file\n")
        .ok();
    env.cmd(&[
        "exec",
        "-c",
        "me",
        "--keep-env",
        "MACHINE_SECRET",
        "--",
        "sh",
        "-c",
        show,
    ])
    .stdout("machine-secret-0123456789 gone plain file\n")
    .ok();
    // A shared store's URL (with its password) and keys stay behind too.
    env.write_config(&format!(
        "{}\n[stores.team]\nkind = \"postgres\"\nurl = {{ env = \"TEAM_PG_URL\" }}\n\
         key = {{ env = \"TEAM_KEY\" }}\nprevious_key = {{ env = \"TEAM_OLD_KEY\" }}\n",
        env.read_config()
    ));
    env.set("TEAM_PG_URL", "postgres://ci:pw@db/ops")
        .set("TEAM_KEY", "new-key")
        .set("TEAM_OLD_KEY", "old-key");
    let show =
        "echo \"${TEAM_PG_URL:-gone} ${TEAM_KEY:-gone} ${TEAM_OLD_KEY:-gone} ${PLAIN:-gone}\"";
    env.cmd(&["exec", "-c", "me", "--", "sh", "-c", show])
        .stdout("gone gone gone plain\n")
        .ok();
}

#[test]
fn min_valid_refreshes_a_token_that_would_die_too_soon() {
    let server = Oidc::start_with(OidcOptions::default().access_token_ttl(600));
    let env = connected(&server);
    let old = stored(&env, "me", "access_token");
    let print = ["sh", "-c", "printf '%s\\n' \"$TETHER_TOKEN\""];
    env.cmd(
        &[
            &["exec", "-c", "me", "--min-valid", "5m", "--"][..],
            &print[..],
        ]
        .concat(),
    )
    .stdout(format!("{old}\n"))
    .ok();
    assert_eq!(server.grants("refresh_token"), 0);
    env.cmd(
        &[
            &["exec", "-c", "me", "--min-valid", "15m", "--"][..],
            &print[..],
        ]
        .concat(),
    )
    .stdout("[..]\n")
    .ok();
    assert_eq!(server.grants("refresh_token"), 1);
    let new = stored(&env, "me", "access_token");
    assert_ne!(new, old);
    env.cmd(&[&["exec", "-c", "me", "--"][..], &print[..]].concat())
        .stdout(format!("{new}\n"))
        .ok();
    env.cmd(&["exec", "-c", "me", "--min-valid", "soon", "--", "true"])
        .stderr("error: invalid value 'soon' for '--min-valid <DURATION>': `soon` is not a duration: write a number and a unit, such as 90s, 30m, 12h, 14d or 2w\n\nFor more information, try '--help'.\n")
        .fails(2);
}

/// The config of an OAuth 1.0a service and a connection of it: enough
/// for every helper to refuse it before reading any store.
pub fn oauth1_env() -> Env {
    let env = Env::new();
    env.write_config(
        "[services.bb]\n\
         auth = \"oauth1\"\n\
         client_id = \"key\"\n\
         client_secret = { value = \"consumer-secret\" }\n\
         request_token_url = \"https://bb.example/request\"\n\
         authorize_url = \"https://bb.example/authorize\"\n\
         access_token_url = \"https://bb.example/access\"\n\
         base_url = \"https://bb.example/api\"\n\
         [connections.bb]\n\
         service = \"bb\"\n\
         git_hosts = [\"bb.example\"]\n\
         docker_hosts = [\"bb.example\"]\n",
    );
    env
}

pub const NO_BEARER: &str = "tether: error: connection `bb` uses OAuth 1.0a: every request carries its own signature, so there is no token to hand to another program\n\
     hint: call the API with `tether invoke bb`, or sign one request with `tether token bb --header --url URL`\n";

#[test]
fn an_oauth1_connection_has_no_token_to_hand_over() {
    let env = oauth1_env();
    env.cmd(&["exec", "-c", "bb", "--", "true"])
        .stderr(NO_BEARER)
        .fails(2);
}
