//! CI use without a keyring: a connection exported once, carried in
//! `TETHER_CONNECTION_<NAME>`, refreshed in memory, its rotated refresh
//! token handed to an `on_rotate` hook.

use std::time::Duration;

use crate::connect::{connect, env_with_service};
use crate::util::Env;
use crate::util::oidc::{self, BrowserMode, Oidc, OidcOptions};

const TTL: u64 = 4;

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
    assert_eq!(
        connect(&laptop, "ci-bot", BrowserMode::Approve, &[]).code,
        0
    );
    let export = laptop.cmd(&["connection", "export", "ci-bot"]).ok();
    let blob = export.stdout.trim().to_string();
    assert!(blob.starts_with("tether1.") && !blob.contains(char::is_whitespace));
    assert!(
        export.stderr.contains("TETHER_CONNECTION_CI_BOT"),
        "{export}"
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
    let run = |blob: &str| {
        job.cmd(&["invoke", "ci-bot", "GET", "/deploy"])
            .env_remove("TETHER_STORE")
            .env("CI", "true")
            .env("TETHER_CONNECTION_CI_BOT", blob)
            .run()
    };

    std::thread::sleep(Duration::from_secs(TTL / 2 + 1));
    let out = run(&blob);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("\"path\":\"/deploy\""), "{out}");
    assert!(
        !out.stderr.contains("warning"),
        "no keyring probe, no warning:\n{out}"
    );
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
    assert!(rotated.starts_with("tether1.") && rotated != blob);

    // The next run works from the rotated blob, through another refresh.
    std::thread::sleep(Duration::from_secs(TTL / 2 + 1));
    let out = run(&rotated);
    assert_eq!(out.code, 0, "{out}");
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
    assert_eq!(connect(&laptop, "bot", BrowserMode::Approve, &[]).code, 0);
    let blob = laptop.cmd(&["connection", "export", "bot"]).ok().stdout;
    std::thread::sleep(Duration::from_secs(TTL / 2 + 1));
    let out = laptop
        .cmd(&["token", "bot"])
        .env("TETHER_CONNECTION_BOT", blob.trim())
        .ok();
    let warnings = out.warnings();
    assert_eq!(warnings.len(), 1, "{out}");
    assert!(
        warnings[0].contains("`TETHER_CONNECTION_BOT` is now stale"),
        "{out}"
    );
}

#[test]
fn with_no_credential_in_ci_the_job_fails_fast_with_exit_7() {
    let job = Env::new();
    job.write_config("[services.api]\nauth = \"bearer\"\nbase_url = \"https://api.example.com\"\n\n[connections.deploy]\nservice = \"api\"\n");
    let out = job
        .cmd(&["invoke", "deploy", "GET", "/x"])
        .env_remove("TETHER_STORE")
        .env("CI", "true")
        .run();
    assert_eq!(out.code, 7, "{out}");
    assert!(
        out.elapsed < Duration::from_secs(1),
        "took {:?}",
        out.elapsed
    );
    let out = job.cmd(&["connect", "deploy"]).env("CI", "true").run();
    assert_eq!(out.code, 7, "no prompt in CI:\n{out}");
    assert!(out.elapsed < Duration::from_secs(1));
}

#[test]
fn import_puts_an_exported_connection_in_the_local_store() {
    let env = Env::new();
    env.write_config("[services.api]\nauth = \"bearer\"\nbase_url = \"https://api.example.com\"\n");
    env.cmd(&["connect", "src", "--service", "api", "--stdin"])
        .stdin("static-token-123\n")
        .ok();
    let blob = env.cmd(&["connection", "export", "src"]).ok().stdout;
    env.cmd(&["connection", "import", "copy"]).stdin(blob).ok();
    assert_eq!(
        env.cmd(&["token", "copy"]).ok().stdout,
        "static-token-123\n"
    );
    assert!(
        env.read_config()
            .contains("[connections.copy]\nservice = \"api\"\n")
    );
    let out = env
        .cmd(&["connection", "import", "bad"])
        .stdin("hunter2hunter2")
        .fails(2);
    assert!(!out.stderr.contains("hunter2"), "{out}");
}
