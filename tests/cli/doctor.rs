//! `tether doctor`: each check says what works here, and a failing one
//! makes the command exit 1.

use serde_json::json;

use crate::util::{Env, line_matches};

#[test]
fn doctor_reports_each_check_and_fails_on_a_broken_config() {
    let env = Env::new();
    let checks = env.cmd(&["doctor", "--json"]).ok().json();
    let names: Vec<&str> = checks
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["config", "keyring", "file store", "browser", "clock"]
    );
    let root = env.root_str();
    let keyring_detail = "not available (zbus error: Failed to connect to address `unix:path=/nonexistent/tether-test-bus`: No such file or directory (os error 2)); tokens go to the file store";
    assert_eq!(
        checks.as_array().unwrap()[..4],
        [
            json!({
                "name": "config",
                "ok": true,
                "detail": format!("{root}/.config/tether/tether.toml does not exist yet (an empty config)"),
            }),
            json!({
                "name": "keyring",
                "ok": true,
                "detail": keyring_detail,
                "hint": "set `store = \"file\"` to say so and silence the warning",
            }),
            json!({
                "name": "file store",
                "ok": true,
                "detail": format!("{root}/.local/share/tether/tokens is writable (0700)"),
            }),
            json!({
                "name": "browser",
                "ok": true,
                "detail": "none found: `connect` prints the URL to open elsewhere",
                "hint": "use `connect --manual`, `--remote` or `--device` on this machine",
            }),
        ]
    );
    assert_eq!(checks[4]["ok"], true);
    assert!(
        line_matches(
            "[..]-[..]-[..]T[..]:[..]:[..]Z (UTC)",
            checks[4]["detail"].as_str().unwrap()
        ),
        "{checks}"
    );

    let clock = "clock       ok[..]  [..]-[..]-[..]T[..]:[..]:[..]Z (UTC)";
    env.cmd(&["doctor"])
        .env("BROWSER", "firefox --new-tab")
        .stdout(format!(
            "CHECK           DETAIL\n\
             config      ok  {root}/.config/tether/tether.toml does not exist yet (an empty config)\n\
             keyring     ok  {keyring_detail} — set `store = \"file\"` to say so and silence the warning\n\
             file store  ok  {root}/.local/share/tether/tokens is writable (0700)\n\
             browser     ok  $BROWSER is `firefox --new-tab`\n\
             {clock}\n"
        ))
        .ok();

    env.write_config("[services.x]\nauth = \"bad\"\n");
    env.cmd(&["doctor"])
        .stdout(format!(
            "CHECK             DETAIL\n\
             config      FAIL  {root}/.config/tether/tether.toml:2:8: unknown variant `bad`, expected one of `oauth2`, `client_credentials`, `device`, `api_key`, `basic`, `bearer`, `oauth1`\n\
             keyring     ok    {keyring_detail} — set `store = \"file\"` to say so and silence the warning\n\
             file store  ok    {root}/.local/share/tether/tokens is writable (0700)\n\
             browser     ok    none found: `connect` prints the URL to open elsewhere — use `connect --manual`, `--remote` or `--device` on this machine\n\
             {clock}\n"
        ))
        .fails(1);
}

/// Sets the permission bits of `path`.
#[cfg(unix)]
fn chmod(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The permission bits of `path`.
#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[cfg(unix)]
#[test]
fn token_files_others_can_read_fail_the_check_and_fix_makes_them_private() {
    let env = Env::new();
    env.write_config("[services.s]\nauth = \"bearer\"\n");
    env.cmd(&["connect", "a", "--service", "s", "--stdin"])
        .stdin("t0ken-a")
        .stderr(env.connected_static("a", "s"))
        .ok();
    let dir = env.tokens_dir();
    let file = dir.join("a.json");
    chmod(&file, 0o644);
    chmod(&dir, 0o755);
    let (dir_s, file_s) = (dir.display().to_string(), file.display().to_string());

    let checks = env.cmd(&["doctor", "--json"]).fails(1).json();
    assert_eq!(
        checks[2],
        json!({
            "name": "file store",
            "ok": false,
            "detail": format!("not private: {dir_s} (mode 0755), {file_s} (mode 0644)"),
            "hint": "run `tether doctor --fix`, or `chmod 700` the folders and `chmod 600` the files",
        })
    );

    // The store refuses what others could have read, as ssh does with keys.
    env.cmd(&["token", "a"])
        .stderr(format!(
            "tether: error: token store (file): {file_s} is not private (mode 0644); refusing to read it\n\
             hint: run `tether doctor --fix`, or `chmod 600 {file_s}`\n"
        ))
        .fails(1);

    let checks = env.cmd(&["doctor", "--fix", "--json"]).ok().json();
    assert_eq!(
        checks[2],
        json!({
            "name": "file store",
            "ok": true,
            "detail": format!(
                "{dir_s} is writable (0700); made private: {dir_s} (was mode 0755), {file_s} (was mode 0644)"
            ),
        })
    );
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&file), 0o600);
    env.cmd(&["token", "a"]).stdout("t0ken-a\n").ok();
    // Nothing left to repair: the plain verdict again.
    let checks = env.cmd(&["doctor", "--fix", "--json"]).ok().json();
    assert_eq!(checks[2]["detail"], format!("{dir_s} is writable (0700)"));
}

#[cfg(unix)]
#[test]
fn a_client_secret_file_others_can_read_is_named() {
    let env = Env::new();
    env.add_client_credentials(
        "m2m",
        "id",
        "https://x.example/token",
        &["--client-secret-stdin"],
    )
    .stdin("cs-s3cret-value")
    .stderr(format!(
        "Added service `m2m` (client_credentials) to {}\n\
         Connect it with `tether connect NAME --service m2m`\n",
        env.config_path().display()
    ))
    .ok();
    let folder = env.tokens_dir().join("client-secrets");
    let file = folder.join("m2m.json");
    chmod(&file, 0o640);
    let checks = env.cmd(&["doctor", "--json"]).fails(1).json();
    assert_eq!(
        checks[2]["detail"],
        format!("not private: {} (mode 0640)", file.display())
    );
    let checks = env.cmd(&["doctor", "--fix", "--json"]).ok().json();
    assert_eq!(
        checks[2]["detail"],
        format!(
            "{} is writable (0700); made private: {} (was mode 0640)",
            env.tokens_dir().display(),
            file.display()
        )
    );
    assert_eq!(mode(&file), 0o600);
    assert_eq!(mode(&folder), 0o700);
}

#[cfg(unix)]
#[test]
fn a_config_is_checked_for_who_may_read_and_change_it() {
    let env = Env::new();
    let path = env.config_path();
    let path_s = path.display().to_string();
    // References only: others may read it.
    env.write_config("[services.s]\nauth = \"bearer\"\n");
    chmod(&path, 0o644);
    let checks = env.cmd(&["doctor", "--json"]).ok().json();
    assert_eq!(
        checks[0],
        json!({"name": "config", "ok": true, "detail": format!("{path_s}: 1 services, 0 connections")})
    );

    // Others may not change it: it says where tokens are sent.
    chmod(&path, 0o664);
    let checks = env.cmd(&["doctor", "--json"]).fails(1).json();
    assert_eq!(
        checks[0],
        json!({
            "name": "config",
            "ok": false,
            "detail": format!("{path_s} can be changed by other users (mode 0664)"),
            "hint": format!("run `tether doctor --fix`, or `chmod go-w {path_s}`"),
        })
    );
    let checks = env.cmd(&["doctor", "--fix", "--json"]).ok().json();
    assert_eq!(
        checks[0]["detail"],
        format!("{path_s}: 1 services, 0 connections; permissions fixed (was mode 0664, now 0644)")
    );
    assert_eq!(mode(&path), 0o644);

    // A secret kept in the file makes it private.
    env.write_config(
        "[services.m]\nauth = \"client_credentials\"\nclient_id = \"a\"\ntoken_url = \"https://x.example/t\"\nclient_secret = { value = \"hunter2hunter2\" }\n",
    );
    chmod(&path, 0o644);
    let out = env.cmd(&["doctor", "--json"]).fails(1);
    assert_eq!(
        out.json()[0],
        json!({
            "name": "config",
            "ok": false,
            "detail": format!("{path_s} holds a secret in plain text ({{ value = … }}) and is not private (mode 0644)"),
            "hint": format!("run `tether doctor --fix`, or `chmod 600 {path_s}`"),
        })
    );
    assert!(!out.stdout.contains("hunter2"));
    let checks = env.cmd(&["doctor", "--fix", "--json"]).ok().json();
    assert_eq!(
        checks[0]["detail"],
        format!("{path_s}: 1 services, 0 connections; permissions fixed (was mode 0644, now 0600)")
    );
    assert_eq!(mode(&path), 0o600);
}
