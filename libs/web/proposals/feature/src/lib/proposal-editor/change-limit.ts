import { Extension } from '@tiptap/core';
import type { Fragment, Slice } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { ReplaceAroundStep, ReplaceStep } from '@tiptap/pm/transform';

/**
 * The largest change the editor lets into the document: half the server's limit on one Yjs update
 * (1 MiB, PROTOCOL.md), leaving room for Yjs's own overhead (struct ids, formatting attributes).
 */
export const MAX_CHANGE_BYTES = 512 * 1024;

/** Per node and per mark: what Yjs adds around the text (ids, element names, attributes). */
const NODE_OVERHEAD = 32;
const MARK_OVERHEAD = 24;

const utf8 = new TextEncoder();

/** An estimate (from above) of the Yjs update a fragment of content becomes once inserted. */
export function estimateFragmentBytes(fragment: Fragment): number {
  let bytes = 0;
  fragment.descendants((node) => {
    bytes += node.isText ? utf8.encode(node.text ?? '').length + node.marks.length * MARK_OVERHEAD : NODE_OVERHEAD;
    return true;
  });
  return bytes;
}

export function estimateSliceBytes(slice: Slice): number {
  return estimateFragmentBytes(slice.content);
}

export interface ChangeLimitOptions {
  maxBytes: number;
  /** Told when a change is refused, with its estimated size. */
  onRefused: (estimatedBytes: number) => void;
}

/** The y-prosemirror binding's transactions (remote changes, undo/redo, the first render) carry this meta. */
const Y_SYNC_META = 'y-sync$';

/**
 * Refuses, before it enters the document, any local change (a paste, a drop, an inserted block)
 * whose Yjs update would exceed `maxBytes`, and says so through `onRefused`. Changes that come
 * from the shared document itself are never filtered.
 */
export const ChangeLimit = Extension.create<ChangeLimitOptions>({
  name: 'changeLimit',

  addOptions() {
    return { maxBytes: MAX_CHANGE_BYTES, onRefused: () => undefined };
  },

  addProseMirrorPlugins() {
    const { maxBytes, onRefused } = this.options;
    const refuse = (bytes: number) => {
      // Outside the dispatch: the message updates signals, never the view being filtered.
      queueMicrotask(() => onRefused(bytes));
    };
    return [
      new Plugin({
        key: new PluginKey('changeLimit'),
        props: {
          // Cheapest check first: a pasted or dropped slice, before ProseMirror builds a transaction.
          handlePaste: (_view, _event, slice) => {
            const bytes = estimateSliceBytes(slice);
            if (bytes <= maxBytes) return false;
            refuse(bytes);
            return true;
          },
          handleDrop: (_view, _event, slice) => {
            const bytes = estimateSliceBytes(slice);
            if (bytes <= maxBytes) return false;
            refuse(bytes);
            return true;
          },
        },
        filterTransaction: (tr) => {
          if (!tr.docChanged || tr.getMeta(Y_SYNC_META)) return true;
          let bytes = 0;
          for (const step of tr.steps) {
            if (step instanceof ReplaceStep || step instanceof ReplaceAroundStep) bytes += estimateSliceBytes(step.slice);
          }
          if (bytes <= maxBytes) return true;
          refuse(bytes);
          return false;
        },
      }),
    ];
  },
});
