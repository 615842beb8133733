// A load generator for `npm run bench`, run as a child process (fork) of tests/bench/compare.ts.
// It lives in the peers folder so that yjs, y-websocket 2.1 and @hocuspocus/provider resolve to
// one copy of yjs, apart from the app's. Each client is a real provider with its own WebSocket.
// Every edit sets the sender's key in the Y.Map "bench" to the wall-clock send time (all processes
// share one clock); every other client in the room records receipt time minus send time.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';

const now = () => performance.timeOrigin + performance.now();
const { kind, url, rooms, cookie, rate } = JSON.parse(process.argv[2]);
const clients = [];
const latencies = [];
let recording = false;
let sent = 0;

class CookieWebSocket extends WebSocket {
  constructor(address, protocols) {
    super(address, protocols, { headers: cookie ? { cookie } : {} });
  }
}

function makeClient(room, index) {
  const doc = new Y.Doc();
  const key = `${process.pid}-${room}-${index}`;
  const map = doc.getMap('bench');
  map.observe((event) => {
    if (!recording || event.transaction.local) return;
    const t = now();
    for (const k of event.keysChanged) {
      if (k === key) continue;
      const v = map.get(k);
      if (typeof v === 'number') latencies.push(t - v);
    }
  });
  let provider;
  let isSynced = () => provider.synced;
  if (kind === 'hocuspocus') {
    // One socket per client, as with the other servers (Hocuspocus can multiplex documents over one).
    const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
    provider = new HocuspocusProvider({ websocketProvider: socket, name: room, document: doc });
    provider.attach();
    const destroy = provider.destroy.bind(provider);
    provider.destroy = () => (destroy(), socket.destroy());
    isSynced = () => provider.isSynced;
  } else {
    provider = new WebsocketProvider(url, room, doc, { WebSocketPolyfill: CookieWebSocket, disableBc: true, maxBackoffTime: 500 });
  }
  return { doc, map, key, provider, isSynced };
}

async function main() {
  process.setMaxListeners(0);
  for (const { name, count } of rooms) for (let i = 0; i < count; i++) clients.push(makeClient(name, i));
  const deadline = Date.now() + 120_000;
  while (!clients.every((c) => c.isSynced())) {
    if (Date.now() > deadline) throw new Error(`${clients.filter((c) => !c.isSynced()).length} of ${clients.length} clients never synced`);
    await new Promise((r) => setTimeout(r, 50));
  }
  process.send({ type: 'ready', clients: clients.length });
}

let timers = [];
process.on('message', (msg) => {
  if (msg.type === 'start') {
    recording = true;
    const period = 1000 / rate;
    for (const c of clients) {
      // Spread the clients' ticks evenly over one period, so the load is steady rather than bursty.
      const start = setTimeout(() => {
        const tick = () => {
          c.map.set(c.key, now());
          sent++;
        };
        tick();
        timers.push(setInterval(tick, period));
      }, Math.random() * period);
      timers.push(start);
    }
  } else if (msg.type === 'stop') {
    for (const t of timers) clearTimeout(t), clearInterval(t);
    timers = [];
  } else if (msg.type === 'report') {
    recording = false;
    process.send({ type: 'report', sent, latencies });
    for (const c of clients) c.provider.destroy();
    setTimeout(() => process.exit(0), 200);
  }
});

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
