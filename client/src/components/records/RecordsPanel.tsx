import type { CaseView } from '../../../../shared/schemas/cases.js';
import { useCitations } from '../../editor/citationHooks.js';
import type { CitationIndex } from '../../editor/citationIndex.js';
import type { ItemDiscussion } from '../discussion/itemThreads.js';
import { OptionsPanel, type OptionReveal } from '../options/OptionsPanel.js';
import { Tabs } from '../Tabs.js';
import { CoveragePanel } from './CoveragePanel.js';
import { EvidencePanel } from './EvidencePanel.js';
import { ReadinessPanel } from './ReadinessPanel.js';
import { StakeholderPanel } from './StakeholderPanel.js';
import type { CaseRecords, RecordsSection } from './useCaseRecords.js';
import './records.css';

interface Props {
  caseView: CaseView;
  records: CaseRecords;
  citations: CitationIndex;
  /** Threads on evidence items, and starting one. */
  evidenceDiscussion: ItemDiscussion;
  /** Threads on options, and starting one. */
  optionDiscussion: ItemDiscussion;
  /** An option to show (from a thread), until it was shown. */
  optionReveal: OptionReveal | null;
  onOptionRevealed(): void;
  onError(err: unknown): void;
}

/**
 * The case's records in one side-panel tab, as five sections: the evidence library, the
 * options, the stakeholder log, the readiness checklist and coverage requests. Editors and
 * owners change them; everyone else reads.
 */
export function RecordsPanel({ caseView, records, citations, evidenceDiscussion, optionDiscussion, optionReveal, onOptionRevealed, onError }: Props) {
  useCitations(citations);
  const { health, abilities } = caseView;
  const caseId = caseView.id;
  const canEdit = abilities.editRecords;

  if (records.error && !records.evidence) {
    return (
      <div className="notice error" role="alert">
        <p>Could not load the case&apos;s records: {records.error}</p>
        <button type="button" className="btn small" onClick={records.reload}>Try again</button>
      </div>
    );
  }

  const deadlines = health.deadlinesOverdue + health.deadlinesDueSoon;
  const r = health.readiness;
  return (
    <div className="records-panel">
      <Tabs
        label="Records"
        selected={`rec-${records.section}`}
        onSelect={(id) => records.setSection(id.slice(4) as RecordsSection)}
        tabs={[
          {
            id: 'rec-evidence',
            label: <>Evidence{records.evidence ? <span className="rec-tab-count"> {records.evidence.length}</span> : null}</>,
            panel: <EvidencePanel caseId={caseId} items={records.evidence} index={citations} canEdit={canEdit} discussion={evidenceDiscussion} onSaved={(e) => records.upsert('evidence', e)} onDeleted={(id) => records.remove('evidence', id)} onError={onError} />,
          },
          {
            id: 'rec-options',
            label: <>Options{records.option ? <span className="rec-tab-count"> {records.option.length}</span> : null}</>,
            panel: (
              <OptionsPanel caseId={caseId} options={records.option} library={records.evidence} canEdit={canEdit} discussion={optionDiscussion} reveal={optionReveal} onRevealed={onOptionRevealed}
                onShowEvidence={(id) => citations.open(id, true)} onSaved={(o) => records.upsert('option', o)} onDeleted={(id) => records.remove('option', id)} onError={onError} />
            ),
          },
          {
            id: 'rec-stakeholders',
            label: <>Stakeholders{health.overdueNextSteps > 0 && <span className="tab-flag danger"> {health.overdueNextSteps} overdue</span>}</>,
            panel: <StakeholderPanel caseId={caseId} entries={records.stakeholder} canEdit={canEdit} onSaved={(e) => records.upsert('stakeholder', e)} onDeleted={(id) => records.remove('stakeholder', id)} onError={onError} />,
          },
          {
            id: 'rec-readiness',
            label: <>Readiness <span className={`tab-flag ${r.ready ? 'ok' : ''}`}>{r.ready ? 'Ready' : `${r.complete}/${r.required}`}</span></>,
            panel: (
              <ReadinessPanel caseId={caseId} items={records.readiness} summary={records.readinessSummary} canEdit={canEdit} canManage={abilities.manageChecklist}
                onSaved={(i) => records.upsert('readiness', i)} onDeleted={(id) => records.remove('readiness', id)} onError={onError} />
            ),
          },
          {
            id: 'rec-coverage',
            label: <>Coverage{deadlines > 0 && <span className={`tab-flag ${health.deadlinesOverdue ? 'danger' : 'warn'}`}> {deadlines} deadline{deadlines === 1 ? '' : 's'}</span>}</>,
            panel: <CoveragePanel caseId={caseId} requests={records.coverage} canEdit={canEdit} onSaved={(c) => records.upsert('coverage', c)} onDeleted={(id) => records.remove('coverage', id)} onError={onError} />,
          },
        ]}
      />
    </div>
  );
}
