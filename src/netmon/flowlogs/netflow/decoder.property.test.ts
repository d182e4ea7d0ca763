import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlowLogError } from '../errors.js';
import { ipfixPackets, syntheticFlows, v5Packets, v9Packets } from '../testing/flows.js';
import { FlowDecoder } from './decoder.js';

const NOW = 1_700_000_000_000;
const exporter = { address: '198.51.100.1', port: 2055 };
const valid = (() => {
  const flows = syntheticFlows(60, 42, NOW);
  return [...v5Packets(flows, { exportMs: NOW }), ...v9Packets(flows, { exportMs: NOW }), ...ipfixPackets(flows, { exportMs: NOW })];
})();

/** Decodes and checks the contract: no throw, only typed errors, bounded output. */
function checkContract(d: FlowDecoder, bytes: Uint8Array): void {
  const started = performance.now();
  const r = d.decode(bytes, exporter, NOW);
  expect(performance.now() - started).toBeLessThan(2000);
  for (const e of r.errors) expect(e).toBeInstanceOf(FlowLogError);
  for (const e of r.errors) expect(typeof e.where.byteOffset).toBe('number');
  expect(r.records.length).toBeLessThanOrEqual(d.limits.maxRecordsPerPacket);
  for (const rec of r.records) {
    expect(typeof rec.srcIp).toBe('string');
    expect(Number.isFinite(rec.startMs)).toBe(true);
  }
}

/** A datagram that keeps a real version and header so mutations reach the set and record parsers. */
const headed = fc.tuple(fc.constantFrom(5, 9, 10), fc.uint8Array({ maxLength: 600 })).map(([v, body]) => {
  const out = new Uint8Array(2 + body.length);
  out[1] = v;
  out.set(body, 2);
  return out;
});

const mutated = fc
  .tuple(fc.constantFrom(...valid), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 }), fc.nat())
  .map(([base, edits, cut]) => {
    const out = base.slice(0, base.length - (cut % Math.max(1, Math.floor(base.length / 4))));
    for (const [at, v] of edits) if (out.length > 0) out[at % out.length] = v;
    return out;
  });

describe('flow decoder under hostile input', () => {
  it('random bytes yield only typed errors and terminate', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2048 }), (b) => checkContract(new FlowDecoder(), b)), { numRuns: 600 });
  });

  it('random bodies behind a valid version field yield only typed errors and terminate', () => {
    const d = new FlowDecoder({ maxTemplatesPerExporter: 64 });
    fc.assert(fc.property(headed, (b) => checkContract(d, b)), { numRuns: 1500 });
  });

  it('mutated and truncated valid v5/v9/IPFIX packets, fed to one long-lived decoder, yield only typed errors', () => {
    const d = new FlowDecoder();
    // learn the real templates first so mutations hit the data-record paths too
    for (const p of valid) d.decode(p, exporter, NOW);
    fc.assert(fc.property(mutated, (b) => checkContract(d, b)), { numRuns: 1500 });
    const s = d.stats();
    expect(s.templates).toBeLessThanOrEqual(d.limits.maxTemplatesPerExporter);
    expect(s.heldSets).toBeLessThanOrEqual(d.limits.maxPendingSetsPerExporter);
  });
});
