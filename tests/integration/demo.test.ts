import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../server/store/sqlite/index.js';

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'consilium-demo-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function demo(): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/demo.ts'], { env: { ...process.env, DATA_DIR: dataDir, MONGODB_URI: '' } });
  return stdout;
}

async function counts() {
  const store = new SqliteStore(join(dataDir, 'consilium.db'));
  try {
    const owner = await store.users.findByEmail('okafor@demo.consilium.test');
    const cases = owner ? await store.cases.listForUser(owner.id, { archived: false }) : [];
    const team = cases[0] ? await store.memberships.listByCase(cases[0].id) : [];
    const conferences = owner ? await store.conferences.listVisible(owner.id, cases.map((c) => c.id)) : [];
    return {
      owner: owner?.name, cases: cases.map((c) => c.patientRef), disciplines: team.map((m) => m.discipline).sort(),
      conferences: conferences.map((c) => [c.title, c.status, c.caseIds.length]).sort(),
    };
  } finally {
    await store.close();
  }
}

describe('npm run demo', () => {
  it('seeds a denied-treatment case with a team of four disciplines, once', async () => {
    expect(await demo()).toMatch(/Seeded the demo case/);
    const first = await counts();
    expect(first).toEqual({
      owner: 'Dr. Amara Okafor', cases: ['PT-4821'], disciplines: ['nursing', 'oncology', 'pharmacy', 'social_work'],
      conferences: [['Family meeting: treatment options', 'polling', 0], ['Thoracic tumour board', 'scheduled', 1]],
    });
    expect(await demo()).toMatch(/already there; nothing changed/);
    expect(await counts()).toEqual(first);
  }, 60_000);
});
