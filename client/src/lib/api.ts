import type { ApiErrorBody } from '../../../shared/errors.js';
import type { ChangePasswordBody, SignInBody, SignUpBody, UserView } from '../../../shared/schemas/auth.js';
import type {
  AddMemberBody,
  AuditEntryView,
  CaseView,
  CreateCaseBody,
  MemberView,
  UpdateCaseBody,
  UpdateMemberBody,
} from '../../../shared/schemas/cases.js';

/** A failed request, carrying the server's stable code and its per-field messages. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
}

/** One JSON request to the API; a failure becomes an ApiError with the server's code and field messages. */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');
  }
  if (res.status === 204) return undefined as T;
  const payload: unknown = await res.json().catch(() => null);
  if (!res.ok) throw failure(res.status, payload);
  return payload as T;
}

/** The ApiError for a refused request: the server's code and field messages when it sent them. */
function failure(status: number, payload: unknown): ApiError {
  if (isErrorBody(payload)) return new ApiError(status, payload.error.code, payload.error.message, payload.error.fields ?? {});
  return new ApiError(status, 'internal', `The server answered with an unexpected error (${status}). Please try again.`);
}

/** A file the server answered with, read in full. */
export interface DownloadedFile {
  blob: Blob;
  /** From Content-Disposition; null when the server named none. */
  filename: string | null;
  headers: Headers;
}

/** How far a download has come: bytes so far, and the total when the server said it (Content-Length). */
export interface DownloadProgress {
  received: number;
  total: number | null;
}

/** The file name of a Content-Disposition header (RFC 6266: filename* first, then filename). */
export function dispositionFilename(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      /* fall back to the plain name */
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/.exec(header);
  const name = plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2]?.trim();
  return name || null;
}

/**
 * A JSON request whose answer is a file: the body is read chunk by chunk through a reader so that
 * `onProgress` can show a long export arriving; a refusal becomes an ApiError like `request`'s.
 */
export async function requestFile(method: string, path: string, body: unknown, onProgress?: (p: DownloadProgress) => void): Promise<DownloadedFile> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { Accept: '*/*', 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');
  }
  if (!res.ok) throw failure(res.status, await res.json().catch(() => null));
  const length = Number(res.headers.get('Content-Length'));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  onProgress?.({ received, total });
  try {
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        received += value.byteLength;
        onProgress?.({ received, total });
      }
    }
  } catch {
    // The headers came, then the connection broke: the file is incomplete, so none is saved.
    throw new ApiError(0, 'network', 'The download was cut short. Check your connection and try again.');
  }
  const type = res.headers.get('Content-Type') ?? 'application/octet-stream';
  return { blob: new Blob(chunks, { type }), filename: dispositionFilename(res.headers.get('Content-Disposition')), headers: res.headers };
}

/** Saves a downloaded file through a Blob URL and a temporary <a download>, under `filename`. */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The browser has taken the file once the click's task has run; free the memory after it.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** True when the error means the session is gone and the user must sign in again. */
export function isUnauthenticated(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401;
}

/** A message for a person, whatever was thrown. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return 'Something went wrong. Please try again.';
}

const enc = encodeURIComponent;

/** Typed calls to the Consilium HTTP API; every call rejects with an ApiError on failure. */
export const api = {
  me: () => request<{ user: UserView }>('GET', '/api/me'),
  signUp: (body: SignUpBody) => request<{ user: UserView }>('POST', '/api/auth/signup', body),
  signIn: (body: SignInBody) => request<{ user: UserView }>('POST', '/api/auth/signin', body),
  signOut: () => request<void>('POST', '/api/auth/signout'),
  /** Every session of the person ends; the answer sets a new session cookie for this browser. */
  changePassword: (body: ChangePasswordBody) => request<{ user: UserView }>('POST', '/api/me/password', body),

  listCases: (archived: boolean) => request<{ cases: CaseView[] }>('GET', `/api/cases?archived=${archived}`),
  createCase: (body: CreateCaseBody) => request<{ case: CaseView }>('POST', '/api/cases', body),
  getCase: (caseId: string) => request<{ case: CaseView }>('GET', `/api/cases/${enc(caseId)}`),
  updateCase: (caseId: string, body: UpdateCaseBody) => request<{ case: CaseView }>('PATCH', `/api/cases/${enc(caseId)}`, body),

  listMembers: (caseId: string) => request<{ members: MemberView[] }>('GET', `/api/cases/${enc(caseId)}/members`),
  addMember: (caseId: string, body: AddMemberBody) => request<{ member: MemberView }>('POST', `/api/cases/${enc(caseId)}/members`, body),
  updateMember: (caseId: string, userId: string, body: UpdateMemberBody) =>
    request<{ member: MemberView }>('PATCH', `/api/cases/${enc(caseId)}/members/${enc(userId)}`, body),
  removeMember: (caseId: string, userId: string) => request<void>('DELETE', `/api/cases/${enc(caseId)}/members/${enc(userId)}`),

  listAudit: (caseId: string) => request<{ entries: AuditEntryView[] }>('GET', `/api/cases/${enc(caseId)}/audit`),
};
