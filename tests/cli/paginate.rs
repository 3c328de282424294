//! `invoke --paginate` against loopback copies of how four APIs page their
//! listings: GitHub (`Link: rel="next"`), Slack (a cursor in
//! `response_metadata.next_cursor`), Microsoft Graph (`@odata.nextLink`)
//! and Zoho (`page` and `info.more_records`). Every item comes out exactly
//! once and in order, as one JSON array, as NDJSON or through `--jq`; each
//! page carries the credential, a token that comes due between pages is
//! refreshed, and a next page on another host is refused like any URL.

use serde_json::{Value, json};

use crate::util::copies::{Copy, token_answer};
use crate::util::server::{Received, Reply};
use crate::util::{Env, age_record_file};

const TOKEN: &str = "tok-pages-4c1e9a";

/// An env with a bearer service `name` whose base URL is `base`, holding
/// `pagination` lines, and a connection `c` holding [`TOKEN`].
fn bearer_env(name: &str, base: &str, pagination: &str) -> Env {
    let env = Env::new();
    env.write_config(&format!(
        "[services.{name}]\nauth = \"bearer\"\nbase_url = \"{base}\"\n{pagination}\n\
         [connections.c]\nservice = \"{name}\"\n"
    ));
    env.cmd(&["connect", "c", "--stdin"])
        .stdin(TOKEN)
        .stderr(env.connected_static("c", name))
        .ok();
    env
}

/// Item `i` of a listing.
fn item(i: usize) -> Value {
    json!({ "id": i, "name": format!("item-{i}") })
}

/// Items `from..to`.
fn items(from: usize, to: usize) -> Vec<Value> {
    (from..to).map(item).collect()
}

/// The query parameter `name` of `request`, as a number.
fn number(request: &Received, name: &str) -> Option<usize> {
    request.param(name).and_then(|v| v.parse().ok())
}

const REPOS: usize = 14;
const PER_PAGE: usize = 3;

/// A GitHub-like listing of [`REPOS`] repositories: `page` and `per_page`
/// in the query, the other pages in `Link` (RFC 8288) with absolute URLs,
/// `rel="next"` on every page but the last. With a token endpoint, the
/// API takes only the newest token it issued; `on_page` runs before each
/// page is answered.
fn github_like(
    name: &'static str,
    on_page: impl Fn(usize) + Send + Sync + 'static,
    next_host: Option<String>,
) -> Copy {
    Copy::start(name, move |request, port| {
        if request.path == "/login/oauth/access_token" {
            let form = crate::util::form_map(&request.body);
            return match form["grant_type"].as_str() {
                "client_credentials" => token_answer("ghu_1", "ghr_1"),
                _ => token_answer("ghu_2", "ghr_1"),
            };
        }
        assert_eq!(request.path, "/user/repos");
        let page = number(request, "page").unwrap_or(1);
        let per_page = number(request, "per_page").unwrap_or(30);
        on_page(page);
        let last = REPOS.div_ceil(per_page);
        let host = next_host
            .clone()
            .unwrap_or_else(|| format!("127.0.0.1:{port}"));
        let link = |p: usize, rel: &str| {
            format!("<http://{host}/user/repos?per_page={per_page}&page={p}>; rel=\"{rel}\"")
        };
        let mut links = vec![link(1, "first"), link(last, "last")];
        if page < last {
            links.insert(0, link(page + 1, "next"));
        }
        if page > 1 {
            links.push(link(page - 1, "prev"));
        }
        let from = (page - 1) * per_page;
        let to = (page * per_page).min(REPOS);
        Reply::json(200, &Value::Array(items(from, to))).header("Link", links.join(", "))
    })
}

/// The pages a copy served, in order (its token requests left out).
fn pages(copy: &Copy, param: &str) -> Vec<Option<String>> {
    copy.received()
        .iter()
        .filter(|r| r.method == "GET")
        .map(|r| r.param(param).map(str::to_string))
        .collect()
}

#[test]
fn github_like_link_headers_give_every_item_once_in_order() {
    let github = github_like("GitHub-like API", |_| {}, None);
    let env = bearer_env("gh", &github.url(""), "");
    env.cmd(&[
        "invoke",
        "c",
        "GET",
        "/user/repos",
        "per_page==3",
        "--paginate",
    ])
    .stdout(format!("{}\n", Value::Array(items(0, REPOS))))
    .ok();
    assert_eq!(
        pages(&github, "page"),
        [
            None,
            Some("2".into()),
            Some("3".into()),
            Some("4".into()),
            Some("5".into())
        ],
        "five pages, each once"
    );
    for request in github.received() {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str()),
            "every page carries the credential"
        );
    }

    // NDJSON, written as the pages arrive; `--max-pages` stops early.
    let lines: String = items(0, 2 * PER_PAGE)
        .iter()
        .map(|item| format!("{item}\n"))
        .collect();
    env.cmd(&[
        "invoke",
        "c",
        "GET",
        "/user/repos",
        "per_page==3",
        "--paginate",
        "--ndjson",
        "--max-pages",
        "2",
    ])
    .stdout(lines)
    .ok();

    // `--jq` runs on each item.
    let names: String = (0..REPOS).map(|i| format!("item-{i}\n")).collect();
    env.cmd(&[
        "invoke",
        "c",
        "GET",
        "/user/repos",
        "per_page==3",
        "--paginate",
        "--jq",
        ".name",
        "-r",
    ])
    .stdout(names)
    .ok();
}

#[test]
fn a_token_that_comes_due_between_pages_is_refreshed_once() {
    let env = Env::new();
    let record = env.record_path("c");
    // While page 2 is answered, an hour passes for the stored record.
    let github = github_like(
        "GitHub-like API with a token endpoint",
        move |page| {
            if page == 2 {
                age_record_file(&record, 3600);
            }
        },
        None,
    );
    env.write_config(&format!(
        "[services.gh]\nauth = \"client_credentials\"\nclient_id = \"gh-app\"\n\
         client_secret = {{ env = \"GH_SECRET\" }}\ntoken_url = \"{}\"\nbase_url = \"{}\"\n\n\
         [connections.c]\nservice = \"gh\"\n",
        github.url("/login/oauth/access_token"),
        github.url(""),
    ));
    env.cmd(&["connect", "c"])
        .env("GH_SECRET", "gh-secret-77")
        .stderr("Connected `c` (gh): expires [..]\nTry it: tether invoke c GET /\n")
        .ok();
    env.cmd(&[
        "invoke",
        "c",
        "GET",
        "/user/repos",
        "per_page==3",
        "--paginate",
    ])
    .env("GH_SECRET", "gh-secret-77")
    .stdout(format!("{}\n", Value::Array(items(0, REPOS))))
    .ok();
    let tokens: Vec<String> = github
        .received()
        .iter()
        .filter(|r| r.method == "GET")
        .map(|r| r.header("authorization").unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        tokens,
        [
            "Bearer ghu_1",
            "Bearer ghu_1",
            "Bearer ghu_2",
            "Bearer ghu_2",
            "Bearer ghu_2"
        ]
    );
    assert_eq!(
        github.grants("/login/oauth/access_token", "refresh_token"),
        1
    );
    assert_eq!(env.record("c").unwrap()["access_token"], "ghu_2");
}

#[test]
fn a_next_page_on_another_host_is_refused_like_any_url() {
    let elsewhere = Copy::start("a host the credential may not reach", |_, _| {
        Reply::json(200, &json!([]))
    });
    elsewhere.expect_no_calls();
    let github = github_like("GitHub-like API", |_| {}, Some(elsewhere.host()));
    let env = bearer_env("gh", &github.url(""), "");
    let host = elsewhere.host();
    env.cmd(&["invoke", "c", "GET", "/user/repos", "per_page==3", "--paginate"])
        .stdout(format!(
            "[{}",
            items(0, PER_PAGE)
                .iter()
                .map(Value::to_string)
                .collect::<Vec<_>>()
                .join(",")
        ))
        .stderr(format!(
            "tether: error: refusing to send the credential of `c` to {host}: not an allowed port for this host\n\
             hint: if `{host}` is really this service's, pass `--allow-host {host}` or add it to `allowed_hosts`\n"
        ))
        .fails(2);
    assert_eq!(github.received().len(), 1);
}

#[test]
fn an_http_error_on_a_later_page_closes_the_array_and_says_where() {
    let github = Copy::start("GitHub-like API that fails on page 3", |request, port| {
        let page = number(request, "page").unwrap_or(1);
        if page == 3 {
            return Reply::json(500, &json!({ "message": "Server Error" }));
        }
        let next = format!(
            "<http://127.0.0.1:{port}/repos?page={}>; rel=\"next\"",
            page + 1
        );
        Reply::json(200, &Value::Array(items(page * 10, page * 10 + 2))).header("Link", next)
    });
    let env = bearer_env("gh", &github.url(""), "");
    let mut expected = items(10, 12);
    expected.extend(items(20, 22));
    env.cmd(&["invoke", "c", "GET", "/repos", "--paginate"])
        .stdout(format!("{}\n", Value::Array(expected)))
        .stderr("tether: HTTP 500 Internal Server Error (page 3)\n")
        .fails(5);
}

const CHANNELS: usize = 7;

/// A Slack-like `conversations.list`: `limit` items per page, an opaque
/// cursor in `response_metadata.next_cursor`, empty on the last page.
fn slack_like() -> Copy {
    Copy::start("Slack-like API", |request, _| {
        assert_eq!(request.path, "/api/conversations.list");
        let limit = number(request, "limit").unwrap_or(100);
        let from = match request.param("cursor") {
            None => 0,
            Some(cursor) => cursor
                .strip_prefix("dXNlcjpD")
                .and_then(|n| n.parse().ok())
                .expect("a cursor this API issued"),
        };
        let to = (from + limit).min(CHANNELS);
        let next = if to < CHANNELS {
            format!("dXNlcjpD{to}")
        } else {
            String::new()
        };
        Reply::json(
            200,
            &json!({
                "ok": true,
                "channels": items(from, to),
                "response_metadata": { "next_cursor": next },
            }),
        )
    })
}

#[test]
fn slack_like_cursors_come_from_the_service_s_pagination() {
    let slack = slack_like();
    let env = bearer_env(
        "slack",
        &slack.url("/api"),
        "pagination = { next = \"cursor\", cursor = \"response_metadata.next_cursor\", items = \"channels\" }\n",
    );
    env.cmd(&[
        "invoke",
        "c",
        "GET",
        "/conversations.list",
        "limit==3",
        "--paginate",
        "--ndjson",
    ])
    .stdout(
        items(0, CHANNELS)
            .iter()
            .map(|i| format!("{i}\n"))
            .collect::<String>(),
    )
    .ok();
    assert_eq!(
        pages(&slack, "cursor"),
        [None, Some("dXNlcjpD3".into()), Some("dXNlcjpD6".into())]
    );
    // The same strategy from flags, the service's table being empty.
    let env = bearer_env("slack", &slack.url("/api"), "");
    env.cmd(&[
        "invoke",
        "c",
        "GET",
        "/conversations.list",
        "limit==5",
        "--paginate",
        "--next",
        "cursor",
        "--cursor",
        "response_metadata.next_cursor",
        "--items",
        "channels",
        "--jq",
        ".id",
    ])
    .stdout("0\n1\n2\n3\n4\n5\n6\n")
    .ok();
}

const USERS: usize = 8;

/// A Microsoft Graph-like `/users`: `$top` per page, the next page's
/// whole URL in `@odata.nextLink` (absent on the last).
fn graph_like() -> Copy {
    Copy::start("Microsoft Graph-like API", |request, port| {
        assert_eq!(request.path, "/v1.0/users");
        let top = number(request, "$top").unwrap_or(100);
        let from = number(request, "$skiptoken").unwrap_or(0);
        let to = (from + top).min(USERS);
        let mut body = json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users",
            "value": items(from, to),
        });
        if to < USERS {
            body["@odata.nextLink"] = json!(format!(
                "http://127.0.0.1:{port}/v1.0/users?$top={top}&$skiptoken={to}"
            ));
        }
        Reply::json(200, &body)
    })
}

#[test]
fn graph_like_next_links_in_the_body_are_followed() {
    let graph = graph_like();
    let env = bearer_env("graph", &graph.url("/v1.0"), "");
    env.cmd(&[
        "invoke",
        "c",
        "GET",
        "/users",
        "$top==3",
        "--paginate",
        "--next",
        "next_url",
        "--cursor",
        "@odata.nextLink",
        "--items",
        "value",
    ])
    .stdout(format!("{}\n", Value::Array(items(0, USERS))))
    .ok();
    assert_eq!(
        pages(&graph, "$skiptoken"),
        [None, Some("3".into()), Some("6".into())]
    );
}

const LEADS: usize = 5;

/// A Zoho CRM-like `/Leads`: `page` and `per_page`, records in `data`,
/// `info.more_records` false on the last page.
fn zoho_like() -> Copy {
    Copy::start("Zoho CRM-like API", |request, _| {
        assert_eq!(request.path, "/crm/v5/Leads");
        assert_eq!(
            request.header("authorization"),
            Some(format!("Zoho-oauthtoken {TOKEN}").as_str())
        );
        let page = number(request, "page").unwrap_or(1);
        let per_page = number(request, "per_page").unwrap_or(200);
        let from = (page - 1) * per_page;
        let to = (page * per_page).min(LEADS);
        Reply::json(
            200,
            &json!({
                "data": items(from, to),
                "info": { "per_page": per_page, "count": to - from, "page": page, "more_records": to < LEADS },
            }),
        )
    })
}

#[test]
fn zoho_like_pages_count_up_while_more_records_follow() {
    let zoho = zoho_like();
    let env = Env::new();
    env.write_config(&format!(
        "[services.zoho]\nauth = \"api_key\"\napi_key_header = \"Authorization\"\n\
         api_key_prefix = \"Zoho-oauthtoken \"\nbase_url = \"{}\"\n\n[connections.c]\nservice = \"zoho\"\n",
        zoho.url("/crm/v5")
    ));
    env.cmd(&["connect", "c", "--stdin"])
        .stdin(TOKEN)
        .stderr(env.connected_static("c", "zoho"))
        .ok();
    env.cmd(&[
        "service",
        "edit",
        "zoho",
        "--pagination",
        "next=page",
        "--pagination",
        "items=data",
        "--pagination",
        "has_more=info.more_records",
    ])
    .stderr("Updated service `zoho`\n")
    .ok();
    env.cmd(&["invoke", "c", "GET", "/Leads", "per_page==2", "--paginate"])
        .stdout(format!("{}\n", Value::Array(items(0, LEADS))))
        .ok();
    assert_eq!(
        pages(&zoho, "page"),
        [None, Some("2".into()), Some("3".into())]
    );
}
