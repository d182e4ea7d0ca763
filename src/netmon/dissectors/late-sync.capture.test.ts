/**
 * Late mid-stream sync through flow tracking, as a capture is read: TCP segments of a persistent
 * connection whose capture began inside a large message, no handshake, with the skips flow tracking
 * honours (a direction given up, or data-set bytes already counted, are passed over).
 */
import { describe, expect, it } from 'vitest';
import * as F from '../capture/testing/frames.js';
import { writePcap } from '../capture/testing/pcap-writer.js';
import { TcpFlag } from '../decode/index.js';
import type { Observation } from '../model.js';
import { readCapture } from '../pipeline/read-capture.js';
import type { Dispatcher } from './dispatcher.js';
import { createDispatcher } from './registry.js';
import { SELECTED_BY } from './support/late-sync.js';
import { commandSet, pData, pdv } from './testing/dicom.js';
import { concat } from './testing/harness.js';

const CLIENT = { ip: '10.20.1.30', mac: '02:00:00:00:01:30', port: 40123 };
const PACS = { ip: '10.20.9.11', mac: '02:00:00:00:09:11', port: 104 };
const MSS = 1460;

/** one TCP segment per MSS of each payload, sequence numbers continuing per direction */
function capture(payloads: Array<{ fromClient: boolean; data: Uint8Array }>): Uint8Array {
  const seq = { c: 1_000_000, s: 7_000_000 };
  const records: { ts: number; data: Uint8Array }[] = [];
  for (const p of payloads) {
    for (let at = 0; at < p.data.length; at += MSS) {
      const payload = p.data.subarray(at, at + MSS);
      const [from, to] = p.fromClient ? [CLIENT, PACS] : [PACS, CLIENT];
      const tcp = F.tcp({ sport: from.port, dport: to.port, seq: p.fromClient ? seq.c : seq.s, ack: p.fromClient ? seq.s : seq.c, flags: TcpFlag.ACK | TcpFlag.PSH, payload });
      if (p.fromClient) seq.c += payload.length;
      else seq.s += payload.length;
      records.push({ ts: 1_700_000_000_000_000 + records.length * 1000, data: F.ethernet({ src: from.mac, dst: to.mac, etherType: 0x0800, payload: F.ipv4({ src: from.ip, dst: to.ip, proto: 6, payload: tcp }) }) });
    }
  }
  return writePcap(records);
}

async function observe(pcap: Uint8Array, options: { lateSyncScanLimit?: number } = {}): Promise<{ obs: Observation[]; dispatchers: Dispatcher[] }> {
  const obs: Observation[] = [];
  const dispatchers: Dispatcher[] = [];
  await readCapture(
    { bytes: (async function* () { yield pcap; })() },
    {
      onFlowStart: (key) => {
        const d = createDispatcher(key, (o) => obs.push(o), options);
        dispatchers.push(d);
        return d;
      },
    },
  );
  return { obs, dispatchers };
}

describe('late sync through flow tracking', () => {
  const CT = '1.2.840.10008.5.1.4.1.1.2';
  const pixels = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => ((i * 31 + seed * 17) % 251) | 0x10);
  const storeRq = (id: number) => pData(pdv(3, 3, commandSet({ command: 0x0001, sopClassUid: CT, messageId: id, dataSet: true })));
  const storeRsp = (id: number) => pData(pdv(3, 3, commandSet({ command: 0x8001, sopClassUid: CT, respondingTo: id, status: 0 })));
  // the capture starts 10 KiB into a 1 MiB data PDU of message 7: 1 MiB - 10 KiB of pixels before the next PDU
  const tail = pixels(1024 * 1024 - 12 - 10 * 1024, 1);

  it('reads a C-STORE whose capture began inside a 1 MiB P-DATA-TF, on port 104', async () => {
    const { obs, dispatchers } = await observe(
      capture([
        { fromClient: true, data: concat(tail, pData(pdv(3, 2, pixels(20_000, 2)))) },
        { fromClient: false, data: storeRsp(7) },
        { fromClient: true, data: concat(storeRq(8), pData(pdv(3, 0, pixels(100_000, 3))), pData(pdv(3, 2, pixels(900, 4)))) },
        { fromClient: false, data: storeRsp(8) },
      ]),
    );
    expect(dispatchers.map((d) => [d.state, d.producer])).toEqual([['late-sync', 'dicom@1.6.0']]);
    expect(obs.filter((o) => o.kind === 'dicom.dimse').map((o) => [o.dir, o.fields.command, o.fields.lateSync])).toEqual([
      ['s2c', 'C-STORE-RSP', { selectedBy: SELECTED_BY, syncedAfterBytes: 0 }],
      ['c2s', 'C-STORE-RQ', { selectedBy: SELECTED_BY, syncedAfterBytes: tail.length }],
      ['s2c', 'C-STORE-RSP', { selectedBy: SELECTED_BY, syncedAfterBytes: 0 }],
    ]);
    expect(obs.find((o) => o.kind === 'dicom.association-summary')?.fields).toMatchObject({ midStream: true, dataSets: 2, dataSetBytes: 120_900 });
  });

  it('gives a direction up at the scan limit and reports nothing else for a flow that never syncs', async () => {
    const { obs, dispatchers } = await observe(capture([{ fromClient: true, data: pixels(400_000, 5) }]), { lateSyncScanLimit: 200_000 });
    expect(obs.map((o) => [o.kind, o.fields.scannedBytes])).toEqual([['dicom.late-sync-given-up', 200_000]]);
    expect(dispatchers.map((d) => [d.state, d.producer, d.lateSync?.c2s.state])).toEqual([['late-sync', undefined, 'given-up']]);
  });
});
