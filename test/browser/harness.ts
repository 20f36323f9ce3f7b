/**
 * Browser tests of the sandbox page: each file starts its own sandbox (Zoho simulator, Slack
 * emulator, the real app, the page) on free ports with a temporary data dir, and one headless
 * Chromium (Debian's /usr/bin/chromium through playwright-core) with a fresh profile.
 * Screenshots of each step go to test-artifacts/browser/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { loadConfig } from '../../src/core/config/index.js';
import { createLogger } from '../../src/core/log.js';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';

export const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve('test-artifacts/browser');

/**
 * Whether the browser tests can run here. Without Chromium they are skipped loudly on a
 * developer machine, and fail on CI (CI installs it; a missing browser there is a broken build).
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI)
    throw new Error(`${CHROMIUM} is missing on CI: install it (apt-get install -y chromium)`);
  console.warn(
    `\n!!! BROWSER TESTS SKIPPED: ${CHROMIUM} not found. Install it with: apt-get update && apt-get install -y chromium\n`,
  );
  return false;
}

export interface BrowserSandbox {
  sandbox: RunningSandbox;
  context: BrowserContext;
  page: Page;
  /** App and simulator logs (for failure messages). */
  logs: string[];
  /** Saves a full-page screenshot as test-artifacts/browser/<prefix>-<n>-<name>.png. */
  shot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openBrowserSandbox(prefix: string): Promise<BrowserSandbox> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'territory-browser-'));
  const profileDir = mkdtempSync(path.join(tmpdir(), 'territory-chromium-'));
  // The journeys act as any demo person on any record: open mode, like the e2e flow tests
  // (the access policy's own journeys are test/e2e/access*.test.ts).
  const base = loadConfig({ LOG_LEVEL: 'warn', ACCESS_MODE: 'open' }, { sandbox: true });
  if (!base.ok) throw new Error(base.problems.join('\n'));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const sandbox = await startSandbox({
    config: base.config,
    logger: createLogger('warn', sink),
    dataDir,
    webPort: 0,
    announce: false,
    // Fast jobs and polling so a journey takes a second, not the demo's human pace.
    zoho: { jobDelayMs: 150 },
    pollSchedule: { firstDelayMs: 50, maxDelayMs: 300, recheckDelayMs: 50, timeoutMs: 10_000 },
  });
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1500, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // Below the tests' own timeouts, so a failure names the element it waited for.
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (err) => logs.push(`pageerror: ${err.message}`));
  mkdirSync(ARTIFACTS, { recursive: true });
  let n = 0;
  return {
    sandbox,
    context,
    page,
    logs,
    async shot(name) {
      n += 1;
      const file = path.join(ARTIFACTS, `${prefix}-${String(n).padStart(2, '0')}-${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      await context.close().catch(() => undefined);
      await sandbox.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** Opens the page as `user` in `channel` (ids) and waits until it has loaded the workspace. */
export async function openPage(b: BrowserSandbox, user: string, channel: string): Promise<void> {
  // The page remembers its user and channel in localStorage: set them before it starts.
  await b.page.goto(`${b.sandbox.url}/blank`);
  await b.page.evaluate(
    `localStorage.setItem('sandbox.user', ${JSON.stringify(user)});` +
      `localStorage.setItem('sandbox.channel', ${JSON.stringify(channel)});`,
  );
  await b.page.goto(b.sandbox.url);
  await b.page.waitForSelector('body[data-ready="true"]');
}

/** Types into the message box and sends, as a person would. */
export async function typeInComposer(page: Page, text: string): Promise<void> {
  await page.fill('#composer', text);
  await page.press('#composer', 'Enter');
}

/** Picks the page's user in the "Acting as" switcher. */
export async function actAs(page: Page, user: string): Promise<void> {
  await page.selectOption('#user-switcher', user);
}

/** Selects a channel in the sidebar by id. */
export async function openChannel(page: Page, channel: string): Promise<void> {
  await page.click(`.sidebar [data-channel="${channel}"]`);
  await page.waitForSelector(`.sidebar [data-channel="${channel}"].active`);
}
