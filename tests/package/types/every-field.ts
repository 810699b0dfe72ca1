// Uses every type and field of the package's index.d.ts, as a user's TypeScript would; compiled
// with `tsc --noEmit` (strict, exactOptionalPropertyTypes) against the installed tarball by
// tests/package/types.test.mjs. The @ts-expect-error lines must be errors: they check the types
// are as narrow as the schema.
import {
  createAnnotator, annotateSync, init, PressmarkError, LAYERS, OFFSET_UNITS, MAX_TEXT_BYTES,
  type Annotated, type AnnotateOptions, type AnnotateRequestOptions, type Annotator, type AnnotatorOptions,
  type Document, type Entity, type ErrorCode, type IndexEntry, type Label, type Layer, type LayerFields,
  type Money, type OffsetUnit, type Quote, type RestartDetail, type Span,
} from 'pressmark';

function span(s: Span): string {
  return `${s.start}-${s.end} ${s.text}`;
}

function money(m: Money): string {
  return m.currency === null ? `${m.amount}` : `${m.amount} ${m.currency.toUpperCase()}`;
}

function entity(e: Entity): string {
  const label: Label = e.label;
  let value = '';
  if (typeof e.value === 'string') value = e.value; // DATE
  else if (typeof e.value === 'number') value = e.value.toFixed(1); // PERCENT
  else if (e.value !== undefined) value = money(e.value);
  const relative: true | undefined = e.relative;
  return `${span(e)} ${label} ${e.confidence.toFixed(3)} #${e.entity_id} ${value} ${relative ?? ''}`;
}

function indexEntry(i: IndexEntry): string {
  return `${i.id} ${i.name} ${i.label} ×${i.mentions}`;
}

function quote(q: Quote): string {
  const speaker = q.speaker ? span(q.speaker) : 'nobody';
  const cue = q.cue === null ? '' : span(q.cue);
  const flags = [q.partial, q.open_end, q.headline, q.nested].filter((f): f is true => f === true).length;
  const group: number | undefined = q.group;
  const who: number | undefined = q.speaker_entity_id;
  return `${span(q)} ${speaker} ${q.speaker_name ?? ''} ${who ?? ''} ${cue} ${q.direct ? 'direct' : 'reported'} ${flags} ${group ?? ''} ${q.confidence}`;
}

function whole(doc: Document): string[] {
  return [...doc.entities.map(entity), ...doc.entities_index.map(indexEntry), ...doc.quotes.map(quote), ...doc.scare_quotes.map(span)];
}

function describeError(err: unknown): string {
  if (!(err instanceof PressmarkError)) return String(err);
  const code: ErrorCode = err.code;
  switch (code) {
    case 'ERR_NOT_A_STRING': case 'ERR_TEXT_TOO_LARGE': case 'ERR_INVALID_OPTION': case 'ERR_LOAD':
    case 'ERR_CRASHED': case 'ERR_CLOSED': case 'ERR_NOT_INITIALIZED': case 'ERR_NOT_UTF8': case 'ERR_INTERNAL':
      return `${err.name} ${code}: ${err.message}`;
    default: {
      const never: never = code; // every code is handled above
      return never;
    }
  }
}

export async function main(text: string): Promise<string[]> {
  const defaults: AnnotatorOptions<'quotes' | 'entities'> = { offsets: 'codepoint', layers: ['quotes', 'entities'] };
  const annotator: Annotator<'quotes' | 'entities'> = await createAnnotator(defaults);
  annotator.addEventListener('restart', (ev) => {
    const detail: RestartDetail = ev.detail;
    console.log(detail.reason, detail.code, detail.message);
  });
  const limit: number = annotator.maxTextBytes + MAX_TEXT_BYTES;
  const controller = new AbortController();
  const request: AnnotateRequestOptions<Layer> = { signal: controller.signal, offsets: 'utf16', layers: LAYERS };
  const all: Document = await annotator.annotate(text, request);
  const defaultLayers = await annotator.annotate(text);
  defaultLayers.quotes.map(quote);
  // @ts-expect-error the annotator's default layers leave out scare_quotes
  defaultLayers.scare_quotes;
  const onlyQuotes: Annotated<'quotes'> = await annotator.annotate(text, { layers: ['quotes'] });
  // @ts-expect-error a layer not asked for is not in the type
  onlyQuotes.entities;
  // @ts-expect-error not a layer
  await annotator.annotate(text, { layers: ['names'] });
  // @ts-expect-error not an offset unit
  await annotator.annotate(text, { offsets: 'bytes' });
  await annotator.close();

  await init();
  const units: readonly OffsetUnit[] = OFFSET_UNITS;
  const options: AnnotateOptions<'scare_quotes'> = { offsets: units[1] ?? 'codepoint', layers: ['scare_quotes'] };
  const scare = annotateSync(text, options);
  const fields: LayerFields['entities'][] = ['entities', 'entities_index'];
  try {
    annotateSync(42 as unknown as string);
  } catch (err) {
    console.log(describeError(err));
  }
  return [...whole(all), ...scare.scare_quotes.map(span), ...fields, `${limit}`];
}
