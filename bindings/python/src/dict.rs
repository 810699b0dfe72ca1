//! [`WireDocument`] → Python dicts, field by field.
//!
//! Written out rather than through a generic serde → Python serializer, because this part runs
//! with the GIL held, on the calling thread whatever `threads` is, and it is the binding's main
//! cost over the CLI (`bash bench/scale.sh` prints it). So it makes as few new objects as it can:
//! keys and labels are interned `str` objects, made once; offsets below [`SHARED_INTS`] and the
//! 1,001 possible confidences are objects made once per process and shared (as CPython shares
//! the small ints); and a name that recurs in a document ("Haftar" seven times, as entity text,
//! index name and speaker) is one `str` object. The schema is `pressmark::output`'s; the Python
//! tests compare these dicts with the CLI's JSON on real articles, so a field added there and
//! missed here fails them.

use pressmark::output::{WireCluster, WireDocument, WireEntity, WireQuote, WireSpan, WireValue};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use pyo3::{intern, IntoPyObjectExt};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Ints below this are made once per process (offsets into most articles, ids, counts).
const SHARED_INTS: usize = 1 << 16;

static INTS: PyOnceLock<Vec<Py<PyInt>>> = PyOnceLock::new();
static CONFIDENCES: PyOnceLock<Vec<Py<PyFloat>>> = PyOnceLock::new();
static TEMPLATES: PyOnceLock<Templates> = PyOnceLock::new();

/// The keys of each dict, in the CLI's order; `?` marks a key present only sometimes.
const ENTITY_KEYS: &[&str] =
    &["start", "end", "label", "text", "confidence", "entity_id", "value?", "relative?"];
const QUOTE_KEYS: &[&str] = &[
    "start",
    "end",
    "text",
    "speaker",
    "speaker_name",
    "speaker_entity_id?",
    "cue",
    "direct",
    "partial?",
    "open_end?",
    "headline?",
    "nested?",
    "group?",
    "confidence",
];
const CLUSTER_KEYS: &[&str] = &["id", "name", "label", "mentions"];
const SPAN_KEYS: &[&str] = &["start", "end", "text"];

/// Dicts with every key of a kind set to None, one per combination of its optional keys. A new
/// dict is a copy of one (`PyDict_Copy` copies the key table in one go) whose values are then
/// replaced: about half the cost of inserting the keys one by one into an empty dict, which grows
/// its table once or twice on the way.
struct Templates {
    /// Indexed by the bits of the optional keys present (the first optional key is bit 0).
    entity: Vec<Py<PyDict>>,
    quote: Vec<Py<PyDict>>,
    cluster: Py<PyDict>,
    span: Py<PyDict>,
}

/// The templates of one kind of dict. Each is the `__dict__` of an instance of a class made for
/// the kind, so that CPython makes it a split-table dict whose key table is the class's, shared:
/// a copy of it then allocates only a values array (not a key table of its own), stores a value
/// without touching the keys, and is freed without a reference count per key. A dict made so is
/// an ordinary `dict` to its users (same keys, same order, mutable; a key added makes it an
/// ordinary combined-table dict). Where a Python does not share instance keys, the templates are
/// ordinary dicts and only the speed changes.
fn templates(py: Python<'_>, kind: &str, keys: &[&str]) -> PyResult<Vec<Py<PyDict>>> {
    let class = py.import("builtins")?.getattr("type")?.call1((
        format!("pressmark_{kind}"),
        PyTuple::empty(py),
        PyDict::new(py),
    ))?;
    let optional = keys.iter().filter(|k| k.ends_with('?')).count();
    (0..1usize << optional)
        .map(|present| {
            let instance = class.call0()?;
            let mut bit = 0;
            for key in keys {
                if let Some(key) = key.strip_suffix('?') {
                    if present & (1 << bit) != 0 {
                        instance.setattr(PyString::intern(py, key), py.None())?;
                    }
                    bit += 1;
                } else {
                    instance.setattr(PyString::intern(py, key), py.None())?;
                }
            }
            Ok(instance.getattr(intern!(py, "__dict__"))?.cast_into::<PyDict>()?.unbind())
        })
        .collect()
}

/// What one call shares across its documents: the ints and confidences made once.
pub struct Shared<'py> {
    py: Python<'py>,
    templates: &'py Templates,
    ints: &'py [Py<PyInt>],
    confidences: &'py [Py<PyFloat>],
}

impl<'py> Shared<'py> {
    pub fn new(py: Python<'py>) -> PyResult<Shared<'py>> {
        let ints = INTS.get_or_init(py, || {
            (0..SHARED_INTS).map(|n| n.into_pyobject(py).expect("an int").unbind()).collect()
        });
        let confidences = CONFIDENCES.get_or_init(py, || {
            (0..=1000).map(|n| PyFloat::new(py, f64::from(n) / 1000.0).unbind()).collect()
        });
        let templates = TEMPLATES.get_or_try_init(py, || -> PyResult<Templates> {
            Ok(Templates {
                entity: templates(py, "entity", ENTITY_KEYS)?,
                quote: templates(py, "quote", QUOTE_KEYS)?,
                cluster: templates(py, "cluster", CLUSTER_KEYS)?.remove(0),
                span: templates(py, "span", SPAN_KEYS)?.remove(0),
            })
        })?;
        Ok(Shared { py, templates, ints, confidences })
    }

    /// A new dict with the template's keys (values None, to be set).
    fn dict(&self, template: &Py<PyDict>) -> PyResult<Bound<'py, PyDict>> {
        template.bind(self.py).copy()
    }

    fn int(&self, n: usize) -> Bound<'py, PyAny> {
        match self.ints.get(n) {
            Some(shared) => shared.bind(self.py).clone().into_any(),
            None => n.into_pyobject(self.py).expect("an int").into_any(),
        }
    }

    /// A confidence: the shared float when it is one of the wire's 3-decimal values (always, by
    /// `output::round3`; checked bit for bit, so any other value is still exact).
    fn confidence(&self, x: f64) -> Bound<'py, PyAny> {
        let thousandths = (x * 1000.0).round();
        if (0.0..=1000.0).contains(&thousandths) {
            let shared = self.confidences[thousandths as usize].bind(self.py);
            if shared.value().to_bits() == x.to_bits() {
                return shared.clone().into_any();
            }
        }
        PyFloat::new(self.py, x).into_any()
    }
}

/// FNV-1a: the string cache hashes short names, for which SipHash's set-up dominates.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// One document's conversion: the shared objects, and the names made so far in this document.
struct Doc<'a, 'py, 't> {
    shared: &'a Shared<'py>,
    names: HashMap<&'t str, Bound<'py, PyString>, BuildHasherDefault<Fnv>>,
}

impl<'py, 't> Doc<'_, 'py, 't> {
    /// A name's `str`, made once per document.
    fn name(&mut self, s: &'t str) -> Bound<'py, PyString> {
        let py = self.shared.py;
        self.names.entry(s).or_insert_with(|| PyString::new(py, s)).clone()
    }

    fn span(&mut self, s: &WireSpan<'t>, text_is_name: bool) -> PyResult<Bound<'py, PyDict>> {
        let py = self.shared.py;
        let d = self.shared.dict(&self.shared.templates.span)?;
        d.set_item(intern!(py, "start"), self.shared.int(s.start))?;
        d.set_item(intern!(py, "end"), self.shared.int(s.end))?;
        if text_is_name {
            d.set_item(intern!(py, "text"), self.name(s.text))?;
        } else {
            d.set_item(intern!(py, "text"), s.text)?;
        }
        Ok(d)
    }

    fn entity(&mut self, e: &WireEntity<'t>) -> PyResult<Bound<'py, PyDict>> {
        let py = self.shared.py;
        let optional = usize::from(e.value.is_some()) | usize::from(e.relative) << 1;
        let d = self.shared.dict(&self.shared.templates.entity[optional])?;
        d.set_item(intern!(py, "start"), self.shared.int(e.start))?;
        d.set_item(intern!(py, "end"), self.shared.int(e.end))?;
        d.set_item(intern!(py, "label"), label(py, e.label))?;
        d.set_item(intern!(py, "text"), self.name(e.text))?;
        d.set_item(intern!(py, "confidence"), self.shared.confidence(e.confidence))?;
        d.set_item(intern!(py, "entity_id"), self.shared.int(e.entity_id))?;
        if let Some(v) = &e.value {
            let value = match v {
                WireValue::Date(s) => s.into_bound_py_any(py)?,
                WireValue::Number(x) => x.into_bound_py_any(py)?,
                WireValue::Money { amount, currency } => {
                    let m = PyDict::new(py);
                    m.set_item(intern!(py, "amount"), amount)?;
                    m.set_item(intern!(py, "currency"), currency)?;
                    m.into_any()
                }
            };
            d.set_item(intern!(py, "value"), value)?;
        }
        if e.relative {
            d.set_item(intern!(py, "relative"), true)?;
        }
        Ok(d)
    }

    fn cluster(&mut self, c: &WireCluster<'t>) -> PyResult<Bound<'py, PyDict>> {
        let py = self.shared.py;
        let d = self.shared.dict(&self.shared.templates.cluster)?;
        d.set_item(intern!(py, "id"), self.shared.int(c.id))?;
        d.set_item(intern!(py, "name"), self.name(c.name))?;
        d.set_item(intern!(py, "label"), label(py, c.label))?;
        d.set_item(intern!(py, "mentions"), self.shared.int(c.mentions))?;
        Ok(d)
    }

    fn quote(&mut self, q: &WireQuote<'t>) -> PyResult<Bound<'py, PyDict>> {
        let py = self.shared.py;
        let optional =
            [q.speaker_entity_id.is_some(), q.partial, q.open_end, q.headline, q.nested, q.group.is_some()]
                .iter()
                .enumerate()
                .fold(0, |bits, (bit, &on)| bits | usize::from(on) << bit);
        let d = self.shared.dict(&self.shared.templates.quote[optional])?;
        d.set_item(intern!(py, "start"), self.shared.int(q.start))?;
        d.set_item(intern!(py, "end"), self.shared.int(q.end))?;
        d.set_item(intern!(py, "text"), q.text)?;
        let speaker = q.speaker.as_ref().map(|s| self.span(s, true)).transpose()?;
        d.set_item(intern!(py, "speaker"), speaker)?;
        let speaker_name = q.speaker_name.map(|s| self.name(s));
        d.set_item(intern!(py, "speaker_name"), speaker_name)?;
        // As the CLI: present only when the speaker is an entity of `entities_index`.
        if let Some(id) = q.speaker_entity_id {
            d.set_item(intern!(py, "speaker_entity_id"), self.shared.int(id))?;
        }
        let cue = q.cue.as_ref().map(|s| self.span(s, true)).transpose()?;
        d.set_item(intern!(py, "cue"), cue)?;
        d.set_item(intern!(py, "direct"), q.direct)?;
        for (key, on) in [
            (intern!(py, "partial"), q.partial),
            (intern!(py, "open_end"), q.open_end),
            (intern!(py, "headline"), q.headline),
            (intern!(py, "nested"), q.nested),
        ] {
            if on {
                d.set_item(key, true)?;
            }
        }
        if let Some(g) = q.group {
            d.set_item(intern!(py, "group"), self.shared.int(g))?;
        }
        d.set_item(intern!(py, "confidence"), self.shared.confidence(q.confidence))?;
        Ok(d)
    }
}

/// The document as a dict: `entities`, `entities_index`, `quotes`, `scare_quotes`.
pub fn document<'py>(shared: &Shared<'py>, doc: &WireDocument) -> PyResult<Bound<'py, PyDict>> {
    let py = shared.py;
    let mut conv = Doc { shared, names: HashMap::default() };
    let d = PyDict::new(py);
    let entities = PyList::empty(py);
    for e in &doc.entities {
        entities.append(conv.entity(e)?)?;
    }
    d.set_item(intern!(py, "entities"), entities)?;
    let index = PyList::empty(py);
    for c in &doc.entities_index {
        index.append(conv.cluster(c)?)?;
    }
    d.set_item(intern!(py, "entities_index"), index)?;
    let quotes = PyList::empty(py);
    for q in &doc.quotes {
        quotes.append(conv.quote(q)?)?;
    }
    d.set_item(intern!(py, "quotes"), quotes)?;
    let scare = PyList::empty(py);
    for s in &doc.scare_quotes {
        scare.append(conv.span(s, false)?)?;
    }
    d.set_item(intern!(py, "scare_quotes"), scare)?;
    Ok(d)
}

/// The label as an interned `str` (ten names, shared by every entity).
fn label<'py>(py: Python<'py>, label: &str) -> Bound<'py, PyString> {
    match label {
        "PER" => intern!(py, "PER").clone(),
        "ORG" => intern!(py, "ORG").clone(),
        "LOC" => intern!(py, "LOC").clone(),
        "MISC" => intern!(py, "MISC").clone(),
        "DATE" => intern!(py, "DATE").clone(),
        "TIME" => intern!(py, "TIME").clone(),
        "MONEY" => intern!(py, "MONEY").clone(),
        "PERCENT" => intern!(py, "PERCENT").clone(),
        "CARDINAL" => intern!(py, "CARDINAL").clone(),
        "ORDINAL" => intern!(py, "ORDINAL").clone(),
        other => PyString::new(py, other),
    }
}
