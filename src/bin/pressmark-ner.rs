//! `pressmark-ner`: the trained names model alone, for scoring and benchmarking before it is
//! wired into `pressmark annotate`.
//!
//! ```text
//! pressmark-ner annotate --jsonl      JSON Lines {"id","text"} → {"id","entities"} (PER/ORG/LOC/MISC
//!                                     of the model only; offsets in code points), like pressmark
//! pressmark-ner bench FILE [N]        tagger and pipeline speed over the JSONL texts in FILE, N rounds
//! ```

use pressmark::entity::model::ModelTagger;
use pressmark::entity::{recognize_with, NameTagger};
use pressmark::offsets::{OffsetIndex, Unit};
use pressmark::sentence::split_sentences;
use pressmark::token::tokenize;
use std::io::{self, BufRead, BufWriter, Write};
use std::process::ExitCode;
use std::time::Instant;

fn annotate() -> io::Result<()> {
    let tagger = ModelTagger::embedded();
    let stdin = io::stdin().lock();
    let mut out = BufWriter::new(io::stdout().lock());
    for line in stdin.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let req: serde_json::Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("pressmark-ner: invalid JSON: {e}");
                continue;
            }
        };
        let text = req["text"].as_str().unwrap_or("");
        let tokens = tokenize(text);
        let sentences = split_sentences(text, &tokens);
        let index = OffsetIndex::new(text);
        let ents: Vec<serde_json::Value> = tagger
            .tag(text, &tokens, &sentences)
            .iter()
            .map(|e| {
                serde_json::json!({
                    "start": index.from_byte(e.span.start, Unit::CodePoint),
                    "end": index.from_byte(e.span.end, Unit::CodePoint),
                    "label": e.label.as_str(),
                    "text": &text[e.span],
                    "confidence": (e.confidence * 1000.0).round() / 1000.0,
                })
            })
            .collect();
        serde_json::to_writer(&mut out, &serde_json::json!({"id": req["id"], "entities": ents}))?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

fn bench(path: &str, rounds: usize) -> io::Result<()> {
    let texts: Vec<String> = std::fs::read_to_string(path)?
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let t = Instant::now();
    let tagger = ModelTagger::embedded();
    eprintln!("load: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let prepared: Vec<_> = texts
        .iter()
        .map(|t| {
            let tokens = tokenize(t);
            let sentences = split_sentences(t, &tokens);
            (tokens, sentences)
        })
        .collect();
    let ntok: usize = prepared.iter().map(|p| p.0.len()).sum();
    let mut n = 0;
    let t = Instant::now();
    for _ in 0..rounds {
        for (text, (tokens, sentences)) in texts.iter().zip(&prepared) {
            n += tagger.tag(text, tokens, sentences).len();
        }
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "tagger only: {:.0} tokens/s, {:.1} MB/s ({} entities/round)",
        (ntok * rounds) as f64 / s,
        (bytes * rounds) as f64 / s / 1e6,
        n / rounds
    );
    let t = Instant::now();
    n = 0;
    for _ in 0..rounds {
        for text in &texts {
            let tokens = tokenize(text);
            let sentences = split_sentences(text, &tokens);
            n += recognize_with(tagger, text, &tokens, &sentences).len();
        }
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "tokenize + sentences + recognize_with(model): {:.0} tokens/s, {:.1} MB/s ({} entities/round)",
        (ntok * rounds) as f64 / s,
        (bytes * rounds) as f64 / s / 1e6,
        n / rounds
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let r = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["annotate", "--jsonl"] | ["annotate", "--jsonl", "-"] => annotate(),
        ["bench", file] => bench(file, 5),
        ["bench", file, n] => bench(file, n.parse().unwrap_or(5)),
        _ => {
            eprintln!("usage: pressmark-ner annotate --jsonl | pressmark-ner bench FILE [ROUNDS]");
            return ExitCode::from(2);
        }
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pressmark-ner: {e}");
            ExitCode::from(1)
        }
    }
}
