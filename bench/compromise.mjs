// The peer: compromise (npm, dev-only), run in Node (V8, the engine Chromium uses) on the same texts.
// Its work per document, as close to pressmark's as it offers: parse (nlp), then people, places,
// organisations and quotations, each as an array. Run by bench/run.mjs as a child process (own heap):
//   node --max-old-space-size=4096 bench/compromise.mjs      → one JSON line on stdout
// compromise manages ~0.05 MB/s, so the 10 MB text would take minutes: it is skipped unless
// BENCH_PEER_10MB=1 (the 10 MB ratio is then printed as not measured).
import nlp from 'compromise';
import { readFileSync } from 'node:fs';
import { readCorpus, bytesOf, TEXTS } from './corpus.mjs';

const { version } = JSON.parse(readFileSync(new URL('../node_modules/compromise/package.json', import.meta.url), 'utf8'));

function extract(text) {
  const doc = nlp(text);
  return {
    people: doc.people().out('array').length,
    places: doc.places().out('array').length,
    organizations: doc.organizations().out('array').length,
    quotations: doc.quotations().out('array').length,
  };
}

function time(text) {
  const t0 = performance.now();
  const found = extract(text);
  return { ms: performance.now() - t0, found };
}

const { texts, articles } = readCorpus();
const out = { version, engine: `node ${process.version}`, texts: {} };
for (const a of articles.slice(0, 10)) extract(a); // warm-up: JIT and compromise's lazy lexicon
for (const name of TEXTS) {
  const text = texts[name];
  const bytes = bytesOf(text);
  if (name === '10mb' && process.env.BENCH_PEER_10MB !== '1') {
    out.texts[name] = { bytes, skipped: 'about 200 s at 0.05 MB/s; set BENCH_PEER_10MB=1 to run it' };
    continue;
  }
  const runs = bytes >= 500_000 ? 1 : 5;
  const ms = [];
  let found;
  for (let i = 0; i < runs; i++) ({ ms: ms[i], found } = time(text));
  out.texts[name] = { bytes, ms, found };
  process.stderr.write(`compromise ${name}: ${ms.map((x) => x.toFixed(1)).join(', ')} ms\n`);
}
out.articles = { count: articles.length, ms: articles.map((a) => time(a).ms) };
console.log(JSON.stringify(out));
