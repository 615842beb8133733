/**
 * An export as PDF: A4, DejaVu Sans embedded (subsets) so text is selectable and every page
 * carries a running header and a "Page N of M" footer with the generation time and hash.
 *
 * The text is wrapped and paginated here, line by line, and every line is drawn at a fixed
 * position with pdfkit's line breaking off. That keeps three promises pdfkit's flowing text
 * cannot: boxes, quote bars and table rows continue on the next page with their frame (and
 * the table's header row); headings are never left alone at the foot of a page; and drawing
 * never makes pdfkit add a page behind our back (no blank pages). Text is drawn as text, so
 * markup in it stays literal.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import PDFDocument from 'pdfkit';
import type { Block, ExportDocument } from '../model.js';
import { cleanText } from './text.js';

export interface PdfOptions {
  /** Called with a fraction 0…1 while blocks are laid out (at most every ~25 ms), and with 1 at the end. */
  onProgress?: (fraction: number) => void;
}

type Face = 'regular' | 'bold' | 'italic' | 'mono';
interface Style { face: Face; size: number; leading: number; color: string }
/** One laid-out line; `marker` (a bullet or number) is drawn in the indent of a list item's first line. */
interface Line { text: string; style: Style; indent: number; marker?: string }
/** What is painted under a run of lines on each page it covers (a box, a bar). */
interface Frame { padding: number; paint(top: number, height: number): void }

const FONT_FILES: Record<Face, string> = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
  mono: 'DejaVuSansMono.ttf',
};

// A4 in points, and the text area inside the margins.
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const MARGINS = { top: 68, bottom: 72, left: 56, right: 56 };
const TOP = MARGINS.top;
const BOTTOM = PAGE_HEIGHT - MARGINS.bottom;
const LEFT = MARGINS.left;
const WIDTH = PAGE_WIDTH - MARGINS.left - MARGINS.right;
const CELL_PADDING = 4;
/** How often pdfkit's word-layout cache is emptied (see forgetLayouts). */
const LAYOUT_CACHE_PAGES = 8;

const INK = '#111111';
const style = (face: Face, size: number, leading: number, color = INK): Style => ({ face, size, leading, color });
const S = {
  title: style('bold', 20, 25),
  subtitle: style('regular', 12, 16, '#333333'),
  headings: [style('bold', 15, 20), style('bold', 13, 17), style('bold', 11.5, 15)] as const,
  body: style('regular', 10, 14.5),
  strong: style('bold', 10, 14.5),
  quote: style('italic', 10, 14.5, '#222222'),
  by: style('regular', 9, 13, '#444444'),
  cell: style('regular', 9, 12.5),
  cellHead: style('bold', 9, 12.5),
  note: style('regular', 8.5, 12, '#555555'),
  label: style('bold', 8.5, 13, '#6b4f00'),
  draft: style('bold', 10, 14.5, '#b00020'),
  running: style('regular', 7.5, 10, '#555555'),
  runningDraft: style('bold', 8.5, 10, '#b00020'),
  hash: style('mono', 7, 10, '#555555'),
};


/** Writes the document as PDF into `out` and ends it; rejects (and destroys `out`) on failure. */
export async function toPdf(doc: ExportDocument, out: NodeJS.WritableStream, options: PdfOptions = {}): Promise<void> {
  const pdf = createDocument(doc);
  const written = pipeline(pdf, out);
  let stopped = false;
  written.catch(() => { stopped = true; });
  try {
    await layout(pdf, doc, options, () => stopped);
    if (!stopped) pdf.end();
  } catch (error) {
    pdf.destroy(error instanceof Error ? error : new Error(String(error)));
  }
  await written;
  options.onProgress?.(1);
}

/** The whole PDF in memory, for small documents and tests. */
export async function pdfBuffer(doc: ExportDocument, options: PdfOptions = {}): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({ write(chunk: Buffer, _encoding, done) { chunks.push(chunk); done(); } });
  await toPdf(doc, sink, options);
  return Buffer.concat(chunks);
}

function createDocument(doc: ExportDocument): PDFKit.PDFDocument {
  const created = new Date(doc.generatedAt);
  const pdf = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    autoFirstPage: false,
    // Pages stay in memory until the end so that each can say "of M". Measured on a 317-page
    // brief: about +65 MB of heap at peak, garbage included (tests/unit/render.test.ts).
    bufferPages: true,
    pdfVersion: '1.7',
    lang: 'en',
    displayTitle: true,
    info: {
      Title: clean(doc.title),
      Subject: clean(doc.subtitle),
      Creator: 'Consilium',
      Producer: 'Consilium (PDFKit)',
      ...(Number.isNaN(created.getTime()) ? {} : { CreationDate: created, ModDate: created }),
    },
  });
  const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  for (const [face, file] of Object.entries(FONT_FILES)) pdf.registerFont(face, path.join(dir, file));
  return pdf;
}

async function layout(pdf: PDFKit.PDFDocument, doc: ExportDocument, options: PdfOptions, stopped: () => boolean): Promise<void> {
  const page = new Layout(pdf, doc.draft);
  page.newPage();
  if (doc.draft) {
    const lines = page.wrap('DRAFT — not a final document. Check and complete it before it is sent or relied on.', S.draft, WIDTH - 16);
    page.flow(lines, LEFT, { padding: 6, paint: (top, height) => page.box(top, height, null, '#b00020', false) });
    page.space(12);
  }
  page.flow(page.wrap(doc.title, S.title, WIDTH), LEFT);
  if (doc.subtitle.trim()) page.flow(page.wrap(doc.subtitle, S.subtitle, WIDTH), LEFT);
  page.space(8);
  if (doc.facts.length > 0) {
    const labelWidth = Math.min(WIDTH * 0.35, 2 * CELL_PADDING + doc.facts.reduce((widest, [label]) => Math.max(widest, page.measure(clean(label), S.strong)), 0));
    page.table([], doc.facts, { grid: false, styles: [S.strong, S.body], widths: [labelWidth, WIDTH - labelWidth] });
    page.space(6);
  }
  let lastYield = performance.now();
  options.onProgress?.(0);
  for (const [i, block] of doc.blocks.entries()) {
    renderBlock(page, block);
    if (performance.now() - lastYield > 25) {
      // Long documents must not hold the event loop (sockets, other requests) for seconds.
      options.onProgress?.((i + 1) / doc.blocks.length);
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (stopped()) return;
      lastYield = performance.now();
    }
  }
  page.runningHeadersAndFooters(doc);
  pdf.flushPages();
}

function renderBlock(page: Layout, block: Block): void {
  switch (block.kind) {
    case 'heading': {
      const headingStyle = S.headings[block.level - 1] ?? S.body;
      const lines = page.wrap(block.text.replace(/\s+/g, ' '), headingStyle, WIDTH);
      if (!page.atTop()) page.space(headingStyle.size * 0.6);
      // Keep the heading with what follows it: a paragraph may need three lines to start a page.
      page.keep(lines.length * headingStyle.leading + 3 * S.body.leading);
      page.flow(lines, LEFT, undefined, lines.length);
      page.space(3);
      return;
    }
    case 'paragraph':
      page.flow(page.wrap(block.text, S.body, WIDTH), LEFT);
      page.space(7);
      return;
    case 'list': {
      const markers = block.items.map((_, i) => (block.ordered ? `${i + 1}.` : '•'));
      const indent = Math.max(12, page.measure(block.ordered ? `${block.items.length}.` : '•', S.body) + 6);
      for (const [i, item] of block.items.entries()) {
        const wrapped = page.lines(item, S.body, WIDTH - indent);
        const lines = (wrapped.length > 0 ? wrapped : ['']).map((text, k): Line => ({ text, style: S.body, indent, ...(k === 0 ? { marker: markers[i] } : {}) }));
        page.flow(lines, LEFT);
        page.space(2);
      }
      page.space(5);
      return;
    }
    case 'table':
      page.table(block.header, block.rows, { grid: true, styles: [S.cell] });
      page.space(8);
      return;
    case 'quote': {
      const lines = page.wrap(block.text, S.quote, WIDTH - 14, 14);
      if (block.by !== null && block.by.trim()) lines.push(...page.wrap(`— ${block.by}`, S.by, WIDTH - 14, 14));
      page.flow(lines, LEFT, { padding: 2, paint: (top, height) => page.bar(top, height) });
      page.space(8);
      return;
    }
    case 'placeholder': {
      const lines = [...page.wrap('TO COMPLETE', S.label, WIDTH - 16), ...page.wrap(block.text, S.body, WIDTH - 16)];
      page.flow(lines, LEFT, { padding: 6, paint: (top, height) => page.box(top, height, '#fff3b0', '#a07800', true) }, 3);
      page.space(8);
      return;
    }
    case 'note':
      page.flow(page.wrap(block.text, S.note, WIDTH), LEFT);
      page.space(6);
      return;
  }
}

/** Where the next line goes, and the drawing primitives that respect the page's bottom. */
class Layout {
  private y = TOP;
  private pages = 0;
  /** Whether a face has a glyph for a code point, by "face:codePoint". */
  private readonly glyphs = new Map<string, boolean>();

  constructor(private readonly pdf: PDFKit.PDFDocument, private readonly draft: boolean) {}

  newPage(): void {
    if (++this.pages % LAYOUT_CACHE_PAGES === 0) forgetLayouts(this.pdf);
    this.pdf.addPage();
    this.y = TOP;
    if (this.draft) this.watermark();
  }

  atTop(): boolean {
    return this.y <= TOP;
  }

  space(height: number): void {
    this.y += height;
  }

  /** Starts a new page unless `height` fits below the current position (never leaves a page empty). */
  keep(height: number): void {
    if (this.y + height > BOTTOM && !this.atTop()) this.newPage();
  }

  measure(text: string, s: Style): number {
    return this.pdf.font(s.face).fontSize(s.size).widthOfString(text);
  }

  /**
   * `text` wrapped to `width` as lines in one style, upright if the style's face lacks glyphs
   * the regular face has (DejaVu Sans Oblique has no Arabic, for one).
   */
  wrap(text: string, s: Style, width: number, indent = 0): Line[] {
    const covering = s.face !== 'regular' && this.printable(text, s.face) !== this.printable(text, 'regular') ? { ...s, face: 'regular' as const } : s;
    return this.lines(text, covering, width).map((line) => ({ text: line, style: covering, indent }));
  }

  /**
   * Greedy word wrap. Line breaks in the text are kept (runs of blank lines as one), spaces
   * collapse, and a word wider than the line is broken between characters.
   */
  lines(text: string, s: Style, width: number): string[] {
    this.pdf.font(s.face).fontSize(s.size);
    const space = this.pdf.widthOfString(' ');
    const out: string[] = [];
    for (const paragraph of paragraphs(text).map((p) => this.printable(p, s.face))) {
      if (paragraph === '') { out.push(''); continue; }
      let line = '';
      let lineWidth = 0;
      for (const word of paragraph.split(' ')) {
        if (!word) continue;
        // Measured with the space pdfkit will draw after it: the same entry in its layout cache.
        const w = this.pdf.widthOfString(`${word} `) - space;
        if (line && lineWidth + space + w <= width) {
          line += ` ${word}`;
          lineWidth += space + w;
          continue;
        }
        if (line) out.push(line);
        const pieces = w <= width ? [word] : this.breakWord(word, width);
        for (const piece of pieces.slice(0, -1)) out.push(piece);
        line = pieces[pieces.length - 1] ?? '';
        lineWidth = this.pdf.widthOfString(line);
      }
      if (line) out.push(line);
    }
    return out;
  }

  private breakWord(word: string, width: number): string[] {
    const pieces: string[] = [];
    let piece = '';
    let pieceWidth = 0;
    for (const ch of word) {
      const w = this.pdf.widthOfString(ch);
      if (piece && pieceWidth + w > width) {
        pieces.push(piece);
        piece = '';
        pieceWidth = 0;
      }
      piece += ch;
      pieceWidth += w;
    }
    return [...pieces, piece];
  }

  /**
   * The text with every character the font has no glyph for written as its code point, e.g.
   * "[U+6F22]" for a Chinese character: DejaVu has no CJK, and an empty box (which copies out as
   * nothing) would silently lose a patient's name. Invisible format characters are dropped.
   */
  printable(text: string, face: Face): string {
    if (/^[\x20-\x7e\n]*$/.test(text)) return text;
    this.pdf.font(face);
    const font = (this.pdf as unknown as { _font?: { font?: { hasGlyphForCodePoint?: (codePoint: number) => boolean } } })._font?.font;
    if (!font?.hasGlyphForCodePoint) return text;
    return text.replace(/[^\x20-\x7e\n]/gu, (ch) => {
      const codePoint = ch.codePointAt(0) ?? 0;
      const key = `${face}:${codePoint}`;
      let known = this.glyphs.get(key);
      if (known === undefined) this.glyphs.set(key, (known = font.hasGlyphForCodePoint?.(codePoint) ?? true));
      if (known) return ch;
      return /\p{Cf}/u.test(ch) ? '' : `[U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}]`;
    });
  }

  /**
   * Draws lines from the current position, continuing on new pages; `frame` is painted under
   * each page's share. At least `orphans` lines go together at the start, and a page break
   * never leaves a single last line alone.
   */
  flow(lines: Line[], x: number, frame?: Frame, orphans = 2): void {
    const padding = frame?.padding ?? 0;
    let i = 0;
    while (i < lines.length) {
      let n = 0;
      let height = 2 * padding;
      while (i + n < lines.length && this.y + height + (lines[i + n]?.style.leading ?? 0) <= BOTTOM) height += lines[i + n++]?.style.leading ?? 0;
      // Never start the next page with a paragraph's single last line: send one more with it.
      if (lines.length - i - n === 1 && n > 0) height -= lines[i + --n]?.style.leading ?? 0;
      if (n < Math.min(orphans, lines.length - i) && !this.atTop()) {
        this.newPage();
        continue;
      }
      if (n === 0) height += lines[i + n++]?.style.leading ?? 0; // taller than a page: draw it anyway
      frame?.paint(this.y, height);
      let lineTop = this.y + padding;
      for (const line of lines.slice(i, i + n)) {
        if (line.marker) this.draw(line.marker, line.style, x + padding, lineTop);
        this.draw(line.text, line.style, x + padding + line.indent, lineTop);
        lineTop += line.style.leading;
      }
      this.y += height;
      i += n;
      if (i < lines.length) this.newPage();
    }
  }

  /**
   * A table: column widths from the content, cells wrapped, rows split across pages only when
   * they cannot fit on a fresh one, and the header row repeated at the top of each page.
   */
  table(header: string[], rows: string[][], options: { grid: boolean; styles: Style[]; widths?: number[] }): void {
    const columns = rows.reduce((widest, row) => Math.max(widest, row.length), header.length);
    if (columns === 0) return;
    const styleOf = (c: number) => options.styles[c] ?? options.styles[options.styles.length - 1] ?? S.cell;
    const widths = options.widths ?? this.columnWidths(header, rows, columns, styleOf);
    const wrapRow = (cells: string[], styleFor: (c: number) => Style) =>
      widths.map((w, c) => this.lines(cells[c] ?? '', styleFor(c), w - 2 * CELL_PADDING));
    const head = header.length > 0 ? wrapRow(header, () => S.cellHead) : null;
    const headHeight = head ? rowHeight(head, S.cellHead) : 0;
    const repeat = head !== null && headHeight <= (BOTTOM - TOP) / 4;
    const drawHead = () => { if (head && repeat) this.row(head, widths, () => S.cellHead, options.grid, '#eeeeee', 0, () => {}); };
    this.keep(headHeight + styleOf(0).leading + 2 * CELL_PADDING);
    if (head) this.row(head, widths, () => S.cellHead, options.grid, '#eeeeee', 0, () => {});
    for (const row of rows) this.row(wrapRow(row, styleOf), widths, styleOf, options.grid, null, repeat ? headHeight : 0, drawHead);
  }

  private row(cells: string[][], widths: number[], styleOf: (c: number) => Style, grid: boolean, fill: string | null, headHeight: number, onNewPage: () => void): void {
    const leading = Math.max(...widths.map((_, c) => styleOf(c).leading));
    let rest = cells;
    let fresh = false;
    for (;;) {
      const count = Math.max(1, ...rest.map((lines) => lines.length));
      const height = count * leading + 2 * CELL_PADDING;
      const fitting = Math.floor((BOTTOM - this.y - 2 * CELL_PADDING) / leading);
      const wholeOnFreshPage = height <= BOTTOM - TOP - headHeight;
      if (this.y + height > BOTTOM && !fresh && !this.atTop() && (wholeOnFreshPage || fitting < 2)) {
        this.newPage();
        onNewPage();
        fresh = true;
        continue;
      }
      const take = this.y + height <= BOTTOM ? count : Math.max(1, fitting);
      const drawn = take * leading + 2 * CELL_PADDING;
      let x = LEFT;
      for (const [c, w] of widths.entries()) {
        if (fill) this.pdf.rect(x, this.y, w, drawn).fill(fill);
        if (grid) this.pdf.lineWidth(0.5).rect(x, this.y, w, drawn).stroke('#888888');
        for (const [k, text] of (rest[c] ?? []).slice(0, take).entries()) this.draw(text, styleOf(c), x + CELL_PADDING, this.y + CELL_PADDING + k * leading);
        x += w;
      }
      this.y += drawn;
      rest = rest.map((lines) => lines.slice(take));
      if (rest.every((lines) => lines.length === 0)) return;
      this.newPage();
      onNewPage();
      fresh = true;
    }
  }

  /** Widths as a browser's auto layout would give them: no column narrower than its longest word (within reason), the rest shared by need. */
  private columnWidths(header: string[], rows: string[][], columns: number, styleOf: (c: number) => Style): number[] {
    const pad = 2 * CELL_PADDING;
    const desired = new Array<number>(columns).fill(pad + 12);
    const minimum = new Array<number>(columns).fill(pad + 12);
    for (const [r, row] of [header, ...rows].entries()) {
      for (let c = 0; c < columns; c++) {
        const s = r === 0 ? S.cellHead : styleOf(c);
        this.pdf.font(s.face).fontSize(s.size);
        const space = this.pdf.widthOfString(' ');
        for (const paragraph of paragraphs(row[c] ?? '')) {
          const words = paragraph.split(' ').filter(Boolean).map((word) => this.pdf.widthOfString(word));
          const total = words.reduce((sum, w) => sum + w, 0) + space * Math.max(0, words.length - 1);
          desired[c] = Math.max(desired[c] ?? 0, Math.min(WIDTH, total + pad));
          minimum[c] = Math.max(minimum[c] ?? 0, Math.min(WIDTH / columns, words.reduce((a, b) => Math.max(a, b), 0) + pad));
        }
      }
    }
    return shareWidths(desired, minimum, WIDTH);
  }

  box(top: number, height: number, fill: string | null, stroke: string, dashed: boolean): void {
    this.pdf.save().lineWidth(1.2);
    if (dashed) this.pdf.dash(4, { space: 2 });
    const rect = this.pdf.rect(LEFT, top, WIDTH, height);
    if (fill) rect.fillAndStroke(fill, stroke);
    else rect.stroke(stroke);
    this.pdf.undash().restore();
  }

  bar(top: number, height: number): void {
    this.pdf.rect(LEFT + 2, top, 2.5, height).fill('#999999');
  }

  /** One line of text at a fixed place, never wrapped, never moving to another page. */
  private draw(text: string, s: Style, x: number, top: number): void {
    if (!text) return;
    this.pdf.font(s.face).fontSize(s.size).fillColor(s.color);
    const offset = (s.leading - this.pdf.currentLineHeight()) / 2;
    this.pdf.text(text, x, top + offset, { lineBreak: false });
  }

  private watermark(): void {
    this.pdf.save().rotate(-35, { origin: [PAGE_WIDTH / 2, PAGE_HEIGHT / 2] });
    this.pdf.font('bold').fontSize(110).fillColor('#b00020', 0.06);
    this.pdf.text('DRAFT', PAGE_WIDTH / 2 - 190, PAGE_HEIGHT / 2 - 60, { lineBreak: false });
    this.pdf.restore().fillOpacity(1);
  }

  /** The header and footer of every page, drawn once the page count is known. */
  runningHeadersAndFooters(doc: ExportDocument): void {
    const { start, count } = this.pdf.bufferedPageRange();
    const draftWidth = this.draft ? this.measure('DRAFT', S.runningDraft) + 12 : 0;
    const heading = this.ellipsize(this.printable(clean([doc.title, doc.subtitle].filter((s) => s.trim()).join(' · ')).replace(/\s+/g, ' '), S.running.face), S.running, WIDTH - draftWidth);
    const generated = `Generated ${this.printable(clean(doc.generatedAt), S.running.face)}`;
    const hash = this.printable(clean(doc.contentHash), S.hash.face);
    for (let i = 0; i < count; i++) {
      this.pdf.switchToPage(start + i);
      // Drawing in the margins must not look like overflow to pdfkit.
      const margins = this.pdf.page.margins;
      this.pdf.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
      this.draw(heading, S.running, LEFT, 34);
      if (this.draft) this.draw('DRAFT', S.runningDraft, LEFT + WIDTH - this.measure('DRAFT', S.runningDraft), 34);
      this.pdf.lineWidth(0.5).moveTo(LEFT, 48).lineTo(LEFT + WIDTH, 48).stroke('#999999');
      this.pdf.lineWidth(0.5).moveTo(LEFT, BOTTOM + 16).lineTo(LEFT + WIDTH, BOTTOM + 16).stroke('#999999');
      const pageLabel = `Page ${i + 1} of ${count}`;
      this.draw(generated, S.running, LEFT, BOTTOM + 21);
      this.draw(pageLabel, S.running, LEFT + WIDTH - this.measure(pageLabel, S.running), BOTTOM + 21);
      const label = 'Content hash ';
      this.draw(label, S.running, LEFT, BOTTOM + 32);
      this.draw(hash, S.hash, LEFT + this.measure(label, S.running), BOTTOM + 32);
      this.pdf.page.margins = margins;
    }
  }

  private ellipsize(text: string, s: Style, width: number): string {
    if (this.measure(text, s) <= width) return text;
    const chars = [...text];
    let low = 0;
    let high = chars.length;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (this.measure(`${chars.slice(0, mid).join('')}…`, s) <= width) low = mid;
      else high = mid - 1;
    }
    return `${chars.slice(0, low).join('').trimEnd()}…`;
  }
}

/**
 * pdfkit keeps the shaped glyphs of every distinct word it has measured or drawn, for the life
 * of the document (about 1.5 kB a word). A long document of mostly distinct words (identifiers,
 * figures) would grow by hundreds of megabytes, while turning the cache off makes a 200-page
 * export ten times slower; so it is emptied every few pages. It is a private field: if a
 * pdfkit upgrade renames it this does nothing and the cache is merely unbounded again.
 */
function forgetLayouts(pdf: PDFKit.PDFDocument): void {
  const fonts = (pdf as unknown as { _fontFamilies?: Record<string, { layoutCache?: object }> })._fontFamilies;
  for (const font of Object.values(fonts ?? {})) if (font.layoutCache) font.layoutCache = Object.create(null) as object;
}

/**
 * Column widths: a column whose content fits in an equal share of what is left gets exactly what
 * it needs (so short columns such as names and stances do not wrap); the wide ones share the
 * rest by need, none narrower than its minimum. A table narrower than `total` is stretched.
 */
function shareWidths(desired: number[], minimum: number[], total: number): number[] {
  const sum = (columns: number[], of: number[]) => columns.reduce((a, c) => a + (of[c] ?? 0), 0);
  const widths = desired.map(() => 0);
  let open = desired.map((_, c) => c);
  let remaining = total;
  for (;;) {
    const share = remaining / open.length;
    const fitting = open.filter((c) => (desired[c] ?? 0) <= share);
    if (fitting.length === 0 || fitting.length === open.length) break;
    for (const c of fitting) widths[c] = desired[c] ?? 0;
    remaining -= sum(fitting, desired);
    open = open.filter((c) => !fitting.includes(c));
  }
  if (sum(open, desired) <= remaining) {
    // Everything fits: stretch every column in proportion to its content.
    const all = desired.map((_, c) => c);
    return desired.map((d) => (d * total) / sum(all, desired));
  }
  const flex = (c: number) => (desired[c] ?? 0) - (minimum[c] ?? 0);
  const extra = remaining - sum(open, minimum);
  const flexTotal = open.reduce((a, c) => a + flex(c), 0);
  for (const c of open) widths[c] = (minimum[c] ?? 0) + (flexTotal > 0 ? (extra * flex(c)) / flexTotal : extra / open.length);
  return widths;
}

function rowHeight(cells: string[][], s: Style): number {
  return Math.max(1, ...cells.map((lines) => lines.length)) * s.leading + 2 * CELL_PADDING;
}

/** The lines of a text, cleaned: no controls or bidi overrides, tabs as spaces, runs of blank lines as one. */
function paragraphs(text: string): string[] {
  const result: string[] = [];
  for (const raw of clean(text).split(/\r\n|[\r\n\u2028\u2029]/)) {
    const line = raw.replace(/[\t ]+/g, ' ').trim();
    if (line || (result.length > 0 && result[result.length - 1] !== '')) result.push(line);
  }
  while (result[result.length - 1] === '') result.pop();
  return result;
}

const clean = cleanText;
