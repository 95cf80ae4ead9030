import * as Y from 'yjs';
import { AttributionIndex } from './attribution';

function textUpdates(clientId: number, edits: Array<(text: Y.Text) => void>, base?: Uint8Array): Uint8Array[] {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  if (base) Y.applyUpdate(doc, base);
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'remote') updates.push(update);
  });
  for (const edit of edits) edit(doc.getText('t'));
  doc.destroy();
  return updates;
}

describe('AttributionIndex', () => {
  it('attributes every clock an update carries to that update’s user', () => {
    const [first, second] = textUpdates(1, [(t) => t.insert(0, 'abc'), (t) => t.insert(3, 'de')]);
    const index = AttributionIndex.fromUpdates([
      { update: first, userId: 'alice' },
      { update: second, userId: 'bob' },
    ]);
    expect([0, 1, 2].map((clock) => index.userAt(1, clock))).toEqual(['alice', 'alice', 'alice']);
    expect(index.userAt(1, 3)).toBe('bob');
    expect(index.userOf(Y.createID(1, 4))).toBe('bob');
    expect(index.userAt(1, 5)).toBeUndefined();
    expect(index.userAt(2, 0)).toBeUndefined();
  });

  it('coalesces one user’s consecutive updates into one range', () => {
    const updates = textUpdates(
      3,
      Array.from({ length: 100 }, (_, i) => (t: Y.Text) => t.insert(i, 'x')),
    );
    const index = AttributionIndex.fromUpdates(updates.map((update) => ({ update, userId: 'carol' })));
    expect(index.rangeCount).toBe(1);
    expect(index.userAt(3, 99)).toBe('carol');
  });

  it('keeps the first carrier when a later update carries the same clocks, and fills gaps out of order', () => {
    const updates = textUpdates(5, [(t) => t.insert(0, 'aa'), (t) => t.insert(2, 'bb'), (t) => t.insert(4, 'cc')]);
    const doc = new Y.Doc();
    updates.forEach((update) => Y.applyUpdate(doc, update));
    const everything = Y.encodeStateAsUpdate(doc); // clocks 0..5 again
    doc.destroy();
    const index = new AttributionIndex();
    index.add(updates[2], 'third'); // clocks 4,5 first
    index.add(updates[0], 'first'); // clocks 0,1 before them
    index.add(everything, 'replayer'); // only the gap 2,3 is new
    expect([0, 1, 2, 3, 4, 5].map((clock) => index.userAt(5, clock))).toEqual([
      'first',
      'first',
      'replayer',
      'replayer',
      'third',
      'third',
    ]);
    expect(index.rangeCount).toBe(3);
  });

  it('ignores the skipped gaps of merged updates', () => {
    const updates = textUpdates(6, [(t) => t.insert(0, 'aa'), (t) => t.insert(2, 'bb'), (t) => t.insert(4, 'cc')]);
    const merged = Y.mergeUpdates([updates[0], updates[2]]);
    const index = AttributionIndex.fromUpdates([{ update: merged, userId: 'x' }]);
    expect([0, 1, 2, 3, 4, 5].map((clock) => index.userAt(6, clock))).toEqual(['x', 'x', undefined, undefined, 'x', 'x']);
  });

  it('encodes to bytes that decode to an index answering alike, and goes on from there as if never stored', () => {
    // Random editing by three users over five clients (reconnections), some updates replayed twice.
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const docs = [1, 2, 3, 4, 5].map((client) => {
      const doc = new Y.Doc();
      doc.clientID = client * 1000 + 7;
      return doc;
    });
    const entries: Array<{ update: Uint8Array; userId: string }> = [];
    for (let step = 0; step < 400; step++) {
      const doc = docs[random(docs.length)];
      const userId = ['alice', 'bob', 'chloé'][doc.clientID % 3];
      const text = doc.getText('t');
      const captured: Uint8Array[] = [];
      const listener = (update: Uint8Array) => captured.push(update);
      doc.on('update', listener);
      if (text.length > 0 && random(3) === 0) text.delete(random(text.length), 1);
      else text.insert(random(text.length + 1), 'xyz'.slice(0, 1 + random(3)));
      doc.off('update', listener);
      for (const update of captured) {
        entries.push({ update, userId });
        for (const other of docs) if (other !== doc) Y.applyUpdate(other, update);
        if (random(20) === 0) entries.push({ update, userId: 'replayer' });
      }
    }
    const whole = AttributionIndex.fromUpdates(entries);
    const cut = 150;
    const stored = AttributionIndex.fromUpdates(entries.slice(0, cut)).encode();
    const restored = AttributionIndex.decode(stored);
    for (const entry of entries.slice(cut)) restored.add(entry.update, entry.userId);
    expect(restored.rangeCount).toBe(whole.rangeCount);
    expect(restored.authors).toEqual(whole.authors);
    expect(new Set(whole.authors)).toEqual(new Set(entries.map((entry) => entry.userId)));
    for (const doc of docs) {
      for (let clock = 0; clock < Y.getState(doc.store, doc.clientID) + 2; clock++) {
        expect(restored.userAt(doc.clientID, clock)).toBe(whole.userAt(doc.clientID, clock));
      }
    }
    expect(AttributionIndex.decode(whole.encode()).encode()).toEqual(whole.encode());
    expect(AttributionIndex.decode(new AttributionIndex().encode()).rangeCount).toBe(0);
    docs.forEach((doc) => doc.destroy());
  });

  it('names as authors those whose updates only deleted, kept through encoding', () => {
    const [insert, remove] = textUpdates(4, [(t) => t.insert(0, 'abc'), (t) => t.delete(0, 1)]);
    const index = AttributionIndex.fromUpdates([
      { update: insert, userId: 'writer' },
      { update: remove, userId: 'deleter' },
    ]);
    expect(index.authors).toEqual(['writer', 'deleter']);
    expect(AttributionIndex.decode(index.encode()).authors).toEqual(['writer', 'deleter']);
    expect(index.userAt(4, 0)).toBe('writer');
  });

  it('refuses bytes it did not write with a RangeError', () => {
    const bytes = AttributionIndex.fromUpdates(textUpdates(9, [(t) => t.insert(0, 'abc')]).map((update) => ({ update, userId: 'u' }))).encode();
    expect(() => AttributionIndex.decode(bytes.slice(0, bytes.length - 1))).toThrow(RangeError);
    expect(() => AttributionIndex.decode(new Uint8Array([...bytes, 0]))).toThrow(RangeError);
    expect(() => AttributionIndex.decode(new Uint8Array([2, 0, 0]))).toThrow(/unknown attribution format 2/);
    expect(() => AttributionIndex.decode(new Uint8Array([]))).toThrow(RangeError);
  });
});
