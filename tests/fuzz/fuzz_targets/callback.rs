//! Fuzzes the authorization redirect: listener request, pasted URL, query.
//! Input format and invariants: `tether::fuzzing::callback`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tether::fuzzing::callback(data));
