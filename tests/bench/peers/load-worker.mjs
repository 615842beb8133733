// A load generator for `npm run bench`, run as a child process (fork) of tests/bench/compare.ts.
// It lives in the peers folder so that yjs, y-websocket 2.1 and @hocuspocus/provider resolve to
// one copy of yjs, apart from the app's. Each client is a real provider with its own WebSocket.
// Every edit sets the sender's key in the Y.Map "bench" to the wall-clock send time (all processes
// share one clock); every other client in the room records receipt time minus send time.
import { allSynced, now, openClient } from './clients.mjs';

// awareness: false (S8) keeps the clients' awareness silent, so that only edits travel.
// crossLatencies (S8): also the receipts of edits sent from another load process, apart.
const { kind, url, rooms, cookie, rate, awareness = true, crossLatencies: splitOut = false } = JSON.parse(process.argv[2]);
const clients = [];
const latencies = [];
const crossLatencies = [];
const mine = `${process.pid}-`;
let recording = false;
let sent = 0;

function makeClient(room, index) {
  const client = openClient({ kind, url, room, cookie, awareness });
  const key = `${process.pid}-${room}-${index}`;
  const map = client.doc.getMap('bench');
  map.observe((event) => {
    if (!recording || event.transaction.local) return;
    const t = now();
    for (const k of event.keysChanged) {
      if (k === key) continue;
      const v = map.get(k);
      if (typeof v !== 'number') continue;
      latencies.push(t - v);
      if (splitOut && !k.startsWith(mine)) crossLatencies.push(t - v);
    }
  });
  return { ...client, map, key };
}

async function main() {
  process.setMaxListeners(0);
  for (const { name, count } of rooms) for (let i = 0; i < count; i++) clients.push(makeClient(name, i));
  await allSynced(clients);
  process.send({ type: 'ready', clients: clients.length });
}

let timers = [];
process.on('disconnect', () => process.exit(0));
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
    process.send({ type: 'report', sent, latencies, ...(splitOut ? { crossLatencies } : {}) });
    for (const c of clients) c.provider.destroy();
    setTimeout(() => process.exit(0), 200);
  }
});

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
