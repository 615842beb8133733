import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient, closeClients, signUp } from '../helpers/clients.js';
import { useTestServer } from '../helpers/server.js';

const server = useTestServer({ config: { signInMaxFailures: 3 } });
afterEach(closeClients);

describe('accounts and sessions', () => {
  it('signs up, knows who I am, signs out', async () => {
    const me = await signUp(server, { name: 'Ana Ruiz', discipline: 'pharmacy' });
    const res = await me.get('/api/me');
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ name: 'Ana Ruiz', discipline: 'pharmacy', email: me.user!.email });
    expect(res.body.user.passwordHash).toBeUndefined();
    expect((await me.post('/api/auth/signout', {})).status).toBe(204);
    expect((await me.get('/api/me')).status).toBe(401);
  });

  it('sets an httpOnly SameSite session cookie', async () => {
    const client = new ApiClient(server);
    const res = await client.post('/api/auth/signup', { email: 'cookie@example.org', password: 'long enough pass', name: 'C', discipline: 'other' });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/consilium_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it('refuses a second account with the same email, whatever its case', async () => {
    await signUp(server, { email: 'twin@example.org' });
    const again = new ApiClient(server);
    const res = await again.post('/api/auth/signup', { email: 'TWIN@example.org', password: 'another password', name: 'T', discipline: 'other' });
    expect(res.status).toBe(409);
    expect(res.body.error.fields).toEqual({ email: 'is already registered' });
  });

  it('rotates the session id at sign-in and ends the old one', async () => {
    const me = await signUp(server, { email: 'rotate@example.org' });
    const before = me.cookie;
    const res = await me.post('/api/auth/signin', { email: 'rotate@example.org', password: 'correct horse battery' });
    expect(res.status).toBe(200);
    expect(me.cookie).toBeDefined();
    expect(me.cookie).not.toBe(before);
    const stale = new ApiClient(server);
    stale.cookie = before;
    expect((await stale.get('/api/me')).status).toBe(401);
    expect((await me.get('/api/me')).status).toBe(200);
  });

  it('refuses a wrong password with the same answer as an unknown email', async () => {
    await signUp(server, { email: 'known@example.org' });
    const a = await new ApiClient(server).post('/api/auth/signin', { email: 'known@example.org', password: 'wrong password' });
    const b = await new ApiClient(server).post('/api/auth/signin', { email: 'unknown@example.org', password: 'wrong password' });
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(a.body).toEqual(b.body);
  });

  it('rate-limits sign-in after repeated failures, even with the right password', async () => {
    await signUp(server, { email: 'limited@example.org' });
    const client = new ApiClient(server);
    for (let i = 0; i < 3; i++) {
      expect((await client.post('/api/auth/signin', { email: 'limited@example.org', password: 'nope nope nope' })).status).toBe(401);
    }
    const blocked = await client.post('/api/auth/signin', { email: 'limited@example.org', password: 'correct horse battery' });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('keeps sessions across a server restart', async () => {
    const me = await signUp(server);
    await server().restart();
    expect((await me.get('/api/me')).status).toBe(200);
  });

  it('refuses a common password, a run of keys, a repeated character and one that contains the email or name, naming the field', async () => {
    const cases: [string, RegExp][] = [
      ['password123', /most common/],
      ['Basketball', /most common/],
      ['qwertyuiop', /most common|run/],
      ['abcdefghijkl', /run/],
      ['zzzzzzzzzzzz', /repeats/],
      ['ruth.okafor-2026', /email/],
    ];
    for (const [password, reason] of cases) {
      const res = await new ApiClient(server).post('/api/auth/signup', { email: 'ruth.okafor@example.org', password, name: 'Ruth Okafor', discipline: 'nursing' });
      expect(res.status, password).toBe(400);
      expect(res.body.error.fields.password, password).toMatch(reason);
    }
    const named = await new ApiClient(server).post('/api/auth/signup', { email: 'r.o@example.org', password: 'RuthOkafor rules', name: 'Ruth Okafor', discipline: 'nursing' });
    expect(named.body.error.fields.password).toMatch(/name/);
    // Nothing was created: the email is still free.
    const ok = await new ApiClient(server).post('/api/auth/signup', { email: 'ruth.okafor@example.org', password: 'amber kettle drift', name: 'Ruth Okafor', discipline: 'nursing' });
    expect(ok.status).toBe(201);
  });

  it('changes the password: the current one is checked, the new one follows the rules, every other session ends', async () => {
    const me = await signUp(server, { email: 'change@example.org' });
    const otherDevice = new ApiClient(server);
    expect((await otherDevice.post('/api/auth/signin', { email: 'change@example.org', password: 'correct horse battery' })).status).toBe(200);
    const wrong = await me.post('/api/me/password', { currentPassword: 'not my password', newPassword: 'amber kettle drift' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields).toEqual({ currentPassword: 'does not match your password' });
    const weak = await me.post('/api/me/password', { currentPassword: 'correct horse battery', newPassword: 'password123' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.fields.newPassword).toMatch(/most common/);
    const before = me.cookie;
    const changed = await me.post('/api/me/password', { currentPassword: 'correct horse battery', newPassword: 'amber kettle drift' });
    expect(changed.status).toBe(200);
    expect(me.cookie).not.toBe(before);
    expect((await me.get('/api/me')).status).toBe(200);
    // The other device, and the old cookie, are signed out.
    expect((await otherDevice.get('/api/me')).status).toBe(401);
    const stale = new ApiClient(server);
    stale.cookie = before;
    expect((await stale.get('/api/me')).status).toBe(401);
    // The old password no longer signs in; the new one does.
    expect((await new ApiClient(server).post('/api/auth/signin', { email: 'change@example.org', password: 'correct horse battery' })).status).toBe(401);
    expect((await new ApiClient(server).post('/api/auth/signin', { email: 'change@example.org', password: 'amber kettle drift' })).status).toBe(200);
  });
});
