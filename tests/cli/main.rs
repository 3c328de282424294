//! tether's integration tests: the real binary in an isolated home, against
//! real local servers. One test binary, so the suite builds once.

mod util;

mod ci;
mod completions;
mod config_errors;
mod connect;
mod doctor;
mod invoke;
mod kinds;
mod knobs;
mod quirks;
mod refresh;
mod service;
mod templates;
