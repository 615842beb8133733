// What every load process of `npm run bench` shares: one real client (provider) per call, on
// the peers' own copy of yjs, plus small helpers for waiting and for the IPC conversation with
// tests/bench/compare.ts. Consilium and the y-websocket reference server are driven with the
// y-websocket 2.1 WebsocketProvider, Hocuspocus with @hocuspocus/provider, one WebSocket each.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';

export { Y };
export const now = () => performance.timeOrigin + performance.now();
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A WebSocket class that sends the session cookie with its upgrade request (Consilium). */
function cookieWebSocket(cookie) {
  return class CookieWebSocket extends WebSocket {
    constructor(address, protocols) {
      super(address, protocols, { headers: cookie ? { cookie } : {} });
    }
  };
}

/**
 * One client of one document. `maxBackoffMs` caps the reconnection delay of either provider
 * (y-websocket's maxBackoffTime, Hocuspocus's maxDelay); `awareness: false` clears the local
 * awareness state before the socket opens, so the client sends no awareness at all.
 * `syncTimes` collects the wall-clock time of every transition to synced (the first one and
 * each one after a reconnection).
 */
export function openClient({ kind, url, room, cookie, maxBackoffMs = 500, awareness = true, doc = new Y.Doc() }) {
  const syncTimes = [];
  let provider;
  let isSynced;
  if (kind === 'hocuspocus') {
    // One socket per client, as with the other servers (Hocuspocus can multiplex documents over one).
    const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket, maxDelay: maxBackoffMs });
    provider = new HocuspocusProvider({ websocketProvider: socket, name: room, document: doc, ...(awareness ? {} : { awareness: null }) });
    provider.attach();
    const destroy = provider.destroy.bind(provider);
    provider.destroy = () => (destroy(), socket.destroy());
    provider.on('synced', () => syncTimes.push(now()));
    isSynced = () => provider.isSynced;
  } else {
    provider = new WebsocketProvider(url, room, doc, { WebSocketPolyfill: cookieWebSocket(cookie), disableBc: true, maxBackoffTime: maxBackoffMs });
    if (!awareness) provider.awareness.setLocalState(null);
    provider.on('sync', (state) => state && syncTimes.push(now()));
    isSynced = () => provider.synced;
  }
  return { doc, provider, isSynced, syncTimes, close: () => provider.destroy() };
}

/** Resolves once `test()` holds, polling every `everyMs`; rejects with `what` after `timeoutMs`. */
export async function until(test, what, timeoutMs = 120_000, everyMs = 10) {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(everyMs);
  }
}

/** Waits until every client is synced. */
export function allSynced(clients, timeoutMs = 120_000) {
  return until(() => clients.every((c) => c.isSynced()), `${clients.filter((c) => !c.isSynced()).length} of ${clients.length} clients never synced`, timeoutMs, 20);
}

/** The brief's text: a paragraph in the XML fragment the editor binds to ("default"), created once. */
export function briefText(doc) {
  const fragment = doc.getXmlFragment('default');
  for (const node of fragment.toArray()) {
    if (node instanceof Y.XmlElement && node.getAttribute('data-bench') === 'text') {
      const text = node.get(0);
      if (text instanceof Y.XmlText) return text;
    }
  }
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.setAttribute('data-bench', 'text');
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  fragment.push([paragraph]);
  return text;
}

const WORDS = 'the patient reports mild pain after the second dose and the team agrees to review the plan on friday with the family present'.split(' ');
/** Some plausible prose of about `length` characters. */
export function prose(length) {
  let s = '';
  while (s.length < length) s += WORDS[Math.floor(Math.random() * WORDS.length)] + ' ';
  return s.slice(0, length);
}

/**
 * Handles the IPC conversation: each message `{ type, ... }` goes to `handlers[type]`, whose
 * result is sent back as `{ type: <type>-done, ...result }`; a failure ends the process. The
 * process also ends when compare.ts goes away, so a crashed benchmark leaves no clients behind.
 */
export function serve(handlers) {
  process.setMaxListeners(0);
  process.on('disconnect', () => process.exit(0));
  process.on('message', (msg) => {
    const handler = handlers[msg?.type];
    if (!handler) return;
    Promise.resolve(handler(msg))
      .then((result) => process.send({ type: `${msg.type}-done`, ...result }))
      .catch((err) => {
        console.error(err);
        process.exit(1);
      });
  });
  process.send({ type: 'ready' });
}
