import type { Config } from './config.js';
import { CaseAccess } from './domain/access.js';
import { AccountService } from './domain/accounts.js';
import { memoryLimiters, type LimiterFactory } from './domain/rate-limit.js';
import { AuditLog } from './domain/audit.js';
import { CaseService } from './domain/cases.js';
import { ConferenceService } from './domain/conferences.js';
import { ExportService } from './export/service.js';
import type { Clock } from './domain/clock.js';
import { DomainEvents } from './domain/events.js';
import { DiscussionService } from './domain/discussion.js';
import { EvidenceService } from './domain/evidence.js';
import { CaseHealthService } from './domain/health.js';
import { NotificationService } from './domain/notifications.js';
import { DecisionService } from './domain/decisions.js';
import { FollowUpService } from './domain/follow-ups.js';
import { OptionService } from './domain/options.js';
import { CoverageService, ReadinessService, StakeholderService } from './domain/records.js';
import { Sequence } from './domain/sequence.js';
import { TeamService } from './domain/team.js';
import type { Logger } from './log.js';
import { LOCAL_ONLY, type DocumentBus } from './realtime/yjs/bus.js';
import { DEFAULT_HUB_OPTIONS, DocumentHub, type HubOptions } from './realtime/yjs/hub.js';
import type { Store } from './store/port.js';

/** Everything a transport needs, built once per server from the store and configuration. */
export interface Services {
  config: Config;
  store: Store;
  clock: Clock;
  log: Logger;
  events: DomainEvents;
  access: CaseAccess;
  audit: AuditLog;
  accounts: AccountService;
  cases: CaseService;
  team: TeamService;
  health: CaseHealthService;
  notifications: NotificationService;
  discussion: DiscussionService;
  evidence: EvidenceService;
  stakeholders: StakeholderService;
  readiness: ReadinessService;
  coverage: CoverageService;
  options: OptionService;
  decisions: DecisionService;
  followUps: FollowUpService;
  conferences: ConferenceService;
  exports: ExportService;
  /** The live Yjs documents; the domain reads briefs through it (as BriefDocuments). */
  hub: DocumentHub;
}

/** Wires the domain services together. */
export function createServices(
  config: Config, store: Store, clock: Clock, log: Logger, hubOptions: Partial<HubOptions> = {},
  /** What several processes share (with REDIS_URL): documents and attempt counters. */
  shared: { bus?: DocumentBus; limiters?: (clock: Clock) => LimiterFactory } = {},
): Services {
  const bus = shared.bus ?? LOCAL_ONLY;
  const events = new DomainEvents();
  const hub = new DocumentHub(store.documents, log, { ...DEFAULT_HUB_OPTIONS, commitIntervalMs: config.commitIntervalMs, ...hubOptions }, bus);
  const access = new CaseAccess(store);
  const audit = new AuditLog(store, clock);
  const itemDeps = { access, audit, events, clock };
  const health = new CaseHealthService(store, clock, config.timeZone);
  const readiness = new ReadinessService(store, itemDeps, () => health.today());
  const notifications = new NotificationService(store, events, clock);
  return {
    config,
    store,
    clock,
    log,
    events,
    access,
    audit,
    accounts: new AccountService(store, clock, {
      sessionTtlMs: config.sessionTtlHours * 3600_000,
      signInMaxFailures: config.signInMaxFailures,
      signInWindowMs: 15 * 60_000,
      signUpsPerHour: config.signUpsPerHour,
    }, events, (shared.limiters ?? memoryLimiters)(clock)),
    cases: new CaseService(store, access, audit, events, clock, health, readiness),
    team: new TeamService(store, access, audit, events, clock, notifications),
    health,
    notifications,
    discussion: new DiscussionService(store, access, audit, events, clock, hub, notifications, new Sequence()),
    evidence: new EvidenceService(store, itemDeps, hub),
    stakeholders: new StakeholderService(store, itemDeps),
    readiness,
    coverage: new CoverageService(store, itemDeps),
    options: new OptionService(store, itemDeps),
    decisions: new DecisionService(store, access, audit, events, clock, readiness, hub),
    followUps: new FollowUpService(store, access, audit, events, clock, notifications),
    conferences: new ConferenceService(store, access, audit, events, clock, notifications),
    exports: new ExportService(store, access, audit, clock, hub, config.timeZone),
    hub,
  };
}
