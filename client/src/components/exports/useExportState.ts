import { useMemo, useState } from 'react';
import type { EditableSection, ExportFormat, ExportKind } from '../../../../shared/schemas/exports.js';

/** The documents the author edits before download. */
export type EditableKind = 'patient_summary' | 'appeal_letter';
export const isEditable = (kind: ExportKind): kind is EditableKind => kind !== 'consensus_summary';

/** One section in the editor, with a key of its own so React keeps each field's focus and caret. */
export interface EditorSection extends EditableSection {
  key: string;
}

/** The author's sections of one document and the server's draft they started from. */
export interface SectionDraft {
  sections: EditorSection[];
  original: EditableSection[];
  /** Whether the case was decided when the draft was made (the draft changes with the decision). */
  decided: boolean;
}

/** What the Export tab remembers while the workspace is open: the choices and the edits. */
export interface ExportState {
  kind: ExportKind | null;
  format: ExportFormat;
  drafts: Partial<Record<EditableKind, SectionDraft>>;
  setKind(kind: ExportKind): void;
  setFormat(format: ExportFormat): void;
  setDraft(kind: EditableKind, draft: SectionDraft | undefined): void;
}

let counter = 0;
/** A key for a new editor section. */
export const sectionKey = (): string => `s${(counter += 1)}`;

/** Editor sections from plain ones. */
export const toEditor = (sections: EditableSection[]): EditorSection[] => sections.map((s) => ({ ...s, key: sectionKey() }));

/** Plain sections, as the API takes them. */
export const toSections = (sections: EditorSection[]): EditableSection[] => sections.map(({ heading, text }) => ({ heading, text }));

/** Whether the author changed the draft. */
export const isEdited = (d: SectionDraft): boolean => JSON.stringify(toSections(d.sections)) !== JSON.stringify(d.original);

/**
 * The Export tab's state, held by the workspace: the tab's panel unmounts when another tab is
 * shown, and an author who checks the Records tab mid-letter must find the letter as they left it.
 */
export function useExportState(): ExportState {
  const [kind, setKind] = useState<ExportKind | null>(null);
  const [format, setFormat] = useState<ExportFormat>('pdf');
  const [drafts, setDrafts] = useState<ExportState['drafts']>({});
  return useMemo(
    () => ({
      kind,
      format,
      drafts,
      setKind,
      setFormat,
      setDraft: (k: EditableKind, d: SectionDraft | undefined) => setDrafts((cur) => ({ ...cur, [k]: d })),
    }),
    [kind, format, drafts],
  );
}
