//! Fuzzes a device authorization answer (RFC 8628 §3.2).
//! Input format and invariants: `tether::fuzzing::device_response`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tether::fuzzing::device_response(data));
