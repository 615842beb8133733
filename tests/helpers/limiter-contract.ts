import { expect, it } from 'vitest';
import type { Clock } from '../../server/domain/clock.js';
import type { AttemptLimiter } from '../../server/domain/rate-limit.js';

export function fakeClock(start = Date.parse('2026-03-01T09:00:00Z')) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

/** What every attempt limiter does, in memory or in Redis. `make` builds a fresh limiter (fresh keys). */
export function limiterContract(make: (clock: Clock, maxFailures: number, windowMs: number) => AttemptLimiter): void {
  it('blocks after the allowed failures and lets the window slide', async () => {
    const clock = fakeClock();
    const limiter = make(clock, 3, 60_000);
    for (let i = 0; i < 3; i++) {
      expect(await limiter.retryAfter('a@x')).toBe(0);
      await limiter.fail('a@x');
      clock.advance(1000);
    }
    expect(await limiter.retryAfter('a@x')).toBe(57); // the first failure leaves the window in 57 s
    expect(await limiter.retryAfter('b@x')).toBe(0);
    clock.advance(57_000);
    expect(await limiter.retryAfter('a@x')).toBe(0);
  });

  it('forgets failures after a success', async () => {
    const limiter = make(fakeClock(), 2, 60_000);
    await limiter.fail('a');
    await limiter.fail('a');
    expect(await limiter.retryAfter('a')).toBeGreaterThan(0);
    await limiter.reset('a');
    expect(await limiter.retryAfter('a')).toBe(0);
  });
}
