import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FOCUS_RADIUS, LABEL_BELOW, LABEL_HALF_WIDTH, NODE_SPACING, layoutMap, ringCounts } from './layout.js';
import type { LayoutEdgeInput, LayoutNodeInput, MapLayout } from './layout.js';
import { MAX_EDGE_WIDTH, MIN_EDGE_WIDTH } from './netformat.js';

const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

function star(focus: number, peers: number, zones: string[] = []): { nodes: LayoutNodeInput[]; edges: LayoutEdgeInput[] } {
  const nodes: LayoutNodeInput[] = [];
  const edges: LayoutEdgeInput[] = [];
  for (let i = 0; i < focus; i++) nodes.push({ ip: ip(i + 1), focus: true });
  for (let i = 0; i < peers; i++) {
    const zone = zones.length > 0 ? zones[i % zones.length] : undefined;
    nodes.push({ ip: ip(10_000 + i), focus: false, ...(zone ? { zone } : {}) });
    if (focus > 0) edges.push({ client: ip(10_000 + i), server: ip((i % focus) + 1), bytes: 100 * (i + 1) });
  }
  return { nodes, edges };
}

/** every node's circle and its label block (LABEL_HALF_WIDTH each side, LABEL_BELOW under it) lie inside the viewBox */
function outside(layout: MapLayout): string[] {
  return layout.nodes
    .filter((n) => n.x - LABEL_HALF_WIDTH < 0 || n.x + LABEL_HALF_WIDTH > layout.width || n.y - n.r < 0 || n.y + n.r + LABEL_BELOW > layout.height)
    .map((n) => `${n.ip} at ${n.x},${n.y} in ${layout.width}x${layout.height}`);
}

function closestPair(layout: MapLayout): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < layout.nodes.length; i++) {
    for (let j = i + 1; j < layout.nodes.length; j++) {
      const a = layout.nodes[i];
      const b = layout.nodes[j];
      if (a && b) min = Math.min(min, Math.hypot(a.x - b.x, a.y - b.y));
    }
  }
  return min;
}

const distanceFromCentre = (layout: MapLayout, x: number, y: number) => Math.hypot(x - layout.width / 2, y - layout.height / 2);

describe('layoutMap', () => {
  it('places every node with its label inside the viewBox, for maps from one node to hundreds', () => {
    for (const [focus, peers] of [
      [1, 0],
      [0, 1],
      [1, 1],
      [1, 12],
      [1, 200],
      [3, 40],
      [150, 60],
    ] as const) {
      const { nodes, edges } = star(focus, peers);
      const layout = layoutMap(nodes, edges);
      expect(layout.nodes).toHaveLength(focus + peers);
      expect({ focus, peers, outside: outside(layout) }).toEqual({ focus, peers, outside: [] });
    }
  });

  it('never puts two nodes on the same spot: neighbours stay further apart than two focus nodes are wide', () => {
    for (const [focus, peers] of [
      [1, 2],
      [1, 11],
      [1, 300],
      [2, 2],
      [7, 90],
      [64, 0],
    ] as const) {
      const { nodes, edges } = star(focus, peers);
      expect({ focus, peers, tooClose: closestPair(layoutMap(nodes, edges)) < 3 * FOCUS_RADIUS }).toEqual({ focus, peers, tooClose: false });
    }
  });

  it('puts a single focus node in the centre and every focus node closer to it than any peer', () => {
    const one = layoutMap(...Object.values(star(1, 8)) as [LayoutNodeInput[], LayoutEdgeInput[]]);
    const centre = one.nodes.find((n) => n.focus);
    expect(centre).toMatchObject({ x: one.width / 2, y: one.height / 2 });

    const many = layoutMap(...Object.values(star(6, 30)) as [LayoutNodeInput[], LayoutEdgeInput[]]);
    const farthestFocus = Math.max(...many.nodes.filter((n) => n.focus).map((n) => distanceFromCentre(many, n.x, n.y)));
    const nearestPeer = Math.min(...many.nodes.filter((n) => !n.focus).map((n) => distanceFromCentre(many, n.x, n.y)));
    expect(farthestFocus).toBeLessThan(nearestPeer);
  });

  it('is deterministic: the same nodes and edges in any order give the identical layout', () => {
    const { nodes, edges } = star(2, 25, ['imaging', 'ehr']);
    const first = layoutMap(nodes, edges);
    expect(layoutMap(nodes, edges)).toEqual(first);
    expect(layoutMap([...nodes].reverse(), [...edges].reverse())).toEqual(first);
  });

  it('keeps the addresses of one zone next to each other on the ring, unzoned ones last', () => {
    const nodes: LayoutNodeInput[] = [
      { ip: '10.0.0.1', focus: true },
      { ip: '10.0.0.2', focus: false, zone: 'b-ward' },
      { ip: '10.0.0.3', focus: false },
      { ip: '10.0.0.4', focus: false, zone: 'a-imaging' },
      { ip: '10.0.0.5', focus: false, zone: 'b-ward' },
      { ip: '10.0.0.6', focus: false, zone: 'a-imaging' },
    ];
    const layout = layoutMap(nodes, []);
    const angle = (x: number, y: number) => (Math.atan2(y - layout.height / 2, x - layout.width / 2) + (5 * Math.PI) / 2) % (2 * Math.PI);
    const clockwise = layout.nodes
      .filter((n) => !n.focus)
      .sort((a, b) => angle(a.x, a.y) - angle(b.x, b.y))
      .map((n) => n.ip);
    expect(clockwise).toEqual(['10.0.0.4', '10.0.0.6', '10.0.0.2', '10.0.0.5', '10.0.0.3']);
  });

  it('draws an address talking to itself (loopback) as a loop inside the viewBox', () => {
    const layout = layoutMap([{ ip: '127.0.0.1', focus: true }], [{ client: '127.0.0.1', server: '127.0.0.1', bytes: 68232 }]);
    expect(layout.edges).toHaveLength(1);
    const [loop] = layout.edges;
    expect(loop).toMatchObject({ loop: true, client: '127.0.0.1', server: '127.0.0.1', width: MAX_EDGE_WIDTH });
    expect(loop?.d.startsWith('M ')).toBe(true);
    expect(loop?.labelY).toBeGreaterThan(0);
    expect(outside(layout)).toEqual([]);
  });

  it('bends the two directions of a conversation apart and keeps a one-way edge straight', () => {
    const nodes: LayoutNodeInput[] = [
      { ip: '10.0.0.1', focus: true },
      { ip: '10.0.0.2', focus: false },
      { ip: '10.0.0.3', focus: false },
    ];
    const layout = layoutMap(nodes, [
      { client: '10.0.0.1', server: '10.0.0.2', bytes: 10 },
      { client: '10.0.0.2', server: '10.0.0.1', bytes: 10 },
      { client: '10.0.0.3', server: '10.0.0.1', bytes: 10 },
    ]);
    const d = (c: string, s: string) => layout.edges.find((e) => e.client === c && e.server === s)?.d ?? '';
    expect(d('10.0.0.1', '10.0.0.2')).toContain(' Q ');
    expect(d('10.0.0.2', '10.0.0.1')).toContain(' Q ');
    expect(d('10.0.0.1', '10.0.0.2')).not.toBe(d('10.0.0.2', '10.0.0.1'));
    expect(d('10.0.0.3', '10.0.0.1')).toContain(' L ');
  });

  it('makes edges thicker with more bytes and drops edges to addresses not on the map', () => {
    const nodes: LayoutNodeInput[] = [
      { ip: '10.0.0.1', focus: true },
      { ip: '10.0.0.2', focus: false },
      { ip: '10.0.0.3', focus: false },
    ];
    const layout = layoutMap(nodes, [
      { client: '10.0.0.2', server: '10.0.0.1', bytes: 1_000_000 },
      { client: '10.0.0.3', server: '10.0.0.1', bytes: 500 },
      { client: '10.0.0.9', server: '10.0.0.1', bytes: 5 },
    ]);
    expect(layout.edges.map((e) => e.client)).toEqual(['10.0.0.2', '10.0.0.3']);
    const [big, small] = layout.edges;
    expect(big?.width).toBe(MAX_EDGE_WIDTH);
    expect(small?.width).toBeGreaterThan(MIN_EDGE_WIDTH);
    expect(small?.width).toBeLessThan(big?.width ?? 0);
  });

  it('lays out an empty map as an empty canvas', () => {
    const layout = layoutMap([], []);
    expect(layout.nodes).toEqual([]);
    expect(layout.edges).toEqual([]);
    expect(layout.width).toBeGreaterThan(0);
  });

  it('keeps its invariants for random maps (inside the viewBox, apart, order-independent)', () => {
    const node = fc.record({ id: fc.integer({ min: 1, max: 5000 }), focus: fc.boolean(), zone: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(node, { maxLength: 120 }), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat({ max: 10_000_000 })), { maxLength: 200 }), (raw, rawEdges) => {
        const nodes = [...new Map(raw.map((n) => [n.id, { ip: ip(n.id), focus: n.focus, ...(n.zone ? { zone: n.zone } : {}) }])).values()];
        const edges = nodes.length === 0 ? [] : rawEdges.map(([a, b, bytes]) => ({ client: nodes[a % nodes.length]?.ip ?? '', server: nodes[b % nodes.length]?.ip ?? '', bytes }));
        const layout = layoutMap(nodes, edges);
        expect(layout.nodes).toHaveLength(nodes.length);
        expect(outside(layout)).toEqual([]);
        if (nodes.length > 1) expect(closestPair(layout)).toBeGreaterThanOrEqual(3 * FOCUS_RADIUS);
        expect(layoutMap([...nodes].reverse(), [...edges].reverse())).toEqual(layout);
      }),
      { numRuns: 60 },
    );
  });
});

describe('ringCounts', () => {
  it('spreads nodes over the fewest rings that hold them, none over its capacity', () => {
    for (const count of [1, 2, 9, 10, 11, 57, 400]) {
      const rings = ringCounts(count, 150);
      expect(rings.reduce((s, r) => s + r.count, 0)).toBe(count);
      for (const r of rings) expect(r.count).toBeLessThanOrEqual(Math.max(1, Math.floor((2 * Math.PI * r.radius) / NODE_SPACING)));
    }
    expect(ringCounts(0, 150)).toEqual([]);
    // 11 peers do not fit the first ring (10): two rings share them instead of 10 + 1
    const eleven = ringCounts(11, 150);
    expect(eleven).toHaveLength(2);
    expect(Math.min(...eleven.map((r) => r.count))).toBeGreaterThan(1);
  });
});
