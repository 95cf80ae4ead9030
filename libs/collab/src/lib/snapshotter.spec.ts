import { Mutex } from 'async-mutex';
import { AttributionIndex, buildDocument, encodeSnapshot } from '@concord/content';
import * as Y from 'yjs';
import { silentLogger } from './logger';
import type { ContentReader, ContentSnapshotSource } from './persistence/content-reader';
import type { ContentWriter } from './persistence/content-writer';
import { Snapshotter } from './snapshotter';

/** `count` typing updates of one writer, as recorded (each its own update). */
function typedUpdates(count: number, userId: string): Array<{ update: Uint8Array; userId: string }> {
  const doc = new Y.Doc();
  const text = doc.getXmlFragment('content');
  const updates: Array<{ update: Uint8Array; userId: string }> = [];
  doc.on('update', (update: Uint8Array) => updates.push({ update, userId }));
  const paragraph = new Y.XmlElement('paragraph');
  text.insert(0, [paragraph]);
  const words = new Y.XmlText();
  paragraph.insert(0, [words]);
  while (updates.length < count) {
    if (updates.length % 7 === 6 && words.length > 3) words.delete(words.length - 3, 2);
    else words.insert(words.length, `w${updates.length} `);
  }
  return updates.slice(0, count);
}

/** A reader over fixed updates (no previous snapshot) and a writer keeping what it is given, counting builds in flight. */
function fakeStore(updates: Array<{ update: Uint8Array; userId: string }>, inFlight: { now: number; most: number }) {
  const written: Array<{ proposalId: string; state: Uint8Array; revision: number; attribution?: Uint8Array }> = [];
  const reader = {
    async source(_proposalId: string, revision: number): Promise<ContentSnapshotSource> {
      inFlight.now += 1;
      inFlight.most = Math.max(inFlight.most, inFlight.now);
      return {
        snapshot: null,
        updates: updates.slice(0, revision).map((entry, index) => ({ ...entry, revision: index + 1, at: '', kind: 'edit' })) as never,
        revision,
        headStreamRevision: revision - 1,
        fence: { revoked: [] } as never,
      };
    },
  } as unknown as ContentReader;
  const writer = {
    async appendSnapshot(proposalId: string, snapshot: { state: Uint8Array; revision: number; attribution?: Uint8Array }) {
      inFlight.now -= 1;
      written.push({ proposalId, ...snapshot });
      return { nextExpectedRevision: written.length - 1, position: written.length };
    },
  } as unknown as ContentWriter;
  return { reader, writer, written };
}

describe('Snapshotter', () => {
  it('builds one snapshot at a time across the documents sharing a queue, and each equals the text it covers', async () => {
    const updates = typedUpdates(300, 'u1');
    const inFlight = { now: 0, most: 0 };
    const { reader, writer, written } = fakeStore(updates, inFlight);
    const queue = new Mutex();
    const snapshotters = ['p1', 'p2', 'p3', 'p4'].map(
      (proposalId) => new Snapshotter(proposalId, { reader, writer, logger: silentLogger, every: 100, queue }),
    );
    // Every document reaches revisions 100, 200 and 300 at once, as texts typed at one pace do.
    for (const snapshotter of snapshotters) snapshotter.recorded(0, 300);
    await Promise.all(snapshotters.map((snapshotter) => snapshotter.settled()));

    expect(inFlight.most).toBe(1);
    expect(written).toHaveLength(12);
    for (const snapshot of written) {
      const expected = buildDocument({ updates: updates.slice(0, snapshot.revision).map((entry) => entry.update) });
      const actual = buildDocument({ snapshot: snapshot.state, updates: [] });
      expect(actual.getXmlFragment('content').toString()).toBe(expected.getXmlFragment('content').toString());
      expect(AttributionIndex.decode(snapshot.attribution as Uint8Array).authors).toEqual(['u1']);
    }
  });

  it('without a shared queue, documents build at once (what the queue prevents)', async () => {
    const inFlight = { now: 0, most: 0 };
    const { reader, writer } = fakeStore(typedUpdates(100, 'u1'), inFlight);
    const snapshotters = ['p1', 'p2'].map((proposalId) => new Snapshotter(proposalId, { reader, writer, logger: silentLogger, every: 100 }));
    for (const snapshotter of snapshotters) snapshotter.recorded(0, 100);
    await Promise.all(snapshotters.map((snapshotter) => snapshotter.settled()));
    expect(inFlight.most).toBe(2);
  });

  it('lets the event loop run while it applies a thousand updates, and keeps deleted words (gc off)', async () => {
    const updates = typedUpdates(1_000, 'u2');
    const { reader, writer, written } = fakeStore(updates, { now: 0, most: 0 });
    const snapshotter = new Snapshotter('p1', { reader, writer, logger: silentLogger, every: 1_000, queue: new Mutex() });
    let immediates = 0;
    const countImmediates = (): void => {
      immediates += 1;
      if (!snapshotter.idle) setImmediate(countImmediates);
    };
    snapshotter.recorded(999, 1_000);
    setImmediate(countImmediates);
    await snapshotter.settled();
    // 1,000 updates in pages of 64: the loop turned between pages.
    expect(immediates).toBeGreaterThanOrEqual(10);

    const [snapshot] = written;
    const restored = buildDocument({ snapshot: snapshot.state, updates: [], gc: false });
    const reference = buildDocument({ updates: updates.map((entry) => entry.update), gc: false });
    expect(restored.getXmlFragment('content').toString()).toBe(reference.getXmlFragment('content').toString());
    expect(encodeSnapshot(restored).length).toBe(encodeSnapshot(reference).length);
  });
});
