//! Stage 5: the whole pipeline, and its result as one [`Document`].

use crate::entity::{self, Entity};
use crate::quote::{self, Quote};
use crate::sentence::{self, Sentence};
use crate::span::Span;
use crate::token::{self, Token};

/// Everything pressmark found in one text. All spans are byte offsets into that text.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// Tokens, in text order.
    pub tokens: Vec<Token>,
    /// Sentences, in text order, covering every token.
    pub sentences: Vec<Sentence>,
    /// Entities, sorted by start, non-overlapping.
    pub entities: Vec<Entity>,
    /// Quotes, in text order.
    pub quotes: Vec<Quote>,
    /// Quoted words that are nobody's utterance, in text order.
    pub scare_quotes: Vec<Span>,
}

/// Annotates `text`. Every text is valid input: the empty text gives an empty document.
pub fn annotate(text: &str) -> Document {
    let tokens = token::tokenize(text);
    let sentences = sentence::split_sentences(text, &tokens);
    let entities = entity::recognize(text, &tokens, &sentences);
    let found = quote::extract_quotes(text, &tokens, &sentences, &entities);
    Document { tokens, sentences, entities, quotes: found.quotes, scare_quotes: found.scare_quotes }
}
