//! From quoted stretches to attributed [`Quote`]s: which stretches are quotes, partial quotes or
//! scare quotes, and who said each.
//!
//! For every outermost stretch the rules look, in order:
//! 1. after the closing mark, up to the end of the sentence or the next quote (`,” he said`);
//! 2. before the opening mark, back to the start of the sentence or the previous quote
//!    (`He said: “`, and for a partial quote a cue earlier in the sentence);
//! 3. for a quote with no cue of its own: the previous quote of the same paragraph (`“A,” he
//!    said. “B.”`), a cue in the previous sentence (`Trump said Tuesday. “…”`), and for a quote that
//!    opens its paragraph the last attribution of the previous paragraph (continuing quotes).

use super::marks::Stretch;
use super::speaker::{Attribution, Context, Speaker};
use super::{Quote, Quotes};
use crate::entity::Entity;
use crate::lexicon;
use crate::link::Links;
use crate::sentence::Sentence;
use crate::span::Span;
use crate::token::{partition_point_near, Token, TokenKind};

/// Where a quote's attribution came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    /// Its own sentence.
    Local,
    /// The quote at this index (previous in the paragraph, or continued).
    Quote(usize),
    /// A sentence with a cue but no quote.
    Sentence,
    /// Nothing found.
    None,
}

/// What stands before a quote's opening mark in its sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Before {
    Nothing,
    Colon,
    Comma,
    Cue,
    Word,
}

struct Found {
    att: Option<Attribution>,
    source: Source,
    partial: bool,
    scare: bool,
}

/// Index of the first token starting at or after `byte`, searched from `near` (a token index
/// close before it: [`partition_point_near`], the same result from any hint).
fn tok_at(tokens: &[Token], byte: usize, near: usize) -> usize {
    partition_point_near(tokens, near, |t| t.span.start < byte)
}

/// Attributes the outermost stretches; nested short ones become scare quotes.
pub fn attribute(
    text: &str,
    tokens: &[Token],
    sentences: &[Sentence],
    entities: &[Entity],
    stretches: &[Stretch],
    links: &Links,
) -> Quotes {
    let outer: Vec<&Stretch> = stretches.iter().filter(|s| s.depth == 0).collect();
    let quoted: Vec<Span> = outer.iter().map(|s| s.outer()).collect();
    let ctx = Context::new(text, tokens, sentences, entities, &quoted, links);
    let mut out = Quotes::default();
    // paragraph token ranges
    let mut para_range: Vec<(usize, usize)> = Vec::new();
    for s in sentences {
        if para_range.len() <= s.paragraph {
            para_range.resize(s.paragraph + 1, (s.tokens.start, s.tokens.end));
        }
        para_range[s.paragraph].1 = s.tokens.end;
    }
    // the last sentence of each paragraph
    let mut last_sentence: Vec<Option<usize>> = vec![None; para_range.len()];
    for (si, s) in sentences.iter().enumerate() {
        last_sentence[s.paragraph] = Some(si);
    }
    let headline = headline_paragraphs(&ctx, &para_range);
    let open_tok: Vec<usize> = outer
        .iter()
        .map(|q| q.open.map_or(q.first_token, |o| tok_at(tokens, o.start, q.first_token.saturating_sub(2))))
        .collect();
    let after_tok: Vec<usize> =
        outer.iter().map(|q| q.close.map_or(q.end_token, |c| tok_at(tokens, c.end, q.first_token))).collect();
    let mut found: Vec<Found> = Vec::with_capacity(outer.len());
    for (qi, q) in outer.iter().enumerate() {
        let (pstart, pend) = para_range[q.paragraph];
        let prev_same_para = qi > 0 && outer[qi - 1].paragraph == q.paragraph;
        let next_open = if qi + 1 < outer.len() && outer[qi + 1].paragraph == q.paragraph {
            open_tok[qi + 1]
        } else {
            pend
        };
        let o = open_tok[qi];
        let sent_start = sentences[ctx.sentence_of(o.min(tokens.len() - 1))].tokens.start;
        let lo = if prev_same_para { after_tok[qi - 1].max(sent_start) } else { sent_start.max(pstart) };
        let lo = lo.min(o);
        let a = after_tok[qi];
        let hi = next_open.max(a);

        let before = before_kind(&ctx, lo, o);
        let post = post_attribution(&ctx, a, hi);
        let post_has_speaker = post.as_ref().is_some_and(|p| p.speaker.is_some());
        let pre = if !post_has_speaker { pre_attribution(&ctx, lo, o, before) } else { None };
        let mut local = match (post.clone(), pre) {
            (Some(p), _) if p.speaker.is_some() => Some(p),
            (_, Some(q)) if q.speaker.is_some() => Some(q),
            (Some(p), _) if !is_participle(&ctx, p.cue) => Some(p),
            (p, q) => q.or(p),
        };
        if let Some(l) = local.as_mut().filter(|l| l.speaker.is_none() && is_participle(&ctx, l.cue)) {
            // “…,” adding, “…”: the subject of the sentence, before an earlier quote of it
            let prev_in_sentence = prev_same_para && after_tok[qi - 1] > sent_start;
            l.speaker = if prev_in_sentence {
                found[qi - 1].att.as_ref().and_then(|a| a.speaker.clone())
            } else {
                None
            }
            .or_else(|| clause_subject(&ctx, sent_start.max(pstart), o, false));
        }
        let content_words = (q.first_token..q.end_token)
            .filter(|&i| matches!(tokens[i].kind, TokenKind::Word | TokenKind::Number))
            .count();
        let starts_upper = text[q.content]
            .chars()
            .find(|c| c.is_alphanumeric())
            .is_some_and(|c| c.is_uppercase() || c.is_numeric());
        let last = text[q.content].chars().next_back().unwrap_or(' ');
        let ends_clause = matches!(last, ',' | '?' | '!' | '.' | '…' | '-' | '—');
        let para_initial = o == pstart || q.open.is_none();
        let partial = match before {
            Before::Nothing | Before::Colon | Before::Comma => false,
            Before::Cue => !starts_upper,
            Before::Word => !para_initial,
        };
        // headlines are title case: a capitalised quote there is no title
        let in_headline = headline.contains(&q.paragraph);
        let title_like = is_title_like(&ctx, q) && !(in_headline && content_words >= 3);
        let cue_found = local.as_ref().is_some_and(|l| l.cue.is_some());
        // a short quote is a scare quote unless it is a whole utterance: “Sure,” she said.
        let utterance = !partial && ends_clause && starts_upper;
        let scare = local.is_none() && !utterance && (content_words <= 2 || partial && content_words <= 3)
            || title_like
                && !(before == Before::Nothing && cue_found && ends_clause)
                && !(before == Before::Colon && cue_found);
        let mut f = Found { att: local, source: Source::Local, partial, scare };
        if f.att.is_none() && !scare {
            // 3a. the previous quote of the paragraph, or the quote this one continues
            let after_quote = prev_same_para && found[qi - 1].att.is_some() && !found[qi - 1].scare;
            if after_quote || q.continues && qi > 0 {
                f.att = found[qi - 1].att.clone();
                f.source = Source::Quote(qi - 1);
            } else if !partial {
                // 3b. the previous sentence of the paragraph, when the quote starts its sentence
                let si = ctx.sentence_of(o.min(tokens.len() - 1));
                if sent_start == o && si > 0 && sentences[si - 1].paragraph == q.paragraph {
                    if let Some(att) = sentence_attribution(&ctx, &sentences[si - 1]) {
                        f.att = Some(att);
                        f.source = Source::Sentence;
                    }
                }
                // 3c. a quote opening its paragraph continues the previous paragraph's speaker
                // (never a headline's)
                if f.att.is_none()
                    && para_initial
                    && q.paragraph > 0
                    && !in_headline
                    && !headline.contains(&(q.paragraph - 1))
                {
                    let prev_para = q.paragraph - 1;
                    if let Some(last_sent) = last_sentence.get(prev_para).copied().flatten() {
                        let ls = &sentences[last_sent];
                        let prev_q = (0..qi)
                            .rev()
                            .take_while(|&k| outer[k].paragraph >= prev_para)
                            .find(|&k| outer[k].paragraph == prev_para && !found[k].scare);
                        let quote_in_last = prev_q
                            .is_some_and(|k| after_tok[k] >= ls.tokens.start && open_tok[k] <= ls.tokens.end);
                        if let (Some(k), true) = (prev_q, quote_in_last || ends_with_colon(&ctx, ls)) {
                            if found[k].att.is_some() && !found[k].partial {
                                f.att = found[k].att.clone();
                                f.source = Source::Quote(k);
                            }
                        }
                        if f.att.is_none() {
                            if let Some(att) = sentence_attribution(&ctx, ls) {
                                f.att = Some(att);
                                f.source = Source::Sentence;
                            }
                        }
                        if f.att.is_none() && ends_with_colon(&ctx, ls) {
                            // "Sanders made the following comment:" ¶ “…”: the sentence's subject
                            let (a, b) = (ls.tokens.start, ls.tokens.end - 1);
                            // only someone the linker knows ("Partial transcript as follows:" is nobody)
                            if let Some(sp) =
                                clause_subject(&ctx, a, b, false).filter(|sp| sp.entity.is_some())
                            {
                                f.att = Some(Attribution { cue: None, speaker: Some(sp) });
                                f.source = Source::Sentence;
                            }
                        }
                    }
                }
            }
        }
        if f.att.is_none() && !scare {
            // 3d. a transcript paragraph: "TRUMP: … “…” …"
            if let Some(sp) = transcript_label(&ctx, pstart, pend) {
                f.att = Some(Attribution { cue: None, speaker: Some(sp) });
            }
        }
        if f.att.is_none() {
            f.source = Source::None;
        }
        found.push(f);
    }
    // groups: parts of one quotation
    let mut group_of: Vec<Option<usize>> = vec![None; outer.len()];
    let mut next_group = 0;
    for qi in 0..outer.len() {
        let link = match found[qi].source {
            Source::Quote(k) if !found[qi].partial && !found[k].partial => Some(k),
            Source::Local if qi > 0 && !found[qi].partial && !found[qi - 1].partial => {
                // “A,” she said, “B.”: the same cue attributes both parts
                let same_cue = matches!((&found[qi].att, &found[qi - 1].att), (Some(x), Some(y)) if x.cue.is_some() && x.cue == y.cue);
                same_cue.then_some(qi - 1)
            }
            _ => None,
        };
        if outer[qi].continues && qi > 0 {
            group_of[qi] = Some(group_of[qi - 1].unwrap_or_else(|| {
                group_of[qi - 1] = Some(next_group);
                next_group += 1;
                next_group - 1
            }));
            continue;
        }
        if let Some(k) = link {
            let g = match group_of[k] {
                Some(g) => g,
                None => {
                    group_of[k] = Some(next_group);
                    next_group += 1;
                    next_group - 1
                }
            };
            group_of[qi] = Some(g);
        }
    }
    // (each quote once, without a second copy of the found ones' names; on a long text these
    // lists are part of the quote stage's memory peak)
    out.quotes.reserve_exact(found.iter().filter(|f| !f.scare).count());
    for ((qi, q), f) in outer.iter().enumerate().zip(found) {
        if f.scare {
            out.scare_quotes.push(q.content);
            continue;
        }
        let (speaker, name, entity, cue) = match f.att {
            Some(att) => match att.speaker {
                Some(s) => (Some(s.span), s.name, s.entity, att.cue),
                None => (None, None, None, att.cue),
            },
            None => (None, None, None, None),
        };
        let mut confidence: f32 = match (f.source, speaker.is_some()) {
            (Source::Local, true) => 0.9,
            (Source::Quote(_), true) => 0.8,
            (Source::Sentence, true) => 0.7,
            _ => 0.6,
        };
        if f.partial {
            confidence -= 0.1;
        }
        if speaker.is_some() && name.is_none() {
            // a mention nobody could name ("he" with no antecedent, "a spokesman"): less certain
            confidence -= 0.1;
        }
        if q.close.is_none() && !q.continues {
            confidence -= 0.1;
        }
        out.quotes.push(Quote {
            span: q.content,
            speaker,
            speaker_name: name,
            speaker_entity: entity,
            cue,
            direct: true,
            partial: f.partial,
            open_end: q.close.is_none(),
            headline: headline.contains(&q.paragraph),
            nested: false,
            group: group_of[qi],
            confidence,
        });
    }
    // groups with one member are no groups; renumber in text order (groups are numbered
    // 0..next_group, so plain vectors index them)
    let mut counts = vec![0usize; next_group];
    for q in &out.quotes {
        if let Some(g) = q.group {
            counts[g] += 1;
        }
    }
    let mut renumber: Vec<Option<usize>> = vec![None; next_group];
    let mut renumbered = 0;
    for q in &mut out.quotes {
        q.group = q.group.filter(|&g| counts[g] > 1).map(|g| {
            *renumber[g].get_or_insert_with(|| {
                renumbered += 1;
                renumbered - 1
            })
        });
    }
    // reported speech, with cues the direct quotes left unused (a flag per token)
    let mut used = vec![false; tokens.len()];
    // a partial quote's cue also introduces the reported clause around it ("Ryan said the
    // shootings demand “more listening”"): only whole quotes use their cue up
    let mut near = 0; // (the quotes are in text order, and so, nearly, their cues)
    for c in out.quotes.iter().filter(|q| !q.partial).filter_map(|q| q.cue) {
        near = tok_at(tokens, c.start, near);
        if let Some(u) = used.get_mut(near) {
            *u = true;
        }
    }
    let indirect = super::indirect::find(&ctx, &used);
    if !indirect.is_empty() {
        out.quotes.extend(indirect);
        out.quotes.sort_by_key(|q| (q.span.start, q.span.end));
    }
    // nested quotes: short expressions are scare quotes, utterances are quotes
    let mut nested = Vec::new();
    debug_assert!(out.quotes.is_sorted_by_key(|q| q.span.start), "nested_quote searches them");
    for s in stretches.iter().filter(|s| s.depth > 0) {
        // the outermost quotes do not overlap: the enclosing one is the last to open before it
        let k = outer.partition_point(|o| o.outer().start <= s.content.start);
        let Some(oi) = k.checked_sub(1).filter(|&oi| s.content.end <= outer[oi].outer().end) else {
            continue;
        };
        match nested_quote(&ctx, s, outer[oi], &out.quotes, headline.contains(&s.paragraph)) {
            Some(q) if q.cue.is_some() => nested.push(q),
            // A long nested quote that nothing in the outer quote attributes is left inside the
            // outer one: on PolNeAR dev 14 of 22 nested quotes were such, and none was gold on its own.
            Some(_) => {}
            None => out.scare_quotes.push(s.content),
        }
    }
    if !nested.is_empty() {
        out.quotes.extend(nested);
        out.quotes.sort_by_key(|q| (q.span.start, q.span.end));
    }
    out.scare_quotes.sort();
    out.scare_quotes.dedup();
    out
}

/// The headline paragraphs: the first paragraph when it is a short line without final sentence
/// punctuation, and the second too (a sub-headline) when the first is one and it is another.
fn headline_paragraphs(ctx: &Context, para_range: &[(usize, usize)]) -> Vec<usize> {
    let is_headline = |&(a, b): &(usize, usize)| {
        if b <= a || b - a > 40 {
            return false;
        }
        let span = Span::new(ctx.tokens[a].span.start, ctx.tokens[b - 1].span.end);
        if ctx.text[span].contains('\n') {
            return false;
        }
        let words = (a..b).filter(|&i| ctx.tokens[i].kind == TokenKind::Word).count();
        let mut last = b - 1;
        while last > a
            && (ctx.tokens[last].kind == TokenKind::QuoteMark || matches!(ctx.word(last), ")" | "]"))
        {
            last -= 1;
        }
        (1..=25).contains(&words) && !matches!(ctx.word(last), "." | "!" | "?" | "…" | ":" | ";")
    };
    let mut out = Vec::new();
    // a headline needs a body after it
    if para_range.len() >= 2 && is_headline(&para_range[0]) {
        out.push(0);
        if para_range.len() >= 3 && is_headline(&para_range[1]) {
            out.push(1);
        }
    }
    out
}

/// A quote inside the outer stretch `o`: with the speaker and cue the outer quote names for it
/// (“He told me ‘we are done,’” → "He", "told"), or without when it is long enough to be an
/// utterance. `None` for a short expression (a scare quote) or a quoted title.
fn nested_quote(ctx: &Context, s: &Stretch, o: &Stretch, quotes: &[Quote], headline: bool) -> Option<Quote> {
    let words = (s.first_token..s.end_token)
        .filter(|&i| matches!(ctx.tokens[i].kind, TokenKind::Word | TokenKind::Number))
        .count();
    let open = s.open.map_or(s.first_token, |m| tok_at(ctx.tokens, m.start, s.first_token.saturating_sub(2)));
    let after = s.close.map_or(s.end_token, |m| tok_at(ctx.tokens, m.end, s.first_token));
    let att = nested_attribution(ctx, open, after, o.first_token, o.end_token);
    let title = is_title_like(ctx, s);
    let content = &ctx.text[s.content];
    let starts_upper =
        content.chars().find(|c| c.is_alphanumeric()).is_some_and(|c| c.is_uppercase() || c.is_numeric());
    let ends_clause = content.chars().next_back().is_some_and(|c| matches!(c, ',' | '?' | '!' | '.' | '…'));
    // “They call it ‘progress’”: a short quote with a cue is an utterance only when it reads as one
    let utterance = starts_upper && ends_clause && !title;
    if title || att.is_none() && words <= 3 || att.is_some() && words <= 2 && !utterance {
        return None;
    }
    // (`quotes` is sorted by span: a search, not a scan per nested quote, which on a long text
    // was quadratic)
    let from = quotes.partition_point(|q| q.span.start < o.content.start);
    let outer = quotes[from..]
        .iter()
        .take_while(|q| q.span.start == o.content.start)
        .find(|q| q.direct && q.span == o.content);
    let (speaker, (entity, name), cue) = match att {
        // “The letter said ‘…’”: a document speaks, nobody is named
        Some((cue, (a, b))) if b == a + 1 && ctx.is_document(a) => {
            (None, (None, None), Some(ctx.tokens[cue].span))
        }
        Some((cue, (a, b))) => {
            let w = ctx.bare(a);
            let who = match lexicon::pronoun(w) {
                // the outer speaker speaking of himself: “I told them ‘no’”
                Some(_) if matches!(w, "i" | "we") => {
                    outer.map_or((None, None), |q| (q.speaker_entity, q.speaker_name.clone()))
                }
                // a pronoun inside a quote points into the quote's own story: nobody certain
                Some(_) => (None, None),
                None => ctx.resolve(a, b),
            };
            (
                Some(Span::new(ctx.tokens[a].span.start, ctx.tokens[b - 1].span.end)),
                who,
                Some(ctx.tokens[cue].span),
            )
        }
        None => (None, (None, None), None),
    };
    let confidence = if speaker.is_some() { 0.7 } else { 0.5 };
    Some(Quote {
        span: s.content,
        speaker,
        speaker_name: name,
        speaker_entity: entity,
        cue,
        direct: true,
        partial: false,
        open_end: s.close.is_none(),
        headline,
        nested: true,
        group: None,
        confidence,
    })
}

/// A cue and its subject inside an outer quote, around a nested one opening at token `open` and
/// ending before token `after`: `He told me ‘…’`, `‘…,’ he said`, `‘…,’ said Ana`. Stays inside
/// `lo..hi` (the outer content) and within the nested quote's sentence.
fn nested_attribution(
    ctx: &Context,
    open: usize,
    after: usize,
    lo: usize,
    hi: usize,
) -> Option<(usize, (usize, usize))> {
    let verb = |i: usize| ctx.tokens[i].kind == TokenKind::Word && !ctx.is_cap(i) && ctx.is_verb(i);
    let stop =
        |i: usize| matches!(ctx.word(i), "." | "!" | "?" | ";") || ctx.tokens[i].kind == TokenKind::QuoteMark;
    // before: the nearest cue in the same clause, then its subject
    let mut i = open;
    let mut steps = 0;
    while i > lo && steps < 8 {
        i -= 1;
        steps += 1;
        if stop(i) {
            break;
        }
        if verb(i) {
            if let Some(sp) = nested_subject_before(ctx, i, lo) {
                return Some((i, sp));
            }
            break;
        }
    }
    // after: `,’ he said` / `,’ said Ana`
    let mut j = after;
    while j < hi && matches!(ctx.word(j), "," | "—" | "–") {
        j += 1;
    }
    if j < hi && verb(j) {
        return nested_subject_after(ctx, j + 1, hi).map(|sp| (j, sp));
    }
    let sp_end = nested_subject_after(ctx, j, hi)?;
    (sp_end.1 < hi && verb(sp_end.1)).then_some((sp_end.1, sp_end))
}

/// A pronoun or capitalised name ending just before token `v` (adverbs skipped).
fn nested_subject_before(ctx: &Context, v: usize, lo: usize) -> Option<(usize, usize)> {
    let mut k = v;
    while k > lo
        && ctx.tokens[k - 1].kind == TokenKind::Word
        && !ctx.is_cap(k - 1)
        && (ctx.word(k - 1).ends_with("ly")
            || matches!(
                ctx.bare(k - 1),
                "also" | "then" | "just" | "once" | "had" | "has" | "have" | "never" | "always"
            ))
    {
        k -= 1;
    }
    if k <= lo || ctx.tokens[k - 1].kind != TokenKind::Word {
        return None;
    }
    let w = ctx.bare(k - 1);
    if matches!(w, "he" | "she" | "they" | "i" | "we" | "you") {
        return Some((k - 1, k));
    }
    let b = k;
    // “My neighbour said, ‘…’”: a noun after a determiner
    if !ctx.is_cap(k - 1)
        && k - 1 > lo
        && matches!(
            ctx.bare(k - 2),
            "my" | "our" | "his" | "her" | "their" | "your" | "the" | "a" | "an" | "one"
        )
    {
        return (!ctx.is_verb(k - 1) && w.chars().all(char::is_alphabetic)).then_some((k - 1, k));
    }
    let mut a = k;
    while a > lo && ctx.is_cap(a - 1) && b - a < 4 {
        a -= 1;
    }
    while a < b && (ctx.is_title(a) || ctx.is_not_name(a)) && a + 1 < b {
        a += 1;
    }
    (a < b && !ctx.is_not_name(a)).then_some((a, b))
}

/// A pronoun or capitalised name starting at token `i`.
fn nested_subject_after(ctx: &Context, i: usize, hi: usize) -> Option<(usize, usize)> {
    if i >= hi || ctx.tokens[i].kind != TokenKind::Word {
        return None;
    }
    let w = ctx.bare(i);
    if matches!(w, "he" | "she" | "they" | "i" | "we" | "you") {
        return Some((i, i + 1));
    }
    let mut a = i;
    while a < hi && ctx.is_title(a) && a + 1 < hi && ctx.is_cap(a + 1) {
        a += 1;
    }
    let mut b = a;
    while b < hi && ctx.is_cap(b) && b - a < 4 {
        b += 1;
    }
    (b > a && !ctx.is_not_name(a)).then_some((a, b))
}

/// What precedes the opening mark at token `o`, back to `lo`.
fn before_kind(ctx: &Context, lo: usize, o: usize) -> Before {
    if o <= lo {
        return Before::Nothing;
    }
    let p = o - 1;
    match ctx.word(p) {
        ":" | "—" | "–" | "-" | "(" | "[" => {
            return if ctx.word(p) == ":" { Before::Colon } else { Before::Comma }
        }
        "," | ";" => {
            // "that, “…”", "because, “…”": the quote continues the reporter's clause
            let conj = p > lo
                && matches!(
                    ctx.bare(p - 1),
                    "that"
                        | "because"
                        | "but"
                        | "and"
                        | "which"
                        | "while"
                        | "if"
                        | "when"
                        | "although"
                        | "since"
                        | "as"
                        | "or"
                );
            return if conj { Before::Word } else { Before::Comma };
        }
        _ => {}
    }
    if ctx.is_cue(p) {
        return Before::Cue;
    }
    if ctx.tokens[p].kind == TokenKind::Punct && matches!(ctx.word(p), "." | "!" | "?" | "…") {
        return Before::Nothing;
    }
    Before::Word
}

/// Attribution after a closing mark: `, said X`, `X said`, `X, the minister, said`, `— X`.
fn post_attribution(ctx: &Context, a: usize, hi: usize) -> Option<Attribution> {
    let mut i = a;
    let mut dash = false;
    while i < hi && matches!(ctx.word(i), "," | "—" | "–" | "-" | "(" | "--" | "―" | "―-") {
        dash |= !matches!(ctx.word(i), "," | "(");
        i += 1;
    }
    if i >= hi {
        return None;
    }
    if ctx.is_cue(i) || ctx.is_according(i) {
        let len = if ctx.is_according(i) { 2 } else { 1 };
        return Some(ctx.attribution_of_cue(i, i + len, i, hi));
    }
    if let Some((c0, c1)) = ctx.cue_forward(i, hi, 30) {
        if c1 - c0 == 1 {
            let cue = Some(ctx.tokens[c0].span);
            // the subject must open the segment: "Tulsa police Chief Chuck Jordan said", not
            // "when Clinton blasted"
            let opens = |from: usize| {
                (i..from).all(|k| {
                    // "the 80-year-old Gadea said"
                    ctx.tokens[k].kind == TokenKind::Number
                        || ctx.tokens[k].kind == TokenKind::Word
                            && !STOP_BEFORE_SUBJECT.contains(&ctx.bare(k))
                })
            };
            if let Some(sp) = ctx.subject_before(c0, i) {
                if sp.tokens.0 <= i + 6 && opens(sp.tokens.0) {
                    return Some(Attribution { cue, speaker: Some(sp) });
                }
            }
            // "X, the attorney general of Y, one of the states suing Z, said": the name that opens
            // the segment, followed by appositives
            if let Some(np) = ctx.np_starting(i, c0) {
                if np.tokens.1 < c0 && matches!(ctx.word(np.tokens.1), "," | "(") && ctx.is_cap(np.tokens.0) {
                    return Some(Attribution { cue, speaker: Some(np) });
                }
            }
            if opens(c0) && (i..c0).any(|k| ctx.is_document(k)) {
                // "the book said": a document speaks; nobody is named
                return Some(Attribution { cue, speaker: None });
            }
        }
    }
    if dash {
        let np = ctx.np_starting(i, hi)?;
        return Some(Attribution { cue: None, speaker: Some(np) });
    }
    None
}

/// Words that open a clause of the reporter's, not a speaker's noun phrase.
const STOP_BEFORE_SUBJECT: &[&str] = &[
    "when", "as", "after", "before", "while", "because", "if", "and", "but", "or", "that", "which", "who",
    "where", "since", "until", "though", "although", "so", "then", "than", "for", "to", "in", "on", "at",
    "with", "by", "from", "of", "about", "into", "is", "was", "are", "were",
];

/// Words that open an adverbial phrase before a sentence's subject.
const INTRO: &[&str] = &[
    "in",
    "after",
    "before",
    "when",
    "as",
    "during",
    "while",
    "on",
    "at",
    "following",
    "despite",
    "asked",
    "speaking",
    "since",
    "for",
    "with",
    "without",
    "although",
    "though",
    "if",
    "because",
    "amid",
    "earlier",
    "later",
    "last",
    "yesterday",
    "today",
    "instead",
];

/// A participle cue ("adding", "saying") has no subject of its own: the clause's subject speaks.
fn is_participle(ctx: &Context, c: Option<Span>) -> bool {
    c.is_some_and(|c| ctx.text[c].ends_with("ing"))
}

/// The subject of the sentence around token `i`: the first (or with `last`, the last) name or
/// pronoun not inside a prepositional phrase, before `i`.
fn clause_subject(ctx: &Context, lo: usize, i: usize, last: bool) -> Option<Speaker> {
    if last {
        return (lo..i).rev().find_map(|k| subject_at(ctx, lo, k, i));
    }
    // "In response to X, Y rallied supporters, saying": the subject follows the opening phrase
    let mut from = lo;
    if lo < i && INTRO.contains(&ctx.bare(lo)) {
        if let Some(c) = (lo + 1..i.min(lo + 30)).find(|&k| ctx.word(k) == "," && !ctx.in_quote(k)) {
            from = c + 1;
        }
    }
    (from..i)
        .find_map(|k| subject_at(ctx, from, k, i))
        .or_else(|| (from > lo).then(|| (lo..from).find_map(|k| subject_at(ctx, lo, k, i))).flatten())
}

fn subject_at(ctx: &Context, lo: usize, k: usize, i: usize) -> Option<Speaker> {
    if ctx.in_quote(k)
        || ctx.is_place_or_misc(k)
        || k > lo
            && matches!(
                ctx.bare(k - 1),
                "in" | "at"
                    | "of"
                    | "on"
                    | "for"
                    | "with"
                    | "by"
                    | "to"
                    | "during"
                    | "after"
                    | "before"
                    | "from"
                    | "about"
                    | "against"
                    | "than"
                    | "like"
            )
    {
        return None;
    }
    let w = ctx.bare(k);
    if matches!(w, "he" | "she" | "they" | "i" | "we") {
        return ctx.np_range(k, k + 1, false);
    }
    // the first name word of a capitalised run: after "Mr." or "Then" too
    let run_start = k == lo || !ctx.is_cap(k - 1) || ctx.is_not_name(k - 1) || ctx.is_title(k - 1);
    if ctx.is_cap(k) && !ctx.is_not_name(k) && run_start {
        return ctx.np_starting(k, i);
    }
    None
}

/// Attribution before an opening mark: `X said: “`, `According to X, “`, `X: “`, or a cue earlier
/// in the sentence.
fn pre_attribution(ctx: &Context, lo: usize, o: usize, before: Before) -> Option<Attribution> {
    if o <= lo {
        return None;
    }
    let mut i = o;
    let mut steps = 0;
    while i > lo && steps < 40 {
        i -= 1;
        steps += 1;
        if ctx.in_quote(i) {
            continue;
        }
        if i + 1 < o && ctx.is_according(i) {
            return Some(ctx.attribution_of_cue(i, i + 2, lo, o));
        }
        if i > lo
            && i + 3 >= o
            && ctx.bare(i - 1) == "to"
            && ctx.is_verb(i)
            && (i + 1..o).all(|k| matches!(ctx.word(k), "," | ":"))
        {
            // "He went on to say, “…”", "went so far as to say: “…”"
            return Some(Attribution {
                cue: Some(ctx.tokens[i].span),
                speaker: clause_subject(ctx, lo, i, false),
            });
        }
        if ctx.is_cue(i) {
            let att = ctx.attribution_of_cue(i, i + 1, lo, o);
            if att.speaker.is_none() && is_participle(ctx, att.cue) {
                // "footage of Trump saying “…”": the name right before the participle
                if i > lo && !matches!(ctx.word(i - 1), ",") {
                    if let Some(sp) = ctx
                        .np_ending(i, lo)
                        .filter(|sp| ctx.is_cap(sp.tokens.0) || ctx.is_pronoun(sp.tokens.0))
                    {
                        return Some(Attribution { cue: att.cue, speaker: Some(sp) });
                    }
                }
                // "Trump attacked Clinton, saying, “…”": the clause's subject, or an earlier cue's
                let earlier = pre_attribution(ctx, lo, i, Before::Word).filter(|a| a.speaker.is_some());
                let speaker = earlier.and_then(|a| a.speaker).or_else(|| clause_subject(ctx, lo, i, false));
                return Some(Attribution { cue: att.cue, speaker });
            }
            if att.speaker.is_none() {
                // "She … and repeatedly says, “…”", "I laughed and said, “…”"
                let and_before = i > lo
                    && matches!(ctx.bare(i - 1), "and" | "then" | "repeatedly" | "also" | "later" | "simply");
                if and_before {
                    return Some(Attribution { cue: att.cue, speaker: clause_subject(ctx, lo, i, true) });
                }
            }
            return Some(att);
        }
    }
    if before == Before::Colon {
        // "Ana Ruiz: “…”", "a spokesman: “…”"; after a verb ("Mr. Smith shot back: “…”", "he
        // returned to his familiar lines: “…”") the clause's subject
        let np = ctx.np_ending(o - 1, lo).filter(|sp| {
            let (a, b) = sp.tokens;
            (a..b).any(|k| ctx.is_cap(k)) || ctx.is_pronoun(a) || ctx.is_role(b - 1)
        });
        let speaker = np.or_else(|| clause_subject(ctx, lo, o - 1, true))?;
        return Some(Attribution { cue: None, speaker: Some(speaker) });
    }
    None
}

/// A transcript paragraph opens with its speaker's label: "TRUMP: …", "Ana Ruiz: …". The label's
/// name, when paragraph `p` (tokens `a..b`) has one.
fn transcript_label(ctx: &Context, a: usize, b: usize) -> Option<Speaker> {
    let colon = (a..b.min(a + 5)).find(|&k| ctx.word(k) == ":")?;
    if colon == a || (a..colon).any(|k| !ctx.is_cap(k) || ctx.in_quote(k)) {
        return None;
    }
    ctx.np_ending(colon, a).filter(|sp| sp.tokens.0 == a || ctx.is_cap(sp.tokens.0))
}

/// The last cue with its speaker in a sentence (skipping quoted tokens).
fn sentence_attribution(ctx: &Context, s: &Sentence) -> Option<Attribution> {
    let mut i = s.tokens.end;
    while i > s.tokens.start {
        i -= 1;
        if ctx.in_quote(i) {
            continue;
        }
        if ctx.is_according(i) {
            let att = ctx.attribution_of_cue(i, i + 2, s.tokens.start, s.tokens.end);
            if att.speaker.is_some() {
                return Some(att);
            }
        }
        if ctx.is_cue(i) {
            let att = ctx.attribution_of_cue(i, i + 1, s.tokens.start, s.tokens.end);
            if att.speaker.is_some() {
                return Some(att);
            }
        }
    }
    None
}

fn ends_with_colon(ctx: &Context, s: &Sentence) -> bool {
    s.tokens.end > s.tokens.start && ctx.word(s.tokens.end - 1) == ":"
}

/// A quoted title or name: every content word capitalised ("Face the Nation"), no sentence inside.
fn is_title_like(ctx: &Context, q: &Stretch) -> bool {
    let mut words = 0;
    for i in q.first_token..q.end_token {
        match ctx.tokens[i].kind {
            TokenKind::Word => {
                let w = ctx.word(i);
                words += 1;
                let small = matches!(
                    w,
                    "of" | "the"
                        | "and"
                        | "a"
                        | "an"
                        | "in"
                        | "on"
                        | "for"
                        | "to"
                        | "with"
                        | "at"
                        | "by"
                        | "from"
                        | "or"
                );
                if !small && !w.chars().next().is_some_and(char::is_uppercase) {
                    return false;
                }
            }
            TokenKind::Number => words += 1,
            _ => {
                if matches!(ctx.word(i), "." | "!" | "?" | ",") {
                    return false;
                }
            }
        }
    }
    (1..=7).contains(&words)
}

#[cfg(test)]
mod tests {
    use crate::annotate;

    /// (quote, speaker, speaker_name, cue, partial) of every direct quote.
    type Row<'t> = (&'t str, Option<&'t str>, Option<String>, Option<&'t str>, bool);

    fn direct(text: &str) -> Vec<Row<'_>> {
        let doc = annotate(text);
        doc.quotes
            .iter()
            .filter(|q| q.direct)
            .map(|q| {
                (
                    &text[q.span],
                    q.speaker.map(|s| &text[s]),
                    q.speaker_name.clone(),
                    q.cue.map(|s| &text[s]),
                    q.partial,
                )
            })
            .collect()
    }

    fn name(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    #[test]
    fn attributes_news_patterns() {
        let cases: Vec<(&str, Vec<Row>)> = vec![
            (
                "“It works,” said Mr. Hal Brody.",
                vec![("It works,", Some("Hal Brody"), name("Hal Brody"), Some("said"), false)],
            ),
            (
                "“It works,” Ana Ruiz, the interior minister, said.",
                vec![("It works,", Some("Ana Ruiz"), name("Ana Ruiz"), Some("said"), false)],
            ),
            (
                "“It works,” Ana Ruiz told Reuters.",
                vec![("It works,", Some("Ana Ruiz"), name("Ana Ruiz"), Some("told"), false)],
            ),
            (
                "“It works,” said Ana Ruiz, who runs the lab.",
                vec![("It works,", Some("Ana Ruiz"), name("Ana Ruiz"), Some("said"), false)],
            ),
            (
                "Ana Ruiz said: “It works.”",
                vec![("It works.", Some("Ana Ruiz"), name("Ana Ruiz"), Some("said"), false)],
            ),
            ("Ana Ruiz: “It works.”", vec![("It works.", Some("Ana Ruiz"), name("Ana Ruiz"), None, false)]),
            (
                "“It works,” a senior official said.",
                vec![("It works,", Some("senior official"), None, Some("said"), false)],
            ),
            (
                "“It works,” the ministry said.",
                vec![("It works,", Some("ministry"), None, Some("said"), false)],
            ),
            (
                "According to Ana Ruiz, “it works.”",
                vec![("it works.", Some("Ana Ruiz"), name("Ana Ruiz"), Some("According to"), false)],
            ),
            (
                "“It works.” — Ana Ruiz, lab chief",
                vec![("It works.", Some("Ana Ruiz"), name("Ana Ruiz"), None, false)],
            ),
            (
                "Ana Ruiz called it “a disaster” on Monday.",
                vec![("a disaster", Some("Ana Ruiz"), name("Ana Ruiz"), Some("called"), true)],
            ),
            ("Ana Ruiz spoke on Monday. “It works.”", vec![]),
            // round 2: patterns read from PolNeAR train errors (invented sentences)
            (
                "“It works,” said the designer, who runs the lab.",
                vec![("It works,", Some("designer"), None, Some("said"), false)],
            ),
            (
                "“It works,” said Clinton's top aide Jake Sully.",
                vec![("It works,", Some("Jake Sully"), name("Jake Sully"), Some("said"), false)],
            ),
            (
                "Ana Ruiz jokingly said, “It works.”",
                vec![("It works.", Some("Ana Ruiz"), name("Ana Ruiz"), Some("said"), false)],
            ),
            (
                "Mr. Hal Brody shot back: “It works.”",
                vec![("It works.", Some("Hal Brody"), name("Hal Brody"), None, false)],
            ),
            (
                "Ana Ruiz went on to say, “It works.”",
                vec![("It works.", Some("Ana Ruiz"), name("Ana Ruiz"), Some("say"), false)],
            ),
            (
                "''It works for the word 'old-school,''' said Ana Ruiz.",
                vec![(
                    "It works for the word 'old-school,'",
                    Some("Ana Ruiz"),
                    name("Ana Ruiz"),
                    Some("said"),
                    false,
                )],
            ),
        ];
        for (text, want) in cases {
            if want.is_empty() {
                continue;
            }
            assert_eq!(direct(text), want, "attributing {text:?}");
        }
    }

    #[test]
    fn participles_and_transcripts() {
        // the participle's subject opens the sentence, after an opening phrase; not the place
        let text = "In response to the vote in the United States, Ana Ruiz rallied supporters, saying: “We have to be ready.”";
        assert_eq!(direct(text)[0].1, Some("Ana Ruiz"));
        let text = "Ana Ruiz told Newsmax that the plan “was a mistake,” adding, “It never worked.”";
        assert_eq!(direct(text)[1].1, Some("Ana Ruiz"));
        // a transcript paragraph: the label speaks
        let text = "HANNITY: Would it be “negotiable about the eleven million people” then?";
        assert_eq!(direct(text)[0].1, Some("HANNITY"));
    }

    #[test]
    fn speaker_in_previous_sentence_or_paragraph() {
        let text = "Ana Ruiz said on Tuesday. “It works.”";
        assert_eq!(
            direct(text),
            vec![("It works.", Some("Ana Ruiz"), name("Ana Ruiz"), Some("said"), false)]
        );
        let text = "“It works,” Ana Ruiz said.\n\n“It really does.”";
        let got = direct(text);
        assert_eq!(got[1], ("It really does.", Some("Ana Ruiz"), name("Ana Ruiz"), Some("said"), false));
    }

    #[test]
    fn scare_quotes_and_titles_are_not_quotes() {
        let text = "He appeared on “Face the Nation” and the word “woke” came up again.";
        let doc = annotate(text);
        assert!(doc.quotes.iter().all(|q| !q.direct), "no direct quote in {text:?}");
        let scare: Vec<&str> = doc.scare_quotes.iter().map(|&s| &text[s]).collect();
        assert_eq!(scare, vec!["Face the Nation", "woke"]);
    }

    /// (quote, speaker, cue, nested, headline) of a direct quote.
    type FlagRow<'t> = (&'t str, Option<&'t str>, Option<&'t str>, bool, bool);

    /// The [`FlagRow`] of every direct quote.
    fn flags(text: &str) -> Vec<FlagRow<'_>> {
        let doc = annotate(text);
        doc.quotes
            .iter()
            .filter(|q| q.direct)
            .map(|q| {
                (&text[q.span], q.speaker.map(|s| &text[s]), q.cue.map(|s| &text[s]), q.nested, q.headline)
            })
            .collect()
    }

    #[test]
    fn nested_quotes() {
        let text = "“He told me ‘we are done,’” she said.";
        assert_eq!(
            flags(text),
            vec![
                ("He told me ‘we are done,’", Some("she"), Some("said"), false, false),
                ("we are done,", Some("He"), Some("told"), true, false)
            ]
        );
        // after the nested quote: ‘…,’ Tom said
        let text = "“‘Nobody asked us about this,’ Tom said, and he was right,” Ana Ruiz said.";
        let got = flags(text);
        assert_eq!(got[1], ("Nobody asked us about this,", Some("Tom"), Some("said"), true, false));
        // the outer speaker quoting herself: the nested speaker is "I", named as the outer one
        let text = "“I said ‘this is not how we work,’ and left,” Ana Ruiz said.";
        let doc = annotate(text);
        let inner = doc.quotes.iter().find(|q| q.nested).expect("nested quote");
        assert_eq!(inner.speaker_name.as_deref(), Some("Ana Ruiz"));
        // no cue: a long nested quote stays inside the outer one; a short one is a scare quote
        let text = "“It feels like, ‘we can put this off a little bit,’” he said. “They call it ‘progress’,” he said.";
        let got = flags(text);
        assert!(got.iter().all(|q| !q.3), "{got:?}");
        let doc = annotate(text);
        assert_eq!(doc.scare_quotes.iter().map(|&s| &text[s]).collect::<Vec<_>>(), vec!["progress"]);
        // a quoted title inside a quote stays a scare quote
        let text = "“I read ‘The Lord of the Rings’ twice,” he said.";
        assert!(flags(text).iter().all(|q| !q.3), "{:?}", flags(text));
    }

    #[test]
    fn headline_quotes() {
        let text = "‘We are done’: pilots walk out\n\nThe pilots walked out on Friday.\n\n“It is over,” said Ana Ruiz.";
        let got = flags(text);
        assert_eq!(got[0], ("We are done", None, None, false, true));
        assert!(!got[1].4);
        // a first paragraph that is a sentence is no headline
        let text = "Ana Ruiz said “it is over.”\n\nThe pilots walked out on Friday.";
        assert!(flags(text).iter().all(|q| !q.4));
        // a body quote never borrows the headline's speaker
        let text = "Ruiz: ‘We are done’\n\n“It is over.”";
        let got = flags(text);
        assert_eq!(got[0].1, Some("Ruiz"));
        assert_eq!(got[1], ("It is over.", None, None, false, false));
    }

    #[test]
    fn indirect_quotes() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "Ana Ruiz said that the lab would close next year.",
                "that the lab would close next year",
                "Ana Ruiz",
            ),
            ("The lab will close next year, Ana Ruiz said.", "The lab will close next year", "Ana Ruiz"),
            (
                "According to Ana Ruiz, the lab will close next year.",
                "the lab will close next year",
                "Ana Ruiz",
            ),
            (
                "Ana Ruiz told reporters the lab would close next year.",
                "the lab would close next year",
                "Ana Ruiz",
            ),
        ];
        for &(text, content, speaker) in cases {
            let doc = annotate(text);
            let got: Vec<(&str, Option<&str>)> = doc
                .quotes
                .iter()
                .filter(|q| !q.direct)
                .map(|q| (&text[q.span], q.speaker.map(|s| &text[s])))
                .collect();
            assert_eq!(got, vec![(content, Some(speaker))], "reported speech in {text:?}");
        }
    }
}
