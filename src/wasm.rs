//! The browser binding (wasm32 only): `annotate(text)` → the wire schema with UTF-16 offsets.
//! Thin on purpose: all logic is in the core, tested natively.

use crate::offsets::Unit;
use crate::output::WireDocument;
use wasm_bindgen::prelude::*;

/// Runs once when the module is instantiated: panics reach the console with their message.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// Annotates `text`; returns the wire schema (`{entities, entities_index, quotes, scare_quotes}`,
/// see `src/output.rs`) with UTF-16 offsets, as JSON text.
///
/// JSON rather than JS objects: building the objects field by field from wasm, then cloning them
/// from the worker to the page, took longer than annotating (10 MB: about 1.2 s of the 3.4 s the
/// page waited); one string crosses both boundaries as a copy and `JSON.parse` builds the objects
/// where they are used.
///
/// # Errors
/// Throws when the text is over [`crate::MAX_TEXT_BYTES`].
#[wasm_bindgen]
pub fn annotate(text: &str) -> Result<String, JsError> {
    annotate_str(text)
}

/// [`annotate`] for text already encoded as UTF-8 (`new TextEncoder().encode(text)`), which is
/// what `www/worker.js` sends: the glue then copies exactly its bytes into wasm memory. For a
/// `&str` argument the glue reserves 3 bytes per UTF-16 unit once it meets a non-ASCII char and
/// shrinks afterwards (30 MB for 10 MB of text), and wasm memory never shrinks.
///
/// # Errors
/// Throws when `utf8` is not UTF-8 or is over [`crate::MAX_TEXT_BYTES`].
#[wasm_bindgen(js_name = annotateUtf8)]
pub fn annotate_utf8(utf8: &[u8]) -> Result<String, JsError> {
    let text = std::str::from_utf8(utf8).map_err(|e| JsError::new(&format!("the text is not UTF-8: {e}")))?;
    annotate_str(text)
}

fn annotate_str(text: &str) -> Result<String, JsError> {
    if text.len() > crate::MAX_TEXT_BYTES {
        return Err(JsError::new(&format!(
            "text is {:.1} MB; the limit is {} MB",
            text.len() as f64 / 1048576.0,
            crate::MAX_TEXT_BYTES >> 20
        )));
    }
    // tokens and sentences are dropped once the quote stage is done: wasm memory never shrinks
    let doc = crate::document::annotate_for_output(text);
    let wire = WireDocument::new(text, &doc, Unit::Utf16);
    serde_json::to_string(&wire).map_err(|e| JsError::new(&format!("cannot return the result: {e}")))
}

/// The size limit in bytes of UTF-8, so the page can refuse larger text before sending it.
#[wasm_bindgen(js_name = maxTextBytes)]
pub fn max_text_bytes() -> usize {
    crate::MAX_TEXT_BYTES
}
