//! `invoke --batch`: NDJSON requests in, one NDJSON result per request
//! out, over pooled connections; a 429 pauses every request to its host
//! and each request is still answered; a token that comes due or is
//! refused mid-batch is refreshed once; the exit code is the highest a
//! request would have had, with a summary on stderr; a bad line stops the
//! batch before anything is sent.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::util::Env;
use crate::util::api::Api;
use crate::util::copies::Copy;
use crate::util::server::{Received, Reply};

const TOKEN: &str = "tok-batch-8d2f1b";

/// An env with a bearer service whose base URL is `base`, and a
/// connection `c` holding [`TOKEN`].
fn bearer_env(base: &str) -> Env {
    let env = Env::new();
    env.write_config(&format!(
        "[services.api]\nauth = \"bearer\"\nbase_url = \"{base}\"\n\n[connections.c]\nservice = \"api\"\n"
    ));
    env.cmd(&["connect", "c", "--stdin"])
        .stdin(TOKEN)
        .stderr(env.connected_static("c", "api"))
        .ok();
    env
}

/// The result lines of a run, parsed.
fn results(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON result line"))
        .collect()
}

#[test]
fn every_line_becomes_its_request_and_gets_one_result() {
    let api = Api::start();
    let env = bearer_env(&format!("{}/echo", api.base));
    let mut input = String::new();
    for i in 0..12 {
        input.push_str(&format!(
            "{{\"id\": \"get-{i}\", \"url\": \"/items/{{n}}\", \"vars\": {{\"n\": \"{i}\"}}, \"query\": {{\"q\": \"a b\", \"tag\": [1, true]}}}}\n"
        ));
    }
    input.push('\n');
    input.push_str(
        r#"{"id": 100, "method": "post", "url": "/new", "json": {"name": "ann", "tags": ["x"]}, "headers": {"X-Trace": "t1"}}
{"id": 101, "method": "PUT", "url": "/form", "form": {"a": "1 2", "b": 3}}
{"method": "PATCH", "url": "/raw", "body": "plain text", "headers": {"Content-Type": "text/plain"}}
"#,
    );
    let out = env
        .cmd(&[
            "invoke",
            "c",
            "--batch",
            "-",
            "--ordered",
            "--parallel",
            "3",
        ])
        .stdin(input)
        .ok();
    let results = results(&out.stdout);
    let ids: Vec<Value> = results.iter().map(|r| r["id"].clone()).collect();
    let mut expected: Vec<Value> = (0..12).map(|i| json!(format!("get-{i}"))).collect();
    expected.extend([json!(100), json!(101), json!(16)]);
    assert_eq!(
        ids, expected,
        "input order, and the line number without an id"
    );
    for (i, result) in results.iter().take(12).enumerate() {
        assert_eq!(result["status"], 200);
        assert_eq!(result["body"]["path"], format!("/echo/items/{i}"));
        assert_eq!(
            result["body"]["query"],
            json!({"q": "a b", "tag": ["1", "true"]})
        );
        assert_eq!(result["body"]["authorization"], format!("Bearer {TOKEN}"));
    }
    assert_eq!(results[12]["body"]["method"], "POST");
    assert_eq!(
        results[12]["body"]["body"],
        json!({"name": "ann", "tags": ["x"]})
    );
    assert_eq!(results[12]["body"]["headers"]["x-trace"], "t1");
    assert_eq!(
        results[12]["body"]["headers"]["content-type"],
        "application/json"
    );
    assert_eq!(results[13]["body"]["body"], "a=1+2&b=3");
    assert_eq!(
        results[13]["body"]["headers"]["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(results[14]["body"]["body"], "plain text");
    assert_eq!(results[14]["body"]["headers"]["content-type"], "text/plain");
    assert_eq!(api.hits(), 15, "each request once");
}

#[test]
fn failures_set_the_highest_code_and_a_summary() {
    let api = Api::start();
    let env = bearer_env(&api.base);
    let input = "{\"id\": 1, \"url\": \"/echo/a\"}\n\
                 {\"id\": 2, \"url\": \"/status/404\"}\n\
                 {\"id\": 3, \"url\": \"http://127.0.0.1:1/x\"}\n";
    let out = env
        .cmd(&[
            "invoke",
            "c",
            "--batch",
            "-",
            "--ordered",
            "--allow-host",
            "127.0.0.1:1",
        ])
        .stdin(input)
        .stderr("tether: 2 of 3 requests did not succeed: 1 with HTTP 4xx, 1 without a response\n")
        .fails(6);
    let results = results(&out.stdout);
    assert_eq!(results[0]["status"], 200);
    assert_eq!(results[1]["status"], 404);
    assert_eq!(results[2]["url"], "http://127.0.0.1:1/x");
    assert!(
        results[2]["error"]
            .as_str()
            .unwrap()
            .starts_with("GET http://127.0.0.1:1/x: could not connect"),
        "{}",
        results[2]
    );
    assert_eq!(results[2].get("status"), None);

    // With --no-fail, HTTP statuses count as success.
    env.cmd(&["invoke", "c", "--batch", "-", "--no-fail"])
        .stdin("{\"url\": \"/status/500\"}\n")
        .ok();
}

#[test]
fn a_bad_line_stops_the_batch_before_anything_is_sent() {
    let api = Api::start();
    api.expect_no_calls();
    let env = bearer_env(&api.base);
    env.cmd(&["invoke", "c", "--batch", "-"])
        .stdin("{\"url\": \"/echo/1\"}\n{\"url\": \"/echo/2\", \"json\": {}, \"body\": \"x\"}\n")
        .stderr(
            "tether: error: line 2 of the batch: more than one of `json`, `form` and `body`\n\
             hint: send one body: `json`, `form` or `body`\n",
        )
        .fails(2);
    env.cmd(&["invoke", "c", "--batch", "-"])
        .stdin("{\"url\": \"/echo/1\"}\n\n{\"url\": \"https://elsewhere.example/x\"}\n")
        .stderr(
            "tether: error: line 3 of the batch: refusing to send the credential of `c` to elsewhere.example: not an allowed host\n\
             hint: if `elsewhere.example` is really this service's, pass `--allow-host elsewhere.example` or add it to `allowed_hosts`\n",
        )
        .fails(2);
    env.cmd(&["invoke", "c", "--batch", "-"])
        .stdin("[\"GET\", \"/echo\"]\n")
        .stderr(
            "tether: error: line 1 of the batch: not a request: a request is a JSON object\n\
             hint: each line is an object such as {\"id\": 1, \"method\": \"GET\", \"url\": \"/items/1\", \"query\": {\"k\": \"v\"}}\n",
        )
        .fails(2);
}

#[test]
fn rate_spaces_the_start_of_requests() {
    let api = Api::start();
    let env = bearer_env(&format!("{}/echo", api.base));
    let input: String = (0..6).map(|i| format!("{{\"url\": \"/{i}\"}}\n")).collect();
    let out = env
        .cmd(&["invoke", "c", "--batch", "-", "--rate", "10/s"])
        .stdin(input)
        .ok();
    assert_eq!(results(&out.stdout).len(), 6);
    assert!(
        out.elapsed >= Duration::from_millis(500),
        "six starts 100 ms apart: {:?}",
        out.elapsed
    );
    env.cmd(&["invoke", "c", "--batch", "-", "--rate", "fast"])
        .stdin("{\"url\": \"/x\"}\n")
        .stderr(
            "tether: error: `--rate fast` is not a rate\n\
             hint: give requests per second or per minute, e.g. `--rate 10/s` or `--rate 600/m`\n",
        )
        .fails(2);
}

/// An API that answers 429 with `Retry-After: 1` to its sixth request,
/// and otherwise after 40 ms; it notes when each request arrived.
struct Limited {
    copy: Copy,
    arrivals: Arc<Mutex<Vec<(Instant, u16)>>>,
}

fn rate_limited_api() -> Limited {
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let copy = {
        let arrivals = Arc::clone(&arrivals);
        Copy::start("rate-limited API", move |request: &Received, _| {
            let n = count.fetch_add(1, Ordering::SeqCst) + 1;
            let status = if n == 6 { 429 } else { 200 };
            arrivals.lock().unwrap().push((Instant::now(), status));
            if status == 429 {
                return Reply::json(429, &json!({ "message": "slow down" }))
                    .header("Retry-After", "1");
            }
            std::thread::sleep(Duration::from_millis(40));
            Reply::json(200, &json!({ "path": request.path }))
        })
    };
    Limited { copy, arrivals }
}

#[test]
fn a_429_pauses_the_host_and_every_request_completes() {
    let api = rate_limited_api();
    let env = bearer_env(&api.copy.url(""));
    let input: String = (0..20)
        .map(|i| format!("{{\"id\": {i}, \"method\": \"POST\", \"url\": \"/jobs/{i}\"}}\n"))
        .collect();
    let started = Instant::now();
    let out = env
        .cmd(&["invoke", "c", "--batch", "-", "--parallel", "4"])
        .stdin(input)
        .ok();
    let mut ids: Vec<u64> = results(&out.stdout)
        .iter()
        .map(|r| {
            assert_eq!(r["status"], 200, "{r}");
            r["id"].as_u64().unwrap()
        })
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, (0..20).collect::<Vec<u64>>(), "every request, once");
    let arrivals = api.arrivals.lock().unwrap().clone();
    assert_eq!(arrivals.len(), 21, "20 requests and the one refused");
    assert!(started.elapsed() >= Duration::from_secs(1));
    // After the 429, nothing reached the host until the pause was over
    // (the requests already on their way aside).
    let (limited_at, _) = arrivals.iter().find(|(_, status)| *status == 429).unwrap();
    let during_pause = arrivals
        .iter()
        .filter(|(at, _)| {
            *at > *limited_at + Duration::from_millis(150)
                && *at < *limited_at + Duration::from_millis(900)
        })
        .count();
    assert_eq!(during_pause, 0, "the host was paused for Retry-After");
}

/// A GitHub-like API with a client-credentials token endpoint whose
/// tokens live `ttl` seconds; the API takes only tokens it issued and
/// answers after 200 ms. `refuse_first_after` refuses the first token
/// from that many requests on, as if it had been revoked.
fn api_with_tokens(ttl: u64, refuse_first_after: Option<usize>) -> Copy {
    let served = Arc::new(AtomicUsize::new(0));
    Copy::start("API with a token endpoint", move |request, _| {
        if request.path == "/token" {
            let form = crate::util::form_map(&request.body);
            let access = match form["grant_type"].as_str() {
                "client_credentials" => "at_1",
                _ => "at_2",
            };
            return Reply::json(
                200,
                &json!({ "access_token": access, "token_type": "Bearer", "expires_in": ttl, "refresh_token": "rt" }),
            );
        }
        let n = served.fetch_add(1, Ordering::SeqCst) + 1;
        let token = request.header("authorization").unwrap_or_default();
        let revoked = refuse_first_after.is_some_and(|after| n > after) && token == "Bearer at_1";
        if revoked || !token.starts_with("Bearer at_") {
            return Reply::json(401, &json!({ "message": "bad token" }));
        }
        std::thread::sleep(Duration::from_millis(200));
        Reply::json(200, &json!({ "token": token }))
    })
}

fn client_credentials_env(api: &Copy) -> Env {
    let mut env = Env::new();
    env.set("API_SECRET", "api-secret-5521");
    env.write_config(&format!(
        "[services.api]\nauth = \"client_credentials\"\nclient_id = \"app\"\n\
         client_secret = {{ env = \"API_SECRET\" }}\ntoken_url = \"{}\"\nbase_url = \"{}\"\n\n\
         [connections.c]\nservice = \"api\"\n",
        api.url("/token"),
        api.url(""),
    ));
    env.cmd(&["connect", "c"])
        .stderr("Connected `c` (api): expires [..]\nTry it: tether invoke c GET /\n")
        .ok();
    env
}

/// The tokens the API's requests carried, in the order they arrived.
fn tokens_sent(api: &Copy) -> Vec<String> {
    api.received()
        .iter()
        .filter(|r| r.path != "/token")
        .map(|r| r.header("authorization").unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_token_that_comes_due_mid_batch_is_refreshed_once() {
    // Four seconds of life: due after two (half its life).
    let api = api_with_tokens(4, None);
    let env = client_credentials_env(&api);
    let input: String = (0..24)
        .map(|i| format!("{{\"url\": \"/n/{i}\"}}\n"))
        .collect();
    let out = env
        .cmd(&["invoke", "c", "--batch", "-", "--parallel", "2"])
        .stdin(input)
        .ok();
    assert_eq!(results(&out.stdout).len(), 24);
    assert_eq!(api.grants("/token", "refresh_token"), 1, "one refresh");
    let tokens = tokens_sent(&api);
    let switch = tokens.iter().position(|t| t == "Bearer at_2").unwrap();
    assert!(switch > 0, "the first token was used first");
    assert!(
        tokens[switch..].iter().all(|t| t == "Bearer at_2"),
        "after the refresh, only the new token: {tokens:?}"
    );
}

#[test]
fn a_token_refused_mid_batch_is_refreshed_once_and_the_refused_are_resent() {
    let api = api_with_tokens(3600, Some(5));
    let env = client_credentials_env(&api);
    let input: String = (0..16)
        .map(|i| format!("{{\"id\": {i}, \"url\": \"/n/{i}\"}}\n"))
        .collect();
    let out = env
        .cmd(&["invoke", "c", "--batch", "-", "--parallel", "4"])
        .stdin(input)
        .ok();
    let results = results(&out.stdout);
    assert_eq!(results.len(), 16);
    assert!(results.iter().all(|r| r["status"] == 200), "{results:?}");
    assert_eq!(api.grants("/token", "refresh_token"), 1, "one refresh");
    let refused = tokens_sent(&api)
        .iter()
        .filter(|t| *t == "Bearer at_1")
        .count();
    assert!(refused > 5, "some requests were refused and sent again");
}
