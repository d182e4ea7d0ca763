/**
 * @module A dissector catalog for hang-guard.test.ts: `endless` never returns once it is given a
 * byte to parse (onData) or to look at (detect), as a parser whose loop stops advancing would;
 * `steady` accepts everything. Loaded only by that test's property worker, never by the registry.
 */
import type { Dissector } from '../../../src/netmon/dissectors/contract.js';
import type { Step } from '../../../src/netmon/dissectors/testing/harness.js';

function spin(): never {
  for (;;) {
    // a parser stuck on the same offset
  }
}

const base = { version: '1.0.0', transport: 'tcp', defaultPorts: [9999] } as const;

const endless: Dissector = {
  ...base,
  id: 'endless',
  detect: (bytes) => (bytes.length > 0 ? spin() : 'need-more'),
  create: () => ({ onData: (_dir, data) => (data.length > 0 ? spin() : undefined) }),
};

const steady: Dissector = { ...base, id: 'steady', detect: () => 'no', create: () => ({ onData: () => undefined }) };

const SEEDS: Step[][] = [[['c2s', Uint8Array.of(1, 2, 3)]]];

export const dissectorsWithSeeds = (): [Dissector, Step[][]][] => [
  [endless, SEEDS],
  [steady, SEEDS],
];
