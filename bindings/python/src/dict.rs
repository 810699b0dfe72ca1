//! [`WireDocument`] → Python dicts, field by field.
//!
//! Written out rather than through a generic serde → Python serializer, because this part runs
//! with the GIL held, so on one core whatever `threads` is, and it is the binding's main cost
//! over the CLI (`bash bench/scale.sh` prints it): keys and labels are interned `str` objects,
//! made once, not once per dict. The schema is `pressmark::output`'s; the Python tests compare
//! these dicts with the CLI's JSON on real articles, so a field added there and missed here
//! fails them.

use pressmark::output::{WireCluster, WireDocument, WireEntity, WireQuote, WireSpan, WireValue};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use pyo3::{intern, IntoPyObjectExt};

/// The document as a dict: `entities`, `entities_index`, `quotes`, `scare_quotes`.
pub fn document<'py>(py: Python<'py>, doc: &WireDocument) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(intern!(py, "entities"), list(py, &doc.entities, entity)?)?;
    d.set_item(intern!(py, "entities_index"), list(py, &doc.entities_index, cluster)?)?;
    d.set_item(intern!(py, "quotes"), list(py, &doc.quotes, quote)?)?;
    d.set_item(intern!(py, "scare_quotes"), list(py, &doc.scare_quotes, span)?)?;
    Ok(d)
}

fn list<'py, T>(
    py: Python<'py>,
    items: &[T],
    convert: impl Fn(Python<'py>, &T) -> PyResult<Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for item in items {
        out.append(convert(py, item)?)?;
    }
    Ok(out)
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

fn span<'py>(py: Python<'py>, s: &WireSpan) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(intern!(py, "start"), s.start)?;
    d.set_item(intern!(py, "end"), s.end)?;
    d.set_item(intern!(py, "text"), s.text)?;
    Ok(d)
}

fn entity<'py>(py: Python<'py>, e: &WireEntity) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(intern!(py, "start"), e.start)?;
    d.set_item(intern!(py, "end"), e.end)?;
    d.set_item(intern!(py, "label"), label(py, e.label))?;
    d.set_item(intern!(py, "text"), e.text)?;
    d.set_item(intern!(py, "confidence"), e.confidence)?;
    d.set_item(intern!(py, "entity_id"), e.entity_id)?;
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

fn cluster<'py>(py: Python<'py>, c: &WireCluster) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(intern!(py, "id"), c.id)?;
    d.set_item(intern!(py, "name"), c.name)?;
    d.set_item(intern!(py, "label"), label(py, c.label))?;
    d.set_item(intern!(py, "mentions"), c.mentions)?;
    Ok(d)
}

fn quote<'py>(py: Python<'py>, q: &WireQuote) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(intern!(py, "start"), q.start)?;
    d.set_item(intern!(py, "end"), q.end)?;
    d.set_item(intern!(py, "text"), q.text)?;
    d.set_item(intern!(py, "speaker"), q.speaker.as_ref().map(|s| span(py, s)).transpose()?)?;
    d.set_item(intern!(py, "speaker_name"), q.speaker_name)?;
    // As the CLI: present only when the speaker is an entity of `entities_index`.
    if let Some(id) = q.speaker_entity_id {
        d.set_item(intern!(py, "speaker_entity_id"), id)?;
    }
    d.set_item(intern!(py, "cue"), q.cue.as_ref().map(|s| span(py, s)).transpose()?)?;
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
        d.set_item(intern!(py, "group"), g)?;
    }
    d.set_item(intern!(py, "confidence"), q.confidence)?;
    Ok(d)
}
