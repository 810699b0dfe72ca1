// What the page's own tests share (page*.test.mjs): opening the page in a fresh context, the
// fixture result for the sample article, axe-core injected from node_modules, a big article.
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { sampleResult } from './fixtures.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sample = await readFile(path.join(ROOT, 'www', 'sample.txt'), 'utf8');
export const fixture = () => sampleResult(sample);

// axe-core is a dev-dependency, loaded into the page only here: served under the page's own origin
// by a route, so the page's Content-Security-Policy stays as strict as it ships (no bypass).
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * A fresh context (a first visit: no kept text, no theme choice) with the page loaded and ready.
 * Records console errors, page errors and requests that leave the origin into `log`.
 */
export async function openPage(browser, origin, { width = 1280, height = 900, colorScheme = 'light', permissions = [], init = null } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, acceptDownloads: true });
  if (init) await context.addInitScript(init);
  if (permissions.length) await context.grantPermissions(permissions, { origin });
  await context.route('**/__axe.js', (r) => r.fulfill({ contentType: 'text/javascript', body: AXE }));
  const log = { errors: [], foreign: [] };
  context.on('request', (r) => {
    const u = r.url();
    if (!(u.startsWith(origin + '/') || u.startsWith(`blob:${origin}/`) || u.startsWith('data:'))) log.foreign.push(u);
  });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') log.errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => log.errors.push(`page error: ${e.message}`));
  await page.goto(origin + '/');
  await page.evaluate(() => window.pressmark.ready);
  return { context, page, log };
}

/** Shows the fixture result for the sample article (deterministic marks, whatever the core says). */
export const showFixture = (page) => page.evaluate(([t, r]) => window.pressmark.showResult(t, r), [sample, fixture()]);

/** axe-core's violations on the page as it is now: WCAG 2.0–2.2 A/AA, best practices, experimental. */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ url: '/__axe.js' });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice', 'experimental'] },
    });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) }));
  });
}

/** A long article: the sample repeated to about `bytes` characters, each copy numbered. */
export function bigArticle(bytes) {
  const parts = [];
  let n = 0;
  for (let size = 0; size < bytes; n++) {
    const part = `Part ${n + 1}.\n\n${sample}\n\n`;
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}
