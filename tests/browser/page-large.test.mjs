// A big article (issue 12): kept out of the text box, drawn in pieces while the page keeps
// answering, with a progress line and a Cancel that works while annotating and while drawing.
// Structural checks only (what is on the page at which step); the timings are the bench's
// (`npm run bench`: longest task, first marks, whole draw). The CPU is slowed down (Chromium's
// own throttling) and each of the page's pauses stretched to 40 ms, so that the drawing lasts
// long enough to be looked at mid-way (unslowed, 1.5 MB is drawn in a few hundred ms).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowserAndServer } from './helpers.mjs';
import { openPage, bigArticle, axeViolations } from './pagekit.mjs';

let browser, origin;
withBrowserAndServer((b, o) => { browser = b; origin = o; });

const big = bigArticle(1_500_000);
const slowPauses = () => { if (globalThis.scheduler?.yield) globalThis.scheduler.yield = () => new Promise((r) => setTimeout(r, 40)); };

/** Pastes text with Ctrl+V, as a reader would. */
async function paste(page, text) {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.focus('#input');
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Control+v');
  await page.waitForFunction((n) => window.pressmark.text.length === n, text.length);
}

const drawState = (page) => page.evaluate(() => ({
  pieces: document.querySelectorAll('#view .piece').length,
  undrawn: document.querySelectorAll('#view .piece:not([data-drawn])').length,
  progress: document.getElementById('progress').hidden ? null : document.getElementById('progress-label').textContent,
  status: document.getElementById('status').textContent,
}));

/** The view's text without the speaker tags (which are not part of the article). */
const viewText = (page) => page.evaluate(() => {
  const clone = document.getElementById('view').cloneNode(true);
  for (const t of clone.querySelectorAll('.speaker-tag')) t.remove();
  return clone.textContent;
});

test('a big paste is kept folded, drawn in pieces with progress, the page answers meanwhile, every mark in the end', async () => {
  const { context, page, log } = await openPage(browser, origin, { permissions: ['clipboard-read', 'clipboard-write'], init: slowPauses });
  await paste(page, big);
  assert.equal(await page.isVisible('#input'), false, 'the text box is folded away');
  assert.match(await page.textContent('#folded-text'), /A long text is in the box: 1,5\d\d,\d\d\d characters/);
  assert.equal(await page.inputValue('#input'), '', 'and the big text is not in it');
  assert.match(await page.textContent('#status'), /long text: press Annotate/);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.click('#annotate');
  // Every piece is in the view (step 2), and the marks are still being drawn (step 3).
  await page.waitForFunction(() => /^Drawing the marks: \d+ %$/.test(document.getElementById('progress-label').textContent)
    && !document.getElementById('progress').hidden
    && document.querySelectorAll('#view .piece').length === window.pressmark.view.pieceCount, null, { timeout: 60_000, polling: 50 });
  const mid = await drawState(page);
  assert.ok(mid.undrawn > 0 && mid.undrawn < mid.pieces, `mid-way some pieces are drawn and some not (${mid.undrawn} of ${mid.pieces} left)`);
  assert.match(mid.status, /^Drawing the marks…$/);
  assert.equal(await page.getAttribute('#view', 'aria-busy'), 'true');
  // The whole article is there already (unmarked pieces hold their plain text).
  assert.equal(await viewText(page), big);
  // The page answers while it draws: a filter typed into the panel is applied before the drawing ends.
  await page.fill('#panel-filter', 'Brinkman');
  await page.waitForFunction(() => /names? and \d+ quotes? match/.test(document.getElementById('filter-count').textContent), null, { polling: 50 });
  const during = await drawState(page);
  assert.ok(during.undrawn > 0, 'the filter was applied while pieces were still being drawn');
  await page.waitForFunction(() => /^Annotated/.test(document.getElementById('status').textContent), null, { timeout: 120_000, polling: 200 });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  const end = await drawState(page);
  assert.equal(end.undrawn, 0);
  assert.equal(end.progress, null, 'the progress line is gone');
  assert.equal(await page.getAttribute('#view', 'aria-busy'), null);
  assert.equal(await viewText(page), big);
  // The pieces hold exactly the marks one whole-text render would (none lost at the cuts).
  const marks = await page.evaluate(async () => {
    const { renderRange } = await import('/render.js');
    const p = window.pressmark.view.plan;
    const whole = renderRange(p, 0, p.text.length);
    return { pieces: document.querySelectorAll('#view mark').length, whole: whole.querySelectorAll('mark').length,
      quotes: new Set([...document.querySelectorAll('#view .quote')].map((q) => q.dataset.quote)).size, wholeQuotes: whole.querySelectorAll('.quote').length };
  });
  assert.ok(marks.whole > 10_000, `${marks.whole} marks`);
  assert.equal(marks.pieces, marks.whole);
  assert.equal(marks.quotes, marks.wholeQuotes);
  // A jump from the panel to a far mention draws its piece and goes there.
  await page.fill('#panel-filter', '');
  await page.locator('#entity-lists [data-label="PER"] button.link').first().click();
  assert.match(await page.evaluate(() => document.activeElement.getAttribute('aria-label') ?? ''), /^Person: /);
  assert.deepEqual(log, { errors: [], foreign: [] });
  await context.close();
});

test('Cancel while annotating: the worker is stopped and replaced, the text and the view stay, other requests go on', async () => {
  const { context, page, log } = await openPage(browser, origin, { permissions: ['clipboard-read', 'clipboard-write'] });
  const before = await page.evaluate(() => window.pressmark.shown.text);
  // The worker is kept busy with a first text, so the page's request waits behind it.
  // (three requests: a few seconds of work, so the axe-core run below fits in while it lasts)
  await page.evaluate((t) => {
    window.__held = Promise.all([1, 2, 3].map(() => window.pressmark.annotate(t).then(() => 'done', (e) => e.name)));
  }, bigArticle(4_000_000));
  await paste(page, big);
  await page.click('#annotate');
  await page.waitForFunction(() => !document.getElementById('progress').hidden
    && document.getElementById('progress-label').textContent === 'Annotating…', null, { timeout: 10_000, polling: 20 });
  assert.equal(await page.evaluate(() => document.getElementById('progress-bar').hasAttribute('value')), false, 'no figure while annotating');
  assert.deepEqual(await axeViolations(page), [], 'the progress line and Cancel pass axe-core');
  assert.equal(await page.isVisible('#cancel'), true, 'still annotating after the axe run');
  await page.click('#cancel');
  await page.waitForFunction(() => /^Cancelled\./.test(document.getElementById('status').textContent));
  const held = await page.evaluate(() => window.__held);
  // the package sends the other requests that were waiting in the stopped worker to the new one
  assert.deepEqual(held, ['done', 'done', 'done'], 'requests other than the cancelled one are not lost');
  assert.equal(await page.isVisible('#progress'), false);
  assert.equal(await page.evaluate(() => window.pressmark.shown.text), before, 'the view keeps what it showed');
  assert.equal(await page.evaluate(() => window.pressmark.text.length), big.length, 'the text is kept');
  // A new worker answers.
  const quotes = await page.evaluate(() => window.pressmark.annotate('“We won,” said Ana Ruiz.').then((r) => r.quotes.map((q) => q.speaker_name)));
  assert.deepEqual(quotes, ['Ana Ruiz']);
  assert.deepEqual(log, { errors: [], foreign: [] });
  await context.close();
});

test('Cancel while drawing: the drawing stops, the article stays whole, the marks drawn so far stay', async () => {
  const { context, page, log } = await openPage(browser, origin, { permissions: ['clipboard-read', 'clipboard-write'], init: slowPauses });
  await paste(page, big);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.click('#annotate');
  await page.waitForFunction(() => /^Drawing the marks/.test(document.getElementById('progress-label').textContent)
    && !document.getElementById('progress').hidden, null, { timeout: 60_000, polling: 50 });
  await page.click('#cancel');
  await page.waitForFunction(() => /^Stopped drawing the marks/.test(document.getElementById('status').textContent), null, { timeout: 30_000 });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  const stopped = await drawState(page);
  assert.ok(stopped.undrawn > 0, 'some pieces were left undrawn');
  assert.ok(stopped.undrawn < stopped.pieces, 'the first screen was drawn');
  assert.equal(stopped.progress, null);
  await page.waitForTimeout(500);
  assert.equal((await drawState(page)).undrawn, stopped.undrawn, 'nothing is drawn after Cancel');
  assert.equal(await viewText(page), big);
  // A mark in an undrawn piece is still reachable: a jump draws its piece.
  const far = await page.evaluate(() => {
    const view = window.pressmark.view;
    const last = view.plan.result.entities.length - 1; // in the last piece, far from the first screen
    return { drawn: view.drawnEntityElement(last) !== null, mark: view.entityElement(last)?.textContent ?? null, text: view.plan.result.entities[last].text };
  });
  assert.equal(far.drawn, false, 'the last entity’s piece was not drawn');
  assert.equal(far.mark, far.text, 'asking for it draws its piece');
  assert.deepEqual(log, { errors: [], foreign: [] });
  await context.close();
});
