//! Stage 5: the whole pipeline, and its result as one [`Document`].

use crate::cluster::{self, Cluster};
use crate::entity::{self, Entity};
use crate::link::Links;
use crate::quote::{self, Quote};
use crate::sentence::{self, Sentence};
use crate::span::Span;
use crate::token::{self, Token};
use crate::value::{self, Value};

/// Everything pressmark found in one text. All spans are byte offsets into that text.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// Tokens, in text order.
    pub tokens: Vec<Token>,
    /// Sentences, in text order, covering every token.
    pub sentences: Vec<Sentence>,
    /// Entities, sorted by start, non-overlapping.
    pub entities: Vec<Entity>,
    /// For each entity, the index of its cluster in `clusters`.
    pub entity_cluster: Vec<usize>,
    /// For each entity, its normalised value (DATE, MONEY, PERCENT), if it has one.
    pub entity_value: Vec<Option<Value>>,
    /// The entities with their mentions linked, in order of first mention.
    pub clusters: Vec<Cluster>,
    /// Quotes, in text order.
    pub quotes: Vec<Quote>,
    /// Quoted words that are nobody's utterance, in text order.
    pub scare_quotes: Vec<Span>,
}

/// Annotates `text`. Every text is valid input: the empty text gives an empty document.
pub fn annotate(text: &str) -> Document {
    run(text, true)
}

/// [`annotate`] without the stage data the output does not need: `tokens` and `sentences` are left
/// empty, and dropped as soon as the last stage that reads them is done. The other fields are
/// exactly [`annotate`]'s. For the browser, where wasm memory never shrinks: see `annotate` in
/// `src/wasm.rs`.
pub fn annotate_for_output(text: &str) -> Document {
    run(text, false)
}

/// [`annotate`] with another name tagger than the embedded model (the rule tagger, a model in
/// training): what every later stage does with the names it is given.
pub fn annotate_with(text: &str, tagger: &dyn entity::NameTagger) -> Document {
    run_with(text, true, |tokens, sentences| entity::recognize_with(tagger, text, tokens, sentences))
}

fn run(text: &str, keep_tokens: bool) -> Document {
    run_with(text, keep_tokens, |tokens, sentences| entity::recognize(text, tokens, sentences))
}

fn run_with(
    text: &str,
    keep_tokens: bool,
    recognize: impl FnOnce(&[Token], &[Sentence]) -> Vec<Entity>,
) -> Document {
    let mut tokens = token::tokenize(text);
    let mut sentences = sentence::split_sentences(text, &tokens);
    let entities = recognize(&tokens, &sentences);
    // the quote marks first: the linker must know which names lie inside quotes
    let stretches = quote::marks::find_stretches(text, &tokens, &sentences);
    // one linker, read by the quotes (who each speaker mention is) and by the entity clusters
    let links = Links::build(text, &tokens, &sentences, &entities, &quote::quoted_spans(&stretches));
    // Quotes before clusters and values (each stage reads only its arguments, so the order changes
    // nothing): the quote stage's per-token tables are the memory peak of a long text, and this way
    // only what it reads is alive beside them.
    let mut found = quote::attribute(text, &tokens, &sentences, &entities, &stretches, &links);
    drop(stretches);
    if !keep_tokens {
        tokens = Vec::new();
        sentences = Vec::new();
    }
    let (clusters, entity_cluster) = cluster::clusters(text, &entities, &links);
    // a speaker's entity as a cluster index (a linked entity the names model never found has none)
    let mut cluster_of_linked = vec![None; links.entities().len()];
    for (i, &c) in entity_cluster.iter().enumerate() {
        if let Some(l) = links.entity_of(i) {
            cluster_of_linked[l] = Some(c);
        }
    }
    for q in &mut found.quotes {
        q.speaker_entity = q.speaker_entity.and_then(|l| cluster_of_linked[l]);
    }
    let dateline = value::find_dateline(text, &entities);
    let entity_value = entities.iter().map(|e| value::value_of(text, e, dateline)).collect();
    Document {
        tokens,
        sentences,
        entities,
        entity_cluster,
        entity_value,
        clusters,
        quotes: found.quotes,
        scare_quotes: found.scare_quotes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offsets::Unit;
    use crate::output::WireDocument;

    #[test]
    fn a_speaker_is_named_as_its_entity_in_the_index() {
        let text = "Khalifa Haftar's forces advanced on Monday.\n\n“We will take the capital,” Haftar said. \
                    “Nobody will stop us,” he added.\n\nThe Libyan National Army said the LNA would go on.";
        let doc = annotate(text);
        let named: Vec<_> = doc.quotes.iter().filter(|q| q.direct && q.speaker_name.is_some()).collect();
        assert_eq!(named.len(), 2, "{:?}", doc.quotes);
        for q in named {
            let c = q.speaker_entity.expect("the speaker is an entity of the index");
            assert_eq!(q.speaker_name.as_deref(), Some(doc.clusters[c].name.as_str()));
            assert_eq!(doc.clusters[c].name, "Khalifa Haftar");
        }
    }

    #[test]
    fn the_output_document_is_annotate_without_tokens_and_sentences() {
        let text = "WASHINGTON (Reuters) - “We are done,” said Ana Ruiz, the minister, on May 20, 2020.\n\n\
                    Ruiz told reporters the plan cost $3 million. She said it would work.";
        let full = annotate(text);
        let lean = annotate_for_output(text);
        assert!(!full.tokens.is_empty() && !full.sentences.is_empty());
        assert!(lean.tokens.is_empty() && lean.sentences.is_empty());
        let wire = |d: &Document| serde_json::to_string(&WireDocument::new(text, d, Unit::Utf16)).unwrap();
        assert_eq!(wire(&full), wire(&lean));
        assert!(!lean.quotes.is_empty() && !lean.entities.is_empty());
    }
}
