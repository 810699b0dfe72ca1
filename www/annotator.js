// The page's side of the worker (www/worker.js): request/response by id, and a new worker when the
// old one fails. The wasm may trap on a bug (a Rust panic aborts); the worker is then useless, so
// it is ended, every pending request is rejected with the reason, and a fresh worker starts.

const DEFAULT_MAX_TEXT_BYTES = 20 * 1024 * 1024; // the core's limit; the worker reports the real one
const MAX_FAILED_STARTS = 3; // stop restarting a worker that cannot even start (e.g. the wasm is missing)

/** Whether text is over `limit` bytes of UTF-8, without counting when the answer is plain. */
export function exceedsLimit(text, limit) {
  if (text.length > limit) return true; // every UTF-16 unit is at least one byte
  if (text.length * 3 <= limit) return false; // and at most three
  return utf8Length(text) > limit;
}

/** Bytes of UTF-8 that the wasm will see (a lone surrogate becomes U+FFFD, 3 bytes). */
export function utf8Length(text) {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { n += 4; i++; }
    else n += 3; // BMP, or a lone surrogate (which becomes U+FFFD, 3 bytes)
  }
  return n;
}

const abortError = () => new DOMException('the annotation was cancelled', 'AbortError');

export class AnnotatorError extends Error {
  constructor(message, { fatal = false } = {}) {
    super(message);
    this.name = 'AnnotatorError';
    this.fatal = fatal; // the worker failed and was restarted
  }
}

export class Annotator extends EventTarget {
  #url;
  #worker = null;
  #nextId = 1;
  #pending = new Map(); // id → {resolve, reject}
  #failedStarts = 0;
  #readyResolve = null;
  #readyReject = null;
  #isReady = false;
  maxTextBytes = DEFAULT_MAX_TEXT_BYTES;
  /** Resolves when the current worker has loaded the wasm. Replaced on restart. */
  ready;
  /** Resolves when the first worker is ready; rejects if none could start. Never replaced. */
  started;
  #startedResolve;
  #startedReject;

  /** `early`: a worker already started for url by www/boot.js, with the events it has sent so far
   *  ({worker, events}, from takeEarlyWorker()); without it the first worker is started here. */
  constructor(url, { early = null } = {}) {
    super();
    this.#url = url;
    this.started = new Promise((res, rej) => { this.#startedResolve = res; this.#startedReject = rej; });
    this.started.catch(() => {});
    this.#start(early);
  }

  #start(early = null) {
    let reject;
    this.ready = new Promise((res, rej) => { this.#readyResolve = res; reject = rej; });
    this.ready.catch(() => {}); // a failed start is reported through the 'failure' event
    this.#readyReject = reject;
    this.#isReady = false;
    const worker = early?.worker ?? new Worker(this.#url, { type: 'module' });
    this.#worker = worker;
    const onmessage = ({ data }) => this.#receive(worker, data);
    const onerror = (ev) => {
      ev.preventDefault();
      this.#fail(worker, ev.message ? `the annotator failed: ${ev.message}` : 'the annotator could not be loaded');
    };
    const onmessageerror = () => this.#fail(worker, 'the annotator sent a message that could not be read');
    worker.onmessage = onmessage;
    worker.onerror = onerror;
    worker.onmessageerror = onmessageerror;
    // What the early worker said before this Annotator existed: replayed once the current script
    // has run, so whoever created the Annotator has added its event listeners by then.
    const missed = early?.events ?? [];
    if (missed.length) {
      queueMicrotask(() => {
        for (const ev of missed) {
          if (ev.type === 'message') onmessage(ev);
          else if (ev.type === 'messageerror') onmessageerror(ev);
          else onerror(ev);
        }
      });
    }
  }

  #receive(worker, data) {
    if (worker !== this.#worker) return; // a message from a worker already replaced
    if (data.type === 'ready') {
      this.#failedStarts = 0;
      this.#isReady = true;
      if (Number.isInteger(data.maxTextBytes)) this.maxTextBytes = data.maxTextBytes;
      this.#readyResolve();
      this.#startedResolve();
      this.dispatchEvent(new Event('ready'));
      return;
    }
    if (data.type === 'error' && data.fatal) {
      this.#fail(worker, data.message);
      return;
    }
    const entry = this.#pending.get(data.id);
    if (!entry) return;
    this.#pending.delete(data.id);
    if (data.type === 'result') entry.resolve({ result: JSON.parse(data.json), ms: data.ms });
    else entry.reject(new AnnotatorError(data.message));
  }

  #fail(worker, message) {
    if (worker !== this.#worker) return;
    worker.terminate();
    this.#worker = null;
    for (const entry of this.#pending.values()) entry.reject(new AnnotatorError(message, { fatal: true }));
    this.#pending.clear();
    this.#readyReject(new AnnotatorError(message, { fatal: true }));
    // A worker that crashed on one text restarts every time; one that cannot even start, a few times.
    this.#failedStarts = this.#isReady ? 0 : this.#failedStarts + 1;
    const restarting = this.#failedStarts < MAX_FAILED_STARTS;
    this.dispatchEvent(new CustomEvent('failure', { detail: { message, restarting } }));
    if (restarting) this.#start();
    else this.#startedReject(new AnnotatorError(message, { fatal: true }));
  }

  /** Annotates text in the worker; resolves with {result, ms}. Rejects with an AnnotatorError,
   *  or with an error named 'AbortError' when `signal` aborts: the worker is then ended (the wasm
   *  cannot be interrupted mid-call) and a new one started; other pending requests are aborted too. */
  annotate(text, { signal } = {}) {
    if (signal?.aborted) return Promise.reject(abortError());
    if (exceedsLimit(text, this.maxTextBytes)) {
      return Promise.reject(new AnnotatorError(
        `This text is ${(utf8Length(text) / 1048576).toFixed(1)} MB; the limit is ${Math.floor(this.maxTextBytes / 1048576)} MB. Split it and annotate the parts.`));
    }
    if (!this.#worker) return Promise.reject(new AnnotatorError('the annotator is not running; reload the page', { fatal: true }));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => this.#abort();
      const done = (settle) => (value) => { signal?.removeEventListener('abort', onAbort); settle(value); };
      this.#pending.set(id, { resolve: done(resolve), reject: done(reject) });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#worker.postMessage({ type: 'annotate', id, text });
    });
  }

  /** Ends the busy worker, rejects what it was doing with AbortError, starts a new worker. */
  #abort() {
    if (!this.#worker || this.#pending.size === 0) return;
    this.#worker.terminate();
    this.#worker = null;
    for (const entry of this.#pending.values()) entry.reject(abortError());
    this.#pending.clear();
    this.#start();
  }
}
