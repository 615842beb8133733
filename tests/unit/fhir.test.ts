import { describe, expect, it } from 'vitest';
import { decide, type Ballot } from '../../shared/decision.js';
import type { ExportBallot, ExportData } from '../../server/export/data.js';
import { toFhirBundle, uuidFor, type FhirBundle, type FhirResource } from '../../server/export/fhir.js';
import { validateBundle } from '../helpers/fhir-validate.js';

const ADA = '0b3c6f1e-5a0d-4c7e-9b2a-1f0e6d3c2b01';
const BEN = '0b3c6f1e-5a0d-4c7e-9b2a-1f0e6d3c2b02';
const CHEN = '0b3c6f1e-5a0d-4c7e-9b2a-1f0e6d3c2b03';
const DANA = '0b3c6f1e-5a0d-4c7e-9b2a-1f0e6d3c2b04';
const FORMER = '0b3c6f1e-5a0d-4c7e-9b2a-1f0e6d3c2b05';
const PEMBRO = '6a1d9e2f-7b3c-4d5e-8f60-0a1b2c3d4e01';
const DOCETAXEL = '6a1d9e2f-7b3c-4d5e-8f60-0a1b2c3d4e02';
const SUPPORTIVE = '6a1d9e2f-7b3c-4d5e-8f60-0a1b2c3d4e03';
const KEYNOTE = '7e2f0a3b-8c4d-4e6f-9a71-1b2c3d4e5f01';
const NCCN = '7e2f0a3b-8c4d-4e6f-9a71-1b2c3d4e5f02';
const SCRIPT = '<script>alert("x")</script>';

const ballots: ExportBallot[] = [
  { voter: { id: ADA, name: 'Dr. Ada Okafor', discipline: 'oncology' }, defer: null, stances: [
    { optionId: PEMBRO, stance: 'support', rationale: 'PD-L1 ≥ 50% & good performance status.' },
    { optionId: DOCETAXEL, stance: 'object', rationale: 'More toxicity for less benefit.' },
  ] },
  { voter: { id: BEN, name: 'Ben Ruiz', discipline: 'nursing' }, defer: null, stances: [
    { optionId: PEMBRO, stance: 'support_with_reservations', rationale: 'Needs a plan for fatigue and transport to infusions.' },
    { optionId: SUPPORTIVE, stance: 'abstain', rationale: '' },
  ] },
  { voter: { id: CHEN, name: 'Chen Wu', discipline: 'pharmacy' }, defer: null, stances: [
    { optionId: PEMBRO, stance: 'object', rationale: `Interaction risk with her steroids ${SCRIPT}` },
    { optionId: DOCETAXEL, stance: 'support', rationale: 'Familiar regimen.' },
  ] },
  { voter: { id: DANA, name: 'Dana Levi', discipline: 'social_work' }, defer: null, stances: [
    { optionId: PEMBRO, stance: 'support', rationale: "Fits the patient's goal of staying at work." },
  ] },
];

const rules = { rule: 'supermajority' as const, threshold: 2 / 3, quorum: { minVoters: 3, requiredDisciplines: ['oncology' as const, 'pharmacy' as const] } };
const asBallots: Ballot[] = ballots.map((b) => ({
  voterId: b.voter.id, discipline: b.voter.discipline, defer: b.defer, stances: Object.fromEntries(b.stances.map((s) => [s.optionId, s.stance])),
}));

/** A decided case as gather.ts would return it; override any part. */
function buildExportData(overrides: Partial<ExportData> = {}): ExportData {
  return {
    case: {
      id: 'c0ffee00-1111-4222-8333-444455556666', title: 'Second-line immunotherapy denial', patientRef: 'PT-4821',
      problem: 'Metastatic NSCLC progressing after first-line chemotherapy; PD-L1 TPS 60%.',
      resistance: [{ source: 'insurer', description: 'Prior authorization denied as not medically necessary.' }],
      requiredDisciplines: ['oncology', 'pharmacy'], createdAt: '2026-03-02T09:00:00.000Z',
    },
    team: [
      { id: ADA, name: 'Dr. Ada Okafor', discipline: 'oncology', role: 'owner' },
      { id: BEN, name: 'Ben Ruiz', discipline: 'nursing', role: 'editor' },
      { id: CHEN, name: 'Chen Wu', discipline: 'pharmacy', role: 'editor' },
      { id: DANA, name: 'Dana Levi', discipline: 'social_work', role: 'commenter' },
    ],
    contributions: { [ADA]: { comments: 4, evidence: 2, ballots: 1 }, [CHEN]: { comments: 1, evidence: 0, ballots: 1 } },
    evidence: [
      { id: KEYNOTE, number: 1, kind: 'trial', title: 'KEYNOTE-024', citation: 'Reck M, et al. N Engl J Med 2016;375:1823-33.', url: 'https://doi.org/10.1056/NEJMoa1606774', year: 2016, summary: 'Longer survival with pembrolizumab when PD-L1 ≥ 50%.', strength: 'high' },
      { id: NCCN, number: 2, kind: 'guideline', title: 'NCCN NSCLC guideline', citation: '', url: '', year: null, summary: '', strength: 'moderate' },
    ],
    options: [
      { id: PEMBRO, title: 'Pembrolizumab', description: 'Pembrolizumab 200 mg every 3 weeks.', expectedBenefit: 'Longer survival', risks: 'Immune-related adverse events', burden: 'Infusion every 3 weeks', evidenceIds: [KEYNOTE, NCCN], chosen: true },
      { id: DOCETAXEL, title: 'Docetaxel', description: '', expectedBenefit: 'Modest benefit', risks: 'Neutropenia', burden: '', evidenceIds: [NCCN], chosen: false },
      { id: SUPPORTIVE, title: 'Best supportive care', description: 'Symptom control at home.', expectedBenefit: '', risks: '', burden: '', evidenceIds: [], chosen: false },
    ],
    decision: {
      roundId: '9d8c7b6a-5f4e-4d3c-8b2a-190817161514', question: 'Which second-line treatment do we recommend?',
      ...rules, openedAt: '2026-03-20T14:00:00.000Z', closedAt: '2026-03-21T16:30:00.000Z',
      result: decide(rules, [PEMBRO, DOCETAXEL, SUPPORTIVE], asBallots), ballots,
      recommendation: { optionId: PEMBRO, optionTitle: 'Pembrolizumab', text: 'The team recommends pembrolizumab.\n\nFatigue is to be monitored by nursing.', writtenBy: ADA, writtenAt: '2026-03-21T17:00:00.000Z' },
    },
    coverage: [
      {
        id: 'aa000000-0000-4000-8000-000000000001', payer: 'Acme Health Plan', requested: 'Pembrolizumab 200 mg IV q3w', submittedOn: '2026-03-03',
        referenceNumber: 'PA-77812', decision: 'denied', denialReason: 'not_medically_necessary',
        payerWording: 'The requested service is not medically necessary per policy ONC-12.', decidedOn: '2026-03-10',
        appealDeadline: '2026-05-09', peerToPeerDeadline: '2026-03-24', appealOutcome: 'pending',
      },
      {
        id: 'aa000000-0000-4000-8000-000000000002', payer: 'Acme Health Plan', requested: 'Home nursing visits', submittedOn: '2026-03-22',
        referenceNumber: '', decision: 'pending', denialReason: null, payerWording: '', decidedOn: null,
        appealDeadline: null, peerToPeerDeadline: null, appealOutcome: 'none',
      },
    ],
    conferences: [{
      id: 'bb000000-0000-4000-8000-000000000001:2026-03-21T15:00:00.000Z', title: 'Thoracic tumor board', kind: 'case_conference',
      start: '2026-03-21T15:00:00.000Z', end: '2026-03-21T16:00:00.000Z',
      participants: [{ id: ADA, name: 'Dr. Ada Okafor' }, { id: CHEN, name: 'Chen Wu' }, { id: FORMER, name: 'Former user' }],
      status: 'fulfilled', outcome: 'Vote opened; recommendation to follow.',
    }],
    brief: [
      { heading: "Patient's specific needs", paragraphs: ['Symptoms, risks and prognosis: dyspnea on exertion, ECOG 1.', "Goals, in the patient's own words:", 'Impact in human terms: works part-time as a teacher.'] },
      { heading: 'Evidence', paragraphs: ['KEYNOTE-024 [1] and the NCCN guideline [2].'] },
    ],
    briefSource: 'decision_snapshot',
    timeZone: 'UTC',
    ...overrides,
  };
}

const GENERATED_AT = '2026-04-01T08:00:00.000Z';
const build = (data = buildExportData(), opts: Partial<Parameters<typeof toFhirBundle>[1]> = {}) => toFhirBundle(data, { generatedAt: GENERATED_AT, ...opts });
const resources = (b: FhirBundle) => b.entry.map((e) => e.resource);
function only<T extends FhirResource['resourceType']>(b: FhirBundle, type: T): Extract<FhirResource, { resourceType: T }>[] {
  return resources(b).filter((r): r is Extract<FhirResource, { resourceType: T }> => r.resourceType === type);
}
/** A deep copy to break on purpose. */
const copy = (b: FhirBundle) => JSON.parse(JSON.stringify(b)) as FhirBundle & Record<string, never>;
const sectionDiv = (b: FhirBundle, title: string) => only(b, 'Composition')[0]!.section.find((s) => s.title === title)!.text.div;

describe('the FHIR R4 document Bundle of a decided case', () => {
  it('passes the structural validation', () => {
    const result = validateBundle(build());
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('is a document: a Composition first, then the resources it speaks of', () => {
    const b = build();
    expect(b).toMatchObject({ resourceType: 'Bundle', type: 'document', timestamp: GENERATED_AT, identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${b.id}` } });
    const composition = only(b, 'Composition')[0]!;
    expect(b.entry[0]!.resource).toBe(composition);
    expect(composition).toMatchObject({ status: 'final', type: { coding: [{ system: 'http://loinc.org', code: '11488-4' }] }, date: '2026-03-21T17:00:00.000Z' });
    expect(composition.section.map((s) => s.title)).toEqual(["Patient's specific needs", 'Care team', 'Evidence', 'Discussion', 'Recommendation', 'Alternatives', 'Coverage requests']);
    const counts = Object.fromEntries([...new Set(resources(b).map((r) => r.resourceType))].map((t) => [t, resources(b).filter((r) => r.resourceType === t).length]));
    expect(counts).toEqual({
      Composition: 1, Patient: 1, Organization: 2, Practitioner: 5, PractitionerRole: 4, CareTeam: 1, CarePlan: 3, Appointment: 1, Coverage: 1, Claim: 2, ClaimResponse: 1,
    });
    for (const e of b.entry) expect(e.fullUrl).toBe(`urn:uuid:${e.resource.id}`);
  });

  it('authors the Composition as the member who wrote the recommendation', () => {
    const b = build();
    const ada = only(b, 'Practitioner').find((p) => p.identifier[0]!.value === ADA)!;
    expect(only(b, 'Composition')[0]!.author).toEqual([{ reference: `urn:uuid:${ada.id}`, display: 'Dr. Ada Okafor' }]);
  });

  it('makes the chosen option the plan and the others ranked, evidence-graded options', () => {
    const plans = only(build(), 'CarePlan');
    expect(plans.map((p) => [p.title, p.intent, p.status])).toEqual([
      ['Pembrolizumab', 'plan', 'active'], ['Docetaxel', 'option', 'draft'], ['Best supportive care', 'option', 'draft'],
    ]);
    expect(plans[0]!.note!.map((n) => n.text)).toEqual([
      'Rationale: The team recommends pembrolizumab.\n\nFatigue is to be monitored by nursing.',
      'Evidence (GRADE certainty): \\[1\\] KEYNOTE-024 (High); \\[2\\] NCCN NSCLC guideline (Moderate)', // Markdown: brackets escaped, so no link comes alive
      'Team vote: 2 support, 1 with reservations, 1 object, 0 abstain, 0 silent',
    ]);
    expect(plans[1]!.description).toBe('Expected benefit: Modest benefit\n\nRisks: Neutropenia');
  });

  it('records the denial with its coded reason and the payer\'s words, and no response while pending', () => {
    const b = build();
    const [denied, pending] = only(b, 'Claim');
    expect(denied).toMatchObject({ use: 'preauthorization', status: 'active', item: [{ productOrService: { text: 'Pembrolizumab 200 mg IV q3w' } }] });
    expect(pending!.item[0]!.productOrService.text).toBe('Home nursing visits');
    const [response, ...more] = only(b, 'ClaimResponse');
    expect(more).toEqual([]);
    expect(response).toMatchObject({
      request: { reference: `urn:uuid:${denied!.id}` }, outcome: 'complete', disposition: 'Denied: Not medically necessary',
      item: [{ itemSequence: 1, noteNumber: [1], adjudication: [{
        category: { coding: [{ code: 'denied' }] },
        reason: { coding: [{ system: 'urn:consilium:denial-reason', code: 'not_medically_necessary', display: 'Not medically necessary' }] },
      }] }],
      processNote: [{ number: 1, type: 'display', text: 'The requested service is not medically necessary per policy ONC-12.' }],
    });
  });

  it('puts the vote, each named stance with its rationale and the conference in the Discussion', () => {
    const div = sectionDiv(build(), 'Discussion');
    for (const text of ['Supermajority (67%)', 'at least 3 voters, including Oncology, Pharmacy (met; 4 voted)', 'Ben Ruiz', 'Support with reservations',
      'Needs a plan for fatigue and transport to infusions.', 'Thoracic tumor board', 'Dr. Ada Okafor, Chen Wu, Former user']) {
      expect(div).toContain(text);
    }
    const recommendation = sectionDiv(build(), 'Recommendation');
    expect(recommendation).toContain('Chen Wu (Pharmacy), objecting: Interaction risk');
    expect(recommendation).toContain('Ben Ruiz (Nursing), with reservations: Needs a plan for fatigue');
    expect(recommendation).not.toContain('More toxicity'); // an objection to an alternative is not dissent from the plan
  });

  it('names no patient: the Patient is a pseudonymous identifier, and only practitioners have names', () => {
    const b = build();
    const [patient, ...others] = only(b, 'Patient');
    expect(others).toEqual([]);
    expect(patient).toEqual({ resourceType: 'Patient', id: patient!.id, identifier: [{ system: 'urn:consilium:patient-ref', value: 'PT-4821' }] });
    const named = resources(b).filter((r) => 'name' in r && Array.isArray(r.name));
    expect(new Set(named.map((r) => r.resourceType))).toEqual(new Set(['Practitioner']));
  });

  it('shows markup in what members wrote as text, never as markup', () => {
    const b = build();
    const div = sectionDiv(b, 'Discussion');
    expect(div).toContain('Interaction risk with her steroids &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(sectionDiv(b, 'Recommendation')).toContain('&lt;script&gt;');
    expect(sectionDiv(b, 'Care team')).toContain('Dr. Ada Okafor');
    expect(JSON.stringify(b)).not.toMatch(/<script/i);
    expect(sectionDiv(b, 'Evidence')).toContain('PD-L1 ≥ 50%');
  });

  it('exports the same ids for the same decision, whenever it is generated', () => {
    const first = build();
    const second = build(buildExportData(), { generatedAt: '2026-05-01T12:00:00.000Z' });
    expect(second.timestamp).toBe('2026-05-01T12:00:00.000Z');
    expect({ ...second, timestamp: first.timestamp }).toEqual(first);
    expect(new Set(first.entry.map((e) => e.fullUrl)).size).toBe(first.entry.length);
    expect(first.id).toBe(uuidFor(`bundle:${buildExportData().case.id}:${buildExportData().decision!.roundId}`));
  });

  it('derives RFC 4122 version 5 UUIDs', () => {
    expect(uuidFor('anything')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('takes a Bundle id and a server base when given, and still validates', () => {
    const b = build(buildExportData(), { bundleId: '3F2504E0-4F89-41D3-9A0C-0305E82C3301', baseUrl: 'https://fhir.example.org/r4/' });
    expect(b.id).toBe('3f2504e0-4f89-41d3-9a0c-0305e82c3301');
    for (const e of b.entry) expect(e.fullUrl).toBe(`https://fhir.example.org/r4/${e.resource.resourceType}/${e.resource.id}`);
    expect(validateBundle(b).errors).toEqual([]);
    expect(() => build(buildExportData(), { bundleId: 'not-a-uuid' })).toThrow(/UUID/);
  });

  it('exports an undecided case as a preliminary document with every option a draft', () => {
    const data = buildExportData({ decision: null, options: buildExportData().options.map((o) => ({ ...o, chosen: false })), briefSource: 'current' });
    const b = build(data);
    expect(validateBundle(b).errors).toEqual([]);
    expect(only(b, 'Composition')[0]).toMatchObject({ status: 'preliminary', date: GENERATED_AT });
    expect(only(b, 'CarePlan').map((p) => [p.intent, p.status])).toEqual([['option', 'draft'], ['option', 'draft'], ['option', 'draft']]);
  });

  it('stands the care team in for attendance when none was recorded, and writes no empty elements', () => {
    const data = buildExportData({ conferences: [{ ...buildExportData().conferences[0]!, participants: [], outcome: null }], evidence: [] });
    const b = build(data);
    expect(validateBundle(b).errors).toEqual([]);
    expect(only(b, 'Appointment')[0]!.participant).toEqual([expect.objectContaining({ status: 'accepted', type: [expect.objectContaining({ text: 'Care team' })] })]);
  });
});

describe('the FHIR Bundle validator', () => {
  const errorsAfter = (breakIt: (b: FhirBundle & Record<string, never>) => void) => {
    const b = copy(build());
    breakIt(b);
    const result = validateBundle(b);
    expect(result.valid).toBe(false);
    return result.errors.join('\n');
  };
  const find = <T extends FhirResource['resourceType']>(b: FhirBundle, type: T) => only(b, type)[0]! as Extract<FhirResource, { resourceType: T }> & Record<string, unknown>;

  it('catches a missing required element', () => {
    expect(errorsAfter((b) => { delete (find(b, 'Claim') as Record<string, unknown>).provider; })).toMatch(/Claim\.provider.*Missing property/);
    expect(errorsAfter((b) => { delete (find(b, 'Appointment').participant[0] as Record<string, unknown>).status; })).toMatch(/Appointment\.participant\[0\]\.status/);
  });

  it('catches a status code outside its R4 value set', () => {
    expect(errorsAfter((b) => { (find(b, 'Appointment') as Record<string, unknown>).status = 'done'; })).toMatch(/Appointment\.status.*"done"/);
    // FHIR.js's expansion of care-plan-intent wrongly admits every request-intent code; the R4 list does not.
    expect(errorsAfter((b) => { (find(b, 'CarePlan') as Record<string, unknown>).intent = 'directive'; })).toMatch(/CarePlan\.intent.*"directive" is not in the R4 value set/);
    expect(errorsAfter((b) => { (find(b, 'ClaimResponse') as Record<string, unknown>).outcome = 'denied'; })).toMatch(/ClaimResponse\.outcome/);
  });

  it('catches a reference that resolves to nothing in the Bundle, or to the wrong kind of resource', () => {
    expect(errorsAfter((b) => { find(b, 'CarePlan').subject.reference = `urn:uuid:${uuidFor('nobody')}`; })).toMatch(/CarePlan\.subject .*does not resolve/);
    expect(errorsAfter((b) => { find(b, 'CarePlan').subject.reference = b.entry.find((e) => e.resource.resourceType === 'Practitioner')!.fullUrl; }))
      .toMatch(/CarePlan\.subject.*may not refer to a Practitioner/);
  });

  it('catches a resource nothing in the document leads to', () => {
    expect(errorsAfter((b) => { find(b, 'Composition').section.splice(1, 1); })).toMatch(/PractitionerRole\/.*not reachable from the Composition/);
  });

  it('catches a duplicate fullUrl', () => {
    expect(errorsAfter((b) => { b.entry[2]!.fullUrl = b.entry[1]!.fullUrl; })).toMatch(/is used by another entry \(bdl-7\)/);
  });

  it('catches a broken document: no identifier, no Composition first', () => {
    const errors = errorsAfter((b) => { delete (b as Record<string, unknown>).identifier; b.entry.reverse(); });
    expect(errors).toMatch(/bdl-9/);
    expect(errors).toMatch(/bdl-11/);
  });

  it('catches malformed primitives, empty values and unknown elements', () => {
    const errors = errorsAfter((b) => {
      const appointment = find(b, 'Appointment') as Record<string, unknown>;
      appointment.start = '2026-03-21 15:00';
      appointment.comment = '';
      appointment.colour = 'blue';
    });
    expect(errors).toMatch(/Appointment\.start.*not a valid instant/);
    expect(errors).toMatch(/comment: empty value/);
    expect(errors).toMatch(/Appointment\.colour.*Unexpected property/);
  });

  it('catches narrative that is not safe, well-formed XHTML', () => {
    const withDiv = (div: string) => errorsAfter((b) => { find(b, 'Composition').section[0]!.text.div = div; });
    expect(withDiv('<div xmlns="http://www.w3.org/1999/xhtml"><p>ok</p><script>alert(1)</script></div>')).toMatch(/<script> is not allowed/);
    expect(withDiv('<div><p>no namespace</p></div>')).toMatch(/xhtml-namespaced/);
    expect(withDiv('<div xmlns="http://www.w3.org/1999/xhtml"><p>open</div>')).toMatch(/does not close/);
    expect(withDiv('<div xmlns="http://www.w3.org/1999/xhtml"><p onclick="x()">a &nbsp; b</p></div>')).toMatch(/onclick[\s\S]*entity/);
  });
});
