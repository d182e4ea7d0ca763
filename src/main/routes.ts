/** @module Every capability's API routes, wired to the container's services. */
import { registerAlertRoutes } from '../api/routes/alerts.js';
import { registerAuditRoutes } from '../api/routes/audit.js';
import { registerDeviceRoutes } from '../api/routes/devices.js';
import { registerImportRoutes } from '../api/routes/imports.js';
import type { ApiApp } from '../api/types.js';
import type { Container } from './container.js';

export function apiRoutes(c: Container): Array<(app: ApiApp) => void> {
  return [
    (app) => registerDeviceRoutes(app, { inventory: c.inventory }),
    (app) => registerImportRoutes(app, { imports: c.imports }),
    (app) => registerAlertRoutes(app, { alerts: c.alerts }),
    (app) => registerAuditRoutes(app, { audit: c.audit }),
  ];
}
