import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeInBrowser } from '../helpers/browser.js';
import type { TestServer } from '../helpers/server.js';

/**
 * Journey 4's options in a real browser: an editor adds evidence and proposes two options
 * citing it; the owner and the editor both see them arrive live; the comparison dialog shows
 * them side by side with their evidence strongest first and closes with Escape; a commenter
 * discusses an option and the thread is named after it, then "On a removed option" once the
 * editor deletes it.
 */

const TITLE = 'browser: options and their comparison';
const TRIAL = 'KEYNOTE-024: pembrolizumab versus chemotherapy';
const SERIES = 'Single-centre case series of dose-reduced regimens';
const PEMBRO = 'Pembrolizumab monotherapy';
const CHEMO = 'Carboplatin and pemetrexed';

describeInBrowser(TITLE, (rig) => {
  let server: TestServer | undefined;
  let owner: Page;
  let editor: Page;
  let commenter: Page;
  let caseId: string;

  beforeAll(async () => {
    ({ server } = rig());
    const a = await rig().newPerson('Ana Ruiz', 'oncology');
    const b = await rig().newPerson('Ben Okafor', 'pharmacy');
    const c = await rig().newPerson('Chloe Martin', 'palliative_care');
    [owner, editor, commenter] = [a.page, b.page, c.page];
    const created = await owner.request.post(`${server!.url}/api/cases`, { data: { title: 'Choosing second-line treatment', patientRef: 'PT-7310' } });
    expect(created.status()).toBe(201);
    caseId = ((await created.json()) as { case: { id: string } }).case.id;
    for (const [person, role] of [[b, 'editor'], [c, 'commenter']] as const) {
      const invited = await owner.request.post(`${server!.url}/api/cases/${caseId}/members`, { data: { email: person.email, role } });
      expect(invited.status()).toBe(201);
    }
    for (const page of [owner, editor, commenter]) await openOptions(page);
  }, 120_000);



  /** Opens the case, waits until it is live, and shows Records → Options. */
  async function openOptions(page: Page): Promise<void> {
    await page.goto(`${server!.url}/cases/${caseId}`);
    await page.getByText('Connected', { exact: true }).waitFor();
    await page.getByRole('tab', { name: 'Records', exact: true }).click();
    await page.getByRole('tab', { name: /^Options/ }).click();
    await page.getByRole('heading', { name: /^Options \(\d+\)$/ }).waitFor();
  }

  /** Proposes an option through the form, citing the named library items. */
  async function propose(page: Page, o: { title: string; benefit: string; risks: string; burden: string; evidence: string[] }): Promise<void> {
    await page.getByRole('button', { name: '+ Propose an option' }).click();
    const form = page.getByRole('form', { name: 'Propose an option' });
    await form.getByLabel('Title').fill(o.title);
    await form.getByLabel('Expected benefit').fill(o.benefit);
    await form.getByLabel('Risks').fill(o.risks);
    await form.getByLabel('Burden for the patient').fill(o.burden);
    for (const title of o.evidence) await form.getByRole('checkbox', { name: title }).check();
    await form.getByRole('button', { name: 'Propose option' }).click();
    await page.getByRole('heading', { name: o.title, exact: true }).waitFor();
  }

  it('an editor adds evidence and proposes two options citing it; the owner and the editor see both live', async () => {
    // The editor adds the trial in Records → Evidence; a weaker item arrives through the API.
    await editor.getByRole('tab', { name: /^Evidence/ }).click();
    await editor.getByRole('button', { name: '+ Add evidence' }).click();
    const evidenceForm = editor.getByRole('form', { name: 'Add evidence' });
    await evidenceForm.getByLabel('Kind').selectOption('trial');
    await evidenceForm.getByLabel('Strength of evidence').selectOption('high');
    await evidenceForm.getByLabel('Title').fill(TRIAL);
    await evidenceForm.getByRole('button', { name: 'Add evidence' }).click();
    await editor.getByRole('heading', { name: TRIAL }).waitFor();
    const weak = await editor.request.post(`${server!.url}/api/cases/${caseId}/evidence`, { data: { kind: 'other', title: SERIES, strength: 'low' } });
    expect(weak.status()).toBe(201);
    await editor.getByRole('heading', { name: SERIES }).waitFor();

    await editor.getByRole('tab', { name: /^Options/ }).click();
    // The shared schema speaks next to the field before anything is sent.
    await editor.getByRole('button', { name: '+ Propose an option' }).click();
    const form = editor.getByRole('form', { name: 'Propose an option' });
    await form.getByRole('button', { name: 'Propose option' }).click();
    await form.getByText('Title is required.').waitFor();
    await expect.poll(() => form.getByLabel('Title').evaluate((el) => el === document.activeElement)).toBe(true);
    await form.getByRole('button', { name: 'Cancel' }).click();

    // Weaker evidence ticked first: the comparison still lists the strongest first.
    await propose(editor, {
      title: PEMBRO,
      benefit: 'Longer overall survival than chemotherapy at PD-L1 ≥ 50%.',
      risks: 'Immune-related adverse events, such as pneumonitis and colitis.',
      burden: 'An infusion every 3 weeks; prior authorization was denied once.',
      evidence: [SERIES, TRIAL],
    });
    await propose(editor, {
      title: CHEMO,
      benefit: 'Response in about a third of patients.',
      risks: 'Cytopenias and fatigue.',
      burden: 'Four cycles of infusions, with blood tests before each.',
      evidence: [TRIAL],
    });

    for (const page of [owner, editor]) {
      await page.getByRole('heading', { name: PEMBRO, exact: true }).waitFor({ timeout: 10_000 });
      await page.getByRole('heading', { name: CHEMO, exact: true }).waitFor({ timeout: 10_000 });
      await expect.poll(() => page.getByRole('heading', { name: /^Options \(\d+\)$/ }).textContent()).toBe('Options (2)');
    }
    // Each card names its proposer and lists its evidence with its certainty.
    const card = owner.getByRole('article', { name: PEMBRO });
    await expect.poll(() => card.textContent()).toContain('Proposed by Ben Okafor');
    await expect.poll(() => card.getByRole('list', { name: `Evidence supporting ${PEMBRO}` }).innerText()).toMatch(/High certainty\s+KEYNOTE-024[\s\S]*Low certainty\s+Single-centre/);
    // Only editors and owners propose.
    expect(await commenter.getByRole('button', { name: '+ Propose an option' }).count()).toBe(0);
  }, 60_000);

  it('the comparison shows the options side by side with their evidence strength, and Escape closes it', async () => {
    const opener = owner.getByRole('button', { name: 'Compare side by side' });
    await opener.click();
    const dialog = owner.getByRole('dialog', { name: 'Compare the options' });
    await dialog.waitFor();
    const table = dialog.getByRole('table');
    await expect.poll(() => table.getByRole('columnheader').allInnerTexts()).toEqual([PEMBRO, CHEMO]);
    await expect.poll(() => table.getByRole('rowheader').allInnerTexts()).toEqual([
      'Expected benefit',
      'Risks',
      'Burden for the patient',
      'Supporting evidence (strongest first)',
      'Proposed by',
    ]);
    const evidenceRow = table.getByRole('row', { name: /^Supporting evidence/ });
    const cells = evidenceRow.getByRole('cell');
    await expect.poll(() => cells.nth(0).innerText()).toMatch(/^High certainty\s+KEYNOTE-024[\s\S]*Low certainty\s+Single-centre/);
    await expect.poll(() => cells.nth(1).innerText()).toMatch(/^High certainty\s+KEYNOTE-024/);
    await expect.poll(() => table.getByRole('row', { name: /^Proposed by/ }).innerText()).toContain('Ben Okafor');
    // Both columns sit side by side at this width.
    const [left, right] = await Promise.all([0, 1].map((i) => table.getByRole('columnheader').nth(i).boundingBox()));
    expect(left && right && right.x >= left.x + left.width - 1 && Math.abs(right.y - left.y) < 2).toBe(true);

    // A change made elsewhere reaches the open comparison.
    const chemoId = await owner.request
      .get(`${server!.url}/api/cases/${caseId}/options`)
      .then(async (r) => ((await r.json()) as { options: { id: string; title: string }[] }).options.find((o) => o.title === CHEMO)!.id);
    const patched = await editor.request.patch(`${server!.url}/api/cases/${caseId}/options/${chemoId}`, { data: { risks: 'Cytopenias, fatigue and nausea.' } });
    expect(patched.status()).toBe(200);
    await expect.poll(() => table.getByRole('row', { name: /^Risks/ }).innerText(), { timeout: 10_000 }).toContain('Cytopenias, fatigue and nausea.');

    await owner.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => opener.evaluate((el) => el === document.activeElement)).toBe(true);
  }, 60_000);

  it('a commenter discusses an option; the thread reads "On option: <title>", and "On a removed option" once it is deleted', async () => {
    await commenter.getByRole('button', { name: `Discuss ${CHEMO}` }).click();
    await expect.poll(() => commenter.getByRole('tab', { name: /Discussion/ }).getAttribute('aria-selected')).toBe('true');
    await commenter.getByRole('heading', { name: 'Comment on an option' }).waitFor();
    await commenter.getByLabel('Your comment').fill('What does the patient think of four more infusion days?');
    await commenter.getByRole('button', { name: 'Comment', exact: true }).click();

    for (const page of [commenter, owner]) {
      if (page === owner) await page.getByRole('tab', { name: /Discussion/ }).click();
      const where = page.locator('.thread', { hasText: 'four more infusion days' }).locator('.thread-where');
      await expect.poll(() => where.textContent(), { timeout: 10_000 }).toContain(`On option: ${CHEMO}`);
    }

    // The editor's card counts the open thread.
    await editor.getByRole('button', { name: `1 comment on ${CHEMO}: show in Discussion` }).waitFor({ timeout: 10_000 });
    await editor.getByRole('button', { name: `Delete ${CHEMO}` }).click();
    await editor.getByRole('button', { name: 'Yes, delete' }).click();
    await editor.getByRole('heading', { name: CHEMO, exact: true }).waitFor({ state: 'detached' });
    const where = commenter.locator('.thread', { hasText: 'four more infusion days' }).locator('.thread-where');
    await expect.poll(() => where.textContent(), { timeout: 10_000 }).toContain('On a removed option');
    expect(rig().dropped).toEqual([]);
  }, 60_000);
});
