// The page in headless Chromium, driven through the UI and through window.pressmark.
// Whole-session checks (console errors, requests leaving the origin) run last, over every test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withBrowserAndServer } from './helpers.mjs';
import { sampleResult } from './fixtures.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SEED = path.resolve(ROOT, '..', 'shared', 'examples', 'seed-article.txt');

let browser, context, page, origin;
const requests = [];
const consoleErrors = [];
const dialogs = [];

withBrowserAndServer(async (b, o) => {
  browser = b;
  origin = o;
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  context.on('request', (r) => requests.push(r.url()));
  page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
  page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`worker: ${m.text()}`); }));
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  await page.goto(origin + '/');
  await page.evaluate(() => window.pressmark.ready);
});

/** Puts text in the editor as a paste would (an input event) and waits until it is shown. */
async function paste(text) {
  await page.fill('#input', text);
  await page.waitForFunction((t) => window.pressmark.shown.text === t, text, { timeout: 20_000 });
}

/** Every rendered mark / quote against the text it claims to cover; returns counts. */
function checkViewOffsets() {
  return page.evaluate(() => {
    const { text, result } = window.pressmark.shown;
    const bad = [];
    const marks = [...document.querySelectorAll('#view mark[data-entity]')];
    for (const m of marks) {
      const e = result.entities[Number(m.dataset.entity)];
      const slice = text.slice(Number(m.dataset.start), Number(m.dataset.end));
      if (m.textContent !== slice || e.text !== slice || e.start !== Number(m.dataset.start)) bad.push([m.textContent, slice, e.text]);
    }
    for (const q of result.quotes) {
      if (text.slice(q.start, q.end) !== q.text) bad.push(['quote', q.text]);
      if (q.speaker && text.slice(q.speaker.start, q.speaker.end) !== q.speaker.text) bad.push(['speaker', q.speaker.text]);
    }
    // The view shows the text itself, unchanged: everything but the speaker tags is the article.
    const clone = document.getElementById('view').cloneNode(true);
    for (const t of clone.querySelectorAll('.speaker-tag')) t.remove();
    return { marks: marks.length, bad, same: clone.textContent === text };
  });
}

test('the page opens with the sample article annotated: marks, and quotes with speaker names', async () => {
  const sample = await readFile(path.join(ROOT, 'www', 'sample.txt'), 'utf8');
  assert.equal(await page.inputValue('#input'), sample);
  const view = await page.evaluate(() => ({
    text: window.pressmark.shown.text,
    marks: document.querySelectorAll('#view mark[data-label]').length,
    quotes: document.querySelectorAll('#view .quote').length,
    named: [...document.querySelectorAll('#view .speaker-tag:not(.unattributed)')].map((t) => t.textContent),
    status: document.getElementById('status').textContent,
  }));
  assert.equal(view.text, sample);
  assert.match(view.status, /^Annotated \d+ words/);
  assert.ok(view.marks >= 10, `expected the sample to show marks, got ${view.marks}`);
  assert.ok(view.quotes >= 4, `expected the sample to show quotes, got ${view.quotes}`);
  assert.ok(view.named.length >= 3, `expected speaker names beside quotes, got ${JSON.stringify(view.named)}`);
  assert.ok(view.named.some((n) => /Dassen/.test(n)), `expected Marieke Dassen among ${JSON.stringify(view.named)}`);
});

test('every rendered mark covers exactly text.slice(start, end), and the view keeps the text intact', async () => {
  const r = await checkViewOffsets(); // what the core returned for the sample
  assert.deepEqual(r.bad, []);
  assert.ok(r.same, 'the view’s text differs from the article');
  // A full result (the fixture), nested quotes and entities included.
  const sample = await readFile(path.join(ROOT, 'www', 'sample.txt'), 'utf8');
  const fixture = sampleResult(sample);
  await page.evaluate(([t, res]) => window.pressmark.showResult(t, res), [sample, fixture]);
  const f = await checkViewOffsets();
  assert.deepEqual(f.bad, []);
  assert.ok(f.same);
  assert.equal(f.marks, fixture.entities.length);
  // Broken spans (out of range, overlapping, across a quote's edge) are left out, never mangle the text.
  const broken = { ...fixture, entities: [...fixture.entities, { start: 5, end: 12, label: 'PER', text: sample.slice(5, 12), confidence: 1 },
    { start: sample.length - 3, end: sample.length + 10, label: 'ORG', text: 'x', confidence: 1 },
    { start: fixture.quotes[0].start - 5, end: fixture.quotes[0].start + 5, label: 'MISC', text: sample.slice(fixture.quotes[0].start - 5, fixture.quotes[0].start + 5), confidence: 1 }] };
  broken.entities.sort((a, b) => a.start - b.start);
  await page.evaluate(([t, res]) => window.pressmark.showResult(t, res), [sample, broken]);
  const b = await checkViewOffsets();
  assert.ok(b.same, 'broken spans changed the text shown');
  assert.equal(b.marks, fixture.entities.length);
});

test('UTF-16 offsets hold around emoji and other astral characters (window.pressmark.annotate)', async () => {
  const text = '🎉🎉 KESSLING, Netherlands — On March 4, 2026, 𝒜 port official, Marieke Dassen 👩‍💼, said the bank '
    + 'would lend €420 million, 38% of the cost. “We are ready 🚢 for this,” she said. 🇳🇱 The European '
    + 'Investment Bank confirmed it on Tuesday.\n\n“It is a good day,” said Tomas Verhoef 😀.';
  const result = await page.evaluate((t) => window.pressmark.annotate(t), text);
  const spans = [
    ...result.entities.map((e) => ['entity', e]),
    ...result.quotes.flatMap((q) => [['quote', q], ...(q.speaker ? [['speaker', q.speaker]] : []), ...(q.cue ? [['cue', q.cue]] : [])]),
    ...result.scare_quotes.map((s) => ['scare quote', s]),
  ];
  for (const [kind, s] of spans) {
    assert.equal(text.slice(s.start, s.end), s.text, `${kind} at ${s.start}..${s.end}`);
  }
  assert.ok(result.entities.some((e) => e.start > text.indexOf('👩')), 'expected entities after the emoji (so the offsets are really tested)');
  assert.ok(result.quotes.length >= 1, 'expected the quotes after the emoji to be found');
  // The same text through the page.
  await paste(text);
  const r = await checkViewOffsets();
  assert.deepEqual(r.bad, []);
  assert.ok(r.same);
});

test('the seed article pasted in shows its quotes with speaker names', async () => {
  assert.ok(existsSync(SEED), `the seed article is missing: ${SEED} (the shared/ folder must sit beside the repository)`);
  const seed = await readFile(SEED, 'utf8');
  await paste(seed);
  const found = await page.evaluate(() => {
    const { result } = window.pressmark.shown;
    const j = result.quotes.findIndex((q) => q.text.includes('It’s hanging in the balance,'));
    if (j < 0) return { quotes: result.quotes.length };
    const el = document.querySelector(`#view .quote[data-quote="${j}"]`);
    // The tag follows the last part of the quotation.
    const parts = el?.dataset.group ? [...document.querySelectorAll(`#view .quote[data-group="${el.dataset.group}"]`)] : [el];
    const tag = document.querySelector(`#view .speaker-tag[data-quote="${parts.at(-1)?.dataset.quote}"]`);
    const panel = [...document.querySelectorAll('#speakers .speaker')].find((s) =>
      [...s.querySelectorAll('.quote-text')].some((t) => t.textContent.includes('It’s hanging in the balance')));
    return {
      quotes: result.quotes.length,
      shown: !!el && el.textContent.includes('It’s hanging in the balance,'),
      speaker_name: result.quotes[j].speaker_name,
      tag: tag?.textContent ?? null,
      panel: panel?.querySelector('.speaker-name .name')?.textContent ?? null,
    };
  });
  assert.ok(found.shown !== undefined, `the quote “It’s hanging in the balance,” was not found among ${found.quotes} quotes`);
  assert.ok(found.shown, 'the quote is not shown in the view');
  assert.match(found.speaker_name ?? '', /Lacher/);
  assert.match(found.tag ?? '', /Lacher/, 'the speaker’s name is not shown beside the quote');
  assert.match(found.panel ?? '', /Lacher/, 'the side panel does not list the quote under Lacher');
  const r = await checkViewOffsets();
  assert.deepEqual(r.bad, []);
  assert.ok(r.same);
});

test('typing re-annotates after a pause; a .txt file can be opened', async () => {
  await page.fill('#input', '');
  await page.focus('#input');
  await page.keyboard.type('On Tuesday, Marieke Dassen said the port would spend €420 million.', { delay: 5 });
  await page.waitForFunction(() => window.pressmark.shown.text.endsWith('€420 million.'), null, { timeout: 10_000 });
  const file = 'Opened from a file on March 4, said Tomas Verhoef.\n';
  await page.setInputFiles('#file', { name: 'story.txt', mimeType: 'text/plain', buffer: Buffer.from(file) });
  await page.waitForFunction((t) => window.pressmark.shown.text === t, file);
  assert.equal(await page.inputValue('#input'), file);
  await page.setInputFiles('#file', { name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50]) });
  await page.waitForFunction(() => /cannot be opened: pressmark reads \.txt, \.md and \.html files/.test(document.getElementById('status').textContent));
  assert.equal(await page.inputValue('#input'), file, 'a refused file must not replace the text');
});

test('markup in the article is shown as text and runs nothing', async () => {
  const text = 'Tomas Verhoef wrote <img src=x onerror=alert(1)> on Tuesday.\n\n'
    + '“<script>alert(1)</script> is not a quote,” said Marieke Dassen. <b>bold</b> &amp; <iframe src="/"></iframe>\n\n'
    + '<svg onload=alert(2)><a href="javascript:alert(3)">x</a></svg>';
  await paste(text);
  await page.waitForTimeout(300); // give any handler a chance to fire
  const r = await page.evaluate(() => ({
    elements: document.querySelectorAll('img, script:not([src]), iframe, svg:not(.chart), b, a[href^="javascript"]').length,
    viewText: document.getElementById('view').textContent,
  }));
  assert.equal(r.elements, 0, 'markup from the article became elements');
  assert.ok(r.viewText.includes('<img src=x onerror=alert(1)>'));
  assert.ok(r.viewText.includes('<script>alert(1)</script>'));
  assert.deepEqual(dialogs, []);
  const offsets = await checkViewOffsets();
  assert.deepEqual(offsets.bad, []);
  assert.ok(offsets.same);
});

/** Hostile text: markup, event handlers, javascript: URLs, SVG, CSS, entity-like text, templates. */
const XSS_CORPUS = [
  '“<b>We will not pay</b>,” said Ingrid Solberg, the <script>window.__pwned = 1</script> minister.',
  '<img src=x onerror="window.__pwned = 2"> <svg/onload=window.__pwned=3> <a href="javascript:window.__pwned=4">link</a>',
  '<style>body { display: none }</style> <link rel=stylesheet href="/x.css"> <div style="background:url(javascript:alert(1))">',
  '<iframe srcdoc="<script>parent.__pwned = 5</script>"></iframe> "><img src=x onerror=alert(6)> <object data="x"></object>',
  '&lt;script&gt; &amp;amp; &#60;b&#62; &quot;quoted&quot; {{constructor.constructor(\'alert(7)\')()}} ${alert(8)}',
].join('\n\n');

async function checkInert(text) {
  await page.waitForFunction((t) => window.pressmark.shown.text === t, text, { timeout: 20_000 });
  await page.waitForTimeout(200); // give any handler a chance to fire
  const r = await page.evaluate(() => ({
    pwned: window.__pwned ?? null,
    // Only the view's own kinds of element: pieces, marks, quotes, speaker tags and mentions.
    elements: [...document.querySelectorAll('#view *')]
      .filter((el) => !el.matches('#view > div.section, .section > div.piece, .piece mark[data-entity], .piece span.quote, .piece span.speaker-tag, .piece span.speaker-ref')).length,
    sheets: document.styleSheets.length,
    bodyShown: getComputedStyle(document.body).display !== 'none',
  }));
  assert.equal(r.pwned, null, 'script from the article ran');
  assert.equal(r.elements, 0, 'markup from the article became elements');
  assert.equal(r.sheets, 1, 'a style sheet from the article was applied');
  assert.ok(r.bodyShown);
  assert.deepEqual(dialogs, []);
  const offsets = await checkViewOffsets();
  assert.deepEqual(offsets.bad, []);
  assert.ok(offsets.same, 'the view shows the article text unchanged');
}

test('an XSS corpus pasted in is shown as inert text', async () => {
  await paste(XSS_CORPUS);
  await checkInert(XSS_CORPUS);
});

test('an XSS corpus dropped as a .txt file is shown as inert text', async () => {
  await page.fill('#input', 'placeholder');
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'hostile.txt', { type: 'text/plain' }));
    document.querySelector('.editor').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, XSS_CORPUS);
  await checkInert(XSS_CORPUS);
  assert.equal(await page.inputValue('#input'), XSS_CORPUS);
});

test('details show on keyboard focus and on hover', async () => {
  const sample = await readFile(path.join(ROOT, 'www', 'sample.txt'), 'utf8');
  await page.evaluate(([t, r]) => window.pressmark.showResult(t, r), [sample, sampleResult(sample)]);
  await page.focus('#clear');
  // Tab from the last editor control reaches the first mark in the view (marks are focusable).
  let focused = null;
  for (let i = 0; i < 40 && !focused; i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => (document.activeElement?.matches('#view mark') ? document.activeElement.textContent : null));
  }
  assert.ok(focused, 'no mark in the view could be reached with Tab');
  const onFocus = await page.evaluate(() => ({
    hidden: document.getElementById('details').hidden,
    text: document.getElementById('details').textContent,
    describedBy: document.activeElement.getAttribute('aria-describedby'),
  }));
  assert.equal(onFocus.hidden, false);
  assert.equal(onFocus.describedBy, 'details');
  assert.ok(onFocus.text.includes(focused), `details “${onFocus.text}” do not name “${focused}”`);
  assert.match(onFocus.text, /Confidence/);
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => document.getElementById('details').hidden), true);
  await page.locator('#view .quote').nth(5).hover();
  const onHover = await page.evaluate(() => ({ hidden: document.getElementById('details').hidden, text: document.getElementById('details').textContent }));
  assert.equal(onHover.hidden, false);
  assert.match(onHover.text, /Speaker.*Anouk Brinkman/);
  assert.match(onHover.text, /Cue.*said/);
});

test('clicking a name marks every mention of that entity, and clicking it again clears them', async () => {
  const text = 'Ingrid Solberg chairs the Fjordline board. Critics say Solberg moved too fast.\n\n'
    + '“We had no choice,” Solberg said on Friday in Bergen.';
  await paste(text);
  const mentions = await page.evaluate(() => {
    const { result } = window.pressmark.shown;
    const first = result.entities.find((e) => e.text === 'Ingrid Solberg');
    return first ? result.entities.filter((e) => e.entity_id === first.entity_id).map((e) => e.text) : [];
  });
  assert.deepEqual(mentions, ['Ingrid Solberg', 'Solberg', 'Solberg'], 'the core links the surname to the full name');
  const first = page.locator('#view mark[data-entity]', { hasText: 'Ingrid Solberg' });
  await first.click();
  const linked = () => page.$$eval('#view mark.linked', (ms) => ms.map((m) => m.textContent));
  assert.deepEqual(await linked(), ['Ingrid Solberg', 'Solberg', 'Solberg']);
  await first.click();
  assert.deepEqual(await linked(), []);
  // A mark is a button: Space and Enter do the same from the keyboard.
  await first.focus();
  await page.keyboard.press('Space');
  assert.deepEqual(await linked(), ['Ingrid Solberg', 'Solberg', 'Solberg']);
  await page.keyboard.press('Enter');
  assert.deepEqual(await linked(), []);
});

test('a filter hides one type and keeps the others', async () => {
  const sample = await readFile(path.join(ROOT, 'www', 'sample.txt'), 'utf8');
  await page.evaluate(([t, r]) => window.pressmark.showResult(t, r), [sample, sampleResult(sample)]);
  const style = () => page.evaluate(() => {
    const look = (sel) => { const el = document.querySelector(sel); const cs = getComputedStyle(el); return { bg: cs.backgroundColor, line: cs.textDecorationLine, tab: el.tabIndex }; };
    return { per: look('#view mark[data-label="PER"]'), org: look('#view mark[data-label="ORG"]') };
  });
  const before = await style();
  assert.notEqual(before.per.bg, 'rgba(0, 0, 0, 0)');
  await page.click('#legend button[data-filter="PER"]');
  assert.equal(await page.getAttribute('#legend button[data-filter="PER"]', 'aria-pressed'), 'false');
  const hidden = await style();
  assert.equal(hidden.per.bg, 'rgba(0, 0, 0, 0)');
  assert.equal(hidden.per.line, 'none');
  assert.equal(hidden.per.tab, -1, 'a hidden mark is not the tab stop');
  assert.equal(await page.evaluate(() => document.querySelector('#view [data-current]')?.dataset.label === 'PER'), false, 'the tab stop moved off the hidden type');
  assert.deepEqual(hidden.org, before.org);
  await page.click('#legend button[data-filter="QUOTE"]');
  assert.equal(await page.locator('#view .speaker-tag').first().isVisible(), false);
  await page.click('#legend button[data-filter="PER"]');
  await page.click('#legend button[data-filter="QUOTE"]');
  assert.deepEqual(await style(), before);
});

test('the side panel lists quotes by speaker, unattributed ones last, and a click goes to the quote', async () => {
  const sample = await readFile(path.join(ROOT, 'www', 'sample.txt'), 'utf8');
  const result = sampleResult(sample);
  // One quote nobody is named for.
  const q = result.quotes.at(-1);
  result.quotes.push({ ...q, start: q.end + 2, end: q.end + 2, text: '' }); // empty: ignored by the view
  const later = sample.indexOf('I cannot promise a number today.');
  result.quotes.splice(-1, 1, { start: later, end: later + 32, text: 'I cannot promise a number today.', speaker: null, speaker_name: null, cue: null, direct: true, confidence: 0.4 });
  await page.evaluate(([t, r]) => window.pressmark.showResult(t, r), [sample, result]);
  const panel = await page.evaluate(() => [...document.querySelectorAll('#speakers .speaker')].map((s) => ({
    name: s.querySelector('.speaker-name .name').textContent,
    count: s.querySelector('.speaker-name .count').textContent,
    quotes: [...s.querySelectorAll('.quote-text')].map((t) => t.textContent),
  })));
  assert.deepEqual(panel.map((s) => s.name), ['Tomas Verhoef', 'Marieke Dassen', 'Anouk Brinkman', 'Pieter Olthof', 'Unattributed']);
  assert.equal(panel[0].count, '3 quotes');
  assert.ok(panel[0].quotes[1].includes('They promise retraining, … but nobody'), 'split quote parts are listed as one quotation');
  assert.deepEqual(panel.at(-1).quotes, ['“I cannot promise a number today.”']);
  await page.locator('#speakers .speaker').nth(2).locator('button.quote-link').click();
  const active = await page.evaluate(() => ({ cls: document.activeElement.className, text: document.activeElement.textContent }));
  assert.match(active.cls, /quote/);
  assert.match(active.text, /Automation rarely removes work outright/);
  // People, organisations and places with their mention counts.
  const people = await page.evaluate(() => [...document.querySelectorAll('#entity-lists [data-label="PER"] .entity-list li')].map((li) => li.textContent));
  assert.deepEqual(people.slice(0, 2), ['Marieke Dassen 4 mentions', 'Tomas Verhoef 3 mentions']);
});

test('the quotes CSV is RFC 4180-escaped and guarded against formulas; the JSON is the result', async () => {
  const text = 'Intro. “He said ""no"", then left,\nsaying, ok” =SUM(A1) “=HYPERLINK(""http://x"")” “@cmd”';
  const at = (s) => text.indexOf(s);
  const result = {
    entities: [],
    quotes: [
      { start: at('He said'), end: at('He said') + 'He said ""no"", then left,\nsaying, ok'.length, text: 'He said ""no"", then left,\nsaying, ok',
        speaker: null, speaker_name: '=SUM(A1)', cue: null, direct: true, confidence: 0.5 },
      { start: at('=HYPERLINK'), end: at('=HYPERLINK') + '=HYPERLINK(""http://x"")'.length, text: '=HYPERLINK(""http://x"")',
        speaker: null, speaker_name: null, cue: null, direct: false, confidence: 0.5 },
      { start: at('@cmd'), end: at('@cmd') + 4, text: '@cmd', speaker: null, speaker_name: '-Minus', cue: null, direct: true, partial: true, confidence: 0.5 },
    ],
    scare_quotes: [],
  };
  await page.evaluate(([t, r]) => window.pressmark.showResult(t, r), [text, result]);
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const csv = await readFile(await csvDownload.path(), 'utf8');
  const lines = csv.replace(/^\ufeff/, '').split('\r\n');
  assert.equal(lines[0], 'speaker,quote,kind,partial,start,end,cue,speaker_mention,confidence');
  assert.ok(csv.includes(`'=SUM(A1),"He said """"no"""", then left,\nsaying, ok",direct,no,${result.quotes[0].start},`), csv);
  assert.ok(csv.includes(`,"'=HYPERLINK(""""http://x"""")",indirect,no,`), csv);
  assert.ok(csv.includes(`'-Minus,'@cmd,direct,yes,`), csv);
  assert.ok(csv.endsWith('\r\n'));
  const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  const json = JSON.parse(await readFile(await jsonDownload.path(), 'utf8'));
  assert.deepEqual(json, { text, ...result });
});

test('text over the size limit gets a message instead of being sent', async () => {
  const message = await page.evaluate(() => window.pressmark.annotate('a'.repeat(21 << 20)).then(() => 'sent', (e) => e.message));
  assert.match(message, /21\.0 MB; the limit is 20 MB/);
  await page.evaluate(() => { document.getElementById('input').value = 'é'.repeat(11 << 20); });
  await page.click('#annotate');
  await page.waitForFunction(() => /limit is 20 MB/.test(document.getElementById('status').textContent));
  assert.equal(await page.evaluate(() => document.getElementById('input').value.length), 11 << 20, 'the text must stay');
  await page.fill('#input', 'Back to a short text, said Marieke Dassen.');
  await page.click('#annotate');
  await page.waitForFunction(() => /^Annotated/.test(document.getElementById('status').textContent));
});

test('no console errors, no dialogs, and no request left the page’s origin during the session', async () => {
  assert.deepEqual(consoleErrors, []);
  assert.deepEqual(dialogs, []);
  const foreign = requests.filter((u) => !(u.startsWith(origin + '/') || u.startsWith(`blob:${origin}/`) || u.startsWith('data:')));
  assert.deepEqual(foreign, []);
  // The recording works: the worker's own fetches are in it.
  assert.ok(requests.some((u) => u.endsWith('/pkg/pressmark_bg.wasm')), `the wasm fetch was not recorded: ${requests.join(' ')}`);
  assert.ok(requests.some((u) => u.endsWith('/sample.txt')));
});
