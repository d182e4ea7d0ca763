import { describe, expect, it } from 'vitest';
import { FlowDecoder } from './decoder.js';
import { be32, encodeIpfix, fieldBytes, recordBytes, withVarLength, type FieldSpec, type IpfixSet } from '../testing/encoder.js';
import { concatBytes } from '../../capture/testing/pcap-writer.js';

const exporter = { address: '2001:db8::99', port: 4739 };
const EXPORT_S = 1_700_000_000;
const NOW = EXPORT_S * 1000;
const hdr = (sequence = 1, domain = 3) => ({ exportTime: EXPORT_S, sequence, domain });
const tset = (id: number, fields: FieldSpec[]): IpfixSet => ({ kind: 'template', templates: [{ id, fields }] });
const data = (templateId: number, records: Uint8Array[]): IpfixSet => ({ kind: 'data', templateId, records });

const ADDR: FieldSpec[] = [
  { id: 8, length: 4 },
  { id: 12, length: 4 },
  { id: 7, length: 2 },
  { id: 11, length: 2 },
  { id: 4, length: 1 },
];
const addr = (sport = 1000): (string | number)[] => ['10.1.1.1', '10.2.2.2', sport, 443, 6];
/** RFC 7011 NTP timestamp: seconds since 1900 and a binary fraction */
const ntp = (ms: number) => concatBytes([be32(Math.floor(ms / 1000) + 2_208_988_800), be32(Math.round(((ms % 1000) / 1000) * 2 ** 32))]);

describe('IPFIX decoding', () => {
  it('decodes variable-length fields in their short and long forms', () => {
    const fields: FieldSpec[] = [...ADDR, { id: 96, length: 65535 }, { id: 82, length: 65535 }];
    const rec = (app: string, longForm: boolean) => concatBytes([recordBytes(ADDR, addr()), withVarLength(new TextEncoder().encode(app), longForm), withVarLength(new Uint8Array(3))]);
    const pkt = encodeIpfix(hdr(), [tset(256, fields), data(256, [rec('dicom', false), rec('hl7-mllp', true), rec('', false)])]);
    const { records, errors } = new FlowDecoder().decode(pkt, exporter, NOW);
    expect(errors).toEqual([]);
    expect(records.map((r) => r.service)).toEqual(['dicom', 'hl7-mllp', undefined]);
    expect(records[0]).toMatchObject({ origin: 'ipfix', exporter: '[2001:db8::99]:4739', observationDomain: 3, startMs: NOW, endMs: NOW });
  });

  it('skips enterprise-specific fields it does not know by their length, fixed or variable', () => {
    const fields: FieldSpec[] = [{ id: 100, length: 6, enterprise: 9 }, ...ADDR, { id: 5, length: 65535, enterprise: 2636 }, { id: 1, length: 4 }];
    const rec = concatBytes([new Uint8Array(6).fill(0xee), recordBytes(ADDR, addr()), withVarLength(new Uint8Array(300).fill(1)), fieldBytes(777, 4)]);
    const { records, errors } = new FlowDecoder().decode(encodeIpfix(hdr(), [tset(256, fields), data(256, [rec])]), exporter, NOW);
    expect(errors).toEqual([]);
    expect(records[0]).toMatchObject({ srcIp: '10.1.1.1', forward: { bytes: 777 } });
  });

  it('reads RFC 5103 reverse counters and NSEL initiator/responder counts as the reverse direction', () => {
    const rev: FieldSpec[] = [...ADDR, { id: 1, length: 8 }, { id: 1, length: 8, enterprise: 29305 }, { id: 2, length: 4, enterprise: 29305 }, { id: 6, length: 1, enterprise: 29305 }, { id: 6, length: 1 }];
    const nsel: FieldSpec[] = [...ADDR, { id: 231, length: 8 }, { id: 232, length: 8 }, { id: 298, length: 8 }, { id: 299, length: 8 }];
    const pkt = encodeIpfix(hdr(), [
      { kind: 'template', templates: [{ id: 256, fields: rev }, { id: 257, fields: nsel }] },
      data(256, [recordBytes(rev, [...addr(), 500, 9000, 7, 0x12, 0x02])]),
      data(257, [recordBytes(nsel, [...addr(), 10, 20, 1, 2])]),
    ]);
    const { records } = new FlowDecoder().decode(pkt, exporter, NOW);
    expect(records[0]).toMatchObject({ forward: { bytes: 500 }, reverse: { bytes: 9000, packets: 7 }, tcpFlags: 0x12 });
    expect(records[1]).toMatchObject({ forward: { bytes: 10, packets: 1 }, reverse: { bytes: 20, packets: 2 } });
  });

  it.each([
    ['flowStart/EndSeconds', [{ id: 150, length: 4 }, { id: 151, length: 4 }], [EXPORT_S - 60, EXPORT_S - 1], NOW - 60_000, NOW - 1000],
    ['flowStart/EndMilliseconds', [{ id: 152, length: 8 }, { id: 153, length: 8 }], [NOW - 1234, NOW - 5], NOW - 1234, NOW - 5],
    ['flowStart/EndMicroseconds (NTP)', [{ id: 154, length: 8 }, { id: 155, length: 8 }], [ntp(NOW - 2500), ntp(NOW - 500)], NOW - 2500, NOW - 500],
    ['flowStart/EndDeltaMicroseconds', [{ id: 158, length: 4 }, { id: 159, length: 4 }], [3_000_000, 250_000], NOW - 3000, NOW - 250],
    ['flowStart/EndSysUpTime with systemInitTimeMilliseconds', [{ id: 160, length: 8 }, { id: 22, length: 4 }, { id: 21, length: 4 }], [NOW - 100_000, 40_000, 90_000], NOW - 60_000, NOW - 10_000],
  ] as [string, FieldSpec[], (number | Uint8Array)[], number, number][])('resolves %s to epoch ms', (_name, timeFields, values, start, end) => {
    const fields = [...ADDR, ...timeFields];
    const { records } = new FlowDecoder().decode(encodeIpfix(hdr(), [tset(256, fields), data(256, [recordBytes(fields, [...addr(), ...values])])]), exporter, NOW);
    expect(records[0]?.startMs).toBeCloseTo(start, 3);
    expect(records[0]?.endMs).toBeCloseTo(end, 3);
  });

  it('takes systemInitTimeMilliseconds from an options record for later sysUpTime times', () => {
    const optFields: FieldSpec[] = [{ id: 149, length: 4 }, { id: 160, length: 8 }];
    const flowFields: FieldSpec[] = [...ADDR, { id: 22, length: 4 }, { id: 21, length: 4 }];
    const d = new FlowDecoder();
    d.decode(encodeIpfix(hdr(1), [{ kind: 'options-template', templates: [{ id: 300, scopeCount: 1, fields: optFields }] }, data(300, [recordBytes(optFields, [3, NOW - 1_000_000])])]), exporter, NOW);
    const { records } = d.decode(encodeIpfix(hdr(2), [tset(256, flowFields), data(256, [recordBytes(flowFields, [...addr(), 900_000, 990_000])])]), exporter, NOW);
    expect([records[0]?.startMs, records[0]?.endMs]).toEqual([NOW - 100_000, NOW - 10_000]);
    expect(d.stats().optionRecords).toBe(1);
  });

  it('accepts reduced-size encoding of counters (RFC 7011 §6.2)', () => {
    const fields: FieldSpec[] = [...ADDR, { id: 1, length: 3 }, { id: 2, length: 1 }, { id: 6, length: 2 }, { id: 58, length: 2 }, { id: 10, length: 4 }];
    const { records } = new FlowDecoder().decode(encodeIpfix(hdr(), [tset(256, fields), data(256, [recordBytes(fields, [...addr(), 0x123456, 9, 0x0112, 0x0abc, 77])])]), exporter, NOW);
    expect(records[0]).toMatchObject({ forward: { bytes: 0x123456, packets: 9 }, tcpFlags: 0x12, vlan: 0xabc, inputInterface: 77 });
  });

  it('withdraws one template, then all of a domain', () => {
    const d = new FlowDecoder();
    d.decode(encodeIpfix(hdr(), [{ kind: 'template', templates: [{ id: 256, fields: ADDR }, { id: 257, fields: ADDR }] }]), exporter, NOW);
    d.decode(encodeIpfix(hdr(), [{ kind: 'withdraw', templateId: 256 }]), exporter, NOW);
    expect(d.stats()).toMatchObject({ templates: 1, templatesWithdrawn: 1 });
    d.decode(encodeIpfix(hdr(), [{ kind: 'withdraw', templateId: 2 }]), exporter, NOW);
    expect(d.stats()).toMatchObject({ templates: 0, templatesWithdrawn: 2 });
  });

  it('reports a variable-length field running past its set with the byte offset', () => {
    const fields: FieldSpec[] = [...ADDR, { id: 96, length: 65535 }];
    const bad = concatBytes([recordBytes(ADDR, addr()), Uint8Array.of(200, 1, 2)]);
    const { records, errors } = new FlowDecoder().decode(encodeIpfix(hdr(), [tset(256, fields), data(256, [bad])]), exporter, NOW);
    expect(records).toEqual([]);
    // header 16 + template set (4 + 4 + 6*4) = 48; data set header 4; record fields 13; length byte 1
    expect(errors.map((e) => [e.code, e.where.byteOffset])).toEqual([['flowlog.bad-record', 48 + 4 + 13 + 1]]);
  });

  it.each([
    ['a message length beyond the datagram', { length: 500 }, [], 'flowlog.truncated', 16],
    ['a message length below the header', { length: 8 }, [], 'flowlog.bad-length', 2],
    ['a set length below 4', {}, [{ kind: 'raw', bytes: Uint8Array.of(1, 0, 0, 3) }], 'flowlog.bad-set', 18],
    ['a set running past the message', {}, [{ kind: 'raw', bytes: Uint8Array.of(1, 0, 0, 99) }], 'flowlog.truncated', 16],
    ['reserved set id 1', {}, [{ kind: 'raw', bytes: Uint8Array.of(0, 1, 0, 4) }], 'flowlog.bad-set', 16],
    ['an options template whose scope count exceeds its fields', {}, [{ kind: 'raw', bytes: Uint8Array.of(0, 3, 0, 14, 1, 44, 0, 1, 0, 2, 0, 8, 0, 4) }], 'flowlog.bad-template', 20],
    ['an enterprise field cut off before its enterprise number', {}, [{ kind: 'raw', bytes: Uint8Array.of(0, 2, 0, 12, 1, 0, 0, 1, 0x80, 1, 0, 4) }], 'flowlog.truncated', 20],
    ['trailing bytes after the last set', {}, [{ kind: 'raw', bytes: Uint8Array.of(0, 0) }], 'flowlog.bad-length', 16],
  ] as [string, { length?: number }, IpfixSet[], string, number][])('reports %s with its byte offset', (_name, over, sets, code, offset) => {
    const { errors } = new FlowDecoder().decode(encodeIpfix({ ...hdr(), ...over }, sets), exporter, NOW);
    expect(errors.map((e) => [e.code, e.where.byteOffset])).toEqual([[code, offset]]);
  });

  it('rejects a datagram of another version with the version named', () => {
    const { version, errors } = new FlowDecoder().decode(Uint8Array.of(0, 7, 1, 2, 3), exporter, NOW);
    expect(version).toBeUndefined();
    expect(errors[0]?.code).toBe('flowlog.unknown-version');
    expect(errors[0]?.message).toContain('version 7');
  });

  it('ignores data records without addresses (not flows) and counts them', () => {
    const fields: FieldSpec[] = [{ id: 1, length: 8 }, { id: 56, length: 6 }];
    const d = new FlowDecoder();
    expect(d.decode(encodeIpfix(hdr(), [tset(256, fields), data(256, [recordBytes(fields, [1, 2])])]), exporter, NOW).records).toEqual([]);
    expect(d.stats().skippedRecords).toBe(1);
  });
});
