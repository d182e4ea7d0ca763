/** @module Display formatting: labels for enum values, dates, relative times, confidence. */
import type { AlertSeverity, Criticality } from '../api/types.js';

const CRITICALITY_LABELS: Record<Criticality, string> = {
  'life-sustaining': 'Life-sustaining',
  'life-supporting': 'Life-supporting',
  diagnostic: 'Diagnostic',
  'therapeutic-non-critical': 'Therapeutic (non-critical)',
  'non-clinical': 'Non-clinical',
};

export function criticalityLabel(value: string): string {
  return (CRITICALITY_LABELS as Record<string, string>)[value] ?? humanize(value);
}

export function severityLabel(value: AlertSeverity | string): string {
  return humanize(value);
}

/** words that read wrong in sentence case */
const ACRONYMS = new Set(['phi', 'dicom', 'hl7', 'ip', 'mac', 'os', 'sbom', 'cve', 'tls', 'snmp', 'mqtt', 'vpn', 'ae', 'api', 'id', 'cmms']);

/** "in-service" -> "In service", "cleartext-phi" -> "Cleartext PHI", "ae_title" -> "AE title". */
export function humanize(value: string): string {
  const words = value.replace(/[-_]+/g, ' ').trim().split(/\s+/);
  const text = words.map((w) => (ACRONYMS.has(w.toLowerCase()) ? w.toUpperCase() : w)).join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function parse(iso: string | undefined): Date | undefined {
  if (!iso) return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function formatDateTime(iso: string | undefined): string {
  const d = parse(iso);
  return d ? dateTime.format(d) : iso ?? '—';
}

export function formatDate(iso: string | undefined): string {
  const d = parse(iso);
  return d ? dateOnly.format(d) : iso ?? '—';
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'narrow' });
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

/** "5 min. ago", "in 3 days"; falls back to the raw value when it is not a date. */
export function formatRelative(iso: string | undefined, now: number = Date.now()): string {
  const d = parse(iso);
  if (!d) return iso ?? '—';
  let amount = (d.getTime() - now) / 1000;
  for (const [unit, size] of STEPS) {
    if (Math.abs(amount) < size) return relative.format(Math.round(amount), unit);
    amount /= size;
  }
  return dateTime.format(d);
}

export function formatConfidence(confidence: number): string {
  return `${Math.round(confidence * 100)}%`;
}

export function formatCount(n: number): string {
  return n.toLocaleString();
}
