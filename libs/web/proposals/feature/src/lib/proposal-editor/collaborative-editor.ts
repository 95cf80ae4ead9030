import { Editor } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import Link from '@tiptap/extension-link';
import { CharacterCount } from '@tiptap/extensions';
import StarterKit from '@tiptap/starter-kit';
import { CONTENT_FIELD, type DocumentBinding } from '@concord/web/proposals/data-access';

/**
 * A Tiptap editor bound to the proposal's live Y.Doc. Its content comes only from the document
 * (the server seeds it): no `content` option, ever.
 */
export function createCollaborativeEditor(binding: DocumentBinding, options: { label: string }): Editor {
  return new Editor({
    editable: !binding.readOnly,
    extensions: [
      StarterKit.configure({
        // Collaboration brings its own (per-user, Yjs-aware) undo.
        undoRedo: false,
        // Link is added below, configured; the trailing-node plugin would write to the shared
        // document merely by opening it.
        link: false,
        trailingNode: false,
      }),
      Link.configure({
        openOnClick: false,
        autolink: true,
        defaultProtocol: 'https',
      }),
      CharacterCount,
      Collaboration.configure({ document: binding.doc, field: CONTENT_FIELD }),
      CollaborationCaret.configure({ provider: binding.provider, user: binding.user }),
    ],
    editorProps: {
      attributes: {
        class: 'cc-prose',
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-label': options.label,
        'aria-readonly': String(binding.readOnly),
        spellcheck: 'true',
      },
    },
  });
}
