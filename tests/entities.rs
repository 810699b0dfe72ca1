//! Entities end to end: the seed article against its gold file (read from ../shared at test time,
//! never copied here), and invented sentences for every value form.

use pressmark::entity::model::ModelTagger;
use pressmark::entity::names::HeuristicTagger;
use pressmark::entity::{Label, NameTagger};
use std::collections::HashSet;
use std::path::PathBuf;

/// `(text, label)` of every entity found in `text` with the rule-based name tagger.
fn entities(text: &str) -> Vec<(String, &'static str)> {
    recognize(&HeuristicTagger, text).iter().map(|e| (text[e.span].to_string(), e.label.as_str())).collect()
}

/// The entity stage alone, with a chosen name tagger.
fn recognize(tagger: &dyn NameTagger, text: &str) -> Vec<pressmark::entity::Entity> {
    let tokens = pressmark::token::tokenize(text);
    let sentences = pressmark::sentence::split_sentences(text, &tokens);
    pressmark::entity::recognize_with(tagger, text, &tokens, &sentences)
}

/// A gold entity as byte offsets.
type Gold = HashSet<(usize, usize, String)>;

struct Seed {
    text: String,
    gold: Gold,
}

/// Reads the seed article and converts its code-point offsets to bytes. Panics when ../shared is
/// missing: the test must never pass by skipping.
fn seed() -> Seed {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/examples/seed-article.json");
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("the seed article {} is missing ({e}); the entity test needs ../shared/examples next to the project", path.display())
    });
    let doc: serde_json::Value = serde_json::from_str(&raw).expect("seed-article.json is valid JSON");
    let text = doc["text"].as_str().expect("seed has a text").to_string();
    let mut byte_at: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    byte_at.push(text.len());
    let gold = doc["entities"]
        .as_array()
        .expect("seed has entities")
        .iter()
        .map(|e| {
            let (s, t) = (e["start"].as_u64().unwrap() as usize, e["end"].as_u64().unwrap() as usize);
            (byte_at[s], byte_at[t], e["label"].as_str().unwrap().to_string())
        })
        .collect();
    Seed { text, gold }
}

/// Exact-span precision, recall and F1 over the labels `keep`.
fn score(gold: &Gold, pred: &Gold, keep: &[&str]) -> (f64, f64, f64) {
    let g: Gold = gold.iter().filter(|x| keep.contains(&x.2.as_str())).cloned().collect();
    let p: Gold = pred.iter().filter(|x| keep.contains(&x.2.as_str())).cloned().collect();
    let tp = g.intersection(&p).count() as f64;
    let precision = if p.is_empty() { 0.0 } else { tp / p.len() as f64 };
    let recall = if g.is_empty() { 0.0 } else { tp / g.len() as f64 };
    let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
    (precision, recall, f1)
}

fn differences(text: &str, gold: &Gold, pred: &Gold, keep: &[&str]) -> String {
    let show = |set: &Gold, other: &Gold| {
        let mut v: Vec<String> = set
            .iter()
            .filter(|x| keep.contains(&x.2.as_str()) && !other.contains(x))
            .map(|(s, e, l)| format!("{l} {:?} @{s}", &text[*s..*e]))
            .collect();
        v.sort();
        v.join(", ")
    };
    format!("missed: [{}]\nspurious: [{}]", show(gold, pred), show(pred, gold))
}

/// Scores one name tagger on the seed article; values always come from the rules.
fn seed_scores(
    tagger: &dyn NameTagger,
    name_floor: f64,
    per_recall_floor: f64,
) -> (Seed, Vec<pressmark::entity::Entity>) {
    let seed = seed();
    let entities = recognize(tagger, &seed.text);
    let pred: Gold =
        entities.iter().map(|e| (e.span.start, e.span.end, e.label.as_str().to_string())).collect();
    for (keep, floor) in
        [(&["PER", "ORG", "LOC", "MISC"][..], name_floor), (&["DATE", "TIME", "MONEY", "PERCENT"][..], 0.95)]
    {
        let (p, r, f) = score(&seed.gold, &pred, keep);
        eprintln!("seed {keep:?}: P {:.1} R {:.1} F1 {:.1}", 100.0 * p, 100.0 * r, 100.0 * f);
        assert!(
            f >= floor,
            "seed F1 for {keep:?} is {f:.3}, below the floor {floor}\n{}",
            differences(&seed.text, &seed.gold, &pred, keep)
        );
    }
    let (_, r, _) = score(&seed.gold, &pred, &["PER"]);
    assert!(
        r >= per_recall_floor,
        "PER recall {r:.3} < {per_recall_floor}\n{}",
        differences(&seed.text, &seed.gold, &pred, &["PER"])
    );
    // A bare "Haftar" is PER every time (spaCy's small model calls him ORG).
    let haftar: Vec<Label> =
        entities.iter().filter(|e| &seed.text.as_str()[e.span] == "Haftar").map(|e| e.label).collect();
    let gold_haftar =
        seed.gold.iter().filter(|(s, e, l)| &seed.text[*s..*e] == "Haftar" && l == "PER").count();
    assert!(
        gold_haftar > 0 && haftar.len() == gold_haftar && haftar.iter().all(|&l| l == Label::Per),
        "a bare \"Haftar\" is PER every time ({gold_haftar} in gold): {haftar:?}"
    );
    (seed, entities)
}

/// The trained model, the names tagger pressmark uses. Floors just below what it reaches (names
/// F1 90.9, PER recall 0.90: the photo credit "MAHMUD TURKIA" is missed; "Opec" and "Bloomberg"
/// come out LOC — see `ner_model::seed_article_open_cases`).
#[test]
fn seed_article_with_the_model() {
    seed_scores(ModelTagger::embedded(), 0.89, 0.89);
}

/// The rule-based tagger (kept behind the same interface as a baseline). Its lists were written
/// while reading this article, so its 100 here overstates it: on CoNLL dev it reaches 79.4.
#[test]
fn seed_article_with_the_rules() {
    let (seed, entities) = seed_scores(&HeuristicTagger, 0.97, 1.0);
    for org in ["Opec", "UN", "AFP"] {
        let found: Vec<Label> =
            entities.iter().filter(|e| &seed.text.as_str()[e.span] == org).map(|e| e.label).collect();
        assert!(!found.is_empty() && found.iter().all(|&l| l == Label::Org), "{org:?} is ORG: {found:?}");
    }
}

fn check(cases: &[(&str, &[(&str, &str)])]) {
    for (text, want) in cases {
        let got = entities(text);
        let want: Vec<(String, &str)> = want.iter().map(|&(s, l)| (s.to_string(), l)).collect();
        assert_eq!(got, want, "entities in {text:?}");
    }
}

#[test]
fn value_forms_in_invented_sentences() {
    check(&[
        // DATE
        (
            "The mill reopened on June 3, 2019 after closing 3 June 2018.",
            &[("June 3, 2019", "DATE"), ("3 June 2018", "DATE")],
        ),
        (
            "The filing is dated 2021-11-02 and was amended on Thursday.",
            &[("2021-11-02", "DATE"), ("Thursday", "DATE")],
        ),
        ("Rents have doubled since 2015 and peaked in the 1980s.", &[("2015", "DATE"), ("1980s", "DATE")]),
        (
            "The council met last week and will vote next month.",
            &[("last week", "DATE"), ("next month", "DATE")],
        ),
        (
            "Two decades ago the bridge was new; this year it is closed.",
            &[("Two decades ago", "DATE"), ("this year", "DATE")],
        ),
        (
            "A month-long strike ended at the end of the month.",
            &[("month-long", "DATE"), ("end of the month", "DATE")],
        ),
        (
            "Yesterday the ferry ran late; tomorrow it may not run.",
            &[("Yesterday", "DATE"), ("tomorrow", "DATE")],
        ),
        // recurring dates, durations, seasons, short decades; not rates, not the verb "fall"
        (
            "The fair opens every February and on Saturdays in winter.",
            &[("every February", "DATE"), ("Saturdays", "DATE"), ("winter", "DATE")],
        ),
        (
            "She led it for a year after two winters abroad, in the ’90s.",
            &[("a year", "DATE"), ("two winters", "DATE"), ("’90s", "DATE")],
        ),
        ("The ferry sails twice a day and prices fall in spring.", &[("spring", "DATE")]),
        // TIME
        ("The alarm sounded at 4:45 p.m. and again at 11pm.", &[("4:45 p.m.", "TIME"), ("11pm", "TIME")]),
        (
            "Crews worked through midnight and resumed this afternoon.",
            &[("midnight", "TIME"), ("this afternoon", "TIME")],
        ),
        ("The market opens Saturday morning.", &[("Saturday morning", "TIME")]),
        // MONEY
        ("The stadium cost $450 million, or about €410m.", &[("$450 million", "MONEY"), ("€410m", "MONEY")]),
        (
            "Tickets rose to £12 from 90 pence, and HK$30 abroad.",
            &[("£12", "MONEY"), ("90 pence", "MONEY"), ("HK$30", "MONEY")],
        ),
        ("The fund holds $3.4bn and 200 million yen.", &[("$3.4bn", "MONEY"), ("200 million yen", "MONEY")]),
        // PERCENT
        (
            "Turnout was 61% against 58.5 percent and 40 per cent.",
            &[("61%", "PERCENT"), ("58.5 percent", "PERCENT"), ("40 per cent", "PERCENT")],
        ),
        // CARDINAL and ORDINAL (pressmark marks them; the gold files do not)
        (
            "Some 3,500 residents and twelve firefighters came second.",
            &[("3,500", "CARDINAL"), ("twelve", "CARDINAL"), ("second", "ORDINAL")],
        ),
    ]);
}

#[test]
fn years_and_codes_are_told_apart() {
    check(&[
        ("The 2016 referendum split the town.", &[("2016", "DATE")]),
        ("Nearly 2000 people marched.", &[("2000", "CARDINAL")]),
        (
            "The plane was Flight 714 and the total was 2,016.",
            &[("Flight 714", "MISC"), ("2,016", "CARDINAL")],
        ),
    ]);
}

#[test]
fn names_in_invented_sentences() {
    check(&[
        (
            "Sen. Maria Duarte of Brazil met Dr. Anton Weiss in Vienna.",
            &[("Maria Duarte", "PER"), ("Brazil", "LOC"), ("Anton Weiss", "PER"), ("Vienna", "LOC")],
        ),
        (
            "The Kenyan-built ferry belongs to Lakeside Transport Ltd.",
            &[("Kenyan-built", "MISC"), ("Lakeside Transport Ltd.", "ORG")],
        ),
        (
            "Corinne Vasquez resigned. Vasquez’s deputy took over.",
            &[("Corinne Vasquez", "PER"), ("Vasquez", "PER")],
        ),
        (
            "Portuguese and Dutch fans reached the Port of Rotterdam.",
            &[("Portuguese", "MISC"), ("Dutch", "MISC"), ("Port of Rotterdam", "LOC")],
        ),
    ]);
}

/// The default pipeline corrects the model with the list of organisations known by a bare name,
/// but never turns a person's surname into an organisation.
#[test]
fn known_organisations_are_org_unless_a_person_bears_the_name() {
    let labels = |text: &str| -> Vec<(String, &'static str)> {
        pressmark::annotate(text)
            .entities
            .iter()
            .filter(|e| e.label.is_name())
            .map(|e| (text[e.span].to_string(), e.label.as_str()))
            .collect()
    };
    let got = labels("Opec cut output again on Monday, AFP reported, citing delegates.");
    assert!(
        got.contains(&("Opec".to_string(), "ORG")) && got.contains(&("AFP".to_string(), "ORG")),
        "{got:?}"
    );
    let got = labels("Michael Bloomberg spoke in Denver. Bloomberg said he would fund the campaign.");
    assert!(got.contains(&("Bloomberg".to_string(), "PER")), "{got:?}");
}

/// Curly and low quotation marks look to the model like the straight ones it was trained on: the
/// first word of a quote is not taken for a name ("“You", "„Das" were PER before).
#[test]
fn a_word_opening_a_curly_quote_is_not_a_name() {
    for text in [
        "“You cannot build a port on hope,” said Ingrid Solberg.",
        "„Das ist ein guter Tag“, sagte Jonas Weber.",
        "«Let them try», Amélie Roux said.",
    ] {
        let names: Vec<(String, &str)> = pressmark::annotate(text)
            .entities
            .iter()
            .filter(|e| e.label.is_name())
            .map(|e| (text[e.span].to_string(), e.label.as_str()))
            .collect();
        assert!(
            names
                .iter()
                .all(|(t, _)| !t.contains(['“', '„', '«']) && !["You", "Das", "Let"].contains(&t.as_str())),
            "{text}: {names:?}"
        );
        assert!(names.iter().any(|(_, l)| *l == "PER"), "{text}: the speaker is found: {names:?}");
    }
}
