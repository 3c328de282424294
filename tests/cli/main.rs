//! tether's integration tests: the real binary in an isolated home, against
//! real local servers. One test binary, so the suite builds once.

mod util;

mod batch;
mod broken_endpoints;
mod ci;
mod complete;
mod completions;
mod concurrency;
mod config_errors;
mod connect;
mod corpus;
mod doctor;
mod downloads;
// Watches tether through /proc and signals it.
#[cfg(target_os = "linux")]
mod faults;
mod invoke;
mod jq;
mod kinds;
mod knobs;
mod limits;
mod listener_flood;
mod man;
mod oauth1;
mod paginate;
mod proxies;
mod quirks;
mod redirects;
mod refresh;
mod request_items;
mod service;
mod status;
mod store_postgres;
mod templates;
mod trust;
mod validation;
