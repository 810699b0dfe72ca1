// The page's accessibility (issue 12, WCAG 2.2 AA): axe-core with no violation in the light and
// dark themes and at 390 px; what a screen reader hears for a person, a place and a quote
// (Playwright's ariaSnapshot()); a description for the focused mark only; the roving tab stop
// that keeps the panel one keystroke away; skip links; target sizes; highlight contrast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowserAndServer } from './helpers.mjs';
import { openPage, showFixture, axeViolations } from './pagekit.mjs';

let browser, origin;
withBrowserAndServer((b, o) => { browser = b; origin = o; });

test('axe-core finds no violation: light theme, dark theme, and a 390 px phone (both sections)', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { context, page, log } = await openPage(browser, origin, { colorScheme });
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(dark === 'rgb(18, 21, 28)', colorScheme === 'dark', `the ${colorScheme} theme is applied (${dark})`);
    assert.deepEqual(await axeViolations(page), [], `${colorScheme}: the sample as the core annotates it`);
    await page.click('#clear'); // the Undo toast on screen
    await page.waitForFunction(() => window.pressmark.shown.text === '');
    assert.equal(await page.isVisible('#toast'), true);
    assert.deepEqual(await axeViolations(page), [], `${colorScheme}: cleared, with the Undo toast`);
    await page.click('#undo');
    await showFixture(page);
    await page.click('#show-labels'); // type names drawn after each mark
    assert.deepEqual(await axeViolations(page), [], `${colorScheme}: the fixture, type names shown`);
    assert.deepEqual(log.errors, []);
    await context.close();
  }
  const { context, page, log } = await openPage(browser, origin, { width: 390, height: 844 });
  await showFixture(page);
  assert.deepEqual(await axeViolations(page), [], '390 px, the article');
  await page.click('#tab-panel');
  assert.deepEqual(await axeViolations(page), [], '390 px, names and quotes');
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('a screen reader hears what each mark is: a person, a place, a quote and its speaker', async () => {
  const { context, page } = await openPage(browser, origin);
  await showFixture(page);
  const person = await page.locator('#view mark[data-label="PER"]').first().ariaSnapshot();
  assert.equal(person, `- 'button "Person: Marieke Dassen"': Marieke Dassen`);
  const place = await page.locator('#view mark[data-label="LOC"]').first().ariaSnapshot();
  assert.equal(place, `- 'button "Place: Kessling"': Kessling`);
  const quote = await page.locator('#view .quote').filter({ hasText: 'Automation rarely' }).first().ariaSnapshot();
  assert.equal(quote, '- group "Quote by Anouk Brinkman": “Automation rarely removes work outright. It moves it,”');
  // Its second part holds a place: the group is named, its text and the place's name are read inside.
  const second = await page.locator('#view .quote').filter({ hasText: 'The question for Kessling' }).first().ariaSnapshot();
  assert.match(second, /^- group "Quote by Anouk Brinkman":\n {2}- text: “The question for\n {2}- 'button "Place: Kessling"': Kessling\n/);
  // A pronoun speaker mention says whom it stands for; the visual speaker tag is not read twice.
  const article = await page.locator('#view').ariaSnapshot();
  assert.match(article, /button "Speaker: she \(Anouk Brinkman\)"/);
  assert.doesNotMatch(article, /— Anouk Brinkman/);
  await context.close();
});

test('only the focused mark has a description, and it is always about that mark', async () => {
  const { context, page } = await openPage(browser, origin);
  await showFixture(page);
  const described = () => page.evaluate(() => [...document.querySelectorAll('[aria-describedby~="details"]')].map((el) => el.textContent));
  assert.deepEqual(await described(), [], 'no description before anything is focused');
  await page.locator('#view mark[data-label="LOC"]').first().focus();
  assert.deepEqual(await described(), ['Kessling']);
  assert.match(await page.textContent('#details'), /^Place \(LOC\)TextKessling/);
  // The arrow key moves on; the description moves with it and is refilled.
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await described(), ['€420 million']);
  assert.match(await page.textContent('#details'), /^Money \(MONEY\)Text€420 million/);
  await page.locator('#view .quote').filter({ hasText: 'Automation rarely' }).first().focus();
  const details = await page.textContent('#details');
  assert.match(details, /^Quote by Anouk Brinkman/);
  assert.match(details, /SpeakerAnouk Brinkman/);
  assert.match(details, /Speaker mentionshe/);
  await page.focus('#input');
  assert.deepEqual(await described(), [], 'no description left behind on blur');
  await context.close();
});

test('keyboard: the article is one tab stop (arrow keys inside), so the panel is one Tab away', async () => {
  const { context, page } = await openPage(browser, origin);
  await showFixture(page);
  const stops = await page.evaluate(() => document.querySelectorAll('#view [tabindex="0"]').length);
  assert.equal(stops, 1, 'one mark of the article is in the tab order');
  await page.locator('#view mark[data-label="LOC"]').first().focus();
  await page.keyboard.press('Tab');
  assert.ok(await page.evaluate(() => document.getElementById('panel').contains(document.activeElement)), 'Tab from the article lands in the panel');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Kessling', 'Shift+Tab comes back to the same mark');
  // Arrow keys walk the marks and quotes in reading order; End and Home go to the last and first.
  const order = await page.evaluate(() => [...document.querySelectorAll('#view :is(mark[data-entity], .quote, .speaker-ref)')].map((el) => el.textContent));
  const walked = [];
  for (let i = 0; i < 6; i++) {
    walked.push(await page.evaluate(() => document.activeElement.textContent));
    await page.keyboard.press('ArrowRight');
  }
  assert.deepEqual(walked, order.slice(0, 6));
  await page.keyboard.press('End');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), order.at(-1));
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), order.at(-2));
  await page.keyboard.press('Home');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), order[0]);
  await context.close();
});

test('skip links: the second Tab on the page offers the panel, and it takes focus there', async () => {
  const { context, page } = await openPage(browser, origin);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to the annotated article');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to names and quotes');
  assert.ok(await page.evaluate(() => document.activeElement.getBoundingClientRect().top >= 0), 'the focused skip link is on screen');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'panel');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'panel-filter', 'the panel starts with its filter box');
  await context.close();
});

test('every control is at least 24 × 24 px, on a desktop and on a phone', async () => {
  for (const width of [1280, 390]) {
    const { context, page } = await openPage(browser, origin, { width });
    await showFixture(page);
    if (width === 390) await page.click('#tab-panel');
    // A check box's target is its label too (clicking either toggles it).
    const small = await page.evaluate(() => [...document.querySelectorAll('button, input:not(.visually-hidden), label.button, select, a:not(.skip)')]
      .filter((el) => el.getClientRects().length > 0 && !el.closest('.footer'))
      .map((el) => ({ el: el.id || el.className || el.tagName, r: (el.type === 'checkbox' && el.closest('label') || el).getBoundingClientRect() }))
      .filter(({ r }) => r.width < 24 || r.height < 24)
      .map(({ el, r }) => `${el} ${r.width}×${r.height}`));
    assert.deepEqual(small, [], `${width} px`);
    await context.close();
  }
});

/** WCAG relative luminance contrast of two computed rgb() colours. */
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/[\d.]+/g).slice(0, 3).map(Number).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test('every highlight keeps its text readable (≥ 4.5:1) in both themes, type names and chart included', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { context, page } = await openPage(browser, origin, { colorScheme });
    await showFixture(page);
    await page.click('#show-labels');
    const pairs = await page.evaluate(() => {
      const out = [];
      const card = getComputedStyle(document.querySelector('.result')).backgroundColor;
      for (const m of document.querySelectorAll('#view mark[data-label]')) {
        const cs = getComputedStyle(m);
        const tag = getComputedStyle(m, '::after');
        out.push([m.dataset.label, cs.color, cs.backgroundColor], [`${m.dataset.label} type name`, tag.color, tag.backgroundColor]);
      }
      for (const q of document.querySelectorAll('#view .quote')) { const cs = getComputedStyle(q); out.push(['quote', cs.color, cs.backgroundColor === 'rgba(0, 0, 0, 0)' ? card : cs.backgroundColor]); }
      for (const t of document.querySelectorAll('#view .speaker-tag')) { const cs = getComputedStyle(t); out.push(['speaker tag', cs.color, cs.backgroundColor]); }
      const panel = getComputedStyle(document.querySelector('#panel .card')).backgroundColor;
      for (const t of document.querySelectorAll('#chart text')) out.push(['chart', getComputedStyle(t).fill, panel]);
      return out;
    });
    assert.ok(pairs.length > 50);
    const low = pairs.map(([what, fg, bg]) => [what, contrast(fg, bg)]).filter(([, c]) => c < 4.5).map(([w, c]) => `${w} ${c.toFixed(2)}`);
    assert.deepEqual([...new Set(low)], [], colorScheme);
    await context.close();
  }
});
