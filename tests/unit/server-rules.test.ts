import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { briefPlainText, briefTemplateUpdate, BRIEF_TEMPLATE } from '../../server/domain/brief.js';
import { hashPassword, verifyPassword } from '../../server/domain/passwords.js';
import { MemoryAttemptLimiter } from '../../server/domain/rate-limit.js';
import { limiterContract } from '../helpers/limiter-contract.js';

describe('sign-in attempt limiter (in memory)', () => {
  limiterContract((clock, max, windowMs) => new MemoryAttemptLimiter(clock, max, windowMs));
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
