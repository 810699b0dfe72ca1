//! Stage 4: quotation marks paired → quotes, each with its cue and speaker.
//!
//! [`marks`] pairs the marks into quoted stretches; [`speaker`] finds the reporting cue ("said",
//! "according to") and the speaker mention, and asks the mention linker ([`crate::link`]) who it is.
//! Quoted words that are nobody's utterance (scare quotes, titles) are kept apart.

mod attribute;
mod indirect;
pub mod marks;
pub mod speaker;

use crate::entity::Entity;
use crate::link::Links;
use crate::sentence::Sentence;
use crate::span::Span;
use crate::token::Token;

/// One quote: what was said, by whom, with which cue.
#[derive(Clone, Debug, PartialEq)]
pub struct Quote {
    /// The quoted content, quotation marks excluded (bytes).
    pub span: Span,
    /// The mention the attribution rests on ("Lacher", "he", "spokesman"), outside the quote.
    pub speaker: Option<Span>,
    /// The speaker's canonical full name, when known.
    pub speaker_name: Option<String>,
    /// The speaker's entity, when the mention resolves to one: an index into the linker's
    /// entities ([`crate::link::Links::entities`]) out of this stage, into the document's
    /// clusters in a [`crate::Document`].
    pub speaker_entity: Option<usize>,
    /// The reporting verb or phrase ("said", "according to").
    pub cue: Option<Span>,
    /// Words in quotation marks (true), or reported speech (false).
    pub direct: bool,
    /// A fragment built into the reporter's sentence: called it “a disaster”.
    pub partial: bool,
    /// No closing mark: a paragraph of a multi-paragraph quote, or a quote never closed.
    pub open_end: bool,
    /// In the headline or sub-headline: a short first line (or two) without final sentence
    /// punctuation.
    pub headline: bool,
    /// Inside another quote (“He told me ‘we are done,’” she said): its speaker and cue, when
    /// found, lie inside the outer quote.
    pub nested: bool,
    /// Shared by the parts of one quotation (split by its attribution, or over paragraphs).
    pub group: Option<usize>,
    /// How sure the extractor is, 0–1.
    pub confidence: f32,
}

/// What [`extract_quotes`] finds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Quotes {
    /// Quotes in text order.
    pub quotes: Vec<Quote>,
    /// Quoted words that are nobody's utterance (content spans, marks excluded), in text order.
    pub scare_quotes: Vec<Span>,
}

/// Finds the quotes in `text` and attributes them, with a mention linker of its own. The pipeline
/// ([`crate::document`]) builds the linker once and calls [`attribute`].
pub fn extract_quotes(text: &str, tokens: &[Token], sentences: &[Sentence], entities: &[Entity]) -> Quotes {
    let stretches = marks::find_stretches(text, tokens, sentences);
    let links = Links::build(text, tokens, sentences, entities, &quoted_spans(&stretches));
    attribute(text, tokens, sentences, entities, &stretches, &links)
}

/// The outer spans (marks included) of the outermost stretches: what the linker needs to know
/// of the quotes (a name inside a quote is no antecedent for a pronoun outside it).
pub fn quoted_spans(stretches: &[marks::Stretch]) -> Vec<Span> {
    stretches.iter().filter(|s| s.depth == 0).map(|s| s.outer()).collect()
}

/// Attributes the quoted `stretches` ([`marks::find_stretches`]), asking `links` who each speaker
/// mention is.
pub fn attribute(
    text: &str,
    tokens: &[Token],
    sentences: &[Sentence],
    entities: &[Entity],
    stretches: &[marks::Stretch],
    links: &Links,
) -> Quotes {
    attribute::attribute(text, tokens, sentences, entities, stretches, links)
}
