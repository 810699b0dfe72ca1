//! Throughput of the whole pipeline and of each stage, in MB/s of input text, on news-like text.
//! Run: `cargo bench --bench speed`. Prints figures, never fails on speed.
//!
//! Inputs: an invented news article (below) repeated to about 1 MB, one article per document; and,
//! when present, the CoNLL-2003 dev texts (`../shared/data/conll2003/dev.txt`, relative to the crate,
//! or `$PRESSMARK_CONLL_DEV`), detokenised the way `ner_bar.py --dump-gold` does it closely enough
//! for timing (tokens joined by spaces, sentences by newlines). The data is read, never copied into
//! the repository. `PRESSMARK_SPEED_FILES` adds files, each timed as one document (the bench texts
//! of `node bench/corpus.mjs`: how a stage scales with a document's size). Timings on a shared machine are noisy (±30 %): compare instruction counts
//! (`valgrind --tool=callgrind`) for before/after decisions, and take the best of several rounds here.

use pressmark::offsets::Unit;
use pressmark::output::{JsonWriter, WireDocument};
use pressmark::{cluster, entity, quote, sentence, token, value};
use std::hint::black_box;
use std::time::Instant;

/// An invented article: names, organisations, places, dates, money, percentages and quotes.
const ARTICLE: &str = "Central bank raises rates as inflation tops 7%

LAGOS, March 14 (Wire) — Nigeria's central bank raised its benchmark interest rate by 150 basis points to 18.5% on Tuesday, the steepest increase since 2016, as Governor Amina Bello-Yusuf warned that inflation would stay high through the third quarter.

“We cannot allow prices to run away from ordinary families,” Bello-Yusuf told reporters in Abuja after a two-day meeting of the Monetary Policy Committee. “This decision was not easy, but it was necessary.”

The naira weakened 2.3% against the U.S. dollar to 1,540 per dollar in early trading, according to data compiled by Bloomberg. Analysts at Standard Chartered and Renaissance Capital had expected a smaller move of about 100 basis points.

Finance Minister Daniel Okafor said the government would cut spending by $1.2 billion this year and ask the International Monetary Fund for technical support. “Our fiscal plan is credible,” he said, adding that the budget deficit would narrow to 3.9% of gross domestic product by 2027.

Opposition leader Chiamaka Eze called the increase “a blow to small businesses” and said her Peoples Democratic Party would press for a parliamentary inquiry. Mr. Okafor rejected the criticism.

Inflation in Africa's most populous country accelerated to 7.4% in February from 6.8% in January, the National Bureau of Statistics said last week. Food prices rose 9.1%, driven by higher costs for rice, maize and cooking oil after floods in Kano and Kaduna states.

The World Bank said in a report on Monday that growth in sub-Saharan Africa would slow to 3.1% this year. Its chief economist for the region, Andrew Dabalen, said central banks faced “a very narrow path” between supporting growth and containing prices.

Shares on the Nigerian Exchange fell 1.8%, led by Dangote Cement and MTN Nigeria. Traders in London and Johannesburg said investors were waiting for the next auction of treasury bills, scheduled for March 28.

(Reporting by Tunde Adeyemi in Lagos and Grace Mwangi in Nairobi; Editing by Peter Graff)
";

/// CoNLL dev as texts: one document per `-DOCSTART-`, tokens joined by spaces, sentences by newlines.
fn conll_texts() -> Option<Vec<String>> {
    let path = std::env::var("PRESSMARK_CONLL_DEV").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/conll2003/dev.txt").to_string()
    });
    let raw = std::fs::read_to_string(path).ok()?;
    let mut docs = Vec::new();
    let mut doc = String::new();
    let mut line = String::new();
    for l in raw.lines() {
        let tok = l.split_whitespace().next().unwrap_or("");
        if tok == "-DOCSTART-" {
            if !doc.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
        } else if tok.is_empty() {
            if !line.is_empty() {
                doc.push_str(&line);
                doc.push('\n');
                line.clear();
            }
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(tok);
        }
    }
    if !line.is_empty() {
        doc.push_str(&line);
    }
    if !doc.is_empty() {
        docs.push(doc);
    }
    Some(docs)
}

/// Best-of-`rounds` seconds for one pass of `f` over all `docs`.
fn time(docs: &[String], rounds: usize, mut f: impl FnMut(&str)) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..rounds {
        let t = Instant::now();
        for d in docs {
            f(black_box(d));
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    best
}

fn report(name: &str, docs: &[String]) {
    let bytes: usize = docs.iter().map(String::len).sum();
    let mb = bytes as f64 / 1e6;
    let rounds = ((8e6 / bytes as f64) as usize).clamp(3, 20);
    // warm up: the embedded model loads once
    black_box(pressmark::annotate("Warm up, Mr. Smith said."));
    println!("{name}: {} documents, {:.2} MB, best of {rounds} rounds", docs.len(), mb);
    let whole = time(docs, rounds, |t| {
        let doc = pressmark::annotate(t);
        let wire = WireDocument::new(t, &doc, Unit::CodePoint);
        let mut json = Vec::new();
        JsonWriter::new(&mut json, true).document(&wire);
        black_box(json);
    });
    println!("  {:<34} {:>7.1} MB/s", "annotate + JSON output", mb / whole);
    let annotate = time(docs, rounds, |t| {
        black_box(pressmark::annotate(t));
    });
    println!("  {:<34} {:>7.1} MB/s", "annotate (pressmark::annotate)", mb / annotate);
    // the stages, each on the previous stage's output computed outside the timing
    let pre: Vec<_> = docs
        .iter()
        .map(|t| {
            let toks = token::tokenize(t);
            let sents = sentence::split_sentences(t, &toks);
            let ents = entity::recognize(t, &toks, &sents);
            (toks, sents, ents)
        })
        .collect();
    let stage = |label: &str, secs: f64| {
        println!("  {:<34} {:>7.1} MB/s  ({:>5.1} % of annotate)", label, mb / secs, 100.0 * secs / annotate)
    };
    stage(
        "  tokenize",
        time(docs, rounds, |t| {
            black_box(token::tokenize(t));
        }),
    );
    let with = |rounds: usize, f: &mut dyn FnMut(usize, &str)| {
        let mut best = f64::INFINITY;
        for _ in 0..rounds {
            let t0 = Instant::now();
            for (i, d) in docs.iter().enumerate() {
                f(i, black_box(d));
            }
            best = best.min(t0.elapsed().as_secs_f64());
        }
        best
    };
    stage(
        "  sentences",
        with(rounds, &mut |i, t| {
            black_box(sentence::split_sentences(t, &pre[i].0));
        }),
    );
    stage(
        "  entities: numeric rules",
        with(rounds, &mut |i, t| {
            black_box(entity::numeric::find_values(t, &pre[i].0, &pre[i].1));
        }),
    );
    let names_model = with(rounds, &mut |i, t| {
        use entity::NameTagger;
        black_box(entity::model::ModelTagger::embedded().tag(t, &pre[i].0, &pre[i].1));
    });
    stage("  entities: names model", names_model);
    let model_names: Vec<_> = docs
        .iter()
        .enumerate()
        .map(|(i, t)| {
            use entity::NameTagger;
            entity::model::ModelTagger::embedded().tag(t, &pre[i].0, &pre[i].1)
        })
        .collect();
    stage(
        "  entities: name corrections",
        with(rounds, &mut |i, t| {
            black_box(entity::correct_names(t, &pre[i].0, &pre[i].1, model_names[i].clone()));
        }),
    );
    stage(
        "  entities: all (recognize)",
        with(rounds, &mut |i, t| {
            black_box(entity::recognize(t, &pre[i].0, &pre[i].1));
        }),
    );
    stage(
        "  clusters + values",
        with(rounds, &mut |i, t| {
            let e = &pre[i].2;
            black_box(cluster::link(t, e));
            let dateline = value::find_dateline(t, e);
            black_box(e.iter().map(|x| value::value_of(t, x, dateline)).collect::<Vec<_>>());
        }),
    );
    stage(
        "  quotes",
        with(rounds, &mut |i, t| {
            black_box(quote::extract_quotes(t, &pre[i].0, &pre[i].1, &pre[i].2));
        }),
    );
    let annotated: Vec<_> = docs.iter().map(|t| pressmark::annotate(t)).collect();
    stage(
        "  output (wire + JSON)",
        with(rounds, &mut |i, t| {
            let wire = WireDocument::new(t, &annotated[i], Unit::CodePoint);
            let mut json = Vec::new();
            JsonWriter::new(&mut json, true).document(&wire);
            black_box(json);
        }),
    );
    // What no decision about the names model can exceed (issue 15's model levers): the CLI's
    // work with the model's time taken out, the rest of the pipeline left as it is.
    println!(
        "  {:<34} {:>7.1} MB/s  (annotate + JSON − names model)",
        "if the names model took no time",
        mb / (whole - names_model).max(f64::MIN_POSITIVE)
    );
}

fn main() {
    let article: Vec<String> = vec![ARTICLE.to_string(); 1_000_000 / ARTICLE.len() + 1];
    report("invented news article", &article);
    match conll_texts() {
        Some(docs) => report("CoNLL-2003 dev texts", &docs),
        None => println!("CoNLL-2003 dev not found (../shared/data/conll2003/dev.txt): skipped"),
    }
    // one long document per file, for how the stages scale with a document's size, e.g.
    // PRESSMARK_SPEED_FILES="target/bench-corpus/1mb.txt target/bench-corpus/10mb.txt"
    for file in std::env::var("PRESSMARK_SPEED_FILES").unwrap_or_default().split_whitespace() {
        match std::fs::read_to_string(file) {
            Ok(text) => report(file, &[text]),
            Err(e) => println!("{file}: {e}: skipped"),
        }
    }
}
