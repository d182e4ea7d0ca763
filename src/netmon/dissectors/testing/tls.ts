/** @module Builders for TLS records and handshake messages (ClientHello, ServerHello, Certificate) used by tests. */
import { ascii, concat, u16be, u24be } from './harness.js';

const ext = (type: number, body: Uint8Array) => concat(u16be(type), u16be(body.length), body);
const u16list = (vals: number[], lenBytes: 1 | 2 = 2) => {
  const body = concat(...vals.map(u16be));
  return concat(lenBytes === 1 ? Uint8Array.of(body.length) : u16be(body.length), body);
};

export interface ClientHelloOptions {
  version?: number;
  ciphers: number[];
  sni?: string;
  alpn?: string[];
  supportedVersions?: number[];
  groups?: number[];
  pointFormats?: number[];
  signatureAlgorithms?: number[];
  /** extra extension types with empty bodies, placed first (e.g. GREASE) */
  extraExtensions?: number[];
}

export function clientHello(o: ClientHelloOptions): Uint8Array {
  const exts: Uint8Array[] = (o.extraExtensions ?? []).map((t) => ext(t, new Uint8Array(0)));
  if (o.sni !== undefined) {
    const name = ascii(o.sni);
    const entry = concat(Uint8Array.of(0), u16be(name.length), name);
    exts.push(ext(0, concat(u16be(entry.length), entry)));
  }
  if (o.groups) exts.push(ext(10, u16list(o.groups)));
  if (o.pointFormats) exts.push(ext(11, concat(Uint8Array.of(o.pointFormats.length), Uint8Array.from(o.pointFormats))));
  if (o.signatureAlgorithms) exts.push(ext(13, u16list(o.signatureAlgorithms)));
  if (o.alpn) {
    const list = concat(...o.alpn.map((p) => concat(Uint8Array.of(p.length), ascii(p))));
    exts.push(ext(16, concat(u16be(list.length), list)));
  }
  if (o.supportedVersions) exts.push(ext(43, u16list(o.supportedVersions, 1)));
  const extBytes = concat(...exts);
  const body = concat(u16be(o.version ?? 0x0303), new Uint8Array(32).fill(7), Uint8Array.of(0), u16list(o.ciphers), Uint8Array.of(1, 0), u16be(extBytes.length), extBytes);
  return handshake(1, body);
}

export function serverHello(o: { version?: number; cipher: number; selectedVersion?: number; alpn?: string; compression?: number }): Uint8Array {
  const exts: Uint8Array[] = [];
  if (o.selectedVersion !== undefined) exts.push(ext(43, u16be(o.selectedVersion)));
  if (o.alpn) {
    const p = concat(Uint8Array.of(o.alpn.length), ascii(o.alpn));
    exts.push(ext(16, concat(u16be(p.length), p)));
  }
  const extBytes = concat(...exts);
  const body = concat(u16be(o.version ?? 0x0303), new Uint8Array(32).fill(9), Uint8Array.of(0), u16be(o.cipher), Uint8Array.of(o.compression ?? 0), u16be(extBytes.length), extBytes);
  return handshake(2, body);
}

export function certificateMessage(ders: Uint8Array[]): Uint8Array {
  const list = concat(...ders.map((d) => concat(u24be(d.length), d)));
  return handshake(11, concat(u24be(list.length), list));
}

export const handshake = (type: number, body: Uint8Array) => concat(Uint8Array.of(type), u24be(body.length), body);

/** wraps `payload` in records of at most `maxFragment` bytes */
export function records(type: number, payload: Uint8Array, maxFragment = 16384, version = 0x0303): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < payload.length || (i === 0 && payload.length === 0); i += maxFragment) {
    const frag = payload.subarray(i, i + maxFragment);
    parts.push(concat(Uint8Array.of(type), u16be(version), u16be(frag.length), frag));
    if (payload.length === 0) break;
  }
  return concat(...parts);
}

/**
 * Self-signed P-256 certificate "CN=infusion-07.ward3.example, O=Acme Medical", valid 2020-01-01 to
 * 2021-01-01, made for these tests with `openssl ca -selfsign -startdate 20200101000000Z -enddate 20210101000000Z`.
 */
export const EXPIRED_CERT_DER = Buffer.from(
  'MIIBYDCCAQUCAhAAMAoGCCqGSM49BAMCMDsxIjAgBgNVBAMMGWluZnVzaW9uLTA3LndhcmQzLmV4YW1wbGUxFTATBgNVBAoMDEFjbWUgTWVkaWNhbDAeFw0yMDAxMDEwMDAwMDBaFw0yMTAxMDEwMDAwMDBaMDsxIjAgBgNVBAMMGWluZnVzaW9uLTA3LndhcmQzLmV4YW1wbGUxFTATBgNVBAoMDEFjbWUgTWVkaWNhbDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABEZ1UKYLUxn3yrJjsNyIIJcD4BdAbOQ7Pdi9csFx4uwS3HqaqdLcEbpoKnSlhGhCnB2c4rR3XdDG/kKf8jnUf9gwCgYIKoZIzj0EAwIDSQAwRgIhAPOSHsejalu36LCwBCEc/IqxAFdOM6IQNlFtN1QiqvO3AiEAxUgVu6yTVgK+TxZRxEBOPLzF/9TvWa57C0LYBZu89Ug=',
  'base64',
);
