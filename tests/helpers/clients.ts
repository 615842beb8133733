import * as encoding from 'lib0/encoding';
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { briefDocName } from '../../shared/brief.js';
import type { Discipline } from '../../shared/disciplines.js';
import type { UserView } from '../../shared/schemas/auth.js';
import type { CaseView } from '../../shared/schemas/cases.js';
import type { TestServer } from './server.js';
import { waitFor } from './factories.js';

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A signed-in (or anonymous) HTTP client with its own cookie, like one browser. */
export class ApiClient {
  cookie: string | undefined;
  user: UserView | undefined;

  constructor(readonly server: () => TestServer) {}

  async request<T = any>(method: string, path: string, body?: unknown, init: { rawBody?: string; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookie) headers.cookie = this.cookie;
    let payload: string | undefined = init.rawBody;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    if (init.rawBody !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(this.server().url + path, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const value = setCookie.split(';')[0]!;
      this.cookie = value.endsWith('=') ? undefined : value;
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* keep text */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body);
  }
  put<T = any>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body);
  }
  patch<T = any>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }
}

/** Signs up a new person and returns their client. */
export async function signUp(server: () => TestServer, overrides: { name?: string; discipline?: Discipline; email?: string; password?: string } = {}): Promise<ApiClient> {
  const client = new ApiClient(server);
  const body = {
    email: overrides.email ?? `person-${randomUUID().slice(0, 8)}@example.org`,
    password: overrides.password ?? 'correct horse battery',
    name: overrides.name ?? 'Test Person',
    discipline: overrides.discipline ?? 'nursing',
  };
  const res = await client.post<{ user: UserView }>('/api/auth/signup', body);
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  client.user = res.body.user;
  return client;
}

/** Creates a case owned by `owner`. */
export async function createCase(owner: ApiClient, overrides: Record<string, unknown> = {}): Promise<CaseView> {
  const res = await owner.post<{ case: CaseView }>('/api/cases', { title: 'Denied second-line therapy', patientRef: 'PT-2040', ...overrides });
  if (res.status !== 201) throw new Error(`create case failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.case;
}

/** Adds `member` to the case with a role. */
export async function addMember(owner: ApiClient, caseId: string, member: ApiClient, role: string): Promise<void> {
  const res = await owner.post(`/api/cases/${caseId}/members`, { email: member.user!.email, role });
  if (res.status !== 201) throw new Error(`add member failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Completes every required readiness item of a case, so it counts as ready for conference. */
export async function makeReady(editor: ApiClient, caseId: string): Promise<void> {
  const items = (await editor.get<{ items: { id: string; key: string | null; required: boolean }[] }>(`/api/cases/${caseId}/readiness`)).body.items;
  for (const item of items.filter((i) => i.required)) {
    const body = item.key === 'patient_views' ? { state: 'complete', recordedBy: 'Erik Lindqvist, RN', metOn: '2026-01-08' } : { state: 'complete' };
    const res = await editor.patch(`/api/cases/${caseId}/readiness/${item.id}`, body);
    if (res.status !== 200) throw new Error(`readiness failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

const openProviders = new Set<WebsocketProvider>();
const openSockets = new Set<Socket>();

/** A y-websocket WebsocketProvider, unmodified, connected to a case brief with the client's cookie. */
export function connectBrief(client: ApiClient, caseId: string, opts: { docName?: string; connect?: boolean } = {}): { doc: Y.Doc; provider: WebsocketProvider } {
  const cookie = client.cookie;
  class CookieWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: cookie ? { cookie } : {} });
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(client.server().url.replace('http', 'ws') + '/yjs', opts.docName ?? briefDocName(caseId), doc, {
    WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
    connect: opts.connect ?? true,
    maxBackoffTime: 200,
    // Providers in one process would otherwise share edits over BroadcastChannel, bypassing the server.
    disableBc: true,
  });
  openProviders.add(provider);
  return { doc, provider };
}

/** Waits until the provider has synced with the server. */
export function synced(provider: WebsocketProvider): Promise<true> {
  return waitFor(() => provider.synced, { what: 'the provider to sync' }) as Promise<true>;
}

/** A socket.io-client connection with the client's cookie. */
export async function connectSocket(client: ApiClient): Promise<Socket> {
  const socket = io(client.server().url, {
    transports: ['websocket'],
    extraHeaders: client.cookie ? { cookie: client.cookie } : {},
    reconnection: false,
    forceNew: true,
  });
  openSockets.add(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  return socket;
}

/** Emits with an acknowledgement and resolves with the ack. */
export function emitAck<T = any>(socket: Socket, event: string, payload: unknown): Promise<T> {
  return socket.timeout(5000).emitWithAck(event, payload) as Promise<T>;
}

/** Closes every provider and socket the helpers opened; call in afterEach/afterAll. */
export function closeClients(): void {
  for (const p of openProviders) {
    p.destroy();
    p.doc.destroy();
  }
  openProviders.clear();
  for (const s of openSockets) s.close();
  openSockets.clear();
}

/**
 * A y-websocket awareness message announcing `state` for `clientId`, with a clock high enough to
 * win over any state the server holds for that id (a forged or extra cursor, for the tests that
 * check the server refuses it).
 */
export function awarenessMessage(clientId: number, state: Record<string, unknown>, clock = 1_000_000): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 1);
  encoding.writeVarUint(inner, clientId);
  encoding.writeVarUint(inner, clock);
  encoding.writeVarString(inner, JSON.stringify(state));
  const outer = encoding.createEncoder();
  encoding.writeVarUint(outer, 1); // the awareness message type
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
  return encoding.toUint8Array(outer);
}
