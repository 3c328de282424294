//! `invoke --paginate`: where a listing's next page is, and which items a
//! page holds, as data ([`Strategy`]), and the items written out as they
//! arrive ([`ItemWriter`]).
//!
//! A strategy is built once from a service's `pagination` table and the
//! `invoke` flags of the same names, so a request never starts with a
//! strategy that lacks a part. Four ways to name the next page:
//!
//! * `link`: the RFC 8288 `Link` header's target with `rel="next"`
//!   (GitHub, GitLab), the default;
//! * `cursor`: a cursor in the body (`response_metadata.next_cursor`),
//!   sent back in a query parameter (`cursor`);
//! * `next_url`: a URL in the body (`@odata.nextLink`, `nextRecordsUrl`),
//!   resolved against the page's own URL;
//! * `page`: a page number in a query parameter, counted up from the
//!   first request's (or 1).
//!
//! A page with a `has_more` field that is not `true` is the last, and so
//! is a `page`-counted page without items when there is no such field.
//! This module decides what the next URL is; the caller checks it
//! against the allow-list like any URL before anything is sent there.

use std::io::Write;

use serde_json::Value;
use url::Url;

use super::jq::{Jq, RunError};
use super::send::Response;
use crate::config::{NextPage, Pagination};
use crate::{Error, Result};

/// How to find the next page and the items of each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strategy {
    next: Follow,
    /// Where the array of items is; `None`: the page is the array.
    items: Option<JsonPath>,
    /// A boolean that says whether more pages follow.
    has_more: Option<JsonPath>,
}

/// Where the next page is named, with what each way needs.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Follow {
    Link,
    Cursor { at: JsonPath, param: String },
    NextUrl { at: JsonPath },
    Page { param: String },
}

/// What one page gave.
#[derive(Debug)]
pub struct Page {
    pub items: Vec<Value>,
    /// The URL of the next page; `None` after the last.
    pub next: Option<Url>,
}

/// Why a page could not be read on ([`Error::Pagination`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageProblem {
    /// The body is not JSON, where the strategy reads the body.
    NotJson { detail: String },
    /// No array of items where `items` points (or, without `items`, the
    /// page is not an array).
    NoItems { path: Option<String> },
    /// The next page named is one already fetched: following it would
    /// loop.
    Repeats,
}

impl PageProblem {
    /// The message, for page `page` (counted from 1).
    pub fn message(&self, page: u32) -> String {
        match self {
            PageProblem::NotJson { detail } => {
                format!("page {page} of the listing is not JSON: {detail}")
            }
            PageProblem::NoItems { path: Some(path) } => {
                format!("page {page} of the listing has no array at `{path}`")
            }
            PageProblem::NoItems { path: None } => {
                format!("page {page} of the listing is not an array")
            }
            PageProblem::Repeats => {
                format!("page {page} of the listing names a page already fetched as the next")
            }
        }
    }

    pub fn hint(&self) -> Option<String> {
        match self {
            PageProblem::NoItems { .. } => Some(
                "name the array of items with `--items PATH`, or `items` in the service's `pagination`"
                    .into(),
            ),
            PageProblem::Repeats => {
                Some("the API repeats itself; `--max-pages N` stops after N pages".into())
            }
            PageProblem::NotJson { .. } => None,
        }
    }
}

impl Strategy {
    /// The strategy `pagination` describes; `cursor` and `next_url` need
    /// the path of their value ([`Error::PaginationNeeds`]).
    pub fn new(pagination: &Pagination) -> Result<Strategy> {
        let needs = |next: NextPage, key: &'static str| Error::PaginationNeeds { next, key };
        let next = match pagination.next.unwrap_or(NextPage::Link) {
            NextPage::Link => Follow::Link,
            NextPage::Cursor => Follow::Cursor {
                at: JsonPath::parse(
                    pagination
                        .cursor
                        .as_deref()
                        .ok_or_else(|| needs(NextPage::Cursor, "cursor"))?,
                ),
                param: pagination.param.clone().unwrap_or_else(|| "cursor".into()),
            },
            NextPage::NextUrl => Follow::NextUrl {
                at: JsonPath::parse(
                    pagination
                        .cursor
                        .as_deref()
                        .ok_or_else(|| needs(NextPage::NextUrl, "cursor"))?,
                ),
            },
            NextPage::Page => Follow::Page {
                param: pagination.param.clone().unwrap_or_else(|| "page".into()),
            },
        };
        Ok(Strategy {
            next,
            items: pagination.items.as_deref().map(JsonPath::parse),
            has_more: pagination.has_more.as_deref().map(JsonPath::parse),
        })
    }

    /// Reads page number `number` (from 1), the answer to a request for
    /// `url`: its items, and the URL of the next page.
    pub fn page(&self, number: u32, url: &Url, response: &Response) -> Result<Page> {
        let failed = |problem| Error::Pagination {
            page: number,
            problem,
        };
        let body = if response.body.iter().all(u8::is_ascii_whitespace) {
            Value::Null
        } else {
            serde_json::from_slice(&response.body).map_err(|e| {
                failed(PageProblem::NotJson {
                    detail: e.to_string(),
                })
            })?
        };
        let items = match (&body, &self.items) {
            // An empty answer (204) has no items and no next page.
            (Value::Null, None) => Vec::new(),
            (body, None) => body
                .as_array()
                .cloned()
                .ok_or_else(|| failed(PageProblem::NoItems { path: None }))?,
            (body, Some(path)) => path
                .find(body)
                .and_then(Value::as_array)
                .cloned()
                .ok_or_else(|| {
                    failed(PageProblem::NoItems {
                        path: Some(path.text.clone()),
                    })
                })?,
        };
        let more = self
            .has_more
            .as_ref()
            .map(|path| path.find(&body) == Some(&Value::Bool(true)));
        let next = match (&self.next, more) {
            (Follow::Link, _) => link_next(response).and_then(|target| url.join(&target).ok()),
            (_, Some(false)) => None,
            (Follow::Cursor { at, param }, _) => {
                cursor_text(at.find(&body)).map(|cursor| with_param(url, param, &cursor))
            }
            (Follow::NextUrl { at }, _) => {
                cursor_text(at.find(&body)).and_then(|next| url.join(&next).ok())
            }
            (Follow::Page { .. }, None) if items.is_empty() => None,
            (Follow::Page { param }, _) => {
                let current = url
                    .query_pairs()
                    .find(|(name, _)| name == param.as_str())
                    .and_then(|(_, value)| value.parse::<u64>().ok())
                    .unwrap_or(1);
                Some(with_param(url, param, &(current + 1).to_string()))
            }
        };
        Ok(Page { items, next })
    }
}

/// A cursor or URL value: a non-empty string, or a number.
fn cursor_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(text) if !text.is_empty() => Some(text.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `url` with the query parameter `name` set to `value` (in its place
/// when present, else at the end).
fn with_param(url: &Url, name: &str, value: &str) -> Url {
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    match pairs.iter_mut().find(|(k, _)| k == name) {
        Some(pair) => pair.1 = value.to_string(),
        None => pairs.push((name.to_string(), value.to_string())),
    }
    let mut next = url.clone();
    next.set_query(None);
    next.query_pairs_mut().extend_pairs(pairs);
    next
}

/// The target of the first `Link` with `rel="next"` (RFC 8288 §3), as
/// written (a URI reference, maybe relative).
fn link_next(response: &Response) -> Option<String> {
    response
        .headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("link"))
        .flat_map(|(_, value)| links(value))
        .find(|(_, rels)| {
            rels.split_ascii_whitespace()
                .any(|rel| rel.eq_ignore_ascii_case("next"))
        })
        .map(|(target, _)| target)
}

/// The links of one `Link` value: each target with its `rel` (empty when
/// it has none).
pub(crate) fn links(value: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let target = rest[open + 1..open + close].trim().to_string();
        rest = &rest[open + close + 1..];
        // The parameters run to the next comma outside quotes.
        let mut quoted = false;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == ',' && !quoted
            })
            .map_or(rest.len(), |(at, _)| at);
        let rel = rest[..end]
            .split(';')
            .filter_map(|param| param.split_once('='))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("rel"))
            .map(|(_, value)| value.trim().trim_matches('"').to_string())
            .unwrap_or_default();
        found.push((target, rel));
        rest = &rest[end..];
    }
    found
}

/// A dotted path into a JSON value: `response_metadata.next_cursor`,
/// `data.0.id`. A key that holds dots itself (`@odata.nextLink`) is
/// found too: at each object the longest run of segments that is a key
/// wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPath {
    text: String,
}

impl JsonPath {
    pub fn parse(text: &str) -> JsonPath {
        JsonPath {
            text: text.to_string(),
        }
    }

    /// The value at the path; `None` when it is not there. The empty path
    /// is the value itself.
    pub fn find<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        if self.text.is_empty() {
            return Some(value);
        }
        let segments: Vec<&str> = self.text.split('.').collect();
        find(value, &segments)
    }
}

fn find<'v>(value: &'v Value, segments: &[&str]) -> Option<&'v Value> {
    let Some(first) = segments.first() else {
        return Some(value);
    };
    match value {
        Value::Object(map) => (1..=segments.len()).rev().find_map(|n| {
            map.get(&segments[..n].join("."))
                .and_then(|inner| find(inner, &segments[n..]))
        }),
        Value::Array(items) => first
            .parse::<usize>()
            .ok()
            .and_then(|i| items.get(i))
            .and_then(|inner| find(inner, &segments[1..])),
        _ => None,
    }
}

/// How the items come out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One JSON array; indented (and coloured when `color`) when `pretty`.
    Array { pretty: bool, color: bool },
    /// One item per line (NDJSON).
    Lines,
}

/// Writes items as they arrive: one JSON array, NDJSON, or the results of
/// a `--jq` filter run on each item.
pub struct ItemWriter<'a> {
    out: &'a mut dyn Write,
    layout: Layout,
    filter: Option<&'a Jq>,
    written: usize,
    /// The filter halted: nothing more is written.
    halted: bool,
}

impl std::fmt::Debug for ItemWriter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItemWriter")
            .field("layout", &self.layout)
            .field("written", &self.written)
            .finish_non_exhaustive()
    }
}

impl<'a> ItemWriter<'a> {
    pub fn new(out: &'a mut dyn Write, layout: Layout, filter: Option<&'a Jq>) -> ItemWriter<'a> {
        ItemWriter {
            out,
            layout,
            filter,
            written: 0,
            halted: false,
        }
    }

    /// Writes the items of one page, and flushes them.
    pub fn page(&mut self, items: &[Value]) -> Result<(), RunError> {
        for item in items {
            self.item(item)?;
        }
        self.out.flush().map_err(RunError::Write)
    }

    fn item(&mut self, item: &Value) -> Result<(), RunError> {
        if self.halted {
            return Ok(());
        }
        if let Some(filter) = self.filter {
            return match filter.run(item, self.out) {
                Err(RunError::Halted) => {
                    self.halted = true;
                    Ok(())
                }
                other => other,
            };
        }
        let text = match self.layout {
            Layout::Lines => format!("{item}\n"),
            Layout::Array {
                pretty: false,
                color: _,
            } => {
                let separator = if self.written == 0 { "[" } else { "," };
                format!("{separator}{item}")
            }
            Layout::Array {
                pretty: true,
                color,
            } => {
                let separator = if self.written == 0 { "[\n  " } else { ",\n  " };
                let mut text = separator.to_string();
                super::print::write_json(&mut text, item, 1, color);
                text
            }
        };
        self.written += 1;
        self.out.write_all(text.as_bytes()).map_err(RunError::Write)
    }

    /// Ends the output: closes the array.
    pub fn finish(self) -> Result<(), RunError> {
        let end = match (self.filter, self.layout, self.written) {
            (Some(_), _, _) | (None, Layout::Lines, _) => "",
            (None, Layout::Array { .. }, 0) => "[]\n",
            (None, Layout::Array { pretty: false, .. }, _) => "]\n",
            (None, Layout::Array { pretty: true, .. }, _) => "\n]\n",
        };
        self.out
            .write_all(end.as_bytes())
            .and_then(|()| self.out.flush())
            .map_err(RunError::Write)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn response(headers: &[(&str, &str)], body: &Value) -> Response {
        Response {
            status: 200,
            reason: "OK".into(),
            version: "HTTP/1.1".into(),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: body.to_string().into_bytes(),
            url: Url::parse("https://api.example.com/x").unwrap(),
        }
    }

    fn strategy(fields: &[(&str, &str)]) -> Strategy {
        let table: toml::Table = fields
            .iter()
            .map(|(k, v)| (k.to_string(), toml::Value::from(*v)))
            .collect();
        Strategy::new(&table.try_into().unwrap()).unwrap()
    }

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn link_headers_name_the_next_page() {
        let s = strategy(&[]);
        let page = s
            .page(
                1,
                &url("https://api.example.com/repos?per_page=2"),
                &response(
                    &[(
                        "link",
                        r#"<https://api.example.com/repos?per_page=2&page=3>; rel="last", </repos?per_page=2&page=2>; title="a, b"; rel="prev next""#,
                    )],
                    &json!([1, 2]),
                ),
            )
            .unwrap();
        assert_eq!(page.items, [json!(1), json!(2)]);
        assert_eq!(
            page.next.unwrap().as_str(),
            "https://api.example.com/repos?per_page=2&page=2"
        );
        let last = s
            .page(
                2,
                &url("https://api.example.com/repos"),
                &response(&[("Link", r#"<https://x/1>; rel=prev"#)], &json!([])),
            )
            .unwrap();
        assert_eq!(last.next, None);
    }

    #[test]
    fn a_cursor_goes_back_in_its_parameter_until_it_is_empty() {
        let s = strategy(&[
            ("next", "cursor"),
            ("items", "channels"),
            ("cursor", "response_metadata.next_cursor"),
        ]);
        let at = url("https://slack.example/api/conversations.list?limit=2&cursor=old");
        let body = json!({"channels": [{"id": "C1"}], "response_metadata": {"next_cursor": "dXNlcjpVMDYx"}});
        let page = s.page(2, &at, &response(&[], &body)).unwrap();
        assert_eq!(page.items, [json!({"id": "C1"})]);
        assert_eq!(
            page.next.unwrap().as_str(),
            "https://slack.example/api/conversations.list?limit=2&cursor=dXNlcjpVMDYx"
        );
        let body = json!({"channels": [], "response_metadata": {"next_cursor": ""}});
        assert_eq!(s.page(3, &at, &response(&[], &body)).unwrap().next, None);

        // Notion: a cursor and `has_more`.
        let s = strategy(&[
            ("next", "cursor"),
            ("items", "results"),
            ("cursor", "next_cursor"),
            ("param", "start_cursor"),
            ("has_more", "has_more"),
        ]);
        let body = json!({"results": [1], "next_cursor": "abc", "has_more": false});
        assert_eq!(s.page(1, &at, &response(&[], &body)).unwrap().next, None);
        let body = json!({"results": [1], "next_cursor": "abc", "has_more": true});
        let next = s.page(1, &at, &response(&[], &body)).unwrap().next.unwrap();
        assert_eq!(next.query(), Some("limit=2&cursor=old&start_cursor=abc"));
    }

    #[test]
    fn a_next_url_may_hold_dots_in_its_key_and_be_relative() {
        let s = strategy(&[
            ("next", "next_url"),
            ("items", "value"),
            ("cursor", "@odata.nextLink"),
        ]);
        let at = url("https://graph.example/v1.0/users?$top=2");
        let body = json!({"value": [{"id": 1}], "@odata.nextLink": "https://graph.example/v1.0/users?$skiptoken=X"});
        let page = s.page(1, &at, &response(&[], &body)).unwrap();
        assert_eq!(
            page.next.unwrap().as_str(),
            "https://graph.example/v1.0/users?$skiptoken=X"
        );
        let body = json!({"value": []});
        assert_eq!(s.page(2, &at, &response(&[], &body)).unwrap().next, None);

        let s = strategy(&[
            ("next", "next_url"),
            ("items", "records"),
            ("cursor", "nextRecordsUrl"),
        ]);
        let body = json!({"records": [], "nextRecordsUrl": "/services/data/v60.0/query/01g-2000"});
        let next = s.page(1, &at, &response(&[], &body)).unwrap().next.unwrap();
        assert_eq!(
            next.as_str(),
            "https://graph.example/services/data/v60.0/query/01g-2000"
        );
    }

    #[test]
    fn pages_count_up_while_more_records_follow() {
        let s = strategy(&[
            ("next", "page"),
            ("items", "data"),
            ("has_more", "info.more_records"),
        ]);
        let at = url("https://zoho.example/crm/v5/Leads?per_page=2");
        let body = json!({"data": [1, 2], "info": {"more_records": true, "page": 1}});
        let next = s.page(1, &at, &response(&[], &body)).unwrap().next.unwrap();
        assert_eq!(next.query(), Some("per_page=2&page=2"));
        let next = s
            .page(2, &next, &response(&[], &body))
            .unwrap()
            .next
            .unwrap();
        assert_eq!(next.query(), Some("per_page=2&page=3"));
        let body = json!({"data": [5], "info": {"more_records": false}});
        assert_eq!(s.page(3, &next, &response(&[], &body)).unwrap().next, None);

        // Without `has_more`, an empty page is the last.
        let s = strategy(&[("next", "page"), ("param", "p")]);
        assert_eq!(
            s.page(4, &at, &response(&[], &json!([]))).unwrap().next,
            None
        );
        let next = s.page(1, &at, &response(&[], &json!([1]))).unwrap().next;
        assert_eq!(next.unwrap().query(), Some("per_page=2&p=2"));
    }

    #[test]
    fn a_page_without_its_items_is_an_error_that_names_them() {
        let at = url("https://api.example.com/x");
        let err = strategy(&[])
            .page(2, &at, &response(&[], &json!({"items": []})))
            .unwrap_err();
        assert_eq!(err.to_string(), "page 2 of the listing is not an array");
        let err = strategy(&[("items", "data.list")])
            .page(1, &at, &response(&[], &json!({"data": {"list": 3}})))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "page 1 of the listing has no array at `data.list`"
        );
        let mut text = response(&[], &json!(null));
        text.body = b"<html>".to_vec();
        let err = strategy(&[]).page(1, &at, &text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "page 1 of the listing is not JSON: expected value at line 1 column 1"
        );
        let mut empty = text;
        empty.body = Vec::new();
        let page = strategy(&[]).page(1, &at, &empty).unwrap();
        assert!(page.items.is_empty() && page.next.is_none());
    }

    #[test]
    fn cursor_strategies_need_their_path() {
        let mut pagination = Pagination {
            next: Some(NextPage::Cursor),
            ..Pagination::default()
        };
        let err = Strategy::new(&pagination).unwrap_err();
        assert_eq!(
            err.to_string(),
            "pagination with `next = \"cursor\"` needs `cursor`"
        );
        pagination.next = Some(NextPage::NextUrl);
        assert!(Strategy::new(&pagination).is_err());
        pagination.cursor = Some("next".into());
        assert!(Strategy::new(&pagination).is_ok());
    }

    #[test]
    fn paths_find_nested_keys_array_indices_and_dotted_keys() {
        let value = json!({"a": {"b": [10, {"c": "x"}]}, "@odata.nextLink": "u", "a.b": 1});
        let at = |p: &str| JsonPath::parse(p).find(&value).cloned();
        assert_eq!(at("a.b.1.c"), Some(json!("x")));
        assert_eq!(at("@odata.nextLink"), Some(json!("u")));
        assert_eq!(at("a.b"), Some(json!(1)), "the longest key wins");
        assert_eq!(at("a.x"), None);
        assert_eq!(at(""), Some(value.clone()));
    }

    #[test]
    fn items_come_out_as_one_array_or_one_per_line() {
        let write = |layout, pages: &[&[Value]]| {
            let mut out = Vec::new();
            let mut writer = ItemWriter::new(&mut out, layout, None);
            for page in pages {
                writer.page(page).unwrap();
            }
            writer.finish().unwrap();
            String::from_utf8(out).unwrap()
        };
        let compact = Layout::Array {
            pretty: false,
            color: false,
        };
        let pages: &[&[Value]] = &[&[json!(1), json!({"a": 2})], &[], &[json!("x")]];
        assert_eq!(write(compact, pages), "[1,{\"a\":2},\"x\"]\n");
        assert_eq!(write(compact, &[]), "[]\n");
        assert_eq!(write(Layout::Lines, pages), "1\n{\"a\":2}\n\"x\"\n");
        let pretty = Layout::Array {
            pretty: true,
            color: false,
        };
        let all: Vec<Value> = pages.iter().flat_map(|p| p.iter().cloned()).collect();
        assert_eq!(
            write(pretty, pages),
            serde_json::to_string_pretty(&all).unwrap() + "\n"
        );
    }
}
