import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/index.js';
import { createDevice } from './merge.js';
import type { DeviceQuery } from './model.js';
import { resolveDeviceQuery, searchTextOf } from './query.js';
import { normalizeReport } from './report.js';

describe('resolveDeviceQuery', () => {
  it('applies defaults: name order ascending, 50 per page', () => {
    expect(resolveDeviceQuery({})).toEqual({ words: [], category: [], manufacturer: [], criticality: [], status: [], sort: 'name', order: 'asc', limit: 50 });
  });

  it('splits text into lower-case words and resolves category names and manufacturer aliases', () => {
    const q = resolveDeviceQuery({ text: '  Pump  ICU pump ', category: ['IV pump', 'ventilator'], manufacturer: ['GE Medical Systems', 'Acme'] });
    expect(q.words).toEqual(['pump', 'icu']);
    expect(q.category).toEqual(['infusion-pump', 'ventilator']);
    expect(q.manufacturer).toEqual(['GE Healthcare', 'Acme']);
  });

  it('keeps SQL metacharacters in search words as typed', () => {
    expect(resolveDeviceQuery({ text: "'; DROP TABLE devices; -- %_" }).words).toEqual(["';", 'drop', 'table', 'devices;', '--', '%_']);
  });

  it.each<[string, DeviceQuery, string]>([
    ['a limit of 0', { limit: 0 }, 'limit'],
    ['a limit over 200', { limit: 201 }, 'limit'],
    ['an unknown category', { category: ['toaster'] }, 'category'],
    ['an unknown criticality', { criticality: ['urgent' as never] }, 'criticality'],
    ['an unknown status', { status: ['lost' as never] }, 'status'],
    ['an unknown sort', { sort: 'colour' as never }, 'sort'],
    ['too many words', { text: 'a b c d e f g h i' }, 'q'],
  ])('rejects %s with a 400 naming the parameter', (_what, query, field) => {
    let error: unknown;
    try {
      resolveDeviceQuery(query);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).status).toBe(400);
    expect((error as DomainError).details).toMatchObject({ field });
  });
});

describe('searchTextOf', () => {
  it('covers attributes, category label and every network identity, MACs also without separators', () => {
    const { device } = createDevice(
      'dev_X',
      normalizeReport(
        {
          attributes: { name: 'CT Room 1', category: 'CT', manufacturer: 'GE', model: 'Revolution', serialNumber: 'SN-77', site: 'North' },
          network: { macs: ['00:1A:2B:3C:4D:5E'], ips: ['10.2.3.4'], hostnames: ['ct1.local'], aeTitles: ['CT_ROOM1'], hl7Applications: ['RIS^MAIN'] },
          provenance: { source: 's', kind: 'import', confidence: 1, observedAt: '2024-01-01T00:00:00Z' },
        },
        0,
      ),
      '2024-01-01T00:00:00.000Z',
    );
    const text = searchTextOf(device);
    for (const part of ['ct room 1', 'ct-scanner', 'ct scanner', 'ge healthcare', 'revolution', 'sn-77', 'north', '00:1a:2b:3c:4d:5e', '001a2b3c4d5e', '10.2.3.4', 'ct1.local', 'ct_room1', 'ris^main']) {
      expect(text).toContain(part);
    }
    expect(text).toBe(text.toLowerCase());
  });
});
