import * as Y from 'yjs';
import { parseUpdateV1 } from './update-format';
import { validateYjsUpdate } from './update-validation';
import { buildDocument, CONTENT_FIELD } from './document-building';
import { blockIdsOf, withoutBlockIds } from './block-ids';
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
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Practical approach' }] },
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
    expect(validateYjsUpdate(update, { allowedRootTypes: [CONTENT_FIELD], contentModel: 'prosemirror' })).toMatchObject({ ok: true });
    const doc = buildDocument({ updates: [update] });
    expect(withoutBlockIds(toProseMirrorJson(doc))).toEqual(normaliseProseMirrorJson(richDocument));
    // Every block starts with its stable id, deterministic: s1, s2… in document order.
    expect(blockIdsOf(toProseMirrorJson(doc))).toEqual(['s1', 's2', 's3', 's4', 's5', 's6']);
    expect(toPlainText(doc)).toBe('Practical approach\nLabour mobility and skills.\nFirst\nSecond');
    // Stored the way Tiptap's Collaboration stores it: elements named after nodes, marks as formats.
    const heading = doc.getXmlFragment(CONTENT_FIELD).get(0) as Y.XmlElement;
    expect(heading.nodeName).toBe('heading');
    expect(heading.getAttribute('level')).toBe(2);
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
    const item = { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }] };
    const doc = buildDocument({ updates: [seedUpdateFromProseMirrorJson({ type: 'doc', content: [{ type: 'orderedList', content: [item] }] })] });
    expect(toProseMirrorJson(doc).content[0].attrs).toEqual({ start: 1 }); // y-prosemirror stores no null attribute (type)
    doc.destroy();
  });

  it('refuses JSON the schema does not allow', () => {
    expect(() => seedUpdateFromProseMirrorJson({ type: 'doc', content: [{ type: 'table' }] })).toThrow();
    expect(() => seedUpdateFromProseMirrorJson({ type: 'doc', content: [{ type: 'text', text: 'loose' }] })).toThrow();
    // What the toolbar does not offer is not in the schema.
    expect(() => seedUpdateFromProseMirrorJson({ type: 'doc', content: [{ type: 'codeBlock', content: [{ type: 'text', text: 'x()' }] }] })).toThrow();
    expect(() => seedUpdateFromProseMirrorJson({ type: 'doc', content: [{ type: 'horizontalRule' }] })).toThrow();
    expect(() =>
      seedUpdateFromProseMirrorJson({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'strike' }] }] }] }),
    ).toThrow();
  });

  it('refuses what the server’s update check refuses: heading levels other than 2 and 3', () => {
    const heading = (attrs?: Record<string, unknown>) => ({ type: 'doc', content: [{ type: 'heading', ...(attrs ? { attrs } : {}), content: [{ type: 'text', text: 'H' }] }] });
    for (const level of [1, 4, 6]) {
      expect(() => seedUpdateFromProseMirrorJson(heading({ level }))).toThrow(/heading level must be one of 2, 3/);
    }
    // Without a level, Tiptap's Heading default (1) is not one the toolbar offers either.
    expect(() => seedUpdateFromProseMirrorJson(heading())).toThrow(/heading level must be one of 2, 3/);
    for (const level of [2, 3]) {
      const doc = buildDocument({ updates: [seedUpdateFromProseMirrorJson(heading({ level }))] });
      expect(toProseMirrorJson(doc).content[0].attrs).toEqual({ level, id: 's1' });
      doc.destroy();
    }
    expect(toProseMirrorJson(buildDocument({ updates: [seedUpdateFromParagraphs([{ heading: 'Default' }])] })).content[0].attrs).toEqual({ level: 2, id: 's1' });
  });

  it('keeps a link’s address only', () => {
    const linked = (attrs: Record<string, unknown>) => ({
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'annex', marks: [{ type: 'link', attrs }] }] }],
    });
    const doc = buildDocument({ updates: [seedUpdateFromProseMirrorJson(linked({ href: 'https://example.org', title: 'Annex', target: '_blank' }))] });
    expect(toProseMirrorJson(doc).content[0].content?.[0].marks).toEqual([{ type: 'link', attrs: { href: 'https://example.org' } }]);
    doc.destroy();
  });

  it('seeds from simple blocks', () => {
    const blocks = [{ heading: 'Title', level: 2 as const }, 'First paragraph', '', { paragraph: 'Emphasis', italic: true }, { bullets: ['a', 'b'] }];
    const doc = buildDocument({ updates: [seedUpdateFromParagraphs(blocks)] });
    expect(toPlainText(doc)).toBe('Title\nFirst paragraph\n\nEmphasis\na\nb');
    expect(withoutBlockIds(toProseMirrorJson(doc))).toEqual(normaliseProseMirrorJson(proseMirrorJsonFromBlocks(blocks)));
    doc.destroy();
  });

  it('keeps "\\n" inside a seeded paragraph', () => {
    const doc = buildDocument({ updates: [seedUpdateFromParagraphs(['line 1\nline 2'])] });
    expect(toPlainText(doc)).toBe('line 1\nline 2');
    expect(doc.getXmlFragment(CONTENT_FIELD).length).toBe(1);
    doc.destroy();
  });
});
