import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { BRIEF_FRAGMENT } from '../../shared/brief.js';
import { readingLevel } from '../../shared/readability.js';
import { DEMO_PASSWORD, seedDemo } from '../../server/demo.js';
import type { UserRecord } from '../../server/store/port.js';
import { addMember, ApiClient, closeClients, connectBrief, createCase, signUp, synced } from '../helpers/clients.js';
import { waitFor } from '../helpers/factories.js';
import { validateBundle } from '../helpers/fhir-validate.js';
import { pdfText } from '../helpers/pdf-text.js';
import { useTestServer } from '../helpers/server.js';

let now = Date.parse('2026-03-16T09:00:00Z');
/** While ticking, each reading of the clock is a millisecond later, so records made in one go still have an order. */
let ticking = false;
const clock = { now: () => new Date(ticking ? now++ : now) };
const server = useTestServer({ clock, config: { sessionTtlHours: 24 * 365 } });
afterEach(closeClients);

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), '..', 'golden');

/** Compares with a stored golden file; UPDATE_GOLDEN=1 writes it instead. */
function golden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual);
    if (!process.env.UPDATE_GOLDEN) throw new Error(`wrote the missing golden file ${name}; check it in and run again`);
    return;
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const download = async (who: ApiClient, caseId: string, kind: string, body: object) => {
  const res = await fetch(`${server().url}/api/cases/${caseId}/exports/${kind}`, {
    method: 'POST', headers: { 'content-type': 'application/json', cookie: who.cookie! }, body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
};

/** Writes text at the end of the brief's first paragraph through a real y-websocket client. */
async function typeInBrief(who: ApiClient, caseId: string, text: string): Promise<void> {
  const { doc, provider } = connectBrief(who, caseId);
  await synced(provider);
  const first = doc.getXmlFragment(BRIEF_FRAGMENT).toArray().find((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'paragraph')!;
  const t = first.get(0) as Y.XmlText;
  t.insert(t.length, text);
  await waitFor(async () => {
    const brief = await server().server.services.hub.inspect(caseId, (d) => (d.getXmlFragment(BRIEF_FRAGMENT).toString().includes(text) ? true : null));
    expect(brief).toBe(true);
  });
  provider.destroy();
}

/** A case decided by vote: two options, an objection and a reservation on the record, a denied payer request. */
async function decidedCase(opts: { rationale?: string } = {}) {
  const owner = await signUp(server, { name: 'Amara Okafor', discipline: 'oncology' });
  const pharmacist = await signUp(server, { name: 'Yui Tanaka', discipline: 'pharmacy' });
  const nurse = await signUp(server, { name: 'Erik Lindqvist', discipline: 'nursing' });
  const c = await createCase(owner, { title: 'Second-line immunotherapy denied', patientRef: 'PT-5150', problem: 'Progression after platinum doublet.', requiredDisciplines: ['oncology', 'pharmacy'] });
  await addMember(owner, c.id, pharmacist, 'editor');
  await addMember(owner, c.id, nurse, 'commenter');
  await typeInBrief(owner, c.id, 'dyspnoea on exertion; wants to keep teaching');
  const ev = (await pharmacist.post(`/api/cases/${c.id}/evidence`, { kind: 'trial', title: 'KEYNOTE-024', citation: 'Reck M, et al. N Engl J Med 2016;375:1823-33.', strength: 'high', summary: 'Longer survival with pembrolizumab.' })).body.evidence.id;
  const a = (await owner.post(`/api/cases/${c.id}/options`, { title: 'Pembrolizumab', expectedBenefit: 'Longer survival', evidenceIds: [ev] })).body.option.id;
  const b = (await owner.post(`/api/cases/${c.id}/options`, { title: 'Docetaxel', expectedBenefit: 'Modest benefit' })).body.option.id;
  await owner.post(`/api/cases/${c.id}/coverage`, {
    payer: 'Acme Health', requested: 'Pembrolizumab 200 mg every 3 weeks', submittedOn: '2026-03-01', referenceNumber: 'PA-1',
    decision: 'denied', denialReason: 'not_medically_necessary', payerWording: 'Not medically necessary.', decidedOn: '2026-03-05',
  });
  const round = (await owner.post(`/api/cases/${c.id}/rounds`, { question: 'Which second-line treatment?', optionIds: [a, b], rule: 'simple_majority', quorum: { minVoters: 2, requiredDisciplines: [] } })).body.round.id;
  await owner.put(`/api/cases/${c.id}/rounds/${round}/ballot`, { stances: { [a]: { stance: 'support' }, [b]: { stance: 'object', rationale: 'Worse survival.' } } });
  await pharmacist.put(`/api/cases/${c.id}/rounds/${round}/ballot`, { stances: { [a]: { stance: 'support_with_reservations', rationale: 'Monitor thyroid function.' } } });
  await nurse.put(`/api/cases/${c.id}/rounds/${round}/ballot`, { stances: { [a]: { stance: 'object', rationale: opts.rationale ?? 'Fatigue at home is unmanaged.' } } });
  expect((await owner.post(`/api/cases/${c.id}/rounds/${round}/close`)).body.round.result.outcome.kind).toBe('decided');
  await owner.post(`/api/cases/${c.id}/rounds/${round}/recommendation`, { text: 'Recommend pembrolizumab and appeal the denial.' });
  return { owner, pharmacist, nurse, caseId: c.id, a, b };
}

describe('exports of an undecided case', () => {
  it('refuses the consensus summary with a clear message, but drafts the patient summary and the letter, marked as drafts', async () => {
    const owner = await signUp(server, { name: 'Amara Okafor', discipline: 'oncology' });
    const c = await createCase(owner, { patientRef: 'PT-5151' });
    const status = (await owner.get(`/api/cases/${c.id}/exports`)).body;
    expect(status.decided).toBe(false);
    expect(status.kinds.find((k: { kind: string }) => k.kind === 'consensus_summary')).toMatchObject({ available: false, reason: expect.stringMatching(/no decision yet/) });
    const refused = await download(owner, c.id, 'consensus_summary', { format: 'pdf' });
    expect(refused.status).toBe(409);
    expect(JSON.parse(refused.bytes.toString()).error.message).toMatch(/no decision yet.*drafted now/);
    const draft = await owner.get(`/api/cases/${c.id}/exports/patient_summary/draft`);
    expect(draft.body.draft).toBe(true);
    const letter = await download(owner, c.id, 'appeal_letter', { format: 'md' });
    expect(letter.status).toBe(200);
    expect(letter.headers.get('content-disposition')).toMatch(/consilium-PT-5151-appeal-letter-draft\.md/);
    expect(letter.bytes.toString()).toMatch(/DRAFT/i);
    expect((await owner.get(`/api/cases/${c.id}/audit`)).body.entries.filter((e: { action: string }) => e.action === 'export.created')).toHaveLength(1);
  });
});

describe('exports of a decided case', () => {
  it('makes the consensus summary from the decision, with the brief as it stood then, the same hash every time, and an audit entry', async () => {
    const { owner, nurse, caseId } = await decidedCase();
    await typeInBrief(owner, caseId, ' AFTER THE DECISION');
    const preview = (await nurse.post(`/api/cases/${caseId}/exports/consensus_summary/preview`, {})).body.document;
    const text = JSON.stringify(preview);
    expect(text).toContain('Recommend pembrolizumab and appeal the denial.');
    expect(text).toContain('dyspnoea on exertion; wants to keep teaching');
    expect(text).not.toContain('AFTER THE DECISION'); // today's brief is not the record
    expect(preview.blocks).toContainEqual({ kind: 'quote', text: 'Fatigue at home is unmanaged.', by: 'Erik Lindqvist (Nursing), objected to Pembrolizumab' });
    expect(preview.blocks).toContainEqual({ kind: 'quote', text: 'Monitor thyroid function.', by: 'Yui Tanaka (Pharmacy), supported with reservations Pembrolizumab' });

    const first = await download(owner, caseId, 'consensus_summary', { format: 'md' });
    now += 60_000;
    const second = await download(nurse, caseId, 'consensus_summary', { format: 'md' });
    expect(first.headers.get('x-content-hash')).toMatch(/^[0-9a-f]{64}$/);
    expect(second.headers.get('x-content-hash')).toBe(first.headers.get('x-content-hash'));
    expect(second.headers.get('x-generated-at')).not.toBe(first.headers.get('x-generated-at'));
    const audit = (await owner.get(`/api/cases/${caseId}/audit`)).body.entries.filter((e: { action: string }) => e.action === 'export.created');
    const fileHash = createHash('sha256').update(first.bytes).digest('hex');
    expect(audit.map((e: { target: string; fields: string[] }) => [e.target, e.fields])).toEqual([
      [`sha256:${first.headers.get('x-content-hash')}`, ['consensus_summary', 'md', `file-sha256:${createHash('sha256').update(second.bytes).digest('hex')}`]],
      [`sha256:${first.headers.get('x-content-hash')}`, ['consensus_summary', 'md', `file-sha256:${fileHash}`]],
    ]);
    // Edits after the decision do not rewrite its record: the same content, the same hash.
    const { a } = await decidedCaseIds(caseId, owner);
    expect((await owner.patch(`/api/cases/${caseId}/options/${a}`, { title: 'Renamed after the decision' })).status).toBe(200);
    await owner.post(`/api/cases/${caseId}/threads`, { anchor: { kind: 'case' }, body: 'A later comment', requestId: crypto.randomUUID() });
    const later = await download(owner, caseId, 'consensus_summary', { format: 'md' });
    expect(later.headers.get('x-content-hash')).toBe(first.headers.get('x-content-hash'));
    expect(later.bytes.toString()).not.toContain('Renamed after the decision');
    // Reading the preview is recorded too.
    expect((await owner.get(`/api/cases/${caseId}/audit`)).body.entries.some((e: { action: string }) => e.action === 'export.previewed')).toBe(true);
  });

  it('downloads a real PDF with the recommendation and the dissent, and a FHIR Bundle that passes validation', async () => {
    const { owner, caseId } = await decidedCase();
    const pdf = await download(owner, caseId, 'consensus_summary', { format: 'pdf' });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const { text, pages } = await pdfText(pdf.bytes);
    expect(text).toContain('Recommend pembrolizumab and appeal the denial.');
    expect(text).toContain('Fatigue at home is unmanaged.');
    expect(text).toContain(`Page 1 of ${pages.length}`);
    const fhir = await download(owner, caseId, 'consensus_summary', { format: 'fhir' });
    expect(fhir.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    const bundle = JSON.parse(fhir.bytes.toString());
    const check = validateBundle(bundle);
    expect(check.errors).toEqual([]);
    expect(check.valid).toBe(true);
    expect(bundle.entry[0].resource.resourceType).toBe('Composition');
    const patient = bundle.entry.find((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Patient').resource;
    expect(patient.name).toBeUndefined(); // pseudonymous: the reference only
    expect(JSON.stringify(patient)).toContain('PT-5150');
    expect((await download(owner, caseId, 'patient_summary', { format: 'fhir' })).status).toBe(400);
  });

  it('shows markup and script from comments, options and rationales as text in HTML and PDF', async () => {
    const attack = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const { owner, caseId } = await decidedCase({ rationale: attack });
    const html = (await download(owner, caseId, 'consensus_summary', { format: 'html' })).bytes.toString();
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const { text } = await pdfText((await download(owner, caseId, 'consensus_summary', { format: 'pdf' })).bytes);
    expect(text).toContain('<script>alert(1)</script>');
  });

  it('drafts a patient summary in plain language with no staff names or dissent, and uses the author\'s edits', async () => {
    const { owner, caseId } = await decidedCase();
    const draft = (await owner.get(`/api/cases/${caseId}/exports/patient_summary/draft`)).body;
    expect(draft.draft).toBe(false);
    const all = draft.sections.map((s: { heading: string; text: string }) => `${s.heading}\n${s.text}`).join('\n');
    for (const secret of ['Amara', 'Okafor', 'Yui', 'Tanaka', 'Erik', 'Lindqvist', 'Fatigue at home', 'Monitor thyroid', 'object']) expect(all).not.toContain(secret);
    expect(all).toContain('Pembrolizumab');
    const edited = [...draft.sections, { heading: 'A word from your nurse', text: 'Call Erik on ward 7 if you feel unwell.\n\n[TO COMPLETE: ward phone number]' }];
    const preview = (await owner.post(`/api/cases/${caseId}/exports/patient_summary/preview`, { sections: edited })).body.document;
    expect(preview.blocks).toContainEqual({ kind: 'paragraph', text: 'Call Erik on ward 7 if you feel unwell.' });
    expect(preview.blocks).toContainEqual({ kind: 'placeholder', text: 'ward phone number' });
    expect(readingLevel(all).grade).toBeLessThan(12);
    // Template prompts the brief never answered stay out of what the patient reads.
    expect(all).not.toContain('as it will be explained to the patient');
    const md = (await download(owner, caseId, 'patient_summary', { format: 'md', sections: edited })).bytes.toString();
    expect(md).toContain('Call Erik on ward 7');
    const tooLong = await owner.post(`/api/cases/${caseId}/exports/patient_summary/preview`, { sections: [{ heading: 'x', text: 'y'.repeat(20_001) }] });
    expect(tooLong.body.error.fields['sections.0.text']).toMatch(/at most 20000/);
    expect((await owner.post(`/api/cases/${caseId}/exports/consensus_summary/preview`, { sections: edited })).status).toBe(400);
  });

  it('drafts the letter from this case alone, with the denial, the evidence as citations and places to complete', async () => {
    const { owner, caseId } = await decidedCase();
    const other = await createCase(owner, { title: 'Another patient', patientRef: 'PT-9999', problem: 'Unrelated lymphoma.' });
    await owner.post(`/api/cases/${other.id}/evidence`, { kind: 'trial', title: 'UNRELATED-TRIAL', strength: 'low' });
    const doc = (await owner.post(`/api/cases/${caseId}/exports/appeal_letter/preview`, {})).body.document;
    const text = JSON.stringify(doc);
    expect(text).toContain('Pembrolizumab 200 mg every 3 weeks');
    expect(text).toContain('not medically necessary');
    expect(text).toContain('[1] Reck M, et al. N Engl J Med 2016;375:1823-33.');
    expect(doc.blocks.filter((b: { kind: string }) => b.kind === 'placeholder').length).toBeGreaterThanOrEqual(3);
    for (const leak of ['PT-9999', 'lymphoma', 'UNRELATED-TRIAL', 'Another patient']) expect(text).not.toContain(leak);
  });

  it('is for members only', async () => {
    const { caseId } = await decidedCase();
    const outsider = await signUp(server);
    expect((await outsider.get(`/api/cases/${caseId}/exports`)).status).toBe(404);
    expect((await download(outsider, caseId, 'consensus_summary', { format: 'md' })).status).toBe(404);
    expect((await outsider.get(`/api/cases/${caseId}/exports/patient_summary/draft`)).status).toBe(404);
    const anonymous = new ApiClient(server);
    expect((await anonymous.get(`/api/cases/${caseId}/exports`)).status).toBe(401);
  });
});

describe('the quality report over HTTP', () => {
  it('reports on my cases for a period, as JSON and CSV, and refuses a period that runs backwards', async () => {
    const { owner, caseId } = await decidedCase();
    const report = await owner.get('/api/reports/quality?from=2026-03-01&to=2026-03-31');
    expect(report.status).toBe(200);
    expect(report.body.decisions).toEqual({ decided: 1, deferred: 0, notReached: 0 });
    expect(report.body.cases.map((c: { id: string; ballotDisciplines: string[] }) => [c.id, c.ballotDisciplines])).toEqual([[caseId, ['nursing', 'oncology', 'pharmacy']]]);
    const csv = await owner.request('GET', '/api/reports/quality.csv?from=2026-03-01&to=2026-03-31');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/consilium-quality-2026-03-01-to-2026-03-31\.csv/);
    expect(csv.body).toContain('"decisions made","1","",""');
    const backwards = await owner.get('/api/reports/quality?from=2026-03-31&to=2026-03-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.fields.to).toMatch(/not be before from/);
    // Someone else's report does not include this case.
    expect((await (await signUp(server)).get('/api/reports/quality?from=2026-03-01&to=2026-03-31')).body.cases).toEqual([]);
  });
});

describe('golden exports of the demo case', () => {
  it('renders the decided demo case to the stored Markdown and HTML', async () => {
    now = Date.parse('2026-03-16T10:00:00Z');
    ticking = true;
    const s = server().server.services;
    const { caseId } = await seedDemo(s);
    const user = async (email: string) => (await s.store.users.findByEmail(email)) as UserRecord;
    const [okafor, lindqvist, tanaka, morales] = await Promise.all(['okafor', 'lindqvist', 'tanaka', 'morales'].map((n) => user(`${n}@demo.consilium.test`)));
    // The board meets on Thursday 19 March at 08:00 (UTC here) and discusses the case in live mode.
    const board = (await s.store.conferences.listByCase(caseId))[0]!;
    const meeting = board.start!;
    ticking = false;
    now = Date.parse(meeting);
    await s.conferences.live(okafor!, board.id, { occurrence: meeting, action: 'start' });
    await s.conferences.record(okafor!, board.id, { occurrence: meeting, attended: [okafor!.id, tanaka!.id, lindqvist!.id] });
    const item = (await s.store.conferences.find(board.id))!.agenda[0]!;
    await s.conferences.record(okafor!, board.id, { occurrence: meeting, itemId: item.id, outcome: 'Vote after the board; prepare the appeal.' });
    now += 18 * 60_000;
    await s.conferences.live(okafor!, board.id, { occurrence: meeting, action: 'end' });
    now = Date.parse('2026-03-19T10:00:00Z');
    ticking = true;
    const options = await s.store.options.list(caseId);
    const [pembro, docetaxel] = [options.find((o) => o.data.title.startsWith('Pembrolizumab'))!.id, options.find((o) => o.data.title.startsWith('Docetaxel'))!.id];
    const { round } = await s.decisions.open(okafor!, caseId, {
      question: 'Which second-line treatment do we recommend?', optionIds: [pembro, docetaxel], rule: 'simple_majority', threshold: null,
      quorum: { minVoters: 3, requiredDisciplines: ['oncology', 'pharmacy'] }, closesAt: null, visibility: 'open',
    });
    await s.decisions.cast(okafor!, caseId, round.id, { stances: { [pembro]: { stance: 'support', rationale: '' }, [docetaxel]: { stance: 'object', rationale: 'Inferior survival at PD-L1 60%.' } }, defer: null });
    await s.decisions.cast(tanaka!, caseId, round.id, { stances: { [pembro]: { stance: 'support_with_reservations', rationale: 'Baseline thyroid and liver tests before cycle 1.' } }, defer: null });
    await s.decisions.cast(lindqvist!, caseId, round.id, { stances: { [pembro]: { stance: 'support', rationale: '' } }, defer: null });
    await s.decisions.cast(morales!, caseId, round.id, { stances: { [pembro]: { stance: 'object', rationale: 'Transport to three-weekly infusions is not arranged yet.' } }, defer: null });
    await s.decisions.close(okafor!, caseId, round.id);
    await s.decisions.recommend(okafor!, caseId, round.id, 'Second-line pembrolizumab 200 mg every three weeks; appeal the denial with KEYNOTE-024 and the NCCN guideline.');
    ticking = false;
    now = Date.parse('2026-03-19T11:00:00Z'); // the golden files hold this generation time
    const owner = await signInAs(okafor!.email);
    golden('demo-consensus-summary.md', (await download(owner, caseId, 'consensus_summary', { format: 'md' })).bytes.toString());
    golden('demo-consensus-summary.html', (await download(owner, caseId, 'consensus_summary', { format: 'html' })).bytes.toString());
  });
});

/** The option ids of a decided case, by title. */
async function decidedCaseIds(caseId: string, who: ApiClient): Promise<{ a: string }> {
  const options = (await who.get(`/api/cases/${caseId}/options`)).body.options as { id: string; title: string }[];
  return { a: options.find((o) => o.title === 'Pembrolizumab')!.id };
}

async function signInAs(email: string): Promise<ApiClient> {
  const client = new ApiClient(server);
  const res = await client.post('/api/auth/signin', { email, password: DEMO_PASSWORD });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status}`);
  client.user = res.body.user;
  return client;
}
