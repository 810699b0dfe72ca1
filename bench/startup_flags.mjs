// The page's start-up under Chromium flags no page can set (V8's tiering and lazy compilation,
// for instance): what a change inside the engine would give, to tell the page's own costs from
// the engine's. Cold loads of www/ (a fresh context each, as `npm run bench`), alternating a
// browser with the bench's flags and one with FLAG... added; per browser the medians of the
// start-up's steps and of the start-up without the names model's load.
//   node bench/startup_flags.mjs [--runs N] FLAG...
//   e.g. node bench/startup_flags.mjs --runs 11 '--js-flags=--no-wasm-lazy-compilation'
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../tests/browser/helpers.mjs';
import { startServer, ROOT } from '../scripts/server.mjs';
import { startup, paintedWithoutModelLoad } from './browser.mjs';

const args = process.argv.slice(2);
let runs = 9;
const flags = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else flags.push(args[i]);
}
if (!flags.length) throw new Error('usage: node bench/startup_flags.mjs [--runs N] FLAG...');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const variants = [['the bench\'s flags', []], [`+ ${flags.join(' ')}`, flags]];
const server = await startServer(0, '127.0.0.1', ROOT);
const origin = `http://127.0.0.1:${server.address().port}`;
const browsers = await Promise.all(variants.map(([, extra]) => chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, ...extra],
})));
const results = variants.map(() => []);
try {
  for (let i = 0; i < runs; i++) {
    for (const [k, browser] of browsers.entries()) {
      const { runs: [run] } = await startup(browser, origin, () => {}, 1);
      results[k].push(run);
    }
  }
} finally {
  await Promise.all(browsers.map((b) => b.close()));
  server.close();
}
for (const [k, [name]] of variants.entries()) {
  const rs = results[k];
  const step = (key) => {
    const xs = rs.map((r) => r.phases?.[key]).filter((x) => typeof x === 'number');
    return xs.length ? median(xs).toFixed(0) : '—';
  };
  const noLoad = rs.map(paintedWithoutModelLoad).filter((x) => x !== null);
  console.log(`${name}: ${rs.length} cold loads, marks painted median ${median(rs.map((r) => r.firstMarks)).toFixed(0)} ms`
    + ` (instantiated ${step('instantiated')} · names model loaded ${step('warm')} · sample annotated ${step('annotated')}`
    + ` · shown ${step('shown')}); without the model's load ${noLoad.length ? median(noLoad).toFixed(0) : '—'} ms`);
}
