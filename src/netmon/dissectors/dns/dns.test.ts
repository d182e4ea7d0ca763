import { describe, expect, it } from 'vitest';
import { concat, dissect, flowKey, u16be } from '../testing/harness.js';
import { dnsMessage, rr } from '../testing/udp.js';
import { dnsDissector } from './dissector.js';
import { readName } from './names.js';

describe('dns dissector', () => {
  it('reports questions and answers with compressed names', () => {
    const ptr = Uint8Array.of(0xc0, 12);
    const msg = dnsMessage({ flags: 0x8180, questions: [{ name: 'pacs.hospital.example', type: 1 }], answers: [rr({ name: ptr, type: 5, data: concat(Uint8Array.of(3), new TextEncoder().encode('web'), Uint8Array.of(0xc0, 17)) }), rr({ name: ptr, type: 1, data: Uint8Array.of(10, 1, 2, 3) })] });
    const [o] = dissect(dnsDissector, flowKey('udp', 53), [['s2c', msg]]);
    expect(o?.kind).toBe('dns.response');
    expect(o?.fields).toMatchObject({ rcode: 'NOERROR', questions: [{ name: 'pacs.hospital.example', type: 'A', unicastResponse: false }] });
    expect(o?.fields.answers).toEqual([
      { name: 'pacs.hospital.example', type: 'CNAME', ttl: 120, data: 'web.hospital.example' },
      { name: 'pacs.hospital.example', type: 'A', ttl: 120, data: '10.1.2.3' },
    ]);
  });

  it('refuses compression pointer loops and forward pointers', () => {
    const loop = concat(new Uint8Array(12), Uint8Array.of(1, 0x61, 0xc0, 12));
    expect(() => readName(loop, 12)).toThrow(expect.objectContaining({ code: 'netmon.dns.bad-pointer' }));
    const self = concat(new Uint8Array(12), Uint8Array.of(0xc0, 12));
    expect(() => readName(self, 12)).toThrow(expect.objectContaining({ code: 'netmon.dns.bad-pointer' }));
  });

  it('frames DNS over TCP by its 2-byte length prefix', () => {
    const msg = dnsMessage({ flags: 0x0100, questions: [{ name: 'a.example', type: 28 }] });
    const framed = concat(u16be(msg.length), msg, u16be(msg.length), msg);
    const obs = dissect(dnsDissector, flowKey('tcp', 53), [['c2s', framed]]);
    expect(obs.map((o) => o.kind)).toEqual(['dns.query', 'dns.query']);
  });

  it('detects only datagrams that parse completely as DNS', () => {
    const q = dnsMessage({ flags: 0x0100, questions: [{ name: 'x.example', type: 1 }] });
    expect(dnsDissector.detect(q, 'c2s', flowKey('udp', 5300))).toBe('yes');
    expect(dnsDissector.detect(concat(q, Uint8Array.of(1, 2, 3)), 'c2s', flowKey('udp', 53))).toBe('no');
    expect(dnsDissector.detect(new Uint8Array(40).fill(0x41), 'c2s', flowKey('udp', 53))).toBe('no');
  });
});
