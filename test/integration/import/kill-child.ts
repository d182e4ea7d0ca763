/**
 * @module Child process for the kill test: imports a CSV into a SQLite file and prints one line
 * per stored batch ("applied <rows>"), so the parent can SIGKILL it between (or during) batches.
 * Usage: tsx kill-child.ts <db file> <csv file> <batch size>
 */
import { systemActor, systemClock } from '../../../src/core/index.js';
import { importStack, openSqliteFile } from './stack.js';

const [dbPath, csvPath, batch] = process.argv.slice(2);
const handle = await openSqliteFile(dbPath!);
const { imports } = importStack(handle, systemClock);
await imports.importFile(csvPath!, { batchSize: Number(batch) }, systemActor('kill-child'), (p) => {
  if (p.phase === 'importing' && p.imported > 0) process.stdout.write(`applied ${p.imported}\n`);
});
process.stdout.write('done\n');
await handle.close();
