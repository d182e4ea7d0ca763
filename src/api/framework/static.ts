/**
 * @module Serves the built dashboard. Files under the web root are served as they are; any other
 * GET outside /api returns index.html so client-side routes survive a reload. These routes are
 * public: the single-page shell carries no data; everything it shows comes from the API.
 */
import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../core/index.js';

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export async function installDashboard(app: FastifyInstance, webRoot: string): Promise<void> {
  const root = resolve(webRoot);
  await app.register(fastifyStatic, { root, serve: false, index: false, dotfiles: 'deny', cacheControl: false });
  app.get('/*', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    const path = (req.params as { '*': string })['*'];
    if (req.url.startsWith('/api/') || req.url === '/api') throw notFound('route', req.url.split('?')[0] ?? req.url);
    const full = resolve(root, path);
    const inside = full === root || full.startsWith(root + sep);
    if (inside && path !== '' && !path.split('/').some((s) => s.startsWith('.')) && (await isFile(full))) {
      // hashed build assets never change; index.html must be revalidated so a new build is picked up
      const immutable = path.startsWith('assets/');
      return reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache').sendFile(path);
    }
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html');
  });
}
