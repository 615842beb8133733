/**
 * The rules for building a conference agenda and choosing a time, shared by the server (which
 * enforces and reports them) and the client (which shows them while the organizer builds).
 */
import type { Discipline } from './disciplines.js';
import type { PollAnswer } from './schemas/conferences.js';

/** The best slot of a poll: most yes, then fewest no, then the earliest. Null before anyone answered. */
export function bestSlot(slots: { id: string; start: string }[], answers: { slotId: string; answer: PollAnswer }[]): string | null {
  if (answers.length === 0) return null;
  const score = (id: string) => {
    const mine = answers.filter((a) => a.slotId === id);
    return { yes: mine.filter((a) => a.answer === 'yes').length, no: mine.filter((a) => a.answer === 'no').length };
  };
  let best: { id: string; start: string; yes: number; no: number } | null = null;
  for (const slot of slots) {
    const s = { ...slot, ...score(slot.id) };
    if (!best || s.yes > best.yes || (s.yes === best.yes && (s.no < best.no || (s.no === best.no && s.start < best.start)))) best = s;
  }
  return best?.id ?? null;
}

/** What makes a case complex enough to be discussed while the team is fresh. */
export interface ComplexityFacts {
  requiredDisciplines: number;
  /** Resistance entries (insurer, clinician, patient, family…). */
  resistance: number;
  /** Earlier votes that ended deferred or without a decision. */
  undecidedRounds: number;
  /** Open comment threads. */
  openThreads: number;
  /** Options under consideration. */
  options: number;
}

/**
 * Whether a case is complex, and why. Discussion quality drops in the second half of long
 * meetings, so complex cases are suggested early; the chair can always override.
 */
export function caseComplexity(f: ComplexityFacts): { complex: boolean; reasons: string[] } {
  const reasons: string[] = [];
  if (f.requiredDisciplines >= 4) reasons.push(`${f.requiredDisciplines} disciplines must weigh in`);
  if (f.resistance >= 2) reasons.push(`resistance from ${f.resistance} sides`);
  if (f.undecidedRounds > 0) reasons.push(f.undecidedRounds === 1 ? 'an earlier vote reached no decision' : `${f.undecidedRounds} earlier votes reached no decision`);
  if (f.openThreads >= 5) reasons.push(`${f.openThreads} open discussion threads`);
  if (f.options >= 3) reasons.push(`${f.options} alternatives to weigh`);
  return { complex: reasons.length > 0, reasons };
}

/** The suggested order: complex cases first, otherwise as given. */
export function suggestOrder<T extends { complex: boolean }>(items: T[]): T[] {
  return [...items.filter((i) => i.complex), ...items.filter((i) => !i.complex)];
}

export interface AgendaCheckItem {
  id: string;
  minutes: number;
  complex: boolean;
  ready: boolean;
  override: boolean;
  requiredDisciplines: Discipline[];
}

export type AgendaWarning =
  | { kind: 'over_time'; plannedMinutes: number; lengthMinutes: number }
  | { kind: 'not_ready'; itemId: string }
  | { kind: 'missing_discipline'; itemId: string; disciplines: Discipline[] }
  | { kind: 'complex_late'; itemId: string };

/**
 * What the chair should know about an agenda: the planned total against the meeting's
 * length, cases added although not ready, required disciplines none of the accepted attendees
 * brings (per case: `disciplinesFor(item)` gives those present for it), and complex cases that
 * would start in the second half.
 */
export function agendaWarnings(items: AgendaCheckItem[], lengthMinutes: number, disciplinesFor: (item: AgendaCheckItem) => Set<Discipline>): AgendaWarning[] {
  const warnings: AgendaWarning[] = [];
  const planned = items.reduce((sum, i) => sum + i.minutes, 0);
  if (planned > lengthMinutes) warnings.push({ kind: 'over_time', plannedMinutes: planned, lengthMinutes });
  let offset = 0;
  for (const item of items) {
    if (!item.ready) warnings.push({ kind: 'not_ready', itemId: item.id });
    const present = disciplinesFor(item);
    const missing = item.requiredDisciplines.filter((d) => !present.has(d));
    if (missing.length > 0) warnings.push({ kind: 'missing_discipline', itemId: item.id, disciplines: missing });
    if (item.complex && offset >= lengthMinutes / 2 && items.length > 1) warnings.push({ kind: 'complex_late', itemId: item.id });
    offset += item.minutes;
  }
  return warnings;
}
