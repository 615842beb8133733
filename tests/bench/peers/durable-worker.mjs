// A load process of `npm run bench` for S7 (durability): editors like S1's, except that each edit
// is a new entry of the Y.Map "edits" (key "<client>:<sequence>", value the send time), so that
// each one can be looked for afterwards, and each is logged to a file right after the provider
// was handed it: "<key> <wall-clock send time ms>\n", written synchronously, so the log survives
// a SIGKILL of this process. Configuration (argv[2], JSON): { kind, url, cookie, rooms, rate, log, maxBackoffMs }.
// Requests (IPC), each answered with `<type>-done`:
//   connect → {}   opens the clients and waits until they are synced
//   start / stop → {}   each client edits `rate` times per second, spread evenly
//   resync { since, timeoutMs } → { unsynced }   waits until every client has synced again after `since`
//   close → the process exits
import { closeSync, openSync, writeSync } from 'node:fs';
import { allSynced, now, openClient, serve, sleep, until } from './clients.mjs';

const { kind, url, cookie, rooms, rate, log, maxBackoffMs = 500 } = JSON.parse(process.argv[2]);
const fd = openSync(log, 'a');
const clients = [];
let timers = [];

async function connect() {
  for (const { name, count } of rooms) {
    for (let i = 0; i < count; i++) {
      const client = openClient({ kind, url, room: name, cookie, maxBackoffMs });
      clients.push({ ...client, edits: client.doc.getMap('edits'), key: `${process.pid}-${clients.length}`, seq: 0 });
    }
  }
  await allSynced(clients);
  return {};
}

function edit(c) {
  const key = `${c.key}:${c.seq++}`;
  const t = now();
  c.edits.set(key, t);
  writeSync(fd, `${key} ${t}\n`);
}

async function start() {
  const period = 1000 / rate;
  for (const c of clients) {
    const first = setTimeout(() => {
      edit(c);
      timers.push(setInterval(() => edit(c), period));
    }, Math.random() * period);
    timers.push(first);
  }
  return {};
}

async function stop() {
  for (const t of timers) clearTimeout(t), clearInterval(t);
  timers = [];
  return {};
}

async function resync({ since, timeoutMs = 60_000 }) {
  const back = (c) => c.syncTimes.some((t) => t > since) && c.isSynced();
  await until(() => clients.every(back), 'clients resynced', timeoutMs, 20).catch(() => undefined);
  return { unsynced: clients.filter((c) => !back(c)).length };
}

async function close() {
  await stop();
  for (const c of clients) c.close();
  closeSync(fd);
  setTimeout(() => process.exit(0), 200);
  await sleep(0);
  return {};
}

serve({ connect, start, stop, resync, close });
