// The annotated view of one article, in two steps (parse, then render, as displaCy does):
//   plan(text, result)            → where every mark goes: checked, sorted, non-overlapping spans,
//                                   kept in typed arrays (no DOM; O(n), so 5 MB plans in ~tens of ms)
//   splitChunks(plan)             → [from, to) pieces of the text, cut after paragraph breaks, that
//                                   the page renders one at a time (see www/view.js)
//   renderRange(plan, from, to)   → DocumentFragment of text[from, to): text nodes and
//     <mark data-label="PER" data-entity="i" role="button" aria-label="Person: …">  per entity,
//     <span class="quote" data-quote="j" role="group" aria-label="Quote by …">     per quote part
//                                   (its quotation marks included; a quote across pieces is cut
//                                   into one part per piece, the first carries id="quote-j"),
//     <span class="speaker-tag" data-quote="j" aria-hidden="true">  after a quotation's last part,
//     <span class="speaker-ref" data-speaker-of="j k" role="button"> on a speaker mention that is
//                                   no entity ("she"); an entity that is one gets class
//                                   "speaker-mention" and the same attribute.
//   render(text, result)          → the whole article at once (exports, small texts)
// Pure: reads only its arguments, never parses HTML (article text only ever becomes text nodes).
// Offsets are UTF-16 code units. Spans out of range, overlapping a span already placed, or across a
// quote's edge are left out of the view (they stay in the side panel).
import { LABEL_NAME } from './labels.js';

const OPENING = new Set(['“', '"', '‘', "'", '«', '„', '‹', '‚', '「', '『']);
const CLOSING = new Set(['”', '"', '’', "'", '»', '“', '›', '‘', '」', '』']);

const valid = (s, n) => s && Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start < s.end && s.end <= n;

/** Who a quote is by, as the page names it: the resolved person, else the mention, else null. */
export const speakerOfQuote = (q) => q.speaker_name ?? q.speaker?.text ?? null;

/** A quote's accessible name: "Quote by Marieke Dassen", "Reported speech by …", "Unattributed quote". */
export function quoteName(q) {
  const who = speakerOfQuote(q);
  if (!q.direct) return who ? `Reported speech by ${who}` : 'Unattributed reported speech';
  return who ? `Quote by ${who}` : 'Unattributed quote';
}

/** Quotes to wrap, widened over adjacent quotation marks; sorted, never overlapping. */
function placeQuotes(text, quotes) {
  const placed = [];
  const order = quotes.map((q, index) => ({ q, index })).filter(({ q }) => valid(q, text.length))
    .sort((a, b) => a.q.start - b.q.start || b.q.end - a.q.end);
  let last = 0;
  for (const { q, index } of order) {
    const start = q.start > 0 && OPENING.has(text[q.start - 1]) ? q.start - 1 : q.start;
    const end = q.end < text.length && CLOSING.has(text[q.end]) ? q.end + 1 : q.end;
    if (start < last) continue;
    placed.push({ start, end, index, q, name: quoteName(q) });
    last = end;
  }
  // The speaker tag goes after the last placed part of a quotation (split quotes share a group).
  const lastOfGroup = new Map();
  for (const p of placed) if (p.q.group != null) lastOfGroup.set(p.q.group, p);
  for (const p of placed) p.tagged = p.q.group == null || lastOfGroup.get(p.q.group) === p;
  return placed;
}

/** The first i with ends[i] > pos, for sorted disjoint spans (binary search). */
function firstEndingAfter(ends, count, pos) {
  let lo = 0, hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid] <= pos) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/**
 * Where every mark of the view goes.
 * @param {string} text the article, exactly as annotated
 * @param {{entities?: object[], quotes?: object[]}} result the wire schema (UTF-16 offsets)
 */
export function plan(text, result) {
  const steps = planSteps(text, result);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** plan() in steps: a generator that yields between its passes (each tens of ms on 5 MB), so a
 *  caller can let the browser run in between; its return value is plan()'s. */
export function* planSteps(text, result) {
  const n = text.length;
  const list = result?.entities ?? [];
  const starts = new Int32Array(list.length);
  const ends = new Int32Array(list.length);
  const indices = new Int32Array(list.length);
  let count = 0;
  // The core sends entities sorted and disjoint: then this is one pass with no sort; else it is
  // done again in start order.
  const place = (order) => {
    count = 0;
    let last = 0;
    let previous = -1;
    for (let k = 0; k < list.length; k++) {
      const i = order ? order[k] : k;
      const e = list[i];
      if (!valid(e, n)) continue;
      if (e.start < previous) return false;
      previous = e.start;
      if (e.start < last) continue;
      starts[count] = e.start; ends[count] = e.end; indices[count] = i; count++;
      last = e.end;
    }
    return true;
  };
  if (!place(null)) {
    const at = (j) => (valid(list[j], n) ? list[j].start : -1);
    place(list.map((_, j) => j).sort((a, b) => at(a) - at(b) || (list[b]?.end ?? 0) - (list[a]?.end ?? 0)));
  }
  yield;
  // Speaker mentions: flag the entity that is one, or place the mention on its own ("she").
  // One pass with a map per span, then a sweep that drops overlaps: linear in the quotes (a 5 MB
  // article has ~15k), where a search of the placed list per quote was quadratic.
  const speakerOf = new Map(); // entity index → [quote indices]
  const bySpan = new Map(); // "start:end" → extra
  (result?.quotes ?? []).forEach((q, qi) => {
    const s = q.speaker;
    if (!valid(s, n)) return;
    const at = firstEndingAfter(ends, count, s.start);
    if (at < count && starts[at] === s.start && ends[at] === s.end) {
      const i = indices[at];
      if (!speakerOf.has(i)) speakerOf.set(i, []);
      speakerOf.get(i).push(qi);
      return;
    }
    if (at < count && starts[at] < s.end) return; // overlaps an entity
    const key = `${s.start}:${s.end}`;
    if (bySpan.has(key)) bySpan.get(key).speakerOf.push(qi);
    else bySpan.set(key, { start: s.start, end: s.end, speakerOf: [qi] });
  });
  const extras = []; // sorted, disjoint, touching no entity
  let lastExtra = 0;
  for (const x of [...bySpan.values()].sort((a, b) => a.start - b.start || b.end - a.end)) {
    if (x.start < lastExtra) continue;
    extras.push(x);
    lastExtra = x.end;
  }
  yield;
  const quotes = placeQuotes(text, result?.quotes ?? []);
  return {
    text, result, starts, ends, indices, count, speakerOf, extras, quotes,
    extraEnds: Int32Array.from(extras, (s) => s.end), quoteEnds: Int32Array.from(quotes, (q) => q.end),
  };
}

/** Pieces a piece is cut into; a line longer than this is cut at a space. */
const PIECE_SOFT = 1_500;
const PIECE_HARD = 6_000;

/**
 * Cuts the text into [from, to) pieces that end after a paragraph break (a blank line), after a
 * line break once a piece is over PIECE_SOFT, or at a space once it is over PIECE_HARD. A cut never
 * falls inside an entity or a speaker mention (quotes may cross cuts: they are rendered in parts).
 * @returns {Int32Array} the cut positions, 0 first and text.length last
 */
export function splitChunks(p) {
  const { text, starts, ends, count, extras, extraEnds } = p;
  const cuts = [0];
  const inside = (pos) => {
    const e = firstEndingAfter(ends, count, pos);
    const x = firstEndingAfter(extraEnds, extras.length, pos);
    return (e < count && starts[e] < pos) || (x < extras.length && extras[x].start < pos);
  };
  let from = 0;
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) break;
    let end = nl + 1;
    while (end < text.length && (text[end] === '\n' || text[end] === '\r')) end++;
    const blank = end - nl > 1;
    // A line longer than PIECE_HARD: cut it at spaces first.
    while (end - from > PIECE_HARD) {
      const space = text.lastIndexOf(' ', from + PIECE_HARD);
      if (space <= from || space >= nl) break;
      if (!inside(space + 1)) { cuts.push(space + 1); from = space + 1; } else break;
    }
    if ((blank || end - from >= PIECE_SOFT) && end < text.length && !inside(end)) {
      cuts.push(end);
      from = end;
    }
    pos = end;
  }
  while (text.length - from > PIECE_HARD) {
    const space = text.lastIndexOf(' ', from + PIECE_HARD);
    if (space <= from) break;
    if (!inside(space + 1)) cuts.push(space + 1);
    from = space + 1;
  }
  if (text.length > 0) cuts.push(text.length);
  return Int32Array.from(cuts);
}

function element(doc, tag, className, attrs) {
  const el = doc.createElement(tag);
  if (className) el.className = className;
  for (const k in attrs) el.setAttribute(k, attrs[k]);
  return el;
}

function entityMark(doc, p, k, opts) {
  const i = p.indices[k];
  const e = p.result.entities[i];
  const start = p.starts[k], end = p.ends[k];
  const quotes = p.speakerOf.get(i);
  const el = element(doc, 'mark', quotes ? 'speaker-mention' : '', {
    'data-label': e.label, 'data-entity': i, 'data-start': start, 'data-end': end,
    role: 'button', tabindex: -1, 'aria-label': `${LABEL_NAME[e.label] ?? e.label}: ${p.text.slice(start, end)}`,
  });
  if (quotes) el.setAttribute('data-speaker-of', quotes.join(' '));
  if (opts.linked != null && e.entity_id === opts.linked) el.classList.add('linked');
  el.textContent = p.text.slice(start, end);
  return el;
}

function speakerRef(doc, p, s) {
  const q = p.result.quotes[s.speakerOf[0]];
  const mention = p.text.slice(s.start, s.end);
  const el = element(doc, 'span', 'speaker-ref', {
    'data-speaker-of': s.speakerOf.join(' '), 'data-start': s.start, 'data-end': s.end, role: 'button', tabindex: -1,
    'aria-label': q.speaker_name && q.speaker_name !== mention ? `Speaker: ${mention} (${q.speaker_name})` : `Speaker: ${mention}`,
  });
  el.textContent = mention;
  return el;
}

/** Appends text[from, to) to parent with the entities and speaker mentions in it. */
function fillPlain(doc, parent, p, from, to, opts) {
  const { text, starts, ends, count, extras } = p;
  let k = firstEndingAfter(ends, count, from);
  let x = firstEndingAfter(p.extraEnds, extras.length, from);
  let cursor = from;
  for (;;) {
    const useEntity = k < count && starts[k] < to && (x >= extras.length || starts[k] < extras[x].start);
    const useExtra = !useEntity && x < extras.length && extras[x].start < to;
    if (!useEntity && !useExtra) break;
    const start = useEntity ? starts[k] : extras[x].start;
    const end = useEntity ? ends[k] : extras[x].end;
    if (start >= cursor && end <= to) { // else it straddles this range's edge (a quote's): left out
      if (start > cursor) parent.append(doc.createTextNode(text.slice(cursor, start)));
      parent.append(useEntity ? entityMark(doc, p, k, opts) : speakerRef(doc, p, extras[x]));
      cursor = end;
    }
    if (useEntity) k++; else x++;
  }
  if (to > cursor) parent.append(doc.createTextNode(text.slice(cursor, to)));
}

/**
 * Builds text[from, to) with its marks.
 * @param {object} p from plan()
 * @param {{document?: Document, linked?: number|null}} [opts] owner document; entity_id to mark as linked
 * @returns {DocumentFragment}
 */
export function renderRange(p, from, to, opts = {}) {
  const doc = opts.document ?? globalThis.document;
  const frag = doc.createDocumentFragment();
  let qi = firstEndingAfter(p.quoteEnds, p.quotes.length, from);
  let cursor = from;
  for (; qi < p.quotes.length && p.quotes[qi].start < to; qi++) {
    const s = p.quotes[qi];
    const a = Math.max(s.start, from), b = Math.min(s.end, to);
    if (a > cursor) fillPlain(doc, frag, p, cursor, a, opts);
    const el = element(doc, 'span', 'quote', {
      'data-quote': s.index, 'data-direct': s.q.direct ? 'true' : 'false', role: 'group', tabindex: -1, 'aria-label': s.name,
    });
    if (a === s.start) el.id = `quote-${s.index}`;
    else el.dataset.continued = 'true';
    if (s.q.partial) el.dataset.partial = 'true';
    if (s.q.headline) el.dataset.headline = 'true';
    if (s.q.group != null) el.dataset.group = String(s.q.group);
    if (!speakerOfQuote(s.q)) el.classList.add('unattributed');
    fillPlain(doc, el, p, a, b, opts);
    frag.append(el);
    if (s.tagged && b === s.end) {
      const who = speakerOfQuote(s.q);
      // The quote's name already says who; the tag is for the eye.
      const tag = element(doc, 'span', who ? 'speaker-tag' : 'speaker-tag unattributed', { 'data-quote': s.index, 'aria-hidden': 'true' });
      tag.textContent = who ?? 'unattributed';
      frag.append(tag);
    }
    cursor = b;
  }
  if (to > cursor) fillPlain(doc, frag, p, cursor, to, opts);
  return frag;
}

/**
 * The whole article at once (an export, a test): renderRange over the full text.
 * @param {string} text
 * @param {object} result
 * @param {{document?: Document}} [opts]
 * @returns {DocumentFragment}
 */
export function render(text, result, opts = {}) {
  return renderRange(plan(text, result), 0, text.length, opts);
}
