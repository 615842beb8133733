import mongoose, { type Connection } from 'mongoose';
import { MongoBallotRepository, MongoRoundRepository } from './rounds.js';
import type { CaseItemRepository, CoverageData, EvidenceData, FollowUpData, OptionData, ReadinessData, StakeholderData, Store } from '../port.js';
import { MongoCaseItemRepository } from './case-items.js';
import { MongoConferenceRepository } from './conferences.js';
import { MongoMessageRepository, MongoThreadRepository } from './discussion.js';
import { bindModels, type Models } from './models.js';
import { MongoNotificationRepository, MongoUnreadRepository } from './notifications.js';
import {
  MongoAuditRepository, MongoCaseRepository, MongoDocumentRepository, MongoMembershipRepository,
  MongoSessionRepository, MongoUserRepository,
} from './repositories.js';

/** Options for tests and tools; deployments pass only the URI. */
export interface MongoStoreOptions {
  /** Use this database instead of the one named in the URI (credentials still authenticate as the URI says). */
  dbName?: string;
}

/**
 * The MongoDB engine (the system of record for deployments). It owns a private mongoose
 * connection, so several stores can live in one process, and it needs only a standalone
 * server: single-document atomic writes, upserts and unique indexes, no transactions.
 */
export class MongoStore implements Store {
  readonly engine = 'mongo' as const;
  readonly users: MongoUserRepository;
  readonly sessions: MongoSessionRepository;
  readonly cases: MongoCaseRepository;
  readonly memberships: MongoMembershipRepository;
  readonly documents: MongoDocumentRepository;
  readonly audit: MongoAuditRepository;
  readonly threads: MongoThreadRepository;
  readonly messages: MongoMessageRepository;
  readonly unread: MongoUnreadRepository;
  readonly notifications: MongoNotificationRepository;
  readonly evidence: CaseItemRepository<EvidenceData>;
  readonly stakeholders: CaseItemRepository<StakeholderData>;
  readonly readiness: CaseItemRepository<ReadinessData>;
  readonly coverage: CaseItemRepository<CoverageData>;
  readonly options: CaseItemRepository<OptionData>;
  readonly followUps: CaseItemRepository<FollowUpData>;
  readonly rounds: MongoRoundRepository;
  readonly ballots: MongoBallotRepository;
  readonly conferences: MongoConferenceRepository;
  private readonly conn: Connection;
  private readonly models: Models;

  constructor(uri: string, options: MongoStoreOptions = {}) {
    // autoIndex/autoCreate off: indexes are built once, explicitly and awaited, in ready().
    this.conn = mongoose.createConnection(uri, {
      autoIndex: false,
      autoCreate: false,
      ...(options.dbName ? { dbName: options.dbName } : {}),
    });
    this.models = bindModels(this.conn);
    this.users = new MongoUserRepository(this.models);
    this.sessions = new MongoSessionRepository(this.models);
    this.cases = new MongoCaseRepository(this.models);
    this.memberships = new MongoMembershipRepository(this.models);
    this.documents = new MongoDocumentRepository(this.models);
    this.audit = new MongoAuditRepository(this.models);
    this.threads = new MongoThreadRepository(this.models);
    this.messages = new MongoMessageRepository(this.models);
    this.unread = new MongoUnreadRepository(this.models);
    this.notifications = new MongoNotificationRepository(this.models);
    this.evidence = new MongoCaseItemRepository<EvidenceData>(this.models, 'evidence');
    this.stakeholders = new MongoCaseItemRepository<StakeholderData>(this.models, 'stakeholder');
    this.readiness = new MongoCaseItemRepository<ReadinessData>(this.models, 'readiness');
    this.coverage = new MongoCaseItemRepository<CoverageData>(this.models, 'coverage');
    this.options = new MongoCaseItemRepository<OptionData>(this.models, 'option');
    this.followUps = new MongoCaseItemRepository<FollowUpData>(this.models, 'followup');
    this.rounds = new MongoRoundRepository(this.models);
    this.ballots = new MongoBallotRepository(this.models);
    this.conferences = new MongoConferenceRepository(this.models);
  }

  /** Connects, then creates every index declared in models.ts (the unique ones enforce the domain's rules). */
  ready(): Promise<void> {
    // Memoized: the composition root and the server both wait for readiness; indexes are built once.
    this.readyPromise ??= (async () => {
      await this.conn.asPromise();
      for (const model of Object.values(this.models) as Models[keyof Models][]) {
        await model.createIndexes();
      }
    })();
    return this.readyPromise;
  }

  private readyPromise: Promise<void> | null = null;

  async close(): Promise<void> {
    await this.conn.close();
  }
}
