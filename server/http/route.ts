import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { fieldErrors, summarizeFieldErrors } from '../../shared/validation.js';
import { invalid, unauthenticated } from '../domain/errors.js';
import type { UserRecord } from '../store/port.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteContext<User, P, Q, B> {
  req: Request;
  res: Response;
  user: User;
  params: P;
  query: Q;
  body: B;
}

/** What a handler answers: a status and an optional JSON body, or a file (text with its type). */
export interface Reply {
  status: number;
  body?: unknown;
  file?: { contentType: string; filename?: string; headers?: Record<string, string> } & ({ text: string } | { write: (out: Response) => Promise<void> });
}

export interface RouteSpec<Auth extends boolean, PS extends z.ZodType, QS extends z.ZodType, BS extends z.ZodType> {
  method: Method;
  /** Express-style path, e.g. /api/cases/:caseId */
  path: string;
  summary: string;
  tag: string;
  /** Whether a signed-in user is required (401 otherwise). */
  auth: Auth;
  params?: PS;
  query?: QS;
  body?: BS;
  /** Documented answers: status → description and optional body schema. */
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  handler: (ctx: RouteContext<Auth extends true ? UserRecord : UserRecord | null, z.output<PS>, z.output<QS>, z.output<BS>>) => Promise<Reply>;
}

/** A declared route: mounted on the router and described in the OpenAPI document from the same schemas. */
export type Route = RouteSpec<boolean, z.ZodType, z.ZodType, z.ZodType>;

/** Declares a route with typed, validated params, query and body. */
export function defineRoute<Auth extends boolean, PS extends z.ZodType = z.ZodObject<{}>, QS extends z.ZodType = z.ZodObject<{}>, BS extends z.ZodType = z.ZodUnknown>(
  spec: RouteSpec<Auth, PS, QS, BS>,
): Route {
  return spec as unknown as Route;
}

/** Parses one part of the request, or throws a 400 naming the field at fault. */
function parse<S extends z.ZodType>(schema: S | undefined, value: unknown, root: string): z.output<S> | undefined {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = fieldErrors(result.error, root);
  throw invalid(summarizeFieldErrors(fields), fields);
}

/** The signed-in user, set by the session middleware. */
export function currentUser(req: Request): UserRecord | null {
  return (req as Request & { user?: UserRecord | null }).user ?? null;
}

/** Mounts declared routes: authenticate, validate, handle, answer. */
export function mountRoutes(router: Router, routes: Route[]): void {
  for (const route of routes) {
    router[route.method](route.path, async (req: Request, res: Response) => {
      const user = currentUser(req);
      if (route.auth && !user) throw unauthenticated();
      const params = parse(route.params, { ...req.params }, 'params');
      const query = parse(route.query, { ...(req.query as object) }, 'query');
      const hasBody = req.body !== undefined;
      const body = parse(route.body, hasBody ? req.body : route.body ? {} : undefined, 'body');
      const reply = await route.handler({ req, res, user, params, query, body });
      if (reply.file) {
        // attachment() sets a type from the file's extension: the declared type goes last.
        if (reply.file.filename) res.attachment(reply.file.filename);
        res.status(reply.status).type(reply.file.contentType);
        res.set({ 'Cache-Control': 'private, no-store', ...reply.file.headers });
        if ('text' in reply.file) res.send(reply.file.text);
        else {
          try {
            // Streamed (a long PDF): once bytes are out, a failure can only cut the download short.
            await reply.file.write(res);
          } catch (err) {
            // Before the first byte, the error is answered as JSON, not as a file.
            if (!res.headersSent) res.removeHeader('Content-Disposition');
            throw err;
          }
          if (!res.writableEnded) res.end();
        }
      } else if (reply.body === undefined) res.status(reply.status).end();
      else res.status(reply.status).json(reply.body);
    });
  }
}
