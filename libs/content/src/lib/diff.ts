import * as Y from 'yjs';
import type { AttributionIndex } from './attribution';
import { BLOCK_ID_ATTRIBUTE, isBlockIdType } from './block-ids';
import { CONTENT_FIELD, recordedDocument } from './document-building';
import { collectTextPieces, type SuggestionMarkKind } from './document-text';
import { toProseMirrorJson } from './rendering';

export type DiffSpanType = 'equal' | 'insert' | 'delete';

/**
 * A run of the plain text (see `toPlainText`). `userId` is the author of the text (the user whose
 * update carried it) on inserted and deleted spans; equal spans carry none.
 */
export interface DiffSpan {
  type: DiffSpanType;
  text: string;
  userId?: string;
  /** The words carry a suggestion mark (proposed words, or words proposed for deletion). */
  suggestion?: SuggestionMarkKind;
}

/** Anything that can tell who carried a struct id; an `AttributionIndex` does. */
export type Attribution = Pick<AttributionIndex, 'userAt'> | ((client: number, clock: number) => string | undefined);

export interface DiffRevisionsInput {
  /** The state of the newest content snapshot at or before revision `from`, if any. */
  readonly snapshot?: Uint8Array;
  /** The revision the snapshot holds (0 without a snapshot). */
  readonly snapshotRevision?: number;
  /**
   * The stored updates that follow the snapshot, in order: `updates[i]` is revision
   * `snapshotRevision + 1 + i`. Must reach at least revision `to`; later ones are ignored.
   */
  readonly updates: readonly Uint8Array[];
  readonly from: number;
  readonly to: number;
  readonly attribution: Attribution;
  /**
   * Revision `from` as a Yjs snapshot (`Y.encodeSnapshot`: its state vector and delete set), for a
   * `snapshot` taken after `from`: that snapshot must then keep deleted content (built with
   * `gc: false` from revision 1 on), since it holds the words `from` showed and later revisions
   * deleted. The document is built from the snapshot up to `to` only, so a diff between distant
   * revisions replays at most the updates after the snapshot, not everything between them.
   */
  readonly fromSnapshot?: Uint8Array;
}

/**
 * The changes from revision `from` to revision `to` as plain-text spans (ARCHITECTURE §7): build
 * revision `from` in a document that keeps deleted content (`gc: false`), take a snapshot, keep
 * applying up to `to`, take another; text visible only at `to` is inserted, text visible only at
 * `from` is deleted, each attributed to the user whose update carried it.
 *
 * Concatenating the equal and insert spans gives `toPlainText` at `to`; the equal and delete spans
 * give it at `from`. Adjacent spans of the same type and author are merged.
 */
export function diffRevisions(input: DiffRevisionsInput): DiffSpan[] {
  return compareRevisions(input, false).spans;
}

/**
 * `diffRevisions`, plus the paragraphs that moved (`movedBlocks` of the two revisions): a moved
 * paragraph is deleted at its old place and inserted at its new one in the spans, and listed here
 * by its stable id, so a reader sees one move rather than two unrelated changes.
 */
export function diffRevisionsWithMoves(input: DiffRevisionsInput): { spans: DiffSpan[]; moved: MovedBlock[] } {
  const { spans, moved } = compareRevisions(input, true);
  return { spans, moved: moved ?? [] };
}

function compareRevisions(input: DiffRevisionsInput, withMoves: boolean): { spans: DiffSpan[]; moved?: MovedBlock[] } {
  const base = input.snapshotRevision ?? 0;
  const { from, to, fromSnapshot } = input;
  // With the state at `from` given, the snapshot may lie anywhere up to `to`.
  const replayStart = fromSnapshot ? to : from;
  if (!Number.isInteger(from) || !Number.isInteger(to) || replayStart < base || to < from) {
    throw new RangeError(
      fromSnapshot
        ? `diffRevisions: need from (${from}) ≤ to (${to}) and snapshotRevision (${base}) ≤ to`
        : `diffRevisions: need snapshotRevision (${base}) ≤ from (${from}) ≤ to (${to})`,
    );
  }
  if (base + input.updates.length < to) {
    throw new RangeError(`diffRevisions: updates reach revision ${base + input.updates.length}, not ${to}`);
  }
  const doc = recordedDocument({ gc: false });
  try {
    const apply = (first: number, last: number) =>
      doc.transact(() => {
        for (let revision = first; revision <= last; revision++) Y.applyUpdate(doc, input.updates[revision - base - 1]);
      });
    if (input.snapshot) doc.transact(() => Y.applyUpdate(doc, input.snapshot as Uint8Array));
    let before: Y.Snapshot;
    if (fromSnapshot) {
      before = Y.decodeSnapshot(fromSnapshot);
      apply(base + 1, to);
    } else {
      apply(base + 1, from);
      before = Y.snapshot(doc);
      apply(from + 1, to);
    }
    const after = Y.snapshot(doc);
    const spans = diffSnapshots(doc, before, after, input.attribution);
    if (!withMoves) return { spans };
    const [a, b] = [Y.createDocFromSnapshot(doc, before), Y.createDocFromSnapshot(doc, after)];
    try {
      return { spans, moved: movedBlocks(toProseMirrorJson(a), toProseMirrorJson(b)) };
    } finally {
      a.destroy();
      b.destroy();
    }
  } finally {
    doc.destroy();
  }
}

/**
 * The diff between two snapshots of one document built with `gc: false` (deleted items keep their
 * content). `before` must precede `after`.
 */
export function diffSnapshots(
  doc: Y.Doc,
  before: Y.Snapshot,
  after: Y.Snapshot,
  attribution: Attribution,
  field = CONTENT_FIELD,
): DiffSpan[] {
  if (doc.gc) {
    throw new Error('diffSnapshots: the document must be built with gc: false');
  }
  const userAt = typeof attribution === 'function' ? attribution : attribution.userAt.bind(attribution);
  const pieces = collectTextPieces(doc.getXmlFragment(field), { kind: 'compare', a: before, b: after });
  const spans: DiffSpan[] = [];
  for (const piece of pieces) {
    const type: DiffSpanType = piece.inA && piece.inB ? 'equal' : piece.inB ? 'insert' : 'delete';
    const userId = type === 'equal' ? undefined : userAt(piece.id.client, piece.id.clock);
    const last = spans[spans.length - 1];
    if (last && last.type === type && last.userId === userId && last.suggestion === piece.suggestion) {
      last.text += piece.text;
    } else {
      spans.push({ type, text: piece.text, ...(userId === undefined ? {} : { userId }), ...(piece.suggestion ? { suggestion: piece.suggestion } : {}) });
    }
  }
  return spans;
}

/** The text a diff was taken from (`side: 'from'`) or to (`side: 'to'`). */
export function textOfDiff(spans: readonly DiffSpan[], side: 'from' | 'to'): string {
  const skipped: DiffSpanType = side === 'from' ? 'insert' : 'delete';
  return spans
    .filter((span) => span.type !== skipped)
    .map((span) => span.text)
    .join('');
}

/** A paragraph (heading, list item) found at another place among the blocks of a later revision. */
export interface MovedBlock {
  /** Its stable id (`block-ids.ts`). */
  readonly blockId: string;
  /** Its text in the later revision (at most 140 characters). */
  readonly text: string;
  /** 1-based places among the revision's blocks (paragraphs, headings, list items; a list item's own paragraph is the item). */
  readonly fromPosition: number;
  readonly toPosition: number;
}

interface JsonBlock {
  readonly id: string | null;
  readonly text: string;
}

/** The blocks of ProseMirror JSON in order: paragraphs, headings and list items (an item's paragraphs are the item). */
function blocksOf(json: unknown): JsonBlock[] {
  const blocks: JsonBlock[] = [];
  const textOf = (node: unknown): string => {
    if (node === null || typeof node !== 'object') return '';
    const { text, content } = node as { text?: unknown; content?: unknown };
    if (typeof text === 'string') return text;
    return Array.isArray(content) ? content.map(textOf).join(' ') : '';
  };
  const visit = (node: unknown, insideItem: boolean): void => {
    if (node === null || typeof node !== 'object') return;
    const { type, attrs, content } = node as { type?: unknown; attrs?: Record<string, unknown>; content?: unknown };
    const isBlock = typeof type === 'string' && isBlockIdType(type) && !(insideItem && type === 'paragraph');
    if (isBlock) {
      const id = attrs?.[BLOCK_ID_ATTRIBUTE];
      blocks.push({ id: typeof id === 'string' ? id : null, text: textOf(node).replace(/\s+/g, ' ').trim() });
    }
    if (Array.isArray(content)) for (const child of content) visit(child, type === 'listItem' || (insideItem && type !== 'bulletList' && type !== 'orderedList'));
  };
  visit(json, false);
  return blocks;
}

/**
 * The blocks of `to` that moved since `from`: among the blocks both hold (by stable id, each id once
 * on either side), the fewest whose places explain the new order — everything off the longest run
 * kept in order. A block only edited in place, added or removed is not moved.
 */
export function movedBlocks(from: unknown, to: unknown): MovedBlock[] {
  const unique = (blocks: JsonBlock[]) => {
    const count = new Map<string, number>();
    for (const block of blocks) if (block.id) count.set(block.id, (count.get(block.id) ?? 0) + 1);
    return new Map(blocks.flatMap((block, index) => (block.id && count.get(block.id) === 1 ? [[block.id, index] as const] : [])));
  };
  const before = blocksOf(from);
  const after = blocksOf(to);
  const placeBefore = unique(before);
  const placeAfter = unique(after);
  const common = [...placeBefore.entries()].filter(([id]) => placeAfter.has(id)).sort((x, y) => x[1] - y[1]);
  const sequence = common.map(([id]) => placeAfter.get(id) as number);
  const kept = longestIncreasing(sequence);
  return common
    .filter((_, index) => !kept.has(index))
    .map(([blockId, fromIndex]) => {
      const toIndex = placeAfter.get(blockId) as number;
      const text = after[toIndex].text;
      return { blockId, text: text.length > 140 ? `${text.slice(0, 139)}…` : text, fromPosition: fromIndex + 1, toPosition: toIndex + 1 };
    })
    .sort((x, y) => x.toPosition - y.toPosition);
}

/** Indexes of one longest strictly increasing subsequence (patience sorting, O(n log n)). */
function longestIncreasing(values: readonly number[]): Set<number> {
  const tails: number[] = [];
  const previous: number[] = new Array(values.length).fill(-1);
  values.forEach((value, index) => {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (values[tails[middle]] < value) low = middle + 1;
      else high = middle;
    }
    if (low > 0) previous[index] = tails[low - 1];
    tails[low] = index;
  });
  const kept = new Set<number>();
  for (let index = tails.length > 0 ? tails[tails.length - 1] : -1; index >= 0; index = previous[index]) kept.add(index);
  return kept;
}
