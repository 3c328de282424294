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
             config      FAIL  {root}/.config/tether/tether.toml:2:8: unknown variant `bad`, expected one of `oauth2`, `client_credentials`, `device`, `api_key`, `basic`, `bearer`\n\
             keyring     ok    {keyring_detail} — set `store = \"file\"` to say so and silence the warning\n\
             file store  ok    {root}/.local/share/tether/tokens is writable (0700)\n\
             browser     ok    none found: `connect` prints the URL to open elsewhere — use `connect --manual`, `--remote` or `--device` on this machine\n\
             {clock}\n"
        ))
        .fails(1);
}
