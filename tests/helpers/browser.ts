import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startTestServer, type TestServer, type TestServerOptions } from './server.js';

/** Debian's chromium; browsers cannot be downloaded on these machines. */
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

export interface BrowserRig {
  server: TestServer;
  browser: Browser;
}

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
    beforeAll(async () => {
      outDir = mkdtempSync(join(tmpdir(), 'consilium-client-'));
      await buildClient(outDir);
      const server = await startTestServer({ ...serverOptions, clientDir: outDir });
      rig = { server, browser: await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS }) };
    }, 120_000);
    afterAll(async () => {
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
