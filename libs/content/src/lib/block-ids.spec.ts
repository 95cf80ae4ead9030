import * as Y from 'yjs';
import { blockIdRepairUpdate, blockIdsOf, blocksNeedingIds, unusedClientId, withBlockIds, withoutBlockIds } from './block-ids';
import { buildDocument, CONTENT_FIELD } from './document-building';
import { contentHashOfDocument, normalisedContentHash, toProseMirrorJson } from './rendering';
import { seedUpdateFromParagraphs } from './seeding';
import { validateYjsUpdate } from './update-validation';

/** What a plain Yjs client writes: blocks without ids (and, here, one copied with its id). */
function plainClientDocument(): Y.Doc {
  const doc = buildDocument({ updates: [seedUpdateFromParagraphs(['First', 'Second', { bullets: ['one', 'two'] }])] });
  const fragment = doc.getXmlFragment(CONTENT_FIELD);
  const bare = new Y.XmlElement('paragraph');
  bare.insert(0, [new Y.XmlText('typed by a plain client')]);
  const copy = new Y.XmlElement('paragraph');
  copy.setAttribute('id', 's1'); // a copy-paste of the first paragraph, id and all
  copy.insert(0, [new Y.XmlText('First')]);
  fragment.insert(fragment.length, [bare, copy]);
  return doc;
}

describe('stable block ids', () => {
  it('finds the blocks without an id and the later holders of a duplicated one, in document order', () => {
    const doc = plainClientDocument();
    expect(blockIdsOf(toProseMirrorJson(doc))).toEqual(['s1', 's2', 's3', 's4', 's5', 's6', null, 's1']);
    expect(blocksNeedingIds(doc).map((element) => element.toArray().map(String).join(''))).toEqual(['typed by a plain client', 'First']);
    doc.destroy();
  });

  it('repairs them in an update of its own that the server’s check accepts, keeping every original id', () => {
    const doc = plainClientDocument();
    const hashBefore = contentHashOfDocument(doc);
    const clientId = unusedClientId(doc);
    let next = 0;
    const update = blockIdRepairUpdate(doc, { clientId, newId: () => `fresh-${++next}` });
    expect(update).not.toBeNull();
    expect(validateYjsUpdate(update as Uint8Array, { allowedRootTypes: [CONTENT_FIELD] })).toMatchObject({ ok: true });
    expect(blocksNeedingIds(doc)).toHaveLength(2); // the document itself is not modified
    Y.applyUpdate(doc, update as Uint8Array);
    expect(blockIdsOf(toProseMirrorJson(doc))).toEqual(['s1', 's2', 's3', 's4', 's5', 's6', 'fresh-1', 'fresh-2']);
    expect(blocksNeedingIds(doc)).toEqual([]);
    expect(Y.decodeUpdate(update as Uint8Array).structs.every((struct) => struct.id.client === clientId)).toBe(true);
    // Ids say which paragraph is which, not what the text says: the content hash does not move.
    expect(contentHashOfDocument(doc)).toBe(hashBefore);
    expect(blockIdRepairUpdate(doc, { clientId: unusedClientId(doc) })).toBeNull();
    doc.destroy();
  });

  it('gives invalid ids a fresh one and random UUIDs by default', () => {
    const doc = new Y.Doc();
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.setAttribute('id', 'not valid!');
    paragraph.insert(0, [new Y.XmlText('text')]);
    doc.getXmlFragment(CONTENT_FIELD).insert(0, [paragraph]);
    Y.applyUpdate(doc, blockIdRepairUpdate(doc, { clientId: unusedClientId(doc) }) as Uint8Array);
    expect(blockIdsOf(toProseMirrorJson(doc))[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    doc.destroy();
  });

  it('adds ids to JSON that lacks them, keeps the ones it has, and strips them for hashing', () => {
    const json = {
      type: 'doc',
      content: [
        { type: 'paragraph', attrs: { id: 'kept' }, content: [{ type: 'text', text: 'a' }] },
        { type: 'paragraph', attrs: { id: 'kept' }, content: [{ type: 'text', text: 'b' }] },
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'c' }] },
      ],
    };
    let next = 0;
    const numbered = withBlockIds(json, () => `n${++next}`);
    expect(blockIdsOf(numbered)).toEqual(['kept', 'n1', 'n2']);
    expect(blockIdsOf(json)).toEqual(['kept', 'kept', null]); // not modified
    expect(withoutBlockIds(numbered)).toEqual({
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'a' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'b' }] },
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'c' }] },
      ],
    });
    expect(normalisedContentHash(numbered)).toBe(normalisedContentHash(withoutBlockIds(numbered)));
    // An editor's `id: null` is the same document as no attribute.
    expect(normalisedContentHash({ type: 'doc', content: [{ type: 'paragraph', attrs: { id: null }, content: [{ type: 'text', text: 'a' }] }] })).toBe(
      normalisedContentHash({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'a' }] }] }),
    );
  });
});
