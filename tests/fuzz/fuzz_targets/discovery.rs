//! Fuzzes an issuer and its metadata document (RFC 8414).
//! Input format and invariants: `tether::fuzzing::discovery`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tether::fuzzing::discovery(data));
