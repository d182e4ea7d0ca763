/**
 * @module Turns one source row (CSV fields or JSON property values, positioned by the plan) into a
 * DeviceReport, or into the list of reasons it is rejected. Every bad cell of a row is reported,
 * not just the first, so one pass over the report fixes the file.
 */
import { identityKeysOf } from '../identity.js';
import type { DeviceAttributes, DeviceReport, NetworkIdentities, Provenance } from '../model.js';
import { MAX_NETWORK_ITEMS } from '../report.js';
import type { FieldSpec } from './fields.js';
import type { ImportPlan, PlannedField } from './mapping.js';
import type { RowRejection } from './model.js';
import {
  checkAeTitle,
  checkDate,
  checkHl7App,
  checkHostname,
  checkIp,
  checkMac,
  checkText,
  criticalityChecker,
  Invalid,
  phiChecker,
  splitList,
  statusChecker,
} from './values.js';

/** Maps a category as written in a source (id or synonym) to a taxonomy id. */
export type CategoryResolver = (raw: string) => string | undefined;

export interface RowConverter {
  /** Returns the report, or undefined after pushing the row's rejections to `rejections`. */
  convert(values: readonly unknown[], plan: ImportPlan, row: number, rejections: (r: RowRejection) => void, extra?: Partial<RowRejection>): DeviceReport | undefined;
}

const MAX_SHOWN = 200;

export function createRowConverter(plan: ImportPlan, categories: CategoryResolver, provenance: Provenance): RowConverter {
  const criticality = criticalityChecker(plan.values.criticality);
  const status = statusChecker(plan.values.status);
  const phi = phiChecker(plan.values.phi);
  const dateOrder = plan.dateOrder;

  const scalar = (spec: FieldSpec, v: string): string | Invalid => {
    switch (spec.kind) {
      case 'text':
        return checkText(v);
      case 'category': {
        const id = categories(v);
        return id ?? new Invalid('unknown category; use a taxonomy id or a known synonym');
      }
      case 'criticality':
        return criticality(v);
      case 'status':
        return status(v);
      case 'phi':
        return phi(v);
      case 'date':
        return checkDate(v, dateOrder);
      default:
        return new Invalid('not a single-valued field');
    }
  };

  const listItem = (spec: FieldSpec, v: string): string | Invalid => {
    switch (spec.kind) {
      case 'mac':
        return checkMac(v);
      case 'ip':
        return checkIp(v);
      case 'hostname':
        return checkHostname(v);
      case 'ae_title':
        return checkAeTitle(v);
      default:
        return checkHl7App(v);
    }
  };

  return {
    convert(values, p, row, reject, extra) {
      const attributes: DeviceAttributes = {};
      let network: Partial<NetworkIdentities> | undefined;
      let bad = false;
      // No per-row closures here: this runs for every row of a 100,000-row file.
      for (const f of p.fields) {
        const spec = f.spec;
        if (spec.network) {
          let items: string[] | undefined;
          for (let c = 0; c < f.indexes.length; c++) {
            const raw = values[f.indexes[c]!];
            const parts = toList(raw, spec.kind === 'ae_title' || spec.kind === 'hl7_app');
            if (parts instanceof Invalid) {
              bad = rejectCell(reject, row, extra, f, c, parts.reason, describe(raw));
              continue;
            }
            for (const part of parts) {
              const checked = listItem(spec, part);
              if (checked instanceof Invalid) bad = rejectCell(reject, row, extra, f, c, checked.reason, part);
              else if (!items) items = [checked];
              else if (!items.includes(checked)) items.push(checked);
            }
          }
          if (items && items.length > MAX_NETWORK_ITEMS) bad = rejectCell(reject, row, extra, f, 0, `more than ${MAX_NETWORK_ITEMS} values`, items.join('|'));
          else if (items) {
            network ??= {};
            network[spec.network] = items;
          }
          continue;
        }
        const raw = values[f.indexes[0]!];
        const v = toScalar(raw);
        if (v === undefined) continue;
        if (v instanceof Invalid) {
          bad = rejectCell(reject, row, extra, f, 0, v.reason, describe(raw));
          continue;
        }
        const checked = scalar(spec, v);
        if (checked instanceof Invalid) bad = rejectCell(reject, row, extra, f, 0, checked.reason, v);
        else {
          (attributes as Record<string, string>)[spec.attribute!] = checked;
        }
      }
      if (bad) return undefined;
      if (identityKeysOf(attributes, { macs: network?.macs ?? [], aeTitles: network?.aeTitles ?? [] }).length === 0) {
        reject({ row, ...extra, reason: 'the row has no identifier: give a serial number, asset tag, MAC address or AE title (placeholders such as "N/A" do not count)' });
        return undefined;
      }
      const report: DeviceReport = { attributes, provenance };
      if (network) report.network = network;
      return report;
    },
  };
}

/** Reports one bad cell; returns true (the row is bad). */
function rejectCell(reject: (r: RowRejection) => void, row: number, extra: Partial<RowRejection> | undefined, f: PlannedField, c: number, reason: string, value: string): true {
  const r: RowRejection = { row, ...extra, column: f.columns[c]!, field: f.spec.key, reason, value: value.length > MAX_SHOWN ? value.slice(0, MAX_SHOWN) + '…' : value };
  if (extra?.pointer !== undefined && f.pointers) r.pointer = extra.pointer + f.pointers[c]!;
  reject(r);
  return true;
}

/** A cell or JSON value as trimmed text; undefined when empty. */
function toScalar(raw: unknown): string | undefined | Invalid {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') {
    const t = raw.trim();
    return t === '' ? undefined : t;
  }
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  if (Array.isArray(raw)) return new Invalid('expected a single value, not a list');
  return new Invalid('expected text, not an object');
}

function toList(raw: unknown, allowSpaces: boolean): string[] | Invalid {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) {
    const out: string[] = [];
    for (const item of raw) {
      const s = toScalar(item);
      if (s instanceof Invalid) return new Invalid('expected a list of text values');
      if (s !== undefined) out.push(s);
    }
    return out;
  }
  const s = toScalar(raw);
  if (s instanceof Invalid) return s;
  return s === undefined ? [] : splitList(s, allowSpaces);
}

function describe(raw: unknown): string {
  return typeof raw === 'string' ? raw : JSON.stringify(raw) ?? String(raw);
}
