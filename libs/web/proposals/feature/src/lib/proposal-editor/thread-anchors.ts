import { Extension, type Editor } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import type { ThreadAnchorDto } from '@concord/contracts';
import * as Y from 'yjs';

/** What the highlights need to know of the threads. */
export interface AnchoredThread {
  readonly id: string;
  readonly anchor: ThreadAnchorDto;
  readonly status: 'open' | 'resolved';
}

export interface ThreadHighlights {
  readonly threads: readonly AnchoredThread[];
  /** The thread shown as selected (stronger highlight), if any. */
  readonly active: string | null;
}

export const threadHighlightsKey = new PluginKey<ThreadHighlights>('concordThreadHighlights');

interface YSyncState {
  doc: Y.Doc;
  type: Y.XmlFragment;
  binding: { mapping: Map<unknown, unknown> } | null;
}

const syncState = (state: EditorState) => ySyncPluginKey.getState(state) as YSyncState | undefined;

const encode = (position: Y.RelativePosition) => btoa(String.fromCharCode(...Y.encodeRelativePosition(position)));
const decode = (encoded: string) => Y.decodeRelativePosition(Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0)));

/**
 * The selected words as a thread anchor: two Yjs relative positions, which follow their characters
 * through every concurrent edit (ours and others'), with the words as they read now. The start
 * sticks to the first selected character (typing just before the words stays outside), the end to
 * the last one (typing just after them stays outside too). Null for an empty selection.
 */
export function selectionAnchor(editor: Editor): { anchor: ThreadAnchorDto; quote: string } | null {
  const { from, to, empty } = editor.state.selection;
  const y = syncState(editor.state);
  if (empty || !y?.binding) return null;
  const quote = editor.state.doc.textBetween(from, to, ' ').trim();
  if (!quote) return null;
  const start = absolutePositionToRelativePosition(from, y.type, y.binding.mapping as never) as Y.RelativePosition;
  // y-prosemirror ties text positions to the character before them (assoc -1): right for the end,
  // but the start should stay with the first selected character.
  const resolved = Y.createAbsolutePositionFromRelativePosition(start, y.doc);
  const startFirst = resolved && resolved.type instanceof Y.XmlText ? Y.createRelativePositionFromTypeIndex(resolved.type, resolved.index, 0) : start;
  const end = absolutePositionToRelativePosition(to, y.type, y.binding.mapping as never) as Y.RelativePosition;
  return { anchor: { from: encode(startFirst), to: encode(end) }, quote: quote.slice(0, 1000) };
}

/** Where a thread's words are in the editor now, or null when they were deleted (or not rendered). */
export function anchorRange(state: EditorState, anchor: ThreadAnchorDto): { from: number; to: number } | null {
  const y = syncState(state);
  if (!y?.binding) return null;
  try {
    const from = relativePositionToAbsolutePosition(y.doc, y.type, decode(anchor.from), y.binding.mapping as never);
    const to = relativePositionToAbsolutePosition(y.doc, y.type, decode(anchor.to), y.binding.mapping as never);
    return from !== null && to !== null && from < to ? { from, to } : null;
  } catch {
    return null;
  }
}

/** Sets the threads the editor highlights (and the selected one). */
export function showThreadHighlights(editor: Editor, highlights: ThreadHighlights): void {
  if (editor.isDestroyed) return;
  editor.view.dispatch(editor.state.tr.setMeta(threadHighlightsKey, highlights).setMeta('addToHistory', false));
}

/**
 * Highlights the words of every open thread (and of the selected one, open or not). Decorations
 * only: nothing is written to the shared document, so a reader can comment too.
 */
export const ThreadAnchors = Extension.create<{ onCommentShortcut: () => void }>({
  name: 'concordThreadAnchors',
  addOptions() {
    return { onCommentShortcut: () => undefined };
  },
  addKeyboardShortcuts() {
    return {
      'Mod-Alt-m': () => {
        this.options.onCommentShortcut();
        return true;
      },
    };
  },
  addProseMirrorPlugins() {
    return [
      new Plugin<ThreadHighlights>({
        key: threadHighlightsKey,
        state: {
          init: () => ({ threads: [], active: null }),
          apply: (tr, value) => (tr.getMeta(threadHighlightsKey) as ThreadHighlights | undefined) ?? value,
        },
        props: {
          decorations(state) {
            const { threads, active } = threadHighlightsKey.getState(state) ?? { threads: [], active: null };
            const decorations: Decoration[] = [];
            for (const thread of threads) {
              if (thread.status !== 'open' && thread.id !== active) continue;
              const range = anchorRange(state, thread.anchor);
              if (!range) continue;
              decorations.push(
                Decoration.inline(range.from, range.to, {
                  class: thread.id === active ? 'cc-thread-anchor cc-thread-anchor--active' : 'cc-thread-anchor',
                  'data-thread-id': thread.id,
                }),
              );
            }
            return decorations.length ? DecorationSet.create(state.doc, decorations) : null;
          },
        },
      }),
    ];
  },
});
