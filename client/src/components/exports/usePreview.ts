import { useEffect, useRef, useState } from 'react';
import type { EditableSection, ExportKind } from '../../../../shared/schemas/exports.js';
import { errorMessage } from '../../lib/api.js';
import { exportsApi, type ExportDocument } from '../../lib/exportsApi.js';

/** How long typing must pause before the preview is asked for again. */
export const PREVIEW_DEBOUNCE_MS = 400;

export interface Preview {
  /** The latest document for this kind (kept on screen while a newer one is asked for). */
  doc: ExportDocument | null;
  updating: boolean;
  error: string | null;
  retry(): void;
}

/**
 * The preview of one document, asked of the server: at once for a new document, and after a
 * pause in typing for edited sections. Answers that arrive after a newer question are dropped.
 * `sections` null means "not valid now: keep the last preview".
 */
export function usePreview(caseId: string, kind: ExportKind, sections: EditableSection[] | null | undefined, enabled: boolean, refreshKey: unknown, onError: (err: unknown) => void): Preview {
  const [state, setState] = useState<{ kind: ExportKind; doc: ExportDocument } | null>(null);
  const [updating, setUpdating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const seq = useRef(0);
  const lastKind = useRef<ExportKind | null>(null);
  const body = sections === undefined ? 'draft' : sections === null ? null : JSON.stringify(sections);

  useEffect(() => {
    if (!enabled || body === null) return;
    const n = ++seq.current;
    const immediate = lastKind.current !== kind;
    lastKind.current = kind;
    setUpdating(true);
    const timer = setTimeout(
      () => {
        const parsed = body === 'draft' ? undefined : (JSON.parse(body) as EditableSection[]);
        exportsApi.preview(caseId, kind, parsed).then(
          ({ document }) => {
            if (n !== seq.current) return;
            setState({ kind, doc: document });
            setError(null);
            setUpdating(false);
          },
          (err: unknown) => {
            if (n !== seq.current) return;
            onError(err);
            setError(errorMessage(err));
            setUpdating(false);
          },
        );
      },
      immediate ? 0 : PREVIEW_DEBOUNCE_MS,
    );
    return () => clearTimeout(timer);
  }, [caseId, kind, body, enabled, refreshKey, attempt, onError]);

  return { doc: state?.kind === kind ? state.doc : null, updating: updating && enabled, error, retry: () => setAttempt((a) => a + 1) };
}
