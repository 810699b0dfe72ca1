// render(text, result) → DocumentFragment: the article as text nodes, with
//   <mark data-label="PER" data-entity="i">   for each entity (i indexes result.entities),
//   <span class="quote" data-quote="j">       around each quote, its quotation marks included,
//   <span class="speaker-tag" data-quote="j"> after a quotation, naming its speaker,
//   <span class="speaker-ref" data-speaker-of="j k"> on a speaker mention that is no entity ("she");
//   an entity that is a speaker mention gets class="speaker-mention" and the same attribute.
// Pure: it reads only its arguments, touches no live DOM, never parses HTML (article text only ever
// becomes text nodes), and walks the spans with one cursor, as displaCy's renderer does.
// Offsets are UTF-16 code units (String.prototype.slice). Spans that are out of range, overlap a span
// already placed, or cross a quote's edge are left out of the view (they stay in the side panel):
// so a nested quote (`nested: true`, inside its outer quote) is listed in the panel, not wrapped.

const OPENING = new Set(['“', '"', '‘', "'", '«', '„', '‹', '‚', '「', '『']);
const CLOSING = new Set(['”', '"', '’', "'", '»', '“', '›', '‘', '」', '』']);

const valid = (s, n) => s && Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start < s.end && s.end <= n;

/** Quotes to wrap, with their outer span widened over adjacent quotation marks; never overlapping. */
function placeQuotes(text, quotes) {
  const placed = [];
  const order = quotes.map((q, index) => ({ q, index })).filter(({ q }) => valid(q, text.length))
    .sort((a, b) => a.q.start - b.q.start || b.q.end - a.q.end);
  let last = 0;
  for (const { q, index } of order) {
    const start = q.start > 0 && OPENING.has(text[q.start - 1]) ? q.start - 1 : q.start;
    const end = q.end < text.length && CLOSING.has(text[q.end]) ? q.end + 1 : q.end;
    if (start < last) continue;
    placed.push({ kind: 'quote', start, end, index, q, children: [] });
    last = end;
  }
  // The speaker tag goes after the last placed part of a quotation (split quotes share a group).
  const lastOfGroup = new Map();
  for (const p of placed) if (p.q.group != null) lastOfGroup.set(p.q.group, p);
  for (const p of placed) p.tagged = p.q.group == null || lastOfGroup.get(p.q.group) === p;
  return placed;
}

/** The first placed span whose end is after pos (binary search; spans sorted, disjoint). */
function firstEndingAfter(spans, pos) {
  let lo = 0, hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].end <= pos) lo = mid + 1; else hi = mid;
  }
  return lo;
}

const overlapsAny = (spans, s) => {
  const i = firstEndingAfter(spans, s.start);
  return i < spans.length && spans[i].start < s.end;
};

/** Entities (and pronoun speaker mentions) that fit: no overlap, inside or outside a quote, not across. */
function placeInner(text, result, quotes) {
  const inner = [];
  const entities = (result.entities ?? []).map((e, index) => ({ e, index })).filter(({ e }) => valid(e, text.length))
    .sort((a, b) => a.e.start - b.e.start || b.e.end - a.e.end);
  let last = 0;
  for (const { e, index } of entities) {
    if (e.start < last) continue;
    inner.push({ kind: 'entity', start: e.start, end: e.end, index, label: e.label });
    last = e.end;
  }
  // A speaker mention: flag the entity it is, or place it on its own when it touches nothing.
  const byStart = new Map(inner.map((s) => [s.start, s]));
  const extra = [];
  (result.quotes ?? []).forEach((q, qi) => {
    const s = q.speaker;
    if (!valid(s, text.length)) return;
    const same = byStart.get(s.start);
    if (same && same.end === s.end) { (same.speakerOf ??= []).push(qi); return; }
    const twin = extra.find((x) => x.start === s.start && x.end === s.end);
    if (twin) twin.speakerOf.push(qi);
    else if (!overlapsAny(inner, s) && !extra.some((x) => x.start < s.end && s.start < x.end)) {
      extra.push({ kind: 'speaker', start: s.start, end: s.end, speakerOf: [qi] });
    }
  });
  const all = inner.concat(extra).sort((a, b) => a.start - b.start);
  // Nest into quotes; drop what straddles a quote's edge.
  const top = [];
  let qi = 0;
  for (const s of all) {
    while (qi < quotes.length && quotes[qi].end <= s.start) qi++;
    const q = quotes[qi];
    if (!q || s.end <= q.start) top.push(s);
    else if (s.start >= q.start && s.end <= q.end) q.children.push(s);
  }
  return top;
}

function element(doc, tag, className, attrs) {
  const el = doc.createElement(tag);
  if (className) el.className = className;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

function buildSpan(doc, text, s, opts) {
  if (s.kind === 'entity') {
    const el = element(doc, 'mark', s.speakerOf ? 'speaker-mention' : '', {
      'data-label': s.label, 'data-entity': s.index, 'data-start': s.start, 'data-end': s.end, tabindex: 0,
    });
    if (s.speakerOf) el.setAttribute('data-speaker-of', s.speakerOf.join(' '));
    if (opts.describedBy) el.setAttribute('aria-describedby', opts.describedBy);
    el.textContent = text.slice(s.start, s.end);
    return el;
  }
  const el = element(doc, 'span', 'speaker-ref', {
    'data-speaker-of': s.speakerOf.join(' '), 'data-start': s.start, 'data-end': s.end, tabindex: 0,
  });
  if (opts.describedBy) el.setAttribute('aria-describedby', opts.describedBy);
  el.textContent = text.slice(s.start, s.end);
  return el;
}

/** Appends text[from, to) to parent with the spans in it; spans are sorted and disjoint. */
function fill(doc, parent, text, from, to, spans, opts) {
  let cursor = from;
  for (const s of spans) {
    if (s.start > cursor) parent.append(doc.createTextNode(text.slice(cursor, s.start)));
    if (s.kind === 'quote') {
      const q = s.q;
      const el = element(doc, 'span', 'quote', {
        'data-quote': s.index, 'data-direct': q.direct ? 'true' : 'false', id: `quote-${s.index}`, tabindex: 0,
      });
      if (q.partial) el.dataset.partial = 'true';
      if (q.headline) el.dataset.headline = 'true';
      if (q.group != null) el.dataset.group = String(q.group);
      if (!q.speaker_name && !q.speaker) el.classList.add('unattributed');
      if (opts.describedBy) el.setAttribute('aria-describedby', opts.describedBy);
      fill(doc, el, text, s.start, s.end, s.children, opts);
      parent.append(el);
      if (s.tagged) {
        const who = q.speaker_name ?? q.speaker?.text ?? null;
        const tag = element(doc, 'span', who ? 'speaker-tag' : 'speaker-tag unattributed', { 'data-quote': s.index });
        tag.textContent = who ?? 'unattributed';
        parent.append(tag);
      }
    } else {
      parent.append(buildSpan(doc, text, s, opts));
    }
    cursor = s.end;
  }
  if (to > cursor) parent.append(doc.createTextNode(text.slice(cursor, to)));
}

/**
 * Builds the annotated view of `text` from an annotate() result.
 * @param {string} text the article, exactly as annotated
 * @param {{entities?: object[], quotes?: object[]}} result the wire schema (UTF-16 offsets)
 * @param {{describedBy?: string, document?: Document}} [opts] id of the details region; owner document
 * @returns {DocumentFragment}
 */
export function render(text, result, opts = {}) {
  const doc = opts.document ?? globalThis.document;
  const quotes = placeQuotes(text, result?.quotes ?? []);
  const top = placeInner(text, result ?? {}, quotes).concat(quotes).sort((a, b) => a.start - b.start);
  const frag = doc.createDocumentFragment();
  fill(doc, frag, text, 0, text.length, top, opts);
  return frag;
}
