//! Replays the fuzz corpus (`tests/fuzz/corpus/TARGET/`) through the
//! `tether::fuzzing` entry points the fuzz targets call, so that on stable,
//! in CI, every hand-written bad input and every input the fuzzer kept
//! stays a regression test. A file whose run panics fails its target's
//! test, which names the file (the panic message is printed above it).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// A fuzz target's name and the function it fuzzes.
type Target = (&'static str, fn(&[u8]));

/// Every fuzz target.
const TARGETS: [Target; 11] = [
    ("answer_headers", tether::fuzzing::answer_headers),
    ("batch", tether::fuzzing::batch),
    ("callback", tether::fuzzing::callback),
    ("config", tether::fuzzing::config),
    ("device_response", tether::fuzzing::device_response),
    ("discovery", tether::fuzzing::discovery),
    ("items", tether::fuzzing::items),
    ("oauth1_answer", tether::fuzzing::oauth1_answer),
    ("record", tether::fuzzing::record),
    ("token_response", tether::fuzzing::token_response),
    ("url_template", tether::fuzzing::url_template),
];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/corpus")
}

/// The files of `dir`, sorted, so failures list in a stable order.
fn files(dir: &Path) -> Vec<PathBuf> {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.expect("a readable corpus folder").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

fn replay(target: &str) {
    let run = TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .map(|(_, run)| *run)
        .expect("a known target");
    let files = files(&corpus().join(target));
    assert!(!files.is_empty(), "the corpus of `{target}` is empty");
    let failed: Vec<String> = files
        .iter()
        .filter(|path| {
            let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            catch_unwind(AssertUnwindSafe(|| run(&bytes))).is_err()
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} corpus files of `{target}` fail: {failed:#?}",
        failed.len(),
        files.len()
    );
}

#[test]
fn every_corpus_folder_is_a_target() {
    let entries = std::fs::read_dir(corpus()).expect("tests/fuzz/corpus exists");
    let mut folders: Vec<String> = entries
        .map(|entry| entry.expect("a readable corpus").file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let targets: Vec<&str> = TARGETS.iter().map(|(name, _)| *name).collect();
    assert_eq!(folders, targets);
}

#[test]
fn callback_corpus() {
    replay("callback");
}

#[test]
fn config_corpus() {
    replay("config");
}

#[test]
fn device_response_corpus() {
    replay("device_response");
}

#[test]
fn discovery_corpus() {
    replay("discovery");
}

#[test]
fn items_corpus() {
    replay("items");
}

#[test]
fn record_corpus() {
    replay("record");
}

#[test]
fn token_response_corpus() {
    replay("token_response");
}

#[test]
fn url_template_corpus() {
    replay("url_template");
}

#[test]
fn answer_headers_corpus() {
    replay("answer_headers");
}

#[test]
fn batch_corpus() {
    replay("batch");
}

#[test]
fn oauth1_answer_corpus() {
    replay("oauth1_answer");
}
