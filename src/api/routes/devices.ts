/**
 * @module Device inventory endpoints: search with filters and keyset pagination, facets, read and
 * manual edit of one device (devices:read / devices:write), and the category and criticality
 * taxonomies the dashboard's filters and forms are built from (devices:read).
 */
import { Type, type Static, type TSchema } from 'typebox';
import {
  CRITICALITIES,
  CRITICALITY_LEVELS,
  DEVICE_CATEGORIES,
  DEVICE_SORT_FIELDS,
  LIFECYCLE_STATUSES,
  MAX_PAGE_SIZE,
  DEFAULT_PAGE_SIZE,
  PHI_HANDLING,
  SOURCE_KINDS,
  type Device,
  type DevicePatch,
  type DeviceQuery,
  type InventoryService,
  type Page,
} from '../../inventory/index.js';
import type { ApiApp } from '../types.js';

export interface DeviceRouteDeps {
  inventory: InventoryService;
}

const Text = (maxLength = 512) => Type.String({ maxLength });
const Opt = Type.Optional;

const ProvenanceSchema = Type.Object(
  {
    source: Type.String({ description: 'e.g. "import:cmms.csv", "discovery:dicom", "manual:user_..."' }),
    kind: Type.Enum([...SOURCE_KINDS]),
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
    observedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

const NetworkSchema = Type.Object(
  {
    macs: Type.Array(Type.String()),
    ips: Type.Array(Type.String()),
    hostnames: Type.Array(Type.String()),
    aeTitles: Type.Array(Type.String()),
    hl7Applications: Type.Array(Type.String(), { description: '"APPLICATION^FACILITY" from HL7 MSH-3/MSH-4' }),
  },
  { additionalProperties: false },
);

const TEXT_ATTRIBUTES = ['name', 'category', 'manufacturer', 'model', 'serialNumber', 'assetTag', 'firmwareVersion', 'softwareVersion', 'operatingSystem', 'owner', 'site', 'building', 'floor', 'unit', 'room'] as const;

/** What a list item and a full device share: every attribute, the network identities and the times. */
const DEVICE_SUMMARY_FIELDS = {
  id: Type.String(),
  ...Object.fromEntries(TEXT_ATTRIBUTES.map((a) => [a, Opt(Type.String())])),
  criticality: Opt(Type.Enum([...CRITICALITIES])),
  phiHandling: Opt(Type.Enum([...PHI_HANDLING])),
  status: Opt(Type.Enum([...LIFECYCLE_STATUSES])),
  endOfSupport: Opt(Type.String({ format: 'date' })),
  network: NetworkSchema,
  firstSeen: Type.String({ format: 'date-time' }),
  lastSeen: Type.String({ format: 'date-time' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
};

const DeviceSchema = Type.Object(
  {
    ...DEVICE_SUMMARY_FIELDS,
    provenance: Type.Object(Object.fromEntries([...TEXT_ATTRIBUTES, 'criticality', 'phiHandling', 'status', 'endOfSupport', 'network'].map((a) => [a, Opt(ProvenanceSchema)])), {
      additionalProperties: false,
      description: 'where each attribute value came from; an entry without a value records a manual clear',
    }),
    sources: Opt(Type.Array(Type.String(), { description: 'every source that reported this device, oldest first' })),
  },
  { additionalProperties: false },
);

const DeviceSummarySchema = Type.Object(DEVICE_SUMMARY_FIELDS, {
  additionalProperties: false,
  description: 'a device without its provenance and sources (GET /api/v1/devices/{id}, or fields=full, has them)',
});

/** How much of each device a list page carries. */
const LIST_FIELDS = ['summary', 'full'] as const;
type ListFields = (typeof LIST_FIELDS)[number];

const list = (what: string) => Opt(Type.String({ maxLength: 2000, description: `comma-separated ${what}` }));

const Filters = {
  q: Opt(Type.String({ maxLength: 200, description: 'words that must all occur (literal, case-insensitive substrings)' })),
  category: list('category ids or names'),
  manufacturer: list('manufacturers (aliases are resolved)'),
  criticality: list(`criticalities: ${CRITICALITIES.join(', ')}`),
  status: list(`lifecycle statuses: ${LIFECYCLE_STATUSES.join(', ')}`),
  site: Opt(Text(200)),
  building: Opt(Text(200)),
  unit: Opt(Text(200)),
};

const ListQuery = Type.Object(
  {
    ...Filters,
    sort: Opt(Type.Enum([...DEVICE_SORT_FIELDS])),
    order: Opt(Type.Enum(['asc', 'desc'])),
    limit: Opt(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })),
    cursor: Opt(Type.String({ maxLength: 1024, description: 'nextCursor of the previous page' })),
    fields: Opt(
      Type.Enum([...LIST_FIELDS], {
        default: 'summary',
        description: 'summary: devices without provenance and sources (about a quarter of the bytes); full: each device as GET /api/v1/devices/{id} returns it',
      }),
    ),
  },
  { additionalProperties: false },
);

const FacetQuery = Type.Object(Filters, { additionalProperties: false });

const PageSchema = Type.Object(
  {
    items: Type.Array(Type.Union([DeviceSummarySchema, DeviceSchema]), { description: 'device summaries, or full devices with fields=full' }),
    nextCursor: Opt(Type.String({ description: 'absent on the last page' })),
    total: Type.Integer({ minimum: 0, description: 'exact number of matching devices' }),
  },
  { additionalProperties: false },
);

const FacetList = Type.Array(Type.Object({ value: Type.String(), count: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }));
const FacetsSchema = Type.Object(
  { categories: FacetList, manufacturers: FacetList, criticalities: FacetList, statuses: FacetList, sites: FacetList, units: FacetList },
  { additionalProperties: false, description: 'counts under the other filters; each dimension ignores its own filter' },
);

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_]+$' }) }, { additionalProperties: false });

const Clearable = <T extends TSchema>(t: T) => Opt(Type.Union([t, Type.Null()]));
const NetworkPatch = Type.Object(
  Object.fromEntries(['macs', 'ips', 'hostnames', 'aeTitles', 'hl7Applications'].map((k) => [k, Opt(Type.Array(Type.String({ maxLength: 300 }), { maxItems: 64 }))])),
  { additionalProperties: false, description: 'lists given replace the current ones' },
);
const PatchBody = Type.Object(
  {
    ...Object.fromEntries(TEXT_ATTRIBUTES.map((a) => [a, Clearable(Text())])),
    criticality: Clearable(Type.Enum([...CRITICALITIES])),
    phiHandling: Clearable(Type.Enum([...PHI_HANDLING])),
    status: Clearable(Type.Enum([...LIFECYCLE_STATUSES])),
    endOfSupport: Clearable(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
    network: Opt(NetworkPatch),
  },
  { additionalProperties: false, minProperties: 1, description: 'a value sets the attribute (manual provenance), null clears it' },
);

const CategorySchema = Type.Object(
  { id: Type.String(), label: Type.String(), group: Type.String(), defaultCriticality: Type.Enum([...CRITICALITIES]), typicalPhi: Type.Enum([...PHI_HANDLING]), description: Type.String() },
  { additionalProperties: false },
);
const CriticalitySchema = Type.Object(
  { id: Type.Enum([...CRITICALITIES]), label: Type.String(), rank: Type.Integer(), meaning: Type.String(), response: Type.String(), examples: Type.Array(Type.String()) },
  { additionalProperties: false },
);

const split = (s: string | undefined): string[] | undefined => (s === undefined ? undefined : s.split(',').map((v) => v.trim()).filter((v) => v.length > 0));

function toQuery(q: Static<typeof FacetQuery> & Partial<Static<typeof ListQuery>>): DeviceQuery {
  const out: DeviceQuery = {};
  if (q.q !== undefined) out.text = q.q;
  const category = split(q.category);
  const manufacturer = split(q.manufacturer);
  const criticality = split(q.criticality);
  const status = split(q.status);
  if (category) out.category = category;
  if (manufacturer) out.manufacturer = manufacturer;
  // The service validates these values and answers 400 naming the parameter.
  if (criticality) out.criticality = criticality as DeviceQuery['criticality'];
  if (status) out.status = status as DeviceQuery['status'];
  if (q.site !== undefined) out.site = q.site;
  if (q.building !== undefined) out.building = q.building;
  if (q.unit !== undefined) out.unit = q.unit;
  if (q.sort !== undefined) out.sort = q.sort;
  if (q.order !== undefined) out.order = q.order;
  if (q.limit !== undefined) out.limit = q.limit;
  if (q.cursor !== undefined) out.cursor = q.cursor;
  return out;
}

/** A device as a list shows it: without provenance and sources. */
export type DeviceSummary = Omit<Device, 'provenance' | 'sources'>;

/** A device without provenance and sources: what a list shows, at about a quarter of the bytes. */
export function deviceSummary(d: Device): DeviceSummary {
  const { provenance: _provenance, sources: _sources, ...summary } = d;
  return summary;
}

/**
 * The UTF-8 JSON of a page in each projection, encoded once per page object. The repository hands
 * out the same page object while the inventory is unchanged, so repeated searches (a dashboard,
 * several people on one filter) reuse the bytes. Devices carry exactly the schema's fields (the
 * response schema still documents them), so nothing needs filtering out.
 */
function memoizedPageBytes(): (page: Page<Device>, fields: ListFields) => Buffer {
  const done: Record<ListFields, WeakMap<object, Buffer>> = { summary: new WeakMap(), full: new WeakMap() };
  return (page, fields) => {
    let bytes = done[fields].get(page);
    if (bytes === undefined) {
      const body = fields === 'full' ? page : { ...page, items: page.items.map(deviceSummary) };
      bytes = Buffer.from(JSON.stringify(body), 'utf8');
      done[fields].set(page, bytes);
    }
    return bytes;
  };
}

export function registerDeviceRoutes(app: ApiApp, deps: DeviceRouteDeps): void {
  const { inventory } = deps;
  const pageBytes = memoizedPageBytes();

  app.get(
    '/api/v1/devices',
    { config: { permission: 'devices:read' }, schema: { tags: ['devices'], summary: 'Search devices', querystring: ListQuery, response: { 200: PageSchema } } },
    async (req, reply) => {
      const page = await inventory.search(toQuery(req.query));
      // Bytes with a JSON content type are sent as they are; the typed reply only knows the object form.
      return reply.type('application/json; charset=utf-8').send(pageBytes(page, req.query.fields ?? 'summary') as unknown as typeof page);
    },
  );

  app.get(
    '/api/v1/devices/facets',
    { config: { permission: 'devices:read' }, schema: { tags: ['devices'], summary: 'Counts for device filters', querystring: FacetQuery, response: { 200: FacetsSchema } } },
    async (req) => inventory.facets(toQuery(req.query)),
  );

  app.get(
    '/api/v1/devices/:id',
    { config: { permission: 'devices:read' }, schema: { tags: ['devices'], summary: 'Read a device', params: IdParams, response: { 200: DeviceSchema } } },
    async (req) => inventory.get(req.params.id),
  );

  app.patch(
    '/api/v1/devices/:id',
    { config: { permission: 'devices:write' }, schema: { tags: ['devices'], summary: 'Edit a device by hand', params: IdParams, body: PatchBody, response: { 200: DeviceSchema } } },
    async (req) => inventory.update(req.params.id, req.body as DevicePatch, req.actor),
  );

  app.get(
    '/api/v1/taxonomy/categories',
    { config: { permission: 'devices:read' }, schema: { tags: ['devices'], summary: 'Device categories', response: { 200: Type.Array(CategorySchema) } } },
    async () => DEVICE_CATEGORIES.map(({ id, label, group, defaultCriticality, typicalPhi, description }) => ({ id, label, group, defaultCriticality, typicalPhi, description })),
  );

  app.get(
    '/api/v1/taxonomy/criticalities',
    { config: { permission: 'devices:read' }, schema: { tags: ['devices'], summary: 'Clinical criticality levels and their meaning', response: { 200: Type.Array(CriticalitySchema) } } },
    async () => CRITICALITY_LEVELS.map((l) => ({ ...l, examples: [...l.examples] })),
  );
}
