// `npm run bench:package` (also the last step of `npm run bench`): the npm package's own figures in
// headless Chromium, against the targets (printed as met/missed; nothing fails on a number):
//   • the tarball's size (dist/pressmark-<version>.tgz, gzipped by npm pack): ≤ 1.1 MB
//   • createAnnotator() → its first annotate (the seed article) resolved, in a fresh browser
//     context each time (no HTTP or code cache): ≤ 400 ms median
//   • later 5 KB articles (bench/corpus.mjs's 100 PolNeAR articles, 5 passes): ≤ 2 ms median
// The page loads bindings/js/lib/browser.js unbundled, from a local server with the page's CSP.
// Also, in Node (a fresh process each time): the first annotateSync() (it loads the wasm
// synchronously), and createAnnotator() → first annotate in a worker_thread.
//   PACKAGE_BENCH_RUNS=n   cold loads (default 15)
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { buildCorpus, stats, REPO } from './corpus.mjs';
import { launch } from '../tests/browser/helpers.mjs';
import { CSP } from '../scripts/server.mjs';

const log = (m) => process.stdout.write(`package: ${m}\n`);
const RUNS = Number(process.env.PACKAGE_BENCH_RUNS ?? 15);
const LIB = path.join(REPO, 'bindings', 'js', 'lib');
const { version } = JSON.parse(readFileSync(path.join(REPO, 'bindings', 'js', 'package.json'), 'utf8'));
const TARBALL = path.join(REPO, 'dist', `pressmark-${version}.tgz`);
for (const f of [TARBALL, path.join(LIB, 'pressmark_bg.wasm')]) {
  if (!existsSync(f)) throw new Error(`bench: ${f} is missing: run \`npm run pack\` first (npm run bench:package does)`);
}

const verdict = (ok) => (ok ? 'met' : 'NOT met');

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const PAGE = '<!doctype html><meta charset="utf-8"><title>package bench</title><script type="module" src="/bench.js"></script>';
const server = createServer((req, res) => {
  const p = new URL(req.url, 'http://x').pathname;
  let body;
  if (p === '/') body = PAGE;
  else if (p === '/bench.js') body = readFileSync(path.join(REPO, 'bench', 'package-page.js'));
  else if (p.startsWith('/lib/') && existsSync(path.join(LIB, path.basename(p)))) body = readFileSync(path.join(LIB, path.basename(p)));
  else { res.writeHead(p === '/favicon.ico' ? 204 : 404).end(); return; }
  res.writeHead(200, { 'Content-Type': TYPES[path.extname(p)] ?? 'text/html', 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store' });
  res.end(body);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const { texts, articles } = buildCorpus();
const load0 = os.loadavg()[0];

/** In a fresh Node process: ms of the first annotateSync(seed), and of createAnnotator() → first annotate. */
function nodeRun() {
  const script = `
    import { annotateSync, createAnnotator } from ${JSON.stringify(path.join(LIB, 'node.js'))};
    import { readFileSync } from 'node:fs';
    const text = readFileSync(${JSON.stringify(path.join(REPO, 'target', 'bench-corpus', 'seed.txt'))}, 'utf8');
    let t0 = performance.now();
    annotateSync(text);
    const sync = performance.now() - t0;
    t0 = performance.now();
    const a = await createAnnotator();
    await a.annotate(text);
    console.log(JSON.stringify({ sync, worker: performance.now() - t0 }));
    await a.close();`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
}
const nodeRuns = Array.from({ length: 7 }, nodeRun);
const browser = await launch();
try {
  const ready = [];
  const first = [];
  let perArticle = null;
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(origin + '/');
    await page.waitForFunction(() => typeof window.firstAnnotate === 'function');
    const r = await page.evaluate((text) => window.firstAnnotate(text), texts.seed);
    if (r.entities < 50) throw new Error(`bench: the seed article gave ${r.entities} entities`);
    ready.push(r.ready);
    first.push(r.first);
    if (i === RUNS - 1) perArticle = await page.evaluate(([a, passes]) => window.perArticle(a, passes), [articles, 5]);
    await context.close();
  }
  const gz = statSync(TARBALL).size;
  log(`tarball ${path.relative(REPO, TARBALL)}: ${gz.toLocaleString('en')} bytes gzipped (target ≤ 1.1 MB: ${verdict(gz <= 1.1e6)})`);
  const [r, f, a] = [stats(ready), stats(first), stats(perArticle)];
  log(`createAnnotator() → ready: median ${r.median.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms (${RUNS} cold loads)`);
  log(`createAnnotator() → first annotate resolved (seed article, 4.5 KB): median ${f.median.toFixed(0)} ms, p95 ${f.p95.toFixed(0)} ms (target ≤ 400 ms: ${verdict(f.median <= 400)})`);
  log(`later 5 KB articles: median ${a.median.toFixed(2)} ms, p95 ${a.p95.toFixed(2)} ms over ${a.n} requests (${articles.length} articles × 5) (target ≤ 2 ms: ${verdict(a.median <= 2)})`);
  const [ns, nw] = [stats(nodeRuns.map((r) => r.sync)), stats(nodeRuns.map((r) => r.worker))];
  log(`Node ${process.version}: first annotateSync() (seed article; loads the wasm): median ${ns.median.toFixed(0)} ms; createAnnotator() → first annotate: median ${nw.median.toFixed(0)} ms (${nodeRuns.length} fresh processes)`);
  log(`machine: ${os.cpus().length} cores, load ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}; Chromium ${browser.version()}`);
} finally {
  await browser.close();
  server.close();
}
