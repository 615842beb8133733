import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { DOC_CLOSE, parseDocName, YJS_PATH } from '../../../shared/brief.js';
import { readCookie, SESSION_COOKIE } from '../../http/cookies.js';
import { isSameOrigin } from '../../http/middleware.js';
import { describeError } from '../../log.js';
import type { Services } from '../../services.js';
import type { Participant } from './connection.js';
import type { DocumentHub } from './hub.js';
import type { Role } from '../../../shared/roles.js';
import type { CaseStatus } from '../../../shared/schemas/cases.js';

function refuse(socket: Duplex, status: number, text: string): void {
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`);
  }
  socket.destroy();
}

/**
 * Accepts y-websocket connections at /yjs/<documentName>. The upgrade is authenticated with
 * the session cookie and authorized by the same case access rules as the HTTP routes:
 * non-members get the same 404 as a document that does not exist.
 */
export function attachDocumentServer(server: Server, hub: DocumentHub, s: Services): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: s.config.maxMessageBytes });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (!path.startsWith(`${YJS_PATH}/`)) return; // Socket.io and others handle their own upgrades
    socket.on('error', () => socket.destroy());
    void (async () => {
      let name: string;
      try {
        name = decodeURIComponent(path.slice(YJS_PATH.length + 1));
      } catch {
        return refuse(socket, 404, 'Not Found');
      }
      const parsed = parseDocName(name);
      if (!parsed) return refuse(socket, 404, 'Not Found');
      if (!isSameOrigin(req.headers.origin, req.headers.host)) return refuse(socket, 403, 'Forbidden');
      const session = await s.accounts.authenticate(readCookie(req.headers.cookie, SESSION_COOKIE));
      if (!session) return refuse(socket, 401, 'Unauthorized');
      const { user, sessionId } = session;
      const authorize = async (): Promise<Participant | null> => {
        const membership = await s.access.membership(parsed.caseId, user.id);
        const record = membership ? await s.store.cases.findById(parsed.caseId) : null;
        return membership && record ? { userId: user.id, name: user.name, sessionId, caseId: parsed.caseId, role: membership.role, caseStatus: record.status } : null;
      };
      if (!(await authorize())) return refuse(socket, 404, 'Not Found');
      wss.handleUpgrade(req, socket, head, (ws) => {
        explainOversizedClose(ws, s.config.maxMessageBytes);
        hub.connect(ws, name, authorize).catch((err) => {
          s.log.error('doc.connect_failed', { doc: name, ...describeError(err) });
          ws.close(1011, 'could not open the document');
        });
      });
    })().catch((err) => {
      s.log.error('doc.upgrade_failed', describeError(err));
      refuse(socket, 500, 'Internal Server Error');
    });
  });

  // A role change or an archived case changes who may write, on connections already open.
  s.events.on('memberRoleChanged', (e) => applyAccessChange(hub, { kind: 'role', ...e }));
  s.events.on('caseChanged', (e) => applyAccessChange(hub, { kind: 'case', ...e }));
  s.events.on('memberRemoved', (e) => applyAccessChange(hub, { kind: 'removed', ...e }));
  s.events.on('sessionEnded', (e) => applyAccessChange(hub, { kind: 'sessions', ...e }));
  return wss;
}

/** The close reason sent with 1009 when a client's message is over the limit (docs/SOCKET_EVENTS.md). */
export function tooBigReason(maxBytes: number): string {
  return `message too big: the limit is ${maxBytes} bytes`;
}

/**
 * ws closes a connection whose frame is over `maxPayload` with 1009 and no reason (it reads only
 * the frame's header, so the payload is never buffered). The client is told why.
 */
function explainOversizedClose(ws: WebSocket, maxBytes: number): void {
  const close = ws.close.bind(ws);
  ws.close = (code?: number, reason?: string | Buffer) => close(code, reason ?? (code === DOC_CLOSE.messageTooBig ? tooBigReason(maxBytes) : undefined));
}

/** A change of who may do what, for the open brief connections of this process (from here, or relayed from another process). */
export type AccessChange =
  | { kind: 'role'; caseId: string; userId: string; role: Role }
  | { kind: 'case'; caseId: string; status: CaseStatus }
  | { kind: 'removed'; caseId: string; userId: string }
  | { kind: 'sessions'; sessionIds: string[] };

export function applyAccessChange(hub: DocumentHub, change: AccessChange): void {
  switch (change.kind) {
    case 'role':
      for (const p of hub.participants(change.caseId)) if (p.userId === change.userId) p.role = change.role;
      return;
    case 'case':
      for (const p of hub.participants(change.caseId)) p.caseStatus = change.status;
      return;
    case 'removed':
      hub.revoke(change.caseId, change.userId);
      return;
    case 'sessions':
      hub.closeSessions(change.sessionIds);
  }
}
