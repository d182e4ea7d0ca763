/**
 * @module One tracked flow: its identity as plain numbers (addresses as 32-bit words, ports, VLAN ids
 * packed into one number) so a packet is matched without building strings, its counters, its TCP
 * direction streams, and intrusive links for the hash chain and the activity-ordered list.
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

/** Direction-independent hash of transport, VLANs, addresses and ports. */
export function packetFlowHash(p: DecodedPacket, vk: number): number {
  const a = p.addr;
  let s = mix(mix(mix(mix(0x2545f491, a[0] as number), a[1] as number), a[2] as number), a[3] as number);
  s = mix(s, p.srcPort);
  let d = mix(mix(mix(mix(0x2545f491, a[4] as number), a[5] as number), a[6] as number), a[7] as number);
  d = mix(d, p.dstPort);
  return mix(mix(mix((s + d) | 0, p.protocol), vk | 0), p.vlanCount);
}

export const C2S = 1;
export const S2C = 2;

// Fields are plain numbers rather than nested objects or typed arrays: a flow costs a few hundred
// bytes, which is what lets 100 000 of them fit the memory budget.
export class Flow {
  c2sPackets = 0;
  c2sBytes = 0;
  c2sPayload = 0;
  s2cPackets = 0;
  s2cBytes = 0;
  s2cPayload = 0;
  consumer: StreamConsumer | undefined = undefined;
  closed = false;
  closeReason: FlowCloseReason = 'end-of-capture';
  firstTs = 0;
  lastTs = 0;
  firstFrame = 0;
  lastFrame = 0;
  /** TCP direction streams; null when nobody consumes the bytes (only counters are kept) */
  tcpC2s: TcpHalfStream | null = null;
  tcpS2c: TcpHalfStream | null = null;
  finC2s = false;
  finS2c = false;
  handshakeSeen = false;
  /** sequence number of the client's SYN, -1 if none seen (tells a new connection on a reused port) */
  synSeq = -1;
  payloadSeen = false;
  // intrusive links
  chain: Flow | null = null;
  prev: Flow | null = null;
  next: Flow | null = null;
  list: FlowList | null = null;

  // client address words c0-c3, server s0-s3
  readonly c0: number;
  readonly c1: number;
  readonly c2: number;
  readonly c3: number;
  readonly s0: number;
  readonly s1: number;
  readonly s2: number;
  readonly s3: number;

  constructor(
    readonly hash: number,
    readonly tcp: boolean,
    readonly protocol: number,
    readonly vlanCount: number,
    readonly vlanKey: number,
    /** address words of the packet that created the flow: source 0-3, destination 4-7 */
    a: Uint32Array,
    srcIsClient: boolean,
    readonly clientPort: number,
    readonly serverPort: number,
    readonly key: FlowKey,
    readonly info: FlowInfo,
  ) {
    const c = srcIsClient ? 0 : 4;
    const s = 4 - c;
    this.c0 = a[c] as number;
    this.c1 = a[c + 1] as number;
    this.c2 = a[c + 2] as number;
    this.c3 = a[c + 3] as number;
    this.s0 = a[s] as number;
    this.s1 = a[s + 1] as number;
    this.s2 = a[s + 2] as number;
    this.s3 = a[s + 3] as number;
  }

  /** C2S or S2C when the packet belongs to this flow, 0 otherwise. */
  direction(p: DecodedPacket, vk: number): number {
    if (p.protocol !== this.protocol || p.vlanCount !== this.vlanCount || vk !== this.vlanKey) return 0;
    const a = p.addr;
    if (p.srcPort === this.clientPort && p.dstPort === this.serverPort &&
        a[0] === this.c0 && a[1] === this.c1 && a[2] === this.c2 && a[3] === this.c3 &&
        a[4] === this.s0 && a[5] === this.s1 && a[6] === this.s2 && a[7] === this.s3) return C2S;
    if (p.srcPort === this.serverPort && p.dstPort === this.clientPort &&
        a[0] === this.s0 && a[1] === this.s1 && a[2] === this.s2 && a[3] === this.s3 &&
        a[4] === this.c0 && a[5] === this.c1 && a[6] === this.c2 && a[7] === this.c3) return S2C;
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
