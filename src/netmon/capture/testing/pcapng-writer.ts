/**
 * @module Writes pcapng blocks (SHB, IDB with if_tsresol/if_tsoffset, EPB, SPB, NRB, any other block)
 * in either byte order, for scenario fixtures such as two interfaces with different link types and
 * timestamp resolutions.
 */

export interface InterfaceSpec {
  linkType: number;
  snaplen?: number;
  /** raw if_tsresol byte: 6 = µs (default), 9 = ns, 0x80 | n = 2^-n s */
  tsresol?: number;
  /** if_tsoffset in seconds */
  tsoffsetSec?: number;
}

const pad4 = (n: number) => (n + 3) & ~3;

export class PcapngWriter {
  private readonly le: boolean;
  private readonly interfaces: InterfaceSpec[] = [];

  constructor(opts: { littleEndian?: boolean } = {}) {
    this.le = opts.littleEndian ?? true;
  }

  /** Any block: type, body (padded to 4 here), framed with both length fields. */
  block(type: number, body: Uint8Array): Uint8Array {
    const len = 12 + pad4(body.length);
    const out = new Uint8Array(len);
    const v = new DataView(out.buffer);
    v.setUint32(0, type, this.le);
    v.setUint32(4, len, this.le);
    out.set(body, 8);
    v.setUint32(len - 4, len, this.le);
    return out;
  }

  shb(): Uint8Array {
    this.interfaces.length = 0;
    const body = new Uint8Array(16);
    const v = new DataView(body.buffer);
    v.setUint32(0, 0x1a2b3c4d, this.le);
    v.setUint16(4, 1, this.le);
    v.setUint16(6, 0, this.le);
    v.setInt32(8, -1, this.le);
    v.setInt32(12, -1, this.le);
    return this.block(0x0a0d0d0a, body);
  }

  idb(spec: InterfaceSpec): Uint8Array {
    this.interfaces.push(spec);
    const opts: Uint8Array[] = [];
    if (spec.tsresol !== undefined) opts.push(this.option(9, Uint8Array.of(spec.tsresol)));
    if (spec.tsoffsetSec !== undefined) {
      const val = new Uint8Array(8);
      new DataView(val.buffer).setBigInt64(0, BigInt(spec.tsoffsetSec), this.le);
      opts.push(this.option(14, val));
    }
    if (opts.length > 0) opts.push(this.option(0, new Uint8Array(0)));
    const optLen = opts.reduce((n, o) => n + o.length, 0);
    const body = new Uint8Array(8 + optLen);
    const v = new DataView(body.buffer);
    v.setUint16(0, spec.linkType, this.le);
    v.setUint32(4, spec.snaplen ?? 262144, this.le);
    let at = 8;
    for (const o of opts) {
      body.set(o, at);
      at += o.length;
    }
    return this.block(1, body);
  }

  /** Enhanced packet block; `tsNs` is converted to the interface's resolution. */
  epb(interfaceId: number, tsNs: bigint, data: Uint8Array, origLen = data.length): Uint8Array {
    const spec = this.interfaces[interfaceId];
    const units = spec === undefined ? tsNs / 1000n : toUnits(tsNs, spec.tsresol ?? 6);
    const body = new Uint8Array(20 + pad4(data.length));
    const v = new DataView(body.buffer);
    v.setUint32(0, interfaceId, this.le);
    v.setUint32(4, Number(units >> 32n), this.le);
    v.setUint32(8, Number(units & 0xffffffffn), this.le);
    v.setUint32(12, data.length, this.le);
    v.setUint32(16, origLen, this.le);
    body.set(data, 20);
    return this.block(6, body);
  }

  /** Simple packet block (interface 0, no timestamp). */
  spb(data: Uint8Array, origLen = data.length): Uint8Array {
    const body = new Uint8Array(4 + pad4(data.length));
    new DataView(body.buffer).setUint32(0, origLen, this.le);
    body.set(data, 4);
    return this.block(3, body);
  }

  /** Name resolution block with IPv4 (4-byte) and IPv6 (16-byte) address records. */
  nrb(records: { addr: Uint8Array; names: string[] }[]): Uint8Array {
    const parts = records.map((r) => {
      const names = new TextEncoder().encode(r.names.map((n) => `${n}\0`).join(''));
      const value = new Uint8Array(r.addr.length + names.length);
      value.set(r.addr);
      value.set(names, r.addr.length);
      return this.option(r.addr.length === 4 ? 1 : 2, value);
    });
    parts.push(this.option(0, new Uint8Array(0)));
    const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      body.set(p, at);
      at += p.length;
    }
    return this.block(4, body);
  }

  private option(code: number, value: Uint8Array): Uint8Array {
    const out = new Uint8Array(4 + pad4(value.length));
    const v = new DataView(out.buffer);
    v.setUint16(0, code, this.le);
    v.setUint16(2, value.length, this.le);
    out.set(value, 4);
    return out;
  }
}

function toUnits(tsNs: bigint, tsresol: number): bigint {
  const exp = BigInt(tsresol & 0x7f);
  const perSec = tsresol & 0x80 ? 1n << exp : 10n ** exp;
  return (tsNs * perSec) / 1_000_000_000n;
}
