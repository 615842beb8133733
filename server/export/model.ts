/**
 * The format-neutral shape of every export (consensus summary, patient summary, appeal letter):
 * a title, a few labelled facts and a list of blocks of plain text. Renderers turn it into
 * Markdown, HTML and PDF; nothing in it is markup, so every renderer escapes all of it.
 */

/** One piece of content. All strings are plain text, never markup. */
export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'table'; header: string[]; rows: string[][] }
  /** Words quoted from someone (a rationale, the patient's own words). */
  | { kind: 'quote'; text: string; by: string | null }
  /** A place the author must complete before sending; shown unmistakably. */
  | { kind: 'placeholder'; text: string }
  /** A note in smaller type (e.g. how a figure was computed). */
  | { kind: 'note'; text: string };

export interface ExportDocument {
  /** e.g. "Consensus summary". */
  title: string;
  /** e.g. the case title and pseudonymous patient reference. */
  subtitle: string;
  /** Labelled facts shown under the title: [label, value]. */
  facts: [string, string][];
  blocks: Block[];
  /** A draft (no decision yet, or not yet reviewed) is marked as such on every page. */
  draft: boolean;
  /** When it was generated (UTC ISO) and the SHA-256 of its content without that time. */
  generatedAt: string;
  contentHash: string;
}
