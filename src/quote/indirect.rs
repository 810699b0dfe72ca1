//! Reported speech: "X said (that) …", "…, X said.", "according to X, …".
//!
//! One cue → content → source step per sentence, after the direct quotes are known. Precision
//! first: only cues from a strict list of verbs that take a clause (`quote_indirect_verbs.txt`),
//! only with a speaker found next to the cue, and only contents of at least four words. A cue that
//! already attributes a direct quote is not used again.

use super::speaker::{Context, Speaker};
use super::Quote;
use crate::lexicon;
use crate::span::Span;
use crate::token::TokenKind;

const MIN_WORDS: usize = 4;

/// Longer "sentences" are splitter failures (tables, lists, unpunctuated dumps), not prose:
/// scanning them once per cue would cost quadratic time, so they give no reported speech.
const MAX_SENTENCE_TOKENS: usize = 300;

/// Time and manner words that may stand between a cue and its clause: "said Tuesday that".
const BRIDGE: &[&str] = &[
    "on",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "tonight",
    "last",
    "week",
    "night",
    "morning",
    "evening",
    "afternoon",
    "in",
    "a",
    "an",
    "the",
    "statement",
    "interview",
    "recently",
    "earlier",
    "also",
    "later",
    "repeatedly",
    "again",
    "previously",
    "then",
    "privately",
    "publicly",
    "separately",
    "at",
    "during",
];

fn is_indirect_cue(ctx: &Context, i: usize) -> bool {
    ctx.is_cue(i) && lexicon::reporting_verb_lemma(ctx.lower_word(i)).is_some_and(lexicon::is_indirect_lemma)
}

fn count_words(ctx: &Context, a: usize, b: usize) -> usize {
    (a..b).filter(|&k| matches!(ctx.tokens[k].kind, TokenKind::Word | TokenKind::Number)).count()
}

/// Trims trailing sentence punctuation and a closing bracket from `a..b`.
fn trim_end(ctx: &Context, a: usize, mut b: usize) -> usize {
    while b > a && matches!(ctx.word(b - 1), "." | "!" | "?" | "," | ";" | ":" | "…" | "—" | "–" | "-")
    {
        b -= 1;
    }
    b
}

fn span_of(ctx: &Context, a: usize, b: usize) -> Span {
    Span::new(ctx.tokens[a].span.start, ctx.tokens[b - 1].span.end)
}

fn quote(ctx: &Context, a: usize, b: usize, cue: Span, speaker: Speaker, confidence: f32) -> Quote {
    Quote {
        span: span_of(ctx, a, b),
        speaker: Some(speaker.span),
        speaker_name: speaker.name,
        speaker_entity: speaker.entity,
        cue: Some(cue),
        direct: false,
        partial: false,
        open_end: false,
        headline: false,
        nested: false,
        group: None,
        confidence,
    }
}

/// Finds reported speech in every sentence; `used_cues[i]` is true when token `i` is a cue that
/// attributes a direct quote.
pub fn find(ctx: &Context, used_cues: &[bool]) -> Vec<Quote> {
    let mut out = Vec::new();
    for s in ctx.sentences {
        let (lo, hi) = (s.tokens.start, s.tokens.end);
        if hi <= lo || hi - lo > MAX_SENTENCE_TOKENS {
            continue;
        }
        // a sentence that is one direct quote with its attribution has nothing more to give
        let quoted = (lo..hi).filter(|&k| ctx.in_quote(k)).count();
        if quoted * 2 > hi - lo {
            continue;
        }
        if let Some(q) = sentence_indirect(ctx, lo, hi, used_cues) {
            out.push(q);
        }
    }
    out
}

fn sentence_indirect(ctx: &Context, lo: usize, hi: usize, used_cues: &[bool]) -> Option<Quote> {
    let end = trim_end(ctx, lo, hi);
    for i in lo..hi {
        if ctx.in_quote(i) || used_cues[i] {
            continue;
        }
        // "According to X, …" / "…, according to X."
        if ctx.is_according(i) {
            let speaker = ctx.np_starting(i + 2, hi)?;
            let cue = span_of(ctx, i, i + 2);
            if i == lo || i == lo + 1 && ctx.word(lo) == "But" {
                let comma = (speaker.tokens.1..end).find(|&k| ctx.word(k) == ",")?;
                let a = comma + 1;
                if count_words(ctx, a, end) >= MIN_WORDS && !ctx.in_quote(a) {
                    return Some(quote(ctx, a, end, cue, speaker, 0.6));
                }
            } else if i > lo && ctx.word(i - 1) == "," {
                let b = trim_end(ctx, lo, i);
                if count_words(ctx, lo, b) >= MIN_WORDS && !ctx.in_quote(lo) {
                    return Some(quote(ctx, lo, b, cue, speaker, 0.6));
                }
            }
            return None;
        }
        if !is_indirect_cue(ctx, i) {
            continue;
        }
        let cue = ctx.tokens[i].span;
        // "…, X said." / "…, said X."
        let after_words = count_words(ctx, i + 1, end);
        if i > lo + MIN_WORDS && after_words <= 8 {
            let subject = ctx.subject_before(i, lo);
            let (speaker, comma) = match subject {
                Some(sp) if sp.tokens.0 > lo && ctx.word(sp.tokens.0 - 1) == "," => {
                    let c = sp.tokens.0 - 1;
                    (Some(sp), Some(c))
                }
                Some(sp)
                    if sp.tokens.0 > lo + 1
                        && ctx.word(sp.tokens.0 - 2) == ","
                        && matches!(ctx.bare(sp.tokens.0 - 1), "the" | "a" | "an") =>
                {
                    let c = sp.tokens.0 - 2;
                    (Some(sp), Some(c))
                }
                None if ctx.word(i - 1) == "," => (ctx.np_starting(i + 1, hi), Some(i - 1)),
                _ => (None, None),
            };
            if let (Some(sp), Some(c)) = (speaker, comma) {
                let b = trim_end(ctx, lo, c);
                if count_words(ctx, lo, b) >= MIN_WORDS && !ctx.in_quote(lo) && !ctx.in_quote(b - 1) {
                    return Some(quote(ctx, lo, b, cue, sp, 0.65));
                }
                return None;
            }
        }
        // "X said (that) …"
        let Some(sp) = ctx.subject_before(i, lo) else { continue };
        let mut a = i + 1;
        let lemma = lexicon::reporting_verb_lemma(ctx.lower_word(i)).unwrap_or("");
        if matches!(lemma, "tell" | "assure" | "inform" | "reassure" | "warn" | "remind") {
            // the hearer: "told reporters", "told The Washington Post", "warned them"
            if a < end && ctx.is_cap(a) {
                while a < end && ctx.is_cap(a) {
                    a += 1;
                }
            } else if a < end && matches!(ctx.bare(a), "the" | "a" | "his" | "her" | "their") && a + 1 < end {
                a += 2;
            } else if a < end && ctx.bare(a) != "that" {
                a += 1;
            }
        }
        // "said Tuesday that …", "said in a statement that …"
        if let Some(t) = (a..end.min(a + 8)).find(|&k| ctx.bare(k) == "that" && !ctx.in_quote(k)) {
            if (a..t).all(|k| {
                BRIDGE.contains(&ctx.bare(k)) || ctx.is_cap(k) || ctx.tokens[k].kind == TokenKind::Number
            }) {
                a = t;
            }
        }
        if a >= end
            || matches!(ctx.word(a), ":" | "," | "." | "?" | "!")
            || ctx.tokens[a].kind == TokenKind::QuoteMark
        {
            continue;
        }
        if matches!(
            ctx.bare(a),
            "to" | "of"
                | "about"
                | "for"
                | "so"
                | "it"
                | "this"
                | "nothing"
                | "something"
                | "yes"
                | "no"
                | "in"
                | "on"
                | "at"
                | "with"
                | "by"
                | "from"
        ) && lemma != "add"
        {
            continue;
        }
        // stop at a following attribution of a direct quote or a second clause cue
        let b =
            (a..end).find(|&k| used_cues[k]).map_or(end, |k| trim_end(ctx, a, k.saturating_sub(1).max(a)));
        if b > a && count_words(ctx, a, b) >= MIN_WORDS {
            return Some(quote(ctx, a, b, cue, sp, 0.6));
        }
    }
    None
}
