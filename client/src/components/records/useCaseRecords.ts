import { useCallback, useEffect, useRef, useState } from 'react';
import type { ItemChangedPayload, ItemKind, ItemRemovedPayload } from '../../../../shared/events.js';
import { readinessSummary } from '../../../../shared/readiness.js';
import type { CoverageView } from '../../../../shared/schemas/coverage.js';
import type { EvidenceView } from '../../../../shared/schemas/evidence.js';
import type { OptionView } from '../../../../shared/schemas/options.js';
import type { ReadinessItemView, ReadinessSummary } from '../../../../shared/schemas/readiness.js';
import type { StakeholderView } from '../../../../shared/schemas/stakeholders.js';
import { errorMessage } from '../../lib/api.js';
import { recordsApi } from '../../lib/recordsApi.js';

/** A case's records as the workspace holds them; each list is null until it has loaded. */
export interface RecordsData {
  evidence: EvidenceView[] | null;
  stakeholder: StakeholderView[] | null;
  readiness: ReadinessItemView[] | null;
  coverage: CoverageView[] | null;
  option: OptionView[] | null;
}

/** The sections of the Records tab. */
export type RecordsSection = 'evidence' | 'options' | 'stakeholders' | 'readiness' | 'coverage';

/** The records, plus how to reload them, apply changes and follow the open section. */
export interface CaseRecords extends RecordsData {
  /** Why loading failed, when it did. */
  error: string | null;
  readinessSummary: ReadinessSummary | null;
  /** Fetches everything again (on open and after every reconnect, so nothing missed stays missing). */
  reload(): void;
  /** Puts an item the user just saved in place, without waiting for the live update. */
  upsert: <K extends ItemKind>(kind: K, item: NonNullable<RecordsData[K]>[number]) => void;
  remove(kind: ItemKind, id: string): void;
  /** Live updates from the case room. */
  onItemChanged(p: ItemChangedPayload): void;
  onItemRemoved(p: ItemRemovedPayload): void;
  /** The open section of the Records tab, kept here so it survives switching tabs. */
  section: RecordsSection;
  setSection(section: RecordsSection): void;
}

type Item = { id: string; updatedAt?: string };
const EMPTY: RecordsData = { evidence: null, stakeholder: null, readiness: null, coverage: null, option: null };

/** Replaces the item with the same id (unless ours is newer) or appends it. */
function upsertInto<T extends Item>(list: T[] | null, item: T): T[] | null {
  if (!list) return list;
  const i = list.findIndex((x) => x.id === item.id);
  if (i < 0) return [...list, item];
  const old = list[i]!;
  // A push about an earlier change can arrive after the answer to a later one.
  if (old.updatedAt && item.updatedAt && Date.parse(item.updatedAt) < Date.parse(old.updatedAt)) return list;
  return list.map((x, j) => (j === i ? item : x));
}

/**
 * Loads a case's evidence, options, stakeholder log, readiness checklist and coverage requests, and
 * keeps them current from the case room's item:changed and item:removed events.
 */
export function useCaseRecords(caseId: string, onError: (err: unknown) => void): CaseRecords {
  const [data, setData] = useState<RecordsData>(EMPTY);
  const [error, setError] = useState<string | null>(null);
  const [section, setSection] = useState<RecordsSection>('evidence');
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;
  const attempt = useRef(0);

  const reload = useCallback(() => {
    const mine = ++attempt.current;
    Promise.all([
      recordsApi.listEvidence(caseId),
      recordsApi.listStakeholders(caseId),
      recordsApi.listReadiness(caseId),
      recordsApi.listCoverage(caseId),
      recordsApi.listOptions(caseId),
    ]).then(
      ([e, s, r, c, o]) => {
        if (mine !== attempt.current) return;
        setData({ evidence: e.evidence, stakeholder: s.entries, readiness: r.items, coverage: c.requests, option: o.options });
        setError(null);
      },
      (err: unknown) => {
        onErrorRef.current(err);
        if (mine === attempt.current) setError(errorMessage(err));
      },
    );
  }, [caseId]);

  useEffect(() => {
    setData(EMPTY);
    reload();
  }, [reload]);

  const upsert = useCallback(<K extends ItemKind>(kind: K, item: NonNullable<RecordsData[K]>[number]) => {
    setData((d) => ({ ...d, [kind]: upsertInto(d[kind] as Item[] | null, item as Item) }));
  }, []);
  const remove = useCallback((kind: ItemKind, id: string) => {
    setData((d) => ({ ...d, [kind]: d[kind] && (d[kind] as Item[]).filter((x) => x.id !== id) }));
  }, []);

  const onItemChanged = useCallback((p: ItemChangedPayload) => p.caseId === caseId && upsert(p.kind, p.item), [caseId, upsert]);
  const onItemRemoved = useCallback((p: ItemRemovedPayload) => p.caseId === caseId && remove(p.kind, p.id), [caseId, remove]);

  return {
    ...data,
    error,
    readinessSummary: data.readiness && readinessSummary(data.readiness),
    reload,
    upsert,
    remove,
    onItemChanged,
    onItemRemoved,
    section,
    setSection,
  };
}
