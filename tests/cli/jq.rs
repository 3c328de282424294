//! `invoke --jq`: the results of a filter equal those of the `jq` program
//! on the same body, byte for byte, with and without `--raw-output`; a
//! mistake in the expression is a usage error at its column, found before
//! anything is sent; a filter that fails, or a body that is not JSON,
//! fails the run; the body of an HTTP error is shown unfiltered.
//!
//! The `jq` program comes from the Debian package `jq`, which
//! `scripts/test.sh` installs when it runs as root.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::util::Env;
use crate::util::api::Api;

const TOKEN: &str = "tok-5e1d0a7c3b";

/// What the API is sent and echoes back under `body`: nesting, empty
/// containers, escapes, non-ASCII text, and numbers jq prints its own way.
const DATA: &str = r#"{
  "items": [
    {"id": 1, "name": "alpha", "tags": ["x", "y"], "price": 9.5, "active": true, "owner": null},
    {"id": 2, "name": "beta", "tags": [], "price": 0.1, "active": false, "owner": {"login": "ann"}},
    {"id": 3, "name": "gamma \"quoted\"\ttab", "tags": ["z"], "price": 0.00001, "active": true, "owner": {"login": "bo"}}
  ],
  "total": 3,
  "next": null,
  "unicode": "héllo wörld ✓ 😀",
  "control": "a\u0001b\u007fc\nd",
  "nested": {"a": {"b": {"c": [1, [2, [3]]]}}},
  "big": 1e20,
  "neg": -0.0,
  "whole": 3.0,
  "ratio": 0.3333333333333333,
  "empty_obj": {},
  "empty_arr": []
}"#;

/// Filters over the echo of [`DATA`], each run by tether and by `jq`.
const FILTERS: &[&str] = &[
    ".",
    ".body",
    ".body.items[].name",
    ".body.items | length",
    ".body.items[] | select(.active) | .id",
    "[.body.items[] | .price]",
    ".body.items | map({id, name})",
    ".body.items[0] | keys",
    ".body.items | map(.tags | length) | add",
    ".body.unicode, .body.control",
    ".body.nested.a.b.c | flatten",
    ".body | to_entries | map(.key)",
    ".body.items | sort_by(.price) | map(.name)",
    ".body.items | group_by(.active) | map(length)",
    ".body.items[] | \"\\(.id): \\(.name)\"",
    ".body.items | map(select(.owner != null) | .owner.login) | join(\",\")",
    ".body.total * 2 + 1",
    ".body.items | map(.price) | add / length",
    ".body | [.big, .neg, .whole, .ratio]",
    ".body.empty_obj, .body.empty_arr, .body.next",
    ".body.items[] | {name, first_tag: .tags[0]}",
    "[.body.items[].id] | min, max",
    ".body.items | map(.name | ascii_upcase)",
    ".body.items[] | .owner // \"nobody\"",
    "if .body.total > 2 then \"many\" else \"few\" end",
    "reduce .body.items[] as $i (0; . + $i.id)",
    "[limit(2; .body.items[])] | map(.id)",
    ".body.items | first.name, last.name",
    ".body.items | map(.price * 100 | floor)",
    ".body | del(.items, .nested) | keys",
    ".body.items | map(.tags) | add | unique",
    "[range(0; 10; 3)]",
    ".body.items[] | [.id, .name, .active, .owner.login] | @csv, @tsv",
    "[.body.unicode, .body.control, 1, null] | @csv, @tsv",
    ".body.items[] | select(.name | test(\"^[ab]\")) | .id",
    ".body.items | map(has(\"owner\")), map(.owner | type)",
    "[.body.nested | .. | numbers]",
    ".method, .path, .query",
    ".body.items[1] | tojson",
    ".body.unicode | explode | length",
    ".body.items | to_entries[] | \"\\(.key)=\\(.value.name)\"",
];

/// Filters over the `--json` envelope: only its fixed parts, since its
/// `date` header changes from one request to the next.
const ENVELOPE_FILTERS: &[&str] = &[
    ".status",
    ".headers[\"content-type\"]",
    ".body.body.items[0]",
    "{status, name: .body.body.items[2].name}",
];

/// An env with a bearer service whose base_url is `api`'s `/echo`, and a
/// connection `c` holding [`TOKEN`].
fn bearer_env(api: &Api) -> Env {
    let env = Env::new();
    env.write_config(&format!(
        "[services.api]\nauth = \"bearer\"\nbase_url = \"{}/echo\"\n\n[connections.c]\nservice = \"api\"\n",
        api.base
    ));
    env.cmd(&["connect", "c", "--stdin"])
        .stdin(format!("{TOKEN}\n"))
        .stderr(env.connected_static("c", "api"))
        .ok();
    env
}

/// The `jq` program, which the comparison needs.
fn jq_program() -> String {
    let found = Command::new("sh")
        .args(["-c", "command -v jq"])
        .output()
        .expect("sh runs");
    let path = String::from_utf8_lossy(&found.stdout).trim().to_string();
    assert!(
        found.status.success() && !path.is_empty(),
        "the jq program is not installed: `apt-get install jq` (scripts/test.sh does it as root)"
    );
    path
}

/// What `jq [-r] FILTER` prints for `input`.
fn jq(program: &str, filter: &str, raw: bool, input: &[u8]) -> Vec<u8> {
    let mut command = Command::new(program);
    if raw {
        command.arg("-r");
    }
    let mut child = command
        .arg(filter)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("jq runs");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "jq {filter}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

#[test]
fn results_equal_the_jq_program_on_the_same_body() {
    assert!(FILTERS.len() >= 20);
    let program = jq_program();
    let api = Api::start();
    let env = bearer_env(&api);
    std::fs::write(env.root().join("data.json"), DATA).unwrap();
    let request = ["invoke", "c", "POST", "/data", "--body", "@data.json"];
    let body = env.cmd(&request).ok().stdout_bytes;
    let echoed: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        echoed["body"],
        serde_json::from_str::<serde_json::Value>(DATA).unwrap()
    );
    let envelope = env
        .cmd(&[&request[..], &["--json"]].concat())
        .ok()
        .stdout_bytes;

    let mut differences = Vec::new();
    let cases = FILTERS.iter().map(|filter| (filter, &body, &[][..])).chain(
        ENVELOPE_FILTERS
            .iter()
            .map(|filter| (filter, &envelope, &["--json"][..])),
    );
    for (filter, input, extra) in cases {
        for raw in [false, true] {
            let expected = jq(&program, filter, raw, input);
            let mut args = [&request[..], extra, &["--jq", filter]].concat();
            if raw {
                args.push("-r");
            }
            let got = env.cmd(&args).ok().stdout_bytes;
            if got != expected {
                differences.push(format!(
                    "{filter} (raw: {raw})\n--- jq\n{}--- tether\n{}",
                    String::from_utf8_lossy(&expected),
                    String::from_utf8_lossy(&got)
                ));
            }
        }
    }
    assert!(
        differences.is_empty(),
        "tether and jq differ:\n{}",
        differences.join("\n")
    );
}

#[test]
fn a_mistake_in_the_filter_is_a_usage_error_before_anything_is_sent() {
    let api = Api::start();
    let env = bearer_env(&api);
    api.expect_no_calls();
    env.cmd(&["invoke", "c", "GET", "/x", "--jq", ".items[] | | .id"])
        .stderr(
            "tether: error: invalid `--jq` filter at column 12: expected term, found `|`\n  \
             .items[] | | .id\n             ^\n",
        )
        .fails(2);
    env.cmd(&["invoke", "c", "GET", "/x", "--jq", ".a | nosuch"])
        .stderr(
            "tether: error: invalid `--jq` filter at column 6: no filter named `nosuch/0`\n  \
             .a | nosuch\n       ^\n",
        )
        .fails(2);
    // The environment may hold credentials: the filter cannot read it.
    env.cmd(&["invoke", "c", "GET", "/x", "--jq", "env.HOME"])
        .stderr(
            "tether: error: invalid `--jq` filter at column 1: no filter named `env/0`\n  \
             env.HOME\n  ^\n",
        )
        .fails(2);
    env.cmd(&["invoke", "c", "GET", "/x", "-r"])
        .stderr(
            "error: the following required arguments were not provided:\n  --jq <EXPR>\n\n\
             Usage: tether invoke --jq <EXPR> --raw-output <NAME> <METHOD> <URL> [ITEM]...\n\n\
             For more information, try '--help'.\n",
        )
        .fails(2);
    env.cmd(&["invoke", "c", "GET", "/x", "--jq", ".", "-o", "out.json"])
        .stderr(
            "error: the argument '--jq <EXPR>' cannot be used with '--output <FILE>'\n\n\
             Usage: tether invoke --jq <EXPR> <NAME> <METHOD> <URL> [ITEM]...\n\n\
             For more information, try '--help'.\n",
        )
        .fails(2);
}

#[test]
fn a_failing_filter_keeps_its_earlier_results_and_fails_the_run() {
    let api = Api::start();
    let env = bearer_env(&api);
    std::fs::write(env.root().join("data.json"), DATA).unwrap();
    let filter = ".body.items[] | if .id < 3 then .id else error(\"no \\(.name)\") end";
    env.cmd(&[
        "invoke",
        "c",
        "POST",
        "/data",
        "--body",
        "@data.json",
        "--jq",
        filter,
    ])
    .stdout("1\n2\n")
    .stderr("tether: error: `--jq` failed: no gamma \"quoted\"\ttab\n")
    .fails(1);
    env.cmd(&["invoke", "c", "GET", "/x", "--jq", ".method | .[0]"])
        .stderr("tether: error: `--jq` failed: cannot index \"GET\" with 0\n")
        .fails(1);
}

#[test]
fn a_body_that_is_not_json_fails_unless_the_envelope_is_filtered() {
    let api = Api::start();
    let env = bearer_env(&api);
    let bytes = api.url("/bytes");
    env.cmd(&["invoke", "c", "GET", &bytes, "--jq", "."])
        .stderr(
            "tether: error: `--jq` needs a JSON body, and this one is not: expected value at line 1 column 1\n\
             hint: add `--json` to filter the envelope, whose `body` holds the text\n",
        )
        .fails(1);
    env.cmd(&[
        "invoke",
        "c",
        "GET",
        &bytes,
        "--json",
        "--jq",
        ".body | length",
    ])
    .stdout("10\n")
    .ok();
    // An empty body holds no value: nothing to print.
    env.cmd(&["invoke", "c", "HEAD", "/x", "--jq", "."])
        .stdout("")
        .ok();
}

#[test]
fn the_body_of_an_http_error_is_shown_unfiltered_and_the_envelope_filtered() {
    let api = Api::start();
    let env = bearer_env(&api);
    let missing = api.url("/status/404");
    env.cmd(&["invoke", "c", "GET", &missing, "--jq", ".items[]"])
        .stdout(r#"{"status":404}"#)
        .stderr("tether: HTTP 404 Not Found\n")
        .fails(4);
    env.cmd(&["invoke", "c", "GET", &missing, "--json", "--jq", ".status"])
        .stdout("404\n")
        .stderr("tether: HTTP 404 Not Found\n")
        .fails(4);
    env.cmd(&[
        "invoke",
        "c",
        "GET",
        &missing,
        "--no-fail",
        "--json",
        "-r",
        "--jq",
        ".headers[\"content-type\"]",
    ])
    .stdout("application/json\n")
    .ok();
}
