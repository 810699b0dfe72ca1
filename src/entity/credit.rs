//! Photo credits: "Picture: MAHMUD TURKIA / AFP", "Photograph: Evan Vucci/AP", "(AP Photo/Evan
//! Vucci)", "Photo by Jane Doe". Pasted articles keep their captions, and a credit names its
//! photographer in capitals or in a form the names model never saw in its 1996 newswire.

use super::{Entity, Label};
use crate::span::Span;

/// Last words that make a credited name an organisation.
const AGENCY_WORDS: &[&str] = &["Images", "Photos", "Pictures", "Press", "News", "Agency", "Photography", "Archive", "Archives", "Collection", "Handout"];

/// Words that introduce a credit: "Picture: …", "Photograph: …", "Photo by …".
const INTRODUCERS: &[&str] = &["Picture", "Photograph", "Photos", "Photo", "Image", "Credit"];

/// Byte offsets where a credited name starts after an introducer ("Picture: ", "Photo by ").
/// Plain string search: the only patterns in the crate, not worth a regex engine in the wasm.
fn after_introducers(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    for word in INTRODUCERS {
        for (at, _) in text.match_indices(word) {
            if text[..at].ends_with(|c: char| c.is_alphanumeric()) {
                continue; // inside a longer word
            }
            let rest = &text[at + word.len()..];
            let spaced = rest.trim_start_matches([' ', '\t']);
            let name = if let Some(after_colon) = spaced.strip_prefix(':') {
                after_colon.trim_start_matches([' ', '\t'])
            } else if spaced.len() < rest.len() && spaced.starts_with("by ") {
                spaced[3..].trim_start_matches([' ', '\t'])
            } else {
                continue;
            };
            starts.push(text.len() - name.len());
        }
    }
    starts.sort_unstable();
    starts.dedup();
    starts
}

/// For each " Photo/" ("AP Photo/Evan Vucci"): where the space before "Photo" starts, and where
/// the name after the slash starts.
fn agency_photo_slashes(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("Photo") {
        let before = text[..at].trim_end_matches([' ', '\t']);
        let rest = text[at + 5..].trim_start_matches([' ', '\t']);
        if before.len() == at || !rest.starts_with('/') {
            continue;
        }
        let name = rest[1..].trim_start_matches([' ', '\t']);
        out.push((before.len(), text.len() - name.len()));
    }
    out
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
    let mut out = Vec::new();
    for name_start in after_introducers(text) {
        let Some(name_end) = capitalised_words(text, name_start, 2, 4) else { continue };
        push(&mut out, text, name_start, name_end, Label::Per);
        // " / AGENCY" after the name
        let after_slash = text[name_end..].trim_start_matches([' ', '\t']);
        if let Some(agency) = after_slash.strip_prefix('/') {
            let agency_start = text.len() - agency.trim_start_matches([' ', '\t']).len();
            if let Some(agency_end) = capitalised_words(text, agency_start, 1, 3) {
                push(&mut out, text, agency_start, agency_end, Label::Org);
            }
        }
    }
    for (agency_end, name_start) in agency_photo_slashes(text) {
        let Some(name_end) = capitalised_words(text, name_start, 2, 4) else { continue };
        if let Some(agency_start) = agency_before(text, agency_end) {
            push(&mut out, text, agency_start, agency_end, Label::Org);
        }
        push(&mut out, text, name_start, name_end, Label::Per);
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
