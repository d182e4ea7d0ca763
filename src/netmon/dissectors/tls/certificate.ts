/**
 * @module Summarises the certificate chain of a TLS ≤1.2 Certificate handshake message (RFC 5246 7.4.2):
 * subject/issuer CN and O, validity, SANs, key size, self-signed. DER decoding is node:crypto's
 * X509Certificate (OpenSSL), wrapped so a malformed certificate becomes `parseError`, never an exception.
 * Validity is judged at capture time, not at analysis time.
 */
import { X509Certificate, createHash } from 'node:crypto';
import type { ByteReader } from '../support/bytes.js';
import { cleanText } from '../support/text.js';

export const MAX_CHAIN = 8;
export const MAX_CERT_BYTES = 64 * 1024;
const MAX_SANS = 16;

export interface CertificateSummary {
  index: number;
  length: number;
  sha256: string;
  parseError: boolean;
  subjectCN?: string | null;
  subjectO?: string | null;
  issuerCN?: string | null;
  issuerO?: string | null;
  notBefore?: string | null;
  notAfter?: string | null;
  serialNumber?: string;
  subjectAltNames?: string[];
  keyType?: string | null;
  keyBits?: number | null;
  selfSigned?: boolean;
  isCA?: boolean;
}

/** Node renders a name as "C=US\nO=Acme\, Inc.\nCN=host": one attribute per line, specials backslash-escaped */
function attribute(name: string, key: string): string | null {
  for (const line of name.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && line.slice(0, eq) === key) return cleanText(line.slice(eq + 1).replace(/\\(.)/g, '$1'), 128);
  }
  return null;
}

const isoDate = (s: string): string | null => {
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};

export function summarizeCertificate(der: Uint8Array, index: number): CertificateSummary {
  const base: CertificateSummary = { index, length: der.length, sha256: createHash('sha256').update(der).digest('hex'), parseError: false };
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    return { ...base, parseError: true };
  }
  try {
    const key = cert.publicKey;
    return {
      ...base,
      subjectCN: attribute(cert.subject, 'CN'),
      subjectO: attribute(cert.subject, 'O'),
      issuerCN: attribute(cert.issuer, 'CN'),
      issuerO: attribute(cert.issuer, 'O'),
      notBefore: isoDate(cert.validFrom),
      notAfter: isoDate(cert.validTo),
      serialNumber: cleanText(cert.serialNumber, 64),
      subjectAltNames: (cert.subjectAltName ?? '')
        .split(', ')
        .filter((s) => s.length > 0)
        .slice(0, MAX_SANS)
        .map((s) => cleanText(s, 128)),
      keyType: key.asymmetricKeyType ?? null,
      keyBits: key.asymmetricKeyDetails?.modulusLength ?? null,
      selfSigned: cert.subject === cert.issuer && cert.checkIssued(cert),
      isCA: cert.ca,
    };
  } catch {
    // OpenSSL accepted the DER but a field accessor failed (e.g. an unsupported key type)
    return { ...base, parseError: true };
  }
}

/** `r` holds the Certificate message body. */
export function parseCertificateChain(r: ByteReader): { chain: CertificateSummary[]; total: number } {
  const list = r.sub(r.u24be('certificate list length'), 'certificate list');
  const chain: CertificateSummary[] = [];
  let total = 0;
  while (list.remaining > 0) {
    const len = list.u24be('certificate length');
    if (len > MAX_CERT_BYTES) list.fail('too-large', `certificate of ${len} bytes`);
    const der = list.take(len, 'certificate');
    if (chain.length < MAX_CHAIN) chain.push(summarizeCertificate(der, total));
    total++;
  }
  return { chain, total };
}
