//! `tether doctor`: each check says what works here, and a failing one
//! makes the command exit 1.

use crate::util::Env;

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
    assert!(checks.as_array().unwrap().iter().all(|c| c["ok"] == true));
    assert!(
        checks[1]["detail"]
            .as_str()
            .unwrap()
            .starts_with("not available")
    );
    let browser = env
        .cmd(&["doctor"])
        .env("BROWSER", "firefox --new-tab")
        .ok();
    assert!(
        browser.stdout.contains("$BROWSER is `firefox --new-tab`"),
        "{browser}"
    );

    env.write_config("[services.x]\nauth = \"bad\"\n");
    let out = env.cmd(&["doctor"]).fails(1);
    let config_line = out
        .stdout
        .lines()
        .find(|l| l.starts_with("config"))
        .unwrap();
    assert!(
        config_line.contains("FAIL") && config_line.contains("tether.toml:2:8"),
        "{out}"
    );
}
