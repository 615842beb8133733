import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient, closeClients, createCase, signUp } from '../helpers/clients.js';
import { useTestServer } from '../helpers/server.js';

const server = useTestServer();
afterEach(closeClients);

/** Every bad request gets a 4xx that names the field, and leaves the case untouched. */
describe('bad input', () => {
  async function setup() {
    const owner = await signUp(server);
    const c = await createCase(owner);
    const snapshot = async () => ({
      case: (await owner.get(`/api/cases/${c.id}`)).body,
      members: (await owner.get(`/api/cases/${c.id}/members`)).body,
      cases: (await owner.get('/api/cases')).body,
    });
    return { owner, c, before: await snapshot(), snapshot };
  }

  it('malformed JSON is a 400 naming the body', async () => {
    const { owner, c, before, snapshot } = await setup();
    const res = await owner.request('PATCH', `/api/cases/${c.id}`, undefined, { rawBody: '{"title": "x",' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'malformed_json', fields: { body: expect.any(String) } });
    expect(await snapshot()).toEqual(before);
  });

  it('a body that is not JSON at all is a 415', async () => {
    const { owner, c } = await setup();
    const res = await owner.request('PATCH', `/api/cases/${c.id}`, undefined, { rawBody: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  it.each([
    ['wrong type', { title: 42 }, 'title', /must be text/],
    ['object where a string belongs', { title: { $gt: '' } }, 'title', /must be text/],
    ['unknown field', { title: 'ok', $where: '1' }, '$where', /not a known field/],
    ['prototype key', JSON.parse('{"title":"ok","__proto__":{"admin":true}}'), '__proto__', /not a known field/],
    ['too long', { title: 'x'.repeat(201) }, 'title', /at most 200/],
    ['empty', { title: '   ' }, 'title', /required/],
    ['bad enum', { status: 'closed' }, 'status', /draft, in_review, decided, archived/],
    ['nested field', { resistance: [{ source: 'insurer', description: 7 }] }, 'resistance.0.description', /must be text/],
    ['array where a list of enums belongs', { requiredDisciplines: 'oncology' }, 'requiredDisciplines', /must be a list/],
    ['a name as patient reference', { patientRef: 'John Smith' }, 'patientRef', /digit/],
    ['nothing to change', {}, 'body', /at least one field/],
  ])('%s is a 400 naming the field', async (_name, body, field, message) => {
    const { owner, c, before, snapshot } = await setup();
    const res = await owner.patch(`/api/cases/${c.id}`, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.fields[field]).toMatch(message);
    expect(res.body.error.message).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it('a body over the size limit is a 413 and creates nothing', async () => {
    const { owner, before, snapshot } = await setup();
    const res = await owner.post('/api/cases', { title: 'Big', patientRef: 'PT-9', problem: 'x'.repeat(200_000) });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'payload_too_large', fields: { body: expect.any(String) } });
    expect(await snapshot()).toEqual(before);
  });

  it('an id of the wrong shape is a 400 naming it; an unknown id a 404', async () => {
    const { owner, c } = await setup();
    const wrong = await owner.get('/api/cases/not-an-id');
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields).toEqual({ caseId: 'must be an id (a UUID)' });
    const sql = await owner.get(`/api/cases/${encodeURIComponent("1' OR '1'='1")}`);
    expect(sql.status).toBe(400);
    expect((await owner.patch(`/api/cases/${c.id}/members/zzz`, { role: 'viewer' })).body.error.fields).toEqual({ userId: 'must be an id (a UUID)' });
    expect((await owner.get('/api/cases/0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e')).status).toBe(404);
  });

  it('an unknown query parameter or value is a 400', async () => {
    const { owner } = await setup();
    expect((await owner.get('/api/cases?archived=maybe')).body.error.fields).toEqual({ archived: 'must be true or false' });
    expect((await owner.get('/api/cases?sort[$ne]=1')).status).toBe(400);
  });

  it('bad invitations and member changes name the field and change nothing', async () => {
    const { owner, c, before, snapshot } = await setup();
    const cases: [string, string, unknown, string, RegExp][] = [
      ['POST', `/api/cases/${c.id}/members`, { email: 'x@example.org', role: 'boss' }, 'role', /owner, editor, commenter, viewer/],
      ['POST', `/api/cases/${c.id}/members`, { email: { $ne: null }, role: 'viewer' }, 'email', /email address/],
      ['POST', `/api/cases/${c.id}/members`, { role: 'viewer' }, 'email', /email address/],
      ['POST', `/api/cases/${c.id}/members`, { email: 'x@example.org', role: 'viewer', userId: owner.user!.id }, 'userId', /not a known field/],
      ['PATCH', `/api/cases/${c.id}/members/${owner.user!.id}`, {}, 'body', /role or discipline/],
      ['PATCH', `/api/cases/${c.id}/members/${owner.user!.id}`, { discipline: 'wizardry' }, 'discipline', /must be one of/],
    ];
    for (const [method, path, body, field, message] of cases) {
      const res = await owner.request(method, path, body);
      expect(res.status, `${method} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.error.fields[field]).toMatch(message);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('a body that is not an object says so plainly', async () => {
    const { owner } = await setup();
    for (const raw of ['[1,2]', '"text"', 'null', '42']) {
      const res = await owner.request('POST', '/api/cases', undefined, { rawBody: raw });
      expect(res.status, raw).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_failed', fields: { body: 'must be a JSON object' } });
    }
  });

  it('text with control characters is refused', async () => {
    const { owner, c } = await setup();
    const res = await owner.patch(`/api/cases/${c.id}`, { title: 'bad\u0000title' });
    expect(res.body.error.fields).toEqual({ title: 'must not contain control characters' });
  });

  it('sign-in with bad values names the field', async () => {
    const client = new ApiClient(server);
    const res = await client.post('/api/auth/signin', { email: ['a@b.c'], password: 12 });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({ email: 'must be an email address', password: 'must be text' });
  });

  it('sign-up with bad values names each field and creates no account', async () => {
    const client = new ApiClient(server);
    const res = await client.post('/api/auth/signup', { email: 'not-an-email', password: 'short', name: '', discipline: 'astrology' });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['discipline', 'email', 'name', 'password']);
    expect(res.body.error.fields.password).toMatch(/at least 10/);
  });

  it('a request without a session is a 401, and unknown API routes are a JSON 404', async () => {
    const anon = new ApiClient(server);
    const res = await anon.get('/api/cases');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
    const missing = await anon.get('/api/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });

  it('a state-changing request from another site is refused', async () => {
    const { owner, c } = await setup();
    const res = await owner.request('PATCH', `/api/cases/${c.id}`, { title: 'csrf' }, { headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/another site/);
    // A browser that sends Fetch Metadata but no Origin is refused too.
    const meta = await owner.request('PATCH', `/api/cases/${c.id}`, { title: 'csrf' }, { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(meta.status).toBe(403);
    // The same change from the app itself goes through.
    const own = await owner.request('PATCH', `/api/cases/${c.id}`, { title: 'same site' }, { headers: { origin: server().url, 'sec-fetch-site': 'same-origin' } });
    expect(own.status).toBe(200);
    expect((await owner.get(`/api/cases/${c.id}`)).body.case.title).toBe('same site');
  });

  it('sends security headers and never caches API answers', async () => {
    const res = await new ApiClient(server).get('/api/me');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('API description', () => {
  it('serves OpenAPI 3.1 covering every route with its request schema', async () => {
    const res = await new ApiClient(server).get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    for (const [path, method] of [
      ['/api/auth/signup', 'post'], ['/api/auth/signin', 'post'], ['/api/auth/signout', 'post'], ['/api/me', 'get'],
      ['/api/cases', 'get'], ['/api/cases', 'post'], ['/api/cases/{caseId}', 'get'], ['/api/cases/{caseId}', 'patch'],
      ['/api/cases/{caseId}/members', 'get'], ['/api/cases/{caseId}/members', 'post'],
      ['/api/cases/{caseId}/members/{userId}', 'patch'], ['/api/cases/{caseId}/members/{userId}', 'delete'],
      ['/api/cases/{caseId}/threads', 'post'], ['/api/cases/{caseId}/threads/{threadId}/messages', 'post'],
      ['/api/cases/{caseId}/threads/{threadId}/messages/{messageId}', 'patch'], ['/api/cases/{caseId}/threads/{threadId}/read', 'post'],
      ['/api/notifications', 'get'], ['/api/notifications/read-all', 'post'], ['/api/cases/{caseId}/evidence/{evidenceId}', 'delete'],
      ['/api/cases/{caseId}/stakeholders', 'post'], ['/api/cases/{caseId}/readiness/{itemId}', 'patch'], ['/api/cases/{caseId}/coverage', 'post'],
      ['/api/cases/{caseId}/options', 'post'], ['/api/cases/{caseId}/rounds', 'post'], ['/api/cases/{caseId}/rounds/{roundId}/ballot', 'put'],
      ['/api/cases/{caseId}/rounds/{roundId}/close', 'post'], ['/api/cases/{caseId}/rounds', 'get'], ['/api/cases/{caseId}/rounds/{roundId}', 'get'],
      ['/api/cases/{caseId}/rounds/{roundId}/recommendation', 'post'], ['/api/cases/{caseId}/rounds/{roundId}/follow-ups', 'post'],
    ] as const) {
      expect(res.body.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
    const signup = res.body.paths['/api/auth/signup'].post.requestBody.content['application/json'].schema;
    expect(signup.required).toEqual(['email', 'password', 'name', 'discipline']);
    expect(signup.additionalProperties).toBe(false);
  });

  it('answers /healthz with the storage engine', async () => {
    const res = await new ApiClient(server).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', engine: 'sqlite' });
  });
});
