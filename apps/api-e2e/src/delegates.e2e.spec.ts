/**
 * Delegates (issue 12, part 1): a member state's focal point reads every proposal of the workspace
 * and nothing else. The real server (SQLite, demo), the STOCK y-websocket client, REST as the demo
 * delegates, drafter and admin; every refusal leaves the log where it was.
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { ApiClient, ApiProcess, eventually, ok, sleep, startApi } from './support/api-process';
import { connectClient, fragmentText } from './support/collab-client';

interface Listed {
  id: string;
  title: string;
  status: string;
  submissionId: string;
  iscmId: string;
  currentRevision: number;
}

interface Member {
  userId: string;
  name: string;
  email: string;
  roles: string[];
  memberState: { code: string; name: string } | null;
}

const ISCM = 'abu-dhabi-dialogue';

describe('delegates read every proposal of their workspace and write nothing (sqlite, demo)', () => {
  let server: ApiProcess;
  const tokens: Record<string, string> = {};
  const rest: Record<string, ApiClient> = {};
  const ids: Record<string, string> = {};

  const head = async () => (await server.health()).headPosition;

  beforeAll(async () => {
    server = await startApi({ name: 'delegates' });
    for (const who of ['delegate1', 'delegate2', 'drafter1', 'chair', 'admin']) {
      tokens[who] = await server.login(who);
      rest[who] = server.api(tokens[who]);
      ids[who] = ok(await rest[who].get('/api/auth/me')).id;
    }
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('signs delegate1 in as a delegate of the demo workspace and lists every demo proposal', async () => {
    const me = ok(await rest['delegate1'].get('/api/auth/me'));
    expect(me.memberships).toEqual([expect.objectContaining({ iscmId: ISCM, roles: ['delegate'] })]);
    const mine = ok(await rest['delegate1'].get<Listed[]>('/api/proposals'));
    const chairs = ok(await rest['chair'].get<Listed[]>('/api/proposals'));
    expect(mine.length).toBeGreaterThanOrEqual(3);
    expect(mine.map((p) => p.id).sort()).toEqual(chairs.map((p) => p.id).sort());
    const detail = ok(await rest['delegate1'].get(`/api/proposals/${mine[0].id}`));
    expect(detail).toMatchObject({ id: mine[0].id, title: mine[0].title });
    const timeline = ok(await rest['delegate1'].get(`/api/proposals/${mine[0].id}/revisions`));
    expect(timeline.items.length).toBeGreaterThan(0);
  });

  it('opens the co-editing socket suggest-only: an unmarked write is refused (invalid: Only suggestions…) and nothing is recorded', async () => {
    const [proposal] = ok(await rest['delegate1'].get<Listed[]>('/api/proposals'));
    const client = connectClient(server.collabUrl, proposal.id, tokens['delegate1']);
    const refusals: string[] = [];
    client.provider.messageHandlers[2] = (_encoder, decoder) => {
      if (decoding.readVarUint(decoder) === 0) refusals.push(decoding.readVarString(decoder));
    };
    await client.synced;
    expect(fragmentText(client.content).length).toBeGreaterThan(100);
    const before = await head();
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    client.doc.transact(() => {
      paragraph.insert(0, [text]);
      client.content.insert(0, [paragraph]);
    });
    text.insert(0, 'DELEGATE WAS HERE');
    await eventually(() => refusals.length > 0, { what: 'delegate1 is told' });
    expect(refusals[0]).toMatch(/^invalid: Only suggestions are recorded for you/);
    await sleep(500);
    expect(await head()).toBe(before);
    expect(client.provider.wsconnected).toBe(true);
    const recorded = ok(await rest['drafter1'].get(`/api/proposals/${proposal.id}/revisions/${proposal.currentRevision}`));
    expect(recorded.text).not.toContain('DELEGATE WAS HERE');
    client.close();
  });

  it("shows others the delegate's member state in the co-editing presence", async () => {
    const [proposal] = ok(await rest['drafter1'].get<Listed[]>('/api/proposals'));
    const drafter = connectClient(server.collabUrl, proposal.id, tokens['drafter1']);
    const delegate = connectClient(server.collabUrl, proposal.id, tokens['delegate1']);
    await Promise.all([drafter.synced, delegate.synced]);
    delegate.provider.awareness.setLocalStateField('cursor', null);
    const seenNames = () =>
      [...drafter.provider.awareness.getStates().values()].map((state) => (state['user'] as { name?: string } | undefined)?.name);
    await eventually(() => seenNames().includes('Priya Sharma (India)'), { what: "drafter1 sees delegate1's presence" });
    delegate.close();
    drafter.close();
  });

  it('refuses every REST write with the access policy sentence (403) and records nothing', async () => {
    const [proposal] = ok(await rest['delegate1'].get<Listed[]>('/api/proposals'));
    const delegate = rest['delegate1'];
    const before = await head();
    const attempts: [string, Promise<{ status: number; body: { message?: unknown } }>, string][] = [
      ['create a proposal', delegate.post('/api/proposals', { submissionId: proposal.submissionId, title: 'Mine', kind: 'policy', gcmObjectives: [5] }), 'Only a drafter of this workspace may create a proposal.'],
      ['change details', delegate.patch(`/api/proposals/${proposal.id}`, { title: 'Renamed' }), "Only a drafter of this workspace may change a proposal's details."],
      ['send for review', delegate.post(`/api/proposals/${proposal.id}/review`, { revision: proposal.currentRevision }), 'Only a drafter of this workspace may send a proposal for review.'],
      ['approve', delegate.post(`/api/proposals/${proposal.id}/approvals`, { revision: proposal.currentRevision }), 'Only a chair of this workspace may approve a proposal.'],
      ['name a version', delegate.post(`/api/proposals/${proposal.id}/versions`, { revision: proposal.currentRevision, label: 'Ours' }), 'Only a drafter or a chair of this workspace may name a version.'],
      ['withdraw', delegate.post(`/api/proposals/${proposal.id}/withdraw`), 'Only a drafter of this workspace may withdraw a proposal.'],
      ['restore', delegate.post(`/api/proposals/${proposal.id}/restore`, { revision: 1 }), 'Only a drafter of this workspace may restore a revision.'],
      ['send the submission for approval', delegate.post(`/api/submissions/${proposal.submissionId}/send-for-approval`), 'Only a drafter of this workspace may send a submission for approval.'],
      ['add a member', delegate.post(`/api/workspaces/${ISCM}/members`, { userId: ids['delegate2'], role: 'drafter' }), 'Only an administrator of this workspace may manage its members.'],
    ];
    for (const [what, attempt, sentence] of attempts) {
      const response = await attempt;
      expect({ what, status: response.status, message: response.body.message }).toEqual({ what, status: 403, message: sentence });
    }
    expect(await head()).toBe(before);
  });

  it('lists the members with the member state of each delegate, and their names carry it', async () => {
    const workspace = ok(await rest['delegate2'].get<{ members: Member[] }>(`/api/workspaces/${ISCM}`));
    const byEmail = new Map(workspace.members.map((member) => [member.email, member]));
    expect(byEmail.get('delegate1@concord.demo')).toEqual({
      userId: ids['delegate1'],
      name: 'Priya Sharma (India)',
      email: 'delegate1@concord.demo',
      roles: ['delegate'],
      memberState: { code: 'IN', name: 'India' },
      disabled: false,
    });
    expect(byEmail.get('delegate2@concord.demo')).toMatchObject({
      name: 'Khalid Al Hammadi (United Arab Emirates)',
      roles: ['delegate'],
      memberState: { code: 'AE', name: 'United Arab Emirates' },
    });
    expect(byEmail.get('drafter1@concord.demo')).toMatchObject({ name: 'Amina Rahman', roles: ['drafter'], memberState: null });
  });

  it('adds a delegate only with a member state of the ISCM (400 with the reason otherwise)', async () => {
    const admin = rest['admin'];
    const user = ok(await admin.post('/api/users', { email: 'focal.point@example.org', name: 'Maria Santos', password: 'a-long-password-1' }));
    const add = (body: Record<string, unknown>) => admin.post(`/api/workspaces/${ISCM}/members`, { userId: user.userId, ...body });
    const before = await head();

    const refusals = [
      [await add({ role: 'delegate' }), /^A delegate represents a member state: give memberState, the ISO 3166-1 alpha-2 code of a member state of this ISCM\.$/],
      [await add({ role: 'delegate', memberState: 'MX' }), /^"MX" is not a member state of this ISCM; its member states are AF, BH, .*, VN\.$/],
      [await add({ role: 'chair', memberState: 'PH' }), /^Only a delegate represents a member state; a chair is given none\.$/],
      [await add({ role: 'delegate', memberState: 'ph' }), /memberState must be an ISO 3166-1 alpha-2 code in capitals/],
    ] as const;
    for (const [response, reason] of refusals) {
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: expect.any(String) });
      expect(String(response.body.message)).toMatch(reason);
    }
    expect(await head()).toBe(before);

    expect((await add({ role: 'delegate', memberState: 'PH' })).status).toBe(204);
    const workspace = ok(await admin.get<{ members: Member[] }>(`/api/workspaces/${ISCM}`));
    expect(workspace.members.find((member) => member.userId === user.userId)).toMatchObject({
      name: 'Maria Santos (Philippines)',
      roles: ['delegate'],
      memberState: { code: 'PH', name: 'Philippines' },
    });
    const focalPoint = server.api(await server.login('focal.point@example.org', 'a-long-password-1'));
    expect(ok(await focalPoint.get<Listed[]>('/api/proposals')).length).toBeGreaterThanOrEqual(3);
  });
});
