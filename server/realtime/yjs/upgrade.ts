import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { parseDocName, YJS_PATH } from '../../../shared/brief.js';
import { readCookie, SESSION_COOKIE } from '../../http/cookies.js';
import { isSameOrigin } from '../../http/middleware.js';
import { describeError } from '../../log.js';
import type { Services } from '../../services.js';
import type { Participant } from './connection.js';
import type { DocumentHub } from './hub.js';

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
  s.events.on('memberRoleChanged', ({ caseId, userId, role }) => {
    for (const p of hub.participants(caseId)) if (p.userId === userId) p.role = role;
  });
  s.events.on('caseChanged', ({ caseId, status }) => {
    for (const p of hub.participants(caseId)) p.caseStatus = status;
  });
  s.events.on('memberRemoved', ({ caseId, userId }) => hub.revoke(caseId, userId));
  s.events.on('sessionEnded', ({ sessionIds }) => hub.closeSessions(sessionIds));
  return wss;
}
