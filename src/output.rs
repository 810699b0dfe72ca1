//! The wire schema: what the CLI prints and what `annotate()` returns to JavaScript.
//!
//! One JSON object per document (the CLI's `--jsonl` mode adds `"id"` first, echoed unchanged):
//!
//! ```text
//! {"entities": [{"start": 20, "end": 34, "label": "PER", "text": "Khalifa Haftar", "confidence": 0.93, "entity_id": 0},
//!               {"start": 99, "end": 111, "label": "DATE", "text": "May 20, 2020", "confidence": 0.9, "entity_id": 1,
//!                "value": "2020-05-20"}],
//!  "entities_index": [{"id": 0, "name": "Khalifa Haftar", "label": "PER", "mentions": 7},
//!                     {"id": 1, "name": "May 20, 2020", "label": "DATE", "mentions": 1}],
//!  "quotes": [{"start": 3605, "end": 3714, "text": "The Russians will need …",
//!              "speaker": {"start": 3721, "end": 3735, "text": "Wolfram Lacher"},
//!              "speaker_name": "Wolfram Lacher", "speaker_entity_id": 12,
//!              "cue": {"start": 3716, "end": 3720, "text": "said"},
//!              "direct": true, "confidence": 0.9}],
//!  "scare_quotes": [{"start": 10, "end": 15, "text": "woke"}]}
//! ```
//!
//! * Offsets are half-open (`start <= end`, end exclusive) and count Unicode code points in the
//!   CLI ([`Unit::CodePoint`], as Python slices) and UTF-16 code units in JavaScript
//!   ([`Unit::Utf16`], as `String.prototype.slice`). `text` is always the slice they cover.
//! * `entities` are sorted by `start` and never overlap. `label` is one of PER ORG LOC MISC DATE
//!   TIME MONEY PERCENT CARDINAL ORDINAL. `entity_id` indexes `entities_index`, where the mentions
//!   of one entity ("Khalifa Haftar", "Haftar") share one entry with the canonical `name` and the
//!   number of `mentions`. `value` (only where known): DATE → an ISO 8601 string ("2020-05-20",
//!   "2011-01", "2020-W20"), resolved against the article's dateline for relative dates, which
//!   otherwise carry `"relative": true` instead; MONEY → `{"amount": <number>, "currency": <ISO
//!   4217 code or null>}`; PERCENT → a number.
//! * A quote's span is its content without the quotation marks. `speaker` is the mention the
//!   attribution rests on ("Haftar", "she", "the agency"), `speaker_name` who that mention is, by
//!   the mention linker (`src/link/`): the speaker's canonical full name, the same string as the
//!   `name` of its `entities_index` entry; both are `null` when nobody is named (a spokesman for X
//!   is nobody named: not X). `speaker_entity_id` (present only when the speaker is an entity of
//!   `entities_index`) is that entry's `id`. `cue` is the reporting verb or phrase, or `null`. `direct` is false
//!   for reported speech. `partial` (a fragment inside the reporter's sentence) and `open_end`
//!   (no closing mark) appear only when true; `group` (an id shared by the parts of one
//!   quotation) only when the quotation has several parts.
//! * `headline` (present only when true): the quote is in the headline or sub-headline, the
//!   article's first paragraph (and a second one after it) when it is a short line without final
//!   sentence punctuation. Headline quotes never lend their speaker to the body.
//! * `nested` (present only when true): the quote lies inside another quote, whose span contains
//!   it (“He told me ‘we are done,’” she said → the outer quote, and the nested “we are done,”).
//!   Its `speaker` and `cue`, when a cue inside the outer quote names one, lie inside the outer
//!   quote ("He", "told"); otherwise they are `null`. Short nested expressions (three words or
//!   fewer, with no cue) are `scare_quotes` instead.
//! * `scare_quotes`: quoted words that are nobody's utterance (scare quotes, titles, nicknames).

use crate::document::Document;
use crate::offsets::{OffsetIndex, Unit};
use crate::span::Span;
use crate::value::Value;
use serde::Serialize;

/// A document in the wire schema, borrowing the text it describes.
#[derive(Serialize, Debug)]
pub struct WireDocument<'t> {
    /// Entity mentions.
    pub entities: Vec<WireEntity<'t>>,
    /// One entry per entity, its mentions linked.
    pub entities_index: Vec<WireCluster<'t>>,
    /// Quotes, direct and reported.
    pub quotes: Vec<WireQuote<'t>>,
    /// Quoted words that are nobody's utterance.
    pub scare_quotes: Vec<WireSpan<'t>>,
}

/// An entity on the wire.
#[derive(Serialize, Debug)]
pub struct WireEntity<'t> {
    /// First offset.
    pub start: usize,
    /// One past the last offset.
    pub end: usize,
    /// "PER", "ORG", ….
    pub label: &'static str,
    /// The text covered.
    pub text: &'t str,
    /// 0–1, rounded to 3 decimals.
    pub confidence: f64,
    /// Index into `entities_index`.
    pub entity_id: usize,
    /// The normalised value (DATE, MONEY, PERCENT), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<WireValue>,
    /// Present (true) for a relative date with no dateline to resolve it.
    #[serde(skip_serializing_if = "is_false")]
    pub relative: bool,
}

/// A normalised value on the wire: a string (dates), a number (percentages) or an amount.
#[derive(Serialize, Debug)]
#[serde(untagged)]
pub enum WireValue {
    /// ISO 8601 date, month, year or week.
    Date(String),
    /// A percentage.
    Number(f64),
    /// Money.
    Money {
        /// In units of the currency.
        amount: f64,
        /// ISO 4217, or null.
        currency: Option<&'static str>,
    },
}

/// One entity of the index.
#[derive(Serialize, Debug)]
pub struct WireCluster<'t> {
    /// The `entity_id` its mentions carry.
    pub id: usize,
    /// Canonical name: the longest mention.
    pub name: &'t str,
    /// "PER", "ORG", ….
    pub label: &'static str,
    /// How many mentions it has.
    pub mentions: usize,
}

/// A span of text on the wire (speaker, cue, scare quote).
#[derive(Serialize, Debug)]
pub struct WireSpan<'t> {
    /// First offset.
    pub start: usize,
    /// One past the last offset.
    pub end: usize,
    /// The text covered.
    pub text: &'t str,
}

/// A quote on the wire.
#[derive(Serialize, Debug)]
pub struct WireQuote<'t> {
    /// First offset of the content.
    pub start: usize,
    /// One past the content.
    pub end: usize,
    /// The content, marks excluded.
    pub text: &'t str,
    /// The speaker mention.
    pub speaker: Option<WireSpan<'t>>,
    /// The speaker's canonical full name.
    pub speaker_name: Option<&'t str>,
    /// The speaker's `entity_id` (an index into `entities_index`), when the speaker is an entity
    /// the names model found; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker_entity_id: Option<usize>,
    /// The reporting cue.
    pub cue: Option<WireSpan<'t>>,
    /// Quotation marks (true) or reported speech (false).
    pub direct: bool,
    /// Present only when true.
    #[serde(skip_serializing_if = "is_false")]
    pub partial: bool,
    /// Present only when true.
    #[serde(skip_serializing_if = "is_false")]
    pub open_end: bool,
    /// Present only when true: the quote is in the headline or sub-headline.
    #[serde(skip_serializing_if = "is_false")]
    pub headline: bool,
    /// Present only when true: the quote lies inside another quote.
    #[serde(skip_serializing_if = "is_false")]
    pub nested: bool,
    /// Shared by the parts of one quotation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<usize>,
    /// 0–1, rounded to 3 decimals.
    pub confidence: f64,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Rounds in f64 so that the wire carries the decimal itself (0.93), not the nearest f32
/// (0.9300000071525574), to serializers that widen f32 to f64 (serde_json's `Value`, the Python
/// binding).
/// JSON text is the same either way (the thousandths are counted in f32, as they always were).
fn round3(x: f32) -> f64 {
    f64::from((x.clamp(0.0, 1.0) * 1000.0).round()) / 1000.0
}

impl<'t> WireDocument<'t> {
    /// Converts `doc` (byte spans into `text`) to the wire schema with offsets in `unit`.
    pub fn new(text: &'t str, doc: &'t Document, unit: Unit) -> WireDocument<'t> {
        let index = OffsetIndex::new(text);
        let span = |s: Span| WireSpan {
            start: index.from_byte(s.start, unit),
            end: index.from_byte(s.end, unit),
            text: &text[s],
        };
        WireDocument {
            entities: doc
                .entities
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    let s = span(e.span);
                    let value = doc.entity_value.get(i).cloned().flatten();
                    WireEntity {
                        start: s.start,
                        end: s.end,
                        label: e.label.as_str(),
                        text: s.text,
                        confidence: round3(e.confidence),
                        entity_id: doc.entity_cluster[i],
                        relative: value == Some(Value::Relative),
                        value: match value {
                            Some(Value::Date(d)) => Some(WireValue::Date(d)),
                            Some(Value::Percent(p)) => Some(WireValue::Number(p)),
                            Some(Value::Money { amount, currency }) => {
                                Some(WireValue::Money { amount, currency })
                            }
                            Some(Value::Relative) | None => None,
                        },
                    }
                })
                .collect(),
            entities_index: doc
                .clusters
                .iter()
                .enumerate()
                .map(|(id, c)| WireCluster {
                    id,
                    name: &c.name,
                    label: c.label.as_str(),
                    mentions: c.mentions.len(),
                })
                .collect(),
            quotes: doc
                .quotes
                .iter()
                .map(|q| {
                    let s = span(q.span);
                    WireQuote {
                        start: s.start,
                        end: s.end,
                        text: s.text,
                        speaker: q.speaker.map(span),
                        speaker_name: q.speaker_name.as_deref(),
                        speaker_entity_id: q.speaker_entity,
                        cue: q.cue.map(span),
                        direct: q.direct,
                        partial: q.partial,
                        open_end: q.open_end,
                        headline: q.headline,
                        nested: q.nested,
                        group: q.group,
                        confidence: round3(q.confidence),
                    }
                })
                .collect(),
            scare_quotes: doc.scare_quotes.iter().map(|&s| span(s)).collect(),
        }
    }
}

/// JSON text of the wire schema written by hand: byte for byte what serde_json's compact
/// serializer writes for the derived `Serialize` (same field order, the same skipped fields, its
/// escapes, its float format), in about a third of the instructions (serde_json escapes a string
/// byte by byte through a formatter, and the CLI's flattened `{"id", …}` goes through a map).
/// With `line_safe`, U+2028, U+2029 and U+0085 inside strings are written as `\u` escapes too,
/// as the CLI's [`LineSafeJson`] does. `tests::the_hand_written_json_is_serde_jsons` holds it to
/// serde_json.
pub struct JsonWriter<'o> {
    out: &'o mut Vec<u8>,
    line_safe: bool,
}

/// serde_json's compact output, except that U+2028, U+2029 and U+0085 inside strings are written
/// as `\u` escapes. Raw, they are valid JSON, but Python's `str.splitlines()` and other readers
/// that split on Unicode line breaks would cut a JSON line in two there.
pub struct LineSafeJson;

impl serde_json::ser::Formatter for LineSafeJson {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        // U+2028/U+2029 are E2 80 A8/A9 in UTF-8 and U+0085 is C2 85: skip the search without them.
        if !fragment.bytes().any(|b| b == 0xE2 || b == 0xC2) {
            return writer.write_all(fragment.as_bytes());
        }
        let mut rest = fragment;
        while let Some(i) = rest.find(['\u{2028}', '\u{2029}', '\u{85}']) {
            let c = rest[i..].chars().next().expect("find returned a char boundary");
            writer.write_all(&rest.as_bytes()[..i])?;
            write!(writer, "\\u{:04x}", c as u32)?;
            rest = &rest[i + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }
}

/// For each byte, whether a string's fast scan stops at it: what JSON escapes (controls, `"`,
/// `\`) and the lead bytes of U+2028/U+2029 (E2) and U+0085 (C2), which only the line-safe
/// output escapes.
const STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t[0xE2] = true;
    t[0xC2] = true;
    t
};

impl<'o> JsonWriter<'o> {
    /// A writer appending to `out`.
    pub fn new(out: &'o mut Vec<u8>, line_safe: bool) -> JsonWriter<'o> {
        JsonWriter { out, line_safe }
    }

    /// `doc` as one JSON object.
    pub fn document(&mut self, doc: &WireDocument) {
        self.out.push(b'{');
        self.document_fields(doc);
        self.out.push(b'}');
    }

    /// `doc`'s members without the braces, for an object that has other members before them
    /// (the CLI's `"id"`).
    pub fn document_fields(&mut self, doc: &WireDocument) {
        self.out.extend_from_slice(b"\"entities\":[");
        for (i, e) in doc.entities.iter().enumerate() {
            self.comma(i);
            self.entity(e);
        }
        self.out.extend_from_slice(b"],\"entities_index\":[");
        for (i, c) in doc.entities_index.iter().enumerate() {
            self.comma(i);
            self.out.extend_from_slice(b"{\"id\":");
            self.usize(c.id);
            self.out.extend_from_slice(b",\"name\":");
            self.str(c.name);
            self.out.extend_from_slice(b",\"label\":");
            self.str(c.label);
            self.out.extend_from_slice(b",\"mentions\":");
            self.usize(c.mentions);
            self.out.push(b'}');
        }
        self.out.extend_from_slice(b"],\"quotes\":[");
        for (i, q) in doc.quotes.iter().enumerate() {
            self.comma(i);
            self.quote(q);
        }
        self.out.extend_from_slice(b"],\"scare_quotes\":[");
        for (i, s) in doc.scare_quotes.iter().enumerate() {
            self.comma(i);
            self.span(s);
        }
        self.out.push(b']');
    }

    fn comma(&mut self, i: usize) {
        if i > 0 {
            self.out.push(b',');
        }
    }

    fn entity(&mut self, e: &WireEntity) {
        self.out.extend_from_slice(b"{\"start\":");
        self.usize(e.start);
        self.out.extend_from_slice(b",\"end\":");
        self.usize(e.end);
        self.out.extend_from_slice(b",\"label\":");
        self.str(e.label);
        self.out.extend_from_slice(b",\"text\":");
        self.str(e.text);
        self.out.extend_from_slice(b",\"confidence\":");
        self.f64(e.confidence);
        self.out.extend_from_slice(b",\"entity_id\":");
        self.usize(e.entity_id);
        match &e.value {
            None => {}
            Some(WireValue::Date(d)) => {
                self.out.extend_from_slice(b",\"value\":");
                self.str(d);
            }
            Some(WireValue::Number(x)) => {
                self.out.extend_from_slice(b",\"value\":");
                self.f64(*x);
            }
            Some(WireValue::Money { amount, currency }) => {
                self.out.extend_from_slice(b",\"value\":{\"amount\":");
                self.f64(*amount);
                self.out.extend_from_slice(b",\"currency\":");
                match currency {
                    Some(c) => self.str(c),
                    None => self.out.extend_from_slice(b"null"),
                }
                self.out.push(b'}');
            }
        }
        if e.relative {
            self.out.extend_from_slice(b",\"relative\":true");
        }
        self.out.push(b'}');
    }

    fn quote(&mut self, q: &WireQuote) {
        self.out.extend_from_slice(b"{\"start\":");
        self.usize(q.start);
        self.out.extend_from_slice(b",\"end\":");
        self.usize(q.end);
        self.out.extend_from_slice(b",\"text\":");
        self.str(q.text);
        self.out.extend_from_slice(b",\"speaker\":");
        self.optional_span(q.speaker.as_ref());
        self.out.extend_from_slice(b",\"speaker_name\":");
        match q.speaker_name {
            Some(name) => self.str(name),
            None => self.out.extend_from_slice(b"null"),
        }
        if let Some(id) = q.speaker_entity_id {
            self.out.extend_from_slice(b",\"speaker_entity_id\":");
            self.usize(id);
        }
        self.out.extend_from_slice(b",\"cue\":");
        self.optional_span(q.cue.as_ref());
        self.out.extend_from_slice(if q.direct { b",\"direct\":true" } else { b",\"direct\":false" });
        for (on, member) in [
            (q.partial, &b",\"partial\":true"[..]),
            (q.open_end, b",\"open_end\":true"),
            (q.headline, b",\"headline\":true"),
            (q.nested, b",\"nested\":true"),
        ] {
            if on {
                self.out.extend_from_slice(member);
            }
        }
        if let Some(g) = q.group {
            self.out.extend_from_slice(b",\"group\":");
            self.usize(g);
        }
        self.out.extend_from_slice(b",\"confidence\":");
        self.f64(q.confidence);
        self.out.push(b'}');
    }

    fn optional_span(&mut self, s: Option<&WireSpan>) {
        match s {
            Some(s) => self.span(s),
            None => self.out.extend_from_slice(b"null"),
        }
    }

    fn span(&mut self, s: &WireSpan) {
        self.out.extend_from_slice(b"{\"start\":");
        self.usize(s.start);
        self.out.extend_from_slice(b",\"end\":");
        self.usize(s.end);
        self.out.extend_from_slice(b",\"text\":");
        self.str(s.text);
        self.out.push(b'}');
    }

    fn usize(&mut self, mut n: usize) {
        let mut buf = [0u8; 20];
        let mut i = buf.len();
        loop {
            i -= 1;
            buf[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.out.extend_from_slice(&buf[i..]);
    }

    /// serde_json's float: `null` when not finite, else its shortest round-trip form.
    fn f64(&mut self, x: f64) {
        use serde_json::ser::Formatter;
        if x.is_finite() {
            serde_json::ser::CompactFormatter.write_f64(self.out, x).expect("a Vec takes every write");
        } else {
            self.out.extend_from_slice(b"null");
        }
    }

    /// A JSON string with serde_json's escapes (and the line-safe ones when asked for). Runs of
    /// bytes that need nothing are copied whole.
    fn str(&mut self, s: &str) {
        let bytes = s.as_bytes();
        self.out.reserve(bytes.len() + 2);
        self.out.push(b'"');
        let mut run = 0; // start of the bytes not yet copied
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if !STOP[usize::from(b)] {
                i += 1;
                continue;
            }
            let escape: &[u8] = match b {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                0x08 => b"\\b",
                b'\t' => b"\\t",
                b'\n' => b"\\n",
                0x0C => b"\\f",
                b'\r' => b"\\r",
                0xE2 if self.line_safe && bytes.get(i + 1) == Some(&0x80) => match bytes.get(i + 2) {
                    Some(0xA8) => b"\\u2028",
                    Some(0xA9) => b"\\u2029",
                    _ => b"",
                },
                0xC2 if self.line_safe && bytes.get(i + 1) == Some(&0x85) => b"\\u0085",
                0xE2 | 0xC2 => b"",
                _ => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    self.out.extend_from_slice(&bytes[run..i]);
                    self.out.extend_from_slice(b"\\u00");
                    self.out.push(HEX[usize::from(b >> 4)]);
                    self.out.push(HEX[usize::from(b & 0xF)]);
                    i += 1;
                    run = i;
                    continue;
                }
            };
            if escape.is_empty() {
                // a lead byte of another character: copied with the run
                i += 1;
                continue;
            }
            self.out.extend_from_slice(&bytes[run..i]);
            self.out.extend_from_slice(escape);
            // (the line-safe escapes replace a whole 2- or 3-byte character)
            i += match b {
                0xE2 => 3,
                0xC2 => 2,
                _ => 1,
            };
            run = i;
        }
        self.out.extend_from_slice(&bytes[run..]);
        self.out.push(b'"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    /// serde_json's text of `value`, compact or with [`LineSafeJson`].
    fn serde_text(value: &impl Serialize, line_safe: bool) -> String {
        let mut out = Vec::new();
        if line_safe {
            value.serialize(&mut serde_json::Serializer::with_formatter(&mut out, LineSafeJson)).unwrap();
        } else {
            value.serialize(&mut serde_json::Serializer::new(&mut out)).unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    fn hand_text(doc: &WireDocument, line_safe: bool) -> String {
        let mut out = Vec::new();
        JsonWriter::new(&mut out, line_safe).document(doc);
        String::from_utf8(out).unwrap()
    }

    /// Every character class the escapes treat apart, in names, quotes and speakers.
    const TRICKY: &str = "WASHINGTON (Reuters) - “We are \"done\"\u{2028} \\ here,” said Ana Ruiz, the \
        minister, on May 20, 2020.\u{85}\n\nRuiz told reporters the plan cost $3 million and 4.5 \
        percent\u{2029} of €2bn. “Tab\there – £5, bell\u{7}, \u{1f} and \u{7f} and é\u{2027}🎉,” she said \
        of Zoë Ça\u{c2}ra.\r\n“It will work,” Ruiz said. He said it was “woke”.";

    #[test]
    fn the_hand_written_json_is_serde_jsons() {
        let sample = include_str!("../www/sample.txt");
        for text in [TRICKY, sample, "", "\u{2028}"] {
            let doc = crate::annotate(text);
            for unit in [Unit::CodePoint, Unit::Utf16] {
                let wire = WireDocument::new(text, &doc, unit);
                for line_safe in [false, true] {
                    assert_eq!(hand_text(&wire, line_safe), serde_text(&wire, line_safe), "{text:?}");
                }
            }
        }
        // the tricky text has what the comparison is for
        let doc = crate::annotate(TRICKY);
        assert!(doc.quotes.iter().any(|q| q.speaker_name.is_some()), "{doc:?}");
        let json = hand_text(&WireDocument::new(TRICKY, &doc, Unit::CodePoint), true);
        for escaped in ["\\u2029", "\\u0007", "\\t", "\\\"", "\\\\", "€2bn", "– £5"] {
            assert!(json.contains(escaped), "{escaped} in {json}");
        }
    }

    #[test]
    fn every_optional_member_and_odd_number_is_written_as_serde_json_writes_it() {
        let span = |start, text| WireSpan { start, end: start + 1, text };
        let entity = |value, relative| WireEntity {
            start: 0,
            end: 12_345_678_901,
            label: "MONEY",
            text: "x\u{0}y",
            confidence: 0.1 + 0.2,
            entity_id: usize::MAX,
            value,
            relative,
        };
        let quote = |flags: bool, group| WireQuote {
            start: 3,
            end: 9,
            text: "\u{2029}",
            speaker: flags.then(|| span(1, "she")),
            speaker_name: flags.then_some("Zoë \"Z\""),
            speaker_entity_id: flags.then_some(7),
            cue: flags.then(|| span(2, "said")),
            direct: flags,
            partial: flags,
            open_end: flags,
            headline: flags,
            nested: flags,
            group,
            confidence: 1e-7,
        };
        let doc = WireDocument {
            entities: vec![
                entity(None, false),
                entity(None, true),
                entity(Some(WireValue::Date("2020-05-20".into())), false),
                entity(Some(WireValue::Number(-0.0)), false),
                entity(Some(WireValue::Number(f64::NAN)), false),
                entity(Some(WireValue::Money { amount: 3e21, currency: Some("EUR") }), false),
                entity(Some(WireValue::Money { amount: f64::INFINITY, currency: None }), false),
            ],
            entities_index: vec![WireCluster { id: 0, name: "\\", label: "PER", mentions: 10 }],
            quotes: vec![quote(true, Some(0)), quote(false, None), quote(true, None)],
            scare_quotes: vec![span(0, "\u{85}"), span(100, "\u{1b}[0m")],
        };
        for line_safe in [false, true] {
            assert_eq!(hand_text(&doc, line_safe), serde_text(&doc, line_safe));
        }
        let empty =
            WireDocument { entities: vec![], entities_index: vec![], quotes: vec![], scare_quotes: vec![] };
        assert_eq!(
            hand_text(&empty, true),
            r#"{"entities":[],"entities_index":[],"quotes":[],"scare_quotes":[]}"#
        );
    }
}
