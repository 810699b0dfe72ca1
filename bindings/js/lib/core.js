// The wasm side, shared by the workers (worker.js, node-worker.js) and annotateSync: loading the
// module and the one call into it (src/wasm.rs), which returns the wire schema as JSON text for the
// caller to parse.
import initWasm, { initSync as initWasmSync, annotateUtf8, maxTextBytes } from './pressmark.js';
import { PressmarkError } from './options.js';

const encoder = new TextEncoder(); // a lone surrogate becomes U+FFFD, as in the glue's own copy

/**
 * Annotates with the loaded wasm; returns the JSON text. As UTF-8 bytes: the glue copies exactly
 * those into wasm memory; the result comes back in ~1 MB pieces (see annotate_utf8 in src/wasm.rs).
 * A wasm error (carrying a code) becomes a PressmarkError; a trap becomes ERR_CRASHED.
 */
export function annotateJson(text, { codePoints, layers }) {
  if (crashed) throw crashed;
  const pieces = [];
  try {
    annotateUtf8(encoder.encode(text), pieces, codePoints, layers);
  } catch (err) {
    const e = toPressmarkError(err);
    if (e.code === 'ERR_CRASHED') crashed = e;
    throw e;
  }
  return pieces.join('');
}

/** Set once the wasm has trapped in this thread: its memory may be inconsistent, so every later
 *  call fails the same way rather than risk a wrong result (a worker is replaced instead). */
let crashed = null;

/** The error as a PressmarkError: its own code, ERR_CRASHED for a trap (a Rust panic aborts). */
export function toPressmarkError(err) {
  if (err instanceof PressmarkError) return err;
  if (err instanceof WebAssembly.RuntimeError) {
    return new PressmarkError('ERR_CRASHED', `the annotator crashed (a bug; please report it with the text): ${err.message}`, { cause: err });
  }
  return new PressmarkError(typeof err?.code === 'string' ? err.code : 'ERR_INTERNAL', String(err?.message ?? err), { cause: err });
}

export { maxTextBytes };

/** Instantiates the wasm from a compiled WebAssembly.Module, bytes, or (no argument) its URL. */
export async function loadWasm(source) {
  await (source === undefined ? initWasm() : initWasm({ module_or_path: source }));
}

/** The same, synchronously, from a compiled module or the wasm's bytes. */
export function loadWasmSync(source) {
  initWasmSync({ module: source });
}

/** Loads the names model and compiles the patterns now rather than on the first text. */
export function warmUp() {
  annotateUtf8(new Uint8Array(0), [], false, 0);
}

/** A result up to this many characters of JSON text goes in one message: the caller parses it in
 *  one go (a 5 KB article's ~10 KB in well under a millisecond). */
export const SINGLE_MESSAGE_CHARS = 1 << 20;
/** A bigger one goes in slices of about this many characters, each parsed by the caller in its
 *  own task of a few ms, so a 5 MB article's ~15 MB of JSON never blocks the caller's thread. */
export const PIECE_CHARS = 1 << 18;

/**
 * Splits the JSON text of an object (the wire schema) without parsing it: the head is the object
 * with each top-level array emptied; the pieces are those arrays' elements, in order, as
 * `{key, json}` where json is the text of an array of consecutive elements, about pieceChars long
 * (an element is never cut). JSON.parse(head) with each piece's elements appended to head[key]
 * is JSON.parse(json). One pass over the characters, tracking depth and strings; each piece goes
 * to onPiece as soon as it is cut (the worker posts it while it cuts the next), else to `pieces`.
 */
export function splitJson(json, pieceChars = PIECE_CHARS, onPiece = null) {
  const head = [];
  const pieces = [];
  onPiece ??= (piece) => pieces.push(piece);
  let headFrom = 0; // start of the head text not yet copied
  let depth = 0;
  let key = null; // the top-level array being sliced, or null
  let sliceFrom = 0; // start of the elements not yet in a piece
  let keyFrom = -1; // start of the last string at depth 1: the key of a value that follows
  let lastKey = null;
  const flush = (end) => {
    if (end > sliceFrom) onPiece({ key, json: `[${json.slice(sliceFrom, end)}]` });
    sliceFrom = end + 1;
  };
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === QUOTE) {
      const from = i;
      // to the closing quote: one not escaped by an odd run of backslashes
      for (;;) {
        i = json.indexOf('"', i + 1);
        if (i < 0) throw new SyntaxError('unterminated string in the result');
        let backslashes = 0;
        while (json.charCodeAt(i - 1 - backslashes) === BACKSLASH) backslashes++;
        if (backslashes % 2 === 0) break;
      }
      if (depth === 1) { keyFrom = from; lastKey = i; }
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
      if (depth === 2 && c === OPEN_BRACKET) {
        key = JSON.parse(json.slice(keyFrom, lastKey + 1));
        head.push(json.slice(headFrom, i + 1));
        sliceFrom = i + 1;
      }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (depth === 2 && key !== null) {
        flush(i);
        key = null;
        headFrom = i;
      }
      depth--;
    } else if (c === COMMA && depth === 2 && key !== null && i - sliceFrom >= pieceChars) {
      flush(i);
    }
  }
  head.push(json.slice(headFrom));
  return { head: head.join(''), pieces };
}

const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c;
const OPEN_BRACE = 0x7b, CLOSE_BRACE = 0x7d, OPEN_BRACKET = 0x5b, CLOSE_BRACKET = 0x5d;

/**
 * A worker's side of the protocol (worker.js, node-worker.js), once the wasm is loaded:
 *   caller → worker  {type: 'annotate', id, text, codePoints, layers}
 *   worker → caller  {type: 'ready', maxTextBytes}
 *                    {type: 'result', id, json}           json: the wire schema as JSON text
 *                    {type: 'piece', id, key, json}       a big one: its pieces (splitJson), in order,
 *                    {type: 'result', id, json, pieces}   then its head and how many pieces came
 *                    {type: 'error', id, code, message, fatal}
 * fatal: the wasm trapped or could not load; its state is unknown, so the caller ends the worker
 * (and starts another). id is null when no request caused it. The pieces are separate messages so
 * that the caller reads each in its own task (see client.js).
 */
export function serve(loaded, post) {
  let started = false;
  let annotated = false;
  const ready = loaded.then(() => {
    warmUp();
    started = true;
    performance.mark('pm:warm');
    post({ type: 'ready', maxTextBytes: maxTextBytes() });
  });
  ready.catch((err) => post({ type: 'error', id: null, code: 'ERR_LOAD', message: `cannot load the annotator: ${err?.message ?? err}`, fatal: true }));
  return async (data) => {
    if (data?.type !== 'annotate') return;
    try {
      await ready;
      const json = annotateJson(data.text, data);
      if (!annotated) { annotated = true; performance.mark('pm:annotated'); }
      if (json.length <= SINGLE_MESSAGE_CHARS) {
        post({ type: 'result', id: data.id, json });
      } else {
        let pieces = 0;
        const { head } = splitJson(json, PIECE_CHARS, ({ key, json }) => {
          post({ type: 'piece', id: data.id, key, json });
          pieces++;
        });
        post({ type: 'result', id: data.id, json: head, pieces });
      }
    } catch (err) {
      if (!started) return; // reported once, above
      const e = toPressmarkError(err);
      post({ type: 'error', id: data.id, code: e.code, message: e.message, fatal: e.code === 'ERR_CRASHED' });
    }
  };
}
