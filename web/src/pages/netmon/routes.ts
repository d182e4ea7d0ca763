/**
 * @module Routes of the passive-monitoring pages (#/network, #/network/map) and the map's address
 * parameters. App.tsx consults this table for paths the core router does not know, like the
 * vulnerability routes, so these pages plug in without growing router.ts.
 */
import type { MapQuery } from '../../api/netmon.js';

export type NetmonRoute = { name: 'network' } | { name: 'network-map' };

export function matchNetmonRoute(path: string): NetmonRoute | undefined {
  let segments: string[];
  try {
    segments = path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  } catch {
    return undefined; // a malformed %-escape is simply not one of our pages
  }
  const [first, second, ...rest] = segments;
  if (first !== 'network' || rest.length > 0) return undefined;
  if (second === undefined) return { name: 'network' };
  return second === 'map' ? { name: 'network-map' } : undefined;
}

/** What the map is centred on, as the address bar names it. */
export type MapFocus = { kind: 'ip' | 'deviceId' | 'zone'; value: string };

export interface MapParams {
  focus?: MapFocus;
  hops: 0 | 1;
  from?: string;
  to?: string;
  /** most connections drawn (1-2000); the page's default otherwise */
  limit?: number;
}

/** What a re-centred map keeps from the current one besides hops: the time window and the limit. */
export type MapCarry = Pick<MapParams, 'from' | 'to' | 'limit'>;

const FOCUS_KINDS = ['deviceId', 'ip', 'zone'] as const;

/** Reads ?ip=|deviceId=|zone=&hops=&from=&to=; the first focus given wins, empty values count as absent. */
export function mapParamsFromQuery(query: URLSearchParams): MapParams {
  let focus: MapFocus | undefined;
  for (const kind of FOCUS_KINDS) {
    const value = query.get(kind)?.trim();
    if (value) {
      focus = { kind, value };
      break;
    }
  }
  const from = query.get('from')?.trim();
  const to = query.get('to')?.trim();
  const limit = Number(query.get('limit') ?? Number.NaN);
  const validLimit = Number.isInteger(limit) && limit >= 1 && limit <= 2000;
  return { ...(focus ? { focus } : {}), hops: query.get('hops') === '1' ? 1 : 0, ...(from ? { from } : {}), ...(to ? { to } : {}), ...(validLimit ? { limit } : {}) };
}

/** The address of the map page for a focus (hops=0 is the default and left out). */
export function mapHref(focus: MapFocus, hops: 0 | 1 = 0, carry: MapCarry = {}): string {
  const search = new URLSearchParams();
  search.set(focus.kind, focus.value);
  if (hops === 1) search.set('hops', '1');
  if (carry.from) search.set('from', carry.from);
  if (carry.to) search.set('to', carry.to);
  if (carry.limit !== undefined) search.set('limit', String(carry.limit));
  return `/network/map?${search.toString()}`;
}

/** The API query for map parameters, or undefined when nothing is chosen yet. */
/** The API query for map parameters (the address's limit, else `limit`), or undefined when nothing is chosen yet. */
export function mapQueryOf(params: MapParams, limit?: number): MapQuery | undefined {
  if (!params.focus) return undefined;
  const max = params.limit ?? limit;
  return { [params.focus.kind]: params.focus.value, hops: params.hops, ...(max !== undefined ? { limit: max } : {}), ...(params.from ? { from: params.from } : {}), ...(params.to ? { to: params.to } : {}) };
}

const IP_TEXT = /^[0-9A-Fa-f:.]{2,45}$/;
const DEVICE_ID = /^[A-Za-z0-9_]{1,64}$/;

/** The map form's check, matching what GET /netmon/map accepts; undefined when the value is fine. */
export function checkMapFocus(kind: MapFocus['kind'], raw: string): string | undefined {
  const value = raw.trim();
  if (!value) return kind === 'zone' ? 'Choose a zone.' : kind === 'ip' ? 'Enter an IP address.' : 'Enter a device ID.';
  if (kind === 'ip' && !IP_TEXT.test(value)) return 'Enter an IPv4 or IPv6 address, such as 10.40.2.17.';
  if (kind === 'deviceId' && !DEVICE_ID.test(value)) return 'A device ID uses only letters, digits and "_", such as dev_01H….';
  if (kind === 'zone' && value.length > 100) return 'Zone names are at most 100 characters.';
  return undefined;
}
