import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser } from '../helpers/browser.js';
import type { TestServer } from '../helpers/server.js';

/**
 * Journeys 1 and 2 in a real browser: two people sign up through the UI, one creates a case
 * and invites the other, both type in the brief at once and see each other's words and caret.
 */

const TITLE = 'browser: two people co-edit a brief';
const PASSWORD = 'correct horse battery staple';

describeInBrowser(TITLE, (rig) => {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(() => {
    ({ server, browser } = rig());
  });

  afterAll(async () => {
    for (const ctx of contexts) await ctx.close().catch(() => undefined);
  });

  /** A fresh browser profile (its own cookies) at a desktop size, with page errors surfaced. */
  async function newPerson(): Promise<Page> {
    const ctx = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.on('pageerror', (err) => console.error('[page error]', err.message));
    return page;
  }

  /** Signs up through the sign-up form and waits for the case list. */
  async function signUpThroughUi(page: Page, p: { name: string; discipline: string; email: string }): Promise<void> {
    await page.goto(`${server!.url}/signup`);
    await page.getByLabel('Your name').fill(p.name);
    await page.getByLabel('Your discipline').selectOption(p.discipline);
    await page.getByLabel('Email').fill(p.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'My cases' }).waitFor();
  }

  /** Puts the caret at the end of the n-th paragraph of the brief. */
  async function caretAtEndOfParagraph(page: Page, n: number): Promise<void> {
    await page.locator('.ProseMirror p').nth(n).click();
    await page.keyboard.press('End');
  }

  it('both type at once, each sees the other’s words, and A sees B’s named caret', async () => {
    const stamp = Date.now().toString(36);
    const a = await newPerson();
    const b = await newPerson();
    const bEmail = `ben-${stamp}@example.org`;
    await signUpThroughUi(a, { name: 'Ana Ruiz', discipline: 'oncology', email: `ana-${stamp}@example.org` });
    await signUpThroughUi(b, { name: 'Ben Okafor', discipline: 'pharmacy', email: bEmail });
    await expect.poll(() => b.getByText('No cases yet — create the first').isVisible()).toBe(true);

    // A creates the case through the form.
    await a.getByRole('link', { name: 'New case' }).click();
    await a.getByLabel('Title').fill('Second-line immunotherapy denial');
    await a.getByLabel('Patient reference').fill('PT-4821');
    await a.getByLabel('Problem').fill('Progression after first-line therapy.');
    await a.getByRole('button', { name: '+ Add resistance' }).click();
    await a.getByLabel('What was said (1)').fill('Denied as not medically necessary.');
    await a.getByLabel('Oncology').check();
    await a.getByRole('button', { name: 'Create case' }).click();
    await a.getByRole('heading', { name: 'Second-line immunotherapy denial' }).waitFor();
    // The server's template arrives: the brief is synced.
    await a.getByText('Connected', { exact: true }).waitFor();
    await a.locator('.ProseMirror h2', { hasText: 'Evidence' }).waitFor();

    // A invites B as editor from the Team panel.
    await a.getByRole('tab', { name: /Team/ }).click();
    await a.getByLabel('Email').fill(bEmail);
    await a.getByLabel('Role', { exact: true }).selectOption('editor');
    await a.getByRole('button', { name: 'Invite' }).click();
    await a.getByText('Ben Okafor joined the team as editor.').waitFor();

    // B finds the case in their list and opens it.
    await b.reload();
    await b.getByRole('link', { name: 'Second-line immunotherapy denial' }).click();
    await b.getByText('Connected', { exact: true }).waitFor();
    await b.locator('.ProseMirror h2', { hasText: 'Evidence' }).waitFor();
    await expect.poll(() => a.getByRole('img', { name: /^Ben Okafor/ }).count()).toBe(1);

    // Both type at the same time, in different paragraphs.
    const aWords = 'Ana notes fatigue keeps her from work.';
    const bWords = 'Ben cites the KEYNOTE-024 trial.';
    await caretAtEndOfParagraph(a, 0);
    await caretAtEndOfParagraph(b, 1);
    await Promise.all([a.keyboard.type(` ${aWords}`, { delay: 10 }), b.keyboard.type(` ${bWords}`, { delay: 10 })]);

    const brief = (page: Page) => page.locator('.ProseMirror').innerText();
    await expect.poll(() => brief(a), { timeout: 10_000 }).toContain(bWords);
    await expect.poll(() => brief(b), { timeout: 10_000 }).toContain(aWords);
    await expect.poll(() => brief(a)).toContain(aWords);
    await expect.poll(() => brief(b)).toContain(bWords);

    // B's caret, labelled with B's name, is drawn in A's editor.
    const bCaret = a.locator('.collaboration-carets__caret', { has: a.locator('.collaboration-carets__label', { hasText: 'Ben Okafor' }) });
    await expect.poll(() => bCaret.count(), { timeout: 10_000 }).toBe(1);
  }, 90_000);
});
