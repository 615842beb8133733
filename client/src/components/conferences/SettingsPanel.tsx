import { useEffect, useState } from 'react';
import { DEFAULT_REMINDER_MINUTES, MAX_REMINDER_MINUTES, SettingsBody } from '../../../../shared/schemas/conferences.js';
import { errorMessage } from '../../lib/api.js';
import { conferencesApi } from '../../lib/conferencesApi.js';
import { recheck, useFormSubmit } from '../../lib/forms.js';
import { ConfirmButton } from '../ConfirmButton.js';
import { Field, FormMessage } from '../Field.js';

interface Props {
  onError(err: unknown): void;
}

/**
 * My conference settings: how long before each meeting the in-app reminder comes (0 for none),
 * and a private calendar feed whose URL is shown once, when it is created or replaced.
 */
export function SettingsPanel({ onError }: Props) {
  const [minutes, setMinutes] = useState<string | null>(null);
  const [hasFeed, setHasFeed] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    conferencesApi.settings().then(
      ({ settings }) => {
        setMinutes(String(settings.reminderMinutes));
        setHasFeed(settings.calendarFeed);
      },
      (err: unknown) => {
        onError(err);
        setLoadError(errorMessage(err));
      },
    );
  }, [onError]);

  const value = (m: string) => ({ reminderMinutes: m.trim() === '' ? Number.NaN : Number(m) });
  const { errors, setErrors, busy, submit } = useFormSubmit(
    SettingsBody,
    async (body) => {
      const { settings } = await conferencesApi.saveSettings(body.reminderMinutes);
      setMinutes(String(settings.reminderMinutes));
      setSaved(settings.reminderMinutes === 0 ? 'Saved: no reminders.' : `Saved: a reminder ${settings.reminderMinutes} minutes before each meeting.`);
    },
    onError,
  );

  if (loadError) return <p className="notice error" role="alert">Your settings could not be loaded: {loadError}</p>;
  if (minutes === null) return <p className="muted">Loading your settings…</p>;
  return (
    <div className="conf-settings">
      <form onSubmit={(e) => submit(e, value(minutes))} noValidate aria-label="Reminders">
        <FormMessage message={errors.message} />
        <Field
          id="reminder-minutes"
          label="Remind me before each meeting (minutes)"
          name="The reminder"
          hint={`0 for no reminder; at most ${MAX_REMINDER_MINUTES} (one day). The default is ${DEFAULT_REMINDER_MINUTES}.`}
          error={errors.fields.reminderMinutes}
        >
          {(p) => (
            <input
              {...p}
              type="number"
              min={0}
              max={MAX_REMINDER_MINUTES}
              step={1}
              inputMode="numeric"
              className="input-short"
              value={minutes}
              onChange={(e) => {
                setMinutes(e.target.value);
                setSaved(null);
                setErrors((cur) => recheck(SettingsBody, value(e.target.value), cur));
              }}
            />
          )}
        </Field>
        <div className="form-actions tight">
          <button type="submit" className="btn small primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save reminder'}
          </button>
          <span className="muted small" role="status">
            {saved}
          </span>
        </div>
      </form>
      <CalendarFeed hasFeed={hasFeed} onChanged={setHasFeed} onError={onError} />
    </div>
  );
}

/** The private calendar feed: create or replace it (the URL is shown this once), or revoke it. */
function CalendarFeed({ hasFeed, onChanged, onError }: { hasFeed: boolean; onChanged(has: boolean): void; onError(err: unknown): void }) {
  const [url, setUrl] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function create() {
    setBusy(true);
    setFailure(null);
    setMessage(null);
    try {
      setUrl((await conferencesApi.createFeed()).url);
      onChanged(true);
    } catch (err) {
      onError(err);
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function revoke() {
    setFailure(null);
    try {
      await conferencesApi.revokeFeed();
      setUrl(null);
      onChanged(false);
      setMessage('The feed was revoked: its address no longer works.');
    } catch (err) {
      onError(err);
      setFailure(errorMessage(err));
    }
  }

  async function copy() {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setMessage('Copied. Paste it into your calendar program as a subscription.');
    } catch {
      setMessage('Copying was refused by the browser: select the address and copy it.');
    }
  }

  return (
    <section className="conf-feed" aria-labelledby="feed-heading">
      <h3 id="feed-heading">Calendar feed</h3>
      <p className="muted small">
        A private address your calendar program subscribes to, with every conference you are invited to (titles and times only, never cases).
        {hasFeed && !url && ' You have a feed. Its address was shown once; make a new one if you need it again (the old one stops working).'}
      </p>
      {url && (
        <div className="feed-url">
          <label htmlFor="feed-url">Your feed address (shown only now; keep it secret)</label>
          <div className="feed-url-row">
            <input id="feed-url" type="text" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
            <button type="button" className="btn small" onClick={() => void copy()}>
              Copy
            </button>
          </div>
        </div>
      )}
      <div className="form-actions tight">
        <button type="button" className="btn small" disabled={busy} onClick={() => void create()}>
          {hasFeed ? 'Make a new feed address' : 'Create a calendar feed'}
        </button>
        {hasFeed && (
          <ConfirmButton label="Revoke" ariaLabel="Revoke the calendar feed" question="Stop the feed? Subscribed calendars stop updating." confirmLabel="Yes, revoke" onConfirm={revoke} danger />
        )}
      </div>
      <p className="muted small" role="status">
        {message}
      </p>
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
    </section>
  );
}
