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
mod credential_docker;
mod credential_git;
mod credential_kubectl;
mod doctor_live;
mod exec;
#[cfg(target_os = "linux")]
mod faults;
mod invoke;
mod jq;
mod keepalive;
mod kinds;
mod knobs;
mod limits;
mod listener_flood;
mod mail;
mod man;
mod oauth1;
mod paginate;
mod proxies;
mod quirks;
mod redirects;
mod refresh;
mod request_items;
mod scope_drift;
mod service;
mod status;
mod status_forecast;
mod store_postgres;
mod templates;
mod trust;
mod validation;
