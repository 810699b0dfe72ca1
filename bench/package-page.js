// Bench-only page module for bench/package.mjs (served at /bench.js): the npm package's browser
// entry as a user's page would load it, timed from the createAnnotator() call.
import { createAnnotator } from '/lib/browser.js';

let annotator = null;

/** Starts an annotator and annotates `text`; ms from the createAnnotator() call. */
window.firstAnnotate = async (text) => {
  const t0 = performance.now();
  annotator = await createAnnotator();
  const ready = performance.now() - t0;
  const doc = await annotator.annotate(text);
  return { ready, first: performance.now() - t0, entities: doc.entities.length };
};

/** Each article annotated `passes` times (after one warm-up pass); ms per request. */
window.perArticle = async (articles, passes) => {
  for (const a of articles) await annotator.annotate(a);
  const ms = [];
  for (let pass = 0; pass < passes; pass++) {
    for (const a of articles) {
      const t0 = performance.now();
      await annotator.annotate(a);
      ms.push(performance.now() - t0);
    }
  }
  return ms;
};
