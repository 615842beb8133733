import { z } from 'zod';
import { CaseParams } from '../../../shared/schemas/cases.js';
import {
  CoverageListResponse, CoverageParams, CoverageResponse, CreateCoverageBody, UpdateCoverageBody,
} from '../../../shared/schemas/coverage.js';
import {
  CreateEvidenceBody, DeleteEvidenceQuery, EvidenceListResponse, EvidenceParams, EvidenceResponse, UpdateEvidenceBody,
} from '../../../shared/schemas/evidence.js';
import {
  CreateReadinessItemBody, ReadinessItemResponse, ReadinessParams, ReadinessResponse, UpdateReadinessItemBody,
} from '../../../shared/schemas/readiness.js';
import { readinessSummary } from '../../../shared/readiness.js';
import {
  CreateStakeholderBody, StakeholderListResponse, StakeholderParams, StakeholderResponse, UpdateStakeholderBody,
} from '../../../shared/schemas/stakeholders.js';
import { namesOf } from '../../people.js';
import { presentCoverage, presentEvidence, presentOption, presentReadiness, presentStakeholder } from '../../presenters.js';
import { CreateOptionBody, OptionListResponse, OptionParams, OptionResponse, UpdateOptionBody } from '../../../shared/schemas/options.js';
import type { Services } from '../../services.js';
import type { CaseItemRecord, ReadinessData, UserRecord } from '../../store/port.js';
import { defineRoute, type Route } from '../route.js';

interface CollectionSpec<D, C extends z.ZodType, U extends z.ZodType, P extends z.ZodType> {
  /** URL segment under the case: evidence, stakeholders, coverage. */
  segment: string;
  /** Name of the item id parameter in `params`. */
  idParam: string;
  tag: string;
  noun: string;
  /** Response keys: one item and the list. */
  one: string;
  many: string;
  createBody: C;
  updateBody: U;
  params: P;
  oneSchema: z.ZodType;
  manySchema: z.ZodType;
  list(user: UserRecord, caseId: string): Promise<CaseItemRecord<D>[]>;
  create(user: UserRecord, caseId: string, body: z.output<C>): Promise<CaseItemRecord<D>>;
  update(user: UserRecord, caseId: string, id: string, body: z.output<U>): Promise<CaseItemRecord<D>>;
  remove(user: UserRecord, caseId: string, id: string, query: Record<string, unknown>): Promise<void>;
  /** Presents one item; `context` is what `prepare` loaded once for the request. */
  present(r: CaseItemRecord<D>, names: Map<string, { id: string; name: string }>, context: unknown): unknown;
  /** Loads what presenting needs beyond names, once per request. */
  prepare?(caseId: string): Promise<unknown>;
  deleteQuery?: z.ZodType;
}

/** The four routes of one of a case's collections: list, add, change, remove. */
function collectionRoutes<D, C extends z.ZodType, U extends z.ZodType, P extends z.ZodType>(s: Services, spec: CollectionSpec<D, C, U, P>): Route[] {
  const base = `/api/cases/:caseId/${spec.segment}`;
  const present = async (records: CaseItemRecord<D>[]) => {
    const names = await namesOf(s.store, records.map((r) => r.createdBy));
    const context = records[0] && spec.prepare ? await spec.prepare(records[0].caseId) : undefined;
    return records.map((r) => spec.present(r, names, context));
  };
  const idOf = (params: unknown) => (params as Record<string, string>)[spec.idParam]!;
  return [
    defineRoute({
      method: 'get', path: base, tag: spec.tag, auth: true, summary: `List the case's ${spec.noun}s`,
      params: CaseParams,
      responses: { 200: { description: `The ${spec.noun}s, oldest first.`, schema: spec.manySchema } },
      handler: async ({ user, params }) => ({ status: 200, body: { [spec.many]: await present(await spec.list(user, params.caseId)) } }),
    }),
    defineRoute({
      method: 'post', path: base, tag: spec.tag, auth: true, summary: `Add a ${spec.noun}`,
      params: CaseParams, body: spec.createBody,
      responses: { 201: { description: `The new ${spec.noun}.`, schema: spec.oneSchema } },
      handler: async ({ user, params, body }) => ({ status: 201, body: { [spec.one]: (await present([await spec.create(user, params.caseId, body)]))[0] } }),
    }),
    defineRoute({
      method: 'patch', path: `${base}/:${spec.idParam}`, tag: spec.tag, auth: true, summary: `Change a ${spec.noun}`,
      params: spec.params, body: spec.updateBody,
      responses: { 200: { description: `The changed ${spec.noun}.`, schema: spec.oneSchema } },
      handler: async ({ user, params, body }) => {
        const caseId = (params as { caseId: string }).caseId;
        return { status: 200, body: { [spec.one]: (await present([await spec.update(user, caseId, idOf(params), body)]))[0] } };
      },
    }),
    defineRoute({
      method: 'delete', path: `${base}/:${spec.idParam}`, tag: spec.tag, auth: true, summary: `Remove a ${spec.noun}`,
      params: spec.params, ...(spec.deleteQuery ? { query: spec.deleteQuery } : {}),
      responses: { 204: { description: 'Removed.' } },
      handler: async ({ user, params, query }) => {
        await spec.remove(user, (params as { caseId: string }).caseId, idOf(params), (query ?? {}) as Record<string, unknown>);
        return { status: 204 };
      },
    }),
  ];
}

/** Evidence library, stakeholder log, readiness checklist and coverage requests. */
export function recordRoutes(s: Services): Route[] {
  const today = () => s.health.today();
  return [
    ...collectionRoutes(s, {
      segment: 'evidence', idParam: 'evidenceId', tag: 'evidence', noun: 'evidence item', one: 'evidence', many: 'evidence',
      createBody: CreateEvidenceBody, updateBody: UpdateEvidenceBody, params: EvidenceParams, deleteQuery: DeleteEvidenceQuery,
      oneSchema: EvidenceResponse, manySchema: EvidenceListResponse,
      list: (u, c) => s.evidence.list(u, c),
      create: (u, c, b) => s.evidence.create(u, c, b),
      update: (u, c, id, b) => s.evidence.update(u, c, id, b),
      remove: (u, c, id, q) => s.evidence.remove(u, c, id, q.confirm === 'true'),
      present: (r, names) => presentEvidence(r, names),
    }),
    ...collectionRoutes(s, {
      segment: 'stakeholders', idParam: 'entryId', tag: 'stakeholders', noun: 'stakeholder log entry', one: 'entry', many: 'entries',
      createBody: CreateStakeholderBody, updateBody: UpdateStakeholderBody, params: StakeholderParams,
      oneSchema: StakeholderResponse, manySchema: StakeholderListResponse,
      list: (u, c) => s.stakeholders.items.list(u, c),
      create: (u, c, b) => s.stakeholders.items.create(u, c, b),
      update: (u, c, id, b) => s.stakeholders.update(u, c, id, b),
      remove: (u, c, id) => s.stakeholders.items.remove(u, c, id),
      present: (r, names) => presentStakeholder(r, names, today()),
    }),
    ...collectionRoutes(s, {
      segment: 'coverage', idParam: 'requestId', tag: 'coverage', noun: 'coverage request', one: 'request', many: 'requests',
      createBody: CreateCoverageBody, updateBody: UpdateCoverageBody, params: CoverageParams,
      oneSchema: CoverageResponse, manySchema: CoverageListResponse,
      list: (u, c) => s.coverage.items.list(u, c),
      create: (u, c, b) => s.coverage.items.create(u, c, b),
      update: (u, c, id, b) => s.coverage.update(u, c, id, b),
      remove: (u, c, id) => s.coverage.items.remove(u, c, id),
      present: (r, names) => presentCoverage(r, names, today()),
    }),
    ...collectionRoutes(s, {
      segment: 'options', idParam: 'optionId', tag: 'options', noun: 'option', one: 'option', many: 'options',
      createBody: CreateOptionBody, updateBody: UpdateOptionBody, params: OptionParams,
      oneSchema: OptionResponse, manySchema: OptionListResponse,
      list: (u, c) => s.options.items.list(u, c),
      create: (u, c, b) => s.options.create(u, c, b),
      update: (u, c, id, b) => s.options.update(u, c, id, b),
      remove: (u, c, id) => s.options.items.remove(u, c, id),
      // Supporting evidence that was since deleted from the library is left out.
      prepare: async (caseId) => new Set((await s.store.evidence.list(caseId)).map((e) => e.id)),
      present: (r, names, library) => presentOption(r, names, library as Set<string>),
    }),
    ...readinessRoutes(s),
  ];
}

/** The readiness checklist answers with the items and the case's readiness summary. */
function readinessRoutes(s: Services): Route[] {
  const base = '/api/cases/:caseId/readiness';
  /** The whole checklist with its summary, or one item with the summary of the checklist it is in. */
  const answer = async (items: CaseItemRecord<ReadinessData>[], item?: CaseItemRecord<ReadinessData>) => {
    const names = await namesOf(s.store, [...items, ...(item ? [item] : [])].map((i) => i.data.confirmedBy));
    const summary = readinessSummary(items.map((i) => i.data));
    return item ? { item: presentReadiness(item, names), summary } : { items: items.map((i) => presentReadiness(i, names)), summary };
  };
  const withItem = async (caseId: string, item: CaseItemRecord<ReadinessData>) => answer(await s.store.readiness.list(caseId), item);
  return [
    defineRoute({
      method: 'get', path: base, tag: 'readiness', auth: true, summary: "The case's readiness checklist and whether it is ready for conference",
      params: CaseParams,
      responses: { 200: { description: 'Items in checklist order, and the summary.', schema: ReadinessResponse } },
      handler: async ({ user, params }) => ({ status: 200, body: await answer(await s.readiness.list(user, params.caseId)) }),
    }),
    defineRoute({
      method: 'post', path: base, tag: 'readiness', auth: true, summary: 'Add a readiness item (owners)',
      params: CaseParams, body: CreateReadinessItemBody,
      responses: { 201: { description: 'The new item and the summary.', schema: ReadinessItemResponse } },
      handler: async ({ user, params, body }) => ({ status: 201, body: await withItem(params.caseId, await s.readiness.add(user, params.caseId, body)) }),
    }),
    defineRoute({
      method: 'patch', path: `${base}/:itemId`, tag: 'readiness', auth: true,
      summary: 'Set an item missing, partial or complete (owners and editors); owners also change required and labels',
      params: ReadinessParams, body: UpdateReadinessItemBody,
      responses: { 200: { description: 'The item and the summary.', schema: ReadinessItemResponse } },
      handler: async ({ user, params, body }) => ({ status: 200, body: await withItem(params.caseId, await s.readiness.update(user, params.caseId, params.itemId, body)) }),
    }),
    defineRoute({
      method: 'delete', path: `${base}/:itemId`, tag: 'readiness', auth: true, summary: 'Remove an item an owner added (owners)',
      params: ReadinessParams,
      responses: { 204: { description: 'Removed.' } },
      handler: async ({ user, params }) => {
        await s.readiness.remove(user, params.caseId, params.itemId);
        return { status: 204 };
      },
    }),
  ];
}
