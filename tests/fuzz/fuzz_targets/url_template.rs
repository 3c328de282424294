//! Fuzzes a URL template with `{var}` values, filled and resolved.
//! Input format and invariants: `tether::fuzzing::url_template`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tether::fuzzing::url_template(data));
