import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeInBrowser } from '../helpers/browser.js';
import type { TestServer } from '../helpers/server.js';

/**
 * Journey 3 in a real browser: A comments on a passage of the brief; B sees the highlight and
 * the thread arrive live and replies mentioning A through the autocomplete; A's bell counts it
 * and opening the notification scrolls to the thread; markup in a comment is shown as text.
 * Then threads on evidence items: started from the library, named after the item, counted on
 * its card, and detached when the item is removed.
 */

const TITLE = 'browser: comment threads, mentions and notifications';
const XSS = '<img src=x onerror=alert(1)>';

describeInBrowser(TITLE, (rig) => {
  let server: TestServer | undefined;

  beforeAll(() => {
    ({ server } = rig());
  });



  /** Opens the case and waits for the brief's template to arrive. */
  async function openCase(page: Page, caseId: string): Promise<void> {
    await page.goto(`${server!.url}/cases/${caseId}`);
    await page.getByText('Connected', { exact: true }).waitFor();
    await page.locator('.ProseMirror h2', { hasText: 'Evidence' }).waitFor();
  }

  /** Whether the element's top edge is on screen, inside the side panel's visible part. */
  function topInView(page: Page, selector: string): Promise<boolean> {
    return page.locator(selector).evaluate((el) => {
      const r = el.getBoundingClientRect();
      const panel = el.closest('.ws-side')?.getBoundingClientRect();
      const top = Math.max(0, panel?.top ?? 0);
      const bottom = Math.min(window.innerHeight, panel?.bottom ?? window.innerHeight);
      return r.top >= top - 1 && r.top < bottom - 20;
    });
  }

  it('A comments on a passage, B replies mentioning A, A follows the notification; markup stays text', async () => {
    const a = await rig().newPerson('Ana Ruiz', 'oncology');
    const b = await rig().newPerson('Ben Okafor', 'pharmacy');
    const created = await a.page.request.post(`${server!.url}/api/cases`, { data: { title: 'Second-line immunotherapy denial', patientRef: 'PT-4821' } });
    const caseId = ((await created.json()) as { case: { id: string } }).case.id;
    const invited = await a.page.request.post(`${server!.url}/api/cases/${caseId}/members`, { data: { email: b.email, role: 'editor' } });
    expect(invited.status()).toBe(201);
    await openCase(a.page, caseId);
    await openCase(b.page, caseId);

    // A writes a sentence, selects it, and comments on it.
    const passage = 'Fatigue keeps her from work three days a week.';
    await a.page.locator('.ProseMirror p').nth(0).click();
    await a.page.keyboard.press('End');
    await a.page.keyboard.type(` ${passage}`);
    for (let i = 0; i < passage.length; i++) await a.page.keyboard.press('Shift+ArrowLeft');
    await a.page.getByRole('button', { name: 'Comment', exact: true }).click();
    await a.page.getByLabel('Your comment').fill('Can we quantify this with her work diary?');
    await a.page.getByRole('button', { name: 'Comment', exact: true }).click();
    await expect.poll(() => a.page.locator('.comment-anchor').allInnerTexts()).toEqual([passage]);

    // B sees the highlight and the thread arrive without reloading.
    await expect.poll(() => b.page.locator('.comment-anchor').allInnerTexts(), { timeout: 10_000 }).toEqual([passage]);
    const bThread = b.page.locator('.thread', { hasText: 'work diary' });
    await expect.poll(() => bThread.isVisible(), { timeout: 10_000 }).toBe(true);

    // B opens it from the highlight and replies, mentioning A through the autocomplete.
    await b.page.locator('.comment-anchor').click();
    await expect.poll(() => bThread.getAttribute('class')).toContain('is-active');
    const reply = b.page.getByLabel('Reply', { exact: true });
    await reply.click();
    await reply.pressSequentially('Agreed @An');
    const option = b.page.getByRole('option', { name: '@Ana Ruiz' });
    await expect.poll(() => option.getAttribute('aria-selected')).toBe('true');
    await reply.press('Enter');
    await expect.poll(() => reply.inputValue()).toBe('Agreed @Ana Ruiz ');
    await reply.pressSequentially('I will ask the patient.');
    await b.page.getByRole('button', { name: 'Reply', exact: true }).click();
    await expect.poll(() => bThread.locator('.mention').allInnerTexts()).toEqual(['@Ana Ruiz']);

    // More threads start on the case, so A's thread is no longer at the top of the list.
    for (let i = 1; i <= 8; i++) {
      const res = await b.page.request.post(`${server!.url}/api/cases/${caseId}/threads`, {
        data: { anchor: { kind: 'case' }, body: `Checklist note ${i}: imaging and pathology are filed.`, mentions: [], requestId: randomUUID() },
      });
      expect(res.status()).toBe(201);
    }

    // A's bell counts the mention; A leaves the case, then follows the notification back to the thread.
    const bell = a.page.getByRole('button', { name: /^Notifications, \d+ unread$/ });
    await expect.poll(() => bell.getAttribute('aria-label'), { timeout: 10_000 }).toBe('Notifications, 1 unread');
    await a.page.getByRole('link', { name: 'My cases' }).first().click();
    await a.page.getByRole('heading', { name: 'My cases' }).waitFor();
    await bell.click();
    await a.page.getByRole('button', { name: /Ben Okafor mentioned you/ }).click();
    const aThread = a.page.locator('.thread.is-active');
    await expect.poll(() => aThread.innerText(), { timeout: 10_000 }).toContain('I will ask the patient.');
    await expect.poll(() => a.page.getByRole('tab', { name: /Discussion/ }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => topInView(a.page, '.thread.is-active'), { timeout: 10_000 }).toBe(true);
    // It was below the newer threads: the side panel had to scroll to show it.
    expect(await a.page.locator('.ws-side').evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications, 0 unread');
    expect(new URL(a.page.url()).pathname).toBe(`/cases/${caseId}`);

    // Markup in a comment is shown as text on both sides and never runs.
    await b.page.getByRole('button', { name: 'New comment on the case' }).click();
    await b.page.getByLabel('Your comment').fill(XSS);
    await b.page.getByRole('button', { name: 'Comment', exact: true }).click();
    for (const page of [a.page, b.page]) {
      const shown = page.locator('.thread', { hasText: XSS });
      await expect.poll(() => shown.first().isVisible(), { timeout: 10_000 }).toBe(true);
      expect(await page.locator('.thread img').count()).toBe(0);
    }
    expect(rig().dialogs).toEqual([]);
    expect(rig().dropped).toEqual([]);
  }, 120_000);

  it('B discusses an evidence item from the library; both see the thread on it; it detaches when the item goes', async () => {
    const a = await rig().newPerson('Ana Ruiz', 'oncology');
    const b = await rig().newPerson('Ben Okafor', 'pharmacy');
    const created = await a.page.request.post(`${server!.url}/api/cases`, { data: { title: 'Evidence for the appeal', patientRef: 'PT-5120' } });
    const caseId = ((await created.json()) as { case: { id: string } }).case.id;
    const title = 'KEYNOTE-024: pembrolizumab versus chemotherapy';
    const evidence = await a.page.request.post(`${server!.url}/api/cases/${caseId}/evidence`, { data: { kind: 'trial', title, strength: 'high' } });
    expect(evidence.status()).toBe(201);
    const invited = await a.page.request.post(`${server!.url}/api/cases/${caseId}/members`, { data: { email: b.email, role: 'commenter' } });
    expect(invited.status()).toBe(201);

    // Being added to the case is news until B opens it: then it is read.
    const bBell = b.page.getByRole('button', { name: /^Notifications, \d+ unread$/ });
    await b.page.goto(`${server!.url}/cases`);
    await expect.poll(() => bBell.getAttribute('aria-label'), { timeout: 10_000 }).toBe('Notifications, 1 unread');
    await openCase(a.page, caseId);
    await openCase(b.page, caseId);
    await expect.poll(() => bBell.getAttribute('aria-label'), { timeout: 10_000 }).toBe('Notifications, 0 unread');

    // B, a commenter, starts a thread from the item's card in Records → Evidence.
    await b.page.getByRole('tab', { name: 'Records', exact: true }).click();
    await b.page.getByRole('button', { name: `Discuss ${title}` }).click();
    await expect.poll(() => b.page.getByRole('tab', { name: /Discussion/ }).getAttribute('aria-selected')).toBe('true');
    await b.page.getByRole('heading', { name: 'Comment on an evidence item' }).waitFor();
    await b.page.getByLabel('Your comment').fill('Is there a five-year update of this trial?');
    await b.page.getByRole('button', { name: 'Comment', exact: true }).click();

    // Both see it named after the item, B at once and A live.
    for (const page of [b.page, a.page]) {
      const thread = page.locator('.thread', { hasText: 'five-year update' });
      await expect.poll(() => thread.locator('.thread-where').textContent(), { timeout: 10_000 }).toContain(`On evidence: ${title}`);
    }

    // A's library counts the open thread on the card; the count leads to the thread.
    await a.page.getByRole('tab', { name: 'Records', exact: true }).click();
    const count = a.page.getByRole('button', { name: `1 comment on ${title}: show in Discussion` });
    await count.click();
    await expect.poll(() => a.page.locator('.thread.is-active').innerText()).toContain('five-year update');
    // And the thread leads back to the item.
    await a.page.getByRole('button', { name: 'Show the item in the evidence library' }).click();
    await expect.poll(() => a.page.locator('.evidence-card.selected .record-title').textContent()).toBe(title);

    // A removes the item: the thread stays, detached.
    await a.page.getByRole('button', { name: `Delete ${title}` }).click();
    await a.page.getByRole('button', { name: 'Yes, delete' }).click();
    await a.page.getByText('No evidence yet', { exact: false }).waitFor();
    await expect.poll(() => b.page.locator('.thread', { hasText: 'five-year update' }).locator('.thread-where').textContent(), { timeout: 10_000 }).toContain(
      'On a removed evidence item',
    );
    expect(rig().dropped).toEqual([]);
  }, 120_000);
});
