import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../server/store/sqlite/migrations.js';
import { SqliteStore } from '../../server/store/sqlite/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('upgrading an existing sqlite database', () => {
  it('keeps accounts, audit entries and notifications written before conferences existed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'consilium-migrate-'));
    dirs.push(dir);
    const file = join(dir, 'consilium.db');
    const old = new Database(file);
    migrate(old, 6); // the schema as the previous release left it
    old.prepare("INSERT INTO users (id, email, name, discipline, password_hash, created_at) VALUES ('u1', 'a@example.org', 'Ada', 'oncology', 'x', '2026-01-01T00:00:00.000Z')").run();
    old.prepare("INSERT INTO audit (id, case_id, actor_id, action, target, fields, at) VALUES ('a1', 'c1', 'u1', 'case.created', NULL, '[]', '2026-01-01T00:00:00.000Z')").run();
    old.prepare("INSERT INTO audit (id, case_id, actor_id, action, target, fields, at) VALUES ('a2', 'c1', 'u1', 'case.updated', NULL, '[\"title\"]', '2026-01-01T00:00:00.000Z')").run();
    old.prepare("INSERT INTO notifications (id, user_id, case_id, kind, thread_id, actor_id, created_at, read_at) VALUES ('n1', 'u1', 'c1', 'mention', 't1', NULL, '2026-01-02T00:00:00.000Z', NULL)").run();
    old.close();

    const store = new SqliteStore(file);
    try {
      expect(await store.users.findById('u1')).toMatchObject({ email: 'a@example.org', reminderMinutes: 15, calendarTokenHash: null });
      // Same time: the later-written entry still lists first.
      expect((await store.audit.listByCase('c1', 10)).map((e) => [e.id, e.conferenceId, e.fields])).toEqual([['a2', null, ['title']], ['a1', null, []]]);
      expect(await store.notifications.listForUser('u1', 10)).toEqual([{
        id: 'n1', userId: 'u1', caseId: 'c1', kind: 'mention', threadId: 't1', conferenceId: null, occurrence: null, actorId: null,
        createdAt: '2026-01-02T00:00:00.000Z', readAt: null,
      }]);
      expect(await store.notifications.countUnread('u1')).toBe(1);
    } finally {
      await store.close();
    }
  });
});

describe('the audit table', () => {
  it('is append-only in the file itself: an update or a delete by any connection is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'consilium-audit-'));
    dirs.push(dir);
    const file = join(dir, 'consilium.db');
    const store = new SqliteStore(file);
    await store.audit.append({ id: 'a1', caseId: 'c1', conferenceId: null, actorId: 'u1', action: 'case.created', target: null, fields: [], at: '2026-11-27T10:00:00.000Z' });
    const other = new Database(file);
    try {
      expect(() => other.prepare("UPDATE audit SET action = 'case.updated' WHERE id = 'a1'").run()).toThrow(/append-only/);
      expect(() => other.prepare("DELETE FROM audit WHERE id = 'a1'").run()).toThrow(/append-only/);
      expect(other.prepare("SELECT action FROM audit WHERE id = 'a1'").get()).toEqual({ action: 'case.created' });
    } finally {
      other.close();
      await store.close();
    }
  });
});
