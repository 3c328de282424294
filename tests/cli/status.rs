//! Status tells what `token` would do: a connection `status` calls
//! connected gives a token, one that needs authorization exits 7, and a
//! stored record that tether could not have written is unreadable.

use crate::util::fake_provider::{CLIENT_ID, CLIENT_SECRET, FakeProvider, Quirk, TTL};
use crate::util::{Env, line_matches};

/// Services `s` and `t` (bearer) and connection `c` of `s`, connected with
/// a static token.
fn connected_env() -> Env {
    let env = Env::new();
    env.write_config(
        "[services.s]\nauth = \"bearer\"\n\n[services.t]\nauth = \"bearer\"\n\n[connections.c]\nservice = \"s\"\n",
    );
    env.cmd(&["connect", "c", "--stdin"])
        .stdin("t0ken-c")
        .stderr(env.connected_static("c", "s"))
        .ok();
    env
}

/// Replaces the text of the file-store record of `c`, keeping the file
/// (and so its private mode).
fn overwrite_record(env: &Env, text: &str) {
    std::fs::write(env.tokens_dir().join("c.json"), text).unwrap();
}

fn status(env: &Env) -> serde_json::Value {
    env.cmd(&["status", "--json"]).ok().json()[0]["status"].clone()
}

#[test]
fn a_record_of_another_service_is_not_connected() {
    let env = connected_env();
    assert_eq!(status(&env), "connected");
    // The config now points `c` at `t`: its token belongs to `s`.
    env.write_config(
        "[services.s]\nauth = \"bearer\"\n\n[services.t]\nauth = \"bearer\"\n\n[connections.c]\nservice = \"t\"\n",
    );
    env.cmd(&["token", "c"])
        .stderr(
            "tether: error: connection `c` holds tokens of service `s`, but the config now says `t`\n\
             hint: run `tether connect c`\n",
        )
        .fails(7);
    assert_eq!(status(&env), "needs authorization");
}

#[test]
fn a_record_of_another_auth_kind_is_not_connected() {
    let env = connected_env();
    // The service now gets its tokens with client credentials: a bearer
    // token's record holds no access token.
    env.write_config(
        "[services.s]\nauth = \"client_credentials\"\nclient_id = \"a\"\ntoken_url = \"https://x.example/t\"\nclient_secret = { env = \"NOPE\" }\n\n[connections.c]\nservice = \"s\"\n",
    );
    env.cmd(&["token", "c"])
        .stderr("tether: error: connection `c` holds no credential\nhint: run `tether connect c`\n")
        .fails(7);
    assert_eq!(status(&env), "needs authorization");
}

#[test]
fn a_record_without_a_credential_or_a_time_is_unreadable() {
    let env = connected_env();
    for (text, why) in [
        ("{}", "it holds no credential"),
        (
            "{\"service\":\"s\",\"auth\":\"bearer\",\"obtained_at\":1700000000}",
            "it holds no credential",
        ),
        (
            "{\"service\":\"s\",\"auth\":\"bearer\",\"secret\":\"t0ken-c\"}",
            "it does not say when it was obtained",
        ),
    ] {
        overwrite_record(&env, text);
        env.cmd(&["token", "c"])
            .stderr(format!(
                "tether: error: connection `c` has an unreadable token record: {why}\n\
                 hint: run `tether connect c`\n"
            ))
            .fails(7);
        assert_eq!(status(&env), "unreadable", "{text}");
    }

    overwrite_record(&env, "{}");
    let entry = &env.cmd(&["status", "--json"]).ok().json()[0];
    assert_eq!(entry["obtained_at"], serde_json::Value::Null);
    // No expiry, and no "obtained 20000d ago".
    let shown = env.cmd(&["connection", "show", "c"]).ok().stdout;
    assert!(
        shown.starts_with(&format!(
            "name     c\n\
             service  s (bearer)\n\
             status   unreadable\n\
             scopes   -\n\
             refresh  no\n\
             store    file ({})\n\n",
            env.tokens_dir().display()
        )),
        "{shown}"
    );
}

#[test]
fn a_corrupt_record_says_how_to_replace_it() {
    let env = connected_env();
    overwrite_record(&env, "{\"secret\": 5");
    let path = env.tokens_dir().join("c.json");
    for args in [&["token", "c"][..], &["connection", "show", "c"]] {
        env.cmd(args)
            .stderr(format!(
                "tether: error: token store (file): {} has a value of the wrong type (line 1, column 12)\n\
                 hint: run `tether connect c`\n",
                path.display()
            ))
            .fails(1);
    }
}

/// A browser that takes its time before it follows the authorization URL.
fn slow_browser(env: &Env, seconds: u32) -> String {
    let path = env.root().join("slow-browser");
    std::fs::write(
        &path,
        format!("#!/bin/sh\nsleep {seconds}\nexec curl -sL -o /dev/null \"$1\"\n"),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path.display().to_string()
}

#[test]
fn connect_says_when_the_new_token_expires_from_when_it_arrived() {
    let fake = FakeProvider::start(Quirk::GitHubLikeTokenEndpoint);
    let env = Env::new();
    env.write_config(&format!(
        "[services.svc]\n\
         template = \"github\"\n\
         client_id = \"{CLIENT_ID}\"\n\
         client_secret = {{ env = \"FAKE_SECRET\" }}\n\
         authorize_url = \"{}\"\n\
         token_url = \"{}\"\n",
        fake.url("/authorize"),
        fake.url("/token"),
    ));
    // The user takes 3 s in the browser; the token lives TTL seconds from
    // its arrival, not from the start of `connect`.
    let out = env
        .cmd(&["connect", "c", "--service", "svc", "--timeout", "60"])
        .env("FAKE_SECRET", CLIENT_SECRET)
        .env("BROWSER", slow_browser(&env, 3))
        .stderr(format!(
            "Open this URL to authorize `c` (svc):\n\n  [..]\n\n\
             Connected `c` (svc): expires in [..]s, refreshable; tokens in file ({})\n\
             Try it: tether invoke c GET /\n",
            env.tokens_dir().display()
        ))
        .ok();
    let line = out
        .stderr
        .lines()
        .find(|l| line_matches("Connected [..]", l))
        .unwrap();
    let seconds: u64 = line
        .split("expires in ")
        .nth(1)
        .and_then(|rest| rest.split('s').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no expiry in {line:?}"));
    assert!(seconds <= TTL, "{line}");
}
