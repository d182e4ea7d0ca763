// Builds the server and dashboard when dist/ is missing or older than the sources, so that
// `npm install && npm start` works on a fresh clone and after a `git pull`.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const newest = (dir) => {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
};

const serverStale = !existsSync('dist/cli/main.js') || newest('src') > newest('dist');
const webStale = !existsSync('web/dist/index.html') || Math.max(newest('web/src'), statSync('web/index.html').mtimeMs) > newest('web/dist');
if (serverStale) {
  console.error('building server (tsc)...');
  execSync('npm run build:server', { stdio: 'inherit' });
}
if (webStale) {
  console.error('building dashboard (vite)...');
  execSync('npm run build:web', { stdio: 'inherit' });
}
