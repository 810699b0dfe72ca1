//! The trained names model: its embedded weights load (and corrupted ones are refused with an
//! error), it reaches its dev score floor on CoNLL-2003 dev read from ../shared, and it finds
//! the people in the seed article.

use pressmark::entity::model::conll::{self, GoldSpan, Score};
use pressmark::entity::model::{fnv32, ModelError, ModelTagger, Resources, Weights};
use pressmark::entity::{recognize_with, Label, NameTagger};
use pressmark::sentence::split_sentences;
use pressmark::token::tokenize;
use std::path::PathBuf;

fn shared() -> PathBuf {
    let dir = std::env::var_os("PRESSMARK_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    assert!(
        dir.is_dir(),
        "../shared is missing ({}): the names-model tests need the shared data (or set PRESSMARK_SHARED)",
        dir.display()
    );
    dir
}

/// Replaces the trailing checksum so that only the field under test is wrong.
fn reseal(mut bytes: Vec<u8>) -> Vec<u8> {
    let n = bytes.len() - 4;
    let sum = fnv32(&bytes[..n]);
    bytes[n..].copy_from_slice(&sum.to_le_bytes());
    bytes
}

#[test]
fn embedded_model_loads_and_corruption_is_an_error() {
    let model = ModelTagger::embedded_model_bytes();
    let res = ModelTagger::embedded_resource_bytes();
    let w = Weights::from_bytes(model).expect("embedded names.model parses");
    assert_eq!(w.bits, 18);
    assert!(ModelTagger::from_bytes(model, res).is_ok());
    // serialising again gives the same bytes
    assert_eq!(w.to_bytes(), model);

    let mut bad = model.to_vec();
    bad[0] = b'X';
    assert_eq!(Weights::from_bytes(&bad).unwrap_err(), ModelError::BadMagic);
    let mut bad = model.to_vec();
    bad[4] = 99;
    assert_eq!(Weights::from_bytes(&reseal(bad)).unwrap_err(), ModelError::Version(99));
    let mut bad = model.to_vec();
    let mid = bad.len() / 2;
    bad[mid] ^= 0x55;
    assert_eq!(Weights::from_bytes(&bad).unwrap_err(), ModelError::Checksum);
    assert!(Weights::from_bytes(&model[..model.len() / 3]).is_err());
    assert!(Weights::from_bytes(&reseal(model[..model.len() - 100].to_vec())).is_err());
    assert!(Weights::from_bytes(&[]).is_err());
    // every single-byte truncation point and a few flipped bytes: errors, never panics
    for cut in [5, 9, 10, 17, 400, 1000] {
        assert!(
            Weights::from_bytes(&reseal(model[..cut.min(model.len())].to_vec())).is_err()
                || cut >= model.len()
        );
    }
    let mut bad = res.to_vec();
    bad[10] ^= 1;
    assert_eq!(Resources::from_bytes(&bad).err(), Some(ModelError::Checksum));
    // a model refuses resources it was not trained with
    let mut other = w.clone();
    other.res_checksum ^= 1;
    let res_parsed = Resources::from_bytes(res).unwrap();
    assert_eq!(
        ModelTagger::new(other, res_parsed).err().map(|e| e.to_string()),
        Some(ModelError::ResourceMismatch.to_string())
    );
}

/// The resources' word lists are read in one pass, with no scan for their ends first: a file cut
/// anywhere is an error, and one with a byte changed inside the lists is an error or other valid
/// contents, never a panic or a read past its end.
#[test]
fn truncated_or_altered_resources_are_errors() {
    let res = ModelTagger::embedded_resource_bytes();
    let n = res.len();
    for k in 1..32 {
        let cut = (n * k / 32).max(10);
        assert!(Resources::from_bytes(&reseal(res[..cut].to_vec())).is_err(), "cut at {cut} of {n}");
    }
    for k in 1..16 {
        let at = n * k / 16;
        for byte in [b'\n', b'a', 0xC3, 0] {
            let mut altered = res.to_vec();
            altered[at] = byte;
            let _ = Resources::from_bytes(&reseal(altered));
        }
    }
}

#[test]
fn dev_score_floor() {
    let path = shared().join("data/conll2003/dev.txt");
    let docs = conll::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    assert_eq!(docs.len(), 216);
    let tagger = ModelTagger::embedded();
    // every other document keeps the debug-build test fast; the full dev set is scored by bench/ner_eval.sh
    let mut score = Score::default();
    for doc in docs.iter().step_by(2) {
        let tokens = tokenize(&doc.text);
        let sentences = split_sentences(&doc.text, &tokens);
        let pred: Vec<GoldSpan> = recognize_with(tagger, &doc.text, &tokens, &sentences)
            .into_iter()
            .filter(|e| e.label.is_name())
            .map(|e| GoldSpan { start: e.span.start, end: e.span.end, label: e.label })
            .collect();
        score.add(&doc.gold, &pred);
    }
    eprintln!("{}", score.report());
    assert!(score.overall.gold > 2500);
    assert!(
        score.overall.f1() >= 92.0,
        "dev F1 {:.2} below the floor 92.0\n{}",
        score.overall.f1(),
        score.report()
    );
    for (k, floor) in [95.0, 86.0, 94.0, 84.0].iter().enumerate() {
        assert!(score.per_type[k].f1() >= *floor, "type {k} F1 {:.2} below {floor}", score.per_type[k].f1());
    }
}

fn seed_article() -> (String, Vec<(String, String)>) {
    let path = shared().join("examples/seed-article.json");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("seed article")).unwrap();
    let text = v["text"].as_str().unwrap().to_string();
    let gold = v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["label"].as_str().unwrap().to_string(), e["text"].as_str().unwrap().to_string()))
        .collect();
    (text, gold)
}

fn tag(text: &str) -> Vec<(Label, String, f32)> {
    let tokens = tokenize(text);
    let sentences = split_sentences(text, &tokens);
    ModelTagger::embedded()
        .tag(text, &tokens, &sentences)
        .into_iter()
        .map(|e| (e.label, text[e.span].to_string(), e.confidence))
        .collect()
}

#[test]
fn seed_article_people() {
    let (text, gold) = seed_article();
    let found = tag(&text);
    // the bare model misses the all-caps photo credit ("Picture: NAME / AGENCY") and calls Opec a
    // place; the product's pipeline adds photo credits and listed organisations (tests/entities.rs)
    for (label, name) in gold.iter().filter(|(l, n)| l == "PER" && n.chars().any(char::is_lowercase)) {
        assert!(
            found.iter().any(|(l, t, _)| *l == Label::Per && t == name),
            "{label} {name:?} not found as PER: {found:?}"
        );
    }
    assert!(found.iter().any(|(l, t, _)| *l == Label::Per && t == "Haftar"));
    assert!(found.iter().all(|(_, _, c)| (0.0..=1.0).contains(c)));
    let haftar = found.iter().find(|(_, t, _)| t == "Khalifa Haftar").expect("Khalifa Haftar");
    assert!(haftar.2 > 0.5, "confident about a clear name: {haftar:?}");
}

/// A `names.res` in the version-3 layout (see `scripts/build_resources.py`), for the loader test.
fn res_v3(contents_id: u32, leaves: &[u32], words: &[(&str, u16)], lists: &[(u8, &[&str])]) -> Vec<u8> {
    fn planes(words: &[&str]) -> (Vec<u8>, Vec<u8>) {
        let (mut shared, mut suffixes, mut prev) = (Vec::new(), Vec::new(), &b""[..]);
        for w in words {
            let b = w.as_bytes();
            let n = b.iter().zip(prev).take(255).take_while(|(x, y)| x == y).count();
            shared.push(n as u8);
            suffixes.extend_from_slice(&b[n..]);
            suffixes.push(b'\n');
            prev = b;
        }
        (shared, suffixes)
    }
    let mut out = b"PMNR".to_vec();
    out.extend_from_slice(&3u16.to_le_bytes());
    out.extend_from_slice(&contents_id.to_le_bytes());
    out.extend_from_slice(&(leaves.len() as u16).to_le_bytes());
    leaves.iter().for_each(|p| out.extend_from_slice(&p.to_le_bytes()));
    out.extend_from_slice(&(words.len() as u32).to_le_bytes());
    let (shared, suffixes) = planes(&words.iter().map(|w| w.0).collect::<Vec<_>>());
    out.extend_from_slice(&shared);
    let mut ids = Vec::new();
    for &(_, id) in words {
        if id < 240 {
            ids.push(id as u8);
        } else {
            ids.extend_from_slice(&[240 + ((id - 240) >> 8) as u8, (id - 240) as u8]);
        }
    }
    out.extend_from_slice(&(ids.len() as u32).to_le_bytes());
    out.extend_from_slice(&ids);
    out.extend_from_slice(&suffixes);
    out.push(lists.len() as u8);
    for &(id, phrases) in lists {
        out.push(id);
        out.extend_from_slice(&(phrases.len() as u32).to_le_bytes());
        let (shared, suffixes) = planes(phrases);
        out.extend_from_slice(&shared);
        out.extend_from_slice(&suffixes);
    }
    let sum = fnv32(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

#[test]
fn resources_v3_words_hash_as_the_tagger_looks_them_up() {
    use pressmark::entity::features::{gaz_insert, hash_lower, GazMap};
    let leaves: Vec<u32> = (0..700).map(|i| i * 3 + 1).collect();
    let longest = "a".repeat(255); // the longest word a list may hold
    let long_b = format!("{}b", "a".repeat(254));
    // sorted as the build script sorts them (by bytes); shared prefixes that end inside a
    // non-ASCII char and run through one
    let words: Vec<(&str, u16)> = vec![
        (&longest, 3),
        (&long_b, 699),
        ("ab", 240),
        ("abc", 0),
        ("zu", 5),
        ("zuerich", 255),
        ("zürich", 496),
        ("zürichs", 7),
        ("zürichsee", 239),
        ("zü\u{130}", 12), // 'İ' lower-cases to two chars
        ("zü\u{130}x", 13),
        ("zz", 1),
    ];
    let places: &[&str] = &["aachen", "new york", "sankt pölten", "stoke-on-trent", "zürich"];
    let first: &[&str] = &["ana", "anabel", "zoe"];
    let data = res_v3(0xfeed_beef, &leaves, &words, &[(0, places), (1, first)]);
    let res = Resources::from_bytes(&data).expect("a well-formed version-3 file");
    assert_eq!(res.checksum, 0xfeed_beef, "the contents id, which models record");
    assert_eq!(res.brown.len(), words.len());
    for &(w, id) in &words {
        assert_eq!(res.brown.get(&hash_lower(w)), Some(&leaves[id as usize]), "{w:?}");
    }
    let mut gaz = GazMap::default();
    places.iter().for_each(|p| gaz_insert(&mut gaz, p, 0));
    first.iter().for_each(|p| gaz_insert(&mut gaz, p, 1));
    assert_eq!(res.gaz, gaz);

    // the layout is checked: an old version, ids missing or left over, a bad leaf id
    let mut v2 = data.clone();
    v2[4] = 2;
    assert_eq!(Resources::from_bytes(&reseal(v2)).err(), Some(ModelError::Version(2)));
    let short_ids = res_v3(0, &leaves, &[("a", 300), ("b", 1)], &[]);
    let ids_at = 4 + 2 + 4 + 2 + 4 * leaves.len() + 4 + 2;
    let mut cut = short_ids.clone();
    cut[ids_at..ids_at + 4].copy_from_slice(&2u32.to_le_bytes()); // 3 id bytes said to be 2
    assert!(Resources::from_bytes(&reseal(cut)).is_err());
    let mut extra = short_ids.clone();
    extra[ids_at..ids_at + 4].copy_from_slice(&4u32.to_le_bytes());
    assert!(Resources::from_bytes(&reseal(extra)).is_err());
    let too_long = "a".repeat(256);
    let res = Resources::from_bytes(&res_v3(0, &leaves, &[(&too_long, 1)], &[]));
    assert_eq!(res.err(), Some(ModelError::Invalid("word too long")));
    let bad_leaf = res_v3(0, &leaves, &[("a", 700)], &[]);
    assert_eq!(Resources::from_bytes(&bad_leaf).err(), Some(ModelError::Invalid("leaf id")));
    for n in [7, 20, data.len() / 2, data.len() - 5] {
        assert!(Resources::from_bytes(&reseal(data[..n].to_vec())).is_err(), "cut at {n}");
    }
}
