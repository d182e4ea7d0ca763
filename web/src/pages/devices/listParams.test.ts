import { describe, expect, it } from 'vitest';
import { activeFilterCount, readListParams, toDeviceQuery, writeListParams } from './listParams.js';

const read = (qs: string) => readListParams(new URLSearchParams(qs));

describe('device list URL parameters', () => {
  it('defaults to name ascending, 50 per page, no filters', () => {
    const p = read('');
    expect(p).toMatchObject({ q: '', sort: 'name', order: 'asc', limit: 50 });
    expect(activeFilterCount(p)).toBe(0);
  });

  it('ignores a sort field, order or page size the API does not offer', () => {
    const p = read('sort=password&order=sideways&limit=100000');
    expect(p).toMatchObject({ sort: 'name', order: 'asc', limit: 50 });
  });

  it('round-trips through the URL and leaves defaults out', () => {
    const p = read('q=pump&category=infusion-pump&sort=lastSeen&order=desc&limit=25');
    const written = writeListParams(p);
    expect(written).toMatchObject({ q: 'pump', category: 'infusion-pump', sort: 'lastSeen', order: 'desc', limit: '25' });
    const again = new URLSearchParams(Object.entries(written).filter((e): e is [string, string] => Boolean(e[1])));
    expect(readListParams(again)).toEqual(p);
    expect(writeListParams(read(''))).toMatchObject({ q: undefined, sort: undefined, order: undefined, limit: undefined });
  });

  it('maps to an API query with only the filters that are set and the cursor', () => {
    const q = toDeviceQuery(read('q=%20icu%20&criticality=life-sustaining'), 'c2');
    expect(q).toEqual({ q: 'icu', criticality: 'life-sustaining', sort: 'name', order: 'asc', limit: 50, cursor: 'c2' });
  });

  it('counts the active facet filters, not the search text', () => {
    expect(activeFilterCount(read('q=x&unit=ICU&status=in-service'))).toBe(2);
  });
});
