/**
 * @module Device search semantics. A query's text is split on whitespace into words; a device
 * matches when every word occurs, as a literal substring ignoring case, in its searchable text
 * (name, category, manufacturer, model, serial, asset tag, versions, OS, owner, location and every
 * network identity, MACs also without separators). No character is special: "%", "_" and quotes
 * are matched as typed. Filters within one field are alternatives (category=a,b); filters on
 * different fields all apply.
 */
import { invalidInput } from '../core/index.js';
import { isCriticality } from './criticality.js';
import { CRITICALITIES, DEFAULT_PAGE_SIZE, DEVICE_SORT_FIELDS, LIFECYCLE_STATUSES, MAX_PAGE_SIZE, type Device, type DeviceQuery, type DeviceSortField, type LifecycleStatus } from './model.js';
import { canonicalManufacturer } from './normalize.js';
import type { ResolvedDeviceQuery } from './ports.js';
import { getCategory, resolveCategory } from './taxonomy.js';

export const MAX_QUERY_WORDS = 8;
export const MAX_FILTER_VALUES = 50;

const bad = (field: string, message: string, value?: unknown) =>
  invalidInput('device.invalid_query', `${message} (query parameter ${field})`, { location: { pointer: `/${field}` }, details: { field, value } });

export function resolveDeviceQuery(q: DeviceQuery = {}): ResolvedDeviceQuery {
  const text = q.text ?? '';
  if (text.length > 200) throw bad('q', 'search text is longer than 200 characters');
  const words = [...new Set(text.toLowerCase().split(/\s+/).filter((w) => w.length > 0))];
  if (words.length > MAX_QUERY_WORDS) throw bad('q', `search text has more than ${MAX_QUERY_WORDS} words`);
  const limit = q.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw bad('limit', `limit must be an integer from 1 to ${MAX_PAGE_SIZE}`, limit);
  const sort: DeviceSortField = q.sort ?? 'name';
  if (!(DEVICE_SORT_FIELDS as readonly string[]).includes(sort)) throw bad('sort', `sort must be one of ${DEVICE_SORT_FIELDS.join(', ')}`, sort);
  const order = q.order ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw bad('order', 'order must be asc or desc', order);
  const category = list('category', q.category).map((c) => {
    const hit = resolveCategory(c);
    if (!hit) throw bad('category', `category "${c}" is not in the device taxonomy`, c);
    return hit.id;
  });
  const manufacturer = list('manufacturer', q.manufacturer).map((m) => canonicalManufacturer(m) ?? m);
  const criticality = list('criticality', q.criticality).map((c) => {
    if (!isCriticality(c)) throw bad('criticality', `criticality must be one of ${CRITICALITIES.join(', ')}`, c);
    return c;
  });
  const status = list('status', q.status).map((s) => {
    if (!(LIFECYCLE_STATUSES as readonly string[]).includes(s)) throw bad('status', `status must be one of ${LIFECYCLE_STATUSES.join(', ')}`, s);
    return s as LifecycleStatus;
  });
  const resolved: ResolvedDeviceQuery = {
    words,
    category: [...new Set(category)],
    manufacturer: [...new Set(manufacturer)],
    criticality: [...new Set(criticality)],
    status: [...new Set(status)],
    sort,
    order,
    limit,
  };
  for (const field of ['site', 'building', 'unit'] as const) {
    const v = q[field]?.trim();
    if (v) {
      if (v.length > 200) throw bad(field, `${field} is longer than 200 characters`);
      resolved[field] = v;
    }
  }
  if (q.cursor) {
    if (q.cursor.length > 1024) throw bad('cursor', 'cursor is longer than 1024 characters');
    resolved.cursor = q.cursor;
  }
  return resolved;
}

function list(field: string, values: readonly string[] | undefined): string[] {
  const out = (values ?? []).map((v) => v.trim()).filter((v) => v.length > 0);
  if (out.length > MAX_FILTER_VALUES) throw bad(field, `more than ${MAX_FILTER_VALUES} values`);
  return out;
}

/** The lower-cased text a device is searched by; fields are separated by a newline, which no query word contains. */
export function searchTextOf(d: Device): string {
  const parts: string[] = [];
  const add = (v: string | undefined) => {
    if (v) parts.push(v);
  };
  add(d.name);
  if (d.category) {
    add(d.category);
    add(getCategory(d.category)?.label);
  }
  for (const v of [d.manufacturer, d.model, d.serialNumber, d.assetTag, d.firmwareVersion, d.softwareVersion, d.operatingSystem, d.owner, d.site, d.building, d.floor, d.unit, d.room]) add(v);
  for (const mac of d.network.macs) {
    parts.push(mac);
    parts.push(mac.replace(/:/g, ''));
  }
  for (const list of [d.network.ips, d.network.hostnames, d.network.aeTitles, d.network.hl7Applications]) for (const v of list) parts.push(v);
  return parts.join('\n').toLowerCase();
}
