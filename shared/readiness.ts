import type { ReadinessState, ReadinessSummary } from './schemas/readiness.js';

/** A case is ready for conference only when every required item is complete. */
export function readinessSummary(items: { required: boolean; state: ReadinessState }[]): ReadinessSummary {
  const required = items.filter((i) => i.required);
  const complete = required.filter((i) => i.state === 'complete').length;
  return { complete, required: required.length, ready: required.length > 0 && complete === required.length };
}
