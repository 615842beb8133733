import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CaseItemRepository, CoverageData, EvidenceData, FollowUpData, OptionData, ReadinessData, StakeholderData, Store } from '../port.js';
import { SqliteCaseItemRepository } from './case-items.js';
import { SqliteConferenceRepository } from './conferences.js';
import { SqliteBallotRepository, SqliteRoundRepository } from './rounds.js';
import { SqliteMessageRepository, SqliteNotificationRepository, SqliteThreadRepository, SqliteUnreadRepository } from './discussion.js';
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
  readonly threads: SqliteThreadRepository;
  readonly messages: SqliteMessageRepository;
  readonly unread: SqliteUnreadRepository;
  readonly notifications: SqliteNotificationRepository;
  readonly evidence: CaseItemRepository<EvidenceData>;
  readonly stakeholders: CaseItemRepository<StakeholderData>;
  readonly readiness: CaseItemRepository<ReadinessData>;
  readonly coverage: CaseItemRepository<CoverageData>;
  readonly options: CaseItemRepository<OptionData>;
  readonly followUps: CaseItemRepository<FollowUpData>;
  readonly rounds: SqliteRoundRepository;
  readonly ballots: SqliteBallotRepository;
  readonly conferences: SqliteConferenceRepository;
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
    this.threads = new SqliteThreadRepository(this.db);
    this.messages = new SqliteMessageRepository(this.db);
    this.unread = new SqliteUnreadRepository(this.db);
    this.notifications = new SqliteNotificationRepository(this.db);
    this.evidence = new SqliteCaseItemRepository<EvidenceData>(this.db, 'evidence');
    this.stakeholders = new SqliteCaseItemRepository<StakeholderData>(this.db, 'stakeholder');
    this.readiness = new SqliteCaseItemRepository<ReadinessData>(this.db, 'readiness');
    this.coverage = new SqliteCaseItemRepository<CoverageData>(this.db, 'coverage');
    this.options = new SqliteCaseItemRepository<OptionData>(this.db, 'option');
    this.followUps = new SqliteCaseItemRepository<FollowUpData>(this.db, 'followup');
    this.rounds = new SqliteRoundRepository(this.db);
    this.ballots = new SqliteBallotRepository(this.db);
    this.conferences = new SqliteConferenceRepository(this.db);
  }

  async ready(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
