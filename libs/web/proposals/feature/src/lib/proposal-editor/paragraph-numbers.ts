import { Extension, type Editor } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { type EditorState, Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { BLOCK_ID_ATTRIBUTE } from '@concord/web/proposals/data-access';

interface NumbersState {
  readonly numbers: ReadonlyMap<string, string>;
  readonly decorations: DecorationSet;
}

const paragraphNumbersKey = new PluginKey<NumbersState>('paragraphNumbers');

/**
 * The number before a paragraph, drawn by CSS from `data-number` (`::before`): screen readers read it
 * with the paragraph ("3.4 Workers pay…"), while copying, selecting and the editor's text leave it out.
 */
function label(number: string): HTMLElement {
  const element = document.createElement('span');
  element.className = 'cc-para-number';
  element.setAttribute('contenteditable', 'false');
  element.dataset['testid'] = 'para-number';
  element.dataset['number'] = number;
  return element;
}

function decorate(doc: ProseMirrorNode, numbers: ReadonlyMap<string, string>): DecorationSet {
  if (numbers.size === 0) return DecorationSet.empty;
  const decorations: Decoration[] = [];
  doc.descendants((node, pos) => {
    const id = node.attrs[BLOCK_ID_ATTRIBUTE] as unknown;
    const number = typeof id === 'string' ? numbers.get(id) : undefined;
    if (number !== undefined && (node.type.name === 'paragraph' || node.type.name === 'listItem')) {
      // Inside the block, before its words (a list item's: inside its first paragraph).
      const at = node.type.name === 'listItem' ? pos + 2 : pos + 1;
      decorations.push(Decoration.widget(at, () => label(number), { side: -1, ignoreSelection: true, key: `${id}:${number}` }));
    }
    return node.type.name !== 'paragraph';
  });
  return DecorationSet.create(doc, decorations);
}

/**
 * Paragraph numbers in the editor's margin ("3.4", "3.4(a)"): the submission's numbering, as its
 * exports print it, shown against each paragraph by its stable block id, so that people can say
 * "para 3.4" in a comment and mean the words the export numbers so. Decorations only: the numbers
 * are not part of the shared text. New paragraphs get theirs when the page re-reads the numbering.
 */
export const ParagraphNumbers = Extension.create({
  name: 'paragraphNumbers',
  addProseMirrorPlugins() {
    return [
      new Plugin<NumbersState>({
        key: paragraphNumbersKey,
        state: {
          init: () => ({ numbers: new Map(), decorations: DecorationSet.empty }),
          apply(tr, value) {
            const numbers = tr.getMeta(paragraphNumbersKey) as ReadonlyMap<string, string> | undefined;
            if (numbers) return { numbers, decorations: decorate(tr.doc, numbers) };
            return tr.docChanged ? { numbers: value.numbers, decorations: value.decorations.map(tr.mapping, tr.doc) } : value;
          },
        },
        props: {
          decorations: (state) => paragraphNumbersKey.getState(state)?.decorations ?? null,
        },
      }),
    ];
  },
});

/** Shows these numbers (block id → number) in the editor. */
export function showParagraphNumbers(editor: Editor, numbers: ReadonlyMap<string, string>): void {
  if (editor.isDestroyed) return;
  editor.view.dispatch(editor.state.tr.setMeta(paragraphNumbersKey, numbers).setMeta('addToHistory', false));
}

/** The order of the blocks' ids: when it changes (a paragraph added, removed, moved), the numbers may have. */
export function blockOrderOf(doc: ProseMirrorNode): string {
  const ids: string[] = [];
  doc.descendants((node) => {
    const id = node.attrs[BLOCK_ID_ATTRIBUTE] as unknown;
    if (typeof id === 'string') ids.push(id);
    return node.type.name !== 'paragraph' && node.type.name !== 'heading';
  });
  return ids.join(' ');
}

/**
 * The number of the paragraph (or list item) holding position `pos`: the innermost numbered block
 * around it, as `numbers` numbers it ("para 3.4" of a comment's words), or null.
 */
export function paragraphNumberAt(state: EditorState, pos: number, numbers: ReadonlyMap<string, string>): string | null {
  if (numbers.size === 0 || pos < 0 || pos > state.doc.content.size) return null;
  const $pos = state.doc.resolve(pos);
  for (let depth = $pos.depth; depth > 0; depth--) {
    const id = $pos.node(depth).attrs[BLOCK_ID_ATTRIBUTE] as unknown;
    const number = typeof id === 'string' ? numbers.get(id) : undefined;
    if (number !== undefined) return number;
  }
  return null;
}
