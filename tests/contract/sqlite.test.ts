import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { SqliteStore } from '../../server/store/sqlite/index.js';
import { storeContract } from './store-contract.js';

describe('store contract: sqlite engine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'consilium-sqlite-'));
  storeContract(
    async () => new SqliteStore(join(dir, 'contract.db')),
    async (s) => {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  );
});
