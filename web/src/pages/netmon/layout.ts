/**
 * @module The communication map's layout (pure, deterministic): the focus addresses sit in the
 * centre (one in the middle, several on small rings), their peers on concentric rings around them,
 * grouped by zone so a zone's addresses sit together. Rings hold as many nodes as their circumference
 * allows at a fixed spacing, so labels do not collide and no two nodes share a spot; the viewBox grows
 * with the outermost ring, so every node and its label fits inside it. Edges are straight lines,
 * bent apart when two addresses talk both ways, and a small loop when an address talks to itself
 * (loopback captures). The same nodes and edges always give the same picture, whatever their order.
 */
import { compareIp, edgeWidth } from './netformat.js';

export interface LayoutNodeInput {
  ip: string;
  focus: boolean;
  zone?: string;
}

export interface LayoutEdgeInput {
  client: string;
  server: string;
  bytes: number;
}

export interface PlacedNode {
  ip: string;
  x: number;
  y: number;
  r: number;
  focus: boolean;
  /** 0 for the focus rings, then 1, 2, ... outwards */
  ring: number;
}

export interface PlacedEdge {
  client: string;
  server: string;
  /** SVG path data */
  d: string;
  /** where the hover/focus label goes */
  labelX: number;
  labelY: number;
  width: number;
  loop: boolean;
}

export interface MapLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

export const FOCUS_RADIUS = 20;
export const PEER_RADIUS = 13;
/** arc length between neighbours on a ring: room for a label of LABEL_HALF_WIDTH each side */
export const NODE_SPACING = 92;
export const RING_GAP = 78;
/** labels are truncated to fit this half-width (see netformat.nodeLabel) */
export const LABEL_HALF_WIDTH = 70;
/** room below a node for its two label lines, and above it for a self-loop */
export const LABEL_BELOW = 34;
const MARGIN_X = LABEL_HALF_WIDTH + 16;
const MARGIN_Y = 64;
/** a map of one node still gets a readable canvas */
const MIN_EXTENT = 110;
const FIRST_FOCUS_RING = 58;
const PEER_OFFSET = 150;
const CURVE = 26;
const ARROW = 7;

const round = (n: number) => Math.round(n * 100) / 100;
const capacity = (radius: number) => Math.max(1, Math.floor((2 * Math.PI * radius) / NODE_SPACING));

/**
 * Splits `count` nodes over the fewest rings (from `start` outwards) that hold them, in proportion
 * to each ring's capacity so the last ring is not a lonely straggler.
 */
export function ringCounts(count: number, start: number): { radius: number; count: number }[] {
  if (count <= 0) return [];
  const rings: { radius: number; cap: number }[] = [];
  let room = 0;
  for (let radius = start; room < count; radius += RING_GAP) {
    const cap = capacity(radius);
    rings.push({ radius, cap });
    room += cap;
  }
  const shares = rings.map((r) => Math.min(r.cap, Math.floor((count * r.cap) / room)));
  let left = count - shares.reduce((a, b) => a + b, 0);
  // remainders go to the outer rings first: they have the most room
  for (let i = rings.length - 1; left > 0; i = i === 0 ? rings.length - 1 : i - 1) {
    const ring = rings[i];
    const share = shares[i];
    if (ring !== undefined && share !== undefined && share < ring.cap) {
      shares[i] = share + 1;
      left--;
    }
  }
  return rings.map((r, i) => ({ radius: r.radius, count: shares[i] ?? 0 })).filter((r) => r.count > 0);
}

interface Polar {
  radius: number;
  angle: number;
  ring: number;
}

function placeOnRings(count: number, start: number, firstRing: number): { spots: Polar[]; outer: number } {
  if (count === 1 && start === 0) return { spots: [{ radius: 0, angle: 0, ring: firstRing }], outer: 0 };
  const spots: Polar[] = [];
  let outer = start;
  ringCounts(count, Math.max(start, FIRST_FOCUS_RING)).forEach((ring, i) => {
    // every other ring is turned half a step so nodes do not line up along the spokes
    const offset = i % 2 === 1 ? Math.PI / ring.count : 0;
    for (let j = 0; j < ring.count; j++) spots.push({ radius: ring.radius, angle: -Math.PI / 2 + (2 * Math.PI * j) / ring.count + offset, ring: firstRing + i });
    outer = ring.radius;
  });
  return { spots, outer };
}

/** Peers in zone order (unzoned last), then next to the focus node they talk to most, then by address. */
function orderPeers(peers: LayoutNodeInput[], focusIndex: ReadonlyMap<string, number>, edges: readonly LayoutEdgeInput[]): LayoutNodeInput[] {
  const anchor = new Map<string, { index: number; bytes: number }>();
  for (const e of edges) {
    for (const [peer, other] of [
      [e.client, e.server],
      [e.server, e.client],
    ] as const) {
      const index = focusIndex.get(other);
      if (index === undefined || focusIndex.has(peer)) continue;
      const cur = anchor.get(peer);
      if (!cur || e.bytes > cur.bytes || (e.bytes === cur.bytes && index < cur.index)) anchor.set(peer, { index, bytes: e.bytes });
    }
  }
  return [...peers].sort((a, b) => {
    if ((a.zone === undefined) !== (b.zone === undefined)) return a.zone === undefined ? 1 : -1;
    if (a.zone !== undefined && b.zone !== undefined && a.zone !== b.zone) return a.zone < b.zone ? -1 : 1;
    const ia = anchor.get(a.ip)?.index ?? Number.MAX_SAFE_INTEGER;
    const ib = anchor.get(b.ip)?.index ?? Number.MAX_SAFE_INTEGER;
    return ia - ib || compareIp(a.ip, b.ip);
  });
}

function loopPath(n: PlacedNode): { d: string; labelX: number; labelY: number } {
  const { x, y, r } = n;
  const d = `M ${round(x - r * 0.6)} ${round(y - r * 0.8)} C ${round(x - r * 2.2)} ${round(y - r * 3.2)} ${round(x + r * 2.2)} ${round(y - r * 3.2)} ${round(x + r * 0.6)} ${round(y - r * 0.8)}`;
  return { d, labelX: round(x), labelY: round(y - r * 2.7) };
}

function linePath(a: PlacedNode, b: PlacedNode, bend: boolean): { d: string; labelX: number; labelY: number } {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length = Math.hypot(dx, dy) || 1;
  const ux = dx / length;
  const uy = dy / length;
  // the normal is taken from client to server, so a reverse edge bends to the other side
  const cx = (a.x + b.x) / 2 - uy * (bend ? CURVE : 0);
  const cy = (a.y + b.y) / 2 + ux * (bend ? CURVE : 0);
  const toward = (from: PlacedNode, px: number, py: number, by: number) => {
    const l = Math.hypot(px - from.x, py - from.y) || 1;
    return { x: from.x + ((px - from.x) / l) * by, y: from.y + ((py - from.y) / l) * by };
  };
  const start = toward(a, cx, cy, a.r);
  const end = toward(b, cx, cy, b.r + ARROW);
  if (!bend) return { d: `M ${round(start.x)} ${round(start.y)} L ${round(end.x)} ${round(end.y)}`, labelX: round(cx), labelY: round(cy) };
  return {
    d: `M ${round(start.x)} ${round(start.y)} Q ${round(cx)} ${round(cy)} ${round(end.x)} ${round(end.y)}`,
    labelX: round(0.25 * start.x + 0.5 * cx + 0.25 * end.x),
    labelY: round(0.25 * start.y + 0.5 * cy + 0.25 * end.y),
  };
}

export function layoutMap(nodes: readonly LayoutNodeInput[], edges: readonly LayoutEdgeInput[]): MapLayout {
  // a repeated address is one node, focus if any copy is (merged the same way whatever the order)
  const byIp = new Map<string, LayoutNodeInput>();
  for (const n of nodes) {
    const cur = byIp.get(n.ip);
    const zone = cur?.zone === undefined ? n.zone : n.zone === undefined || cur.zone < n.zone ? cur.zone : n.zone;
    byIp.set(n.ip, { ip: n.ip, focus: n.focus || (cur?.focus ?? false), ...(zone !== undefined ? { zone } : {}) });
  }
  const unique = [...byIp.values()];
  const focus = unique.filter((n) => n.focus).sort((a, b) => compareIp(a.ip, b.ip));
  const focusIndex = new Map(focus.map((n, i) => [n.ip, i]));
  const known = new Set(unique.map((n) => n.ip));
  // one line per direction: repeated pairs (not sent by the API, but possible) add up
  const merged = new Map<string, LayoutEdgeInput>();
  for (const e of edges) {
    if (!known.has(e.client) || !known.has(e.server)) continue;
    const key = `${e.client}|${e.server}`;
    const cur = merged.get(key);
    merged.set(key, { client: e.client, server: e.server, bytes: (cur?.bytes ?? 0) + e.bytes });
  }
  const sortedEdges = [...merged.values()].sort((a, b) => compareIp(a.client, b.client) || compareIp(a.server, b.server));
  const peers = orderPeers(
    unique.filter((n) => !n.focus),
    focusIndex,
    sortedEdges,
  );

  const inner = placeOnRings(focus.length, focus.length <= 1 ? 0 : FIRST_FOCUS_RING, 0);
  const peerStart = focus.length === 0 ? 0 : inner.outer + PEER_OFFSET;
  const outer = placeOnRings(peers.length, peerStart, inner.spots.reduce((m, s) => Math.max(m, s.ring + 1), 0));
  const extent = Math.max(MIN_EXTENT, inner.outer, outer.outer);
  const width = round(2 * (extent + MARGIN_X));
  const height = round(2 * (extent + MARGIN_Y));
  const cx = width / 2;
  const cy = height / 2;

  const placed: PlacedNode[] = [];
  const put = (list: LayoutNodeInput[], spots: Polar[]) =>
    list.forEach((n, i) => {
      const s = spots[i];
      if (!s) return;
      placed.push({ ip: n.ip, focus: n.focus, r: n.focus ? FOCUS_RADIUS : PEER_RADIUS, ring: s.ring, x: round(cx + s.radius * Math.cos(s.angle)), y: round(cy + s.radius * Math.sin(s.angle)) });
    });
  put(focus, inner.spots);
  put(peers, outer.spots);

  const at = new Map(placed.map((n) => [n.ip, n]));
  const pairs = new Set(sortedEdges.map((e) => `${e.client}|${e.server}`));
  const maxBytes = Math.max(0, ...sortedEdges.map((e) => e.bytes));
  const laidEdges: PlacedEdge[] = [];
  for (const e of sortedEdges) {
    const a = at.get(e.client);
    const b = at.get(e.server);
    if (!a || !b) continue;
    const loop = e.client === e.server;
    const geometry = loop ? loopPath(a) : linePath(a, b, pairs.has(`${e.server}|${e.client}`));
    laidEdges.push({ client: e.client, server: e.server, ...geometry, width: edgeWidth(e.bytes, maxBytes), loop });
  }
  return { width, height, nodes: placed, edges: laidEdges };
}
