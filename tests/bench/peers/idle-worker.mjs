// A load process of `npm run bench` for S3 (idle connections) and S6 (reconnect storm): it opens
// many clients that stay connected and do nothing, and tells when they are synced again after a
// server restart. Configuration (argv[2], JSON): { kind, url, cookie, maxBackoffMs }.
// Requests (IPC), each answered with `<type>-done`:
//   connect { rooms: [{ name, count, write }], batch } → { clients, ms }
//     opens `count` clients per room, `batch` at a time, each batch waiting until it is synced;
//     where `write` is set, the room's first client then writes a paragraph of 500 characters
//     (a small brief); the caller gives the servers time to store it.
//   resync { since, timeoutMs } → { delays: (ms from `since` to each client's first sync after it, or null) }
//   close → destroys every client; the process exits.
import { allSynced, briefText, openClient, prose, serve, sleep, until } from './clients.mjs';

const { kind, url, cookie, maxBackoffMs = 2500 } = JSON.parse(process.argv[2]);
const clients = [];

async function connect({ rooms, batch = 100 }) {
  const started = performance.now();
  const pending = [];
  for (const { name, count, write } of rooms) for (let i = 0; i < count; i++) pending.push({ room: name, write: write && i === 0 });
  for (let i = 0; i < pending.length; i += batch) {
    const opened = pending.slice(i, i + batch).map(({ room, write }) => ({ ...openClient({ kind, url, room, cookie, maxBackoffMs }), write }));
    clients.push(...opened);
    await allSynced(opened);
    for (const c of opened) if (c.write) briefText(c.doc).insert(0, prose(500));
  }
  return { clients: clients.length, ms: performance.now() - started };
}

async function resync({ since, timeoutMs = 60_000 }) {
  const firstAfter = (c) => c.syncTimes.find((t) => t > since);
  await until(() => clients.every((c) => firstAfter(c) !== undefined), 'clients resynced', timeoutMs, 20).catch(() => undefined);
  return { delays: clients.map((c) => (firstAfter(c) === undefined ? null : firstAfter(c) - since)) };
}

async function close() {
  for (const c of clients) c.close();
  setTimeout(() => process.exit(0), 200);
  await sleep(0);
  return {};
}

serve({ connect, resync, close });
