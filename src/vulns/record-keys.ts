/**
 * @module Storage identity of an advisory record. Parsers give each advisory its vulnerability id
 * (the CVE when there is one), so NVD, CVE 5, KEV, EPSS, OSV and every CSAF document naming the
 * same CVE share an id. Stored, each record is keyed by source + document + id instead, and its
 * original id becomes its first alias, so lookups by CVE (aliases) still find all of them.
 */
import type { Advisory } from './model.js';

const CVE = /^CVE-\d{4}-\d{4,}$/i;

export function recordKeyOf(a: Pick<Advisory, 'source' | 'sourceId' | 'id'>): string {
  return a.sourceId === a.id ? `${a.source}:${a.id}` : `${a.source}:${a.sourceId}/${a.id}`;
}

/** The advisory as stored: id = record key, the original id first among the aliases. */
export function toStoredForm(a: Advisory): Advisory {
  const key = recordKeyOf(a);
  if (key === a.id) return a;
  return { ...a, id: key, aliases: [...new Set([a.id, ...a.aliases])].filter((x) => x !== key) };
}

/** The vulnerability a stored advisory is about: its one CVE, else its original id. */
export function vulnerabilityOfStored(a: Pick<Advisory, 'id' | 'aliases'>): string {
  const cves = new Set<string>();
  for (const id of [a.id, ...a.aliases]) if (CVE.test(id)) cves.add(id.toUpperCase());
  if (cves.size === 1) return [...cves][0]!;
  return a.aliases[0] ?? a.id;
}
