/**
 * @module `careguard devices list`: filtered, sorted, paged device listing (the same search as
 * GET /api/v1/devices). Prints a table and the cursor of the next page, or the page as JSON.
 */
import type { Command } from 'commander';
import { invalidInput } from '../../core/errors.js';
import type { InventoryService } from '../../inventory/index.js';
// the model file, not inventory/index.js: registering the command loads no inventory code
import { DEVICE_SORT_FIELDS, MAX_PAGE_SIZE, type Device, type DeviceQuery, type DeviceSortField } from '../../inventory/model.js';
import type { CliContext } from '../context.js';
import { renderTable, writeJson, type Column } from '../render.js';

interface ListFlags {
  q?: string;
  category?: string;
  manufacturer?: string;
  criticality?: string;
  status?: string;
  site?: string;
  building?: string;
  unit?: string;
  sort?: string;
  order?: string;
  limit?: string;
  cursor?: string;
  json?: boolean;
}

const split = (s: string | undefined): string[] | undefined => (s === undefined ? undefined : s.split(',').map((v) => v.trim()).filter((v) => v.length > 0));

export const location = (d: Device): string => [d.site, d.building, d.floor && `floor ${d.floor}`, d.unit, d.room].filter(Boolean).join(' / ');

const COLUMNS: Column<Device>[] = [
  { header: 'ID', value: (d) => d.id, maxWidth: 32 },
  { header: 'NAME', value: (d) => d.name, maxWidth: 28 },
  { header: 'CATEGORY', value: (d) => d.category, maxWidth: 24 },
  { header: 'MANUFACTURER', value: (d) => d.manufacturer, maxWidth: 22 },
  { header: 'MODEL', value: (d) => d.model, maxWidth: 18 },
  { header: 'CRITICALITY', value: (d) => d.criticality },
  { header: 'STATUS', value: (d) => d.status },
  { header: 'LOCATION', value: location, maxWidth: 36 },
  { header: 'LAST SEEN', value: (d) => d.lastSeen.slice(0, 19).replace('T', ' ') },
];

export function toDeviceQuery(flags: ListFlags): DeviceQuery {
  const q: DeviceQuery = {};
  if (flags.q !== undefined) q.text = flags.q;
  const category = split(flags.category);
  const manufacturer = split(flags.manufacturer);
  const criticality = split(flags.criticality);
  const status = split(flags.status);
  if (category) q.category = category;
  if (manufacturer) q.manufacturer = manufacturer;
  // The service checks the values and names the offending option in its error.
  if (criticality) q.criticality = criticality as DeviceQuery['criticality'];
  if (status) q.status = status as DeviceQuery['status'];
  if (flags.site !== undefined) q.site = flags.site;
  if (flags.building !== undefined) q.building = flags.building;
  if (flags.unit !== undefined) q.unit = flags.unit;
  if (flags.sort !== undefined) {
    if (!(DEVICE_SORT_FIELDS as readonly string[]).includes(flags.sort)) throw invalidInput('cli.invalid_option', `--sort must be one of ${DEVICE_SORT_FIELDS.join(', ')}`);
    q.sort = flags.sort as DeviceSortField;
  }
  if (flags.order !== undefined) {
    if (flags.order !== 'asc' && flags.order !== 'desc') throw invalidInput('cli.invalid_option', '--order must be asc or desc');
    q.order = flags.order;
  }
  if (flags.limit !== undefined) {
    const n = Number(flags.limit);
    if (!/^\d+$/.test(flags.limit) || n < 1 || n > MAX_PAGE_SIZE) throw invalidInput('cli.invalid_option', `--limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
    q.limit = n;
  }
  if (flags.cursor !== undefined) q.cursor = flags.cursor;
  return q;
}

export function registerDevicesListCommand(devices: Command, ctx: CliContext<{ inventory: InventoryService }>): void {
  devices
    .command('list')
    .description('list devices matching filters (comma-separated values are alternatives)')
    .option('--q <text>', 'words that must all occur in the device (name, model, serial, MAC, IP, AE title, ...)')
    .option('--category <ids>', 'category ids or names, e.g. infusion-pump,ventilator')
    .option('--manufacturer <names>', 'manufacturers (aliases such as "GE Medical Systems" are resolved)')
    .option('--criticality <levels>', 'life-sustaining, life-supporting, diagnostic, therapeutic-non-critical, non-clinical')
    .option('--status <statuses>', 'lifecycle statuses, e.g. in-service,maintenance')
    .option('--site <site>', 'site')
    .option('--building <building>', 'building')
    .option('--unit <unit>', 'clinical unit')
    .option('--sort <field>', `sort by ${DEVICE_SORT_FIELDS.join(', ')} (default name)`)
    .option('--order <order>', 'asc or desc (default asc)')
    .option('--limit <n>', `devices per page, 1-${MAX_PAGE_SIZE} (default 50)`)
    .option('--cursor <cursor>', 'continue after the page that printed this cursor')
    .option('--json', 'print the page as JSON ({items, nextCursor, total})')
    .action(async (flags: ListFlags) => {
      const query = toDeviceQuery(flags);
      const services = await ctx.open();
      try {
        const page = await services.inventory.search(query);
        if (flags.json) {
          writeJson(ctx.io, page);
          return;
        }
        ctx.io.stdout.write(renderTable(page.items, COLUMNS));
        ctx.io.stdout.write(`${page.items.length} of ${page.total} device${page.total === 1 ? '' : 's'}\n`);
        if (page.nextCursor) ctx.io.stdout.write(`next page: --cursor ${page.nextCursor}\n`);
      } finally {
        await services.close();
      }
    });
}
