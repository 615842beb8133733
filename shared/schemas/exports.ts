import { z } from 'zod';
import { Id, IsoDate, IsoDateTime, plainText } from './common.js';

/** What a team exports from a case. */
export const EXPORT_KINDS = ['consensus_summary', 'patient_summary', 'appeal_letter'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export const EXPORT_KIND_LABELS: Record<ExportKind, string> = {
  consensus_summary: 'Consensus summary',
  patient_summary: 'Patient summary',
  appeal_letter: 'Appeal / peer-to-peer letter',
};

/** The formats; an HL7 FHIR R4 document Bundle is offered for the consensus summary. */
export const EXPORT_FORMATS = ['md', 'html', 'pdf', 'fhir'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_FORMAT_LABELS: Record<ExportFormat, string> = { md: 'Markdown', html: 'HTML (printable)', pdf: 'PDF', fhir: 'HL7 FHIR R4 Bundle (JSON)' };

/** One block of an export: plain text only, never markup. */
export const BlockView = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('heading'), level: z.union([z.literal(1), z.literal(2), z.literal(3)]), text: z.string() }),
  z.object({ kind: z.literal('paragraph'), text: z.string() }),
  z.object({ kind: z.literal('list'), ordered: z.boolean(), items: z.array(z.string()) }),
  z.object({ kind: z.literal('table'), header: z.array(z.string()), rows: z.array(z.array(z.string())) }),
  /** Words quoted from someone (a rationale, the patient's own words). */
  z.object({ kind: z.literal('quote'), text: z.string(), by: z.string().nullable() }),
  /** A place the author must complete before sending. */
  z.object({ kind: z.literal('placeholder'), text: z.string() }),
  z.object({ kind: z.literal('note'), text: z.string() }),
]);

export const ExportDocumentView = z.object({
  title: z.string(),
  subtitle: z.string(),
  facts: z.array(z.tuple([z.string(), z.string()])),
  blocks: z.array(BlockView),
  /** Marked as a draft on every page (no decision yet). */
  draft: z.boolean(),
  generatedAt: IsoDateTime,
  /** SHA-256 of the content without the generation time: two exports of the same decision compare equal. */
  contentHash: z.string(),
});

/** A section of an editable document (patient summary, letter): blank lines separate paragraphs. */
export const EditableSection = z.strictObject({
  heading: plainText(z.string({ error: 'must be text' }).max(200, { error: 'must be at most 200 characters' })),
  text: plainText(z.string({ error: 'must be text' }).max(20_000, { error: 'must be at most 20000 characters' })),
});
export type EditableSection = z.infer<typeof EditableSection>;

export const ExportParams = z.strictObject({
  caseId: Id,
  kind: z.enum(EXPORT_KINDS, { error: `must be one of: ${EXPORT_KINDS.join(', ')}` }),
});

/** What to export: the format, and for the patient summary or letter the author's edited sections. */
export const ExportBody = z.strictObject({
  format: z.enum(EXPORT_FORMATS, { error: `must be one of: ${EXPORT_FORMATS.join(', ')}` }),
  sections: z.array(EditableSection, { error: 'must be a list of sections' }).min(1, { error: 'must have at least one section' }).max(30, { error: 'must have at most 30 sections' }).optional(),
});
export type ExportBody = z.input<typeof ExportBody>;

export const PreviewBody = ExportBody.omit({ format: true });

export const ExportStatusResponse = z.object({
  /** Whether the case has a decision (a closed vote with its recommendation). */
  decided: z.boolean(),
  decidedAt: IsoDateTime.nullable(),
  recommendation: z.string().nullable(),
  kinds: z.array(z.object({
    kind: z.enum(EXPORT_KINDS),
    /** Available now; otherwise `reason` says why. */
    available: z.boolean(),
    /** Made as a marked draft (no decision yet). */
    draft: z.boolean(),
    editable: z.boolean(),
    formats: z.array(z.enum(EXPORT_FORMATS)),
    reason: z.string().nullable(),
  })),
});

export const DraftResponse = z.object({
  sections: z.array(EditableSection),
  draft: z.boolean(),
});

export const PreviewResponse = z.object({ document: ExportDocumentView });
