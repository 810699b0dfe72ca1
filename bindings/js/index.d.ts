// Types of the pressmark package, written by hand from the wire schema documented in the crate's
// src/output.rs (the one source of truth). tests/package/ checks them against it both ways: a .ts
// file that uses every field compiles with `tsc --noEmit`, and real output (the seed article and
// PolNeAR dev) type-checks against `Document` with excess-property and exact-optional checks on.

/** Entity labels: four kinds of names, then values found by rules. */
export type Label =
  | 'PER' | 'ORG' | 'LOC' | 'MISC'
  | 'DATE' | 'TIME' | 'MONEY' | 'PERCENT' | 'CARDINAL' | 'ORDINAL';

/**
 * A piece of the text. Offsets are half-open (`start <= end`, end exclusive), in UTF-16 code
 * units by default (`text.slice(start, end) === span.text`) or in code points with
 * `offsets: "codepoint"` (`[...text].slice(start, end).join("")`, as the CLI and Python count).
 */
export interface Span {
  start: number;
  end: number;
  /** Exactly the text the offsets cover. */
  text: string;
}

/** A MONEY value: the amount in units of the currency, and its ISO 4217 code when known. */
export interface Money {
  amount: number;
  currency: string | null;
}

/** An entity mention. `entities` are sorted by `start` and never overlap. */
export interface Entity extends Span {
  label: Label;
  /** 0–1, three decimals. */
  confidence: number;
  /** The mention's entity: its index in `entities_index` (and that entry's `id`). */
  entity_id: number;
  /**
   * The normalised value, only where known: DATE → an ISO 8601 string ("2020-05-20", "2011-01",
   * "2020-W20"), resolved against the article's dateline for relative dates; MONEY → `Money`;
   * PERCENT → a number (12.5 for "12.5%").
   */
  value?: string | number | Money;
  /** Present (always `true`) on a relative date that no dateline resolves ("last Tuesday"). */
  relative?: true;
}

/** One entity, its mentions linked ("Khalifa Haftar", "Haftar"). */
export interface IndexEntry {
  /** = the `entity_id` of its mentions. */
  id: number;
  /** Canonical name: the longest mention. */
  name: string;
  label: Label;
  /** How many mentions it has. */
  mentions: number;
}

/** A quote, direct (in quotation marks) or reported. Its span is the content, marks excluded. */
export interface Quote extends Span {
  /** The mention the attribution rests on ("he", "Haftar"), or null when nobody is named. */
  speaker: Span | null;
  /** The speaker's canonical full name, or null: the `name` of its `entities_index` entry. */
  speaker_name: string | null;
  /** The `id` of the speaker's `entities_index` entry; present only when the speaker is one. */
  speaker_entity_id?: number;
  /** The reporting verb or phrase ("said", "according to"), or null. */
  cue: Span | null;
  /** true: quotation marks; false: reported speech. */
  direct: boolean;
  /** Present (true) for a fragment inside the reporter's sentence. */
  partial?: true;
  /** Present (true) when the quotation has no closing mark. */
  open_end?: true;
  /** Present (true) when the quote is in the headline or sub-headline. */
  headline?: true;
  /** Present (true) when the quote lies inside another quote. */
  nested?: true;
  /** Shared by the parts of one quotation, only when it has several parts. */
  group?: number;
  /** 0–1, three decimals. */
  confidence: number;
}

/** The result for one text: the wire schema of the CLI, with the offsets asked for. */
export interface Document {
  entities: Entity[];
  entities_index: IndexEntry[];
  quotes: Quote[];
  /** Quoted words that are nobody's utterance (scare quotes, titles, nicknames). */
  scare_quotes: Span[];
}

/** What `layers` can ask for; `"entities"` brings `entities_index` with it. */
export type Layer = 'entities' | 'quotes' | 'scare_quotes';

/** The fields of `Document` that each layer brings. */
export interface LayerFields {
  entities: 'entities' | 'entities_index';
  quotes: 'quotes';
  scare_quotes: 'scare_quotes';
}

/** A document with only the layers `L`: `Annotated<Layer>` is the whole `Document`. */
export type Annotated<L extends Layer = Layer> = Pick<Document, LayerFields[L]>;

/** The offset unit: "utf16" (JavaScript strings; the default) or "codepoint" (the CLI, Python). */
export type OffsetUnit = 'utf16' | 'codepoint';

export interface AnnotateOptions<L extends Layer = Layer> {
  /** Default: "utf16", or the annotator's. */
  offsets?: OffsetUnit;
  /** The lists to return (the others are left out). Default: all, or the annotator's. */
  layers?: readonly L[];
}

export interface AnnotatorOptions<L extends Layer = Layer> extends AnnotateOptions<L> {}

export interface AnnotateRequestOptions<L extends Layer = Layer> extends AnnotateOptions<L> {
  /** Aborting rejects with the signal's reason (an 'AbortError' DOMException) and stops the wasm. */
  signal?: AbortSignal;
}

/** The codes of `PressmarkError`. */
export type ErrorCode =
  /** The text is not a string. */
  | 'ERR_NOT_A_STRING'
  /** The text is over `maxTextBytes` bytes of UTF-8 (20 MB). */
  | 'ERR_TEXT_TOO_LARGE'
  /** An option has a value it cannot take. */
  | 'ERR_INVALID_OPTION'
  /** The wasm or the worker could not be loaded (createAnnotator rejects with it). */
  | 'ERR_LOAD'
  /** The wasm stopped on this text (a bug: please report the text); an annotator starts a new
   *  worker, while annotateSync() keeps failing in that thread (its wasm state is unknown). */
  | 'ERR_CRASHED'
  /** `close()` was called. */
  | 'ERR_CLOSED'
  /** annotateSync() in a browser before `await init()`. */
  | 'ERR_NOT_INITIALIZED'
  /** Should not happen: the text was not UTF-8, or the result could not be read. */
  | 'ERR_NOT_UTF8'
  | 'ERR_INTERNAL';

/** Every error the package throws or rejects with (aborts aside); branch on `code`. */
export class PressmarkError extends Error {
  constructor(code: ErrorCode, message: string, options?: ErrorOptions);
  readonly name: 'PressmarkError';
  readonly code: ErrorCode;
}

export interface RestartDetail {
  /** "crash": the wasm stopped on a text; "abort": a request was aborted while it ran. */
  reason: 'crash' | 'abort';
  code?: ErrorCode;
  message?: string;
}

/** An annotator running in a Web Worker (browsers) or a worker_thread (Node). */
export interface Annotator<D extends Layer = Layer> extends EventTarget {
  /**
   * Annotates `text` in the worker; the calling thread never blocks. Rejects with a
   * `PressmarkError`, or the signal's reason when `options.signal` aborts.
   */
  annotate<L extends Layer = D>(text: string, options?: AnnotateRequestOptions<L>): Promise<Annotated<L>>;
  /** Ends the worker; requests still waiting reject with ERR_CLOSED. */
  close(): Promise<void>;
  /** The size limit in bytes of UTF-8 (20 MB). */
  readonly maxTextBytes: number;
  /** 'restart': a new worker replaced one that crashed or was running an aborted request. */
  addEventListener(type: 'restart', listener: (event: CustomEvent<RestartDetail>) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
}

/** Starts an annotator; resolves once its worker has loaded the wasm (rejects with ERR_LOAD). */
export function createAnnotator<D extends Layer = Layer>(options?: AnnotatorOptions<D>): Promise<Annotator<D>>;

/**
 * Annotates on the calling thread (a worker of your own, a script, a test). Node loads the wasm
 * synchronously on first use; browsers need `await init()` once before (ERR_NOT_INITIALIZED).
 */
export function annotateSync<L extends Layer = Layer>(text: string, options?: AnnotateOptions<L>): Annotated<L>;

/** Loads the wasm on the calling thread for annotateSync(). Safe to call more than once. */
export function init(): Promise<void>;

/** The layer names, in order. */
export const LAYERS: readonly Layer[];
/** The offset units. */
export const OFFSET_UNITS: readonly OffsetUnit[];
/** The core's size limit in bytes of UTF-8 (20 MB). */
export const MAX_TEXT_BYTES: number;
