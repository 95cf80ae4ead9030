/**
 * Co-editing through the real server with the STOCK y-websocket WebsocketProvider (as the web app
 * connects): attribution in the revision history, read-only roles, refusal of outsiders, revision
 * views and diffs, approval staleness and restore, and content hashes independent of typing order.
 */
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { contentHashOfDocument, toPlainText } from '@concord/content';
import { ApiClient, ApiProcess, eventually, ok, sleep, startApi } from './support/api-process';
import { CollabClient, connectClient, fetchTicket, fragmentText, probeSocket } from './support/collab-client';

const HEX64 = /^[0-9a-f]{64}$/;

interface Detail {
  id: string;
  status: string;
  currentRevision: number;
  approvedRevision: number | null;
  approvalStale: boolean;
  submissionId: string;
  approval: { revision: number; contentHash: string } | null;
}

/** The first Y.XmlText of the first `paragraph` element of the fragment. */
function firstParagraphText(fragment: Y.XmlFragment): Y.XmlText {
  for (const node of fragment.toArray()) {
    if (node instanceof Y.XmlElement && node.nodeName === 'paragraph') {
      const text = node.toArray().find((child): child is Y.XmlText => child instanceof Y.XmlText);
      if (text) return text;
    }
  }
  throw new Error(`no paragraph with text in: ${fragment.toString().slice(0, 300)}`);
}

describe('co-editing with the stock WebsocketProvider (sqlite, demo)', () => {
  let server: ApiProcess;
  const tokens: Record<string, string> = {};
  const rest: Record<string, ApiClient> = {};
  let proposalId: string;
  let drafter1Id: string;
  let drafter2Id: string;
  let c1: CollabClient;
  let c2: CollabClient;
  /** Revision after drafter1's first edit. */
  let editRevision: number;
  const INSERTED = 'Drafted by Amina: ';

  const detail = async (id = proposalId): Promise<Detail> => ok(await rest['chair'].get(`/api/proposals/${id}`));
  const revisionCount = async (id = proposalId) => (await detail(id)).currentRevision;
  const listed = async (id = proposalId) =>
    (ok(await rest['chair'].get<Detail[]>('/api/proposals')) as Detail[]).find((p) => p.id === id) as Detail;

  beforeAll(async () => {
    server = await startApi({ name: 'collab' });
    for (const who of ['drafter1', 'drafter2', 'chair', 'auditor', 'admin']) {
      tokens[who] = await server.login(who);
      rest[who] = server.api(tokens[who]);
    }
    drafter1Id = ok(await rest['drafter1'].get('/api/auth/me')).id;
    drafter2Id = ok(await rest['drafter2'].get('/api/auth/me')).id;
    const proposals = ok(await rest['chair'].get<Detail[]>('/api/proposals')) as Detail[];
    proposalId = proposals[0].id;
    c1 = connectClient(server.collabUrl, proposalId, tokens['drafter1']);
    c2 = connectClient(server.collabUrl, proposalId, tokens['drafter2']);
    await Promise.all([c1.synced, c2.synced]);
  });

  it('syncs the seeded text to both drafters', () => {
    expect(c1.content.length).toBeGreaterThan(0);
    expect(fragmentText(c1.content).length).toBeGreaterThan(20);
    expect(c2.content.toString()).toBe(c1.content.toString());
  });

  it("records drafter1's edit attributed to drafter1 and shows it to drafter2", async () => {
    const before = await revisionCount();
    firstParagraphText(c1.content).insert(0, INSERTED);
    await eventually(() => fragmentText(c2.content).includes(INSERTED), { what: 'drafter2 sees the insert' });
    editRevision = await eventually(async () => {
      const current = await revisionCount();
      return current > before ? current : null;
    });
    expect(editRevision).toBe(before + 1);
    const page = ok(await rest['chair'].get(`/api/proposals/${proposalId}/revisions?after=${before}`));
    expect(page.items).toEqual([
      expect.objectContaining({ revision: editRevision, userId: drafter1Id, userName: 'Amina Rahman', kind: 'edit', at: expect.any(String) }),
    ]);
  });

  it("shows drafter2's edit to drafter1, attributed to drafter2", async () => {
    const before = await revisionCount();
    const paragraph = firstParagraphText(c2.content);
    paragraph.insert(paragraph.length, ' [reviewed]');
    await eventually(() => fragmentText(c1.content).includes('[reviewed]'), { what: 'drafter1 sees the insert' });
    const after = await eventually(async () => ((await revisionCount()) > before ? revisionCount() : null));
    const page = ok(await rest['chair'].get(`/api/proposals/${proposalId}/revisions?after=${before}`));
    expect(page.items).toHaveLength(after - before);
    expect(page.items.every((item: { userId: string }) => item.userId === drafter2Id)).toBe(true);
    expect(c1.content.toString()).toBe(c2.content.toString());
  });

  it('drops and never records what an auditor (read-only) writes', async () => {
    const auditor = connectClient(server.collabUrl, proposalId, tokens['auditor']);
    await auditor.synced;
    expect(auditor.content.toString()).toBe(c1.content.toString());
    const before = await revisionCount();
    const head = (await server.health()).headPosition;
    firstParagraphText(auditor.content).insert(0, 'AUDITOR WAS HERE ');
    auditor.content.insert(0, [new Y.XmlElement('paragraph')]);
    await sleep(1_500);
    expect(await revisionCount()).toBe(before);
    expect((await server.health()).headPosition).toBe(head);
    expect(fragmentText(c1.content)).not.toContain('AUDITOR WAS HERE');
    expect(fragmentText(c2.content)).not.toContain('AUDITOR WAS HERE');
    const text = ok(await rest['chair'].get(`/api/proposals/${proposalId}/revisions/${before}`)).text;
    expect(text).not.toContain('AUDITOR WAS HERE');
    // The read-only client still receives live updates.
    firstParagraphText(c1.content).insert(0, '• ');
    await eventually(() => fragmentText(auditor.content).includes('• '), { what: 'the auditor receives live updates' });
    auditor.close();
  });

  it('refuses a user with no role before sending any document byte', async () => {
    ok(await rest['admin'].post('/api/users', { email: 'nobody@example.org', name: 'No Body', password: 'a-long-password-2' }));
    const outsiderToken = await server.login('nobody@example.org', 'a-long-password-2');
    const probe = await probeSocket(`${server.collabUrl}/${proposalId}?ticket=${await fetchTicket(server.collabUrl, outsiderToken)}`);
    const refusedAtUpgrade = [403, 404].includes(probe.status);
    const refusedByClose = probe.status === 101 && probe.closeCode !== null && [4403, 4404].includes(probe.closeCode);
    expect({ status: probe.status, closeCode: probe.closeCode, refused: refusedAtUpgrade || refusedByClose }).toMatchObject({ refused: true });
    expect(probe.messages).toHaveLength(0);

    // The same through the stock provider: it never syncs and its document stays empty.
    const outsider = connectClient(server.collabUrl, proposalId, outsiderToken);
    await sleep(1_000);
    expect(outsider.provider.synced).toBe(false);
    expect(outsider.content.length).toBe(0);
    outsider.close();

    const noToken = await probeSocket(`${server.collabUrl}/${proposalId}`);
    expect(noToken.status === 401 || noToken.closeCode === 4401).toBe(true);
    expect(noToken.messages).toHaveLength(0);
    const unknown = await probeSocket(`${server.collabUrl}/7a4c3c9e-5d0b-4f7e-9a49-3f1c2b6d8e10?ticket=${await fetchTicket(server.collabUrl, tokens['drafter1'])}`);
    expect(unknown.status === 404 || unknown.closeCode === 4404).toBe(true);
    expect(unknown.messages).toHaveLength(0);
  });

  it('serves a revision as text, ProseMirror JSON and content hash', async () => {
    const revision = ok(await rest['chair'].get(`/api/proposals/${proposalId}/revisions/${editRevision}`));
    expect(revision.revision).toBe(editRevision);
    expect(revision.contentHash).toMatch(HEX64);
    expect(revision.text).toContain(INSERTED);
    expect(revision.text).not.toContain('[reviewed]');
    expect(revision.doc).toMatchObject({ type: 'doc', content: expect.any(Array) });
    expect(JSON.stringify(revision.doc)).toContain(INSERTED);
    const previous = ok(await rest['chair'].get(`/api/proposals/${proposalId}/revisions/${editRevision - 1}`));
    expect(previous.text).not.toContain(INSERTED);
    expect(previous.contentHash).not.toBe(revision.contentHash);
  });

  it("diffs revision 1 against the edit, attributing the inserted span to drafter1", async () => {
    const diff = ok(await rest['chair'].get(`/api/proposals/${proposalId}/diff?from=1&to=${editRevision}`));
    expect(diff).toMatchObject({ from: 1, to: editRevision });
    const inserts = diff.spans.filter((span: { type: string }) => span.type === 'insert');
    expect(inserts.map((s: { text: string }) => s.text).join('')).toBe(INSERTED);
    expect(inserts.every((span: { userId?: string }) => span.userId === drafter1Id)).toBe(true);
    expect(diff.authors).toEqual([{ userId: drafter1Id, userName: 'Amina Rahman' }]);
    expect(diff.spans.filter((span: { type: string }) => span.type === 'delete')).toEqual([]);
    const reversed = await rest['chair'].get(`/api/proposals/${proposalId}/diff?from=${editRevision}&to=1`);
    expect(reversed.status).toBe(400);
  });

  it('makes an approval stale when the text moves on, and fresh again after restoring that revision', async () => {
    const r = await revisionCount();
    ok(await rest['drafter1'].post(`/api/proposals/${proposalId}/review`, { revision: r }));
    const approved = ok(await rest['chair'].post(`/api/proposals/${proposalId}/approvals`, { revision: r }));
    expect(approved.approval.contentHash).toMatch(HEX64);
    expect((await listed()).approvalStale).toBe(false);

    firstParagraphText(c1.content).insert(0, 'Late change. ');
    // Within a few hundred ms on an idle machine; the bound allows for a loaded 2-core CI runner.
    await eventually(async () => (await listed()).approvalStale === true, { timeoutMs: 12_000, what: 'approvalStale becomes true' });
    const edited = await revisionCount();
    expect(edited).toBeGreaterThan(r);

    const restored = await rest['drafter1'].post(`/api/proposals/${proposalId}/restore`, { revision: r });
    expect(restored.status).toBe(200);
    const after = await eventually(async () => {
      const current = await revisionCount();
      return current > edited ? current : null;
    });
    const atNew = ok(await rest['chair'].get(`/api/proposals/${proposalId}/revisions/${after}`));
    expect(atNew.contentHash).toBe(approved.approval.contentHash);
    await eventually(async () => (await listed()).approvalStale === false, { timeoutMs: 3_000, what: 'approvalStale back to false' });
    const timeline = ok(await rest['chair'].get(`/api/proposals/${proposalId}/revisions?after=${edited}`));
    expect(timeline.items).toEqual([expect.objectContaining({ revision: edited + 1, userId: drafter1Id, kind: 'restore' })]);
    // The connected clients got the restore like any edit.
    await eventually(() => !fragmentText(c2.content).includes('Late change.'), { what: 'drafter2 sees the restore' });
    await eventually(() => toPlainText(c1.doc) === atNew.text, { what: 'drafter1 shows the restored text' });
    expect(contentHashOfDocument(c2.doc)).toBe(atNew.contentHash);
  });

  it('hashes the same text the same, however it was typed', async () => {
    const submissionId = (await detail()).submissionId;
    const create = async (title: string) =>
      ok(await rest['drafter1'].post('/api/proposals', { submissionId, title, kind: 'policy', gcmObjectives: [5] })) as Detail;
    const [a, b] = [await create('Typed forwards'), await create('Typed out of order')];
    expect(a.currentRevision).toBe(0);

    const typeInto = async (id: string, type: (text: Y.XmlText) => void[]) => {
      const client = connectClient(server.collabUrl, id, tokens['drafter1']);
      await client.synced;
      // As the web editor writes it: with its block id (each proposal its own; ids are not hashed).
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.setAttribute('id', randomUUID());
      const text = new Y.XmlText();
      client.doc.transact(() => {
        paragraph.insert(0, [text]);
        client.content.insert(0, [paragraph]);
      });
      type(text);
      return client;
    };
    const steps = (text: Y.XmlText) => [
      text.insert(0, 'Fair recruitment '),
      text.insert(17, 'for all workers.'),
    ];
    const otherSteps = (text: Y.XmlText) => [
      text.insert(0, 'workers.'),
      text.insert(0, 'Fair '),
      text.insert(5, 'recruitmnet for al '),
      text.delete(13, 3),
      text.insert(13, 'ent'),
      text.insert(23, 'l'),
    ];
    const clientA = await typeInto(a.id, steps);
    const clientB = await typeInto(b.id, otherSteps);
    expect(fragmentText(clientA.content)).toBe('Fair recruitment for all workers.');
    expect(fragmentText(clientB.content)).toBe('Fair recruitment for all workers.');
    const revA = await eventually(async () => ((await revisionCount(a.id)) === 3 ? 3 : null), { what: 'three revisions of A' });
    const revB = await eventually(async () => ((await revisionCount(b.id)) === 7 ? 7 : null), { what: 'seven revisions of B' });
    const [hashA, hashB] = await Promise.all([
      rest['chair'].get(`/api/proposals/${a.id}/revisions/${revA}`),
      rest['chair'].get(`/api/proposals/${b.id}/revisions/${revB}`),
    ]).then((responses) => responses.map((response) => ok(response)));
    expect(hashA.text).toBe('Fair recruitment for all workers.');
    expect(hashB.text).toBe(hashA.text);
    expect(hashB.contentHash).toBe(hashA.contentHash);
    // The server's hash is the hash of what the clients hold.
    expect(contentHashOfDocument(clientA.doc)).toBe(hashA.contentHash);
    // A different text hashes differently.
    const middle = ok(await rest['chair'].get(`/api/proposals/${b.id}/revisions/2`));
    expect(middle.contentHash).not.toBe(hashA.contentHash);
    clientA.close();
    clientB.close();
  });
});
