import type { Clock } from './clock.js';

/**
 * Counts failed attempts per key in a sliding window (sign-in per email and per address,
 * sign-up per address). One process keeps them in memory; with REDIS_URL the processes share
 * them in Redis (realtime/scale/redis-limiter.ts), so a limit holds however many processes serve.
 */
export interface AttemptLimiter {
  /** Seconds to wait before the next attempt is allowed, or 0 when it is allowed now. */
  retryAfter(key: string): Promise<number>;
  fail(key: string): Promise<void>;
  reset(key: string): Promise<void>;
}

/** Builds the limiter named `name` (a key prefix) allowing `maxFailures` in `windowMs`. */
export type LimiterFactory = (name: string, maxFailures: number, windowMs: number) => AttemptLimiter;

/** Seconds until the attempt `maxFailures` back leaves the window, or 0 if fewer are in it. */
export function waitFor(times: number[], maxFailures: number, windowMs: number, now: number): number {
  if (times.length < maxFailures) return 0;
  const sorted = [...times].sort((a, b) => a - b);
  const oldest = sorted[sorted.length - maxFailures]!;
  return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
}

/** One process's limiter, in memory. */
export class MemoryAttemptLimiter implements AttemptLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly maxFailures: number,
    private readonly windowMs: number,
  ) {}

  async retryAfter(key: string): Promise<number> {
    return waitFor(this.recent(key), this.maxFailures, this.windowMs, this.clock.now().getTime());
  }

  async fail(key: string): Promise<void> {
    const recent = this.recent(key);
    recent.push(this.clock.now().getTime());
    this.failures.set(key, recent);
  }

  async reset(key: string): Promise<void> {
    this.failures.delete(key);
  }

  private recent(key: string): number[] {
    const since = this.clock.now().getTime() - this.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }
}

export function memoryLimiters(clock: Clock): LimiterFactory {
  return (_name, maxFailures, windowMs) => new MemoryAttemptLimiter(clock, maxFailures, windowMs);
}
