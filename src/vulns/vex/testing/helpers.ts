/**
 * @module Test support: read a fixture, parse documents built in tests, and capture the
 * VexParseError a bad document must raise (anything else fails the test).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { VexParseError } from '../errors.js';
import { parseVex } from '../import/parse.js';
import type { VexDocument, VexStatement } from '../model.js';

export const fixturePath = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
export const fixtureText = (name: string): string => readFileSync(fixturePath(name), 'utf8');
export const fixtureJson = (name: string): Record<string, unknown> => JSON.parse(fixtureText(name)) as Record<string, unknown>;

export const parseDoc = (doc: unknown, location = 'test.json'): VexDocument => parseVex(JSON.stringify(doc), location);

export function vexErrorOf(doc: unknown, location = 'test.json'): VexParseError {
  try {
    parseVex(typeof doc === 'string' ? doc : JSON.stringify(doc), location);
  } catch (e) {
    if (e instanceof VexParseError) return e;
    throw e;
  }
  throw new Error('document was accepted');
}

/** The only statement for a vulnerability (fails when there is not exactly one). */
export function only(statements: readonly VexStatement[], vulnerabilityId: string): VexStatement {
  const hits = statements.filter((s) => s.vulnerabilityId === vulnerabilityId);
  if (hits.length !== 1) throw new Error(`expected one statement for ${vulnerabilityId}, found ${hits.length}`);
  return hits[0]!;
}

/** A copy of a fixture with the value at a JSON pointer replaced (undefined deletes it). */
export function withValue(name: string, pointer: string, value: unknown): Record<string, unknown> {
  const doc = fixtureJson(name);
  const tokens = pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = tokens.pop();
  if (last === undefined) throw new Error('pointer must name a member');
  let at: unknown = doc;
  for (const t of tokens) {
    at = (at as Record<string, unknown>)[t];
    if (typeof at !== 'object' || at === null) throw new Error(`${pointer}: ${t} is not a container`);
  }
  const container = at as Record<string, unknown>;
  if (value === undefined) delete container[last];
  else container[last] = value;
  return doc;
}
