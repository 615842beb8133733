import * as Y from 'yjs';
import { BRIEF_FRAGMENT, briefDocName } from '../shared/brief.js';
import type { Discipline } from '../shared/disciplines.js';
import type { Role } from '../shared/roles.js';
import { loadConfig } from './config.js';
import { briefTemplateUpdate } from './domain/brief.js';
import { systemClock } from './domain/clock.js';
import { createLogger } from './log.js';
import { createServices } from './services.js';
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

/** `npm run demo`: seeds a sample case into the configured store; running it again changes nothing. */
async function main(): Promise<void> {
  const config = loadConfig();
  const store = await createStore(config);
  const s = createServices(config, store, systemClock, createLogger('warn'));
  try {
    const users: UserRecord[] = [];
    for (const member of TEAM) {
      const existing = await store.users.findByEmail(member.email);
      users.push(existing ?? (await s.accounts.signUp({ email: member.email, password: DEMO_PASSWORD, name: member.name, discipline: member.discipline }, 'demo')).user);
    }
    const owner = users[0]!;
    const cases = [...(await store.cases.listForUser(owner.id, { archived: false })), ...(await store.cases.listForUser(owner.id, { archived: true }))];
    if (cases.some((c) => c.patientRef === DEMO_PATIENT_REF)) {
      console.log('The demo case is already there; nothing changed.');
    } else {
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
      console.log(`Seeded the demo case "${record.title}" (${DEMO_PATIENT_REF}) with a team of ${TEAM.length}.`);
    }
    console.log(`Storage: ${store.engine}. Sign in with any of these (password "${DEMO_PASSWORD}"):`);
    for (const m of TEAM) console.log(`  ${m.email.padEnd(32)} ${m.name} — ${m.role}`);
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  console.error('The demo could not be seeded:', err instanceof Error ? err.message : err);
  process.exit(1);
});
