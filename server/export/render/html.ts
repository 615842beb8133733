/**
 * An export as one self-contained, printable HTML page: no scripts, no external resources (a
 * Content-Security-Policy forbids them), an inline print stylesheet for A4. Every string from
 * the document is escaped, so markup typed into a brief shows as text; nothing is turned into
 * a link.
 */
import type { Block, ExportDocument } from '../model.js';
import { cleanText } from './text.js';

/** Controls and bidi overrides (which can make text display in another order than it reads). */
const LONG_WORD = /\S{25}/;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

const STYLE = `
:root { color-scheme: light; }
html { font: 10.5pt/1.45 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #111; background: #fff; }
body { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.9em; margin: 0 0 .2em; }
h2 { font-size: 1.45em; margin: 1.4em 0 .4em; }
h3 { font-size: 1.2em; margin: 1.2em 0 .4em; }
h4 { font-size: 1.05em; margin: 1em 0 .3em; }
h1, h2, h3, h4 { line-height: 1.25; break-after: avoid; page-break-after: avoid; break-inside: avoid; }
p, li, dd, dt, td, th, figcaption { white-space: pre-line; overflow-wrap: anywhere; }
td, th { overflow-wrap: break-word; }
td.long, th.long { overflow-wrap: anywhere; }
p, li, blockquote { orphans: 3; widows: 3; }
.subtitle { font-size: 1.15em; color: #333; margin: 0 0 1em; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15em 1em; margin: 0 0 1.5em; }
.facts div { display: contents; }
.facts dt { font-weight: bold; }
.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .8em 0; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #888; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #eee; }
figure.quote { margin: 1em 0; padding: .2em 0 .2em 1em; border-left: 3px solid #999; }
figure.quote blockquote { margin: 0; font-style: italic; }
figure.quote figcaption { color: #444; font-size: .95em; }
.placeholder { background: #fff3b0; border: 2px dashed #a07800; padding: .5em .7em; margin: 1em 0; break-inside: avoid; page-break-inside: avoid; }
.placeholder strong { text-transform: uppercase; letter-spacing: .03em; }
.note { font-size: .88em; font-style: italic; color: #555; }
.draft-banner { border: 2px solid #b00020; color: #b00020; padding: .5em .7em; margin: 0 0 1.5em; font-weight: bold; }
.watermark { position: fixed; top: 40%; left: 0; right: 0; text-align: center; font-size: 96pt; font-weight: bold; color: rgba(176, 0, 32, .07); transform: rotate(-30deg); pointer-events: none; z-index: -1; }
footer { margin-top: 2.5em; padding-top: .5em; border-top: 1px solid #aaa; font-size: .85em; color: #444; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; overflow-wrap: anywhere; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  footer { break-inside: avoid; }
}`;

/** Renders a document as a complete HTML page (UTF-8, lang="en"). */
export function toHtml(doc: ExportDocument): string {
  const title = doc.subtitle.trim() ? `${doc.title} — ${doc.subtitle}` : doc.title;
  const body: string[] = [];
  if (doc.draft) {
    body.push('<div class="watermark" aria-hidden="true">DRAFT</div>');
    body.push('<p class="draft-banner" role="note">DRAFT — not a final document. Check and complete it before it is sent or relied on.</p>');
  }
  body.push('<header>', `<h1>${text(doc.title)}</h1>`);
  if (doc.subtitle.trim()) body.push(`<p class="subtitle">${text(doc.subtitle)}</p>`);
  if (doc.facts.length > 0) {
    const facts = doc.facts.map(([label, value]) => `<div><dt>${text(label)}</dt><dd>${text(value)}</dd></div>`);
    body.push(`<dl class="facts">${facts.join('')}</dl>`);
  }
  body.push('</header>', '<main>', ...doc.blocks.map(renderBlock), '</main>');
  body.push(
    '<footer>',
    `<p>Generated <time datetime="${text(doc.generatedAt)}">${text(doc.generatedAt)}</time> · content hash <code>${text(doc.contentHash)}</code></p>`,
    '</footer>',
  );
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="Consilium">',
    `<title>${text(title)}</title>`,
    `<style>${STYLE}\n${pageRules(doc)}</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function renderBlock(block: Block): string {
  switch (block.kind) {
    case 'heading': {
      // The document title is the only <h1>; block headings sit one level below it.
      const tag = `h${block.level + 1}`;
      return `<${tag}>${text(oneLine(block.text))}</${tag}>`;
    }
    case 'paragraph':
      return `<p>${text(block.text)}</p>`;
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      return `<${tag}>${block.items.map((item) => `<li>${text(item)}</li>`).join('')}</${tag}>`;
    }
    case 'table':
      return table(block.header, block.rows);
    case 'quote': {
      const by = block.by !== null && block.by.trim() ? `<figcaption>— ${text(block.by)}</figcaption>` : '';
      return `<figure class="quote"><blockquote><p>${text(block.text)}</p></blockquote>${by}</figure>`;
    }
    case 'placeholder':
      return `<p class="placeholder" role="note"><strong>To complete:</strong> ${text(block.text)}</p>`;
    case 'note':
      return `<p class="note">${text(block.text)}</p>`;
  }
}

/** A table with column headers; rows are padded to the widest row so no cell is dropped. */
function table(header: string[], rows: string[][]): string {
  const width = rows.reduce((widest, row) => Math.max(widest, row.length), header.length);
  if (width === 0) return '';
  const cells = (row: string[], tag: 'th' | 'td') =>
    Array.from({ length: width }, (_, i) => {
      const value = row[i] ?? '';
      // Cells may break inside words only when one is too long to fit (a URL, an identifier):
      // allowed everywhere, the browser would squeeze short columns into "Oppo-se".
      const attributes = `${tag === 'th' ? ' scope="col"' : ''}${LONG_WORD.test(value) ? ' class="long"' : ''}`;
      return `<${tag}${attributes}>${text(value)}</${tag}>`;
    }).join('');
  const head = header.length > 0 ? `<thead><tr>${cells(header, 'th')}</tr></thead>` : '';
  const body = rows.map((row) => `<tr>${cells(row, 'td')}</tr>`).join('');
  return `<table>${head}<tbody>${body}</tbody></table>`;
}

/**
 * Print margins with a running header and footer (browsers that support page-margin boxes;
 * others print the in-page header and footer only). Values go into CSS strings fully escaped.
 */
function pageRules(doc: ExportDocument): string {
  const heading = [doc.title, doc.subtitle].filter((s) => s.trim()).join(' · ');
  const clipped = [...oneLine(heading)].length > 90 ? `${[...oneLine(heading)].slice(0, 89).join('')}…` : oneLine(heading);
  return `@page {
  size: A4;
  margin: 20mm 18mm 22mm 18mm;
  @top-left { content: ${cssString(clipped)}; font-size: 8pt; color: #555; }
  ${doc.draft ? '@top-right { content: "DRAFT"; font-size: 9pt; font-weight: bold; color: #b00020; }' : ''}
  @bottom-left { content: ${cssString(`Generated ${doc.generatedAt} · content hash ${doc.contentHash}`)}; font-size: 7pt; color: #555; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; color: #555; }
}`;
}

/**
 * Escapes text for element content and quoted attribute values, after the clean-up every
 * renderer does: no controls or bidi overrides, NFC, lines trimmed, runs of blank lines as one
 * (line breaks show through `white-space: pre-line`).
 */
function text(value: string): string {
  const lines: string[] = [];
  for (const raw of cleanText(value).split(/\r\n|[\r\n\u2028\u2029]/)) {
    const line = raw.trim();
    if (line || (lines.length > 0 && lines[lines.length - 1] !== '')) lines.push(line);
  }
  while (lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** A CSS string literal in which everything but letters, digits and a few safe marks is a hex escape. */
function cssString(value: string): string {
  const clean = cleanText(value);
  let out = '';
  for (const ch of clean) out += /[A-Za-z0-9 .,:·—-]/.test(ch) ? ch : `\\${(ch.codePointAt(0) ?? 0xfffd).toString(16)} `;
  return `"${out}"`;
}
