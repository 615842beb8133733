import {
  AuditListResponse, type AuditEntryView, CaseListResponse, CaseParams, CaseResponse, CreateCaseBody, ListCasesQuery, UpdateCaseBody,
} from '../../../shared/schemas/cases.js';
import { presentAudit, presentCase } from '../../presenters.js';
import { csvLine, csvText } from '../../reports/csv.js';
import type { Services } from '../../services.js';
import { defineRoute, type Route } from '../route.js';

/** Cases: list mine, create, read, change, archive (status "archived"), and the audit log. */
/** At most this many entries go into one CSV export (the newest). */
const AUDIT_EXPORT_LIMIT = 100_000;

/** The audit log as CSV, one row per entry (formula-safe, see reports/csv.ts). */
export function auditCsv(entries: AuditEntryView[]): string {
  const rows = entries.map((e) => csvLine(e.at, e.actor?.name ?? 'system', e.action, e.target ?? '', e.fields.join(' ')));
  return csvText([csvLine('time (UTC)', 'person', 'action', 'target', 'fields'), ...rows]);
}

export function caseRoutes(s: Services): Route[] {
  /** A case's audit entries for one of its owners, newest first, with the actors' names. */
  async function auditEntries(userId: string, caseId: string, limit?: number): Promise<AuditEntryView[]> {
    await s.access.require(caseId, userId, 'viewAudit');
    const entries = await s.audit.list(caseId, limit);
    const actorIds = [...new Set(entries.flatMap((e) => (e.actorId ? [e.actorId] : [])))];
    const users = new Map((await s.store.users.findManyByIds(actorIds)).map((u) => [u.id, u]));
    return entries.map((e) => presentAudit(e, users));
  }

  return [
    defineRoute({
      method: 'get', path: '/api/cases', tag: 'cases', auth: true,
      summary: 'List the cases I am on',
      query: ListCasesQuery,
      responses: { 200: { description: 'My cases, most recently changed first.', schema: CaseListResponse } },
      handler: async ({ user, query }) => {
        const list = await s.cases.list(user, query.archived === 'true');
        return { status: 200, body: { cases: list.map((c) => presentCase(c.record, c.membership, c.health)) } };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/cases', tag: 'cases', auth: true,
      summary: 'Create a case; I become its owner and its brief starts from the template',
      body: CreateCaseBody,
      responses: { 201: { description: 'The new case.', schema: CaseResponse } },
      handler: async ({ user, body }) => {
        const c = await s.cases.create(user, body);
        return { status: 201, body: { case: presentCase(c.record, c.membership, c.health) } };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/cases/:caseId', tag: 'cases', auth: true,
      summary: 'Read a case (404 when I am not on its team)',
      params: CaseParams,
      responses: { 200: { description: 'The case with my role and abilities.', schema: CaseResponse } },
      handler: async ({ user, params }) => {
        const c = await s.cases.get(user, params.caseId);
        return { status: 200, body: { case: presentCase(c.record, c.membership, c.health) } };
      },
    }),
    defineRoute({
      method: 'patch', path: '/api/cases/:caseId', tag: 'cases', auth: true,
      summary: 'Change case details; status "archived" archives the case (owners only)',
      params: CaseParams,
      body: UpdateCaseBody,
      responses: { 200: { description: 'The changed case.', schema: CaseResponse } },
      handler: async ({ user, params, body }) => {
        const c = await s.cases.update(user, params.caseId, body);
        return { status: 200, body: { case: presentCase(c.record, c.membership, c.health) } };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/cases/:caseId/audit', tag: 'cases', auth: true,
      summary: "The case's audit log, newest first (who, what, when; no clinical text); owners only",
      params: CaseParams,
      responses: { 200: { description: 'Audit entries.', schema: AuditListResponse } },
      handler: async ({ user, params }) => ({ status: 200, body: { entries: await auditEntries(user.id, params.caseId) } }),
    }),
    defineRoute({
      method: 'get', path: '/api/cases/:caseId/audit.csv', tag: 'cases', auth: true,
      summary: "The case's whole audit log as CSV, oldest first (owners only; the download is itself audited)",
      params: CaseParams,
      responses: { 200: { description: 'CSV: time, person, action, target, fields.', contentType: 'text/csv' } },
      handler: async ({ user, params }) => {
        const entries = await auditEntries(user.id, params.caseId, AUDIT_EXPORT_LIMIT);
        await s.audit.record(params.caseId, user.id, 'audit.exported');
        return { status: 200, file: { contentType: 'text/csv; charset=utf-8', text: auditCsv(entries.reverse()), filename: `consilium-audit-${params.caseId}.csv` } };
      },
    }),
  ];
}
