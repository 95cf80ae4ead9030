import * as Y from 'yjs';
import { parseUpdateV1 } from './update-format';
import { isNoopUpdate, validateYjsUpdate } from './update-validation';
import { buildDocument, CONTENT_FIELD } from './document-building';
import { contentHashOfDocument, toPlainText, toProseMirrorJson } from './rendering';
import { restoreUpdate } from './restore';
import { seedUpdateFromParagraphs } from './seeding';

const RESTORER = 9090;

function docFrom(...updates: Uint8Array[]): Y.Doc {
  return buildDocument({ updates });
}

/** An update made by `clientId` on a replica of `updates`. */
function edit(updates: Uint8Array[], clientId: number, change: (fragment: Y.XmlFragment) => void): Uint8Array {
  const doc = docFrom(...updates);
  doc.clientID = clientId;
  const sv = Y.encodeStateVector(doc);
  doc.transact(() => change(doc.getXmlFragment(CONTENT_FIELD)));
  const update = Y.encodeStateAsUpdate(doc, sv);
  doc.destroy();
  return update;
}

const blockText = (fragment: Y.XmlFragment, index: number): Y.XmlText =>
  (fragment.get(index) as Y.XmlElement).get(0) as Y.XmlText;

describe('restoreUpdate', () => {
  const seed = seedUpdateFromParagraphs([{ heading: 'Title', level: 2 }, 'Alpha', { paragraph: 'Beta', bold: true }, 'Gamma'], {
    clientId: 100,
  });
  const stream = [seed];
  stream.push(edit(stream, 201, (f) => blockText(f, 1).insert(5, ' changed')));
  stream.push(edit(stream, 202, (f) => f.delete(2, 1)));
  stream.push(
    edit(stream, 201, (f) => {
      const list = new Y.XmlElement('bulletList');
      const item = new Y.XmlElement('listItem');
      const paragraph = new Y.XmlElement('paragraph');
      const text = new Y.XmlText();
      text.insert(0, 'new item');
      paragraph.insert(0, [text]);
      item.insert(0, [paragraph]);
      list.insert(0, [item]);
      f.insert(2, [list]);
    }),
  );

  it('makes the current content equal to the target revision with one update by the restorer', () => {
    for (let revision = 0; revision <= stream.length; revision++) {
      const current = docFrom(...stream);
      const target = docFrom(...stream.slice(0, revision));
      const update = restoreUpdate(current, target, { clientId: RESTORER });
      if (revision === stream.length) {
        expect(update).toBeNull();
        continue;
      }
      expect(update).not.toBeNull();
      const restoreBytes = update as Uint8Array;
      expect(
        validateYjsUpdate(restoreBytes, { doc: current, allowedRootTypes: [CONTENT_FIELD], contentModel: 'prosemirror' }),
      ).toMatchObject({ ok: true });
      expect(isNoopUpdate(current, restoreBytes)).toBe(false);
      const structClients = new Set(parseUpdateV1(restoreBytes).structs.map((struct) => struct.client));
      expect([...structClients].every((client) => client === RESTORER)).toBe(true);

      // Replaying the stored stream plus the restore gives the target, as does applying it live.
      const replayed = docFrom(...stream, restoreBytes);
      expect(toProseMirrorJson(replayed)).toEqual(toProseMirrorJson(target));
      expect(contentHashOfDocument(replayed)).toBe(contentHashOfDocument(target));
      Y.applyUpdate(current, restoreBytes);
      expect(toPlainText(current)).toBe(toPlainText(target));
      expect(restoreUpdate(current, target, { clientId: RESTORER })).toBeNull();
      for (const d of [current, target, replayed]) d.destroy();
    }
  });

  it('leaves blocks shared at the start and end untouched', () => {
    const current = docFrom(...stream);
    const target = docFrom(...stream.slice(0, 2)); // differs only in the middle
    const before = current.getXmlFragment(CONTENT_FIELD).toArray();
    const firstId = before[0]._item?.id;
    const lastId = before[before.length - 1]._item?.id;
    Y.applyUpdate(current, restoreUpdate(current, target, { clientId: RESTORER }) as Uint8Array);
    const after = current.getXmlFragment(CONTENT_FIELD).toArray();
    expect(after[0]._item?.id).toEqual(firstId);
    expect(after[1]._item?.id).toEqual(before[1]._item?.id); // "Alpha changed" is common too
    expect(after[after.length - 1]._item?.id).toEqual(lastId);
    expect(toPlainText(current)).toBe('Title\nAlpha changed\nBeta\nGamma');
    expect(toProseMirrorJson(current)).toEqual(toProseMirrorJson(target));
    current.destroy();
    target.destroy();
  });

  it('restores twice in a row with the same client id', () => {
    const current = docFrom(...stream);
    const stored = [...stream];
    for (const revision of [1, 3]) {
      const target = docFrom(...stream.slice(0, revision));
      const update = restoreUpdate(current, target, { clientId: RESTORER }) as Uint8Array;
      expect(new Set(parseUpdateV1(update).structs.map((struct) => struct.client))).toEqual(new Set([RESTORER]));
      Y.applyUpdate(current, update);
      stored.push(update);
      expect(toProseMirrorJson(current)).toEqual(toProseMirrorJson(target));
      target.destroy();
    }
    const replayed = docFrom(...stored);
    expect(toProseMirrorJson(replayed)).toEqual(toProseMirrorJson(current));
    replayed.destroy();
    current.destroy();
  });

  it('does not modify its arguments', () => {
    const current = docFrom(...stream);
    const target = docFrom(seed);
    const currentState = Y.encodeStateAsUpdate(current);
    const targetState = Y.encodeStateAsUpdate(target);
    restoreUpdate(current, target, { clientId: RESTORER });
    expect(Y.encodeStateAsUpdate(current)).toEqual(currentState);
    expect(Y.encodeStateAsUpdate(target)).toEqual(targetState);
    current.destroy();
    target.destroy();
  });

  it('restores into an empty document and empties a document', () => {
    const empty = new Y.Doc();
    const full = docFrom(...stream);
    const fill = restoreUpdate(empty, full, { clientId: RESTORER }) as Uint8Array;
    Y.applyUpdate(empty, fill);
    expect(toProseMirrorJson(empty)).toEqual(toProseMirrorJson(full));
    const clear = restoreUpdate(full, new Y.Doc(), { clientId: RESTORER }) as Uint8Array;
    Y.applyUpdate(full, clear);
    expect(toProseMirrorJson(full)).toEqual({ type: 'doc', content: [] });
    empty.destroy();
    full.destroy();
  });
});
