// The package's browser entry ("exports" → "default"). createAnnotator() runs the wasm in a
// module Web Worker (worker.js); the wasm is fetched and compiled here, on the caller's side, with
// WebAssembly.compileStreaming while the worker starts, and the compiled module is handed to the
// worker (and to every later one: a restart only instantiates it). Every file is found through
// new URL(…, import.meta.url), which bundlers such as webpack 5, Vite and Parcel follow.
// Marks in the page's performance timeline: pm:compiled (the wasm is compiled); the worker's are
// listed in worker.js.
import { WorkerAnnotator } from './client.js';
import { PressmarkError, checkText, resolveOptions, LAYERS, OFFSET_UNITS, MAX_TEXT_BYTES } from './options.js';

export { PressmarkError, LAYERS, OFFSET_UNITS, MAX_TEXT_BYTES };

let compiled = null; // Promise<WebAssembly.Module>, shared by every worker and init()

function compile() {
  compiled ??= typeof WebAssembly === 'object' && typeof WebAssembly.compileStreaming === 'function'
    ? WebAssembly.compileStreaming(fetch(new URL('./pressmark_bg.wasm', import.meta.url)))
      .then((module) => { performance.mark('pm:compiled'); return module; })
    : Promise.reject(new Error('this browser has no WebAssembly.compileStreaming'));
  compiled.catch(() => {});
  return compiled;
}

function spawn({ message, error }) {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'pressmark' });
  worker.onmessage = ({ data }) => message(data);
  worker.onerror = (ev) => {
    ev.preventDefault();
    error(ev.message ? `the annotator failed: ${ev.message}` : 'the annotator\'s worker could not be loaded');
  };
  worker.onmessageerror = () => error('the annotator sent a message that could not be read');
  // A module the page could not compile (e.g. a server that sends another MIME type, which
  // compileStreaming refuses) is fetched by the worker itself, through the glue's fallback.
  compile().then(
    (module) => worker.postMessage({ type: 'module', module }),
    (err) => worker.postMessage({ type: 'module', error: String(err?.message ?? err) }),
  );
  return { post: (m) => worker.postMessage(m), terminate: () => worker.terminate() };
}

/** Starts an annotator in a Web Worker; resolves once it has loaded the wasm. */
export async function createAnnotator(options = {}) {
  const annotator = new WorkerAnnotator(spawn, options);
  await annotator.ready;
  return annotator;
}

let core = null; // core.js once init() has loaded the wasm on this thread
let initializing = null;

/** Loads the wasm on this thread, for annotateSync(); resolves when done. Safe to call twice. */
export function init() {
  initializing ??= (async () => {
    const [c, module] = await Promise.all([import('./core.js'), compile().catch(() => undefined)]);
    await c.loadWasm(module);
    c.warmUp();
    core = c;
  })();
  return initializing;
}

/**
 * Annotates on the calling thread (a worker of your own, a script, a test); throws a
 * PressmarkError. In a browser the wasm must be loaded first with `await init()` (browsers compile
 * a module this large only asynchronously on the page's thread).
 */
export function annotateSync(text, options = {}) {
  if (!core) throw new PressmarkError('ERR_NOT_INITIALIZED', 'call `await init()` once before annotateSync() in a browser');
  const resolved = resolveOptions(options);
  checkText(text);
  return JSON.parse(core.annotateJson(text, resolved));
}
