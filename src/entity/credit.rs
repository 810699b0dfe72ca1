//! Photo credits: "Picture: MAHMUD TURKIA / AFP", "Photograph: Evan Vucci/AP", "(AP Photo/Evan
//! Vucci)", "Photo by Jane Doe". Pasted articles keep their captions, and a credit names its
//! photographer in capitals or in a form the names model never saw in its 1996 newswire.

use super::{Entity, Label};
use crate::span::Span;
use regex::Regex;
use std::sync::OnceLock;

/// Last words that make a credited name an organisation.
const AGENCY_WORDS: &[&str] = &["Images", "Photos", "Pictures", "Press", "News", "Agency", "Photography", "Archive", "Archives", "Collection", "Handout"];

/// Where a credit's name starts: after "Picture:", "Photograph:", "Photo by" …; and the "AP
/// Photo/" form, whose agency comes first. ASCII-only patterns (the names are read by hand
/// below, since the regex crate is built without Unicode classes).
fn patterns() -> &'static [Regex; 2] {
    static CELL: OnceLock<[Regex; 2]> = OnceLock::new();
    CELL.get_or_init(|| {
        [
            Regex::new(r"(?:Picture|Photo|Photograph|Image|Credit|Photos)(?:[ \t]*:[ \t]*|[ \t]+by[ \t]+)"),
            Regex::new(r"[ \t]+Photo[ \t]*/[ \t]*"),
        ]
        .map(|r| r.expect("the credit patterns are valid"))
    })
}

/// A run of `min..=max` capitalised words ("Evan Vucci", "MAHMUD TURKIA", "Seán O’Neill")
/// starting at byte `at`, separated by spaces or tabs. Returns its end.
fn capitalised_words(text: &str, at: usize, min: usize, max: usize) -> Option<usize> {
    let mut end = at;
    let mut words = 0;
    let mut pos = at;
    while words < max {
        let rest = &text[pos..];
        if !rest.starts_with(|c: char| c.is_uppercase()) {
            break;
        }
        let len = rest.find(|c: char| !(c.is_alphabetic() || matches!(c, '\'' | '’' | '.' | '-' | '&'))).unwrap_or(rest.len());
        words += 1;
        end = pos + len;
        let gap = text[end..].len() - text[end..].trim_start_matches([' ', '\t']).len();
        if gap == 0 {
            break;
        }
        pos = end + gap;
    }
    (words >= min).then_some(end)
}

/// The capitalised words (one to three) that end at byte `end`: the agency of "AP Photo/".
fn agency_before(text: &str, end: usize) -> Option<usize> {
    let mut start = end;
    let mut head = &text[..end];
    for _ in 0..3 {
        let word_start = head.trim_end_matches(|c: char| c.is_alphabetic() || matches!(c, '.' | '&' | '-')).len();
        if word_start == head.len() || !head[word_start..].starts_with(char::is_uppercase) {
            break;
        }
        start = word_start;
        head = text[..start].trim_end_matches([' ', '\t']);
        if head.len() == start {
            break; // no space before it: no earlier word of the agency
        }
    }
    (start < end).then_some(start)
}

fn push(out: &mut Vec<Entity>, text: &str, start: usize, end: usize, label: Label) {
    let words = &text[start..end];
    // "Credit: Getty Images", "Photo: Associated Press": an agency, not a person
    let agency = words.rsplit(' ').next().is_some_and(|w| AGENCY_WORDS.contains(&w)) || crate::lexicon::organisations().contains(words);
    let label = if agency { Label::Org } else { label };
    out.push(Entity { span: Span::new(start, end), label, confidence: 0.9 });
}

/// The photographers (PER) and agencies (ORG) named in photo credits, sorted by start.
pub fn photo_credits(text: &str) -> Vec<Entity> {
    let [intro, agency_photo] = patterns();
    let mut out = Vec::new();
    for m in intro.find_iter(text) {
        let Some(name_end) = capitalised_words(text, m.end(), 2, 4) else { continue };
        push(&mut out, text, m.end(), name_end, Label::Per);
        // " / AGENCY" after the name
        let rest = &text[name_end..];
        let after_slash = rest.trim_start_matches([' ', '\t']);
        if let Some(agency) = after_slash.strip_prefix('/') {
            let agency_start = text.len() - agency.trim_start_matches([' ', '\t']).len();
            if let Some(agency_end) = capitalised_words(text, agency_start, 1, 3) {
                push(&mut out, text, agency_start, agency_end, Label::Org);
            }
        }
    }
    for m in agency_photo.find_iter(text) {
        let Some(name_end) = capitalised_words(text, m.end(), 2, 4) else { continue };
        if let Some(agency_start) = agency_before(text, m.start()) {
            push(&mut out, text, agency_start, m.start(), Label::Org);
        }
        push(&mut out, text, m.end(), name_end, Label::Per);
    }
    out.sort_by_key(|e| (e.span.start, e.span.end));
    out.dedup_by_key(|e| e.span);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credits(text: &str) -> Vec<(&str, &'static str)> {
        photo_credits(text).iter().map(|e| (&text[e.span], e.label.as_str())).collect()
    }

    #[test]
    fn finds_photographers_and_agencies() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("A parade in Tripoli. Picture: MAHMUD TURKIA / AFP\n", &[("MAHMUD TURKIA", "PER"), ("AFP", "ORG")]),
            ("Crowds at the rally. Photograph: Evan Vucci/AP", &[("Evan Vucci", "PER"), ("AP", "ORG")]),
            ("The senator speaks. (AP Photo/Jacquelyn Martin)", &[("AP", "ORG"), ("Jacquelyn Martin", "PER")]),
            ("Photo by Seán O’Neill", &[("Seán O’Neill", "PER")]),
            ("The photo shows a harbour.", &[]),
            ("Picture: supplied", &[]),
            ("Credit: Getty Images", &[("Getty Images", "ORG")]),
            ("the mayor speaks Reuters Photo/Ann Wang", &[("Reuters", "ORG"), ("Ann Wang", "PER")]),
        ];
        for (text, want) in cases {
            assert_eq!(&credits(text), want, "{text:?}");
        }
    }
}
