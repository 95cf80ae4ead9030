import { yXmlFragmentToProsemirrorJSON } from 'y-prosemirror';
import * as Y from 'yjs';
import { parseUpdateV1 } from './update-format';
import { isNoopUpdate, validateYjsUpdate } from './update-validation';
import { checkProseMirrorPlacement } from './update-placement';
import { toProseMirrorJson } from './rendering';
import { mulberry32 as prng } from '../testing/random';


/** A few real updates covering every content kind a Concord document and common apps produce. */
function realUpdates(): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const doc = new Y.Doc();
  doc.clientID = 7;
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const fragment = doc.getXmlFragment('content');
  const paragraph = new Y.XmlElement('paragraph');
  const heading = new Y.XmlElement('heading');
  heading.setAttribute('level', 2 as unknown as string);
  fragment.insert(0, [heading, paragraph]);
  const headingText = new Y.XmlText();
  heading.insert(0, [headingText]);
  headingText.insert(0, 'Title é 😀');
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  text.insert(0, 'Hello world');
  text.format(0, 5, { bold: true });
  text.insertEmbed(3, { image: 'x' });
  text.delete(1, 2);
  doc.getMap('meta').set('nested', { a: [1, 2.5, null, true, 'x', { b: new Uint8Array([1, 2]) }] });
  doc.getArray('arr').insert(0, [1, 'two', new Uint8Array([3])]);
  doc.getMap('sub').set('doc', new Y.Doc({ guid: 'sub-guid' }));
  updates.push(Y.encodeStateAsUpdate(doc));
  const other = new Y.Doc();
  other.clientID = 9;
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  const sv = Y.encodeStateVector(other);
  other.getXmlFragment('content').delete(0, 1);
  other.getText('t').insert(0, 'abc');
  updates.push(Y.encodeStateAsUpdate(other, sv));
  updates.push(Y.mergeUpdates(updates.slice(0, 4)));
  updates.push(Y.mergeUpdates([updates[0], updates[3]])); // with a gap: contains Skip structs
  doc.destroy();
  other.destroy();
  return updates;
}

describe('validateYjsUpdate', () => {
  const updates = realUpdates();

  it('accepts every real update, including state updates, merged updates and an empty update', () => {
    for (const update of updates) {
      expect(validateYjsUpdate(update, { schema: null })).toMatchObject({ ok: true });
    }
    expect(validateYjsUpdate(Y.encodeStateAsUpdate(new Y.Doc()))).toMatchObject({ ok: true });
    // With the default editor schema: the ProseMirror content is fine, the maps, arrays and
    // subdocument of the same document are not
    expect(validateYjsUpdate(updates[0])).toMatchObject({ ok: true });
    expect(validateYjsUpdate(updates[updates.length - 4])).toMatchObject({ ok: false });
  });

  it('rejects zero-length, oversized, truncated and trailing-garbage updates with a reason', () => {
    const update = updates[updates.length - 3];
    expect(validateYjsUpdate(new Uint8Array(0))).toEqual({ ok: false, reason: expect.stringMatching(/empty/) });
    expect(validateYjsUpdate(update, { maxBytes: 10 })).toEqual({
      ok: false,
      reason: expect.stringMatching(/more than the limit of 10/),
    });
    expect(validateYjsUpdate(update.subarray(0, update.length - 1))).toMatchObject({ ok: false });
    const withTrailing = new Uint8Array([...update, 0]);
    expect(validateYjsUpdate(withTrailing)).toEqual({ ok: false, reason: expect.stringMatching(/unexpected bytes/) });
    expect(validateYjsUpdate('abc' as unknown as Uint8Array)).toMatchObject({ ok: false });
  });

  it('rejects the inputs of yjs issues #479 and #498', () => {
    expect(validateYjsUpdate(new Uint8Array(Buffer.from('garbagedoc', 'base64')))).toMatchObject({ ok: false });
    expect(validateYjsUpdate(new Uint8Array())).toMatchObject({ ok: false });
  });

  it('rejects deep nesting that would overflow yjs’s recursive decoder', () => {
    // sections=1, structs=1, client=5, clock=0, info=8 (Any), parent info=1, key "root",
    // one Any value [[[[…null…]]]] nested 10 000 deep, then an empty delete set
    const nested: number[] = [];
    for (let i = 0; i < 10_000; i++) nested.push(117, 1);
    const update = new Uint8Array([1, 1, 5, 0, 8, 1, 4, ...Buffer.from('root'), 1, ...nested, 126, 0]);
    expect(() => Y.applyUpdate(new Y.Doc(), update)).toThrow(/call stack/); // what yjs itself does
    const result = validateYjsUpdate(update);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/nested deeper/) });
  });

  it('rejects unknown content and type refs and self-references to the future', () => {
    // info 11 = unknown content kind
    expect(validateYjsUpdate(new Uint8Array([1, 1, 5, 0, 11, 0, 0]))).toEqual({
      ok: false,
      reason: expect.stringMatching(/unknown struct kind 11/),
    });
    // type item with type ref 9
    expect(validateYjsUpdate(new Uint8Array([1, 1, 5, 0, 7, 1, 1, 120, 9, 0]))).toEqual({
      ok: false,
      reason: expect.stringMatching(/unknown type ref 9/),
    });
    // string item whose origin is its own clock
    expect(validateYjsUpdate(new Uint8Array([1, 1, 5, 0, 4 | 128, 5, 0, 1, 97, 0]))).toEqual({
      ok: false,
      reason: expect.stringMatching(/future clock/),
    });
  });

  it('restricts root types when asked', () => {
    expect(validateYjsUpdate(updates[0], { allowedRootTypes: ['content'] })).toMatchObject({ ok: true });
    expect(validateYjsUpdate(updates[updates.length - 4], { allowedRootTypes: ['content'] })).toEqual({
      ok: false,
      reason: expect.stringMatching(/root type "meta"/),
    });
  });

  it('restricts shared types to what a ProseMirror document holds when asked', () => {
    const options = { contentModel: 'prosemirror' as const };
    expect(validateYjsUpdate(updates[0], options)).toMatchObject({ ok: true });
    const withHook = new Y.Doc();
    withHook.getXmlFragment('content').insert(0, [new Y.XmlHook('hook') as unknown as Y.XmlElement]);
    expect(validateYjsUpdate(Y.encodeStateAsUpdate(withHook), options)).toEqual({
      ok: false,
      reason: expect.stringMatching(/YXmlHook/),
    });
    const withSubdoc = new Y.Doc();
    withSubdoc.getMap('m').set('doc', new Y.Doc());
    expect(validateYjsUpdate(Y.encodeStateAsUpdate(withSubdoc), options)).toEqual({
      ok: false,
      reason: expect.stringMatching(/subdocument/),
    });
    withHook.destroy();
    withSubdoc.destroy();
  });

  describe('fuzzing: never throws, never hangs', () => {
    // A hang would never return and a slow path would move the median. Single calls are only
    // bounded loosely: garbage collection and a loaded machine pause the clock now and then.
    let durations: number[] = [];
    beforeEach(() => {
      durations = [];
    });
    afterEach(() => {
      durations.sort((a, b) => a - b);
      expect(durations[Math.floor(durations.length / 2)]).toBeLessThan(1);
      expect(durations[durations.length - 1]).toBeLessThan(1000);
    });

    function check(bytes: Uint8Array): void {
      const start = performance.now();
      let result: ReturnType<typeof validateYjsUpdate> | undefined;
      expect(() => {
        result = validateYjsUpdate(bytes);
      }).not.toThrow();
      durations.push(performance.now() - start);
      expect(result).toBeDefined();
    }

    it('random byte arrays', () => {
      const random = prng(1);
      let accepted = 0;
      for (let i = 0; i < 5000; i++) {
        const length = 1 + Math.floor(random() * 64);
        const bytes = new Uint8Array(length);
        for (let j = 0; j < length; j++) bytes[j] = Math.floor(random() * 256);
        check(bytes);
        if (validateYjsUpdate(bytes).ok) accepted++;
      }
      expect(accepted).toBeLessThan(5000);
    });

    it('random bytes biased towards small values (plausible structure)', () => {
      const random = prng(2);
      for (let i = 0; i < 5000; i++) {
        const length = 1 + Math.floor(random() * 48);
        const bytes = new Uint8Array(length);
        for (let j = 0; j < length; j++) bytes[j] = random() < 0.7 ? Math.floor(random() * 10) : Math.floor(random() * 256);
        check(bytes);
      }
    });

    it('every truncation of real updates', () => {
      for (const update of updates) {
        for (let cut = 0; cut < update.length; cut++) {
          check(update.subarray(0, cut));
        }
      }
    });

    it('bit flips and byte substitutions of real updates', () => {
      const random = prng(3);
      for (const update of updates) {
        for (let i = 0; i < 400; i++) {
          const mutated = update.slice();
          const flips = 1 + Math.floor(random() * 3);
          for (let f = 0; f < flips; f++) {
            const at = Math.floor(random() * mutated.length);
            if (random() < 0.5) mutated[at] ^= 1 << Math.floor(random() * 8);
            else mutated[at] = Math.floor(random() * 256);
          }
          check(mutated);
        }
      }
    });

    it('whatever it accepts, yjs applies without throwing (and trialApply agrees)', () => {
      const random = prng(4);
      let accepted = 0;
      for (const update of updates) {
        for (let i = 0; i < 300; i++) {
          const mutated = update.slice();
          mutated[Math.floor(random() * mutated.length)] ^= 1 << Math.floor(random() * 8);
          const start = performance.now();
          const verdict = validateYjsUpdate(mutated, { trialApply: false });
          durations.push(performance.now() - start);
          if (verdict.ok) {
            accepted++;
            expect(validateYjsUpdate(mutated, { trialApply: true })).toMatchObject({ ok: true });
            const doc = new Y.Doc();
            expect(() => Y.applyUpdate(doc, mutated)).not.toThrow();
            doc.destroy();
          }
        }
      }
      expect(accepted).toBeGreaterThan(0);
    });
  });

  it('validates a 1 MiB update quickly', () => {
    const doc = new Y.Doc();
    const text = doc.getXmlFragment('content');
    const paragraph = new Y.XmlElement('paragraph');
    text.insert(0, [paragraph]);
    const xmlText = new Y.XmlText();
    paragraph.insert(0, [xmlText]);
    // many small items rather than one long string
    doc.transact(() => {
      for (let i = 0; i < 25_000; i++) xmlText.insert((i * 7) % (xmlText.length + 1), 'ab');
    });
    const update = Y.encodeStateAsUpdate(doc);
    expect(update.length).toBeGreaterThan(500_000);
    expect(update.length).toBeLessThan(1_048_576);
    const start = performance.now();
    expect(validateYjsUpdate(update)).toMatchObject({ ok: true });
    expect(performance.now() - start).toBeLessThan(5000); // ~0.1–0.2 s on an idle machine
    expect(validateYjsUpdate(update, { trialApply: true })).toMatchObject({ ok: true });
    doc.destroy();
  });
});

describe('parseUpdateV1', () => {
  it('reports the clock ranges of a transaction and its deletes', () => {
    const doc = new Y.Doc();
    doc.clientID = 42;
    const text = doc.getText('t');
    text.insert(0, 'hello');
    const sv = Y.encodeStateVector(doc);
    doc.transact(() => {
      text.insert(5, '!!');
      text.delete(0, 1);
    });
    const parsed = parseUpdateV1(Y.encodeStateAsUpdate(doc, sv));
    expect(parsed.structs).toEqual([{ client: 42, clock: 5, length: 2, kind: 'string' }]);
    expect(parsed.deletes).toEqual([{ client: 42, clock: 0, length: 1 }]);
    doc.destroy();
  });
});

describe('isNoopUpdate', () => {
  it('tells updates that change nothing from those that do', () => {
    const doc = new Y.Doc();
    const edits: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => edits.push(u));
    const text = doc.getText('t');
    text.insert(0, 'hello');
    text.delete(0, 1);

    const replica = new Y.Doc();
    expect(isNoopUpdate(replica, edits[0])).toBe(false);
    Y.applyUpdate(replica, edits[0]);
    expect(isNoopUpdate(replica, edits[0])).toBe(true);
    expect(isNoopUpdate(replica, edits[1])).toBe(false);
    Y.applyUpdate(replica, edits[1]);
    expect(isNoopUpdate(replica, edits[1])).toBe(true);
    expect(isNoopUpdate(replica, Y.encodeStateAsUpdate(doc))).toBe(true);
    expect(isNoopUpdate(replica, Y.encodeStateAsUpdate(new Y.Doc()))).toBe(true);

    // a delete of something the replica has not seen yet is not a no-op
    const ahead = new Y.Doc();
    Y.applyUpdate(ahead, Y.encodeStateAsUpdate(doc));
    const sv = Y.encodeStateVector(ahead);
    ahead.getText('t').insert(0, 'x');
    const insertOnly = Y.encodeStateAsUpdate(ahead, sv);
    expect(isNoopUpdate(replica, insertOnly)).toBe(false);
    for (const d of [doc, replica, ahead]) d.destroy();
  });

  it('treats a noop against a garbage-collected document correctly', () => {
    const doc = new Y.Doc({ gc: true });
    const text = doc.getText('t');
    text.insert(0, 'abc');
    const full = Y.encodeStateAsUpdate(doc);
    text.delete(0, 3);
    expect(isNoopUpdate(doc, full)).toBe(true);
    doc.destroy();
  });
});

describe('checkProseMirrorPlacement (validateYjsUpdate with a document)', () => {
  /** A server document: one paragraph "Hello" by client 1. */
  function server(): Y.Doc {
    const doc = new Y.Doc();
    doc.clientID = 1;
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    doc.getXmlFragment('content').insert(0, [paragraph]);
    text.insert(0, 'Hello');
    return doc;
  }

  /** An update made on a replica of `doc` by client 2. */
  function editOn(doc: Y.Doc, change: (fragment: Y.XmlFragment, text: Y.XmlText) => void): Uint8Array {
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    replica.clientID = 2;
    const sv = Y.encodeStateVector(replica);
    const fragment = replica.getXmlFragment('content');
    change(fragment, (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText);
    const update = Y.encodeStateAsUpdate(replica, sv);
    replica.destroy();
    return update;
  }

  const strict = (doc: Y.Doc) => ({ doc, contentModel: 'prosemirror' as const, allowedRootTypes: ['content'] });

  it('accepts what an editor writes', () => {
    const doc = server();
    const edits = [
      editOn(doc, (_, text) => text.insert(5, ' world')),
      editOn(doc, (_, text) => text.format(0, 2, { bold: {} })),
      editOn(doc, (_, text) => text.delete(0, 1)),
      editOn(doc, (fragment) => {
        const heading = new Y.XmlElement('heading');
        heading.setAttribute('level', 2 as unknown as string);
        const text = new Y.XmlText();
        text.insert(0, 'Title');
        heading.insert(0, [text]);
        fragment.insert(0, [heading]);
      }),
      editOn(doc, (fragment) => fragment.delete(0, 1)),
    ];
    for (const update of edits) {
      expect(validateYjsUpdate(update, strict(doc))).toMatchObject({ ok: true });
      expect(checkProseMirrorPlacement(doc, update)).toBeNull();
    }
    // Well placed but not in the editor's schema: placement alone lets it through, the default check does not
    const unknownAttribute = editOn(doc, (fragment) => (fragment.get(0) as Y.XmlElement).setAttribute('data-x', 'y'));
    expect(checkProseMirrorPlacement(doc, unknownAttribute)).toBeNull();
    expect(validateYjsUpdate(unknownAttribute, { ...strict(doc), schema: null })).toMatchObject({ ok: true });
    expect(validateYjsUpdate(unknownAttribute, strict(doc))).toEqual({ ok: false, reason: expect.stringMatching(/no attribute "data-x"/) });
    doc.destroy();
  });

  it('rejects content a ProseMirror document cannot hold, which would break rendering', () => {
    const doc = server();
    const misplaced: Array<[Uint8Array, RegExp]> = [
      [editOn(doc, (fragment) => fragment.insert(0, [new Y.XmlText('loose text')])), /children of the document/],
      [
        editOn(doc, (fragment) => (fragment.get(0) as Y.XmlElement).insert(0, [new Y.XmlHook('h') as unknown as Y.XmlElement])),
        /YXmlHook/,
      ],
      [editOn(doc, (_, text) => text.insertEmbed(0, { image: 'x' })), /text and marks/],
      [editOn(doc, (_, text) => text.setAttribute('x', new Y.XmlElement('p') as unknown as string)), /attribute cannot hold/],
    ];
    for (const [update, reason] of misplaced) {
      expect(validateYjsUpdate(update, strict(doc))).toEqual({ ok: false, reason: expect.stringMatching(reason) });
    }
    // Hand-made: a string item whose parent is the paragraph element (not a text node).
    // sections=1, structs=1, client=3, clock=0, info=4 (string), parent info=0, parent id (1,0), "x", no deletes
    const stringInElement = new Uint8Array([1, 1, 3, 0, 4, 0, 1, 0, 1, 120, 0]);
    expect(validateYjsUpdate(stringInElement)).toMatchObject({ ok: true }); // well-formed for yjs…
    const probe = server();
    Y.applyUpdate(probe, stringInElement);
    // …but y-prosemirror cannot render it (toProseMirrorJson then falls back to a lenient rendering)
    expect(() => yXmlFragmentToProsemirrorJSON(probe.getXmlFragment('content'))).toThrow();
    expect(toProseMirrorJson(probe).content).toHaveLength(1);
    expect(validateYjsUpdate(stringInElement, strict(doc))).toEqual({
      ok: false,
      reason: expect.stringMatching(/item 3:0: only elements and text/),
    });
    // A string whose parent is a character, not a type.
    const parentIsText = new Uint8Array([1, 1, 3, 0, 4, 0, 1, 3, 1, 120, 0]);
    expect(validateYjsUpdate(parentIsText, strict(doc))).toEqual({ ok: false, reason: expect.stringMatching(/not a shared type/) });
    probe.destroy();
    doc.destroy();
  });

  it('accepts an edit inside a paragraph someone else deleted meanwhile: yjs drops it, nothing is refused', () => {
    // The server (gc on) has deleted the paragraph: its item keeps no content (ContentDeleted).
    const doc = server();
    const emptyParagraph = new Y.XmlElement('paragraph');
    doc.getXmlFragment('content').insert(1, [emptyParagraph]);
    // A writer who still sees the empty paragraph starts typing in it (an explicit parent: the
    // first text of an empty element has no neighbour to be placed by), or undoes into it.
    const typedInto = editOn(doc, (fragment) => (fragment.get(1) as Y.XmlElement).insert(0, [new Y.XmlText('lost words')]));
    const beforeDelete = validateYjsUpdate(typedInto, strict(doc));
    expect(beforeDelete).toMatchObject({ ok: true });
    doc.getXmlFragment('content').delete(1, 1);
    expect(validateYjsUpdate(typedInto, strict(doc))).toMatchObject({ ok: true });
    Y.applyUpdate(doc, typedInto);
    expect(doc.getXmlFragment('content').length).toBe(1);
    expect(doc.getXmlFragment('content').toString()).not.toContain('lost words');
    // The same in a document that keeps deleted content (gc off): the deleted type is still there.
    const kept = new Y.Doc({ gc: false });
    Y.applyUpdate(kept, Y.encodeStateAsUpdate(server()));
    const keptParagraph = new Y.XmlElement('paragraph');
    kept.getXmlFragment('content').insert(1, [keptParagraph]);
    const intoKept = editOn(kept, (fragment) => (fragment.get(1) as Y.XmlElement).insert(0, [new Y.XmlText('x')]));
    kept.getXmlFragment('content').delete(1, 1);
    expect(validateYjsUpdate(intoKept, strict(kept))).toMatchObject({ ok: true });
    // A parent that is a character stays refused (above): only a deleted type's children pass.
    kept.destroy();
    doc.destroy();
  });

  it('resolves parents through origins inside the update and lets pending items through', () => {
    const doc = server();
    // Many items chained by origins within one update: typed offline, sent at once.
    const typed = editOn(doc, (_, text) => {
      for (let i = 0; i < 2000; i++) text.insert(text.length, 'x');
    });
    expect(validateYjsUpdate(typed, strict(doc))).toMatchObject({ ok: true });
    // An edit on top of something the server has not received yet: its parent is unknown.
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    Y.applyUpdate(replica, typed);
    replica.clientID = 5;
    const sv = Y.encodeStateVector(replica);
    ((replica.getXmlFragment('content').get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(100, 'y');
    const dependent = Y.encodeStateAsUpdate(replica, sv);
    expect(validateYjsUpdate(dependent, strict(doc))).toMatchObject({ ok: true });
    replica.destroy();
    doc.destroy();
  });
});
