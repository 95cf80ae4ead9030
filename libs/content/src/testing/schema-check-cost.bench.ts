// What the schema check costs per keystroke on a 30-page document, against the alternative of
// checking the whole resulting document. Not part of the test run (no timed assertions); run with
//   npx jest -c libs/content/jest.config.cjs --testMatch '**/schema-check-cost.bench.ts'
import { yXmlFragmentToProsemirrorJSON } from 'y-prosemirror';
import * as Y from 'yjs';
import { CONTENT_FIELD, DEFAULT_MAX_UPDATE_BYTES, getEditorSchema, seedUpdateFromProseMirrorJson, validateYjsUpdate } from '../index';

const WORDS = 'the ministries of the member states agree to cooperate on safe orderly and regular migration through'.split(' ');

/** About 30 pages: 30 × (a heading, 8 paragraphs of ~70 words with a link and bold, a 3-item list). */
function thirtyPages(): Y.Doc {
  const paragraph = (n: number) => {
    const words = Array.from({ length: 70 }, (_, i) => WORDS[(n * 7 + i) % WORDS.length]).join(' ');
    return {
      type: 'paragraph',
      content: [
        { type: 'text', text: words.slice(0, 200) },
        { type: 'text', text: ' annex ', marks: [{ type: 'link', attrs: { href: 'https://example.org/annex' } }] },
        { type: 'text', text: words.slice(200), marks: n % 3 === 0 ? [{ type: 'bold' }] : undefined },
      ],
    };
  };
  const content: unknown[] = [];
  for (let page = 0; page < 30; page++) {
    content.push({ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: `Section ${page + 1}` }] });
    for (let p = 0; p < 8; p++) content.push(paragraph(page * 8 + p));
    content.push({
      type: 'bulletList',
      content: [1, 2, 3].map((i) => ({ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: `point ${i}` }] }] })),
    });
  }
  const doc = new Y.Doc();
  Y.applyUpdate(doc, seedUpdateFromProseMirrorJson({ type: 'doc', content }));
  return doc;
}

function microseconds(runs: number, body: () => void): number {
  for (let i = 0; i < Math.min(200, runs); i++) body(); // warm up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    body();
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  samples.sort((a, b) => a - b);
  return Math.round(samples[Math.floor(samples.length / 2)]);
}

it('measures', () => {
  const server = thirtyPages();
  const schema = getEditorSchema();
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
  replica.clientID = 4242;
  const sv = Y.encodeStateVector(replica);
  const middle = replica.getXmlFragment(CONTENT_FIELD).get(150) as Y.XmlElement;
  (middle.get(0) as Y.XmlText).insert(40, 'x');
  const keystroke = Y.encodeStateAsUpdate(replica, sv);
  const socketBefore = { maxBytes: DEFAULT_MAX_UPDATE_BYTES, allowedRootTypes: [CONTENT_FIELD], schema: null };
  const figures = {
    documentBytes: Y.encodeStateAsUpdate(server).length,
    textCharacters: server.getXmlFragment(CONTENT_FIELD).toArray().reduce((sum, node) => sum + node.toString().replace(/<[^>]*>/g, "").length, 0),
    keystrokeBytes: keystroke.length,
    beforeNoSchemaCheck: microseconds(5000, () => validateYjsUpdate(keystroke, socketBefore)),
    afterUpdateAlone: microseconds(5000, () => validateYjsUpdate(keystroke, { maxBytes: DEFAULT_MAX_UPDATE_BYTES, allowedRootTypes: [CONTENT_FIELD] })),
    afterWithLiveDocument: microseconds(5000, () =>
      validateYjsUpdate(keystroke, { maxBytes: DEFAULT_MAX_UPDATE_BYTES, allowedRootTypes: [CONTENT_FIELD], doc: server }),
    ),
    wholeDocumentCheck: microseconds(30, () => {
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(server));
      Y.applyUpdate(copy, keystroke);
      schema.nodeFromJSON(yXmlFragmentToProsemirrorJSON(copy.getXmlFragment(CONTENT_FIELD))).check();
      copy.destroy();
    }),
    wholeDocumentCheckWithoutCopy: microseconds(30, () => {
      schema.nodeFromJSON(yXmlFragmentToProsemirrorJSON(server.getXmlFragment(CONTENT_FIELD))).check();
    }),
  };
  console.log(JSON.stringify(figures, null, 2));
  replica.destroy();
  server.destroy();
});
