/**
 * An export as Markdown (CommonMark with GitHub tables). Everything in the document is plain
 * text, so all of it is escaped: a viewer shows `# x`, `*x*`, `<script>`, `[a](javascript:…)`,
 * `| a |` or `1. x` as the characters typed, never as headings, emphasis, HTML, links, table
 * cells or lists.
 */
import type { Block, ExportDocument } from '../model.js';
import { cleanText } from './text.js';

/**
 * What is escaped wherever it stands: characters that open or close an inline construct
 * (escapes, code, emphasis, links and images, raw HTML and autolinks, entities, table pipes,
 * strikethrough, math on GitHub, @mentions, ATX closing sequences), the colon of `https://` and
 * of an emoji `:name:`, and the dot of `www.` (GitHub would auto-link or replace them).
 * CommonMark lets any ASCII punctuation be escaped with a backslash.
 */
const SPECIALS = /[\\`*_[\]<>&|~$@#]|:(?=\/\/|[\w+-]+:)|(?<=\bwww)\./gi;
/** Line starts that make a block: list bullets, setext underlines, `1.` / `1)` ordered items. */
const LINE_START_BULLET = /^([-+=])/;
const LINE_START_ORDINAL = /^(\d+)([.)])/;
/** Controls and bidi overrides (which can make text display in another order than it reads). */

/** Renders a document as Markdown, ending with a line giving when it was generated and its hash. */
export function toMarkdown(doc: ExportDocument): string {
  const parts: string[] = [];
  if (doc.draft) parts.push('> **DRAFT — not a final document.** Check and complete it before it is sent or relied on.');
  parts.push(`# ${inline(doc.title)}`);
  if (doc.subtitle.trim()) parts.push(`**${inline(doc.subtitle)}**`);
  if (doc.facts.length > 0) parts.push(doc.facts.map(([label, value]) => `- **${inline(label)}:** ${inline(value)}`).join('\n'));
  for (const block of doc.blocks) {
    const text = renderBlock(block);
    if (text) parts.push(text);
  }
  parts.push('---');
  parts.push(`Generated ${codeSpan(doc.generatedAt)} · content hash ${codeSpan(doc.contentHash)}`);
  return `${parts.join('\n\n')}\n`;
}

function renderBlock(block: Block): string {
  switch (block.kind) {
    case 'heading':
      // The document title is the only level-1 heading; block headings sit one level below it.
      return `${'#'.repeat(block.level + 1)} ${inline(block.text)}`;
    case 'paragraph':
      return multiline(block.text);
    case 'list':
      return block.items
        .map((item, i) => {
          const marker = block.ordered ? `${i + 1}. ` : '- ';
          return `${marker}${multiline(item, ' '.repeat(marker.length))}`.trimEnd();
        })
        .join('\n');
    case 'table':
      return table(block.header, block.rows);
    case 'quote': {
      const quoted = multiline(block.text).split('\n').map((line) => `> ${line}`.trimEnd());
      if (block.by !== null && block.by.trim()) quoted.push('>', `> — ${inline(block.by)}`);
      return quoted.join('\n');
    }
    case 'placeholder': {
      const text = multiline(block.text);
      return text ? `**\\[TO COMPLETE: ${text}\\]**` : '**\\[TO COMPLETE\\]**';
    }
    case 'note': {
      const text = multiline(block.text);
      return text ? `*${text}*` : '';
    }
  }
}

/** A GitHub table; rows are padded to the widest row so no cell is dropped. */
function table(header: string[], rows: string[][]): string {
  const width = rows.reduce((widest, row) => Math.max(widest, row.length), header.length);
  if (width === 0) return '';
  const line = (cells: string[]) => `| ${Array.from({ length: width }, (_, i) => inline(cells[i] ?? '')).join(' | ')} |`;
  return [line(header), `|${' --- |'.repeat(width)}`, ...rows.map(line)].join('\n');
}

/**
 * Text that may hold line breaks: each line escaped, kept as a hard line break (a trailing
 * backslash), runs of blank lines kept as one; continuation lines get `indent` (list items).
 */
function multiline(text: string, indent = ''): string {
  return lines(text)
    .map((line) => escapeLine(line))
    .map((line, i, all) => `${i > 0 ? indent : ''}${line}${i < all.length - 1 ? '\\' : ''}`)
    .join('\n');
}

/** One line of text (line breaks become spaces), e.g. a heading or a table cell. */
function inline(text: string): string {
  return escapeLine(lines(text).join(' ').replace(/\s+/g, ' '));
}

/**
 * Plain text as Markdown that shows it literally: every line escaped, line breaks kept. Also used
 * for FHIR Annotation.text, which is Markdown.
 */
export function escapeMarkdown(text: string): string {
  return lines(text).map(escapeLine).join('\n');
}

function escapeLine(line: string): string {
  return line
    .replace(SPECIALS, '\\$&')
    .replace(LINE_START_BULLET, '\\$1')
    .replace(LINE_START_ORDINAL, '$1\\$2');
}

/** Lines without surrounding blanks or indentation (four spaces would start a code block). */
function lines(text: string): string[] {
  const result: string[] = [];
  for (const raw of clean(text).split(/\r\n|[\r\n\u2028\u2029]/)) {
    const line = raw.replace(/\t/g, ' ').trim();
    if (line || (result.length > 0 && result[result.length - 1] !== '')) result.push(line);
  }
  while (result[result.length - 1] === '') result.pop();
  return result;
}

const clean = cleanText;

/** A code span long enough to hold any run of backticks in `text`. */
function codeSpan(text: string): string {
  const value = lines(text).join(' ');
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}
