import { AttributionIndex, diffRevisions } from '@concord/content';
import * as Y from 'yjs';
import {
  appendParagraph,
  contentEvents,
  eventually,
  snapshotEvents,
  textOf,
  useCollabHarness,
  users,
} from '../testing/collab-harness';
import { InvalidUpdateError, RevisionNotFoundError } from './proposal-content';

jest.setTimeout(30_000);

/** An update that appends `text` to `doc` (the server's view is mirrored in `doc`). */
function edit(doc: Y.Doc, text: string): Uint8Array {
  const before = Y.encodeStateVector(doc);
  appendParagraph(doc.getXmlFragment('content'), text);
  return Y.encodeStateAsUpdate(doc, before);
}

describe('ProposalContent', () => {
  const harness = useCollabHarness();

  it('seeds a document on the server that clients then open', async () => {
    const server = await harness.startServer();
    const mirror = new Y.Doc();
    harness.defer(() => mirror.destroy());
    const revision = await server.collab.content.appendUpdate('p-seed', edit(mirror, 'Seeded text'), {
      userId: 'system',
      kind: 'seed',
    });
    expect(revision).toBe(1);
    const drafter = harness.connect(server, 'p-seed', users.drafter1);
    await drafter.synced;
    expect(textOf(drafter.content)).toBe('Seeded text');
    const [event] = await contentEvents(server.store, 'p-seed');
    expect(event.metadata).toMatchObject({ userId: 'system', kind: 'seed', revision: 1, clientId: mirror.clientID });
  });

  it('sends a server-side update (restore) through the edit path to connected clients', async () => {
    const server = await harness.startServer();
    const drafter = harness.connect(server, 'p-restore', users.drafter1);
    await drafter.synced;
    appendParagraph(drafter.content, 'typed by drafter');
    await eventually(() => server.collab.documents.contentRevision('p-restore') === 1);

    const restorer = new Y.Doc();
    harness.defer(() => restorer.destroy());
    Y.applyUpdate(restorer, Y.encodeStateAsUpdate(drafter.doc));
    const revision = await server.collab.content.appendUpdate('p-restore', edit(restorer, 'restored paragraph'), {
      userId: users.drafter2.userId,
      kind: 'restore',
    });
    expect(revision).toBe(2);
    await eventually(() => textOf(drafter.content).includes('restored paragraph'));
    expect(await server.collab.content.currentRevision('p-restore')).toBe(2);
    await expect(
      server.collab.content.appendUpdate('p-restore', new Uint8Array([1, 2, 3]), { userId: 'x', kind: 'edit' }),
    ).rejects.toBeInstanceOf(InvalidUpdateError);
  });

  it('answers timeline, documentAt and updatesWithAuthors across snapshots', async () => {
    const server = await harness.startServer({ checkpointEvery: 3, idleEvictMs: 20 });
    const mirror = new Y.Doc();
    harness.defer(() => mirror.destroy());
    const texts: string[] = [];
    for (let index = 1; index <= 11; index++) {
      const user = index % 2 === 0 ? users.drafter2 : users.drafter1;
      await server.collab.content.appendUpdate('p-history', edit(mirror, `rev ${index}`), {
        userId: user.userId,
        kind: index === 1 ? 'seed' : 'edit',
      });
      texts.push(textOf(mirror.getXmlFragment('content')));
    }
    await eventually(async () => (await snapshotEvents(server.store, 'p-history')).length === 3);
    // Off the live document: these read the store only.
    await eventually(() => !server.collab.documents.hosted.includes('p-history'));
    const content = server.collab.content;

    expect(await content.currentRevision('p-history')).toBe(11);
    for (let revision = 0; revision <= 11; revision++) {
      const doc = await content.documentAt('p-history', revision);
      expect(textOf(doc.getXmlFragment('content'))).toBe(revision === 0 ? '' : texts[revision - 1]);
      doc.destroy();
    }
    await expect(content.documentAt('p-history', 12)).rejects.toBeInstanceOf(RevisionNotFoundError);

    const firstPage = await content.timeline('p-history', { after: 0, limit: 4 });
    expect(firstPage.items.map((item) => item.revision)).toEqual([1, 2, 3, 4]);
    expect(firstPage.next).toBe(4);
    expect(firstPage.items[0]).toMatchObject({ userId: users.drafter1.userId, kind: 'seed' });
    expect(firstPage.items[1]).toMatchObject({ userId: users.drafter2.userId, kind: 'edit' });
    expect(typeof firstPage.items[0].at).toBe('string');
    const lastPage = await content.timeline('p-history', { after: 8, limit: 4 });
    expect(lastPage.items.map((item) => item.revision)).toEqual([9, 10, 11]);
    expect(lastPage.next).toBeNull();
    expect((await content.timeline('p-history', { after: 11 })).items).toEqual([]);

    const attributed = await content.updatesWithAuthors('p-history', 5);
    expect(attributed.map((update) => [update.revision, update.userId])).toEqual([
      [1, users.drafter1.userId],
      [2, users.drafter2.userId],
      [3, users.drafter1.userId],
      [4, users.drafter2.userId],
      [5, users.drafter1.userId],
    ]);
  });

  it('answers documentAt for the open document’s own revision from memory, and older revisions from the store', async () => {
    const server = await harness.startServer();
    const drafter = harness.connect(server, 'p-live', users.drafter1);
    await drafter.synced;
    appendParagraph(drafter.content, 'first');
    appendParagraph(drafter.content, 'second');
    await eventually(() => server.collab.documents.contentRevision('p-live') === 2);

    const reads = jest.spyOn(server.store, 'readStream');
    const current = await server.collab.content.documentAt('p-live', 2);
    harness.defer(() => current.destroy());
    expect(textOf(current.getXmlFragment('content'))).toBe(textOf(drafter.content));
    expect(reads).not.toHaveBeenCalled();
    // A copy: changing it leaves the open document alone.
    appendParagraph(current.getXmlFragment('content'), 'not recorded');
    expect(textOf(drafter.content)).not.toContain('not recorded');

    const older = await server.collab.content.documentAt('p-live', 1);
    harness.defer(() => older.destroy());
    expect(textOf(older.getXmlFragment('content'))).toBe('first');
    expect(reads).toHaveBeenCalled();
    reads.mockRestore();
  });

  it('reports revision 0 and an empty timeline for a proposal without content', async () => {
    const server = await harness.startServer();
    expect(await server.collab.content.currentRevision('p-empty')).toBe(0);
    expect(await server.collab.content.timeline('p-empty')).toEqual({ items: [], next: null });
    const doc = await server.collab.content.documentAt('p-empty', 0);
    expect(doc.getXmlFragment('content').length).toBe(0);
    doc.destroy();
  });
});

describe('ProposalContent restore and diff input', () => {
  const harness = useCollabHarness();

  it('restores an earlier revision as one attributed update that connected clients receive', async () => {
    const server = await harness.startServer({ checkpointEvery: 2 });
    const drafter = harness.connect(server, 'p-rewind', users.drafter1);
    await drafter.synced;
    appendParagraph(drafter.content, 'first');
    appendParagraph(drafter.content, 'second');
    await eventually(() => server.collab.documents.contentRevision('p-rewind') === 2);
    drafter.content.delete(0, 1);
    appendParagraph(drafter.content, 'third');
    await eventually(() => server.collab.documents.contentRevision('p-rewind') === 4);

    const result = await server.collab.content.restoreRevision('p-rewind', 2, { userId: users.drafter2.userId });
    expect(result).toEqual({ restoredRevision: 2, revision: 5, recorded: true });
    await eventually(() => textOf(drafter.content) === 'first\nsecond');
    const last = (await contentEvents(server.store, 'p-rewind')).filter((event) => event.type === 'ContentUpdated').pop();
    expect(last?.metadata).toMatchObject({ userId: users.drafter2.userId, kind: 'restore', revision: 5 });

    // Restoring what is already there records nothing.
    expect(await server.collab.content.restoreRevision('p-rewind', 5, { userId: users.drafter2.userId })).toEqual({
      restoredRevision: 5,
      revision: 5,
      recorded: false,
    });
  });

  it('gives diffRevisions its snapshot and updates, and attribution its authors', async () => {
    const server = await harness.startServer({ checkpointEvery: 3 });
    const mirror = new Y.Doc();
    harness.defer(() => mirror.destroy());
    for (let index = 1; index <= 8; index++) {
      await server.collab.content.appendUpdate('p-diff', edit(mirror, `para ${index}`), {
        userId: index <= 4 ? users.drafter1.userId : users.drafter2.userId,
        kind: 'edit',
      });
    }
    await eventually(async () => (await snapshotEvents(server.store, 'p-diff')).length === 2);
    // The history snapshot at 6 (after `from`) plus revision 7, and revision 4 as a Yjs snapshot.
    const source = await server.collab.content.historySource('p-diff', { from: 4, to: 7 });
    expect(source.snapshotRevision).toBe(6);
    expect(source.updates).toHaveLength(1);
    expect(source.fromSnapshot).toBeInstanceOf(Uint8Array);
    // Within one snapshot interval: the snapshot at 3, then revisions 4 and 5.
    const near = await server.collab.content.historySource('p-diff', { from: 4, to: 5 });
    expect([near.snapshotRevision, near.updates.length, near.fromSnapshot]).toEqual([3, 2, undefined]);
    const authors = AttributionIndex.fromUpdates(await server.collab.content.updatesWithAuthors('p-diff', 7));
    expect((await server.collab.content.attributionAt('p-diff', 7)).index.encode()).toEqual(authors.encode());
    const spans = diffRevisions({ ...source, from: 4, to: 7, attribution: authors });
    const inserted = spans.filter((span) => span.type === 'insert');
    expect(inserted.map((span) => span.text).join('')).toContain('para 5');
    expect(inserted.every((span) => span.userId === users.drafter2.userId)).toBe(true);
    await expect(server.collab.content.historySource('p-diff', { from: 4, to: 9 })).rejects.toBeInstanceOf(RevisionNotFoundError);
  });
});
