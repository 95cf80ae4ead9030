import { canonicalJson, sha256Hex } from '@concord/integrity';
import { yXmlFragmentToProsemirrorJSON } from 'y-prosemirror';
import * as Y from 'yjs';
import { buildDocument, CONTENT_FIELD, encodeSnapshot } from './document-building';
import {
  normalisedContentHash,
  contentHashOfDocument,
  EMPTY_DOCUMENT_JSON,
  normaliseProseMirrorJson,
  renderFragmentLeniently,
  toPlainText,
  toProseMirrorJson,
} from './rendering';
import { withoutBlockIds } from './block-ids';
import { seedUpdateFromParagraphs } from './seeding';

/** A paragraph element holding one text node, ready to insert. */
function paragraph(text = '', name = 'paragraph'): Y.XmlElement {
  const element = new Y.XmlElement(name);
  const xmlText = new Y.XmlText();
  if (text) xmlText.insert(0, text);
  element.insert(0, [xmlText]);
  return element;
}

function textOfBlock(doc: Y.Doc, index: number): Y.XmlText {
  return (doc.getXmlFragment(CONTENT_FIELD).get(index) as Y.XmlElement).get(0) as Y.XmlText;
}

function recordingDoc(clientId: number): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  return { doc, updates };
}

describe('buildDocument and encodeSnapshot', () => {
  it('replays updates, from a snapshot or from scratch, to the same document', () => {
    const { doc, updates } = recordingDoc(5);
    doc.getXmlFragment(CONTENT_FIELD).insert(0, [paragraph('Hello')]);
    textOfBlock(doc, 0).insert(5, ' world');
    textOfBlock(doc, 0).delete(0, 1);
    doc.getXmlFragment(CONTENT_FIELD).insert(1, [paragraph('Second')]);

    const full = buildDocument({ updates });
    const snapshot = encodeSnapshot(buildDocument({ updates: updates.slice(0, 2) }));
    const resumed = buildDocument({ snapshot, updates: updates.slice(2) });
    expect(toPlainText(full)).toBe('ello world\nSecond');
    expect(toPlainText(resumed)).toBe('ello world\nSecond');
    expect(toProseMirrorJson(resumed)).toEqual(toProseMirrorJson(doc));
    expect(buildDocument({ updates: [] }).gc).toBe(true);
    expect(buildDocument({ updates, gc: false }).gc).toBe(false);
    for (const d of [doc, full, resumed]) d.destroy();
  });

  it('fires observers once for the whole replay', () => {
    const { doc, updates } = recordingDoc(5);
    doc.getXmlFragment(CONTENT_FIELD).insert(0, [paragraph('a')]);
    textOfBlock(doc, 0).insert(1, 'b');
    const target = new Y.Doc();
    let transactions = 0;
    target.on('afterTransaction', () => transactions++);
    target.transact(() => updates.forEach((update) => Y.applyUpdate(target, update)));
    expect(transactions).toBe(1);
    doc.destroy();
    target.destroy();
  });
});

describe('toProseMirrorJson', () => {
  it('renders the content fragment as normalised ProseMirror JSON', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(
      doc,
      seedUpdateFromParagraphs([{ heading: 'Title', level: 2 }, { paragraph: 'Bold', bold: true }, 'plain', { bullets: ['one'] }]),
    );
    expect(withoutBlockIds(toProseMirrorJson(doc))).toEqual({
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Title' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Bold', marks: [{ type: 'bold' }] }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'plain' }] },
        {
          type: 'bulletList',
          content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }] }],
        },
      ],
    });
    doc.destroy();
  });

  it('renders an empty document, and one holding only an empty paragraph, as the empty document', () => {
    const empty = new Y.Doc();
    expect(toProseMirrorJson(empty)).toEqual({ type: 'doc', content: [] });
    const blank = new Y.Doc();
    blank.getXmlFragment(CONTENT_FIELD).insert(0, [new Y.XmlElement('paragraph')]);
    expect(toProseMirrorJson(blank)).toEqual(EMPTY_DOCUMENT_JSON);
    const twoBlank = new Y.Doc();
    twoBlank.getXmlFragment(CONTENT_FIELD).insert(0, [new Y.XmlElement('paragraph'), new Y.XmlElement('paragraph')]);
    expect(toProseMirrorJson(twoBlank).content).toHaveLength(2);
    for (const d of [empty, blank, twoBlank]) d.destroy();
  });

  it('normalisation is idempotent and removes differences that do not change the content', () => {
    const messy = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          attrs: {},
          content: [
            [
              { type: 'text', text: 'He', marks: [{ type: 'italic', attrs: {} }, { type: 'bold', attrs: {} }] },
              { type: 'text', text: '', marks: [] },
            ],
            { type: 'text', text: 'llo', marks: [{ type: 'bold' }, { type: 'italic' }] },
            { type: 'text', text: ' world', marks: [] },
          ],
        },
      ],
    };
    const clean = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Hello', marks: [{ type: 'bold' }, { type: 'italic' }] },
            { type: 'text', text: ' world' },
          ],
        },
      ],
    };
    expect(normaliseProseMirrorJson(messy)).toEqual(clean);
    expect(normaliseProseMirrorJson(clean)).toEqual(clean);
    expect(normaliseProseMirrorJson(null)).toEqual(EMPTY_DOCUMENT_JSON);
  });
});

describe('renderFragmentLeniently', () => {
  it('renders well-formed content exactly like y-prosemirror', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(
      doc,
      seedUpdateFromParagraphs([{ heading: 'Title', level: 3 }, { paragraph: 'Bold', bold: true, italic: true }, '', { bullets: ['a', 'b'] }]),
    );
    ((doc.getXmlFragment(CONTENT_FIELD).get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(4, ' plain');
    expect(renderFragmentLeniently(doc.getXmlFragment(CONTENT_FIELD))).toEqual(
      JSON.parse(JSON.stringify(yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(CONTENT_FIELD)))),
    );
    doc.destroy();
  });

  it('is what toProseMirrorJson falls back to when y-prosemirror cannot render', () => {
    const doc = new Y.Doc();
    doc.getXmlFragment(CONTENT_FIELD).insert(0, [paragraph('kept')]);
    // A bare string among a paragraph's children: no editor writes this, yjs accepts it.
    const element = doc.getXmlFragment(CONTENT_FIELD).get(0) as Y.XmlElement;
    (element as unknown as Y.Array<string>).insert(1, ['stray']);
    expect(() => yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(CONTENT_FIELD))).toThrow();
    expect(toProseMirrorJson(doc)).toEqual({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'kept' }] }] });
    expect(toPlainText(doc)).toBe('kept');
    doc.destroy();
  });
});

describe('toPlainText', () => {
  it('joins blocks with "\\n", keeps "\\n" inside a text node, renders hard breaks as "\\n"', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment(CONTENT_FIELD);
    const list = new Y.XmlElement('bulletList');
    const item = new Y.XmlElement('listItem');
    item.insert(0, [paragraph('item one'), paragraph('item one, second paragraph')]);
    list.insert(0, [item]);
    const withBreak = paragraph('before');
    withBreak.insert(1, [new Y.XmlElement('hardBreak')]);
    const after = new Y.XmlText();
    after.insert(0, 'after');
    withBreak.insert(2, [after]);
    fragment.insert(0, [paragraph('Title', 'heading'), paragraph('line 1\nline 2'), list, paragraph(''), withBreak]);
    expect(toPlainText(doc)).toBe('Title\nline 1\nline 2\nitem one\nitem one, second paragraph\n\nbefore\nafter');
    doc.destroy();
  });

  it('is empty for an empty document and for one empty paragraph', () => {
    const doc = new Y.Doc();
    expect(toPlainText(doc)).toBe('');
    doc.getXmlFragment(CONTENT_FIELD).insert(0, [paragraph('')]);
    expect(toPlainText(doc)).toBe('');
    doc.getXmlFragment(CONTENT_FIELD).insert(1, [paragraph('')]);
    expect(toPlainText(doc)).toBe('\n');
    doc.destroy();
  });

  it('keeps formatted text as text', () => {
    const doc = new Y.Doc();
    doc.getXmlFragment(CONTENT_FIELD).insert(0, [paragraph('Hello world')]);
    textOfBlock(doc, 0).format(0, 5, { bold: {} });
    expect(toPlainText(doc)).toBe('Hello world');
    doc.destroy();
  });
});

describe('normalisedContentHash', () => {
  it('is sha256 of the canonical JSON of the normalised document', () => {
    const json = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x' }] }] };
    expect(normalisedContentHash(json)).toBe(sha256Hex(canonicalJson(json)));
    expect(normalisedContentHash(json)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes the empty document consistently', () => {
    const expected = sha256Hex(canonicalJson({ type: 'doc', content: [] }));
    expect(normalisedContentHash({ type: 'doc', content: [] })).toBe(expected);
    expect(normalisedContentHash({ type: 'doc' })).toBe(expected);
    expect(normalisedContentHash({ type: 'doc', content: [{ type: 'paragraph' }] })).toBe(expected);
    const empty = new Y.Doc();
    expect(contentHashOfDocument(empty)).toBe(expected);
    empty.destroy();
  });

  it('is the same for the same text typed in a different order by different clients', () => {
    // Typed left to right by one client.
    const first = recordingDoc(11);
    first.doc.getXmlFragment(CONTENT_FIELD).insert(0, [paragraph()]);
    for (const [index, char] of [...'Hello world'].entries()) textOfBlock(first.doc, 0).insert(index, char);
    first.doc.getXmlFragment(CONTENT_FIELD).insert(1, [paragraph('Second line')]);
    textOfBlock(first.doc, 0).format(0, 5, { bold: {} });
    textOfBlock(first.doc, 0).format(0, 5, { italic: {} });

    // Typed out of order with typos by two clients, marks applied the other way round.
    const a = recordingDoc(21);
    const b = new Y.Doc();
    b.clientID = 22;
    a.doc.getXmlFragment(CONTENT_FIELD).insert(0, [paragraph('Second lime')]);
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc));
    b.getXmlFragment(CONTENT_FIELD).insert(0, [paragraph('world')]);
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b));
    textOfBlock(a.doc, 0).insert(0, 'Helo ');
    textOfBlock(a.doc, 0).insert(3, 'l');
    textOfBlock(a.doc, 1).delete(9, 2);
    textOfBlock(a.doc, 1).insert(9, 'ne');
    textOfBlock(a.doc, 0).format(0, 5, { italic: {} });
    textOfBlock(a.doc, 0).format(0, 5, { bold: {} });

    const replayedFirst = buildDocument({ updates: first.updates });
    const replayedSecond = buildDocument({ updates: a.updates });
    expect(toPlainText(replayedSecond)).toBe('Hello world\nSecond line');
    expect(toProseMirrorJson(replayedSecond)).toEqual(toProseMirrorJson(replayedFirst));
    expect(contentHashOfDocument(replayedSecond)).toBe(contentHashOfDocument(replayedFirst));
    // and differs when the content differs
    textOfBlock(replayedSecond, 1).insert(0, '!');
    expect(contentHashOfDocument(replayedSecond)).not.toBe(contentHashOfDocument(replayedFirst));
    for (const d of [first.doc, a.doc, b, replayedFirst, replayedSecond]) d.destroy();
  });
});
