/** @module GET /healthz: public liveness and readiness probe (checks the database when given a check). */
import { Type } from 'typebox';
import type { ApiApp } from '../types.js';

export interface HealthDeps {
  /** resolves when the database answers; rejects otherwise */
  checkDatabase?: () => Promise<void>;
}

const HealthSchema = Type.Object({ status: Type.Enum(['ok', 'unavailable']) }, { additionalProperties: false });

export function registerHealthRoutes(app: ApiApp, deps: HealthDeps = {}): void {
  app.get(
    '/healthz',
    { config: { public: true }, schema: { tags: ['system'], summary: 'Liveness and database readiness', response: { 200: HealthSchema, 503: HealthSchema } } },
    async (req, reply) => {
      try {
        await deps.checkDatabase?.();
        return { status: 'ok' as const };
      } catch (err) {
        // the reason goes to the log only: probes are public
        req.log.error({ err }, 'health check failed');
        return reply.code(503).send({ status: 'unavailable' as const });
      }
    },
  );
}
