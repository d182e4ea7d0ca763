/**
 * @module Normalization shared by every SBOM parser: purl canonicalisation (packageurl-js),
 * CPE checks (hardware part, syntax), version oddity detection and the quality flags a
 * component carries when its identity is weak. Components are never dropped for these.
 */
import { PackageURL } from 'packageurl-js';
import { parseCpe23 } from '../core/versions/index.js';
import type { Component, ComponentFlag } from './model.js';

/** A component before normalization: what a format mapper knows. */
export type ComponentDraft = Omit<Component, 'flags' | 'purl' | 'ecosystem' | 'version'> & { version?: string | undefined };

export interface NormalizedPurl {
  purl?: string;
  ecosystem?: string;
  hasVersion: boolean;
}

/** Canonical purl text, or undefined when the text is not a purl. */
export function normalizePurl(raw: string): NormalizedPurl | undefined {
  try {
    const p = PackageURL.fromString(raw.trim());
    return { purl: p.toString(), ecosystem: p.type, hasVersion: p.version !== undefined && p.version !== null && p.version !== '' };
  } catch {
    // packageurl-js throws plain Errors for every malformed purl; that is a flag, not a failure
    return undefined;
  }
}

const CPE22 = /^cpe:\/[aho]?(?::[^:\s]*){0,6}$/i;

export type CpeClass = 'valid' | 'hardware' | 'invalid';

export function classifyCpe(cpe: string): CpeClass {
  const text = cpe.trim();
  if (/^cpe:2\.3:/i.test(text)) {
    const r = parseCpe23(text);
    if (!r.ok) return 'invalid';
    const part = r.value.part;
    return part.kind === 'value' && part.literal.toLowerCase() === 'h' ? 'hardware' : 'valid';
  }
  if (CPE22.test(text)) return /^cpe:\/h/i.test(text) ? 'hardware' : 'valid';
  return 'invalid';
}

/** SPDX placeholders that mean "no version" */
const NO_VALUE = new Set(['', 'NOASSERTION', 'NONE']);

export function presentVersion(version: string | undefined): string | undefined {
  if (version === undefined) return undefined;
  return NO_VALUE.has(version.trim()) ? undefined : version;
}

/**
 * A version no ecosystem comparator will order sensibly: no digit at all ("latest", "in-dev"),
 * whitespace, range or wildcard characters, or absurd length.
 */
export function isOddVersion(version: string): boolean {
  return version.length > 64 || !/\d/.test(version) || /[^0-9A-Za-z.+~:_-]/.test(version);
}

export function finalizeComponent(draft: ComponentDraft): Component {
  const flags: ComponentFlag[] = [];
  const version = presentVersion(draft.version);
  if (version === undefined) flags.push('empty-version');
  else if (isOddVersion(version)) flags.push('odd-version');

  const out: Component = { ...draft, flags };
  if (version === undefined) delete out.version;
  else out.version = version;

  if (draft.purlRaw !== undefined) {
    const p = normalizePurl(draft.purlRaw);
    if (p === undefined) flags.push('invalid-purl');
    else {
      out.purl = p.purl;
      out.ecosystem = p.ecosystem;
      if (!p.hasVersion) flags.push('purl-without-version');
      if (p.ecosystem === 'generic') flags.push('generic-purl');
    }
  }
  let hardware = false;
  let invalid = false;
  for (const cpe of draft.cpes) {
    const c = classifyCpe(cpe);
    if (c === 'hardware') hardware = true;
    else if (c === 'invalid') invalid = true;
  }
  if (hardware) flags.push('hardware-cpe');
  if (invalid) flags.push('invalid-cpe');
  return out;
}

/** CycloneDX spelling of a hash algorithm name (SPDX writes SHA256, CycloneDX SHA-256). */
export function normalizeHashAlg(alg: string): string {
  const a = alg.trim().toUpperCase();
  const sha = /^SHA-?(1|224|256|384|512)$/.exec(a);
  if (sha) return `SHA-${sha[1]}`;
  const sha3 = /^SHA3-?(224|256|384|512)$/.exec(a);
  if (sha3) return `SHA3-${sha3[1]}`;
  const blake = /^BLAKE2B-?(256|384|512)$/.exec(a);
  if (blake) return `BLAKE2b-${blake[1]}`;
  if (a === 'BLAKE3') return 'BLAKE3';
  return a;
}
