//! Malformed configs: each exits 2 before any network call, names the file,
//! the line and the column, and touches no file.

use crate::util::Env;

/// (what is wrong, config text, expected line:column, the rest of stderr)
const CASES: &[(&str, &str, &str, &str)] = &[
    (
        "syntax",
        "[services.gh\nauth = \"oauth2\"\n",
        "1:13",
        "unclosed table, expected `]`\n",
    ),
    (
        "unknown top-level key",
        "stor = \"file\"\n",
        "1:1",
        "unknown field `stor`, expected one of `store`, [..]\nhint: the keys are listed in the README under \"Configuration\"\n",
    ),
    (
        "unknown service key",
        "[services.gh]\nauth = \"bearer\"\ntokn_url = \"https://x.example\"\n",
        "3:1",
        "unknown field `tokn_url`, expected one of `auth`, [..]\nhint: the keys are listed in the README under \"Configuration\"\n",
    ),
    (
        "unknown connection key",
        "[services.s]\nauth = \"bearer\"\n[connections.c]\nservice = \"s\"\nscope = []\n",
        "5:1",
        "unknown field `scope`, expected one of `service`, `scopes`, [..]\nhint: the keys are listed in the README under \"Configuration\"\n",
    ),
    (
        "wrong type",
        "[services.gh]\nauth = \"bearer\"\nallowed_hosts = \"x.example\"\n",
        "3:17",
        "invalid type: string \"x.example\", expected a sequence\n",
    ),
    (
        "bad auth kind",
        "[services.gh]\nauth = \"oauth\"\n",
        "2:8",
        "unknown variant `oauth`, expected one of `oauth2`, `client_credentials`, `device`, `api_key`, `basic`, `bearer`, `oauth1`\n",
    ),
    (
        "bad store",
        "store = \"vault\"\n",
        "1:9",
        "`store`: no store named `vault`: not `auto`, `keyring`, `file` nor a `[stores.NAME]` table\nhint: define it as `[stores.vault]`, with `kind`, `url` and `key`\n",
    ),
    (
        "bare-string secret",
        "[services.gh]\nclient_id = \"a\"\nclient_secret = \"hunter2hunter2\"\n",
        "3:17",
        "a secret cannot be a plain string; write where it lives: { env = \"VAR\" }, { command = [\"pass\", \"show\", \"name\"] } or { keyring = true } (or { value = \"...\" } to keep it in this file on purpose)\nhint: for example: client_secret = { keyring = true }\n",
    ),
    (
        "secret ref with two sources",
        "[services.gh]\nauth = \"client_credentials\"\nclient_id = \"a\"\ntoken_url = \"https://x.example/t\"\nclient_secret = { env = \"A\", keyring = true }\n",
        "5:17",
        "a secret reference holds exactly one of env, command, keyring, value, file\n",
    ),
    (
        "invalid URL",
        "[services.gh]\nclient_id = \"a\"\nauthorize_url = \"not a url\"\ntoken_url = \"https://x.example/t\"\n",
        "3:17",
        "`services.gh.authorize_url`: \"not a url\" is not a valid URL (relative URL without a base)\n",
    ),
    (
        "plain http off loopback",
        "[services.gh]\nclient_id = \"a\"\nauthorize_url = \"https://x.example/a\"\ntoken_url = \"http://x.example/t\"\n",
        "4:13",
        "`services.gh.token_url`: \"http://x.example/t\" uses plain http on a host that is not loopback; use https\n",
    ),
    (
        "non-http scheme",
        "[services.gh]\nauth = \"bearer\"\nbase_url = \"ftp://x.example\"\n",
        "3:12",
        "`services.gh.base_url`: \"ftp://x.example\" is not an http(s) URL (scheme `ftp`)\n",
    ),
    (
        "oauth2 without token_url",
        "# c\n\n[services.gh]\nclient_id = \"a\"\nauthorize_url = \"https://x.example/a\"\n",
        "3:1",
        "`services.gh`: auth = \"oauth2\" needs `token_url`\nhint: set it with `tether service edit gh --token-url …`\n",
    ),
    (
        "client_credentials without secret",
        "[services.m]\nauth = \"client_credentials\"\nclient_id = \"a\"\ntoken_url = \"https://x.example/t\"\n",
        "1:1",
        "`services.m`: auth = \"client_credentials\" needs `client_secret`\nhint: set it with `tether service edit m --client-secret-env VAR` (or --client-secret-command, --client-secret-stdin)\n",
    ),
    (
        "api_key without placement",
        "[services.k]\nauth = \"api_key\"\n",
        "1:1",
        "`services.k`: auth = \"api_key\" needs `api_key_header` or `api_key_query`\nhint: set it with `tether service edit k --api-key-header …`\n",
    ),
    (
        "connection to a missing service",
        "[services.github]\nauth = \"bearer\"\n\n[connections.c]\nservice = \"githb\"\n",
        "5:11",
        "`connections.c.service`: no service named `githb`\nhint: did you mean `github`?\n",
    ),
    (
        "reserved auth param",
        "[services.gh]\nclient_id = \"a\"\nauthorize_url = \"https://x.example/a\"\ntoken_url = \"https://x.example/t\"\nauth_params = { state = \"x\" }\n",
        "5:25",
        "`services.gh.auth_params.state`: `state` is set by tether itself and cannot be overridden\nhint: remove `state` from auth_params\n",
    ),
    (
        "plain-http redirect_uri off loopback",
        "[services.gh]\nclient_id = \"a\"\nauthorize_url = \"https://x.example/a\"\ntoken_url = \"https://x.example/t\"\nredirect_uri = \"http://x.example/cb\"\n",
        "5:16",
        "`services.gh.redirect_uri`: \"http://x.example/cb\" must be http on a loopback host, e.g. http://127.0.0.1:8400/callback (RFC 8252 §7.3), or https\n",
    ),
    (
        "port out of range",
        "[services.gh]\nclient_id = \"a\"\nauthorize_url = \"https://x.example/a\"\ntoken_url = \"https://x.example/t\"\nredirect_port = 70000\n",
        "5:17",
        "invalid value: integer `70000`, expected u16\n",
    ),
    (
        "bad allowed host",
        "[services.gh]\nauth = \"bearer\"\nallowed_hosts = [\"https://x.example\"]\n",
        "3:17",
        "`services.gh.allowed_hosts`: `https://x.example` is not a host name, a `*.example.com` pattern or `host:port`\n",
    ),
    (
        "key that means nothing for the kind",
        "[services.k]\nauth = \"api_key\"\napi_key_header = \"X-Key\"\ntoken_url = \"https://x.example/t\"\n",
        "4:13",
        "`services.k.token_url`: has no meaning for auth = \"api_key\"\nhint: remove it with `tether service edit k --unset token_url`\n",
    ),
    (
        "header name with a space",
        "[services.k]\nauth = \"api_key\"\napi_key_header = \"X Api Key\"\n",
        "3:18",
        "`services.k.api_key_header`: \"X Api Key\" is not a header name (letters, digits and `-`; RFC 9110 §5.1)\n",
    ),
    (
        "header name with a line break",
        "[services.k]\nauth = \"api_key\"\napi_key_header = \"X-Key\\r\\nInjected: 1\"\n",
        "3:18",
        "`services.k.api_key_header`: \"X-Key\\r\\nInjected: 1\" is not a header name (letters, digits and `-`; RFC 9110 §5.1)\n",
    ),
    (
        "header value with a line break",
        "[services.k]\nauth = \"api_key\"\napi_key_header = \"X-Key\"\napi_key_prefix = \"Key\\nInjected: 1 \"\n",
        "4:18",
        "`services.k.api_key_prefix`: \"Key\\nInjected: 1 \" cannot go in a header: it holds a control character or a line break\n",
    ),
    (
        "user and password in token_url",
        "[services.gh]\nclient_id = \"a\"\nauthorize_url = \"https://x.example/a\"\ntoken_url = \"https://me:hunter2hunter2@x.example/t\"\n",
        "4:13",
        "`services.gh.token_url`: has a user name or password before the host, which tether would print (`service show`, `--curl`)\nhint: remove it; a client secret goes in `client_secret`, a credential in the token store\n",
    ),
    (
        "user in base_url",
        "[services.b]\nauth = \"bearer\"\nbase_url = \"https://hunter2hunter2@api.example\"\n",
        "3:12",
        "`services.b.base_url`: has a user name or password before the host, which tether would print (`service show`, `--curl`)\nhint: remove it; a client secret goes in `client_secret`, a credential in the token store\n",
    ),
    (
        "wildcard over a top-level domain",
        "[services.gh]\nauth = \"bearer\"\nallowed_hosts = [\"*.com\"]\n",
        "3:17",
        "`services.gh.allowed_hosts`: `*.com` would allow every site under the public suffix `com`\nhint: name the service's own domain, such as `*.example.com`\n",
    ),
    (
        "wildcard over a country's public suffix",
        "[services.gh]\nauth = \"bearer\"\nallowed_hosts = [\"api.example.co.uk\", \"*.co.uk:8443\"]\n",
        "3:17",
        "`services.gh.allowed_hosts`: `*.co.uk:8443` would allow every site under the public suffix `co.uk`\nhint: name the service's own domain, such as `*.example.com`\n",
    ),
    (
        "wildcard over a hosting platform's suffix",
        "[services.gh]\nauth = \"bearer\"\nallowed_hosts = [\"*.GitHub.io\"]\n",
        "3:17",
        "`services.gh.allowed_hosts`: `*.GitHub.io` would allow every site under the public suffix `github.io`\nhint: name the service's own domain, such as `*.example.com`\n",
    ),
    (
        "redirect_uri with a fragment",
        "[services.gh]\nclient_id = \"a\"\nauthorize_url = \"https://x.example/a\"\ntoken_url = \"https://x.example/t\"\nredirect_uri = \"http://127.0.0.1:8400/callback#done\"\n",
        "5:16",
        "`services.gh.redirect_uri`: \"http://127.0.0.1:8400/callback#done\" has a fragment, which a redirect URI cannot have (RFC 6749 §3.1.2)\n",
    ),
    (
        "client_id with a line break",
        "[services.gh]\nclient_id = \"abc\\r\\nInjected: 1\"\nauthorize_url = \"https://x.example/a\"\ntoken_url = \"https://x.example/t\"\n",
        "2:13",
        "`services.gh.client_id`: \"abc\\r\\nInjected: 1\" holds a control character or a line break\n",
    ),
    (
        "placeholder glued to the host of base_url",
        "[services.b]\nauth = \"bearer\"\nbase_url = \"https://api.example.com{sfx}/v1\"\n",
        "3:12",
        "`services.b.base_url`: `{sfx}` is not a whole part of the host name\nhint: in the host, a placeholder is a whole label between dots, as in `https://{dc}.api.example.com`\n",
    ),
    (
        "placeholder inside a host label of an endpoint",
        "[services.gh]\nclient_id = \"a\"\nauthorize_url = \"https://x.example/a\"\ntoken_url = \"https://x{n}.example/t\"\nvars = { n = \"1\" }\n",
        "4:13",
        "`services.gh.token_url`: `{n}` is not a whole part of the host name\nhint: in the host, a placeholder is a whole label between dots, as in `https://{dc}.api.example.com`\n",
    ),
    (
        "placeholder in the scheme",
        "[services.b]\nauth = \"bearer\"\nbase_url = \"http{s}://api.example.com/v1\"\n",
        "3:12",
        "`services.b.base_url`: `{s}` is not a whole part of the host name\nhint: in the host, a placeholder is a whole label between dots, as in `https://{dc}.api.example.com`\n",
    ),
    (
        "invalid service name",
        "[services.\"a b\"]\nauth = \"bearer\"\n",
        "1:1",
        "`services.a b`: `a b` is not a valid name: use letters, digits, `-`, `_` and `.`, starting with a letter or digit (64 at most)\n",
    ),
];

#[test]
fn malformed_configs_exit_2_with_line_and_column() {
    assert!(CASES.len() >= 15);
    for (what, text, place, rest) in CASES {
        let env = Env::new();
        env.write_config(text);
        let before = snapshot(&env);
        // `connection list` would reach the store; `service list` must not
        // get that far. BROWSER points at a command that would leave a mark.
        eprintln!("case: {what}");
        let out = env
            .cmd(&["service", "list"])
            .env("BROWSER", "touch browser-ran")
            .stderr(format!(
                "tether: error: {}:{place}: {rest}",
                env.config_path().display()
            ))
            .stdout("")
            .fails(2);
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
    env.cmd(&["service", "list"])
        .stderr(format!(
            "tether: error: {}:3:6: the file is not UTF-8 text\nhint: save it as UTF-8\n",
            env.config_path().display()
        ))
        .fails(2);
}

#[test]
fn a_damaged_token_record_does_not_hide_the_other_connections() {
    let env = Env::new();
    env.write_config("[services.s]\nauth = \"bearer\"\n\n[connections.a]\nservice = \"s\"\n\n[connections.b]\nservice = \"s\"\n");
    let tokens = env.tokens_dir().display().to_string();
    for name in ["a", "b"] {
        env.cmd(&["connect", name, "--stdin"])
            .stdin(format!("t0ken-{name}"))
            .stderr(format!(
                "Connected `{name}` (s): never expires, static credential; tokens in file ({tokens})\n\
                 Try it: tether invoke {name} GET /\n"
            ))
            .ok();
    }
    std::fs::write(env.tokens_dir().join("a.json"), "{\"secret\": 5").unwrap();
    let out = env
        .cmd(&["status", "--json"])
        .stderr(format!(
            "tether: warning: cannot read the tokens of `a`: token store (file): {tokens}/a.json has a value of the wrong type (line 1, column 12)\n"
        ))
        .ok();
    let list = out.json();
    assert_eq!(list[0]["status"], "unreadable");
    assert_eq!(list[1]["status"], "connected");
}
