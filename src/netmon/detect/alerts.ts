/**
 * @module Detections as alert inputs: the shape AlertService.raise takes (source "netmon", category
 * = rule id, the detection's dedup key, evidence items, observedAt = last occurrence), plus the
 * device address so whoever raises it can resolve the inventory device when the device map did
 * not name one. Text is clipped to the alert limits.
 */
import { ALERT_LIMITS, type EvidenceItem, type RaiseAlertInput } from '../../alerts/index.js';
import type { Detection } from './model.js';

export interface NetmonAlertInput extends RaiseAlertInput {
  /** the address the detection is about (to look the device up when deviceId is absent) */
  deviceIp: string;
}

const clip = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

function factsText(d: Detection): string {
  const entries = Object.entries(d.facts).filter(([, v]) => v !== null && v !== '');
  return entries.length === 0 ? '' : `\n\nFacts: ${entries.map(([k, v]) => `${k}=${String(v)}`).join(', ')}.`;
}

export function detectionToAlertInput(d: Detection): NetmonAlertInput {
  const evidence: EvidenceItem[] = d.evidence.slice(0, ALERT_LIMITS.evidenceItems).map((e) => ({
    kind: clip(e.kind === 'frame' ? 'packet' : e.kind, ALERT_LIMITS.evidenceKind),
    ref: clip(e.ref, ALERT_LIMITS.evidenceRef),
    ...(e.detail === undefined ? {} : { detail: clip(e.detail, ALERT_LIMITS.evidenceDetail) }),
  }));
  const occurrences = d.count > 1 ? ` Seen ${d.count} times between ${d.firstSeen} and ${d.lastSeen}.` : ` Seen at ${d.firstSeen}.`;
  return {
    title: clip(d.title, ALERT_LIMITS.title),
    description: clip(`${d.explanation}${occurrences}${factsText(d)}\n\nRule ${d.rule}@${d.ruleVersion}.`, ALERT_LIMITS.description),
    severity: d.severity,
    ...(d.deviceId ? { deviceId: d.deviceId } : {}),
    source: 'netmon',
    category: clip(d.rule, ALERT_LIMITS.label),
    dedupKey: clip(d.dedupKey, ALERT_LIMITS.dedupKey),
    evidence,
    observedAt: d.lastSeen,
    deviceIp: d.deviceIp,
  };
}
