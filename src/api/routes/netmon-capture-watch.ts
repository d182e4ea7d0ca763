/**
 * @module The status of the server's capture-directory watch (CAREGUARD_NETMON_CAPTURE_DIR; netmon:read):
 * `{ enabled: false }` when it is not running.
 */
import { Type } from 'typebox';
import type { CaptureWatchStatus } from '../../netmon/capture-watch-service.js';
import type { ApiApp } from '../types.js';
import { Count, Iso, Opt, tags } from './netmon-schemas.js';

const CaptureWatchSchema = Type.Union([
  Type.Object({ enabled: Type.Literal(false) }, { additionalProperties: false }),
  Type.Object(
    {
      enabled: Type.Literal(true),
      directory: Type.String(),
      state: Type.Union([Type.Literal('watching'), Type.Literal('ingesting'), Type.Literal('stopped'), Type.Literal('error')]),
      startedAt: Iso,
      filesIngested: Count,
      filesSkipped: Count,
      filesFailed: Count,
      packetsIngested: Count,
      filesWaiting: Count,
      currentFile: Opt(Type.Object({ path: Type.String(), since: Iso }, { additionalProperties: false })),
      lastFile: Opt(
        Type.Object(
          { path: Type.String(), outcome: Type.Union([Type.Literal('ingested'), Type.Literal('skipped'), Type.Literal('failed')]), captureId: Opt(Type.String()), at: Iso },
          { additionalProperties: false },
        ),
      ),
      lastError: Opt(Type.Object({ code: Type.String(), message: Type.String(), at: Iso, file: Opt(Type.String()) }, { additionalProperties: false })),
      retryAt: Opt(Iso),
    },
    { additionalProperties: false },
  ),
]);

/** `status`: the watch's status, undefined while it is not running (absent: never started) */
export function registerCaptureWatchRoute(app: ApiApp, status?: () => CaptureWatchStatus | undefined): void {
  app.get(
    '/api/v1/netmon/capture-watch',
    {
      config: { permission: 'netmon:read' },
      schema: {
        tags,
        summary: "The server's capture-directory watch (CAREGUARD_NETMON_CAPTURE_DIR): state, files ingested, skipped and failed since start, the last file and the last error",
        response: { 200: CaptureWatchSchema },
      },
    },
    async () => status?.() ?? { enabled: false as const },
  );
}
