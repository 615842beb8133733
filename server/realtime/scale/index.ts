import type { ServerOptions } from 'socket.io';
import type { Clock } from '../../domain/clock.js';
import type { LimiterFactory } from '../../domain/rate-limit.js';
import type { Logger } from '../../log.js';
import type { DocumentBus } from '../yjs/bus.js';

/** What one process shares with the others serving the same cases. */
export interface ScaleOut {
  /** Yjs updates and awareness between the processes holding a document. */
  bus: DocumentBus;
  /** Socket.io's adapter: rooms, broadcasts and fetchSockets across processes. */
  adapter: NonNullable<ServerOptions['adapter']>;
  /** Failed sign-in and sign-up attempts, counted in Redis so that a limit holds across processes. */
  limiters: (clock: Clock) => LimiterFactory;
  /** Calls `listener` whenever the connection to Redis is back after an outage. */
  onReconnected(listener: () => void): void;
  /** Closes the connections; after the Socket.io server and the document hub have closed. */
  close(): Promise<void>;
}

/**
 * Connects to Redis when REDIS_URL is set. Otherwise answers null, and nothing about Redis is
 * ever loaded: the Redis code (and ioredis) is reached only through this dynamic import.
 */
export async function connectScaleOut(redisUrl: string | undefined, log: Logger): Promise<ScaleOut | null> {
  if (!redisUrl) return null;
  const { connectRedis } = await import('./redis.js');
  return connectRedis(redisUrl, log);
}
