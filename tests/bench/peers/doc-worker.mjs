// A load process of `npm run bench` for S4, S5 and S7: one document at a time, written by one
// client (the writer) while a second client (the observer) follows it through the server, so the
// writer can be paced: after each batch it waits until the observer has everything (the server has
// applied and relayed it). Configuration (argv[2], JSON): { kind, url, cookie }.
// Requests (IPC), each answered with `<type>-done`:
//   history { room, edits, batch, pattern } → { edits, updateBytes, textLength, ms }
//     `edits` small edits to the brief's text, each its own transaction (one update, one message).
//     pattern 'typing': one character at a time at a cursor, which jumps to a random place once in
//     40 keystrokes on average, and 5 % of the keystrokes are a backspace (how people write);
//     pattern 'scattered': inserts of 1–8 characters at random positions, and every 8th a deletion
//     of 1–3 characters (a worst case for Yjs: nothing merges).
//   grow { room, bytes, chunk }        → { textLength, stateBytes }   text until it holds `bytes` characters
//   type { room, edits, rate }         → { edits, updateBytes, ms }   single-character edits at `rate` per second
//   leave                              → {}   closes the writer and the observer
//   coldLoad { room }                  → { ms, stateBytes }   a fresh client alone: connect → synced, then closed
//   readEdits { room }                 → { keys }   a fresh client's view of the Y.Map "edits" (S7), then closed
//   close                              → the process exits
import { allSynced, briefText, now, openClient, prose, serve, sleep, until, Y } from './clients.mjs';

const { kind, url, cookie } = JSON.parse(process.argv[2]);
let session = null;

async function open(room) {
  if (session?.room === room) return session;
  await leave();
  const writer = openClient({ kind, url, room, cookie });
  const observer = openClient({ kind, url, room, cookie });
  await allSynced([writer, observer]);
  const text = briefText(writer.doc);
  let updateBytes = 0;
  writer.doc.on('update', (update, _origin, _doc, transaction) => {
    if (transaction.local) updateBytes += update.byteLength; // the writer's own edits, as sent
  });
  session = { room, writer, observer, text, bytes: () => updateBytes };
  await caughtUp();
  return session;
}

/** Waits until the observer holds everything the writer wrote (each batch ends with an insert, which advances the clock). */
function caughtUp(timeoutMs = 120_000) {
  const { writer, observer } = session;
  const id = writer.doc.clientID;
  return until(() => Y.getState(observer.doc.store, id) >= Y.getState(writer.doc.store, id), 'the observer caught up', timeoutMs, 2);
}

const randomInt = (n) => Math.floor(Math.random() * n);

async function history({ room, edits, batch = 250, pattern = 'typing' }) {
  const s = await open(room);
  const before = s.bytes();
  const started = performance.now();
  let cursor = s.text.length;
  for (let done = 0; done < edits; ) {
    const n = Math.min(batch, edits - done);
    for (let i = 0; i < n; i++, done++) {
      const length = s.text.length;
      const last = i === n - 1; // each batch ends with an insert (see caughtUp)
      if (pattern === 'scattered') {
        if (!last && done % 8 === 7 && length > 10) s.text.delete(randomInt(length - 3), 1 + randomInt(3));
        else s.text.insert(randomInt(length + 1), prose(1 + randomInt(8)));
        continue;
      }
      if (Math.random() < 1 / 40) cursor = randomInt(length + 1);
      cursor = Math.min(cursor, length);
      if (!last && cursor > 0 && Math.random() < 0.05) s.text.delete(--cursor, 1);
      else s.text.insert(cursor++, prose(1));
    }
    await caughtUp();
  }
  return { edits, updateBytes: s.bytes() - before, textLength: s.text.length, ms: performance.now() - started };
}

async function grow({ room, bytes, chunk = 10_000 }) {
  const s = await open(room);
  while (s.text.length < bytes) {
    s.text.insert(randomInt(s.text.length + 1), prose(Math.min(chunk, bytes - s.text.length)));
    await caughtUp();
  }
  return { textLength: s.text.length, stateBytes: Y.encodeStateAsUpdate(s.writer.doc).byteLength };
}

async function type({ room, edits, rate }) {
  const s = await open(room);
  const before = s.bytes();
  const started = performance.now();
  for (let i = 0; i < edits; i++) {
    const due = started + (i * 1000) / rate;
    if (due > performance.now()) await sleep(due - performance.now());
    s.text.insert(randomInt(s.text.length + 1), prose(1));
  }
  await caughtUp();
  return { edits, updateBytes: s.bytes() - before, ms: performance.now() - started };
}

async function leave() {
  if (!session) return {};
  session.writer.close();
  session.observer.close();
  session = null;
  return {};
}

/** A fresh client (new Y.Doc, new socket) alone on the document; closed afterwards. */
async function fresh(room, read) {
  const started = now();
  const client = openClient({ kind, url, room, cookie });
  await allSynced([client], 60_000);
  const ms = now() - started;
  const result = read(client.doc);
  client.close();
  return { ms, ...result };
}

const coldLoad = ({ room }) => fresh(room, (doc) => ({ stateBytes: Y.encodeStateAsUpdate(doc).byteLength }));
const readEdits = ({ room }) => fresh(room, (doc) => ({ keys: [...doc.getMap('edits').keys()] }));

async function close() {
  await leave();
  setTimeout(() => process.exit(0), 200);
  return {};
}

serve({ history, grow, type, leave, coldLoad, readEdits, close });
