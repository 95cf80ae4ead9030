import * as Y from 'yjs';
import { AttributionIndex } from './attribution';
import { diffRevisions, diffRevisionsWithMoves, diffSnapshots, movedBlocks, textOfDiff } from './diff';
import { buildDocument, CONTENT_FIELD, encodeSnapshot } from './document-building';
import { toPlainText } from './rendering';
import { seedUpdateFromParagraphs } from './seeding';
import { isNoopUpdate, validateYjsUpdate } from './update-validation';

/**
 * A tiny content stream: several users' replicas, each edit recorded as the update a server would
 * store with the user's id.
 */
class Stream {
  readonly events: Array<{ update: Uint8Array; userId: string }> = [];
  private readonly replicas = new Map<string, Y.Doc>();
  /** The server's copy: every update is validated against it, as the collab server would. */
  private readonly server = new Y.Doc();

  replica(userId: string, clientId: number): Y.Doc {
    let doc = this.replicas.get(userId);
    if (!doc) {
      doc = new Y.Doc();
      doc.clientID = clientId;
      for (const event of this.events) Y.applyUpdate(doc, event.update);
      this.replicas.set(userId, doc);
    }
    return doc;
  }

  /** Runs an edit on the user's replica as one transaction and stores its update. */
  edit(userId: string, clientId: number, change: (fragment: Y.XmlFragment) => void): void {
    const doc = this.replica(userId, clientId);
    const sv = Y.encodeStateVector(doc);
    doc.transact(() => change(doc.getXmlFragment(CONTENT_FIELD)));
    this.store(Y.encodeStateAsUpdate(doc, sv), userId);
  }

  store(update: Uint8Array, userId: string): void {
    const options = { doc: this.server, contentModel: 'prosemirror' as const, allowedRootTypes: [CONTENT_FIELD] };
    expect(validateYjsUpdate(update, options)).toMatchObject({ ok: true });
    expect(isNoopUpdate(this.server, update)).toBe(false);
    Y.applyUpdate(this.server, update);
    this.events.push({ update, userId });
    for (const doc of this.replicas.values()) Y.applyUpdate(doc, update);
  }

  get updates(): Uint8Array[] {
    return this.events.map((event) => event.update);
  }

  attribution(): AttributionIndex {
    return AttributionIndex.fromUpdates(this.events);
  }

  destroy(): void {
    this.server.destroy();
    for (const doc of this.replicas.values()) doc.destroy();
  }
}

const textAt = (fragment: Y.XmlFragment, block: number): Y.XmlText => (fragment.get(block) as Y.XmlElement).get(0) as Y.XmlText;

function paragraph(text: string): Y.XmlElement {
  const element = new Y.XmlElement('paragraph');
  const xmlText = new Y.XmlText();
  xmlText.insert(0, text);
  element.insert(0, [xmlText]);
  return element;
}

function textAtRevision(updates: Uint8Array[], revision: number): string {
  const doc = buildDocument({ updates: updates.slice(0, revision) });
  const text = toPlainText(doc);
  doc.destroy();
  return text;
}

describe('diffRevisions', () => {
  let stream: Stream;
  beforeEach(() => {
    stream = new Stream();
    stream.store(seedUpdateFromParagraphs(['Hello world'], { clientId: 100 }), 'alice'); // r1
    stream.edit('bob', 2, (f) => textAt(f, 0).insert(5, ' brave')); // r2
    stream.edit('alice', 1, (f) => {
      textAt(f, 0).delete(12, 5); // r3: "world" → "there"
      textAt(f, 0).insert(12, 'there');
    });
    stream.edit('bob', 2, (f) => f.insert(1, [paragraph('Second')])); // r4
    stream.edit('carol', 3, (f) => f.delete(0, 1)); // r5: drops the first paragraph
  });
  afterEach(() => stream.destroy());

  it('shows insertions and deletions with the author of the text', () => {
    const spans = diffRevisions({ updates: stream.updates, from: 1, to: 4, attribution: stream.attribution() });
    expect(spans).toEqual([
      { type: 'equal', text: 'Hello' },
      { type: 'insert', text: ' brave', userId: 'bob' },
      { type: 'equal', text: ' ' },
      { type: 'delete', text: 'world', userId: 'alice' },
      { type: 'insert', text: 'there', userId: 'alice' },
      { type: 'insert', text: '\nSecond', userId: 'bob' },
    ]);
    expect(textOfDiff(spans, 'from')).toBe('Hello world');
    expect(textOfDiff(spans, 'to')).toBe('Hello brave there\nSecond');
  });

  it('shows a deleted paragraph, its line break included', () => {
    const spans = diffRevisions({ updates: stream.updates, from: 4, to: 5, attribution: stream.attribution() });
    expect(spans).toEqual([
      { type: 'delete', text: 'Hello', userId: 'alice' },
      { type: 'delete', text: ' brave', userId: 'bob' },
      { type: 'delete', text: ' there\n', userId: 'alice' },
      { type: 'equal', text: 'Second' },
    ]);
  });

  it('is all equal for an empty range and all insert from revision 0', () => {
    const attribution = stream.attribution();
    expect(diffRevisions({ updates: stream.updates, from: 3, to: 3, attribution })).toEqual([
      { type: 'equal', text: 'Hello brave there' },
    ]);
    const fromStart = diffRevisions({ updates: stream.updates, from: 0, to: 4, attribution });
    expect(fromStart.every((span) => span.type === 'insert')).toBe(true);
    expect(textOfDiff(fromStart, 'to')).toBe('Hello brave there\nSecond');
    expect(diffRevisions({ updates: [], from: 0, to: 0, attribution })).toEqual([]);
  });

  it('starts from a snapshot', () => {
    const snapshotDoc = buildDocument({ updates: stream.updates.slice(0, 2) });
    const spans = diffRevisions({
      snapshot: encodeSnapshot(snapshotDoc),
      snapshotRevision: 2,
      updates: stream.updates.slice(2),
      from: 2,
      to: 5,
      attribution: stream.attribution(),
    });
    snapshotDoc.destroy();
    expect(textOfDiff(spans, 'from')).toBe('Hello brave world');
    expect(textOfDiff(spans, 'to')).toBe('Second');
  });

  it('refuses impossible revision ranges', () => {
    const attribution = stream.attribution();
    expect(() => diffRevisions({ updates: stream.updates, from: 4, to: 2, attribution })).toThrow(RangeError);
    expect(() => diffRevisions({ updates: stream.updates, from: 0, to: 9, attribution })).toThrow(RangeError);
    expect(() =>
      diffRevisions({ updates: stream.updates, snapshotRevision: 3, from: 1, to: 4, attribution }),
    ).toThrow(RangeError);
  });

  it('diffSnapshots requires a document that keeps deleted content', () => {
    const doc = new Y.Doc();
    expect(() => diffSnapshots(doc, Y.snapshot(doc), Y.snapshot(doc), () => undefined)).toThrow(/gc: false/);
    doc.destroy();
  });

  it('equal+insert spans give the text at b and equal+delete the text at a, for random edits', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const users = [
      ['ann', 11],
      ['ben', 12],
      ['cat', 13],
    ] as const;
    for (let step = 0; step < 120; step++) {
      const [userId, clientId] = users[Math.floor(random() * users.length)];
      stream.edit(userId, clientId, (fragment) => {
        const choice = random();
        if (fragment.length === 0 || choice < 0.1) {
          fragment.insert(Math.floor(random() * (fragment.length + 1)), [paragraph(`p${step}`)]);
        } else if (choice < 0.15 && fragment.length > 1) {
          fragment.delete(Math.floor(random() * fragment.length), 1);
        } else {
          const text = textAt(fragment, Math.floor(random() * fragment.length));
          if (choice < 0.6 || text.length === 0) {
            text.insert(Math.floor(random() * (text.length + 1)), random() < 0.1 ? '\n' : `w${step} `);
          } else {
            const at = Math.floor(random() * text.length);
            text.delete(at, Math.min(text.length - at, 1 + Math.floor(random() * 4)));
          }
        }
      });
    }
    const attribution = stream.attribution();
    const updates = stream.updates;
    const knownUsers = new Set(['alice', 'bob', 'carol', 'ann', 'ben', 'cat']);
    for (let i = 0; i < 25; i++) {
      const from = Math.floor(random() * updates.length);
      const to = from + Math.floor(random() * (updates.length - from + 1));
      const spans = diffRevisions({ updates, from, to, attribution });
      expect(textOfDiff(spans, 'from')).toBe(textAtRevision(updates, from));
      expect(textOfDiff(spans, 'to')).toBe(textAtRevision(updates, to));
      for (const span of spans) {
        expect(span.text.length).toBeGreaterThan(0);
        if (span.type === 'equal') expect(span.userId).toBeUndefined();
        else expect(knownUsers.has(span.userId ?? '')).toBe(true);
      }
      for (let s = 1; s < spans.length; s++) {
        expect(spans[s].type !== spans[s - 1].type || spans[s].userId !== spans[s - 1].userId).toBe(true);
      }
      // The same diff from a snapshot that keeps deleted content, taken anywhere up to `to`, with
      // revision `from` given as a Yjs snapshot of a document built as revisions are opened
      // (a collected snapshot plus the updates after it).
      const at = Math.floor(random() * (to + 1));
      const keeping = buildDocument({ updates: updates.slice(0, at), gc: false });
      const collectedAt = Math.floor(random() * (from + 1));
      const collected = buildDocument({ updates: updates.slice(0, collectedAt) });
      const atFrom = buildDocument({ snapshot: encodeSnapshot(collected), updates: updates.slice(collectedAt, from) });
      const input = {
        snapshot: encodeSnapshot(keeping),
        snapshotRevision: at,
        updates: updates.slice(at),
        from,
        to,
        attribution,
        fromSnapshot: Y.encodeSnapshot(Y.snapshot(atFrom)),
      };
      expect(diffRevisionsWithMoves(input)).toEqual(diffRevisionsWithMoves({ updates, from, to, attribution }));
      [keeping, collected, atFrom].forEach((doc) => doc.destroy());
    }
  });

  it('with the state at `from` given, refuses a snapshot after `to`', () => {
    const attribution = stream.attribution();
    const doc = buildDocument({ updates: stream.updates.slice(0, 1) });
    const fromSnapshot = Y.encodeSnapshot(Y.snapshot(doc));
    doc.destroy();
    expect(() => diffRevisions({ updates: stream.updates.slice(4), snapshotRevision: 4, from: 1, to: 3, attribution, fromSnapshot })).toThrow(
      RangeError,
    );
  });
});

describe('diffRevisions: suggestions apart from plain edits', () => {
  it('flags proposed words and words proposed for deletion, and shows accepted words as plain', () => {
    const author = new Y.Doc();
    author.clientID = 7;
    const updates: Uint8Array[] = [];
    author.on('update', (update: Uint8Array) => updates.push(update));
    Y.applyUpdate(author, seedUpdateFromParagraphs(['Workers pay no fees.']));
    const text = () => (author.getXmlFragment(CONTENT_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const mark = { id: 's1', authorId: 'delegate', at: '2026-12-06T10:00:00.000Z' };
    text().insert(8, 'shall ', { suggestionInsert: mark }); // r2
    text().format(0, 8, { suggestionDelete: { ...mark, id: 's2' } }); // r3
    text().format(8, 6, { suggestionInsert: null }); // r4: s1 accepted
    const diff = (from: number, to: number) =>
      diffRevisions({ updates, from, to, attribution: () => 'someone' }).filter((span) => span.type !== 'equal' || span.suggestion);
    expect(diff(1, 2)).toEqual([{ type: 'insert', text: 'shall ', userId: 'someone', suggestion: 'insert' }]);
    expect(diff(2, 3)).toEqual([
      { type: 'equal', text: 'Workers ', suggestion: 'delete' },
      { type: 'equal', text: 'shall ', suggestion: 'insert' },
    ]);
    // Accepted: the words stay, plain; from revision 1 they read as an ordinary insertion.
    expect(diff(1, 4)).toEqual([
      { type: 'equal', text: 'Workers ', suggestion: 'delete' },
      { type: 'insert', text: 'shall ', userId: 'someone' },
    ]);
  });
});

describe('moved paragraphs (stable block ids)', () => {
  it('names a paragraph moved elsewhere as moved, by its id, besides its deletion and insertion', () => {
    const stream = new Stream();
    stream.store(seedUpdateFromParagraphs(['Alpha one.', 'Bravo two.', 'Charlie three.', 'Delta four.']), 'u-seed');
    // Drag "Alpha" below "Delta": the editor deletes it and inserts a copy that keeps its id (s1);
    // "Charlie" is edited in place at the same time.
    stream.edit('u-drafter1', 11, (fragment) => {
      const moved = (fragment.get(0) as Y.XmlElement).clone();
      fragment.delete(0, 1);
      fragment.insert(3, [moved]);
      textAt(fragment, 1).insert(0, 'Edited: ');
    });
    const result = diffRevisionsWithMoves({ updates: stream.updates, from: 1, to: 2, attribution: stream.attribution() });
    expect(result.spans).toEqual(diffRevisions({ updates: stream.updates, from: 1, to: 2, attribution: stream.attribution() }));
    expect(result.moved).toEqual([{ blockId: 's1', text: 'Alpha one.', fromPosition: 1, toPosition: 4 }]);
    expect(textOfDiff(result.spans, 'to')).toBe('Bravo two.\nEdited: Charlie three.\nDelta four.\nAlpha one.');
    stream.destroy();
  });

  it('lists the fewest moves that explain the new order; added, removed and unnumbered blocks are not moves', () => {
    const doc = (ids: Array<string | null>) => ({
      type: 'doc',
      content: ids.map((id) => ({ type: 'paragraph', ...(id ? { attrs: { id } } : {}), content: [{ type: 'text', text: `text ${id}` }] })),
    });
    expect(movedBlocks(doc(['a', 'b', 'c', 'd', 'e']), doc(['a', 'b', 'c', 'd', 'e']))).toEqual([]);
    // e moved to the front: one move, not four.
    expect(movedBlocks(doc(['a', 'b', 'c', 'd', 'e']), doc(['e', 'a', 'b', 'c', 'd'])).map((move) => move.blockId)).toEqual(['e']);
    expect(movedBlocks(doc(['a', 'b', 'c']), doc(['x', 'a', null, 'c']))).toEqual([]);
    expect(movedBlocks(doc(['a', 'b', 'c', 'd']), doc(['b', 'a', 'd', 'c'])).map((move) => move.blockId).sort()).toHaveLength(2);
    // A list item counts as one block; its own paragraph does not.
    const list = (items: string[]) => ({
      type: 'doc',
      content: [
        { type: 'bulletList', content: items.map((id) => ({ type: 'listItem', attrs: { id }, content: [{ type: 'paragraph', attrs: { id: `${id}-p` }, content: [{ type: 'text', text: id }] }] })) },
      ],
    });
    expect(movedBlocks(list(['i1', 'i2', 'i3']), list(['i3', 'i1', 'i2']))).toEqual([{ blockId: 'i3', text: 'i3', fromPosition: 3, toPosition: 1 }]);
  });
});
