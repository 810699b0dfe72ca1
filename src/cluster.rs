//! Entity clusters: the mentions of one entity linked together, with a canonical name.
//!
//! "Khalifa Haftar" … "Haftar"; "Libyan National Army" … "LNA"; "the UN" … "United Nations" … "UN".
//! Rules, in the order a reader applies them: the same words (ignoring case, dots and a leading
//! "the") are the same entity; a bare surname is the latest person whose full name ends with it; an
//! all-capitals word is the organisation or place whose initials it spells. Two people with
//! different full names are never merged, even through a shared surname. The canonical name is the
//! longest mention.

use crate::entity::{Entity, Label};
use crate::lexicon::FxBuild;
use std::collections::HashMap;

/// One entity and its mentions.
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    /// The canonical name: the text of the longest mention ("Khalifa Haftar").
    pub name: String,
    /// The label of that mention.
    pub label: Label,
    /// Indices into the document's entity list, in text order.
    pub mentions: Vec<usize>,
}

/// Links the mentions of `entities` (sorted, from one text) into clusters. Returns the clusters, in
/// order of first mention, and for each entity the index of its cluster.
pub fn link(text: &str, entities: &[Entity]) -> (Vec<Cluster>, Vec<usize>) {
    let words: Vec<Vec<String>> = entities.iter().map(|e| mention_words(&text[e.span])).collect();
    let mut sets = DisjointSets::new(entities.len());
    // the multi-word person name a set stands for, so two different people never merge: the
    // index of a mention with that name (its words, joined by spaces, are the name; words hold
    // no whitespace, so equal word lists are equal names)
    let mut person: Vec<Option<usize>> = vec![None; entities.len()];
    // "kind:words" → the latest mention with that key; kinds are "name", a value label, "surname",
    // "initials" and "word" (none contains ':', so keys of different kinds never collide)
    let mut keys: HashMap<String, usize, FxBuild> = HashMap::default();
    let mut key = String::new();
    let mut candidates: Vec<usize> = Vec::new();
    let lookup = |keys: &HashMap<String, usize, FxBuild>, key: &mut String, kind: &str, rest: &str| {
        key.clear();
        key.push_str(kind);
        key.push(':');
        key.push_str(rest);
        keys.get(key.as_str()).copied()
    };
    let insert = |keys: &mut HashMap<String, usize, FxBuild>, key: &mut String, kind: &str, rest: &str, i: usize| {
        key.clear();
        key.push_str(kind);
        key.push(':');
        key.push_str(rest);
        match keys.get_mut(key.as_str()) {
            Some(v) => *v = i,
            None => {
                keys.insert(key.clone(), i);
            }
        }
    };
    let mut exact = String::new();
    let mut initials_buf = String::new();

    for (i, e) in entities.iter().enumerate() {
        let w = &words[i];
        if w.is_empty() {
            continue;
        }
        exact.clear();
        exact.push_str(if e.label.is_name() { "name" } else { e.label.as_str() });
        exact.push(':');
        for (k, word) in w.iter().enumerate() {
            if k > 0 {
                exact.push(' ');
            }
            exact.push_str(word);
        }
        candidates.clear();
        candidates.extend(keys.get(exact.as_str()).copied());
        if e.label == Label::Per && w.len() > 1 {
            person[i] = Some(i);
        }
        if e.label.is_name() {
            if w.len() == 1 {
                // a bare surname: the latest person whose name ends with it; an acronym: its expansion
                candidates.extend(lookup(&keys, &mut key, "surname", &w[0]));
                candidates.extend(lookup(&keys, &mut key, "initials", &w[0]));
                insert(&mut keys, &mut key, "word", &w[0], i);
            } else if e.label == Label::Per {
                // an earlier bare surname waiting for its full name ("Haftar" … "Khalifa Haftar")
                candidates.extend(lookup(&keys, &mut key, "word", &w[w.len() - 1]));
                insert(&mut keys, &mut key, "surname", &w[w.len() - 1], i);
            } else {
                initials(w, &mut initials_buf);
                if initials_buf.len() >= 2 {
                    candidates.extend(lookup(&keys, &mut key, "word", &initials_buf));
                    insert(&mut keys, &mut key, "initials", &initials_buf, i);
                }
            }
        }
        for &c in &candidates {
            let (a, b) = (sets.find(c), sets.find(i));
            if a == b {
                continue;
            }
            match (person[a], person[b]) {
                (Some(x), Some(y)) if words[x] != words[y] => continue,
                _ => {}
            }
            let merged_person = person[a].or(person[b]);
            let root = sets.union(a, b);
            person[root] = merged_person;
        }
        match keys.get_mut(exact.as_str()) {
            Some(v) => *v = i,
            None => {
                keys.insert(exact.clone(), i);
            }
        }
    }

    // number the sets in order of first mention
    let mut cluster_of_root: Vec<usize> = vec![usize::MAX; entities.len()];
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut ids = Vec::with_capacity(entities.len());
    for (i, e) in entities.iter().enumerate() {
        let root = sets.find(i);
        if cluster_of_root[root] == usize::MAX {
            clusters.push(Cluster { name: String::new(), label: e.label, mentions: Vec::new() });
            cluster_of_root[root] = clusters.len() - 1;
        }
        let id = cluster_of_root[root];
        clusters[id].mentions.push(i);
        ids.push(id);
    }
    for c in &mut clusters {
        let best = c
            .mentions
            .iter()
            .copied()
            .max_by_key(|&m| (words[m].len(), entities[m].label.is_name() && entities[m].label == Label::Per, std::cmp::Reverse(m)))
            .expect("a cluster has a mention");
        c.name = text[entities[best].span].trim_start_matches("the ").trim_start_matches("The ").to_string();
        c.label = entities[best].label;
    }
    (clusters, ids)
}

/// Lower-cased words of a mention, without a leading "the", dots or possessive endings.
fn mention_words(s: &str) -> Vec<String> {
    let mut words: Vec<String> = s
        .split(|c: char| c.is_whitespace())
        .map(|w| {
            let w = strip_all(strip_all(w, "’s"), "'s");
            if w.is_ascii() {
                // the same as replace + to_lowercase, without the intermediate string
                let mut out = String::with_capacity(w.len());
                out.extend(w.bytes().filter(|&b| b != b'.').map(|b| char::from(b.to_ascii_lowercase())));
                out
            } else {
                w.replace('.', "").to_lowercase()
            }
        })
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    words
}

/// `w.trim_end_matches(suffix)` without building a substring searcher for every word.
fn strip_all<'a>(mut w: &'a str, suffix: &str) -> &'a str {
    while let Some(rest) = w.strip_suffix(suffix) {
        w = rest;
    }
    w
}

/// "libyan national army" → "lna"; "bank of england" → "boe" (small words kept only when
/// they are the only ones); hyphenated words give one letter per part. Written into `out`.
fn initials(words: &[String], out: &mut String) {
    out.clear();
    for w in words.iter().filter(|w| !matches!(w.as_str(), "of" | "the" | "and" | "for" | "on" | "in" | "&")) {
        out.extend(w.split('-').filter_map(|p| p.chars().next()));
    }
}

/// Union-find with path halving.
struct DisjointSets {
    parent: Vec<usize>,
}

impl DisjointSets {
    fn new(n: usize) -> DisjointSets {
        DisjointSets { parent: (0..n).collect() }
    }
    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }
    /// Joins two roots; the earlier one stays the root.
    fn union(&mut self, a: usize, b: usize) -> usize {
        let (root, child) = if a < b { (a, b) } else { (b, a) };
        self.parent[child] = root;
        root
    }
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
            &[("Khalifa Haftar", Per), ("Libyan National Army", Org), ("LNA", Org), ("Haftar", Per), ("UN", Org), ("United Nations", Org), ("UN", Org), ("Haftar", Per)],
        );
        assert_eq!(
            got,
            ["Khalifa Haftar", "Libyan National Army", "Libyan National Army", "Khalifa Haftar", "United Nations", "United Nations", "United Nations", "Khalifa Haftar"]
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
