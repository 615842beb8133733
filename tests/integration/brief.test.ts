import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { tooBigReason } from '../../server/realtime/yjs/upgrade.js';
import { BRIEF_FRAGMENT, briefDocName, DOC_CLOSE } from '../../shared/brief.js';
import { briefPlainText, BRIEF_TEMPLATE } from '../../server/domain/brief.js';
import { addMember, type ApiClient, closeClients, connectBrief, createCase, signUp, synced } from '../helpers/clients.js';
import { buildCase, waitFor } from '../helpers/factories.js';
import { startTestServer, useTestServer, type TestServer } from '../helpers/server.js';

const server = useTestServer({ config: { maxMessageBytes: 256 * 1024 } });
afterEach(closeClients);

/** Types text at the end of the brief's first paragraph, the way an editor would. */
function type(doc: Y.Doc, text: string): void {
  const fragment = doc.getXmlFragment(BRIEF_FRAGMENT);
  const paragraph = fragment.toArray().find((n) => n instanceof Y.XmlElement && n.nodeName === 'paragraph') as Y.XmlElement;
  const t = paragraph.get(0) as Y.XmlText;
  t.insert(t.length, text);
}

async function storedText(s: TestServer, caseId: string): Promise<string> {
  const doc = new Y.Doc();
  for (const chunk of await s.store.documents.load(briefDocName(caseId))) Y.applyUpdate(doc, chunk.data);
  return briefPlainText(doc);
}

/** Opens a raw WebSocket and resolves with how the server answered: opened, or the HTTP status. */
function rawConnect(url: string, cookie?: string): Promise<{ opened: WebSocket } | { status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: cookie ? { cookie } : {} });
    ws.once('open', () => resolve({ opened: ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

/** The code of the provider's next connection close. */
function closeCodeOf(provider: { once(event: 'connection-close', f: (e: CloseEvent | null) => void): void }): Promise<number | undefined> {
  return new Promise((resolve) => provider.once('connection-close', (e) => resolve(e?.code)));
}

function closeCode(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

/** A case stored without any brief content (as if created before briefs existed): the hub must seed it. */
async function caseWithoutBrief(owner: ApiClient, editor: ApiClient) {
  const record = buildCase({ createdBy: owner.user!.id });
  await server().store.cases.create(record);
  for (const [member, role] of [[owner, 'owner'], [editor, 'editor']] as const) {
    await server().store.memberships.add({ caseId: record.id, userId: member.user!.id, role, discipline: 'nursing', addedBy: owner.user!.id, addedAt: record.createdAt });
  }
  expect(await server().store.documents.load(briefDocName(record.id))).toEqual([]);
  return record;
}

async function teamOfTwo(role = 'editor'): Promise<{ owner: ApiClient; other: ApiClient; caseId: string }> {
  const owner = await signUp(server, { name: 'Olu Owner' });
  const other = await signUp(server, { name: 'Eve Other' });
  const c = await createCase(owner);
  await addMember(owner, c.id, other, role);
  return { owner, other, caseId: c.id };
}

describe('the case brief over y-websocket', () => {
  it('starts from the template, and two people typing at once converge', async () => {
    const { owner, other, caseId } = await teamOfTwo();
    const a = connectBrief(owner, caseId);
    const b = connectBrief(other, caseId);
    await Promise.all([synced(a.provider), synced(b.provider)]);
    for (const section of BRIEF_TEMPLATE) expect(briefPlainText(a.doc)).toContain(section.heading);

    for (let i = 0; i < 20; i++) {
      type(a.doc, `a${i} `);
      type(b.doc, `b${i} `);
    }
    await waitFor(() => briefPlainText(a.doc) === briefPlainText(b.doc) && briefPlainText(a.doc).includes('a19') && briefPlainText(a.doc).includes('b19'), { what: 'convergence' });
    await waitFor(async () => (await storedText(server(), caseId)).includes('b19'), { what: 'the edits to be stored' });
  });

  it("refuses a viewer's edits: they reach neither the others nor the store, and the viewer is told", async () => {
    const { owner, other: viewer, caseId } = await teamOfTwo('viewer');
    const a = connectBrief(owner, caseId);
    const v = connectBrief(viewer, caseId);
    await Promise.all([synced(a.provider), synced(v.provider)]);
    const refused = closeCodeOf(v.provider);
    type(v.doc, 'VIEWER-WROTE-THIS');
    expect(await refused).toBe(DOC_CLOSE.editRefused);
    v.provider.destroy();
    type(a.doc, 'owner-wrote-this');
    await waitFor(async () => (await storedText(server(), caseId)).includes('owner-wrote-this'), { what: 'storage' });
    expect(briefPlainText(a.doc)).not.toContain('VIEWER-WROTE-THIS');
    expect(await storedText(server(), caseId)).not.toContain('VIEWER-WROTE-THIS');
    // A fresh copy for the viewer has the owner's words and not their own refused ones.
    const fresh = connectBrief(viewer, caseId);
    await synced(fresh.provider);
    expect(briefPlainText(fresh.doc)).toContain('owner-wrote-this');
    expect(briefPlainText(fresh.doc)).not.toContain('VIEWER-WROTE-THIS');
  });

  it('lets a commenter read the brief but not write it', async () => {
    const { owner, other: commenter, caseId } = await teamOfTwo('commenter');
    const a = connectBrief(owner, caseId);
    const c = connectBrief(commenter, caseId);
    await Promise.all([synced(a.provider), synced(c.provider)]);
    type(a.doc, 'for-the-commenter');
    await waitFor(() => briefPlainText(c.doc).includes('for-the-commenter'), { what: 'the commenter to read' });
    const refused = closeCodeOf(c.provider);
    type(c.doc, 'COMMENTER-WROTE');
    expect(await refused).toBe(DOC_CLOSE.editRefused);
    expect(briefPlainText(a.doc)).not.toContain('COMMENTER-WROTE');
  });

  it('applies a role change to an open connection at once', async () => {
    const { owner, other, caseId } = await teamOfTwo('commenter');
    const a = connectBrief(owner, caseId);
    const b = connectBrief(other, caseId);
    await Promise.all([synced(a.provider), synced(b.provider)]);
    expect((await owner.patch(`/api/cases/${caseId}/members/${other.user!.id}`, { role: 'editor' })).status).toBe(200);
    type(b.doc, 'promoted-edit');
    await waitFor(() => briefPlainText(a.doc).includes('promoted-edit'), { what: "the promoted member's edit" });
  });

  it('freezes the brief for everyone once the case is archived, and thaws it on restore', async () => {
    const { owner, other, caseId } = await teamOfTwo();
    const a = connectBrief(owner, caseId);
    const b = connectBrief(other, caseId);
    await Promise.all([synced(a.provider), synced(b.provider)]);
    expect((await owner.patch(`/api/cases/${caseId}`, { status: 'archived' })).status).toBe(200);
    const refused = closeCodeOf(a.provider);
    type(a.doc, 'WRITTEN-WHILE-ARCHIVED');
    expect(await refused).toBe(DOC_CLOSE.editRefused);
    a.provider.destroy();
    expect(briefPlainText(b.doc)).not.toContain('WRITTEN-WHILE-ARCHIVED');

    expect((await owner.patch(`/api/cases/${caseId}`, { status: 'in_review' })).status).toBe(200);
    const again = connectBrief(owner, caseId); // as the app does after a refusal: a fresh copy
    await synced(again.provider);
    type(b.doc, 'written-after-restore');
    await waitFor(() => briefPlainText(again.doc).includes('written-after-restore'), { what: 'edits to flow again' });
    type(again.doc, 'owner-after-restore');
    await waitFor(() => briefPlainText(b.doc).includes('owner-after-restore'), { what: "the owner's new edit" });
    expect(briefPlainText(b.doc)).not.toContain('WRITTEN-WHILE-ARCHIVED');
  });

  it("closes a removed member's connection with the access-revoked code", async () => {
    const { owner, other, caseId } = await teamOfTwo();
    const ws = await rawConnect(`${server().url.replace('http', 'ws')}/yjs/${briefDocName(caseId)}`, other.cookie);
    if (!('opened' in ws)) throw new Error(`refused: ${ws.status}`);
    const closed = closeCode(ws.opened);
    await owner.delete(`/api/cases/${caseId}/members/${other.user!.id}`);
    expect(await closed).toBe(DOC_CLOSE.accessRevoked);
  });

  it('keeps the brief across a server restart', async () => {
    const { owner, caseId } = await teamOfTwo();
    const a = connectBrief(owner, caseId);
    await synced(a.provider);
    type(a.doc, 'survives-restart');
    await waitFor(async () => (await storedText(server(), caseId)).includes('survives-restart'), { what: 'storage' });
    a.provider.destroy();
    await server().restart();
    const again = connectBrief(owner, caseId);
    await synced(again.provider);
    expect(briefPlainText(again.doc)).toContain('survives-restart');
    expect(briefPlainText(again.doc).split('\n').filter((l) => l === 'Evidence')).toHaveLength(1);
  });

  it('refuses a non-member, an anonymous client and an unknown document before upgrading', async () => {
    const { caseId } = await teamOfTwo();
    const stranger = await signUp(server);
    const base = `${server().url.replace('http', 'ws')}/yjs/`;
    expect(await rawConnect(base + briefDocName(caseId), stranger.cookie)).toEqual({ status: 404 });
    expect(await rawConnect(base + briefDocName(randomUUID()), stranger.cookie)).toEqual({ status: 404 });
    expect(await rawConnect(base + briefDocName(caseId))).toEqual({ status: 401 });
    expect(await rawConnect(base + 'not-a-document', stranger.cookie)).toEqual({ status: 404 });
    const p = connectBrief(stranger, caseId);
    await waitFor(() => p.provider.wsconnected === false, { what: 'the provider to stay disconnected' });
    expect(p.provider.synced).toBe(false);
    expect(briefPlainText(p.doc)).toBe('');
  });

  it('closes only the connection that sends a malformed or oversized message', async () => {
    const { owner, other, caseId } = await teamOfTwo();
    const a = connectBrief(owner, caseId);
    const b = connectBrief(other, caseId);
    await Promise.all([synced(a.provider), synced(b.provider)]);
    const url = `${server().url.replace('http', 'ws')}/yjs/${briefDocName(caseId)}`;

    const bad = await rawConnect(url, owner.cookie);
    if (!('opened' in bad)) throw new Error('refused');
    const badClosed = closeCode(bad.opened);
    bad.opened.send(Buffer.from([0, 7, 255, 255, 255, 255, 255])); // sync message of an unknown kind, truncated
    expect(await badClosed).toBe(DOC_CLOSE.malformedMessage);

    const text = await rawConnect(url, owner.cookie);
    if (!('opened' in text)) throw new Error('refused');
    const textClosed = closeCode(text.opened);
    text.opened.send('hello'); // a text frame is not part of the protocol
    expect(await textClosed).toBe(DOC_CLOSE.malformedMessage);

    const big = await rawConnect(url, owner.cookie);
    if (!('opened' in big)) throw new Error('refused');
    const bigClosed = new Promise<[number, string]>((resolve) => big.opened.once('close', (code, reason) => resolve([code, reason.toString()])));
    big.opened.send(Buffer.alloc(300 * 1024, 1));
    // The documented code and reason (docs/SOCKET_EVENTS.md).
    expect(await bigClosed).toEqual([DOC_CLOSE.messageTooBig, tooBigReason(256 * 1024)]);

    type(a.doc, 'still-working');
    await waitFor(() => briefPlainText(b.doc).includes('still-working'), { what: 'the others to keep working' });
  });

  it('unloads a document once everyone has left and its edits are stored', async () => {
    const { owner, caseId } = await teamOfTwo();
    const a = connectBrief(owner, caseId);
    await synced(a.provider);
    expect(server().server.hub.stats().documents).toBeGreaterThanOrEqual(1);
    type(a.doc, 'before-unload');
    a.provider.destroy();
    await waitFor(() => server().server.hub.stats().documents === 0, { what: 'the document to unload' });
    expect(await storedText(server(), caseId)).toContain('before-unload');
  });
});

describe('the brief template', () => {
  it('is created once when two clients open an empty brief at the same moment', async () => {
    const owner = await signUp(server);
    const editor = await signUp(server);
    const record = await caseWithoutBrief(owner, editor);
    const a = connectBrief(owner, record.id);
    const b = connectBrief(editor, record.id);
    await Promise.all([synced(a.provider), synced(b.provider)]);
    for (const doc of [a.doc, b.doc]) {
      const lines = briefPlainText(doc).split('\n');
      for (const section of BRIEF_TEMPLATE) expect(lines.filter((l) => l === section.heading)).toHaveLength(1);
    }
  });

  it('is created once even when two server processes seed an empty brief at once', async () => {
    const owner = await signUp(server);
    const editor = await signUp(server);
    const record = await caseWithoutBrief(owner, editor);
    const second = await startTestServer({ dataDir: server().dataDir });
    try {
      const a = connectBrief(owner, record.id);
      const editorOnSecond = { ...editor, server: () => second } as ApiClient;
      const b = connectBrief(editorOnSecond, record.id);
      await Promise.all([synced(a.provider), synced(b.provider)]);
      for (const doc of [a.doc, b.doc]) {
        const lines = briefPlainText(doc).split('\n');
        for (const section of BRIEF_TEMPLATE) expect(lines.filter((l) => l === section.heading)).toHaveLength(1);
      }
      // Both processes append to the same log; the stored brief has both edits and one template.
      type(a.doc, 'from-first');
      type(b.doc, 'from-second');
      await waitFor(async () => {
        const stored = await storedText(server(), record.id);
        return stored.includes('from-first') && stored.includes('from-second');
      }, { what: 'both processes to store their edits' });
      const stored = await storedText(server(), record.id);
      expect(stored.split('\n').filter((l) => l === 'Stakeholder plan')).toHaveLength(1);
    } finally {
      closeClients();
      await second.close();
    }
  });
});
