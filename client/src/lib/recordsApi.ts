import type { CoverageView, CreateCoverageBody, UpdateCoverageBody } from '../../../shared/schemas/coverage.js';
import type { CreateOptionBody, OptionView, UpdateOptionBody } from '../../../shared/schemas/options.js';
import type { CreateEvidenceBody, EvidenceView, UpdateEvidenceBody } from '../../../shared/schemas/evidence.js';
import type {
  CreateReadinessItemBody,
  ReadinessItemView,
  ReadinessSummary,
  UpdateReadinessItemBody,
} from '../../../shared/schemas/readiness.js';
import type { CreateStakeholderBody, StakeholderView, UpdateStakeholderBody } from '../../../shared/schemas/stakeholders.js';
import { request } from './api.js';

const enc = encodeURIComponent;
const base = (caseId: string, segment: string) => `/api/cases/${enc(caseId)}/${segment}`;

type Readiness = { items: ReadinessItemView[]; summary: ReadinessSummary };
type ReadinessOne = { item: ReadinessItemView; summary: ReadinessSummary };

/**
 * Typed calls for a case's records: the evidence library, the stakeholder log, the readiness
 * checklist and coverage requests. Every call rejects with an ApiError on failure.
 */
export const recordsApi = {
  listEvidence: (caseId: string) => request<{ evidence: EvidenceView[] }>('GET', base(caseId, 'evidence')),
  createEvidence: (caseId: string, body: CreateEvidenceBody) => request<{ evidence: EvidenceView }>('POST', base(caseId, 'evidence'), body),
  updateEvidence: (caseId: string, id: string, body: UpdateEvidenceBody) =>
    request<{ evidence: EvidenceView }>('PATCH', `${base(caseId, 'evidence')}/${enc(id)}`, body),
  /** Answers 409 confirmation_required while the brief still cites the item, unless `confirm`. */
  deleteEvidence: (caseId: string, id: string, confirm = false) =>
    request<void>('DELETE', `${base(caseId, 'evidence')}/${enc(id)}${confirm ? '?confirm=true' : ''}`),

  listStakeholders: (caseId: string) => request<{ entries: StakeholderView[] }>('GET', base(caseId, 'stakeholders')),
  createStakeholder: (caseId: string, body: CreateStakeholderBody) => request<{ entry: StakeholderView }>('POST', base(caseId, 'stakeholders'), body),
  updateStakeholder: (caseId: string, id: string, body: UpdateStakeholderBody) =>
    request<{ entry: StakeholderView }>('PATCH', `${base(caseId, 'stakeholders')}/${enc(id)}`, body),
  deleteStakeholder: (caseId: string, id: string) => request<void>('DELETE', `${base(caseId, 'stakeholders')}/${enc(id)}`),

  listReadiness: (caseId: string) => request<Readiness>('GET', base(caseId, 'readiness')),
  addReadinessItem: (caseId: string, body: CreateReadinessItemBody) => request<ReadinessOne>('POST', base(caseId, 'readiness'), body),
  updateReadinessItem: (caseId: string, id: string, body: UpdateReadinessItemBody) =>
    request<ReadinessOne>('PATCH', `${base(caseId, 'readiness')}/${enc(id)}`, body),
  removeReadinessItem: (caseId: string, id: string) => request<void>('DELETE', `${base(caseId, 'readiness')}/${enc(id)}`),

  listCoverage: (caseId: string) => request<{ requests: CoverageView[] }>('GET', base(caseId, 'coverage')),
  createCoverage: (caseId: string, body: CreateCoverageBody) => request<{ request: CoverageView }>('POST', base(caseId, 'coverage'), body),
  updateCoverage: (caseId: string, id: string, body: UpdateCoverageBody) =>
    request<{ request: CoverageView }>('PATCH', `${base(caseId, 'coverage')}/${enc(id)}`, body),
  deleteCoverage: (caseId: string, id: string) => request<void>('DELETE', `${base(caseId, 'coverage')}/${enc(id)}`),
  listOptions: (caseId: string) => request<{ options: OptionView[] }>('GET', base(caseId, 'options')),
  createOption: (caseId: string, body: CreateOptionBody) => request<{ option: OptionView }>('POST', base(caseId, 'options'), body),
  updateOption: (caseId: string, id: string, body: UpdateOptionBody) =>
    request<{ option: OptionView }>('PATCH', `${base(caseId, 'options')}/${enc(id)}`, body),
  deleteOption: (caseId: string, id: string) => request<void>('DELETE', `${base(caseId, 'options')}/${enc(id)}`),
};
