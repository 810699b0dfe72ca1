//! Entity clusters: the mentions of one entity linked together, with a canonical name.
//!
//! The names (PER/ORG/LOC/MISC) are clustered by the mention linker ([`crate::link`]): one
//! cluster per linked entity that the names model found, named as the linker names it, so a
//! speaker's `speaker_name` and its cluster's name are the same string. Values (dates, money, …)
//! are clustered here: the same words (ignoring case and dots) with the same label are one
//! entity, named by its longest mention.

use crate::entity::{Entity, Label};
use crate::lexicon::FxBuild;
use crate::link::Links;
use std::collections::HashMap;
use std::hash::Hasher;

/// One entity and its mentions.
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    /// The canonical name ("Khalifa Haftar").
    pub name: String,
    /// Its label: the label of the mention the name comes from.
    pub label: Label,
    /// Indices into the document's entity list, in text order.
    pub mentions: Vec<usize>,
}

/// Links the mentions of `entities` (sorted, from one text) into clusters, with a linker built
/// from the entities alone. Returns the clusters, in order of first mention, and for each entity
/// the index of its cluster. The pipeline uses [`clusters`] with the document's own linker.
pub fn link(text: &str, entities: &[Entity]) -> (Vec<Cluster>, Vec<usize>) {
    clusters(text, entities, &Links::build(text, &[], &[], entities, &[]))
}

/// The clusters of `entities` (sorted, from one text): the linker's entities for names, equal
/// words for values. Returns the clusters, in order of first mention, and for each entity the
/// index of its cluster.
pub fn clusters(text: &str, entities: &[Entity], links: &Links) -> (Vec<Cluster>, Vec<usize>) {
    // a cluster key: the linked entity of a name, or (label, normalised words) of a value
    let mut of_linked: HashMap<usize, usize, FxBuild> = HashMap::default();
    let mut of_value: HashMap<(u8, u64), usize, FxBuild> = HashMap::default();
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut ids = Vec::with_capacity(entities.len());
    for (i, e) in entities.iter().enumerate() {
        let id = match links.entity_of(i) {
            Some(l) => *of_linked.entry(l).or_insert_with(|| {
                let linked = &links.entities()[l];
                clusters.push(Cluster {
                    name: linked.name.clone(),
                    label: linked.label.unwrap_or(e.label),
                    mentions: Vec::new(),
                });
                clusters.len() - 1
            }),
            None => *of_value.entry((e.label as u8, value_key(&text[e.span]))).or_insert_with(|| {
                clusters.push(Cluster { name: String::new(), label: e.label, mentions: Vec::new() });
                clusters.len() - 1
            }),
        };
        clusters[id].mentions.push(i);
        ids.push(id);
    }
    for c in clusters.iter_mut().filter(|c| c.name.is_empty()) {
        let best = c
            .mentions
            .iter()
            .copied()
            .max_by_key(|&m| (text[entities[m].span].split_whitespace().count(), std::cmp::Reverse(m)))
            .expect("a cluster has a mention");
        c.name = strip_all_prefix(strip_all_prefix(&text[entities[best].span], "the "), "The ").to_string();
    }
    (clusters, ids)
}

/// A hash of a value's words, ignoring case, dots and a leading "the" ("the 1990s" = "1990s"): two
/// mentions of one date or sum have the same key, and no string is built for it.
fn value_key(s: &str) -> u64 {
    let mut h = crate::lexicon::FxHasher::default();
    let mut words = s.split_whitespace().peekable();
    if words.peek().is_some_and(|w| w.eq_ignore_ascii_case("the")) {
        words.next();
    }
    for w in words {
        for c in w.chars().filter(|&c| c != '.').flat_map(char::to_lowercase) {
            h.write_u32(c as u32);
        }
        h.write_u8(b' ');
    }
    h.finish()
}

/// `w.trim_start_matches(prefix)` without building a substring searcher for every name.
fn strip_all_prefix<'a>(mut w: &'a str, prefix: &str) -> &'a str {
    while let Some(rest) = w.strip_prefix(prefix) {
        w = rest;
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    /// Builds entities from (mention, label) pairs found in order in `text`.
    fn entities(text: &str, mentions: &[(&str, Label)]) -> Vec<Entity> {
        let mut from = 0;
        mentions
            .iter()
            .map(|(m, label)| {
                let start = from + text[from..].find(m).expect("mention in text");
                from = start + m.len();
                Entity { span: Span::new(start, from), label: *label, confidence: 1.0 }
            })
            .collect()
    }

    fn names_by_mention(text: &str, mentions: &[(&str, Label)]) -> Vec<String> {
        let ents = entities(text, mentions);
        let (clusters, ids) = link(text, &ents);
        ids.iter().map(|&i| clusters[i].name.clone()).collect()
    }

    #[test]
    fn links_surnames_acronyms_and_repeats() {
        use Label::*;
        let text = "Khalifa Haftar leads the Libyan National Army. The LNA and Haftar lost. The UN said the United Nations and the UN agree. Haftar’s men";
        let got = names_by_mention(
            text,
            &[
                ("Khalifa Haftar", Per),
                ("Libyan National Army", Org),
                ("LNA", Org),
                ("Haftar", Per),
                ("UN", Org),
                ("United Nations", Org),
                ("UN", Org),
                ("Haftar", Per),
            ],
        );
        assert_eq!(
            got,
            [
                "Khalifa Haftar",
                "Libyan National Army",
                "Libyan National Army",
                "Khalifa Haftar",
                "United Nations",
                "United Nations",
                "United Nations",
                "Khalifa Haftar"
            ]
        );
    }

    #[test]
    fn never_merges_two_people_through_a_surname() {
        use Label::*;
        let text = "Joe Biden met Jill Biden. Biden said.";
        let got = names_by_mention(text, &[("Joe Biden", Per), ("Jill Biden", Per), ("Biden", Per)]);
        assert_eq!(got, ["Joe Biden", "Jill Biden", "Jill Biden"]);
    }

    #[test]
    fn a_surname_before_the_full_name_still_links() {
        use Label::*;
        let text = "Lacher warned. Wolfram Lacher, an analyst, said.";
        let got = names_by_mention(text, &[("Lacher", Per), ("Wolfram Lacher", Per)]);
        assert_eq!(got, ["Wolfram Lacher", "Wolfram Lacher"]);
    }
}
