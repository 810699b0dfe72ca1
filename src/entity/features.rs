//! Features of the names model: per-token hashes computed once, then ~35 hashed feature
//! lookups per token into a table of `2^bits` buckets (see [`super::model`]).
//!
//! Shared by the runtime tagger and the trainer (`--features train`), so both see exactly the
//! same features. Everything here is deterministic and platform-independent (explicit u64
//! hashing, no `std` hasher randomness), so weights trained natively work in wasm.
//!
//! The features come in three groups, each written once here: [`own_features`] (the token's
//! text alone), [`neighbour_features`] (what a token gives the tokens at ±1, ±2: that token's text
//! alone too) and [`context_features`] (its place in the sentence and document, after
//! [`prepare`]). The trainer's [`extract`] lists every bucket of every token; the runtime sums the
//! first two groups once per distinct word (see [`super::model`]) and reads the small-valued
//! context templates from dense tables ([`dense_index`]), with the same sums.
//!
//! Feature families (template ids in [`t`]):
//! * the token: word, lower-cased word, shape (first 8 chars) and collapsed shape, prefixes and
//!   suffixes of 1–4 chars, a flag set (title/upper/digits/hyphen/sentence start/end);
//! * the window: lower-cased words and collapsed shapes at ±1, ±2; capitalisation at ±1;
//! * the sentence: its case mode (normal, ALL CAPS headline, Title Case headline) × start;
//! * the document: how the same lower-cased word is capitalised elsewhere in the text (this
//!   occurrence excluded), and its roles in capitalised runs there ("Haftar" after "Khalifa Haftar");
//! * Brown cluster path prefixes at −1, 0, +1;
//! * gazetteer B/I/U matches (places, first names, surnames, hashed training-data lists) at −1, 0, +1.

use crate::sentence::Sentence;
use crate::token::{Token, TokenKind};
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A pass-through hasher: the keys here are already well-mixed 64-bit hashes.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A map keyed by an already-hashed value.
pub type HashedMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// Lower-cased word hash → Brown cluster path bits (`int(path[::-1], 2)`: a prefix of length n is `v & ((1 << n) - 1)`).
pub type BrownMap = HashedMap<u64, u32>;

/// Phrase key ([`phrase_key`]) → bit set: bit `l` = a whole phrase of list `l`; [`GAZ_PREFIX`] = a proper prefix of some phrase.
pub type GazMap = HashedMap<u32, u16>;

/// Bit in a [`GazMap`] value: the key is a proper prefix of a longer phrase.
pub const GAZ_PREFIX: u16 = 1 << 15;
/// Number of gazetteer lists (ids 0..GAZ_LISTS).
pub const GAZ_LISTS: usize = 7;
/// List ids. 0–2 come from the resource file, 3–6 from the training data (hashed only).
pub const LIST_PLACE: usize = 0;
/// First names.
pub const LIST_FIRST: usize = 1;
/// Surnames.
pub const LIST_LAST: usize = 2;
/// Training-data lists: PER, ORG, LOC, MISC.
pub const LIST_TRAIN_PER: usize = 3;

/// Template ids.
#[allow(missing_docs)]
pub mod t {
    pub const BIAS: u64 = 1;
    pub const WORD: u64 = 2;
    pub const LOWER: u64 = 3;
    pub const SHAPE: u64 = 4;
    pub const SSHAPE: u64 = 5;
    pub const PRE: u64 = 6; // +k
    pub const SUF: u64 = 10; // +k
    pub const FLAGS: u64 = 14;
    pub const LOWER_M1: u64 = 15;
    pub const LOWER_P1: u64 = 16;
    pub const LOWER_M2: u64 = 17;
    pub const LOWER_P2: u64 = 18;
    pub const SS_M1: u64 = 19;
    pub const SS_P1: u64 = 20;
    pub const SS_M2: u64 = 21;
    pub const SS_P2: u64 = 22;
    pub const TITLE_PM1: u64 = 23;
    pub const SENT: u64 = 24;
    pub const DOC_CASE: u64 = 25;
    pub const DOC_RUN: u64 = 26;
    pub const BROWN: u64 = 27; // + 0..8
    pub const GAZ: u64 = 40;
    pub const AGG: u64 = 42;
}

/// FNV-1a's start state.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a over bytes, continuing from `h`.
#[inline]
pub fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// FNV-1a of a string.
#[inline]
pub fn hash_str(s: &str) -> u64 {
    fnv(FNV_OFFSET, s.as_bytes())
}

/// SplitMix64's finaliser: a strong 64-bit mix.
#[inline]
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// One step of [`hash_lower`] over an ASCII byte: the state after `b`, lower-cased, from `h`
/// (the model's loader continues a front-coded word from its shared prefix's state with it).
#[inline(always)]
pub fn hash_lower_ascii_step(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(FNV_PRIME)
}

/// FNV-1a of the lower-cased string, without allocating.
#[inline]
pub fn hash_lower(s: &str) -> u64 {
    if s.is_ascii() {
        return s.bytes().fold(FNV_OFFSET, hash_lower_ascii_step);
    }
    let mut h = FNV_OFFSET;
    let mut buf = [0u8; 4];
    for c in s.chars() {
        for l in c.to_lowercase() {
            h = fnv(h, l.encode_utf8(&mut buf).as_bytes());
        }
    }
    h
}

/// Key of a gazetteer phrase: the lower-cased hashes of its tokens, chained.
#[inline]
pub fn phrase_step(prev: u64, token_lower: u64) -> u64 {
    mix(prev ^ token_lower.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// The seed of [`phrase_step`].
pub const PHRASE_SEED: u64 = 0x5851_f42d_4c95_7f2d;

/// A 32-bit gazetteer key of a 64-bit phrase hash.
#[inline]
pub fn phrase_key(h: u64) -> u32 {
    (h ^ (h >> 32)) as u32
}

/// The gazetteer key of a phrase as pressmark tokenizes it (lower-cased).
pub fn phrase_hash_of(text: &str) -> Option<(u64, usize)> {
    let toks = crate::token::tokenize(text);
    if toks.is_empty() {
        return None;
    }
    let mut h = PHRASE_SEED;
    for t in &toks {
        h = phrase_step(h, hash_lower(&text[t.span]));
    }
    Some((h, toks.len()))
}

/// Adds `phrase` to list `list` in `map`, with all its proper prefixes marked.
pub fn gaz_insert(map: &mut GazMap, text: &str, list: usize) {
    // Most list entries are ASCII letters and spaces ("New York"), which the tokenizer splits
    // at the spaces and nowhere else: hash those words directly (the model loads faster).
    if text.bytes().all(|b| b.is_ascii_alphabetic() || b == b' ') {
        let words: Vec<u64> = text.split(' ').filter(|w| !w.is_empty()).map(hash_lower).collect();
        if !words.is_empty() {
            gaz_insert_hashes(map, &words, list);
        }
        return;
    }
    let toks = crate::token::tokenize(text);
    if toks.is_empty() {
        return;
    }
    let mut h = PHRASE_SEED;
    for (i, t) in toks.iter().enumerate() {
        h = phrase_step(h, hash_lower(&text[t.span]));
        let bits = if i + 1 == toks.len() { 1u16 << list } else { GAZ_PREFIX };
        *map.entry(phrase_key(h)).or_insert(0) |= bits;
    }
}

/// Adds a phrase given as its lower-cased token hashes (for training-data lists).
pub fn gaz_insert_hashes(map: &mut GazMap, token_lowers: &[u64], list: usize) {
    let mut h = PHRASE_SEED;
    for (i, &l) in token_lowers.iter().enumerate() {
        h = phrase_step(h, l);
        let bits = if i + 1 == token_lowers.len() { 1u16 << list } else { GAZ_PREFIX };
        *map.entry(phrase_key(h)).or_insert(0) |= bits;
    }
}

/// Case class of a token.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum Case {
    /// No letters.
    None = 0,
    /// Starts lower case.
    Lower = 1,
    /// Starts upper case, has a lower-case letter.
    Title = 2,
    /// All letters upper case (one letter counts).
    Upper = 3,
}

/// What the extractor needs to know of a token besides the hashes of its own features: kept
/// for every token of a document (the runtime tagger keeps only this, see [`super::model`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Core {
    /// Lower-cased text.
    pub lower: u64,
    /// Flag set: case, digits, all digits, hyphen, punctuation, length up to 4.
    pub flags: u64,
    /// Case class.
    pub case: Case,
}

/// Per-token base hashes, computed once per token from its text and kind alone.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TokInfo {
    /// Case, flags and lower-cased hash.
    pub core: Core,
    /// Exact text.
    pub word: u64,
    shape: u64,
    sshape: u64,
    pre: [u64; 4],
    suf: [u64; 4],
    cluster: u32,
    has_cluster: bool,
}

fn shape_code(c: char) -> u32 {
    if c.is_uppercase() {
        'X' as u32
    } else if c.is_lowercase() {
        'x' as u32
    } else if c.is_numeric() {
        'd' as u32
    } else {
        c as u32
    }
}

/// The training data (CoNLL-2003) is typed on a typewriter's keys: every double quotation mark is
/// `"` and every apostrophe `'`. Today's news is typeset, so a curly or low mark is shown to the
/// model as the plain one (“You looks like "You) and a curly apostrophe inside or at the edge of a
/// word as `'` (’s, O’Brien, I’ve): the model sees the same word whatever the typography.
fn as_trained(s: &str, kind: TokenKind) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    match s {
        "“" | "”" | "„" | "‟" | "«" | "»" | "＂" if kind == TokenKind::QuoteMark => {
            Cow::Borrowed("\"")
        }
        "‘" | "’" | "‛" | "‚" if kind == TokenKind::QuoteMark => Cow::Borrowed("'"),
        _ if s.contains('’') => Cow::Owned(s.replace('’', "'")),
        _ => Cow::Borrowed(s),
    }
}

fn tok_info(s: &str, kind: TokenKind, brown: &BrownMap) -> TokInfo {
    if s.is_ascii() {
        return tok_info_ascii(s.as_bytes(), kind, brown);
    }
    tok_info_chars(s, kind, brown)
}

/// The shape hashes of a token, char code by char code: the shape of its first 8 chars, and
/// the collapsed shape (runs of one code as one).
struct Shapes {
    shape: u64,
    sshape: u64,
    prev_code: u32,
}

impl Shapes {
    fn new() -> Shapes {
        Shapes { shape: FNV_OFFSET, sshape: FNV_OFFSET, prev_code: u32::MAX }
    }

    /// Adds the shape code of the token's `n`-th char.
    #[inline(always)]
    fn push(&mut self, n: usize, code: u32) {
        if n < 8 {
            self.shape = (self.shape ^ u64::from(code)).wrapping_mul(FNV_PRIME);
        }
        if code != self.prev_code {
            self.sshape = (self.sshape ^ u64::from(code)).wrapping_mul(FNV_PRIME);
            self.prev_code = code;
        }
    }
}

/// [`tok_info_chars`] for an ASCII token, in one pass over its bytes: the same values (for ASCII,
/// `char::is_uppercase` is `A-Z`, `is_lowercase` `a-z`, `is_numeric` `0-9`, and a char is one byte).
fn tok_info_ascii(s: &[u8], kind: TokenKind, brown: &BrownMap) -> TokInfo {
    let mut word = FNV_OFFSET;
    let mut lower = FNV_OFFSET;
    let mut shapes = Shapes::new();
    let mut pre = [0u64; 4];
    let (mut upper, mut lowerc, mut digits) = (0usize, 0usize, 0usize);
    let mut hyphen = false;
    for (n, &b) in s.iter().enumerate() {
        word = (word ^ u64::from(b)).wrapping_mul(FNV_PRIME);
        lower = hash_lower_ascii_step(lower, b);
        let code = match b {
            b'A'..=b'Z' => {
                upper += 1;
                u32::from(b'X')
            }
            b'a'..=b'z' => {
                lowerc += 1;
                u32::from(b'x')
            }
            b'0'..=b'9' => {
                digits += 1;
                u32::from(b'd')
            }
            _ => {
                hyphen |= b == b'-';
                u32::from(b)
            }
        };
        shapes.push(n, code);
        if n < 4 {
            pre[n] = word;
        }
    }
    let n = s.len();
    for (k, p) in pre.iter_mut().enumerate().skip(n) {
        *p = mix(word ^ k as u64);
    }
    let mut suf = [0u64; 4];
    for (k, slot) in suf.iter_mut().enumerate() {
        *slot = if k < n { fnv(FNV_OFFSET, &s[n - 1 - k..]) } else { mix(word ^ k as u64) };
    }
    let first = s.first().copied().unwrap_or(0);
    let shape_info = Letters {
        n,
        alpha: upper + lowerc,
        upper,
        lowerc,
        digits,
        first_upper: first.is_ascii_uppercase(),
        first_lower: first.is_ascii_lowercase(),
        hyphen,
    };
    finish(word, lower, shapes.shape, shapes.sshape, pre, suf, shape_info, kind, brown)
}

/// Letter counts of a token, for its case class and flags.
struct Letters {
    n: usize,
    alpha: usize,
    upper: usize,
    lowerc: usize,
    digits: usize,
    first_upper: bool,
    first_lower: bool,
    hyphen: bool,
}

#[allow(clippy::too_many_arguments)]
#[inline]
fn finish(
    word: u64,
    lower: u64,
    shape: u64,
    sshape: u64,
    pre: [u64; 4],
    suf: [u64; 4],
    l: Letters,
    kind: TokenKind,
    brown: &BrownMap,
) -> TokInfo {
    let Letters { n, alpha, upper, lowerc, digits, first_upper, first_lower, hyphen } = l;
    let case = if alpha == 0 {
        Case::None
    } else if upper == alpha && lowerc == 0 {
        Case::Upper
    } else if first_upper {
        Case::Title
    } else if first_lower {
        Case::Lower
    } else {
        Case::None
    };
    let flags = (case as u64)
        | ((digits > 0) as u64) << 2
        | ((digits == n && n > 0) as u64) << 3
        | (hyphen as u64) << 4
        | ((kind == TokenKind::Punct || kind == TokenKind::QuoteMark) as u64) << 5
        | ((n.min(4) as u64) << 6);
    let (cluster, has_cluster) = match brown.get(&lower) {
        Some(&p) => (p, true),
        None => (0, false),
    };
    TokInfo { core: Core { lower, flags, case }, word, shape, sshape, pre, suf, cluster, has_cluster }
}

/// The per-token hashes of any token, char by char.
fn tok_info_chars(s: &str, kind: TokenKind, brown: &BrownMap) -> TokInfo {
    let word = hash_str(s);
    let lower = hash_lower(s);
    let mut shapes = Shapes::new();
    let mut pre = [0u64; 4];
    let mut ph = FNV_OFFSET;
    let mut n = 0usize;
    let (mut upper, mut lowerc, mut digits, mut alpha) = (0usize, 0usize, 0usize, 0usize);
    let mut first_upper = false;
    let mut first_lower = false;
    let mut hyphen = false;
    let mut buf = [0u8; 4];
    for c in s.chars() {
        let code = shape_code(c);
        shapes.push(n, code);
        if n < 4 {
            ph = fnv(ph, c.encode_utf8(&mut buf).as_bytes());
            pre[n] = ph;
        }
        if c.is_alphabetic() {
            alpha += 1;
            if c.is_uppercase() {
                upper += 1;
                if n == 0 {
                    first_upper = true;
                }
            } else if c.is_lowercase() {
                lowerc += 1;
                if n == 0 {
                    first_lower = true;
                }
            }
        } else if c.is_numeric() {
            digits += 1;
        } else if c == '-' {
            hyphen = true;
        }
        n += 1;
    }
    for (k, p) in pre.iter_mut().enumerate().skip(n) {
        *p = mix(ph ^ k as u64); // shorter than k: a distinct "whole word" value
    }
    let mut suf = [0u64; 4];
    let mut cut = s.len();
    let mut it = s.char_indices().rev();
    for (k, slot) in suf.iter_mut().enumerate() {
        if let Some((i, _)) = it.next() {
            cut = i;
            *slot = hash_str(&s[cut..]);
        } else {
            *slot = mix(hash_str(&s[cut..]) ^ k as u64);
        }
    }
    let l = Letters { n, alpha, upper, lowerc, digits, first_upper, first_lower, hyphen };
    finish(word, lower, shapes.shape, shapes.sshape, pre, suf, l, kind, brown)
}

/// Sentence case modes.
const MODE_NORMAL: u64 = 0;
const MODE_CAPS: u64 = 1;
const MODE_TITLE: u64 = 2;

fn sentence_mode(infos: &[Core], toks: &[Token], text: &str) -> u64 {
    let mut words = 0;
    let mut upper_long = 0;
    let mut lower_long = 0;
    let mut title_long = 0;
    let mut long = 0;
    for (t, i) in toks.iter().zip(infos) {
        if i.case == Case::None {
            continue;
        }
        words += 1;
        let len = text[t.span].len();
        if len >= 2 {
            match i.case {
                Case::Upper => upper_long += 1,
                Case::Lower => lower_long += 1,
                _ => {}
            }
        }
        if len >= 4 {
            long += 1;
            if i.case == Case::Title || i.case == Case::Upper {
                title_long += 1;
            }
        }
    }
    if words > 0
        && upper_long > 0
        && upper_long + lower_long > 0
        && lower_long == 0
        && infos.iter().all(|i| i.case != Case::Title)
    {
        MODE_CAPS
    } else if words >= 3
        && long >= 2
        && title_long == long
        && toks.last().is_none_or(|t| &text[t.span] != ".")
    {
        MODE_TITLE
    } else {
        MODE_NORMAL
    }
}

#[derive(Clone, Copy, Default)]
struct DocCounts {
    title_mid: u16,
    lower: u16,
    upper_mid: u16,
    other: u16, // sentence-initial or in a headline
    role: [u16; 5],
}

/// Run roles in capitalised runs: 0 none, 1 single, 2 begin, 3 inside, 4 end.
fn run_roles(infos: &[Core], range: std::ops::Range<usize>, out: &mut [u8]) {
    let mut i = range.start;
    while i < range.end {
        let cap = |j: usize| matches!(infos[j].case, Case::Title | Case::Upper);
        if !cap(i) {
            out[i] = 0;
            i += 1;
            continue;
        }
        let mut j = i;
        while j < range.end && cap(j) {
            j += 1;
        }
        if j - i == 1 {
            out[i] = 1;
        } else {
            out[i] = 2;
            for r in out.iter_mut().take(j - 1).skip(i + 1) {
                *r = 3;
            }
            out[j - 1] = 4;
        }
        i = j;
    }
}

/// Hashed feature buckets for every token of a document: token `i` has
/// `buckets[offsets[i]..offsets[i + 1]]`.
#[derive(Default, Debug, Clone)]
pub struct Features {
    /// Start of each token's features in `buckets`; one more entry than tokens.
    pub offsets: Vec<u32>,
    /// Bucket ids (`< 2^bits`).
    pub buckets: Vec<u32>,
}

impl Features {
    /// The buckets of token `i`.
    #[inline]
    pub fn of(&self, i: usize) -> &[u32] {
        &self.buckets[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }
}

/// Everything the extractor needs besides the text.
pub struct Lexicon<'a> {
    /// Brown clusters.
    pub brown: &'a BrownMap,
    /// Gazetteers.
    pub gaz: &'a GazMap,
}

/// Reusable scratch space, so repeated calls do not allocate. After [`prepare`] it holds the
/// per-token and per-sentence facts the context features read.
#[derive(Default)]
pub struct Scratch {
    /// The full hashes of every token (the trainer's path, [`extract`], only).
    infos: Vec<TokInfo>,
    /// Case, flags and lower-cased hash of every token: filled by the caller of [`prepare`].
    pub cores: Vec<Core>,
    /// Per token, a small id of its lower-cased form (equal forms, equal ids; all ids below
    /// `n_lower`), so document counts live in arrays, not hash maps: filled with `cores`
    /// (by [`number_lower_forms`] or the runtime's memo).
    pub lower_ids: Vec<u32>,
    /// One more than the largest id in `lower_ids`.
    pub n_lower: usize,
    sent_of: Vec<u32>,
    mode: Vec<u64>,
    roles: Vec<u8>,
    initial: Vec<bool>,
    gaz: Vec<u16>,
    /// Document case counts by lower-case id.
    counts: Vec<DocCounts>,
    /// The first pass's label counts by lower-case id (see [`aggregate_values`]).
    label_counts: Vec<[u16; 5]>,
    /// Per sentence: the token range of its decoding unit (paragraph), where neighbours are looked for.
    unit_of: Vec<std::ops::Range<usize>>,
}

impl Scratch {
    /// The token range of the decoding unit (paragraph) token `i` is in.
    #[inline]
    pub fn unit_of_token(&self, i: usize) -> &std::ops::Range<usize> {
        &self.unit_of[self.sent_of[i] as usize]
    }
}

const BOS: u64 = 0xB05;
const EOS: u64 = 0xE05;

/// The most buckets one token can have: 34 fixed templates, at most 7 lists × 3 positions of
/// gazetteer features, and the runtime's one aggregation bucket is added apart.
pub const MAX_TOKEN_FEATURES: usize = 34 + 3 * GAZ_LISTS;

/// The bucket of feature (`template`, `value`) in a table of `2^(64 - shift)` buckets.
#[inline(always)]
pub fn bucket(template: u64, value: u64, shift: u32) -> u32 {
    (mix(value ^ template.wrapping_mul(0x9E37_79B9_7F4A_7C15)) >> shift) as u32
}

/// Templates whose values are small integers, with the number of values: the runtime keeps
/// their rows in dense tables (see [`dense_index`]) instead of hashing each feature.
pub const DENSE_TEMPLATES: [(u64, usize); 7] = [
    (t::FLAGS, 1 << 12),    // flags (9 bits) | first << 10 | last << 11
    (t::TITLE_PM1, 1 << 9), // case at -1, +1 (3 bits each), own case (2 bits)
    (t::SENT, 1 << 5),      // mode (2 bits) | first << 2 | case << 3
    (t::DOC_CASE, 1 << 10), // category (3 bits) | case << 4 | mode << 8
    (t::DOC_RUN, 1 << 10),  // role bits (4) | own role << 4 | mode << 8
    (t::GAZ, 1 << 7),       // list (3 bits) | tag << 8 | (position + 1) << 16, packed by dense_index
    (t::AGG, 1 << 10),      // aggregation value (6 bits) | case << 8
];

/// The dense table (an index into [`DENSE_TEMPLATES`]) and slot of feature (`template`,
/// `value`), or `None` if the template has no table or the value does not fit (then it is
/// hashed as usual). With a constant template the match folds away.
#[inline(always)]
pub fn dense_index(template: u64, value: u64) -> Option<(usize, usize)> {
    let (table, slot) = match template {
        t::FLAGS => (0, value),
        t::TITLE_PM1 => (1, value),
        t::SENT => (2, value),
        t::DOC_CASE => (3, value),
        t::DOC_RUN => (4, value),
        t::GAZ if value & !0x3_03_07 == 0 => (5, (value & 7) | ((value >> 8) & 3) << 3 | (value >> 16) << 5),
        t::AGG => (6, value),
        _ => return None,
    };
    (slot < DENSE_TEMPLATES[table].1 as u64).then_some((table, slot as usize))
}

/// The value in slot `index` of `template`'s dense table (the inverse of [`dense_index`]).
pub fn dense_value(template: u64, index: usize) -> u64 {
    let i = index as u64;
    if template == t::GAZ {
        (i & 7) | ((i >> 3) & 3) << 8 | (i >> 5) << 16
    } else {
        i
    }
}

/// The hashes of token `t` of `text`, as the model sees it (curly quotes as `"`).
pub fn token_info(text: &str, t: &Token, brown: &BrownMap) -> TokInfo {
    tok_info(&as_trained(&text[t.span], t.kind), t.kind, brown)
}

/// A 64-bit key of what [`token_info`] depends on (the text as the model sees it, and the
/// kind): tokens with equal keys have equal infos and own features. The hash runs over the
/// text's bytes, then 0xFF (never a byte of UTF-8) and the kind, so distinct (text, kind) pairs
/// are distinct byte strings and only a true 64-bit collision could give two of them one key.
#[inline]
pub fn word_key(text: &str, t: &Token) -> u64 {
    let h = fnv(FNV_OFFSET, as_trained(&text[t.span], t.kind).as_bytes());
    fnv(h, &[0xFF, t.kind as u8])
}

/// The features of a token that depend on its own text alone: bias, word, lower case, shapes,
/// prefixes, suffixes, Brown cluster prefixes.
#[inline]
pub fn own_features(info: &TokInfo, mut push: impl FnMut(u64, u64)) {
    push(t::BIAS, 0);
    push(t::WORD, info.word);
    push(t::LOWER, info.core.lower);
    push(t::SHAPE, info.shape);
    push(t::SSHAPE, info.sshape);
    for k in 0..4 {
        push(t::PRE + k as u64, info.pre[k]);
        push(t::SUF + k as u64, info.suf[k]);
    }
    const PREFIXES: [u32; 4] = [4, 6, 10, 20];
    if info.has_cluster {
        for (k, &p) in PREFIXES.iter().enumerate() {
            push(t::BROWN + k as u64, u64::from(info.cluster & ((1u32 << p) - 1)) | u64::from(p) << 32);
        }
    } else {
        push(t::BROWN, 1 << 40);
    }
}

/// Where a neighbour is, seen from the token whose features it gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The token before.
    Prev1,
    /// The token after.
    Next1,
    /// Two tokens before.
    Prev2,
    /// Two tokens after.
    Next2,
}

impl Side {
    /// All sides, in the order the extractor uses them.
    pub const ALL: [Side; 4] = [Side::Prev1, Side::Next1, Side::Prev2, Side::Next2];

    /// The neighbour of token `i` on this side, if it is inside `unit` (its decoding unit).
    #[inline]
    pub fn of(self, i: usize, unit: &std::ops::Range<usize>) -> Option<usize> {
        let j = match self {
            Side::Prev1 => i.checked_sub(1),
            Side::Next1 => Some(i + 1),
            Side::Prev2 => i.checked_sub(2),
            Side::Next2 => Some(i + 2),
        };
        j.filter(|j| unit.contains(j))
    }
}

/// The features a token gets from its neighbour on `side` (`None`: the unit ends there). They
/// depend on the neighbour's own text alone, so the runtime can sum them once per word.
#[inline]
pub fn neighbour_features(nb: Option<&TokInfo>, side: Side, mut push: impl FnMut(u64, u64)) {
    let (lower_t, shape_t, edge, brown_k) = match side {
        Side::Prev1 => (t::LOWER_M1, t::SS_M1, BOS, Some(4)),
        Side::Next1 => (t::LOWER_P1, t::SS_P1, EOS, Some(6)),
        Side::Prev2 => (t::LOWER_M2, t::SS_M2, BOS, None),
        Side::Next2 => (t::LOWER_P2, t::SS_P2, EOS, None),
    };
    push(lower_t, nb.map_or(edge, |x| x.core.lower));
    push(shape_t, nb.map_or(edge, |x| x.sshape));
    if let Some(k) = brown_k {
        match nb {
            Some(x) if x.has_cluster => {
                push(t::BROWN + k, u64::from(x.cluster & 0xF));
                push(t::BROWN + k + 1, u64::from(x.cluster & 0x3FF));
            }
            Some(_) => push(t::BROWN + k, 1 << 40),
            None => push(t::BROWN + k, 1 << 41),
        }
    }
}

/// Sets `scratch.lower_ids` from `scratch.cores`: the document's lower-cased forms numbered
/// in order of first appearance.
pub fn number_lower_forms(scratch: &mut Scratch) {
    let mut ids: HashedMap<u64, u32> = HashedMap::default();
    scratch.lower_ids.clear();
    for c in &scratch.cores {
        let next = ids.len() as u32;
        scratch.lower_ids.push(*ids.entry(c.lower).or_insert(next));
    }
    scratch.n_lower = ids.len();
}

/// Fills the sentence- and document-level facts of `scratch` from `scratch.cores` (one per
/// token, set by the caller): sentence modes, capitalised-run roles, gazetteer matches,
/// sentence-initial words, the document's case counts and each sentence's decoding unit.
pub fn prepare(
    text: &str,
    tokens: &[Token],
    sentences: &[Sentence],
    gaz_map: &GazMap,
    scratch: &mut Scratch,
) {
    let n = tokens.len();
    let Scratch { cores, lower_ids, n_lower, sent_of, mode, roles, initial, gaz, counts, unit_of, .. } =
        scratch;
    debug_assert_eq!(cores.len(), n);
    debug_assert_eq!(lower_ids.len(), n);
    sent_of.clear();
    sent_of.resize(n, 0);
    mode.clear();
    for (si, s) in sentences.iter().enumerate() {
        for x in &mut sent_of[s.tokens.clone()] {
            *x = si as u32;
        }
        mode.push(sentence_mode(&cores[s.tokens.clone()], &tokens[s.tokens.clone()], text));
    }
    roles.clear();
    roles.resize(n, 0);
    gaz.clear();
    gaz.resize(n, 0);
    initial.clear();
    initial.resize(n, false);
    // only the ids of this document's words are reset (ids may come from a memo shared by documents)
    if counts.len() < *n_lower {
        counts.resize(*n_lower, DocCounts::default());
    }
    for &id in lower_ids.iter() {
        counts[id as usize] = DocCounts::default();
    }
    for (si, s) in sentences.iter().enumerate() {
        run_roles(cores, s.tokens.clone(), roles);
        match_gazetteers(cores, s.tokens.clone(), gaz_map, gaz);
        if let Some(f) = s.tokens.clone().find(|&i| cores[i].case != Case::None) {
            initial[f] = true;
        }
        for i in s.tokens.clone() {
            let core = &cores[i];
            if core.case == Case::None {
                continue;
            }
            let c = &mut counts[lower_ids[i] as usize];
            let mid = mode[si] == MODE_NORMAL && !initial[i];
            match core.case {
                Case::Lower => c.lower += 1,
                Case::Title if mid => c.title_mid += 1,
                Case::Upper if mid => c.upper_mid += 1,
                _ => c.other += 1,
            }
            if mode[si] == MODE_NORMAL {
                c.role[roles[i] as usize] += 1;
            }
        }
    }
    let unit_list = units(sentences);
    unit_of.clear();
    let mut ui = 0;
    for s in sentences {
        while ui + 1 < unit_list.len() && unit_list[ui].end <= s.tokens.start {
            ui += 1;
        }
        unit_of.push(unit_list.get(ui).cloned().unwrap_or(0..0));
    }
}

/// The values of token `i`'s context features (see [`context_features`]), one field per
/// template: the runtime adds their dense rows directly, with no per-feature dispatch.
#[derive(Clone, Copy, Default)]
pub struct ContextValues {
    /// [`t::FLAGS`]: the token's flags with sentence start and end.
    pub flags: u64,
    /// [`t::TITLE_PM1`]: the case of the neighbours and of the token.
    pub title: u64,
    /// [`t::SENT`]: the sentence mode, sentence start, the token's case.
    pub sent: u64,
    /// [`t::DOC_CASE`]: how the same word is written elsewhere in the document.
    pub doc_case: u64,
    /// [`t::DOC_RUN`]: the capitalised-run roles of the same word elsewhere.
    pub doc_run: u64,
    /// [`t::GAZ`] values: the gazetteer matches at -1, 0, +1 (the first `n_gaz`).
    pub gaz: [u64; 3 * GAZ_LISTS],
    /// How many of `gaz` are set.
    pub n_gaz: usize,
}

/// The features of token `i` that depend on its place in the sentence and the document: flags
/// with sentence start/end, neighbours' capitalisation, the sentence mode, how the same word is
/// written elsewhere in the document, gazetteer matches around it. Needs [`prepare`] first.
#[inline]
pub fn context_features(i: usize, sentences: &[Sentence], scratch: &Scratch, mut push: impl FnMut(u64, u64)) {
    let c = context_values(i, sentences, scratch);
    push(t::FLAGS, c.flags);
    push(t::TITLE_PM1, c.title);
    push(t::SENT, c.sent);
    push(t::DOC_CASE, c.doc_case);
    push(t::DOC_RUN, c.doc_run);
    for &g in &c.gaz[..c.n_gaz] {
        push(t::GAZ, g);
    }
}

/// The values of [`context_features`] of token `i`.
#[inline]
pub fn context_values(i: usize, sentences: &[Sentence], scratch: &Scratch) -> ContextValues {
    let Scratch { cores, lower_ids, sent_of, mode, roles, initial, gaz, counts, unit_of, .. } = scratch;
    let mut out = ContextValues::default();
    let si = sent_of[i] as usize;
    let srange = &sentences[si].tokens;
    let urange = &unit_of[si];
    let core = &cores[i];
    let first = i == srange.start;
    let last = i + 1 == srange.end;
    out.flags = core.flags | (first as u64) << 10 | (last as u64) << 11;
    let case_at = |side: Side| side.of(i, urange).map_or(7, |j| cores[j].case as u64);
    out.title = case_at(Side::Prev1) | case_at(Side::Next1) << 3 | (core.case as u64) << 6;
    out.sent = mode[si] | (first as u64) << 2 | (core.case as u64) << 3;
    // document context, this occurrence excluded
    // (prepare counted every token with letters, this one included)
    let (doc_case, doc_run) = match core.case {
        Case::None => (0, 0),
        _ => {
            let mut c = counts[lower_ids[i] as usize];
            let mid = mode[si] == MODE_NORMAL && !initial[i];
            match core.case {
                Case::Lower => c.lower -= 1,
                Case::Title if mid && c.title_mid > 0 => c.title_mid -= 1,
                Case::Upper if mid && c.upper_mid > 0 => c.upper_mid -= 1,
                _ => c.other = c.other.saturating_sub(1),
            }
            let own = roles[i] as usize;
            if mode[si] == MODE_NORMAL {
                c.role[own] = c.role[own].saturating_sub(1);
            }
            let cat = if c.lower > 0 {
                if c.title_mid > 0 {
                    1
                } else {
                    2
                }
            } else if c.title_mid > 0 {
                3
            } else if c.upper_mid > 0 {
                4
            } else if c.other > 0 {
                5
            } else {
                6
            };
            let rbits = (1..5).fold(0u64, |acc, r| acc | ((c.role[r] > 0) as u64) << (r - 1));
            (cat | (core.case as u64) << 4 | (mode[si]) << 8, rbits | (own as u64) << 4 | (mode[si]) << 8)
        }
    };
    out.doc_case = doc_case;
    out.doc_run = doc_run;
    // gazetteers
    for d in -1isize..=1 {
        let j = i as isize + d;
        if j < urange.start as isize || j >= urange.end as isize {
            continue;
        }
        let g = gaz[j as usize];
        if g == 0 {
            continue;
        }
        for l in 0..GAZ_LISTS {
            let tag = (g >> (2 * l)) & 3;
            if tag != 0 {
                out.gaz[out.n_gaz] = (l as u64) | (tag as u64) << 8 | ((d + 1) as u64) << 16;
                out.n_gaz += 1;
            }
        }
    }
    out
}

/// Computes the feature buckets of all tokens of one document (the trainer's path; the runtime
/// tagger sums the same features with a per-word memo, see [`super::model`]).
pub fn extract(
    text: &str,
    tokens: &[Token],
    sentences: &[Sentence],
    lex: &Lexicon,
    bits: u32,
    scratch: &mut Scratch,
    out: &mut Features,
) {
    out.offsets.clear();
    out.buckets.clear();
    out.offsets.reserve(tokens.len() + 1);
    out.buckets.reserve(tokens.len() * 40);
    out.offsets.push(0);
    scratch.infos.clear();
    scratch.infos.extend(tokens.iter().map(|t| token_info(text, t, lex.brown)));
    scratch.cores.clear();
    scratch.cores.extend(scratch.infos.iter().map(|i| i.core));
    number_lower_forms(scratch);
    prepare(text, tokens, sentences, lex.gaz, scratch);
    let shift = 64 - bits;
    let infos = &scratch.infos;
    for i in 0..tokens.len() {
        let urange = scratch.unit_of_token(i);
        let mut push = |tmpl: u64, value: u64| out.buckets.push(bucket(tmpl, value, shift));
        own_features(&infos[i], &mut push);
        for side in Side::ALL {
            neighbour_features(side.of(i, urange).map(|j| &infos[j]), side, &mut push);
        }
        context_features(i, sentences, scratch, &mut push);
        debug_assert!(out.buckets.len() - *out.offsets.last().unwrap() as usize <= MAX_TOKEN_FEATURES);
        out.offsets.push(out.buckets.len() as u32);
    }
}

/// The value of the document-aggregation feature in the first pass, before any labels exist.
pub fn agg_absent(bits: u32) -> u32 {
    (mix(0xA66 ^ t::AGG.wrapping_mul(0x9E37_79B9_7F4A_7C15)) >> (64 - bits)) as u32
}

/// Second-pass feature: how the first pass labelled the same lower-cased word elsewhere in
/// the document (this occurrence excluded), per token one bucket, written to `out`.
/// `labels` are the first pass's BIO labels. Uses the token hashes left in `scratch` by [`extract`].
pub fn aggregate(scratch: &mut Scratch, labels: &[u8], bits: u32, out: &mut Vec<u32>) {
    let mut values = Vec::with_capacity(labels.len());
    aggregate_values(scratch, labels, &mut values);
    out.clear();
    out.extend(values.iter().map(|&v| bucket(t::AGG, v, 64 - bits)));
}

/// The values of [`aggregate`]'s feature (template [`t::AGG`]), one per token, before hashing.
pub fn aggregate_values(scratch: &mut Scratch, labels: &[u8], out: &mut Vec<u64>) {
    let Scratch { cores, lower_ids, n_lower, label_counts: counts, .. } = scratch;
    if counts.len() < *n_lower {
        counts.resize(*n_lower, [0; 5]);
    }
    for &id in lower_ids.iter() {
        counts[id as usize] = [0; 5];
    }
    for ((core, &id), &l) in cores.iter().zip(lower_ids.iter()).zip(labels) {
        if core.case != Case::None {
            counts[id as usize][(l as usize).div_ceil(2)] += 1;
        }
    }
    out.clear();
    for ((core, &id), &l) in cores.iter().zip(lower_ids.iter()).zip(labels) {
        let value = match core.case {
            Case::None => 0,
            _ => {
                let mut c = counts[id as usize];
                c[(l as usize).div_ceil(2)] -= 1;
                let ents: u16 = c[1..].iter().sum();
                if ents == 0 {
                    if c[0] > 0 {
                        1
                    } else {
                        2
                    }
                } else {
                    let best = (1..5).max_by_key(|&k| (c[k], 5 - k)).unwrap() as u64;
                    let strength = if ents >= c[0] { 1 } else { 0 };
                    let unanimous = (c[best as usize] == ents) as u64;
                    8 + best + (strength << 3) + (unanimous << 4)
                }
            }
        };
        out.push(value | (core.case as u64) << 8);
    }
}

/// Decoding units: the token ranges of paragraphs (runs of sentences with the same paragraph
/// index). The model decodes a paragraph at a time, so a sentence split inside a name
/// ("… U.S. Steel") cannot cut the name in two.
pub fn units(sentences: &[Sentence]) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let mut prev_para = usize::MAX;
    for s in sentences {
        match out.last_mut() {
            Some(u) if s.paragraph == prev_para && u.end == s.tokens.start => u.end = s.tokens.end,
            _ => out.push(s.tokens.clone()),
        }
        prev_para = s.paragraph;
    }
    out
}

/// Marks gazetteer matches: per list, longest match first, left to right; the first token must
/// be capitalised. Tag per list in 2 bits: 1 = B, 2 = I, 3 = U (single token).
fn match_gazetteers(infos: &[Core], range: std::ops::Range<usize>, map: &GazMap, out: &mut [u16]) {
    if map.is_empty() {
        return;
    }
    // per list: the end (exclusive) of the last match, to stop overlaps within a list
    let mut covered = [range.start; GAZ_LISTS];
    for i in range.clone() {
        if !matches!(infos[i].case, Case::Title | Case::Upper) {
            continue;
        }
        let mut h = PHRASE_SEED;
        let mut best = [0usize; GAZ_LISTS]; // length of the longest match per list
        let mut j = i;
        while j < range.end {
            h = phrase_step(h, infos[j].lower);
            let Some(&v) = map.get(&phrase_key(h)) else { break };
            for (l, b) in best.iter_mut().enumerate() {
                if v & (1 << l) != 0 {
                    *b = j + 1 - i;
                }
            }
            if v & GAZ_PREFIX == 0 {
                break;
            }
            j += 1;
        }
        for l in 0..GAZ_LISTS {
            let len = best[l];
            if len == 0 || i < covered[l] {
                continue;
            }
            covered[l] = i + len;
            let sh = 2 * l;
            if len == 1 {
                out[i] |= 3 << sh;
            } else {
                out[i] |= 1 << sh;
                for o in &mut out[i + 1..i + len] {
                    *o |= 2 << sh;
                }
            }
        }
    }
}

/// Lower-cased hashes of `tokens` (for building training-data lists).
pub fn lower_hashes(text: &str, tokens: &[Token]) -> Vec<u64> {
    tokens.iter().map(|t| hash_lower(&text[t.span])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_and_spaces_split_like_the_tokenizer() {
        for phrase in
            ["New York", "Khalifa Haftar", "a", "  Port  of Spain ", "cannot", "DOS SANTOS", "Tillekeratne"]
        {
            let toks = crate::token::tokenize(phrase);
            let words: Vec<&str> = phrase.split(' ').filter(|w| !w.is_empty()).collect();
            let tok_words: Vec<&str> = toks.iter().map(|t| &phrase[t.span.start..t.span.end]).collect();
            assert_eq!(words, tok_words);
            let (mut fast, mut slow) = (GazMap::default(), GazMap::default());
            gaz_insert(&mut fast, phrase, 1);
            gaz_insert_hashes(
                &mut slow,
                &toks.iter().map(|t| hash_lower(&phrase[t.span.start..t.span.end])).collect::<Vec<_>>(),
                1,
            );
            assert_eq!(fast, slow);
        }
    }

    #[test]
    fn ascii_token_hashes_match_the_char_path() {
        let mut brown = BrownMap::default();
        brown.insert(hash_lower("haftar"), 0b1011);
        let mut words: Vec<String> = [
            "",
            "a",
            "A",
            "Haftar",
            "HAFTAR",
            "haftar",
            "UN-recognised",
            "1,200.50",
            "6:17",
            "20th",
            "'s",
            "n't",
            "U.S.",
            "Mr.",
            "--",
            "x-",
            "McDonald",
            "COVID-19",
            "iPhone",
            "a1b2c3d4e5",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        words.extend((0u8..128).map(|b| (b as char).to_string()));
        words.extend((0u8..128).map(|b| format!("Ab{}9z", b as char)));
        for w in &words {
            for kind in [TokenKind::Word, TokenKind::Number, TokenKind::Punct, TokenKind::QuoteMark] {
                assert_eq!(
                    tok_info_ascii(w.as_bytes(), kind, &brown),
                    tok_info_chars(w, kind, &brown),
                    "{w:?}"
                );
            }
        }
    }
}
