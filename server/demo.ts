import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import { BRIEF_FRAGMENT, briefDocName } from '../shared/brief.js';
import type { Discipline } from '../shared/disciplines.js';
import type { Role } from '../shared/roles.js';
import { loadConfig } from './config.js';
import { briefTemplateUpdate } from './domain/brief.js';
import { systemClock } from './domain/clock.js';
import { createLogger } from './log.js';
import { createServices, type Services } from './services.js';
import { createStore } from './store/index.js';
import type { UserRecord } from './store/port.js';

/** The demo team; every account uses DEMO_PASSWORD. Documented in README.md. */
export const DEMO_PASSWORD = 'consilium-demo';
const TEAM: { email: string; name: string; discipline: Discipline; role: Role }[] = [
  { email: 'okafor@demo.consilium.test', name: 'Dr. Amara Okafor', discipline: 'oncology', role: 'owner' },
  { email: 'lindqvist@demo.consilium.test', name: 'Erik Lindqvist, RN', discipline: 'nursing', role: 'editor' },
  { email: 'tanaka@demo.consilium.test', name: 'Yui Tanaka, PharmD', discipline: 'pharmacy', role: 'editor' },
  { email: 'morales@demo.consilium.test', name: 'Lucía Morales, LCSW', discipline: 'social_work', role: 'commenter' },
];
const DEMO_PATIENT_REF = 'PT-4821';

/** Fills the template's prompts with a worked example, as one update on top of the template. */
function demoBriefUpdate(): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, briefTemplateUpdate());
  const before = Y.encodeStateVector(doc);
  const answers = [
    'progressive metastatic NSCLC after first-line chemotherapy; ECOG 1; PD-L1 TPS 60%.',
    '"I want to be well enough to walk my daughter down the aisle in June."',
    'on medical leave from teaching; two admissions for dyspnoea in three months.',
    'NCCN guideline category 1 recommendation; KEYNOTE-024 overall survival data.',
    'second-line pembrolizumab monotherapy.',
  ];
  const paragraphs = doc.getXmlFragment(BRIEF_FRAGMENT).toArray().filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'paragraph');
  answers.forEach((answer, i) => {
    const text = paragraphs[i]?.get(0);
    if (text instanceof Y.XmlText) text.insert(text.length, answer);
  });
  return Y.encodeStateAsUpdate(doc, before);
}

/** A date `days` from today, as YYYY-MM-DD in the team's time zone. */
function fromToday(s: Services, days: number): string {
  const [y, m, d] = s.health.today().split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Evidence, a stakeholder contact, the payer's denial, a readiness start and a first thread. */
async function seedRecords(s: Services, users: UserRecord[], caseId: string): Promise<void> {
  const [owner, nurse, pharmacist] = users as [UserRecord, UserRecord, UserRecord, UserRecord];
  const trial = await s.evidence.create(pharmacist, caseId, {
    kind: 'trial', title: 'KEYNOTE-024: pembrolizumab versus chemotherapy for PD-L1-positive NSCLC',
    citation: 'Reck M, et al. N Engl J Med 2016;375:1823-33.', url: 'https://doi.org/10.1056/NEJMoa1606774', year: 2016,
    summary: 'Longer progression-free and overall survival with pembrolizumab when PD-L1 is at least 50%.', strength: 'high',
  });
  const guideline = await s.evidence.create(owner, caseId, {
    kind: 'guideline', title: 'NCCN Guidelines: Non-Small Cell Lung Cancer', citation: 'National Comprehensive Cancer Network, current version.',
    url: '', year: null, summary: 'Category 1 recommendation for pembrolizumab in this setting.', strength: 'high',
  });
  // The alternatives the team weighs (no vote yet: the demo leaves deciding to the visitor).
  await s.options.create(owner, caseId, {
    title: 'Pembrolizumab 200 mg every 3 weeks', description: 'Second-line anti-PD-1 monotherapy until progression or intolerance.',
    expectedBenefit: 'Longer overall survival than chemotherapy at PD-L1 of 50% or more; fewer days in hospital.',
    risks: 'Immune-related side effects (thyroid, lung, bowel) needing monitoring.', burden: 'A 30-minute infusion every three weeks.',
    evidenceIds: [trial.id, guideline.id],
  });
  await s.options.create(pharmacist, caseId, {
    title: 'Docetaxel 75 mg/m² every 3 weeks', description: 'Second-line cytotoxic chemotherapy.',
    expectedBenefit: 'Modest survival benefit; covered without prior authorization.',
    risks: 'Neutropenia, neuropathy, fatigue.', burden: 'Infusions every three weeks; more clinic visits for blood counts.', evidenceIds: [],
  });
  await s.stakeholders.items.create(owner, caseId, {
    stakeholder: 'insurer', who: 'Medical director, payer utilization review', channel: 'phone', date: fromToday(s, -2),
    concerns: 'Asked whether first-line options were exhausted.', response: 'Explained progression on platinum doublet.',
    nextStep: 'Send the progression imaging report', nextStepDue: fromToday(s, 2), status: 'awaiting_reply',
  });
  await s.coverage.items.create(owner, caseId, {
    payer: 'Payer (demo)', requested: 'Pembrolizumab 200 mg IV every 3 weeks', submittedOn: fromToday(s, -12), referenceNumber: 'PA-48210',
    decision: 'denied', denialReason: 'not_medically_necessary', payerWording: 'The requested service is not medically necessary.',
    decidedOn: fromToday(s, -5), appealDeadline: fromToday(s, 5), peerToPeerDeadline: fromToday(s, 2), appealOutcome: 'none',
  });
  const checklist = await s.readiness.list(owner, caseId);
  for (const item of checklist.filter((i) => ['history', 'imaging', 'pathology'].includes(i.data.key ?? ''))) {
    await s.readiness.update(nurse, caseId, item.id, { state: 'complete' });
  }
  await s.discussion.createThread(nurse, caseId, {
    anchor: { kind: 'case' }, body: `@${owner.name} the family meeting is Thursday; can pharmacy join to talk through side effects?`,
    mentions: [owner.id], requestId: '6f0c9a4e-3b1d-4c2a-9e8f-1a2b3c4d5e6f',
  });
}

/** A weekly tumour board with the demo case on its next agenda, and a family meeting whose time is still polled. */
async function seedConferences(s: Services, users: UserRecord[], caseId: string): Promise<void> {
  const [owner, nurse, pharmacist, socialWorker] = users as [UserRecord, UserRecord, UserRecord, UserRecord];
  const today = s.health.today();
  const weekday = new Date(`${today}T12:00:00Z`).getUTCDay();
  const thursday = fromToday(s, ((4 - weekday + 7) % 7) || 7);
  const board = await s.conferences.create(owner, {
    title: 'Thoracic tumour board', kind: 'case_conference', timeZone: s.config.timeZone,
    start: `${thursday}T08:00`, end: `${thursday}T09:00`, rrule: 'FREQ=WEEKLY;BYDAY=TH;COUNT=26',
    location: 'Conference room 4B', videoUrl: '', notes: '', attendeeIds: [nurse.id, pharmacist.id, socialWorker.id], chairId: null,
    // The case is not ready yet (imaging, history and pathology only): the chair adds it on purpose.
    agenda: [{ caseId, minutes: 20, presenterId: pharmacist.id, complex: null, override: true }], pollSlots: null,
  });
  await s.conferences.respond(nurse, board.id, 'accepted');
  await s.conferences.respond(pharmacist, board.id, 'accepted');
  await s.conferences.create(nurse, {
    title: 'Family meeting: treatment options', kind: 'family_meeting', timeZone: s.config.timeZone, start: null, end: null, rrule: null,
    location: 'Family room, ward 7', videoUrl: '', notes: '', attendeeIds: [owner.id, socialWorker.id], chairId: null, agenda: [],
    pollSlots: [
      { start: `${fromToday(s, 2)}T15:00`, end: `${fromToday(s, 2)}T16:00` },
      { start: `${fromToday(s, 3)}T10:00`, end: `${fromToday(s, 3)}T11:00` },
    ],
  });
}

/** Seeds the demo team and case through the services; running it again changes nothing. Answers the case's id. */
export async function seedDemo(s: Services): Promise<{ created: boolean; caseId: string }> {
  const store = s.store;
  const users: UserRecord[] = [];
  for (const member of TEAM) {
    const existing = await store.users.findByEmail(member.email);
    users.push(existing ?? (await s.accounts.signUp({ email: member.email, password: DEMO_PASSWORD, name: member.name, discipline: member.discipline }, 'demo')).user);
  }
  const owner = users[0]!;
  const cases = [...(await store.cases.listForUser(owner.id, { archived: false })), ...(await store.cases.listForUser(owner.id, { archived: true }))];
  const existing = cases.find((c) => c.patientRef === DEMO_PATIENT_REF);
  if (existing) return { created: false, caseId: existing.id };
  const { record } = await s.cases.create(owner, {
    title: 'Appeal: second-line immunotherapy denied',
    patientRef: DEMO_PATIENT_REF,
    problem: 'Metastatic non-small-cell lung cancer progressing after first-line chemotherapy. The team recommends pembrolizumab.',
    resistance: [
      { source: 'insurer', description: 'Prior authorization denied as "not medically necessary"; appeal window of 30 days.' },
      { source: 'family', description: "The patient's son worries about side effects after an uncle's experience." },
    ],
    requiredDisciplines: ['oncology', 'nursing', 'pharmacy', 'social_work'],
  });
  for (let i = 1; i < TEAM.length; i++) {
    await s.team.add(owner, record.id, { email: TEAM[i]!.email, role: TEAM[i]!.role });
  }
  await store.documents.append(briefDocName(record.id), demoBriefUpdate());
  await s.cases.update(owner, record.id, { status: 'in_review' });
  await seedRecords(s, users, record.id);
  await seedConferences(s, users, record.id);
  return { created: true, caseId: record.id };
}

/** `npm run demo`: seeds a sample case into the configured store; running it again changes nothing. */
async function main(): Promise<void> {
  const config = loadConfig();
  const store = await createStore(config);
  const s = createServices(config, store, systemClock, createLogger('warn'));
  try {
    const { created } = await seedDemo(s);
    console.log(created ? `Seeded the demo case (${DEMO_PATIENT_REF}) with a team of ${TEAM.length}.` : 'The demo case is already there; nothing changed.');
    console.log(`Storage: ${store.engine}. Sign in with any of these (password "${DEMO_PASSWORD}"):`);
    for (const m of TEAM) console.log(`  ${m.email.padEnd(32)} ${m.name} — ${m.role}`);
  } finally {
    await store.close();
  }
}

// Run only as the script (`npm run demo`), not when a test imports seedDemo.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error('The demo could not be seeded:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
