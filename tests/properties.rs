//! Properties that hold for every text: no panic; spans inside the text, on char boundaries,
//! non-empty and sorted; entities never overlap; a speaker lies outside its quote; the wire
//! offsets (code points and UTF-16) slice out the same text; annotating is deterministic.

use crate::invariants::check_document;
use pressmark::annotate;
use pressmark::offsets::Unit;
use pressmark::output::WireDocument;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

/// Pieces of news prose and of hostile text, glued at random.
const PIECES: &[&str] = &[
    "Khalifa Haftar",
    " said",
    " told Reuters",
    " according to ",
    "the minister",
    " he",
    " She",
    "“",
    "”",
    "‘",
    "’",
    "\"",
    "'",
    "''",
    "``",
    "«",
    "»",
    "„",
    "‚",
    ", ",
    ". ",
    "? ",
    ": ",
    " — ",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\u{2028}",
    "\u{0}",
    "\t",
    "  ",
    "$1.2 billion",
    "90%",
    "May 20, 2020",
    "6:17 a.m.",
    "Mr.",
    "U.S.",
    "UN-recognised",
    "don't",
    "Haftar’s",
    "👍🏽",
    "🇱🇾",
    "👨‍👩‍👧",
    "é",
    "e\u{301}",
    "\u{200d}",
    "\u{200b}",
    "\u{202e}",
    "مرحبا",
    "习近平",
    "\u{feff}",
    "<script>",
    "&amp;",
    "A",
    "b",
    "1",
    ".",
    "-",
    "’s",
    "…",
    "Picture: ",
    "MAHMUD TURKIA",
    " / AFP",
    "AP Photo/",
    "Photo by ",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(prop::sample::select(PIECES), 0..120).prop_map(|v| v.concat()),
        any::<String>(),
        "[ -~“”‘’\n]{0,300}",
    ]
}

proptest! {
    // Failing seeds are kept next to this file (tests/properties.regressions) and re-run first.
    #![proptest_config(ProptestConfig {
        // PROPTEST_CASES=100000 cargo test --test lib properties  hunts longer
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(400),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn spans_are_well_formed(text in text()) {
        check_document(&text);
    }

    #[test]
    fn wire_offsets_slice_the_same_text(text in text()) {
        let doc = annotate(&text);
        let chars: Vec<char> = text.chars().collect();
        let utf16: Vec<u16> = text.encode_utf16().collect();
        let cp = WireDocument::new(&text, &doc, Unit::CodePoint);
        let js = WireDocument::new(&text, &doc, Unit::Utf16);
        for (a, b) in cp.entities.iter().zip(&js.entities) {
            prop_assert_eq!(chars[a.start..a.end].iter().collect::<String>(), a.text);
            prop_assert_eq!(String::from_utf16(&utf16[b.start..b.end]).unwrap(), b.text);
        }
        for (a, b) in cp.quotes.iter().zip(&js.quotes) {
            prop_assert_eq!(chars[a.start..a.end].iter().collect::<String>(), a.text);
            prop_assert_eq!(String::from_utf16(&utf16[b.start..b.end]).unwrap(), b.text);
        }
    }

    #[test]
    fn annotating_is_deterministic(text in text()) {
        let a = serde_json::to_string(&WireDocument::new(&text, &annotate(&text), Unit::CodePoint)).unwrap();
        let b = serde_json::to_string(&WireDocument::new(&text, &annotate(&text), Unit::CodePoint)).unwrap();
        prop_assert_eq!(a, b);
    }
}
