/**
 * Presenters: the only way stored records leave the server. Each names the fields that may
 * be sent; nothing else (password hashes, internal ids) can slip out.
 */
import { abilitiesFor } from '../shared/roles.js';
import type { UserView } from '../shared/schemas/auth.js';
import type { AuditEntryView, CaseHealth, CaseView, MemberView } from '../shared/schemas/cases.js';
import { coverageDeadlinesOpen, daysUntil, deadlineState, nextStepOverdue } from '../shared/deadlines.js';
import type { CoverageView } from '../shared/schemas/coverage.js';
import type { EvidenceView } from '../shared/schemas/evidence.js';
import type { NotificationView } from '../shared/schemas/notifications.js';
import type { OptionView } from '../shared/schemas/options.js';
import type { ReadinessItemView } from '../shared/schemas/readiness.js';
import type { StakeholderView } from '../shared/schemas/stakeholders.js';
import type { MessageView, ThreadView, UnreadView } from '../shared/schemas/threads.js';
import { decide } from '../shared/decision.js';
import type { BallotView, RoundView } from '../shared/schemas/rounds.js';
import { ballotsForDecision, type RoundBundle } from './domain/decisions.js';
import type { ThreadBundle } from './domain/discussion.js';
import type { TeamMember } from './domain/team.js';
import type { PersonRef } from './people.js';
import type {
  AuditRecord, BallotRecord, CaseItemRecord, CaseRecord, CoverageData, EvidenceData, FollowUpData, MembershipRecord, MessageRecord, NotificationRecord,
  OptionData, ReadinessData, StakeholderData, UserRecord,
} from './store/port.js';

/** A user as they and their teammates see them (never the password hash). */
export function presentUser(u: UserRecord): UserView {
  return { id: u.id, email: u.email, name: u.name, discipline: u.discipline };
}

/** A case as one member sees it: their role, their abilities, and the case's flags for them. */
export function presentCase(c: CaseRecord, membership: MembershipRecord, health: CaseHealth): CaseView {
  return {
    id: c.id,
    title: c.title,
    patientRef: c.patientRef,
    problem: c.problem,
    resistance: c.resistance.map((r) => ({ source: r.source, description: r.description })),
    requiredDisciplines: [...c.requiredDisciplines],
    status: c.status,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    myRole: membership.role,
    abilities: abilitiesFor(membership.role, c.status),
    health,
  };
}

/** A team member: who, their role and the discipline they represent on this case. */
export function presentMember({ membership, user }: TeamMember): MemberView {
  return {
    userId: user.id,
    name: user.name,
    email: user.email,
    role: membership.role,
    discipline: membership.discipline,
    addedAt: membership.addedAt,
  };
}

/** An audit entry: who, what, when, and field names only. */
export function presentAudit(a: AuditRecord, users: Map<string, { id: string; name: string }>): AuditEntryView {
  const actor = a.actorId ? users.get(a.actorId) : undefined;
  return {
    id: a.id,
    at: a.at,
    actor: actor ? { id: actor.id, name: actor.name } : null,
    action: a.action,
    target: a.target,
    fields: [...a.fields],
  };
}

// ---- discussion and the case's records --------------------------------------------------

/** Looks a person up in a names map (see namesOf); never fails. */
function person(names: Map<string, PersonRef>, id: string): PersonRef {
  return names.get(id) ?? { id, name: 'Former user' };
}

/** Every user id a set of threads refers to, for namesOf. */
export function threadPeople(bundles: ThreadBundle[]): string[] {
  return bundles.flatMap(({ thread, messages }) => [
    thread.createdBy,
    ...(thread.resolvedBy ? [thread.resolvedBy] : []),
    ...messages.flatMap((m) => [m.authorId, ...m.mentions]),
  ]);
}

export function presentMessage(m: MessageRecord, names: Map<string, PersonRef>): MessageView {
  return {
    id: m.id,
    threadId: m.threadId,
    author: person(names, m.authorId),
    body: m.deletedAt ? '' : m.body,
    mentions: m.deletedAt ? [] : m.mentions.map((id) => person(names, id)),
    createdAt: m.createdAt,
    editedAt: m.editedAt,
    deletedAt: m.deletedAt,
  };
}

export function presentThread({ thread, messages }: ThreadBundle, names: Map<string, PersonRef>): ThreadView {
  return {
    id: thread.id,
    caseId: thread.caseId,
    anchor: thread.anchor,
    status: thread.status,
    createdBy: person(names, thread.createdBy),
    createdAt: thread.createdAt,
    resolvedBy: thread.resolvedBy ? person(names, thread.resolvedBy) : null,
    resolvedAt: thread.resolvedAt,
    lastActivityAt: thread.lastActivityAt,
    revision: [thread.lastActivityAt, thread.resolvedAt ?? '', ...messages.flatMap((m) => [m.createdAt, m.editedAt ?? '', m.deletedAt ?? ''])].reduce((a, b) => (b > a ? b : a)),
    messages: messages.map((m) => presentMessage(m, names)),
  };
}

export function presentUnread(caseId: string, byThread: Map<string, number>): UnreadView {
  return { caseId, unread: [...byThread.values()].reduce((a, b) => a + b, 0), byThread: Object.fromEntries(byThread) };
}

export function presentNotification(
  n: NotificationRecord, caseTitles: Map<string, string>, conferenceTitles: Map<string, string>, names: Map<string, PersonRef>,
): NotificationView {
  return {
    id: n.id,
    kind: n.kind,
    caseId: n.caseId,
    caseTitle: n.caseId === null ? null : caseTitles.get(n.caseId) ?? 'A case',
    threadId: n.threadId,
    conference: n.conferenceId === null ? null : { id: n.conferenceId, title: conferenceTitles.get(n.conferenceId) ?? 'A conference' },
    occurrence: n.occurrence,
    actor: n.actorId ? person(names, n.actorId) : null,
    createdAt: n.createdAt,
    readAt: n.readAt,
  };
}

function itemMeta<D>(r: CaseItemRecord<D>, names: Map<string, PersonRef>) {
  return { id: r.id, caseId: r.caseId, createdBy: person(names, r.createdBy), createdAt: r.createdAt, updatedAt: r.updatedAt };
}

export function presentEvidence(r: CaseItemRecord<EvidenceData>, names: Map<string, PersonRef>): EvidenceView {
  const d = r.data;
  return { ...itemMeta(r, names), kind: d.kind, title: d.title, citation: d.citation, url: d.url, year: d.year, summary: d.summary, strength: d.strength };
}

export function presentStakeholder(r: CaseItemRecord<StakeholderData>, names: Map<string, PersonRef>, today: string): StakeholderView {
  const d = r.data;
  return {
    ...itemMeta(r, names),
    stakeholder: d.stakeholder, who: d.who, channel: d.channel, date: d.date, concerns: d.concerns, response: d.response,
    nextStep: d.nextStep, nextStepDue: d.nextStepDue, status: d.status, overdue: nextStepOverdue(d, today),
    nextStepDaysLeft: d.nextStepDue ? daysUntil(d.nextStepDue, today) : null,
  };
}

export function presentReadiness(r: CaseItemRecord<ReadinessData>, names: Map<string, PersonRef>): ReadinessItemView {
  const d = r.data;
  return {
    id: r.id, caseId: r.caseId, key: d.key, label: d.label, required: d.required, state: d.state, note: d.note,
    recordedBy: d.recordedBy, metOn: d.metOn, confirmedBy: d.confirmedBy ? person(names, d.confirmedBy) : null, confirmedAt: d.confirmedAt,
  };
}

/**
 * A round as one member sees it. While a blind round is open nobody sees another's stance or
 * the tally, only who has voted (for quorum progress) and their own ballot.
 */
export function presentRound(
  { round, ballots }: RoundBundle,
  viewerId: string,
  names: Map<string, PersonRef>,
  optionTitles: Map<string, string>,
  followUps: CaseItemRecord<FollowUpData>[],
): RoundView {
  const closed = round.status === 'closed';
  const hidden = round.visibility === 'blind' && !closed;
  const ballot = (b: BallotRecord): BallotView => ({
    voter: person(names, b.voterId), discipline: b.discipline, defer: b.defer,
    stances: Object.fromEntries(Object.entries(b.stances).map(([k, v]) => [k, { stance: v.stance, rationale: v.rationale }])),
    castAt: b.castAt, updatedAt: b.updatedAt,
  });
  const mine = ballots.find((b) => b.voterId === viewerId);
  const live = closed ? round.result : decide(round, round.optionIds, ballotsForDecision(ballots));
  return {
    id: round.id, caseId: round.caseId, question: round.question,
    options: round.optionIds.map((id) => ({ id, title: optionTitles.get(id) ?? 'A removed option' })),
    rule: round.rule, threshold: round.threshold,
    quorum: { minVoters: round.quorum.minVoters, requiredDisciplines: [...round.quorum.requiredDisciplines] },
    // A close in progress (counting) is shown as still open; it becomes closed in moments.
    closesAt: round.closesAt, visibility: round.visibility, status: closed ? 'closed' : 'open',
    openedBy: person(names, round.openedBy), openedAt: round.openedAt, closedAt: round.closedAt,
    closedBy: round.closedBy ? person(names, round.closedBy) : null,
    voters: ballots.map((b) => ({ ...person(names, b.voterId), discipline: b.discipline })),
    myBallot: mine ? ballot(mine) : null,
    ballots: hidden ? [] : ballots.map(ballot),
    result: hidden || !live ? null : live,
    briefSnapshot: round.briefText,
    followUps: followUps
      .filter((f) => f.data.roundId === round.id)
      .map((f) => ({ id: f.id, roundId: round.id, status: f.data.status, reason: f.data.reason, note: f.data.note, recordedBy: person(names, f.createdBy), recordedAt: f.createdAt })),
    recommendation: round.recommendation && {
      // As written: renaming or removing the option later does not change the recommendation.
      option: { id: round.recommendation.optionId, title: round.recommendation.optionTitle },
      text: round.recommendation.text,
      writtenBy: person(names, round.recommendation.writtenBy),
      writtenAt: round.recommendation.writtenAt,
    },
  };
}

/** An option, with only the supporting evidence that still exists in the library. */
export function presentOption(r: CaseItemRecord<OptionData>, names: Map<string, PersonRef>, library: Set<string>): OptionView {
  const d = r.data;
  return {
    ...itemMeta(r, names),
    title: d.title, description: d.description, expectedBenefit: d.expectedBenefit, risks: d.risks, burden: d.burden,
    evidenceIds: d.evidenceIds.filter((id) => library.has(id)),
  };
}

export function presentCoverage(r: CaseItemRecord<CoverageData>, names: Map<string, PersonRef>, today: string): CoverageView {
  const d = r.data;
  const open = coverageDeadlinesOpen(d.decision, d.appealOutcome);
  const deadline = (date: string | null, isOpen: boolean) => (date ? { date, ...deadlineState(date, today, isOpen) } : null);
  return {
    ...itemMeta(r, names),
    payer: d.payer, requested: d.requested, submittedOn: d.submittedOn, referenceNumber: d.referenceNumber, decision: d.decision,
    denialReason: d.denialReason, payerWording: d.payerWording, decidedOn: d.decidedOn,
    appealDeadline: deadline(d.appealDeadline, open.appeal), peerToPeerDeadline: deadline(d.peerToPeerDeadline, open.peerToPeer),
    appealOutcome: d.appealOutcome,
  };
}
