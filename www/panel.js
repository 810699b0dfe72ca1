// The side panel: who and what the article names (with mention counts), and quotes by speaker.
// Built from the result with DOM calls and textContent only; clicks are handed to the caller.
import { LABELS } from './labels.js';

export const PANEL_LABELS = ['PER', 'ORG', 'LOC'];
// One collator for every sort: String.prototype.localeCompare builds one per call (a 5 MB
// article sorts thousands of names: ~10× slower).
const byName = new Intl.Collator('en').compare;
const norm = (s) => s.replace(/\s+/g, ' ').trim();

/**
 * Groups the mentions of one label: [{name, indices}], most mentioned first.
 * People named by surname alone count under the full name when only one full name ends (or starts)
 * with it ("Dassen" → "Marieke Dassen").
 */
export function groupMentions(entities, label) {
  // Spellings that differ only in case ("KESSLING" in a dateline) are one name, shown as written
  // most often, mixed case first.
  const byKey = new Map();
  entities.forEach((e, i) => {
    if (e.label !== label) return;
    const name = norm(e.text);
    const key = name.toLocaleLowerCase();
    if (!byKey.has(key)) byKey.set(key, { spellings: new Map(), indices: [] });
    const g = byKey.get(key);
    g.indices.push(i);
    g.spellings.set(name, (g.spellings.get(name) ?? 0) + 1);
  });
  const shout = (s) => s === s.toLocaleUpperCase() && s !== s.toLocaleLowerCase();
  const groups = new Map();
  for (const { spellings, indices } of byKey.values()) {
    const [name] = [...spellings].sort((a, b) => shout(a[0]) - shout(b[0]) || b[1] - a[1])[0];
    groups.set(name, indices);
  }
  if (label === 'PER') {
    const full = [...groups.keys()].filter((n) => n.includes(' '));
    for (const name of [...groups.keys()]) {
      if (name.includes(' ')) continue;
      const owners = full.filter((f) => f.endsWith(' ' + name) || f.startsWith(name + ' '));
      if (owners.length === 1) {
        groups.get(owners[0]).push(...groups.get(name));
        groups.delete(name);
      }
    }
  }
  return [...groups].map(([name, indices]) => ({ name, indices: indices.sort((a, b) => a - b) }))
    .sort((a, b) => b.indices.length - a.indices.length || byName(a.name, b.name));
}

/**
 * Groups quotations by speaker: [{speaker|null, resolved, quotations: [{indices, text, direct, partial}]}].
 * The key is the quote's `speaker_name`, the person the core resolved the mention to (one entity,
 * so "Dassen" and "she" land under "Marieke Dassen"); a quote with a mention but no resolved name
 * is listed under the mention as written.
 */
export function groupQuotes(quotes) {
  const bySpeaker = new Map();
  const byGroup = new Map();
  const resolved = new Set(); // keys that are a person's name, not only a mention ("backers")
  quotes.forEach((q, i) => {
    const speaker = q.speaker_name ?? q.speaker?.text ?? null;
    const key = speaker === null ? null : norm(speaker);
    if (!bySpeaker.has(key)) bySpeaker.set(key, []);
    if (q.speaker_name) resolved.add(key);
    const list = bySpeaker.get(key);
    // The parts of a split quotation are listed as one.
    const part = q.group != null ? byGroup.get(q.group) : undefined;
    if (part) {
      part.indices.push(i);
      part.text += ' … ' + q.text;
      return;
    }
    const quotation = { indices: [i], text: q.text, direct: q.direct, partial: !!q.partial };
    if (q.group != null) byGroup.set(q.group, quotation);
    list.push(quotation);
  });
  return [...bySpeaker].map(([speaker, quotations]) => ({ speaker, quotations, resolved: resolved.has(speaker) }))
    .sort((a, b) => (a.speaker === null) - (b.speaker === null)
      || b.quotations.length - a.quotations.length || byName(a.speaker ?? '', b.speaker ?? ''));
}

const el = (tag, className, text) => {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
};

const shorten = (s, n = 160) => {
  const t = norm(s);
  return t.length > n ? t.slice(0, n - 1).replace(/\s+\S*$/, '') + '…' : t;
};

/**
 * The core's own entity clusters (`entities_index`, mentions linked by `entity_id`) as
 * [{name, indices}], most mentioned first; null when the result has none (older cores).
 */
export function clusterMentions(result, label) {
  const index = result.entities_index;
  if (!Array.isArray(index)) return null;
  const byId = new Map();
  (result.entities ?? []).forEach((e, i) => {
    if (e.label !== label || e.entity_id == null) return;
    if (!byId.has(e.entity_id)) byId.set(e.entity_id, []);
    byId.get(e.entity_id).push(i);
  });
  return index.filter((c) => c.label === label && byId.has(c.id))
    .map((c) => ({ name: norm(c.name), indices: byId.get(c.id) }))
    .sort((a, b) => b.indices.length - a.indices.length || byName(a.name, b.name));
}

const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
/** Whether the filter query (case and accents ignored) is in any of the strings. */
export const matches = (query, ...strings) => !query || strings.some((t) => t && fold(t).includes(fold(query.trim())));

const cache = new WeakMap(); // result → {label → groups, quotes → groups}: a filter keystroke regroups nothing
function cached(result, key, make) {
  if (!cache.has(result)) cache.set(result, new Map());
  const m = cache.get(result);
  if (!m.has(key)) m.set(key, make());
  return m.get(key);
}

/** "and 40 more (type in the filter to find them)" under a list cut at its limit. */
const more = (n) => el('p', 'more', `and ${n.toLocaleString('en')} more; type in the filter to find them`);

/**
 * Fills `container` with the entity lists; onPick(entityIndices) when a name is clicked.
 * Only names that match `query` are listed, at most `limit` a type (a 5 MB article names thousands).
 * @returns {number} the names listed
 */
export function renderEntityLists(container, result, onPick, { query = '', limit = 60 } = {}) {
  const parts = [];
  let listed = 0;
  for (const label of PANEL_LABELS) {
    const meta = LABELS.find((l) => l.label === label);
    const all = entityGroups(result, label);
    const groups = query ? all.filter((g) => matches(query, g.name)) : all;
    const section = el('section', 'group');
    section.dataset.label = label;
    const title = el('h3', 'group-title');
    const swatch = el('span', 'swatch');
    swatch.dataset.label = label;
    swatch.setAttribute('aria-hidden', 'true');
    title.append(swatch, meta.plural);
    section.append(title);
    if (groups.length === 0) {
      section.append(el('p', 'empty', query ? 'No match.' : 'None found.'));
    } else {
      const list = el('ol', 'entity-list');
      for (const g of groups.slice(0, limit)) {
        const li = el('li');
        const button = el('button', 'link');
        button.type = 'button';
        // The name is the visible text plus a hidden word, so speech input ("click Marieke Dassen")
        // and screen readers agree (WCAG 2.5.3).
        const count = el('span', 'count', String(g.indices.length));
        count.append(el('span', 'visually-hidden', g.indices.length === 1 ? ' mention' : ' mentions'));
        button.append(el('span', 'name', g.name), ' ', count);
        button.addEventListener('click', () => onPick(g.indices));
        li.append(button);
        list.append(li);
        listed++;
      }
      section.append(list);
      if (groups.length > limit) section.append(more(groups.length - limit));
    }
    parts.push(section);
  }
  container.replaceChildren(...parts);
  return listed;
}

/** The names of one label for this result, grouped (cached): the core's clusters, or by spelling. */
export const entityGroups = (result, label) => cached(result, label,
  () => clusterMentions(result, label) ?? groupMentions(result.entities ?? [], label));

/** quotes grouped by speaker for this result (cached). */
export const speakerGroups = (result) => cached(result, 'quotes', () => groupQuotes(result.quotes ?? []));

/**
 * Fills `container` with quotes by speaker; onPick(quoteIndex) when a quote is clicked,
 * onCopy(quotation, speaker) when its Copy button is. Only quotations that match `query` (in
 * their text or their speaker's name), at most `limit` in all.
 * @returns {number} the quotations listed
 */
export function renderSpeakers(container, result, onPick, onCopy, { query = '', limit = 150 } = {}) {
  const all = speakerGroups(result);
  if (all.length === 0) {
    container.replaceChildren(el('p', 'empty', 'No quotes found.'));
    return 0;
  }
  let budget = limit;
  let left = 0;
  const parts = [];
  for (const g of all) {
    const quotations = query && !matches(query, g.speaker) ? g.quotations.filter((q) => matches(query, q.text)) : g.quotations;
    if (quotations.length === 0) continue;
    if (budget <= 0) { left += quotations.length; continue; } // counted, not built (a 5 MB article has thousands of speakers)
    const section = el('section', g.speaker === null ? 'speaker unattributed' : 'speaker');
    const head = el('h3', 'speaker-name');
    head.append(el('span', 'name', g.speaker ?? 'Unattributed'),
      el('span', 'count', `${g.quotations.length} quote${g.quotations.length === 1 ? '' : 's'}`));
    section.append(head);
    const list = el('ol', 'quote-list');
    for (const q of quotations) {
      if (budget <= 0) { left++; continue; }
      budget--;
      const li = el('li', 'quote-item');
      const button = el('button', 'quote-link');
      button.type = 'button';
      button.dataset.quote = String(q.indices[0]);
      button.append(el('span', 'quote-text', q.direct ? `“${shorten(q.text)}”` : shorten(q.text)));
      if (!q.direct) button.append(el('span', 'quote-kind', 'reported'));
      else if (q.partial) button.append(el('span', 'quote-kind', 'partial'));
      button.addEventListener('click', () => onPick(q.indices[0]));
      li.append(button);
      if (onCopy) {
        const copy = el('button', 'copy', 'Copy');
        copy.type = 'button';
        copy.setAttribute('aria-label', g.speaker ? `Copy quote by ${g.speaker}` : 'Copy unattributed quote');
        copy.addEventListener('click', () => onCopy(q, g.speaker));
        li.append(copy);
      }
      list.append(li);
    }
    if (list.childElementCount) { section.append(list); parts.push(section); }
  }
  if (parts.length === 0) parts.push(el('p', 'empty', 'No match.'));
  if (left) parts.push(more(left));
  container.replaceChildren(...parts);
  return limit - budget;
}

const SVG = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs = {}) => {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
};

/**
 * Who is quoted how often: a horizontal bar chart as inline SVG (no library), the most quoted
 * first, at most `max` people: speakers the core resolved to a name (not "backers", "the
 * ministry"). One role="img" with a text alternative that lists the figures.
 * @param {Element} container
 * @param {{speaker: string|null, quotations: object[]}[]} groups from groupQuotes()
 */
export function renderChart(container, groups, max = 8) {
  const named = groups.filter((g) => g.resolved).slice(0, max);
  if (named.length === 0) { container.replaceChildren(); return; }
  const top = Math.max(...named.map((g) => g.quotations.length));
  const row = 24, labelW = 120, barW = 150, width = labelW + barW + 34;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${named.length * row}`, width: '100%', class: 'chart', role: 'img' });
  const summary = named.map((g) => `${g.speaker}: ${g.quotations.length}`).join(', ');
  chart.setAttribute('aria-label', `Quotes per speaker. ${summary}`);
  const title = svg('title');
  title.textContent = `Quotes per speaker: ${summary}`;
  chart.append(title);
  named.forEach((g, i) => {
    const y = i * row;
    const n = g.quotations.length;
    const name = svg('text', { x: labelW - 6, y: y + row / 2, class: 'chart-name', 'text-anchor': 'end', 'dominant-baseline': 'central' });
    name.textContent = g.speaker.length > 18 ? g.speaker.slice(0, 17) + '…' : g.speaker;
    const w = Math.max(2, Math.round((barW * n) / top));
    const bar = svg('rect', { x: labelW, y: y + 5, width: w, height: row - 10, rx: 3, class: 'chart-bar' });
    const count = svg('text', { x: labelW + w + 5, y: y + row / 2, class: 'chart-count', 'dominant-baseline': 'central' });
    count.textContent = String(n);
    chart.append(name, bar, count);
  });
  container.replaceChildren(chart);
}

