import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser } from '../helpers/browser.js';
import type { TestServer } from '../helpers/server.js';

/**
 * Journey 3's records in a real browser: an editor adds evidence and cites it in the brief
 * (both people see the numbered citation live), deleting a cited item asks first, the
 * readiness checklist turns the case ready, and a denial's appeal deadline is flagged in the
 * workspace and in the case list.
 */

const TITLE = 'browser: evidence, citations, readiness and coverage';
const PASSWORD = 'correct horse battery staple';

/** A calendar date `days` from today in UTC (the test server's time zone). */
function dateFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

describeInBrowser(TITLE, (rig) => {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  let a: Page;
  let b: Page;
  let caseId: string;

  beforeAll(async () => {
    ({ server, browser } = rig());

    const stamp = Date.now().toString(36);
    a = await newPerson({ name: 'Ana Ruiz', email: `ana-${stamp}@example.org` });
    b = await newPerson({ name: 'Ben Okafor', email: `ben-${stamp}@example.org` });
    const created = await a.request.post(`${server.url}/api/cases`, { data: { title: 'Second-line immunotherapy denial', patientRef: 'PT-4821' } });
    expect(created.status()).toBe(201);
    caseId = ((await created.json()) as { case: { id: string } }).case.id;
    const invited = await a.request.post(`${server.url}/api/cases/${caseId}/members`, { data: { email: `ben-${stamp}@example.org`, role: 'editor' } });
    expect(invited.status()).toBe(201);
    for (const page of [a, b]) {
      await page.goto(`${server.url}/cases/${caseId}`);
      await page.locator('.ProseMirror h2', { hasText: 'Evidence' }).waitFor();
      await page.getByRole('tab', { name: 'Records', exact: true }).click();
    }
  }, 120_000);

  afterAll(async () => {
    for (const ctx of contexts) await ctx.close().catch(() => undefined);
  });

  /** A fresh browser profile, signed up through the API (its cookie stays in the profile). */
  async function newPerson(p: { name: string; email: string }): Promise<Page> {
    const ctx = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(ctx);
    const res = await ctx.request.post(`${server!.url}/api/auth/signup`, { data: { ...p, password: PASSWORD, discipline: 'oncology' } });
    expect(res.status()).toBe(201);
    const page = await ctx.newPage();
    page.on('pageerror', (err) => console.error('[page error]', err.message));
    return page;
  }

  const citation = (page: Page) => page.locator('.ProseMirror .citation').first();

  it('an editor adds evidence and cites it; both see [1] live; deleting it asks first', async () => {
    const form = a.getByRole('form', { name: 'Add evidence' });
    await a.getByRole('button', { name: '+ Add evidence' }).click();
    await form.getByLabel('Kind').selectOption('trial');
    await form.getByLabel('Strength of evidence').selectOption('high');
    await form.getByLabel('Title').fill('KEYNOTE-024: pembrolizumab versus chemotherapy');
    await form.getByLabel('Year').fill('2016');
    await form.getByLabel('Web address').fill('https://www.nejm.org/doi/full/10.1056/NEJMoa1606774');
    await form.getByRole('button', { name: 'Add evidence' }).click();
    await a.getByText('Not cited in the brief yet').waitFor();
    // B's library receives the item live.
    await b.getByRole('heading', { name: 'KEYNOTE-024: pembrolizumab versus chemotherapy' }).waitFor();

    // A cites it at the end of the Evidence section's paragraph, with the keyboard picker.
    await a.locator('.ProseMirror p').nth(3).click();
    await a.keyboard.press('End');
    await a.getByRole('button', { name: 'Cite evidence' }).click();
    await expect.poll(() => a.getByRole('combobox', { name: 'Find an evidence item' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await a.keyboard.press('Enter');

    await expect.poll(() => citation(a).textContent()).toBe('[1]');
    await expect.poll(() => citation(b).textContent(), { timeout: 10_000 }).toBe('[1]');
    await expect.poll(() => citation(b).getAttribute('title')).toContain('KEYNOTE-024');
    await a.getByText('Cited 1× in: Evidence').waitFor();
    await b.getByText('Cited 1× in: Evidence').waitFor();

    // The brief still cites it: the server asks for confirmation, and the UI asks the user.
    await a.getByRole('button', { name: 'Delete KEYNOTE-024: pembrolizumab versus chemotherapy' }).click();
    const ask = a.getByRole('alertdialog', { name: 'Confirm deletion' });
    await expect.poll(() => ask.textContent()).toContain('the brief cites it once');
    await ask.getByRole('button', { name: 'Delete anyway' }).click();
    await a.getByText('No evidence yet — add the guideline or trial that supports the plan.').waitFor();
    // The citation stays in the brief, shown as removed for both.
    await expect.poll(() => citation(b).textContent(), { timeout: 10_000 }).toBe('[removed]');
    await expect.poll(() => citation(a).textContent()).toBe('[removed]');
  }, 60_000);

  it('marking every required readiness item complete makes the case ready for conference', async () => {
    await b.getByRole('tab', { name: /^Readiness/ }).click();
    await b.getByText('Not ready: 0 of 7 required items complete').waitFor();
    for (const label of ['History', 'Imaging', 'Pathology', 'Comorbidities', 'Psychosocial context', 'Coverage status']) {
      const group = b.getByRole('group', { name: `${label}: state` });
      await group.getByLabel('Complete').check();
      await b.locator('li', { has: group }).getByText('Set to complete by Ben Okafor').waitFor();
    }
    // The patient's views need who met the patient, and when.
    await b.getByRole('group', { name: "Patient's views and preferences: state" }).getByLabel('Complete').check();
    await b.getByText(/^Recorded by is required/).waitFor();
    await b.getByLabel('Recorded by (who met the patient)').fill('Dr. Lee, palliative care');
    await b.getByLabel('Met on').fill(dateFromToday(-2));
    await b.getByRole('button', { name: 'Save', exact: true }).click();

    await expect.poll(() => b.locator('.readiness-banner').textContent()).toContain('Ready for conference');
    // A's workspace header follows live (case:changed carries the new health).
    await expect.poll(() => a.locator('.ws-meta').textContent(), { timeout: 10_000 }).toContain('Ready for conference');
  }, 60_000);

  it('a denial with an appeal deadline in 3 days is flagged in the workspace and the case list', async () => {
    await a.getByRole('tab', { name: /^Coverage/ }).click();
    await a.getByRole('button', { name: '+ Add a coverage request' }).click();
    const form = a.getByRole('form', { name: 'Add a coverage request' });
    await form.getByLabel('Payer', { exact: true }).fill('Acme Health');
    await form.getByLabel('What was requested').fill('Pembrolizumab 200 mg every 3 weeks');
    await form.getByLabel('Decision', { exact: true }).selectOption('denied');
    await form.getByLabel('Denial reason').selectOption('not_medically_necessary');
    await form.getByLabel('Appeal deadline').fill(dateFromToday(3));
    await form.getByRole('button', { name: 'Add request' }).click();

    await a.getByText('Due in 3 days').waitFor();
    await expect.poll(() => a.locator('.ws-meta').textContent(), { timeout: 10_000 }).toContain('1 payer deadline within 7 days');
    // B's Records tab shows the deadline on the Coverage section's label, live.
    await expect.poll(() => b.getByRole('tab', { name: /^Coverage/ }).textContent(), { timeout: 10_000 }).toContain('1 deadline');

    await a.getByRole('link', { name: 'My cases' }).first().click();
    const row = a.getByRole('row', { name: /Second-line immunotherapy denial/ });
    await expect.poll(() => row.textContent()).toContain('1 payer deadline within 7 days');
    await expect.poll(() => row.textContent()).toContain('Ready');
  }, 60_000);
});
