//! Photo credits: "Picture: MAHMUD TURKIA / AFP", "Photograph: Evan Vucci/AP", "(AP Photo/Evan
//! Vucci)", "Photo by Jane Doe". Pasted articles keep their captions, and a credit names its
//! photographer in capitals or in a form the names model never saw in its 1996 newswire.

use super::{Entity, Label};
use crate::span::Span;

/// Last words that make a credited name an organisation.
const AGENCY_WORDS: &[&str] = &[
    "Images",
    "Photos",
    "Pictures",
    "Press",
    "News",
    "Agency",
    "Photography",
    "Archive",
    "Archives",
    "Collection",
    "Handout",
];

/// Words that introduce a credit: "Picture: …", "Photograph: …", "Photo by …".
const INTRODUCERS: &[&str] = &["Picture", "Photograph", "Photos", "Photo", "Image", "Credit"];

/// Byte offsets of the bytes `P`, `I` and `C` in `text`, in order: every introducer and "Photo"
/// starts with one of them. One pass, eight bytes at a time (most chunks of news text hold none
/// of the three), where a search per word used to scan the whole text seven times.
fn introducer_letters(text: &str) -> Vec<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // nonzero when some byte of `v` is zero (exact as a yes/no answer)
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH != 0;
    let is_letter = |b: u8| matches!(b, b'P' | b'I' | b'C');
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let v = u64::from_le_bytes(word);
        // first a cheap test that fails for most chunks: no byte in 0x40..=0x5F (capitals)
        if has_zero((v & (ONES * 0xE0)) ^ (ONES * 0x40))
            && (has_zero(v ^ (ONES * u64::from(b'P')))
                || has_zero(v ^ (ONES * u64::from(b'I')))
                || has_zero(v ^ (ONES * u64::from(b'C'))))
        {
            out.extend(chunk.iter().enumerate().filter(|&(_, &b)| is_letter(b)).map(|(k, _)| at + k));
        }
        at += 8;
    }
    out.extend(chunks.remainder().iter().enumerate().filter(|&(_, &b)| is_letter(b)).map(|(k, _)| at + k));
    out
}

/// Byte offsets where a credited name starts after an introducer ("Picture: ", "Photo by "),
/// sorted, and for each " Photo/" ("AP Photo/Evan Vucci"): where the space before "Photo" starts,
/// and where the name after the slash starts. Plain string matching at the candidate letters of
/// [`introducer_letters`]: the only patterns in the crate, not worth a regex engine in the wasm.
fn credit_starts(text: &str) -> (Vec<usize>, Vec<(usize, usize)>) {
    let mut starts = Vec::new();
    let mut slashes = Vec::new();
    for at in introducer_letters(text) {
        let here = &text[at..];
        for word in INTRODUCERS {
            if !here.starts_with(word) || text[..at].ends_with(|c: char| c.is_alphanumeric()) {
                continue; // not here, or inside a longer word
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
        if here.starts_with("Photo") {
            let before = text[..at].trim_end_matches([' ', '\t']);
            let rest = text[at + 5..].trim_start_matches([' ', '\t']);
            if before.len() == at || !rest.starts_with('/') {
                continue;
            }
            let name = rest[1..].trim_start_matches([' ', '\t']);
            slashes.push((before.len(), text.len() - name.len()));
        }
    }
    starts.sort_unstable();
    starts.dedup();
    (starts, slashes)
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
        let len = rest
            .find(|c: char| !(c.is_alphabetic() || matches!(c, '\'' | '’' | '.' | '-' | '&')))
            .unwrap_or(rest.len());
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
        let word_start =
            head.trim_end_matches(|c: char| c.is_alphabetic() || matches!(c, '.' | '&' | '-')).len();
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
    let agency = words.rsplit(' ').next().is_some_and(|w| AGENCY_WORDS.contains(&w))
        || crate::lexicon::organisations().contains(words);
    let label = if agency { Label::Org } else { label };
    out.push(Entity { span: Span::new(start, end), label, confidence: 0.9 });
}

/// The photographers (PER) and agencies (ORG) named in photo credits, sorted by start.
pub fn photo_credits(text: &str) -> Vec<Entity> {
    let mut out = Vec::new();
    let (starts, slashes) = credit_starts(text);
    for name_start in starts {
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
    for (agency_end, name_start) in slashes {
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
    fn introducer_letters_finds_every_p_i_c() {
        let text = "PIC pic Photo: Ann Wang/AP Ç é Credit Image ÇPICPIC x Ixxxxxxxxxxxxxxxx C";
        for cut in 0..text.len() {
            let Some(t) = text.get(cut..) else { continue };
            let want: Vec<usize> = t
                .bytes()
                .enumerate()
                .filter(|&(_, b)| matches!(b, b'P' | b'I' | b'C'))
                .map(|(k, _)| k)
                .collect();
            assert_eq!(introducer_letters(t), want, "{t:?}");
        }
    }

    #[test]
    fn finds_photographers_and_agencies() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            (
                "A parade in Tripoli. Picture: MAHMUD TURKIA / AFP\n",
                &[("MAHMUD TURKIA", "PER"), ("AFP", "ORG")],
            ),
            ("Crowds at the rally. Photograph: Evan Vucci/AP", &[("Evan Vucci", "PER"), ("AP", "ORG")]),
            (
                "The senator speaks. (AP Photo/Jacquelyn Martin)",
                &[("AP", "ORG"), ("Jacquelyn Martin", "PER")],
            ),
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
