import type { Locator, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeInBrowser } from '../helpers/browser.js';
import type { TestServer } from '../helpers/server.js';

/**
 * Journey 4's vote in a real browser: the owner opens a vote over two options through the
 * Decide tab; the owner, an editor and a commenter each vote on their own page (the commenter
 * objects, with a rationale); the tally updates live on all three pages; the owner closes the
 * vote; everyone sees the outcome and the dissent; the owner writes the recommendation and
 * everyone sees it.
 */

const TITLE = 'browser: deciding together';
const PEMBRO = 'Pembrolizumab monotherapy';
const CHEMO = 'Carboplatin and pemetrexed';
const QUESTION = 'Which second-line treatment do we recommend?';
const OBJECTION = 'Pneumonitis risk is too high given her prior radiotherapy.';
const RECOMMENDATION = 'The team recommends pembrolizumab monotherapy, with a pneumonitis watch.';

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
    const created = await owner.request.post(`${server!.url}/api/cases`, { data: { title: 'Choosing second-line treatment', patientRef: 'PT-7311' } });
    expect(created.status()).toBe(201);
    caseId = ((await created.json()) as { case: { id: string } }).case.id;
    for (const [person, role] of [[b, 'editor'], [c, 'commenter']] as const) {
      const invited = await owner.request.post(`${server!.url}/api/cases/${caseId}/members`, { data: { email: person.email, role } });
      expect(invited.status()).toBe(201);
    }
    for (const title of [PEMBRO, CHEMO]) {
      const res = await owner.request.post(`${server!.url}/api/cases/${caseId}/options`, { data: { title } });
      expect(res.status()).toBe(201);
    }
    for (const page of [owner, editor, commenter]) await openDecide(page);
  }, 120_000);



  /** Opens the case, waits until it is live, and shows the Decide tab. */
  async function openDecide(page: Page): Promise<void> {
    await page.goto(`${server!.url}/cases/${caseId}`);
    await page.getByText('Connected', { exact: true }).waitFor();
    await page.getByRole('tab', { name: 'Decide', exact: true }).click();
    await page.getByRole('heading', { name: 'Decide', exact: true }).waitFor();
  }

  const round = (page: Page): Locator => page.getByRole('article', { name: QUESTION });
  /** The tally row of one option as text, e.g. "Pembrolizumab monotherapy 2 0 1 0". */
  const tallyRow = (page: Page, option: string) => round(page).getByRole('row', { name: `Tally for ${option}` });
  const counts = async (page: Page, option: string) => (await tallyRow(page, option).getByRole('cell').allTextContents()).join(' ');

  /** Takes a stance on each option through the ballot form and casts it. */
  async function vote(page: Page, stances: { option: string; stance: string; rationale?: string }[]): Promise<void> {
    const form = round(page).getByRole('form', { name: 'Your ballot' });
    for (const s of stances) {
      const group = form.getByRole('group', { name: s.option });
      await group.getByRole('radio', { name: s.stance, exact: true }).check();
      if (s.rationale) await group.getByLabel(/^Rationale/).fill(s.rationale);
    }
    await form.getByRole('button', { name: 'Cast my ballot' }).click();
    await round(page).getByRole('form', { name: 'Change your ballot' }).waitFor();
  }

  it('fits the Decide tab in the side panel at 1280 pixels, and shows the empty state', async () => {
    const tablist = owner.getByRole('tablist', { name: 'Case panel' });
    // The tabs wrap rather than scroll: one row means every tab's top is the same.
    const tops = await tablist.getByRole('tab').evaluateAll((tabs) => tabs.map((t) => t.getBoundingClientRect().top));
    expect(tops).toHaveLength(8);
    expect(new Set(tops).size).toBe(1);
    if (process.env.DECIDE_SHOTS) await owner.screenshot({ path: `${process.env.DECIDE_SHOTS}/empty.png` });
  });

  it('the owner opens a vote through the form', async () => {
    for (const page of [owner, editor, commenter]) await page.getByText('No vote yet. When the options are ready, open a vote.').waitFor();
    await owner.getByRole('button', { name: '+ Open a vote' }).click();
    const form = owner.getByRole('form', { name: 'Open a vote' });
    // The shared schema speaks before anything is sent.
    await form.getByRole('button', { name: 'Open the vote' }).click();
    await form.getByText('Question is required.').waitFor();
    await form.getByLabel('Question').fill(QUESTION);
    await form.getByRole('checkbox', { name: PEMBRO }).check();
    await form.getByRole('checkbox', { name: CHEMO }).check();
    // The threshold is asked only for a supermajority.
    await form.getByLabel('Decision rule').selectOption('supermajority');
    await form.getByLabel('Threshold').waitFor();
    await form.getByLabel('Decision rule').selectOption('simple_majority');
    await expect.poll(() => form.getByLabel('Threshold').count()).toBe(0);
    await form.getByLabel('Minimum voters').fill('3');
    await form.getByRole('checkbox', { name: 'Pharmacy' }).check();
    await form.getByRole('button', { name: 'Open the vote' }).click();
    for (const page of [owner, editor, commenter]) {
      await round(page).waitFor();
      await expect.poll(() => round(page).getByText('0 of 3 voters; still needed: 3 more voters, Pharmacy').count()).toBe(1);
    }
  });

  it('each votes on their own page; the tally and quorum progress update live on all three', async () => {
    await vote(owner, [{ option: PEMBRO, stance: 'Support' }, { option: CHEMO, stance: 'Object', rationale: 'Second-line chemotherapy adds little here.' }]);
    for (const page of [owner, editor, commenter]) await expect.poll(() => counts(page, PEMBRO)).toBe('1 0 0 0');

    // An objection without a rationale is refused next to the field.
    const form = round(commenter).getByRole('form', { name: 'Your ballot' });
    await form.getByRole('group', { name: PEMBRO }).getByRole('radio', { name: 'Object', exact: true }).check();
    await form.getByRole('button', { name: 'Cast my ballot' }).click();
    await form.getByText(/The rationale is required/).waitFor();
    await vote(commenter, [{ option: PEMBRO, stance: 'Object', rationale: OBJECTION }, { option: CHEMO, stance: 'Abstain' }]);
    for (const page of [owner, editor, commenter]) {
      await expect.poll(() => counts(page, PEMBRO)).toBe('1 0 1 0');
      await expect.poll(() => round(page).getByText('2 of 3 voters; still needed: 1 more voter, Pharmacy').count()).toBe(1);
      // Who still has to vote, by name.
      await expect.poll(async () => (await round(page).locator('.still-to-vote').textContent()) ?? '').toMatch(/Still to vote:.*Pharmacy/);
    }

    await vote(editor, [{ option: PEMBRO, stance: 'Support' }, { option: CHEMO, stance: 'Object', rationale: 'Renal function rules out pemetrexed.' }]);
    for (const page of [owner, editor, commenter]) {
      await expect.poll(() => counts(page, PEMBRO)).toBe('2 0 1 0');
      await expect.poll(() => counts(page, CHEMO)).toBe('0 0 2 1');
      await expect.poll(() => round(page).getByText('Quorum met: 3 of 3 voters').count()).toBe(1);
      await expect.poll(() => round(page).getByText('Everyone who may vote has voted.').count()).toBe(1);
    }
    if (process.env.DECIDE_SHOTS) await commenter.screenshot({ path: `${process.env.DECIDE_SHOTS}/voted.png`, fullPage: true });
  });

  it('the owner closes; all see the outcome and the dissent; the owner writes the recommendation and all see it', async () => {
    await expect.poll(() => round(editor).getByRole('button', { name: 'Close vote' }).count()).toBe(0);
    await round(owner).getByRole('button', { name: 'Close vote' }).click();
    await round(owner).getByRole('button', { name: 'Yes, close the vote' }).click();
    for (const page of [owner, editor, commenter]) {
      await round(page).getByText(`Decided: ${PEMBRO}`).waitFor();
      const dissent = round(page).getByRole('region', { name: 'Dissent (objections)' });
      await dissent.getByText(OBJECTION, { exact: false }).waitFor();
      await expect.poll(() => dissent.textContent()).toContain('Chloe Martin');
      await expect.poll(() => round(page).getByRole('form', { name: /ballot/ }).count()).toBe(0);
    }
    await expect.poll(() => round(editor).getByRole('form', { name: 'Write the recommendation' }).count()).toBe(0);

    const form = round(owner).getByRole('form', { name: 'Write the recommendation' });
    await form.getByLabel('Recommendation').fill(RECOMMENDATION);
    await form.getByRole('button', { name: 'Record the recommendation' }).click();
    if (process.env.DECIDE_SHOTS) await owner.screenshot({ path: `${process.env.DECIDE_SHOTS}/recommend.png`, fullPage: true });
    for (const page of [owner, editor, commenter]) {
      await round(page).getByRole('heading', { name: `Recommendation: ${PEMBRO}` }).waitFor();
      await round(page).getByText(RECOMMENDATION).waitFor();
      // The dissent stays on the record beside the recommendation.
      await round(page).getByRole('region', { name: 'Dissent (objections)' }).getByText(OBJECTION, { exact: false }).waitFor();
    }
  });

  it('an editor records a follow-up; a "not implemented" needs a reason; all see it', async () => {
    await round(editor).getByRole('button', { name: 'Record a follow-up' }).click();
    const form = round(editor).getByRole('form', { name: 'Record a follow-up' });
    await form.getByLabel('Was the recommendation carried out?').selectOption('not_implemented');
    await form.getByRole('button', { name: 'Record follow-up' }).click();
    await form.getByText('Reason is required when the recommendation was not fully carried out.').waitFor();
    await form.getByLabel('Reason').selectOption('payer_denial');
    await form.getByRole('button', { name: 'Record follow-up' }).click();
    for (const page of [owner, editor, commenter]) {
      await round(page).getByRole('region', { name: 'Follow-up' }).getByText('(Payer denial)', { exact: false }).waitFor();
    }
    await expect.poll(() => round(commenter).getByRole('button', { name: 'Record a follow-up' }).count()).toBe(0);
    expect(rig().dropped).toEqual([]);
  });
});
