/**
 * @module Child-process helper for the stdin test: reads a capture from standard input through the
 * pipeline (as `tcpdump -w - | careguard netmon ingest -` will) and prints packets, flows and a digest
 * of the reassembled bytes as JSON.
 */
import { createHash } from 'node:crypto';
import { pathOrStdinSource } from '../../../src/netmon/capture/index.js';
import { readCapture } from '../../../src/netmon/pipeline/read-capture.js';

const digest = createHash('sha256');
const stats = await readCapture(
  { bytes: pathOrStdinSource('-') },
  { onFlowStart: (key) => ({ onData: (dir, d) => digest.update(`${key.client.port}${dir}`).update(d) }) },
);
process.stdout.write(JSON.stringify({ packets: stats.packets, flows: stats.flows.flowsCreated, errors: stats.captureErrors, digest: digest.digest('hex') }));
