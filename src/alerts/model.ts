/**
 * @module The base alert model. Detections (netmon, vulns, trust, system health) raise alerts with
 * a dedup key; repeats of an active alert fold into it (count, lastSeen) rather than flooding the
 * queue, and a recurrence after resolution opens a fresh alert so history stays readable.
 */

export const ALERT_SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** critical 4 .. info 0: sorting and escalation compare ranks, not names. */
export const severityRank = (s: AlertSeverity): number => ALERT_SEVERITIES.length - 1 - ALERT_SEVERITIES.indexOf(s);
export const isAlertSeverity = (s: string): s is AlertSeverity => (ALERT_SEVERITIES as readonly string[]).includes(s);
export const isAlertStatus = (s: string): s is AlertStatus => (ALERT_STATUSES as readonly string[]).includes(s);

/** One piece of evidence: what kind of thing, a reference to it, and a short human note. */
export interface EvidenceItem {
  /** e.g. "flow", "packet", "advisory", "sbom-component", "finding", "log" */
  kind: string;
  /** e.g. a flow id, "CVE-2024-1234", "pkg:npm/lodash@4.17.20", "capture.pcapng#frame=812" */
  ref: string;
  detail?: string;
}

export interface AlertActorRef {
  id: string;
  name: string;
}

export interface Alert {
  id: string;
  title: string;
  description: string;
  severity: AlertSeverity;
  status: AlertStatus;
  deviceId?: string;
  /** the capability that raised it: "netmon", "vulns", "trust", "system", or an integration */
  source: string;
  category: string;
  dedupKey: string;
  evidence: EvidenceItem[];
  /** occurrences folded into this alert */
  count: number;
  firstSeen: string;
  lastSeen: string;
  createdAt: string;
  updatedAt: string;
  acknowledgedAt?: string;
  acknowledgedBy?: AlertActorRef;
  acknowledgeNote?: string;
  resolvedAt?: string;
  resolvedBy?: AlertActorRef;
  resolutionNote?: string;
}

export interface RaiseAlertInput {
  title: string;
  description?: string;
  severity: AlertSeverity;
  deviceId?: string;
  source: string;
  category: string;
  /** defaults to source:category:deviceId:title */
  dedupKey?: string;
  evidence?: EvidenceItem[];
  /** when the condition was observed; defaults to now */
  observedAt?: string;
}

export interface RaiseOutcome {
  alert: Alert;
  /** false when the occurrence folded into an existing active alert */
  created: boolean;
}

export interface AlertQuery {
  status?: AlertStatus[];
  severity?: AlertSeverity[];
  deviceId?: string;
  source?: string;
  /** case-insensitive substring of title, description, category or dedup key */
  q?: string;
  limit?: number;
  cursor?: string;
}

export interface AlertPage {
  items: Alert[];
  nextCursor?: string;
  total: number;
}

export interface AlertSummary {
  total: number;
  byStatus: Record<AlertStatus, number>;
  /** open and acknowledged alerts only: what still needs attention */
  activeBySeverity: Record<AlertSeverity, number>;
}

/** Bounds on what a raiser may put into an alert (integrations post these over HTTP). */
export const ALERT_LIMITS = {
  title: 300,
  description: 10_000,
  label: 100,
  dedupKey: 500,
  evidenceItems: 100,
  evidenceKind: 50,
  evidenceRef: 500,
  evidenceDetail: 2000,
  note: 2000,
  /** evidence kept on an alert as occurrences fold in (newest win) */
  evidenceKept: 50,
} as const;
