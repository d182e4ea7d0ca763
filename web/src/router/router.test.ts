import { describe, expect, it } from 'vitest';
import { buildHref, matchRoute, parseHash } from './router.js';

describe('parseHash', () => {
  it('treats an empty hash as the root path', () => {
    expect(parseHash('').path).toBe('/');
    expect(parseHash('#').path).toBe('/');
  });

  it('splits the path from the query', () => {
    const loc = parseHash('#/devices?q=pump&criticality=life-sustaining');
    expect(loc.path).toBe('/devices');
    expect(loc.query.get('q')).toBe('pump');
    expect(loc.query.get('criticality')).toBe('life-sustaining');
  });

  it('adds the leading slash a hand-typed hash may lack', () => {
    expect(parseHash('#alerts').path).toBe('/alerts');
  });
});

describe('matchRoute', () => {
  it('sends the root to the device inventory', () => {
    expect(matchRoute('/').name).toBe('devices');
  });

  it('extracts and decodes the device id', () => {
    expect(matchRoute('/devices/dev%2F01')).toEqual({ name: 'device', params: { id: 'dev/01' } });
  });

  it('recognises the login and alerts pages', () => {
    expect(matchRoute('/login').name).toBe('login');
    expect(matchRoute('/alerts').name).toBe('alerts');
  });

  it('reports unknown or over-long paths as not found', () => {
    expect(matchRoute('/nope').name).toBe('not-found');
    expect(matchRoute('/devices/a/b').name).toBe('not-found');
    expect(matchRoute('/alerts/x').name).toBe('not-found');
  });
});

describe('buildHref', () => {
  it('drops empty and undefined parameters', () => {
    expect(buildHref('/devices', { q: '', sort: undefined, unit: 'ICU' })).toBe('/devices?unit=ICU');
    expect(buildHref('/devices', {})).toBe('/devices');
  });

  it('encodes values so they survive a round trip through parseHash', () => {
    const href = buildHref('/devices', { q: 'a&b=c #1' });
    expect(parseHash(`#${href}`).query.get('q')).toBe('a&b=c #1');
  });
});
