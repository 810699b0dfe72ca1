//! The Python binding, `pressmark._pressmark` (re-exported by the `pressmark` package in
//! `py_src/`): `annotate(text)` and `annotate_many(texts, threads=None)`.
//!
//! It converts at the edge and adds no NLP: Python `str` → Rust `String`, [`pressmark::annotate`],
//! then [`WireDocument`] with code-point offsets (Python `str` indices, as the CLI) → dicts via
//! serde. The annotation runs with the GIL released; `annotate_many` spreads the texts over
//! threads and takes the GIL back only to build the result objects.

use pressmark::offsets::Unit;
use pressmark::output::WireDocument;
use pressmark::{Document, MAX_TEXT_BYTES};
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

mod dict;

/// Copies a Python `str` into a `String`, with the errors the package documents: `TypeError` for
/// anything but a `str`, `ValueError` for a lone surrogate (not encodable as UTF-8) or a text
/// over the size limit. `what` names the argument in the message ("text", "texts[3]").
fn text_from(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    let s = obj.cast::<PyString>().map_err(|_| {
        let type_name =
            obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "an unknown type".into());
        PyTypeError::new_err(format!("{what} must be str, not {type_name}"))
    })?;
    let text = s
        .to_cow()
        .map_err(|e| PyValueError::new_err(format!("{what} is not valid Unicode text ({e})")))?
        .into_owned();
    if text.len() > MAX_TEXT_BYTES {
        return Err(PyValueError::new_err(format!(
            "{what} is {} MB of UTF-8; the limit is {} MB",
            text.len() >> 20,
            MAX_TEXT_BYTES >> 20
        )));
    }
    Ok(text)
}

/// The threads `annotate_many` uses: `threads`, or every core when None.
fn thread_count(threads: Option<i64>) -> PyResult<usize> {
    match threads {
        None => Ok(std::thread::available_parallelism().map_or(1, |n| n.get())),
        Some(n) if n >= 1 => Ok(usize::try_from(n).unwrap_or(usize::MAX)),
        Some(n) => Err(PyValueError::new_err(format!("threads must be None or at least 1, not {n}"))),
    }
}

fn to_python<'py>(py: Python<'py>, text: &str, doc: &Document) -> PyResult<Bound<'py, PyDict>> {
    dict::document(py, &WireDocument::new(text, doc, Unit::CodePoint))
}

/// Annotates one text: a dict with `entities`, `entities_index`, `quotes` and `scare_quotes`,
/// the CLI's schema; offsets are `str` indices (code points).
#[pyfunction]
fn annotate<'py>(py: Python<'py>, text: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDict>> {
    let text = text_from(text, "text")?;
    let doc = py.detach(|| pressmark::annotate(&text));
    to_python(py, &text, &doc)
}

/// Annotates every text of an iterable of `str`, on `threads` threads (every core when None),
/// without holding the GIL; returns the dicts in input order.
#[pyfunction]
#[pyo3(signature = (texts, threads = None))]
fn annotate_many<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    threads: Option<i64>,
) -> PyResult<Bound<'py, PyList>> {
    if texts.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(
            "annotate_many() takes an iterable of str, not one str (use annotate() for one text)",
        ));
    }
    let threads = thread_count(threads)?;
    let texts: Vec<String> = texts
        .try_iter()
        .map_err(|_| {
            PyTypeError::new_err(format!(
                "annotate_many() takes an iterable of str, not {}",
                texts.get_type().name().map(|n| n.to_string()).unwrap_or_default()
            ))
        })?
        .enumerate()
        .map(|(i, item)| text_from(&item?, &format!("texts[{i}]")))
        .collect::<PyResult<_>>()?;
    let threads = threads.min(texts.len()).max(1);
    if threads == 1 {
        // On this thread, which keeps the names model's per-thread word memo warm between calls
        // (Spark calls this once per batch of rows).
        let out = PyList::empty(py);
        for text in &texts {
            let doc = py.detach(|| pressmark::annotate(text));
            out.append(to_python(py, text, &doc)?)?;
        }
        return Ok(out);
    }
    // `threads` workers annotate; this thread turns each finished document into a dict (which
    // needs the GIL) while they go on with the next texts. The channel's bound keeps the
    // annotated-but-not-converted documents few if conversion falls behind.
    let dicts = py.detach(|| {
        let next = AtomicUsize::new(0);
        let (done_tx, done_rx) = mpsc::sync_channel::<(usize, Document)>(2 * threads);
        std::thread::scope(|scope| -> PyResult<Vec<Option<Py<PyDict>>>> {
            for _ in 0..threads {
                let done_tx = done_tx.clone();
                let (next, texts) = (&next, &texts);
                scope.spawn(move || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(text) = texts.get(i) else { break };
                    // Fails only when the converting thread has given up on an error.
                    if done_tx.send((i, pressmark::annotate(text))).is_err() {
                        break;
                    }
                });
            }
            drop(done_tx);
            let mut dicts: Vec<Option<Py<PyDict>>> = (0..texts.len()).map(|_| None).collect();
            for (i, doc) in done_rx {
                dicts[i] = Some(Python::attach(|py| to_python(py, &texts[i], &doc).map(Bound::unbind))?);
            }
            Ok(dicts)
        })
    })?;
    let out = PyList::empty(py);
    for dict in dicts {
        // A worker that panicked leaves a hole: that is a bug in pressmark, not bad input.
        let dict = dict.ok_or_else(|| {
            PyRuntimeError::new_err("internal error in pressmark (a worker thread panicked)")
        })?;
        out.append(dict)?;
    }
    Ok(out)
}

/// The extension module; `pressmark/__init__.py` re-exports it.
#[pymodule]
fn _pressmark(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(annotate, m)?)?;
    m.add_function(wrap_pyfunction!(annotate_many, m)?)?;
    m.add("MAX_TEXT_BYTES", MAX_TEXT_BYTES)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
