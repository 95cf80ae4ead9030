import * as Y from 'yjs';
import { compareBlocks, documentBlocks } from './document-text';

function element(name: string, children: Array<Y.XmlElement | Y.XmlText>): Y.XmlElement {
  const node = new Y.XmlElement(name);
  node.insert(0, children);
  return node;
}

describe('document text', () => {
  it('reads headings, paragraphs and list items as blocks, without formatting', () => {
    const doc = new Y.Doc();
    const bold = new Y.XmlText();
    const fragment = doc.getXmlFragment('content');
    fragment.insert(0, [
      element('heading', [new Y.XmlText('Purpose')]),
      element('paragraph', [bold]),
      element('bulletList', [element('listItem', [element('paragraph', [new Y.XmlText('First')])]), element('listItem', [element('paragraph', [new Y.XmlText('Second')])])]),
    ]);
    bold.insert(0, 'Workers ');
    bold.insert(8, 'pay nothing', { bold: true });
    expect(documentBlocks(fragment)).toEqual(['Purpose', 'Workers pay nothing', '• First', '• Second']);
  });

  it('compares blocks: what the local version adds and removes', () => {
    expect(compareBlocks(['A', 'B', 'C'], ['A', 'X', 'C', 'D'])).toEqual([
      { kind: 'same', text: 'A' },
      { kind: 'added', text: 'X' },
      { kind: 'removed', text: 'B' },
      { kind: 'same', text: 'C' },
      { kind: 'added', text: 'D' },
    ]);
  });
});
