import { mkdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, expect, it } from 'vitest';
import { utcToZoned } from '../../shared/time.js';
import { describeInBrowser, TEST_PASSWORD } from '../helpers/browser.js';

/**
 * The whole journey in a real browser, in one test (issue 8, item 5): three people of different
 * disciplines sign up; the oncologist creates a case with a resistance entry and adds the
 * pharmacist and the social worker; the oncologist and the pharmacist co-edit the brief; the
 * oncologist comments on a passage mentioning the social worker, who follows the notification and
 * replies; the pharmacist adds evidence; two options are proposed; the owner opens a vote, all
 * three vote, the owner closes it and writes the recommendation, which everyone sees; the owner
 * schedules a conference from a poll of two times, both invitees answer, the owner picks the time,
 * builds the agenda and runs live mode, which the others follow; the Export tab downloads the
 * consensus summary and the patient summary. A full-page screenshot (1280x800) is saved after
 * each step in tests/.artifacts/journey/.
 */

const TITLE = 'browser: the whole journey, from sign-up to exports';
const SHOTS = fileURLToPath(new URL('../.artifacts/journey/', import.meta.url));

const ANA = { name: 'Ana Ruiz', discipline: 'oncology' };
const BEN = { name: 'Ben Okafor', discipline: 'pharmacy' };
const SOFIA = { name: 'Sofia Lindgren', discipline: 'social_work' };
const STAFF = [ANA.name, BEN.name, SOFIA.name];

const CASE_TITLE = 'Second-line immunotherapy denial';
const PATIENT_REF = 'PT-8812';
const RESISTANCE = 'The insurer denied pembrolizumab as not medically necessary.';
const ANA_WORDS = 'Fatigue keeps her from work three days a week.';
const BEN_WORDS = 'KEYNOTE-024 supports first-line use at PD-L1 of 50% or more.';
const COMMENT = 'Can you find out how the fatigue affects her job?';
const REPLY = 'I will call her employer’s occupational health service this week.';
const TRIAL = 'KEYNOTE-024: pembrolizumab versus chemotherapy';
const PEMBRO = 'Pembrolizumab monotherapy';
const CHEMO = 'Carboplatin and pemetrexed';
const QUESTION = 'Which second-line treatment do we recommend?';
const OBJECTION = 'Renal function rules out pemetrexed.';
const RECOMMENDATION = 'The team recommends pembrolizumab monotherapy, with a pneumonitis watch every three weeks.';
const CONFERENCE = 'Thoracic tumour board';
const OUTCOME = 'Recommend pembrolizumab; appeal the denial with the KEYNOTE-024 data.';
/** A date three weeks ahead, as a date input wants it (the browsers run in UTC, like the server). */
const DAY = utcToZoned(new Date(Date.now() + 21 * 86_400_000), 'UTC').date;

/** expect.poll with room for a busy machine: live updates cross a socket and two other pages. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

describeInBrowser(TITLE, (rig) => {
  const contexts: BrowserContext[] = [];

  afterAll(async () => {
    for (const ctx of contexts) await ctx.close().catch(() => undefined);
  });

  it('three colleagues go from sign-up to the exported summaries', async () => {
    const { server, browser } = rig();
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });
    let step = 0;
    /** A full-page screenshot of `page`, numbered in journey order. */
    const shot = async (page: Page, name: string, extra?: Locator) => {
      step += 1;
      // From the top, so that the sticky top bar and toolbar stay where a person sees them.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${SHOTS}${String(step).padStart(2, '0')}-${name}.png`, fullPage: true });
      // A part the full page cannot show (below the fold of the side panel's own scroll): the
      // screen as a person sees it once they scroll there.
      if (extra) {
        await extra.evaluate((el) => el.scrollIntoView({ block: 'start' }));
        await page.screenshot({ path: `${SHOTS}${String(step).padStart(2, '0')}-${name}-detail.png` });
        await page.evaluate(() => window.scrollTo(0, 0));
      }
    };

    const pageErrors: string[] = [];
    const dialogs: string[] = [];
    /** Client warnings about server payloads that failed their shared schema (should stay empty). */
    const dropped: string[] = [];
    /** A fresh browser profile (its own cookies) at desktop size, with page errors surfaced and dialogs recorded. */
    const newProfile = async (): Promise<Page> => {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
      contexts.push(ctx);
      const page = await ctx.newPage();
      page.on('pageerror', (err) => {
        pageErrors.push(err.message);
        console.error('[page error]', err.message);
      });
      page.on('console', (m) => {
        if (m.type() === 'warning' && m.text().includes('dropped')) dropped.push(m.text());
      });
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      return page;
    };
    const stamp = Date.now().toString(36);
    const emailOf = (p: { name: string }) => `${p.name.split(' ')[0]!.toLowerCase()}-${stamp}@example.org`;

    // ---- 1. Three people of different disciplines sign up through the sign-up form. ----
    const [ana, ben, sofia] = await Promise.all([newProfile(), newProfile(), newProfile()]);
    for (const [page, p] of [[ana, ANA], [ben, BEN], [sofia, SOFIA]] as const) {
      await page.goto(`${server.url}/signup`);
      await page.getByLabel('Your name').fill(p.name);
      await page.getByLabel('Your discipline').selectOption(p.discipline);
      await page.getByLabel('Email').fill(emailOf(p));
      await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { name: 'My cases' }).waitFor();
      expect(await page.getByRole('banner').getByRole('link', { name: /your account/i }).innerText()).toContain(p.name);
    }
    await shot(sofia, 'signed-up');

    // ---- 2. The oncologist creates the case through the form, with a resistance entry. ----
    await ana.getByRole('link', { name: 'New case' }).click();
    await ana.getByLabel('Title').fill(CASE_TITLE);
    await ana.getByLabel('Patient reference').fill(PATIENT_REF);
    await ana.getByLabel('Problem').fill('Progression of lung adenocarcinoma after first-line chemotherapy.');
    await ana.getByRole('button', { name: '+ Add resistance' }).click();
    await ana.getByLabel('Source 1').selectOption('insurer');
    await ana.getByLabel('What was said (1)').fill(RESISTANCE);
    for (const discipline of ['Oncology', 'Pharmacy', 'Social work']) await ana.getByLabel(discipline, { exact: true }).check();
    await shot(ana, 'new-case-form');
    await ana.getByRole('button', { name: 'Create case' }).click();
    await ana.getByRole('heading', { name: CASE_TITLE }).waitFor();
    await ana.getByText('Connected', { exact: true }).waitFor();
    await ana.locator('.ProseMirror h2', { hasText: 'Evidence' }).waitFor();
    const caseUrl = ana.url();
    expect(new URL(caseUrl).pathname).toMatch(/^\/cases\/[0-9a-f-]{36}$/);
    // The resistance entry was saved with the case.
    await ana.getByRole('tab', { name: 'Details', exact: true }).click();
    await poll(() => ana.getByRole('tabpanel', { name: 'Details' }).getByLabel('What was said (1)').inputValue()).toBe(RESISTANCE);
    expect(await ana.getByRole('tabpanel', { name: 'Details' }).getByLabel('Source 1').inputValue()).toBe('insurer');
    await shot(ana, 'case-created');

    // ---- 3. The owner adds the pharmacist (editor) and the social worker (commenter) from the Team tab. ----
    await ana.getByRole('tab', { name: /Team/ }).click();
    for (const [p, role, label] of [[BEN, 'editor', 'editor'], [SOFIA, 'commenter', 'commenter']] as const) {
      await ana.getByLabel('Email').fill(emailOf(p));
      await ana.getByLabel('Role', { exact: true }).selectOption(role);
      await ana.getByRole('button', { name: 'Invite' }).click();
      await ana.getByText(`${p.name} joined the team as ${label}.`).waitFor();
    }
    await shot(ana, 'team');

    // Both are told by their bell, and open the case from the notification.
    for (const page of [ben, sofia]) {
      const bell = page.getByRole('button', { name: /^Notifications, \d+ unread$/ });
      await poll(() => bell.getAttribute('aria-label')).toBe('Notifications, 1 unread');
      await bell.click();
      await page.getByRole('button', { name: new RegExp(`${ANA.name} added you to the case`) }).click();
      await page.getByRole('heading', { name: CASE_TITLE }).waitFor();
      await page.getByText('Connected', { exact: true }).waitFor();
      await page.locator('.ProseMirror h2', { hasText: 'Evidence' }).waitFor();
      await poll(() => bell.getAttribute('aria-label')).toBe('Notifications, 0 unread');
    }

    // ---- 4. The oncologist and the pharmacist type in the brief at once and see each other's words. ----
    const caretAtEndOfParagraph = async (page: Page, n: number) => {
      await page.locator('.ProseMirror p').nth(n).click();
      await page.keyboard.press('End');
    };
    await caretAtEndOfParagraph(ana, 0);
    await caretAtEndOfParagraph(ben, 3);
    await Promise.all([ana.keyboard.type(` ${ANA_WORDS}`, { delay: 10 }), ben.keyboard.type(` ${BEN_WORDS}`, { delay: 10 })]);
    const brief = (page: Page) => page.locator('.ProseMirror').innerText();
    for (const page of [ana, ben, sofia]) {
      await poll(() => brief(page)).toContain(ANA_WORDS);
      await poll(() => brief(page)).toContain(BEN_WORDS);
    }
    // The pharmacist's named caret shows in the oncologist's editor.
    const benCaret = ana.locator('.collaboration-carets__caret', { has: ana.locator('.collaboration-carets__label', { hasText: BEN.name }) });
    await poll(() => benCaret.count()).toBe(1);
    await shot(ana, 'brief-co-edited');

    // ---- 5. The oncologist comments on her passage, mentioning the social worker through the autocomplete. ----
    await caretAtEndOfParagraph(ana, 0);
    for (let i = 0; i < ANA_WORDS.length; i++) await ana.keyboard.press('Shift+ArrowLeft');
    await ana.getByRole('button', { name: 'Comment', exact: true }).click();
    const comment = ana.getByLabel('Your comment');
    await comment.click();
    await comment.pressSequentially('@Sof');
    const option = ana.getByRole('option', { name: `@${SOFIA.name}` });
    await poll(() => option.getAttribute('aria-selected')).toBe('true');
    await comment.press('Enter');
    await poll(() => comment.inputValue()).toBe(`@${SOFIA.name} `);
    await comment.pressSequentially(COMMENT);
    await ana.getByRole('button', { name: 'Comment', exact: true }).click();
    await poll(() => ana.locator('.comment-anchor').allInnerTexts()).toEqual([ANA_WORDS]);
    const anaThread = ana.locator('.thread', { hasText: COMMENT });
    await poll(() => anaThread.locator('.mention').allInnerTexts()).toEqual([`@${SOFIA.name}`]);
    await shot(ana, 'comment-with-mention');

    // ---- 6. The social worker's bell counts the mention; she follows it to the thread and replies. ----
    const sofiaBell = sofia.getByRole('button', { name: /^Notifications, \d+ unread$/ });
    await poll(() => sofiaBell.getAttribute('aria-label')).toBe('Notifications, 1 unread');
    await sofiaBell.click();
    await shot(sofia, 'mention-notification');
    await sofia.getByRole('button', { name: new RegExp(`${ANA.name} mentioned you`) }).click();
    const sofiaThread = sofia.locator('.thread.is-active');
    await poll(() => sofiaThread.innerText()).toContain(COMMENT);
    await poll(() => sofiaBell.getAttribute('aria-label')).toBe('Notifications, 0 unread');
    const reply = sofiaThread.getByLabel('Reply', { exact: true });
    await reply.click();
    await reply.pressSequentially(REPLY);
    await sofiaThread.getByRole('button', { name: 'Reply', exact: true }).click();
    // The oncologist sees the reply arrive without reloading.
    await poll(() => anaThread.innerText()).toContain(REPLY);
    await shot(sofia, 'reply');

    // ---- 7. The pharmacist adds the trial to the evidence library. ----
    await ben.getByRole('tab', { name: 'Records', exact: true }).click();
    await ben.getByRole('tab', { name: /^Evidence/ }).click();
    await ben.getByRole('button', { name: '+ Add evidence' }).click();
    const evidenceForm = ben.getByRole('form', { name: 'Add evidence' });
    await evidenceForm.getByLabel('Kind').selectOption('trial');
    await evidenceForm.getByLabel('Strength of evidence').selectOption('high');
    await evidenceForm.getByLabel('Title').fill(TRIAL);
    await evidenceForm.getByLabel('Year').fill('2016');
    await evidenceForm.getByRole('button', { name: 'Add evidence' }).click();
    await ben.getByRole('heading', { name: TRIAL }).waitFor();
    await shot(ben, 'evidence');

    // ---- 8. Two options: the pharmacist proposes one, the oncologist the other; both cite the trial. ----
    const propose = async (page: Page, o: { title: string; benefit: string; risks: string; burden: string }) => {
      await page.getByRole('button', { name: '+ Propose an option' }).click();
      const form = page.getByRole('form', { name: 'Propose an option' });
      await form.getByLabel('Title').fill(o.title);
      await form.getByLabel('Expected benefit').fill(o.benefit);
      await form.getByLabel('Risks').fill(o.risks);
      await form.getByLabel('Burden for the patient').fill(o.burden);
      await form.getByRole('checkbox', { name: TRIAL }).check();
      await form.getByRole('button', { name: 'Propose option' }).click();
      await page.getByRole('heading', { name: o.title, exact: true }).waitFor();
    };
    await ben.getByRole('tab', { name: /^Options/ }).click();
    await propose(ben, {
      title: PEMBRO,
      benefit: 'Longer life with fewer side effects than chemotherapy.',
      risks: 'Immune-related side effects, such as inflamed lungs.',
      burden: 'A drip every three weeks.',
    });
    await ana.getByRole('tab', { name: 'Records', exact: true }).click();
    await ana.getByRole('tab', { name: /^Options/ }).click();
    await ana.getByRole('heading', { name: PEMBRO, exact: true }).waitFor();
    await propose(ana, {
      title: CHEMO,
      benefit: 'Some benefit, with more tiredness.',
      risks: 'Low blood counts and fatigue.',
      burden: 'Four cycles of infusions, with blood tests before each.',
    });
    for (const page of [ana, ben]) {
      await poll(() => page.getByRole('heading', { name: /^Options \(\d+\)$/ }).textContent()).toBe('Options (2)');
    }
    await shot(ana, 'options');

    // ---- 9. The owner opens a vote over both options; all three vote on their own page. ----
    const round = (page: Page): Locator => page.getByRole('article', { name: QUESTION });
    for (const page of [ana, ben, sofia]) {
      await page.getByRole('tab', { name: 'Decide', exact: true }).click();
      await page.getByRole('heading', { name: 'Decide', exact: true }).waitFor();
    }
    await ana.getByRole('button', { name: '+ Open a vote' }).click();
    const openForm = ana.getByRole('form', { name: 'Open a vote' });
    await openForm.getByLabel('Question').fill(QUESTION);
    await openForm.getByRole('checkbox', { name: PEMBRO }).check();
    await openForm.getByRole('checkbox', { name: CHEMO }).check();
    await openForm.getByLabel('Minimum voters').fill('3');
    await openForm.getByRole('button', { name: 'Open the vote' }).click();
    for (const page of [ana, ben, sofia]) await round(page).waitFor();

    const vote = async (page: Page, stances: { option: string; stance: string; rationale?: string }[]) => {
      const form = round(page).getByRole('form', { name: 'Your ballot' });
      for (const s of stances) {
        const group = form.getByRole('group', { name: s.option });
        await group.getByRole('radio', { name: s.stance, exact: true }).check();
        if (s.rationale) await group.getByLabel(/^Rationale/).fill(s.rationale);
      }
      await form.getByRole('button', { name: 'Cast my ballot' }).click();
      await round(page).getByRole('form', { name: 'Change your ballot' }).waitFor();
    };
    await vote(ana, [{ option: PEMBRO, stance: 'Support' }, { option: CHEMO, stance: 'Abstain' }]);
    await vote(ben, [{ option: PEMBRO, stance: 'Support' }, { option: CHEMO, stance: 'Object', rationale: OBJECTION }]);
    await vote(sofia, [
      { option: PEMBRO, stance: 'Support with reservations', rationale: 'She needs transport to the infusion centre.' },
      { option: CHEMO, stance: 'Abstain' },
    ]);
    for (const page of [ana, ben, sofia]) {
      await poll(() => round(page).getByText('Quorum met: 3 of 3 voters').count()).toBe(1);
    }
    await shot(sofia, 'voted', round(sofia));

    // ---- 10. The owner closes the vote and writes the recommendation; everyone sees it. ----
    await round(ana).getByRole('button', { name: 'Close vote' }).click();
    await round(ana).getByRole('button', { name: 'Yes, close the vote' }).click();
    await round(ana).getByText(`Decided: ${PEMBRO}`).waitFor();
    const recForm = round(ana).getByRole('form', { name: 'Write the recommendation' });
    await recForm.getByLabel('Recommendation').fill(RECOMMENDATION);
    await recForm.getByRole('button', { name: 'Record the recommendation' }).click();
    for (const page of [ana, ben, sofia]) {
      await round(page).getByRole('heading', { name: `Recommendation: ${PEMBRO}` }).waitFor();
      await round(page).getByText(RECOMMENDATION).waitFor();
    }
    await shot(ana, 'recommendation-owner', round(ana));
    await shot(ben, 'recommendation-pharmacist');

    // ---- 11. The owner opens a poll with two times for a tumour board; both invitees answer. ----
    await ana.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Conferences' }).click();
    await ana.getByRole('heading', { name: 'Conferences', exact: true }).waitFor();
    await ana.getByRole('link', { name: 'New conference' }).click();
    const confForm = ana.getByRole('form', { name: 'New conference' });
    await confForm.getByLabel('Title').fill(CONFERENCE);
    await confForm.getByRole('radio', { name: 'Find a time (poll)' }).check();
    for (const [n, s] of [{ start: '08:00', end: '09:00' }, { start: '14:00', end: '15:00' }].entries()) {
      await confForm.locator(`#slot-${n}-date`).fill(DAY);
      await confForm.locator(`#slot-${n}-start`).fill(s.start);
      await confForm.locator(`#slot-${n}-end`).fill(s.end);
    }
    await confForm.getByRole('checkbox', { name: new RegExp(BEN.name) }).check();
    await confForm.getByRole('checkbox', { name: new RegExp(SOFIA.name) }).check();
    await shot(ana, 'poll-form');
    await confForm.getByRole('button', { name: 'Open the poll' }).click();
    await ana.getByRole('heading', { name: CONFERENCE, level: 1 }).waitFor();
    const findATime = (page: Page) => page.getByRole('region', { name: 'Find a time' });
    await findATime(ana).getByText(`Waiting for: ${BEN.name}, ${SOFIA.name}.`).waitFor();
    const conferenceUrl = ana.url();
    expect(conferenceUrl).toMatch(/\/conferences\/[0-9a-f-]{36}$/);

    const slotRow = (page: Page, n: number): Locator => findATime(page).getByRole('row', { name: `Time ${n}` });
    const answer = async (page: Page, answers: string[]) => {
      for (const [n, a] of answers.entries()) await slotRow(page, n + 1).getByRole('radio', { name: a, exact: true }).check();
      await page.getByRole('button', { name: 'Save my answers' }).click();
      await page.getByText('Your answers were saved.').waitFor();
    };
    // The invitees find the poll from their bell, as people would.
    for (const [page, answers] of [[ben, ['No', 'Yes']], [sofia, ['If need be', 'Yes']]] as const) {
      const bell = page.getByRole('button', { name: /^Notifications, \d+ unread$/ });
      await poll(() => bell.getAttribute('aria-label')).not.toBe('Notifications, 0 unread');
      await bell.click();
      await page.getByRole('button', { name: new RegExp(`${ANA.name} asks when you can meet`) }).click();
      await page.getByRole('heading', { name: CONFERENCE, level: 1 }).waitFor();
      expect(page.url()).toBe(conferenceUrl);
      await answer(page, [...answers]);
    }
    await shot(sofia, 'poll-answered');

    // ---- 12. The organizer sees the best time, picks it, and builds the agenda. ----
    await poll(() => slotRow(ana, 2).getAttribute('aria-current')).toBe('true');
    await poll(() => slotRow(ana, 2).textContent()).toContain('Best so far');
    await ana.getByText('Everyone invited has answered.').waitFor();
    await shot(ana, 'poll-results');
    await slotRow(ana, 2).getByRole('button', { name: 'Pick time 2' }).click();
    await ana.getByRole('button', { name: 'Yes, pick it' }).click();
    await ana.locator('.conf-head').getByText('Scheduled', { exact: true }).waitFor();
    await ben.getByRole('heading', { name: 'Will you attend?' }).waitFor();

    // API shortcut: the readiness checklist is completed through the API, so that the case is
    // proposed for the agenda. Not a step of this journey; its UI is covered in records.test.ts.
    const caseId = new URL(caseUrl).pathname.split('/').pop()!;
    const readiness = (await (await ana.request.get(`${server.url}/api/cases/${caseId}/readiness`)).json()) as { items: { id: string; key: string | null; required: boolean }[] };
    for (const item of readiness.items.filter((i) => i.required)) {
      const data = item.key === 'patient_views' ? { state: 'complete', recordedBy: SOFIA.name, metOn: utcToZoned(new Date(Date.now() - 2 * 86_400_000), 'UTC').date } : { state: 'complete' };
      const res = await ana.request.patch(`${server.url}/api/cases/${caseId}/readiness/${item.id}`, { data });
      expect(res.status()).toBe(200);
    }

    const agenda = ana.getByRole('region', { name: 'Agenda' });
    await agenda.getByRole('button', { name: 'Build the agenda' }).click();
    const agendaEditor = agenda.getByRole('form', { name: 'Change the agenda' });
    await agendaEditor.getByRole('list', { name: 'Cases on the agenda, in order' }).getByText(CASE_TITLE).waitFor();
    await agendaEditor.getByRole('button', { name: 'Save the agenda' }).click();
    await agenda.getByRole('list', { name: 'Agenda' }).getByRole('link', { name: CASE_TITLE }).waitFor();
    await sofia.getByRole('list', { name: 'Agenda' }).getByRole('link', { name: CASE_TITLE }).waitFor();
    await shot(ana, 'conference-scheduled');

    // ---- 13. Live mode: the chair starts it; the others follow; attendance and the outcome are recorded. ----
    await ana.getByRole('button', { name: 'Start live mode' }).click();
    await ana.getByRole('heading', { name: 'Now discussing' }).waitFor();
    await poll(() => ana.locator('.live-case-title').textContent()).toBe(CASE_TITLE);
    for (const page of [ben, sofia]) {
      await page.getByRole('link', { name: 'Follow the meeting live' }).click();
      await page.getByRole('heading', { name: 'Now discussing' }).waitFor();
      await poll(() => page.locator('.live-case-title').textContent()).toBe(CASE_TITLE);
      expect(await page.getByRole('group', { name: 'Chair controls' }).count()).toBe(0);
    }
    for (const p of [ANA, BEN, SOFIA]) await ana.getByRole('checkbox', { name: p.name }).check();
    const outcome = ana.getByRole('form', { name: `Outcome for ${CASE_TITLE}` });
    await outcome.getByLabel('Outcome').fill(OUTCOME);
    await outcome.getByRole('button').click();
    for (const page of [ben, sofia]) {
      await poll(() => page.getByRole('region', { name: 'Attendance' }).textContent()).toContain(`${SOFIA.name} · present`);
      await poll(() => page.getByText(OUTCOME).count()).toBeGreaterThan(0);
    }
    await shot(ana, 'live-chair');
    await shot(ben, 'live-follower');
    await ana.getByRole('button', { name: 'Finish this case' }).click();
    await ana.getByRole('heading', { name: 'All cases discussed' }).waitFor();
    await ana.getByRole('button', { name: 'End meeting' }).click();
    await ana.getByRole('button', { name: 'Yes, end it' }).click();
    for (const page of [ana, ben, sofia]) await page.getByRole('heading', { name: 'Meeting ended' }).waitFor();
    await shot(sofia, 'live-ended');

    // ---- 14. The Export tab downloads the consensus summary and the patient summary. ----
    await ana.goto(caseUrl);
    await ana.getByText('Connected', { exact: true }).waitFor();
    await ana.getByRole('tab', { name: 'Export', exact: true }).click();
    const panel = ana.getByRole('tabpanel', { name: 'Export' });
    const preview = panel.getByRole('article', { name: /^Preview: / });
    const download = async (): Promise<{ text: string; filename: string }> => {
      const [file] = await Promise.all([ana.waitForEvent('download'), panel.getByRole('button', { name: 'Download', exact: true }).click()]);
      return { text: await readFile((await file.path())!, 'utf8'), filename: file.suggestedFilename() };
    };

    await panel.locator('.export-decision').getByText('Decided', { exact: true }).waitFor();
    await panel.getByRole('radio', { name: /Consensus summary/ }).check();
    await preview.getByText(RECOMMENDATION).waitFor();
    await panel.getByRole('radio', { name: 'Markdown', exact: true }).check();
    const consensus = await download();
    expect(consensus.filename).toBe(`consilium-${PATIENT_REF}-consensus-summary.md`);
    expect(consensus.text).toContain(CASE_TITLE);
    expect(consensus.text).toContain(PEMBRO);
    expect(consensus.text).toContain(RECOMMENDATION);
    expect(consensus.text).toContain(OBJECTION);
    expect(consensus.text).not.toContain('DRAFT');
    await panel.getByText(/Downloaded consilium-.*-consensus-summary\.md/).waitFor();
    await shot(ana, 'export-consensus', preview);

    await panel.getByRole('radio', { name: /Patient summary/ }).check();
    await poll(() => preview.getAttribute('aria-label')).toBe('Preview: Your care plan');
    await preview.getByText(`Your care team recommends: ${PEMBRO}.`).waitFor();
    await panel.getByRole('radio', { name: 'Markdown', exact: true }).check();
    const patient = await download();
    expect(patient.filename).toBe(`consilium-${PATIENT_REF}-patient-summary.md`);
    expect(patient.text).toContain(`Your care team recommends: ${PEMBRO}.`);
    expect(patient.text).toContain(PATIENT_REF);
    expect(patient.text).not.toContain('DRAFT');
    // Plain language for the patient: no staff names, no internal dissent.
    for (const name of STAFF) {
      for (const part of name.split(' ')) expect(patient.text, `the patient summary names ${name}`).not.toContain(part);
    }
    expect(patient.text).not.toContain(OBJECTION);
    await shot(ana, 'export-patient', preview);

    expect(pageErrors).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(dropped).toEqual([]);
  }, 240_000);
});
