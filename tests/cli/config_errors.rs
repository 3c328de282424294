//! Malformed configs: each exits 2 before any network call, names the file,
//! the line and the column, and touches no file.

use crate::util::Env;

/// (what is wrong, config text, expected line:column, text the message holds)
const CASES: &[(&str, &str, &str, &str)] = &[
    (
        "syntax",
        "[services.gh\nauth = \"oauth2\"\n",
        "1:13",
        "unclosed table",
    ),
    (
        "unknown top-level key",
        "stor = \"file\"\n",
        "1:1",
        "unknown field `stor`",
    ),
    (
        "unknown service key",
        "[services.gh]\nauth = \"bearer\"\ntokn_url = \"https://x.example\"\n",
        "3:1",
        "unknown field `tokn_url`",
    ),
    (
        "unknown connection key",
        "[services.s]\nauth = \"bearer\"\n[connections.c]\nservice = \"s\"\nscope = []\n",
        "5:1",
        "unknown field `scope`",
    ),
    (
        "wrong type",
        "[services.gh]\nauth = \"bearer\"\nallowed_hosts = \"x.example\"\n",
        "3:17",
        "invalid type",
    ),
    (
        "bad auth kind",
        "[services.gh]\nauth = \"oauth\"\n",
        "2:8",
        "unknown variant `oauth`",
    ),
    (
        "bad store",
        "store = \"vault\"\n",
        "1:9",
        "unknown variant `vault`",
    ),
    (
        "bare-string secret",
        "[services.gh]\nclient_id = \"a\"\nclient_secret = \"hunter2hunter2\"\n",
        "3:17",
        "{ env = \"VAR\" }",
    ),
    (
        "secret ref with two sources",
        "[services.gh]\nauth = \"client_credentials\"\nclient_id = \"a\"\ntoken_url = \"https://x.example/t\"\nclient_secret = { env = \"A\", keyring = true }\n",
        "5:17",
        "exactly one of",
    ),
    (
        "invalid URL",
        "[services.gh]\nclient_id = \"a\"\nauthorize_url = \"not a url\"\ntoken_url = \"https://x.example/t\"\n",
        "3:17",
        "is not a valid URL",
    ),
    (
        "plain http off loopback",
        "[services.gh]\nclient_id = \"a\"\nauthorize_url = \"https://x.example/a\"\ntoken_url = \"http://x.example/t\"\n",
        "4:13",
        "plain http",
    ),
    (
        "non-http scheme",
        "[services.gh]\nauth = \"bearer\"\nbase_url = \"ftp://x.example\"\n",
        "3:12",
        "scheme `ftp`",
    ),
    (
        "oauth2 without token_url",
        "# c\n\n[services.gh]\nclient_id = \"a\"\nauthorize_url = \"https://x.example/a\"\n",
        "3:1",
        "needs `token_url`",
    ),
    (
        "client_credentials without secret",
        "[services.m]\nauth = \"client_credentials\"\nclient_id = \"a\"\ntoken_url = \"https://x.example/t\"\n",
        "1:1",
        "needs `client_secret`",
    ),
    (
        "api_key without placement",
        "[services.k]\nauth = \"api_key\"\n",
        "1:1",
        "needs `api_key_header` or `api_key_query`",
    ),
    (
        "connection to a missing service",
        "[services.github]\nauth = \"bearer\"\n\n[connections.c]\nservice = \"githb\"\n",
        "5:11",
        "no service named `githb`",
    ),
    (
        "reserved auth param",
        "[services.gh]\nclient_id = \"a\"\nauthorize_url = \"https://x.example/a\"\ntoken_url = \"https://x.example/t\"\nauth_params = { state = \"x\" }\n",
        "5:25",
        "`state` is set by tether itself",
    ),
    (
        "plain-http redirect_uri off loopback",
        "[services.gh]\nclient_id = \"a\"\nauthorize_url = \"https://x.example/a\"\ntoken_url = \"https://x.example/t\"\nredirect_uri = \"http://x.example/cb\"\n",
        "5:16",
        "loopback",
    ),
    (
        "port out of range",
        "[services.gh]\nclient_id = \"a\"\nauthorize_url = \"https://x.example/a\"\ntoken_url = \"https://x.example/t\"\nredirect_port = 70000\n",
        "5:17",
        "invalid value",
    ),
    (
        "bad allowed host",
        "[services.gh]\nauth = \"bearer\"\nallowed_hosts = [\"https://x.example\"]\n",
        "3:17",
        "not a host name",
    ),
    (
        "key that means nothing for the kind",
        "[services.k]\nauth = \"api_key\"\napi_key_header = \"X-Key\"\ntoken_url = \"https://x.example/t\"\n",
        "4:13",
        "has no meaning for auth = \"api_key\"",
    ),
    (
        "invalid service name",
        "[services.\"a b\"]\nauth = \"bearer\"\n",
        "1:1",
        "is not a valid name",
    ),
];

#[test]
fn malformed_configs_exit_2_with_line_and_column() {
    assert!(CASES.len() >= 15);
    for (what, text, place, needle) in CASES {
        let env = Env::new();
        env.write_config(text);
        let before = snapshot(&env);
        // `connection list` would reach the store; `service list` must not
        // get that far. BROWSER points at a command that would leave a mark.
        let out = env
            .cmd(&["service", "list"])
            .env("BROWSER", "touch browser-ran")
            .run();
        assert_eq!(out.code, 2, "{what}: expected exit 2\n{out}");
        let expected = format!("tether: error: {}:{place}: ", env.config_path().display());
        assert!(
            out.stderr.starts_with(&expected),
            "{what}: expected `{expected}`\n{out}"
        );
        assert!(
            out.stderr.contains(needle),
            "{what}: expected `{needle}`\n{out}"
        );
        assert!(out.stdout.is_empty(), "{what}\n{out}");
        assert!(
            !out.stderr.contains("hunter2"),
            "{what}: a secret leaked\n{out}"
        );
        assert_eq!(snapshot(&env), before, "{what}: files changed");
    }
}

/// Every file under the test home, with its content.
fn snapshot(env: &Env) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![env.root().to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.push((path, bytes));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn a_config_that_is_not_utf8_is_a_config_error() {
    let env = Env::new();
    env.write_config("[services.x]\nauth = \"bearer\"\n");
    let mut bytes = std::fs::read(env.config_path()).unwrap();
    bytes.extend_from_slice(b"# caf\xe9\n");
    std::fs::write(env.config_path(), bytes).unwrap();
    let out = env.cmd(&["service", "list"]).fails(2);
    let expected = format!(
        "tether: error: {}:3:6: the file is not UTF-8 text",
        env.config_path().display()
    );
    assert!(out.stderr.starts_with(&expected), "{out}");
}

#[test]
fn a_damaged_token_record_does_not_hide_the_other_connections() {
    let env = Env::new();
    env.write_config("[services.s]\nauth = \"bearer\"\n\n[connections.a]\nservice = \"s\"\n\n[connections.b]\nservice = \"s\"\n");
    env.cmd(&["connect", "a", "--stdin"]).stdin("t0ken-a").ok();
    env.cmd(&["connect", "b", "--stdin"]).stdin("t0ken-b").ok();
    std::fs::write(env.tokens_dir().join("a.json"), "{\"secret\": 5").unwrap();
    let out = env.cmd(&["status", "--json"]).ok();
    let list = out.json();
    assert_eq!(list[0]["status"], "unreadable");
    assert_eq!(list[1]["status"], "connected");
    assert!(
        out.stderr.contains("cannot read the tokens of `a`"),
        "{out}"
    );
}
