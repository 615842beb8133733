import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { briefPlainText, briefTemplateUpdate, BRIEF_TEMPLATE } from '../../server/domain/brief.js';
import { hashPassword, verifyPassword } from '../../server/domain/passwords.js';
import { AttemptLimiter } from '../../server/domain/rate-limit.js';

function fakeClock(start = Date.parse('2026-03-01T09:00:00Z')) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

describe('sign-in attempt limiter', () => {
  it('blocks after the allowed failures and lets the window slide', () => {
    const clock = fakeClock();
    const limiter = new AttemptLimiter(clock, 3, 60_000);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter('a@x')).toBe(0);
      limiter.fail('a@x');
      clock.advance(1000);
    }
    expect(limiter.retryAfter('a@x')).toBe(57); // the first failure leaves the window in 57 s
    expect(limiter.retryAfter('b@x')).toBe(0);
    clock.advance(57_000);
    expect(limiter.retryAfter('a@x')).toBe(0);
  });

  it('forgets failures after a success', () => {
    const limiter = new AttemptLimiter(fakeClock(), 2, 60_000);
    limiter.fail('a');
    limiter.fail('a');
    expect(limiter.retryAfter('a')).toBeGreaterThan(0);
    limiter.reset('a');
    expect(limiter.retryAfter('a')).toBe(0);
  });
});

describe('passwords', () => {
  it('verifies the right password only, with a salted scrypt hash', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('x', 'md5$abc')).toBe(false);
  });
});

describe('brief template', () => {
  it('is the same bytes every time, so seeding twice adds nothing', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, briefTemplateUpdate());
    const once = briefPlainText(doc);
    Y.applyUpdate(doc, briefTemplateUpdate());
    expect(briefPlainText(doc)).toBe(once);
    for (const section of BRIEF_TEMPLATE) expect(once.split('\n').filter((l) => l === section.heading)).toHaveLength(1);
  });

  it('has every section DESIGN.md asks for', () => {
    expect(BRIEF_TEMPLATE.map((s) => s.heading)).toEqual([
      "Patient's specific needs", 'Evidence', 'Proposed plan and rationale', 'Tailored alternatives', 'Stakeholder plan', 'Patient-education plan',
    ]);
  });
});
