/**
 * @module Advisory feed endpoints: the configured sources with the last sync report
 * (vulns:read), and starting a sync now (vulns:import; 202, runs in the background, 409 while one runs).
 */
import { Type } from 'typebox';
import { conflict, invalidInput, type Logger } from '../../../core/index.js';
import { loadFeedConfig, type FeedRunner } from '../../../vulns/feed-runner.js';
import type { ApiApp } from '../../types.js';

export interface FeedRouteDeps {
  feeds: FeedRunner;
  configPath?: string;
  logger: Logger;
}

const tags = ['vulnerabilities'];

export function registerFeedRoutes(app: ApiApp, deps: FeedRouteDeps): void {
  app.get(
    '/api/v1/feeds',
    {
      config: { permission: 'vulns:read' },
      schema: {
        tags,
        summary: 'Configured advisory feeds, whether a sync is running, and the last sync report',
        response: {
          200: Type.Object(
            {
              configured: Type.Boolean(),
              sources: Type.Array(Type.Object({ name: Type.String(), kind: Type.String(), url: Type.Optional(Type.String()), path: Type.Optional(Type.String()), enabled: Type.Boolean() }, { additionalProperties: false })),
              running: Type.Boolean(),
              last: Type.Optional(Type.Unknown()),
            },
            { additionalProperties: false },
          ),
        },
      },
    },
    async () => {
      const config = deps.configPath ? loadFeedConfig(deps.configPath) : undefined;
      const last = deps.feeds.lastResult;
      return {
        configured: config !== undefined,
        sources: (config?.sources ?? []).map((s) => ({ name: s.name, kind: s.kind, ...(s.url ? { url: s.url } : {}), ...(s.path ? { path: s.path } : {}), enabled: s.enabled !== false })),
        running: deps.feeds.isRunning,
        ...(last ? { last } : {}),
      };
    },
  );

  app.post(
    '/api/v1/feeds/sync',
    {
      config: { permission: 'vulns:import' },
      schema: {
        tags,
        summary: 'Start syncing the configured feeds now (runs in the background; GET /api/v1/feeds shows the report)',
        body: Type.Union([Type.Object({ only: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 })) }, { additionalProperties: false }), Type.Null()]),
        response: { 202: Type.Object({ started: Type.Boolean() }, { additionalProperties: false }) },
      },
    },
    async (req, reply) => {
      if (!deps.configPath) throw invalidInput('feed.config_missing', 'no feed configuration: set CAREGUARD_FEEDS (see docs/vulns-feeds.md)');
      if (deps.feeds.isRunning) throw conflict('feed.sync_running', 'a feed sync is already running');
      const config = loadFeedConfig(deps.configPath);
      const only = req.body?.only;
      void deps.feeds.run(config, req.actor, only ? { only } : {}).catch((e: unknown) => deps.logger.error({ err: e }, 'feed sync failed'));
      return reply.code(202).send({ started: true });
    },
  );
}
