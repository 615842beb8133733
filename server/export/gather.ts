import { fromBase64 } from 'lib0/buffer';
import * as Y from 'yjs';
import { BRIEF_FRAGMENT } from '../../shared/brief.js';
import type { Result } from '../../shared/decision.js';
import { ROLES } from '../../shared/roles.js';
import { meetingsOf } from '../domain/conferences.js';
import { contributionsOf } from '../domain/decisions.js';
import type { BriefDocuments } from '../domain/brief-access.js';
import { CITATION_NODE } from '../domain/evidence.js';
import type { RoundRecord, Store } from '../store/port.js';
import type { BriefSection, ExportConference, ExportData, ExportDecision, ExportEvidence } from './data.js';

/** The evidence id attribute of a citation node in the brief. */
const CITATION_ATTR = 'evidenceId';
/** Text before the brief's first heading. */
const OPENING = 'Opening';

/**
 * The round a case's exports speak for: the latest one that closed with a decision and has its
 * unified recommendation written. Null while the case has none.
 */
export function decidingRound(rounds: RoundRecord[]): RoundRecord | null {
  const decided = rounds.filter((r) => r.status === 'closed' && r.result?.outcome.kind === 'decided' && r.recommendation !== null);
  return decided.sort((a, b) => (b.closedAt ?? '').localeCompare(a.closedAt ?? ''))[0] ?? null;
}

/** The plain text of an element, citations written as [n]. */
function textOf(node: Y.XmlElement | Y.XmlText, number: (id: string) => number | null): string {
  if (node instanceof Y.XmlText) {
    return (node.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('');
  }
  if (node.nodeName === CITATION_NODE) {
    const id = node.getAttribute(CITATION_ATTR);
    const n = typeof id === 'string' ? number(id) : null;
    return n === null ? '' : `[${n}]`;
  }
  return node.toArray().map((c) => (c instanceof Y.XmlElement || c instanceof Y.XmlText ? textOf(c, number) : '')).join('');
}

/** The order in which evidence is first cited in the brief. */
function citationOrder(fragment: Y.XmlFragment): string[] {
  const order: string[] = [];
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (child.nodeName === CITATION_NODE) {
        const id = child.getAttribute(CITATION_ATTR);
        if (typeof id === 'string' && !order.includes(id)) order.push(id);
      } else walk(child);
    }
  };
  walk(fragment);
  return order;
}

/**
 * The brief as sections (a heading and its paragraphs; list items are paragraphs of their own),
 * with citations numbered as the exports number the evidence.
 */
function briefSections(fragment: Y.XmlFragment, number: (id: string) => number | null): BriefSection[] {
  const sections: BriefSection[] = [];
  let current: BriefSection = { heading: OPENING, paragraphs: [] };
  const push = (text: string) => {
    const t = text.trim();
    if (t) current.paragraphs.push(t);
  };
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) {
        push(textOf(child, number));
        continue;
      }
      if (!(child instanceof Y.XmlElement)) continue;
      if (child.nodeName === 'heading') {
        if (current.heading !== OPENING || current.paragraphs.length > 0) sections.push(current);
        current = { heading: textOf(child, number).trim() || 'Untitled section', paragraphs: [] };
      } else if (child.nodeName === 'paragraph' || child.nodeName === 'codeBlock') {
        push(textOf(child, number));
      } else walk(child); // lists, list items, quotes
    }
  };
  walk(fragment);
  if (current.heading !== OPENING || current.paragraphs.length > 0) sections.push(current);
  return sections;
}

/**
 * Gathers everything about one case that its exports need. The brief comes from the snapshot
 * stored with the deciding round; without a decision (drafts only), from the live brief.
 */
export async function gatherExportData(store: Store, briefs: BriefDocuments, caseId: string, now: string, timeZone: string): Promise<ExportData> {
  const kase = await store.cases.findById(caseId);
  if (!kase) throw new Error('gatherExportData: no such case');
  const [memberships, rounds, liveEvidence, liveOptions, coverage, messages] = await Promise.all([
    store.memberships.listByCase(caseId), store.rounds.listByCase(caseId), store.evidence.list(caseId),
    store.options.list(caseId), store.coverage.list(caseId), store.messages.listByCase(caseId),
  ]);
  const users = new Map((await store.users.findManyByIds(memberships.map((m) => m.userId))).map((u) => [u.id, u]));
  const round = decidingRound(rounds);
  // A decision's own record (kept at its close) wins over today's options, evidence and team.
  const record = round?.record ?? null;
  const evidence = record ? record.evidence : liveEvidence.map((e) => ({ id: e.id, ...e.data }));
  const options = record ? record.options : liveOptions.map((o) => ({ id: o.id, ...o.data }));

  // The brief: as it stood at the decision, or as it is now for a draft.
  const doc = new Y.Doc();
  let briefSource: ExportData['briefSource'] = 'current';
  if (round?.briefState) {
    Y.applyUpdate(doc, fromBase64(round.briefState));
    briefSource = 'decision_snapshot';
  } else {
    const state = await briefs.inspect(caseId, (live) => Y.encodeStateAsUpdate(live), 0);
    if (state) Y.applyUpdate(doc, state);
  }
  const fragment = doc.getXmlFragment(BRIEF_FRAGMENT);
  const cited = citationOrder(fragment).filter((id) => evidence.some((e) => e.id === id));
  const ordered = [...cited.map((id) => evidence.find((e) => e.id === id)!), ...evidence.filter((e) => !cited.includes(e.id))];
  const numbers = new Map(ordered.map((e, i) => [e.id, i + 1]));
  const brief = briefSections(fragment, (id) => numbers.get(id) ?? null);
  doc.destroy();

  const exportEvidence: ExportEvidence[] = ordered.map((e) => ({ ...e, number: numbers.get(e.id)! }));

  // Contributions per person: comments, evidence added, ballots cast (as recorded at the decision).
  const ballotsByRound = new Map(await Promise.all(rounds.map(async (r) => [r.id, await store.ballots.listByRound(r.id)] as const)));
  const contributions = record?.contributions ?? contributionsOf(messages, liveEvidence, [...ballotsByRound.values()].flat(), null);

  let decision: ExportDecision | null = null;
  if (round) {
    const ballots = ballotsByRound.get(round.id) ?? [];
    const voters = new Map(record
      ? Object.entries(record.voters).map(([id, name]) => [id, { name }] as const)
      : (await store.users.findManyByIds(ballots.map((b) => b.voterId))).map((u) => [u.id, { name: u.name }] as const));
    decision = {
      roundId: round.id, question: round.question, rule: round.rule, threshold: round.threshold, quorum: round.quorum,
      openedAt: round.openedAt, closedAt: round.closedAt!, result: round.result as Result,
      // A closed round's ballots no longer change: these are the ones its close counted. By name, for a stable record.
      ballots: [...ballots].sort((x, y) => (voters.get(x.voterId)?.name ?? '').localeCompare(voters.get(y.voterId)?.name ?? '')).map((b) => ({
        voter: { id: b.voterId, name: voters.get(b.voterId)?.name ?? 'Former user', discipline: b.discipline },
        defer: b.defer,
        stances: Object.entries(b.stances).map(([optionId, s]) => ({ optionId, stance: s.stance, rationale: s.rationale })),
      })),
      recommendation: round.recommendation,
    };
  }

  // The meetings where the case was on the agenda, held up to the decision (or until now, for a draft).
  const cutoff = round?.closedAt ?? now;
  const conferences: ExportConference[] = [];
  for (const c of await store.conferences.listByCase(caseId)) {
    if (c.status !== 'scheduled') continue;
    const names = new Map((await store.users.findManyByIds(c.peopleIds)).map((u) => [u.id, u.name]));
    for (const o of meetingsOf(c)) {
      const item = c.agenda.find((i) => i.occurrence === o.key && i.caseId === caseId);
      if (!item || o.start > cutoff) continue;
      const run = c.live.find((l) => l.occurrence === o.key);
      const people = run && run.attended.length > 0 ? run.attended : c.attendees.filter((a) => a.response === 'accepted').map((a) => a.userId);
      conferences.push({
        id: `${c.id}:${o.key}`, title: c.title, kind: c.kind, start: o.start, end: o.end,
        participants: people.map((id) => ({ id, name: names.get(id) ?? 'Former user' })),
        status: run?.status === 'ended' || o.end <= cutoff ? 'fulfilled' : 'booked',
        outcome: item.outcome,
      });
    }
  }
  conferences.sort((a, b) => a.start.localeCompare(b.start));

  return {
    case: {
      id: kase.id, title: kase.title, patientRef: kase.patientRef, problem: kase.problem, resistance: kase.resistance,
      requiredDisciplines: kase.requiredDisciplines, createdAt: kase.createdAt,
    },
    // Owners first, then editors, commenters and viewers, each by name.
    team: (record ? [...record.team] : memberships.map((m) => ({ id: m.userId, name: users.get(m.userId)?.name ?? 'Former user', discipline: m.discipline, role: m.role })))
      .sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role) || a.name.localeCompare(b.name)),
    contributions,
    evidence: exportEvidence,
    options: options.map((o) => ({ ...o, chosen: decision?.recommendation?.optionId === o.id })),
    decision,
    coverage: coverage.map((c) => ({ id: c.id, ...c.data })),
    conferences,
    brief,
    briefSource,
    timeZone,
  };
}
