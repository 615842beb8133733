import { useMemo } from 'react';
import { PATIENT_GRADE_LIMIT, readingLevel } from '../../../../shared/readability.js';
import type { EditableSection } from '../../../../shared/schemas/exports.js';

/** Places to complete are the author's notes to themselves, not words the patient reads. */
const PLACEHOLDERS = /\[TO COMPLETE:[^\]]*\]/g;

/** The text the reading level is measured over: every section's text, without the places to complete. */
export function patientText(sections: EditableSection[]): string {
  return sections.map((s) => s.text.replace(PLACEHOLDERS, ' ')).join('\n\n');
}

/**
 * The patient summary's reading level, live as the author types: the Flesch-Kincaid grade from
 * the same function the server uses, on a meter, with a warning above grade 8. It sits in the
 * download bar, so that it stays in sight whichever section is being edited.
 */
export function ReadingMeter({ sections }: { sections: EditableSection[] }) {
  const level = useMemo(() => readingLevel(patientText(sections)), [sections]);
  const over = level.grade > PATIENT_GRADE_LIMIT;
  return (
    <div className={`reading-meter${over ? ' is-over' : ''}`}>
      <div className="reading-meter-row">
        <label htmlFor="reading-level">Reading level</label>
        <meter id="reading-level" min={0} max={16} low={PATIENT_GRADE_LIMIT} high={12} optimum={0} value={Math.min(16, Math.max(0, level.grade))}
          aria-valuetext={`Grade ${level.grade}`} />
        <span className="reading-grade" data-testid="reading-grade">
          Grade {level.grade.toFixed(1)}
        </span>
      </div>
      {/* Always in the page, so that crossing the limit is announced as it happens. */}
      <div role="status" aria-live="polite" className="reading-warning-slot">
        {over && (
          <p className="notice warn reading-warning">
            <strong>Harder than grade {PATIENT_GRADE_LIMIT}.</strong> Aim for grade {PATIENT_GRADE_LIMIT} or below: shorter sentences, everyday words.
          </p>
        )}
      </div>
      {!over && (
        <p className="reading-detail">
          Flesch-Kincaid grade over {level.words} {level.words === 1 ? 'word' : 'words'} in {level.sentences} {level.sentences === 1 ? 'sentence' : 'sentences'}; patient materials should read at grade {PATIENT_GRADE_LIMIT} or below.
        </p>
      )}
    </div>
  );
}
