/**
 * The renderers of an ExportDocument, and what the HTTP layer needs to send each format.
 * The FHIR Bundle is not a rendering of the document (it is built from the case data), so it is
 * not here; shared/schemas/exports.ts lists every format a user may choose.
 */
import type { ExportFormat } from '../../../shared/schemas/exports.js';

export { toMarkdown } from './markdown.js';
export { toHtml } from './html.js';
export { toPdf, pdfBuffer, type PdfOptions } from './pdf.js';

/** The formats rendered from an ExportDocument (a subset of the formats offered). */
export const DOCUMENT_FORMATS = ['md', 'html', 'pdf'] as const satisfies readonly ExportFormat[];
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

/** Content-Type and file extension of each rendered format. */
export const DOCUMENT_FORMAT_INFO: Record<DocumentFormat, { contentType: string; extension: string }> = {
  md: { contentType: 'text/markdown; charset=utf-8', extension: 'md' },
  html: { contentType: 'text/html; charset=utf-8', extension: 'html' },
  pdf: { contentType: 'application/pdf', extension: 'pdf' },
};

/** Whether a chosen export format is rendered from the document (rather than built as FHIR). */
export function isDocumentFormat(format: ExportFormat): format is DocumentFormat {
  return (DOCUMENT_FORMATS as readonly string[]).includes(format);
}
