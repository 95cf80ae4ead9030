/**
 * A submission is approved only when every proposal in it (withdrawn ones excepted) carries the
 * chair's approval of its current text; the refusal names the proposals. Real server, demo data,
 * edits through the stock y-websocket client.
 */
import { ApiClient, ApiProcess, eventually, ok, startApi } from './support/api-process';
import { CollabClient, connectClient, firstParagraphText } from './support/collab-client';

interface Detail {
  id: string;
  title: string;
  status: string;
  submissionId: string;
  submissionStatus: string;
  currentRevision: number;
  approvalStale: boolean;
}

describe('approving a submission (sqlite, demo)', () => {
  let server: ApiProcess;
  let chair: ApiClient;
  let drafter: ApiClient;
  let drafterToken: string;
  let submissionId: string;
  /** The three seeded proposals, by title. */
  let first: Detail;
  let second: Detail;
  let dropped: Detail;
  let editor: CollabClient | undefined;

  beforeAll(async () => {
    server = await startApi({ name: 'submission-approval' });
    drafterToken = await server.login('drafter1');
    [chair, drafter] = [server.api(await server.login('chair')), server.api(drafterToken)];
    const listed = ok(await chair.get<Detail[]>('/api/proposals'));
    [first, second, dropped] = [...listed].sort((a, b) => a.title.localeCompare(b.title));
    submissionId = first.submissionId;
    expect([second.submissionId, dropped.submissionId]).toEqual([submissionId, submissionId]);
  });

  afterAll(() => editor?.close());

  const detail = async (id: string) => ok(await chair.get<Detail>(`/api/proposals/${id}`), `GET /api/proposals/${id}`);
  const approveSubmission = () => chair.post(`/api/submissions/${submissionId}/approve`);
  const sendAndApprove = async (proposal: Detail) => {
    const { currentRevision } = await detail(proposal.id);
    ok(await drafter.post(`/api/proposals/${proposal.id}/review`, { revision: currentRevision }), 'send for review');
    ok(await chair.post(`/api/proposals/${proposal.id}/approvals`, { revision: currentRevision }), 'approve');
    return currentRevision;
  };

  it('tells the proposal detail which status its submission has', async () => {
    expect((await detail(first.id)).submissionStatus).toBe('drafting');
    ok(await drafter.post(`/api/submissions/${submissionId}/send-for-approval`));
    expect((await detail(first.id)).submissionStatus).toBe('review');
  });

  it('refuses while no proposal is approved, naming every one of them', async () => {
    const refused = await approveSubmission();
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/^A submission can be approved only when the chair has approved the current text of each of its proposals; not approved: /);
    for (const { title } of [first, second, dropped]) expect(refused.body.message).toContain(`“${title}”`);
    expect(refused.body.message).not.toContain('changed since');
  });

  it('leaves out a withdrawn proposal and names only the one still unapproved', async () => {
    ok(await drafter.post(`/api/proposals/${dropped.id}/withdraw`));
    await sendAndApprove(first);
    ok(await drafter.post(`/api/proposals/${second.id}/review`, { revision: (await detail(second.id)).currentRevision }));

    const refused = await approveSubmission();
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(new RegExp(`not approved: “${second.title}”\\.$`));
    expect(refused.body.message).not.toContain(first.title);
    expect(refused.body.message).not.toContain(dropped.title);
  });

  it('refuses while an approval is stale, checked from the text at decision time', async () => {
    ok(await chair.post(`/api/proposals/${second.id}/approvals`, { revision: (await detail(second.id)).currentRevision }), 'approve');
    const approvedRevision = (await detail(first.id)).currentRevision;
    editor = connectClient(server.collabUrl, first.id, drafterToken);
    await editor.synced;
    firstParagraphText(editor.content).insert(0, 'A late change. ');
    // Approve as soon as the edit is recorded, without waiting for the debounced stale flag.
    await eventually(async () => (await detail(first.id)).currentRevision > approvedRevision, { what: 'the edit is recorded' });

    const refused = await approveSubmission();
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(new RegExp(`the text has changed since: “${first.title}”\\.$`));
    expect(refused.body.message).not.toContain(second.title);
    expect((await chair.get(`/api/submissions/${submissionId}`)).body.status).toBe('review');
  });

  it('accepts once every live proposal is approved for its current text, and locks', async () => {
    editor?.close();
    editor = undefined;
    await sendAndApprove(first);
    const approved = await approveSubmission();
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    expect(ok(await chair.post(`/api/submissions/${submissionId}/lock`)).status).toBe('submitted');
    expect((await detail(first.id)).submissionStatus).toBe('submitted');
  });
});
