import express, { type Express } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Services } from '../services.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { apiGuards, noStore, requestLog, securityHeaders, sessionMiddleware } from './middleware.js';
import { buildOpenApi } from './openapi.js';
import type { Route } from './route.js';
import { mountRoutes } from './route.js';
import { authRoutes } from './routes/auth.js';
import { caseRoutes } from './routes/cases.js';
import { conferenceRoutes } from './routes/conferences.js';
import { exportRoutes } from './routes/exports.js';
import { reportRoutes } from './routes/reports.js';
import { memberRoutes } from './routes/members.js';
import { notificationRoutes } from './routes/notifications.js';
import { recordRoutes } from './routes/records.js';
import { roundRoutes } from './routes/rounds.js';
import { threadRoutes } from './routes/threads.js';

/** Every API route, in one list: mounted on the app and described by the OpenAPI document. */
export function apiRoutes(s: Services): Route[] {
  return [...authRoutes(s), ...caseRoutes(s), ...memberRoutes(s), ...threadRoutes(s), ...notificationRoutes(s), ...recordRoutes(s), ...roundRoutes(s), ...conferenceRoutes(s), ...exportRoutes(s), ...reportRoutes(s)];
}

/** The Express app: health, the JSON API, its OpenAPI document, and the built client. */
export function createHttpApp(s: Services, version: string): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', s.config.trustProxy);
  app.use(securityHeaders);

  app.get('/healthz', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ok', engine: s.store.engine, version });
  });

  const routes = apiRoutes(s);
  const openapi = buildOpenApi(routes, version);
  const api = express.Router();
  api.use('/api', requestLog(s.log), noStore, apiGuards, express.json({ limit: s.config.maxBodyBytes, strict: false }), sessionMiddleware(s));
  api.get('/api/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  mountRoutes(api, routes);
  api.use('/api', notFoundHandler);
  app.use(api);

  serveClient(app, s.config.clientDir);
  app.use(errorHandler(s.log));
  return app;
}

/** Serves the built client, with index.html for every page path (the client routes itself). */
function serveClient(app: Express, clientDir: string): void {
  const index = join(clientDir, 'index.html');
  app.use(express.static(clientDir, { index: false, maxAge: '1h' }));
  app.use((req, res, next) => {
    if (req.method !== 'GET' || req.path.startsWith('/api/') || req.path.startsWith('/yjs') || req.path.startsWith('/socket.io')) return next();
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('The client has not been built. Run `npm start` (it builds the client first) or `npm run build`.');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
