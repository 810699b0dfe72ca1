// The page: editor → worker → annotated view (drawn in pieces, www/view.js), side panel, details,
// filters, exports, the kept text, the theme and the phone layout.
// Test hook: window.pressmark = { ready, annotate(text) → Promise<result>, annotator, shown,
//   showResult(text, result) → Promise (the view, panel and exports without the core), view }.
// Marks in the page's performance timeline (read by bench/browser.mjs): pm:boot (www/boot.js),
// pm:compiled (the package's www/pkg/browser.js), pm:main (this module runs), pm:sample (the text
// is in the editor), pm:started (the worker is ready), pm:shown (the first text's result is drawn); for every annotation, pm:answer
// (the worker's result arrived), pm:first-marks (the first marks are in the view) and pm:drawn
// (every mark is).
import { starting } from './boot.js';
import { Annotator, AnnotatorError } from './annotator.js';
import { renderRange, splitChunks, quoteName } from './render.js';
import { ArticleView, ITEMS } from './view.js';
import { renderEntityLists, renderSpeakers, renderChart, speakerGroups, entityGroups, PANEL_LABELS } from './panel.js';
import { toJson, quotesToCsv, entitiesToCsv, citeQuote, toHtml } from './export.js';
import { LABELS, LABEL_NAME } from './labels.js';
import { loadText, saveText, forgetText } from './storage.js';
import { readArticle, ACCEPT } from './importer.js';

performance.mark('pm:main');
const $ = (id) => document.getElementById(id);
const input = $('input');
const viewEl = $('view');
const status = $('status');
const details = $('details');
const live = $('live');
const progress = $('progress');
const progressBar = $('progress-bar');
const progressLabel = $('progress-label');
$('file').accept = ACCEPT;

const LIVE_DELAY_MS = 350;
const LIVE_MAX_CHARS = 300_000; // above this, annotate on request only
const SAVE_DELAY_MS = 300;
// Above this many characters the text box is folded away (a textarea lays out all of its text:
// 0.6 s for 1 MB and 1.8 s for 5 MB here, and again on every key press) and big steps pause.
const BIG_TEXT = 200_000;
const pause = () => (globalThis.scheduler?.yield ? globalThis.scheduler.yield() : new Promise((r) => setTimeout(r, 0)));
const numberFormat = new Intl.NumberFormat('en');
const plural = (n, one, many = one + 's') => `${numberFormat.format(n)} ${n === 1 ? one : many}`;

// The package's annotator, started by boot.js from the page's head (worker + wasm compilation).
const annotator = new Annotator(starting);
const view = new ArticleView(viewEl);

/** What the view shows, once drawn: the text it was built from and its result. */
let shown = { text: '', result: null };
/** What the view is drawing (or shows): details and jumps read this one. */
let current = { text: '', result: null };
let linkedEntity = null; // entity_id whose mentions are marked, see markMentions()
let latestRequest = 0; // replies to older requests are dropped
let liveTimer = 0;
let job = null; // {controller, text}: the annotation or drawing that Cancel stops

function setStatus(message, kind = 'info') {
  status.textContent = message;
  status.dataset.kind = kind;
}

// ---- progress and Cancel ------------------------------------------------------------------------

/** Shows the progress line: 'annotating' (no figure yet) or 'drawing' with the fraction drawn. */
function showProgress(phase, fraction = 0) {
  progress.hidden = false;
  if (phase === 'annotating') {
    progressBar.removeAttribute('value');
    progressLabel.textContent = 'Annotating…';
  } else {
    const pct = Math.floor(fraction * 100);
    progressBar.value = pct;
    progressLabel.textContent = `Drawing the marks: ${pct} %`;
  }
}
function hideProgress() { progress.hidden = true; }

$('cancel').addEventListener('click', () => job?.controller.abort());

// ---- annotating -------------------------------------------------------------------------------

async function annotateNow() {
  clearTimeout(liveTimer);
  const text = getText();
  const request = ++latestRequest;
  // A big annotation still running is stopped (its worker is replaced); a small one just finishes.
  if (job && job.text.length > LIVE_MAX_CHARS) job.controller.abort();
  const controller = new AbortController();
  job = { controller, text };
  const slow = setTimeout(() => {
    if (request !== latestRequest) return;
    setStatus('Annotating…', 'busy');
    showProgress('annotating');
    viewEl.setAttribute('aria-busy', 'true');
  }, 150);
  try {
    const { result, ms } = await annotator.annotate(text, { signal: controller.signal });
    if (request !== latestRequest) return; // a newer text is on its way
    performance.mark('pm:answer');
    clearTimeout(slow);
    await present(text, result, ms, controller.signal, request);
  } catch (err) {
    if (request !== latestRequest) return;
    if (err?.name === 'AbortError') {
      setStatus('Cancelled. Your text is unchanged; press Annotate to annotate it.', 'info');
    } else if (err instanceof AnnotatorError && err.fatal) {
      setStatus(`The annotator stopped on this text (${err.message}). It has been restarted; your text is unchanged. Edit it or press Annotate to try again.`, 'error');
    } else {
      setStatus(err instanceof AnnotatorError ? err.message : `Could not annotate: ${err?.message ?? err}`, 'error');
    }
  } finally {
    clearTimeout(slow);
    if (request === latestRequest) {
      viewEl.removeAttribute('aria-busy');
      hideProgress();
      if (job?.controller === controller) job = null;
    }
  }
}

/** Draws text with its result into the view and the panel; resolves when every mark is drawn. */
async function present(text, result, ms, signal, request = ++latestRequest) {
  hideDetails();
  current = { text, result };
  linkedEntity = null;
  view.linked = null;
  viewEl.classList.remove('has-linked');
  // On a big result each step is tens of ms: the browser gets a turn between them.
  const big = text.length > BIG_TEXT;
  if (big) { await pause(); if (request !== latestRequest) return; }
  await updatePanel(big);
  if (request !== latestRequest) return;
  updateLegendCounts(result);
  if (big) { await pause(); if (request !== latestRequest) return; }
  let started = 0;
  const drawn = await view.show(text, result, {
    signal,
    onFirstMarks: () => performance.mark('pm:first-marks'),
    onProgress: (fraction) => {
      if (request !== latestRequest || fraction >= 1) return;
      if (!started++) { setStatus('Drawing the marks…', 'busy'); viewEl.setAttribute('aria-busy', 'true'); }
      showProgress('drawing', fraction);
    },
  });
  if (request !== latestRequest) return;
  performance.mark('pm:drawn');
  shown = current;
  if (!drawn && signal?.aborted) {
    setStatus('Stopped drawing the marks: the rest of the article is shown without them. Press Annotate to draw them all.', 'info');
    return;
  }
  const hasText = /\S/.test(text);
  const speakers = speakerGroups(result).filter((g) => g.speaker !== null).length;
  $('summary').textContent = hasText
    ? `${plural(result.entities.length, 'mention')} · ${plural(result.quotes.length, 'quote')} · ${plural(speakers, 'speaker')}`
    : '';
  const words = big ? await countWordsInSteps(text) : countWords(text);
  if (request !== latestRequest) return;
  setStatus(hasText
    ? `Annotated ${plural(words, 'word')} in ${ms < 1 ? '<1' : Math.round(ms)} ms: ${plural(result.entities.length, 'entity', 'entities')}, ${plural(result.quotes.length, 'quote')}.`
    : 'Paste or type an article to annotate it.', 'done');
}

/** countWords() in steps of 1M characters, with a pause between (5 MB: ~30 ms in one go). */
async function countWordsInSteps(text) {
  let n = 0;
  for (let from = 0; from < text.length; from += 1_000_000) {
    // A word cut by the step is counted once: only when it does not go on from the last step.
    n += countWords(text, from, Math.min(text.length, from + 1_000_000));
    await pause();
  }
  return n;
}

/** Words (runs of non-space) in text[from, to) that start there, without building an array of
 *  them (a 5 MB text has 800k). */
function countWords(text, from = 0, to = text.length) {
  let n = 0;
  let inWord = from > 0 && !isSpace(text.charCodeAt(from - 1));
  for (let i = from; i < to; i++) {
    const space = isSpace(text.charCodeAt(i));
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}
const isSpace = (c) => c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a);

function scheduleLive() {
  clearTimeout(liveTimer);
  if (!live.checked) return;
  if (getText().length > LIVE_MAX_CHARS) {
    setStatus('This is a long text: press Annotate when you are ready.', 'info');
    return;
  }
  liveTimer = setTimeout(annotateNow, LIVE_DELAY_MS);
}

annotator.addEventListener('failure', (ev) => {
  if (!ev.detail.restarting) {
    setStatus(`The annotator could not start (${ev.detail.message}). Reload the page to try again; your text is still in the box.`, 'error');
  }
});

// ---- the editor, and the text kept in this browser ----------------------------------------------

const editorCard = document.querySelector('.editor');
const folded = $('folded');

/** A big text while the box is folded: kept here, out of the box (see setText). */
let foldedText = null;
/** The text to annotate: the box's, or the folded one. */
const getText = () => foldedText ?? input.value;

/** Puts text in the box; a big text folds the box away (see BIG_TEXT) behind a short note and
 *  stays out of the textarea: a textarea lays out all of its text, and one that holds a big
 *  text it never laid out made every later style pass of the page slow (5 MB: 45 s instead of
 *  6 s to draw the marks, measured with bench/browser.mjs's render run). */
function setText(text) {
  const big = text.length > BIG_TEXT;
  editorCard.classList.toggle('folded', big);
  folded.hidden = !big;
  if (big) {
    if (document.activeElement === input) $('unfold').focus();
    foldedText = text;
    input.value = '';
    $('folded-text').textContent = `A long text is in the box: ${plural(text.length, 'character')}. `
      + 'It is kept folded, as a text box this long is slow to show and to type in. Press Annotate to mark it, or show it to edit it.';
  } else {
    foldedText = null;
    input.value = text;
  }
}
$('unfold').addEventListener('click', () => {
  if (foldedText === null) return;
  input.value = foldedText;
  foldedText = null;
  editorCard.classList.remove('folded');
  folded.hidden = true;
  input.focus();
});
// A big paste goes around the text box: the box would lay out all of it, in one long task.
input.addEventListener('paste', (ev) => {
  const pasted = ev.clipboardData?.getData('text/plain') ?? '';
  const { selectionStart: a, selectionEnd: b, value } = input;
  if (value.length - (b - a) + pasted.length <= BIG_TEXT) return; // the box's own paste, with its undo
  ev.preventDefault();
  setText(value.slice(0, a) + pasted + value.slice(b));
  keepText();
  scheduleLive();
});

let saveTimer = 0;
/** Keeps the editor's text in this browser's storage, a moment after the last change. */
function keepText(now = false) {
  clearTimeout(saveTimer);
  const save = () => saveText(getText());
  if (now) { saveTimer = 0; return save(); }
  saveTimer = setTimeout(() => { saveTimer = 0; save(); }, SAVE_DELAY_MS);
  return undefined;
}
// Leaving the tab writes at once what is still waiting (best effort: a closing page may not
// finish an IndexedDB write, so the wait above is short).
document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden' && saveTimer) keepText(true); });

input.addEventListener('input', () => { keepText(); scheduleLive(); });
input.addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); annotateNow(); }
  // Ctrl+Z in the emptied box brings back what Clear removed (the box's own undo cannot: it was set by script).
  if (ev.key === 'z' && (ev.ctrlKey || ev.metaKey) && !ev.shiftKey && input.value === '' && cleared !== null) {
    ev.preventDefault();
    undoClear();
  }
});
$('annotate').addEventListener('click', annotateNow);
live.addEventListener('change', () => { if (live.checked && getText() !== shown.text) scheduleLive(); });
$('load-sample').addEventListener('click', async () => { if (await loadSample()) { keepText(true); annotateNow(); } });

// Clear, with Undo (a toast for 10 s, or Ctrl+Z in the box).
let cleared = null;
let toastTimer = 0;
const toast = $('toast');
$('clear').addEventListener('click', () => {
  if (getText() === '') return;
  cleared = getText();
  setText('');
  forgetText();
  clearTimeout(saveTimer);
  $('toast-text').textContent = 'Text cleared.';
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { toast.hidden = true; }, 10_000);
  input.focus();
  annotateNow();
});
function undoClear() {
  if (cleared === null) return;
  setText(cleared);
  cleared = null;
  toast.hidden = true;
  keepText(true);
  input.focus();
  annotateNow();
}
$('undo').addEventListener('click', undoClear);

async function openFile(file) {
  if (!file) return;
  let text;
  try {
    text = await readArticle(file);
  } catch (err) {
    setStatus(err.message, 'error');
    return;
  }
  if (text.length > annotator.maxTextBytes) {
    setStatus(`“${file.name}” is ${(file.size / 1048576).toFixed(1)} MB; the limit is ${Math.floor(annotator.maxTextBytes / 1048576)} MB. Split it and annotate the parts.`, 'error');
    return;
  }
  setText(text);
  keepText(true);
  annotateNow();
}

$('file').addEventListener('change', (ev) => { openFile(ev.target.files[0]); ev.target.value = ''; });
const editor = document.querySelector('.editor');
editor.addEventListener('dragover', (ev) => {
  if (![...ev.dataTransfer.types].includes('Files')) return;
  ev.preventDefault();
  editor.classList.add('dropping');
});
editor.addEventListener('dragleave', () => editor.classList.remove('dropping'));
editor.addEventListener('drop', (ev) => {
  editor.classList.remove('dropping');
  if (!ev.dataTransfer.files.length) return; // dropped text: the textarea inserts it
  ev.preventDefault();
  openFile(ev.dataTransfer.files[0]);
});

/** The sample article's text (a promise; a failed fetch rejects). */
async function fetchSample() {
  const res = await fetch(new URL('./sample.txt', import.meta.url));
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.text();
}

/** Shows the sample article: `pending` is a fetch already under way (at start-up), else a new one. */
async function loadSample(pending = fetchSample()) {
  try {
    setText(await pending);
    return true;
  } catch (err) {
    setStatus(`The sample article could not be loaded (${err.message}). Paste an article instead.`, 'error');
    return false;
  }
}

// ---- legend and filters -----------------------------------------------------------------------

const hiddenTypes = new Set();

function buildLegend() {
  const legend = $('legend');
  const chip = (key, text) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'chip';
    button.dataset.filter = key;
    button.setAttribute('aria-pressed', 'true');
    const swatch = document.createElement('span');
    swatch.className = key === 'QUOTE' ? 'swatch quote-swatch' : 'swatch';
    swatch.dataset.label = key;
    swatch.setAttribute('aria-hidden', 'true');
    const count = document.createElement('span');
    count.className = 'count';
    button.append(swatch, text, ' ', count);
    button.addEventListener('click', () => {
      const show = hiddenTypes.has(key);
      if (show) hiddenTypes.delete(key); else hiddenTypes.add(key);
      button.setAttribute('aria-pressed', String(show));
      applyFilters();
    });
    return button;
  };
  for (const { label, plural: name } of LABELS) legend.append(chip(label, name));
  legend.append(chip('QUOTE', 'Quotes'));
  const tags = document.createElement('button');
  tags.type = 'button';
  tags.className = 'chip show-labels';
  tags.id = 'show-labels';
  tags.setAttribute('aria-pressed', 'false');
  tags.textContent = 'Type names';
  tags.addEventListener('click', () => {
    const on = tags.getAttribute('aria-pressed') !== 'true';
    tags.setAttribute('aria-pressed', String(on));
    viewEl.classList.toggle('show-labels', on);
  });
  legend.append(tags);
}

view.skip = (el) => {
  if (el.matches('mark[data-label]')) return hiddenTypes.has(el.dataset.label);
  return hiddenTypes.has('QUOTE');
};

function applyFilters() {
  for (const key of [...LABELS.map((l) => l.label), 'QUOTE']) viewEl.classList.toggle(`hide-${key}`, hiddenTypes.has(key));
  view.refreshCurrent();
}

function updateLegendCounts(result) {
  const counts = {};
  for (const e of result.entities) counts[e.label] = (counts[e.label] ?? 0) + 1;
  counts.QUOTE = result.quotes.length;
  for (const chip of document.querySelectorAll('#legend .chip[data-filter]')) {
    const n = counts[chip.dataset.filter] ?? 0;
    chip.querySelector('.count').textContent = numberFormat.format(n);
    chip.classList.toggle('none', n === 0);
  }
}

// ---- the side panel ---------------------------------------------------------------------------

const filterBox = $('panel-filter');

/** Fills the panel from the current result; `big`: a pause between its parts (a 5 MB result
 *  has 92k entities and 15k quotes to group: ~80 ms in one go). */
async function updatePanel(big = false) {
  const { text, result } = current;
  const query = filterBox.value;
  if (big) {
    // The groupings first, one at a time (each is cached for the lists below and the filter).
    for (const group of [...PANEL_LABELS.map((label) => () => entityGroups(result, label)), () => speakerGroups(result)]) {
      group();
      await pause();
      if (current.result !== result) return;
    }
  }
  const names = renderEntityLists($('entity-lists'), result, jumpToEntities, { query });
  if (big) { await pause(); if (current.result !== result) return; }
  const quotes = renderSpeakers($('speakers'), result, jumpToQuote, copyQuote, { query });
  if (big) { await pause(); if (current.result !== result) return; }
  renderChart($('chart'), speakerGroups(result));
  $('filter-count').textContent = query.trim() ? `${plural(names, 'name')} and ${plural(quotes, 'quote')} match.` : '';
  const has = /\S/.test(text);
  for (const id of ['export-json', 'export-csv', 'export-entities', 'export-html']) $(id).disabled = !has;
}

let filterTimer = 0;
filterBox.addEventListener('input', () => {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => { if (current.result) updatePanel(); }, 120);
});

async function copyQuote(quotation, speaker) {
  const cite = citeQuote(quotation.text, speaker, quotation.direct);
  try {
    await navigator.clipboard.writeText(cite);
    setStatus(`Copied: ${cite.length > 120 ? cite.slice(0, 119) + '…' : cite}`, 'done');
  } catch {
    setStatus('The browser did not allow copying to the clipboard.', 'error');
  }
}

// ---- details on hover and focus ---------------------------------------------------------------

const TARGETS = `${ITEMS}, .speaker-tag`;

function row(dl, term, value) {
  if (value === null || value === undefined || value === '') return;
  const dt = document.createElement('dt');
  dt.textContent = term;
  const dd = document.createElement('dd');
  dd.textContent = value;
  dl.append(dt, dd);
}

/** A normalised value (src/output.rs): an ISO date, {amount, currency}, or a number. */
function formatValue(e) {
  const v = e.value;
  if (v === undefined || v === null) return e.relative ? 'relative date (no dateline to resolve it)' : null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return e.label === 'PERCENT' ? `${numberFormat.format(v)}%` : numberFormat.format(v);
  if (typeof v === 'object' && typeof v.amount === 'number') {
    return v.currency ? `${numberFormat.format(v.amount)} ${v.currency}` : numberFormat.format(v.amount);
  }
  return null;
}

const percent = (c) => (typeof c === 'number' ? `${Math.round(c * 100)}%` : null);
const quoteKind = (q) => [q.direct ? 'direct' : 'reported speech', q.partial && 'partial', q.open_end && 'no closing mark', q.nested && 'inside another quote', q.headline && 'in the headline'].filter(Boolean).join(', ');
const speakerOf = (el) => (el.dataset.speakerOf ?? '').split(' ').filter(Boolean).map(Number);

function fillDetails(target) {
  const { result } = view.plan; // the result the marks on screen were drawn from
  const title = document.createElement('p');
  title.className = 'details-title';
  const dl = document.createElement('dl');
  if (target.matches('mark[data-entity]')) {
    const e = result.entities[Number(target.dataset.entity)];
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.dataset.label = e.label;
    title.append(swatch, `${LABEL_NAME[e.label] ?? e.label} (${e.label})`);
    row(dl, 'Text', e.text);
    const cluster = Array.isArray(result.entities_index) ? result.entities_index.find((c) => c.id === e.entity_id) : null;
    if (cluster && cluster.name !== e.text) row(dl, 'Refers to', cluster.name);
    if (cluster && cluster.mentions > 1) row(dl, 'Mentions', String(cluster.mentions));
    row(dl, 'Value', formatValue(e));
    row(dl, 'Confidence', percent(e.confidence));
    const quotes = speakerOf(target);
    if (quotes.length) row(dl, 'Speaker of', plural(quotes.length, 'quote'));
  } else if (target.matches('.speaker-ref')) {
    const quotes = speakerOf(target);
    const q = result.quotes[quotes[0]];
    title.textContent = 'Speaker mention';
    row(dl, 'Text', q.speaker.text);
    row(dl, 'Refers to', q.speaker_name);
    row(dl, 'Speaker of', plural(quotes.length, 'quote'));
  } else {
    const q = result.quotes[Number(target.dataset.quote)];
    title.textContent = quoteName(q);
    // The person the core resolved the speaker to, and the words the article names them with.
    row(dl, 'Speaker', q.speaker_name ?? (q.speaker ? 'not resolved to a name' : 'not attributed'));
    if (q.speaker) row(dl, 'Speaker mention', q.speaker.text);
    row(dl, 'Cue', q.cue?.text);
    row(dl, 'Kind', quoteKind(q));
    row(dl, 'Confidence', percent(q.confidence));
  }
  details.replaceChildren(title, dl);
}

let detailsFor = null;
let describedEl = null; // the one element whose description is the details box: the focused mark

function showDetails(target) {
  if (detailsFor === target) return;
  detailsFor = target;
  fillDetails(target);
  details.hidden = false;
  placeDetails();
}

/** Puts the details box under the first line of its target (above it near the window's bottom). */
function placeDetails() {
  const target = detailsFor;
  if (!target) return;
  const rects = target.getClientRects();
  const r = rects.length ? rects[0] : target.getBoundingClientRect();
  if (!target.isConnected || r.bottom < 0 || r.top > window.innerHeight) { hideDetails(); return; }
  const w = details.offsetWidth;
  const h = details.offsetHeight;
  const left = Math.max(8, Math.min(r.left, window.innerWidth - w - 8));
  const below = r.bottom + 8;
  const top = below + h > window.innerHeight - 8 ? Math.max(8, r.top - h - 8) : below;
  details.style.left = `${left}px`;
  details.style.top = `${top}px`;
}

function hideDetails() {
  detailsFor = null;
  details.hidden = true;
}

function describe(el) {
  if (describedEl === el) return;
  describedEl?.removeAttribute('aria-describedby');
  describedEl = el;
  el?.setAttribute('aria-describedby', 'details');
}

viewEl.addEventListener('mouseover', (ev) => {
  const target = ev.target.closest?.(TARGETS);
  if (target && viewEl.contains(target)) showDetails(target);
});
viewEl.addEventListener('mouseout', (ev) => {
  const to = ev.relatedTarget?.closest?.(TARGETS);
  if (!to && detailsFor && detailsFor !== document.activeElement) hideDetails();
});
viewEl.addEventListener('focusin', (ev) => {
  const target = ev.target.closest?.(ITEMS);
  if (target) {
    detailsFor = null; // always refilled for the element that has focus
    showDetails(target);
    describe(target);
  } else {
    hideDetails();
    describe(null);
  }
});
viewEl.addEventListener('focusout', () => { hideDetails(); describe(null); });
document.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') hideDetails(); });
let placing = 0;
const replace = () => { if (detailsFor && !placing) placing = requestAnimationFrame(() => { placing = 0; placeDetails(); }); };
window.addEventListener('scroll', replace, { passive: true });
window.addEventListener('resize', replace, { passive: true });

// ---- jumping from the panel ---------------------------------------------------------------------

const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');

function reveal(el) {
  showSection('article');
  view.setCurrent(el);
  el.scrollIntoView({ block: 'center', behavior: reducedMotion.matches ? 'auto' : 'smooth' });
  el.focus({ preventScroll: true });
  el.classList.remove('flash');
  void el.offsetWidth; // restart the animation
  el.classList.add('flash');
}

let cycle = { key: '', next: 0 };
function jumpToEntities(indices) {
  if (view.plan?.result !== current.result) return; // the panel is ahead of the view for a moment
  // Repeated clicks on a name step through its mentions.
  const key = indices.join(',');
  if (cycle.key !== key) cycle = { key, next: 0 };
  for (let tries = 0; tries < indices.length; tries++) {
    const el = view.entityElement(indices[cycle.next++ % indices.length]);
    if (el) { reveal(el); return; }
  }
}

function jumpToQuote(index) {
  if (view.plan?.result !== current.result) return;
  const el = view.quoteElement(index);
  if (el) reveal(el);
}

// ---- exports ----------------------------------------------------------------------------------

/** Saves data (a string or a Blob) as a file called name. */
function download(name, type, data) {
  const url = URL.createObjectURL(data instanceof Blob ? data : new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

$('export-json').addEventListener('click', () => {
  if (current.result) download('pressmark.json', 'application/json', toJson(current.text, current.result));
});
$('export-csv').addEventListener('click', () => {
  if (current.result) download('pressmark-quotes.csv', 'text/csv;charset=utf-8', quotesToCsv(current.result));
});
$('export-entities').addEventListener('click', () => {
  if (current.result) download('pressmark-entities.csv', 'text/csv;charset=utf-8', entitiesToCsv(current.result, (l) => LABEL_NAME[l] ?? l));
});
let exporting = false;
$('export-html').addEventListener('click', async () => {
  const { text, result } = current;
  if (!result || exporting || view.plan?.result !== result) return;
  exporting = true;
  try {
    setStatus('Preparing the annotated file…', 'busy');
    const css = await (await fetch(new URL('./style.css', import.meta.url))).text();
    const firstLine = text.trim().split('\n', 1)[0].trim();
    const title = `pressmark — ${firstLine.length > 80 ? firstLine.slice(0, 79) + '…' : firstLine}`;
    const legend = LABELS.filter((l) => result.entities.some((e) => e.label === l.label)).map(({ label, name }) => ({ label, name }));
    if (result.quotes.length) legend.push({ label: 'QUOTE', name: 'Quote' });
    const file = await toHtml({
      text, css, title, legend, speakers: speakerGroups(result), plan: view.plan, cuts: splitChunks(view.plan), renderRange, pause,
      onProgress: (f) => { if (text.length > BIG_TEXT) setStatus(`Preparing the annotated file: ${Math.floor(f * 100)} %`, 'busy'); },
    });
    download('pressmark.html', file.type, file);
    setStatus('The annotated file is ready: pressmark.html.', 'done');
  } catch (err) {
    setStatus(`The annotated file could not be made (${err?.message ?? err}).`, 'error');
  } finally {
    exporting = false;
  }
});

// ---- theme ------------------------------------------------------------------------------------

const root = document.documentElement;
const systemDark = window.matchMedia('(prefers-color-scheme: dark)');
const themeButton = $('theme');
const isDark = () => (root.dataset.theme ? root.dataset.theme === 'dark' : systemDark.matches);
const syncTheme = () => themeButton.setAttribute('aria-pressed', String(isDark()));
themeButton.addEventListener('click', () => {
  const dark = !isDark();
  // The reader's choice is kept only when it differs from the system's, so the page follows a
  // later change of the system setting again once the two agree.
  try {
    if (dark === systemDark.matches) { delete root.dataset.theme; localStorage.removeItem('pressmark-theme'); }
    else { root.dataset.theme = dark ? 'dark' : 'light'; localStorage.setItem('pressmark-theme', root.dataset.theme); }
  } catch {
    root.dataset.theme = dark ? 'dark' : 'light';
  }
  syncTheme();
});
systemDark.addEventListener('change', syncTheme);
syncTheme();

// ---- phone layout: the panel is a section of its own, one tap away --------------------------------

const phone = window.matchMedia('(max-width: 760px)');
function showSection(which) {
  document.body.dataset.section = which;
  $('tab-article').setAttribute('aria-pressed', String(which === 'article'));
  $('tab-panel').setAttribute('aria-pressed', String(which === 'panel'));
}
$('tab-article').addEventListener('click', () => showSection('article'));
$('tab-panel').addEventListener('click', () => showSection('panel'));
$('skip-panel').addEventListener('click', (ev) => {
  ev.preventDefault();
  if (phone.matches) showSection('panel');
  $('panel').focus();
});
showSection('article');

// ---- one entity, all its mentions -------------------------------------------------------------

/** Clicking (or Enter / Space on) a name marks every mention of the same entity (`entity_id`);
 *  clicking it again clears the marking. */
function markMentions(entityId) {
  linkedEntity = entityId;
  view.linked = entityId;
  for (const el of viewEl.querySelectorAll('mark.linked')) el.classList.remove('linked');
  if (entityId !== null) {
    const { result } = current;
    result.entities.forEach((e, i) => {
      if (e.entity_id !== entityId) return;
      view.drawnEntityElement(i)?.classList.add('linked');
    });
  }
  viewEl.classList.toggle('has-linked', entityId !== null);
}
function onMentionActivate(event) {
  const mark = event.target.closest?.('mark[data-entity]');
  if (!mark) return;
  const e = current.result?.entities?.[Number(mark.dataset.entity)];
  const id = e && typeof e.entity_id === 'number' ? e.entity_id : null;
  markMentions(id === linkedEntity ? null : id);
}
viewEl.addEventListener('click', onMentionActivate);
viewEl.addEventListener('keydown', (event) => {
  if ((event.key === 'Enter' || event.key === ' ') && event.target.matches?.('mark[data-entity]')) {
    event.preventDefault();
    onMentionActivate(event);
  }
});

// ---- start ------------------------------------------------------------------------------------

buildLegend();

const ready = (async () => {
  // The sample is fetched while the kept text is read (opening IndexedDB in a fresh profile takes
  // tens of ms): one after the other, the sample arrived after the annotator was ready.
  const sample = fetchSample();
  sample.catch(() => {}); // unused when a text was kept; reported by loadSample otherwise
  await Promise.all([
    annotator.started.then(() => performance.mark('pm:started')),
    loadText().then(async (kept) => {
      if (kept !== null) setText(kept);
      else await loadSample(sample);
      performance.mark('pm:sample');
    }),
  ]);
  await annotateNow();
  performance.mark('pm:shown');
})();
ready.catch(() => {}); // reported on the page by the 'failure' handler

window.pressmark = {
  ready,
  annotator,
  view,
  /** Annotates text in the worker without touching the page; resolves with the wire result. */
  annotate: (text) => annotator.annotate(text).then((r) => r.result),
  get shown() { return shown; },
  /** The text to annotate: the box's, or a big one kept folded out of it. */
  get text() { return getText(); },
  /** Shows a given result for text (tests and demos: the view, panel and exports without the
   *  core); resolves once it is drawn. */
  showResult(text, result) {
    setText(text);
    return present(text, result, 0);
  },
};
