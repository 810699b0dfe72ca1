// Node's worker_thread that owns the wasm (started by node.js), so the caller's event loop never
// blocks. Its first message is the wasm compiled by node.js ({type: 'module', module}); then
// requests and replies as core.js's serve() lists them.
import { parentPort } from 'node:worker_threads';
import { loadWasm, serve } from './core.js';

let moduleFromCaller;
const loaded = new Promise((resolve) => { moduleFromCaller = resolve; }).then((module) => loadWasm(module));
const handle = serve(loaded, (message) => parentPort.postMessage(message));

parentPort.on('message', (data) => {
  if (data?.type === 'module') moduleFromCaller(data.module);
  else handle(data);
});
