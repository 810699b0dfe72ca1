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

/// The words of every mention ([`mention_words`]), in one buffer: a mention's words follow one
/// another separated by single spaces, so a mention's whole name is one slice too. Built once per
/// document, so linking allocates no string per mention or per word.
struct MentionWords {
    buf: String,
    /// Byte range of every word in `buf`.
    words: Vec<(u32, u32)>,
    /// Range of each mention's words in `words`.
    mentions: Vec<(u32, u32)>,
}

impl MentionWords {
    fn new(text: &str, entities: &[Entity]) -> MentionWords {
        let mut all = MentionWords {
            buf: String::with_capacity(entities.len() * 16),
            words: Vec::with_capacity(entities.len() * 2),
            mentions: Vec::with_capacity(entities.len()),
        };
        for e in entities {
            let first = all.words.len();
            for w in text[e.span].split(|c: char| c.is_whitespace()) {
                let w = strip_all(strip_all(w, "’s"), "'s");
                let start = all.buf.len();
                if all.words.len() > first {
                    all.buf.push(' ');
                }
                let from = all.buf.len();
                if w.is_ascii() {
                    // the same as replace + to_lowercase, without the intermediate string
                    all.buf
                        .extend(w.bytes().filter(|&b| b != b'.').map(|b| char::from(b.to_ascii_lowercase())));
                } else {
                    all.buf.push_str(&w.replace('.', "").to_lowercase());
                }
                if all.buf.len() == from {
                    all.buf.truncate(start); // an empty word is no word
                } else {
                    all.words.push((from as u32, all.buf.len() as u32));
                }
            }
            let mut first = first;
            // without a leading "the", unless it is the only word
            if all.words.len() > first + 1 && all.word(first) == "the" {
                first += 1;
            }
            all.mentions.push((first as u32, all.words.len() as u32));
        }
        all
    }

    fn word(&self, w: usize) -> &str {
        let (a, b) = self.words[w];
        &self.buf[a as usize..b as usize]
    }

    /// Number of words of mention `m`.
    fn len(&self, m: usize) -> usize {
        let (a, b) = self.mentions[m];
        (b - a) as usize
    }

    /// Word `k` of mention `m`.
    fn get(&self, m: usize, k: usize) -> &str {
        self.word(self.mentions[m].0 as usize + k)
    }

    /// The words of mention `m` joined by single spaces ("" for none).
    fn joined(&self, m: usize) -> &str {
        let (a, b) = self.mentions[m];
        if a == b {
            return "";
        }
        &self.buf[self.words[a as usize].0 as usize..self.words[b as usize - 1].1 as usize]
    }
}

/// The kinds of linking key, so keys of different kinds never collide. An exact key has the kind
/// `NAME` for all four name labels and its own kind per value label.
mod kind {
    pub const NAME: u8 = 0;
    pub const SURNAME: u8 = 1;
    pub const INITIALS: u8 = 2;
    pub const WORD: u8 = 3;
    /// Plus the value label's index: DATE, TIME, … each a kind of its own.
    pub const VALUE: u8 = 4;
}

/// Links the mentions of `entities` (sorted, from one text) into clusters. Returns the clusters, in
/// order of first mention, and for each entity the index of its cluster.
pub fn link(text: &str, entities: &[Entity]) -> (Vec<Cluster>, Vec<usize>) {
    let words = MentionWords::new(text, entities);
    // the initials of every multi-word name that is not a person's, in one buffer
    let mut initials_buf = String::new();
    let mut initials_of: Vec<(u32, u32)> = vec![(0, 0); entities.len()];
    for (i, e) in entities.iter().enumerate() {
        if e.label.is_name() && e.label != Label::Per && words.len(i) > 1 {
            let from = initials_buf.len();
            initials((0..words.len(i)).map(|k| words.get(i, k)), &mut initials_buf);
            initials_of[i] = (from as u32, initials_buf.len() as u32);
        }
    }
    let mut sets = DisjointSets::new(entities.len());
    // the multi-word person name a set stands for, so two different people never merge: the
    // index of a mention with that name (its words, joined by spaces, are the name; words hold
    // no whitespace, so equal word lists are equal names)
    let mut person: Vec<Option<usize>> = vec![None; entities.len()];
    // (kind, words) → the latest mention with that key
    let mut keys: HashMap<(u8, &str), usize, FxBuild> = HashMap::default();
    keys.reserve(entities.len() * 2);
    let mut candidates: Vec<usize> = Vec::new();

    for (i, e) in entities.iter().enumerate() {
        let n = words.len(i);
        if n == 0 {
            continue;
        }
        let exact =
            (if e.label.is_name() { kind::NAME } else { kind::VALUE + e.label as u8 }, words.joined(i));
        candidates.clear();
        candidates.extend(keys.get(&exact).copied());
        if e.label == Label::Per && n > 1 {
            person[i] = Some(i);
        }
        if e.label.is_name() {
            if n == 1 {
                // a bare surname: the latest person whose name ends with it; an acronym: its expansion
                let w = words.get(i, 0);
                candidates.extend(keys.get(&(kind::SURNAME, w)).copied());
                candidates.extend(keys.get(&(kind::INITIALS, w)).copied());
                keys.insert((kind::WORD, w), i);
            } else if e.label == Label::Per {
                // an earlier bare surname waiting for its full name ("Haftar" … "Khalifa Haftar")
                let last = words.get(i, n - 1);
                candidates.extend(keys.get(&(kind::WORD, last)).copied());
                keys.insert((kind::SURNAME, last), i);
            } else {
                let (a, b) = initials_of[i];
                let ini = &initials_buf[a as usize..b as usize];
                if ini.len() >= 2 {
                    candidates.extend(keys.get(&(kind::WORD, ini)).copied());
                    keys.insert((kind::INITIALS, ini), i);
                }
            }
        }
        for &c in &candidates {
            let (a, b) = (sets.find(c), sets.find(i));
            if a == b {
                continue;
            }
            match (person[a], person[b]) {
                (Some(x), Some(y)) if words.joined(x) != words.joined(y) => continue,
                _ => {}
            }
            let merged_person = person[a].or(person[b]);
            let root = sets.union(a, b);
            person[root] = merged_person;
        }
        keys.insert(exact, i);
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
            .max_by_key(|&m| {
                (
                    words.len(m),
                    entities[m].label.is_name() && entities[m].label == Label::Per,
                    std::cmp::Reverse(m),
                )
            })
            .expect("a cluster has a mention");
        c.name = strip_all_prefix(strip_all_prefix(&text[entities[best].span], "the "), "The ").to_string();
        c.label = entities[best].label;
    }
    (clusters, ids)
}

/// `w.trim_end_matches(suffix)` without building a substring searcher for every word.
fn strip_all<'a>(mut w: &'a str, suffix: &str) -> &'a str {
    while let Some(rest) = w.strip_suffix(suffix) {
        w = rest;
    }
    w
}

/// `w.trim_start_matches(prefix)` without building a substring searcher for every name.
fn strip_all_prefix<'a>(mut w: &'a str, prefix: &str) -> &'a str {
    while let Some(rest) = w.strip_prefix(prefix) {
        w = rest;
    }
    w
}

/// "libyan national army" → "lna"; "bank of england" → "boe" (small words kept only when
/// they are the only ones); hyphenated words give one letter per part. Appended to `out`.
fn initials<'a>(words: impl Iterator<Item = &'a str>, out: &mut String) {
    for w in words.filter(|w| !matches!(*w, "of" | "the" | "and" | "for" | "on" | "in" | "&")) {
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
