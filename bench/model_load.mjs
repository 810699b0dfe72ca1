// The wasm's start in V8 without a page: per fresh Node process, the module's compilation
// (WebAssembly.compile, lazy as in Chromium), its instantiation, the first call (the names model's
// load, run by V8's baseline tier, and the lazy compilation of every function it calls: core.js's
// warmUp) and a first 5 KB article. Several builds alternate process by process (A/B on a noisy
// machine); each line gives the median of the runs (and the minimum). --mb: then also MB/s on target/bench-corpus/1mb.txt
// (`npm run bench` writes it), the best of 3 in each process, to check that a start-up change
// leaves the speed alone.
//   node bench/model_load.mjs [--runs N] [--mb] [DIR ...]   DIR holds pressmark.js and
//        pressmark_bg.wasm (default www/pkg; e.g. a copy made before a change)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

if (process.argv[2] === '--child') {
  const dir = process.argv[3];
  const { initSync, annotateUtf8 } = await import(path.join(dir, 'pressmark.js'));
  const bytes = readFileSync(path.join(dir, 'pressmark_bg.wasm'));
  const sample = new TextEncoder().encode(readFileSync(path.join(REPO, 'www', 'sample.txt'), 'utf8'));
  const t0 = performance.now();
  const module = await WebAssembly.compile(bytes);
  const t1 = performance.now();
  initSync({ module });
  const t2 = performance.now();
  annotateUtf8(new Uint8Array(0), [], false, 0); // core.js's warmUp()
  const t3 = performance.now();
  annotateUtf8(sample, [], false, 7);
  const t4 = performance.now();
  const out = { compile: t1 - t0, instantiate: t2 - t1, firstCall: t3 - t2, sample: t4 - t3 };
  if (process.argv[4] === '--mb') {
    const text = new TextEncoder().encode(readFileSync(path.join(REPO, 'target', 'bench-corpus', '1mb.txt'), 'utf8'));
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      annotateUtf8(text, [], false, 7);
      best = Math.min(best, performance.now() - t);
    }
    out.mbps = text.length / 1e6 / (best / 1e3);
  }
  console.log(JSON.stringify(out));
  process.exit(0);
}

const args = process.argv.slice(2);
let runs = 9;
let mb = false;
const dirs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else if (args[i] === '--mb') mb = true;
  else dirs.push(path.resolve(args[i]));
}
if (!dirs.length) dirs.push(path.join(REPO, 'www', 'pkg'));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const results = dirs.map(() => []);
for (let i = 0; i < runs; i++) {
  for (const [k, dir] of dirs.entries()) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', dir, ...(mb ? ['--mb'] : [])], { encoding: 'utf8' });
    results[k].push(JSON.parse(out.trim().split('\n').pop()));
  }
}
for (const [k, dir] of dirs.entries()) {
  const m = (key) => {
    const xs = results[k].map((r) => r[key]);
    return `${median(xs).toFixed(1)} (min ${Math.min(...xs).toFixed(1)})`;
  };
  console.log(`${dir}: ${runs} processes, median ms: compile ${m('compile')} · instantiate ${m('instantiate')} · `
    + `first call (names model load + lazy compilation) ${m('firstCall')} · sample article ${m('sample')}`
    + (mb ? ` · 1 MB: ${m('mbps')} MB/s` : ''));
}
