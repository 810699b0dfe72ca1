//! Stage 3: tokens + sentences → entities.
//!
//! Two passes, merged: [`numeric`] rules find DATE, TIME, MONEY, PERCENT, CARDINAL and ORDINAL;
//! a [`NameTagger`] finds PER, ORG, LOC and MISC. The name pass sits behind that one small trait
//! so the first heuristic ([`names::HeuristicTagger`]) can be replaced by a trained model
//! without touching the rest of the pipeline. The merged list is sorted and has no overlaps.

pub mod conventions;
pub mod credit;
pub mod features;
pub mod model;
pub mod names;
pub mod numeric;

use crate::sentence::Sentence;
use crate::span::Span;
use crate::token::Token;
use serde::Serialize;

/// The kinds of entity pressmark marks (CoNLL-2003 names plus OntoNotes-style values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Label {
    /// A person.
    Per,
    /// An organisation: company, agency, party, team, news outlet.
    Org,
    /// A place: country, city, region, geographic feature, facility.
    Loc,
    /// Any other name: nationalities, events, works, products, "UN-recognised".
    Misc,
    /// A calendar expression: "May 20, 2020", "Monday", "last week".
    Date,
    /// A clock time or part of a day: "6:17 a.m.", "this morning".
    Time,
    /// An amount of money: "$1.2 billion", "€50".
    Money,
    /// A percentage: "90%", "12 percent".
    Percent,
    /// A number that is none of the above: "three", "1,200".
    Cardinal,
    /// A rank: "first", "20th".
    Ordinal,
}

impl Label {
    /// The wire name: "PER", "ORG", ….
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Per => "PER",
            Label::Org => "ORG",
            Label::Loc => "LOC",
            Label::Misc => "MISC",
            Label::Date => "DATE",
            Label::Time => "TIME",
            Label::Money => "MONEY",
            Label::Percent => "PERCENT",
            Label::Cardinal => "CARDINAL",
            Label::Ordinal => "ORDINAL",
        }
    }

    /// True for the four name labels the [`NameTagger`] produces.
    pub fn is_name(self) -> bool {
        matches!(self, Label::Per | Label::Org | Label::Loc | Label::Misc)
    }
}

/// One entity mention.
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    /// Where it is (bytes).
    pub span: Span,
    /// What kind of entity it is.
    pub label: Label,
    /// How sure the stage that found it is, 0–1.
    pub confidence: f32,
}

/// Finds people, organisations, places and other names. See the module doc for why this is a trait.
pub trait NameTagger {
    /// Returns PER/ORG/LOC/MISC entities, sorted and non-overlapping.
    fn tag(&self, text: &str, tokens: &[Token], sentences: &[Sentence]) -> Vec<Entity>;
}

/// Runs both passes and merges them: sorted by start, no two entities overlap. Names come from
/// the trained model embedded in the crate ([`model::ModelTagger`]).
pub fn recognize(text: &str, tokens: &[Token], sentences: &[Sentence]) -> Vec<Entity> {
    recognize_with(&NewsNames, text, tokens, sentences)
}

/// The trained model, corrected by photo credits ([`credit`]: "Picture: MAHMUD TURKIA / AFP",
/// which a model of mixed-case newswire misses) and by one list: organisations known by a bare name
/// (`src/lexicon/organisations.txt`: "Opec", "AFP", "Bloomberg", "NATO"), which a model trained
/// on 1996 Reuters text often takes for places. A listed name the model labels otherwise (same
/// span) or misses becomes ORG, unless it is the surname of a person named in the article
/// ("Michael Bloomberg" … "Bloomberg"). Measured: seed article names F1 90.9 → 94.4, CoNLL dev
/// 93.13 → 93.04. (All of the rule tagger's lists on top of the model cost 1.4 on CoNLL dev.)
struct NewsNames;

impl NameTagger for NewsNames {
    fn tag(&self, text: &str, tokens: &[Token], sentences: &[Sentence]) -> Vec<Entity> {
        correct_names(text, tokens, sentences, model::ModelTagger::embedded().tag(text, tokens, sentences))
    }
}

/// The corrections [`recognize`] makes to the names model's names `found` (sorted, non-overlapping):
/// known organisations and photo credits. Public so `bench/speed.rs` can time it on its own.
pub fn correct_names(
    text: &str,
    tokens: &[Token],
    sentences: &[Sentence],
    mut found: Vec<Entity>,
) -> Vec<Entity> {
    let surnames: std::collections::HashSet<&str, crate::lexicon::FxBuild> = found
        .iter()
        .filter(|e| e.label == Label::Per)
        .filter_map(|e| text[e.span].rsplit_once(' ').map(|(_, last)| last))
        .collect();
    let listed = known_organisations(text, tokens).filter(|e| !surnames.contains(&text[e.span]));
    let mut missed = Vec::new();
    for org in listed {
        let k = found.partition_point(|m| m.span.end <= org.span.start);
        match found.get_mut(k).filter(|m| m.span.overlaps(org.span)) {
            Some(m) if m.span == org.span => m.label = Label::Org,
            Some(_) => {}
            None => missed.push(org),
        }
    }
    if !missed.is_empty() {
        found.extend(missed);
        found.sort_by_key(|e| e.span.start);
    }
    let mut found = conventions::conform(text, tokens, sentences, found);
    // photo credits win over whatever else covers their words
    let credits = credit::photo_credits(text);
    if credits.is_empty() {
        return found;
    }
    found.retain(|e| !credits.iter().any(|c| c.span.overlaps(e.span)));
    found.extend(credits);
    found.sort_by_key(|e| e.span.start);
    found
}

/// Mentions of `lexicon::organisations()` in `text`: the longest listed name (up to four tokens)
/// at each capitalised token, when it is not part of a longer capitalised run ("Bloomberg News"
/// is not "Bloomberg").
///
/// One pass over the tokens. At a capitalised token that starts no run, the names of one to four
/// tokens are looked up shortest first in [`lexicon::organisation_prefix`], which also knows the
/// beginnings of listed names: most tokens ("The", "Nigeria") begin no listed name, and the search
/// stops after one lookup.
fn known_organisations<'a>(text: &'a str, tokens: &'a [Token]) -> impl Iterator<Item = Entity> + 'a {
    use crate::lexicon::{organisation_prefix, Prefix};
    const MAX_TOKENS: usize = 4;
    let capitalised = |i: usize| {
        let word = &text[tokens[i].span];
        match word.as_bytes().first() {
            Some(b) if b.is_ascii() => b.is_ascii_uppercase(),
            _ => word.starts_with(|c: char| c.is_uppercase()),
        }
    };
    // two capitalised tokens one space apart on a line belong to one name
    let run = move |a: usize, b: usize| {
        capitalised(a) && capitalised(b) && &text[tokens[a].span.end..tokens[b].span.start] == " "
    };
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < tokens.len() {
            let start = i;
            i += 1;
            if !capitalised(start)
                || start > 0 && run(start - 1, start) && !text[tokens[start - 1].span].ends_with('.')
            {
                continue;
            }
            // the longest listed name that does not run on: names of `n` tokens are tried for
            // n = 1, 2, … while the text so far begins some listed name
            let mut longest = None;
            for end in start + 1..=(start + MAX_TOKENS).min(tokens.len()) {
                let span = Span::new(tokens[start].span.start, tokens[end - 1].span.end);
                match organisation_prefix(&text[span]) {
                    None => break,
                    Some(Prefix::Entry) if !(end < tokens.len() && run(end - 1, end)) => {
                        longest = Some((end, span))
                    }
                    Some(_) => {}
                }
            }
            if let Some((end, span)) = longest {
                i = end;
                return Some(Entity { span, label: Label::Org, confidence: 0.9 });
            }
        }
        None
    })
}

/// [`recognize`] with a chosen name tagger.
pub fn recognize_with(
    tagger: &dyn NameTagger,
    text: &str,
    tokens: &[Token],
    sentences: &[Sentence],
) -> Vec<Entity> {
    let values = numeric::find_values(text, tokens, sentences);
    let names = tagger.tag(text, tokens, sentences);
    merge(values, names)
}

/// Merges two lists into one sorted by start; where spans overlap, the longer one wins (the
/// earlier on a tie). One sweep: each new span can only overlap the last one kept.
fn merge(a: Vec<Entity>, b: Vec<Entity>) -> Vec<Entity> {
    let mut all: Vec<Entity> = a.into_iter().chain(b).filter(|e| !e.span.is_empty()).collect();
    all.sort_by(|x, y| x.span.start.cmp(&y.span.start).then(y.span.len().cmp(&x.span.len())));
    let mut kept: Vec<Entity> = Vec::with_capacity(all.len());
    for e in all {
        match kept.last_mut() {
            Some(last) if last.span.overlaps(e.span) => {
                if e.span.len() > last.span.len() {
                    *last = e;
                }
            }
            _ => kept.push(e),
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ent(start: usize, end: usize, label: Label) -> Entity {
        Entity { span: Span::new(start, end), label, confidence: 1.0 }
    }

    /// The list lookup as it was before the prefix map: every n-gram, longest first.
    fn known_organisations_naive(text: &str, tokens: &[Token]) -> Vec<(usize, usize)> {
        let list = crate::lexicon::organisations();
        let cap = |i: usize| text[tokens[i].span].starts_with(|c: char| c.is_uppercase());
        let run =
            |a: usize, b: usize| cap(a) && cap(b) && &text[tokens[a].span.end..tokens[b].span.start] == " ";
        let (mut out, mut i) = (Vec::new(), 0);
        'tokens: while i < tokens.len() {
            let start = i;
            i += 1;
            if !cap(start)
                || start > 0 && run(start - 1, start) && !text[tokens[start - 1].span].ends_with('.')
            {
                continue;
            }
            for n in (1..=4.min(tokens.len() - start)).rev() {
                let span = Span::new(tokens[start].span.start, tokens[start + n - 1].span.end);
                if !(start + n < tokens.len() && run(start + n - 1, start + n)) && list.contains(&text[span])
                {
                    out.push((span.start, span.end));
                    i = start + n;
                    continue 'tokens;
                }
            }
        }
        out
    }

    #[test]
    fn known_organisations_as_naive_lookup() {
        let text =
            "The United Nations and the U.N. met. Bloomberg News said Bloomberg, OPEC+ and the World Bank \
                    Group agreed. Michael Bloomberg. European Union officials. Élysée Nato WHO. World Bank";
        let tokens = crate::token::tokenize(text);
        let got: Vec<(usize, usize)> =
            known_organisations(text, &tokens).map(|e| (e.span.start, e.span.end)).collect();
        assert_eq!(got, known_organisations_naive(text, &tokens));
        assert!(got.len() >= 5, "{got:?}");
    }

    #[test]
    fn merge_keeps_longer_and_sorts() {
        let got = merge(
            vec![ent(10, 14, Label::Date), ent(0, 3, Label::Cardinal)],
            vec![ent(8, 20, Label::Misc), ent(2, 5, Label::Per)],
        );
        let spans: Vec<(usize, usize)> = got.iter().map(|e| (e.span.start, e.span.end)).collect();
        assert_eq!(spans, vec![(0, 3), (8, 20)]);
    }
}
