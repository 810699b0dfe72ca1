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
 * Built as a detached document with DOM calls and serialised: article text only ever becomes
 * text nodes, escaped by the serialiser.
 * @param {{text: string, result: object, css: string, title: string, article: (doc: Document) => Node,
 *   legend: {label: string, name: string}[], speakers: {speaker: string|null, quotations: object[]}[]}} parts
 * @returns {string}
 */
export function toHtml({ text, css, title, article, legend, speakers }) {
  const doc = document.implementation.createHTMLDocument(title);
  const add = (parent, tag, className, content) => {
    const e = doc.createElement(tag);
    if (className) e.className = className;
    if (content !== undefined) e.textContent = content;
    parent.append(e);
    return e;
  };
  doc.documentElement.lang = 'en';
  const meta = (attrs) => { const m = doc.createElement('meta'); for (const [k, v] of Object.entries(attrs)) m.setAttribute(k, v); doc.head.prepend(m); };
  meta({ name: 'viewport', content: 'width=device-width, initial-scale=1' });
  meta({ 'http-equiv': 'Content-Security-Policy', content: "default-src 'none'; style-src 'unsafe-inline'; img-src data:" });
  meta({ charset: 'utf-8' });
  add(doc.head, 'style', '', css);
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
  const view = add(card, 'article', 'view');
  view.append(article(doc));
  // The view's roving focus and button roles mean nothing without the page's script.
  for (const el of view.querySelectorAll('[tabindex]')) el.removeAttribute('tabindex');
  for (const el of view.querySelectorAll('[role="button"]')) el.removeAttribute('role');
  const side = add(main, 'section', 'column-side');
  side.setAttribute('aria-label', 'Quotes by speaker');
  const panel = add(side, 'section', 'card panel');
  add(panel, 'h2', '', 'Quotes by speaker');
  if (!speakers.length) add(panel, 'p', 'empty', 'No quotes found.');
  for (const g of speakers) {
    const s = add(panel, 'section', g.speaker === null ? 'speaker unattributed' : 'speaker');
    const h = add(s, 'h3', 'speaker-name');
    add(h, 'span', 'name', g.speaker ?? 'Unattributed');
    add(h, 'span', 'count', `${g.quotations.length} quote${g.quotations.length === 1 ? '' : 's'}`);
    const ol = add(s, 'ol', 'quote-list');
    for (const q of g.quotations) add(add(ol, 'li'), 'p', 'quote-link', q.direct ? `“${q.text}”` : q.text);
  }
  add(doc.body, 'footer', 'footer', `Annotated by pressmark, ${new Date().toISOString().slice(0, 10)}; ${text.length.toLocaleString('en')} characters. Marks are suggestions, not facts.`);
  return '<!doctype html>\n' + doc.documentElement.outerHTML + '\n';
}
