//! Word lists the rules read, kept as data in `src/lexicon/*.txt` (one entry per line, `#` comments)
//! and parsed once on first use.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Parses a word list: one entry per line, blank lines and `#` comments skipped.
pub fn parse_list(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn set(cell: &'static OnceLock<HashSet<&'static str>>, data: &'static str) -> &'static HashSet<&'static str> {
    cell.get_or_init(|| parse_list(data).collect())
}

/// True for words written with a final period that does not end the sentence ("Mr", "Jan", "Inc").
pub fn is_abbreviation(word: &str) -> bool {
    static CELL: OnceLock<HashSet<&'static str>> = OnceLock::new();
    set(&CELL, include_str!("abbreviations.txt")).contains(word)
}
