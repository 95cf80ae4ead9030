/**
 * The REST surface of the built API (ARCHITECTURE §6) against one demo server on a fresh DATA_DIR.
 * Tests run in file order and share the server; each says which proposal it uses.
 */
import { createHmac } from 'node:crypto';
import { ApiClient, ApiProcess, ok, startApi } from './support/api-process';

const HEX64 = /^[0-9a-f]{64}$/;
const UNKNOWN_UUID = '7a4c3c9e-5d0b-4f7e-9a49-3f1c2b6d8e10';

interface Summary {
  id: string;
  title: string;
  kind: string;
  status: string;
  submissionId: string;
  iscmId: string;
  currentRevision: number;
  approvedRevision: number | null;
  approvalStale: boolean;
}

describe('REST API (sqlite, demo)', () => {
  let server: ApiProcess;
  let chair: ApiClient;
  let drafter: ApiClient;
  let auditor: ApiClient;
  let admin: ApiClient;
  let anonymous: ApiClient;
  let proposals: Summary[];
  /** The three seeded proposals, by the role they play below. */
  let lifecycle: Summary;
  let changes: Summary;
  let withdrawn: Summary;

  beforeAll(async () => {
    server = await startApi({ name: 'rest' });
    anonymous = server.api();
    [chair, drafter, auditor, admin] = await Promise.all(
      ['chair', 'drafter1', 'auditor', 'admin'].map(async (who) => server.api(await server.login(who))),
    );
    proposals = ok(await chair.get<Summary[]>('/api/proposals'));
    const byTitle = [...proposals].sort((a, b) => a.title.localeCompare(b.title));
    [lifecycle, changes, withdrawn] = byTitle;
  });

  const detail = async (id: string) => ok(await chair.get(`/api/proposals/${id}`), `GET /api/proposals/${id}`);

  it('answers /api/health with 200 and the store position', async () => {
    const response = await anonymous.get('/api/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok', eventStore: 'sqlite' });
    expect(response.body.headPosition).toBeGreaterThan(0);
  });

  it('signs the chair in with a token and the chair membership', async () => {
    const response = await anonymous.post('/api/auth/login', { email: 'chair@concord.demo', password: 'concord-demo' });
    expect(response.status).toBe(200);
    expect(typeof response.body.accessToken).toBe('string');
    expect(response.body.accessToken.split('.')).toHaveLength(3);
    expect(response.body.user.email).toBe('chair@concord.demo');
    expect(response.body.user.memberships).toEqual([expect.objectContaining({ iscmId: 'abu-dhabi-dialogue', roles: ['chair'] })]);
    const me = await server.api(response.body.accessToken).get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.email).toBe('chair@concord.demo');
  });

  it('lists exactly the three seeded proposals with the §6 fields', async () => {
    expect(proposals).toHaveLength(3);
    expect(new Set(proposals.map((p) => p.id)).size).toBe(3);
    for (const proposal of proposals) {
      expect(proposal).toEqual(
        expect.objectContaining({
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          title: expect.any(String),
          kind: expect.any(String),
          status: 'draft',
          submissionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          iscmId: 'abu-dhabi-dialogue',
          approvedRevision: null,
          approvalStale: false,
        }),
      );
      expect(proposal.currentRevision).toBeGreaterThanOrEqual(1);
    }
    // Every role of the workspace sees the same list.
    const asDrafter = ok(await drafter.get<Summary[]>('/api/proposals'));
    const asAuditor = ok(await auditor.get<Summary[]>('/api/proposals'));
    expect(asDrafter.map((p) => p.id).sort()).toEqual(proposals.map((p) => p.id).sort());
    expect(asAuditor.map((p) => p.id).sort()).toEqual(proposals.map((p) => p.id).sort());
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    const wrongPassword = await anonymous.post('/api/auth/login', { email: 'chair@concord.demo', password: 'not-the-password' });
    const unknownEmail = await anonymous.post('/api/auth/login', { email: 'nobody@concord.demo', password: 'concord-demo' });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(unknownEmail.body).toEqual(wrongPassword.body);
    expect(wrongPassword.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
  });

  it.each([
    ['no token', {}],
    ['a garbage token', { authorization: 'Bearer not.a.jwt' }],
    ['a token signed with another key', { authorization: `Bearer ${forgedToken()}` }],
    ['another scheme', { authorization: 'Basic Y2hhaXI6Y29uY29yZC1kZW1v' }],
  ])('refuses %s with 401 JSON {statusCode, error, message}', async (_what, headers) => {
    for (const path of ['/api/proposals', `/api/proposals/${proposals[0].id}`, '/api/audit/verify', '/api/auth/me']) {
      const response = await anonymous.request('GET', path, undefined, headers as Record<string, string>);
      expect({ path, status: response.status }).toEqual({ path, status: 401 });
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(response.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
    }
  });

  it('refuses invalid bodies with 400 and field-level reasons', async () => {
    const base = { submissionId: lifecycle.submissionId, title: 'Valid title', kind: 'policy', gcmObjectives: [5] };
    const badObjectives = await drafter.post('/api/proposals', { ...base, gcmObjectives: [0, 99] });
    expect(badObjectives.status).toBe(400);
    expect(badObjectives.body).toMatchObject({ statusCode: 400, error: 'Bad request' });
    expect(JSON.stringify(badObjectives.body.message)).toMatch(/gcmObjectives/);

    const withoutTitle: Partial<typeof base> = { ...base };
    delete withoutTitle.title;
    const missingTitle = await drafter.post('/api/proposals', withoutTitle);
    expect(missingTitle.status).toBe(400);
    expect(Array.isArray(missingTitle.body.message)).toBe(true);
    expect((missingTitle.body.message as string[]).some((m) => m.startsWith('title'))).toBe(true);

    const badKind = await drafter.post('/api/proposals', { ...base, kind: 'Not A Kind!' });
    expect(badKind.status).toBe(400);
    expect(JSON.stringify(badKind.body.message)).toMatch(/kind/);

    const unknownField = await drafter.post('/api/proposals', { ...base, status: 'approved' });
    expect(unknownField.status).toBe(400);
    expect(JSON.stringify(unknownField.body.message)).toMatch(/status/);

    const badEmail = await anonymous.post('/api/auth/login', { email: 'not-an-email', password: 'x' });
    expect(badEmail.status).toBe(400);
    expect(JSON.stringify(badEmail.body.message)).toMatch(/email/);

    const badRevision = await drafter.post(`/api/proposals/${lifecycle.id}/versions`, { revision: 'one', label: 'x' });
    expect(badRevision.status).toBe(400);
    expect(JSON.stringify(badRevision.body.message)).toMatch(/revision/);

    const notJson = await drafter.request('POST', `/api/proposals/${lifecycle.id}/versions`, '{"revision": 1,', {
      'content-type': 'application/json',
    });
    expect(notJson.status).toBe(400);
    expect(notJson.body).toMatchObject({ statusCode: 400 });
  });

  it('answers an unknown proposal id with 404 and a non-UUID id with 400', async () => {
    for (const path of [`/api/proposals/${UNKNOWN_UUID}`, `/api/proposals/${UNKNOWN_UUID}/revisions`, `/api/proposals/${UNKNOWN_UUID}/revisions/1`]) {
      const response = await chair.get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(response.body).toEqual({ statusCode: 404, error: 'Not found', message: expect.any(String) });
    }
    const action = await drafter.post(`/api/proposals/${UNKNOWN_UUID}/review`, { revision: 1 });
    expect(action.status).toBe(404);
    for (const path of ['/api/proposals/not-a-uuid', '/api/proposals/not-a-uuid/revisions', '/api/proposals/1234/diff?from=0&to=1']) {
      const response = await chair.get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      expect(JSON.stringify(response.body.message)).toMatch(/id/);
    }
    // A revision beyond the newest is not there.
    const beyond = await chair.get(`/api/proposals/${lifecycle.id}/revisions/999999`);
    expect(beyond.status).toBe(404);
  });

  it('refuses approval by an auditor and by a drafter (403), changing nothing', async () => {
    const sent = await drafter.post(`/api/proposals/${lifecycle.id}/review`, { revision: lifecycle.currentRevision });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ status: 'in_review', reviewRevision: lifecycle.currentRevision });
    const before = await detail(lifecycle.id);
    const head = (await server.health()).headPosition;

    for (const [who, client] of [['auditor', auditor], ['drafter', drafter]] as const) {
      const response = await client.post(`/api/proposals/${lifecycle.id}/approvals`, { revision: lifecycle.currentRevision });
      expect({ who, status: response.status }).toEqual({ who, status: 403 });
      expect(response.body).toEqual({ statusCode: 403, error: 'Forbidden', message: expect.any(String) });
    }
    const auditorSends = await auditor.post(`/api/proposals/${changes.id}/review`, { revision: 1 });
    expect(auditorSends.status).toBe(403);
    expect(await detail(lifecycle.id)).toEqual(before);
    expect((await server.health()).headPosition).toBe(head);
  });

  it('gives a user without a role in the workspace an empty list and 404 on a proposal', async () => {
    const registered = await admin.post('/api/users', { email: 'outsider@example.org', name: 'Out Sider', password: 'a-long-password-1' });
    expect(registered.status).toBe(201);
    expect(registered.body.userId).toEqual(expect.any(String));
    // Only an admin registers users.
    const byChair = await chair.post('/api/users', { email: 'sneaky@example.org', name: 'Sneaky', password: 'a-long-password-1' });
    expect(byChair.status).toBe(403);

    const outsider = server.api(await server.login('outsider@example.org', 'a-long-password-1'));
    const list = await outsider.get('/api/proposals');
    expect(list.status).toBe(200);
    expect(list.body).toEqual([]);
    for (const path of [`/api/proposals/${lifecycle.id}`, `/api/proposals/${lifecycle.id}/revisions`, `/api/proposals/${lifecycle.id}/revisions/1`]) {
      const response = await outsider.get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
    }
    const act = await outsider.post(`/api/proposals/${changes.id}/versions`, { revision: 1, label: 'mine' });
    expect(act.status).toBe(404);
  });

  it('runs the lifecycle: review, approval with the content hash, second approval 409', async () => {
    const revision = lifecycle.currentRevision;
    const approved = await chair.post(`/api/proposals/${lifecycle.id}/approvals`, { revision, comment: 'Approved at the 12th meeting' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', approvedRevision: revision, approvalStale: false });
    expect(approved.body.approval).toMatchObject({ revision, comment: 'Approved at the 12th meeting' });
    expect(approved.body.approval.contentHash).toMatch(HEX64);

    // The approval carries the hash of exactly that revision.
    const atRevision = ok(await chair.get(`/api/proposals/${lifecycle.id}/revisions/${revision}`));
    expect(approved.body.approval.contentHash).toBe(atRevision.contentHash);

    const again = await chair.post(`/api/proposals/${lifecycle.id}/approvals`, { revision });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ statusCode: 409, error: 'Conflict', message: expect.stringMatching(/review/) });

    const listed = ok(await chair.get<Summary[]>('/api/proposals')).find((p) => p.id === lifecycle.id);
    expect(listed).toMatchObject({ status: 'approved', approvedRevision: revision, approvalStale: false });
  });

  it('needs a comment to request changes', async () => {
    const revision = changes.currentRevision;
    ok(await drafter.post(`/api/proposals/${changes.id}/review`, { revision }));
    const head = (await server.health()).headPosition;
    const withoutComment = await chair.post(`/api/proposals/${changes.id}/changes-requested`, { revision });
    expect(withoutComment.status).toBe(400);
    expect(JSON.stringify(withoutComment.body.message)).toMatch(/comment/);
    const emptyComment = await chair.post(`/api/proposals/${changes.id}/changes-requested`, { revision, comment: '' });
    expect(emptyComment.status).toBe(400);
    expect((await server.health()).headPosition).toBe(head);
    expect((await detail(changes.id)).status).toBe('in_review');

    const requested = await chair.post(`/api/proposals/${changes.id}/changes-requested`, { revision, comment: 'Cite the ILO convention' });
    expect(requested.status).toBe(200);
    expect(requested.body.status).toBe('changes_requested');
    expect(requested.body.changeRequests).toEqual([expect.objectContaining({ revision, comment: 'Cite the ILO convention' })]);
  });

  it('shows a named version in the proposal detail', async () => {
    const named = await drafter.post(`/api/proposals/${changes.id}/versions`, { revision: 1, label: 'Sent to chair' });
    expect(named.status).toBe(200);
    const byChair = await chair.post(`/api/proposals/${changes.id}/versions`, { revision: 1, label: 'Discussed at the 11th meeting' });
    expect(byChair.status).toBe(200);
    const versions = (await detail(changes.id)).versions;
    expect(versions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ revision: 1, label: 'Sent to chair' }),
        expect.objectContaining({ revision: 1, label: 'Discussed at the 11th meeting' }),
      ]),
    );
    const beyond = await drafter.post(`/api/proposals/${changes.id}/versions`, { revision: 999, label: 'Future' });
    expect(beyond.status).toBeGreaterThanOrEqual(400);
    expect(beyond.status).toBeLessThan(500);
    expect((await detail(changes.id)).versions).toHaveLength(2);
  });

  it('after a withdrawal refuses every action with 409 and still serves reads', async () => {
    const out = await drafter.post(`/api/proposals/${withdrawn.id}/withdraw`);
    expect(out.status).toBe(200);
    expect(out.body.status).toBe('withdrawn');
    const head = (await server.health()).headPosition;
    const before = await detail(withdrawn.id);

    const attempts: Array<[string, ApiClient, string, string, unknown]> = [
      ['review', drafter, 'POST', 'review', { revision: 1 }],
      ['approve', chair, 'POST', 'approvals', { revision: 1 }],
      ['request changes', chair, 'POST', 'changes-requested', { revision: 1, comment: 'x' }],
      ['name version', drafter, 'POST', 'versions', { revision: 1, label: 'late' }],
      ['withdraw again', drafter, 'POST', 'withdraw', undefined],
      ['change details', drafter, 'PATCH', '', { title: 'New title' }],
    ];
    for (const [what, client, method, action, body] of attempts) {
      const path = `/api/proposals/${withdrawn.id}${action ? `/${action}` : ''}`;
      const response = await client.request(method, path, body ?? {});
      expect({ what, status: response.status }).toEqual({ what, status: 409 });
      expect(response.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
    }
    expect((await server.health()).headPosition).toBe(head);
    expect(await detail(withdrawn.id)).toEqual(before);
    for (const path of ['', '/revisions', '/revisions/1', '/diff?from=0&to=1']) {
      const response = await chair.get(`/api/proposals/${withdrawn.id}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
    }
    const listed = ok(await auditor.get<Summary[]>('/api/proposals')).find((p) => p.id === withdrawn.id);
    expect(listed?.status).toBe('withdrawn');
  });

  it('never lets a bad request alter what was accepted before it', async () => {
    const snapshot = async () => ({
      head: (await server.health()).headPosition,
      list: ok(await chair.get('/api/proposals')),
      details: await Promise.all(proposals.map((p) => detail(p.id))),
      users: ok(await admin.get('/api/users')),
    });
    const before = await snapshot();
    // Restoring the revision the text is at changes nothing: refused.
    const current = (await detail(changes.id)).currentRevision;
    const bad: Array<Promise<unknown>> = [
      drafter.post('/api/proposals', { submissionId: lifecycle.submissionId, title: '', kind: 'policy', gcmObjectives: [1] }),
      drafter.post('/api/proposals', { submissionId: lifecycle.submissionId, title: 'x', kind: 'policy', gcmObjectives: [1, 1] }),
      drafter.post('/api/proposals', { submissionId: UNKNOWN_UUID, title: 'Orphan', kind: 'policy', gcmObjectives: [1] }),
      auditor.post('/api/proposals', { submissionId: lifecycle.submissionId, title: 'By auditor', kind: 'policy', gcmObjectives: [1] }),
      drafter.patch(`/api/proposals/${changes.id}`, { title: '' }),
      drafter.patch(`/api/proposals/${changes.id}`, {}),
      drafter.post(`/api/proposals/${changes.id}/review`, { revision: -1 }),
      drafter.post(`/api/proposals/${changes.id}/review`, { revision: 999 }),
      chair.post(`/api/proposals/${lifecycle.id}/approvals`, { revision: 1 }),
      chair.post(`/api/proposals/${changes.id}/approvals`, { revision: 1, comment: 'x'.repeat(2001) }),
      drafter.post(`/api/proposals/${changes.id}/restore`, { revision: current }),
      drafter.post(`/api/proposals/${changes.id}/restore`, { revision: 'one' }),
      auditor.post(`/api/proposals/${changes.id}/restore`, { revision: 0 }),
      admin.post('/api/users', { email: 'short@example.org', name: 'Short', password: 'short' }),
      admin.post('/api/users', { email: 'drafter1@concord.demo', name: 'Duplicate', password: 'a-long-password-1' }),
      anonymous.post(`/api/proposals/${changes.id}/versions`, { revision: 1, label: 'anon' }),
    ];
    const responses = (await Promise.all(bad)) as Array<{ status: number; text: string }>;
    for (const [index, response] of responses.entries()) {
      expect({ index, status: response.status, body: response.text.slice(0, 200) }).toEqual({
        index,
        status: expect.any(Number),
        body: expect.any(String),
      });
      expect({ index, clientError: response.status >= 400 && response.status < 500 }).toEqual({ index, clientError: true });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('seeds the demo idempotently: a restart with DEMO=1 on the same DATA_DIR adds nothing', async () => {
    const before = await server.health();
    const listBefore = ok(await chair.get<Summary[]>('/api/proposals'));
    await server.restart({ DEMO: '1' });
    const after = await server.health();
    expect(after.headPosition).toBe(before.headPosition);
    // The JWT secret lives in DATA_DIR: the old token still works.
    const listAfter = ok(await chair.get<Summary[]>('/api/proposals'));
    expect(listAfter).toHaveLength(3);
    expect(listAfter.map((p) => p.id).sort()).toEqual(proposals.map((p) => p.id).sort());
    expect(listAfter).toEqual(listBefore);
    const logins = await Promise.all(['drafter1', 'drafter2', 'chair', 'auditor', 'admin'].map((who) => server.login(who)));
    expect(logins.every((token) => token.length > 20)).toBe(true);
    // Seeding added nothing; each sign-in is one SessionStarted event.
    expect((await server.health()).headPosition).toBe(before.headPosition + logins.length);
  });
});

/** A well-formed HS256 JWT for the chair's id, signed with a key the server does not know. */
function forgedToken(): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ alg: 'HS256', typ: 'JWT' });
  const now = Math.floor(Date.now() / 1000);
  const payload = encode({ sub: 'someone', userId: 'someone', email: 'chair@concord.demo', isAdmin: true, iat: now, exp: now + 3600 });
  const signature = createHmac('sha256', 'not-the-server-secret').update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}
