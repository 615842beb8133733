import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeInBrowser } from '../helpers/browser.js';
import type { TestServer } from '../helpers/server.js';

/**
 * Exports and the quality report in a real browser. Before the decision the Export tab says why
 * the consensus summary waits and that the drafts are marked; the owner then casts a ballot,
 * closes the vote and writes the recommendation through the Decide tab; the Export tab previews
 * the consensus summary with the recommendation, downloads the PDF (a real %PDF-) and the FHIR
 * Bundle (a document Bundle) with the preview's content hash; the owner edits the patient summary
 * and sees the reading level move above and back below grade 8, and the preview follow; the
 * quality report shows its figures and its charts. EXPORT_SHOTS=<dir> saves screenshots at
 * 1280x800 and 768x1024.
 */

const TITLE = 'browser: exports and the quality report';
const CASE_TITLE = 'Second-line therapy, insurer denied';
const PEMBRO = 'Pembrolizumab monotherapy';
const CHEMO = 'Carboplatin and pemetrexed';
const QUESTION = 'Which second-line treatment do we recommend?';
const OBJECTION = 'Renal function rules out pemetrexed.';
const RESERVATION = 'Check thyroid function before each cycle.';
const RECOMMENDATION = 'The team recommends pembrolizumab monotherapy, with a pneumonitis watch every three weeks.';
const HARD =
  'Pembrolizumab, a programmed cell death protein inhibitor, is administered intravenously; immunological toxicities, particularly pneumonitis, necessitate comprehensive interdisciplinary surveillance throughout administration.';
const EASY = 'We think this drug is the best choice for you. You get it by drip every three weeks. We will watch your lungs. Call us if you cough a lot.';

describeInBrowser(TITLE, (rig) => {
  let server: TestServer;
  let owner: Page;
  let caseId: string;

  beforeAll(async () => {
    ({ server } = rig());
    const a = await rig().newPerson('Ana Ruiz', 'oncology');
    const b = await rig().newPerson('Ben Okafor', 'pharmacy');
    owner = a.page;
    const api = (page: Page) => ({
      post: async (path: string, data: unknown, status = 201) => {
        const res = await page.request.post(`${server.url}${path}`, { data });
        expect(res.status(), `${path}: ${await res.text()}`).toBe(status);
        return (await res.json()) as Record<string, any>;
      },
      put: async (path: string, data: unknown) => {
        const res = await page.request.put(`${server.url}${path}`, { data });
        expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
      },
    });
    const ana = api(a.page);
    caseId = (await ana.post('/api/cases', { title: CASE_TITLE, patientRef: 'PT-5120' })).case.id;
    await ana.post(`/api/cases/${caseId}/members`, { email: b.email, role: 'editor' });
    const options: string[] = [];
    for (const [title, expectedBenefit] of [[PEMBRO, 'Longer life with fewer side effects than chemotherapy.'], [CHEMO, 'Some benefit, with more tiredness.']] as const) {
      options.push((await ana.post(`/api/cases/${caseId}/options`, { title, expectedBenefit })).option.id);
    }
    const round = (
      await ana.post(`/api/cases/${caseId}/rounds`, { question: QUESTION, optionIds: options, rule: 'simple_majority', quorum: { minVoters: 2, requiredDisciplines: [] }, visibility: 'open' })
    ).round;
    // Ben has voted; Ana votes, closes and recommends through the Decide tab.
    await api(b.page).put(`/api/cases/${caseId}/rounds/${round.id}/ballot`, {
      stances: { [options[0]!]: { stance: 'support_with_reservations', rationale: RESERVATION }, [options[1]!]: { stance: 'object', rationale: OBJECTION } },
    });
  }, 120_000);

  const panel = (): Locator => owner.getByRole('tabpanel', { name: 'Export' });
  const preview = (): Locator => panel().getByRole('article', { name: /^Preview: / });
  /** Full-page screenshots at both sizes, and one screen at each spot (as a person sees it, sticky parts in place). */
  const shot = async (name: string, spots: Locator[] = []) => {
    const dir = process.env.EXPORT_SHOTS;
    if (!dir) return;
    for (const [w, h] of [[1280, 800], [768, 1024]] as const) {
      await owner.setViewportSize({ width: w, height: h });
      await owner.evaluate(() => window.scrollTo(0, 0));
      await owner.screenshot({ path: `${dir}/exp-${name}-${w}.png`, fullPage: true });
      for (const [i, spot] of spots.entries()) {
        await spot.evaluate((el) => el.scrollIntoView({ block: 'center' }));
        await owner.screenshot({ path: `${dir}/exp-${name}-${w}-${i + 1}.png` });
      }
    }
    await owner.setViewportSize({ width: 1280, height: 800 });
  };

  /** Downloads the chosen document through the Download button; answers the saved file and the hash shown. */
  async function download(): Promise<{ bytes: Buffer; filename: string; hash: string }> {
    const [file] = await Promise.all([owner.waitForEvent('download'), panel().getByRole('button', { name: 'Download', exact: true }).click()]);
    const bytes = await readFile((await file.path())!);
    const hash = (await panel().getByTestId('download-hash').textContent()) ?? '';
    return { bytes, filename: file.suggestedFilename(), hash };
  }

  it('before the decision: eight tabs on one row; the consensus summary waits and the drafts are marked', async () => {
    await owner.goto(`${server.url}/cases/${caseId}?tab=export`);
    await owner.getByText('Connected', { exact: true }).waitFor();
    const tops = await owner.getByRole('tablist', { name: 'Case panel' }).getByRole('tab').evaluateAll((tabs) => tabs.map((t) => t.getBoundingClientRect().top));
    expect(tops).toHaveLength(8);
    expect(new Set(tops).size).toBe(1);
    await panel().getByText('Not decided').waitFor();
    await panel().getByRole('radio', { name: /Consensus summary/ }).check();
    await panel().getByText(/This case has no decision yet/).waitFor();
    await expect.poll(() => panel().getByRole('button', { name: 'Download', exact: true }).count()).toBe(0);
    await panel().getByRole('radio', { name: /Patient summary/ }).check();
    await panel().getByText('Until the team decides, this document is marked DRAFT on every page.').waitFor();
    await preview().getByText('DRAFT', { exact: true }).waitFor();
  });

  it('the owner casts a ballot, closes the vote and writes the recommendation in the Decide tab', async () => {
    await owner.getByRole('tab', { name: 'Decide', exact: true }).click();
    const round = owner.getByRole('article', { name: QUESTION });
    const form = round.getByRole('form', { name: 'Your ballot' });
    await form.getByRole('group', { name: PEMBRO }).getByRole('radio', { name: 'Support', exact: true }).check();
    await form.getByRole('group', { name: CHEMO }).getByRole('radio', { name: 'Abstain', exact: true }).check();
    await form.getByRole('button', { name: 'Cast my ballot' }).click();
    await round.getByText('Quorum met: 2 of 2 voters').waitFor();
    await round.getByRole('button', { name: 'Close vote' }).click();
    await round.getByRole('button', { name: 'Yes, close the vote' }).click();
    await round.getByText(`Decided: ${PEMBRO}`).waitFor();
    const rec = round.getByRole('form', { name: 'Write the recommendation' });
    await rec.getByLabel('Recommendation').fill(RECOMMENDATION);
    await rec.getByRole('button', { name: 'Record the recommendation' }).click();
    await round.getByRole('heading', { name: `Recommendation: ${PEMBRO}` }).waitFor();
  });

  it('the Export tab previews the consensus summary with the recommendation and the dissent', async () => {
    await owner.getByRole('tab', { name: 'Export', exact: true }).click();
    await panel().locator('.export-decision').getByText('Decided', { exact: true }).waitFor();
    await panel().getByRole('radio', { name: /Consensus summary/ }).check();
    await expect.poll(() => preview().getAttribute('aria-label')).toBe('Preview: Consensus summary');
    await preview().getByText(RECOMMENDATION).waitFor();
    // Reservations about the recommendation, quoted with who said them; the objection to the alternative stays in the table of stances.
    await preview().locator('blockquote').filter({ hasText: RESERVATION }).waitFor();
    await preview().getByRole('cell', { name: OBJECTION }).waitFor();
    expect(await preview().getByText('DRAFT', { exact: true }).count()).toBe(0);
    // Every format, the FHIR Bundle included, for the consensus summary.
    for (const name of ['Markdown', 'HTML (printable)', 'PDF', 'HL7 FHIR R4 Bundle (JSON)']) await panel().getByRole('radio', { name, exact: true }).waitFor();
    await shot('consensus', [panel().getByRole('group', { name: 'Document' }), preview()]);
  });

  it('downloads the PDF and the FHIR Bundle, with the content hash of the preview', async () => {
    const previewHash = (await preview().locator('footer code').textContent()) ?? '';
    expect(previewHash).toMatch(/^[0-9a-f]{64}$/);

    await panel().getByRole('radio', { name: 'PDF', exact: true }).check();
    const pdf = await download();
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.filename).toBe('consilium-PT-5120-consensus-summary.pdf');
    expect(pdf.hash).toBe(previewHash);
    await panel().getByText(/Downloaded consilium-PT-5120-consensus-summary\.pdf/).waitFor();

    await panel().getByRole('radio', { name: 'HL7 FHIR R4 Bundle (JSON)', exact: true }).check();
    const fhir = await download();
    const bundle = JSON.parse(fhir.bytes.toString('utf8')) as { resourceType: string; type: string; entry: { resource: { resourceType: string } }[] };
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.type).toBe('document');
    expect(bundle.entry[0]?.resource.resourceType).toBe('Composition');
    expect(fhir.filename).toMatch(/\.fhir\.json$/);
    expect(fhir.hash).toBe(previewHash);
  });

  it('the owner edits the patient summary: the reading level moves, the warning shows above grade 8, the preview follows', async () => {
    await panel().getByRole('radio', { name: /Patient summary/ }).check();
    // Only the consensus summary becomes a FHIR Bundle.
    await expect.poll(() => panel().getByRole('radio', { name: 'HL7 FHIR R4 Bundle (JSON)' }).count()).toBe(0);
    const editor = panel().getByRole('region', { name: 'Edit the patient summary' });
    const grade = async () => Number(((await panel().getByTestId('reading-grade').textContent()) ?? '').replace(/[^0-9.]/g, ''));
    const text = editor.getByRole('group', { name: 'Section 1' }).getByLabel('Text');
    await expect.poll(() => text.inputValue()).toContain(PEMBRO);
    expect(await preview().getByText('DRAFT', { exact: true }).count()).toBe(0);

    await text.fill(HARD);
    await expect.poll(grade).toBeGreaterThan(8);
    await panel().getByText('Aim for grade 8 or below: shorter sentences, everyday words.', { exact: false }).waitFor();
    await preview().getByText(HARD).waitFor();

    await text.fill(EASY);
    await expect.poll(grade).toBeLessThanOrEqual(8);
    await expect.poll(() => panel().getByText('Aim for grade 8 or below', { exact: false }).count()).toBe(0);
    await preview().getByText(EASY).waitFor();
    await editor.getByText('Edited', { exact: true }).waitFor();

    // A section of one's own, with a place still to complete, shows highlighted.
    await editor.getByRole('button', { name: '+ Add a section' }).click();
    const added = editor.getByRole('group', { name: /^Section \d+$/ }).last();
    await added.getByLabel('Heading').fill('Your questions');
    await added.getByLabel('Text').fill('Ask us anything.\n\n[TO COMPLETE: the nurse line number]');
    await preview().getByText('To complete', { exact: true }).last().waitFor();
    await preview().getByText('the nurse line number').waitFor();
    await shot('patient', [panel().getByRole('group', { name: 'Document' }), editor.getByRole('group', { name: 'Section 1' }), preview()]);

    await panel().getByRole('radio', { name: 'Markdown', exact: true }).check();
    const md = await download();
    expect(md.bytes.toString('utf8')).toContain(EASY);
    expect(md.filename).toBe('consilium-PT-5120-patient-summary.md');

    await editor.getByRole('button', { name: 'Reset to the draft' }).click();
    await editor.getByRole('button', { name: 'Yes, reset' }).click();
    await expect.poll(() => text.inputValue()).toContain(PEMBRO);
  });

  it('the quality report shows its figures and its charts, and refuses a period that ends before it starts', async () => {
    await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Quality report' }).click();
    await owner.getByRole('heading', { name: 'Quality report', level: 1 }).waitFor();
    const decisions = owner.getByRole('img', { name: 'Decisions by outcome' });
    await decisions.waitFor();
    expect(await decisions.evaluate((svg) => svg.tagName.toLowerCase())).toBe('svg');
    expect(await decisions.locator('title').textContent()).toBe('Decisions by outcome');
    await expect.poll(async () => (await decisions.locator('desc').textContent()) ?? '').toContain('1 decided');
    const implementation = owner.getByRole('img', { name: 'Implementation at 30 and 90 days' });
    expect(await implementation.locator('title').textContent()).toBe('Implementation at 30 and 90 days');
    // The figures, and the text equivalent of each chart.
    const figure = (label: string) => owner.locator('.report-figure').filter({ has: owner.getByText(label, { exact: true }) });
    expect(await figure('Decisions made').locator('.report-figure-value').textContent()).toBe('1');
    await owner.getByRole('table', { name: 'Decisions by outcome' }).waitFor();
    await owner.getByRole('table', { name: 'Implementation at 30 and 90 days, by status' }).waitFor();
    const row = owner.getByRole('table', { name: /Per case/ }).getByRole('row', { name: new RegExp(CASE_TITLE) });
    await expect.poll(() => row.textContent()).toContain('Oncology, Pharmacy');
    const csv = await owner.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    expect(csv).toMatch(/^\/api\/reports\/quality\.csv\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/);
    await shot('quality');

    await owner.getByRole('button', { name: 'Last 30 days' }).click();
    await expect.poll(() => owner.getByRole('button', { name: 'Last 30 days' }).getAttribute('aria-pressed')).toBe('true');
    await owner.getByLabel('To').fill('2020-01-01');
    await owner.getByRole('button', { name: 'Show', exact: true }).click();
    await owner.getByText('To must not be before from.').waitFor();
    expect(rig().dialogs).toEqual([]);
  });
});
