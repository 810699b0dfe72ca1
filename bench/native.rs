//! Native speed on the benchmark texts, for `npm run bench` (bench/run.mjs), which assembles the
//! texts first (bench/corpus.mjs → target/bench-corpus/). Alone: `node bench/corpus.mjs &&
//! cargo bench --bench native`.
//!
//! Times the CLI's path per document: `annotate` + the wire document (code-point offsets) +
//! the CLI's JSON writer, and the core alone (`annotate`). Prints a readable summary on stderr
//! and one line `PRESSMARK_BENCH_JSON {...}` on stdout. Figures only, never a pass/fail on speed.

use pressmark::offsets::Unit;
use pressmark::output::{JsonWriter, WireDocument};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const TEXTS: [&str; 5] = ["seed", "sample", "10kb", "1mb", "10mb"];

fn corpus_dir() -> PathBuf {
    std::env::var_os("PRESSMARK_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target").join("bench-corpus"))
}

fn read(dir: &std::path::Path, file: &str) -> String {
    let path = dir.join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!(
            "bench native: cannot read {} ({e}); run `node bench/corpus.mjs` first (it needs ../shared)",
            path.display()
        );
        std::process::exit(2);
    })
}

/// The CLI's work for one document: annotate, convert offsets, write the JSON (with the CLI's
/// writer, [`JsonWriter`]).
fn full(text: &str) -> usize {
    let doc = pressmark::annotate(text);
    let wire = WireDocument::new(text, &doc, Unit::CodePoint);
    let mut json = Vec::new();
    JsonWriter::new(&mut json, true).document(&wire);
    json.len()
}

fn core(text: &str) -> usize {
    pressmark::annotate(text).entities.len()
}

/// Seconds per run: at least `min_runs` runs and about `budget` of time; returns every run's time.
fn time_runs(f: &dyn Fn(&str) -> usize, text: &str, min_runs: usize, budget: Duration) -> Vec<f64> {
    black_box(f(text)); // warm-up (lazy statics: the model, the patterns)
    let mut runs = Vec::new();
    let start = Instant::now();
    while runs.len() < min_runs || (start.elapsed() < budget && runs.len() < 1000) {
        let t = Instant::now();
        black_box(f(black_box(text)));
        runs.push(t.elapsed().as_secs_f64());
    }
    runs
}

fn median(xs: &[f64]) -> f64 {
    let mut s = xs.to_vec();
    s.sort_by(f64::total_cmp);
    s[s.len().div_ceil(2) - 1]
}

fn p95(xs: &[f64]) -> f64 {
    let mut s = xs.to_vec();
    s.sort_by(f64::total_cmp);
    s[((0.95 * s.len() as f64).ceil() as usize).clamp(1, s.len()) - 1]
}

fn json_list(xs: &[f64]) -> String {
    let items: Vec<String> = xs.iter().map(|x| format!("{x:.6}")).collect();
    format!("[{}]", items.join(","))
}

fn main() {
    let dir = corpus_dir();
    let mut out = Vec::new();
    for name in TEXTS {
        let text = read(&dir, &format!("{name}.txt"));
        let bytes = text.len();
        let (min_runs, budget) =
            if bytes >= 5_000_000 { (3, Duration::from_secs(2)) } else { (5, Duration::from_secs(1)) };
        let full_runs = time_runs(&full, &text, min_runs, budget);
        let core_runs = time_runs(&core, &text, min_runs, budget);
        let (f, c) = (median(&full_runs) * 1e3, median(&core_runs) * 1e3);
        eprintln!(
            "native {name:<7} {bytes:>10} B  full {:>8.2} ms {:>7.1} MB/s   core {:>8.2} ms {:>7.1} MB/s  ({} runs)",
            f, bytes as f64 / 1e3 / f, c, bytes as f64 / 1e3 / c, full_runs.len()
        );
        out.push(format!(
            "\"{name}\":{{\"bytes\":{bytes},\"full_ms\":{},\"core_ms\":{}}}",
            json_list(&full_runs.iter().map(|s| s * 1e3).collect::<Vec<_>>()),
            json_list(&core_runs.iter().map(|s| s * 1e3).collect::<Vec<_>>())
        ));
    }

    // Per article: every 5 KB article once as a warm-up, then five passes; each call timed alone.
    let articles: Vec<String> = serde_json::from_str(&read(&dir, "articles.json")).expect("articles.json");
    for a in &articles {
        black_box(full(a));
    }
    let mut per = Vec::new();
    for _ in 0..5 {
        for a in &articles {
            let t = Instant::now();
            black_box(full(black_box(a)));
            per.push(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    eprintln!(
        "native 5 KB articles ({} × 5 passes): median {:.3} ms, p95 {:.3} ms",
        articles.len(),
        median(&per),
        p95(&per)
    );
    out.push(format!("\"articles\":{{\"count\":{},\"full_ms\":{}}}", articles.len(), json_list(&per)));
    println!("PRESSMARK_BENCH_JSON {{{}}}", out.join(","));
}
