/**
 * @module Parses TLS ClientHello and ServerHello bodies (RFC 8446 4.1.2/4.1.3, RFC 5246 7.4.1) including the
 * extensions needed for SNI, ALPN, supported versions and fingerprints, and the SSLv2-compatible
 * CLIENT-HELLO (RFC 5246 Appendix E.2) that old clients still send.
 */
import { ByteReader } from '../support/bytes.js';
import { printableAscii } from '../support/text.js';

const MAX_LIST = 512;

export interface ClientHello {
  format: 'tls' | 'sslv2-compatible';
  legacyVersion: number;
  ciphers: number[];
  /** extension types in wire order */
  extensions: number[];
  sni?: string;
  alpn: string[];
  /** raw first ALPN protocol, for JA4's non-alphanumeric rule */
  alpnFirstRaw?: Uint8Array;
  supportedVersions: number[];
  groups: number[];
  pointFormats: number[];
  signatureAlgorithms: number[];
  sessionIdLength: number;
}

export interface ServerHello {
  legacyVersion: number;
  cipher: number;
  compression: number;
  extensions: number[];
  selectedVersion?: number;
  alpn?: string;
  helloRetryRequest: boolean;
}

/** SHA-256("HelloRetryRequest"), the fixed random that marks an HRR (RFC 8446 4.1.3) */
const HRR_RANDOM = Uint8Array.from(Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex'));

const isHrrRandom = (random: Uint8Array): boolean => {
  for (let i = 0; i < HRR_RANDOM.length; i++) if (random[i] !== HRR_RANDOM[i]) return false;
  return random.length === HRR_RANDOM.length;
};

function u16List(r: ByteReader, lengthBytes: 1 | 2, what: string, whatLength: string): number[] {
  const len = lengthBytes === 1 ? r.u8(whatLength) : r.u16be(whatLength);
  if (len % 2 !== 0) r.fail('bad-length', `${what} length ${len} is odd`);
  const list = r.sub(len, what);
  const out: number[] = [];
  while (list.remaining > 0) {
    const v = list.u16be(what);
    if (out.length < MAX_LIST) out.push(v);
  }
  return out;
}

function parseClientExtension(type: number, e: ByteReader, hello: ClientHello): void {
  switch (type) {
    case 0x0000: {
      const list = e.sub(e.u16be('server name list length'), 'server name list');
      while (list.remaining > 0) {
        const nameType = list.u8('server name type');
        const name = list.take(list.u16be('server name length'), 'server name');
        if (nameType === 0 && hello.sni === undefined) hello.sni = printableAscii(name, 255);
      }
      break;
    }
    case 0x0010: {
      const list = e.sub(e.u16be('ALPN list length'), 'ALPN list');
      while (list.remaining > 0) {
        const proto = list.take(list.u8('ALPN protocol length'), 'ALPN protocol');
        if (hello.alpn.length === 0) hello.alpnFirstRaw = proto;
        if (hello.alpn.length < 16) hello.alpn.push(printableAscii(proto, 64));
      }
      break;
    }
    case 0x000a:
      hello.groups = u16List(e, 2, 'supported groups', 'supported groups length');
      break;
    case 0x000b: {
      const n = e.u8('point formats length');
      hello.pointFormats = [...e.take(n, 'point formats')].slice(0, MAX_LIST);
      break;
    }
    case 0x000d:
      hello.signatureAlgorithms = u16List(e, 2, 'signature algorithms', 'signature algorithms length');
      break;
    case 0x002b:
      hello.supportedVersions = u16List(e, 1, 'supported versions', 'supported versions length');
      break;
    default:
      break;
  }
}

/** The next extension's body; its error label is only built when the extension is truncated. */
function extensionBody(exts: ByteReader, type: number): ByteReader {
  const len = exts.u16be('extension length');
  return exts.sub(len, len <= exts.remaining ? 'extension' : `extension 0x${type.toString(16)}`);
}

/** `r` holds exactly the handshake body (after the 4-byte handshake header). */
export function parseClientHello(r: ByteReader): ClientHello {
  const legacyVersion = r.u16be('client version');
  r.skip(32, 'random');
  const sessionIdLength = r.u8('session id length');
  if (sessionIdLength > 32) r.fail('bad-length', `session id length ${sessionIdLength}`);
  r.skip(sessionIdLength, 'session id');
  const ciphers = u16List(r, 2, 'cipher suites', 'cipher suites length');
  r.skip(r.u8('compression methods length'), 'compression methods');
  const hello: ClientHello = {
    format: 'tls', legacyVersion, ciphers, extensions: [], alpn: [], supportedVersions: [], groups: [], pointFormats: [], signatureAlgorithms: [], sessionIdLength,
  };
  if (r.remaining === 0) return hello;
  const exts = r.sub(r.u16be('extensions length'), 'extensions');
  while (exts.remaining > 0) {
    const type = exts.u16be('extension type');
    const e = extensionBody(exts, type);
    if (hello.extensions.length < MAX_LIST) hello.extensions.push(type);
    parseClientExtension(type, e, hello);
  }
  return hello;
}

export function parseServerHello(r: ByteReader): ServerHello {
  const legacyVersion = r.u16be('server version');
  const random = r.take(32, 'random');
  r.skip(r.u8('session id length'), 'session id');
  const cipher = r.u16be('cipher suite');
  const compression = r.u8('compression method');
  const hello: ServerHello = { legacyVersion, cipher, compression, extensions: [], helloRetryRequest: isHrrRandom(random) };
  if (r.remaining === 0) return hello;
  const exts = r.sub(r.u16be('extensions length'), 'extensions');
  while (exts.remaining > 0) {
    const type = exts.u16be('extension type');
    const e = extensionBody(exts, type);
    if (hello.extensions.length < MAX_LIST) hello.extensions.push(type);
    if (type === 0x002b) hello.selectedVersion = e.u16be('selected version');
    else if (type === 0x0010) {
      const list = e.sub(e.u16be('ALPN list length'), 'ALPN list');
      hello.alpn = printableAscii(list.take(list.u8('ALPN protocol length'), 'ALPN protocol'), 64);
    }
  }
  return hello;
}

/**
 * SSLv2 CLIENT-HELLO: `r` starts at the message type byte (after the 2-byte record length). Cipher specs are
 * 3 bytes; those with a zero first byte are TLS suites.
 */
export function parseSslv2ClientHello(r: ByteReader): ClientHello {
  if (r.u8('message type') !== 1) r.fail('bad-handshake', 'SSLv2 record is not a CLIENT-HELLO');
  const legacyVersion = r.u16be('client version');
  const specLength = r.u16be('cipher spec length');
  const sessionIdLength = r.u16be('session id length');
  const challengeLength = r.u16be('challenge length');
  if (specLength % 3 !== 0) r.fail('bad-length', `cipher spec length ${specLength} is not a multiple of 3`);
  const specs = r.sub(specLength, 'cipher specs');
  const ciphers: number[] = [];
  while (specs.remaining > 0) {
    const kind = specs.u8('cipher kind');
    const code = specs.u16be('cipher kind');
    if (ciphers.length < MAX_LIST) ciphers.push(kind === 0 ? code : 0x10000 * kind + code);
  }
  r.skip(sessionIdLength, 'session id');
  r.skip(challengeLength, 'challenge');
  return {
    format: 'sslv2-compatible', legacyVersion, ciphers, extensions: [], alpn: [], supportedVersions: [], groups: [], pointFormats: [], signatureAlgorithms: [], sessionIdLength,
  };
}
