// Hocuspocus 3 with its SQLite extension, for `npm run bench`: node hocuspocus.mjs <port> <database file>
// Started with fork() by compare.ts, it also answers over IPC (nothing here changes how Hocuspocus
// works; the extension's callbacks are wrapped to count, then call the original):
//   { type: 'stats' }  → { type: 'stats', fetches: { [document]: calls }, stores, storedBytes, documents, connections }
//     fetches: calls of the SQLite extension's `fetch` (one per load from storage), per document;
//     stores / storedBytes: calls of its `store` and the bytes of the state handed to it (the
//     whole document, Y.encodeStateAsUpdate, each time).
//   { type: 'memory' } → { type: 'memory', rss, heapUsed, ... } after a forced GC (run with --expose-gc).
import { Server } from '@hocuspocus/server';
import { SQLite } from '@hocuspocus/extension-sqlite';

const port = Number(process.argv[2] ?? 1234);
const database = process.argv[3] ?? ':memory:';
const stats = { fetches: {}, stores: 0, storedBytes: 0 };

const sqlite = new SQLite({ database });
const { fetch, store } = sqlite.configuration;
sqlite.configuration.fetch = (data) => {
  stats.fetches[data.documentName] = (stats.fetches[data.documentName] ?? 0) + 1;
  return fetch(data);
};
sqlite.configuration.store = (data) => {
  stats.stores++;
  stats.storedBytes += data.state.byteLength;
  return store(data);
};

const server = new Server({ port, address: '127.0.0.1', quiet: true, extensions: [sqlite] });
await server.listen();
console.log(`hocuspocus listening on ${port}`);

/** A full collection that also gives memory back to the OS where V8 can (its 'last-resort' flavour), for steadier RSS readings. */
function fullGc() {
  try {
    globalThis.gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  } catch {
    globalThis.gc?.();
  }
}

process.on('message', (msg) => {
  if (msg?.type === 'stats') {
    const h = server.hocuspocus;
    process.send({ type: 'stats', ...stats, documents: h.getDocumentsCount(), connections: h.getConnectionsCount() });
  } else if (msg?.type === 'memory') {
    fullGc();
    setImmediate(() => process.send({ type: 'memory', ...process.memoryUsage() }));
  }
});
// Without compare.ts there is nobody to answer: stop (a crashed benchmark leaves no server behind).
process.on('disconnect', () => process.exit(0));

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.destroy(); // closes the connections; the last one to leave a document stores it
  // The extension's store does not wait for its INSERT (sqlite3 runs it on a thread): close the
  // database, which finishes the queued statements, before exiting.
  await new Promise((resolve) => (sqlite.db ? sqlite.db.close(() => resolve()) : resolve()));
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
