//! tether's integration tests: the real binary in an isolated home, against
//! real local servers. One test binary, so the suite builds once.

mod util;

mod ci;
mod completions;
mod concurrency;
mod config_errors;
mod connect;
mod doctor;
// Watches tether through /proc and signals it.
#[cfg(target_os = "linux")]
mod faults;
mod invoke;
mod kinds;
mod quirks;
mod refresh;
mod service;
mod templates;
