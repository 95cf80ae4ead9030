/**
 * Restore is one command: decide, write the restoring update through the edit path, then append
 * `ProposalRestored` naming the revision that update became. Checked against the real server's
 * SQLite log while a stock y-websocket client types concurrently, and for restores that fail
 * (refused by the domain, an unknown revision, the store refusing the write): none leaves a
 * `ProposalRestored`.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import * as Y from 'yjs';
import { ApiClient, ApiProcess, eventually, ok, sleep, startApi } from './support/api-process';
import { connectClient, firstParagraphText } from './support/collab-client';

interface Restored {
  proposalId: string;
  fromRevision: number;
  newRevision: number;
}

describe('restore as one command (sqlite, demo)', () => {
  let server: ApiProcess;
  let log: Database.Database;
  let drafter1: ApiClient;
  let drafter2Token: string;
  let drafter1Id: string;
  let submissionId: string;

  beforeAll(async () => {
    server = await startApi({ name: 'restore' });
    drafter1 = server.api(await server.login('drafter1'));
    drafter2Token = await server.login('drafter2');
    drafter1Id = ok(await drafter1.get('/api/auth/me')).id;
    submissionId = ok(await drafter1.get<Array<{ submissionId: string }>>('/api/proposals'))[0].submissionId;
    log = new Database(join(server.dataDir, 'concord.sqlite'));
    log.pragma('busy_timeout = 5000');
  });

  afterAll(() => log?.close());

  const restoredEvents = (proposalId: string): Restored[] =>
    (log.prepare(`SELECT data FROM events WHERE stream = ? AND type = 'ProposalRestored' ORDER BY revision`).all(`proposal-${proposalId}`) as Array<{
      data: Buffer | string;
    }>).map((row) => JSON.parse(row.data.toString()));
  const revisions = async (proposalId: string, after = 0) => {
    const items: Array<{ revision: number; userId: string; kind: string }> = [];
    for (let cursor: number | null = after; cursor !== null; ) {
      const page: { items: typeof items; next: number | null } = ok(
        await drafter1.get(`/api/proposals/${proposalId}/revisions?after=${cursor}&limit=1000`),
      );
      items.push(...page.items);
      cursor = page.next;
    }
    return items;
  };
  const hashAt = async (proposalId: string, revision: number): Promise<string> =>
    ok(await drafter1.get(`/api/proposals/${proposalId}/revisions/${revision}`)).contentHash;
  const currentRevision = async (proposalId: string): Promise<number> => ok(await drafter1.get(`/api/proposals/${proposalId}`)).currentRevision;

  /** A new proposal with `edits` recorded edits by drafter2 through the stock client. */
  async function proposalWithEdits(title: string, edits: number) {
    const { id } = ok(await drafter1.post('/api/proposals', { submissionId, title, kind: 'policy', gcmObjectives: [5] }));
    const client = connectClient(server.collabUrl, id, drafter2Token);
    await client.synced;
    // A new proposal is empty: a plain Yjs client writes a paragraph (recorded as one edit).
    const paragraph = new Y.XmlElement('paragraph');
    client.doc.transact(() => {
      paragraph.insert(0, [new Y.XmlText('Opening text.')]);
      client.content.insert(0, [paragraph]);
    });
    await eventually(async () => (await currentRevision(id)) > 0, { what: 'the first paragraph recorded' });
    const seeded = await currentRevision(id);
    for (let i = 0; i < edits; i++) {
      firstParagraphText(client.content).insert(0, `edit ${i}. `);
      await eventually(async () => (await currentRevision(id)) >= seeded + i + 1, { what: `edit ${i} recorded` });
    }
    return { id, client, seeded };
  }

  it('names the revision that holds the restoring update, while another drafter types', async () => {
    const { id, client, seeded } = await proposalWithEdits('Restored while typed into', 3);
    const target = seeded + 1;
    const targetHash = await hashAt(id, target);

    // drafter2 types a character every few milliseconds during the whole restore.
    let typing = true;
    let typed = 0;
    const typist = (async () => {
      while (typing) {
        firstParagraphText(client.content).insert(0, 'x');
        typed++;
        await sleep(3);
      }
    })();
    await eventually(async () => (await currentRevision(id)) > seeded + 5, { what: 'typing is being recorded' });
    const beforeRequest = await currentRevision(id);
    const response = await drafter1.post(`/api/proposals/${id}/restore`, { revision: target });
    await sleep(100);
    typing = false;
    await typist;
    expect(response.status).toBe(200);
    expect(typed).toBeGreaterThan(10);

    const restoreRevision = response.body.revision as number;
    expect(response.body).toEqual({ revision: restoreRevision, fromRevision: target });
    // Keystrokes were recorded between the request and the restore: a guessed "current + 1" would be wrong.
    expect(restoreRevision).toBeGreaterThan(beforeRequest + 1);

    // The content stream: that revision is the restore, by drafter1; drafter2's keystrokes are around it.
    const timeline = await revisions(id, beforeRequest);
    const restores = timeline.filter((item) => item.kind === 'restore');
    expect(restores).toEqual([expect.objectContaining({ revision: restoreRevision, userId: drafter1Id })]);
    expect(timeline.some((item) => item.revision > restoreRevision && item.kind !== 'restore')).toBe(true);
    // ...and the text at that revision is exactly the restored one, not at the one before.
    expect(await hashAt(id, restoreRevision)).toBe(targetHash);
    expect(await hashAt(id, restoreRevision - 1)).not.toBe(targetHash);

    // The domain event names it.
    expect(restoredEvents(id)).toEqual([{ proposalId: id, fromRevision: target, newRevision: restoreRevision }]);
    client.close();
  });

  it('leaves no ProposalRestored when the restore is refused or cannot be written', async () => {
    const { id, client, seeded } = await proposalWithEdits('Restores that fail', 2);
    client.close();

    // An unknown revision: refused before anything is written.
    const unknown = await drafter1.post(`/api/proposals/${id}/restore`, { revision: 9_999 });
    expect(unknown.status).toBeGreaterThanOrEqual(400);
    expect(unknown.status).toBeLessThan(500);
    expect(unknown.body.message).toMatch(/9999/);

    // The store refuses to write the content: the client is told, nothing is restored or recorded.
    const before = await currentRevision(id);
    log.exec(`CREATE TRIGGER refuse_content_writes BEFORE INSERT ON events WHEN NEW.stream = 'proposal-${id}-content'
              BEGIN SELECT RAISE(ABORT, 'the disk refused the write'); END`);
    let failedWrite;
    try {
      failedWrite = await drafter1.post(`/api/proposals/${id}/restore`, { revision: seeded + 1 });
    } finally {
      log.exec('DROP TRIGGER refuse_content_writes');
    }
    expect(failedWrite.status).toBe(503);
    expect(failedWrite.body.message).toMatch(/could not be restored: writing the text failed .*Nothing was restored/);
    expect(await currentRevision(id)).toBe(before);
    expect((await revisions(id)).some((item) => item.kind === 'restore')).toBe(false);

    // Refused by the domain: the proposal is withdrawn.
    ok(await drafter1.post(`/api/proposals/${id}/withdraw`), 'withdraw');
    const refused = await drafter1.post(`/api/proposals/${id}/restore`, { revision: seeded + 1 });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(refused.body.message).toMatch(/withdrawn/);
    expect(await currentRevision(id)).toBe(before);

    expect(restoredEvents(id)).toEqual([]);
  });
});
