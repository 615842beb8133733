import type { z } from 'zod';
import type {
  DraftResponse,
  EditableSection,
  ExportBody,
  ExportKind,
  ExportStatusResponse,
  PreviewResponse,
} from '../../../shared/schemas/exports.js';
import { request, requestFile, type DownloadedFile, type DownloadProgress } from './api.js';

const enc = encodeURIComponent;
const base = (caseId: string) => `/api/cases/${enc(caseId)}/exports`;

export type ExportStatus = z.infer<typeof ExportStatusResponse>;
export type ExportDocument = z.infer<typeof PreviewResponse>['document'];

/**
 * Typed calls for a case's exports: what is available, the first drafts of the editable
 * documents, a preview, and the file itself (read with progress). Every call rejects with an
 * ApiError on failure.
 */
export const exportsApi = {
  status: (caseId: string) => request<ExportStatus>('GET', base(caseId)),
  draft: (caseId: string, kind: ExportKind) => request<z.infer<typeof DraftResponse>>('GET', `${base(caseId)}/${enc(kind)}/draft`),
  preview: (caseId: string, kind: ExportKind, sections?: EditableSection[]) =>
    request<z.infer<typeof PreviewResponse>>('POST', `${base(caseId)}/${enc(kind)}/preview`, sections ? { sections } : {}),
  /** The file; its content hash and generation time are in the X-Content-Hash and X-Generated-At headers. */
  download: (caseId: string, kind: ExportKind, body: ExportBody, onProgress?: (p: DownloadProgress) => void): Promise<DownloadedFile> =>
    requestFile('POST', `${base(caseId)}/${enc(kind)}`, body, onProgress),
};
