#!/usr/bin/env node
// Entry point for `careguard` / `npx careguard`: runs the compiled CLI (npm start builds it first).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('careguard is not built yet: run `npm run build` (npm start does it for you)\n');
  process.exit(2);
}
// A reader that stops early (`careguard ... --json | head`) closes the pipe: stop quietly, as other
// command-line tools do, rather than with an unhandled EPIPE error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const { runCli } = await import(entry);
process.exitCode = await runCli(process.argv);
