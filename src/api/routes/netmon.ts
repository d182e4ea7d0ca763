/**
 * @module Passive monitoring endpoints, registered in this order: capture upload (netmon-upload.ts;
 * netmon:ingest), the read endpoints (netmon-read.ts: captures, conversations, observations, the
 * communication map, detections and zones) and the status of the server's capture-directory watch
 * (netmon-capture-watch.ts); all reads need netmon:read. The packets of a capture (netmon-packets.ts)
 * need netmon:packets. Shared schemas are in netmon-schemas.ts.
 */
import type { AlertService } from '../../alerts/index.js';
import type { CaptureWatchStatus } from '../../netmon/capture-watch-service.js';
import type { PacketEvidenceService } from '../../netmon/extract/index.js';
import type { NetmonService } from '../../netmon/service.js';
import type { ApiApp } from '../types.js';
import { registerCaptureWatchRoute } from './netmon-capture-watch.js';
import { registerNetmonPacketsRoute } from './netmon-packets.js';
import { registerNetmonReadRoutes } from './netmon-read.js';
import { registerNetmonUploadRoute } from './netmon-upload.js';

export { CAPTURE_BODY_LIMIT } from './netmon-upload.js';

export interface NetmonRouteDeps {
  netmon: NetmonService;
  alerts: AlertService;
  packets: PacketEvidenceService;
  /** the server's capture-directory watch (CAREGUARD_NETMON_CAPTURE_DIR); absent or undefined: not running */
  captureWatch?: () => CaptureWatchStatus | undefined;
}

export function registerNetmonRoutes(app: ApiApp, deps: NetmonRouteDeps): void {
  registerNetmonUploadRoute(app, deps.netmon);
  registerNetmonReadRoutes(app, { netmon: deps.netmon, alerts: deps.alerts });
  registerNetmonPacketsRoute(app, deps.packets);
  registerCaptureWatchRoute(app, deps.captureWatch);
}
