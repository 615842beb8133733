import { useEffect, useState } from 'react';
import { CheckConferenceBody, type WarningView } from '../../../../shared/schemas/conferences.js';
import { errorMessage } from '../../lib/api.js';
import { conferencesApi } from '../../lib/conferencesApi.js';

/** One time to check: the fixed time (with its repeat rule) or a poll slot. */
export interface CheckTarget {
  key: string;
  timeZone: string;
  start: string | null;
  end: string | null;
  rrule: string | null;
}

export interface ConflictCheck {
  /** Conflicts per target key; a key is missing while its time is incomplete or being checked. */
  warnings: Record<string, WarningView[]>;
  /** Why a check could not be made (an unreadable repeat rule, a lost connection). */
  problem: string | null;
  checking: boolean;
}

const DELAY_MS = 500;

/**
 * The attendees' other conferences at the drafted times, checked with the server as the times
 * and invitees change (after a pause in typing). Only complete, well-formed times are sent.
 */
export function useConflictCheck(targets: CheckTarget[], attendeeIds: string[], conferenceId: string | null, onError: (err: unknown) => void): ConflictCheck {
  const [state, setState] = useState<ConflictCheck>({ warnings: {}, problem: null, checking: false });
  // The effect re-runs only when what would be sent changes.
  const bodies = targets.flatMap((t) => {
    const parsed = CheckConferenceBody.safeParse({ timeZone: t.timeZone, start: t.start, end: t.end, rrule: t.rrule, attendeeIds, conferenceId });
    return parsed.success ? [{ key: t.key, body: parsed.data }] : [];
  });
  const signature = JSON.stringify(bodies);

  useEffect(() => {
    const list = JSON.parse(signature) as typeof bodies;
    if (list.length === 0) {
      setState({ warnings: {}, problem: null, checking: false });
      return;
    }
    let live = true;
    setState((s) => ({ ...s, checking: true }));
    const timer = setTimeout(() => {
      Promise.all(list.map(async ({ key, body }) => [key, (await conferencesApi.check(body)).warnings] as const)).then(
        (pairs) => live && setState({ warnings: Object.fromEntries(pairs), problem: null, checking: false }),
        (err: unknown) => {
          onError(err);
          if (live) setState({ warnings: {}, problem: errorMessage(err), checking: false });
        },
      );
    }, DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [signature, onError]);

  return state;
}
