// The hand-written types (bindings/js/index.d.ts) against the schema, through the installed tarball
// (its "exports" → "types"): a file that uses every field compiles with `tsc --noEmit`, and real
// output — the seed article, PolNeAR dev and the invented golden articles (tests/golden/, which
// have the quote forms PolNeAR lacks), in both offset units — type-checks as `Document[]`
// with excess-property and exact-optional checks on, so a field the types lack or mistype fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { installTarball, corpus, REPO } from './install.mjs';

const TSC = path.join(REPO, 'node_modules', '.bin', 'tsc');
let project, outputs;

before(async () => {
  project = installTarball();
  const { annotateSync } = await import(pathToFileURL(path.join(project.dir, 'node_modules', 'pressmark', 'lib', 'node.js')));
  const golden = path.join(REPO, 'tests', 'golden');
  const docs = [...corpus(), ...readdirSync(golden).filter((f) => f.endsWith('.txt')).map((f) => ({ text: readFileSync(path.join(golden, f), 'utf8') }))];
  outputs = [...docs.map((d) => annotateSync(d.text)), ...docs.map((d) => annotateSync(d.text, { offsets: 'codepoint' }))];
});

after(() => project?.cleanup());

/** Runs tsc on `files` (in the temporary project) in strict mode; returns {ok, output}. */
function tsc(files) {
  writeFileSync(path.join(project.dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, noEmit: true,
      module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], types: [],
    },
    files,
  }));
  const r = spawnSync(TSC, ['-p', 'tsconfig.json'], { cwd: project.dir, encoding: 'utf8' });
  return { ok: r.status === 0, output: r.stdout + r.stderr };
}

/** A .ts file declaring `docs` as Document[], built from JSON (an object literal per document). */
function outputFile(name, docs) {
  writeFileSync(path.join(project.dir, name),
    `import type { Document } from 'pressmark';\nexport const docs: Document[] = ${JSON.stringify(docs)};\n`);
  return name;
}

test('a file that uses every type and field compiles against the installed package', () => {
  copyFileSync(path.join(import.meta.dirname, 'types', 'every-field.ts'), path.join(project.dir, 'every-field.ts'));
  const r = tsc(['every-field.ts']);
  assert.ok(r.ok, r.output);
});

test('misusing a field does not compile (the check reads the package\'s types)', () => {
  copyFileSync(path.join(import.meta.dirname, 'types', 'misuse.ts'), path.join(project.dir, 'misuse.ts'));
  const r = tsc(['misuse.ts']);
  assert.equal(r.ok, false);
  assert.match(r.output, /misuse\.ts\(6,7\).*'Label' is not assignable to type '"PERSON"'/);
  assert.match(r.output, /misuse\.ts\(7,\d+\).*possibly 'null'/);
});

test('real output on the seed article, PolNeAR dev and the golden articles type-checks as Document[]', () => {
  const r = tsc([outputFile('output.ts', outputs)]);
  assert.ok(r.ok, r.output.slice(0, 2000));
});

test('the output exercises every optional field of Entity and Quote, so the check above covers them', () => {
  const dts = readFileSync(path.join(project.dir, 'node_modules', 'pressmark', 'index.d.ts'), 'utf8');
  const optional = (name) => {
    const body = dts.match(new RegExp(`export interface ${name}\\b[^{]*\\{([\\s\\S]*?)\\n\\}`))[1];
    return [...body.matchAll(/^\s+(\w+)\?:/gm)].map((m) => m[1]);
  };
  const seen = new Set();
  for (const doc of outputs) for (const x of [...doc.entities, ...doc.quotes]) for (const k of Object.keys(x)) seen.add(k);
  for (const field of [...optional('Entity'), ...optional('Quote')]) assert.ok(seen.has(field), `no output has ${field}`);
  assert.ok(outputs.some((d) => d.entities.some((e) => typeof e.value === 'object')), 'a MONEY value');
  assert.ok(outputs.some((d) => d.entities.some((e) => typeof e.value === 'number')), 'a PERCENT value');
});

test('output with a field the types lack, or without one they require, does not type-check', () => {
  const [first] = outputs;
  const extra = { ...first, entities: [{ ...first.entities[0], kind: 'person' }] };
  const { confidence, ...noConfidence } = first.quotes[0];
  const missing = { ...first, quotes: [noConfidence] };
  const r = tsc([outputFile('extra.ts', [extra]), outputFile('missing.ts', [missing])]);
  assert.equal(r.ok, false);
  assert.match(r.output, /extra\.ts.*kind"?' does not exist in type 'Entity'/);
  assert.match(r.output, /missing\.ts.*'confidence' is missing/);
});
