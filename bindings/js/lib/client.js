// The caller's side of an annotator's worker, the same for a browser's Web Worker (browser.js) and
// a Node worker_thread (node.js), which each pass a spawn() that starts one: requests by id, and
// a new worker when one crashes (a wasm trap leaves its state unknown) or a request is aborted
// (the only way to stop the wasm mid-text). Requests still waiting are sent to the new worker.
import { PressmarkError, checkText, resolveOptions, MAX_TEXT_BYTES } from './options.js';

/** A worker that cannot start this many times in a row is given up: every request then fails. */
const MAX_FAILED_STARTS = 3;

/**
 * The annotator createAnnotator() resolves with. Events: 'restart' (CustomEvent, detail
 * `{reason: 'crash' | 'abort', code?, message?}`) when a new worker replaced the old one.
 */
export class WorkerAnnotator extends EventTarget {
  #spawn;
  #defaults;
  #worker = null; // {port, isReady, ready: Promise}
  #pending = new Map(); // id → {message, done, parts?, partsCount?} (parts: a big result's pieces so far)
  #nextId = 1;
  #failedStarts = 0;
  #hadReady = false; // a worker of this annotator has loaded the wasm
  #broken = null; // the PressmarkError every request gets once no worker could start
  #closed = false;
  /** The core's limit in bytes of UTF-8; longer texts are refused before they reach the worker. */
  maxTextBytes = MAX_TEXT_BYTES;

  /** spawn({message(data), error(text)}) → {post(message), terminate(), ref?(), unref?()}. */
  constructor(spawn, defaults = {}) {
    super();
    resolveOptions(defaults); // throws ERR_INVALID_OPTION now rather than on every request
    this.#spawn = spawn;
    this.#defaults = { offsets: defaults.offsets, layers: defaults.layers && [...defaults.layers] };
    this.#start();
  }

  /** Resolves when the current worker has loaded the wasm; rejects (ERR_LOAD) if it cannot. */
  get ready() {
    return this.#worker?.ready ?? Promise.reject(this.#broken ?? closedError());
  }

  #start() {
    const worker = { port: null, isReady: false, ready: null, settle: null };
    worker.ready = new Promise((resolve, reject) => { worker.settle = { resolve, reject }; });
    worker.ready.catch(() => {});
    worker.port = this.#spawn({
      message: (data) => this.#receive(worker, data),
      error: (message) => this.#fail(worker, null, worker.isReady ? 'ERR_CRASHED' : 'ERR_LOAD', message),
    });
    this.#worker = worker;
    this.#keepAlive();
    for (const request of this.#pending.values()) {
      request.parts = request.partsCount = undefined; // pieces from the worker replaced: it sends them again
      worker.port.post(request.message);
    }
  }

  #receive(worker, data) {
    if (worker !== this.#worker) return; // from a worker already replaced
    if (data?.type === 'ready') {
      worker.isReady = true;
      this.#hadReady = true;
      this.#failedStarts = 0;
      if (Number.isInteger(data.maxTextBytes)) this.maxTextBytes = data.maxTextBytes;
      worker.settle.resolve();
      this.#keepAlive();
      return;
    }
    if (data?.type === 'error' && data.fatal) {
      this.#fail(worker, data.id, data.code, data.message);
      return;
    }
    const request = this.#pending.get(data?.id);
    if (!request) return; // aborted meanwhile
    if (data.type === 'result' || data.type === 'piece') {
      // A big result comes as pieces and then its head, one message each, so each JSON.parse is
      // its own short task on this thread (see serve() in core.js); the document resolves whole.
      let doc;
      try {
        if (data.type === 'piece') {
          request.parts ??= new Map(); // key → the elements so far
          if (!request.parts.has(data.key)) request.parts.set(data.key, []);
          const items = request.parts.get(data.key);
          for (const item of JSON.parse(data.json)) items.push(item);
          request.partsCount = (request.partsCount ?? 0) + 1;
          return;
        }
        doc = JSON.parse(data.json);
        if ((data.pieces ?? 0) !== (request.partsCount ?? 0)) throw new Error(`${request.partsCount ?? 0} of ${data.pieces} pieces came`);
        for (const [key, items] of request.parts ?? []) {
          if (!Array.isArray(doc[key])) throw new Error(`pieces for "${key}", which the result has no list for`);
          doc[key] = items; // the head holds it empty, in its place among the keys
        }
      } catch (err) {
        request.done(null, new PressmarkError('ERR_INTERNAL', `the result could not be read: ${err.message}`));
        return;
      }
      request.done(doc);
    } else {
      request.done(null, new PressmarkError(data.code ?? 'ERR_INTERNAL', data.message));
    }
  }

  /** The worker failed: it is ended; the request that made it fail (or, not knowing which, all of
   *  them) is rejected, and a new worker takes the others, unless workers keep failing to start. */
  #fail(worker, id, code, message) {
    if (worker !== this.#worker) return;
    worker.port.terminate();
    this.#worker = null;
    const error = new PressmarkError(code ?? 'ERR_CRASHED', message ?? 'the annotator stopped');
    worker.settle.reject(error);
    if (id != null) this.#pending.get(id)?.done(null, error);
    else for (const request of this.#pending.values()) request.done(null, error);
    this.#failedStarts = worker.isReady ? 0 : this.#failedStarts + 1;
    // The first worker failing to start is createAnnotator's failure (the package's files cannot
    // be loaded here); later ones may be passing trouble, so they are retried a few times.
    if (!this.#hadReady || this.#failedStarts >= MAX_FAILED_STARTS) {
      this.#broken = error;
      for (const request of this.#pending.values()) request.done(null, error);
      return;
    }
    this.#start();
    this.dispatchEvent(new CustomEvent('restart', { detail: { reason: 'crash', code: error.code, message: error.message } }));
  }

  /**
   * Annotates text in the worker; resolves with the document (the wire schema of src/output.rs).
   * Rejects with a PressmarkError (`code`), or the signal's reason (an 'AbortError' DOMException)
   * when `options.signal` aborts: the worker is then ended, so the wasm stops, and a new one starts.
   */
  annotate(text, options = {}) {
    return new Promise((resolve, reject) => {
      if (this.#closed) throw closedError();
      if (this.#broken) throw this.#broken;
      const { codePoints, layers } = resolveOptions(options, this.#defaults);
      checkText(text, this.maxTextBytes);
      const signal = options.signal;
      if (signal !== undefined && !(signal instanceof AbortSignal)) {
        throw new PressmarkError('ERR_INVALID_OPTION', 'signal must be an AbortSignal');
      }
      signal?.throwIfAborted();
      const id = this.#nextId++;
      const onAbort = () => {
        request.done(null, signal.reason ?? abortError());
        // the worker may be busy with this very text: end it (a worker still loading is kept)
        if (this.#worker?.isReady) {
          this.#worker.port.terminate();
          this.#start();
          this.dispatchEvent(new CustomEvent('restart', { detail: { reason: 'abort' } }));
        }
      };
      const request = {
        message: { type: 'annotate', id, text, codePoints, layers },
        done: (doc, err) => {
          if (!this.#pending.delete(id)) return;
          signal?.removeEventListener('abort', onAbort);
          this.#keepAlive();
          if (err) reject(err);
          else resolve(doc);
        },
      };
      this.#pending.set(id, request);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#keepAlive();
      this.#worker.port.post(request.message);
    });
  }

  /** Ends the worker; requests still waiting reject with ERR_CLOSED. Safe to call twice. */
  async close() {
    if (this.#closed) return;
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = null;
    worker?.settle.reject(closedError());
    for (const request of this.#pending.values()) request.done(null, closedError());
    await worker?.port.terminate();
  }

  /** Node: the worker keeps the process alive only while it starts or has work (ref/unref). */
  #keepAlive() {
    const worker = this.#worker;
    if (!worker?.port.ref) return;
    if (!worker.isReady || this.#pending.size > 0) worker.port.ref();
    else worker.port.unref();
  }
}

const closedError = () => new PressmarkError('ERR_CLOSED', 'the annotator is closed');
const abortError = () => new DOMException('the annotation was aborted', 'AbortError');
