/**
 * @module IPv4 (header checksum checked into a flag, not enforced; fragments reassembled) and IPv6
 * (extension headers walked, bounded in count, including the fragment header). Ethernet padding past
 * the IP length is trimmed; a length of 0 (TCP segmentation offload on the capturing host) means
 * "whatever was captured".
 */
import { be16, be32 } from './bytes.js';
import type { FragmentReassembler } from './fragments.js';
import { DecodeError, type DecodedPacket } from './packet.js';
import { decodeTransport } from './transport.js';

const MAX_EXTENSION_HEADERS = 16;

function ipv4ChecksumOk(d: Uint8Array, off: number, ihl: number): boolean {
  let sum = 0;
  for (let i = off; i < off + ihl; i += 2) sum += ((d[i] as number) << 8) | (d[i + 1] as number);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum === 0xffff;
}

export function decodeIpv4(p: DecodedPacket, d: Uint8Array, off: number, ts: number, frags: FragmentReassembler): DecodeError | undefined {
  if (d.length - off < 20) return new DecodeError('ipv4.truncated', `IPv4 header at byte ${off} needs 20 bytes, ${d.length - off} captured`, off);
  const vihl = d[off] as number;
  if (vihl >> 4 !== 4) return new DecodeError('ipv4.bad-version', `IP version ${vihl >> 4} in an IPv4 packet at byte ${off}`, off);
  const ihl = (vihl & 15) * 4;
  if (ihl < 20) return new DecodeError('ipv4.bad-header-length', `IPv4 header length ${ihl} at byte ${off} is below 20`, off);
  if (d.length - off < ihl) return new DecodeError('ipv4.truncated', `IPv4 header at byte ${off} is ${ihl} bytes, ${d.length - off} captured`, off);
  let total = be16(d, off + 2);
  if (total === 0) total = d.length - off;
  if (total < ihl) return new DecodeError('ipv4.bad-total-length', `IPv4 total length ${total} at byte ${off + 2} is below the header length ${ihl}`, off + 2);
  p.network = 'ipv4';
  const a = p.addr;
  a[0] = be32(d, off + 12);
  a[1] = a[2] = a[3] = 0;
  a[4] = be32(d, off + 16);
  a[5] = a[6] = a[7] = 0;
  p.ttl = d[off + 8] as number;
  p.ipId = be16(d, off + 4);
  p.ipChecksumOk = ipv4ChecksumOk(d, off, ihl);
  const proto = d[off + 9] as number;
  p.protocol = proto;
  const end = off + total;
  const capEnd = Math.min(end, d.length);
  const missing = end - capEnd;
  const fo = be16(d, off + 6);
  const more = (fo & 0x2000) !== 0;
  const fragOffset = (fo & 0x1fff) * 8;
  if (!more && fragOffset === 0) return decodeTransport(p, proto, d, off + ihl, capEnd, missing);
  // A fragment cut short by the snap length cannot be reassembled faithfully.
  if (missing > 0) return undefined;
  const key = `4:${a[0]}:${a[4]}:${proto}:${p.ipId}`;
  const whole = frags.add(key, fragOffset, more, d.subarray(off + ihl, capEnd), proto, ts);
  if (whole === null) {
    p.fragmentHeld = true;
    return undefined;
  }
  if (whole instanceof DecodeError) return whole;
  p.reassembled = true;
  return decodeTransport(p, proto, whole, 0, whole.length, 0);
}

export function decodeIpv6(p: DecodedPacket, d: Uint8Array, off: number, ts: number, frags: FragmentReassembler): DecodeError | undefined {
  if (d.length - off < 40) return new DecodeError('ipv6.truncated', `IPv6 header at byte ${off} needs 40 bytes, ${d.length - off} captured`, off);
  if ((d[off] as number) >> 4 !== 6) return new DecodeError('ipv6.bad-version', `IP version ${(d[off] as number) >> 4} in an IPv6 packet at byte ${off}`, off);
  p.network = 'ipv6';
  const a = p.addr;
  for (let i = 0; i < 8; i++) a[i] = be32(d, off + 8 + i * 4);
  p.ttl = d[off + 7] as number;
  const payloadLen = be16(d, off + 4);
  let nh = d[off + 6] as number;
  // Payload length 0 with a hop-by-hop header is a jumbogram: the captured length rules.
  const end = payloadLen === 0 ? d.length : off + 40 + payloadLen;
  let capEnd = Math.min(end, d.length);
  let missing = end - capEnd;
  let b = d;
  let o = off + 40;
  for (let n = 0; ; n++) {
    if (n > MAX_EXTENSION_HEADERS) {
      return new DecodeError('ipv6.too-many-extension-headers', `more than ${MAX_EXTENSION_HEADERS} IPv6 extension headers`, o);
    }
    if (nh === 0 || nh === 43 || nh === 60 || nh === 135 || nh === 139 || nh === 140 || nh === 51) {
      if (capEnd - o < 8) return badExt(nh, o);
      const len = nh === 51 ? ((b[o + 1] as number) + 2) * 4 : ((b[o + 1] as number) + 1) * 8;
      if (capEnd - o < len) return badExt(nh, o);
      nh = b[o] as number;
      o += len;
      continue;
    }
    if (nh === 44) {
      if (capEnd - o < 8) return badExt(nh, o);
      const next = b[o] as number;
      const fo = be16(b, o + 2);
      const more = (fo & 1) !== 0;
      const fragOffset = fo & 0xfff8;
      o += 8;
      nh = next;
      if (!more && fragOffset === 0) continue;
      if (missing > 0) return undefined;
      const key = `6:${a[0]}:${a[1]}:${a[2]}:${a[3]}:${a[4]}:${a[5]}:${a[6]}:${a[7]}:${be32(b, o - 4)}`;
      const whole = frags.add(key, fragOffset, more, b.subarray(o, capEnd), next, ts);
      if (whole === null) {
        p.fragmentHeld = true;
        return undefined;
      }
      if (whole instanceof DecodeError) return whole;
      p.reassembled = true;
      b = whole;
      o = 0;
      capEnd = whole.length;
      missing = 0;
      nh = frags.completedProto;
      continue;
    }
    if (nh === 59 || nh === 50) {
      // No next header, or ESP: nothing further is readable.
      p.protocol = nh;
      p.transport = 'other';
      p.buf = b;
      p.payloadOffset = o;
      p.payloadLength = capEnd - o;
      return undefined;
    }
    return decodeTransport(p, nh, b, o, capEnd, missing);
  }
}

const badExt = (nh: number, o: number) =>
  new DecodeError('ipv6.bad-extension-header', `IPv6 extension header ${nh} at byte ${o} is cut off`, o);
