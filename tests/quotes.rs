//! Quote extraction against the golden cases in `tests/golden/` (invented articles, one per quote
//! form) and the seed article in `../shared/examples` when it is there.
//!
//! Each `NAME.json` follows `../shared/examples/CONVENTIONS.md`: code-point offsets, direct quotes
//! only. The test compares the direct quotes pressmark finds with the gold ones: content, speaker
//! mention, speaker name, cue, the `partial`/`open_end`/`headline`/`nested` flags and the grouping of parts; and the
//! scare quotes when the gold lists them. A failure prints every difference, expected against got.

use pressmark::offsets::{OffsetIndex, Unit};
use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One quote, in comparable form: texts instead of offsets, plus the offsets for the report.
#[derive(Debug, PartialEq)]
struct Row {
    text: String,
    speaker: Option<String>,
    speaker_name: Option<String>,
    cue: Option<String>,
    partial: bool,
    open_end: bool,
    headline: bool,
    nested: bool,
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn span_text(v: &Value) -> Option<String> {
    v.get("text").and_then(Value::as_str).map(str::to_string)
}

fn gold_rows(doc: &Value) -> (Vec<Row>, Vec<Option<u64>>) {
    let text = doc["text"].as_str().expect("gold has text");
    let chars: Vec<char> = text.chars().collect();
    let mut rows = Vec::new();
    let mut groups = Vec::new();
    for q in doc["quotes"].as_array().expect("gold has quotes") {
        let (s, e) = (q["start"].as_u64().unwrap() as usize, q["end"].as_u64().unwrap() as usize);
        let content: String = chars[s..e].iter().collect();
        assert_eq!(Some(&content), span_text(q).as_ref(), "gold offsets and text disagree in {}", doc["id"]);
        rows.push(Row {
            text: content,
            speaker: span_text(&q["speaker"]),
            speaker_name: q["speaker_name"].as_str().map(str::to_string),
            cue: span_text(&q["cue"]),
            partial: q["partial"].as_bool().unwrap_or(false),
            open_end: q["open_end"].as_bool().unwrap_or(false),
            headline: q["headline"].as_bool().unwrap_or(false),
            nested: q["nested"].as_bool().unwrap_or(false),
        });
        groups.push(q["group"].as_u64());
    }
    (rows, groups)
}

fn got_rows(text: &str) -> (Vec<Row>, Vec<Option<u64>>, Vec<String>) {
    let doc = pressmark::annotate(text);
    let index = OffsetIndex::new(text);
    let mut rows = Vec::new();
    let mut groups = Vec::new();
    for q in doc.quotes.iter().filter(|q| q.direct) {
        // the wire offsets must slice the same text as the byte span
        let cp =
            (index.from_byte(q.span.start, Unit::CodePoint), index.from_byte(q.span.end, Unit::CodePoint));
        let by_cp: String = text.chars().skip(cp.0).take(cp.1 - cp.0).collect();
        assert_eq!(by_cp, &text[q.span], "code-point offsets slice the quote");
        if let Some(sp) = q.speaker {
            assert!(
                !sp.overlaps(q.span),
                "speaker {:?} lies inside its quote {:?}",
                &text[sp],
                &text[q.span]
            );
        }
        if q.nested {
            // a nested quote lies inside a direct quote that is not nested
            assert!(
                doc.quotes.iter().any(|o| o.direct
                    && !o.nested
                    && o.span.start <= q.span.start
                    && q.span.end <= o.span.end
                    && o.span != q.span),
                "nested quote {:?} has no outer quote",
                &text[q.span]
            );
        }
        rows.push(Row {
            text: text[q.span].to_string(),
            speaker: q.speaker.map(|s| text[s].to_string()),
            speaker_name: q.speaker_name.clone(),
            cue: q.cue.map(|s| text[s].to_string()),
            partial: q.partial,
            open_end: q.open_end,
            headline: q.headline,
            nested: q.nested,
        });
        groups.push(q.group.map(|g| g as u64));
    }
    let scare = doc.scare_quotes.iter().map(|&s| text[s].to_string()).collect();
    (rows, groups, scare)
}

/// Groups as a partition of quote indices, independent of the ids used.
fn partition(groups: &[Option<u64>]) -> Vec<Vec<usize>> {
    let mut parts: Vec<(u64, Vec<usize>)> = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        if let Some(g) = g {
            match parts.iter_mut().find(|(id, _)| id == g) {
                Some((_, v)) => v.push(i),
                None => parts.push((*g, vec![i])),
            }
        }
    }
    parts.into_iter().map(|(_, v)| v).collect()
}

fn show(rows: &[Row]) -> String {
    let mut s = String::new();
    for (i, r) in rows.iter().enumerate() {
        let _ = writeln!(
            s,
            "  [{i}] {:?}\n      speaker={:?} name={:?} cue={:?} partial={} open_end={} headline={} nested={}",
            r.text, r.speaker, r.speaker_name, r.cue, r.partial, r.open_end, r.headline, r.nested
        );
    }
    s
}

/// Checks one gold file; returns a readable report of the differences, empty when it passes.
fn check(path: &Path) -> String {
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&raw).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()));
    let text = doc["text"].as_str().expect("gold has text");
    let (want, want_groups) = gold_rows(&doc);
    let (got, got_groups, got_scare) = got_rows(text);
    let mut report = String::new();
    if want != got {
        let _ = write!(report, "quotes differ\n--- expected\n{}--- got\n{}", show(&want), show(&got));
    }
    if partition(&want_groups) != partition(&got_groups) {
        let _ = writeln!(
            report,
            "groups differ: expected {:?}, got {:?}",
            partition(&want_groups),
            partition(&got_groups)
        );
    }
    if let Some(scare) = doc["scare_quotes"].as_array() {
        let want_scare: Vec<String> = scare.iter().filter_map(span_text).collect();
        if want_scare != got_scare {
            let _ = writeln!(report, "scare quotes differ: expected {want_scare:?}, got {got_scare:?}");
        }
    }
    report
}

#[test]
fn golden_cases() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(golden_dir())
        .expect("tests/golden exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 8, "at least eight golden cases, found {}", paths.len());
    let mut failures = String::new();
    for p in &paths {
        let r = check(p);
        if !r.is_empty() {
            let _ =
                write!(failures, "\n==================== {}\n{r}", p.file_name().unwrap().to_string_lossy());
        }
    }
    assert!(failures.is_empty(), "golden quote cases failed:{failures}");
}

/// The seed article (real text, kept beside the project, not in it): all six quotes, partial
/// ones included, with the right speaker name.
#[test]
fn seed_article() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/examples/seed-article.json");
    let Ok(raw) = std::fs::read_to_string(&path) else {
        eprintln!("seed article not found at {}; skipped", path.display());
        return;
    };
    let doc: Value = serde_json::from_str(&raw).expect("seed parses");
    let text = doc["text"].as_str().unwrap();
    let (want, _) = gold_rows(&doc);
    let (got, _, _) = got_rows(text);
    for w in &want {
        let g =
            got.iter().find(|g| g.text.trim_end_matches(['.', ',']) == w.text.trim_end_matches(['.', ',']));
        let g = g.unwrap_or_else(|| panic!("seed quote {:?} not found; got\n{}", w.text, show(&got)));
        assert_eq!(g.speaker_name, w.speaker_name, "speaker of {:?}", w.text);
        assert_eq!(g.partial, w.partial, "partial flag of {:?}", w.text);
    }
}

/// Linear time: 10k unmatched marks and a long text must not be quadratic.
#[test]
fn many_unmatched_marks_stay_fast() {
    let mut text = String::new();
    for i in 0..10_000 {
        text.push_str(if i % 3 == 0 {
            "He said “no and "
        } else if i % 3 == 1 {
            "then ' it \" went "
        } else {
            "on, ” she said. "
        });
    }
    let start = std::time::Instant::now();
    let doc = pressmark::annotate(&text);
    let took = start.elapsed();
    assert!(took.as_secs_f64() < 5.0, "10k unmatched marks took {took:?}");
    for q in &doc.quotes {
        assert!(
            q.span.end <= text.len()
                && text.is_char_boundary(q.span.start)
                && text.is_char_boundary(q.span.end)
        );
    }
}

/// No quadratic loops: 10k quotes in one paragraph, 10k unmatched marks, 2 MB with no sentence end.
#[test]
fn pathological_inputs_stay_linear() {
    let one_para = "“We are done,” he said. ".repeat(10_000);
    let unmatched = "“a ‘b ' c \" d ” e ’ ".repeat(10_000);
    let no_end = "the pilots said that “we are done” and Kessler told them ".repeat(2_000_000 / 58);
    for (name, text) in [
        ("10k quotes in a paragraph", &one_para),
        ("10k unmatched marks", &unmatched),
        ("2 MB, no sentence end", &no_end),
    ] {
        let start = std::time::Instant::now();
        let tokens = pressmark::token::tokenize(text);
        let sentences = pressmark::sentence::split_sentences(text, &tokens);
        let q = pressmark::quote::extract_quotes(text, &tokens, &sentences, &[]);
        let took = start.elapsed();
        assert!(took.as_secs_f64() < 10.0, "{name}: {took:?}");
        for x in &q.quotes {
            assert!(text.is_char_boundary(x.span.start) && text.is_char_boundary(x.span.end), "{name}");
        }
    }
}
