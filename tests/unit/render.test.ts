import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { Block, ExportDocument } from '../../server/export/model.js';
import { DOCUMENT_FORMAT_INFO, DOCUMENT_FORMATS, pdfBuffer, toHtml, toMarkdown, toPdf } from '../../server/export/render/index.js';
import { pdfText } from '../helpers/pdf-text.js';

const HASH = '3f7a9c0e5b2d4f6a8c1e3b5d7f9a0c2e4b6d8f0a1c3e5b7d9f1a3c5e7b9d0f2a';
const GENERATED = '2026-03-16T09:00:00.000Z';

const BALLOTS = [
  ['Dr. Lena Vogt', 'Medical oncology', 'Support', 'Documented progression on anti-PD-1; the combination has the strongest evidence.'],
  ['Dr. Samir Haddad', 'Radiation oncology', 'Support', 'Radiotherapy to the symptomatic lesion can follow if needed.'],
  ['Dr. Amara Okafor', 'Palliative care', 'Oppose', 'Her stated priority is time at home; weekly infusions conflict with it.'],
  ['Jonas Berg, RN', 'Nursing', 'Abstain', 'Not enough information on transport to the infusion centre.'],
];

/** A consensus summary as the export service builds it, with overridable parts. */
function buildDocument(overrides: Partial<ExportDocument> = {}): ExportDocument {
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: 'The case' },
    { kind: 'paragraph', text: 'A 58-year-old woman with metastatic melanoma progressed after twelve months of nivolumab. Her insurer denied the requested combination therapy as experimental.' },
    { kind: 'heading', level: 2, text: 'What matters to the patient' },
    { kind: 'list', ordered: false, items: ['Time at home with her grandchildren', 'Avoiding hospital stays longer than two days', 'Keeping pain under control'] },
    { kind: 'heading', level: 1, text: 'Evidence' },
    { kind: 'list', ordered: true, items: ['Phase III trial of relatlimab with nivolumab (strong)', 'Retrospective cohort after anti-PD-1 failure (moderate)'] },
    { kind: 'heading', level: 1, text: 'The vote' },
    { kind: 'table', header: ['Voter', 'Discipline', 'Stance', 'Rationale'], rows: BALLOTS },
    { kind: 'quote', text: 'I would rather have fewer good weeks at home than more weeks in hospital.', by: 'The patient, in her own words' },
    { kind: 'heading', level: 1, text: 'Recommendation' },
    { kind: 'paragraph', text: 'Offer relatlimab with nivolumab and appeal the coverage denial with a peer-to-peer review.' },
    { kind: 'heading', level: 2, text: 'Dissent and reservations' },
    { kind: 'quote', text: 'Weekly infusions conflict with her stated priority of time at home.', by: 'Dr. Amara Okafor (palliative care)' },
    { kind: 'placeholder', text: 'Insurer reference number and the date of the denial letter' },
    { kind: 'note', text: 'Tally: 2 support, 1 oppose, 1 abstain; abstentions do not count towards the two-thirds threshold.' },
  ];
  return {
    title: 'Consensus summary',
    subtitle: 'Metastatic melanoma after anti-PD-1 · P-7Q3K',
    facts: [['Decided', '2026-03-12'], ['Decision rule', 'Two-thirds majority, quorum 4 voters'], ['Outcome', 'Recommendation adopted']],
    blocks,
    draft: false,
    generatedAt: GENERATED,
    contentHash: HASH,
    ...overrides,
  };
}

/** The same phrases, in the order every format must show them. */
const IN_ORDER = [
  'Consensus summary', 'Metastatic melanoma after anti-PD-1', 'Decision rule', 'The case', 'progressed after twelve months of nivolumab',
  'What matters to the patient', 'Time at home with her grandchildren', 'Evidence', 'Phase III trial of relatlimab', 'The vote',
  'Dr. Samir Haddad', 'Radiation oncology', 'I would rather have fewer good weeks', 'The patient, in her own words', 'Recommendation',
  'Offer relatlimab with nivolumab', 'Dissent and reservations', 'Weekly infusions conflict', 'Insurer reference number', 'Tally: 2 support',
];

function expectInOrder(output: string, phrases: string[]): void {
  let from = 0;
  for (const phrase of phrases) {
    const at = output.indexOf(phrase, from);
    expect(at, `"${phrase}" after position ${from}`).toBeGreaterThanOrEqual(0);
    from = at + phrase.length;
  }
}

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(1)>';
const LINK = '[link](javascript:alert(1))';

/** Every place user text can stand, each holding markup, script or Markdown syntax. */
function hostileDocument(): ExportDocument {
  return buildDocument({
    title: `Summary ${SCRIPT}`,
    subtitle: `</style></title>${IMG}`,
    facts: [[`<b>Label</b>`, `javascript:alert(1) ]]>`]],
    blocks: [
      { kind: 'heading', level: 1, text: '# not a heading <h1>x</h1>' },
      { kind: 'paragraph', text: `${SCRIPT} and ${IMG} and ${LINK} and *x* and _y_ and \`code\` and &lt; and ]]> and </style>` },
      { kind: 'paragraph', text: '1. not a list\n- not a bullet\n> not a quote\n    not code\n===\nsee https://evil.example and www.evil.example :warning: @someone $x$ ~~gone~~' },
      { kind: 'list', ordered: false, items: [SCRIPT, '2. second'] },
      { kind: 'table', header: ['Name | pipe', '<th>'], rows: [[`a | b ${SCRIPT}`, IMG], ['`tick`', 'x\ny']] },
      { kind: 'quote', text: `${IMG}\n# heading`, by: `${SCRIPT} "quoted" 'single'` },
      { kind: 'placeholder', text: `**bold** ${LINK}` },
      { kind: 'note', text: `${SCRIPT} *note*` },
    ],
  });
}

describe('Markdown', () => {
  it('shows the title, facts, blocks and footer in order', () => {
    const md = toMarkdown(buildDocument());
    expectInOrder(md, IN_ORDER);
    expect(md.startsWith('# Consensus summary\n')).toBe(true);
    expect(md).toContain('\n**Metastatic melanoma after anti-PD-1 · P-7Q3K**\n');
    expect(md).toContain('- **Decision rule:** Two-thirds majority, quorum 4 voters');
    expect(md).toContain('\n## The case\n');
    expect(md).toContain('\n### What matters to the patient\n');
    expect(md).toContain('- Time at home with her grandchildren\n- Avoiding hospital stays');
    expect(md).toContain('1. Phase III trial of relatlimab with nivolumab (strong)\n2. Retrospective cohort');
    expect(md).toContain('| Voter | Discipline | Stance | Rationale |\n| --- | --- | --- | --- |\n| Dr. Lena Vogt | Medical oncology | Support |');
    expect(md).toContain('> I would rather have fewer good weeks at home than more weeks in hospital.\n>\n> — The patient, in her own words');
    expect(md).toContain('**\\[TO COMPLETE: Insurer reference number and the date of the denial letter\\]**');
    expect(md).toContain('*Tally: 2 support, 1 oppose, 1 abstain; abstentions do not count towards the two-thirds threshold.*');
    expect(md.trimEnd().endsWith(`Generated \`${GENERATED}\` · content hash \`${HASH}\``)).toBe(true);
    expect(md).not.toContain('DRAFT');
  });

  it('puts a draft banner at the top of a draft', () => {
    const md = toMarkdown(buildDocument({ draft: true }));
    expect(md.startsWith('> **DRAFT — not a final document.**')).toBe(true);
  });

  it('shows markup, links and Markdown syntax from user text as literal characters', () => {
    const md = toMarkdown(hostileDocument());
    expect(md).toContain('# Summary \\<script\\>alert(1)\\</script\\>\n');
    expect(md).toContain('**\\</style\\>\\</title\\>\\<img src=x onerror=alert(1)\\>**');
    expect(md).toContain('- **\\<b\\>Label\\</b\\>:** javascript:alert(1) \\]\\]\\>');
    expect(md).toContain('## \\# not a heading \\<h1\\>x\\</h1\\>');
    expect(md).toContain('\\[link\\](javascript:alert(1))');
    expect(md).toContain('\\*x\\* and \\_y\\_ and \\`code\\` and \\&lt; and \\]\\]\\> and \\</style\\>');
    // Line starts that would make a list, a quote, code or a setext heading, each kept as a hard break.
    expect(md).toContain('1\\. not a list\\\n\\- not a bullet\\\n\\> not a quote\\\nnot code\\\n\\===\\\n');
    // Nothing GitHub would auto-link, turn into an emoji, a mention, math or strikethrough.
    expect(md).toContain('see https\\://evil.example and www\\.evil.example \\:warning: \\@someone \\$x\\$ \\~\\~gone\\~\\~');
    expect(md).toContain('- \\<script\\>alert(1)\\</script\\>\n- 2\\. second');
    expect(md).toContain('| Name \\| pipe | \\<th\\> |');
    expect(md).toContain('| a \\| b \\<script\\>alert(1)\\</script\\> | \\<img src=x onerror=alert(1)\\> |');
    expect(md).toContain('| \\`tick\\` | x y |');
    expect(md).toContain('> \\<img src=x onerror=alert(1)\\>\\\n> \\# heading\n>\n> — \\<script\\>alert(1)\\</script\\> "quoted" \'single\'');
    expect(md).toContain('**\\[TO COMPLETE: \\*\\*bold\\*\\* \\[link\\](javascript:alert(1))\\]**');
    expect(md).toContain('*\\<script\\>alert(1)\\</script\\> \\*note\\**');
    // No raw HTML, link or image syntax survives anywhere.
    expect(md).not.toMatch(/(?<!\\)[<[]/);
    expect(md).not.toMatch(/(?<!\\)\]\(/);
  });
});

/** What toHtml itself writes: anything else in the output would be markup from user text. */
const ALLOWED_TAGS = new Set([
  'html', 'head', 'meta', 'title', 'style', 'body', 'header', 'main', 'footer', 'h1', 'h2', 'h3', 'h4', 'p', 'ul', 'ol', 'li',
  'table', 'thead', 'tbody', 'tr', 'th', 'td', 'figure', 'blockquote', 'figcaption', 'dl', 'dt', 'dd', 'div', 'strong', 'code', 'time',
]);
const ALLOWED_ATTRIBUTES = new Set(['lang', 'charset', 'http-equiv', 'content', 'name', 'class', 'role', 'scope', 'aria-hidden', 'datetime']);

function tagsOf(html: string): string[] {
  const tags = html.match(/<[^>]*>/g) ?? [];
  for (const tag of tags) {
    if (tag === '<!doctype html>') continue;
    const match = /^<\/?([a-z][a-z0-9]*)((?:\s+[a-z-]+="[^"<>]*")*)\s*>$/.exec(tag);
    expect(match, tag).not.toBeNull();
    expect(ALLOWED_TAGS.has(match?.[1] ?? ''), tag).toBe(true);
    for (const [, attribute] of (match?.[2] ?? '').matchAll(/\s([a-z-]+)="/g)) expect(ALLOWED_ATTRIBUTES.has(attribute ?? ''), tag).toBe(true);
  }
  return tags;
}

describe('HTML', () => {
  it('is one self-contained printable page with the content in order', () => {
    const html = toHtml(buildDocument());
    tagsOf(html);
    expect(html.startsWith('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(|@import/i);
    expect(html).toContain('@page {\n  size: A4;');
    expect(html).toContain('<title>Consensus summary — Metastatic melanoma after anti-PD-1 · P-7Q3K</title>');
    expectInOrder(html, IN_ORDER);
    expect(html).toContain('<h1>Consensus summary</h1>');
    expect(html).toContain('<h2>The case</h2>');
    expect(html).toContain('<h3>What matters to the patient</h3>');
    expect(html).toContain('<dl class="facts"><div><dt>Decided</dt><dd>2026-03-12</dd></div>');
    expect(html).toContain('<thead><tr><th scope="col">Voter</th><th scope="col">Discipline</th>');
    expect(html).toContain('<tr><td>Dr. Amara Okafor</td><td>Palliative care</td><td>Oppose</td>');
    expect(html).toContain('<figure class="quote"><blockquote><p>I would rather have fewer good weeks at home than more weeks in hospital.</p></blockquote><figcaption>— The patient, in her own words</figcaption></figure>');
    expect(html).toContain('<p class="placeholder" role="note"><strong>To complete:</strong> Insurer reference number and the date of the denial letter</p>');
    expect(html).toContain('<p class="note">Tally: 2 support');
    expect(html).toContain(`<p>Generated <time datetime="${GENERATED}">${GENERATED}</time> · content hash <code>${HASH}</code></p>`);
    expect(html).not.toContain('DRAFT');
    expect(toHtml(buildDocument({ draft: true }))).toContain('<p class="draft-banner" role="note">DRAFT — not a final document.');
  });

  it('shows markup and script from user text as text, never as tags or attributes', () => {
    const doc = hostileDocument();
    // Even the system's own fields are escaped, in the page and in the print stylesheet.
    doc.contentHash = `"><script>alert(1)</script>`;
    const html = toHtml(doc);
    const tags = tagsOf(html);
    expect(tags.some((tag) => /script|img|onerror|javascript/i.test(tag))).toBe(false);
    expect(html.match(/<\/style>/g)).toHaveLength(1);
    expect(html.match(/<\/title>/g)).toHaveLength(1);
    const style = html.slice(html.indexOf('<style>') + '<style>'.length, html.indexOf('</style>'));
    expect(style).not.toMatch(/[<>]/);
    expect(html).toContain('<h1>Summary &lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(html).toContain('<p class="subtitle">&lt;/style&gt;&lt;/title&gt;&lt;img src=x onerror=alert(1)&gt;</p>');
    expect(html).toContain('<dt>&lt;b&gt;Label&lt;/b&gt;</dt><dd>javascript:alert(1) ]]&gt;</dd>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; and &lt;img src=x onerror=alert(1)&gt; and [link](javascript:alert(1)) and *x*');
    expect(html).toContain('and &amp;lt; and ]]&gt; and &lt;/style&gt;');
    expect(html).toContain('<th scope="col">Name | pipe</th><th scope="col">&lt;th&gt;</th>');
    expect(html).toContain('<figcaption>— &lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &#39;single&#39;</figcaption>');
    expect(html).toContain('<code>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</code>');
    expect(html).toContain('see https://evil.example and www.evil.example');
  });
});

describe('PDF', () => {
  /** A document long enough for several pages, with a table that crosses a page break. */
  function longDocument(overrides: Partial<ExportDocument> = {}): ExportDocument {
    const base = buildDocument();
    const snapshot: Block[] = [{ kind: 'heading', level: 1, text: 'The brief at the decision' }];
    for (let i = 1; i <= 24; i++) {
      snapshot.push({ kind: 'paragraph', text: `Brief paragraph ${i}. The team reviewed the imaging, the pathology and the patient's own account of her symptoms, and weighed the burden of each option against what she said matters most to her.` });
    }
    const ballots: Block = { kind: 'table', header: ['Voter', 'Discipline', 'Stance', 'Rationale'], rows: Array.from({ length: 45 }, (_, i) => [`Voter ${i + 1}`, 'Medical oncology', i % 3 ? 'Support' : 'Oppose', `Rationale number ${i + 1}, long enough to wrap onto a second line of its cell in the table.`]) };
    return buildDocument({ blocks: [...base.blocks, ...snapshot, { kind: 'heading', level: 2, text: 'All ballots' }, ballots], ...overrides });
  }

  it('reads back with its text, headers, page numbers, fonts and metadata', async () => {
    const bytes = await pdfBuffer(longDocument());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { pages, lines, text, fonts, info } = await pdfText(bytes);
    const count = pages.length;
    expect(count).toBeGreaterThanOrEqual(4);
    expectInOrder(text, IN_ORDER);
    for (const phrase of ['Two-thirds majority, quorum 4 voters', 'Documented progression on anti-PD-1; the combination has the strongest evidence.', 'TO COMPLETE', 'Brief paragraph 24.', 'Rationale number 45']) {
      expect(text).toContain(phrase);
    }
    expect(text).toContain(`Generated ${GENERATED}`);
    expect(text).toContain(`Content hash ${HASH}`);
    expect(pages[0]).toContain(`Page 1 of ${count}`);
    expect(pages[count - 1]).toContain(`Page ${count} of ${count}`);
    for (const [i, page] of pages.entries()) {
      expect(lines[i], `page ${i + 1}`).toContain('Consensus summary · Metastatic melanoma after anti-PD-1 · P-7Q3K');
      expect(page).toContain(`Page ${i + 1} of ${count}`);
      // No page holds only its header and footer.
      expect(lines[i]?.length ?? 0, `page ${i + 1}`).toBeGreaterThan(3);
      expect(page).not.toContain('DRAFT');
    }
    // The ballots table crosses pages: its header row starts each page it continues on.
    const tablePages = lines.filter((pageLines) => pageLines.some((line) => line.startsWith('Voter ') && /^Voter \d+/.test(line)));
    expect(tablePages.length).toBeGreaterThanOrEqual(2);
    for (const pageLines of tablePages) expect(pageLines).toContain('Voter Discipline Stance Rationale');

    expect(fonts.map((font) => font.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual(['DejaVuSans', 'DejaVuSans-Bold', 'DejaVuSans-Oblique', 'DejaVuSansMono']);
    expect(fonts.every((font) => font.embedded)).toBe(true);
    const raw = bytes.toString('latin1');
    expect(raw.match(/\/FontFile2/g)?.length).toBe(4);
    expect(raw).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/);
    expect(info).toMatchObject({ Title: 'Consensus summary', Subject: 'Metastatic melanoma after anti-PD-1 · P-7Q3K', Creator: 'Consilium', CreationDate: 'D:20260316090000Z' });
  });

  it('marks every page of a draft', async () => {
    const { lines } = await pdfText(await pdfBuffer(longDocument({ draft: true })));
    expect(lines[0]).toContain('DRAFT — not a final document. Check and complete it before it is sent or relied');
    for (const pageLines of lines) expect(pageLines).toContain('Consensus summary · Metastatic melanoma after anti-PD-1 · P-7Q3K DRAFT');
  });

  it('draws markup and script from user text as literal text', async () => {
    const { text } = await pdfText(await pdfBuffer(hostileDocument()));
    for (const literal of [`Summary ${SCRIPT}`, `</style></title>${IMG}`, '<b>Label</b>', 'javascript:alert(1) ]]>', '# not a heading <h1>x</h1>', `${SCRIPT} and ${IMG} and ${LINK} and *x* and _y_ and \`code\` and &lt; and ]]> and </style>`, '1. not a list - not a bullet > not a quote not code ===', 'Name | pipe', `a | b ${SCRIPT}`, '**bold**']) {
      expect(text).toContain(literal);
    }
  });

  it('writes characters the fonts lack as code points instead of empty boxes', async () => {
    const doc = buildDocument({ blocks: [{ kind: 'paragraph', text: 'Patient 王芳 (née Müller), ≥ 5 mg/m², cafe\u0301' }] });
    const { text } = await pdfText(await pdfBuffer(doc));
    expect(text).toContain('Patient [U+738B][U+82B3] (née Müller), ≥ 5 mg/m², café');
  });

  it('reports progress up to 1 and rejects when the destination fails', async () => {
    const fractions: number[] = [];
    await pdfBuffer(longDocument(), { onProgress: (fraction) => fractions.push(fraction) });
    expect(fractions[0]).toBe(0);
    expect(fractions[fractions.length - 1]).toBe(1);
    expect(fractions.every((f, i) => i === 0 || f >= (fractions[i - 1] ?? 0))).toBe(true);

    const broken = new Writable({ write(_chunk, _encoding, done) { done(new Error('disk full')); } });
    await expect(toPdf(longDocument(), broken)).rejects.toThrow('disk full');
  });

  it('streams a 200-page brief with bounded memory', async () => {
    const words = 'the patient tumour board reviewed imaging pathology evidence response resistance biomarker infusion toxicity renal hepatic appeal insurer denial coverage survival quality home family pain'.split(' ');
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const blocks: Block[] = [];
    for (let i = 0; i < 2000; i++) {
      if (i % 40 === 0) blocks.push({ kind: 'heading', level: 2, text: `Section ${i / 40 + 1}` });
      // Numbers make many words distinct, as lab values and dates do in a real brief.
      let text = `Paragraph ${i + 1}.`;
      while (text.length < 600) text += ` ${random() < 0.15 ? (random() * 1000).toFixed(1) : words[Math.floor(random() * words.length)]}`;
      blocks.push({ kind: 'paragraph', text: `${text}.` });
    }
    const doc = buildDocument({ blocks });

    const gc = collectGarbage();
    gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let bytes = 0;
    let pageCount = 0;
    let tail = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        // The page tree's /Count; the tail keeps a match split across two chunks.
        const seen = tail + chunk.toString('latin1');
        for (const match of seen.matchAll(/\/Count (\d+)/g)) pageCount = Math.max(pageCount, Number(match[1]));
        tail = seen.slice(-32);
        done();
      },
    });
    const started = performance.now();
    await toPdf(doc, sink, { onProgress: () => { peak = Math.max(peak, process.memoryUsage().heapUsed); } });
    const seconds = (performance.now() - started) / 1000;
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    gc?.();
    const retained = process.memoryUsage().heapUsed - before;
    const mb = (n: number) => Math.round(n / 1e6);
    console.info(`200-page PDF: ${pageCount} pages, ${mb(bytes)} MB, ${seconds.toFixed(1)} s, heap +${mb(peak - before)} MB at peak (garbage included), ${retained < 0 ? '' : '+'}${mb(retained)} MB retained after GC`);
    expect(pageCount).toBeGreaterThanOrEqual(200);
    expect(peak - before).toBeLessThan(300e6);
    expect(retained).toBeLessThan(50e6);
  }, 60_000);
});

describe('formats', () => {
  it('names a content type and extension for each rendered format', () => {
    expect(DOCUMENT_FORMATS).toEqual(['md', 'html', 'pdf']);
    expect(DOCUMENT_FORMAT_INFO.pdf).toEqual({ contentType: 'application/pdf', extension: 'pdf' });
    expect(DOCUMENT_FORMAT_INFO.html.contentType).toBe('text/html; charset=utf-8');
    expect(DOCUMENT_FORMAT_INFO.md.contentType).toBe('text/markdown; charset=utf-8');
  });
});

/** The V8 collector, exposed at run time when the worker was not started with --expose-gc. */
function collectGarbage(): (() => void) | undefined {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}
