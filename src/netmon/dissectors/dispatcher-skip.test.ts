import { describe, expect, it } from 'vitest';
import { SKIP_REST, type Direction, type StreamConsumer } from '../model.js';
import type { Dissector } from './contract.js';
import { Registry } from './registry.js';
import { ascii, flowKey, streamFeeder } from './testing/harness.js';

const meta = (frame: number) => ({ frame, ts: frame });
const text = (chunks: Uint8Array[]) => chunks.map((c) => new TextDecoder().decode(c));

/** A protocol that starts "SKP" (client side), whose consumer records what it gets and asks to skip `ask` bytes each time. */
function skipper(ask: number, seen: Record<Direction, Uint8Array[]>): Dissector {
  return {
    id: 'skp',
    version: '1.0.0',
    transport: 'tcp',
    defaultPorts: [],
    detect: (b, dir) => {
      if (dir === 's2c') return 'no';
      if (b.length < 3) return 'need-more';
      return b[0] === 0x53 && b[1] === 0x4b && b[2] === 0x50 ? 'yes' : 'no';
    },
    create: (): StreamConsumer => ({
      skips: true,
      onData: (dir, d) => {
        seen[dir].push(d.slice());
        return ask;
      },
    }),
  };
}

describe('dispatcher skips', () => {
  it('applies skips asked for while buffered chunks replay, per direction, and hands the last one to flow tracking', () => {
    const seen: Record<Direction, Uint8Array[]> = { c2s: [], s2c: [] };
    const d = new Registry([skipper(2, seen)]).createDispatcher(flowKey('tcp', 7000), () => undefined);
    // Fed as TCP flow tracking feeds it: the feeder honours the skips the dispatcher returns.
    const feed = streamFeeder(d);
    feed('c2s', ascii('S'), meta(1)); // too short to tell: buffered
    feed('s2c', ascii('abcdef'), meta(2)); // buffered while the client side decides
    feed('c2s', ascii('KP1234'), meta(3)); // decides: replays "S" and "abcdef", each asking for 2 bytes skipped
    feed('s2c', ascii('ghijk'), meta(4)); // the 2 asked after "abcdef" are skipped by the dispatcher
    feed('c2s', ascii('56789'), meta(5)); // the 2 asked after "1234" are skipped by the feeder
    feed('s2c', ascii('lm'), meta(6)); // wholly inside the skip asked after "ijk"
    feed('s2c', ascii('no'), meta(7));
    expect(text(seen.c2s)).toEqual(['S', '1234', '789']);
    expect(text(seen.s2c)).toEqual(['abcdef', 'ijk', 'no']);
  });

  it('a gap cancels a skip still pending from the replay', () => {
    const seen: Record<Direction, Uint8Array[]> = { c2s: [], s2c: [] };
    const d = new Registry([skipper(3, seen)]).createDispatcher(flowKey('tcp', 7000), () => undefined);
    d.onData('s2c', ascii('abc'), meta(1));
    d.onData('c2s', ascii('SKP'), meta(2));
    d.onGap('s2c', 10, meta(3));
    d.onData('s2c', ascii('defgh'), meta(4));
    expect(text(seen.s2c)).toEqual(['abc', 'defgh']);
  });

  it('asks flow tracking to skip everything once a flow is unclassified, and nothing while still detecting', () => {
    const d = new Registry([skipper(0, { c2s: [], s2c: [] })]).createDispatcher(flowKey('tcp', 7000), () => undefined);
    expect(d.onData('c2s', ascii('S'), meta(1))).toBe(0);
    // the client side is ruled out, but the server side may still tell
    expect(d.onData('c2s', ascii('XY'), meta(2))).toBe(0);
    expect(d.onData('s2c', ascii('anything'), meta(3))).toBe(SKIP_REST);
    expect(d.state).toBe('unclassified');
    expect(d.onData('c2s', ascii('more'), meta(4))).toBe(SKIP_REST);
  });

  it('UDP datagrams stand alone: no skip is ever returned', () => {
    const seen: Record<Direction, Uint8Array[]> = { c2s: [], s2c: [] };
    const udp: Dissector = { ...skipper(5, seen), transport: 'udp' };
    const d = new Registry([udp]).createDispatcher(flowKey('udp', 7000), () => undefined);
    expect(d.onData('c2s', ascii('SKP1'), meta(1))).toBe(0);
    expect(d.onData('c2s', ascii('SKP2'), meta(2))).toBe(0);
    expect(text(seen.c2s)).toEqual(['SKP1', 'SKP2']);
  });
});
