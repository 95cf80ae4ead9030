import type { Editor } from '@tiptap/core';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';

/** What this guard uses of y-tiptap's ProsemirrorBinding (the sync plugin's state holds it). */
interface SyncBinding {
  readonly type: Y.XmlFragment;
  prosemirrorView: unknown;
  beforeTransactionSelection: unknown;
  _observeFunction: (events: Array<Y.YEvent<Y.AbstractType<unknown>>>, transaction: Y.Transaction) => void;
  _forceRerender(): void;
}

const guarded = new WeakSet<object>();

/**
 * Keeps the editor showing the shared document when y-tiptap fails to follow a change of it.
 *
 * After every change of the Y.Doc, y-tiptap rebuilds the editor's document and puts the caret
 * back where it was, from a position taken before the change. When other people's edits and an
 * undo meet, that position can lie beyond the end of the new text (y-prosemirror #272, y-tiptap
 * #48): ProseMirror throws "RangeError: Position N out of range" inside the Yjs observer, the
 * rebuilt document is never shown, and the editor keeps an outdated text until the next change
 * (y-prosemirror #272), while what is typed meanwhile is diffed against that outdated text. The
 * editor monkey met it after "undo ×3" while the other drafter edited (seeds 11 and 13).
 *
 * The guard wraps the binding's observer: when it throws, the editor is rendered afresh from the
 * shared document, the caret kept where it was (clamped to the new text). The document itself is
 * never touched: it is the truth, and it is right.
 */
export function guardSyncBinding(editor: Editor, onRecovered: (error: unknown) => void): void {
  const guard = () => {
    if (editor.isDestroyed) return;
    const binding = (ySyncPluginKey.getState(editor.state) as { binding?: SyncBinding } | undefined)?.binding;
    if (!binding || guarded.has(binding)) return;
    guarded.add(binding);
    const follow = binding._observeFunction;
    const observing = binding.prosemirrorView != null;
    const guardedFollow: SyncBinding['_observeFunction'] = (events, transaction) => {
      try {
        follow(events, transaction);
      } catch (error) {
        if (binding.prosemirrorView == null) throw error;
        // Without a "selection before the change", y-tiptap keeps the current caret, clamped.
        binding.beforeTransactionSelection = null;
        binding._forceRerender();
        onRecovered(error);
      }
    };
    if (observing) binding.type.unobserveDeep(follow);
    // `initView` (every mount) observes whatever `_observeFunction` holds: the guarded one from now on.
    binding._observeFunction = guardedFollow;
    if (observing) binding.type.observeDeep(guardedFollow);
  };
  // The sync plugin (and its binding) exists once the editor is mounted in the page.
  editor.on('mount', guard);
  guard();
}
