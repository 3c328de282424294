//! `tether service …`: round trips through the real binary, in table and
//! JSON forms, and the promise that a hand-written config keeps every byte
//! outside the table being edited.

use crate::util::Env;

/// What `service add` says about service `name` of auth `kind`.
fn added(name: &str, kind: &str, config: &std::path::Path) -> String {
    let connect = match kind {
        "api_key" | "basic" | "bearer" => String::new(),
        _ => format!("Connect it with `tether connect NAME --service {name}`\n"),
    };
    format!(
        "Added service `{name}` ({kind}) to {}\n{connect}",
        config.display()
    )
}

fn updated(name: &str) -> String {
    format!("Updated service `{name}`\n")
}

const GH: &[&str] = &[
    "service",
    "add",
    "gh",
    "--client-id",
    "abc123",
    "--authorize-url",
    "https://github.com/login/oauth/authorize",
    "--token-url",
    "https://github.com/login/oauth/access_token",
    "--scope",
    "repo",
    "--scope",
    "read:org",
    "--base-url",
    "https://api.github.com",
];

#[test]
fn add_list_show_edit_remove_round_trip() {
    let env = Env::new();
    // Talk goes to stderr.
    env.cmd(GH)
        .stderr(added("gh", "oauth2", &env.config_path()))
        .stdout("")
        .ok();

    // Table for people.
    env.cmd(&["service", "list"])
        .stdout(
            "NAME  AUTH    CLIENT ID  BASE URL                CONNECTIONS\n\
             gh    oauth2  abc123     https://api.github.com\n",
        )
        .ok();

    // JSON for scripts: every key present.
    let list = env.cmd(&["service", "list", "--json"]).ok().json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let gh = &list[0];
    assert_eq!(gh["name"], "gh");
    assert_eq!(gh["auth"], "oauth2");
    assert_eq!(gh["scopes"], serde_json::json!(["repo", "read:org"]));
    assert_eq!(gh["refresh_url"], serde_json::Value::Null);
    assert_eq!(gh["connections"], serde_json::json!([]));

    let show = env.cmd(&["service", "show", "gh", "--json"]).ok().json();
    assert_eq!(&show, gh);
    env.cmd(&["service", "show", "gh"])
        .stdout(
            "name           gh\n\
             auth           oauth2\n\
             client_id      abc123\n\
             authorize_url  https://github.com/login/oauth/authorize\n\
             token_url      https://github.com/login/oauth/access_token\n\
             scopes         repo read:org\n\
             base_url       https://api.github.com\n",
        )
        .ok();

    // Edit changes only what is given.
    env.cmd(&[
        "service",
        "edit",
        "gh",
        "--client-id",
        "xyz",
        "--auth-param",
        "allow_signup=false",
    ])
    .stderr(updated("gh"))
    .ok();
    let show = env.cmd(&["service", "show", "gh", "--json"]).ok().json();
    assert_eq!(show["client_id"], "xyz");
    assert_eq!(
        show["auth_params"],
        serde_json::json!({"allow_signup": "false"})
    );
    assert_eq!(show["scopes"], serde_json::json!(["repo", "read:org"]));
    env.cmd(&["service", "edit", "gh", "--unset", "base_url"])
        .stderr(updated("gh"))
        .ok();
    assert_eq!(
        env.cmd(&["service", "show", "gh", "--json"]).ok().json()["base_url"],
        serde_json::Value::Null
    );

    // An edit that would make the service invalid is refused and writes nothing.
    let before = env.read_config();
    env.cmd(&["service", "edit", "gh", "--unset", "token_url"])
        .stderr(
            "tether: error: `services.gh`: auth = \"oauth2\" needs `token_url`\n\
             hint: set it with `tether service edit gh --token-url …`\n",
        )
        .fails(2);
    assert_eq!(env.read_config(), before);

    env.cmd(&["service", "remove", "gh"])
        .stderr("Removed service `gh`\n")
        .ok();
    assert_eq!(
        env.cmd(&["service", "list", "--json"]).ok().json(),
        serde_json::json!([])
    );
    env.cmd(&["service", "list"])
        .stderr("No services yet. Add one with `tether service add NAME`.\n")
        .stdout("")
        .ok();
}

#[test]
fn every_auth_kind_can_be_added() {
    let env = Env::new();
    let config = env.config_path();
    env.cmd(&[
        "service",
        "add",
        "openai",
        "--auth",
        "api-key",
        "--api-key-header",
        "Authorization",
        "--api-key-prefix",
        "Bearer ",
        "--base-url",
        "https://api.openai.com/v1",
    ])
    .stderr(added("openai", "api_key", &config))
    .ok();
    env.cmd(&[
        "service",
        "add",
        "gmaps",
        "--auth",
        "api-key",
        "--api-key-query",
        "key",
        "--base-url",
        "https://maps.example.com",
    ])
    .stderr(added("gmaps", "api_key", &config))
    .ok();
    env.cmd(&[
        "service",
        "add",
        "jira",
        "--auth",
        "basic",
        "--base-url",
        "https://x.atlassian.net",
    ])
    .stderr(added("jira", "basic", &config))
    .ok();
    env.cmd(&[
        "service",
        "add",
        "static",
        "--auth",
        "bearer",
        "--base-url",
        "https://api.example.com",
    ])
    .stderr(added("static", "bearer", &config))
    .ok();
    env.add_client_credentials(
        "m2m",
        "svc",
        "https://id.example.com/token",
        &["--client-secret-env", "M2M_SECRET", "--client-auth", "body"],
    )
    .stderr(added("m2m", "client_credentials", &config))
    .ok();
    env.cmd(&[
        "service",
        "add",
        "tv",
        "--auth",
        "device",
        "--client-id",
        "tv",
        "--device-authorization-url",
        "https://id.example.com/device",
        "--token-url",
        "https://id.example.com/token",
        "--scope-separator",
        ",",
    ])
    .stderr(added("tv", "device", &config))
    .ok();
    let list = env.cmd(&["service", "list", "--json"]).ok().json();
    let kinds: Vec<(&str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["auth"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("gmaps", "api_key"),
            ("jira", "basic"),
            ("m2m", "client_credentials"),
            ("openai", "api_key"),
            ("static", "bearer"),
            ("tv", "device"),
        ]
    );
    let m2m = env.cmd(&["service", "show", "m2m", "--json"]).ok().json();
    assert_eq!(
        m2m["client_secret"],
        serde_json::json!({"env": "M2M_SECRET"})
    );
    assert_eq!(m2m["client_auth"], "body");
    // A key that means nothing for the kind is refused.
    env.cmd(&[
        "service",
        "add",
        "bad",
        "--auth",
        "bearer",
        "--token-url",
        "https://x.example/t",
    ])
    .stderr(
        "tether: error: `services.bad.token_url`: has no meaning for auth = \"bearer\"\n\
         hint: remove it with `tether service edit bad --unset token_url`\n",
    )
    .fails(2);
}

const HAND_WRITTEN: &str = r#"# Services I use at work.   (tabs	and  odd spacing on purpose)
store = "file"

[connections.gh-work]          # the work account
service = "gh"
vars = { org = "acme" }


# GitHub OAuth app "tether-dev"
[services.gh]
token_url = 'https://github.com/login/oauth/access_token'   # literal string
scopes = [ "repo",
           "read:org" ]   # multi-line array
client_id = "abc"  # keep me
authorize_url = "https://github.com/login/oauth/authorize"

[services.openai]   # API key
auth = "api_key"
api_key_header = "Authorization"
api_key_prefix = "Bearer "

# the end
"#;

#[test]
fn add_and_edit_keep_every_byte_outside_the_edited_table() {
    let env = Env::new();
    env.write_config(HAND_WRITTEN);

    env.cmd(&[
        "service",
        "add",
        "stripe",
        "--auth",
        "bearer",
        "--base-url",
        "https://api.stripe.com",
    ])
    .stderr(added("stripe", "bearer", &env.config_path()))
    .ok();
    let after_add = env.read_config();
    assert!(
        after_add.starts_with(HAND_WRITTEN),
        "everything before is kept:\n{after_add}"
    );
    assert_eq!(
        &after_add[HAND_WRITTEN.len()..],
        "\n[services.stripe]\nauth = \"bearer\"\nbase_url = \"https://api.stripe.com\"\n"
    );

    env.cmd(&["service", "edit", "gh", "--client-id", "xyz"])
        .stderr(updated("gh"))
        .ok();
    let after_edit = env.read_config();
    assert_eq!(
        after_edit,
        after_add.replace(
            "client_id = \"abc\"  # keep me",
            "client_id = \"xyz\"  # keep me"
        )
    );

    // A new key goes at the end of its table; the rest stays.
    env.cmd(&[
        "service",
        "edit",
        "openai",
        "--base-url",
        "https://api.openai.com/v1",
    ])
    .stderr(updated("openai"))
    .ok();
    let after_new_key = env.read_config();
    assert_eq!(
        after_new_key,
        after_edit.replace(
            "api_key_prefix = \"Bearer \"\n",
            "api_key_prefix = \"Bearer \"\nbase_url = \"https://api.openai.com/v1\"\n"
        )
    );
}

#[cfg(unix)]
#[test]
fn edits_keep_the_file_permissions_and_create_a_private_folder() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.cmd(GH)
        .stderr(added("gh", "oauth2", &env.config_path()))
        .ok();
    let path = env.config_path();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    env.cmd(&["service", "edit", "gh", "--client-id", "new"])
        .stderr(updated("gh"))
        .ok();
    assert_eq!(mode(&path), 0o644);
}

#[test]
fn secret_from_stdin_goes_to_the_store_never_to_the_file() {
    let env = Env::new();
    let secret = "cs_live_9f8e7d6c5b4a";
    env.add_client_credentials(
        "m2m",
        "svc",
        "https://id.example.com/token",
        &["--client-secret-stdin"],
    )
    .stdin(format!("{secret}\n"))
    .stderr(added("m2m", "client_credentials", &env.config_path()))
    .ok();
    assert_eq!(
        env.read_config(),
        "[services.m2m]\n\
         auth = \"client_credentials\"\n\
         client_id = \"svc\"\n\
         client_secret = { keyring = true }\n\
         token_url = \"https://id.example.com/token\"\n"
    );
    let stored = env.tokens_dir().join("client-secrets/m2m.json");
    assert_eq!(
        std::fs::read_to_string(&stored).unwrap(),
        format!("{{\"client_secret\":\"{secret}\"}}\n"),
        "the secret is in the file store"
    );
    env.cmd(&["service", "show", "m2m"])
        .stdout(
            "name           m2m\n\
             auth           client_credentials\n\
             client_id      svc\n\
             client_secret  keyring\n\
             token_url      https://id.example.com/token\n",
        )
        .ok();
    env.assert_never_printed(&[secret.to_string()]);

    // Removing the service deletes its stored secret.
    env.cmd(&["service", "remove", "m2m"])
        .stderr("Removed service `m2m`\n")
        .ok();
    assert!(!stored.exists());
}

#[test]
fn a_missing_required_field_without_a_terminal_is_a_usage_error() {
    let env = Env::new();
    let out = env
        .cmd(&["service", "add", "gh", "--client-id", "abc"])
        .env("CI", "true")
        .stderr(
            "tether: error: `authorize_url` (service `gh`, auth = \"oauth2\") is required\n\
             hint: pass `--authorize-url …`, or run the command in a terminal to be asked\n",
        )
        .fails(2);
    assert!(out.elapsed < std::time::Duration::from_secs(5));
    assert!(!env.config_path().exists(), "nothing written");
}

#[test]
fn remove_refuses_while_connections_use_the_service() {
    let env = Env::new();
    env.write_config(HAND_WRITTEN);
    env.cmd(&["service", "remove", "gh"])
        .stderr(
            "tether: error: service `gh` is used by connection `gh-work`\n\
             hint: remove those connections first, or run `tether service remove gh --force`\n",
        )
        .fails(2);
    env.cmd(&["service", "remove", "gh", "--force"])
        .stderr("Removed service `gh`\nRemoved connection `gh-work` and its tokens\n")
        .ok();
    // The service and its connection go with the comments above them;
    // every other byte stays.
    assert_eq!(
        env.read_config(),
        "# Services I use at work.   (tabs\tand  odd spacing on purpose)\n\
         store = \"file\"\n\
         \n\
         [services.openai]   # API key\n\
         auth = \"api_key\"\n\
         api_key_header = \"Authorization\"\n\
         api_key_prefix = \"Bearer \"\n\
         \n\
         # the end\n"
    );
}

#[test]
fn unknown_names_get_a_suggestion() {
    let env = Env::new();
    env.write_config(HAND_WRITTEN);
    env.cmd(&["service", "show", "opnai"])
        .stderr("tether: error: no service named `opnai`\nhint: did you mean `openai`?\n")
        .fails(2);
    env.cmd(&["service", "add", "gh", "--auth", "bearer"])
        .stderr(
            "tether: error: a service named `gh` already exists\n\
             hint: change it with `tether service edit gh`\n",
        )
        .fails(2);
    env.cmd(&["service", "add", "bad/name", "--auth", "bearer"])
        .stderr(
            "tether: error: `bad/name` is not a valid name: use letters, digits, `-`, `_` and `.`, starting with a letter or digit (64 at most)\n",
        )
        .fails(2);
}

#[test]
fn the_example_config_is_valid_and_lists_every_service() {
    let env = Env::new();
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/tether.toml");
    let list = env
        .cmd(&[
            "--config",
            example.to_str().unwrap(),
            "service",
            "list",
            "--json",
        ])
        .ok()
        .json();
    let kinds: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["auth"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "client_credentials",
            "oauth2",
            "oauth2",
            "oauth2",
            "api_key"
        ]
    );
}
