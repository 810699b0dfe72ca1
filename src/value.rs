//! Normalised values of DATE, MONEY and PERCENT entities: what the words mean as data.
//!
//! * DATE → an ISO 8601 string where the expression is determinate ("May 20, 2020" → "2020-05-20",
//!   "January 2011" → "2011-01", "2011" → "2011"). Relative expressions ("Monday", "last week",
//!   "yesterday") are resolved against the article's dateline when it has one (see [`find_dateline`]);
//!   otherwise they are [`Value::Relative`] and carry no date.
//! * MONEY → amount and ISO 4217 currency ("$1.2 billion" → 1.2e9 USD, "€50" → 50 EUR).
//! * PERCENT → the number ("90%" → 90, "12 percent" → 12).

use crate::entity::{Entity, Label};
use crate::lexicon;

/// A calendar day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    /// Year, e.g. 2020.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month, 1–31.
    pub day: u32,
}

/// The normalised value of one entity.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// An ISO 8601 date, month, year or week ("2020-05-20", "2011-01", "2011", "2020-W20").
    Date(String),
    /// A relative date with no dateline to resolve it against.
    Relative,
    /// An amount of money.
    Money {
        /// The amount in units of the currency.
        amount: f64,
        /// ISO 4217 code, e.g. "USD"; `None` when the currency is not stated clearly.
        currency: Option<&'static str>,
    },
    /// A percentage, e.g. 12.5 for "12.5%".
    Percent(f64),
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// The value of `entity`, if its label has values and its text can be read.
pub fn value_of(text: &str, entity: &Entity, dateline: Option<Day>) -> Option<Value> {
    let words = &text[entity.span];
    match entity.label {
        Label::Date => date_value(words, dateline),
        Label::Money => money_value(words),
        Label::Percent => percent_value(words),
        _ => None,
    }
}

/// The article's dateline: the first full date (day, month and year) among its first entities,
/// when it lies within the first 600 bytes (a caption, a byline, "TRIPOLI, May 20, 2020 —").
pub fn find_dateline(text: &str, entities: &[Entity]) -> Option<Day> {
    entities
        .iter()
        .take_while(|e| e.span.start < 600)
        .filter(|e| e.label == Label::Date)
        .find_map(|e| absolute_day(&words_of(&text[e.span]).split()))
}

/// Lower-cased words of an expression, with commas and periods dropped, joined by single spaces:
/// one string rather than one per word (lower-cased words hold no whitespace, so [`Words::split`]
/// gives them back).
struct Words(String);

impl Words {
    fn split(&self) -> Vec<&str> {
        self.0.split(' ').filter(|w| !w.is_empty()).collect()
    }
}

fn words_of(s: &str) -> Words {
    let mut out = String::with_capacity(s.len());
    for w in s.split(|c: char| c.is_whitespace() || c == ',') {
        let w = w.trim_matches(|c: char| c == '.' || c == ',');
        if w.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        if w.is_ascii() {
            // what `to_lowercase` gives for ASCII, without a string per word
            out.extend(w.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            out.push_str(&w.to_lowercase());
        }
    }
    Words(out)
}

fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    if w.len() < 3 {
        return None;
    }
    MONTHS.iter().position(|m| m.starts_with(w)).map(|i| i as u32 + 1)
}

fn day_number(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_alphabetic());
    let suffix = &word[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year_number(word: &str) -> Option<i32> {
    let w = word.trim_start_matches('\'').trim_start_matches('’');
    (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
        .then(|| w.parse().ok())
        .flatten()
        .filter(|y| (1000..=2999).contains(y))
}

/// "May 20, 2020", "20 May 2020", "2020-05-20", "May 20th 2020".
fn absolute_day(words: &[&str]) -> Option<Day> {
    if let [w] = words {
        let parts: Vec<&str> = w.split('-').collect();
        if let [y, m, d] = parts[..] {
            let (year, month, day) = (year_number(y)?, m.parse().ok()?, d.parse().ok()?);
            return valid(Day { year, month, day });
        }
    }
    let mut month = None;
    let mut day = None;
    let mut year = None;
    for w in words {
        if let Some(m) = month_number(w) {
            month = month.or(Some(m));
        } else if let Some(y) = year_number(w) {
            year = year.or(Some(y));
        } else if let Some(d) = day_number(w) {
            day = day.or(Some(d));
        }
    }
    valid(Day { year: year?, month: month?, day: day? })
}

fn valid(d: Day) -> Option<Day> {
    ((1..=12).contains(&d.month) && d.day >= 1 && d.day <= days_in_month(d.year, d.month)).then_some(d)
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (proleptic Gregorian), and back: for weekday and offset arithmetic.
fn to_days(d: Day) -> i64 {
    let (y, m) = if d.month <= 2 {
        (d.year as i64 - 1, d.month as i64 + 9)
    } else {
        (d.year as i64, d.month as i64 - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d.day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn from_days(z: i64) -> Day {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    Day { year, month, day }
}

/// 0 = Monday.
fn weekday(d: Day) -> usize {
    (to_days(d) + 3).rem_euclid(7) as usize
}

fn iso(d: Day) -> String {
    format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
}

fn iso_week(d: Day) -> String {
    // the ISO week belongs to the year of its Thursday
    let thursday = from_days(to_days(d) - weekday(d) as i64 + 3);
    let jan1 = to_days(Day { year: thursday.year, month: 1, day: 1 });
    format!("{:04}-W{:02}", thursday.year, (to_days(thursday) - jan1) / 7 + 1)
}

fn date_value(s: &str, dateline: Option<Day>) -> Option<Value> {
    let words = words_of(s);
    let words = words.split();
    if let Some(d) = absolute_day(&words) {
        return Some(Value::Date(iso(d)));
    }
    let month = words.iter().find_map(|w| month_number(w));
    let year = words.iter().find_map(|w| year_number(w));
    let day = words.iter().find_map(|w| day_number(w));
    match (month, year, day) {
        (Some(_), Some(_), Some(_)) => return None, // a full date that does not exist
        (Some(m), Some(y), None) => return Some(Value::Date(format!("{y:04}-{m:02}"))),
        (None, Some(y), None)
            if words.len() == 1
                || words
                    .iter()
                    .all(|w| matches!(*w, "in" | "of" | "year" | "the") || year_number(w).is_some()) =>
        {
            return Some(Value::Date(format!("{y:04}")))
        }
        _ => {}
    }
    // decades ("the 1990s") and other determinate-but-fuzzy expressions carry no value
    if words.iter().any(|w| w.ends_with('s') && w.len() == 5 && w[..4].bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let Some(base) = dateline else {
        return is_relative(&words).then_some(Value::Relative);
    };
    let has = |w: &str| words.contains(&w);
    let offset_day = |n: i64| Some(Value::Date(iso(from_days(to_days(base) + n))));
    if let (Some(m), Some(d)) = (month, day) {
        return valid(Day { year: base.year, month: m, day: d }).map(|d| Value::Date(iso(d)));
    }
    if has("today") || has("tonight") {
        return offset_day(0);
    }
    if has("yesterday") {
        return offset_day(-1);
    }
    if has("tomorrow") {
        return offset_day(1);
    }
    if let Some(wd) = words.iter().find_map(|w| WEEKDAYS.iter().position(|d| w.trim_end_matches('s') == *d)) {
        // news reports mostly look back: the latest such weekday on or before the dateline,
        // unless the text says "next"
        if has("next") {
            let ahead = (wd + 7 - weekday(base)) % 7;
            return offset_day(if ahead == 0 { 7 } else { ahead as i64 });
        }
        return offset_day(-(((weekday(base) + 7 - wd) % 7) as i64));
    }
    let shift = if has("last") || has("past") || has("previous") {
        -1
    } else if has("next") || has("coming") {
        1
    } else if has("this") || has("current") {
        0
    } else {
        return is_relative(&words).then_some(Value::Relative);
    };
    if has("week") {
        return Some(Value::Date(iso_week(from_days(to_days(base) + 7 * shift))));
    }
    if has("month") {
        let months = base.year * 12 + base.month as i32 - 1 + shift as i32;
        return Some(Value::Date(format!("{:04}-{:02}", months.div_euclid(12), months.rem_euclid(12) + 1)));
    }
    if has("year") {
        return Some(Value::Date(format!("{:04}", base.year + shift as i32)));
    }
    is_relative(&words).then_some(Value::Relative)
}

fn is_relative(words: &[&str]) -> bool {
    words.iter().any(|w| {
        matches!(
            *w,
            "today"
                | "tonight"
                | "yesterday"
                | "tomorrow"
                | "last"
                | "next"
                | "this"
                | "past"
                | "coming"
                | "ago"
                | "previous"
                | "current"
                | "recent"
                | "earlier"
                | "later"
        ) || WEEKDAYS.contains(&w.trim_end_matches('s'))
            || month_number(w).is_some()
    })
}

/// Reads a number written in digits ("1,200.5") or words ("two", "a"), with any scale words
/// after it ("1.2 billion", "3m", "$5bn", "two million").
pub fn parse_amount(s: &str) -> Option<f64> {
    let mut total: Option<f64> = None;
    let mut saw_scale = false;
    for raw in s.split_whitespace() {
        let w = raw.trim_matches(|c: char| matches!(c, ',' | '(' | ')')).to_lowercase();
        // digits with an optional glued scale: "1,200.5", "3m", "5bn", "2.5tn"
        let digits_end = w.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',')).unwrap_or(w.len());
        if digits_end > 0 {
            let n: f64 = w[..digits_end].replace(',', "").parse().ok()?;
            total = Some(n * scale(&w[digits_end..]).unwrap_or(1.0));
            continue;
        }
        if let Some(n) = number_word(&w) {
            total = Some(match total {
                Some(t) if !saw_scale && t >= 20.0 && n < 10.0 => t + n, // "twenty five"
                _ => n,
            });
        } else if let Some(k) = scale(&w) {
            if k > 1.0 {
                total = Some(total.unwrap_or(1.0) * k);
                saw_scale = true;
            }
        }
    }
    total
}

/// The factor of a scale word: a listed number word of 100 or more ("million", "dozen" is 12),
/// its plural, or a newsroom abbreviation ("5bn", "3m", "$2.5tn").
fn scale(word: &str) -> Option<f64> {
    let w = word.trim_end_matches('.');
    let listed = |w: &str| lexicon::number_word_value(w).filter(|&v| v >= 100.0 || w == "dozen");
    Some(match w {
        "" => 1.0,
        "k" => 1e3,
        "m" | "mn" | "mln" => 1e6,
        "b" | "bn" | "bln" => 1e9,
        "tn" | "trn" => 1e12,
        _ => return listed(w).or_else(|| w.strip_suffix('s').and_then(listed)),
    })
}

/// The value of a counting word: a listed number word under 100 ("seven", "twenty"), a
/// hyphenated one ("twenty-five"), "a"/"an" (1) or "half".
fn number_word(w: &str) -> Option<f64> {
    let counting = |w: &str| lexicon::number_word_value(w).filter(|&v| v < 100.0 && w != "dozen");
    match w {
        "a" | "an" => Some(1.0),
        "half" => Some(0.5),
        _ => counting(w).or_else(|| {
            let (tens, ones) = w.split_once('-')?;
            let (t, o) = (
                counting(tens).filter(|&t| t >= 20.0 && t % 10.0 == 0.0)?,
                counting(ones).filter(|&o| o < 10.0)?,
            );
            Some(t + o)
        }),
    }
}

/// Currency signs written before an amount → ISO 4217, longest first so "US$" wins over "$".
/// Currency words and ISO codes ("dollars", "EUR") come from `src/lexicon/currencies.txt`, the
/// list the numeric rules find amounts with ([`lexicon::currency_code`]).
const SIGNS: &[(&str, &str)] = &[
    ("us$", "USD"),
    ("a$", "AUD"),
    ("au$", "AUD"),
    ("c$", "CAD"),
    ("ca$", "CAD"),
    ("nz$", "NZD"),
    ("hk$", "HKD"),
    ("s$", "SGD"),
    ("r$", "BRL"),
    ("rs", "INR"),
    ("$", "USD"),
    ("€", "EUR"),
    ("£", "GBP"),
    ("¥", "JPY"),
    ("₹", "INR"),
    ("₽", "RUB"),
    ("₩", "KRW"),
    ("₺", "TRY"),
    ("₦", "NGN"),
    ("₪", "ILS"),
    ("₱", "PHP"),
    ("₴", "UAH"),
    ("zł", "PLN"),
];

/// The code of an ISO code written in any case ("usd" → "USD").
fn iso_code(word: &str) -> Option<&'static str> {
    (word.len() == 3 && word.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| lexicon::currency_code(&word.to_ascii_uppercase()))
        .flatten()
}

fn money_value(s: &str) -> Option<Value> {
    let lower = s.to_lowercase();
    let mut currency = None;
    let mut rest = lower.as_str();
    // an ISO code before the amount ("USD 5"), else a sign ("US$5", "€5", "Rs 50")
    let code_before =
        rest.get(..3).filter(|_| !rest[3..].starts_with(|c: char| c.is_alphabetic())).and_then(iso_code);
    if let Some(code) = code_before {
        currency = Some(code);
        rest = &rest[3..];
    } else {
        for (sign, code) in SIGNS {
            if let Some(after) = rest.strip_prefix(sign) {
                if sign.chars().all(char::is_alphabetic) && after.starts_with(|c: char| c.is_alphabetic()) {
                    continue; // "rs" in "rsomething"
                }
                currency = Some(*code);
                rest = after;
                break;
            }
        }
    }
    let mut amount = parse_amount(rest.trim())?;
    for word in rest.split_whitespace() {
        let w = word.trim_end_matches(['.', ',']);
        let stem =
            w.strip_suffix("es").filter(|s| s.ends_with("ch")).or_else(|| w.strip_suffix('s')).unwrap_or(w);
        if lexicon::currencies().contains(w) || lexicon::currencies().contains(stem) {
            // "U.S. dollars", "Canadian dollars": the sign, if any, already said which
            currency = currency.or(lexicon::currency_code(w)).or(lexicon::currency_code(stem));
            if matches!(stem, "cent" | "pence") {
                amount /= 100.0;
            }
        }
        if let Some(code) =
            iso_code(w).or_else(|| SIGNS.iter().find(|(sign, _)| sign.len() >= 3 && *sign == w).map(|s| s.1))
        {
            currency = currency.or(Some(code));
        }
    }
    // the cheap test first (the same result: both tests are pure)
    if currency == Some("USD") && lower.contains("canadian") {
        currency = Some("CAD");
    } else if currency == Some("USD") && lower.contains("australian") {
        currency = Some("AUD");
    }
    Some(Value::Money { amount, currency })
}

fn percent_value(s: &str) -> Option<Value> {
    let number = s.trim_end_matches('%');
    // every pattern starts with a space: without one there is nothing to replace (and no copy)
    let replaced;
    let number = if number.contains(' ') {
        replaced = number.replace(" per cent", "").replace(" percent", "").replace(" percentage points", "");
        replaced.as_str()
    } else {
        number
    };
    parse_amount(number.trim_start_matches('-'))
        .map(|n| Value::Percent(if s.trim_start().starts_with('-') { -n } else { n }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str, dateline: Option<Day>) -> Option<Value> {
        date_value(s, dateline)
    }
    fn d(s: &str) -> Value {
        Value::Date(s.to_string())
    }

    #[test]
    fn determinate_dates() {
        let cases = [
            ("May 20, 2020", d("2020-05-20")),
            ("May 20 2020", d("2020-05-20")),
            ("20 May 2020", d("2020-05-20")),
            ("Sept. 3, 2019", d("2019-09-03")),
            ("March 1st, 2021", d("2021-03-01")),
            ("2020-05-20", d("2020-05-20")),
            ("January 2011", d("2011-01")),
            ("2011", d("2011")),
        ];
        for (s, want) in cases {
            assert_eq!(date(s, None), Some(want), "{s}");
        }
        assert_eq!(date("February 30, 2020", None), None);
    }

    #[test]
    fn relative_dates_need_a_dateline() {
        for s in ["Monday", "last week", "yesterday", "May 20", "next month"] {
            assert_eq!(date(s, None), Some(Value::Relative), "{s}");
        }
        let wed = Some(Day { year: 2020, month: 5, day: 20 }); // a Wednesday
        let cases = [
            ("Monday", d("2020-05-18")),
            ("Wednesday", d("2020-05-20")),
            ("yesterday", d("2020-05-19")),
            ("Tomorrow", d("2020-05-21")),
            ("last week", d("2020-W20")),
            ("the past week", d("2020-W20")),
            ("next month", d("2020-06")),
            ("last year", d("2019")),
            ("May 1", d("2020-05-01")),
        ];
        for (s, want) in cases {
            assert_eq!(date(s, wed), Some(want), "{s}");
        }
        assert_eq!(iso_week(Day { year: 2021, month: 1, day: 3 }), "2020-W53");
    }

    #[test]
    fn money_and_percent() {
        let m = |s: &str| money_value(s);
        assert_eq!(m("$1.2 billion"), Some(Value::Money { amount: 1.2e9, currency: Some("USD") }));
        assert_eq!(m("€50"), Some(Value::Money { amount: 50.0, currency: Some("EUR") }));
        assert_eq!(m("£3m"), Some(Value::Money { amount: 3e6, currency: Some("GBP") }));
        assert_eq!(m("US$5bn"), Some(Value::Money { amount: 5e9, currency: Some("USD") }));
        assert_eq!(m("50 cents"), Some(Value::Money { amount: 0.5, currency: Some("USD") }));
        assert_eq!(m("two million euros"), Some(Value::Money { amount: 2e6, currency: Some("EUR") }));
        assert_eq!(m("1,500 Canadian dollars"), Some(Value::Money { amount: 1500.0, currency: Some("CAD") }));
        // every word and code of the shared currency list has its value here
        assert_eq!(m("1.4 billion lei"), Some(Value::Money { amount: 1.4e9, currency: Some("RON") }));
        assert_eq!(m("SEK 500"), Some(Value::Money { amount: 500.0, currency: Some("SEK") }));
        assert_eq!(m("5,000 won"), Some(Value::Money { amount: 5000.0, currency: Some("KRW") }));
        assert_eq!(m("RMB 20 million"), Some(Value::Money { amount: 2e7, currency: Some("CNY") }));
        assert_eq!(m("300 dinars"), Some(Value::Money { amount: 300.0, currency: None }));
        assert_eq!(m("two dozen dollars"), Some(Value::Money { amount: 24.0, currency: Some("USD") }));
        assert_eq!(m("Rs 50"), Some(Value::Money { amount: 50.0, currency: Some("INR") }));
        for word in crate::lexicon::currencies() {
            let code = crate::lexicon::currency_code(word);
            assert!(
                code.is_none_or(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())),
                "{word}: {code:?}"
            );
            if word.bytes().all(|b| b.is_ascii_lowercase()) && code.is_some() {
                assert_eq!(
                    m(&format!("7 {word}")).and_then(|v| if let Value::Money { currency, .. } = v {
                        currency
                    } else {
                        None
                    }),
                    code,
                    "{word}"
                );
            }
        }
        assert_eq!(percent_value("90%"), Some(Value::Percent(90.0)));
        assert_eq!(percent_value("12.5 per cent"), Some(Value::Percent(12.5)));
        assert_eq!(percent_value("twenty-five percent"), Some(Value::Percent(25.0)));
    }

    #[test]
    fn day_arithmetic_round_trips() {
        for z in [-800_000i64, -1, 0, 1, 18_402, 20_000, 2_000_000] {
            assert_eq!(to_days(from_days(z)), z);
        }
        assert_eq!(weekday(Day { year: 2020, month: 5, day: 20 }), 2);
    }
}
