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
