/**
 * @module Plain-text views of a stored observation for the capture page: the endpoints, a one-line
 * summary of its scalar fields (the ones an analyst scans: SNI, JA3/JA4, HL7 applications and
 * message type, DIMSE command and status, DHCP vendor class), and what its group count means.
 */
import type { Observation } from '../../api/netmon.js';

/** "10.0.0.5:50000 → 10.0.0.9:443" (from the client), or "" without a flow */
export function observationEndpoints(o: Pick<Observation, 'flow'>): string {
  if (!o.flow) return '';
  const ep = (e: { ip: string; port: number }) => (e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`);
  return `${ep(o.flow.client)} → ${ep(o.flow.server)}`;
}

/** Scalar fields as "key=value", in the order the dissector wrote them, cut at `max` characters. */
export function observationFieldSummary(fields: Record<string, unknown>, max = 160): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(fields)) {
    if (v === null || v === undefined || typeof v === 'object') continue;
    parts.push(`${k}=${String(v)}`);
  }
  const text = parts.join(' ');
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** "1 of 7 kept" style note for the last kept row of a group, else undefined */
export function groupNote(groupCount: number | undefined, perGroup: number | undefined): string | undefined {
  if (groupCount === undefined) return undefined;
  if (groupCount === 1) return 'only one';
  const kept = perGroup === undefined ? undefined : Math.min(perGroup, groupCount);
  return kept === undefined || kept === groupCount ? `${groupCount} in all` : `${groupCount} in all, first ${kept} kept`;
}
