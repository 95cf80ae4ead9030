/**
 * Administration (issue 14, point 1) against the built API (SQLite, demo data): invitations by
 * one-time link (issue → open → accept → sign in; used once; revoked; expired), role changes and
 * account status as members see them, every action an event of the workspace's stream in the audit
 * log, and separation of duties (nobody makes themselves chair; a chair who wrote a text alone may not
 * approve it while the workspace's policy says so).
 */
import { randomBytes } from 'node:crypto';
import { Document, Packer, Paragraph } from 'docx';
import { ApiClient, ApiProcess, ok, sleep, startApi } from './support/api-process';

const ISCM = 'abu-dhabi-dialogue';
const PASSWORD = 'invited-harbour-lantern-9';
const unique = () => randomBytes(4).toString('hex');

interface Link {
  invitationId: string;
  token: string;
  invitationPath: string;
  expiresAt: string;
}

async function auditOfWorkspace(admin: ApiClient): Promise<Array<{ type: string; data: Record<string, unknown>; metadata?: { userId?: string } }>> {
  return ok(await admin.get(`/api/audit/events?stream=iscm-${ISCM}&limit=500`), 'audit').items;
}

describe('administration: invitations, roles, separation of duties', () => {
  let server: ApiProcess;
  let admin: ApiClient;
  let adminId: string;
  let drafter: ApiClient;

  const invite = async (body: Record<string, unknown>, by: ApiClient = admin): Promise<Link> =>
    ok(await by.post<Link>(`/api/workspaces/${ISCM}/invitations`, body), 'invite');
  const accept = (token: string, name = 'Invited Person', password = PASSWORD) =>
    server.api().post(`/api/invitations/${token}/accept`, { name, password });

  beforeAll(async () => {
    server = await startApi({ name: 'admin', env: { TRUST_PROXY: '1', REDIS_URL: undefined } });
    admin = server.api(await server.login('admin'));
    adminId = ok(await admin.get('/api/auth/me')).id;
    drafter = server.api(await server.login('drafter1'));
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('invites a delegate by a one-time link; the invitee sets name and password, signs in as a delegate of the member state; the link is then used up', async () => {
    const email = `focal.point.${unique()}@mofa.example`;
    const link = await invite({ email, role: 'delegate', memberState: 'IN' });
    expect(link.invitationPath).toBe(`/invitations/${link.token}`);
    expect(link.token.startsWith(`${ISCM}_`)).toBe(true);
    expect(Date.parse(link.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 24 * 3600_000);

    // The log keeps only the token's hash.
    const issued = (await auditOfWorkspace(admin)).find((event) => event.type === 'InvitationIssued' && event.data['invitationId'] === link.invitationId);
    expect(issued?.data).toMatchObject({ email, role: 'delegate', memberState: 'IN', invitedBy: adminId, tokenHash: expect.any(String) });
    expect(JSON.stringify(issued)).not.toContain(link.token.slice(ISCM.length + 1));

    const preview = ok(await server.api().get(`/api/invitations/${link.token}`), 'preview without signing in');
    expect(preview).toMatchObject({ email, role: 'delegate', memberState: { code: 'IN', name: 'India' } });

    const weak = await accept(link.token, 'Invited Person', 'password1234');
    expect(weak.status).toBe(400);
    expect(weak.body.message).toMatch(/common passwords/);

    const accepted = await accept(link.token, 'Meera Iyer');
    expect(accepted.status).toBe(201);
    expect(accepted.body).toEqual({ userId: expect.any(String), email });

    const me = ok(await server.api(await server.login(email, PASSWORD)).get('/api/auth/me'));
    expect(me.memberships).toEqual([expect.objectContaining({ iscmId: ISCM, roles: ['delegate'] })]);

    const again = await accept(link.token, 'Someone Else');
    expect(again.status).toBe(410);
    expect(again.body.message).toMatch(/already been used/);
    expect((await server.api().get(`/api/invitations/${link.token}`)).status).toBe(410);

    const listed = ok(await admin.get<Array<{ invitationId: string; status: string }>>(`/api/workspaces/${ISCM}/invitations`));
    expect(listed.find((row) => row.invitationId === link.invitationId)?.status).toBe('accepted');
    const events = (await auditOfWorkspace(admin)).map((event) => event.type);
    expect(events).toEqual(expect.arrayContaining(['InvitationIssued', 'InvitationAccepted', 'MemberAdded']));
  });

  it('refuses invitations from non-admins, to an address with an account, and for a delegate without a member state; and a link not issued', async () => {
    const byDrafter = await drafter.post(`/api/workspaces/${ISCM}/invitations`, { email: `x.${unique()}@example.org`, role: 'drafter' });
    expect(byDrafter.status).toBe(403);
    const existing = await admin.post(`/api/workspaces/${ISCM}/invitations`, { email: 'drafter1@concord.demo', role: 'auditor' });
    expect(existing.status).toBe(409);
    expect(existing.body.message).toMatch(/already has a Concord account/);
    const noState = await admin.post(`/api/workspaces/${ISCM}/invitations`, { email: `d.${unique()}@example.org`, role: 'delegate' });
    expect(noState.status).toBe(400);
    expect(noState.body.message).toMatch(/member state/);
    expect((await accept('not-a-token')).status).toBe(400);
    expect((await accept(`${ISCM}_${'A'.repeat(43)}`)).status).toBe(404);
  });

  it('revokes a pending invitation: the link no longer works, and says why', async () => {
    const link = await invite({ email: `revoked.${unique()}@example.org`, role: 'auditor' });
    expect((await drafter.delete(`/api/workspaces/${ISCM}/invitations/${link.invitationId}`)).status).toBe(403);
    expect((await admin.delete(`/api/workspaces/${ISCM}/invitations/${link.invitationId}`)).status).toBe(204);
    const refused = await accept(link.token);
    expect(refused.status).toBe(410);
    expect(refused.body.message).toMatch(/withdrawn/);
    expect((await admin.delete(`/api/workspaces/${ISCM}/invitations/${link.invitationId}`)).status).toBe(409);
    const listed = ok(await admin.get<Array<{ invitationId: string; status: string }>>(`/api/workspaces/${ISCM}/invitations`));
    expect(listed.find((row) => row.invitationId === link.invitationId)?.status).toBe('revoked');
    expect((await auditOfWorkspace(admin)).some((event) => event.type === 'InvitationRevoked' && event.data['invitationId'] === link.invitationId)).toBe(true);
  });

  it('changes a member’s role (an event in the audit log) and shows the account’s status to the workspace', async () => {
    const email = `role.change.${unique()}@example.org`;
    const { userId } = ok(await accept((await invite({ email, role: 'delegate', memberState: 'AE' })).token), 'accept');
    const changed = await admin.put(`/api/workspaces/${ISCM}/members/${userId}/role`, { from: 'delegate', to: 'drafter' });
    expect(changed.status).toBe(204);
    const byDrafter = await drafter.put(`/api/workspaces/${ISCM}/members/${userId}/role`, { from: 'drafter', to: 'auditor' });
    expect(byDrafter.status).toBe(403);
    const notHeld = await admin.put(`/api/workspaces/${ISCM}/members/${userId}/role`, { from: 'chair', to: 'auditor' });
    expect(notHeld.status).toBe(404);

    const memberOf = async () => ok(await admin.get(`/api/workspaces/${ISCM}`)).members.find((m: { userId: string }) => m.userId === userId);
    expect(await memberOf()).toMatchObject({ roles: ['drafter'], memberState: null, disabled: false, email });

    const audit = await auditOfWorkspace(admin);
    expect(audit.find((event) => event.type === 'MemberRoleChanged' && event.data['userId'] === userId)?.data).toMatchObject({ from: 'delegate', to: 'drafter' });

    expect((await admin.post(`/api/users/${userId}/disable`)).status).toBe(204);
    expect(await memberOf()).toMatchObject({ disabled: true });
    expect((await admin.post(`/api/admin/users/${userId}/reenable`)).status).toBe(204);
    expect(await memberOf()).toMatchObject({ disabled: false });
  });

  it('never lets an administrator make themselves chair (403 with the reason)', async () => {
    const bySelf = await admin.put(`/api/workspaces/${ISCM}/members/${adminId}/role`, { from: 'admin', to: 'chair' });
    expect(bySelf.status).toBe(403);
    expect(bySelf.body.message).toMatch(/Separation of duties/);
    const added = await admin.post(`/api/workspaces/${ISCM}/members`, { userId: adminId, role: 'chair' });
    expect(added.status).toBe(403);
    expect(added.body.message).toMatch(/cannot make themselves chair/);
  });

  it('refuses a chair’s approval of a text they wrote alone while the policy is on, and allows it when off', async () => {
    const email = `sole.author.${unique()}@example.org`;
    const { userId } = ok(await accept((await invite({ email, role: 'drafter' })).token), 'accept');
    ok(await admin.post(`/api/workspaces/${ISCM}/members`, { userId, role: 'chair' }), 'make them chair too');
    const author = server.api(await server.login(email, PASSWORD));

    const submission = ok(
      await author.post<{ id: string }>('/api/submissions', { iscmId: ISCM, consultation: 'Separation of duties', title: `SoD ${unique()}`, dueDate: '2030-01-01' }),
      'open a submission',
    );
    const submissionId = (submission as { id?: string; submissionId?: string }).id ?? (submission as { submissionId?: string }).submissionId;
    const docx = new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Words I wrote alone.')] }] })));
    const query = `title=${encodeURIComponent('My own text')}&kind=policy&gcmObjectives=5&filename=mine.docx`;
    const imported = ok(
      await author.request('POST', `/api/submissions/${submissionId}/proposals/import?${query}`, docx, {
        'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      }),
      'import',
    );
    const proposalId = imported.proposal.id as string;
    const { currentRevision } = ok(await author.get(`/api/proposals/${proposalId}`));
    ok(await author.post(`/api/proposals/${proposalId}/review`, { revision: currentRevision }), 'send for review');

    ok(await admin.put(`/api/workspaces/${ISCM}/separation-of-duties`, { chairCannotApproveOwnText: true }), 'policy on');
    expect(ok(await admin.get(`/api/workspaces/${ISCM}`)).chairCannotApproveOwnText).toBe(true);
    const refused = await author.post(`/api/proposals/${proposalId}/approvals`, { revision: currentRevision });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/wrote the text of this revision alone/);

    ok(await admin.put(`/api/workspaces/${ISCM}/separation-of-duties`, { chairCannotApproveOwnText: false }), 'policy off');
    const approved = await author.post(`/api/proposals/${proposalId}/approvals`, { revision: currentRevision });
    expect(approved.status).toBe(200);
    expect((await auditOfWorkspace(admin)).filter((event) => event.type === 'SeparationOfDutiesChanged').length).toBeGreaterThanOrEqual(2);
  });
});

describe('administration: invitations expire', () => {
  let server: ApiProcess;

  beforeAll(async () => {
    // An invitation lives 2 s here (INVITATION_TTL_HOURS is in hours).
    server = await startApi({ name: 'admin-expiry', env: { INVITATION_TTL_HOURS: String(2 / 3600), REDIS_URL: undefined } });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('answers 410 with the reason once the link has expired, and lists the invitation as expired', async () => {
    const admin = server.api(await server.login('admin'));
    const link = ok(await admin.post<Link>(`/api/workspaces/${ISCM}/invitations`, { email: `late.${unique()}@example.org`, role: 'drafter' }));
    await sleep(2_500);
    const refused = await server.api().post(`/api/invitations/${link.token}/accept`, { name: 'Too Late', password: PASSWORD });
    expect(refused.status).toBe(410);
    expect(refused.body.message).toMatch(/expired/);
    const listed = ok(await admin.get<Array<{ invitationId: string; status: string }>>(`/api/workspaces/${ISCM}/invitations`));
    expect(listed.find((row) => row.invitationId === link.invitationId)?.status).toBe('expired');
  });
});
