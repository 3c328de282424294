//! `tether service …`: round trips through the real binary, in table and
//! JSON forms, and the promise that a hand-written config keeps every byte
//! outside the table being edited.

use crate::util::Env;

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
    let out = env.cmd(GH).ok();
    assert!(out.stdout.is_empty(), "talk goes to stderr:\n{out}");
    assert!(out.stderr.contains("Added service `gh` (oauth2)"), "{out}");

    // Table for people.
    let out = env.cmd(&["service", "list"]).ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["NAME", "AUTH", "CLIENT", "ID", "BASE", "URL", "CONNECTIONS"]
    );
    assert_eq!(
        lines[1].split_whitespace().collect::<Vec<_>>(),
        ["gh", "oauth2", "abc123", "https://api.github.com"]
    );

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
    let text = env.cmd(&["service", "show", "gh"]).ok().stdout;
    assert!(
        text.contains("token_url      https://github.com/login/oauth/access_token"),
        "{text}"
    );

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
    .ok();
    let show = env.cmd(&["service", "show", "gh", "--json"]).ok().json();
    assert_eq!(show["client_id"], "xyz");
    assert_eq!(
        show["auth_params"],
        serde_json::json!({"allow_signup": "false"})
    );
    assert_eq!(show["scopes"], serde_json::json!(["repo", "read:org"]));
    env.cmd(&["service", "edit", "gh", "--unset", "base_url"])
        .ok();
    assert_eq!(
        env.cmd(&["service", "show", "gh", "--json"]).ok().json()["base_url"],
        serde_json::Value::Null
    );

    // An edit that would make the service invalid is refused and writes nothing.
    let before = env.read_config();
    let out = env
        .cmd(&["service", "edit", "gh", "--unset", "token_url"])
        .fails(2);
    assert!(out.stderr.contains("needs `token_url`"), "{out}");
    assert_eq!(env.read_config(), before);

    env.cmd(&["service", "remove", "gh"]).ok();
    assert_eq!(
        env.cmd(&["service", "list", "--json"]).ok().json(),
        serde_json::json!([])
    );
    let out = env.cmd(&["service", "list"]).ok();
    assert!(
        out.stdout.is_empty() && out.stderr.contains("No services yet"),
        "{out}"
    );
}

#[test]
fn every_auth_kind_can_be_added() {
    let env = Env::new();
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
    .ok();
    env.add_client_credentials(
        "m2m",
        "svc",
        "https://id.example.com/token",
        &["--client-secret-env", "M2M_SECRET", "--client-auth", "body"],
    )
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
    let out = env
        .cmd(&[
            "service",
            "add",
            "bad",
            "--auth",
            "bearer",
            "--token-url",
            "https://x.example/t",
        ])
        .fails(2);
    assert!(
        out.stderr.contains("has no meaning for auth = \"bearer\""),
        "{out}"
    );
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
    env.cmd(GH).ok();
    let path = env.config_path();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    env.cmd(&["service", "edit", "gh", "--client-id", "new"])
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
    .ok();
    let config = env.read_config();
    assert!(
        config.contains("client_secret = { keyring = true }"),
        "{config}"
    );
    assert!(!config.contains(secret));
    let stored = env.tokens_dir().join("client-secrets/m2m.json");
    let text = std::fs::read_to_string(&stored).unwrap();
    assert!(text.contains(secret), "the secret is in the file store");
    let show = env.cmd(&["service", "show", "m2m"]).ok();
    assert!(show.stdout.contains("client_secret  keyring"), "{show}");
    env.assert_never_printed(&[secret.to_string()]);

    // Removing the service deletes its stored secret.
    env.cmd(&["service", "remove", "m2m"]).ok();
    assert!(!stored.exists());
}

#[test]
fn a_missing_required_field_without_a_terminal_is_a_usage_error() {
    let env = Env::new();
    let out = env
        .cmd(&["service", "add", "gh", "--client-id", "abc"])
        .env("CI", "true")
        .fails(2);
    assert!(
        out.stderr
            .starts_with("tether: error: `authorize_url` (service `gh`"),
        "{out}"
    );
    assert!(
        out.stderr.contains("hint: pass `--authorize-url …`"),
        "{out}"
    );
    assert!(out.elapsed < std::time::Duration::from_secs(5));
    assert!(!env.config_path().exists(), "nothing written");
}

#[test]
fn remove_refuses_while_connections_use_the_service() {
    let env = Env::new();
    env.write_config(HAND_WRITTEN);
    let out = env.cmd(&["service", "remove", "gh"]).fails(2);
    assert!(
        out.stderr
            .contains("service `gh` is used by connection `gh-work`"),
        "{out}"
    );
    assert!(out.stderr.contains("--force"), "{out}");
    env.cmd(&["service", "remove", "gh", "--force"]).ok();
    let config = env.read_config();
    assert!(
        !config.contains("[services.gh]") && !config.contains("gh-work"),
        "{config}"
    );
    assert!(config.contains("[services.openai]   # API key"));
}

#[test]
fn unknown_names_get_a_suggestion() {
    let env = Env::new();
    env.write_config(HAND_WRITTEN);
    let out = env.cmd(&["service", "show", "opnai"]).fails(2);
    assert_eq!(
        out.stderr,
        "tether: error: no service named `opnai`\nhint: did you mean `openai`?\n"
    );
    let out = env
        .cmd(&["service", "add", "gh", "--auth", "bearer"])
        .fails(2);
    assert!(
        out.stderr.contains("a service named `gh` already exists"),
        "{out}"
    );
    let out = env
        .cmd(&["service", "add", "bad/name", "--auth", "bearer"])
        .fails(2);
    assert!(out.stderr.contains("is not a valid name"), "{out}");
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
