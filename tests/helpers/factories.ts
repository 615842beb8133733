import { randomUUID } from 'node:crypto';
import type { AuditRecord, CaseRecord, MembershipRecord, UserRecord } from '../../server/store/port.js';

/** Store-level records with sensible defaults; pass overrides for what a test cares about. */
export function buildUser(overrides: Partial<UserRecord> = {}): UserRecord {
  const id = overrides.id ?? randomUUID();
  return {
    id,
    email: `user-${id.slice(0, 8)}@example.org`,
    name: 'Test User',
    discipline: 'nursing',
    passwordHash: 'scrypt$not-a-real-hash',
    createdAt: new Date().toISOString(),
    reminderMinutes: 15,
    calendarTokenHash: null,
    ...overrides,
  };
}

export function buildCase(overrides: Partial<CaseRecord> = {}): CaseRecord {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    title: 'Second-line therapy denied',
    patientRef: 'PT-1001',
    problem: 'Progression after first-line therapy.',
    resistance: [{ source: 'insurer', description: 'Denied as not medically necessary.' }],
    requiredDisciplines: ['oncology', 'pharmacy'],
    status: 'draft',
    createdBy: randomUUID(),
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

export function buildMembership(overrides: Partial<MembershipRecord> & Pick<MembershipRecord, 'caseId' | 'userId'>): MembershipRecord {
  return {
    role: 'editor',
    discipline: 'nursing',
    addedBy: overrides.userId,
    addedAt: new Date().toISOString(),
    ...overrides,
  };
}

export function buildAudit(overrides: Partial<AuditRecord> & Pick<AuditRecord, 'caseId'>): AuditRecord {
  return {
    id: randomUUID(),
    conferenceId: null,
    actorId: null,
    action: 'case.updated',
    target: null,
    fields: ['title'],
    at: new Date().toISOString(),
    ...overrides,
  };
}

/** Polls until `check` stops throwing or returns true; fails with the last reason after `timeoutMs`. */
export async function waitFor<T>(check: () => T | Promise<T>, { timeoutMs = 5000, intervalMs = 20, what = 'condition' } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== false) return value;
      lastError = new Error(`${what} is still false`);
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
