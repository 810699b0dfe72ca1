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

/** Keeps text (an empty text deletes the record). Resolves false when storage refused it.
 *  Stored as a Blob: IndexedDB serialises a string on the main thread (0.7 s for 5 MB here),
 *  a Blob's bytes are handed over as they are (the UTF-8 encoding takes ~10 ms). */
export async function saveText(text) {
  try {
    const blob = text ? new Blob([text], { type: 'text/plain;charset=utf-8' }) : null;
    await run('readwrite', (s) => (blob ? s.put(blob, KEY) : s.delete(KEY)));
    return true;
  } catch {
    return false;
  }
}

/** Forgets the kept text. */
export const forgetText = () => saveText('');
