import { MAX_AWARENESS_IDS } from '../../server/realtime/yjs/connection.js';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import { BRIEF_FRAGMENT, briefDocName, DOC_CLOSE } from '../../shared/brief.js';
import { briefPlainText } from '../../server/domain/brief.js';
import type { DocumentRepository, Store } from '../../server/store/port.js';
import { addMember, awarenessMessage, closeClients, connectBrief, connectSocket, createCase, signUp, synced } from '../helpers/clients.js';
import { waitFor } from '../helpers/factories.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

afterEach(closeClients);

/** The real store with its document log behind a slow or failing disk. */
function withDocuments(store: Store, wrap: (real: DocumentRepository) => DocumentRepository): Store {
  const documents = wrap(store.documents);
  return new Proxy(store, { get: (target, key) => (key === 'documents' ? documents : Reflect.get(target, key, target)) });
}

function type(doc: Y.Doc, text: string): void {
  const paragraph = doc.getXmlFragment(BRIEF_FRAGMENT).get(1) as Y.XmlElement;
  const t = paragraph.get(0) as Y.XmlText;
  t.insert(t.length, text);
}

async function withServer<T>(opts: Parameters<typeof startTestServer>[0], run: (s: () => TestServer) => Promise<T>): Promise<T> {
  const s = await startTestServer(opts);
  try {
    return await run(() => s);
  } finally {
    closeClients();
    await s.close();
  }
}

describe('document hub under a slow or failing store', () => {
  it('syncs the first editor even when the brief takes a while to load', async () => {
    await withServer(
      { wrapStore: (store) => withDocuments(store, (real) => ({ append: real.append.bind(real), appendMany: real.appendMany.bind(real), compact: real.compact.bind(real), load: async (name) => {
        await new Promise((r) => setTimeout(r, 150));
        return real.load(name);
      } })) },
      async (server) => {
        const owner = await signUp(server);
        const c = await createCase(owner);
        const a = connectBrief(owner, c.id);
        await synced(a.provider);
        expect(briefPlainText(a.doc)).toContain('Evidence');
      },
    );
  });

  it('backs off while saves fail, keeps the edits in memory, and stores them once the store recovers', async () => {
    let failing = false;
    let attempts = 0;
    await withServer(
      {
        hub: { commitIntervalMs: 10, unloadDelayMs: 20 },
        wrapStore: (store) => withDocuments(store, (real) => ({
          load: real.load.bind(real),
          compact: real.compact.bind(real),
          append: real.append.bind(real),
          appendMany: async (entries) => {
            if (failing) {
              attempts++;
              throw new Error('disk unavailable');
            }
            return real.appendMany(entries);
          },
        })),
      },
      async (server) => {
        const owner = await signUp(server);
        const c = await createCase(owner);
        const a = connectBrief(owner, c.id);
        await synced(a.provider);
        failing = true;
        type(a.doc, 'kept-through-the-outage');
        await waitFor(() => attempts >= 3, { what: 'a few save attempts' });
        const seen = attempts;
        await new Promise((r) => setTimeout(r, 600)); // the only sleep: to count attempts over a span of time
        expect(attempts - seen).toBeLessThan(8); // backoff doubles from 100 ms; a tight loop would be thousands
        a.provider.destroy();
        await new Promise((r) => setTimeout(r, 100));
        expect(server().server.hub.stats().documents).toBe(1); // not unloaded while unsaved
        failing = false;
        await waitFor(async () => {
          const doc = new Y.Doc();
          for (const chunk of await server().store.documents.load(briefDocName(c.id))) Y.applyUpdate(doc, chunk.data);
          return briefPlainText(doc).includes('kept-through-the-outage');
        }, { what: 'the edit to be stored after recovery', timeoutMs: 10_000 });
        await waitFor(() => server().server.hub.stats().documents === 0, { what: 'the document to unload once saved', timeoutMs: 10_000 });
      },
    );
  });
});

describe('awareness', () => {
  it("does not let one member relabel their cursor as someone else or touch another's cursor", async () => {
    await withServer({}, async (server) => {
      const owner = await signUp(server, { name: 'Olu Owner' });
      const viewer = await signUp(server, { name: 'Vic Viewer' });
      const c = await createCase(owner);
      await addMember(owner, c.id, viewer, 'viewer');
      const a = connectBrief(owner, c.id);
      const v = connectBrief(viewer, c.id);
      await Promise.all([synced(a.provider), synced(v.provider)]);
      a.provider.awareness.setLocalStateField('user', { name: 'Olu Owner', color: '#000' });
      v.provider.awareness.setLocalStateField('user', { name: 'Vic Viewer', color: '#111' });
      await waitFor(() => v.provider.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Olu Owner', { what: "the owner's cursor" });

      // The viewer impersonates the owner, with its own client id and then with the owner's.
      v.provider.awareness.setLocalStateField('user', { name: 'Olu Owner', color: '#111' });
      v.provider.ws!.send(awarenessMessage(a.doc.clientID, { user: { name: 'Dr. Impostor', color: '#f00' } }));
      v.provider.ws!.send(awarenessMessage(a.doc.clientID, { user: { name: 'Vic Viewer', color: '#f00' } }));
      // A later, honest change from the viewer shows the server has handled the forgeries.
      v.provider.awareness.setLocalStateField('user', { name: 'Vic Viewer', color: '#222' });
      await waitFor(() => a.provider.awareness.getStates().get(v.doc.clientID)?.user?.color === '#222', { what: "the viewer's honest update" });
      const seenByOwner = [...a.provider.awareness.getStates().values()].map((s) => s.user?.name);
      expect(seenByOwner).not.toContain('Dr. Impostor');
      expect(seenByOwner.filter((n) => n === 'Olu Owner')).toHaveLength(1);
    });
  });
});

describe('per-connection bounds', () => {
  it('lets one connection announce at most a few cursors; more are ignored', async () => {
    await withServer({}, async (server) => {
      const owner = await signUp(server, { name: 'Olu Owner' });
      const other = await signUp(server, { name: 'Ola Other' });
      const c = await createCase(owner);
      await addMember(owner, c.id, other, 'editor');
      const a = connectBrief(owner, c.id);
      const o = connectBrief(other, c.id);
      await Promise.all([synced(a.provider), synced(o.provider)]);
      a.provider.awareness.setLocalStateField('user', { name: 'Olu Owner', color: '#123' });
      await waitFor(() => o.provider.awareness.getStates().get(a.doc.clientID)?.user?.color === '#123', { what: "the owner's own cursor" });
      // The owner's connection then announces ten more client ids.
      const ids = Array.from({ length: 10 }, (_, i) => 900_000 + i);
      for (const id of ids) a.provider.ws!.send(awarenessMessage(id, { user: { name: 'Olu Owner', color: '#000' } }));
      o.provider.awareness.setLocalStateField('user', { name: 'Ola Other', color: '#456' });
      await waitFor(() => a.provider.awareness.getStates().get(o.doc.clientID)?.user?.color === '#456', { what: "the other's later change" });
      await waitFor(() => ids.filter((id) => o.provider.awareness.getStates().has(id)).length >= MAX_AWARENESS_IDS - 1, { what: 'the allowed extra cursors' });
      // Its own provider's id is one of the few it may hold; the rest were ignored.
      expect(ids.filter((id) => o.provider.awareness.getStates().has(id))).toEqual(ids.slice(0, MAX_AWARENESS_IDS - 1));
    });
  });
});

describe('sessions and live connections', () => {
  it('closes the brief and Socket.io connections of a session that signs out', async () => {
    await withServer({}, async (server) => {
      const owner = await signUp(server);
      const c = await createCase(owner);
      const ws = new WebSocket(`${server().url.replace('http', 'ws')}/yjs/${briefDocName(c.id)}`, { headers: { cookie: owner.cookie! } });
      await new Promise((r) => ws.once('open', r));
      const socket = await connectSocket(owner);
      const wsClosed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
      const socketGone = new Promise<string>((r) => socket.once('disconnect', (reason) => r(reason)));
      expect((await owner.post('/api/auth/signout', {})).status).toBe(204);
      expect(await wsClosed).toBe(DOC_CLOSE.signedOut);
      expect(await socketGone).toBe('io server disconnect');
    });
  });

  it('closes live connections once their session has expired', async () => {
    let now = Date.parse('2026-05-01T08:00:00Z');
    const clock = { now: () => new Date(now) };
    await withServer({ clock, sessionCheckMs: 50, config: { sessionTtlHours: 1 } }, async (server) => {
      const owner = await signUp(server);
      const c = await createCase(owner);
      const ws = new WebSocket(`${server().url.replace('http', 'ws')}/yjs/${briefDocName(c.id)}`, { headers: { cookie: owner.cookie! } });
      await new Promise((r) => ws.once('open', r));
      const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
      now += 2 * 3600_000;
      expect(await closed).toBe(DOC_CLOSE.signedOut);
    });
  });

  it('renews the cookie when a session slides forward', async () => {
    let now = Date.parse('2026-05-01T08:00:00Z');
    const clock = { now: () => new Date(now) };
    await withServer({ clock, config: { sessionTtlHours: 2 } }, async (server) => {
      const me = await signUp(server);
      const early = await me.get('/api/me');
      expect(early.headers.get('set-cookie')).toBeNull();
      now += 90 * 60_000; // past half of two hours
      const later = await me.get('/api/me');
      expect(later.status).toBe(200);
      const cookie = later.headers.get('set-cookie')!;
      expect(new Date(/Expires=([^;]+)/.exec(cookie)![1]!).getTime()).toBe(now + 2 * 3600_000 - (now % 1000));
      now += 60 * 60_000; // the original expiry has passed; the renewed one has not
      expect((await me.get('/api/me')).status).toBe(200);
    });
  });

  it('limits how many accounts one client address can create', async () => {
    await withServer({ config: { signUpsPerHour: 2 } }, async (server) => {
      await signUp(server);
      await signUp(server);
      const third = await fetch(`${server().url}/api/auth/signup`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'third@example.org', password: 'long enough pass', name: 'Third', discipline: 'other' }),
      });
      expect(third.status).toBe(429);
      expect(await server().store.users.findByEmail('third@example.org')).toBeNull();
    });
  });
});
