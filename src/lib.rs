//! pressmark: marks who and what a news article names, and every quote with the person who said it.
//!
//! The pipeline, one module per stage, read top-down:
//!
//! 1. [`token`]: text → tokens (Penn-style: `'s`, `n't` and punctuation split off; numbers,
//!    abbreviations and hyphenated compounds kept whole).
//! 2. [`sentence`]: tokens → sentences and paragraphs.
//! 3. [`entity`]: tokens + sentences → entities (rules for dates, times, money, percentages and
//!    numbers; a [`entity::NameTagger`] for people, organisations, places and other names).
//! 4. [`link`]: every mention of a person or organisation (names, pronouns, role nouns) linked
//!    to one entity; read by the entity clusters ([`cluster`]) and by the quotes.
//! 5. [`quote`]: quote marks paired → quotes, each with its cue ("said") and speaker mention,
//!    resolved by the linker.
//! 6. [`document`]: everything above as one [`Document`] of byte [`Span`]s.
//!
//! Offsets inside the core are UTF-8 byte offsets ([`Span`]). They are converted once, at the
//! edge, by [`output`]: Unicode code points for the CLI, UTF-16 code units for JavaScript.
//! The core is plain Rust; `wasm` (compiled only for wasm32) is the thin browser binding.

#![warn(missing_docs)]

pub mod cluster;
pub mod document;
pub mod entity;
pub mod lexicon;
pub mod link;
pub mod offsets;
pub mod output;
pub mod quote;
pub mod sentence;
pub mod span;
pub mod token;
pub mod value;

/// Training the names model (cargo feature `train`).
#[cfg(feature = "train")]
pub mod train;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use document::{annotate, Document};
pub use span::Span;

/// The largest text pressmark annotates, in bytes. Larger input is refused with a clear message
/// (by the CLI and the page) rather than risking an out-of-memory crash in the browser.
pub const MAX_TEXT_BYTES: usize = 20 * 1024 * 1024;
