//! The Python binding, `pressmark._pressmark` (re-exported by the `pressmark` package in
//! `py_src/`): `annotate(text)`, `annotate_many(texts, threads=None)` and `_annotate_columns`
//! (behind `pressmark.annotate_arrow`).
//!
//! It converts at the edge and adds no NLP: Python `str` → Rust `String`, [`pressmark::annotate`],
//! then [`WireDocument`] with code-point offsets (Python `str` indices, as the CLI) → dicts
//! (`dict.rs`) or Arrow columns (`columns.rs`). The annotation runs without the GIL:
//! `annotate_many` on long-lived threads (`pool.rs`) while the calling thread takes the GIL to
//! build the dicts of the documents finished so far, a pipeline.

use pressmark::offsets::Unit;
use pressmark::output::WireDocument;
use pressmark::{Document, MAX_TEXT_BYTES};
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, SyncSender};
use std::sync::Arc;

mod columns;
mod dict;
mod pool;

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

/// A call's texts (read by [`texts_from`]) and the threads to annotate them on: `threads` (checked
/// first, every core when None), no more than there are texts, at least one.
fn call_input(
    texts: &Bound<'_, PyAny>,
    threads: Option<i64>,
    function: &str,
) -> PyResult<(Arc<Vec<String>>, usize)> {
    let threads = thread_count(threads)?;
    let texts = texts_from(texts, function)?;
    let threads = threads.min(texts.len()).max(1);
    Ok((Arc::new(texts), threads))
}

fn to_python<'py>(shared: &dict::Shared<'py>, text: &str, doc: &Document) -> PyResult<Bound<'py, PyDict>> {
    dict::document(shared, &WireDocument::new(text, doc, Unit::CodePoint))
}

/// Keeps CPython's cyclic garbage collector off while a call builds its result, and turns it back
/// on (if it was on) when dropped. A result is hundreds of thousands of dicts and lists: each
/// allocation counts towards the collector's next run, which then walks every container made so
/// far: 5–6 % of `annotate_many`'s time on 10 MB went there (perf). The result holds no cycles.
struct GcPause<'py> {
    gc: Option<Bound<'py, PyModule>>,
}

impl<'py> GcPause<'py> {
    fn new(py: Python<'py>) -> PyResult<GcPause<'py>> {
        let gc = py.import("gc")?;
        if gc.call_method0("isenabled")?.is_truthy()? {
            gc.call_method0("disable")?;
            return Ok(GcPause { gc: Some(gc) });
        }
        Ok(GcPause { gc: None })
    }
}

impl Drop for GcPause<'_> {
    fn drop(&mut self) {
        if let Some(gc) = &self.gc {
            // Cannot fail but for a broken interpreter; nothing better to do then.
            let _ = gc.call_method0("enable");
        }
    }
}

/// Annotates one text: a dict with `entities`, `entities_index`, `quotes` and `scare_quotes`,
/// the CLI's schema; offsets are `str` indices (code points).
#[pyfunction]
fn annotate<'py>(py: Python<'py>, text: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDict>> {
    let text = text_from(text, "text")?;
    let doc = py.detach(|| pressmark::annotate(&text));
    let _gc = GcPause::new(py)?;
    to_python(&dict::Shared::new(py)?, &text, &doc)
}

/// Reads `texts` (any iterable of `str`, not one `str`) into Rust strings.
fn texts_from(texts: &Bound<'_, PyAny>, function: &str) -> PyResult<Vec<String>> {
    if texts.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "{function}() takes an iterable of str, not one str (use annotate() for one text)"
        )));
    }
    texts
        .try_iter()
        .map_err(|_| {
            PyTypeError::new_err(format!(
                "{function}() takes an iterable of str, not {}",
                texts.get_type().name().map(|n| n.to_string()).unwrap_or_default()
            ))
        })?
        .enumerate()
        .map(|(i, item)| text_from(&item?, &format!("texts[{i}]")))
        .collect()
}

const PANICKED: &str = "internal error in pressmark (a worker thread panicked or could not be started)";

/// Text bytes a worker annotates before handing its documents over: one hand-over (and one wake-up
/// of the calling thread, one taking of the GIL) per ~256 KB rather than per document.
const HANDOVER_BYTES: usize = 256 << 10;

/// What the workers hand over: finished documents with their indices, or None when one panicked.
type Finished = Option<Vec<(usize, Document)>>;

/// One worker's share of a call: takes the next text not yet taken until none is left, and sends
/// the documents in groups of about [`HANDOVER_BYTES`] of text.
fn work(texts: &[String], next: &AtomicUsize, done: &SyncSender<Finished>) {
    let (mut finished, mut bytes) = (Vec::new(), 0);
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let text = texts.get(i);
        if let Some(text) = text {
            match std::panic::catch_unwind(|| pressmark::annotate(text)) {
                Ok(doc) => finished.push((i, doc)),
                Err(_) => {
                    let _ = done.send(None);
                    return;
                }
            }
            bytes += text.len();
        }
        if (text.is_none() || bytes >= HANDOVER_BYTES) && !finished.is_empty() {
            // Fails only when the calling thread has given up on an error.
            if done.send(Some(std::mem::take(&mut finished))).is_err() {
                return;
            }
            bytes = 0;
        }
        if text.is_none() {
            return;
        }
    }
}

/// Annotates `texts` on `threads` threads of the pool (`pool.rs`), without the GIL, handing the
/// finished documents (with their indices) to `done` on the calling thread as they come, in any
/// order, in groups. The channel's bound keeps the finished documents few when `done` falls
/// behind. Before each group it looks for a pending signal: Ctrl-C (or any signal whose handler
/// raises) ends the call there, and the workers stop at their next document. Stops at the
/// signal's or `done`'s first error; `Err(None)` when a worker panicked (a bug in pressmark) or
/// could not be started.
fn annotate_on_workers(
    texts: &Arc<Vec<String>>,
    threads: usize,
    mut done: impl FnMut(Vec<(usize, Document)>) -> PyResult<()>,
) -> Result<(), Option<PyErr>> {
    let next = Arc::new(AtomicUsize::new(0));
    let (done_tx, done_rx) = mpsc::sync_channel::<Finished>(2 * threads);
    let jobs = (0..threads)
        .map(|_| {
            let (texts, next, done_tx) = (Arc::clone(texts), Arc::clone(&next), done_tx.clone());
            Box::new(move || work(&texts, &next, &done_tx)) as pool::Job
        })
        .collect();
    drop(done_tx);
    pool::run(jobs).map_err(|_| None)?;
    // The channel ends when every job has ended. Returning early drops the receiver: the
    // workers' next send fails and they stop.
    for finished in done_rx {
        Python::attach(|py| py.check_signals()).map_err(Some)?;
        done(finished.ok_or(None)?).map_err(Some)?;
    }
    Ok(())
}

/// Annotates every text of an iterable of `str` on `threads` threads (every core when None),
/// without holding the GIL, while the calling thread turns the finished documents into dicts;
/// returns the dicts in input order.
#[pyfunction]
#[pyo3(signature = (texts, threads = None))]
fn annotate_many<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    threads: Option<i64>,
) -> PyResult<Bound<'py, PyList>> {
    let (texts, threads) = call_input(texts, threads, "annotate_many")?;
    // Filled in place as documents arrive; every slot is set before the list is returned.
    let out = PyList::new(py, std::iter::repeat_n(py.None().into_bound(py), texts.len()))?.unbind();
    let _gc = GcPause::new(py)?;
    // A pipeline: the workers annotate without the GIL while this thread converts what they have
    // finished, taking the GIL once for all the documents waiting at that moment.
    py.detach(|| {
        annotate_on_workers(&texts, threads, |finished| {
            Python::attach(|py| -> PyResult<()> {
                let shared = dict::Shared::new(py)?;
                let list = out.bind(py);
                for (i, doc) in finished {
                    list.set_item(i, to_python(&shared, &texts[i], &doc)?)?;
                }
                Ok(())
            })
        })
    })
    .map_err(|e| e.unwrap_or_else(|| PyRuntimeError::new_err(PANICKED)))?;
    Ok(out.into_bound(py))
}

/// Documents between two checks for a pending signal (Ctrl-C) on `annotate_arrow`'s one thread,
/// where no group of finished documents comes back to the GIL: ~0.1 s of news at 5 KB each.
const SIGNAL_CHECK_DOCUMENTS: usize = 64;

/// Annotates every text of an iterable of `str` on `threads` threads (one by default: the
/// calling thread) into Arrow columns, all without the GIL: see `columns.rs`. The public
/// function is `pressmark.annotate_arrow`, which wraps them in pyarrow arrays.
#[pyfunction]
#[pyo3(signature = (texts, threads = 1))]
fn _annotate_columns<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    threads: Option<i64>,
) -> PyResult<Bound<'py, PyDict>> {
    let (texts, threads) = call_input(texts, threads, "annotate_arrow")?;
    let columns = py.detach(|| -> Result<columns::Columns, Option<PyErr>> {
        let mut columns = columns::Columns::default();
        let add = |columns: &mut columns::Columns, text: &str, doc: &Document| {
            columns.push(&WireDocument::new(text, doc, Unit::CodePoint))
        };
        if threads == 1 {
            // On this thread, whose word memo stays warm from one call to the next (the Spark
            // job calls this once per batch of rows).
            for (n, text) in texts.iter().enumerate() {
                if n % SIGNAL_CHECK_DOCUMENTS == SIGNAL_CHECK_DOCUMENTS - 1 {
                    Python::attach(|py| py.check_signals()).map_err(Some)?;
                }
                let doc = std::panic::catch_unwind(|| pressmark::annotate(text)).map_err(|_| None)?;
                add(&mut columns, text, &doc);
            }
            return Ok(columns);
        }
        let mut docs: Vec<Option<Document>> = (0..texts.len()).map(|_| None).collect();
        annotate_on_workers(&texts, threads, |finished| -> PyResult<()> {
            for (i, doc) in finished {
                docs[i] = Some(doc);
            }
            Ok(())
        })?;
        for (text, doc) in texts.iter().zip(docs) {
            add(&mut columns, text, &doc.ok_or(None)?);
        }
        Ok(columns)
    });
    columns.map_err(|e| e.unwrap_or_else(|| PyRuntimeError::new_err(PANICKED)))?.to_python(py)
}

/// The extension module; `pressmark/__init__.py` re-exports it.
#[pymodule]
fn _pressmark(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(annotate, m)?)?;
    m.add_function(wrap_pyfunction!(annotate_many, m)?)?;
    m.add_function(wrap_pyfunction!(_annotate_columns, m)?)?;
    m.add("MAX_TEXT_BYTES", MAX_TEXT_BYTES)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
