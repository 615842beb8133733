/**
 * The format-neutral shape of every export (consensus summary, patient summary, appeal letter):
 * a title, a few labelled facts and a list of blocks of plain text. Renderers turn it into
 * Markdown, HTML and PDF; nothing in it is markup, so every renderer escapes all of it. The
 * schema lives in shared/ (the client previews the same shape).
 */
import type { z } from 'zod';
import type { BlockView, ExportDocumentView } from '../../shared/schemas/exports.js';

/** One piece of content. All strings are plain text, never markup. */
export type Block = z.infer<typeof BlockView>;

export type ExportDocument = z.infer<typeof ExportDocumentView>;
