import type { ApiErrorBody } from '../../../shared/errors.js';
import type { SignInBody, SignUpBody, UserView } from '../../../shared/schemas/auth.js';
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
  if (!res.ok) {
    if (isErrorBody(payload)) {
      throw new ApiError(res.status, payload.error.code, payload.error.message, payload.error.fields ?? {});
    }
    throw new ApiError(res.status, 'internal', `The server answered with an unexpected error (${res.status}). Please try again.`);
  }
  return payload as T;
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
