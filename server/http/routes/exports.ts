import { CaseParams } from '../../../shared/schemas/cases.js';
import { DraftResponse, ExportBody, ExportParams, ExportStatusResponse, PreviewBody, PreviewResponse } from '../../../shared/schemas/exports.js';
import type { Services } from '../../services.js';
import { defineRoute, type Route } from '../route.js';

/** Exports of a case: what is available, drafts to edit, a preview, and the files. Members only. */
export function exportRoutes(s: Services): Route[] {
  const base = '/api/cases/:caseId/exports';
  return [
    defineRoute({
      method: 'get', path: base, tag: 'exports', auth: true,
      summary: 'What the case can export now (the consensus summary once decided; drafts of the others before)',
      params: CaseParams,
      responses: { 200: { description: 'Export status.', schema: ExportStatusResponse } },
      handler: async ({ user, params }) => ({ status: 200, body: await s.exports.status(user, params.caseId) }),
    }),
    defineRoute({
      method: 'get', path: `${base}/:kind/draft`, tag: 'exports', auth: true,
      summary: 'The first draft of the patient summary or the letter, as editable sections',
      params: ExportParams,
      responses: { 200: { description: 'Editable sections.', schema: DraftResponse } },
      handler: async ({ user, params }) => ({ status: 200, body: await s.exports.draft(user, params.caseId, params.kind) }),
    }),
    defineRoute({
      method: 'post', path: `${base}/:kind/preview`, tag: 'exports', auth: true,
      summary: 'The document as it would be exported (with the author\'s edited sections, if any)',
      params: ExportParams, body: PreviewBody,
      responses: { 200: { description: 'The document.', schema: PreviewResponse } },
      handler: async ({ user, params, body }) => ({ status: 200, body: { document: await s.exports.preview(user, params.caseId, params.kind, body.sections) } }),
    }),
    defineRoute({
      method: 'post', path: `${base}/:kind`, tag: 'exports', auth: true,
      summary: 'Download the document as Markdown, HTML, PDF or (consensus summary) an HL7 FHIR R4 Bundle; recorded in the audit log with its hash',
      params: ExportParams, body: ExportBody,
      responses: { 200: { description: 'The file; its content hash is in the X-Content-Hash header.', contentType: 'application/octet-stream' } },
      handler: async ({ user, params, body }) => {
        const file = await s.exports.file(user, params.caseId, params.kind, body.format, body.sections);
        return {
          status: 200,
          file: {
            contentType: file.contentType, filename: file.filename, write: (out) => file.write(out),
            headers: { 'X-Content-Hash': file.document.contentHash, 'X-Generated-At': file.document.generatedAt },
          },
        };
      },
    }),
  ];
}
