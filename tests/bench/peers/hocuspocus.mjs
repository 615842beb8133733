// Hocuspocus 3 with its SQLite extension, for `npm run bench`: node hocuspocus.mjs <port> <database file>
import { Server } from '@hocuspocus/server';
import { SQLite } from '@hocuspocus/extension-sqlite';

const port = Number(process.argv[2] ?? 1234);
const database = process.argv[3] ?? ':memory:';
const server = new Server({
  port,
  address: '127.0.0.1',
  quiet: true,
  extensions: [new SQLite({ database })],
});
await server.listen();
console.log(`hocuspocus listening on ${port}`);
const stop = async () => {
  await server.destroy();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
