import type { Store } from '../../server/store/port.js';

/**
 * The real store behind a slow disk: every repository call waits a random 0–`maxMs` first.
 * SQLite answers synchronously, so without this, concurrent requests never interleave inside
 * the store and races that a networked database (MongoDB) would hit stay hidden.
 */
export function withLatency(store: Store, maxMs: number): Store {
  const slow = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (typeof value === 'function') return (value as (...a: unknown[]) => unknown).bind(target);
      // Every repository is slowed, including ones added later: each is an object property of the store.
      if (typeof value !== 'object' || value === null) return value;
      if (!slow.has(key)) {
        slow.set(key, new Proxy(value as object, {
          get(repo, method) {
            const fn = Reflect.get(repo, method, repo) as unknown;
            if (typeof fn !== 'function') return fn;
            return async (...args: unknown[]) => {
              await new Promise((r) => setTimeout(r, Math.random() * maxMs));
              return (fn as (...a: unknown[]) => unknown).apply(repo, args);
            };
          },
        }));
      }
      return slow.get(key);
    },
  });
}
