// The article view, drawn in pieces so that no main-thread task is long at any input size
// (issue 12: a 5 MB result drawn as one block of 514k elements froze the page for 133 s).
//
//  1. plan() and splitChunks() (www/render.js): where the marks go, and the text cut into pieces
//     after paragraph breaks; pure array work.
//  2. Every piece becomes a <div class="piece"> holding its plain text, in slices of a few ms: the
//     whole article is readable, searchable and scrollable at once. Pieces are grouped in
//     sections; on a large text a section carries `content-visibility: auto` with an estimated
//     height, so the browser lays out only what is near the screen. The first screenful is drawn
//     with its marks straight away.
//  3. Each piece's plain text is then replaced by its marked-up version, the pieces on screen
//     first, then the rest in order, in slices between which the browser paints and handles input.
// A piece is also drawn at once when something needs it (a jump from the panel, arrow keys).
//
// Keyboard: the marks and quotes form one roving tab stop (WAI-ARIA APG "roving tabindex"): Tab
// enters the article at the current mark and the next Tab leaves it for the side panel; the arrow
// keys move from mark to mark, Home/End go to the first/last.
import { planSteps, splitChunks, renderRange } from './render.js';

export const ITEMS = 'mark[data-entity], .quote, .speaker-ref';
const SLICE_MS = 8;
const FIRST_SCREEN_CHARS = 12_000; // drawn with marks in the first slice
const LARGE_TEXT = 60_000; // from here on, pieces off screen are not laid out
const PIECES_PER_SLICE = 600;
const SECTION_PIECES = 24;

const yieldToBrowser = () => (globalThis.scheduler?.yield ? globalThis.scheduler.yield() : new Promise((r) => setTimeout(r, 0)));

export class ArticleView {
  #el;
  #plan = null;
  #cuts = new Int32Array(0);
  #pieces = [];
  #index = new WeakMap(); // piece → its index
  #drawn = 0; // characters drawn with their marks
  #generation = 0;
  /** entity_id whose mentions carry class "linked" (see main.js); applied to pieces drawn later. */
  linked = null;
  /** (el) → whether the roving focus should skip el (a type the reader hid). */
  skip = () => false;

  constructor(el) {
    this.#el = el;
    el.addEventListener('keydown', (ev) => this.#onKey(ev));
    el.addEventListener('focusin', (ev) => {
      const item = ev.target.closest?.(ITEMS);
      if (item) this.setCurrent(item);
    });
  }

  get plan() { return this.#plan; }
  /** How many pieces the text is cut into (all of them are in the view once step 2 is done). */
  get pieceCount() { return this.#pieces.length; }

  /**
   * Shows text with its result, progressively.
   * @param {string} text
   * @param {object} result the wire schema (UTF-16 offsets)
   * @param {{signal?: AbortSignal, onProgress?: (fraction: number) => void, onFirstMarks?: () => void}} [opts]
   * @returns {Promise<boolean>} true when every piece was drawn with its marks; false when the
   *   drawing was cancelled (signal) or replaced by a newer show() (the text is then complete, the
   *   marks are not)
   */
  async show(text, result, { signal, onProgress = () => {}, onFirstMarks = () => {} } = {}) {
    const generation = ++this.#generation;
    const stale = () => generation !== this.#generation;
    const large = text.length > LARGE_TEXT;
    // Step 1, with a pause between its passes on a large text (each is tens of ms at 5 MB).
    const steps = planSteps(text, result);
    let step;
    while (!(step = steps.next()).done) {
      if (large) { await yieldToBrowser(); if (stale()) return false; }
    }
    const p = step.value;
    if (large) { await yieldToBrowser(); if (stale()) return false; }
    const cuts = splitChunks(p);
    if (large) { await yieldToBrowser(); if (stale()) return false; }
    this.#plan = p;
    this.#cuts = cuts;
    this.#pieces = new Array(Math.max(0, this.#cuts.length - 1));
    this.#drawn = 0;
    const el = this.#el;
    el.classList.toggle('large', large);
    // Only a large text needs height estimates (and reading the width forces a layout).
    const lineChars = large ? Math.max(20, Math.floor((el.clientWidth || 600) / 9)) : 0; // 18px serif ≈ 9px a char
    const lineHeight = 31.5;

    // Steps 2 and 3: plain pieces for everything (the first screenful marked), in slices, grouped
    // in sections of SECTION_PIECES: a section is what `content-visibility: auto` skips, as the
    // browser tracks every such element's visibility each frame (22k pieces cost ~100 ms a frame).
    el.replaceChildren();
    let i = 0;
    let cancelled = false;
    let firstReported = false;
    let section = null;
    let sectionLines = 0;
    const closeSection = () => {
      if (section && large) section.style.containIntrinsicSize = `auto ${Math.ceil(sectionLines * lineHeight)}px`;
    };
    while (i < this.#pieces.length) {
      const deadline = performance.now() + SLICE_MS;
      const frag = document.createDocumentFragment();
      const stop = i + PIECES_PER_SLICE; // the browser styles each new piece in the next frame
      for (; i < this.#pieces.length && i < stop && (performance.now() < deadline || i === 0); i++) {
        const from = this.#cuts[i], to = this.#cuts[i + 1];
        if (i % SECTION_PIECES === 0) {
          closeSection();
          section = document.createElement('div');
          section.className = 'section';
          sectionLines = 0;
          frag.append(section);
        }
        const piece = document.createElement('div');
        piece.className = 'piece';
        if (large) sectionLines += estimateLines(text, from, to, lineChars);
        if (!cancelled && from < FIRST_SCREEN_CHARS) {
          piece.append(renderRange(p, from, to, { linked: this.linked }));
          piece.dataset.drawn = 'true';
          this.#drawn += to - from;
        } else {
          piece.append(text.slice(from, to));
        }
        this.#pieces[i] = piece;
        this.#index.set(piece, i);
        section.append(piece);
      }
      closeSection();
      el.append(frag);
      if (!firstReported) { firstReported = true; onFirstMarks(); }
      onProgress(this.#fraction());
      if (i < this.#pieces.length) {
        await yieldToBrowser();
        if (stale()) return false;
        if (signal?.aborted) cancelled = true;
      }
    }
    if (!firstReported) onFirstMarks();
    this.#ensureCurrent();
    if (cancelled || signal?.aborted) return false;

    // Step 3: the rest of the marks, pieces on screen first (found again after each scroll).
    let next = 0;
    let wanted = [];
    let looking = 0;
    const onScroll = () => {
      if (looking) return;
      looking = requestAnimationFrame(() => { looking = 0; wanted = this.#onScreen(); });
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    try {
      while (this.#drawn < text.length) {
        const deadline = performance.now() + SLICE_MS;
        for (const k of wanted.splice(0)) this.#drawAt(k);
        while (performance.now() < deadline) {
          while (next < this.#pieces.length && this.#pieces[next].dataset.drawn) next++;
          if (next >= this.#pieces.length) break;
          this.#drawAt(next);
        }
        onProgress(this.#fraction());
        if (this.#drawn >= text.length || next >= this.#pieces.length) break;
        await yieldToBrowser();
        if (stale() || signal?.aborted) return false;
      }
    } finally {
      window.removeEventListener('scroll', onScroll);
      cancelAnimationFrame(looking);
    }
    this.#ensureCurrent();
    return !stale();
  }

  /** Indices of the pieces on screen and just below, found by hit-testing a few points down the
   *  view: once a scrolled frame, where an IntersectionObserver over 20k pieces costs every frame. */
  #onScreen() {
    const r = this.#el.getBoundingClientRect();
    const h = window.innerHeight;
    const out = [];
    if (r.bottom < 0 || r.top > h || !this.#pieces.length) return out;
    const x = r.left + Math.min(24, r.width / 2);
    for (let y = Math.max(r.top, 0) + 1; y < Math.min(r.bottom, h); y += h / 8) {
      const piece = document.elementFromPoint(x, y)?.closest?.('.piece');
      const i = piece ? this.#index.get(piece) : undefined;
      if (i === undefined) continue;
      for (let k = Math.max(0, i - 1); k <= Math.min(this.#pieces.length - 1, i + 2); k++) out.push(k);
    }
    return out;
  }

  #fraction() {
    const n = this.#plan?.text.length ?? 0;
    return n ? this.#drawn / n : 1;
  }

  /** Draws piece i with its marks (no-op when drawn); returns it. */
  #drawAt(i) {
    const piece = this.#pieces[i];
    if (!piece || piece.dataset.drawn) return piece;
    const from = this.#cuts[i], to = this.#cuts[i + 1];
    piece.replaceChildren(renderRange(this.#plan, from, to, { linked: this.linked }));
    piece.dataset.drawn = 'true';
    this.#drawn += to - from;
    return piece;
  }

  /** The index of the piece holding UTF-16 offset pos. */
  #pieceAt(pos) {
    const cuts = this.#cuts;
    let lo = 0, hi = cuts.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (cuts[mid] <= pos) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /** The piece holding offset pos, drawn with its marks now if it was not yet. */
  drawAt(pos) {
    if (!this.#pieces.length) return null;
    return this.#drawAt(this.#pieceAt(pos));
  }

  /** The mark of entity i, drawing its piece first if needed (null when the view left it out). */
  entityElement(i) {
    const e = this.#plan?.result.entities?.[i];
    if (!e || !Number.isInteger(e.start)) return null;
    return this.drawAt(e.start)?.querySelector(`mark[data-entity="${i}"]`) ?? null;
  }

  /** The mark of entity i if its piece is drawn already (null otherwise: it is drawn later with
   *  the view's current state, e.g. `linked`). */
  drawnEntityElement(i) {
    const e = this.#plan?.result.entities?.[i];
    if (!e || !Number.isInteger(e.start) || !this.#pieces.length) return null;
    const piece = this.#pieces[this.#pieceAt(e.start)];
    return piece?.dataset.drawn ? piece.querySelector(`mark[data-entity="${i}"]`) : null;
  }

  /** The first part of quote j, drawing its piece first if needed. */
  quoteElement(j) {
    const placed = this.#plan?.quotes.find((q) => q.index === j);
    if (!placed) return null;
    return this.drawAt(placed.start)?.querySelector(`.quote[data-quote="${j}"]`) ?? null;
  }

  // ---- the roving tab stop ------------------------------------------------------------------

  setCurrent(item) {
    if (!item) return;
    const old = this.#el.querySelector('[data-current]');
    if (old === item) { item.tabIndex = 0; return; }
    if (old) { old.tabIndex = -1; delete old.dataset.current; }
    item.tabIndex = 0;
    item.dataset.current = 'true';
  }

  /** Makes sure one visible item is the tab stop (after a redraw or a filter change). */
  #ensureCurrent() {
    const cur = this.#el.querySelector('[data-current]');
    if (cur && !this.skip(cur)) return;
    const first = this.#step(null, 1);
    if (first) this.setCurrent(first);
    else if (cur) { cur.tabIndex = -1; delete cur.dataset.current; }
  }

  refreshCurrent() { this.#ensureCurrent(); }

  /** The next (dir 1) or previous (dir -1) item after `from` (null: from the start / end). */
  #step(from, dir) {
    const n = this.#pieces.length;
    let i = from ? (this.#index.get(from.closest('.piece')) ?? -1) : dir > 0 ? 0 : n - 1;
    let candidates = i >= 0 && i < n ? [...this.#drawAt(i).querySelectorAll(ITEMS)] : [];
    let k = from ? candidates.indexOf(from) + dir : dir > 0 ? 0 : candidates.length - 1;
    for (;;) {
      for (; k >= 0 && k < candidates.length; k += dir) if (!this.skip(candidates[k])) return candidates[k];
      i += dir;
      if (i < 0 || i >= n) return null;
      candidates = [...this.#drawAt(i).querySelectorAll(ITEMS)];
      k = dir > 0 ? 0 : candidates.length - 1;
    }
  }

  #onKey(ev) {
    const item = ev.target.closest?.(ITEMS);
    if (!item || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    let to = null;
    if (ev.key === 'ArrowRight' || ev.key === 'ArrowDown') to = this.#step(item, 1);
    else if (ev.key === 'ArrowLeft' || ev.key === 'ArrowUp') to = this.#step(item, -1);
    else if (ev.key === 'Home') to = this.#step(null, 1);
    else if (ev.key === 'End') to = this.#step(null, -1);
    else return;
    ev.preventDefault();
    if (to) { this.setCurrent(to); to.focus(); }
  }
}

/** Lines text[from, to) takes at lineChars characters a line (a height estimate before layout). */
function estimateLines(text, from, to, lineChars) {
  let lines = 0;
  let at = from;
  while (at < to) {
    let nl = text.indexOf('\n', at);
    if (nl < 0 || nl >= to) nl = to;
    lines += Math.max(1, Math.ceil((nl - at) / lineChars));
    at = nl + 1;
  }
  return lines;
}
