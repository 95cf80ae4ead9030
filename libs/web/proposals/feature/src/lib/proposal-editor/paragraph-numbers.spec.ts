import { CONTENT_FIELD, FakeCollabProvider } from '@concord/web/proposals/data-access';
import * as Y from 'yjs';
import { createCollaborativeEditor } from './collaborative-editor';
import { blockOrderOf, paragraphNumberAt, showParagraphNumbers } from './paragraph-numbers';

/** A shared document as the server holds it: two paragraphs and a list item, each with its block id. */
function sharedDocument(): Y.Doc {
  const doc = new Y.Doc();
  const block = (name: string, id: string, children: Array<Y.XmlElement | Y.XmlText>) => {
    const element = new Y.XmlElement(name);
    element.setAttribute('id', id);
    element.insert(0, children);
    return element;
  };
  const list = new Y.XmlElement('bulletList');
  list.insert(0, [block('listItem', 'item-1', [block('paragraph', 'item-1-p', [new Y.XmlText('A sub-paragraph.')])])]);
  doc.getXmlFragment(CONTENT_FIELD).insert(0, [block('paragraph', 'para-1', [new Y.XmlText('Workers pay no fees.')]), list, block('paragraph', 'para-2', [new Y.XmlText('States report.')])]);
  return doc;
}

describe('paragraph numbers in the editor', () => {
  it('shows each numbered block’s number before its words, as decorations that are not part of the text', () => {
    const doc = sharedDocument();
    const provider = new FakeCollabProvider('ws://test', 'p-1', doc, 't');
    const editor = createCollaborativeEditor(
      { proposalId: 'p-1', userId: 'u-1', doc, provider, user: { name: 'Amina Rahman', color: '#0b57d0' }, readOnly: false },
      { label: 'Text', editable: true, onChangeRefused: () => undefined },
    );
    try {
      const before = doc.getXmlFragment(CONTENT_FIELD).toString();
      expect(blockOrderOf(editor.state.doc)).toBe('para-1 item-1 item-1-p para-2');
      showParagraphNumbers(editor, new Map([['para-1', '3.1'], ['item-1', '3.1(a)'], ['para-2', '3.2']]));
      const labels = [...editor.view.dom.querySelectorAll('.cc-para-number')];
      expect(labels.map((label) => (label as HTMLElement).dataset['number'])).toEqual(['3.1', '3.1(a)', '3.2']);
      expect(labels.every((label) => label.getAttribute('contenteditable') === 'false')).toBe(true);
      // Drawn by CSS (::before): not in the text a reader copies.
      expect(editor.view.dom.querySelector('p')?.textContent).toBe('Workers pay no fees.');
      // Numbers are not text: the shared document and the editor's text are unchanged.
      expect(editor.state.doc.textContent).toBe('Workers pay no fees.A sub-paragraph.States report.');
      expect(doc.getXmlFragment(CONTENT_FIELD).toString()).toBe(before);
      // The paragraph holding a position (a comment's words): the innermost numbered block around it.
      const numbers = new Map([['para-1', '3.1'], ['item-1', '3.1(a)'], ['para-2', '3.2']]);
      const positionOf = (words: string) => {
        let found = -1;
        editor.state.doc.descendants((node, pos) => {
          if (found < 0 && node.isText && node.text?.includes(words)) found = pos + (node.text?.indexOf(words) ?? 0);
        });
        return found;
      };
      expect(paragraphNumberAt(editor.state, positionOf('no fees'), numbers)).toBe('3.1');
      expect(paragraphNumberAt(editor.state, positionOf('sub-paragraph'), numbers)).toBe('3.1(a)');
      expect(paragraphNumberAt(editor.state, positionOf('report'), numbers)).toBe('3.2');
      expect(paragraphNumberAt(editor.state, positionOf('report'), new Map())).toBeNull();
      showParagraphNumbers(editor, new Map([['para-2', '3.5']]));
      expect([...editor.view.dom.querySelectorAll('.cc-para-number')].map((label) => (label as HTMLElement).dataset['number'])).toEqual(['3.5']);
    } finally {
      editor.destroy();
      provider.destroy();
      doc.destroy();
    }
  });
});
