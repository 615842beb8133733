import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, TEST_PASSWORD } from '../helpers/browser.js';
import type { TestServer } from '../helpers/server.js';

/**
 * The account screen in a real browser. Sign-up names a refused password beside the password
 * field; the person opens their account from the name in the top bar and, with the keyboard,
 * changes their password: a wrong current password, a common new one and a mistyped repeat are
 * each marked on the right field, then a good change says so and empties the form. The same
 * person signed in on a second browser is signed out by the change (its next request gets 401
 * and it shows the sign-in screen); this browser stays signed in (its live connection comes
 * back), and after signing out only the new password signs in. ACCOUNT_SHOTS=<dir> saves screenshots at 1280x800, 820x1180 and 390x844.
 */

const TITLE = 'browser: the account screen changes the password';
const NAME = 'Dana Whitfield';
const NEW_PASSWORD = 'lantern orchard quietly 42';
const CHANGED = 'Password changed. You were signed out on your other devices.';

describeInBrowser(TITLE, (rig) => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const email = `dana-${randomUUID().slice(0, 8)}@example.org`;
  /** The browser the person changes their password in. */
  let page: Page;

  beforeAll(() => {
    ({ server, browser } = rig());
  });

  afterAll(async () => {
    for (const ctx of contexts) await ctx.close().catch(() => undefined);
  });

  /** A fresh browser profile (its own cookies) at desktop size, with page errors surfaced. */
  async function newProfile(): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(ctx);
    const p = await ctx.newPage();
    p.on('pageerror', (err) => console.error('[page error]', err.message));
    return p;
  }

  /** The field's control is marked invalid and described by `message` (its error, next to it). */
  async function expectFieldError(control: Locator, message: string): Promise<void> {
    await expect.poll(() => control.getAttribute('aria-invalid')).toBe('true');
    const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
    const descriptions = await Promise.all(ids.map((id) => control.page().locator(`[id="${id}"]`).innerText()));
    expect(descriptions).toContain(message);
    expect(await control.page().getByText(message, { exact: true }).isVisible()).toBe(true);
  }

  const focusedId = (p: Page) => p.evaluate(() => document.activeElement?.id ?? '');

  /** Screenshots of the current screen at desktop, tablet and phone sizes, when ACCOUNT_SHOTS names a folder. */
  async function shot(p: Page, name: string): Promise<void> {
    const dir = process.env.ACCOUNT_SHOTS;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    for (const [w, h] of [[1280, 800], [820, 1180], [390, 844]] as const) {
      await p.setViewportSize({ width: w, height: h });
      await p.screenshot({ path: `${dir}/account-${name}-${w}.png`, fullPage: true });
    }
    await p.setViewportSize({ width: 1280, height: 800 });
  }

  it('sign-up names a refused password beside the password field', async () => {
    page = await newProfile();
    await page.goto(`${server.url}/signup`);
    await page.getByLabel('Your name').fill(NAME);
    await page.getByLabel('Your discipline').selectOption('social_work');
    await page.getByLabel('Email').fill(email);
    const password = page.getByLabel('Password', { exact: true });
    await password.fill('password123');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expectFieldError(password, 'Password is one of the most common passwords; choose another.');
    await shot(page, 'signup-refused');

    await password.fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'My cases' }).waitFor();
  }, 60_000);

  it('changes the password with the keyboard, field by field, and signs out the other browser', async () => {
    // The same person, already signed in on a second browser (on their account screen).
    const other = await newProfile();
    const signIn = await other.request.post(`${server.url}/api/auth/signin`, { data: { email, password: TEST_PASSWORD } });
    expect(signIn.status()).toBe(200);
    await other.goto(`${server.url}/account`);
    await other.getByRole('heading', { name: 'Your account' }).waitFor();

    // The top bar's name block is the way to the account screen.
    const accountLink = page.getByRole('banner').getByRole('link', { name: /your account/i });
    expect(await accountLink.innerText()).toContain(NAME);
    if (process.env.ACCOUNT_SHOTS) {
      await page.getByRole('button', { name: /^Notifications/ }).focus();
      await page.keyboard.press('Tab'); // from the keyboard, so that the focus ring shows
      expect(await accountLink.evaluate((el) => el === document.activeElement)).toBe(true);
      await page.screenshot({ path: `${process.env.ACCOUNT_SHOTS}/account-topbar-focus.png`, clip: { x: 0, y: 0, width: 1280, height: 80 } });
      await accountLink.hover();
      await page.screenshot({ path: `${process.env.ACCOUNT_SHOTS}/account-topbar-hover.png`, clip: { x: 0, y: 0, width: 1280, height: 80 } });
    }
    await accountLink.click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/account');
    expect(await accountLink.getAttribute('aria-current')).toBe('page');
    await expect.poll(() => page.title()).toBe('Your account · Consilium');
    const profile = page.getByRole('region', { name: 'Profile' });
    expect(await profile.getByRole('definition').allInnerTexts()).toEqual([NAME, email, 'Social work']);

    const current = page.getByLabel('Current password', { exact: true });
    const fresh = page.getByLabel('New password', { exact: true });
    const repeat = page.getByLabel('Repeat new password', { exact: true });
    expect(await current.getAttribute('autocomplete')).toBe('current-password');
    expect(await fresh.getAttribute('autocomplete')).toBe('new-password');
    expect(await repeat.getAttribute('autocomplete')).toBe('new-password');
    const hint = 'At least 10 characters; not a common password.';
    expect(await page.locator(`[id="${(await fresh.getAttribute('aria-describedby'))!}"]`).innerText()).toBe(hint);

    const sent: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/me/password') sent.push(r.method());
    });

    // Keyboard only: focus is on the heading; Tab walks the three fields, Enter submits.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('account-current-password');
    await page.keyboard.type('not my password at all');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('account-new-password');
    await page.keyboard.type(NEW_PASSWORD);
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('account-repeat-password');
    await page.keyboard.type(NEW_PASSWORD);
    await page.keyboard.press('Enter');
    await expectFieldError(current, 'Current password does not match your password.');
    await expect.poll(() => focusedId(page)).toBe('account-current-password');
    expect(await page.locator('form').getByRole('alert').innerText()).toBe('Please correct the field marked below.');
    expect(sent).toHaveLength(1);
    await shot(page, 'wrong-current');

    // A common new password: the server says why, beside the new password.
    await current.fill(TEST_PASSWORD);
    await fresh.fill('password123');
    await repeat.fill('password123');
    await repeat.press('Enter');
    await expectFieldError(fresh, 'New password is one of the most common passwords; choose another.');
    expect(await current.getAttribute('aria-invalid')).toBeNull();
    expect(sent).toHaveLength(2);

    // A mistyped repeat is caught in the browser: nothing is sent.
    await fresh.fill(NEW_PASSWORD);
    await repeat.fill(`${NEW_PASSWORD}3`);
    await repeat.press('Enter');
    await expectFieldError(repeat, 'The two new passwords do not match.');
    expect(await fresh.getAttribute('aria-invalid')).toBeNull();
    expect(sent).toHaveLength(2);
    await shot(page, 'mismatch');

    // A good change; the answer is held back a moment so the busy state can be seen.
    await repeat.fill(NEW_PASSWORD);
    expect(await repeat.getAttribute('aria-invalid')).toBeNull();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/me/password', async (route) => {
      await held;
      await route.continue();
    });
    const submit = page.getByRole('button', { name: /Change password|Changing password/ });
    await submit.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => submit.innerText()).toBe('Changing password…');
    expect(await submit.getAttribute('aria-disabled')).toBe('true');
    await page.keyboard.press('Enter'); // a second press while busy sends nothing more
    release();
    const status = page.getByRole('status').filter({ hasText: CHANGED });
    await status.waitFor();
    await page.unroute('**/api/me/password');
    expect(sent).toHaveLength(3);
    expect(await submit.innerText()).toBe('Change password');
    expect(await submit.getAttribute('aria-disabled')).toBeNull();
    // Focus stayed on the button through the busy state instead of falling back to the page.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Change password');
    expect([await current.inputValue(), await fresh.inputValue(), await repeat.inputValue()]).toEqual(['', '', '']);
    expect(await page.locator('form [role="alert"]').textContent()).toBe('');
    await shot(page, 'changed');

    // The other browser's session has ended: its next request gets 401 and it shows sign-in.
    expect((await other.request.get(`${server.url}/api/me`)).status()).toBe(401);
    await other.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My cases' }).click();
    await other.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(other.url()).pathname).toBe('/signin');

    // This browser got a new session with the change and stays signed in; its live connection,
    // closed by the server with the old session, is back: a teammate adding the person to a case
    // rings the bell without a reload.
    expect((await page.request.get(`${server.url}/api/me`)).status()).toBe(200);
    const bell = page.getByRole('button', { name: /^Notifications, \d+ unread$/ });
    expect(await bell.getAttribute('aria-label')).toBe('Notifications, 0 unread');
    const ben = await rig().newPerson('Ben Okafor', 'pharmacy');
    const created = await ben.page.request.post(`${server.url}/api/cases`, { data: { title: 'Home care after discharge', patientRef: 'PT-2207' } });
    expect(created.status()).toBe(201);
    const caseId = ((await created.json()) as { case: { id: string } }).case.id;
    const added = await ben.page.request.post(`${server.url}/api/cases/${caseId}/members`, { data: { email, role: 'editor' } });
    expect(added.status()).toBe(201);
    await expect.poll(() => bell.getAttribute('aria-label'), { timeout: 10_000 }).toBe('Notifications, 1 unread');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My cases' }).click();
    await page.getByRole('heading', { name: 'My cases' }).waitFor();

    // Sign out; the old password no longer signs in, the new one does.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // (The sign-in form words this one without the field's name: Field.sentence names it only before "is", "must"….)
    await expectFieldError(page.getByLabel('Password'), 'Password does not match this email.');
    await page.getByLabel('Password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My cases' }).waitFor();
    expect(await page.getByRole('banner').getByRole('link', { name: /your account/i }).innerText()).toContain(NAME);
  }, 90_000);
});
