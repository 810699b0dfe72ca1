// `npm run bench`: pressmark native, pressmark wasm in headless Chromium and compromise, in one
// run on the same texts; prints one table and writes the raw numbers to bench/results.json.
// Figures only: nothing here fails on a slow number (targets are marked met/missed in the table).
// It fails loudly when ../shared (the texts) or www/pkg (the build) is missing.
//   BENCH_PEER_10MB=1   also run compromise on the 10 MB text (minutes)
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildCorpus, bytesOf, stats, CORPUS_DIR, REPO, TEXTS } from './corpus.mjs';
import { runBrowser, runRender, gzipBytes, brotliBytes, paintedWithoutModelLoad } from './browser.mjs';

const log = (m) => process.stderr.write(`bench: ${m}\n`);
const MB = 1e6;

// What issue 12 measured before the page drew big results in pieces (same machine kind, headless
// Chromium): the whole draw was one main-thread block, and Chromium grew by 1.2 GB on 5 MB.
const BEFORE = { '1mb': { block: 4_600 }, '5mb': { block: 133_000, memory: 1.2e9 } };

/** The render table: a 1 MB and a 5 MB paste in the page (bench/browser.mjs renderBench). */
function renderLines(render) {
  const f0 = (x) => (x === null || x === undefined ? '—' : Math.round(x).toLocaleString('en'));
  const pad = (s, n, left = false) => (left ? String(s).padEnd(n) : String(s).padStart(n));
  const out = [];
  out.push('Big paste in the page (Ctrl+V, Annotate; ms after the click unless said; "before" = issue 12\'s figures, one block)');
  out.push(`${pad('', 58, true)}${pad('1 MB', 10)}${pad('5 MB', 10)}${pad('before 1 MB', 13)}${pad('before 5 MB', 13)}`);
  const r1 = render['1mb'], r5 = render['5mb'];
  const row = (what, a, b, x = '', y = '') => out.push(`${pad(what, 58, true)}${pad(a, 10)}${pad(b, 10)}${pad(x, 13)}${pad(y, 13)}`);
  row('worker\'s answer (annotate + JSON text + parse)', f0(r1.answer), f0(r5.answer));
  row('first marks painted, after the answer', f0(r1.firstMarksPainted), f0(r5.firstMarksPainted));
  row('every mark drawn, after the answer', f0(r1.drawn), f0(r5.drawn), f0(BEFORE['1mb'].block), f0(BEFORE['5mb'].block));
  row('longest main-thread task, click → every mark', f0(r1.longestTask), f0(r5.longestTask), f0(BEFORE['1mb'].block), f0(BEFORE['5mb'].block));
  row('  … of it before the answer (the result handed over)', f0(r1.longestTaskBeforeAnswer), f0(r5.longestTaskBeforeAnswer));
  row('  … of it while drawing (after the answer)', f0(r1.longestTaskWhileDrawing), f0(r5.longestTaskWhileDrawing));
  row('long tasks (> 50 ms), click → every mark', r1.longTasks, r5.longTasks);
  row('longest task of the paste itself', f0(r1.longestTaskPasting), f0(r5.longestTaskPasting));
  row('slowest key press, typed once the first marks show (≥ 16)', f0(r1.slowestKey), f0(r5.slowestKey));
  const mb = (x) => (x === null ? '—' : `+${Math.round(x / MB)} MB`);
  row('renderer memory (RSS), after − before', mb(r1.after.rss - r1.before.rss), mb(r5.after.rss - r5.before.rss), '', `+${BEFORE['5mb'].memory / 1e9} GB`);
  row('DOM nodes / layout objects after', `${Math.round(r1.after.nodes / 1e3)}k/${Math.round(r1.after.layoutObjects / 1e3)}k`,
    `${Math.round(r5.after.nodes / 1e3)}k/${Math.round(r5.after.layoutObjects / 1e3)}k`);
  return out;
}

/** The render targets of issue 12, as [what, met, value]. */
function renderTargets(render) {
  const r1 = render['1mb'], r5 = render['5mb'];
  return [
    ['1 MB and 5 MB pasted: longest main-thread task ≤ 50 ms', r1.longestTask <= 50 && r5.longestTask <= 50,
      `${Math.round(r1.longestTask)} / ${Math.round(r5.longestTask)} ms (while drawing: ${Math.round(r1.longestTaskWhileDrawing)} / ${Math.round(r5.longestTaskWhileDrawing)} ms)`],
    ['first marks painted ≤ 500 ms after the worker answers', r1.firstMarksPainted <= 500 && r5.firstMarksPainted <= 500,
      `${Math.round(r1.firstMarksPainted)} / ${Math.round(r5.firstMarksPainted)} ms`],
    ['whole render of 5 MB ≤ 10 s', r5.drawn <= 10_000, `${(r5.drawn / 1e3).toFixed(1)} s`],
  ];
}

if (process.argv.includes('--render')) {
  // `node bench/run.mjs --render`: the big-paste figures alone (a minute instead of several).
  buildCorpus();
  const { chromium, render } = await runRender(log);
  const lines = [`pressmark render bench — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Chromium ${chromium}, load average ${os.loadavg()[0].toFixed(1)}`, ''];
  lines.push(...renderLines(render), '', 'Targets');
  for (const [what, ok, value] of renderTargets(render)) lines.push(`  ${ok ? 'met   ' : 'MISSED'}  ${what.padEnd(62)} ${value}`);
  console.log(lines.join('\n'));
  writeFileSync(path.join(REPO, 'bench', 'render-results.json'), JSON.stringify({ date: new Date().toISOString(), chromium, render }, null, 1));
  process.exit(0);
}

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: REPO, env: { ...process.env, ...env }, encoding: 'utf8',
    maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`bench: \`${cmd} ${args.join(' ')}\` failed (exit ${r.status ?? r.signal})`);
  return r.stdout;
}

// ---- 0. inputs ------------------------------------------------------------------------------------
const wasmFile = path.join(REPO, 'www', 'pkg', 'pressmark_bg.wasm');
if (!existsSync(wasmFile)) throw new Error('bench: www/pkg is missing: run `npm run build` first (npm run bench does)');
const load0 = os.loadavg();
log(`assembling the texts from ../shared into ${path.relative(REPO, CORPUS_DIR)}/`);
const { texts, articles } = buildCorpus();
const bytes = Object.fromEntries(TEXTS.map((n) => [n, bytesOf(texts[n])]));

// ---- 1. native (cargo bench) -----------------------------------------------------------------------
log('native: cargo bench --bench native (compiles the first time, ~1.5 min)');
const nativeOut = run('cargo', ['bench', '--quiet', '--bench', 'native'], { PRESSMARK_BENCH_CORPUS: CORPUS_DIR });
const nativeLine = nativeOut.split('\n').find((l) => l.startsWith('PRESSMARK_BENCH_JSON '));
if (!nativeLine) throw new Error('bench: the native bench printed no result line');
const native = JSON.parse(nativeLine.slice('PRESSMARK_BENCH_JSON '.length));

// ---- 2. compromise (Node, own process) -----------------------------------------------------------
log('compromise: in Node, same texts (1 MB takes ~20 s)');
const peer = JSON.parse(run(process.execPath, ['--max-old-space-size=4096', 'bench/compromise.mjs']).trim().split('\n').pop());

// ---- 3. Chromium ----------------------------------------------------------------------------------
log('wasm: headless Chromium (startup, throughput, paste → paint, memory)');
const browser = await runBrowser(log);

// ---- 4. sizes -------------------------------------------------------------------------------------
const sizeOf = (file) => {
  const buf = readFileSync(path.join(REPO, file));
  return { file, raw: buf.length, gzip: gzipBytes(buf), brotli: brotliBytes(buf) };
};
const sizes = {
  wasm: sizeOf('www/pkg/pressmark_bg.wasm'),
  glue: sizeOf('www/pkg/pressmark.js'),
  model: sizeOf('src/entity/names.model'),
  res: sizeOf('src/entity/names.res'),
};
const transfer = browser.startup.transfer;
const pageGzip = transfer.reduce((s, f) => s + f.gzip, 0);
const pageBrotli = transfer.reduce((s, f) => s + f.brotli, 0);
const pageRaw = transfer.reduce((s, f) => s + f.raw, 0);
const load1 = os.loadavg();

// ---- 5. figures -----------------------------------------------------------------------------------
const med = (xs) => stats(xs).median;
const rows = TEXTS.map((name) => {
  const nMs = med(native[name].full_ms);
  const wMs = med(browser.throughput[name].ms);
  const p = peer.texts[name];
  const cMs = p.ms ? med(p.ms) : null;
  return {
    text: name, bytes: bytes[name],
    native: { ms: nMs, mbps: bytes[name] / MB / (nMs / 1e3), coreMbps: bytes[name] / MB / (med(native[name].core_ms) / 1e3) },
    wasm: { ms: wMs, mbps: bytes[name] / MB / (wMs / 1e3) },
    compromise: cMs === null ? { skipped: p.skipped } : { ms: cMs, mbps: bytes[name] / MB / (cMs / 1e3) },
    ratio: cMs === null ? null : { wasm: cMs / wMs, native: cMs / nMs },
    found: { wasm: { entities: browser.throughput[name].entities, quotes: browser.throughput[name].quotes }, compromise: p.found ?? null },
  };
});
const art = {
  native: stats(native.articles.full_ms),
  wasm: stats(browser.throughput.articles.ms),
  compromise: stats(peer.articles.ms),
};
const paint = {
  marks: stats(browser.paint.map((r) => r.marks)),
  frame: stats(browser.paint.map((r) => r.frame)),
  afterPaint: stats(browser.paint.map((r) => r.afterPaint)),
};
const startup = stats(browser.startup.runs.map((r) => r.firstMarks));
// The start-up's steps (median ms after navigation, per step), printed in time order.
const STARTUP_STEPS = [
  ['html', 'HTML received'], ['wasmDownloaded', 'wasm downloaded'], ['boot', 'boot.js runs'],
  ['compiled', 'wasm compiled'], ['main', 'main.js runs'], ['domContentLoaded', 'DOMContentLoaded'],
  ['workerCreated', 'worker created'], ['worker', 'worker.js runs'], ['instantiated', 'wasm instantiated'],
  ['sample', 'sample loaded'], ['warm', 'names model loaded (warm-up)'], ['started', 'page told: ready'],
  ['annotated', 'sample annotated'], ['shown', 'result in the view'],
];
const startupSteps = STARTUP_STEPS.map(([key, what]) => {
  const xs = browser.startup.runs.map((r) => r.phases?.[key]).filter((x) => typeof x === 'number');
  return { key, what, median: xs.length ? stats(xs).median : null };
}).filter((s) => s.median !== null).sort((a, b) => a.median - b.median);
const dcl = stats(browser.startup.runs.map((r) => r.domContentLoaded));
const streamingOk = browser.served.wasmContentType === 'application/wasm'
  && browser.startup.wasm?.contentType === 'application/wasm'
  && browser.startup.runs.every((r) => r.streamingFallbackWarnings.length === 0);
const mem10 = browser.memory['10mb'];
const mem1 = browser.memory['1mb'];
const memRatio = mem10.memoryAfter / bytes['10mb'];
const articleBytes = articles.map(bytesOf);

const row = (name) => rows.find((r) => r.text === name);
const targets = [
  ['wasm in Chromium ≥ 10 MB/s (10 MB text)', row('10mb').wasm.mbps >= 10, `${row('10mb').wasm.mbps.toFixed(1)} MB/s`],
  ['wasm ≥ 100× compromise on the same text (1 MB; per article)', row('1mb').ratio.wasm >= 100 && art.compromise.median / art.wasm.median >= 100,
    `${row('1mb').ratio.wasm.toFixed(0)}× on 1 MB; ${(art.compromise.median / art.wasm.median).toFixed(0)}× per 5 KB article`],
  ['native ≥ 20 MB/s (10 MB text)', row('10mb').native.mbps >= 20, `${row('10mb').native.mbps.toFixed(1)} MB/s`],
  ['5 KB article, paste → painted marks < 20 ms (median)', paint.frame.median < 20, `median ${paint.frame.median.toFixed(1)} ms, p95 ${paint.frame.p95.toFixed(1)} ms`],
  ['linear cost: wasm MB/s at 10 MB ≥ ½ of 10 KB', row('10mb').wasm.mbps >= 0.5 * row('10kb').wasm.mbps,
    `${row('10kb').wasm.mbps.toFixed(1)} → ${row('1mb').wasm.mbps.toFixed(1)} → ${row('10mb').wasm.mbps.toFixed(1)} MB/s`],
  ['peak wasm memory ≤ 10× input (10 MB)', memRatio <= 10, `${(mem10.memoryAfter / MB).toFixed(0)} MB = ${memRatio.toFixed(1)}× input`],
  ['whole page ≤ 1 MB gzipped', pageGzip <= 1e6, `${(pageGzip / 1e3).toFixed(0)} kB`],
  ['wasm ≤ 800 kB gzipped (download and compile time)', sizes.wasm.gzip <= 800e3, `${(sizes.wasm.gzip / 1e3).toFixed(0)} kB`],
  ['startup: navigation → sample annotated ≤ 300 ms (median)', startup.median <= 300, `median ${startup.median.toFixed(0)} ms, p95 ${startup.p95.toFixed(0)} ms`],
  ['wasm served as application/wasm, streaming instantiation', streamingOk, browser.served.wasmContentType],
  ...renderTargets(browser.render),
];

// ---- 6. the table ---------------------------------------------------------------------------------
const f = (x, d = 1) => (x === null || x === undefined ? '—' : x.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d }));
const kB = (n) => `${(n / 1e3).toLocaleString('en', { maximumFractionDigits: 1 })} kB`;
const pad = (s, n, left = false) => (left ? String(s).padEnd(n) : String(s).padStart(n));
const lines = [];
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
lines.push(`pressmark benchmark — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpu}, ${os.cpus().length} cores, load average ${load0[0].toFixed(1)} at start / ${load1[0].toFixed(1)} at end`);
lines.push(`Chromium ${browser.chromium} (headless; page → module worker → wasm → JSON text → page), ${peer.engine}, compromise ${peer.version} (run in Node)`);
lines.push('');
lines.push('Throughput, MB/s (MB = 10^6 bytes of UTF-8; median of runs) and ratio pressmark/compromise on the same text');
lines.push(`${pad('text', 8, true)}${pad('bytes', 12)}${pad('native', 10)}${pad('wasm', 10)}${pad('compromise', 12)}${pad('wasm/cmp', 10)}${pad('native/cmp', 12)}`);
for (const r of rows) {
  lines.push(`${pad(r.text, 8, true)}${pad(r.bytes.toLocaleString('en'), 12)}${pad(f(r.native.mbps), 10)}${pad(f(r.wasm.mbps), 10)}`
    + `${pad(r.compromise.skipped ? 'not run' : f(r.compromise.mbps, 3), 12)}${pad(r.ratio ? `${f(r.ratio.wasm, 0)}×` : '—', 10)}${pad(r.ratio ? `${f(r.ratio.native, 0)}×` : '—', 12)}`);
}
lines.push('');
lines.push(`Per 5 KB article (${articles.length} PolNeAR articles, ${Math.min(...articleBytes)}–${Math.max(...articleBytes)} bytes), ms`);
lines.push(`${pad('', 44, true)}${pad('median', 9)}${pad('p95', 9)}`);
lines.push(`${pad('native (annotate + JSON)', 44, true)}${pad(f(art.native.median, 2), 9)}${pad(f(art.native.p95, 2), 9)}`);
lines.push(`${pad('wasm, page → worker → page', 44, true)}${pad(f(art.wasm.median, 2), 9)}${pad(f(art.wasm.p95, 2), 9)}`);
lines.push(`${pad('compromise (Node)', 44, true)}${pad(f(art.compromise.median, 1), 9)}${pad(f(art.compromise.p95, 1), 9)}`);
lines.push(`${pad('ratio compromise/wasm', 44, true)}${pad(`${f(art.compromise.median / art.wasm.median, 0)}×`, 9)}${pad(`${f(art.compromise.p95 / art.wasm.p95, 0)}×`, 9)}`);
lines.push(`${pad(`paste → marks in the view (${browser.paint.length} pastes)`, 44, true)}${pad(f(paint.marks.median), 9)}${pad(f(paint.marks.p95), 9)}`);
lines.push(`${pad('paste → next frame (rAF): painted', 44, true)}${pad(f(paint.frame.median), 9)}${pad(f(paint.frame.p95), 9)}`);
lines.push(`${pad('paste → first task after that paint', 44, true)}${pad(f(paint.afterPaint.median), 9)}${pad(f(paint.afterPaint.p95), 9)}`);
lines.push('');
lines.push(`Startup (${browser.startup.runs.length} cold loads): navigation → sample's marks painted, median ${f(startup.median, 0)} ms, p95 ${f(startup.p95, 0)} ms `
  + `(DOMContentLoaded median ${f(dcl.median, 0)} ms); `
  + `wasm served as ${browser.served.wasmContentType}, streaming instantiation ${streamingOk ? 'used (no fallback warning)' : 'NOT used'}`);
lines.push(`  steps, median ms after navigation: ${startupSteps.map((s) => `${s.what} ${f(s.median, 0)}`).join(' · ')} · marks painted ${f(startup.median, 0)}`);
const startupWithoutLoad = browser.startup.runs.map(paintedWithoutModelLoad).filter((x) => x !== null);
if (startupWithoutLoad.length) {
  lines.push(`  if the names model's load took no time (each load's painted − its instantiated → warm): median ${f(stats(startupWithoutLoad).median, 0)} ms`);
}
lines.push(`Memory: wasm linear memory after annotating 10 MB ${f(mem10.memoryAfter / MB, 0)} MB (${f(memRatio)}× input; ${f(mem10.memoryBefore / MB, 1)} MB before); `
  + `after 1 MB ${f(mem1.memoryAfter / MB, 0)} MB (${f(mem1.memoryAfter / bytes['1mb'])}×). Same call without messaging: 10 MB in ${f(mem10.ms, 0)} ms = ${f(bytes['10mb'] / MB / (mem10.ms / 1e3))} MB/s`);
lines.push('');
lines.push(...renderLines(browser.render));
lines.push('');
lines.push('Size (bytes)                               raw       gzip     brotli');
for (const [label, s] of [['wasm  www/pkg/pressmark_bg.wasm', sizes.wasm], ['glue  www/pkg/pressmark.js', sizes.glue],
  ['model src/entity/names.model (in wasm)', sizes.model], ['model src/entity/names.res (in wasm)', sizes.res]]) {
  lines.push(`${pad(label, 38, true)}${pad(s.raw.toLocaleString('en'), 11)}${pad(s.gzip.toLocaleString('en'), 11)}${pad(s.brotli.toLocaleString('en'), 11)}`);
}
lines.push(`${pad(`page: all ${transfer.length} files it loads`, 38, true)}${pad(pageRaw.toLocaleString('en'), 11)}${pad(pageGzip.toLocaleString('en'), 11)}${pad(pageBrotli.toLocaleString('en'), 11)}`);
lines.push('');
lines.push('Targets');
for (const [what, ok, value] of targets) lines.push(`  ${ok ? 'met   ' : 'MISSED'}  ${pad(what, 62, true)} ${value}`);
const quotesFound = rows.reduce((s, r) => s + r.found.wasm.quotes, 0);
if (quotesFound === 0) lines.push('  note: pressmark found 0 quotes in every text: quote extraction is not in this build, so its cost is not in these figures');

console.log(lines.join('\n'));

const results = {
  date: new Date().toISOString(), machine: { cpu, cores: os.cpus().length, loadavg: { start: load0, end: load1 } },
  texts: Object.fromEntries(TEXTS.map((n) => [n, { bytes: bytes[n] }])), articleBytes,
  rows, articles: art, paint, startup, startupSteps, domContentLoaded: dcl, streamingOk, targets: targets.map(([what, met, value]) => ({ what, met, value })),
  sizes, page: { files: transfer, raw: pageRaw, gzip: pageGzip, brotli: pageBrotli },
  raw: { native, compromise: peer, browser },
};
writeFileSync(path.join(REPO, 'bench', 'results.json'), JSON.stringify(results, null, 1));
log(`raw numbers in bench/results.json`);
