import * as Y from 'yjs';
import {
  AttributionIndex,
  buildDocument,
  CONTENT_FIELD,
  contentHashOfDocument,
  diffRevisions,
  encodeSnapshot,
  restoreUpdate,
  textOfDiff,
  toPlainText,
  validateYjsUpdate,
} from '../index';
import { applyTracePatches, EditingTrace, loadTrace, TRACE_NAMES, TraceName, traceToUpdates, TraceUpdates } from './index';

const USERS = ['user-a', 'user-b'];

interface Fixture {
  trace: EditingTrace;
  typed: TraceUpdates;
  updates: Uint8Array[];
  attribution: AttributionIndex;
}

const fixtures = new Map<TraceName, Fixture>();

function fixture(name: TraceName): Fixture {
  let found = fixtures.get(name);
  if (!found) {
    const trace = loadTrace(name);
    const typed = traceToUpdates(trace, { clients: 2 });
    const updates = typed.updates.map((entry) => entry.update);
    const attribution = AttributionIndex.fromUpdates(
      typed.updates.map((entry) => ({ update: entry.update, userId: USERS[entry.clientIndex] })),
    );
    found = { trace, typed, updates, attribution };
    fixtures.set(name, found);
  }
  return found;
}

/** Who typed each code point of the text after `n` transactions (clients alternate per txn). */
function authorsAfter(trace: EditingTrace, n: number): string[] {
  const authors = Array.from(trace.startContent, () => USERS[0]);
  for (let index = 0; index < n; index++) {
    const author = USERS[index % 2];
    for (const [position, deleteLength, insertText] of trace.txns[index].patches) {
      authors.splice(position, deleteLength, ...Array.from(insertText, () => author));
    }
  }
  return authors;
}

function samples(count: number, max: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.round(((i + 1) * max) / (count + 1)));
}

describe('trace helpers', () => {
  it('load the traces of the README', () => {
    const svelte = fixture('sveltecomponent').trace;
    expect(svelte.txns).toHaveLength(18_335);
    expect(Array.from(svelte.endContent)).toHaveLength(18_451);
    const friends = fixture('friendsforever_flat').trace;
    expect(friends.txns.reduce((sum, txn) => sum + txn.patches.length, 0)).toBe(26_078);
    expect(Array.from(friends.endContent)).toHaveLength(21_362);
  });

  it('types exactly what separate replicas taking turns would send', () => {
    const trace = fixture('friendsforever_flat').trace;
    const typed = traceToUpdates(trace, { clients: 2, limit: 300 });
    let sent: Uint8Array | undefined;
    const replicas = [1001, 1002].map((clientId) => {
      const doc = new Y.Doc();
      doc.clientID = clientId;
      doc.on('update', (update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
        if (transaction.local) sent = update;
      });
      return doc;
    });
    trace.txns.slice(0, 300).forEach((txn, index) => {
      const doc = replicas[index % 2];
      doc.transact(() => {
        if (index === 0) {
          const paragraph = new Y.XmlElement('paragraph');
          paragraph.setAttribute('id', 'trace-paragraph');
          paragraph.insert(0, [new Y.XmlText()]);
          doc.getXmlFragment(CONTENT_FIELD).insert(0, [paragraph]);
        }
        const text = (doc.getXmlFragment(CONTENT_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText;
        for (const [position, deleteLength, insertText] of txn.patches) {
          if (deleteLength > 0) text.delete(position, deleteLength);
          if (insertText) text.insert(position, insertText);
        }
      });
      const update = sent as Uint8Array;
      expect(update).toEqual(typed.updates[index].update);
      expect(typed.updates[index].clientIndex).toBe(index % 2);
      Y.applyUpdate(replicas[(index + 1) % 2], update);
    });
    replicas.forEach((doc) => doc.destroy());
  });

  it('converts code-point positions to UTF-16 for text outside the BMP', () => {
    const trace: EditingTrace = {
      startContent: 'a😀b',
      endContent: '',
      txns: [
        { patches: [[2, 0, '🎉x']] }, // after the emoji
        { patches: [[1, 1, '']] }, // delete the first emoji
        { patches: [[2, 1, 'é𝄞']] }, // replace "x"
        { patches: [[0, 4, 'Z']] },
      ],
    };
    const expected = trace.txns.reduce((text, txn) => applyTracePatches(text, txn.patches), trace.startContent);
    expect(expected).toBe('Zb');
    const typed = traceToUpdates({ ...trace, endContent: expected });
    for (let n = 0; n <= trace.txns.length; n++) {
      const doc = buildDocument({ updates: typed.updates.slice(0, n).map((entry) => entry.update) });
      expect(toPlainText(doc)).toBe(n === 0 ? '' : typed.textAfter(n));
      doc.destroy();
    }
    expect(typed.textAfter(1)).toBe('a😀🎉xb');
    expect(typed.textAfter(3)).toBe('a🎉é𝄞b');
  });
});

describe.each(TRACE_NAMES)('trace %s', (name) => {
  it('replays into exactly endContent, and every update is valid', () => {
    const { trace, updates } = fixture(name);
    const doc = buildDocument({ updates });
    expect(toPlainText(doc)).toBe(trace.endContent);
    expect(doc.getXmlFragment(CONTENT_FIELD).length).toBe(1); // one paragraph
    doc.destroy();
    // Every update passes the strictest validation against the server's document of the moment.
    const server = new Y.Doc();
    const options = { doc: server, allowedRootTypes: [CONTENT_FIELD], contentModel: 'prosemirror' as const };
    const rejected = updates.filter((update) => {
      const verdict = validateYjsUpdate(update, options);
      Y.applyUpdate(server, update);
      return !verdict.ok;
    });
    expect(rejected).toHaveLength(0);
    server.destroy();
  });

  it('has the trace text at sampled revisions, from scratch and from snapshots', () => {
    const { typed, updates } = fixture(name);
    const doc = new Y.Doc();
    let applied = 0;
    let previous: { revision: number; snapshot: Uint8Array } = { revision: 0, snapshot: encodeSnapshot(doc) };
    for (const revision of [1, 2, 3, ...samples(6, updates.length), updates.length]) {
      doc.transact(() => {
        for (; applied < revision; applied++) Y.applyUpdate(doc, updates[applied]);
      });
      expect(toPlainText(doc)).toBe(typed.textAfter(revision));
      const resumed = buildDocument({ snapshot: previous.snapshot, updates: updates.slice(previous.revision, revision) });
      expect(toPlainText(resumed)).toBe(typed.textAfter(revision));
      expect(contentHashOfDocument(resumed)).toBe(contentHashOfDocument(doc));
      resumed.destroy();
      previous = { revision, snapshot: encodeSnapshot(doc) };
    }
    doc.destroy();
  });

  it('diffs: equal+insert is the text at b, equal+delete the text at a, authors match who typed', () => {
    const { trace, typed, updates, attribution } = fixture(name);
    const points = samples(4, updates.length);
    const pairs: Array<[number, number]> = [
      [0, updates.length],
      [points[0], points[2]],
      [points[1], points[1] + 1],
      [points[2], points[3]],
      [points[3], updates.length],
    ];
    for (const [from, to] of pairs) {
      const spans = diffRevisions({ updates, from, to, attribution });
      expect(textOfDiff(spans, 'from')).toBe(typed.textAfter(from));
      expect(textOfDiff(spans, 'to')).toBe(typed.textAfter(to));
    }
    // From the empty document, every character is inserted by whoever typed it.
    const upTo = points[1];
    const spans = diffRevisions({ updates, from: 0, to: upTo, attribution });
    const insertedAuthors = spans.flatMap((span) => Array.from(span.text, () => span.userId));
    expect(spans.every((span) => span.type === 'insert')).toBe(true);
    expect(insertedAuthors).toEqual(authorsAfter(trace, upTo));
  });

  it('restores an earlier revision', () => {
    const { typed, updates } = fixture(name);
    const revision = Math.round(updates.length / 3);
    const current = buildDocument({ updates });
    const target = buildDocument({ updates: updates.slice(0, revision) });
    const update = restoreUpdate(current, target, { clientId: 77 });
    expect(update).not.toBeNull();
    Y.applyUpdate(current, update as Uint8Array);
    expect(toPlainText(current)).toBe(typed.textAfter(revision));
    expect(contentHashOfDocument(current)).toBe(contentHashOfDocument(target));
    expect(restoreUpdate(current, target, { clientId: 77 })).toBeNull();
    for (const d of [current, target]) d.destroy();
  });
});
