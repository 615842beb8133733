import type { Config } from './config.js';
import { CaseAccess } from './domain/access.js';
import { AccountService } from './domain/accounts.js';
import { AuditLog } from './domain/audit.js';
import { CaseService } from './domain/cases.js';
import type { Clock } from './domain/clock.js';
import { DomainEvents } from './domain/events.js';
import { TeamService } from './domain/team.js';
import type { Logger } from './log.js';
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
}

/** Wires the domain services together. */
export function createServices(config: Config, store: Store, clock: Clock, log: Logger): Services {
  const events = new DomainEvents();
  const access = new CaseAccess(store);
  const audit = new AuditLog(store, clock);
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
    }),
    cases: new CaseService(store, access, audit, events, clock),
    team: new TeamService(store, access, audit, events, clock),
  };
}
