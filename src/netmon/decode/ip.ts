/**
 * @module IPv4 (header checksum verified into a flag when read, not enforced; fragments reassembled) and IPv6
 * (extension headers walked, bounded in count, including the fragment header). Ethernet padding past
 * the IP length is trimmed; a length of 0 (TCP segmentation offload on the capturing host) means
 * "whatever was captured".
 */
import { be16, be32 } from './bytes.js';
import type { FragmentReassembler } from './fragments.js';
import { DecodeError, type DecodedPacket } from './packet.js';
import { decodeTransport } from './transport.js';

const MAX_EXTENSION_HEADERS = 16;

// Offsets into `d` are absolute; the frame is d[p.frameStart, end). Offsets put in errors and in
// the packet are relative to the frame (or to the reassembled datagram), as callers expect.

export function decodeIpv4(p: DecodedPacket, d: Uint8Array, off: number, end: number, ts: number, frags: FragmentReassembler): DecodeError | undefined {
  const at = off - p.frameStart;
  const avail = end - off;
  if (avail < 20) return new DecodeError('ipv4.truncated', `IPv4 header at byte ${at} needs 20 bytes, ${avail} captured`, at);
  const vihl = d[off] as number;
  if (vihl >> 4 !== 4) return new DecodeError('ipv4.bad-version', `IP version ${vihl >> 4} in an IPv4 packet at byte ${at}`, at);
  const ihl = (vihl & 15) * 4;
  if (ihl < 20) return new DecodeError('ipv4.bad-header-length', `IPv4 header length ${ihl} at byte ${at} is below 20`, at);
  if (avail < ihl) return new DecodeError('ipv4.truncated', `IPv4 header at byte ${at} is ${ihl} bytes, ${avail} captured`, at);
  let total = be16(d, off + 2);
  if (total === 0) total = avail;
  if (total < ihl) return new DecodeError('ipv4.bad-total-length', `IPv4 total length ${total} at byte ${at + 2} is below the header length ${ihl}`, at + 2);
  p.network = 'ipv4';
  const a = p.addr;
  a[0] = be32(d, off + 12);
  a[1] = a[2] = a[3] = 0;
  a[4] = be32(d, off + 16);
  a[5] = a[6] = a[7] = 0;
  p.ttl = d[off + 8] as number;
  p.ipId = be16(d, off + 4);
  p.ipv4Header(off, ihl);
  const proto = d[off + 9] as number;
  p.protocol = proto;
  const ipEnd = off + total;
  const capEnd = Math.min(ipEnd, end);
  const missing = ipEnd - capEnd;
  const fo = be16(d, off + 6);
  const more = (fo & 0x2000) !== 0;
  const fragOffset = (fo & 0x1fff) * 8;
  if (!more && fragOffset === 0) return decodeTransport(p, proto, d, p.frameStart, off + ihl, capEnd, missing);
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
  p.buf = whole;
  return decodeTransport(p, proto, whole, 0, 0, whole.length, 0);
}

export function decodeIpv6(p: DecodedPacket, d: Uint8Array, off: number, frameEnd: number, ts: number, frags: FragmentReassembler): DecodeError | undefined {
  const at = off - p.frameStart;
  if (frameEnd - off < 40) return new DecodeError('ipv6.truncated', `IPv6 header at byte ${at} needs 40 bytes, ${frameEnd - off} captured`, at);
  if ((d[off] as number) >> 4 !== 6) return new DecodeError('ipv6.bad-version', `IP version ${(d[off] as number) >> 4} in an IPv6 packet at byte ${at}`, at);
  p.network = 'ipv6';
  const a = p.addr;
  for (let i = 0; i < 8; i++) a[i] = be32(d, off + 8 + i * 4);
  p.ttl = d[off + 7] as number;
  const payloadLen = be16(d, off + 4);
  let nh = d[off + 6] as number;
  // Payload length 0 with a hop-by-hop header is a jumbogram: the captured length rules.
  const end = payloadLen === 0 ? frameEnd : off + 40 + payloadLen;
  let capEnd = Math.min(end, frameEnd);
  let missing = end - capEnd;
  let b = d;
  /** where offset 0 of the packet's buffer lies in `b`: the frame start, or 0 once reassembled */
  let base = p.frameStart;
  let o = off + 40;
  for (let n = 0; ; n++) {
    if (n > MAX_EXTENSION_HEADERS) {
      return new DecodeError('ipv6.too-many-extension-headers', `more than ${MAX_EXTENSION_HEADERS} IPv6 extension headers`, o - base);
    }
    if (nh === 0 || nh === 43 || nh === 60 || nh === 135 || nh === 139 || nh === 140 || nh === 51) {
      if (capEnd - o < 8) return badExt(nh, o - base);
      const len = nh === 51 ? ((b[o + 1] as number) + 2) * 4 : ((b[o + 1] as number) + 1) * 8;
      if (capEnd - o < len) return badExt(nh, o - base);
      nh = b[o] as number;
      o += len;
      continue;
    }
    if (nh === 44) {
      if (capEnd - o < 8) return badExt(nh, o - base);
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
      p.buf = whole;
      b = whole;
      base = 0;
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
      p.payloadOffset = o - base;
      p.payloadLength = capEnd - o;
      return undefined;
    }
    return decodeTransport(p, nh, b, base, o, capEnd, missing);
  }
}

const badExt = (nh: number, o: number) =>
  new DecodeError('ipv6.bad-extension-header', `IPv6 extension header ${nh} at byte ${o} is cut off`, o);
