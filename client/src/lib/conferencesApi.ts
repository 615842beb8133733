import type { Discipline } from '../../../shared/disciplines.js';
import type {
  AgendaBody,
  AgendaCandidateView,
  CheckConferenceBody,
  ConferenceSummaryView,
  ConferenceView,
  CreateConferenceBody,
  ExceptionBody,
  LiveActionBody,
  LiveRecordBody,
  PollAnswer,
  UpdateConferenceBody,
  WarningView,
} from '../../../shared/schemas/conferences.js';
import { request } from './api.js';

const enc = encodeURIComponent;
const one = (id: string) => `/api/conferences/${enc(id)}`;
type One = { conference: ConferenceView };
type Settings = { settings: { reminderMinutes: number; calendarFeed: boolean } };

/**
 * Typed calls for conferences: scheduling, polls, agendas, live mode, calendar files, and the
 * user's reminder and calendar-feed settings. Every call rejects with an ApiError on failure.
 */
export const conferencesApi = {
  list: (when: 'upcoming' | 'past', limit = 20) => request<{ conferences: ConferenceSummaryView[] }>('GET', `/api/conferences?when=${when}&limit=${limit}`),
  create: (body: CreateConferenceBody) => request<One>('POST', '/api/conferences', body),
  candidates: () => request<{ candidates: AgendaCandidateView[] }>('GET', '/api/conferences/candidates'),
  /** Everyone on a case with me: the people I can invite. */
  people: () => request<{ people: { id: string; name: string; discipline: Discipline }[] }>('GET', '/api/people'),
  check: (body: CheckConferenceBody) => request<{ warnings: WarningView[] }>('POST', '/api/conferences/check', body),
  get: (id: string) => request<One>('GET', one(id)),
  update: (id: string, body: UpdateConferenceBody) => request<One>('PATCH', one(id), body),
  cancel: (id: string) => request<One>('POST', `${one(id)}/cancel`, {}),
  except: (id: string, body: ExceptionBody) => request<One>('POST', `${one(id)}/exceptions`, body),
  setAgenda: (id: string, body: AgendaBody) => request<One>('PUT', `${one(id)}/agenda`, body),
  respond: (id: string, response: 'accepted' | 'tentative' | 'declined') => request<One>('PUT', `${one(id)}/response`, { response }),
  answerPoll: (id: string, answers: Record<string, PollAnswer>) => request<One>('PUT', `${one(id)}/poll`, { answers }),
  pickSlot: (id: string, slotId: string) => request<One>('POST', `${one(id)}/poll/pick`, { slotId }),
  live: (id: string, body: LiveActionBody) => request<One>('POST', `${one(id)}/live`, body),
  record: (id: string, body: LiveRecordBody) => request<One>('PUT', `${one(id)}/live/record`, body),
  /** Where the browser downloads the conference as an .ics file (a plain link, not a fetch). */
  icsUrl: (id: string) => `${one(id)}/calendar.ics`,
  forCase: (caseId: string) => request<{ upcoming: ConferenceSummaryView[]; past: ConferenceSummaryView[] }>('GET', `/api/cases/${enc(caseId)}/conferences`),

  settings: () => request<Settings>('GET', '/api/me/settings'),
  saveSettings: (reminderMinutes: number) => request<Settings>('PUT', '/api/me/settings', { reminderMinutes }),
  /** A new private feed URL, replacing any earlier one; the server shows it only this once. */
  createFeed: () => request<{ url: string }>('POST', '/api/me/calendar-feed', {}),
  revokeFeed: () => request<void>('DELETE', '/api/me/calendar-feed'),
};
