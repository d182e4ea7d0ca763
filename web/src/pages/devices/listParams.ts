/**
 * @module The device list's state as it lives in the URL hash query: search text, facet filters, sort
 * and page size. Pure functions so the mapping to API query parameters is obvious and testable.
 */
import { DEVICE_SORT_FIELDS } from '../../api/types.js';
import type { DeviceListQuery, DeviceSortField, SortOrder } from '../../api/types.js';

export const FILTER_KEYS = ['category', 'manufacturer', 'criticality', 'status', 'site', 'unit'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export const PAGE_SIZES = [25, 50, 100] as const;
const DEFAULT_PAGE_SIZE = 50;

export interface DeviceListParams {
  q: string;
  filters: Record<FilterKey, string>;
  sort: DeviceSortField;
  order: SortOrder;
  limit: number;
}

const isSortField = (s: string | null): s is DeviceSortField => s !== null && (DEVICE_SORT_FIELDS as readonly string[]).includes(s);

export function readListParams(query: URLSearchParams): DeviceListParams {
  const filters = {} as Record<FilterKey, string>;
  for (const key of FILTER_KEYS) filters[key] = query.get(key) ?? '';
  const sort = query.get('sort');
  const limit = Number(query.get('limit'));
  return {
    q: query.get('q') ?? '',
    filters,
    sort: isSortField(sort) ? sort : 'name',
    order: query.get('order') === 'desc' ? 'desc' : 'asc',
    limit: (PAGE_SIZES as readonly number[]).includes(limit) ? limit : DEFAULT_PAGE_SIZE,
  };
}

/** Back to URL parameters, leaving defaults out so links stay short. */
export function writeListParams(p: DeviceListParams): Record<string, string | undefined> {
  return {
    q: p.q.trim() || undefined,
    ...p.filters,
    sort: p.sort === 'name' ? undefined : p.sort,
    order: p.order === 'asc' ? undefined : p.order,
    limit: p.limit === DEFAULT_PAGE_SIZE ? undefined : String(p.limit),
  };
}

export function toDeviceQuery(p: DeviceListParams, cursor: string | undefined): DeviceListQuery {
  const query: DeviceListQuery = { sort: p.sort, order: p.order, limit: p.limit, cursor };
  if (p.q.trim()) query.q = p.q.trim();
  for (const key of FILTER_KEYS) if (p.filters[key]) query[key] = p.filters[key];
  return query;
}

export const activeFilterCount = (p: DeviceListParams): number => FILTER_KEYS.filter((k) => p.filters[k] !== '').length;
