// Preloaded (node --expose-gc --require instrument.cjs) into a peer server that compare.ts starts
// with fork() and cannot otherwise ask anything (the y-websocket reference server, run as is).
// It only answers { type: 'memory' } with process.memoryUsage() after a forced GC, and ends the
// process when compare.ts goes away, so a crashed benchmark leaves no server behind.
/** A full collection that also gives memory back to the OS where V8 can (its 'last-resort' flavour), for steadier RSS readings. */
function fullGc() {
  try {
    globalThis.gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  } catch {
    globalThis.gc?.();
  }
}

if (process.send) {
  process.on('message', (msg) => {
    if (msg?.type !== 'memory') return;
    fullGc();
    setImmediate(() => process.send({ type: 'memory', ...process.memoryUsage() }));
  });
  process.on('disconnect', () => process.exit(0));
}
