// The side panel: who and what the article names (with mention counts), and quotes by speaker.
// Built from the result with DOM calls and textContent only; clicks are handed to the caller.
import { LABELS } from './labels.js';

const PANEL_LABELS = ['PER', 'ORG', 'LOC'];
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
    .sort((a, b) => b.indices.length - a.indices.length || a.name.localeCompare(b.name));
}

/** Groups quotations by speaker: [{speaker|null, quotations: [{indices, text, direct}]}]. */
export function groupQuotes(quotes) {
  const bySpeaker = new Map();
  const byGroup = new Map();
  quotes.forEach((q, i) => {
    const speaker = q.speaker_name ?? q.speaker?.text ?? null;
    const key = speaker === null ? null : norm(speaker);
    if (!bySpeaker.has(key)) bySpeaker.set(key, []);
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
  // A speaker named by surname alone ("Verhoef") joins the one full name that ends with it.
  const full = [...bySpeaker.keys()].filter((k) => k !== null && k.includes(' '));
  for (const key of [...bySpeaker.keys()]) {
    if (key === null || key.includes(' ')) continue;
    const owners = full.filter((f) => f.endsWith(' ' + key));
    if (owners.length !== 1) continue;
    const merged = bySpeaker.get(owners[0]).concat(bySpeaker.get(key));
    merged.sort((a, b) => a.indices[0] - b.indices[0]);
    bySpeaker.set(owners[0], merged);
    bySpeaker.delete(key);
  }
  return [...bySpeaker].map(([speaker, quotations]) => ({ speaker, quotations }))
    .sort((a, b) => (a.speaker === null) - (b.speaker === null)
      || b.quotations.length - a.quotations.length || (a.speaker ?? '').localeCompare(b.speaker ?? ''));
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
    .sort((a, b) => b.indices.length - a.indices.length || a.name.localeCompare(b.name));
}

/** Fills `container` with the entity lists; onPick(entityIndices) when a name is clicked. */
export function renderEntityLists(container, result, onPick) {
  const entities = result.entities ?? [];
  const parts = [];
  for (const label of PANEL_LABELS) {
    const meta = LABELS.find((l) => l.label === label);
    const groups = clusterMentions(result, label) ?? groupMentions(entities, label);
    const section = el('section', 'group');
    section.dataset.label = label;
    const title = el('h3', 'group-title');
    const swatch = el('span', 'swatch');
    swatch.dataset.label = label;
    swatch.setAttribute('aria-hidden', 'true');
    title.append(swatch, meta.plural);
    section.append(title);
    if (groups.length === 0) {
      section.append(el('p', 'empty', 'None found.'));
    } else {
      const list = el('ol', 'entity-list');
      for (const g of groups) {
        const li = el('li');
        const button = el('button', 'link');
        button.type = 'button';
        button.append(el('span', 'name', g.name), el('span', 'count', String(g.indices.length)));
        button.setAttribute('aria-label', `${g.name}: ${g.indices.length} mention${g.indices.length === 1 ? '' : 's'}; show in the article`);
        button.addEventListener('click', () => onPick(g.indices));
        li.append(button);
        list.append(li);
      }
      section.append(list);
    }
    parts.push(section);
  }
  container.replaceChildren(...parts);
}

/** Fills `container` with quotes by speaker; onPick(quoteIndex) when a quote is clicked. */
export function renderSpeakers(container, result, onPick) {
  const groups = groupQuotes(result.quotes ?? []);
  if (groups.length === 0) {
    container.replaceChildren(el('p', 'empty', 'No quotes found.'));
    return;
  }
  const parts = groups.map((g) => {
    const section = el('section', g.speaker === null ? 'speaker unattributed' : 'speaker');
    const head = el('h3', 'speaker-name');
    head.append(el('span', 'name', g.speaker ?? 'Unattributed'),
      el('span', 'count', `${g.quotations.length} quote${g.quotations.length === 1 ? '' : 's'}`));
    section.append(head);
    const list = el('ol', 'quote-list');
    for (const q of g.quotations) {
      const li = el('li');
      const button = el('button', 'quote-link');
      button.type = 'button';
      button.dataset.quote = String(q.indices[0]);
      button.append(el('span', 'quote-text', q.direct ? `“${shorten(q.text)}”` : shorten(q.text)));
      if (!q.direct) button.append(el('span', 'quote-kind', 'reported'));
      else if (q.partial) button.append(el('span', 'quote-kind', 'partial'));
      button.addEventListener('click', () => onPick(q.indices[0]));
      li.append(button);
      list.append(li);
    }
    section.append(list);
    return section;
  });
  container.replaceChildren(...parts);
}
