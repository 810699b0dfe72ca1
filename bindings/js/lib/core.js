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

/**
 * A worker's side of the protocol (worker.js, node-worker.js), once the wasm is loaded:
 *   caller → worker  {type: 'annotate', id, text, codePoints, layers}
 *   worker → caller  {type: 'ready', maxTextBytes}
 *                    {type: 'result', id, json}           json: the wire schema as JSON text
 *                    {type: 'error', id, code, message, fatal}
 * fatal: the wasm trapped or could not load; its state is unknown, so the caller ends the worker
 * (and starts another). id is null when no request caused it.
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
      post({ type: 'result', id: data.id, json });
    } catch (err) {
      if (!started) return; // reported once, above
      const e = toPressmarkError(err);
      post({ type: 'error', id: data.id, code: e.code, message: e.message, fatal: e.code === 'ERR_CRASHED' });
    }
  };
}
