import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestServerOptions } from './server.js';

/** Debian's chromium; browsers cannot be downloaded on these machines. */
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

export interface BrowserRig {
  server: TestServer;
  browser: Browser;
  /**
   * A fresh browser profile at desktop size, signed up through the API (its cookie lands in the
   * profile); page errors are logged, dialogs recorded and dismissed. `timezoneId` gives the
   * profile its own time zone (e.g. America/New_York) instead of the test run's UTC.
   */
  newPerson(name: string, discipline: string, opts?: { timezoneId?: string }): Promise<{ page: Page; email: string }>;
  /** Client warnings about server payloads that failed their shared schema (should stay empty). */
  dropped: string[];
  /** Messages of any dialog a page opened (should stay empty: no alert from user content). */
  dialogs: string[];
}

/** The password every browser test person signs up with. */
export const TEST_PASSWORD = 'correct horse battery staple';

/** Builds the client as production serves it, into a fresh folder. */
async function buildClient(outDir: string): Promise<void> {
  const configFile = fileURLToPath(new URL('../../vite.config.ts', import.meta.url));
  // vitest sets NODE_ENV=test, which vite would honour with React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile, build: { outDir, emptyOutDir: true }, logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

/**
 * Declares a suite that runs in a real browser: the client built fresh, the real server serving
 * it on an ephemeral port, and Debian's chromium; all closed afterwards. Without chromium the
 * suite fails when CONSILIUM_REQUIRE_BROWSER=1 (as in CI) and is otherwise skipped, saying why.
 */
export function describeInBrowser(title: string, body: (rig: () => BrowserRig) => void, serverOptions: TestServerOptions = {}): void {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CONSILIUM_REQUIRE_BROWSER === '1') {
      describe(title, () => {
        it('needs chromium', () => {
          throw new Error(`CONSILIUM_REQUIRE_BROWSER=1 but ${CHROMIUM} is missing: apt-get install -y chromium`);
        });
      });
      return;
    }
    const reason = `${title} — SKIPPED: ${CHROMIUM} not found (apt-get install chromium)`;
    console.warn(reason);
    describe.skip(reason, () => it('runs in chromium', () => undefined)); // skipped: the reason is its name
    return;
  }
  describe(title, () => {
    let outDir: string | undefined;
    let rig: BrowserRig | undefined;
    const contexts: BrowserContext[] = [];
    beforeAll(async () => {
      outDir = mkdtempSync(join(tmpdir(), 'consilium-client-'));
      await buildClient(outDir);
      const server = await startTestServer({ ...serverOptions, clientDir: outDir });
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
      const dropped: string[] = [];
      const dialogs: string[] = [];
      const newPerson = async (name: string, discipline: string, opts: { timezoneId?: string } = {}) => {
        const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}) });
        contexts.push(ctx);
        const page = await ctx.newPage();
        page.on('pageerror', (err) => console.error('[page error]', err.message));
        page.on('console', (m) => {
          if (m.type() === 'warning' && m.text().includes('dropped')) dropped.push(m.text());
        });
        page.on('dialog', (d) => {
          dialogs.push(d.message());
          void d.dismiss();
        });
        const email = `${name.split(' ')[0]!.toLowerCase()}-${randomUUID().slice(0, 8)}@example.org`;
        const res = await page.request.post(`${server.url}/api/auth/signup`, { data: { email, password: TEST_PASSWORD, name, discipline } });
        expect(res.status()).toBe(201);
        return { page, email };
      };
      rig = { server, browser, newPerson, dropped, dialogs };
    }, 120_000);
    afterAll(async () => {
      for (const ctx of contexts) await ctx.close().catch(() => undefined);
      await rig?.browser.close();
      await rig?.server.close();
      if (outDir) rmSync(outDir, { recursive: true, force: true });
    });
    body(() => {
      if (!rig) throw new Error('the browser rig has not started');
      return rig;
    });
  });
}
