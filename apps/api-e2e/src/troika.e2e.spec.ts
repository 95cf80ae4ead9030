/**
 * Approval by several chairs (issue 14 §2) against the built API (SQLite, demo data): a workspace
 * administrator sets the approval rule (the chairs' troika, k of n); each approver approves the same
 * revision and content hash; only approvals of one revision and hash count together; one request for
 * changes sends it back; the proposal is approved only when the rule is met (the ordinary
 * ProposalApproved), and stale as soon as the text moves on.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import * as Y from 'yjs';
import { ApiClient, ApiProcess, eventually, ok, startApi } from './support/api-process';
import { connectClient } from './support/collab-client';

const ISCM = 'abu-dhabi-dialogue';
const CHAIRS = ['chair', 'chair2', 'chair3'] as const;

describe('approval by several chairs (the troika)', () => {
  let server: ApiProcess;
  let log: Database.Database;
  const rest: Record<string, ApiClient> = {};
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let submissionId: string;

  beforeAll(async () => {
    server = await startApi({ name: 'troika', env: { REDIS_URL: undefined } });
    for (const who of ['drafter1', ...CHAIRS, 'admin', 'auditor', 'delegate1']) {
      tokens[who] = await server.login(who);
      rest[who] = server.api(tokens[who]);
      ids[who] = ok(await rest[who].get('/api/auth/me')).id;
    }
    submissionId = ok(await rest['drafter1'].get<Array<{ submissionId: string }>>('/api/proposals'))[0].submissionId;
    log = new Database(join(server.dataDir, 'concord.sqlite'));
    log.pragma('busy_timeout = 5000');
  });

  afterAll(async () => {
    log?.close();
    await server?.stop();
  });

  const eventsOf = (proposalId: string) =>
    (log.prepare('SELECT type, data FROM events WHERE stream = ? ORDER BY revision').all(`proposal-${proposalId}`) as Array<{ type: string; data: Buffer | string }>).map(
      (row) => ({ type: row.type, data: JSON.parse(row.data.toString()) as Record<string, unknown> }),
    );
  const detail = async (proposalId: string) => ok(await rest['chair'].get(`/api/proposals/${proposalId}`));
  const setRule = (body: unknown, by = 'admin') => rest[by].put(`/api/workspaces/${ISCM}/approval-rule`, body);
  /** Sets the rule for a test (409, "already so", is fine). */
  const useRule = async (approvers: string[], required?: number) => {
    const answer = await setRule({ approvers, required });
    if (answer.status !== 409) ok(answer, 'set the approval rule');
  };
  const approve = (who: string, proposalId: string, revision: number, comment?: string) =>
    rest[who].post(`/api/proposals/${proposalId}/approvals`, { revision, ...(comment ? { comment } : {}) });

  async function write(proposalId: string, text: string, who = 'drafter1'): Promise<number> {
    const before = (await detail(proposalId)).currentRevision as number;
    const writer = connectClient(server.collabUrl, proposalId, tokens[who]);
    await writer.synced;
    const paragraph = new Y.XmlElement('paragraph');
    writer.doc.transact(() => {
      paragraph.insert(0, [new Y.XmlText(text)]);
      writer.content.insert(0, [paragraph]);
    });
    const revision = await eventually(async () => {
      const current = (await detail(proposalId)).currentRevision as number;
      return current > before ? current : null;
    }, { what: 'the text recorded' });
    writer.close();
    return revision;
  }

  /** A proposal with a text, sent for review at its current revision. */
  async function inReview(title: string, author = 'drafter1'): Promise<{ id: string; revision: number }> {
    const { id } = ok(await rest['drafter1'].post('/api/proposals', { submissionId, title, kind: 'policy', gcmObjectives: [5] }));
    const revision = await write(id, `The text of ${title}.`, author);
    ok(await rest['drafter1'].post(`/api/proposals/${id}/review`, { revision }), 'send for review');
    return { id, revision };
  }

  it('validates the rule: administrators only (403), approvers must be chairs and the count fit (400), reasons given', async () => {
    const troika = CHAIRS.map((who) => ids[who]);
    for (const who of ['chair', 'drafter1', 'auditor', 'delegate1']) {
      const refused = await setRule({ approvers: troika, required: 2 }, who);
      expect({ who, status: refused.status }).toEqual({ who, status: 403 });
      expect(refused.body.message).toMatch(/administrator/);
    }
    const notChair = await setRule({ approvers: [ids['chair'], ids['drafter1']], required: 1 });
    expect(notChair.status).toBe(400);
    expect(notChair.body.message).toContain(`chairs of this workspace; ${ids['drafter1']} is not`);
    for (const required of [0, 4, 1.5]) {
      const refused = await setRule({ approvers: troika, required });
      expect({ required, status: refused.status }).toEqual({ required, status: 400 });
      expect(JSON.stringify(refused.body.message)).toMatch(/required must be a whole number/);
    }
    expect((await setRule({ approvers: troika })).status).toBe(400);
    expect((await setRule({ approvers: 'everyone', required: 1 })).status).toBe(400);
    expect((await setRule({ approvers: [ids['chair'], ids['chair']], required: 1 })).body.message).toMatch(/twice/);
    expect((await setRule({ approvers: [] })).status).toBe(409); // already any one chair
    expect((await rest['admin'].put('/api/workspaces/no-such-workspace/approval-rule', { approvers: [] })).status).toBe(404);
    expect(ok(await rest['chair'].get(`/api/workspaces/${ISCM}`)).approvalRule).toBeNull();
  });

  it('2 of 3: the first approval is pending, a second of the same revision approves; the third is then refused; stale after an edit', async () => {
    const troika = CHAIRS.map((who) => ids[who]);
    expect((await setRule({ approvers: troika, required: 2 })).status).toBe(204);
    const workspace = ok(await rest['chair'].get(`/api/workspaces/${ISCM}`));
    expect(workspace.approvalRule).toEqual({
      approvers: [
        { userId: ids['chair'], name: 'Fatima Al Mansoori' },
        { userId: ids['chair2'], name: 'Maria Santos' },
        { userId: ids['chair3'], name: 'Kenji Watanabe' },
      ],
      required: 2,
    });

    const { id, revision } = await inReview('Troika two of three');
    const first = ok(await approve('chair', id, revision, 'For the outgoing chair'));
    expect(first).toMatchObject({ status: 'in_review', approval: null });
    expect(first.approvals).toMatchObject({
      rule: { required: 2 },
      pending: [{ revision, given: [{ userId: ids['chair'], name: 'Fatima Al Mansoori', comment: 'For the outgoing chair' }] }],
      completed: null,
    });

    const twice = await approve('chair', id, revision);
    expect(twice.status).toBe(409);
    expect(twice.body.message).toMatch(/already approved revision/);

    const second = ok(await approve('chair3', id, revision));
    expect(second).toMatchObject({ status: 'approved', approvedRevision: revision, approval: { revision, approvedBy: ids['chair3'] } });
    // (the server may give new blocks their ids in a revision of its own, which changes no hash)
    await eventually(async () => (await detail(id)).approvalStale === false, { what: 'the approval is current' });
    expect(second.approvals.pending).toEqual([]);
    expect(second.approvals.completed.given.map((g: { userId: string }) => g.userId)).toEqual([ids['chair'], ids['chair3']]);
    expect(eventsOf(id).map((e) => e.type).slice(-3)).toEqual(['ApprovalGiven', 'ApprovalGiven', 'ProposalApproved']);
    expect(eventsOf(id).find((e) => e.type === 'ApprovalGiven')?.data).toMatchObject({ approverId: ids['chair'], revision, approvers: troika, required: 2 });

    expect((await approve('chair2', id, revision)).status).toBe(409); // approved already: not in review

    await write(id, 'A later edit.');
    await eventually(async () => (await detail(id)).approvalStale === true, { what: 'the approval goes stale' });
    const summary = ok(await rest['chair'].get<Array<{ id: string; approvalStale: boolean }>>('/api/proposals')).find((p) => p.id === id);
    expect(summary?.approvalStale).toBe(true);
  });

  it('only approvals of the same revision count together; a chair outside the rule is refused (403)', async () => {
    const { id, revision } = await inReview('Troika mixed revisions');
    const later = await write(id, 'Amended while in review.');
    ok(await approve('chair', id, revision));
    const mixed = ok(await approve('chair2', id, later));
    expect(mixed.status).toBe('in_review');
    expect(mixed.approvals.pending.map((round: { revision: number; given: unknown[] }) => [round.revision, round.given.length])).toEqual([
      [later, 1],
      [revision, 1],
    ]);
    expect(eventsOf(id).some((e) => e.type === 'ProposalApproved')).toBe(false);

    // The rule names the chairs who approve; a fourth chair may not.
    await useRule([ids['chair'], ids['chair2']], 2);
    const outsider = await approve('chair3', id, later);
    expect(outsider.status).toBe(403);
    expect(outsider.body.message).toMatch(/not one of them/);
    expect((await approve('drafter1', id, later)).status).toBe(403);

    const done = ok(await approve('chair', id, later));
    expect(done).toMatchObject({ status: 'approved', approvedRevision: later });
    await useRule(CHAIRS.map((who) => ids[who]), 2);
  });

  it('one request for changes sends it back: the approvals given no longer count', async () => {
    const { id, revision } = await inReview('Troika sent back');
    ok(await approve('chair', id, revision));
    const sentBack = ok(await rest['chair2'].post(`/api/proposals/${id}/changes-requested`, { revision, comment: 'Cite the ILO convention.' }));
    expect(sentBack).toMatchObject({ status: 'changes_requested' });
    expect(sentBack.approvals.pending).toEqual([]);
    expect((await approve('chair3', id, revision)).status).toBe(409); // not in review

    ok(await rest['drafter1'].post(`/api/proposals/${id}/review`, { revision }), 'send again');
    const again = ok(await approve('chair3', id, revision));
    expect(again).toMatchObject({ status: 'in_review' });
    expect(again.approvals.pending).toEqual([expect.objectContaining({ revision, given: [expect.objectContaining({ userId: ids['chair3'] })] })]);
    ok(await approve('chair', id, revision)); // the outgoing chair approves afresh
    expect((await detail(id)).status).toBe('approved');
  });

  it('all of 3: approved only with the last approval', async () => {
    await useRule(CHAIRS.map((who) => ids[who]), 3);
    const { id, revision } = await inReview('Troika all three');
    expect(ok(await approve('chair2', id, revision)).status).toBe('in_review');
    expect(ok(await approve('chair', id, revision)).status).toBe('in_review');
    const last = ok(await approve('chair3', id, revision));
    expect(last).toMatchObject({ status: 'approved', approvedRevision: revision });
    expect(last.approvals.completed.given).toHaveLength(3);
  });

  it('a rule changed while approvals are pending counts with the rule current at each approval', async () => {
    await useRule(CHAIRS.map((who) => ids[who]), 3);
    const { id, revision } = await inReview('Troika rule changes');
    ok(await approve('chair', id, revision));
    await useRule(CHAIRS.map((who) => ids[who]), 2);
    expect(ok(await approve('chair2', id, revision))).toMatchObject({ status: 'approved' });
  });

  it('separation of duties still applies to each approver', async () => {
    await useRule(CHAIRS.map((who) => ids[who]), 2);
    ok(await rest['admin'].post(`/api/workspaces/${ISCM}/members`, { userId: ids['chair2'], role: 'drafter' }), 'chair2 drafts too');
    ok(await rest['admin'].put(`/api/workspaces/${ISCM}/separation-of-duties`, { chairCannotApproveOwnText: true }), 'policy on');
    try {
      const chair2 = server.api(await server.login('chair2'));
      const { id } = ok(await chair2.post('/api/proposals', { submissionId, title: 'Troika own text', kind: 'policy', gcmObjectives: [5] }));
      const writer = connectClient(server.collabUrl, id, await server.login('chair2'));
      await writer.synced;
      const paragraph = new Y.XmlElement('paragraph');
      writer.doc.transact(() => {
        paragraph.insert(0, [new Y.XmlText('Words the incoming chair wrote alone.')]);
        writer.content.insert(0, [paragraph]);
      });
      const revision = await eventually(async () => ((await detail(id)).currentRevision > 0 ? ((await detail(id)).currentRevision as number) : null));
      writer.close();
      ok(await chair2.post(`/api/proposals/${id}/review`, { revision }), 'send for review');

      const own = await chair2.post(`/api/proposals/${id}/approvals`, { revision });
      expect(own.status).toBe(409);
      expect(own.body.message).toMatch(/wrote the text of this revision alone/);
      ok(await approve('chair', id, revision));
      expect(ok(await approve('chair3', id, revision))).toMatchObject({ status: 'approved' });
    } finally {
      ok(await rest['admin'].put(`/api/workspaces/${ISCM}/separation-of-duties`, { chairCannotApproveOwnText: false }), 'policy off');
    }
  });

  it('back to any one chair: a single chair approves at once; every change is in the workspace log', async () => {
    expect((await setRule({ approvers: [] })).status).toBe(204);
    expect(ok(await rest['chair'].get(`/api/workspaces/${ISCM}`)).approvalRule).toBeNull();
    const { id, revision } = await inReview('Any one chair again');
    const approved = ok(await approve('chair2', id, revision));
    expect(approved).toMatchObject({ status: 'approved', approvals: { rule: null, pending: [], completed: null } });
    expect(eventsOf(id).some((e) => e.type === 'ApprovalGiven')).toBe(false);

    const audit = ok(await rest['admin'].get(`/api/audit/events?stream=iscm-${ISCM}&limit=500`)).items as Array<{ type: string }>;
    expect(audit.filter((event) => event.type === 'ApprovalRuleChanged').length).toBeGreaterThanOrEqual(5);
  });
});
