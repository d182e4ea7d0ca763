/**
 * @module JSON of feed metadata (provider-metadata.json, ROLIE feeds, NVD pages) parsed with
 * syntax errors turned into feed.invalid naming the URL and character offset.
 */
import { FeedError } from './errors.js';

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseFeedJson(text: string, location: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /position (\d+)/.exec(message);
    throw new FeedError('feed.invalid', `invalid JSON: ${message}`, { location: at ? { file: location, byteOffset: Number(at[1]) } : { file: location } });
  }
}
