/**
 * @module `identity.conflict`: a host declared on the wire an identifier (a UPnP serial number with
 * its manufacturer, a DICOM AE title) that belongs to another device, so the inventory did not merge
 * on it (see discovery/identity-claims.ts). Unlike the engine's rules it is judged at ingest, against
 * the inventory, so it is not in DETECTION_RULES; its detection takes the same path to an alert
 * (detectionToAlertInput), with the records involved added as `device` evidence.
 * Severity: high when an inventory record holds the identifier with other MACs (someone claims a
 * known device's identity; a claimant seen without a MAC of its own is judged by the record it
 * merged into, or when its claims name devices known by different MACs); medium when no record
 * knows it by MAC and several hosts of one capture claim it (one of them is wrong, which one cannot
 * be told).
 */
import { ALERT_LIMITS, type EvidenceItem, type RaiseAlertInput } from '../../../alerts/index.js';
import type { Claimant, ClaimHolder, IdentityClaim, IdentityConflict } from '../../discovery/identity-claims.js';
import { detectionToAlertInput } from '../alerts.js';
import { frameEvidence, type DetectionEvidence, type DetectionRule, type Detection } from '../model.js';

export const identityConflictRule = {
  id: 'identity.conflict',
  version: '1.1.0',
  category: 'anomaly',
  title: 'Identity conflict: possible impersonation',
  description:
    'A host with one MAC declares an identifier (UPnP serial number with its manufacturer, DICOM AE title) that an inventory device holds with other MACs (high), or that another host of the same capture declares too while no device holds it by MAC (medium). A host seen without a MAC of its own (routed) is judged by the MACs of the record it merged into, and its claims are refused when they name devices known by different MACs (high). The claim is not merged on: the claimant stays a separate device. Judged at ingest, against the inventory.',
} as const satisfies Pick<DetectionRule, 'id' | 'version' | 'category' | 'title' | 'description'>;

export interface IdentityConflictContext {
  /** the capture (or stream) name evidence refers to */
  source: string;
  /** the claimant's inventory device */
  deviceId: string;
  /** when the claimant was seen (ISO-8601) */
  firstSeen: string;
  lastSeen: string;
  /** the inventory device of another claimant of the capture, by its discovered key */
  deviceIdOf: (discoveredKey: string) => string | undefined;
}

const KIND_TEXT: Record<IdentityClaim['kind'], string> = { serial: 'serial number', ae_title: 'AE title' };

export function claimText(c: IdentityClaim): string {
  return c.kind === 'serial' ? `serial number "${c.value}" (${c.manufacturer ?? 'unknown manufacturer'})` : `AE title "${c.value}"`;
}

const hostText = (c: Claimant): string => [...c.macs, ...c.ips].join(', ') || c.key;
const holderText = (h: ClaimHolder): string => `${h.name ?? h.id} (${h.id}; MAC ${h.macs.join(', ')})`;
const micros = (iso: string): number => Date.parse(iso) * 1000;

/** Why the claimant's MACs contradict the record's (a claimant without a MAC of its own is judged by the record it merged into, or by the records it would fold). */
function macText(c: Claimant): string {
  if (c.macs.length > 0) return `${c.macs.join(', ')} is not among those MACs`;
  if (c.recordMacs?.length) return `it was seen without a MAC of its own (routed), in the record with MAC ${c.recordMacs.join(', ')}, which is not among those MACs`;
  return 'it was seen without a MAC of its own (routed) and also claims identifiers of a device known by other MACs: merging on them would fold those devices into one';
}

export function identityConflictDetection(conflict: IdentityConflict, ctx: IdentityConflictContext): Detection {
  const { claim, claimant } = conflict;
  const ts = micros(ctx.firstSeen);
  const what = claimText(claim);
  const at = claim.frame === undefined ? '' : ` (frame ${claim.frame})`;
  const record = conflict.basis === 'record';
  const evidence: DetectionEvidence[] = [];
  if (claim.frame !== undefined) evidence.push(frameEvidence(ctx.source, claim.frame, ts, `${claimant.name} declared ${what}`));
  for (const r of conflict.rivals) {
    const theirs = r.claims.find((c) => c.kind === claim.kind && c.key.value === claim.key.value);
    if (theirs?.frame !== undefined) evidence.push(frameEvidence(ctx.source, theirs.frame, ts, `${r.name} (${hostText(r)}) declared ${claimText(theirs)}`));
  }
  const owner = conflict.owners[0];
  const rivalCount = conflict.rivalCount ?? conflict.rivals.length;
  const more = rivalCount > conflict.rivals.length ? ` and ${rivalCount - conflict.rivals.length} more` : '';
  const title = record && owner ? `${identityConflictRule.title}: ${claimant.name} (${hostText(claimant)}) claims the ${what} of ${owner.name ?? owner.id}` : `${identityConflictRule.title}: ${rivalCount + 1} hosts claim ${what}`;
  const explanation = record
    ? `${claimant.name} (${hostText(claimant)}) declared ${what} in ${ctx.source}${at}. The inventory holds it for ${conflict.owners.map(holderText).join('; ')}, and ${macText(claimant)}. The claim was not merged on: ${claimant.name} stays a separate device and the record keeps its own MACs and addresses. Any host can serve a UPnP description or call itself by an AE title, so this may be a device impersonating another (alerts and traffic attributed to the wrong device); if the device really got a new network interface, add its MAC to the record.`
    : `${claimant.name} (${hostText(claimant)}) declared ${what} in ${ctx.source}${at}, and so did ${conflict.rivals.map((r) => `${r.name} (${hostText(r)})`).join(', ')}${more}. No inventory device holds it with a MAC, so which host is genuine cannot be told: it was merged on for none of them. Record the device's MAC in the inventory (import or edit) to settle it.`;
  return {
    rule: identityConflictRule.id,
    ruleVersion: identityConflictRule.version,
    category: identityConflictRule.category,
    severity: record ? 'high' : 'medium',
    title,
    explanation,
    dedupKey: `netmon:${identityConflictRule.id}:${ctx.deviceId}:${claim.kind}:${claim.key.value}`,
    deviceIp: claimant.ips[0] ?? claimant.macs[0] ?? claimant.key,
    deviceId: ctx.deviceId,
    deviceName: claimant.name,
    count: 1,
    firstTs: ts,
    lastTs: micros(ctx.lastSeen),
    firstSeen: ctx.firstSeen,
    lastSeen: ctx.lastSeen,
    firstFrame: claim.frame ?? 0,
    evidence,
    facts: {
      basis: conflict.basis,
      claimedKind: claim.kind,
      claimedValue: claim.value,
      claimedManufacturer: claim.manufacturer ?? null,
      ownerDeviceIds: record ? conflict.owners.map((h) => h.id).join(' ') : conflict.rivals.map((r) => ctx.deviceIdOf(r.key) ?? r.key).join(' '),
      ownerMacs: record ? conflict.owners.flatMap((h) => h.macs).join(' ') : conflict.rivals.flatMap((r) => r.macs).join(' '),
      observedMacs: claimant.macs.join(' '),
      observedIps: claimant.ips.join(' '),
      frame: claim.frame ?? null,
    },
  };
}

/** The alert input: the detection's (as the engine's detections are raised), plus the devices involved as evidence. */
export function identityConflictAlert(conflict: IdentityConflict, ctx: IdentityConflictContext): RaiseAlertInput {
  const { deviceIp: _ip, ...input } = detectionToAlertInput(identityConflictDetection(conflict, ctx));
  const kind = KIND_TEXT[conflict.claim.kind];
  const devices: EvidenceItem[] = [
    { kind: 'device', ref: `device:${ctx.deviceId}`, detail: `claimant: ${conflict.claimant.name} (${hostText(conflict.claimant)})` },
    ...conflict.owners.map((h) => ({ kind: 'device', ref: `device:${h.id}`, detail: `holds the ${kind}: ${holderText(h)}` })),
    ...conflict.rivals.map((r) => ({ kind: 'device', ref: `device:${ctx.deviceIdOf(r.key) ?? r.key}`, detail: `also claims the ${kind}: ${r.name} (${hostText(r)})` })),
  ].map((e) => ({ ...e, ref: e.ref.slice(0, ALERT_LIMITS.evidenceRef), detail: e.detail.slice(0, ALERT_LIMITS.evidenceDetail) }));
  return { ...input, evidence: [...(input.evidence ?? []), ...devices].slice(0, ALERT_LIMITS.evidenceItems) };
}
