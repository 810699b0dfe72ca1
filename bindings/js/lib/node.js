// The package's Node entry ("exports" → "node"), Node ≥ 20. createAnnotator() runs the wasm in a
// worker_thread (node-worker.js), which keeps the process alive only while it starts or has work;
// annotateSync() loads the wasm on the calling thread, synchronously, on first use.
import { Worker } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { WorkerAnnotator } from './client.js';
import { PressmarkError, checkText, resolveOptions, LAYERS, OFFSET_UNITS, MAX_TEXT_BYTES } from './options.js';
import { annotateJson, loadWasmSync, warmUp } from './core.js';

export { PressmarkError, LAYERS, OFFSET_UNITS, MAX_TEXT_BYTES };

const wasmUrl = new URL('./pressmark_bg.wasm', import.meta.url);
let compiled = null; // Promise<WebAssembly.Module>, shared by every worker

/** The process's Node flags for the worker, which inherits them, except --input-type: a worker
 *  started from a file refuses it ("can only be used with string input"), so a script run with
 *  `node --input-type=module -e …` could not start one. */
function workerExecArgv() {
  const out = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const arg = process.execArgv[i];
    if (arg === '--input-type') i++; // and its value
    else if (!arg.startsWith('--input-type=')) out.push(arg);
  }
  return out;
}

function spawn({ message, error }) {
  const worker = new Worker(new URL('./node-worker.js', import.meta.url), { execArgv: workerExecArgv() });
  let ended = false;
  worker.on('message', message);
  worker.on('error', (err) => { ended = true; error(`the annotator failed: ${err?.message ?? err}`); });
  worker.on('exit', (code) => { if (!ended) error(`the annotator's worker exited (code ${code})`); });
  compiled ??= readFile(wasmUrl).then((bytes) => WebAssembly.compile(bytes));
  compiled.then(
    (module) => worker.postMessage({ type: 'module', module }),
    (err) => { ended = true; worker.terminate(); error(`cannot load ${wasmUrl.pathname}: ${err.message}`); },
  );
  return {
    post: (m) => worker.postMessage(m),
    terminate: () => { ended = true; return worker.terminate(); },
    ref: () => worker.ref(),
    unref: () => worker.unref(),
  };
}

/** Starts an annotator in a worker_thread; resolves once it has loaded the wasm. */
export async function createAnnotator(options = {}) {
  const annotator = new WorkerAnnotator(spawn, options);
  await annotator.ready;
  return annotator;
}

let loaded = false;

function loadSync() {
  if (loaded) return;
  loadWasmSync(readFileSync(wasmUrl));
  warmUp();
  loaded = true;
}

/** Loads the wasm now (annotateSync() otherwise does on first use). Resolves when done. */
export async function init() {
  loadSync();
}

/** Annotates on the calling thread; loads the wasm synchronously on first use (compiles the module
 *  and loads the names model: bench/package.mjs prints how long). */
export function annotateSync(text, options = {}) {
  const resolved = resolveOptions(options);
  checkText(text);
  loadSync();
  return JSON.parse(annotateJson(text, resolved));
}
