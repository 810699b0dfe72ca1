//! What must hold for the annotation of any text; shared by the property tests and the fuzz
//! regression inputs.

use pressmark::{annotate, Span};

fn check_span(text: &str, span: Span, what: &str) {
    assert!(span.start < span.end, "{what} {span:?} is empty");
    assert!(span.end <= text.len(), "{what} {span:?} is past the end ({})", text.len());
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} {span:?} splits a char"
    );
}

/// Annotates `text` and checks: spans inside the text, on char boundaries, non-empty; entities
/// sorted and non-overlapping with confidences in 0–1; quotes sorted, each speaker outside its
/// quote; scare quotes well formed.
pub fn check_document(text: &str) {
    let doc = annotate(text);
    for e in &doc.entities {
        check_span(text, e.span, "entity");
        assert!((0.0..=1.0).contains(&e.confidence), "confidence {}", e.confidence);
    }
    for w in doc.entities.windows(2) {
        assert!(w[0].span.end <= w[1].span.start, "entities overlap or are unsorted: {:?} {:?}", w[0], w[1]);
    }
    for q in &doc.quotes {
        check_span(text, q.span, "quote");
        assert!((0.0..=1.0).contains(&q.confidence), "confidence {}", q.confidence);
        if let Some(s) = q.speaker {
            check_span(text, s, "speaker");
            assert!(!s.overlaps(q.span), "speaker {s:?} inside its quote {:?}", q.span);
        }
        if let Some(c) = q.cue {
            check_span(text, c, "cue");
        }
    }
    for w in doc.quotes.windows(2) {
        assert!(w[0].span.start <= w[1].span.start, "quotes unsorted");
    }
    for &s in &doc.scare_quotes {
        check_span(text, s, "scare quote");
    }
}
