/** @module Every capability's API routes, wired to the container's services. */
import { registerAlertRoutes } from '../api/routes/alerts.js';
import { registerAuditRoutes } from '../api/routes/audit.js';
import { registerDeviceRoutes } from '../api/routes/devices.js';
import { registerImportRoutes } from '../api/routes/imports.js';
import { registerVulnDocumentRoutes } from '../api/routes/vulns/documents.js';
import { registerVulnReadRoutes } from '../api/routes/vulns/read.js';
import { registerRiskRoutes } from '../api/routes/vulns/risk.js';
import { registerFeedRoutes } from '../api/routes/vulns/feeds.js';
import { registerNetmonRoutes } from '../api/routes/netmon.js';
import type { ApiApp } from '../api/types.js';
import type { CaptureWatchStatus } from '../netmon/capture-watch-service.js';
import type { Container } from './container.js';

/** What only the running server has (started after the routes are registered). */
export interface ServerState {
  /** the capture-directory watch's status; undefined when it is not running */
  captureWatch?: () => CaptureWatchStatus | undefined;
}

export function apiRoutes(c: Container, server: ServerState = {}): Array<(app: ApiApp) => void> {
  return [
    (app) => registerDeviceRoutes(app, { inventory: c.inventory }),
    (app) => registerImportRoutes(app, { imports: c.imports }),
    (app) => registerAlertRoutes(app, { alerts: c.alerts }),
    (app) => registerAuditRoutes(app, { audit: c.audit }),
    (app) => registerVulnReadRoutes(app, { vulns: c.vulns.service, queries: c.vulns.queries, triage: c.vulns.triage }),
    (app) => registerVulnDocumentRoutes(app, { vulns: c.vulns.service, repo: c.vulns.repo, vex: c.vulns.vex }),
    (app) => registerRiskRoutes(app, { portfolio: c.vulns.portfolio, vulns: c.vulns.service, vex: c.vulns.vex }),
    (app) => registerNetmonRoutes(app, { netmon: c.netmon, alerts: c.alerts, packets: c.netmonPackets, ...(server.captureWatch ? { captureWatch: server.captureWatch } : {}) }),
    (app) => registerFeedRoutes(app, { feeds: c.vulns.feeds, logger: c.logger, ...(c.config.feedsConfigPath ? { configPath: c.config.feedsConfigPath } : {}) }),
  ];
}
