// The package in a bundled app: esbuild bundles tests/package/app/ with the package installed from
// the tarball (the README's recipe: the worker as a second entry point, the wasm copied beside the
// bundle, both found through new URL(…, import.meta.url)), and the app runs in headless Chromium
// under a strict Content-Security-Policy, with the same output as the package in Node.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { installTarball, shared } from './install.mjs';
import { launch } from '../browser/helpers.mjs';
import { CSP } from '../../scripts/server.mjs';

let project, server, origin, browser, publicDir;

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.txt': 'text/plain; charset=utf-8' };

before(async () => {
  project = installTarball();
  publicDir = path.join(project.dir, 'public');
  for (const f of ['app.js', 'index.html']) copyFileSync(path.join(import.meta.dirname, 'app', f), path.join(project.dir, f));
  await build({
    absWorkingDir: project.dir,
    entryPoints: { app: 'app.js', worker: 'node_modules/pressmark/lib/worker.js' },
    bundle: true, format: 'esm', platform: 'browser', outdir: 'public', logLevel: 'error',
  });
  copyFileSync(path.join(project.dir, 'node_modules', 'pressmark', 'lib', 'pressmark_bg.wasm'), path.join(publicDir, 'pressmark_bg.wasm'));
  copyFileSync(path.join(project.dir, 'index.html'), path.join(publicDir, 'index.html'));
  copyFileSync(shared('examples/seed-article.txt'), path.join(publicDir, 'seed.txt'));
  server = createServer((req, res) => {
    const name = new URL(req.url, 'http://x').pathname.slice(1) || 'index.html';
    if (name === 'favicon.ico') { res.writeHead(204).end(); return; } // asked for by Chromium itself
    let body;
    try { body = readFileSync(path.join(publicDir, path.basename(name))); } catch { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(name)] ?? 'application/octet-stream', 'Content-Security-Policy': CSP });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  project?.cleanup();
});

test('the bundle holds no copy of the package\'s files but the wasm', () => {
  const app = readFileSync(path.join(publicDir, 'app.js'), 'utf8');
  assert.match(app, /new URL\("\.\/worker\.js", import\.meta\.url\)/);
  assert.match(app, /pressmark_bg\.wasm/);
});

test('an app bundled by esbuild from the installed tarball annotates in headless Chromium, as Node does', async () => {
  const context = await browser.newContext();
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const errors = [];
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  const workers = [];
  page.on('worker', (w) => workers.push(new URL(w.url()).pathname));
  await page.goto(origin + '/');
  const r = await page.evaluate(() => window.outcome);
  await context.close();

  const { annotateSync } = await import(pathToFileURL(path.join(project.dir, 'node_modules', 'pressmark', 'lib', 'node.js')));
  const expected = annotateSync(r.text);
  assert.ok(expected.quotes.length >= 6);
  assert.deepEqual(r.doc, expected);
  assert.deepEqual(r.sync, expected);
  assert.deepEqual(r.quotes, { quotes: annotateSync(r.text, { offsets: 'codepoint', layers: ['quotes'] }).quotes });
  for (const e of r.doc.entities) assert.equal(r.text.slice(e.start, e.end), e.text);
  assert.equal(r.notString, 'ERR_NOT_A_STRING');
  assert.equal(r.beforeInit, 'ERR_NOT_INITIALIZED');
  assert.deepEqual(workers, ['/worker.js']);
  assert.deepEqual(errors, []);
  assert.ok(requests.every((u) => u.startsWith(origin + '/')), requests.join(' '));
  assert.equal(requests.filter((u) => u.endsWith('/pressmark_bg.wasm')).length, 1, 'one download for the worker and init()');
});
