import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SKIP_REST } from '../../model.js';
import { createDispatcher } from '../registry.js';
import { SELECTED_BY } from '../support/late-sync.js';
import { ascii, byteByByte, comparable, concat, cycling, fixedChunks, flowKey, type Step } from '../testing/harness.js';
import { checkHostileBytes, dispatchFlow, perDirection, seenFrom } from '../testing/late-sync.js';

const key = flowKey('tcp', 2575);
const mllp = (segments: string[]) => concat(Uint8Array.of(0x0b), ascii(segments.join('\r') + '\r'), Uint8Array.of(0x1c, 0x0d));
// a PDF report as LIS interfaces embed it: base64 in OBX-5, one 20 KiB segment
const pdf = Buffer.from(Uint8Array.from({ length: 15_000 }, (_, i) => (i * 37 + 11) % 256)).toString('base64');
const ORU_PDF = mllp([
  'MSH|^~\\&|LIS|LAB|EHR|HOSP|20240102030405||ORU^R01^ORU_R01|LAB001|P|2.5.1',
  'PID|1||4711^^^MRN||DOE^JANE',
  `OBX|1|ED|PDF^Report||^AP^PDF^Base64^${pdf}||||||F`,
]);
const ORU = mllp(['MSH|^~\\&|LIS|LAB|EHR|HOSP|20240102030500||ORU^R01^ORU_R01|LAB002|P|2.5.1', 'OBX|1|NM|GLU||5.4|mmol/L|||||F']);
const ADT = mllp(['MSH|^~\\&|ADT|HOSP|LIS|LAB|20240102030600||ADT^A08|ADT003|P|2.5', 'PID|1||4712^^^MRN||DOE^JOHN']);
const ack = (id: string) => mllp([`MSH|^~\\&|EHR|HOSP|LIS|LAB|20240102030700||ACK^R01|A${id}|P|2.5.1`, `MSA|AA|${id}`]);

describe('hl7 late sync: a direction whose first 4 KiB lie inside a long OBX segment', () => {
  const steps: Step[] = [
    ['c2s', ORU_PDF],
    ['c2s', ORU],
    ['s2c', ack('LAB002')],
    ['c2s', ADT],
  ];
  // the monitor starts 1 KiB into the OBX segment
  const cut = Buffer.from(ORU_PDF).indexOf('OBX|') + 1024;
  const seen = seenFrom(steps, { c2s: cut, s2c: 0 });

  it('reads the whole messages that follow on port 2575, marked as selected by port after content detection failed', () => {
    const { obs, dispatcher } = dispatchFlow(key, seen);
    expect(dispatcher.state).toBe('late-sync');
    expect(dispatcher.producer).toBe('hl7@1.3.0');
    const messages = obs.filter((o) => o.kind === 'hl7.message');
    expect(messages.map((o) => [o.dir, o.fields.sendingApplication, o.fields.messageType, o.fields.triggerEvent, o.fields.controlId, o.fields.framing, o.fields.lateSync])).toEqual([
      ['c2s', 'LIS', 'ORU', 'R01', 'LAB002', 'mllp', { selectedBy: SELECTED_BY, syncedAfterBytes: ORU_PDF.length - cut }],
      ['s2c', 'EHR', 'ACK', 'R01', 'ALAB002', 'mllp', { selectedBy: SELECTED_BY, syncedAfterBytes: 0 }],
      ['c2s', 'ADT', 'ADT', 'A08', 'ADT003', 'mllp', { selectedBy: SELECTED_BY, syncedAfterBytes: ORU_PDF.length - cut }],
    ]);
    expect(messages[2]?.findings?.map((f) => f.code)).toEqual(['hl7.cleartext-phi']);
    expect(obs).toHaveLength(3);
    expect(dispatcher.lateSync).toEqual({
      c2s: { state: 'synced', scannedBytes: ORU_PDF.length - cut, carriedBytes: 0, syncedAfterBytes: ORU_PDF.length - cut },
      s2c: { state: 'synced', scannedBytes: 0, carriedBytes: 0, syncedAfterBytes: 0 },
    });
  });

  it('gives the same messages in any chunking', () => {
    const baseline = comparable(dispatchFlow(key, seen).obs);
    // the search for a message start is never deferred: even the interleaving stays
    for (const chunker of [byteByByte, fixedChunks(7), fixedChunks(1460)]) expect(comparable(dispatchFlow(key, seen, chunker).obs)).toEqual(baseline);
  });

  it('leaves the same bytes unclassified on another port, as before', () => {
    const { obs, dispatcher } = dispatchFlow(flowKey('tcp', 6661), seenFrom(steps, { c2s: cut, s2c: 1e9 }));
    expect(dispatcher.state).toBe('unclassified');
    expect(obs).toEqual([]);
  });
});

describe('hl7 late sync: scan limit and hostile bytes', () => {
  it('gives a direction up at the scan limit and carries at most one cut message start meanwhile', () => {
    const obs: string[] = [];
    const d = createDispatcher(key, (o) => obs.push(o.kind), { lateSyncScanLimit: 100_000 });
    // text with start blocks and headers that never complete ("\x0bMSH|^" then junk)
    const junk = concat(ascii('PV1|1|I|W3\r'), Uint8Array.of(0x0b), ascii('MSH|^'), ascii('x'.repeat(983)));
    let answer = 0;
    let maxCarried = 0;
    for (let frame = 1; answer !== SKIP_REST && frame < 1000; frame++) {
      answer = d.onData('c2s', junk, { frame, ts: frame });
      maxCarried = Math.max(maxCarried, d.lateSync?.c2s.carriedBytes ?? 0);
    }
    expect(answer).toBe(SKIP_REST);
    expect(d.lateSync?.c2s).toEqual({ state: 'given-up', scannedBytes: 100_000, carriedBytes: 0, syncedAfterBytes: null });
    expect(maxCarried).toBeLessThanOrEqual(11);
    expect(obs).toEqual(['hl7.late-sync-given-up']);
    expect(d.producer).toBeUndefined();
  });

  it('a message start cut by the scan limit is not taken, whatever the chunking', () => {
    const filler = ascii('A'.repeat(20_000));
    const stream = concat(filler, ADT);
    for (const limit of [20_005, 20_000 + ADT.length]) {
      const results = [fixedChunks(1), fixedChunks(1460), cycling([3, 20_003])].map((chunker) => dispatchFlow(key, [['c2s', stream]], chunker, { lateSyncScanLimit: limit }).obs.map((o) => o.kind));
      expect(results).toEqual([0, 1, 2].map(() => (limit === 20_005 ? ['hl7.late-sync-given-up'] : ['hl7.message'])));
    }
  });

  it('random and hostile bytes on port 2575 never fault, carry at most a cut start, and random ones produce no observation', () => {
    // start blocks, line ends and header letters: message starts are likely, and then read as HL7
    const alphabet = [0x0b, 0x1c, 0x0d, 0x0a, 0x4d, 0x53, 0x48, 0x42, 0x46, 0x7c, 0x5e, 0x7e, 0x5c, 0x26, 0x41];
    const runs = Number(process.env.CAREGUARD_PROPERTY_RUNS ?? 150);
    expect(checkHostileBytes({ port: 2575, protocol: 'hl7', alphabet, maxCarried: 11, numRuns: runs })).toBeGreaterThan(runs / 2);
  });

  it('the same messages in any chunking, wherever the monitor started inside the OBX', () => {
    // starts in the first 4 KiB are found by content detection, whose 'no' for a prefix of base64
    // text depends on how far the prefix reached: those flows are read alike, only not marked late
    fc.assert(
      fc.property(fc.integer({ min: Buffer.from(ORU_PDF).indexOf('OBX|') + 1, max: ORU_PDF.length - 4200 }), fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 6 }), (cut, sizes) => {
        const steps: Step[] = [['c2s', concat(ORU_PDF.subarray(cut), ORU, ADT)]];
        const whole = dispatchFlow(key, steps).obs;
        expect(perDirection(dispatchFlow(key, steps, cycling(sizes)).obs)).toEqual(perDirection(whole));
        expect(whole.filter((o) => o.kind === 'hl7.message').map((o) => o.fields.controlId).slice(-2)).toEqual(['LAB002', 'ADT003']);
      }),
      { numRuns: Number(process.env.CAREGUARD_PROPERTY_RUNS ?? 60) },
    );
  });
});
