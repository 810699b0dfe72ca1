//! Every input under `tests/fuzz/` (crashes found by `fuzz/`, hostile text written by hand) still
//! annotates with all invariants. See docs/robustness.md for how to fuzz and add a crash here.

use crate::invariants::check_document;
use std::path::Path;

#[test]
fn every_saved_input_annotates_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/fuzz exists") {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        // the fuzz target feeds only valid UTF-8 to the core; the CLI tests cover invalid bytes
        let text = String::from_utf8_lossy(&bytes);
        check_document(&text);
        n += 1;
    }
    assert!(n >= 5, "expected the saved inputs in {}", dir.display());
}
