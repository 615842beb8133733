import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { whenText } from '../../client/src/lib/conferenceTime.js';
import { utcToZoned, zonedToUtc } from '../../shared/time.js';
import { describeInBrowser } from '../helpers/browser.js';
import type { TestServer } from '../helpers/server.js';

/**
 * Conferences in a real browser: the organizer opens a poll with two times through the form;
 * two invitees answer on their own pages (one reads the times in New York); the organizer sees
 * the best time marked, picks it and downloads the .ics; builds the agenda of two ready cases;
 * starts live mode and moves to the second case, which the invitee following the live view sees
 * as current without reloading. CONF_SHOTS=<dir> saves screenshots at 1280x800 and 768x1024.
 */

const TITLE = 'browser: conferences';
const CONFERENCE = 'Thoracic tumour board';
const CASES = ['Second-line therapy after progression', 'Palliative radiotherapy for bone pain'];
/** A case whose readiness checklist is not complete: on an agenda only by the chair's override. */
const UNREADY = 'Hospice referral, family disagrees';
const ORGANIZER_ZONE = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

/** A date three weeks ahead, as a date input wants it. */
const day = utcToZoned(new Date(Date.now() + 21 * 86_400_000), 'UTC').date;
const SLOTS = [
  { start: '08:00', end: '09:00' },
  { start: '14:00', end: '15:00' },
];
const instant = (time: string) => zonedToUtc(`${day}T${time}`, ORGANIZER_ZONE);

describeInBrowser(TITLE, (rig) => {
  let server: TestServer;
  let organizer: Page;
  let ann: Page;
  let ben: Page;
  let conferenceUrl: string;

  beforeAll(async () => {
    ({ server } = rig());
    const o = await rig().newPerson('Olga Organizer', 'oncology');
    const a = await rig().newPerson('Ann Newyork', 'pharmacy', { timezoneId: NEW_YORK });
    const b = await rig().newPerson('Ben Okafor', 'nursing');
    [organizer, ann, ben] = [o.page, a.page, b.page];
    for (const title of CASES) {
      const created = await organizer.request.post(`${server.url}/api/cases`, { data: { title, patientRef: 'PT-4410' } });
      expect(created.status()).toBe(201);
      const caseId = ((await created.json()) as { case: { id: string } }).case.id;
      for (const [person, role] of [[a, 'editor'], [b, 'commenter']] as const) {
        expect((await organizer.request.post(`${server.url}/api/cases/${caseId}/members`, { data: { email: person.email, role } })).status()).toBe(201);
      }
      // Ready for conference: every required readiness item complete.
      const list = (await (await organizer.request.get(`${server.url}/api/cases/${caseId}/readiness`)).json()) as { items: { id: string; key: string | null }[] };
      for (const item of list.items) {
        const data = item.key === 'patient_views' ? { state: 'complete', recordedBy: 'Erik Lindqvist, RN', metOn: '2026-01-05' } : { state: 'complete' };
        expect((await organizer.request.patch(`${server.url}/api/cases/${caseId}/readiness/${item.id}`, { data })).status()).toBe(200);
      }
    }
    expect((await organizer.request.post(`${server.url}/api/cases`, { data: { title: UNREADY, patientRef: 'PT-4411' } })).status()).toBe(201);
  }, 120_000);

  const slotRow = (page: Page, n: number): Locator => page.getByRole('region', { name: 'Find a time' }).getByRole('row', { name: `Time ${n}` });
  const shot = async (page: Page, name: string) => {
    const dir = process.env.CONF_SHOTS;
    if (!dir) return;
    await page.evaluate(() => window.scrollTo(0, 0));
    for (const [w, h] of [[1280, 800], [768, 1024]] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.screenshot({ path: `${dir}/conf-${name}-${w}.png`, fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  };

  /** Answers each slot of the poll on one person's page and saves. */
  async function answer(page: Page, answers: string[]): Promise<void> {
    for (const [n, a] of answers.entries()) await slotRow(page, n + 1).getByRole('radio', { name: a, exact: true }).check();
    await page.getByRole('button', { name: 'Save my answers' }).click();
    await page.getByText('Your answers were saved.').waitFor();
  }

  it('the organizer opens a poll with two times through the form', async () => {
    await organizer.goto(`${server.url}/conferences`);
    await organizer.getByRole('heading', { name: 'Conferences', exact: true }).waitFor();
    await organizer.getByText('No upcoming conferences').waitFor();
    await organizer.getByRole('link', { name: 'New conference' }).click();
    const form = organizer.getByRole('form', { name: 'New conference' });
    await form.getByLabel('Time zone').selectOption(ORGANIZER_ZONE);
    await form.getByRole('radio', { name: 'Find a time (poll)' }).check();
    // The shared schema speaks before anything is sent.
    await form.getByRole('button', { name: 'Open the poll' }).click();
    await form.getByText('Title is required.').waitFor();
    await form.getByLabel('Title').fill(CONFERENCE);
    for (const [n, s] of SLOTS.entries()) {
      await form.locator(`#slot-${n}-date`).fill(day);
      await form.locator(`#slot-${n}-start`).fill(s.start);
      await form.locator(`#slot-${n}-end`).fill(s.end);
    }
    await form.getByRole('checkbox', { name: /Ann Newyork/ }).check();
    await form.getByRole('checkbox', { name: /Ben Okafor/ }).check();
    await form.getByText('Build the agenda once a time is chosen from the poll.').waitFor();
    await form.getByRole('button', { name: 'Open the poll' }).click();
    await organizer.getByRole('heading', { name: CONFERENCE, level: 1 }).waitFor();
    await organizer.getByRole('region', { name: 'Find a time' }).getByText('Waiting for: Ann Newyork, Ben Okafor.').waitFor();
    conferenceUrl = organizer.url();
    expect(conferenceUrl).toMatch(/\/conferences\/[0-9a-f-]{36}$/);
  });

  it('each invitee answers on their own page; the one in New York reads the times in her zone', async () => {
    await ann.goto(conferenceUrl);
    // Ann's own clock first, with the organizer's wall clock beside it.
    const inNewYork = whenText(instant(SLOTS[1]!.start), instant(SLOTS[1]!.end), NEW_YORK);
    expect(inNewYork).toMatch(/^\w{3}, \d{1,2} \w{3} \d{4}, 0[789]:00–(0[89]|10):00 GMT-[45]$/);
    await expect.poll(() => slotRow(ann, 2).textContent()).toContain(inNewYork);
    await expect.poll(() => slotRow(ann, 2).textContent()).toMatch(/14:00–15:00 CES?T in Europe\/Berlin/);
    await answer(ann, ['No', 'Yes']);
    await shot(ann, 'poll-newyork');

    await ben.goto(conferenceUrl);
    await answer(ben, ['If need be', 'Yes']);

    // The organizer's page follows both answers live and marks the best time.
    await expect.poll(() => slotRow(organizer, 2).getAttribute('aria-current')).toBe('true');
    await expect.poll(() => slotRow(organizer, 2).textContent()).toContain('Best so far');
    await expect.poll(() => slotRow(organizer, 2).textContent()).toContain('2 yes');
    expect(await slotRow(organizer, 1).getAttribute('aria-current')).toBeNull();
    await organizer.getByText('Everyone invited has answered.').waitFor();
    await shot(organizer, 'poll');
  });

  it('the organizer picks the best time and downloads the .ics', async () => {
    await slotRow(organizer, 2).getByRole('button', { name: 'Pick time 2' }).click();
    await organizer.getByRole('button', { name: 'Yes, pick it' }).click();
    await organizer.locator('.conf-head').getByText('Scheduled', { exact: true }).waitFor();
    // Ann said yes to that time, so she is counted as attending; her page follows.
    await ann.getByRole('heading', { name: 'Will you attend?' }).waitFor();
    await expect.poll(() => ann.getByRole('button', { name: 'Accept' }).getAttribute('aria-pressed')).toBe('true');

    const [download] = await Promise.all([organizer.waitForEvent('download'), organizer.getByRole('link', { name: 'Download .ics' }).click()]);
    const ics = await readFile((await download.path())!, 'utf8');
    expect(ics.startsWith('BEGIN:VCALENDAR')).toBe(true);
    expect(ics).toContain(`SUMMARY:${CONFERENCE}`);
    expect(download.suggestedFilename()).toMatch(/\.ics$/);
  });

  it('the organizer builds the agenda from the two ready cases', async () => {
    const agenda = organizer.getByRole('region', { name: 'Agenda' });
    await agenda.getByRole('button', { name: 'Build the agenda' }).click();
    const editor = agenda.getByRole('form', { name: 'Change the agenda' });
    const proposed = editor.getByRole('list', { name: 'Cases on the agenda, in order' });
    for (const title of CASES) await proposed.getByText(title).waitFor();
    // Proposed by title; the organizer wants the second-line question first.
    await editor.getByRole('button', { name: `Move ${CASES[0]} up` }).click();
    await expect.poll(async () => (await proposed.locator('.agenda-item-title strong').allTextContents()).join(' | ')).toBe(CASES.join(' | '));
    await editor.getByRole('spinbutton', { name: `Minutes for ${CASES[1]}` }).fill('15');
    await editor.getByRole('button', { name: 'Save the agenda' }).click();
    const saved = agenda.getByRole('list', { name: 'Agenda' });
    await expect.poll(async () => (await saved.getByRole('link').allTextContents()).join(' | ')).toBe(CASES.join(' | '));
    await agenda.getByText('2 cases, 25 min planned of 1 h.').waitFor();
    // Ben is on both cases: he sees the same agenda.
    await ben.getByRole('list', { name: 'Agenda' }).getByRole('link', { name: CASES[1] }).waitFor();
    await shot(organizer, 'page');
  });

  it('the chair starts live mode and moves on; the invitee following sees it without reloading', async () => {
    await organizer.getByRole('button', { name: 'Start live mode' }).click();
    await organizer.getByRole('heading', { name: 'Now discussing' }).waitFor();
    await expect.poll(() => organizer.locator('.live-case-title').textContent()).toBe(CASES[0]);

    // Ben follows from the conference page; a marker proves the page is never reloaded.
    await ben.getByRole('link', { name: 'Follow the meeting live' }).click();
    await ben.getByRole('heading', { name: 'Now discussing' }).waitFor();
    await expect.poll(() => ben.locator('.live-case-title').textContent()).toBe(CASES[0]);
    await ben.evaluate(() => Object.assign(window, { stillTheSamePage: true }));
    // Followers get no chair controls.
    expect(await ben.getByRole('button', { name: 'Next case' }).count()).toBe(0);

    await organizer.getByRole('checkbox', { name: 'Ben Okafor' }).check();
    await organizer.getByRole('button', { name: 'Next case' }).click();
    await expect.poll(() => organizer.locator('.live-case-title').textContent()).toBe(CASES[1]);
    await expect.poll(() => ben.locator('.live-case-title').textContent()).toBe(CASES[1]);
    const current = ben.getByRole('listitem').filter({ has: ben.getByText('Now', { exact: true }) });
    await expect.poll(() => current.textContent()).toContain(CASES[1]);
    await expect.poll(() => ben.getByRole('region', { name: 'Attendance' }).textContent()).toContain('Ben Okafor · present');
    expect(await ben.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
    await shot(organizer, 'live-chair');
    // Past its 15 minutes the timer says so, in words as well as in colour.
    await ben.clock.install();
    await ben.clock.fastForward('16:00');
    await ben.getByText(/^Over time by 1:0\d \(15 min allotted\)$/).waitFor();
    await shot(ben, 'live-follower');
  });

  it("the case's Conferences tab and the case list lead to the meeting", async () => {
    await ben.goto(`${server.url}/cases`);
    const next = ben.getByRole('region', { name: 'My next conferences' });
    await next.getByRole('link', { name: CONFERENCE }).waitFor();
    await expect.poll(() => next.textContent()).toContain('Live now');
    await shot(ben, 'case-list');
    await ben.getByRole('link', { name: CASES[1] }).first().click();
    await ben.getByRole('tab', { name: 'Conferences', exact: true }).click();
    // The eight tabs still fit on one row at 1280 pixels.
    const tops = await ben.getByRole('tablist', { name: 'Case panel' }).getByRole('tab').evaluateAll((tabs) => tabs.map((t) => t.getBoundingClientRect().top));
    expect(tops).toHaveLength(8);
    expect(new Set(tops).size).toBe(1);
    const tab = ben.getByRole('region', { name: 'Conferences' });
    await tab.getByRole('list', { name: 'Upcoming conferences with this case' }).getByRole('link', { name: CONFERENCE }).waitFor();
    await shot(ben, 'case-tab');
    // The live view's "Vote (Decide)" link opens the case on its Decide tab.
    await ben.goto(`${conferenceUrl}/live`);
    await ben.getByRole('link', { name: 'Vote (Decide)' }).click();
    await expect.poll(() => ben.getByRole('tab', { name: 'Decide', exact: true }).getAttribute('aria-selected')).toBe('true');
    expect(new URL(ben.url()).search).toBe('');
  });

  it('a new conference at the same time warns of the conflict while it is drafted, and proposes the ready cases', async () => {
    await organizer.goto(`${server.url}/conferences/new`);
    const form = organizer.getByRole('form', { name: 'New conference' });
    await form.getByLabel('Title').fill('Family meeting');
    await form.getByLabel('Kind').selectOption('family_meeting');
    await form.getByLabel('Time zone').selectOption(ORGANIZER_ZONE);
    await form.getByLabel('Date', { exact: true }).fill(day);
    await form.getByLabel('Start', { exact: true }).fill('14:30');
    await form.getByLabel('End', { exact: true }).fill('15:00');
    await form.getByRole('checkbox', { name: /Ann Newyork/ }).check();
    const conflicts = form.getByRole('group', { name: 'Conflicts at this time' });
    await expect.poll(() => conflicts.textContent()).toContain(`Ann Newyork has another conference at that time: “${CONFERENCE}”`);
    // Both ready cases are proposed: 20 minutes of a 30-minute meeting.
    const agenda = form.getByRole('list', { name: 'Cases on the agenda, in order' });
    for (const title of CASES) await agenda.getByText(title).waitFor();
    await form.getByText('Planned 20 min of a 30 min meeting').waitFor();
    await form.getByRole('spinbutton', { name: `Minutes for ${CASES[0]}` }).fill('25');
    await form.getByText('Planned 35 min of a 30 min meeting: 5 min too long').waitFor();
    // A case that is not ready can be added only with the override ticked, its reason shown.
    const others = form.getByRole('list', { name: 'Other cases you can add' });
    await others.getByText('Not ready: 0 of 7 required items complete').waitFor();
    const add = others.getByRole('button', { name: `Add ${UNREADY} to the agenda although it is not ready` });
    expect(await add.isDisabled()).toBe(true);
    await others.getByRole('checkbox', { name: 'Override: add it anyway' }).check();
    await add.click();
    const override = agenda.getByRole('checkbox', { name: "Discuss it although it is not ready (chair's override)" });
    expect(await override.isChecked()).toBe(true);
    // Unticked again, the server refuses it and says so beside the box.
    await override.uncheck();
    await form.getByRole('button', { name: 'Schedule the conference' }).click();
    await agenda.getByText('The override is needed to add a case that is not ready.').waitFor();
    await expect.poll(() => override.evaluate((el) => el === document.activeElement)).toBe(true);
    await agenda.getByRole('button', { name: `Remove ${UNREADY} from the agenda` }).click();
    await form.getByRole('radio', { name: 'Repeats weekly' }).check();
    await form.getByText(/^Every week on \w+day, 12 meetings$/).waitFor();
    await shot(organizer, 'form');
    await organizer.goto(`${server.url}/conferences`);
    await organizer.getByRole('list', { name: 'Upcoming conferences, soonest first' }).getByRole('link', { name: CONFERENCE }).waitFor();
    await shot(organizer, 'list');
    expect(rig().dropped).toEqual([]);
    expect(rig().dialogs).toEqual([]);
  });
});
