//! Fuzzes an OAuth 1.0a provider's answers: refusals, redacted
//! headers, temporary and token credentials.
//! Input format and invariants: `tether::fuzzing::oauth1_answer`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tether::fuzzing::oauth1_answer(data));
