//! The trained names model: an averaged structured perceptron over hashed features
//! ([`super::features`]), BIO tags with a constrained first-order Viterbi, int8 weights.
//!
//! Two embedded binaries, both checked on load:
//! * `names.res` (built by `scripts/build_resources.py`): Brown clusters and name lists
//!   (places from GeoNames, Census first names and surnames);
//! * `names.model` (built by `cargo run --release --features train --bin train`): the weights,
//!   transitions and the training-data entity lists, hashed only. It records the checksum of the
//!   `names.res` it was trained with, and refuses to load with another one.
//!
//! `names.model` layout (little-endian): `b"PMNM"`, u16 version, u8 table bits, u8 labels (9),
//! f32 weight scale, f32 confidence temperature, u32 resource checksum, 10×9 f32 transitions
//! (row 9 is the start), u32 n + the hashed list entries sorted by key (n varint key deltas, then
//! n × u16 bits), u32 rows + varint bucket-id deltas + rows × 9 i8 (row by row), u32 FNV-1a-32 of
//! everything before it. Version 2 (sorted, delta-coded list keys; rows row by row) is 15 kB
//! smaller gzipped than version 1 for the same contents.

pub mod conll;

use super::features::{self, BrownMap, Core, Features, GazMap, HashedMap, Lexicon, Scratch, Side, TokInfo};
use super::{Entity, Label, NameTagger};
use crate::sentence::Sentence;
use crate::span::Span;
use crate::token::Token;
use std::cell::RefCell;
use std::collections::hash_map::Entry as MapEntry;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// Number of BIO labels: O, then B/I for PER, ORG, LOC, MISC.
pub const N_LABELS: usize = 9;
/// Row of the transition matrix used before the first token.
pub const START: usize = 9;
/// The entity types in label order: label `2k+1` is B-type k, `2k+2` is I-type k.
pub const TYPES: [Label; 4] = [Label::Per, Label::Org, Label::Loc, Label::Misc];

/// Transition scores: `trans[prev][cur]`, with `prev == START` before the first token.
pub type Transitions = [[f32; N_LABELS]; N_LABELS + 1];

const MODEL_MAGIC: &[u8; 4] = b"PMNM";
const RES_MAGIC: &[u8; 4] = b"PMNR";
/// Version of the `names.model` format this code reads.
pub const MODEL_VERSION: u16 = 2;
/// Version of the `names.res` format this code reads (3: the contents' id, front-coded words in
/// two planes, leaf ids of one or two bytes; see `scripts/build_resources.py`).
const RES_VERSION: u16 = 3;

static EMBEDDED_MODEL: &[u8] = include_bytes!("names.model");
static EMBEDDED_RES: &[u8] = include_bytes!("names.res");

/// Why a model or resource file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelError {
    /// Not the expected magic bytes.
    BadMagic,
    /// A format version this code does not read.
    Version(u16),
    /// Shorter than its contents say.
    Truncated,
    /// The checksum does not match: corrupted bytes.
    Checksum,
    /// Inconsistent contents.
    Invalid(&'static str),
    /// The model was trained with other resources.
    ResourceMismatch,
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::BadMagic => write!(f, "not a pressmark names model/resource file (bad magic)"),
            ModelError::Version(v) => write!(f, "unsupported format version {v}"),
            ModelError::Truncated => write!(f, "file is truncated"),
            ModelError::Checksum => write!(f, "checksum mismatch: the file is corrupted"),
            ModelError::Invalid(what) => write!(f, "invalid contents: {what}"),
            ModelError::ResourceMismatch => write!(f, "the model was trained with a different names.res"),
        }
    }
}

impl std::error::Error for ModelError {}

/// FNV-1a, 32 bits (the files' checksum).
pub fn fnv32(data: &[u8]) -> u32 {
    let mut h: u32 = 0x811C_9DC5;
    for &b in data {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// A bounds-checked little-endian reader.
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self.pos.checked_add(n).ok_or(ModelError::Truncated)?;
        let s = self.data.get(self.pos..end).ok_or(ModelError::Truncated)?;
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, ModelError> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into().unwrap()))
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
    fn f32(&mut self) -> Result<f32, ModelError> {
        let v = f32::from_le_bytes(self.take(4)?.try_into().unwrap());
        if v.is_finite() {
            Ok(v)
        } else {
            Err(ModelError::Invalid("non-finite number"))
        }
    }
    fn varint(&mut self) -> Result<u32, ModelError> {
        let mut v: u32 = 0;
        for shift in (0..35).step_by(7) {
            let b = self.u8()?;
            v |= u32::from(b & 0x7f).checked_shl(shift).ok_or(ModelError::Invalid("varint"))?;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(ModelError::Invalid("varint too long"))
    }
}

/// A sorted word list of `names.res` (version 3), front-coded in two planes: each word's
/// shared-prefix length with the word before (`shared`), then the suffixes, each ended by a
/// newline. Each word comes with its [`features::hash_lower`], which for ASCII is FNV-1a over
/// the lower-cased bytes: the state after the shared prefix is kept from the word before
/// (`states`), so a word costs one pass over its few new bytes (copy, ASCII check and hash
/// together). The bytes are checked as UTF-8 only where they are not ASCII ([`as_word`]).
struct WordList<'a> {
    shared: std::slice::Iter<'a, u8>,
    data: &'a [u8],
    /// Start of the next suffix in `data`.
    pos: usize,
    word: [u8; MAX_WORD],
    len: usize,
    /// `states[k]`: the hash state after the first `k` bytes of `word`, valid for `k <= ascii`.
    states: [u64; MAX_WORD + 1],
    /// `word[..ascii]` is ASCII.
    ascii: usize,
}

/// The longest word a list may hold, in bytes (the build script keeps them under 61).
const MAX_WORD: usize = 255;

impl<'a> WordList<'a> {
    /// The list whose shared-prefix lengths are `shared` and whose suffixes start at the
    /// reader's position. The words are read in one pass, with no scan for the list's end
    /// first: after the last word, [`WordList::finish`] moves the reader past them (the scan was
    /// ~8 % of the model's load).
    fn read(r: &Reader<'a>, shared: &'a [u8]) -> WordList<'a> {
        let mut states = [0; MAX_WORD + 1];
        states[0] = features::FNV_OFFSET;
        WordList {
            shared: shared.iter(),
            data: r.data,
            pos: r.pos,
            word: [0; MAX_WORD],
            len: 0,
            states,
            ascii: 0,
        }
    }

    /// Moves `r` past the list, whose words must all have been read.
    fn finish(self, r: &mut Reader<'a>) -> Result<(), ModelError> {
        if !self.shared.as_slice().is_empty() {
            return Err(ModelError::Invalid("word list not read to its end"));
        }
        r.pos = self.pos;
        Ok(())
    }

    /// The next word and its lower-case hash.
    #[inline(always)]
    fn next_word(&mut self) -> Result<Option<(&[u8], u64)>, ModelError> {
        let Some(&n) = self.shared.next() else { return Ok(None) };
        let n = usize::from(n);
        if n > self.len {
            return Err(ModelError::Invalid("front coding"));
        }
        let (mut k, mut h, mut ascii) = (n, self.states[n], true);
        loop {
            let b = *self.data.get(self.pos).ok_or(ModelError::Truncated)?;
            self.pos += 1;
            if b == b'\n' {
                break;
            }
            if k == MAX_WORD {
                return Err(ModelError::Invalid("word too long"));
            }
            self.word[k] = b;
            ascii &= b.is_ascii();
            h = features::hash_lower_ascii_step(h, b);
            k += 1;
            self.states[k] = h;
        }
        self.len = k;
        let word = &self.word[..k];
        if n <= self.ascii && ascii {
            self.ascii = k;
        } else {
            // a word with a non-ASCII char (rare): hashed whole, as text; the states stay valid
            // up to its first non-ASCII byte
            self.ascii = self.ascii.min(n);
            if self.ascii == n {
                self.ascii += word[n..].iter().take_while(|b| b.is_ascii()).count();
            }
            h = features::hash_lower(as_word(word)?);
        }
        debug_assert_eq!(h, features::hash_lower(as_word(word)?), "{word:?}");
        Ok(Some((word, h)))
    }
}

/// Words per call of the load's loops over a word list. Each such call is a function of its own
/// (`#[inline(never)]`, and kept so in the wasm by scripts/build.sh): V8 first runs a function as
/// its baseline compiler's code and switches to the optimised code only at a later call (it
/// cannot replace a running frame), so one call over all 100k words would run as baseline code.
const WORDS_PER_CALL: usize = 1024;

/// Adds the next `n` words of the Brown list, with their leaf ids, to `brown`.
#[inline(never)]
fn add_brown_words(
    words: &mut WordList,
    n: usize,
    ids: &mut std::slice::Iter<u8>,
    leaves: &[u32],
    brown: &mut BrownMap,
) -> Result<(), ModelError> {
    for _ in 0..n {
        let (_, h) = words.next_word()?.ok_or(ModelError::Truncated)?;
        // an id under 240 is one byte, else 240 + its high bits, then its low byte
        let leaf = match *ids.next().ok_or(ModelError::Truncated)? {
            b @ 0..240 => usize::from(b),
            b => 240 + (usize::from(b - 240) << 8 | usize::from(*ids.next().ok_or(ModelError::Truncated)?)),
        };
        brown.insert(h, *leaves.get(leaf).ok_or(ModelError::Invalid("leaf id"))?);
    }
    Ok(())
}

/// Adds the next `n` phrases of name list `id` to `gaz`.
#[inline(never)]
fn add_list_phrases(phrases: &mut WordList, n: usize, id: usize, gaz: &mut GazMap) -> Result<(), ModelError> {
    for _ in 0..n {
        let (w, h) = phrases.next_word()?.ok_or(ModelError::Truncated)?;
        if w.iter().all(u8::is_ascii_alphabetic) {
            // one word of letters (most names): `gaz_insert`'s own fast path, without its UTF-8
            // check, split and hashing
            let key = features::phrase_key(features::phrase_step(features::PHRASE_SEED, h));
            *gaz.entry(key).or_insert(0) |= 1 << id;
        } else {
            features::gaz_insert(gaz, as_word(w)?, id);
        }
    }
    Ok(())
}

/// A word of a front-coded list as text.
fn as_word(w: &[u8]) -> Result<&str, ModelError> {
    std::str::from_utf8(w).map_err(|_| ModelError::Invalid("word is not UTF-8"))
}

/// Checks magic, version and (with `verify`) the trailing checksum; returns the body reader
/// positioned after the version. The embedded files skip the checksum: they are part of the
/// program, and the test suite checks them (`tests/ner_model.rs`); the FNV pass over their
/// 1.4 MB was ~7 % of the model's load.
fn open<'a>(data: &'a [u8], magic: &[u8; 4], version: u16, verify: bool) -> Result<Reader<'a>, ModelError> {
    if data.len() < 10 {
        return Err(if data.starts_with(magic) || data.is_empty() {
            ModelError::Truncated
        } else {
            ModelError::BadMagic
        });
    }
    if &data[..4] != magic {
        return Err(ModelError::BadMagic);
    }
    let body = &data[..data.len() - 4];
    let sum = u32::from_le_bytes(data[data.len() - 4..].try_into().unwrap());
    if verify && fnv32(body) != sum {
        return Err(ModelError::Checksum);
    }
    let mut r = Reader { data: body, pos: 4 };
    let v = r.u16()?;
    if v != version {
        return Err(ModelError::Version(v));
    }
    Ok(r)
}

/// The parsed `names.res`.
pub struct Resources {
    /// Brown clusters, keyed by the lower-cased word hash.
    pub brown: BrownMap,
    /// Place and person-name lists.
    pub gaz: GazMap,
    /// The contents' id, recorded in models trained with them: the FNV-1a-32 of the contents in
    /// the version-2 layout (the whole file, when it was version 2), so that a new layout of the
    /// same contents keeps the trained models valid (see `scripts/build_resources.py`).
    pub checksum: u32,
}

impl Resources {
    /// Parses a `names.res` file.
    pub fn from_bytes(data: &[u8]) -> Result<Resources, ModelError> {
        Resources::parse(data, true)
    }

    fn parse(data: &[u8], verify: bool) -> Result<Resources, ModelError> {
        let mut r = open(data, RES_MAGIC, RES_VERSION, verify)?;
        let checksum = r.u32()?;
        let n_leaves = r.u16()? as usize;
        let mut leaves = Vec::with_capacity(n_leaves);
        for _ in 0..n_leaves {
            leaves.push(r.u32()?);
        }
        let n_words = r.u32()? as usize;
        if n_words > data.len() {
            return Err(ModelError::Invalid("word count"));
        }
        let shared = r.take(n_words)?;
        let n_id_bytes = r.u32()? as usize;
        let mut ids = r.take(n_id_bytes)?.iter();
        let mut words = WordList::read(&r, shared);
        let mut brown = BrownMap::with_capacity_and_hasher(n_words, Default::default());
        for from in (0..n_words).step_by(WORDS_PER_CALL) {
            add_brown_words(&mut words, WORDS_PER_CALL.min(n_words - from), &mut ids, &leaves, &mut brown)?;
        }
        words.finish(&mut r)?;
        if ids.next().is_some() {
            return Err(ModelError::Invalid("leaf ids left over"));
        }
        let n_lists = r.u8()? as usize;
        // about one key per list entry (phrase prefixes add a few)
        let mut gaz = GazMap::with_capacity_and_hasher(64 * 1024, Default::default());
        for _ in 0..n_lists {
            let id = r.u8()? as usize;
            if id >= features::LIST_TRAIN_PER {
                return Err(ModelError::Invalid("list id"));
            }
            let n = r.u32()? as usize;
            if n > data.len() {
                return Err(ModelError::Invalid("list length"));
            }
            let shared = r.take(n)?;
            let mut phrases = WordList::read(&r, shared);
            for from in (0..n).step_by(WORDS_PER_CALL) {
                add_list_phrases(&mut phrases, WORDS_PER_CALL.min(n - from), id, &mut gaz)?;
            }
            phrases.finish(&mut r)?;
        }
        if r.pos != r.data.len() {
            return Err(ModelError::Invalid("trailing bytes"));
        }
        Ok(Resources { brown, gaz, checksum })
    }

    /// The embedded resources (checksum not re-computed: see [`open`]).
    pub fn embedded() -> Result<Resources, ModelError> {
        Resources::parse(EMBEDDED_RES, false)
    }
}

/// Weights and settings of a trained model (the `names.model` contents).
#[derive(Clone, Debug, PartialEq)]
pub struct Weights {
    /// log2 of the number of buckets.
    pub bits: u32,
    /// Dense table: bucket `b`'s label weights are `table[b * 9..b * 9 + 9]`.
    pub table: Vec<i8>,
    /// Real weight = `table` value × `scale`.
    pub scale: f32,
    /// Divides scores before the softmax behind `confidence`.
    pub temperature: f32,
    /// Checksum of the `names.res` the model was trained with.
    pub res_checksum: u32,
    /// Transition scores.
    pub trans: Transitions,
    /// Hashed training-data lists: (phrase key, list bits).
    pub lists: Vec<(u32, u16)>,
}

impl Weights {
    /// Serialises to the `names.model` format (sparse rows: only non-zero buckets).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MODEL_MAGIC);
        out.extend_from_slice(&MODEL_VERSION.to_le_bytes());
        out.push(self.bits as u8);
        out.push(N_LABELS as u8);
        out.extend_from_slice(&self.scale.to_le_bytes());
        out.extend_from_slice(&self.temperature.to_le_bytes());
        out.extend_from_slice(&self.res_checksum.to_le_bytes());
        for row in &self.trans {
            for v in row {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        // the list keys are hashes: sorted, their deltas take ~3 bytes where the keys took 4
        let mut lists = self.lists.clone();
        lists.sort_unstable();
        out.extend_from_slice(&(lists.len() as u32).to_le_bytes());
        let mut prev = 0u32;
        for &(k, _) in &lists {
            push_varint(&mut out, k - prev);
            prev = k;
        }
        for &(_, b) in &lists {
            out.extend_from_slice(&b.to_le_bytes());
        }
        let rows: Vec<usize> = (0..1usize << self.bits)
            .filter(|&b| self.table[b * N_LABELS..(b + 1) * N_LABELS].iter().any(|&w| w != 0))
            .collect();
        out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        let mut prev = 0usize;
        for (i, &b) in rows.iter().enumerate() {
            push_varint(&mut out, (if i == 0 { b } else { b - prev }) as u32);
            prev = b;
        }
        // row by row: with most weights pruned to 0 this compresses better than label by label
        for &b in &rows {
            out.extend(self.table[b * N_LABELS..(b + 1) * N_LABELS].iter().map(|&w| w as u8));
        }
        let sum = fnv32(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// Parses the `names.model` format.
    pub fn from_bytes(data: &[u8]) -> Result<Weights, ModelError> {
        Weights::parse(data, true)
    }

    fn parse(data: &[u8], verify: bool) -> Result<Weights, ModelError> {
        let mut r = open(data, MODEL_MAGIC, MODEL_VERSION, verify)?;
        let bits = u32::from(r.u8()?);
        if !(8..=24).contains(&bits) {
            return Err(ModelError::Invalid("table size"));
        }
        if r.u8()? as usize != N_LABELS {
            return Err(ModelError::Invalid("label count"));
        }
        let scale = r.f32()?;
        let temperature = r.f32()?;
        if temperature <= 0.0 {
            return Err(ModelError::Invalid("temperature"));
        }
        let res_checksum = r.u32()?;
        let mut trans = [[0f32; N_LABELS]; N_LABELS + 1];
        for row in &mut trans {
            for v in row.iter_mut() {
                *v = r.f32()?;
            }
        }
        let n_lists = r.u32()? as usize;
        if n_lists.saturating_mul(3) > data.len() {
            return Err(ModelError::Truncated);
        }
        let mut lists = Vec::with_capacity(n_lists);
        let mut key = 0u32;
        for _ in 0..n_lists {
            key = key.checked_add(r.varint()?).ok_or(ModelError::Invalid("list key"))?;
            lists.push((key, 0));
        }
        for entry in &mut lists {
            entry.1 = r.u16()?;
        }
        let n_rows = r.u32()? as usize;
        let size = 1usize << bits;
        if n_rows > size {
            return Err(ModelError::Invalid("row count"));
        }
        let mut ids = Vec::with_capacity(n_rows);
        let mut b = 0usize;
        for i in 0..n_rows {
            let d = r.varint()? as usize;
            if i > 0 && d == 0 {
                return Err(ModelError::Invalid("bucket ids not increasing"));
            }
            b += d;
            if b >= size {
                return Err(ModelError::Invalid("bucket id out of range"));
            }
            ids.push(b);
        }
        // room for the padding the tagger adds (`ModelTagger::new`), so that it does not move 2.4 MB
        let mut table = vec![0i8; size * N_LABELS + ROW_PAD];
        table.truncate(size * N_LABELS);
        let rows = r.take(n_rows.checked_mul(N_LABELS).ok_or(ModelError::Truncated)?)?;
        for (&b, row) in ids.iter().zip(rows.chunks_exact(N_LABELS)) {
            for (t, &w) in table[b * N_LABELS..(b + 1) * N_LABELS].iter_mut().zip(row) {
                *t = w as i8;
            }
        }
        if r.pos != r.data.len() {
            return Err(ModelError::Invalid("trailing bytes"));
        }
        Ok(Weights { bits, table, scale, temperature, res_checksum, trans, lists })
    }
}

/// Appends `v` as a LEB128 varint.
fn push_varint(out: &mut Vec<u8>, mut v: u32) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// True when label `cur` may follow `prev` (`START` before the first token): `I-X` only after `B-X` or `I-X`.
#[inline]
pub fn allowed(prev: usize, cur: usize) -> bool {
    cur == 0 || cur % 2 == 1 || (prev != START && prev != 0 && prev.div_ceil(2) == cur.div_ceil(2))
}

/// Constrained first-order Viterbi. `emit[t]` are the label scores of token t; writes the best
/// labels into `out` (cleared first). `scores` is scratch.
pub fn viterbi(
    emit: &[[f32; N_LABELS]],
    trans: &Transitions,
    scores: &mut Vec<[f32; N_LABELS]>,
    out: &mut Vec<u8>,
) {
    viterbi_masked(emit, &masked(trans), scores, out);
}

/// The transitions with the disallowed ones set to -inf (computed once per model by the tagger).
fn masked(trans: &Transitions) -> Transitions {
    let mut tm = *trans;
    for (p, row) in tm.iter_mut().enumerate() {
        for (c, v) in row.iter_mut().enumerate() {
            if !allowed(p, c) {
                *v = f32::NEG_INFINITY;
            }
        }
    }
    tm
}

/// The labels that may follow any label: `O` and every `B-X`.
const FREE: [usize; 5] = [0, 1, 3, 5, 7];
/// Lanes for the five [`FREE`] labels in the Viterbi step: two 4-lane vectors.
const FREE_LANES: usize = 8;

/// The larger of two scores (`b` on ties), written so that it compiles to one `maxps`.
#[inline(always)]
fn larger(a: f32, b: f32) -> f32 {
    if a > b {
        a
    } else {
        b
    }
}

/// [`viterbi`] with [`masked`] transitions. The forward pass keeps only the best score of each
/// label per token (`scores`); the best predecessor is found again while tracing back, for the
/// one label the path has there. This leaves the forward step without any predecessor
/// bookkeeping: `O` and `B-X` may follow any label, so their score is a maximum over all nine
/// (the five labels side by side in 8 lanes), and `I-X` may only follow `B-X` or `I-X`, so only
/// those two are compared (the others are -inf; a maximum is exact whatever the order). The
/// trace back compares all nine predecessors in order with a strict `>` over the same sums, so
/// the labels, ties included, are those of keeping back-pointers.
fn viterbi_masked(
    emit: &[[f32; N_LABELS]],
    tm: &Transitions,
    scores: &mut Vec<[f32; N_LABELS]>,
    out: &mut Vec<u8>,
) {
    out.clear();
    scores.clear();
    if emit.is_empty() {
        return;
    }
    const NEG: f32 = f32::NEG_INFINITY;
    let mut score = [NEG; N_LABELS];
    for (c, s) in score.iter_mut().enumerate() {
        if allowed(START, c) {
            *s = tm[START][c] + emit[0][c];
        }
    }
    // the transitions into O and B-X, by predecessor, in lanes
    let mut free = [[NEG; FREE_LANES]; N_LABELS];
    for p in 0..N_LABELS {
        for (k, &c) in FREE.iter().enumerate() {
            free[p][k] = tm[p][c];
        }
    }
    scores.reserve(emit.len());
    scores.push(score);
    for e in &emit[1..] {
        let mut next = [NEG; N_LABELS];
        let mut best = [0f32; FREE_LANES];
        for k in 0..FREE_LANES {
            best[k] = score[0] + free[0][k];
        }
        for p in 1..N_LABELS {
            let sp = score[p];
            for k in 0..FREE_LANES {
                best[k] = larger(sp + free[p][k], best[k]);
            }
        }
        for (k, &c) in FREE.iter().enumerate() {
            next[c] = best[k] + e[c];
        }
        for c in [2, 4, 6, 8] {
            next[c] = larger(score[c] + tm[c][c], score[c - 1] + tm[c - 1][c]) + e[c];
        }
        score = next;
        scores.push(score);
    }
    let mut last = 0usize;
    for c in 1..N_LABELS {
        if score[c] > score[last] {
            last = c;
        }
    }
    out.resize(emit.len(), 0);
    let mut cur = last;
    out[emit.len() - 1] = cur as u8;
    for t in (1..emit.len()).rev() {
        let prev = &scores[t - 1];
        let mut arg = 0;
        let mut best = prev[0] + tm[0][cur];
        for p in 1..N_LABELS {
            let v = prev[p] + tm[p][cur];
            if v > best {
                best = v;
                arg = p;
            }
        }
        cur = arg;
        out[t - 1] = cur as u8;
    }
}

/// Per-token marginal probability of each label (forward–backward over `exp(score / temperature)`,
/// constrained like [`viterbi`]). Writes `emit.len()` rows into `out`.
pub fn marginals(
    emit: &[[f32; N_LABELS]],
    trans: &Transitions,
    temperature: f32,
    alpha: &mut Vec<[f32; N_LABELS]>,
    out: &mut Vec<[f32; N_LABELS]>,
) {
    marginals_with(
        emit,
        &exp_transitions(trans, temperature),
        temperature,
        Ends { before: START, after: None },
        alpha,
        &mut Vec::new(),
        out,
        None,
    );
}

/// What surrounds the tokens given to [`marginals_with`]: the label before the first (`START`
/// at the start of a unit) and the label after the last (`None`: the unit ends there). A
/// window inside a unit is scored as the distribution over its labels *given* the labels
/// around it.
#[derive(Clone, Copy)]
struct Ends {
    before: usize,
    after: Option<usize>,
}

/// The transition potentials of [`marginals`]: `exp(trans / temperature)`, 0 where disallowed
/// (computed once per model by the tagger).
fn exp_transitions(trans: &Transitions, temperature: f32) -> Transitions {
    let inv = 1.0 / temperature;
    let mut a = [[0f32; N_LABELS]; N_LABELS + 1];
    for (p, row) in a.iter_mut().enumerate() {
        for (c, v) in row.iter_mut().enumerate() {
            *v = if allowed(p, c) { (trans[p][c] * inv).clamp(-60.0, 60.0).exp() } else { 0.0 };
        }
    }
    a
}

/// [`marginals`] with precomputed [`exp_transitions`] `a` and the labels around `emit` fixed
/// to `ends`; `pots` is scratch.
/// With `path`, only the rows of tokens labelled other than `O` there are computed (the others
/// are left at 0): an entity's confidence reads only those.
#[allow(clippy::too_many_arguments)]
fn marginals_with(
    emit: &[[f32; N_LABELS]],
    a: &Transitions,
    temperature: f32,
    ends: Ends,
    alpha: &mut Vec<[f32; N_LABELS]>,
    pots: &mut Vec<[f32; N_LABELS]>,
    out: &mut Vec<[f32; N_LABELS]>,
    path: Option<&[u8]>,
) {
    let n = emit.len();
    out.clear();
    alpha.clear();
    pots.clear();
    if n == 0 {
        return;
    }
    let inv = 1.0 / temperature;
    let pot = |e: &[f32; N_LABELS]| {
        let m = e.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
        let mut x = [0f32; EXP_LANES];
        for (x, &s) in x.iter_mut().zip(e) {
            *x = ((s - m) * inv).max(-60.0);
        }
        exp_lanes(&mut x);
        let mut r = [0f32; N_LABELS];
        r.copy_from_slice(&x[..N_LABELS]);
        r
    };
    // forward, normalised per step
    pots.extend(emit.iter().map(pot));
    alpha.reserve(n);
    let e0 = pots[0];
    let mut first = [0f32; N_LABELS];
    for c in 0..N_LABELS {
        first[c] = a[ends.before][c] * e0[c];
    }
    normalise(&mut first);
    alpha.push(first);
    // the potentials by next label, for the backward sums
    let a_next: [[f32; N_LABELS]; N_LABELS] = std::array::from_fn(|c| std::array::from_fn(|p| a[p][c]));
    let needed = |t: usize| path.is_none_or(|p| p[t] != 0);
    // the forward pass stops at the last token whose row is needed, the backward one at the first
    let last = (0..n).rev().find(|&t| needed(t)).unwrap_or(0);
    let first_needed = (0..n).find(|&t| needed(t)).unwrap_or(n);
    // Each step depends on the one before, so the time per token is the length of its chain of
    // additions: the nine terms of every sum are added as a tree (depth 4), not one after another
    // (depth 9). Disallowed transitions have a potential of exactly 0 and add nothing.
    for ep in &pots[1..=last] {
        let prev = *alpha.last().unwrap();
        let rows: [[f32; N_LABELS]; N_LABELS] =
            std::array::from_fn(|p| std::array::from_fn(|c| prev[p] * a[p][c]));
        let mut cur = tree_sum(&rows);
        for c in 0..N_LABELS {
            cur[c] *= ep[c];
        }
        normalise(&mut cur);
        alpha.push(cur);
    }
    // backward, normalised per step; marginal ∝ alpha × beta
    out.resize(n, [0.0; N_LABELS]);
    let mut beta = match ends.after {
        None => [1f32; N_LABELS],
        Some(l) => std::array::from_fn(|p| a[p][l]),
    };
    normalise(&mut beta);
    for t in (first_needed..n).rev() {
        if needed(t) {
            let mut m = [0f32; N_LABELS];
            for c in 0..N_LABELS {
                m[c] = alpha[t][c] * beta[c];
            }
            normalise(&mut m);
            out[t] = m;
        }
        if t > first_needed {
            let ep = &pots[t];
            // beta'[p] = Σ_c a[p][c] × ep[c] × beta[c], as a sum of the columns of `a` (`a_next`)
            let rows: [[f32; N_LABELS]; N_LABELS] = std::array::from_fn(|c| {
                let q = ep[c] * beta[c];
                std::array::from_fn(|p| a_next[c][p] * q)
            });
            let mut nb = tree_sum(&rows);
            normalise(&mut nb);
            beta = nb;
        }
    }
}

/// The element-wise sum of nine rows, added as a tree.
#[inline(always)]
fn tree_sum(r: &[[f32; N_LABELS]; N_LABELS]) -> [f32; N_LABELS] {
    std::array::from_fn(|c| {
        (((r[0][c] + r[1][c]) + (r[2][c] + r[3][c])) + ((r[4][c] + r[5][c]) + (r[6][c] + r[7][c]))) + r[8][c]
    })
}

/// Lanes of [`exp_lanes`]: the nine labels padded to three 4-lane vectors.
const EXP_LANES: usize = 12;

/// `exp(x)` for x in [-87, 0] on every lane (Cephes' expf: 2^k × a degree-7 polynomial on
/// [-ln2/2, ln2/2], within 2 ulp of libm). Written out so it vectorises, where libm's `expf` is
/// one call per value (9 per token), and so it gives the same bits natively and in wasm.
#[inline]
fn exp_lanes(x: &mut [f32; EXP_LANES]) {
    const LOG2E: f32 = std::f32::consts::LOG2_E;
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    const ROUND: f32 = 12_582_912.0; // 1.5 × 2^23: adding and subtracting it rounds to an integer
    for v in x.iter_mut() {
        let x = v.clamp(-87.0, 0.0);
        let k = (x * LOG2E + ROUND) - ROUND;
        let r = x - k * LN2_HI - k * LN2_LO;
        let mut p = 1.987_569_1e-4f32;
        p = p * r + 1.398_199_9e-3;
        p = p * r + 8.333_452e-3;
        p = p * r + 4.166_579_6e-2;
        p = p * r + 1.666_666_5e-1;
        p = p * r + 0.5;
        let e = p * r * r + r + 1.0;
        *v = e * f32::from_bits(((k as i32 + 127) as u32) << 23);
    }
}

fn normalise(v: &mut [f32; N_LABELS]) {
    // a tree of additions, for the same reason as in `marginals_with`
    let s = ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7])) + v[8];
    if s > 0.0 && s.is_finite() {
        let r = 1.0 / s;
        for x in v.iter_mut() {
            *x *= r;
        }
    } else {
        *v = [1.0 / N_LABELS as f32; N_LABELS];
    }
}

/// Entity spans `(first token, last token exclusive, type index)` of a BIO label sequence.
pub fn spans(labels: &[u8], mut f: impl FnMut(usize, usize, usize)) {
    let mut i = 0;
    while i < labels.len() {
        let l = labels[i] as usize;
        if l == 0 {
            i += 1;
            continue;
        }
        let ty = (l - 1) / 2;
        let mut j = i + 1;
        while j < labels.len() && labels[j] as usize == 2 * ty + 2 {
            j += 1;
        }
        f(i, j, ty);
        i = j;
    }
}

/// The trained [`NameTagger`].
pub struct ModelTagger {
    /// The weights; `weights.table` carries [`ROW_PAD`] zero bytes at its end (see [`add_lanes`]).
    weights: Weights,
    brown: BrownMap,
    gaz: GazMap,
    /// `weights.trans` with disallowed transitions at -inf, for [`viterbi_masked`].
    masked: Transitions,
    /// [`exp_transitions`] of the weights, for [`marginals_with`].
    exp_trans: Transitions,
    /// The rows a token gets when it has no neighbour on each [`Side`] (the unit ends there).
    edge: [Lanes; 4],
    /// The rows of every value of the small-valued context templates.
    dense: DenseRows,
    /// Tells this tagger's [`WordMemo`] entries from another tagger's.
    id: u64,
}

/// Lanes summed at once: a weight row (9 labels) is added as 16 lanes, the last 7 ignored.
const LANES: usize = 16;
/// Zero bytes after the table, so the 16-lane read of the last row stays in bounds.
const ROW_PAD: usize = LANES - N_LABELS;

/// A token's summed weights (lanes `N_LABELS..` are unused). i16 is exact: a token has at most
/// [`features::MAX_TOKEN_FEATURES`] + 1 = 56 features of at most 128 in magnitude, and 56 × 128 < 2^15.
type Lanes = [i16; LANES];
const _: () = assert!((features::MAX_TOKEN_FEATURES + 1) * 128 < 1 << 15);

/// Adds row `b` of the padded table to `acc`, 16 lanes at once (vectorised by the compiler).
#[inline(always)]
fn add_lanes(acc: &mut Lanes, table: &[i8], b: u32) {
    let i = b as usize * N_LABELS;
    let row: &[i8; LANES] = table[i..i + LANES].try_into().expect("the table is padded");
    for l in 0..LANES {
        acc[l] = acc[l].wrapping_add(i16::from(row[l]));
    }
}

/// Adds the weight row of feature (`template`, `value`) to `acc`, hashed into `table`
/// (`shift`: 64 minus the table's bits).
#[inline(always)]
fn add_feature(acc: &mut Lanes, table: &[i8], shift: u32, template: u64, value: u64) {
    add_lanes(acc, table, features::bucket(template, value, shift));
}

/// Adds `b` to `acc`, lane by lane.
#[inline(always)]
fn add_row(acc: &mut Lanes, b: &Lanes) {
    for l in 0..LANES {
        acc[l] = acc[l].wrapping_add(b[l]);
    }
}

/// The summed weight rows of the features that depend on one word's text alone: its own
/// features, and what it gives as a neighbour on each [`Side`] of another token.
#[derive(Clone, Copy)]
struct WordRows {
    core: Core,
    /// The memo's id of the word's lower-cased form (see [`Scratch::lower_ids`]).
    lower_id: u32,
    own: Lanes,
    /// Indexed like [`Side::ALL`]: `as_neighbour[0]` is what this word adds to the token after
    /// it (for which it is the `Prev1` neighbour), and so on.
    as_neighbour: [Lanes; 4],
}

/// The buckets of one word's features, collected before their rows are added.
#[derive(Default)]
struct WordBuckets {
    buckets: [u32; 32],
    n: usize,
}

impl WordBuckets {
    #[inline(always)]
    fn push(&mut self, b: u32) {
        self.buckets[self.n] = b;
        self.n += 1;
    }

    /// The sum of the collected buckets' rows; empties the list.
    #[inline(always)]
    fn take_sum(&mut self, table: &[i8]) -> Lanes {
        let mut acc = [0; LANES];
        for &b in &self.buckets[..self.n] {
            add_lanes(&mut acc, table, b);
        }
        self.n = 0;
        acc
    }
}

/// The weight rows of every value of the context templates whose values are small integers
/// ([`features::DENSE_TEMPLATES`]: flags, neighbours' case, sentence mode, document case,
/// gazetteer tags, the aggregation feature), so the runtime reads a row where it would hash a
/// feature and then read the same row from the big table.
struct DenseRows {
    tables: Vec<Vec<Lanes>>,
    shift: u32,
}

impl DenseRows {
    fn new(table: &[i8], shift: u32) -> DenseRows {
        let tables = features::DENSE_TEMPLATES
            .iter()
            .map(|&(template, size)| {
                (0..size)
                    .map(|i| {
                        let mut acc = [0; LANES];
                        add_feature(&mut acc, table, shift, template, features::dense_value(template, i));
                        acc
                    })
                    .collect()
            })
            .collect();
        DenseRows { tables, shift }
    }

    /// Adds the row of feature (`template`, `value`) to `acc`: from a dense table when it has
    /// one, else hashed into the weight `table`.
    #[inline(always)]
    fn add(&self, acc: &mut Lanes, table: &[i8], template: u64, value: u64) {
        match features::dense_index(template, value) {
            Some((k, slot)) => add_row(acc, &self.tables[k][slot]),
            None => add_feature(acc, table, self.shift, template, value),
        }
    }
}

/// Per-thread memo of [`WordRows`] by [`features::word_key`]. Most tokens of news are a few
/// thousand frequent words, so summing their ~25 text-only rows once per word instead of once
/// per token removes most of the hashing and table lookups. Integer sums, so the result is
/// exactly that of summing every row per token (a test checks it).
#[derive(Default)]
struct WordMemo {
    owner: u64,
    index: HashedMap<u64, u32>,
    rows: Vec<WordRows>,
    /// Lower-cased form hash → id, numbering the forms of the memo's words.
    lowers: HashedMap<u64, u32>,
}

/// Words kept in the memo; it is emptied between blocks when it holds more (~1.5 MB at most,
/// plus the new words of one block). Frequent words come back at once after emptying, and most
/// articles have far fewer distinct words.
const MEMO_WORDS: usize = 1 << 13;

thread_local! {
    static MEMO: RefCell<WordMemo> = RefCell::new(WordMemo::default());
}

/// Sums the weight rows of every token's extracted features into `out` (the plain way, which
/// [`ModelTagger::base_sums`] must equal; tests only).
#[cfg(test)]
fn row_sums(table: &[i8], f: &Features, out: &mut Vec<Lanes>) {
    out.clear();
    out.reserve(f.offsets.len().saturating_sub(1));
    for w in f.offsets.windows(2) {
        let mut acc: Lanes = [0; LANES];
        for &b in &f.buckets[w[0] as usize..w[1] as usize] {
            add_lanes(&mut acc, table, b);
        }
        out.push(acc);
    }
}

impl ModelTagger {
    /// Builds a tagger from a `names.model` and the `names.res` it was trained with.
    pub fn from_bytes(model: &[u8], resources: &[u8]) -> Result<ModelTagger, ModelError> {
        let weights = Weights::from_bytes(model)?;
        let res = Resources::from_bytes(resources)?;
        ModelTagger::new(weights, res)
    }

    /// Builds a tagger from parsed parts.
    pub fn new(weights: Weights, res: Resources) -> Result<ModelTagger, ModelError> {
        if weights.res_checksum != res.checksum {
            return Err(ModelError::ResourceMismatch);
        }
        let mut gaz = res.gaz;
        for &(k, b) in &weights.lists {
            *gaz.entry(k).or_insert(0) |= b;
        }
        let mut weights = weights;
        let size = N_LABELS << weights.bits;
        if weights.table.len() != size {
            return Err(ModelError::Invalid("table size"));
        }
        weights.table.resize(size + ROW_PAD, 0);
        let masked = masked(&weights.trans);
        let exp_trans = exp_transitions(&weights.trans, weights.temperature);
        let mut edge = [[0; LANES]; 4];
        let shift = 64 - weights.bits;
        for (side, acc) in Side::ALL.into_iter().zip(&mut edge) {
            features::neighbour_features(None, side, |t, v| add_feature(acc, &weights.table, shift, t, v));
        }
        let dense = DenseRows::new(&weights.table, shift);
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        Ok(ModelTagger { weights, brown: res.brown, gaz, masked, exp_trans, edge, dense, id })
    }

    /// The embedded model, loaded once. Panics only if the embedded files are broken, which
    /// the test suite rules out.
    pub fn embedded() -> &'static ModelTagger {
        static TAGGER: OnceLock<ModelTagger> = OnceLock::new();
        TAGGER.get_or_init(|| {
            let weights = Weights::parse(EMBEDDED_MODEL, false);
            let res = Resources::embedded();
            weights.and_then(|w| ModelTagger::new(w, res?)).expect("the embedded names model loads")
        })
    }

    /// The raw embedded `names.model` bytes.
    pub fn embedded_model_bytes() -> &'static [u8] {
        EMBEDDED_MODEL
    }

    /// The raw embedded `names.res` bytes.
    pub fn embedded_resource_bytes() -> &'static [u8] {
        EMBEDDED_RES
    }

    /// The weights. Their `table` ends with a few zero bytes of padding after the last row.
    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// Extracts features (for the trainer and evaluation).
    pub fn features(
        &self,
        text: &str,
        tokens: &[Token],
        sentences: &[Sentence],
        scratch: &mut Scratch,
        out: &mut Features,
    ) {
        let lex = Lexicon { brown: &self.brown, gaz: &self.gaz };
        features::extract(text, tokens, sentences, &lex, self.weights.bits, scratch, out);
    }

    /// The summed rows of one word (a memo miss).
    fn word_rows(&self, info: &TokInfo) -> WordRows {
        let table = &self.weights.table;
        let shift = 64 - self.weights.bits;
        // the buckets first, then their rows: a closure that only stores a bucket is inlined
        // into the extractor, where one that added a 16-lane row was called once per feature
        let mut buckets = WordBuckets::default();
        features::own_features(info, |t, v| buckets.push(features::bucket(t, v, shift)));
        let own = buckets.take_sum(table);
        let as_neighbour = Side::ALL.map(|side| {
            features::neighbour_features(Some(info), side, |t, v| {
                buckets.push(features::bucket(t, v, shift))
            });
            buckets.take_sum(table)
        });
        WordRows { core: info.core, lower_id: 0, own, as_neighbour }
    }

    /// Every token's summed feature rows (all features but the second pass's aggregation
    /// bucket), through the per-thread [`WordMemo`]: the same sums as [`row_sums`] of
    /// [`features::extract`], far fewer lookups.
    fn base_sums(
        &self,
        text: &str,
        tokens: &[Token],
        sentences: &[Sentence],
        scratch: &mut Scratch,
        out: &mut Vec<Lanes>,
    ) {
        MEMO.with_borrow_mut(|memo| {
            if memo.owner != self.id || memo.rows.len() > MEMO_WORDS {
                memo.index.clear();
                memo.rows.clear();
                memo.lowers.clear();
                memo.owner = self.id;
            }
            let mut ids = Vec::with_capacity(tokens.len());
            scratch.cores.clear();
            scratch.lower_ids.clear();
            for t in tokens {
                let id = match memo.index.entry(features::word_key(text, t)) {
                    MapEntry::Occupied(e) => *e.get(),
                    MapEntry::Vacant(e) => {
                        let mut rows = self.word_rows(&features::token_info(text, t, &self.brown));
                        let next = memo.lowers.len() as u32;
                        rows.lower_id = *memo.lowers.entry(rows.core.lower).or_insert(next);
                        memo.rows.push(rows);
                        *e.insert(memo.rows.len() as u32 - 1)
                    }
                };
                ids.push(id);
                let rows = &memo.rows[id as usize];
                scratch.cores.push(rows.core);
                scratch.lower_ids.push(rows.lower_id);
            }
            scratch.n_lower = memo.lowers.len();
            features::prepare(text, tokens, sentences, &self.gaz, scratch);
            let table = &self.weights.table;
            let rows = &memo.rows;
            out.clear();
            out.reserve(tokens.len());
            for i in 0..tokens.len() {
                let unit = scratch.unit_of_token(i);
                let mut acc = rows[ids[i] as usize].own;
                for (k, side) in Side::ALL.into_iter().enumerate() {
                    match side.of(i, unit) {
                        Some(j) => add_row(&mut acc, &rows[ids[j] as usize].as_neighbour[k]),
                        None => add_row(&mut acc, &self.edge[k]),
                    }
                }
                let c = features::context_values(i, sentences, scratch);
                let dense = &self.dense;
                dense.add(&mut acc, table, features::t::FLAGS, c.flags);
                dense.add(&mut acc, table, features::t::TITLE_PM1, c.title);
                dense.add(&mut acc, table, features::t::SENT, c.sent);
                dense.add(&mut acc, table, features::t::DOC_CASE, c.doc_case);
                dense.add(&mut acc, table, features::t::DOC_RUN, c.doc_run);
                for &g in &c.gaz[..c.n_gaz] {
                    dense.add(&mut acc, table, features::t::GAZ, g);
                }
                out.push(acc);
            }
        });
    }

    /// BIO labels of every token, and if `conf` is given the marginal probability of each entity
    /// token's label (1.0 for tokens labelled `O`, whose marginals are not computed).
    pub fn label(
        &self,
        text: &str,
        tokens: &[Token],
        sentences: &[Sentence],
        labels: &mut Vec<u8>,
        mut conf: Option<&mut Vec<f32>>,
    ) {
        let mut scratch = Scratch::default();
        let w = &self.weights;
        let n = tokens.len();
        // the token features' sums, computed once for both passes
        let mut base: Vec<Lanes> = Vec::with_capacity(n);
        self.base_sums(text, tokens, sentences, &mut scratch, &mut base);
        let mut absent = [0; LANES];
        add_lanes(&mut absent, &w.table, features::agg_absent(w.bits));
        let units = features::units(sentences);
        let mut first = vec![0u8; n];
        let mut ws = Workspace::default();
        self.decode(&base, &units, |_| absent, &mut first, None, &mut ws);
        let mut agg = Vec::with_capacity(n);
        features::aggregate_values(&mut scratch, &first, &mut agg);
        labels.clear();
        labels.resize(n, 0);
        if let Some(c) = conf.as_deref_mut() {
            c.clear();
            c.resize(n, 1.0);
        }
        let agg_row = |i: usize| {
            let mut r = [0; LANES];
            self.dense.add(&mut r, &w.table, features::t::AGG, agg[i]);
            r
        };
        self.decode(&base, &units, agg_row, labels, conf, &mut ws);
    }

    /// Viterbi over each paragraph with the base sums plus one extra row per token.
    fn decode(
        &self,
        base: &[Lanes],
        units: &[std::ops::Range<usize>],
        extra: impl Fn(usize) -> Lanes,
        labels: &mut [u8],
        mut conf: Option<&mut Vec<f32>>,
        ws: &mut Workspace,
    ) {
        let w = &self.weights;
        for unit in units {
            ws.emit.clear();
            ws.emit.reserve(unit.len());
            for i in unit.clone() {
                let mut acc = base[i];
                add_row(&mut acc, &extra(i));
                let mut e = [0f32; N_LABELS];
                for l in 0..N_LABELS {
                    e[l] = i32::from(acc[l]) as f32 * w.scale;
                }
                ws.emit.push(e);
            }
            viterbi_masked(&ws.emit, &self.masked, &mut ws.scores, &mut ws.path);
            labels[unit.clone()].copy_from_slice(&ws.path);
            if let Some(c) = conf.as_deref_mut() {
                confidence_windows(&ws.path, |win| {
                    let ends = Ends {
                        before: if win.start == 0 { START } else { ws.path[win.start - 1] as usize },
                        after: ws.path.get(win.end).map(|&l| l as usize),
                    };
                    marginals_with(
                        &ws.emit[win.clone()],
                        &self.exp_trans,
                        w.temperature,
                        ends,
                        &mut ws.alpha,
                        &mut ws.pots,
                        &mut ws.marg,
                        Some(&ws.path[win.clone()]),
                    );
                    for (k, t) in win.enumerate() {
                        if ws.path[t] != 0 {
                            c[unit.start + t] = ws.marg[k][ws.path[t] as usize];
                        }
                    }
                });
            }
        }
    }
}

/// Tokens on each side of a name that its confidence looks at: the marginals are computed over
/// windows around the names, given the decoded labels just outside (`O`), instead of over the
/// whole paragraph. A label's marginal hardly depends on tokens further away, and most tokens of
/// news are not near a name.
const CONF_CONTEXT: usize = 3;

/// Calls `f` with each window of `path` (one unit's labels) whose names need a confidence: every
/// run of entity labels widened by [`CONF_CONTEXT`] tokens on each side, within the unit,
/// overlapping windows merged.
fn confidence_windows(path: &[u8], mut f: impl FnMut(std::ops::Range<usize>)) {
    let mut cur: Option<std::ops::Range<usize>> = None;
    for (t, &l) in path.iter().enumerate() {
        if l == 0 {
            continue;
        }
        let (a, b) = (t.saturating_sub(CONF_CONTEXT), (t + 1 + CONF_CONTEXT).min(path.len()));
        match &mut cur {
            Some(w) if a <= w.end => w.end = b,
            _ => {
                if let Some(w) = cur.take() {
                    f(w);
                }
                cur = Some(a..b);
            }
        }
    }
    if let Some(w) = cur {
        f(w);
    }
}

#[derive(Default)]
struct Workspace {
    emit: Vec<[f32; N_LABELS]>,
    scores: Vec<[f32; N_LABELS]>,
    path: Vec<u8>,
    alpha: Vec<[f32; N_LABELS]>,
    pots: Vec<[f32; N_LABELS]>,
    marg: Vec<[f32; N_LABELS]>,
}

/// Texts longer than this many tokens (about 250 KB of prose) are tagged in blocks of whole
/// paragraphs, each block one "document" for the document-level features. An article is far
/// shorter, so nothing changes for one; a 10 MB dump no longer holds the features of every
/// token at once (about 60 bytes of features per byte of text) and stays in cache.
const BLOCK_TOKENS: usize = 50_000;

impl NameTagger for ModelTagger {
    fn tag(&self, text: &str, tokens: &[Token], sentences: &[Sentence]) -> Vec<Entity> {
        let mut out = Vec::new();
        let (mut labels, mut conf) = (Vec::new(), Vec::new());
        let mut block: Vec<Sentence> = Vec::new();
        let mut first = 0;
        while first < sentences.len() {
            // whole paragraphs, until the block holds BLOCK_TOKENS
            let start_tok = sentences[first].tokens.start;
            let mut end = first + 1;
            while end < sentences.len() {
                let new_paragraph = sentences[end].paragraph != sentences[end - 1].paragraph;
                if new_paragraph && sentences[end - 1].tokens.end - start_tok >= BLOCK_TOKENS {
                    break;
                }
                end += 1;
            }
            let end_tok = sentences[end - 1].tokens.end;
            block.clear();
            block.extend(sentences[first..end].iter().map(|s| Sentence {
                span: s.span,
                tokens: s.tokens.start - start_tok..s.tokens.end - start_tok,
                paragraph: s.paragraph,
            }));
            let toks = &tokens[start_tok..end_tok];
            self.label(text, toks, &block, &mut labels, Some(&mut conf));
            spans(&labels, |a, b, ty| {
                let c = conf[a..b].iter().cloned().fold(1.0f32, f32::min);
                out.push(Entity {
                    span: Span::new(toks[a].span.start, toks[b - 1].span.end),
                    label: TYPES[ty],
                    confidence: c.clamp(0.0, 1.0),
                });
            });
            first = end;
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::needless_range_loop)]
mod tests {
    use super::*;

    /// The memoised sums equal the plain sums of every extracted feature, token by token, with
    /// the memo carried from one document to the next (as in the CLI and the page).
    #[test]
    fn memoised_sums_equal_the_extracted_features() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .expect("tests/golden")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect();
        texts.sort();
        assert!(texts.len() >= 10);
        // one-char tokens of every ASCII char and kind (the kind is part of the memo key: "`" and "b")
        texts.push((33u8..127).map(|b| format!("{} ", b as char)).collect());
        texts.push("“Quote” ‘single’ «guillemets» „low“ b` `b c'' ''c 'b' \"b\" ÉCOLE école Zoë".to_string());
        let tagger = ModelTagger::embedded();
        let (mut plain, mut memo) = (Vec::new(), Vec::new());
        let mut feats = Features::default();
        for text in &texts {
            let tokens = crate::token::tokenize(text);
            let sentences = crate::sentence::split_sentences(text, &tokens);
            tagger.features(text, &tokens, &sentences, &mut Scratch::default(), &mut feats);
            row_sums(&tagger.weights.table, &feats, &mut plain);
            tagger.base_sums(text, &tokens, &sentences, &mut Scratch::default(), &mut memo);
            assert_eq!(plain.len(), tokens.len());
            for (i, (p, m)) in plain.iter().zip(&memo).enumerate() {
                assert_eq!(
                    p[..N_LABELS],
                    m[..N_LABELS],
                    "token {i} {:?} of {:?}",
                    &text[tokens[i].span.start..tokens[i].span.end],
                    &text[..text.len().min(40)]
                );
            }
        }
    }

    /// All label sequences of length n that satisfy the BIO constraints, with their scores.
    fn enumerate(emit: &[[f32; N_LABELS]], trans: &Transitions) -> Vec<(Vec<u8>, f32)> {
        let n = emit.len();
        let mut out = Vec::new();
        let total = N_LABELS.pow(n as u32);
        for mut code in 0..total {
            let mut seq = Vec::with_capacity(n);
            for _ in 0..n {
                seq.push((code % N_LABELS) as u8);
                code /= N_LABELS;
            }
            let mut prev = START;
            let mut s = 0.0;
            let mut ok = true;
            for (t, &l) in seq.iter().enumerate() {
                if !allowed(prev, l as usize) {
                    ok = false;
                    break;
                }
                s += trans[prev][l as usize] + emit[t][l as usize];
                prev = l as usize;
            }
            if ok {
                out.push((seq, s));
            }
        }
        out
    }

    fn pseudo(seed: &mut u64) -> f32 {
        *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((*seed >> 33) as f32 / (1u64 << 31) as f32) * 4.0 - 2.0
    }

    /// A window's marginals given the labels around it equal brute force over the sequences
    /// that the labels before and after allow (scored with those two transitions), and the
    /// windows cover every entity token with context on both sides, within the unit.
    #[test]
    fn window_marginals_match_brute_force_given_the_labels_around() {
        let mut seed = 11u64;
        for (before, after) in [(0, Some(0)), (START, Some(0)), (0, None), (1, Some(3))] {
            let mut trans = [[0f32; N_LABELS]; N_LABELS + 1];
            for row in trans.iter_mut() {
                for v in row.iter_mut() {
                    *v = pseudo(&mut seed);
                }
            }
            let emit: Vec<[f32; N_LABELS]> =
                (0..3).map(|_| std::array::from_fn(|_| pseudo(&mut seed))).collect();
            let temp = 1.5f32;
            let mut weights = vec![[0f64; N_LABELS]; 3];
            for code in 0..N_LABELS.pow(3) {
                let seq = [code % N_LABELS, code / N_LABELS % N_LABELS, code / (N_LABELS * N_LABELS)];
                // scored from `before` and into `after`; only sequences those two allow
                let mut prev = before;
                let mut sc = 0.0f32;
                let mut ok = true;
                for (t, &l) in seq.iter().enumerate() {
                    ok &= allowed(prev, l);
                    sc += trans[prev][l] + emit[t][l];
                    prev = l;
                }
                if let Some(a) = after {
                    ok &= allowed(prev, a);
                    sc += trans[prev][a];
                }
                if ok {
                    for (t, &l) in seq.iter().enumerate() {
                        weights[t][l] += f64::from(sc / temp).exp();
                    }
                }
            }
            let (mut alpha, mut pots, mut marg) = (Vec::new(), Vec::new(), Vec::new());
            let a = exp_transitions(&trans, temp);
            marginals_with(&emit, &a, temp, Ends { before, after }, &mut alpha, &mut pots, &mut marg, None);
            for t in 0..3 {
                let z: f64 = weights[t].iter().sum();
                for l in 0..N_LABELS {
                    let p = weights[t][l] / z;
                    assert!((p - f64::from(marg[t][l])).abs() < 1e-4, "t {t} l {l}: {p} vs {}", marg[t][l]);
                }
            }
        }
        let mut windows = Vec::new();
        confidence_windows(&[0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 5], |w| windows.push(w));
        assert_eq!(windows, vec![2..10, 12..19]);
        windows.clear();
        confidence_windows(&[0, 0, 0, 0, 0, 0, 0, 0], |w| windows.push(w));
        assert!(windows.is_empty());
    }

    #[test]
    fn dense_slots_round_trip() {
        for (k, &(template, size)) in features::DENSE_TEMPLATES.iter().enumerate() {
            for i in 0..size {
                assert_eq!(features::dense_index(template, features::dense_value(template, i)), Some((k, i)));
            }
            assert_eq!(features::dense_index(template, features::dense_value(template, size)), None);
        }
        assert_eq!(features::dense_index(features::t::WORD, 3), None);
    }

    #[test]
    fn exp_lanes_is_within_two_ulp_of_libm() {
        let mut x = -87.0f32;
        while x <= 0.0 {
            let mut r = [x; EXP_LANES];
            exp_lanes(&mut r);
            let want = x.exp();
            let ulp = (want.to_bits() as i64 - r[0].to_bits() as i64).abs();
            assert!(ulp <= 2, "exp({x}) = {} vs {want} ({ulp} ulp)", r[0]);
            x += 0.000_37;
        }
    }

    #[test]
    fn viterbi_and_marginals_match_brute_force() {
        let mut seed = 7u64;
        for _ in 0..5 {
            let mut trans = [[0f32; N_LABELS]; N_LABELS + 1];
            for row in trans.iter_mut() {
                for v in row.iter_mut() {
                    *v = pseudo(&mut seed);
                }
            }
            let emit: Vec<[f32; N_LABELS]> =
                (0..3).map(|_| std::array::from_fn(|_| pseudo(&mut seed))).collect();
            let all = enumerate(&emit, &trans);
            let best = all.iter().max_by(|a, b| a.1.partial_cmp(&b.1).unwrap()).unwrap();
            let (mut scores, mut path) = (Vec::new(), Vec::new());
            viterbi(&emit, &trans, &mut scores, &mut path);
            assert_eq!(path, best.0);
            let temp = 1.5f32;
            let z: f64 = all.iter().map(|(_, s)| f64::from(*s / temp).exp()).sum();
            let (mut alpha, mut marg) = (Vec::new(), Vec::new());
            marginals(&emit, &trans, temp, &mut alpha, &mut marg);
            for t in 0..3 {
                for l in 0..N_LABELS {
                    let p: f64 = all
                        .iter()
                        .filter(|(s, _)| s[t] as usize == l)
                        .map(|(_, s)| f64::from(*s / temp).exp())
                        .sum::<f64>()
                        / z;
                    assert!((p - f64::from(marg[t][l])).abs() < 1e-4, "t {t} l {l}: {p} vs {}", marg[t][l]);
                }
            }
        }
    }
}
