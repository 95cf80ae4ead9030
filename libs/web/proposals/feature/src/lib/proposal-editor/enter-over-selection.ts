import { Extension } from '@tiptap/core';
import { NodeSelection } from '@tiptap/pm/state';

/**
 * Enter over a selection that spans blocks (from a quote into the paragraph after it, from a list
 * item into the next item…). Tiptap's `splitBlock` (and the list item's Enter) decide where and how
 * deep to split before they delete the selection, then split the changed document there: ProseMirror
 * throws ("TransformError: Invalid content for node blockquote", "Cannot join listItem onto
 * paragraph"…), nothing happens, and the error reaches the console. ProseMirror's own `splitBlock`
 * deletes first. So does this: it deletes the selection, then lets Enter do what it does at a caret.
 */
export const EnterOverSelection = Extension.create({
  name: 'enterOverSelection',
  // Before the list item's and the core keymap's Enter.
  priority: 1000,

  addKeyboardShortcuts() {
    return {
      Enter: ({ editor }) => {
        const { selection } = editor.state;
        if (selection.empty || selection instanceof NodeSelection || selection.$from.sameParent(selection.$to)) return false;
        editor.commands.deleteSelection();
        // Not handled: the next Enter handlers run on the state after the deletion.
        return false;
      },
    };
  },
});
