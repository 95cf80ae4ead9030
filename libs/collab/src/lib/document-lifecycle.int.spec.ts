import type { EventStore, ReadStreamOptions } from '@concord/event-store';
import * as Y from 'yjs';
import {
  appendParagraph,
  contentEvents,
  eventually,
  textOf,
  useCollabHarness,
  users,
} from '../testing/collab-harness';
import { CONTENT_CHECKPOINTED, CONTENT_UPDATED } from './persistence/content-events';

jest.setTimeout(30_000);

function replay(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
}

describe('document lifecycle', () => {
  const harness = useCollabHarness();

  it('writes a ContentCheckpointed every K updates, equal to the replay of updates 1..r', async () => {
    const server = await harness.startServer({ checkpointEvery: 4 });
    const drafter = harness.connect(server, 'p-checkpoints', users.drafter1);
    await drafter.synced;
    for (let index = 1; index <= 10; index++) appendParagraph(drafter.content, `paragraph ${index}`);

    const events = await eventually(async () => {
      const all = await contentEvents(server.store, 'p-checkpoints');
      const checkpoints = all.filter((event) => event.type === CONTENT_CHECKPOINTED);
      return checkpoints.length === 2 && all.filter((event) => event.type === CONTENT_UPDATED).length === 10 ? all : null;
    });
    const updates = events.filter((event) => event.type === CONTENT_UPDATED);
    const checkpoints = events.filter((event) => event.type === CONTENT_CHECKPOINTED);
    expect(checkpoints.map((event) => event.metadata['revision'])).toEqual([4, 8]);
    expect(checkpoints.every((event) => event.metadata.userId === 'system')).toBe(true);

    for (const checkpoint of checkpoints) {
      const revision = checkpoint.metadata['revision'] as number;
      // Each checkpoint follows its revision's update in the stream.
      expect(checkpoint.revision).toBeGreaterThan(updates[revision - 1].revision);
      const expected = replay(updates.slice(0, revision).map((event) => event.data as Uint8Array));
      const fromCheckpoint = replay([checkpoint.data as Uint8Array]);
      expect(textOf(fromCheckpoint.getXmlFragment('content'))).toBe(textOf(expected.getXmlFragment('content')));
      expect(Y.encodeStateVector(fromCheckpoint)).toEqual(Y.encodeStateVector(expected));
      expected.destroy();
      fromCheckpoint.destroy();
    }
  });

  it('evicts an idle document and reloads it from checkpoint + tail', async () => {
    const server = await harness.startServer({ checkpointEvery: 3, idleEvictMs: 50 });
    const first = harness.connect(server, 'p-evict', users.drafter1);
    await first.synced;
    for (let index = 1; index <= 7; index++) appendParagraph(first.content, `line ${index}`);
    await eventually(async () => (await contentEvents(server.store, 'p-evict')).filter((e) => e.type === CONTENT_CHECKPOINTED).length === 2);
    const expected = textOf(first.content);
    first.provider.destroy();

    await eventually(() => !server.collab.documents.hosted.includes('p-evict'), 5_000, 'eviction');

    const reads: ReadStreamOptions[] = [];
    const store = server.store;
    const originalRead = store.readStream.bind(store);
    jest.spyOn(store, 'readStream').mockImplementation((stream, options) => {
      reads.push(options ?? {});
      return originalRead(stream, options);
    });
    const second = harness.connect(server, 'p-evict', users.drafter2);
    await second.synced;
    expect(textOf(second.content)).toBe(expected);
    expect(server.collab.documents.contentRevision('p-evict')).toBe(7);
    // Loaded by reading backwards to the checkpoint, not by replaying the stream from the start.
    expect(reads[0]).toMatchObject({ direction: 'backwards' });
    expect(reads.some((options) => options.direction !== 'backwards' && (options.fromRevision ?? 0) === 0)).toBe(false);

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
