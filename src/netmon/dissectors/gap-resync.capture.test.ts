/**
 * Reading on after a gap, through flow tracking as a capture is read: a persistent connection one TCP
 * segment of which the capture lost (a SPAN port dropping a packet under load). Flow tracking holds the
 * segments after the hole, reports the hole as a gap and delivers the rest; the dissector reads on from
 * the next message or PDU.
 */
import { describe, expect, it } from 'vitest';
import * as F from '../capture/testing/frames.js';
import { writePcap } from '../capture/testing/pcap-writer.js';
import { TcpFlag } from '../decode/index.js';
import type { FlowSummary, Observation } from '../model.js';
import { readCaptureDissected } from '../pipeline/dissected.js';
import { commandSet, pData, pdv, releaseRq } from './testing/dicom.js';
import { ascii, concat } from './testing/harness.js';

const CLIENT = { ip: '10.20.1.30', mac: '02:00:00:00:01:30', port: 40123 };
const MSS = 1460;

/**
 * One TCP segment per MSS of each payload, sequence numbers continuing per direction, no handshake (the
 * monitor started while the connection was open); the `drop`th segment the client sends (0-based) is lost.
 */
function capture(server: typeof CLIENT, payloads: Array<{ fromClient: boolean; data: Uint8Array }>, drop: number): Uint8Array {
  const seq = { c: 1_000_000, s: 7_000_000 };
  const records: { ts: number; data: Uint8Array }[] = [];
  let clientSegments = 0;
  for (const p of payloads) {
    for (let at = 0; at < p.data.length; at += MSS) {
      const payload = p.data.subarray(at, at + MSS);
      const [from, to] = p.fromClient ? [CLIENT, server] : [server, CLIENT];
      const tcp = F.tcp({ sport: from.port, dport: to.port, seq: p.fromClient ? seq.c : seq.s, ack: p.fromClient ? seq.s : seq.c, flags: TcpFlag.ACK | TcpFlag.PSH, payload });
      if (p.fromClient) seq.c += payload.length;
      else seq.s += payload.length;
      if (p.fromClient && clientSegments++ === drop) continue;
      records.push({ ts: 1_700_000_000_000_000 + records.length * 1000, data: F.ethernet({ src: from.mac, dst: to.mac, etherType: 0x0800, payload: F.ipv4({ src: from.ip, dst: to.ip, proto: 6, payload: tcp }) }) });
    }
  }
  return writePcap(records);
}

async function read(pcap: Uint8Array): Promise<{ obs: Observation[]; flows: { summary: FlowSummary; producer: string | undefined }[] }> {
  const obs: Observation[] = [];
  const flows: { summary: FlowSummary; producer: string | undefined }[] = [];
  await readCaptureDissected({ bytes: (async function* () { yield pcap; })() }, {}, { onObservation: (o) => obs.push(o), onFlowEnd: (summary, producer) => flows.push({ summary, producer }) });
  return { obs, flows };
}

describe('reading on after a lost TCP segment, through flow tracking', () => {
  it('HL7 over MLLP: the message the lost segment cut ends there, the next ones are read marked as after a gap', async () => {
    const note = 'free text '.repeat(300);
    const message = (i: number) =>
      concat(Uint8Array.of(0x0b), ascii([`MSH|^~\\&|ADT|HOSP|LIS|LAB|20240101||ADT^A08|MSG${i}|P|2.5`, `PID|1||47${i}^^^MRN||DOE^JOHN`, `NTE|1||${note}`].join('\r') + '\r'), Uint8Array.of(0x1c, 0x0d));
    // each message is three segments; the second segment of message 3 (the client's 8th) is lost
    const { obs, flows } = await read(capture({ ip: '10.20.9.5', mac: '02:00:00:00:09:05', port: 2575 }, [1, 2, 3, 4, 5].map((i) => ({ fromClient: true, data: message(i) })), 7));
    expect(message(1).length).toBeGreaterThan(2 * MSS);
    expect(message(1).length).toBeLessThan(3 * MSS);
    expect(flows.map((f) => [f.producer, f.summary.tcp?.gapBytes])).toEqual([['hl7@1.3.0', MSS]]);
    expect(obs.map((o) => [o.kind, o.fields.controlId, o.fields.endedByGap ?? null, o.fields.resyncedAfterGap ?? null, o.fields.afterGap ?? null])).toEqual([
      ['hl7.message', 'MSG1', null, null, null],
      ['hl7.message', 'MSG2', null, null, null],
      ['hl7.message', 'MSG3', true, null, null],
      ['hl7.message', 'MSG4', null, 1, { gapBytes: MSS, skippedBytes: message(3).length - 2 * MSS }],
      ['hl7.message', 'MSG5', null, 1, null],
    ]);
  });

  it('DICOM: a segment lost inside a 64 KiB data PDU, the next C-STORE and the release are read', async () => {
    const CT = '1.2.840.10008.5.1.4.1.1.2';
    const pixels = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => ((i * 31 + seed * 17) % 251) | 0x10);
    const storeRq = (id: number) => pData(pdv(3, 3, commandSet({ command: 0x0001, sopClassUid: CT, messageId: id, dataSet: true })));
    const storeRsp = (id: number) => pData(pdv(3, 3, commandSet({ command: 0x8001, sopClassUid: CT, respondingTo: id, status: 0 })));
    const big = pData(pdv(3, 2, pixels(64 * 1024 - 12, 1)));
    // seen from the middle: the client's first segment starts with a C-STORE; its 20th segment, inside the data PDU, is lost
    const first = concat(storeRq(7), big);
    const { obs, flows } = await read(
      capture(
        { ip: '10.20.9.11', mac: '02:00:00:00:09:11', port: 104 },
        [
          { fromClient: true, data: first },
          { fromClient: false, data: storeRsp(7) },
          { fromClient: true, data: concat(storeRq(8), pData(pdv(3, 2, pixels(5000, 2)))) },
          { fromClient: false, data: storeRsp(8) },
          { fromClient: true, data: releaseRq() },
        ],
        19,
      ),
    );
    expect(flows.map((f) => [f.producer, f.summary.tcp?.gapBytes])).toEqual([['dicom@1.6.0', MSS]]);
    expect(obs.filter((o) => o.dir === 'c2s').map((o) => [o.kind, o.fields.messageId ?? null, o.fields.resyncedAfterGap ?? null, o.fields.afterGap ?? null])).toEqual([
      ['dicom.dimse', 7, null, null],
      ['dicom.dimse', 8, 1, { gapBytes: MSS, skippedBytes: first.length - 20 * MSS }],
      ['dicom.data-set', null, 1, null],
      ['dicom.release-rq', null, 1, null],
    ]);
    expect(obs.find((o) => o.kind === 'dicom.association-summary')?.fields).toMatchObject({
      dataSets: 1,
      dataSetBytes: 5000,
      gapResync: { c2s: { gaps: 1, lostBytes: MSS, resyncs: 1, skippedBytes: first.length - 20 * MSS, givenUp: false } },
    });
  });
});
