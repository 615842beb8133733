import { EVENTS } from '../shared/events.js';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import type { Config } from './config.js';
import { systemClock, type Clock } from './domain/clock.js';
import { createHttpApp } from './http/app.js';
import { createLogger, describeError, type Logger } from './log.js';
import { connectScaleOut } from './realtime/scale/index.js';
import { attachSockets } from './realtime/sockets.js';
import type { DocumentHub, HubOptions } from './realtime/yjs/hub.js';
import { attachDocumentServer } from './realtime/yjs/upgrade.js';
import { createServices, type Services } from './services.js';
import type { Store } from './store/port.js';

export interface ServerOptions {
  config: Config;
  store: Store;
  clock?: Clock;
  log?: Logger;
  hub?: Partial<HubOptions>;
  /** How often live connections' sessions are re-checked (default one minute). */
  sessionCheckMs?: number;
  /** How often votes past their closing time are closed (default five seconds). */
  voteCheckMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  http: Server;
  services: Services;
  hub: DocumentHub;
  /** Stops accepting connections, closes sockets, saves open documents. Does not close the store. */
  close(): Promise<void>;
}

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Builds and starts one Consilium server: Express, Socket.io and the Yjs document endpoint on
 * one port. No side effects on import; tests start as many as they need on port 0.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { config, store } = options;
  const log = options.log ?? createLogger(config.logLevel);
  // With REDIS_URL, rooms and documents are shared with the other processes; without, nothing about Redis loads.
  const scale = await connectScaleOut(config.redisUrl, log);
  const services = createServices(config, store, options.clock ?? systemClock, log, options.hub, { bus: scale?.bus, limiters: scale?.limiters });
  const hub = services.hub;
  try {
    await store.ready();
  } catch (err) {
    await scale?.close();
    throw err;
  }

  const app = createHttpApp(services, VERSION);
  const http = createHttpServer(app);
  http.headersTimeout = 20_000;
  http.requestTimeout = 30_000;
  const wss = attachDocumentServer(http, hub, services);
  const io = attachSockets(http, services, scale?.adapter);
  // Socket.io pushes from other processes that were lost while Redis was away are not replayed:
  // this process's clients are told to join their rooms again and refetch.
  scale?.onReconnected(() => io.local.emit(EVENTS.resync, {}));

  const sweep = setInterval(() => {
    store.sessions.deleteExpired(new Date().toISOString()).catch(() => undefined);
  }, 3600_000);
  sweep.unref();
  // Live connections outlive the request that opened them: close those whose session has ended.
  const revalidate = setInterval(() => {
    void (async () => {
      const ids = new Set([...hub.sessionIds(), ...[...io.of('/').sockets.values()].map((sock) => (sock.data as { sessionId: string }).sessionId)]);
      const ended: string[] = [];
      for (const id of ids) if (!(await services.accounts.sessionAlive(id))) ended.push(id);
      if (ended.length > 0) services.events.emit('sessionEnded', { sessionIds: ended });
    })().catch((err) => log.warn('session.revalidate_failed', describeError(err)));
  }, options.sessionCheckMs ?? 60_000);
  revalidate.unref();
  // Votes close by themselves at their closing time, also when it passed while the server was down.
  // Decisions prompt their follow-up 30 and 90 days later; conferences send their reminders.
  const closeDue = () => {
    services.decisions.closeDue().catch((err) => log.warn('round.close_due_failed', describeError(err)));
    services.followUps.sendDue().catch((err) => log.warn('followup.reminders_failed', describeError(err)));
    services.conferences.sendReminders().catch((err) => log.warn('conference.reminders_failed', describeError(err)));
  };
  closeDue();
  const votes = setInterval(closeDue, options.voteCheckMs ?? 5_000);
  votes.unref();

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => {
      http.off('error', reject);
      resolve();
    });
  }).catch(async (err: unknown) => {
    // The port is taken (or similar): release what was started, Redis connections included.
    for (const timer of [sweep, revalidate, votes]) clearInterval(timer);
    await scale?.close();
    throw err;
  });
  const port = (http.address() as AddressInfo).port;
  log.info('server.listening', { port, engine: store.engine });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    http,
    services,
    hub,
    async close() {
      clearInterval(sweep);
      clearInterval(revalidate);
      clearInterval(votes);
      services.events.removeAllListeners();
      await hub.close();
      for (const client of wss.clients) client.terminate();
      wss.close();
      await io.close(); // also closes the HTTP server
      http.closeAllConnections();
      await scale?.close();
    },
  };
}
