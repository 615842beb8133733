import { join } from 'node:path';
import type { Store } from './port.js';
import { SqliteStore } from './sqlite/index.js';

export interface StoreConfig {
  /** When set, the mongo engine is used; otherwise sqlite under dataDir. */
  mongodbUri?: string | undefined;
  dataDir: string;
}

/** Builds the configured storage engine. The one place that chooses between engines. */
export async function createStore(config: StoreConfig): Promise<Store> {
  if (config.mongodbUri) {
    const { MongoStore } = await import('./mongo/index.js');
    const store = new MongoStore(config.mongodbUri);
    await store.ready();
    return store;
  }
  const store = new SqliteStore(join(config.dataDir, 'consilium.db'));
  await store.ready();
  return store;
}
