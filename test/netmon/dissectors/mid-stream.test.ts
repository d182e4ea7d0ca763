/**
 * A monitor started on a live network sees persistent connections from the middle: no handshake,
 * and the first bytes of a direction may be the end of a message. HL7 interfaces keep one MLLP
 * connection open for weeks, so such a flow must still be recognised and read from its next
 * message on, through flow tracking and the dispatcher as a capture is read. MQTT devices keep their
 * broker session open for days: such a flow has no CONNECT and is recognised by a chain of packets.
 * DICOM associations carry long C-STOREs: such a flow has no A-ASSOCIATE and is recognised by its P-DATA-TF.
 */
import { describe, expect, it } from 'vitest';
import * as F from '../../../src/netmon/capture/testing/frames.js';
import { writePcap } from '../../../src/netmon/capture/testing/pcap-writer.js';
import { TcpFlag } from '../../../src/netmon/decode/index.js';
import { createDispatcher } from '../../../src/netmon/dissectors/index.js';
import { commandSet, pData, pdv } from '../../../src/netmon/dissectors/testing/dicom.js';
import { pingreq, puback, publish, suback, subscribe } from '../../../src/netmon/dissectors/testing/mqtt.js';
import type { Observation } from '../../../src/netmon/model.js';
import { readCapture } from '../../../src/netmon/pipeline/read-capture.js';

const enc = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]));
const mllp = (segments: string[]) => new Uint8Array([0x0b, ...enc(segments.join('\r') + '\r'), 0x1c, 0x0d]);
const CLIENT = { ip: '10.20.1.30', mac: '02:00:00:00:01:30', port: 40123 };
const SERVER = { ip: '10.20.9.5', mac: '02:00:00:00:09:05', port: 2575 };

function capture(payloads: Array<{ fromClient: boolean; data: Uint8Array }>, server = SERVER): Uint8Array {
  const seq = { c: 1_000_000, s: 7_000_000 };
  const records = payloads.map((p, i) => {
    const [from, to] = p.fromClient ? [CLIENT, server] : [server, CLIENT];
    const tcp = F.tcp({ sport: from.port, dport: to.port, seq: p.fromClient ? seq.c : seq.s, ack: p.fromClient ? seq.s : seq.c, flags: TcpFlag.ACK | TcpFlag.PSH, payload: p.data });
    if (p.fromClient) seq.c += p.data.length;
    else seq.s += p.data.length;
    return { ts: 1_700_000_000_000_000 + i * 1000, data: F.ethernet({ src: from.mac, dst: to.mac, etherType: 0x0800, payload: F.ipv4({ src: from.ip, dst: to.ip, proto: 6, payload: tcp }) }) };
  });
  return writePcap(records);
}

async function observe(pcap: Uint8Array): Promise<Observation[]> {
  const out: Observation[] = [];
  await readCapture({ bytes: (async function* () { yield pcap; })() }, { onFlowStart: (key) => createDispatcher(key, (o) => out.push(o)) });
  return out;
}

describe('dissection of connections captured from the middle', () => {
  it('an HL7 MLLP connection seen from inside a message is read from its next message on', async () => {
    const obs = await observe(
      capture([
        // the end of an ADT message whose start came before the capture
        { fromClient: true, data: new Uint8Array([...enc('||19800101|F|||1 MAIN ST\rPV1|1|I|W3^301^1\r'), 0x1c, 0x0d]) },
        { fromClient: false, data: mllp(['MSH|^~\\&|LIS|LAB|ADT|HOSP|20240101||ACK^A01|ACK9|P|2.5', 'MSA|AA|MSG8']) },
        { fromClient: true, data: mllp(['MSH|^~\\&|ADT|HOSP|LIS|LAB|20240101||ADT^A08|MSG9|P|2.5', 'PID|1||4711^^^MRN||DOE^JOHN']) },
        { fromClient: false, data: mllp(['MSH|^~\\&|LIS|LAB|ADT|HOSP|20240101||ACK^A08|ACK10|P|2.5', 'MSA|AA|MSG9']) },
      ]),
    );
    const messages = obs.filter((o) => o.kind === 'hl7.message');
    expect(messages.map((o) => [o.dir, o.fields.messageType, o.fields.controlId, o.fields.ackCode])).toEqual([
      ['s2c', 'ACK', 'ACK9', 'AA'],
      ['c2s', 'ADT', 'MSG9', null],
      ['s2c', 'ACK', 'ACK10', 'AA'],
    ]);
    // the patient identifiers of the message read in full are still flagged
    expect(messages[1]?.findings?.map((f) => f.code)).toEqual(['hl7.cleartext-phi']);
    expect(obs.filter((o) => o.kind.endsWith('.malformed'))).toEqual([]);
  });

  it('is recognised from the middle by content alone, when only the sending side is captured', async () => {
    const obs = await observe(
      capture([
        { fromClient: true, data: new Uint8Array([...enc('^^TOWN||555-0100\rPV1|1|I|W3^301^1\r'), 0x1c, 0x0d]) },
        { fromClient: true, data: mllp(['MSH|^~\\&|ADT|HOSP|LIS|LAB|20240101||ADT^A08|MSG9|P|2.5', 'PV1|1|O']) },
        { fromClient: true, data: mllp(['MSH|^~\\&|ADT|HOSP|LIS|LAB|20240101||ADT^A03|MSG10|P|2.5', 'PV1|1|O']) },
      ]),
    );
    expect(obs.filter((o) => o.kind === 'hl7.message').map((o) => [o.fields.messageType, o.fields.triggerEvent, o.fields.controlId])).toEqual([
      ['ADT', 'A08', 'MSG9'],
      ['ADT', 'A03', 'MSG10'],
    ]);
  });
});

describe('MQTT sessions captured from the middle', () => {
  const BROKER = { ip: '10.20.9.7', mac: '02:00:00:00:09:07', port: 1883 };
  const json = (o: object) => enc(JSON.stringify(o));
  // the end of a PUBLISH payload whose start came before the capture
  const tail = json({ spo2: 97, hr: 72 }).subarray(7);
  const publishes = [
    { fromClient: true, data: new Uint8Array([...tail, ...publish('icu/bed4/monitor/vitals', json({ hr: 71 }), 1)]) },
    { fromClient: true, data: publish('icu/bed4/monitor/vitals', json({ hr: 70 }), 1) },
    { fromClient: true, data: publish('icu/bed4/monitor/alarm', json({ level: 'low' }), 1) },
    { fromClient: true, data: pingreq() },
  ];
  const topicsOf = (obs: Observation[]) => obs.filter((o) => o.kind === 'mqtt.publish').map((o) => [o.dir, o.fields.topic]);
  const noTls = (obs: Observation[]) => obs.flatMap((o) => o.findings ?? []).filter((f) => f.code === 'mqtt.no-tls');

  it('a client publishing to port 1883, both sides captured without the handshake, is read from its first whole packet', async () => {
    const obs = await observe(
      capture(
        [
          publishes[0]!,
          { fromClient: false, data: puback(1) },
          publishes[1]!,
          { fromClient: false, data: puback(1) },
          { fromClient: true, data: subscribe(5, [{ filter: 'icu/bed4/monitor/cmd/#', qos: 1 }]) },
          { fromClient: false, data: concat(suback(5, [1]), publish('icu/bed4/monitor/cmd/silence', json({ on: true }), 1)) },
          publishes[2]!,
          publishes[3]!,
        ],
        BROKER,
      ),
    );
    expect(obs.filter((o) => o.kind.endsWith('.malformed') || o.kind.endsWith('.dissector-fault'))).toEqual([]);
    expect(new Set(obs.map((o) => o.producer))).toEqual(new Set(['mqtt@1.3.0']));
    expect(topicsOf(obs)).toEqual([
      ['c2s', 'icu/bed4/monitor/vitals'],
      ['s2c', 'icu/bed4/monitor/cmd/silence'],
      ['c2s', 'icu/bed4/monitor/alarm'],
    ]);
    expect(obs.find((o) => o.kind === 'mqtt.subscribe')?.fields.topics).toEqual([{ filter: 'icu/bed4/monitor/cmd/#', qos: 1 }]);
    expect(noTls(obs)).toHaveLength(1);
    expect(obs.find((o) => o.kind === 'mqtt.session-summary')?.fields).toMatchObject({
      sawConnect: false,
      midStream: true,
      skippedBytes: { c2s: tail.length, s2c: 0 },
      publishCount: { c2s: 3, s2c: 1 },
      closeReason: 'end-of-capture',
    });
  });

  it('is recognised when only the publishing side is captured', async () => {
    const obs = await observe(capture(publishes, BROKER));
    expect(topicsOf(obs)).toEqual([
      ['c2s', 'icu/bed4/monitor/vitals'],
      ['c2s', 'icu/bed4/monitor/alarm'],
    ]);
    expect(noTls(obs)).toHaveLength(1);
    expect(obs.find((o) => o.kind === 'mqtt.session-summary')?.fields).toMatchObject({ midStream: true, publishCount: { c2s: 3, s2c: 0 } });
  });
});

describe('DICOM associations captured from the middle', () => {
  const PACS = { ip: '10.20.9.11', mac: '02:00:00:00:09:11', port: 104 };
  const CT = '1.2.840.10008.5.1.4.1.1.2';
  const pixels = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => ((i * 31 + seed * 17) % 251) | 0x10);
  const storeRq = (id: number) => pData(pdv(3, 3, commandSet({ command: 0x0001, sopClassUid: CT, messageId: id, dataSet: true })));
  const storeRsp = (id: number) => pData(pdv(3, 3, commandSet({ command: 0x8001, sopClassUid: CT, respondingTo: id, status: 0 })));
  // the end of a 16 KiB data PDU of message 7 whose start came before the capture, then its last fragment
  const inProgress = concat(pixels(700, 1), pData(pdv(3, 2, pixels(1200, 2))));

  it('a C-STORE in progress on port 104, without the A-ASSOCIATE, reports its DIMSE commands and the data-set finding', async () => {
    const obs = await observe(
      capture(
        [
          { fromClient: true, data: inProgress },
          { fromClient: false, data: storeRsp(7) },
          { fromClient: true, data: storeRq(8) },
          { fromClient: true, data: pData(pdv(3, 0, pixels(1400, 3))) },
          { fromClient: true, data: pData(pdv(3, 2, pixels(900, 4))) },
          { fromClient: false, data: storeRsp(8) },
        ],
        PACS,
      ),
    );
    expect(obs.filter((o) => o.kind.endsWith('.malformed') || o.kind.endsWith('.dissector-fault'))).toEqual([]);
    expect(new Set(obs.map((o) => o.producer))).toEqual(new Set(['dicom@1.6.0']));
    expect(obs.filter((o) => o.kind === 'dicom.dimse').map((o) => [o.dir, o.fields.command, o.fields.messageId ?? o.fields.respondingTo])).toEqual([
      ['s2c', 'C-STORE-RSP', 7],
      ['c2s', 'C-STORE-RQ', 8],
      ['s2c', 'C-STORE-RSP', 8],
    ]);
    expect(obs.flatMap((o) => o.findings ?? []).map((f) => f.code)).toEqual(['dicom.cleartext-phi']);
    expect(obs.find((o) => o.kind === 'dicom.association-summary')?.fields).toMatchObject({ midStream: true, sawAssociate: false, dataSets: 2, dataSetBytes: 3500 });
  });
});
