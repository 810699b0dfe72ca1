// Bench-only module worker (served by bench/browser.mjs at /__bench/memory-worker.js, never by the
// app): instantiates the same www/pkg module the page's worker uses and reports the wasm linear
// memory around one annotate call, made as the package's worker makes it (annotateUtf8 of the text's
// UTF-8 bytes). wasm memory only grows, so its size after the call is the peak.
import init, { annotate, annotateUtf8 } from '/pkg/pressmark.js';

self.onmessage = async ({ data: { name } }) => {
  try {
    const wasm = await init();
    const text = await (await fetch(`/__bench/${name}.txt`)).text();
    annotate(''); // the worker's warm-up, as the package's worker (bindings/js/lib/worker.js) does
    const before = wasm.memory.buffer.byteLength;
    const t0 = performance.now();
    // as the package's worker sends it (UTF-16 offsets, every layer) and takes the result
    const pieces = [];
    annotateUtf8(new TextEncoder().encode(text), pieces, false, 7);
    const result = JSON.parse(pieces.join(''));
    const ms = performance.now() - t0;
    self.postMessage({
      ok: true, name, ms, memoryBefore: before, memoryAfter: wasm.memory.buffer.byteLength,
      entities: result.entities.length, quotes: result.quotes.length,
    });
  } catch (err) {
    self.postMessage({ ok: false, name, error: String(err?.stack ?? err) });
  }
};
