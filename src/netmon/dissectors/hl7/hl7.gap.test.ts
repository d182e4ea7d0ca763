import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../model.js';
import { createDispatcher } from '../registry.js';
import { SELECTED_BY } from '../support/late-sync.js';
import { dispatchGaps, dissectGaps, losing, type GapStep } from '../testing/gaps.js';
import { ascii, byteByByte, comparable, concat, cycling, fixedChunks, flowKey, type Step } from '../testing/harness.js';
import { hl7Dissector } from './dissector.js';

const key = flowKey('tcp', 2575);
const segments = (i: number) => [
  `MSH|^~\\&|ADT|HOSP|LIS|LAB|2024010203040${i % 10}||ADT^A08|MSG${i}|P|2.5`,
  `PID|1||47${i}^^^MRN||DOE^JOHN`,
  `PV1|1|I|W3^30${i % 10}^1`,
  `NTE|1||${'free text note '.repeat(8)}`,
];
const mllp = (i: number) => concat(Uint8Array.of(0x0b), ascii(segments(i).join('\r') + '\r'), Uint8Array.of(0x1c, 0x0d));
const rawLf = (i: number) => ascii(segments(i).join('\n') + '\n');
const messages = (frame: (i: number) => Uint8Array, ids: readonly number[]) => ids.map(frame);
/** where each message starts in the concatenated stream */
const offsets = (parts: readonly Uint8Array[]) => parts.map((_, i) => parts.slice(0, i).reduce((n, p) => n + p.length, 0));

const hl7Messages = (obs: readonly Observation[]) => obs.filter((o) => o.kind === 'hl7.message');
const marks = (o: Observation) => [o.fields.controlId, o.fields.endedByGap ?? null, o.fields.resyncedAfterGap ?? null, o.fields.afterGap ?? null];

describe('hl7 after a gap: reads on from the next message start', () => {
  for (const [name, frame, framing, endings] of [
    ['MLLP', mllp, 'mllp', ['CR']],
    ['raw HL7 with LF line ends', rawLf, 'raw', ['LF']],
  ] as const) {
    const parts = messages(frame, [1, 2, 3, 4, 5, 6]);
    const at = offsets(parts);
    // 30 bytes inside PV1 of message 3 are lost
    const from = (at[2] as number) + Buffer.from(parts[2] as Uint8Array).indexOf('PV1|') + 6;
    const steps = losing(parts.map((p): Step => ['c2s', p]), [{ dir: 'c2s', from, length: 30 }]);

    it(`${name}: messages 1, 2 as before, message 3 ended at the gap, 4-6 marked as read after it`, () => {
      const obs = dissectGaps(hl7Dissector, key, steps);
      expect(obs).toHaveLength(6);
      expect(hl7Messages(obs).map(marks)).toEqual([
        ['MSG1', null, null, null],
        ['MSG2', null, null, null],
        ['MSG3', true, null, null],
        ['MSG4', null, 1, { gapBytes: 30, skippedBytes: (at[3] as number) - (from + 30) }],
        ['MSG5', null, 1, null],
        ['MSG6', null, 1, null],
      ]);
      // message 3 as far as it was read: MSH, PID and the start of PV1
      expect(obs[2]?.fields).toMatchObject({ segmentIds: ['MSH', 'PID', 'PV1'], segmentCount: 3, framing });
      for (const o of [obs[0], obs[3], obs[5]]) expect(o?.fields).toMatchObject({ segmentIds: ['MSH', 'PID', 'PV1', 'NTE'], framing, lineEndings: endings, finalTerminator: true });
      // the patient identifiers of messages read after the gap are still flagged
      expect(obs[4]?.findings?.map((f) => f.code)).toEqual(['hl7.cleartext-phi']);
    });

    it(`${name}: the same observations in any chunking, and through the dispatcher`, () => {
      const baseline = comparable(dissectGaps(hl7Dissector, key, steps));
      for (const chunker of [byteByByte, fixedChunks(7), fixedChunks(1460)]) expect(comparable(dissectGaps(hl7Dissector, key, steps, chunker))).toEqual(baseline);
      const { obs, dispatcher } = dispatchGaps(key, steps, fixedChunks(1460));
      expect(dispatcher.producer).toBe('hl7@1.3.0');
      expect(comparable(obs)).toEqual(baseline);
    });
  }

  it('reads a message whose start block the gap took from inside its frame, still as MLLP', () => {
    const parts = messages(mllp, [1, 2, 3, 4]);
    const at = offsets(parts);
    // the end of message 2 and the start block of message 3 are lost
    const steps = losing(parts.map((p): Step => ['c2s', p]), [{ dir: 'c2s', from: (at[2] as number) - 40, length: 41 }]);
    const obs = hl7Messages(dissectGaps(hl7Dissector, key, steps));
    expect(obs.map(marks)).toEqual([
      ['MSG1', null, null, null],
      ['MSG2', true, null, null],
      ['MSG3', null, 1, { gapBytes: 41, skippedBytes: 0 }],
      ['MSG4', null, 1, null],
    ]);
    expect(obs.slice(2).map((o) => [o.fields.framing, o.fields.segmentCount])).toEqual([
      ['mllp', 4],
      ['mllp', 4],
    ]);
  });

  it('counts each resync: a second gap, in message 5, marks the messages after it with 2', () => {
    const parts = messages(mllp, [1, 2, 3, 4, 5, 6, 7]);
    const at = offsets(parts);
    const steps = losing(parts.map((p): Step => ['c2s', p]), [
      { dir: 'c2s', from: (at[1] as number) + 100, length: 7 },
      { dir: 'c2s', from: (at[4] as number) + 120, length: 40 },
    ]);
    expect(hl7Messages(dissectGaps(hl7Dissector, key, steps)).map((o) => [o.fields.controlId, o.fields.resyncedAfterGap ?? 0, o.fields.endedByGap ?? false])).toEqual([
      ['MSG1', 0, false],
      ['MSG2', 0, true],
      ['MSG3', 1, false],
      ['MSG4', 1, false],
      ['MSG5', 1, true],
      ['MSG6', 2, false],
      ['MSG7', 2, false],
    ]);
  });

  it('a direction still looking for its first message start keeps looking past a gap (no resync marker)', () => {
    // seen from inside message 1, which loses more bytes before message 2 starts
    const first = mllp(1);
    const steps: GapStep[] = [['c2s', first.subarray(60, 120)], ['c2s', 'gap', 25], ['c2s', first.subarray(145)], ['c2s', mllp(2)], ['c2s', mllp(3)]];
    const obs = dissectGaps(hl7Dissector, key, steps);
    expect(obs.map(marks)).toEqual([
      ['MSG2', null, null, null],
      ['MSG3', null, null, null],
    ]);
  });

  it('invents nothing from garbage after a gap and gives the direction up at the scan limit', () => {
    // text with start blocks and headers that never complete, then a message past the limit
    const junk = concat(ascii('PV1|1|I|W3\r'), Uint8Array.of(0x0b), ascii('MSH|^'), ascii('x'.repeat(983)));
    const after = concat(...Array.from({ length: 10 }, () => junk), mllp(9));
    const steps: GapStep[] = [['c2s', mllp(1)], ['c2s', mllp(2).subarray(0, 80)], ['c2s', 'gap', 1460], ['c2s', after], ['s2c', mllp(3)]];
    for (const chunker of [fixedChunks(1460), byteByByte]) {
      const obs = dissectGaps(hl7Dissector, key, steps, chunker, { resyncScanLimit: 5000 });
      expect(obs.map((o) => [o.kind, o.dir, o.fields.controlId ?? null])).toEqual([
        ['hl7.message', 'c2s', 'MSG1'],
        ['hl7.message', 'c2s', 'MSG2'],
        ['hl7.resync-given-up', 'c2s', null],
        ['hl7.message', 's2c', 'MSG3'],
      ]);
      expect(obs[2]?.fields).toEqual({ gaps: 1, gapBytes: 1460, scannedBytes: 5000, scanLimit: 5000 });
    }
  });
});

describe('hl7 late sync after a gap', () => {
  it('reports the direction scanning again after a gap, then synced, and stays recognised', () => {
    const obs: Observation[] = [];
    const d = createDispatcher(key, (o) => obs.push(o), { maxHeldBytes: 1024 });
    const filler = ascii('A'.repeat(5000));
    let frame = 0;
    const meta = () => ({ frame: ++frame, ts: frame });
    d.onData('c2s', concat(filler, mllp(1), mllp(2).subarray(0, 90)), meta());
    expect(d.state).toBe('late-sync');
    expect(d.lateSync?.c2s).toEqual({ state: 'synced', scannedBytes: 5000, carriedBytes: 0, syncedAfterBytes: 5000 });
    d.onGap('c2s', 700, meta());
    d.onData('c2s', ascii('|1|I|W3^301^1\rNTE|1||x\r'), meta());
    expect(d.producer).toBe('hl7@1.3.0');
    expect(d.lateSync?.c2s).toEqual({ state: 'scanning', scannedBytes: 23, carriedBytes: 11, syncedAfterBytes: null, sinceGap: true });
    d.onData('c2s', concat(Uint8Array.of(0x1c, 0x0d), mllp(3)), meta());
    expect(d.lateSync?.c2s).toEqual({ state: 'synced', scannedBytes: 25, carriedBytes: 0, syncedAfterBytes: 25, sinceGap: true });
    d.onClose('fin', meta());
    expect(obs.map((o) => [o.fields.controlId, o.fields.endedByGap ?? null, o.fields.resyncedAfterGap ?? null, o.fields.lateSync])).toEqual([
      ['MSG1', null, null, { selectedBy: SELECTED_BY, syncedAfterBytes: 5000 }],
      ['MSG2', true, null, { selectedBy: SELECTED_BY, syncedAfterBytes: 5000 }],
      ['MSG3', null, 1, { selectedBy: SELECTED_BY, syncedAfterBytes: 25 }],
    ]);
  });
});

describe('hl7 with random gaps', () => {
  it('never throws, invents nothing, reads every message the gaps leave whole, the same in any chunking', () => {
    const runs = Number(process.env.CAREGUARD_PROPERTY_RUNS ?? 150);
    let resynced = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 14 }),
        fc.boolean(),
        fc.array(fc.record({ from: fc.nat(), length: fc.integer({ min: 1, max: 900 }) }), { maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 1500 }), { minLength: 1, maxLength: 6 }),
        (count, useMllp, cuts, sizes) => {
          const frame = useMllp ? mllp : rawLf;
          const parts = messages(frame, Array.from({ length: count }, (_, i) => i + 1));
          const at = offsets(parts);
          const total = parts.reduce((n, p) => n + p.length, 0);
          // losses after message 1 (detection has seen it), not overlapping: every few segments at most
          const losses: { dir: 'c2s'; from: number; length: number }[] = [];
          let next = parts[0]?.length as number;
          for (const c of [...cuts].sort((a, b) => a.from - b.from)) {
            const from = next + (c.from % 600);
            if (from + c.length >= total) break;
            losses.push({ dir: 'c2s', from, length: c.length });
            next = from + c.length + 1;
          }
          const steps = losing(parts.map((p): Step => ['c2s', p]), losses);
          const obs = dissectGaps(hl7Dissector, key, steps);
          expect(comparable(dissectGaps(hl7Dissector, key, steps, cycling(sizes)))).toEqual(comparable(obs));
          // a message no loss touches is read whole exactly once (MLLP: its start block may be lost; raw: it
          // ends at the next header segment, so a loss in that one ends it instead)
          const touched = (from: number, to: number) => losses.some((l) => l.from < to && l.from + l.length > from);
          const readWhole = (i: number) => {
            const start = at[i] as number;
            const end = start + (parts[i] as Uint8Array).length;
            if (useMllp) return !touched(start + 1, end - 1);
            // the next message's MSH segment and its line end (message i + 2 counting from 1)
            return !touched(start, end) && (i === count - 1 || !touched(end, end + (segments(i + 2)[0] as string).length + 1));
          };
          const whole = obs.filter((o) => o.fields.endedByGap !== true);
          const expected = parts.map((_, i) => i).filter(readWhole);
          expect(whole.map((o) => o.fields.controlId)).toEqual(expected.map((i) => `MSG${i + 1}`));
          for (const o of whole) expect(o.fields).toMatchObject({ segmentCount: 4, finalTerminator: true });
          // what follows a gap says so
          const firstGap = losses[0]?.from ?? Number.POSITIVE_INFINITY;
          expect(whole.map((o) => o.fields.resyncedAfterGap !== undefined)).toEqual(expected.map((i) => (at[i] as number) > firstGap));
          if (whole.some((o) => o.fields.resyncedAfterGap !== undefined)) resynced++;
        },
      ),
      { numRuns: runs },
    );
    // the property was exercised: messages were read after losses
    expect(resynced).toBeGreaterThan(runs / 4);
  });
});
