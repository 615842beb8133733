/**
 * The team's quality report: the measures that research on multidisciplinary team meetings
 * uses (readiness before the meeting, the patient's views, who contributed, decisions made or
 * deferred, time to decision, minutes per case, implementation and its reasons), computed by one
 * pure function from the facts gathered for the user's cases.
 */
import type { Discipline } from '../../shared/disciplines.js';
import type { ImplementationStatus, NonImplementationReason } from '../../shared/schemas/rounds.js';
import type { QualityReportView } from '../../shared/schemas/quality.js';
import { zonedToUtc } from '../../shared/time.js';
import { meetingsOf } from '../domain/conferences.js';
import type { Store } from '../store/port.js';
import { csvLine, csvText } from './csv.js';

/** What the report needs about one case. */
export interface QualityCase {
  id: string;
  title: string;
  patientRef: string;
  createdAt: string;
  /** Readiness items: their state now, when it last changed, and when the item was added. */
  readiness: { key: string | null; required: boolean; complete: boolean; changedAt: string | null; createdAt: string }[];
  comments: { discipline: Discipline; at: string }[];
  evidence: { discipline: Discipline; at: string }[];
  ballots: { discipline: Discipline; at: string }[];
  rounds: { id: string; closedAt: string; outcome: 'decided' | 'deferred' | 'no_decision' }[];
  followUps: { roundId: string; at: string; status: ImplementationStatus; reason: NonImplementationReason | null }[];
  /** Meetings (not cancelled or skipped) where the case was on the agenda. */
  meetings: { start: string; plannedMinutes: number; actualMinutes: number | null }[];
}

const DAY = 86_400_000;

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const m = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return Math.round(m * 10) / 10;
}

const share = (count: number, of: number) => ({ count, of, share: of === 0 ? null : Math.round((count / of) * 1000) / 1000 });
const uniq = <T>(xs: T[]) => [...new Set(xs)].sort() as T[];

/**
 * Ready at `at`: every required item that existed then complete, and completed no later than
 * then (items added later, such as those a deferred vote asks for, do not count against it).
 */
function readyAt(c: QualityCase, at: string): boolean {
  const required = c.readiness.filter((i) => i.required && i.createdAt <= at);
  return required.length > 0 && required.every((i) => i.complete && i.changedAt !== null && i.changedAt <= at);
}

function viewsAt(c: QualityCase, at: string): boolean {
  const item = c.readiness.find((i) => i.key === 'patient_views');
  return !!item && item.complete && item.changedAt !== null && item.changedAt <= at;
}

/**
 * The report for the period [from, to] (whole days in the team's time zone), as of `now`
 * (implementation is counted only where its 30 or 90 days have passed).
 */
export function computeQuality(cases: QualityCase[], period: { from: string; to: string; timeZone: string }, now: string): QualityReportView {
  const start = zonedToUtc(`${period.from}T00:00`, period.timeZone).toISOString();
  const endDay = new Date(Date.parse(`${period.to}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
  const end = zonedToUtc(`${endDay}T00:00`, period.timeZone).toISOString();
  const inPeriod = (iso: string) => iso >= start && iso < end;

  const rows: QualityReportView['cases'] = [];
  let discussed = 0;
  let ready = 0;
  let views = 0;
  const decisions = { decided: 0, deferred: 0, notReached: 0 };
  const daysToDecision: number[] = [];
  const planned: number[] = [];
  const actual: number[] = [];
  let overPlan = 0;
  const implementation = { at30: blankImplementation(), at90: blankImplementation() };

  for (const c of cases) {
    // Meetings held: in the period and already begun (a meeting still to come discusses nothing yet).
    const meetings = c.meetings.filter((m) => inPeriod(m.start) && m.start <= now).sort((a, b) => a.start.localeCompare(b.start));
    const closed = c.rounds.filter((r) => inPeriod(r.closedAt)).sort((a, b) => a.closedAt.localeCompare(b.closedAt));
    if (meetings.length === 0 && closed.length === 0) continue;

    let wasReady: boolean | null = null;
    let hadViews: boolean | null = null;
    if (meetings.length > 0) {
      discussed++;
      wasReady = readyAt(c, meetings[0]!.start);
      hadViews = viewsAt(c, meetings[0]!.start);
      if (wasReady) ready++;
      if (hadViews) views++;
      for (const m of meetings) {
        planned.push(m.plannedMinutes);
        if (m.actualMinutes !== null) {
          actual.push(m.actualMinutes);
          if (m.actualMinutes > m.plannedMinutes) overPlan++;
        }
      }
    }
    for (const r of closed) {
      if (r.outcome === 'decided') decisions.decided++;
      else if (r.outcome === 'deferred') decisions.deferred++;
      else decisions.notReached++;
    }
    // Time to decision: from the case's creation to its first decision ever, if that falls in the period.
    const firstDecision = c.rounds.filter((r) => r.outcome === 'decided').sort((a, b) => a.closedAt.localeCompare(b.closedAt))[0];
    const days = firstDecision && inPeriod(firstDecision.closedAt) ? Math.round(((Date.parse(firstDecision.closedAt) - Date.parse(c.createdAt)) / DAY) * 10) / 10 : null;
    if (days !== null) daysToDecision.push(days);
    for (const r of closed.filter((x) => x.outcome === 'decided')) {
      countImplementation(implementation.at30, c, r, 30, now);
      countImplementation(implementation.at90, c, r, 90, now);
    }

    const upTo = (xs: { discipline: Discipline; at: string }[]) => uniq(xs.filter((x) => x.at < end).map((x) => x.discipline));
    const lastOutcome = closed[closed.length - 1]?.outcome ?? null;
    rows.push({
      id: c.id, title: c.title, patientRef: c.patientRef, meetings: meetings.length,
      readyBeforeConference: wasReady, patientViewsRecorded: hadViews,
      commentDisciplines: upTo(c.comments), evidenceDisciplines: upTo(c.evidence), ballotDisciplines: upTo(c.ballots),
      plannedMinutes: meetings.reduce((s, m) => s + m.plannedMinutes, 0),
      actualMinutes: meetings.some((m) => m.actualMinutes !== null) ? Math.round(meetings.reduce((s, m) => s + (m.actualMinutes ?? 0), 0) * 10) / 10 : null,
      decision: lastOutcome, daysToDecision: days,
    });
  }

  return {
    from: period.from, to: period.to, timeZone: period.timeZone, generatedAt: now,
    casesDiscussed: discussed,
    readyBeforeConference: share(ready, discussed),
    patientViewsRecorded: share(views, discussed),
    decisions,
    medianDaysToDecision: median(daysToDecision),
    minutes: { items: planned.length, plannedMedian: median(planned), actualMedian: median(actual), overPlan },
    implementation,
    cases: rows.sort((a, b) => a.title.localeCompare(b.title)),
  };
}

function blankImplementation(): QualityReportView['implementation']['at30'] {
  return {
    due: 0,
    byStatus: { implemented: 0, partially_implemented: 0, not_implemented: 0, unknown: 0 },
    reasons: { patient_preference: 0, payer_denial: 0, clinical_change: 0, patient_unreachable: 0, other: 0 },
  };
}

/** Where a decision stood `days` after it: the latest follow-up recorded by then, if that day has come. */
function countImplementation(into: QualityReportView['implementation']['at30'], c: QualityCase, r: { id: string; closedAt: string }, days: number, now: string): void {
  const mark = new Date(Date.parse(r.closedAt) + days * DAY).toISOString();
  if (mark > now) return;
  into.due++;
  const latest = c.followUps.filter((f) => f.roundId === r.id && f.at <= mark).sort((a, b) => b.at.localeCompare(a.at))[0];
  if (!latest) {
    into.byStatus.unknown = (into.byStatus.unknown ?? 0) + 1;
    return;
  }
  into.byStatus[latest.status] = (into.byStatus[latest.status] ?? 0) + 1;
  if (latest.reason) into.reasons[latest.reason] = (into.reasons[latest.reason] ?? 0) + 1;
}

/** Gathers the report's facts for every case the user is on. */
export async function gatherQuality(store: Store, userId: string): Promise<QualityCase[]> {
  const cases = [...(await store.cases.listForUser(userId, { archived: false })), ...(await store.cases.listForUser(userId, { archived: true }))];
  const out: QualityCase[] = [];
  for (const c of cases) {
    const [members, readiness, messages, evidence, rounds, followUps, conferences] = await Promise.all([
      store.memberships.listByCase(c.id), store.readiness.list(c.id), store.messages.listByCase(c.id), store.evidence.list(c.id),
      store.rounds.listByCase(c.id), store.followUps.list(c.id), store.conferences.listByCase(c.id),
    ]);
    const users = new Map((await store.users.findManyByIds(messages.map((m) => m.authorId).concat(evidence.map((e) => e.createdBy)))).map((u) => [u.id, u.discipline]));
    const discipline = (id: string): Discipline => members.find((m) => m.userId === id)?.discipline ?? users.get(id) ?? 'other';
    const ballots = (await Promise.all(rounds.map((r) => store.ballots.listByRound(r.id)))).flat();
    const meetings: QualityCase['meetings'] = [];
    for (const conf of conferences) {
      if (conf.status !== 'scheduled') continue;
      for (const o of meetingsOf(conf)) {
        const item = conf.agenda.find((i) => i.occurrence === o.key && i.caseId === c.id);
        if (item) meetings.push({ start: o.start, plannedMinutes: item.minutes, actualMinutes: item.actualMinutes });
      }
    }
    out.push({
      id: c.id, title: c.title, patientRef: c.patientRef, createdAt: c.createdAt,
      readiness: readiness.map((r) => ({ key: r.data.key, required: r.data.required, complete: r.data.state === 'complete', changedAt: r.data.confirmedAt, createdAt: r.createdAt })),
      comments: messages.filter((m) => !m.deletedAt).map((m) => ({ discipline: discipline(m.authorId), at: m.createdAt })),
      evidence: evidence.map((e) => ({ discipline: discipline(e.createdBy), at: e.createdAt })),
      ballots: ballots.map((b) => ({ discipline: b.discipline, at: b.castAt })),
      rounds: rounds.filter((r) => r.status === 'closed' && r.result && r.closedAt).map((r) => ({ id: r.id, closedAt: r.closedAt!, outcome: r.result!.outcome.kind })),
      followUps: followUps.map((f) => ({ roundId: f.data.roundId, at: f.createdAt, status: f.data.status, reason: f.data.reason })),
      meetings,
    });
  }
  return out;
}

/** The report as CSV: the summary figures, then one row per case. Cells are quoted and formula-safe. */
export function qualityCsv(r: QualityReportView): string {
  const line = csvLine;
  const lines = [
    line('Consilium quality report', `${r.from} to ${r.to}`, r.timeZone),
    line('measure', 'value', 'of', 'share'),
    line('cases discussed', r.casesDiscussed, '', ''),
    line('ready before conference', r.readyBeforeConference.count, r.readyBeforeConference.of, r.readyBeforeConference.share),
    line("patient's views recorded", r.patientViewsRecorded.count, r.patientViewsRecorded.of, r.patientViewsRecorded.share),
    line('decisions made', r.decisions.decided, '', ''),
    line('decisions deferred', r.decisions.deferred, '', ''),
    line('decisions not reached', r.decisions.notReached, '', ''),
    line('median days from case creation to decision', r.medianDaysToDecision, '', ''),
    line('median planned minutes per case', r.minutes.plannedMedian, r.minutes.items, ''),
    line('median actual minutes per case', r.minutes.actualMedian, '', ''),
    line('cases over their planned time', r.minutes.overPlan, r.minutes.items, ''),
    ...(['at30', 'at90'] as const).flatMap((k) => {
      const i = r.implementation[k];
      const days = k === 'at30' ? 30 : 90;
      return [
        ...Object.entries(i.byStatus).map(([status, n]) => line(`implementation at ${days} days: ${status.replace(/_/g, ' ')}`, n, i.due, '')),
        ...Object.entries(i.reasons).map(([reason, n]) => line(`reason at ${days} days: ${reason.replace(/_/g, ' ')}`, n, '', '')),
      ];
    }),
    '',
    line('case', 'patient reference', 'meetings', 'ready before conference', "patient's views recorded", 'comment disciplines', 'evidence disciplines', 'ballot disciplines', 'planned minutes', 'actual minutes', 'decision', 'days to decision'),
    ...r.cases.map((c) => line(
      c.title, c.patientRef, c.meetings, c.readyBeforeConference, c.patientViewsRecorded, c.commentDisciplines.join(' '), c.evidenceDisciplines.join(' '),
      c.ballotDisciplines.join(' '), c.plannedMinutes, c.actualMinutes, c.decision, c.daysToDecision,
    )),
  ];
  return csvText(lines);
}
