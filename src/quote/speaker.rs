//! Reporting cues, speaker mentions and their resolution to a full name.
//!
//! [`Context`] holds what the attribution rules read: the tokens, which of them lie inside a quote,
//! and the document's mention linker ([`Links`]). The rules, in the order [`super`] tries them:
//!
//! * after the quote: `”, said Mr. X`, `,” X said`, `,” X, the interior minister, said`,
//!   `,” he told Reuters`, `” — Name, Title` (dash attribution, no cue), `according to X`;
//! * before it: `X said: “`, `X told reporters, “`, `According to X, “`, `X: “` (no cue), and a
//!   cue earlier in the reporter's sentence for a partial quote (`X warned … the “strongest way”`);
//! * a subject before its verb may be separated from it by adverbs (`also`, `later`), an
//!   appositive (`, a spokesman for Y,`) or brackets (`(D-Wis.)`).
//!
//! A speaker mention is a name without its title ("Chris Christie" in "Gov. Chris Christie"), a
//! pronoun, or for unnamed sources the noun phrase without its determiner ("senior official").
//! These rules find the speaker *mention*; who it is (a full name for "he", "Burman" or "the
//! minister") is the linker's answer ([`Context::resolve`]): this module keeps no table of people.

use crate::entity::{Entity, Label};
use crate::lexicon::{self, FxBuild};
use crate::link::Links;
use crate::sentence::Sentence;
use crate::span::Span;
use crate::token::{Token, TokenKind};
use std::collections::HashMap;

/// A speaker mention with its resolution.
#[derive(Clone, Debug, PartialEq)]
pub struct Speaker {
    /// The mention, outside any quote.
    pub span: Span,
    /// Token range of the mention.
    pub tokens: (usize, usize),
    /// Canonical full name, when known.
    pub name: Option<String>,
    /// The linker's entity ([`Links::entities`]), when the mention is a linked one.
    pub entity: Option<usize>,
}

/// A reporting cue with the speaker it attributes to.
#[derive(Clone, Debug, PartialEq)]
pub struct Attribution {
    /// The verb or phrase; `None` for colon and dash attributions.
    pub cue: Option<Span>,
    /// The speaker; `None` when the subject is a document or nobody.
    pub speaker: Option<Speaker>,
}

/// Adverbs and auxiliaries that may sit between a subject and its reporting verb.
const BETWEEN: &[&str] = &[
    "also",
    "now",
    "later",
    "then",
    "previously",
    "recently",
    "once",
    "repeatedly",
    "reportedly",
    "simply",
    "only",
    "just",
    "again",
    "further",
    "finally",
    "flatly",
    "quickly",
    "publicly",
    "privately",
    "frequently",
    "often",
    "has",
    "have",
    "had",
    "would",
    "will",
    "did",
    "does",
    "do",
    "is",
    "was",
    "were",
    "are",
    "could",
    "might",
    "may",
    "can",
    "should",
    "must",
    "not",
    "n't",
    "never",
    "always",
    "even",
    "still",
    "subsequently",
    "recently",
    "earlier",
    "today",
    "yesterday",
    "tonight",
    "herself",
    "himself",
    "themselves",
    "itself",
    "clearly",
    "angrily",
    "bluntly",
    "candidly",
    "emphatically",
    "firmly",
    "openly",
    "quietly",
    "proudly",
    "happily",
    "sadly",
    "simply",
    "insistently",
    "forcefully",
    "succinctly",
    "correctly",
    "rightly",
    "wrongly",
    "falsely",
    "mistakenly",
    "directly",
    "separately",
    "similarly",
    "likewise",
    "already",
    "first",
    "initially",
    "echoing",
    "being",
    "been",
    "went",
    "on",
    "to",
];

/// Determiners that end a noun phrase on its left ("a senior official" → "senior official").
const DETERMINERS: &[&str] = &[
    "a", "an", "the", "this", "that", "these", "those", "his", "her", "its", "their", "our", "my", "your",
    "another", "one", "some", "two", "three", "several", "many", "other", "both", "each", "every", "any",
    "no",
];

/// A preposition that opens a phrase which cannot be a subject.
fn is_preposition(w: &str) -> bool {
    matches!(
        w,
        "through"
            | "in"
            | "on"
            | "into"
            | "across"
            | "at"
            | "near"
            | "outside"
            | "inside"
            | "around"
            | "from"
            | "over"
            | "under"
            | "along"
            | "of"
            | "to"
            | "by"
            | "with"
            | "for"
            | "about"
            | "against"
            | "behind"
            | "during"
            | "toward"
            | "towards"
            | "among"
            | "between"
            | "within"
            | "without"
            | "onto"
            | "past"
    )
}

/// A form of "be", "have" or a modal: after a noun phrase, its verb.
fn is_auxiliary(w: &str) -> bool {
    matches!(
        w,
        "is" | "was"
            | "were"
            | "are"
            | "has"
            | "had"
            | "have"
            | "will"
            | "would"
            | "could"
            | "can"
            | "should"
            | "must"
            | "might"
            | "did"
            | "does"
    )
}

/// Words that join parts of a name: "Charles de Gaulle", "Ursula von der Leyen".
const NAME_PARTICLES: &[&str] = &[
    "de", "van", "von", "der", "den", "da", "del", "della", "di", "du", "dos", "das", "la", "le", "bin",
    "ibn", "al", "el", "ben", "abu", "st.",
];

/// What the attribution rules read.
pub struct Context<'a> {
    /// The text.
    pub text: &'a str,
    /// Its tokens.
    pub tokens: &'a [Token],
    /// Its sentences.
    pub sentences: &'a [Sentence],
    /// Who each name, pronoun and role noun is ([`crate::link`]).
    pub links: &'a Links,
    /// Per token, a byte of [`flag`] bits: one byte where eight `Vec<bool>` took eight (the
    /// context's per-token tables are the memory peak of a long text in the browser).
    flags: Vec<u8>,
    /// The tokens that lower-casing changes ("The", "U.S."), lower-cased, one after another: the
    /// rules compare words many times per token. A token already in lower case (most) is read
    /// from the text itself, which halves this table on a long text.
    lower_text: String,
    /// Per token, where its lower-cased text starts in `lower_text`, with [`SAME_AS_TEXT`] set
    /// when it is the token's own text; one more entry for the end of the last. A changed token
    /// `i` is `lower_text[lower[i]..lower[i + 1]]` (the flag masked off).
    lower: Vec<u32>,
    /// The [`lex`] bits of each token's lower-cased text (with its final period, if any).
    lower_lex: Vec<u16>,
}

/// [`Context::lower`]'s mark of a token whose text is its own lower case (`lower_text` is shorter
/// than the text, at most 20 MB, so the offsets never reach this bit).
const SAME_AS_TEXT: u32 = 1 << 31;

/// Bits of [`Context`]'s per-token flags.
mod flag {
    /// Inside an outermost quote (marks included): [`super::Context::in_quote`].
    pub const IN_QUOTE: u8 = 1;
    /// Covered by a PER entity.
    pub const PER: u8 = 1 << 1;
    /// Covered by a non-person name entity.
    pub const NON_PERSON: u8 = 1 << 2;
    /// Covered by a place or MISC entity (never a speaker; an ORG may speak).
    pub const PLACE_OR_MISC: u8 = 1 << 3;
    /// [`super::Context::is_cap`].
    pub const CAP: u8 = 1 << 4;
    /// [`super::Context::is_cue`].
    pub const CUE: u8 = 1 << 5;
    /// [`super::Context::is_according`].
    pub const ACCORDING: u8 = 1 << 6;
    /// [`super::Context::is_name_token`].
    pub const NAME_TOKEN: u8 = 1 << 7;
}

/// Bits of [`Context`]'s per-token word-list answers. The rules ask the same lists about the same
/// tokens many times (walking left and right from every quote and cue); one lookup per token in
/// [`lex_map`] answers them all.
mod lex {
    /// `lexicon::is_reporting_verb`.
    pub const VERB: u16 = 1;
    /// `lexicon::is_quote_title`.
    pub const TITLE: u16 = 1 << 1;
    /// `lexicon::is_quote_not_name`.
    pub const NOT_NAME: u16 = 1 << 2;
    /// `lexicon::pronoun` is some.
    pub const PRONOUN: u16 = 1 << 3;
    /// `lexicon::is_quote_role`.
    pub const ROLE: u16 = 1 << 4;
    /// `lexicon::is_quote_document`.
    pub const DOCUMENT: u16 = 1 << 5;
    /// In [`super::DETERMINERS`].
    pub const DETERMINER: u16 = 1 << 6;
    /// In [`super::BETWEEN`].
    pub const BETWEEN: u16 = 1 << 7;
    /// In [`super::NAME_PARTICLES`].
    pub const PARTICLE: u16 = 1 << 8;
    /// "point", "points", "pointed" or "pointing" ("points out" is a cue).
    pub const POINT: u16 = 1 << 9;
    /// "according".
    pub const ACCORDING: u16 = 1 << 10;
    /// "to".
    pub const TO: u16 = 1 << 11;
}

/// The words of [`lex::POINT`].
const POINT_WORDS: &[&str] = &["point", "points", "pointed", "pointing"];

/// Word → [`lex`] bits, for every word in any of the lists the bits stand for. The bits come from
/// the list functions themselves, so they cannot disagree with them; a word missing here is in none
/// of the lists (the candidates are every word of the same files, split the same way).
fn lex_map() -> &'static HashMap<&'static str, u16, FxBuild> {
    static CELL: std::sync::OnceLock<HashMap<&'static str, u16, FxBuild>> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        let files = [
            include_str!("../lexicon/reporting_verbs.txt"),
            include_str!("../lexicon/quote_titles.txt"),
            include_str!("../lexicon/quote_not_names.txt"),
            include_str!("../lexicon/pronouns.txt"),
            include_str!("../lexicon/quote_roles.txt"),
            include_str!("../lexicon/quote_documents.txt"),
        ];
        let words = files.into_iter().flat_map(|f| lexicon::parse_list(f).flat_map(str::split_whitespace));
        let words = words.chain(
            DETERMINERS
                .iter()
                .chain(BETWEEN)
                .chain(NAME_PARTICLES)
                .chain(POINT_WORDS)
                .chain(&["according", "to"])
                .copied(),
        );
        let mut map = HashMap::default();
        for w in words {
            let bits = [
                (lexicon::is_reporting_verb(w), lex::VERB),
                (lexicon::is_quote_title(w), lex::TITLE),
                (lexicon::is_quote_not_name(w), lex::NOT_NAME),
                (lexicon::pronoun(w).is_some(), lex::PRONOUN),
                (lexicon::is_quote_role(w), lex::ROLE),
                (lexicon::is_quote_document(w), lex::DOCUMENT),
                (DETERMINERS.contains(&w), lex::DETERMINER),
                (BETWEEN.contains(&w), lex::BETWEEN),
                (NAME_PARTICLES.contains(&w), lex::PARTICLE),
                (POINT_WORDS.contains(&w), lex::POINT),
                (w == "according", lex::ACCORDING),
                (w == "to", lex::TO),
            ];
            let bits = bits.iter().filter(|(on, _)| *on).fold(0, |acc, (_, bit)| acc | bit);
            if bits != 0 {
                map.insert(w, bits);
            }
        }
        map
    })
}

/// [`lex_map`] for lookups by token: words of up to 15 bytes in a table of packed keys
/// ([`lexicon::PackedTable`]), longer ones (if a list has any) by string.
struct LexTable {
    short: lexicon::PackedTable<u16>,
    long: HashMap<&'static str, u16, FxBuild>,
}

impl LexTable {
    /// The [`lex`] bits of `bytes[a..b]` (a word, valid UTF-8).
    fn bits(&self, bytes: &[u8], a: usize, b: usize) -> u16 {
        match lexicon::pack_at(bytes, a, b) {
            Some(key) => self.short.get(key),
            None if self.long.is_empty() => 0,
            None => {
                std::str::from_utf8(&bytes[a..b]).ok().and_then(|w| self.long.get(w)).copied().unwrap_or(0)
            }
        }
    }
}

fn lex_table() -> &'static LexTable {
    static CELL: std::sync::OnceLock<LexTable> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        let mut short = HashMap::default();
        let mut long = HashMap::default();
        for (&w, &bits) in lex_map() {
            match lexicon::pack(w.as_bytes()) {
                Some(key) => {
                    short.insert(key, bits);
                }
                None => {
                    long.insert(w, bits);
                }
            }
        }
        LexTable { short: lexicon::PackedTable::new(&short), long }
    })
}

impl<'a> Context<'a> {
    /// Builds the context; `quoted` are the outer spans (marks included) of the outermost quotes.
    pub fn new(
        text: &'a str,
        tokens: &'a [Token],
        sentences: &'a [Sentence],
        entities: &[Entity],
        quoted: &[Span],
        links: &'a Links,
    ) -> Context<'a> {
        let n = tokens.len();
        let mut flags = vec![0u8; n];
        let mut qi = 0;
        for (i, t) in tokens.iter().enumerate() {
            while qi < quoted.len() && quoted[qi].end <= t.span.start {
                qi += 1;
            }
            if qi < quoted.len() && quoted[qi].start <= t.span.start && t.span.end <= quoted[qi].end {
                flags[i] |= flag::IN_QUOTE;
            }
        }
        let mut ti = 0;
        for e in entities {
            if !e.label.is_name() {
                continue;
            }
            while ti < n && tokens[ti].span.end <= e.span.start {
                ti += 1;
            }
            let mut tj = ti;
            while tj < n && tokens[tj].span.start < e.span.end {
                tj += 1;
            }
            for f in &mut flags[ti..tj] {
                if e.label == Label::Per {
                    *f |= flag::PER;
                } else {
                    *f |= flag::NON_PERSON;
                    // (the last entity over a token decides, as when this was a plain bool)
                    *f &= !flag::PLACE_OR_MISC;
                    if matches!(e.label, Label::Loc | Label::Misc) {
                        *f |= flag::PLACE_OR_MISC;
                    }
                }
            }
        }
        // lower-cased words that differ from the text, once, one after another (an ASCII word byte
        // by byte, any other with its full lower case)
        let mut lower_text = String::new();
        let mut lower = Vec::with_capacity(n + 1);
        for t in tokens {
            let start = lower_text.len();
            let w = &text[t.span];
            if w.is_ascii() {
                if w.bytes().any(|b| b.is_ascii_uppercase()) {
                    lower_text.extend(w.bytes().map(|b| char::from(b.to_ascii_lowercase())));
                }
            } else {
                lower_text.extend(w.chars().flat_map(char::to_lowercase));
                if &lower_text[start..] == w {
                    lower_text.truncate(start);
                }
            }
            let same = if lower_text.len() == start { SAME_AS_TEXT } else { 0 };
            lower.push(start as u32 | same);
        }
        lower.push(lower_text.len() as u32);
        let mut ctx = Context {
            text,
            tokens,
            sentences,
            links,
            flags,
            lower_text,
            lower,
            lower_lex: Vec::with_capacity(n),
        };
        // the word lists' answers, once per token
        let table = lex_table();
        for (i, t) in tokens.iter().enumerate() {
            let (bytes, a, b) = ctx.lower_at(i);
            let lb = table.bits(bytes, a, b);
            ctx.lower_lex.push(lb);
            let cap = t.kind == TokenKind::Word
                && match text.as_bytes().get(t.span.start) {
                    Some(b) if b.is_ascii() && t.span.start < t.span.end => b.is_ascii_uppercase(),
                    _ => text[t.span].chars().next().is_some_and(char::is_uppercase),
                };
            if cap {
                ctx.flags[i] |= flag::CAP;
            }
        }
        // each pass reads only what the passes before it set
        for i in 0..n {
            if ctx.find_cue(i) {
                ctx.flags[i] |= flag::CUE;
            }
        }
        for i in 0..n {
            if ctx.find_according(i) {
                ctx.flags[i] |= flag::ACCORDING;
            }
        }
        for i in 0..n {
            if ctx.find_name_token(i) {
                ctx.flags[i] |= flag::NAME_TOKEN;
            }
        }
        ctx
    }

    /// The index of the sentence token `i` is in (sentences cover every token, in order; a
    /// search rather than a table per token, which a long text could not spare).
    pub fn sentence_of(&self, i: usize) -> usize {
        self.sentences.partition_point(|s| s.tokens.end <= i)
    }

    /// The text of token `i`.
    pub fn word(&self, i: usize) -> &'a str {
        &self.text[self.tokens[i].span]
    }

    /// Lower-cased text of token `i` without a final period (computed once per document).
    pub fn bare(&self, i: usize) -> &str {
        let w = self.lower(i);
        w.strip_suffix('.').unwrap_or(w)
    }

    /// Lower-cased text of token `i` (with its period).
    pub fn lower_word(&self, i: usize) -> &str {
        self.lower(i)
    }

    /// Lower-cased text of token `i`.
    fn lower(&self, i: usize) -> &str {
        let (a, b) = (self.lower[i], self.lower[i + 1]);
        if a & SAME_AS_TEXT != 0 {
            &self.text[self.tokens[i].span]
        } else {
            &self.lower_text[a as usize..(b & !SAME_AS_TEXT) as usize]
        }
    }

    /// Lower-cased text of token `i` as `bytes[a..b]`, in the bytes it lies in (the text or
    /// `lower_text`), as [`LexTable::bits`] reads it.
    #[inline]
    fn lower_at(&self, i: usize) -> (&[u8], usize, usize) {
        let (a, b) = (self.lower[i], self.lower[i + 1]);
        if a & SAME_AS_TEXT != 0 {
            let span = self.tokens[i].span;
            (self.text.as_bytes(), span.start, span.end)
        } else {
            (self.lower_text.as_bytes(), a as usize, (b & !SAME_AS_TEXT) as usize)
        }
    }

    /// True for tokens inside an outermost quote (marks included).
    #[inline]
    pub fn in_quote(&self, i: usize) -> bool {
        self.flags[i] & flag::IN_QUOTE != 0
    }

    #[inline]
    fn has(&self, i: usize, bit: u8) -> bool {
        self.flags[i] & bit != 0
    }

    /// True when token `i` lies in a place or MISC entity ("United States", "Republican").
    pub fn is_place_or_misc(&self, i: usize) -> bool {
        self.has(i, flag::PLACE_OR_MISC)
    }

    /// The canonical name of the mention `a..b` ([`Context::resolve`]).
    pub fn name_for(&self, a: usize, b: usize) -> Option<String> {
        self.resolve(a, b).1
    }

    /// Who the mention `a..b` is: the linker's entity and its name; for a capitalised name the
    /// linker does not know (a transcript label, "HANNITY"), the name as written.
    pub fn resolve(&self, a: usize, b: usize) -> (Option<usize>, Option<String>) {
        if let Some(e) = self.links.resolve(self.text, self.tokens, a, b) {
            return (Some(e), Some(self.links.name(e).to_string()));
        }
        let named =
            (a..b).any(|k| self.is_cap(k) && !self.is_title(k) && !self.is_role(k) && !self.is_pronoun(k));
        // only a capitalised name ("HANNITY"), not a phrase with a name in it ("spokesman for the FDA")
        let all_caps = (a..b).all(|k| self.is_cap(k) || self.bare_is(k, lex::PARTICLE));
        if named && all_caps && !lexicon::is_quote_org_word(self.bare(b - 1)) {
            let span = Span::new(self.tokens[a].span.start, self.tokens[b - 1].span.end);
            return (None, Some(self.text[span].to_string()));
        }
        (None, None)
    }

    fn is_word(&self, i: usize) -> bool {
        self.tokens[i].kind == TokenKind::Word
    }

    /// A word starting with a capital letter.
    pub fn is_cap(&self, i: usize) -> bool {
        self.has(i, flag::CAP)
    }

    /// True when [`Context::bare`] of token `i` is in a list of `bits` ([`lex`]).
    fn bare_is(&self, i: usize, bits: u16) -> bool {
        let (bytes, a, b) = self.lower_at(i);
        // only a word with a final period ("Mr.", "U.S.") differs from its lower-cased form
        let lex =
            if b > a && bytes[b - 1] == b'.' { lex_table().bits(bytes, a, b - 1) } else { self.lower_lex[i] };
        lex & bits != 0
    }

    /// [`lexicon::is_reporting_verb`] of [`Context::bare`] of token `i`.
    pub fn is_verb(&self, i: usize) -> bool {
        self.bare_is(i, lex::VERB)
    }

    /// [`lexicon::is_quote_title`] of [`Context::bare`] of token `i`.
    pub fn is_title(&self, i: usize) -> bool {
        self.bare_is(i, lex::TITLE)
    }

    /// [`lexicon::is_quote_not_name`] of [`Context::bare`] of token `i`.
    pub fn is_not_name(&self, i: usize) -> bool {
        self.bare_is(i, lex::NOT_NAME)
    }

    /// [`lexicon::pronoun`] of [`Context::bare`] of token `i` is some.
    pub fn is_pronoun(&self, i: usize) -> bool {
        self.bare_is(i, lex::PRONOUN)
    }

    /// [`lexicon::is_quote_role`] of [`Context::bare`] of token `i`.
    pub fn is_role(&self, i: usize) -> bool {
        self.bare_is(i, lex::ROLE)
    }

    /// [`lexicon::is_quote_document`] of [`Context::bare`] of token `i`.
    pub fn is_document(&self, i: usize) -> bool {
        self.bare_is(i, lex::DOCUMENT)
    }

    /// [`Context::bare`] of token `i` is a determiner ([`DETERMINERS`]).
    fn is_determiner(&self, i: usize) -> bool {
        self.bare_is(i, lex::DETERMINER)
    }

    fn is_punct(&self, i: usize, p: &str) -> bool {
        self.word(i) == p
    }

    /// True when token `i` is a reporting verb form (lower case as written, or any case in a
    /// headline-like capitalised context is not accepted). Computed once per token.
    pub fn is_cue(&self, i: usize) -> bool {
        self.has(i, flag::CUE)
    }

    /// [`Context::is_cue`], computed (needs everything but `cue`).
    fn find_cue(&self, i: usize) -> bool {
        // every path below answers false for a word that is neither a verb nor "point…"
        if self.lower_lex[i] & (lex::VERB | lex::POINT) == 0 || !self.is_word(i) || self.in_quote(i) {
            return false;
        }
        let w = self.word(i);
        if w.chars().next().is_some_and(char::is_uppercase) && !self.starts_clause(i) {
            return false;
        }
        let lower = self.lower(i);
        // "points out", "pointed out"
        if self.lower_lex[i] & lex::POINT != 0 {
            return i + 1 < self.tokens.len() && self.bare(i + 1) == "out";
        }
        if self.lower_lex[i] & lex::VERB == 0 {
            return false;
        }
        // a verb of the reported clause, not a cue: "would respond", "to comment"
        if i > 0
            && matches!(
                self.bare(i - 1),
                "to" | "would"
                    | "will"
                    | "could"
                    | "should"
                    | "can"
                    | "may"
                    | "might"
                    | "must"
                    | "wo"
                    | "not"
            )
        {
            return false;
        }
        // a noun, not a verb: "a New York Times report", "the reports", "his comments"
        if i > 0 && !lower.ends_with("ed") && !lower.ends_with("ing") {
            let prev = self.bare(i - 1);
            if self.is_determiner(i - 1)
                || self.is_clitic(i - 1)
                || matches!(
                    prev,
                    "new" | "latest" | "recent" | "first" | "final" | "own" | "written" | "following"
                )
            {
                return false;
            }
            if lexicon::reporting_verb_lemma(lower) == Some(lower) {
                let mut k = i;
                while k > 0 && self.is_cap(k - 1) && i - k < 5 {
                    k -= 1;
                }
                if k < i && k > 0 && matches!(self.bare(k - 1), "a" | "an") {
                    return false;
                }
            }
        }
        true
    }

    /// Token `i` starts its sentence or follows a quote mark / comma ("“…” Said Trump.").
    fn starts_clause(&self, i: usize) -> bool {
        i == 0
            || self.sentences.get(self.sentence_of(i)).is_some_and(|s| s.tokens.start == i)
            || self.tokens[i - 1].kind == TokenKind::QuoteMark
    }

    /// True when "according to" starts at `i`. Computed once per token: the rules ask it of every
    /// token they walk over.
    pub fn is_according(&self, i: usize) -> bool {
        self.has(i, flag::ACCORDING)
    }

    /// [`Context::is_according`], computed.
    fn find_according(&self, i: usize) -> bool {
        // the bits say `bare(i) == "according" && bare(i + 1) == "to"`
        i + 1 < self.tokens.len()
            && self.bare_is(i, lex::ACCORDING)
            && self.bare_is(i + 1, lex::TO)
            && !self.in_quote(i)
    }

    /// The subject that ends just before token `v` (a cue), skipping adverbs, appositives and brackets.
    pub fn subject_before(&self, v: usize, lo: usize) -> Option<Speaker> {
        let mut k = v;
        let mut steps = 0;
        while k > lo && steps < 6 {
            let w = self.bare(k - 1);
            let adverb = w.len() > 4 && w.ends_with("ly") && !self.is_cap(k - 1) && self.is_word(k - 1);
            if (adverb || self.bare_is(k - 1, lex::BETWEEN))
                && !self.in_quote(k - 1)
                && !(w == "to" || w == "on")
            {
                k -= 1;
                steps += 1;
            } else {
                break;
            }
        }
        if k <= lo {
            return None;
        }
        k = self.skip_brackets(k, lo);
        if k <= lo {
            return None;
        }
        if matches!(self.word(k - 1), "--" | "—" | "–") {
            // a dashed appositive: "John Dickey, the chief executive of Ora Media -- … -- told me"
            let close = k - 1;
            let mut j = close;
            while j > lo
                && !matches!(self.word(j - 1), "--" | "—" | "–")
                && close - j < 40
                && !self.in_quote(j - 1)
            {
                j -= 1;
            }
            if j > lo && !self.in_quote(j - 1) && matches!(self.word(j - 1), "--" | "—" | "–") {
                return self.subject_before(j - 1, lo);
            }
            return None;
        }
        if self.is_punct(k - 1, ",") {
            // an appositive: "X, a spokesman for Y, said" / "X, who …, said" / "X, R-Ky., said"
            let close = k - 1;
            let mut j = close;
            while j > lo && !self.is_punct(j - 1, ",") && close - j < 30 && !self.in_quote(j - 1) {
                j -= 1;
            }
            if j > lo && self.is_punct(j - 1, ",") && !self.in_quote(j - 1) {
                let outer = self.np_ending(self.skip_brackets(j - 1, lo), lo);
                // "Johnnie Wilson, of Springfield, Va., said": a place between commas describes
                // the name before it
                if outer.as_ref().is_some_and(|o| self.has(o.tokens.1 - 1, flag::PLACE_OR_MISC)) {
                    let mut m = j - 1;
                    while m > lo && j - 1 - m < 8 && !self.is_punct(m - 1, ",") && self.is_word(m - 1) {
                        m -= 1;
                    }
                    if m > lo + 1 && self.is_punct(m - 1, ",") && matches!(self.bare(m), "of" | "from") {
                        return self
                            .np_ending(m - 1, lo)
                            .filter(|sp| !self.has(sp.tokens.1 - 1, flag::PLACE_OR_MISC));
                    }
                }
                let inner = self.np_range(j, close, true);
                return match (outer, inner) {
                    (Some(o), Some(i))
                        if !self.is_cap(o.tokens.0)
                            && self.is_cap(i.tokens.0)
                            && !self.is_pronoun(i.tokens.0) =>
                    {
                        Some(i)
                    }
                    (Some(o), _) => Some(o),
                    (None, _) => None,
                };
            }
            return None;
        }
        // "…, Stevie Wonder, who joked": the relative pronoun is the mention, its antecedent the name
        if k >= lo + 3 && self.bare(k - 1) == "who" && self.is_punct(k - 2, ",") {
            let antecedent = self.np_ending(k - 2, lo)?;
            let entity = antecedent.entity.filter(|&e| self.links.kind(e) == crate::link::Kind::Person)?;
            let span = self.tokens[k - 1].span;
            return Some(Speaker { span, tokens: (k - 1, k), name: antecedent.name, entity: Some(entity) });
        }
        let np = self.np_ending(k, lo);
        if np.as_ref().is_some_and(|sp| (sp.tokens.0..sp.tokens.1).any(|t| self.is_cap(t))) {
            return np;
        }
        // "Protesters marching through the streets chanted", "a narrator in the Clinton ad asks":
        // the common noun (or document) ending at the verb is the object of a preposition; the
        // subject stands before it
        let mut s = k;
        while s > lo
            && k - s < 6
            && self.is_word(s - 1)
            && !self.in_quote(s - 1)
            && !self.is_verb(s - 1)
            && !is_preposition(self.bare(s - 1))
            && !self.is_pronoun(s - 1)
        {
            s -= 1;
        }
        // (a phrase that already runs over the preposition, "spokesman for the ministry", stays)
        let spans_it = np.as_ref().is_some_and(|sp| sp.tokens.0 < s);
        if !spans_it && s < k && s > lo + 1 && is_preposition(self.bare(s - 1)) && self.bare(s - 1) != "of" {
            let mut j = s - 1;
            if self.is_word(j - 1) && !self.is_cap(j - 1) && self.bare(j - 1).ends_with("ing") {
                j -= 1;
            }
            return self.np_ending(j, lo).filter(|sp| !is_preposition(self.bare(sp.tokens.1 - 1)));
        }
        np
    }

    /// `k` moved before a bracket group that ends just before it: "Gwen Moore (D-Wis.)".
    fn skip_brackets(&self, k: usize, lo: usize) -> usize {
        if k > lo && self.is_punct(k - 1, ")") {
            let mut j = k - 1;
            while j > lo && !self.is_punct(j - 1, "(") && k - j < 12 {
                j -= 1;
            }
            if j > lo && self.is_punct(j - 1, "(") {
                return j - 1;
            }
        }
        k
    }

    /// The noun phrase that ends just before token `end` (exclusive); `lo` bounds the search.
    pub fn np_ending(&self, end: usize, lo: usize) -> Option<Speaker> {
        if end <= lo || self.in_quote(end - 1) || !self.is_word(end - 1) && !self.is_age(end - 1) {
            return None;
        }
        let last = end - 1;
        let w = self.bare(last);
        if self.is_pronoun(last) {
            return (!matches!(w, "him" | "them" | "me" | "us" | "her"))
                .then(|| self.speaker_at(last, last + 1));
        }
        // walk left over the noun phrase, to a determiner (exclusive)
        let mut s = end;
        let mut determined = false;
        while s > lo && end - s < 8 {
            let p = s - 1;
            if self.in_quote(p) {
                break;
            }
            if !self.is_word(p) && self.tokens[p].kind != TokenKind::Number {
                break;
            }
            let pw = self.bare(p);
            if self.is_determiner(p) {
                // "a spokesman for the ministry": go on past "the" when a preposition and a noun precede
                if p >= lo + 2
                    && matches!(self.bare(p - 1), "for" | "of" | "at" | "with" | "from")
                    && self.is_word(p - 2)
                    && !self.is_determiner(p - 2)
                {
                    s = p - 1;
                    continue;
                }
                determined = true;
                break;
            }
            if p < last && (self.is_verb(p) || self.is_pronoun(p) && !self.is_clitic(p + 1))
                || matches!(
                    pw,
                    "and"
                        | "or"
                        | "but"
                        | "that"
                        | "who"
                        | "which"
                        | "as"
                        | "to"
                        | "if"
                        | "when"
                        | "while"
                        | "because"
                        | "where"
                        | "so"
                        | "than"
                        | "what"
                        | "how"
                        | "why"
                        | "in"
                        | "on"
                        | "by"
                )
                || self.bare_is(p, lex::BETWEEN) && p < last
            {
                break;
            }
            s = p;
        }
        if s >= end {
            return None;
        }
        let sp = self.np_range(s, end, determined)?;
        Some(sp)
    }

    fn is_clitic(&self, i: usize) -> bool {
        i < self.tokens.len() && self.is_word(i) && matches!(self.word(i), "'s" | "’s" | "'S" | "’S")
    }

    /// The speaker inside the noun phrase `a..b`: its last name (without title) before any
    /// preposition, or else the whole phrase without its determiner when it names a role.
    pub fn np_range(&self, a: usize, b: usize, determined: bool) -> Option<Speaker> {
        let mut a = a;
        while a < b && self.is_determiner(a) && !self.is_cap(a) {
            a += 1;
        }
        if a >= b {
            return None;
        }
        if b - a == 1 && self.is_pronoun(a) {
            return Some(self.speaker_at(a, b));
        }
        // a person's name ends the phrase: "Director of BBC England Helen Thomas", "Crockett
        // resident Robbie Miller"; the words before it describe the speaker
        if let Some((x, y)) = self.links.person_ending_at(a, b) {
            if !self.is_clitic(y) {
                return Some(self.speaker_at(x, y));
            }
        }
        let cut = (a..b)
            .find(|&k| {
                k > a && matches!(self.bare(k), "of" | "for" | "at" | "with" | "from" | "in" | "on")
                    || matches!(self.word(k), "," | "(")
            })
            .unwrap_or(b);
        // the last capitalised run before the cut that is not a possessive ("Obama's aide")
        let mut best = None;
        let mut k = a;
        while k < cut {
            if self.is_name_token(k) && (self.is_cap(k) || self.has(k, flag::PER)) {
                let s = k;
                while k < cut && self.is_name_token(k) {
                    k += 1;
                }
                // a name heads the phrase ("Trump lawyer Marc Kasowitz"), it does not qualify
                // it ("senior Turkish official")
                if !self.is_clitic(k) && k == cut {
                    if let Some(r) = self.name_part(s, k) {
                        best = Some(r);
                    }
                }
            } else {
                k += 1;
            }
        }
        if let Some((x, y)) = best {
            // a run that is only a title or an organisation head still names the speaker
            return Some(self.speaker_at(x, y));
        }
        let head = self.bare(cut - 1);
        if self.is_document(cut - 1) || self.is_document(b - 1) && cut == b {
            // "a statement from the Pharmacy Guild": the document's author speaks
            if cut < b && matches!(self.bare(cut), "from" | "by") {
                return self.np_range(cut + 1, b, true).filter(|sp| self.is_cap(sp.tokens.0));
            }
            return None;
        }
        let role =
            self.is_role(cut - 1) || head.ends_with("ist") || head.ends_with("ists") || self.is_age(cut - 1);
        if !(determined || role)
            || !self.is_word(cut - 1) && !self.is_age(cut - 1)
            || self.is_verb(cut - 1) && !role
        {
            return None;
        }
        Some(self.speaker_at(a, b))
    }

    /// A place right before its reporting verb speaks for its government ("The United States
    /// said"), and a capitalised name after a capital "The" is an institution whatever the names
    /// model called it ("as The New Yorker put it"). Nothing may stand between it and the verb.
    fn is_country_subject(&self, s: &Speaker, cue: usize) -> bool {
        let (a, b) = s.tokens;
        let institution = a > 0 && self.word(a - 1) == "The" && (a..b).all(|k| self.is_cap(k));
        b == cue
            && !self.is_cue_participle(cue)
            && (institution || s.entity.is_some_and(|e| self.links.kind(e) == crate::link::Kind::Place))
    }

    /// "42-year-old": an age, which stands for a person after "the".
    fn is_age(&self, i: usize) -> bool {
        self.bare(i).ends_with("-year-old")
    }

    fn is_cue_participle(&self, c: usize) -> bool {
        self.word(c).ends_with("ing")
    }

    /// The noun phrase starting at token `i` (after an inverted cue: "said Mr. X", "said a spokesman").
    pub fn np_starting(&self, i: usize, hi: usize) -> Option<Speaker> {
        self.np_from(i, hi, false)
    }

    /// The subject after an inverted cue: as [`Context::np_starting`], and a noun phrase with its
    /// determiner names a speaker too ("said the designer", "wrote one commenter").
    pub fn np_after_cue(&self, i: usize, hi: usize) -> Option<Speaker> {
        if let Some(sp) = self.described_person_after(i, hi) {
            return Some(sp);
        }
        let det = i < hi
            && self.is_word(i)
            && !self.is_cap(i)
            && matches!(self.bare(i), "the" | "a" | "an" | "one" | "another");
        // "said the election was …": a phrase followed by its verb is the reported clause's subject
        self.np_from(i, hi, det).filter(|sp| sp.tokens.1 >= hi || !is_auxiliary(self.bare(sp.tokens.1)))
    }

    /// After an inverted cue, a description that ends in a person's name: "said Uber driver and
    /// protester, Desmond Clark", "said Ambrosia Automotive owner Ryan Ambrosia". Only words,
    /// "and" and commas between the cue and the name, and the name ends the clause.
    fn described_person_after(&self, i: usize, hi: usize) -> Option<Speaker> {
        let mut k = i;
        while k < hi && k < i + 16 && !self.in_quote(k) {
            if let Some((x, y)) = self.links.person_starting_at(k) {
                let ends = y >= hi
                    || matches!(self.word(y), "." | "," | ";" | "(" | "—" | "–" | "--" | "!" | "?")
                    || self.tokens[y].kind == TokenKind::QuoteMark
                    || matches!(self.bare(y), "who" | "whose");
                if ends {
                    return (x > i).then(|| self.speaker_at(x, y));
                }
            }
            let ok =
                self.is_word(k) && !self.is_verb(k) && !self.is_pronoun(k) && !self.bare_is(k, lex::BETWEEN)
                    || self.is_punct(k, ",")
                    || self.tokens[k].kind == TokenKind::Number;
            let stop = matches!(
                self.bare(k),
                "who"
                    | "which"
                    | "that"
                    | "when"
                    | "after"
                    | "before"
                    | "because"
                    | "with"
                    | "of"
                    | "for"
                    | "from"
                    | "at"
                    | "by"
                    | "in"
                    | "on"
            );
            if !ok || stop {
                return None;
            }
            k += 1;
        }
        None
    }

    fn np_from(&self, i: usize, hi: usize, determined: bool) -> Option<Speaker> {
        if i >= hi || self.in_quote(i) || !self.is_word(i) && self.tokens[i].kind != TokenKind::Number {
            return None;
        }
        let w = self.bare(i);
        if self.is_pronoun(i) {
            // "put it": after its verb, "it" is the object
            return (!matches!(w, "him" | "them" | "me" | "us" | "her" | "you" | "it"))
                .then(|| self.speaker_at(i, i + 1));
        }
        if matches!(
            w,
            "in" | "on"
                | "at"
                | "during"
                | "after"
                | "before"
                | "that"
                | "to"
                | "of"
                | "about"
                | "by"
                | "with"
                | "when"
                | "while"
                | "and"
                | "but"
        ) {
            return None;
        }
        let mut e = i;
        let mut seen_name = false;
        while e < hi && e - i < 12 && !self.in_quote(e) {
            let t = self.word(e);
            // "Del. Stacey Plaskett": a title whose period the tokenizer split off
            if t == "." && e > i && self.is_title(e - 1) && e + 1 < hi && self.is_cap(e + 1) {
                e += 1;
                continue;
            }
            if e > i
                && matches!(t, "/" | "-")
                && !self.tokens[e].space_before
                && e + 1 < hi
                && !self.tokens[e + 1].space_before
            {
                e += 1;
                continue;
            }
            if !(self.is_word(e) || self.tokens[e].kind == TokenKind::Number) {
                break;
            }
            let ew = self.bare(e);
            if e > i && is_auxiliary(ew) {
                break;
            }
            if e > i
                && (matches!(
                    ew,
                    "who" | "which" | "that" | "during" | "after" | "before" | "when" | "and" | "in" | "on"
                ) || self.is_verb(e) && !self.is_cap(e))
            {
                break;
            }
            if seen_name && !self.is_name_token(e) && !self.is_clitic(e) {
                break;
            }
            if self.is_clitic(e) {
                // "Clinton's top aide Jake Sullivan": the possessor is not the speaker
                seen_name = false;
                e += 1;
                continue;
            }
            seen_name |= self.is_cap(e) && !self.is_title(e) && !self.is_determiner(e);
            e += 1;
        }
        if e == i {
            return None;
        }
        // after the cue only a name or a speaker noun ("said a spokesman"), not an object
        // ("clarified the matter")
        self.np_range(i, e, determined).filter(|s| s.tokens.0 < e)
    }

    /// Can be part of a name run: a capitalised word, an initial, a name particle, or a PER token.
    /// Computed once per token.
    fn is_name_token(&self, i: usize) -> bool {
        self.has(i, flag::NAME_TOKEN)
    }

    /// [`Context::is_name_token`], computed (needs `in_quote`, `per`, `cap` and `lower_lex`).
    fn find_name_token(&self, i: usize) -> bool {
        if self.in_quote(i) {
            return false;
        }
        if self.has(i, flag::PER) {
            return true;
        }
        if self.is_cap(i) {
            return true;
        }
        // NAME_PARTICLES.contains(word): the list is lower case, so the word is its lower-cased form
        self.lower_lex[i] & lex::PARTICLE != 0
            && self.word(i) == self.lower(i)
            && i + 1 < self.tokens.len()
            && self.is_cap(i + 1)
    }

    /// The name inside a capitalised run `s..e`: leading function words and titles removed.
    fn name_part(&self, s: usize, e: usize) -> Option<(usize, usize)> {
        let mut a = s;
        // never strip the last word: "Mr. King" is King, not an empty name
        while a + 1 < e {
            if self.is_not_name(a) || self.is_title(a) || self.bare_is(a, lex::PARTICLE) && !self.is_cap(a) {
                a += 1;
            } else {
                break;
            }
        }
        // the last title inside the run ("Turkish President Recep Tayyip Erdogan")
        let mut b = a;
        for k in a..e {
            if self.is_title(k) && k + 1 < e && !self.has(k, flag::PER) {
                b = k + 1;
            }
        }
        // keep a title-only run whole when nothing follows ("the President said")
        let a = if b < e { b } else { a };
        (a < e).then_some((a, e))
    }

    /// A speaker for tokens `a..b`, resolved to a name.
    fn speaker_at(&self, a: usize, b: usize) -> Speaker {
        let span = Span::new(self.tokens[a].span.start, self.tokens[b - 1].span.end);
        let (entity, name) = self.resolve(a, b);
        Speaker { span, tokens: (a, b), name, entity }
    }

    /// The first reporting cue at or after token `from` (before `hi`), with its subject.
    /// Recognises "X said", "said X", "X, the minister, said", "according to X".
    pub fn cue_forward(&self, from: usize, hi: usize, max: usize) -> Option<(usize, usize)> {
        let mut i = from;
        while i < hi && i - from < max {
            if self.in_quote(i) {
                return None;
            }
            if self.is_according(i) {
                return Some((i, i + 2));
            }
            if self.is_cue(i) {
                return Some((i, i + 1));
            }
            if self.is_punct(i, "(") {
                // "(D-Wis.)": brackets hold no cue and no sentence end
                let close = (i + 1..hi.min(i + 14)).find(|&k| self.is_punct(k, ")"));
                if let Some(c) = close {
                    i = c + 1;
                    continue;
                }
            }
            if matches!(self.word(i), "." | "!" | "?" | ";") {
                let glued = self.word(i) == "."
                    && !self.tokens[i].space_before
                    && i + 1 < hi
                    && (matches!(self.word(i + 1), "," | ")") || self.is_word(i + 1) && !self.is_cap(i + 1));
                if !glued {
                    return None;
                }
            }
            i += 1;
        }
        None
    }

    /// The attribution a cue at `c0..c1` makes: its subject before it, or after it (inversion).
    pub fn attribution_of_cue(&self, c0: usize, c1: usize, lo: usize, hi: usize) -> Attribution {
        let cue = Some(Span::new(self.tokens[c0].span.start, self.tokens[c1 - 1].span.end));
        if c1 - c0 == 2 {
            // according to X
            return Attribution { cue, speaker: self.np_starting(c1, hi) };
        }
        // ", saying": a participle after a comma has no subject of its own (the caller finds it)
        let participle = self.word(c0).ends_with("ing");
        let after_comma = c0 > lo && self.is_punct(c0 - 1, ",");
        if let Some(s) = self.subject_before(c0, lo).filter(|s| {
            !(self.has(s.tokens.1 - 1, flag::PLACE_OR_MISC) && !self.is_country_subject(s, c0)
                || participle && after_comma)
        }) {
            return Attribution { cue, speaker: Some(s) };
        }
        if participle {
            return Attribution { cue, speaker: None };
        }
        // "said Mr. X", "said a spokesman", "says he"
        let mut k = c1;
        if k < hi && self.is_word(k) && matches!(self.bare(k), "on" | "in") {
            return Attribution { cue, speaker: None };
        }
        if k < hi && self.is_punct(k, ",") {
            k += 1;
        }
        Attribution { cue, speaker: self.np_after_cue(k, hi) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sentence::split_sentences;
    use crate::token::tokenize;

    fn attribution(text: &str, cue_word: &str) -> (Option<String>, Option<String>) {
        let toks = tokenize(text);
        let sents = split_sentences(text, &toks);
        let links = Links::build(text, &toks, &sents, &[], &[]);
        let ctx = Context::new(text, &toks, &sents, &[], &[], &links);
        let c = toks.iter().position(|t| &text[t.span] == cue_word).expect("cue in text");
        let att = ctx.attribution_of_cue(c, c + 1, 0, toks.len());
        let sp = att.speaker.as_ref().map(|s| text[s.span].to_string());
        (sp, att.speaker.and_then(|s| s.name))
    }

    #[test]
    fn finds_subjects_and_names() {
        let cases: &[(&str, &str, Option<&str>, Option<&str>)] = &[
            ("Gov. Chris Christie said it.", "said", Some("Chris Christie"), Some("Chris Christie")),
            (
                "Maria Lopez, the interior minister, said so.",
                "said",
                Some("Maria Lopez"),
                Some("Maria Lopez"),
            ),
            ("Then said Mr. Burman at last.", "said", Some("Burman"), Some("Burman")),
            (
                "Leonard E. Burman spoke. Later Mr. Burman said no.",
                "said",
                Some("Burman"),
                Some("Leonard E. Burman"),
            ),
            ("Anna Berg arrived. She also told reporters.", "told", Some("She"), Some("Anna Berg")),
            ("A senior Turkish official said that.", "said", Some("senior Turkish official"), None),
            ("A spokesman for the ministry said so.", "said", Some("spokesman for the ministry"), None),
            ("The report said so.", "said", None, None),
            ("Rep. Gwen Moore (D-Wis.) said Friday.", "said", Some("Gwen Moore"), Some("Gwen Moore")),
        ];
        for &(text, cue, want_sp, want_name) in cases {
            let (sp, name) = attribution(text, cue);
            assert_eq!(sp.as_deref(), want_sp, "speaker in {text:?}");
            assert_eq!(name.as_deref(), want_name, "name in {text:?}");
        }
    }
}
