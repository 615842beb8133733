// Folds a document's stored chunks into one snapshot (or, with `merge`, merges a run of batches as
// updates), off the main thread: for a large brief this takes long enough to stall every other
// connection of the process. Plain JavaScript, so it loads in a worker thread however the server
// was started. Messages: { id, chunks: Uint8Array[], merge } in, { id, snapshot } or { id, error } out.
import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';

parentPort.on('message', ({ id, chunks, merge }) => {
  try {
    let snapshot;
    if (merge) snapshot = Y.mergeUpdates(chunks);
    else {
      const doc = new Y.Doc();
      for (const chunk of chunks) Y.applyUpdate(doc, chunk);
      snapshot = Y.encodeStateAsUpdate(doc);
      doc.destroy();
    }
    parentPort.postMessage({ id, snapshot }, [snapshot.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
