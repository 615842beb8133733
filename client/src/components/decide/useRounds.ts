import { useCallback, useEffect, useState } from 'react';
import type { RoundChangedPayload } from '../../../../shared/events.js';
import type { RoundView } from '../../../../shared/schemas/rounds.js';
import { decisionsApi } from '../../lib/decisionsApi.js';

/** A case's decision rounds, newest first, kept current from answers and live events. */
export interface Rounds {
  /** Null while loading. */
  rounds: RoundView[] | null;
  /** Puts a round (from an answer or an event) in place of its older view. */
  apply(round: RoundView): void;
  onRoundChanged(p: RoundChangedPayload): void;
  reload(): void;
}

const newestFirst = (a: RoundView, b: RoundView) => b.openedAt.localeCompare(a.openedAt);

/** Loads the rounds of a case and merges every later view of one round by its id. */
export function useRounds(caseId: string, onError: (err: unknown) => void): Rounds {
  const [rounds, setRounds] = useState<RoundView[] | null>(null);

  const reload = useCallback(() => {
    decisionsApi.listRounds(caseId).then(({ rounds: list }) => setRounds([...list].sort(newestFirst)), onError);
  }, [caseId, onError]);

  useEffect(reload, [reload]);

  const apply = useCallback((round: RoundView) => {
    setRounds((cur) => [...(cur ?? []).filter((r) => r.id !== round.id), round].sort(newestFirst));
  }, []);
  const onRoundChanged = useCallback((p: RoundChangedPayload) => apply(p.round), [apply]);

  return { rounds, apply, onRoundChanged, reload };
}
