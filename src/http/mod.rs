//! HTTP: the client, request items, sending through a connection.
//!
//! The pure parts of `tether invoke` live apart from the sending, so that
//! they are tested without a network: [`items`] turns the HTTPie/xh request
//! items into headers, query parameters and body bytes, and [`target`]
//! decides where a request goes (placeholders, `base_url` joining, the
//! method) and whether the connection's credential may go with it (the host
//! allow-list, same-origin redirects, redaction of what `-v` prints),
//! following the security rules of DESIGN §6. [`jq`] runs `--jq` filters
//! over JSON output. [`credential`] is the seam
//! that puts each auth kind's secret on a request, [`send`] sends with
//! redirects and retries, [`print`] shows the result, [`curl`] writes it
//! as a curl command (and is the one place that quotes shell words), and
//! [`client`] is the one place that builds the HTTP client. [`input`]
//! reads what a request sends from files and standard input, bounded, and
//! [`download`] writes a body to a file as it arrives. [`paginate`] says
//! where a listing's next page is and writes the items of each; [`batch`]
//! runs many requests at once over the pooled connections. [`challenge`]
//! reads what a `WWW-Authenticate` header says is wrong with the token.

pub mod batch;
pub mod challenge;
pub mod client;
pub mod credential;
pub mod curl;
pub mod download;
pub mod input;
pub mod items;
pub mod jq;
pub mod paginate;
pub mod print;
pub mod send;
pub mod target;

/// The media type of a `Content-Type` value, lower-cased, without its
/// parameters: `Application/JSON; charset=utf-8` is `application/json`.
pub fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The exit code of an HTTP status (DESIGN §5): 0 for 1xx–2xx, 3 for an
/// unfollowed 3xx, 4 for 4xx, 5 for 5xx; 0 for all with `no_fail`.
pub fn exit_code(status: u16, no_fail: bool) -> u8 {
    if no_fail {
        return crate::exit::OK;
    }
    match status {
        300..=399 => crate::exit::HTTP_3XX,
        400..=499 => crate::exit::HTTP_4XX,
        500..=599 => crate::exit::HTTP_5XX,
        _ => crate::exit::OK,
    }
}
