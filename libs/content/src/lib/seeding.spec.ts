import * as Y from 'yjs';
import { parseUpdateV1 } from './update-format';
import { validateYjsUpdate } from './update-validation';
import { buildDocument, CONTENT_FIELD } from './document-building';
import { normaliseProseMirrorJson, toPlainText, toProseMirrorJson } from './rendering';
import {
  DEFAULT_SEED_CLIENT_ID,
  getStarterKitSchema,
  proseMirrorJsonFromBlocks,
  seedUpdateFromParagraphs,
  seedUpdateFromProseMirrorJson,
} from './seeding';

const richDocument = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Practical approach' }] },
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Labour ', marks: [{ type: 'bold' }] },
        { type: 'text', text: 'mobility', marks: [{ type: 'bold' }, { type: 'italic' }] },
        { type: 'text', text: ' and skills.' },
      ],
    },
    {
      type: 'bulletList',
      content: [
        { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'First' }] }] },
        { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Second' }] }] },
      ],
    },
  ],
};

describe('seeding', () => {
  it('builds the StarterKit schema without a DOM', () => {
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
    const schema = getStarterKitSchema();
    expect(Object.keys(schema.nodes)).toEqual(expect.arrayContaining(['doc', 'paragraph', 'heading', 'bulletList', 'listItem', 'text']));
    expect(Object.keys(schema.marks)).toEqual(expect.arrayContaining(['bold', 'italic']));
    expect(getStarterKitSchema()).toBe(schema);
  });

  it('seeds a document whose rendering is the seeded JSON', () => {
    const update = seedUpdateFromProseMirrorJson(richDocument);
    expect(validateYjsUpdate(update, { allowedRootTypes: [CONTENT_FIELD], contentModel: 'prosemirror' })).toEqual({ ok: true });
    const doc = buildDocument({ updates: [update] });
    expect(toProseMirrorJson(doc)).toEqual(normaliseProseMirrorJson(richDocument));
    expect(toPlainText(doc)).toBe('Practical approach\nLabour mobility and skills.\nFirst\nSecond');
    // Stored the way Tiptap's Collaboration stores it: elements named after nodes, marks as formats.
    const heading = doc.getXmlFragment(CONTENT_FIELD).get(0) as Y.XmlElement;
    expect(heading.nodeName).toBe('heading');
    expect(heading.getAttribute('level')).toBe(1);
    const text = (doc.getXmlFragment(CONTENT_FIELD).get(1) as Y.XmlElement).get(0) as Y.XmlText;
    expect(text.toDelta()).toEqual([
      { insert: 'Labour ', attributes: { bold: {} } },
      { insert: 'mobility', attributes: { bold: {}, italic: {} } },
      { insert: ' and skills.' },
    ]);
    doc.destroy();
  });

  it('is reproducible and carries the chosen client id', () => {
    const first = seedUpdateFromProseMirrorJson(richDocument);
    expect(seedUpdateFromProseMirrorJson(richDocument)).toEqual(first);
    expect(new Set(parseUpdateV1(first).structs.map((s) => s.client))).toEqual(new Set([DEFAULT_SEED_CLIENT_ID]));
    const other = seedUpdateFromProseMirrorJson(richDocument, { clientId: 4242 });
    expect(new Set(parseUpdateV1(other).structs.map((s) => s.client))).toEqual(new Set([4242]));
  });

  it('fills default attributes from the schema', () => {
    const doc = buildDocument({
      updates: [seedUpdateFromProseMirrorJson({ type: 'doc', content: [{ type: 'heading', content: [{ type: 'text', text: 'H' }] }] })],
    });
    expect(toProseMirrorJson(doc).content[0].attrs).toEqual({ level: 1 });
    doc.destroy();
  });

  it('refuses JSON the schema does not allow', () => {
    expect(() => seedUpdateFromProseMirrorJson({ type: 'doc', content: [{ type: 'table' }] })).toThrow();
    expect(() => seedUpdateFromProseMirrorJson({ type: 'doc', content: [{ type: 'text', text: 'loose' }] })).toThrow();
  });

  it('seeds from simple blocks', () => {
    const blocks = [{ heading: 'Title', level: 2 as const }, 'First paragraph', '', { paragraph: 'Emphasis', italic: true }, { bullets: ['a', 'b'] }];
    const doc = buildDocument({ updates: [seedUpdateFromParagraphs(blocks)] });
    expect(toPlainText(doc)).toBe('Title\nFirst paragraph\n\nEmphasis\na\nb');
    expect(toProseMirrorJson(doc)).toEqual(normaliseProseMirrorJson(proseMirrorJsonFromBlocks(blocks)));
    doc.destroy();
  });

  it('keeps "\\n" inside a seeded paragraph', () => {
    const doc = buildDocument({ updates: [seedUpdateFromParagraphs(['line 1\nline 2'])] });
    expect(toPlainText(doc)).toBe('line 1\nline 2');
    expect(doc.getXmlFragment(CONTENT_FIELD).length).toBe(1);
    doc.destroy();
  });
});
