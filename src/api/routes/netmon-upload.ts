/**
 * @module Capture upload (netmon:ingest): a pcap/pcapng capture or a Zeek conn.log sent as the raw body,
 * spooled to a private temporary file, then ingested like the CLI does. Its own plugin scope, so the
 * raw-body content types do not reach the other routes.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError } from '../../core/index.js';
import { sniffFlowLogFile } from '../../netmon/index.js';
import type { NetmonService } from '../../netmon/service.js';
import type { ApiApp } from '../types.js';
import { Count, Opt, tags } from './netmon-schemas.js';

export const CAPTURE_BODY_LIMIT = 2 * 1024 * 1024 * 1024;
const MEDIA_TYPES = ['application/vnd.tcpdump.pcap', 'application/octet-stream', 'application/x-pcapng', 'text/plain', 'application/x-ndjson'];

export function registerNetmonUploadRoute(app: ApiApp, netmon: NetmonService): void {
  void app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(MEDIA_TYPES, (_req, payload, done) => done(null, payload));
    scope.post(
      '/api/v1/netmon/captures',
      {
        bodyLimit: CAPTURE_BODY_LIMIT,
        config: { permission: 'netmon:ingest' },
        schema: {
          tags,
          summary: 'Ingest a pcap/pcapng capture or a Zeek conn.log sent as the body: devices into the inventory, findings and detections as alerts, conversations stored',
          querystring: Type.Object({ name: Opt(Type.String({ pattern: '^[A-Za-z0-9._ :-]{1,200}$' })) }, { additionalProperties: false }),
          response: {
            201: Type.Object(
              { captureId: Type.String(), kind: Type.String(), devices: Type.Unknown(), alerts: Type.Unknown(), detections: Count, conversations: Count, packets: Count, flows: Count },
              { additionalProperties: false },
            ),
          },
        },
      },
      async (req, reply) => {
        const declared = Number(req.headers['content-length']);
        if (Number.isFinite(declared) && declared > CAPTURE_BODY_LIMIT) throw new DomainError('netmon.capture_too_large', `the upload is larger than ${CAPTURE_BODY_LIMIT} bytes`, { status: 413 });
        const dir = await mkdtemp(join(tmpdir(), 'cg-capture-'));
        try {
          const file = join(dir, 'upload');
          await pipeline(req.body as Readable, createWriteStream(file, { mode: 0o600 }));
          const kind = (await sniffFlowLogFile(file)) ? 'flow-log' : 'capture';
          const r = await netmon.ingest(file, { kind, name: req.query.name ?? `upload-${new Date().toISOString()}` }, req.actor);
          return reply.code(201).send({
            captureId: r.captureId,
            kind,
            devices: r.devices,
            alerts: r.alerts,
            detections: r.report.detections?.length ?? 0,
            conversations: r.conversations,
            packets: r.report.capture.packets,
            flows: r.report.capture.flows,
          });
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    );
  });
}
