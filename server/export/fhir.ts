/**
 * A decided case as an HL7 FHIR R4 document Bundle: a Composition first (the needs, the team, the
 * evidence, the discussion, the recommendation with its dissent, the alternatives, the coverage
 * requests), then what it points to: the Patient (pseudonymous, never a name), the CareTeam with
 * a Practitioner and a PractitionerRole per member, the chosen plan as a CarePlan (intent plan) and
 * each alternative as a CarePlan (intent option), an Appointment per conference, and each
 * coverage request as a Claim (use preauthorization) with a ClaimResponse once the payer decided.
 * Plain JSON values; the small types below cover only the elements emitted here.
 */
import { createHash } from 'node:crypto';
import { DISCIPLINE_LABELS, type Discipline } from '../../shared/disciplines.js';
import { RESISTANCE_SOURCE_LABELS } from '../../shared/schemas/cases.js';
import { CONFERENCE_KIND_LABELS } from '../../shared/schemas/conferences.js';
import { APPEAL_OUTCOME_LABELS, COVERAGE_DECISION_LABELS, DENIAL_REASON_LABELS } from '../../shared/schemas/coverage.js';
import { EVIDENCE_KIND_LABELS, EVIDENCE_STRENGTH_LABELS } from '../../shared/schemas/evidence.js';
import { DECISION_RULE_LABELS, STANCE_LABELS } from '../../shared/schemas/rounds.js';
import type { ExportCoverage, ExportData, ExportOption } from './data.js';
import { escapeMarkdown } from './render/markdown.js';

// ---- the FHIR R4 shapes emitted ----

export interface Reference { reference: string; display?: string }
export interface Coding { system: string; code: string; display?: string }
export interface CodeableConcept { coding?: Coding[]; text?: string }
export interface Identifier { use?: 'usual' | 'official' | 'secondary'; type?: CodeableConcept; system?: string; value: string }
export interface Narrative { status: 'generated'; div: string }
export interface Annotation { authorReference?: Reference; time?: string; text: string }

export interface Patient { resourceType: 'Patient'; id: string; identifier: Identifier[] }
export interface Organization { resourceType: 'Organization'; id: string; name: string }
export interface Practitioner { resourceType: 'Practitioner'; id: string; identifier: Identifier[]; name: { text: string }[] }
export interface PractitionerRole { resourceType: 'PractitionerRole'; id: string; practitioner: Reference; organization: Reference; code: CodeableConcept[] }
export interface CareTeam {
  resourceType: 'CareTeam'; id: string; status: 'active'; name: string; subject: Reference;
  participant: { role: CodeableConcept[]; member: Reference }[]; managingOrganization: Reference[];
}
export interface CarePlan {
  resourceType: 'CarePlan'; id: string; identifier: Identifier[]; status: 'active' | 'draft'; intent: 'plan' | 'option';
  title: string; description?: string; subject: Reference; created?: string; author: Reference; contributor?: Reference[];
  careTeam: Reference[]; note?: Annotation[];
}
export interface Appointment {
  resourceType: 'Appointment'; id: string; identifier: Identifier[]; status: 'booked' | 'fulfilled' | 'cancelled';
  serviceType: CodeableConcept[]; description: string; start: string; end: string; comment?: string;
  participant: { actor?: Reference; type?: CodeableConcept[]; status: 'accepted' }[];
}
export interface Coverage { resourceType: 'Coverage'; id: string; status: 'active'; beneficiary: Reference; payor: Reference[] }
export interface Claim {
  resourceType: 'Claim'; id: string; identifier: Identifier[]; status: 'active'; type: CodeableConcept; use: 'preauthorization';
  patient: Reference; created: string; insurer: Reference; provider: Reference; priority: CodeableConcept;
  insurance: { sequence: number; focal: boolean; coverage: Reference }[];
  item: { sequence: number; productOrService: CodeableConcept }[];
}
export interface ClaimResponse {
  resourceType: 'ClaimResponse'; id: string; status: 'active'; type: CodeableConcept; use: 'preauthorization';
  patient: Reference; created: string; insurer: Reference; requestor: Reference; request: Reference;
  outcome: 'complete'; disposition: string; preAuthRef?: string;
  item: { itemSequence: number; noteNumber?: number[]; adjudication: { category: CodeableConcept; reason?: CodeableConcept }[] }[];
  processNote?: { number: number; type: 'display'; text: string }[];
}
export interface CompositionSection { title: string; text: Narrative; entry?: Reference[] }
export interface Composition {
  resourceType: 'Composition'; id: string; identifier: Identifier; status: 'final' | 'preliminary'; type: CodeableConcept;
  subject: Reference; date: string; author: Reference[]; title: string; custodian: Reference; section: CompositionSection[];
}
export type FhirResource =
  | Composition | Patient | Organization | Practitioner | PractitionerRole | CareTeam | CarePlan | Appointment | Coverage | Claim | ClaimResponse;
export interface FhirBundle {
  resourceType: 'Bundle'; id: string; identifier: { system: 'urn:ietf:rfc:3986'; value: string }; type: 'document';
  timestamp: string; entry: { fullUrl: string; resource: FhirResource }[];
}

export interface FhirBundleOptions {
  /** When the Bundle was assembled (Bundle.timestamp). */
  generatedAt: string;
  /** A UUID for this Bundle; by default one derived from the case and its deciding round, so re-exports agree. */
  bundleId?: string;
  /** A FHIR server base (https://…/fhir): entries get RESTful fullUrls there instead of urn:uuid ones. */
  baseUrl?: string;
}

// ---- codes and identifier systems ----

/** LOINC 11488-4 "Consult note": the team's reasoned answer to the question put to it, not the plan itself. */
const DOCUMENT_TYPE: CodeableConcept = { coding: [{ system: 'http://loinc.org', code: '11488-4', display: 'Consult note' }], text: 'Interdisciplinary care team recommendation' };
const CLAIM_TYPE: CodeableConcept = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: 'professional', display: 'Professional' }] };
const NORMAL_PRIORITY: CodeableConcept = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/processpriority', code: 'normal', display: 'Normal' }] };
/** Our own code systems, for what no standard terminology names (bindings here are all "example"). */
const SYSTEM = {
  patientRef: 'urn:consilium:patient-ref',
  user: 'urn:consilium:user',
  option: 'urn:consilium:option',
  conference: 'urn:consilium:conference',
  coverageRequest: 'urn:consilium:coverage-request',
  discipline: 'urn:consilium:discipline',
  coverageDecision: 'urn:consilium:coverage-decision',
  denialReason: 'urn:consilium:denial-reason',
} as const;

/** Fixed namespace for the name-based (RFC 4122 version 5) UUIDs of our resources. */
const NAMESPACE = Buffer.from('70318866-13a3-4eeb-ab80-be2f6c1016e6'.replace(/-/g, ''), 'hex');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A version 5 UUID for a name: the same record always gets the same resource id. */
export function uuidFor(name: string): string {
  const h = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

// ---- text and narrative ----

// Characters XML forbids (and C0 controls FHIR strings should not hold) are dropped, not escaped.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const clean = (s: string) => s.replace(NOT_XML, '').trim();
/** Text for an optional element: absent rather than empty, as FHIR requires. */
const opt = (s: string | null | undefined) => (s && clean(s)) || undefined;
/** Markdown (Annotation.text): plain text escaped so that no link, image or HTML comes alive. */
const md = (s: string) => escapeMarkdown(clean(s));
const esc = (s: string) => clean(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Narrative builders: every argument is plain text and is escaped here, once. */
const h = {
  p: (s: string) => `<p>${esc(s)}</p>`,
  paras: (s: string) => s.split(/\n\s*\n/).map((x) => x.trim()).filter(Boolean).map(h.p).join(''),
  ul: (items: string[]) => (items.length ? `<ul>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>` : ''),
  table: (head: string[], rows: string[][]) =>
    `<table><thead><tr>${head.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`,
  heading: (s: string) => `<h3>${esc(s)}</h3>`,
};
const narrative = (...parts: string[]): Narrative => ({ status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${parts.join('')}</div>` });

const day = (iso: string) => iso.slice(0, 10);
/** An instant as FHIR wants it (seconds and a zone), from any ISO date-time. */
function instant(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`toFhirBundle: not a date-time: ${iso}`);
  return new Date(t).toISOString();
}
const coded = (system: string, code: string, display: string): CodeableConcept => ({ coding: [{ system, code, display }], text: display });
const discipline = (d: Discipline) => coded(SYSTEM.discipline, d, DISCIPLINE_LABELS[d]);

/** Drops undefined values and empty lists, which FHIR JSON does not allow. */
function prune<T>(value: T): T {
  if (Array.isArray(value)) return value.map(prune) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = prune(v);
  }
  return out as T;
}

// ---- the Bundle ----

/**
 * The case's FHIR R4 document Bundle. Resource ids are derived from our record ids, so the same
 * decision always exports the same ids; only Bundle.timestamp follows `generatedAt`. A case without
 * a decision gives a preliminary Composition with every option as a draft alternative.
 */
export function toFhirBundle(data: ExportData, opts: FhirBundleOptions): FhirBundle {
  const decision = data.decision;
  const rec = decision?.recommendation ?? null;
  const caseId = data.case.id;
  const base = opts.baseUrl?.replace(/\/+$/, '');
  if (base !== undefined && !/^https?:\/\/\S+$/.test(base)) throw new Error('toFhirBundle: baseUrl must be an http(s) URL');
  const bundleId = opts.bundleId?.toLowerCase() ?? uuidFor(`bundle:${caseId}:${decision?.roundId ?? 'draft'}`);
  if (!UUID.test(bundleId)) throw new Error('toFhirBundle: bundleId must be a UUID');

  const entries: FhirResource[] = [];
  const urlOf = (type: string, id: string) => (base ? `${base}/${type}/${id}` : `urn:uuid:${id}`);
  const ref = (r: { resourceType: string; id: string }, display?: string): Reference => ({ reference: urlOf(r.resourceType, r.id), display });
  const add = <R extends FhirResource>(r: R): R => (entries.push(r), r);

  // Who: the patient, the institution, the team.
  const patient = add<Patient>({ resourceType: 'Patient', id: uuidFor(`patient:${caseId}`), identifier: [{ system: SYSTEM.patientRef, value: clean(data.case.patientRef) }] });
  const careOrg = add<Organization>({ resourceType: 'Organization', id: uuidFor(`organization:${caseId}`), name: 'Care team (Consilium)' });
  const practitioners = new Map<string, Practitioner>();
  const practitioner = (p: { id: string; name: string }) => {
    let found = practitioners.get(p.id);
    if (!found) {
      found = { resourceType: 'Practitioner', id: uuidFor(`practitioner:${p.id}`), identifier: [{ system: SYSTEM.user, value: p.id }], name: [{ text: clean(p.name) || 'Unnamed member' }] };
      practitioners.set(p.id, found);
    }
    return found;
  };
  for (const m of data.team) practitioner(m);
  for (const c of data.conferences) for (const p of c.participants) practitioner(p);
  entries.push(...practitioners.values());
  const roles = data.team.map((m) => add<PractitionerRole>({
    resourceType: 'PractitionerRole', id: uuidFor(`practitioner-role:${caseId}:${m.id}`),
    practitioner: ref(practitioner(m), m.name), organization: ref(careOrg), code: [discipline(m.discipline)],
  }));
  const careTeam = add<CareTeam>({
    resourceType: 'CareTeam', id: uuidFor(`care-team:${caseId}`), status: 'active', name: `Care team: ${clean(data.case.title)}`,
    subject: ref(patient), managingOrganization: [ref(careOrg)],
    participant: data.team.map((m) => ({ role: [discipline(m.discipline)], member: ref(practitioner(m), m.name) })),
  });
  const writer = rec ? data.team.find((m) => m.id === rec.writtenBy) : undefined;
  const author = writer ? ref(practitioner(writer), writer.name) : ref(careOrg);

  // What: the chosen plan and the alternatives, ranked by the vote.
  const chosen: ExportOption | undefined = data.options.find((o) => o.chosen)
    ?? (rec ? { id: rec.optionId, title: rec.optionTitle, description: '', expectedBenefit: '', risks: '', burden: '', evidenceIds: [], chosen: true } : undefined);
  const tally = (id: string) => decision?.result.tallies.find((t) => t.optionId === id);
  const support = (id: string) => [tally(id)?.support ?? 0, tally(id)?.reservations ?? 0] as const;
  const alternatives = data.options.filter((o) => o !== chosen)
    .map((o, i) => ({ o, i })).sort((a, b) => {
      const [sa, ra] = support(a.o.id);
      const [sb, rb] = support(b.o.id);
      return sb + rb - (sa + ra) || sb - sa || a.i - b.i;
    }).map(({ o }) => o);
  const titleOf = (id: string) => data.options.find((o) => o.id === id)?.title ?? (rec?.optionId === id ? rec.optionTitle : 'A removed option');
  const evidenceOf = (o: ExportOption) => data.evidence.filter((e) => o.evidenceIds.includes(e.id));
  const tallyText = (id: string) => {
    const t = tally(id);
    return t ? `${t.support} support, ${t.reservations} with reservations, ${t.object} object, ${t.abstain} abstain, ${t.silent} silent` : 'not voted on';
  };

  const carePlan = (o: ExportOption, isChosen: boolean): CarePlan => {
    const cited = evidenceOf(o);
    const notes: Annotation[] = [];
    if (isChosen && rec) notes.push({ authorReference: writer ? ref(practitioner(writer), writer.name) : undefined, time: rec.writtenAt, text: md(`Rationale: ${rec.text}`) });
    if (cited.length > 0) notes.push({ text: md(`Evidence (GRADE certainty): ${cited.map((e) => `[${e.number}] ${e.title} (${EVIDENCE_STRENGTH_LABELS[e.strength]})`).join('; ')}`) });
    if (decision) notes.push({ text: md(`Team vote: ${tallyText(o.id)}`) });
    const description = [o.description, o.expectedBenefit && `Expected benefit: ${o.expectedBenefit}`, o.risks && `Risks: ${o.risks}`, o.burden && `Burden: ${o.burden}`]
      .map((s) => opt(s)).filter(Boolean).join('\n\n');
    return {
      resourceType: 'CarePlan', id: uuidFor(`care-plan:${o.id}`), identifier: [{ system: SYSTEM.option, value: o.id }],
      status: isChosen && decision ? 'active' : 'draft', intent: isChosen ? 'plan' : 'option',
      title: clean(o.title) || 'Untitled option', description: description || undefined, subject: ref(patient),
      created: isChosen && rec ? rec.writtenAt : undefined, author: ref(careTeam),
      contributor: isChosen && writer ? [ref(practitioner(writer), writer.name)] : undefined, careTeam: [ref(careTeam)], note: notes,
    };
  };
  const chosenPlan = chosen ? add(carePlan(chosen, true)) : undefined;
  const alternativePlans = alternatives.map((o) => add(carePlan(o, false)));

  // When: the conferences.
  const appointments = data.conferences.map((c) => add<Appointment>({
    resourceType: 'Appointment', id: uuidFor(`appointment:${c.id}`), identifier: [{ system: SYSTEM.conference, value: c.id }],
    status: c.status, serviceType: [{ text: CONFERENCE_KIND_LABELS[c.kind] }], description: clean(c.title) || CONFERENCE_KIND_LABELS[c.kind],
    start: instant(c.start), end: instant(c.end), comment: opt(c.outcome),
    // An appointment needs a participant: without recorded attendance, the care team stands as one.
    participant: c.participants.length > 0
      ? c.participants.map((p) => ({ actor: ref(practitioner(p), p.name), status: 'accepted' as const }))
      : [{ type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'PART', display: 'Participation' }], text: 'Care team' }], status: 'accepted' as const }],
  }));

  // Coverage: one payer Organization and Coverage per payer, a Claim per request, a ClaimResponse per decision.
  const payers = new Map<string, { org: Organization; coverage: Coverage }>();
  const payerOf = (name: string) => {
    const key = clean(name).toLowerCase();
    let found = payers.get(key);
    if (!found) {
      const org: Organization = { resourceType: 'Organization', id: uuidFor(`payer:${key}`), name: clean(name) || 'Unnamed payer' };
      found = { org, coverage: { resourceType: 'Coverage', id: uuidFor(`coverage:${caseId}:${key}`), status: 'active', beneficiary: ref(patient), payor: [ref(org, org.name)] } };
      payers.set(key, found);
    }
    return found;
  };
  for (const c of data.coverage) payerOf(c.payer);
  for (const { org, coverage } of payers.values()) entries.push(org, coverage);
  const claims = data.coverage.map((c) => {
    const { org, coverage } = payerOf(c.payer);
    const claim = add<Claim>({
      resourceType: 'Claim', id: uuidFor(`claim:${c.id}`),
      identifier: [
        { system: SYSTEM.coverageRequest, value: c.id },
        ...(opt(c.referenceNumber) ? [{ use: 'secondary' as const, type: { text: 'Payer reference number' }, value: clean(c.referenceNumber) }] : []),
      ],
      status: 'active', type: CLAIM_TYPE, use: 'preauthorization', patient: ref(patient), created: c.submittedOn,
      insurer: ref(org, org.name), provider: ref(careOrg), priority: NORMAL_PRIORITY,
      insurance: [{ sequence: 1, focal: true, coverage: ref(coverage) }],
      item: [{ sequence: 1, productOrService: { text: clean(c.requested) || 'Unspecified request' } }],
    });
    return { c, claim, response: c.decision === 'pending' ? undefined : add(claimResponse(c, claim, org)) };
  });
  function claimResponse(c: ExportCoverage, claim: Claim, insurer: Organization): ClaimResponse {
    const reason = c.denialReason ? DENIAL_REASON_LABELS[c.denialReason] : null;
    const wording = opt(c.payerWording);
    return {
      resourceType: 'ClaimResponse', id: uuidFor(`claim-response:${c.id}`), status: 'active', type: CLAIM_TYPE, use: 'preauthorization',
      patient: ref(patient), created: c.decidedOn ?? c.submittedOn, insurer: ref(insurer, insurer.name), requestor: ref(careOrg), request: ref(claim),
      // "complete": the payer finished adjudicating; approval or denial is in the adjudication, not the outcome.
      outcome: 'complete', disposition: reason ? `${COVERAGE_DECISION_LABELS[c.decision]}: ${reason}` : COVERAGE_DECISION_LABELS[c.decision],
      preAuthRef: c.decision === 'approved' || c.decision === 'partially_approved' ? opt(c.referenceNumber) : undefined,
      item: [{
        itemSequence: 1, noteNumber: wording ? [1] : undefined,
        adjudication: [{
          category: coded(SYSTEM.coverageDecision, c.decision, COVERAGE_DECISION_LABELS[c.decision]),
          reason: c.denialReason && reason ? coded(SYSTEM.denialReason, c.denialReason, reason) : undefined,
        }],
      }],
      processNote: wording ? [{ number: 1, type: 'display', text: wording }] : undefined,
    };
  }

  // The document.
  const compositionId = uuidFor(`composition:${caseId}:${decision?.roundId ?? 'draft'}`);
  const composition: Composition = {
    resourceType: 'Composition', id: compositionId, identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${compositionId}` },
    status: decision ? 'final' : 'preliminary', type: DOCUMENT_TYPE, subject: ref(patient),
    date: rec?.writtenAt ?? decision?.closedAt ?? instant(opts.generatedAt), author: [author],
    title: `Care team recommendation: ${clean(data.case.title)}`, custodian: ref(careOrg),
    section: sections(),
  };

  function sections(): CompositionSection[] {
    const needs = data.brief.find((s) => /need/i.test(s.heading));
    // A paragraph that is only the template's prompt ("Goals, in the patient's own words:") says nothing.
    const said = (needs?.paragraphs ?? []).filter((p) => !/^[^:]{3,80}:\s*$/.test(p.trim()));
    // Dissent from the recommendation: objections and reservations on the chosen option (every stance is in the Discussion).
    const dissent = (decision?.ballots ?? []).flatMap((b) => b.stances
      .filter((s) => s.optionId === chosen?.id && (s.stance === 'object' || s.stance === 'support_with_reservations'))
      .map((s) => `${b.voter.name} (${DISCIPLINE_LABELS[b.voter.discipline]}), ${s.stance === 'object' ? 'objecting' : 'with reservations'}: ${s.rationale || 'no rationale given'}`));
    const rule = decision && (decision.rule === 'supermajority' && decision.threshold !== null
      ? `${DECISION_RULE_LABELS.supermajority} (${Math.round(decision.threshold * 100)}%)` : DECISION_RULE_LABELS[decision.rule]);
    const planRow = (o: ExportOption) => [o.title, evidenceOf(o).map((e) => `[${e.number}] ${EVIDENCE_STRENGTH_LABELS[e.strength]}`).join(', ') || 'none cited', tallyText(o.id)];
    return [
      {
        title: "Patient's specific needs",
        text: narrative(
          h.p(`Patient reference: ${data.case.patientRef}`),
          data.case.problem.trim() ? h.paras(data.case.problem) : '',
          said.length > 0 ? said.map(h.p).join('') : h.p('The brief recorded no specific needs.'),
          data.case.resistance.length > 0 ? h.heading('Resistance the plan meets') + h.ul(data.case.resistance.map((r) => `${RESISTANCE_SOURCE_LABELS[r.source]}: ${r.description}`)) : '',
        ),
        entry: [ref(patient)],
      },
      {
        title: 'Care team',
        text: narrative(h.table(['Member', 'Discipline', 'Comments', 'Evidence added', 'Ballots'], data.team.map((m) => {
          const c = data.contributions[m.id] ?? { comments: 0, evidence: 0, ballots: 0 };
          return [m.name, DISCIPLINE_LABELS[m.discipline], String(c.comments), String(c.evidence), String(c.ballots)];
        }))),
        entry: [ref(careTeam), ...roles.map((r, i) => ref(r, data.team[i]!.name))],
      },
      {
        title: 'Evidence',
        text: data.evidence.length === 0 ? narrative(h.p('No evidence was recorded.')) : narrative(h.table(
          ['#', 'Evidence', 'Kind', 'Year', 'Certainty (GRADE)', 'Summary'],
          data.evidence.map((e) => [`[${e.number}]`, [e.citation || e.title, e.url].filter(Boolean).join(' '), EVIDENCE_KIND_LABELS[e.kind], e.year === null ? '' : String(e.year), EVIDENCE_STRENGTH_LABELS[e.strength], e.summary]),
        )),
      },
      {
        title: 'Discussion',
        text: narrative(
          decision && rule ? h.ul([
            `Question: ${decision.question}`, `Rule: ${rule}`,
            `Quorum: at least ${decision.quorum.minVoters} voters${decision.quorum.requiredDisciplines.length ? `, including ${decision.quorum.requiredDisciplines.map((d) => DISCIPLINE_LABELS[d]).join(', ')}` : ''} (${decision.result.quorum.met ? 'met' : 'not met'}; ${decision.result.quorum.voters} voted)`,
            `Voting opened ${day(decision.openedAt)} and closed ${day(decision.closedAt)}`,
          ]) + h.heading('Tally') + h.table(['Option', 'Support', 'With reservations', 'Object', 'Abstain', 'Silent'],
            decision.result.tallies.map((t) => [titleOf(t.optionId), String(t.support), String(t.reservations), String(t.object), String(t.abstain), String(t.silent)]))
          + h.heading('Stances') + h.table(['Member', 'Discipline', 'Option', 'Stance', 'Rationale'], decision.ballots.flatMap((b) => b.defer !== null
            ? [[b.voter.name, DISCIPLINE_LABELS[b.voter.discipline], '', 'Asked to defer', b.defer]]
            : b.stances.map((s) => [b.voter.name, DISCIPLINE_LABELS[b.voter.discipline], titleOf(s.optionId), STANCE_LABELS[s.stance], s.rationale])))
            : h.p('The team has not decided yet.'),
          h.heading('Conferences'),
          data.conferences.length === 0 ? h.p('The case was not on the agenda of a conference.') : h.table(['Date', 'Conference', 'Kind', 'Status', 'Participants', 'Outcome'],
            data.conferences.map((c) => [day(c.start), c.title, CONFERENCE_KIND_LABELS[c.kind], c.status, c.participants.map((p) => p.name).join(', '), c.outcome ?? ''])),
        ),
        entry: appointments.map((a) => ref(a)),
      },
      {
        title: 'Recommendation',
        text: narrative(...(rec
          ? [h.p(`Recommended: ${rec.optionTitle}`), h.paras(rec.text), h.p(`Written by ${writer?.name ?? 'a former member'} on ${day(rec.writtenAt)}.`),
            h.heading('Dissent and reservations'), dissent.length > 0 ? h.ul(dissent) : h.p('No member objected or voted with reservations.')]
          : [h.p('No recommendation has been decided yet.')])),
        entry: chosenPlan ? [ref(chosenPlan)] : undefined,
      },
      {
        title: 'Alternatives',
        text: narrative(alternatives.length > 0
          ? h.table(['Option', 'Evidence (certainty)', 'Team vote'], alternatives.map(planRow))
          : h.p('No alternative was compared.')),
        entry: alternativePlans.map((p) => ref(p)),
      },
      {
        title: 'Coverage requests',
        text: narrative(claims.length === 0 ? h.p('No coverage request was recorded.') : h.table(
          ['Requested', 'Payer', 'Submitted', 'Decision', 'Reason', "Payer's words", 'Appeal deadline', 'Peer-to-peer deadline', 'Appeal'],
          claims.map(({ c }) => [c.requested, c.payer, c.submittedOn, COVERAGE_DECISION_LABELS[c.decision], c.denialReason ? DENIAL_REASON_LABELS[c.denialReason] : '',
            c.payerWording, c.appealDeadline ?? '', c.peerToPeerDeadline ?? '', APPEAL_OUTCOME_LABELS[c.appealOutcome]]),
        )),
        entry: claims.flatMap(({ claim, response }) => (response ? [ref(claim), ref(response)] : [ref(claim)])),
      },
    ];
  }

  return prune<FhirBundle>({
    resourceType: 'Bundle', id: bundleId, identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${bundleId}` },
    type: 'document', timestamp: instant(opts.generatedAt),
    entry: [composition, ...entries].map((resource) => ({ fullUrl: urlOf(resource.resourceType, resource.id), resource })),
  });
}
