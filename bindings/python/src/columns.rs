//! Documents → Arrow columns, for `pressmark.annotate_arrow` (and the Spark job): the buffers of
//! Arrow's columnar layout (validity bitmaps, little-endian values, `int32` offsets) built in
//! Rust without the GIL, so that a batch of thousands of documents becomes a few dozen `bytes`
//! objects instead of hundreds of thousands of dicts. `py_src/pressmark/arrow.py` wraps them in
//! pyarrow arrays without copying; no Arrow library is needed here.
//!
//! Each column is handed over as a node `(kind, length, null_count, buffers, children)`: kind
//! `"i"` int32, `"d"` float64, `"b"` bool, `"s"` utf8 string (buffers: validity, then values, or
//! offsets and data), `"struct"` (validity; children by field name) or `"list"` (no validity,
//! offsets; one child, `"item"`). A validity buffer is None when nothing is null.
//!
//! The schema is the Spark job's (examples/spark/annotate.py): the CLI's fields, an entity's
//! `value` as a struct `{date, number, currency}`, and the flags the CLI prints only when true
//! as true or null.

use pressmark::output::{WireDocument, WireValue};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyTuple};

/// A bitmap, least significant bit first, as Arrow's validity and boolean buffers.
#[derive(Default)]
struct Bits {
    bytes: Vec<u8>,
    len: usize,
    ones: usize,
}

impl Bits {
    fn push(&mut self, on: bool) {
        if self.len.is_multiple_of(8) {
            self.bytes.push(0);
        }
        if on {
            self.bytes[self.len / 8] |= 1 << (self.len % 8);
            self.ones += 1;
        }
        self.len += 1;
    }

    fn nulls(&self) -> usize {
        self.len - self.ones
    }

    /// As a validity buffer: None when every bit is set.
    fn validity<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        (self.nulls() > 0).then(|| PyBytes::new(py, &self.bytes))
    }
}

fn node<'py>(
    py: Python<'py>,
    kind: &str,
    length: usize,
    nulls: usize,
    buffers: Vec<Option<Bound<'py, PyBytes>>>,
    children: Bound<'py, PyDict>,
) -> PyResult<Bound<'py, PyTuple>> {
    (kind, length, nulls, buffers, children).into_pyobject(py)
}

/// A column of fixed-width numbers (`i32`, `f64`), nullable.
#[derive(Default)]
struct Numbers<const WIDTH: usize> {
    valid: Bits,
    data: Vec<u8>,
}

impl<const WIDTH: usize> Numbers<WIDTH> {
    fn push_bytes(&mut self, value: Option<[u8; WIDTH]>) {
        self.valid.push(value.is_some());
        self.data.extend_from_slice(&value.unwrap_or([0; WIDTH]));
    }

    fn to_python<'py>(&self, py: Python<'py>, kind: &str) -> PyResult<Bound<'py, PyTuple>> {
        let buffers = vec![self.valid.validity(py), Some(PyBytes::new(py, &self.data))];
        node(py, kind, self.valid.len, self.valid.nulls(), buffers, PyDict::new(py))
    }
}

#[derive(Default)]
struct Ints(Numbers<4>);

impl Ints {
    /// Offsets and ids fit: texts are at most 20 MB.
    fn push(&mut self, value: Option<usize>) {
        self.0.push_bytes(value.map(|v| i32::try_from(v).unwrap_or(i32::MAX).to_le_bytes()));
    }
    fn to_python<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        self.0.to_python(py, "i")
    }
}

#[derive(Default)]
struct Floats(Numbers<8>);

impl Floats {
    fn push(&mut self, value: Option<f64>) {
        self.0.push_bytes(value.map(f64::to_le_bytes));
    }
    fn to_python<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        self.0.to_python(py, "d")
    }
}

#[derive(Default)]
struct Flags {
    valid: Bits,
    values: Bits,
}

impl Flags {
    fn push(&mut self, value: Option<bool>) {
        self.valid.push(value.is_some());
        self.values.push(value.unwrap_or(false));
    }
    /// The CLI's "present only when true": true or null.
    fn push_when_true(&mut self, on: bool) {
        self.push(on.then_some(true));
    }
    fn to_python<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let buffers = vec![self.valid.validity(py), Some(PyBytes::new(py, &self.values.bytes))];
        node(py, "b", self.valid.len, self.valid.nulls(), buffers, PyDict::new(py))
    }
}

struct Strings {
    valid: Bits,
    offsets: Vec<u8>,
    data: Vec<u8>,
}

impl Default for Strings {
    fn default() -> Strings {
        Strings { valid: Bits::default(), offsets: 0i32.to_le_bytes().to_vec(), data: Vec::new() }
    }
}

impl Strings {
    fn push(&mut self, value: Option<&str>) {
        self.valid.push(value.is_some());
        self.data.extend_from_slice(value.unwrap_or("").as_bytes());
        // A batch's strings stay far below 2 GB: texts are at most 20 MB, batches a few MB.
        let end = i32::try_from(self.data.len()).unwrap_or(i32::MAX);
        self.offsets.extend_from_slice(&end.to_le_bytes());
    }
    fn to_python<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let buffers = vec![
            self.valid.validity(py),
            Some(PyBytes::new(py, &self.offsets)),
            Some(PyBytes::new(py, &self.data)),
        ];
        node(py, "s", self.valid.len, self.valid.nulls(), buffers, PyDict::new(py))
    }
}

/// List offsets: one list per document.
struct Offsets(Vec<u8>, usize);

impl Default for Offsets {
    fn default() -> Offsets {
        Offsets(0i32.to_le_bytes().to_vec(), 0)
    }
}

impl Offsets {
    fn push(&mut self, items_so_far: usize) {
        self.0.extend_from_slice(&i32::try_from(items_so_far).unwrap_or(i32::MAX).to_le_bytes());
        self.1 += 1;
    }
    fn to_python<'py>(&self, py: Python<'py>, item: Bound<'py, PyTuple>) -> PyResult<Bound<'py, PyTuple>> {
        let children = PyDict::new(py);
        children.set_item("item", item)?;
        node(py, "list", self.1, 0, vec![None, Some(PyBytes::new(py, &self.0))], children)
    }
}

/// A struct column: its validity and its fields' nodes.
fn structure<'py>(
    py: Python<'py>,
    valid: &Bits,
    fields: Vec<(&str, Bound<'py, PyTuple>)>,
) -> PyResult<Bound<'py, PyTuple>> {
    let children = PyDict::new(py);
    for (name, child) in fields {
        children.set_item(name, child)?;
    }
    node(py, "struct", valid.len, valid.nulls(), vec![valid.validity(py)], children)
}

/// `{start, end, text}`, nullable (a quote's speaker and cue) or not (scare quotes).
#[derive(Default)]
struct Spans {
    valid: Bits,
    start: Ints,
    end: Ints,
    text: Strings,
}

impl Spans {
    fn push(&mut self, span: Option<&pressmark::output::WireSpan>) {
        self.valid.push(span.is_some());
        self.start.push(span.map(|s| s.start));
        self.end.push(span.map(|s| s.end));
        self.text.push(span.map(|s| s.text));
    }
    fn to_python<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        structure(
            py,
            &self.valid,
            vec![
                ("start", self.start.to_python(py)?),
                ("end", self.end.to_python(py)?),
                ("text", self.text.to_python(py)?),
            ],
        )
    }
}

/// The four list columns of a batch of documents, built one document at a time.
#[derive(Default)]
pub struct Columns {
    entities: Offsets,
    e_valid: Bits,
    e_start: Ints,
    e_end: Ints,
    e_label: Strings,
    e_text: Strings,
    e_confidence: Floats,
    e_entity_id: Ints,
    e_value_valid: Bits,
    e_value_date: Strings,
    e_value_number: Floats,
    e_value_currency: Strings,
    e_relative: Flags,
    index: Offsets,
    i_valid: Bits,
    i_id: Ints,
    i_name: Strings,
    i_label: Strings,
    i_mentions: Ints,
    quotes: Offsets,
    q_valid: Bits,
    q_start: Ints,
    q_end: Ints,
    q_text: Strings,
    q_speaker: Spans,
    q_speaker_name: Strings,
    q_speaker_entity_id: Ints,
    q_cue: Spans,
    q_direct: Flags,
    q_partial: Flags,
    q_open_end: Flags,
    q_headline: Flags,
    q_nested: Flags,
    q_group: Ints,
    q_confidence: Floats,
    scare_quotes: Offsets,
    scare: Spans,
}

impl Columns {
    pub fn push(&mut self, doc: &WireDocument) {
        for e in &doc.entities {
            self.e_valid.push(true);
            self.e_start.push(Some(e.start));
            self.e_end.push(Some(e.end));
            self.e_label.push(Some(e.label));
            self.e_text.push(Some(e.text));
            self.e_confidence.push(Some(e.confidence));
            self.e_entity_id.push(Some(e.entity_id));
            self.e_value_valid.push(e.value.is_some());
            let (date, number, currency) = match &e.value {
                None => (None, None, None),
                Some(WireValue::Date(d)) => (Some(d.as_str()), None, None),
                Some(WireValue::Number(x)) => (None, Some(*x), None),
                Some(WireValue::Money { amount, currency }) => (None, Some(*amount), *currency),
            };
            self.e_value_date.push(date);
            self.e_value_number.push(number);
            self.e_value_currency.push(currency);
            self.e_relative.push_when_true(e.relative);
        }
        self.entities.push(self.e_valid.len);
        for c in &doc.entities_index {
            self.i_valid.push(true);
            self.i_id.push(Some(c.id));
            self.i_name.push(Some(c.name));
            self.i_label.push(Some(c.label));
            self.i_mentions.push(Some(c.mentions));
        }
        self.index.push(self.i_valid.len);
        for q in &doc.quotes {
            self.q_valid.push(true);
            self.q_start.push(Some(q.start));
            self.q_end.push(Some(q.end));
            self.q_text.push(Some(q.text));
            self.q_speaker.push(q.speaker.as_ref());
            self.q_speaker_name.push(q.speaker_name);
            self.q_speaker_entity_id.push(q.speaker_entity_id);
            self.q_cue.push(q.cue.as_ref());
            self.q_direct.push(Some(q.direct));
            self.q_partial.push_when_true(q.partial);
            self.q_open_end.push_when_true(q.open_end);
            self.q_headline.push_when_true(q.headline);
            self.q_nested.push_when_true(q.nested);
            self.q_group.push(q.group);
            self.q_confidence.push(Some(q.confidence));
        }
        self.quotes.push(self.q_valid.len);
        for s in &doc.scare_quotes {
            self.scare.push(Some(s));
        }
        self.scare_quotes.push(self.scare.valid.len);
    }

    /// `{"entities": node, "entities_index": node, "quotes": node, "scare_quotes": node}`.
    pub fn to_python<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        let value = structure(
            py,
            &self.e_value_valid,
            vec![
                ("date", self.e_value_date.to_python(py)?),
                ("number", self.e_value_number.to_python(py)?),
                ("currency", self.e_value_currency.to_python(py)?),
            ],
        )?;
        let entity = structure(
            py,
            &self.e_valid,
            vec![
                ("start", self.e_start.to_python(py)?),
                ("end", self.e_end.to_python(py)?),
                ("label", self.e_label.to_python(py)?),
                ("text", self.e_text.to_python(py)?),
                ("confidence", self.e_confidence.to_python(py)?),
                ("entity_id", self.e_entity_id.to_python(py)?),
                ("value", value),
                ("relative", self.e_relative.to_python(py)?),
            ],
        )?;
        out.set_item("entities", self.entities.to_python(py, entity)?)?;
        let cluster = structure(
            py,
            &self.i_valid,
            vec![
                ("id", self.i_id.to_python(py)?),
                ("name", self.i_name.to_python(py)?),
                ("label", self.i_label.to_python(py)?),
                ("mentions", self.i_mentions.to_python(py)?),
            ],
        )?;
        out.set_item("entities_index", self.index.to_python(py, cluster)?)?;
        let quote = structure(
            py,
            &self.q_valid,
            vec![
                ("start", self.q_start.to_python(py)?),
                ("end", self.q_end.to_python(py)?),
                ("text", self.q_text.to_python(py)?),
                ("speaker", self.q_speaker.to_python(py)?),
                ("speaker_name", self.q_speaker_name.to_python(py)?),
                ("speaker_entity_id", self.q_speaker_entity_id.to_python(py)?),
                ("cue", self.q_cue.to_python(py)?),
                ("direct", self.q_direct.to_python(py)?),
                ("partial", self.q_partial.to_python(py)?),
                ("open_end", self.q_open_end.to_python(py)?),
                ("headline", self.q_headline.to_python(py)?),
                ("nested", self.q_nested.to_python(py)?),
                ("group", self.q_group.to_python(py)?),
                ("confidence", self.q_confidence.to_python(py)?),
            ],
        )?;
        out.set_item("quotes", self.quotes.to_python(py, quote)?)?;
        out.set_item("scare_quotes", self.scare_quotes.to_python(py, self.scare.to_python(py)?)?)?;
        Ok(out)
    }
}
