/**
 * @module Builds the dashboard into web/dist as static files the CareGuard server serves. Nothing is
 * inlined (no data: URIs, no inline scripts) so the server's `default-src 'self'` CSP allows it all.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  publicDir: 'public',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
  },
  server: {
    // `npx vite --config web/vite.config.ts` for UI work against a server on :8080
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
