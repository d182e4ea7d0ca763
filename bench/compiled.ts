/**
 * @module Loads the compiled build (dist/, what `careguard` and `npm start` run) of a source module,
 * for benchmarks of hot code. Running the source through tsx measures a different program: tsx
 * compiles with esbuild's keepNames, which wraps every function and class it creates in a call that
 * defines its `name` property, so each closure made per flow or per message costs a property
 * definition the shipped build does not pay (measured on the capture pipeline: 5-10% slower per pass).
 * Falls back to the source, saying so, when there is no build or it is older than the source.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');

export interface CodeUnderTest {
  /** 'compiled' (dist/, tsc output) or 'source' (src/ through tsx) */
  kind: 'compiled' | 'source';
  /** why the source was used, when it was */
  reason?: string;
}

/** The first source file (non-test) newer than its compiled counterpart or without one, else undefined. */
function staleSource(dir = SRC): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'testing') continue;
      const stale = staleSource(path);
      if (stale !== undefined) return stale;
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) {
      const out = join(DIST, relative(SRC, path)).replace(/\.ts$/, '.js');
      if (!existsSync(out) || statSync(out).mtimeMs < statSync(path).mtimeMs) return relative(ROOT, path);
    }
  }
  return undefined;
}

let decided: CodeUnderTest | undefined;

/** Which code the benchmarks load: the build when it is there and up to date with every source file. */
export function codeUnderTest(): CodeUnderTest {
  if (decided !== undefined) return decided;
  if (!existsSync(DIST)) decided = { kind: 'source', reason: 'no build (run `npm run build:server`)' };
  else {
    const stale = staleSource();
    decided = stale === undefined ? { kind: 'compiled' } : { kind: 'source', reason: `the build is older than ${stale} (run \`npm run build:server\`)` };
  }
  if (decided.kind === 'source') console.error(`bench: measuring the source through tsx, not the shipped build: ${decided.reason}`);
  return decided;
}

/**
 * The module at `srcPath` (relative to src/, e.g. 'netmon/pipeline/read-capture.ts'), compiled when
 * codeUnderTest() says so. `T` is the source module's type: `typeof import('../src/...')`.
 */
export async function loadModule<T>(srcPath: string): Promise<T> {
  const file = codeUnderTest().kind === 'compiled' ? join(DIST, srcPath.replace(/\.ts$/, '.js')) : join(SRC, srcPath);
  return (await import(pathToFileURL(file).href)) as T;
}
