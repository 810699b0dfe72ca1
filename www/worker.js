// The module worker that owns the wasm, so the page never freezes while a long text is annotated.
// Messages (page → worker):  {type: 'module', module | error}   only to a worker named
//                                 MODULE_FROM_PAGE (www/boot.js): the wasm, compiled by the page
//                                 (on error the worker fetches and compiles it itself)
//                            {type: 'annotate', id, text}
// Messages (worker → page):  {type: 'ready', maxTextBytes}
//                            {type: 'result', id, json, ms}   json: the wire schema (src/output.rs) as JSON text
//                            {type: 'error', id, message, fatal}
// fatal: the module failed to load or trapped (a Rust panic aborts); its state is then unknown,
// so the page ends this worker and starts a new one. id is null when no request caused it.
// Marks in this worker's performance timeline (read by bench/browser.mjs): pm:worker (this script
// runs), pm:instantiated, pm:warm (the names model loaded), pm:annotated (the first request only).
import init, { annotate, annotateUtf8, maxTextBytes } from './pkg/pressmark.js';

performance.mark('pm:worker');
const MODULE_FROM_PAGE = 'pressmark:module-from-page'; // = boot.js's (a worker cannot import it: boot.js starts workers)

const utf8 = new TextEncoder(); // a lone surrogate becomes U+FFFD, as the glue's own string copy does
const isFatal = (err) => !(err instanceof Error) || err instanceof WebAssembly.RuntimeError
  || err instanceof WebAssembly.CompileError || err instanceof WebAssembly.LinkError;

let fromPage = null; // {resolve, reject} while the page's module is awaited
const instantiated = self.name === MODULE_FROM_PAGE
  ? new Promise((resolve, reject) => { fromPage = { resolve, reject }; }).then(
    (module) => init({ module_or_path: module }),
    // The page could not compile it (e.g. a host that sends the wasm with another MIME type, which
    // compileStreaming refuses): fetched here instead, where the glue falls back to a plain compile.
    () => init())
  : init(); // the glue fetches pkg/pressmark_bg.wasm itself

/** Annotates text; returns the JSON text, which the wasm pushes out in pieces (see src/wasm.rs). */
function annotateToJson(text) {
  const pieces = [];
  annotateUtf8(utf8.encode(text), pieces);
  return pieces.join('');
}

let started = false;
let annotated = false;
const ready = instantiated.then(() => {
  performance.mark('pm:instantiated');
  started = true;
  annotate(''); // warm-up: loads the names model and compiles the patterns before the first real request
  performance.mark('pm:warm');
  self.postMessage({ type: 'ready', maxTextBytes: maxTextBytes() });
});
ready.catch((err) => self.postMessage({ type: 'error', id: null, message: `cannot start: ${err?.message ?? err}`, fatal: true }));

self.onmessage = async ({ data }) => {
  if (data?.type === 'module') {
    if (data.module instanceof WebAssembly.Module) fromPage?.resolve(data.module);
    else fromPage?.reject(new Error(data.error ?? 'no module'));
    fromPage = null;
    return;
  }
  if (data?.type !== 'annotate') return;
  try {
    await ready;
    const t0 = performance.now();
    // As UTF-8 bytes: the glue copies exactly those into wasm memory (see annotate_utf8 in src/wasm.rs)
    // As JSON text, parsed by the page: one string to copy instead of a graph of objects to clone
    const json = annotateToJson(data.text);
    const ms = performance.now() - t0;
    if (!annotated) { annotated = true; performance.mark('pm:annotated'); }
    self.postMessage({ type: 'result', id: data.id, json, ms });
  } catch (err) {
    self.postMessage({ type: 'error', id: data.id, message: String(err?.message ?? err), fatal: !started || isFatal(err) });
  }
};
