import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { check, errorsFrom, focusFirstError, NO_ERRORS, recheck, type FormErrors } from '../../lib/forms.js';

interface Options<D, S extends z.ZodType> {
  initial: D;
  /** The shared schema of the whole body: the same rules the server applies. */
  schema: S;
  toBody(draft: D): unknown;
  /** Sends the checked body; throws an ApiError whose field messages land next to the fields. */
  save(body: z.output<S>): Promise<void>;
  onError?(err: unknown): void;
}

/** A record form's state: the draft being typed, its errors, and how to change and submit it. */
export interface RecordForm<D> {
  draft: D;
  set(patch: Partial<D>): void;
  errors: FormErrors;
  busy: boolean;
  submit(e: FormEvent): Promise<void>;
}

/**
 * The state of a records form: a draft, field errors from the shared schema before sending
 * and from the server after, re-checked as the user fixes them, and focus on the first error.
 */
export function useRecordForm<D, S extends z.ZodType>({ initial, schema, toBody, save, onError }: Options<D, S>): RecordForm<D> {
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  const set = (patch: Partial<D>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    setErrors((cur) => recheck(schema, toBody(next), cur));
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const form = e.currentTarget as HTMLElement;
    const checked = check(schema, toBody(draft));
    if (!checked.ok) {
      setErrors(checked.errors);
      return focusFirstError(form);
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await save(checked.data);
    } catch (err) {
      onError?.(err);
      setErrors(errorsFrom(err));
      focusFirstError(form);
    } finally {
      setBusy(false);
    }
  }

  return { draft, set, errors, busy, submit };
}

/** The fields of `next` whose value differs from `base`, as a PATCH wants them. */
export function changedFields<T extends object>(next: T, base: Partial<Record<keyof T, unknown>>): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(next) as (keyof T)[]) {
    if (JSON.stringify(next[key]) !== JSON.stringify(base[key])) out[key] = next[key];
  }
  return out;
}
