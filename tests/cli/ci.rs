//! CI use without a keyring: a connection exported once, carried in
//! `TETHER_CONNECTION_<NAME>`, refreshed in memory, its rotated refresh
//! token handed to an `on_rotate` hook.

use std::time::Duration;

use crate::connect::{approve, env_with_service, no_keyring_warning};
use crate::util::oidc::{self, Oidc, OidcOptions};
use crate::util::{Env, age_blob, blob_record};

/// Lifetime of access tokens in these tests: short, so that tether
/// refreshes once half of it has passed; the tests age the exported
/// records by that much instead of waiting.
const TTL: u64 = 4;

/// What `connection export NAME` says besides the line itself.
fn exported(name: &str, var: &str) -> String {
    format!("That line holds the tokens of `{name}`: keep it in a secret store, as `{var}`.\n")
}

/// Every file under `dir`, with its bytes.
fn files(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.extend(files(&path));
            } else {
                out.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_ci_job_uses_an_exported_connection_and_hands_on_the_rotated_one() {
    let server = Oidc::start_with(OidcOptions::default().access_token_ttl(TTL));
    let laptop = env_with_service(&server, &oidc::NATIVE, &[]);
    approve(&server, &laptop, "ci-bot");
    let export = laptop
        .cmd(&["connection", "export", "ci-bot"])
        .stderr(exported("ci-bot", "TETHER_CONNECTION_CI_BOT"))
        .ok();
    let blob = export.stdout.trim().to_string();
    assert_eq!(export.stdout, format!("{blob}\n"));
    assert!(blob.starts_with("tether1.") && !blob.contains(char::is_whitespace));
    assert_eq!(
        blob_record(&blob),
        laptop.record("ci-bot").unwrap(),
        "the record as stored"
    );

    // The job: a config file, the blob in the environment, nothing else.
    let job = Env::new();
    let rotated_file = job.root().join("rotated-blob");
    job.write_config(&format!(
        "[services.oidc]\nclient_id = \"{}\"\nauthorize_url = \"{}\"\ntoken_url = \"{}\"\nbase_url = \"{}\"\n\n\
         [connections.ci-bot]\nservice = \"oidc\"\non_rotate = [\"sh\", \"-c\", \"cat > '{}'\"]\n",
        oidc::NATIVE.id,
        server.authorize_url(),
        server.token_url(),
        server.resource_url("").trim_end_matches('/'),
        rotated_file.display(),
    ));
    let config_dir = job.config_path().parent().unwrap().to_path_buf();
    let before = files(&config_dir);
    // No keyring probe, so no warning: stderr stays empty.
    let run = |blob: &str| {
        job.cmd(&["invoke", "ci-bot", "GET", "/deploy"])
            .env_remove("TETHER_STORE")
            .env("CI", "true")
            .env("TETHER_CONNECTION_CI_BOT", blob)
            .stdout(format!(
                "{{\"method\":\"GET\",\"path\":\"/deploy\",\"query\":{{}},\"client_id\":\"{}\",\"sub\":\"alice\",\"scope\":\"openid read\"}}",
                oidc::NATIVE.id
            ))
            .ok()
    };

    // The job runs once the token is due.
    run(&age_blob(&blob, TTL));
    assert_eq!(server.grants("refresh_token"), 1);
    assert_eq!(
        files(&config_dir),
        before,
        "nothing written to the config folder"
    );
    assert!(!job.tokens_dir().exists(), "no token file");
    let rotated = std::fs::read_to_string(&rotated_file)
        .unwrap()
        .trim()
        .to_string();
    assert_eq!(
        blob_record(&rotated)["refresh_token"].as_str(),
        server.issued_tokens().last().map(String::as_str),
        "the hook got the newest refresh token"
    );

    // The next run works from the rotated blob, through another refresh.
    run(&age_blob(&rotated, TTL));
    assert_eq!(server.grants("refresh_token"), 2);

    // The job printed no token (the laptop printed the blob on purpose).
    job.assert_never_printed(&server.secrets());
}

#[test]
fn without_a_hook_a_rotation_warns_that_the_secret_is_stale() {
    let server = Oidc::start_with(OidcOptions::default().access_token_ttl(TTL));
    let laptop = env_with_service(
        &server,
        &oidc::NATIVE,
        &["--base-url", "http://127.0.0.1:1"],
    );
    approve(&server, &laptop, "bot");
    let blob = laptop
        .cmd(&["connection", "export", "bot"])
        .stderr(exported("bot", "TETHER_CONNECTION_BOT"))
        .ok()
        .stdout;
    let out = laptop
        .cmd(&["token", "bot"])
        .env("TETHER_CONNECTION_BOT", age_blob(&blob, TTL))
        .stderr(
            "tether: warning: the provider rotated the refresh token of `bot`: `TETHER_CONNECTION_BOT` is now stale; set `on_rotate` on the connection to store the new one (see `tether connection export`)\n",
        )
        .ok();
    // The new access token, fresh from the refresh.
    assert_eq!(server.grants("refresh_token"), 1);
    let issued = server.issued_tokens();
    assert_eq!(out.stdout, format!("{}\n", issued[issued.len() - 2]));
}

#[test]
fn with_no_credential_in_ci_the_job_fails_fast_with_exit_7() {
    let job = Env::new();
    job.write_config("[services.api]\nauth = \"bearer\"\nbase_url = \"https://api.example.com\"\n\n[connections.deploy]\nservice = \"api\"\n");
    let out = job
        .cmd(&["invoke", "deploy", "GET", "/x"])
        .env_remove("TETHER_STORE")
        .env("CI", "true")
        .stderr(
            no_keyring_warning(&job)
                + "tether: error: connection `deploy` is not connected\n\
                   hint: run `tether connect deploy`\n",
        )
        .fails(7);
    assert!(
        out.elapsed < Duration::from_secs(1),
        "took {:?}",
        out.elapsed
    );
    // No prompt in CI.
    let out = job
        .cmd(&["connect", "deploy"])
        .env("CI", "true")
        .stderr(
            "tether: error: connection `deploy` needs its token, and there is no terminal to ask on\n\
             hint: run `tether connect deploy`\n",
        )
        .fails(7);
    assert!(out.elapsed < Duration::from_secs(1));
}

#[test]
fn import_puts_an_exported_connection_in_the_local_store() {
    let env = Env::new();
    env.write_config("[services.api]\nauth = \"bearer\"\nbase_url = \"https://api.example.com\"\n");
    env.cmd(&["connect", "src", "--service", "api", "--stdin"])
        .stdin("static-token-123\n")
        .stderr(env.connected_static("src", "api"))
        .ok();
    let config = env.read_config();
    let blob = env
        .cmd(&["connection", "export", "src"])
        .stderr(exported("src", "TETHER_CONNECTION_SRC"))
        .ok()
        .stdout;
    env.cmd(&["connection", "import", "copy"])
        .stdin(blob)
        .stderr(format!(
            "Imported `copy` (api) into file ({})\n",
            env.tokens_dir().display()
        ))
        .ok();
    env.cmd(&["token", "copy"])
        .stdout("static-token-123\n")
        .ok();
    assert_eq!(
        env.read_config(),
        format!("{config}\n[connections.copy]\nservice = \"api\"\n")
    );
    // The error never quotes what it was given.
    env.cmd(&["connection", "import", "bad"])
        .stdin("hunter2hunter2")
        .stderr(
            "tether: error: standard input does not hold a connection: it does not start with `tether1.`\n\
             hint: pipe in what `tether connection export NAME` printed\n",
        )
        .fails(2);
}
