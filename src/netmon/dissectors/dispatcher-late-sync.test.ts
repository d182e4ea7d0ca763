import { describe, expect, it } from 'vitest';
import { SKIP_REST, type FlowKey, type StreamConsumer } from '../model.js';
import type { Dissector, LateSyncConsumer, LateSyncOptions } from './contract.js';
import { HeldBytesBudget } from './dispatcher.js';
import { Registry } from './registry.js';
import { DEFAULT_LATE_SYNC_SCAN_LIMIT } from './support/late-sync.js';
import { DEFAULT_RESYNC_SCAN_LIMIT } from './support/gap-resync.js';
import { ascii, flowKey } from './testing/harness.js';

const meta = (frame: number) => ({ frame, ts: frame });
const junk = (n: number, fill = 0x5a) => new Uint8Array(n).fill(fill);

interface Seen {
  events: string[];
  options: LateSyncOptions[];
  recognised: boolean;
  skip: number;
}

/** Never recognised by content; on port 7000 read with late sync by a consumer that records what it gets. */
function lateReader(seen: Seen, detect: Dissector['detect'] = () => 'no'): Dissector {
  const consumer = (): LateSyncConsumer => ({
    skips: true,
    get recognised() {
      return seen.recognised;
    },
    status: () => ({
      c2s: { state: 'scanning', scannedBytes: 0, carriedBytes: 0, syncedAfterBytes: null },
      s2c: { state: 'scanning', scannedBytes: 0, carriedBytes: 0, syncedAfterBytes: null },
    }),
    onData: (dir, d, m) => {
      seen.events.push(`${dir}:${d.length}@${m.frame}`);
      return seen.skip;
    },
    onGap: (dir, length) => void seen.events.push(`${dir}:gap ${length}`),
    onClose: (reason) => void seen.events.push(`close ${reason}`),
  });
  return {
    id: 'rd',
    version: '1.0.0',
    transport: 'tcp',
    defaultPorts: [7000, 7001],
    detect,
    create: (): StreamConsumer => ({ onData: () => void seen.events.push('content consumer') }),
    lateSync: {
      ports: [7000],
      create: (_key: FlowKey, _emit, options) => {
        seen.options.push(options);
        return consumer();
      },
    },
  };
}

const fresh = (): Seen => ({ events: [], options: [], recognised: false, skip: 0 });

describe('dispatcher: late sync after content detection failed', () => {
  it('hands a flow both of whose directions are exhausted to the late-sync dissector of its port, replaying what was kept in order', () => {
    const seen = fresh();
    const d = new Registry([lateReader(seen)]).createDispatcher(flowKey('tcp', 7000), () => undefined, { maxDetectBytes: 64 });
    expect(d.onData('c2s', junk(10), meta(1))).toBe(0);
    expect(d.state).toBe('detecting');
    d.onData('s2c', junk(20), meta(2));
    expect(d.state).toBe('late-sync');
    expect(seen.events).toEqual(['c2s:10@1', 's2c:20@2']);
    expect(seen.options).toEqual([{ scanLimit: DEFAULT_LATE_SYNC_SCAN_LIMIT, resyncScanLimit: DEFAULT_RESYNC_SCAN_LIMIT }]);
    expect(d.heldBytes).toBe(0);
    d.onData('c2s', junk(5), meta(3));
    d.onGap('s2c', 100, meta(4));
    d.onClose('fin', meta(5));
    expect(seen.events.slice(2)).toEqual(['c2s:5@3', 's2c:gap 100', 'close fin']);
  });

  it('names no producer until the late-sync consumer recognised a direction', () => {
    const seen = fresh();
    const d = new Registry([lateReader(seen)]).createDispatcher(flowKey('tcp', 7000), () => undefined, { maxDetectBytes: 8 });
    d.onData('c2s', junk(10), meta(1));
    d.onData('s2c', junk(10), meta(2));
    expect(d.state).toBe('late-sync');
    expect(d.producer).toBeUndefined();
    expect(d.lateSync?.c2s.state).toBe('scanning');
    seen.recognised = true;
    expect(d.producer).toBe('rd@1.0.0');
  });

  it('hands over at the held-bytes bound (one side silent), counting the flow as given up by detection', () => {
    const seen = fresh();
    const budget = new HeldBytesBudget(1 << 20);
    const d = new Registry([lateReader(seen, (_b, dir) => (dir === 's2c' ? 'need-more' : 'no'))]).createDispatcher(flowKey('tcp', 7000), () => undefined, {
      maxHeldBytes: 4000,
      heldBytesBudget: budget,
    });
    for (let i = 1; i <= 3; i++) expect(d.onData('c2s', junk(1500), meta(i))).toBe(0);
    expect(d.state).toBe('late-sync');
    expect(seen.events).toEqual(['c2s:1500@1', 'c2s:1500@2', 'c2s:1500@3']);
    expect(budget).toMatchObject({ used: 0, flowsGivenUp: 1 });
  });

  it('hands over after gaps in both directions, the gaps replayed in their place', () => {
    const seen = fresh();
    const d = new Registry([lateReader(seen, () => 'need-more')]).createDispatcher(flowKey('tcp', 7000), () => undefined);
    d.onData('c2s', junk(3), meta(1));
    d.onGap('c2s', 10, meta(2));
    d.onGap('s2c', 20, meta(3));
    expect(d.state).toBe('late-sync');
    expect(seen.events).toEqual(['c2s:3@1', 'c2s:gap 10', 's2c:gap 20']);
  });

  it('hands over a flow ending undecided on a late-sync port; elsewhere the flow ends as before', () => {
    const seen = fresh();
    const registry = new Registry([lateReader(seen, () => 'need-more')]);
    const d = registry.createDispatcher(flowKey('tcp', 7000), () => undefined);
    d.onData('c2s', junk(30), meta(1));
    d.onClose('rst', meta(2));
    expect(d.state).toBe('late-sync');
    expect(seen.events).toEqual(['c2s:30@1', 'close rst']);
    const other = registry.createDispatcher(flowKey('tcp', 7001), () => undefined);
    other.onData('c2s', junk(30), meta(1));
    other.onClose('rst', meta(2));
    expect(other.state).toBe('detecting');
    expect(other.heldBytes).toBe(0);
  });

  it('returns the late-sync consumer\'s skip to flow tracking', () => {
    const seen = { ...fresh(), skip: SKIP_REST };
    const d = new Registry([lateReader(seen)]).createDispatcher(flowKey('tcp', 7000), () => undefined, { maxDetectBytes: 8 });
    d.onData('s2c', junk(10), meta(1));
    expect(d.onData('c2s', junk(10), meta(2))).toBe(SKIP_REST);
  });

  it('lets content decide first, and leaves other ports and UDP as before', () => {
    const seen = fresh();
    const yes = new Registry([lateReader(seen, (b) => (b[0] === 0x48 ? 'yes' : 'no'))]);
    const d = yes.createDispatcher(flowKey('tcp', 7000), () => undefined);
    d.onData('c2s', ascii('HELLO'), meta(1));
    expect(d.state).toBe('dissecting');
    expect(d.lateSync).toBeUndefined();
    expect(seen.events).toEqual(['content consumer']);
    for (const key of [flowKey('tcp', 7001), flowKey('udp', 7000)]) {
      const other = new Registry([lateReader(fresh())]).createDispatcher(key, () => undefined, { maxDetectBytes: 8, maxDetectDatagrams: 1 });
      other.onData('c2s', junk(10), meta(1));
      other.onData('s2c', junk(10), meta(2));
      expect(other.state).toBe('unclassified');
    }
  });

  it('passes the configured scan limits, and refuses one that is not a positive integer', () => {
    const seen = fresh();
    const registry = new Registry([lateReader(seen)]);
    const d = registry.createDispatcher(flowKey('tcp', 7000), () => undefined, { maxDetectBytes: 8, lateSyncScanLimit: 12345, resyncScanLimit: 678 });
    d.onData('c2s', junk(10), meta(1));
    d.onData('s2c', junk(10), meta(2));
    expect(seen.options).toEqual([{ scanLimit: 12345, resyncScanLimit: 678 }]);
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => registry.createDispatcher(flowKey('tcp', 7000), () => undefined, { lateSyncScanLimit: bad })).toThrow(/lateSyncScanLimit must be a positive integer/);
      expect(() => registry.createDispatcher(flowKey('tcp', 7000), () => undefined, { resyncScanLimit: bad })).toThrow(/resyncScanLimit must be a positive integer/);
    }
  });

  it('takes late-sync ports only from a dissector\'s default ports, the first dissector in list order per port', () => {
    const a = lateReader(fresh());
    expect(() => new Registry([{ ...a, lateSync: { ...(a.lateSync as NonNullable<Dissector['lateSync']>), ports: [9] } }])).toThrow(/dissector rd: late-sync port 9 is not one of its default ports/);
    const b: Dissector = { ...lateReader(fresh()), id: 'rd2' };
    const r = new Registry([a, b]);
    expect(r.lateSyncFor(7000)).toBe(a);
    expect(r.lateSyncFor(7001)).toBeUndefined();
  });

  it('the default dissectors read HL7 on 2575, DICOM on 104 and 11112, MQTT on 1883 with late sync', () => {
    const r = new Registry();
    expect([2575, 104, 11112, 1883, 4242, 80, 443].map((p) => r.lateSyncFor(p)?.id)).toEqual(['hl7', 'dicom', 'dicom', 'mqtt', undefined, undefined, undefined]);
  });
});
