import { describe, expect, it } from 'vitest';
import type { Claimant, IdentityConflict } from '../../discovery/identity-claims.js';
import { identityConflictAlert, identityConflictDetection, identityConflictRule } from './identity-conflict.js';

const rogue: Claimant = {
  key: 'mac:02:00:00:00:0b:0b',
  name: 'Pump 7',
  macs: ['02:00:00:00:0b:0b'],
  ips: ['10.3.0.66'],
  claims: [{ kind: 'serial', value: 'SN-0042', key: { kind: 'serial', value: 'SN-0042' }, manufacturer: 'Baxter', frame: 12 }],
};
const ctx = { source: 'ward3.pcap', deviceId: 'dev_rogue', firstSeen: '2026-01-02T03:04:05.000Z', lastSeen: '2026-01-02T03:09:05.000Z', deviceIdOf: (k: string) => (k === 'mac:02:00:00:00:0a:0a' ? 'dev_twin' : undefined) };
const onRecord: IdentityConflict = { claimant: rogue, claim: rogue.claims[0]!, basis: 'record', owners: [{ id: 'dev_pump', name: 'Infusion pump 7 (CMMS)', manufacturer: 'Baxter', macs: ['02:00:00:00:0a:0a'] }], rivals: [] };

describe('identity.conflict', () => {
  it('a claim on a known record is a high detection on the claimant, with the claimed identifier, its owner, the observed MAC/IP and the frame', () => {
    const d = identityConflictDetection(onRecord, ctx);
    expect(d).toMatchObject({
      rule: 'identity.conflict',
      ruleVersion: identityConflictRule.version,
      category: 'anomaly',
      severity: 'high',
      deviceId: 'dev_rogue',
      deviceIp: '10.3.0.66',
      dedupKey: 'netmon:identity.conflict:dev_rogue:serial:SN-0042',
      firstFrame: 12,
      evidence: [{ kind: 'frame', ref: 'ward3.pcap#frame=12', frame: 12 }],
      facts: { basis: 'record', claimedKind: 'serial', claimedValue: 'SN-0042', claimedManufacturer: 'Baxter', ownerDeviceIds: 'dev_pump', ownerMacs: '02:00:00:00:0a:0a', observedMacs: '02:00:00:00:0b:0b', observedIps: '10.3.0.66', frame: 12 },
    });
    expect(d.title).toMatch(/^Identity conflict: possible impersonation: Pump 7 .* claims the serial number "SN-0042" \(Baxter\) of Infusion pump 7 \(CMMS\)$/);
    expect(d.explanation).toContain('dev_pump');
  });

  it('its alert takes the detections\' path (source netmon, category = rule id) and lists both devices as evidence', () => {
    const a = identityConflictAlert(onRecord, ctx);
    expect(a).toMatchObject({ source: 'netmon', category: 'identity.conflict', severity: 'high', deviceId: 'dev_rogue', dedupKey: 'netmon:identity.conflict:dev_rogue:serial:SN-0042', observedAt: ctx.lastSeen });
    expect(a).not.toHaveProperty('deviceIp');
    expect(a.description).toContain(`Rule identity.conflict@${identityConflictRule.version}`);
    expect(a.evidence).toEqual([
      { kind: 'packet', ref: 'ward3.pcap#frame=12', detail: 'Pump 7 declared serial number "SN-0042" (Baxter)' },
      { kind: 'device', ref: 'device:dev_rogue', detail: 'claimant: Pump 7 (02:00:00:00:0b:0b, 10.3.0.66)' },
      { kind: 'device', ref: 'device:dev_pump', detail: 'holds the serial number: Infusion pump 7 (CMMS) (dev_pump; MAC 02:00:00:00:0a:0a)' },
    ]);
  });

  it('a claimant seen without a MAC of its own says so, and names the MACs of the record it merged into when there is one', () => {
    const routed: Claimant = { ...rogue, key: 'ip:10.40.0.9', macs: [], ips: ['10.40.0.9'] };
    const inRecord = identityConflictDetection({ ...onRecord, claimant: { ...routed, recordMacs: ['02:00:00:00:0c:0c'] } }, ctx);
    expect(inRecord).toMatchObject({ severity: 'high', deviceIp: '10.40.0.9', facts: { observedMacs: '', observedIps: '10.40.0.9' } });
    expect(inRecord.explanation).toContain('seen without a MAC of its own (routed), in the record with MAC 02:00:00:00:0c:0c, which is not among those MACs');
    expect(inRecord.explanation).not.toContain(', and  is not among');
    const folding = identityConflictDetection({ ...onRecord, claimant: routed }, ctx);
    expect(folding.explanation).toContain('also claims identifiers of a device known by other MACs');
  });

  it('two hosts of one capture claiming an identifier nobody holds by MAC is medium and cites the other host\'s frame and device', () => {
    const twin: Claimant = { key: 'mac:02:00:00:00:0a:0a', name: 'CT 1', macs: ['02:00:00:00:0a:0a'], ips: ['10.3.0.40'], claims: [{ kind: 'ae_title', value: 'CT_SCANNER1', key: { kind: 'ae_title', value: 'CT_SCANNER1' }, frame: 4 }] };
    const claim = { kind: 'ae_title' as const, value: 'CT_SCANNER1', key: { kind: 'ae_title' as const, value: 'CT_SCANNER1' }, frame: 30 };
    const a = identityConflictAlert({ claimant: { ...rogue, claims: [claim] }, claim, basis: 'rivals', owners: [], rivals: [twin] }, ctx);
    expect(a).toMatchObject({ severity: 'medium', dedupKey: 'netmon:identity.conflict:dev_rogue:ae_title:CT_SCANNER1', title: 'Identity conflict: possible impersonation: 2 hosts claim AE title "CT_SCANNER1"' });
    expect(a.evidence?.map((e) => e.ref)).toEqual(['ward3.pcap#frame=30', 'ward3.pcap#frame=4', 'device:dev_rogue', 'device:dev_twin']);
    expect(a.description).toContain('ownerDeviceIds=dev_twin');
  });

  it('a fleet declaring one identifier counts every host in the title and says how many it did not list', () => {
    const twin: Claimant = { key: 'mac:02:00:00:00:0a:0a', name: 'TV 12', macs: ['02:00:00:00:0a:0a'], ips: ['10.3.0.40'], claims: rogue.claims };
    const d = identityConflictDetection({ claimant: rogue, claim: rogue.claims[0]!, basis: 'rivals', owners: [], rivals: [twin], rivalCount: 499 }, ctx);
    expect(d.title).toBe('Identity conflict: possible impersonation: 500 hosts claim serial number "SN-0042" (Baxter)');
    expect(d.explanation).toContain('and so did TV 12 (02:00:00:00:0a:0a, 10.3.0.40) and 498 more.');
  });
});
