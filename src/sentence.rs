//! Stage 2: tokens → sentences and paragraphs.
//!
//! A sentence ends after `.`, `!`, `?` or `…` (with any closing quote marks or brackets glued to
//! it) when the next token could start a sentence, and at every line break that is not a soft
//! wrap inside a sentence. A line break also starts a new paragraph: pasted articles mark
//! paragraphs with one newline as often as with a blank line. Abbreviations ("Mr.", "Jan.") and
//! initials never end a sentence. Sentences cover every token, in order, without gaps.

use crate::lexicon;
use crate::span::Span;
use crate::token::{Token, TokenKind};
use std::ops::Range;

/// One sentence: its span (first token start to last token end) and its token range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// From the first token's start to the last token's end.
    pub span: Span,
    /// Indices into the token list.
    pub tokens: Range<usize>,
    /// Index of the paragraph the sentence belongs to (0-based, in text order).
    pub paragraph: usize,
}

/// Groups `tokens` (from [`crate::token::tokenize`] on `text`) into sentences.
pub fn split_sentences(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut paragraph = 0;
    let mut i = 0;
    while i < tokens.len() {
        let mut end = i + 1; // exclusive end of the candidate sentence
        let mut boundary = false;
        let mut new_paragraph = false;
        if ends_sentence(text, tokens, i) {
            // glue closing quotes and brackets: `.”` `?)` `."'`
            while end < tokens.len() && !tokens[end].space_before && is_closer(text, &tokens[end]) {
                end += 1;
            }
            boundary = end == tokens.len() || can_start_sentence(text, &tokens[end]);
        }
        if end < tokens.len() {
            let gap = &text[tokens[end - 1].span.end..tokens[end].span.start];
            let lines = if gap == " " { 0 } else { line_breaks(gap) };
            if lines >= 2 || (lines == 1 && !is_soft_wrap(text, &tokens[end - 1], &tokens[end])) {
                boundary = true;
                new_paragraph = true;
            }
        }
        if boundary || end == tokens.len() {
            sentences.push(Sentence {
                span: Span::new(tokens[start].span.start, tokens[end - 1].span.end),
                tokens: start..end,
                paragraph,
            });
            start = end;
            if new_paragraph {
                paragraph += 1;
            }
        }
        i = end;
    }
    sentences
}

/// Line breaks in a stretch of whitespace; "\r\n" counts once.
fn line_breaks(gap: &str) -> usize {
    let breaks = gap.chars().filter(|&c| matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')).count();
    breaks - gap.matches("\r\n").count()
}

fn first_char(text: &str, t: &Token) -> char {
    text[t.span].chars().next().unwrap_or(' ')
}

fn ends_sentence(text: &str, tokens: &[Token], i: usize) -> bool {
    let t = &tokens[i];
    let s = &text[t.span];
    match t.kind {
        TokenKind::Punct => matches!(s, "." | "!" | "?" | "…"),
        // "U.S." or "a.m." can end a sentence; titles ("Mr.") and initials ("J.") cannot
        TokenKind::Word if s.ends_with('.') && s.len() > 2 => {
            let bare = &s[..s.len() - 1];
            !lexicon::is_abbreviation(bare) || ends_company_name(bare)
        }
        _ => false,
    }
}

/// Abbreviations that often close a sentence: "… shares of Acme Inc. The company said".
fn ends_company_name(word: &str) -> bool {
    matches!(word, "Inc" | "Corp" | "Ltd" | "Co" | "Bros" | "etc" | "Jr" | "Sr")
}

fn is_closer(text: &str, t: &Token) -> bool {
    t.kind == TokenKind::QuoteMark || matches!(&text[t.span], ")" | "]" | "}")
}

fn can_start_sentence(text: &str, t: &Token) -> bool {
    let c = first_char(text, t);
    c.is_uppercase()
        || c.is_numeric()
        || t.kind == TokenKind::QuoteMark
        || matches!(c, '(' | '[' | '—' | '-' | '•' | '*')
        || !c.is_alphabetic() && !matches!(c, ',' | ';' | ':' | ')' | '.')
}

/// A single newline inside a sentence: the line before does not end in sentence punctuation
/// and the next line goes on in lower case ("would look\nfor").
fn is_soft_wrap(text: &str, before: &Token, after: &Token) -> bool {
    let next = first_char(text, after);
    let last = text[before.span].chars().next_back().unwrap_or(' ');
    next.is_lowercase() && !matches!(last, '.' | '!' | '?' | ':')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::tokenize;

    fn sentences(text: &str) -> Vec<&str> {
        let toks = tokenize(text);
        split_sentences(text, &toks).iter().map(|s| &text[s.span]).collect()
    }

    #[test]
    fn splits_news_prose() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Mr. Smith left. He said “no.” Then he went.",
                &["Mr. Smith left.", "He said “no.”", "Then he went."],
            ),
            ("It rose 5.5 percent in the U.S. economy.", &["It rose 5.5 percent in the U.S. economy."]),
            ("Headline here\n\nBody text. More.", &["Headline here", "Body text.", "More."]),
            ("would look\nfor a way.", &["would look\nfor a way."]),
            ("“Is it?” she asked.", &["“Is it?” she asked."]),
            ("", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(&sentences(text), want, "splitting {text:?}");
        }
    }

    #[test]
    fn numbers_paragraphs() {
        let text = "One. Two.\n\nThree.\nFour.";
        let toks = tokenize(text);
        let paras: Vec<usize> = split_sentences(text, &toks).iter().map(|s| s.paragraph).collect();
        assert_eq!(paras, vec![0, 0, 1, 2]);
    }
}
