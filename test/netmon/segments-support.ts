/**
 * @module A capture for segmented reads: one MQTT connection open for five minutes of capture time
 * (CONNECT, then a PUBLISH every 20 s, each to a topic of its own so each is observed, then DISCONNECT and FIN), and in each minute a short HL7
 * connection of its own client, so every checkpoint interval has flows that begin and end in it
 * and one that spans them all.
 */
import { concatBytes, PcapWriter } from '../../src/netmon/capture/testing/pcap-writer.js';
import { tcpFrame } from '../../src/netmon/capture/testing/frames.js';
import { hl7Mllp, mqttConnect, mqttDisconnect, mqttPublish } from '../../src/netmon/capture/testing/synthetic-payloads.js';

const SYN = 0x02;
const ACK = 0x10;
const PSH = 0x08;
const FIN = 0x01;

export const START_US = Date.UTC(2026, 2, 1, 8, 0, 0) * 1000;
export const LONG_CLIENT = '10.1.0.5';
export const MQTT_BROKER = '172.16.0.20';
export const PUBLISHES = 15;

/** One TCP connection's frames in order, with sequence numbers kept. */
export class Connection {
  private cseq = 1000;
  private sseq = 5000;
  constructor(
    private readonly c: string,
    private readonly cport: number,
    private readonly s: string,
    private readonly sport: number,
  ) {}

  private frame(fromClient: boolean, flags: number, payload?: Uint8Array): Uint8Array {
    return fromClient
      ? tcpFrame(this.c, this.s, { sport: this.cport, dport: this.sport, seq: this.cseq, ack: this.sseq, flags, payload })
      : tcpFrame(this.s, this.c, { sport: this.sport, dport: this.cport, seq: this.sseq, ack: this.cseq, flags, payload });
  }

  open(): Uint8Array[] {
    const out = [this.frame(true, SYN)];
    this.cseq++;
    out.push(this.frame(false, SYN | ACK));
    this.sseq++;
    out.push(this.frame(true, ACK));
    return out;
  }

  send(fromClient: boolean, payload: Uint8Array): Uint8Array {
    const f = this.frame(fromClient, PSH | ACK, payload);
    if (fromClient) this.cseq += payload.length;
    else this.sseq += payload.length;
    return f;
  }

  close(): Uint8Array[] {
    const out = [this.frame(true, FIN | ACK)];
    this.cseq++;
    out.push(this.frame(false, FIN | ACK));
    this.sseq++;
    out.push(this.frame(true, ACK));
    return out;
  }
}

export interface SegmentCapture {
  /** the whole pcap file */
  bytes: Uint8Array;
  /** the pcap files of a rotation cutting the capture at these seconds of capture time (from START_US) */
  rotated(cutsSeconds: number[]): Uint8Array[];
  /** byte offset in `bytes` where the records of capture time >= START_US + 90 s begin */
  splitAt: number;
  packets: number;
}

/** The capture, records in time order; `minutes` short HL7 connections, the MQTT one spanning all. */
export function segmentCapture(minutes = 5): SegmentCapture {
  const timed: Array<{ ts: number; data: Uint8Array }> = [];
  const at = (seconds: number, frames: Uint8Array[]) => frames.forEach((data, i) => timed.push({ ts: START_US + seconds * 1e6 + i * 100, data }));
  const mqtt = new Connection(LONG_CLIENT, 40000, MQTT_BROKER, 1883);
  at(0, [...mqtt.open(), mqtt.send(true, mqttConnect('pump-17'))]);
  for (let i = 1; i <= PUBLISHES; i++) at(i * 20, [mqtt.send(true, mqttPublish(`ward3/pump-17/reading-${i}`, `{"ml":${i}}`))]);
  at(minutes * 60 + 5, [mqtt.send(true, mqttDisconnect()), ...mqtt.close()]);
  for (let m = 0; m < minutes; m++) {
    const hl7 = new Connection(`10.2.0.${10 + m}`, 41000 + m, '172.16.0.30', 2575);
    at(m * 60 + 30, [...hl7.open(), hl7.send(true, hl7Mllp(m, false)), hl7.send(false, hl7Mllp(m, true)), ...hl7.close()]);
  }
  timed.sort((a, b) => a.ts - b.ts);
  const writer = new PcapWriter();
  const records = timed.map((t) => writer.record(t));
  const header = writer.header();
  let splitAt = header.length;
  for (let i = 0; i < timed.length && (timed[i] as { ts: number }).ts < START_US + 90e6; i++) splitAt += (records[i] as Uint8Array).length;
  const rotated = (cuts: number[]): Uint8Array[] => {
    const files: Uint8Array[][] = cuts.map(() => []).concat([[]]);
    timed.forEach((t, i) => files[cuts.filter((c) => t.ts >= START_US + c * 1e6).length]?.push(records[i] as Uint8Array));
    return files.map((f) => concatBytes([header, ...f]));
  };
  return { bytes: concatBytes([header, ...records]), splitAt, packets: records.length, rotated };
}

/** The bytes as a stream of small chunks (as a pipe delivers them), optionally pausing at `splitAt` until `resume` settles. */
export async function* chunked(bytes: Uint8Array, chunk = 512, pause?: { at: number; resume: () => Promise<void> }): AsyncGenerator<Uint8Array> {
  let off = 0;
  while (off < bytes.length) {
    const limit = pause && off < pause.at ? pause.at : bytes.length;
    const end = Math.min(off + chunk, limit);
    yield bytes.slice(off, end);
    if (pause && end === pause.at) await pause.resume();
    off = end;
  }
}
