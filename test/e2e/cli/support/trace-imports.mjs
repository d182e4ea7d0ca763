/**
 * A `node --import` preload that records every module the process loads, one URL a line, into the
 * file named by CAREGUARD_TRACE_IMPORTS: ES modules through a load hook (it runs on the hooks
 * thread, so it writes synchronously before each module is evaluated), CommonJS modules from
 * require.cache at exit (a CommonJS package's own require() calls pass no ESM hook in Node 20).
 */
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const file = process.env.CAREGUARD_TRACE_IMPORTS;
if (!file) throw new Error('trace-imports.mjs: set CAREGUARD_TRACE_IMPORTS to the file to write');
const hook = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(${JSON.stringify(file)}, url + '\\n');
  return next(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
const require = createRequire(import.meta.url);
process.on('exit', () => appendFileSync(file, Object.keys(require.cache).map((path) => `${pathToFileURL(path).href}\n`).join('')));
