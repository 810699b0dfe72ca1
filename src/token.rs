//! Stage 1: text → tokens.
//!
//! Penn-Treebank-like, as the CoNLL-2003 data the names model learns from: possessive `'s`/`’s`
//! and `n't` are split off, punctuation is one token per char, numbers (`1,200.50`), known
//! abbreviations (`Mr.`, `U.S.`, `Jan.`), initials (`J.`) and hyphenated compounds
//! (`UN-recognised`) stay whole. Whitespace is never a token. Every char of the text that is
//! not whitespace belongs to exactly one token, and tokens are in text order.

use crate::lexicon;
use crate::span::Span;

/// What a token is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (possibly with digits, inner hyphens, apostrophes or periods): `Haftar`, `U.S.`, `COVID-19`.
    Word,
    /// Starts with a digit: `2020`, `1,200.50`, `6:17`, `20th`.
    Number,
    /// A quotation mark of any style: `" “ ” ‘ ’ ' « » „ ‚ ‹ ›` or a backtick.
    QuoteMark,
    /// Any other single char: punctuation, currency signs, emoji.
    Punct,
}

/// One token: its byte span and kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Where it is in the text.
    pub span: Span,
    /// What it is made of.
    pub kind: TokenKind,
    /// True when whitespace (or the start of text) precedes it.
    pub space_before: bool,
}

/// True for chars that open or close a quotation.
pub fn is_quote_mark(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '`'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '«'
            | '»'
            | '„'
            | '‚'
            | '‹'
            | '›'
            | '‟'
            | '‛'
            | '＂'
    )
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining(c)
}

/// Combining marks and joiners, which belong to the letter before them.
fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F | 0x200C | 0x200D)
}

/// Splits `text` into tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut space_before = true;
    while i < text.len() {
        if bytes[i] == b' ' {
            i += 1;
            space_before = true;
            continue;
        }
        let c = next_char(text, i);
        if c.is_whitespace() {
            i += c.len_utf8();
            space_before = true;
            continue;
        }
        let (end, kind) = if is_word_char(c) {
            scan_word(text, i)
        } else if is_quote_mark(c) {
            (i + c.len_utf8(), TokenKind::QuoteMark)
        } else if c == '.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) && !prev_is_word(text, i) {
            // ".5" as a number
            scan_word(text, i)
        } else {
            (i + c.len_utf8(), TokenKind::Punct)
        };
        // A word followed by 's / n't: split the clitic off as its own token.
        let split = if kind == TokenKind::Word { clitic_start(text, i, end) } else { None };
        match split {
            Some(cut) if cut > i => {
                tokens.push(Token { span: Span::new(i, cut), kind, space_before });
                tokens.push(Token { span: Span::new(cut, end), kind: TokenKind::Word, space_before: false });
            }
            _ => tokens.push(Token { span: Span::new(i, end), kind, space_before }),
        }
        space_before = false;
        i = end;
    }
    // The list lives as long as the document; the doubling growth above may leave half of it
    // unused, which for a 10 MB text is tens of MB of wasm memory that is never given back.
    tokens.shrink_to_fit();
    tokens
}

/// [`slice::partition_point`] started from `hint`, a result near the one sought (the previous
/// one, when the queries come in text order): a forward gallop from it, else a binary search below
/// it. The same result for any hint, when `pred` is true for a prefix of `items` and false after.
/// Over a long text's tokens, a binary search from the middle misses the cache at each step; the
/// entities of a document, in text order, each find their tokens a few entries on from the last.
pub fn partition_point_near<T>(items: &[T], hint: usize, pred: impl Fn(&T) -> bool) -> usize {
    let hint = hint.min(items.len());
    if hint > 0 && !pred(&items[hint - 1]) {
        return items[..hint].partition_point(pred);
    }
    let (mut lo, mut step) = (hint, 1);
    while lo + step <= items.len() && pred(&items[lo + step - 1]) {
        lo += step;
        step *= 2;
    }
    let hi = (lo + step).min(items.len());
    lo + items[lo..hi].partition_point(pred)
}

fn next_char(text: &str, i: usize) -> char {
    text[i..].chars().next().unwrap_or('\0')
}

fn prev_is_word(text: &str, i: usize) -> bool {
    text[..i].chars().next_back().is_some_and(is_word_char)
}

/// Scans a word or number starting at `start` (a word char); returns its end and kind.
fn scan_word(text: &str, start: usize) -> (usize, TokenKind) {
    let first = next_char(text, start);
    let kind = if first.is_ascii_digit() || first == '.' { TokenKind::Number } else { TokenKind::Word };
    let bytes = text.as_bytes();
    let mut end = start;
    let mut pos = start;
    while pos < text.len() {
        // ASCII letters and digits (most of a word) a byte at a time: the same as
        // `is_word_char`, without decoding a char
        let ascii_run = bytes[pos..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        if ascii_run > 0 {
            pos += ascii_run;
            end = pos;
            continue;
        }
        let c = next_char(text, pos);
        if is_word_char(c) {
            pos += c.len_utf8();
            end = pos;
            continue;
        }
        let next = text[pos + c.len_utf8()..].chars().next();
        let joins = match c {
            // inner hyphen or slash-free connectors: UN-recognised, 1,200.50, 6:17, AT&T, O'Brien
            '-' | '‐' | '–' if kind == TokenKind::Word => next.is_some_and(is_word_char),
            '-' if kind == TokenKind::Number => next.is_some_and(|n| n.is_alphabetic()),
            ',' | '.' | ':' if kind == TokenKind::Number => next.is_some_and(|n| n.is_ascii_digit()),
            '.' => next.is_some_and(is_word_char) && is_dotted_abbreviation(&text[start..pos]),
            '&' => {
                next.is_some_and(|n| n.is_uppercase()) && text[start..pos].chars().all(|c| c.is_uppercase())
            }
            '\'' | '’' => next.is_some_and(is_word_char),
            _ => false,
        };
        if !joins {
            break;
        }
        pos += c.len_utf8();
    }
    // A final period belongs to an abbreviation or an initial: "Mr.", "U.S.", "J."
    if kind == TokenKind::Word && text[end..].starts_with('.') {
        let word = &text[start..end];
        if is_dotted_abbreviation(word) || lexicon::is_abbreviation(word) || is_initial(word) {
            end += 1;
        }
    }
    (end, kind)
}

/// "U.S", "U.N", "a.m" — single letters joined by periods.
fn is_dotted_abbreviation(word: &str) -> bool {
    word.split('.').all(|part| part.chars().count() == 1 && part.chars().all(char::is_alphabetic))
}

fn is_initial(word: &str) -> bool {
    let mut cs = word.chars();
    matches!((cs.next(), cs.next()), (Some(c), None) if c.is_uppercase())
}

/// Where a possessive `'s` / `’s` or a negation `n't` starts inside the word `start..end`.
fn clitic_start(text: &str, start: usize, end: usize) -> Option<usize> {
    let word = &text[start..end];
    // every clitic ends in s, S, t or T: most words are passed at their last byte
    if !matches!(word.as_bytes().last(), Some(b's' | b'S' | b't' | b'T')) {
        return None;
    }
    for suffix in ["'s", "’s", "'S", "’S"] {
        if word.len() > suffix.len() && word.ends_with(suffix) {
            return Some(end - suffix.len());
        }
    }
    for suffix in ["n't", "n’t", "N'T", "N’T"] {
        if word.len() > suffix.len() && word.ends_with(suffix) {
            return Some(end - suffix.len());
        }
    }
    // A plural possessive ("Reuters'") needs no split: the apostrophe is never part of the word.
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| &text[t.span]).collect()
    }

    #[test]
    fn splits_like_conll() {
        let cases: &[(&str, &[&str])] = &[
            ("Haftar’s air force", &["Haftar", "’s", "air", "force"]),
            ("It doesn't matter.", &["It", "does", "n't", "matter", "."]),
            (
                "Mr. Smith paid $1,200.50 in the U.S. today.",
                &["Mr.", "Smith", "paid", "$", "1,200.50", "in", "the", "U.S.", "today", "."],
            ),
            ("UN-recognised, 90% at 6:17 a.m.", &["UN-recognised", ",", "90", "%", "at", "6:17", "a.m."]),
            ("“We won,” she said.", &["“", "We", "won", ",", "”", "she", "said", "."]),
            ("O'Brien and AT&T", &["O'Brien", "and", "AT&T"]),
            ("J. R. R. Tolkien", &["J.", "R.", "R.", "Tolkien"]),
            ("emoji 👍🏽 ok", &["emoji", "👍", "🏽", "ok"]),
            ("José Álvarez", &["José", "Álvarez"]),
            // ASCII runs and other chars mixed inside one word, and the joiners after each
            ("naïve Übermensch–like café’s Zoë-Ann", &["naïve", "Übermensch–like", "café", "’s", "Zoë-Ann"]),
            (".5 and 3.5-fold at 12:30, AT&Té", &[".5", "and", "3.5-fold", "at", "12:30", ",", "AT&Té"]),
        ];
        for (text, want) in cases {
            assert_eq!(&words(text), want, "tokenizing {text:?}");
        }
    }

    #[test]
    fn the_search_from_a_hint_is_the_binary_search_from_any_hint() {
        let text = "Mr. Smith paid $1,200.50 in the U.S. today. “We won,” she said of O'Brien's AT&T.";
        let tokens = tokenize(text);
        for byte in 0..=text.len() + 1 {
            let starts_before = |t: &Token| t.span.start < byte;
            let ends_by = |t: &Token| t.span.end <= byte;
            for hint in 0..=tokens.len() + 2 {
                assert_eq!(
                    partition_point_near(&tokens, hint, starts_before),
                    tokens.partition_point(starts_before),
                    "start < {byte} from {hint}"
                );
                assert_eq!(partition_point_near(&tokens, hint, ends_by), tokens.partition_point(ends_by));
            }
        }
        assert_eq!(partition_point_near(&[] as &[Token], 3, |_| true), 0);
    }

    #[test]
    fn every_non_space_char_is_in_one_token() {
        let text = "  a\u{0}b \r\n“x’’ 🎉--\u{2028}é\u{301} ";
        let toks = tokenize(text);
        let covered: usize = toks.iter().map(|t| t.span.len()).sum();
        let non_space: usize = text.chars().filter(|c| !c.is_whitespace()).map(char::len_utf8).sum();
        assert_eq!(covered, non_space);
        assert!(toks.windows(2).all(|w| w[0].span.end <= w[1].span.start));
    }
}
