import type { Discipline } from '../../../../shared/disciplines.js';
import type { AgendaCandidateView, ConferenceKind, CreateConferenceBody } from '../../../../shared/schemas/conferences.js';
import { weekdayOf, weeklyRule, type WeekdayCode } from './rrule.js';

/** A case as the agenda builder needs it (from the candidates, or from an agenda already saved). */
export type AgendaCase = Omit<AgendaCandidateView, 'readiness'> & { readiness: AgendaCandidateView['readiness'] | null };

/** One case on an agenda being built; minutes as typed. */
export interface AgendaDraftItem {
  /** Identity in the list: the case id, or the item id of a saved case the editor is not on. */
  key: string;
  /** Null for a saved case the editor is not on: it can be moved or re-timed, not seen. */
  caseId: string | null;
  /** Set for an item already on the saved agenda, which keeps its case whoever edits. */
  itemId: string | null;
  minutes: string;
  /** '' leaves the presenter open. */
  presenterId: string;
  override: boolean;
  /** For a case the editor is not on: whether it counts as complex (for the order). */
  complex?: boolean;
}

export const DEFAULT_MINUTES = '10';

/** A new item for a case: ten minutes, presenter open, overridden only when the case is not ready. */
export function agendaItemFor(c: AgendaCase): AgendaDraftItem {
  return { key: c.id, caseId: c.id, itemId: null, minutes: DEFAULT_MINUTES, presenterId: '', override: !c.ready };
}

/**
 * The agenda as the API wants it: saved items by their item id (a case the editor is not on
 * keeps its presenter), new ones by case. Unreadable minutes go as NaN so that the schema names
 * the field.
 */
export function agendaBody(items: AgendaDraftItem[]) {
  return items.map((i) => {
    const minutes = i.minutes.trim() === '' ? Number.NaN : Number(i.minutes);
    const presenter = i.caseId === null ? {} : { presenterId: i.presenterId === '' ? null : i.presenterId };
    return i.itemId ? { itemId: i.itemId, minutes, ...presenter, override: i.override } : { caseId: i.caseId ?? '', minutes, ...presenter, override: i.override };
  });
}

export interface SlotDraft {
  /** A stable React key. */
  key: string;
  date: string;
  start: string;
  end: string;
}

export interface ConferenceDraft {
  title: string;
  kind: ConferenceKind;
  timeZone: string;
  mode: 'fixed' | 'poll';
  date: string;
  start: string;
  end: string;
  repeat: 'none' | 'weekly' | 'custom';
  /** Null: the weekday of the start date. */
  weeklyDays: WeekdayCode[] | null;
  weeklyEnds: 'count' | 'until';
  weeklyCount: string;
  weeklyUntil: string;
  /** The rule written by hand (repeat = custom). */
  rrule: string;
  slots: SlotDraft[];
  attendeeIds: string[];
  /** '' for the organizer. */
  chairId: string;
  location: string;
  videoUrl: string;
  notes: string;
  agenda: AgendaDraftItem[];
}

let slotSeq = 0;
/** An empty candidate slot. */
export function newSlot(date = '', start = '', end = ''): SlotDraft {
  slotSeq += 1;
  return { key: `slot-${slotSeq}`, date, start, end };
}

/** A fresh draft in the viewer's zone. */
export function emptyDraft(timeZone: string): ConferenceDraft {
  return {
    title: '', kind: 'case_conference', timeZone, mode: 'fixed', date: '', start: '', end: '',
    repeat: 'none', weeklyDays: null, weeklyEnds: 'count', weeklyCount: '12', weeklyUntil: '', rrule: '',
    slots: [newSlot(), newSlot()], attendeeIds: [], chairId: '', location: '', videoUrl: '', notes: '', agenda: [],
  };
}

/** 'YYYY-MM-DDTHH:mm' from a date and a time field; null while either is empty. */
export function localTime(date: string, time: string): string | null {
  return date === '' || time === '' ? null : `${date}T${time}`;
}

/** The weekdays the weekly control repeats on. */
export function weeklyDaysOf(d: ConferenceDraft): WeekdayCode[] {
  if (d.weeklyDays) return d.weeklyDays;
  const day = weekdayOf(d.date);
  return day ? [day] : [];
}

/** The repeat rule the draft asks for, or null. */
export function ruleOf(d: ConferenceDraft): string | null {
  if (d.mode !== 'fixed' || d.repeat === 'none') return null;
  if (d.repeat === 'custom') return d.rrule.trim() === '' ? null : d.rrule.trim();
  return weeklyRule({ days: weeklyDaysOf(d), ends: d.weeklyEnds, count: d.weeklyCount, until: d.weeklyUntil });
}

/** The body of POST /api/conferences for the draft. */
export function createBody(d: ConferenceDraft): CreateConferenceBody {
  const fixed = d.mode === 'fixed';
  return {
    title: d.title,
    kind: d.kind,
    timeZone: d.timeZone,
    start: fixed ? localTime(d.date, d.start) : null,
    end: fixed ? localTime(d.date, d.end) : null,
    rrule: ruleOf(d),
    location: d.location,
    videoUrl: d.videoUrl.trim(),
    notes: d.notes,
    attendeeIds: d.attendeeIds,
    chairId: d.chairId === '' ? null : d.chairId,
    agenda: fixed ? agendaBody(d.agenda) : [],
    // A half-filled slot goes as '' so that the schema names the field.
    pollSlots: fixed ? null : d.slots.map((s) => ({ start: localTime(s.date, s.start) ?? '', end: localTime(s.date, s.end) ?? '' })),
  };
}

/** A person who can be invited: someone on one of my cases, with their own discipline. */
export interface Invitable {
  id: string;
  name: string;
  discipline: Discipline;
}

/**
 * The disciplines present for a case among these people: their discipline on that case's team,
 * or their own elsewhere, as the server counts it.
 */
export function disciplinesFor(c: AgendaCase | undefined, people: string[], known: Map<string, Discipline>): Set<Discipline> {
  const out = new Set<Discipline>();
  for (const id of people) {
    const d = c?.members.find((m) => m.id === id)?.discipline ?? known.get(id);
    if (d) out.add(d);
  }
  return out;
}
