// The reader's text, kept in this browser's own storage (IndexedDB, never the network) so that a
// reload does not lose it (issue 12). One record, written a moment after the last change; deleted
// by Clear. Storage that is unavailable (a private window that refuses it) leaves the page working.

const DB = 'pressmark';
const STORE = 'drafts';
const KEY = 'text';

let opening = null;
function open() {
  opening ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return opening;
}

async function run(mode, act) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = act(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
}

/** The kept text, or null when there is none (or no storage). */
export async function loadText() {
  try {
    const kept = await run('readonly', (s) => s.get(KEY));
    if (typeof kept === 'string') return kept;
    return kept instanceof Blob ? await kept.text() : null;
  } catch {
    return null;
  }
}

const STEP = 1 << 20; // characters encoded at a time

/** text as UTF-8 in a Blob, encoded 1M characters at a time with a pause between (5 MB in one
 *  `new Blob([text])`: ~70 ms of main thread). A step never ends between the two halves of a
 *  surrogate pair. */
async function toBlob(text) {
  const encoder = new TextEncoder();
  const parts = [];
  for (let from = 0; from < text.length;) {
    let to = Math.min(text.length, from + STEP);
    if (to < text.length && (text.charCodeAt(to - 1) & 0xfc00) === 0xd800) to--;
    parts.push(encoder.encode(text.slice(from, to)));
    from = to;
    if (from < text.length) await new Promise((r) => setTimeout(r, 0));
  }
  return new Blob(parts, { type: 'text/plain;charset=utf-8' });
}

/** Keeps text (an empty text deletes the record). Resolves false when storage refused it.
 *  Stored as a Blob: IndexedDB serialises a string on the main thread (0.7 s for 5 MB here),
 *  a Blob's bytes are handed over as they are. */
export async function saveText(text) {
  try {
    const blob = text ? await toBlob(text) : null;
    await run('readwrite', (s) => (blob ? s.put(blob, KEY) : s.delete(KEY)));
    return true;
  } catch {
    return false;
  }
}

/** Forgets the kept text. */
export const forgetText = () => saveText('');
