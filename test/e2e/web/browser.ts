/**
 * @module Launches Debian's Chromium through playwright-core for the dashboard test (Playwright's own
 * browser download does not work here), and records everything the page reports that would mean the
 * UI is broken: console errors, uncaught exceptions, and Content-Security-Policy violations.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, ConsoleMessage, Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CAREGUARD_CHROMIUM'] ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** Why the browser test cannot run here, or undefined when it can. */
export function chromiumUnavailableReason(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  return `${CHROMIUM_PATH} not found (install with: apt-get install -y chromium)`;
}

export interface PageProblem {
  kind: 'console' | 'pageerror' | 'csp';
  text: string;
  url?: string;
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  problems: PageProblem[];
  close(): Promise<void>;
}

/**
 * Failures the app causes on purpose and handles: before sign-in the session probe GET /auth/me answers
 * 401, and the wrong-password attempt answers 401 from /auth/login. Chromium logs each as a console error
 * it cannot be told to suppress; nothing else is excused.
 */
function isExpectedAuthFailure(msg: ConsoleMessage): boolean {
  const url = msg.location().url;
  return (
    /status of 401/.test(msg.text()) && (url.endsWith('/api/v1/auth/me') || url.endsWith('/api/v1/auth/login'))
  );
}

export async function openBrowser(): Promise<BrowserSession> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'careguard-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  const problems: PageProblem[] = [];
  // the page reports CSP violations as DOM events too; record them in case a console line is missed
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`Refused to load (CSP ${e.violatedDirective}) ${e.blockedURI}`);
    });
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (msg) => {
    const text = msg.text();
    if (text.includes('Refused to')) problems.push({ kind: 'csp', text, url: msg.location().url });
    else if (msg.type() === 'error' && !isExpectedAuthFailure(msg)) problems.push({ kind: 'console', text, url: msg.location().url });
  });
  page.on('pageerror', (err) => problems.push({ kind: 'pageerror', text: err.stack ?? err.message }));
  return {
    context,
    page,
    problems,
    close: async () => {
      try {
        await context.close();
      } finally {
        rmSync(userDataDir, { recursive: true, force: true });
      }
    },
  };
}

/** Signs in through the dashboard's login form and waits for the signed-in top bar. */
export async function signIn(page: Page, baseUrl: string, username: string, password: string, wait: { timeout: number }): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.waitForSelector('#login-username', wait);
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  await page.click('button[type="submit"]');
  await page.waitForSelector('[data-testid="current-user"]', wait);
}
