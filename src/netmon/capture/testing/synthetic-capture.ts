/**
 * @module An endless, deterministic stream of synthetic packets for benchmarks and soak tests: many
 * concurrent sessions (DICOM C-STORE-like transfers, HL7/MLLP, MQTT telemetry, TLS hellos, DNS, DHCP),
 * each with its own client address so no two sessions share a 5-tuple, and a small share of TCP
 * segments swapped or resent so reassembly has real work. Yields packets one at a time (no big arrays).
 */
import { ethernet, ipv4, tcpFrame, udp, udpFrame } from './frames.js';
import * as P from './synthetic-payloads.js';

const ACK = 0x10;
const PSH = 0x08;
const SYN = 0x02;
const FIN = 0x01;

export interface SyntheticOptions {
  seed?: number;
  /** sessions in progress at once (default 64) */
  concurrency?: number;
  /** first timestamp, µs (default 2024-01-01) */
  startUs?: number;
  /** share of TCP data segments delivered out of order or twice (default 0.02) */
  anomalyRate?: number;
}

export interface SyntheticPacket {
  ts: number;
  data: Uint8Array;
}

type Rng = () => number;

function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clientIp = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${(i & 255) || 1}`;
const clientPort = (i: number) => 20000 + (i % 40000);

class TcpConversation {
  private cseq: number;
  private sseq: number;

  constructor(
    private readonly rng: Rng,
    private readonly anomalyRate: number,
    private readonly c: string,
    private readonly cport: number,
    private readonly s: string,
    private readonly sport: number,
  ) {
    this.cseq = Math.floor(rng() * 0xffffffff);
    this.sseq = Math.floor(rng() * 0xffffffff);
  }

  private frame(fromClient: boolean, flags: number, payload?: Uint8Array): Uint8Array {
    const [src, dst, sport, dport, seq, ack] = fromClient
      ? [this.c, this.s, this.cport, this.sport, this.cseq, this.sseq]
      : [this.s, this.c, this.sport, this.cport, this.sseq, this.cseq];
    return tcpFrame(src, dst, { sport, dport, seq, ack, flags, payload });
  }

  *open(): Generator<Uint8Array> {
    yield this.frame(true, SYN);
    this.cseq = (this.cseq + 1) >>> 0;
    yield this.frame(false, SYN | ACK);
    this.sseq = (this.sseq + 1) >>> 0;
    yield this.frame(true, ACK);
  }

  *send(fromClient: boolean, bytes: Uint8Array, mss = 1448): Generator<Uint8Array> {
    let held: Uint8Array | undefined;
    for (let off = 0; off < bytes.length; off += mss) {
      const seg = this.frame(fromClient, ACK | PSH, bytes.subarray(off, off + mss));
      const len = Math.min(mss, bytes.length - off);
      if (fromClient) this.cseq = (this.cseq + len) >>> 0;
      else this.sseq = (this.sseq + len) >>> 0;
      const roll = this.rng();
      if (held === undefined && roll < this.anomalyRate / 2 && off + mss < bytes.length) {
        held = seg; // delivered after the next segment: out of order
        continue;
      }
      yield seg;
      if (held !== undefined) {
        yield held;
        held = undefined;
      }
      if (roll > 1 - this.anomalyRate / 2) yield seg; // resent: a retransmission
    }
    if (held !== undefined) yield held;
  }

  *close(): Generator<Uint8Array> {
    yield this.frame(true, FIN | ACK);
    this.cseq = (this.cseq + 1) >>> 0;
    yield this.frame(false, FIN | ACK);
    this.sseq = (this.sseq + 1) >>> 0;
    yield this.frame(true, ACK);
  }
}

function* dicomSession(i: number, rng: Rng, ar: number, pool: Uint8Array): Generator<Uint8Array> {
  const t = new TcpConversation(rng, ar, clientIp(i), clientPort(i), `172.16.1.${1 + (i % 8)}`, i % 2 ? 104 : 11112);
  yield* t.open();
  yield* t.send(true, P.dicomAssociate(true, `MODALITY${i % 50}`, 'PACS_SCP'));
  yield* t.send(false, P.dicomAssociate(false, `MODALITY${i % 50}`, 'PACS_SCP'));
  const size = 32 * 1024 + Math.floor(rng() * (pool.length - 32 * 1024));
  const start = Math.floor(rng() * (pool.length - size));
  for (const pdu of P.dicomPData(P.dicomPixelDataset(pool.subarray(start, start + size)))) yield* t.send(true, pdu);
  yield* t.send(false, P.dicomStoreResponse(1));
  yield* t.send(true, P.dicomRelease(true));
  yield* t.send(false, P.dicomRelease(false));
  yield* t.close();
}

function* hl7Session(i: number, rng: Rng, ar: number): Generator<Uint8Array> {
  const t = new TcpConversation(rng, ar, clientIp(i), clientPort(i), `172.16.2.${1 + (i % 4)}`, 2575);
  yield* t.open();
  const n = 1 + Math.floor(rng() * 20);
  for (let m = 0; m < n; m++) {
    yield* t.send(true, P.hl7Mllp(i * 100 + m, false));
    yield* t.send(false, P.hl7Mllp(i * 100 + m, true));
  }
  yield* t.close();
}

function* mqttSession(i: number, rng: Rng, ar: number): Generator<Uint8Array> {
  const t = new TcpConversation(rng, ar, clientIp(i), clientPort(i), '172.16.3.1', 1883);
  yield* t.open();
  yield* t.send(true, P.mqttConnect(`pump-${i}`));
  yield* t.send(false, P.mqttConnack());
  const n = 1 + Math.floor(rng() * 30);
  for (let m = 0; m < n; m++) yield* t.send(true, P.mqttPublish(`ward${i % 9}/pump${i}/vitals`, `{"rate":${(m * 7) % 250},"seq":${m}}`));
  yield* t.send(true, P.mqttDisconnect());
  yield* t.close();
}

function* tlsSession(i: number, rng: Rng, ar: number, pool: Uint8Array): Generator<Uint8Array> {
  const t = new TcpConversation(rng, ar, clientIp(i), clientPort(i), `172.16.4.${1 + (i % 16)}`, 443);
  yield* t.open();
  yield* t.send(true, P.tlsClientHello(`device${i % 300}.vendor.example`, pool.subarray(i % 1000, (i % 1000) + 32)));
  yield* t.send(false, P.tlsServerHello(pool.subarray(2000, 2032)));
  yield* t.send(false, P.tlsAppData(pool.subarray(0, 2000 + Math.floor(rng() * 6000))));
  yield* t.close();
}

function* dnsSession(i: number): Generator<Uint8Array> {
  const name = `pacs${i % 50}.hospital.local`;
  yield udpFrame(clientIp(i), '172.16.5.53', clientPort(i), 53, P.dnsMessage(i & 0xffff, name));
  yield udpFrame('172.16.5.53', clientIp(i), 53, clientPort(i), P.dnsMessage(i & 0xffff, name, [172, 16, 1, 1 + (i % 8)]));
}

function* dhcpSession(i: number): Generator<Uint8Array> {
  const mac = Uint8Array.of(0x00, 0x1b, 0x0a, (i >> 16) & 255, (i >> 8) & 255, i & 255);
  const bcast = (src: string, sport: number, dport: number, payload: Uint8Array) =>
    ethernet({ dst: 'ff:ff:ff:ff:ff:ff', etherType: 0x0800, payload: ipv4({ src, dst: '255.255.255.255', proto: 17, payload: udp({ sport, dport, payload }) }) });
  yield bcast('0.0.0.0', 68, 67, P.dhcpMessage(false, i, mac, `MDEV${i % 1000}`));
  yield bcast('172.16.5.67', 67, 68, P.dhcpMessage(true, i, mac, `MDEV${i % 1000}`));
}

/** Endless synthetic traffic; stop iterating when you have enough. */
export function* syntheticPackets(opts: SyntheticOptions = {}): Generator<SyntheticPacket> {
  const rng = mulberry32(opts.seed ?? 1);
  const ar = opts.anomalyRate ?? 0.02;
  const pool = new Uint8Array(512 * 1024);
  for (let k = 0; k < pool.length; k++) pool[k] = Math.floor(rng() * 256);
  let next = 1;
  const newSession = (): Generator<Uint8Array> => {
    const i = next++;
    const r = rng();
    if (r < 0.15) return dicomSession(i, rng, ar, pool);
    if (r < 0.4) return hl7Session(i, rng, ar);
    if (r < 0.65) return mqttSession(i, rng, ar);
    if (r < 0.8) return tlsSession(i, rng, ar, pool);
    if (r < 0.95) return dnsSession(i);
    return dhcpSession(i);
  };
  const active = Array.from({ length: opts.concurrency ?? 64 }, newSession);
  let ts = opts.startUs ?? 1_704_067_200_000_000;
  for (;;) {
    const slot = Math.floor(rng() * active.length);
    const r = (active[slot] as Generator<Uint8Array>).next();
    if (r.done) {
      active[slot] = newSession();
      continue;
    }
    ts += 5 + Math.floor(rng() * 50);
    yield { ts, data: r.value };
  }
}
