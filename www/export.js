// Exports: the whole result as JSON, and the quotes as CSV (RFC 4180, for spreadsheets).

/** The result as pretty JSON, with the text it describes first (the gold files' shape). */
export function toJson(text, result) {
  return JSON.stringify({ text, ...result }, null, 2) + '\n';
}

// A cell that starts with one of these is read as a formula by Excel, LibreOffice and Sheets
// (OWASP "CSV injection"); a leading apostrophe makes it plain text.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: formula-guarded, quoted when it holds a comma, quote or line break. */
export function csvField(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let s = String(value);
  if (FORMULA_START.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

export const CSV_COLUMNS = ['speaker', 'quote', 'kind', 'partial', 'start', 'end', 'cue', 'speaker_mention', 'confidence'];

/** The quotes as CSV, one row per quote (offsets: UTF-16 code units, end exclusive). */
export function quotesToCsv(result) {
  const rows = [CSV_COLUMNS];
  for (const q of result?.quotes ?? []) {
    rows.push([
      q.speaker_name ?? q.speaker?.text ?? '',
      q.text,
      q.direct ? 'direct' : 'indirect',
      q.partial ? 'yes' : 'no',
      q.start,
      q.end,
      q.cue?.text ?? '',
      q.speaker?.text ?? '',
      q.confidence,
    ]);
  }
  // A byte-order mark so that Excel reads the file as UTF-8 (curly quotes, accents, €).
  return '\ufeff' + rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export const ENTITY_CSV_COLUMNS = ['label', 'type', 'text', 'name', 'start', 'end', 'entity_id', 'value', 'confidence'];

/** The entities as CSV, one row per mention, formula-guarded like the quotes (offsets: UTF-16). */
export function entitiesToCsv(result, typeName = (l) => l) {
  const names = new Map((result?.entities_index ?? []).map((c) => [c.id, c.name]));
  const rows = [ENTITY_CSV_COLUMNS];
  for (const e of result?.entities ?? []) {
    const v = e.value;
    const value = v === undefined || v === null ? '' : typeof v === 'object' ? [v.amount, v.currency].filter((x) => x != null).join(' ') : v;
    rows.push([e.label, typeName(e.label), e.text, names.get(e.entity_id) ?? '', e.start, e.end, e.entity_id ?? '', value, e.confidence]);
  }
  return '\ufeff' + rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** A quotation as a journalist cites it: “…” — Name (reported speech without the marks). */
export function citeQuote(text, speaker, direct = true) {
  const body = text.replace(/\s+/g, ' ').trim();
  const quoted = direct ? `“${body}”` : body;
  return speaker ? `${quoted} — ${speaker}` : quoted;
}

/**
 * A standalone annotated HTML file: the article with its marks, a legend and the quotes by
 * speaker, styled by the page's own style sheet inlined. It carries a CSP that allows no script
 * and no request (default-src 'none'), so it opens offline, looks the same and runs nothing.
 *
 * Built with DOM calls in a detached document and serialised by the browser, so article text
 * only ever becomes text nodes, escaped by the serialiser. The article (renderRange() per piece)
 * and the quotes are built and serialised a few ms at a time with `pause()` in between, each
 * slice encoded to UTF-8 at once: a 5 MB article is ~0.4 M elements and a 23 MB file, seconds
 * of main thread in one go.
 * @param {{text: string, css: string, title: string, plan: object, cuts: Int32Array,
 *   renderRange: Function, legend: {label: string, name: string}[],
 *   speakers: {speaker: string|null, quotations: object[]}[],
 *   pause: () => Promise<void>, onProgress?: (fraction: number) => void}} parts
 * @returns {Promise<Blob>} the file
 */
export async function toHtml({ text, css, title, plan, cuts, renderRange, legend, speakers, pause, onProgress = () => {} }) {
  const doc = document.implementation.createHTMLDocument(title);
  const add = (parent, tag, className, content) => {
    const e = doc.createElement(tag);
    if (className) e.className = className;
    if (content !== undefined) e.textContent = content;
    parent.append(e);
    return e;
  };
  const slot = (parent, name) => parent.append(doc.createComment(`pressmark-${name}`));
  doc.documentElement.lang = 'en';
  const meta = (attrs) => { const m = doc.createElement('meta'); for (const [k, v] of Object.entries(attrs)) m.setAttribute(k, v); doc.head.prepend(m); };
  meta({ name: 'viewport', content: 'width=device-width, initial-scale=1' });
  meta({ 'http-equiv': 'Content-Security-Policy', content: "default-src 'none'; style-src 'unsafe-inline'; img-src data:" });
  meta({ charset: 'utf-8' });
  // The style sheet goes in as text (a <style> in this document would be checked against the
  // page's own CSP, which refuses inline style, and logged as an error).
  slot(doc.head, 'style');
  doc.body.className = 'export';
  const header = add(doc.body, 'header', 'masthead');
  add(add(header, 'div', 'brand'), 'h1', '', title);
  const main = add(doc.body, 'main', 'layout export-layout');
  const card = add(main, 'section', 'card result');
  card.setAttribute('aria-label', 'Annotated article');
  const keys = add(card, 'ul', 'legend export-legend');
  for (const { label, name } of legend) {
    const li = add(keys, 'li', 'chip');
    const sw = add(li, 'span', 'swatch');
    sw.dataset.label = label;
    li.append(name);
  }
  slot(add(card, 'article', 'view'), 'article');
  const side = add(main, 'section', 'column-side');
  side.setAttribute('aria-label', 'Quotes by speaker');
  const panel = add(side, 'section', 'card panel');
  add(panel, 'h2', '', 'Quotes by speaker');
  if (!speakers.length) add(panel, 'p', 'empty', 'No quotes found.');
  slot(panel, 'quotes');
  add(doc.body, 'footer', 'footer', `Annotated by pressmark, ${new Date().toISOString().slice(0, 10)}; ${text.length.toLocaleString('en')} characters. Marks are suggestions, not facts.`);
  const [head, beforeArticle, beforeQuotes, end] = ('<!doctype html>\n' + doc.documentElement.outerHTML + '\n')
    .split(/<!--pressmark-(?:style|article|quotes)-->/);

  const utf8 = new TextEncoder();
  const bytes = [utf8.encode(head), utf8.encode(`<style>${css.replace(/<\/style/gi, '<\\/style')}</style>`), utf8.encode(beforeArticle)];
  const box = doc.createElement('div');
  /** Runs build(i) for i in [0, n), serialising box after each, in slices with pauses. */
  const inSlices = async (n, build, progress) => {
    for (let i = 0; i < n;) {
      const deadline = performance.now() + 8;
      let html = '';
      for (; i < n && performance.now() < deadline; i++) {
        box.replaceChildren(build(i));
        html += box.innerHTML; // serialising (the getter), never parsing
      }
      bytes.push(utf8.encode(html));
      progress(i / n);
      if (i < n) await pause();
    }
  };
  await inSlices(cuts.length - 1, (i) => {
    const frag = renderRange(plan, cuts[i], cuts[i + 1], { document: doc });
    // The page's roving focus and button roles mean nothing without its script.
    for (const el of frag.querySelectorAll('[tabindex]')) el.removeAttribute('tabindex');
    for (const el of frag.querySelectorAll('[role="button"]')) el.removeAttribute('role');
    return frag;
  }, (f) => onProgress(0.9 * f));
  bytes.push(utf8.encode(beforeQuotes));
  await inSlices(speakers.length, (i) => {
    const g = speakers[i];
    const s = doc.createElement('section');
    s.className = g.speaker === null ? 'speaker unattributed' : 'speaker';
    const h = add(s, 'h3', 'speaker-name');
    add(h, 'span', 'name', g.speaker ?? 'Unattributed');
    add(h, 'span', 'count', `${g.quotations.length} quote${g.quotations.length === 1 ? '' : 's'}`);
    const ol = add(s, 'ol', 'quote-list');
    for (const q of g.quotations) add(add(ol, 'li'), 'p', 'quote-link', q.direct ? `“${q.text}”` : q.text);
    return s;
  }, (f) => onProgress(0.9 + 0.1 * f));
  bytes.push(utf8.encode(end));
  return new Blob(bytes, { type: 'text/html;charset=utf-8' });
}
