//! DATE, TIME, MONEY, PERCENT, CARDINAL and ORDINAL by rules.
//!
//! One left-to-right scan over each sentence's tokens. At every token each rule (a small matcher
//! that looks at a bounded window of tokens) proposes an end; the longest proposal wins, ties going
//! to the earlier rule in the order (money, percent, time, date, ordinal, cardinal), and the
//! scan resumes after it. So the result is sorted, non-overlapping, and found in linear time.
//!
//! Spans follow `CONVENTIONS.md` (../shared/examples): a leading "the" is never part of a value
//! ("the [start of the year]", "the [past week]"), durations of a day or more are DATE
//! ("[two years]", "[year-long]"), hour and minute durations and ages are not marked
//! ("24 hours", "40 years old", "40-year-old"), and numbers that are part of a name or code
//! ("Flight 8501", "MiG 29s") are left to the name tagger.

use super::{Entity, Label};
use crate::lexicon::{self, pack, FxBuild, PackedTable, WordSet};
use crate::sentence::Sentence;
use crate::span::Span;
use crate::token::{Token, TokenKind};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Every token's lower-cased text, for the word rules: ASCII words up to 24 bytes (every word
/// the rules know is one); other tokens get an empty key, which matches no rule.
pub(crate) struct Keys {
    /// The whole text, ASCII letters lower-cased (still valid UTF-8: only ASCII bytes change).
    lower: String,
    /// Byte range of each token's key in `lower`; empty for tokens without a key.
    spans: Vec<(u32, u32)>,
}

impl Keys {
    /// The lower-cased key of token `i`.
    pub(crate) fn get(&self, i: usize) -> &str {
        let (a, b) = self.spans[i];
        &self.lower[a as usize..b as usize]
    }
}

/// Lower-cased keys for all `tokens` of `text`. One lower-casing pass over the whole text, rather
/// than a copy per token: a key is then a range of that text.
pub(crate) fn keys(text: &str, tokens: &[Token]) -> Keys {
    let lower = text.to_ascii_lowercase();
    let spans = tokens
        .iter()
        .map(|t| {
            let word = &text.as_bytes()[t.span.start..t.span.end];
            // offsets fit u32: texts are at most MAX_TEXT_BYTES
            if word.len() <= 24 && word.is_ascii() {
                (t.span.start as u32, t.span.end as u32)
            } else {
                (0, 0)
            }
        })
        .collect();
    Keys { lower, spans }
}

/// Bits of [`Class`]: what the rules ask of one token's key, answered once per token instead of
/// by a word-list lookup every time a rule looks at the token.
mod class {
    /// In `lexicon::months()`.
    pub const MONTH: u16 = 1;
    /// In `lexicon::weekdays()`.
    pub const WEEKDAY: u16 = 1 << 1;
    /// A weekday plural: "mondays" (a key ending in "days", longer than 6, whose singular is a weekday).
    pub const WEEKDAYS: u16 = 1 << 2;
    /// In `lexicon::number_words()`.
    pub const NUMBER_WORD: u16 = 1 << 3;
    /// In `lexicon::ordinal_words()`.
    pub const ORDINAL: u16 = 1 << 4;
    /// The key itself is in `lexicon::currencies()` ("dollars").
    pub const CURRENCY: u16 = 1 << 5;
    /// The key upper-cased is in `lexicon::currencies()` ("usd" for "USD").
    pub const CURRENCY_UPPER: u16 = 1 << 6;
    /// In `lexicon::common_words()`.
    pub const COMMON: u16 = 1 << 7;
    /// In [`super::opener_words`].
    pub const OPENER_WORD: u16 = 1 << 8;
    // The bits below depend on the token, not only on its key.
    /// The text as written starts with an upper-case letter.
    pub const CAP: u16 = 1 << 9;
    /// Can start a value: a hyphenated key or one of [`super::opener_words`].
    pub const OPENER: u16 = 1 << 10;
    /// The text as written is in `lexicon::currencies()`.
    pub const RAW_CURRENCY: u16 = 1 << 11;
    /// A number word, or number words joined by hyphens ("twenty-five").
    pub const NUMBERS: u16 = 1 << 12;
    /// The key contains a hyphen.
    pub const HYPHEN: u16 = 1 << 13;
}

/// The key bits (the first nine of [`class`]) of every word the numeric rules look up, by packed
/// key ([`pack`]); listed words longer than 15 bytes (there are none today) by string.
struct KeyClasses {
    short: PackedTable<u16>,
    long: HashMap<String, u16, FxBuild>,
}

impl KeyClasses {
    /// The key bits of `k`; 0 for a key in no list.
    fn get(&self, k: &str) -> u16 {
        match pack(k.as_bytes()) {
            Some(p) => self.short.get(p),
            None if self.long.is_empty() => 0,
            None => self.long.get(k).copied().unwrap_or(0),
        }
    }

    /// [`KeyClasses::get`] of token `i`'s key, packed straight from the lower-cased text
    /// ([`lexicon::pack_at`]).
    fn get_key(&self, keys: &Keys, i: usize) -> u16 {
        let (a, b) = keys.spans[i];
        match lexicon::pack_at(keys.lower.as_bytes(), a as usize, b as usize) {
            Some(key) => self.short.get(key),
            None => self.get(keys.get(i)),
        }
    }
}

fn key_classes() -> &'static KeyClasses {
    static CELL: OnceLock<KeyClasses> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut short: HashMap<u128, u16, FxBuild> = HashMap::default();
        let mut long: HashMap<String, u16, FxBuild> = HashMap::default();
        let mut add = |word: &str, bit: u16| match pack(word.as_bytes()) {
            Some(p) => *short.entry(p).or_insert(0) |= bit,
            None => *long.entry(word.to_string()).or_insert(0) |= bit,
        };
        for &w in lexicon::months() {
            add(w, class::MONTH);
        }
        for &w in lexicon::weekdays() {
            add(w, class::WEEKDAY);
        }
        for &w in lexicon::number_words() {
            add(w, class::NUMBER_WORD);
        }
        for &w in lexicon::ordinal_words() {
            add(w, class::ORDINAL);
        }
        for &w in lexicon::common_words() {
            add(w, class::COMMON);
        }
        for &w in opener_words() {
            add(w, class::OPENER_WORD);
        }
        for &w in lexicon::currencies() {
            // Entries are all lower case ("dollars") or all upper case ("USD"); keys are lower case.
            if !w.bytes().any(|b| b.is_ascii_uppercase()) {
                add(w, class::CURRENCY);
            } else if !w.bytes().any(|b| b.is_ascii_lowercase()) {
                add(&w.to_ascii_lowercase(), class::CURRENCY_UPPER);
            } else {
                panic!("currencies.txt: {w:?} is neither lower nor upper case");
            }
        }
        // "mondays": a plural whose singular (without the "s") is a weekday
        for &w in lexicon::weekdays() {
            let plural = format!("{w}s");
            if plural.len() > 6 && plural.ends_with("days") {
                add(&plural, class::WEEKDAYS);
            }
        }
        KeyClasses { short: PackedTable::new(&short), long }
    })
}

/// The [`class`] bits of every token. Works on bytes (the key and the text as written), with no
/// `str` slicing and its char-boundary checks per token.
fn classify(text: &str, tokens: &[Token], keys: &Keys) -> Vec<u16> {
    let map = key_classes();
    // A token without a key (non-ASCII or longer than 24 bytes) can be a currency as written only
    // if the list has such an entry; it has none, so the lookup is skipped unless one is added.
    static UNKEYED_CURRENCY: OnceLock<bool> = OnceLock::new();
    let unkeyed_currency =
        *UNKEYED_CURRENCY.get_or_init(|| lexicon::currencies().iter().any(|w| w.len() > 24 || !w.is_ascii()));
    let bytes = text.as_bytes();
    let lower = keys.lower.as_bytes();
    tokens
        .iter()
        .zip(&keys.spans)
        .enumerate()
        .map(|(i, (t, &(a, b)))| {
            let raw = &bytes[t.span.start..t.span.end];
            let k = &lower[a as usize..b as usize];
            let mut c = if k.is_empty() { 0 } else { map.get_key(keys, i) };
            let cap = match raw.first() {
                Some(b) if b.is_ascii() => b.is_ascii_uppercase(),
                _ => text[t.span].chars().next().is_some_and(char::is_uppercase),
            };
            if cap {
                c |= class::CAP;
            }
            // a byte loop: keys are short, and `contains` calls `memchr` (measured: +3 % of the stage)
            #[allow(clippy::manual_contains)]
            let hyphen = k.iter().any(|&b| b == b'-');
            if hyphen {
                c |= class::HYPHEN | class::OPENER;
            }
            if c & class::OPENER_WORD != 0 {
                c |= class::OPENER;
            }
            let numbers = if hyphen {
                keys.get(i).split('-').all(|p| map.get(p) & class::NUMBER_WORD != 0)
            } else {
                c & class::NUMBER_WORD != 0
            };
            if numbers {
                c |= class::NUMBERS;
            }
            let raw_currency = if k.is_empty() {
                // no key: a long or non-ASCII token
                unkeyed_currency && lexicon::currencies().contains(&text[t.span])
            } else {
                // raw is the key as written: equal to a lower-case entry when it has no capital,
                // to an upper-case one when it has no small letter
                c & class::CURRENCY != 0 && !raw.iter().any(|b| b.is_ascii_uppercase())
                    || c & class::CURRENCY_UPPER != 0 && !raw.iter().any(|b| b.is_ascii_lowercase())
            };
            if raw_currency {
                c |= class::RAW_CURRENCY;
            }
            c
        })
        .collect()
}

/// Words that can open a value: a word token outside this set (without a hyphen, not a currency
/// code) starts no rule (see [`class::OPENER`]).
fn opener_words() -> &'static WordSet {
    static CELL: OnceLock<WordSet> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut set: WordSet = [
            lexicon::months(),
            lexicon::weekdays(),
            lexicon::number_words(),
            lexicon::ordinal_words(),
        ]
        .into_iter()
        .flatten()
        .copied()
        .collect();
        let words = "us a au c ca hk nz s nt r an half today yesterday tomorrow noon midnight midday tonight this last \
                     past next coming previous following recent current same that early late mid start end beginning \
                     middle rest turn remainder final few several many couple days weeks months years decades centuries \
                     weekends quarters seasons every spring summer autumn fall winter springs summers autumns winters \
                     mondays tuesdays wednesdays thursdays fridays saturdays sundays";
        set.extend(words.split_whitespace());
        set
    })
}

/// Finds value entities in `text`; sorted by start, non-overlapping.
pub fn find_values(text: &str, tokens: &[Token], sentences: &[Sentence]) -> Vec<Entity> {
    let keys = keys(text, tokens);
    let classes = classify(text, tokens, &keys);
    let mut out = Vec::new();
    for sentence in sentences {
        let scan = Scan {
            text,
            tokens,
            keys: &keys,
            classes: &classes,
            start: sentence.tokens.start,
            end: sentence.tokens.end,
            last_count: std::cell::Cell::new(None),
        };
        let mut i = scan.start;
        while i < scan.end {
            match scan.best(i) {
                Some((end, label)) => {
                    let span = Span::new(tokens[i].span.start, tokens[end - 1].span.end);
                    out.push(Entity { span, label, confidence: confidence(label) });
                    i = end;
                }
                None => i += 1,
            }
        }
    }
    out
}

/// A fixed confidence per label: how often the rule is right on news text, roughly.
fn confidence(label: Label) -> f32 {
    match label {
        Label::Money | Label::Percent => 0.95,
        Label::Date | Label::Time => 0.9,
        _ => 0.8,
    }
}

/// Calendar units a DATE duration counts in ("two years", "past week"); hours and minutes are not DATE.
fn date_unit(k: &str) -> bool {
    matches!(
        k,
        "day"
            | "days"
            | "week"
            | "weeks"
            | "weekend"
            | "weekends"
            | "fortnight"
            | "month"
            | "months"
            | "year"
            | "years"
            | "decade"
            | "decades"
            | "century"
            | "centuries"
            | "quarter"
            | "quarters"
            | "season"
            | "seasons"
    )
}

/// A singular unit, as in "year-long" or "the start of the year".
fn date_unit_singular(k: &str) -> bool {
    matches!(
        k,
        "day"
            | "week"
            | "weekend"
            | "fortnight"
            | "month"
            | "year"
            | "decade"
            | "century"
            | "quarter"
            | "season"
    )
}

fn season(k: &str) -> bool {
    matches!(k, "spring" | "summer" | "autumn" | "fall" | "winter")
}

fn day_part(k: &str) -> bool {
    matches!(k, "morning" | "afternoon" | "evening" | "night")
}

/// Words that make a relative date of the unit after them ("last week", "this year").
fn relative(k: &str) -> bool {
    matches!(
        k,
        "last"
            | "past"
            | "next"
            | "this"
            | "coming"
            | "previous"
            | "following"
            | "recent"
            | "current"
            | "same"
            | "that"
    )
}

fn am_pm(k: &str) -> bool {
    matches!(k, "a.m." | "p.m." | "a.m" | "p.m" | "am" | "pm")
}

fn time_zone(raw: &str) -> bool {
    matches!(
        raw,
        "GMT"
            | "UTC"
            | "ET"
            | "EST"
            | "EDT"
            | "CT"
            | "CST"
            | "CDT"
            | "PT"
            | "PST"
            | "PDT"
            | "CET"
            | "CEST"
            | "BST"
            | "IST"
            | "JST"
    )
}

fn currency_symbol(raw: &str) -> bool {
    // asked of every punctuation token: only "$" and non-ASCII chars can be one
    match raw.as_bytes().first() {
        Some(b'$') => raw.len() == 1,
        Some(&b) if b >= 0x80 => {
            matches!(raw, "€" | "£" | "¥" | "₹" | "₽" | "₺" | "₩" | "₦" | "₪" | "₴" | "฿")
        }
        _ => false,
    }
}

/// Letters glued before "$": "US$5", "HK$10".
fn dollar_prefix(raw: &str) -> bool {
    matches!(raw, "US" | "A" | "AU" | "C" | "CA" | "HK" | "NZ" | "S" | "NT" | "R")
}

fn scale(k: &str) -> bool {
    matches!(
        k,
        "hundred" | "thousand" | "million" | "billion" | "trillion" | "m" | "bn" | "mn" | "b" | "tn" | "k"
    )
}

/// Scale words written as their own token after a number: "1.2 million".
fn scale_word(k: &str) -> bool {
    matches!(k, "hundred" | "thousand" | "million" | "billion" | "trillion" | "bn" | "mn" | "tn")
}

/// Digits with thousands commas and a decimal point: "1,200.50", "90", ".5".
fn plain_number(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit()) && s.bytes().all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
}

/// An unsigned integer of at most `max_digits` digits.
fn small_int(s: &str, max_digits: usize) -> Option<u32> {
    if s.is_empty() || s.len() > max_digits || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// "1st", "22nd", "20th": the number of a numeric ordinal.
fn numeric_ordinal(k: &str) -> Option<u32> {
    let digits = k.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &k[digits.len()..];
    if !matches!(suffix, "st" | "nd" | "rd" | "th") {
        return None;
    }
    small_int(digits, 6)
}

/// A year written as four digits, 1800–2099 ("2,011" is not one).
fn year(s: &str) -> bool {
    small_int(s, 4).is_some_and(|y| s.len() == 4 && (1800..=2099).contains(&y))
}

/// "90s", "70s": a decade written with two digits after an apostrophe.
fn short_decade(s: &str) -> bool {
    s.len() == 3 && s.ends_with('s') && s.as_bytes()[0].is_ascii_digit() && s.as_bytes()[1] == b'0'
}

/// "1990s", "1800s".
fn decade(s: &str) -> bool {
    s.len() == 5 && s.ends_with('s') && year(&s[..4]) && s.as_bytes()[3] == b'0'
}

/// "6:17", "10.30", "6": an hour with optional minutes. `dot` allows "10.30".
fn clock(s: &str, dot: bool) -> bool {
    let (h, m) = match s.find(|c| c == ':' || (dot && c == '.')) {
        Some(p) => (&s[..p], Some(&s[p + 1..])),
        None => (s, None),
    };
    let hour_ok = small_int(h, 2).is_some_and(|h| h <= 24);
    let min_ok = m.is_none_or(|m| m.len() == 2 && small_int(m, 2).is_some_and(|m| m < 60));
    hour_ok && min_ok
}

/// "5:30pm", "10pm", "6.30am": a clock time with its am/pm glued on.
fn clock_with_am_pm(k: &str) -> bool {
    for suffix in ["a.m.", "p.m.", "am", "pm"] {
        if let Some(rest) = k.strip_suffix(suffix) {
            return !rest.is_empty() && clock(rest, true);
        }
    }
    false
}

/// The rules over one sentence's tokens `start..end`.
struct Scan<'a> {
    text: &'a str,
    tokens: &'a [Token],
    keys: &'a Keys,
    /// The [`class`] bits of every token.
    classes: &'a [u16],
    start: usize,
    end: usize,
    /// The last [`Scan::count`] asked and its answer: the money, percent, date and cardinal
    /// rules each ask it of the same token.
    last_count: std::cell::Cell<Option<(usize, Option<usize>)>>,
}

impl Scan<'_> {
    /// The longest match of any rule at token `i`: its end (exclusive) and label.
    fn best(&self, i: usize) -> Option<(usize, Label)> {
        let t = &self.tokens[i];
        let possible = match t.kind {
            TokenKind::Number => true,
            TokenKind::Word => self.is(i, class::OPENER | class::RAW_CURRENCY),
            TokenKind::Punct => currency_symbol(self.raw(i)),
            TokenKind::QuoteMark => matches!(self.raw(i), "'" | "’"), // "’90s"
        };
        if !possible {
            return None;
        }
        // In tie-break order.
        let found = [
            (self.money(i), Label::Money),
            (self.percent(i), Label::Percent),
            (self.time(i), Label::Time),
            (self.date_at(i, true), Label::Date),
            (self.ordinal(i), Label::Ordinal),
            (self.cardinal(i), Label::Cardinal),
        ];
        let mut best: Option<(usize, Label)> = None;
        for (end, label) in found {
            if let Some(end) = end {
                if end > i && best.is_none_or(|(e, _)| end > e) {
                    best = Some((end, label));
                }
            }
        }
        best
    }

    /// Lower-cased text of token `i`, empty outside the sentence.
    fn k(&self, i: usize) -> &str {
        if i < self.end {
            self.keys.get(i)
        } else {
            ""
        }
    }

    /// True when token `i` (inside the sentence) has any of the [`class`] bits `bits`.
    fn is(&self, i: usize, bits: u16) -> bool {
        i < self.end && self.classes[i] & bits != 0
    }

    /// Text of token `i` as written, empty outside the sentence.
    fn raw(&self, i: usize) -> &str {
        if i < self.end {
            &self.text[self.tokens[i].span]
        } else {
            ""
        }
    }

    fn is_number(&self, i: usize) -> bool {
        i < self.end && self.tokens[i].kind == TokenKind::Number
    }

    /// True when token `i` is attached to the one before it (no space between).
    fn glued(&self, i: usize) -> bool {
        i < self.end && !self.tokens[i].space_before
    }

    fn capitalized(&self, i: usize) -> bool {
        self.is(i, class::CAP)
    }

    /// True when token `i` follows a capitalised word that is not a common word (a name before a
    /// number makes the number part of a name or code: "Flight 8501").
    fn after_name(&self, i: usize) -> bool {
        let Some(p) = i.checked_sub(1) else { return false };
        if p < self.start || self.tokens[p].kind != TokenKind::Word || !self.capitalized(p) {
            return false;
        }
        // At a sentence start only a word that is not a common one names: "Flight 8501" but "In 2011".
        !self.is(p, class::COMMON | class::MONTH | class::WEEKDAY)
    }

    fn month(&self, i: usize) -> bool {
        self.capitalized(i) && self.is(i, class::MONTH)
    }

    fn full_month(&self, i: usize) -> bool {
        self.capitalized(i)
            && matches!(
                self.k(i),
                "january"
                    | "february"
                    | "march"
                    | "april"
                    | "may"
                    | "june"
                    | "july"
                    | "august"
                    | "september"
                    | "october"
                    | "november"
                    | "december"
            )
    }

    /// "Monday", and the plural of a weekly habit: "on Saturdays".
    fn weekday(&self, i: usize) -> bool {
        self.capitalized(i) && self.is(i, class::WEEKDAY | class::WEEKDAYS)
    }

    /// A day of the month: "20", "20th".
    fn day(&self, i: usize) -> bool {
        let k = self.k(i);
        self.is_number(i)
            && small_int(k, 2).or_else(|| numeric_ordinal(k)).is_some_and(|d| (1..=31).contains(&d))
    }

    fn year(&self, i: usize) -> bool {
        self.is_number(i) && year(self.k(i))
    }

    /// A count: digits with optional scale words ("1.2 million"), or number words
    /// ("two", "twenty-five", "three hundred"). Returns its end.
    fn count(&self, i: usize) -> Option<usize> {
        match self.last_count.get() {
            Some((at, end)) if at == i => end,
            _ => {
                let end = self.find_count(i);
                self.last_count.set(Some((i, end)));
                end
            }
        }
    }

    /// [`Scan::count`], computed.
    fn find_count(&self, i: usize) -> Option<usize> {
        let mut j = if self.is_number(i) && plain_number(self.k(i)) {
            i + 1
        } else if self.number_word(i) {
            let mut j = i + 1;
            while self.number_word(j) || (self.k(j) == "and" && self.number_word(j + 1) && j + 1 < self.end) {
                j += 1;
            }
            j
        } else if matches!(self.k(i), "a" | "an") && scale_word(self.k(i + 1)) {
            i + 2
        } else {
            return None;
        };
        while scale_word(self.k(j)) {
            j += 1;
        }
        Some(j)
    }

    /// Number words, maybe joined by hyphens: "two", "twenty-five".
    fn number_word(&self, i: usize) -> bool {
        self.is(i, class::NUMBERS)
    }

    /// An amount of money's number: a count, or digits with a glued scale ("3m", "1.2bn").
    fn amount(&self, i: usize) -> Option<usize> {
        if self.is_number(i) {
            let k = self.k(i);
            let digits = k.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            if digits.len() < k.len() && plain_number(digits) && scale(&k[digits.len()..]) {
                return Some(i + 1);
            }
        }
        self.count(i)
    }

    fn money(&self, i: usize) -> Option<usize> {
        let mut j = i;
        if dollar_prefix(self.raw(j)) && self.raw(j + 1) == "$" && self.glued(j + 1) {
            j += 1;
        }
        if currency_symbol(self.raw(j)) {
            if !self.is_number(j + 1) {
                return None;
            }
            let e = self.amount(j + 1)?;
            return Some(if self.is(e, class::CURRENCY) { e + 1 } else { e });
        }
        let code =
            |t: usize| self.is(t, class::RAW_CURRENCY) && self.raw(t).bytes().all(|b| b.is_ascii_uppercase());
        if code(i) && self.is_number(i + 1) {
            return self.amount(i + 1);
        }
        let e = self.amount(i)?;
        if code(e) || self.is(e, class::CURRENCY) && !self.capitalized(e) {
            return Some(e + 1);
        }
        // "5 million US dollars", "100 Libyan dinars"
        if self.capitalized(e)
            && matches!(
                self.k(e + 1),
                "dollars" | "dinars" | "pounds" | "francs" | "pesos" | "rupees" | "riyals" | "rials"
            )
        {
            return Some(e + 2);
        }
        None
    }

    fn percent(&self, i: usize) -> Option<usize> {
        let e = self.count(i)?;
        match (self.k(e), self.k(e + 1)) {
            ("%", _) => Some(e + 1),
            ("percent" | "pct" | "pc", _) => Some(e + 1),
            ("per", "cent") => Some(e + 2),
            ("percentage", "point" | "points") => Some(e + 2),
            _ => None,
        }
    }

    fn time(&self, i: usize) -> Option<usize> {
        let k = self.k(i);
        if self.is_number(i) {
            let mut e = if clock_with_am_pm(k) {
                i + 1
            } else if am_pm(self.k(i + 1)) && clock(k, true) || self.k(i + 1) == "o'clock" && clock(k, false)
            {
                i + 2
            } else if k.contains(':') && clock(k, false) {
                if am_pm(self.k(i + 1)) {
                    i + 2
                } else {
                    i + 1
                }
            } else {
                return None;
            };
            // The sentence splitter ends a sentence after "a.m." before a capital: look past it for "ET".
            let zone = |t: usize| t < self.tokens.len() && time_zone(&self.text[self.tokens[t].span]);
            if time_zone(self.raw(e))
                || e == self.end
                    && self.raw(e - 1).ends_with('.')
                    && zone(e)
                    && !self.text[self.tokens[e - 1].span.end..self.tokens[e].span.start].contains('\n')
            {
                e += 1;
            } else if self.k(e) == "local" && self.k(e + 1) == "time" {
                e += 2;
            }
            return Some(e);
        }
        if matches!(k, "noon" | "midnight" | "midday" | "tonight") {
            return Some(i + 1);
        }
        if (matches!(k, "this" | "last" | "yesterday" | "tomorrow" | "today") || self.weekday(i))
            && day_part(self.k(i + 1))
        {
            // "last night", "Sunday morning"; but not "this night" of a title-cased name
            return Some(i + 2);
        }
        None
    }

    /// DATE rules; `nest` allows one level of "start of <date>".
    fn date_at(&self, i: usize, nest: bool) -> Option<usize> {
        let k = self.k(i);
        let mut best: Option<usize> = None;
        let mut offer = |e: Option<usize>| {
            if let Some(e) = e {
                if best.is_none_or(|b| e > b) {
                    best = Some(e);
                }
            }
        };
        offer(self.numeric_date(i));
        if self.month(i) {
            offer(self.month_date(i));
        }
        if self.day(i) {
            // "20 May 2020", "20th of May"
            let j = if self.k(i + 1) == "of" { i + 2 } else { i + 1 };
            if self.month(j) {
                offer(Some(self.year_after(j + 1).unwrap_or(j + 1)));
            }
        }
        if self.weekday(i) {
            offer(Some(i + 1));
        }
        if matches!(k, "today" | "yesterday" | "tomorrow") {
            offer(Some(i + 1));
        }
        if relative(k) {
            offer(self.relative_date(i));
        }
        offer(self.duration(i));
        if k == "every" {
            // a recurring date: "every February", "every spring", "every day"
            let j = i + 1;
            if self.month(j) || self.weekday(j) || season(self.k(j)) || date_unit_singular(self.k(j)) {
                offer(Some(j + 1));
            }
        }
        if season(k) && k != "fall" && !self.capitalized(i) {
            // "winter", "two winters" (the count is found by `duration`); "fall" alone is the verb
            offer(Some(i + 1));
        }
        if matches!(self.raw(i), "'" | "’") && self.glued(i + 1) && short_decade(self.k(i + 1)) {
            // "the ’90s", "'70s"
            offer(Some(i + 2));
        }
        if self.is_number(i) && year(k) {
            offer(self.year_date(i));
        }
        if self.is_number(i) && decade(k) {
            offer(Some(i + 1));
        }
        if self.is(i, class::HYPHEN) {
            offer(self.hyphen_date(i));
        }
        if matches!(k, "early" | "late" | "mid") {
            // "early 2020", "late January", "late last year"
            let j = i + 1;
            if self.year(j) || self.full_month(j) || self.is_number(j) && decade(self.k(j)) {
                offer(Some(j + 1));
            } else if relative(self.k(j)) {
                offer(self.relative_date(j));
            }
        }
        if nest
            && matches!(k, "start" | "end" | "beginning" | "middle" | "rest" | "turn" | "remainder")
            && self.k(i + 1) == "of"
        {
            // "the start of the year", "the end of May", "the turn of the century"
            let j = i + 2;
            if self.k(j) == "the" && date_unit_singular(self.k(j + 1)) {
                offer(Some(j + 2));
            } else {
                offer(self.date_at(j, false));
            }
        }
        // the cheap test first: it fails for nearly every token
        if matches!(self.k(i + 1), "quarter" | "half" | "century")
            && (self.is(i, class::ORDINAL) || numeric_ordinal(k).is_some() || k == "final")
        {
            // "first quarter (of 2020)", "20th century"
            let e = i + 2;
            offer(Some(if self.k(e) == "of" && self.year(e + 1) { e + 2 } else { e }));
        }
        best
    }

    /// "2020-05-20", "20/05/2020", "5/20/20": digits and separators glued together.
    fn numeric_date(&self, i: usize) -> Option<usize> {
        if !self.is_number(i) {
            return None;
        }
        let part =
            |t: usize, max: usize| self.is_number(t) && self.glued(t) && small_int(self.k(t), max).is_some();
        let sep = |t: usize, s: &str| self.k(t) == s && self.glued(t);
        let k = self.k(i);
        if year(k) && sep(i + 1, "-") && part(i + 2, 2) && sep(i + 3, "-") && part(i + 4, 2) {
            let (m, d) = (small_int(self.k(i + 2), 2)?, small_int(self.k(i + 4), 2)?);
            return ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some(i + 5);
        }
        if small_int(k, 2).is_some() && sep(i + 1, "/") && part(i + 2, 2) && sep(i + 3, "/") && part(i + 4, 4)
        {
            let y = self.k(i + 4);
            return (y.len() == 2 || year(y)).then_some(i + 5);
        }
        None
    }

    /// After a month: "May 20, 2020", "May 20 2020", "May 20", "January 2011", "January".
    fn month_date(&self, i: usize) -> Option<usize> {
        let j = i + 1;
        if self.day(j) && !(self.k(j + 1) == ":" || self.k(j).contains(',')) {
            return Some(self.year_after(j + 1).unwrap_or(j + 1));
        }
        if let Some(e) = self.year_after(j) {
            return Some(e);
        }
        if self.full_month(i) {
            if self.k(i) != "may" {
                return Some(j);
            }
            // "May" alone is a month only after a word that calls for one: "in May".
            let prev = if i > self.start { self.k(i - 1) } else { "" };
            if matches!(
                prev,
                "in" | "since"
                    | "until"
                    | "till"
                    | "by"
                    | "from"
                    | "early"
                    | "late"
                    | "mid"
                    | "last"
                    | "next"
                    | "this"
                    | "of"
                    | "during"
                    | "before"
                    | "after"
                    | "through"
                    | "to"
            ) {
                return Some(j);
            }
        }
        None
    }

    /// An optional comma then a year: ", 2020" or " 2020".
    fn year_after(&self, j: usize) -> Option<usize> {
        if self.k(j) == "," && self.year(j + 1) {
            Some(j + 2)
        } else if self.year(j) {
            Some(j + 1)
        } else {
            None
        }
    }

    /// "last week", "past two years", "next few months", "this summer", "last Monday".
    fn relative_date(&self, i: usize) -> Option<usize> {
        let j = i + 1;
        if self.weekday(j) || self.full_month(j) || season(self.k(j)) {
            return Some(j + 1);
        }
        let c = self.quantity(j).unwrap_or(j);
        if date_unit(self.k(c)) {
            // "this year" is a date; "that week" and "same day" read as dates too.
            return Some(c + 1);
        }
        None
    }

    /// A count or a vague quantity before a unit: "two", "few", "several", "couple of".
    fn quantity(&self, i: usize) -> Option<usize> {
        match self.k(i) {
            "few" | "several" | "many" => Some(i + 1),
            "couple" if self.k(i + 1) == "of" => Some(i + 2),
            _ => self.count(i).filter(|_| !matches!(self.k(i), "a" | "an")),
        }
    }

    /// "two years (ago)", "a quarter century ago", "half a century ago", "decades ago".
    fn duration(&self, i: usize) -> Option<usize> {
        let k = self.k(i);
        let after = |u: usize| -> Option<usize> {
            let e = u + 1;
            match self.k(e) {
                "ago" | "earlier" | "later" => Some(e + 1),
                "old" | "older" | "younger" => None,
                _ => Some(e),
            }
        };
        let ago = |e: usize| matches!(self.k(e), "ago" | "earlier" | "later");
        if matches!(k, "a" | "an") {
            let mut j = i + 1;
            if matches!(self.k(j), "quarter" | "half" | "few") {
                j += 1;
            } else if self.k(j) == "couple" && self.k(j + 1) == "of" {
                j += 2;
            }
            if !date_unit(self.k(j)) {
                return None;
            }
            if ago(j + 1) {
                return Some(j + 2);
            }
            // a duration, "for a year", "a decade of work"; not a rate: "twice a day", "four crossings a day"
            let rate = i > 0
                && (self.is_number(i - 1)
                    || matches!(self.k(i - 1), "once" | "twice" | "times" | "per")
                    || self.k(i - 1).ends_with('s'));
            return (j == i + 1 && date_unit_singular(self.k(j)) && !rate).then_some(j + 1);
        }
        if k == "half" && self.k(i + 1) == "a" && date_unit(self.k(i + 2)) && ago(i + 3) {
            return Some(i + 4);
        }
        if date_unit(k) && k.ends_with('s') && ago(i + 1) {
            return Some(i + 2);
        }
        if self.after_name(i) {
            return None;
        }
        let c = self.quantity(i)?;
        let seasons = matches!(self.k(c), "springs" | "summers" | "autumns" | "winters");
        if c > i
            && (date_unit(self.k(c)) || seasons)
            && (ago(c + 1) || !matches!(k, "few" | "several" | "many"))
        {
            return after(c);
        }
        None
    }

    /// A lone year: "in 2011", "a 2011 revolt", "2010-2012". Not a count ("2000 people") and not
    /// part of a name ("Euro 2020").
    fn year_date(&self, i: usize) -> Option<usize> {
        if self.after_name(i) {
            return None;
        }
        let next = self.k(i + 1);
        if matches!(next, "-" | "–" | "to")
            && (self.year(i + 2)
                || next != "to" && self.glued(i + 2) && small_int(self.k(i + 2), 2).is_some())
        {
            return Some(i + 3);
        }
        let prev = if i > self.start { self.k(i - 1) } else { "" };
        let temporal = matches!(
            prev,
            "in" | "since"
                | "by"
                | "until"
                | "till"
                | "from"
                | "of"
                | "during"
                | "before"
                | "after"
                | "early"
                | "late"
                | "mid"
                | "around"
                | "circa"
                | "through"
                | "to"
                | "and"
                | "between"
        );
        let counted = next == "%"
            || next == "percent"
            || matches!(next, "people" | "men" | "women" | "children" | "police" | "personnel" | "staff")
            || (next.len() > 3
                && next.ends_with('s')
                && !next.ends_with("ss")
                && self.tokens.get(i + 1).is_some_and(|t| t.kind == TokenKind::Word)
                && !self.capitalized(i + 1));
        if counted && !temporal {
            return None;
        }
        Some(i + 1)
    }

    /// One hyphenated token: "year-long", "two-year", "10-day", "mid-2019", "mid-January".
    fn hyphen_date(&self, i: usize) -> Option<usize> {
        let k = self.k(i);
        if let Some(rest) = k.strip_prefix("mid-") {
            let ok = year(rest) || decade(rest) || lexicon::months().contains(rest) && rest.len() > 3;
            return ok.then_some(i + 1);
        }
        let mut parts = k.split('-');
        let first = parts.next()?;
        let second = parts.next()?;
        let third = parts.next();
        if parts.next().is_some() {
            return None;
        }
        if date_unit_singular(first) && second == "long" && third.is_none() {
            return Some(i + 1);
        }
        let counted =
            small_int(first, 4).is_some() || lexicon::number_words().contains(first) || first == "multi";
        let ok = counted && date_unit_singular(second) && matches!(third, None | Some("long"));
        ok.then_some(i + 1)
    }

    fn ordinal(&self, i: usize) -> Option<usize> {
        let k = self.k(i);
        let ok = self.is(i, class::ORDINAL)
            || self.is_number(i) && numeric_ordinal(k).is_some() && !self.after_name(i);
        ok.then_some(i + 1)
    }

    fn cardinal(&self, i: usize) -> Option<usize> {
        if self.after_name(i) || matches!(self.k(i), "a" | "an") {
            return None;
        }
        if self.is_number(i) {
            // "No. 3" and "#3" are numbers of a name; a number glued to a word is a code ("4G")
            let prev = if i > self.start { self.raw(i - 1) } else { "" };
            if matches!(prev, "No." | "#") {
                return None;
            }
        }
        self.count(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sentence::split_sentences;
    use crate::token::tokenize;

    fn values(text: &str) -> Vec<(String, &'static str)> {
        let toks = tokenize(text);
        let sents = split_sentences(text, &toks);
        find_values(text, &toks, &sents)
            .iter()
            .map(|e| (text[e.span].to_string(), e.label.as_str()))
            .collect()
    }

    fn check(cases: &[(&str, &[(&str, &str)])]) {
        for (text, want) in cases {
            let got = values(text);
            let want: Vec<(String, &str)> = want.iter().map(|&(s, l)| (s.to_string(), l)).collect();
            assert_eq!(got, want, "values in {text:?}");
        }
    }

    #[test]
    fn classes_match_the_word_lists() {
        let text =
            "USD usd Usd dollars Dollars DOLLARS mondays Mondays twenty-five twenty- five-ish a.m. Jan. \
                    international internationals This first 2020 $ € Déjà naïve-two";
        let toks = tokenize(text);
        let keys = keys(text, &toks);
        let classes = classify(text, &toks, &keys);
        for (i, t) in toks.iter().enumerate() {
            let (raw, k, c) = (&text[t.span], keys.get(i), classes[i]);
            let has = |bit: u16| c & bit != 0;
            assert_eq!(has(class::RAW_CURRENCY), lexicon::currencies().contains(raw), "{raw}");
            assert_eq!(has(class::CURRENCY), lexicon::currencies().contains(k), "{raw}");
            assert_eq!(has(class::MONTH), lexicon::months().contains(k), "{raw}");
            assert_eq!(has(class::COMMON), lexicon::common_words().contains(k), "{raw}");
            assert_eq!(has(class::OPENER), k.contains('-') || opener_words().contains(k), "{raw}");
            assert_eq!(
                has(class::NUMBERS),
                !k.is_empty() && k.split('-').all(|p| lexicon::number_words().contains(p)),
                "{raw}"
            );
            let plural =
                k.len() > 6 && k.ends_with("days") && lexicon::weekdays().contains(&k[..k.len() - 1]);
            assert_eq!(
                has(class::WEEKDAY | class::WEEKDAYS),
                lexicon::weekdays().contains(k) || plural,
                "{raw}"
            );
            assert_eq!(has(class::CAP), raw.chars().next().is_some_and(char::is_uppercase), "{raw}");
        }
    }

    #[test]
    fn dates() {
        check(&[
            (
                "It happened on May 20, 2020 and May 20 2020.",
                &[("May 20, 2020", "DATE"), ("May 20 2020", "DATE")],
            ),
            ("Born 20 May 2020, released 2020-05-20.", &[("20 May 2020", "DATE"), ("2020-05-20", "DATE")]),
            (
                "We met on Monday in January and in January 2011.",
                &[("Monday", "DATE"), ("January", "DATE"), ("January 2011", "DATE")],
            ),
            ("Since 2011, and in the 1990s, prices rose.", &[("2011", "DATE"), ("1990s", "DATE")]),
            (
                "Over the past week and last week, next month, this year.",
                &[
                    ("past week", "DATE"),
                    ("last week", "DATE"),
                    ("next month", "DATE"),
                    ("this year", "DATE"),
                ],
            ),
            (
                "His year-long offensive began two years ago.",
                &[("year-long", "DATE"), ("two years ago", "DATE")],
            ),
            (
                "Tomorrow it ends, a quarter century ago it began.",
                &[("Tomorrow", "DATE"), ("a quarter century ago", "DATE")],
            ),
            ("Turkey escalated at the start of the year.", &[("start of the year", "DATE")]),
            ("Earlier this week a 2011 revolt was recalled.", &[("this week", "DATE"), ("2011", "DATE")]),
            (
                "The three-month truce ended in mid-2019, late January.",
                &[("three-month", "DATE"), ("mid-2019", "DATE"), ("late January", "DATE")],
            ),
            (
                "Results for the first quarter of 2020 came 10 days later.",
                &[("first quarter of 2020", "DATE"), ("10 days later", "DATE")],
            ),
            ("May I ask? Theresa May said so in May.", &[("May", "DATE")]),
        ]);
    }

    #[test]
    fn times() {
        check(&[
            ("It struck at 6:17 a.m. and again at 10pm.", &[("6:17 a.m.", "TIME"), ("10pm", "TIME")]),
            (
                "By noon, this morning and tonight.",
                &[("noon", "TIME"), ("this morning", "TIME"), ("tonight", "TIME")],
            ),
            (
                "On Sunday morning at 9 p.m. local time.",
                &[("Sunday morning", "TIME"), ("9 p.m. local time", "TIME")],
            ),
            ("It closes at 10:30 a.m. ET on Friday.", &[("10:30 a.m. ET", "TIME"), ("Friday", "DATE")]),
        ]);
    }

    #[test]
    fn money_and_percent() {
        check(&[
            (
                "A $1.2 billion deal, €50 and £3m.",
                &[("$1.2 billion", "MONEY"), ("€50", "MONEY"), ("£3m", "MONEY")],
            ),
            (
                "It cost US$5, 50 cents, 5 million dollars, $1.2bn.",
                &[
                    ("US$5", "MONEY"),
                    ("50 cents", "MONEY"),
                    ("5 million dollars", "MONEY"),
                    ("$1.2bn", "MONEY"),
                ],
            ),
            (
                "Output fell 90%, or 12 percent, or 12 per cent.",
                &[("90%", "PERCENT"), ("12 percent", "PERCENT"), ("12 per cent", "PERCENT")],
            ),
            ("Rates rose 5.5 percentage points.", &[("5.5 percentage points", "PERCENT")]),
        ]);
    }

    #[test]
    fn counts_and_ranks() {
        check(&[
            (
                "About 1,200 people and three dogs, two million in all.",
                &[("1,200", "CARDINAL"), ("three", "CARDINAL"), ("two million", "CARDINAL")],
            ),
            ("She came first, he came 20th.", &[("first", "ORDINAL"), ("20th", "ORDINAL")]),
            ("Some 2000 people came; 2,011 left.", &[("2000", "CARDINAL"), ("2,011", "CARDINAL")]),
        ]);
    }

    #[test]
    fn leaves_names_ages_and_hours() {
        check(&[
            ("Flight 8501 and six MiG 29s flew for 24 hours.", &[("six", "CARDINAL"), ("24", "CARDINAL")]),
            ("The 40-year-old man, 40 years old, left.", &[("40", "CARDINAL")]),
        ]);
    }
}
