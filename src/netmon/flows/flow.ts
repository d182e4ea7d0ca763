/**
 * @module One tracked flow: its identity as plain numbers (addresses as 32-bit words, ports, VLAN ids
 * packed into one number) so a packet is matched without building strings, its counters, its TCP
 * direction streams, its hash-chain link and its place in the activity-ordered list.
 */
import type { DecodedPacket } from '../decode/index.js';
import type { FlowCloseReason, FlowDirectionCounters, FlowInfo, FlowKey, StreamConsumer } from '../model.js';
import type { TcpHalfStream } from './tcp-stream.js';

const mix = (h: number, x: number): number => {
  const m = Math.imul(h ^ x, 0x9e3779b1);
  return m ^ (m >>> 16);
};

/** VLAN ids (12 bits each, at most 4) packed exactly into one number. */
export function vlanKey(p: DecodedPacket): number {
  let k = 0;
  for (let i = 0; i < p.vlanCount; i++) k = k * 4096 + (p.vlans[i] as number);
  return k;
}

const endpointHash = (w0: number, w1: number, w2: number, w3: number, port: number): number =>
  mix(mix(w0 ^ Math.imul(w1, 0x85ebca6b), w2 ^ Math.imul(w3, 0xc2b2ae35)), port);

/**
 * Direction-independent hash of transport, VLANs, addresses and ports: the two endpoints are hashed
 * apart and added, so either direction gives the same value. Short dependency chains (it runs per packet).
 */
export function packetFlowHash(p: DecodedPacket, vk: number): number {
  const a = p.addr;
  const s = endpointHash(a[0] as number, a[1] as number, a[2] as number, a[3] as number, p.srcPort);
  const d = endpointHash(a[4] as number, a[5] as number, a[6] as number, a[7] as number, p.dstPort);
  return mix(mix((s + d) | 0, p.protocol), (vk | 0) ^ (p.vlanCount << 28));
}

export const C2S = 1;
export const S2C = 2;

// Fields are plain numbers rather than nested objects or typed arrays: a flow costs a few hundred
// bytes, which is what lets 100 000 of them fit the memory budget. They are declared (and so laid out
// in memory) in the order a packet needs them: identity for the lookup, then activity, counters and
// streams; what only flow start and end read comes last, so a packet touches few cache lines.
export class Flow {
  readonly hash: number;
  /** next flow in the same hash-table slot */
  chain: Flow | null = null;
  readonly clientPort: number;
  readonly serverPort: number;
  // Client address words c0-c3, server s0-s3, as int32 (`| 0`): small integers stay unboxed in the
  // object, where uint32 values of 2^31 and above would each be a separate heap number.
  readonly c0: number;
  readonly s0: number;
  readonly protocol: number;
  readonly vlanCount: number;
  readonly vlanKey: number;
  readonly c1: number;
  readonly c2: number;
  readonly c3: number;
  readonly s1: number;
  readonly s2: number;
  readonly s3: number;
  list: FlowList | null = null;
  prev: Flow | null = null;
  next: Flow | null = null;
  lastTs = 0;
  lastFrame = 0;
  c2sPackets = 0;
  c2sBytes = 0;
  c2sPayload = 0;
  s2cPackets = 0;
  s2cBytes = 0;
  s2cPayload = 0;
  readonly tcp: boolean;
  closed = false;
  /** TCP direction streams; null when nobody consumes the bytes (only counters are kept) */
  tcpC2s: TcpHalfStream | null = null;
  tcpS2c: TcpHalfStream | null = null;
  consumer: StreamConsumer | undefined = undefined;
  payloadSeen = false;
  finC2s = false;
  finS2c = false;
  handshakeSeen = false;
  /** sequence number of the client's SYN, -1 if none seen (tells a new connection on a reused port) */
  synSeq = -1;
  closeReason: FlowCloseReason = 'end-of-capture';
  firstTs = 0;
  firstFrame = 0;
  readonly key: FlowKey;
  readonly info: FlowInfo;

  constructor(
    hash: number,
    tcp: boolean,
    protocol: number,
    vlanCount: number,
    vlanKey: number,
    /** address words of the packet that created the flow: source 0-3, destination 4-7 */
    a: Uint32Array,
    srcIsClient: boolean,
    clientPort: number,
    serverPort: number,
    key: FlowKey,
    info: FlowInfo,
  ) {
    const c = srcIsClient ? 0 : 4;
    const s = 4 - c;
    this.hash = hash;
    this.clientPort = clientPort;
    this.serverPort = serverPort;
    this.c0 = (a[c] as number) | 0;
    this.s0 = (a[s] as number) | 0;
    this.protocol = protocol;
    this.vlanCount = vlanCount;
    this.vlanKey = vlanKey;
    this.c1 = (a[c + 1] as number) | 0;
    this.c2 = (a[c + 2] as number) | 0;
    this.c3 = (a[c + 3] as number) | 0;
    this.s1 = (a[s + 1] as number) | 0;
    this.s2 = (a[s + 2] as number) | 0;
    this.s3 = (a[s + 3] as number) | 0;
    this.tcp = tcp;
    this.key = key;
    this.info = info;
  }

  /** C2S or S2C when the packet belongs to this flow, 0 otherwise. */
  direction(p: DecodedPacket, vk: number): number {
    if (p.protocol !== this.protocol || p.vlanCount !== this.vlanCount || vk !== this.vlanKey) return 0;
    const a = p.addr;
    const w0 = (a[0] as number) | 0;
    const w4 = (a[4] as number) | 0;
    if (p.srcPort === this.clientPort && p.dstPort === this.serverPort && w0 === this.c0 && w4 === this.s0 &&
        ((a[1] as number) | 0) === this.c1 && ((a[2] as number) | 0) === this.c2 && ((a[3] as number) | 0) === this.c3 &&
        ((a[5] as number) | 0) === this.s1 && ((a[6] as number) | 0) === this.s2 && ((a[7] as number) | 0) === this.s3) return C2S;
    if (p.srcPort === this.serverPort && p.dstPort === this.clientPort && w0 === this.s0 && w4 === this.c0 &&
        ((a[1] as number) | 0) === this.s1 && ((a[2] as number) | 0) === this.s2 && ((a[3] as number) | 0) === this.s3 &&
        ((a[5] as number) | 0) === this.c1 && ((a[6] as number) | 0) === this.c2 && ((a[7] as number) | 0) === this.c3) return S2C;
    return 0;
  }

  counters(dir: number): FlowDirectionCounters {
    return dir === C2S
      ? { packets: this.c2sPackets, bytes: this.c2sBytes, payloadBytes: this.c2sPayload }
      : { packets: this.s2cPackets, bytes: this.s2cBytes, payloadBytes: this.s2cPayload };
  }
}

/** Flows in order of last activity (head = idle longest), for expiry and eviction in O(1). */
export class FlowList {
  head: Flow | null = null;
  tail: Flow | null = null;
  size = 0;

  constructor(readonly timeoutUs: number) {}

  append(f: Flow): void {
    f.list = this;
    f.prev = this.tail;
    f.next = null;
    if (this.tail) this.tail.next = f;
    else this.head = f;
    this.tail = f;
    this.size++;
  }

  unlink(f: Flow): void {
    if (f.prev) f.prev.next = f.next;
    else this.head = f.next;
    if (f.next) f.next.prev = f.prev;
    else this.tail = f.prev;
    f.prev = f.next = null;
    f.list = null;
    this.size--;
  }

  touch(f: Flow): void {
    if (this.tail === f) return;
    this.unlink(f);
    this.append(f);
  }
}
