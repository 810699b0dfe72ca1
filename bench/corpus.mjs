// The benchmark texts, assembled at bench time from ../shared (never committed).
//
//   seed     ../shared/examples/seed-article.txt
//   sample   www/sample.txt (the page's sample article)
//   10kb     10,000 bytes  ┐ consecutive PolNeAR article texts (dev then train, "text" field,
//   1mb      1,000,000 B   │ joined by a blank line), cut at the last whitespace before the size;
//   10mb     10,000,000 B  ┘ PolNeAR has ~4.3 MB of distinct text, so 10mb repeats it (2.3×)
//   articles 100 "5 KB articles": the first 5,000 bytes of each PolNeAR article that is at least
//            that long, cut at the last whitespace (4.9–5.0 KB each)
//
// Sizes are bytes of UTF-8; MB = 10^6 bytes throughout. Written to target/bench-corpus/ (gitignored),
// where the native bench (bench/native.rs) and the compromise runner (bench/compromise.mjs) read them.
import { readFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED = path.resolve(REPO, '..', 'shared');
export const CORPUS_DIR = path.join(REPO, 'target', 'bench-corpus');

/** The texts timed for throughput, in table order. */
export const TEXTS = ['seed', 'sample', '10kb', '1mb', '10mb'];
export const SIZES = { '10kb': 10_000, '1mb': 1_000_000, '10mb': 10_000_000 };
export const ARTICLE_BYTES = 5_000;
export const ARTICLE_COUNT = 100;

function need(file) {
  if (!existsSync(file)) {
    throw new Error(`bench: ${file} is missing. The benchmark texts come from ../shared `
      + `(examples/seed-article.txt and data/polnear/*.jsonl next to this repository); it cannot run without them.`);
  }
  return file;
}

/** Cuts s to at most n UTF-8 bytes, at the last whitespace (or char boundary) before the cut. */
export function cutBytes(s, n) {
  const buf = Buffer.from(s, 'utf8');
  if (buf.length <= n) return s;
  let end = n;
  while (end > 0 && (buf[end] & 0xc0) === 0x80) end--; // not inside a multi-byte char
  let out = buf.subarray(0, end).toString('utf8');
  const ws = Math.max(out.lastIndexOf(' '), out.lastIndexOf('\n'));
  if (ws > out.length * 0.9) out = out.slice(0, ws);
  return out;
}

function polnearTexts() {
  const texts = [];
  for (const split of ['dev', 'train']) {
    const file = need(path.join(SHARED, 'data', 'polnear', `${split}.jsonl`));
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const { text } = JSON.parse(line);
      if (typeof text === 'string' && text.trim()) texts.push(text.trim());
    }
  }
  if (texts.length < 100) throw new Error(`bench: only ${texts.length} PolNeAR texts in ${SHARED}/data/polnear`);
  return texts;
}

function stream(texts, bytes) {
  const parts = [];
  let n = 0;
  for (let i = 0; n < bytes + 10_000; i = (i + 1) % texts.length) {
    parts.push(texts[i]);
    n += Buffer.byteLength(texts[i]) + 2;
  }
  return cutBytes(parts.join('\n\n'), bytes);
}

/** Builds every text, writes them to CORPUS_DIR; returns {texts: {name: string}, articles: string[]}. */
export function buildCorpus() {
  need(SHARED);
  const texts = {
    seed: readFileSync(need(path.join(SHARED, 'examples', 'seed-article.txt')), 'utf8'),
    sample: readFileSync(need(path.join(REPO, 'www', 'sample.txt')), 'utf8'),
  };
  const polnear = polnearTexts();
  for (const [name, bytes] of Object.entries(SIZES)) texts[name] = stream(polnear, bytes);
  const articles = polnear.filter((t) => Buffer.byteLength(t) >= ARTICLE_BYTES)
    .slice(0, ARTICLE_COUNT).map((t) => cutBytes(t, ARTICLE_BYTES));
  if (articles.length < ARTICLE_COUNT) throw new Error(`bench: only ${articles.length} PolNeAR articles of ≥ 5 KB`);
  mkdirSync(CORPUS_DIR, { recursive: true });
  for (const [name, text] of Object.entries(texts)) writeFileSync(path.join(CORPUS_DIR, `${name}.txt`), text);
  writeFileSync(path.join(CORPUS_DIR, 'articles.json'), JSON.stringify(articles));
  return { texts, articles };
}

/** Reads what buildCorpus wrote (for the child processes). */
export function readCorpus() {
  const texts = {};
  for (const name of TEXTS) texts[name] = readFileSync(need(path.join(CORPUS_DIR, `${name}.txt`)), 'utf8');
  const articles = JSON.parse(readFileSync(need(path.join(CORPUS_DIR, 'articles.json')), 'utf8'));
  return { texts, articles };
}

export const bytesOf = (s) => Buffer.byteLength(s, 'utf8');

/** Median and p95 (nearest rank) of a list of numbers. */
export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const rank = (p) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
  return { median: rank(0.5), p95: rank(0.95), min: s[0], max: s[s.length - 1], n: s.length };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { texts, articles } = buildCorpus();
  for (const [name, t] of Object.entries(texts)) console.log(`${name.padEnd(8)} ${bytesOf(t).toLocaleString('en')} bytes`);
  const sizes = articles.map(bytesOf);
  console.log(`articles ${articles.length} × ${Math.min(...sizes)}–${Math.max(...sizes)} bytes → ${CORPUS_DIR}`);
}
