//! Fuzzes a token endpoint's answer, read into tokens and a record.
//! Input format and invariants: `tether::fuzzing::token_response`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tether::fuzzing::token_response(data));
