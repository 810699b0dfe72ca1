// The first script the page runs (an async module script in <head>): it starts the annotator with
// the npm package's browser entry (www/pkg/ is bindings/js/lib/, copied by scripts/build.sh), whose
// createAnnotator() starts its worker and the wasm's download + compilation at once, while the rest
// of the page (style sheet, main.js and its modules, the sample article) is still arriving. The wasm
// comes from the <link rel="preload"> in index.html (same URL and mode, so no second download).
// main.js takes the annotator over through www/annotator.js.
import { createAnnotator } from './pkg/browser.js';

performance.mark('pm:boot');

/** The package's annotator, resolved once its worker has loaded the wasm. */
export const starting = createAnnotator();
starting.catch(() => {}); // reported by www/annotator.js ('failure')
