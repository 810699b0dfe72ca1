// Saves docs/screenshot.png: the page as a first-time visitor sees it (the sample annotated).
//   node scripts/screenshot.mjs [out.png] [width] [height]   (after `npm run build`)
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { launch, serve } from '../tests/browser/helpers.mjs';

const out = process.argv[2] ?? 'docs/screenshot.png';
const width = Number(process.argv[3] ?? 1360);
const height = Number(process.argv[4] ?? 1000);

const { server, origin } = await serve();
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
  page.on('console', (m) => { if (m.type() === 'error') console.error('page:', m.text()); });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(origin + '/');
  await page.evaluate(() => window.pressmark.ready);
  await mkdir(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out, fullPage: process.env.FULL === '1' });
  console.log(`screenshot: ${out}`);
} finally {
  await browser.close();
  server.close();
}
