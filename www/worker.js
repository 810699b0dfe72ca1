// The module worker that owns the wasm, so the page never freezes while a long text is annotated.
// Messages (page → worker):  {type: 'annotate', id, text}
// Messages (worker → page):  {type: 'ready', maxTextBytes}
//                            {type: 'result', id, result, ms}   result: the wire schema (src/output.rs)
//                            {type: 'error', id, message, fatal}
// fatal: the module failed to load or trapped (a Rust panic aborts); its state is then unknown,
// so the page ends this worker and starts a new one. id is null when no request caused it.
import init, { annotate, maxTextBytes } from './pkg/pressmark.js';

const isFatal = (err) => !(err instanceof Error) || err instanceof WebAssembly.RuntimeError
  || err instanceof WebAssembly.CompileError || err instanceof WebAssembly.LinkError;

let started = false;
const ready = init().then(() => {
  started = true;
  annotate(''); // warm-up: compiles the patterns before the first real request
  self.postMessage({ type: 'ready', maxTextBytes: maxTextBytes() });
});
ready.catch((err) => self.postMessage({ type: 'error', id: null, message: `cannot start: ${err?.message ?? err}`, fatal: true }));

self.onmessage = async ({ data }) => {
  if (data?.type !== 'annotate') return;
  try {
    await ready;
    const t0 = performance.now();
    const result = annotate(data.text);
    self.postMessage({ type: 'result', id: data.id, result, ms: performance.now() - t0 });
  } catch (err) {
    self.postMessage({ type: 'error', id: data.id, message: String(err?.message ?? err), fatal: !started || isFatal(err) });
  }
};
