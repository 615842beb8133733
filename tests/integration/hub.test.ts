import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { BRIEF_FRAGMENT, briefDocName, DOC_CLOSE } from '../../shared/brief.js';
import { compactDocument, compactionStats } from '../../server/realtime/yjs/persistence.js';
import type { Store } from '../../server/store/port.js';
import { closeClients, connectBrief, createCase, signUp, synced } from '../helpers/clients.js';
import { waitFor } from '../helpers/factories.js';
import { useTestServer } from '../helpers/server.js';

/** Counts document loads, each slowed down so that connections really arrive while one is running. */
const loads = new Map<string, number>();
function countingLoads(store: Store): Store {
  const documents = store.documents;
  const counted = {
    append: documents.append.bind(documents),
    appendMany: documents.appendMany.bind(documents),
    compact: documents.compact.bind(documents),
    load: async (name: string) => {
      loads.set(name, (loads.get(name) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 150));
      return documents.load(name);
    },
  };
  return new Proxy(store, { get: (target, key) => (key === 'documents' ? counted : Reflect.get(target, key, target)) });
}

const server = useTestServer({ wrapStore: countingLoads, hub: { unloadDelayMs: 50, maxBacklogBytes: 256 * 1024 } });
afterEach(closeClients);

describe('the document hub', () => {
  it('loads a document once however many clients connect at the same moment, and sends nothing before it loaded', async () => {
    const owner = await signUp(server);
    const c = await createCase(owner);
    const name = `case:${c.id}:brief`;
    const before = loads.get(name) ?? 0;
    const clients = Array.from({ length: 12 }, () => connectBrief(owner, c.id));
    await Promise.all(clients.map((x) => synced(x.provider)));
    expect((loads.get(name) ?? 0) - before).toBe(1);
    // Every client got the whole brief (the template), never an empty document first.
    for (const x of clients) expect(x.doc.getXmlFragment(BRIEF_FRAGMENT).length).toBeGreaterThan(0);
  });

  it('folds a large log into one snapshot in a worker thread, losing nothing, even with a second compactor racing', async () => {
    const store = server().store;
    const name = `case:${crypto.randomUUID()}:brief`;
    const doc = new Y.Doc();
    let before = Y.encodeStateVector(doc);
    for (let i = 0; i < 4; i++) {
      doc.getText('t').insert(doc.getText('t').length, `${i}`.repeat(200_000));
      await store.documents.append(name, Y.encodeStateAsUpdate(doc, before));
      before = Y.encodeStateVector(doc);
    }
    const offThread = compactionStats.offThread;
    await Promise.all([compactDocument(store.documents, name, { force: true }), compactDocument(store.documents, name, { force: true })]);
    expect(compactionStats.offThread).toBeGreaterThan(offThread);
    const copy = new Y.Doc();
    for (const chunk of await store.documents.load(name)) Y.applyUpdate(copy, chunk.data);
    expect(copy.getText('t').toString()).toBe(doc.getText('t').toString());
    expect((await store.documents.load(name)).length).toBeLessThanOrEqual(2);
  });

  it('leaves nothing loaded after many connect and disconnect cycles', async () => {
    const owner = await signUp(server);
    const c = await createCase(owner);
    for (let i = 0; i < 40; i++) {
      const { doc, provider } = connectBrief(owner, c.id);
      await synced(provider);
      const p = doc.getXmlFragment(BRIEF_FRAGMENT).get(1) as Y.XmlElement;
      (p.get(0) as Y.XmlText).insert(0, `cycle ${i} `);
      provider.destroy();
      doc.destroy();
    }
    await waitFor(() => server().server.hub.stats().documents === 0 && server().server.hub.stats().connections === 0, { what: 'every document to unload', timeoutMs: 10_000 });
    // Forty cycles' edits were all stored.
    const { doc, provider } = connectBrief(owner, c.id);
    await synced(provider);
    const text = doc.getXmlFragment(BRIEF_FRAGMENT).toString();
    for (let i = 0; i < 40; i++) expect(text).toContain(`cycle ${i} `);
    provider.destroy();
    // (Heap figures are left to `npm run bench`: without a forced collection they are noise here.)
  });

  it('stores a brief at rest as one snapshot once its editors have left, so the next load applies no edit log', async () => {
    const owner = await signUp(server);
    const c = await createCase(owner);
    const { doc, provider } = connectBrief(owner, c.id);
    await synced(provider);
    const text = doc.getText('notes');
    for (let i = 0; i < 300; i++) {
      text.insert(text.length, `line ${i}: ${'x'.repeat(100)}\n`);
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 30)); // several group commits
    }
    const name = briefDocName(c.id);
    await waitFor(async () => (await server().store.documents.load(name)).length > 1, { what: 'several stored batches' });
    provider.destroy();
    await waitFor(async () => {
      const chunks = await server().store.documents.load(name);
      return server().server.hub.stats().documents === 0 && chunks.length === 1 && chunks[0]!.level === 2;
    }, { what: 'one snapshot at rest' });
    const again = connectBrief(owner, c.id);
    await synced(again.provider);
    expect(again.doc.getText('notes').toString()).toBe(text.toString());
  });

  it('closes a connection whose client stops reading once its backlog passes the limit, and only that one', async () => {
    const owner = await signUp(server);
    const c = await createCase(owner);
    const writer = connectBrief(owner, c.id);
    const reader = connectBrief(owner, c.id);
    await Promise.all([synced(writer.provider), synced(reader.provider)]);
    const stalled = new WebSocket(`${server().url.replace('http', 'ws')}/yjs/${briefDocName(c.id)}`, { headers: { cookie: owner.cookie! } });
    await new Promise((r) => stalled.once('open', r));
    const closed = new Promise<number>((r) => stalled.once('close', (code) => r(code)));
    // The stalled client stops reading; the kernel's buffers fill up, then the server's backlog grows.
    (stalled as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const text = writer.doc.getText('bulk');
    for (let i = 0; i < 24; i++) {
      text.insert(text.length, String(i % 10).repeat(800_000));
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitFor(() => reader.doc.getText('bulk').length === text.length, { what: 'the reading client to get everything', timeoutMs: 30_000 });
    (stalled as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await closed).toBe(DOC_CLOSE.tooFarBehind);
    expect(writer.provider.wsconnected && reader.provider.wsconnected).toBe(true);
  }, 60_000);
});
