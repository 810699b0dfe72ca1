// The worker's failure paths: a wasm that cannot load, and a wasm that traps (a Rust panic).
// Each runs in its own context, with the worker or the wasm replaced through request routing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowserAndServer } from './helpers.mjs';

let browser, origin;
withBrowserAndServer((b, o) => { browser = b; origin = o; });

const status = (page) => page.evaluate(() => document.getElementById('status').textContent);

test('a wasm that cannot load becomes a message on the page, and the text stays', async () => {
  const context = await browser.newContext();
  await context.route('**/pkg/pressmark_bg.wasm', (route) => route.fulfill({ status: 200, contentType: 'application/wasm', body: 'not wasm' }));
  const page = await context.newPage();
  await page.goto(origin + '/');
  await page.waitForFunction(() => /could not start/.test(document.getElementById('status').textContent), null, { timeout: 20_000 });
  assert.match(await status(page), /Reload the page/);
  assert.equal(await page.evaluate(() => document.getElementById('status').getAttribute('role')), 'status');
  assert.match(await page.inputValue('#input'), /^Port of Kessling/);
  await assert.rejects(page.evaluate(() => window.pressmark.ready));
  await context.close();
});

// A stand-in worker that speaks the real protocol and traps like a panicking wasm on "PANIC".
// It has no wasm: the compiled module the package posts to each worker (bindings/js/lib/browser.js) is dropped
// before the handlers below see it.
const FAKE_WORKER = `
let n = 0;
self.postMessage({ type: 'ready', maxTextBytes: 20 << 20 });
self.addEventListener('message', (ev) => { if (ev.data?.type !== 'annotate') ev.stopImmediatePropagation(); });
self.onmessage = ({ data }) => {
  if (data.text.includes('PANIC')) {
    self.postMessage({ type: 'error', id: data.id, message: 'RuntimeError: unreachable', fatal: true });
    return;
  }
  const at = data.text.indexOf('Dassen');
  const entities = at < 0 ? [] : [{ start: at, end: at + 6, label: 'PER', text: 'Dassen', confidence: 0.9 }];
  self.postMessage({ type: 'result', id: data.id, json: JSON.stringify({ entities, quotes: [], scare_quotes: [] }), ms: 0 });
};`;

test('a panic in the worker is reported, the worker restarts, the text stays', async () => {
  const context = await browser.newContext();
  let workers = 0;
  await context.route('**/worker.js', (route) => { workers++; route.fulfill({ status: 200, contentType: 'text/javascript', body: FAKE_WORKER }); });
  const page = await context.newPage();
  await page.goto(origin + '/');
  await page.evaluate(() => window.pressmark.ready);
  assert.equal(workers, 1);
  await page.fill('#input', 'This text makes the core PANIC, said Dassen.');
  await page.click('#annotate');
  await page.waitForFunction(() => /stopped on this text/.test(document.getElementById('status').textContent));
  assert.match(await status(page), /restarted; your text is unchanged/);
  assert.equal(await page.inputValue('#input'), 'This text makes the core PANIC, said Dassen.');
  // The new worker answers.
  await page.fill('#input', 'A calmer text, said Dassen.');
  await page.click('#annotate');
  await page.waitForFunction(() => /^Annotated/.test(document.getElementById('status').textContent));
  assert.equal(workers, 2);
  assert.equal(await page.locator('#view mark[data-label="PER"]').textContent(), 'Dassen');
  await context.close();
});

test('replies to an older text are dropped: the view shows the latest text', async () => {
  const context = await browser.newContext();
  // A worker that answers the first request last.
  const slowFirst = FAKE_WORKER.replace("self.onmessage = ({ data }) => {", `self.onmessage = ({ data }) => { n++;
  if (n === 2) { const d = data; setTimeout(() => self.onmessage2(d), 400); return; }
  self.onmessage2(data); };
self.onmessage2 = (data) => {`);
  await context.route('**/worker.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: slowFirst }));
  const page = await context.newPage();
  await page.goto(origin + '/');
  await page.evaluate(() => window.pressmark.ready);
  await page.fill('#input', 'Old text, said Dassen.');
  await page.click('#annotate'); // request 2: answered late
  await page.fill('#input', 'New text.');
  await page.click('#annotate');
  await page.waitForTimeout(700);
  assert.equal(await page.evaluate(() => window.pressmark.shown.text), 'New text.');
  assert.equal(await page.locator('#view').textContent(), 'New text.');
  await context.close();
});
