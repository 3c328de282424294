//! Fuzzes a config file: parse, template resolution, validation.
//! Input format and invariants: `tether::fuzzing::config`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tether::fuzzing::config(data));
