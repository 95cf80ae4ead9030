import { type Attribute, Editor } from '@tiptap/core';
import Collaboration, { isChangeOrigin } from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import Link from '@tiptap/extension-link';
import UniqueID from '@tiptap/extension-unique-id';
import { CharacterCount } from '@tiptap/extensions';
import StarterKit from '@tiptap/starter-kit';
import {
  BLOCK_ID_ATTRIBUTE,
  BLOCK_ID_TYPES,
  CONTENT_FIELD,
  type DocumentBinding,
  SuggestionDelete,
  SuggestionInsert,
} from '@concord/web/proposals/data-access';
import { ChangeLimit, MAX_CHANGE_BYTES } from './change-limit';
import { EnterOverSelection } from './enter-over-selection';
import { ParagraphNumbers } from './paragraph-numbers';
import { normalisePastedHtml } from './paste-html';
import { SuggestionMode } from './suggestion-mode';
import { guardSyncBinding } from './sync-guard';
import { ThreadAnchors } from './thread-anchors';

/** A link keeps its address only: a pasted link's classes, titles or targets are foreign. */
const SchemaLink = Link.extend({
  addAttributes() {
    const inherited = (this.parent?.() ?? {}) as Record<string, Attribute>;
    return { href: inherited['href'] ?? { default: null } };
  },
});

/**
 * Stable block ids (libs/content `block-ids.ts`): the editor gives each paragraph, heading and list
 * item it creates, splits or pastes its own id, so its own updates carry them. Remote changes are
 * left alone (`filterTransaction`), and so is the document as opened: unlike the extension's
 * default, opening a text writes nothing — blocks from before ids (or from a plain Yjs client) get
 * theirs from the server, which keeps ids true after every recorded edit.
 *
 * The ids it appends are marked `preventClearDocument`. Tiptap's `clearDocument` rule (a change that
 * empties a wholly selected text turns what is left into plain paragraphs) otherwise answers every
 * id change with a new document, and UniqueID every new document with new ids: selecting an empty
 * heading and an empty list item and pressing Quote froze the tab (editor-commands.e2e.spec.ts).
 */
const BlockIds = UniqueID.extend({
  onCreate() {
    // The server numbers what it has; a reader opening a text must not write to it.
  },
  addProseMirrorPlugins() {
    return (this.parent?.() ?? []).map((plugin) => {
      const append = plugin.spec.appendTransaction;
      if (append) {
        plugin.spec.appendTransaction = (transactions, oldState, newState) => append.call(plugin, transactions, oldState, newState)?.setMeta('preventClearDocument', true);
      }
      return plugin;
    });
  },
}).configure({
  types: [...BLOCK_ID_TYPES],
  attributeName: BLOCK_ID_ATTRIBUTE,
  generateID: () => globalThis.crypto.randomUUID(),
  filterTransaction: (transaction) => !isChangeOrigin(transaction),
});

export interface CollaborativeEditorOptions {
  label: string;
  editable: boolean;
  /** Told when a change is refused before entering the document (over MAX_CHANGE_BYTES). */
  onChangeRefused: (estimatedBytes: number) => void;
  /** Ctrl+Alt+M (Cmd+Alt+M): comment on the selected words. */
  onCommentShortcut?: () => void;
  /** Told when something cannot be suggested in suggestion mode (a new paragraph, formatting). */
  onSuggestionBlocked?: (what: string) => void;
}

/**
 * A Tiptap editor bound to the proposal's live Y.Doc. Its content comes only from the document
 * (the server seeds it): no `content` option, ever.
 *
 * The schema is what the toolbar offers — headings 2 and 3, paragraphs, bulleted and numbered
 * lists, quotes, bold, italic, links (and line breaks) — so pasted HTML keeps those and loses every
 * foreign style. Undo and redo are the Collaboration extension's Yjs UndoManager: a user undoes
 * only their own changes (Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y).
 */
export function createCollaborativeEditor(binding: DocumentBinding, options: CollaborativeEditorOptions): Editor {
  const editor = new Editor({
    editable: options.editable,
    extensions: [
      StarterKit.configure({
        // Collaboration brings its own (per-user, Yjs-aware) undo.
        undoRedo: false,
        // Link is added below, configured; the trailing-node plugin would write to the shared
        // document merely by opening it.
        link: false,
        trailingNode: false,
        heading: { levels: [2, 3] },
        // Not offered by the toolbar: kept out of the schema, so a paste cannot bring them in.
        underline: false,
        strike: false,
        code: false,
        codeBlock: false,
        horizontalRule: false,
      }),
      SchemaLink.configure({
        openOnClick: false,
        autolink: true,
        defaultProtocol: 'https',
      }),
      EnterOverSelection,
      SuggestionInsert,
      SuggestionDelete,
      BlockIds,
      ParagraphNumbers,
      CharacterCount,
      ChangeLimit.configure({ maxBytes: MAX_CHANGE_BYTES, onRefused: options.onChangeRefused }),
      Collaboration.configure({ document: binding.doc, field: CONTENT_FIELD }),
      CollaborationCaret.configure({ provider: binding.provider, user: binding.user }),
      ThreadAnchors.configure({ onCommentShortcut: options.onCommentShortcut ?? (() => undefined) }),
      SuggestionMode.configure({ authorId: binding.userId, onBlocked: options.onSuggestionBlocked ?? (() => undefined) }),
    ],
    editorProps: {
      attributes: editorAttributes(options.label, options.editable),
      transformPastedHTML: normalisePastedHtml,
    },
  });
  guardSyncBinding(editor, (error) =>
    // For whoever reads the console: the text shown is right (rendered from the shared document).
    console.warn('Concord: the editor was rendered afresh from the shared document after y-tiptap failed to follow a change:', error),
  );
  return editor;
}

export function editorAttributes(label: string, editable: boolean): Record<string, string> {
  return {
    class: 'cc-prose',
    role: 'textbox',
    'aria-multiline': 'true',
    'aria-label': label,
    'aria-readonly': String(!editable),
    // Focusable also when read-only (contenteditable=false is not): keyboard users can still reach,
    // read and scroll the text (axe scrollable-region-focusable, WCAG 2.1.1).
    tabindex: '0',
    spellcheck: 'true',
  };
}

/** Makes `editor` editable or not, its aria-readonly following. */
export function setEditorWritable(editor: Editor, label: string, editable: boolean): void {
  if (editor.isDestroyed || (editor.isEditable === editable && editor.view.dom.getAttribute('aria-readonly') === String(!editable))) return;
  editor.setOptions({ editorProps: { ...editor.options.editorProps, attributes: editorAttributes(label, editable) } });
  editor.setEditable(editable, false);
}
