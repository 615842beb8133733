import type { Discipline } from '../../../shared/disciplines.js';
import type { CaseView, ResistanceEntry } from '../../../shared/schemas/cases.js';
import { DisciplineCheckboxes } from './DisciplineCheckboxes.js';
import { Field } from './Field.js';
import { ResistanceEditor } from './ResistanceEditor.js';

/** The editable details of a case, as a form holds them. */
export interface CaseDraft {
  title: string;
  patientRef: string;
  problem: string;
  resistance: ResistanceEntry[];
  requiredDisciplines: Discipline[];
}

/** A new case's form before anything is typed. */
export const EMPTY_DRAFT: CaseDraft = { title: '', patientRef: '', problem: '', resistance: [], requiredDisciplines: [] };

/** The draft a form starts from for an existing case. */
export function draftOf(c: CaseView): CaseDraft {
  return {
    title: c.title,
    patientRef: c.patientRef,
    problem: c.problem,
    resistance: c.resistance.map((r) => ({ ...r })),
    requiredDisciplines: [...c.requiredDisciplines],
  };
}

interface Props {
  idPrefix: string;
  value: CaseDraft;
  onChange(next: CaseDraft): void;
  errors: Record<string, string>;
  disabled?: boolean;
}

/** Title, patient reference, problem, resistance and required disciplines. */
export function CaseFields({ idPrefix, value, onChange, errors, disabled = false }: Props) {
  const set = (patch: Partial<CaseDraft>) => onChange({ ...value, ...patch });
  return (
    <>
      <Field id={`${idPrefix}-title`} label="Title" hint='A short name for the team, e.g. "Second-line immunotherapy denial".' error={errors.title}>
        {(p) => <input {...p} value={value.title} onChange={(e) => set({ title: e.target.value })} disabled={disabled} />}
      </Field>
      <Field
        id={`${idPrefix}-patientRef`}
        label="Patient reference"
        hint="pseudonymous code such as PT-4821 — never the patient's name"
        error={errors.patientRef}
      >
        {(p) => (
          <input {...p} className="mono" autoComplete="off" value={value.patientRef} onChange={(e) => set({ patientRef: e.target.value })} disabled={disabled} />
        )}
      </Field>
      <Field id={`${idPrefix}-problem`} label="Problem" hint="The clinical problem in a few sentences." error={errors.problem}>
        {(p) => <textarea {...p} rows={4} value={value.problem} onChange={(e) => set({ problem: e.target.value })} disabled={disabled} />}
      </Field>
      <ResistanceEditor idPrefix={`${idPrefix}-resistance`} value={value.resistance} onChange={(resistance) => set({ resistance })} errors={errors} disabled={disabled} />
      <DisciplineCheckboxes
        idPrefix={`${idPrefix}-disc`}
        value={value.requiredDisciplines}
        onChange={(requiredDisciplines) => set({ requiredDisciplines })}
        error={errors.requiredDisciplines}
        disabled={disabled}
      />
    </>
  );
}
