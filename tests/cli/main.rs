//! tether's integration tests: the real binary in an isolated home, against
//! real local servers. One test binary, so the suite builds once.

mod util;

mod ci;
mod complete;
mod completions;
mod config_errors;
mod connect;
mod corpus;
mod doctor;
mod invoke;
mod jq;
mod kinds;
mod man;
mod quirks;
mod refresh;
mod service;
mod status;
mod templates;
mod validation;
