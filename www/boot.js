// The first script the page runs (an async module script in <head>, no imports): it starts the
// annotator's worker and the wasm's compilation at once, while the rest of the page (style sheet,
// main.js and its modules, the sample article) is still arriving. Without it the worker started
// only once main.js and all its imports had been fetched and run, and the wasm's download began
// only once the worker had fetched and run worker.js and the wasm-bindgen glue: a waterfall.
//
// The wasm comes from the <link rel="preload"> in index.html (same URL and mode, so no second
// download), is compiled here with WebAssembly.compileStreaming (off the main thread, while it
// downloads) and the compiled module is posted to the worker, which only instantiates it.
// A worker started later (a restart after a failure) fetches and compiles the wasm itself.
//
// main.js takes the worker over with takeEarlyWorker(); events the worker sent before that are
// kept and replayed, so none is lost ('ready', or a failure to start).

/** The worker's name when it is to wait for the compiled module from the page (see worker.js). */
export const MODULE_FROM_PAGE = 'pressmark:module-from-page';

performance.mark('pm:boot');

let early = null;
if (typeof WebAssembly === 'object' && typeof WebAssembly.compileStreaming === 'function') {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: MODULE_FROM_PAGE });
  const events = [];
  worker.onmessage = (ev) => events.push(ev);
  worker.onmessageerror = (ev) => events.push(ev);
  worker.onerror = (ev) => { ev.preventDefault(); events.push(ev); };
  early = { worker, events };
  WebAssembly.compileStreaming(fetch(new URL('./pkg/pressmark_bg.wasm', import.meta.url)))
    .then((module) => {
      performance.mark('pm:compiled');
      worker.postMessage({ type: 'module', module });
    }, (err) => worker.postMessage({ type: 'module', error: String(err?.message ?? err) }));
}

/** The worker started here with the events it has sent so far, once; null afterwards, or when
 *  this browser lacks WebAssembly.compileStreaming (the Annotator then starts its own worker). */
export function takeEarlyWorker() {
  const taken = early;
  early = null;
  return taken;
}
