import { describe, expect, it } from 'vitest';
import { checkAeTitle, checkDate, checkHl7App, checkHostname, checkIp, checkMac, checkText, criticalityChecker, Invalid, phiChecker, splitList, statusChecker } from './values.js';

const ok = (v: unknown) => (v instanceof Invalid ? `invalid: ${v.reason}` : v);

describe('import value checks', () => {
  it.each([
    ['00:09:FB:12:34:56', '00:09:fb:12:34:56'],
    ['00-09-fb-12-34-56', '00:09:fb:12:34:56'],
    ['0009.fb12.3456', '00:09:fb:12:34:56'],
    ['0009FB123456', '00:09:fb:12:34:56'],
  ])('normalizes the MAC %s', (input, expected) => {
    expect(ok(checkMac(input))).toBe(expected);
  });

  it.each(['00:09:fb:12:34', 'zz:09:fb:12:34:56', '00:00:00:00:00:00', 'ff:ff:ff:ff:ff:ff', '01:00:5e:00:00:01', '00:09-fb:12:34:56'])('rejects the MAC %s', (input) => {
    expect(checkMac(input)).toBeInstanceOf(Invalid);
  });

  it.each([
    ['10.1.2.3', '10.1.2.3'],
    ['2001:DB8:0:0::1', '2001:db8::1'],
  ])('normalizes the IP %s', (input, expected) => {
    expect(ok(checkIp(input))).toBe(expected);
  });

  it.each(['010.1.2.3', '256.1.1.1', '1.2.3', 'fe80::1%eth0', '0.0.0.0', 'host.example'])('rejects the IP %s', (input) => {
    expect(checkIp(input)).toBeInstanceOf(Invalid);
  });

  it('checks host names, AE titles and HL7 application ids', () => {
    expect(ok(checkHostname('ICU-Pump-01.Hospital.Local.'))).toBe('icu-pump-01.hospital.local');
    expect(checkHostname('bad host')).toBeInstanceOf(Invalid);
    expect(ok(checkAeTitle('CT_MAIN_01'))).toBe('CT_MAIN_01');
    expect(checkAeTitle('A_TITLE_LONGER_THAN_16')).toBeInstanceOf(Invalid);
    expect(checkAeTitle('BACK\\SLASH')).toBeInstanceOf(Invalid);
    expect(ok(checkHl7App('COBAS8000^MAINLAB'))).toBe('COBAS8000^MAINLAB');
    expect(checkHl7App('A|B')).toBeInstanceOf(Invalid);
  });

  it.each([
    ['2027-03-31', undefined, '2027-03-31'],
    ['2027-03-31T10:00:00Z', undefined, '2027-03-31'],
    ['2027/3/1', undefined, '2027-03-01'],
    ['03/04/2027', 'mdy', '2027-03-04'],
    ['03/04/2027', 'dmy', '2027-04-03'],
    ['31.12.2027', undefined, '2027-12-31'],
    ['12/31/2027', undefined, '2027-12-31'],
  ] as const)('reads the date %s (order %s)', (input, order, expected) => {
    expect(ok(checkDate(input, order))).toBe(expected);
  });

  it.each([
    ['03/04/2027', 'ambiguous'],
    ['2027-02-30', 'not a valid calendar date'],
    ['next year', 'not a date'],
    ['31/12/2027', 'not a valid calendar date'],
  ])('rejects the date %s', (input, reason) => {
    const r = checkDate(input, input === '31/12/2027' ? 'mdy' : undefined);
    expect(r).toBeInstanceOf(Invalid);
    expect((r as Invalid).reason).toContain(reason);
  });

  it('maps enumeration synonyms, and lets a preset or mapping add its own', () => {
    const status = statusChecker({ 'Awaiting Repair': 'maintenance' });
    expect(status('In Use')).toBe('in-service');
    expect(status('IN_SERVICE')).toBe('in-service');
    expect(status('awaiting repair')).toBe('maintenance');
    expect(status('stolen')).toBeInstanceOf(Invalid);
    const crit = criticalityChecker({ '1 - most critical': 'life-sustaining' });
    expect(crit('Life Sustaining')).toBe('life-sustaining');
    expect(crit('1 - MOST CRITICAL')).toBe('life-sustaining');
    expect(crit('high')).toBeInstanceOf(Invalid);
    expect(phiChecker()('No')).toBe('none');
    expect(phiChecker()('yes')).toBeInstanceOf(Invalid);
  });

  it('rejects control characters and overlong text', () => {
    expect(checkText('line\nbreak')).toBeInstanceOf(Invalid);
    expect(checkText('x'.repeat(513))).toBeInstanceOf(Invalid);
    expect(checkText('Tab\tseparated is fine')).toBe('Tab\tseparated is fine');
  });

  it('splits multi-valued cells; AE titles keep inner spaces', () => {
    expect(splitList('00:09:fb:00:00:01 | 00:09:fb:00:00:02;00:09:fb:00:00:03', false)).toEqual(['00:09:fb:00:00:01', '00:09:fb:00:00:02', '00:09:fb:00:00:03']);
    expect(splitList('CT MAIN|MR 2', true)).toEqual(['CT MAIN', 'MR 2']);
  });
});
