// `npm run screenshot`: the README's screenshots of the page as a first-time visitor sees it (the
// sample article annotated), after `npm run build`:
//   docs/screenshot.png         light theme, 1360 × 1000
//   docs/screenshot-dark.png    dark theme (the system's preference), 1360 × 1000
//   docs/screenshot-phone.png   a 390 × 844 phone: the article, then the names-and-quotes section
//   node scripts/screenshot.mjs [out-dir]
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { launch, serve } from '../tests/browser/helpers.mjs';

const dir = process.argv[2] ?? 'docs';
const SHOTS = [
  { file: 'screenshot.png', width: 1360, height: 1000, colorScheme: 'light' },
  { file: 'screenshot-dark.png', width: 1360, height: 1000, colorScheme: 'dark' },
  { file: 'screenshot-phone.png', width: 390, height: 844, colorScheme: 'light', phone: true },
];

const { server, origin } = await serve();
const browser = await launch();
try {
  await mkdir(dir, { recursive: true });
  for (const shot of SHOTS) {
    const context = await browser.newContext({ viewport: { width: shot.width, height: shot.height }, colorScheme: shot.colorScheme, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') console.error('page:', m.text()); });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(origin + '/');
    await page.evaluate(() => window.pressmark.ready);
    const out = path.join(dir, shot.file);
    if (shot.phone) {
      // Two screens side by side: the article (scrolled to its first quotes) and the panel.
      await page.evaluate(() => document.querySelector('#view .quote')?.scrollIntoView({ block: 'start' }));
      const article = await page.screenshot();
      await page.click('#tab-panel');
      await page.evaluate(() => window.scrollTo(0, 0));
      const panel = await page.screenshot();
      const both = await context.newPage();
      await both.setViewportSize({ width: shot.width * 2 + 24, height: shot.height });
      await both.setContent(`<body style="margin:0;display:flex;gap:24px;background:#8a8f9c">
        <img src="data:image/png;base64,${article.toString('base64')}"><img src="data:image/png;base64,${panel.toString('base64')}"></body>`);
      await both.screenshot({ path: out });
    } else {
      await page.screenshot({ path: out, fullPage: process.env.FULL === '1' });
    }
    console.log(`screenshot: ${out}`);
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
