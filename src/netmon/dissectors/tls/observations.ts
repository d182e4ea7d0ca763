/**
 * @module Observation fields and wire findings for TLS hellos and certificates: version and cipher
 * judgements (legacy versions, weak ciphers, compression), fingerprints, and certificate validity at
 * capture time.
 */
import type { Micros, WireFinding } from '../../model.js';
import { hex4 } from '../support/text.js';
import type { CertificateSummary } from './certificate.js';
import { cipherSuiteName, cipherWeakness } from './cipher-suites.js';
import { ja3, ja3s, ja4 } from './fingerprints.js';
import type { ClientHello, ServerHello } from './hello.js';
import { isGrease, legacySeverity, versionName } from './versions.js';

const MAX_LISTED_CIPHERS = 64;

const suite = (code: number) => ({ code: code > 0xffff ? code.toString(16).padStart(6, '0') : hex4(code), name: cipherSuiteName(code) ?? null });

export function clientHelloObservation(h: ClientHello, recordVersion: number | null): { fields: Record<string, unknown>; findings: WireFinding[] } {
  const versions = h.supportedVersions.filter((v) => !isGrease(v));
  const maxVersion = versions.length > 0 ? Math.max(...versions) : h.legacyVersion;
  const ciphers = h.ciphers.filter((c) => !isGrease(c));
  const weak = ciphers.filter((c) => cipherWeakness(c) !== undefined);
  const findings: WireFinding[] = [];
  const legacy = legacySeverity(maxVersion);
  if (legacy) findings.push({ code: 'tls.legacy-version', severity: legacy, message: `TLS client offers at most ${versionName(maxVersion)}` });
  if (weak.length > 0) {
    findings.push({ code: 'tls.weak-cipher-offered', severity: 'low', message: `TLS client offers ${weak.length} weak cipher suite(s), e.g. ${cipherSuiteName(weak[0] as number)}` });
  }
  const j3 = h.format === 'tls' ? ja3(h) : undefined;
  const j4 = h.format === 'tls' ? ja4(h) : undefined;
  return {
    fields: {
      format: h.format,
      recordVersion: recordVersion === null ? null : versionName(recordVersion),
      clientVersion: versionName(h.legacyVersion),
      supportedVersions: versions.map(versionName),
      maxVersion: versionName(maxVersion),
      sni: h.sni ?? null,
      alpn: h.alpn,
      cipherSuites: ciphers.slice(0, MAX_LISTED_CIPHERS).map(suite),
      cipherSuiteCount: ciphers.length,
      weakCipherSuites: weak.slice(0, MAX_LISTED_CIPHERS).map((c) => cipherSuiteName(c)),
      extensions: h.extensions.filter((e) => !isGrease(e)).map(hex4),
      supportedGroups: h.groups.filter((g) => !isGrease(g)).map(hex4),
      signatureAlgorithms: h.signatureAlgorithms.filter((s) => !isGrease(s)).map(hex4),
      // named one by one rather than spread in: object spread takes V8's slow generic path
      ja3: j3?.ja3 ?? null,
      ja3String: j3?.ja3String ?? null,
      ja4: j4?.ja4 ?? null,
      ja4Raw: j4?.ja4Raw ?? null,
    },
    findings,
  };
}

export function serverHelloObservation(h: ServerHello): { fields: Record<string, unknown>; findings: WireFinding[]; version: number } {
  const version = h.selectedVersion ?? h.legacyVersion;
  const findings: WireFinding[] = [];
  const legacy = legacySeverity(version);
  if (legacy) findings.push({ code: 'tls.legacy-version', severity: legacy, message: `TLS session negotiated ${versionName(version)}` });
  const weak = cipherWeakness(h.cipher);
  const j3s = ja3s(h);
  if (weak) findings.push({ code: 'tls.weak-cipher', severity: weak.severity, message: `TLS session uses ${cipherSuiteName(h.cipher)}: ${weak.reason}` });
  if (h.compression !== 0) findings.push({ code: 'tls.compression', severity: 'medium', message: 'TLS compression is enabled (CRIME)' });
  return {
    version,
    fields: {
      version: versionName(version),
      serverVersion: versionName(h.legacyVersion),
      cipherSuite: suite(h.cipher),
      compression: h.compression,
      alpn: h.alpn ?? null,
      extensions: h.extensions.map(hex4),
      helloRetryRequest: h.helloRetryRequest,
      ja3s: j3s.ja3s,
      ja3sString: j3s.ja3sString,
    },
    findings,
  };
}

export function certificateFindings(chain: readonly CertificateSummary[], ts: Micros, sender: 'server' | 'client'): WireFinding[] {
  const leaf = chain[0];
  if (!leaf || leaf.parseError) return [];
  const findings: WireFinding[] = [];
  const now = ts / 1000;
  const who = `${sender} certificate "${leaf.subjectCN ?? '?'}"`;
  if (leaf.notAfter && Date.parse(leaf.notAfter) < now) {
    findings.push({ code: 'tls.expired-certificate', severity: 'high', message: `${who} expired on ${leaf.notAfter}` });
  }
  if (leaf.notBefore && Date.parse(leaf.notBefore) > now) {
    findings.push({ code: 'tls.certificate-not-yet-valid', severity: 'medium', message: `${who} is not valid before ${leaf.notBefore}` });
  }
  if (leaf.selfSigned) findings.push({ code: 'tls.self-signed-certificate', severity: 'low', message: `${who} is self-signed` });
  if (leaf.keyType === 'rsa' && typeof leaf.keyBits === 'number' && leaf.keyBits < 2048) {
    findings.push({ code: 'tls.weak-key', severity: 'medium', message: `${who} has a ${leaf.keyBits}-bit RSA key` });
  }
  return findings;
}
