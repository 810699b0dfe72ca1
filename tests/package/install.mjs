// Shared set-up for the package tests: the tarball `npm run pack` wrote (dist/pressmark-<version>.tgz),
// installed into a fresh temporary project with `npm install <file>` (offline: the package has no
// dependencies, so no registry is involved), as a user would get it. Not a test file itself.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED = path.resolve(REPO, '..', 'shared');
export const CLI = path.join(REPO, 'target', 'release', 'pressmark');
const { version } = JSON.parse(readFileSync(path.join(REPO, 'bindings', 'js', 'package.json'), 'utf8'));
export const TARBALL = path.join(REPO, 'dist', `pressmark-${version}.tgz`);

/** A file from ../shared; throws (never skips) when it is missing. */
export function shared(rel) {
  const file = path.join(SHARED, rel);
  if (!existsSync(file)) throw new Error(`${file} is missing: the package tests read ../shared (the evaluation data beside the repository)`);
  return file;
}

/** A temporary project with the tarball installed; `cleanup()` removes it. */
export function installTarball() {
  if (!existsSync(TARBALL)) throw new Error(`${TARBALL} is missing: run \`npm run pack\` first (npm test does)`);
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pressmark-pkg-'));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'pressmark-user', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', TARBALL], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The CLI's output (code-point offsets) for each {id, text}, in order. */
export function cli(docs) {
  const input = docs.map(({ id, text }) => JSON.stringify({ id, text })).join('\n') + '\n';
  const out = execFileSync(CLI, ['annotate', '--jsonl'], { input, maxBuffer: 1 << 30, encoding: 'utf8' });
  return out.trim().split('\n').map((line) => JSON.parse(line));
}

/** The texts the output is compared on: the seed article, then every PolNeAR dev article. */
export function corpus() {
  const seed = { id: 'seed', text: readFileSync(shared('examples/seed-article.txt'), 'utf8') };
  const dev = readFileSync(shared('data/polnear/dev.jsonl'), 'utf8').trim().split('\n')
    .map((line, i) => ({ id: `dev-${i}`, text: JSON.parse(line).text }));
  return [seed, ...dev];
}
