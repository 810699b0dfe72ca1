// The page's start-up (www/boot.js, through the npm package's browser entry in www/pkg/): the worker
// and the wasm's compilation start from <head>, the wasm is downloaded once (the preload, used by
// the package's compileStreaming), the worker gets the compiled module; a worker whose page could
// not compile it fetches the wasm itself; an aborted request ends the worker and a new one answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { withBrowserAndServer } from './helpers.mjs';
import { ROOT } from '../../scripts/server.mjs';
import { bigArticle } from './pagekit.mjs';

let browser, origin;
withBrowserAndServer((b, o) => { browser = b; origin = o; });

/** A fresh context with the page loaded and its annotator ready. */
async function readyPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(origin + '/');
  await page.evaluate(() => window.pressmark.ready);
  return { context, page };
}

test('one wasm download, compiled by the page and handed to the worker before main.js runs', async () => {
  const context = await browser.newContext();
  const requests = [];
  context.on('request', (r) => requests.push(new URL(r.url()).pathname));
  const page = await context.newPage();
  const workers = [];
  page.on('worker', (w) => workers.push(w));
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text()); });
  await page.goto(origin + '/');
  await page.evaluate(() => window.pressmark.ready);
  assert.equal(requests.filter((p) => p.endsWith('.wasm')).length, 1, requests.join(' '));
  // the worker is one file (scripts/build.sh bundles it): its imports are not fetched
  assert.ok(requests.includes('/pkg/worker.js'));
  for (const file of ['/pkg/core.js', '/pkg/pressmark.js']) assert.ok(!requests.includes(file), `${file} in ${requests.join(' ')}`);
  const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])));
  for (const name of ['pm:boot', 'pm:compiled', 'pm:main', 'pm:started', 'pm:sample', 'pm:shown']) assert.ok(name in marks, `${name} in ${Object.keys(marks)}`);
  assert.ok(marks['pm:boot'] <= marks['pm:main'], 'boot.js runs before main.js');
  assert.equal(workers.length, 1);
  const w = await workers[0].evaluate(() => ({
    name: self.name,
    marks: performance.getEntriesByType('mark').map((m) => m.name),
    wasmFetches: performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm')).length,
  }));
  assert.equal(w.name, 'pressmark');
  assert.deepEqual(w.marks, ['pm:worker', 'pm:instantiated', 'pm:warm', 'pm:annotated']);
  assert.equal(w.wasmFetches, 0, 'the worker used the page\'s module');
  assert.match(await page.locator('#status').textContent(), /^Annotated/);
  await page.waitForTimeout(3500); // a preload left unused is reported after ~3 s
  assert.deepEqual(warnings, []);
  await context.close();
});

test('a worker told that the page could not compile the wasm fetches it itself and annotates', async () => {
  const { context, page } = await readyPage();
  const r = await page.evaluate(() => new Promise((resolve, reject) => {
    const w = new Worker('/pkg/worker.js', { type: 'module' });
    w.onerror = (e) => reject(new Error(e.message));
    w.postMessage({ type: 'module', error: 'no module' });
    w.onmessage = ({ data }) => {
      if (data.type === 'ready') w.postMessage({ type: 'annotate', id: 1, text: '“We won,” said Ana Ruiz.', codePoints: false, layers: 7 });
      else { w.terminate(); resolve(data); }
    };
  }));
  assert.equal(r.type, 'result');
  assert.deepEqual(JSON.parse(r.json).quotes.map((q) => [q.text, q.speaker_name]), [['We won,', 'Ana Ruiz']]);
  await context.close();
});

test('an aborted request rejects with an AbortError, its worker is replaced, and the next request is answered', async () => {
  const { context, page } = await readyPage();
  const workers = [];
  page.on('worker', (w) => workers.push(w));
  const r = await page.evaluate(async () => {
    const { annotator } = window.pressmark;
    const failures = [];
    annotator.addEventListener('failure', (ev) => failures.push(ev.detail));
    const controller = new AbortController();
    const long = annotator.annotate('Ana Ruiz spoke in Paris on Monday. '.repeat(100_000), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const aborted = await long.then(() => 'resolved', (e) => e.name);
    const { result } = await annotator.annotate('Ana Ruiz spoke.');
    return { aborted, failures, people: result.entities.filter((e) => e.label === 'PER').map((e) => e.text) };
  });
  assert.equal(r.aborted, 'AbortError');
  assert.deepEqual(r.failures, [], 'an abort is no failure');
  assert.deepEqual(r.people, ['Ana Ruiz']);
  assert.equal(workers.length, 1, 'one new worker');
  await context.close();
});

test('the worker sends the text as UTF-8 bytes (annotateUtf8): same result as annotate(text)', async () => {
  const { context, page } = await readyPage();
  const r = await page.evaluate(async () => {
    const { default: init, annotate, annotateUtf8 } = await import('/pkg/pressmark.js');
    await init();
    const ALL = 7; // every layer (LAYER_* in src/wasm.rs)
    // astral chars (2 UTF-16 units), a lone surrogate (U+FFFD in both paths), curly quotes
    const text = '“We won 🎉,” said Ana Ruiz in Zürich on May 20, 2020. \ud800 “Again,” Ruiz said. 𝔸 Opec.';
    // both exports return the wire schema as JSON text; the package parses it (bindings/js/lib/client.js)
    const direct = JSON.stringify(JSON.parse(annotate(text)));
    const pieces = [];
    annotateUtf8(new TextEncoder().encode(text), pieces, false, ALL);
    const bytes = JSON.stringify(JSON.parse(pieces.join('')));
    const viaWorker = JSON.stringify(await window.pressmark.annotate(text));
    let invalid = null;
    try { annotateUtf8(new Uint8Array([0x41, 0xff]), [], false, ALL); } catch (e) { invalid = `${e.code}: ${e.message}`; }
    return { direct, bytes, viaWorker, invalid, quotes: JSON.parse(direct).quotes.length };
  });
  assert.equal(r.bytes, r.direct);
  assert.equal(r.viaWorker, r.direct);
  assert.ok(r.quotes >= 2);
  assert.match(r.invalid, /^ERR_NOT_UTF8: the text is not UTF-8/);
  await context.close();
});

test('a result of several pieces (over 1 MB of JSON, chars of 2-4 bytes everywhere) joins to the same JSON', async () => {
  const { context, page } = await readyPage();
  const r = await page.evaluate(async () => {
    const { default: init, annotate, annotateUtf8 } = await import('/pkg/pressmark.js');
    await init();
    const para = '“Ça va 🎉,” said Zoë Ünal in Zürich on May 20, 2020, as the 𝔸𝔹ℂ fund rose 3%. ';
    const text = para.repeat(Math.ceil(1_500_000 / para.length));
    const whole = annotate(text);
    const pieces = [];
    annotateUtf8(new TextEncoder().encode(text), pieces, false, 7);
    return { pieces: pieces.length, same: pieces.join('') === whole, size: whole.length, entities: JSON.parse(whole).entities.length };
  });
  assert.ok(r.pieces >= 2, `${r.pieces} pieces`);
  assert.ok(r.same);
  assert.ok(r.entities > 10_000);
  await context.close();
});

test('without WebAssembly.compileStreaming the package\'s worker fetches the wasm itself', async () => {
  const context = await browser.newContext();
  await context.addInitScript(() => { WebAssembly.compileStreaming = undefined; });
  const requests = [];
  context.on('request', (r) => requests.push(new URL(r.url()).pathname));
  const page = await context.newPage();
  const workers = [];
  page.on('worker', (w) => workers.push(w));
  await page.goto(origin + '/');
  await page.evaluate(() => window.pressmark.ready);
  assert.match(await page.locator('#status').textContent(), /^Annotated/);
  assert.equal(workers.length, 1);
  assert.equal(requests.filter((p) => p.endsWith('.wasm')).length, 2, 'the unused preload, and the worker\'s own fetch');
  await context.close();
});

test('a wasm the page cannot compile (wrong MIME type) is fetched by the worker itself: no restart', async () => {
  const context = await browser.newContext();
  await context.route('**/pkg/pressmark_bg.wasm', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
  });
  const page = await context.newPage();
  const workers = [];
  page.on('worker', (w) => workers.push(w));
  await page.goto(origin + '/');
  await page.evaluate(() => window.pressmark.ready);
  assert.match(await page.locator('#status').textContent(), /^Annotated/);
  assert.equal(workers.length, 1, 'the first worker started');
  await context.close();
});

// A 5 MB article's result is ~15 MB of JSON text: parsed in one go on the page's thread it was one
// task of 89–183 ms (433 ms with the CPU slowed 3×, as here, at load 9). The worker now sends it in
// pieces that the package reads one per task (≤ 138 ms tasks here at load 11, on a machine whose
// other work stretches every task). The bound is generous so it does not flake; `npm run
// bench:render` prints the real longest task, unslowed.
test('a 5 MB article\'s result reaches the page in pieces, without one long task, the same document as annotateSync', async () => {
  const { context, page } = await readyPage();
  const text = bigArticle(5_000_000);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 3 });
  const r = await page.evaluate(async (text) => {
    const { createAnnotator } = await import('/pkg/browser.js');
    const annotator = await createAnnotator();
    const tasks = [];
    const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) tasks.push(e); });
    observer.observe({ type: 'longtask' });
    const sent = performance.now();
    const doc = await annotator.annotate(text);
    const delivered = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 200)); // the observer reports after the task
    observer.disconnect();
    await annotator.close();
    window.bigDoc = doc;
    const during = tasks.filter((t) => t.startTime + t.duration > sent && t.startTime < delivered);
    return { longest: Math.max(0, ...during.map((t) => t.duration)), entities: doc.entities.length, quotes: doc.quotes.length };
  }, text);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  assert.ok(r.entities > 50_000 && r.quotes > 5_000, `a real result: ${r.entities} entities, ${r.quotes} quotes`);
  assert.ok(r.longest <= 200, `longest task while the result came: ${Math.round(r.longest)} ms`);
  const same = await page.evaluate(async (text) => {
    const { init, annotateSync } = await import('/pkg/browser.js');
    await init();
    return JSON.stringify(annotateSync(text)) === JSON.stringify(window.bigDoc);
  }, text);
  assert.ok(same, 'the document assembled from pieces is the one annotateSync returns');
  await context.close();
});

/** The relative modules a file imports statically (`import … from './x.js'`, `import './x.js'`). */
function staticImports(file) {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s+(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm)]
    .map((m) => path.resolve(path.dirname(file), m[1]));
}

test('index.html preloads boot.js\'s whole module graph, so boot.js runs one round trip after the HTML', () => {
  const html = readFileSync(path.join(ROOT, 'index.html'), 'utf8');
  const preloaded = new Set([...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => path.resolve(ROOT, m[1])));
  const graph = new Set();
  const visit = (file) => {
    for (const dep of staticImports(file)) {
      if (graph.has(dep)) continue;
      graph.add(dep);
      visit(dep);
    }
  };
  visit(path.join(ROOT, 'boot.js'));
  assert.ok(graph.size >= 3, [...graph].join(' '));
  for (const file of graph) assert.ok(preloaded.has(file), `${path.relative(ROOT, file)} is not in a <link rel="modulepreload">`);
  // the package's own worker (for unbundled users) names its whole graph at its top level
  const lib = path.join(ROOT, '..', 'bindings', 'js', 'lib');
  const direct = new Set(staticImports(path.join(lib, 'worker.js')));
  for (const dep of staticImports(path.join(lib, 'core.js'))) assert.ok(direct.has(dep), `worker.js does not import ${path.basename(dep)}`);
});
