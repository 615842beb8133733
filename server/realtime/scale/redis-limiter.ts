import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Clock } from '../../domain/clock.js';
import { MemoryAttemptLimiter, waitFor, type AttemptLimiter, type LimiterFactory } from '../../domain/rate-limit.js';
import { describeError, type Logger } from '../../log.js';

/** Key prefix of the attempt counters in Redis. */
export const LIMIT_KEY_PREFIX = 'consilium:limit:';

/**
 * Failed attempts shared by every process: one sorted set per limiter and key (scores are the
 * attempts' times by the server's clock), trimmed to the window and expiring with it. The key
 * (an email or an address) is stored only as a SHA-256 hash.
 *
 * While Redis cannot be reached, each process falls back to counting in its own memory: the
 * limit then holds per process, as without Redis, rather than locking everyone out.
 */
class RedisAttemptLimiter implements AttemptLimiter {
  private readonly local: MemoryAttemptLimiter;

  constructor(
    private readonly redis: Redis,
    private readonly clock: Clock,
    private readonly name: string,
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly log: Logger,
  ) {
    this.local = new MemoryAttemptLimiter(clock, maxFailures, windowMs);
  }

  async retryAfter(key: string): Promise<number> {
    const now = this.clock.now().getTime();
    try {
      const k = this.keyOf(key);
      const [, [, times]] = (await this.redis.multi().zremrangebyscore(k, '-inf', now - this.windowMs).zrange(k, 0, -1, 'WITHSCORES').exec()) as [unknown, [unknown, string[]]];
      const scores = times.filter((_, i) => i % 2 === 1).map(Number);
      return Math.max(waitFor(scores, this.maxFailures, this.windowMs, now), await this.local.retryAfter(key));
    } catch (err) {
      this.unavailable(err);
      return this.local.retryAfter(key);
    }
  }

  async fail(key: string): Promise<void> {
    const now = this.clock.now().getTime();
    try {
      const k = this.keyOf(key);
      await this.redis.multi().zadd(k, now, `${now}-${randomUUID()}`).zremrangebyscore(k, '-inf', now - this.windowMs).pexpire(k, this.windowMs).exec();
    } catch (err) {
      this.unavailable(err);
      await this.local.fail(key);
    }
  }

  async reset(key: string): Promise<void> {
    await this.local.reset(key);
    try {
      await this.redis.del(this.keyOf(key));
    } catch (err) {
      this.unavailable(err);
    }
  }

  private keyOf(key: string): string {
    return `${LIMIT_KEY_PREFIX}${this.name}:${createHash('sha256').update(key).digest('hex')}`;
  }

  private unavailable(err: unknown): void {
    this.log.debug('redis.limiter_fallback', { limiter: this.name, ...describeError(err) });
  }
}

export function redisLimiters(redis: Redis, clock: Clock, log: Logger): LimiterFactory {
  return (name, maxFailures, windowMs) => new RedisAttemptLimiter(redis, clock, name, maxFailures, windowMs, log);
}
