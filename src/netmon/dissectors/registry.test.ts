import { describe, expect, it } from 'vitest';
import type { Observation } from '../model.js';
import type { Dissector } from './contract.js';
import { DissectorError } from './errors.js';
import { Registry, createDispatcher, DEFAULT_DISSECTORS } from './registry.js';
import { associateRq } from './testing/dicom.js';
import { ascii, concat, flowKey } from './testing/harness.js';
import { connect } from './testing/mqtt.js';
import { dnsMessage } from './testing/udp.js';

const meta = (frame: number) => ({ frame, ts: frame });
const rq = associateRq({ calling: 'MOD', called: 'PACS', contexts: [{ id: 1, abstractSyntax: '1.2.840.10008.1.1', transferSyntaxes: ['1.2.840.10008.1.2'] }] });

describe('dispatcher', () => {
  it('recognises DICOM on a non-standard port from content split across many chunks and replays the buffered bytes', () => {
    const obs: Observation[] = [];
    const d = createDispatcher(flowKey('tcp', 4000), (o) => obs.push(o));
    for (let i = 0; i < rq.length; i++) d.onData('c2s', rq.subarray(i, i + 1), meta(i + 1));
    expect(d.state).toBe('dissecting');
    expect(d.producer).toBe('dicom@1.6.0');
    expect(obs.map((o) => o.kind)).toEqual(['dicom.associate-rq']);
    expect(obs[0]?.flow?.server.port).toBe(4000);
  });

  it('classifies HL7 carried in an HTTP POST on an unlisted port as HTTP, the protocol the stream opens with, and reads the message in its body', () => {
    const obs: Observation[] = [];
    const d = createDispatcher(flowKey('tcp', 9000), (o) => obs.push(o));
    const body = 'MSH|^~\\&|EMR|HOSP|LAB|HOSP|20240101||ORM^O01|7|P|2.5\rPID|||MRN7||DOE^JANE\r';
    d.onData('c2s', ascii(`POST /hl7 HTTP/1.1\r\nHost: lab.example\r\nContent-Type: x-application/hl7-v2+er7\r\nContent-Length: ${body.length}\r\n\r\n${body}`), meta(1));
    expect(d.producer).toMatch(/^http@/);
    // the HTTP dissector reads the message in the body (http/hl7-body.ts)
    expect(obs.map((o) => `${o.protocol} ${o.kind} ${String(o.fields.carriedBy ?? '')}`)).toEqual(['http http.request ', 'hl7 hl7.message http']);
  });

  it('hands the kept-body budget of the read to the dissectors: an HL7 body it has no room for is not read', () => {
    const body = 'MSH|^~\\&|EMR|HOSP|LAB|HOSP|20240101||ORM^O01|7|P|2.5\rPID|||MRN7||DOE^JANE\r';
    const post = ascii(`POST /hl7 HTTP/1.1\r\nHost: lab\r\nContent-Type: x-application/hl7-v2+er7\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    // less room than the body's own length (a body of known length reserves only that)
    const budget = { used: 0, peak: 0, refused: 0, max: body.length - 1 };
    const obs: Observation[] = [];
    createDispatcher(flowKey('tcp', 9000), (o) => obs.push(o), { keptBodiesBudget: budget }).onData('c2s', post, meta(1));
    expect(obs.map((o) => o.kind)).toEqual(['http.request']);
    expect(budget).toMatchObject({ used: 0, refused: 1 });
  });

  it('classifies HL7 on port 6661 and MQTT on 17501 (content over port)', () => {
    const hl7: Observation[] = [];
    const a = createDispatcher(flowKey('tcp', 6661), (o) => hl7.push(o));
    a.onData('c2s', concat(Uint8Array.of(0x0b), ascii('MSH|^~\\&|A|B|C|D|2024||ADT^A01|1|P|2.3\r'), Uint8Array.of(0x1c, 0x0d)), meta(1));
    expect(a.producer).toBe('hl7@1.3.0');
    expect(hl7[0]?.fields.messageType).toBe('ADT');
    const b = createDispatcher(flowKey('tcp', 17501), () => undefined);
    b.onData('c2s', connect({ level: 4, clientId: 'x' }), meta(1));
    expect(b.producer).toBe('mqtt@1.3.0');
  });

  it('gives up after the detection window and ignores the rest of the flow cheaply', () => {
    const d = createDispatcher(flowKey('tcp', 9), () => undefined, { maxDetectBytes: 64 });
    // an HTTP request line that never ends within the window: HTTP keeps asking for more until the cap
    d.onData('c2s', ascii(`GET /${'a'.repeat(100)}`), meta(1));
    d.onData('s2c', ascii('RFB 0'), meta(2));
    expect(d.state).toBe('detecting');
    d.onData('s2c', ascii('99 nonsense\n'), meta(3));
    expect(d.state).toBe('unclassified');
    d.onData('c2s', ascii(' HTTP/1.1\r\n\r\n'), meta(4));
    expect(d.state).toBe('unclassified');
  });

  it('uses the server port only to break a tie between content matches', () => {
    const a: Dissector = { id: 'a', version: '1', transport: 'tcp', defaultPorts: [1], detect: () => 'yes', create: () => ({ onData: () => undefined }) };
    const b: Dissector = { ...a, id: 'b', defaultPorts: [2] };
    const r = new Registry([a, b]);
    expect(r.classify(Uint8Array.of(1), 'c2s', flowKey('tcp', 2))).toBe(b);
    expect(r.classify(Uint8Array.of(1), 'c2s', flowKey('tcp', 3))).toBe(a);
    const c: Dissector = { ...a, id: 'c', defaultPorts: [3], detect: () => 'no' };
    expect(new Registry([a, c]).classify(Uint8Array.of(1), 'c2s', flowKey('tcp', 3))).toBe(a);
  });

  it('turns a DissectorError into a malformed observation and stops only that TCP direction', () => {
    const obs: Observation[] = [];
    let calls = 0;
    const failing: Dissector = {
      id: 'x', version: '2', transport: 'tcp', defaultPorts: [], detect: () => 'yes',
      create: () => ({
        onData: (dir) => {
          calls++;
          if (dir === 'c2s') throw new DissectorError('x', 'bad', 'broken', 3);
        },
      }),
    };
    const d = createDispatcher(flowKey('tcp', 1), (o) => obs.push(o), { dissectors: [failing] });
    d.onData('c2s', Uint8Array.of(1), meta(1));
    d.onData('c2s', Uint8Array.of(2), meta(2));
    d.onData('s2c', Uint8Array.of(3), meta(3));
    expect(calls).toBe(2);
    expect(obs).toEqual([expect.objectContaining({ kind: 'x.malformed', producer: 'x@2', dir: 'c2s', frame: 1, fields: expect.objectContaining({ code: 'netmon.x.bad', byteOffset: 3, stoppedDirection: true }) })]);
  });

  it('contains an unexpected exception as a dissector fault and drops the flow', () => {
    const obs: Observation[] = [];
    const buggy: Dissector = { id: 'y', version: '1', transport: 'tcp', defaultPorts: [], detect: () => 'yes', create: () => ({ onData: () => { throw new TypeError('oops'); } }) };
    const d = createDispatcher(flowKey('tcp', 1), (o) => obs.push(o), { dissectors: [buggy] });
    d.onData('c2s', Uint8Array.of(1), meta(1));
    d.onData('s2c', Uint8Array.of(1), meta(2));
    expect(obs.map((o) => o.kind)).toEqual(['y.dissector-fault']);
  });

  it('classifies UDP per datagram and forwards gaps after classification', () => {
    const obs: Observation[] = [];
    const d = createDispatcher(flowKey('udp', 53), (o) => obs.push(o));
    d.onData('c2s', Uint8Array.of(1, 2, 3), meta(1));
    d.onData('c2s', dnsMessage({ flags: 0x0100, questions: [{ name: 'a.example', type: 1 }] }), meta(2));
    expect(d.producer).toBe('dns@1.0.0');
    expect(obs.map((o) => o.kind)).toEqual(['dns.malformed', 'dns.query']);
  });

  it('has unique dissector ids and producer versions', () => {
    expect(new Set(DEFAULT_DISSECTORS.map((d) => d.id)).size).toBe(DEFAULT_DISSECTORS.length);
    expect(() => new Registry([DEFAULT_DISSECTORS[0] as Dissector, DEFAULT_DISSECTORS[0] as Dissector])).toThrow(/duplicate/);
  });

  it('picks what the tie-break rule says for every mix of answers and port hints', () => {
    const answers = ['yes', 'no', 'need-more', 'throw'] as const;
    for (let mix = 0; mix < 4 ** 3 * 2 ** 3; mix++) {
      const picked = [0, 1, 2].map((i) => answers[(mix >> (2 * i)) & 3] as (typeof answers)[number]);
      const ds: Dissector[] = picked.map((answer, i) => ({
        id: `d${i}`, version: '1', transport: 'tcp', defaultPorts: (mix >> (6 + i)) & 1 ? [7] : [],
        detect: () => {
          if (answer === 'throw') throw new Error('buggy check');
          return answer;
        },
        create: () => ({ onData: () => undefined }),
      }));
      // the rule: among the yeses, the first on its default port, else the first; a throw counts as 'no'
      const yes = ds.filter((_, i) => picked[i] === 'yes');
      const expected = yes.find((d) => d.defaultPorts.includes(7)) ?? yes[0] ?? (picked.includes('need-more') ? 'need-more' : 'no');
      expect(new Registry(ds).classify(Uint8Array.of(1), 'c2s', flowKey('tcp', 7))).toBe(expected);
    }
  });

  it('replays what arrived while detecting in order, then the chunk that decided', () => {
    const seen: string[] = [];
    const late: Dissector = {
      id: 'late', version: '1', transport: 'tcp', defaultPorts: [],
      // needs three client bytes before it can say yes
      detect: (b, dir) => (dir === 's2c' ? 'need-more' : b.length < 3 ? 'need-more' : 'yes'),
      create: () => ({ onData: (dir, data, m) => void seen.push(`${dir}:${[...data].join(',')}@${m.frame}`) }),
    };
    const d = createDispatcher(flowKey('tcp', 5), () => undefined, { dissectors: [late] });
    d.onData('c2s', Uint8Array.of(1, 2), meta(1));
    d.onData('s2c', Uint8Array.of(9), meta(2));
    d.onData('c2s', Uint8Array.of(3, 4), meta(3));
    d.onData('c2s', Uint8Array.of(5), meta(4));
    expect(seen).toEqual(['c2s:1,2@1', 's2c:9@2', 'c2s:3,4@3', 'c2s:5@4']);
  });
});
