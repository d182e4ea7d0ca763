/**
 * @module Typed reads from parsed JSON (`unknown`), so mappers never cast blindly.
 */
import { createHash } from 'node:crypto';

export type JsonObject = Record<string, unknown>;

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export const getString = (o: JsonObject, key: string): string | undefined => {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
};

export const getArray = (o: JsonObject, key: string): unknown[] => {
  const v = o[key];
  return Array.isArray(v) ? v : [];
};

export const getObject = (o: JsonObject, key: string): JsonObject | undefined => {
  const v = o[key];
  return isObject(v) ? v : undefined;
};

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Unique, order-preserving. */
export const uniq = (values: Iterable<string>): string[] => [...new Set(values)];
