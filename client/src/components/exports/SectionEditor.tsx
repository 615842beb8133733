import { useRef } from 'react';
import type { FormErrors } from '../../lib/forms.js';
import { ConfirmButton } from '../ConfirmButton.js';
import { Field } from '../Field.js';
import { sectionKey, type EditorSection } from './useExportState.js';

/** The most sections a document may have (the shared schema's limit). */
export const MAX_SECTIONS = 30;

interface Props {
  /** Names the fields' ids: one editor per document. */
  idPrefix: string;
  documentName: string;
  sections: EditorSection[];
  /** Messages from the shared schema, keyed `sections.<n>.heading` / `sections.<n>.text`. */
  errors: FormErrors;
  edited: boolean;
  onChange(sections: EditorSection[]): void;
  onReset(): Promise<void>;
}

/**
 * The author's editor for the patient summary or the letter: a heading and a text per section,
 * sections added and removed, and a way back to the server's draft. Blank lines separate
 * paragraphs; a paragraph that is exactly "[TO COMPLETE: …]" is a place still to fill.
 */
export function SectionEditor({ idPrefix, documentName, sections, errors, edited, onChange, onReset }: Props) {
  const listRef = useRef<HTMLOListElement>(null);
  const patch = (key: string, change: Partial<EditorSection>) => onChange(sections.map((s) => (s.key === key ? { ...s, ...change } : s)));
  const focusHeading = (index: number) =>
    requestAnimationFrame(() => listRef.current?.querySelectorAll<HTMLInputElement>('input[type="text"]')[index]?.focus());

  const add = () => {
    onChange([...sections, { key: sectionKey(), heading: '', text: '' }]);
    focusHeading(sections.length);
  };
  const remove = (index: number) => {
    onChange(sections.filter((_, i) => i !== index));
    focusHeading(Math.max(0, index - 1));
  };

  return (
    <section className="section-editor" aria-labelledby={`${idPrefix}-heading`}>
      <div className="section-editor-head">
        <h4 id={`${idPrefix}-heading`}>Edit the {documentName.toLowerCase()}</h4>
        {edited && <span className="pill flag-neutral">Edited</span>}
        <ConfirmButton label="Reset to the draft" question="Discard your edits and start again from the draft?" confirmLabel="Yes, reset" disabled={!edited} onConfirm={onReset} />
      </div>
      <p className="hint">
        Blank lines separate paragraphs. A paragraph that is exactly <code>[TO COMPLETE: …]</code> is highlighted as a place you still have to fill in.
      </p>
      <ol className="section-list" ref={listRef}>
        {sections.map((s, i) => {
          const n = i + 1;
          return (
            <li key={s.key} className="section-item">
              <fieldset className="fieldset section-fieldset">
                <legend>Section {n}</legend>
                <Field id={`${idPrefix}-${s.key}-heading`} label="Heading" name={`The heading of section ${n}`} error={errors.fields[`sections.${i}.heading`]}>
                  {(p) => <input {...p} type="text" value={s.heading} onChange={(e) => patch(s.key, { heading: e.target.value })} />}
                </Field>
                <Field id={`${idPrefix}-${s.key}-text`} label="Text" name={`The text of section ${n}`} error={errors.fields[`sections.${i}.text`]}>
                  {(p) => <textarea {...p} rows={Math.min(12, Math.max(3, s.text.split('\n').length + 1))} value={s.text} onChange={(e) => patch(s.key, { text: e.target.value })} />}
                </Field>
                {sections.length > 1 && (
                  <div className="section-remove">
                    <ConfirmButton label="Remove section" ariaLabel={`Remove section ${n}${s.heading ? `: ${s.heading}` : ''}`} question={`Remove section ${n}?`} confirmLabel="Yes, remove" danger
                      onConfirm={() => remove(i)} />
                  </div>
                )}
              </fieldset>
            </li>
          );
        })}
      </ol>
      {errors.fields.sections && <p className="field-error">The sections {errors.fields.sections}.</p>}
      <div className="form-actions tight">
        <button type="button" className="btn small" onClick={add} disabled={sections.length >= MAX_SECTIONS}>
          + Add a section
        </button>
        {sections.length >= MAX_SECTIONS && <span className="muted small">A document has at most {MAX_SECTIONS} sections.</span>}
      </div>
    </section>
  );
}
