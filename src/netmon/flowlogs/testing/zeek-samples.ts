/**
 * @module Hand-written Zeek conn.log samples following Zeek's documented ASCII and JSON formats
 * (docs.zeek.org "Zeek Logs" / conn.log): the default header block, the optional `vlan` column of
 * policy/protocols/conn/vlan-logging, unset ("-") and empty ("(empty)") values, \xHH escapes, a
 * second header block as after `cat` of two rotated files, and JSON lines (epoch and ISO 8601 ts).
 */

const T = '\t';
const row = (...cols: (string | number)[]) => cols.join(T);

export const CONN_FIELDS = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state', 'local_orig', 'local_resp', 'missed_bytes', 'history', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes', 'tunnel_parents', 'vlan'];
export const CONN_TYPES = ['time', 'string', 'addr', 'port', 'addr', 'port', 'enum', 'string', 'interval', 'count', 'count', 'string', 'bool', 'bool', 'count', 'string', 'count', 'count', 'count', 'count', 'set[string]', 'int'];

export function zeekHeader(opts: { path?: string; fields?: string[]; types?: string[]; unset?: string; open?: string } = {}): string[] {
  return [
    '#separator \\x09',
    row('#set_separator', ','),
    row('#empty_field', '(empty)'),
    row('#unset_field', opts.unset ?? '-'),
    row('#path', opts.path ?? 'conn'),
    row('#open', opts.open ?? '2024-03-01-10-00-00'),
    row('#fields', ...(opts.fields ?? CONN_FIELDS)),
    row('#types', ...(opts.types ?? CONN_TYPES)),
  ];
}

/** conn.log lines: a DICOM association, an S0 attempt with unset counters, IPv6 DNS, ICMPv6, an escaped service. */
export const CONN_ROWS = [
  row('1709287200.123456', 'CHhAvVGS1DHFjwGM9', '10.10.1.20', 49152, '10.10.2.5', 104, 'tcp', 'dicom', '2.500000', 1024, 20480, 'SF', 'T', 'T', 0, 'ShADadFf', 20, 2064, 25, 21780, '(empty)', 20),
  row('1709287201.000001', 'C4J4Th3PJpwUYZZ6gc', '10.10.1.21', 50000, '203.0.113.9', 23, 'tcp', '-', '-', '-', '-', 'S0', 'T', 'F', 0, 'S', 1, 60, 0, 0, '(empty)', '-'),
  row('1709287202.5', 'CUM0KZ3MLUfNB0cl11', '2001:DB8:0:0:0:0:0:10', 5353, 'fd00::53', 53, 'udp', 'dns', '0.010000', 40, 120, 'SF', 'T', 'T', 0, 'Dd', 1, 88, 1, 168, '(empty)', '-'),
  row('1709287203.25', 'CmES5u32sYpV7JYN', 'fe80::1', 135, 'ff02::1', 136, 'icmp', '-', '0.000100', 24, 0, 'OTH', 'T', 'T', 0, '-', 1, 72, 0, 0, '(empty)', '-'),
  row('1709287204', 'CP5aJM3BUKgEsVh2tb', '10.10.1.22', 41000, '10.10.2.6', 2575, 'tcp', 'hl7\\x09mllp', '1.000000', 300, 40, 'RSTO', 'T', 'T', 0, 'ShADaR', 5, 560, 3, 164, '(empty)', 30),
];

/** One file with two header blocks (the second reorders columns and uses another unset marker). */
export function zeekTsvLog(): string {
  const second = ['ts', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'uid', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes', 'conn_state'];
  return [
    ...zeekHeader(),
    ...CONN_ROWS,
    row('#close', '2024-03-01-11-00-00'),
    ...zeekHeader({ fields: second, types: second.map(() => 'string'), unset: 'NONE', open: '2024-03-01-11-00-00' }),
    row('1709290800.0', '10.10.1.30', 33000, '10.10.2.7', 1883, 'tcp', 'CabcDEF', 4, 240, 'NONE', 'NONE', 'S1'),
    row('#close', '2024-03-01-12-00-00'),
    '',
  ].join('\n');
}

/** The same connections as Zeek's JSON writer emits them (LogAscii::use_json=T). */
export const ZEEK_JSON_LINES = [
  '{"ts":1709287200.123456,"uid":"CHhAvVGS1DHFjwGM9","id.orig_h":"10.10.1.20","id.orig_p":49152,"id.resp_h":"10.10.2.5","id.resp_p":104,"proto":"tcp","service":"dicom","duration":2.5,"orig_bytes":1024,"resp_bytes":20480,"conn_state":"SF","local_orig":true,"local_resp":true,"missed_bytes":0,"history":"ShADadFf","orig_pkts":20,"orig_ip_bytes":2064,"resp_pkts":25,"resp_ip_bytes":21780,"vlan":20}',
  '{"ts":"2024-03-01T10:00:01.000001Z","uid":"C4J4Th3PJpwUYZZ6gc","id.orig_h":"10.10.1.21","id.orig_p":50000,"id.resp_h":"203.0.113.9","id.resp_p":23,"proto":"tcp","conn_state":"S0","local_orig":true,"local_resp":false,"missed_bytes":0,"history":"S","orig_pkts":1,"orig_ip_bytes":60,"resp_pkts":0,"resp_ip_bytes":0}',
  '{"ts":1709287202.5,"uid":"CUM0KZ3MLUfNB0cl11","id":{"orig_h":"2001:db8::10","orig_p":5353,"resp_h":"fd00::53","resp_p":53},"proto":"udp","service":"dns","duration":0.01,"conn_state":"SF","orig_pkts":1,"orig_ip_bytes":88,"resp_pkts":1,"resp_ip_bytes":168}',
];
