import { CONTENT_FIELD, seedUpdateFromProseMirrorJson } from '@concord/content';
import * as Y from 'yjs';
import { foreignSuggestionRefusal, suggestOnlyRefusal } from './suggestion-policy';

const DELEGATE = 'u-delegate1';
const OTHER_DELEGATE = 'u-delegate2';
const DRAFTER = 'u-drafter1';
const AT = '2026-12-06T10:00:00.000Z';
const mark = (authorId: string, id = `s-${authorId}`) => ({ id, authorId, at: AT });

/** The server's document: a heading and two paragraphs. */
function serverDoc(): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(
    doc,
    seedUpdateFromProseMirrorJson({
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Purpose' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Workers pay no recruitment fees.' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'States evaluate it every two years.' }] },
      ],
    }),
  );
  return doc;
}

/** What a writer with its own Yjs client sends after `change` on its replica. */
function edit(doc: Y.Doc, change: (paragraph: Y.XmlText, fragment: Y.XmlFragment) => void, clientId = 7): Uint8Array {
  const replica = new Y.Doc();
  replica.clientID = clientId;
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(replica);
  const fragment = replica.getXmlFragment(CONTENT_FIELD);
  change((fragment.get(1) as Y.XmlElement).get(0) as Y.XmlText, fragment);
  const update = Y.encodeStateAsUpdate(replica, before);
  replica.destroy();
  return update;
}

const apply = (doc: Y.Doc, update: Uint8Array) => Y.applyUpdate(doc, update);

describe('suggestOnlyRefusal (a delegate may only suggest)', () => {
  const allowed: Array<[string, (p: Y.XmlText, f: Y.XmlFragment) => void]> = [
    ['insert words marked as their suggestion', (p) => p.insert(8, 'never ', { suggestionInsert: mark(DELEGATE) })],
    ['mark words for deletion as their suggestion', (p) => p.format(12, 12, { suggestionDelete: mark(DELEGATE) })],
    ['replace: their deletion mark and their insertion', (p) => {
      p.format(0, 7, { suggestionDelete: mark(DELEGATE, 's-r') });
      p.insert(7, 'Migrant workers', { suggestionInsert: mark(DELEGATE, 's-r') });
    }],
  ];
  it.each(allowed)('records: %s', (_what, change) => {
    const doc = serverDoc();
    expect(suggestOnlyRefusal(doc, edit(doc, change), DELEGATE)).toBeNull();
  });

  it('records the stable id an editor gives a paragraph that had none, with the suggestion typed in it', () => {
    const doc = serverDoc();
    const bare = new Y.XmlElement('paragraph');
    bare.insert(0, [new Y.XmlText('A paragraph from before block ids.')]);
    doc.getXmlFragment(CONTENT_FIELD).insert(3, [bare]);
    const update = edit(doc, (_p, f) => {
      const paragraph = f.get(3) as Y.XmlElement;
      paragraph.setAttribute('id', 'given-by-the-editor');
      (paragraph.get(0) as Y.XmlText).insert(0, 'Also: ', { suggestionInsert: mark(DELEGATE) });
    });
    expect(suggestOnlyRefusal(doc, update, DELEGATE)).toBeNull();
  });

  const refused: Array<[string, (p: Y.XmlText, f: Y.XmlFragment) => void]> = [
    ['another identity for a paragraph (its block id)', (_p, f) => (f.get(1) as Y.XmlElement).setAttribute('id', 'stolen')],
    ['unmarked words', (p) => p.insert(0, 'Plainly, ')],
    ['words marked as drafter1’s suggestion', (p) => p.insert(0, 'Forged ', { suggestionInsert: mark(DRAFTER) })],
    ['a deletion mark naming another delegate', (p) => p.format(0, 7, { suggestionDelete: mark(OTHER_DELEGATE) })],
    ['a real deletion', (p) => p.delete(0, 8)],
    ['bold', (p) => p.format(0, 7, { bold: {} })],
    ['a new paragraph', (_p, f) => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('')]);
      f.insert(3, [paragraph]);
    }],
    ['a heading level changed', (_p, f) => (f.get(0) as Y.XmlElement).setAttribute('level', 3 as never)],
  ];
  it.each(refused)('refuses: %s', (_what, change) => {
    const doc = serverDoc();
    expect(suggestOnlyRefusal(doc, edit(doc, change), DELEGATE)).toMatch(/Only suggestions/);
  });

  it('refuses words typed into a paragraph whose creation was refused (an update that would wait, unapplied)', () => {
    const doc = serverDoc();
    const replica = new Y.Doc();
    replica.clientID = 7;
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    const fragment = replica.getXmlFragment(CONTENT_FIELD);
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    const start = Y.encodeStateVector(replica);
    replica.transact(() => {
      paragraph.insert(0, [text]);
      fragment.insert(0, [paragraph]);
    });
    const structure = Y.encodeStateAsUpdate(replica, start);
    const middle = Y.encodeStateVector(replica);
    text.insert(0, 'typed', { suggestionInsert: mark(DELEGATE) });
    const typed = Y.encodeStateAsUpdate(replica, middle);
    expect(suggestOnlyRefusal(doc, structure, DELEGATE)).toMatch(/Only suggestions/);
    expect(suggestOnlyRefusal(doc, typed, DELEGATE)).toMatch(/builds on one that was not recorded/);
  });

  it('does not blame a delegate for another writer’s update that waits in the live document', () => {
    const doc = serverDoc();
    // A drafter's update that builds on one of theirs the server refused: it waits, unapplied.
    const replica = new Y.Doc();
    replica.clientID = 9;
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    const paragraph = () => (replica.getXmlFragment(CONTENT_FIELD).get(1) as Y.XmlElement).get(0) as Y.XmlText;
    const start = Y.encodeStateVector(replica);
    paragraph().insert(0, 'refused ');
    const middle = Y.encodeStateVector(replica);
    paragraph().insert(8, 'waiting ');
    const waiting = Y.encodeStateAsUpdate(replica, middle);
    expect(Y.encodeStateAsUpdate(replica, start).length).toBeGreaterThan(0);
    apply(doc, waiting);
    expect(doc.store.pendingStructs).not.toBeNull();
    // The delegate's own suggestion is whole: recorded.
    expect(suggestOnlyRefusal(doc, edit(doc, (p) => p.insert(8, 'never ', { suggestionInsert: mark(DELEGATE) })), DELEGATE)).toBeNull();
  });

  it('lets a delegate type inside, and withdraw, their own open suggestion — not another’s', () => {
    const doc = serverDoc();
    apply(doc, edit(doc, (p) => p.insert(8, 'never ', { suggestionInsert: mark(DELEGATE) })));
    apply(doc, edit(doc, (p) => p.insert(0, 'Most ', { suggestionInsert: mark(OTHER_DELEGATE) }), 8));
    // "Most Workers never pay…": typing inside their own suggestion, with their mark
    expect(suggestOnlyRefusal(doc, edit(doc, (p) => p.insert(16, 'ever ', { suggestionInsert: mark(DELEGATE) })), DELEGATE)).toBeNull();
    // withdrawing it (deleting their own proposed words)
    expect(suggestOnlyRefusal(doc, edit(doc, (p) => p.delete(13, 6)), DELEGATE)).toBeNull();
    // deleting the other delegate's proposed words is not theirs to do
    expect(suggestOnlyRefusal(doc, edit(doc, (p) => p.delete(0, 5)), DELEGATE)).toMatch(/Only suggestions/);
    // nor is lifting the other's mark
    expect(suggestOnlyRefusal(doc, edit(doc, (p) => p.format(0, 5, { suggestionInsert: null })), DELEGATE)).toMatch(/Only suggestions/);
  });

  it('decides random mixes of edits by what they change (seeded, 600 cases)', () => {
    let seed = 20261206;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
    const doc = serverDoc();
    let recorded = 0;
    for (let i = 0; i < 600; i++) {
      const text = ((doc.getXmlFragment(CONTENT_FIELD).get(1) as Y.XmlElement).get(0) as Y.XmlText).toString().replace(/<[^>]*>/g, '');
      const length = Math.max(1, text.length);
      const at = Math.floor(random() * length);
      const span = Math.max(1, Math.min(length - at, 1 + Math.floor(random() * 4)));
      const kind = pick(['suggest-insert', 'suggest-delete', 'plain-insert', 'forged-insert', 'delete', 'bold'] as const);
      const update = edit(doc, (p) => {
        switch (kind) {
          case 'suggest-insert':
            return p.insert(at, `s${i}`, { suggestionInsert: mark(DELEGATE, `s${i}`) });
          case 'suggest-delete':
            return p.format(at, span, { suggestionDelete: mark(DELEGATE, `d${i}`) });
          case 'plain-insert':
            // Explicitly unformatted: without attributes, Yjs gives inserted text the formatting
            // around it (inside a suggestion of theirs, that is their suggestion, rightly recorded).
            return p.insert(at, `p${i}`, {});
          case 'forged-insert':
            return p.insert(at, `f${i}`, { suggestionInsert: mark(DRAFTER, `f${i}`) });
          case 'delete':
            return p.delete(at, span);
          case 'bold':
            return p.format(at, span, { bold: {} });
        }
      }, 7);
      const refusal = suggestOnlyRefusal(doc, update, DELEGATE);
      if (kind === 'suggest-insert') expect({ i, kind, refusal }).toEqual({ i, kind, refusal: null });
      if (kind === 'plain-insert' || kind === 'forged-insert') expect({ i, kind, refused: refusal !== null }).toEqual({ i, kind, refused: true });
      // A deletion or bold over only the delegate's own proposed words changes nothing anyone else reads.
      if (refusal === null) {
        apply(doc, update);
        recorded += 1;
      }
    }
    expect(recorded).toBeGreaterThan(150);
  });
});

describe('foreignSuggestionRefusal (nobody may forge a suggestion)', () => {
  it('lets a drafter accept (lift the mark) or reject (delete the words) a delegate’s suggestion, and suggest as themselves', () => {
    const doc = serverDoc();
    apply(doc, edit(doc, (p) => p.insert(8, 'never ', { suggestionInsert: mark(DELEGATE) })));
    const accept = edit(doc, (p) => p.format(8, 6, { suggestionInsert: null }), 9);
    const reject = edit(doc, (p) => p.delete(8, 6), 9);
    const own = edit(doc, (p) => p.insert(0, 'All ', { suggestionInsert: mark(DRAFTER) }), 9);
    for (const update of [accept, reject, own]) expect(foreignSuggestionRefusal(doc, update, undefined, DRAFTER)).toBeNull();
  });
  it('refuses a drafter writing a suggestion in a delegate’s name', () => {
    const doc = serverDoc();
    expect(foreignSuggestionRefusal(doc, edit(doc, (p) => p.insert(0, 'Forged ', { suggestionInsert: mark(DELEGATE) }), 9), undefined, DRAFTER)).toMatch(
      /names u-delegate1/,
    );
  });
});
