import type Database from 'better-sqlite3';

/**
 * Every change to the sqlite schema, in order. The database's `user_version` records how
 * many have run; a new migration is appended here and never edited once released.
 */
const MIGRATIONS: string[] = [
  // 1: accounts, sessions, cases, teams, brief documents, audit log
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    discipline TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX sessions_expires_at ON sessions(expires_at);
  CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    patient_ref TEXT NOT NULL,
    problem TEXT NOT NULL,
    resistance TEXT NOT NULL,
    required_disciplines TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE memberships (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    discipline TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (case_id, user_id)
  );
  CREATE INDEX memberships_user ON memberships(user_id);
  CREATE TABLE doc_chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_name TEXT NOT NULL,
    data BLOB NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX doc_chunks_doc ON doc_chunks(doc_name, id);
  CREATE TABLE audit (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL,
    actor_id TEXT,
    action TEXT NOT NULL,
    target TEXT,
    fields TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX audit_case_at ON audit(case_id, at);
  `,
  // 2: discussion, notifications, and the case's small collections
  `
  CREATE TABLE threads (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    anchor TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    resolved_by TEXT,
    resolved_at TEXT,
    deleted_at TEXT,
    last_activity_at TEXT NOT NULL
  );
  CREATE INDEX threads_case ON threads(case_id, created_at);
  CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    thread_id TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    author_id TEXT NOT NULL,
    body TEXT NOT NULL,
    mentions TEXT NOT NULL,
    seq INTEGER NOT NULL,
    request_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    edited_at TEXT,
    deleted_at TEXT,
    UNIQUE (author_id, request_id)
  );
  CREATE INDEX messages_case_seq ON messages(case_id, seq);
  CREATE TABLE unread (
    user_id TEXT NOT NULL,
    thread_id TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    case_id TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (user_id, thread_id)
  );
  CREATE INDEX unread_user_case ON unread(user_id, case_id);
  CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    thread_id TEXT,
    actor_id TEXT,
    created_at TEXT NOT NULL,
    read_at TEXT
  );
  CREATE INDEX notifications_user ON notifications(user_id, created_at);
  CREATE TABLE case_items (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    data TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX case_items_case ON case_items(case_id, kind, created_at);
  `,
  // 3: one thread's messages without scanning the case's
  `
  CREATE INDEX messages_thread_seq ON messages(thread_id, seq);
  `,
  // 4: decision rounds and ballots
  `
  CREATE TABLE rounds (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    option_ids TEXT NOT NULL,
    rule TEXT NOT NULL,
    threshold REAL,
    quorum TEXT NOT NULL,
    closes_at TEXT,
    visibility TEXT NOT NULL,
    status TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    closed_at TEXT,
    closed_by TEXT,
    result TEXT,
    counted TEXT
  );
  CREATE INDEX rounds_case ON rounds(case_id, opened_at);
  CREATE INDEX rounds_open_closing ON rounds(status, closes_at);
  CREATE TABLE ballots (
    round_id TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    case_id TEXT NOT NULL,
    voter_id TEXT NOT NULL,
    discipline TEXT NOT NULL,
    defer TEXT,
    stances TEXT NOT NULL,
    version INTEGER NOT NULL,
    cast_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (round_id, voter_id)
  );
  `,
  // 5: the brief as it stood when a round closed, and the unified recommendation
  `
  ALTER TABLE rounds ADD COLUMN brief_text TEXT;
  ALTER TABLE rounds ADD COLUMN brief_state TEXT;
  ALTER TABLE rounds ADD COLUMN recommendation TEXT;
  `,
  // 6: follow-up reminders sent per round
  `
  ALTER TABLE rounds ADD COLUMN reminders_sent TEXT NOT NULL DEFAULT '[]';
  `,
  // 7: conferences; user settings and calendar feeds; audit entries and notifications about a
  // conference rather than a case (sqlite cannot drop NOT NULL, so both tables are rebuilt)
  `
  ALTER TABLE users ADD COLUMN reminder_minutes INTEGER NOT NULL DEFAULT 15;
  ALTER TABLE users ADD COLUMN calendar_token_hash TEXT;
  CREATE UNIQUE INDEX users_calendar_token ON users(calendar_token_hash) WHERE calendar_token_hash IS NOT NULL;

  CREATE TABLE audit_v7 (
    id TEXT PRIMARY KEY,
    case_id TEXT,
    conference_id TEXT,
    actor_id TEXT,
    action TEXT NOT NULL,
    target TEXT,
    fields TEXT NOT NULL,
    at TEXT NOT NULL
  );
  INSERT INTO audit_v7 (id, case_id, conference_id, actor_id, action, target, fields, at)
    SELECT id, case_id, NULL, actor_id, action, target, fields, at FROM audit ORDER BY rowid;
  DROP TABLE audit;
  ALTER TABLE audit_v7 RENAME TO audit;
  CREATE INDEX audit_case_at ON audit(case_id, at);
  CREATE INDEX audit_conference_at ON audit(conference_id, at);

  CREATE TABLE notifications_v7 (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    case_id TEXT,
    kind TEXT NOT NULL,
    thread_id TEXT,
    conference_id TEXT,
    occurrence TEXT,
    actor_id TEXT,
    created_at TEXT NOT NULL,
    read_at TEXT
  );
  INSERT INTO notifications_v7 (id, user_id, case_id, kind, thread_id, conference_id, occurrence, actor_id, created_at, read_at)
    SELECT id, user_id, case_id, kind, thread_id, NULL, NULL, actor_id, created_at, read_at FROM notifications ORDER BY rowid;
  DROP TABLE notifications;
  ALTER TABLE notifications_v7 RENAME TO notifications;
  CREATE INDEX notifications_user ON notifications(user_id, created_at);

  CREATE TABLE conferences (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    span_start TEXT,
    span_end TEXT
  );
  CREATE INDEX conferences_span ON conferences(status, span_start, span_end);
  -- who and which cases a conference involves, kept with it for the visibility queries
  CREATE TABLE conference_people (
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    PRIMARY KEY (user_id, conference_id)
  );
  CREATE TABLE conference_cases (
    conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
    case_id TEXT NOT NULL,
    PRIMARY KEY (case_id, conference_id)
  );
  -- rewriting a conference's rows looks them up by conference
  CREATE INDEX conference_people_conference ON conference_people(conference_id);
  CREATE INDEX conference_cases_conference ON conference_cases(conference_id);
  `,
  // 8: what a decision rested on (options, evidence, team), kept with the round at its close
  `
  ALTER TABLE rounds ADD COLUMN record TEXT;
  `,
  // 9: how far each stored chunk of a brief is folded (0 appended, 1 merged run, 2 snapshot)
  `
  ALTER TABLE doc_chunks ADD COLUMN level INTEGER NOT NULL DEFAULT 0;
  `,
  // 10: the audit log is append-only, whatever code runs against the file
  `
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  `,
];

/**
 * Brings the database up to the latest schema (or, for upgrade tests, to an earlier `target`);
 * safe to call from several processes.
 */
export function migrate(db: Database.Database, target = MIGRATIONS.length): number {
  const apply = db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    for (let v = current; v < target; v++) {
      db.exec(MIGRATIONS[v]!);
    }
    if (target > current) db.pragma(`user_version = ${target}`);
    return Math.max(current, target);
  });
  return apply.immediate();
}
