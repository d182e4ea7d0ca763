/**
 * @module Small status pills: device criticality, alert severity, lifecycle and alert status. Colour is
 * never the only signal — each badge carries its text label, and a shape marker for severity.
 */
import type { AlertSeverity, AlertStatus } from '../api/types.js';
import { criticalityLabel, humanize, severityLabel } from '../lib/format.js';

const classSafe = (value: string) => value.replace(/[^a-z0-9-]/gi, '-').toLowerCase();

export function CriticalityBadge({ value }: { value: string | undefined }) {
  if (!value) return <span className="muted">—</span>;
  return (
    <span className={`badge badge--crit-${classSafe(value)}`} data-criticality={value}>
      {criticalityLabel(value)}
    </span>
  );
}

export function SeverityBadge({ value }: { value: AlertSeverity | string }) {
  return (
    <span className={`badge badge--sev badge--sev-${classSafe(value)}`} data-severity={value}>
      <span className="badge__dot" aria-hidden="true" />
      {severityLabel(value)}
    </span>
  );
}

export function LifecycleBadge({ value }: { value: string | undefined }) {
  if (!value) return <span className="muted">—</span>;
  return (
    <span className={`badge badge--outline badge--life-${classSafe(value)}`} data-status={value}>
      {humanize(value)}
    </span>
  );
}

export function AlertStatusBadge({ value }: { value: AlertStatus | string }) {
  return (
    <span className={`badge badge--outline badge--alert-${classSafe(value)}`} data-status={value}>
      {humanize(value)}
    </span>
  );
}
