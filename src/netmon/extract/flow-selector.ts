/**
 * @module A flow to extract, from the text analysts type ("tcp 10.0.0.5:40000 10.0.0.9:104",
 * "udp [fd00::5]:5353 [ff02::fb]:5353 vlan 20"), and the test of a decoded packet against it: its
 * transport and both endpoints, in either direction, whatever its VLAN tags unless one is named.
 */
import { DomainError } from '../../core/index.js';
import type { DecodedPacket } from '../decode/index.js';
import { parseIp } from '../detect/index.js';
import type { FlowEndpointText, FlowSelector } from './model.js';

const IP_PROTO = { tcp: 6, udp: 17 } as const;

const invalid = (message: string) => new DomainError('netmon.invalid_flow', message, { status: 400, location: { pointer: '/flow' } });

/** "ip:port" or "[ipv6]:port"; an unbracketed IPv6 address takes its port after the last colon, as `netmon observations` prints it. */
function parseEndpoint(text: string): FlowEndpointText {
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text) ?? /^(.+):(\d{1,5})$/.exec(text);
  const port = m === null ? NaN : Number(m[2]);
  if (m === null || port > 65535) throw invalid(`"${text}" is not an endpoint like 10.0.0.5:40000 or [fd00::5]:443`);
  const ip = parseIp(m[1] as string);
  if (ip === undefined) throw invalid(`"${m[1]}" in "${text}" is not an IPv4 or IPv6 address`);
  return { ip: m[1] as string, port };
}

/** "tcp A:p B:q [vlan N]"; throws netmon.invalid_flow saying what is wrong. */
export function parseFlowSelector(text: string): FlowSelector {
  const words = text.trim().split(/\s+/);
  const [transport, a, b, vlanWord, vlanId] = words;
  if (transport !== 'tcp' && transport !== 'udp') throw invalid(`a flow is "tcp|udp IP:PORT IP:PORT [vlan N]", found "${text}"`);
  if (a === undefined || b === undefined || (words.length !== 3 && words.length !== 5) || (words.length === 5 && vlanWord !== 'vlan')) {
    throw invalid(`a flow is "${transport} IP:PORT IP:PORT [vlan N]", found "${text}"`);
  }
  const ea = parseEndpoint(a);
  const eb = parseEndpoint(b);
  if (parseIp(ea.ip)?.v !== parseIp(eb.ip)?.v) throw invalid(`the two endpoints of "${text}" are not of one IP version`);
  if (vlanId === undefined) return { transport, a: ea, b: eb };
  const vlan = /^\d{1,4}$/.test(vlanId) ? Number(vlanId) : NaN;
  if (!(vlan <= 4095)) throw invalid(`a VLAN id is 0-4095, found "${vlanId}"`);
  return { transport, a: ea, b: eb, vlan };
}

export const formatFlowSelector = (f: FlowSelector): string => {
  const ep = (e: FlowEndpointText) => (e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`);
  return `${f.transport} ${ep(f.a)} ${ep(f.b)}${f.vlan === undefined ? '' : ` vlan ${f.vlan}`}`;
};

/** Address as the decoder holds it: big-endian 32-bit words (IPv4 in word 0). */
function addressWords(text: string): { v: 4 | 6; words: Uint32Array } {
  const ip = parseIp(text);
  if (ip === undefined) throw invalid(`"${text}" is not an IPv4 or IPv6 address`);
  const words = new Uint32Array(4);
  if (ip.v === 4) words[0] = Number(ip.value);
  else for (let i = 0; i < 4; i++) words[i] = Number((ip.value >> BigInt(96 - 32 * i)) & 0xffffffffn);
  return { v: ip.v, words };
}

export class FlowMatcher {
  private readonly network: 'ipv4' | 'ipv6';
  private readonly proto: number;
  private readonly a: Uint32Array;
  private readonly b: Uint32Array;
  private readonly words: number;

  constructor(private readonly flow: FlowSelector) {
    const a = addressWords(flow.a.ip);
    const b = addressWords(flow.b.ip);
    this.network = a.v === 4 ? 'ipv4' : 'ipv6';
    this.words = a.v === 4 ? 1 : 4;
    this.a = a.words;
    this.b = b.words;
    this.proto = IP_PROTO[flow.transport];
  }

  matches(p: DecodedPacket): boolean {
    if (p.network !== this.network) return false;
    if (this.flow.vlan !== undefined && !this.onVlan(p, this.flow.vlan)) return false;
    const ab = this.addressed(p, this.a, this.b);
    const ba = this.addressed(p, this.b, this.a);
    if (!ab && !ba) return false;
    if (p.transport === this.flow.transport) {
      const { a, b } = this.flow;
      return (ab && p.srcPort === a.port && p.dstPort === b.port) || (ba && p.srcPort === b.port && p.dstPort === a.port);
    }
    // A fragment held for reassembly carries no ports (only the first has them, and the datagram's
    // transport is decoded at its last): kept when its addresses and protocol fit. IPv6 names the
    // protocol only after the fragment header, which a held fragment leaves undecoded (0).
    return p.fragmentHeld && (p.protocol === this.proto || (this.network === 'ipv6' && p.protocol === 0));
  }

  private addressed(p: DecodedPacket, src: Uint32Array, dst: Uint32Array): boolean {
    for (let i = 0; i < this.words; i++) if (p.addr[i] !== src[i] || p.addr[4 + i] !== dst[i]) return false;
    return true;
  }

  private onVlan(p: DecodedPacket, vlan: number): boolean {
    for (let i = 0; i < p.vlanCount; i++) if (p.vlans[i] === vlan) return true;
    return false;
  }
}
