/**
 * Stable paragraph numbers (issue 13, point 2), through the real server with the stock y-websocket
 * client: a plain Yjs client writes paragraphs without ids and is answered by the server's own
 * 'numbering' update; the submission's paragraph numbers (`GET /api/submissions/:id/paragraphs`)
 * name each paragraph's block, which keeps its identity when paragraphs are added before it (its
 * number changes, its id does not); a moved paragraph is one move in the history diff; approvals
 * are not made stale by ids. Real server, SQLite, demo data.
 */
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { ApiClient, ApiProcess, eventually, ok, startApi } from './support/api-process';
import { connectClient, type CollabClient } from './support/collab-client';

interface Paragraph {
  number: string;
  blockId: string | null;
  proposalId: string;
  revision: number;
  text: string;
}
interface Revision {
  revision: number;
  userId: string;
  userName: string;
  kind: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('stable paragraph identity (sqlite, demo)', () => {
  let server: ApiProcess;
  let drafter: ApiClient;
  let chair: ApiClient;
  let delegate: ApiClient;
  let drafterToken: string;
  let submissionId: string;
  let client: CollabClient;
  let proposalId: string;

  beforeAll(async () => {
    server = await startApi({ name: 'paragraph-identity' });
    drafterToken = await server.login('drafter1');
    drafter = server.api(drafterToken);
    [chair, delegate] = await Promise.all(['chair', 'delegate1'].map(async (who) => server.api(await server.login(who))));
    submissionId = ok(await drafter.get<Array<{ submissionId: string }>>('/api/proposals'))[0].submissionId;
    proposalId = ok(await drafter.post<{ id: string }>('/api/proposals', { submissionId, title: 'Paragraph identity', kind: 'policy', gcmObjectives: [6] })).id;
    ok(await drafter.post(`/api/submissions/${submissionId}/placements`, { proposalId, sectionId: 'q1', index: 0 }));
    client = connectClient(server.collabUrl, proposalId, drafterToken);
    await client.synced;
  });

  afterAll(() => client?.close());

  const revisions = async (): Promise<Revision[]> => ok(await drafter.get<{ items: Revision[] }>(`/api/proposals/${proposalId}/revisions?limit=1000`)).items;
  const currentRevision = async (): Promise<number> => ok(await drafter.get<{ currentRevision: number }>(`/api/proposals/${proposalId}`)).currentRevision;
  const ours = async (as = drafter): Promise<Paragraph[]> =>
    ok(await as.get<{ submissionId: string; paragraphs: Paragraph[] }>(`/api/submissions/${submissionId}/paragraphs`)).paragraphs.filter((p) => p.proposalId === proposalId);
  const idsInDocument = () => client.content.toArray().map((node) => (node instanceof Y.XmlElement ? node.getAttribute('id') : undefined));
  const plainParagraph = (text: string): Y.XmlElement => {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(text)]);
    return paragraph;
  };

  it('answers paragraphs a plain Yjs client writes without ids with ids of the server’s own, in an update of its own', async () => {
    client.doc.transact(() => client.content.insert(0, [plainParagraph('Workers pay no recruitment fees.'), plainParagraph('States report every two years.')]));
    await eventually(() => idsInDocument().every((id) => typeof id === 'string'), { what: 'the server’s ids reach the client' });
    expect(idsInDocument()).toEqual([expect.stringMatching(UUID), expect.stringMatching(UUID)]);
    const timeline = await revisions();
    expect(timeline.map((item) => [item.revision, item.kind])).toEqual([
      [1, 'edit'],
      [2, 'numbering'],
    ]);
    expect(timeline[1]).toMatchObject({ userId: 'system', userName: 'Concord (server)' });
    // Ids say which paragraph is which, not what it says: the two revisions hash alike.
    const [one, two] = await Promise.all([1, 2].map(async (r) => ok(await drafter.get<{ contentHash: string }>(`/api/proposals/${proposalId}/revisions/${r}`)).contentHash));
    expect(two).toBe(one);
  });

  it('numbers the paragraphs per submission with their block ids, to every member of the workspace', async () => {
    const numbered = await ours();
    expect(numbered.map((p) => [p.number, p.text])).toEqual([
      ['1.1', 'Workers pay no recruitment fees.'],
      ['1.2', 'States report every two years.'],
    ]);
    expect(numbered.map((p) => p.blockId)).toEqual(idsInDocument());
    expect(numbered.every((p) => p.revision === 2)).toBe(true);
    expect(await ours(delegate)).toEqual(numbered);
    expect((await server.api().get(`/api/submissions/${submissionId}/paragraphs`)).status).toBe(401);
    expect((await drafter.get(`/api/submissions/${randomUUID()}/paragraphs`)).status).toBe(404);
    expect((await drafter.get(`/api/submissions/not-an-id/paragraphs`)).status).toBe(400);
  });

  it('keeps a paragraph’s identity when one is added before it: its number moves on, its id does not', async () => {
    const [fees, report] = (await ours()).map((p) => p.blockId);
    const before = await currentRevision();
    client.doc.transact(() => client.content.insert(0, [plainParagraph('A new opening paragraph.')]));
    await eventually(async () => (await currentRevision()) >= before + 2, { what: 'the edit and its numbering recorded' });
    const numbered = await ours();
    expect(numbered.map((p) => [p.number, p.text])).toEqual([
      ['1.1', 'A new opening paragraph.'],
      ['1.2', 'Workers pay no recruitment fees.'],
      ['1.3', 'States report every two years.'],
    ]);
    expect(numbered[1].blockId).toBe(fees);
    expect(numbered[2].blockId).toBe(report);
    expect(numbered[0].blockId).toMatch(UUID);
  });

  it('shows a moved paragraph as one move in the history diff, besides its deletion and insertion', async () => {
    const from = await currentRevision();
    const moved = (await ours())[0];
    // The editor moves a paragraph as a deletion and an insertion of a copy that keeps its id.
    client.doc.transact(() => {
      const copy = (client.content.get(0) as Y.XmlElement).clone();
      client.content.delete(0, 1);
      client.content.insert(2, [copy]);
    });
    await eventually(async () => (await currentRevision()) > from, { what: 'the move recorded' });
    const to = await currentRevision();
    const diff = ok(await drafter.get<{ moved: unknown[]; spans: Array<{ type: string; text: string }> }>(`/api/proposals/${proposalId}/diff?from=${from}&to=${to}`));
    expect(diff.moved).toEqual([{ blockId: moved.blockId, text: 'A new opening paragraph.', fromPosition: 1, toPosition: 3 }]);
    expect(diff.spans.filter((span) => span.type === 'delete').map((span) => span.text.trim())).toContain('A new opening paragraph.');
    expect((await revisions()).filter((item) => item.kind === 'numbering')).toHaveLength(2); // the move needed no new id
    expect((await ours()).map((p) => p.number + ' ' + p.text)).toEqual([
      '1.1 Workers pay no recruitment fees.',
      '1.2 States report every two years.',
      '1.3 A new opening paragraph.',
    ]);
  });

  it('does not make an approval stale by the server’s numbering that follows the approved revision', async () => {
    const before = await currentRevision();
    client.doc.transact(() => client.content.insert(3, [plainParagraph('A closing paragraph.')]));
    await eventually(async () => (await currentRevision()) >= before + 2, { what: 'the edit and its numbering recorded' });
    const timeline = await revisions();
    const edit = timeline.filter((item) => item.revision > before && item.kind === 'edit').map((item) => item.revision);
    expect(edit).toEqual([before + 1]);
    expect(timeline.find((item) => item.revision === before + 2)?.kind).toBe('numbering');
    // The chair approves the drafter's revision; the numbering after it leaves the approval current.
    ok(await drafter.post(`/api/proposals/${proposalId}/review`, { revision: before + 1 }));
    ok(await chair.post(`/api/proposals/${proposalId}/approvals`, { revision: before + 1 }));
    await eventually(
      async () => {
        const detail = ok(await drafter.get<{ currentRevision: number; approval: { revision: number } | null; approvalStale: boolean }>(`/api/proposals/${proposalId}`));
        return detail.approval?.revision === before + 1 && detail.currentRevision === before + 2 && detail.approvalStale === false;
      },
      { what: 'the approval of the edit is current at the numbering revision' },
    );
  });
});
