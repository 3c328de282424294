//! Fuzzes `invoke --batch` input, one request per line.
//! Input format and invariants: `tether::fuzzing::batch`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tether::fuzzing::batch(data));
