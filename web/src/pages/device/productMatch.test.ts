import { describe, expect, it } from 'vitest';
import type { Product } from '../../api/vulns.js';
import { deviceProductVersion, looseName, matchDeviceProduct } from './productMatch.js';

const product = (id: string, manufacturer: string, name: string, version: string, normalized: [string, string] = [manufacturer.toLowerCase(), name.toLowerCase()]): Product => ({
  id,
  manufacturer,
  name,
  version,
  normalizedVendor: normalized[0],
  normalizedProduct: normalized[1],
  origin: 'inventory',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});

describe('matchDeviceProduct', () => {
  const products = [
    product('p1', 'Hospira', 'Plum A+', '13.42', ['hospira', 'plum a']),
    product('p2', 'Hospira', 'Plum A+', '15.10', ['hospira', 'plum a']),
    product('p3', 'Hospira', 'Plum 360', '13.42'),
    product('p4', 'BD', 'Plum A+', '13.42'),
  ];

  it('picks the product with the same manufacturer, model and firmware version', () => {
    const m = matchDeviceProduct({ manufacturer: 'Hospira', model: 'Plum A+', firmwareVersion: '13.42' }, products);
    expect(m.product?.id).toBe('p1');
    expect(m.otherVersions.map((p) => p.id)).toEqual(['p2']);
  });

  it('ignores case, punctuation and spacing, and accepts the normalized names', () => {
    expect(matchDeviceProduct({ manufacturer: 'HOSPIRA ', model: 'plum  a', firmwareVersion: '13.42' }, products).product?.id).toBe('p1');
    const sbomSpelled = [product('s1', 'GE HealthCare Technologies', 'CARESCAPE B450', '2.0', ['ge healthcare', 'carescape b450'])];
    expect(matchDeviceProduct({ manufacturer: 'GE Healthcare', model: 'Carescape B450', firmwareVersion: '2.0' }, sbomSpelled).product?.id).toBe('s1');
  });

  it('falls back to the software version when the device has no firmware version', () => {
    expect(deviceProductVersion({ softwareVersion: ' 15.10 ' })).toBe('15.10');
    expect(matchDeviceProduct({ manufacturer: 'Hospira', model: 'Plum A+', softwareVersion: '15.10' }, products).product?.id).toBe('p2');
  });

  it('reports no match, with the tracked versions, when the device runs an untracked version', () => {
    const m = matchDeviceProduct({ manufacturer: 'Hospira', model: 'Plum A+', firmwareVersion: '99' }, products);
    expect(m.product).toBeUndefined();
    expect(m.otherVersions.map((p) => p.id)).toEqual(['p1', 'p2']);
  });

  it('matches nothing for a device without manufacturer or model', () => {
    expect(matchDeviceProduct({ model: 'Plum A+', firmwareVersion: '13.42' }, products)).toEqual({ otherVersions: [] });
    expect(matchDeviceProduct({ manufacturer: 'Hospira', firmwareVersion: '13.42' }, products)).toEqual({ otherVersions: [] });
  });

  it('never matches on empty names after punctuation is removed', () => {
    expect(looseName('+++')).toBe('');
    expect(matchDeviceProduct({ manufacturer: '+', model: '+', firmwareVersion: '' }, [product('x', '-', '-', '')]).product).toBeUndefined();
  });
});
