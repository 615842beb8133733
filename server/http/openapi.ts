import { z } from 'zod';
import { ERROR_CODES } from '../../shared/errors.js';
import type { Route } from './route.js';

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete json.$schema;
  return json;
}

const ErrorBody = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});

/** Parameters (path or query) from an object schema's shape. */
function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const json = schemaOf(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: s,
  }));
}

/** The OpenAPI 3.1 document of the whole API, generated from the schemas that validate requests. */
export function buildOpenApi(routes: Route[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const responses: Record<string, JsonSchema> = {};
    for (const [status, r] of Object.entries(route.responses)) {
      responses[status] = r.contentType
        ? { description: r.description, content: { [r.contentType]: { schema: { type: 'string' } } } }
        : r.schema
          ? { description: r.description, content: { 'application/json': { schema: schemaOf(r.schema, 'output') } } }
          : { description: r.description };
    }
    responses['4XX'] = { description: 'The request was refused; the body names the field at fault.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    const operation: JsonSchema = {
      summary: route.summary,
      tags: [route.tag],
      operationId: `${route.method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
      responses,
      ...(route.auth ? { security: [{ sessionCookie: [] }] } : { security: [] }),
    };
    if (route.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(route.body, 'input') } } };
    }
    (paths[path] ??= {})[route.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Consilium API',
      version,
      description: 'The HTTP API of Consilium. JSON everywhere; errors are { error: { code, message, fields } }. Real-time events are documented in docs/SOCKET_EVENTS.md; the brief is a Yjs document served over the y-websocket protocol at /yjs/case:<caseId>:brief.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Error: schemaOf(ErrorBody, 'output') },
      securitySchemes: { sessionCookie: { type: 'apiKey', in: 'cookie', name: 'consilium_session' } },
    },
  };
}
