//! Training the names model (cargo feature `train`): an averaged structured perceptron
//! (Collins 2002) over [`crate::entity::features`], on pressmark's own tokenization of the
//! detokenized CoNLL-2003 text, with gold spans aligned to those tokens.
//!
//! Deterministic: sentences are shuffled with a seeded xorshift, updates are integers, and the
//! best epoch is chosen on dev. See `bench/ner_eval.sh` for the one command that reproduces it.

use crate::entity::features::{self, Features, GazMap, Lexicon, Scratch, GAZ_PREFIX, LIST_TRAIN_PER};
use crate::entity::model::conll::{self, Doc, GoldSpan, Score};
use crate::entity::model::{
    spans, viterbi, ModelTagger, Resources, Transitions, Weights, N_LABELS, START, TYPES,
};
use crate::sentence::{split_sentences, Sentence};
use crate::token::{tokenize, Token};
use std::ops::Range;
use std::path::PathBuf;

/// Training settings.
#[derive(Clone, Debug)]
pub struct Config {
    /// CoNLL training file.
    pub train: PathBuf,
    /// More training files in the CoNLL layout (`../shared/data/ner-extra/`), read after `train`.
    pub extra: Vec<PathBuf>,
    /// Corpora in the CoNLL layout whose entity strings join the hashed training-data lists
    /// (without their sentences joining the training set).
    pub extra_lists: Vec<PathBuf>,
    /// CoNLL dev file (epoch choice, temperature, reporting).
    pub dev: PathBuf,
    /// `names.res` to train with.
    pub resources: PathBuf,
    /// Where to write `names.model` (none: do not write).
    pub out: Option<PathBuf>,
    /// Shuffling seed.
    pub seed: u64,
    /// Epochs to run; the best on dev is kept.
    pub epochs: usize,
    /// log2 of the table size.
    pub bits: u32,
    /// Use hashed training-data entity lists (jackknifed over 5 folds for training documents).
    pub train_lists: bool,
    /// Add a Title-case copy of every training document with ALL-CAPS words.
    pub augment: bool,
    /// Number of perceptrons (different shuffles) averaged into the model.
    pub ensemble: usize,
    /// Fraction (0–1) of the smallest non-zero quantised weights to prune to zero.
    pub prune: f32,
}

/// One document prepared for training or evaluation.
pub struct Prepared {
    /// The CoNLL document.
    pub doc: Doc,
    /// pressmark tokens of its text.
    pub tokens: Vec<Token>,
    /// pressmark sentences.
    pub sentences: Vec<Sentence>,
    /// Gold BIO label per token.
    pub labels: Vec<u8>,
    /// Gold spans as token ranges with type index.
    pub gold_tokens: Vec<(Range<usize>, usize)>,
    /// Index of the original document (augmented copies point at their source).
    pub origin: usize,
}

fn train_origin(docs: &[Prepared], d: usize) -> usize {
    if docs[d].origin == usize::MAX {
        d
    } else {
        docs[d].origin
    }
}

/// Reads and aligns a CoNLL file. Returns the documents and the number of gold entities whose
/// boundaries do not fall on pressmark token boundaries.
pub fn prepare(path: &std::path::Path) -> Result<(Vec<Prepared>, usize), String> {
    let docs = conll::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut misaligned = 0;
    let out = docs.into_iter().map(|doc| prepare_doc(doc, &mut misaligned)).collect();
    Ok((out, misaligned))
}

/// Tokenizes one document and aligns its gold spans to the tokens.
pub fn prepare_doc(doc: Doc, misaligned: &mut usize) -> Prepared {
    let tokens = tokenize(&doc.text);
    let sentences = split_sentences(&doc.text, &tokens);
    let mut labels = vec![0u8; tokens.len()];
    let mut gold_tokens = Vec::new();
    for g in &doc.gold {
        let first = tokens.partition_point(|t| t.span.end <= g.start);
        let mut last = first;
        while last < tokens.len() && tokens[last].span.end <= g.end {
            last += 1;
        }
        let aligned =
            first < last && tokens[first].span.start == g.start && tokens[last - 1].span.end == g.end;
        let ty = TYPES.iter().position(|&t| t == g.label).unwrap();
        if !aligned {
            *misaligned += 1;
        }
        if first < last {
            labels[first] = (2 * ty + 1) as u8;
            for l in &mut labels[first + 1..last] {
                *l = (2 * ty + 2) as u8;
            }
            gold_tokens.push((first..last, ty));
        }
    }
    Prepared { doc, tokens, sentences, labels, gold_tokens, origin: usize::MAX }
}

/// Casing augmentation: every ALL-CAPS word of two or more letters in Title case ("OPEC" →
/// "Opec", all-caps headlines → Title Case headlines), as British and web news write them.
/// ASCII only, so every offset stays valid.
pub fn title_case_caps(text: &str) -> String {
    let mut out = text.as_bytes().to_vec();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_alphabetic() {
            let mut j = i;
            while j < b.len() && b[j].is_ascii_alphabetic() {
                j += 1;
            }
            if j - i >= 2 && b[i..j].iter().all(u8::is_ascii_uppercase) {
                for x in &mut out[i + 1..j] {
                    *x = x.to_ascii_lowercase();
                }
            }
            i = j;
        } else {
            i += 1;
        }
    }
    String::from_utf8(out).expect("ASCII case changes keep UTF-8 valid")
}

/// xorshift64*, for a deterministic shuffle.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Adds the training-data entity strings of `docs` to `map` (lists 3–6), hashed only.
fn add_train_lists(map: &mut GazMap, docs: &[&Prepared]) {
    for p in docs {
        for (r, ty) in &p.gold_tokens {
            let hashes = features::lower_hashes(&p.doc.text, &p.tokens[r.clone()]);
            features::gaz_insert_hashes(map, &hashes, LIST_TRAIN_PER + ty);
        }
    }
}

fn predicted_spans(p: &Prepared, labels: &[u8]) -> Vec<GoldSpan> {
    let mut pred = Vec::new();
    spans(labels, |a, b, ty| {
        pred.push(GoldSpan { start: p.tokens[a].span.start, end: p.tokens[b - 1].span.end, label: TYPES[ty] })
    });
    pred
}

/// Scores a tagger on prepared documents exactly as at run time.
pub fn evaluate_tagger(tagger: &ModelTagger, docs: &[Prepared]) -> Score {
    let mut score = Score::default();
    let mut labels = Vec::new();
    for p in docs {
        tagger.label(&p.doc.text, &p.tokens, &p.sentences, &mut labels, None);
        score.add(&p.doc.gold, &predicted_spans(p, &labels));
    }
    score
}

/// Brier score of entity confidences on dev (lower is better), for choosing the temperature.
fn brier(tagger: &ModelTagger, docs: &[Prepared]) -> f64 {
    use crate::entity::NameTagger;
    let (mut sum, mut n) = (0.0, 0usize);
    for p in docs {
        let gold: std::collections::HashSet<GoldSpan> = p.doc.gold.iter().copied().collect();
        for e in tagger.tag(&p.doc.text, &p.tokens, &p.sentences) {
            let ok = gold.contains(&GoldSpan { start: e.span.start, end: e.span.end, label: e.label });
            let d = f64::from(e.confidence) - if ok { 1.0 } else { 0.0 };
            sum += d * d;
            n += 1;
        }
    }
    sum / n.max(1) as f64
}

/// What a training run produced.
pub struct Outcome {
    /// The model.
    pub weights: Weights,
    /// Dev score of the quantised model, as at run time.
    pub dev: Score,
    /// Best epoch (1-based).
    pub epoch: usize,
    /// Serialised size.
    pub bytes: usize,
}

/// One training instance: document, token range (a decoding unit), feature variant
/// (0: first pass, aggregation absent; 1: second pass, jackknifed aggregation).
type Instance = (usize, Range<usize>, usize);

const FOLDS: usize = 5;

const FOLD_EPOCHS: usize = 8;

fn instances(docs: &[Prepared], keep: impl Fn(usize) -> bool, variant: usize) -> Vec<Instance> {
    docs.iter()
        .enumerate()
        .filter(|(d, _)| keep(*d))
        .flat_map(|(d, p)| features::units(&p.sentences).into_iter().map(move |u| (d, u, variant)))
        .collect()
}

/// Emission scores of `range` from a float table: the token's buckets plus its extra bucket.
fn emissions_with(
    table: &[f32],
    feats: &Features,
    extra: &[u32],
    range: Range<usize>,
    out: &mut Vec<[f32; N_LABELS]>,
) {
    out.clear();
    for i in range {
        let mut e = [0f32; N_LABELS];
        for &b in feats.of(i).iter().chain(std::iter::once(&extra[i])) {
            let row = &table[b as usize * N_LABELS..b as usize * N_LABELS + N_LABELS];
            for l in 0..N_LABELS {
                e[l] += row[l];
            }
        }
        out.push(e);
    }
}

/// Labels a whole document with a float table.
fn decode(table: &[f32], trans: &Transitions, p: &Prepared, feats: &Features, extra: &[u32]) -> Vec<u8> {
    let mut labels = vec![0u8; p.tokens.len()];
    let (mut emit, mut back, mut path) = (Vec::new(), Vec::new(), Vec::new());
    for u in features::units(&p.sentences) {
        emissions_with(table, feats, extra, u.clone(), &mut emit);
        viterbi(&emit, trans, &mut back, &mut path);
        labels[u].copy_from_slice(&path);
    }
    labels
}

/// The averaged perceptron with integer updates (avg = w − u / c). `extras[variant][doc][token]`
/// is each token's extra bucket. Calls `eval` after each epoch with the averaged weights and
/// keeps the best; returns (table, transitions, best epoch).
#[allow(clippy::too_many_arguments)]
fn perceptron(
    docs: &[Prepared],
    inst: &[Instance],
    feats: &[Features],
    extras: &[&Vec<Vec<u32>>],
    cfg: &Config,
    epochs: usize,
    seed: u64,
    mut eval: impl FnMut(&[f32], &Transitions) -> Option<f64>,
) -> (Vec<f32>, Transitions, usize) {
    let size = (1usize << cfg.bits) * N_LABELS;
    let mut w = vec![0i32; size];
    let mut u = vec![0i64; size];
    let mut tw = [[0i32; N_LABELS]; N_LABELS + 1];
    let mut tu = [[0i64; N_LABELS]; N_LABELS + 1];
    let mut c: i64 = 1;
    let mut order: Vec<usize> = (0..inst.len()).collect();
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut table = vec![0f32; size];
    let mut trans: Transitions = [[0.0; N_LABELS]; N_LABELS + 1];
    let mut emit = Vec::new();
    let (mut back, mut path) = (Vec::new(), Vec::new());
    let mut best: Option<(f64, usize, Vec<f32>, Transitions)> = None;
    for epoch in 1..=epochs {
        rng.shuffle(&mut order);
        let mut errors = 0usize;
        for &k in &order {
            let (d, ref range, variant) = inst[k];
            let f = &feats[d];
            let extra = &extras[variant][d];
            emit.clear();
            for i in range.clone() {
                let mut e = [0f32; N_LABELS];
                for &b in f.of(i).iter().chain(std::iter::once(&extra[i])) {
                    let row = &w[b as usize * N_LABELS..b as usize * N_LABELS + N_LABELS];
                    for l in 0..N_LABELS {
                        e[l] += row[l] as f32;
                    }
                }
                emit.push(e);
            }
            let mut cur_trans: Transitions = [[0.0; N_LABELS]; N_LABELS + 1];
            for (r, row) in cur_trans.iter_mut().enumerate() {
                for (k, v) in row.iter_mut().enumerate() {
                    *v = tw[r][k] as f32;
                }
            }
            viterbi(&emit, &cur_trans, &mut back, &mut path);
            let gold = &docs[d].labels[range.clone()];
            if path.as_slice() != gold {
                errors += 1;
                let mut prev_g = START;
                let mut prev_p = START;
                for (k, i) in range.clone().enumerate() {
                    let g = gold[k] as usize;
                    let q = path[k] as usize;
                    if g != q {
                        for &b in f.of(i).iter().chain(std::iter::once(&extra[i])) {
                            let base = b as usize * N_LABELS;
                            w[base + g] += 1;
                            u[base + g] += c;
                            w[base + q] -= 1;
                            u[base + q] -= c;
                        }
                    }
                    if g != q || prev_g != prev_p {
                        tw[prev_g][g] += 1;
                        tu[prev_g][g] += c;
                        tw[prev_p][q] -= 1;
                        tu[prev_p][q] -= c;
                    }
                    prev_g = g;
                    prev_p = q;
                }
            }
            c += 1;
        }
        let cf = c as f64;
        for ((x, &wi), &ui) in table.iter_mut().zip(&w).zip(&u) {
            *x = (wi as f64 - ui as f64 / cf) as f32;
        }
        for r in 0..=N_LABELS {
            for k in 0..N_LABELS {
                trans[r][k] = (tw[r][k] as f64 - tu[r][k] as f64 / cf) as f32;
            }
        }
        let Some(f1) = eval(&table, &trans) else {
            if epoch == epochs {
                best = Some((0.0, epoch, table.clone(), trans));
            }
            continue;
        };
        eprintln!("  epoch {epoch:2}: {errors} unit errors; dev F1 {f1:.2}");
        if best.as_ref().is_none_or(|b| f1 >= b.0) {
            best = Some((f1, epoch, table.clone(), trans));
        }
    }
    let (_, epoch, table, trans) = best.expect("at least one epoch");
    (table, trans, epoch)
}

/// Trains a model. Progress goes to stderr.
pub fn train(cfg: &Config) -> Result<Outcome, String> {
    let t0 = std::time::Instant::now();
    let res_bytes =
        std::fs::read(&cfg.resources).map_err(|e| format!("cannot read {}: {e}", cfg.resources.display()))?;
    let res = Resources::from_bytes(&res_bytes).map_err(|e| format!("{}: {e}", cfg.resources.display()))?;
    let (mut train, mut mis_t) = prepare(&cfg.train)?;
    for path in &cfg.extra {
        let (docs, mis) = prepare(path)?;
        eprintln!("extra: {} docs from {}", docs.len(), path.display());
        train.extend(docs);
        mis_t += mis;
    }
    let n_orig = train.len();
    if cfg.augment {
        let mut unused = 0;
        for d in 0..n_orig {
            let text = title_case_caps(&train[d].doc.text);
            if text != train[d].doc.text {
                let doc = Doc {
                    text,
                    gold: train[d].doc.gold.clone(),
                    token_spans: train[d].doc.token_spans.clone(),
                };
                let mut p = prepare_doc(doc, &mut unused);
                p.origin = d;
                train.push(p);
            }
        }
    }
    let fold = |d: usize| train_origin(&train, d) % FOLDS;
    let (dev, mis_d) = prepare(&cfg.dev)?;
    let n_gold_t: usize = train.iter().map(|p| p.doc.gold.len()).sum();
    let n_gold_d: usize = dev.iter().map(|p| p.doc.gold.len()).sum();
    eprintln!(
        "train: {} docs, {} tokens, {} entities ({} not on token boundaries); dev: {} docs, {} entities ({} not on boundaries)",
        train.len(),
        train.iter().map(|p| p.tokens.len()).sum::<usize>(),
        n_gold_t,
        mis_t,
        dev.len(),
        n_gold_d,
        mis_d
    );

    // gazetteer maps: resource lists + training lists (jackknifed for training documents)
    let mut shipped_lists = GazMap::default();
    if cfg.train_lists {
        add_train_lists(&mut shipped_lists, &train.iter().collect::<Vec<_>>());
    }
    // lists from other corpora: whole for every document (none of their text is trained on)
    let mut outside_lists = GazMap::default();
    for path in &cfg.extra_lists {
        let (docs, _) = prepare(path)?;
        add_train_lists(&mut outside_lists, &docs.iter().collect::<Vec<_>>());
    }
    for (&k, &b) in &outside_lists {
        *shipped_lists.entry(k).or_insert(0) |= b;
    }
    let merged = |extra: &GazMap| {
        let mut m = res.gaz.clone();
        for (&k, &b) in extra {
            *m.entry(k).or_insert(0) |= b;
        }
        m
    };
    let full_map = merged(&shipped_lists);
    let fold_maps: Vec<GazMap> = (0..FOLDS)
        .map(|f| {
            let mut lists = GazMap::default();
            if cfg.train_lists {
                let others: Vec<&Prepared> =
                    train.iter().enumerate().filter(|(i, _)| fold(*i) != f).map(|(_, p)| p).collect();
                add_train_lists(&mut lists, &others);
            }
            for (&k, &b) in &outside_lists {
                *lists.entry(k).or_insert(0) |= b;
            }
            merged(&lists)
        })
        .collect();

    let mut scratch = Scratch::default();
    let featurize = |p: &Prepared, map: &GazMap, scratch: &mut Scratch| {
        let mut f = Features::default();
        let lex = Lexicon { brown: &res.brown, gaz: map };
        features::extract(&p.doc.text, &p.tokens, &p.sentences, &lex, cfg.bits, scratch, &mut f);
        f
    };
    let train_feats: Vec<Features> =
        train.iter().enumerate().map(|(i, p)| featurize(p, &fold_maps[fold(i)], &mut scratch)).collect();
    let dev_feats: Vec<Features> = dev.iter().map(|p| featurize(p, &full_map, &mut scratch)).collect();
    let nf: usize = train_feats.iter().map(|f| f.buckets.len()).sum();
    let nt: usize = train.iter().map(|p| p.tokens.len()).sum();
    eprintln!(
        "features: {:.1} per token; prepared in {:.1}s",
        nf as f64 / nt as f64,
        t0.elapsed().as_secs_f64()
    );

    // pass-1 labels of the training documents for the aggregation feature, jackknifed: a model
    // trained on the other folds (first pass only) labels each fold
    let absent = features::agg_absent(cfg.bits);
    let mut train_agg: Vec<Vec<u32>> = vec![Vec::new(); train.len()];
    let sentinel: Vec<Vec<u32>> = train.iter().map(|p| vec![absent; p.tokens.len()]).collect();
    for f in 0..FOLDS {
        let inst: Vec<Instance> = instances(&train, |d| fold(d) != f, 0);
        let (table, trans, _) = perceptron(
            &train,
            &inst,
            &train_feats,
            &[&sentinel],
            cfg,
            FOLD_EPOCHS,
            cfg.seed ^ (f as u64 + 1),
            |_, _| None,
        );
        for (d, p) in train.iter().enumerate().filter(|(d, _)| fold(*d) == f) {
            let labels = decode(&table, &trans, p, &train_feats[d], &sentinel[d]);
            let mut scratch = Scratch::default();
            let mut tmp = Features::default();
            let lex = Lexicon { brown: &res.brown, gaz: &fold_maps[fold(d)] };
            features::extract(&p.doc.text, &p.tokens, &p.sentences, &lex, cfg.bits, &mut scratch, &mut tmp);
            features::aggregate(&mut scratch, &labels, cfg.bits, &mut train_agg[d]);
        }
        eprintln!("fold {f}: pass-1 labels done; {:.1}s", t0.elapsed().as_secs_f64());
    }
    // the final model sees every unit twice: without (first pass) and with (second pass) aggregation
    let mut inst = instances(&train, |_| true, 0);
    inst.extend(instances(&train, |_| true, 1));
    let dev_sentinel: Vec<Vec<u32>> = dev.iter().map(|p| vec![absent; p.tokens.len()]).collect();
    let mut dev_scratch: Vec<Scratch> = Vec::new();
    for p in &dev {
        let mut scratch = Scratch::default();
        let mut tmp = Features::default();
        let lex = Lexicon { brown: &res.brown, gaz: &full_map };
        features::extract(&p.doc.text, &p.tokens, &p.sentences, &lex, cfg.bits, &mut scratch, &mut tmp);
        dev_scratch.push(scratch);
    }
    let mut eval_dev = |table: &[f32], trans: &Transitions| {
        let mut score = Score::default();
        let mut agg = Vec::new();
        for (d, p) in dev.iter().enumerate() {
            let l1 = decode(table, trans, p, &dev_feats[d], &dev_sentinel[d]);
            features::aggregate(&mut dev_scratch[d], &l1, cfg.bits, &mut agg);
            let l2 = decode(table, trans, p, &dev_feats[d], &agg);
            score.add(&p.doc.gold, &predicted_spans(p, &l2));
        }
        eprint!(
            "  dev F1 {:.2} (PER {:.2} ORG {:.2} LOC {:.2} MISC {:.2}); {:.1}s;",
            score.overall.f1(),
            score.per_type[0].f1(),
            score.per_type[1].f1(),
            score.per_type[2].f1(),
            score.per_type[3].f1(),
            t0.elapsed().as_secs_f64()
        );
        Some(score.overall.f1())
    };
    // an ensemble of averaged perceptrons trained with different shuffles, averaged again
    let mut table = vec![0f32; (1usize << cfg.bits) * N_LABELS];
    let mut trans: Transitions = [[0.0; N_LABELS]; N_LABELS + 1];
    let mut epochs = Vec::new();
    for m in 0..cfg.ensemble.max(1) {
        let seed = cfg.seed.wrapping_mul(1000).wrapping_add(m as u64);
        let (t, tr, epoch) = perceptron(
            &train,
            &inst,
            &train_feats,
            &[&sentinel, &train_agg],
            cfg,
            cfg.epochs,
            seed,
            &mut eval_dev,
        );
        for (a, b) in table.iter_mut().zip(&t) {
            *a += b;
        }
        for (ra, rb) in trans.iter_mut().zip(&tr) {
            for (a, b) in ra.iter_mut().zip(rb) {
                *a += b;
            }
        }
        epochs.push(epoch);
        eprintln!("member {m}: best epoch {epoch}");
    }
    let k = cfg.ensemble.max(1) as f32;
    table.iter_mut().for_each(|x| *x /= k);
    trans.iter_mut().flatten().for_each(|x| *x /= k);
    eprint!("ensemble:");
    eval_dev(&table, &trans);
    eprintln!();
    let epoch = epochs[0];

    // quantise to int8 with one scale; optionally prune the smallest weights
    let max = table.iter().fold(0f32, |m, &x| m.max(x.abs()));
    let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
    let mut q: Vec<i8> = table.iter().map(|&x| (x / scale).round().clamp(-127.0, 127.0) as i8).collect();
    if cfg.prune > 0.0 {
        let mut mags: Vec<u8> = q.iter().filter(|&&v| v != 0).map(|&v| v.unsigned_abs()).collect();
        mags.sort_unstable();
        let cut = mags
            .get(((mags.len() as f32 * cfg.prune) as usize).min(mags.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0);
        for v in &mut q {
            if v.unsigned_abs() < cut {
                *v = 0;
            }
        }
    }
    let mut lists: Vec<(u32, u16)> = shipped_lists
        .iter()
        .map(|(&k, &b)| (k, b & ((((1u16 << 4) - 1) << LIST_TRAIN_PER) | GAZ_PREFIX)))
        .collect();
    lists.sort_unstable();
    let mut weights = Weights {
        bits: cfg.bits,
        table: q,
        scale,
        temperature: 1.0,
        res_checksum: res.checksum,
        trans,
        lists,
    };
    let res_for = || Resources::from_bytes(&res_bytes).map_err(|e| e.to_string());
    let tagger = ModelTagger::new(weights.clone(), res_for()?).map_err(|e| e.to_string())?;
    let dev_score = evaluate_tagger(&tagger, &dev);
    // confidence temperature: the grid value with the best Brier score on dev
    let mut best_t = (f64::INFINITY, 1.0f32);
    let mut tagger = tagger;
    for t in [1.0f32, 2.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0, 32.0] {
        weights.temperature = t;
        tagger = ModelTagger::new(weights.clone(), res_for()?).map_err(|e| e.to_string())?;
        let b = brier(&tagger, &dev);
        if b < best_t.0 {
            best_t = (b, t);
        }
    }
    drop(tagger);
    weights.temperature = best_t.1;
    let bytes = weights.to_bytes();
    eprintln!(
        "best epoch {epoch}; int8 dev F1 {:.2}; temperature {} (Brier {:.4}); {} bytes; {:.1}s",
        dev_score.overall.f1(),
        best_t.1,
        best_t.0,
        bytes.len(),
        t0.elapsed().as_secs_f64()
    );
    if let Some(out) = &cfg.out {
        std::fs::write(out, &bytes).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
        eprintln!("wrote {}", out.display());
    }
    Ok(Outcome { weights, dev: dev_score, epoch, bytes: bytes.len() })
}
