import type { Writable } from 'node:stream';
import type { EditableSection, ExportFormat, ExportKind } from '../../shared/schemas/exports.js';
import { EXPORT_FORMATS } from '../../shared/schemas/exports.js';
import type { CaseAccess } from '../domain/access.js';
import type { AuditLog } from '../domain/audit.js';
import type { BriefDocuments } from '../domain/brief-access.js';
import type { Clock } from '../domain/clock.js';
import { conflict, invalid } from '../domain/errors.js';
import type { Store, UserRecord } from '../store/port.js';
import type { ExportData } from './data.js';
import { consensusSummary, draftSections, editableDocument, NEEDS_DECISION } from './documents.js';
import { toFhirBundle } from './fhir.js';
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

/**
 * Exports of a case for its members: the consensus summary (decided cases only), the patient
 * summary and the appeal letter (drafts until decided, editable by the author), as Markdown,
 * HTML, PDF or, for the consensus summary, an HL7 FHIR R4 Bundle. Each export is audited with
 * its content hash.
 */
export class ExportService {
  constructor(
    private readonly store: Store,
    private readonly access: CaseAccess,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly briefs: BriefDocuments,
  ) {}

  private async data(user: UserRecord, caseId: string): Promise<ExportData> {
    await this.access.require(caseId, user.id, 'read');
    return gatherExportData(this.store, this.briefs, caseId);
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
    return { sections: draftSections(kind, data), draft: data.decision === null };
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
    const { document, data } = await this.document(user, caseId, kind, sections);
    await this.audit.record(caseId, user.id, 'export.created', { target: `sha256:${document.contentHash}`, fields: [kind, format] });
    const ref = data.case.patientRef.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'case';
    const filename = `consilium-${ref}-${kind.replace(/_/g, '-')}${document.draft ? '-draft' : ''}.${EXTENSIONS[format]}`;
    const text = async (out: Writable, body: string) => {
      await new Promise<void>((resolve, reject) => out.write(body, (err) => (err ? reject(err) : resolve())));
    };
    return {
      document,
      contentType: CONTENT_TYPES[format],
      filename,
      write: async (out) => {
        if (format === 'pdf') await toPdf(document, out, { onProgress });
        else if (format === 'html') await text(out, toHtml(document));
        else if (format === 'md') await text(out, toMarkdown(document));
        else await text(out, JSON.stringify(toFhirBundle(data, { generatedAt: document.generatedAt }), null, 2));
      },
    };
  }
}
