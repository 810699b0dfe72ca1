// The browser's module Web Worker that owns the wasm (started by browser.js), so the page's thread
// never blocks. Its first message is the wasm compiled by the page ({type: 'module', module}), or
// why the page could not compile it ({type: 'module', error}: then the worker fetches it through
// the glue, which falls back to a plain compile when the server sends another MIME type). Then
// requests and replies as core.js's serve() lists them.
// Marks in this worker's performance timeline (read by the bench): pm:worker (this script runs),
// pm:instantiated, pm:warm (the names model loaded), pm:annotated (the first request done).
import { loadWasm, serve } from './core.js';
// core.js's own imports, named here too so that the worker requests its whole module graph in one
// round trip after this file (a worker has no <link rel="modulepreload">): the model's load is on
// the page's start-up path, and each level of imports was one more round trip before it.
import './pressmark.js';
import './options.js';

performance.mark('pm:worker');

let moduleFromPage;
const loaded = new Promise((resolve) => { moduleFromPage = resolve; })
  .then((module) => loadWasm(module ?? undefined))
  .then(() => performance.mark('pm:instantiated'));
const handle = serve(loaded, (message) => self.postMessage(message));

self.onmessage = ({ data }) => {
  if (data?.type === 'module') moduleFromPage(data.module instanceof WebAssembly.Module ? data.module : null);
  else handle(data);
};
