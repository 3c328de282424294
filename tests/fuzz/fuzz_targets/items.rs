//! Fuzzes `invoke`'s request items and the bodies and headers they make.
//! Input format and invariants: `tether::fuzzing::items`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tether::fuzzing::items(data));
