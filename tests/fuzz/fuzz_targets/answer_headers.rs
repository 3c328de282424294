//! Fuzzes what pagination and downloads read of an answer: Link,
//! Content-Disposition, a dotted JSON path.
//! Input format and invariants: `tether::fuzzing::answer_headers`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tether::fuzzing::answer_headers(data));
