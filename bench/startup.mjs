// The page's start-up alone, for A/B comparisons on a noisy machine: cold loads (a fresh browser
// context each, as `npm run bench` does) of one or more variants, interleaved run by run, and per
// variant the median of "navigation → the sample's marks painted", of each step's time and of the
// start-up without the names model's load.
//   node bench/startup.mjs [--runs N] [--files] [--warm] [--root DIR]... [--flags "FLAG..."]...
// --root: a copy of www/ (e.g. `cp -r www /tmp/www-before` before a change); default www/. Each is
//   loaded in Chromium with the bench's flags.
// --flags: the first root again, in a Chromium with these flags added: flags no page can set
//   (e.g. --flags --js-flags=--no-wasm-lazy-compilation), to tell the page's own costs from the
//   engine's.
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
const flagSets = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else if (args[i] === '--root') roots.push(path.resolve(args[++i]));
  else if (args[i] === '--flags') flagSets.push(args[++i].split(/\s+/).filter(Boolean));
  else if (args[i] === '--files') files = true;
  else if (args[i] === '--warm') warm = true;
  else throw new Error(`unknown argument ${args[i]}`);
}
if (!roots.length) roots.push(ROOT);
// what is loaded: each root under the bench's flags, then the first root under each flag set
const variants = [
  ...roots.map((root) => ({ root, flags: [], name: root })),
  ...flagSets.map((flags) => ({ root: roots[0], flags, name: `${roots[0]} + ${flags.join(' ')}` })),
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const servers = new Map(await Promise.all(roots.map(async (root) => [root, await startServer(0, '127.0.0.1', root)])));
const browsers = await Promise.all([[], ...flagSets].map((flags) => launch(flags)));
const browserOf = (v) => browsers[v.flags.length ? 1 + flagSets.indexOf(v.flags) : 0];
const results = variants.map(() => []);
try {
  for (let i = 0; i < runs; i++) {
    for (const [k, v] of variants.entries()) {
      const origin = `http://127.0.0.1:${servers.get(v.root).address().port}`;
      const { runs: [run] } = await startup(browserOf(v), origin, () => {}, 1, { warm });
      results[k].push(run);
      process.stderr.write(`run ${i + 1} ${path.basename(v.root)}${v.flags.length ? ` ${v.flags.join(' ')}` : ''}: ${run.firstMarks.toFixed(0)} ms\n`);
    }
  }
} finally {
  await Promise.all(browsers.map((b) => b.close()));
  for (const s of servers.values()) s.close();
}

for (const [k, v] of variants.entries()) {
  const rs = results[k];
  const steps = {};
  for (const r of rs) for (const [key, x] of Object.entries(r.phases)) if (typeof x === 'number') (steps[key] ??= []).push(x);
  const line = Object.entries(steps).map(([key, xs]) => [key, median(xs)]).sort((a, b) => a[1] - b[1])
    .map(([key, m]) => `${key} ${m.toFixed(0)}`).join(' · ');
  console.log(`${v.name}: ${rs.length} ${warm ? 'warm' : 'cold'} loads, sample's marks painted: median ${median(rs.map((r) => r.firstMarks)).toFixed(0)} ms `
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
