//! CoNLL-2003 files for training and evaluating the names model: reading, detokenizing into
//! natural text exactly as `shared/scorers/ner_bar.py` does (so the model meets the text the
//! scorer sends), gold spans, and conlleval-style exact-span scoring.
//!
//! No corpus text lives in the repository: these functions read the files at run time.

use crate::entity::Label;
use std::collections::HashSet;

/// One gold entity: byte span in the detokenized text and its type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GoldSpan {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// PER/ORG/LOC/MISC.
    pub label: Label,
}

/// One document: its detokenized text and gold entities.
#[derive(Clone, Debug)]
pub struct Doc {
    /// Sentences joined by `\n`.
    pub text: String,
    /// Gold entities, in order.
    pub gold: Vec<GoldSpan>,
    /// Byte span of every CoNLL token.
    pub token_spans: Vec<(usize, usize)>,
}

fn label_of(t: &str) -> Option<Label> {
    match t {
        "PER" => Some(Label::Per),
        "ORG" => Some(Label::Org),
        "LOC" => Some(Label::Loc),
        "MISC" => Some(Label::Misc),
        _ => None,
    }
}

fn split_tag(tag: &str) -> (char, &str) {
    if tag == "O" || tag.is_empty() || tag == "-X-" {
        return ('O', "");
    }
    let b = tag.as_bytes();
    if tag.len() > 2 && b[1] == b'-' {
        (b[0] as char, &tag[2..])
    } else {
        ('I', tag)
    }
}

/// Chunks `(start, end inclusive, type)` of one sentence's tags, conlleval rules.
fn chunks(tags: &[&str]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let (mut pp, mut pt) = ('O', "");
    for i in 0..=tags.len() {
        let (p, t) = if i < tags.len() { split_tag(tags[i]) } else { ('O', "") };
        let end =
            matches!(pp, 'E' | 'S') || (matches!(pp, 'B' | 'I') && (matches!(p, 'B' | 'S' | 'O') || t != pt));
        if let Some(s) = start {
            if end {
                out.push((s, i - 1, pt.to_string()));
                start = None;
            }
        }
        let begin =
            matches!(p, 'B' | 'S') || (matches!(p, 'I' | 'E') && (matches!(pp, 'O' | 'E' | 'S') || t != pt));
        if p != 'O' && begin {
            start = Some(i);
        }
        pp = p;
        pt = t;
    }
    out
}

const NO_SPACE_BEFORE: &[&str] =
    &[",", ".", ";", ":", "!", "?", "%", ")", "]", "}", "...", "'s", "n't", "'re", "'ve", "'ll", "'d", "'m"];

fn attach_left(tok: &str) -> bool {
    NO_SPACE_BEFORE.contains(&tok) || NO_SPACE_BEFORE.contains(&tok.to_lowercase().as_str())
}

fn detokenize(sentences: &[Vec<(String, String)>]) -> Doc {
    let mut text = String::new();
    let mut token_spans = Vec::new();
    let mut gold = Vec::new();
    for (si, sent) in sentences.iter().enumerate() {
        if si > 0 {
            text.push('\n');
        }
        let base = token_spans.len();
        let mut nquote = 0;
        let mut glue_next = false;
        for (i, (tok, _)) in sent.iter().enumerate() {
            let mut space = i > 0;
            if tok == "\"" {
                let opening = nquote % 2 == 0;
                nquote += 1;
                if !opening || (i == sent.len() - 1 && i > 0) {
                    space = false;
                }
            } else if attach_left(tok) {
                space = false;
            }
            if glue_next {
                space = false;
            }
            if space {
                text.push(' ');
            }
            token_spans.push((text.len(), text.len() + tok.len()));
            text.push_str(tok);
            glue_next = matches!(tok.as_str(), "(" | "[" | "{")
                || (tok == "$"
                    && sent
                        .get(i + 1)
                        .is_some_and(|(n, _)| n.as_bytes().first().is_some_and(u8::is_ascii_digit)));
            if tok == "\"" && nquote % 2 == 1 && i < sent.len() - 1 {
                glue_next = true;
            }
        }
        let tags: Vec<&str> = sent.iter().map(|(_, t)| t.as_str()).collect();
        for (s, e, ty) in chunks(&tags) {
            if let Some(label) = label_of(&ty) {
                gold.push(GoldSpan { start: token_spans[base + s].0, end: token_spans[base + e].1, label });
            }
        }
    }
    Doc { text, gold, token_spans }
}

/// Reads a CoNLL-2003 file into detokenized documents (split at `-DOCSTART-`).
pub fn read(path: &std::path::Path) -> std::io::Result<Vec<Doc>> {
    let content = std::fs::read_to_string(path)?;
    Ok(parse(&content))
}

/// Parses CoNLL-2003 text (see [`read`]).
pub fn parse(content: &str) -> Vec<Doc> {
    let mut docs: Vec<Vec<Vec<(String, String)>>> = Vec::new();
    let mut sent: Vec<(String, String)> = Vec::new();
    let mut started = false;
    for line in content.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !sent.is_empty() {
                if !started {
                    docs.push(Vec::new());
                    started = true;
                }
                docs.last_mut().unwrap().push(std::mem::take(&mut sent));
            }
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols[0] == "-DOCSTART-" {
            if !sent.is_empty() {
                if !started {
                    docs.push(Vec::new());
                }
                docs.last_mut().unwrap().push(std::mem::take(&mut sent));
            }
            docs.push(Vec::new());
            started = true;
            continue;
        }
        sent.push((cols[0].to_string(), cols.last().unwrap().to_string()));
    }
    if !sent.is_empty() {
        if !started {
            docs.push(Vec::new());
        }
        docs.last_mut().unwrap().push(sent);
    }
    docs.into_iter().filter(|d| !d.is_empty()).map(|d| detokenize(&d)).collect()
}

/// Precision, recall and F1 (percent) of one type or overall.
#[derive(Clone, Copy, Debug, Default)]
pub struct Prf {
    /// Gold entities.
    pub gold: usize,
    /// Predicted entities.
    pub pred: usize,
    /// Exact matches.
    pub correct: usize,
}

impl Prf {
    /// Precision in percent.
    pub fn precision(&self) -> f64 {
        if self.pred == 0 {
            0.0
        } else {
            100.0 * self.correct as f64 / self.pred as f64
        }
    }
    /// Recall in percent.
    pub fn recall(&self) -> f64 {
        if self.gold == 0 {
            0.0
        } else {
            100.0 * self.correct as f64 / self.gold as f64
        }
    }
    /// F1 in percent.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// Scores: per type (PER, ORG, LOC, MISC) and micro overall.
#[derive(Clone, Copy, Debug, Default)]
pub struct Score {
    /// Per type, in [`super::TYPES`] order.
    pub per_type: [Prf; 4],
    /// Micro average.
    pub overall: Prf,
}

impl Score {
    /// Adds one document's predictions (byte spans; trimmed spans must equal gold exactly).
    pub fn add(&mut self, gold: &[GoldSpan], pred: &[GoldSpan]) {
        let g: HashSet<GoldSpan> = gold.iter().copied().collect();
        let p: HashSet<GoldSpan> = pred.iter().copied().collect();
        for (k, ty) in super::TYPES.iter().enumerate() {
            let gt = g.iter().filter(|s| s.label == *ty).count();
            let pt = p.iter().filter(|s| s.label == *ty).count();
            let ct = p.iter().filter(|s| s.label == *ty && g.contains(s)).count();
            self.per_type[k].gold += gt;
            self.per_type[k].pred += pt;
            self.per_type[k].correct += ct;
            self.overall.gold += gt;
            self.overall.pred += pt;
            self.overall.correct += ct;
        }
    }

    /// A multi-line report like ner_bar's.
    pub fn report(&self) -> String {
        let mut s = format!(
            "{:<10} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6}\n",
            "type", "prec", "rec", "F1", "gold", "pred", "ok"
        );
        let row = |name: &str, m: &Prf| {
            format!(
                "{:<10} {:>7.2} {:>7.2} {:>7.2} {:>6} {:>6} {:>6}\n",
                name,
                m.precision(),
                m.recall(),
                m.f1(),
                m.gold,
                m.pred,
                m.correct
            )
        };
        for (k, ty) in super::TYPES.iter().enumerate() {
            s += &row(ty.as_str(), &self.per_type[k]);
        }
        s += &row("overall", &self.overall);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detokenizes_like_the_scorer() {
        // made-up sentences in CoNLL format
        let src = "-DOCSTART- -X- O O\n\nAnna NNP I-NP I-PER\nsaid VBD I-VP O\n\" \" O O\nhi UH O O\n\" \" O O\n( ( O O\nIn IN O O\nAcme NNP O I-ORG\n) ) O O\n's POS O O\n$ $ O O\n5 CD O O\n. . O O\n\nBob NNP O I-PER\nLee NNP O I-PER\nParis NNP O B-PER\n";
        let docs = parse(src);
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].text, "Anna said \"hi\" (In Acme)'s $5.\nBob Lee Paris");
        let g: Vec<(&str, Label)> =
            docs[0].gold.iter().map(|s| (&docs[0].text[s.start..s.end], s.label)).collect();
        assert_eq!(
            g,
            vec![("Anna", Label::Per), ("Acme", Label::Org), ("Bob Lee", Label::Per), ("Paris", Label::Per)]
        );
    }
}
