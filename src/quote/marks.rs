//! Pairing quotation marks into quoted stretches.
//!
//! Input: the tokens of kind [`TokenKind::QuoteMark`] and the paragraph of every token. Output:
//! [`Stretch`]es (the content between an opening and a closing mark), outermost and nested, in
//! text order, each inside one paragraph.
//!
//! How a mark is read:
//! * Runs of apostrophe-like glyphs are merged first: `''` and ``` `` ``` are one double mark
//!   (New York Times style), `'''` is a double and a single mark.
//! * The *direction* comes from the context before the glyph (as CommonMark's flanking rules):
//!   a mark with a space (or punctuation) before and a letter after opens, a mark with a letter
//!   (or punctuation) before and a space or punctuation after closes. Only when the context says
//!   nothing does the glyph (`“` opens, `”` closes) or, for straight marks, the pairing state
//!   decide. So `„…“`, `»…«` and a misused `”Make…”` all pair.
//! * Single marks are apostrophes unless proven otherwise: `’90s`, `rock ’n’ roll`, `Reuters’`
//!   never open or close a quote, and a single opener that is not closed in its paragraph is
//!   dropped.
//! * Pairing is a small stack per paragraph. A closer pairs with the nearest open mark of its
//!   family (double or single); marks above it are dropped. At a paragraph end the outermost
//!   unclosed double quote becomes an `open_end` stretch; when the next paragraph opens with the
//!   same family it is a multi-paragraph quotation and the next stretch `continues` it. Nothing
//!   escapes a paragraph, so one odd mark never costs a quote elsewhere in the article.
//!
//! Linear time: every mark is pushed and popped at most once and the stack is capped.

use crate::sentence::Sentence;
use crate::span::Span;
use crate::token::{Token, TokenKind};

/// Double marks (`“ ” " '' « » „`) and single marks (`‘ ’ ' ‹ ›`) nest inside each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// `“ ” " '' `` « » „ ‟`
    Double,
    /// `‘ ’ ' ‚ ‛ ‹ ›`
    Single,
}

/// One quoted stretch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stretch {
    /// The opening mark; `None` when the stretch runs from its paragraph start (continuation).
    pub open: Option<Span>,
    /// The closing mark; `None` for an `open_end` stretch.
    pub close: Option<Span>,
    /// The content between the marks, whitespace trimmed.
    pub content: Span,
    /// Double or single marks.
    pub family: Family,
    /// 0 for an outermost quote, 1 inside another, ….
    pub depth: usize,
    /// Paragraph index (from [`Sentence::paragraph`]).
    pub paragraph: usize,
    /// Index of the first token of the content.
    pub first_token: usize,
    /// One past the index of the last token of the content.
    pub end_token: usize,
    /// True when this stretch continues the previous outermost stretch (multi-paragraph quote).
    pub continues: bool,
}

impl Stretch {
    /// True when no closing mark ends the stretch.
    pub fn open_end(&self) -> bool {
        self.close.is_none()
    }

    /// The stretch with its marks.
    pub fn outer(&self) -> Span {
        let start = self.open.map_or(self.content.start, |o| o.start);
        let end = self.close.map_or(self.content.end, |c| c.end);
        Span::new(start, end)
    }
}

/// The glyph class of a mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Glyph {
    /// Glyph says "opening": `“ „ ‘ ‚ « ‹` and a backtick.
    Opening,
    /// Glyph says "closing": `” ’ » ›`.
    Closing,
    /// Straight or symmetric: `" '` and `''`.
    Straight,
}

/// A mark after merging apostrophe runs.
#[derive(Clone, Copy, Debug)]
struct Mark {
    span: Span,
    family: Family,
    glyph: Glyph,
    /// Index of the (first) token.
    token: usize,
    /// One past the last token.
    token_end: usize,
    paragraph: usize,
    /// Context allows opening.
    can_open: bool,
    /// Context allows closing.
    can_close: bool,
    /// A single glyph that context marks as an apostrophe (`’90s`, `’n’`).
    apostrophe: bool,
    /// First token of its paragraph.
    para_initial: bool,
}

fn glyph_of(c: char) -> (Family, Glyph) {
    match c {
        '“' | '„' | '«' | '‟' => (Family::Double, Glyph::Opening),
        '”' | '»' => (Family::Double, Glyph::Closing),
        '"' | '＂' => (Family::Double, Glyph::Straight),
        '‘' | '‚' | '‹' | '‛' | '`' => (Family::Single, Glyph::Opening),
        '’' | '›' => (Family::Single, Glyph::Closing),
        _ => (Family::Single, Glyph::Straight), // '\''
    }
}

/// Apostrophe-like glyphs that double up into one double mark (`''`, ``` `` ```, `’’`, `‘‘`).
fn is_apostrophe_like(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | '`')
}

/// Elided words after a leading apostrophe: ’em, ’til, ’n’, ’cause.
const ELISIONS: &[&str] = &[
    "em", "n", "til", "till", "cause", "tis", "twas", "bout", "cuz", "nuff", "round", "kay", "ello", "im",
    "er",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Space,
    Punct,
    Word,
}

fn side(c: Option<char>) -> Side {
    match c {
        None => Side::Space,
        Some(c) if c.is_whitespace() => Side::Space,
        Some(c) if c.is_alphanumeric() => Side::Word,
        Some(_) => Side::Punct,
    }
}

/// Paragraph index of every token.
fn token_paragraphs(n: usize, sentences: &[Sentence]) -> Vec<usize> {
    let mut out = vec![0; n];
    for s in sentences {
        for i in s.tokens.clone() {
            if i < n {
                out[i] = s.paragraph;
            }
        }
    }
    out
}

/// Collects the marks, merging apostrophe runs (`''`, `'''`).
fn collect_marks(text: &str, tokens: &[Token], paras: &[usize]) -> Vec<Mark> {
    let mut marks = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        if t.kind != TokenKind::QuoteMark {
            i += 1;
            continue;
        }
        let c = text[t.span].chars().next().unwrap_or('"');
        // a run of glued apostrophe-like marks
        let mut j = i + 1;
        if is_apostrophe_like(c) {
            while j < tokens.len()
                && tokens[j].kind == TokenKind::QuoteMark
                && !tokens[j].space_before
                && tokens[j].span.start == tokens[j - 1].span.end
                && paras[j] == paras[i]
                && text[tokens[j].span].chars().next().is_some_and(is_apostrophe_like)
            {
                j += 1;
            }
        }
        let para_initial = i == 0 || paras[i - 1] != paras[i];
        let run = j - i;
        if run == 1 {
            let (family, glyph) = glyph_of(c);
            marks.push(new_mark(text, tokens, i, i + 1, family, glyph, paras[i], para_initial));
        } else {
            // split the run into double marks, with one single mark left over when odd; a leftover
            // single sits inside (after a double opener, before a double closer)
            let prev = text[..t.span.start].chars().next_back();
            // `''I` opens, `word'''` and `,''' said` close: after punctuation the next character decides
            let next = text[tokens[j - 1].span.end..].chars().next();
            let opening_run = match side(prev) {
                Side::Word => false,
                Side::Space => true,
                Side::Punct => side(next) == Side::Word,
            };
            let mut k = i;
            let mut remaining = run;
            if remaining % 2 == 1 && !opening_run {
                // closing run `'''`: single closer first, then the double
                let (family, glyph) = glyph_of(text[tokens[k].span].chars().next().unwrap_or('\''));
                marks.push(new_mark(text, tokens, k, k + 1, family, glyph, paras[i], para_initial && k == i));
                k += 1;
                remaining -= 1;
            }
            while remaining >= 2 {
                let first = text[tokens[k].span].chars().next().unwrap_or('\'');
                let glyph = match first {
                    '`' | '‘' => Glyph::Opening,
                    '’' => Glyph::Closing,
                    _ => Glyph::Straight,
                };
                marks.push(new_mark(
                    text,
                    tokens,
                    k,
                    k + 2,
                    Family::Double,
                    glyph,
                    paras[i],
                    para_initial && k == i,
                ));
                k += 2;
                remaining -= 2;
            }
            if remaining == 1 {
                let (family, glyph) = glyph_of(text[tokens[k].span].chars().next().unwrap_or('\''));
                marks.push(new_mark(text, tokens, k, k + 1, family, glyph, paras[i], false));
            }
        }
        i = j;
    }
    marks
}

#[allow(clippy::too_many_arguments)]
fn new_mark(
    text: &str,
    tokens: &[Token],
    first: usize,
    end: usize,
    family: Family,
    glyph: Glyph,
    paragraph: usize,
    para_initial: bool,
) -> Mark {
    let span = Span::new(tokens[first].span.start, tokens[end - 1].span.end);
    let prev = text[..span.start].chars().next_back();
    let next = text[span.end..].chars().next();
    let (p, n) = (side(prev), side(next));
    let can_open = n != Side::Space && p != Side::Word;
    let can_close = p != Side::Space && n != Side::Word;
    let mut apostrophe = false;
    if family == Family::Single {
        if can_open && !can_close {
            // ’90s, ’em, rock ’n’ roll: elision, not a quote (a curly ’ never opens)
            let rest = &text[span.end..];
            let word: String =
                rest.chars().take_while(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
            let digit = rest.chars().next().is_some_and(|c| c.is_ascii_digit());
            let elision =
                ELISIONS.contains(&word.as_str()) && word_ends_with_apostrophe_or_space(rest, word.len());
            apostrophe = digit || elision || glyph == Glyph::Closing;
        }
        if p == Side::Word && n == Side::Word {
            apostrophe = true;
        }
    }
    Mark {
        span,
        family,
        glyph,
        token: first,
        token_end: end,
        paragraph,
        can_open,
        can_close,
        apostrophe,
        para_initial,
    }
}

/// After an elided word: a space, the end, or another apostrophe (’n’) — not "’emergency".
fn word_ends_with_apostrophe_or_space(rest: &str, word_bytes: usize) -> bool {
    match rest.get(word_bytes..).and_then(|r| r.chars().next()) {
        None => true,
        Some(c) => !c.is_alphanumeric(),
    }
}

/// What a mark does, given the pairing state.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    Ignore,
}

const MAX_DEPTH: usize = 6;

/// Pairs the quotation marks of `text` into stretches, in order of their opening position.
pub fn find_stretches(text: &str, tokens: &[Token], sentences: &[Sentence]) -> Vec<Stretch> {
    let paras = token_paragraphs(tokens.len(), sentences);
    let marks = collect_marks(text, tokens, &paras);
    // first and one-past-last token of each paragraph
    let mut para_tokens: Vec<(usize, usize)> = Vec::new();
    for s in sentences {
        if para_tokens.len() <= s.paragraph {
            para_tokens.resize(s.paragraph + 1, (s.tokens.start, s.tokens.end));
        }
        para_tokens[s.paragraph].1 = s.tokens.end;
    }
    let mut out: Vec<Stretch> = Vec::new();
    let mut stack: Vec<Mark> = Vec::new();
    // the previous paragraph ended inside an outermost quote of this family
    let mut carried: Option<Family> = None;
    // the opener (byte) of a stretch that continues the previous paragraph's quote
    let mut continuing: Option<usize> = None;
    // an outermost stretch already closed in this paragraph
    let mut closed_in_para = false;
    let mut current_para = usize::MAX;
    // a single mark just ignored: glued to a double closer (`first,'''`), it belongs to the closer
    let mut ignored_single: Option<Span> = None;
    for (idx, m) in marks.iter().enumerate() {
        let glued_ignored = ignored_single.take().filter(|s| s.end == m.span.start);
        if m.paragraph != current_para {
            let left_open = if current_para == usize::MAX {
                None
            } else {
                flush_paragraph(
                    text,
                    tokens,
                    &mut stack,
                    current_para,
                    para_tokens[current_para].1,
                    continuing,
                    &mut out,
                )
            };
            carried =
                if current_para != usize::MAX && m.paragraph == current_para + 1 { left_open } else { None };
            continuing = None;
            current_para = m.paragraph;
            closed_in_para = false;
        }
        let _ = idx;
        if m.apostrophe {
            ignored_single = Some(m.span);
            continue;
        }
        let role = role_of(m, &stack);
        match role {
            Role::Ignore => ignored_single = Some(m.span),
            Role::Open => {
                if stack.len() >= MAX_DEPTH {
                    stack.remove(0); // keep the work bounded; a runaway stack is noise
                }
                if stack.is_empty() && m.para_initial && carried.is_some() {
                    continuing = Some(m.span.start);
                }
                stack.push(*m);
            }
            Role::Close => {
                let found = stack.iter().rposition(|o| o.family == m.family);
                // ‘ … ’’: a double closer may end a single-family outer quote
                let found = found.or_else(|| (m.family == Family::Double && stack.len() == 1).then_some(0));
                match found {
                    Some(k) => {
                        let open = stack[k];
                        // a stray single glued before the closer (`first,'''`: ignored, or taken
                        // for an opener) is part of the closing run
                        let glued_open = stack
                            .last()
                            .filter(|t| {
                                t.family == Family::Single
                                    && t.span.end == m.span.start
                                    && stack.len() > k + 1
                            })
                            .map(|t| t.span);
                        stack.truncate(k);
                        let (close, close_tok) = match glued_ignored.or(glued_open) {
                            Some(g)
                                if m.family == Family::Double
                                    && m.token > 0
                                    && tokens[m.token - 1].span == g =>
                            {
                                (Span::new(g.start, m.span.end), m.token - 1)
                            }
                            _ => (m.span, m.token),
                        };
                        if let Some(mut s) = make_stretch(
                            text,
                            tokens,
                            Some(open.span),
                            Some(close),
                            open.token_end,
                            close_tok,
                            open.family,
                            k,
                            m.paragraph,
                        ) {
                            s.continues = k == 0 && continuing == Some(open.span.start);
                            out.push(s);
                        }
                        if k == 0 {
                            closed_in_para = true;
                        }
                    }
                    None if m.family == Family::Double
                        && !closed_in_para
                        && carried == Some(Family::Double) =>
                    {
                        // a closer with nothing open: the rest of a quotation carried over from
                        // the previous paragraph, whose opener this paragraph left out
                        let first = para_tokens[m.paragraph].0;
                        if let Some(mut s) = make_stretch(
                            text,
                            tokens,
                            None,
                            Some(m.span),
                            first,
                            m.token,
                            Family::Double,
                            0,
                            m.paragraph,
                        ) {
                            s.continues = true;
                            out.push(s);
                        }
                        closed_in_para = true;
                        carried = None;
                    }
                    None => {}
                }
            }
        }
    }
    if current_para != usize::MAX {
        flush_paragraph(
            text,
            tokens,
            &mut stack,
            current_para,
            para_tokens[current_para].1,
            continuing,
            &mut out,
        );
    }
    out.sort_by_key(|s| (s.outer().start, s.depth));
    cut_unclosed(text, tokens, &mut out);
    out
}

/// An outermost quote left open at its paragraph end whose text goes on with an attribution
/// (`“A bad day, said Ben Tait.`) lost its closing mark: the quote ends at that comma, the
/// attribution is the reporter's again, and the next paragraph's quote does not continue it.
fn cut_unclosed(text: &str, tokens: &[Token], out: &mut [Stretch]) {
    for k in 0..out.len() {
        let s = &out[k];
        if s.depth != 0 || s.close.is_some() {
            continue;
        }
        let word = |i: usize| &text[tokens[i].span];
        let is_cue =
            |i: usize| tokens[i].kind == TokenKind::Word && crate::lexicon::is_reporting_verb(word(i));
        let is_subject = |i: usize| {
            tokens[i].kind == TokenKind::Word
                && (word(i).chars().next().is_some_and(char::is_uppercase)
                    || matches!(word(i), "he" | "she" | "they"))
        };
        let mut cut = None;
        for c in s.first_token..s.end_token {
            if word(c) != "," || c + 1 >= s.end_token {
                continue;
            }
            // ", said X" or ", X said" / ", X Y said"
            if is_cue(c + 1) && c + 2 < s.end_token && is_subject(c + 2) {
                cut = Some(c);
                break;
            }
            let mut j = c + 1;
            while j < s.end_token && j < c + 4 && is_subject(j) {
                j += 1;
            }
            if j > c + 1 && j < s.end_token && is_cue(j) {
                cut = Some(c);
                break;
            }
        }
        if let Some(c) = cut {
            let s = &mut out[k];
            s.content = Span::new(s.content.start, tokens[c].span.end);
            s.end_token = c + 1;
            if let Some(next) = out[k + 1..].iter_mut().find(|n| n.depth == 0) {
                next.continues = false;
            }
        }
    }
}

fn role_of(m: &Mark, stack: &[Mark]) -> Role {
    let open_same = stack.iter().any(|o| o.family == m.family);
    let by_state = if open_same { Role::Close } else { Role::Open };
    let role = match (m.can_open, m.can_close) {
        (true, false) => Role::Open,
        (false, true) => Role::Close,
        _ => match m.glyph {
            Glyph::Opening => Role::Open,
            Glyph::Closing => Role::Close,
            Glyph::Straight => by_state,
        },
    };
    // a single closer with no single quote open is an apostrophe (Reuters’, the ’90s)
    if m.family == Family::Single && role == Role::Close && !open_same {
        return Role::Ignore;
    }
    role
}

/// Ends a paragraph: the outermost unclosed quote becomes an open-ended stretch. Returns the
/// family of the quote left open, for a continuation in the next paragraph.
fn flush_paragraph(
    text: &str,
    tokens: &[Token],
    stack: &mut Vec<Mark>,
    para: usize,
    end_token: usize,
    continuing: Option<usize>,
    out: &mut Vec<Stretch>,
) -> Option<Family> {
    let mut left_open = None;
    if let Some(&bottom) = stack.first() {
        // single openers left open are apostrophes, unless one opens the paragraph
        if bottom.family == Family::Double || bottom.para_initial {
            if let Some(mut s) = make_stretch(
                text,
                tokens,
                Some(bottom.span),
                None,
                bottom.token_end,
                end_token,
                bottom.family,
                0,
                para,
            ) {
                s.continues = continuing == Some(bottom.span.start);
                out.push(s);
                left_open = Some(bottom.family);
            }
        }
    }
    stack.clear();
    left_open
}

#[allow(clippy::too_many_arguments)]
fn make_stretch(
    text: &str,
    tokens: &[Token],
    open: Option<Span>,
    close: Option<Span>,
    first_token: usize,
    end_token: usize,
    family: Family,
    depth: usize,
    paragraph: usize,
) -> Option<Stretch> {
    if first_token >= end_token {
        return None;
    }
    let start = open.map_or(tokens[first_token].span.start, |o| o.end);
    let end = close.map_or(tokens[end_token - 1].span.end, |c| c.start);
    if start >= end {
        return None;
    }
    let raw = &text[start..end];
    let lead = raw.len() - raw.trim_start().len();
    let trail = raw.len() - raw.trim_end().len();
    let content = Span::new(start + lead, end - trail);
    if content.is_empty() {
        return None;
    }
    Some(Stretch { open, close, content, family, depth, paragraph, first_token, end_token, continues: false })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sentence::split_sentences;
    use crate::token::tokenize;

    /// (content, depth, open_end, continues) of a stretch.
    type Row<'t> = (&'t str, usize, bool, bool);

    fn stretches(text: &str) -> Vec<Row<'_>> {
        let toks = tokenize(text);
        let sents = split_sentences(text, &toks);
        find_stretches(text, &toks, &sents)
            .iter()
            .map(|s| (&text[s.content], s.depth, s.open_end(), s.continues))
            .collect()
    }

    #[test]
    fn pairs_every_mark_style() {
        let cases: &[(&str, &[Row])] = &[
            ("“We won,” she said.", &[("We won,", 0, false, false)]),
            ("\"We won,\" she said.", &[("We won,", 0, false, false)]),
            ("''We won,'' she said.", &[("We won,", 0, false, false)]),
            ("``We won,'' she said.", &[("We won,", 0, false, false)]),
            ("‘We won,’ she said.", &[("We won,", 0, false, false)]),
            ("«Nous avons gagné», dit-elle.", &[("Nous avons gagné", 0, false, false)]),
            ("„Wir haben gewonnen“, sagte sie.", &[("Wir haben gewonnen", 0, false, false)]),
            ("He said ”Make it so,” and left.", &[("Make it so,", 0, false, false)]),
            (
                "“He told me ‘never again’ twice,” she said.",
                &[("He told me ‘never again’ twice,", 0, false, false), ("never again", 1, false, false)],
            ),
            ("‘She said “no”,’ he said.", &[("She said “no”,", 0, false, false), ("no", 1, false, false)]),
            (
                "''Read 'Hamlet' first,''' he said.",
                &[("Read 'Hamlet' first,", 0, false, false), ("Hamlet", 1, false, false)],
            ),
            (
                "''I would use the word 'old-school,''' said Ana.",
                &[("I would use the word 'old-school,'", 0, false, false), ("old-school,", 1, false, false)],
            ),
            (
                "''He said 'no.''' Then he left.",
                &[("He said 'no.'", 0, false, false), ("no.", 1, false, false)],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(&stretches(text), want, "pairing {text:?}");
        }
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        let cases = [
            "Haftar’s forces don't stop.",
            "The ’90s and the '80s were loud.",
            "They played rock ’n’ roll and rock 'n' roll.",
            "The Reuters' report and the players’ union.",
            "O'Brien said it's fine, y'all.",
        ];
        for text in cases {
            assert_eq!(stretches(text), vec![], "no quote in {text:?}");
        }
    }

    #[test]
    fn recovers_locally_and_continues_paragraphs() {
        // the unclosed quote ends its own paragraph; the next one still pairs
        let text = "He said “this never ends\n\nShe said “we won” today.";
        assert_eq!(stretches(text), vec![("this never ends", 0, true, false), ("we won", 0, false, false)]);
        // a multi-paragraph quote: open, reopened, closed
        let text = "“First part.\n\n“Second part.\n\n“Last part,” he said.";
        assert_eq!(
            stretches(text),
            vec![
                ("First part.", 0, true, false),
                ("Second part.", 0, true, true),
                ("Last part,", 0, false, true)
            ]
        );
        // a lost closing mark before an attribution
        let text = "“A bad day for us, said Ben Tait.\n\n“We were warned,” she said.";
        assert_eq!(
            stretches(text),
            vec![("A bad day for us,", 0, true, false), ("We were warned,", 0, false, false)]
        );
    }

    #[test]
    fn offsets_stay_right_around_astral_chars() {
        let text = "👍🏽 “Nice 🎉 work,” she said 👨‍👩‍👧.";
        let got = stretches(text);
        assert_eq!(got, vec![("Nice 🎉 work,", 0, false, false)]);
    }

    #[test]
    fn many_unmatched_marks_are_linear() {
        let text = "“a ".repeat(20_000) + &"” b ".repeat(5_000) + &"' \" ".repeat(5_000);
        let start = std::time::Instant::now();
        let _ = stretches(&text);
        assert!(start.elapsed().as_secs() < 5, "pairing took {:?}", start.elapsed());
    }
}
