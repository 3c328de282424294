//! HTTP: the client, request items, sending through a connection.
//!
//! The pure parts of `tether invoke` live apart from the sending, so that
//! they are tested without a network: [`items`] turns the HTTPie/xh request
//! items into headers, query parameters and body bytes, and [`target`]
//! decides where a request goes (placeholders, `base_url` joining, the
//! method) and whether the connection's credential may go with it (the host
//! allow-list, same-origin redirects, redaction of what `-v` prints),
//! following the security rules of DESIGN §6. [`client`] is the one place
//! that builds the HTTP client.

pub mod client;
pub mod items;
pub mod target;
