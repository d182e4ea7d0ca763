import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalManufacturer,
  isIdentifyingAeTitle,
  isIdentifyingMac,
  isIdentifyingSerial,
  normalizeAeTitle,
  normalizeDate,
  normalizeHl7Application,
  normalizeHostname,
  normalizeIp,
  normalizeMac,
  normalizeTimestamp,
  serialKey,
} from './normalize.js';

describe('MAC addresses', () => {
  it.each([
    ['00:1A:2B:3C:4D:5E', '00:1a:2b:3c:4d:5e'],
    ['00-1a-2b-3c-4d-5e', '00:1a:2b:3c:4d:5e'],
    ['001a.2b3c.4d5e', '00:1a:2b:3c:4d:5e'],
    ['001A2B3C4D5E', '00:1a:2b:3c:4d:5e'],
    ['0:1a:2b:3c:4d:5e', '00:1a:2b:3c:4d:5e'],
    ['  00:1a:2b:3c:4d:5e ', '00:1a:2b:3c:4d:5e'],
  ])('reads %s as %s', (input, expected) => {
    expect(normalizeMac(input)).toBe(expected);
  });

  it.each(['00:1a:2b:3c:4d', '00:1a:2b:3c:4d:5e:6f', '00:1a-2b:3c:4d:5e', 'zz:1a:2b:3c:4d:5e', '001a2b3c4d5', '', '000:1a:2b:3c:4d:5e'])('rejects %j', (input) => {
    expect(normalizeMac(input)).toBeUndefined();
  });

  it('does not treat zero, broadcast or multicast addresses as identifying', () => {
    expect(isIdentifyingMac('00:00:00:00:00:00')).toBe(false);
    expect(isIdentifyingMac('ff:ff:ff:ff:ff:ff')).toBe(false);
    expect(isIdentifyingMac('01:00:5e:00:00:fb')).toBe(false);
    expect(isIdentifyingMac('00:1a:2b:3c:4d:5e')).toBe(true);
    expect(isIdentifyingMac('02:1a:2b:3c:4d:5e')).toBe(true);
  });

  it('never throws and is idempotent on arbitrary input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[0-9a-fA-F:.-]{10,18}$/)), (s) => {
        const once = normalizeMac(s);
        if (once !== undefined) {
          expect(once).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
          expect(normalizeMac(once)).toBe(once);
        }
      }),
    );
  });
});

describe('DICOM AE titles', () => {
  it('trims the space padding and keeps case, since AE titles are case-sensitive', () => {
    expect(normalizeAeTitle('  CT_Room1      ')).toBe('CT_Room1');
    expect(normalizeAeTitle('CT ROOM 1')).toBe('CT ROOM 1');
  });

  it.each([['', 'empty'], ['                ', 'only padding'], ['ABCDEFGHIJKLMNOPQ', '17 characters'], ['CT\\1', 'a backslash'], ['CT\n1', 'a control character'], ['CTé', 'a non-ASCII character']])(
    'rejects %j (%s)',
    (input) => {
      expect(normalizeAeTitle(input)).toBeUndefined();
    },
  );

  it('treats toolkit default titles as generic', () => {
    expect(isIdentifyingAeTitle('STORESCU')).toBe(false);
    expect(isIdentifyingAeTitle('any-scp')).toBe(false);
    // server and viewer defaults: every fresh Orthanc or pynetdicom node answers to these
    for (const ae of ['ORTHANC', 'Orthanc', 'PYNETDICOM', 'CONQUESTSRV1', 'OSIRIX', 'HOROS', 'WEASIS_AE']) expect(isIdentifyingAeTitle(ae)).toBe(false);
    expect(isIdentifyingAeTitle('CT_ROOM1')).toBe(true);
  });

  it('never throws and is idempotent on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const once = normalizeAeTitle(s);
        if (once !== undefined) expect(normalizeAeTitle(once)).toBe(once);
      }),
    );
  });
});

describe('serials', () => {
  it('compares serials ignoring case and whitespace', () => {
    expect(serialKey('sn 00123 a')).toBe('SN00123A');
  });

  it.each(['N/A', 'NA', 'UNKNOWN', 'NONE', '0000', '---', 'TBD', 'XX', '123456789', 'SN'])('treats placeholder %j as not identifying', (s) => {
    expect(isIdentifyingSerial(serialKey(s))).toBe(false);
  });

  it('accepts real-looking serials', () => {
    expect(isIdentifyingSerial(serialKey('US52417123'))).toBe(true);
    expect(isIdentifyingSerial(serialKey('0042'))).toBe(true);
  });
});

describe('IP addresses, hostnames, HL7 applications, dates', () => {
  it('keeps strict dotted IPv4 and canonicalizes IPv6', () => {
    expect(normalizeIp(' 10.1.2.3 ')).toBe('10.1.2.3');
    expect(normalizeIp('010.1.2.3')).toBeUndefined();
    expect(normalizeIp('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(normalizeIp('[fe80::1]')).toBe('fe80::1');
    expect(normalizeIp('fe80::1%eth0')).toBeUndefined();
    expect(normalizeIp('10.1.2')).toBeUndefined();
  });

  it('lower-cases hostnames and drops the root dot', () => {
    expect(normalizeHostname('CT-Room1.Hospital.Local.')).toBe('ct-room1.hospital.local');
    expect(normalizeHostname('bad host')).toBeUndefined();
  });

  it('reads HL7 application^facility and keeps case', () => {
    expect(normalizeHl7Application(' LabSys ^ MAIN ')).toBe('LabSys^MAIN');
    expect(normalizeHl7Application('LABSYS')).toBe('LABSYS');
    expect(normalizeHl7Application('^MAIN')).toBeUndefined();
    expect(normalizeHl7Application('A|B')).toBeUndefined();
  });

  it('normalizes dates and timestamps and rejects impossible ones', () => {
    expect(normalizeDate('2027-03-31')).toBe('2027-03-31');
    expect(normalizeDate('2027-03-31T10:00:00Z')).toBe('2027-03-31');
    expect(normalizeDate('2027-02-30')).toBeUndefined();
    expect(normalizeDate('31/03/2027')).toBeUndefined();
    expect(normalizeTimestamp('2024-05-01T12:00:00+02:00')).toBe('2024-05-01T10:00:00.000Z');
    expect(normalizeTimestamp('2024-05-01T12:00:00')).toBeUndefined();
  });
});

describe('manufacturer names', () => {
  it.each([
    ['GE Healthcare', 'GE Healthcare'],
    ['GE Medical Systems', 'GE Healthcare'],
    ['General Electric', 'GE Healthcare'],
    ['GE MEDICAL SYSTEMS, LLC', 'GE Healthcare'],
    ['Philips Medical Systems Nederland B.V.', 'Philips Medical Systems Nederland B.V.'],
    ['Koninklijke Philips N.V.', 'Philips'],
    ['Draeger', 'Drägerwerk'],
    ['Becton, Dickinson and Company', 'BD'],
    ['Toshiba Medical Systems Corporation', 'Canon Medical Systems'],
    ['  Acme   Devices  ', 'Acme Devices'],
  ])('reads %j as %j', (input, expected) => {
    expect(canonicalManufacturer(input)).toBe(expected);
  });

  it('answers undefined for a blank name', () => {
    expect(canonicalManufacturer('   ')).toBeUndefined();
  });
});
