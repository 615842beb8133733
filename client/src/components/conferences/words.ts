import { DISCIPLINE_LABELS, type Discipline } from '../../../../shared/disciplines.js';
import type { AgendaWarning } from '../../../../shared/agenda.js';
import type { ConferenceStatus, WarningView } from '../../../../shared/schemas/conferences.js';
import { whenText } from '../../lib/conferenceTime.js';

export const STATUS_LABELS: Record<ConferenceStatus, string> = { polling: 'Finding a time', scheduled: 'Scheduled', cancelled: 'Cancelled' };

/** "Oncology and Pharmacy". */
export function disciplineList(ds: Discipline[]): string {
  const names = ds.map((d) => DISCIPLINE_LABELS[d]);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** What a warning text needs to know: case titles by agenda item id, and the viewer's zone. */
export interface WarningContext {
  caseTitle(itemId: string): string;
  viewerZone: string;
  /** The viewer, who reads about themselves as "You". */
  meId?: string;
}

/** An agenda rule (shared/agenda.ts) in plain words. */
export function agendaWarningText(w: AgendaWarning, ctx: WarningContext): string {
  switch (w.kind) {
    case 'over_time':
      return `The agenda plans ${w.plannedMinutes} minutes but the meeting lasts ${w.lengthMinutes}: shorten the cases or the list.`;
    case 'not_ready':
      return `“${ctx.caseTitle(w.itemId)}” is not ready for conference; it is on the agenda by the chair's override.`;
    case 'missing_discipline':
      return `“${ctx.caseTitle(w.itemId)}” needs ${disciplineList(w.disciplines)}, and nobody attending brings ${w.disciplines.length === 1 ? 'it' : 'them'}.`;
    case 'complex_late':
      return `“${ctx.caseTitle(w.itemId)}” is complex but starts in the second half of the meeting; complex cases go better early.`;
  }
}

/** A warning of the server's conference view in plain words. */
export function warningText(w: WarningView, ctx: WarningContext): string {
  switch (w.kind) {
    case 'conflict': {
      const when = whenText(w.other.start, w.other.end, ctx.viewerZone);
      const who = w.person.id === ctx.meId ? 'You have' : `${w.person.name} has`;
      return w.other.title ? `${who} another conference at that time: “${w.other.title}”, ${when}.` : `${who} another conference at that time (${when}).`;
    }
    case 'not_on_team':
      return `${w.person.name} is not on the team of “${ctx.caseTitle(w.itemId)}”, so they will not see that case on the agenda.`;
    case 'missing_discipline':
      return `“${ctx.caseTitle(w.itemId)}” needs ${disciplineList(w.disciplines)}, and no one who has accepted brings ${w.disciplines.length === 1 ? 'it' : 'them'}.`;
    default:
      return agendaWarningText(w, ctx);
  }
}
