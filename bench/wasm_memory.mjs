// The wasm memory one annotate call leaves, in Node (the same module and call as the page's worker
// and bench/memory-worker.js: annotateUtf8 of the text's UTF-8 bytes, UTF-16 offsets, every layer).
// wasm memory never shrinks, so its size after the call is the peak. Quicker than `npm run bench`
// for memory work; figures only.
//   bash scripts/build.sh && node bench/corpus.mjs && node bench/wasm_memory.mjs [NAME ...]
// NAME: a text of target/bench-corpus/ (default: 1mb 10mb). Needs www/pkg (scripts/build.sh), or
// another build's package directory in PRESSMARK_WASM_PKG (to compare two builds).
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { CORPUS_DIR, REPO } from './corpus.mjs';

const pkg = process.env.PRESSMARK_WASM_PKG ? path.resolve(process.env.PRESSMARK_WASM_PKG) : path.join(REPO, 'www', 'pkg');
if (!existsSync(path.join(pkg, 'pressmark_bg.wasm'))) {
  console.error(`wasm_memory: ${pkg}/pressmark_bg.wasm is missing; run bash scripts/build.sh first`);
  process.exit(2);
}
const names = process.argv.slice(2).length ? process.argv.slice(2) : ['1mb', '10mb'];
for (const name of names) {
  const file = path.join(CORPUS_DIR, `${name}.txt`);
  if (!existsSync(file)) {
    console.error(`wasm_memory: ${file} is missing; run node bench/corpus.mjs first`);
    process.exit(2);
  }
  // a fresh module per text: the memory of one call, as in a fresh worker
  const mod = await import(`${path.join(pkg, 'pressmark.js')}?${name}`);
  const wasm = await mod.default({ module_or_path: readFileSync(path.join(pkg, 'pressmark_bg.wasm')) });
  const text = readFileSync(file, 'utf8');
  mod.annotate(''); // the worker's warm-up: the names model is loaded
  const before = wasm.memory.buffer.byteLength;
  const pieces = [];
  mod.annotateUtf8(new TextEncoder().encode(text), pieces, false, 7);
  const result = JSON.parse(pieces.join(''));
  const after = wasm.memory.buffer.byteLength;
  const bytes = Buffer.byteLength(text);
  console.log(`${name}: ${(bytes / 1e6).toFixed(2)} MB text → wasm memory ${(before / 1e6).toFixed(1)} MB before, `
    + `${(after / 1e6).toFixed(1)} MB after = ${(after / bytes).toFixed(2)}× the text `
    + `(${result.entities.length} entities, ${result.quotes.length} quotes)`);
}
