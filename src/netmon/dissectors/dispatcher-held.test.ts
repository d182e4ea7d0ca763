import { describe, expect, it } from 'vitest';
import { SKIP_REST, type Direction, type StreamConsumer } from '../model.js';
import type { Dissector } from './contract.js';
import { HeldBytesBudget } from './dispatcher.js';
import { createDispatcher, Registry } from './registry.js';
import { ascii, flowKey } from './testing/harness.js';

const meta = (frame: number) => ({ frame, ts: frame });

/** A server-first protocol: the server's "SRV" banner decides; the client side never does. */
function serverFirst(seen: Record<Direction, number>): Dissector {
  return {
    id: 'srv',
    version: '1.0.0',
    transport: 'tcp',
    defaultPorts: [],
    detect: (b, dir) => {
      if (dir === 'c2s') return 'no';
      if (b.length < 3) return 'need-more';
      return b[0] === 0x53 && b[1] === 0x52 && b[2] === 0x56 ? 'yes' : 'no';
    },
    create: (): StreamConsumer => ({
      onData: (dir, d) => {
        seen[dir] += d.length;
      },
    }),
  };
}

const junk = (n: number) => new Uint8Array(n).fill(0x5a);

describe('dispatcher: bytes kept while a flow is undecided are bounded', () => {
  it('a one-sided stream of an unknown protocol is given up at the per-flow bound, not kept whole', () => {
    const d = createDispatcher(flowKey('tcp', 40000), () => undefined, { maxHeldBytes: 8192 });
    let answer = 0;
    let frame = 0;
    // 1 MB from the client; the server side is never seen (one-sided capture)
    for (; frame < 1000 && answer !== SKIP_REST; frame++) answer = d.onData('c2s', junk(1000), meta(frame + 1));
    expect(answer).toBe(SKIP_REST);
    expect(d.state).toBe('unclassified');
    expect(d.heldBytes).toBe(0);
    // gave up as soon as the next chunk would have passed 8192 bytes kept (8 chunks kept, the 9th refused)
    expect(frame).toBe(9);
  });

  it('by default, with every dissector, a flow keeps at most 16 KiB before it is given up', () => {
    const d = createDispatcher(flowKey('tcp', 40000), () => undefined);
    let max = 0;
    for (let i = 0; i < 100 && d.state === 'detecting'; i++) {
      d.onData('c2s', junk(1000), meta(i + 1));
      max = Math.max(max, d.heldBytes);
    }
    expect(d.state).toBe('unclassified');
    expect(max).toBeLessThanOrEqual(16 * 1024);
    expect(max).toBeGreaterThan(12 * 1024);
  });

  it('bytes kept within the bound are replayed when the other side decides later', () => {
    const seen = { c2s: 0, s2c: 0 };
    const d = new Registry([serverFirst(seen)]).createDispatcher(flowKey('tcp', 7000), () => undefined, { maxHeldBytes: 8192 });
    for (let i = 0; i < 6; i++) expect(d.onData('c2s', junk(1000), meta(i + 1))).toBe(0);
    expect(d.heldBytes).toBe(6000);
    d.onData('s2c', ascii('SRV ready'), meta(7));
    expect(d.state).toBe('dissecting');
    expect(d.heldBytes).toBe(0);
    expect(seen).toEqual({ c2s: 6000, s2c: 9 });
  });

  it('a budget shared by all flows of a read bounds them together, and a closed flow gives its share back', () => {
    const budget = new HeldBytesBudget(5000);
    const registry = new Registry([serverFirst({ c2s: 0, s2c: 0 })]);
    const opts = { maxHeldBytes: 4000, heldBytesBudget: budget };
    const a = registry.createDispatcher(flowKey('tcp', 7001), () => undefined, opts);
    const b = registry.createDispatcher(flowKey('tcp', 7002), () => undefined, opts);
    expect(a.onData('c2s', junk(3000), meta(1))).toBe(0);
    expect(budget.used).toBe(3000);
    // b's 3000 would pass the shared 5000: b is given up, a keeps its bytes
    expect(b.onData('c2s', junk(3000), meta(2))).toBe(SKIP_REST);
    expect(b.state).toBe('unclassified');
    expect(budget).toMatchObject({ used: 3000, peak: 3000, flowsGivenUp: 1 });
    // a closes while still undecided: its bytes go back
    a.onClose('fin', meta(3));
    expect(budget.used).toBe(0);
    const c = registry.createDispatcher(flowKey('tcp', 7003), () => undefined, opts);
    expect(c.onData('c2s', junk(3000), meta(4))).toBe(0);
    expect(budget.used).toBe(3000);
    // deciding releases too
    c.onData('s2c', ascii('SRV'), meta(5));
    expect(budget.used).toBe(0);
  });
});

/** Says 'yes' once `need` bytes of the client side are there; counts how often it was asked. */
function lateDecider(need: number, seen: { asked: number; bytes: number; gaps: number; closed: boolean }): Dissector {
  return {
    id: 'late',
    version: '1.0.0',
    transport: 'tcp',
    defaultPorts: [],
    detect: (b, dir) => {
      seen.asked++;
      if (dir === 's2c') return 'no';
      return b.length >= need ? 'yes' : 'need-more';
    },
    create: (): StreamConsumer => ({
      onData: (_dir, d) => {
        seen.bytes += d.length;
      },
      onGap: () => {
        seen.gaps++;
      },
      onClose: () => {
        seen.closed = true;
      },
    }),
  };
}

describe('dispatcher: classification of a direction arriving in tiny chunks', () => {
  it('asks the dissectors each of the first chunks, then only as the prefix doubles (not once per chunk)', () => {
    const seen = { asked: 0, bytes: 0, gaps: 0, closed: false };
    const d = new Registry([lateDecider(10_000, seen)]).createDispatcher(flowKey('tcp', 7000), () => undefined, { maxHeldBytes: 64 * 1024 });
    for (let i = 0; i < 1024; i++) d.onData('c2s', junk(4), meta(i + 1));
    // 8 eager checks (4..32 bytes), then 96, 192, ..., 3072 and the full 4096: 15, against 1024 chunks
    expect(seen.asked).toBe(15);
    expect(d.state).toBe('detecting');
  });

  it('a flow that ends between two checks is judged on what came, and replayed whole', () => {
    const seen = { asked: 0, bytes: 0, gaps: 0, closed: false };
    const d = new Registry([lateDecider(40, seen)]).createDispatcher(flowKey('tcp', 7000), () => undefined);
    for (let i = 0; i < 8; i++) d.onData('c2s', junk(1), meta(i + 1));
    // 8 + 3 * 10 + 5 = 43 bytes: past what the dissector needs, but short of the next check (8 + 64)
    for (let i = 0; i < 3; i++) d.onData('c2s', junk(10), meta(9 + i));
    d.onData('c2s', junk(5), meta(12));
    expect(d.state).toBe('detecting');
    d.onClose('fin', meta(13));
    expect(d.state).toBe('dissecting');
    expect(seen).toMatchObject({ bytes: 43, closed: true });
  });

  it('a gap between two checks is judged after what came before it, then delivered', () => {
    const seen = { asked: 0, bytes: 0, gaps: 0, closed: false };
    const d = new Registry([lateDecider(40, seen)]).createDispatcher(flowKey('tcp', 7000), () => undefined);
    for (let i = 0; i < 8; i++) d.onData('c2s', junk(1), meta(i + 1));
    d.onData('c2s', junk(40), meta(9));
    expect(d.state).toBe('detecting');
    d.onGap('c2s', 100, meta(10));
    expect(d.state).toBe('dissecting');
    expect(seen).toMatchObject({ bytes: 48, gaps: 1 });
  });
});
