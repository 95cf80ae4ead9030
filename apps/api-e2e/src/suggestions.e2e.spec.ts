/**
 * Suggest-only writing, enforced by the server (issue 12 point 4), with the STOCK y-websocket
 * client against the real server (SQLite, demo): a delegate's update is recorded only when every
 * change is a suggestion marked as theirs; a mark naming someone else is refused for everyone; a
 * drafter's plain edit still works, and a drafter accepts a suggestion by lifting its mark.
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { ApiClient, ApiProcess, eventually, ok, sleep, startApi } from './support/api-process';
import { bodyParagraph as firstBodyParagraph, CollabClient, connectClient } from './support/collab-client';

const bodyParagraph = (client: CollabClient) => firstBodyParagraph(client.content);

const AT = '2026-12-06T10:00:00.000Z';

function heard(client: CollabClient): string[] {
  const refusals: string[] = [];
  client.provider.messageHandlers[2] = (_encoder, decoder) => {
    if (decoding.readVarUint(decoder) === 0) refusals.push(decoding.readVarString(decoder));
  };
  return refusals;
}

describe('suggest-only writing with the stock client (sqlite, demo)', () => {
  let server: ApiProcess;
  const tokens: Record<string, string> = {};
  const rest: Record<string, ApiClient> = {};
  const ids: Record<string, string> = {};
  let proposalId: string;

  const revision = async () => ok(await rest['drafter1'].get(`/api/proposals/${proposalId}`)).currentRevision as number;
  const recordedText = async () => ok(await rest['drafter1'].get(`/api/proposals/${proposalId}/revisions/${await revision()}`)).text as string;
  const lastAuthor = async () => ok(await rest['drafter1'].get(`/api/proposals/${proposalId}/revisions?after=${(await revision()) - 1}&limit=1`)).items[0].userId as string;

  beforeAll(async () => {
    server = await startApi({ name: 'suggestions' });
    for (const who of ['delegate1', 'delegate2', 'drafter1']) {
      tokens[who] = await server.login(who);
      rest[who] = server.api(tokens[who]);
      ids[who] = ok(await rest[who].get('/api/auth/me')).id;
    }
    proposalId = ok(await rest['drafter1'].get<Array<{ id: string }>>('/api/proposals'))[0].id;
  });

  /** A fresh stock client of `who`, synced, with what the server tells it. */
  async function client(who: string) {
    const connection = connectClient(server.collabUrl, proposalId, tokens[who]);
    const refusals = heard(connection);
    await connection.synced;
    return { connection, refusals, paragraph: bodyParagraph(connection) };
  }

  async function expectRefused(who: string, change: (paragraph: Y.XmlText) => void, reason: RegExp) {
    const { connection, refusals, paragraph } = await client(who);
    // The server derives suggestion events 400 ms after an edit: let the last one's settle first.
    const before = await eventually(async () => {
      const head = (await server.health()).headPosition;
      await sleep(700);
      return (await server.health()).headPosition === head ? head : null;
    }, { what: 'the log at rest' });
    change(paragraph);
    await eventually(() => refusals.length > 0, { what: `${who} is told` });
    expect(refusals[0]).toMatch(reason);
    await sleep(300);
    expect((await server.health()).headPosition).toBe(before);
    expect(connection.provider.wsconnected).toBe(true);
    connection.close();
  }

  it('refuses a delegate inserting unmarked text: told, nothing recorded', () =>
    expectRefused('delegate1', (p) => p.insert(0, 'UNMARKED ', {}), /^invalid: Only suggestions are recorded for you/));

  it('refuses a delegate writing a suggestion mark that names drafter1', () =>
    expectRefused('delegate1', (p) => p.insert(0, 'FORGED ', { suggestionInsert: { id: 'x1', authorId: ids['drafter1'], at: AT } }), /^invalid: Only suggestions/));

  it('refuses a delegate deleting words (they may only mark them for deletion)', () =>
    expectRefused('delegate1', (p) => p.delete(0, 5), /^invalid: Only suggestions/));

  it('records a delegate’s own suggestions — proposed words and a deletion mark — attributed to them', async () => {
    const { connection, refusals, paragraph } = await client('delegate1');
    const before = await revision();
    paragraph.insert(0, 'Indeed, ', { suggestionInsert: { id: 'd1-1', authorId: ids['delegate1'], at: AT } });
    await eventually(async () => (await revision()) > before, { what: 'the suggestion recorded' });
    expect(await lastAuthor()).toBe(ids['delegate1']);
    paragraph.format(8, 8, { suggestionDelete: { id: 'd1-2', authorId: ids['delegate1'], at: AT } });
    await eventually(async () => (await revision()) > before + 1, { what: 'the deletion mark recorded' });
    expect(refusals).toEqual([]);
    expect(await recordedText()).toContain('Indeed, ');
    connection.close();
  });

  it('lets a drafter edit plainly and accept the suggestion, but not forge one in a delegate’s name', async () => {
    const { connection, refusals, paragraph } = await client('drafter1');
    const before = await revision();
    paragraph.insert(0, 'Plainly: ', {});
    await eventually(async () => (await revision()) > before, { what: 'the plain edit recorded' });
    // Accept delegate1's proposed words: lift the mark, keep the words.
    const at = paragraph.toString().indexOf('Indeed');
    expect(at).toBeGreaterThan(-1);
    paragraph.format(9, 8, { suggestionInsert: null });
    await eventually(async () => (await revision()) > before + 1, { what: 'the acceptance recorded' });
    expect(refusals).toEqual([]);
    connection.close();
    await expectRefused('drafter1', (p) => p.insert(0, 'FORGED ', { suggestionInsert: { id: 'x2', authorId: ids['delegate2'], at: AT } }), /^invalid: A suggestion may only name its own author/);
  });

  it('keeps the amendment list and the log: who made, accepted and rejected each suggestion, with member states', async () => {
    const { connection, refusals, paragraph } = await client('drafter1');
    // Reject delegate1's deletion "d1-2": lift its mark, keep the words.
    const before = await revision();
    const delta = paragraph.toDelta() as Array<{ insert: string; attributes?: Record<string, { id?: string }> }>;
    let offset = 0;
    for (const op of delta) {
      if (op.attributes?.['suggestionDelete']?.id === 'd1-2') paragraph.format(offset, op.insert.length, { suggestionDelete: null });
      offset += op.insert.length;
    }
    await eventually(async () => (await revision()) > before, { what: 'the rejection recorded' });
    expect(refusals).toEqual([]);
    connection.close();
    const amendments = await eventually(
      async () => {
        const list = ok(await rest['delegate2'].get<Array<Record<string, any>>>(`/api/proposals/${proposalId}/amendments`));
        const byId = Object.fromEntries(list.map((entry) => [entry['id'], entry]));
        return byId['d1-1']?.['status'] === 'accepted' && byId['d1-2']?.['status'] === 'rejected' ? byId : null;
      },
      { what: 'the amendment list shows both decisions' },
    );
    const india = { code: 'IN', name: 'India' };
    expect(amendments['d1-1']).toMatchObject({
      kind: 'insertion',
      textBefore: '',
      textAfter: 'Indeed, ',
      author: { userId: ids['delegate1'], memberState: india, name: expect.stringContaining('(India)') },
      status: 'accepted',
      decidedBy: { userId: ids['drafter1'], memberState: null },
    });
    expect(amendments['d1-2']).toMatchObject({ kind: 'deletion', author: { userId: ids['delegate1'], memberState: india }, status: 'rejected', decidedBy: { userId: ids['drafter1'] } });
    expect(amendments['d1-2'].textBefore).toHaveLength(8);
    expect(amendments['d1-1'].madeRevision).toBeLessThan(amendments['d1-1'].decidedRevision);
    expect(amendments['d1-1'].lastRevision).toBe(amendments['d1-1'].decidedRevision);
    // The forged suggestion was refused: it is nowhere.
    expect(amendments['x1']).toBeUndefined();
    expect(amendments['x2']).toBeUndefined();
    // The submission's list holds them too, with the proposal's title.
    const proposal = ok(await rest['drafter1'].get(`/api/proposals/${proposalId}`));
    const forSubmission = ok(await rest['delegate1'].get<Array<Record<string, any>>>(`/api/submissions/${proposal.submissionId}/amendments`));
    expect(forSubmission.filter((entry) => entry['proposalId'] === proposalId).map((entry) => [entry['id'], entry['status'], entry['proposalTitle']])).toEqual(
      expect.arrayContaining([
        ['d1-1', 'accepted', proposal.title],
        ['d1-2', 'rejected', proposal.title],
      ]),
    );
    // The domain events naming each suggestion, attributed to who made and who decided it.
    const auditor = server.api(await server.login('auditor'));
    const events = ok(await auditor.get(`/api/audit/events?stream=${encodeURIComponent(`proposal-${proposalId}-suggestions`)}`)).items as Array<Record<string, any>>;
    const story = events.map((event) => [event['type'], event['data']['suggestionId'], event['userId']]);
    expect(story).toEqual(
      expect.arrayContaining([
        ['SuggestionMade', 'd1-1', ids['delegate1']],
        ['SuggestionMade', 'd1-2', ids['delegate1']],
        ['SuggestionAccepted', 'd1-1', ids['drafter1']],
        ['SuggestionRejected', 'd1-2', ids['drafter1']],
      ]),
    );
    expect(story).toHaveLength(4);
    // The chain still verifies with the derived events in it.
    expect(ok(await auditor.get('/api/audit/verify'))).toMatchObject({ ok: true });
  });

  it('lets a workspace require a finished review for approval: the chair is told what is open, and may approve once the policy is lifted', async () => {
    const admin = server.api(await server.login('admin'));
    const chair = server.api(await server.login('chair'));
    const workspaceId = ok(await rest['drafter1'].get<Array<{ id: string }>>('/api/workspaces'))[0].id;
    const proposal = ok(await rest['drafter1'].get<Array<{ id: string; title: string; status: string }>>('/api/proposals')).find((p) => p.title.startsWith('Employer-pays'))!;
    // The demo's two suggestions and its thread are open on this proposal.
    const open = ok(await rest['drafter1'].get<Array<{ status: string }>>(`/api/proposals/${proposal.id}/amendments`)).filter((entry) => entry.status === 'open');
    expect(open).toHaveLength(2);
    expect((await rest['delegate1'].put(`/api/workspaces/${workspaceId}/review-policy`, { approvalNeedsClosedReview: true })).status).toBe(403);
    expect((await admin.put(`/api/workspaces/${workspaceId}/review-policy`, { approvalNeedsClosedReview: 'yes' })).status).toBe(400);
    expect((await admin.put(`/api/workspaces/${workspaceId}/review-policy`, { approvalNeedsClosedReview: true })).status).toBe(204);
    expect(ok(await rest['drafter1'].get(`/api/workspaces/${workspaceId}`)).approvalNeedsClosedReview).toBe(true);
    const current = ok(await rest['drafter1'].get(`/api/proposals/${proposal.id}`)).currentRevision as number;
    if (ok(await rest['drafter1'].get(`/api/proposals/${proposal.id}`)).status !== 'in_review') ok(await rest['drafter1'].post(`/api/proposals/${proposal.id}/review`, { revision: current }));
    const refused = await chair.post(`/api/proposals/${proposal.id}/approvals`, { revision: current });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(new RegExp(`review is finished: 2 suggestions and 1 comment thread are still open on revision ${current}`));
    expect((await admin.put(`/api/workspaces/${workspaceId}/review-policy`, { approvalNeedsClosedReview: false })).status).toBe(204);
    ok(await chair.post(`/api/proposals/${proposal.id}/approvals`, { revision: current }));
    expect(ok(await rest['drafter1'].get(`/api/proposals/${proposal.id}`)).status).toBe('approved');
  });
});
