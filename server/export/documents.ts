/**
 * The three documents a team exports, built from the gathered data as format-neutral documents:
 * the consensus summary (for the record), the plain-language patient summary and the insurer's
 * medical-necessity letter. The last two start as editable drafts (sections of plain text) that
 * the author may change before downloading.
 */
import { createHash } from 'node:crypto';
import { utcToZoned } from '../../shared/time.js';
import { DISCIPLINE_LABELS } from '../../shared/disciplines.js';
import type { EditableSection, ExportKind } from '../../shared/schemas/exports.js';
import { ROLE_LABELS } from '../../shared/roles.js';
import { RESISTANCE_SOURCE_LABELS } from '../../shared/schemas/cases.js';
import { CONFERENCE_KIND_LABELS } from '../../shared/schemas/conferences.js';
import { COVERAGE_DECISION_LABELS, DENIAL_REASON_LABELS } from '../../shared/schemas/coverage.js';
import { EVIDENCE_KIND_LABELS, EVIDENCE_STRENGTH_LABELS } from '../../shared/schemas/evidence.js';
import { DECISION_RULE_LABELS, STANCE_LABELS } from '../../shared/schemas/rounds.js';
import { BRIEF_TEMPLATE } from '../domain/brief.js';
import type { BriefSection, ExportCoverage, ExportData, ExportOption } from './data.js';
import type { Block, ExportDocument } from './model.js';

/** How the author marks what they must complete; a line of its own becomes a highlighted placeholder. */
export const PLACEHOLDER = /^\[TO COMPLETE: (.+)\]$/;
const todo = (what: string) => `[TO COMPLETE: ${what}]`;


const percent = (x: number) => `${Math.round(x * 100)}%`;

/** Seals a document: its content hash (everything but the generation time) and that time. */
export function seal(doc: Omit<ExportDocument, 'generatedAt' | 'contentHash'>, generatedAt: string): ExportDocument {
  const contentHash = createHash('sha256').update(JSON.stringify([doc.title, doc.subtitle, doc.facts, doc.blocks, doc.draft])).digest('hex');
  return { ...doc, generatedAt, contentHash };
}

/** An instant as the day it was in the team's time zone. */
const dayIn = (timeZone: string) => (iso: string) => utcToZoned(iso, timeZone).date;

/** The brief section whose heading matches, if any. */
function section(data: ExportData, pattern: RegExp): BriefSection | undefined {
  return data.brief.find((s) => pattern.test(s.heading));
}

const PROMPTS = BRIEF_TEMPLATE.flatMap((s) => s.prompts.map((p) => p.trim()));

/**
 * A brief paragraph without the template's prompt when the author filled it in
 * ("Plan: second-line pembrolizumab" → "second-line pembrolizumab"); empty when only the prompt is left.
 */
function answered(paragraph: string): string {
  // Only the template's own prompts: a clinician's "Allergy: penicillin" keeps its label.
  const prompt = PROMPTS.find((p) => paragraph.startsWith(p));
  return prompt ? paragraph.slice(prompt.length).trim() : paragraph;
}

function answers(s: BriefSection | undefined): string[] {
  return (s?.paragraphs ?? []).map(answered).filter((p) => p.length > 0);
}

/** The recommended option; if it was removed since, as the recommendation recorded it. */
const chosenOption = (data: ExportData): ExportOption | undefined => {
  const rec = data.decision?.recommendation;
  return data.options.find((o) => o.chosen) ?? (rec
    ? { id: rec.optionId, title: rec.optionTitle, description: '', expectedBenefit: '', risks: '', burden: '', evidenceIds: [], chosen: true }
    : undefined);
};
const optionTitle = (data: ExportData, id: string) => data.options.find((o) => o.id === id)?.title ?? (data.decision?.recommendation?.optionId === id ? data.decision.recommendation.optionTitle : 'A removed option');

/** The coverage request the letter answers: the latest denied one, else the latest. */
function contestedRequest(data: ExportData): ExportCoverage | undefined {
  const byDate = [...data.coverage].sort((a, b) => b.submittedOn.localeCompare(a.submittedOn));
  return byDate.find((c) => c.decision === 'denied' || c.decision === 'partially_approved') ?? byDate[0];
}

function citations(data: ExportData, ids: string[]): string {
  const numbers = data.evidence.filter((e) => ids.includes(e.id)).map((e) => `[${e.number}]`);
  return numbers.length > 0 ? numbers.join(', ') : 'none recorded';
}

// ---- the consensus summary ----

/** The consensus summary of a decided case: everything the team agreed, and how. */
export function consensusSummary(data: ExportData, generatedAt: string): ExportDocument {
  const date = dayIn(data.timeZone);
  const decision = data.decision;
  if (!decision?.recommendation) throw new Error('consensusSummary: the case has no decision');
  const rec = decision.recommendation;
  const blocks: Block[] = [];
  const h = (level: 1 | 2 | 3, text: string) => blocks.push({ kind: 'heading', level, text });
  const p = (text: string) => blocks.push({ kind: 'paragraph', text });

  h(2, 'The case');
  p(data.case.problem || 'No problem statement was recorded.');
  if (data.case.resistance.length > 0) {
    h(3, 'Resistance faced');
    blocks.push({ kind: 'list', ordered: false, items: data.case.resistance.map((r) => `${RESISTANCE_SOURCE_LABELS[r.source]}: ${r.description}`) });
  }

  h(2, 'Who took part');
  blocks.push({
    kind: 'table',
    header: ['Member', 'Discipline', 'Role', 'Comments', 'Evidence added', 'Ballots'],
    rows: data.team.map((m) => {
      const c = data.contributions[m.id] ?? { comments: 0, evidence: 0, ballots: 0 };
      return [m.name, DISCIPLINE_LABELS[m.discipline], ROLE_LABELS[m.role], String(c.comments), String(c.evidence), String(c.ballots)];
    }),
  });
  if (data.case.requiredDisciplines.length > 0) p(`Disciplines whose view was required: ${data.case.requiredDisciplines.map((d) => DISCIPLINE_LABELS[d]).join(', ')}.`);

  h(2, "The patient's specific needs");
  const needs = answers(section(data, /need/i));
  if (needs.length > 0) for (const n of needs) p(n);
  else p('The brief recorded no specific needs.');

  h(2, 'Evidence');
  if (data.evidence.length === 0) p('No evidence was added to the case library.');
  else {
    blocks.push({
      kind: 'table', header: ['#', 'Evidence', 'Kind', 'Strength', 'Year'],
      rows: data.evidence.map((e) => [String(e.number), e.title, EVIDENCE_KIND_LABELS[e.kind], EVIDENCE_STRENGTH_LABELS[e.strength], e.year === null ? '' : String(e.year)]),
    });
    blocks.push({ kind: 'list', ordered: false, items: data.evidence.map((e) => `[${e.number}] ${[e.citation || e.title, e.url].filter(Boolean).join(' ')}${e.summary ? ` — ${e.summary}` : ''}`) });
  }

  h(2, 'Options compared');
  for (const o of data.options) {
    h(3, o.chosen ? `${o.title} (recommended)` : o.title);
    if (o.description) p(o.description);
    blocks.push({
      kind: 'list', ordered: false, items: [
        `Expected benefit: ${o.expectedBenefit || 'not stated'}`, `Risks: ${o.risks || 'not stated'}`, `Burden: ${o.burden || 'not stated'}`,
        `Supporting evidence: ${citations(data, o.evidenceIds)}`,
      ],
    });
  }

  h(2, 'The vote');
  const rule = decision.rule === 'supermajority' && decision.threshold !== null ? `${DECISION_RULE_LABELS.supermajority} (${percent(decision.threshold)})` : DECISION_RULE_LABELS[decision.rule];
  const quorum = decision.quorum.requiredDisciplines.length > 0
    ? `at least ${decision.quorum.minVoters} voters, including ${decision.quorum.requiredDisciplines.map((d) => DISCIPLINE_LABELS[d]).join(', ')}`
    : `at least ${decision.quorum.minVoters} voters`;
  blocks.push({
    kind: 'list', ordered: false, items: [
      `Question: ${decision.question}`, `Rule: ${rule}`, `Quorum: ${quorum} (${decision.result.quorum.met ? 'met' : 'not met'}, ${decision.result.quorum.voters} voted)`,
      `Opened ${date(decision.openedAt)}, closed ${date(decision.closedAt)}`,
    ],
  });
  blocks.push({
    kind: 'table', header: ['Option', 'Support', 'With reservations', 'Object', 'Abstain'],
    rows: decision.result.tallies.map((t) => [optionTitle(data, t.optionId), String(t.support), String(t.reservations), String(t.object), String(t.abstain)]),
  });
  h(3, "Each member's stance");
  blocks.push({
    kind: 'table', header: ['Member', 'Discipline', 'Option', 'Stance', 'Rationale'],
    rows: decision.ballots.flatMap((b) =>
      b.defer !== null
        ? [[b.voter.name, DISCIPLINE_LABELS[b.voter.discipline], '', 'Deferred', b.defer]]
        : b.stances.map((s) => [b.voter.name, DISCIPLINE_LABELS[b.voter.discipline], optionTitle(data, s.optionId), STANCE_LABELS[s.stance], s.rationale])),
  });

  h(2, 'Unified recommendation');
  p(`Recommended: ${rec.optionTitle}.`);
  p(rec.text);
  const writer = data.team.find((m) => m.id === rec.writtenBy);
  blocks.push({ kind: 'note', text: `Written by ${writer?.name ?? 'a former member'} on ${date(rec.writtenAt)}.` });

  h(2, 'Dissent and reservations on the record');
  // Dissent is about what was recommended; stances on the alternatives stay in the table above.
  const dissent = decision.ballots.flatMap((b) =>
    b.stances.filter((s) => s.optionId === rec.optionId && (s.stance === 'object' || s.stance === 'support_with_reservations')).map((s) => ({ b, s })));
  if (dissent.length === 0) p('No member objected to the recommendation or supported it with reservations.');
  for (const { b, s } of dissent) {
    blocks.push({
      kind: 'quote', text: s.rationale,
      by: `${b.voter.name} (${DISCIPLINE_LABELS[b.voter.discipline]}), ${s.stance === 'object' ? 'objected to' : 'supported with reservations'} ${optionTitle(data, s.optionId)}`,
    });
  }

  h(2, 'Conferences where it was discussed');
  if (data.conferences.length === 0) p('The case was not on the agenda of a Consilium conference held before the decision.');
  else {
    blocks.push({
      kind: 'table', header: ['Date', 'Conference', 'Kind', 'Participants', 'Outcome'],
      rows: data.conferences.map((c) => [date(c.start), c.title, CONFERENCE_KIND_LABELS[c.kind], c.participants.map((x) => x.name).join(', '), c.outcome ?? '']),
    });
  }

  h(2, 'The brief as it stood at the decision');
  if (data.briefSource === 'decision_snapshot') blocks.push({ kind: 'note', text: `From the snapshot stored when the vote closed on ${date(decision.closedAt)}, not from today's brief.` });
  else blocks.push({ kind: 'note', text: 'No snapshot of the brief was stored with this decision: this is the brief as it is now.' });
  for (const s of data.brief) {
    h(3, s.heading);
    for (const para of s.paragraphs) p(para);
  }

  return seal({
    title: 'Consensus summary',
    subtitle: `${data.case.title} · ${data.case.patientRef}`,
    facts: [['Patient', data.case.patientRef], ['Decided', date(decision.closedAt)], ['Recommendation', rec.optionTitle], ['Rule', rule]],
    blocks,
    draft: false,
  }, generatedAt);
}

// ---- the editable drafts ----

/** The patient summary's first draft: plain language, no staff names, no internal dissent. */
function patientDraft(data: ExportData): EditableSection[] {
  const chosen = chosenOption(data);
  const proposed = answers(section(data, /proposed plan/i));
  const education = answers(section(data, /education/i));
  const what = chosen
    ? `Your care team recommends: ${chosen.title}.`
    : proposed[0] ? `Your care team is considering this plan: ${proposed[0]}` : todo('what the team recommends, in plain words');
  const why = education.length > 0 ? education : chosen?.expectedBenefit ? [chosen.expectedBenefit] : [todo('why, in plain words')];
  const others = data.options.filter((o) => !o.chosen);
  const coverage = contestedRequest(data);
  const next: string[] = [];
  if (coverage?.decision === 'denied') next.push('Your insurance company has said no to paying for this treatment so far. Your care team is asking them to change their decision.');
  if (coverage?.decision === 'pending') next.push('We have asked your insurance company to approve this treatment. We will tell you when they answer.');
  next.push(todo('the next step and its date, e.g. your next appointment'));
  return [
    { heading: 'What your care team recommends', text: what },
    { heading: 'Why', text: why.join('\n\n') },
    {
      heading: 'Other choices we talked about',
      text: others.length > 0 ? others.map((o) => `${o.title}: ${o.expectedBenefit || o.description || 'another choice we looked at.'}`).join('\n\n') : 'We did not find another choice that fits you as well.',
    },
    { heading: 'What happens next', text: next.join('\n\n') },
    { heading: 'Questions', text: `You can ask us anything about this plan.\n\n${todo('who to call, and the number')}` },
  ];
}

/** The letter's first draft: a medical-necessity letter from this case alone, with what the author must complete marked. */
function letterDraft(data: ExportData): EditableSection[] {
  const date = dayIn(data.timeZone);
  const chosen = chosenOption(data);
  const request = contestedRequest(data);
  const needs = answers(section(data, /need/i));
  const requested = request?.requested || chosen?.title || todo('the treatment requested');
  const denial = request && (request.decision === 'denied' || request.decision === 'partially_approved')
    ? `Your review${request.decidedOn ? ` of ${request.decidedOn}` : ''}${request.referenceNumber ? ` (reference ${request.referenceNumber})` : ''} ${request.decision === 'denied' ? 'denied' : 'only partly approved'} this request${request.denialReason ? ` as "${DENIAL_REASON_LABELS[request.denialReason].toLowerCase()}"` : ''}${request.payerWording ? `, stating: "${request.payerWording}"` : ''}.`
    : request ? `The request is ${COVERAGE_DECISION_LABELS[request.decision].toLowerCase()}.` : '';
  const rationale = data.decision?.recommendation?.text ?? answers(section(data, /proposed plan/i)).join(' ');
  const supporting = chosen ? data.evidence.filter((e) => chosen.evidenceIds.includes(e.id)) : data.evidence;
  const alternatives = data.options.filter((o) => !o.chosen);
  return [
    { heading: 'To', text: `${todo('name of the medical director')}\n\n${request?.payer || todo('the payer')}\n\n${todo('address')}` },
    {
      heading: 'Re',
      text: `Request for reconsideration: ${requested}\n\nOur patient reference: ${data.case.patientRef}`
        + (request?.referenceNumber ? `\n\nYour reference: ${request.referenceNumber}` : '')
        + `\n\n${todo("the patient's name, date of birth and member ID as on file with the payer")}`,
    },
    {
      heading: 'Request',
      text: `On behalf of the patient's interdisciplinary care team, I ask you to approve ${requested}. ${denial}`.trim(),
    },
    { heading: "The patient's needs", text: needs.length > 0 ? needs.join('\n\n') : todo("the patient's symptoms, risks, prognosis and goals") },
    {
      heading: 'Why this treatment is medically necessary',
      text: [rationale || todo('the clinical rationale'), ...supporting.map((e) => `${e.summary || e.title} [${e.number}]`)].join('\n\n'),
    },
    {
      heading: 'Alternatives considered',
      text: alternatives.length > 0
        ? alternatives.map((o) => `${o.title}: ${[o.risks && `risks: ${o.risks}`, o.burden && `burden: ${o.burden}`].filter(Boolean).join('; ') || 'considered and judged less suitable for this patient.'}`).join('\n\n')
        : 'No alternative of equal benefit is available for this patient.',
    },
    {
      heading: 'Closing',
      text: `We are available for a peer-to-peer review${request?.peerToPeerDeadline ? ` before ${request.peerToPeerDeadline}` : ''}.\n\n${todo('phone number and times for the peer-to-peer review')}\n\n${todo('name, credentials, NPI, signature and date')}`,
    },
  ];
}

/** The first draft of an editable document. */
export function draftSections(kind: 'patient_summary' | 'appeal_letter', data: ExportData): EditableSection[] {
  return kind === 'patient_summary' ? patientDraft(data) : letterDraft(data);
}

/** An editable document, as the author left it, turned into a document; blank lines separate paragraphs. */
export function editableDocument(kind: 'patient_summary' | 'appeal_letter', data: ExportData, sections: EditableSection[], generatedAt: string): ExportDocument {
  const blocks: Block[] = [];
  for (const s of sections) {
    if (s.heading.trim()) blocks.push({ kind: 'heading', level: 2, text: s.heading.trim() });
    for (const para of s.text.split(/\n\s*\n/).map((x) => x.trim()).filter(Boolean)) {
      const m = PLACEHOLDER.exec(para);
      blocks.push(m ? { kind: 'placeholder', text: m[1]! } : { kind: 'paragraph', text: para });
    }
  }
  const draft = data.decision === null;
  if (kind === 'appeal_letter') {
    blocks.push({ kind: 'heading', level: 2, text: 'References' });
    blocks.push({ kind: 'list', ordered: false, items: data.evidence.map((e) => `[${e.number}] ${[e.citation || e.title, e.url].filter(Boolean).join(' ')}`) });
  }
  return seal({
    title: kind === 'patient_summary' ? 'Your care plan' : 'Letter of medical necessity',
    subtitle: kind === 'patient_summary' ? `For the patient (reference ${data.case.patientRef})` : `${data.case.patientRef} · ${contestedRequest(data)?.requested || data.case.title}`,
    facts: kind === 'patient_summary' ? [] : [['Patient reference', data.case.patientRef]],
    blocks,
    draft,
  }, generatedAt);
}

/** The kinds of export and whether each needs a decision. */
export const NEEDS_DECISION: Record<ExportKind, boolean> = { consensus_summary: true, patient_summary: false, appeal_letter: false };
