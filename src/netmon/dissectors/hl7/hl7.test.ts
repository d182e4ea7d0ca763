import { describe, expect, it } from 'vitest';
import { ascii, byteByByte, comparable, concat, dissect, fixedChunks, flowKey } from '../testing/harness.js';
import { hl7Dissector } from './dissector.js';
import { parseMsaPlain, parseMshPlain, pidIdentifiersPresentBytes } from './plain.js';
import { parseMsa, parseMsh, pidIdentifiersPresent } from './segments.js';

const key = flowKey('tcp', 2575);
const ADT = [
  'MSH|^~\\&|EPIC^1.2.3^ISO|NORTH_WING|PACS|RADIOLOGY|20240102030405||ADT^A01^ADT_A01|MSG00001|P|2.5.1',
  'EVN|A01|20240102030405',
  'PID|1||12345^^^MRN||DOE^JANE||19800101|F|||1 MAIN ST^^TOWN||555-0100||||||123-45-6789',
  'PV1|1|I|W3^301^1',
];
const ACK = ['MSH|^~\\&|PACS|RADIOLOGY|EPIC|NORTH_WING|20240102030406||ACK^A01|ACK00001|P|2.5.1', 'MSA|AE|MSG00001|bad segment'];
const mllp = (segments: string[], sep = '\r', finalSep = true) => concat(Uint8Array.of(0x0b), ascii(segments.join(sep) + (finalSep ? sep : '')), Uint8Array.of(0x1c, 0x0d));

describe('hl7 dissector', () => {
  it('reads MSH routing, type, version and control id from an MLLP frame and flags PID in cleartext', () => {
    const [m] = dissect(hl7Dissector, key, [['c2s', mllp(ADT)]]);
    expect(m?.fields).toMatchObject({
      sendingApplication: 'EPIC',
      sendingFacility: 'NORTH_WING',
      receivingApplication: 'PACS',
      receivingFacility: 'RADIOLOGY',
      messageType: 'ADT',
      triggerEvent: 'A01',
      messageStructure: 'ADT_A01',
      controlId: 'MSG00001',
      version: '2.5.1',
      pidPresent: true,
      segmentIds: ['MSH', 'EVN', 'PID', 'PV1'],
      framing: 'mllp',
      lineEndings: ['CR'],
      finalTerminator: true,
    });
    expect(m?.fields.patientIdentifiersPresent).toEqual(['PID-3 identifier list', 'PID-5 name', 'PID-7 date of birth', 'PID-11 address', 'PID-13 home phone', 'PID-19 SSN']);
    expect(m?.findings).toEqual([expect.objectContaining({ code: 'hl7.cleartext-phi', severity: 'high' })]);
    const text = JSON.stringify(m);
    for (const phi of ['DOE', '12345', '123-45-6789', '19800101']) expect(text).not.toContain(phi);
  });

  it('reads the ACK code and tolerates LF line ends and a missing final CR', () => {
    const [ack] = dissect(hl7Dissector, key, [['s2c', mllp(ACK, '\n', false)]]);
    expect(ack?.fields).toMatchObject({ messageType: 'ACK', ackCode: 'AE', ackControlId: 'MSG00001', lineEndings: ['LF'], finalTerminator: false, pidPresent: false });
    expect(ack?.findings).toBeUndefined();
  });

  it('splits raw HL7 without MLLP at each MSH, CRLF line ends and a UTF-8 BOM', () => {
    const raw = concat(Uint8Array.of(0xef, 0xbb, 0xbf), ascii([...ADT, ...ACK].join('\r\n') + '\r\n'));
    const obs = dissect(hl7Dissector, key, [['c2s', raw]]);
    expect(obs.map((o) => [o.fields.messageType, o.fields.framing, o.fields.segmentCount, o.fields.lineEndings])).toEqual([
      ['ADT', 'raw', 4, ['CRLF']],
      ['ACK', 'raw', 2, ['CRLF']],
    ]);
    expect(comparable(dissect(hl7Dissector, key, [['c2s', raw]], byteByByte))).toEqual(comparable(obs));
  });

  it('reads a stream seen from the middle of a message (a monitor started on a live connection) from the next message on', () => {
    // the end of a message whose start was never captured, then two whole ones
    const tail = concat(ascii('||19800101|F|||1 MAIN ST^^TOWN\rPV1|1|I|W3^301^1\r'), Uint8Array.of(0x1c, 0x0d));
    const stream = concat(tail, mllp(ADT), mllp(ACK));
    expect(hl7Dissector.detect(stream, 'c2s', key)).toBe('yes');
    const obs = dissect(hl7Dissector, key, [['c2s', stream]]);
    expect(obs.map((o) => [o.fields.messageType, o.fields.controlId, o.fields.framing, o.fields.segmentCount])).toEqual([
      ['ADT', 'MSG00001', 'mllp', 4],
      ['ACK', 'ACK00001', 'mllp', 2],
    ]);
    // the same whatever the chunking, including a start block and header cut across chunks
    for (const chunker of [byteByByte, fixedChunks(3), fixedChunks(tail.length + 2)]) {
      expect(comparable(dissect(hl7Dissector, key, [['c2s', stream]], chunker))).toEqual(comparable(obs));
    }
    // raw HL7 (no MLLP): the first header at the start of a line
    const raw = ascii(['1 MAIN ST^^TOWN', 'PV1|1|I|W3^301^1', ...ADT, ...ACK].join('\r\n') + '\r\n');
    const rawObs = dissect(hl7Dissector, key, [['c2s', raw]]);
    expect(rawObs.map((o) => [o.fields.messageType, o.fields.framing, o.fields.segmentCount])).toEqual([
      ['ADT', 'raw', 4],
      ['ACK', 'raw', 2],
    ]);
    expect(comparable(dissect(hl7Dissector, key, [['c2s', raw]], byteByByte))).toEqual(comparable(rawObs));
  });

  it('detects a stream seen from the middle only where a message starts, and waits at a message end', () => {
    // a frame end with nothing after it yet: the next chunk may start a message
    expect(hl7Dissector.detect(concat(ascii('PV1|1|I'), Uint8Array.of(0x0d, 0x1c, 0x0d)), 'c2s', key)).toBe('need-more');
    // a start block and a header cut by the end of what has arrived
    expect(hl7Dissector.detect(concat(ascii('PV1|1|I\r'), Uint8Array.of(0x1c, 0x0d, 0x0b), ascii('MSH|^')), 'c2s', key)).toBe('need-more');
    // a start block followed by something else, and text that merely contains "MSH" mid-line
    expect(hl7Dissector.detect(concat(ascii('xx'), Uint8Array.of(0x0b), ascii('MSX|^~\\&|A')), 'c2s', key)).toBe('no');
    expect(hl7Dissector.detect(ascii('GET /MSH|^~\\&|x HTTP/1.1 x'), 'c2s', key)).toBe('no');
    expect(hl7Dissector.detect(Uint8Array.of(0x16, 0x03, 0x01, 0x00, 0x0b, 0x4d, 0x53, 0x00, 0x01, 0x02, 0x03), 'c2s', key)).toBe('no');
  });

  it('uses the field and component separators declared in MSH-1 and MSH-2', () => {
    const [m] = dissect(hl7Dissector, key, [['c2s', mllp(['MSH#$~\\&#LAB$X#SITE#RCV#F#2024##ORU$R01#C1#P#2.3', 'PID#1##77'])]]);
    expect(m?.fields).toMatchObject({ sendingApplication: 'LAB', messageType: 'ORU', triggerEvent: 'R01', controlId: 'C1', patientIdentifiersPresent: ['PID-3 identifier list'] });
  });

  it('keeps only a bounded prefix of very long segments', () => {
    const obx = `OBX|1|ED|PDF||${'A'.repeat(200_000)}`;
    const [m] = dissect(hl7Dissector, key, [['c2s', mllp([ADT[0] as string, obx])]]);
    expect(m?.fields).toMatchObject({ segmentCount: 2, segmentIds: ['MSH', 'OBX'] });
    expect(m?.fields.bytes).toBeGreaterThan(200_000);
  });

  it('detects MLLP and raw HL7 headers on any port and refuses other text', () => {
    const other = flowKey('tcp', 6661);
    expect(hl7Dissector.detect(mllp(ADT), 'c2s', other)).toBe('yes');
    expect(hl7Dissector.detect(ascii('MSH|^~\\&|A'), 'c2s', other)).toBe('yes');
    expect(hl7Dissector.detect(ascii('MS'), 'c2s', other)).toBe('need-more');
    expect(hl7Dissector.detect(ascii('MSG hello'), 'c2s', other)).toBe('no');
    expect(hl7Dissector.detect(ascii('MSHA'), 'c2s', other)).toBe('no');
  });
});

describe('hl7 byte readers (plain.ts) agree with the text readers (segments.ts)', () => {
  const MSH_CASES = [
    ADT[0] as string,
    ACK[0] as string,
    'MSH#$~\\&#LAB$X#SITE#RCV#F#2024##ORU$R01#C1#P#2.3',
    'MSH|^~\\&|A',
    'MSH|',
    'MSH||A^B|C',
    'MSH|^~\\&|' + 'S'.repeat(300) + '^X|F||||' + 'T'.repeat(200) + '^E^S|' + 'C'.repeat(140) + '|P^Q|2.5^INT|extra|fields',
    'MSH|^~\\&|||||||^^|||',
    'MSHA^~\\&A1A2',
  ];

  it('parseMshPlain matches parseMsh on printable-ASCII segments', () => {
    for (const s of MSH_CASES) expect(parseMshPlain(ascii(s), 0, s.length)).toEqual(parseMsh(s));
  });

  it('parseMsaPlain and pidIdentifiersPresentBytes match the text readers for the MSH delimiters', () => {
    for (const msh of ['MSH|^~\\&|A', 'MSH#$~\\&#A']) {
      const d = parseMsh(msh)?.delimiters;
      if (!d) throw new Error('no delimiters');
      const f = d.field;
      for (const s of [`MSA${f}AE${f}MSG1${f}x`, `MSA${f}A`, 'MSA', `MSA${f}${f}${'C'.repeat(200)}`]) {
        expect(parseMsaPlain(ascii(s), 0, s.length, d)).toEqual(parseMsa(s, d));
      }
      for (const s of [ADT[2] as string, `PID${f}1${f}${f}^^^${f}~${f} X${f}${f}19800101`, `PID${f.repeat(25)}x`, `PID${f}"${f}#${f}Zoë`]) {
        const text = s.replaceAll('|', f); // ADT's PID uses '|'
        const b = ascii(text);
        expect(pidIdentifiersPresentBytes(b, 0, b.length, d.fieldByte)).toEqual(pidIdentifiersPresent(text, d));
      }
    }
  });
});

describe('hl7 dissector: segments read in place or across chunks', () => {
  it('reads non-ASCII and control characters in MSH through the text path (decoded, control characters cleaned)', () => {
    const msh = 'MSH|^~\\&|Zoë\tApp|Fac\u0001|R|F|2024||ADT^A01|C1|P|2.5';
    const [m] = dissect(hl7Dissector, key, [['c2s', mllp([msh, 'PID|1||9'])]]);
    expect(m?.fields).toMatchObject({ sendingApplication: 'Zoë.App', sendingFacility: 'Fac.', controlId: 'C1', patientIdentifiersPresent: ['PID-3 identifier list'] });
  });

  it('gives the same observations however the stream is cut into chunks', () => {
    const stream = concat(mllp(ADT), ascii('noise'), mllp(ACK, '\r\n'), mllp(['MSH|^~\\&|' + 'L'.repeat(9000) + '|F|R|X|2024||ORU^R01|C9|P|2.5', 'PID|1||77']));
    const whole = comparable(dissect(hl7Dissector, key, [['c2s', stream]]));
    // the third MSH is cut at MAX_SEGMENT_KEEP, so only its first fields are read (and bounded)
    expect(whole.map((o) => [o.fields.messageType, o.fields.controlId, o.fields.lineEndings])).toEqual([
      ['ADT', 'MSG00001', ['CR']],
      ['ACK', 'ACK00001', ['CRLF']],
      ['', '', ['CR']],
    ]);
    expect(whole[2]?.fields).toMatchObject({ sendingApplication: 'L'.repeat(128), pidPresent: true });
    for (const chunker of [byteByByte, fixedChunks(7), fixedChunks(100), fixedChunks(4096)]) {
      expect(comparable(dissect(hl7Dissector, key, [['c2s', stream]], chunker))).toEqual(whole);
    }
  });
});
