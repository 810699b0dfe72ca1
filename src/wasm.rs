//! The browser binding (wasm32 only): the wire schema (`src/output.rs`) as JSON text, with UTF-16
//! or code-point offsets and the layers asked for. Thin on purpose: all logic is in the core,
//! tested natively. Its JS callers are the npm package's `bindings/js/lib/core.js` (which the page
//! uses too) and the tests.
//!
//! Errors are JS `Error`s with a `code` property, which the package documents with its own codes:
//! `ERR_TEXT_TOO_LARGE` (over [`crate::MAX_TEXT_BYTES`]), `ERR_NOT_UTF8`, `ERR_INTERNAL`.

use crate::offsets::Unit;
use crate::output::{WireCluster, WireDocument, WireEntity, WireQuote, WireSpan};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Runs once when the module is instantiated: panics reach the console with their message.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

#[wasm_bindgen]
extern "C" {
    /// JavaScript's `Error`, given a `code` before it is thrown: callers branch on the code, not
    /// on the message (Node's convention; `JsError` has no fields but the message).
    #[wasm_bindgen(js_name = Error)]
    pub type CodedError;
    #[wasm_bindgen(constructor, js_class = "Error")]
    fn new(message: &str) -> CodedError;
    #[wasm_bindgen(method, setter)]
    fn set_code(this: &CodedError, code: &str);

    /// Where the result's pieces go: a JS array (its `push`).
    pub type Pieces;
    #[wasm_bindgen(method)]
    fn push(this: &Pieces, piece: &str);
}

fn coded(code: &str, message: &str) -> CodedError {
    let err = CodedError::new(message);
    err.set_code(code);
    err
}

/// Bits of `layers` in [`annotate_utf8`]: which of the document's lists the result carries.
/// `entities` brings `entities_index` with it (the `entity_id`s point into it).
pub const LAYER_ENTITIES: u32 = 1;
/// Bit of `quotes`.
pub const LAYER_QUOTES: u32 = 2;
/// Bit of `scare_quotes`.
pub const LAYER_SCARE_QUOTES: u32 = 4;
const ALL_LAYERS: u32 = LAYER_ENTITIES | LAYER_QUOTES | LAYER_SCARE_QUOTES;

/// Annotates `text`; returns the whole wire schema with UTF-16 offsets, as JSON text.
///
/// JSON rather than JS objects: building the objects field by field from wasm, then cloning them
/// from the worker to the page, took longer than annotating (10 MB: about 1.2 s of the 3.4 s the
/// page waited); one string crosses both boundaries as a copy and `JSON.parse` builds the objects
/// where they are used.
///
/// # Errors
/// Throws (`code` `ERR_TEXT_TOO_LARGE`) when the text is over [`crate::MAX_TEXT_BYTES`].
#[wasm_bindgen]
pub fn annotate(text: &str) -> Result<String, CodedError> {
    let mut json = Vec::new();
    write_json(text, Unit::Utf16, ALL_LAYERS, &mut json)?;
    Ok(String::from_utf8(json).expect("serde_json writes UTF-8"))
}

/// [`annotate`] for text already encoded as UTF-8 (`new TextEncoder().encode(text)`), which is
/// what the package's worker sends: the glue then copies exactly its bytes into wasm memory (for a
/// `&str` argument it reserves 3 bytes per UTF-16 unit once it meets a non-ASCII char: 30 MB for
/// 10 MB of text, and wasm memory never shrinks). The JSON text is pushed onto the JS array
/// `pieces` about 1 MB at a time, as it is written (JS joins them): one buffer for the whole
/// result (29 MB for a 10 MB text) would need that much more wasm memory, never given back.
///
/// `code_points`: offsets in code points (as the CLI) instead of UTF-16 units. `layers`: the
/// `LAYER_*` bits of the lists to return; the others are left out of the object.
///
/// # Errors
/// Throws (`code` `ERR_NOT_UTF8`, `ERR_TEXT_TOO_LARGE`) when `utf8` is not UTF-8 or is over
/// [`crate::MAX_TEXT_BYTES`].
#[wasm_bindgen(js_name = annotateUtf8)]
pub fn annotate_utf8(utf8: &[u8], pieces: &Pieces, code_points: bool, layers: u32) -> Result<(), CodedError> {
    let text = std::str::from_utf8(utf8)
        .map_err(|e| coded("ERR_NOT_UTF8", &format!("the text is not UTF-8: {e}")))?;
    let unit = if code_points { Unit::CodePoint } else { Unit::Utf16 };
    let mut out = ToPieces { pieces, cur: Vec::with_capacity(PIECE + 4) };
    write_json(text, unit, layers, &mut out)?;
    out.send();
    Ok(())
}

/// The lists of a [`WireDocument`] that were asked for; the others are not serialised at all.
#[derive(Serialize)]
struct Layers<'a, 't> {
    #[serde(skip_serializing_if = "Option::is_none")]
    entities: Option<&'a [WireEntity<'t>]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    entities_index: Option<&'a [WireCluster<'t>]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quotes: Option<&'a [WireQuote<'t>]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scare_quotes: Option<&'a [WireSpan<'t>]>,
}

fn write_json(text: &str, unit: Unit, layers: u32, out: &mut impl std::io::Write) -> Result<(), CodedError> {
    if text.len() > crate::MAX_TEXT_BYTES {
        return Err(coded(
            "ERR_TEXT_TOO_LARGE",
            &format!(
                "the text is {:.1} MB; the limit is {} MB",
                text.len() as f64 / 1048576.0,
                crate::MAX_TEXT_BYTES >> 20
            ),
        ));
    }
    // tokens and sentences are dropped once the quote stage is done: wasm memory never shrinks
    let doc = crate::document::annotate_for_output(text);
    let wire = WireDocument::new(text, &doc, unit);
    let has = |bit: u32| layers & bit != 0;
    let selected = Layers {
        entities: has(LAYER_ENTITIES).then_some(&wire.entities[..]),
        entities_index: has(LAYER_ENTITIES).then_some(&wire.entities_index[..]),
        quotes: has(LAYER_QUOTES).then_some(&wire.quotes[..]),
        scare_quotes: has(LAYER_SCARE_QUOTES).then_some(&wire.scare_quotes[..]),
    };
    serde_json::to_writer(out, &selected)
        .map_err(|e| coded("ERR_INTERNAL", &format!("cannot return the result: {e}")))
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

/// The size limit in bytes of UTF-8, so callers can refuse larger text before sending it.
#[wasm_bindgen(js_name = maxTextBytes)]
pub fn max_text_bytes() -> usize {
    crate::MAX_TEXT_BYTES
}
