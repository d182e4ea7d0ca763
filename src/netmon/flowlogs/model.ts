/**
 * @module The one flow-record model every flow-log input becomes (Zeek conn.log, NetFlow v5/v9,
 * IPFIX), whatever it came from, so baselines and detections never see a source format. Records
 * are directional (src sent first / is the flow's initiator when the source knows it) and carry
 * where they came from (file:line or exporter + packet sequence) as evidence.
 */

export type FlowLogOrigin = 'zeek' | 'netflow-v5' | 'netflow-v9' | 'ipfix';

/** Where a record (or an error) came from: a log line, or a record inside an exporter's packet. */
export interface FlowLogLocation {
  /** log file name ("stdin" for standard input) */
  file?: string;
  /** 1-based line number in the (decompressed) log */
  line?: number;
  /** exporter as "ip:port" (IPv6 as "[ip]:port") */
  exporter?: string;
  /** the packet's header sequence number (v5 flow_sequence, v9 package sequence, IPFIX sequence) */
  sequence?: number;
  /** byte offset of the record (or the fault) inside the packet */
  byteOffset?: number;
}

/** Counters of one direction; absent when the source does not say. */
export interface FlowLogCounters {
  /** IP-level bytes (NetFlow/IPFIX octet counts, Zeek orig_ip_bytes/resp_ip_bytes) */
  bytes?: number;
  packets?: number;
  /** transport payload bytes (Zeek orig_bytes/resp_bytes only) */
  payloadBytes?: number;
}

export interface FlowLogRecord {
  origin: FlowLogOrigin;
  /** milliseconds since the Unix epoch; may carry a fraction (Zeek logs microseconds) */
  startMs: number;
  endMs: number;
  /** RFC 5952 text for IPv6, dotted quad for IPv4 (as the packet-derived flows print them) */
  srcIp: string;
  dstIp: string;
  /** transport ports (0 where the protocol has none, as NetFlow exports them) */
  srcPort: number;
  dstPort: number;
  /** IANA IP protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, ...) */
  protocol: number;
  /** lower-case IANA keyword ("tcp", "udp", "icmp", "ipv6-icmp", "sctp") or "ip-<n>" */
  protocolName: string;
  /** src -> dst */
  forward: FlowLogCounters;
  /** dst -> src, for bidirectional sources (Zeek, IPFIX biflows, NSEL initiator/responder counts) */
  reverse?: FlowLogCounters;
  /** TCP flags OR-ed over the flow (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE 0x40, CWR 0x80) */
  tcpFlags?: number;
  /** 802.1Q VLAN id */
  vlan?: number;
  /** application / service: Zeek `service` (e.g. "dns", "ssl,http"), IPFIX applicationName */
  service?: string;
  /** Zeek conn_state (S0, SF, REJ, ...) */
  connState?: string;
  /** Zeek connection uid (joins other Zeek logs) */
  uid?: string;
  /** ingress / egress interface indexes (NetFlow/IPFIX) */
  inputInterface?: number;
  outputInterface?: number;
  /** exporter address (NetFlow/IPFIX), the collector's view of the sender */
  exporter?: string;
  /** IPFIX observation domain id, NetFlow v9 source id, NetFlow v5 engine type << 8 | engine id */
  observationDomain?: number;
  location: FlowLogLocation;
}

const PROTOCOL_NAMES: Record<number, string> = {
  1: 'icmp',
  2: 'igmp',
  6: 'tcp',
  17: 'udp',
  41: 'ipv6',
  47: 'gre',
  50: 'esp',
  51: 'ah',
  58: 'ipv6-icmp',
  89: 'ospf',
  103: 'pim',
  112: 'vrrp',
  132: 'sctp',
};

export function ipProtocolName(n: number): string {
  return PROTOCOL_NAMES[n] ?? `ip-${n}`;
}

const TCP_FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'] as const;

/** "SYN,ACK,FIN" for evidence and reports. */
export function tcpFlagNames(flags: number): string[] {
  return TCP_FLAG_NAMES.filter((_, i) => (flags & (1 << i)) !== 0);
}

/** Text form of a location for evidence references ("conn.log:12", "10.0.0.1:2055#seq=7@44"). */
export function describeFlowLogLocation(l: FlowLogLocation): string {
  if (l.file !== undefined) return l.line === undefined ? l.file : `${l.file}:${l.line}`;
  const parts = [l.exporter ?? 'exporter'];
  if (l.sequence !== undefined) parts.push(`#seq=${l.sequence}`);
  if (l.byteOffset !== undefined) parts.push(`@${l.byteOffset}`);
  return parts.join('');
}
