// The page: editor → worker → annotated view, side panel, details, filters, exports.
// Test hook: window.pressmark = { ready, annotate(text) → Promise<result>, annotator }.
// Start-up marks in the page's performance timeline (read by bench/browser.mjs): pm:boot
// (www/boot.js), pm:compiled (the package's www/pkg/browser.js), pm:main (this module runs),
// pm:sample (the sample is in the editor), pm:started (the worker is ready), pm:shown (the
// sample's result is in the view).
import { starting } from './boot.js';
import { Annotator, AnnotatorError } from './annotator.js';
import { render } from './render.js';
import { renderEntityLists, renderSpeakers } from './panel.js';
import { toJson, quotesToCsv } from './export.js';
import { LABELS, LABEL_NAME } from './labels.js';

performance.mark('pm:main');
const $ = (id) => document.getElementById(id);
const input = $('input');
const view = $('view');
const status = $('status');
const details = $('details');
const live = $('live');

const LIVE_DELAY_MS = 350;
const LIVE_MAX_CHARS = 300_000; // above this, annotate on request only
const numberFormat = new Intl.NumberFormat('en');
const plural = (n, one, many = one + 's') => `${numberFormat.format(n)} ${n === 1 ? one : many}`;

// The package's annotator, started by boot.js from the page's head (worker + wasm compilation).
const annotator = new Annotator(starting);

/** What the view shows: the text it was built from and its result. */
let shown = { text: '', result: null };
let linkedEntity = null; // entity_id whose mentions are marked, see markMentions()
let latestRequest = 0; // replies to older requests are dropped
let liveTimer = 0;

function setStatus(message, kind = 'info') {
  status.textContent = message;
  status.dataset.kind = kind;
}

// ---- annotating -------------------------------------------------------------------------------

async function annotateNow() {
  clearTimeout(liveTimer);
  const text = input.value;
  const request = ++latestRequest;
  const slow = setTimeout(() => {
    if (request === latestRequest) { setStatus('Annotating…', 'busy'); view.setAttribute('aria-busy', 'true'); }
  }, 150);
  try {
    const { result, ms } = await annotator.annotate(text);
    if (request !== latestRequest) return; // a newer text is on its way
    show(text, result, ms);
  } catch (err) {
    if (request !== latestRequest) return;
    if (err instanceof AnnotatorError && err.fatal) {
      setStatus(`The annotator stopped on this text (${err.message}). It has been restarted; your text is unchanged. Edit it or press Annotate to try again.`, 'error');
    } else {
      setStatus(err instanceof AnnotatorError ? err.message : `Could not annotate: ${err?.message ?? err}`, 'error');
    }
  } finally {
    clearTimeout(slow);
    if (request === latestRequest) view.removeAttribute('aria-busy');
  }
}

function show(text, result, ms) {
  hideDetails();
  shown = { text, result };
  linkedEntity = null;
  view.classList.remove('has-linked');
  view.replaceChildren(render(text, result, { describedBy: 'details' }));
  applyFilters();
  updateLegendCounts(result);
  renderEntityLists($('entity-lists'), result, jumpToEntities);
  renderSpeakers($('speakers'), result, jumpToQuote);
  const speakers = new Set(result.quotes.map((q) => q.speaker_name ?? q.speaker?.text).filter(Boolean));
  $('summary').textContent = text.trim()
    ? `${plural(result.entities.length, 'mention')} · ${plural(result.quotes.length, 'quote')} · ${plural(speakers.size, 'speaker')}`
    : '';
  $('export-json').disabled = $('export-csv').disabled = !text.trim();
  const words = text.trim() ? text.trim().split(/\s+/).length : 0;
  setStatus(text.trim()
    ? `Annotated ${plural(words, 'word')} in ${ms < 1 ? '<1' : Math.round(ms)} ms: ${plural(result.entities.length, 'entity', 'entities')}, ${plural(result.quotes.length, 'quote')}.`
    : 'Paste or type an article to annotate it.', 'done');
}

function scheduleLive() {
  clearTimeout(liveTimer);
  if (!live.checked) return;
  if (input.value.length > LIVE_MAX_CHARS) {
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

// ---- the editor -------------------------------------------------------------------------------

input.addEventListener('input', scheduleLive);
input.addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); annotateNow(); }
});
$('annotate').addEventListener('click', annotateNow);
live.addEventListener('change', () => { if (live.checked && input.value !== shown.text) scheduleLive(); });
$('clear').addEventListener('click', () => { input.value = ''; input.focus(); annotateNow(); });
$('load-sample').addEventListener('click', async () => { await loadSample(); annotateNow(); });

async function openFile(file) {
  if (!file) return;
  if (!(file.type === '' || file.type.startsWith('text/') || /\.txt$/i.test(file.name))) {
    setStatus(`“${file.name}” is not a plain-text file: open a .txt file, or paste the text.`, 'error');
    return;
  }
  if (file.size > annotator.maxTextBytes) {
    setStatus(`“${file.name}” is ${(file.size / 1048576).toFixed(1)} MB; the limit is ${Math.floor(annotator.maxTextBytes / 1048576)} MB. Split it and annotate the parts.`, 'error');
    return;
  }
  input.value = await file.text();
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

async function loadSample() {
  try {
    const res = await fetch(new URL('./sample.txt', import.meta.url));
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    input.value = await res.text();
  } catch (err) {
    setStatus(`The sample article could not be loaded (${err.message}). Paste an article instead.`, 'error');
  }
}

// ---- legend and filters -----------------------------------------------------------------------

function buildLegend() {
  const legend = $('legend');
  const chip = (key, text, title) => {
    const label = document.createElement('label');
    label.className = 'chip';
    label.dataset.filter = key;
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = true;
    box.dataset.filter = key;
    box.addEventListener('change', applyFilters);
    const swatch = document.createElement('span');
    swatch.className = key === 'QUOTE' ? 'swatch quote-swatch' : 'swatch';
    swatch.dataset.label = key;
    swatch.setAttribute('aria-hidden', 'true');
    const name = document.createElement('span');
    name.textContent = text;
    const count = document.createElement('span');
    count.className = 'count';
    label.append(box, swatch, name, count);
    if (title) label.title = title;
    return label;
  };
  for (const { label, name } of LABELS) legend.append(chip(label, name));
  legend.append(chip('QUOTE', 'Quotes'));
  const tags = document.createElement('label');
  tags.className = 'check show-labels';
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.id = 'show-labels';
  box.addEventListener('change', () => view.classList.toggle('show-labels', box.checked));
  tags.append(box, ' Show type names');
  legend.append(tags);
}

function applyFilters() {
  for (const box of document.querySelectorAll('#legend input[data-filter]')) {
    const key = box.dataset.filter;
    const hidden = !box.checked;
    view.classList.toggle(`hide-${key}`, hidden);
    const selector = key === 'QUOTE' ? '.quote, .speaker-ref' : `mark[data-label="${key}"]`;
    for (const el of view.querySelectorAll(selector)) el.tabIndex = hidden ? -1 : 0;
  }
}

function updateLegendCounts(result) {
  const counts = {};
  for (const e of result.entities) counts[e.label] = (counts[e.label] ?? 0) + 1;
  counts.QUOTE = result.quotes.length;
  for (const chip of document.querySelectorAll('#legend .chip')) {
    const n = counts[chip.dataset.filter] ?? 0;
    chip.querySelector('.count').textContent = String(n);
    chip.classList.toggle('none', n === 0);
  }
}

// ---- details on hover and focus ---------------------------------------------------------------

const TARGETS = 'mark[data-entity], .quote, .speaker-ref, .speaker-tag';

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
  const { result } = shown;
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
    title.textContent = q.direct ? 'Quote' : 'Reported speech';
    row(dl, 'Speaker', q.speaker_name ?? q.speaker?.text ?? 'not attributed');
    if (q.speaker && q.speaker.text !== q.speaker_name) row(dl, 'Named as', q.speaker.text);
    row(dl, 'Cue', q.cue?.text);
    row(dl, 'Kind', quoteKind(q));
    row(dl, 'Confidence', percent(q.confidence));
  }
  details.replaceChildren(title, dl);
}

let detailsFor = null;

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

view.addEventListener('mouseover', (ev) => {
  const target = ev.target.closest?.(TARGETS);
  if (target && view.contains(target)) showDetails(target);
});
view.addEventListener('mouseout', (ev) => {
  const to = ev.relatedTarget?.closest?.(TARGETS);
  if (!to && detailsFor && detailsFor !== document.activeElement) hideDetails();
});
view.addEventListener('focusin', (ev) => {
  const target = ev.target.closest?.(TARGETS);
  if (target) showDetails(target); else hideDetails();
});
view.addEventListener('focusout', () => hideDetails());
document.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') hideDetails(); });
let placing = 0;
const replace = () => { if (detailsFor && !placing) placing = requestAnimationFrame(() => { placing = 0; placeDetails(); }); };
window.addEventListener('scroll', replace, { passive: true });
window.addEventListener('resize', replace, { passive: true });

// ---- jumping from the panel ---------------------------------------------------------------------

const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');

function reveal(el) {
  el.scrollIntoView({ block: 'center', behavior: reducedMotion.matches ? 'auto' : 'smooth' });
  el.focus({ preventScroll: true });
  el.classList.remove('flash');
  void el.offsetWidth; // restart the animation
  el.classList.add('flash');
}

let cycle = { key: '', next: 0 };
function jumpToEntities(indices) {
  // Repeated clicks on a name step through its mentions.
  const key = indices.join(',');
  if (cycle.key !== key) cycle = { key, next: 0 };
  for (let tries = 0; tries < indices.length; tries++) {
    const i = indices[cycle.next++ % indices.length];
    const el = view.querySelector(`mark[data-entity="${i}"]`);
    if (el) { reveal(el); return; }
  }
}

function jumpToQuote(index) {
  const el = document.getElementById(`quote-${index}`);
  if (el) reveal(el);
}

// ---- exports ----------------------------------------------------------------------------------

function download(name, type, data) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

$('export-json').addEventListener('click', () => {
  if (shown.result) download('pressmark.json', 'application/json', toJson(shown.text, shown.result));
});
$('export-csv').addEventListener('click', () => {
  if (shown.result) download('pressmark-quotes.csv', 'text/csv;charset=utf-8', quotesToCsv(shown.result));
});

// ---- start ------------------------------------------------------------------------------------

buildLegend();

const ready = (async () => {
  await Promise.all([
    annotator.started.then(() => performance.mark('pm:started')),
    loadSample().then(() => performance.mark('pm:sample')),
  ]);
  await annotateNow();
  performance.mark('pm:shown');
})();
ready.catch(() => {}); // reported on the page by the 'failure' handler

window.pressmark = {
  ready,
  annotator,
  /** Annotates text in the worker without touching the page; resolves with the wire result. */
  annotate: (text) => annotator.annotate(text).then((r) => r.result),
  get shown() { return shown; },
  /** Shows a given result for text (tests and demos: the view, panel and exports without the core). */
  showResult(text, result) {
    latestRequest++;
    input.value = text;
    show(text, result, 0);
  },
};

// ---- one entity, all its mentions -------------------------------------------------------------

/** Clicking (or pressing Enter on) a name marks every mention of the same entity (`entity_id`);
 *  clicking it again, or anywhere else in the view, clears the marking. */
function markMentions(entityId) {
  linkedEntity = entityId;
  const { result } = shown;
  for (const el of view.querySelectorAll('mark[data-entity]')) {
    const e = result?.entities?.[Number(el.dataset.entity)];
    el.classList.toggle('linked', entityId !== null && e?.entity_id === entityId);
  }
  view.classList.toggle('has-linked', entityId !== null);
}
function onMentionActivate(event) {
  const mark = event.target.closest?.('mark[data-entity]');
  const e = mark ? shown.result?.entities?.[Number(mark.dataset.entity)] : null;
  const id = e && typeof e.entity_id === 'number' ? e.entity_id : null;
  markMentions(id === linkedEntity ? null : id);
}
view.addEventListener('click', onMentionActivate);
view.addEventListener('keydown', (event) => { if (event.key === 'Enter') onMentionActivate(event); });
