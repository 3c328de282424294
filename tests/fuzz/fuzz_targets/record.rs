//! Fuzzes a stored connection record: JSON, export line, keyring chunks.
//! Input format and invariants: `tether::fuzzing::record`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tether::fuzzing::record(data));
