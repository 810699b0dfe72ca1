// The page's annotator: the npm package's (bindings/js, started by www/boot.js) in the shape the
// page uses: annotate(text, {signal}) → {result, ms}, AnnotatorError with `fatal` (the worker
// crashed and was restarted), events 'ready' and 'failure' ({message, restarting}), `started`,
// `maxTextBytes`. The package owns the worker and the wasm; this file only adapts.
import { MAX_TEXT_BYTES } from './pkg/browser.js';

export class AnnotatorError extends Error {
  constructor(message, { fatal = false, code = undefined } = {}) {
    super(message);
    this.name = 'AnnotatorError';
    this.fatal = fatal; // the worker failed and was restarted
    this.code = code; // the package's PressmarkError code
  }
}

export class Annotator extends EventTarget {
  #annotator = null;
  maxTextBytes = MAX_TEXT_BYTES;
  /** Resolves when the first worker is ready; rejects if none could start. */
  started;

  /** `starting`: the package's createAnnotator() promise. */
  constructor(starting) {
    super();
    this.started = starting.then((annotator) => {
      this.#annotator = annotator;
      this.maxTextBytes = annotator.maxTextBytes;
      annotator.addEventListener('restart', (ev) => {
        if (ev.detail.reason === 'crash') {
          this.dispatchEvent(new CustomEvent('failure', { detail: { message: ev.detail.message, restarting: true } }));
        }
      });
      queueMicrotask(() => this.dispatchEvent(new Event('ready')));
    }, (err) => {
      // after the current script has run, so whoever created the Annotator listens by then
      queueMicrotask(() => this.dispatchEvent(new CustomEvent('failure', { detail: { message: err.message, restarting: false } })));
      throw new AnnotatorError(err.message, { fatal: true, code: err.code });
    });
    this.started.catch(() => {});
  }

  /** Annotates text in the worker; resolves with {result, ms}. Rejects with an AnnotatorError, or
   *  an 'AbortError' when `signal` aborts (the package then ends the worker and starts another). */
  async annotate(text, { signal } = {}) {
    await this.started;
    const t0 = performance.now();
    try {
      const result = await this.#annotator.annotate(text, { signal });
      return { result, ms: performance.now() - t0 };
    } catch (err) {
      if (err?.name === 'AbortError') throw err;
      const message = err.code === 'ERR_TEXT_TOO_LARGE' // "the text is 21.0 MB; the limit is 20 MB"
        ? `${err.message[0].toUpperCase()}${err.message.slice(1)}. Split it and annotate the parts.`
        : err.message;
      throw new AnnotatorError(message, { fatal: err.code === 'ERR_CRASHED', code: err.code });
    }
  }
}
