// The page's start-up alone, for A/B comparisons on a noisy machine: cold loads (a fresh browser
// context each, as `npm run bench` does) of one or more builds of www/, interleaved run by run, and
// per build the median of "navigation → the sample's marks painted" and of each step's time.
//   node bench/startup.mjs [--runs N] [--files] [--warm] [--root DIR]...
// --root: a copy of www/ (e.g. `cp -r www /tmp/www-before` before a change); default www/.
// --files: also each file's median request start → response end (page and worker).
// --warm: the page visited once before each measured load, in the same browser context.
import path from 'node:path';
import { launch } from '../tests/browser/helpers.mjs';
import { startServer, ROOT } from '../scripts/server.mjs';
import { startup, paintedWithoutModelLoad } from './browser.mjs';

const args = process.argv.slice(2);
let runs = 9;
let files = false;
let warm = false;
const roots = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else if (args[i] === '--root') roots.push(path.resolve(args[++i]));
  else if (args[i] === '--files') files = true;
  else if (args[i] === '--warm') warm = true;
  else throw new Error(`unknown argument ${args[i]}`);
}
if (!roots.length) roots.push(ROOT);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const servers = await Promise.all(roots.map((root) => startServer(0, '127.0.0.1', root)));
const browser = await launch();
const results = roots.map(() => []);
try {
  for (let i = 0; i < runs; i++) {
    for (const [k, server] of servers.entries()) {
      const { runs: [run] } = await startup(browser, `http://127.0.0.1:${server.address().port}`, () => {}, 1, { warm });
      results[k].push(run);
      process.stderr.write(`run ${i + 1} ${path.basename(roots[k])}: ${run.firstMarks.toFixed(0)} ms\n`);
    }
  }
} finally {
  await browser.close();
  for (const s of servers) s.close();
}

for (const [k, root] of roots.entries()) {
  const rs = results[k];
  const steps = {};
  for (const r of rs) for (const [key, v] of Object.entries(r.phases)) if (typeof v === 'number') (steps[key] ??= []).push(v);
  const line = Object.entries(steps).map(([key, xs]) => [key, median(xs)]).sort((a, b) => a[1] - b[1])
    .map(([key, m]) => `${key} ${m.toFixed(0)}`).join(' · ');
  console.log(`${root}: ${rs.length} ${warm ? 'warm' : 'cold'} loads, sample's marks painted: median ${median(rs.map((r) => r.firstMarks)).toFixed(0)} ms `
    + `(min ${Math.min(...rs.map((r) => r.firstMarks)).toFixed(0)}, max ${Math.max(...rs.map((r) => r.firstMarks)).toFixed(0)})`);
  console.log(`  steps (median ms after navigation): ${line}`);
  const ceiling = rs.map(paintedWithoutModelLoad).filter((x) => x !== null);
  if (ceiling.length) console.log(`  painted if the names model's load took no time: median ${median(ceiling).toFixed(0)} ms`);
  if (files) {
    const by = {};
    for (const r of rs) for (const [f, [a, b]] of Object.entries(r.phases.resources ?? {})) (by[f] ??= []).push([a, b]);
    for (const [f, xs] of Object.entries(by).sort((a, b) => median(a[1].map((x) => x[0])) - median(b[1].map((x) => x[0])))) {
      console.log(`  ${f}: ${median(xs.map((x) => x[0])).toFixed(0)} → ${median(xs.map((x) => x[1])).toFixed(0)}`);
    }
  }
}
