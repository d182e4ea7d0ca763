import { describe, expect, it } from 'vitest';
import { ascii, byteByByte, comparable, concat, dissect, flowKey } from '../testing/harness.js';
import { hl7Dissector } from './dissector.js';

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
