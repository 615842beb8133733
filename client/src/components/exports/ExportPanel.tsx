import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { EXPORT_KIND_LABELS, PreviewBody, type ExportFormat, type ExportKind } from '../../../../shared/schemas/exports.js';
import { errorMessage } from '../../lib/api.js';
import { exportsApi, type ExportStatus } from '../../lib/exportsApi.js';
import { check, focusFirstError, NO_ERRORS } from '../../lib/forms.js';
import { DocumentPreview } from './DocumentPreview.js';
import { DecisionLine, FormatChoice, KindChoice } from './ExportChoices.js';
import { DownloadBar } from './DownloadBar.js';
import { ReadingMeter } from './ReadingMeter.js';
import { SectionEditor } from './SectionEditor.js';
import { isEdited, isEditable, toEditor, toSections, type ExportState } from './useExportState.js';
import { usePreview } from './usePreview.js';
import './exports.css';

type Load = { phase: 'loading' } | { phase: 'error'; message: string } | { phase: 'ready'; status: ExportStatus };

interface Props {
  caseId: string;
  /** Changes whenever a vote closes or a recommendation is written: the status is asked for again. */
  decisionKey: string;
  state: ExportState;
  onError(err: unknown): void;
}

/**
 * The workspace's Export tab: whether the case is decided, the document and format, the editor
 * for the patient summary and the letter (with the reading level for the patient), a live preview,
 * and the download with its progress and content hash.
 */
export function ExportPanel({ caseId, decisionKey, state, onError }: Props) {
  const [load, setLoad] = useState<Load>({ phase: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    exportsApi.status(caseId).then(
      (status) => live && setLoad({ phase: 'ready', status }),
      (err: unknown) => {
        onError(err);
        if (live) setLoad({ phase: 'error', message: errorMessage(err) });
      },
    );
    return () => {
      live = false;
    };
  }, [caseId, decisionKey, attempt, onError]);

  return (
    <section className="export-panel" aria-labelledby="export-heading">
      <div className="records-head">
        <h3 id="export-heading">Export</h3>
      </div>
      {load.phase === 'loading' && <p className="muted" role="status">Loading what this case can export…</p>}
      {load.phase === 'error' && (
        <div className="notice error" role="alert">
          <p>{load.message}</p>
          <button type="button" className="btn small" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      )}
      {load.phase === 'ready' && <ExportForm caseId={caseId} status={load.status} state={state} onError={onError} />}
    </section>
  );
}

function ExportForm({ caseId, status, state, onError }: { caseId: string; status: ExportStatus; state: ExportState; onError(err: unknown): void }) {
  const kind: ExportKind = state.kind ?? (status.decided ? 'consensus_summary' : 'patient_summary');
  const info = status.kinds.find((k) => k.kind === kind);
  const formats = info?.formats ?? [];
  const format: ExportFormat = formats.includes(state.format) ? state.format : 'pdf';
  const editable = isEditable(kind) ? kind : null;
  const draft = editable ? state.drafts[editable] : undefined;
  const [failed, setFailed] = useState<{ kind: ExportKind; message: string } | null>(null);
  const draftError = failed?.kind === kind ? failed.message : null;
  const [draftAttempt, setDraftAttempt] = useState(0);
  const editorRef = useRef<HTMLDivElement>(null);
  const { setDraft } = state;

  const loadDraft = useCallback(
    async (k: 'patient_summary' | 'appeal_letter') => {
      setFailed(null);
      try {
        const d = await exportsApi.draft(caseId, k);
        setDraft(k, { sections: toEditor(d.sections), original: d.sections, decided: !d.draft });
      } catch (err) {
        onError(err);
        setFailed({ kind: k, message: errorMessage(err) });
      }
    },
    [caseId, onError, setDraft],
  );

  // The first draft, once per document; again when the case was decided since, unless the author edited it.
  const stale = draft !== undefined && draft.decided !== status.decided;
  const edited = draft !== undefined && isEdited(draft);
  useEffect(() => {
    if (editable && info?.available && (draft === undefined || (stale && !edited))) void loadDraft(editable);
  }, [editable, info?.available, draft === undefined, stale, edited, draftAttempt, loadDraft]);

  const plain = useMemo(() => (draft ? toSections(draft.sections) : undefined), [draft]);
  const checked = useMemo(() => (plain ? check(PreviewBody, { sections: plain }) : null), [plain]);
  const errors = checked && !checked.ok ? checked.errors : NO_ERRORS;
  const available = info?.available ?? false;
  const preview = usePreview(caseId, kind, editable ? (checked?.ok ? plain : null) : undefined, available && (!editable || draft !== undefined), status.decidedAt, onError);

  return (
    <div className="export-form">
      <DecisionLine status={status} />

      <KindChoice status={status} kind={kind} onKind={state.setKind} />

      {!available && info?.reason && (
        <div className="notice warn export-reason" role="note">
          <p>{info.reason}</p>
        </div>
      )}

      {available && <FormatChoice formats={formats} format={format} onFormat={state.setFormat} />}

      {available && info?.draft && editable && (
        <p className="note">Until the team decides, this document is marked DRAFT on every page.</p>
      )}

      {editable && available && (
        <div ref={editorRef}>
          {draft === undefined && !draftError && <p className="muted" role="status">Drafting the {EXPORT_KIND_LABELS[editable].toLowerCase()}…</p>}
          {draftError && (
            <div className="notice error" role="alert">
              <p>The draft could not be made: {draftError}</p>
              <button type="button" className="btn small" onClick={() => setDraftAttempt((n) => n + 1)}>
                Try again
              </button>
            </div>
          )}
          {draft && (
            <>
              {stale && edited && (
                <p className="notice warn">
                  {status.decided ? 'The team has decided since this draft was made.' : 'The decision changed since this draft was made.'} Reset to the draft to start from the decision, or keep your edits.
                </p>
              )}
              <SectionEditor
                idPrefix={`edit-${editable}`}
                documentName={EXPORT_KIND_LABELS[editable]}
                sections={draft.sections}
                errors={errors}
                edited={edited}
                onChange={(sections) => setDraft(editable, { ...draft, sections })}
                onReset={() => loadDraft(editable)}
              />
            </>
          )}
        </div>
      )}

      {available && (
        <section className="export-preview-section" aria-labelledby="export-preview-heading">
          <div className="export-preview-bar">
            <h4 id="export-preview-heading">Preview</h4>
            {/* Seen, not announced: it would speak at every pause in typing. */}
            <span className="muted small">{preview.updating && preview.doc ? 'Updating…' : ''}</span>
          </div>
          {!checked?.ok && checked && <p className="notice warn">The preview waits until the sections marked above are corrected.</p>}
          {preview.error && (
            <div className="notice error" role="alert">
              <p>The preview could not be made: {preview.error}</p>
              <button type="button" className="btn small" onClick={preview.retry}>
                Try again
              </button>
            </div>
          )}
          {preview.doc ? <DocumentPreview doc={preview.doc} busy={preview.updating} /> : !preview.error && <p className="muted">Preparing the preview…</p>}
        </section>
      )}

      {available && (
        <DownloadBar
          caseId={caseId}
          kind={kind}
          format={format}
          sections={editable ? plain : undefined}
          blocked={editable && !draft ? 'The draft is still being prepared.' : null}
          beforeDownload={() => {
            if (checked && !checked.ok && editorRef.current) focusFirstError(editorRef.current);
            return !checked || checked.ok;
          }}
          onError={onError}
        >
          {editable === 'patient_summary' && plain && <ReadingMeter sections={plain} />}
        </DownloadBar>
      )}
    </div>
  );
}
