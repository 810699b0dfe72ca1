// The page's other ways in and out (issue 12): the text kept across reloads, Clear with Undo,
// .html and .md files reduced to article text, the dark theme and its toggle, the phone sections,
// the standalone annotated HTML, the entities CSV, copying a quote with its speaker, the chart of
// who is quoted, and the panel's filter box.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { withBrowserAndServer } from './helpers.mjs';
import { openPage, showFixture, sample } from './pagekit.mjs';

let browser, origin;
withBrowserAndServer((b, o) => { browser = b; origin = o; });

const shownText = (page) => page.evaluate(() => window.pressmark.shown.text);
const waitShown = (page, text) => page.waitForFunction((t) => window.pressmark.shown.text === t, text, { timeout: 20_000 });
/** Waits until the kept text in IndexedDB is `text` (null: nothing kept). */
async function waitKept(page, text) {
  for (let tries = 0; tries < 50; tries++) {
    if (await page.evaluate(async () => (await import('/storage.js')).loadText()) === text) return;
    await page.waitForTimeout(100);
  }
  assert.fail(`the kept text never became ${JSON.stringify(text)}`);
}

test('the text is kept across a reload until cleared; Clear can be undone (button or Ctrl+Z)', async () => {
  const { context, page, log } = await openPage(browser, origin);
  const text = 'Kept text: on Tuesday, Marieke Dassen said the port would wait.';
  await page.fill('#input', text);
  await waitShown(page, text);
  await waitKept(page, text);
  await page.reload();
  await page.evaluate(() => window.pressmark.ready);
  assert.equal(await page.inputValue('#input'), text, 'a reload keeps the text');
  assert.equal(await shownText(page), text, 'and annotates it');
  // Clear, then Undo in the toast.
  await page.click('#clear');
  assert.equal(await page.inputValue('#input'), '');
  assert.equal(await page.isVisible('#toast'), true);
  assert.match(await page.textContent('#toast'), /Text cleared\.\s*Undo/);
  await waitKept(page, null);
  await page.click('#undo');
  assert.equal(await page.inputValue('#input'), text);
  await waitShown(page, text);
  await waitKept(page, text);
  assert.equal(await page.isVisible('#toast'), false);
  // Clear, then Ctrl+Z in the emptied box.
  await page.click('#clear');
  await page.focus('#input');
  await page.keyboard.press('Control+z');
  assert.equal(await page.inputValue('#input'), text);
  // Cleared for good: a reload starts from the sample.
  await page.click('#clear');
  await waitKept(page, null);
  await page.reload();
  await page.evaluate(() => window.pressmark.ready);
  assert.equal(await page.inputValue('#input'), sample);
  // A big text is kept as UTF-8 written in steps of 2^20 characters: an emoji across a step's end
  // and a lone surrogate (kept as U+FFFD, as the annotator sees it) come back as they went in.
  const roundTrip = await page.evaluate(async () => {
    const { saveText, loadText } = await import('/storage.js');
    const text = 'a'.repeat((1 << 20) - 1) + '😀 “kept” — é ' + 'b'.repeat(1 << 20) + '\ud800';
    await saveText(text);
    const back = await loadText();
    await saveText('');
    return { same: back === text.slice(0, -1) + '\ufffd', length: back.length };
  });
  assert.ok(roundTrip.same, `the big text came back changed (${roundTrip.length} characters)`);
  assert.deepEqual(log, { errors: [], foreign: [] });
  await context.close();
});

const HTML_FILE = `<!doctype html><html><head><title>Port deal | The Kessling Courier</title>
<style>p { color: red }</style><STYLE media="all">b{}</STYLE><script>window.__ran = 1</script><link rel="stylesheet" href="https://example.com/x.css"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav><header><p>Subscribe today!</p></header>
<article><h1>Port wins &euro;420&nbsp;million</h1>
<p style="color: blue">KESSLING &mdash; The bank agreed on <b>Tuesday</b> to lend the money,
   said <a href="/people/dassen">Marieke Dassen</a>.</p>
<p>&#8220;We are ready,&#8221; said Tomas Verhoef &amp; his union.<br>They will vote in June.</p>
<script>document.write('<p>injected</p>')</script><noscript>Enable JavaScript</noscript>
<ul><li>One</li><li>Two &lt;b&gt;</li></ul><img src="https://example.com/photo.jpg" alt="photo">
</article><aside>Related: other stories</aside><footer>© Courier</footer></body></html>`;

const HTML_TEXT = 'Port wins €420\u00a0million'.replace('\u00a0', ' ') + '\n\n'
  + 'KESSLING — The bank agreed on Tuesday to lend the money, said Marieke Dassen.\n\n'
  + '“We are ready,” said Tomas Verhoef & his union.\nThey will vote in June.\n\nOne\n\nTwo <b>\n';

test('an .html file gives its article text: markup, scripts, styles and page furniture gone, entities decoded', async () => {
  const { context, page, log } = await openPage(browser, origin);
  await page.setInputFiles('#file', { name: 'story.html', mimeType: 'text/html', buffer: Buffer.from(HTML_FILE) });
  await waitShown(page, HTML_TEXT);
  assert.equal(await page.inputValue('#input'), HTML_TEXT);
  const r = await page.evaluate(() => ({ ran: window.__ran ?? null, quotes: window.pressmark.shown.result.quotes.filter((q) => q.direct).map((q) => [q.text, q.speaker_name]) }));
  assert.equal(r.ran, null, 'the file’s script did not run');
  assert.deepEqual(r.quotes, [['We are ready,', 'Tomas Verhoef']], 'the quote inside &#8220;…&#8221; is found, with its speaker');
  // .htm and a file known only by its type are read the same way; Markdown loses its syntax.
  await page.setInputFiles('#file', { name: 'story.htm', mimeType: '', buffer: Buffer.from(HTML_FILE) });
  await page.waitForFunction((t) => document.getElementById('input').value === t && window.pressmark.shown.text === t, HTML_TEXT);
  const md = '# Port wins\n\n**KESSLING** — said [Marieke Dassen](https://example.com/md).\n\n> “We are ready,” said Tomas Verhoef.\n';
  await page.setInputFiles('#file', { name: 'story.md', mimeType: 'text/markdown', buffer: Buffer.from(md) });
  const mdText = 'Port wins\n\nKESSLING — said Marieke Dassen.\n\n“We are ready,” said Tomas Verhoef.\n';
  await waitShown(page, mdText);
  // Anything else is refused by name, whatever type it claims, and the text stays.
  for (const [name, mimeType] of [['report.pdf', 'application/pdf'], ['notes.docx', 'text/plain'], ['image.svg', 'image/svg+xml']]) {
    await page.setInputFiles('#file', { name, mimeType, buffer: Buffer.from('<svg onload="window.__ran=2"></svg>') });
    await page.waitForFunction((n) => document.getElementById('status').textContent.startsWith(`“${n}” cannot be opened`), name);
    assert.equal(await page.inputValue('#input'), mdText);
  }
  assert.equal(await page.evaluate(() => window.__ran ?? null), null);
  assert.deepEqual(log, { errors: [], foreign: [] }, 'the file’s links, style sheet and image were never requested');
  await context.close();
});

test('dark theme: follows the system, the toggle overrides it and is remembered', async () => {
  const { context, page } = await openPage(browser, origin, { colorScheme: 'dark' });
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const DARK = 'rgb(18, 21, 28)', LIGHT = 'rgb(246, 245, 241)';
  assert.equal(await bg(), DARK);
  assert.equal(await page.getAttribute('#theme', 'aria-pressed'), 'true');
  const markDark = await page.evaluate(() => getComputedStyle(document.querySelector('#view mark')).backgroundColor);
  await page.click('#theme');
  assert.equal(await bg(), LIGHT);
  assert.equal(await page.getAttribute('#theme', 'aria-pressed'), 'false');
  assert.notEqual(await page.evaluate(() => getComputedStyle(document.querySelector('#view mark')).backgroundColor), markDark, 'marks change with the theme');
  await page.reload();
  await page.evaluate(() => window.pressmark.ready);
  assert.equal(await bg(), LIGHT, 'the choice survives a reload');
  await page.click('#theme'); // back to the system's (dark): the page follows the system again
  await page.emulateMedia({ colorScheme: 'light' });
  assert.equal(await bg(), LIGHT);
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.equal(await bg(), DARK);
  await context.close();
});

test('phone: the panel is a section one tap away, at the top of the screen however long the article', async () => {
  const { context, page } = await openPage(browser, origin, { width: 390, height: 844 });
  await showFixture(page);
  assert.equal(await page.isVisible('#panel'), false);
  await page.mouse.wheel(0, 3000); // far down the article
  const tab = await page.locator('#tab-panel').boundingBox();
  assert.ok(tab.y >= 0 && tab.y < 80, `the tab stays at the top (y = ${tab.y})`);
  await page.click('#tab-panel');
  assert.equal(await page.isVisible('#panel'), true);
  assert.equal(await page.isVisible('#view'), false);
  assert.equal(await page.getAttribute('#tab-panel', 'aria-pressed'), 'true');
  // A quote picked in the panel brings the article back, at that quote.
  await page.locator('#speakers button.quote-link', { hasText: 'Automation rarely' }).click();
  assert.equal(await page.isVisible('#view'), true);
  assert.match(await page.evaluate(() => document.activeElement.textContent), /^“Automation rarely/);
  const legend = await page.locator('#legend button[data-filter="PER"]').boundingBox();
  assert.ok(legend.height >= 24 && legend.width >= 24, 'legend toggles are touch-sized');
  await context.close();
});

test('the annotated HTML file opens offline with no script, looks like the page and keeps every mark', async () => {
  const { context, page, log } = await openPage(browser, origin);
  await showFixture(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-html')]);
  assert.equal(download.suggestedFilename(), 'pressmark.html');
  const html = await readFile(await download.path(), 'utf8');
  assert.doesNotMatch(html, /<script/i);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/);
  const pageMark = await page.evaluate(() => getComputedStyle(document.querySelector('#view mark[data-label="PER"]')).backgroundColor);
  // Opened with JavaScript off and the network refused: everything it needs is inside.
  const offline = await browser.newContext({ javaScriptEnabled: false, offline: true, colorScheme: 'light' });
  const requests = [];
  offline.on('request', (r) => requests.push(r.url()));
  const view = await offline.newPage();
  await view.route('http://pressmark.test/', (r) => r.fulfill({ contentType: 'text/html', body: html }));
  await view.goto('http://pressmark.test/');
  const r = await view.evaluate(() => ({
    marks: document.querySelectorAll('article.view mark[data-label]').length,
    quotes: [...document.querySelectorAll('article.view .quote[id]')].length,
    text: (() => { const c = document.querySelector('article.view').cloneNode(true); for (const t of c.querySelectorAll('.speaker-tag')) t.remove(); return c.textContent; })(),
    per: getComputedStyle(document.querySelector('mark[data-label="PER"]')).backgroundColor,
    speakers: [...document.querySelectorAll('.speaker-name .name')].map((n) => n.textContent),
    title: document.title,
  }));
  assert.equal(r.marks, 55);
  assert.equal(r.quotes, 10);
  assert.equal(r.text, sample, 'the article text, unchanged');
  assert.equal(r.per, pageMark, 'the same highlight colours as the page');
  assert.deepEqual(r.speakers, ['Tomas Verhoef', 'Marieke Dassen', 'Anouk Brinkman', 'Pieter Olthof']);
  assert.match(r.title, /^pressmark — Port of Kessling wins/);
  assert.deepEqual(requests, ['http://pressmark.test/'], 'the file asks for nothing');
  assert.deepEqual(log, { errors: [], foreign: [] }, 'making it logged nothing (no CSP refusal either)');
  await offline.close();
  await context.close();
});

test('entities CSV: one row per mention with its canonical name, formula-guarded', async () => {
  const { context, page } = await openPage(browser, origin);
  const text = '=HYPERLINK met +Plus and Ingrid Solberg; Solberg paid €5, 10%.';
  const span = (s, label, extra = {}) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length, label, text: s, confidence: 0.9, ...extra });
  const result = {
    entities: [span('=HYPERLINK', 'ORG'), span('+Plus', 'PER'), span('Ingrid Solberg', 'PER', { entity_id: 3 }),
      span('Solberg', 'PER', { entity_id: 3 }), span('€5', 'MONEY', { value: { amount: 5, currency: 'EUR' } }), span('10%', 'PERCENT', { value: 10 })],
    entities_index: [{ id: 3, name: 'Ingrid Solberg', label: 'PER', mentions: 2 }],
    quotes: [], scare_quotes: [],
  };
  result.entities[3].start = text.indexOf('Solberg paid');
  result.entities[3].end = result.entities[3].start + 7;
  await page.evaluate(([t, r]) => window.pressmark.showResult(t, r), [text, result]);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-entities')]);
  const lines = (await readFile(await download.path(), 'utf8')).replace(/^\ufeff/, '').split('\r\n');
  assert.deepEqual(lines, [
    'label,type,text,name,start,end,entity_id,value,confidence',
    "ORG,Organisation,'=HYPERLINK,,0,10,,,0.9",
    "PER,Person,'+Plus,,15,20,,,0.9",
    `PER,Person,Ingrid Solberg,Ingrid Solberg,25,39,3,,0.9`,
    `PER,Person,Solberg,Ingrid Solberg,41,48,3,,0.9`,
    `MONEY,Money,€5,,54,56,,5 EUR,0.9`,
    `PERCENT,Percentage,10%,,58,61,,10,0.9`,
    '',
  ]);
  await context.close();
});

test('copy a quote with its speaker; the chart shows who is quoted how often; the filter narrows the panel', async () => {
  const { context, page } = await openPage(browser, origin, { permissions: ['clipboard-read', 'clipboard-write'] });
  await showFixture(page);
  await page.locator('#speakers li', { hasText: 'Automation rarely' }).getByRole('button', { name: 'Copy quote by Anouk Brinkman' }).click();
  await page.waitForFunction(() => /^Copied/.test(document.getElementById('status').textContent));
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()),
    '“Automation rarely removes work outright. It moves it, … The question for Kessling is whether the new jobs go to the people who lost the old ones.” — Anouk Brinkman');
  // Chart: one bar per named speaker, the longest for the most quoted, figures in its text alternative.
  const chart = await page.evaluate(() => ({
    label: document.querySelector('#chart svg').getAttribute('aria-label'),
    bars: [...document.querySelectorAll('#chart .chart-bar')].map((b) => Number(b.getAttribute('width'))),
    names: [...document.querySelectorAll('#chart .chart-name')].map((t) => t.textContent),
  }));
  assert.equal(chart.label, 'Quotes per speaker. Tomas Verhoef: 3, Marieke Dassen: 2, Anouk Brinkman: 1, Pieter Olthof: 1');
  assert.deepEqual(chart.names, ['Tomas Verhoef', 'Marieke Dassen', 'Anouk Brinkman', 'Pieter Olthof']);
  assert.ok(chart.bars[0] > chart.bars[1] && chart.bars[1] > chart.bars[2] && chart.bars[2] === chart.bars[3], chart.bars.join(' '));
  // Filter: a name narrows both lists; words of a quote find it; accents and case do not matter.
  const panel = () => page.evaluate(() => ({
    names: [...document.querySelectorAll('#entity-lists .entity-list .name')].map((n) => n.textContent),
    speakers: [...document.querySelectorAll('#speakers .speaker-name .name')].map((n) => n.textContent),
    quotes: document.querySelectorAll('#speakers .quote-link').length,
    count: document.getElementById('filter-count').textContent,
  }));
  const all = await panel();
  await page.fill('#panel-filter', 'VERHOEF');
  await page.waitForFunction(() => document.getElementById('filter-count').textContent !== '');
  assert.deepEqual(await panel(), { names: ['Tomas Verhoef'], speakers: ['Tomas Verhoef'], quotes: 3, count: '1 name and 3 quotes match.' });
  await page.fill('#panel-filter', 'retráining');
  await page.waitForFunction(() => /^0 names and 1 quote/.test(document.getElementById('filter-count').textContent));
  assert.deepEqual((await panel()).speakers, ['Tomas Verhoef']);
  await page.fill('#panel-filter', '');
  await page.waitForFunction(() => document.getElementById('filter-count').textContent === '');
  assert.deepEqual(await panel(), all);
  await context.close();
});

test('quotes are grouped by the resolved speaker; a quote names both the mention and the person', async () => {
  const { context, page } = await openPage(browser, origin);
  const text = 'Ingrid Solberg chairs the board. “We had no choice,” she said. “None at all,” Solberg added.';
  const at = (s, from = 0) => text.indexOf(s, from);
  const span = (s, from = 0) => ({ start: at(s, from), end: at(s, from) + s.length, text: s });
  const q = (s, mention, from) => ({ ...span(s), speaker: span(mention, from), speaker_name: 'Ingrid Solberg', cue: null, direct: true, confidence: 0.9 });
  const result = {
    entities: [{ ...span('Ingrid Solberg'), label: 'PER', confidence: 0.9, entity_id: 1 }, { ...span('Solberg', 70), label: 'PER', confidence: 0.9, entity_id: 1 }],
    entities_index: [{ id: 1, name: 'Ingrid Solberg', label: 'PER', mentions: 2 }],
    quotes: [q('We had no choice,', 'she', 50), q('None at all,', 'Solberg', 70)], scare_quotes: [],
  };
  await page.evaluate(([t, r]) => window.pressmark.showResult(t, r), [text, result]);
  const speakers = await page.evaluate(() => [...document.querySelectorAll('#speakers .speaker')].map((s) => [s.querySelector('.name').textContent, s.querySelectorAll('li').length]));
  assert.deepEqual(speakers, [['Ingrid Solberg', 2]]);
  await page.locator('#view .quote').first().focus();
  const details = await page.textContent('#details');
  assert.match(details, /SpeakerIngrid Solberg/);
  assert.match(details, /Speaker mentionshe/);
  await context.close();
});
