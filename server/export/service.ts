import { createHash } from 'node:crypto';
import { PassThrough, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EditableSection, ExportFormat, ExportKind } from '../../shared/schemas/exports.js';
import { EXPORT_FORMATS } from '../../shared/schemas/exports.js';
import type { CaseAccess } from '../domain/access.js';
import type { AuditLog } from '../domain/audit.js';
import type { BriefDocuments } from '../domain/brief-access.js';
import type { Clock } from '../domain/clock.js';
import { conflict, DomainError, invalid } from '../domain/errors.js';
import type { Store, UserRecord } from '../store/port.js';
import type { ExportData } from './data.js';
import { consensusSummary, draftSections, editableDocument, NEEDS_DECISION } from './documents.js';
import { toFhirBundle, uuidFor } from './fhir.js';
import { gatherExportData } from './gather.js';
import type { ExportDocument } from './model.js';
import { toHtml, toMarkdown, toPdf } from './render/index.js';

/** A file ready to be sent: its type, its name, and how to write it (streamed for PDF). */
export interface ExportFile {
  document: ExportDocument;
  contentType: string;
  filename: string;
  write(out: Writable): Promise<void>;
}

const NO_DECISION =
  'This case has no decision yet: the consensus summary is made once a vote has closed with a decision and its recommendation is written. ' +
  'The patient summary and the letter can be drafted now, marked as drafts.';

const CONTENT_TYPES: Record<ExportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  fhir: 'application/fhir+json; charset=utf-8',
};
const EXTENSIONS: Record<ExportFormat, string> = { md: 'md', html: 'html', pdf: 'pdf', fhir: 'fhir.json' };

const editable = (kind: ExportKind): kind is 'patient_summary' | 'appeal_letter' => kind !== 'consensus_summary';

/** PDFs laid out at once per process; more would crowd out everyone else's requests. */
const MAX_PDF_RENDERS = 2;

/**
 * Exports of a case for its members: the consensus summary (decided cases only), the patient
 * summary and the appeal letter (drafts until decided, editable by the author), as Markdown,
 * HTML, PDF or, for the consensus summary, an HL7 FHIR R4 Bundle. Each export is audited with
 * its content hash.
 */
export class ExportService {
  private pdfRenders = 0;

  constructor(
    private readonly store: Store,
    private readonly access: CaseAccess,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly briefs: BriefDocuments,
    private readonly timeZone: string,
  ) {}

  private async data(user: UserRecord, caseId: string): Promise<ExportData> {
    await this.access.require(caseId, user.id, 'read');
    return gatherExportData(this.store, this.briefs, caseId, this.clock.now().toISOString(), this.timeZone);
  }

  /** What can be exported now. */
  async status(user: UserRecord, caseId: string) {
    const data = await this.data(user, caseId);
    const decided = data.decision !== null;
    return {
      decided,
      decidedAt: data.decision?.closedAt ?? null,
      recommendation: data.decision?.recommendation?.optionTitle ?? null,
      kinds: (['consensus_summary', 'patient_summary', 'appeal_letter'] as const).map((kind) => ({
        kind,
        available: decided || !NEEDS_DECISION[kind],
        draft: !decided,
        editable: editable(kind),
        formats: EXPORT_FORMATS.filter((f) => f !== 'fhir' || kind === 'consensus_summary'),
        reason: !decided && NEEDS_DECISION[kind] ? NO_DECISION : null,
      })),
    };
  }

  /** The first draft of the patient summary or the letter, for the author to edit. */
  async draft(user: UserRecord, caseId: string, kind: ExportKind): Promise<{ sections: EditableSection[]; draft: boolean }> {
    if (!editable(kind)) throw invalid('Only the patient summary and the letter are edited before download.', { kind: 'is not an editable document' });
    const data = await this.data(user, caseId);
    await this.audit.record(caseId, user.id, 'export.drafted', { fields: [kind] });
    return { sections: draftSections(kind, data), draft: data.decision === null };
  }

  /** The document as it would be exported, for the preview; reading it is recorded too. */
  async preview(user: UserRecord, caseId: string, kind: ExportKind, sections?: EditableSection[]): Promise<ExportDocument> {
    const { document } = await this.document(user, caseId, kind, sections);
    await this.audit.record(caseId, user.id, 'export.previewed', { target: `sha256:${document.contentHash}`, fields: [kind] });
    return document;
  }

  /** The document as it would be exported (for the preview). */
  async document(user: UserRecord, caseId: string, kind: ExportKind, sections?: EditableSection[]): Promise<{ document: ExportDocument; data: ExportData }> {
    const data = await this.data(user, caseId);
    const now = this.clock.now().toISOString();
    if (!editable(kind)) {
      if (sections) throw invalid('The consensus summary is the record of what was decided: it is not edited.', { sections: 'are only for the patient summary and the letter' });
      if (!data.decision) throw conflict(NO_DECISION);
      return { document: consensusSummary(data, now), data };
    }
    return { document: editableDocument(kind, data, sections ?? draftSections(kind, data), now), data };
  }

  /** A file to download, recorded in the case's audit log with its content hash. */
  async file(user: UserRecord, caseId: string, kind: ExportKind, format: ExportFormat, sections?: EditableSection[], onProgress?: (f: number) => void): Promise<ExportFile> {
    if (format === 'fhir' && kind !== 'consensus_summary') throw invalid('The FHIR Bundle is made from the consensus summary.', { format: 'fhir is only for the consensus summary' });
    if (format === 'pdf' && this.pdfRenders >= MAX_PDF_RENDERS) {
      throw new DomainError('rate_limited', 'Other PDFs are being prepared right now. Please try again in a few seconds.');
    }
    const { document, data } = await this.document(user, caseId, kind, sections);
    const ref = data.case.patientRef.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'case';
    const filename = `consilium-${ref}-${kind.replace(/_/g, '-')}${document.draft ? '-draft' : ''}.${EXTENSIONS[format]}`;
    // The file's own bytes are hashed as they go out; the export is recorded once they all went.
    const produce = async (tap: PassThrough) => {
      if (format === 'pdf') await toPdf(document, tap, { onProgress });
      else if (format === 'html') tap.end(toHtml(document));
      else if (format === 'md') tap.end(toMarkdown(document));
      // One decision's content, one Bundle identity: the id follows the content hash.
      else tap.end(JSON.stringify(toFhirBundle(data, { generatedAt: document.generatedAt, bundleId: uuidFor(`bundle:${document.contentHash}`) }), null, 2));
    };
    return {
      document,
      contentType: CONTENT_TYPES[format],
      filename,
      write: async (out) => {
        if (format === 'pdf') this.pdfRenders++;
        try {
          const tap = new PassThrough();
          const bytes = createHash('sha256');
          tap.on('data', (chunk: Buffer) => bytes.update(chunk));
          await Promise.all([pipeline(tap, out), produce(tap)]);
          await this.audit.record(caseId, user.id, 'export.created', {
            target: `sha256:${document.contentHash}`, fields: [kind, format, `file-sha256:${bytes.digest('hex')}`],
          });
        } finally {
          if (format === 'pdf') this.pdfRenders--;
        }
      },
    };
  }
}
