/**
 * @module Formatting for the network pages (pure): byte counts, address ordering, node and edge
 * labels of the communication map, edge thickness, port lists, conduit services, and the typed
 * reading of a capture's free-form summary.
 */
import type { CaptureSegment, CaptureSummary, ConduitService, MapEdge, MapNode, ProtocolCount } from '../../api/netmon.js';
import { formatCount, humanize } from '../../lib/format.js';

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** 1 234 567 -> "1.2 MB" (decimal units, as capture tools print them). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

function ipv4Parts(ip: string): number[] | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  const nums = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : Number.NaN));
  return nums.every((n) => n <= 255) ? nums : undefined;
}

/** Orders addresses as people read them: IPv4 numerically (10.0.0.9 before 10.0.0.10), then IPv6 as text. */
export function compareIp(a: string, b: string): number {
  if (a === b) return 0;
  const pa = ipv4Parts(a);
  const pb = ipv4Parts(b);
  if (pa && pb) {
    for (let i = 0; i < 4; i++) {
      const d = (pa[i] ?? 0) - (pb[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  }
  if (pa || pb) return pa ? -1 : 1;
  return a < b ? -1 : 1;
}

export const MIN_EDGE_WIDTH = 1.5;
export const MAX_EDGE_WIDTH = 9;

/** Line thickness by bytes on a log scale, so a 1 GB backup does not make every other line a hairline. */
export function edgeWidth(bytes: number, maxBytes: number): number {
  if (!(maxBytes > 0) || !(bytes > 0)) return MIN_EDGE_WIDTH;
  const share = Math.min(1, Math.log1p(bytes) / Math.log1p(maxBytes));
  return Math.round((MIN_EDGE_WIDTH + (MAX_EDGE_WIDTH - MIN_EDGE_WIDTH) * share) * 100) / 100;
}

/** The longest label a node gets on the map (fits LABEL_HALF_WIDTH in layout.ts at the map's font size). */
export const NODE_LABEL_MAX = 20;

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** First line under a node: the device name when known, else the address. */
export function nodeLabel(node: Pick<MapNode, 'ip' | 'name'>): string {
  return truncate(node.name?.trim() || node.ip, NODE_LABEL_MAX);
}

/** Second line: the address when the first line is a name, and the zone. */
export function nodeSubLabel(node: Pick<MapNode, 'ip' | 'name' | 'zone'>): string {
  const parts = [node.name?.trim() ? node.ip : undefined, node.zone].filter((p): p is string => Boolean(p));
  return truncate(parts.join(' · '), NODE_LABEL_MAX + 4);
}

/** [104, 11112, 11113, 11114] -> "104, 11112–11114"; past `max` items the rest is "+N more". */
export function formatPorts(ports: readonly number[], max = 6): string {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const items: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    // three or more consecutive ports read better as a range; two stay two
    if (j - i >= 2) items.push(`${sorted[i]}–${sorted[j]}`);
    else for (let k = i; k <= j; k++) items.push(String(sorted[k]));
    i = j + 1;
  }
  return items.length > max ? `${items.slice(0, max).join(', ')} +${items.length - max} more` : items.join(', ');
}

/** protocol ids the dissectors use that are written in capitals */
const PROTOCOL_ACRONYMS = new Set(['dicom', 'hl7', 'tls', 'http', 'https', 'mqtt', 'dns', 'dhcp', 'snmp', 'smb', 'ftp', 'rdp', 'vnc', 'ssdp', 'mdns', 'ntp', 'ssh', 'llmnr', 'nbns', 'ldap', 'sip', 'rtsp', 'tcp', 'udp', 'icmp', 'arp', 'lldp', 'cdp', 'coap', 'amqp', 'fhir']);

/** "dicom" -> "DICOM", "telnet" -> "Telnet", "unknown" -> "unidentified". */
export function protocolLabel(protocol: string): string {
  if (protocol === 'unknown' || protocol === '') return 'unidentified';
  return PROTOCOL_ACRONYMS.has(protocol.toLowerCase()) ? protocol.toUpperCase() : humanize(protocol);
}

/** Alert categories from netmon: "dicom.cleartext-phi" -> "DICOM: Cleartext PHI", "exposure" -> "Exposure". */
export function detectionCategoryLabel(category: string): string {
  const dot = category.indexOf('.');
  if (dot <= 0 || dot === category.length - 1) return humanize(category);
  return `${protocolLabel(category.slice(0, dot))}: ${humanize(category.slice(dot + 1))}`;
}

/** "DICOM · port 11112" — what an edge carries, for its hover label and accessible name. */
export function edgeSummary(edge: Pick<MapEdge, 'protocols' | 'ports'>): string {
  const protocols = edge.protocols.length > 0 ? edge.protocols.map(protocolLabel).join(', ') : 'unidentified';
  const ports = edge.ports.length === 0 ? '' : ` · ${edge.ports.length === 1 ? 'port' : 'ports'} ${formatPorts(edge.ports)}`;
  return `${protocols}${ports}`;
}

/** Accessible name of an edge: who talks to whom about what, and how much. */
export function edgeDescription(edge: MapEdge, label: (ip: string) => string): string {
  const who = edge.client === edge.server ? `${label(edge.client)} to itself` : `${label(edge.client)} to ${label(edge.server)}`;
  return `${who}: ${edgeSummary(edge)}, ${edge.flows.toLocaleString('en-US')} ${edge.flows === 1 ? 'flow' : 'flows'}, ${formatBytes(edge.bytes)}`;
}

/** "DICOM TCP port 104" / "HL7 ports 2575, 6660–6669" / "any protocol on port 443" / "any traffic". */
export function conduitServiceLabel(s: ConduitService): string {
  const head = [s.protocol ? protocolLabel(s.protocol) : undefined, s.transport?.toUpperCase()].filter(Boolean).join(' ');
  const single = s.ports.length === 1 && s.ports[0]?.from === s.ports[0]?.to;
  const ports = s.ports.length === 0 ? '' : `${single ? 'port' : 'ports'} ${s.ports.map((r) => (r.from === r.to ? String(r.from) : `${r.from}–${r.to}`)).join(', ')}`;
  if (!head) return ports ? `any protocol on ${ports}` : 'any traffic';
  return ports ? `${head} ${ports}` : head;
}

/** Map node colour class by criticality; unknown devices and bare addresses stay neutral. */
export function criticalityTone(criticality: string | undefined): string {
  switch (criticality) {
    case 'life-sustaining':
    case 'life-supporting':
    case 'diagnostic':
    case 'therapeutic-non-critical':
    case 'non-clinical':
      return criticality;
    default:
      return 'unknown';
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The protocol counts of a capture summary, largest first; tolerates summaries from older servers. */
export function captureProtocols(summary: CaptureSummary | Record<string, unknown> | undefined): ProtocolCount[] {
  const raw = isRecord(summary) ? summary['protocols'] : undefined;
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((p): p is ProtocolCount => isRecord(p) && typeof p['protocol'] === 'string' && typeof p['flows'] === 'number')
    .sort((a, b) => b.flows - a.flows || a.protocol.localeCompare(b.protocol));
}

/** "Capture" / "Flow log" for a capture record's kind. */
/** "segment 3" or "segment 5 (last)" for a checkpoint of a live capture; undefined for a whole capture */
export function segmentLabel(segment: CaptureSegment | undefined): string | undefined {
  if (!segment) return undefined;
  return `${segment.perFile ? 'file' : 'segment'} ${formatCount(segment.index)}${segment.final ? ' (last)' : ''}`;
}

/** What a segment's record says of the flows that cross its checkpoints, for the capture page. */
export function segmentFacts(segment: CaptureSegment): string {
  const flows = (k: number) => `${formatCount(k)} open flow${k === 1 ? '' : 's'}`;
  const unit = segment.perFile ? 'file' : 'segment';
  const carried = segment.flowsCarriedIn > 0 ? `${flows(segment.flowsCarriedIn)} carried in from the ${unit} before` : 'no flows carried in';
  const open = segment.final ? 'every flow ended in it' : `${flows(segment.flowsOpen)} carried on into the next`;
  // a file's own frame 1 is the run's frame firstFrame; alert evidence already gives the file's numbers
  const frames = segment.perFile ? `run frames from ${formatCount(segment.firstFrame)} (the file's frame 1)` : `frames from ${formatCount(segment.firstFrame)}`;
  return `${segmentLabel(segment) ?? ''} of run ${segment.session}, ${frames}: ${carried}; ${open}`;
}

export function captureKindLabel(kind: string): string {
  if (kind === 'flow-log') return 'Flow log';
  if (kind === 'capture') return 'Packet capture';
  return humanize(kind);
}
