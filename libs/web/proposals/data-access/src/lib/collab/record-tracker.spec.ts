import * as Y from 'yjs';
import { RecordTracker } from './record-tracker';

const sv = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc));

describe('RecordTracker', () => {
  function local(): { doc: Y.Doc; tracker: RecordTracker; type: (text: string) => void; remove: () => void } {
    const doc = new Y.Doc();
    const tracker = new RecordTracker();
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'server') tracker.localChange(update);
    });
    return {
      doc,
      tracker,
      type: (text) => doc.getText('t').insert(doc.getText('t').length, text),
      remove: () => doc.getText('t').delete(0, 1),
    };
  }

  it('counts changes until the server clock for this client reaches them', () => {
    const { doc, tracker, type } = local();
    type('a');
    const afterFirst = sv(doc);
    type('b');
    type('c');
    expect(tracker.unrecordedCount()).toBe(3);

    tracker.serverStateVector(afterFirst);
    expect(tracker.unrecordedCount()).toBe(2);
    tracker.serverStateVector(new Map());
    expect(tracker.unrecordedCount()).toBe(2);
    tracker.serverStateVector(sv(doc));
    expect(tracker.unrecordedCount()).toBe(0);
    expect(tracker.hasUnrecorded()).toBe(false);
  });

  it('counts a deletion (no clock) as recorded with the next acknowledgement after it', () => {
    const { doc, tracker, type, remove } = local();
    type('ab');
    tracker.serverStateVector(sv(doc));
    remove();
    expect(tracker.unrecordedCount()).toBe(1);
    tracker.serverStateVector(sv(doc));
    expect(tracker.unrecordedCount()).toBe(0);
  });

  it('keeps restored content unrecorded until the server has it, with the stored count', () => {
    const earlier = new Y.Doc();
    earlier.getText('t').insert(0, 'recorded');
    const recorded = sv(earlier);
    earlier.getText('t').insert(0, 'unsent ');
    const tracker = new RecordTracker();
    tracker.restored(Y.encodeStateAsUpdate(earlier));
    tracker.restoredUnsynced(2);
    expect(tracker.unrecordedCount()).toBe(2);

    tracker.serverStateVector(recorded);
    expect(tracker.hasUnrecorded()).toBe(true);
    tracker.serverStateVector(sv(earlier));
    expect(tracker.unrecordedCount()).toBe(0);
  });

  it('drops restored content the server already has (content that came from it)', () => {
    const server = new Y.Doc();
    server.getText('t').insert(0, 'from the server');
    const tracker = new RecordTracker();
    tracker.serverStateVector(sv(server));
    tracker.restored(Y.encodeStateAsUpdate(server));
    tracker.restoredUnsynced(4);
    expect(tracker.unrecordedCount()).toBe(0);
  });
});
