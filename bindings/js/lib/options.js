// The options and errors every entry point shares; no wasm here, so the caller's side (browser.js,
// node.js, client.js) can check a request before it reaches a worker.

/** The layers a result can carry; `entities` brings `entities_index` with it. */
export const LAYERS = Object.freeze(['entities', 'quotes', 'scare_quotes']);
const LAYER_BITS = { entities: 1, quotes: 2, scare_quotes: 4 }; // = LAYER_* in src/wasm.rs
export const OFFSET_UNITS = Object.freeze(['utf16', 'codepoint']);
/** The core's limit in bytes of UTF-8 (MAX_TEXT_BYTES in src/lib.rs); the wasm reports it too. */
export const MAX_TEXT_BYTES = 20 * 1024 * 1024;

/** Every error the package throws or rejects with, except aborts (a DOMException 'AbortError'). */
export class PressmarkError extends Error {
  constructor(code, message, options) {
    super(message, options);
    this.name = 'PressmarkError';
    this.code = code;
  }
}

/**
 * Checks annotate's options over the annotator's defaults; returns what the wasm takes:
 * `{ codePoints: boolean, layers: number }` (a bit set). Throws ERR_INVALID_OPTION.
 */
export function resolveOptions(options = {}, defaults = {}) {
  if (options === null || typeof options !== 'object') {
    throw new PressmarkError('ERR_INVALID_OPTION', `options must be an object, not ${describe(options)}`);
  }
  const offsets = options.offsets ?? defaults.offsets ?? 'utf16';
  if (!OFFSET_UNITS.includes(offsets)) {
    throw new PressmarkError('ERR_INVALID_OPTION', `offsets must be "utf16" or "codepoint", not ${describe(offsets)}`);
  }
  const layers = options.layers ?? defaults.layers ?? LAYERS;
  if (!Array.isArray(layers)) {
    throw new PressmarkError('ERR_INVALID_OPTION', `layers must be an array of ${LAYERS.map((l) => `"${l}"`).join(', ')}`);
  }
  let bits = 0;
  for (const layer of layers) {
    if (!Object.hasOwn(LAYER_BITS, layer)) {
      throw new PressmarkError('ERR_INVALID_OPTION', `unknown layer ${describe(layer)}; the layers are ${LAYERS.map((l) => `"${l}"`).join(', ')}`);
    }
    bits |= LAYER_BITS[layer];
  }
  return { codePoints: offsets === 'codepoint', layers: bits };
}

/** Throws ERR_NOT_A_STRING or ERR_TEXT_TOO_LARGE; cheap for all but texts near the limit. */
export function checkText(text, limit = MAX_TEXT_BYTES) {
  if (typeof text !== 'string') {
    throw new PressmarkError('ERR_NOT_A_STRING', `the text must be a string, not ${describe(text)}`);
  }
  // every UTF-16 unit is 1 to 3 bytes of UTF-8: count only when the length leaves it open
  if (text.length > limit || (text.length * 3 > limit && utf8Length(text) > limit)) {
    throw new PressmarkError('ERR_TEXT_TOO_LARGE',
      `the text is ${(utf8Length(text) / 1048576).toFixed(1)} MB; the limit is ${limit / 1048576} MB`);
  }
}

/** Bytes of UTF-8 that the wasm will see (a lone surrogate becomes U+FFFD, 3 bytes). */
export function utf8Length(text) {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

function describe(value) {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  return Array.isArray(value) ? 'an array' : typeof value;
}
