import type { EventStore, ReadStreamOptions } from '@concord/event-store';
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
import { CONTENT_SNAPSHOT, CONTENT_UPDATED, contentStreamOf, snapshotStreamOf } from './persistence/content-events';

jest.setTimeout(30_000);

function replay(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
}

describe('document lifecycle', () => {
  const harness = useCollabHarness();

  it('writes a snapshot every K updates to the snapshot stream, equal to the replay of updates 1..r', async () => {
    const server = await harness.startServer({ checkpointEvery: 4 });
    const drafter = harness.connect(server, 'p-snapshots', users.drafter1);
    await drafter.synced;
    for (let index = 1; index <= 10; index++) appendParagraph(drafter.content, `paragraph ${index}`);

    const snapshots = await eventually(async () => {
      const found = await snapshotEvents(server.store, 'p-snapshots');
      return found.length === 2 ? found : null;
    });
    const events = await eventually(async () => {
      const all = await contentEvents(server.store, 'p-snapshots');
      return all.length === 10 ? all : null;
    });
    // The content stream holds only the updates: content revision = stream revision + 1.
    expect(events.map((event) => [event.type, event.metadata['revision']])).toEqual(events.map((event) => [CONTENT_UPDATED, event.revision + 1]));
    expect(snapshots.every((event) => event.type === CONTENT_SNAPSHOT && event.metadata.userId === 'system')).toBe(true);
    expect(snapshots.map((event) => event.metadata['revision'])).toEqual([4, 8]);

    for (const snapshot of snapshots) {
      const revision = snapshot.metadata['revision'] as number;
      // Each snapshot names where its revision's update sits in the content stream.
      expect(snapshot.metadata['contentStreamRevision']).toBe(events[revision - 1].revision);
      const expected = replay(events.slice(0, revision).map((event) => event.data as Uint8Array));
      const fromSnapshot = replay([snapshot.data as Uint8Array]);
      expect(textOf(fromSnapshot.getXmlFragment('content'))).toBe(textOf(expected.getXmlFragment('content')));
      expect(Y.encodeStateVector(fromSnapshot)).toEqual(Y.encodeStateVector(expected));
      expected.destroy();
      fromSnapshot.destroy();
    }
  });

  it('evicts an idle document and reloads it from snapshot + tail', async () => {
    const server = await harness.startServer({ checkpointEvery: 3, idleEvictMs: 50 });
    const first = harness.connect(server, 'p-evict', users.drafter1);
    await first.synced;
    for (let index = 1; index <= 7; index++) appendParagraph(first.content, `line ${index}`);
    await eventually(async () => (await snapshotEvents(server.store, 'p-evict')).length === 2);
    const expected = textOf(first.content);
    first.provider.destroy();

    await eventually(() => !server.collab.documents.hosted.includes('p-evict'), 5_000, 'eviction');

    const reads: Array<ReadStreamOptions & { stream: string }> = [];
    const store = server.store;
    const originalRead = store.readStream.bind(store);
    jest.spyOn(store, 'readStream').mockImplementation((stream, options) => {
      reads.push({ stream, ...options });
      return originalRead(stream, options);
    });
    const second = harness.connect(server, 'p-evict', users.drafter2);
    await second.synced;
    expect(textOf(second.content)).toBe(expected);
    expect(server.collab.documents.contentRevision('p-evict')).toBe(7);
    // Loaded from the newest snapshot (read backwards), then the content stream right after its
    // update (revision 6: the 7th event), not by replaying the stream from the start.
    expect(reads[0]).toMatchObject({ stream: snapshotStreamOf('p-evict'), direction: 'backwards' });
    const contentReads = reads.filter((options) => options.stream === contentStreamOf('p-evict'));
    expect(contentReads[0]).toMatchObject({ fromRevision: 6 });
    expect(contentReads.some((options) => (options.fromRevision ?? 0) === 0)).toBe(false);

    appendParagraph(second.content, 'after reload');
    await eventually(async () => (await contentEvents(server.store, 'p-evict')).filter((e) => e.type === CONTENT_UPDATED).length === 8);
    const last = (await contentEvents(server.store, 'p-evict')).filter((e) => e.type === CONTENT_UPDATED).pop();
    expect(last?.metadata['revision']).toBe(8);
  });

  it('shares one load between concurrent first connections', async () => {
    const server = await harness.startServer();
    await server.collab.content.appendUpdate('p-shared', seedUpdate('shared start'), { userId: 'system', kind: 'seed' });
    await eventually(() => !server.collab.documents.hosted.includes('p-shared') || server.collab.documents.connectionCount('p-shared') === 0);
    // Force a fresh load: evict by closing this server and opening another on the same store.
    const other = await harness.startServer({ store: server.store });
    const backwardsReads = countBackwardsReads(other.store);
    const clients = Array.from({ length: 6 }, () => harness.connect(other, 'p-shared', users.drafter1));
    await Promise.all(clients.map((client) => client.synced));
    expect(clients.every((client) => textOf(client.content) === 'shared start')).toBe(true);
    expect(backwardsReads()).toBe(1);
  });

  it('closes with open connections and pending work without hanging', async () => {
    const server = await harness.startServer({ checkpointEvery: 1 });
    const drafter = harness.connect(server, 'p-close', users.drafter1);
    await drafter.synced;
    for (let index = 0; index < 20; index++) appendParagraph(drafter.content, `x${index}`);
    await server.collab.close();
    expect(server.collab.documents.hosted).toEqual([]);
  });
});

function seedUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  appendParagraph(doc.getXmlFragment('content'), text);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

function countBackwardsReads(store: EventStore): () => number {
  let count = 0;
  const originalRead = store.readStream.bind(store);
  jest.spyOn(store, 'readStream').mockImplementation((stream, options) => {
    if (options?.direction === 'backwards') count += 1;
    return originalRead(stream, options);
  });
  return () => count;
}
