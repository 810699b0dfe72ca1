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
    let mut json = Vec::new();
    write_json(text, &mut json)?;
    Ok(String::from_utf8(json).expect("serde_json writes UTF-8"))
}

#[wasm_bindgen]
extern "C" {
    /// Where the result's pieces go: a JS array (its `push`).
    pub type Pieces;
    #[wasm_bindgen(method)]
    fn push(this: &Pieces, piece: &str);
}

/// [`annotate`] for text already encoded as UTF-8 (`new TextEncoder().encode(text)`), which is
/// what `www/worker.js` sends: the glue then copies exactly its bytes into wasm memory (for a
/// `&str` argument it reserves 3 bytes per UTF-16 unit once it meets a non-ASCII char: 30 MB for
/// 10 MB of text, and wasm memory never shrinks). The JSON text is pushed onto the JS array
/// `pieces` about 1 MB at a time, as it is written (JS joins them): one buffer for the whole
/// result (29 MB for a 10 MB text) would need that much more wasm memory, never given back.
///
/// # Errors
/// Throws when `utf8` is not UTF-8 or is over [`crate::MAX_TEXT_BYTES`].
#[wasm_bindgen(js_name = annotateUtf8)]
pub fn annotate_utf8(utf8: &[u8], pieces: &Pieces) -> Result<(), JsError> {
    let text = std::str::from_utf8(utf8).map_err(|e| JsError::new(&format!("the text is not UTF-8: {e}")))?;
    let mut out = ToPieces { pieces, cur: Vec::with_capacity(PIECE + 4) };
    write_json(text, &mut out)?;
    out.send();
    Ok(())
}

fn write_json(text: &str, out: &mut impl std::io::Write) -> Result<(), JsError> {
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
    serde_json::to_writer(out, &wire).map_err(|e| JsError::new(&format!("cannot return the result: {e}")))
}

/// Size of the result's pieces.
const PIECE: usize = 1 << 20;

/// A writer that hands its bytes to JS in pieces of about [`PIECE`] bytes, each ending on a
/// char boundary (a char cut at the end of one goes with the next).
struct ToPieces<'a> {
    pieces: &'a Pieces,
    cur: Vec<u8>,
}

impl ToPieces<'_> {
    /// Pushes the longest prefix of `cur` that does not end inside a char, and keeps the rest.
    fn send(&mut self) {
        let end = match std::str::from_utf8(&self.cur) {
            Ok(_) => self.cur.len(),
            // serde_json writes UTF-8: the only error is a char cut at the end
            Err(e) => e.valid_up_to(),
        };
        self.pieces.push(std::str::from_utf8(&self.cur[..end]).expect("a UTF-8 prefix"));
        self.cur.drain(..end);
    }
}

impl std::io::Write for ToPieces<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.cur.extend_from_slice(buf);
        if self.cur.len() >= PIECE {
            self.send();
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The size limit in bytes of UTF-8, so the page can refuse larger text before sending it.
#[wasm_bindgen(js_name = maxTextBytes)]
pub fn max_text_bytes() -> usize {
    crate::MAX_TEXT_BYTES
}
