//! Fuzz target: any bytes that are UTF-8 go through the whole pipeline and both wire encodings;
//! the invariants of `tests/properties.rs` must hold.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pressmark::offsets::Unit;
use pressmark::output::WireDocument;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let doc = pressmark::annotate(text);
    let mut last_end = 0;
    for e in &doc.entities {
        assert!(e.span.start < e.span.end && e.span.end <= text.len());
        assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
        assert!(e.span.start >= last_end, "entities overlap");
        last_end = e.span.end;
    }
    for q in &doc.quotes {
        assert!(q.span.start < q.span.end && q.span.end <= text.len());
        assert!(text.is_char_boundary(q.span.start) && text.is_char_boundary(q.span.end));
        if let Some(s) = q.speaker {
            assert!(!s.overlaps(q.span), "speaker inside its quote");
        }
    }
    for unit in [Unit::CodePoint, Unit::Utf16] {
        serde_json::to_string(&WireDocument::new(text, &doc, unit)).expect("serialises");
    }
});
