import { useEffect, useRef, useState, type ReactNode } from 'react';
import { EXPORT_FORMAT_LABELS, type EditableSection, type ExportFormat, type ExportKind } from '../../../../shared/schemas/exports.js';
import { errorMessage, saveFile, type DownloadProgress } from '../../lib/api.js';
import { exportsApi } from '../../lib/exportsApi.js';
import { fullTime } from '../../lib/format.js';

/** Short names for the progress line: "Preparing the PDF… 120 KB". */
const FORMAT_NOUN: Record<ExportFormat, string> = { md: 'Markdown file', html: 'HTML file', pdf: 'PDF', fhir: 'FHIR Bundle' };

type State =
  | { phase: 'idle' }
  | { phase: 'busy'; progress: DownloadProgress }
  | { phase: 'done'; filename: string; size: number; hash: string | null; generatedAt: string | null }
  | { phase: 'error'; message: string };

interface Props {
  caseId: string;
  kind: ExportKind;
  format: ExportFormat;
  /** The author's sections (patient summary, letter); undefined for the consensus summary. */
  sections: EditableSection[] | undefined;
  /** Why nothing can be downloaded now, if so (shown instead of downloading). */
  blocked: string | null;
  /** Called before downloading: false when the sections must be corrected first. */
  beforeDownload(): boolean;
  onError(err: unknown): void;
  /** Shown above the button, in sight while the author scrolls (the patient summary's reading level). */
  children?: ReactNode;
}

/** "12 KB", "1.4 MB". */
export function kilobytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(0, Math.round(bytes / 1024))} KB`;
}

/**
 * The Download button: posts the choice (and the author's sections), reads the answer as it
 * streams in with a progress bar, then saves it under the server's file name and shows the
 * content hash that the audit log recorded. Failures are said in an alert.
 */
export function DownloadBar({ caseId, kind, format, sections, blocked, beforeDownload, onError, children }: Props) {
  const [state, setState] = useState<State>({ phase: 'idle' });
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);
  // A different document or format: the last result no longer describes it.
  useEffect(() => setState((s) => (s.phase === 'busy' ? s : { phase: 'idle' })), [kind, format]);

  async function download() {
    if (blocked) return setState({ phase: 'error', message: blocked });
    if (!beforeDownload()) return setState({ phase: 'error', message: 'Please correct the sections marked above before downloading.' });
    setState({ phase: 'busy', progress: { received: 0, total: null } });
    try {
      const file = await exportsApi.download(caseId, kind, { format, ...(sections ? { sections } : {}) }, (progress) => {
        if (live.current) setState({ phase: 'busy', progress });
      });
      const filename = file.filename ?? `consilium-${kind}.${format === 'fhir' ? 'fhir.json' : format}`;
      saveFile(file.blob, filename);
      if (live.current) {
        setState({ phase: 'done', filename, size: file.blob.size, hash: file.headers.get('X-Content-Hash'), generatedAt: file.headers.get('X-Generated-At') });
      }
    } catch (err) {
      onError(err);
      if (live.current) setState({ phase: 'error', message: errorMessage(err) });
    }
  }

  const busy = state.phase === 'busy';
  const noun = FORMAT_NOUN[format];
  return (
    <div className="download-bar">
      {children}
      <div className="download-row">
        <button type="button" className="btn primary" onClick={() => void download()} disabled={busy} aria-describedby="download-what">
          {busy ? 'Downloading…' : 'Download'}
        </button>
        <span id="download-what" className="muted small download-what">
          {EXPORT_FORMAT_LABELS[format]}
        </span>
      </div>
      <div role="status" aria-live="polite" className="download-status">
        {state.phase === 'busy' && (
          <div className="download-progress">
            <span>
              Preparing the {noun}…{state.progress.received > 0 ? ` ${kilobytes(state.progress.received)}` : ''}
              {state.progress.total ? ` of ${kilobytes(state.progress.total)}` : ''}
            </span>
            {/* No value: an indeterminate bar until the size is known. */}
            {state.progress.total ? (
              <progress max={state.progress.total} value={state.progress.received} aria-label={`Downloading the ${noun}`} />
            ) : (
              <progress aria-label={`Preparing the ${noun}`} />
            )}
          </div>
        )}
        {state.phase === 'done' && (
          <p className="download-done">
            Downloaded <strong className="download-filename">{state.filename}</strong> ({kilobytes(state.size)})
            {state.generatedAt ? `, generated ${fullTime(state.generatedAt)}` : ''}.
            {state.hash && (
              <>
                {' '}
                Content hash <code className="export-hash" data-testid="download-hash">{state.hash}</code>
              </>
            )}
          </p>
        )}
      </div>
      <div role="alert" className="download-error-slot">
        {state.phase === 'error' && <p className="notice error download-error">{state.message}</p>}
      </div>
    </div>
  );
}
