import { type Node as ProseMirrorNode, Schema } from '@tiptap/pm/model';
import { EditorState, TextSelection, type Transaction } from '@tiptap/pm/state';
import { updateYFragment, yXmlFragmentToProsemirrorJSON } from 'y-prosemirror';
import * as Y from 'yjs';
import { CONTENT_FIELD } from './document-building';
import { allowedChildTypes, describeSchema, EDITOR_ATTRIBUTE_RULES, EDITOR_HEADING_LEVELS, getEditorSchema, isAllowedLinkHref } from './editor-schema';
import { normaliseProseMirrorJson, toProseMirrorJson } from './rendering';
import { seedUpdateFromProseMirrorJson } from './seeding';
import { validateYjsUpdate } from './update-validation';
import { mulberry32 as prng } from '../testing/random';

const schema = getEditorSchema();


/** A server document seeded with a heading, a paragraph and a list. */
function serverDoc(): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(
    doc,
    seedUpdateFromProseMirrorJson({
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Purpose' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Hello world' }] },
        { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }] }] },
      ],
    }),
  );
  return doc;
}

/** The update a plain Yjs client (client id 2) makes on a replica of `doc`. */
function plainEdit(doc: Y.Doc, change: (fragment: Y.XmlFragment) => void): Uint8Array {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
  replica.clientID = 2;
  const sv = Y.encodeStateVector(replica);
  change(replica.getXmlFragment(CONTENT_FIELD));
  const update = Y.encodeStateAsUpdate(replica, sv);
  replica.destroy();
  return update;
}

const paragraphText = (fragment: Y.XmlFragment): Y.XmlText => (fragment.get(1) as Y.XmlElement).get(0) as Y.XmlText;

/**
 * A Tiptap-like editor without a view: ProseMirror transactions against the shared schema, synced
 * into a replica Y.Doc by y-prosemirror's `updateYFragment` (what the sync plugin runs after each
 * transaction). Returns the Yjs update of each transaction.
 */
class HeadlessEditor {
  readonly replica = new Y.Doc();
  private state: EditorState;
  private readonly meta = { mapping: new Map(), isOMark: new Map() };

  constructor(server: Y.Doc) {
    Y.applyUpdate(this.replica, Y.encodeStateAsUpdate(server));
    this.replica.clientID = 3;
    const json = yXmlFragmentToProsemirrorJSON(this.replica.getXmlFragment(CONTENT_FIELD));
    this.state = EditorState.create({ schema, doc: schema.nodeFromJSON(json) });
  }

  get doc(): ProseMirrorNode {
    return this.state.doc;
  }

  edit(build: (state: EditorState) => Transaction): Uint8Array {
    this.state = this.state.apply(build(this.state));
    const sv = Y.encodeStateVector(this.replica);
    const fragment = this.replica.getXmlFragment(CONTENT_FIELD);
    this.replica.transact(() => updateYFragment(this.replica, fragment, this.state.doc, this.meta));
    return Y.encodeStateAsUpdate(this.replica, sv);
  }
}

/** Position just inside the start of the n-th top-level block. */
function startOf(doc: ProseMirrorNode, index: number): number {
  let pos = 0;
  for (let i = 0; i < index; i++) pos += doc.child(i).nodeSize;
  return pos + 1;
}

describe('the editor schema', () => {
  it('has an attribute rule for every attribute of every node and mark, and no other', () => {
    for (const [kind, types] of [
      ['nodes', schema.nodes],
      ['marks', schema.marks],
    ] as const) {
      for (const type of Object.values(types)) {
        const inSchema = Object.keys(type.spec.attrs ?? {}).sort();
        const ruled = Object.keys(EDITOR_ATTRIBUTE_RULES[kind][type.name] ?? {}).sort();
        expect([type.name, ruled]).toEqual([type.name, inSchema]);
      }
      for (const name of Object.keys(EDITOR_ATTRIBUTE_RULES[kind])) expect(types).toHaveProperty(name);
    }
  });

  it('is what the toolbar offers: the StarterKit + Link schema the seeding and rendering use', () => {
    expect(Object.keys(schema.nodes).sort()).toEqual(['blockquote', 'bulletList', 'doc', 'hardBreak', 'heading', 'listItem', 'orderedList', 'paragraph', 'text']);
    expect(Object.keys(schema.marks).sort()).toEqual(['bold', 'italic', 'link', 'suggestionDelete', 'suggestionInsert']);
    // A link keeps its address only (no title, class, target or rel).
    const described = describeSchema(schema) as { marks: Record<string, { attrs: unknown }> };
    expect(described.marks['link'].attrs).toEqual({ href: null });
    expect(EDITOR_HEADING_LEVELS).toEqual([2, 3]);
    expect(allowedChildTypes(schema.nodes['paragraph'])).toContain('text');
    expect(allowedChildTypes(schema.nodes['bulletList'])).toEqual(new Set(['listItem']));
  });

  it.each([
    ['https://example.org/a?b#c', true],
    ['HTTP://EXAMPLE.ORG', true],
    ['  https://example.org  ', true],
    ['mailto:chair@example.org', true],
    ['MailTo:chair@example.org', true],
    ['javascript:alert(1)', false],
    [' JaVaScRiPt:alert(1)', false],
    ['java\tscript:alert(1)', false],
    ['https://exa\u0000mple.org', false],
    ['https://example.org/\u200b', false],
    ['data:text/html;base64,PHNjcmlwdD4=', false],
    ['vbscript:msgbox', false],
    ['//example.org', false],
    ['example.org', false],
    ['https:', false],
    [`https://example.org/${'a'.repeat(2100)}`, false],
    [null, false],
    [42, false],
  ])('link address %j allowed: %s', (href, allowed) => {
    expect(isAllowedLinkHref(href)).toBe(allowed);
  });
});

describe('validateYjsUpdate checks updates against the editor schema (default)', () => {
  it('accepts what the editor writes through y-prosemirror, with and without the document', () => {
    const server = serverDoc();
    const editor = new HeadlessEditor(server);
    const edits: Uint8Array[] = [
      editor.edit((state) => state.tr.insertText(' again', startOf(state.doc, 1) + 11)),
      editor.edit((state) => state.tr.addMark(startOf(state.doc, 1), startOf(state.doc, 1) + 5, schema.marks['bold'].create())),
      editor.edit((state) =>
        state.tr.addMark(startOf(state.doc, 1) + 6, startOf(state.doc, 1) + 11, schema.marks['link'].create({ href: 'https://example.org' })),
      ),
      editor.edit((state) =>
        state.tr.addMark(startOf(state.doc, 1), startOf(state.doc, 1) + 2, schema.marks['link'].create({ href: 'mailto:chair@example.org' })),
      ),
      editor.edit((state) => state.tr.setBlockType(startOf(state.doc, 1), startOf(state.doc, 1), schema.nodes['heading'], { level: 3 })),
      editor.edit((state) => state.tr.setNodeMarkup(0, undefined, { level: 3 })),
      editor.edit((state) => state.tr.setNodeMarkup(0, undefined, { level: 2 })),
      editor.edit((state) => state.tr.addMark(startOf(state.doc, 1) + 2, startOf(state.doc, 1) + 4, schema.marks['italic'].create())),
      editor.edit((state) =>
        state.tr.insert(
          state.doc.content.size,
          schema.nodes['orderedList'].create({ start: 3 }, schema.nodes['listItem'].create(null, schema.nodes['paragraph'].create(null, schema.text('three')))),
        ),
      ),
      editor.edit((state) => state.tr.insert(startOf(state.doc, 1) + 2, schema.nodes['hardBreak'].create())),
      editor.edit((state) => state.tr.insert(state.doc.content.size, schema.nodes['blockquote'].create(null, schema.nodes['paragraph'].create()))),
      editor.edit((state) =>
        state.tr.insert(
          state.doc.content.size,
          schema.nodes['bulletList'].create(null, schema.nodes['listItem'].create(null, schema.nodes['paragraph'].create(null, schema.text('bullet')))),
        ),
      ),
      editor.edit((state) => state.tr.removeMark(0, state.doc.content.size, schema.marks['link'])),
      editor.edit((state) => state.tr.setSelection(TextSelection.create(state.doc, 1)).deleteRange(1, 3)),
      editor.edit((state) => state.tr.delete(startOf(state.doc, 2) - 1, state.doc.content.size)),
    ];
    for (const update of edits) {
      expect(validateYjsUpdate(update, { allowedRootTypes: [CONTENT_FIELD] })).toMatchObject({ ok: true });
      expect(validateYjsUpdate(update, { doc: server, allowedRootTypes: [CONTENT_FIELD] })).toMatchObject({ ok: true });
      Y.applyUpdate(server, update);
    }
    expect(toProseMirrorJson(server)).toEqual(normaliseProseMirrorJson(editor.doc.toJSON()));
    editor.replica.destroy();
    server.destroy();
  });

  it('accepts what a plain Yjs client writes: a paragraph holding a Y.XmlText, no attributes', () => {
    const server = serverDoc();
    const update = plainEdit(server, (fragment) => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('written without an editor')]);
      fragment.insert(fragment.length, [paragraph]);
    });
    expect(validateYjsUpdate(update)).toMatchObject({ ok: true });
    expect(validateYjsUpdate(update, { doc: server })).toMatchObject({ ok: true });
    expect(validateYjsUpdate(plainEdit(server, (fragment) => paragraphText(fragment).insert(0, 'typed ')), { doc: server })).toMatchObject({ ok: true });
    expect(validateYjsUpdate(plainEdit(server, (fragment) => paragraphText(fragment).format(0, 5, { bold: {} })), { doc: server })).toMatchObject({ ok: true });
    server.destroy();
  });

  it('accepts suggestion marks with their author, id and time (whose author is checked by the co-editing server)', () => {
    const server = serverDoc();
    const suggestion = { id: 's-1', authorId: 'u-delegate1', at: '2026-12-06T10:00:00.000Z' };
    expect(validateYjsUpdate(plainEdit(server, (f) => paragraphText(f).insert(0, 'new ', { suggestionInsert: suggestion })), { doc: server })).toMatchObject({ ok: true });
    expect(validateYjsUpdate(plainEdit(server, (f) => paragraphText(f).format(0, 5, { suggestionDelete: suggestion })), { doc: server })).toMatchObject({ ok: true });
    server.destroy();
  });

  const refusals: Array<[string, (fragment: Y.XmlFragment) => void, RegExp]> = [
    ['a javascript: link', (f) => paragraphText(f).format(0, 5, { link: { href: 'javascript:alert(document.cookie)' } }), /link address must start with http:, https: or mailto:/],
    ['a javascript: link hidden by case and spaces', (f) => paragraphText(f).format(0, 5, { link: { href: '  JavaScript:alert(1)' } }), /link address/],
    ['a data: link', (f) => paragraphText(f).format(0, 5, { link: { href: 'data:text/html,<script>alert(1)</script>' } }), /link address/],
    ['a link with a control character', (f) => paragraphText(f).format(0, 5, { link: { href: 'https://exa\nmple.org' } }), /link address/],
    ['a link without an address', (f) => paragraphText(f).format(0, 5, { link: {} }), /link address/],
    ['a link typed with a javascript: address', (f) => paragraphText(f).insert(0, 'click', { link: { href: 'javascript:void(0)' } }), /link address/],
    ['an unknown link attribute', (f) => paragraphText(f).format(0, 5, { link: { href: 'https://a.org', onclick: 'x()' } }), /has no attribute "onclick"/],
    // A link keeps its address only: what a pasted link brought along is refused as unknown.
    ['a link title', (f) => paragraphText(f).format(0, 5, { link: { href: 'https://a.org', title: 'Annex' } }), /the mark "link" has no attribute "title"/],
    ['a link class', (f) => paragraphText(f).format(0, 5, { link: { href: 'https://a.org', class: 'MsoHyperlink' } }), /the mark "link" has no attribute "class"/],
    ['a link target', (f) => paragraphText(f).format(0, 5, { link: { href: 'https://a.org', target: '_blank' } }), /the mark "link" has no attribute "target"/],
    ['a link rel', (f) => paragraphText(f).format(0, 5, { link: { href: 'https://a.org', rel: 'noopener' } }), /the mark "link" has no attribute "rel"/],
    ['an unknown mark', (f) => paragraphText(f).format(0, 5, { blink: {} }), /"blink" is not a mark of the editor/],
    ['a suggestion without its author', (f) => paragraphText(f).insert(0, 'x', { suggestionInsert: { id: 's1', at: '2026-12-06T10:00:00Z' } }), /must name its author/],
    ['a suggestion with an odd id', (f) => paragraphText(f).format(0, 5, { suggestionDelete: { id: '<b>', authorId: 'u1', at: '2026-12-06T10:00:00Z' } }), /suggestion id/],
    ['a suggestion without a time', (f) => paragraphText(f).format(0, 5, { suggestionDelete: { id: 's1', authorId: 'u1' } }), /suggestion time/],
    ['a suggestion with a foreign attribute', (f) => paragraphText(f).format(0, 5, { suggestionDelete: { id: 's1', authorId: 'u1', at: '2026-12-06T10:00:00Z', color: 'red' } }), /has no attribute "color"/],
    // The marks the toolbar does not offer are not in the schema: refused like any unknown mark.
    ['inline code', (f) => paragraphText(f).format(0, 5, { code: {} }), /"code" is not a mark of the editor/],
    ['strike-through', (f) => paragraphText(f).format(0, 5, { strike: {} }), /"strike" is not a mark of the editor/],
    ['underline', (f) => paragraphText(f).format(0, 5, { underline: {} }), /"underline" is not a mark of the editor/],
    ['strike-through typed with text', (f) => paragraphText(f).insert(0, 'gone', { strike: true }), /"strike" is not a mark of the editor/],
    ['a mark with a non-object value', (f) => paragraphText(f).format(0, 5, { bold: 'yes' }), /must have an object of attributes/],
    [
      'an unknown node type',
      (f) => {
        const script = new Y.XmlElement('script');
        script.insert(0, [new Y.XmlText('alert(1)')]);
        f.insert(0, [script]);
      },
      /"script" is not a node type of the editor/,
    ],
    // The nodes the toolbar does not offer are not in the schema: refused like any unknown node.
    [
      'a code block',
      (f) => {
        const code = new Y.XmlElement('codeBlock');
        code.insert(0, [new Y.XmlText('x()')]);
        f.insert(0, [code]);
      },
      /"codeBlock" is not a node type of the editor/,
    ],
    ['a horizontal rule', (f) => f.insert(1, [new Y.XmlElement('horizontalRule')]), /"horizontalRule" is not a node type of the editor/],
    ['a text node as a node type', (f) => f.insert(0, [new Y.XmlElement('text')]), /"text" is not a node type/],
    ['a nested document', (f) => f.insert(0, [new Y.XmlElement('doc')]), /"doc" is not a node type/],
    ['an unknown attribute', (f) => (f.get(1) as Y.XmlElement).setAttribute('onclick', 'alert(1)'), /a paragraph has no attribute "onclick"/],
    ['the former data-x attribute', (f) => (f.get(1) as Y.XmlElement).setAttribute('data-x', 'y'), /has no attribute "data-x"/],
    ...[1, 4, 5, 6, 7].map((level): [string, (f: Y.XmlFragment) => void, RegExp] => [
      `heading level ${level}, which the toolbar does not offer`,
      (f) => {
        const heading = new Y.XmlElement('heading');
        heading.setAttribute('level', level as unknown as string);
        f.insert(0, [heading]);
      },
      /heading level must be one of 2, 3$/,
    ]),
    [
      'a heading level given as text',
      (f) => {
        const heading = new Y.XmlElement('heading');
        heading.setAttribute('level', '2');
        f.insert(0, [heading]);
      },
      /heading level/,
    ],
    ['a list item directly in the document', (f) => f.insert(0, [new Y.XmlElement('listItem')]), /a doc cannot hold a listItem/],
    ['a paragraph directly in a list', (f) => (f.get(2) as Y.XmlElement).insert(0, [new Y.XmlElement('paragraph')]), /a bulletList cannot hold a paragraph/],
    ['text directly in a list', (f) => (f.get(2) as Y.XmlElement).insert(0, [new Y.XmlText('loose')]), /a bulletList cannot hold text/],
    [
      'a list numbering type with markup',
      (f) => {
        const list = new Y.XmlElement('orderedList');
        list.setAttribute('type', '"><img src=x onerror=alert(1)>');
        f.insert(0, [list]);
      },
      /list numbering type must be one of/,
    ],
    ['an attribute on a text node', (f) => paragraphText(f).setAttribute('style', 'x'), /a text node has no attributes/],
  ];

  it.each(refusals)('refuses %s, with a reason', (_, change, reason) => {
    const server = serverDoc();
    const update = plainEdit(server, change);
    expect(validateYjsUpdate(update, { doc: server })).toEqual({ ok: false, reason: expect.stringMatching(reason) });
    server.destroy();
  });

  it('refuses the same without the document when the update shows the parent or the mark', () => {
    const server = serverDoc();
    const needDocument: string[] = [];
    for (const [name, change, reason] of refusals) {
      const update = plainEdit(server, change);
      const alone = validateYjsUpdate(update);
      // Marks and new elements carry their names, a new attribute its key; where an existing
      // element may hold a child, or which node an attribute belongs to, needs the document.
      if (!alone.ok) {
        expect(alone.reason).toMatch(new RegExp(`${reason.source}|no node of the editor has an attribute`));
      } else {
        needDocument.push(name);
      }
    }
    expect(needDocument).toEqual(['a list item directly in the document', 'a paragraph directly in a list', 'text directly in a list']);
    // Without the document, a new attribute on an existing element is still checked against every
    // node's attributes: an attribute no node has is refused.
    expect(validateYjsUpdate(plainEdit(server, (f) => (f.get(1) as Y.XmlElement).setAttribute('onclick', 'x')))).toEqual({
      ok: false,
      reason: expect.stringMatching(/onclick/),
    });
    server.destroy();
  });

  it('refuses a new value for an existing attribute that the rules refuse (needs the document)', () => {
    const server = serverDoc();
    const update = plainEdit(server, (f) => (f.get(0) as Y.XmlElement).setAttribute('level', 9 as unknown as string));
    expect(validateYjsUpdate(update, { doc: server })).toEqual({ ok: false, reason: expect.stringMatching(/heading level/) });
    const fine = plainEdit(server, (f) => (f.get(0) as Y.XmlElement).setAttribute('level', 3 as unknown as string));
    expect(validateYjsUpdate(fine, { doc: server })).toMatchObject({ ok: true });
    server.destroy();
  });

  it('accepts the heading levels the toolbar offers, 2 and 3, from a plain Yjs client', () => {
    const server = serverDoc();
    for (const level of [2, 3]) {
      const update = plainEdit(server, (f) => {
        const heading = new Y.XmlElement('heading');
        heading.setAttribute('level', level as unknown as string);
        heading.insert(0, [new Y.XmlText('Section')]);
        f.insert(1, [heading]);
      });
      expect(validateYjsUpdate(update)).toMatchObject({ ok: true });
      expect(validateYjsUpdate(update, { doc: server })).toMatchObject({ ok: true });
    }
    server.destroy();
  });

  it('refuses a mark that the node holding the text does not allow, with a reason', () => {
    // No node of the editor's schema refuses a mark its text may hold (its code block, which did,
    // is gone), so the check is shown with a schema whose code block allows none.
    const withCodeBlock = new Schema({
      nodes: {
        doc: { content: 'block+' },
        paragraph: { group: 'block', content: 'inline*' },
        codeBlock: { group: 'block', content: 'text*', marks: '', code: true },
        text: { group: 'inline' },
      },
      marks: { bold: {} },
    });
    const doc = new Y.Doc();
    const update = plainEdit(doc, (f) => {
      const code = new Y.XmlElement('codeBlock');
      const text = new Y.XmlText();
      code.insert(0, [text]);
      f.insert(0, [code]);
      text.insert(0, 'x', { bold: {} });
    });
    expect(validateYjsUpdate(update, { schema: withCodeBlock })).toEqual({ ok: false, reason: expect.stringMatching(/a codeBlock cannot hold the mark "bold"/) });
    const inParagraph = plainEdit(doc, (f) => {
      const paragraph = new Y.XmlElement('paragraph');
      const text = new Y.XmlText();
      paragraph.insert(0, [text]);
      f.insert(0, [paragraph]);
      text.insert(0, 'x', { bold: {} });
    });
    expect(validateYjsUpdate(inParagraph, { schema: withCodeBlock })).toMatchObject({ ok: true });
    doc.destroy();
  });

  it('can be turned off for plain Yjs documents', () => {
    const doc = new Y.Doc();
    doc.getMap('meta').set('x', 1);
    const update = Y.encodeStateAsUpdate(doc);
    expect(validateYjsUpdate(update)).toMatchObject({ ok: false });
    expect(validateYjsUpdate(update, { schema: null })).toMatchObject({ ok: true });
    doc.destroy();
  });
});

/**
 * An oracle independent of the update check: walks the resulting document and reports the first
 * thing the schema check promises cannot be there.
 */
function documentViolation(doc: Y.Doc, editorSchema: Schema): string | null {
  const walk = (type: Y.XmlFragment | Y.XmlElement, parentName: string): string | null => {
    const parentType = editorSchema.nodes[parentName];
    if (type instanceof Y.XmlElement) {
      for (const [key, value] of Object.entries(type.getAttributes())) {
        const rule = EDITOR_ATTRIBUTE_RULES.nodes[parentName]?.[key];
        if (!rule || rule(value)) return `${parentName}.${key}=${JSON.stringify(value)}`;
      }
    }
    for (const child of type.toArray()) {
      if (child instanceof Y.XmlText) {
        if (!allowedChildTypes(parentType).has('text')) return `text in ${parentName}`;
        if (Object.keys(child.getAttributes()).length > 0) return 'attributes on text';
        for (const op of child.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
          if (typeof op.insert !== 'string') return 'embed';
          for (const [name, attrs] of Object.entries(op.attributes ?? {})) {
            const markType = editorSchema.marks[name];
            if (!markType || !parentType.allowsMarkType(markType)) return `mark ${name} in ${parentName}`;
            for (const [key, rule] of Object.entries(EDITOR_ATTRIBUTE_RULES.marks[name] ?? {})) {
              const given = attrs as Record<string, unknown>;
              if (rule(key in given ? given[key] : (markType.spec.attrs?.[key]?.default ?? null))) return `mark ${name}.${key}`;
            }
            for (const key of Object.keys(attrs as object)) if (!markType.spec.attrs?.[key]) return `mark ${name}.${key}`;
          }
        }
      } else if (child instanceof Y.XmlElement) {
        const childType = editorSchema.nodes[child.nodeName];
        if (!childType || childType.isText || childType === editorSchema.topNodeType) return `node ${child.nodeName}`;
        if (!allowedChildTypes(parentType).has(child.nodeName)) return `${child.nodeName} in ${parentName}`;
        const inner = walk(child, child.nodeName);
        if (inner) return inner;
      } else {
        return 'a child that is neither element nor text';
      }
    }
    return null;
  };
  return walk(doc.getXmlFragment(CONTENT_FIELD), 'doc');
}

describe('schema check fuzzing: random plain-Yjs edits and mutated editor updates', () => {
  const NAMES = ['paragraph', 'heading', 'bulletList', 'listItem', 'codeBlock', 'horizontalRule', 'blockquote', 'hardBreak', 'script', 'text', 'doc', 'div'];
  const ATTRS: Array<[string, unknown]> = [
    ['level', 1],
    ['level', 2],
    ['level', 3],
    ['level', 5],
    ['level', 0],
    ['level', '2'],
    ['language', 'js'],
    ['language', '<x>'],
    ['start', 4],
    ['start', -1],
    ['type', 'a'],
    ['onclick', 'x'],
    ['href', 'https://a.org'],
  ];
  const MARKS: Array<[string, unknown]> = [
    ['bold', {}],
    ['italic', {}],
    ['bold', null],
    ['underline', 'x'],
    ['blink', {}],
    ['link', { href: 'https://a.org' }],
    ['link', { href: 'HTTPS://A.ORG', target: '_blank', rel: 'noopener noreferrer nofollow', class: null, title: null }],
    ['link', { href: 'mailto:x@y.org' }],
    ['link', { href: 'javascript:alert(1)' }],
    ['link', { href: 'data:text/html,x' }],
    ['link', { href: 'https://a.org', style: 'x' }],
    ['link', { href: 'https://a.org', target: 'a b' }],
    ['code', {}],
    ['strike', {}],
    ['link', { href: 'https://a.org', title: null }],
  ];

  /** Every element and text of the fragment, depth first. */
  function allTypes(fragment: Y.XmlFragment): Array<Y.XmlElement | Y.XmlText | Y.XmlFragment> {
    const found: Array<Y.XmlElement | Y.XmlText | Y.XmlFragment> = [fragment];
    for (let i = 0; i < found.length; i++) {
      const type = found[i];
      if (!(type instanceof Y.XmlText)) found.push(...(type.toArray() as Array<Y.XmlElement | Y.XmlText>));
    }
    return found;
  }

  function randomEdit(random: () => number, fragment: Y.XmlFragment): void {
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const types = allTypes(fragment);
    const target = pick(types);
    const op = Math.floor(random() * 5);
    if (target instanceof Y.XmlText) {
      if (op <= 1) target.insert(Math.floor(random() * (target.length + 1)), 'ab');
      else if (op === 2 && target.length > 0) {
        const [name, value] = pick(MARKS);
        target.format(0, Math.max(1, Math.floor(random() * target.length)), { [name]: value });
      } else if (op === 3) {
        const [name, value] = pick(MARKS);
        target.insert(0, 'cd', { [name]: value });
      } else if (target.length > 0) target.delete(0, 1);
      return;
    }
    if (op <= 1 || target === fragment) {
      const element = new Y.XmlElement(pick(NAMES));
      if (random() < 0.5) element.insert(0, [new Y.XmlText('xy')]);
      if (random() < 0.3) {
        const [key, value] = pick(ATTRS);
        element.setAttribute(key, value as string);
      }
      target.insert(Math.floor(random() * (target.length + 1)), [element]);
    } else if (op === 2) {
      target.insert(Math.floor(random() * (target.length + 1)), [new Y.XmlText('loose')]);
    } else if (op === 3 && target instanceof Y.XmlElement) {
      const [key, value] = pick(ATTRS);
      target.setAttribute(key, value as string);
    } else if (target.length > 0) {
      target.delete(Math.floor(random() * target.length), 1);
    }
  }

  function verdictAndOracle(server: Y.Doc, update: Uint8Array): { accepted: boolean; violation: string | null } {
    const verdict = validateYjsUpdate(update, { doc: server, allowedRootTypes: [CONTENT_FIELD] });
    const probe = new Y.Doc();
    try {
      Y.applyUpdate(probe, Y.encodeStateAsUpdate(server));
      try {
        Y.applyUpdate(probe, update);
      } catch (error) {
        if (verdict.ok) throw error; // accepted but yjs cannot apply it: a failure of the validator
        return { accepted: false, violation: 'yjs cannot apply it' };
      }
      return { accepted: verdict.ok, violation: documentViolation(probe, schema) };
    } finally {
      probe.destroy();
    }
  }

  it('accepts a plain-Yjs edit exactly when the resulting document has nothing the schema forbids', () => {
    const random = prng(11);
    const server = serverDoc();
    let client = new Y.Doc();
    client.clientID = 1000;
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 1500; i++) {
      const sv = Y.encodeStateVector(client);
      randomEdit(random, client.getXmlFragment(CONTENT_FIELD));
      const update = Y.encodeStateAsUpdate(client, sv);
      const { accepted: ok, violation } = verdictAndOracle(server, update);
      expect([i, ok]).toEqual([i, violation === null]);
      if (ok) {
        accepted++;
        Y.applyUpdate(server, update);
        expect(() => schema.nodeFromJSON(yXmlFragmentToProsemirrorJSON(server.getXmlFragment(CONTENT_FIELD)))).not.toThrow();
      } else {
        refused++;
        // The refused edit is nowhere on the server: the client starts again from the server's state.
        client.destroy();
        client = new Y.Doc();
        client.clientID = 1001 + i;
        Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
      }
    }
    expect(accepted).toBeGreaterThan(300);
    expect(refused).toBeGreaterThan(300);
    client.destroy();
    server.destroy();
  });

  it('never accepts a mutated editor update that would put something forbidden in the document, and never throws', () => {
    const random = prng(12);
    const server = serverDoc();
    const editor = new HeadlessEditor(server);
    const base = Y.encodeStateAsUpdate(server);
    const edits = [
      editor.edit((state) => state.tr.insertText('x', startOf(state.doc, 1))),
      editor.edit((state) => state.tr.addMark(startOf(state.doc, 1), startOf(state.doc, 1) + 5, schema.marks['link'].create({ href: 'https://example.org' }))),
      editor.edit((state) => state.tr.setNodeMarkup(0, undefined, { level: 3 })),
      editor.edit((state) =>
        state.tr.insert(state.doc.content.size, schema.nodes['orderedList'].create({ start: 3 }, schema.nodes['listItem'].create(null, schema.nodes['paragraph'].create(null, schema.text('three'))))),
      ),
      editor.edit((state) => state.tr.insert(state.doc.content.size, schema.nodes['blockquote'].create(null, schema.nodes['paragraph'].create(null, schema.text('x()'))))),
    ];
    let acceptedMutants = 0;
    const replay = new Y.Doc();
    Y.applyUpdate(replay, base);
    for (const edit of edits) {
      for (let i = 0; i < 300; i++) {
        const mutated = edit.slice();
        const flips = 1 + Math.floor(random() * 2);
        for (let f = 0; f < flips; f++) {
          const at = Math.floor(random() * mutated.length);
          if (random() < 0.5) mutated[at] ^= 1 << Math.floor(random() * 8);
          else mutated[at] = Math.floor(random() * 256);
        }
        let outcome: { accepted: boolean; violation: string | null } | undefined;
        expect(() => {
          outcome = verdictAndOracle(replay, mutated);
        }).not.toThrow();
        if (outcome?.accepted) {
          acceptedMutants++;
          expect(outcome.violation).toBeNull();
        }
      }
      Y.applyUpdate(replay, edit);
    }
    expect(acceptedMutants).toBeGreaterThan(0);
    for (const d of [server, editor.replica, replay]) d.destroy();
  });
});
