// A tiny app that uses the installed package, bundled by esbuild in tests/package/bundle.test.mjs
// and run in headless Chromium. window.outcome resolves with what it saw.
import { createAnnotator, annotateSync, init, PressmarkError } from 'pressmark';

const codeOf = (err) => (err instanceof PressmarkError ? err.code : `not a PressmarkError: ${err}`);

window.outcome = (async () => {
  const text = await (await fetch('./seed.txt')).text();
  const annotator = await createAnnotator();
  const doc = await annotator.annotate(text);
  const quotes = await annotator.annotate(text, { offsets: 'codepoint', layers: ['quotes'] });
  const notString = await annotator.annotate(42).then(() => 'resolved', codeOf);
  let beforeInit = 'no error';
  try { annotateSync(text); } catch (err) { beforeInit = codeOf(err); }
  await init();
  const sync = annotateSync(text);
  await annotator.close();
  return { text, doc, quotes, notString, beforeInit, sync };
})();
