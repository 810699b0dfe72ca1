//! Word lists the rules read, kept as data in `src/lexicon/*.txt` (one entry per line, `#` comments)
//! and parsed once on first use.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Parses a word list: one entry per line, blank lines and `#` comments skipped.
pub fn parse_list(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Parses a list of `word value` lines ([`parse_list`] otherwise); `name` is the file's, for
/// the message when a line has no value (a broken list is a bug, caught by the tests).
fn keyed_list(name: &'static str, data: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    parse_list(data).map(move |line| match line.split_once(' ') {
        Some((word, value)) => (word, value.trim()),
        None => panic!("{name}: {line:?} has no value column"),
    })
}

fn set(cell: &'static OnceLock<HashSet<&'static str>>, data: &'static str) -> &'static HashSet<&'static str> {
    cell.get_or_init(|| parse_list(data).collect())
}

/// True for words written with a final period that does not end the sentence ("Mr", "Jan", "Inc").
pub fn is_abbreviation(word: &str) -> bool {
    static CELL: OnceLock<HashSet<&'static str>> = OnceLock::new();
    set(&CELL, include_str!("abbreviations.txt")).contains(word)
}

/// FxHash (the hasher rustc uses): fast on short keys. The entity rules look words up several
/// times per token, and with the default SipHash hashing was the largest item of the profile.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// The hasher state for [`WordSet`] and other lookup tables of words.
pub type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

/// A set of words with the fast hasher.
pub type WordSet = HashSet<&'static str, FxBuild>;

/// A key of up to 15 bytes packed into one integer: its bytes, zero-padded, and its length in the
/// last byte. Hashing and comparing one `u128` is much cheaper than hashing a string and calling
/// `memcmp`, and this lookup runs for every token. `None` for longer keys.
pub fn pack(k: &[u8]) -> Option<u128> {
    if k.len() > 15 {
        return None;
    }
    let mut b = [0u8; 16];
    // a byte loop, not `copy_from_slice`: keys are short, and a variable-length copy calls memcpy
    for (slot, &x) in b.iter_mut().zip(k) {
        *slot = x;
    }
    b[15] = k.len() as u8;
    Some(u128::from_le_bytes(b))
}

/// [`pack`] of `bytes[a..b]`. Where 16 bytes start at `a`, one 16-byte load with the bytes past
/// the key masked off: no copy loop (which the compiler turns into a `memcpy` call) per token.
pub fn pack_at(bytes: &[u8], a: usize, b: usize) -> Option<u128> {
    let len = b - a;
    match bytes.get(a..a + 16) {
        Some(window) if len <= 15 => {
            let mut w = [0u8; 16];
            w.copy_from_slice(window);
            let key = u128::from_le_bytes(w) & ((1u128 << (8 * len)) - 1) | (len as u128) << 120;
            debug_assert_eq!(Some(key), pack(&bytes[a..b]));
            Some(key)
        }
        _ => pack(&bytes[a..b]),
    }
}

/// Packed keys ([`pack`]) with a value each (word-list bits): open addressing with linear probing in a
/// table at most a quarter full. The numeric rules and the quote rules look every token's key up;
/// with a general hash map (string hashing, SIMD group probe, `memcmp`) that was a large part of
/// their cost, and here it is one multiply and, nearly always, one or two slot compares.
pub struct PackedTable<V> {
    /// `(key, bits)`; an empty slot is `(0, default)`. No listed key is 0 (that is the empty key, whose
    /// packed length byte is 0), and looking 0 up lands on an empty slot: the default, as it should.
    slots: Vec<(u128, V)>,
    /// 64 minus log2 of the table size: the hash's top bits index the table.
    shift: u32,
}

impl<V: Copy + Default> PackedTable<V> {
    /// A table of `entries` (distinct packed keys, none 0).
    pub fn new(entries: &std::collections::HashMap<u128, V, FxBuild>) -> PackedTable<V> {
        let size = (entries.len() * 4).next_power_of_two().max(64);
        let mut table =
            PackedTable { slots: vec![(0, V::default()); size], shift: 64 - size.trailing_zeros() };
        for (&key, &bits) in entries {
            let mut at = table.slot(key);
            while table.slots[at].0 != 0 {
                at = (at + 1) & (size - 1);
            }
            table.slots[at] = (key, bits);
        }
        table
    }

    /// The home slot of `key` (Fibonacci hashing of its two halves folded).
    fn slot(&self, key: u128) -> usize {
        let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
        (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// The value of `key`; `V::default()` for a key not in the table.
    pub fn get(&self, key: u128) -> V {
        let mask = self.slots.len() - 1;
        let mut at = self.slot(key);
        loop {
            let (k, bits) = self.slots[at];
            if k == key || k == 0 {
                return if k == key { bits } else { V::default() };
            }
            at = (at + 1) & mask;
        }
    }
}

/// Defines a public accessor for one word list in this folder.
macro_rules! word_list {
    ($(#[$doc:meta])* $name:ident, $file:literal) => {
        $(#[$doc])*
        pub fn $name() -> &'static WordSet {
            static CELL: OnceLock<WordSet> = OnceLock::new();
            CELL.get_or_init(|| parse_list(include_str!($file)).collect())
        }
    };
}

word_list!(
    /// Month names and abbreviations, lower case ("january", "jan", "jan.").
    months, "months.txt"
);
word_list!(
    /// Day names, lower case ("monday", "tue.").
    weekdays, "weekdays.txt"
);
/// Cardinal number words, lower case ("three", "twenty", "million"): the first column of
/// `number_words.txt`.
pub fn number_words() -> &'static WordSet {
    static CELL: OnceLock<WordSet> = OnceLock::new();
    CELL.get_or_init(|| number_values().keys().copied().collect())
}

/// The value of a word of [`number_words`] ("twenty" → 20, "million" → 1e6, "dozen" → 12).
pub fn number_word_value(word: &str) -> Option<f64> {
    number_values().get(word).copied()
}

fn number_values() -> &'static std::collections::HashMap<&'static str, f64> {
    static CELL: OnceLock<std::collections::HashMap<&'static str, f64>> = OnceLock::new();
    CELL.get_or_init(|| {
        keyed_list("number_words.txt", include_str!("number_words.txt"))
            .map(|(word, value)| {
                (
                    word,
                    value.parse().unwrap_or_else(|_| panic!("number_words.txt: {value:?} is not a number")),
                )
            })
            .collect()
    })
}
word_list!(
    /// Ordinal number words, lower case ("first", "twentieth").
    ordinal_words, "ordinal_words.txt"
);
/// Currency words after an amount, lower case ("dollars", "cents"), and ISO codes, upper case
/// ("USD"): the first column of `currencies.txt`.
pub fn currencies() -> &'static WordSet {
    static CELL: OnceLock<WordSet> = OnceLock::new();
    CELL.get_or_init(|| currency_codes().keys().copied().collect())
}

/// The ISO 4217 code of a word of [`currencies`] ("dollars" → "USD", "RMB" → "CNY"); `None` for
/// an unlisted word or one that names several currencies ("dinar").
pub fn currency_code(word: &str) -> Option<&'static str> {
    currency_codes().get(word).copied().flatten()
}

fn currency_codes() -> &'static std::collections::HashMap<&'static str, Option<&'static str>> {
    static CELL: OnceLock<std::collections::HashMap<&'static str, Option<&'static str>>> = OnceLock::new();
    CELL.get_or_init(|| {
        keyed_list("currencies.txt", include_str!("currencies.txt"))
            .map(|(word, code)| (word, (code != "-").then_some(code)))
            .collect()
    })
}
word_list!(
    /// Lower-case words that open sentences but are not names ("the", "however", "officials").
    common_words, "common_words.txt"
);
word_list!(
    /// Titles and honorifics written before a name, as written ("President", "Gov.", "Mr.").
    titles, "titles.txt"
);
word_list!(
    /// Lower-case nouns that mark the name after them as a person's ("envoy", "dictator").
    person_nouns, "person_nouns.txt"
);
word_list!(
    /// Common given names, as written ("Stephanie", "Khalifa").
    first_names, "first_names.txt"
);
word_list!(
    /// Places, as written; multi-word entries joined by single spaces ("Libya", "United Arab Emirates").
    places, "places.txt"
);
word_list!(
    /// Nationalities, demonyms, religions and party adjectives, singular ("Libyan", "Turk", "Republican").
    nationalities, "nationalities.txt"
);
word_list!(
    /// Organisations known by name, as written ("Opec", "Reuters", "United Nations").
    organisations, "organisations.txt"
);
/// What [`organisation_prefix`] says about a string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prefix {
    /// The string is an entry of [`organisations`] (and maybe the start of longer ones).
    Entry,
    /// The string only starts one or more entries ("United" of "United Nations").
    Start,
}

/// Looks `s` up among the entries of [`organisations`] and all their beginnings (every prefix that
/// ends on a char boundary). A string that starts no entry gives `None`, and then no longer string
/// that starts with it can be an entry: a search for the longest listed name can stop there.
pub fn organisation_prefix(s: &str) -> Option<Prefix> {
    static CELL: OnceLock<std::collections::HashMap<&'static str, Prefix, FxBuild>> = OnceLock::new();
    let map = CELL.get_or_init(|| {
        let mut map = std::collections::HashMap::default();
        for &entry in organisations() {
            for (end, _) in entry.char_indices().skip(1) {
                map.entry(&entry[..end]).or_insert(Prefix::Start);
            }
            map.insert(entry, Prefix::Entry);
        }
        map
    });
    map.get(s).copied()
}

word_list!(
    /// Organisation heads: last words ("Party", "Ministry") and, with a trailing " of", openers of
    /// "X of Y" names ("Bank of").
    org_heads, "org_heads.txt"
);
word_list!(
    /// Place heads: last words ("Base", "Sea"), "X of" openers ("Gulf of") and, with a leading
    /// "^", first words ("^Mount").
    loc_heads, "loc_heads.txt"
);
word_list!(
    /// Last words of event, prize, treaty and other MISC names ("Cup", "Treaty").
    misc_heads, "misc_heads.txt"
);

/// Parses a list whose lines may hold several whitespace-separated entries.
/// The quote rules look words up several times per token: fast hashing ([`FxBuild`]).
fn words_set(cell: &'static OnceLock<WordSet>, data: &'static str) -> &'static WordSet {
    cell.get_or_init(|| parse_list(data).flat_map(str::split_whitespace).collect())
}

/// True for a form of a reporting verb ("said", "tweeted", "insists"); `word` in lower case.
pub fn is_reporting_verb(word: &str) -> bool {
    static CELL: OnceLock<WordSet> = OnceLock::new();
    words_set(&CELL, include_str!("reporting_verbs.txt")).contains(word)
}

/// The lemma of a reporting verb form ("told" → "tell"); `word` in lower case.
pub fn reporting_verb_lemma(word: &str) -> Option<&'static str> {
    static CELL: OnceLock<std::collections::HashMap<&'static str, &'static str, FxBuild>> = OnceLock::new();
    let map = CELL.get_or_init(|| {
        let mut m = std::collections::HashMap::default();
        for line in parse_list(include_str!("reporting_verbs.txt")) {
            let mut forms = line.split_whitespace();
            if let Some(lemma) = forms.next() {
                m.insert(lemma, lemma);
                for f in forms {
                    m.entry(f).or_insert(lemma);
                }
            }
        }
        m
    });
    map.get(word).copied()
}

/// Gender (`'m'`, `'f'`, `'n'` or `'-'`) and number (`'s'`, `'p'`) of a personal pronoun; lower case.
pub fn pronoun(word: &str) -> Option<(char, char)> {
    static CELL: OnceLock<std::collections::HashMap<&'static str, (char, char), FxBuild>> = OnceLock::new();
    let map = CELL.get_or_init(|| {
        parse_list(include_str!("pronouns.txt"))
            .filter_map(|l| {
                let mut f = l.split_whitespace();
                let (w, g, n) = (f.next()?, f.next()?, f.next()?);
                Some((w, (g.chars().next()?, n.chars().next()?)))
            })
            .collect()
    });
    map.get(word).copied()
}

fn quote_titles() -> &'static WordSet {
    static CELL: OnceLock<WordSet> = OnceLock::new();
    words_set(&CELL, include_str!("quote_titles.txt"))
}

fn quote_roles() -> &'static WordSet {
    static CELL: OnceLock<WordSet> = OnceLock::new();
    words_set(&CELL, include_str!("quote_roles.txt"))
}

fn quote_org_words() -> &'static WordSet {
    static CELL: OnceLock<WordSet> = OnceLock::new();
    words_set(&CELL, include_str!("quote_org_words.txt"))
}

/// True for a title or office word that may precede a name ("sen", "president"); lower case, no period.
pub fn is_quote_title(word: &str) -> bool {
    quote_titles().contains(word)
}

/// True for the head noun of an unnamed or institutional speaker ("official", "ministry"); lower case.
pub fn is_quote_role(word: &str) -> bool {
    quote_roles().contains(word)
}

/// `word` as stored in the role list ([`is_quote_role`]) or else the title list
/// ([`is_quote_title`]): a `'static` copy to key a map with, so no `String` per entry.
pub fn quote_role_or_title(word: &str) -> Option<&'static str> {
    quote_roles().get(word).or_else(|| quote_titles().get(word)).copied()
}

/// `word` as stored in the organisation-word list ([`is_quote_org_word`]), or else, when
/// `or_title`, the title list ([`is_quote_title`]): a `'static` copy to key a map with.
pub fn quote_org_or_title(word: &str, or_title: bool) -> Option<&'static str> {
    quote_org_words().get(word).or_else(|| quote_titles().get(word).filter(|_| or_title)).copied()
}

/// True for a document noun that cannot be a speaker ("report", "statement"); lower case.
pub fn is_quote_document(word: &str) -> bool {
    static CELL: OnceLock<WordSet> = OnceLock::new();
    words_set(&CELL, include_str!("quote_documents.txt")).contains(word)
}

/// True for a capitalised word that is never part of a person's name ("The", "Monday"); lower case.
pub fn is_quote_not_name(word: &str) -> bool {
    static CELL: OnceLock<WordSet> = OnceLock::new();
    words_set(&CELL, include_str!("quote_not_names.txt")).contains(word)
}

/// Gender of a common first name: `Some('f')`, `Some('m')`, or `None` (unknown or both); lower case.
pub fn first_name_gender(word: &str) -> Option<char> {
    static F: OnceLock<WordSet> = OnceLock::new();
    static M: OnceLock<WordSet> = OnceLock::new();
    let f = words_set(&F, include_str!("quote_female_names.txt")).contains(word);
    let m = words_set(&M, include_str!("quote_male_names.txt")).contains(word);
    match (f, m) {
        (true, false) => Some('f'),
        (false, true) => Some('m'),
        _ => None,
    }
}

/// True for the last word of an organisation name ("ministry", "institute"); lower case.
pub fn is_quote_org_word(word: &str) -> bool {
    quote_org_words().contains(word)
}

/// True for the lemma of a reporting verb that takes a reported clause (indirect quotes).
pub fn is_indirect_lemma(lemma: &str) -> bool {
    static CELL: OnceLock<WordSet> = OnceLock::new();
    words_set(&CELL, include_str!("quote_indirect_verbs.txt")).contains(lemma)
}
