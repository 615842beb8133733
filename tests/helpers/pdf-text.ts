import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';

// In Node pdf.js has no Web Worker: it runs its worker code on the main thread ("fake worker"),
// importing it from workerSrc. Point that at the legacy worker by absolute URL so it does not
// depend on where the test runner resolved pdf.mjs from.
pdfjs.GlobalWorkerOptions.workerSrc = pathToFileURL(createRequire(import.meta.url).resolve('pdfjs-dist/legacy/build/pdf.worker.mjs')).href;

export interface PdfFont {
  /** The font's name in the file, e.g. "BZZZZZ+DejaVuSans-Bold" for an embedded subset. */
  name: string;
  /** Whether its glyphs are in the file (a FontFile stream) rather than left to the viewer. */
  embedded: boolean;
}

export interface PdfText {
  /** Each page's text, whitespace collapsed so sentences wrapped across lines read whole. */
  pages: string[];
  /** Each page's lines, in reading order as pdf.js found them. */
  lines: string[][];
  /** All pages, one per line. */
  text: string;
  fonts: PdfFont[];
  /** The document information dictionary (Title, Subject, Creator, CreationDate…). */
  info: Record<string, unknown>;
}

/** Reads a PDF back with pdf.js (Mozilla's parser): its text by page, its fonts and its metadata. */
export async function pdfText(bytes: Buffer | Uint8Array): Promise<PdfText> {
  const task = pdfjs.getDocument({
    // pdf.js may transfer (detach) the buffer it is given, so it gets a copy.
    data: new Uint8Array(bytes),
    disableFontFace: true,
    isEvalSupported: false,
    useSystemFonts: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  const pdf = await task.promise;
  try {
    const lines: string[][] = [];
    const fonts = new Map<string, PdfFont>();
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      const pageLines: string[] = [''];
      for (const item of content.items) {
        if (!('str' in item)) continue;
        pageLines[pageLines.length - 1] += item.str;
        if (item.hasEOL) pageLines.push('');
      }
      lines.push(pageLines.map((line) => line.trim()).filter(Boolean));
      const operators = await page.getOperatorList();
      for (const [i, fn] of operators.fnArray.entries()) {
        if (fn !== pdfjs.OPS.setFont) continue;
        const id = (operators.argsArray[i] as [string, number])[0];
        const font = page.commonObjs.get(id) as { name?: string; missingFile?: boolean } | null;
        if (font?.name && !fonts.has(font.name)) fonts.set(font.name, { name: font.name, embedded: font.missingFile === false });
      }
      page.cleanup();
    }
    const pages = lines.map((pageLines) => pageLines.join(' ').replace(/\s+/g, ' ').trim());
    const metadata = await pdf.getMetadata();
    return { pages, lines, text: pages.join('\n'), fonts: [...fonts.values()], info: metadata.info as Record<string, unknown> };
  } finally {
    await task.destroy();
  }
}
