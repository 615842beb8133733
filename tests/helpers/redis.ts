import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { accepts, findOnPath, freePort } from './processes.js';

export interface TestRedis {
  url: string;
  port: number;
  /** Kills the server at once (SIGKILL, like a crash) and waits for it to be gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty (nothing is saved). */
  start(): Promise<void>;
  /** Stops it for good and removes its folder. */
  close(): Promise<void>;
}

/**
 * Starts a throwaway redis-server on a free loopback port: no persistence, not daemonized, its
 * working folder a temporary one. Never a system service.
 */
export async function startRedis(binary: string): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'consilium-redis-'));
  let child: ChildProcess | null = null;
  let output = '';

  const start = async () => {
    output = '';
    const proc = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 10_000;
    while (!(await accepts(port))) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}: ${output.slice(-500)}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not accept connections on port ${port}: ${output.slice(-500)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const kill = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    start,
    async close() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Declares a suite that needs a real redis-server: one is started on a free loopback port
 * before it and stopped after it. Without the binary the suite fails when
 * CONSILIUM_REQUIRE_REDIS=1 (as in CI) and is otherwise skipped, saying why in its name.
 */
export function describeWithRedis(title: string, body: (redis: () => TestRedis) => void): void {
  const binary = findOnPath('redis-server');
  if (!binary) {
    if (process.env.CONSILIUM_REQUIRE_REDIS === '1') {
      describe(title, () => {
        it('needs redis-server', () => {
          throw new Error('CONSILIUM_REQUIRE_REDIS=1 but no redis-server is on PATH: apt-get install -y redis-server');
        });
      });
      return;
    }
    const reason = `${title} — SKIPPED: no redis-server on PATH (apt-get install redis-server)`;
    console.warn(reason);
    describe.skip(reason, () => it('runs against redis-server', () => undefined)); // skipped: the reason is its name
    return;
  }
  describe(title, () => {
    let redis: TestRedis | undefined;
    beforeAll(async () => {
      redis = await startRedis(binary);
    });
    afterAll(async () => {
      await redis?.close();
    });
    // Nested so that its hooks run inside ours: Redis is up before the servers start and stops after they close.
    describe('with Redis', () =>
      body(() => {
        if (!redis) throw new Error('redis-server has not started yet');
        return redis;
      }));
  });
}
