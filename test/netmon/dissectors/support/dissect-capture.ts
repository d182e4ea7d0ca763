/**
 * @module Runs a capture file through the real ingest pipeline (H6's capture reader, decoder and flow
 * tracker) with the dissector dispatcher on every flow, and runs tshark on the same file for comparison.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { createDispatcher, type Dispatcher } from '../../../../src/netmon/dissectors/index.js';
import type { FlowKey, Observation } from '../../../../src/netmon/model.js';
import { readCaptureFile } from '../../../../src/netmon/pipeline/read-capture.js';

export interface DissectedCapture {
  observations: Observation[];
  flows: { key: FlowKey; dispatcher: Dispatcher }[];
  consumerErrors: number;
}

export async function dissectCapture(file: string): Promise<DissectedCapture> {
  const observations: Observation[] = [];
  const flows: DissectedCapture['flows'] = [];
  const stats = await readCaptureFile(file, {
    onFlowStart: (key) => {
      const dispatcher = createDispatcher(key, (o) => observations.push(o));
      flows.push({ key, dispatcher });
      return dispatcher;
    },
  });
  return { observations, flows, consumerErrors: stats.consumerErrors };
}

/** tshark -T fields output as rows of columns (tshark must be installed) */
export function tsharkFields(file: string, args: string[]): string[][] {
  const r = spawnSync('tshark', ['-n', '-r', file, ...args, '-T', 'fields'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`tshark failed (${r.status}): ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split('\t'));
}

export const hasTool = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
/** ../shared/data beside the repository (see /work/shared/data/SOURCES.md) */
export const sharedDataDir = path.resolve(repoRoot, '../shared/data');
export const sharedDataPresent = (): boolean => existsSync(path.join(sharedDataDir, 'pcap'));
export const inCi = process.env.CI === 'true';

export const byKind = (obs: readonly Observation[], kind: string) => obs.filter((o) => o.kind === kind);
export const onPort = (obs: readonly Observation[], port: number) => obs.filter((o) => o.flow?.server.port === port);
