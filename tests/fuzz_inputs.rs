//! Every input under `tests/fuzz/` (crashes found by `fuzz/`, hostile text written by hand) and
//! `fuzz/seeds/` (a sample of the fuzzer's minimised corpus) still annotates with all invariants.
//! See docs/robustness.md for how to fuzz and add a crash here.

use crate::invariants::check_document;
use std::path::Path;

fn check_dir(rel: &str, at_least: usize) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/fuzz exists") {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        // the fuzz target feeds only valid UTF-8 to the core; the CLI tests cover invalid bytes
        let text = String::from_utf8_lossy(&bytes);
        check_document(&text);
        n += 1;
    }
    assert!(n >= at_least, "expected at least {at_least} saved inputs in {}", dir.display());
}

#[test]
fn every_saved_input_annotates_cleanly() {
    check_dir("tests/fuzz", 5);
}

#[test]
fn the_fuzz_corpus_sample_annotates_cleanly() {
    check_dir("fuzz/seeds", 100);
}
