/**
 * Comment threads anchored to words: opened, replied to, resolved and reopened over REST against
 * the real server (SQLite, demo), anchored with Yjs relative positions computed from a stock
 * y-websocket client's copy of the document, and kept on their words while another drafter edits
 * around them through the same socket path people use.
 */
import * as Y from 'yjs';
import { ApiClient, ApiProcess, eventually, ok, startApi } from './support/api-process';
import { bodyParagraph, CollabClient, connectClient } from './support/collab-client';

interface Thread {
  id: string;
  anchor: { from: string; to: string };
  quote: string;
  status: 'open' | 'resolved';
  openedBy: string;
  openedByName: string;
  revision: number;
  resolvedByName: string | null;
  messages: Array<{
    id: string;
    authorId: string;
    authorName: string;
    authorMemberState: { code: string; name: string } | null;
    body: string;
    mentions: string[];
    revision: number;
  }>;
}

const encode = (position: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(position)).toString('base64');
const decode = (encoded: string) => Y.decodeRelativePosition(new Uint8Array(Buffer.from(encoded, 'base64')));

/** The words between the thread's two anchors in `doc` now ('' when they collapsed). */
function anchoredWords(doc: Y.Doc, text: Y.XmlText, thread: Thread): string {
  const from = Y.createAbsolutePositionFromRelativePosition(decode(thread.anchor.from), doc);
  const to = Y.createAbsolutePositionFromRelativePosition(decode(thread.anchor.to), doc);
  if (!from || !to || from.type !== text || to.type !== text) throw new Error('anchor not in the paragraph');
  return text.toString().slice(from.index, Math.max(from.index, to.index));
}

describe('comment threads anchored to words (sqlite, demo)', () => {
  let server: ApiProcess;
  let drafter1: ApiClient;
  let chair: ApiClient;
  let auditor: ApiClient;
  let delegate1: ApiClient;
  let drafter2Token: string;
  let proposalId: string;
  let writer: CollabClient;
  let paragraph: Y.XmlText;
  let chairId: string;

  beforeAll(async () => {
    server = await startApi({ name: 'threads' });
    drafter1 = server.api(await server.login('drafter1'));
    chair = server.api(await server.login('chair'));
    auditor = server.api(await server.login('auditor'));
    delegate1 = server.api(await server.login('delegate1'));
    drafter2Token = await server.login('drafter2');
    chairId = ok(await chair.get('/api/auth/me')).id;
    proposalId = ok(await drafter1.get<Array<{ id: string; status: string }>>('/api/proposals')).find((p) => p.status !== 'withdrawn')!.id;
    writer = connectClient(server.collabUrl, proposalId, drafter2Token);
    await writer.synced;
    paragraph = bodyParagraph(writer.content);
  });

  const currentRevision = async () => ok(await drafter1.get(`/api/proposals/${proposalId}`)).currentRevision as number;
  const threads = async (query = '') => ok(await drafter1.get<Thread[]>(`/api/proposals/${proposalId}/threads${query}`));
  const anchorOn = (words: string) => {
    const start = paragraph.toString().indexOf(words);
    expect(start).toBeGreaterThanOrEqual(0);
    return {
      from: encode(Y.createRelativePositionFromTypeIndex(paragraph, start)),
      // assoc -1: the end sticks to the last anchored character, so typing right after the words stays outside.
      to: encode(Y.createRelativePositionFromTypeIndex(paragraph, start + words.length, -1)),
    };
  };

  it('opens a thread on words, replies with a mention, resolves and reopens it, each step attributed and in the audit log', async () => {
    const words = paragraph.toString().split(' ').slice(3, 6).join(' ');
    const before = await currentRevision();
    const opened: Thread = ok(
      await chair.post(`/api/proposals/${proposalId}/threads`, { anchor: anchorOn(words), quote: words, body: 'Which workers does this cover?' }),
    );
    expect(opened).toMatchObject({ quote: words, status: 'open', openedBy: chairId, openedByName: 'Fatima Al Mansoori', revision: before });
    expect(opened.messages).toHaveLength(1);

    const replied: Thread = ok(
      await drafter1.post(`/api/proposals/${proposalId}/threads/${opened.id}/replies`, { body: '@Fatima Al Mansoori all contract workers.', mentions: [chairId] }),
    );
    expect(replied.messages.map((m) => [m.authorName, m.body, m.mentions])).toEqual([
      ['Fatima Al Mansoori', 'Which workers does this cover?', []],
      ['Amina Rahman', '@Fatima Al Mansoori all contract workers.', [chairId]],
    ]);

    const resolved: Thread = ok(await drafter1.post(`/api/proposals/${proposalId}/threads/${opened.id}/resolve`, {}));
    expect(replied.messages.map((m) => m.authorMemberState)).toEqual([null, null]);
    expect(resolved).toMatchObject({ status: 'resolved', resolvedByName: 'Amina Rahman' });
    // Resolving twice changes nothing and is no error.
    expect(ok(await chair.post(`/api/proposals/${proposalId}/threads/${opened.id}/resolve`, {})).status).toBe('resolved');
    expect(ok(await chair.post(`/api/proposals/${proposalId}/threads/${opened.id}/reopen`, {})).status).toBe('open');

    const audit = ok(await auditor.get(`/api/audit/events?stream=proposal-${proposalId}-threads`));
    expect(audit.items.map((e: { type: string; userId: string }) => e.type)).toEqual(['ThreadOpened', 'ThreadReplied', 'ThreadResolved', 'ThreadReopened']);
    expect(audit.items[0].userId).toBe(chairId);
  });

  it('shows the threads as they stood at a revision', async () => {
    const revisionBefore = await currentRevision();
    const words = paragraph.toString().split(' ').slice(8, 10).join(' ');
    const thread: Thread = ok(await chair.post(`/api/proposals/${proposalId}/threads`, { anchor: anchorOn(words), quote: words, body: 'Cite the source.' }));
    // Text moves on, then the thread is resolved on the newer revision.
    paragraph.insert(0, 'Later. ');
    await eventually(async () => (await currentRevision()) > revisionBefore, { what: 'the edit recorded' });
    const later = await currentRevision();
    ok(await drafter1.post(`/api/proposals/${proposalId}/threads/${thread.id}/resolve`, {}));

    const atOpening = (await threads(`?atRevision=${revisionBefore}`)).find((t) => t.id === thread.id);
    expect(atOpening?.status).toBe('open');
    expect((await threads(`?atRevision=${later}`)).find((t) => t.id === thread.id)?.status).toBe('resolved');
    expect((await threads(`?atRevision=${Math.max(0, thread.revision - 1)}`)).find((t) => t.id === thread.id)).toBeUndefined();
  });

  it("gives each message its author's member state, now and at a revision, for a delegate's comment and a drafter's reply", async () => {
    const words = paragraph.toString().split(' ').slice(1, 3).join(' ');
    const thread: Thread = ok(await delegate1.post(`/api/proposals/${proposalId}/threads`, { anchor: anchorOn(words), quote: words, body: 'India asks why.' }));
    ok(await drafter1.post(`/api/proposals/${proposalId}/threads/${thread.id}/replies`, { body: 'Because.' }));
    const india = { code: 'IN', name: 'India' };
    const expected = [
      ['Priya Sharma (India)', india],
      ['Amina Rahman', null],
    ];
    const now = (await threads()).find((t) => t.id === thread.id);
    expect(now?.messages.map((m) => [m.authorName, m.authorMemberState])).toEqual(expected);
    const then = (await threads(`?atRevision=${await currentRevision()}`)).find((t) => t.id === thread.id);
    expect(then?.messages.map((m) => [m.authorName, m.authorMemberState])).toEqual(expected);
  });

  it('keeps a thread on its words while another drafter edits around them (seeded random edits), and keeps it when they are deleted', async () => {
    const words = paragraph.toString().split(' ').slice(12, 16).join(' ');
    const thread: Thread = ok(await drafter1.post(`/api/proposals/${proposalId}/threads`, { anchor: anchorOn(words), quote: words, body: 'Tighten this.' }));
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 60; i++) {
      const text = paragraph.toString();
      const start = text.indexOf(words);
      const end = start + words.length;
      // Anywhere outside the anchored words: before them, or after them.
      const before = random() < 0.5;
      const at = before ? Math.floor(random() * (start + 1)) : end + Math.floor(random() * (text.length - end + 1));
      if (random() < 0.7) paragraph.insert(at, `x${i} `);
      else {
        const length = before ? Math.min(3, start - at) : Math.min(3, text.length - at);
        if (length > 0) paragraph.delete(at, length);
      }
    }
    // The server's copy: a fresh stock client syncs the recorded text and resolves the anchor there.
    const reader = connectClient(server.collabUrl, proposalId, drafter2Token);
    await reader.synced;
    await eventually(async () => bodyParagraph(reader.content).toString() === paragraph.toString(), { what: 'every edit recorded', timeoutMs: 15_000 });
    expect(anchoredWords(reader.doc, bodyParagraph(reader.content), thread)).toBe(words);

    // Delete the words: the thread stays, with the quote it was made on.
    const start = paragraph.toString().indexOf(words);
    paragraph.delete(start, words.length);
    await eventually(async () => !bodyParagraph(reader.content).toString().includes(words), { what: 'the deletion recorded' });
    expect(anchoredWords(reader.doc, bodyParagraph(reader.content), thread)).toBe('');
    const kept = (await threads()).find((t) => t.id === thread.id);
    expect(kept).toMatchObject({ quote: words, status: 'open' });
    reader.close();
  });

  it('refuses what it must, with a reason, and records nothing for it', async () => {
    const anchor = anchorOn(paragraph.toString().slice(0, 5));
    const post = (client: ApiClient, path: string, body: unknown) => client.post(`/api/proposals/${proposalId}${path}`, body);
    const countBefore = (await threads()).length;

    const auditorTry = await post(auditor, '/threads', { anchor, quote: 'x', body: 'I audit.' });
    expect(auditorTry.status).toBe(403);
    expect(auditorTry.body.message).toMatch(/Only a drafter, a chair or a delegate of this workspace may comment/);
    expect((await auditor.get(`/api/proposals/${proposalId}/threads`)).status).toBe(200);

    for (const [body, reason] of [
      [{ anchor, quote: 'x', body: '   ' }, /comment/i],
      [{ anchor: { from: '/w==', to: anchor.to }, quote: 'x', body: 'b' }, /anchor.from is not an encoded Yjs relative position/],
      [{ anchor: { from: 'not base64!', to: anchor.to }, quote: 'x', body: 'b' }, /anchor.from/],
      [{ anchor, quote: 'x', body: 'b', mentions: ['someone-else'] }, /members/],
      [{ anchor, quote: 'x', body: 'b'.repeat(4001) }, /body/],
      [{ anchor, quote: 'x', body: 'b', extra: 1 }, /extra/],
      [{ quote: 'x', body: 'b' }, /anchor/],
    ] as const) {
      const response = await post(drafter1, '/threads', body);
      expect({ status: response.status, message: String(response.body.message) }).toEqual({ status: 400, message: expect.stringMatching(reason) });
    }
    expect((await post(drafter1, '/threads/5d6c4c8e-1111-4222-8333-944455556666/replies', { body: 'hello' })).status).toBe(404);
    expect((await post(drafter1, '/threads/not-a-uuid/resolve', {})).status).toBe(400);
    expect((await drafter1.get('/api/proposals/5d6c4c8e-1111-4222-8333-944455556666/threads')).status).toBe(404);
    // Found by the REST fuzzer (PostgreSQL refused the number with a 500): a revision beyond INTEGER is a 400.
    for (const atRevision of ['99999999999999999999', '-1', '1.5', 'x']) {
      expect((await drafter1.get(`/api/proposals/${proposalId}/threads?atRevision=${atRevision}`)).status).toBe(400);
    }
    expect((await threads()).length).toBe(countBefore);
  });
});
