/**
 * @module TLS/SSL protocol version names, which versions are legacy (RFC 8996 deprecates TLS 1.0/1.1;
 * SSL 2/3 are broken), and GREASE values (RFC 8701) that fingerprints must ignore.
 */
import type { Severity } from '../../model.js';

export function versionName(v: number): string {
  switch (v) {
    case 0x0002:
    case 0x0200:
      return 'SSLv2';
    case 0x0300:
      return 'SSLv3';
    case 0x0301:
      return 'TLSv1.0';
    case 0x0302:
      return 'TLSv1.1';
    case 0x0303:
      return 'TLSv1.2';
    case 0x0304:
      return 'TLSv1.3';
    default:
      return `0x${v.toString(16).padStart(4, '0')}`;
  }
}

/** Severity of using `v`, or undefined when it is current (TLS 1.2/1.3) or unknown. */
export function legacySeverity(v: number): Severity | undefined {
  if (v === 0x0002 || v === 0x0200 || v === 0x0300) return 'high';
  if (v === 0x0301 || v === 0x0302) return 'medium';
  return undefined;
}

/** RFC 8701: 0x0a0a, 0x1a1a, ... 0xfafa */
export const isGrease = (v: number): boolean => (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);
