// Shared set-up for the browser tests: the static server on a free port and Chromium with every
// request away from this machine refused (see TOOLCHAIN.md, gotcha 12).
// WebUIOmniboxPopup: each new context (a new window, which the tests and the bench open for every
// cold load) otherwise renders Chromium's own omnibox popup, a WebUI page with no use headless:
// ~1-2 s of CPU in its own renderer during the page's start-up, on a 2-core machine (measured
// with a Chromium trace; the bench's startup median moved 649 → 548 ms with it off, 15 interleaved
// cold loads each, machine load 4-7).
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/server.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost',
  '--disable-features=AutofillServerCommunication,OptimizationHints,Translate,MediaRouter,WebUIOmniboxPopup',
];

/** Headless Chromium with CHROMIUM_ARGS, and `extraArgs` after them (bench/startup.mjs --flags). */
export async function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

export async function serve() {
  const server = await startServer(0);
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

/**
 * Registers the suite's hooks: the static server and one Chromium for the whole file, both closed
 * at the end. `ready(browser, origin)` runs, and is awaited, once they are up: a file's own set-up
 * goes there (node:test does not order a file's separate top-level hooks).
 */
export function withBrowserAndServer(ready) {
  let browser, server;
  before(async () => {
    let origin;
    ({ server, origin } = await serve());
    browser = await launch();
    await ready(browser, origin);
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });
}
