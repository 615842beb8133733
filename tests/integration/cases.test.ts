import { afterEach, describe, expect, it } from 'vitest';
import { addMember, closeClients, createCase, signUp } from '../helpers/clients.js';
import { useTestServer } from '../helpers/server.js';

const server = useTestServer();
afterEach(closeClients);

describe('cases', () => {
  it('creates a case with me as owner and lists only my cases', async () => {
    const owner = await signUp(server, { discipline: 'oncology' });
    const stranger = await signUp(server);
    const c = await createCase(owner, {
      problem: 'Metastatic disease progressing.',
      resistance: [{ source: 'insurer', description: 'Denied: experimental.' }],
      requiredDisciplines: ['oncology', 'pharmacy'],
    });
    expect(c).toMatchObject({ status: 'draft', myRole: 'owner', abilities: { manageTeam: true, archive: true } });
    expect((await owner.get('/api/cases')).body.cases.map((x: { id: string }) => x.id)).toContain(c.id);
    expect((await stranger.get('/api/cases')).body.cases).toEqual([]);
    const team = await owner.get(`/api/cases/${c.id}/members`);
    expect(team.body.members).toEqual([expect.objectContaining({ userId: owner.user!.id, role: 'owner', discipline: 'oncology' })]);
  });

  it('answers a non-member exactly as for a case that does not exist', async () => {
    const owner = await signUp(server);
    const stranger = await signUp(server);
    const c = await createCase(owner);
    const missing = 'a3c1a1d2-9d53-4a0e-8a51-0b2d2d3f4e5f';
    for (const [method, suffix, body] of [
      ['GET', '', undefined], ['PATCH', '', { title: 'x' }], ['GET', '/members', undefined],
      ['POST', '/members', { email: stranger.user!.email, role: 'owner' }], ['GET', '/audit', undefined],
      ['DELETE', `/members/${owner.user!.id}`, undefined], ['PATCH', `/members/${owner.user!.id}`, { role: 'viewer' }],
    ] as const) {
      const real = await stranger.request(method, `/api/cases/${c.id}${suffix}`, body);
      const fake = await stranger.request(method, `/api/cases/${missing}${suffix}`, body);
      expect(real.status, `${method} ${suffix}`).toBe(404);
      expect(real.body).toEqual(fake.body);
    }
    expect((await owner.get(`/api/cases/${c.id}/members`)).body.members).toHaveLength(1);
  });

  it('lets editors change details, not commenters or viewers, and records who changed what', async () => {
    const owner = await signUp(server, { name: 'Owner O' });
    const editor = await signUp(server, { name: 'Editor E' });
    const commenter = await signUp(server);
    const viewer = await signUp(server);
    const c = await createCase(owner);
    await addMember(owner, c.id, editor, 'editor');
    await addMember(owner, c.id, commenter, 'commenter');
    await addMember(owner, c.id, viewer, 'viewer');

    const edited = await editor.patch(`/api/cases/${c.id}`, { title: 'Appeal: denied immunotherapy', status: 'in_review' });
    expect(edited.status).toBe(200);
    expect(edited.body.case).toMatchObject({ title: 'Appeal: denied immunotherapy', status: 'in_review', myRole: 'editor' });
    for (const who of [commenter, viewer]) {
      const r = await who.patch(`/api/cases/${c.id}`, { title: 'Nope' });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('forbidden');
    }
    expect((await owner.get(`/api/cases/${c.id}`)).body.case.title).toBe('Appeal: denied immunotherapy');

    const audit = await owner.get(`/api/cases/${c.id}/audit`);
    expect(audit.body.entries[0]).toMatchObject({ action: 'case.updated', actor: { name: 'Editor E' }, fields: ['title', 'status'] });
    // No clinical text in the audit log.
    expect(JSON.stringify(audit.body)).not.toContain('denied immunotherapy');
    // The log is the owners': other members are told so, and cannot export it either.
    for (const who of [editor, commenter, viewer]) {
      const refused = await who.get(`/api/cases/${c.id}/audit`);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(/owner/);
      expect((await who.get(`/api/cases/${c.id}/audit.csv`)).status).toBe(403);
    }
  });

  it('exports the audit log as formula-safe CSV for owners, and records the export itself', async () => {
    const owner = await signUp(server, { name: '=HYPERLINK("x") Owner' });
    const c = await createCase(owner);
    await owner.patch(`/api/cases/${c.id}`, { title: 'Second title' });
    const res = await fetch(`${server().url}/api/cases/${c.id}/audit.csv`, { headers: { cookie: owner.cookie! } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment/);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('"time (UTC)","person","action","target","fields"');
    // Oldest first; a name starting with = is defused.
    expect(lines[1]).toContain('"case.created"');
    expect(lines.at(-1)).toContain('"case.updated"');
    expect(lines[1]).toContain(`"'=HYPERLINK(""x"") Owner"`);
    expect(lines.join('\n')).not.toContain('Second title');
    const after = (await owner.get(`/api/cases/${c.id}/audit`)).body.entries.map((e: { action: string }) => e.action);
    expect(after[0]).toBe('audit.exported');
  });

  it('archives (owners only), hides archived cases from the active list, and restores', async () => {
    const owner = await signUp(server);
    const editor = await signUp(server);
    const c = await createCase(owner);
    await addMember(owner, c.id, editor, 'editor');
    expect((await editor.patch(`/api/cases/${c.id}`, { status: 'archived' })).status).toBe(403);
    const archived = (await owner.patch(`/api/cases/${c.id}`, { status: 'archived' })).body.case;
    expect(archived.status).toBe('archived');
    expect(archived.abilities).toEqual({
      read: true, editDetails: false, editBrief: false, comment: false, manageTeam: false, archive: true, editRecords: false, manageChecklist: false,
      openVote: false, vote: false, closeVote: false, viewAudit: true,
    });
    const other = await signUp(server);
    const frozenTeam = await owner.post(`/api/cases/${c.id}/members`, { email: other.user!.email, role: 'viewer' });
    expect(frozenTeam.status).toBe(403);
    expect(frozenTeam.body.error.message).toMatch(/archived/);
    expect((await owner.get('/api/cases')).body.cases.map((x: { id: string }) => x.id)).not.toContain(c.id);
    expect((await owner.get('/api/cases?archived=true')).body.cases.map((x: { id: string }) => x.id)).toEqual([c.id]);
    const frozen = await editor.patch(`/api/cases/${c.id}`, { title: 'Changed while archived' });
    expect(frozen.status).toBe(403);
    expect(frozen.body.error.message).toMatch(/archived/);
    expect((await owner.patch(`/api/cases/${c.id}`, { status: 'in_review' })).body.case.status).toBe('in_review');
    const actions = (await owner.get(`/api/cases/${c.id}/audit`)).body.entries.map((e: { action: string }) => e.action);
    expect(actions.slice(0, 2)).toEqual(['case.restored', 'case.archived']);
  });
});

describe('teams', () => {
  it('invites by email with a role and discipline, changes the role, removes', async () => {
    const owner = await signUp(server);
    const pharmacist = await signUp(server, { discipline: 'pharmacy', name: 'Pat Pharm' });
    const c = await createCase(owner);
    const added = await owner.post(`/api/cases/${c.id}/members`, { email: pharmacist.user!.email.toUpperCase(), role: 'commenter' });
    expect(added.status).toBe(201);
    expect(added.body.member).toMatchObject({ name: 'Pat Pharm', role: 'commenter', discipline: 'pharmacy' });
    expect((await pharmacist.get(`/api/cases/${c.id}`)).body.case.abilities).toMatchObject({ editBrief: false, comment: true });

    const changed = await owner.patch(`/api/cases/${c.id}/members/${pharmacist.user!.id}`, { role: 'editor', discipline: 'palliative_care' });
    expect(changed.body.member).toMatchObject({ role: 'editor', discipline: 'palliative_care' });
    expect((await pharmacist.get(`/api/cases/${c.id}`)).body.case.myRole).toBe('editor');

    expect((await owner.delete(`/api/cases/${c.id}/members/${pharmacist.user!.id}`)).status).toBe(204);
    expect((await pharmacist.get(`/api/cases/${c.id}`)).status).toBe(404);
  });

  it('refuses unknown emails, duplicates, and team changes by non-owners', async () => {
    const owner = await signUp(server);
    const editor = await signUp(server);
    const other = await signUp(server);
    const c = await createCase(owner);
    await addMember(owner, c.id, editor, 'editor');
    const unknown = await owner.post(`/api/cases/${c.id}/members`, { email: 'nobody@example.org', role: 'viewer' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.fields).toEqual({ email: 'no Consilium account uses this email' });
    const dup = await owner.post(`/api/cases/${c.id}/members`, { email: editor.user!.email, role: 'viewer' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.fields).toEqual({ email: 'is already a member' });
    expect((await editor.post(`/api/cases/${c.id}/members`, { email: other.user!.email, role: 'viewer' })).status).toBe(403);
    expect((await editor.patch(`/api/cases/${c.id}/members/${owner.user!.id}`, { role: 'viewer' })).status).toBe(403);
    expect((await editor.delete(`/api/cases/${c.id}/members/${owner.user!.id}`)).status).toBe(403);
    expect((await owner.get(`/api/cases/${c.id}/members`)).body.members).toHaveLength(2);
  });

  it('never lets the last owner leave, be removed or be demoted', async () => {
    const owner = await signUp(server);
    const second = await signUp(server);
    const c = await createCase(owner);
    for (const res of [
      await owner.delete(`/api/cases/${c.id}/members/${owner.user!.id}`),
      await owner.patch(`/api/cases/${c.id}/members/${owner.user!.id}`, { role: 'editor' }),
    ]) {
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('last_owner');
    }
    await addMember(owner, c.id, second, 'owner');
    expect((await owner.delete(`/api/cases/${c.id}/members/${owner.user!.id}`)).status).toBe(204); // leaving is fine now
    expect((await second.get(`/api/cases/${c.id}/members`)).body.members).toEqual([expect.objectContaining({ role: 'owner', userId: second.user!.id })]);
  });

  it('lets any member leave a case on their own', async () => {
    const owner = await signUp(server);
    const viewer = await signUp(server);
    const c = await createCase(owner);
    await addMember(owner, c.id, viewer, 'viewer');
    expect((await viewer.delete(`/api/cases/${c.id}/members/${viewer.user!.id}`)).status).toBe(204);
    expect((await viewer.get(`/api/cases/${c.id}`)).status).toBe(404);
  });
});
