// pressmark in headless Chromium, on the real path: the page (www/) served by scripts/server.mjs,
// its module worker, the wasm, serialisation to JSON text, both postMessage hops and JSON.parse.
// Called by bench/run.mjs (exports runBrowser); texts come from target/bench-corpus/ (bench/corpus.mjs).
//
// Measures:
//  • startup: navigation start → first frame with the sample's <mark>s in the view (fresh context,
//    so a cold cache, each run), and when each step of the start-up happened (phases()); the wasm's Content-Type and whether the glue fell back from
//    streaming instantiation; every file the page and its worker load (for the transfer size)
//  • throughput: `await window.pressmark.annotate(text)` timed in the page (post text → worker →
//    annotate → JSON text in pieces → one string back → JSON.parse)
//  • paste → paint: set the textarea, click Annotate, wait for the view's marks, then a
//    requestAnimationFrame (and, for reference, the task after that frame's paint)
//  • render of a big paste (1 MB and 5 MB, a fresh page each): paste, Annotate, and the page's own
//    marks (www/main.js) give the worker's answer, the first marks and the last; a PerformanceObserver
//    records every long task (> 50 ms) from the click to the last mark, and the Event Timing API the
//    reader's key presses (typed into the panel's filter while the marks are drawn); Chromium's DOM
//    counters, JS heap and the renderer processes' resident memory (Linux /proc) before and after
//  • memory: a bench-only worker (bench/memory-worker.js) instantiates the same module and reports
//    WebAssembly.Memory byteLength before and after one annotate() of 1 MB and of 10 MB
import http from 'node:http';
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync, brotliCompressSync, constants as zc } from 'node:zlib';
import { launch } from '../tests/browser/helpers.mjs';
import { startServer, resolvePath } from '../scripts/server.mjs';
import { CORPUS_DIR, REPO, TEXTS, cutBytes } from './corpus.mjs';

const STARTUP_RUNS = 7;
const PAINT_ARTICLES = 40; // × 2 passes

export const gzipBytes = (buf) => gzipSync(buf, { level: 9 }).length;
export const brotliBytes = (buf) => brotliCompressSync(buf, {
  params: { [zc.BROTLI_PARAM_QUALITY]: 11, [zc.BROTLI_PARAM_SIZE_HINT]: buf.length },
}).length;

/** A front for the app's own server: /__bench/* from the corpus and bench/, the rest proxied unchanged. */
function benchFront(appPort) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname.startsWith('/__bench/')) {
      const name = path.basename(url.pathname);
      const file = name === 'memory-worker.js' ? path.join(REPO, 'bench', name) : path.join(CORPUS_DIR, name);
      if (!existsSync(file)) { res.writeHead(404).end(); return; }
      const type = name.endsWith('.js') ? 'text/javascript' : name.endsWith('.json') ? 'application/json' : 'text/plain; charset=utf-8';
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(readFileSync(file));
      return;
    }
    const up = http.request({ host: '127.0.0.1', port: appPort, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Cold loads of the page (a fresh context each): when the sample's marks were first painted, and
 *  the start-up's steps (phases()). Also run alone, A/B, by bench/startup.mjs. */
export async function startup(browser, origin, log, nRuns = STARTUP_RUNS, { warm = false } = {}) {
  const runs = [];
  let files = null;
  let wasm = null;
  for (let i = 0; i < nRuns; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const urls = new Set();
    const warnings = [];
    context.on('request', (r) => urls.add(r.url()));
    context.on('response', (r) => {
      if (new URL(r.url()).pathname.endsWith('.wasm')) {
        wasm = { url: new URL(r.url()).pathname, contentType: r.headers()['content-type'], status: r.status() };
      }
    });
    // Every frame from the first: note the first one that has the sample's marks in the view.
    await context.addInitScript(() => {
      const tick = () => {
        if (document.querySelector('#view mark')) window.__firstMarks = performance.now();
        else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const page = await context.newPage();
    const onConsole = (m) => { if (/instantiateStreaming|MIME/i.test(m.text())) warnings.push(m.text()); };
    let worker = null; // the page's first worker: the annotator's (www/boot.js)
    page.on('console', onConsole);
    page.on('worker', (w) => { worker ??= w; w.on('console', onConsole); });
    if (warm) {
      // a visit before the measured one, in the same context (its HTTP cache, and the wasm code
      // Chromium keeps beside it once V8 has optimised enough of the module, after ~2 s)
      await page.goto(origin + '/');
      await page.waitForFunction(() => window.__firstMarks !== undefined, null, { timeout: 30_000 });
      await page.waitForTimeout(3000);
      worker = null;
    }
    await page.goto(origin + '/');
    await page.waitForFunction(() => window.__firstMarks !== undefined, null, { timeout: 30_000 });
    const t = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      return { firstMarks: window.__firstMarks, domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd };
    });
    runs.push({ ...t, phases: await phases(page, worker), streamingFallbackWarnings: warnings });
    if (!files) files = [...urls];
    await context.close();
    log(`startup run ${i + 1}: first marks painted at ${t.firstMarks.toFixed(0)} ms`);
  }
  // What the page loads, compressed as a server would send it.
  const transfer = [];
  for (const u of files) {
    const url = new URL(u);
    if (url.origin !== origin) continue;
    const file = resolvePath(url.pathname);
    if (!file || !existsSync(file)) continue;
    const buf = readFileSync(file);
    transfer.push({ path: url.pathname, raw: buf.length, gzip: gzipBytes(buf), brotli: brotliBytes(buf) });
  }
  return { runs, wasm, transfer };
}

/** Where a cold load's time went: ms after navigation start of each step, from the page's and its
 *  worker's performance timelines (the pm:* marks of www/boot.js, main.js and worker.js; the worker's
 *  times moved to the page's time origin). A step the page did not reach is missing. */
async function phases(page, worker) {
  const timeline = () => {
    const r = { origin: performance.timeOrigin };
    for (const e of performance.getEntriesByType('mark')) if (e.name.startsWith('pm:')) r[e.name.slice(3)] ??= e.startTime;
    r.resources = {}; // path → [request start, response end], for bench/startup.mjs --files
    for (const e of performance.getEntriesByType('resource')) {
      if (e.name.endsWith('.wasm')) r.wasmDownloaded = e.responseEnd;
      r.resources[new URL(e.name).pathname] = [e.startTime, e.responseEnd];
    }
    const nav = performance.getEntriesByType('navigation')[0];
    if (nav) Object.assign(r, { html: nav.responseEnd, domContentLoaded: nav.domContentLoadedEventEnd });
    return r;
  };
  const p = await page.evaluate(timeline);
  const w = worker ? await worker.evaluate(timeline).catch(() => null) : null;
  const out = {};
  for (const [k, v] of Object.entries(p)) if (k !== 'origin') out[k] = v;
  if (w) {
    const shift = w.origin - p.origin;
    out.workerCreated = shift; // the worker's time origin
    for (const [k, v] of Object.entries(w)) if (typeof v === 'number' && k !== 'origin') out[k] ??= v + shift;
    for (const [k, [a, b]] of Object.entries(w.resources)) out.resources[`worker ${k}`] = [a + shift, b + shift];
  }
  return out;
}

/** One cold load's navigation → marks painted, minus its first call into the wasm (the names
 *  model's load, from instantiated to warm): the start-up if that load took no time, which
 *  bounds what any change to the model's loading can give (issue 15). null if a step is missing. */
export function paintedWithoutModelLoad(run) {
  const p = run.phases ?? {};
  if (typeof p.warm !== 'number' || typeof p.instantiated !== 'number') return null;
  return run.firstMarks - (p.warm - p.instantiated);
}

async function throughput(page, log) {
  const out = {};
  for (const name of TEXTS) {
    const r = await page.evaluate(async (name) => {
      const text = await (await fetch(`/__bench/${name}.txt`)).text();
      const big = text.length > 2_000_000;
      if (!big) await window.pressmark.annotate(text); // warm-up (the earlier texts warmed up the 10 MB one)
      const ms = [];
      const start = performance.now();
      let result;
      while (ms.length < (big ? 3 : 5) || (!big && performance.now() - start < 1000 && ms.length < 200)) {
        const t0 = performance.now();
        result = await window.pressmark.annotate(text);
        ms.push(performance.now() - t0);
      }
      return { ms, entities: result.entities.length, quotes: result.quotes.length };
    }, name);
    out[name] = r;
    log(`wasm ${name}: median ${[...r.ms].sort((a, b) => a - b)[Math.floor((r.ms.length - 1) / 2)].toFixed(2)} ms over ${r.ms.length} runs`);
  }
  out.articles = await page.evaluate(async () => {
    const articles = await (await fetch('/__bench/articles.json')).json();
    for (const a of articles) await window.pressmark.annotate(a);
    const ms = [];
    for (let pass = 0; pass < 5; pass++) {
      for (const a of articles) {
        const t0 = performance.now();
        await window.pressmark.annotate(a);
        ms.push(performance.now() - t0);
      }
    }
    return { count: articles.length, ms };
  });
  return out;
}

async function pasteToPaint(page) {
  return page.evaluate(async (count) => {
    const articles = (await (await fetch('/__bench/articles.json')).json()).slice(0, count);
    const view = document.getElementById('view');
    const input = document.getElementById('input');
    const button = document.getElementById('annotate');
    const once = (text) => new Promise((resolve) => {
      const t0 = performance.now();
      let marks;
      const mo = new MutationObserver(() => {
        if (!view.querySelector('mark')) return;
        mo.disconnect();
        marks = performance.now() - t0;
        requestAnimationFrame(() => {
          const frame = performance.now() - t0;
          const ch = new MessageChannel(); // the first task after this frame's paint
          ch.port1.onmessage = () => resolve({ marks, frame, afterPaint: performance.now() - t0 });
          ch.port2.postMessage(0);
        });
      });
      mo.observe(view, { childList: true, subtree: true });
      input.value = text; // the paste (no input event: the live-typing delay is not part of it)
      button.click();
    });
    await once(articles[0]);
    const runs = [];
    for (let pass = 0; pass < 2; pass++) for (const a of articles) runs.push(await once(a));
    return runs;
  }, PAINT_ARTICLES);
}

/** Resident memory (bytes) of every Chromium renderer process, from /proc (Linux only; else null). */
async function rendererRss(browser) {
  try {
    const cdp = await browser.newBrowserCDPSession();
    const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
    await cdp.detach();
    let total = 0;
    for (const p of processInfo.filter((x) => x.type === 'renderer')) {
      const m = readFileSync(`/proc/${p.id}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
      if (m) total += Number(m[1]) * 1024;
    }
    return total;
  } catch {
    return null;
  }
}

/** One big paste in a fresh page: the render figures (see the header). */
async function renderRun(browser, origin, name) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(origin + '/');
  await page.evaluate(() => window.pressmark.ready);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const counters = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
    return { nodes: m.Nodes, layoutObjects: m.LayoutObjects, jsHeap: m.JSHeapUsedSize, rss: await rendererRss(browser) };
  };
  const before = await counters();
  await page.evaluate(async (name) => {
    const text = await (await fetch(`/__bench/${name}.txt`)).text();
    window.__render = { tasks: [], events: [], text };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__render.tasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask' });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__render.events.push({ name: e.name, start: e.startTime, duration: e.duration });
    }).observe({ type: 'event', durationThreshold: 16 });
  }, name);
  // A real paste (Ctrl+V from the clipboard) over the sample, then Annotate.
  await page.evaluate(() => navigator.clipboard.writeText(window.__render.text));
  await page.focus('#input');
  await page.keyboard.press('Control+a');
  await page.evaluate(() => { window.__render.pasted = performance.now(); });
  await page.keyboard.press('Control+v');
  await page.waitForFunction(() => window.pressmark.text.length === window.__render.text.length);
  await page.waitForTimeout(500); // the paste's own frames
  await page.evaluate(() => {
    const r = window.__render;
    r.t0 = performance.now();
    // The first frame after the first marks went in: when they were painted.
    const tick = () => {
      const first = performance.getEntriesByName('pm:first-marks').find((m) => m.startTime >= r.t0);
      if (first) r.painted = performance.now(); else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    document.getElementById('annotate').click();
  });
  // The reader types and scrolls while the marks are drawn.
  await page.waitForFunction(() => window.__render.painted !== undefined, null, { timeout: 120_000 });
  await page.click('#panel-filter');
  await page.keyboard.type('dassen', { delay: 80 });
  await page.mouse.move(400, 600);
  for (let i = 0; i < 5; i++) { await page.mouse.wheel(0, 1500); await page.waitForTimeout(80); }
  const drawnBeforeTyped = await page.evaluate(() => !performance.getEntriesByName('pm:drawn').some((m) => m.startTime >= window.__render.t0));
  await page.waitForFunction(() => performance.getEntriesByName('pm:drawn').some((m) => m.startTime >= window.__render.t0), null, { timeout: 600_000, polling: 250 });
  await page.waitForTimeout(300); // the last frame's tasks reach the observers
  const r = await page.evaluate(() => {
    const { t0, tasks, events, painted } = window.__render;
    const at = (name) => performance.getEntriesByName(name).find((m) => m.startTime >= t0)?.startTime;
    const answer = at('pm:answer'), drawn = at('pm:drawn');
    const inside = (x) => x.start >= t0 && x.start <= drawn;
    const keys = events.filter((e) => inside(e) && ['keydown', 'keypress', 'keyup', 'input', 'beforeinput'].includes(e.name));
    return {
      answer: answer - t0, firstMarksPainted: painted - answer, drawn: drawn - answer, total: drawn - t0,
      longestTask: Math.max(0, ...tasks.filter(inside).map((x) => x.duration)),
      longestTaskWhileDrawing: Math.max(0, ...tasks.filter((x) => x.start >= answer && x.start <= drawn).map((x) => x.duration)),
      longestTaskBeforeAnswer: Math.max(0, ...tasks.filter((x) => x.start >= t0 && x.start < answer).map((x) => x.duration)),
      longTasks: tasks.filter(inside).length,
      longestTaskPasting: Math.max(0, ...tasks.filter((x) => x.start >= window.__render.pasted && x.start < t0).map((x) => x.duration)),
      tasks: tasks.filter(inside).map((x) => [Math.round(x.start - t0), Math.round(x.duration)]),
      slowestKey: Math.max(0, ...keys.map((e) => e.duration)),
      pieces: document.querySelectorAll('#view .piece').length,
      marks: document.querySelectorAll('#view mark').length,
      status: document.getElementById('status').textContent,
    };
  });
  const after = await counters();
  await context.close();
  if (errors.length) throw new Error(`page errors during the render bench: ${errors.join('; ')}`);
  return { ...r, typedWhileDrawing: drawnBeforeTyped, before, after };
}

/** The render bench on 1 MB and 5 MB (5 MB: the 10 MB text cut at the last space before 5·10^6 bytes). */
export async function renderBench(browser, origin, log) {
  const ten = readFileSync(path.join(CORPUS_DIR, '10mb.txt'), 'utf8');
  writeFileSync(path.join(CORPUS_DIR, '5mb.txt'), cutBytes(ten, 5_000_000));
  const out = {};
  for (const name of ['1mb', '5mb']) {
    out[name] = await renderRun(browser, origin, name);
    log(`render ${name}: answer ${out[name].answer.toFixed(0)} ms, first marks painted +${out[name].firstMarksPainted.toFixed(0)} ms, `
      + `drawn +${out[name].drawn.toFixed(0)} ms, longest task ${out[name].longestTask.toFixed(0)} ms`);
  }
  return out;
}

async function memory(page) {
  const out = {};
  for (const name of ['1mb', '10mb']) {
    out[name] = await page.evaluate((name) => new Promise((resolve) => {
      const w = new Worker('/__bench/memory-worker.js', { type: 'module' }); // fresh instance per size
      w.onmessage = ({ data }) => { w.terminate(); resolve(data); };
      w.onerror = (e) => { w.terminate(); resolve({ ok: false, error: e.message ?? 'worker error' }); };
      w.postMessage({ name });
    }), name);
    if (!out[name].ok) throw new Error(`bench memory worker (${name}): ${out[name].error}`);
  }
  return out;
}

/** The render bench alone (`node bench/run.mjs --render`): servers and Chromium of its own. */
export async function runRender(log = () => {}) {
  const app = await startServer(0);
  const front = await benchFront(app.address().port);
  const browser = await launch();
  try {
    return { chromium: browser.version(), render: await renderBench(browser, `http://127.0.0.1:${front.address().port}`, log) };
  } finally {
    await browser.close();
    front.close();
    app.close();
  }
}

export async function runBrowser(log = () => {}) {
  const app = await startServer(0);
  const appOrigin = `http://127.0.0.1:${app.address().port}`;
  const front = await benchFront(app.address().port);
  const origin = `http://127.0.0.1:${front.address().port}`;
  const browser = await launch();
  try {
    const version = browser.version();
    // Startup against the app's server itself (no proxy hop).
    const head = await fetch(`${appOrigin}/pkg/pressmark_bg.wasm`, { method: 'HEAD' });
    const served = { wasmContentType: head.headers.get('content-type') };
    const start = await startup(browser, appOrigin, log);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(origin + '/');
    await page.evaluate(() => window.pressmark.ready);
    const speed = await throughput(page, log);
    log('paste → paint…');
    const paint = await pasteToPaint(page);
    log('memory…');
    const mem = await memory(page);
    await context.close();
    log('render of a 1 MB and a 5 MB paste…');
    const render = await renderBench(browser, origin, log);
    if (errors.length) throw new Error(`page errors during the bench: ${errors.join('; ')}`);
    return { chromium: version, served, startup: start, throughput: speed, paint, memory: mem, render };
  } finally {
    await browser.close();
    front.close();
    app.close();
  }
}
