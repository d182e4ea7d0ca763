/**
 * @module CMMS/asset import over HTTP. POST /api/v1/imports takes the export itself as the request
 * body (text/csv, application/json, application/x-ndjson), streamed straight into ImportService
 * (spooled to a private temporary file while its structure is checked, so a broken upload fails
 * at its first bad byte and stores nothing), and answers the import report (devices:import).
 * GET /api/v1/imports/presets lists the column presets and import fields (devices:read).
 */
import type { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { DomainError } from '../../core/index.js';
import { IMPORT_FIELDS, IMPORT_FORMATS, type ImportFormat, type ImportOptions, type ImportService } from '../../inventory/import/index.js';
import type { ApiApp } from '../types.js';

export interface ImportRouteDeps {
  imports: ImportService;
}

/** Largest upload this route accepts; everything else in the API keeps the 1 MiB default. */
export const IMPORT_BODY_LIMIT = 256 * 1024 * 1024;

const MEDIA_TYPES: Record<string, ImportFormat | undefined> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'text/plain': undefined,
  'application/json': 'json',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
};

const Opt = Type.Optional;

const ImportQuery = Type.Object(
  {
    format: Opt(Type.Enum([...IMPORT_FORMATS], { description: 'default: from the content type, else detected from the first bytes' })),
    preset: Opt(Type.String({ pattern: '^[a-z0-9-]{1,64}$', description: 'column preset id (GET /api/v1/imports/presets); default: detected' })),
    map: Opt(Type.String({ maxLength: 4096, description: 'field=Column[,field=Column...] over the preset' })),
    fileName: Opt(Type.String({ pattern: '^[A-Za-z0-9._ -]{1,200}$', description: 'name recorded in provenance ("import:<fileName>")' })),
    dryRun: Opt(Type.Boolean({ description: 'validate and report without storing anything' })),
    batchSize: Opt(Type.Integer({ minimum: 1, maximum: 100000 })),
    delimiter: Opt(Type.Enum([',', ';', 'tab'])),
  },
  { additionalProperties: false },
);

const Rejection = Type.Object(
  {
    row: Type.Integer(),
    line: Opt(Type.Integer()),
    column: Opt(Type.String()),
    field: Opt(Type.String()),
    reason: Type.String(),
    value: Opt(Type.String()),
    pointer: Opt(Type.String()),
  },
  { additionalProperties: false },
);

export const ImportReportSchema = Type.Object(
  {
    file: Type.String(),
    format: Type.Enum([...IMPORT_FORMATS]),
    preset: Type.String(),
    dryRun: Type.Boolean(),
    mapping: Type.Array(Type.Object({ column: Type.String(), field: Type.String() }, { additionalProperties: false })),
    ignoredColumns: Type.Array(Type.String()),
    rowsRead: Type.Integer(),
    imported: Type.Integer(),
    created: Type.Integer(),
    updated: Type.Integer(),
    unchanged: Type.Integer(),
    rejectedCount: Type.Integer(),
    rejected: Type.Array(Rejection, { description: 'the first 1000 rejections in file order; rejectedCount is exact' }),
    bytesRead: Type.Integer(),
    batches: Type.Integer(),
    durationMs: Type.Integer(),
  },
  { additionalProperties: false },
);

const PresetSchema = Type.Object(
  {
    id: Type.String(),
    version: Type.Integer(),
    title: Type.String(),
    description: Type.String(),
    columns: Type.Record(Type.String(), Type.Array(Type.String())),
    dateOrder: Opt(Type.Enum(['mdy', 'dmy'])),
    values: Opt(Type.Record(Type.String(), Type.Record(Type.String(), Type.String()))),
  },
  { additionalProperties: false },
);

const PresetList = Type.Object(
  {
    items: Type.Array(PresetSchema),
    fields: Type.Array(Type.Object({ key: Type.String(), column: Type.String(), description: Type.String() }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

const tags = ['imports'];

export function registerImportRoutes(app: ApiApp, deps: ImportRouteDeps): void {
  // An encapsulated context, so the raw-body parsers and the larger limit apply to this route only.
  void app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(Object.keys(MEDIA_TYPES), (_req, payload, done) => done(null, payload));

    scope.post(
      '/api/v1/imports',
      {
        bodyLimit: IMPORT_BODY_LIMIT,
        config: { permission: 'devices:import' },
        schema: {
          tags,
          summary: 'Import devices from a CMMS/asset export sent as the request body (CSV, JSON, NDJSON)',
          querystring: ImportQuery,
          response: { 200: ImportReportSchema },
        },
      },
      async (req) => {
        const declared = Number(req.headers['content-length']);
        if (Number.isFinite(declared) && declared > IMPORT_BODY_LIMIT) {
          throw new DomainError('import.file_too_large', `the upload is larger than the limit of ${IMPORT_BODY_LIMIT} bytes`, { status: 413 });
        }
        const q: Static<typeof ImportQuery> = req.query;
        const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        const format = q.format ?? MEDIA_TYPES[mediaType];
        const options: ImportOptions = {
          fileName: q.fileName ?? `upload.${format ?? 'dat'}`,
          maxBytes: IMPORT_BODY_LIMIT,
          ...(format ? { format } : {}),
          ...(q.preset ? { preset: q.preset } : {}),
          ...(q.map ? { map: q.map } : {}),
          ...(q.dryRun ? { dryRun: true } : {}),
          ...(q.batchSize ? { batchSize: q.batchSize } : {}),
          ...(q.delimiter ? { delimiter: q.delimiter === 'tab' ? '\t' : q.delimiter } : {}),
        };
        return deps.imports.importFile(req.body as Readable, options, req.actor);
      },
    );

    scope.get(
      '/api/v1/imports/presets',
      { config: { permission: 'devices:read' }, schema: { tags, summary: 'Column presets for common CMMS exports, and the import fields', response: { 200: PresetList } } },
      async () => ({
        items: deps.imports.presets().map((p) => ({
          id: p.id,
          version: p.version,
          title: p.title,
          description: p.description,
          columns: Object.fromEntries(Object.entries(p.columns).map(([k, v]) => [k, [...v]])),
          ...(p.dateOrder ? { dateOrder: p.dateOrder } : {}),
          ...(p.values ? { values: p.values as Record<string, Record<string, string>> } : {}),
        })),
        fields: IMPORT_FIELDS.map((f) => ({ key: f.key, column: f.column, description: f.description })),
      }),
    );
  });
}
