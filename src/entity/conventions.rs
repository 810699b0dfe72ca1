//! The names model's spans brought to the annotation conventions (`../shared/examples/CONVENTIONS.md`)
//! and to what the rest of an article says about the same name.
//!
//! A model trained on CoNLL-2003 (Reuters, 1996) and Wikipedia meets things in today's news that
//! its training text never shows or annotates differently: British titles without a period
//! ("Mr Davis"), hashtags and handles, "Glasgow-born", TV call letters in datelines, works named
//! in quotation marks, "the City of Dayton", and the same name labelled two ways in one article.
//! Each rule here is one such class, written from the conventions and general news style, never
//! from the strings of a particular article. They run on token ranges, in one pass each, so the
//! cost stays linear in the text.

use super::model::TYPES;
use super::{Entity, Label};
use crate::lexicon;
use crate::sentence::Sentence;
use crate::span::Span;
use crate::token::{partition_point_near, Token, TokenKind};
use std::sync::OnceLock;

/// A word list looked up by hash (FxHash), built on first use.
struct List {
    words: &'static [&'static str],
    set: OnceLock<lexicon::WordSet>,
}

impl List {
    const fn new(words: &'static [&'static str]) -> List {
        List { words, set: OnceLock::new() }
    }

    fn has(&self, word: &str) -> bool {
        self.set.get_or_init(|| self.words.iter().copied().collect()).contains(word)
    }

    /// [`List::has`] for a list of lower-case words, whatever the case of `word`.
    fn has_lower(&self, word: &str) -> bool {
        if word.bytes().any(|b| b.is_ascii_uppercase()) || !word.is_ascii() {
            self.has(&word.to_lowercase())
        } else {
            self.has(word)
        }
    }
}

/// The model's confidence above which the rules leave its label alone: a team called "Notts
/// County" that the model knows stays an organisation.
const SURE: f32 = 0.9;

/// Below this confidence a one-word name at a sentence start is dropped.
const UNSURE_OPENER: f32 = 0.4;

/// Below this confidence a name takes the label of the article's other mentions of it.
const UNSURE_LABEL: f32 = 0.7;

/// The confidence of a name a rule made, reshaped or relabelled. The model's confidence was about
/// its own span and label, not the rule's; these names are right 92–94 % of the time on news prose
/// (`bench/calibration.py --split`: our own gold 92 %, news-dev 94 %), so they say 0.9, the
/// precision rounded down. (CoNLL-2003's conventions disagree with the rules: 47 % there, on
/// 57 of its 5,937 names.)
const RULE_PRECISION: f32 = 0.9;

/// A name as a token range (`first..end`) while the rules reshape it.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Name {
    first: usize,
    end: usize,
    label: Label,
    confidence: f32,
}

/// Honorifics that make the capitalised word after them a person's name even where the model
/// saw none ("Mrs May", where "May" is also a month).
static HONORIFICS: List = List::new(&[
    "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Mx", "Dr", "Dr.", "Sir", "Dame", "Prof", "Prof.",
]);

/// Last words that make a name of several words a place whatever the model said. Only heads that
/// are never the end of a team's or company's name ("Manchester City", "Crystal Palace" are not here).
static PLACE_HEADS: List = List::new(&[
    "Avenue",
    "Street",
    "Road",
    "Boulevard",
    "Lane",
    "Drive",
    "Highway",
    "Freeway",
    "Motorway",
    "Airport",
    "Airbase",
    "Prison",
    "Jail",
    "District",
    "County",
    "Oblast",
    "Province",
    "Governorate",
    "Region",
    "Peninsula",
    "Mountains",
    "Island",
    "Islands",
    "River",
    "Sea",
    "Ocean",
    "Valley",
    "Desert",
    "Heights",
    "Bridge",
    "Canyon",
    "Strait",
    "Gulf",
    "Area",
    "Township",
    "Borough",
    "Parish",
]);

/// Last words that make a name of several words an organisation.
static ORG_HEADS: List = List::new(&[
    "Agency",
    "Ministry",
    "Police",
    "Council",
    "Committee",
    "Commission",
    "Corporation",
    "Corp",
    "Corp.",
    "Inc",
    "Inc.",
    "Ltd",
    "Ltd.",
    "LLC",
    "plc",
    "PLC",
    "Company",
    "Co.",
    "Association",
    "Federation",
    "Authority",
    "Bureau",
    "Department",
    "Survey",
    "Institute",
    "Foundation",
    "Party",
    "Automotive",
    "Motors",
    "Airlines",
    "Airways",
    "Holdings",
    "Group",
    "Service",
    "Services",
    "Society",
    "Army",
    "Navy",
    "Constabulary",
    "Trust",
    "Charity",
    "Coalition",
    "Alliance",
    "Network",
    "Broadcasting",
]);

/// Last words of events, prizes and laws: MISC by the conventions.
static MISC_HEADS: List = List::new(&[
    "Award",
    "Awards",
    "Prize",
    "Prizes",
    "Medal",
    "Trophy",
    "Cup",
    "Championship",
    "Championships",
    "Olympics",
    "Games",
    "Festival",
    "Open",
    "Marathon",
    "Act",
    "Bill",
    "Treaty",
    "Accord",
    "Accords",
    "Agreement",
    "Declaration",
    "Protocol",
    "Tour",
    "Grand Prix",
    "Paralympics",
    "Expo",
    "Biennale",
]);

/// Last words of prizes and festivals, which no team or company name ends with: MISC even where
/// the model is sure of another label.
static PRIZE_HEADS: List =
    List::new(&["Award", "Awards", "Prize", "Prizes", "Medal", "Trophy", "Festival", "Olympics"]);

/// How many quoted titles beginning with one word are looked for elsewhere in the article (a
/// bound for hostile input: an article names a handful).
const MAX_TITLES_PER_WORD: usize = 8;

/// Words that name a storm with the name after them.
static STORMS: List = List::new(&["Storm", "Hurricane", "Typhoon", "Cyclone"]);

/// Nouns that announce the title of a work written in quotation marks after (or before) them.
static WORK_NOUNS: List = List::new(&[
    "film",
    "films",
    "movie",
    "movies",
    "show",
    "shows",
    "programme",
    "program",
    "series",
    "book",
    "books",
    "novel",
    "novels",
    "album",
    "albums",
    "song",
    "songs",
    "single",
    "play",
    "musical",
    "documentary",
    "opera",
    "poem",
    "podcast",
    "sitcom",
    "drama",
    "exhibition",
    "painting",
    "track",
    "episode",
    "memoir",
    "collection",
    "report",
    "column",
    "magazine",
    "newsletter",
    "campaign",
    "slogan",
    "hit",
    "title",
    "feature",
    "serial",
    "soap",
    "comedy",
    "thriller",
    "production",
    "ballet",
    "anthem",
    "manifesto",
]);

/// Words written in capitals or capitalised that are not names by the conventions: offices held by
/// many ("MPs"), common abbreviations, and diseases named by their agent ("Covid").
static NOT_NAMES: List = List::new(&[
    "MP", "MPs", "MEP", "MEPs", "MSP", "MSPs", "AM", "PM", "CEO", "CEOs", "CFO", "COO", "CTO", "CCTV", "HMO",
    "HMOs", "GDP", "GP", "GPs", "TV", "DNA", "RNA", "HIV", "AIDS", "PhD", "MBA", "SUV", "SUVs", "ATM",
    "ATMs", "PIN", "ID", "IDs", "VAT", "LGBT", "LGBTQ", "LGBTQ+", "COVID", "COVID-19", "Covid", "Covid-19",
    "SARS", "IVF", "ICU", "ICUs", "AI", "IT", "PR", "HR", "CV", "OK", "DIY", "PPE", "QC", "KC", "MBE", "OBE",
    "CBE", "DJ", "DJs", "EV", "EVs", "PC", "PCs", "SMS", "URL", "PDF", "USB", "HD", "RSVP", "FAQ", "CO2",
    "LED",
]);

/// A capitalised word that opens sentences and never a name: a function word, pronoun or sentence
/// adverb of `common_words.txt` ("Our", "However"), but none of its adjectives and nouns that
/// also begin names ("New York", "First Minister", "Local Government Association"). Words in
/// capitals are a headline's and are left to the model.
fn is_opening_word(word: &str) -> bool {
    const NAME_STARTS: &[&str] = &[
        "new",
        "first",
        "one",
        "international",
        "local",
        "top",
        "military",
        "government",
        "police",
        "forces",
        "troops",
        "officials",
        "authorities",
        "united",
        "last",
        "latest",
        "next",
        "former",
        "critics",
        "experts",
        "analysts",
        "residents",
        "sources",
        "witnesses",
        "add",
        "additional",
    ];
    if !word.chars().skip(1).any(|c| c.is_lowercase()) {
        return false;
    }
    let lower = word.to_lowercase();
    (lexicon::common_words().contains(lower.as_str()) || lexicon::pronoun(&lower).is_some())
        && !NAME_STARTS.contains(&lower.as_str())
}

/// Applies every rule to the names `found` (sorted, non-overlapping, on token boundaries) and
/// returns them sorted and non-overlapping. Entities not on token boundaries pass unchanged.
pub fn conform(text: &str, tokens: &[Token], sentences: &[Sentence], found: Vec<Entity>) -> Vec<Entity> {
    if tokens.is_empty() {
        return found;
    }
    let ctx = Ctx { text, tokens };
    let mut names = Vec::with_capacity(found.len());
    let mut unaligned = Vec::new();
    let mut near = (0, 0);
    for e in found {
        match ctx.token_range(e.span, &mut near) {
            Some((first, end)) => names.push(Name { first, end, label: e.label, confidence: e.confidence }),
            None => unaligned.push(e),
        }
    }
    let from_model: Vec<(usize, usize, Label)> = names.iter().map(|n| (n.first, n.end, n.label)).collect();
    let starts = sentence_starts(tokens, sentences);
    names = trim_edges(&ctx, &starts, names);
    names = drop_not_names(&ctx, names);
    names = relabel_by_head(&ctx, names);
    names = merge_neighbours(&ctx, names);
    names = add_after_honorifics(&ctx, names);
    names = add_call_letters(&ctx, sentences, names);
    names = add_quoted_works(&ctx, names);
    names = defined_acronyms(&ctx, names);
    names = places_by_context(&ctx, names);
    names = settle_unsure_labels(&ctx, names);
    let mut out: Vec<Entity> = names
        .into_iter()
        .filter(|n| n.first < n.end)
        .map(|n| {
            let kept = from_model.binary_search_by_key(&(n.first, n.end), |&(f, e, _)| (f, e));
            let confidence = match kept {
                Ok(k) if from_model[k].2 == n.label => n.confidence,
                _ => n.confidence.max(RULE_PRECISION),
            };
            Entity { span: ctx.span(n.first, n.end), label: n.label, confidence }
        })
        .chain(unaligned)
        .collect();
    out.sort_by_key(|e| (e.span.start, e.span.end));
    out.dedup_by(|b, a| a.span.overlaps(b.span));
    out
}

struct Ctx<'a> {
    text: &'a str,
    tokens: &'a [Token],
}

impl Ctx<'_> {
    fn word(&self, i: usize) -> &str {
        &self.text[self.tokens[i].span]
    }

    fn span(&self, first: usize, end: usize) -> Span {
        Span::new(self.tokens[first].span.start, self.tokens[end - 1].span.end)
    }

    /// The tokens `span` covers exactly, if it is on token boundaries. `near`: where the last
    /// search ended (the names come in text order), updated.
    fn token_range(&self, span: Span, near: &mut (usize, usize)) -> Option<(usize, usize)> {
        let first = partition_point_near(self.tokens, near.0, |t| t.span.start < span.start);
        let end = partition_point_near(self.tokens, near.1, |t| t.span.end <= span.end);
        *near = (first, end);
        (first < end
            && self.tokens[first].span.start == span.start
            && self.tokens[end - 1].span.end == span.end)
            .then_some((first, end))
    }

    fn capitalised(&self, i: usize) -> bool {
        self.tokens[i].kind == TokenKind::Word && self.word(i).starts_with(|c: char| c.is_uppercase())
    }

    /// Token `i` follows token `i - 1` after exactly one space on the same line.
    fn one_space_before(&self, i: usize) -> bool {
        i > 0 && &self.text[self.tokens[i - 1].span.end..self.tokens[i].span.start] == " "
    }

    fn is_not_a_name(&self, n: &Name) -> bool {
        let span = self.span(n.first, n.end);
        let s = &self.text[span];
        if NOT_NAMES.has(s) {
            return true;
        }
        // one pass over the bytes for the rare marks of addresses and contractions
        let (mut web, mut apostrophe) = (false, false);
        for &b in s.as_bytes() {
            web |= b == b'@' || b == b'/';
            apostrophe |= b == b'\'' || b == 0xE2; // ’ is E2 80 99 in UTF-8
        }
        if web && (s.contains("://") || s.contains('@')) || s.starts_with("www.") {
            return true;
        }
        // a handle or hashtag: "@BBCNews", "#MeToo" (the sign is its own token, glued to the name)
        if n.first > 0 && matches!(self.word(n.first - 1), "@" | "#") && !self.tokens[n.first].space_before {
            return true;
        }
        // a pronoun with its verb: "I’ve", "We'll" (one token; never a name)
        if let Some((pronoun, verb)) = s.split_once(['\'', '’']).filter(|_| apostrophe) {
            if lexicon::pronoun(&pronoun.to_lowercase()).is_some()
                && matches!(verb, "ve" | "m" | "re" | "ll" | "d")
            {
                return true;
            }
        }
        self.names_a_disease(n)
    }

    /// "Lyme disease", "Crohn's disease": a name followed by "disease" or "syndrome".
    fn names_a_disease(&self, n: &Name) -> bool {
        let mut next = n.end;
        if next < self.tokens.len() && matches!(self.word(next), "'s" | "’s") {
            next += 1;
        }
        next < self.tokens.len() && matches!(self.word(next), "disease" | "syndrome")
    }
}

/// Drops what is no name ([`Ctx::is_not_a_name`]), and a disease's name also where the article
/// writes it alone ("Lyme disease" … "ticks that carry Lyme").
fn drop_not_names(ctx: &Ctx, mut names: Vec<Name>) -> Vec<Name> {
    let diseases: std::collections::HashSet<&str, lexicon::FxBuild> = names
        .iter()
        .filter(|n| ctx.names_a_disease(n))
        .map(|n| &ctx.text[ctx.span(n.first, n.end)])
        .collect();
    names.retain(|n| {
        !ctx.is_not_a_name(n)
            && (diseases.is_empty() || !diseases.contains(&&ctx.text[ctx.span(n.first, n.end)]))
    });
    names
}

/// For each token, whether it opens a sentence (quotation marks and brackets before the first
/// word count as the opening).
fn sentence_starts(tokens: &[Token], sentences: &[Sentence]) -> Vec<bool> {
    let mut starts = vec![false; tokens.len()];
    for s in sentences {
        let mut i = s.tokens.start;
        while i < s.tokens.end && tokens[i].kind != TokenKind::Word && tokens[i].kind != TokenKind::Number {
            i += 1;
        }
        if i < s.tokens.end {
            starts[i] = true;
        }
    }
    starts
}

/// Titles, a leading "the", sentence-opening words and possessive marks out of spans; a leading
/// hyphenated derivative ("Glasgow-born Duffy") split off as MISC.
fn trim_edges(ctx: &Ctx, starts: &[bool], names: Vec<Name>) -> Vec<Name> {
    let mut out = Vec::with_capacity(names.len());
    for mut n in names {
        // a name never begins with punctuation (". Lorries" across a sentence end)
        while n.end - n.first > 1 && ctx.tokens[n.first].kind == TokenKind::Punct {
            n.first += 1;
        }
        loop {
            let w = ctx.word(n.first);
            let more = n.end - n.first > 1;
            let leading_the = w == "the" && n.label != Label::Misc || w == "The" && n.label == Label::Org;
            let title = n.label == Label::Per && lexicon::titles().contains(w);
            if more && (leading_the || title) {
                n.first += 1;
            } else if starts[n.first] && is_opening_word(w) {
                n.first += 1; // "Our Davison store", "However Smith"
                if !more {
                    break;
                }
            } else {
                break;
            }
        }
        // possessive marks, and lower-case words the model ran on with ("BBC radio stations")
        while n.end > n.first
            && (matches!(ctx.word(n.end - 1), "'s" | "’s" | "’" | "'")
                || n.end - n.first > 1 && is_lower_word(ctx.word(n.end - 1)))
        {
            n.end -= 1;
        }
        // "Mr Speaker", "Madam President": an honorific before an office is no name
        if n.label == Label::Per
            && n.end - n.first == 1
            && n.first > 0
            && (HONORIFICS.has(ctx.word(n.first - 1)) || ctx.word(n.first - 1) == "Madam")
            && lexicon::titles().contains(ctx.word(n.first))
        {
            continue;
        }
        // "Turkish Foreign Ministry": the nationality is MISC, the ministry ORG (as CoNLL-2003)
        if n.label == Label::Org
            && n.end - n.first > 2
            && ctx.word(n.end - 1) == "Ministry"
            && lexicon::nationalities().contains(ctx.word(n.first))
        {
            out.push(Name { end: n.first + 1, label: Label::Misc, ..n });
            n.first += 1;
        }
        if n.first >= n.end {
            continue;
        }
        // a lone capitalised word opening a sentence that the model barely took for a name
        // ("Lorries were turned back"): more often a common word than a name
        if starts[n.first] && n.end - n.first == 1 && n.confidence < UNSURE_OPENER {
            continue;
        }
        if is_derivative(ctx.word(n.first)) {
            if n.end - n.first == 1 {
                n.label = Label::Misc;
            } else {
                out.push(Name { end: n.first + 1, label: Label::Misc, ..n });
                n.first += 1;
            }
        }
        out.push(n);
    }
    out
}

/// A word of lower-case letters only ("radio", "award").
fn is_lower_word(word: &str) -> bool {
    word.chars().all(|c| c.is_lowercase())
}

/// "Glasgow-born", "UN-backed", "Soviet-era": a capitalised word, a hyphen, a lower-case word.
fn is_derivative(word: &str) -> bool {
    match word.rsplit_once('-') {
        Some((head, tail)) => {
            head.starts_with(|c: char| c.is_uppercase())
                && tail.len() >= 2
                && tail.chars().all(|c| c.is_lowercase())
        }
        None => false,
    }
}

/// A name of several words takes the type its last word gives: "Wayne Avenue" is a place,
/// "Cox Automotive" an organisation, "Jury Award" and "Best Film" MISC.
fn relabel_by_head(ctx: &Ctx, mut names: Vec<Name>) -> Vec<Name> {
    for n in &mut names {
        let last = ctx.word(n.end - 1);
        // "the India Lifetime Achievement award", "the Stirling Prize": a prize whatever the model said
        let prize_after =
            n.end < ctx.tokens.len() && matches!(ctx.word(n.end), "award" | "awards" | "prize" | "medal");
        if prize_after || n.end - n.first > 1 && PRIZE_HEADS.has(last) {
            n.label = Label::Misc;
            continue;
        }
        if n.end - n.first < 2 || n.confidence >= SURE {
            continue;
        }
        if PLACE_HEADS.has(last) {
            n.label = Label::Loc;
        } else if ORG_HEADS.has(last) {
            n.label = Label::Org;
        } else if MISC_HEADS.has(last) || ctx.word(n.first) == "Best" {
            n.label = Label::Misc;
        }
    }
    names
}

/// Two names one space apart that make one name by their last word ("US" + "PGA Texas Open",
/// "Tokyo" 2020 "Olympic Games"), a name and the capitalised head that follows it ("Oregon"
/// District), and "City of" + a place.
fn merge_neighbours(ctx: &Ctx, names: Vec<Name>) -> Vec<Name> {
    let n_tok = ctx.tokens.len();
    let mut out: Vec<Name> = Vec::with_capacity(names.len());
    for mut n in names {
        // an award's whole name: "Best" and the capitalised words after it ("Best Supporting Actor")
        if ctx.word(n.first) == "Best" {
            while n.end < n_tok && ctx.capitalised(n.end) && ctx.one_space_before(n.end) {
                n.end += 1;
            }
            if n.end - n.first > 1 {
                n.label = Label::Misc;
            }
        }
        // a broadcaster's channel number: "BBC Radio 4", "Channel 4"
        if n.label == Label::Org
            && n.end < n_tok
            && matches!(ctx.word(n.end - 1), "Radio" | "Channel" | "TV")
            && ctx.one_space_before(n.end)
            && ctx.word(n.end).len() == 1
            && ctx.tokens[n.end].kind == TokenKind::Number
        {
            n.end += 1;
        }
        // a channel's name after its number: "BBC Radio 5 Live"
        if n.label == Label::Org
            && n.end < n_tok
            && ctx.tokens[n.end - 1].kind == TokenKind::Number
            && ctx.one_space_before(n.end)
            && ctx.capitalised(n.end)
        {
            n.end += 1;
        }
        // a model, flight or edition number after a name: "Airbus A321", "Flight SN1184",
        // "FTSE 250", "Euro 2028" (not "New York 74": a number alone only follows a MISC name)
        if matches!(n.label, Label::Org | Label::Misc) && n.end < n_tok && ctx.one_space_before(n.end) {
            let code = ctx.word(n.end);
            let digits = code.bytes().filter(u8::is_ascii_digit).count();
            let alphanumeric = code.chars().all(char::is_alphanumeric);
            let model = alphanumeric && digits > 0 && code.bytes().any(|b| b.is_ascii_uppercase());
            let number = n.label == Label::Misc && (2..=4).contains(&digits) && digits == code.len();
            if model || number {
                n.end += 1;
                n.label = Label::Misc;
            }
        }
        // a named storm: "Storm Agnes", "Hurricane Ida"
        let storm_before = |i: usize| i > 0 && STORMS.has(ctx.word(i - 1)) && ctx.one_space_before(i);
        if storm_before(n.first) && out.last().is_none_or(|p| p.end < n.first) {
            n.first -= 1;
        }
        if STORMS.has(ctx.word(n.first)) && n.end - n.first > 1 {
            n.label = Label::Misc;
        }
        // a capitalised head word right after the name joins it
        if n.end < n_tok && ctx.one_space_before(n.end) && ctx.capitalised(n.end) {
            let next = ctx.word(n.end);
            if PLACE_HEADS.has(next) && n.label != Label::Per {
                n.end += 1;
                n.label = Label::Loc;
            } else if MISC_HEADS.has(next) {
                n.end += 1;
                n.label = Label::Misc;
            }
        }
        if let Some(prev) = out.last_mut() {
            // an extension of the name before ran into this one ("Airbus A321" where the model
            // found "A321" too, "Best" + the capitalised words after it): the two are one name
            if n.first < prev.end {
                prev.end = prev.end.max(n.end);
                prev.confidence = prev.confidence.min(n.confidence);
                continue;
            }
            // the tokens between the two: nothing, or one year ("Tokyo 2020 Olympic Games")
            let gap = n.first - prev.end;
            let spaced = (prev.end..=n.first.min(n_tok - 1)).skip(1).all(|i| ctx.one_space_before(i))
                && ctx.one_space_before(prev.end.min(n_tok - 1));
            let year_between = gap == 1 && {
                let w = ctx.word(prev.end);
                w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit())
            };
            if (gap == 0 || year_between) && spaced && MISC_HEADS.has(ctx.word(n.end - 1)) {
                prev.end = n.end;
                prev.label = Label::Misc;
                prev.confidence = prev.confidence.min(n.confidence);
                continue;
            }
            // two names joined by a small word into one: "Health and Safety" at "Work Act",
            // "Bank" of "England", "Gulf" of "Aden"
            if gap == 1 && spaced && matches!(ctx.word(prev.end), "of" | "and" | "at" | "for" | "on") {
                let joint = format!("{} {}", ctx.word(prev.end - 1), ctx.word(prev.end));
                let label = if MISC_HEADS.has(ctx.word(n.end - 1)) {
                    Some(Label::Misc)
                } else if lexicon::org_heads().contains(joint.as_str()) {
                    Some(Label::Org)
                } else if lexicon::loc_heads().contains(joint.as_str()) {
                    Some(Label::Loc)
                } else {
                    None
                };
                if let Some(label) = label {
                    prev.end = n.end;
                    prev.label = label;
                    prev.confidence = prev.confidence.min(n.confidence);
                    continue;
                }
            }
            // "City of Dayton": "City" (often taken for an organisation) + "of" + a place
            if n.label == Label::Loc && gap == 1 && ctx.word(prev.end) == "of" && prev.end - prev.first == 1 {
                let head = ctx.word(prev.first);
                if matches!(head, "City" | "Town" | "County" | "Borough" | "Village" | "Province" | "State") {
                    prev.end = n.end;
                    prev.label = Label::Loc;
                    continue;
                }
            }
        }
        out.push(n);
    }
    out
}

/// "Mrs May", "Dr Okafor": a capitalised word after an honorific is a person even where the model
/// found none (a month name, a common word).
fn add_after_honorifics(ctx: &Ctx, names: Vec<Name>) -> Vec<Name> {
    let mut added = Vec::new();
    let mut k = 0;
    for i in 0..ctx.tokens.len().saturating_sub(1) {
        let w = ctx.word(i);
        if w.len() > 5
            || !w.starts_with(|c: char| c.is_ascii_uppercase())
            || !HONORIFICS.has(w)
            || !ctx.capitalised(i + 1)
            || !ctx.one_space_before(i + 1)
            || lexicon::titles().contains(ctx.word(i + 1))
        {
            continue;
        }
        while k < names.len() && names[k].end <= i + 1 {
            k += 1;
        }
        if k < names.len() && names[k].first <= i + 1 {
            continue; // already part of a name
        }
        if added.last().is_some_and(|a: &Name| a.end > i) {
            continue; // inside the name the last honorific opened
        }
        // the name: up to four capitalised words, not running into another name or honorific
        let mut end = i + 2;
        while end < ctx.tokens.len()
            && end - i <= 4
            && ctx.capitalised(end)
            && ctx.one_space_before(end)
            && !HONORIFICS.has(ctx.word(end))
            && (k >= names.len() || end < names[k].first)
        {
            end += 1;
        }
        added.push(Name { first: i + 1, end, label: Label::Per, confidence: 0.8 });
    }
    merge_sorted(names, added)
}

/// TV and radio call letters in a dateline: "TOLEDO, Ohio (WTVG) -", "CROCKETT, Calif. (KGO) --".
fn add_call_letters(ctx: &Ctx, sentences: &[Sentence], names: Vec<Name>) -> Vec<Name> {
    let mut letters = Vec::new();
    let mut last_paragraph = usize::MAX;
    for s in sentences {
        if s.paragraph == last_paragraph {
            continue;
        }
        last_paragraph = s.paragraph;
        // the first "(" among the paragraph's first ten tokens, after a capitalised word
        let window = s.tokens.start..(s.tokens.start + 10).min(s.tokens.end);
        let Some(open) = window.clone().find(|&i| ctx.word(i) == "(") else { continue };
        if open == s.tokens.start || open + 3 > ctx.tokens.len() || !ctx.capitalised(s.tokens.start) {
            continue;
        }
        let (call, close) = (open + 1, open + 2);
        let w = ctx.word(call);
        let is_call = (2..=5).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_uppercase());
        let dash_after = close + 1 < ctx.tokens.len()
            && matches!(ctx.word(close + 1), "-" | "—" | "–")
            && ctx.word(close) == ")";
        if is_call && dash_after {
            letters.push(Name { first: call, end: call + 1, label: Label::Org, confidence: 0.8 });
        }
    }
    if letters.is_empty() {
        return names;
    }
    replace_overlapped(ctx, names, letters)
}

/// The title of a work in quotation marks after a noun that announces one: the film 'My Little
/// Princess', the "60 Minutes" program. Title-case words only, at most eight.
fn add_quoted_works(ctx: &Ctx, names: Vec<Name>) -> Vec<Name> {
    const SMALL: &[&str] =
        &["of", "the", "a", "an", "and", "in", "on", "to", "for", "with", "at", "by", "from", "or"];
    let n_tok = ctx.tokens.len();
    let mut works = Vec::new();
    let mut i = 0;
    while i < n_tok {
        if ctx.tokens[i].kind != TokenKind::QuoteMark || i + 2 >= n_tok {
            i += 1;
            continue;
        }
        let first = i + 1;
        let mut end = first;
        while end < n_tok
            && end - first <= 8
            && ctx.tokens[end].kind != TokenKind::QuoteMark
            && (ctx.capitalised(end)
                || ctx.tokens[end].kind == TokenKind::Number
                || end > first && SMALL.contains(&ctx.word(end)))
        {
            end += 1;
        }
        let closed = end < n_tok && end > first && ctx.tokens[end].kind == TokenKind::QuoteMark;
        let announced = |j: usize| j < n_tok && WORK_NOUNS.has_lower(ctx.word(j));
        let before = (i.saturating_sub(3)..i).any(announced);
        let opens = ctx.capitalised(first) || ctx.tokens[first].kind == TokenKind::Number && end > first + 1;
        if closed && (end - first) <= 8 && opens && (before || announced(end + 1)) {
            works.push(Name { first, end, label: Label::Misc, confidence: 0.8 });
            i = end + 1;
        } else {
            i += 1;
        }
    }
    if works.is_empty() {
        return names;
    }
    // the same title elsewhere, in a headline or without the noun: "rights to ‘Salt Roads’";
    // titles by first word, so each token costs one lookup however many titles there are
    let mut by_first: std::collections::HashMap<&str, Vec<(usize, usize)>, lexicon::FxBuild> =
        Default::default();
    // the first bytes of those first words: most tokens are passed over without a lookup
    let mut first_bytes = [false; 256];
    for w in &works {
        let word = ctx.word(w.first);
        first_bytes[usize::from(word.as_bytes()[0])] = true;
        let same_start = by_first.entry(word).or_default();
        if same_start.len() < MAX_TITLES_PER_WORD {
            same_start.push((w.first, w.end - w.first));
        }
    }
    let same = |a: usize, b: usize, len: usize| (0..len).all(|k| ctx.word(a + k) == ctx.word(b + k));
    let mut in_work = vec![false; n_tok];
    for w in &works {
        in_work[w.first..w.end].iter_mut().for_each(|c| *c = true);
    }
    let mut covered_to = 0;
    let mut more = Vec::new();
    for i in 0..n_tok {
        let word = ctx.word(i);
        if !word.as_bytes().first().is_some_and(|&b| first_bytes[usize::from(b)]) {
            continue;
        }
        let Some(candidates) = by_first.get(word) else { continue };
        let hit = candidates.iter().find(|&&(src, len)| i != src && i + len <= n_tok && same(src, i, len));
        if let Some(&(_, len)) = hit {
            if i >= covered_to && !in_work[i..i + len].contains(&true) {
                more.push(Name { first: i, end: i + len, label: Label::Misc, confidence: 0.7 });
                covered_to = i + len;
            }
        }
    }
    works.extend(more);
    works.sort_by_key(|w| w.first);
    replace_overlapped(ctx, names, works)
}

/// "Food and Drug Administration (FDA)", "International Boxing Association (Aiba)": the word in
/// brackets after an organisation's name is that organisation wherever the article writes it,
/// whatever the model made of its other mentions.
fn defined_acronyms(ctx: &Ctx, mut names: Vec<Name>) -> Vec<Name> {
    let n_tok = ctx.tokens.len();
    let mut defined: std::collections::HashSet<&str, lexicon::FxBuild> = Default::default();
    for n in &names {
        let (open, word, close) = (n.end, n.end + 1, n.end + 2);
        if n.label == Label::Org
            && n.end - n.first > 1
            && close < n_tok
            && ctx.word(open) == "("
            && ctx.word(close) == ")"
            && ctx.capitalised(word)
        {
            defined.insert(ctx.word(word));
        }
    }
    if defined.is_empty() {
        return names;
    }
    let mut covered = vec![false; n_tok];
    for n in &mut names {
        covered[n.first..n.end].iter_mut().for_each(|c| *c = true);
        if n.end - n.first == 1 && defined.contains(ctx.word(n.first)) {
            n.label = Label::Org;
        }
    }
    let added = (0..n_tok)
        .filter(|&i| !covered[i] && ctx.capitalised(i) && defined.contains(ctx.word(i)))
        .map(|i| Name { first: i, end: i + 1, label: Label::Org, confidence: 0.8 })
        .collect();
    merge_sorted(names, added)
}

/// Places the model was unsure of, told by the noun before them: "the northern city of
/// Groningen", "the village of Ellerby". (A street address's town, "Kelso Street, Dunmarra,", was
/// tried too: it cost 0.05 on CoNLL dev, where "Bank, Detroit" lists are common.)
fn places_by_context(ctx: &Ctx, mut names: Vec<Name>) -> Vec<Name> {
    const PLACE_NOUNS: &[&str] = &[
        "city",
        "town",
        "village",
        "hamlet",
        "province",
        "state",
        "region",
        "county",
        "district",
        "capital",
        "suburb",
        "island",
        "port",
        "municipality",
        "borough",
        "neighbourhood",
        "neighborhood",
        "area",
    ];
    for n in &mut names {
        if n.label == Label::Loc || n.label == Label::Misc || n.confidence >= SURE || n.first < 2 {
            continue;
        }
        let of_a_place = ctx.word(n.first - 1) == "of" && PLACE_NOUNS.contains(&ctx.word(n.first - 2));
        if of_a_place {
            n.label = Label::Loc;
        }
    }
    names
}

/// One label per name where the model hesitates: a mention it labelled with confidence below
/// [`UNSURE_LABEL`] takes the label the article's other mentions of the same words carry (by
/// summed confidence). Sure mentions keep theirs, so a city that is also a team in a sports table
/// stays both (an unconditional vote cost 0.7 F1 on CoNLL dev).
fn settle_unsure_labels(ctx: &Ctx, mut names: Vec<Name>) -> Vec<Name> {
    if !names.iter().any(|n| n.confidence < UNSURE_LABEL) {
        return names;
    }
    // the same name whatever its case: a dateline's "KESSLING" votes for "Kessling"
    let text_of = |n: &Name| ctx.text[ctx.span(n.first, n.end)].to_lowercase();
    let mut votes: std::collections::HashMap<String, [f32; 4], lexicon::FxBuild> = Default::default();
    for n in names.iter().filter(|n| n.confidence >= UNSURE_LABEL) {
        // every name here is one of the model's four types
        let k = TYPES.iter().position(|&t| t == n.label).unwrap_or(TYPES.len() - 1);
        votes.entry(text_of(n)).or_default()[k] += n.confidence;
    }
    for n in names.iter_mut().filter(|n| n.confidence < UNSURE_LABEL) {
        if let Some(v) = votes.get(&text_of(n)) {
            let best = (0..4).fold(0, |b, i| if v[i] > v[b] { i } else { b });
            n.label = TYPES[best];
        }
    }
    names
}

/// `names` without those that overlap one of `added` (sorted, not overlapping each other), with
/// `added` merged in. A bitmap of the tokens taken keeps it linear however many there are.
fn replace_overlapped(ctx: &Ctx, names: Vec<Name>, added: Vec<Name>) -> Vec<Name> {
    let mut taken = vec![false; ctx.tokens.len()];
    for a in &added {
        taken[a.first..a.end].fill(true);
    }
    let kept = names.into_iter().filter(|n| !taken[n.first..n.end].contains(&true)).collect();
    merge_sorted(kept, added)
}

/// Two sorted lists of names that do not overlap each other, as one sorted list.
fn merge_sorted(mut a: Vec<Name>, b: Vec<Name>) -> Vec<Name> {
    if b.is_empty() {
        return a;
    }
    a.extend(b);
    a.sort_by_key(|n| n.first);
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sentence::split_sentences;
    use crate::token::tokenize;

    /// Runs [`conform`] on `text` with the names given as (substring, label, confidence); each
    /// substring is found at its first occurrence after the previous one.
    fn run(text: &str, given: &[(&str, Label, f32)]) -> Vec<(String, Label)> {
        let tokens = tokenize(text);
        let sentences = split_sentences(text, &tokens);
        let mut from = 0;
        let found = given
            .iter()
            .map(|&(s, label, confidence)| {
                let start = from + text[from..].find(s).expect("substring in text");
                from = start + s.len();
                Entity { span: Span::new(start, from), label, confidence }
            })
            .collect();
        conform(text, &tokens, &sentences, found)
            .into_iter()
            .map(|e| (text[e.span].to_string(), e.label))
            .collect()
    }

    #[test]
    fn a_name_the_rules_reshape_says_the_rules_precision_and_the_model_s_keep_theirs() {
        let text = "Labour asked Mrs May. The Ministry of Health's team met Okafor in Leeds.";
        let tokens = tokenize(text);
        let sentences = split_sentences(text, &tokens);
        let at = |s: &str| {
            let start = text.find(s).expect("substring in text");
            Span::new(start, start + s.len())
        };
        let found = vec![
            Entity { span: at("Labour"), label: Label::Org, confidence: 0.55 },
            Entity { span: at("The Ministry of Health's"), label: Label::Org, confidence: 0.6 },
            Entity { span: at("Okafor"), label: Label::Per, confidence: 0.45 },
        ];
        let out: Vec<(&str, Label, f32)> = conform(text, &tokens, &sentences, found)
            .into_iter()
            .map(|e| (&text[e.span], e.label, e.confidence))
            .collect();
        assert_eq!(
            out,
            vec![
                ("Labour", Label::Org, 0.55),                       // the model's, untouched
                ("May", Label::Per, RULE_PRECISION),                // made after an honorific
                ("Ministry of Health", Label::Org, RULE_PRECISION), // trimmed
                ("Okafor", Label::Per, 0.45),                       // the model's, untouched
            ]
        );
    }

    fn names(list: &[(&str, Label)]) -> Vec<(String, Label)> {
        list.iter().map(|&(s, l)| (s.to_string(), l)).collect()
    }

    #[test]
    fn titles_the_and_possessives_leave_the_span() {
        let text = "Mr Okafor met the Ministry of Health's team. Then Detective Inspector Jane Roe spoke.";
        let out = run(
            text,
            &[
                ("Mr Okafor", Label::Per, 0.9),
                ("the Ministry of Health's", Label::Org, 0.9),
                ("Detective Inspector Jane Roe", Label::Per, 0.9),
            ],
        );
        assert_eq!(
            out,
            names(&[("Okafor", Label::Per), ("Ministry of Health", Label::Org), ("Jane Roe", Label::Per)])
        );
    }

    #[test]
    fn derivatives_handles_and_common_acronyms_are_not_names_of_the_same_kind() {
        let text =
            "Leeds-born Amara Obi thanked MPs and @Amara on #Leeds about Lyme disease. “I’ve no Lyme.”";
        let out = run(
            text,
            &[
                ("Leeds-born Amara Obi", Label::Per, 0.9),
                ("MPs", Label::Per, 0.6),
                ("Amara", Label::Per, 0.6),
                ("Leeds", Label::Loc, 0.6),
                ("Lyme", Label::Loc, 0.6),
                ("I’ve", Label::Org, 0.6),
                ("Lyme", Label::Org, 0.6),
            ],
        );
        assert_eq!(out, names(&[("Leeds-born", Label::Misc), ("Amara Obi", Label::Per)]));
    }

    #[test]
    fn heads_relabel_uncertain_names_and_join_neighbours() {
        let text =
            "Traffic on Elm Avenue slowed near the Tokyo 2020 Olympic Games site, said Riva Automotive.";
        let out = run(
            text,
            &[
                ("Elm Avenue", Label::Per, 0.6),
                ("Tokyo", Label::Loc, 0.9),
                ("Olympic Games", Label::Misc, 0.9),
                ("Riva Automotive", Label::Per, 0.7),
            ],
        );
        assert_eq!(
            out,
            names(&[
                ("Elm Avenue", Label::Loc),
                ("Tokyo 2020 Olympic Games", Label::Misc),
                ("Riva Automotive", Label::Org)
            ])
        );
        // a label the model is sure of stays: a team named like a place
        let out = run("Notts County won.", &[("Notts County", Label::Org, 0.97)]);
        assert_eq!(out, names(&[("Notts County", Label::Org)]));
    }

    #[test]
    fn a_name_after_city_of_is_a_place() {
        let out = run("She grew up in the village of Marrow Hill.", &[("Marrow Hill", Label::Org, 0.6)]);
        assert_eq!(out, names(&[("Marrow Hill", Label::Loc)]));
    }

    #[test]
    fn city_of_a_place_is_one_place() {
        let out = run(
            "The City of Harwell approved it.",
            &[("City", Label::Org, 0.6), ("Harwell", Label::Loc, 0.9)],
        );
        assert_eq!(out, names(&[("City of Harwell", Label::Loc)]));
    }

    #[test]
    fn honorifics_make_a_person_and_an_office_is_not_one() {
        let out = run(
            "Labour asked Mrs May. “Mr Speaker, no,” he said.",
            &[("Labour", Label::Org, 0.9), ("Speaker", Label::Per, 0.6)],
        );
        assert_eq!(out, names(&[("Labour", Label::Org), ("May", Label::Per)]));
    }

    #[test]
    fn dateline_call_letters_are_an_organisation() {
        let text = "MILLBROOK, Ohio (WXYZ) - Residents met.\n\nThe (ABC) said no.";
        let out = run(
            text,
            &[("MILLBROOK", Label::Loc, 0.9), ("Ohio", Label::Loc, 0.9), ("WXYZ", Label::Loc, 0.6)],
        );
        assert_eq!(out, names(&[("MILLBROOK", Label::Loc), ("Ohio", Label::Loc), ("WXYZ", Label::Org)]));
    }

    #[test]
    fn quoted_titles_after_a_work_noun_are_misc() {
        let text =
            "The film ‘Blue Harbour Nights’ won, and the “48 Hours” program aired. She said “Great News”.";
        let out = run(text, &[("Harbour Nights", Label::Per, 0.5)]);
        assert_eq!(out, names(&[("Blue Harbour Nights", Label::Misc), ("48 Hours", Label::Misc)]));
    }

    #[test]
    fn an_unsure_one_word_name_opening_a_sentence_is_dropped() {
        let text = "Ferries were late. Okonkwo said so.";
        let out = run(text, &[("Ferries", Label::Per, 0.3), ("Okonkwo", Label::Per, 0.35)]);
        assert_eq!(out, names(&[]));
        // the model's span may take the full stop before the word with it
        let out = run(text, &[(". Okonkwo", Label::Per, 0.3)]);
        assert_eq!(out, names(&[]));
        let out = run(text, &[("Ferries", Label::Org, 0.9), ("Okonkwo", Label::Per, 0.9)]);
        assert_eq!(out, names(&[("Ferries", Label::Org), ("Okonkwo", Label::Per)]));
    }

    #[test]
    fn an_unsure_label_follows_the_sure_mentions_of_the_same_name() {
        let text = "ARNHEM won. Arnhem grew. The question for Arnhem is open. Leeds 2 Arnhem 1.";
        let out = run(
            text,
            &[
                ("ARNHEM", Label::Loc, 0.9),
                ("Arnhem", Label::Loc, 0.8),
                ("Arnhem", Label::Org, 0.4),
                ("Leeds", Label::Org, 0.95),
                ("Arnhem", Label::Org, 0.95),
            ],
        );
        // the unsure mention follows the article; a sure one (a team in a result) keeps its label
        let labels: Vec<Label> = out.iter().map(|(_, l)| *l).collect();
        assert_eq!(labels, [Label::Loc, Label::Loc, Label::Loc, Label::Org, Label::Org]);
    }

    #[test]
    fn an_acronym_defined_in_brackets_is_the_organisation_everywhere() {
        let text = "The Northern Rowing Federation (Norfed) met. Norfed said no. Later Norfed agreed.";
        let out = run(
            text,
            &[
                ("Northern Rowing Federation", Label::Org, 0.9),
                ("Norfed", Label::Loc, 0.5),
                ("Norfed", Label::Per, 0.5),
            ],
        );
        assert_eq!(
            out,
            names(&[
                ("Northern Rowing Federation", Label::Org),
                ("Norfed", Label::Org),
                ("Norfed", Label::Org),
                ("Norfed", Label::Org)
            ])
        );
    }

    #[test]
    fn codes_storms_and_names_joined_by_small_words() {
        let text =
            "The Airbus A321 of Flight NX204 hit Storm Ines. It breached the Fire and Rescue at Sea Act.";
        let out = run(
            text,
            &[
                ("Airbus", Label::Org, 0.9),
                ("Flight", Label::Misc, 0.5),
                ("Ines", Label::Per, 0.8),
                ("Fire and Rescue", Label::Org, 0.6),
                ("Sea Act", Label::Misc, 0.6),
            ],
        );
        assert_eq!(
            out,
            names(&[
                ("Airbus A321", Label::Misc),
                ("Flight NX204", Label::Misc),
                ("Storm Ines", Label::Misc),
                ("Fire and Rescue at Sea Act", Label::Misc)
            ])
        );
        // a number after a team or a place is a score, not part of the name
        let out = run("NEW YORK 74 59", &[("NEW YORK", Label::Org, 0.9)]);
        assert_eq!(out, names(&[("NEW YORK", Label::Org)]));
    }

    #[test]
    fn a_quoted_work_is_the_same_work_elsewhere() {
        let text = "‘Salt Roads’ tops charts\n\nThe album ‘Salt Roads’ sold well; Salt Roads is her third.";
        let out = run(text, &[("Salt Roads", Label::Loc, 0.6)]);
        assert_eq!(
            out,
            names(&[("Salt Roads", Label::Misc), ("Salt Roads", Label::Misc), ("Salt Roads", Label::Misc)])
        );
    }

    #[test]
    fn awards_ministries_and_channels() {
        let text = "It won Best Supporting Actor. The Turkish Foreign Ministry spoke to BBC Radio 4 and BBC Radio 5 Live.";
        let out = run(
            text,
            &[
                ("Best", Label::Org, 0.5),
                ("Turkish Foreign Ministry", Label::Org, 0.9),
                ("BBC Radio", Label::Org, 0.9),
                ("BBC Radio", Label::Org, 0.9),
            ],
        );
        assert_eq!(
            out,
            names(&[
                ("Best Supporting Actor", Label::Misc),
                ("Turkish", Label::Misc),
                ("Foreign Ministry", Label::Org),
                ("BBC Radio 4", Label::Org),
                ("BBC Radio 5 Live", Label::Org)
            ])
        );
    }
}
