import { isLocalDateTime, isValidTimeZone, zonedToUtc } from '../../../../shared/time.js';
import type { WarningView } from '../../../../shared/schemas/conferences.js';
import { timeZoneNames, viewerTimeZone, whenText } from '../../lib/conferenceTime.js';
import { Field, sentence } from '../Field.js';
import { localTime, newSlot, ruleOf, weeklyDaysOf, type ConferenceDraft } from './draft.js';
import { describeRule, WEEKDAYS } from './rrule.js';
import { WarningList } from './WarningList.js';
import type { ConflictCheck } from './useConflictCheck.js';

interface Props {
  draft: ConferenceDraft;
  set(patch: Partial<ConferenceDraft>): void;
  errors: Record<string, string>;
  conflicts: ConflictCheck;
}

/** The draft's time read in the viewer's zone, when the organizer plans in another one. */
function ForYou({ date, start, end, zone }: { date: string; start: string; end: string; zone: string }) {
  const viewer = viewerTimeZone();
  const s = localTime(date, start);
  const e = localTime(date, end);
  if (zone === viewer || !s || !e || !isLocalDateTime(s) || !isLocalDateTime(e) || e <= s || !isValidTimeZone(zone)) return null;
  return <p className="muted small">In your time zone: {whenText(zonedToUtc(s, zone), zonedToUtc(e, zone), viewer)}</p>;
}

/** Conflicts found for one time, or that the check is under way. */
function Conflicts({ check, keyName, label }: { check: ConflictCheck; keyName: string; label: string }) {
  const found: WarningView[] = check.warnings[keyName] ?? [];
  return <WarningList warnings={found} label={label} />;
}

/**
 * When: the time zone the times are read in; then either a fixed time (date, start, end, and an
 * optional weekly repeat or a hand-written RRULE) or two or more candidate slots for a poll.
 */
export function WhenFields({ draft, set, errors, conflicts }: Props) {
  const zones = timeZoneNames(draft.timeZone);
  const rule = ruleOf(draft);
  const days = weeklyDaysOf(draft);
  const slotsError = errors.pollSlots;
  return (
    <fieldset className="fieldset conf-when">
      <legend>When</legend>
      <Field id="conf-zone" label="Time zone" hint={`Times are read in this zone. Yours is ${viewerTimeZone()}.`} error={errors.timeZone}>
        {(p) => (
          <select {...p} value={draft.timeZone} onChange={(e) => set({ timeZone: e.target.value })}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="segmented" role="radiogroup" aria-label="How to set the time">
        <label className="seg-radio">
          <input type="radio" name="conf-mode" checked={draft.mode === 'fixed'} onChange={() => set({ mode: 'fixed' })} />
          <span>At a fixed time</span>
        </label>
        <label className="seg-radio">
          <input type="radio" name="conf-mode" checked={draft.mode === 'poll'} onChange={() => set({ mode: 'poll' })} />
          <span>Find a time (poll)</span>
        </label>
      </div>

      {draft.mode === 'fixed' ? (
        <>
          <div className="time-row">
            <Field id="conf-date" label="Date" name="The start" error={errors.start}>
              {(p) => <input {...p} type="date" value={draft.date} onChange={(e) => set({ date: e.target.value })} />}
            </Field>
            <Field id="conf-start" label="Start" name="The start">
              {(p) => <input {...p} type="time" value={draft.start} onChange={(e) => set({ start: e.target.value })} aria-invalid={errors.start ? true : undefined} />}
            </Field>
            <Field id="conf-end" label="End" error={errors.end}>
              {(p) => <input {...p} type="time" value={draft.end} onChange={(e) => set({ end: e.target.value })} />}
            </Field>
          </div>
          <ForYou date={draft.date} start={draft.start} end={draft.end} zone={draft.timeZone} />
          <fieldset className="fieldset inner" aria-describedby={errors.rrule ? 'conf-rrule-error' : undefined}>
            <legend>Repeats</legend>
            <div className="radio-row">
              {(['none', 'weekly', 'custom'] as const).map((r) => (
                <label key={r} className="checkbox" htmlFor={`conf-repeat-${r}`}>
                  <input id={`conf-repeat-${r}`} type="radio" name="conf-repeat" checked={draft.repeat === r}
                    onChange={() => set(r === 'custom' && draft.rrule === '' ? { repeat: r, rrule: ruleOf({ ...draft, repeat: 'weekly' }) ?? '' } : { repeat: r })} />
                  <span>{r === 'none' ? 'Does not repeat' : r === 'weekly' ? 'Repeats weekly' : 'Custom repeat rule (RRULE)'}</span>
                </label>
              ))}
            </div>
            {draft.repeat === 'weekly' && (
              <>
                <div className="weekday-row" role="group" aria-label="On these days">
                  {WEEKDAYS.map((w) => (
                    <label key={w.code} className="checkbox weekday" htmlFor={`conf-day-${w.code}`}>
                      <input id={`conf-day-${w.code}`} type="checkbox" checked={days.includes(w.code)} aria-label={w.long}
                        onChange={(e) => set({ weeklyDays: e.target.checked ? [...days, w.code] : days.filter((d) => d !== w.code) })} />
                      <span aria-hidden="true">{w.short}</span>
                    </label>
                  ))}
                </div>
                <div className="radio-row ends-row">
                  <label className="checkbox" htmlFor="conf-ends-count">
                    <input id="conf-ends-count" type="radio" name="conf-ends" checked={draft.weeklyEnds === 'count'} onChange={() => set({ weeklyEnds: 'count' })} />
                    <span>Ends after</span>
                  </label>
                  <input type="number" min={1} max={260} className="input-short" aria-label="Number of meetings" value={draft.weeklyCount}
                    disabled={draft.weeklyEnds !== 'count'} onChange={(e) => set({ weeklyCount: e.target.value })} />
                  <span>meetings</span>
                  <label className="checkbox" htmlFor="conf-ends-until">
                    <input id="conf-ends-until" type="radio" name="conf-ends" checked={draft.weeklyEnds === 'until'} onChange={() => set({ weeklyEnds: 'until' })} />
                    <span>Ends on</span>
                  </label>
                  <input type="date" aria-label="Last day" value={draft.weeklyUntil} className="input-date" disabled={draft.weeklyEnds !== 'until'}
                    onChange={(e) => set({ weeklyUntil: e.target.value })} />
                </div>
              </>
            )}
            {draft.repeat === 'custom' && (
              <Field id="conf-rrule" label="Repeat rule" hint="RFC 5545, e.g. FREQ=WEEKLY;BYDAY=TH;COUNT=12. It must end: COUNT or UNTIL.">
                {(p) => <input {...p} type="text" className="mono" value={draft.rrule} spellCheck={false} onChange={(e) => set({ rrule: e.target.value })}
                  aria-invalid={errors.rrule ? true : undefined} />}
              </Field>
            )}
            {rule && !errors.rrule && <p className="muted small">{describeRule(rule)}</p>}
            {errors.rrule && <p className="field-error" id="conf-rrule-error">{sentence('The repeat rule', errors.rrule)}</p>}
          </fieldset>
          <Conflicts check={conflicts} keyName="fixed" label="Conflicts at this time" />
        </>
      ) : (
        <div className="poll-slots" aria-describedby={slotsError ? 'conf-slots-error' : undefined}>
          <p className="hint">Offer two or more times; invitees answer yes, if need be, or no, and you pick one.</p>
          <ol className="slot-list">
            {draft.slots.map((s, n) => {
              const setSlot = (patch: Partial<typeof s>) => set({ slots: draft.slots.map((x) => (x.key === s.key ? { ...x, ...patch } : x)) });
              const err = (k: string) => errors[`pollSlots.${n}.${k}`] ?? (k === 'start' ? errors[`pollSlots.${n}`] : undefined);
              return (
                <li key={s.key} className="slot-draft">
                  <span className="slot-num">Time {n + 1}</span>
                  <div className="time-row">
                    <Field id={`slot-${n}-date`} label="Date" name={`Time ${n + 1}`} error={err('start')}>
                      {(p) => <input {...p} type="date" value={s.date} onChange={(e) => setSlot({ date: e.target.value })} />}
                    </Field>
                    <Field id={`slot-${n}-start`} label="Start">
                      {(p) => <input {...p} type="time" value={s.start} onChange={(e) => setSlot({ start: e.target.value })} />}
                    </Field>
                    <Field id={`slot-${n}-end`} label="End" name={`The end of time ${n + 1}`} error={err('end')}>
                      {(p) => <input {...p} type="time" value={s.end} onChange={(e) => setSlot({ end: e.target.value })} />}
                    </Field>
                    <button type="button" className="btn small ghost slot-remove" disabled={draft.slots.length <= 1}
                      onClick={() => set({ slots: draft.slots.filter((x) => x.key !== s.key) })} aria-label={`Remove time ${n + 1}`}>
                      Remove
                    </button>
                  </div>
                  <ForYou date={s.date} start={s.start} end={s.end} zone={draft.timeZone} />
                  <Conflicts check={conflicts} keyName={s.key} label={`Conflicts at time ${n + 1}`} />
                </li>
              );
            })}
          </ol>
          {slotsError && <p className="field-error" id="conf-slots-error">{sentence('The poll', slotsError)}</p>}
          <button type="button" className="btn small" disabled={draft.slots.length >= 20}
            onClick={() => {
              const last = draft.slots[draft.slots.length - 1];
              set({ slots: [...draft.slots, newSlot(last?.date ?? '', last?.start ?? '', last?.end ?? '')] });
            }}>
            + Add a time
          </button>
        </div>
      )}
      {conflicts.problem && <p className="muted small">Conflicts could not be checked: {conflicts.problem}</p>}
    </fieldset>
  );
}
