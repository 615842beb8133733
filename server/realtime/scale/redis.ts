import { createAdapter } from '@socket.io/redis-adapter';
import { Redis, type RedisOptions } from 'ioredis';
import { describeError, type Logger } from '../../log.js';
import type { ScaleOut } from './index.js';
import { RedisDocumentBus } from './redis-bus.js';
import { redisLimiters } from './redis-limiter.js';

/** How long the first connection may take before the server refuses to start. */
const FIRST_CONNECTION_MS = 10_000;

/**
 * Opens the three Redis connections one process needs (a publisher shared by Socket.io and the
 * documents, and one subscriber each) and builds the Socket.io adapter and the document bus on
 * them. Resolves once Redis has answered; a Redis outage later degrades to this process's own
 * clients and heals on reconnection (see docs/DECISIONS.md, "Scale-out").
 */
export async function connectRedis(url: string, log: Logger): Promise<ScaleOut> {
  let closing = false;
  const reconnected: (() => void)[] = [];
  const open = (role: string, options: RedisOptions): Redis => {
    const client = new Redis(url, { connectionName: `consilium-${role}`, ...options });
    reportHealth(client, role, log, () => closing, role === 'sockets-sub' ? () => reconnected.forEach((f) => f()) : undefined);
    return client;
  };
  // A publish while Redis is unreachable fails at once instead of waiting in a queue: Socket.io
  // then still serves this process's own sockets, and documents reconcile on reconnection.
  const pub = open('pub', { enableOfflineQueue: false });
  // Subscriptions wait for the reconnection however long it takes; ioredis then renews them.
  const socketsSub = open('sockets-sub', { maxRetriesPerRequest: null });
  const docsSub = open('docs-sub', { maxRetriesPerRequest: null });
  const clients = [pub, socketsSub, docsSub];
  try {
    await Promise.all(clients.map((c) => whenReady(c, FIRST_CONNECTION_MS)));
  } catch (err) {
    for (const c of clients) c.disconnect();
    throw err;
  }
  // The adapter calls these without handling their promises; during an outage they reject, and
  // an unhandled rejection would end the process.
  const quietly = (err: unknown) => log.debug('redis.command_failed', describeError(err));
  guardPromises(pub, ['publish'], quietly);
  guardPromises(socketsSub, ['subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe'], quietly);

  const adapter = createAdapter(pub, socketsSub);
  const bus = new RedisDocumentBus(pub, docsSub, log);
  log.info('redis.connected', { process: bus.id });
  return {
    bus,
    adapter,
    limiters: (clock) => redisLimiters(pub, clock, log),
    onReconnected: (listener) => void reconnected.push(listener),
    async close() {
      closing = true;
      await Promise.all(clients.map((c) => (c.status === 'ready' ? c.quit().then(() => undefined, () => c.disconnect()) : c.disconnect())));
    },
  };
}

function whenReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    // The URL is not quoted: it may hold a password.
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`Redis (REDIS_URL) did not answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    client.once('ready', onReady);
  });
}

/** One log line when a connection is lost (ioredis reports every failed retry) and one when it is back. */
function reportHealth(client: Redis, role: string, log: Logger, closing: () => boolean, onBack?: () => void): void {
  let down = false;
  const lost = (details: Record<string, unknown>) => {
    if (down || closing()) return;
    down = true;
    log.warn('redis.unavailable', { role, ...details });
  };
  client.on('error', (err: unknown) => lost(describeError(err)));
  client.on('close', () => lost({}));
  client.on('ready', () => {
    if (down) {
      log.info('redis.reconnected', { role });
      onBack?.();
    }
    down = false;
  });
}

/** Makes the promises of these methods handled (by `onError`) for callers that ignore them. */
function guardPromises(client: Redis, methods: string[], onError: (err: unknown) => void): void {
  const target = client as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of methods) {
    const original = target[name]!.bind(client);
    target[name] = (...args: unknown[]) => {
      const result = original(...args);
      if (result instanceof Promise) result.catch(onError);
      return result;
    };
  }
}
