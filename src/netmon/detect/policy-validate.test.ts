import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError, type DomainError } from '../../core/index.js';
import { parsePolicy, parsePolicyText } from './policy-validate.js';

const problems = (raw: unknown): Array<{ pointer: string; message: string }> => {
  try {
    parsePolicy(raw);
  } catch (e) {
    return ((e as DomainError).details as { problems: Array<{ pointer: string; message: string }> }).problems;
  }
  return [];
};

const VALID = {
  version: 1,
  zones: [
    { name: 'imaging', cidrs: ['10.20.0.0/16', 'fd00:20::/32'], securityLevel: 3 },
    { name: 'pacs', cidrs: ['10.30.0.0/24'], securityLevel: 3 },
    { name: 'vendor-cloud', cidrs: ['52.10.0.0/16'], external: true },
  ],
  conduits: [{ name: 'modality-to-pacs', from: 'imaging', to: 'pacs', services: [{ protocol: 'dicom', transport: 'tcp', ports: [104, '11112-11113'] }] }],
  intraZone: 'allow',
  unzoned: 'deny',
  devices: [{ ip: '10.20.1.5', deviceId: 'dev_ct1', name: 'CT-1', category: 'ct-scanner', zone: 'imaging' }],
  dicom: { aeTitles: ['PACS', { title: 'CT1', hosts: ['10.20.1.5'] }] },
  internet: { allowedDestinations: ['20.50.0.0/16'], unknownCriticality: 'ignore' },
  scanners: ['10.0.0.9'],
  rules: { 'recon.port-scan': { distinctPorts: 20, windowSeconds: 30 }, 'baseline.new-peer': { enabled: false }, 'anomaly.volume': { severity: 'high' } },
};

describe('policy validation', () => {
  it('reads a complete policy into typed zones, conduits, devices, AE titles and rule settings', () => {
    const p = parsePolicy(VALID);
    expect(p.zones.map((z) => [z.name, z.cidrs.map((c) => c.text), z.securityLevel, z.external])).toEqual([
      ['imaging', ['10.20.0.0/16', 'fd00:20::/32'], 3, false],
      ['pacs', ['10.30.0.0/24'], 3, false],
      ['vendor-cloud', ['52.10.0.0/16'], undefined, true],
    ]);
    expect(p.conduits[0]).toMatchObject({ name: 'modality-to-pacs', from: 'imaging', to: 'pacs', bidirectional: false, pointer: '/conduits/0', services: [{ protocol: 'dicom', transport: 'tcp', ports: [{ from: 104, to: 104 }, { from: 11112, to: 11113 }] }] });
    expect(p.devices).toEqual([{ ip: '10.20.1.5', deviceId: 'dev_ct1', name: 'CT-1', category: 'ct-scanner', zone: 'imaging' }]);
    expect(p.dicom.aeTitles?.map((a) => [a.title, a.hosts.map((h) => h.text)])).toEqual([['PACS', []], ['CT1', ['10.20.1.5']]]);
    expect(p.unzoned).toBe('deny');
    expect(p.internet.unknownCriticality).toBe('ignore');
    expect(p.rules['recon.port-scan']).toEqual({ enabled: true, params: { distinctPorts: 20, windowSeconds: 30 } });
    expect(p.rules['baseline.new-peer']?.enabled).toBe(false);
    expect(p.rules['anomaly.volume']?.severity).toBe('high');
  });

  it('accepts an empty document: no zones, no AE list, defaults everywhere', () => {
    expect(parsePolicy({})).toMatchObject({ zones: [], conduits: [], intraZone: 'allow', unzoned: 'ignore', dicom: {}, internet: { unknownCriticality: 'low' } });
  });

  it('names each mistake by JSON pointer, all at once', () => {
    expect(
      problems({
        zones: [{ name: 'a', cidr: ['10.0.0.0/8'] }, { name: 'a', cidrs: ['10.0.0.1/8', '10.0.0.0/40'], securityLevel: 5 }],
        conduits: [{ from: 'a', to: 'b', services: [{ protocol: 'dicm', ports: ['200-100', 70000] }, {}] }],
        devices: [{ ip: '10.0.0.300', criticality: 'vital', category: 'toaster', zone: 'nowhere' }],
        dicom: { aeTitles: ['THIS_AE_TITLE_IS_TOO_LONG', 'BACK\\SLASH'] },
        rules: { 'recon.port-scan': { distinctPort: 3, windowSeconds: 0 }, 'made.up': {} },
        extra: 1,
      }),
    ).toEqual([
      { pointer: '/extra', message: 'unknown property "extra" (known: version, zones, conduits, intraZone, unzoned, devices, dicom, internet, scanners, rules, $schema, description)' },
      { pointer: '/zones/0/cidr', message: 'unknown property "cidr" (did you mean "cidrs"?)' },
      { pointer: '/zones/0', message: 'a zone needs "cidrs" (its address blocks)' },
      { pointer: '/zones/1/name', message: 'zone "a" is already defined at /zones/0' },
      { pointer: '/zones/1/cidrs/0', message: '"10.0.0.1/8" has host bits set (the network is 10.0.0.0/8)' },
      { pointer: '/zones/1/cidrs/1', message: 'prefix length "40" must be 0-32 for IPv4' },
      { pointer: '/zones/1/securityLevel', message: 'must be <= 4, found 5' },
      { pointer: '/conduits/0/to', message: 'unknown zone "b" (zones: a)' },
      { pointer: '/conduits/0/services/0/protocol', message: expect.stringMatching(/^unknown protocol "dicm" \(known: dhcp, dicom, /) },
      { pointer: '/conduits/0/services/0/ports/0', message: 'range "200-100" ends before it starts' },
      { pointer: '/conduits/0/services/0/ports/1', message: 'must be <= 65535, found 70000' },
      { pointer: '/conduits/0/services/1', message: 'a service needs at least one of "protocol", "transport", "ports" (omit "services" to allow any traffic)' },
      { pointer: '/devices/0/ip', message: '"10.0.0.300" is not an IPv4 or IPv6 address' },
      { pointer: '/devices/0/criticality', message: expect.stringMatching(/^expected one of "life-sustaining", .* found "vital"$/) },
      { pointer: '/devices/0/category', message: expect.stringMatching(/^unknown device category "toaster"/) },
      { pointer: '/devices/0/zone', message: 'unknown zone "nowhere" (zones: a)' },
      { pointer: '/rules/made.up', message: expect.stringMatching(/^unknown property "made.up" \(known: baseline.new-peer, /) },
      { pointer: '/rules/recon.port-scan/distinctPort', message: 'unknown property "distinctPort" (did you mean "distinctPorts"?)' },
      { pointer: '/rules/recon.port-scan/windowSeconds', message: 'must be >= 1, found 0' },
      { pointer: '/dicom/aeTitles/0', message: '"THIS_AE_TITLE_IS_TOO_LONG" must be 1-16 printable ASCII characters without a backslash' },
      { pointer: '/dicom/aeTitles/1', message: '"BACK\\SLASH" must be 1-16 printable ASCII characters without a backslash' },
    ]);
  });

  it('refuses one block in two zones, since the zone of its addresses would depend on list order', () => {
    expect(problems({ zones: [{ name: 'a', cidrs: ['10.0.0.0/8'] }, { name: 'b', cidrs: ['10.0.0.0/8'] }] })).toEqual([{ pointer: '/zones/1/cidrs/0', message: '10.0.0.0/8 is also a block of zone "a"' }]);
  });

  it('throws netmon.policy_invalid located at the first problem, with the file name in the message', () => {
    expect(() => parsePolicy({ version: 2 }, { file: 'p.json' })).toThrow(expect.objectContaining({ code: 'netmon.policy_invalid', location: { file: 'p.json', pointer: '/version' }, message: expect.stringContaining('policy p.json is invalid (1 problem):\n  /version: this CareGuard reads policy version 1, found 2') }));
    expect(() => parsePolicy([])).toThrow(/\/: expected an object, found array/);
  });

  it('reports a JSON syntax error by line and column (netmon.policy_syntax)', () => {
    expect(() => parsePolicyText('{\n  "zones": [,]\n}', { file: 'p.json' })).toThrow(expect.objectContaining({ code: 'netmon.policy_syntax', location: expect.objectContaining({ file: 'p.json', line: 2, column: 13 }) }));
  });

  it('throws nothing but its typed errors for arbitrary documents (property)', () => {
    const zone = fc.record({ name: fc.oneof(fc.string(), fc.constantFrom('a', 'b')), cidrs: fc.array(fc.oneof(fc.string(), fc.constantFrom('10.0.0.0/8', '::/0', '1.2.3.4'))) }, { requiredKeys: [] });
    const doc = fc.record(
      {
        zones: fc.oneof(fc.array(zone, { maxLength: 4 }), fc.jsonValue()),
        conduits: fc.oneof(fc.array(fc.record({ from: fc.constantFrom('a', 'b', 'c'), to: fc.constantFrom('a', 'b'), services: fc.jsonValue() }, { requiredKeys: [] })), fc.jsonValue()),
        devices: fc.jsonValue(),
        dicom: fc.oneof(fc.record({ aeTitles: fc.array(fc.oneof(fc.string(), fc.jsonValue())) }), fc.jsonValue()),
        rules: fc.oneof(fc.dictionary(fc.constantFrom('recon.port-scan', 'anomaly.volume', 'x'), fc.jsonValue()), fc.jsonValue()),
        internet: fc.jsonValue(),
        scanners: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(doc, fc.jsonValue()), (d) => {
        try {
          parsePolicy(d);
        } catch (e) {
          expect(isDomainError(e)).toBe(true);
        }
      }),
      { numRuns: Number(process.env.CAREGUARD_PROPERTY_RUNS ?? 300) },
    );
  });
});
