import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concat, flowKey, type Chunker, type Step, cycling, outcome as outcomeOf } from '../testing/harness.js';
import { EXPIRED_CERT_DER, certificateMessage, clientHello, records, serverHello } from '../testing/tls.js';
import { tlsDissector } from './dissector.js';

const key = flowKey('tcp', 443);
const hello = clientHello({ ciphers: [0x1301, 0xc02f, 0x0005], sni: 'pacs.example', alpn: ['h2'], supportedVersions: [0x0304, 0x0303], groups: [29], pointFormats: [0], signatureAlgorithms: [0x0403] });

function session(fragment: number, appBytes: number, withCertificate: boolean): Step[] {
  const flight = withCertificate ? concat(serverHello({ cipher: 0xc02f }), certificateMessage([EXPIRED_CERT_DER])) : serverHello({ cipher: 0x1301, selectedVersion: 0x0304 });
  return [
    ['c2s', records(22, hello, fragment)],
    ['s2c', records(22, flight, fragment)],
    ['s2c', concat(records(20, Uint8Array.of(1)), records(23, new Uint8Array(appBytes)))],
    ['c2s', concat(records(20, Uint8Array.of(1)), records(22, new Uint8Array(40)), records(21, Uint8Array.of(1, 0)))],
  ];
}

const outcome = (steps: readonly Step[], chunker?: Chunker) => outcomeOf(tlsDissector, key, steps, chunker);

describe('tls dissector on mutated sessions', () => {
  it('throws only DissectorError and gives the same result in any chunking', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(16384, 300, 40, 5),
        fc.integer({ min: 0, max: 20_000 }),
        fc.boolean(),
        fc.array(fc.record({ step: fc.nat(), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 8 }),
        (fragment, appBytes, withCertificate, edits, sizes) => {
          const steps = session(fragment, appBytes, withCertificate).map(([dir, b]) => [dir, b.slice()] as const);
          for (const e of edits) {
            const b = steps[e.step % steps.length]![1];
            if (b.length > 0) b[e.at % Math.min(b.length, 400)] = e.value;
          }
          expect(outcome(steps, cycling(sizes))).toEqual(outcome(steps));
        },
      ),
      { numRuns: Number(process.env.CAREGUARD_PROPERTY_RUNS ?? 150) },
    );
  });
});
