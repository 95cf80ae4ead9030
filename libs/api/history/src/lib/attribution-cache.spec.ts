import * as Y from 'yjs';
import { createCollabServer, CollabServer } from '@concord/collab';
import { MemoryEventStore } from '@concord/event-store';
import { AttributionIndex } from '@concord/content';
import { AttributionCache } from './attribution-cache';

/** An update typing `text` at the end of the one paragraph, by a fresh Yjs client. */
function typing(doc: Y.Doc, text: string): Uint8Array {
  const before = Y.encodeStateVector(doc);
  const fragment = doc.getXmlFragment('content');
  if (fragment.length === 0) {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.setAttribute('id', 'b-1'); // its block id, as the editor writes it (else the server numbers it in a revision of its own)
    paragraph.insert(0, [new Y.XmlText()]);
    fragment.insert(0, [paragraph]);
  }
  const paragraphText = (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText;
  paragraphText.insert(paragraphText.length, text);
  return Y.encodeStateAsUpdate(doc, before);
}

describe('AttributionCache', () => {
  let store: MemoryEventStore;
  let collab: CollabServer;
  const writers = [new Y.Doc(), new Y.Doc()];

  beforeEach(() => {
    store = new MemoryEventStore();
    collab = createCollabServer({ store, authenticate: async () => null, authorize: async () => 'forbidden' });
  });
  afterEach(async () => {
    await collab.close();
    await store.close();
  });
  afterAll(() => writers.forEach((doc) => doc.destroy()));

  it('attributes every item to the user whose update carried it, reading only updates it has not seen', async () => {
    const append = (writer: number, text: string, userId: string) =>
      collab.content.appendUpdate('p1', typing(writers[writer], text), { userId, kind: 'edit' });
    await append(0, 'Amina ', 'amina');
    Y.applyUpdate(writers[1], Y.encodeStateAsUpdate(writers[0]));
    await append(1, 'Rohan', 'rohan');

    const reads: [number, number | undefined][] = [];
    const content = collab.content;
    const counting = { ...content, updatesWithAuthors: (id: string, upTo: number, after?: number) => (reads.push([upTo, after]), content.updatesWithAuthors(id, upTo, after)) };
    const cache = new AttributionCache(counting);

    const atTwo = await cache.upTo('p1', 2);
    expect(atTwo.userAt(writers[0].clientID, 0)).toBe('amina');
    expect(atTwo.userAt(writers[1].clientID, 0)).toBe('rohan');

    Y.applyUpdate(writers[0], Y.encodeStateAsUpdate(writers[1]));
    await append(0, ' and more', 'amina');
    const atThree = await cache.upTo('p1', 3);
    expect(atThree.userAt(writers[0].clientID, 'Amina '.length)).toBe('amina');
    await cache.upTo('p1', 1);
    expect(reads).toEqual([
      [2, 0],
      [3, 2],
    ]);
  });

  it('starts from the attribution stored with the newest snapshot when far behind, then reads only what follows', async () => {
    await collab.close();
    collab = createCollabServer({ store, checkpointEvery: 5, authenticate: async () => null, authorize: async () => 'forbidden' });
    const recorded: Array<{ update: Uint8Array; userId: string }> = [];
    for (let index = 0; index < 12; index++) {
      const writer = index % 2;
      Y.applyUpdate(writers[writer], Y.encodeStateAsUpdate(writers[1 - writer]));
      const entry = { update: typing(writers[writer], `w${index} `), userId: writer === 0 ? 'amina' : 'rohan' };
      await collab.content.appendUpdate('p2', entry.update, { userId: entry.userId, kind: 'edit' });
      recorded.push(entry);
    }
    const calls: string[] = [];
    const content = collab.content;
    const counting = {
      ...content,
      updatesWithAuthors: (id: string, upTo: number, after?: number) => (calls.push(`updates ${after}..${upTo}`), content.updatesWithAuthors(id, upTo, after)),
      attributionAt: (id: string, revision: number) => (calls.push(`stored ${revision}`), content.attributionAt(id, revision)),
    };
    const cache = new AttributionCache(counting, 3);
    const index = await cache.upTo('p2', 12);
    expect(index.encode()).toEqual(AttributionIndex.fromUpdates(recorded).encode());
    const more = { update: typing(writers[0], 'last'), userId: 'amina' };
    await collab.content.appendUpdate('p2', more.update, { userId: more.userId, kind: 'edit' });
    expect((await cache.upTo('p2', 13)).encode()).toEqual(AttributionIndex.fromUpdates([...recorded, more]).encode());
    expect(calls).toEqual(['stored 12', 'updates 12..13']);
  });
});
