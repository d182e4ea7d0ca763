import { describe, expect, it } from 'vitest';
import { checkMapFocus, mapHref, mapParamsFromQuery, mapQueryOf, matchNetmonRoute } from './routes.js';

describe('matchNetmonRoute', () => {
  it('recognises the network page and the map page', () => {
    expect(matchNetmonRoute('/network')).toEqual({ name: 'network' });
    expect(matchNetmonRoute('/network/')).toEqual({ name: 'network' });
    expect(matchNetmonRoute('/network/map')).toEqual({ name: 'network-map' });
  });

  it('leaves other, over-long or malformed paths alone', () => {
    expect(matchNetmonRoute('/devices')).toBeUndefined();
    expect(matchNetmonRoute('/network/other')).toBeUndefined();
    expect(matchNetmonRoute('/network/map/x')).toBeUndefined();
    expect(matchNetmonRoute('/network/%E0%A4%A')).toBeUndefined();
  });
});

describe('map parameters', () => {
  it('reads the focus, hops and window from the address, ignoring empty values', () => {
    expect(mapParamsFromQuery(new URLSearchParams('ip=10.0.0.5&hops=1'))).toEqual({ focus: { kind: 'ip', value: '10.0.0.5' }, hops: 1 });
    expect(mapParamsFromQuery(new URLSearchParams('deviceId=&zone=imaging&from=2024-01-01T00:00:00Z'))).toEqual({ focus: { kind: 'zone', value: 'imaging' }, hops: 0, from: '2024-01-01T00:00:00Z' });
    expect(mapParamsFromQuery(new URLSearchParams('hops=7'))).toEqual({ hops: 0 });
  });

  it('reads a limit from 1 to 2000 and ignores anything else', () => {
    expect(mapParamsFromQuery(new URLSearchParams('ip=10.0.0.5&limit=10')).limit).toBe(10);
    for (const bad of ['0', '2001', '1.5', 'ten', '']) expect(mapParamsFromQuery(new URLSearchParams(`ip=10.0.0.5&limit=${bad}`)).limit).toBeUndefined();
  });

  it('prefers a device over an address over a zone when several are given', () => {
    expect(mapParamsFromQuery(new URLSearchParams('zone=a&ip=10.0.0.1&deviceId=dev_1')).focus).toEqual({ kind: 'deviceId', value: 'dev_1' });
  });

  it('builds the map address and the API query from the same parameters', () => {
    expect(mapHref({ kind: 'ip', value: '10.0.0.5' })).toBe('/network/map?ip=10.0.0.5');
    expect(mapHref({ kind: 'zone', value: 'ICU ward' }, 1, { from: '2024-01-01T00:00:00Z' })).toBe('/network/map?zone=ICU+ward&hops=1&from=2024-01-01T00%3A00%3A00Z');
    expect(mapQueryOf({ focus: { kind: 'deviceId', value: 'dev_1' }, hops: 1 }, 200)).toEqual({ deviceId: 'dev_1', hops: 1, limit: 200 });
    expect(mapQueryOf({ hops: 0 })).toBeUndefined();
    // the address's limit wins over the page default, and re-centred maps keep it with the window
    expect(mapQueryOf({ focus: { kind: 'ip', value: '10.0.0.5' }, hops: 0, limit: 10 }, 200)).toEqual({ ip: '10.0.0.5', hops: 0, limit: 10 });
    expect(mapHref({ kind: 'ip', value: '10.0.0.6' }, 0, { limit: 10, to: '2024-02-01T00:00:00Z' })).toBe('/network/map?ip=10.0.0.6&to=2024-02-01T00%3A00%3A00Z&limit=10');
    // round trip: what mapHref writes, mapParamsFromQuery reads back
    const href = mapHref({ kind: 'ip', value: 'fe80::1' }, 1);
    expect(mapParamsFromQuery(new URLSearchParams(href.split('?')[1]))).toEqual({ focus: { kind: 'ip', value: 'fe80::1' }, hops: 1 });
  });
});

describe('checkMapFocus', () => {
  it('accepts what the map endpoint accepts', () => {
    expect(checkMapFocus('ip', ' 10.40.2.17 ')).toBeUndefined();
    expect(checkMapFocus('ip', 'fe80::1')).toBeUndefined();
    expect(checkMapFocus('deviceId', 'dev_01ABC')).toBeUndefined();
    expect(checkMapFocus('zone', 'ICU ward')).toBeUndefined();
  });

  it('explains an empty or malformed value', () => {
    expect(checkMapFocus('ip', '')).toBe('Enter an IP address.');
    expect(checkMapFocus('ip', 'pacs.local')).toMatch(/IPv4 or IPv6/);
    expect(checkMapFocus('deviceId', 'dev-1/x')).toMatch(/letters, digits and "_"/);
    expect(checkMapFocus('zone', ' ')).toBe('Choose a zone.');
    expect(checkMapFocus('zone', 'z'.repeat(101))).toMatch(/at most 100/);
  });
});
