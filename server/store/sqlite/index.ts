import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Store } from '../port.js';
import { migrate } from './migrations.js';
import {
  SqliteAuditRepository, SqliteCaseRepository, SqliteDocumentRepository, SqliteMembershipRepository,
  SqliteSessionRepository, SqliteUserRepository,
} from './repositories.js';

/** The embedded engine: one sqlite file in WAL mode, migrated on open. */
export class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;
  readonly users: SqliteUserRepository;
  readonly sessions: SqliteSessionRepository;
  readonly cases: SqliteCaseRepository;
  readonly memberships: SqliteMembershipRepository;
  readonly documents: SqliteDocumentRepository;
  readonly audit: SqliteAuditRepository;
  private readonly db: Database.Database;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.users = new SqliteUserRepository(this.db);
    this.sessions = new SqliteSessionRepository(this.db);
    this.cases = new SqliteCaseRepository(this.db);
    this.memberships = new SqliteMembershipRepository(this.db);
    this.documents = new SqliteDocumentRepository(this.db);
    this.audit = new SqliteAuditRepository(this.db);
  }

  async ready(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
