import { EXPORT_FORMAT_LABELS, EXPORT_KIND_LABELS, EXPORT_KINDS, type ExportFormat, type ExportKind } from '../../../../shared/schemas/exports.js';
import type { ExportStatus } from '../../lib/exportsApi.js';
import { formatDateTime } from '../decide/words.js';

const KIND_HINTS: Record<ExportKind, string> = {
  consensus_summary: 'The record of the decision: the vote, the dissent, the evidence and the brief as it stood.',
  patient_summary: 'In plain language, for the patient. You can edit it.',
  appeal_letter: 'A medical-necessity letter for the insurer, with the evidence cited. You can edit it.',
};

/** Whether the case is decided, and on what. */
export function DecisionLine({ status }: { status: ExportStatus }) {
  if (status.decided) {
    return (
      <p className="export-decision is-decided">
        <span className="pill flag-ok">Decided</span>
        <span>
          {status.decidedAt ? `${formatDateTime(status.decidedAt)}: ` : ''}
          <strong>{status.recommendation ?? 'recommendation written'}</strong>
        </span>
      </p>
    );
  }
  return (
    <p className="export-decision">
      <span className="pill flag-neutral">Not decided</span>
      <span>No vote has closed with a decision and a written recommendation yet.</span>
    </p>
  );
}

/** The documents as a radio group, each marked when it needs a decision or will be a draft. */
export function KindChoice({ status, kind, onKind }: { status: ExportStatus; kind: ExportKind; onKind(kind: ExportKind): void }) {
  return (
    <fieldset className="fieldset export-choice">
      <legend>Document</legend>
      <div className="export-kinds">
        {EXPORT_KINDS.map((k) => {
          const ki = status.kinds.find((x) => x.kind === k);
          const tag = !ki ? null : !ki.available ? 'Needs a decision' : ki.draft ? 'Draft' : null;
          return (
            <label key={k} className={`export-kind${k === kind ? ' is-selected' : ''}`} htmlFor={`export-kind-${k}`}>
              <input id={`export-kind-${k}`} type="radio" name="export-kind" value={k} checked={k === kind} onChange={() => onKind(k)} aria-describedby={`export-kind-${k}-hint`} />
              <span className="export-kind-text">
                <span className="export-kind-name">
                  {EXPORT_KIND_LABELS[k]}
                  {tag && <span className={`pill ${ki?.available ? 'flag-warn' : 'flag-neutral'}`}>{tag}</span>}
                </span>
                <span className="export-kind-hint" id={`export-kind-${k}-hint`}>
                  {KIND_HINTS[k]}
                </span>
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}

/** The formats this document is offered in (the FHIR Bundle for the consensus summary only), as a radio group. */
export function FormatChoice({ formats, format, onFormat }: { formats: ExportFormat[]; format: ExportFormat; onFormat(format: ExportFormat): void }) {
  return (
    <fieldset className="fieldset export-choice">
      <legend>Format</legend>
      <div className="export-formats">
        {formats.map((f) => (
          <label key={f} className="checkbox" htmlFor={`export-format-${f}`}>
            <input id={`export-format-${f}`} type="radio" name="export-format" value={f} checked={f === format} onChange={() => onFormat(f)} />
            <span>{EXPORT_FORMAT_LABELS[f]}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
