/**
 * @module Parses a DNS message (RFC 1035 4.1; also mDNS, RFC 6762): header, questions and resource records
 * with the RDATA a monitor can use (addresses, names, SRV, TXT, HINFO). Sections are bounded; a record that
 * runs past the end marks the message truncated instead of discarding what was already read.
 */
import { ByteReader } from '../support/bytes.js';
import { isDissectorError } from '../errors.js';
import { printableAscii } from '../support/text.js';
import { readName } from './names.js';
import { ipv4String, ipv6String } from '../../capture/index.js';

const MAX_RECORDS = 128;
const MAX_TXT_STRINGS = 16;

export const TYPES: Record<number, string> = {
  1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 13: 'HINFO', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 35: 'NAPTR',
  41: 'OPT', 43: 'DS', 46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 64: 'SVCB', 65: 'HTTPS', 255: 'ANY',
};
export const typeName = (t: number): string => TYPES[t] ?? `TYPE${t}`;
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'];
export const rcodeName = (r: number): string => RCODES[r] ?? `RCODE${r}`;

export interface Question {
  name: string;
  type: string;
  /** mDNS: QU bit (unicast response requested) is the top bit of the class */
  unicastResponse: boolean;
}

export interface ResourceRecord {
  name: string;
  type: string;
  ttl: number;
  data: string | number | string[] | Record<string, unknown> | null;
}

export interface DnsMessage {
  id: number;
  response: boolean;
  opcode: number;
  rcode: number;
  flags: { aa: boolean; tc: boolean; rd: boolean; ra: boolean };
  questions: Question[];
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  additionals: ResourceRecord[];
  truncated: boolean;
  /** bytes after the last section (should be 0) */
  trailing: number;
}

// Addresses in answers print the way capture endpoints do (RFC 5952), so they compare as strings.
const ipv4 = (b: Uint8Array) => ipv4String(b, 0);
const ipv6 = (b: Uint8Array) => ipv6String(b, 0);

function characterStrings(r: ByteReader, max: number): string[] {
  const out: string[] = [];
  while (r.remaining > 0) {
    const s = r.take(r.u8('string length'), 'character string');
    if (out.length < max) out.push(printableAscii(s, 255));
  }
  return out;
}

function rdata(msg: Uint8Array, type: number, r: ByteReader, protocol: string): ResourceRecord['data'] {
  const at = r.position;
  switch (type) {
    case 1:
      return r.remaining === 4 ? ipv4(r.take(4)) : null;
    case 28:
      return r.remaining === 16 ? ipv6(r.take(16)) : null;
    case 2:
    case 5:
    case 12:
      return readName(msg, at, protocol).name;
    case 15:
      return { preference: r.u16be('preference'), exchange: readName(msg, at + 2, protocol).name };
    case 33:
      return { priority: r.u16be('priority'), weight: r.u16be('weight'), port: r.u16be('port'), target: readName(msg, at + 6, protocol).name };
    case 16:
      return characterStrings(r, MAX_TXT_STRINGS);
    case 13: {
      const [cpu, os] = characterStrings(r, 2);
      return { cpu: cpu ?? null, os: os ?? null };
    }
    default:
      return null;
  }
}

function record(msg: Uint8Array, r: ByteReader, protocol: string): ResourceRecord {
  const { name, next } = readName(msg, r.position, protocol);
  r.skip(next - r.position, 'name');
  const type = r.u16be('type');
  r.skip(2, 'class');
  const ttl = r.u32be('ttl');
  const data = r.sub(r.u16be('rdlength'), 'rdata');
  return { name, type: typeName(type), ttl, data: rdata(msg, type, data, protocol) };
}

export function parseDns(msg: Uint8Array, protocol = 'dns'): DnsMessage {
  const r: ByteReader = new ByteReader(msg, protocol);
  const id = r.u16be('id');
  const flags = r.u16be('flags');
  const counts = [r.u16be('qdcount'), r.u16be('ancount'), r.u16be('nscount'), r.u16be('arcount')] as const;
  const m: DnsMessage = {
    id,
    response: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 15,
    rcode: flags & 15,
    flags: { aa: (flags & 0x400) !== 0, tc: (flags & 0x200) !== 0, rd: (flags & 0x100) !== 0, ra: (flags & 0x80) !== 0 },
    questions: [], answers: [], authorities: [], additionals: [], truncated: false, trailing: 0,
  };
  try {
    for (let i = 0; i < counts[0]; i++) {
      const { name, next } = readName(msg, r.position, protocol);
      r.skip(next - r.position, 'name');
      const type = r.u16be('qtype');
      const cls = r.u16be('qclass');
      if (m.questions.length < MAX_RECORDS) m.questions.push({ name, type: typeName(type), unicastResponse: (cls & 0x8000) !== 0 });
    }
    const sections = [m.answers, m.authorities, m.additionals];
    for (let s = 0; s < 3; s++) {
      const list = sections[s] as ResourceRecord[];
      for (let i = 0; i < (counts[s + 1] as number); i++) {
        const rr = record(msg, r, protocol);
        if (list.length < MAX_RECORDS) list.push(rr);
      }
    }
    m.trailing = r.remaining;
  } catch (e) {
    if (!isDissectorError(e)) throw e;
    m.truncated = true;
  }
  return m;
}
