//! Pathological input, timed: each shape at growing sizes, printing MB/s. Cost must stay linear:
//! MB/s should not fall as the size grows (beyond noise). Run: `cargo bench --bench pathological`.
//!
//! Not a timed test: it prints figures and never fails on speed; the property and CLI tests check
//! behaviour.

use std::hint::black_box;
use std::time::Instant;

/// A paragraph of ordinary news prose with quotes, names, dates and money (invented).
const PROSE: &str = "Maria Okonkwo, the finance minister, said on Tuesday that the budget would rise 4.5% \
to $12.3 billion. “We will not cut the schools,” she told reporters in Lagos. “Not this year.”\n\n\
The opposition leader, Daniel Mensah, called the plan “a gamble” and said his party would vote against it.\n\n";

fn shapes(size: usize) -> Vec<(&'static str, String)> {
    let cut = |s: String| {
        let mut end = size.min(s.len());
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s[..end].to_string()
    };
    let fill = |unit: &str| cut(unit.repeat(size / unit.len() + 1));
    vec![
        ("news prose", cut(PROSE.repeat(size / PROSE.len() + 1))),
        ("unmatched quote marks", fill("“ ")),
        ("one token, no spaces", fill("a")),
        ("one-word lines", fill("Word\n")),
        ("alternating quotes", cut("“‘\"'«„".repeat(size / 10 + 1))),
        ("straight quotes and said", fill("\"x,\" he said, \"")),
        ("capitalised words", fill("Alpha Beta ")),
        ("digits", fill("1,234.5 ")),
        ("honorifics in a run", fill("Mr Adam Mr Brown Dr Clay ")),
        ("dateline call letters", fill("TOWN, Ohio (WXYZ) - News.\n")),
        ("quoted works", fill("the film ‘The Title’ and The Title. ")),
        ("bracketed acronyms", fill("The Alpha Beta Agency (ABA) said ABA met. ")),
    ]
}

fn main() {
    let sizes = [10_000usize, 1_000_000, 10_000_000];
    println!("{:<26} {:>10} {:>10} {:>10}", "input", "10 KB", "1 MB", "10 MB");
    let names: Vec<&str> = shapes(10).into_iter().map(|(n, _)| n).collect();
    for (i, name) in names.iter().enumerate() {
        let mut row = format!("{name:<26}");
        for &size in &sizes {
            let text = shapes(size).swap_remove(i).1;
            let reps = (20_000_000 / size).clamp(1, 200);
            let t = Instant::now();
            for _ in 0..reps {
                black_box(pressmark::annotate(black_box(&text)));
            }
            let secs = t.elapsed().as_secs_f64() / reps as f64;
            row += &format!(" {:>10.1}", text.len() as f64 / 1e6 / secs);
        }
        println!("{row}   MB/s");
    }
}
