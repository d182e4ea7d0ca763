import { describe, expect, it } from 'vitest';
import type { FlowLogError } from '../errors.js';
import type { FlowLogRecord } from '../model.js';
import { CONN_ROWS, ZEEK_JSON_LINES, zeekHeader, zeekTsvLog } from '../testing/zeek-samples.js';
import { unescapeZeek, ZeekConnLogParser, type ZeekParserOptions } from './parser.js';

const enc = new TextEncoder();

function parse(text: string | Uint8Array, opts: Partial<ZeekParserOptions> = {}, chunk = 0) {
  const records: FlowLogRecord[] = [];
  const errors: FlowLogError[] = [];
  const p = new ZeekConnLogParser({ name: 'conn.log', onRecord: (r) => records.push(r), onError: (e) => errors.push(e), ...opts });
  const bytes = typeof text === 'string' ? enc.encode(text) : text;
  if (chunk > 0) for (let i = 0; i < bytes.length; i += chunk) p.push(bytes.subarray(i, i + chunk));
  else p.push(bytes);
  const stats = p.end();
  return { records, errors, stats, where: errors.map((e) => [e.code, e.where.line]) };
}

describe('Zeek conn.log TSV', () => {
  it('reads every field of a conn.log line', () => {
    const { records, errors } = parse(zeekTsvLog());
    expect(errors).toEqual([]);
    expect(records[0]).toEqual({
      origin: 'zeek',
      startMs: 1709287200123.456,
      endMs: 1709287202623.456,
      srcIp: '10.10.1.20',
      dstIp: '10.10.2.5',
      srcPort: 49152,
      dstPort: 104,
      protocol: 6,
      protocolName: 'tcp',
      forward: { bytes: 2064, packets: 20, payloadBytes: 1024 },
      reverse: { bytes: 21780, packets: 25, payloadBytes: 20480 },
      tcpFlags: 0x02 | 0x12 | 0x10 | 0x01,
      vlan: 20,
      service: 'dicom',
      connState: 'SF',
      uid: 'CHhAvVGS1DHFjwGM9',
      location: { file: 'conn.log', line: 9 },
    });
    expect(records[0]?.startMs).toBeCloseTo(1709287200123.456, 3);
  });

  it('leaves unset ("-") values out and keeps set ones', () => {
    const s0 = parse(zeekTsvLog()).records[1];
    expect(s0).toMatchObject({ startMs: 1709287201000.001, forward: { bytes: 60, packets: 1 }, reverse: { bytes: 0, packets: 0 }, connState: 'S0', tcpFlags: 0x02 });
    expect(s0?.endMs).toBe(s0?.startMs);
    expect(s0?.service).toBeUndefined();
    expect(s0?.vlan).toBeUndefined();
    expect(s0?.forward.payloadBytes).toBeUndefined();
  });

  it('writes IPv6 addresses in RFC 5952 form and maps ICMP over IPv6 to protocol 58', () => {
    const { records } = parse(zeekTsvLog());
    expect([records[2]?.srcIp, records[2]?.dstIp, records[2]?.protocolName]).toEqual(['2001:db8::10', 'fd00::53', 'udp']);
    expect([records[3]?.protocol, records[3]?.protocolName, records[3]?.tcpFlags]).toEqual([58, 'ipv6-icmp', undefined]);
  });

  it('unescapes \\xHH sequences (the separator inside a value, UTF-8 bytes)', () => {
    expect(parse(zeekTsvLog()).records[4]?.service).toBe('hl7\tmllp');
    expect(unescapeZeek('caf\\xc3\\xa9')).toBe('café');
    expect(unescapeZeek('plain')).toBe('plain');
  });

  it('follows a second header block with its own column order and unset marker', () => {
    const { records, stats } = parse(zeekTsvLog());
    expect(records).toHaveLength(6);
    expect(records[5]).toMatchObject({ srcIp: '10.10.1.30', dstPort: 1883, uid: 'CabcDEF', forward: { packets: 4, bytes: 240 }, reverse: {}, connState: 'S1', location: { line: 23 } });
    expect(stats).toMatchObject({ blocks: 2, records: 6, badLines: 0, headerLines: 18 });
  });

  it('gives the same records whatever the chunk boundaries, CRLF line ends included', () => {
    const whole = parse(zeekTsvLog()).records;
    expect(parse(zeekTsvLog(), {}, 1).records).toEqual(whole);
    expect(parse(zeekTsvLog(), {}, 7).records).toEqual(whole);
    expect(parse(zeekTsvLog().replace(/\n/g, '\r\n'), {}, 13).records).toEqual(whole);
  });

  it('reports bad lines with file and line, skips them and goes on', () => {
    const lines = [
      ...zeekHeader(),
      CONN_ROWS[0] as string,
      'too\tfew\tfields',
      (CONN_ROWS[0] as string).replace('10.10.1.20', '10.10.1.999'),
      (CONN_ROWS[0] as string).replace('1709287200.123456', 'yesterday'),
      (CONN_ROWS[0] as string).replace('\t20\t2064', '\t-5\t2064'),
      CONN_ROWS[2] as string,
    ];
    const { records, errors, where, stats } = parse(lines.join('\n'));
    expect(records.map((r) => r.location.line)).toEqual([9, 14]);
    expect(where).toEqual([
      ['zeek.bad-line', 10],
      ['zeek.bad-line', 11],
      ['zeek.bad-line', 12],
      ['zeek.bad-line', 13],
    ]);
    expect(errors[0]?.message).toBe('conn.log:10: has 3 fields, the #fields header on line 7 declares 22; skipped');
    expect(errors[1]?.message).toContain('field id.orig_h is not an IP address ("10.10.1.999")');
    expect(errors[2]?.message).toContain('field ts is not a non-negative number');
    expect(errors[3]?.message).toContain('field orig_pkts');
    expect(errors[0]?.location).toEqual({ file: 'conn.log', line: 10 });
    expect(stats.badLines).toBe(4);
  });

  it('reports data before any header and skips blocks of other logs', () => {
    const dns = [...zeekHeader({ path: 'dns' }), 'a\tb', ...zeekHeader(), CONN_ROWS[0] as string];
    const r = parse(['1.0\tno header', ...dns].join('\n'));
    expect(r.where).toEqual([
      ['zeek.no-header', 1],
      ['zeek.not-conn-log', 6],
    ]);
    expect(r.records).toHaveLength(1);
    expect(r.stats.skippedLines).toBe(1);
    const noAddr = parse([...zeekHeader({ fields: ['ts', 'uid'], types: ['time', 'string'] }), '1.0\tCx'].join('\n'));
    expect(noAddr.where).toEqual([['zeek.not-conn-log', 7]]);
  });

  it('skips a line longer than the bound without holding it and reads the next', () => {
    const long = 'x'.repeat(5000);
    const r = parse([...zeekHeader(), long, CONN_ROWS[0] as string].join('\n'), { maxLineBytes: 1024 }, 100);
    expect(r.where).toEqual([['zeek.line-too-long', 9]]);
    expect(r.errors[0]?.message).toContain('1024-byte limit');
    expect(r.records.map((x) => x.location.line)).toEqual([10]);
  });

  it('counts but stops reporting errors past maxErrors', () => {
    const r = parse([...zeekHeader(), ...Array.from({ length: 20 }, () => 'bad')].join('\n'), { maxErrors: 5 });
    expect(r.errors).toHaveLength(5);
    expect(r.stats).toMatchObject({ badLines: 20, errorsSuppressed: 15 });
  });
});

describe('Zeek conn.log JSON lines', () => {
  it('reads flat keys, ISO 8601 times and the nested id form', () => {
    const { records, errors } = parse(ZEEK_JSON_LINES.join('\n'));
    expect(errors).toEqual([]);
    expect(records[0]).toMatchObject({ startMs: 1709287200123.456, srcIp: '10.10.1.20', dstPort: 104, service: 'dicom', vlan: 20, forward: { bytes: 2064, packets: 20, payloadBytes: 1024 }, location: { file: 'conn.log', line: 1 } });
    expect(records[1]?.startMs).toBeCloseTo(Date.UTC(2024, 2, 1, 10, 0, 1) + 0.001, 6);
    expect(records[2]).toMatchObject({ srcIp: '2001:db8::10', srcPort: 5353, dstIp: 'fd00::53', protocol: 17 });
  });

  it('matches the TSV form of the same connections', () => {
    const tsv = parse(zeekTsvLog()).records.slice(0, 3);
    const json = parse(ZEEK_JSON_LINES.join('\n')).records;
    const strip = (r: FlowLogRecord) => ({ ...r, location: undefined, vlan: undefined, forward: { bytes: r.forward.bytes, packets: r.forward.packets } });
    expect(json.map(strip).map((r) => [r.srcIp, r.dstIp, r.srcPort, r.dstPort, r.protocol, r.connState, r.forward])).toEqual(tsv.map(strip).map((r) => [r.srcIp, r.dstIp, r.srcPort, r.dstPort, r.protocol, r.connState, r.forward]));
  });

  it('reports invalid JSON, non-objects, other logs and bad fields with their line', () => {
    const lines = ['{"ts":1,', '[1,2]', '{"_path":"dns","ts":1,"id.orig_h":"10.0.0.1"}', '{"ts":1,"id.orig_h":"10.0.0.1"}', '{"uid":"x"}', ZEEK_JSON_LINES[0] as string];
    const { records, where, errors } = parse(lines.join('\n'));
    expect(where).toEqual([
      ['zeek.bad-json', 1],
      ['zeek.bad-json', 2],
      ['zeek.not-conn-log', 3],
      ['zeek.bad-line', 4],
      ['zeek.not-conn-log', 5],
    ]);
    expect(errors[3]?.message).toContain('field id.resp_h is missing');
    expect(records.map((r) => r.location.line)).toEqual([6]);
  });
});
