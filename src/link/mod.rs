//! The mention linker: every mention of a person or organisation linked to one entity.
//!
//! It runs after names are found ([`crate::entity`]) and before quotes are attributed
//! ([`crate::quote`]), and it is the only place that decides who a mention is. The entity clusters
//! of the output ([`crate::cluster`]: `entity_id`, `entities_index`) are its entities, and the quote
//! stage finds a speaker *mention* ("Haftar", "she", "the agency") and asks [`Links::resolve`] who
//! it is, so a speaker's name is always the name of the entity in the index.
//!
//! What it links, in the order a reader does:
//! * name mentions: the names model's PER/ORG/LOC/MISC entities, plus person-shaped capitalised
//!   runs the model left out ("Mr. Leonard Burman", a known first name with a surname). The same
//!   words (ignoring case, dots, a leading "the" and a possessive) are one entity; a bare surname
//!   is the latest person whose full name ends with it, a bare first name the latest whose full
//!   name starts with it; "FDA" the organisation whose initials it spells; "Leonard E. Burman" and
//!   "Leonard Burman" one person. Two people with different full names are never merged.
//! * pronouns: "he"/"she" the latest person of a compatible gender (from titles, first names and
//!   role words) in the last few paragraphs, outside quotes; "it" the latest organisation. A
//!   pronoun never resolves to a place or an organisation's name as a person.
//! * role nouns: "the minister" the latest person introduced with that role ("Health Minister
//!   Ingrid Solberg", "Ana Ruiz, the interior minister,"); "the 42-year-old" the latest person;
//!   "the agency", "the company" the latest organisation whose name ends in a word of that kind
//!   (`lexicon/link_org_nouns.txt`: "Food and Drug Administration"). "A spokesman for X" or "an
//!   X spokesman" is nobody named: X's spokesperson is not X.
//!
//! An entity's kind (person, organisation, place, other) is voted by its mentions: the names
//! model's labels, titles and first names, and a person-shaped name followed by a reporting verb
//! ("Wanheng said") counts as a person even when the model called it a place or organisation.

use crate::entity::{Entity, Label};
use crate::lexicon::{self, FxBuild};
use crate::sentence::Sentence;
use crate::span::Span;
use crate::token::{partition_point_near, Token, TokenKind};
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::Hasher;
use std::num::NonZeroU64;

/// What a linked entity is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A person.
    Person,
    /// An organisation (a company, an agency, a team, a government).
    Organisation,
    /// A place.
    Place,
    /// Anything else with a name (a nationality, an event, a work).
    Other,
}

/// One entity with its canonical name.
#[derive(Clone, Debug, PartialEq)]
pub struct Linked {
    /// The canonical name: its longest mention ("Khalifa Haftar"), without a leading "the".
    pub name: String,
    /// What it is, as its mentions vote.
    pub kind: Kind,
    /// `'m'` or `'f'` when a title, first name or role word says so.
    pub gender: Option<char>,
    /// The label of the mention the name comes from (`None`: a name the names model missed).
    pub label: Option<Label>,
}

/// A name mention: an entity of the names model, or a person-shaped run it missed.
#[derive(Clone, Debug, PartialEq)]
pub struct NameMention {
    /// Its bytes (no leading "the", no possessive).
    pub span: Span,
    /// Its tokens.
    pub tokens: (usize, usize),
    /// Index into [`Links::entities`].
    pub entity: usize,
    /// Inside a quote.
    pub quoted: bool,
    paragraph: usize,
}

/// The linked mentions of one text.
#[derive(Clone, Debug, Default)]
pub struct Links {
    mentions: Vec<NameMention>,
    entities: Vec<Linked>,
    /// For each entity of the document, its linked entity (values have none).
    of_entity: Vec<Option<usize>>,
    /// Role word ("minister", "owner") → (byte where the person is named, entity), in text order.
    roles: HashMap<&'static str, Vec<(usize, usize)>, FxBuild>,
    /// (end token, paragraph) of every sentence: a token's paragraph by search.
    paragraphs: Vec<(usize, usize)>,
}

/// Organisation noun → (the name endings it stands for, whether it may stand for any nearby
/// organisation).
type OrgNouns = HashMap<&'static str, (Vec<&'static str>, bool), FxBuild>;

/// The (lower-case) nouns that stand for an organisation ([`OrgNouns`]).
fn org_nouns() -> &'static OrgNouns {
    static CELL: std::sync::OnceLock<OrgNouns> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        lexicon::parse_list(include_str!("../lexicon/link_org_nouns.txt"))
            .filter_map(|line| {
                let mut words = line.split_whitespace();
                let noun = words.next()?;
                let ends: Vec<&str> = words.collect();
                let any = ends.contains(&"*");
                Some((noun, (ends.into_iter().filter(|w| *w != "*").collect(), any)))
            })
            .collect()
    })
}

/// Spokesperson-like heads: "a spokesman for X" speaks for X but is not X.
const SPOKES: &[&str] = &[
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "spokespeople",
    "spokesmen",
    "spokeswomen",
    "representative",
    "representatives",
    "official",
    "officials",
    "source",
    "sources",
    "aide",
    "aides",
];

/// The tokens of the text, as the linker reads them.
struct View<'a> {
    text: &'a str,
    tokens: &'a [Token],
    quoted: Vec<bool>,
    /// Per token, the name entity covering it ([`NO_ENTITY`]: none). `u32`, not `usize`: one
    /// entry per token of the text is the linker's largest table.
    ner: Vec<u32>,
}

/// [`View::ner`] of a token no name entity covers.
const NO_ENTITY: u32 = u32::MAX;

impl<'a> View<'a> {
    fn word(&self, i: usize) -> &'a str {
        &self.text[self.tokens[i].span]
    }

    fn is_word(&self, i: usize) -> bool {
        self.tokens[i].kind == TokenKind::Word
    }

    fn cap(&self, i: usize) -> bool {
        self.is_word(i)
            && match self.text.as_bytes().get(self.tokens[i].span.start) {
                Some(b) if b.is_ascii() => b.is_ascii_uppercase(),
                _ => self.word(i).chars().next().is_some_and(char::is_uppercase),
            }
    }

    /// `f` of [`View::bare`], without building a string for a short word.
    fn with_bare<R>(&self, i: usize, f: impl FnOnce(&str) -> R) -> R {
        with_lower(self.word(i), f)
    }

    /// Lower case, without a final period.
    fn bare(&self, i: usize) -> Cow<'a, str> {
        lower_bare(self.word(i))
    }

    fn is_title(&self, i: usize) -> bool {
        self.with_bare(i, lexicon::is_quote_title)
    }

    /// A lower-case reporting verb ("said", "told").
    fn is_verb(&self, i: usize) -> bool {
        i < self.tokens.len()
            && self.is_word(i)
            && !self.cap(i)
            && !self.quoted[i]
            && self.with_bare(i, lexicon::is_reporting_verb)
    }

    /// A word that can be part of a name run (outside quotes and outside the model's entities).
    fn run_token(&self, i: usize) -> bool {
        if self.quoted[i] || self.ner[i] != NO_ENTITY || !self.is_word(i) {
            return false;
        }
        self.cap(i)
            || matches!(
                self.word(i),
                "de" | "van" | "von" | "der" | "da" | "del" | "di" | "du" | "al" | "bin"
            ) && i + 1 < self.tokens.len()
                && self.cap(i + 1)
    }
}

/// Calls `f` with `w` in lower case without a final period ([`lower_bare`]); a short ASCII word
/// is lower-cased on the stack, so the word lists can be asked without building a string.
fn with_lower<R>(w: &str, f: impl FnOnce(&str) -> R) -> R {
    let w = w.strip_suffix('.').unwrap_or(w);
    if w.len() <= 32 && w.is_ascii() {
        let mut buf = [0u8; 32];
        for (d, s) in buf.iter_mut().zip(w.bytes()) {
            *d = s.to_ascii_lowercase();
        }
        f(std::str::from_utf8(&buf[..w.len()]).expect("ASCII stays UTF-8"))
    } else {
        f(&lower_bare(w))
    }
}

/// Lower case, without a final period; borrowed when the word is lower-case ASCII already (most
/// words the rules ask about), so no string is built for it.
fn lower_bare(w: &str) -> Cow<'_, str> {
    let w = w.strip_suffix('.').unwrap_or(w);
    if w.bytes().all(|b| b.is_ascii_lowercase() || !b.is_ascii_alphabetic() && b.is_ascii()) {
        Cow::Borrowed(w)
    } else if w.is_ascii() {
        Cow::Owned(w.to_ascii_lowercase())
    } else {
        Cow::Owned(w.to_lowercase())
    }
}

/// A mention while linking.
struct Draft {
    span: Span,
    tokens: (usize, usize),
    /// Its words, normalised ([`name_key`]), their hashes in the linker's word arena.
    words: NameKey,
    label: Option<Label>,
    /// Person evidence: a title before it, a known first name, a reporting verb after it.
    person: bool,
    /// An organisation found by its last word (a run the model missed).
    org: bool,
    gender: Option<char>,
    ner: Option<usize>,
    /// A person's full name, shaped like one ([`Links::build`]): it makes its entity a person.
    full_name: bool,
}

impl Links {
    /// Links the mentions of `text`: `entities` from the names model (sorted), `quoted` the outer
    /// spans (marks included) of the quotes. Without tokens (an empty slice), only the entities
    /// are linked.
    pub fn build(
        text: &str,
        tokens: &[Token],
        sentences: &[Sentence],
        entities: &[Entity],
        quoted: &[Span],
    ) -> Links {
        let n = tokens.len();
        let mut view = View { text, tokens, quoted: vec![false; n], ner: vec![NO_ENTITY; n] };
        let mut qi = 0;
        for (i, t) in tokens.iter().enumerate() {
            while qi < quoted.len() && quoted[qi].end <= t.span.start {
                qi += 1;
            }
            view.quoted[i] = qi < quoted.len() && quoted[qi].start <= t.span.start;
        }
        // (entities in text order: each search starts from the last one's tokens)
        let mut near = (0, 0);
        let mut tok_range = |s: Span| {
            let a = partition_point_near(tokens, near.0, |t| t.span.end <= s.start);
            let b = partition_point_near(tokens, near.1, |t| t.span.start < s.end);
            near = (a, b);
            (a, b.max(a))
        };
        // every draft's word hashes, one after another ([`NameKey::words`]): one table, not a
        // vector per mention
        let mut arena: Vec<u64> = Vec::new();
        let mut drafts: Vec<Draft> =
            Vec::with_capacity(entities.iter().filter(|e| e.label.is_name()).count());
        for (ei, e) in entities.iter().enumerate() {
            if !e.label.is_name() {
                continue;
            }
            let (a, b) = tok_range(e.span);
            // (a text of at most MAX_TEXT_BYTES has fewer entities than u32::MAX)
            view.ner[a..b].fill(ei as u32);
            let mut span = e.span;
            for prefix in ["the ", "The ", "THE "] {
                if text[span].starts_with(prefix) && span.len() > prefix.len() {
                    span = Span::new(span.start + prefix.len(), span.end);
                }
            }
            // a title the names model took in ("Mr Davis"): the name is what follows it
            let mut a = a;
            while e.label == Label::Per
                && a + 1 < b
                && view.cap(a + 1)
                && view.with_bare(a, |w| lexicon::is_quote_title(w) || lexicon::is_quote_role(w))
            {
                a += 1;
                span = Span::new(tokens[a].span.start, span.end);
            }
            let words = name_key(&text[span], e.label != Label::Per, &mut arena);
            if words.len() == 0 {
                continue;
            }
            drafts.push(Draft {
                span,
                tokens: (a, b),
                words,
                label: Some(e.label),
                person: false,
                org: false,
                gender: None,
                ner: Some(ei),
                full_name: false,
            });
        }
        // person evidence for the model's mentions
        for d in &mut drafts {
            let (a, b) = d.tokens;
            d.person = d.label == Some(Label::Per);
            if b <= a {
                continue;
            }
            let title = a > 0 && view.cap(a - 1) && view.is_title(a - 1);
            let first = lexicon::first_names().contains(view.word(a)) && d.words.len() >= 2;
            d.gender = title_gender_before(&view, a).or(d.words.first_gender);
            if d.person && is_group(view.word(b - 1)) {
                // "MPs", "Outraged MPs", "CEOs": a group, not a person
                d.person = false;
            }
            if !d.person && (title || first) && view.is_verb(b) && !d.words.org_end {
                // "a person-shaped name followed by a reporting verb is a person"
                d.person = true;
            }
            // a name with an acronym ("BBC Look East") or an organisation word at its end is no
            // person's, whatever the model said
            if d.person && d.words.len() >= 2 && ((a..b).any(|k| is_acronym(view.word(k))) || d.words.org_end)
            {
                d.person = false;
            }
            d.full_name = d.person && d.words.len() >= 2;
        }
        if n > 0 {
            let found_any = !drafts.is_empty();
            let runs = find_runs(&view, found_any, &drafts, &arena);
            drafts = merge_runs(&view, drafts, runs, &mut arena);
        }
        let paragraphs: Vec<(usize, usize)> = sentences.iter().map(|s| (s.tokens.end, s.paragraph)).collect();
        let para_of = |tok: usize| {
            let k = paragraphs.partition_point(|&(end, _)| end <= tok);
            paragraphs.get(k).map_or(0, |&(_, p)| p)
        };

        // link, in text order
        let m = drafts.len();
        let mut sets = DisjointSets::new(m);
        let mut full: Vec<Option<usize>> = vec![None; m];
        // (word hashes: a linking key is a hash, so no string is built per mention)
        let mut exact: HashMap<u64, usize, FxBuild> = HashMap::default();
        let mut surname: HashMap<u64, usize, FxBuild> = HashMap::default();
        let mut first: HashMap<u64, usize, FxBuild> = HashMap::default();
        let mut initials_map: HashMap<u64, usize, FxBuild> = HashMap::default();
        let mut single: HashMap<u64, usize, FxBuild> = HashMap::default();
        let mut candidates: Vec<usize> = Vec::new();
        for i in 0..m {
            let d = &drafts[i];
            let key = d.words.whole(&arena);
            candidates.clear();
            candidates.extend(exact.get(&key).copied());
            let person = d.person;
            if person && d.words.len() > 1 {
                full[i] = Some(i);
            }
            let words = d.words.words(&arena);
            if words.len() == 1 {
                let w = words[0];
                let by_surname = surname.get(&w).copied();
                candidates.extend(by_surname);
                if by_surname.is_none() && !matches!(d.label, Some(Label::Loc | Label::Misc)) {
                    candidates.extend(first.get(&w).copied());
                }
                candidates.extend(initials_map.get(&w).copied());
                single.insert(w, i);
            } else if person {
                let last = words[words.len() - 1];
                candidates.extend(single.get(&last).copied());
                candidates.extend(surname.get(&last).copied());
                surname.insert(last, i);
                first.insert(words[0], i);
            } else if let Some(ini) = d.words.initials.map(NonZeroU64::get) {
                candidates.extend(single.get(&ini).copied());
                initials_map.insert(ini, i);
            }
            for &c in &candidates {
                let (ra, rb) = (sets.find(c), sets.find(i));
                if ra == rb {
                    continue;
                }
                if let (Some(x), Some(y)) = (full[ra], full[rb]) {
                    if !compatible(drafts[x].words.words(&arena), drafts[y].words.words(&arena)) {
                        continue;
                    }
                }
                let keep = match (full[ra], full[rb]) {
                    (Some(x), Some(y)) => {
                        Some(if drafts[y].words.len() > drafts[x].words.len() { y } else { x })
                    }
                    (x, y) => x.or(y),
                };
                let root = sets.union(ra, rb);
                full[root] = keep;
            }
            exact.insert(key, i);
        }
        // (the tables of a long text's linking, freed before the mentions are built beside the drafts)
        drop((exact, surname, first, initials_map, single, candidates, full));

        // entities, in order of first mention
        let mut entity_of_root = vec![usize::MAX; m];
        let mut members: Vec<Vec<usize>> = Vec::new();
        let mention_entity: Vec<usize> = (0..m)
            .map(|i| {
                let r = sets.find(i);
                if entity_of_root[r] == usize::MAX {
                    entity_of_root[r] = members.len();
                    members.push(Vec::new());
                }
                members[entity_of_root[r]].push(i);
                entity_of_root[r]
            })
            .collect();
        drop((sets, entity_of_root));
        let linked: Vec<Linked> = members
            .iter()
            .map(|ms| {
                // votes: the model's labels, person evidence, organisation names found by rule
                let mut votes = [0u32; 4];
                for &i in ms {
                    let d = &drafts[i];
                    match d.label {
                        // a group the model called a person ("MPs") counts as other
                        Some(Label::Per) if !d.person => votes[3] += 2,
                        Some(Label::Per) => votes[0] += 2,
                        Some(Label::Org) => votes[1] += 2,
                        Some(Label::Loc) => votes[2] += 2,
                        _ => votes[3] += 1,
                    }
                    if d.person && d.label != Some(Label::Per) {
                        votes[0] += 3;
                    }
                    if d.org {
                        votes[1] += 2;
                    }
                }
                let best_vote = (0..4).max_by_key(|&k| (votes[k], std::cmp::Reverse(k))).expect("four kinds");
                // a person's full name decides: the model often calls a bare surname an organisation
                // ("the Trump campaign"), never a full name a person by mistake as often
                let full_name = ms.iter().any(|&i| drafts[i].full_name);
                let kind = if full_name {
                    Kind::Person
                } else {
                    [Kind::Person, Kind::Organisation, Kind::Place, Kind::Other][best_vote]
                };
                let best = ms
                    .iter()
                    .copied()
                    .max_by_key(|&i| {
                        let d = &drafts[i];
                        (d.words.len(), d.label == Some(Label::Per), d.ner.is_some(), std::cmp::Reverse(i))
                    })
                    .expect("an entity has a mention");
                let gender = ms.iter().find_map(|&i| drafts[i].gender);
                Linked {
                    name: text[drafts[best].span].trim().to_string(),
                    kind,
                    gender: if kind == Kind::Person { gender } else { None },
                    label: drafts[best].label,
                }
            })
            .collect();
        drop(members);
        let mut of_entity = vec![None; entities.len()];
        let mut mentions = Vec::with_capacity(m);
        for (i, d) in drafts.iter().enumerate() {
            if let Some(e) = d.ner {
                of_entity[e] = Some(mention_entity[i]);
            }
            let quoted = d.tokens.0 < d.tokens.1 && view.quoted[d.tokens.0];
            mentions.push(NameMention {
                span: d.span,
                tokens: d.tokens,
                entity: mention_entity[i],
                quoted,
                paragraph: para_of(d.tokens.0),
            });
        }
        let mut links =
            Links { mentions, entities: linked, of_entity, roles: HashMap::default(), paragraphs };
        if n > 0 {
            links.find_roles(&view);
        }
        links
    }

    /// The linked entities, in order of first mention.
    pub fn entities(&self) -> &[Linked] {
        &self.entities
    }

    /// The name mentions, in text order.
    pub fn mentions(&self) -> &[NameMention] {
        &self.mentions
    }

    /// The linked entity of the document's entity `i` (none for dates, money and other values).
    pub fn entity_of(&self, i: usize) -> Option<usize> {
        self.of_entity.get(i).copied().flatten()
    }

    /// The canonical name of entity `e`.
    pub fn name(&self, e: usize) -> &str {
        &self.entities[e].name
    }

    fn paragraph_of(&self, tok: usize) -> usize {
        let k = self.paragraphs.partition_point(|&(end, _)| end <= tok);
        self.paragraphs.get(k).map_or(0, |&(_, p)| p)
    }

    /// Who the mention at tokens `a..b` is: a name, a pronoun, a role noun or an organisation
    /// noun, resolved to an entity; `None` when nobody named (or nobody certain) is meant.
    pub fn resolve(&self, text: &str, tokens: &[Token], a: usize, b: usize) -> Option<usize> {
        if a >= b || b > tokens.len() {
            return None;
        }
        let word = |i: usize| &text[tokens[i].span];
        let bare = |i: usize| lower_bare(word(i));
        // the head of the phrase: its last word before a preposition or a comma
        let cut = (a + 1..b)
            .find(|&k| matches!(&*bare(k), "of" | "for" | "at" | "with" | "from" | "in" | "on" | ","))
            .unwrap_or(b);
        let head = cut - 1;
        let names = self.mentions_in(a, b);
        let in_name = |k: usize| names.iter().any(|m| m.tokens.0 <= k && k < m.tokens.1);
        let head_word = bare(head);
        if !in_name(head) {
            if b - a == 1 {
                if let Some((g, num)) = lexicon::pronoun(&head_word) {
                    return match (g, num) {
                        ('m' | 'f', 's') => {
                            self.latest(a, 3, |e| e.kind == Kind::Person && e.gender.is_none_or(|h| h == g))
                        }
                        ('n', 's') => self.latest(a, 2, |e| e.kind == Kind::Organisation),
                        _ => None,
                    };
                }
            }
            let indefinite = a > 0 && matches!(&*bare(a - 1), "a" | "an" | "one" | "another");
            let qualified =
                !names.is_empty() || (a..head).any(|k| word(k).ends_with("'s") || word(k) == "’s");
            if SPOKES.contains(&&*head_word) {
                // "a spokesman for X", "an X official": X's, not X; "the spokesman" the one named
                if indefinite || qualified {
                    return None;
                }
            }
            if head_word.ends_with("-year-old") {
                return (!indefinite).then(|| self.latest(a, 2, |e| e.kind == Kind::Person)).flatten();
            }
            if let Some((ends, any)) = org_nouns().get(&*head_word) {
                if indefinite
                    || qualified && !names.iter().any(|m| self.entities[m.entity].kind == Kind::Organisation)
                {
                    return None;
                }
                return self.latest_org(text, a, ends, *any);
            }
            if let Some(role) = lexicon::quote_role_or_title(&head_word) {
                // "the club's manager" is the manager named so; "the ministry's spokesman" no one
                if indefinite || qualified && (SPOKES.contains(&&*head_word) || !names.is_empty()) {
                    return None;
                }
                let list = self.roles.get(role)?;
                let start = tokens[a].span.start;
                let k = list.partition_point(|&(pos, _)| pos < start);
                return k.checked_sub(1).map(|k| list[k].1);
            }
            // "head of the Russian Boxing Federation": the head is no name, and the names
            // after it qualify it; nobody the linker can name
            return None;
        }
        // a name: the last person in the phrase, or else its last organisation or name
        let pick = names
            .iter()
            .rev()
            .find(|m| self.entities[m.entity].kind == Kind::Person)
            .or_else(|| names.iter().rev().find(|m| self.entities[m.entity].kind == Kind::Organisation))
            .or_else(|| names.last())?;
        Some(pick.entity)
    }

    /// The person whose name ends at token `b` (exclusive) and starts at or after `lo`: its tokens.
    pub fn person_ending_at(&self, lo: usize, b: usize) -> Option<(usize, usize)> {
        let k = self.mentions.partition_point(|m| m.tokens.1 < b);
        self.mentions[k..]
            .iter()
            .take_while(|m| m.tokens.1 == b)
            .find(|m| m.tokens.0 >= lo && self.entities[m.entity].kind == Kind::Person)
            .map(|m| m.tokens)
    }

    /// The person whose name starts at token `a`: its tokens.
    pub fn person_starting_at(&self, a: usize) -> Option<(usize, usize)> {
        let k = self.mentions.partition_point(|m| m.tokens.0 < a);
        self.mentions[k..]
            .iter()
            .take_while(|m| m.tokens.0 == a)
            .find(|m| self.entities[m.entity].kind == Kind::Person)
            .map(|m| m.tokens)
    }

    /// The kind of entity `e`.
    pub fn kind(&self, e: usize) -> Kind {
        self.entities[e].kind
    }

    /// The name mentions overlapping tokens `a..b`.
    fn mentions_in(&self, a: usize, b: usize) -> &[NameMention] {
        let k = self.mentions.partition_point(|m| m.tokens.1 <= a);
        let e = k + self.mentions[k..].iter().take_while(|m| m.tokens.0 < b).count();
        &self.mentions[k..e]
    }

    /// The entity of the latest unquoted mention before token `a`, at most `paragraphs` paragraphs
    /// back, that `fits`.
    fn latest(&self, a: usize, paragraphs: usize, fits: impl Fn(&Linked) -> bool) -> Option<usize> {
        let p = self.paragraph_of(a);
        let k = self.mentions.partition_point(|m| m.tokens.1 <= a);
        self.mentions[..k]
            .iter()
            .rev()
            .take_while(|m| m.paragraph + paragraphs >= p)
            .filter(|m| !m.quoted)
            .find(|m| fits(&self.entities[m.entity]))
            .map(|m| m.entity)
    }

    /// "The agency": the latest organisation whose name ends in one of `ends`; with `any`, else
    /// the latest organisation of this paragraph or the one before.
    fn latest_org(&self, text: &str, a: usize, ends: &[&str], any: bool) -> Option<usize> {
        let k = self.mentions.partition_point(|m| m.tokens.1 <= a);
        let by_end = self.mentions[..k].iter().rev().take(200).find(|m| {
            let e = &self.entities[m.entity];
            e.kind == Kind::Organisation && {
                let last =
                    |s: &str| s.rsplit(' ').next().map(|w| lower_bare(w).into_owned()).unwrap_or_default();
                ends.contains(&&*last(&e.name)) || ends.contains(&&*last(&text[m.span]))
            }
        });
        if let Some(m) = by_end {
            return Some(m.entity);
        }
        if any {
            return self.latest(a, 1, |e| e.kind == Kind::Organisation);
        }
        None
    }

    /// Roles: a title or role word right before a person's name ("Health Minister Ingrid Solberg",
    /// "owner Ryan Ambrosia"), or an appositive after it ("Ana Ruiz, the interior minister,").
    fn find_roles(&mut self, view: &View) {
        let n = view.tokens.len();
        let mut roles: HashMap<&'static str, Vec<(usize, usize)>, FxBuild> = HashMap::default();
        for m in &self.mentions {
            if self.entities[m.entity].kind != Kind::Person || m.quoted {
                continue;
            }
            let (a, b) = m.tokens;
            let mut k = a;
            while k > 0 && a - k < 4 && view.is_word(k - 1) && !view.quoted[k - 1] {
                match view.with_bare(k - 1, lexicon::quote_role_or_title) {
                    Some(r) => {
                        roles.entry(r).or_default().push((m.span.start, m.entity));
                        k -= 1;
                    }
                    None if view.cap(k - 1) && view.ner[k - 1] == NO_ENTITY => k -= 1,
                    None => break,
                }
            }
            // "The club's manager, Owen Pike, …"
            if a >= 2 && view.word(a - 1) == "," && view.is_word(a - 2) && !view.quoted[a - 2] {
                if let Some(r) = view.with_bare(a - 2, lexicon::quote_role_or_title) {
                    roles.entry(r).or_default().push((m.span.start, m.entity));
                }
            }
            if b + 2 < n
                && view.word(b) == ","
                && matches!(&*view.bare(b + 1), "a" | "an" | "the" | "his" | "her")
            {
                let mut k = b + 2;
                while k < n && k < b + 10 && view.is_word(k) && !view.quoted[k] {
                    let (role, and) = view.with_bare(k, |w| (lexicon::quote_role_or_title(w), w == "and"));
                    if let Some(r) = role {
                        roles.entry(r).or_default().push((m.span.start, m.entity));
                        break;
                    }
                    if and {
                        break;
                    }
                    k += 1;
                }
            }
        }
        for list in roles.values_mut() {
            list.sort_by_key(|&(pos, _)| pos);
        }
        self.roles = roles;
    }
}

/// A capitalised run that becomes a mention ([`find_runs`]): its tokens, whether it is a person
/// (else an organisation found by its last word), and the gender its title or first name gives.
struct Run {
    a: u32,
    b: u32,
    person: bool,
    gender: Option<char>,
}

/// Person-shaped capitalised runs the names model left out: titled names ("Mr. Burman"), a known
/// first name ("Anna Berg"), a bare surname of a person found so, and (only when the model found
/// nothing at all, or next to a reporting verb) any two to four capitalised words; and runs that
/// end in an organisation word. `drafts` are the model's mentions. In text order.
fn find_runs(view: &View, model_found_names: bool, drafts: &[Draft], arena: &[u64]) -> Vec<Run> {
    let n = view.tokens.len();
    let mut found: Vec<Run> = Vec::new();
    // a bare surname of a person found here or by the model is that person too ("Lacher"): the
    // one-word runs that are no person by themselves wait for the whole set of surnames
    let mut surnames: std::collections::HashSet<u64, FxBuild> = drafts
        .iter()
        .filter(|d| d.person && d.words.len() >= 2)
        .filter_map(|d| d.words.words(arena).last().copied())
        .collect();
    let run = |a: usize, b: usize, person: bool, gender: Option<char>| Run {
        // (token indices of a text of at most MAX_TEXT_BYTES fit in u32)
        a: a as u32,
        b: b as u32,
        person,
        gender,
    };
    let mut i = 0;
    while i < n {
        if !view.run_token(i) {
            i += 1;
            continue;
        }
        let s = i;
        while i < n && view.run_token(i) {
            i += 1;
        }
        // strip function words and titles in front ("The", "Mr.", "Turkish President")
        let mut a = s;
        let mut title = s > 0 && view.is_title(s - 1) && view.is_word(s - 1);
        let mut gender = title_gender_before(view, s);
        while a + 1 < i {
            let (is_title, title_g, not_name) = view.with_bare(a, |w| {
                (lexicon::is_quote_title(w), title_gender(w), lexicon::is_quote_not_name(w))
            });
            if is_title {
                title = true;
                gender = gender.or(title_g);
                a += 1;
            } else if not_name || !view.cap(a) {
                a += 1;
            } else {
                break;
            }
        }
        // the last title inside the run
        if let Some(t) = (a..i.saturating_sub(1)).rev().find(|&k| view.is_title(k)) {
            a = t + 1;
            title = true;
        }
        let b = i;
        if a >= b || b - a == 1 && view.is_title(a) {
            // nothing but a title ("the Prime Minister"): a role, not a name
            continue;
        }
        if b - a == 1 && !title && view.with_bare(a, lexicon::is_quote_not_name) {
            continue;
        }
        if b - a >= 2 && view.with_bare(b - 1, lexicon::is_quote_org_word) {
            found.push(run(a, b, false, None));
            continue;
        }
        let first_gender = view.with_bare(a, lexicon::first_name_gender);
        let first = first_gender.is_some() || lexicon::first_names().contains(view.word(a));
        let loose = (2..=4).contains(&(b - a))
            && (a..b).all(|k| view.word(k).chars().any(char::is_lowercase) || view.word(k).ends_with('.'))
            && (!model_found_names || view.is_verb(b) || a > 0 && view.is_verb(a - 1));
        let person = title || first && (b - a >= 2 || !model_found_names) || loose;
        gender = gender.or_else(|| (b - a >= 2).then_some(first_gender).flatten());
        if person && b - a >= 2 {
            surnames.insert(word_hash(view.word(b - 1)));
        }
        if person || b - a == 1 {
            // (a one-word run that is no person by itself waits for the whole set of surnames)
            found.push(run(a, b, person, gender));
        }
    }
    found.retain_mut(|r| {
        if r.person || r.b - r.a >= 2 {
            return true; // a person, or an organisation by its last word
        }
        r.person = surnames.contains(&word_hash(view.word(r.a as usize)));
        r.person
    });
    found
}

/// The model's mentions (`drafts`, in order of their first token) and the `runs` found beside
/// them, as one list in order of first token: a merge, so no sort of the (large) drafts and no
/// second copy beyond the result. A run never starts on a model mention's token; a mention with
/// no token goes before a run at its place.
fn merge_runs<'t>(view: &View<'t>, drafts: Vec<Draft>, runs: Vec<Run>, arena: &mut Vec<u64>) -> Vec<Draft> {
    if runs.is_empty() {
        return drafts;
    }
    // overlapping entities (never from the names stage) leave the model's mentions out of order:
    // then the runs go after them and a stable sort orders all
    let sorted = drafts.is_sorted_by_key(|d| d.tokens.0);
    let mut all = Vec::with_capacity(drafts.len() + runs.len());
    let mut runs = runs.into_iter().peekable();
    let mut drafts = drafts.into_iter().peekable();
    loop {
        let run_first = match (drafts.peek(), runs.peek()) {
            (Some(d), Some(r)) => sorted && (r.a as usize) < d.tokens.0,
            (None, Some(_)) => true,
            (_, None) => false,
        };
        match if run_first { None } else { drafts.next() } {
            Some(d) => all.push(d),
            None => match runs.next() {
                Some(r) => all.push(run_draft(view, r, arena)),
                None => break,
            },
        }
    }
    if !sorted {
        all.sort_by_key(|d| d.tokens.0);
    }
    all
}

fn run_draft<'t>(view: &View<'t>, run: Run, arena: &mut Vec<u64>) -> Draft {
    let (a, b) = (run.a as usize, run.b as usize);
    let org = !run.person;
    let span = Span::new(view.tokens[a].span.start, view.tokens[b - 1].span.end);
    Draft {
        span,
        tokens: (a, b),
        words: name_key(&view.text[span], org, arena),
        label: None,
        person: run.person,
        org,
        gender: run.gender,
        ner: None,
        full_name: run.person && b - a >= 2,
    }
}

/// An acronym: two or more capitals and nothing else ("BBC", "FBI"; not "J." or "McDonald").
fn is_acronym(w: &str) -> bool {
    w.len() >= 2 && w.bytes().all(|b| b.is_ascii_uppercase())
}

/// A plural of capitals ("MPs", "CEOs"): a group of people, never one person.
fn is_group(w: &str) -> bool {
    let Some(stem) = w.strip_suffix('s') else { return false };
    stem.len() >= 2 && stem.bytes().all(|c| c.is_ascii_uppercase())
}

/// The gender a title right before token `a` gives ("Mrs May").
fn title_gender_before(view: &View, a: usize) -> Option<char> {
    (a > 0 && view.is_word(a - 1)).then(|| view.with_bare(a - 1, title_gender)).flatten()
}

/// A name's words, normalised for linking (lower case, dots and a possessive removed, without a
/// leading "the" unless it is the only word), as hashes: comparing and keying names then builds
/// no string per mention.
/// Kept small (its words in an arena, two word facts instead of the words as written): the linker
/// holds one per name mention of the text, two lists of them at its peak.
struct NameKey {
    /// Where its hashes, one per word ([`word_hash`]), lie in the linker's word arena.
    start: u32,
    len: u32,
    /// The hash of its initials ("libyan national army" → "lna"; small words left out, a letter
    /// per part of a hyphenated word), when asked for and it has two or more. (Never 0, the
    /// hash of no word, which no single word has: `NonZero` loses nothing.)
    initials: Option<NonZeroU64>,
    /// Its last word names an organisation ("ministry", "institute").
    org_end: bool,
    /// The gender of its first word as a first name, when it has two words or more.
    first_gender: Option<char>,
}

impl NameKey {
    fn len(&self) -> usize {
        self.len as usize
    }

    /// Its word hashes, from the arena it was built into.
    fn words<'a>(&self, arena: &'a [u64]) -> &'a [u64] {
        &arena[self.start as usize..][..self.len as usize]
    }

    /// One hash for all its words.
    fn whole(&self, arena: &[u64]) -> u64 {
        let mut h = lexicon::FxHasher::default();
        for &w in self.words(arena) {
            h.write_u64(w);
        }
        h.finish()
    }
}

/// [`NameKey`] of a name as written, its word hashes appended to `arena`; `initials` when the
/// name may be spelled by an acronym.
fn name_key(name: &str, initials: bool, arena: &mut Vec<u64>) -> NameKey {
    let start = arena.len();
    let (mut first, mut last) = ("", "");
    let mut letters = String::new();
    let mut parts = name.split(char::is_whitespace).filter(|w| !w.is_empty()).peekable();
    let mut at_start = true;
    while let Some(w) = parts.next() {
        if at_start && parts.peek().is_some() && w.eq_ignore_ascii_case("the") {
            at_start = false;
            continue;
        }
        at_start = false;
        let h = word_hash(w);
        if h == EMPTY_WORD {
            continue;
        }
        if arena.len() == start {
            first = w;
        }
        last = w;
        arena.push(h);
        let small = ["of", "the", "and", "for", "on", "in", "&"].iter().any(|s| w.eq_ignore_ascii_case(s));
        if initials && !small {
            letters.extend(
                w.split('-').filter_map(|p| p.chars().find(|&c| c != '.')).flat_map(char::to_lowercase),
            );
        }
    }
    let len = arena.len() - start;
    let initials = (len > 1 && letters.chars().nth(1).is_some()).then(|| word_hash(&letters));
    NameKey {
        // (a text of at most MAX_TEXT_BYTES has fewer words than u32::MAX)
        start: start as u32,
        len: len as u32,
        // (a hash of 0 would key no lookup: no single word hashes to 0)
        initials: initials.and_then(NonZeroU64::new),
        org_end: with_lower(strip_possessive(last), lexicon::is_quote_org_word),
        first_gender: (len >= 2)
            .then(|| with_lower(strip_possessive(first), lexicon::first_name_gender))
            .flatten(),
    }
}

/// `w` without a possessive ("Haftar’s" → "Haftar").
fn strip_possessive(mut w: &str) -> &str {
    while let Some(rest) = w.strip_suffix("’s").or_else(|| w.strip_suffix("'s")) {
        w = rest;
    }
    w
}

/// The hash of [`word_hash`] for a word with no letters left.
const EMPTY_WORD: u64 = 0;

/// A word's linking hash: the bytes of its lower case, without dots and without a possessive
/// ("Haftar’s" and "haftar" hash the same); [`EMPTY_WORD`] when nothing is left. A short ASCII
/// word is lower-cased on the stack.
fn word_hash(w: &str) -> u64 {
    let w = strip_possessive(w);
    let mut h = lexicon::FxHasher::default();
    let mut buf = [0u8; 48];
    let n = if w.len() <= buf.len() && w.is_ascii() {
        let mut n = 0;
        for b in w.bytes().filter(|&b| b != b'.') {
            buf[n] = b.to_ascii_lowercase();
            n += 1;
        }
        h.write(&buf[..n]);
        n
    } else {
        let lower: String = w.chars().filter(|&c| c != '.').flat_map(char::to_lowercase).collect();
        h.write(lower.as_bytes());
        lower.len()
    };
    if n == 0 {
        EMPTY_WORD
    } else {
        h.finish() | 1
    }
}

/// Two people's full names that can be one person: the same words, or the same surname and one
/// name's words inside the other's ("Leonard E. Burman", "Presenter Stewart White").
fn compatible(x: &[u64], y: &[u64]) -> bool {
    if x == y {
        return true;
    }
    if x.last() != y.last() {
        return false;
    }
    let (short, long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
    let mut it = long.iter();
    short.iter().all(|w| it.any(|l| l == w))
}

/// The gender a title or role word gives.
fn title_gender(title: &str) -> Option<char> {
    match title {
        "mr" | "sir" | "lord" | "congressman" | "king" | "prince" | "father" | "brother" | "businessman"
        | "spokesman" | "chairman" | "councilman" | "assemblyman" | "actor" => Some('m'),
        "mrs" | "ms" | "miss" | "dame" | "lady" | "congresswoman" | "queen" | "princess" | "sister"
        | "businesswoman" | "spokeswoman" | "chairwoman" | "councilwoman" | "assemblywoman" | "actress" => {
            Some('f')
        }
        _ => None,
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
    use crate::sentence::split_sentences;
    use crate::token::tokenize;

    /// Links `text` with the given (mention, label) entities found in order, and resolves the
    /// token range of the `nth` occurrence of `mention`.
    fn resolve(text: &str, names: &[(&str, Label)], mention: &str, nth: usize) -> Option<String> {
        let tokens = tokenize(text);
        let sentences = split_sentences(text, &tokens);
        let mut from = 0;
        let entities: Vec<Entity> = names
            .iter()
            .map(|(m, label)| {
                let start = from + text[from..].find(m).expect("mention in text");
                from = start + m.len();
                Entity { span: Span::new(start, from), label: *label, confidence: 1.0 }
            })
            .collect();
        let links = Links::build(text, &tokens, &sentences, &entities, &[]);
        let start = text.match_indices(mention).nth(nth).expect("mention").0;
        let a = tokens.iter().position(|t| t.span.start == start).expect("token");
        let b = tokens.iter().position(|t| t.span.end == start + mention.len()).expect("token") + 1;
        links.resolve(text, &tokens, a, b).map(|e| links.name(e).to_string())
    }

    #[test]
    fn pronouns_resolve_to_people_of_their_gender_and_it_to_organisations() {
        use Label::*;
        let text = "Theresa May met Stephen Kinnock in London. MPs waited. Mrs May left. She spoke.";
        let names = [("Theresa May", Per), ("Stephen Kinnock", Per), ("London", Loc), ("MPs", Per)];
        assert_eq!(resolve(text, &names, "She", 0).as_deref(), Some("Theresa May"));
        let text = "The Foreign Ministry of Armenia condemned the attack.\n\nIt said more would follow.";
        let names = [("Foreign Ministry", Org), ("Armenia", Loc)];
        assert_eq!(resolve(text, &names, "It", 0).as_deref(), Some("Foreign Ministry"));
        // a pronoun never resolves to a place
        let text = "Crockett shook. He said so.";
        assert_eq!(resolve(text, &[("Crockett", Loc)], "He", 0), None);
    }

    #[test]
    fn role_and_organisation_nouns() {
        use Label::*;
        let text = "The Food and Drug Administration acted. Health Minister Ingrid Solberg agreed. \
                    The agency said so. The minister said so. A spokesman for the FDA said so.";
        let names = [("Food and Drug Administration", Org), ("Ingrid Solberg", Per), ("FDA", Org)];
        assert_eq!(resolve(text, &names, "agency", 0).as_deref(), Some("Food and Drug Administration"));
        assert_eq!(resolve(text, &names, "minister", 0).as_deref(), Some("Ingrid Solberg"));
        // X's spokesperson is not X
        assert_eq!(resolve(text, &names, "spokesman for the FDA", 0), None);
        assert_eq!(resolve(text, &names, "FDA", 0).as_deref(), Some("Food and Drug Administration"));
        // a role before the name, then used alone; a qualified spokesman stays nobody
        let text = "The club’s manager, Owen Pike, smiled. The club’s manager said so. The club’s spokesman said no.";
        let names = [("Owen Pike", Per)];
        assert_eq!(resolve(text, &names, "club’s manager", 1).as_deref(), Some("Owen Pike"));
        assert_eq!(resolve(text, &names, "club’s spokesman", 0), None);
    }

    #[test]
    fn names_link_by_surname_first_name_and_title() {
        use Label::*;
        let text = "Wanheng Menayothin won. Wanheng said it was hard. Mr Menayothin smiled.";
        let names = [("Wanheng Menayothin", Per), ("Wanheng", Org), ("Mr Menayothin", Per)];
        assert_eq!(resolve(text, &names, "Wanheng", 1).as_deref(), Some("Wanheng Menayothin"));
        assert_eq!(resolve(text, &names, "Menayothin", 1).as_deref(), Some("Wanheng Menayothin"));
        // a titled name the model missed is a person the linker knows
        let text = "Leonard E. Burman spoke. Later Mr. Burman said no. He left.";
        assert_eq!(resolve(text, &[], "Burman", 1).as_deref(), Some("Leonard E. Burman"));
        assert_eq!(resolve(text, &[], "He", 0).as_deref(), Some("Leonard E. Burman"));
    }

    #[test]
    fn runs_the_model_missed_merge_in_text_order_with_its_mentions() {
        use Label::*;
        // runs before, between and after the model's names; a bare surname of a run-found person
        // ("Lacher") or of the model's ("Ruiz") is that person; a one-word run nobody's surname
        // ("Tuesday") is no mention
        let text = "Mr. Wolfram Lacher spoke on Tuesday. Ana Ruiz agreed with Dr. Omar Haddad. \
                    Lacher said no. Ruiz left. Haddad stayed. Reuters saw Ms. Lena Berg.";
        let tokens = tokenize(text);
        let sentences = split_sentences(text, &tokens);
        let entity = |m: &str, label| {
            let start = text.find(m).expect("in text");
            Entity { span: Span::new(start, start + m.len()), label, confidence: 1.0 }
        };
        let entities = [entity("Ana Ruiz", Per), entity("Reuters", Org)];
        let links = Links::build(text, &tokens, &sentences, &entities, &[]);
        let mentions: Vec<&str> = links.mentions().iter().map(|m| &text[m.span]).collect();
        assert_eq!(
            mentions,
            ["Wolfram Lacher", "Ana Ruiz", "Omar Haddad", "Lacher", "Ruiz", "Haddad", "Reuters", "Lena Berg"]
        );
        assert!(links.mentions().windows(2).all(|w| w[0].tokens.0 < w[1].tokens.0));
        let entity_of = |k: usize| links.mentions()[k].entity;
        assert_eq!(entity_of(0), entity_of(3));
        assert_eq!(links.name(entity_of(3)), "Wolfram Lacher");
        assert_eq!(entity_of(1), entity_of(4));
        assert_eq!(entity_of(2), entity_of(5));
        assert_eq!(links.entity_of(0), Some(entity_of(1)));
    }

    #[test]
    fn a_person_shaped_name_before_a_reporting_verb_is_a_person() {
        use Label::*;
        // the model called her an organisation; the pronoun still finds her
        let text = "Maria Lopez said the plan was sound. She added more.";
        assert_eq!(resolve(text, &[("Maria Lopez", Org)], "She", 0).as_deref(), Some("Maria Lopez"));
    }
}

/// The linker on whatever names it is given: the invented gold articles (`tests/golden/`), with
/// the rule tagger in place of the names model, keep their speakers.
#[cfg(test)]
mod other_tagger {
    use crate::document::annotate_with;
    use crate::entity::names::HeuristicTagger;

    #[test]
    fn gold_speakers_survive_another_name_tagger() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
        let (mut named, mut right) = (0, 0);
        for entry in std::fs::read_dir(&dir).expect("tests/golden") {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let gold: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("gold")).expect("JSON");
            let text = gold["text"].as_str().expect("text");
            let chars: Vec<(usize, char)> = text.char_indices().collect();
            let byte = |cp: u64| chars.get(cp as usize).map_or(text.len(), |&(b, _)| b);
            let doc = annotate_with(text, &HeuristicTagger);
            for q in gold["quotes"].as_array().expect("quotes") {
                let Some(want) = q["speaker_name"].as_str() else { continue };
                named += 1;
                let (s, e) = (byte(q["start"].as_u64().unwrap()), byte(q["end"].as_u64().unwrap()));
                let got = doc.quotes.iter().find(|p| p.direct && p.span.start == s && p.span.end == e);
                if got.and_then(|p| p.speaker_name.as_deref()) == Some(want) {
                    right += 1;
                }
            }
        }
        assert!(named >= 50, "the gold articles name {named} speakers");
        eprintln!("gold speakers with the rule tagger: {right} of {named}");
        // 51 of 53 on the day this was written (`cargo test --release --lib other_tagger -- --nocapture`)
        assert!(right * 100 >= named * 95, "{right} of {named} speakers right with the rule tagger");
    }
}
