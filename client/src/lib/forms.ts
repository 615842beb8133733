import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { fieldErrors } from '../../../shared/validation.js';
import { ApiError, errorMessage } from './api.js';

/** Per-field messages plus one message for the whole form (shown in its aria-live summary). */
export interface FormErrors {
  fields: Record<string, string>;
  message: string | null;
}

/** A form with nothing to complain about. */
export const NO_ERRORS: FormErrors = { fields: {}, message: null };

/**
 * Checks a form's value with the same zod schema the server uses, so that the user sees the
 * server's own message next to the field before anything is sent.
 */
export function check<S extends z.ZodType>(schema: S, value: unknown): { ok: true; data: z.output<S> } | { ok: false; errors: FormErrors } {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, data: parsed.data };
  const fields = readable(fieldErrors(parsed.error));
  return { ok: false, errors: { fields, message: summary(fields) } };
}

/**
 * After a failed submit, re-checks the form on each change so that a message disappears as
 * soon as its field is fixed (and no new messages appear before the user asked to submit).
 */
export function recheck<S extends z.ZodType>(schema: S, value: unknown, current: FormErrors): FormErrors {
  if (current === NO_ERRORS) return current;
  const result = check(schema, value);
  if (result.ok) return NO_ERRORS;
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(result.errors.fields)) if (k in current.fields) fields[k] = v;
  return Object.keys(fields).length === 0 ? NO_ERRORS : { fields, message: summary(fields) };
}

/** Turns whatever a request threw into form errors, keeping the server's field map. */
export function errorsFrom(err: unknown): FormErrors {
  if (err instanceof ApiError) {
    const fields = readable(err.fields);
    // For a schema failure the fields say it all; otherwise (wrong password, unknown email)
    // the server's sentence explains the situation and the field shows where.
    const message = err.code === 'validation_failed' && Object.keys(fields).length > 0 ? summary(fields) : err.message;
    return { fields, message };
  }
  return { fields: {}, message: errorMessage(err) };
}

/** Enum messages list raw codes ("must be one of: social_work, …"); a select only needs "must be chosen". */
function readable(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = v.startsWith('must be one of:') ? 'must be chosen from the list' : v;
  return out;
}

function summary(fields: Record<string, string>): string {
  const n = Object.keys(fields).length;
  if (fields.body) return `Please check the form: ${fields.body}.`;
  return n === 1 ? 'Please correct the field marked below.' : `Please correct the ${n} fields marked below.`;
}

/** Moves keyboard focus to the first field marked invalid in `form`, once React has rendered the errors. */
export function focusFirstError(form: HTMLElement): void {
  requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}

/**
 * The submit flow every form shares: check the value with the shared schema (messages next to
 * the fields, focus on the first), send the parsed value, and turn a refusal into the server's
 * field messages. `onError` also hears failures (e.g. to notice a lost session).
 */
export function useFormSubmit<S extends z.ZodType>(schema: S, send: (data: z.output<S>) => Promise<void>, onError?: (err: unknown) => void) {
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent, value: unknown): Promise<void> {
    e.preventDefault();
    const formEl = e.currentTarget as HTMLElement;
    const checked = check(schema, value);
    if (!checked.ok) {
      setErrors(checked.errors);
      return focusFirstError(formEl);
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await send(checked.data);
    } catch (err) {
      onError?.(err);
      setErrors(errorsFrom(err));
      focusFirstError(formEl);
    } finally {
      setBusy(false);
    }
  }
  return { errors, setErrors, busy, submit };
}
